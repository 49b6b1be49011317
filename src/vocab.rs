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

/// A word list of the vocabulary with its words grouped by the key
/// ([`first_char_key`]) of their first (or last) character: a text is only
/// compared with the words that can start (or end) it, in list order.
pub(crate) struct WordIndex {
    words: &'static [String],
    /// Key → positions in `words`, ascending (with the empty words').
    by_key: rustc_hash::FxHashMap<char, Vec<usize>>,
    /// Positions of the empty words (they match any text).
    empty: Vec<usize>,
}

impl WordIndex {
    fn new(words: &'static [String], edge: fn(&str) -> Option<char>) -> WordIndex {
        let empty: Vec<usize> = (0..words.len()).filter(|&k| words[k].is_empty()).collect();
        let mut by_key: rustc_hash::FxHashMap<char, Vec<usize>> = rustc_hash::FxHashMap::default();
        for (k, w) in words.iter().enumerate() {
            if let Some(c) = edge(w) {
                by_key.entry(first_char_key(c)).or_default().push(k);
            }
        }
        for list in by_key.values_mut() {
            list.extend(&empty);
            list.sort_unstable();
        }
        WordIndex { words, by_key, empty }
    }

    /// The words whose first (or last) character may equal `c`, in list order.
    fn candidates(&self, c: Option<char>) -> impl Iterator<Item = &'static str> + '_ {
        let positions = match c {
            Some(c) => self.by_key.get(&first_char_key(c)).unwrap_or(&self.empty),
            None => &self.empty,
        };
        positions.iter().map(|&k| self.words[k].as_str())
    }

    /// The first word of the list that `text` starts with ([`starts_with_word`]) and its byte length.
    pub(crate) fn starting(&self, text: &str) -> Option<(usize, &'static str)> {
        self.candidates(text.chars().next()).find_map(|w| starts_with_word(text, w).map(|n| (n, w)))
    }

    /// Whether `text` ends with a word of the list ([`ends_with_word`]) that `keep` accepts.
    pub(crate) fn ends_any(&self, text: &str, keep: impl Fn(&str) -> bool) -> bool {
        self.candidates(text.chars().next_back()).any(|w| keep(w) && ends_with_word(text, w).is_some())
    }
}

/// Indexed lists of the vocabulary (the ones looked up at every number).
pub(crate) struct Indexes {
    pub count_units: WordIndex,
    pub quantity_units: WordIndex,
    pub not_figure_after: WordIndex,
}

static INDEXES: Lazy<Indexes> = Lazy::new(|| {
    let f = &vocab().figures;
    let first = |w: &str| w.chars().next();
    let last = |w: &str| w.chars().next_back();
    Indexes {
        count_units: WordIndex::new(&f.count_units, first),
        quantity_units: WordIndex::new(&f.quantity_units, first),
        not_figure_after: WordIndex::new(&f.not_figure_after, last),
    }
});

pub(crate) fn indexes() -> &'static Indexes {
    &INDEXES
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

    /// The indexed lookups find what a scan of the whole list finds.
    #[test]
    fn word_index_matches_a_scan() {
        let f = &vocab().figures;
        let ix = indexes();
        let texts = [
            "hồ sơ đạt",
            "Hồ sơ",
            "thủ tục hành chính",
            "người",
            "Đơn vị",
            "x",
            "",
            " hồ sơ",
            "lượt truy cập",
            "theo Điều",
            "mức độ",
            "Quyết định số",
            "tại Phụ lục",
        ];
        for t in texts {
            let scan = f.count_units.iter().find_map(|u| starts_with_word(t, u).map(|n| (n, u.as_str())));
            assert_eq!(ix.count_units.starting(t), scan, "{t:?}");
            let scan = f.quantity_units.iter().find_map(|u| starts_with_word(t, u).map(|n| (n, u.as_str())));
            assert_eq!(ix.quantity_units.starting(t), scan, "{t:?}");
            let scan = f.not_figure_after.iter().filter(|w| w.as_str() != "số").any(|w| ends_with_word(t, w).is_some());
            assert_eq!(ix.not_figure_after.ends_any(t, |w| w != "số"), scan, "{t:?}");
        }
        for u in f.count_units.iter().chain(&f.quantity_units) {
            assert!(ix.count_units.starting(u).is_some() || ix.quantity_units.starting(u).is_some(), "{u:?}");
        }
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
