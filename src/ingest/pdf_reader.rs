//! PDF reader: positioned lines from `ingest::pdf` → [`Ingested`] lines with
//! exact pages. Page furniture (repeated headers/footers, page numbers) is
//! found by position and repetition; footnotes by position and a smaller
//! font; lines inside ruled table areas are left to the table grids.

use std::collections::HashMap;

use super::pdf::{find_tables_and_lines, read_pdf, PdfDoc, PdfLimits, PdfPage};
use super::{IngestError, IngestOptions, Reader};
use crate::model::{Footnote, Format, Ingested, SrcLine, Status, TextSource};
use crate::vn::normalize::normalize_text;

pub struct PdfReader;

impl Reader for PdfReader {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        super::pdf::looks_like_pdf(bytes)
    }

    fn read(&self, bytes: &[u8], opts: &IngestOptions) -> Result<Ingested, IngestError> {
        let mut doc = read_pdf(bytes, &PdfLimits::default())?;
        // Scanned pages (and pages with a garbage text layer) are read by OCR first.
        let run = super::ocr_reader::ocr_pdf(&mut doc, bytes, opts.ocr);
        let mut ing = to_ingested(&doc);
        super::ocr_reader::finish(run, &doc, &mut ing);
        Ok(ing)
    }
}

/// Share of pages a line must repeat on (same text, near the same edge) to
/// count as a running header or footer.
const REPEAT_SHARE: f32 = 0.5;
/// Top/bottom band (fraction of page height) where furniture lives.
const EDGE_BAND: f32 = 0.1;

pub(crate) fn to_ingested(doc: &PdfDoc) -> Ingested {
    let pages = u32::try_from(doc.pages.len()).unwrap_or(u32::MAX);
    let text_pages = doc.pages.iter().filter(|p| !p.lines.is_empty()).count();
    let mut warnings = doc.warnings.clone();
    // Pages whose content could not be decoded at all (broken structure).
    let unreadable: Vec<&String> = doc.warnings.iter().filter(|w| w.contains("content unreadable")).collect();
    if doc.pages.is_empty() || text_pages == 0 {
        // needs_ocr only when pages really are image-only (an image covers the
        // page, no text); otherwise the structure is broken or the file is blank.
        let image_pages = doc.pages.iter().filter(|p| p.image_only).count();
        let (status, reason) = if image_pages > 0 && unreadable.is_empty() {
            (Status::NeedsOcr, format!("needs OCR: the PDF has no text layer ({image_pages} of {pages} pages are scanned images)"))
        } else if !unreadable.is_empty() {
            let first: Vec<&str> = unreadable.iter().take(3).map(|w| w.as_str()).collect();
            (Status::Failed, format!("broken PDF structure: no page could be read ({})", first.join("; ")))
        } else {
            (Status::Failed, format!("no text found in {pages} page(s) and no scanned images (blank or broken PDF)"))
        };
        return Ingested {
            format: Format::Pdf,
            encoding: "pdf".into(),
            lines: vec![],
            pages: Some(pages),
            footnotes: vec![],
            grids: vec![],
            status,
            warnings: vec![reason],
            text_source: TextSource::TextLayer,
            ocr: None,
        };
    }
    let broken = !unreadable.is_empty();
    let image_pages: Vec<u32> = doc.pages.iter().filter(|p| p.image_only).map(|p| p.number).collect();
    if !image_pages.is_empty() {
        warnings.push(format!("pages without text (scanned, need OCR): {image_pages:?}"));
    }
    let furniture = repeated_edge_lines(doc);
    let (mut grids, table_lines) = find_tables_and_lines(doc);
    let mut lines = Vec::new();
    let mut footnotes = Vec::new();
    let mut n: u32 = 0;
    for page in &doc.pages {
        let body_size = body_font_size(page);
        let table_bands = ruled_bands(page);
        let mut in_note: Option<Footnote> = None;
        for l in &page.lines {
            n += 1;
            let text = normalize_text(&l.text);
            let edge = l.top < page.height * EDGE_BAND || l.bottom > page.height * (1.0 - EDGE_BAND);
            if edge && (furniture.contains_key(text.trim()) || is_page_number(&text)) {
                continue;
            }
            if table_lines.contains(&n) || table_bands.iter().any(|&(a, b)| l.top >= a - 1.0 && l.bottom <= b + 1.0) {
                continue;
            }
            let small = l.font_size < body_size - 1.0 && l.top > page.height * 0.5;
            if small {
                if let Some((marker, rest)) = footnote_start(&text) {
                    if let Some(done) = in_note.take() {
                        footnotes.push(done);
                    }
                    in_note = Some(Footnote { marker, text: rest, page: Some(page.number), line: n, anchor_line: None });
                    continue;
                }
                if let Some(note) = in_note.as_mut() {
                    note.text.push(' ');
                    note.text.push_str(text.trim());
                    continue;
                }
            }
            lines.push(SrcLine { text, line: n, page: Some(page.number), font_size: Some(l.font_size), x: Some(l.x0), y: Some(l.top) });
        }
        if let Some(done) = in_note.take() {
            footnotes.push(done);
        }
    }
    for g in &mut grids {
        if let Some(t) = g.title.take() {
            g.title = Some(normalize_text(&t));
        }
        for r in &mut g.rows {
            for c in &mut r.cells {
                *c = normalize_text(c);
            }
        }
        g.columns = g.columns.iter().map(|c| normalize_text(c)).collect();
    }
    let status = if broken {
        // Some pages read, some not: say so first.
        warnings.insert(0, format!("broken PDF structure: {} page(s) could not be read", unreadable.len()));
        Status::Partial
    } else {
        Status::Ok
    };
    Ingested {
        format: Format::Pdf,
        encoding: "pdf".into(),
        lines,
        pages: Some(pages),
        footnotes,
        grids,
        status,
        warnings,
        text_source: TextSource::TextLayer,
        ocr: None,
    }
}

fn footnote_start(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let rest = t[digits.len()..].trim_start();
    (!rest.is_empty()).then(|| (digits, rest.to_string()))
}

fn is_page_number(text: &str) -> bool {
    let t = text.trim().trim_matches('-').trim();
    !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
}

/// Lines that repeat near the top or bottom edge of at least half the pages.
fn repeated_edge_lines(doc: &PdfDoc) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in &doc.pages {
        for l in &p.lines {
            if l.top < p.height * EDGE_BAND || l.bottom > p.height * (1.0 - EDGE_BAND) {
                *counts.entry(normalize_text(l.text.trim())).or_default() += 1;
            }
        }
    }
    let min = ((doc.pages.len() as f32) * REPEAT_SHARE).ceil().max(2.0) as usize;
    counts.retain(|_, c| *c >= min);
    counts
}

/// Median font size of a page's lines, weighted by characters.
fn body_font_size(page: &PdfPage) -> f32 {
    let mut sizes: Vec<(f32, usize)> = page.lines.iter().map(|l| (l.font_size, l.text.chars().count())).collect();
    sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = sizes.iter().map(|s| s.1).sum();
    let mut acc = 0;
    for (s, n) in sizes {
        acc += n;
        if acc * 2 >= total {
            return s;
        }
    }
    0.0
}

/// Vertical extents of the ruled tables on a page: vertical rules whose
/// spans overlap form one band (two tables with a title between them are two
/// bands, and the title stays prose); a band needs two verticals and two
/// horizontals inside it.
fn ruled_bands(page: &PdfPage) -> Vec<(f32, f32)> {
    let mut v: Vec<(f32, f32)> = page.rules.iter().filter(|r| r.is_vertical()).map(|r| (r.y0, r.y1)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut bands: Vec<(f32, f32, usize)> = Vec::new();
    for (a, b) in v {
        match bands.last_mut() {
            Some(last) if a <= last.1 + 1.0 => {
                last.1 = last.1.max(b);
                last.2 += 1;
            }
            _ => bands.push((a, b, 1)),
        }
    }
    bands
        .into_iter()
        .filter(|&(top, bottom, verticals)| {
            let horizontals = page.rules.iter().filter(|r| r.is_horizontal() && r.y0 >= top - 1.0 && r.y0 <= bottom + 1.0).count();
            verticals >= 2 && horizontals >= 2 && bottom - top > 20.0
        })
        .map(|(top, bottom, _)| (top, bottom))
        .collect()
}
