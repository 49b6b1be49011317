//! Tables of a read document: ruled tables first, word alignment on the rest
//! of each page, then titles and stitching of tables that continue on the
//! next page, and conversion to [`Grid`]s.

use std::collections::HashSet;

use super::aligned::aligned_tables;
use super::ruling::ruled_tables;
use super::table_model::{LocWord, PageTable, TableRow};
use super::{PdfDoc, PdfLine, PdfPage};
use crate::model::{Grid, GridRow};

/// Column boundaries of a continuation may move this much (pt).
const EDGE_TOLERANCE: f32 = 4.0;
/// Title lines are searched this far above a table (pt).
const TITLE_REACH: f32 = 90.0;
/// At most this many title lines.
const TITLE_LINES: usize = 6;

/// A table with its document position and title, while stitching.
struct Found {
    table: PageTable,
    title: Option<String>,
    /// First and last on its page.
    first_on_page: bool,
    last_on_page: bool,
}

/// Find the tables of a document: ruling lines when present, x-alignment of
/// words otherwise; tables continuing on the next page are stitched into one
/// grid (same columns, repeated header dropped, STT continuity).
///
/// Geometry decides: the structure tree of a tagged PDF is used only when
/// no page has a ruled table, because producers tag differently (browsers
/// leave empty cells out of the tree, which would shift a row left).
pub fn find_tables(doc: &PdfDoc) -> Vec<Grid> {
    find_tables_and_lines(doc).0
}

/// [`find_tables`], and the document line numbers whose words the tables
/// took (those lines are not prose).
pub fn find_tables_and_lines(doc: &PdfDoc) -> (Vec<Grid>, HashSet<u32>) {
    let mut found = Vec::new();
    let mut first_line = 1u32;
    let mut ruled = false;
    for page in &doc.pages {
        let tables = page_tables(page, first_line);
        ruled |= tables.iter().any(|f| f.table.ruled);
        found.extend(tables);
        first_line += page.lines.len() as u32;
    }
    let taken: HashSet<u32> = found.iter().flat_map(|f| &f.table.rows).flat_map(|r| &r.cells).flat_map(|c| &c.words).map(|w| w.line).collect();
    if !ruled && !doc.tagged_tables.is_empty() {
        return (doc.tagged_tables.clone(), taken);
    }
    (stitch(found).into_iter().filter_map(to_grid).collect(), taken)
}

/// Grids of structure-tree tables, titled from the lines above them.
pub(super) fn tagged_grids(doc: &PdfDoc, tables: Vec<PageTable>) -> Vec<Grid> {
    tables
        .into_iter()
        .filter_map(|t| {
            let lines = doc.pages.iter().find(|p| p.number == t.page).map_or(&[][..], |p| &p.lines[..]);
            let title = title_above(lines, &t);
            to_grid(Found { table: t, title, first_on_page: true, last_on_page: true })
        })
        .collect()
}

/// Tables of one page; `first_line` is the number of its first line.
fn page_tables(page: &PdfPage, first_line: u32) -> Vec<Found> {
    let words = located_words(&page.lines, first_line);
    let mut tables = ruled_tables(page.number, &page.rules, &words);
    if std::env::var("CCHC_DEBUG_T").is_ok() {
        for t in &tables {
            eprintln!("p{} ruled top {} edges {:?} header {}", t.page, t.top, t.col_edges, t.header_rows);
            for r in &t.rows {
                eprintln!("   {:?}", r.cells.iter().map(|c| (c.c0, c.c1, c.text())).collect::<Vec<_>>());
            }
        }
    }
    let rest: Vec<LocWord> = words.into_iter().filter(|w| !tables.iter().any(|t| inside(t, w))).collect();
    tables.extend(aligned_tables(page.number, &page.lines, first_line, &rest));
    tables.sort_by(|a, b| a.top.total_cmp(&b.top));
    let n = tables.len();
    tables
        .into_iter()
        .enumerate()
        .map(|(i, t)| Found { title: title_above(&page.lines, &t), table: t, first_on_page: i == 0, last_on_page: i + 1 == n })
        .collect()
}

fn located_words(lines: &[PdfLine], first_line: u32) -> Vec<LocWord> {
    lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            l.words.iter().map(move |w| LocWord { text: w.text.as_str().into(), x0: w.x0, x1: w.x1, top: w.top, bottom: w.bottom, line: first_line + i as u32 })
        })
        .collect()
}

fn inside(t: &PageTable, w: &LocWord) -> bool {
    let (cx, cy) = ((w.x0 + w.x1) / 2.0, (w.top + w.bottom) / 2.0);
    let (x0, x1) = (t.col_edges.first().copied().unwrap_or(0.0), t.col_edges.last().copied().unwrap_or(0.0));
    cy >= t.top && cy <= t.bottom && cx >= x0 && cx <= x1
}

/// The block of lines right above a table ("Phụ lục I" + its title);
/// "Phụ lục …" becomes "Phụ lục I — rest".
fn title_above(lines: &[PdfLine], t: &PageTable) -> Option<String> {
    let mut block: Vec<&PdfLine> = Vec::new();
    let mut edge = t.top;
    for l in lines.iter().rev().filter(|l| l.bottom <= t.top + 1.0) {
        let gap_limit = if block.is_empty() { TITLE_REACH } else { 1.2 * l.font_size.max(6.0) };
        if edge - l.bottom > gap_limit || block.len() >= TITLE_LINES {
            break;
        }
        block.push(l);
        edge = l.top;
    }
    block.reverse();
    let texts: Vec<&str> = block.iter().map(|l| l.text.trim()).filter(|s| !s.is_empty()).collect();
    let start = texts.iter().position(|s| s.to_lowercase().starts_with("phụ lục")).unwrap_or(0);
    let texts = &texts[start..];
    match texts {
        [] => None,
        [first, rest @ ..] if first.to_lowercase().starts_with("phụ lục") && !rest.is_empty() => Some(format!("{first} — {}", rest.join(" "))),
        _ => Some(texts.join(" ")),
    }
}

/// Merge each table into the previous one when it continues it.
fn stitch(found: Vec<Found>) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for f in found {
        match out.last_mut().and_then(|prev| continues(prev, &f).map(|h| (prev, h))) {
            Some((prev, header)) => append(prev, f, header),
            None => out.push(f),
        }
    }
    out
}

/// Whether `next` (first on its page) continues `prev` (last on the page
/// before), and how many of its top rows are a repeated header to drop.
/// A producer that does not repeat the header leaves a data row on top,
/// which may look like a header (no STT, text only): the STT sequence
/// going on below it decides.
fn continues(prev: &Found, next: &Found) -> Option<usize> {
    let (a, b) = (&prev.table, &next.table);
    if !(prev.last_on_page && next.first_on_page && b.page == a.page + 1 && a.columns() == b.columns()) {
        return None;
    }
    if next.title.as_deref().is_some_and(is_table_title) {
        return None;
    }
    let same_edges = a.col_edges.iter().zip(&b.col_edges).all(|(x, y)| (x - y).abs() <= EDGE_TOLERANCE);
    // Compared loosely: an OCRed page repeats the header with other slips.
    let repeated_header = b.header_rows > 0 && {
        let (na, nb) = (a.column_names(), b.column_names());
        na.len() == nb.len() && na.iter().zip(&nb).all(|(x, y)| x == y || crate::util::nearly_same(x, y))
    };
    match (same_edges, b.header_rows == 0) {
        (true, true) => Some(0),
        (true, false) if repeated_header => Some(b.header_rows),
        (true, false) => stt_continues(a, b, 0).then_some(0),
        (false, true) => stt_continues(a, b, 0).then_some(0),
        (false, false) => (repeated_header && stt_continues(a, b, b.header_rows)).then_some(b.header_rows),
    }
}

/// The first STT of `b` below its first `skip` rows follows the last STT of
/// `a` ("3.2" → "3.3", "4", "3.2.1").
fn stt_continues(a: &PageTable, b: &PageTable, skip: usize) -> bool {
    let last = a.data_rows().filter_map(|r| stt_of(&r.texts(a.columns())[0])).last();
    let first = b.rows.iter().skip(skip).filter(|r| !r.is_empty()).find_map(|r| stt_of(&r.texts(b.columns())[0]));
    match (last, first) {
        (Some(l), Some(f)) => f > l,
        _ => false,
    }
}

/// A title that starts a new table ("Phụ lục II …", "Biểu 1", or a line in
/// capitals), as opposed to a running page header.
fn is_table_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    crate::vocab::vocab().figures.table_title_words.iter().any(|p| lower.starts_with(&p.to_lowercase())) || crate::util::mostly_caps(title, 10, 0.6)
}

/// Whether `next` (first row on a page) is the rest of `last` (the row at the
/// bottom of the page before): no STT, text only in columns `last` uses, and
/// it starts in lower case or `last` ends open (",", "-", "và", "của", …).
fn is_split_row(last: &TableRow, next: &TableRow, ncols: usize) -> bool {
    let (a, b) = (last.texts(ncols), next.texts(ncols));
    if b.first().is_none_or(|s| !s.is_empty()) {
        return false;
    }
    let filled: Vec<usize> = (0..ncols).filter(|&c| !b[c].is_empty()).collect();
    if filled.is_empty() || filled.iter().any(|&c| a[c].is_empty()) {
        return false;
    }
    filled.iter().all(|&c| {
        let starts_lower = b[c].chars().next().is_some_and(char::is_lowercase);
        let last_word = a[c].split_whitespace().last().unwrap_or("");
        let open =
            a[c].ends_with([',', '-', '/', '(']) || crate::vocab::vocab().figures.open_endings.iter().any(|w| w.to_lowercase() == last_word.to_lowercase());
        starts_lower || open
    })
}

/// "3.2." → [3, 2].
fn stt_of(text: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = text.trim().trim_end_matches('.').split('.').map(|p| p.trim().parse().ok()).collect();
    parts.filter(|p| !p.is_empty())
}

fn append(prev: &mut Found, next: Found, header: usize) {
    let mut t = next.table;
    let header = header.min(t.rows.len());
    let mut rows: Vec<TableRow> = t.rows.drain(header..).filter(|r| !r.is_empty()).collect();
    if let (Some(last), Some(first)) = (prev.table.rows.last_mut(), rows.first()) {
        if is_split_row(last, first, t.col_edges.len().saturating_sub(1)) {
            let first = rows.remove(0);
            last.absorb(first);
            last.note = Some(crate::model::JOINED_ROW_NOTE.into());
        }
    }
    prev.table.rows.extend(rows);
    prev.table.page = t.page;
    prev.last_on_page = next.last_on_page;
    prev.table.bottom = t.bottom;
    if prev.title.is_none() {
        prev.title = next.title;
    }
}

fn to_grid(f: Found) -> Option<Grid> {
    let t = &f.table;
    let ncols = t.columns();
    let rows: Vec<GridRow> = t
        .data_rows()
        .map(|r| {
            let cells = r.texts(ncols);
            GridRow {
                raw: cells.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" "),
                cells,
                page: r.page,
                line: r.line().unwrap_or(0),
                warning: r.note.clone(),
            }
        })
        .collect();
    let first = rows.first()?;
    let line = t.rows.iter().take(t.header_rows).filter_map(|r| r.line()).min().unwrap_or(first.line);
    Some(Grid { title: f.title.clone(), page: t.rows.first().and_then(|r| r.page), line, columns: t.column_names(), rows, title_lines: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::pdf::table_model::Span;

    fn row(cells: &[&str], page: u32) -> TableRow {
        TableRow {
            cells: cells
                .iter()
                .enumerate()
                .map(|(c, t)| Span {
                    c0: c,
                    c1: c,
                    words: t.split_whitespace().map(|w| LocWord { text: w.into(), x0: 0.0, x1: 1.0, top: 0.0, bottom: 1.0, line: 1 }).collect(),
                })
                .collect(),
            vmerged: vec![false; cells.len()],
            page: Some(page),
            note: None,
        }
    }

    fn found(page: u32, rows: Vec<TableRow>, header_rows: usize) -> Found {
        let table = PageTable { page, top: 0.0, bottom: 100.0, col_edges: vec![0.0, 50.0, 300.0, 400.0], rows, header_rows, ruled: true };
        Found { table, title: None, first_on_page: true, last_on_page: true }
    }

    #[test]
    fn continuation_without_a_repeated_header() {
        let a = found(1, vec![row(&["STT", "Chỉ tiêu", "Năm 2021"], 1), row(&["4.5", "Hình thức khác", ""], 1)], 1);
        // The next page starts with a text row (no STT) that the header
        // detector took for a header; the STT sequence going on proves it
        // is data of the same table.
        let b = found(2, vec![row(&["", "Phát tờ rơi; tuyên truyền lưu động", ""], 2), row(&["5", "Số lượng mô hình", "1"], 2)], 1);
        assert_eq!(continues(&a, &b), Some(0));
        let out = stitch(vec![a, b]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].table.data_rows().count(), 3);
        // A new table (its own header, STT starting again) is not stitched.
        let a = found(1, vec![row(&["STT", "Chỉ tiêu", "Năm 2021"], 1), row(&["9.4", "Số nhiệm vụ", "0"], 1)], 1);
        let c = found(2, vec![row(&["STT", "Nội dung", "Số liệu"], 2), row(&["1", "Thống kê TTHC", "138"], 2)], 1);
        assert_eq!(continues(&a, &c), None);
    }
}
