//! A finding's quote inside its source paragraph, with the figures it is
//! about marked inside the quote.
//!
//! The dataset keeps the source text: `sections.text` holds the body
//! paragraphs of each section (one per line, as the layout stage joined
//! them), `figures.sentence` the sentence around each figure and
//! `tables.raw` the cell text.  The page therefore never re-reads the
//! source files (they may be gone, or be PDFs and DOCX): the paragraph that
//! contains the quote is looked up in the section texts, else the figure's
//! sentence, else the quote is shown alone.

use serde::Serialize;

use crate::model::{Figure, Section};

/// Characters of paragraph kept before and after the quote.
const CONTEXT_CHARS: usize = 480;

/// A run of quote text, marked (`cls` = "part", "base", "stated", "total",
/// "fig") or plain (`cls` empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seg {
    pub text: String,
    pub cls: &'static str,
}

/// Where the text around a quote comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A paragraph of `sections.text`.
    Paragraph,
    /// `figures.sentence` of the finding's figure.
    Sentence,
    /// A table cell or row (`tables.raw`).
    Cell,
    /// Nothing found around it: the quote alone.
    Quote,
}

/// The quote in its context, ready for the template: `before` + marked
/// `quote` + `after`.  The concatenated text of `quote` is exactly the
/// finding's quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    pub before: String,
    pub quote: Vec<Seg>,
    pub after: String,
    pub source: Source,
}

/// A figure to mark inside the quote, with its role.
pub struct Involved<'a> {
    pub figure: &'a Figure,
    pub cls: &'static str,
}

/// The last `n` characters of `s` (with an ellipsis when cut).
fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        return s.to_string();
    }
    let start = s.char_indices().nth(count - n).map_or(0, |(i, _)| i);
    format!("…{}", &s[start..])
}

/// The first `n` characters of `s` (with an ellipsis when cut).
fn head(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The paragraph of the document that contains `quote`: first in the
/// section holding `line` (the last section starting at or before it), then
/// in any section, then in the sentences of the given figures.
pub fn find_paragraph<'a>(quote: &str, line: Option<i32>, sections: &[&'a Section], sentences: &[&'a str]) -> Option<(&'a str, Source)> {
    if quote.is_empty() {
        return None;
    }
    let home = line.and_then(|l| sections.iter().filter(|s| s.line <= l).max_by_key(|s| s.line));
    let in_section = |s: &&'a Section| s.text.split('\n').find(|p| p.contains(quote));
    if let Some(p) = home.and_then(in_section) {
        return Some((p, Source::Paragraph));
    }
    if let Some(p) = sections.iter().find_map(in_section) {
        return Some((p, Source::Paragraph));
    }
    sentences.iter().find(|s| s.contains(quote)).map(|s| (*s, Source::Sentence))
}

/// Byte range of a figure's `raw` inside `quote`: by the figure's offset in
/// its sentence when the sentence holds the quote, else the first
/// occurrence of `raw` in the quote.
fn span_in_quote(quote: &str, f: &Figure) -> Option<(usize, usize)> {
    if f.raw.is_empty() {
        return None;
    }
    if let (Some(p), Ok(o)) = (f.sentence.find(quote), usize::try_from(f.offset)) {
        let end = o.checked_add(f.raw.len())?;
        if o >= p && end <= p + quote.len() && f.sentence.get(o..end) == Some(f.raw.as_str()) {
            return Some((o - p, end - p));
        }
    }
    quote.find(f.raw.as_str()).map(|i| (i, i + f.raw.len()))
}

/// The quote cut into plain and marked runs; earlier entries of `involved`
/// win where two figures overlap.
pub fn mark_quote(quote: &str, involved: &[Involved<'_>]) -> Vec<Seg> {
    let mut spans: Vec<(usize, usize, &'static str)> = Vec::new();
    for inv in involved {
        let Some((a, b)) = span_in_quote(quote, inv.figure) else { continue };
        if spans.iter().any(|&(x, y, _)| a < y && x < b) {
            continue;
        }
        spans.push((a, b, inv.cls));
    }
    spans.sort_by_key(|s| s.0);
    let mut out = Vec::new();
    let mut at = 0;
    for (a, b, cls) in spans {
        if a > at {
            out.push(Seg { text: quote[at..a].to_string(), cls: "" });
        }
        out.push(Seg { text: quote[a..b].to_string(), cls });
        at = b;
    }
    if at < quote.len() || out.is_empty() {
        out.push(Seg { text: quote[at..].to_string(), cls: "" });
    }
    out
}

/// The quote placed in `text` (a paragraph, sentence or cell) when `text`
/// contains it, else alone.
pub fn context(quote: &str, text: Option<(&str, Source)>, involved: &[Involved<'_>]) -> Context {
    let marked = mark_quote(quote, involved);
    match text.and_then(|(t, src)| t.find(quote).filter(|_| !quote.is_empty()).map(|i| (t, i, src))) {
        Some((t, i, source)) => Context { before: tail(&t[..i], CONTEXT_CHARS), quote: marked, after: head(&t[i + quote.len()..], CONTEXT_CHARS), source },
        None => Context { before: String::new(), quote: marked, after: String::new(), source: Source::Quote },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn fig(raw: &str, sentence: &str) -> Figure {
        Figure {
            doc_id: "d".into(),
            figure_id: raw.into(),
            section_id: None,
            page: None,
            line: 1,
            raw: raw.into(),
            kind: Kind::Count,
            value: None,
            numerator: None,
            denominator: None,
            stated_percent: None,
            unit: None,
            qualifier: None,
            subject: None,
            indicator: None,
            sentence: sentence.into(),
            offset: i32::try_from(sentence.find(raw).unwrap_or(0)).unwrap_or(0),
            year: None,
            normalized: None,
            confidence: None,
        }
    }

    #[test]
    fn marks_concatenate_to_the_quote() {
        let sentence = "Tổng số 843/847 hồ sơ, đạt 99,52% đúng hạn.";
        let quote = "843/847 hồ sơ, đạt 99,52%";
        let part = fig("843/847 hồ sơ", sentence);
        let stated = fig("99,52%", sentence);
        let inv = [Involved { figure: &part, cls: "part" }, Involved { figure: &stated, cls: "stated" }];
        let c = context(quote, Some((sentence, Source::Sentence)), &inv);
        let text: String = c.quote.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, quote);
        assert_eq!(c.before, "Tổng số ");
        assert_eq!(c.after, " đúng hạn.");
        let classes: Vec<&str> = c.quote.iter().map(|s| s.cls).collect();
        assert_eq!(classes, ["part", "", "stated"]);
    }

    #[test]
    fn missing_text_gives_the_quote_alone() {
        let c = context("02/KH-UBND", None, &[]);
        assert_eq!(c.source, Source::Quote);
        assert_eq!(c.quote, vec![Seg { text: "02/KH-UBND".into(), cls: "" }]);
        assert_eq!(tail("ăâêôơư", 3), "…ôơư");
        assert_eq!(head("ăâêôơư", 3), "ăâê…");
    }
}
