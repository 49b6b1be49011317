//! ratio_percent: a stated percent that the figures it is about cannot give.
//! Reads the claims stage (`claims.parquet`): an `inconsistent` claim is a
//! finding — explicit ("Đại học: 11/12 người, tỷ lệ: 91,17%") or implicit
//! ("… là 4.530 hồ sơ, số hồ sơ tái sử dụng … là 288 hồ sơ, đạt tỷ lệ
//! 67,42%"; "là 40 hồ sơ, chiếm tỷ lệ 79,37% trong tổng số … (58 hồ sơ)").
//! The claims stage already tried every reading the paragraph allows
//! (other bases, rounding or truncation, growth, thresholds, approximate
//! figures) and marks a claim inconsistent only when none fits and the
//! pairing is confident. Also table rows holding a fraction cell and a
//! percent cell ("576/577 · 99,82").

use super::{decimals_of_value, decimals_written, percent_matches, vn_auto, vn_num, Doc, Draft, RatioCfg};
use crate::model::{Cell, Claim, ClaimForm, ClaimKind, Finding, Rule, Verdict};

pub const RULE: Rule = Rule::RatioPercent;

pub fn check(doc: &Doc, cfg: &RatioCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in doc.claims.iter().filter(|c| c.verdict == Verdict::Inconsistent) {
        if c.form == ClaimForm::Implicit && !cfg.implied {
            continue;
        }
        if let Some(f) = claim_finding(doc, cfg, c) {
            out.push(f);
        }
    }
    out.extend(check_cell_rows(doc, cfg));
    out
}

/// The finding of an inconsistent share or growth claim, anchored at the
/// fraction (explicit) or the stated percent (implicit).
fn claim_finding(doc: &Doc, cfg: &RatioCfg, c: &Claim) -> Option<Finding> {
    let growth = c.kind == ClaimKind::Growth;
    if !(growth || c.kind == ClaimKind::Share) {
        return None;
    }
    let (part, base, stated, exact) = (c.part_value?, c.base_value?, c.stated_percent?, c.computed_percent?);
    let anchor_id = if c.form == ClaimForm::Explicit { c.part_figure_id.as_deref() } else { c.stated_figure_id.as_deref() };
    let anchor = doc.figure(anchor_id?)?;
    let raw = c.stated_raw.as_deref().unwrap_or("").trim().to_string();
    let decimals = if raw.is_empty() { decimals_of_value(stated) } else { decimals_written(&raw) };
    let ratio = format!("{}/{}", vn_auto(part), vn_auto(base));
    let reported = if raw.is_empty() { format!("{}%", vn_auto(stated)) } else { raw };
    let mut draft = mismatch(cfg, exact, stated, decimals, &ratio, reported, c.quote.clone());
    if growth {
        draft.message =
            format!("Mức tăng nêu {} không khớp {} − 1 = {}.", draft.reported.as_deref().unwrap_or(""), ratio, draft.expected.as_deref().unwrap_or(""));
    }
    Some(draft.at_figure(doc, anchor))
}

/// A table row holding a fraction cell ("576/577") and a percent cell
/// ("99,82"): the same arithmetic as in prose.
fn check_cell_rows(doc: &Doc, cfg: &RatioCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    for frac in doc.cells.iter().filter(|c| c.numerator.is_some() && c.denominator.is_some()) {
        let (Some(n), Some(d)) = (frac.numerator, frac.denominator) else { continue };
        let same_row = |c: &&&Cell| c.table_id == frac.table_id && c.row == frac.row && c.numerator.is_none() && super::bounds::is_percent_cell(c);
        let Some(pct) = doc.cells.iter().find(same_row) else { continue };
        let Some(stated) = pct.value else { continue };
        if d <= 0.0 || n > d {
            continue;
        }
        let decimals = decimals_of_value(stated).max(decimals_written(&pct.raw));
        let exact = n / d * 100.0;
        if accepted(exact, stated, decimals, pct.qualifier.as_deref()) {
            continue;
        }
        let quote = format!("{} … {}", frac.raw.trim(), pct.raw.trim());
        let draft = mismatch(cfg, exact, stated, decimals, &format!("{}/{}", vn_auto(n), vn_auto(d)), pct.raw.trim().to_string(), quote);
        out.push(draft.at_cell(&doc.row.doc_id, pct));
    }
    out
}

/// Equality after rounding/truncation, or the inequality a qualifier states.
fn accepted(exact: f64, stated: f64, decimals: usize, qualifier: Option<&str>) -> bool {
    match qualifier {
        Some(">") | Some(">=") => exact >= stated - 1e-9,
        Some("<") | Some("<=") => exact <= stated + 1e-9,
        Some(_) => (exact - stated).abs() < 1.0,
        None => percent_matches(exact, stated, decimals),
    }
}

fn mismatch(cfg: &RatioCfg, exact: f64, stated: f64, decimals: usize, ratio: &str, reported: String, quote: String) -> Draft {
    let shown = decimals.max(2);
    let severity = if (exact - stated).abs() < cfg.minor_diff { cfg.minor_severity } else { cfg.severity };
    let expected = format!("{}%", vn_num(exact, shown));
    Draft {
        rule: RULE,
        severity,
        message: format!("Tỷ lệ nêu {reported} không khớp {ratio} = {expected}."),
        expected: Some(expected),
        reported: Some(reported),
        quote,
    }
}
