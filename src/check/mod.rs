//! Consistency checker: "do the report's numbers hold together?"
//!
//! Each rule family lives in its own file and returns [`Finding`]s without
//! ids; [`check_dataset`] orders them per document and numbers them
//! (`finding_id` = first 12 characters of the doc id + ":k" + n).
//!
//! | rule              | file            | what it finds                                        |
//! |-------------------|-----------------|------------------------------------------------------|
//! | ratio_percent     | ratio.rs        | stated percent ≠ fraction (rounded or truncated)     |
//! | parts_total       | parts.rs        | parts after "trong đó"/"gồm"/"(" ≠ the total         |
//! | percent_bounds    | bounds.rs       | a share above 100 %                                  |
//! | count_bounds      | bounds.rs/parts | done > total; on-time + overdue ≠ resolved           |
//! | prose_vs_table    | prose_table.rs  | prose and appendix disagree (numbers, references)    |
//! | table_series      | series.rs       | part > total per year, rate ≠ counts, repeated values |
//! | target_vs_result  | targets.rs      | a plan's target missed by the report (cross-document)|

pub mod bounds;
pub mod parts;
pub mod prose_table;
pub mod ratio;
pub mod report;
pub mod series;
pub mod targets;

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

use crate::model::{Cell, Claim, Dataset, DocumentRow, Figure, Finding, Rule, Section, Severity};

// ---------------------------------------------------------------- config

const CHECK_TOML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/check.toml"));

/// Rule switches, severities, thresholds and vocabulary (schemas/check.toml).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    pub ratio_percent: RatioCfg,
    pub parts_total: PartsCfg,
    pub percent_bounds: PercentBoundsCfg,
    pub count_bounds: CountBoundsCfg,
    pub prose_vs_table: ProseTableCfg,
    pub table_series: SeriesCfg,
    pub target_vs_result: TargetsCfg,
    pub ocr_doubt: OcrDoubtCfg,
}

/// Findings that rest on figures or cells read by OCR with low confidence.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OcrDoubtCfg {
    pub enabled: bool,
    /// Below this confidence (0–1) an OCR reading can be a misread digit.
    pub min_confidence: f64,
    /// What an `error` finding on such a reading becomes.
    pub severity: Severity,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioCfg {
    pub enabled: bool,
    pub severity: Severity,
    pub minor_diff: f64,
    pub minor_severity: Severity,
    pub implied: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartsCfg {
    pub enabled: bool,
    pub severity: Severity,
    pub partial_severity: Severity,
    pub markers: Vec<String>,
    pub exhaustive_markers: Vec<String>,
    pub marker_gap: usize,
    pub parenthesis: bool,
    pub min_parts: usize,
    pub category_sets: Vec<Vec<Vec<String>>>,
    pub whole_words: Vec<String>,
    pub remainder_words: Vec<String>,
    pub negation_words: Vec<String>,
    pub list_words: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentBoundsCfg {
    pub enabled: bool,
    pub severity: Severity,
    pub max: f64,
    pub exempt_words: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountBoundsCfg {
    pub enabled: bool,
    pub severity: Severity,
    pub deadline_words: Vec<String>,
    pub on_time_words: Vec<String>,
    pub late_words: Vec<String>,
    pub exempt_words: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProseTableCfg {
    pub enabled: bool,
    pub severity: Severity,
    pub references: bool,
    pub appendix_words: Vec<String>,
    pub min_overlap: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesCfg {
    pub enabled: bool,
    pub severity: Severity,
    pub repeat_severity: Severity,
    pub repeat_min_digits: usize,
    pub total_words: Vec<String>,
    pub part_words: Vec<String>,
    pub rate_words: Vec<String>,
    pub rate_tolerance: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsCfg {
    pub enabled: bool,
    pub severity: Severity,
    pub min_overlap: f64,
    pub plan_types: Vec<String>,
    pub target_columns: Vec<String>,
}

impl CheckConfig {
    /// The defaults compiled in from schemas/check.toml.
    pub fn builtin() -> CheckConfig {
        // The compiled-in file is pinned by a unit test; fall back to a
        // field-by-field parse error message only if it is ever broken.
        toml::from_str(CHECK_TOML).unwrap_or_else(|e| panic!("schemas/check.toml is invalid: {e}"))
    }

    /// The defaults overridden by the keys present in `path`.
    pub fn from_file(path: &Path) -> anyhow::Result<CheckConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        Self::from_toml_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// The defaults overridden by the keys present in `text` (TOML). An
    /// unknown rule or key, an unknown severity, a negative, out-of-range or
    /// non-finite threshold and an empty word list are errors naming the key.
    pub fn from_toml_str(text: &str) -> anyhow::Result<CheckConfig> {
        let mut base: toml::Value = toml::from_str(CHECK_TOML)?;
        let over: toml::Value = toml::from_str(text)?;
        unknown_keys(&base, &over, "")?;
        merge(&mut base, over);
        validate(&base, "")?;
        Ok(base.try_into()?)
    }
}

/// Severities a rule may report with.
pub const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// Keys of `over` that the built-in configuration does not have.
fn unknown_keys(base: &toml::Value, over: &toml::Value, at: &str) -> anyhow::Result<()> {
    if let (toml::Value::Table(b), toml::Value::Table(o)) = (base, over) {
        for (k, v) in o {
            let key = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
            match b.get(k) {
                None if at.is_empty() => anyhow::bail!("unknown rule [{key}] (rules: {})", b.keys().cloned().collect::<Vec<_>>().join(", ")),
                None => anyhow::bail!("unknown key {key}"),
                Some(bv) => unknown_keys(bv, v, &key)?,
            }
        }
    }
    Ok(())
}

/// Checks the values of a merged configuration, generically by key shape:
/// `severity`/`*_severity` ∈ [`SEVERITIES`]; numbers finite and ≥ 0;
/// `min_overlap` in 0–1; `max` above 0; word lists non-empty without empty words.
fn validate(v: &toml::Value, at: &str) -> anyhow::Result<()> {
    let name = at.rsplit('.').next().unwrap_or(at);
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                validate(x, &if at.is_empty() { k.clone() } else { format!("{at}.{k}") })?;
            }
        }
        toml::Value::String(s) if (name == "severity" || name.ends_with("_severity")) && !SEVERITIES.contains(&s.as_str()) => {
            anyhow::bail!("{at} = {s:?}: unknown severity (one of {})", SEVERITIES.join(", "));
        }
        toml::Value::Float(f) => {
            if !f.is_finite() {
                anyhow::bail!("{at} = {f}: must be a finite number");
            }
            if *f < 0.0 {
                anyhow::bail!("{at} = {f}: must not be negative");
            }
            if name.starts_with("min_overlap") && *f > 1.0 {
                anyhow::bail!("{at} = {f}: must be between 0 and 1");
            }
            if name == "max" && *f <= 0.0 {
                anyhow::bail!("{at} = {f}: must be above 0");
            }
        }
        toml::Value::Integer(i) if *i < 0 => anyhow::bail!("{at} = {i}: must not be negative"),
        toml::Value::Array(a) => {
            if a.is_empty() {
                anyhow::bail!("{at} = []: the list must not be empty (disable the rule with enabled = false instead)");
            }
            if a.iter().any(|w| w.as_str().is_some_and(|w| w.trim().is_empty())) {
                anyhow::bail!("{at}: the list holds an empty word");
            }
        }
        _ => {}
    }
    Ok(())
}

fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

// ------------------------------------------------------------ entry point

/// Everything the per-document rules see of one document.
pub struct Doc<'a> {
    pub row: &'a DocumentRow,
    /// Figures in reading order.
    pub figures: Vec<&'a Figure>,
    pub sections: Vec<&'a Section>,
    pub cells: Vec<&'a Cell>,
    /// Claims in reading order (claims.parquet).
    pub claims: Vec<&'a Claim>,
    section_numbers: HashMap<&'a str, &'a str>,
    figure_ids: HashMap<&'a str, &'a Figure>,
    /// The rows of every table ([`series::tables`]), built on first use and
    /// shared by the rules that read them.
    series_tables: std::cell::OnceCell<Vec<Vec<series::Row<'a>>>>,
}

impl<'a> Doc<'a> {
    pub fn new(row: &'a DocumentRow, ds: &'a Dataset) -> Doc<'a> {
        let id = row.doc_id.as_str();
        let figures: Vec<&Figure> = ds.figures.iter().filter(|f| f.doc_id == id).collect();
        let sections: Vec<&Section> = ds.sections.iter().filter(|s| s.doc_id == id).collect();
        let cells: Vec<&Cell> = ds.cells.iter().filter(|c| c.doc_id == id).collect();
        let claims: Vec<&Claim> = ds.claims.iter().filter(|c| c.doc_id == id).collect();
        Doc::from_parts(row, figures, sections, cells, claims)
    }

    /// A document from rows already grouped by doc_id.
    pub fn from_parts(row: &'a DocumentRow, mut figures: Vec<&'a Figure>, sections: Vec<&'a Section>, cells: Vec<&'a Cell>, claims: Vec<&'a Claim>) -> Doc<'a> {
        // The figure id is parsed once per figure, not once per comparison.
        figures.sort_by_cached_key(|f| (f.line, figure_seq(f)));
        let section_numbers = sections.iter().map(|s| (s.section_id.as_str(), s.number.as_str())).collect();
        let figure_ids = figures.iter().map(|f| (f.figure_id.as_str(), *f)).collect();
        Doc { row, figures, sections, cells, claims, section_numbers, figure_ids, series_tables: std::cell::OnceCell::new() }
    }

    /// The rows of every table of the document ([`series::tables`]).
    pub(crate) fn series_tables(&self) -> &[Vec<series::Row<'a>>] {
        self.series_tables.get_or_init(|| series::tables(self))
    }

    /// The figure with this id.
    pub fn figure(&self, id: &str) -> Option<&'a Figure> {
        self.figure_ids.get(id).copied()
    }

    /// Claims by the figure id of their part or stated percent.
    pub fn claims_by_figure(&self) -> HashMap<&'a str, Vec<&'a Claim>> {
        let mut m: HashMap<&str, Vec<&Claim>> = HashMap::new();
        for c in &self.claims {
            for id in [c.part_figure_id.as_deref(), c.stated_figure_id.as_deref()].into_iter().flatten() {
                m.entry(id).or_default().push(c);
            }
        }
        m
    }

    /// Section number of a figure ("II.1" style numbers as parsed: "1", "a").
    pub fn location_of(&self, f: &Figure) -> Option<String> {
        let id = f.section_id.as_deref()?;
        self.section_numbers.get(id).map(|n| n.to_string())
    }

    /// Figures grouped by sentence (consecutive figures sharing a sentence),
    /// each group in offset order.
    pub fn sentence_groups(&self) -> Vec<Vec<&'a Figure>> {
        let mut groups: Vec<Vec<&Figure>> = Vec::new();
        for f in &self.figures {
            match groups.last_mut() {
                Some(g) if g.last().is_some_and(|p| p.sentence == f.sentence && p.section_id == f.section_id && p.offset <= f.offset) => g.push(f),
                _ => groups.push(vec![f]),
            }
        }
        groups
    }
}

/// Running number of a figure id ("…:f12" → 12) to keep source order.
fn figure_seq(f: &Figure) -> u64 {
    f.figure_id.rsplit(":f").next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// The per-document rules on one document's rows, numbered (used by the
/// pipeline inside each worker).
pub(crate) fn check_single(ds: &Dataset, cfg: &CheckConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in &ds.documents {
        let doc = Doc::new(row, ds);
        let mut found = check_document(&doc, cfg);
        if cfg.ocr_doubt.enabled {
            doubt_ocr_readings(&doc, &cfg.ocr_doubt, &mut found);
        }
        number(&row.doc_id, &mut found);
        out.extend(found);
    }
    out
}

/// target_vs_result alone, numbered after the `existing` findings each
/// document already has.
pub(crate) fn check_cross(ds: &Dataset, cfg: &CheckConfig, existing: &std::collections::HashMap<String, usize>) -> Vec<Finding> {
    let mut found = targets::check(ds, &cfg.target_vs_result);
    found.sort_by(|a, b| (&a.doc_id, a.line).cmp(&(&b.doc_id, b.line)));
    let mut next: std::collections::HashMap<String, usize> = existing.clone();
    for f in &mut found {
        let n = next.entry(f.doc_id.clone()).or_insert(0);
        *n += 1;
        f.finding_id = format!("{}:k{}", &f.doc_id[..doc_short_len(&f.doc_id)], n);
    }
    found
}

/// The rows of each document (figures, sections, cells, claims).
pub(crate) type DocRows<'a> = (Vec<&'a Figure>, Vec<&'a Section>, Vec<&'a Cell>, Vec<&'a Claim>);

/// Rows grouped by document once (linear, not documents × rows).
pub(crate) fn rows_by_doc(ds: &Dataset) -> HashMap<&str, DocRows<'_>> {
    let mut parts: HashMap<&str, DocRows<'_>> = HashMap::new();
    for f in &ds.figures {
        parts.entry(f.doc_id.as_str()).or_default().0.push(f);
    }
    for s in &ds.sections {
        parts.entry(s.doc_id.as_str()).or_default().1.push(s);
    }
    for c in &ds.cells {
        parts.entry(c.doc_id.as_str()).or_default().2.push(c);
    }
    for c in &ds.claims {
        parts.entry(c.doc_id.as_str()).or_default().3.push(c);
    }
    parts
}

/// Runs every enabled rule over the dataset; findings are ordered by
/// document, then line, and numbered per document.
pub fn check_dataset(ds: &Dataset, cfg: &CheckConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    let parts = rows_by_doc(ds);
    let cross = targets::check_indexed(ds, &cfg.target_vs_result, &parts);
    for row in &ds.documents {
        let (figures, sections, cells, claims) = parts.get(row.doc_id.as_str()).cloned().unwrap_or_default();
        let doc = Doc::from_parts(row, figures, sections, cells, claims);
        let mut found = check_document(&doc, cfg);
        found.extend(cross.iter().filter(|f| f.doc_id == row.doc_id).cloned());
        number(&row.doc_id, &mut found);
        out.extend(found);
    }
    out
}

/// The per-document rules (everything but target_vs_result).
pub(crate) fn check_document(doc: &Doc, cfg: &CheckConfig) -> Vec<Finding> {
    let mut v = Vec::new();
    if cfg.ratio_percent.enabled {
        v.extend(ratio::check(doc, &cfg.ratio_percent));
    }
    if cfg.parts_total.enabled || cfg.count_bounds.enabled {
        v.extend(parts::check(doc, &cfg.parts_total, &cfg.count_bounds));
    }
    if cfg.percent_bounds.enabled {
        v.extend(bounds::check_percents(doc, &cfg.percent_bounds));
    }
    if cfg.count_bounds.enabled {
        v.extend(bounds::check_counts(doc, &cfg.count_bounds));
    }
    if cfg.prose_vs_table.enabled {
        v.extend(prose_table::check(doc, &cfg.prose_vs_table, &cfg.table_series));
    }
    if cfg.table_series.enabled {
        v.extend(series::check(doc, &cfg.table_series));
    }
    v
}

/// Lowers `error` findings whose line holds a figure or a cell that OCR
/// read with less than `min_confidence`: "976/577" from a "576/577" under a
/// signature cannot be told from a real slip of the author, so it is not
/// an accusation.
fn doubt_ocr_readings(doc: &Doc, cfg: &OcrDoubtCfg, found: &mut [Finding]) {
    for f in found.iter_mut().filter(|f| f.severity == Severity::Error) {
        let Some(line) = f.line else { continue };
        let figures = doc.figures.iter().filter(|x| x.line == line).filter_map(|x| x.confidence);
        let cells = doc.cells.iter().filter(|c| c.line == line).filter_map(|c| c.confidence);
        let Some(low) = figures.chain(cells).reduce(f64::min) else { continue };
        if low < cfg.min_confidence {
            f.severity = cfg.severity;
            f.message = format!("{} (số đọc bằng OCR, độ tin cậy {}: cần đối chiếu bản quét)", f.message, crate::util::vn_num(low, 2));
        }
    }
}

fn number(doc_id: &str, found: &mut [Finding]) {
    found.sort_by(|a, b| (a.line.unwrap_or(i32::MAX), a.rule.as_str(), &a.quote).cmp(&(b.line.unwrap_or(i32::MAX), b.rule.as_str(), &b.quote)));
    let short = &doc_id[..doc_short_len(doc_id)];
    for (n, f) in found.iter_mut().enumerate() {
        f.finding_id = format!("{short}:k{}", n + 1);
    }
}

fn doc_short_len(doc_id: &str) -> usize {
    let mut n = 12.min(doc_id.len());
    while !doc_id.is_char_boundary(n) {
        n -= 1;
    }
    n
}

// ------------------------------------------------------------ helpers

/// A finding of `doc` before numbering.
pub struct Draft {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub expected: Option<String>,
    pub reported: Option<String>,
    pub quote: String,
}

impl Draft {
    /// Located at a prose figure.
    pub fn at_figure(self, doc: &Doc, f: &Figure) -> Finding {
        Finding {
            doc_id: doc.row.doc_id.clone(),
            finding_id: String::new(),
            rule: self.rule,
            severity: self.severity,
            page: f.page,
            line: Some(f.line),
            location: doc.location_of(f),
            message: self.message,
            expected: self.expected,
            reported: self.reported,
            quote: self.quote,
            figure_id: Some(f.figure_id.clone()),
            related_doc_id: None,
        }
    }

    /// Located at a table cell.
    pub fn at_cell(self, doc_id: &str, c: &Cell) -> Finding {
        Finding {
            doc_id: doc_id.to_string(),
            finding_id: String::new(),
            rule: self.rule,
            severity: self.severity,
            page: c.page,
            line: Some(c.line),
            location: Some(cell_location(c)),
            message: self.message,
            expected: self.expected,
            reported: self.reported,
            quote: self.quote,
            figure_id: None,
            related_doc_id: None,
        }
    }
}

/// "t2 / 6.3.1 / Năm 2022" style locator of a cell.
pub fn cell_location(c: &Cell) -> String {
    crate::util::cell_location(c)
}

/// The text of a figure's sentence from the figure up to `end` (byte offset
/// in the sentence), clamped to char boundaries.
pub(crate) fn span(f: &Figure, end: usize) -> String {
    let s = &f.sentence;
    let start = usize::try_from(f.offset).unwrap_or(0).min(s.len());
    let end = end.clamp(start, s.len());
    match s.get(start..end) {
        Some(t) => t.trim().to_string(),
        None => f.raw.clone(),
    }
}

/// Byte offset of the end of a figure's raw text in its sentence.
pub(crate) fn end_of(f: &Figure) -> usize {
    usize::try_from(f.offset).unwrap_or(0) + f.raw.len()
}

pub use crate::claims::arith::{decimals_of_value, decimals_written, percent_matches};
pub use crate::util::{vn_auto, vn_num};

/// Words of a label or subject, lowercased, without punctuation.
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Share of the shorter side's words found in the other (0–1).
pub(crate) fn overlap(a: &str, b: &str) -> f64 {
    let (wa, wb) = (words(a), words(b));
    let (short, long) = if wa.len() <= wb.len() { (wa, wb) } else { (wb, wa) };
    if short.is_empty() {
        return 0.0;
    }
    let hit = short.iter().filter(|w| long.contains(w)).count();
    hit as f64 / short.len() as f64
}

/// The distinct [`words`] of `s`, sorted: the form [`dice`] compares (a
/// text compared with many others is split once).
pub(crate) fn word_set(s: &str) -> Vec<String> {
    let mut w = words(s);
    w.sort();
    w.dedup();
    w
}

/// Dice similarity of two word sets ([`word_set`]; 0–1): unlike
/// [`overlap`], a short subject does not fully match every long label that
/// contains its words.
pub(crate) fn dice(wa: &[String], wb: &[String]) -> f64 {
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let hit = wa.iter().filter(|w| wb.binary_search(w).is_ok()).count();
    2.0 * hit as f64 / (wa.len() + wb.len()) as f64
}

/// Case-insensitive "contains" for Vietnamese words.
pub(crate) fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_config_parses_and_overrides_merge() {
        let c = CheckConfig::builtin();
        assert!(c.ratio_percent.enabled);
        assert_eq!(c.parts_total.severity, Severity::Error);
        let o = CheckConfig::from_toml_str("[ratio_percent]\nenabled = false\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(!o.ratio_percent.enabled);
        assert_eq!(o.ratio_percent.minor_diff, c.ratio_percent.minor_diff);
        assert!(CheckConfig::from_toml_str("[ratio_percent]\nbogus = 1\n").is_err());
    }

    #[test]
    fn invalid_configs_are_refused_with_the_key() {
        for (text, key) in [
            ("[ratio_percent]\nseverity = \"eror\"\n", "ratio_percent.severity"),
            ("[ratio_percent]\nminor_severity = \"fatal\"\n", "ratio_percent.minor_severity"),
            ("[ratio_percent]\nminor_diff = -0.1\n", "ratio_percent.minor_diff"),
            ("[ratio_percent]\nminor_diff = nan\n", "ratio_percent.minor_diff"),
            ("[percent_bounds]\nmax = inf\n", "percent_bounds.max"),
            ("[prose_vs_table]\nmin_overlap = 1.5\n", "prose_vs_table.min_overlap"),
            ("[parts_total]\nmarkers = []\n", "parts_total.markers"),
            ("[parts_total]\nmarkers = [\"\"]\n", "parts_total.markers"),
            ("[parts_total]\nmin_parts = -1\n", "parts_total.min_parts"),
            ("[no_such_rule]\nenabled = true\n", "no_such_rule"),
            ("[table_series]\nbogus = 1\n", "table_series.bogus"),
        ] {
            match CheckConfig::from_toml_str(text) {
                Ok(_) => panic!("accepted: {text}"),
                Err(e) => assert!(e.to_string().contains(key), "{text}: {e}"),
            }
        }
    }

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(vn_num(91.6666, 2), "91,67");
        assert_eq!(vn_num(3511.0, 0), "3.511");
        assert_eq!(vn_num(348544.0, 0), "348.544");
        assert_eq!(vn_auto(2452.0), "2.452");
        assert_eq!(vn_auto(8.3), "8,3");
        assert_eq!(vn_num(100.0, 0), "100");
    }

    #[test]
    fn rounding_or_truncation_accepted() {
        assert!(percent_matches(576.0 / 577.0 * 100.0, 99.82, 2));
        assert!(percent_matches(576.0 / 577.0 * 100.0, 99.83, 2));
        assert!(percent_matches(843.0 / 847.0 * 100.0, 99.52, 2));
        assert!(percent_matches(100.0 / 12.0, 8.3, 1));
        assert!(!percent_matches(1100.0 / 12.0, 91.17, 2));
        assert!(!percent_matches(288.0 / 4530.0 * 100.0, 67.42, 2));
        assert!(percent_matches(12155.0 / 12405.0 * 100.0, 98.0, 0));
        assert_eq!(decimals_written("91,17%"), 2);
        assert_eq!(decimals_written("98%"), 0);
        assert_eq!(decimals_written("8,3 %"), 1);
    }

    #[test]
    fn word_overlap() {
        assert!(overlap("Tỷ lệ hồ sơ trực tuyến", "tỷ lệ hồ sơ trực tuyến toàn trình") > 0.99);
        assert!(overlap("Tỷ lệ hồ sơ trực tuyến", "số cán bộ") < 0.1);
    }
}
