//! Measures cchc on 25 real documents against their hand-made answer key
//! (fixtures/realtexts, a copy of ../shared/realtexts): fraction recall,
//! explicit and implicit percent claims, negatives read as fractions, and
//! `error` findings on consistent statements. Prints every figure and miss
//! (`cargo test --test realtexts -- --nocapture`), then asserts the
//! acceptance thresholds of the claims issue.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use cchc::model::{ClaimKind, Extracted, Kind, Rule, Severity, Verdict};
use cchc::pipeline::{process_file, Options};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/realtexts")
}

fn key(name: &str) -> Vec<Value> {
    let p = root().join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str::<Vec<Value>>(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn extracted() -> HashMap<String, Extracted> {
    let dir = root().join("docs");
    let mut out = HashMap::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        out.insert(name, process_file(&e.path(), &Options::default()));
    }
    assert_eq!(out.len(), 25, "the 25 documents of the key");
    out
}

fn num(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

fn near(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        _ => false,
    }
}

/// Claims keep money in đồng; the key writes it in the printed unit.
fn in_printed_unit(v: Option<f64>, unit: Option<&str>) -> Option<f64> {
    let factor = match unit {
        Some("nghìn tỷ đồng") => 1e12,
        Some("tỷ đồng") => 1e9,
        Some("triệu đồng") => 1e6,
        Some("nghìn đồng") => 1e3,
        _ => 1.0,
    };
    v.map(|x| x / factor)
}

fn claim_is(c: &cchc::model::Claim, n: Option<f64>, d: Option<f64>, p: Option<f64>) -> bool {
    let u = c.unit.as_deref();
    let sides = (near(c.part_value, n) && near(c.base_value, d)) || (near(in_printed_unit(c.part_value, u), n) && near(in_printed_unit(c.base_value, u), d));
    sides && near(c.stated_percent, p)
}

fn within(line: i32, key_line: i64, slack: i64) -> bool {
    (i64::from(line) - key_line).abs() <= slack
}

struct Score {
    name: &'static str,
    hit: usize,
    total: usize,
    misses: Vec<String>,
}

impl Score {
    fn new(name: &'static str) -> Score {
        Score { name, hit: 0, total: 0, misses: Vec::new() }
    }
    fn add(&mut self, ok: bool, what: String) {
        self.total += 1;
        if ok {
            self.hit += 1;
        } else {
            self.misses.push(what);
        }
    }
    fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.hit as f64 / self.total as f64
        }
    }
    fn print(&self) {
        println!("{:<44} {:>4}/{:<4} = {:.3}", self.name, self.hit, self.total, self.rate());
        for m in &self.misses {
            println!("    miss: {m}");
        }
    }
}

#[test]
fn claims_and_findings_against_the_answer_key() {
    let docs = extracted();
    let ratios = key("ratios.json");
    let negatives = key("negatives.json");
    let sums = key("sums.json");
    let doc_of = |v: &Value| docs.get(v["doc"].as_str().unwrap_or("")).unwrap_or_else(|| panic!("unknown doc in key: {v}"));
    let line_of = |v: &Value| v["line"].as_i64().unwrap_or(0);
    let label = |v: &Value| format!("{}:{} {}", &v["doc"].as_str().unwrap_or("")[..3], line_of(v), v["quote"].as_str().or(v["text"].as_str()).unwrap_or(""));

    // 1. Every a/b of the prose is a fraction figure (±1 line: hard wraps).
    let mut fractions = Score::new("a/b fraction recall");
    // 2. Explicit a/b with a stated percent: a claim with that part, base and percent.
    let mut explicit = Score::new("explicit a/b + % paired");
    // 3. Implicit part/total + percent: a claim with the right part, base and percent.
    let mut implicit = Score::new("implicit part/base + % as claims");
    // Ranks are rank figures and claims, never fractions.
    let mut ranks = Score::new("ranks read as rank");
    for r in &ratios {
        let e = doc_of(r);
        let (n, d, p) = (num(r, "numerator"), num(r, "denominator"), num(r, "reported_percent"));
        let line = line_of(r);
        match r["kind"].as_str().unwrap_or("") {
            "ratio" | "ratio_pct" => {
                let ok = e.figures.iter().any(|f| f.kind == Kind::Fraction && near(f.numerator, n) && near(f.denominator, d) && within(f.line, line, 1));
                fractions.add(ok, label(r));
                if r["kind"] == "ratio_pct" {
                    let ok = e.claims.iter().any(|c| claim_is(c, n, d, p) && within(c.line, line, 2));
                    explicit.add(ok, label(r));
                }
            }
            "implicit" => {
                let ok = e.claims.iter().any(|c| claim_is(c, n, d, p) && within(c.line, line, 2));
                let got: Vec<String> = e
                    .claims
                    .iter()
                    .filter(|c| near(c.stated_percent, p) && within(c.line, line, 2))
                    .map(|c| format!("[{} {:?}/{:?} {}]", c.kind, c.part_value, c.base_value, c.verdict))
                    .collect();
                implicit.add(ok, format!("{} → got {}", label(r), got.join(" ")));
            }
            "rank" => {
                let ok = e.figures.iter().any(|f| f.kind == Kind::Rank && near(f.numerator, n) && near(f.denominator, d) && within(f.line, line, 1))
                    && e.claims.iter().any(|c| c.kind == ClaimKind::Rank && near(c.part_value, n) && near(c.base_value, d));
                ranks.add(ok, label(r));
            }
            _ => {}
        }
    }

    // 4. Negatives (references, dates, ranks, scores …) read as fractions.
    let mut negative = Score::new("negatives NOT read as fractions");
    for v in &negatives {
        let e = doc_of(v);
        let text = v["text"].as_str().unwrap_or("");
        let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '/').collect();
        let bad = e.figures.iter().any(|f| {
            let fd: String = f.raw.chars().filter(|c| c.is_ascii_digit() || *c == '/').collect();
            f.kind == Kind::Fraction
                && within(f.line, line_of(v), 1)
                && digits.chars().any(|c| c.is_ascii_digit())
                && (fd.contains(&digits) || digits.contains(&fd))
        });
        negative.add(!bad, format!("{} ({})", label(v), v["reason"].as_str().unwrap_or("")));
    }

    // 5. Known inconsistencies found (ratios not approximate; prose sums of scope sentence).
    let mut caught = Score::new("known inconsistencies found");
    let mut known: Vec<(String, i64)> = Vec::new();
    for r in ratios.iter().filter(|r| r["consistent"] == Value::Bool(false)) {
        known.push((r["doc"].as_str().unwrap_or("").to_string(), line_of(r)));
        if r.get("approximate").and_then(Value::as_bool).unwrap_or(false) {
            continue;
        }
        let e = doc_of(r);
        let ok = e.findings.iter().any(|f| f.rule == Rule::RatioPercent && f.line.is_some_and(|l| within(l, line_of(r), 2)));
        caught.add(ok, label(r));
    }
    for s in sums.iter().filter(|s| s["consistent"] == Value::Bool(false)) {
        known.push((s["doc"].as_str().unwrap_or("").to_string(), line_of(s)));
        if s["kind"] != "prose" || s["scope"] != "sentence" {
            continue;
        }
        let e = doc_of(s);
        let ok = e.findings.iter().any(|f| matches!(f.rule.as_str(), "parts_total" | "count_bounds") && f.line.is_some_and(|l| within(l, line_of(s), 2)));
        caught.add(ok, label(s));
    }

    // 6. Errors: none on consistent statements, none far from a known inconsistency.
    let mut clean = Score::new("error findings near a known inconsistency");
    let mut names: Vec<&String> = docs.keys().collect();
    names.sort();
    for name in names {
        for f in docs[name].findings.iter().filter(|f| f.severity == Severity::Error) {
            let l = i64::from(f.line.unwrap_or(0));
            let ok = known.iter().any(|(d, kl)| d == name && (l - kl).abs() <= 2);
            clean.add(ok, format!("{}:{} {} {} | {}", &name[..3], l, f.rule, f.message, f.quote));
        }
    }

    let claims: usize = docs.values().map(|e| e.claims.len()).sum();
    let verdicts = |v: Verdict| docs.values().flat_map(|e| &e.claims).filter(|c| c.verdict == v).count();
    println!(
        "realtexts: {} documents, {} claims ({} consistent, {} inconsistent, {} unverifiable)",
        docs.len(),
        claims,
        verdicts(Verdict::Consistent),
        verdicts(Verdict::Inconsistent),
        verdicts(Verdict::Unverifiable)
    );
    for s in [&fractions, &explicit, &implicit, &ranks, &negative, &caught, &clean] {
        s.print();
    }
    assert!(fractions.rate() >= 0.98, "fraction recall {:.3}", fractions.rate());
    assert!(explicit.rate() >= 0.95, "explicit pairing {:.3}", explicit.rate());
    assert!(implicit.rate() >= 0.90, "implicit claims {:.3}", implicit.rate());
    assert!(1.0 - negative.rate() <= 0.01, "negatives read as fractions {:.3}", 1.0 - negative.rate());
    assert_eq!(caught.hit, caught.total, "every known inconsistency found");
    assert_eq!(clean.hit, clean.total, "no error finding away from a known inconsistency");
    assert_eq!(ranks.hit, ranks.total, "ranks");
}
