//! In-process mutation fuzzer on stable Rust (issue #13): no cargo-fuzz
//! (it needs nightly) and no AFL instrumentation; the library is called
//! directly, inputs are mutated from the fixtures, and an "output shape"
//! signal (kinds, units, statuses, rules, bucketed counts of what the target
//! returned) keeps the inputs that show something new in the corpus.
//!
//! ```text
//! cargo run --release --example fuzz -- TARGET [--seconds N] [--runs N] [--seed S]
//!     [--corpus DIR] [--slow-ms MS] [--hang-secs S] [--out DIR]
//! ```
//! Targets: `figures` (`parse::figures::scan` + `parse_value` on every line),
//! `sections` (`parse::sections::marker`, `bullet`, `starts_with_marker` on
//! every line), `claims` (the whole text pipeline: `process_bytes("fuzz.txt")`),
//! `docx` (`process_bytes("fuzz.docx")`, zip-level and XML-level mutations),
//! `pdf` (`process_bytes("fuzz.pdf")`, byte-level, header/xref/Length number
//! tweaks and content-stream mutations: inflate, mutate operators, deflate).
//!
//! Each input runs on one worker thread (64 MB stack, as the product's file
//! threads) under `catch_unwind`; a panic hook counts every panic, including
//! the ones the library catches itself (`process_bytes`, the PDF reader), so
//! a contained panic is still a crash. An input slower than `--slow-ms`
//! (2000) is a timeout, saved, and the run goes on; an input still running
//! after `--hang-secs` (20) is a hang: saved, the worker is abandoned and the
//! run stops (exit 2). Crashes and timeouts go to `fuzz/findings/<target>/`
//! (one input per panic location), with the messages in `LOG.md`. Before
//! each input its bytes are written to `$TMPDIR/cchc-fuzz-<target>.cur`, so
//! an abort (stack overflow, OOM kill) still leaves the input behind
//! (`benches/fuzz.sh` copies it to the findings). Exit 1 when anything was
//! found. Deterministic for a seed and `--runs`.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cchc::pipeline::{process_bytes, Options};

// ------------------------------------------------------------------ random

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

// ------------------------------------------------------------------ tokens

/// Tokens that stress the figure, section and claim grammars.
const TEXT_TOKENS: &[&str] = &[
    "843/847",
    "99,52%",
    "1.246",
    "tỷ lệ",
    "trong đó",
    "xếp hạng 13/63",
    "(",
    ")",
    "…",
    "/",
    "I.",
    "1.1.",
    "a)",
    "\u{0}",
    "\r",
    "\t",
    "\n",
    "\n\n",
    "\u{301}",
    "\u{323}",
    "\u{300}\u{303}\u{309}",
    "\u{feff}",
    "\u{fffd}",
    "\u{a0}",
    "\u{200b}",
    "đạt",
    "đạt 100%",
    "tăng",
    "giảm",
    "so với cùng kỳ",
    "năm 2025",
    "quý I/2025",
    "6 tháng đầu năm 2025",
    "ngày 23/7/2025",
    "ngày 31 tháng 12 năm 2024",
    "Số: 12/BC-UBND",
    "%",
    "‰",
    ",",
    ".",
    "-",
    "–",
    "+",
    "triệu đồng",
    "tỷ đồng",
    "hồ sơ",
    "0/0",
    "1/0",
    "0,00%",
    "100,00%",
    "chiếm",
    "trên tổng số",
    "gồm",
    "còn lại",
    "điểm",
    "đạt 95,5/100 điểm",
    "|",
    "Phụ lục",
    "Điều 1.",
    "Phần I",
    "PHẦN II",
    "1.1.1.1.1.",
    "a1)",
    "lần",
    "gấp",
    "hơn",
    "xấp xỉ",
    "trên",
    "dưới",
    "ít nhất",
    "tối thiểu",
    "chỉ tiêu",
    "kế hoạch",
    "so với kế hoạch",
    "1.000.000.000.000.000.000",
    "-5",
    "1,5 lần",
    "TTHC",
    "DVCTT",
    "12.345/12.400 hồ sơ (99,56%)",
    "trong đó: ",
    "; ",
    ": ",
    "1",
    "0",
    "9",
    "XIV.",
    "MMMM.",
    "ii)",
    "*",
    "(1)",
    "[1]",
];

#[path = "common/pdf_tokens.rs"]
mod pdf_tokens;
use pdf_tokens::PDF_TOKENS;

/// Content-stream operators and operands.
const OPS: &[&str] = &[
    "BT ",
    "ET ",
    "q ",
    "Q ",
    "1 0 0 1 0 0 cm ",
    "1e30 0 0 1e30 0 0 cm ",
    "0 0 0 0 0 0 Tm ",
    "/F1 12 Tf ",
    "/F1 0 Tf ",
    "/F9 -3 Tf ",
    "(x) Tj ",
    "(\u{0}\u{0}) Tj ",
    "<0041004200430044> Tj ",
    "[(a) -99999 (b)] TJ ",
    "0 -14 Td ",
    "T* ",
    "1 1 1 1 re ",
    "0 0 m 1e9 1e9 l S ",
    "f ",
    "n ",
    "W ",
    "/Im1 Do ",
    "10 TL ",
    "3 Tr ",
    "NaN 0 Td ",
    "-0 0 Td ",
    "99999999999 Tz ",
    "' ",
    "\" ",
    "BI /W 1 /H 1 ID x EI ",
    "[] 0 d ",
    "(((((( ",
    ")))) ",
    "<< ",
    ">> ",
    "[[[[[[ ",
];

#[path = "common/xml_tokens.rs"]
mod xml_tokens;
use xml_tokens::XML_TOKENS;

// ----------------------------------------------------------------- targets

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Figures,
    Sections,
    Claims,
    Docx,
    Pdf,
}

impl Target {
    fn parse(s: &str) -> Option<Target> {
        Some(match s {
            "figures" => Target::Figures,
            "sections" => Target::Sections,
            "claims" => Target::Claims,
            "docx" => Target::Docx,
            "pdf" => Target::Pdf,
            _ => return None,
        })
    }
    fn name(self) -> &'static str {
        match self {
            Target::Figures => "figures",
            Target::Sections => "sections",
            Target::Claims => "claims",
            Target::Docx => "docx",
            Target::Pdf => "pdf",
        }
    }
    fn ext(self) -> &'static str {
        match self {
            Target::Docx => "docx",
            Target::Pdf => "pdf",
            _ => "txt",
        }
    }
    /// Largest input kept (mutations that grow are cut back to it).
    fn max_len(self) -> usize {
        match self {
            Target::Figures | Target::Sections => 64 << 10,
            Target::Claims => 256 << 10,
            Target::Docx | Target::Pdf => 8 << 20,
        }
    }
}

fn h<T: Hash>(x: T) -> u64 {
    let mut s = DefaultHasher::new();
    x.hash(&mut s);
    s.finish()
}

fn bucket(n: usize) -> u32 {
    usize::BITS - n.leading_zeros()
}

/// Runs one input; returns its output-shape features.
fn run(t: Target, input: &[u8]) -> Vec<u64> {
    let mut f = Vec::new();
    match t {
        Target::Figures => {
            let text = String::from_utf8_lossy(input);
            for line in text.split('\n') {
                let found = cchc::parse::figures::scan(line);
                f.push(h(("n", bucket(found.len()))));
                for x in &found {
                    let raw = x.raw(line);
                    let v = &x.value;
                    f.push(h((
                        format!("{:?}", v.kind),
                        &v.unit,
                        &v.qualifier,
                        x.normalized.is_some(),
                        bucket(raw.len()),
                        v.value.is_some(),
                        v.numerator.is_some(),
                        v.stated_percent.is_some(),
                    )));
                    let pv = cchc::parse::figures::parse_value(raw);
                    f.push(h(("raw", pv.map(|p| format!("{:?}", p.kind)))));
                }
                if let Some(v) = cchc::parse::figures::parse_value(line) {
                    f.push(h(("line", format!("{:?}", v.kind), &v.unit, &v.qualifier)));
                }
            }
        }
        Target::Sections => {
            let text = String::from_utf8_lossy(input);
            for line in text.split('\n') {
                use cchc::parse::sections::{bullet, marker, starts_with_marker};
                let m = marker(line);
                f.push(h((
                    "m",
                    m.as_ref().map(|m| {
                        (
                            format!("{:?}", m.style),
                            m.number.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).take(8).collect::<String>(),
                            bucket(m.len),
                        )
                    }),
                    bullet(line),
                    starts_with_marker(line),
                )));
            }
        }
        Target::Claims | Target::Docx | Target::Pdf => {
            let path = format!("fuzz.{}", t.ext());
            let e = process_bytes(&path, input, &Options::default());
            let d = &e.document;
            f.push(h(("doc", &d.status, &d.format)));
            for w in d.warnings.iter().chain(d.error.iter()).flat_map(|w| w.split("; ")) {
                // The first words of a reason, without its numbers.
                let key: String = w.split_whitespace().take(4).collect::<Vec<_>>().join(" ").chars().filter(|c| !c.is_ascii_digit()).collect();
                f.push(h(("why", key)));
            }
            f.push(h((
                "counts",
                bucket(e.sections.len()),
                bucket(e.figures.len()),
                bucket(e.cells.len()),
                bucket(e.claims.len()),
                bucket(e.findings.len()),
                bucket(e.footnotes.len()),
            )));
            for x in &e.figures {
                f.push(h(("fig", &x.kind, &x.unit, &x.qualifier)));
            }
            for x in &e.claims {
                f.push(h(("claim", &x.kind, x.part_value.is_some(), x.base_value.is_some())));
            }
            for x in &e.findings {
                f.push(h(("finding", &x.rule, &x.severity)));
            }
        }
    }
    f
}

// --------------------------------------------------------------- mutations

fn insert_at(b: &mut Vec<u8>, at: usize, t: &[u8]) {
    b.splice(at..at, t.iter().copied());
}

/// Byte positions just after a b'\n' (and 0).
fn line_starts(b: &[u8]) -> Vec<usize> {
    std::iter::once(0).chain(b.iter().enumerate().filter(|(_, &c)| c == b'\n').map(|(i, _)| i + 1)).collect()
}

/// One generic byte-level operation.
fn byte_op(r: &mut Rng, b: &mut Vec<u8>, tokens: &[&[u8]], other: &[u8]) {
    if b.is_empty() {
        b.push(b'1');
    }
    let at = r.below(b.len());
    match r.below(10) {
        0 => b[at] ^= 1 << r.below(8),
        1 => b[at] = u8::try_from(r.below(256)).unwrap_or(0),
        2 => {
            let n = 1 + r.below(256.min(b.len() - at));
            b.drain(at..at + n);
        }
        3 => insert_at(b, at, r.pick(tokens)),
        4 => {
            let n = 1 + r.below(1024.min(b.len() - at));
            let chunk = b[at..at + n].repeat(1 + r.below(8));
            insert_at(b, at, &chunk);
        }
        5 => b.truncate(at.max(1)),
        6 if !other.is_empty() => {
            // Splice: a chunk of another corpus input, or our head + its tail.
            let o = r.below(other.len());
            if r.below(2) == 0 {
                let n = 1 + r.below(4096.min(other.len() - o));
                insert_at(b, at, &other[o..o + n]);
            } else {
                b.truncate(at);
                b.extend_from_slice(&other[o..]);
            }
        }
        7 => {
            let j = r.below(b.len());
            b.swap(at, j);
        }
        8 => {
            // Overwrite with digits.
            let n = 1 + r.below(16.min(b.len() - at));
            for x in &mut b[at..at + n] {
                *x = b'0' + u8::try_from(r.below(10)).unwrap_or(0);
            }
        }
        _ => {
            // One splice of the repeated token (repeated splices are quadratic).
            let t = r.pick(tokens).repeat(1 + r.below(2000));
            insert_at(b, at, &t);
        }
    }
}

fn digit_run(r: &mut Rng) -> Vec<u8> {
    let long = r.below(8) == 0;
    let n = 1 + r.below(if long { 400 } else { 24 });
    let mut s = Vec::with_capacity(n);
    for i in 0..n {
        if i > 0 && r.below(5) == 0 {
            s.push(r.pick(b"./,%"));
        } else {
            s.push(b'0' + u8::try_from(r.below(10)).unwrap_or(0));
        }
    }
    s
}

/// Text mutations: byte ops plus grammar tokens at line level.
fn mutate_text(r: &mut Rng, src: &[u8], other: &[u8], max: usize) -> Vec<u8> {
    let tokens: Vec<&[u8]> = TEXT_TOKENS.iter().map(|t| t.as_bytes()).collect();
    let mut b = src.to_vec();
    for _ in 0..1 + r.below(6) {
        if b.is_empty() {
            b.extend_from_slice(r.pick(&tokens));
        }
        match r.below(8) {
            0 | 1 => byte_op(r, &mut b, &tokens, other),
            2 => {
                // Keep a window of lines (small, fast inputs).
                let ls = line_starts(&b);
                let i = r.below(ls.len());
                let j = (i + 1 + r.below(40)).min(ls.len());
                let end = if j < ls.len() { ls[j] } else { b.len() };
                b = b[ls[i]..end].to_vec();
            }
            3 => {
                let at = r.below(b.len() + 1);
                let d = digit_run(r);
                insert_at(&mut b, at, &d);
            }
            4 => {
                // Replace a number by a grammar token.
                let at = r.below(b.len());
                if let Some(p) = b[at..].iter().position(u8::is_ascii_digit) {
                    let s = at + p;
                    let e = s + b[s..].iter().take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b'/' | b'%')).count();
                    let t = r.pick(&tokens[..20]).to_vec();
                    b.splice(s..e, t);
                }
            }
            5 => {
                // Insert tokens at a line start or after a space.
                let ls = line_starts(&b);
                let at = if r.below(2) == 0 { r.pick(&ls) } else { r.below(b.len() + 1) };
                let mut t = Vec::new();
                for _ in 0..1 + r.below(4) {
                    t.extend_from_slice(r.pick(&tokens));
                    if r.below(2) == 0 {
                        t.push(b' ');
                    }
                }
                insert_at(&mut b, at, &t);
            }
            6 => {
                // Swap two lines.
                let ls = line_starts(&b);
                if ls.len() > 2 {
                    let mut lines: Vec<Vec<u8>> = b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
                    let (i, j) = (r.below(lines.len()), r.below(lines.len()));
                    lines.swap(i, j);
                    b = lines.join(&b'\n');
                }
            }
            _ => {
                // Combining marks after a letter, or many of them.
                let at = r.below(b.len() + 1);
                let m = r.pick(&["\u{301}", "\u{300}", "\u{303}", "\u{309}", "\u{323}", "\u{306}"]).as_bytes().to_vec();
                let many = r.below(4) == 0;
                let m = m.repeat(1 + r.below(if many { 500 } else { 2 }));
                insert_at(&mut b, at, &m);
            }
        }
    }
    b.truncate(max);
    b
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// PDF: byte ops, number tweaks after "obj"/"xref"/"/Length"/"startxref",
/// and content streams inflated, mutated at operator level, deflated.
fn mutate_pdf(r: &mut Rng, src: &[u8], other: &[u8], max: usize) -> Vec<u8> {
    let mut b = src.to_vec();
    for _ in 0..1 + r.below(4) {
        if b.is_empty() {
            b.extend_from_slice(b"%PDF-1.7\n");
        }
        match r.below(6) {
            0 | 1 => byte_op(r, &mut b, PDF_TOKENS, other),
            2 | 3 => {
                // A number next to a structural keyword.
                let key: &[u8] = r.pick(&[&b" obj"[..], b"xref", b"/Length", b"startxref", b"/Size", b"/Count", b"/Prev", b"/N ", b"/First", b" R"]);
                let from = r.below(b.len());
                let Some(k) = find(&b, key, from).or_else(|| find(&b, key, 0)) else { continue };
                // The digits just before (obj, R) or just after the keyword.
                let (s, e) = if matches!(key, b" obj" | b" R") {
                    let e = k;
                    let s = e - b[..e].iter().rev().take_while(|c| c.is_ascii_digit() || **c == b' ').count();
                    (s, e)
                } else {
                    let s = k + key.len() + b[k + key.len()..].iter().take_while(|c| c.is_ascii_whitespace()).count();
                    let e = s + b[s..].iter().take_while(|c| c.is_ascii_digit()).count();
                    (s, e)
                };
                let old: i64 = std::str::from_utf8(&b[s..e]).ok().and_then(|x| x.split_whitespace().last()?.parse().ok()).unwrap_or(0);
                let new = match r.below(7) {
                    0 => old + 1,
                    1 => old - 1,
                    2 => 0,
                    3 => -1,
                    4 => i64::from(u32::MAX) + 1,
                    5 => old * 1000,
                    _ => i64::try_from(r.below(100)).unwrap_or(0),
                };
                let rep = if matches!(key, b" obj" | b" R") { format!(" {new} 0") } else { new.to_string() };
                b.splice(s..e, rep.into_bytes());
            }
            _ => {
                // A content (or any Flate) stream mutated after inflating.
                let from = r.below(b.len());
                let Some(s0) = find(&b, b"stream", from).or_else(|| find(&b, b"stream", 0)) else { continue };
                if b[..s0].ends_with(b"end") {
                    continue;
                }
                let mut s = s0 + 6;
                if b.get(s) == Some(&b'\r') {
                    s += 1;
                }
                if b.get(s) == Some(&b'\n') {
                    s += 1;
                }
                let Some(e) = find(&b, b"endstream", s) else { continue };
                let mut plain = Vec::new();
                if flate2::read::ZlibDecoder::new(&b[s..e]).take(16 << 20).read_to_end(&mut plain).is_err() && plain.is_empty() {
                    continue;
                }
                let ops: Vec<&[u8]> = OPS.iter().map(|o| o.as_bytes()).collect();
                for _ in 0..1 + r.below(4) {
                    byte_op(r, &mut plain, &ops, b"");
                }
                let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
                if z.write_all(&plain).is_err() {
                    continue;
                }
                let Ok(mut packed) = z.finish() else { continue };
                if r.below(2) == 0 {
                    packed.push(b'\n');
                }
                b.splice(s..e, packed);
            }
        }
    }
    b.truncate(max);
    b
}

/// DOCX: half the time zip bytes; otherwise the XML parts rebuilt:
/// `word/document.xml` cut, deeply nested, given a huge run, an entity
/// declaration, duplicated elements or token/text mutations; sometimes a
/// part is dropped or another part corrupted.
fn mutate_docx(r: &mut Rng, src: &[u8], other: &[u8], max: usize) -> Vec<u8> {
    if r.below(3) == 0 {
        let mut b = src.to_vec();
        for _ in 0..1 + r.below(3) {
            byte_op(r, &mut b, PDF_TOKENS, other);
        }
        b.truncate(max);
        return b;
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(src)) else {
        let mut b = src.to_vec();
        byte_op(r, &mut b, PDF_TOKENS, other);
        return b;
    };
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let mut data = Vec::new();
        if f.by_ref().take(64 << 20).read_to_end(&mut data).is_err() {
            continue;
        }
        let Ok(name) = f.name().map(|n| n.to_string()) else { continue };
        parts.push((name, data));
    }
    let xml_tokens: Vec<&[u8]> = XML_TOKENS.iter().map(|t| t.as_bytes()).collect();
    let target =
        if r.below(5) == 0 && !parts.is_empty() { r.below(parts.len()) } else { parts.iter().position(|(n, _)| n == "word/document.xml").unwrap_or(0) };
    if r.below(20) == 0 && !parts.is_empty() {
        parts.remove(target);
    } else if let Some((_, data)) = parts.get_mut(target) {
        let body = data.iter().position(|&c| c == b'>').map_or(0, |p| p + 1);
        let body = find(data, b"<w:body>", 0).map_or(body, |p| p + 8);
        *data = match r.below(8) {
            0 => {
                let at = r.below(data.len());
                data[..at].to_vec()
            }
            1 => {
                // Deep nesting, closed or not.
                let (open, close) = r.pick(&[
                    ("<w:p>", "</w:p>"),
                    ("<w:r>", "</w:r>"),
                    ("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>"),
                    ("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"),
                    ("<a>", "</a>"),
                ]);
                let n = 1 + r.below(100_000);
                let mut d = data[..body].to_vec();
                d.extend(open.as_bytes().repeat(n));
                if r.below(2) == 0 {
                    d.extend(close.as_bytes().repeat(n));
                }
                d.extend_from_slice(&data[body..]);
                d
            }
            2 => {
                // A huge run.
                let n = 1 + r.below(256 << 10);
                let word = r.pick(&["tỷ lệ 99,52% ", "1", "843/847 ", "a", " ", "\u{301}"]);
                let mut d = data[..body].to_vec();
                d.extend_from_slice(b"<w:p><w:r><w:t>");
                d.extend(word.as_bytes().iter().copied().cycle().take(n));
                d.extend_from_slice(b"</w:t></w:r></w:p>");
                d.extend_from_slice(&data[body..]);
                d
            }
            3 => {
                // Entity declarations (internal, nested, external) and uses.
                let decl = r.pick(&[
                    "<!DOCTYPE w:document [<!ENTITY e \"tỷ lệ 99,52%\">]>",
                    "<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY e \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
                    "<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>",
                    "<!DOCTYPE d [<!ENTITY e \"&e;\">]>",
                ]);
                let prolog = find(data, b"?>", 0).map_or(0, |p| p + 2);
                let mut d = data[..prolog].to_vec();
                d.extend_from_slice(decl.as_bytes());
                d.extend_from_slice(&data[prolog..]);
                if let Some(t) = find(&d, b"<w:t>", r.below(d.len())).or_else(|| find(&d, b"<w:t", 0)) {
                    let at = t + find(&d[t..], b">", 0).map_or(0, |p| p + 1);
                    insert_at(&mut d, at, &b"&e;".repeat(1 + r.below(100)));
                }
                d
            }
            4 => {
                // Duplicate an element (paragraph, run, row, table).
                let tag = r.pick(&["w:p", "w:r", "w:tr", "w:tc", "w:tbl"]);
                let open = format!("<{tag}");
                let close = format!("</{tag}>");
                let from = r.below(data.len());
                match find(data, open.as_bytes(), from).or_else(|| find(data, open.as_bytes(), 0)) {
                    Some(s) => match find(data, close.as_bytes(), s) {
                        Some(e) => {
                            let e = e + close.len();
                            let many = r.below(4) == 0;
                            // At most ~4 MB of copies (the mutation runs on the clock thread).
                            let times = (1 + r.below(if many { 5000 } else { 4 })).min(1 + (4 << 20) / (e - s));
                            let el = data[s..e].repeat(times);
                            let mut d = data.clone();
                            insert_at(&mut d, e, &el);
                            d
                        }
                        None => data.clone(),
                    },
                    None => data.clone(),
                }
            }
            5 => mutate_text(r, data, b"", usize::MAX),
            _ => {
                let mut d = data.clone();
                for _ in 0..1 + r.below(4) {
                    byte_op(r, &mut d, &xml_tokens, b"");
                }
                d
            }
        };
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if r.below(4) == 0 { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method).large_file(true);
    for (name, data) in parts {
        if w.start_file(name, opts).is_err() || w.write_all(&data).is_err() {
            return src.to_vec();
        }
    }
    let mut out = w.finish().map(|c| c.into_inner()).unwrap_or_else(|_| src.to_vec());
    out.truncate(max);
    out
}

fn mutate(t: Target, r: &mut Rng, src: &[u8], other: &[u8]) -> Vec<u8> {
    match t {
        Target::Figures | Target::Sections | Target::Claims => mutate_text(r, src, other, t.max_len()),
        Target::Docx => mutate_docx(r, src, other, t.max_len()),
        Target::Pdf => mutate_pdf(r, src, other, t.max_len()),
    }
}

// ------------------------------------------------------------------ corpus

fn seeds(t: Target, root: &Path, extra: Option<&Path>) -> Vec<Vec<u8>> {
    let dirs: Vec<PathBuf> = match extra {
        Some(d) => vec![d.to_path_buf()],
        None => match t {
            Target::Figures | Target::Sections | Target::Claims => {
                ["fixtures/text", "fixtures/realtexts/docs", "fixtures/encodings"].iter().map(|d| root.join(d)).collect()
            }
            Target::Docx | Target::Pdf => vec![root.join("fixtures/pdf")],
        },
    };
    let mut out = Vec::new();
    for d in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        files.sort();
        for p in files {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let keep = match t {
                Target::Docx => ext == "docx",
                Target::Pdf => ext == "pdf",
                _ => ext == "txt",
            };
            if keep && p.is_file() {
                if let Ok(b) = std::fs::read(&p) {
                    out.push(b);
                }
            }
        }
    }
    // The findings saved earlier are seeds too.
    let mut found: Vec<PathBuf> =
        std::fs::read_dir(root.join("fuzz/findings").join(t.name())).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    found.sort();
    out.extend(found.iter().filter(|p| p.extension().and_then(|e| e.to_str()) == Some(t.ext())).filter_map(|p| std::fs::read(p).ok()));
    out
}

// --------------------------------------------------------------- main loop

static PANICS: AtomicU64 = AtomicU64::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn sha8(b: &[u8]) -> String {
    format!("{:016x}", h(b))
}

struct Findings {
    dir: PathBuf,
    log: Vec<String>,
    crash_sites: HashSet<String>,
    crashes: usize,
    timeouts: usize,
    saved: Vec<PathBuf>,
}

impl Findings {
    fn save(&mut self, kind: &str, t: Target, input: &[u8], note: &str) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let p = self.dir.join(format!("{kind}-{}.{}", sha8(input), t.ext()));
        if std::fs::write(&p, input).is_ok() {
            println!("  saved {} ({} bytes): {note}", p.display(), input.len());
            self.log.push(format!("- `{}` ({} bytes): {note}", p.file_name().and_then(|n| n.to_str()).unwrap_or(""), input.len()));
            self.saved.push(p);
        }
    }
    fn write_log(&self) {
        if self.log.is_empty() {
            return;
        }
        let p = self.dir.join("LOG.md");
        let mut old = std::fs::read_to_string(&p).unwrap_or_default();
        for l in &self.log {
            old.push_str(l);
            old.push('\n');
        }
        let _ = std::fs::write(p, old);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(t) = args.first().and_then(|a| Target::parse(a)) else {
        eprintln!("usage: fuzz figures|sections|claims|docx|pdf [--seconds N] [--runs N] [--seed S] [--corpus DIR] [--slow-ms MS] [--hang-secs S] [--out DIR]");
        std::process::exit(2);
    };
    let num = |name: &str, d: u64| arg(&args, name).and_then(|v| v.parse::<u64>().ok()).unwrap_or(d);
    let seconds = num("--seconds", 60);
    let runs = num("--runs", u64::MAX);
    let seed = num("--seed", 13);
    let slow = Duration::from_millis(num("--slow-ms", 2000));
    let hang = Duration::from_secs(num("--hang-secs", 20));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = arg(&args, "--out").map_or_else(|| root.join("fuzz/findings"), PathBuf::from);
    let corpus_dir = arg(&args, "--corpus").map(PathBuf::from);
    let cur = std::env::temp_dir().join(format!("cchc-fuzz-{}.cur", t.name()));

    std::panic::set_hook(Box::new(|info| {
        let msg =
            info.payload().downcast_ref::<&str>().map(|s| (*s).to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        PANICS.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut m) = LAST_PANIC.lock() {
            *m = format!("{at}: {msg}");
        }
    }));

    // One worker thread runs the inputs; the main thread keeps the clock.
    let (in_tx, in_rx) = mpsc::channel::<Vec<u8>>();
    let (out_tx, out_rx) = mpsc::channel::<(Result<Vec<u64>, ()>, Duration)>();
    let worker = std::thread::Builder::new().name("fuzz-worker".into()).stack_size(64 << 20).spawn(move || {
        for input in in_rx {
            let t0 = Instant::now();
            let r = std::panic::catch_unwind(|| run(t, &input)).map_err(|_| ());
            if out_tx.send((r, t0.elapsed())).is_err() {
                break;
            }
        }
    });
    if worker.is_err() {
        eprintln!("cannot start the worker thread");
        std::process::exit(2);
    }

    let mut corpus = seeds(t, &root, corpus_dir.as_deref());
    if corpus.is_empty() {
        corpus.push(b"1".to_vec());
    }
    let n_seeds = corpus.len();
    let mut r = Rng::new(seed);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut fnd = Findings { dir: out.join(t.name()), log: Vec::new(), crash_sites: HashSet::new(), crashes: 0, timeouts: 0, saved: Vec::new() };
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut execs: u64 = 0;
    let mut slowest = Duration::ZERO;
    let mut hung = false;
    let mut next_report = start + Duration::from_secs(60);
    println!("fuzz {}: seed {seed}, {seconds} s, {n_seeds} seed inputs", t.name());
    while execs < runs && Instant::now() < deadline {
        // The seeds run first, unmutated.
        let input = if (execs as usize) < n_seeds {
            corpus[execs as usize].clone()
        } else {
            let a = r.below(corpus.len());
            let b = r.below(corpus.len());
            mutate(t, &mut r, &corpus[a], &corpus[b])
        };
        let _ = std::fs::write(&cur, &input);
        let before = PANICS.load(Ordering::SeqCst);
        if in_tx.send(input.clone()).is_err() {
            break;
        }
        let (res, took) = match out_rx.recv_timeout(hang) {
            Ok(x) => x,
            Err(_) => {
                fnd.timeouts += 1;
                fnd.save("hang", t, &input, &format!("still running after {} s (run stopped)", hang.as_secs()));
                hung = true;
                break;
            }
        };
        execs += 1;
        slowest = slowest.max(took);
        let panicked = PANICS.load(Ordering::SeqCst) != before || res.is_err();
        if panicked {
            fnd.crashes += 1;
            let msg = LAST_PANIC.lock().map(|m| m.clone()).unwrap_or_default();
            let site = msg.split(": ").next().unwrap_or("").to_string();
            let escaped = if res.is_err() { "escaped" } else { "caught inside the library" };
            if fnd.crash_sites.insert(site) {
                fnd.save("crash", t, &input, &format!("panic ({escaped}) {msg}"));
            }
        } else if took > slow {
            fnd.timeouts += 1;
            if fnd.timeouts <= 20 {
                fnd.save("slow", t, &input, &format!("took {:.1} s", took.as_secs_f64()));
            }
        }
        if let Ok(feats) = res {
            let mut new = false;
            for f in feats {
                new |= seen.insert(f);
            }
            if new && (execs as usize) > n_seeds && !panicked && took <= slow {
                corpus.push(input);
            }
        }
        if Instant::now() >= next_report {
            next_report += Duration::from_secs(60);
            println!(
                "  {:>4} s: {execs} execs, corpus {}, features {}, crashes {}, timeouts {}",
                start.elapsed().as_secs(),
                corpus.len(),
                seen.len(),
                fnd.crashes,
                fnd.timeouts
            );
        }
    }
    let el = start.elapsed().as_secs_f64();
    fnd.write_log();
    if !hung {
        let _ = std::fs::remove_file(&cur);
    }
    println!(
        "SUMMARY {}: {:.0} s, {execs} execs, {:.1} execs/s, corpus {} ({n_seeds} seeds), features {}, crashes {} ({} sites), timeouts {}, slowest {:.2} s",
        t.name(),
        el,
        execs as f64 / el.max(1e-9),
        corpus.len(),
        seen.len(),
        fnd.crashes,
        fnd.crash_sites.len(),
        fnd.timeouts,
        slowest.as_secs_f64()
    );
    let code = if hung {
        2
    } else if fnd.crashes + fnd.timeouts > 0 {
        1
    } else {
        0
    };
    // A hung worker is abandoned: exit without joining it.
    std::process::exit(code);
}
