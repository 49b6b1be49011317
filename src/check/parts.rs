//! parts_total: parts announced right after a total — "3.538 hồ sơ, trong
//! đó: … 664 hồ sơ, … 2.847 hồ sơ", "2.452 lượt (02 lượt …, 2.450 lượt …)",
//! "348.544 triệu đồng (Trong đó: … 320.858 triệu đồng và … 27.686 triệu
//! đồng)" — that do not add up to it. A breakdown whose parts are all
//! deadline categories (trước hạn / đúng hạn / quá hạn) is reported as
//! count_bounds ("on-time + overdue ≠ resolved").
//!
//! Clause structure comes from `Figure.sentence` + `offset`. Parts are the
//! following figures of the same kind and unit (a count without a unit
//! counts as the total's unit); the list ends at a percent, a fraction, a
//! figure of another unit, a nested marker or the closing parenthesis; a
//! year inside the list means a series, not a breakdown, and nothing is
//! checked.

use super::{contains_ci, end_of, span, vn_auto, CountBoundsCfg, Doc, Draft, PartsCfg};
use crate::model::{Figure, Finding};
use crate::vocab::{starts_with_word, vocab};

pub const RULE: &str = "parts_total";
pub const DEADLINE_RULE: &str = "count_bounds";

pub fn check(doc: &Doc, cfg: &PartsCfg, bounds: &CountBoundsCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    for group in doc.sentence_groups() {
        for (k, total) in group.iter().enumerate() {
            if !is_amount(total) {
                continue;
            }
            for parts in breakdowns(cfg, &group, k) {
                out.extend(judge(doc, cfg, bounds, total, &parts));
            }
        }
    }
    out
}

fn is_amount(f: &Figure) -> bool {
    matches!(f.kind.as_str(), "count" | "money" | "quantity") && f.value.is_some() && f.qualifier.is_none()
}

/// Every announced list of parts after `group[k]` (a parenthesis and/or a
/// "trong đó" after it).
fn breakdowns<'a>(cfg: &PartsCfg, group: &[&'a Figure], k: usize) -> Vec<Vec<&'a Figure>> {
    let total = group[k];
    let s = total.sentence.as_str();
    let mut out = Vec::new();
    let mut pos = end_of(total);
    let after = rest_from(s, pos);
    if cfg.parenthesis && after.trim_start().starts_with('(') {
        let open = pos + (after.len() - after.trim_start().len());
        let Some(close) = matching_paren(s, open) else { return out };
        out.push(collect(cfg, group, k, open + 1, close));
        pos = close + 1;
    }
    if let Some(start) = marker_at(cfg, rest_from(s, pos)) {
        out.push(collect(cfg, group, k, pos + start, s.len()));
    }
    out.retain(|p| p.len() >= cfg.min_parts);
    out
}

fn rest_from(s: &str, pos: usize) -> &str {
    s.get(pos.min(s.len())..).unwrap_or("")
}

/// Byte index of ")" closing the "(" at `open`.
fn matching_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.get(open..)?.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A marker ("trong đó", "gồm") right at the start of `rest` (after
/// separators); returns where the parts begin.
fn marker_at(cfg: &PartsCfg, rest: &str) -> Option<usize> {
    let trimmed = rest.trim_start_matches([' ', ',', ';', ':', '-']);
    let lead = rest.len() - trimmed.len();
    cfg.markers.iter().find_map(|m| starts_with_word(trimmed, m).map(|n| lead + n))
}

/// Figures of `group` after `k` inside `from..to` that form the parts.
fn collect<'a>(cfg: &PartsCfg, group: &[&'a Figure], k: usize, from: usize, to: usize) -> Vec<&'a Figure> {
    let total = group[k];
    let s = total.sentence.as_str();
    let mut parts: Vec<&Figure> = Vec::new();
    let mut prev_end = from;
    for f in group.iter().skip(k + 1) {
        let at = usize::try_from(f.offset).unwrap_or(0);
        if at < from {
            continue;
        }
        if at >= to {
            break;
        }
        let between = s.get(prev_end.min(at)..at).unwrap_or("");
        if !parts.is_empty() && (nested_marker(cfg, between) || between.contains('(')) {
            break;
        }
        match f.kind.as_str() {
            "date" => continue,
            "period" => return Vec::new(),
            "count" | "money" | "quantity" if same_unit(total, f) && f.qualifier.is_none() => parts.push(f),
            _ => break,
        }
        prev_end = end_of(f);
    }
    parts
}

fn nested_marker(cfg: &PartsCfg, between: &str) -> bool {
    cfg.markers.iter().any(|m| contains_ci(between, m))
}

/// Same kind and unit; money compares in đồng whatever the written unit; a
/// count without a unit joins a count list.
fn same_unit(total: &Figure, part: &Figure) -> bool {
    if total.kind != part.kind {
        return false;
    }
    match total.kind.as_str() {
        "money" => true,
        "count" => part.unit.is_none() || part.unit == total.unit,
        _ => part.unit == total.unit,
    }
}

fn judge(doc: &Doc, cfg: &PartsCfg, bounds: &CountBoundsCfg, total: &Figure, parts: &[&Figure]) -> Option<Finding> {
    let stated = total.value?;
    let sum: f64 = parts.iter().filter_map(|p| p.value).sum();
    if (sum - stated).abs() <= 1e-6 * stated.abs().max(1.0) {
        return None;
    }
    let deadline = parts.iter().all(|p| is_deadline(bounds, p));
    let (rule, severity) = match deadline {
        true if bounds.enabled => (DEADLINE_RULE, bounds.severity.as_str()),
        false if cfg.enabled => (RULE, cfg.severity.as_str()),
        _ => return None,
    };
    let factor = display_factor(total);
    let unit = display_unit(total);
    let terms: Vec<String> = parts.iter().filter_map(|p| p.value).map(|v| vn_auto(v / factor)).collect();
    let (shown_total, shown_sum) = (vn_auto(stated / factor), vn_auto(sum / factor));
    let what = if deadline { "Số trước hạn, đúng hạn và quá hạn cộng lại" } else { "Các phần cộng lại" };
    let message = format!("{what} {} = {shown_sum}{unit}, không bằng tổng {shown_total}{unit} đã nêu.", terms.join(" + "));
    let last = parts.last()?;
    let draft = Draft { rule, severity, message, expected: Some(format!("{shown_sum}{unit}")), reported: Some(format!("{shown_total}{unit}")), quote: span(total, end_of(last)) };
    Some(draft.at_figure(doc, total))
}

fn is_deadline(bounds: &CountBoundsCfg, part: &Figure) -> bool {
    let subject = part.subject.as_deref().unwrap_or("");
    bounds.deadline_words.iter().any(|w| contains_ci(subject, w))
}

/// Money is stored in đồng; show it in the unit the total was written in.
fn display_factor(f: &Figure) -> f64 {
    if f.kind != "money" {
        return 1.0;
    }
    let unit = f.unit.as_deref().unwrap_or("đồng");
    vocab().figures.money_units.iter().find(|m| m.word == unit).map_or(1.0, |m| m.factor)
}

fn display_unit(f: &Figure) -> String {
    f.unit.as_deref().map_or_else(String::new, |u| format!(" {u}"))
}
