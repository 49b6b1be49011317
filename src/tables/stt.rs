//! Row keys of appendix tables ("STT" column): the grammar, normalization
//! ("3 1." → "3.1", "6.1.1." → "6.1.1"), plausibility of the next key in
//! linearized text, and the parent of a key in the row hierarchy.
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

/// The Vietnamese alphabet as used for section letters (A, B, C, D, Đ, E …).
/// I, V and X are read as Roman numerals.
const LETTERS: [&str; 20] = [
    "A", "B", "C", "D", "Đ", "E", "G", "H", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U",
    "Y",
];

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
            KeyKind::Number(parts) => {
                parts.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
            }
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
            KeyKind::Number(parts) if parts.len() > 1 => {
                Some(RowKey::new(KeyKind::Number(parts[..parts.len() - 1].to_vec())).norm)
            }
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- grammar

/// One number part: 1–3 digits, not zero ("2021" is a year, not a key).
fn part(i: &str) -> IResult<&str, u32> {
    verify(
        map_opt(take_while_m_n(1, 3, |c: char| c.is_ascii_digit()), |d: &str| d.parse().ok()),
        |v: &u32| *v > 0,
    )
    .parse(i)
}

/// "6.1.1." in a line: dot separators only.
fn dotted_number(i: &str) -> IResult<&str, KeyKind> {
    map(terminated(separated_list1(char('.'), part), opt(char('.'))), KeyKind::Number).parse(i)
}

/// "3 1." in a cell: dots or spaces between the parts (typing slips).
fn cell_number(i: &str) -> IResult<&str, KeyKind> {
    map(
        terminated(separated_list1(alt((tag("."), space1)), part), opt(char('.'))),
        KeyKind::Number,
    )
    .parse(i)
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
    map(
        terminated(map_opt(take_while1(|c| matches!(c, 'I' | 'V' | 'X')), roman_value), key_end),
        KeyKind::Roman,
    )
    .parse(i)
}

fn letter(i: &str) -> IResult<&str, KeyKind> {
    let (rest, c) = verify(nom::character::complete::anychar, |c: &char| {
        LETTERS.iter().any(|l| l.starts_with(*c))
    })
    .parse(i)?;
    let (rest, _) = key_end(rest)?;
    let idx = LETTERS.iter().position(|l| l.starts_with(c)).unwrap_or_default();
    Ok((rest, KeyKind::Letter(idx)))
}

/// Parse a whole STT cell ("1.1.", "3 1.", "II", "A", "1 "). None when the
/// cell holds anything else.
pub fn cell_key(cell: &str) -> Option<RowKey> {
    all_consuming(alt((roman, letter, cell_number)))
        .parse(cell.trim())
        .ok()
        .map(|(_, kind)| RowKey::new(kind))
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

// ------------------------------------------------------- plausibility

/// Remembers the last keys seen in a table, to tell a real next row key
/// ("2.2" after "2.1") from a number that starts a line of values ("33 21 …").
#[derive(Debug, Clone, Default)]
pub struct KeyTracker {
    last_number: Option<Vec<u32>>,
    last_roman: Option<u32>,
    last_letter: Option<usize>,
    max_gap: u32,
}

impl KeyTracker {
    pub fn new(max_gap: u32) -> Self {
        KeyTracker { max_gap, ..Default::default() }
    }

    fn step_ok(&self, prev: u32, next: u32) -> bool {
        next > prev && next - prev <= self.max_gap
    }

    /// Is `key` a believable next row key: a following sibling, the first
    /// child, or a following sibling of an ancestor of the last key?
    pub fn plausible(&self, key: &RowKey) -> bool {
        let first_ok = |v: u32| v >= 1 && v <= self.max_gap;
        match &key.kind {
            KeyKind::Number(next) => match &self.last_number {
                None => next.len() <= 2 && next.iter().all(|v| first_ok(*v)),
                Some(prev) => {
                    let d = next.len();
                    if d <= prev.len() {
                        next[..d - 1] == prev[..d - 1] && self.step_ok(prev[d - 1], next[d - 1])
                    } else {
                        d == prev.len() + 1 && next[..d - 1] == prev[..] && first_ok(next[d - 1])
                    }
                }
            },
            KeyKind::Roman(v) => match self.last_roman {
                None => first_ok(*v),
                Some(prev) => self.step_ok(prev, *v),
            },
            KeyKind::Letter(i) => match self.last_letter {
                None => (*i as u32) < self.max_gap,
                // The same letter twice happens (a typed "B" for "C").
                Some(prev) => *i >= prev && (*i - prev) as u32 <= self.max_gap,
            },
        }
    }

    pub fn accept(&mut self, key: &RowKey) {
        match &key.kind {
            KeyKind::Number(parts) => self.last_number = Some(parts.clone()),
            KeyKind::Roman(v) => self.last_roman = Some(*v),
            KeyKind::Letter(i) => {
                self.last_letter = Some(*i);
                self.last_roman = None;
            }
        }
    }
}

// ---------------------------------------------------------- hierarchy

/// Assigns parent keys in reading order: a key's parent is the nearest
/// earlier key of a higher level (letter > Roman > "1" > "1.1" …); a
/// multi-part number names its parent itself ("3.2.1" → "3.2").
#[derive(Debug, Default)]
pub struct Hierarchy {
    stack: Vec<(usize, String)>,
}

impl Hierarchy {
    /// Record `key` and return its parent's normalized key.
    pub fn push(&mut self, key: &RowKey) -> Option<String> {
        let rank = key.rank();
        while self.stack.last().is_some_and(|(r, _)| *r >= rank) {
            self.stack.pop();
        }
        let parent = key.numeric_prefix().or_else(|| self.stack.last().map(|(_, k)| k.clone()));
        self.stack.push((rank, key.norm.clone()));
        parent
    }

    /// The innermost key seen so far (parent of an unkeyed row).
    pub fn current(&self) -> Option<String> {
        self.stack.last().map(|(_, k)| k.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(cell: &str) -> Option<String> {
        cell_key(cell).map(|k| k.norm)
    }

    #[test]
    fn cells_from_the_seeds() {
        // 001 appendix: "1.", "1.1.", the "3 1." slip, "2", "7.9."
        assert_eq!(norm("1.").as_deref(), Some("1"));
        assert_eq!(norm("1.1.").as_deref(), Some("1.1"));
        assert_eq!(norm("3 1.").as_deref(), Some("3.1"));
        assert_eq!(norm("7.9.").as_deref(), Some("7.9"));
        // 002 task plan: "1 " with a trailing space, section rows
        assert_eq!(norm("1 ").as_deref(), Some("1"));
        assert_eq!(norm("A").as_deref(), Some("A"));
        assert_eq!(norm("Đ").as_deref(), Some("Đ"));
        assert_eq!(norm("II").as_deref(), Some("II"));
        assert_eq!(norm("VII").as_deref(), Some("VII"));
        // 004: "6.1.1.", "2.2.1"
        assert_eq!(norm("6.1.1.").as_deref(), Some("6.1.1"));
        assert_eq!(norm("2.2.1").as_deref(), Some("2.2.1"));
        // not keys
        for cell in ["", "Stt", "2021", "100%", "Kế hoạch CCHC", "IIII", "0", "x"] {
            assert_eq!(norm(cell), None, "{cell:?}");
        }
    }

    #[test]
    fn keys_at_line_start() {
        let (k, rest) = line_key("2.1 Số nhiệm vụ đề ra trong kế hoạch 38 44").unwrap();
        assert_eq!((k.norm.as_str(), rest), ("2.1", "Số nhiệm vụ đề ra trong kế hoạch 38 44"));
        let (k, rest) = line_key(" 6.4. Tỷ lệ hồ sơ trực tuyến một phần     ").unwrap();
        assert_eq!((k.norm.as_str(), rest), ("6.4", "Tỷ lệ hồ sơ trực tuyến một phần"));
        assert_eq!(line_key("1 ").map(|(k, _)| k.norm).as_deref(), Some("1"));
        assert!(line_key("2021 ").is_none());
        assert!(line_key("100% 100% 100%").is_none());
        assert!(line_key("1.198.020.000đ 1.291.261.000đ").is_none());
        assert!(line_key("Năm").is_none());
    }

    #[test]
    fn plausible_next_keys() {
        let mut t = KeyTracker::new(3);
        let k = |s: &str| line_key(s).unwrap().0;
        assert!(t.plausible(&k("1")));
        t.accept(&k("1"));
        assert!(!t.plausible(&k("33"))); // "33 21 50 29 20 32" is values
        assert!(t.plausible(&k("1.1")));
        assert!(t.plausible(&k("2")));
        t.accept(&k("4.1"));
        assert!(!t.plausible(&k("1"))); // "1 0 0 0 0 0" under 4.1
        assert!(t.plausible(&k("4.2")) && t.plausible(&k("5")) && t.plausible(&k("4.1.1")));
        t.accept(&k("6.2.1"));
        assert!(!t.plausible(&k("20"))); // "20 18 15 20 21"
        assert!(t.plausible(&k("6.3")));
    }

    #[test]
    fn hierarchy_of_sections_and_numbers() {
        let mut h = Hierarchy::default();
        let mut parent = |s: &str| h.push(&cell_key(s).unwrap());
        assert_eq!(parent("A"), None);
        assert_eq!(parent("1").as_deref(), Some("A"));
        assert_eq!(parent("B").as_deref(), None);
        assert_eq!(parent("I").as_deref(), Some("B"));
        assert_eq!(parent("5").as_deref(), Some("I"));
        assert_eq!(parent("II").as_deref(), Some("B"));
        assert_eq!(parent("3.2.1").as_deref(), Some("3.2"));
    }
}
