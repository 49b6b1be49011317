//! DOCX text exports: every table cell starts a line with a tab, a cell may
//! continue on lines without a tab, rows are separated by blank lines (and a
//! cell may itself contain blank lines). A table starts at a block whose
//! cells hold header words ("Stt", "Chỉ tiêu …"); it ends at the first
//! non-blank line without a tab after a blank line.

use super::vocab::{squash, vocab};
use super::{compose_title, is_blank, stt, Layout, Region};
use crate::model::{Grid, GridRow, SrcLine};

/// Cells of consecutive non-blank lines, `start..end` in `lines`.
#[derive(Debug)]
struct Block {
    cells: Vec<String>,
    start: usize,
    end: usize,
}

/// A line that starts a cell: optional spaces, then a tab.
fn is_cell_line(text: &str) -> bool {
    text.trim_start_matches(' ').starts_with('\t')
}

/// Read the block of non-blank lines starting at `start` (a cell line): a
/// cell per tab-separated piece of a cell line, the other lines continuing
/// the last cell (see [`push_cell_line`]).
fn block_at(lines: &[SrcLine], start: usize, limit: usize) -> Block {
    let mut cells: Vec<String> = Vec::new();
    let mut i = start;
    while i < limit && !is_blank(&lines[i].text) {
        let text = &lines[i].text;
        if is_cell_line(text) {
            cells.extend(text.trim_start_matches(' ').split('\t').skip(1).map(cell_of));
        } else if let Some(cell) = cells.last_mut() {
            push_cell_line(cell, text);
        } else {
            cells.push(cell_of(text));
        }
        i += 1;
    }
    Block { cells, start, end: i }
}

/// A cell's text from its first line.
fn cell_of(line: &str) -> String {
    let mut cell = String::new();
    push_cell_line(&mut cell, line);
    cell
}

/// Appends a line to a cell's text: the cell lines trimmed, empty ones
/// dropped, joined with "\n".
fn push_cell_line(cell: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    if !cell.is_empty() {
        cell.push('\n');
    }
    cell.push_str(line);
}

fn is_header_block(block: &Block) -> bool {
    let v = vocab();
    block.cells.iter().any(|c| v.is_stt_header(c)) && block.cells.iter().any(|c| v.is_label_header(c) || v.is_group_header(c))
}

/// The blocks of a table starting at `start`, and the end of the table.
fn table_blocks(lines: &[SrcLine], start: usize, limit: usize) -> (Vec<Block>, usize) {
    let mut blocks = vec![block_at(lines, start, limit)];
    loop {
        let after = blocks.last().map_or(start, |b| b.end);
        let next = (after..limit).find(|&i| !is_blank(&lines[i].text));
        match next {
            Some(i) if is_cell_line(&lines[i].text) => blocks.push(block_at(lines, i, limit)),
            _ => return (blocks, after),
        }
    }
}

/// Title block: the non-blank, non-cell lines right above the table (at most
/// a few, none long — a paragraph of prose is not a title).
fn title_above(lines: &[SrcLine], start: usize) -> Option<String> {
    const MAX_LINES: usize = 6;
    const MAX_CHARS: usize = 160;
    let mut block: Vec<&str> = Vec::new();
    let mut i = start;
    while i > 0 && block.len() < MAX_LINES {
        i -= 1;
        let text = lines[i].text.as_str();
        if is_blank(text) && block.is_empty() {
            continue;
        }
        if is_blank(text) || is_cell_line(text) || text.chars().count() > MAX_CHARS {
            break;
        }
        block.push(text);
    }
    block.reverse();
    compose_title(&block)
}

pub(super) fn find(lines: &[SrcLine]) -> Vec<Region> {
    let mut regions = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let starts_block = is_cell_line(&lines[i].text) && (i == 0 || !is_cell_line(&lines[i - 1].text) || is_blank(&lines[i - 1].text));
        if starts_block && is_header_block(&block_at(lines, i, lines.len())) {
            let (_, end) = table_blocks(lines, i, lines.len());
            regions.push(Region { start: i, end, layout: Layout::DocxTabs, title: title_above(lines, i) });
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    regions
}

/// Most frequent cell count among data blocks of two or more cells (ties:
/// the larger count).
fn column_count(blocks: &[Block], fallback: usize) -> usize {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for b in blocks.iter().filter(|b| b.cells.len() >= 2) {
        match counts.iter_mut().find(|(n, _)| *n == b.cells.len()) {
            Some((_, c)) => *c += 1,
            None => counts.push((b.cells.len(), 1)),
        }
    }
    counts.into_iter().max_by_key(|&(n, c)| (c, n)).map_or(fallback, |(n, _)| n)
}

/// Drop leading empty header cells while the row is wider than the table
/// (002 has an empty cell before "Stt").
fn trim_header(mut row: Vec<String>, ncols: usize) -> Vec<String> {
    while row.len() > ncols && row.first().is_some_and(|c| c.trim().is_empty()) {
        row.remove(0);
    }
    row
}

/// Flatten one or two header rows into `ncols` column names. With two rows,
/// the group cell of the first row ("Kết quả thống kê") spans the
/// sub-columns named in the second ("Đơn vị tính", "Số liệu").
fn columns(first: Vec<String>, second: Option<Vec<String>>, ncols: usize) -> Vec<String> {
    let v = vocab();
    let first = trim_header(first, ncols);
    let mut cols = match second.map(|s| trim_header(s, ncols)) {
        Some(second) if first.len() < ncols && second.len() == ncols => {
            let extra = ncols - first.len();
            let span = first
                .iter()
                .position(|c| v.is_group_header(c))
                .or_else(|| second.iter().position(|c| v.is_sub_header(c)))
                .unwrap_or(0)
                .min(first.len().saturating_sub(1));
            (0..ncols)
                .map(|j| {
                    if j < span {
                        first[j].clone()
                    } else if j <= span + extra {
                        let sub = &second[j];
                        if sub.trim().is_empty() {
                            first[span].clone()
                        } else {
                            sub.clone()
                        }
                    } else {
                        first[j - extra].clone()
                    }
                })
                .collect()
        }
        _ => first,
    };
    cols.resize(ncols, String::new());
    cols.iter().map(|c| squash(c)).collect()
}

pub(super) fn read(lines: &[SrcLine], start: usize, end: usize, title: Option<String>) -> Vec<Grid> {
    let v = vocab();
    let (mut blocks, _) = table_blocks(lines, start, end);
    if blocks.is_empty() {
        return Vec::new();
    }
    let header = blocks.remove(0);
    let second = match blocks.first() {
        Some(b) if b.cells.iter().any(|c| v.is_sub_header(c)) && b.cells.first().is_none_or(|c| stt::cell_key(c).is_none()) => Some(blocks.remove(0).cells),
        _ => None,
    };
    let ncols = column_count(&blocks, header.cells.len());
    let columns = columns(header.cells, second, ncols);

    // Merge blocks into rows: a block continues the current row when the
    // row is short of cells, the block fits, and it does not open with a key.
    let mut rows: Vec<(Vec<String>, usize, usize)> = Vec::new();
    for b in blocks {
        let continues =
            rows.last().is_some_and(|(cells, _, _)| cells.len() + b.cells.len() <= ncols && b.cells.first().is_none_or(|c| stt::cell_key(c).is_none()));
        match rows.last_mut() {
            Some((cells, _, row_end)) if continues => {
                cells.extend(b.cells);
                *row_end = b.end;
            }
            _ => rows.push((b.cells, b.start, b.end)),
        }
    }

    let grid_rows = rows
        .into_iter()
        .map(|(mut cells, row_start, row_end)| {
            let warning = (cells.len() > ncols).then(|| format!("row has {} cells but the header has {ncols}; extra cells joined into the last", cells.len()));
            if cells.len() > ncols && ncols > 0 {
                let extra = cells.split_off(ncols - 1).join("\n");
                cells.push(extra);
            }
            cells.resize(ncols, String::new());
            GridRow {
                cells,
                page: lines[row_start].page,
                line: lines[row_start].line,
                raw: lines[row_start..row_end].iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n"),
                warning,
            }
        })
        .collect();

    vec![Grid { title, page: lines[header.start].page, line: lines[header.start].line, columns, rows: grid_rows, title_lines: Vec::new() }]
}
