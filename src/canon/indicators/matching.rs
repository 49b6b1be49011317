//! Matching one prose figure: the words around the number, its subject and
//! its kind.

use std::borrow::Cow;

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

/// `s` from its `n`-th last word on (all of `s` when it has fewer words),
/// a word being a run of characters that are not `sep`. For matching this
/// is the same text as those words joined by single spaces: `fold` turns
/// every character that `sep` accepts here (whitespace, [`SEPARATORS`]) into
/// a space, so both give the same tokens; the slice needs no copy.
fn last_words(s: &str, n: usize, sep: impl Fn(char) -> bool) -> &str {
    if n == 0 {
        return "";
    }
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices().rev() {
        if !sep(c) {
            if !in_word {
                in_word = true;
                words += 1;
            }
        } else if in_word {
            in_word = false;
            if words == n {
                return &s[i + c.len_utf8()..];
            }
        }
    }
    s
}

/// `s` up to the end of its `n`-th word (words split at whitespace): the
/// same tokens as its first `n` words joined by single spaces.
fn first_words(s: &str, n: usize) -> &str {
    match s.split_whitespace().take(n).last() {
        Some(w) => &s[..w.as_ptr() as usize - s.as_ptr() as usize + w.len()],
        None => "",
    }
}

/// `format!("{a} {b}")`, without the formatting machinery.
fn join(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + 1 + b.len());
    s.push_str(a);
    s.push(' ');
    s.push_str(b);
    s
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn is_space_or_separator(c: char) -> bool {
    c.is_whitespace() || SEPARATORS.contains(&c)
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
///
/// The texts are slices of the sentence where they can be (see
/// [`last_words`]): only their tokens, and whether the label holds a '%',
/// count for matching.
fn figure_texts<'a>(cat: &Catalog, f: &'a Figure) -> (Cow<'a, str>, Cow<'a, str>) {
    let off = char_floor(&f.sentence, usize::try_from(f.offset).unwrap_or(0));
    let before = &f.sentence[..off];
    let after_start = char_floor(&f.sentence, off + f.raw.len());
    let after = &f.sentence[after_start..];
    let after = &after[..after.find(SEPARATORS).unwrap_or(after.len())];
    let after = after.split([',']).next().unwrap_or("");
    let following = first_words(after, 12);

    // Segments from the number back (only as many as needed): the clause is
    // their words, the separators between them counting as spaces.
    let mut clause = before;
    for seg in before.rsplit(SEPARATORS) {
        clause = &before[seg.as_ptr() as usize - before.as_ptr() as usize..];
        if cat.token_count(clause) >= 2 {
            break;
        }
    }
    let clause = last_words(clause, 14, is_space_or_separator);
    let longest = cat.subject_before.iter().map(Vec::len).max().unwrap_or(0);
    let folded_tail = last_folded_tokens(before, longest);
    let ends_with_marker = before.trim_end().ends_with(':') || cat.subject_before.iter().any(|w| folded_tail.ends_with(w));
    let window = last_words(before, 30, is_space);
    if ends_with_marker {
        (Cow::Borrowed(clause), Cow::Owned(join(window, following)))
    } else {
        (Cow::Owned(join(last_words(clause, 8, is_space_or_separator), following)), Cow::Borrowed(window))
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
    let best = subject.and_then(|s| best_compatible(cat, f, &join(s, unit), &window, hint));
    if best.is_some() {
        return best;
    }
    let ctx = match subject {
        Some(s) => Cow::Owned(join(s, &window)),
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
