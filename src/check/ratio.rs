//! ratio_percent: a fraction whose stated percent does not match
//! ("Đại học: 11/12 người, tỷ lệ: 91,17%"), and the implied form
//! "A hồ sơ …, số … là B hồ sơ, đạt tỷ lệ P%" where P is neither B/A nor A/B.
//!
//! A stated percent is accepted when it equals the exact ratio rounded or
//! truncated to the decimals it shows (reports do both).

use super::{contains_ci, decimals_of_value, decimals_written, end_of, percent_matches, span, vn_auto, vn_num, Doc, Draft, RatioCfg};
use crate::model::{Cell, Figure, Finding};

pub const RULE: &str = "ratio_percent";

pub fn check(doc: &Doc, cfg: &RatioCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    for group in doc.sentence_groups() {
        for (k, f) in group.iter().enumerate() {
            if f.kind == "fraction" {
                out.extend(check_fraction(doc, cfg, &group, k));
            }
        }
        if cfg.implied {
            out.extend(check_implied(doc, cfg, &group));
        }
    }
    out.extend(check_cell_rows(doc, cfg));
    out
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

/// The percent figure a fraction's `stated_percent` came from.
fn stated_percent_figure<'a>(group: &[&'a Figure], k: usize, stated: f64) -> Option<&'a Figure> {
    group.iter().skip(k + 1).find(|g| g.kind == "percent" && g.value.is_some_and(|v| (v - stated).abs() < 1e-9)).copied()
}

fn check_fraction(doc: &Doc, cfg: &RatioCfg, group: &[&Figure], k: usize) -> Option<Finding> {
    let f = group[k];
    let (n, d, stated) = (f.numerator?, f.denominator?, f.stated_percent?);
    if d <= 0.0 || n > d {
        return None; // n > d is count_bounds' business.
    }
    let pct = stated_percent_figure(group, k, stated);
    let decimals = pct.map_or_else(|| decimals_of_value(stated), |p| decimals_written(&p.raw));
    let exact = n / d * 100.0;
    if accepted(exact, stated, decimals, pct.and_then(|p| p.qualifier.as_deref())) {
        return None;
    }
    let quote = pct.map_or_else(|| f.raw.clone(), |p| span(f, end_of(p)));
    let reported = pct.map_or_else(|| format!("{}%", vn_auto(stated)), |p| p.raw.trim().to_string());
    Some(mismatch(cfg, exact, stated, decimals, &format!("{}/{}", vn_auto(n), vn_auto(d)), reported, quote).at_figure(doc, f))
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

fn mismatch<'a>(cfg: &'a RatioCfg, exact: f64, stated: f64, decimals: usize, ratio: &str, reported: String, quote: String) -> Draft<'a> {
    let shown = decimals.max(2);
    let severity = if (exact - stated).abs() < cfg.minor_diff { cfg.minor_severity.as_str() } else { cfg.severity.as_str() };
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

/// "Số hóa … là 4.530 hồ sơ, số hồ sơ tái sử dụng … là 288 hồ sơ, đạt tỷ lệ 67,42%".
fn check_implied(doc: &Doc, cfg: &RatioCfg, group: &[&Figure]) -> Vec<Finding> {
    let mut out = Vec::new();
    for k in 2..group.len() {
        let (a, b, p) = (group[k - 2], group[k - 1], group[k]);
        if p.kind != "percent" || p.qualifier.is_some() || attached_to_fraction(group, k) {
            continue;
        }
        let (Some(av), Some(bv), Some(pv)) = (a.value, b.value, p.value) else { continue };
        if !implied_shape(cfg, a, b, p) || av <= 0.0 || bv <= 0.0 {
            continue;
        }
        let decimals = decimals_written(&p.raw);
        let candidates = [bv / av, av / bv, bv / (av + bv), av / (av + bv)];
        if candidates.iter().any(|r| percent_matches(r * 100.0, pv, decimals)) {
            continue;
        }
        let (num, den) = if bv <= av { (bv, av) } else { (av, bv) };
        let exact = num / den * 100.0;
        let quote = span(a, end_of(p));
        let draft = mismatch(cfg, exact, pv, decimals, &format!("{}/{}", vn_auto(num), vn_auto(den)), p.raw.trim().to_string(), quote);
        out.push(draft.at_figure(doc, p));
    }
    out
}

fn attached_to_fraction(group: &[&Figure], k: usize) -> bool {
    let v = group[k].value;
    group[..k].iter().any(|g| g.kind == "fraction" && g.stated_percent.is_some() && g.stated_percent == v)
}

/// Two counts of the same unit, the second introduced by "là"/":" in a new
/// clause, then a percent announced by "đạt tỷ lệ"/"chiếm" right after.
fn implied_shape(cfg: &RatioCfg, a: &Figure, b: &Figure, p: &Figure) -> bool {
    let counts = a.kind == "count" && b.kind == "count" && a.unit.is_some() && a.unit == b.unit;
    if !counts || a.qualifier.is_some() || b.qualifier.is_some() {
        return false;
    }
    let s = &a.sentence;
    let (ae, bs, be, ps) = (end_of(a), offset(b), end_of(b), offset(p));
    let (Some(ab), Some(bp)) = (s.get(ae..bs), s.get(be..ps)) else { return false };
    let no_digits = |t: &str| !t.chars().any(|c| c.is_ascii_digit());
    let ab_ok = ab.len() <= cfg.implied_max_gap && no_digits(ab) && ab.contains([',', ';']) && (ab.trim_end().ends_with(" là") || ab.trim_end().ends_with(':'));
    let bp_ok = bp.len() <= cfg.implied_max_percent_gap && no_digits(bp) && cfg.implied_words.iter().any(|w| contains_ci(bp, w));
    ab_ok && bp_ok
}

fn offset(f: &Figure) -> usize {
    usize::try_from(f.offset).unwrap_or(0)
}
