//! Domain vocabulary loaded once from `schemas/vocab.toml` (compiled in).

use once_cell::sync::Lazy;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Vocab {
    pub figures: FigureVocab,
    pub claims: ClaimVocab,
    pub sections: SectionVocab,
    pub metadata: MetaVocab,
}

#[derive(Debug, Deserialize)]
pub struct Factor {
    pub word: String,
    pub factor: f64,
}

#[derive(Debug, Deserialize)]
pub struct Qualifier {
    pub word: String,
    pub op: String,
}

#[derive(Debug, Deserialize)]
pub struct FigureVocab {
    pub count_units: Vec<String>,
    pub quantity_units: Vec<String>,
    pub money_units: Vec<Factor>,
    pub qualifiers: Vec<Qualifier>,
    pub not_figure_after: Vec<String>,
    pub subject_trim: Vec<String>,
    pub rate_words: Vec<String>,
    pub unit_aliases: Vec<UnitAlias>,
    pub count_multipliers: Vec<Factor>,
    pub rank_words: Vec<String>,
    pub total_words: Vec<String>,
    pub fixed_expressions: Vec<String>,
    pub subject_noise: Vec<String>,
    pub table_title_words: Vec<String>,
    pub open_endings: Vec<String>,
    pub date_words: DateWords,
    pub score_words: Vec<String>,
    pub score_maxima: Vec<f64>,
}

/// Words of written dates and periods (`[figures] date_words`).
#[derive(Debug, Deserialize)]
pub struct DateWords {
    pub day: String,
    pub month: String,
    pub year: String,
    pub quarter: String,
    pub first_half: String,
    pub second_half: String,
    pub from_to: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct UnitAlias {
    pub word: String,
    pub unit: String,
}

impl FigureVocab {
    /// The unit a written unit word stands for ("HS" → "hồ sơ").
    pub fn canonical_unit<'a>(&'a self, unit: &'a str) -> &'a str {
        self.unit_aliases.iter().find(|a| a.word.eq_ignore_ascii_case(unit) || a.word == unit).map_or(unit, |a| a.unit.as_str())
    }
}

/// Connectives the claims stage reads around a stated percent.
#[derive(Debug, Deserialize)]
pub struct ClaimVocab {
    pub share_words: Vec<String>,
    pub growth_up_words: Vec<String>,
    pub growth_down_words: Vec<String>,
    pub comparison_words: Vec<String>,
    pub base_after_words: Vec<String>,
    pub breakdown_words: Vec<String>,
    pub target_words: Vec<String>,
    pub approximate_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct SectionVocab {
    pub ordinals: Vec<String>,
    pub article_word: String,
    pub ordinal_word: String,
    pub part_label: String,
    pub block_starts: Vec<String>,
    pub bullets: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct DocType {
    pub word: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Abbreviation in the document number ("BC" in "12/BC-UBND").
    #[serde(default)]
    pub code: Option<String>,
}

/// A central body whose name fixes its level ("BỘ NỘI VỤ" → "bộ").
#[derive(Debug, Deserialize)]
pub struct CentralBody {
    pub word: String,
    pub name: String,
    pub level: String,
}

#[derive(Debug, Deserialize)]
pub struct Council {
    pub word: String,
    pub short: String,
}

/// A word that names the level of the word after it ("tỉnh", "thị xã").
#[derive(Debug, Deserialize)]
pub struct LevelWord {
    pub word: String,
    pub level: String,
}

#[derive(Debug, Deserialize)]
pub struct ChildLevel {
    pub parent: String,
    pub child: String,
}

#[derive(Debug, Deserialize)]
pub struct Province {
    /// Name as printed (before or after the 2025 merger).
    pub name: String,
    /// Province it belongs to from 1 July 2025 (Nghị quyết 202/2025/QH15).
    pub after_2025: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct MetaVocab {
    pub central_levels: Vec<String>,
    pub number_word: String,
    pub attached_words: Vec<String>,
    pub doc_types: Vec<DocType>,
    pub draft_words: Vec<String>,
    pub title_types: Vec<DocType>,
    pub retrospective_types: Vec<String>,
    pub retrospective_words: Vec<String>,
    pub unit_levels: Vec<String>,
    pub agency_prefixes: Vec<String>,
    pub central_bodies: Vec<CentralBody>,
    pub councils: Vec<Council>,
    pub places: Vec<LevelWord>,
    pub central_cities: Vec<String>,
    pub agencies: Vec<String>,
    pub child_levels: Vec<ChildLevel>,
    pub agency_levels: Vec<LevelWord>,
    pub signer_prefixes: Vec<String>,
    pub signer_titles: Vec<String>,
    pub signature_fillers: Vec<String>,
    pub provinces: Vec<Province>,
}

const VOCAB_TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/vocab.toml"));

static VOCAB: Lazy<Vocab> = Lazy::new(|| {
    let mut v: Vocab = toml::from_str(VOCAB_TOML).expect("schemas/vocab.toml is valid (checked by tests)");
    // Longest first so that "thủ tục hành chính" wins over "thủ tục".
    v.figures.count_units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    v.figures.quantity_units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    v.figures.qualifiers.sort_by_key(|q| std::cmp::Reverse(q.word.chars().count()));
    v.figures.not_figure_after.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    v.figures.subject_trim.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    v.figures.rank_words.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    for list in [
        &mut v.claims.share_words,
        &mut v.claims.growth_up_words,
        &mut v.claims.growth_down_words,
        &mut v.claims.comparison_words,
        &mut v.claims.base_after_words,
        &mut v.claims.breakdown_words,
    ] {
        list.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    }
    v.metadata.unit_levels.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    v.metadata.places.sort_by_key(|u| std::cmp::Reverse(u.word.chars().count()));
    v.metadata.signer_titles.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    v
});

pub(crate) fn vocab() -> &'static Vocab {
    &VOCAB
}

/// Case-insensitive "starts with word" on a char boundary, followed by a
/// non-letter (so "tổ" does not match "tổng"). Returns the matched byte length.
pub(crate) fn starts_with_word(text: &str, word: &str) -> Option<usize> {
    if !may_equal_ci(text.as_bytes().first(), word.as_bytes().first()) {
        return None;
    }
    let mut ti = text.char_indices();
    let mut len = 0;
    for wc in word.chars() {
        let (_, tc) = ti.next()?;
        if !chars_eq_ci(tc, wc) {
            return None;
        }
        len += tc.len_utf8();
    }
    match text[len..].chars().next() {
        Some(c) if c.is_alphanumeric() && word.chars().last().is_some_and(|l| l.is_alphanumeric()) => None,
        _ => Some(len),
    }
}

/// Case-insensitive "ends with word", preceded by a non-letter. Returns the
/// byte index where the word starts.
pub(crate) fn ends_with_word(text: &str, word: &str) -> Option<usize> {
    if !may_equal_ci(text.as_bytes().last(), word.as_bytes().last()) {
        return None;
    }
    let mut ti = text.char_indices().rev();
    let mut start = text.len();
    for wc in word.chars().rev() {
        let (i, tc) = ti.next()?;
        if !chars_eq_ci(tc, wc) {
            return None;
        }
        start = i;
    }
    match text[..start].chars().next_back() {
        Some(c) if c.is_alphanumeric() && word.chars().next().is_some_and(|f| f.is_alphanumeric()) => None,
        _ => Some(start),
    }
}

/// A key equal for any two characters that [`chars_eq_ci`] calls equal (the
/// converse does not hold): a cheap first test before comparing words.
pub(crate) fn first_char_key(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// False when the characters that start (or end) two texts cannot be
/// equal for [`chars_eq_ci`], judged from one byte each: an ASCII byte is a
/// whole character, and ASCII only equals ASCII. Most words of a list are
/// rejected here without decoding a character.
fn may_equal_ci(a: Option<&u8>, b: Option<&u8>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) if a.is_ascii() || b.is_ascii() => a.eq_ignore_ascii_case(b),
        _ => true,
    }
}

pub(crate) fn chars_eq_ci(a: char, b: char) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() || b.is_ascii() {
        return a.eq_ignore_ascii_case(&b);
    }
    a.to_lowercase().eq(b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocab_loads() {
        let v = vocab();
        assert!(v.figures.count_units.iter().any(|u| u == "hồ sơ"));
        assert_eq!(v.figures.count_units[0].chars().count(), v.figures.count_units.iter().map(|u| u.chars().count()).max().unwrap_or(0));
    }

    #[test]
    fn word_matching() {
        assert_eq!(starts_with_word("hồ sơ đạt", "hồ sơ"), Some("hồ sơ".len()));
        assert_eq!(starts_with_word("tổng số", "tổ"), None);
        assert_eq!(starts_with_word("Hồ Sơ", "hồ sơ"), Some("Hồ Sơ".len()));
        assert_eq!(ends_with_word("theo Điều ", "Điều "), Some(5));
        assert_eq!(ends_with_word("mứcđộ", "độ"), None);
        // The first-byte test: ASCII never equals a non-ASCII letter.
        assert_eq!(starts_with_word("Đơn vị", "don"), None);
        assert_eq!(starts_with_word("STT", "stt"), Some(3));
        assert_eq!(starts_with_word("x", ""), Some(0));
        assert_eq!(ends_with_word("tổng số", "SỐ"), Some("tổng ".len()));
        assert_eq!(ends_with_word("năm 2025", "2024"), None);
    }
}
