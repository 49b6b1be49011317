//! A content-stream tokenizer (PDF 32000-1 §7.2–7.3, §8.9.7) producing
//! operators and [`Operand`]s that borrow from the stream: names and strings
//! without escapes are slices of it, and the operand buffer is the caller's,
//! so text-heavy pages run without an allocation per operator or string.
//!
//! ```text
//! stream    := (ws | comment | operand | operator | inline_image)*
//! operand   := number | name | literal_string | hex_string | array | dict | true | false | null
//! number    := [+-]? (digits ("." digits?)? | "." digits)
//! name      := "/" regular*            (#xx escapes decoded)
//! literal   := "(" (escape | balanced parentheses | byte)* ")"
//! hex       := "<" (hex digit | ws)* ">"     (odd digit count: a trailing 0)
//! array     := "[" operand* "]"       dict := "<<" (name operand)* ">>"
//! operator  := regular+ that is not a keyword above
//! inline_image := "BI" … "ID" ws data ws "EI"   → the operation "BI", no operands
//! ```
//!
//! Stray delimiters are skipped; a string, array or dictionary cut by the
//! end of the stream ends it with an error (the reader warns "content
//! stream truncated" and keeps what came before).

use std::borrow::Cow;

/// Deepest nesting of arrays and dictionaries followed.
const MAX_DEPTH: usize = 64;

/// An operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand<'a> {
    Integer(i64),
    Real(f32),
    Boolean(bool),
    Null,
    /// A name without its "/" (owned only when it had #xx escapes).
    Name(Cow<'a, [u8]>),
    /// A literal string's bytes (owned only when it had escapes).
    String(Cow<'a, [u8]>),
    /// A hex string as written between "<" and ">".
    HexString(&'a [u8]),
    Array(Vec<Operand<'a>>),
    /// Key–value pairs in stream order (a repeated key: the last one counts).
    Dictionary(Entries<'a>),
}

/// The entries of a dictionary operand.
pub(crate) type Entries<'a> = Vec<(Cow<'a, [u8]>, Operand<'a>)>;

impl Operand<'_> {
    /// A number (integer or finite real) as f32.
    pub(crate) fn num(&self) -> Option<f32> {
        match self {
            Operand::Integer(i) => Some(*i as f32),
            Operand::Real(r) if r.is_finite() => Some(*r),
            _ => None,
        }
    }

    /// The bytes of a string operand; a hex string is decoded into `buf`.
    pub(crate) fn string_bytes<'s>(&'s self, buf: &'s mut Vec<u8>) -> Option<&'s [u8]> {
        match self {
            Operand::String(s) => Some(s),
            Operand::HexString(hex) => {
                decode_hex(hex, buf);
                Some(buf)
            }
            _ => None,
        }
    }

    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }

    /// `self[key]` of a dictionary operand.
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Self> {
        match self {
            Operand::Dictionary(d) => d.iter().rev().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

pub(crate) struct Ops<'a> {
    s: &'a [u8],
    i: usize,
    failed: bool,
    /// Items of the arrays being read.
    items: Vec<Operand<'a>>,
}

/// The operations of a content stream, in order.
pub(crate) fn operations(s: &[u8]) -> Ops<'_> {
    Ops { s, i: 0, failed: false, items: Vec::new() }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(b: u8) -> bool {
    !is_ws(b) && !is_delim(b)
}

enum Token<'a> {
    Operand(Operand<'a>),
    Operator(&'a [u8]),
    ArrayEnd,
    DictEnd,
}

impl<'a> Ops<'a> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.s.get(self.i) {
            if is_ws(b) {
                self.i += 1;
            } else if b == b'%' {
                while self.s.get(self.i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                    self.i += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token; None at the end; Err when an object is cut short.
    fn token(&mut self, depth: usize) -> Option<Result<Token<'a>, String>> {
        loop {
            self.skip_ws();
            let &b = self.s.get(self.i)?;
            let start = self.i;
            return Some(match b {
                b'/' => Ok(Token::Operand(Operand::Name(self.name()))),
                b'(' => self.literal().map(|v| Token::Operand(Operand::String(v))),
                b'<' if self.s.get(self.i + 1) == Some(&b'<') => {
                    self.i += 2;
                    self.dict(depth).map(|d| Token::Operand(Operand::Dictionary(d)))
                }
                b'<' => self.hex().map(|v| Token::Operand(Operand::HexString(v))),
                b'>' if self.s.get(self.i + 1) == Some(&b'>') => {
                    self.i += 2;
                    Ok(Token::DictEnd)
                }
                b'[' => {
                    self.i += 1;
                    self.array(depth).map(|a| Token::Operand(Operand::Array(a)))
                }
                b']' => {
                    self.i += 1;
                    Ok(Token::ArrayEnd)
                }
                _ if is_delim(b) => {
                    // Stray ")", ">", "{", "}": skipped.
                    self.i += 1;
                    continue;
                }
                _ => {
                    while self.s.get(self.i).is_some_and(|&c| is_regular(c)) {
                        self.i += 1;
                    }
                    let word = &self.s[start..self.i];
                    match word {
                        b"true" => Ok(Token::Operand(Operand::Boolean(true))),
                        b"false" => Ok(Token::Operand(Operand::Boolean(false))),
                        b"null" => Ok(Token::Operand(Operand::Null)),
                        _ => Ok(number(word).map_or(Token::Operator(word), Token::Operand)),
                    }
                }
            });
        }
    }

    fn name(&mut self) -> Cow<'a, [u8]> {
        self.i += 1;
        let start = self.i;
        let end = self.s[start..].iter().position(|&c| !is_regular(c)).map_or(self.s.len(), |n| start + n);
        let raw = &self.s[start..end];
        if !raw.contains(&b'#') {
            self.i = end;
            return Cow::Borrowed(raw);
        }
        let mut out = Vec::new();
        while let Some(&c) = self.s.get(self.i) {
            if !is_regular(c) {
                break;
            }
            if c == b'#' {
                let hex = self.s.get(self.i + 1..self.i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    self.i += 3;
                    continue;
                }
            }
            out.push(c);
            self.i += 1;
        }
        Cow::Owned(out)
    }

    /// A literal string: a slice of the stream when it has no escapes.
    fn literal(&mut self) -> Result<Cow<'a, [u8]>, String> {
        let start = self.i + 1;
        let mut depth = 1usize;
        for (k, &c) in self.s[start..].iter().enumerate() {
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i = start + k + 1;
                        return Ok(Cow::Borrowed(&self.s[start..start + k]));
                    }
                }
                b'\\' => return self.escaped_literal().map(Cow::Owned),
                _ => {}
            }
        }
        self.i = self.s.len();
        Err("unterminated string".into())
    }

    fn escaped_literal(&mut self) -> Result<Vec<u8>, String> {
        self.i += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(&c) = self.s.get(self.i) {
            self.i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(out);
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else { break };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.s.get(self.i) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        b'\r' => {
                            if self.s.get(self.i) == Some(&b'\n') {
                                self.i += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        Err("unterminated string".into())
    }

    /// A hex string, as written between "<" and ">" (decoded when shown:
    /// [`Operand::string_bytes`]).
    fn hex(&mut self) -> Result<&'a [u8], String> {
        let start = self.i + 1;
        match memchr::memchr(b'>', &self.s[start..]) {
            Some(n) => {
                self.i = start + n + 1;
                Ok(&self.s[start..start + n])
            }
            None => {
                self.i = self.s.len();
                Err("unterminated hex string".into())
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Vec<Operand<'a>>, String> {
        if depth >= MAX_DEPTH {
            return Err("arrays nested too deep".into());
        }
        // Items gather on the shared stack and leave it as one exact-size
        // list (no regrowing per item; nested arrays stack above).
        let start = self.items.len();
        loop {
            match self.token(depth + 1) {
                None => return Err("unterminated array".into()),
                Some(Err(e)) => return Err(e),
                Some(Ok(Token::ArrayEnd)) => return Ok(self.items.drain(start..).collect()),
                Some(Ok(Token::Operand(o))) => self.items.push(o),
                // Operators or ">>" inside an array: kept out, as readers do.
                Some(Ok(Token::Operator(_) | Token::DictEnd)) => {}
            }
        }
    }

    fn dict(&mut self, depth: usize) -> Result<Entries<'a>, String> {
        if depth >= MAX_DEPTH {
            return Err("dictionaries nested too deep".into());
        }
        let mut out = Vec::new();
        let mut key: Option<Cow<'a, [u8]>> = None;
        loop {
            match self.token(depth + 1) {
                None => return Err("unterminated dictionary".into()),
                Some(Err(e)) => return Err(e),
                Some(Ok(Token::DictEnd)) => return Ok(out),
                Some(Ok(Token::Operand(o))) => match (key.take(), o) {
                    (None, Operand::Name(k)) => key = Some(k),
                    (Some(k), v) => out.push((k, v)),
                    (None, _) => {}
                },
                Some(Ok(Token::Operator(_) | Token::ArrayEnd)) => {}
            }
        }
    }

    /// Skip an inline image's dictionary and data: to the "EI" that stands
    /// between white space (or the end).
    fn skip_inline_image(&mut self) {
        let s = self.s;
        let mut k = self.i;
        // Find "ID" as a keyword.
        while k + 2 <= s.len() {
            if &s[k..k + 2] == b"ID" && (k == 0 || !is_regular(s[k - 1])) && s.get(k + 2).is_none_or(|&c| is_ws(c)) {
                k += 3;
                break;
            }
            k += 1;
        }
        while k + 2 <= s.len() {
            if &s[k..k + 2] == b"EI" && k > 0 && is_ws(s[k - 1]) && s.get(k + 2).is_none_or(|&c| is_ws(c)) {
                self.i = k + 2;
                return;
            }
            k += 1;
        }
        self.i = s.len();
    }
}

/// Hex digits → bytes (white space and other bytes skipped; an odd count
/// ends with a 0 nibble), replacing the contents of `out`.
fn decode_hex(hex: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut half: Option<u8> = None;
    for &c in hex {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => continue,
        };
        match half.take() {
            Some(h) => out.push(h << 4 | v),
            None => half = Some(v),
        }
    }
    if let Some(h) = half {
        out.push(h << 4);
    }
}

/// "12", "-3.5", ".5", "+4." → a number operand; None for anything else.
fn number(w: &[u8]) -> Option<Operand<'static>> {
    let body = w.strip_prefix(b"-").or_else(|| w.strip_prefix(b"+")).unwrap_or(w);
    // Plain integers (most operands) without going through str parsing;
    // overflow falls through to it.
    if !body.is_empty() && body.iter().all(u8::is_ascii_digit) {
        let magnitude = body.iter().try_fold(0i64, |acc, &d| acc.checked_mul(10)?.checked_add(i64::from(d - b'0')));
        if let Some(m) = magnitude {
            return Some(Operand::Integer(if w.first() == Some(&b'-') { -m } else { m }));
        }
    }
    if body.is_empty() || !body.iter().all(|c| c.is_ascii_digit() || *c == b'.') || body.iter().filter(|c| **c == b'.').count() > 1 || body == b"." {
        return None;
    }
    let text = std::str::from_utf8(w).ok()?;
    if body.contains(&b'.') {
        let t = text.strip_suffix('.').unwrap_or(text);
        t.parse::<f32>().ok().map(Operand::Real)
    } else {
        text.parse::<i64>().ok().map(Operand::Integer).or_else(|| text.parse::<f32>().ok().map(Operand::Real))
    }
}

impl<'a> Ops<'a> {
    /// The next operator, its operands left in `operands` (cleared first);
    /// None at the end; Err when an object is cut short (then None after).
    pub(crate) fn next_op(&mut self, operands: &mut Vec<Operand<'a>>) -> Option<Result<&'a [u8], String>> {
        operands.clear();
        if self.failed {
            return None;
        }
        loop {
            match self.token(0)? {
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
                Ok(Token::Operand(o)) => operands.push(o),
                Ok(Token::Operator(b"BI")) => {
                    self.skip_inline_image();
                    operands.clear();
                    return Some(Ok(b"BI"));
                }
                Ok(Token::Operator(op)) => return Some(Ok(op)),
                Ok(Token::ArrayEnd | Token::DictEnd) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each operation as its operator or its error.
    fn results(s: &[u8]) -> Vec<Result<(String, Vec<Operand<'_>>), String>> {
        let mut ops = operations(s);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(r) = ops.next_op(&mut operands) {
            out.push(r.map(|op| (String::from_utf8_lossy(op).into_owned(), operands.clone())));
        }
        out
    }

    fn ops(s: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        results(s).into_iter().collect::<Result<_, _>>().unwrap_or_default()
    }

    fn string(b: &[u8]) -> Operand<'_> {
        Operand::String(Cow::Borrowed(b))
    }

    #[test]
    fn operators_and_operands() {
        let v = ops(b"BT /F1 12 Tf 72.5 -.5 Td [(A\\(b\\)) -250 <0041 42>] TJ (x\\101\\\ny) Tj ET % comment\nq 1 0 0 1 0 0 cm Q (a(b)c) Tj");
        let names: Vec<&str> = v.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, vec!["BT", "Tf", "Td", "TJ", "Tj", "ET", "q", "cm", "Q", "Tj"]);
        assert_eq!(v[1].1, vec![Operand::Name(Cow::Borrowed(b"F1")), Operand::Integer(12)]);
        assert_eq!(v[2].1, vec![Operand::Real(72.5), Operand::Real(-0.5)]);
        let Operand::Array(items) = &v[3].1[0] else { panic!("array") };
        assert_eq!(items[0], string(b"A(b)"));
        assert_eq!(items[1], Operand::Integer(-250));
        assert_eq!(items[2], Operand::HexString(b"0041 42"));
        assert_eq!(items[2].string_bytes(&mut Vec::new()), Some(&[0, 0x41, 0x42][..]));
        assert_eq!(Operand::HexString(b"4").string_bytes(&mut Vec::new()), Some(&[0x40][..]));
        assert_eq!(v[4].1, vec![string(b"xAy")]);
        // Balanced parentheses without escapes: a slice of the stream.
        assert!(matches!(&v[9].1[0], Operand::String(Cow::Borrowed(b"a(b)c"))));
    }

    #[test]
    fn numbers() {
        let n = |w: &str| number(w.as_bytes());
        assert_eq!(n("12"), Some(Operand::Integer(12)));
        assert_eq!(n("-0"), Some(Operand::Integer(0)));
        assert_eq!(n("+5"), Some(Operand::Integer(5)));
        assert_eq!(n("-9223372036854775808"), Some(Operand::Integer(i64::MIN)));
        assert_eq!(n("9223372036854775808"), Some(Operand::Real(9.223372e18)));
        assert_eq!(n("4."), Some(Operand::Real(4.0)));
        assert_eq!(n("-"), None);
        assert_eq!(n("1.2.3"), None);
    }

    #[test]
    fn marked_content_dict_names_and_inline_images() {
        let v = ops(b"/Span <</MCID 3 /ActualText (x)>> BDC EMC /A#20B Do BI /W 1 /H 1 ID \x00EI\xff EI Q 5 w");
        assert_eq!(v[0].0, "BDC");
        assert_eq!(v[0].1[1].get(b"MCID"), Some(&Operand::Integer(3)));
        assert_eq!(v[2].1, vec![Operand::Name(Cow::Borrowed(b"A B"))]);
        let names: Vec<&str> = v.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, vec!["BDC", "EMC", "Do", "BI", "Q", "w"]);
        assert!(v[3].1.is_empty());
    }

    #[test]
    fn cut_streams_end_with_an_error_after_what_was_read() {
        let r = results(b"q 1 0 0 1 0 0 cm (unterminated Tj");
        assert!(r[0].is_ok() && r[1].is_ok() && r[2].is_err() && r.len() == 3);
        assert!(results(b"[1 2").last().is_some_and(|r| r.is_err()));
        assert_eq!(ops(b") } 0 g").len(), 1);
        let deep = "[".repeat(100);
        assert!(results(deep.as_bytes()).iter().any(|r| r.is_err()));
    }
}
