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
use crate::model::{Claim, ClaimKind, Figure, Finding, Kind, Rule, Verdict};
use crate::vocab::{starts_with_word, vocab};

pub const RULE: Rule = Rule::PartsTotal;
pub const DEADLINE_RULE: Rule = Rule::CountBounds;

pub fn check(doc: &Doc, cfg: &PartsCfg, bounds: &CountBoundsCfg) -> Vec<Finding> {
    // The groups are built once for both passes.
    let groups = doc.sentence_groups();
    let mut out = if cfg.enabled { remainders(doc, cfg, &groups) } else { Vec::new() };
    for group in groups {
        for (k, total) in group.iter().enumerate() {
            if !is_amount(total) {
                continue;
            }
            for (marker, parts) in breakdowns(cfg, &group, k) {
                out.extend(judge(doc, cfg, bounds, total, marker, &parts));
            }
        }
    }
    out
}

/// "843/847 hồ sơ đạt 99,52% còn lại 03 hồ sơ chuyển kỳ sau và 01 hồ sơ rút",
/// "… là 4.395 hồ sơ, … đạt 91,95% (384 hồ sơ đang có trạng thái “chưa có phát
/// sinh thanh toán…”)": the remainder after a share, announced by "còn lại" or
/// a negated subject, completes the part to its base.
fn remainders<'a>(doc: &Doc<'a>, cfg: &PartsCfg, groups: &[Vec<&'a Figure>]) -> Vec<Finding> {
    let mut out = Vec::new();
    let by_stated: std::collections::HashMap<&str, &Claim> = doc
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Share && c.verdict == Verdict::Consistent)
        .filter_map(|c| Some((c.stated_figure_id.as_deref()?, *c)))
        .collect();
    for group in groups {
        for (k, c) in group.iter().enumerate().filter_map(|(k, f)| Some((k, *by_stated.get(f.figure_id.as_str())?))) {
            let (Some(part), Some(base)) = (c.part_value, c.base_value) else { continue };
            let p = group[k];
            let unit = c.unit.as_deref();
            let s = p.sentence.as_str();
            let mut rest: Vec<&Figure> = Vec::new();
            let mut prev_end = end_of(p);
            for f in group.iter().skip(k + 1) {
                let at = usize::try_from(f.offset).unwrap_or(0);
                let between = s.get(prev_end.min(at)..at).unwrap_or("");
                let joined = if rest.is_empty() {
                    let announced = cfg.remainder_words.iter().any(|w| contains_ci(between, w));
                    let bracket = between.trim() == "("
                        && f.subject.as_deref().is_some_and(|t| cfg.negation_words.iter().any(|w| super::words(t).contains(&w.to_lowercase())));
                    between.len() <= 40 && (announced || bracket)
                } else {
                    // "03 hồ sơ chuyển kỳ sau và 01 hồ sơ rút": words, then a list word.
                    let b = between.trim().trim_end_matches(',').trim_end();
                    let listed = b.is_empty() || between.trim().ends_with(',') || cfg.list_words.iter().any(|w| crate::vocab::ends_with_word(b, w).is_some());
                    listed && between.len() <= 60 && !between.contains(['.', ';', '(', ')']) && !between.chars().any(|ch| ch.is_ascii_digit())
                };
                if !joined || f.kind != Kind::Count || f.qualifier.is_some() || !(f.unit.is_none() || f.unit.as_deref() == unit) {
                    break;
                }
                rest.push(f);
                prev_end = end_of(f);
            }
            if rest.is_empty() {
                continue;
            }
            let sum: f64 = rest.iter().filter_map(|f| f.value).sum();
            if (part + sum - base).abs() < 0.5 {
                continue;
            }
            let unit = unit.map_or_else(String::new, |u| format!(" {u}"));
            let terms: Vec<String> = rest.iter().filter_map(|f| f.value).map(vn_auto).collect();
            let message = format!(
                "Phần đạt {}{unit} và phần còn lại {} cộng lại {}{unit}, không bằng tổng {}{unit}.",
                vn_auto(part),
                terms.join(" + "),
                vn_auto(part + sum),
                vn_auto(base)
            );
            let (Some(first), Some(last)) = (rest.first(), rest.last()) else { continue };
            let end = end_of(last).min(s.len());
            let quote = match s.find(c.quote.as_str()).and_then(|a| s.get(a..end)) {
                Some(q) => q.trim().to_string(),
                None => span(p, end),
            };
            let draft = Draft {
                rule: RULE,
                severity: cfg.severity,
                message,
                expected: Some(format!("{}{unit}", vn_auto(base - part))),
                reported: Some(format!("{}{unit}", vn_auto(sum))),
                quote,
            };
            out.push(draft.at_figure(doc, first));
        }
    }
    out
}

fn is_amount(f: &Figure) -> bool {
    matches!(f.kind, Kind::Count | Kind::Money | Kind::Quantity) && f.value.is_some() && f.qualifier.is_none()
}

/// How a list of parts was announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// "gồm", "bao gồm", "chia ra": every part is named.
    Exhaustive,
    /// "trong đó", "cụ thể": possibly only the main parts.
    Partial,
    /// A bare parenthesis right after the total itemizes it
    /// ("526 ĐVHC cấp xã (160 phường, 21 thị trấn và 345 xã)").
    Paren,
}

/// The kind of marker in `text` (the words up to the parts).
fn marker_word(cfg: &PartsCfg, text: &str) -> Marker {
    let exhaustive = cfg.exhaustive_markers.iter().any(|m| contains_ci(text, m))
        && !cfg.markers.iter().filter(|m| !cfg.exhaustive_markers.contains(m)).any(|m| contains_ci(text, m));
    if exhaustive {
        Marker::Exhaustive
    } else {
        Marker::Partial
    }
}

/// Every announced list of parts after `group[k]` (a parenthesis and/or a
/// "trong đó" after it).
fn breakdowns<'a>(cfg: &PartsCfg, group: &[&'a Figure], k: usize) -> Vec<(Marker, Vec<&'a Figure>)> {
    let total = group[k];
    let s = total.sentence.as_str();
    let mut out = Vec::new();
    let mut pos = end_of(total);
    let after = rest_from(s, pos);
    if cfg.parenthesis && after.trim_start().starts_with('(') {
        let open = pos + (after.len() - after.trim_start().len());
        let Some(close) = matching_paren(s, open) else { return out };
        let inner = rest_from(s, open + 1);
        let marker = marker_at(cfg, inner).map(|n| marker_word(cfg, &inner[..n]));
        out.push((marker.unwrap_or(Marker::Paren), collect(cfg, group, k, open + 1, close)));
        pos = close + 1;
    }
    if let Some(start) = marker_at(cfg, rest_from(s, pos)) {
        let parts = collect(cfg, group, k, pos + start, s.len());
        out.push((marker_word(cfg, s.get(pos..pos + start).unwrap_or("")), parts));
    }
    out.retain(|(_, p)| !p.is_empty());
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
    if let Some(n) = cfg.markers.iter().find_map(|m| starts_with_word(trimmed, m).map(|n| lead + n)) {
        return Some(n);
    }
    // "10.455 hồ sơ, thủ tục hành chính; trong đó …": a few words naming the
    // total (no figure, no bracket) may stand between it and the marker.
    // The first `marker_gap` characters, sliced (not copied).
    let window = &rest[..rest.char_indices().nth(cfg.marker_gap).map_or(rest.len(), |(i, _)| i)];
    let body = window.trim_start_matches([' ', ',']);
    let skip = window.len() - body.len();
    let cut = skip + body.find([';', ',', ':'])?;
    if !window[..cut].chars().all(|c| c.is_alphabetic() || c == ' ' || c == ',') {
        return None;
    }
    let after = &rest[cut..];
    let trimmed = after.trim_start_matches([' ', ',', ';', ':', '-']);
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
        match f.kind {
            Kind::Date => continue,
            Kind::Period => return Vec::new(),
            // "… tăng 0,1 điểm; … tăng 0,4 điểm": changes, not components of the total.
            _ if is_change(s, at) => return Vec::new(),
            Kind::Count | Kind::Money | Kind::Quantity if same_unit(total, f) && f.qualifier.is_none() => parts.push(f),
            _ => break,
        }
        prev_end = end_of(f);
    }
    parts
}

/// A growth word right before the figure at `at` ("tăng 0,4 điểm").
fn is_change(s: &str, at: usize) -> bool {
    let before = s.get(..at).unwrap_or("").trim_end();
    let v = &vocab().claims;
    v.growth_up_words.iter().chain(&v.growth_down_words).any(|w| crate::vocab::ends_with_word(before, w).is_some())
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
    match total.kind {
        Kind::Money => true,
        Kind::Count => part.unit.is_none() || total.unit.is_none() || part.unit == total.unit,
        _ => part.unit == total.unit,
    }
}

/// Parts against their total. Parts above the total cannot be right
/// (`error`); parts below it are an `error` only when the list is
/// exhaustive ("gồm", complementary categories such as trực tiếp/trực
/// tuyến or đúng hạn/quá hạn, "… đạt tỷ lệ 100%" after the list), else the
/// main items of a "trong đó" (`partial_severity`, default info). One part
/// alone is checked only for exceeding its total.
fn judge(doc: &Doc, cfg: &PartsCfg, bounds: &CountBoundsCfg, total: &Figure, marker: Marker, parts: &[&Figure]) -> Option<Finding> {
    let stated = total.value?;
    let sum: f64 = parts.iter().filter_map(|p| p.value).sum();
    let tolerance = 1e-6 * stated.abs().max(1.0);
    if (sum - stated).abs() <= tolerance {
        return None;
    }
    let over = sum > stated + tolerance;
    if parts.len() < cfg.min_parts && !over {
        return None;
    }
    let deadline = parts.iter().all(|p| is_deadline(bounds, p));
    let exhaustive = over || marker != Marker::Partial || categories_cover(cfg, bounds, parts) || whole_after(cfg, total, parts);
    let (rule, severity) = match deadline {
        true if bounds.enabled => (DEADLINE_RULE, if exhaustive { bounds.severity } else { cfg.partial_severity }),
        false if cfg.enabled => (RULE, if exhaustive { cfg.severity } else { cfg.partial_severity }),
        _ => return None,
    };
    let factor = display_factor(total);
    let unit = display_unit(total, parts);
    let terms: Vec<String> = parts.iter().filter_map(|p| p.value).map(|v| vn_auto(v / factor)).collect();
    let (shown_total, shown_sum) = (vn_auto(stated / factor), vn_auto(sum / factor));
    let what = if deadline { "Số trước hạn, đúng hạn và quá hạn cộng lại" } else { "Các phần cộng lại" };
    let message = if parts.len() == 1 {
        format!("Phần {shown_sum}{unit} lớn hơn tổng {shown_total}{unit} đã nêu.")
    } else if exhaustive {
        format!("{what} {} = {shown_sum}{unit}, không bằng tổng {shown_total}{unit} đã nêu.", terms.join(" + "))
    } else {
        format!(
            "Các phần nêu sau \"trong đó\" cộng lại {} = {shown_sum}{unit}, ít hơn tổng {shown_total}{unit} (có thể chỉ là các phần chính).",
            terms.join(" + ")
        )
    };
    let last = parts.last()?;
    let draft = Draft {
        rule,
        severity,
        message,
        expected: Some(format!("{shown_sum}{unit}")),
        reported: Some(format!("{shown_total}{unit}")),
        quote: span(total, end_of(last)),
    };
    Some(draft.at_figure(doc, total))
}

/// Parts naming at least two members of one set of complementary
/// categories (check.toml `category_sets`, and the two deadline classes),
/// every part in that set.
fn categories_cover(cfg: &PartsCfg, bounds: &CountBoundsCfg, parts: &[&Figure]) -> bool {
    let deadline_classes = vec![bounds.on_time_words.clone(), bounds.late_words.clone()];
    for set in cfg.category_sets.iter().chain(std::iter::once(&deadline_classes)) {
        let mut seen = vec![false; set.len()];
        let all = parts.iter().all(|p| {
            let subject = p.subject.as_deref().unwrap_or("");
            // The longest synonym decides ("rất hài lòng" before "hài lòng").
            let best = set
                .iter()
                .enumerate()
                .flat_map(|(m, syn)| syn.iter().map(move |w| (m, w)))
                .filter(|(_, w)| contains_ci(subject, w))
                .max_by_key(|(_, w)| w.chars().count());
            match best {
                Some((m, _)) => {
                    seen[m] = true;
                    true
                }
                None => false,
            }
        });
        if all && seen.iter().filter(|s| **s).count() >= 2 {
            return true;
        }
    }
    false
}

/// "… 70 lượt đánh giá hài lòng, đạt tỷ lệ 100%": the list is said to be the whole.
fn whole_after(cfg: &PartsCfg, total: &Figure, parts: &[&Figure]) -> bool {
    let Some(last) = parts.last() else { return false };
    let after = total.sentence.get(end_of(last).min(total.sentence.len())..).unwrap_or("");
    let head: String = after.chars().take(40).collect();
    cfg.whole_words.iter().any(|w| contains_ci(&head, w))
}

fn is_deadline(bounds: &CountBoundsCfg, part: &Figure) -> bool {
    let subject = part.subject.as_deref().unwrap_or("");
    bounds.deadline_words.iter().any(|w| contains_ci(subject, w))
}

/// Money is stored in đồng; show it in the unit the total was written in.
fn display_factor(f: &Figure) -> f64 {
    if f.kind != Kind::Money {
        return 1.0;
    }
    let unit = f.unit.as_deref().unwrap_or("đồng");
    vocab().figures.money_units.iter().find(|m| m.word == unit).map_or(1.0, |m| m.factor)
}

fn display_unit(f: &Figure, parts: &[&Figure]) -> String {
    f.unit.as_deref().or_else(|| parts.iter().find_map(|p| p.unit.as_deref())).map_or_else(String::new, |u| format!(" {u}"))
}
