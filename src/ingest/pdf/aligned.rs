//! Tables without rules: blocks of rows whose line fragments (text separated
//! by wide gaps) line up in at least three columns. Columns are the white
//! rivers of the block's x-projection.

use std::collections::HashMap;

use super::table_model::{LocWord, PageTable, Span, TableRow};
use super::PdfLine;

/// Fragments a row needs to count as tabular.
const MIN_CELLS: usize = 3;
/// Tabular rows a block needs.
const MIN_ROWS: usize = 3;
/// Non-tabular rows (wrapped cell text) allowed in a row inside a block.
const MAX_CONTINUATIONS: usize = 3;

/// Aligned tables among the page's lines whose words are in `words`.
pub(crate) fn aligned_tables(page: u32, lines: &[PdfLine], first_line: u32, words: &[LocWord]) -> Vec<PageTable> {
    let mut by_line: HashMap<u32, Vec<LocWord>> = HashMap::new();
    for w in words {
        by_line.entry(w.line).or_default().push(w.clone());
    }
    let free: Vec<(u32, &PdfLine)> = lines.iter().enumerate().map(|(i, l)| (first_line + i as u32, l)).filter(|(n, _)| by_line.contains_key(n)).collect();
    blocks(&visual_rows(&free)).into_iter().filter_map(|block| build(page, &block, &by_line)).collect()
}

/// A visual row: the fragments sharing a baseline band.
type Row<'a> = Vec<(u32, &'a PdfLine)>;

fn visual_rows<'a>(lines: &[(u32, &'a PdfLine)]) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = Vec::new();
    for &(n, l) in lines {
        let same = rows.last().and_then(|r| r.first()).is_some_and(|(_, f)| (f.bottom - l.bottom).abs() <= 0.35 * f.font_size.max(l.font_size));
        match rows.last_mut() {
            Some(r) if same => r.push((n, l)),
            _ => rows.push(vec![(n, l)]),
        }
    }
    rows
}

/// Runs of tabular rows, with a few continuation rows allowed between them.
fn blocks<'a>(rows: &[Row<'a>]) -> Vec<Vec<Row<'a>>> {
    let mut out = Vec::new();
    let mut cur: Vec<Row<'a>> = Vec::new();
    let mut pending: Vec<Row<'a>> = Vec::new();
    for row in rows {
        if row.len() >= MIN_CELLS {
            cur.append(&mut pending);
            cur.push(row.clone());
        } else if !cur.is_empty() && pending.len() < MAX_CONTINUATIONS {
            pending.push(row.clone());
        } else {
            flush(&mut cur, &mut out);
            pending.clear();
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn flush<'a>(cur: &mut Vec<Row<'a>>, out: &mut Vec<Vec<Row<'a>>>) {
    if cur.iter().filter(|r| r.len() >= MIN_CELLS).count() >= MIN_ROWS {
        out.push(std::mem::take(cur));
    }
    cur.clear();
}

/// Column edges from the gaps of the block's x-projection.
fn column_edges(block: &[Row]) -> Vec<f32> {
    let mut spans: Vec<(f32, f32)> = block.iter().flatten().map(|(_, l)| (l.x0, l.x1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match merged.last_mut() {
            Some(m) if a <= m.1 + 1.0 => m.1 = m.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let mut edges = vec![merged.first().map_or(0.0, |m| m.0)];
    edges.extend(merged.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0));
    edges.push(merged.last().map_or(0.0, |m| m.1));
    edges
}

fn build(page: u32, block: &[Row], by_line: &HashMap<u32, Vec<LocWord>>) -> Option<PageTable> {
    let edges = column_edges(block);
    let ncols = edges.len().checked_sub(1).filter(|n| *n >= MIN_CELLS)?;
    let mut rows: Vec<TableRow> = Vec::new();
    for row in block {
        if row.len() >= MIN_CELLS || rows.is_empty() {
            rows.push(TableRow {
                cells: (0..ncols).map(|c| Span { c0: c, c1: c, words: Vec::new() }).collect(),
                vmerged: vec![false; ncols],
                page: Some(page),
                note: None,
            });
        }
        let Some(target) = rows.last_mut() else { continue };
        for (n, l) in row {
            let cx = (l.x0 + l.x1) / 2.0;
            let c = (0..ncols).find(|&c| cx >= edges[c] && cx <= edges[c + 1]).unwrap_or(0);
            target.cells[c].words.extend(by_line.get(n).into_iter().flatten().cloned());
        }
    }
    let mut table = PageTable {
        page,
        top: block.iter().flatten().map(|(_, l)| l.top).fold(f32::INFINITY, f32::min),
        bottom: block.iter().flatten().map(|(_, l)| l.bottom).fold(f32::NEG_INFINITY, f32::max),
        col_edges: edges,
        rows,
        header_rows: 0,
        ruled: false,
    };
    table.header_rows = table.detect_header();
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::pdf::PdfWord;

    fn frag(text: &str, x0: f32, top: f32) -> PdfLine {
        let w = PdfWord { text: text.into(), x0, x1: x0 + 20.0, top, bottom: top + 10.0, font_size: 10.0 };
        PdfLine { text: text.into(), x0, x1: x0 + 20.0, top, bottom: top + 10.0, font_size: 10.0, words: vec![w] }
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
            .map(|(i, l)| LocWord { text: l.text.clone(), x0: l.x0, x1: l.x1, top: l.top, bottom: l.bottom, line: 1 + i as u32 })
            .collect();
        let t = aligned_tables(1, &lines, 1, &words);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header_rows, 1);
        assert_eq!(t[0].column_names(), vec!["STT", "Tên", "Số"]);
        assert_eq!(t[0].data_rows().count(), 3);
    }
}
