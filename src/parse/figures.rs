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

use nom::branch::alt;
use nom::bytes::complete::{take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, one_of, space0, space1};
use nom::combinator::{map_opt, not, opt, peek, recognize, verify};
use nom::multi::many1;
use nom::sequence::{pair, preceded, terminated};
use nom::{IResult, Parser};

use crate::model::{Kind, Value};
use crate::vocab::{ends_with_word, starts_with_word, vocab};

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

// ---------------------------------------------------------------- numbers

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// ".246" — a thousands group: a dot and exactly three digits.
fn thousands_group(i: &str) -> IResult<&str, &str> {
    recognize(preceded(char('.'), terminated(take_while_m_n(3, 3, is_digit), not(peek(digit1))))).parse(i)
}

/// "16.091.000" — digits grouped by dots.
fn grouped_digits(i: &str) -> IResult<&str, &str> {
    recognize(pair(take_while_m_n(1, 3, is_digit), many1(thousands_group))).parse(i)
}

/// ",52" — decimal part (Vietnamese decimal comma).
fn decimal_part(i: &str) -> IResult<&str, &str> {
    recognize(preceded(char(','), digit1)).parse(i)
}

/// A Vietnamese number: "1.246" = 1246, "99,52" = 99.52, "02" = 2.
pub fn vn_number(i: &str) -> IResult<&str, f64> {
    map_opt(recognize(pair(alt((grouped_digits, digit1)), opt(decimal_part))), number_value).parse(i)
}

fn number_value(s: &str) -> Option<f64> {
    let cleaned: String = s.chars().filter(|c| *c != '.').map(|c| if c == ',' { '.' } else { c }).collect();
    cleaned.parse::<f64>().ok()
}

fn small_int(i: &str) -> IResult<&str, u32> {
    map_opt(take_while_m_n(1, 2, is_digit), |s: &str| s.parse::<u32>().ok()).parse(i)
}

fn year(i: &str) -> IResult<&str, i32> {
    map_opt(terminated(take_while_m_n(4, 4, is_digit), not(peek(digit1))), |s: &str| {
        s.parse::<i32>().ok().filter(|y| (1945..=2100).contains(y))
    })
    .parse(i)
}

// ------------------------------------------------------------- references

fn is_code_char(c: char) -> bool {
    c.is_alphanumeric() || c == '&'
}

/// "KH-UBND", "NĐ-CP", "TTr-HCC", "QH15": starts with an uppercase letter.
fn doc_code(i: &str) -> IResult<&str, &str> {
    recognize(pair(
        verify(take_while1(is_code_char), |s: &str| s.chars().next().is_some_and(|c| c.is_uppercase())),
        nom::multi::many0(preceded(char('-'), take_while1(is_code_char))),
    ))
    .parse(i)
}

/// "04/KH-UBND", "45/2020/NĐ-CP", "40 /BC-UBND", "50-KH/ĐU".
pub fn reference(i: &str) -> IResult<&str, &str> {
    alt((
        recognize((digit1, opt(preceded(char('.'), digit1)), opt(preceded(char('/'), year)), space0, char('/'), space0, doc_code)),
        recognize((digit1, char('-'), doc_code, char('/'), doc_code)),
    ))
    .parse(i)
}

// ------------------------------------------------------------------ dates

fn valid_dm(d: u32, m: u32) -> bool {
    (1..=31).contains(&d) && (1..=12).contains(&m)
}

/// Any four digits as the year of a written date: placeholders such as
/// "01/01/0001" in exported forms are dates too, never fractions.
fn any_year(i: &str) -> IResult<&str, i32> {
    map_opt(terminated(take_while_m_n(4, 4, is_digit), not(peek(digit1))), |s: &str| s.parse::<i32>().ok()).parse(i)
}

/// "23/7/2025" (also with "-" or "."), "01/01/0001".
fn slash_date(i: &str) -> IResult<&str, String> {
    map_opt((small_int, one_of("/-."), small_int, one_of("/-."), any_year), |(d, s1, m, s2, y)| {
        (s1 == s2 && valid_dm(d, m)).then(|| format!("{y:04}-{m:02}-{d:02}"))
    })
    .parse(i)
}

/// "06 tháng 3 năm 2025" (the number is the day; "ngày" precedes).
fn long_date(i: &str) -> IResult<&str, String> {
    map_opt((small_int, space1, tag_ci("tháng"), space1, small_int, space1, tag_ci("năm"), space1, year), |(d, _, _, _, m, _, _, _, y)| {
        valid_dm(d, m).then(|| format!("{y:04}-{m:02}-{d:02}"))
    })
    .parse(i)
}

/// "31/3" after "ngày"/"đến": a day and month without a year.
fn day_month(i: &str) -> IResult<&str, String> {
    map_opt(terminated((small_int, char('/'), small_int), not(peek(one_of("/0123456789")))), |(d, _, m)| {
        valid_dm(d, m).then(|| format!("--{m:02}-{d:02}"))
    })
    .parse(i)
}

/// Case-insensitive tag for Vietnamese words.
fn tag_ci<'a>(word: &'static str) -> impl Fn(&'a str) -> IResult<&'a str, &'a str> {
    move |i: &'a str| match starts_with_word(i, word) {
        Some(n) => Ok((&i[n..], &i[..n])),
        None => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag))),
    }
}

// ---------------------------------------------------------------- periods

/// "2021-2025", "2026 – 2028".
fn year_range(i: &str) -> IResult<&str, String> {
    map_opt((year, space0, one_of("-–—"), space0, year), |(a, _, _, _, b)| (b > a && b - a <= 30).then(|| format!("{a}/{b}"))).parse(i)
}

/// "12/2025" or "tháng 8 năm 2025" (number = month).
fn month_year(i: &str) -> IResult<&str, String> {
    map_opt(
        alt((
            (small_int, map_opt(recognize(char('/')), |_| Some(())), year),
            (small_int, map_opt(recognize((space1, tag_ci("năm"), space1)), |_| Some(())), year),
        )),
        |(m, _, y)| (1..=12).contains(&m).then(|| format!("{y:04}-{m:02}")),
    )
    .parse(i)
}

/// "6 tháng đầu năm", "06 tháng cuối năm 2025".
fn half_year(i: &str) -> IResult<&str, String> {
    map_opt(
        (small_int, space1, tag_ci("tháng"), space1, alt((tag_ci("đầu"), tag_ci("cuối"))), space1, tag_ci("năm"), opt(preceded(space1, year))),
        |(n, _, _, _, which, _, _, y)| {
            (n == 6).then(|| {
                let h = if which.to_lowercase().starts_with('đ') { "H1" } else { "H2" };
                match y {
                    Some(y) => format!("{y}-{h}"),
                    None => h.to_string(),
                }
            })
        },
    )
    .parse(i)
}

fn roman(i: &str) -> IResult<&str, u32> {
    map_opt(take_while1(|c: char| matches!(c, 'I' | 'V' | 'X')), roman_value).parse(i)
}

pub use crate::grammar::roman::roman_value;

/// "Quý I/2025", "Quý I năm 2025", "quý IV".
fn quarter(i: &str) -> IResult<&str, String> {
    map_opt(
        (tag_ci("quý"), space1, roman, opt(preceded(alt((recognize(char('/')), recognize((space1, tag_ci("năm"), space1)))), year))),
        |(_, _, q, y)| {
            (1..=4).contains(&q).then(|| match y {
                Some(y) => format!("{y}-Q{q}"),
                None => format!("Q{q}"),
            })
        },
    )
    .parse(i)
}

// ------------------------------------------------------------------ units

/// Longest unit word from `units` at the start of `i` (after optional
/// spaces), when not glued to a following letter.
fn unit_word<'a>(i: &'a str, units: &'a [String], allow_glued: bool) -> Option<(usize, &'a str)> {
    let trimmed = i.trim_start_matches(' ');
    let lead = i.len() - trimmed.len();
    if lead == 0 && !allow_glued {
        return None;
    }
    units.iter().find_map(|u| starts_with_word(trimmed, u).map(|n| (lead + n, u.as_str())))
}

fn money_unit(i: &str) -> Option<(usize, f64, &'static str)> {
    let trimmed = i.trim_start_matches(' ');
    let lead = i.len() - trimmed.len();
    vocab().figures.money_units.iter().find_map(|m| {
        let n = starts_with_word(trimmed, &m.word)?;
        // A bare "đ" must be glued or followed by a non-letter ("0đ", "677.000.000đ").
        if m.word == "đ" && lead > 0 {
            return None;
        }
        Some((lead + n, m.factor, m.word.as_str()))
    })
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
        // Letter-led periods: "Quý I/2025".
        if (c == b'Q' || c == b'q') && at_word_start(text, i) {
            if let Ok((rest, norm)) = quarter(&text[i..]) {
                let end = text.len() - rest.len();
                out.push(period(i, end, &norm));
                i = end;
                continue;
            }
        }
        if c.is_ascii_digit() {
            let consumed = scan_number_at(text, i, &mut out);
            i = consumed.max(i + 1);
            continue;
        }
        i += utf8_len(c);
    }
    join_long_fractions(text, &mut out);
    attach_stated_percents(text, &mut out);
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn at_word_start(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_none_or(|p| !p.is_alphanumeric())
}

fn url_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("http").or_else(|| text[from..].find("www.")) {
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

fn period(start: usize, end: usize, norm: &str) -> Found {
    let year = norm.get(0..4).and_then(|y| y.parse::<f64>().ok());
    let unit = if norm.contains('/') {
        "range"
    } else if norm.contains('Q') {
        "quarter"
    } else if norm.contains('H') {
        "half"
    } else if norm.len() == 7 {
        "month"
    } else {
        "year"
    };
    Found {
        start,
        end,
        value: Value { kind: Some(Kind::Period), value: year, unit: Some(unit.into()), ..Default::default() },
        normalized: Some(norm.to_string()),
    }
}

fn date(start: usize, end: usize, norm: &str) -> Found {
    Found { start, end, value: Value { kind: Some(Kind::Date), ..Default::default() }, normalized: Some(norm.to_string()) }
}

/// Word right before position `i` (skipping one run of spaces), lowercased.
fn preceded_by(text: &str, i: usize, word: &str) -> bool {
    ends_with_word(text[..i].trim_end_matches(' '), word).is_some()
}

/// Tries the grammar at a digit; pushes figures; returns the byte index to
/// continue from.
fn scan_number_at(text: &str, i: usize, out: &mut Vec<Found>) -> usize {
    let input = &text[i..];
    let digits_end = i + input.find(|c: char| !c.is_ascii_digit()).unwrap_or(input.len());
    let skip_run = || {
        // Skip the whole alphanumeric/punctuated token.
        i + input.find(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ')' || c == '(').unwrap_or(input.len())
    };
    // Glued to a letter on the left: footnote marker or a name ("quan1", "Ipv6").
    if let Some(prev) = text[..i].chars().next_back() {
        if prev.is_alphabetic() || prev == '_' {
            return digits_end;
        }
        // "/103TTHC" is a denominator; "1.1" continuation etc. are consumed before.
        if (prev == '.' || prev == ',' || prev == ':') && text[..i - 1].chars().next_back().is_some_and(|c| c.is_ascii_digit()) {
            return digits_end;
        }
    }
    // Footnote markers "ĐKKD[3]", "dữ liệu[2]": a bracketed number is a reference mark.
    if text[..i].ends_with('[') && text[digits_end..].starts_with(']') {
        return digits_end + 1;
    }
    // Fixed expressions: "phục vụ 24/7".
    if let Some(n) = fixed_expression(input) {
        return i + n;
    }
    // Phone-like: 9+ digits in a row.
    if digits_end - i >= 9 {
        return digits_end;
    }
    // Not figures: references.
    if let Ok((rest, _)) = reference(input) {
        return text.len() - rest.len();
    }
    // Dates.
    if let Ok((rest, norm)) = slash_date(input) {
        let end = text.len() - rest.len();
        out.push(date(i, end, &norm));
        return end;
    }
    if preceded_by(text, i, "ngày") {
        if let Ok((rest, norm)) = long_date(input) {
            let end = text.len() - rest.len();
            out.push(date(i, end, &norm));
            return end;
        }
    }
    if preceded_by(text, i, "ngày") || preceded_by(text, i, "đến") || preceded_by(text, i, "từ") {
        if let Ok((rest, norm)) = day_month(input) {
            let end = text.len() - rest.len();
            out.push(date(i, end, &norm));
            return end;
        }
    }
    // Periods.
    if let Ok((rest, norm)) = half_year(input) {
        let end = text.len() - rest.len();
        out.push(period(i, end, &norm));
        return end;
    }
    if let Ok((rest, norm)) = year_range(input) {
        let end = text.len() - rest.len();
        out.push(period(i, end, &norm));
        return end;
    }
    if preceded_by(text, i, "tháng") || looks_like_month_year(input) {
        if let Ok((rest, norm)) = month_year(input) {
            let end = text.len() - rest.len();
            out.push(period(i, end, &norm));
            return end;
        }
    }
    // Locators: "Điều 104", "mức độ 3, 4", "Phường 2".
    if is_locator(text, i) {
        return skip_locator_list(text, digits_end);
    }
    // ISO 9001:2015, times 7:30.
    if text[digits_end..].starts_with(':') && text[digits_end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        return skip_run();
    }
    let Ok((rest, number)) = vn_number(input) else {
        return digits_end;
    };
    let num_end = text.len() - rest.len();
    // "1/2/3", "12/5/7/2024-x": a chain of slashes that is neither a date, a
    // reference nor a fraction is a code; skip it whole.
    if slash_chain(rest) {
        return num_end + rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '/' | '.' | ','))).unwrap_or(rest.len());
    }
    // English decimal point inside a percent: "99.52%".
    let (number, num_end) = english_decimal(text, i, num_end).unwrap_or((number, num_end));
    let rest = &text[num_end..];
    let (qual_start, qualifier) = qualifier_before(text, i);
    // Fraction "843/847".
    if let Some(f) = fraction_at(text, i, num_end, number, qual_start, qualifier.clone()) {
        let end = f.end;
        out.push(f);
        return end;
    }
    // Percent.
    if let Some(p) = rest.strip_prefix('%').map(|_| 1).or_else(|| rest.strip_prefix(" %").map(|_| 2)) {
        let end = num_end + p;
        out.push(Found {
            start: qual_start,
            end,
            value: Value { kind: Some(Kind::Percent), value: Some(number), unit: Some("%".into()), qualifier, ..Default::default() },
            normalized: None,
        });
        return end;
    }
    // Money.
    if let Some((n, factor, word)) = money_unit(rest) {
        let end = num_end + n;
        out.push(Found {
            start: qual_start,
            end,
            value: Value { kind: Some(Kind::Money), value: Some(number * factor), unit: Some(canonical_money_unit(word).into()), qualifier, ..Default::default() },
            normalized: None,
        });
        return end;
    }
    // "10,18 ngàn hồ sơ": a multiplier word before a count unit.
    let v = vocab();
    let (number, num_end, rest) = match count_multiplier(rest) {
        Some((n, factor)) => (number * factor, num_end + n, &text[num_end + n..]),
        None => (number, num_end, rest),
    };
    // Glued letters that are not a unit: a code or a name ("4G", "3D").
    let glued_letter = rest.chars().next().is_some_and(|c| c.is_alphabetic());
    let count_unit = unit_word(rest, &v.figures.count_units, true);
    let quantity_unit = unit_word(rest, &v.figures.quantity_units, true);
    if glued_letter && count_unit.is_none() && quantity_unit.is_none() {
        return skip_run();
    }
    // Years standing alone: "năm 2025", "đến năm 2030".
    let is_year_like = number.fract() == 0.0 && (1945.0..=2100.0).contains(&number) && num_end - i == 4;
    // "năm 2025 tỉnh Quảng Ngãi": after "năm" a year stays a year whatever follows.
    if is_year_like && (preceded_by(text, i, "năm") || count_unit.is_none() && quantity_unit.is_none()) {
        out.push(period(i, num_end, &format!("{number:.0}")));
        return num_end;
    }
    // "số 12" document numbers without a unit.
    if preceded_by(text, i, "số") && count_unit.is_none() && quantity_unit.is_none() {
        return num_end;
    }
    let (kind, unit, end) = match (count_unit, quantity_unit) {
        (Some((n, _)), Some((m, q))) if m > n => (Kind::Quantity, Some(q.to_string()), num_end + m),
        (Some((n, u)), _) => (Kind::Count, Some(u.to_string()), num_end + n),
        (None, Some((m, q))) => (Kind::Quantity, Some(q.to_string()), num_end + m),
        (None, None) => (Kind::Count, None, num_end),
    };
    out.push(Found {
        start: qual_start,
        end,
        value: Value { kind: Some(kind), value: Some(number), unit, qualifier, ..Default::default() },
        normalized: None,
    });
    end
}

/// "24/7" (around the clock) without a unit after it.
fn fixed_expression(input: &str) -> Option<usize> {
    vocab().figures.fixed_expressions.iter().find_map(|e| {
        let rest = input.strip_prefix(e.as_str())?;
        let unit = unit_word(rest, &vocab().figures.count_units, false);
        (!rest.starts_with(|c: char| c.is_ascii_digit() || c == '/' || c == ',' && rest[1..].starts_with(|d: char| d.is_ascii_digit())) && unit.is_none()).then_some(e.len())
    })
}

/// " ngàn" + a count unit after a number: the byte length of the multiplier
/// word (with its leading space) and its factor. Money has its own units
/// ("nghìn tỷ đồng" is not a count).
fn count_multiplier(rest: &str) -> Option<(usize, f64)> {
    let trimmed = rest.strip_prefix(' ')?;
    vocab().figures.count_multipliers.iter().find_map(|m| {
        let n = starts_with_word(trimmed, &m.word)?;
        let after = &trimmed[n..];
        let unit = unit_word(after, &vocab().figures.count_units, false)?;
        let _ = unit;
        Some((1 + n, m.factor))
    })
}

fn canonical_money_unit(word: &str) -> &'static str {
    // Values are always in đồng; the unit records what was written.
    match word {
        "nghìn tỷ đồng" | "ngàn tỷ đồng" => "nghìn tỷ đồng",
        "tỷ đồng" => "tỷ đồng",
        "triệu đồng" => "triệu đồng",
        "nghìn đồng" | "ngàn đồng" => "nghìn đồng",
        _ => "đồng",
    }
}

/// "/2/3…" after a number: two or more slashes between digits.
fn slash_chain(rest: &str) -> bool {
    let b = rest.as_bytes();
    if b.first() != Some(&b'/') {
        return false;
    }
    let n = b[1..].iter().take_while(|c| c.is_ascii_digit() || **c == b'.' || **c == b',').count();
    n > 0 && b.get(1 + n) == Some(&b'/') && b.get(2 + n).is_some_and(u8::is_ascii_digit)
}

fn looks_like_month_year(input: &str) -> bool {
    // "12/2025" but not "2.356/2.438": one or two digits, a slash, a year.
    // Look only at the digits and the byte after them (never search the rest of the text).
    let a = input.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&a) && input.as_bytes().get(a) == Some(&b'/') && year(&input[a + 1..]).is_ok()
}

fn english_decimal(text: &str, start: usize, num_end: usize) -> Option<(f64, usize)> {
    let rest = &text[num_end..];
    let digits = rest.strip_prefix('.')?;
    let n = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    let after = &digits[n..];
    if n == 0 || n > 2 || !(after.starts_with('%') || after.starts_with(" %") || after.starts_with('/')) {
        return None;
    }
    let end = num_end + 1 + n;
    text[start..end].parse::<f64>().ok().map(|v| (v, end))
}

fn is_locator(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end_matches(' ');
    vocab().figures.not_figure_after.iter().filter(|w| w.as_str() != "số").any(|w| ends_with_word(before, w).is_some())
}

/// After a locator, also skip ", 4" / " và 5" continuations ("mức độ 3, 4").
fn skip_locator_list(text: &str, mut end: usize) -> usize {
    loop {
        let rest = &text[end..];
        let after_sep = rest
            .strip_prefix(", ")
            .or_else(|| rest.strip_prefix(","))
            .or_else(|| rest.strip_prefix(" và "))
            .or_else(|| rest.strip_prefix("-"));
        match after_sep {
            Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => {
                let n = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                if n > 2 {
                    return end;
                }
                end = text.len() - r.len() + n;
            }
            _ => return end,
        }
    }
}

/// Qualifier right before the number: "tối thiểu 50%", ">99%", "dưới 08 phút".
fn qualifier_before(text: &str, i: usize) -> (usize, Option<String>) {
    let before = &text[..i];
    let trimmed = before.trim_end_matches(' ');
    for q in &vocab().figures.qualifiers {
        if let Some(s) = ends_with_word(trimmed, &q.word) {
            return (s, Some(q.op.clone()));
        }
    }
    (i, None)
}

/// "843/847", "03/03 vấn đề", "2.356 hồ sơ/2.438 hồ sơ" (the unit form is
/// joined later by `join_long_fractions`).
fn fraction_at(text: &str, start: usize, num_end: usize, numerator: f64, qual_start: usize, qualifier: Option<String>) -> Option<Found> {
    let rest = text[num_end..].strip_prefix('/')?;
    let (rest2, denominator) = vn_number(rest).ok()?;
    if rest2.starts_with('/') || rest2.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let den_end = text.len() - rest2.len();
    let unit = unit_word(rest2, &vocab().figures.count_units, true);
    let end = unit.map_or(den_end, |(n, _)| den_end + n);
    let kind = if is_rank(text, qual_start.min(start)) {
        Kind::Rank
    } else if is_score(text, start, numerator, denominator, unit.map(|u| u.1)) {
        Kind::Score
    } else {
        Kind::Fraction
    };
    Some(Found {
        start: qual_start,
        end,
        value: Value {
            kind: Some(kind),
            numerator: Some(numerator),
            denominator: Some(denominator),
            unit: unit.map(|(_, u)| u.to_string()),
            qualifier,
            ..Default::default()
        },
        normalized: None,
    })
}

/// "xếp hạng 13/63", "đứng thứ 6/9", "xếp hạng thứ 10/63": a rank word right
/// before the number (a colon may stand between).
fn is_rank(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', ':']);
    vocab().figures.rank_words.iter().any(|w| ends_with_word(before, w).is_some())
}

/// "69,63/100 điểm", "đạt 65.2/100 điểm": the score word after the fraction,
/// or a score-scale denominator with the score word earlier in the clause
/// ("Tổng số điểm … đạt: 69,63/100").
fn is_score(text: &str, start: usize, numerator: f64, denominator: f64, unit: Option<&str>) -> bool {
    let v = &vocab().figures;
    if !v.score_maxima.iter().any(|m| (m - denominator).abs() < 1e-9) || numerator > denominator {
        return false;
    }
    if unit.is_some_and(|u| v.score_words.iter().any(|w| w == u)) {
        return true;
    }
    let mut from = start.saturating_sub(80);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let clause = text[from..start].rsplit([',', ';', '.', '(']).next().unwrap_or("");
    let lower = clause.to_lowercase();
    v.score_words.iter().any(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|t| t == w.to_lowercase()))
}

/// Long-form fractions: "1.221 hồ sơ đã tiếp nhận trực tuyến /3.797 hồ sơ",
/// "7 dịch vụ công (tổng số DVCTT mức độ 4) / 82 dịch vụ công".
fn join_long_fractions(text: &str, figs: &mut Vec<Found>) {
    let mut dead = vec![false; figs.len()];
    for k in 0..figs.len() {
        let f = &figs[k];
        let denominator_like = matches!(f.kind(), Some(Kind::Count) | Some(Kind::Quantity) | Some(Kind::Money)) && matches!(f.value.qualifier.as_deref(), None | Some(">") | Some("~"));
        let slash = total_word_before(text[..f.start].trim_end_matches(' '));
        if !denominator_like || !slash.ends_with('/') {
            continue;
        }
        let slash_pos = slash.len() - 1;
        if let Some(j) = numerator_before(text, figs, &dead, k, slash_pos) {
            let unit = figs[k].value.unit.clone().or_else(|| figs[j].value.unit.clone());
            figs[j] = Found {
                start: figs[j].start,
                end: figs[k].end,
                value: Value {
                    kind: Some(Kind::Fraction),
                    numerator: figs[j].value.value,
                    denominator: figs[k].value.value,
                    unit,
                    qualifier: figs[j].value.qualifier.clone(),
                    ..Default::default()
                },
                normalized: None,
            };
            // Figures strictly between j and k stay (they are inside the noun phrase).
            dead[k] = true;
        }
    }
    let mut i = 0;
    figs.retain(|_| {
        let keep = !dead[i];
        i += 1;
        keep
    });
    figs.sort_by_key(|f| f.start);
}

/// "…/tổng số hơn 166.200 hồ sơ": the slash may be followed by the words
/// naming the total before the denominator.
fn total_word_before(before: &str) -> &str {
    vocab().figures.total_words.iter().find_map(|w| ends_with_word(before, w).map(|p| before[..p].trim_end_matches(' '))).unwrap_or(before)
}

/// The nearest count before `slash_pos` in the same clause, skipping
/// figures inside a closed parenthesis ("(tổng số DVCTT mức độ 4)").
fn numerator_before(text: &str, figs: &[Found], dead: &[bool], k: usize, slash_pos: usize) -> Option<usize> {
    for j in (0..k).rev() {
        if dead[j] {
            continue;
        }
        let g = &figs[j];
        let from = g.end.min(slash_pos);
        let between = &text[from..slash_pos];
        if slash_pos.saturating_sub(g.end) > 220 || between.contains(';') || sentence_break(between) {
            return None;
        }
        if inside_closed_parens(text, g.start, slash_pos) {
            continue;
        }
        // Counts over counts, money over money ("5.817,196 tỷ đồng/5.937,440 tỷ đồng").
        let same_kind = match figs[k].kind() {
            Some(Kind::Money) => g.kind() == Some(Kind::Money),
            _ => g.kind() == Some(Kind::Count),
        };
        return same_kind.then_some(j);
    }
    None
}

fn sentence_break(between: &str) -> bool {
    between.contains(". ") && between.split(". ").skip(1).any(|s| s.starts_with(|c: char| c.is_uppercase()))
}

/// True when position `p` is inside a "( … )" that closes before `limit`.
fn inside_closed_parens(text: &str, p: usize, limit: usize) -> bool {
    let from = p.saturating_sub(300);
    let from = (from..=p).find(|i| text.is_char_boundary(*i)).unwrap_or(p);
    let open = text[from..p].rfind('(').map(|o| o + from);
    let close_before = text[from..p].rfind(')').map(|c| c + from);
    match open {
        Some(o) if close_before.is_none_or(|c| c < o) => text[p..limit].contains(')'),
        _ => false,
    }
}

/// "843/847 hồ sơ đạt 99,52%": the first percent after a fraction in the
/// same clause (no other count or fraction in between, no ';').
///
/// Also "Trên 80% (1.397/1.725 TTHC)": a percent right before the
/// parenthesised fraction. A bound far from the fraction's own ratio
/// ("còn 06/34 địa phương tỷ lệ đạt dưới 90%") describes the members of the
/// set, not the share, and is not attached.
fn attach_stated_percents(text: &str, figs: &mut [Found]) {
    for k in 0..figs.len() {
        if figs[k].kind() != Some(Kind::Fraction) {
            continue;
        }
        if k > 0 && figs[k - 1].kind() == Some(Kind::Percent) && text.get(figs[k - 1].end..figs[k].start).is_some_and(|b| b.trim() == "(") {
            figs[k].value.stated_percent = figs[k - 1].value.value;
            continue;
        }
        for j in k + 1..figs.len() {
            let g = &figs[j];
            let between = &text[figs[k].end.min(g.start)..g.start];
            if between.contains(';') || between.len() > 200 || sentence_break(between) {
                break;
            }
            match g.kind() {
                Some(Kind::Percent) => {
                    if !bound_of_members(&figs[k].value, &g.value) {
                        figs[k].value.stated_percent = g.value.value;
                    }
                    break;
                }
                Some(Kind::Date) | Some(Kind::Period) => continue,
                _ => break,
            }
        }
    }
}

/// A comparison bound ("dưới 90%") more than 10 points away from the
/// fraction's own ratio: a threshold on the members, not its share.
pub fn bound_of_members(fraction: &Value, percent: &Value) -> bool {
    let comparison = matches!(percent.qualifier.as_deref(), Some("<") | Some("<=") | Some(">") | Some(">="));
    match (fraction.numerator, fraction.denominator, percent.value) {
        (Some(n), Some(d), Some(p)) if comparison && d > 0.0 => (n / d * 100.0 - p).abs() > 10.0,
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Found {
        let f = scan(text);
        assert_eq!(f.len(), 1, "{text:?} → {f:?}");
        f.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    fn kinds(text: &str) -> Vec<(String, Option<Kind>)> {
        scan(text).iter().map(|f| (f.raw(text).to_string(), f.kind())).collect()
    }

    #[test]
    fn numbers_with_vietnamese_separators() {
        assert_eq!(vn_number("1.246").map(|r| r.1), Ok(1246.0));
        assert_eq!(vn_number("16.091.000").map(|r| r.1), Ok(16091000.0));
        assert_eq!(vn_number("99,52").map(|r| r.1), Ok(99.52));
        assert_eq!(vn_number("8,3").map(|r| r.1), Ok(8.3));
        assert_eq!(vn_number("02").map(|r| r.1), Ok(2.0));
        // "2025." at a sentence end is 2025, not a grouped number.
        assert_eq!(vn_number("2025.").map(|r| r.1), Ok(2025.0));
        assert_eq!(vn_number("1.246. ").map(|r| r.1), Ok(1246.0));
    }

    #[test]
    fn counts_with_units() {
        // 000: "tổng số người tham gia cuộc thi: 1.246."
        let f = one("có tổng số người tham gia cuộc thi: 1.246.");
        assert_eq!((f.kind(), f.value.value), (Some(Kind::Count), Some(1246.0)));
        let f = one("Phát 1.200 tờ rơi hướng dẫn");
        assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(1200.0), Some("tờ rơi")));
        let f = one("đã rà soát 12 TTHC, qua rà soát");
        assert_eq!(f.value.unit.as_deref(), Some("TTHC"));
        let f = one("Tổ chức 06 buổi tuyên truyền");
        assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(6.0), Some("buổi")));
        let f = one("đến nay có 7.102 học viên tham gia");
        assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(7102.0), Some("học viên")));
        let f = one("hơn 120 lượt cán bộ");
        assert_eq!((f.value.value, f.value.qualifier.as_deref(), f.raw("hơn 120 lượt cán bộ")), (Some(120.0), Some(">"), "hơn 120 lượt"));
    }

    #[test]
    fn percents() {
        let t = "đạt 99,52%";
        let f = one(t);
        assert_eq!((f.kind(), f.value.value, f.raw(t)), (Some(Kind::Percent), Some(99.52), "99,52%"));
        assert_eq!(one("100%").value.value, Some(100.0));
        let f = one(">99%");
        assert_eq!((f.value.value, f.value.qualifier.as_deref(), f.raw(">99%")), (Some(99.0), Some(">"), ">99%"));
        let f = one("đạt tối thiểu 50%");
        assert_eq!((f.value.value, f.value.qualifier.as_deref()), (Some(50.0), Some(">=")));
        let f = one("là dưới 08 phút; thời gian");
        assert_eq!((f.kind(), f.value.value, f.value.unit.as_deref(), f.value.qualifier.as_deref()), (Some(Kind::Quantity), Some(8.0), Some("phút"), Some("<")));
    }

    #[test]
    fn fractions_and_stated_percent() {
        // 001: "843/847 hồ sơ đạt 99,52%"
        let t = "đã giải quyết và trả cho công dân là 843/847 hồ sơ đạt 99,52% còn lại 03 hồ sơ";
        let f = scan(t);
        assert_eq!(f[0].raw(t), "843/847 hồ sơ");
        assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(843.0), Some(847.0), Some(99.52)));
        assert_eq!(f[1].value.value, Some(99.52));
        assert_eq!((f[2].value.value, f[2].value.unit.as_deref()), (Some(3.0), Some("hồ sơ")));
        // 001: "Đại học: 11/12 người, tỷ lệ: 91,17%"
        let t = "Thạc sỹ: 01/12 đạt 8,3%, Đại học: 11/12 người, tỷ lệ: 91,17%.";
        let f: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(1.0), Some(12.0), Some(8.3)));
        assert_eq!((f[1].value.numerator, f[1].value.stated_percent), (Some(11.0), Some(91.17)));
        // 000: "03/03 vấn đề", "01/7 văn bản"
        let f = one("đã khắc phục 03/03 vấn đề kiến nghị");
        assert_eq!((f.value.numerator, f.value.denominator, f.value.unit.as_deref()), (Some(3.0), Some(3.0), Some("vấn đề")));
        let f = one("01/7 văn bản còn thời hạn xử lý");
        assert_eq!((f.value.numerator, f.value.denominator), (Some(1.0), Some(7.0)));
    }

    #[test]
    fn long_form_fractions() {
        // 000: "2.356 hồ sơ/2.438 hồ sơ … đạt 96,7%"
        let t = "trong kỳ 2.356 hồ sơ/2.438 hồ sơ có phát sinh thanh toán trực tuyến, đạt 96,7%; 82 hồ sơ";
        let f = scan(t);
        assert_eq!(f[0].raw(t), "2.356 hồ sơ/2.438 hồ sơ");
        assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(2356.0), Some(2438.0), Some(96.7)));
        // 004: number, noun phrase, "/", number on a wrapped line.
        let t = "của các TTHC có phát sinh hồ sơ trực tuyến mức độ 4 là: có 1.221 hồ sơ đã tiếp nhận trực tuyến /3.797 hồ sơ đã tiếp nhận trong năm (cả trực tuyến và truyền thống) của các TTHC có phát sinh hồ sơ trực tuyến mức độ 4, đạt tỷ lệ 32,16%.";
        let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!(fr.len(), 1);
        assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(1221.0), Some(3797.0), Some(32.16)));
        // 004: "20 TTHC có phát sinh hồ sơ trực tuyến /103TTHC"
        let t = "là: 20 TTHC có phát sinh hồ sơ trực tuyến /103TTHC đang cung cấp trực tuyến mức độ 3,4, đạt tỷ lệ 19,4%.";
        let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(20.0), Some(103.0), Some(19.4)));
        // 004: parenthesised numbers are skipped when looking for the numerator.
        let t = "Có 7 dịch vụ công trực tuyến toàn trình (tổng số DVCTT mức độ 4) / 82 dịch vụ công đủ điều kiện đạt tỷ lệ 8,53%.";
        let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(7.0), Some(82.0), Some(8.53)));
    }

    #[test]
    fn money() {
        let f = one("là: 16.091.000 đồng");
        assert_eq!((f.kind(), f.value.value), (Some(Kind::Money), Some(16091000.0)));
        let f = one("1.198.020.000đ");
        assert_eq!(f.value.value, Some(1198020000.0));
        let t = "Dự kiến thu năm 2026: 348.544 triệu đồng.";
        let m: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Money)).collect();
        assert_eq!(m[0].value.value, Some(348544000000.0));
        assert_eq!(m[0].raw(t), "348.544 triệu đồng");
        let f = one("hỗ trợ 01 tỷ đồng cho các chủ tàu cá");
        assert_eq!(f.value.value, Some(1e9));
        let f = one("đây là những hồ sơ có phí 0đ).");
        assert_eq!((f.kind(), f.value.value), (Some(Kind::Money), Some(0.0)));
    }

    #[test]
    fn dates_and_periods() {
        let t = "Kế hoạch số 04/KH-UBND ngày 23/7/2025 của UBND";
        let f = one(t);
        assert_eq!((f.kind(), f.normalized.as_deref()), (Some(Kind::Date), Some("2025-07-23")));
        let f = one("ngày 06 tháng 3 năm 2025");
        assert_eq!(f.normalized.as_deref(), Some("2025-03-06"));
        assert_eq!(one("trong Quý I/2025 được").normalized.as_deref(), Some("2025-Q1"));
        assert_eq!(one("Quý I năm 2025 trên địa bàn").normalized.as_deref(), Some("2025-Q1"));
        assert_eq!(one("báo cáo 6 tháng đầu năm").normalized.as_deref(), Some("H1"));
        assert_eq!(one("trong năm 2025").normalized.as_deref(), Some("2025"));
        assert_eq!(one("giai đoạn 2021-2025, tầm nhìn").normalized.as_deref(), Some("2021/2025"));
        let t = "ngân sách 03 năm 2026 – 2028";
        assert_eq!(kinds(t), vec![("03 năm".to_string(), Some(Kind::Quantity)), ("2026 – 2028".to_string(), Some(Kind::Period))]);
        assert_eq!(one("trong tháng 12/2025.").normalized.as_deref(), Some("2025-12"));
        assert_eq!(one("(tính đến 31/3)").normalized.as_deref(), Some("--03-31"));
    }

    #[test]
    fn references_are_not_figures() {
        for t in [
            "Kế hoạch số 04/KH-UBND",
            "Quyết định số 393/QĐ-UBND",
            "Nghị định số 45/2020/NĐ-CP",
            "Kế hoạch số 50-KH/ĐU",
            "(Báo cáo 75/BC-KTHT",
            "Báo cáo số 40 /BC-UBND",
            "Tờ trình số 05/TTr-HCC",
            "Nghị quyết số 142/2024/QH15",
            "Quyết định số 03/2025/UBND",
            "tại Điểm c Khoản 1 Điều 104 Nghị định",
            "quy định tại Điều 4 và khoản 1 Điều 5",
            "https://camthanh.quangngai.gov.vn/upload/2007014/fck/726THONG_BAO_633fb.pdf",
            "điện thoại 0255382211",
            "Phường 2, thị xã Quảng Trị",
            "ISO TCVN: 9001:2015",
            "trực tuyến mức độ 3, 4",
            "chuyển đổi sang công nghệ Ipv6",
            "tại cơ quan1. ",
        ] {
            let f = scan(t);
            assert!(f.iter().all(|f| f.kind() != Some(Kind::Fraction) && f.kind() != Some(Kind::Count)), "{t:?} → {:?}", kinds(t));
        }
    }

    #[test]
    fn ranks_and_scores_are_not_fractions() {
        // 038: "69,63/100 điểm, xếp hạng 13/63 tỉnh, thành phố"; "65.2/100 điểm, xếp hạng thứ 10/63".
        let t = "Tổng số điểm An Giang đạt: 69,63/100 điểm, xếp hạng 13/63 tỉnh, thành phố";
        let k = kinds(t);
        assert_eq!(k[0], ("69,63/100 điểm".to_string(), Some(Kind::Score)));
        assert_eq!(k[1].1, Some(Kind::Rank));
        let t = "ngày 27/3/2023 tỉnh đạt 65.2/100 điểm, xếp hạng thứ 10/63 tỉnh, thành phố";
        let f: Vec<_> = scan(t).into_iter().filter(|f| matches!(f.kind(), Some(Kind::Score) | Some(Kind::Rank))).collect();
        assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].kind()), (Some(65.2), Some(100.0), Some(Kind::Score)));
        assert_eq!((f[1].value.numerator, f[1].value.denominator, f[1].kind()), (Some(10.0), Some(63.0), Some(Kind::Rank)));
        // 035 "đứng thứ 6/9 huyện, thị, thành phố"; seed 003 "xếp vị trí 01/63 tỉnh".
        assert_eq!(one("đứng thứ 6/9 huyện, thị").kind(), Some(Kind::Rank));
        assert_eq!(kinds("97,34%, xếp vị trí 01/63 tỉnh, thành phố")[1].1, Some(Kind::Rank));
    }

    #[test]
    fn footnotes_placeholders_and_fixed_expressions() {
        // 001: "Cắt giảm 2.269/6.974 ĐKKD[3] thuộc ngành, nghề … (đạt 32,5%)".
        let t = "(2) Cắt giảm 2.269/6.974 ĐKKD[3] thuộc ngành, nghề đầu tư, kinh doanh có điều kiện (đạt 32,5%).";
        let f: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!(scan(t).len(), 3, "(2), the fraction and the percent, not the [3]: {:?}", kinds(t));
        assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(2269.0), Some(6974.0), Some(32.5)));
        // Placeholder dates of exported forms and "24/7" are never fractions.
        assert_eq!(one("ngày ký 01/01/0001").kind(), Some(Kind::Date));
        assert!(scan("phục vụ 24/7 cho người dân").is_empty());
        // "tuần 02" names a week.
        assert!(scan("so với tuần 02, trong đó").is_empty());
    }

    #[test]
    fn multipliers_dot_decimals_and_money_fractions() {
        // 028: "đã tiếp nhận 10,18 ngàn hồ sơ (HS)", "8,96 ngàn HS".
        let f = one("đã tiếp nhận 10,18 ngàn hồ sơ (HS) các loại");
        assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(10180.0), Some("hồ sơ")));
        assert_eq!(one("có 8,96 ngàn HS giải quyết").value.value, Some(8960.0));
        // 026: "tỷ lệ 99.4%" is 99,4.
        assert_eq!(one("đúng hạn đạt 99.4%").value.value, Some(99.4));
        // 002: "5.817,196 tỷ đồng/5.937,440 tỷ đồng, đạt 97,97%".
        let t = "thực hiện cả năm 5.817,196 tỷ đồng/5.937,440 tỷ đồng, đạt 97,97% kế hoạch";
        let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(5817196000000.0), Some(5937440000000.0), Some(97.97)));
        // 040: "gần 75.800 hồ sơ … trực tuyến/tổng số hơn 166.200 hồ sơ".
        let t = "gần 75.800 hồ sơ dịch vụ công được thực hiện trực tuyến/tổng số hơn 166.200 hồ sơ";
        let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!((fr[0].value.numerator, fr[0].value.denominator), (Some(75800.0), Some(166200.0)));
        // "năm 2025 tỉnh Quảng Ngãi": a year, not 2025 provinces.
        assert_eq!(one("Kế hoạch cải cách hành chính năm 2025 tỉnh Quảng Ngãi").kind(), Some(Kind::Period));
    }

    #[test]
    fn stated_percent_before_the_fraction_and_thresholds() {
        // 040: "Trên 80% (1.397/1.725 TTHC)"; seed 004: "đạt chuẩn 100% (18/18 CBCC)".
        let fr: Vec<_> = scan("Trên 80% (1.397/1.725 TTHC)").into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!(fr[0].value.stated_percent, Some(80.0));
        let fr: Vec<_> = scan("chuyên môn đạt chuẩn 100% (18/18 CBCC) theo quy định").into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!(fr[0].value.stated_percent, Some(100.0));
        // 001 footnote [5]: "còn 06/34 địa phương tỷ lệ đạt dưới 90%" — a bound on the
        // members, not the share of 06/34 (17,6 %).
        let fr: Vec<_> = scan("các tỉnh cơ bản đạt trên 90% còn 06/34 địa phương tỷ lệ đạt dưới 90% gồm:").into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
        assert_eq!((fr[0].value.numerator, fr[0].value.stated_percent), (Some(6.0), None));
    }

    #[test]
    fn cell_values() {
        let v = |s: &str| parse_value(s);
        assert_eq!(v("100").and_then(|v| v.value), Some(100.0));
        assert_eq!(v("99,82").and_then(|v| v.value), Some(99.82));
        assert_eq!(v("100%").and_then(|v| v.kind), Some(Kind::Percent));
        let t = v("Tối thiểu 60").unwrap_or_default();
        assert_eq!((t.value, t.qualifier.as_deref()), (Some(60.0), Some(">=")));
        let t = v(">99%").unwrap_or_default();
        assert_eq!((t.value, t.qualifier.as_deref()), (Some(99.0), Some(">")));
        let t = v("843/843").unwrap_or_default();
        assert_eq!((t.numerator, t.denominator), (Some(843.0), Some(843.0)));
        assert_eq!(v("1.198.020.000đ").and_then(|v| v.value), Some(1198020000.0));
        assert_eq!(v("4 Tổ chức và 9 cá nhân").and_then(|v| v.value), Some(4.0));
        assert_eq!(v("x"), None);
        assert_eq!(v("Liên thông 3 cấp"), None);
        assert_eq!(v("Kế hoạch số 02/KH-UBND ngày 03/01/2024"), None);
        assert_eq!(v("01").and_then(|v| v.value), Some(1.0));
        assert_eq!(v("2025").and_then(|v| v.value), Some(2025.0));
    }
}
