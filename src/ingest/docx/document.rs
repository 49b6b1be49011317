//! `word/document.xml` → raw paragraphs and tables ([`Body`]).

use quick_xml::events::Event;
use quick_xml::Reader as XmlReader;

use super::xml::{attr, entity, next_kept, Walk};
use super::{DOCUMENT, MAX_BLOCKS, MAX_SPAN};
use crate::ingest::IngestError;

// ------------------------------------------------------------ raw model

#[derive(Debug, Default)]
pub(super) struct Seg {
    pub(super) text: String,
    /// Page at the first visible character (or at the end when empty).
    pub(super) page: Option<u32>,
    pub(super) refs: Vec<String>,
}

#[derive(Debug)]
pub(super) enum Block {
    Para(Vec<Seg>),
    Table(RawTable),
}

#[derive(Debug, Default)]
pub(super) struct RawTable {
    pub(super) grid_cols: usize,
    pub(super) rows: Vec<RawRow>,
}

#[derive(Debug, Default)]
pub(super) struct RawRow {
    pub(super) before: usize,
    pub(super) cells: Vec<RawCell>,
    pub(super) page: u32,
    pub(super) refs: Vec<String>,
}

#[derive(Debug)]
pub(super) struct RawCell {
    pub(super) paras: Vec<String>,
    pub(super) span: usize,
    /// `w:vMerge` without "restart": continues the cell above.
    pub(super) vcont: bool,
}

pub(super) struct Body {
    pub(super) blocks: Vec<Block>,
    /// Why the part could not be read to its end (XML error, cut file, caps).
    pub(super) truncated: Option<String>,
    /// Pages are known (page markers were seen).
    pub(super) paged: bool,
    pub(super) pages: u32,
}

/// Walks `word/document.xml` into paragraphs and tables.
pub(super) fn parse_document(xml: &str) -> Result<Body, IngestError> {
    // Word writes `lastRenderedPageBreak` at every page it rendered
    // (explicit breaks included); without them, count explicit breaks.
    let rendered = xml.contains("lastRenderedPageBreak");
    let mut reader = XmlReader::from_str(xml);
    let mut blocks = Vec::new();
    let mut page: u32 = 1;
    let mut paged = false;
    let mut walk = Walk::default();
    let mut truncated = None;
    let mut para_depth: u32 = 0;
    let mut run_depth: u32 = 0;
    let mut in_t = false;
    let mut segs: Vec<Seg> = Vec::new();
    let mut cur = Seg::default();
    let mut tbl_depth: u32 = 0;
    let mut table: Option<RawTable> = None;
    let mut row: Option<RawRow> = None;
    let mut cell: Option<RawCell> = None;

    fn push_text(cur: &mut Seg, text: &str, page: u32) {
        if cur.page.is_none() && !text.trim().is_empty() {
            cur.page = Some(page);
        }
        cur.text.push_str(text);
    }
    fn end_seg(cur: &mut Seg, segs: &mut Vec<Seg>, page: u32) {
        let mut s = std::mem::take(cur);
        s.page.get_or_insert(page);
        segs.push(s);
    }

    loop {
        let ev = match next_kept(&mut reader, DOCUMENT, &mut walk) {
            Ok(Some(ev)) => ev,
            Ok(None) => {
                if walk.depth > 0 {
                    truncated = Some(format!("XML ends inside {} open element(s) (file cut?)", walk.depth));
                }
                break;
            }
            Err(e) => {
                let m = e.to_string();
                truncated = Some(m.strip_prefix("DOCX: ").unwrap_or(&m).to_string());
                break;
            }
        };
        if blocks.len() >= MAX_BLOCKS {
            truncated = Some(format!("more than {MAX_BLOCKS} paragraphs and tables: the rest is not read"));
            break;
        }
        let start = matches!(ev, Event::Start(_));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name();
                let name = name.as_ref();
                match name {
                    "p" => {
                        if para_depth == 0 {
                            segs.clear();
                            cur = Seg::default();
                        } else {
                            // A paragraph inside a paragraph (text box).
                            push_text(&mut cur, " ", page);
                        }
                        if start {
                            para_depth += 1;
                        } else if para_depth == 0 {
                            end_seg(&mut cur, &mut segs, page);
                            finish_para(&mut segs, tbl_depth, &mut blocks, &mut row, &mut cell);
                        }
                    }
                    "r" if start => run_depth += 1,
                    "t" if start && run_depth > 0 => in_t = true,
                    "tab" if run_depth > 0 && para_depth > 0 => push_text(&mut cur, "\t", page),
                    "noBreakHyphen" if run_depth > 0 => push_text(&mut cur, "-", page),
                    "br" | "cr" if run_depth > 0 && para_depth > 0 => {
                        let kind = if name == "br" { attr(e, "type") } else { None };
                        match kind.as_deref() {
                            Some("page") => {
                                if !rendered {
                                    page = page.saturating_add(1);
                                    paged = true;
                                }
                            }
                            _ if tbl_depth > 0 => push_text(&mut cur, " ", page),
                            _ => end_seg(&mut cur, &mut segs, page),
                        }
                    }
                    "lastRenderedPageBreak" => {
                        page = page.saturating_add(1);
                        paged = true;
                    }
                    "footnoteReference" => {
                        if let Some(id) = attr(e, "id") {
                            cur.refs.push(id);
                        }
                    }
                    "tbl" if start => {
                        tbl_depth += 1;
                        if tbl_depth == 1 {
                            table = Some(RawTable::default());
                        }
                    }
                    "gridCol" if tbl_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            t.grid_cols += 1;
                        }
                    }
                    "tr" if start && tbl_depth == 1 => row = Some(RawRow { page, ..Default::default() }),
                    "gridBefore" if tbl_depth == 1 && cell.is_none() => {
                        if let (Some(r), Some(v)) = (row.as_mut(), attr(e, "val")) {
                            r.before = v.trim().parse::<usize>().unwrap_or(0).min(MAX_SPAN);
                        }
                    }
                    "tc" if tbl_depth == 1 => {
                        let c = RawCell { paras: Vec::new(), span: 1, vcont: false };
                        if start {
                            cell = Some(c);
                        } else if let Some(r) = row.as_mut() {
                            r.cells.push(c);
                        }
                    }
                    "gridSpan" if tbl_depth == 1 => {
                        if let (Some(c), Some(v)) = (cell.as_mut(), attr(e, "val")) {
                            c.span = v.trim().parse::<usize>().unwrap_or(1).clamp(1, MAX_SPAN);
                        }
                    }
                    "vMerge" if tbl_depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.vcont = attr(e, "val").is_none_or(|v| v != "restart");
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "p" if para_depth > 0 => {
                        para_depth -= 1;
                        if para_depth == 0 {
                            end_seg(&mut cur, &mut segs, page);
                            finish_para(&mut segs, tbl_depth, &mut blocks, &mut row, &mut cell);
                        }
                    }
                    "r" => run_depth = run_depth.saturating_sub(1),
                    "t" => in_t = false,
                    "tc" if tbl_depth == 1 => {
                        if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
                            r.cells.push(c);
                        }
                    }
                    "tr" if tbl_depth == 1 => {
                        if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                            t.rows.push(r);
                        }
                    }
                    "tbl" if tbl_depth > 0 => {
                        if tbl_depth == 1 {
                            if let Some(t) = table.take() {
                                blocks.push(Block::Table(t));
                            }
                            row = None;
                            cell = None;
                        }
                        tbl_depth -= 1;
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if in_t => push_text(&mut cur, &t.xml10_content(), page),
            Event::CData(ref t) if in_t => push_text(&mut cur, &t.xml10_content(), page),
            Event::GeneralRef(ref r) if in_t => {
                if let Some(s) = entity(&r.xml10_content()) {
                    push_text(&mut cur, &s, page);
                }
            }
            _ => {}
        }
    }
    // Unterminated input: keep what was read.
    if para_depth > 0 {
        end_seg(&mut cur, &mut segs, page);
        finish_para(&mut segs, tbl_depth, &mut blocks, &mut row, &mut cell);
    }
    if let Some(mut t) = table.take() {
        if let Some(mut r) = row.take() {
            if let Some(c) = cell.take() {
                r.cells.push(c);
            }
            t.rows.push(r);
        }
        blocks.push(Block::Table(t));
    }
    Ok(Body { blocks, truncated, paged, pages: page })
}

/// A finished paragraph goes to the body, or into the current table cell.
fn finish_para(segs: &mut Vec<Seg>, tbl_depth: u32, blocks: &mut Vec<Block>, row: &mut Option<RawRow>, cell: &mut Option<RawCell>) {
    let segs = std::mem::take(segs);
    if tbl_depth == 0 {
        blocks.push(Block::Para(segs));
        return;
    }
    let text = segs.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
    if let Some(r) = row.as_mut() {
        r.refs.extend(segs.into_iter().flat_map(|s| s.refs));
    }
    if let Some(c) = cell.as_mut() {
        c.paras.push(text);
    }
}
