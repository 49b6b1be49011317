//! Picks the reader for a file by its content: the one place where the
//! format of a file is decided ([`sniff`]).

use std::path::Path;

use super::pdf_reader::PdfReader;
use super::text::TextReader;
use super::{IngestError, IngestOptions, Reader};
use crate::model::{Format, Ingested};

static TEXT: TextReader = TextReader;
static PDF: PdfReader = PdfReader;
static DOCX: super::docx::DocxReader = super::docx::DocxReader;
static IMAGE: super::ocr_reader::ImageReader = super::ocr_reader::ImageReader;

/// The format of a file. Content decides: "%PDF-" near the start is a PDF, a
/// zip archive holding `word/document.xml` is a DOCX, anything else is read
/// as text. Only when there is no content (the file could not be read, or
/// is empty) does the extension of `path_hint` name the format.
pub(crate) fn sniff(bytes: &[u8], path_hint: Option<&Path>) -> Format {
    if bytes.is_empty() {
        let ext = path_hint.and_then(Path::extension).map(|e| e.to_string_lossy().to_lowercase());
        return match ext.as_deref() {
            Some("pdf") => Format::Pdf,
            Some("docx") => Format::Docx,
            Some("png" | "jpg" | "jpeg" | "tif" | "tiff") => Format::Image,
            _ => Format::Text,
        };
    }
    if PDF.sniff(bytes) {
        Format::Pdf
    } else if DOCX.sniff(bytes) {
        Format::Docx
    } else if IMAGE.sniff(bytes) {
        Format::Image
    } else {
        Format::Text
    }
}

/// The reader for a format.
fn reader(format: Format) -> &'static dyn Reader {
    match format {
        Format::Pdf => &PDF,
        Format::Docx => &DOCX,
        Format::Image => &IMAGE,
        Format::Text => &TEXT,
    }
}

/// The reader whose magic bytes match, text otherwise.
pub fn pick(bytes: &[u8]) -> &'static dyn Reader {
    reader(sniff(bytes, None))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_extension_only_without_content() {
        let docx = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/pdf/001_report.docx")).expect("fixture");
        let hint = Some(Path::new("report.txt"));
        assert_eq!(sniff(b"%PDF-1.7\n", hint), Format::Pdf);
        assert_eq!(sniff(&docx, hint), Format::Docx);
        // A zip that is not a Word file is not a DOCX, whatever its name.
        assert_eq!(sniff(b"PK\x03\x04 not a zip", Some(Path::new("a.docx"))), Format::Text);
        assert_eq!(sniff(b"plain", Some(Path::new("a.pdf"))), Format::Text);
        assert_eq!(sniff(b"", Some(Path::new("A.PDF"))), Format::Pdf);
        assert_eq!(sniff(b"", Some(Path::new("a.docx"))), Format::Docx);
        assert_eq!(sniff(b"", Some(Path::new("a.txt"))), Format::Text);
        assert_eq!(sniff(b"", None), Format::Text);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n", hint), Format::Image);
        assert_eq!(sniff(b"", Some(Path::new("scan.JPG"))), Format::Image);
        assert_eq!(pick(&docx).name(), "docx");
        assert_eq!(pick(b"%PDF-1.4").name(), "pdf");
        assert_eq!(pick(b"text").name(), "text");
    }
}
