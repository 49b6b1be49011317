//! References, dates and periods: the numbers that are never counts.

use nom::branch::alt;
use nom::bytes::complete::{take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, one_of, space0, space1};
use nom::combinator::{map_opt, not, opt, peek, recognize, verify};
use nom::sequence::{pair, preceded, terminated};
use nom::{IResult, Parser};

use super::numbers::*;
use super::*;
use crate::grammar::roman::roman_value;
use crate::model::{Kind, Value};
use crate::vocab::{starts_with_word, vocab};

// ------------------------------------------------------------- typed values

/// A document reference ("45/2020/NĐ-CP": number 45, year 2020, code NĐ-CP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'a> {
    pub number: &'a str,
    pub year: Option<i32>,
    pub code: &'a str,
}

impl Reference<'_> {
    /// "45/2020/NĐ-CP", "04/KH-UBND" (spaces around the slash dropped).
    pub fn normalized(&self) -> String {
        match self.year {
            Some(y) => format!("{}/{y}/{}", self.number, self.code),
            None => format!("{}/{}", self.number, self.code),
        }
    }
}

/// A calendar date; `year` is None for "31/3" (day and month only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// "2025-07-23", "--03-31".
    pub fn normalized(&self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("--{:02}-{:02}", self.month, self.day),
        }
    }
}

/// A period named in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// "năm 2025".
    Year(i32),
    /// "2021-2025", "giai đoạn 2026 – 2028".
    Range { from: i32, to: i32 },
    /// "Quý I/2025", "quý IV".
    Quarter { year: Option<i32>, q: u32 },
    /// "6 tháng đầu năm 2025" (h = 1), "6 tháng cuối năm" (h = 2).
    Half { year: Option<i32>, h: u32 },
    /// "12/2025", "tháng 8 năm 2025".
    Month { year: i32, month: u32 },
}

impl Period {
    /// "2025", "2021/2025", "2025-Q1", "Q1", "2025-H1", "H2", "2025-12".
    pub fn normalized(&self) -> String {
        match *self {
            Period::Year(y) => y.to_string(),
            Period::Range { from, to } => format!("{from}/{to}"),
            Period::Quarter { year: Some(y), q } => format!("{y}-Q{q}"),
            Period::Quarter { year: None, q } => format!("Q{q}"),
            Period::Half { year: Some(y), h } => format!("{y}-H{h}"),
            Period::Half { year: None, h } => format!("H{h}"),
            Period::Month { year, month } => format!("{year:04}-{month:02}"),
        }
    }

    /// figures.unit of a period.
    pub fn unit(&self) -> &'static str {
        match self {
            Period::Year(_) => "year",
            Period::Range { .. } => "range",
            Period::Quarter { .. } => "quarter",
            Period::Half { .. } => "half",
            Period::Month { .. } => "month",
        }
    }

    /// The (first) year, when written.
    pub fn first_year(&self) -> Option<i32> {
        match *self {
            Period::Year(y) | Period::Range { from: y, .. } | Period::Month { year: y, .. } => Some(y),
            Period::Quarter { year, .. } | Period::Half { year, .. } => year,
        }
    }
}

pub(crate) use crate::grammar::word;

fn words() -> &'static crate::vocab::DateWords {
    &vocab().figures.date_words
}

// ------------------------------------------------------------- references

pub(crate) fn is_code_char(c: char) -> bool {
    c.is_alphanumeric() || c == '&'
}

/// "KH-UBND", "NĐ-CP", "TTr-HCC", "QH15": starts with an uppercase letter.
pub(crate) fn doc_code(i: &str) -> IResult<&str, &str> {
    recognize(pair(
        verify(take_while1(is_code_char), |s: &str| s.chars().next().is_some_and(|c| c.is_uppercase())),
        nom::multi::many0(preceded(char('-'), take_while1(is_code_char))),
    ))
    .parse(i)
}

/// "04/KH-UBND", "45/2020/NĐ-CP", "66.7/2025/NQ-CP", "40 /BC-UBND" → parts;
/// "50-KH/ĐU" (party documents: number-code/issuer) → number 50, code "KH/ĐU".
pub fn reference_parts(i: &str) -> IResult<&str, Reference<'_>> {
    alt((
        nom::combinator::map(
            (recognize((digit1, opt(preceded(char('.'), digit1)))), opt(preceded(char('/'), year)), space0, char('/'), space0, doc_code),
            |(number, year, _, _, _, code)| Reference { number, year, code },
        ),
        nom::combinator::map((digit1, char('-'), recognize((doc_code, char('/'), doc_code))), |(number, _, code)| Reference { number, year: None, code }),
    ))
    .parse(i)
}

/// The text of a reference ("04/KH-UBND", "45/2020/NĐ-CP", "50-KH/ĐU").
pub fn reference(i: &str) -> IResult<&str, &str> {
    recognize(reference_parts).parse(i)
}

/// "02/KH-UBND ngày 03/01/2024": a reference dated by the word "ngày".
pub(crate) fn dated_reference(i: &str) -> IResult<&str, (Reference<'_>, Date)> {
    let w = words();
    map_opt((reference_parts, space1, word(&w.day), space1, slash_date), |(r, _, _, _, d)| Some((r, d))).parse(i)
}

/// Every dated reference in a text: (start, end, reference, date).
pub fn dated_references(text: &str) -> Vec<(usize, usize, Reference<'_>, Date)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        // A reference starts with a digit at a word start.
        if text.as_bytes()[i].is_ascii_digit() && text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric()) {
            if let Ok((rest, (r, d))) = dated_reference(&text[i..]) {
                let end = text.len() - rest.len();
                out.push((i, end, r, d));
                i = end;
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

// ------------------------------------------------------------------ dates

pub(crate) fn valid_dm(d: u32, m: u32) -> bool {
    (1..=31).contains(&d) && (1..=12).contains(&m)
}

/// Any four digits as the year of a written date: placeholders such as
/// "01/01/0001" in exported forms are dates too, never fractions.
pub(crate) fn any_year(i: &str) -> IResult<&str, i32> {
    map_opt(terminated(take_while_m_n(4, 4, is_digit), not(peek(digit1))), |s: &str| s.parse::<i32>().ok()).parse(i)
}

/// "23/7/2025" (also with "-" or "."), "01/01/0001".
pub fn slash_date(i: &str) -> IResult<&str, Date> {
    map_opt((small_int, one_of("/-."), small_int, one_of("/-."), any_year), |(d, s1, m, s2, y)| {
        (s1 == s2 && valid_dm(d, m)).then_some(Date { year: Some(y), month: m, day: d })
    })
    .parse(i)
}

/// "06 tháng 3 năm 2025" (the number is the day; "ngày" precedes).
pub fn long_date(i: &str) -> IResult<&str, Date> {
    let w = words();
    map_opt((small_int, space1, word(&w.month), space1, small_int, space1, word(&w.year), space1, year), |(d, _, _, _, m, _, _, _, y)| {
        valid_dm(d, m).then_some(Date { year: Some(y), month: m, day: d })
    })
    .parse(i)
}

/// "31/3" after "ngày"/"đến": a day and month without a year.
pub(crate) fn day_month(i: &str) -> IResult<&str, Date> {
    map_opt(terminated((small_int, char('/'), small_int), not(peek(one_of("/0123456789")))), |(d, _, m)| {
        valid_dm(d, m).then_some(Date { year: None, month: m, day: d })
    })
    .parse(i)
}

// ---------------------------------------------------------------- periods

/// "2021-2025", "2026 – 2028".
pub(crate) fn year_range(i: &str) -> IResult<&str, Period> {
    map_opt((year, space0, one_of("-–—"), space0, year), |(a, _, _, _, b)| (b > a && b - a <= 30).then_some(Period::Range { from: a, to: b })).parse(i)
}

/// "12/2025" or "8 năm 2025" after "tháng" (number = month).
pub(crate) fn month_year(i: &str) -> IResult<&str, Period> {
    let w = words();
    map_opt(
        alt((
            (small_int, map_opt(recognize(char('/')), |_| Some(())), year),
            (small_int, map_opt(recognize((space1, word(&w.year), space1)), |_| Some(())), year),
        )),
        |(m, _, y)| (1..=12).contains(&m).then_some(Period::Month { year: y, month: m }),
    )
    .parse(i)
}

/// "6 tháng đầu năm", "06 tháng cuối năm 2025".
pub(crate) fn half_year(i: &str) -> IResult<&str, Period> {
    let w = words();
    map_opt(
        (small_int, space1, word(&w.month), space1, alt((word(&w.first_half), word(&w.second_half))), space1, word(&w.year), opt(preceded(space1, year))),
        |(n, _, _, _, which, _, _, y)| {
            let h = if starts_with_word(which, &w.first_half).is_some() { 1 } else { 2 };
            (n == 6).then_some(Period::Half { year: y, h })
        },
    )
    .parse(i)
}

pub(crate) fn roman(i: &str) -> IResult<&str, u32> {
    map_opt(take_while1(|c: char| matches!(c, 'I' | 'V' | 'X')), roman_value).parse(i)
}

/// "Quý I/2025", "Quý I năm 2025", "quý IV".
pub(crate) fn quarter(i: &str) -> IResult<&str, Period> {
    let w = words();
    map_opt((word(&w.quarter), space1, roman, opt(preceded(alt((recognize(char('/')), recognize((space1, word(&w.year), space1)))), year))), |(_, _, q, y)| {
        (1..=4).contains(&q).then_some(Period::Quarter { year: y, q })
    })
    .parse(i)
}

/// A period figure from `start` to `end`.
pub(crate) fn period(start: usize, end: usize, p: Period) -> Found {
    Found {
        start,
        end,
        value: Value { kind: Some(Kind::Period), value: p.first_year().map(f64::from), unit: Some(p.unit().into()), ..Default::default() },
        normalized: Some(p.normalized()),
    }
}

/// A date figure from `start` to `end`.
pub(crate) fn date(start: usize, end: usize, d: Date) -> Found {
    Found { start, end, value: Value { kind: Some(Kind::Date), ..Default::default() }, normalized: Some(d.normalized()) }
}
