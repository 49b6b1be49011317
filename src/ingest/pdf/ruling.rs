//! Tables drawn with rules: merge the page's rules, group the ones that
//! touch, derive the column/row grid, detect merged cells, and fill the cells
//! with the words whose centres fall inside them.

use super::table_model::{LocWord, PageTable, Span, TableRow};
use super::PdfRule;

/// Above this many horizontal × vertical rule pairs a page is not searched
/// for ruled tables (bounds the work on pathological drawings).
const MAX_RULE_PAIRS: usize = 4_000_000;
/// Rules this close (pt) are the same line.
const SNAP: f32 = 2.5;
/// Rules separated by less than this along their length are joined.
const JOIN_GAP: f32 = 2.0;

/// The ruled tables of one page, top to bottom.
pub(crate) fn ruled_tables(page: u32, rules: &[PdfRule], words: &[LocWord]) -> Vec<PageTable> {
    let h = merge(rules.iter().filter(|r| r.is_horizontal()).copied().collect(), true);
    let v = merge(rules.iter().filter(|r| r.is_vertical()).copied().collect(), false);
    if h.len().saturating_mul(v.len()) > MAX_RULE_PAIRS {
        return Vec::new();
    }
    let mut tables: Vec<PageTable> = groups(&h, &v)
        .into_iter()
        .filter_map(|(hs, vs)| Grid::new(hs, vs))
        .map(|g| g.fill(page, words))
        .filter(|t| t.rows.len() > t.header_rows && t.columns() >= 2)
        .collect();
    tables.sort_by(|a, b| a.top.total_cmp(&b.top));
    tables
}

/// The cells of the ruled tables of a page, as boxes `[x0, top, x1, bottom]`
/// in the rules' units: the same grids as [`ruled_tables`], one box per cell,
/// a merged cell once with its whole extent (OCR reads doubtful cells again
/// from these boxes).
pub(crate) fn cell_boxes(rules: &[PdfRule]) -> Vec<[f32; 4]> {
    let h = merge(rules.iter().filter(|r| r.is_horizontal()).copied().collect(), true);
    let v = merge(rules.iter().filter(|r| r.is_vertical()).copied().collect(), false);
    if h.len().saturating_mul(v.len()) > MAX_RULE_PAIRS {
        return Vec::new();
    }
    groups(&h, &v).into_iter().filter_map(|(hs, vs)| Grid::new(hs, vs)).flat_map(|g| g.boxes()).collect()
}

/// Join collinear, touching rules (horizontal: same y; vertical: same x).
/// Rules within [`SNAP`] of each other across the page are one line
/// position (a border stroked at 113.6 and a cell fill edge at 113.25); along
/// that line, overlapping or touching pieces become one rule.
fn merge(mut rules: Vec<PdfRule>, horizontal: bool) -> Vec<PdfRule> {
    let pos = |r: &PdfRule| if horizontal { r.y0 } else { r.x0 };
    let span = |r: &PdfRule| if horizontal { (r.x0, r.x1) } else { (r.y0, r.y1) };
    rules.sort_by(|a, b| pos(a).total_cmp(&pos(b)));
    let mut out: Vec<PdfRule> = Vec::new();
    let mut i = 0;
    while i < rules.len() {
        // One line position: a chain of rules each within SNAP of the previous.
        let mut j = i + 1;
        while j < rules.len() && pos(&rules[j]) - pos(&rules[j - 1]) <= SNAP {
            j += 1;
        }
        let at = pos(&rules[i]);
        let mut pieces: Vec<(f32, f32)> = rules[i..j].iter().map(span).collect();
        pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut joined: Vec<(f32, f32)> = Vec::new();
        for (a, b) in pieces {
            match joined.last_mut() {
                Some(last) if a <= last.1 + JOIN_GAP => last.1 = last.1.max(b),
                _ => joined.push((a, b)),
            }
        }
        out.extend(joined.into_iter().map(|(a, b)| if horizontal { PdfRule::horizontal(at, a, b) } else { PdfRule::vertical(at, a, b) }));
        i = j;
    }
    out
}

fn touches(h: &PdfRule, v: &PdfRule) -> bool {
    v.x0 >= h.x0 - SNAP && v.x0 <= h.x1 + SNAP && h.y0 >= v.y0 - SNAP && h.y0 <= v.y1 + SNAP
}

/// Connected groups of horizontal and vertical rules (union-find).
fn groups(h: &[PdfRule], v: &[PdfRule]) -> Vec<(Vec<PdfRule>, Vec<PdfRule>)> {
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, hr) in h.iter().enumerate() {
        for (j, vr) in v.iter().enumerate() {
            if touches(hr, vr) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, h.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut out: Vec<(usize, Vec<PdfRule>, Vec<PdfRule>)> = Vec::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let idx = match out.iter().position(|(r, _, _)| *r == root) {
            Some(k) => k,
            None => {
                out.push((root, Vec::new(), Vec::new()));
                out.len() - 1
            }
        };
        if i < h.len() {
            out[idx].1.push(h[i]);
        } else {
            out[idx].2.push(v[i - h.len()]);
        }
    }
    out.into_iter().map(|(_, hs, vs)| (hs, vs)).collect()
}

/// Sorted distinct positions (values within SNAP are one).
fn cluster(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for v in values {
        if out.last().is_none_or(|l| v - l > SNAP) {
            out.push(v);
        }
    }
    out
}

/// The grid of one rule group.
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    h: Vec<PdfRule>,
    v: Vec<PdfRule>,
}

impl Grid {
    fn new(h: Vec<PdfRule>, v: Vec<PdfRule>) -> Option<Grid> {
        if h.len() < 2 || v.len() < 2 {
            return None;
        }
        let xs = cluster(v.iter().map(|r| r.x0).collect());
        let ys = cluster(h.iter().map(|r| r.y0).collect());
        (xs.len() >= 3 && ys.len() >= 2).then_some(Grid { xs, ys, h, v })
    }

    fn ncols(&self) -> usize {
        self.xs.len() - 1
    }

    /// A vertical rule at `x` crossing height `y`.
    fn has_v(&self, x: f32, y: f32) -> bool {
        self.v.iter().any(|r| (r.x0 - x).abs() <= SNAP && r.y0 - 1.0 <= y && y <= r.y1 + 1.0)
    }

    /// A horizontal rule at `y` crossing `x`.
    fn has_h(&self, y: f32, x: f32) -> bool {
        self.h.iter().any(|r| (r.y0 - y).abs() <= SNAP && r.x0 - 1.0 <= x && x <= r.x1 + 1.0)
    }

    fn col_mid(&self, c: usize) -> f32 {
        (self.xs[c] + self.xs[c + 1]) / 2.0
    }

    /// Cell spans of band `r` (between ys[r] and ys[r+1]).
    fn spans(&self, r: usize) -> Vec<(usize, usize)> {
        let mid = (self.ys[r] + self.ys[r + 1]) / 2.0;
        let mut out = Vec::new();
        let mut start = 0;
        for c in 0..self.ncols() {
            if c + 1 == self.ncols() || self.has_v(self.xs[c + 1], mid) {
                out.push((start, c));
                start = c + 1;
            }
        }
        out
    }

    /// The band whose cell a point in band `r`, column `c` belongs to (a
    /// vertically merged cell belongs to its top band).
    fn owner_band(&self, mut r: usize, c: usize) -> usize {
        while r > 0 && !self.has_h(self.ys[r], self.col_mid(c)) {
            r -= 1;
        }
        r
    }

    /// Every cell's box: spans of each band, a vertically merged cell from
    /// its top band down to the first rule under it.
    fn boxes(&self) -> Vec<[f32; 4]> {
        let bands = self.ys.len() - 1;
        let mut out = Vec::new();
        for r in 0..bands {
            for (c0, c1) in self.spans(r) {
                let mid = self.col_mid(c0);
                if r > 0 && !self.has_h(self.ys[r], mid) {
                    continue;
                }
                let mut end = r + 1;
                while end < bands && !self.has_h(self.ys[end], mid) {
                    end += 1;
                }
                out.push([self.xs[c0], self.ys[r], self.xs[c1 + 1], self.ys[end]]);
            }
        }
        out
    }

    fn locate(values: &[f32], v: f32) -> Option<usize> {
        (0..values.len().saturating_sub(1)).find(|&i| values[i] <= v && v < values[i + 1])
    }

    /// Put the words inside the grid into its cells.
    fn fill(&self, page: u32, words: &[LocWord]) -> PageTable {
        let bands = self.ys.len() - 1;
        let mut rows: Vec<TableRow> = (0..bands)
            .map(|r| TableRow {
                cells: self.spans(r).into_iter().map(|(c0, c1)| Span { c0, c1, words: Vec::new() }).collect(),
                vmerged: (0..self.ncols()).map(|c| r > 0 && !self.has_h(self.ys[r], self.col_mid(c))).collect(),
                page: Some(page),
                note: None,
            })
            .collect();
        for w in words {
            let (cx, cy) = ((w.x0 + w.x1) / 2.0, (w.top + w.bottom) / 2.0);
            let (Some(r), Some(c)) = (Self::locate(&self.ys, cy), Self::locate(&self.xs, cx)) else { continue };
            let owner = self.owner_band(r, c);
            if let Some(span) = rows[owner].cells.iter_mut().find(|s| s.c0 <= c && c <= s.c1) {
                span.words.push(w.clone());
            }
        }
        let mut table = PageTable { page, top: self.ys[0], bottom: self.ys[bands], col_edges: self.xs.clone(), rows, header_rows: 0, ruled: true };
        table.drop_thin_bands(&self.ys);
        table.header_rows = table.detect_header();
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> PdfRule {
        PdfRule::horizontal(y, x0, x1)
    }
    fn v(x: f32, y0: f32, y1: f32) -> PdfRule {
        PdfRule::vertical(x, y0, y1)
    }
    fn word(text: &str, x0: f32, top: f32, line: u32) -> LocWord {
        LocWord { text: text.into(), x0, x1: x0 + 10.0, top, bottom: top + 10.0, line }
    }

    #[test]
    fn collinear_pieces_join_whatever_their_order() {
        // A border stroked at x 113.6 in three pieces and a cell fill edge at
        // 113.25, with a longer rule further down the same line in between
        // in sort order (the Chromium cell-per-rectangle habit).
        let rules = vec![v(113.25, 236.0, 510.0), v(113.6, 126.0, 144.0), v(113.25, 57.75, 126.0), v(113.6, 144.0, 161.0), v(113.6, 57.0, 126.0)];
        let m = merge(rules, false);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!((m[0].y0, m[0].y1), (57.0, 161.0));
        assert_eq!((m[1].y0, m[1].y1), (236.0, 510.0));
    }

    #[test]
    fn cell_boxes_cover_merged_cells_once() {
        // Two columns; the header spans both; the first column's cell is
        // merged over the last two bands (no rule between them there).
        let rules = vec![
            h(100.0, 50.0, 450.0),
            h(130.0, 50.0, 450.0),
            h(160.0, 150.0, 450.0),
            h(190.0, 50.0, 450.0),
            v(50.0, 100.0, 190.0),
            v(450.0, 100.0, 190.0),
            v(150.0, 130.0, 190.0),
        ];
        let mut b = cell_boxes(&rules);
        b.sort_by(|a, c| (a[1], a[0]).partial_cmp(&(c[1], c[0])).unwrap_or(std::cmp::Ordering::Equal));
        assert_eq!(b, vec![[50.0, 100.0, 450.0, 130.0], [50.0, 130.0, 150.0, 190.0], [150.0, 130.0, 450.0, 160.0], [150.0, 160.0, 450.0, 190.0]]);
    }

    #[test]
    fn merged_header_cell_and_fill() {
        // 3 columns (0-50-100-150); row bands 0-20 (header with 50..150 merged
        // at the top half), 20-40 sub header, 40-60 data.
        let rules = vec![
            h(0.0, 0.0, 150.0),
            h(20.0, 0.0, 150.0),
            h(40.0, 0.0, 150.0),
            h(60.0, 0.0, 150.0),
            v(0.0, 0.0, 60.0),
            v(50.0, 0.0, 60.0),
            v(100.0, 20.0, 60.0),
            v(150.0, 0.0, 60.0),
        ];
        let words = vec![
            word("Stt", 5.0, 5.0, 1),
            word("Kết", 90.0, 5.0, 1),
            word("A", 60.0, 25.0, 2),
            word("B", 110.0, 25.0, 2),
            word("1", 5.0, 45.0, 3),
            word("x", 60.0, 45.0, 3),
            word("y", 110.0, 45.0, 3),
        ];
        let t = ruled_tables(1, &rules, &words);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!(t.rows[0].cells.len(), 2);
        assert_eq!(t.header_rows, 2);
        assert_eq!(t.column_names(), vec!["Stt", "A", "B"]);
    }
}
