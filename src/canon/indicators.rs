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

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use once_cell::sync::Lazy;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Cell, Dataset, Figure, Kind};

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

#[derive(Debug, Clone, Deserialize)]
struct RawPhrase {
    from: Vec<String>,
    to: String,
}

#[derive(Debug, Clone, Deserialize)]
struct RawMatching {
    threshold: f32,
    #[serde(default = "d_margin")]
    ambiguity_margin: f32,
    #[serde(default = "d_penalty")]
    ambiguity_penalty: f32,
    #[serde(default = "d_ctx")]
    context_weight: f32,
    #[serde(default = "d_unknown")]
    unknown_token_weight: f32,
    #[serde(default = "d_recall")]
    recall_weight: f32,
    #[serde(default)]
    filler: Vec<String>,
    #[serde(default)]
    protected: Vec<String>,
    #[serde(default)]
    phrase: Vec<RawPhrase>,
    /// Words that, right before a prose number, say its subject precedes it
    /// ("… đạt 99%", "… là 847 hồ sơ").
    #[serde(default)]
    subject_before: Vec<String>,
}
fn d_margin() -> f32 {
    0.02
}
fn d_penalty() -> f32 {
    0.08
}
fn d_ctx() -> f32 {
    0.55
}
fn d_unknown() -> f32 {
    0.25
}
fn d_recall() -> f32 {
    0.68
}

#[derive(Debug, Clone, Deserialize)]
struct RawCatalog {
    matching: RawMatching,
    #[serde(default)]
    indicator: Vec<Indicator>,
}

/// Compiled per-indicator matching data.
#[derive(Debug, Clone)]
struct Compiled {
    aliases: Vec<Vec<String>>,
    vocab: HashSet<String>,
    keywords: HashSet<String>,
    requires: Vec<Vec<String>>,
    excludes: Vec<String>,
    context_excludes: Vec<String>,
}

/// The indicator catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub indicators: Vec<Indicator>,
    pub threshold: f32,
    by_id: HashMap<String, usize>,
    compiled: Vec<Compiled>,
    phrases: Vec<(Vec<String>, String)>,
    filler: HashSet<String>,
    weights: HashMap<String, f32>,
    rate_marker: String,
    margin: f32,
    penalty: f32,
    ctx_w: f32,
    unknown_w: f32,
    recall_w: f32,
    subject_before: Vec<Vec<String>>,
    /// token → indicators whose vocabulary holds it (only those can score).
    postings: HashMap<String, Vec<usize>>,
    /// first token → phrases starting with it, in catalog order.
    phrase_starts: HashMap<String, Vec<usize>>,
}

static BUILTIN_TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/indicators.toml"));

static BUILTIN: Lazy<Catalog> = Lazy::new(|| match Catalog::from_toml_str(BUILTIN_TOML) {
    Ok(c) => c,
    // The builtin catalog is compiled in and covered by tests; failing here
    // is a programming error, not an input error.
    Err(e) => panic!("schemas/indicators.toml is invalid: {e:#}"),
});

/// Fold a text for matching: NFD, drop combining marks, đ→d, lowercase,
/// anything not alphanumeric becomes a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
            }
        } else {
            out.push(' ');
        }
    }
    out
}

impl Catalog {
    /// The catalog compiled into the binary (parsed once).
    pub fn builtin() -> &'static Catalog {
        &BUILTIN
    }

    /// Load a catalog from a TOML file (to try catalog changes without
    /// rebuilding).
    pub fn from_path(path: &std::path::Path) -> Result<Catalog> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Catalog::from_toml_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn from_toml_str(text: &str) -> Result<Catalog> {
        let raw: RawCatalog = toml::from_str(text).context("indicator catalog TOML")?;
        let m = raw.matching;
        let mut phrases: Vec<(Vec<String>, String)> = Vec::new();
        for p in &m.phrase {
            let to = fold(&p.to).split_whitespace().collect::<Vec<_>>().join("");
            for f in &p.from {
                let toks: Vec<String> = fold(f).split_whitespace().map(str::to_string).collect();
                if !toks.is_empty() {
                    phrases.push((toks, to.clone()));
                }
            }
        }
        // Longest first; stable for equal lengths (file order wins).
        phrases.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        let rate_marker = phrases
            .iter()
            .find(|(f, _)| f == &["ty".to_string(), "le".to_string()])
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| "tyle".to_string());

        let mut by_id = HashMap::new();
        let mut protected: HashSet<String> = m.protected.iter().map(|s| fold(s).trim().to_string()).collect();
        for (i, ind) in raw.indicator.iter().enumerate() {
            if by_id.insert(ind.id.clone(), i).is_some() {
                anyhow::bail!("duplicate indicator id {}", ind.id);
            }
            if ind.id.is_empty() || !ind.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.') {
                anyhow::bail!("indicator id {:?} is not ascii snake case", ind.id);
            }
            for r in ind.requires.iter().chain(&ind.excludes).chain(&ind.context_excludes).chain(&ind.keywords) {
                for alt in r.split('|') {
                    protected.insert(fold(alt).trim().to_string());
                }
            }
        }
        for ind in &raw.indicator {
            for part in ind.numerator_parts().into_iter().chain(ind.denominator_parts()) {
                if !by_id.contains_key(part) {
                    anyhow::bail!("indicator {}: unknown part {}", ind.id, part);
                }
            }
            if ind.kind == IndicatorKind::Rate && ind.numerator.is_some() != ind.denominator.is_some() {
                anyhow::bail!("indicator {}: numerator and denominator go together", ind.id);
            }
        }
        let filler: HashSet<String> = m
            .filler
            .iter()
            .map(|s| fold(s).trim().to_string())
            .filter(|s| !protected.contains(s))
            .collect();

        let mut cat = Catalog {
            indicators: raw.indicator,
            threshold: m.threshold,
            by_id,
            compiled: Vec::new(),
            phrases,
            filler,
            weights: HashMap::new(),
            rate_marker,
            margin: m.ambiguity_margin,
            penalty: m.ambiguity_penalty,
            ctx_w: m.context_weight,
            unknown_w: m.unknown_token_weight,
            recall_w: m.recall_weight,
            subject_before: m
                .subject_before
                .iter()
                .map(|w| fold(w).split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .filter(|w: &Vec<String>| !w.is_empty())
                .collect(),
            postings: HashMap::new(),
            phrase_starts: HashMap::new(),
        };
        for (k, (from, _)) in cat.phrases.iter().enumerate() {
            if let Some(first) = from.first() {
                cat.phrase_starts.entry(first.clone()).or_default().push(k);
            }
        }
        let mut compiled = Vec::with_capacity(cat.indicators.len());
        for ind in &cat.indicators {
            let mut aliases: Vec<Vec<String>> = Vec::new();
            for a in std::iter::once(&ind.name).chain(ind.aliases.iter()) {
                let mut t = cat.tokens(a);
                t.retain(|x| x != &cat.rate_marker);
                dedup(&mut t);
                if !t.is_empty() && !aliases.contains(&t) {
                    aliases.push(t);
                }
            }
            let keywords: HashSet<String> = ind.keywords.iter().map(|k| fold(k).trim().to_string()).collect();
            let mut vocab: HashSet<String> = aliases.iter().flatten().cloned().collect();
            vocab.extend(keywords.iter().cloned());
            let requires = ind
                .requires
                .iter()
                .map(|r| r.split('|').map(|a| fold(a).trim().to_string()).filter(|a| !a.is_empty()).collect())
                .collect();
            let excludes = ind.excludes.iter().map(|e| fold(e).trim().to_string()).collect();
            let context_excludes = ind.context_excludes.iter().map(|e| fold(e).trim().to_string()).collect();
            compiled.push(Compiled { aliases, vocab, keywords, requires, excludes, context_excludes });
        }
        let n = compiled.len().max(1) as f32;
        let mut df: HashMap<String, usize> = HashMap::new();
        for c in &compiled {
            for t in &c.vocab {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        cat.weights = df.into_iter().map(|(t, d)| (t, 1.0 + (n / d as f32).ln())).collect();
        for (i, c) in compiled.iter().enumerate() {
            for t in &c.vocab {
                cat.postings.entry(t.clone()).or_default().push(i);
            }
        }
        cat.compiled = compiled;
        Ok(cat)
    }

    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.by_id.get(id).map(|&i| &self.indicators[i])
    }

    /// Position of an indicator in the catalog (for stable column order).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Fold, rewrite phrases, drop filler.  Public for diagnostics
    /// (`cchc indicators` prints folded labels).
    pub fn tokens(&self, text: &str) -> Vec<String> {
        // Figures of one sentence share their context: remember recent texts
        // (per thread, bounded) instead of folding them again.
        thread_local! {
            static CACHE: std::cell::RefCell<HashMap<String, Vec<String>>> = std::cell::RefCell::new(HashMap::new());
        }
        if let Some(hit) = CACHE.with(|c| c.borrow().get(text).cloned()) {
            return hit;
        }
        let out = self.tokens_uncached(text);
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() > 4096 {
                c.clear();
            }
            c.insert(text.to_string(), out.clone());
        });
        out
    }

    fn tokens_uncached(&self, text: &str) -> Vec<String> {
        let folded = fold(text);
        let raw: Vec<&str> = folded.split_whitespace().collect();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        'outer: while i < raw.len() {
            for &p in self.phrase_starts.get(raw[i]).map_or(&[][..], Vec::as_slice) {
                let (from, to) = &self.phrases[p];
                let k = from.len();
                if i + k <= raw.len() && from.iter().zip(&raw[i..i + k]).all(|(a, b)| a == b) {
                    out.push(to.clone());
                    i += k;
                    continue 'outer;
                }
            }
            let t = raw[i];
            if !self.filler.contains(t) {
                out.push(t.to_string());
            }
            i += 1;
        }
        out
    }

    /// Match a label without context or kind hint.
    pub fn match_label(&self, text: &str) -> Option<Match> {
        self.match_with(text, "", KindHint::Unknown, true)
    }

    /// Match `label` using `context` (parent row label, preceding words of the
    /// sentence) as secondary evidence.  `excludes_in_context`: whether the
    /// catalog's `context_excludes` also look at the context (yes for a
    /// parent row label, no for running prose).
    pub fn match_with(&self, label: &str, context: &str, hint: KindHint, excludes_in_context: bool) -> Option<Match> {
        let ranked = self.rank(label, context, hint, excludes_in_context);
        ranked.into_iter().next().filter(|m| m.confidence >= self.threshold)
    }

    /// All candidates with a positive score, best first (confidence already
    /// reduced when the best two are too close to call).
    pub fn rank(&self, label: &str, context: &str, hint: KindHint, excludes_in_context: bool) -> Vec<Match> {
        let raw_lt = self.tokens(label);
        let rate_text = raw_lt.iter().any(|t| t == &self.rate_marker) || label.contains('%');
        let ct_all = self.tokens(context);
        let present: HashSet<&str> = raw_lt.iter().chain(ct_all.iter()).map(String::as_str).collect();
        let label_set: HashSet<&str> = raw_lt.iter().map(String::as_str).collect();
        let mut lt = raw_lt.clone();
        lt.retain(|t| t != &self.rate_marker);
        dedup(&mut lt);
        if lt.is_empty() {
            return Vec::new();
        }
        let l: HashSet<&str> = lt.iter().map(String::as_str).collect();
        let c: HashSet<&str> =
            ct_all.iter().map(String::as_str).filter(|t| !l.contains(t) && *t != self.rate_marker).collect();
        let w = |t: &str| -> f32 { self.weights.get(t).copied().unwrap_or(0.0) };
        let w_label: f32 = lt.iter().map(|t| if self.weights.contains_key(t) { w(t) } else { self.unknown_w }).sum();

        // Only indicators sharing a label token can explain anything.
        let mut candidates: Vec<usize> = lt.iter().filter_map(|t| self.postings.get(t)).flatten().copied().collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut scored: Vec<(usize, f32)> = Vec::new();
        for i in candidates {
            let comp = &self.compiled[i];
            if !comp.requires.iter().all(|alts| alts.iter().any(|a| present.contains(a.as_str()))) {
                continue;
            }
            let excluded = comp.excludes.iter().any(|e| label_set.contains(e.as_str()))
                || comp.context_excludes.iter().any(|e| {
                    if excludes_in_context {
                        present.contains(e.as_str())
                    } else {
                        label_set.contains(e.as_str())
                    }
                });
            if excluded {
                continue;
            }
            let mut best_recall = 0f32;
            for alias in &comp.aliases {
                let mut total = 0f32;
                let mut got = 0f32;
                for t in alias {
                    let kw = if comp.keywords.contains(t) { 2.0 } else { 1.0 };
                    let tw = w(t) * kw;
                    total += tw;
                    if l.contains(t.as_str()) {
                        got += tw;
                    } else if c.contains(t.as_str()) {
                        got += tw * self.ctx_w;
                    }
                }
                if total > 0.0 {
                    best_recall = best_recall.max(got / total);
                }
            }
            let explained: f32 = lt.iter().filter(|t| comp.vocab.contains(*t)).map(|t| w(t)).sum();
            let precision = if w_label > 0.0 { explained / w_label } else { 0.0 };
            if explained <= 0.0 {
                continue;
            }
            let mut s = self.recall_w * best_recall + (1.0 - self.recall_w) * precision;
            s *= kind_factor(self.indicators[i].kind, hint, rate_text);
            if s > 0.0 {
                scored.push((i, s));
            }
        }
        scored.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
        let mut out: Vec<Match> = scored
            .iter()
            .map(|&(i, s)| Match { id: self.indicators[i].id.clone(), confidence: s.min(1.0) })
            .collect();
        if out.len() >= 2 && out[0].confidence - out[1].confidence < self.margin {
            out[0].confidence -= self.penalty / 2.0;
            out[1].confidence -= self.penalty / 2.0;
        }
        out
    }
}

fn kind_factor(kind: IndicatorKind, hint: KindHint, rate_text: bool) -> f32 {
    use IndicatorKind as K;
    match hint {
        KindHint::Rate => match kind {
            K::Rate => 1.0,
            K::Count => 0.7,
            K::Money => 0.3,
            K::Flag | K::Text => 0.7,
        },
        KindHint::Count => match kind {
            K::Count => 1.0,
            K::Rate => if rate_text { 0.9 } else { 0.6 },
            K::Money => 0.5,
            K::Flag | K::Text => 0.9,
        },
        KindHint::Money => match kind {
            K::Money => 1.0,
            _ => 0.4,
        },
        KindHint::Unknown => match (kind, rate_text) {
            (K::Rate, true) => 1.0,
            (K::Rate, false) => 0.88,
            (K::Flag | K::Text, true) => 0.85,
            (_, true) => 0.6,
            (_, false) => 1.0,
        },
    }
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|t| seen.insert(t.clone()));
}

// ───────────────────────────── assignment ─────────────────────────────

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
    let w: Vec<&str> = s.split_whitespace().collect();
    w[w.len().saturating_sub(n)..].join(" ")
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

    let segs: Vec<&str> = before.split(SEPARATORS).collect();
    let mut clause = String::new();
    for seg in segs.iter().rev() {
        clause = format!("{} {}", seg.trim(), clause).trim().to_string();
        if cat.tokens(&clause).len() >= 2 {
            break;
        }
    }
    let clause = last_words(&clause, 14);
    let folded_tail: Vec<String> = fold(before).split_whitespace().map(str::to_string).collect();
    let ends_with_marker = before.trim_end().ends_with(':')
        || cat.subject_before.iter().any(|w| folded_tail.ends_with(w));
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

fn best_compatible(cat: &Catalog, f: &Figure, label: &str, ctx: &str, hint: KindHint) -> Option<Match> {
    cat.rank(label, ctx, hint, false)
        .into_iter()
        .filter(|m| cat.get(&m.id).is_some_and(|i| figure_compatible(f, i.kind)))
        .find(|m| m.confidence >= cat.threshold)
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

/// Row key inside a dataset: (doc_id, table_id, row).
type RowKey = (String, String, i32);

/// Text of a row: label, context (parent row label) and kind hint.
#[derive(Debug, Clone)]
pub struct RowText {
    pub label: String,
    pub context: String,
    pub hint: KindHint,
    pub has_value: bool,
    /// Label inherited from the previous labelled row (coded option rows).
    pub inherited: bool,
    /// Coded row with its own label ("Liên thông 3 cấp … | 3 cấp = 2"): the
    /// previous labelled row, tried as an alternative label.
    pub alt_label: Option<String>,
    /// Other rows of the table name this row's STT as their parent.
    pub is_parent: bool,
}

/// "Hoàn thành =1", "3 cấp = 2", "Không=0": a coded option of the row above.
fn is_coded_option(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &ch)| {
        ch == b'=' && b[i + 1..].iter().find(|c| !c.is_ascii_whitespace()).is_some_and(|c| c.is_ascii_digit())
    })
}

fn cell_has_value(c: &Cell) -> bool {
    c.value.is_some() || c.option.is_some() || !c.raw.trim().is_empty()
}

fn cell_hint(c: &Cell) -> KindHint {
    let unit = c.unit.as_deref().map(str::trim).unwrap_or("");
    match c.kind {
        Some(Kind::Percent) | Some(Kind::Fraction) => return KindHint::Rate,
        Some(Kind::Money) => return KindHint::Money,
        _ => {}
    }
    if unit == "%" {
        KindHint::Rate
    } else if !unit.is_empty() && c.kind == Some(Kind::Count) {
        KindHint::Count
    } else {
        KindHint::Unknown
    }
}

/// Group the cells of a dataset into rows and compute their texts.  Order of
/// the returned rows follows the first appearance of each row.
pub fn row_texts(cells: &[Cell]) -> Vec<(RowKey, Vec<usize>, RowText)> {
    let mut order: Vec<RowKey> = Vec::new();
    let mut members: HashMap<RowKey, Vec<usize>> = HashMap::new();
    for (i, c) in cells.iter().enumerate() {
        let k = (c.doc_id.clone(), c.table_id.clone(), c.row);
        members.entry(k.clone()).or_insert_with(|| {
            order.push(k.clone());
            Vec::new()
        }).push(i);
    }
    // Per table: rows sorted by row number, labels by stt.
    let mut by_table: HashMap<(String, String), Vec<RowKey>> = HashMap::new();
    for k in &order {
        by_table.entry((k.0.clone(), k.1.clone())).or_default().push(k.clone());
    }
    let mut texts: HashMap<RowKey, RowText> = HashMap::new();
    for rows in by_table.values_mut() {
        rows.sort_by_key(|k| k.2);
        let parents: HashSet<String> = rows
            .iter()
            .filter_map(|k| cells[members[k][0]].parent_stt.as_deref())
            .map(|p| p.trim().trim_end_matches('.').to_string())
            .collect();
        let mut stt_label: HashMap<String, String> = HashMap::new();
        let mut last_label: Option<String> = None;
        let mut last_numbered: Option<String> = None;
        for k in rows.iter() {
            let idx = &members[k];
            let first = &cells[idx[0]];
            let own = idx
                .iter()
                .filter_map(|&i| cells[i].label.as_deref())
                .map(str::trim)
                .find(|s| !s.is_empty())
                .map(str::to_string);
            let coded = idx.iter().any(|&i| cells[i].unit.as_deref().is_some_and(is_coded_option))
                && first.stt.as_deref().map(str::trim).unwrap_or("").is_empty();
            // A coded row with its own label may describe an option of the
            // row above ("Liên thông 3 cấp: …") or be an item of its own
            // ("Tổ chức đối thoại …  Không=0"): both are tried.
            let alt_label = if coded && own.is_some() { last_numbered.clone() } else { None };
            let (label, inherited) = match own {
                Some(l) => {
                    last_label = Some(l.clone());
                    (l, false)
                }
                None => (last_label.clone().unwrap_or_default(), true),
            };
            if !inherited && !first.stt.as_deref().map(str::trim).unwrap_or("").is_empty() {
                last_numbered = Some(label.clone());
            }
            if let (Some(stt), false) = (first.stt.as_deref(), inherited) {
                let stt = stt.trim().trim_end_matches('.').to_string();
                if !stt.is_empty() {
                    stt_label.insert(stt, label.clone());
                }
            }
            let parent = first
                .parent_stt
                .as_deref()
                .map(|p| p.trim().trim_end_matches('.').to_string())
                .and_then(|p| stt_label.get(&p).cloned())
                .filter(|p| p != &label)
                .unwrap_or_default();
            let context = parent;
            let mut hint = KindHint::Unknown;
            for &i in idx {
                match cell_hint(&cells[i]) {
                    KindHint::Unknown => {}
                    h => {
                        hint = h;
                        if h == KindHint::Rate {
                            break;
                        }
                    }
                }
            }
            let has_value = idx.iter().any(|&i| cell_has_value(&cells[i]));
            let is_parent = first
                .stt
                .as_deref()
                .map(|s| s.trim().trim_end_matches('.').to_string())
                .is_some_and(|s| !s.is_empty() && parents.contains(&s));
            texts.insert(k.clone(), RowText { label, context, hint, has_value, inherited, alt_label, is_parent });
        }
    }
    order
        .into_iter()
        .map(|k| {
            let idx = members.remove(&k).unwrap_or_default();
            let t = texts.remove(&k).unwrap_or(RowText {
                label: String::new(),
                context: String::new(),
                hint: KindHint::Unknown,
                has_value: false,
                inherited: false,
                alt_label: None,
                is_parent: false,
            });
            (k, idx, t)
        })
        .collect()
}

/// Candidates (best first, above threshold, at most 3) for one table row.
pub fn row_candidates(cat: &Catalog, t: &RowText) -> Vec<Match> {
    // Empty labels, and section headers without a value of their own.
    if t.label.trim().is_empty() || (t.is_parent && !t.has_value) {
        return Vec::new();
    }
    let mut c: Vec<Match> = cat.rank(&t.label, &t.context, t.hint, true);
    if let Some(alt) = &t.alt_label {
        // The row either is an item of its own or an option of the numbered
        // row above; keep whichever reading scores better.
        let ctx = format!("{} {}", t.context, t.label);
        let alt_c: Vec<Match> = cat
            .rank(alt, &ctx, t.hint, true)
            .into_iter()
            .map(|mut m| {
                m.confidence *= 0.98;
                m
            })
            .collect();
        let best = |v: &[Match]| v.first().map_or(0.0, |m| m.confidence);
        if best(&alt_c) > best(&c) {
            c = alt_c;
        }
    }
    c.retain(|m| m.confidence >= cat.threshold);
    // An option row (label inherited from the item above) is that item or
    // nothing: no fallback to a weaker reading.
    c.truncate(if t.inherited { 1 } else { 3 });
    if t.inherited {
        for m in &mut c {
            m.confidence *= 0.98;
        }
    }
    c
}

/// Fill `figures[i].indicator` and `cells[i].indicator` using the builtin
/// catalog.
pub fn assign(ds: &mut Dataset) {
    assign_with(Catalog::builtin(), ds);
}

/// [`assign`] with an explicit catalog.  Within one table (doc_id, table_id)
/// an indicator goes to at most one row: rows carrying a value first, then by
/// confidence; a row that loses its best candidate may take its next one.
pub fn assign_with(cat: &Catalog, ds: &mut Dataset) {
    assign_parts(cat, &mut ds.figures, &mut ds.cells);
}

/// [`assign_with`] on the figures and cells of one document (or several):
/// usable inside the pipeline before the checks, without a `Dataset`.
/// A claim measures the indicator of its stated percent (or, without one,
/// of its part).
pub fn assign_claims(figures: &[Figure], claims: &mut [crate::model::Claim]) {
    let by_id: HashMap<&str, &Figure> = figures.iter().map(|f| (f.figure_id.as_str(), f)).collect();
    for c in claims.iter_mut() {
        let of = |id: &Option<String>| id.as_deref().and_then(|i| by_id.get(i)).and_then(|f| f.indicator.clone());
        c.indicator = of(&c.stated_figure_id).or_else(|| of(&c.part_figure_id));
    }
}

pub fn assign_parts(cat: &Catalog, figures: &mut [Figure], cells: &mut [Cell]) {
    // Figures with the same words around them get the same indicator: a
    // bounded cache keeps repeated phrasings (and hostile repetitions) cheap.
    let mut cache: HashMap<(Kind, Option<String>, Option<String>, bool, String), Option<String>> = HashMap::new();
    for f in figures.iter_mut() {
        let around = f.sentence.get(..usize::try_from(f.offset).unwrap_or(0).min(f.sentence.len())).unwrap_or("");
        let after = f.sentence.get(usize::try_from(f.offset).unwrap_or(0).saturating_add(f.raw.len()).min(f.sentence.len())..).unwrap_or("");
        let key = (f.kind, f.unit.clone(), f.subject.clone(), matches!(f.value, Some(v) if v == 0.0 || v == 1.0), format!("{around}\u{0}{after}"));
        if let Some(hit) = cache.get(&key) {
            f.indicator = hit.clone();
            continue;
        }
        f.indicator = match_figure(cat, f).map(|m| m.id);
        if cache.len() >= 20_000 {
            cache.clear();
        }
        cache.insert(key, f.indicator.clone());
    }
    for c in cells.iter_mut() {
        c.indicator = None;
    }
    let rows = row_texts(cells);
    // table → [(row position, candidates, has_value)]
    let mut tables: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut cands: Vec<Vec<Match>> = Vec::with_capacity(rows.len());
    for (ri, (k, _, t)) in rows.iter().enumerate() {
        tables.entry((k.0.clone(), k.1.clone())).or_default().push(ri);
        cands.push(row_candidates(cat, t));
    }
    let mut chosen: Vec<Option<String>> = vec![None; rows.len()];
    for members in tables.values() {
        let mut options: Vec<(bool, f32, i32, usize, usize)> = Vec::new();
        for &ri in members {
            for (rank, m) in cands[ri].iter().enumerate() {
                options.push((rows[ri].2.has_value, m.confidence, rows[ri].0 .2, ri, rank));
            }
        }
        options.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal))
                .then(a.2.cmp(&b.2))
        });
        let mut used: HashSet<String> = HashSet::new();
        for (_, _, _, ri, rank) in options {
            if chosen[ri].is_some() {
                continue;
            }
            let id = &cands[ri][rank].id;
            if used.contains(id) {
                continue;
            }
            used.insert(id.clone());
            chosen[ri] = Some(id.clone());
        }
    }
    for (ri, (_, idx, _)) in rows.iter().enumerate() {
        if let Some(id) = &chosen[ri] {
            for &i in idx {
                cells[i].indicator = Some(id.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses_and_is_consistent() {
        let cat = Catalog::builtin();
        assert!(cat.indicators.len() > 150, "{}", cat.indicators.len());
        for ind in &cat.indicators {
            if ind.kind == IndicatorKind::Rate {
                assert_eq!(ind.unit, "%", "{}", ind.id);
            }
            assert!(ind.id.contains('.'), "{} not grouped", ind.id);
        }
        let r = cat.get("tthc.ho_so.dung_han_ty_le").unwrap();
        assert_eq!(r.numerator_parts(), vec!["tthc.ho_so.truoc_han", "tthc.ho_so.dung_han"]);
        assert_eq!(r.denominator_parts(), vec!["tthc.ho_so.giai_quyet"]);
    }

    #[test]
    fn rules_do_not_protect_filler_words() {
        // A token named in requires/excludes/keywords is never dropped as
        // filler; make sure no rule names a filler word by accident.
        let raw: toml::Value = toml::from_str(BUILTIN_TOML).unwrap();
        let filler: HashSet<String> = raw["matching"]["filler"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str().map(|s| fold(s).trim().to_string()))
            .collect();
        let cat = Catalog::builtin();
        let mut clash = Vec::new();
        for ind in &cat.indicators {
            for r in ind.requires.iter().chain(&ind.excludes).chain(&ind.context_excludes).chain(&ind.keywords) {
                for alt in r.split('|') {
                    if filler.contains(alt) {
                        clash.push(format!("{}: {alt}", ind.id));
                    }
                }
            }
        }
        assert!(clash.is_empty(), "rules naming filler words: {clash:?}");
    }

    #[test]
    fn fold_strips_diacritics() {
        assert_eq!(fold("Đúng HẠN, số hoá").split_whitespace().collect::<Vec<_>>(), ["dung", "han", "so", "hoa"]);
        let cat = Catalog::builtin();
        assert_eq!(cat.tokens("Tỷ lệ số hóa hồ sơ"), ["tyle", "sohoa", "hoso"]);
    }

    fn m(label: &str) -> Option<String> {
        Catalog::builtin().match_label(label).map(|m| m.id)
    }

    #[test]
    fn matches_are_diacritic_case_and_order_insensitive() {
        let a = m("Tỷ lệ hồ sơ giải quyết đúng hạn");
        assert_eq!(a.as_deref(), Some("tthc.ho_so.dung_han_ty_le"));
        assert_eq!(m("TY LE HO SO GIAI QUYET DUNG HAN"), a);
        assert_eq!(m("tỷ lệ hồ sơ đúng hạn được giải quyết"), a);
        assert_eq!(m("Tổng số biên chế có mặt").as_deref(), Some("to_chuc.bien_che.co_mat"));
        assert_eq!(m("biên chế được giao").as_deref(), Some("to_chuc.bien_che.giao"));
    }

    #[test]
    fn unrelated_text_is_not_forced() {
        assert_eq!(m("Diện tích bố trí sảnh chờ"), None);
        assert_eq!(m("Đường truyền hay bị nghẽn"), None);
        assert_eq!(m(""), None);
    }

    #[test]
    fn figure_kind_picks_rate_or_count() {
        let cat = Catalog::builtin();
        let r = cat.match_with("hồ sơ giải quyết trước hạn", "", KindHint::Rate, false).map(|m| m.id);
        assert_eq!(r.as_deref(), Some("tthc.ho_so.truoc_han_ty_le"));
        let c = cat.match_with("hồ sơ giải quyết trước hạn", "", KindHint::Count, false).map(|m| m.id);
        assert_eq!(c.as_deref(), Some("tthc.ho_so.truoc_han"));
    }
}

#[cfg(test)]
mod appendix_001 {
    //! The statistics appendix of seed 001 (phường Trương Quang Trọng, quý I/2025),
    //! row by row as the table reader gives it: (stt, parent stt, label, unit,
    //! value, expected indicator).  Pins the mapping; "" = no indicator.
    use super::*;
    use crate::model::{Cell, Dataset};

    const ROWS: &[(&str, &str, &str, &str, &str, &str)] = &[
        ("1.", "", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
        ("1.1.", "1", "Kế hoạch CCHC", "", "1", "cchc.ke_hoach"),
        ("", "1.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "33", "cchc.nhiem_vu.de_ra"),
        ("", "1.1", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "10", "cchc.nhiem_vu.hoan_thanh"),
        ("", "1.1", "Số văn bản chỉ đạo CCHC đã ban hành/ tham mưu ban hành", "Văn bản", "10", "cchc.van_ban_chi_dao"),
        ("1.2.", "1", "Thực hiện nhiệm vụ UBND thành phố, Chủ tịch UBND TP giao", "", "", ""),
        ("", "1.2", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "0", "cchc.nhiem_vu_giao.tong"),
        ("", "1.2", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", "0", "cchc.nhiem_vu_giao.dung_han"),
        ("", "1.2", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ", "0", "cchc.nhiem_vu_giao.qua_han"),
        ("1.3.", "1", "Khảo sát sự hài lòng của người dân, tổ chức", "", "", ""),
        ("", "1.3", "Số lượng phiếu khảo sát", "Số lượng", "500", "cchc.khao_sat.so_phieu"),
        ("", "1.3", "Hình thức khảo sát", "Trực tuyến =0", "", ""),
        ("", "1.3", "", "Phát phiếu =1", "500", "cchc.khao_sat.hinh_thuc"),
        ("", "1.3", "", "Kết hợp=2", "", ""),
        ("", "1.3", "Tổ chức đối thoại về TTHC của UBND cấp xã", "Không=0", "0", "cchc.doi_thoai"),
        ("", "1.3", "", "Có =1", "", ""),
        ("2", "", "Cải cách thể chế", "", "", ""),
        ("2.1.", "2", "Số VBQPPL đã ban hành/tham mưu ban hành", "Văn bản", "0", "the_che.vbqppl.ban_hanh"),
        ("2.2.", "2", "Số VBQPPL đã kiểm tra theo thẩm quyển", "Văn bản", "0", "the_che.vbqppl.kiem_tra"),
        ("2.3.", "2", "Số VBQPPL đã rà soát", "Văn bản", "0", "the_che.vbqppl.ra_soat"),
        ("2.4.", "2", "Số VBQPPL đã kiến nghị xử lý sau kiểm tra, rà soát", "Văn bàn", "0", "the_che.vbqppl.kien_nghi_xu_ly"),
        ("2.5.", "2", "Số VBQPPL có kiến nghị xử lý đã được xử lý xong", "Văn bản", "0", "the_che.vbqppl.da_xu_ly"),
        ("3.", "", "Cải cách thủ tục hành chính", "", "", ""),
        ("3 1.", "3", "Thống kê TTHC", "Thủ tục", "159", "tthc.tong_so"),
        ("3.2.", "3", "Vận hành cổng dịch vụ công", "", "", ""),
        ("", "3.2", "Số TTHC đã cập nhật, công khai trên cổng DVC quốc gia", "Thủ tục", "0", "tthc.cong_khai_dvcqg"),
        ("", "3.2", "Số TTHC mức độ 3 vả 4 đã tích hợp lên Cổng DVC quốc gia", "Thủ tục", "0", "dvctt.tich_hop_dvcqg"),
        ("3.3.", "3", "Thực hiện cơ chế một cửa, một cửa liên thông", "", "", ""),
        ("", "3.3", "Số TTHC liên thông cùng cấp", "Thủ tục", "797", "tthc.lien_thong.cung_cap"),
        ("", "3.3", "Số TTHC liên thông giữa các cấp chính quyền", "Thủ tục", "46", "tthc.lien_thong.cac_cap"),
        ("", "3.3", "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ", "%", "100", "tthc.quy_trinh_noi_bo_ty_le"),
        ("", "3.3", "Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa", "%", "100", "tthc.quy_trinh_dien_tu_ty_le"),
        ("3.4.", "3", "Kết quả giải quyết TTHC", "", "", ""),
        ("", "3.4", "Tỷ lệ hồ sơ TTHC do cơ quan chuyên môn tiếp nhận được giải quyết đúng hẹn", "%", "100", "tthc.ho_so.dung_han_ty_le.cap_huyen"),
        ("", "3.4", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn", "%", "100", "tthc.ho_so.dung_han_ty_le"),
        ("4", "", "Cải cách tổ chức bộ máy hành chính nhà nước", "", "", ""),
        ("4.1.", "4", "Tổng số biên chế được giao trong năm", "Người", "25", "to_chuc.bien_che.giao"),
        ("4.2.", "4", "Tổng số biên chế có mặt tại thời điểm báo cáo", "Người", "22", "to_chuc.bien_che.co_mat"),
        ("4.3.", "4", "Số hợp đồng lao động làm việc tại cơ quan hành chính nhà nước", "Người", "0", "to_chuc.hop_dong_lao_dong"),
        ("4.4.", "4", "Số biên chế đã tinh giản trong kỳ báo cáo", "Người", "0", "to_chuc.bien_che.tinh_gian"),
        ("5.", "", "Cải cách chế độ công vụ", "", "", ""),
        ("5.1.", "5", "Số liệu về bổ nhiệm công chức lãnh đạo (lãnh đạo cấp phòng)", "Người", "0", "cong_vu.lanh_dao.bo_nhiem"),
        ("5.2.", "5", "Số liệu về xử lý kỷ luật cán bộ, công chức (cả về Đảng và chính quyền).", "Người", "0", "cong_vu.ky_luat"),
        ("6.", "", "Cải cách tài chính công", "", "", ""),
        ("6.1.", "6", "Số đơn vị SNCL đã thực hiện tự chủ 100% chi thường xuyên và chi đầu tư (lũy kế đến thời điểm bảo cáo)", "Cơ quan, đơn vị", "0", "tai_chinh.dvsn.tu_chu_chi_tx_dau_tu"),
        ("6.2.", "6", "Số đơn vị SNCL đã thực hiện tự chủ 100% chi thường xuyên (lũy kế đến thời điểm báo cáo)", "Cơ quan, đơn vị", "0", "tai_chinh.dvsn.tu_chu_chi_tx"),
        ("6.3.", "6", "Số đơn vị SNCL đã thực hiện tự chủ một phần chi thường xuyên (lũy kế đến thời điểm báo cáo)", "Cơ quan, đơn vi", "0", "tai_chinh.dvsn.tu_chu_mot_phan"),
        ("6.4.", "6", "Số đơn vị SNCL do nhà nước đảm bảo 100% chi thường xuyên (luỹ kế đến thời điểm báo cáo)", "Cơ quan, đơn vị", "0", "tai_chinh.dvsn.nha_nuoc_dam_bao"),
        ("6.5.", "6", "Số lượng đơn vị SNCL đã chuyển đổi thành công ty cổ phần (luỹ kế đến thời điểm báo cáo)", "Cơ quan, đơn vị", "0", "tai_chinh.dvsn.co_phan_hoa"),
        ("7", "", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "", "", ""),
        ("7.1.", "7", "Cập nhật Kiến trúc chính quyền điện tử phiên bản 2.0", "Chưa = 0", "", ""),
        ("", "7.1", "", "Hoàn thành =1", "x", "cqs.kien_truc"),
        ("7.2.", "7", "Xây dựng và vận hành Hệ thống họp trực tuyến", "Chưa có = 0", "", ""),
        ("", "7.2", "Liên thông 2 cấp: Từ UBND tỉnh đến thành phố.", "2 cấp = 1", "", ""),
        ("", "7.2", "Liên thông 3 cấp: Từ UBND tỉnh đến thành phố và 100% UBND cấp xã.", "3 cấp = 2", "x", "cqs.hop_truc_tuyen"),
        ("7.3.", "7", "Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia", "Chưa = 0", "", ""),
        ("", "7.3", "", "Đang làm =1", "", ""),
        ("", "7.3", "", "Hoàn thành=2", "x", "cqs.bao_cao_qg"),
        ("7.4.", "7", "Tỷ lệ cơ quan chuyên môn, UBND cấp xã được cấp chứng thư số.", "Chứng thư số", "4 Tổ chức và 9 cá nhân", "cqs.chung_thu_so"),
        ("7.5.", "7", "Triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP).", "Chưa = 0", "", ""),
        ("", "7.5", "", "Đang làm =1", "", ""),
        ("", "7.5", "", "Hoàn thành=2", "2", "cqs.lgsp"),
        ("7.6.", "7", "Số liệu về trao đổi văn bản điện tử", "", "", ""),
        ("", "7.6", "Tỷ lệ cơ quan chuyên môn đã kết nối, liên thông với UBND tỉnh", "%", "100", "cqs.lien_thong_vb.so_nganh_ty_le"),
        ("", "7.6", "Tỷ lệ UBND xã đã kết nối, liên thông với UBND thành phố", "%", "100", "cqs.lien_thong_vb.cap_xa_ty_le"),
        ("7.7.", "7", "Tổng số VĂN BẢN ĐI giữa các cơ quan nhà nước trên địa bàn thành phố", "Văn bản", "222", "cqs.van_ban.di"),
        ("", "7.7", "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử (Sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện tử).", "%", "100", "cqs.van_ban.dien_tu_ty_le"),
        ("", "7.7", "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử và song song với văn bản giấy", "%", "", "cqs.van_ban.song_song_ty_le"),
        ("7.8.", "7", "Vận hành Hệ thống thông tin một cửa điện tử tập trung của tỉnh", "", "", ""),
        ("", "7.8", "Tỷ lệ cơ quan chuyên môn đã kết nối liên thông với Hệ thống", "%", "100", "cqs.mot_cua_dt.so_nganh_ty_le"),
        ("", "7.8", "Tỷ lệ đơn vị cấp xã đã kết nối liên thông với Hệ thống", "%", "100", "cqs.mot_cua_dt.cap_xa_ty_le"),
        ("7.9.", "7", "Dịch vụ công trực tuyến", "", "", ""),
        ("", "7.9", "Tổng số TTHC cung cấp trực tuyến mức độ 3", "TTHC", "14", "dvctt.mot_phan.so_tthc"),
        ("", "7.9", "Tổng số TTHC cung cấp trực tuyến mức độ 4", "TTHC", "11", "dvctt.toan_trinh.so_tthc"),
        ("", "7.9", "Tỷ lệ hồ sơ xử lý trực tuyến mức độ 3", "%", "99,82", "dvctt.mot_phan.ho_so_truc_tuyen_ty_le"),
        ("", "7.9", "Tỷ lệ hổ sơ xử lý trực tuyến mức độ 4", "%", "100", "dvctt.toan_trinh.ho_so_truc_tuyen_ty_le"),
    ];

    /// Fractions of the "Ghi chú" column, by row label.
    const NOTES: &[(&str, &str)] = &[
        ("Tỷ lệ hồ sơ TTHC do cơ quan chuyên môn tiếp nhận được giải quyết đúng hẹn", "843/843"),
        ("Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn", "843/843"),
        ("Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử (Sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện tử).", "222/222"),
        ("Tỷ lệ hồ sơ xử lý trực tuyến mức độ 3", "576/577"),
        ("Tỷ lệ hổ sơ xử lý trực tuyến mức độ 4", "255/255"),
    ];

    fn opt(s: &str) -> Option<String> {
        (!s.is_empty()).then(|| s.to_string())
    }

    pub(crate) fn dataset() -> Dataset {
        let mut ds = Dataset::default();
        for (i, (stt, parent, label, unit, value, _)) in ROWS.iter().enumerate() {
            let row = i as i32 + 1;
            let num: Option<f64> = value.replace(',', ".").parse().ok();
            let kind = if num.is_none() {
                if value.is_empty() { None } else { Some("text") }
            } else if *unit == "%" {
                Some("percent")
            } else {
                Some("count")
            };
            let base = Cell {
                doc_id: "001".into(),
                table_id: "001:t1".into(),
                table_title: Some("Phụ lục".into()),
                page: None,
                line: 150 + row,
                row,
                stt: opt(stt),
                parent_stt: opt(parent),
                label: opt(label),
                column: "Số liệu".into(),
                unit: opt(unit),
                raw: value.to_string(),
                kind: kind.map(|k| k.parse().unwrap_or(Kind::Text)),
                value: num,
                numerator: None,
                denominator: None,
                qualifier: None,
                indicator: None,
                warning: None,
                year: None,
                option: None,
            };
            if let Some((_, frac)) = NOTES.iter().find(|(l, _)| l == label) {
                let (n, d) = frac.split_once('/').unwrap_or(("", ""));
                let mut note = base.clone();
                note.column = "Ghi chú".into();
                note.raw = frac.to_string();
                note.kind = Some(Kind::Fraction);
                note.value = None;
                note.numerator = n.parse().ok();
                note.denominator = d.parse().ok();
                ds.cells.push(note);
            }
            ds.cells.push(base);
        }
        ds
    }

    #[test]
    fn mapping_of_001_appendix_is_pinned() {
        let mut ds = dataset();
        assign(&mut ds);
        let mut got: Vec<(i32, String)> = Vec::new();
        for c in ds.cells.iter().filter(|c| c.column == "Số liệu") {
            got.push((c.row, c.indicator.clone().unwrap_or_default()));
        }
        let mut bad = Vec::new();
        for (row, id) in &got {
            let (stt, _, label, unit, _, expected) = ROWS[(*row - 1) as usize];
            if id != expected {
                bad.push(format!("row {row} {stt} {label} {unit}: expected {expected:?}, got {id:?}"));
            }
        }
        assert!(bad.is_empty(), "mapping changed:\n{}", bad.join("\n"));
    }

    #[test]
    fn at_least_90_percent_of_valued_rows_have_an_indicator() {
        let mut ds = dataset();
        assign(&mut ds);
        let valued: Vec<&Cell> = ds.cells.iter().filter(|c| c.column == "Số liệu" && !c.raw.trim().is_empty()).collect();
        let hit = valued.iter().filter(|c| c.indicator.is_some()).count();
        assert!(hit * 10 >= valued.len() * 9, "{hit}/{}", valued.len());
    }

    #[test]
    fn no_indicator_on_two_rows_of_one_table() {
        let mut ds = dataset();
        // Duplicate the last rows' labels into another row to provoke a clash.
        let mut extra: Vec<Cell> = ds.cells.iter().filter(|c| c.label.as_deref() == Some("Số VBQPPL đã rà soát")).cloned().collect();
        for c in &mut extra {
            c.row = 999;
            c.raw = String::new();
            c.value = None;
        }
        ds.cells.extend(extra);
        assign(&mut ds);
        let mut seen: HashMap<(String, String, String), i32> = HashMap::new();
        for c in &ds.cells {
            let Some(id) = &c.indicator else { continue };
            let key = (c.doc_id.clone(), c.table_id.clone(), id.clone());
            if let Some(r) = seen.insert(key, c.row) {
                assert_eq!(r, c.row, "{id} on rows {r} and {}", c.row);
            }
        }
        // The valued row keeps it, the empty duplicate gets nothing.
        let dup = ds.cells.iter().find(|c| c.row == 999).and_then(|c| c.indicator.clone());
        assert_ne!(dup.as_deref(), Some("the_che.vbqppl.ra_soat"));
    }
}
