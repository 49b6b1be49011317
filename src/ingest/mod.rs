//! Ingest: bytes of one file → decoded, normalized lines ([`Ingested`]).
//!
//! One reader per format behind [`Reader`]; [`auto::pick`] chooses by
//! content (magic bytes), never by extension alone.

pub mod auto;
pub mod docx;
pub mod encoding;
pub mod ocr;
pub mod ocr_reader;
pub mod pdf;
pub mod pdf_reader;
pub mod text;

use crate::model::Ingested;

/// Options the user can set for ingestion.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Forced text encoding (`--encoding`), overriding detection.
    pub encoding: Option<encoding::Encoding>,
    /// OCR of scanned pages and image files (`--ocr`).
    pub ocr: ocr::OcrMode,
}

/// A source error kept behind an [`IngestError`] (zip, XML, I/O, UTF-8).
pub type SourceError = Box<dyn std::error::Error + Send + Sync>;

/// Why a file could not be ingested. The Display text is what ends up in
/// `documents.error`; [`std::error::Error::source`] gives the underlying error.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("empty file")]
    Empty,
    #[error("binary file: not text, PDF, DOCX or an image")]
    Binary,
    #[error("file too large ({0} bytes; limit {1})")]
    TooLarge(u64, u64),
    #[error("cannot decode text: {0}")]
    Decode(#[source] encoding::DecodeError),
    #[error("PDF: {}", pdf_reason(.0))]
    Pdf(#[source] pdf::PdfError),
    #[error("image: {0}")]
    Image(#[source] ocr::OcrError),
    /// `msg` is the whole reason (it already names the source error).
    #[error("DOCX: {msg}")]
    Docx {
        msg: String,
        #[source]
        source: Option<SourceError>,
    },
}

impl IngestError {
    /// A DOCX failure without an underlying error (limits, missing parts).
    pub fn docx(msg: impl Into<String>) -> Self {
        IngestError::Docx { msg: msg.into(), source: None }
    }

    /// A DOCX failure caused by `source` (zip, XML, I/O, UTF-8 error).
    pub fn docx_from(msg: impl Into<String>, source: impl Into<SourceError>) -> Self {
        IngestError::Docx { msg: msg.into(), source: Some(source.into()) }
    }
}

impl From<pdf::PdfError> for IngestError {
    fn from(e: pdf::PdfError) -> Self {
        IngestError::Pdf(e)
    }
}

/// "encrypted (…)" for an encrypted PDF, the error's own text otherwise.
fn pdf_reason(e: &pdf::PdfError) -> String {
    match e {
        pdf::PdfError::Encrypted(m) => format!("encrypted ({m})"),
        other => other.to_string(),
    }
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
pub const MAX_FILE_BYTES: u64 = crate::guard::DEFAULT_MAX_FILE_BYTES;
