//! Structure-tree tables → the shared page-table model: cells placed on a
//! grid (ColSpan/RowSpan honoured) and filled with the words whose
//! marked-content ids the cells own.

use rustc_hash::{FxHashMap, FxHashSet};

use lopdf::ObjectId;

use super::struct_tree::StructTable;
use super::table_model::{LocWord, PageTable, Span, TableRow};
use super::PdfPage;

/// Words of the document keyed by (page object, MCID), and page numbers.
pub struct MarkedWords {
    words: FxHashMap<(ObjectId, i64), Vec<LocWord>>,
    page_numbers: FxHashMap<ObjectId, u32>,
}

impl MarkedWords {
    /// Index the words of `pages` (their per-word MCIDs in `mcids`, page
    /// objects in `page_ids`); lines are numbered 1.. over the document.
    pub fn new(pages: &[PdfPage], mcids: &[Vec<Vec<Option<i64>>>], page_ids: &[ObjectId]) -> MarkedWords {
        let mut words: FxHashMap<(ObjectId, i64), Vec<LocWord>> = FxHashMap::default();
        let mut line_no = 0u32;
        for ((page, page_mcids), &pid) in pages.iter().zip(mcids).zip(page_ids) {
            for (line, line_mcids) in page.lines.iter().zip(page_mcids) {
                line_no += 1;
                for (w, mcid) in line.words.iter().zip(line_mcids) {
                    let Some(mcid) = mcid else { continue };
                    words.entry((pid, *mcid)).or_default().push(LocWord {
                        text: w.text.as_str().into(),
                        x0: w.x0,
                        x1: w.x1,
                        top: w.top,
                        bottom: w.bottom,
                        line: line_no,
                    });
                }
            }
        }
        let page_numbers = page_ids.iter().zip(pages).map(|(id, p)| (*id, p.number)).collect();
        MarkedWords { words, page_numbers }
    }
}

/// Convert one structure table; `None` when it holds no text.
pub(crate) fn page_table(t: &StructTable, index: &MarkedWords) -> Option<PageTable> {
    let ncols = column_count(t);
    if ncols == 0 {
        return None;
    }
    let mut rows: Vec<TableRow> = t.rows.iter().map(|_| empty_row(ncols)).collect();
    let mut occupied: FxHashSet<(usize, usize)> = FxHashSet::default();
    let mut first_page: Option<(u32, f32)> = None;
    for (r, cells) in t.rows.iter().enumerate() {
        let mut c = 0;
        for cell in cells {
            while occupied.contains(&(r, c)) {
                c += 1;
            }
            let c1 = (c + cell.col_span - 1).min(ncols - 1);
            if c >= ncols {
                break;
            }
            for rr in r..(r + cell.row_span).min(t.rows.len()) {
                for cc in c..=c1 {
                    occupied.insert((rr, cc));
                    if rr > r {
                        rows[rr].vmerged[cc] = true;
                    }
                }
            }
            let words: Vec<LocWord> = cell.content.iter().flat_map(|k| index.words.get(k).cloned().unwrap_or_default()).collect();
            let page = cell.content.first().and_then(|(pid, _)| index.page_numbers.get(pid).copied());
            if rows[r].page.is_none() {
                rows[r].page = page;
            }
            if let (Some(p), Some(top)) = (page, words.iter().map(|w| w.top).reduce(f32::min)) {
                if first_page.is_none_or(|(fp, ft)| p < fp || (p == fp && top < ft)) {
                    first_page = Some((p, top));
                }
            }
            rows[r].cells.retain(|s| s.c1 < c || s.c0 > c1);
            rows[r].cells.push(Span { c0: c, c1, words });
            c = c1 + 1;
        }
        rows[r].cells.sort_by_key(|s| s.c0);
    }
    let (page, top) = first_page?;
    let mut table = PageTable { page, top, bottom: top, col_edges: (0..=ncols).map(|c| c as f32).collect(), rows, header_rows: 0, ruled: false };
    let th_rows = t.rows.iter().take_while(|cells| !cells.is_empty() && cells.iter().all(|c| c.header)).count();
    table.header_rows = match th_rows.max(t.head_rows) {
        0 => table.detect_header(),
        n => n,
    };
    Some(table)
}

/// Width of the table in grid columns (col spans added, widest row).
fn column_count(t: &StructTable) -> usize {
    t.rows.iter().map(|cells| cells.iter().map(|c| c.col_span).sum::<usize>()).max().unwrap_or(0).min(1000)
}

/// A row of single-column empty cells.
fn empty_row(ncols: usize) -> TableRow {
    TableRow { cells: (0..ncols).map(|c| Span { c0: c, c1: c, words: Vec::new() }).collect(), vmerged: vec![false; ncols], page: None, note: None }
}
