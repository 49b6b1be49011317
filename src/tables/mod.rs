//! Appendix and plan tables from text reports (tables.parquet).
//!
//! Three steps, each replaceable on its own:
//! 1. [`find_regions`] — where the tables are in the ingested lines, and in
//!    which layout ([`Layout::DocxTabs`]: one tab-led line per cell, as in
//!    DOCX text exports; [`Layout::PdfLinear`]: PDF text linearized one
//!    visual line at a time).
//! 2. [`read_region`] — a layout reader turns a region into [`Grid`]s
//!    (rows × column texts); a table continuing over a page break after a
//!    repeated header stays one grid.
//! 3. [`interpret`] — any grid (also from the native PDF geometry reader)
//!    becomes long-format [`Cell`]s: row keys and hierarchy, label, unit,
//!    coded options, column years, values through `parse::figures::parse_value`.
//!
//! All Vietnamese vocabulary lives in schemas/tables.toml.

mod docx_tabs;
mod interpret;
mod pdf_linear;
pub mod stt;
mod vocab;

pub use interpret::interpret;

use crate::model::{Grid, SrcLine};
use vocab::{fold, squash, vocab};

pub use crate::model::{Region, TableLayout as Layout};

/// Find table regions in the ingested lines (the layout stage removes them
/// from prose). Regions are sorted and never overlap.
pub fn find_regions(lines: &[SrcLine]) -> Vec<Region> {
    let mut regions = docx_tabs::find(lines);
    regions.extend(pdf_linear::find(lines, &regions));
    regions.sort_by_key(|r| r.start);
    let mut out: Vec<Region> = Vec::with_capacity(regions.len());
    for r in regions {
        if out.last().is_none_or(|prev| r.start >= prev.end) {
            out.push(r);
        }
    }
    out
}

/// Read one region into grids (one per table).
pub(crate) fn read_region(lines: &[SrcLine], region: &Region) -> Vec<Grid> {
    let end = region.end.min(lines.len());
    if region.start >= end {
        return Vec::new();
    }
    match region.layout {
        Layout::DocxTabs => docx_tabs::read(lines, region.start, end, region.title.clone()),
        Layout::PdfLinear => pdf_linear::read(lines, region.start, end, region.title.clone()),
    }
}

// ------------------------------------------------------------- titles

fn is_blank(text: &str) -> bool {
    text.trim().is_empty() && !text.contains('\t')
}

/// Repairs the misread row keys of an OCRed grid's STT column in place
/// ([`stt::repair_ocr_keys`]); returns (row index, text as read).
pub fn repair_ocr_keys(grid: &mut Grid) -> Vec<(usize, String)> {
    let v = vocab();
    let Some(col) = grid.columns.iter().position(|c| v.is_stt_header(c)) else { return Vec::new() };
    let texts: Vec<String> = grid.rows.iter().map(|r| r.cells.get(col).cloned().unwrap_or_default()).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (i, key) in stt::repair_ocr_keys(&refs) {
        if let Some(cell) = grid.rows.get_mut(i).and_then(|r| r.cells.get_mut(col)) {
            out.push((i, std::mem::replace(cell, key)));
        }
    }
    out
}

/// Build a table title from the lines of its title block:
/// ["Phụ lục I", "THỐNG KÊ CÁC CHỈ TIÊU …", "(Kèm theo …)"] →
/// "Phụ lục I — Thống kê các chỉ tiêu …". Parenthesised notes and anything
/// after them are dropped; all-caps text is put in sentence case; a leading
/// item number ("2. Danh mục …") is dropped.
pub(crate) fn compose_title(block: &[&str]) -> Option<String> {
    let stops = &vocab().titles.stop_prefixes;
    let kept: Vec<String> = block
        .iter()
        .map(|l| squash(l))
        .filter(|l| !l.is_empty())
        .take_while(|l| {
            let f = fold(l);
            !stops.iter().any(|s| f.starts_with(&fold(s)))
        })
        .collect();
    let (first, rest) = kept.split_first()?;
    let first = strip_item_number(first);
    let heading_like = first.split_whitespace().count() <= 3 && !rest.is_empty();
    if heading_like {
        Some(format!("{} — {}", sentence_case(first), sentence_case(&rest.join(" "))))
    } else {
        let all = std::iter::once(first).chain(rest.iter().map(String::as_str)).collect::<Vec<_>>();
        Some(sentence_case(&all.join(" ")))
    }
}

fn strip_item_number(line: &str) -> &str {
    match stt::line_key(line) {
        Some((_, rest)) if !rest.is_empty() => rest,
        _ => line,
    }
}

/// Sentence case for all-caps text; other text is returned as is.
fn sentence_case(text: &str) -> String {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let has_lower = letters.clone().any(|c| c.is_lowercase());
    if has_lower || letters.count() == 0 {
        return text.to_string();
    }
    let t = &vocab().titles;
    let mut prev = String::new();
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            let keep = t.acronyms.iter().any(|a| a == bare)
                || (stt::cell_key(bare).is_some_and(|k| matches!(k.kind, stt::KeyKind::Roman(_))) && t.roman_after.iter().any(|r| fold(r) == prev));
            prev = fold(bare);
            if keep {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

#[cfg(test)]
mod tests;
