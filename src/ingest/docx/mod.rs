//! DOCX reader: `word/document.xml` → one [`SrcLine`] per body paragraph
//! (line breaks split it), tables → [`Grid`]s (merged cells expanded, header
//! rows flattened), `word/footnotes.xml` → [`Footnote`]s anchored at the line
//! holding their reference.
//!
//! Line numbers run over the body in document order; every table row takes
//! one number of that sequence too, so grid rows have stable locators (their
//! text is not repeated as lines). Pages are known when the file carries
//! rendered page breaks (`w:lastRenderedPageBreak`, written by Word) or, failing
//! those, explicit page breaks (`w:br w:type="page"`).

mod archive;
mod assemble;
mod document;
mod footnotes;
mod grid;
#[cfg(test)]
mod tests;
mod xml;

use std::io::Cursor;

use zip::ZipArchive;

use super::{IngestError, IngestOptions, Reader};
use crate::model::{Ingested, Status};
use archive::read_part;
use assemble::assemble;
use document::parse_document;
use footnotes::parse_footnotes;

pub struct DocxReader;

/// Largest uncompressed XML part read (zip-bomb guard, absolute).
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Largest compression ratio of a part read beyond [`RATIO_FLOOR`] bytes
/// (zip-bomb guard, relative; Word's XML compresses about 5–20:1).
pub const MAX_RATIO: u64 = 200;
const RATIO_FLOOR: u64 = 4 * 1024 * 1024;
/// Most zip entries accepted (a Word file has a few dozen).
pub const MAX_ENTRIES: usize = 10_000;
/// Deepest XML nesting followed (Word nests a few levels, tables in tables a few more).
pub const MAX_XML_DEPTH: u32 = 256;
/// Most paragraphs + table rows read; the rest is dropped (status partial).
pub const MAX_BLOCKS: usize = 500_000;
/// Widest table kept (columns beyond are dropped).
const MAX_COLS: usize = 256;
/// Largest `w:gridSpan` honoured.
const MAX_SPAN: usize = 64;
/// Header rows at most before the first keyed row ("1", "I", "A").
const MAX_HEADER_ROWS: usize = 3;
/// Lines looked at above a table for its title.
const TITLE_LINES: usize = 6;
const TITLE_MAX_CHARS: usize = 160;

const DOCUMENT: &str = "word/document.xml";
const FOOTNOTES: &str = "word/footnotes.xml";

impl Reader for DocxReader {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(b"PK\x03\x04") && ZipArchive::new(Cursor::new(bytes)).is_ok_and(|a| a.index_for_name(DOCUMENT).is_some())
    }

    fn read(&self, bytes: &[u8], _opts: &IngestOptions) -> Result<Ingested, IngestError> {
        if bytes.is_empty() {
            return Err(IngestError::Empty);
        }
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| IngestError::docx_from(format!("not a zip archive: {e}"), e))?;
        if zip.len() > MAX_ENTRIES {
            return Err(IngestError::docx(format!("{} zip entries (limit {MAX_ENTRIES}): not read", zip.len())));
        }
        let (doc, cut) = read_part(&mut zip, DOCUMENT)?.ok_or_else(|| IngestError::docx(format!("no {DOCUMENT} in the archive")))?;
        let body = parse_document(&doc)?;
        drop(doc);
        let mut warnings = Vec::new();
        // A damaged body: what was read is kept, the row is partial with the reason.
        let damage: Vec<String> = cut.into_iter().chain(body.truncated.clone()).collect();
        let notes = match read_part(&mut zip, FOOTNOTES) {
            Ok(Some((xml, cut))) => match parse_footnotes(&xml) {
                Ok(n) if cut.is_none() => n,
                Ok(n) => {
                    warnings.push(format!("footnotes {}", cut.unwrap_or_default()));
                    n
                }
                Err(e) => {
                    warnings.push(format!("footnotes skipped: {e}"));
                    Vec::new()
                }
            },
            Ok(None) => Vec::new(),
            Err(e) => {
                warnings.push(format!("footnotes skipped: {e}"));
                Vec::new()
            }
        };
        let mut ing = assemble(body, notes);
        ing.warnings.extend(warnings);
        let empty = ing.lines.iter().all(|l| l.text.trim().is_empty()) && ing.grids.is_empty();
        if !damage.is_empty() {
            let reason = format!("{DOCUMENT} damaged: {}; text after that point is lost", damage.join("; "));
            if empty {
                return Err(IngestError::docx(reason));
            }
            ing.status = Status::Partial;
            ing.warnings.insert(0, reason);
        }
        if empty {
            return Err(IngestError::Empty);
        }
        Ok(ing)
    }
}
