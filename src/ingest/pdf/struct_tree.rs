//! Tables of a tagged PDF's structure tree: Table → (THead/TBody/TFoot) →
//! TR → TH/TD with ColSpan/RowSpan attributes, and the marked-content ids
//! (per page) that hold each cell's text. Role-mapped names are resolved.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::objects::{as_dict, get, get_dict, get_name};

/// Structure elements visited at most (bounds the work on huge trees).
const MAX_NODES: usize = 500_000;
/// Deepest nesting followed.
const MAX_DEPTH: usize = 100;

/// One TH/TD cell.
#[derive(Debug, Clone, PartialEq)]
pub struct StructCell {
    pub header: bool,
    pub col_span: usize,
    pub row_span: usize,
    /// (page object, MCID) of the cell's content, in order.
    pub content: Vec<(ObjectId, i64)>,
}

/// One Table element.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructTable {
    pub rows: Vec<Vec<StructCell>>,
    /// Rows that came from a THead.
    pub head_rows: usize,
}

/// Walks the structure tree with a node budget and cycle protection.
struct Walker<'a> {
    doc: &'a Document,
    role_map: Option<&'a Dictionary>,
    seen: HashSet<ObjectId>,
    nodes: usize,
}

/// All tables of the document's structure tree, in tree order.
pub(crate) fn struct_tables(doc: &Document) -> Vec<StructTable> {
    let Some(root) = doc.catalog().ok().and_then(|c| get_dict(doc, c, b"StructTreeRoot")) else {
        return Vec::new();
    };
    let mut w = Walker { doc, role_map: get_dict(doc, root, b"RoleMap"), seen: HashSet::new(), nodes: 0 };
    let mut out = Vec::new();
    for child in w.children(root) {
        w.find_tables(child, None, 0, &mut out);
    }
    out
}

impl<'a> Walker<'a> {
    /// Child objects of an element's /K (references resolved, cycles cut).
    fn children(&mut self, elem: &'a Dictionary) -> Vec<&'a Object> {
        let Some(k) = elem.get(b"K").ok() else { return Vec::new() };
        let items: Vec<&'a Object> = match self.resolve_once(k) {
            Some(Object::Array(a)) => a.iter().filter_map(|o| self.resolve_once(o)).collect(),
            Some(o) => vec![o],
            None => Vec::new(),
        };
        self.nodes += items.len();
        if self.nodes > MAX_NODES {
            return Vec::new();
        }
        items
    }

    /// Resolve a reference unless it was already visited.
    fn resolve_once(&mut self, obj: &'a Object) -> Option<&'a Object> {
        match obj {
            Object::Reference(id) => {
                if !self.seen.insert(*id) {
                    return None;
                }
                self.doc.get_object(*id).ok()
            }
            o => Some(o),
        }
    }

    /// The standard structure type of an element (RoleMap applied).
    fn kind(&self, elem: &Dictionary) -> Vec<u8> {
        let mut s = get_name(self.doc, elem, b"S").unwrap_or(b"").to_vec();
        for _ in 0..8 {
            match self.role_map.and_then(|m| get_name(self.doc, m, &s)) {
                Some(mapped) if mapped != s.as_slice() => s = mapped.to_vec(),
                _ => break,
            }
        }
        s
    }

    /// The element's /Pg, else the inherited page.
    fn page(&self, elem: &Dictionary, inherited: Option<ObjectId>) -> Option<ObjectId> {
        elem.get(b"Pg").ok().and_then(|p| p.as_reference().ok()).or(inherited)
    }

    fn find_tables(&mut self, obj: &'a Object, pg: Option<ObjectId>, depth: usize, out: &mut Vec<StructTable>) {
        let Some(elem) = as_dict(obj) else { return };
        if depth > MAX_DEPTH || elem.has_type(b"MCR") || elem.has_type(b"OBJR") {
            return;
        }
        let pg = self.page(elem, pg);
        if self.kind(elem) == b"Table" {
            out.push(self.table(elem, pg, depth));
            return;
        }
        for child in self.children(elem) {
            self.find_tables(child, pg, depth + 1, out);
        }
    }

    fn table(&mut self, elem: &'a Dictionary, pg: Option<ObjectId>, depth: usize) -> StructTable {
        let mut t = StructTable::default();
        self.collect_rows(elem, pg, depth, false, &mut t);
        t
    }

    /// TR rows below `elem`, through THead/TBody/TFoot (not nested tables).
    fn collect_rows(&mut self, elem: &'a Dictionary, pg: Option<ObjectId>, depth: usize, head: bool, t: &mut StructTable) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in self.children(elem) {
            let Some(c) = as_dict(child) else { continue };
            let cpg = self.page(c, pg);
            match self.kind(c).as_slice() {
                b"TR" => {
                    let row = self.row(c, cpg, depth + 1);
                    if head && t.head_rows == t.rows.len() {
                        t.head_rows += 1;
                    }
                    t.rows.push(row);
                }
                b"THead" => self.collect_rows(c, cpg, depth + 1, true, t),
                b"Table" => {}
                _ => self.collect_rows(c, cpg, depth + 1, head, t),
            }
        }
    }

    fn row(&mut self, tr: &'a Dictionary, pg: Option<ObjectId>, depth: usize) -> Vec<StructCell> {
        let mut cells = Vec::new();
        for child in self.children(tr) {
            let Some(c) = as_dict(child) else { continue };
            let kind = self.kind(c);
            if kind == b"TH" || kind == b"TD" {
                let cpg = self.page(c, pg);
                let mut content = Vec::new();
                self.mcids(c, cpg, depth + 1, &mut content);
                let (col_span, row_span) = self.spans(c);
                cells.push(StructCell { header: kind == b"TH", col_span, row_span, content });
            }
        }
        cells
    }

    /// ColSpan/RowSpan from the /A attribute dictionaries (default 1).
    fn spans(&self, cell: &Dictionary) -> (usize, usize) {
        let attrs: Vec<&Dictionary> = match get(self.doc, cell, b"A") {
            Some(Object::Array(a)) => a.iter().filter_map(|o| as_dict(super::objects::resolve(self.doc, o))).collect(),
            Some(o) => as_dict(o).into_iter().collect(),
            None => Vec::new(),
        };
        let span = |key: &[u8]| attrs.iter().find_map(|a| get(self.doc, a, key).and_then(|o| o.as_i64().ok())).map_or(1, |v| v.clamp(1, 1000) as usize);
        (span(b"ColSpan"), span(b"RowSpan"))
    }

    /// Marked-content ids below an element, in order.
    fn mcids(&mut self, elem: &'a Dictionary, pg: Option<ObjectId>, depth: usize, out: &mut Vec<(ObjectId, i64)>) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in self.children(elem) {
            match child {
                Object::Integer(mcid) => out.extend(pg.map(|p| (p, *mcid))),
                other => {
                    let Some(d) = as_dict(other) else { continue };
                    let dpg = self.page(d, pg);
                    if d.has_type(b"MCR") {
                        let mcid = d.get(b"MCID").ok().and_then(|m| m.as_i64().ok());
                        out.extend(dpg.zip(mcid));
                    } else if !d.has_type(b"OBJR") {
                        self.mcids(d, dpg, depth + 1, out);
                    }
                }
            }
        }
    }
}
