//! Passes over the figures of a text: long-form fractions ("1.221 hồ sơ …
//! /3.797 hồ sơ") and the percent stated for a fraction.

use super::*;
use crate::model::{Kind, Value};
use crate::vocab::{ends_with_word, vocab};

/// Long-form fractions: "1.221 hồ sơ đã tiếp nhận trực tuyến /3.797 hồ sơ",
/// "7 dịch vụ công (tổng số DVCTT mức độ 4) / 82 dịch vụ công".
pub(crate) fn join_long_fractions(text: &str, figs: &mut Vec<Found>) {
    let mut dead = vec![false; figs.len()];
    for k in 0..figs.len() {
        let f = &figs[k];
        let denominator_like = matches!(f.kind(), Some(Kind::Count) | Some(Kind::Quantity) | Some(Kind::Money))
            && matches!(f.value.qualifier.as_deref(), None | Some(">") | Some("~"));
        let slash = total_word_before(text[..f.start].trim_end_matches(' '));
        if !denominator_like || !slash.ends_with('/') {
            continue;
        }
        let slash_pos = slash.len() - 1;
        if let Some(j) = numerator_before(text, figs, &dead, k, slash_pos) {
            let unit = figs[k].value.unit.clone().or_else(|| figs[j].value.unit.clone());
            figs[j] = Found {
                start: figs[j].start,
                end: figs[k].end,
                value: Value {
                    kind: Some(Kind::Fraction),
                    numerator: figs[j].value.value,
                    denominator: figs[k].value.value,
                    unit,
                    qualifier: figs[j].value.qualifier.clone(),
                    ..Default::default()
                },
                normalized: None,
            };
            // Figures strictly between j and k stay (they are inside the noun phrase).
            dead[k] = true;
        }
    }
    let mut i = 0;
    figs.retain(|_| {
        let keep = !dead[i];
        i += 1;
        keep
    });
    figs.sort_by_key(|f| f.start);
}

/// "…/tổng số hơn 166.200 hồ sơ": the slash may be followed by the words
/// naming the total before the denominator.
pub(crate) fn total_word_before(before: &str) -> &str {
    vocab().figures.total_words.iter().find_map(|w| ends_with_word(before, w).map(|p| before[..p].trim_end_matches(' '))).unwrap_or(before)
}

/// The nearest count before `slash_pos` in the same clause, skipping
/// figures inside a closed parenthesis ("(tổng số DVCTT mức độ 4)").
pub(crate) fn numerator_before(text: &str, figs: &[Found], dead: &[bool], k: usize, slash_pos: usize) -> Option<usize> {
    for j in (0..k).rev() {
        if dead[j] {
            continue;
        }
        let g = &figs[j];
        let from = g.end.min(slash_pos);
        let between = &text[from..slash_pos];
        if slash_pos.saturating_sub(g.end) > 220 || between.contains(';') || sentence_break(between) {
            return None;
        }
        if inside_closed_parens(text, g.start, slash_pos) {
            continue;
        }
        // Counts over counts, money over money ("5.817,196 tỷ đồng/5.937,440 tỷ đồng").
        let same_kind = match figs[k].kind() {
            Some(Kind::Money) => g.kind() == Some(Kind::Money),
            _ => g.kind() == Some(Kind::Count),
        };
        return same_kind.then_some(j);
    }
    None
}

pub(crate) fn sentence_break(between: &str) -> bool {
    between.contains(". ") && between.split(". ").skip(1).any(|s| s.starts_with(|c: char| c.is_uppercase()))
}

/// True when position `p` is inside a "( … )" that closes before `limit`.
pub(crate) fn inside_closed_parens(text: &str, p: usize, limit: usize) -> bool {
    let from = p.saturating_sub(300);
    let from = (from..=p).find(|i| text.is_char_boundary(*i)).unwrap_or(p);
    let open = text[from..p].rfind('(').map(|o| o + from);
    let close_before = text[from..p].rfind(')').map(|c| c + from);
    match open {
        Some(o) if close_before.is_none_or(|c| c < o) => text[p..limit].contains(')'),
        _ => false,
    }
}

/// "843/847 hồ sơ đạt 99,52%": the first percent after a fraction in the
/// same clause (no other count or fraction in between, no ';').
///
/// Also "Trên 80% (1.397/1.725 TTHC)": a percent right before the
/// parenthesised fraction. A bound far from the fraction's own ratio
/// ("còn 06/34 địa phương tỷ lệ đạt dưới 90%") describes the members of the
/// set, not the share, and is not attached.
pub(crate) fn attach_stated_percents(text: &str, figs: &mut [Found]) {
    for k in 0..figs.len() {
        if figs[k].kind() != Some(Kind::Fraction) {
            continue;
        }
        if k > 0 && figs[k - 1].kind() == Some(Kind::Percent) && text.get(figs[k - 1].end..figs[k].start).is_some_and(|b| b.trim() == "(") {
            figs[k].value.stated_percent = figs[k - 1].value.value;
            continue;
        }
        for j in k + 1..figs.len() {
            let g = &figs[j];
            let between = &text[figs[k].end.min(g.start)..g.start];
            if between.contains(';') || between.len() > 200 || sentence_break(between) {
                break;
            }
            match g.kind() {
                Some(Kind::Percent) => {
                    if !bound_of_members(&figs[k].value, &g.value) {
                        figs[k].value.stated_percent = g.value.value;
                    }
                    break;
                }
                Some(Kind::Date) | Some(Kind::Period) => continue,
                _ => break,
            }
        }
    }
}

/// A comparison bound ("dưới 90%") more than 10 points away from the
/// fraction's own ratio: a threshold on the members, not its share.
pub fn bound_of_members(fraction: &Value, percent: &Value) -> bool {
    let comparison = matches!(percent.qualifier.as_deref(), Some("<") | Some("<=") | Some(">") | Some(">="));
    match (fraction.numerator, fraction.denominator, percent.value) {
        (Some(n), Some(d), Some(p)) if comparison && d > 0.0 => (n / d * 100.0 - p).abs() > 10.0,
        _ => false,
    }
}
