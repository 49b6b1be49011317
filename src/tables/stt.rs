//! Row keys of appendix tables ("STT" column): plausibility of the next key
//! in linearized text, and the parent of a key in the row hierarchy. The key
//! grammar and normalization ("3 1." → "3.1") live in [`crate::util::row_key`]
//! (shared with the DOCX reader) and are re-exported here.

pub use crate::util::row_key::{cell_key, line_key, KeyKind, RowKey};

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
