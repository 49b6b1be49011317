//! Vietnamese numbers, units, multipliers and qualifiers.

use nom::branch::alt;
use nom::bytes::complete::take_while_m_n;
use nom::character::complete::{char, digit1};
use nom::combinator::{map_opt, not, opt, peek, recognize};
use nom::multi::many1;
use nom::sequence::{pair, preceded, terminated};
use nom::{IResult, Parser};

use once_cell::sync::Lazy;

use crate::grammar::EndKeys;
use crate::vocab::{ends_with_word, indexes, starts_with_word, vocab, WordIndex};

// ---------------------------------------------------------------- numbers

pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// ".246" — a thousands group: a dot and exactly three digits.
pub(crate) fn thousands_group(i: &str) -> IResult<&str, &str> {
    recognize(preceded(char('.'), terminated(take_while_m_n(3, 3, is_digit), not(peek(digit1))))).parse(i)
}

/// "16.091.000" — digits grouped by dots.
pub(crate) fn grouped_digits(i: &str) -> IResult<&str, &str> {
    recognize(pair(take_while_m_n(1, 3, is_digit), many1(thousands_group))).parse(i)
}

/// ",52" — decimal part (Vietnamese decimal comma).
pub(crate) fn decimal_part(i: &str) -> IResult<&str, &str> {
    recognize(preceded(char(','), digit1)).parse(i)
}

/// A Vietnamese number: "1.246" = 1246, "99,52" = 99.52, "02" = 2.
pub fn vn_number(i: &str) -> IResult<&str, f64> {
    map_opt(recognize(pair(alt((grouped_digits, digit1)), opt(decimal_part))), number_value).parse(i)
}

/// The value of a number's text: thousands dots dropped, the decimal comma
/// read as a point. Digits only (the common case) parse as they are; the
/// cleaned copy of a grouped number stays inline (no heap allocation).
pub(crate) fn number_value(s: &str) -> Option<f64> {
    if !s.contains(['.', ',']) {
        return s.parse::<f64>().ok();
    }
    let cleaned: compact_str::CompactString = s.chars().filter(|c| *c != '.').map(|c| if c == ',' { '.' } else { c }).collect();
    cleaned.parse::<f64>().ok()
}

pub(crate) fn small_int(i: &str) -> IResult<&str, u32> {
    map_opt(take_while_m_n(1, 2, is_digit), |s: &str| s.parse::<u32>().ok()).parse(i)
}

pub(crate) fn year(i: &str) -> IResult<&str, i32> {
    map_opt(terminated(take_while_m_n(4, 4, is_digit), not(peek(digit1))), |s: &str| s.parse::<i32>().ok().filter(|y| (1945..=2100).contains(y))).parse(i)
}

// ------------------------------------------------------------------ units

/// Longest unit word from `units` at the start of `i` (after optional
/// spaces), when not glued to a following letter.
pub(crate) fn unit_word(i: &str, units: &WordIndex, allow_glued: bool) -> Option<(usize, &'static str)> {
    let trimmed = i.trim_start_matches(' ');
    let lead = i.len() - trimmed.len();
    if lead == 0 && !allow_glued {
        return None;
    }
    units.starting(trimmed).map(|(n, u)| (lead + n, u))
}

pub(crate) fn money_unit(i: &str) -> Option<(usize, f64, &'static str)> {
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

/// " ngàn" + a count unit after a number: the byte length of the multiplier
/// word (with its leading space) and its factor. Money has its own units
/// ("nghìn tỷ đồng" is not a count).
pub(crate) fn count_multiplier(rest: &str) -> Option<(usize, f64)> {
    let trimmed = rest.strip_prefix(' ')?;
    vocab().figures.count_multipliers.iter().find_map(|m| {
        let n = starts_with_word(trimmed, &m.word)?;
        let after = &trimmed[n..];
        let unit = unit_word(after, &indexes().count_units, false)?;
        let _ = unit;
        Some((1 + n, m.factor))
    })
}

pub(crate) fn canonical_money_unit(word: &str) -> &'static str {
    // Values are always in đồng; the unit records what was written.
    match word {
        "nghìn tỷ đồng" | "ngàn tỷ đồng" => "nghìn tỷ đồng",
        "tỷ đồng" => "tỷ đồng",
        "triệu đồng" => "triệu đồng",
        "nghìn đồng" | "ngàn đồng" => "nghìn đồng",
        _ => "đồng",
    }
}

pub(crate) fn english_decimal(text: &str, start: usize, num_end: usize) -> Option<(f64, usize)> {
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

/// The last characters of the qualifiers (most numbers follow none).
static QUALIFIER_ENDS: Lazy<EndKeys> = Lazy::new(|| EndKeys::new(vocab().figures.qualifiers.iter().map(|q| q.word.as_str())));

/// Qualifier right before the number: "tối thiểu 50%", ">99%", "dưới 08 phút".
pub(crate) fn qualifier_before(text: &str, i: usize) -> (usize, Option<String>) {
    let before = &text[..i];
    let trimmed = before.trim_end_matches(' ');
    if !QUALIFIER_ENDS.may_end(trimmed) {
        return (i, None);
    }
    for q in &vocab().figures.qualifiers {
        if let Some(s) = ends_with_word(trimmed, &q.word) {
            return (s, Some(q.op.clone()));
        }
    }
    (i, None)
}
