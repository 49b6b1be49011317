//! The figure grammar at one number: one `alt` over named combinators,
//! the context checks (what stands before the number) included.

use nom::branch::alt;
use nom::{IResult, Parser};

use super::*;
use super::{dates::*, numbers::*};
use crate::model::{Kind, Value};
use crate::vocab::{ends_with_word, indexes, vocab};

/// Word right before position `i` (skipping one run of spaces), lowercased.
pub(crate) fn preceded_by(text: &str, i: usize, word: &str) -> bool {
    ends_with_word(text[..i].trim_end_matches(' '), word).is_some()
}

/// Where the grammar is: the whole text and the byte index of the number
/// (the context checks look behind it).
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub text: &'a str,
    pub at: usize,
}

impl<'a> Cx<'a> {
    fn before(&self) -> &'a str {
        &self.text[..self.at]
    }
    fn digits_end(&self) -> usize {
        let input = &self.text[self.at..];
        self.at + input.find(|c: char| !c.is_ascii_digit()).unwrap_or(input.len())
    }
    /// The rest of the text from byte `end` (a parser's remaining input).
    fn from(&self, end: usize) -> &'a str {
        &self.text[end.min(self.text.len())..]
    }
    fn preceded_by_any(&self, words: &[&str]) -> bool {
        words.iter().any(|w| preceded_by(self.text, self.at, w))
    }
}

/// What the grammar makes of the text at a number: a figure, or `None` for
/// a span that is not one (a reference, a locator, a footnote mark …).
pub(crate) type Token = Option<Found>;

type Res<'a> = IResult<&'a str, Token>;

fn fail<'a>(i: &'a str) -> Res<'a> {
    Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify)))
}

/// Tries the grammar at a digit; pushes the figure; returns the byte index
/// to continue from.
///
/// ```text
/// token := glued | footnote_mark | fixed_expression | phone_like | reference
///        | date | day_date | day_month | half_year | year_range | month_year
///        | locator | clock | amount
/// ```
pub(crate) fn scan_number_at(text: &str, i: usize, out: &mut Vec<Found>) -> usize {
    let cx = Cx { text, at: i };
    let input = &text[i..];
    let parsed = alt((
        glued(cx),
        footnote_mark(cx),
        fixed(cx),
        phone_like(cx),
        skip_reference(cx),
        date_figure(cx),
        day_date(cx),
        day_month_figure(cx),
        period_figure(cx, half_year),
        period_figure(cx, year_range),
        month_year_figure(cx),
        locator(cx),
        clock(cx),
        amount(cx),
    ))
    .parse(input);
    match parsed {
        Ok((rest, token)) => {
            out.extend(token);
            (text.len() - rest.len()).max(i + 1)
        }
        Err(_) => cx.digits_end(),
    }
}

/// Glued to a letter on the left (a footnote marker or a name: "quan1",
/// "Ipv6"), or the tail of a number already read ("/103TTHC" is a
/// denominator; "1.1" continuation).
fn glued<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| {
        let prev = cx.before().chars().next_back();
        let glued = prev.is_some_and(|p| p.is_alphabetic() || p == '_')
            || prev.is_some_and(|p| matches!(p, '.' | ',' | ':')) && cx.text[..cx.at - 1].chars().next_back().is_some_and(|c| c.is_ascii_digit());
        if glued {
            Ok((cx.from(cx.digits_end()), None))
        } else {
            fail(i)
        }
    }
}

/// "ĐKKD[3]", "dữ liệu[2]": a bracketed number is a reference mark.
fn footnote_mark<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| {
        let end = cx.digits_end();
        if cx.before().ends_with('[') && cx.text[end..].starts_with(']') {
            Ok((cx.from(end + 1), None))
        } else {
            fail(i)
        }
    }
}

/// "phục vụ 24/7".
fn fixed<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| match fixed_expression(i) {
        Some(n) => Ok((cx.from(cx.at + n), None)),
        None => fail(i),
    }
}

/// Phone-like: 9+ digits in a row.
fn phone_like<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| {
        let end = cx.digits_end();
        if end - cx.at >= 9 {
            Ok((cx.from(end), None))
        } else {
            fail(i)
        }
    }
}

/// References are never figures ("04/KH-UBND", "45/2020/NĐ-CP").
fn skip_reference<'a>(_cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| reference(i).map(|(rest, _)| (rest, None))
}

/// "23/7/2025", "01/01/0001".
fn date_figure<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| slash_date(i).map(|(rest, d)| (rest, Some(date(cx.at, cx.text.len() - rest.len(), d))))
}

/// "ngày 06 tháng 3 năm 2025".
fn day_date<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| {
        if !cx.preceded_by_any(&[vocab().figures.date_words.day.as_str()]) {
            return fail(i);
        }
        long_date(i).map(|(rest, d)| (rest, Some(date(cx.at, cx.text.len() - rest.len(), d))))
    }
}

/// "ngày 31/3", "đến 31/3": a day and month after a day word.
fn day_month_figure<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| {
        let w = &vocab().figures.date_words;
        let after_day = cx.preceded_by_any(&[w.day.as_str()]) || w.from_to.iter().any(|t| preceded_by(cx.text, cx.at, t));
        if !after_day {
            return fail(i);
        }
        day_month(i).map(|(rest, d)| (rest, Some(date(cx.at, cx.text.len() - rest.len(), d))))
    }
}

/// A period written from this number on ("6 tháng đầu năm", "2021-2025").
fn period_figure<'a>(cx: Cx<'a>, grammar: fn(&str) -> IResult<&str, Period>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| grammar(i).map(|(rest, p)| (rest, Some(period(cx.at, cx.text.len() - rest.len(), p))))
}

/// "tháng 12/2025", "12/2025" (a month and a year, not a fraction).
fn month_year_figure<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| {
        if !(cx.preceded_by_any(&[vocab().figures.date_words.month.as_str()]) || looks_like_month_year(i)) {
            return fail(i);
        }
        period_figure(cx, month_year)(i)
    }
}

/// "Điều 104", "mức độ 3, 4", "Phường 2": a number naming something.
fn locator<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| if is_locator(cx.text, cx.at) { Ok((cx.from(skip_locator_list(cx.text, cx.digits_end())), None)) } else { fail(i) }
}

/// "ISO 9001:2015", "7:30": skip the whole token.
fn clock<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |i| {
        let end = cx.digits_end();
        let after = &cx.text[end..];
        if after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            let run = i.find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')' | '(')).unwrap_or(i.len());
            Ok((cx.from(cx.at + run), None))
        } else {
            fail(i)
        }
    }
}

/// A number that is an amount: fraction, percent, money, count or quantity
/// (with its qualifier before and unit after), a year standing alone, or
/// nothing ("số 12", a code glued to letters, a chain of slashes).
fn amount<'a>(cx: Cx<'a>) -> impl Fn(&'a str) -> Res<'a> {
    move |input| {
        let (text, i) = (cx.text, cx.at);
        let skip_run = || i + input.find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ')' | '(')).unwrap_or(input.len());
        let (rest, number) = vn_number(input)?;
        let num_end = text.len() - rest.len();
        // "1/2/3", "12/5/7/2024-x": a chain of slashes that is neither a date, a
        // reference nor a fraction is a code; skip it whole.
        if slash_chain(rest) {
            let end = num_end + rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '/' | '.' | ','))).unwrap_or(rest.len());
            return Ok((cx.from(end), None));
        }
        // English decimal point: "99.52%", "65.2/100".
        let (number, num_end) = english_decimal(text, i, num_end).unwrap_or((number, num_end));
        let rest = &text[num_end..];
        let (qual_start, qualifier) = qualifier_before(text, i);
        if let Some(f) = fraction_at(text, i, num_end, number, qual_start, qualifier.clone()) {
            return Ok((cx.from(f.end), Some(f)));
        }
        if let Some(p) = rest.strip_prefix('%').map(|_| 1).or_else(|| rest.strip_prefix(" %").map(|_| 2)) {
            let end = num_end + p;
            let value = Value { kind: Some(Kind::Percent), value: Some(number), unit: Some("%".into()), qualifier, ..Default::default() };
            return Ok((cx.from(end), Some(Found { start: qual_start, end, value, normalized: None })));
        }
        if let Some((n, factor, word)) = money_unit(rest) {
            let end = num_end + n;
            let value =
                Value { kind: Some(Kind::Money), value: Some(number * factor), unit: Some(canonical_money_unit(word).into()), qualifier, ..Default::default() };
            return Ok((cx.from(end), Some(Found { start: qual_start, end, value, normalized: None })));
        }
        // "10,18 ngàn hồ sơ": a multiplier word before a count unit.
        let v = vocab();
        let (number, num_end, rest) = match count_multiplier(rest) {
            Some((n, factor)) => (number * factor, num_end + n, &text[num_end + n..]),
            None => (number, num_end, rest),
        };
        // Glued letters that are not a unit: a code or a name ("4G", "3D").
        let glued_letter = rest.chars().next().is_some_and(|c| c.is_alphabetic());
        let count_unit = unit_word(rest, &indexes().count_units, true);
        let quantity_unit = unit_word(rest, &indexes().quantity_units, true);
        let unitless = count_unit.is_none() && quantity_unit.is_none();
        if glued_letter && unitless {
            return Ok((cx.from(skip_run()), None));
        }
        // Years standing alone: "năm 2025", "đến năm 2030"; after "năm" a year
        // stays a year whatever follows ("năm 2025 tỉnh Quảng Ngãi").
        let year_word = v.figures.date_words.year.as_str();
        let is_year_like = number.fract() == 0.0 && (1945.0..=2100.0).contains(&number) && num_end - i == 4;
        if is_year_like && (preceded_by(text, i, year_word) || unitless) {
            #[allow(clippy::cast_possible_truncation)]
            let p = Period::Year(number as i32);
            return Ok((cx.from(num_end), Some(period(i, num_end, p))));
        }
        // "số 12": a document number without a unit.
        if unitless && v.figures.not_figure_after.iter().any(|w| w == "số") && preceded_by(text, i, "số") {
            return Ok((cx.from(num_end), None));
        }
        let (kind, unit, end) = match (count_unit, quantity_unit) {
            (Some((n, _)), Some((m, q))) if m > n => (Kind::Quantity, Some(q.to_string()), num_end + m),
            (Some((n, u)), _) => (Kind::Count, Some(u.to_string()), num_end + n),
            (None, Some((m, q))) => (Kind::Quantity, Some(q.to_string()), num_end + m),
            (None, None) => (Kind::Count, None, num_end),
        };
        let value = Value { kind: Some(kind), value: Some(number), unit, qualifier, ..Default::default() };
        Ok((cx.from(end), Some(Found { start: qual_start, end, value, normalized: None })))
    }
}

/// "24/7" (around the clock) without a unit after it.
pub(crate) fn fixed_expression(input: &str) -> Option<usize> {
    vocab().figures.fixed_expressions.iter().find_map(|e| {
        let rest = input.strip_prefix(e.as_str())?;
        let unit = unit_word(rest, &indexes().count_units, false);
        (!rest.starts_with(|c: char| c.is_ascii_digit() || c == '/' || c == ',' && rest[1..].starts_with(|d: char| d.is_ascii_digit())) && unit.is_none())
            .then_some(e.len())
    })
}

/// "/2/3…" after a number: two or more slashes between digits.
pub(crate) fn slash_chain(rest: &str) -> bool {
    let b = rest.as_bytes();
    if b.first() != Some(&b'/') {
        return false;
    }
    let n = b[1..].iter().take_while(|c| c.is_ascii_digit() || **c == b'.' || **c == b',').count();
    n > 0 && b.get(1 + n) == Some(&b'/') && b.get(2 + n).is_some_and(u8::is_ascii_digit)
}

pub(crate) fn looks_like_month_year(input: &str) -> bool {
    // "12/2025" but not "2.356/2.438": one or two digits, a slash, a year.
    // Look only at the digits and the byte after them (never search the rest of the text).
    let a = input.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&a) && input.as_bytes().get(a) == Some(&b'/') && year(&input[a + 1..]).is_ok()
}

pub(crate) fn is_locator(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end_matches(' ');
    indexes().not_figure_after.ends_any(before, |w| w != "số")
}

/// After a locator, also skip ", 4" / " và 5" continuations ("mức độ 3, 4").
pub(crate) fn skip_locator_list(text: &str, mut end: usize) -> usize {
    loop {
        let rest = &text[end..];
        let after_sep = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(",")).or_else(|| rest.strip_prefix(" và ")).or_else(|| rest.strip_prefix("-"));
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

/// "843/847", "03/03 vấn đề", "2.356 hồ sơ/2.438 hồ sơ" (the unit form is
/// joined later by `join_long_fractions`).
pub(crate) fn fraction_at(text: &str, start: usize, num_end: usize, numerator: f64, qual_start: usize, qualifier: Option<String>) -> Option<Found> {
    let rest = text[num_end..].strip_prefix('/')?;
    let (rest2, denominator) = vn_number(rest).ok()?;
    if rest2.starts_with('/') || rest2.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let den_end = text.len() - rest2.len();
    let unit = unit_word(rest2, &indexes().count_units, true);
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
pub(crate) fn is_rank(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', ':']);
    vocab().figures.rank_words.iter().any(|w| ends_with_word(before, w).is_some())
}

/// "69,63/100 điểm", "đạt 65.2/100 điểm": the score word after the fraction,
/// or a score-scale denominator with the score word earlier in the clause
/// ("Tổng số điểm … đạt: 69,63/100").
pub(crate) fn is_score(text: &str, start: usize, numerator: f64, denominator: f64, unit: Option<&str>) -> bool {
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
