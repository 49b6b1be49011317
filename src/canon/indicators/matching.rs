//! Matching one prose figure: the words around the number, its subject and
//! its kind.

use super::{fold, Catalog, IndicatorKind, KindHint, Match};
use crate::model::{Figure, Kind};

/// Kind hint from a figure's kind.
fn figure_hint(f: &Figure) -> KindHint {
    match f.kind {
        Kind::Fraction | Kind::Percent => KindHint::Rate,
        Kind::Money => KindHint::Money,
        Kind::Count | Kind::Quantity => KindHint::Count,
        _ => KindHint::Unknown,
    }
}

const SEPARATORS: [char; 5] = [';', ':', '(', ')', '\n'];

fn char_floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn last_words(s: &str, n: usize) -> String {
    let mut w: Vec<&str> = s.split_whitespace().rev().take(n).collect();
    w.reverse();
    w.join(" ")
}

/// The last `n` tokens of `fold(text)` (all of them when fewer). Folding is
/// per character and whitespace folds to a space, so the tokens of a suffix
/// that starts after whitespace are the trailing tokens of the whole text:
/// only as many words as needed are folded.
fn last_folded_tokens(text: &str, n: usize) -> Vec<String> {
    let mut words = n.max(1);
    loop {
        let start = text.split_whitespace().rev().take(words).last().map_or(text.len(), |w| w.as_ptr() as usize - text.as_ptr() as usize);
        let folded = fold(&text[start..]);
        let toks: Vec<&str> = folded.split_whitespace().collect();
        if toks.len() >= n || start == 0 || !text[..start].chars().any(|c| !c.is_whitespace()) {
            return toks[toks.len().saturating_sub(n)..].iter().map(|t| t.to_string()).collect();
        }
        words *= 2;
    }
}

/// Texts around a prose figure: (label, context).  The label is the clause
/// before the number (plus the previous clause when that one is empty, as in
/// "Số hồ sơ đã giải quyết: 7.259") and, unless the clause ends with a word
/// like "đạt"/"là", the words right after the number ("829/829 hồ sơ có số hóa
/// …", "100% cán bộ được trang bị …").
fn figure_texts(cat: &Catalog, f: &Figure) -> (String, String) {
    let off = char_floor(&f.sentence, usize::try_from(f.offset).unwrap_or(0));
    let before = &f.sentence[..off];
    let after_start = char_floor(&f.sentence, off + f.raw.len());
    let after = &f.sentence[after_start..];
    let after = &after[..after.find(SEPARATORS).unwrap_or(after.len())];
    let after = after.split([',']).next().unwrap_or("");
    let following: Vec<&str> = after.split_whitespace().take(12).collect();
    let following = following.join(" ");

    let mut clause = String::new();
    // Segments from the number back (only as many as needed).
    for seg in before.rsplit(SEPARATORS) {
        clause = format!("{} {}", seg.trim(), clause).trim().to_string();
        if cat.token_count(&clause) >= 2 {
            break;
        }
    }
    let clause = last_words(&clause, 14);
    let longest = cat.subject_before.iter().map(Vec::len).max().unwrap_or(0);
    let folded_tail = last_folded_tokens(before, longest);
    let ends_with_marker = before.trim_end().ends_with(':') || cat.subject_before.iter().any(|w| folded_tail.ends_with(w));
    let window = last_words(before, 30);
    if ends_with_marker {
        (clause, format!("{window} {following}"))
    } else {
        (format!("{} {following}", last_words(&clause, 8)), window)
    }
}

/// Whether a prose figure of this kind can be a value of the indicator: a
/// percent is only ever a rate, a plain count only a count, money is money;
/// text indicators take no prose number, flags only 0/1.
fn figure_compatible(f: &Figure, kind: IndicatorKind) -> bool {
    use IndicatorKind as K;
    let zero_one = matches!(f.value, Some(v) if v == 0.0 || v == 1.0);
    match (f.kind, kind) {
        (_, K::Text) => false,
        (_, K::Flag) => zero_one,
        (Kind::Percent, k) => k == K::Rate,
        (Kind::Money, k) => k == K::Money,
        (Kind::Count | Kind::Quantity, k) => k == K::Count,
        (Kind::Date | Kind::Period, _) => false,
        _ => true,
    }
}

/// The best-ranked indicator compatible with the figure, above the threshold.
fn best_compatible(cat: &Catalog, f: &Figure, label: &str, ctx: &str, hint: KindHint) -> Option<Match> {
    cat.best_accepted(label, ctx, hint, false, |i| figure_compatible(f, i.kind))
}

/// Match one prose figure: subject first, then the words around the number.
pub fn match_figure(cat: &Catalog, f: &Figure) -> Option<Match> {
    if matches!(f.kind, Kind::Date | Kind::Period) {
        return None;
    }
    let hint = figure_hint(f);
    let (label, window) = figure_texts(cat, f);
    let subject = f.subject.as_deref().map(str::trim).filter(|s| !s.is_empty());
    // The unit names what is counted ("36/36 nhiệm vụ", "06 buổi").
    let unit = f.unit.as_deref().filter(|u| !u.contains('%')).unwrap_or("");
    let best = subject.and_then(|s| best_compatible(cat, f, &format!("{s} {unit}"), &window, hint));
    if best.is_some() {
        return best;
    }
    let ctx = match subject {
        Some(s) => format!("{s} {window}"),
        None => window,
    };
    // The surrounding words are weaker evidence than a parsed subject.
    best_compatible(cat, f, &label, &ctx, hint)
        .map(|mut m| {
            m.confidence *= 0.97;
            m
        })
        .filter(|m| m.confidence >= cat.threshold)
}
