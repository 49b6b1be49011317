//! Comparison spreadsheets: one workbook (or one CSV per sheet) built from a
//! dataset and the indicator catalog.
//!
//! Sheets:
//! * "So sánh" – one row per document (unit, level, period), one column per
//!   indicator present; a value with a finding is highlighted and carries the
//!   finding as a note.
//! * "Tổng hợp" – per (province, level, period) and indicator: counts and
//!   money summed, rates recomputed as Σ numerators / Σ denominators × 100
//!   (never a mean of percentages), with the number of contributing units.
//! * "Chuỗi thời gian" – multi-year table values: unit × indicator × year.
//! * "Phát hiện" – all findings.
//! * "Nguồn" – every document with path, status, encoding, pages.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet};

use crate::canon::indicators::{Catalog, Indicator, IndicatorKind};
use crate::model::{Cell, Claim, ClaimKind, Dataset, DocumentRow, Figure, Finding, Kind};

pub const SHEET_COMPARE: &str = "So sánh";
pub const SHEET_SUMMARY: &str = "Tổng hợp";
pub const SHEET_SERIES: &str = "Chuỗi thời gian";
pub const SHEET_FINDINGS: &str = "Phát hiện";
pub const SHEET_SOURCES: &str = "Nguồn";

/// Number format of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFmt {
    /// Thousands separators, no decimals (2 decimals when fractional).
    Count,
    /// Percent points with 2 decimals (99.52 means 99,52 %).
    Percent,
    Money,
    /// Plain integer (years, line numbers, pages).
    Plain,
}

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Empty,
    Num(f64, NumFmt),
    Text(String),
}

impl V {
    fn text(s: impl Into<String>) -> V {
        V::Text(s.into())
    }
    fn opt_text(s: Option<&str>) -> V {
        match s {
            Some(s) if !s.is_empty() => V::Text(s.to_string()),
            _ => V::Empty,
        }
    }
    fn opt_num(n: Option<f64>, f: NumFmt) -> V {
        match n {
            Some(n) if n.is_finite() => V::Num(n, f),
            _ => V::Empty,
        }
    }
    fn display_len(&self) -> usize {
        match self {
            V::Empty => 0,
            V::Text(s) => s.chars().count(),
            V::Num(n, NumFmt::Percent) => format!("{n:.2}").len(),
            V::Num(n, NumFmt::Plain) => format!("{n}").len(),
            V::Num(n, _) => {
                let digits = format!("{:.0}", n.abs()).len();
                digits + digits.saturating_sub(1) / 3 + if n.fract() != 0.0 { 3 } else { 0 }
            }
        }
    }
}

/// A sheet in memory, written both to XLSX and to CSV.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    /// Note on a header cell (indicator id, unit, formula).
    pub header_notes: Vec<Option<String>>,
    pub rows: Vec<Vec<V>>,
    /// (row, col) of data cells (0-based, without the header) → note text;
    /// such cells are highlighted.
    pub flagged: HashMap<(usize, usize), String>,
    /// Columns that keep a fixed narrow width with wrapped header.
    pub wrap_header: bool,
    /// Number of leading columns frozen (besides the header row).
    pub freeze_cols: u16,
}

/// All sheets of the comparison workbook.
#[derive(Debug, Clone)]
pub struct Report {
    pub sheets: Vec<Sheet>,
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Cell { table_id: String, row: i32, column: String, line: i32, location: String },
    Figure { figure_id: String, line: i32 },
    Derived,
}

/// The value of one indicator in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocValue {
    pub value: Option<f64>,
    pub text: Option<String>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub origin: Origin,
}

/// Human label of a document's period ("Quý 1/2025", "Năm 2025", "2021–2025").
pub fn period_label(d: &DocumentRow) -> String {
    let m = &d.meta;
    let y = m.period_year.map(|y| y.to_string()).unwrap_or_default();
    match m.period_kind.as_deref() {
        Some("quarter") => match m.period_quarter {
            Some(q) => format!("Quý {q}/{y}"),
            None => format!("Quý ?/{y}"),
        },
        Some("half") => format!("6 tháng/{y}"),
        Some("range") => format!(
            "{}–{}",
            m.period_from.map(|v| v.to_string()).unwrap_or_default(),
            m.period_to.map(|v| v.to_string()).unwrap_or_default()
        ),
        Some("year") => format!("Năm {y}"),
        Some(k) => format!("{k} {y}").trim().to_string(),
        None => y,
    }
}

/// "t2 / 6.3.1 / Năm 2022": the locator the checks use for a cell.
pub fn cell_location(c: &Cell) -> String {
    let table = c.table_id.rsplit(':').next().unwrap_or(&c.table_id);
    let row = c.stt.clone().unwrap_or_else(|| format!("dòng {}", c.row));
    format!("{table} / {row} / {}", c.column)
}

fn value_of_cell(c: &Cell, kind: IndicatorKind) -> Option<f64> {
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
    let year_of: HashMap<&str, Option<i32>> =
        ds.documents.iter().map(|d| (d.doc_id.as_str(), d.meta.period_year)).collect();
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
                    _ if ind.kind == IndicatorKind::Rate => row_parts
                        .get(&(c.doc_id.as_str(), c.table_id.as_str(), c.row))
                        .map_or((None, None), |&(n, d)| (Some(n), Some(d))),
                    _ => (None, None),
                };
                DocValue {
                    value: value_of_cell(c, ind.kind),
                    text: None,
                    numerator: n,
                    denominator: d,
                    origin: Origin::Cell {
                        table_id: c.table_id.clone(),
                        row: c.row,
                        column: c.column.clone(),
                        line: c.line,
                        location: cell_location(c),
                    },
                }
            }
            None => {
                // Coded / text rows: the chosen option or the text.
                let Some(c) = cells.iter().find(|c| c.option.is_some() || !c.raw.trim().is_empty()) else { continue };
                let text = c.option.clone().unwrap_or_else(|| c.raw.trim().to_string());
                DocValue {
                    value: None,
                    text: Some(text),
                    numerator: None,
                    denominator: None,
                    origin: Origin::Cell {
                        table_id: c.table_id.clone(),
                        row: c.row,
                        column: c.column.clone(),
                        line: c.line,
                        location: cell_location(c),
                    },
                }
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
            let (Some(n), Some(d)) = (sum(&nums), sum(&dens)) else { continue };
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
                    out.insert(
                        key,
                        DocValue {
                            value: Some(n / d * 100.0),
                            text: None,
                            numerator: Some(n),
                            denominator: Some(d),
                            origin: Origin::Derived,
                        },
                    );
                }
            }
        }
    }
    out
}

fn fmt_of(ind: &Indicator) -> NumFmt {
    match ind.kind {
        IndicatorKind::Rate => NumFmt::Percent,
        IndicatorKind::Money => NumFmt::Money,
        _ => NumFmt::Count,
    }
}

fn header_of(ind: &Indicator) -> String {
    if ind.unit.is_empty() || ind.kind == IndicatorKind::Flag || ind.kind == IndicatorKind::Text {
        ind.name.clone()
    } else {
        format!("{} ({})", ind.name, ind.unit)
    }
}

fn header_note(ind: &Indicator) -> String {
    let mut s = format!("{}\nloại: {}", ind.id, ind.kind.as_str());
    if let (Some(n), Some(d)) = (&ind.numerator, &ind.denominator) {
        s.push_str(&format!("\n= ({n}) / ({d}) × 100"));
    }
    s
}

fn sorted_docs(ds: &Dataset) -> Vec<&DocumentRow> {
    let mut docs: Vec<&DocumentRow> = ds.documents.iter().collect();
    docs.sort_by(|a, b| {
        let k = |d: &DocumentRow| {
            (
                d.meta.province.clone().unwrap_or_default(),
                d.meta.unit_level.clone().unwrap_or_default(),
                d.meta.unit_name.clone().unwrap_or_default(),
                d.meta.period_year.unwrap_or(0),
                d.meta.period_quarter.unwrap_or(0),
                d.doc_id.clone(),
            )
        };
        k(a).cmp(&k(b))
    });
    docs
}

/// Findings attached to (doc, indicator): through the figure they cite or
/// the cell location they name.
fn findings_by_value<'a>(
    ds: &'a Dataset,
    values: &HashMap<(String, String), DocValue>,
) -> HashMap<(String, String), Vec<&'a Finding>> {
    let fig_ind: HashMap<&str, (&str, &str)> = ds
        .figures
        .iter()
        .filter_map(|f| f.indicator.as_deref().map(|i| (f.figure_id.as_str(), (f.doc_id.as_str(), i))))
        .collect();
    let mut cell_ind: HashMap<(&str, String), &str> = HashMap::new();
    for c in &ds.cells {
        if let Some(i) = c.indicator.as_deref() {
            cell_ind.insert((c.doc_id.as_str(), cell_location(c)), i);
        }
    }
    let mut out: HashMap<(String, String), Vec<&Finding>> = HashMap::new();
    for f in &ds.findings {
        let key = if let Some((doc, ind)) = f.figure_id.as_deref().and_then(|id| fig_ind.get(id)) {
            Some((doc.to_string(), ind.to_string()))
        } else {
            f.location
                .as_ref()
                .and_then(|l| cell_ind.get(&(f.doc_id.as_str(), l.clone())))
                .map(|ind| (f.doc_id.clone(), ind.to_string()))
        };
        if let Some(k) = key {
            if values.contains_key(&k) {
                out.entry(k).or_default().push(f);
            }
        }
    }
    out
}

/// Build every sheet.
pub fn build(ds: &Dataset, cat: &Catalog) -> Report {
    let values = doc_values(ds, cat);
    let docs = sorted_docs(ds);
    let flagged = findings_by_value(ds, &values);
    Report {
        sheets: vec![
            compare_sheet(ds, cat, &docs, &values, &flagged),
            summary_sheet(cat, &docs, &values),
            series_sheet(ds, cat, &docs),
            findings_sheet(ds),
            sources_sheet(&docs),
        ],
    }
}

fn present_indicators<'a>(cat: &'a Catalog, values: &HashMap<(String, String), DocValue>) -> Vec<&'a Indicator> {
    let ids: HashSet<&str> = values.keys().map(|(_, i)| i.as_str()).collect();
    cat.indicators.iter().filter(|i| ids.contains(i.id.as_str())).collect()
}

const ID_HEADERS: [&str; 6] = ["Đơn vị", "Cấp", "Tỉnh", "Kỳ báo cáo", "Năm", "Mã tài liệu"];

fn compare_sheet(
    _ds: &Dataset,
    cat: &Catalog,
    docs: &[&DocumentRow],
    values: &HashMap<(String, String), DocValue>,
    flagged: &HashMap<(String, String), Vec<&Finding>>,
) -> Sheet {
    let inds = present_indicators(cat, values);
    let mut sheet = Sheet {
        name: SHEET_COMPARE.into(),
        wrap_header: true,
        freeze_cols: 1,
        ..Default::default()
    };
    sheet.headers = ID_HEADERS.iter().map(|s| s.to_string()).collect();
    sheet.header_notes = vec![None; ID_HEADERS.len()];
    for ind in &inds {
        sheet.headers.push(header_of(ind));
        sheet.header_notes.push(Some(header_note(ind)));
    }
    for (r, d) in docs.iter().enumerate() {
        let m = &d.meta;
        let mut row = vec![
            V::opt_text(m.unit_name.as_deref()),
            V::opt_text(m.unit_level.as_deref()),
            V::opt_text(m.province.as_deref()),
            V::text(period_label(d)),
            V::opt_num(m.period_year.map(f64::from), NumFmt::Plain),
            V::text(d.doc_id.clone()),
        ];
        for (j, ind) in inds.iter().enumerate() {
            let key = (d.doc_id.clone(), ind.id.clone());
            let v = match values.get(&key) {
                Some(dv) => match (dv.value, &dv.text) {
                    (Some(x), _) => V::Num(x, fmt_of(ind)),
                    (None, Some(t)) => V::Text(t.clone()),
                    _ => V::Empty,
                },
                None => V::Empty,
            };
            if let Some(fs) = flagged.get(&key) {
                let text = fs
                    .iter()
                    .map(|f| format!("[{}] {}: {}", f.severity, f.rule, f.message))
                    .collect::<Vec<_>>()
                    .join("\n");
                sheet.flagged.insert((r, ID_HEADERS.len() + j), text);
            }
            row.push(v);
        }
        sheet.rows.push(row);
    }
    sheet
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
            let note = (only_pct > 0).then(|| {
                format!("{only_pct} đơn vị chỉ báo cáo tỷ lệ (không có tử số/mẫu số) nên không được tính; không lấy trung bình các tỷ lệ")
            });
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

fn summary_sheet(cat: &Catalog, docs: &[&DocumentRow], values: &HashMap<(String, String), DocValue>) -> Sheet {
    let mut sheet = Sheet {
        name: SHEET_SUMMARY.into(),
        headers: [
            "Tỉnh", "Cấp", "Kỳ báo cáo", "Mã chỉ tiêu", "Chỉ tiêu", "Loại", "Đơn vị tính", "Giá trị", "Tử số (tổng)",
            "Mẫu số (tổng)", "Số đơn vị", "Ghi chú",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        freeze_cols: 0,
        ..Default::default()
    };
    sheet.header_notes = vec![None; sheet.headers.len()];
    // group → doc ids, in first-appearance order of the sorted docs.
    type GroupKey = (String, String, String);
    let mut groups: Vec<(GroupKey, Vec<&str>)> = Vec::new();
    for d in docs {
        let key = (
            d.meta.province.clone().unwrap_or_default(),
            d.meta.unit_level.clone().unwrap_or_default(),
            period_label(d),
        );
        match groups.iter_mut().find(|(k, _)| k == &key) {
            Some((_, v)) => v.push(d.doc_id.as_str()),
            None => groups.push((key, vec![d.doc_id.as_str()])),
        }
    }
    for ((prov, level, period), ids) in &groups {
        for ind in &cat.indicators {
            let vals: Vec<&DocValue> =
                ids.iter().filter_map(|d| values.get(&(d.to_string(), ind.id.clone()))).collect();
            if vals.is_empty() {
                continue;
            }
            let Some(a) = aggregate(ind, &vals) else { continue };
            let fmt = fmt_of(ind);
            let part_fmt = NumFmt::Count;
            sheet.rows.push(vec![
                V::text(prov.clone()),
                V::text(level.clone()),
                V::text(period.clone()),
                V::text(ind.id.clone()),
                V::text(ind.name.clone()),
                V::text(ind.kind.as_str()),
                V::text(ind.unit.clone()),
                V::opt_num(a.value, fmt),
                V::opt_num(a.numerator, part_fmt),
                V::opt_num(a.denominator, part_fmt),
                V::Num(a.units as f64, NumFmt::Count),
                V::opt_text(a.note.as_deref()),
            ]);
        }
    }
    sheet
}

fn series_sheet(ds: &Dataset, cat: &Catalog, docs: &[&DocumentRow]) -> Sheet {
    // (doc, indicator) → year → value
    let mut data: HashMap<(&str, &str), HashMap<i32, f64>> = HashMap::new();
    let mut years: BTreeSet<i32> = BTreeSet::new();
    for c in &ds.cells {
        let (Some(id), Some(y)) = (c.indicator.as_deref(), c.year) else { continue };
        let Some(ind) = cat.get(id) else { continue };
        let Some(v) = value_of_cell(c, ind.kind) else { continue };
        years.insert(y);
        data.entry((c.doc_id.as_str(), id)).or_default().entry(y).or_insert(v);
    }
    let mut sheet = Sheet { name: SHEET_SERIES.into(), freeze_cols: 2, ..Default::default() };
    sheet.headers = ["Đơn vị", "Cấp", "Kỳ báo cáo", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    sheet.headers.extend(years.iter().map(|y| format!("Năm {y}")));
    sheet.header_notes = vec![None; sheet.headers.len()];
    for d in docs {
        for ind in &cat.indicators {
            let Some(by_year) = data.get(&(d.doc_id.as_str(), ind.id.as_str())) else { continue };
            let mut row = vec![
                V::opt_text(d.meta.unit_name.as_deref()),
                V::opt_text(d.meta.unit_level.as_deref()),
                V::text(period_label(d)),
                V::text(ind.id.clone()),
                V::text(ind.name.clone()),
                V::text(ind.unit.clone()),
            ];
            for y in &years {
                row.push(V::opt_num(by_year.get(y).copied(), fmt_of(ind)));
            }
            sheet.rows.push(row);
        }
    }
    sheet
}

fn findings_sheet(ds: &Dataset) -> Sheet {
    let unit: HashMap<&str, (&str, &str)> = ds
        .documents
        .iter()
        .map(|d| (d.doc_id.as_str(), (d.meta.unit_name.as_deref().unwrap_or(""), d.path.as_str())))
        .collect();
    let mut sheet = Sheet { name: SHEET_FINDINGS.into(), freeze_cols: 0, ..Default::default() };
    sheet.headers = [
        "Mã tài liệu", "Đơn vị", "Tệp", "Mức độ", "Quy tắc", "Trang", "Dòng", "Vị trí", "Nội dung", "Giá trị kỳ vọng",
        "Giá trị báo cáo", "Trích dẫn", "Mã số liệu", "Tài liệu liên quan", "Mã phát hiện",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    sheet.header_notes = vec![None; sheet.headers.len()];
    for f in &ds.findings {
        let (u, p) = unit.get(f.doc_id.as_str()).copied().unwrap_or(("", ""));
        sheet.rows.push(vec![
            V::text(f.doc_id.clone()),
            V::opt_text(Some(u)),
            V::opt_text(Some(p)),
            V::text(f.severity.as_str()),
            V::text(f.rule.as_str()),
            V::opt_num(f.page.map(f64::from), NumFmt::Plain),
            V::opt_num(f.line.map(f64::from), NumFmt::Plain),
            V::opt_text(f.location.as_deref()),
            V::text(f.message.clone()),
            V::opt_text(f.expected.as_deref()),
            V::opt_text(f.reported.as_deref()),
            V::text(f.quote.clone()),
            V::opt_text(f.figure_id.as_deref()),
            V::opt_text(f.related_doc_id.as_deref()),
            V::text(f.finding_id.clone()),
        ]);
    }
    sheet
}

fn sources_sheet(docs: &[&DocumentRow]) -> Sheet {
    let mut sheet = Sheet { name: SHEET_SOURCES.into(), freeze_cols: 0, ..Default::default() };
    sheet.headers = [
        "Mã tài liệu", "Tệp", "Định dạng", "Trạng thái", "Mã hóa ký tự", "Số trang", "Dung lượng (byte)", "Đơn vị", "Cấp",
        "Tỉnh", "Kỳ báo cáo", "Loại văn bản", "Số hiệu", "Ngày ký", "Lỗi", "Cảnh báo",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    sheet.header_notes = vec![None; sheet.headers.len()];
    for d in docs {
        let m = &d.meta;
        sheet.rows.push(vec![
            V::text(d.doc_id.clone()),
            V::text(d.path.clone()),
            V::text(d.format.as_str()),
            V::text(d.status.as_str()),
            V::opt_text(d.encoding.as_deref()),
            V::opt_num(d.pages.map(f64::from), NumFmt::Plain),
            V::Num(d.bytes as f64, NumFmt::Count),
            V::opt_text(m.unit_name.as_deref()),
            V::opt_text(m.unit_level.as_deref()),
            V::opt_text(m.province.as_deref()),
            V::text(period_label(d)),
            V::opt_text(m.doc_type.as_deref()),
            V::opt_text(m.report_number.as_deref()),
            V::opt_text(m.doc_date.as_deref()),
            V::opt_text(d.error.as_deref()),
            V::opt_text(d.warnings.as_deref()),
        ]);
    }
    sheet
}

// ───────────────────────────── XLSX ─────────────────────────────

struct Formats {
    header: Format,
    header_wrap: Format,
    text: Format,
    count: Format,
    count_dec: Format,
    percent: Format,
    plain: Format,
}

fn formats(highlight: bool) -> Formats {
    let base = || {
        let f = Format::new();
        if highlight {
            f.set_background_color(Color::RGB(0xFFE699)).set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xC00000))
        } else {
            f
        }
    };
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    Formats {
        header_wrap: header.clone().set_text_wrap(),
        header,
        text: base(),
        count: base().set_num_format("#,##0"),
        count_dec: base().set_num_format("#,##0.00"),
        percent: base().set_num_format("0.00"),
        plain: base().set_num_format("0"),
    }
}

fn col_width(sheet: &Sheet, col: usize) -> (f64, usize) {
    let data = sheet.rows.iter().map(|r| r.get(col).map_or(0, V::display_len)).max().unwrap_or(0);
    let header = sheet.headers.get(col).map_or(0, |h| h.chars().count());
    let data_w = (data + 2).clamp(6, 60);
    if sheet.wrap_header && header > 18 {
        // Narrow column, header wrapped over several lines.
        let w = data_w.clamp(16, 26).max(header.div_ceil(5)).min(30);
        let lines = header.div_ceil(w.saturating_sub(2).max(1));
        (w as f64, lines)
    } else {
        ((header + 3).max(data_w).min(70) as f64, 1)
    }
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<()> {
    ws.set_name(&sheet.name)?;
    let normal = formats(false);
    let hl = formats(true);
    let mut max_lines = 1;
    for (c, h) in sheet.headers.iter().enumerate() {
        let col = u16::try_from(c).context("too many columns")?;
        let (w, lines) = col_width(sheet, c);
        max_lines = max_lines.max(lines);
        ws.set_column_width(col, w)?;
        let f = if sheet.wrap_header { &normal.header_wrap } else { &normal.header };
        ws.write_string_with_format(0, col, h, f)?;
        if let Some(Some(n)) = sheet.header_notes.get(c) {
            ws.insert_note(0, col, &Note::new(n).set_author("cchc").add_author_prefix(false))?;
        }
    }
    if max_lines > 1 {
        ws.set_row_height(0, (15 * max_lines.min(8)) as f64)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let xr = u32::try_from(r + 1).context("too many rows")?;
        for (c, v) in row.iter().enumerate() {
            let col = u16::try_from(c).context("too many columns")?;
            let note = sheet.flagged.get(&(r, c));
            let f = if note.is_some() { &hl } else { &normal };
            match v {
                V::Empty => {
                    if note.is_some() {
                        ws.write_blank(xr, col, &f.text)?;
                    }
                }
                V::Text(s) => {
                    ws.write_string_with_format(xr, col, s, &f.text)?;
                }
                V::Num(x, fmt) => {
                    let format = match fmt {
                        NumFmt::Percent => &f.percent,
                        NumFmt::Plain => &f.plain,
                        NumFmt::Count | NumFmt::Money if x.fract() != 0.0 => &f.count_dec,
                        NumFmt::Count | NumFmt::Money => &f.count,
                    };
                    ws.write_number_with_format(xr, col, *x, format)?;
                }
            }
            if let Some(n) = note {
                ws.insert_note(xr, col, &Note::new(n).set_author("cchc").add_author_prefix(false))?;
            }
        }
    }
    let ncols = u16::try_from(sheet.headers.len().max(1)).context("too many columns")?;
    let nrows = u32::try_from(sheet.rows.len()).context("too many rows")?;
    ws.set_freeze_panes(1, sheet.freeze_cols)?;
    ws.autofilter(0, 0, nrows, ncols - 1)?;
    Ok(())
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Write the workbook atomically (temp file in the same directory, rename).
pub fn write_xlsx(ds: &Dataset, catalog: &Catalog, path: &Path) -> Result<()> {
    let report = build(ds, catalog);
    let mut wb = Workbook::new();
    for sheet in &report.sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, sheet).with_context(|| format!("sheet {}", sheet.name))?;
    }
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = temp_path(path);
    let res = wb
        .save(&tmp)
        .map_err(anyhow::Error::from)
        .and_then(|_| fs::rename(&tmp, path).map_err(anyhow::Error::from));
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res.with_context(|| format!("writing {}", path.display()))
}

// ───────────────────────────── CSV ─────────────────────────────

/// File name of a sheet's CSV ("So sánh" → "so_sanh.csv").
pub fn csv_name(sheet: &str) -> String {
    let folded = crate::canon::indicators::fold(sheet);
    format!("{}.csv", folded.split_whitespace().collect::<Vec<_>>().join("_"))
}

fn csv_field(v: &V) -> String {
    let s = match v {
        V::Empty => return String::new(),
        V::Num(x, _) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        V::Num(x, NumFmt::Percent) => format!("{}", (x * 100.0).round() / 100.0),
        V::Num(x, _) => format!("{x}"),
        V::Text(s) => s.clone(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One CSV per sheet in `dir`, UTF-8 with BOM (so Excel shows Vietnamese).
pub fn write_csv(ds: &Dataset, catalog: &Catalog, dir: &Path) -> Result<()> {
    let report = build(ds, catalog);
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for sheet in &report.sheets {
        let path = dir.join(csv_name(&sheet.name));
        let mut buf: Vec<u8> = Vec::new();
        buf.extend_from_slice("\u{FEFF}".as_bytes());
        let header: Vec<String> = sheet.headers.iter().map(|h| csv_field(&V::Text(h.clone()))).collect();
        writeln!(buf, "{}", header.join(","))?;
        for row in &sheet.rows {
            let fields: Vec<String> = row.iter().map(csv_field).collect();
            writeln!(buf, "{}", fields.join(","))?;
        }
        let tmp = temp_path(&path);
        fs::write(&tmp, &buf).with_context(|| format!("writing {}", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dv(v: Option<f64>, n: Option<f64>, d: Option<f64>) -> DocValue {
        DocValue { value: v, text: None, numerator: n, denominator: d, origin: Origin::Derived }
    }

    #[test]
    fn rates_are_recomputed_from_sums_never_averaged() {
        let cat = Catalog::builtin();
        let ind = cat.get("tthc.ho_so.dung_han_ty_le").unwrap();
        let a = dv(Some(99.52), Some(843.0), Some(847.0));
        let b = dv(Some(99.96), Some(7256.0), Some(7259.0));
        let c = dv(Some(50.0), None, None);
        let agg = aggregate(ind, &[&a, &b, &c]).unwrap();
        assert_eq!(agg.units, 2);
        let expect = (843.0 + 7256.0) / (847.0 + 7259.0) * 100.0;
        assert!((agg.value.unwrap() - expect).abs() < 1e-9);
        assert!(agg.note.is_some());
        let cnt = cat.get("tthc.ho_so.giai_quyet").unwrap();
        let s = aggregate(cnt, &[&dv(Some(847.0), None, None), &dv(Some(7259.0), None, None)]).unwrap();
        assert_eq!((s.value, s.units), (Some(8106.0), 2));
    }

    #[test]
    fn csv_names_and_fields() {
        assert_eq!(csv_name(SHEET_COMPARE), "so_sanh.csv");
        assert_eq!(csv_name(SHEET_SERIES), "chuoi_thoi_gian.csv");
        assert_eq!(csv_field(&V::Num(7259.0, NumFmt::Count)), "7259");
        assert_eq!(csv_field(&V::Num(99.519999, NumFmt::Percent)), "99.52");
        assert_eq!(csv_field(&V::text("a, \"b\"")), "\"a, \"\"b\"\"\"");
    }
}
