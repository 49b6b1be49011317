//! The value of each indicator in each document (appendix cells, prose
//! claims and figures, rates from their parts) and aggregates over documents.

use std::collections::{BTreeSet, HashMap};

use super::{DocValue, Origin};
use crate::canon::indicators::{Catalog, Indicator, IndicatorKind};
use crate::model::{Cell, Claim, ClaimKind, Dataset, Figure, Kind};

pub(super) fn value_of_cell(c: &Cell, kind: IndicatorKind) -> Option<f64> {
    let frac = c.kind == Some(Kind::Fraction);
    match kind {
        IndicatorKind::Rate if frac => match (c.numerator, c.denominator) {
            (Some(n), Some(d)) if d > 0.0 => Some(n / d * 100.0),
            _ => c.value,
        },
        IndicatorKind::Rate => c.value,
        _ if frac => c.value.or(c.numerator),
        _ => c.value,
    }
}

fn value_of_figure(f: &Figure, kind: IndicatorKind) -> Option<f64> {
    match f.kind {
        Kind::Date | Kind::Period => None,
        Kind::Fraction => match kind {
            IndicatorKind::Rate => f.stated_percent.or(match (f.numerator, f.denominator) {
                (Some(n), Some(d)) if d > 0.0 => Some(n / d * 100.0),
                _ => f.value,
            }),
            _ => f.value.or(f.numerator),
        },
        _ => f.value,
    }
}

/// Values per (doc_id, indicator id): appendix cells first (for multi-year
/// tables the column of the report's year, else the latest year), then prose
/// figures, then rates derived from their catalog parts.
pub fn doc_values(ds: &Dataset, cat: &Catalog) -> HashMap<(String, String), DocValue> {
    let year_of: HashMap<&str, Option<i32>> = ds.documents.iter().map(|d| (d.doc_id.as_str(), d.meta.period_year)).collect();
    let mut out: HashMap<(String, String), DocValue> = HashMap::new();

    // Cells grouped by (doc, indicator).
    let mut by_key: HashMap<(&str, &str), Vec<&Cell>> = HashMap::new();
    for c in &ds.cells {
        if let Some(id) = c.indicator.as_deref() {
            by_key.entry((c.doc_id.as_str(), id)).or_default().push(c);
        }
    }
    // Fractions of a row (the "Ghi chú" column "843/843" next to "100").
    let mut row_parts: HashMap<(&str, &str, i32), (f64, f64)> = HashMap::new();
    for c in &ds.cells {
        if let (Some(n), Some(d)) = (c.numerator, c.denominator) {
            row_parts.entry((c.doc_id.as_str(), c.table_id.as_str(), c.row)).or_insert((n, d));
        }
    }
    for ((doc, id), cells) in by_key {
        let Some(ind) = cat.get(id) else { continue };
        let report_year = year_of.get(doc).copied().flatten();
        let numeric: Vec<&&Cell> = cells.iter().filter(|c| value_of_cell(c, ind.kind).is_some()).collect();
        let chosen: Option<&Cell> = if numeric.is_empty() {
            None
        } else {
            let with_year: Vec<&&&Cell> = numeric.iter().filter(|c| c.year.is_some()).collect();
            let pick = report_year
                .and_then(|y| numeric.iter().find(|c| c.year == Some(y)))
                .or_else(|| with_year.iter().max_by_key(|c| c.year).copied())
                .or_else(|| numeric.first());
            pick.map(|c| **c)
        };
        let dv = match chosen {
            Some(c) => {
                let (n, d) = match (c.numerator, c.denominator) {
                    (Some(n), Some(d)) => (Some(n), Some(d)),
                    _ if ind.kind == IndicatorKind::Rate => {
                        row_parts.get(&(c.doc_id.as_str(), c.table_id.as_str(), c.row)).map_or((None, None), |&(n, d)| (Some(n), Some(d)))
                    }
                    _ => (None, None),
                };
                DocValue { value: value_of_cell(c, ind.kind), text: None, numerator: n, denominator: d, origin: Origin::of_cell(c) }
            }
            None => {
                // Coded / text rows: the chosen option or the text.
                let Some(c) = cells.iter().find(|c| c.option.is_some() || !c.raw.trim().is_empty()) else {
                    continue;
                };
                let text = c.option.clone().unwrap_or_else(|| c.raw.trim().to_string());
                DocValue { value: None, text: Some(text), numerator: None, denominator: None, origin: Origin::of_cell(c) }
            }
        };
        out.insert((doc.to_string(), id.to_string()), dv);
    }

    // Rates stated in the prose: claims (explicit a/b or part and base in
    // words) carry the part and the base that the aggregate sums.
    let mut claims_by_key: HashMap<(&str, &str), Vec<&Claim>> = HashMap::new();
    for c in ds.claims.iter().filter(|c| c.kind == ClaimKind::Share && c.part_value.is_some() && c.base_value.is_some_and(|b| b > 0.0)) {
        if let Some(id) = c.indicator.as_deref() {
            claims_by_key.entry((c.doc_id.as_str(), id)).or_default().push(c);
        }
    }
    for list in claims_by_key.values_mut() {
        list.sort_by_key(|c| (c.line, c.claim_id.clone()));
    }
    for ((doc, id), claims) in &claims_by_key {
        let Some(ind) = cat.get(id) else { continue };
        if ind.kind != IndicatorKind::Rate {
            continue;
        }
        let share = |c: &Claim| c.part_value.zip(c.base_value).map(|(n, d)| n / d * 100.0);
        if let Some(dv) = out.get_mut(&(doc.to_string(), id.to_string())) {
            // Table value kept; a claim agreeing with it supplies the parts.
            if dv.numerator.is_none() {
                if let Some(c) = claims.iter().find(|c| matches!((share(c), dv.value), (Some(p), Some(v)) if (p - v).abs() <= 0.5)) {
                    dv.numerator = c.part_value;
                    dv.denominator = c.base_value;
                }
            }
            continue;
        }
        let year = year_of.get(doc).copied().flatten().map(|y| y.to_string());
        let pick = claims.iter().find(|c| year.as_deref().is_some_and(|y| c.quote.contains(y))).or_else(|| claims.first());
        let Some(c) = pick else { continue };
        out.insert(
            (doc.to_string(), id.to_string()),
            DocValue {
                value: c.stated_percent.or_else(|| share(c)),
                text: None,
                numerator: c.part_value,
                denominator: c.base_value,
                origin: Origin::Figure { figure_id: c.stated_figure_id.clone().or_else(|| c.part_figure_id.clone()).unwrap_or_default(), line: c.line },
            },
        );
    }

    // Prose figures, in line order; fractions first for rates (they carry parts).
    let mut figs: Vec<&Figure> = ds.figures.iter().filter(|f| f.indicator.is_some()).collect();
    figs.sort_by_key(|f| (f.line, f.offset));
    let mut fig_by_key: HashMap<(&str, &str), Vec<&Figure>> = HashMap::new();
    for f in figs {
        if let Some(id) = f.indicator.as_deref() {
            fig_by_key.entry((f.doc_id.as_str(), id)).or_default().push(f);
        }
    }
    for ((doc, id), figs) in fig_by_key {
        let Some(ind) = cat.get(id) else { continue };
        let fraction = figs.iter().find(|f| f.numerator.is_some() && f.denominator.is_some());
        if let Some(dv) = out.get_mut(&(doc.to_string(), id.to_string())) {
            // Table value kept; prose may still supply the parts of a rate.
            if ind.kind == IndicatorKind::Rate && dv.numerator.is_none() {
                if let Some(f) = fraction {
                    let pct = match (f.numerator, f.denominator) {
                        (Some(n), Some(d)) if d > 0.0 => Some(n / d * 100.0),
                        _ => None,
                    };
                    if let (Some(p), Some(v)) = (pct, dv.value) {
                        if (p - v).abs() <= 0.5 {
                            dv.numerator = f.numerator;
                            dv.denominator = f.denominator;
                        }
                    }
                }
            }
            continue;
        }
        // A report covering several years mentions several values; prefer
        // the sentences that name the report's year.
        let year = year_of.get(doc).copied().flatten().map(|y| y.to_string());
        let in_year = |f: &&Figure| year.as_deref().is_some_and(|y| f.sentence.contains(y));
        let usable: Vec<&Figure> = figs.iter().copied().filter(|f| value_of_figure(f, ind.kind).is_some()).collect();
        let preferred: Vec<&Figure> = usable.iter().copied().filter(|f| in_year(f)).collect();
        let pool = if preferred.is_empty() { &usable } else { &preferred };
        let pick = if ind.kind == IndicatorKind::Rate {
            pool.iter().copied().find(|f| f.numerator.is_some() && f.denominator.is_some()).or_else(|| pool.first().copied())
        } else {
            pool.first().copied()
        };
        let Some(f) = pick else { continue };
        let fraction = if f.numerator.is_some() && f.denominator.is_some() { Some(&f) } else { fraction };
        let (n, d) = if ind.kind == IndicatorKind::Rate {
            match fraction {
                Some(fr) => (fr.numerator, fr.denominator),
                None => (None, None),
            }
        } else {
            (None, None)
        };
        out.insert(
            (doc.to_string(), id.to_string()),
            DocValue {
                value: value_of_figure(f, ind.kind),
                text: None,
                numerator: n,
                denominator: d,
                origin: Origin::Figure { figure_id: f.figure_id.clone(), line: f.line },
            },
        );
    }

    // Rates from their catalog parts (same document).
    let docs: BTreeSet<String> = out.keys().map(|(d, _)| d.clone()).collect();
    for doc in docs {
        for ind in cat.indicators.iter().filter(|i| i.kind == IndicatorKind::Rate) {
            let nums = ind.numerator_parts();
            let dens = ind.denominator_parts();
            if nums.is_empty() || dens.is_empty() {
                continue;
            }
            let sum = |parts: &[&str]| -> Option<f64> {
                let mut s = 0.0;
                for p in parts {
                    s += out.get(&(doc.clone(), p.to_string()))?.value?;
                }
                Some(s)
            };
            let (Some(n), Some(d)) = (sum(&nums), sum(&dens)) else {
                continue;
            };
            // Parts that cannot form a percentage (taken from different
            // years or contexts) are not used.
            if d <= 0.0 || n < 0.0 || n > d * 1.000_001 {
                continue;
            }
            let key = (doc.clone(), ind.id.clone());
            match out.get_mut(&key) {
                Some(dv) => {
                    // Attach the parts only when they agree with the stated rate.
                    let agrees = dv.value.is_none_or(|v| (v - n / d * 100.0).abs() <= 0.5);
                    if dv.numerator.is_none() && agrees {
                        dv.numerator = Some(n);
                        dv.denominator = Some(d);
                    }
                    if dv.value.is_none() && dv.text.is_none() {
                        dv.value = Some(n / d * 100.0);
                    }
                }
                None => {
                    out.insert(key, DocValue { value: Some(n / d * 100.0), text: None, numerator: Some(n), denominator: Some(d), origin: Origin::Derived });
                }
            }
        }
    }
    out
}

/// Aggregate of one indicator over a group of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub units: usize,
    pub note: Option<String>,
}

/// Counts and money: sum.  Rates: Σ numerators / Σ denominators × 100 over
/// the units that report both; units with only a percentage are counted in
/// the note, never averaged.
pub fn aggregate(ind: &Indicator, vals: &[&DocValue]) -> Option<Aggregate> {
    match ind.kind {
        IndicatorKind::Count | IndicatorKind::Money => {
            let nums: Vec<f64> = vals.iter().filter_map(|v| v.value).collect();
            if nums.is_empty() {
                return None;
            }
            Some(Aggregate { value: Some(nums.iter().sum()), numerator: None, denominator: None, units: nums.len(), note: None })
        }
        IndicatorKind::Rate => {
            let mut n = 0.0;
            let mut d = 0.0;
            let mut units = 0;
            let mut only_pct = 0;
            for v in vals {
                match (v.numerator, v.denominator) {
                    (Some(a), Some(b)) if b > 0.0 => {
                        n += a;
                        d += b;
                        units += 1;
                    }
                    _ if v.value.is_some() => only_pct += 1,
                    _ => {}
                }
            }
            if units == 0 && only_pct == 0 {
                return None;
            }
            let note = (only_pct > 0)
                .then(|| format!("{only_pct} đơn vị chỉ báo cáo tỷ lệ (không có tử số/mẫu số) nên không được tính; không lấy trung bình các tỷ lệ"));
            Some(Aggregate {
                value: (units > 0 && d > 0.0).then(|| n / d * 100.0),
                numerator: (units > 0).then_some(n),
                denominator: (units > 0).then_some(d),
                units,
                note,
            })
        }
        IndicatorKind::Flag | IndicatorKind::Text => None,
    }
}
