//! Word tables → [`Grid`]s: merged cells expanded, header rows flattened into
//! column names, the title taken from the lines above.

use super::assemble::squash;
use super::document::{RawRow, RawTable};
use super::{MAX_COLS, MAX_HEADER_ROWS, TITLE_LINES, TITLE_MAX_CHARS};
use crate::model::{Grid, GridRow};
use crate::util::row_key::cell_key;
use crate::vn::normalize::normalize_text;

/// One grid column slot of a row: the text of the cell covering it, that
/// cell's width, whether it is the cell's first column, and whether the cell
/// continues a vertical merge.
#[derive(Clone, Default)]
struct Slot {
    text: String,
    width: usize,
    first: bool,
    vcont: bool,
}

fn expand(row: &RawRow, ncols: usize) -> Vec<Slot> {
    let mut slots = vec![Slot { width: 1, first: true, ..Default::default() }; row.before.min(ncols)];
    for c in &row.cells {
        let text = squash(&normalize_text(&c.paras.join(" ")));
        let text = if c.vcont { String::new() } else { text };
        for k in 0..c.span {
            if slots.len() >= ncols {
                break;
            }
            slots.push(Slot { text: text.clone(), width: c.span, first: k == 0, vcont: c.vcont });
        }
    }
    slots.resize(ncols, Slot { width: 1, first: true, ..Default::default() });
    slots
}

pub(super) fn build_grid(t: &RawTable, first_line: u32, row_lines: &[u32], title_lines: Vec<String>, paged: bool) -> Option<Grid> {
    let widest = t.rows.iter().map(|r| r.before + r.cells.iter().map(|c| c.span).sum::<usize>()).max().unwrap_or(0);
    let ncols = t.grid_cols.max(widest).min(MAX_COLS);
    if ncols == 0 {
        return None;
    }
    let rows: Vec<Vec<Slot>> = t.rows.iter().map(|r| expand(r, ncols)).collect();
    let keyed = rows.iter().position(|r| r.first().is_some_and(|s| cell_key(&s.text).is_some()));
    let header = match keyed {
        Some(k) if k <= MAX_HEADER_ROWS => k,
        _ if rows.len() > 1 => 1,
        _ => 0,
    };
    let mut columns: Vec<String> = (0..ncols)
        .map(|c| {
            let mut name = String::new();
            let mut width = usize::MAX;
            for r in &rows[..header] {
                let Some(s) = r.get(c) else { continue };
                if s.vcont || s.text.is_empty() {
                    continue;
                }
                // A lower, narrower cell names the column ("Số liệu" under
                // "Kết quả thống kê"); an equally wide one is a caption.
                if name.is_empty() || s.width < width {
                    name = s.text.clone();
                    width = s.width;
                }
            }
            name
        })
        .collect();
    make_unique(&mut columns);
    let page = |p: u32| paged.then_some(p);
    let grid_rows = t
        .rows
        .iter()
        .zip(&rows)
        .zip(row_lines)
        .skip(header)
        .filter_map(|((raw, slots), &line)| {
            let cells: Vec<String> = slots.iter().map(|s| if s.first { s.text.clone() } else { String::new() }).collect();
            if cells.iter().all(|c| c.is_empty()) {
                return None;
            }
            let raw_text = cells.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" ");
            Some(GridRow { cells, page: page(raw.page), line, raw: raw_text, warning: None })
        })
        .collect();
    Some(Grid { title: None, page: t.rows.first().and_then(|r| page(r.page)), line: first_line, columns, rows: grid_rows, title_lines })
}

/// Suffix repeated names with " (2)", " (3)", …
fn make_unique(names: &mut [String]) {
    for i in 1..names.len() {
        let count = names[..i].iter().filter(|n| **n == names[i]).count();
        if count > 0 && !names[i].is_empty() {
            names[i] = format!("{} ({})", names[i], count + 1);
        }
    }
}

fn mostly_upper(text: &str) -> bool {
    crate::util::mostly_caps(text, 6, 0.8)
}

fn is_title_prefix(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    crate::vocab::vocab().figures.table_title_words.iter().any(|p| lower.starts_with(&p.to_lowercase()))
}

/// Title from the lines right above a table: from the last "Phụ lục …" /
/// "Biểu …" line, else the run of upper-case lines just above.
pub(super) fn title_above(recent: &[String]) -> Option<Vec<String>> {
    let mut block: Vec<&str> = Vec::new();
    for text in recent.iter().rev() {
        let t = text.trim();
        if t.is_empty() {
            if block.is_empty() {
                continue;
            }
            break;
        }
        if t.chars().count() > TITLE_MAX_CHARS || block.len() >= TITLE_LINES {
            break;
        }
        block.push(t);
    }
    block.reverse();
    let chosen: Vec<&str> = match block.iter().rposition(|l| is_title_prefix(l)) {
        Some(i) => block[i..].to_vec(),
        None => {
            // Skip trailing "(Kèm theo …)" lines, then take the capitals above.
            let mut end = block.len();
            while end > 0 && block[end - 1].starts_with('(') {
                end -= 1;
            }
            let mut start = end;
            while start > 0 && mostly_upper(block[start - 1]) {
                start -= 1;
            }
            if start == end {
                return None;
            }
            block[start..end].to_vec()
        }
    };
    // The title lines as written; the tables stage composes the title
    // (`tables::compose_title`), so ingest does not depend on it.
    let lines: Vec<String> = chosen.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    (!lines.is_empty()).then_some(lines)
}
