//! The sheets of the comparison workbook, in memory.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::values::{aggregate, doc_values, value_of_cell};
use super::{DocValue, NumFmt, Report, Sheet, SHEET_COMPARE, SHEET_FINDINGS, SHEET_SERIES, SHEET_SOURCES, SHEET_SUMMARY, V};
use crate::canon::indicators::{Catalog, Indicator, IndicatorKind};
use crate::model::{Dataset, DocumentRow, Finding};
use crate::util::cell_location;

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
        Some("range") => format!("{}–{}", m.period_from.map(|v| v.to_string()).unwrap_or_default(), m.period_to.map(|v| v.to_string()).unwrap_or_default()),
        Some("year") => format!("Năm {y}"),
        Some(k) => format!("{k} {y}").trim().to_string(),
        None => y,
    }
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

/// Documents by province, level, unit, period (the row order of the sheets
/// and of the review page).
pub(crate) fn sorted_docs(ds: &Dataset) -> Vec<&DocumentRow> {
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
pub(crate) fn findings_by_value<'a>(ds: &'a Dataset, values: &HashMap<(String, String), DocValue>) -> HashMap<(String, String), Vec<&'a Finding>> {
    let fig_ind: HashMap<&str, (&str, &str)> =
        ds.figures.iter().filter_map(|f| f.indicator.as_deref().map(|i| (f.figure_id.as_str(), (f.doc_id.as_str(), i)))).collect();
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
            f.location.as_ref().and_then(|l| cell_ind.get(&(f.doc_id.as_str(), l.clone()))).map(|ind| (f.doc_id.clone(), ind.to_string()))
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
    let mut sheet = Sheet::with_headers(SHEET_COMPARE, &ID_HEADERS, 1);
    sheet.wrap_header = true;
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
                let text = fs.iter().map(|f| format!("[{}] {}: {}", f.severity, f.rule, f.message)).collect::<Vec<_>>().join("\n");
                sheet.flagged.insert((r, ID_HEADERS.len() + j), text);
            }
            row.push(v);
        }
        sheet.rows.push(row);
    }
    sheet
}

fn summary_sheet(cat: &Catalog, docs: &[&DocumentRow], values: &HashMap<(String, String), DocValue>) -> Sheet {
    let headers =
        ["Tỉnh", "Cấp", "Kỳ báo cáo", "Mã chỉ tiêu", "Chỉ tiêu", "Loại", "Đơn vị tính", "Giá trị", "Tử số (tổng)", "Mẫu số (tổng)", "Số đơn vị", "Ghi chú"];
    let mut sheet = Sheet::with_headers(SHEET_SUMMARY, &headers, 0);
    // group → doc ids, in first-appearance order of the sorted docs.
    type GroupKey = (String, String, String);
    let mut groups: Vec<(GroupKey, Vec<&str>)> = Vec::new();
    for d in docs {
        let key = (d.meta.province.clone().unwrap_or_default(), d.meta.unit_level.clone().unwrap_or_default(), period_label(d));
        match groups.iter_mut().find(|(k, _)| k == &key) {
            Some((_, v)) => v.push(d.doc_id.as_str()),
            None => groups.push((key, vec![d.doc_id.as_str()])),
        }
    }
    for ((prov, level, period), ids) in &groups {
        for ind in &cat.indicators {
            let vals: Vec<&DocValue> = ids.iter().filter_map(|d| values.get(&(d.to_string(), ind.id.clone()))).collect();
            if vals.is_empty() {
                continue;
            }
            let Some(a) = aggregate(ind, &vals) else {
                continue;
            };
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
        let (Some(id), Some(y)) = (c.indicator.as_deref(), c.year) else {
            continue;
        };
        let Some(ind) = cat.get(id) else { continue };
        let Some(v) = value_of_cell(c, ind.kind) else {
            continue;
        };
        years.insert(y);
        data.entry((c.doc_id.as_str(), id)).or_default().entry(y).or_insert(v);
    }
    let headers = ["Đơn vị", "Cấp", "Kỳ báo cáo", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính"];
    let mut sheet = Sheet::with_headers(SHEET_SERIES, &headers, 2);
    for y in &years {
        sheet.headers.push(format!("Năm {y}"));
        sheet.header_notes.push(None);
    }
    for d in docs {
        for ind in &cat.indicators {
            let Some(by_year) = data.get(&(d.doc_id.as_str(), ind.id.as_str())) else {
                continue;
            };
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
    let unit: HashMap<&str, (&str, &str)> =
        ds.documents.iter().map(|d| (d.doc_id.as_str(), (d.meta.unit_name.as_deref().unwrap_or(""), d.path.as_str()))).collect();
    let headers = [
        "Mã tài liệu",
        "Đơn vị",
        "Tệp",
        "Mức độ",
        "Quy tắc",
        "Trang",
        "Dòng",
        "Vị trí",
        "Nội dung",
        "Giá trị kỳ vọng",
        "Giá trị báo cáo",
        "Trích dẫn",
        "Mã số liệu",
        "Tài liệu liên quan",
        "Mã phát hiện",
    ];
    let mut sheet = Sheet::with_headers(SHEET_FINDINGS, &headers, 0);
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
    let headers = [
        "Mã tài liệu",
        "Tệp",
        "Định dạng",
        "Trạng thái",
        "Mã hóa ký tự",
        "Số trang",
        "Dung lượng (byte)",
        "Đơn vị",
        "Cấp",
        "Tỉnh",
        "Kỳ báo cáo",
        "Loại văn bản",
        "Số hiệu",
        "Ngày ký",
        "Lỗi",
        "Cảnh báo",
    ];
    let mut sheet = Sheet::with_headers(SHEET_SOURCES, &headers, 0);
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
