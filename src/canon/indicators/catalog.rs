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
    pub(super) subject_before: Vec<Vec<String>>,
    /// token → indicators whose vocabulary holds it (only those can score).
    postings: HashMap<String, Vec<usize>>,
    /// first token → phrases starting with it, in catalog order.
    phrase_starts: HashMap<String, Vec<usize>>,
}

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

        let mut by_id = HashMap::new();
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
        let filler: HashSet<String> = m.filler.iter().map(|s| fold(s).trim().to_string()).filter(|s| !protected.contains(s)).collect();

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
        let c: HashSet<&str> = ct_all.iter().map(String::as_str).filter(|t| !l.contains(t) && *t != self.rate_marker).collect();
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
                || comp.context_excludes.iter().any(|e| if excludes_in_context { present.contains(e.as_str()) } else { label_set.contains(e.as_str()) });
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
        let mut out: Vec<Match> = scored.iter().map(|&(i, s)| Match { id: self.indicators[i].id.clone(), confidence: s.min(1.0) }).collect();
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
