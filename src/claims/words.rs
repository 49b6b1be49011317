//! The connective words around a stated percent: what kind of claim it is
//! ("vượt 21,3%": growth; "chiếm tỷ lệ": share; "phấn đấu": target) and where
//! its base is announced ("trong tổng số …", "so cùng kỳ (…)").

use super::Item;
use crate::model::Figure;
use crate::vocab::{ends_with_word, starts_with_word, vocab};

/// Bytes read before and after a percent for its connectives.
const LEAD: usize = 60;
const TAIL: usize = 80;
/// Bytes read back for the clause of a target ("phấn đấu … đạt 100%").
const CLAUSE: usize = 200;

/// What the words around one percent say.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Around {
    /// +1 for "vượt/tăng", −1 for "giảm" right before the percent.
    pub growth: Option<f64>,
    /// "đạt", "chiếm", "tỷ lệ" … right before the percent.
    pub share_word: bool,
    /// "trong tổng số …" right after the percent.
    pub base_after: bool,
    /// "so với", "kế hoạch", "cùng kỳ" … right after the percent.
    pub comparison_after: bool,
    /// A plan's level ("phấn đấu", "mục tiêu", "tối thiểu") in the clause.
    pub target: bool,
    /// "gần", "khoảng", "ước" before the percent.
    pub approximate: bool,
}

impl Around {
    pub fn of(text: &str, items: &[Item], k: usize) -> Around {
        let p = &items[k];
        let v = &vocab().claims;
        let prev_end = k.checked_sub(1).map(|j| items[j]).filter(|g| g.sent == p.sent).map_or(0, |g| g.end);
        let lead = slice(text, prev_end.max(p.start.saturating_sub(LEAD)), p.start);
        let lead_trim = lead.trim_end_matches([' ', ':', '(', ',', '\t']);
        let next_start = items.get(k + 1).map_or(text.len(), |g| g.start);
        let tail = slice(text, p.end, next_start.min(p.end + TAIL));
        let tail_trim = tail.trim_start_matches([' ', ',', ')', '(', '\t']);
        let growth = if any_ends(lead_trim, &v.growth_up_words) {
            Some(1.0)
        } else if any_ends(lead_trim, &v.growth_down_words) {
            Some(-1.0)
        } else {
            None
        };
        let clause_from = p.start.saturating_sub(CLAUSE);
        let clause = slice(text, clause_from, p.start);
        let clause = clause.rsplit(['.', ';']).next().unwrap_or(clause);
        Around {
            growth,
            share_word: any_ends(lead_trim, &v.share_words),
            base_after: any_starts(tail_trim, &v.base_after_words),
            comparison_after: any_starts(tail_trim, &v.comparison_words),
            target: contains_any(clause, &lower_words().target),
            approximate: contains_any(lead, &lower_words().approximate),
        }
    }

    /// A comparison bound on the percent itself ("dưới 90%", "trên 80%").
    pub fn comparison_qualifier(&self, p: &Figure) -> bool {
        matches!(p.qualifier.as_deref(), Some("<") | Some("<=") | Some(">") | Some(">="))
    }
}

/// `text[a..b]` clamped to char boundaries (empty when out of range).
pub(crate) fn slice(text: &str, a: usize, b: usize) -> &str {
    let mut a = a.min(text.len());
    let mut b = b.min(text.len());
    while a < text.len() && !text.is_char_boundary(a) {
        a += 1;
    }
    while b > 0 && !text.is_char_boundary(b) {
        b -= 1;
    }
    text.get(a..b.max(a)).unwrap_or("")
}

fn any_ends(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| ends_with_word(text, w).is_some())
}

fn any_starts(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| starts_with_word(text, w).is_some())
}

/// The claim word lists looked for anywhere in a text, lower-cased once.
pub(crate) struct LowerWords {
    pub target: Words,
    pub approximate: Words,
    pub breakdown: Words,
}

/// A word list in lower case with a searcher per word, both built once (a
/// `str::find` builds its searcher again at every call).
pub(crate) struct Words {
    finders: Vec<memchr::memmem::Finder<'static>>,
}

impl Words {
    fn new(words: &[String]) -> Words {
        Words { finders: words.iter().map(|w| memchr::memmem::Finder::new(&w.to_lowercase()).into_owned()).collect() }
    }

    /// The first byte offset in `lower` where a word of the list starts.
    pub fn first_in(&self, lower: &str) -> Option<usize> {
        self.finders.iter().filter_map(|f| f.find(lower.as_bytes())).min()
    }
}

static LOWER_WORDS: once_cell::sync::Lazy<LowerWords> = once_cell::sync::Lazy::new(|| {
    let v = &vocab().claims;
    LowerWords { target: Words::new(&v.target_words), approximate: Words::new(&v.approximate_words), breakdown: Words::new(&v.breakdown_words) }
});

pub(crate) fn lower_words() -> &'static LowerWords {
    &LOWER_WORDS
}

/// One of `words` as a whole word anywhere in `text` (case-insensitive).
pub(crate) fn contains_any(text: &str, words: &Words) -> bool {
    let lower = text.to_lowercase();
    words.finders.iter().any(|w| contains_found(&lower, w))
}

/// A word (lowercase, by its searcher) in `lower` between non-alphanumeric neighbours.
fn contains_found(lower: &str, word: &memchr::memmem::Finder) -> bool {
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|t| word.find(t.as_bytes())) {
        let s = from + p;
        let e = s + word.needle().len();
        let before_ok = lower[..s].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after_ok = lower[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        from = e;
    }
    false
}

/// `word` (lowercase) in `lower` between non-alphanumeric neighbours.
#[cfg(test)]
pub(crate) fn contains_word(lower: &str, word: &str) -> bool {
    contains_found(lower, &memchr::memmem::Finder::new(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(kind: &str, raw: &str, q: Option<&str>) -> Figure {
        Figure {
            doc_id: "d".into(),
            figure_id: "d:f1".into(),
            section_id: None,
            page: None,
            line: 1,
            raw: raw.into(),
            kind: kind.parse().unwrap_or(crate::model::Kind::Count),
            value: Some(1.0),
            numerator: None,
            denominator: None,
            stated_percent: None,
            unit: None,
            qualifier: q.map(str::to_string),
            subject: None,
            indicator: None,
            sentence: String::new(),
            offset: 0,
            year: None,
            normalized: None,
            confidence: None,
        }
    }

    fn around(text: &str, pct: &str) -> Around {
        let s = text.find(pct).unwrap_or(0);
        let f = fig("percent", pct, None);
        let items = [Item { f: &f, idx: 0, start: s, end: s + pct.len(), sent: 0 }];
        Around::of(text, &items, 0)
    }

    #[test]
    fn growth_share_and_base_words() {
        // 002: "12.375,3/10.200 triệu đồng, vượt 21,3% kế hoạch"
        let a = around("12.375,3/10.200 triệu đồng, vượt 21,3% kế hoạch; Quỹ", "21,3%");
        assert_eq!((a.growth, a.comparison_after, a.share_word), (Some(1.0), true, false));
        // 031: "là 40 hồ sơ, chiếm tỷ lệ 79,37% trong tổng số hồ sơ trễ hạn của cả tỉnh (58 hồ sơ)"
        let a = around("là 40 hồ sơ, chiếm tỷ lệ 79,37% trong tổng số hồ sơ trễ hạn của cả tỉnh (58 hồ sơ)", "79,37%");
        assert!(a.share_word && a.base_after && a.growth.is_none());
        // 023: "là 4.157 hồ sơ (đạt 99,71%)"
        assert!(around("là 4.157 hồ sơ (đạt 99,71%).", "99,71%").share_word);
        // 002: "giảm 5% so với cùng kỳ"
        assert_eq!(around("chi thường xuyên giảm 5% so với cùng kỳ", "5%").growth, Some(-1.0));
    }

    #[test]
    fn targets_in_the_clause() {
        // seed 001: "… đảm bảo lộ trình để tỷ lệ hồ sơ giải quyết trực tuyến toàn trình đạt tối thiểu 50% trên tổng số hồ sơ"
        assert!(around("đảm bảo lộ trình để tỷ lệ hồ sơ giải quyết trực tuyến toàn trình đạt tối thiểu 50% trên tổng số", "50%").target);
        assert!(!around("Đã có kết quả trả trước và đúng hạn là 4.157 hồ sơ (đạt 99,71%)", "99,71%").target);
    }

    #[test]
    fn whole_words_only() {
        assert!(contains_word("đã vượt kế hoạch", "vượt"));
        assert!(!contains_word("tổng số", "tổ"));
    }
}
