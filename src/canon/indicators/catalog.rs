//! The indicator catalog: parsing and compiling `schemas/indicators.toml`,
//! folding a text into tokens, scoring labels against every indicator.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use once_cell::sync::Lazy;
use serde::Deserialize;

use super::{fold, Indicator, IndicatorKind, KindHint, Match};

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

/// The same rules over interned token ids (see `Catalog::ids`), used by
/// `rank`: aliases carry each token's weight (idf × keyword factor).
#[derive(Debug, Clone, Default)]
struct Scored {
    /// Each alias' tokens, with the sum of their weights (added in order).
    aliases: Vec<(Vec<(u32, f32)>, f32)>,
    requires: Vec<Vec<u32>>,
    excludes: Vec<u32>,
    context_excludes: Vec<u32>,
}

/// Per-thread scratch space of `Catalog::rank`.
#[derive(Debug, Default)]
struct Scratch {
    /// Per token id (see the flag bits below).
    flags: Vec<u8>,
    /// Per indicator: weight of the label tokens in its vocabulary (zero:
    /// shares no token with the label).
    explained: Vec<f32>,
    /// (indicator position, confidence), best first.
    ranked: Vec<(usize, f32)>,
}

/// Token id of a word that no indicator names.
const UNKNOWN: u32 = u32::MAX;

/// A text's tokens with their ids (`UNKNOWN` for words no rule names).
#[derive(Debug, Default)]
struct Tokens {
    words: Words,
    ids: Vec<u32>,
}

/// Tokens kept in one string (no allocation per token): each token's byte
/// range in `text`.
#[derive(Debug, Default)]
struct Words {
    text: String,
    spans: Vec<(usize, usize)>,
}

impl Words {
    fn push(&mut self, word: &str) {
        let start = self.text.len();
        self.text.push_str(word);
        self.spans.push((start, self.text.len()));
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans.iter().map(|&(a, b)| &self.text[a..b])
    }

    fn to_strings(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

// Per-token flags in `rank`.
const IN_LABEL: u8 = 1;
const IN_L: u8 = 2;
const IN_C: u8 = 4;
const PRESENT: u8 = 8;

/// The indicator catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub indicators: Vec<Indicator>,
    pub threshold: f32,
    by_id: rustc_hash::FxHashMap<String, usize>,
    compiled: Vec<Compiled>,
    phrases: Vec<(Vec<String>, String)>,
    weights: HashMap<String, f32>,
    rate_marker: String,
    margin: f32,
    penalty: f32,
    ctx_w: f32,
    unknown_w: f32,
    recall_w: f32,
    pub(super) subject_before: Vec<Vec<String>>,
    /// The spellings `[[matching.phrase]]` lists, as written (the OCR
    /// respelling's wording, with the names and aliases).
    pub(super) phrase_spellings: Vec<String>,
    /// token → indicators whose vocabulary holds it (only those can score).
    postings: HashMap<String, Vec<usize>>,
    /// Every word a phrase, the filler list or a rule names → raw id (index
    /// of the `raw_*` tables): each word of a text is looked up once.
    raw_ids: rustc_hash::FxHashMap<String, u32>,
    /// Per raw id: a filler word.
    raw_filler: Vec<bool>,
    /// Per raw id: the phrases starting with it (index of `phrases`), in
    /// catalog order.
    raw_phrase_starts: Vec<Vec<usize>>,
    /// Per raw id: its id in `ids` (`UNKNOWN` when no rule names it; empty
    /// until `intern`).
    raw_to_id: Vec<u32>,
    /// Per phrase: its words as raw ids.
    phrase_raw: Vec<Vec<u32>>,
    /// Per phrase: id of the word it is rewritten to (empty until `intern`).
    phrase_to_id: Vec<u32>,
    /// Every word a rule or alias names → id (index of `id_weight`, `id_postings`).
    ids: rustc_hash::FxHashMap<String, u32>,
    /// idf weight by id (None: named by a rule only, not in any vocabulary).
    id_weight: Vec<Option<f32>>,
    /// id → indicators whose vocabulary holds it.
    id_postings: Vec<Vec<usize>>,
    scored: Vec<Scored>,
    rate_id: u32,
    /// Distinct per catalog: the per-thread token cache belongs to one catalog.
    serial: u64,
}

static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub(super) static BUILTIN_TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/indicators.toml"));

static BUILTIN: Lazy<Catalog> = Lazy::new(|| match Catalog::from_toml_str(BUILTIN_TOML) {
    Ok(c) => c,
    // The builtin catalog is compiled in and covered by tests; failing here
    // is a programming error, not an input error.
    Err(e) => panic!("schemas/indicators.toml is invalid: {e:#}"),
});

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
        let rate_marker =
            phrases.iter().find(|(f, _)| f == &["ty".to_string(), "le".to_string()]).map(|(_, t)| t.clone()).unwrap_or_else(|| "tyle".to_string());

        let mut by_id = rustc_hash::FxHashMap::default();
        let mut protected: HashSet<String> = m.protected.iter().map(|s| fold(s).trim().to_string()).collect();
        for (i, ind) in raw.indicator.iter().enumerate() {
            if by_id.insert(ind.id.clone(), i).is_some() {
                anyhow::bail!("duplicate indicator id {}", ind.id);
            }
            if ind.id.is_empty() || !ind.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.') {
                anyhow::bail!("indicator id {:?} is not ascii snake case", ind.id);
            }
            for alt in ind.rule_words() {
                protected.insert(fold(alt).trim().to_string());
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
        let filler: rustc_hash::FxHashSet<String> = m.filler.iter().map(|s| fold(s).trim().to_string()).filter(|s| !protected.contains(s)).collect();

        let mut cat = Catalog {
            indicators: raw.indicator,
            threshold: m.threshold,
            by_id,
            compiled: Vec::new(),
            phrases,
            weights: HashMap::new(),
            rate_marker,
            margin: m.ambiguity_margin,
            penalty: m.ambiguity_penalty,
            ctx_w: m.context_weight,
            unknown_w: m.unknown_token_weight,
            recall_w: m.recall_weight,
            phrase_spellings: m.phrase.iter().flat_map(|p| p.from.iter().cloned()).collect(),
            subject_before: m
                .subject_before
                .iter()
                .map(|w| fold(w).split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .filter(|w: &Vec<String>| !w.is_empty())
                .collect(),
            postings: HashMap::new(),
            raw_ids: rustc_hash::FxHashMap::default(),
            raw_filler: Vec::new(),
            raw_phrase_starts: Vec::new(),
            raw_to_id: Vec::new(),
            phrase_raw: Vec::new(),
            phrase_to_id: Vec::new(),
            ids: rustc_hash::FxHashMap::default(),
            id_weight: Vec::new(),
            id_postings: Vec::new(),
            scored: Vec::new(),
            rate_id: UNKNOWN,
            serial: SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        for f in &filler {
            let r = cat.raw_id(f);
            cat.raw_filler[r as usize] = true;
        }
        for k in 0..cat.phrases.len() {
            let from: Vec<u32> = cat.phrases[k].0.clone().iter().map(|w| cat.raw_id(w)).collect();
            if let Some(&first) = from.first() {
                cat.raw_phrase_starts[first as usize].push(k);
            }
            cat.phrase_raw.push(from);
        }
        let mut compiled = Vec::with_capacity(cat.indicators.len());
        for ind in &cat.indicators {
            let mut aliases: Vec<Vec<String>> = Vec::new();
            for a in std::iter::once(&ind.name).chain(ind.aliases.iter()) {
                // Not `tokens`: its cache would keep ids from before `intern`.
                let mut t = cat.tokens_uncached(a).words.to_strings();
                t.retain(|x| x != &cat.rate_marker);
                dedup(&mut t);
                if !t.is_empty() && !aliases.contains(&t) {
                    aliases.push(t);
                }
            }
            let keywords: HashSet<String> = ind.keywords.iter().map(|k| fold(k).trim().to_string()).collect();
            let mut vocab: HashSet<String> = aliases.iter().flatten().cloned().collect();
            vocab.extend(keywords.iter().cloned());
            let requires = ind.requires.iter().map(|r| r.split('|').map(|a| fold(a).trim().to_string()).filter(|a| !a.is_empty()).collect()).collect();
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
        cat.intern();
        Ok(cat)
    }

    /// Ids for every word of the compiled rules, and the rules over ids.
    fn intern(&mut self) {
        let mut ids: rustc_hash::FxHashMap<String, u32> = rustc_hash::FxHashMap::default();
        let mut words: Vec<String> = Vec::new();
        let mut id = |w: &str| -> u32 {
            if let Some(&k) = ids.get(w) {
                return k;
            }
            let k = u32::try_from(words.len()).unwrap_or(UNKNOWN - 1);
            ids.insert(w.to_string(), k);
            words.push(w.to_string());
            k
        };
        self.rate_id = id(&self.rate_marker);
        let mut scored = Vec::with_capacity(self.compiled.len());
        for c in &self.compiled {
            let aliases = c
                .aliases
                .iter()
                .map(|a| {
                    let toks: Vec<(u32, f32)> = a
                        .iter()
                        .map(|t| {
                            let kw = if c.keywords.contains(t) { 2.0 } else { 1.0 };
                            (id(t), self.weights.get(t).copied().unwrap_or(0.0) * kw)
                        })
                        .collect();
                    let mut total = 0f32;
                    for &(_, tw) in &toks {
                        total += tw;
                    }
                    (toks, total)
                })
                .collect();
            for t in &c.vocab {
                id(t);
            }
            let requires = c.requires.iter().map(|alts| alts.iter().map(|a| id(a)).collect()).collect();
            let excludes = c.excludes.iter().map(|e| id(e)).collect();
            let context_excludes = c.context_excludes.iter().map(|e| id(e)).collect();
            scored.push(Scored { aliases, requires, excludes, context_excludes });
        }
        self.id_weight = words.iter().map(|w| self.weights.get(w).copied()).collect();
        self.id_postings = words.iter().map(|w| self.postings.get(w).cloned().unwrap_or_default()).collect();
        self.ids = ids;
        self.scored = scored;
        for w in &words {
            self.raw_id(w);
        }
        let mut raw_to_id = vec![UNKNOWN; self.raw_filler.len()];
        for (w, &r) in &self.raw_ids {
            raw_to_id[r as usize] = self.ids.get(w).copied().unwrap_or(UNKNOWN);
        }
        self.raw_to_id = raw_to_id;
        self.phrase_to_id = self.phrases.iter().map(|(_, to)| self.ids.get(to).copied().unwrap_or(UNKNOWN)).collect();
    }

    /// Raw id of a word, added when new.
    fn raw_id(&mut self, w: &str) -> u32 {
        if let Some(&r) = self.raw_ids.get(w) {
            return r;
        }
        let r = u32::try_from(self.raw_filler.len()).unwrap_or(UNKNOWN - 1);
        self.raw_ids.insert(w.to_string(), r);
        self.raw_filler.push(false);
        self.raw_phrase_starts.push(Vec::new());
        r
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
        self.token_ids(text).words.to_strings()
    }

    /// `tokens(text).len()` without copying the tokens.
    pub(super) fn token_count(&self, text: &str) -> usize {
        self.token_ids(text).words.len()
    }

    /// Tokens of `text` with their ids.
    fn token_ids(&self, text: &str) -> std::rc::Rc<Tokens> {
        // Figures of one sentence share their context: remember recent texts
        // (per thread, bounded) instead of folding them again.
        thread_local! {
            static CACHE: std::cell::RefCell<(u64, rustc_hash::FxHashMap<String, std::rc::Rc<Tokens>>)> = std::cell::RefCell::new((u64::MAX, rustc_hash::FxHashMap::default()));
        }
        let hit = CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.0 != self.serial {
                c.0 = self.serial;
                c.1.clear();
            }
            c.1.get(text).cloned()
        });
        if let Some(hit) = hit {
            return hit;
        }
        let out = std::rc::Rc::new(self.tokens_uncached(text));
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.1.len() > 4096 {
                c.1.clear();
            }
            c.1.insert(text.to_string(), out.clone());
        });
        out
    }

    fn tokens_uncached(&self, text: &str) -> Tokens {
        let folded = fold(text);
        // `fold` leaves no whitespace but ' '.
        let raw: Vec<(u32, &str)> = folded.split(' ').filter(|t| !t.is_empty()).map(|w| (self.raw_ids.get(w).copied().unwrap_or(UNKNOWN), w)).collect();
        let mut toks = Vec::with_capacity(raw.len());
        self.rewrite(&raw, &mut toks);
        let mut words = Words { text: String::with_capacity(folded.len()), spans: Vec::with_capacity(toks.len()) };
        for &(_, t) in &toks {
            words.push(t);
        }
        Tokens { words, ids: toks.iter().map(|&(k, _)| k).collect() }
    }

    /// Rewrite phrases and drop filler: the tokens, as (id, word), of the
    /// raw words (raw id, word) of a text.
    fn rewrite<'a>(&'a self, raw: &[(u32, &'a str)], out: &mut Vec<(u32, &'a str)>) {
        let id = |r: u32| self.raw_to_id.get(r as usize).copied().unwrap_or(UNKNOWN);
        let mut i = 0;
        'outer: while i < raw.len() {
            let (r, word) = raw[i];
            if r == UNKNOWN {
                out.push((UNKNOWN, word));
                i += 1;
                continue;
            }
            for &p in &self.raw_phrase_starts[r as usize] {
                let from = &self.phrase_raw[p];
                let k = from.len();
                if i + k <= raw.len() && from.iter().zip(&raw[i..i + k]).all(|(&a, &(b, _))| a == b) {
                    out.push((self.phrase_to_id.get(p).copied().unwrap_or(UNKNOWN), &self.phrases[p].1));
                    i += k;
                    continue 'outer;
                }
            }
            if !self.raw_filler[r as usize] {
                out.push((id(r), word));
            }
            i += 1;
        }
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
        self.ranked(label, context, hint, excludes_in_context, |ranked| ranked.iter().map(|&(i, c)| self.to_match(i, c)).collect())
    }

    /// The first indicator of [`Catalog::rank`] that `accept` takes, when its
    /// confidence reaches the threshold: the same answer as filtering `rank`,
    /// without a `Match` (an id copy) for every candidate.
    pub(super) fn best_accepted(
        &self,
        label: &str,
        context: &str,
        hint: KindHint,
        excludes_in_context: bool,
        accept: impl Fn(&Indicator) -> bool,
    ) -> Option<Match> {
        self.ranked(label, context, hint, excludes_in_context, |ranked| {
            ranked.iter().find(|&&(i, c)| accept(&self.indicators[i]) && c >= self.threshold).map(|&(i, c)| self.to_match(i, c))
        })
    }

    fn to_match(&self, i: usize, confidence: f32) -> Match {
        Match { id: self.indicators[i].id.clone(), confidence }
    }

    /// `rank` as (indicator position, confidence), handed to `read` (the
    /// per-thread scratch space is reused from call to call).
    fn ranked<T>(&self, label: &str, context: &str, hint: KindHint, excludes_in_context: bool, read: impl FnOnce(&[(usize, f32)]) -> T) -> T {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
        }
        let raw = self.token_ids(label);
        let ctx = self.token_ids(context);
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let Scratch { flags, explained, ranked } = &mut *s;
            flags.clear();
            flags.resize(self.id_weight.len(), 0);
            explained.clear();
            explained.resize(self.indicators.len(), 0.0);
            ranked.clear();
            self.rank_with(&raw, label.contains('%'), &ctx.ids, hint, excludes_in_context, flags, explained, ranked);
            read(ranked)
        })
    }

    /// `rank` with per-id flags and per-indicator explained weights (all zero
    /// on entry): fills `out` with (indicator position, confidence), best first.
    #[allow(clippy::too_many_arguments)]
    fn rank_with(
        &self,
        label: &Tokens,
        percent: bool,
        context: &[u32],
        hint: KindHint,
        excludes_in_context: bool,
        flags: &mut [u8],
        explained: &mut [f32],
        out: &mut Vec<(usize, f32)>,
    ) {
        let rate_text = label.ids.contains(&self.rate_id) || percent;
        let known = |k: u32| (k != UNKNOWN).then_some(k as usize);
        for k in label.ids.iter().chain(context).copied().filter_map(known) {
            flags[k] |= PRESENT;
        }
        for k in label.ids.iter().copied().filter_map(known) {
            flags[k] |= IN_LABEL;
        }
        // Label tokens without the rate marker, first occurrence kept.
        let mut lt: Vec<(u32, &str)> = Vec::with_capacity(label.ids.len());
        for (&k, w) in label.ids.iter().zip(label.words.iter()) {
            if k == self.rate_id {
                continue;
            }
            let dup = if k == UNKNOWN { lt.iter().any(|&(j, v)| j == UNKNOWN && v == w) } else { flags[k as usize] & IN_L != 0 };
            if dup {
                continue;
            }
            if k != UNKNOWN {
                flags[k as usize] |= IN_L;
            }
            lt.push((k, w));
        }
        if lt.is_empty() {
            return;
        }
        for &k in context {
            if k != UNKNOWN && k != self.rate_id && flags[k as usize] & IN_L == 0 {
                flags[k as usize] |= IN_C;
            }
        }
        let weight = |k: u32| known(k).and_then(|k| self.id_weight[k]);
        let w_label: f32 = lt.iter().map(|&(k, _)| weight(k).unwrap_or(self.unknown_w)).sum();

        // Only indicators sharing a label token can explain anything: the
        // weight of the label tokens each one's vocabulary holds, summed in
        // label order, then the indicators visited in catalog order.
        for &(k, _) in &lt {
            if let (Some(k), Some(w)) = (known(k), weight(k)) {
                for &i in &self.id_postings[k] {
                    explained[i] += w;
                }
            }
        }
        let has = |k: u32, bit: u8| flags[k as usize] & bit != 0;
        let scored = out;
        for (i, &explained) in explained.iter().enumerate() {
            if explained <= 0.0 {
                continue;
            }
            let comp = &self.scored[i];
            if !comp.requires.iter().all(|alts| alts.iter().any(|&a| has(a, PRESENT))) {
                continue;
            }
            let excluded = comp.excludes.iter().any(|&e| has(e, IN_LABEL))
                || comp.context_excludes.iter().any(|&e| if excludes_in_context { has(e, PRESENT) } else { has(e, IN_LABEL) });
            if excluded {
                continue;
            }
            let mut best_recall = 0f32;
            for (alias, total) in &comp.aliases {
                let total = *total;
                let mut got = 0f32;
                for &(t, tw) in alias {
                    if has(t, IN_L) {
                        got += tw;
                    } else if has(t, IN_C) {
                        got += tw * self.ctx_w;
                    }
                }
                if total > 0.0 {
                    best_recall = best_recall.max(got / total);
                }
            }
            let precision = if w_label > 0.0 { explained / w_label } else { 0.0 };
            let mut s = self.recall_w * best_recall + (1.0 - self.recall_w) * precision;
            s *= kind_factor(self.indicators[i].kind, hint, rate_text);
            if s > 0.0 {
                scored.push((i, s));
            }
        }
        scored.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
        for m in scored.iter_mut() {
            m.1 = m.1.min(1.0);
        }
        if scored.len() >= 2 && scored[0].1 - scored[1].1 < self.margin {
            scored[0].1 -= self.penalty / 2.0;
            scored[1].1 -= self.penalty / 2.0;
        }
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
            K::Rate => {
                if rate_text {
                    0.9
                } else {
                    0.6
                }
            }
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
