//! Row keys of appendix tables ("STT" column): plausibility of the next key
//! in linearized text, and the parent of a key in the row hierarchy. The key
//! grammar and normalization ("3 1." → "3.1") live in [`crate::util::row_key`]
//! (shared with the DOCX reader) and are re-exported here.

pub use crate::util::row_key::{cell_key, line_key, KeyKind, RowKey, KEY_REPAIRED};

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

// ------------------------------------------------------- OCR repair

/// Numbers the sequence allows right after `prev`: its next sibling, its
/// first child, the next sibling of each ancestor.
fn next_keys(prev: &[u32]) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut child = prev.to_vec();
    child.push(1);
    out.push(child);
    for d in (1..=prev.len()).rev() {
        let mut k = prev[..d].to_vec();
        k[d - 1] += 1;
        out.push(k);
    }
    out
}

fn digits_of(parts: &[u32]) -> Vec<char> {
    parts.iter().flat_map(|p| p.to_string().chars().collect::<Vec<_>>()).collect()
}

/// At most one digit added, dropped or changed.
fn one_edit(a: &[char], b: &[char]) -> bool {
    if a.len() == b.len() {
        return a.iter().zip(b).filter(|(x, y)| x != y).count() <= 1;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    long.len() == short.len() + 1 && (0..long.len()).any(|skip| long.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| c).eq(short.iter()))
}

/// Row keys of an OCRed STT column that the row sequence proves misread.
/// OCR loses the dots of narrow cells ("1.1." → "11", "7.5." → "7:5."),
/// adds or changes a digit ("7.2." → "17.2.", "7.7." → "2.7.") or reads a
/// mark for a lone digit ("3." → "Ả."). A cell is repaired only when
/// 1. it has digits and is not a key that follows the nearest key above
///    (or it is a short unreadable mark of at most [`MARK_LEN`] characters);
/// 2. some key fits between the nearest keys above and below: it follows
///    the key above and the key below follows it ([`next_keys`]); keys one
///    step away are tried first, then two steps (a key above was lost too),
///    then past the nearest key below (itself misread);
/// 3. exactly one fitting key is written with the cell's digits, or,
///    failing that, with one digit added, dropped or changed; a mark without
///    digits takes the only fitting key one step away.
///
/// Repairs are repeated until none is found (a repaired key is the key
/// above or below of its neighbours). `cells[i]` is the STT cell of row `i`;
/// returns (row, repaired key).
pub fn repair_ocr_keys(cells: &[&str]) -> Vec<(usize, String)> {
    let mut parsed: Vec<Option<Vec<u32>>> = cells
        .iter()
        .map(|c| match cell_key(c).map(|k| k.kind) {
            Some(KeyKind::Number(p)) => Some(p),
            _ => None,
        })
        .collect();
    let mut out: Vec<(usize, String)> = Vec::new();
    for _ in 0..3 {
        let mut changed = false;
        for (i, cell) in cells.iter().enumerate() {
            if out.iter().any(|(r, _)| *r == i) {
                continue;
            }
            let read: Vec<char> = cell.chars().filter(char::is_ascii_digit).collect();
            let mark = read.is_empty() && {
                let n = cell.chars().filter(|c| !c.is_whitespace()).count();
                n > 0 && n <= MARK_LEN && cell.chars().any(char::is_alphanumeric)
            };
            if (read.is_empty() && !mark) || (!read.is_empty() && cell.chars().any(char::is_alphabetic)) {
                continue;
            }
            let Some(prev) = parsed[..i].iter().rev().flatten().next() else { continue };
            if parsed[i].as_ref().is_some_and(|p| next_keys(prev).contains(p)) {
                continue;
            }
            let below: Vec<&Vec<u32>> = parsed[i + 1..].iter().flatten().take(2).collect();
            let fits = |above: usize, skip: usize| -> Vec<Vec<u32>> {
                let Some(next) = below.get(skip) else { return Vec::new() };
                let mut ks = reach(prev, above);
                ks.retain(|k| reach(k, 1 + skip).contains(next));
                ks.dedup();
                ks
            };
            let chosen = if mark {
                match fits(1, 0).as_slice() {
                    [k] => k.clone(),
                    _ => continue,
                }
            } else {
                // One step from the key above, then two (a key above lost
                // too); then past one misread key below.
                let found = [(1, 0), (2, 0), (1, 1), (2, 1)].iter().find_map(|&(above, skip)| pick_by_digits(&fits(above, skip), &read));
                match found {
                    Some(k) => k,
                    None => continue,
                }
            };
            out.push((i, chosen.iter().map(u32::to_string).collect::<Vec<_>>().join(".")));
            parsed[i] = Some(chosen);
            changed = true;
        }
        if !changed {
            break;
        }
    }
    out.sort();
    out
}

/// Keys `steps` steps after `from` ([`next_keys`] applied `steps` times).
fn reach(from: &[u32], steps: usize) -> Vec<Vec<u32>> {
    let mut keys = vec![from.to_vec()];
    for _ in 0..steps {
        keys = keys.iter().flat_map(|k| next_keys(k)).collect();
        keys.sort();
        keys.dedup();
    }
    keys
}

/// An unreadable STT cell of at most this many characters ("Ả.") may be
/// the key the sequence leaves for it.
const MARK_LEN: usize = 3;

/// The only key written with `read`'s digits, or else the only one a digit
/// away.
fn pick_by_digits(keys: &[Vec<u32>], read: &[char]) -> Option<Vec<u32>> {
    let exact: Vec<&Vec<u32>> = keys.iter().filter(|k| digits_of(k) == read).collect();
    let near: Vec<&Vec<u32>> = keys.iter().filter(|k| one_edit(&digits_of(k), read)).collect();
    match (exact.as_slice(), near.as_slice()) {
        ([one], _) | ([], [one]) => Some((*one).clone()),
        _ => None,
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
    fn ocr_keys_repaired_only_when_the_sequence_proves_them() {
        let fixed = |cells: &[&str]| repair_ocr_keys(cells);
        // "1.1." read "11" between "1." and "1.2.".
        assert_eq!(fixed(&["1.", "11", "", "1.2."]), vec![(1, "1.1".to_string())]);
        // "7.5." read "7:5.", "7.7." read "2.7.", "1.3." read "1.43.".
        assert_eq!(fixed(&["7.4.", "7:5.", "7.6."]), vec![(1, "7.5".to_string())]);
        assert_eq!(fixed(&["7.6.", "2.7.", "7.8."]), vec![(1, "7.7".to_string())]);
        assert_eq!(fixed(&["1.2.", "1.43.", "2"]), vec![(1, "1.3".to_string())]);
        // A key above lost too: "3." unreadable, "3.1." read "31".
        assert_eq!(fixed(&["2.5.", "Ả.", "31", "3.2."]), vec![(1, "3".to_string()), (2, "3.1".to_string())]);
        assert_eq!(fixed(&["7.1.", "17.2.", "", "2.3.", "7.4."]), vec![(1, "7.2".to_string()), (3, "7.3".to_string())]);
        // Keys that fit, no key above or below, text, or no unique candidate: kept.
        assert!(fixed(&["1.", "1.1.", "1.2."]).is_empty());
        assert!(fixed(&["11", "1.2."]).is_empty());
        assert!(fixed(&["1.", "Tổng 11", "1.2."]).is_empty());
        assert!(fixed(&["1.", "99", "5"]).is_empty());
        // "2" after "1.5" and before "3": a real key, kept.
        assert!(fixed(&["1.5", "2", "3"]).is_empty());
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
