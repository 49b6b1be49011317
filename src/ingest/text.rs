//! Plain-text reports (UTF-8/16, legacy encodings) including DOCX exports
//! that were saved as text: "[bookmark: …]" artifacts are dropped and
//! "[footnoteRef:N]" anchors with their "[N: …]" bodies become footnotes.
//! Leading tabs are kept (they carry the table structure).

use once_cell::sync::Lazy;
use regex::Regex;

use super::encoding::{decode, DecodeError};
use super::{IngestError, IngestOptions, Reader};
use crate::model::{Footnote, Format, Ingested, SrcLine, Status};
use crate::vn::normalize::{normalize_string, normalize_text};

pub struct TextReader;

static BOOKMARK: Lazy<Regex> = Lazy::new(|| Regex::new(r"\[bookmark:[^\]]*\]").expect("valid regex"));
static FOOTNOTE_REF: Lazy<Regex> = Lazy::new(|| Regex::new(r"\[footnoteRef:(\d+)\]").expect("valid regex"));
/// Start of an inline footnote body "[1: …" (may close on a later line).
static FOOTNOTE_BODY: Lazy<Regex> = Lazy::new(|| Regex::new(r"\[(\d+): ").expect("valid regex"));

impl Reader for TextReader {
    fn name(&self) -> &'static str {
        "text"
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        !bytes.is_empty()
    }

    fn read(&self, bytes: &[u8], opts: &IngestOptions) -> Result<Ingested, IngestError> {
        if bytes.is_empty() {
            return Err(IngestError::Empty);
        }
        let decoded = decode(bytes, opts.encoding).map_err(|e| match e {
            DecodeError::Binary => IngestError::Binary,
            other => IngestError::Decode(other),
        })?;
        let mut warnings = Vec::new();
        if !decoded.repaired_lines.is_empty() {
            warnings.push(format!(
                "repaired {} line(s) typed in a legacy encoding: {}",
                decoded.repaired_lines.len(),
                summarize_lines(&decoded.repaired_lines)
            ));
        }
        let ing = Ingested { encoding: decoded.encoding.name().to_string(), warnings, ..from_text(&decoded.text) };
        if ing.lines.iter().all(|l| l.text.trim().is_empty()) {
            return Err(IngestError::Empty);
        }
        Ok(ing)
    }
}

/// A UTF-8 text already in memory as an ingested document (snippets, tests).
pub fn from_text(text: &str) -> Ingested {
    let (lines, footnotes) = split_lines(text);
    Ingested {
        format: Format::Text,
        encoding: "utf-8".into(),
        lines,
        pages: None,
        footnotes,
        grids: Vec::new(),
        status: Status::Ok,
        warnings: Vec::new(),
        text_source: crate::model::TextSource::TextLayer,
        ocr: None,
    }
}

fn summarize_lines(lines: &[u32]) -> String {
    let shown: Vec<String> = lines.iter().take(20).map(|l| l.to_string()).collect();
    if lines.len() > 20 {
        format!("{} …", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// `text.split('\n')`, the newlines found with the SIMD `memchr`.
fn split_at_newlines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())).map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        line
    })
}

/// Splits decoded text into normalized lines (1-based numbers as in the
/// file), removing DOCX-export artifacts and collecting footnotes. A form
/// feed starts a new page.
pub fn split_lines(text: &str) -> (Vec<SrcLine>, Vec<Footnote>) {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut footnotes = Vec::new();
    // A form feed is the one byte 0x0C (found with the SIMD `memchr`).
    let has_form_feed = |t: &str| memchr::memchr(0x0C, t.as_bytes()).is_some();
    let mut page: Option<u32> = if has_form_feed(text) { Some(1) } else { None };
    // An open "[N: …" footnote body that continues on the next lines.
    let mut open_note: Option<Footnote> = None;
    for (idx, raw) in split_at_newlines(text).enumerate() {
        let number = u32::try_from(idx + 1).unwrap_or(u32::MAX);
        let mut line = raw.strip_suffix('\r').unwrap_or(raw).to_string();
        if page.is_some() && has_form_feed(&line) {
            let breaks = line.matches('\u{c}').count();
            page = page.map(|p| p + u32::try_from(breaks).unwrap_or(0));
            line = line.replace('\u{c}', "");
        }
        // Every export artifact below starts with '[': most lines have none.
        let bracket = memchr::memchr(b'[', line.as_bytes()).is_some();
        let mut text_line = if bracket { BOOKMARK.replace_all(&line, "").into_owned() } else { line };
        if let Some(mut note) = open_note.take() {
            match text_line.find(']') {
                Some(close) => {
                    note.text.push(' ');
                    note.text.push_str(text_line[..close].trim());
                    note.text = note.text.trim().to_string();
                    footnotes.push(note);
                    text_line = text_line[close + 1..].to_string();
                }
                None => {
                    note.text.push(' ');
                    note.text.push_str(text_line.trim());
                    open_note = Some(note);
                    text_line.clear();
                }
            }
        }
        // Anchors: "[footnoteRef:1]" → marker kept as plain text "¹"-less.
        let mut anchors = Vec::new();
        let bracket = bracket && text_line.contains('[');
        if bracket {
            for c in FOOTNOTE_REF.captures_iter(&text_line) {
                if let Some(m) = c.get(1) {
                    anchors.push(m.as_str().to_string());
                }
            }
            text_line = FOOTNOTE_REF.replace_all(&text_line, "").into_owned();
        }
        // Bodies: "[1: text]" possibly unterminated on this line.
        while let Some(m) = bracket.then(|| FOOTNOTE_BODY.captures(&text_line)).flatten() {
            let (Some(whole), Some(num)) = (m.get(0), m.get(1)) else {
                break;
            };
            let start = whole.start();
            let marker = num.as_str().to_string();
            let body_start = whole.end();
            let anchor_line = anchors.contains(&marker).then_some(number);
            match text_line[body_start..].find(']') {
                Some(close) => {
                    footnotes.push(Footnote {
                        marker,
                        text: normalize_text(text_line[body_start..body_start + close].trim()),
                        page,
                        line: number,
                        anchor_line,
                    });
                    text_line.replace_range(start..body_start + close + 1, "");
                }
                None => {
                    open_note = Some(Footnote { marker, text: normalize_text(text_line[body_start..].trim()), page, line: number, anchor_line });
                    text_line.truncate(start);
                }
            }
        }
        lines.push(SrcLine { text: normalize_string(text_line), line: number, page, ..Default::default() });
    }
    if let Some(note) = open_note {
        footnotes.push(note);
    }
    (lines, footnotes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_export_artifacts() {
        // Seed 001, lines 8–9.
        let t = "· [bookmark: bookmark2][bookmark: bookmark3]  UBND phường đã ban hành … cải cách TTHC[footnoteRef:1]. [1: () -  Kế hoạch cải cách hành chính phường Trương Quang Trọng năm 2025 (Kế hoạch số 02/KH-UBND ngày 03/01/2025); \n] \nI. [bookmark: bookmark0]Kết quả đạt được";
        let (lines, notes) = split_lines(t);
        assert_eq!(lines[0].text, "·   UBND phường đã ban hành … cải cách TTHC. ");
        assert_eq!(lines[1].text, " ");
        assert_eq!(lines[2].text, "I. Kết quả đạt được");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].marker, "1");
        assert_eq!(notes[0].anchor_line, Some(1));
        assert!(notes[0].text.starts_with("() -  Kế hoạch cải cách hành chính"), "{}", notes[0].text);
    }

    #[test]
    fn newline_split_is_str_split() {
        for t in ["", "\n", "a", "a\n", "\na\n\nb", "ắ\nb\r\n\n"] {
            assert_eq!(split_at_newlines(t).collect::<Vec<_>>(), t.split('\n').collect::<Vec<_>>(), "{t:?}");
        }
    }

    #[test]
    fn crlf_tabs_and_form_feeds() {
        let (lines, _) = split_lines("a\r\n\tb\r\n\u{c}c");
        assert_eq!(lines[0].text, "a");
        assert_eq!(lines[1].text, "\tb");
        assert_eq!((lines[2].text.as_str(), lines[2].page, lines[0].page), ("c", Some(2), Some(1)));
    }
}
