//! Raw body + footnotes → [`Ingested`]: line numbers, pages, footnote anchors.

use std::collections::HashMap;

use super::document::{Block, Body};
use super::grid::{build_grid, title_above};
use crate::model::{Footnote, Format, Ingested, SrcLine, Status};
use crate::vn::normalize::normalize_text;

pub(super) fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn assemble(body: Body, notes: Vec<(String, String)>) -> Ingested {
    let paged = body.paged;
    let pg = |p: Option<u32>| if paged { p } else { None };
    let mut n: u32 = 0;
    let mut lines = Vec::new();
    let mut grids = Vec::new();
    let mut anchors: HashMap<String, (u32, Option<u32>)> = HashMap::new();
    // Body lines since the last table (for table titles).
    let mut recent: Vec<String> = Vec::new();
    for block in body.blocks {
        match block {
            Block::Para(segs) => {
                for seg in segs {
                    n = n.saturating_add(1);
                    let text = normalize_text(seg.text.trim_end());
                    for r in seg.refs {
                        anchors.entry(r).or_insert((n, pg(seg.page)));
                    }
                    recent.push(text.clone());
                    lines.push(SrcLine { text, line: n, page: pg(seg.page), ..Default::default() });
                }
            }
            Block::Table(t) => {
                if t.rows.is_empty() {
                    continue;
                }
                let first = n.saturating_add(1);
                let row_lines: Vec<u32> = t
                    .rows
                    .iter()
                    .map(|_| {
                        n = n.saturating_add(1);
                        n
                    })
                    .collect();
                for (r, &line) in t.rows.iter().zip(&row_lines) {
                    for id in &r.refs {
                        anchors.entry(id.clone()).or_insert((line, pg(Some(r.page))));
                    }
                }
                let title = title_above(&recent).unwrap_or_default();
                recent.clear();
                if let Some(g) = build_grid(&t, first, &row_lines, title, paged) {
                    grids.push(g);
                }
            }
        }
    }
    let footnotes = notes
        .into_iter()
        .map(|(marker, text)| {
            let anchor = anchors.get(&marker).copied();
            Footnote { marker, text, page: anchor.and_then(|a| a.1), line: anchor.map_or(0, |a| a.0), anchor_line: anchor.map(|a| a.0) }
        })
        .collect();
    Ingested {
        format: Format::Docx,
        encoding: "docx".into(),
        lines,
        pages: paged.then_some(body.pages),
        footnotes,
        grids,
        status: Status::Ok,
        warnings: Vec::new(),
        text_source: crate::model::TextSource::TextLayer,
        ocr: None,
    }
}
