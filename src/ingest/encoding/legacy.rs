//! Legacy 8-bit tables (TCVN3, VNI, VISCII), data-driven from
//! `schemas/encodings/*.tsv`, parsed once on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::vn::syllable::is_valid_syllable;

pub(super) const TCVN3_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/encodings/tcvn3.tsv"));
pub(super) const VNI_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/encodings/vni.tsv"));
pub(super) const VISCII_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/encodings/viscii.tsv"));

/// One row of a table file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TableRow {
    bytes: Vec<u8>,
    text: char,
    ambiguous: bool,
}

/// Parse a TSV table; malformed lines are returned as errors (tested to be none).
pub(super) fn parse_table(tsv: &str) -> (Vec<TableRow>, Vec<String>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_row(line) {
            Some(row) => rows.push(row),
            None => errors.push(format!("line {}: {line:?}", n + 1)),
        }
    }
    (rows, errors)
}

fn parse_row(line: &str) -> Option<TableRow> {
    let mut fields = line.split('\t');
    let bytes = fields.next()?.split_whitespace().map(|h| u8::from_str_radix(h, 16).ok()).collect::<Option<Vec<u8>>>()?;
    let mut cps = fields.next()?.split_whitespace();
    let text = char::from_u32(u32::from_str_radix(cps.next()?.strip_prefix("U+")?, 16).ok()?)?;
    if cps.next().is_some() || bytes.is_empty() || bytes.len() > 2 {
        return None;
    }
    let _glyph = fields.next();
    let ambiguous = fields.next().map(str::trim) == Some("ctx");
    Some(TableRow { bytes, text, ambiguous })
}

/// What a byte means on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ByteKind {
    /// ASCII that decodes to itself.
    Plain,
    /// A table letter / character.
    Mapped(char),
    /// A table letter that also has a common windows-1252 punctuation meaning.
    Ambiguous { letter: char, punct: char },
    /// A VNI-style mark byte (combining sequence index into `marks`).
    Mark(usize),
    /// Not in the table: windows-1252 meaning.
    Fallback(char),
}

/// A legacy 8-bit table: single-byte codes, optional two-byte base+mark codes.
pub(super) struct LegacyTable {
    pub(super) kinds: [ByteKind; 256],
    /// First byte → (second byte, char) for two-byte codes.
    pairs: Vec<Vec<(u8, char)>>,
    /// Combining sequences for mark bytes.
    marks: Vec<String>,
    /// Whether a byte is part of a word (for context resolution).
    letter: [bool; 256],
    /// Unicode → bytes, for round-trip tests.
    #[cfg_attr(not(test), allow(dead_code))]
    encoder: HashMap<char, Vec<u8>>,
}

impl LegacyTable {
    pub(super) fn tcvn3() -> &'static LegacyTable {
        static T: OnceLock<LegacyTable> = OnceLock::new();
        T.get_or_init(|| LegacyTable::from_tsv(TCVN3_TSV))
    }

    pub(super) fn vni() -> &'static LegacyTable {
        static T: OnceLock<LegacyTable> = OnceLock::new();
        T.get_or_init(|| LegacyTable::from_tsv(VNI_TSV))
    }

    pub(super) fn viscii() -> &'static LegacyTable {
        static T: OnceLock<LegacyTable> = OnceLock::new();
        T.get_or_init(|| LegacyTable::from_tsv(VISCII_TSV))
    }

    fn from_tsv(tsv: &str) -> LegacyTable {
        let (rows, _errors) = parse_table(tsv);
        let mut kinds = [ByteKind::Plain; 256];
        for (b, kind) in kinds.iter_mut().enumerate() {
            if b >= 0x80 {
                *kind = ByteKind::Fallback(cp1252_char(b as u8));
            }
        }
        let mut pairs = vec![Vec::new(); 256];
        let mut encoder = HashMap::new();
        for row in &rows {
            encoder.entry(row.text).or_insert_with(|| row.bytes.clone());
            match row.bytes.as_slice() {
                [b] if row.ambiguous => kinds[*b as usize] = ByteKind::Ambiguous { letter: row.text, punct: cp1252_char(*b) },
                [b] => kinds[*b as usize] = ByteKind::Mapped(row.text),
                [first, second] => pairs[*first as usize].push((*second, row.text)),
                _ => {}
            }
        }
        let marks = derive_marks(&rows, &kinds);
        let mut table = LegacyTable { kinds, pairs, marks: Vec::new(), letter: [false; 256], encoder };
        table.install_marks(marks);
        table.letter = std::array::from_fn(|b| table.is_letter_kind(table.kinds[b], b as u8));
        table
    }

    fn install_marks(&mut self, marks: Vec<(u8, String)>) {
        for (byte, seq) in marks {
            if matches!(self.kinds[byte as usize], ByteKind::Fallback(_)) {
                self.kinds[byte as usize] = ByteKind::Mark(self.marks.len());
                self.marks.push(seq);
            }
        }
    }

    fn is_letter_kind(&self, kind: ByteKind, byte: u8) -> bool {
        match kind {
            ByteKind::Plain => byte.is_ascii_alphabetic(),
            ByteKind::Mapped(c) => c.is_alphabetic() || is_combining(c),
            ByteKind::Mark(_) => true,
            ByteKind::Ambiguous { .. } | ByteKind::Fallback(_) => false,
        }
    }

    fn pair(&self, first: u8, second: u8) -> Option<char> {
        self.pairs[first as usize].iter().find(|(s, _)| *s == second).map(|(_, c)| *c)
    }

    /// Append the decoding of `bytes`.
    pub(super) fn decode_into(&self, bytes: &[u8], out: &mut String) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(&next) = bytes.get(i + 1) {
                if let Some(c) = self.pair(b, next) {
                    out.push(c);
                    i += 2;
                    continue;
                }
            }
            match self.kinds[b as usize] {
                ByteKind::Plain => {
                    let run = bytes[i..]
                        .iter()
                        .position(|&x| self.kinds[x as usize] != ByteKind::Plain || !self.pairs[x as usize].is_empty())
                        .map_or(bytes.len() - i, |n| n.max(1));
                    out.extend(bytes[i..i + run].iter().map(|&x| x as char));
                    i += run;
                    continue;
                }
                ByteKind::Mapped(c) | ByteKind::Fallback(c) => out.push(c),
                ByteKind::Ambiguous { letter, punct } => out.push(if self.resolve_ambiguous(bytes, i, letter) { letter } else { punct }),
                ByteKind::Mark(m) => out.push_str(self.marks.get(m).map_or("", String::as_str)),
            }
            i += 1;
        }
    }

    /// Is the ambiguous byte at `i` a letter? Inside a word: yes; standing alone: no
    /// (punctuation); at a word edge: yes iff the word it completes is a valid syllable
    /// (so `“Một` keeps its quote and `HỌ` its capital).
    fn resolve_ambiguous(&self, bytes: &[u8], i: usize, letter: char) -> bool {
        let is_letter = |j: Option<usize>| j.and_then(|j| bytes.get(j)).is_some_and(|&b| self.letter[b as usize]);
        match (is_letter(i.checked_sub(1)), is_letter(i.checked_add(1))) {
            (true, true) => true,
            (false, false) => false,
            _ => {
                let mut start = i;
                while start > 0 && self.letter[bytes[start - 1] as usize] {
                    start -= 1;
                }
                let mut end = i + 1;
                while end < bytes.len() && self.letter[bytes[end] as usize] {
                    end += 1;
                }
                let mut word = String::with_capacity(end - start + 4);
                for (j, &b) in bytes[start..end].iter().enumerate() {
                    if start + j == i {
                        word.push(letter);
                    } else {
                        self.decode_into(std::slice::from_ref(&b), &mut word);
                    }
                }
                is_valid_syllable(&word)
            }
        }
    }

    /// Unicode → legacy bytes; `None` when a character has no code.
    #[cfg(test)]
    pub(super) fn encode(&self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.nfc() {
            match self.encoder.get(&c) {
                Some(bytes) => out.extend_from_slice(bytes),
                None if c.is_ascii() => out.push(c as u8),
                None => return None,
            }
        }
        Some(out)
    }
}

/// Mark bytes of two-byte codes: the combining sequence a mark byte adds to its base
/// (NFD of the letter minus NFD of the base), so that "Aù" or a lone mark still decode.
fn derive_marks(rows: &[TableRow], kinds: &[ByteKind; 256]) -> Vec<(u8, String)> {
    let mut marks: Vec<(u8, String)> = Vec::new();
    for row in rows {
        let &[base, mark] = row.bytes.as_slice() else {
            continue;
        };
        let base_text = match kinds[base as usize] {
            ByteKind::Mapped(c) => c.to_string(),
            _ => (base as char).to_string(),
        };
        let full: String = row.text.to_string().nfd().collect();
        let base_nfd: String = base_text.nfd().collect();
        if let Some(seq) = full.strip_prefix(base_nfd.as_str()) {
            if !seq.is_empty() && !marks.iter().any(|(b, _)| *b == mark) {
                marks.push((mark, seq.to_string()));
            }
        }
    }
    marks
}

pub(super) fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// windows-1252 meaning of a byte (WHATWG: undefined codes map to C1 controls), with the
/// common typo U+00D0 Ð read as Đ.
fn cp1252_char(b: u8) -> char {
    static TABLE: OnceLock<[char; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|b| {
            let byte = [b as u8];
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            match text.chars().next() {
                Some('Ð') => 'Đ',
                Some(c) => c,
                None => char::REPLACEMENT_CHARACTER,
            }
        })
    })[b as usize]
}
