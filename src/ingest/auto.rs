//! Picks the reader for a file by its content.

use super::pdf_reader::PdfReader;
use super::text::TextReader;
use super::{IngestError, IngestOptions, Reader};
use crate::model::Ingested;

static TEXT: TextReader = TextReader;
static PDF: PdfReader = PdfReader;
static DOCX: super::docx::DocxReader = super::docx::DocxReader;

/// Readers in sniffing order; text is the fallback.
fn readers() -> Vec<&'static dyn Reader> {
    vec![&PDF, &DOCX, &TEXT]
}

/// The reader whose magic bytes match, text otherwise.
pub fn pick(bytes: &[u8]) -> &'static dyn Reader {
    readers().into_iter().find(|r| r.name() != "text" && r.sniff(bytes)).unwrap_or(&TEXT)
}

/// Reads one file's bytes with the right reader.
pub fn read(bytes: &[u8], opts: &IngestOptions) -> Result<Ingested, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > super::MAX_FILE_BYTES {
        return Err(IngestError::TooLarge(len, super::MAX_FILE_BYTES));
    }
    pick(bytes).read(bytes, opts)
}
