//! Across units: the most reported indicators as one bar chart each (inline
//! SVG geometry computed here) and the unit × indicator table.  Values and
//! aggregates are those of the comparison workbook (`report::compare`:
//! `doc_values`, `aggregate` = Σpart/Σbase for rates).

use std::collections::HashMap;

use serde::Serialize;

use super::data::{anchor_of, cut, unit_label};
use crate::canon::indicators::{Catalog, Indicator, IndicatorKind};
use crate::model::{Dataset, DocumentRow, Finding, Status};
use crate::report::compare::{aggregate, period_label, DocValue};
use crate::util::{vn_auto, vn_num};

/// Bars drawn per chart; with more units the lowest and the highest half
/// are drawn and the table below the charts has them all.
pub const MAX_BARS: usize = 60;
const BAR_H: f64 = 16.0;
const LABEL_W: f64 = 230.0;
const PLOT_W: f64 = 260.0;
const VALUE_W: f64 = 80.0;
const TOP: f64 = 22.0;

#[derive(Debug, Serialize)]
pub struct Bar {
    pub label: String,
    /// The label cut to fit the label column.
    pub short: String,
    pub anchor: String,
    pub value: String,
    pub y: f64,
    pub w: f64,
    pub flagged: bool,
}

#[derive(Debug, Serialize)]
pub struct Chart {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub kind: &'static str,
    pub width: f64,
    pub height: f64,
    pub label_w: f64,
    pub plot_w: f64,
    pub bar_h: f64,
    pub bars: Vec<Bar>,
    /// x of the aggregate line (rates: Σpart/Σbase), from the plot's left.
    pub agg_x: Option<f64>,
    pub agg_label: String,
    pub note: String,
    /// Units left out of the drawing (shown in the table).
    pub skipped: usize,
}

#[derive(Debug, Serialize)]
pub struct MatrixCell {
    pub text: String,
    pub missing: bool,
    pub flag: String,
}

#[derive(Debug, Serialize)]
pub struct MatrixRow {
    pub anchor: String,
    pub unit: String,
    pub period: String,
    pub cells: Vec<MatrixCell>,
}

#[derive(Debug, Serialize)]
pub struct MatrixHead {
    pub id: String,
    pub name: String,
    pub unit: String,
}

#[derive(Debug, Serialize)]
pub struct Matrix {
    pub heads: Vec<MatrixHead>,
    pub rows: Vec<MatrixRow>,
    /// Aggregate row (Σ for counts, Σpart/Σbase for rates).
    pub total: Vec<String>,
}

fn fmt_value(ind: &Indicator, v: f64) -> String {
    match ind.kind {
        IndicatorKind::Rate => format!("{}%", vn_num(v, 2)),
        _ => vn_auto(v),
    }
}

fn value_text(ind: &Indicator, dv: &DocValue) -> Option<String> {
    match (dv.value, &dv.text) {
        (Some(v), _) if v.is_finite() => Some(fmt_value(ind, v)),
        (_, Some(t)) if !t.trim().is_empty() => Some(t.clone()),
        _ => None,
    }
}

/// Round SVG coordinates to 0.1 (smaller page, same picture).
fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Documents that can report values (read at least in part).
fn readable<'a>(docs: &[&'a DocumentRow]) -> Vec<&'a DocumentRow> {
    docs.iter().copied().filter(|d| matches!(d.status, Status::Ok | Status::Partial)).collect()
}

/// The `top` indicators with a numeric value in the most documents (ties in
/// catalog order), and one chart for each.
pub fn charts<'c>(
    ds: &Dataset,
    cat: &'c Catalog,
    docs: &[&DocumentRow],
    values: &HashMap<(String, String), DocValue>,
    top: usize,
) -> (Vec<Chart>, Vec<&'c Indicator>) {
    let docs = readable(docs);
    let mut counts: Vec<(usize, usize, &Indicator)> = cat
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.kind, IndicatorKind::Rate | IndicatorKind::Count | IndicatorKind::Money))
        .map(|(pos, i)| {
            let n = docs.iter().filter(|d| values.get(&(d.doc_id.clone(), i.id.clone())).is_some_and(|v| v.value.is_some_and(f64::is_finite))).count();
            (n, pos, i)
        })
        .filter(|(n, _, _)| *n > 0)
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut inds: Vec<&Indicator> = counts.into_iter().take(top).map(|(_, _, i)| i).collect();
    // Rates first: their charts carry the Σpart/Σbase line.
    inds.sort_by_key(|i| i.kind != IndicatorKind::Rate);
    let flagged_figs: std::collections::HashSet<&str> = ds.findings.iter().filter_map(|f: &Finding| f.figure_id.as_deref()).collect();
    let charts = inds.iter().map(|ind| chart(ind, &docs, values, &flagged_figs)).collect();
    (charts, inds)
}

fn chart(ind: &Indicator, docs: &[&DocumentRow], values: &HashMap<(String, String), DocValue>, flagged_figs: &std::collections::HashSet<&str>) -> Chart {
    let mut pts: Vec<(&DocumentRow, &DocValue, f64)> = docs
        .iter()
        .filter_map(|d| values.get(&(d.doc_id.clone(), ind.id.clone())).and_then(|v| v.value.filter(|x| x.is_finite()).map(|x| (*d, v, x))))
        .collect();
    pts.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| unit_label(a.0).cmp(&unit_label(b.0))));
    let all: Vec<&DocValue> = pts.iter().map(|p| p.1).collect();
    let agg = aggregate(ind, &all);
    let skipped = pts.len().saturating_sub(MAX_BARS);
    if skipped > 0 {
        // Highest and lowest halves: the leaders and the units that lag.
        let half = MAX_BARS / 2;
        let tail = pts.split_off(pts.len() - half);
        pts.truncate(half);
        pts.extend(tail);
    }
    let agg_rate = agg.as_ref().filter(|_| ind.kind == IndicatorKind::Rate).and_then(|a| a.value).filter(|v| v.is_finite());
    let max = pts.iter().map(|p| p.2).chain(agg_rate).fold(0.0_f64, f64::max);
    let max = if ind.kind == IndicatorKind::Rate { max.max(100.0) } else { max };
    let scale = |v: f64| if max > 0.0 { (v.max(0.0) / max * PLOT_W).min(PLOT_W) } else { 0.0 };
    let gap = if skipped > 0 { BAR_H } else { 0.0 };
    let bars: Vec<Bar> = pts
        .iter()
        .enumerate()
        .map(|(k, (d, dv, v))| {
            let extra = if skipped > 0 && k >= MAX_BARS / 2 { gap } else { 0.0 };
            let flagged = matches!(&dv.origin, crate::report::compare::Origin::Figure { figure_id, .. } if flagged_figs.contains(figure_id.as_str()));
            let label = format!("{} · {}", unit_label(d), period_label(d));
            Bar {
                short: cut(&label, 34),
                label,
                anchor: anchor_of(&d.doc_id),
                value: fmt_value(ind, *v),
                y: TOP + k as f64 * BAR_H + extra,
                w: r1(scale(*v)),
                flagged,
            }
        })
        .collect();
    let (agg_x, agg_label) = match (&agg, agg_rate) {
        (Some(a), Some(v)) => (
            Some(r1(scale(v))),
            format!(
                "Σphần/Σcơ sở = {} / {} = {}% ({} đơn vị có tử số và mẫu số)",
                a.numerator.map(vn_auto).unwrap_or_default(),
                a.denominator.map(vn_auto).unwrap_or_default(),
                vn_num(v, 2),
                a.units
            ),
        ),
        (Some(a), None) if ind.kind != IndicatorKind::Rate => (None, format!("Tổng: {} ({} đơn vị)", a.value.map(vn_auto).unwrap_or_default(), a.units)),
        _ => (None, String::new()),
    };
    let height = TOP + bars.len() as f64 * BAR_H + gap + 8.0;
    Chart {
        id: ind.id.clone(),
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        kind: ind.kind.as_str(),
        width: LABEL_W + PLOT_W + VALUE_W,
        height,
        label_w: LABEL_W,
        plot_w: PLOT_W,
        bar_h: BAR_H - 3.0,
        bars,
        agg_x,
        agg_label,
        note: agg.and_then(|a| a.note).unwrap_or_default(),
        skipped,
    }
}

/// Unit × indicator: one row per readable document, one column per chosen
/// indicator; a value without a report is shown as missing.
pub fn matrix(
    docs: &[&DocumentRow],
    values: &HashMap<(String, String), DocValue>,
    flagged: &HashMap<(String, String), Vec<&Finding>>,
    inds: &[&Indicator],
) -> Matrix {
    let docs = readable(docs);
    let rows = docs
        .iter()
        .map(|d| MatrixRow {
            anchor: anchor_of(&d.doc_id),
            unit: unit_label(d),
            period: period_label(d),
            cells: inds
                .iter()
                .map(|ind| {
                    let key = (d.doc_id.clone(), ind.id.clone());
                    let text = values.get(&key).and_then(|dv| value_text(ind, dv));
                    let flag = flagged.get(&key).map(|fs| fs.iter().map(|f| format!("[{}] {}", f.severity, f.message)).collect::<Vec<_>>().join("\n"));
                    MatrixCell { missing: text.is_none(), text: text.unwrap_or_default(), flag: flag.unwrap_or_default() }
                })
                .collect(),
        })
        .collect();
    let total = inds
        .iter()
        .map(|ind| {
            let vals: Vec<&DocValue> = docs.iter().filter_map(|d| values.get(&(d.doc_id.clone(), ind.id.clone()))).collect();
            aggregate(ind, &vals).and_then(|a| a.value).filter(|v| v.is_finite()).map(|v| fmt_value(ind, v)).unwrap_or_default()
        })
        .collect();
    Matrix { heads: inds.iter().map(|i| MatrixHead { id: i.id.clone(), name: i.name.clone(), unit: i.unit.clone() }).collect(), rows, total }
}
