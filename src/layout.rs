//! Layout: normalized lines → pages, footnotes, paragraphs and table regions.
//!
//! Two line styles exist in practice:
//! - one paragraph per line (DOCX exports, typed text);
//! - hard-wrapped lines (text extracted from PDF): paragraphs are rebuilt by
//!   joining lines; a paragraph ends at a short line (well under the text
//!   width) or before a line that starts with a heading marker or bullet.
//!   Pages come from form feeds, page-number lines and footnote blocks
//!   (numbered sequentially, anchored by a digit glued to a word in the body
//!   of the same page: "…cơ quan1.").
//!
//! Source line numbers survive joining: every paragraph keeps the byte
//! offset at which each source line starts.

use once_cell::sync::Lazy;
use regex::Regex;
use std::collections::HashMap;

use crate::grammar::markers::starts_with_marker;
use crate::model::Region;
use crate::model::{Footnote, Format, Ingested, SrcLine};

pub use crate::model::{Para, Span};

#[derive(Default)]
pub struct Layout {
    pub paras: Vec<Para>,
    pub footnotes: Vec<Footnote>,
    pub regions: Vec<Region>,
    /// All lines with their page filled in when known.
    pub lines: Vec<SrcLine>,
    pub pages: Option<u32>,
    pub hard_wrapped: bool,
}

static PAGE_NUMBER: Lazy<Regex> = Lazy::new(|| Regex::new(r"^\s*(?:-\s*)?(\d{1,3})(?:\s*-)?\s*$").expect("valid regex"));
static FOOTNOTE_START: Lazy<Regex> = Lazy::new(|| Regex::new(r"^\s*(\d{1,2})\s+(\S.*)$").expect("valid regex"));
static URL_ONLY: Lazy<Regex> = Lazy::new(|| Regex::new(r"^\s*\(?(https?://|www\.)\S+\s*$").expect("valid regex"));

/// Runs the layout stage; `regions` are the table regions found in
/// `ing.lines` by the tables stage (`tables::find_regions`), removed from prose.
pub fn layout(ing: &Ingested, regions: Vec<Region>) -> Layout {
    let mut lines = ing.lines.clone();
    let mut in_table = vec![false; lines.len()];
    for r in &regions {
        for flag in in_table.iter_mut().take(r.end.min(lines.len())).skip(r.start) {
            *flag = true;
        }
    }
    // The trimmed character count of every line, counted once (paragraph
    // joining reads it again; only pages change below, never a text).
    let lens: Vec<usize> = lines.iter().map(|l| char_len(&l.text)).collect();
    let hard_wrapped = ing.format == Format::Pdf || is_hard_wrapped(&lens, &in_table);
    let mut footnotes = ing.footnotes.clone();
    let mut body = vec![true; lines.len()];
    for (k, flag) in in_table.iter().enumerate() {
        if *flag {
            body[k] = false;
        }
    }
    drop_repeated_urls(&lines, &mut body);
    if hard_wrapped && ing.format != Format::Pdf {
        paginate_text(&mut lines, &mut body, &mut footnotes);
    }
    let pages = ing.pages.or_else(|| {
        let max = lines.iter().filter_map(|l| l.page).max();
        max.filter(|m| *m > 1)
    });
    let paras = if hard_wrapped { join_wrapped(&lines, &lens, &body) } else { one_per_line(&lines, &body) };
    Layout { paras, footnotes, regions, lines, pages, hard_wrapped }
}

fn char_len(s: &str) -> usize {
    s.trim().chars().count()
}

/// The non-zero line lengths ([`char_len`]) whose flag is `keep`.
fn nonblank_lens(lens: &[usize], flags: &[bool], keep: bool) -> Vec<usize> {
    lens.iter().zip(flags).filter(|(_, f)| **f == keep).map(|(n, _)| *n).filter(|&n| n > 0).collect()
}

/// PDF-extracted text: most lines are short-ish and similar in length.
fn is_hard_wrapped(line_lens: &[usize], in_table: &[bool]) -> bool {
    let mut lens = nonblank_lens(line_lens, in_table, false);
    if lens.len() < 5 {
        return false;
    }
    lens.sort_unstable();
    let p90 = lens[lens.len() * 9 / 10];
    let p50 = lens[lens.len() / 2];
    p90 <= 140 && p50 >= 25
}

/// Typical full-line width (chars) of hard-wrapped body text.
fn full_width(line_lens: &[usize], body: &[bool]) -> usize {
    let mut lens = nonblank_lens(line_lens, body, true);
    if lens.is_empty() {
        return 80;
    }
    lens.sort_unstable();
    lens[lens.len() * 8 / 10].max(20)
}

/// URL-only lines printed more than once are page furniture (hyperlink
/// footers), not body.
fn drop_repeated_urls(lines: &[SrcLine], body: &mut [bool]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in lines {
        if first_byte(&l.text).is_some_and(|b| matches!(b, b'(' | b'h' | b'w')) && URL_ONLY.is_match(&l.text) {
            *counts.entry(l.text.trim()).or_default() += 1;
        }
    }
    counts.retain(|_, c| *c > 1);
    if counts.is_empty() {
        return;
    }
    for (k, l) in lines.iter().enumerate() {
        if counts.contains_key(l.text.trim()) {
            body[k] = false;
        }
    }
}

/// Pages, page numbers and footnotes of PDF-extracted text without form
/// feeds. Footnote bodies leave the body; page-number lines are dropped.
fn paginate_text(lines: &mut [SrcLine], body: &mut [bool], footnotes: &mut Vec<Footnote>) {
    let known_pages = lines.iter().any(|l| l.page.is_some());
    let mut page: u32 = 1;
    let mut next_note: u32 = 1 + footnotes.len() as u32;
    let mut page_text = String::new();
    let mut open: Option<(Footnote, usize)> = None;
    let mut k = 0;
    while k < lines.len() {
        if !body[k] {
            k += 1;
            continue;
        }
        // Only the page of a line changes below; its text is read in place.
        let line = &mut lines[k];
        let text = line.text.as_str();
        if let Some(p) = page_number(text, page) {
            body[k] = false;
            if let Some((note, _)) = open.take() {
                footnotes.push(note);
            }
            if !known_pages {
                page = p.max(page);
                line.page = Some(page);
            }
            page_text.clear();
            k += 1;
            continue;
        }
        if let Some((mut note, count)) = open.take() {
            let starts_page = text.starts_with(' ') && !text.starts_with("  ");
            let next_start = footnote_start(text, next_note, &page_text);
            if starts_page || count >= 25 {
                footnotes.push(note);
                if !known_pages {
                    page += 1;
                }
                page_text.clear();
            } else if let Some((marker, rest)) = next_start {
                footnotes.push(note);
                open = Some((Footnote { marker, text: rest, page: Some(page), line: line.line, anchor_line: None }, 1));
                next_note += 1;
                take_footnote_line(&mut line.page, &mut body[k], page);
                k += 1;
                continue;
            } else {
                if !text.trim().is_empty() {
                    note.text.push(' ');
                    note.text.push_str(text.trim());
                }
                take_footnote_line(&mut line.page, &mut body[k], page);
                open = Some((note, count + 1));
                k += 1;
                continue;
            }
        } else if let Some((marker, rest)) = footnote_start(text, next_note, &page_text) {
            open = Some((Footnote { marker, text: rest, page: Some(page), line: line.line, anchor_line: None }, 1));
            next_note += 1;
            take_footnote_line(&mut line.page, &mut body[k], page);
            k += 1;
            continue;
        }
        if !known_pages {
            line.page = Some(page);
        }
        page_text.push_str(text);
        page_text.push('\n');
        k += 1;
    }
    if let Some((note, _)) = open {
        footnotes.push(note);
    }
    // Anchor lines: the body line holding "word<N>".
    for note in footnotes.iter_mut().filter(|n| n.anchor_line.is_none()) {
        note.anchor_line = lines
            .iter()
            .zip(body.iter())
            .filter(|(l, b)| **b && l.line < note.line)
            .rev()
            .find(|(l, _)| has_anchor(&l.text, &note.marker))
            .map(|(l, _)| l.line);
    }
    if !known_pages && page == 1 {
        for l in lines.iter_mut() {
            l.page = None;
        }
    }
}

/// A footnote line leaves the body but keeps its page.
fn take_footnote_line(line_page: &mut Option<u32>, in_body: &mut bool, page: u32) {
    *in_body = false;
    *line_page = Some(page);
}

/// The first byte after the leading whitespace: the regexes below only run
/// on lines that can start like them.
fn first_byte(text: &str) -> Option<u8> {
    text.trim_start().as_bytes().first().copied()
}

fn page_number(text: &str, page: u32) -> Option<u32> {
    if !first_byte(text).is_some_and(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    let c = PAGE_NUMBER.captures(text)?;
    let n: u32 = c.get(1)?.as_str().parse().ok()?;
    (n >= page && n <= page + 30).then_some(n)
}

/// "1 Kế hoạch số 2152/KH-VP …" is footnote `expected` when the body of the
/// current page holds its anchor ("…cơ quan1.").
fn footnote_start(text: &str, expected: u32, page_text: &str) -> Option<(String, String)> {
    if !first_byte(text).is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = FOOTNOTE_START.captures(text)?;
    let n: u32 = c.get(1)?.as_str().parse().ok()?;
    if n != expected {
        return None;
    }
    let marker = n.to_string();
    has_anchor(page_text, &marker).then(|| (marker, c.get(2).map_or(String::new(), |m| m.as_str().trim().to_string())))
}

/// A footnote anchor: the marker glued to a word or closing punctuation
/// ("quan1.", "98%10.", "năm3 (") and not followed by a digit or "/".
/// The occurrences are `match_indices`'s (leftmost, non-overlapping), found
/// with `memmem` (the text can be a whole page).
fn has_anchor(text: &str, marker: &str) -> bool {
    memchr::memmem::find_iter(text.as_bytes(), marker).any(|i| {
        let (Some(head), Some(tail)) = (text.get(..i), text.get(i + marker.len()..)) else {
            return false;
        };
        let before = head.chars().next_back();
        let after = tail.chars().next();
        before.is_some_and(|b| b.is_alphabetic() || matches!(b, '%' | ')' | '”' | '"')) && after.is_none_or(|a| !a.is_ascii_digit() && a != '/')
    })
}

/// One paragraph per non-blank line; a line starting with a space and a
/// lowercase letter continues the previous one (wrapped titles).
fn one_per_line(lines: &[SrcLine], body: &[bool]) -> Vec<Para> {
    let mut paras: Vec<Para> = Vec::new();
    let mut prev_blank = true;
    for (l, b) in lines.iter().zip(body) {
        if !*b || l.text.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        let trimmed = l.text.trim();
        let continues = !prev_blank && l.text.starts_with(' ') && trimmed.chars().next().is_some_and(|c| c.is_lowercase());
        match paras.last_mut() {
            Some(p) if continues => append_line(p, trimmed, l),
            _ => paras.push(new_para(trimmed, l)),
        }
        prev_blank = false;
    }
    paras
}

fn new_para(text: &str, l: &SrcLine) -> Para {
    Para { text: text.to_string(), spans: vec![Span { offset: 0, line: l.line, page: l.page }] }
}

/// Appends a wrapped line: no space after a hyphen glued to a code
/// ("NĐ-" + "CP", "cai-cach-" + "hanh"), one space otherwise.
fn append_line(p: &mut Para, text: &str, l: &SrcLine) {
    let glue = p.text.ends_with('-') && p.text[..p.text.len() - 1].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '/');
    if !glue {
        p.text.push(' ');
    }
    p.spans.push(Span { offset: p.text.len(), line: l.line, page: l.page });
    p.text.push_str(text);
}

/// Rebuilds paragraphs from hard-wrapped lines (`lens`: their [`char_len`]).
fn join_wrapped(lines: &[SrcLine], lens: &[usize], body: &[bool]) -> Vec<Para> {
    let width = full_width(lens, body);
    let short = width * 7 / 10;
    let mut paras: Vec<Para> = Vec::new();
    let mut prev_len = usize::MAX;
    let mut prev_text = "";
    let mut in_heading = false;
    for ((l, b), &len) in lines.iter().zip(body).zip(lens) {
        if !*b {
            continue;
        }
        let trimmed = l.text.trim();
        if trimmed.is_empty() {
            continue;
        }
        let marker_start = starts_with_marker(trimmed);
        // Wrapped all-caps titles ("TÌNH HÌNH … CẢI CÁCH" / "HÀNH CHÍNH …").
        let caps_continuation = is_caps(trimmed) && paras.last().is_some_and(|p| is_caps(&p.text)) && !marker_start;
        // A heading ends before a capitalized line that follows a line
        // shorter than the full width (heading lines are bold, so a little
        // shorter than body lines, and body paragraphs start capitalized).
        let heading_ends = in_heading && starts_titlecase(trimmed) && prev_len < width * 9 / 10 && !caps_continuation && !prev_text.ends_with('-');
        // A short line cut before its sentence ends ("… 2.269/6.974 ĐKKD[3]" /
        // "thuộc ngành, nghề …"): a line starting in lowercase continues it.
        let lowercase_continuation = trimmed.starts_with(|c: char| c.is_lowercase()) && !prev_text.ends_with(['.', ':', ';', '!', '?']);
        let starts_new = paras.is_empty()
            || heading_ends
            || (prev_len < short && !caps_continuation && !lowercase_continuation)
            || marker_start
            || (prev_text.ends_with(':') && trimmed.starts_with(|c: char| c.is_uppercase()))
            || is_signature_block_line(trimmed);
        if starts_new {
            in_heading = crate::grammar::markers::marker(trimmed).is_some();
            paras.push(new_para(trimmed, l));
        } else if let Some(p) = paras.last_mut() {
            append_line(p, trimmed, l);
        }
        prev_len = len;
        prev_text = trimmed;
    }
    paras
}

/// "Hiện nay …" but not an acronym ("TTHC rườm rà") that often continues a heading.
fn starts_titlecase(t: &str) -> bool {
    let first_word = t.split_whitespace().next().unwrap_or("");
    let mut cs = first_word.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.any(char::is_lowercase)
}

fn is_caps(t: &str) -> bool {
    crate::util::is_all_caps(t)
}

fn is_signature_block_line(t: &str) -> bool {
    t.starts_with("Nơi nhận")
}
