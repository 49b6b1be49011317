//! Figure rows of the prose: every paragraph's figures (heading numbers
//! excluded) with their sentence, subject, section, line and page, and where
//! each sits in its paragraph (for the claims stage).

use crate::layout::{Layout, Para};
use crate::model::{Figure, Kind, Section};
use crate::parse::figures::{scan, Found};
use crate::parse::sections::{self, short};
use crate::parse::sentence::{sentences, subject_of};

/// Where a figure sits in its paragraph (figure rows keep only their sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub para: usize,
    pub start: usize,
    pub end: usize,
    /// Index of its sentence in `sentences(&para.text)`.
    pub sent: usize,
}

/// The figure rows of every paragraph with their placement (for the claims
/// stage), the largest number of figures in one paragraph, and the line
/// where `max_figures` cut the document (if it did).
pub fn figures(
    doc_id: &str,
    lay: &Layout,
    sections: &[Section],
    owner: &[Option<usize>],
    max_figures: usize,
) -> (Vec<Figure>, Vec<Placed>, usize, Option<u32>) {
    let mut out = Vec::new();
    let mut placed = Vec::new();
    let mut crowded = 0;
    for (pi, para) in lay.paras.iter().enumerate() {
        let skip = sections::marker(&para.text).map_or(0, |m| m.len.min(para.text.len()));
        let body = &para.text[skip..];
        let found = scan(body);
        if found.is_empty() {
            continue;
        }
        crowded = crowded.max(found.len());
        let sents = sentences(&para.text);
        let mut sent_idx = 0;
        let mut prev_subject: Option<(usize, Option<String>)> = None;
        for (k, f) in found.iter().enumerate() {
            let Some(kind) = f.kind() else { continue };
            let start = f.start + skip;
            // Figures come in order: advance through the sentences once.
            while sents.get(sent_idx).is_some_and(|(_, b)| *b <= start) {
                sent_idx += 1;
            }
            let (s0, s1) = sents.get(sent_idx).copied().unwrap_or((0, para.text.len()));
            let window = if found.len() > CROWDED_PARAGRAPH { CROWDED_WINDOW } else { WINDOW };
            let (s0, s1) = clamp_sentence(&para.text, s0, s1, start, (f.end + skip).min(s1), window);
            let sentence = &para.text[s0..s1];
            let rel = start - s0;
            let rel_end = (f.end + skip).min(s1) - s0;
            let mut subject = subject_of(sentence, rel, rel_end);
            // A percent stated for the fraction just before it shares its subject.
            if kind == Kind::Percent {
                if let Some((idx, subj)) = &prev_subject {
                    if found.get(*idx).is_some_and(|g| g.value.stated_percent == f.value.value && g.kind() == Some(Kind::Fraction)) {
                        subject = subj.clone();
                    }
                }
            }
            if kind == Kind::Fraction {
                prev_subject = Some((k, subject.clone()));
            }
            let (line, page) = para.locate(start);
            if out.len() >= max_figures {
                return (out, placed, crowded, Some(line));
            }
            placed.push(Placed { para: pi, start, end: f.end + skip, sent: sent_idx });
            out.push(to_figure(
                doc_id,
                out.len(),
                owner.get(pi).copied().flatten().map(|i| sections[i].section_id.clone()),
                line,
                page,
                para,
                f,
                skip,
                sentence,
                rel,
                subject,
            ));
        }
    }
    (out, placed, crowded, None)
}

#[allow(clippy::too_many_arguments)]
fn to_figure(
    doc_id: &str,
    n: usize,
    section_id: Option<String>,
    line: u32,
    page: Option<u32>,
    para: &Para,
    f: &Found,
    skip: usize,
    sentence: &str,
    rel: usize,
    subject: Option<String>,
) -> Figure {
    let v = &f.value;
    let raw = para.text[f.start + skip..f.end + skip].to_string();
    let year = f.normalized.as_deref().and_then(|n| n.get(0..4)).and_then(|y| y.parse().ok());
    Figure {
        doc_id: doc_id.to_string(),
        figure_id: format!("{}:f{}", short(doc_id), n + 1),
        section_id,
        page: page.and_then(|p| i32::try_from(p).ok()),
        line: i32::try_from(line).unwrap_or(i32::MAX),
        raw,
        kind: v.kind.unwrap_or(Kind::Count),
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        stated_percent: v.stated_percent,
        unit: v.unit.clone(),
        qualifier: v.qualifier.clone(),
        subject,
        indicator: None,
        sentence: sentence.to_string(),
        offset: i32::try_from(rel).unwrap_or(i32::MAX),
        year,
        normalized: f.normalized.clone(),
        confidence: None,
    }
}

/// Longest sentence kept whole; longer ones (a run-on line) are cut to the
/// clause around the figure so that memory stays linear in the input.
const MAX_SENTENCE: usize = 1200;
const WINDOW: usize = 200;
/// A paragraph with more figures than this (a table flattened into one line,
/// a hostile file) keeps a narrower window per figure and warns.
pub const CROWDED_PARAGRAPH: usize = 5000;
pub const CROWDED_WINDOW: usize = 60;

fn clamp_sentence(text: &str, s0: usize, s1: usize, start: usize, end: usize, window: usize) -> (usize, usize) {
    if s1 - s0 <= MAX_SENTENCE {
        return (s0, s1);
    }
    let lo = floor_char(text, start.saturating_sub(window).max(s0));
    let hi = ceil_char(text, (end + window).min(s1));
    let a = text[lo..start].rfind(';').map_or(lo, |p| lo + p + 1);
    let b = text[end..hi].find(';').map_or(hi, |p| end + p + 1);
    (a, b)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}
