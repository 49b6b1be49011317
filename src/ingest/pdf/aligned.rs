//! Tables without vertical rules ("stream" mode, as Camelot calls it):
//! columns only by alignment, used wherever no ruled table covers the words.
//!
//! What the code implements, on the page's visual rows (fragments sharing a
//! baseline, top to bottom; a fragment is a run of words the line builder
//! did not split at a wide gap):
//!
//! ```text
//! block        := row+            rows with ≥ 2 fragments, at most MAX_CONTINUATIONS
//!                                 one-fragment rows in a row between them, no gap
//!                                 wider than BLOCK_GAP_EM; ≥ MIN_ROWS rows with
//!                                 ≥ MIN_COLUMNS fragments
//! header       := the rows above the first data row
//! data row     := a value fragment ("33", "100%", "843/847") or a row key
//!                 ("1.", "2.1", "II") as its first word
//! column edges := white rivers: x ranges at least MIN_RIVER_EM wide that no
//!                 word of a data row touches (a header cell spanning two
//!                 columns does not close the river between them)
//! table row    := a visual row starts a new table row when it has a row key
//!                 in the first column, when it is further below the last one
//!                 than a wrapped line (line pitch), or when it writes into a
//!                 value cell the row already filled; otherwise it continues
//!                 the cells of the row above (wrapped text)
//! ```
//!
//! Header fragments become cells spanning the columns they cover, so that
//! "Kết quả thống kê" over "Đơn vị tính" + "Số liệu" flattens as with rules.

use rustc_hash::FxHashMap;

use super::table_model::{is_value, LocWord, PageTable, Span, TableRow};
use super::PdfLine;
use crate::util::row_key::cell_key;

/// Columns a table needs, and fragments a row needs to count as tabular.
const MIN_COLUMNS: usize = 3;
/// Rows with at least [`MIN_COLUMNS`] fragments a block needs.
const MIN_ROWS: usize = 3;
/// One-fragment rows (wrapped cell text) allowed in a row inside a block.
const MAX_CONTINUATIONS: usize = 6;
/// A vertical gap wider than this many font sizes ends a block.
const BLOCK_GAP_EM: f32 = 2.5;
/// Narrowest white river between two columns, in font sizes.
const MIN_RIVER_EM: f32 = 0.3;
/// A line further below the previous one than this times the block's
/// smallest line pitch starts a new table row.
const WRAP_PITCH: f32 = 1.25;

/// Aligned tables among the page's lines whose words are in `words`.
pub(crate) fn aligned_tables(page: u32, lines: &[PdfLine], first_line: u32, words: &[LocWord]) -> Vec<PageTable> {
    let mut by_line: FxHashMap<u32, Vec<LocWord>> = FxHashMap::default();
    for w in words {
        by_line.entry(w.line).or_default().push(w.clone());
    }
    let free: Vec<(u32, &PdfLine)> = lines.iter().enumerate().map(|(i, l)| (first_line + i as u32, l)).filter(|(n, _)| by_line.contains_key(n)).collect();
    let rows: Vec<VRow> = visual_rows(&free).into_iter().map(|frags| VRow::new(frags, &by_line)).collect();
    blocks(&rows).into_iter().filter_map(|range| build(page, &rows[range], &by_line)).collect()
}

/// A visual row: the fragments sharing a baseline band, and their words.
struct VRow<'a> {
    frags: Vec<(u32, &'a PdfLine)>,
    /// The fragments' words, left to right.
    words: Vec<LocWord>,
    top: f32,
    bottom: f32,
    size: f32,
}

impl<'a> VRow<'a> {
    fn new(frags: Vec<(u32, &'a PdfLine)>, by_line: &FxHashMap<u32, Vec<LocWord>>) -> Self {
        let mut words: Vec<LocWord> = frags.iter().flat_map(|(n, _)| by_line.get(n).into_iter().flatten().cloned()).collect();
        words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let top = frags.iter().map(|(_, l)| l.top).fold(f32::INFINITY, f32::min);
        let bottom = frags.iter().map(|(_, l)| l.bottom).fold(f32::NEG_INFINITY, f32::max);
        let size = frags.iter().map(|(_, l)| l.font_size).fold(0.0, f32::max);
        VRow { frags, words, top, bottom, size }
    }

    /// A value fragment, or a row key as the first word.
    fn is_data(&self) -> bool {
        self.frags.iter().any(|(_, l)| is_value(&l.text)) || self.words.first().is_some_and(|w| cell_key(&w.text).is_some())
    }
}

fn visual_rows<'a>(lines: &[(u32, &'a PdfLine)]) -> Vec<Vec<(u32, &'a PdfLine)>> {
    let mut lines = lines.to_vec();
    lines.sort_by(|a, b| a.1.bottom.total_cmp(&b.1.bottom).then(a.1.x0.total_cmp(&b.1.x0)));
    let mut rows: Vec<Vec<(u32, &'a PdfLine)>> = Vec::new();
    for (n, l) in lines {
        let same = rows.last().and_then(|r| r.first()).is_some_and(|(_, f)| (f.bottom - l.bottom).abs() <= 0.35 * f.font_size.max(l.font_size));
        match rows.last_mut() {
            Some(r) if same => r.push((n, l)),
            _ => rows.push(vec![(n, l)]),
        }
    }
    rows
}

/// Ranges of rows forming candidate blocks (see the module grammar).
fn blocks(rows: &[VRow]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_tabular = 0;
    let mut pending = 0;
    let close = |start: usize, mut end: usize, out: &mut Vec<std::ops::Range<usize>>| {
        if rows[start..end].iter().filter(|r| r.frags.len() >= MIN_COLUMNS).count() < MIN_ROWS {
            return;
        }
        // Wrapped lines of the last row: as close below as lines inside the
        // block are, and not starting at the block's left edge (prose does).
        let gap = rows[start..end].windows(2).map(|w| w[1].top - w[0].bottom).fold(f32::INFINITY, f32::min).max(0.0);
        let left = rows[start..end].iter().flat_map(|r| &r.words).map(|w| w.x0).fold(f32::INFINITY, f32::min);
        while end < rows.len()
            && rows[end].frags.len() == 1
            && rows[end].top - rows[end - 1].bottom <= 1.5 * gap + 0.5
            && rows[end].words.first().is_some_and(|w| w.x0 > left + 2.0)
        {
            end += 1;
        }
        out.push(start..end);
    };
    for (i, r) in rows.iter().enumerate() {
        let far = i > 0 && r.top - rows[i - 1].bottom > BLOCK_GAP_EM * r.size.max(rows[i - 1].size);
        if far {
            if let Some(s) = start.take() {
                close(s, last_tabular + 1, &mut out);
            }
            pending = 0;
        }
        if r.frags.len() >= 2 {
            start.get_or_insert(i);
            last_tabular = i;
            pending = 0;
        } else if start.is_some() && pending < MAX_CONTINUATIONS {
            pending += 1;
        } else {
            if let Some(s) = start.take() {
                close(s, last_tabular + 1, &mut out);
            }
            pending = 0;
        }
    }
    if let Some(s) = start {
        close(s, last_tabular + 1, &mut out);
    }
    out
}

/// Column edges: the block's left and right edges and, in every white river
/// of the data rows' words, the middle of its part no header word covers
/// (a header cell wider than its column's data stays in its column), or the
/// river's middle when a header cell spans it.
fn column_edges(data: &[&VRow], header: &[&LocWord], x0: f32, x1: f32, min_river: f32) -> Vec<f32> {
    const BIN: f32 = 0.5;
    let bins = (((x1 - x0) / BIN).ceil().max(1.0) as usize).min(8_000);
    let mut covered = vec![false; bins];
    for w in data.iter().flat_map(|r| &r.words) {
        let a = (((w.x0 - x0) / BIN).floor().max(0.0) as usize).min(bins - 1);
        let b = (((w.x1 - x0) / BIN).ceil().max(0.0) as usize).min(bins);
        for c in covered.iter_mut().take(b).skip(a) {
            *c = true;
        }
    }
    let mut edges = vec![x0];
    let mut i = 0;
    while i < bins {
        if covered[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < bins && !covered[i] {
            i += 1;
        }
        let inner = start > 0 && i < bins;
        if inner && (i - start) as f32 * BIN >= min_river {
            let (a, b) = (x0 + start as f32 * BIN, x0 + i as f32 * BIN);
            edges.push(free_middle(a, b, header));
        }
    }
    edges.push(x1);
    edges
}

/// The middle of the widest part of [a, b] no header word covers; the
/// middle of [a, b] when they cover all of it.
fn free_middle(a: f32, b: f32, header: &[&LocWord]) -> f32 {
    let mut cuts: Vec<(f32, f32)> = header.iter().filter(|w| w.x1 > a && w.x0 < b).map(|w| (w.x0.max(a), w.x1.min(b))).collect();
    cuts.sort_by(|p, q| p.0.total_cmp(&q.0));
    let mut best: Option<(f32, f32)> = None;
    let mut at = a;
    for (c0, c1) in cuts.iter().copied().chain(std::iter::once((b, b))) {
        if c0 > at && best.is_none_or(|(p, q)| c0 - at > q - p) {
            best = Some((at, c0));
        }
        at = at.max(c1);
    }
    best.map_or((a + b) / 2.0, |(p, q)| (p + q) / 2.0)
}

fn column_of(edges: &[f32], x: f32) -> usize {
    let n = edges.len().saturating_sub(1);
    (1..n).take_while(|&c| x >= edges[c]).last().unwrap_or(0)
}

/// Cells of a header row: each fragment spans the columns it covers.
fn header_spans(r: &VRow, edges: &[f32], by_line: &FxHashMap<u32, Vec<LocWord>>) -> Vec<Span> {
    let ncols = edges.len() - 1;
    let mut spans: Vec<Span> = Vec::new();
    for (n, l) in &r.frags {
        let (c0, c1) = (column_of(edges, l.x0 + 1.0), column_of(edges, l.x1 - 1.0).max(column_of(edges, l.x0 + 1.0)));
        let words = by_line.get(n).cloned().unwrap_or_default();
        match spans.iter_mut().find(|s| s.c0 <= c1 && c0 <= s.c1) {
            Some(s) => {
                s.c0 = s.c0.min(c0);
                s.c1 = s.c1.max(c1);
                s.words.extend(words);
            }
            None => spans.push(Span { c0, c1, words }),
        }
    }
    for c in 0..ncols {
        if !spans.iter().any(|s| s.c0 <= c && c <= s.c1) {
            spans.push(Span { c0: c, c1: c, words: Vec::new() });
        }
    }
    spans.sort_by_key(|s| s.c0);
    spans
}

/// Words of a data row per column (by their centres).
fn data_cells(r: &VRow, edges: &[f32]) -> Vec<Vec<LocWord>> {
    let mut cells = vec![Vec::new(); edges.len() - 1];
    for w in &r.words {
        cells[column_of(edges, (w.x0 + w.x1) / 2.0)].push(w.clone());
    }
    cells
}

fn cell_text(words: &[LocWord]) -> String {
    Span { c0: 0, c1: 0, words: words.to_vec() }.text()
}

/// Whether the visual row with `cells` starts a new table row below `row`.
fn starts_row(row: &TableRow, cells: &[Vec<LocWord>], loose: bool) -> bool {
    if loose {
        return true;
    }
    let key = !cells[0].is_empty() && cell_key(&cell_text(&cells[0])).is_some();
    if key {
        return true;
    }
    cells.iter().enumerate().filter(|(_, ws)| !ws.is_empty()).any(|(c, _)| {
        let have = row.cells.iter().find(|s| s.c0 <= c && c <= s.c1).map(Span::text).unwrap_or_default();
        is_value(&have)
    })
}

/// A table from a block of visual rows; `by_line` holds the words of each
/// fragment (line number → words).
fn build(page: u32, rows: &[VRow], by_line: &FxHashMap<u32, Vec<LocWord>>) -> Option<PageTable> {
    let size = rows.iter().map(|r| r.size).fold(0.0, f32::max).max(4.0);
    // The smallest pitch between baselines is the wrapped-line pitch.
    let min_pitch = rows.windows(2).map(|w| w[1].bottom - w[0].bottom).filter(|p| *p > 0.5 * size).fold(f32::INFINITY, f32::min);
    let loose = |i: usize| i == 0 || rows[i].bottom - rows[i - 1].bottom > WRAP_PITCH * min_pitch;
    // The header ends at the first data row, or at a one-fragment row that
    // is not a wrapped header line (the end of a row continued from the
    // page before, below a repeated header).
    let first_data = rows.iter().enumerate().position(|(i, r)| r.is_data() || (i > 0 && r.frags.len() == 1 && loose(i)))?;
    let data: Vec<&VRow> = rows[first_data..].iter().filter(|r| r.frags.len() >= 2).collect();
    let x0 = rows.iter().flat_map(|r| &r.words).map(|w| w.x0).fold(f32::INFINITY, f32::min);
    let x1 = rows.iter().flat_map(|r| &r.words).map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max);
    if !(x0.is_finite() && x1.is_finite() && x1 > x0) {
        return None;
    }
    let header: Vec<&LocWord> = rows[..first_data].iter().flat_map(|r| &r.words).collect();
    let edges = column_edges(&data, &header, x0 - 0.5, x1 + 0.5, MIN_RIVER_EM * size);
    let ncols = edges.len() - 1;
    if ncols < MIN_COLUMNS {
        return None;
    }
    let mut out: Vec<TableRow> = Vec::new();
    let mut header_rows = 0;
    for (i, r) in rows.iter().enumerate() {
        let loose = i == first_data || loose(i);
        if i < first_data {
            let spans = header_spans(r, &edges, by_line);
            match out.last_mut() {
                Some(last) if !loose => {
                    for s in spans {
                        last.absorb(TableRow { cells: vec![s], ..TableRow::default() });
                    }
                }
                _ => {
                    out.push(TableRow { cells: spans, vmerged: vec![false; ncols], page: Some(page), note: None });
                    header_rows += 1;
                }
            }
            continue;
        }
        let cells = data_cells(r, &edges);
        match out.last_mut() {
            Some(last) if i > first_data && !starts_row(last, &cells, loose) => {
                for (c, ws) in cells.into_iter().enumerate() {
                    if let Some(s) = last.cells.iter_mut().find(|s| s.c0 <= c && c <= s.c1) {
                        s.words.extend(ws);
                    }
                }
            }
            _ => out.push(TableRow {
                cells: cells.into_iter().enumerate().map(|(c, words)| Span { c0: c, c1: c, words }).collect(),
                vmerged: vec![false; ncols],
                page: Some(page),
                note: None,
            }),
        }
    }
    Some(PageTable {
        page,
        top: rows.iter().map(|r| r.top).fold(f32::INFINITY, f32::min),
        bottom: rows.iter().map(|r| r.bottom).fold(f32::NEG_INFINITY, f32::max),
        col_edges: edges,
        rows: out,
        header_rows,
        ruled: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::pdf::PdfWord;

    fn frag(text: &str, x0: f32, top: f32) -> PdfLine {
        let w = PdfWord { text: text.into(), x0, x1: x0 + 20.0, top, bottom: top + 10.0, font_size: 10.0 };
        PdfLine { text: text.into(), x0, x1: x0 + 20.0, top, bottom: top + 10.0, font_size: 10.0, words: vec![w] }
    }

    /// One fragment per (text, x, top); words split at spaces, 5 pt a char.
    fn page(rows: &[&[(&str, f32)]], pitches: &[f32]) -> (Vec<PdfLine>, Vec<LocWord>) {
        let mut lines = Vec::new();
        let mut top = 100.0;
        for (r, frags) in rows.iter().enumerate() {
            for (text, x0) in frags.iter() {
                let mut x = *x0;
                let mut words = Vec::new();
                for w in text.split(' ') {
                    let x1 = x + 5.0 * w.chars().count() as f32;
                    words.push(PdfWord { text: w.into(), x0: x, x1, top, bottom: top + 9.0, font_size: 9.0 });
                    x = x1 + 2.5;
                }
                let x1 = words.last().map_or(*x0, |w| w.x1);
                lines.push(PdfLine { text: text.to_string(), x0: *x0, x1, top, bottom: top + 9.0, font_size: 9.0, words });
            }
            top += pitches.get(r).copied().unwrap_or(17.0);
        }
        let words = lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                l.words.iter().map(move |w| LocWord { text: w.text.as_str().into(), x0: w.x0, x1: w.x1, top: w.top, bottom: w.bottom, line: 1 + i as u32 })
            })
            .collect();
        (lines, words)
    }

    #[test]
    fn stream_table_with_spanning_header_and_wrapped_cells() {
        // The 001 appendix without rules: "Kết quả thống kê" spans the unit and
        // value columns; a label wraps (11 pt pitch) under its row (17 pt).
        let rows: &[&[(&str, f32)]] = &[
            &[("Stt", 60.0), ("Chỉ tiêu thống kê", 95.0), ("Kết quả thống kê", 330.0), ("Ghi chú", 470.0)],
            &[("(Sử dụng trong kỳ báo cáo hàng quý)", 95.0), ("Đơn vị tính", 330.0), ("Số liệu", 400.0)],
            &[("1.1.", 60.0), ("Kế hoạch CCHC", 95.0), ("1", 400.0), ("Kế hoạch số", 470.0)],
            &[("02/KH-UBND", 470.0)],
            &[("Số nhiệm vụ đề ra trong kế hoạch", 95.0), ("Nhiệm vụ", 330.0), ("33", 400.0)],
            &[("Tỷ lệ quy trình nội bộ giải quyết", 95.0), ("%", 330.0), ("100", 400.0)],
            &[("TTHC đã được điện tử hóa", 95.0)],
        ];
        let (lines, words) = page(rows, &[17.0, 17.0, 11.0, 17.0, 17.0, 11.0]);
        let t = aligned_tables(1, &lines, 1, &words);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!(t.header_rows, 2);
        assert_eq!(t.column_names(), vec!["Stt", "Chỉ tiêu thống kê (Sử dụng trong kỳ báo cáo hàng quý)", "Đơn vị tính", "Số liệu", "Ghi chú"]);
        let data: Vec<Vec<String>> = t.data_rows().map(|r| r.texts(5)).collect();
        assert_eq!(data[0], vec!["1.1.", "Kế hoạch CCHC", "", "1", "Kế hoạch số 02/KH-UBND"]);
        assert_eq!(data[1], vec!["", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "33", ""]);
        assert_eq!(data[2], vec!["", "Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa", "%", "100", ""]);
        assert_eq!(data.len(), 3);
    }

    #[test]
    fn prose_is_no_table() {
        let rows: &[&[(&str, f32)]] = &[
            &[("Thực hiện theo quy định về báo cáo định kỳ công tác cải cách hành chính", 60.0)],
            &[("UBND phường báo cáo kết quả thực hiện công tác cải cách hành chính", 60.0)],
            &[("ỦY BAN NHÂN DÂN", 60.0), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300.0)],
            &[("PHƯỜNG TRƯƠNG QUANG TRỌNG", 60.0), ("Độc lập – Tự do – Hạnh phúc", 300.0)],
        ];
        let (lines, words) = page(rows, &[]);
        assert!(aligned_tables(1, &lines, 1, &words).is_empty());
    }

    #[test]
    fn three_aligned_columns() {
        let mut lines = Vec::new();
        for (r, cells) in [["STT", "Tên", "Số"], ["1", "a", "10"], ["2", "b", "20"], ["3", "c", "30"]].iter().enumerate() {
            for (c, t) in cells.iter().enumerate() {
                lines.push(frag(t, 10.0 + 100.0 * c as f32, 100.0 + 15.0 * r as f32));
            }
        }
        let words: Vec<LocWord> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| LocWord { text: l.text.as_str().into(), x0: l.x0, x1: l.x1, top: l.top, bottom: l.bottom, line: 1 + i as u32 })
            .collect();
        let t = aligned_tables(1, &lines, 1, &words);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header_rows, 1);
        assert_eq!(t[0].column_names(), vec!["STT", "Tên", "Số"]);
        assert_eq!(t[0].data_rows().count(), 3);
    }
}
