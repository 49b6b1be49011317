//! Ingest: bytes of one file → decoded, normalized lines ([`Ingested`]).
//!
//! One reader per format behind [`Reader`]; [`auto::pick`] chooses by
//! content (magic bytes), never by extension alone.

pub mod auto;
pub mod docx;
pub mod encoding;
pub mod pdf;
pub mod pdf_reader;
pub mod text;

use crate::model::Ingested;

/// Options the user can set for ingestion.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Forced text encoding (`--encoding`), overriding detection.
    pub encoding: Option<encoding::Encoding>,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("empty file")]
    Empty,
    #[error("binary file: not text, PDF or DOCX")]
    Binary,
    #[error("file too large ({0} bytes; limit {1})")]
    TooLarge(u64, u64),
    #[error("cannot decode text: {0}")]
    Decode(String),
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("DOCX: {0}")]
    Docx(String),
}

/// A reader for one source format.
pub trait Reader: Sync {
    /// Short name ("text", "pdf", "docx").
    fn name(&self) -> &'static str;
    /// True when the bytes look like this format.
    fn sniff(&self, bytes: &[u8]) -> bool;
    fn read(&self, bytes: &[u8], opts: &IngestOptions) -> Result<Ingested, IngestError>;
}

/// Largest file accepted (bounded memory per file).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
