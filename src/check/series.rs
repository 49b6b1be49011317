//! table_series: statistics tables with one column per year (004 Phụ lục
//! VIII) or per measure.
//!
//! * a part row greater than its total row in the same year (6.3.2 ≤ 6.3.1);
//! * a rate row contradicting its count rows (6.3 = 6.3.2 / 6.3.1 × 100);
//! * the same long number under two unrelated indicators in the same year
//!   (4386 in 6.3.1 and 6.4.1 for 2022): a copy-paste suspicion, a warning.
//!
//! Rows are grouped by `parent_stt` (or the STT without its last part:
//! "6.3.2" → "6.3"); a group's total row starts with a total word
//! ("Tổng số"), its part rows with a part word ("Số"), its parent row with
//! a rate word ("Tỷ lệ").

use std::collections::BTreeMap;

use super::{cell_location, vn_auto, Doc, Draft, SeriesCfg};
use crate::model::{Cell, Finding, Rule};
use crate::vocab::starts_with_word;

pub const RULE: Rule = Rule::TableSeries;

/// One table row: its key and its numeric cells by column key.
pub(crate) struct Row<'a> {
    pub stt: String,
    pub parent: String,
    pub label: String,
    /// Column key (year when known, else the header) → cell.
    pub values: BTreeMap<String, &'a Cell>,
}

pub fn check(doc: &Doc, cfg: &SeriesCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    for rows in doc.series_tables() {
        out.extend(part_over_total(doc, cfg, rows));
        out.extend(rate_vs_counts(doc, cfg, rows));
        out.extend(repeated_values(doc, cfg, rows));
    }
    out
}

/// The rows of every table of the document.
pub(crate) fn tables<'a>(doc: &Doc<'a>) -> Vec<Vec<Row<'a>>> {
    let mut tables: BTreeMap<&str, Vec<&Cell>> = BTreeMap::new();
    for c in &doc.cells {
        tables.entry(c.table_id.as_str()).or_default().push(c);
    }
    tables.values().map(|cells| rows(cells)).collect()
}

pub(crate) fn column_key(c: &Cell) -> String {
    c.year.map_or_else(|| c.column.clone(), |y| y.to_string())
}

fn rows<'a>(cells: &[&'a Cell]) -> Vec<Row<'a>> {
    let mut by_row: BTreeMap<i32, Vec<&Cell>> = BTreeMap::new();
    for c in cells {
        by_row.entry(c.row).or_default().push(c);
    }
    by_row
        .into_values()
        .filter_map(|cs| {
            let first = cs.first()?;
            // Rows without their own STT ("Số nhiệm vụ đã hoàn thành" under 1.2)
            // still belong to their parent's group.
            let stt = first.stt.clone().map_or_else(|| format!("dòng {}", first.row), |s| s.trim_end_matches('.').to_string());
            let parent = first.parent_stt.clone().map(|p| p.trim_end_matches('.').to_string()).or_else(|| first.stt.as_ref().map(|_| parent_of(&stt)))?;
            let label = first.label.clone().unwrap_or_default();
            let values = cs.iter().filter(|c| c.value.is_some() && c.numerator.is_none()).map(|c| (column_key(c), *c)).collect();
            Some(Row { stt, parent, label, values })
        })
        .collect()
}

fn parent_of(stt: &str) -> String {
    stt.rsplit_once('.').map_or_else(String::new, |(p, _)| p.to_string())
}

pub(crate) fn starts_with_any(label: &str, words: &[String]) -> bool {
    let l = label.trim_start_matches(|c: char| !c.is_alphanumeric());
    words.iter().any(|w| starts_with_word(l, w).is_some())
}

/// The total row and the part rows of each group of siblings.
pub(crate) fn groups<'a, 'b>(cfg: &SeriesCfg, rows: &'b [Row<'a>]) -> Vec<(&'b Row<'a>, Vec<&'b Row<'a>>)> {
    let mut parents: Vec<&str> = rows.iter().map(|r| r.parent.as_str()).filter(|p| !p.is_empty()).collect();
    parents.dedup();
    let mut out = Vec::new();
    for p in parents {
        let kids: Vec<&Row> = rows.iter().filter(|r| r.parent == p).collect();
        let totals: Vec<&&Row> = kids.iter().filter(|r| starts_with_any(&r.label, &cfg.total_words)).collect();
        let [total] = totals.as_slice() else { continue };
        let parts: Vec<&Row> = kids
            .iter()
            .filter(|r| r.stt != total.stt && starts_with_any(&r.label, &cfg.part_words) && !starts_with_any(&r.label, &cfg.rate_words))
            .copied()
            .collect();
        if !parts.is_empty() {
            out.push((**total, parts));
        }
    }
    out
}

fn part_over_total(doc: &Doc, cfg: &SeriesCfg, rows: &[Row]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (total, parts) in groups(cfg, rows) {
        for part in parts {
            for (key, pc) in &part.values {
                let (Some(tc), Some(pv)) = (total.values.get(key), pc.value) else { continue };
                let Some(tv) = tc.value else { continue };
                if pv > tv {
                    let draft = Draft {
                        rule: RULE,
                        severity: cfg.severity,
                        message: format!(
                            "Năm/cột {key}: {} ({}) = {} lớn hơn tổng {} ({}) = {}.",
                            part.stt,
                            part.label,
                            vn_auto(pv),
                            total.stt,
                            total.label,
                            vn_auto(tv)
                        ),
                        expected: Some(format!("≤ {}", vn_auto(tv))),
                        reported: Some(vn_auto(pv)),
                        quote: pc.raw.trim().to_string(),
                    };
                    out.push(draft.at_cell(&doc.row.doc_id, pc));
                }
            }
        }
    }
    out
}

fn rate_vs_counts(doc: &Doc, cfg: &SeriesCfg, rows: &[Row]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (total, parts) in groups(cfg, rows) {
        let [part] = parts.as_slice() else { continue };
        let Some(rate) = rows.iter().find(|r| r.stt == total.parent && starts_with_any(&r.label, &cfg.rate_words)) else { continue };
        for (key, rc) in &rate.values {
            let (Some(tc), Some(pc), Some(rv)) = (total.values.get(key), part.values.get(key), rc.value) else { continue };
            let (Some(tv), Some(pv)) = (tc.value, pc.value) else { continue };
            if tv <= 0.0 {
                continue;
            }
            let exact = pv / tv * 100.0;
            if (exact - rv).abs() > cfg.rate_tolerance {
                let draft = Draft {
                    rule: RULE,
                    severity: cfg.severity,
                    message: format!(
                        "Năm/cột {key}: tỷ lệ {} nêu {}% nhưng {}/{} = {}%.",
                        rate.stt,
                        vn_auto(rv),
                        vn_auto(pv),
                        vn_auto(tv),
                        super::vn_num(exact, 2)
                    ),
                    expected: Some(format!("{}%", super::vn_num(exact, 2))),
                    reported: Some(format!("{}%", vn_auto(rv))),
                    quote: rc.raw.trim().to_string(),
                };
                out.push(draft.at_cell(&doc.row.doc_id, rc));
            }
        }
    }
    out
}

/// Same long number under two indicators of different groups in one year.
fn repeated_values(doc: &Doc, cfg: &SeriesCfg, rows: &[Row]) -> Vec<Finding> {
    let min = 10f64.powi(i32::try_from(cfg.repeat_min_digits.saturating_sub(1)).unwrap_or(3));
    let mut seen: BTreeMap<(String, i64), (usize, &Row)> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for (key, c) in &r.values {
            let Some(v) = c.value else { continue };
            if v < min || v.fract() != 0.0 || super::bounds::is_percent_cell(c) {
                continue;
            }
            let k = (key.clone(), v as i64);
            match seen.get(&k) {
                Some((at, first)) if related(first, r) || child_of(rows, *at, i) || !look_alike(cfg, first, r) => {}
                Some((_, first)) => {
                    let draft = Draft {
                        rule: RULE,
                        severity: cfg.repeat_severity,
                        message: format!("Năm/cột {key}: cùng số {} ở hai chỉ tiêu khác nhau {} và {} (có thể chép nhầm).", vn_auto(v), first.stt, r.stt),
                        expected: None,
                        reported: Some(vn_auto(v)),
                        quote: format!("{} {} / {} {}", first.stt, first.label, r.stt, r.label),
                    };
                    let mut f = draft.at_cell(&doc.row.doc_id, c);
                    f.location = Some(cell_location(c));
                    out.push(f);
                }
                None => {
                    seen.insert(k, (i, r));
                }
            }
        }
    }
    out
}

/// Two rows of the same role (total/part/rate) whose labels share most words
/// without being the same indicator ("Tổng số hồ sơ của DVCTT toàn trình" /
/// "… một phần"): equal long values there smell of copy-paste; the same
/// total repeated under an identical label does not.
fn look_alike(cfg: &SeriesCfg, a: &Row, b: &Row) -> bool {
    let role = |r: &Row| (starts_with_any(&r.label, &cfg.total_words), starts_with_any(&r.label, &cfg.rate_words));
    role(a) == role(b) && super::overlap(&a.label, &b.label) >= LOOK_ALIKE && super::words(&a.label) != super::words(&b.label)
}

/// Word overlap above which two labels look alike.
const LOOK_ALIKE: f64 = 0.5;

/// Row `i` is a "Trong đó: …" row under row `at` (only other "trong đó"
/// rows between them): a part equal to its whole is normal.
fn child_of(rows: &[Row], at: usize, i: usize) -> bool {
    let breakdown = &crate::vocab::vocab().claims.breakdown_words;
    i > at && rows[at + 1..=i].iter().all(|r| starts_with_any(&r.label, breakdown))
}

/// Same group, or one row the parent of the other: equal values are normal.
fn related(a: &Row, b: &Row) -> bool {
    a.parent == b.parent || a.stt == b.parent || b.stt == a.parent
}
