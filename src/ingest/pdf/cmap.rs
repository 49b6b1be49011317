//! ToUnicode CMap parsing: code space ranges, `bfchar`, `bfrange` (both the
//! incrementing and the array form) and multi-byte codes.

use rustc_hash::FxHashMap;

/// Largest `bfrange` we expand; bigger ranges are clipped (bounds the work).
const MAX_RANGE: u32 = 0x1_0000;

/// A parsed ToUnicode CMap.
#[derive(Debug, Default, Clone)]
pub struct ToUnicode {
    /// (byte length, low, high) of each code space range.
    codespace: Vec<(usize, u32, u32)>,
    /// (byte length, code) → Unicode text.
    map: FxHashMap<(usize, u32), String>,
}

/// Tokens of the PostScript-like CMap syntax we care about.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Word(String),
    ArrayStart,
    ArrayEnd,
}

impl ToUnicode {
    /// Parse the (decompressed) CMap program. Unknown syntax is skipped.
    pub fn parse(data: &[u8]) -> ToUnicode {
        let tokens = tokenize(data);
        let mut cmap = ToUnicode::default();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Word(w) if w == "begincodespacerange" => i = cmap.read_codespace(&tokens, i + 1),
                Token::Word(w) if w == "beginbfchar" => i = cmap.read_bfchar(&tokens, i + 1),
                Token::Word(w) if w == "beginbfrange" => i = cmap.read_bfrange(&tokens, i + 1),
                _ => i += 1,
            }
        }
        cmap
    }

    /// Whether the CMap maps nothing.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Byte lengths used by this CMap's codes, when it declares code spaces.
    pub fn has_codespace(&self) -> bool {
        !self.codespace.is_empty()
    }

    /// Split a shown string into codes `(code, byte length)` using the code
    /// space ranges; `default_len` applies when no range matches.
    pub fn split_codes(&self, bytes: &[u8], default_len: usize) -> Vec<(u32, usize)> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut pos = 0;
        while pos < bytes.len() {
            let len = self.code_len_at(&bytes[pos..]).unwrap_or(default_len).clamp(1, 4);
            let end = (pos + len).min(bytes.len());
            out.push((be_value(&bytes[pos..end]), end - pos));
            pos = end;
        }
        out
    }

    /// Unicode text of a code of `len` bytes.
    pub fn lookup(&self, code: u32, len: usize) -> Option<&str> {
        self.map.get(&(len, code)).map(String::as_str)
    }

    fn code_len_at(&self, bytes: &[u8]) -> Option<usize> {
        self.codespace
            .iter()
            .filter(|(len, _, _)| *len <= bytes.len())
            .find(|(len, lo, hi)| in_range(be_value(&bytes[..*len]), *lo, *hi, *len))
            .map(|(len, _, _)| *len)
    }

    fn read_codespace(&mut self, t: &[Token], mut i: usize) -> usize {
        while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) = (t.get(i), t.get(i + 1)) {
            if !lo.is_empty() && lo.len() <= 4 {
                self.codespace.push((lo.len(), be_value(lo), be_value(hi)));
            }
            i += 2;
        }
        i
    }

    fn read_bfchar(&mut self, t: &[Token], mut i: usize) -> usize {
        while let (Some(Token::Hex(src)), Some(Token::Hex(dst))) = (t.get(i), t.get(i + 1)) {
            if !src.is_empty() && src.len() <= 4 {
                self.map.insert((src.len(), be_value(src)), utf16_text(dst));
            }
            i += 2;
        }
        i
    }

    fn read_bfrange(&mut self, t: &[Token], mut i: usize) -> usize {
        loop {
            let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) = (t.get(i), t.get(i + 1)) else {
                return i;
            };
            if lo.is_empty() || lo.len() > 4 {
                return i + 2;
            }
            let (len, lo, hi) = (lo.len(), be_value(lo), be_value(hi));
            let hi = hi.min(lo.saturating_add(MAX_RANGE));
            match t.get(i + 2) {
                Some(Token::Hex(dst)) => {
                    self.insert_incrementing(len, lo, hi, dst);
                    i += 3;
                }
                Some(Token::ArrayStart) => i = self.insert_array(t, i + 3, len, lo, hi),
                _ => return i + 2,
            }
        }
    }

    /// `<lo> <hi> <dst>`: consecutive codes map to dst, dst+1, …
    fn insert_incrementing(&mut self, len: usize, lo: u32, hi: u32, dst: &[u8]) {
        for (n, code) in (lo..=hi).enumerate() {
            let mut d = dst.to_vec();
            add_to_last_unit(&mut d, n as u32);
            self.map.insert((len, code), utf16_text(&d));
        }
    }

    /// `<lo> <hi> [<d1> <d2> …]`: one destination per code.
    fn insert_array(&mut self, t: &[Token], mut i: usize, len: usize, lo: u32, hi: u32) -> usize {
        let mut code = lo;
        while let Some(tok) = t.get(i) {
            i += 1;
            match tok {
                Token::Hex(dst) => {
                    if code <= hi {
                        self.map.insert((len, code), utf16_text(dst));
                    }
                    code = code.saturating_add(1);
                }
                Token::ArrayEnd => break,
                _ => {}
            }
        }
        i
    }
}

/// Whether `v` lies in [lo, hi] byte-wise (each byte within its bounds).
fn in_range(v: u32, lo: u32, hi: u32, len: usize) -> bool {
    (0..len).all(|k| {
        let shift = 8 * (len - 1 - k);
        let (b, l, h) = ((v >> shift) & 0xff, (lo >> shift) & 0xff, (hi >> shift) & 0xff);
        l <= b && b <= h
    })
}

/// Big-endian value of up to 4 bytes.
pub(crate) fn be_value(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |acc, &b| (acc << 8) | b as u32)
}

/// Add `n` to the last UTF-16 unit of a destination string (bfrange rule).
fn add_to_last_unit(d: &mut Vec<u8>, n: u32) {
    if d.len() < 2 {
        d.resize(2, 0);
    }
    let k = d.len() - 2;
    let v = ((d[k] as u32) << 8 | d[k + 1] as u32).wrapping_add(n);
    d[k] = (v >> 8) as u8;
    d[k + 1] = v as u8;
}

/// Decode a UTF-16BE destination (a one-byte destination is taken as Latin-1).
pub(crate) fn utf16_text(bytes: &[u8]) -> String {
    if bytes.len() == 1 {
        return (bytes[0] as char).to_string();
    }
    let units: Vec<u16> = bytes.chunks(2).map(|c| (c[0] as u16) << 8 | *c.get(1).unwrap_or(&0) as u16).collect();
    char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()
}

/// Split the CMap program into hex strings, arrays and bare words.
fn tokenize(data: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let end = data[i..].iter().position(|&b| b == b'>').map_or(data.len(), |p| i + p);
                out.push(Token::Hex(parse_hex(&data[i + 1..end])));
                i = end + 1;
            }
            b'[' => {
                out.push(Token::ArrayStart);
                i += 1;
            }
            b']' => {
                out.push(Token::ArrayEnd);
                i += 1;
            }
            b'(' => i = skip_literal(data, i),
            _ if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < data.len() && !b"<>[]()% \t\r\n\x0c".contains(&data[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                out.push(Token::Word(String::from_utf8_lossy(&data[start..i]).into_owned()));
            }
        }
    }
    out
}

/// Skip a `( … )` literal string (nested parentheses and escapes).
fn skip_literal(data: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < data.len() {
        match data[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

fn parse_hex(s: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = s.iter().filter_map(|&c| (c as char).to_digit(16).map(|d| d as u8)).collect();
    digits.chunks(2).map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        /CMapName /Adobe-Identity-UCS def
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        2 beginbfchar <0003> <0020> <0011> <1EA1> endbfchar
        2 beginbfrange <0020> <0022> <0041>
        <0030> <0032> [<0111> <01B0> <0066006C>] endbfrange
        endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_and_ranges() {
        let c = ToUnicode::parse(CMAP);
        assert_eq!(c.lookup(0x0003, 2), Some(" "));
        assert_eq!(c.lookup(0x0011, 2), Some("ạ"));
        assert_eq!(c.lookup(0x0021, 2), Some("B"));
        assert_eq!(c.lookup(0x0022, 2), Some("C"));
        assert_eq!(c.lookup(0x0030, 2), Some("đ"));
        assert_eq!(c.lookup(0x0031, 2), Some("ư"));
        assert_eq!(c.lookup(0x0032, 2), Some("fl"));
    }

    #[test]
    fn multi_byte_code_space() {
        let c = ToUnicode::parse(
            b"2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
              2 beginbfchar <41> <0041> <8140> <3000> endbfchar",
        );
        let codes = c.split_codes(&[0x41, 0x81, 0x40, 0x41], 1);
        assert_eq!(codes, vec![(0x41, 1), (0x8140, 2), (0x41, 1)]);
        assert_eq!(c.lookup(0x8140, 2), Some("\u{3000}"));
    }

    #[test]
    fn surrogate_pairs_and_garbage() {
        let c = ToUnicode::parse(b"1 beginbfchar <01> <D835DC00> endbfchar garbage ( ) ] [ <zz");
        assert_eq!(c.lookup(1, 1), Some("\u{1D400}"));
    }
}
