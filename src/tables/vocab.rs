//! The table vocabulary of schemas/tables.toml, parsed once.

use std::cell::RefCell;

use once_cell::sync::Lazy;
use regex::Regex;
use rustc_hash::FxHashMap;
use serde::Deserialize;

const TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/tables.toml"));

#[derive(Debug, Deserialize)]
pub struct HeaderWords {
    pub stt: Vec<String>,
    pub label: Vec<String>,
    pub unit: Vec<String>,
    pub group: Vec<String>,
    pub sub: Vec<String>,
    pub note: Vec<String>,
    pub value: Vec<String>,
    pub year_word: String,
}

#[derive(Debug, Deserialize)]
pub struct PdfLinear {
    pub title_word: String,
    pub title_lookback: usize,
    pub single_word_lines_per_column: usize,
    pub max_key_gap: u32,
}

#[derive(Debug, Deserialize)]
struct OptionsRaw {
    cell: String,
    legend: String,
    legend_separator: String,
    marks: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Titles {
    pub acronyms: Vec<String>,
    pub roman_after: Vec<String>,
    pub stop_prefixes: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Raw {
    header: HeaderWords,
    pdf_linear: PdfLinear,
    options: OptionsRaw,
    titles: Titles,
}

pub struct Options {
    pub cell: Regex,
    pub legend: Regex,
    pub legend_separator: String,
    pub marks: Vec<String>,
}

pub struct Vocab {
    pub header: HeaderWords,
    pub pdf_linear: PdfLinear,
    pub options: Options,
    pub titles: Titles,
    year_column: Regex,
    folded: Folded,
}

/// A header word list folded once (`fold`) and loosened once
/// ([`crate::util::loose`], with the loose form's length in characters),
/// with the longest word's length and the list's place in [`SEEN`].
struct List {
    folded: Vec<String>,
    loose: Vec<(String, usize)>,
    longest: usize,
    id: usize,
}

impl List {
    fn new(id: usize, words: &[String]) -> List {
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let loose = folded.iter().map(|w| crate::util::loose(w)).map(|l| (l.clone(), l.chars().count())).collect();
        List { folded, loose, longest: words.iter().map(|w| w.chars().count()).max().unwrap_or(0), id }
    }
}

/// How many lists [`Folded`] has (the places in [`SEEN`]).
const LISTS: usize = 6;

/// Texts this many or more are forgotten at once (a bound on memory).
const SEEN_MAX: usize = 4096;

thread_local! {
    /// [`in_list`]'s answers already computed on this thread, one map per
    /// list ([`List::id`]): the first words of a report's lines repeat, and
    /// the answer depends on the text alone.
    static SEEN: RefCell<[FxHashMap<String, bool>; LISTS]> = RefCell::new(Default::default());
}

/// The folded forms of the header words (folded once, not per call).
struct Folded {
    stt: List,
    label: List,
    unit: List,
    group: List,
    note: List,
    sub: List,
    value: Vec<String>,
    year_word: String,
    title_word: String,
}

static VOCAB: Lazy<Vocab> = Lazy::new(|| {
    // The file is compiled in; a broken file is a build-time bug caught by
    // the unit tests, so failing loudly here is right.
    let raw: Raw = toml::from_str(TOML).expect("schemas/tables.toml is invalid");
    let regex = |src: &str| Regex::new(src).expect("invalid regex in schemas/tables.toml");
    let year_column = regex(&format!(r"(?i)\b{}\s+((?:19|20)\d\d)\b", regex::escape(&raw.header.year_word)));
    Vocab {
        options: Options {
            cell: regex(&raw.options.cell),
            legend: regex(&raw.options.legend),
            legend_separator: raw.options.legend_separator,
            marks: raw.options.marks,
        },
        folded: Folded {
            stt: List::new(0, &raw.header.stt),
            label: List::new(1, &raw.header.label),
            unit: List::new(2, &raw.header.unit),
            group: List::new(3, &raw.header.group),
            note: List::new(4, &raw.header.note),
            sub: List::new(5, &raw.header.sub),
            value: raw.header.value.iter().map(|w| fold(w)).collect(),
            year_word: fold(&raw.header.year_word),
            title_word: fold(&raw.pdf_linear.title_word),
        },
        header: raw.header,
        pdf_linear: raw.pdf_linear,
        titles: raw.titles,
        year_column,
    }
});

pub(crate) fn vocab() -> &'static Vocab {
    &VOCAB
}

/// Lower-case, whitespace-collapsed form used for every vocabulary match.
pub(crate) fn fold(text: &str) -> String {
    squash(text).to_lowercase()
}

/// Runs of whitespace (including newlines) collapsed to one space, trimmed.
pub(crate) fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn in_list(list: &List, text: &str) -> bool {
    // Header words are short: a long text cannot equal one (skip folding it).
    if text.trim().chars().take(list.longest + 3).count() > list.longest + 2 {
        return false;
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        let seen = &mut seen[list.id];
        if let Some(&answer) = seen.get(text) {
            return answer;
        }
        let answer = in_list_uncached(list, text);
        if seen.len() >= SEEN_MAX {
            seen.clear();
        }
        seen.insert(text.to_owned(), answer);
        answer
    })
}

/// [`in_list`] without its memory.
fn in_list_uncached(list: &List, text: &str) -> bool {
    let f = fold(text);
    // OCR drops or changes a mark or a letter ("Đơnvjị tính"): nearly the
    // same header word is that word.
    if list.folded.contains(&f) {
        return true;
    }
    let text = crate::util::loose(text);
    let n = text.chars().count();
    list.loose.iter().any(|(w, wn)| crate::util::may_be_nearly_same(*wn, n) && crate::util::nearly_same_loose(w, &text))
}

impl Vocab {
    pub fn is_stt_header(&self, cell: &str) -> bool {
        in_list(&self.folded.stt, cell)
    }
    pub fn is_label_header(&self, cell: &str) -> bool {
        in_list(&self.folded.label, cell)
    }
    pub fn is_unit_header(&self, cell: &str) -> bool {
        in_list(&self.folded.unit, cell)
    }
    pub fn is_group_header(&self, cell: &str) -> bool {
        in_list(&self.folded.group, cell)
    }
    pub fn is_note_header(&self, cell: &str) -> bool {
        in_list(&self.folded.note, cell)
    }
    pub fn is_sub_header(&self, cell: &str) -> bool {
        in_list(&self.folded.sub, cell)
    }
    /// A line that starts a value column in linearized text ("Ghi chú",
    /// "Kết quả đạt được", "Năm 2025").
    pub fn starts_value_header(&self, line: &str) -> bool {
        let f = fold(line);
        self.folded.value.iter().any(|w| f.starts_with(w.as_str())) || f == self.folded.year_word || self.year_of(line).is_some()
    }
    /// `fold(year_word)` ("năm").
    pub fn year_word_folded(&self) -> &str {
        &self.folded.year_word
    }
    /// `fold(title_word)` ("phụ lục").
    pub fn title_word_folded(&self) -> &str {
        &self.folded.title_word
    }
    /// "Năm 2023" → 2023, "Chỉ tiêu năm 2025" → 2025.
    pub fn year_of(&self, column: &str) -> Option<i32> {
        self.year_column.captures(column).and_then(|c| c.get(1)).and_then(|m| m.as_str().parse().ok())
    }
    pub fn is_mark(&self, cell: &str) -> bool {
        let t = cell.trim();
        self.options.marks.iter().any(|m| m == t)
    }
    /// "Trực tuyến =0" → ("Trực tuyến", 0).
    pub fn option_cell(&self, cell: &str) -> Option<(String, u32)> {
        let c = self.options.cell.captures(cell)?;
        let code = c.name("code")?.as_str().parse().ok()?;
        Some((squash(c.name("name")?.as_str()), code))
    }
    /// Legend inside a label: "(Có tổ chức = 1; Không tổ chức = 0)" →
    /// [("Có tổ chức", 1), ("Không tổ chức", 0)].
    pub fn legend(&self, label: &str) -> Vec<(String, u32)> {
        self.options
            .legend
            .captures_iter(label)
            .filter_map(|c| c.name("body"))
            .flat_map(|body| body.as_str().split(self.options.legend_separator.as_str()).filter_map(|entry| self.option_cell(entry)).collect::<Vec<_>>())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_loads_and_matches() {
        let v = vocab();
        assert!(v.is_stt_header("Stt") && v.is_stt_header(" STT "));
        assert!(v.is_label_header("Chỉ tiêu thống kê"));
        assert!(v.is_unit_header("Đơn vị tính") && v.is_unit_header("Đơn vị"));
        assert!(!v.is_unit_header("Cơ quan, đơn vị thực hiện"));
        assert!(v.is_group_header("Kết quả thống kê"));
        assert_eq!(v.year_of("Năm 2025 (tính đến 31/3)"), Some(2025));
        assert_eq!(v.year_of("Chỉ tiêu năm 2025"), Some(2025));
        assert_eq!(v.option_cell("Trực tuyến =0"), Some(("Trực tuyến".into(), 0)));
        assert_eq!(v.option_cell("Hoàn thành=2"), Some(("Hoàn thành".into(), 2)));
        assert_eq!(v.option_cell("3 cấp = 2"), Some(("3 cấp".into(), 2)));
        assert_eq!(v.option_cell("Nhiệm vụ"), None);
        assert_eq!(v.legend("Tổ chức cuộc thi tìm hiểu CCHC (Có tổ chức = 1; Không tổ chức = 0)"), vec![("Có tổ chức".into(), 1), ("Không tổ chức".into(), 0)]);
    }

    #[test]
    fn remembered_answers_are_the_computed_ones() {
        let f = &vocab().folded;
        for list in [&f.stt, &f.label, &f.unit, &f.group, &f.note, &f.sub] {
            for text in ["Stt", " STT ", "TT", "Số TT", "Đơnvjị tính", "Đơn vị", "Chỉ tiêu", "Năm", "1.", "a)", "Kết quả thống kê"] {
                let first = in_list(list, text);
                assert_eq!(in_list(list, text), first, "{text}");
                assert_eq!(first, text.trim().chars().count() <= list.longest + 2 && in_list_uncached(list, text), "{text}");
            }
        }
    }
}
