//! percent_bounds: a share above 100 % ("đạt 104% hồ sơ đúng hạn").
//! count_bounds: done greater than total in a fraction ("45/44"). The other
//! half of count_bounds (on-time + overdue ≠ resolved) is found with the
//! breakdowns in parts.rs.

use super::{contains_ci, end_of, vn_auto, CountBoundsCfg, Doc, Draft, PercentBoundsCfg};
use crate::model::{Cell, Claim, ClaimKind, Figure, Finding, Kind, Rule};

pub const PERCENT_RULE: Rule = Rule::PercentBounds;
pub const COUNT_RULE: Rule = Rule::CountBounds;

/// Bytes of context before/after a percent searched for exempting words.
const CONTEXT_BEFORE: usize = 80;
const CONTEXT_AFTER: usize = 40;

pub(crate) fn check_percents(doc: &Doc, cfg: &PercentBoundsCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in doc.figures.iter().filter(|f| f.kind == Kind::Percent) {
        let Some(v) = f.value else { continue };
        if v > cfg.max && f.qualifier.is_none() && !exempt(cfg, &context(f)) {
            out.push(percent_draft(cfg, v, f.raw.trim(), f.raw.trim().to_string()).at_figure(doc, f));
        }
    }
    for c in doc.cells.iter().filter(|c| is_percent_cell(c)) {
        let Some(v) = c.value else { continue };
        let label = c.label.as_deref().unwrap_or("");
        if v > cfg.max && c.qualifier.is_none() && !exempt(cfg, label) && !exempt(cfg, &c.column) {
            out.push(percent_draft(cfg, v, c.raw.trim(), c.raw.trim().to_string()).at_cell(&doc.row.doc_id, c));
        }
    }
    out
}

fn percent_draft(cfg: &PercentBoundsCfg, v: f64, raw: &str, quote: String) -> Draft {
    Draft {
        rule: PERCENT_RULE,
        severity: cfg.severity,
        message: format!("Tỷ lệ {raw} vượt quá {}%.", vn_auto(cfg.max)),
        expected: Some(format!("≤ {}%", vn_auto(cfg.max))),
        reported: Some(format!("{}%", vn_auto(v))),
        quote,
    }
}

pub(crate) fn is_percent_cell(c: &Cell) -> bool {
    c.kind == Some(Kind::Percent) || (c.unit.as_deref() == Some("%") && c.kind.is_none_or(|k| k == Kind::Count))
}

/// The words around a percent in its sentence.
fn context(f: &Figure) -> String {
    let s = &f.sentence;
    let at = usize::try_from(f.offset).unwrap_or(0).min(s.len());
    let mut from = at.saturating_sub(CONTEXT_BEFORE);
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end_of(f) + CONTEXT_AFTER).min(s.len());
    while !s.is_char_boundary(to) {
        to += 1;
    }
    s.get(from..to).unwrap_or("").to_string()
}

fn exempt(cfg: &PercentBoundsCfg, text: &str) -> bool {
    cfg.exempt_words.iter().any(|w| contains_ci(text, w))
}

pub(crate) fn check_counts(doc: &Doc, cfg: &CountBoundsCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    let claims = doc.claims_by_figure();
    for f in doc.figures.iter().filter(|f| f.kind == Kind::Fraction) {
        let (Some(n), Some(d)) = (f.numerator, f.denominator) else { continue };
        if n > d && !looks_like_day_month(&f.raw, n, d) && !plan_execution(claims.get(f.figure_id.as_str()).map_or(&[][..], Vec::as_slice), cfg, f) {
            out.push(count_draft(cfg, n, d, f.raw.trim()).at_figure(doc, f));
        }
    }
    for c in &doc.cells {
        let (Some(n), Some(d)) = (c.numerator, c.denominator) else { continue };
        if n > d && !looks_like_day_month(&c.raw, n, d) {
            out.push(count_draft(cfg, n, d, c.raw.trim()).at_cell(&doc.row.doc_id, c));
        }
    }
    out
}

/// "12.375,3/10.200 triệu đồng, vượt 21,3% kế hoạch": a result over its plan
/// or budget may exceed it (a growth claim, a percent above 100, or an
/// exempt word after the fraction in its clause).
fn plan_execution(claims: &[&Claim], cfg: &CountBoundsCfg, f: &Figure) -> bool {
    let growth = claims
        .iter()
        .any(|c| c.part_figure_id.as_deref() == Some(f.figure_id.as_str()) && (c.kind == ClaimKind::Growth || c.stated_percent.is_some_and(|p| p > 100.0)));
    let end = super::end_of(f);
    let after = f.sentence.get(end.min(f.sentence.len())..).unwrap_or("");
    let clause: String = after.chars().take(80).collect();
    let clause = clause.split(';').next().unwrap_or("");
    growth || cfg.exempt_words.iter().any(|w| super::contains_ci(clause, w))
}

fn count_draft(cfg: &CountBoundsCfg, n: f64, d: f64, raw: &str) -> Draft {
    Draft {
        rule: COUNT_RULE,
        severity: cfg.severity,
        message: format!("Số đạt/hoàn thành {} lớn hơn tổng số {} ({}).", vn_auto(n), vn_auto(d), raw),
        expected: Some(format!("≤ {}", vn_auto(d))),
        reported: Some(vn_auto(n)),
        quote: raw.to_string(),
    }
}

/// "31/3" (a day and month the figure grammar read as a fraction): two bare
/// small numbers, no unit.
fn looks_like_day_month(raw: &str, n: f64, d: f64) -> bool {
    let bare = raw.trim().trim_end_matches([')', '.', ',']).chars().all(|c| c.is_ascii_digit() || c == '/');
    bare && (1.0..=31.0).contains(&n) && (1.0..=12.0).contains(&d)
}
