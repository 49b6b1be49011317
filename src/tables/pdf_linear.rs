//! Linearized PDF text: the extractor wrote a table's header cells one per
//! line ("STT Chỉ tiêu", "Năm", "2021", …, "Năm 2025", "(Tính đến", "31/3)"),
//! then each row as "key label … v1 v2 … vn", the label wrapping over lines
//! and the values at the end of the last line or on lines of their own.
//! Cells are joined with single spaces, so an empty cell shows as one more
//! space: "264  " ends with one empty column, "Thống kê TTHC      " has all
//! five empty.
//!
//! Rows start at a line whose first word is a *plausible next* row key
//! (see [`stt::KeyTracker`]), so "33 21 50 …" or "1 0 0 0 0 0" stay values.
//! A repeated header (page break) with the same columns continues the grid.
//! Values are assigned only when the count fits the columns (or the text is
//! one phrase repeated once per column); otherwise the row keeps its raw
//! text, empty cells and a warning.

use super::stt::{line_key, KeyTracker, RowKey};
use super::vocab::{fold, squash, vocab};
use super::{compose_title, is_blank, Layout, Region};
use crate::model::{Grid, GridRow, SrcLine};
use crate::parse::figures::parse_value;

// ------------------------------------------------------------- header

/// "STT Chỉ tiêu …": returns the label header and the rest of the line.
fn header_start(text: &str) -> Option<(String, String)> {
    let v = vocab();
    // Cheap test on the first word before normalizing the whole line.
    if !v.is_stt_header(text.split_whitespace().next()?) {
        return None;
    }
    let line = squash(text);
    let (first, rest) = line.split_once(' ')?;
    if !v.is_stt_header(first) {
        return None;
    }
    let folded = fold(rest);
    let label = v.header.label.iter().find(|w| {
        let w = fold(w);
        folded.starts_with(&w) && folded[w.len()..].chars().next().is_none_or(char::is_whitespace)
    })?;
    let n = label.chars().count();
    let label_text: String = rest.chars().take(n).collect();
    let after: String = rest.chars().skip(n).collect();
    Some((label_text, after.trim().to_string()))
}

fn is_title_line(text: &str) -> bool {
    // "Phụ lục IV": a short line; skip long lines without folding them.
    if text.len() > 80 {
        return false;
    }
    let title = vocab().title_word_folded();
    // Cheap test on an ASCII first letter before folding the line.
    if let (Some(a), Some(b)) = (text.trim_start().chars().next(), title.chars().next()) {
        if a.is_ascii() && b.is_ascii() && !a.eq_ignore_ascii_case(&b) {
            return false;
        }
    }
    let f = fold(text);
    f.strip_prefix(title)
        .map(str::trim)
        .is_some_and(|rest| !rest.is_empty() && rest.split_whitespace().count() == 1 && rest.chars().all(|c| c.is_alphanumeric()))
}

#[derive(Debug, PartialEq)]
struct Header {
    label: String,
    columns: Vec<String>,
    /// Index of the first line after the header.
    next: usize,
}

fn open_paren(text: &str) -> bool {
    text.matches('(').count() > text.matches(')').count()
}

fn is_year(text: &str) -> bool {
    text.len() == 4 && text.chars().all(|c| c.is_ascii_digit())
}

/// Read the header starting at line `i` (an "STT …" line).
fn parse_header(lines: &[SrcLine], i: usize, end: usize) -> Option<Header> {
    let v = vocab();
    let (label, inline) = header_start(&lines[i].text)?;
    let year_word = v.year_word_folded();
    let mut columns: Vec<String> = Vec::new();
    // Inline columns: "Năm 2021 Năm 2022 …" on the STT line itself.
    for word in inline.split_whitespace() {
        match columns.last_mut() {
            Some(col) if fold(word) != year_word => {
                col.push(' ');
                col.push_str(word);
            }
            _ => columns.push(word.to_string()),
        }
    }
    let mut group_started = false;
    let mut j = i + 1;
    while j < end {
        let text = squash(&lines[j].text);
        if text.is_empty() {
            j += 1;
            continue;
        }
        let last_is_bare_year_word = columns.last().is_some_and(|c| fold(c) == year_word);
        let lower_start = text.chars().next().is_some_and(char::is_lowercase);
        if line_key(&text).is_some() {
            break;
        } else if is_year(&text) && last_is_bare_year_word
            || text.starts_with('(')
            || columns.last().is_some_and(|c| open_paren(c))
            || lower_start && columns.last().is_some_and(|c| !c.ends_with(')') && v.year_of(c).is_none())
        {
            if let Some(col) = columns.last_mut() {
                col.push(' ');
                col.push_str(&text);
            }
        } else if v.starts_value_header(&text) {
            columns.push(text);
        } else if columns.is_empty() && (lower_start || !group_started) {
            // A group line above the value columns (Phụ lục IV: "Các sở, ban,
            // ngành, …"); not a column of its own.
            group_started = true;
        } else {
            break;
        }
        j += 1;
    }
    Some(Header { label, columns, next: j })
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| fold(x) == fold(y))
}

// ------------------------------------------------------------ regions

pub(super) fn find(lines: &[SrcLine], taken: &[Region]) -> Vec<Region> {
    let v = vocab();
    let inside = |i: usize, regions: &[Region]| regions.iter().any(|r| r.start <= i && i < r.end);
    let headers: Vec<usize> = (0..lines.len()).filter(|&i| !inside(i, taken) && header_start(&lines[i].text).is_some()).collect();
    let titles: Vec<usize> = (0..lines.len()).filter(|&i| is_title_line(&lines[i].text)).collect();

    // Each header read once (the end of a region compares it with the later ones).
    let parsed: Vec<Option<Header>> = headers.iter().map(|&h| parse_header(lines, h, lines.len())).collect();

    let mut regions: Vec<Region> = Vec::new();
    for (&h, first) in headers.iter().zip(&parsed) {
        if regions.last().is_some_and(|r| h < r.end) {
            continue; // repeated header after a page break: same region
        }
        // Title: a "Phụ lục …" line among the few non-blank lines above.
        let title_line = titles.iter().rev().find(|&&t| t < h && (t..h).filter(|&k| !is_blank(&lines[k].text)).count() <= v.pdf_linear.title_lookback);
        let start = title_line.copied().unwrap_or(h);
        let title = title_line.and_then(|&t| {
            let block: Vec<&str> = (t..h).map(|k| lines[k].text.as_str()).filter(|l| !is_blank(l)).collect();
            compose_title(&block)
        });
        // End: the next title line, or the next header that is not a repeat
        // of this one, or the end of the document.
        let next_title = titles.iter().copied().find(|&t| t > h);
        let next_other_header = headers
            .iter()
            .zip(&parsed)
            .find(|&(&o, other)| o > h && !matches!((first, other), (Some(a), Some(b)) if same_columns(&a.columns, &b.columns)))
            .map(|(&o, _)| o);
        let mut end = [next_title, next_other_header].into_iter().flatten().min().unwrap_or(lines.len());
        while end > start + 1 && is_blank(&lines[end - 1].text) {
            end -= 1;
        }
        if let Some(prev) = regions.last_mut() {
            prev.end = prev.end.min(start);
        }
        regions.push(Region { start, end, layout: Layout::PdfLinear, title });
    }
    regions
}

// --------------------------------------------------------------- rows

/// Is this word a cell value on its own ("100%", "1.198.020.000đ", "x")?
/// Decided by the shared figure grammar, not here.
fn is_value_word(word: &str) -> bool {
    vocab().is_mark(word) || parse_value(word).is_some()
}

/// How many of `words` at the end are value words.
fn trailing_value_words(words: &[&str]) -> usize {
    words.iter().rev().take_while(|w| is_value_word(w)).count()
}

/// Empty cells announced by trailing spaces: content + n empty cells ends
/// with n + 1 spaces; a line of n empty cells is n spaces.
fn trailing_empties(text: &str) -> usize {
    let trailing = text.len() - text.trim_end_matches(' ').len();
    if text.trim().is_empty() {
        trailing
    } else {
        trailing.saturating_sub(1)
    }
}

#[derive(Debug)]
struct RowBuf<'a> {
    /// The row key as written ("6.1.1."), empty for unkeyed rows.
    key_raw: &'a str,
    start: usize,
    /// Source lines of the row (index into `lines`).
    lines: Vec<usize>,
    /// Words after the key.
    words: Vec<&'a str>,
    /// How many of `words` at the end are value words (kept up to date as
    /// words are added, so earlier words are not tested again).
    trailing_values: usize,
    /// Content lines after the key, as word lists (for the one-word-line test).
    content_lines: Vec<Vec<&'a str>>,
    empties: usize,
    closed: bool,
}

impl<'a> RowBuf<'a> {
    fn new(key_raw: &'a str, start: usize) -> Self {
        RowBuf { key_raw, start, lines: Vec::new(), words: Vec::new(), trailing_values: 0, content_lines: Vec::new(), empties: 0, closed: false }
    }

    /// Add line `i` (`content` is its text without the row key).
    fn push(&mut self, i: usize, full: &str, content: &'a str, ncols: usize) {
        let words: Vec<&'a str> = content.split_whitespace().collect();
        let tail = trailing_value_words(&words);
        self.push_words(i, full, words, tail, ncols);
    }

    /// Add line `i` given as its `words` after the row key, of which the
    /// last `tail` are value words.
    fn push_words(&mut self, i: usize, full: &str, words: Vec<&'a str>, tail: usize, ncols: usize) {
        self.lines.push(i);
        // All new words are values: the run of values goes on.
        self.trailing_values = if tail == words.len() { self.trailing_values + tail } else { tail };
        self.words.extend_from_slice(&words);
        if !words.is_empty() {
            self.content_lines.push(words);
        }
        self.empties = trailing_empties(full);
        let filled = self.trailing_values + self.empties;
        self.closed = self.closed || (filled > 0 && filled >= ncols);
    }

    /// More label words for a row whose cells are already complete.
    fn extend_label(&mut self, i: usize, content: &'a str) {
        self.lines.push(i);
        let words: Vec<&'a str> = content.split_whitespace().collect();
        let at = self.words.len() - self.trailing_values;
        // The word before `at` is not a value: the run ends in the new words.
        self.trailing_values += trailing_value_words(&words);
        self.words.splice(at..at, words.iter().copied());
        self.content_lines.push(words);
    }

    fn raw(&self, lines: &[SrcLine]) -> String {
        self.lines.iter().map(|&i| lines[i].text.trim_end()).collect::<Vec<_>>().join("\n")
    }
}

/// Largest m such that the last `chunks × m` words are `chunks` equal runs of
/// m words, leaving at least one word before them.
fn repeated_suffix(words: &[&str], chunks: usize) -> Option<usize> {
    if chunks < 2 {
        return None;
    }
    let max_m = words.len().saturating_sub(1) / chunks;
    (1..=max_m).rev().find(|&m| {
        let tail = &words[words.len() - chunks * m..];
        let first = &tail[..m];
        tail.chunks(m).all(|c| c == first) && !first.iter().all(|w| is_value_word(w))
    })
}

fn join(words: &[&str]) -> String {
    words.join(" ")
}

/// Label of a row whose values could not be assigned: text before a run of
/// repeated phrases, before the first value word, or before the first
/// one-word line.
fn fallback_label(row: &RowBuf, ncols: usize) -> String {
    if let Some((chunks, m)) = (2..=ncols).rev().find_map(|c| repeated_suffix(&row.words, c).map(|m| (c, m))) {
        return join(&row.words[..row.words.len() - chunks * m]);
    }
    // The first line (not the first) that opens with a value: "50%" in III 6.1.
    let starts: Vec<usize> = row
        .content_lines
        .iter()
        .scan(0, |offset, l| {
            let at = *offset;
            *offset += l.len();
            Some(at)
        })
        .collect();
    let first_value_line = row.content_lines.iter().zip(&starts).skip(1).find(|(l, _)| is_value_word(l[0]));
    if let Some((_, &at)) = first_value_line {
        return join(&row.words[..at.min(row.words.len())]);
    }
    let label_lines = row.content_lines.iter().take_while(|l| l.len() > 1).count().max(1);
    join(&row.content_lines.iter().take(label_lines).flatten().copied().collect::<Vec<_>>())
}

/// Turn a finished row buffer into a grid row of `2 + ncols` cells.
fn finish(row: RowBuf, ncols: usize, lines: &[SrcLine]) -> GridRow {
    let k = row.trailing_values;
    let e = row.empties.min(ncols);
    let n_words = row.words.len();
    let one_word_lines = row.content_lines.iter().skip(1).filter(|l| l.len() == 1).count();
    let looks_like_text_values = one_word_lines >= ncols * vocab().pdf_linear.single_word_lines_per_column;

    let mut values: Vec<String> = Vec::new();
    let mut label = join(&row.words);
    let mut warning = None;
    // One value next to label text ("… so với năm 2021 ") is too weak to
    // tell a value from the end of the label.
    let lone_value_on_label_line = ncols - e.min(ncols) == 1 && ncols > 1 && row.content_lines.last().is_some_and(|l| l.len() > 1);
    if k + e >= ncols && k + e > 0 && !lone_value_on_label_line {
        let take = ncols - e;
        values = row.words[n_words - take..].iter().map(|w| w.to_string()).collect();
        label = join(&row.words[..n_words - take]);
    } else if let Some(m) = repeated_suffix(&row.words, ncols) {
        let tail = &row.words[n_words - ncols * m..];
        values = tail.chunks(m).map(join).collect();
        label = join(&row.words[..n_words - ncols * m]);
    } else if k > 0 || looks_like_text_values {
        label = fallback_label(&row, ncols);
        warning = Some(format!(
            "values not assigned: {ncols} value columns but the row text does not split into them \
             ({k} trailing values, {e} trailing empty cells); raw text kept"
        ));
    }
    values.resize(ncols, String::new());

    let mut cells = vec![row.key_raw.to_string(), label];
    cells.extend(values);
    GridRow { cells, page: lines[row.start].page, line: lines[row.start].line, raw: row.raw(lines), warning }
}

struct Builder<'a> {
    grid: Grid,
    tracker: KeyTracker,
    open: Option<RowBuf<'a>>,
}

impl<'a> Builder<'a> {
    fn new(header: Header, lines: &[SrcLine], at: usize, title: Option<String>) -> Self {
        let mut columns = vec!["STT".to_string(), header.label];
        columns.extend(header.columns);
        Builder {
            grid: Grid { title, page: lines[at].page, line: lines[at].line, columns, rows: Vec::new(), title_lines: Vec::new() },
            tracker: KeyTracker::new(vocab().pdf_linear.max_key_gap),
            open: None,
        }
    }

    fn ncols(&self) -> usize {
        self.grid.columns.len().saturating_sub(2)
    }

    fn flush(&mut self, lines: &[SrcLine]) {
        let n = self.ncols();
        if let Some(row) = self.open.take() {
            self.grid.rows.push(finish(row, n, lines));
        }
    }

    fn feed(&mut self, i: usize, lines: &'a [SrcLine]) {
        let n = self.ncols();
        let text = lines[i].text.as_str();
        let words: Vec<&'a str> = text.split_whitespace().collect();
        let row_open = self.open.as_ref().is_some_and(|r| !r.closed);
        if words.is_empty() {
            // A line of spaces is a row of empty cells: it may close the row
            // ("số hóa" then "     " in Phụ lục III 6.2).
            if let Some(row) = self.open.as_mut().filter(|r| !r.closed) {
                if row.trailing_values + trailing_empties(text) >= n {
                    row.push(i, text, "", n);
                }
            }
            return;
        }
        // A line of values only ("33 21 50 29 20 32") belongs to the open row
        // even when its first number could be read as a key.
        let values_only = || words.len() >= 2 && words.iter().all(|w| is_value_word(w));
        if row_open && values_only() {
            if let Some(row) = self.open.as_mut() {
                let tail = words.len();
                row.push_words(i, text, words, tail, n);
            }
            return;
        }
        // A key must be followed by a label that starts like one: "3 cấp"
        // inside a wrapped text cell is not row 3.
        let starts_row = |(k, rest): &(RowKey, &str)| self.tracker.plausible(k) && !rest.chars().next().is_some_and(char::is_lowercase);
        if let Some((key, rest)) = line_key(text).filter(starts_row) {
            self.flush(lines);
            self.tracker.accept(&key);
            let mut row = RowBuf::new(words.first().copied().unwrap_or(""), i);
            row.push(i, text, rest, n);
            self.open = Some(row);
            return;
        }
        if let Some(row) = self.open.as_mut().filter(|r| r.closed && r.trailing_values == 0) {
            // A label that goes on after its (empty) value cells were written:
            // "6 Xây dựng, áp dụng bộ tiêu chí đánh giá      " + "CCHC các cơ quan, đơn vị".
            if trailing_empties(text) == 0 && !words.last().is_some_and(|w| is_value_word(w)) {
                row.extend_label(i, text);
                return;
            }
        }
        if !row_open {
            // Text after a finished row: an unkeyed sub-row (Phụ lục II
            // "Nghị quyết của Hội đồng nhân dân tỉnh").
            self.flush(lines);
            self.open = Some(RowBuf::new("", i));
        }
        if let Some(row) = self.open.as_mut() {
            row.push(i, text, text, n);
        }
    }

    fn finish(mut self, lines: &[SrcLine]) -> Grid {
        self.flush(lines);
        self.grid
    }
}

pub(super) fn read(lines: &[SrcLine], start: usize, end: usize, title: Option<String>) -> Vec<Grid> {
    let mut grids = Vec::new();
    let mut current: Option<Builder> = None;
    let mut i = start;
    while i < end {
        if let Some(header) = parse_header(lines, i, end) {
            let next = header.next.max(i + 1);
            match current.as_ref() {
                Some(b) if same_columns(&b.grid.columns[2..], &header.columns) => {}
                _ => {
                    if let Some(b) = current.take() {
                        grids.push(b.finish(lines));
                    }
                    current = Some(Builder::new(header, lines, i, title.clone()));
                }
            }
            i = next;
            continue;
        }
        if let Some(b) = current.as_mut() {
            if !(b.open.is_none() && is_blank(&lines[i].text)) {
                b.feed(i, lines);
            }
        }
        i += 1;
    }
    if let Some(b) = current {
        grids.push(b.finish(lines));
    }
    grids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<SrcLine> {
        texts.iter().enumerate().map(|(i, t)| SrcLine { text: t.to_string(), line: i as u32 + 1, ..Default::default() }).collect()
    }

    #[test]
    fn trailing_spaces_count_empty_cells() {
        assert_eq!(trailing_empties("7.1 Số lượng phiếu khảo sát 1399 1138 611 275 264  "), 1);
        assert_eq!(trailing_empties("1 Thống kê TTHC      "), 5);
        assert_eq!(trailing_empties("     "), 5);
        assert_eq!(trailing_empties("hẹn "), 0);
    }

    #[test]
    fn phrase_repeated_once_per_column() {
        let words: Vec<&str> = "Xây dựng … cấp xã Liên thông 3 cấp Liên thông 3 cấp Liên thông 3 cấp".split_whitespace().collect();
        assert_eq!(repeated_suffix(&words, 3), Some(4));
        assert_eq!(repeated_suffix(&words, 4), None);
    }

    #[test]
    fn header_one_cell_per_line() {
        // Phụ lục III, source lines 2613–2631 (blank lines dropped).
        let src = lines(&["STT Chỉ tiêu ", "Năm ", "2021 ", "", "Năm ", "2022 ", "Năm 2025 ", "(Tính đến ", "31/3) ", "1 Thống kê TTHC     "]);
        let h = parse_header(&src, 0, src.len()).expect("header");
        assert_eq!(h.label, "Chỉ tiêu");
        assert_eq!(h.columns, ["Năm 2021", "Năm 2022", "Năm 2025 (Tính đến 31/3)"]);
        assert_eq!(h.next, 9);
        // The row after a repeated header is not part of it.
        let src = lines(&["STT Chỉ tiêu", "Năm 2025", "(Tính đến", "31/3)", "quyết TTHC  KQ"]);
        assert_eq!(parse_header(&src, 0, src.len()).map(|h| h.columns), Some(vec!["Năm 2025 (Tính đến 31/3)".to_string()]));
    }
}
