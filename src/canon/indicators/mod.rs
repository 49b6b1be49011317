//! Indicator catalog (schemas/indicators.toml) and matching of figure
//! subjects / table labels to canonical indicator ids.
//!
//! Matching folds the text (lowercase, no diacritics, đ→d), rewrites the
//! catalog's multi-word phrases into single tokens ("số hóa" → `sohoa`,
//! "thủ tục hành chính" → `tthc`), drops filler words and scores every
//! indicator by weighted token overlap with its aliases:
//!
//! `score = recall_weight × recall(best alias) + (1 − recall_weight) × precision`
//!
//! where recall is the share of the alias' (idf-weighted) tokens found in the
//! label (tokens found only in the context — parent row label, preceding part
//! of the sentence — count at `context_weight`), and precision the share of the
//! label's tokens that belong to the indicator's vocabulary.  `requires` /
//! `excludes` rules gate candidates; the words "tỷ lệ"/"%" and the kind of the
//! figure (fraction, percent, money, count) favour indicators of that kind.
//! All vocabulary lives in the TOML; this file holds no Vietnamese words.
//!
//! Files: `catalog.rs` (the TOML catalog, tokens and scoring), `matching.rs`
//! (prose figures), `rows.rs` (table rows), `assign.rs` (indicator ids on a
//! dataset's figures, cells and claims), `spelling.rs` (diacritics of OCR-read
//! table labels from the catalog's wording).

use serde::Deserialize;

mod assign;
mod catalog;
mod matching;
mod rows;
mod spelling;

#[cfg(test)]
mod appendix_001;
#[cfg(test)]
mod tests;

pub use assign::{assign, assign_claims, assign_parts, assign_with};
pub use catalog::Catalog;
pub use matching::match_figure;
pub use rows::{row_candidates, row_texts, RowText};
pub use spelling::{respell_ocr_labels, Lexicon};

/// Kind of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    Count,
    Rate,
    Money,
    Flag,
    Text,
}

impl IndicatorKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            IndicatorKind::Count => "count",
            IndicatorKind::Rate => "rate",
            IndicatorKind::Money => "money",
            IndicatorKind::Flag => "flag",
            IndicatorKind::Text => "text",
        }
    }
}

/// One catalog entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub kind: IndicatorKind,
    #[serde(default)]
    pub unit: String,
    /// Rate only: id of the numerator indicator; may be a sum "a + b".
    #[serde(default)]
    pub numerator: Option<String>,
    /// Rate only: id of the denominator indicator.
    #[serde(default)]
    pub denominator: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Folded tokens that must be present (label or context); "a|b" = either.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Folded tokens that disqualify the indicator when in the label.
    #[serde(default)]
    pub excludes: Vec<String>,
    /// Folded tokens that disqualify the indicator when in the label or in
    /// its context (parent row label).
    #[serde(default)]
    pub context_excludes: Vec<String>,
}

impl Indicator {
    /// Group = id up to the first dot ("tthc.ho_so.dung_han_ty_le" → "tthc").
    pub fn group(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }

    /// Ids summed into the numerator ("a + b" → ["a", "b"]).
    pub fn numerator_parts(&self) -> Vec<&str> {
        split_parts(self.numerator.as_deref())
    }

    pub fn denominator_parts(&self) -> Vec<&str> {
        split_parts(self.denominator.as_deref())
    }

    /// Every word its rules name (`requires`, `excludes`, `context_excludes`,
    /// `keywords`; each alternative of "a|b"), as written.
    pub fn rule_words(&self) -> impl Iterator<Item = &str> {
        self.requires.iter().chain(&self.excludes).chain(&self.context_excludes).chain(&self.keywords).flat_map(|r| r.split('|'))
    }
}

fn split_parts(s: Option<&str>) -> Vec<&str> {
    match s {
        None => Vec::new(),
        Some(s) => s.split('+').map(str::trim).filter(|p| !p.is_empty()).collect(),
    }
}

/// Result of matching a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub id: String,
    pub confidence: f32,
}

/// What the value next to the label looks like; favours indicators of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindHint {
    Unknown,
    Rate,
    Count,
    Money,
}

/// Fold a text for matching: NFD, drop combining marks, đ→d, lowercase,
/// anything not alphanumeric becomes a space.
///
/// Character by character: canonical reordering in NFD only moves marks with
/// a non-zero combining class, which are all dropped here, so folding each
/// character's own decomposition gives the same text. ASCII and the Latin
/// blocks (Vietnamese letters) come from a table built once.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' });
            continue;
        }
        match FOLD_TABLE.get((c as usize).wrapping_sub(FOLD_TABLE_START)) {
            Some(&one) if one != u32::MAX => out.push(char::from_u32(one).unwrap_or(' ')),
            _ => fold_char(c, &mut out),
        }
    }
    out
}

const FOLD_TABLE_START: usize = 0x80;
const FOLD_TABLE_END: usize = 0x2000;

/// `fold` of each character U+0080..U+1FFF when it is exactly one character
/// (`u32::MAX`: zero or several, folded on the slow path).
static FOLD_TABLE: once_cell::sync::Lazy<Vec<u32>> = once_cell::sync::Lazy::new(|| {
    (FOLD_TABLE_START..FOLD_TABLE_END)
        .map(|u| {
            let mut s = String::new();
            if let Some(c) = u32::try_from(u).ok().and_then(char::from_u32) {
                fold_char(c, &mut s);
            }
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(one), None) => one as u32,
                _ => u32::MAX,
            }
        })
        .collect()
});

/// The fold of one character (its canonical decomposition, marks dropped).
fn fold_char(c: char, out: &mut String) {
    unicode_normalization::char::decompose_canonical(c, |d| {
        if unicode_normalization::char::is_combining_mark(d) {
            return;
        }
        let d = match d {
            'đ' | 'Đ' => 'd',
            d => d,
        };
        if d.is_alphanumeric() {
            for l in d.to_lowercase() {
                out.push(l);
            }
        } else {
            out.push(' ');
        }
    });
}
