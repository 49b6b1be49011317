//! Figures: every number in prose (and in table cells) with its exact raw text
//! and a normalized value. One grammar serves both (`scan` for running text,
//! `parse_value` for a whole cell).
//!
//! The grammar, tried at every number that starts a token:
//! ```text
//! reference  := num ("/" year)? " "? "/" " "? CODE ("-" CODE)*   04/KH-UBND, 45/2020/NĐ-CP
//!             | num "-" CODE "/" CODE                            50-KH/ĐU
//! date       := d "/" m "/" yyyy | "ngày" d "tháng" m "năm" yyyy | ("ngày"|"đến") d "/" m
//! period     := "Quý" ROMAN ("/"|" năm ") yyyy | n "tháng đầu|cuối năm" | yyyy ([-–] yyyy)?
//!             | ("tháng")? m "/" yyyy
//! fraction   := num "/" num unit?          843/847 hồ sơ   (+ long form: num words "/" num)
//! percent    := qual? num "%"              99,52%  >99%
//! money      := qual? num MONEY_UNIT       16.091.000 đồng  348.544 triệu đồng
//! count      := qual? num COUNT_UNIT?      1.246   36 nhiệm vụ   dưới 08 phút (quantity)
//! num        := d{1,3} ("." d{3})+ ("," d+)? | d+ ("," d+)?
//! ```
//! Numbers glued to a letter on the left ("quan1", "Ipv6": footnote markers,
//! names), numbers after a locator word ("Điều 104", "mức độ 4", "Phường 2"),
//! URLs and phone-like digit strings are not figures.

mod dates;
mod fractions;
mod numbers;
#[cfg(test)]
mod tests;
mod token;

use crate::model::{Kind, Value};

pub use crate::grammar::roman::roman_value;
pub use dates::{dated_references, long_date, reference, reference_parts, slash_date, Date, Period, Reference};
use dates::{period, quarter};
pub use fractions::bound_of_members;
use fractions::{attach_stated_percents, join_long_fractions};
pub use numbers::vn_number;
use token::scan_number_at;

/// A figure found in a text, with byte offsets into that text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub value: Value,
    /// Normalized text for dates ("2025-07-23"), periods ("2025-Q1",
    /// "2025-H1", "2021/2025", "2025-12", "2025") and references.
    pub normalized: Option<String>,
}

impl Found {
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
    pub fn kind(&self) -> Option<Kind> {
        self.value.kind
    }
}

// ------------------------------------------------------------------ scan

/// Figures in a running text, in order, non-overlapping.
pub fn scan(text: &str) -> Vec<Found> {
    let urls = url_ranges(text);
    let mut out: Vec<Found> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut next_url = 0;
    while i < text.len() {
        // URL ranges are sorted: one cursor, not a search per position.
        while urls.get(next_url).is_some_and(|r| r.1 <= i) {
            next_url += 1;
        }
        if let Some(r) = urls.get(next_url).filter(|r| r.0 <= i) {
            i = r.1;
            continue;
        }
        let c = bytes[i];
        if !(c.is_ascii_digit() || c == b'Q' || c == b'q') {
            // Figures start at a digit or a 'Q' (ASCII bytes, never inside a
            // multi-byte character): go to the next one.
            i += bytes[i..].iter().position(|b| b.is_ascii_digit() || matches!(b, b'Q' | b'q')).unwrap_or(bytes.len() - i);
            continue;
        }
        // Letter-led periods: "Quý I/2025".
        if (c == b'Q' || c == b'q') && at_word_start(text, i) {
            if let Ok((rest, norm)) = quarter(&text[i..]) {
                let end = text.len() - rest.len();
                out.push(period(i, end, norm));
                i = end;
                continue;
            }
        }
        if c.is_ascii_digit() {
            let consumed = scan_number_at(text, i, &mut out);
            i = consumed.max(i + 1);
            continue;
        }
        i += 1;
    }
    join_long_fractions(text, &mut out);
    attach_stated_percents(text, &mut out);
    out
}

fn at_word_start(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_none_or(|p| !p.is_alphanumeric())
}

/// Searchers for the two URL starts, built once (a `str::find` builds its
/// searcher at every call, and `scan` runs once per paragraph and cell).
static URL_STARTS: once_cell::sync::Lazy<[memchr::memmem::Finder<'static>; 2]> =
    once_cell::sync::Lazy::new(|| [memchr::memmem::Finder::new("http"), memchr::memmem::Finder::new("www.")]);

fn url_ranges(text: &str) -> Vec<(usize, usize)> {
    let [http, www] = &*URL_STARTS;
    let bytes = text.as_bytes();
    let mut v = Vec::new();
    let mut from = 0;
    while let Some(p) = http.find(&bytes[from..]).or_else(|| www.find(&bytes[from..])) {
        let s = from + p;
        let e = text[s..].find(|c: char| c.is_whitespace() || c == ')' || c == '(').map_or(text.len(), |q| s + q);
        v.push((s, e));
        from = e.max(s + 1);
        if from >= text.len() {
            break;
        }
    }
    v
}

// ------------------------------------------------------------ cell values

/// Normalizes a whole table cell ("100", "99,82", ">99%", "Tối thiểu 60",
/// "843/843", "1.198.020.000đ", "4 Tổ chức và 9 cá nhân"). Returns None for
/// text cells without a leading figure ("x", "Liên thông 3 cấp").
pub fn parse_value(raw: &str) -> Option<Value> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    plain_cell(s).unwrap_or_else(|| scanned_cell(s))
}

/// The usual cells without the figure scan: text without a digit or a 'Q'
/// ("-", "x": no figure) and a bare number, possibly with "%" right after
/// ("12", "1.246", "99,52", "99,52%"). `None` (not decided) for any other
/// cell, and for the shapes another rule of the grammar reads differently:
/// nine or more digits in a row (phone-like), and four digits with a
/// decimal or "%" after them (the year grammar takes "2025%"). Gives exactly
/// what `scanned_cell` gives (tested on every cell and word of the fixtures).
fn plain_cell(s: &str) -> Option<Option<Value>> {
    let bytes = s.as_bytes();
    if !bytes.iter().any(|b| b.is_ascii_digit() || matches!(b, b'Q' | b'q')) {
        return Some(None);
    }
    let (number, percent) = match s.strip_suffix('%') {
        Some(n) => (n, true),
        None => (s, false),
    };
    let (int, decimals) = match number.split_once(',') {
        Some((int, d)) => (int, Some(d)),
        None => (number, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int.split('.');
    let lead = groups.next().unwrap_or("");
    let grouped = int.contains('.');
    let shape = digits(lead)
        && (if grouped { lead.len() <= 3 && groups.all(|g| g.len() == 3 && digits(g)) } else { lead.len() < 9 })
        && decimals.is_none_or(digits)
        && !(lead.len() == 4 && !grouped && (percent || decimals.is_some()));
    if !shape {
        return None;
    }
    let value = numbers::number_value(number);
    let kind = if percent { Kind::Percent } else { Kind::Count };
    let unit = percent.then(|| "%".to_string());
    Some(Some(Value { kind: Some(kind), value, unit, ..Default::default() }))
}

/// `parse_value` by the full figure scan.
fn scanned_cell(s: &str) -> Option<Value> {
    let figs = scan(s);
    let first = figs.first()?;
    // The cell must be the figure (possibly with trailing unit words), not
    // text that merely contains a number.
    let prefix = s[..first.start].trim();
    if !prefix.is_empty() {
        return None;
    }
    match first.kind() {
        // A bare four-digit number in a cell is a count, not a year.
        Some(Kind::Period) if s.chars().all(|c| c.is_ascii_digit()) => {
            let value = s.parse::<f64>().ok();
            Some(Value { kind: Some(Kind::Count), value, ..Default::default() })
        }
        Some(Kind::Date) | Some(Kind::Period) => None,
        _ => Some(first.value.clone()),
    }
}
