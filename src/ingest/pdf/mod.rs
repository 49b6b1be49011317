//! Native PDF reading on top of lopdf's object parser: positioned text
//! (words and lines with coordinates), Vietnamese-safe font decoding, ruling
//! lines and geometric tables.
//!
//! Pipeline: [`reader`] loads the document and runs [`content`] on each page
//! (operators from [`lexer`], fonts from [`font`], [`cmap`], [`encodings`]),
//! [`quality`] checks the
//! decoded text per font, [`words`] builds words and lines, and [`tables`]
//! finds tables from rules ([`ruling`]) and word alignment ([`aligned`]), or
//! from the structure tree of tagged PDFs ([`struct_tree`], [`tagged`]).

mod aligned;
mod cmap;
mod content;
mod encodings;
mod font;
mod glyph_names;
mod lexer;
mod objects;
mod quality;
mod reader;
mod ruling;
mod struct_tree;
mod table_model;
mod tables;
mod tagged;
mod words;

#[cfg(test)]
mod test_pdf;

use serde::Serialize;

pub use reader::read_pdf;
pub(crate) use ruling::cell_boxes;
pub use tables::{find_tables, find_tables_and_lines};

/// Bounds on the work spent on one file.
#[derive(Debug, Clone)]
pub struct PdfLimits {
    /// Pages read at most (later pages are skipped with a warning).
    pub max_pages: usize,
    /// Content-stream operators interpreted at most, over the whole file.
    pub max_ops: usize,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits { max_pages: 2_000, max_ops: 5_000_000 }
    }
}

/// A read PDF: pages with their lines, in reading order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PdfDoc {
    pub pages: Vec<PdfPage>,
    /// The document declares a structure tree (tagged PDF).
    pub tagged: bool,
    /// Font and content problems worth reporting (broken ToUnicode, …).
    pub warnings: Vec<String>,
    /// Tables read from the structure tree of a tagged PDF (Table/TR/TH/TD);
    /// [`find_tables`] returns these when there are any.
    pub tagged_tables: Vec<crate::model::Grid>,
}

/// One page. Coordinates are points from the page's top-left corner.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PdfPage {
    /// 1-based page number.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    /// Lines in reading order (top to bottom, left to right).
    pub lines: Vec<PdfLine>,
    /// No text, and an image covers most of the page (needs OCR).
    pub image_only: bool,
    /// Horizontal and vertical painted rules (table borders).
    pub rules: Vec<PdfRule>,
}

/// A line (or a line fragment separated from its neighbours by a wide gap
/// or a table rule) of words sharing a baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PdfLine {
    /// Words joined by single spaces, NFC.
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Distance from the page top.
    pub top: f32,
    pub bottom: f32,
    /// Size of most characters.
    pub font_size: f32,
    pub words: Vec<PdfWord>,
}

/// A word: glyphs without a space or a gap between them (NFC).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PdfWord {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
    pub font_size: f32,
}

/// A straight horizontal or vertical rule; `x0 <= x1`, `y0 <= y1`
/// (distance from the page top).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PdfRule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl PdfRule {
    /// The horizontal rule at `y` from `x0` to `x1`.
    pub fn horizontal(y: f32, x0: f32, x1: f32) -> PdfRule {
        PdfRule { x0, y0: y, x1, y1: y }
    }

    /// The vertical rule at `x` from `y0` to `y1`.
    pub fn vertical(x: f32, y0: f32, y1: f32) -> PdfRule {
        PdfRule { x0: x, y0, x1: x, y1 }
    }

    pub fn is_vertical(&self) -> bool {
        self.x1 - self.x0 < 1.0 && self.y1 - self.y0 >= 1.0
    }

    pub fn is_horizontal(&self) -> bool {
        self.y1 - self.y0 < 1.0 && self.x1 - self.x0 >= 1.0
    }
}

/// Why a PDF could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("encrypted: {0}")]
    Encrypted(String),
    #[error("unreadable PDF: {0}")]
    Parse(String),
    #[error("PDF too complex: {0}")]
    TooComplex(String),
}

/// Whether the bytes look like a PDF ("%PDF-" within the first 1024 bytes).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_signature() {
        assert!(looks_like_pdf(b"%PDF-1.7\n"));
        assert!(looks_like_pdf(b"\xef\xbb\xbfjunk %PDF-1.4"));
        assert!(!looks_like_pdf(b"PK\x03\x04"));
        assert!(!looks_like_pdf(b""));
    }
}
