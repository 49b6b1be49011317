//! Row keys of tables ("STT" column): the grammar and normalization
//! ("3 1." → "3.1", "6.1.1." → "6.1.1"). A leaf module: the DOCX reader uses
//! it to find a table's header rows, the tables stage (`tables::stt`) to key
//! and nest rows.
//!
//! Grammar (whole cell, after trimming):
//! ```text
//! key      = roman | letter | number
//! number   = part (sep part)* "."?        part = 1–3 digits, not 0
//! sep      = "." | spaces                 (spaces only inside a cell: "3 1.")
//! roman    = [IVX]+ (canonical, ≤ 39) ("." | ")")?
//! letter   = A B C D Đ E G H K L M N O P Q R S T U Y ("." | ")")?
//! ```
//! In a line of linearized PDF text the key must be the first word: the
//! number uses "." separators only and is followed by whitespace or the end.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1, take_while_m_n};
use nom::character::complete::{char, one_of, space1};
use nom::combinator::{all_consuming, map, map_opt, opt, verify};
use nom::multi::separated_list1;
use nom::sequence::terminated;
use nom::{IResult, Parser};

/// Start of the `warning` of cells whose row key was repaired from the row
/// sequence (`tables::stt::repair_ocr_keys`); their OCR confidence is
/// lowered too.
pub const KEY_REPAIRED: &str = "STT repaired from the row sequence";

/// The Vietnamese alphabet as used for section letters (A, B, C, D, Đ, E …).
/// I, V and X are read as Roman numerals.
const LETTERS: [&str; 20] = ["A", "B", "C", "D", "Đ", "E", "G", "H", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "Y"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// Index into the section-letter alphabet.
    Letter(usize),
    Roman(u32),
    Number(Vec<u32>),
}

/// A parsed row key with its normalized text ("3.1", "II", "A").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowKey {
    pub kind: KeyKind,
    pub norm: String,
}

impl RowKey {
    fn new(kind: KeyKind) -> Self {
        let norm = match &kind {
            KeyKind::Letter(i) => LETTERS[*i].to_string(),
            KeyKind::Roman(v) => to_roman(*v),
            KeyKind::Number(parts) => parts.iter().map(u32::to_string).collect::<Vec<_>>().join("."),
        };
        RowKey { kind, norm }
    }

    /// Level in the hierarchy: letters above Roman numerals above "1" above "1.1" …
    pub fn rank(&self) -> usize {
        match &self.kind {
            KeyKind::Letter(_) => 0,
            KeyKind::Roman(_) => 1,
            KeyKind::Number(parts) => 1 + parts.len(),
        }
    }

    /// "3.2.1" → "3.2"; None for one-part numbers, letters and Roman numerals.
    pub fn numeric_prefix(&self) -> Option<String> {
        match &self.kind {
            KeyKind::Number(parts) if parts.len() > 1 => Some(RowKey::new(KeyKind::Number(parts[..parts.len() - 1].to_vec())).norm),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- grammar

/// One number part: 1–3 digits, not zero ("2021" is a year, not a key).
fn part(i: &str) -> IResult<&str, u32> {
    verify(map_opt(take_while_m_n(1, 3, |c: char| c.is_ascii_digit()), |d: &str| d.parse().ok()), |v: &u32| *v > 0).parse(i)
}

/// "6.1.1." in a line: dot separators only.
fn dotted_number(i: &str) -> IResult<&str, KeyKind> {
    map(terminated(separated_list1(char('.'), part), opt(char('.'))), KeyKind::Number).parse(i)
}

/// "3 1." in a cell: dots or spaces between the parts (typing slips).
fn cell_number(i: &str) -> IResult<&str, KeyKind> {
    map(terminated(separated_list1(alt((tag("."), space1)), part), opt(char('.'))), KeyKind::Number).parse(i)
}

fn roman_value(s: &str) -> Option<u32> {
    (1..=39).find(|v| to_roman(*v) == s)
}

fn to_roman(v: u32) -> String {
    const TENS: [&str; 4] = ["", "X", "XX", "XXX"];
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    format!("{}{}", TENS[(v / 10).min(3) as usize], ONES[(v % 10) as usize])
}

fn key_end(i: &str) -> IResult<&str, Option<char>> {
    opt(one_of(".)")).parse(i)
}

fn roman(i: &str) -> IResult<&str, KeyKind> {
    map(terminated(map_opt(take_while1(|c| matches!(c, 'I' | 'V' | 'X')), roman_value), key_end), KeyKind::Roman).parse(i)
}

fn letter(i: &str) -> IResult<&str, KeyKind> {
    let (rest, c) = verify(nom::character::complete::anychar, |c: &char| LETTERS.iter().any(|l| l.starts_with(*c))).parse(i)?;
    let (rest, _) = key_end(rest)?;
    let idx = LETTERS.iter().position(|l| l.starts_with(c)).unwrap_or_default();
    Ok((rest, KeyKind::Letter(idx)))
}

/// Parse a whole STT cell ("1.1.", "3 1.", "II", "A", "1 "). None when the
/// cell holds anything else.
pub fn cell_key(cell: &str) -> Option<RowKey> {
    all_consuming(alt((roman, letter, cell_number))).parse(cell.trim()).ok().map(|(_, kind)| RowKey::new(kind))
}

/// Parse the key at the start of a line of linearized text
/// ("2.1 Số nhiệm vụ …" → (2.1, "Số nhiệm vụ …")). The key must be followed
/// by whitespace or the end of the line.
pub fn line_key(line: &str) -> Option<(RowKey, &str)> {
    let text = line.trim_start();
    let (rest, kind) = alt((roman, letter, dotted_number)).parse(text).ok()?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((RowKey::new(kind), rest.trim()))
}
