//! The page-level table model shared by the ruled and the aligned detectors:
//! cells as column spans holding words, header detection and flattening.

/// A word with its document-wide line number (1-based, reading order); the
/// text inline (no allocation for a usual word, cheap to copy into cells).
#[derive(Debug, Clone, PartialEq)]
pub struct LocWord {
    pub text: compact_str::CompactString,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
    pub line: u32,
}

/// A cell covering grid columns `c0..=c1`.
#[derive(Debug, Clone, Default)]
pub struct Span {
    pub c0: usize,
    pub c1: usize,
    pub words: Vec<LocWord>,
}

impl Span {
    /// Cell text: words in line order, left to right, single spaces.
    pub fn text(&self) -> String {
        let mut w: Vec<&LocWord> = self.words.iter().collect();
        w.sort_by(|a, b| a.line.cmp(&b.line).then(a.x0.total_cmp(&b.x0)));
        let mut out = String::new();
        for (i, word) in w.iter().enumerate() {
            if i > 0 && !(word.line != w[i - 1].line && wraps_after(&w[i - 1].text)) {
                out.push(' ');
            }
            out.push_str(&word.text);
        }
        out
    }

    fn width(&self) -> usize {
        self.c1 - self.c0 + 1
    }
}

/// A cell line that ends inside a compound the writer broke at its hyphen or
/// slash ("PT-" / "TH", "tiếp nhận/" / "đã trả"): the next line continues
/// the same word, without a space.
fn wraps_after(word: &str) -> bool {
    let mut rev = word.chars().rev();
    matches!(rev.next(), Some('-' | '/')) && rev.next().is_some_and(char::is_alphanumeric)
}

/// One row band of a table.
#[derive(Debug, Clone, Default)]
pub struct TableRow {
    pub cells: Vec<Span>,
    /// Per grid column: the cell continues the one above (vertical merge).
    pub vmerged: Vec<bool>,
    pub page: Option<u32>,
    /// Set when the row was assembled from pieces (split across pages).
    pub note: Option<String>,
}

impl TableRow {
    fn span_at(&self, c: usize) -> Option<&Span> {
        self.cells.iter().find(|s| s.c0 <= c && c <= s.c1)
    }

    /// First line number of the row's words.
    pub fn line(&self) -> Option<u32> {
        self.cells.iter().flat_map(|s| &s.words).map(|w| w.line).min()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|s| s.words.is_empty())
    }

    /// Append the words of `other` (the same row continued) cell by cell.
    pub fn absorb(&mut self, other: TableRow) {
        for s in other.cells {
            let target = self.cells.iter_mut().find(|c| c.c0 <= s.c0 && s.c0 <= c.c1);
            if let Some(t) = target {
                t.words.extend(s.words);
            }
        }
    }

    /// Cell texts, one per grid column ("" where a span continues).
    pub fn texts(&self, ncols: usize) -> Vec<String> {
        let mut out = vec![String::new(); ncols];
        for s in &self.cells {
            if let Some(slot) = out.get_mut(s.c0) {
                *slot = s.text();
            }
        }
        out
    }

    /// A data row has a cell that is only a number, STT, percent or fraction.
    fn looks_like_data(&self) -> bool {
        self.cells.iter().any(|s| is_value(&s.text()))
    }
}

/// "1.", "2.1", "33", "100%", "843/843", "99,82".
pub(crate) fn is_value(text: &str) -> bool {
    let t = text.trim();
    t.chars().any(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || ".,/%- ".contains(c))
}

/// A table found on one page, before stitching.
#[derive(Debug, Clone, Default)]
pub struct PageTable {
    pub page: u32,
    pub top: f32,
    pub bottom: f32,
    /// Column boundaries (x), `columns() + 1` values.
    pub col_edges: Vec<f32>,
    pub rows: Vec<TableRow>,
    pub header_rows: usize,
    /// Cells bounded by painted rules (not only by word alignment).
    pub ruled: bool,
}

impl PageTable {
    pub fn columns(&self) -> usize {
        self.col_edges.len().saturating_sub(1)
    }

    /// Remove empty bands thinner than 2pt (double rules).
    pub fn drop_thin_bands(&mut self, ys: &[f32]) {
        let mut keep = Vec::with_capacity(self.rows.len());
        for (r, row) in std::mem::take(&mut self.rows).into_iter().enumerate() {
            let thin = ys.get(r + 1).zip(ys.get(r)).is_some_and(|(b, t)| b - t < 2.0);
            if !(thin && row.is_empty()) {
                keep.push(row);
            }
        }
        self.rows = keep;
    }

    /// Header rows: the first row unless it holds values, plus the rows
    /// below that split one of its merged cells or continue a vertical merge.
    pub fn detect_header(&self) -> usize {
        let Some(first) = self.rows.first() else { return 0 };
        if first.looks_like_data() || first.is_empty() {
            return 0;
        }
        let mut n = 1;
        while let Some(row) = self.rows.get(n) {
            let prev = &self.rows[n - 1];
            let splits = prev.cells.iter().any(|s| s.width() > 1 && row.cells.iter().any(|c| c.c0 >= s.c0 && c.c1 <= s.c1 && c.width() < s.width()));
            let continues = row.vmerged.iter().any(|&m| m);
            if row.looks_like_data() || !(splits || continues) {
                break;
            }
            n += 1;
        }
        n
    }

    /// Flattened column names: per column, the header texts top to bottom,
    /// skipping a merged parent cell when a lower header row names the column.
    pub fn column_names(&self) -> Vec<String> {
        let header = &self.rows[..self.header_rows.min(self.rows.len())];
        let mut names: Vec<String> = (0..self.columns())
            .map(|c| {
                let mut parts: Vec<String> = Vec::new();
                for (h, row) in header.iter().enumerate() {
                    let Some(span) = row.span_at(c) else { continue };
                    let text = span.text();
                    let is_cont = row.vmerged.get(c).copied().unwrap_or(false);
                    let named_below = header[h + 1..].iter().any(|lower| lower.span_at(c).is_some_and(|s| s.width() < span.width() && !s.text().is_empty()));
                    let replaced_by_children = span.width() > 1 && named_below;
                    if !(text.is_empty() || is_cont || replaced_by_children) {
                        parts.push(text);
                    }
                }
                parts.join(" ")
            })
            .collect();
        make_unique(&mut names);
        names
    }

    /// The non-empty rows below the header.
    pub fn data_rows(&self) -> impl Iterator<Item = &TableRow> {
        self.rows.iter().skip(self.header_rows).filter(|r| !r.is_empty())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        for v in ["1.", "2.1", "33", "100%", "843/843", "99,82"] {
            assert!(is_value(v), "{v}");
        }
        for v in ["Năm 2021", "", "Stt", "(6 tháng)"] {
            assert!(!is_value(v), "{v}");
        }
    }

    #[test]
    fn unique_names() {
        let mut n = vec!["A".to_string(), "A".to_string(), "".into(), "".into()];
        make_unique(&mut n);
        assert_eq!(n, vec!["A", "A (2)", "", ""]);
    }
}
