//! target_vs_result: a plan or decision carrying targets (002 Phụ lục
//! "Chỉ tiêu năm 2025": "Tối thiểu 60") and a report of the same unit and
//! period in the same run. Each target row is matched to the report's
//! percent figures (or table cells) by words; a result below the target (or
//! above a "tối đa" target) is an info finding on the report, linked to the
//! plan through `related_doc_id`.

use super::{overlap, vn_auto, Doc, Draft, TargetsCfg};
use crate::model::{Cell, Dataset, DocumentRow, Figure, Finding, Kind, Rule};

pub const RULE: Rule = Rule::TargetVsResult;

/// Shortest label side (words) for a word match to count.
const MIN_MATCH_WORDS: usize = 4;

/// Documents that take part in a plan/report pair (the only ones the
/// cross-document rule needs to see in full).
pub(crate) fn paired_documents<'a>(docs: &'a [DocumentRow], cfg: &TargetsCfg) -> Vec<&'a DocumentRow> {
    if !cfg.enabled {
        return Vec::new();
    }
    // Group by (unit, year) once: linear in the number of documents.
    let mut groups: std::collections::HashMap<(String, i32), Vec<&DocumentRow>> = std::collections::HashMap::new();
    for d in docs {
        if let (Some(u), Some(y)) = (d.meta.unit_name.as_deref(), d.meta.period_year) {
            groups.entry((u.to_lowercase(), y)).or_default().push(d);
        }
    }
    groups.into_values().filter(|g| g.iter().any(|d| is_plan(cfg, d)) && g.iter().any(|d| !is_plan(cfg, d))).flatten().collect()
}

/// Plans against the reports of the same unit and year. Linear in the rows:
/// documents are grouped by (unit, year) and their rows indexed once; each
/// report's view is built once; plans whose target rows are identical (the
/// same plan filed twice) are compared once, with the first as the related
/// document.
pub fn check(ds: &Dataset, cfg: &TargetsCfg) -> Vec<Finding> {
    if !cfg.enabled {
        return Vec::new();
    }
    check_indexed(ds, cfg, &super::rows_by_doc(ds))
}

/// [`check`] with the rows already grouped by document.
pub(crate) fn check_indexed(ds: &Dataset, cfg: &TargetsCfg, rows: &std::collections::HashMap<&str, super::DocRows<'_>>) -> Vec<Finding> {
    if !cfg.enabled {
        return Vec::new();
    }
    let mut groups: std::collections::BTreeMap<(String, i32), Vec<&DocumentRow>> = std::collections::BTreeMap::new();
    for d in &ds.documents {
        if let (Some(u), Some(y)) = (d.meta.unit_name.as_deref(), d.meta.period_year) {
            groups.entry((u.to_lowercase(), y)).or_default().push(d);
        }
    }
    let mut out = Vec::new();
    for docs in groups.values() {
        // Distinct target sets of the group's plans, in document order.
        let mut plans: Vec<(&DocumentRow, Vec<&Cell>)> = Vec::new();
        for plan in docs.iter().copied().filter(|d| is_plan(cfg, d)) {
            let own = rows.get(plan.doc_id.as_str()).map_or(&[][..], |r| r.2.as_slice());
            let t = targets(own, cfg);
            let same = |u: &Vec<&Cell>| {
                u.len() == t.len()
                    && u.iter().zip(&t).all(|(a, b)| (&a.label, &a.column, a.value, &a.qualifier) == (&b.label, &b.column, b.value, &b.qualifier))
            };
            if !t.is_empty() && !plans.iter().any(|(_, u)| same(u)) {
                plans.push((plan, t));
            }
        }
        if plans.is_empty() {
            continue;
        }
        for report in docs.iter().copied().filter(|d| !is_plan(cfg, d)) {
            let (figures, sections, cells, claims) = rows.get(report.doc_id.as_str()).cloned().unwrap_or_default();
            let doc = Doc::from_parts(report, figures, sections, cells, claims);
            for (plan, t) in &plans {
                out.extend(compare(&doc, cfg, plan, report, t));
            }
        }
    }
    out
}

pub(crate) fn is_plan(cfg: &TargetsCfg, d: &DocumentRow) -> bool {
    d.meta.doc_type.as_deref().is_some_and(|t| cfg.plan_types.iter().any(|p| p.eq_ignore_ascii_case(t) || t.to_lowercase() == p.to_lowercase()))
}

/// Target cells of a plan (its own cells): a target column with a value.
fn targets<'a>(cells: &[&'a Cell], cfg: &TargetsCfg) -> Vec<&'a Cell> {
    cells
        .iter()
        .copied()
        .filter(|c| c.value.is_some() && c.label.is_some())
        .filter(|c| cfg.target_columns.iter().any(|w| c.column.to_lowercase().starts_with(&w.to_lowercase())))
        .collect()
}

/// A result: the report's value for a label, as a percent when possible.
struct Result<'a> {
    value: f64,
    figure: Option<&'a Figure>,
    cell: Option<&'a Cell>,
    raw: String,
}

fn compare(doc: &Doc, cfg: &TargetsCfg, plan: &DocumentRow, report: &DocumentRow, targets: &[&Cell]) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in targets.iter().copied() {
        let (Some(target), Some(label)) = (t.value, t.label.as_deref()) else { continue };
        let Some(r) = best_result(doc, cfg, label) else { continue };
        if !missed(target, t.qualifier.as_deref(), r.value) {
            continue;
        }
        let draft = Draft {
            rule: RULE,
            severity: cfg.severity,
            message: format!("Chỉ tiêu \"{}\" là {} nhưng kết quả báo cáo là {}.", label.trim().trim_end_matches('.'), t.raw.trim(), r.raw),
            expected: Some(t.raw.trim().to_string()),
            reported: Some(vn_auto(r.value)),
            quote: r.raw.clone(),
        };
        let mut f = match (r.figure, r.cell) {
            (Some(fig), _) => draft.at_figure(doc, fig),
            (None, Some(c)) => draft.at_cell(&report.doc_id, c),
            (None, None) => continue,
        };
        f.related_doc_id = Some(plan.doc_id.clone());
        out.push(f);
    }
    out
}

fn missed(target: f64, qualifier: Option<&str>, result: f64) -> bool {
    match qualifier {
        Some("<") => result >= target,
        Some("<=") => result > target,
        Some(">") => result <= target,
        _ => result < target - 1e-9,
    }
}

/// The report's percent figure or percent cell whose subject/label best
/// matches the target label (at least `min_overlap`).
fn best_result<'a>(doc: &Doc<'a>, cfg: &TargetsCfg, label: &str) -> Option<Result<'a>> {
    let mut best: Option<(f64, Result)> = None;
    for f in doc.figures.iter().filter(|f| f.kind == Kind::Percent || f.stated_percent.is_some()) {
        let Some(subject) = f.subject.as_deref() else { continue };
        let score = score(label, subject);
        let value = if f.kind == Kind::Percent { f.value } else { f.stated_percent };
        if let (true, Some(v)) = (score >= cfg.min_overlap, value) {
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, Result { value: v, figure: Some(f), cell: None, raw: f.raw.trim().to_string() }));
            }
        }
    }
    for c in doc.cells.iter().filter(|c| super::bounds::is_percent_cell(c)) {
        let (Some(l), Some(v)) = (c.label.as_deref(), c.value) else { continue };
        let score = score(label, l);
        if score >= cfg.min_overlap && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, Result { value: v, figure: None, cell: Some(c), raw: c.raw.trim().to_string() }));
        }
    }
    best.map(|(_, r)| r)
}

fn score(a: &str, b: &str) -> f64 {
    let shorter = super::words(a).len().min(super::words(b).len());
    if shorter < MIN_MATCH_WORDS {
        return 0.0;
    }
    overlap(a, b)
}
