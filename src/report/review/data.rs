//! The dataset gathered into the view structs the template renders: the
//! overview, one view per document (sections, findings in context, claims,
//! tables) and the unit × indicator comparison.  Every number is formatted
//! here (Vietnamese style), the template only places text.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::chart::{charts, matrix, Chart, Matrix};
use super::highlight::{context, find_paragraph, Context, Involved, Source};
use crate::canon::indicators::Catalog;
use crate::model::{Cell, Claim, Dataset, DocumentRow, Figure, Finding, Rule, Section, Severity, Status};
use crate::report::compare::{doc_values, findings_by_value, period_label, sorted_docs};
use crate::util::{cell_location, vn_auto, vn_num};

/// Above this many documents the per-document blocks start closed (the
/// browser then lays out only the summaries).
pub const OPEN_DOCS_UP_TO: usize = 30;

#[derive(Debug, Serialize)]
pub struct Page {
    pub title: String,
    pub version: &'static str,
    pub dataset: String,
    pub totals: Totals,
    pub documents: Vec<DocRow>,
    pub problems: Vec<DocRow>,
    pub by_rule: Vec<RuleRow>,
    pub severities: Vec<&'static str>,
    pub rules: Vec<&'static str>,
    pub units: Vec<String>,
    pub indicators: Vec<Named>,
    pub charts: Vec<Chart>,
    pub matrix: Matrix,
    pub docs: Vec<DocView>,
    pub open_docs: bool,
}

#[derive(Debug, Serialize, Default)]
pub struct Totals {
    pub documents: usize,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    pub needs_ocr: usize,
    pub findings: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub claims: usize,
    pub cells: usize,
}

#[derive(Debug, Serialize, Clone)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// One row of the documents overview.
#[derive(Debug, Serialize)]
pub struct DocRow {
    pub anchor: String,
    pub unit: String,
    pub level: String,
    pub province: String,
    pub period: String,
    pub status: &'static str,
    pub source: String,
    pub path: String,
    pub error: String,
    pub pages: String,
    pub sections: usize,
    pub findings: usize,
    pub errors: usize,
    pub claims: usize,
    pub cells: usize,
}

#[derive(Debug, Serialize)]
pub struct RuleRow {
    pub rule: &'static str,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub number: String,
    pub title: String,
    pub depth: usize,
    pub line: i32,
    pub page: String,
}

/// A figure named by a finding, listed under it.
#[derive(Debug, Serialize)]
pub struct FigView {
    pub cls: &'static str,
    pub role: &'static str,
    pub raw: String,
    pub line: i32,
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub id: String,
    pub severity: &'static str,
    pub rule: &'static str,
    pub unit: String,
    pub indicator: String,
    pub indicator_name: String,
    pub message: String,
    pub expected: String,
    pub reported: String,
    pub line: String,
    pub page: String,
    pub location: String,
    pub section: String,
    /// Anchor of the flagged table cell, when the finding names one.
    pub cell_anchor: String,
    pub related: String,
    pub context: Context,
    pub figures: Vec<FigView>,
}

#[derive(Debug, Serialize)]
pub struct ClaimView {
    pub id: String,
    pub line: i32,
    pub page: String,
    pub kind: &'static str,
    pub form: &'static str,
    pub quote: String,
    pub part: String,
    pub base: String,
    pub stated: String,
    pub computed: String,
    pub verdict: &'static str,
    pub explained_by: String,
    pub indicator: String,
    pub flagged: bool,
}

#[derive(Debug, Serialize)]
pub struct CellView {
    pub text: String,
    pub anchor: String,
    /// Messages of the findings that name this cell.
    pub flag: String,
}

#[derive(Debug, Serialize)]
pub struct RowView {
    pub stt: String,
    pub label: String,
    pub line: i32,
    pub page: String,
    pub cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
pub struct TableView {
    pub id: String,
    pub title: String,
    pub line: i32,
    pub page: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    pub flagged: usize,
}

#[derive(Debug, Serialize)]
pub struct DocView {
    pub anchor: String,
    pub doc_id: String,
    pub row: DocRow,
    pub title: String,
    pub sections: Vec<SectionView>,
    pub findings: Vec<FindingView>,
    pub claims: Vec<ClaimView>,
    pub tables: Vec<TableView>,
    /// The section tree, claims and tables rendered, gzip'ed and base64'ed
    /// (lazy pages); empty when they are inline.
    pub heavy_gz: String,
}

/// `d-` + the first 16 hex digits of the document id.
pub fn anchor_of(doc_id: &str) -> String {
    let short: String = doc_id.chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    format!("d-{short}")
}

/// Characters of a section title shown in the tree.
const TITLE_CHARS: usize = 200;

/// `s` cut to `n` characters (with an ellipsis when cut).
pub(super) fn cut(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or("").to_string()
}

fn page_text(p: Option<i32>) -> String {
    p.map(|p| p.to_string()).unwrap_or_default()
}

fn num(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite()).map(vn_auto).unwrap_or_default()
}

fn pct(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite()).map(|v| format!("{}%", vn_num(v, 2))).unwrap_or_default()
}

/// What the analyst calls a document: its unit, else its file name.
pub fn unit_label(d: &DocumentRow) -> String {
    match d.meta.unit_name.as_deref() {
        Some(u) if !u.trim().is_empty() => u.to_string(),
        _ => d.path.rsplit('/').next().unwrap_or(&d.path).to_string(),
    }
}

/// Rows of one document, each table grouped once.
struct DocRows<'a> {
    sections: Vec<&'a Section>,
    figures: Vec<&'a Figure>,
    cells: Vec<&'a Cell>,
    findings: Vec<&'a Finding>,
    claims: Vec<&'a Claim>,
}

fn group(ds: &Dataset) -> HashMap<&str, DocRows<'_>> {
    let mut by: HashMap<&str, DocRows<'_>> = ds
        .documents
        .iter()
        .map(|d| (d.doc_id.as_str(), DocRows { sections: vec![], figures: vec![], cells: vec![], findings: vec![], claims: vec![] }))
        .collect();
    for s in &ds.sections {
        if let Some(r) = by.get_mut(s.doc_id.as_str()) {
            r.sections.push(s);
        }
    }
    for f in &ds.figures {
        if let Some(r) = by.get_mut(f.doc_id.as_str()) {
            r.figures.push(f);
        }
    }
    for c in &ds.cells {
        if let Some(r) = by.get_mut(c.doc_id.as_str()) {
            r.cells.push(c);
        }
    }
    for f in &ds.findings {
        if let Some(r) = by.get_mut(f.doc_id.as_str()) {
            r.findings.push(f);
        }
    }
    for c in &ds.claims {
        if let Some(r) = by.get_mut(c.doc_id.as_str()) {
            r.claims.push(c);
        }
    }
    by
}

fn doc_row(d: &DocumentRow, rows: Option<&DocRows<'_>>) -> DocRow {
    let m = &d.meta;
    let source = match (d.format.as_str(), d.encoding.as_deref()) {
        (f, Some(e)) if e != f => format!("{f} · {e}"),
        (f, _) => f.to_string(),
    };
    DocRow {
        anchor: anchor_of(&d.doc_id),
        unit: unit_label(d),
        level: opt(m.unit_level.as_deref()),
        province: opt(m.province.as_deref()),
        period: period_label(d),
        status: d.status.as_str(),
        source,
        path: d.path.clone(),
        error: opt(d.error.as_deref()),
        pages: page_text(d.pages),
        sections: rows.map_or(0, |r| r.sections.len()),
        findings: rows.map_or(0, |r| r.findings.len()),
        errors: rows.map_or(0, |r| r.findings.iter().filter(|f| f.severity == Severity::Error).count()),
        claims: rows.map_or(0, |r| r.claims.len()),
        cells: rows.map_or(0, |r| r.cells.len()),
    }
}

/// Section tree as an indented list (depth from the parent chain).
fn section_views(sections: &[&Section]) -> Vec<SectionView> {
    let parent: HashMap<&str, Option<&str>> = sections.iter().map(|s| (s.section_id.as_str(), s.parent_id.as_deref())).collect();
    sections
        .iter()
        .map(|s| {
            let mut depth = 0;
            let mut at = s.parent_id.as_deref();
            while let Some(p) = at {
                depth += 1;
                if depth > 32 {
                    break;
                }
                at = parent.get(p).copied().flatten();
            }
            SectionView { number: s.number.clone(), title: cut(&s.title, TITLE_CHARS), depth: depth.min(6), line: s.line, page: page_text(s.page) }
        })
        .collect()
}

/// Column order of a table: first appearance.
fn table_views(anchor: &str, cells: &[&Cell], flags: &HashMap<String, Vec<&Finding>>) -> Vec<TableView> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_table: HashMap<&str, Vec<&Cell>> = HashMap::new();
    for c in cells {
        let t = c.table_id.as_str();
        if !by_table.contains_key(t) {
            order.push(t);
        }
        by_table.entry(t).or_default().push(c);
    }
    order
        .iter()
        .enumerate()
        .map(|(ti, t)| {
            let cells = by_table.get(t).map(Vec::as_slice).unwrap_or_default();
            let mut columns: Vec<String> = Vec::new();
            for c in cells {
                if !columns.contains(&c.column) {
                    columns.push(c.column.clone());
                }
            }
            let mut rows: BTreeMap<i32, Vec<&Cell>> = BTreeMap::new();
            for c in cells {
                rows.entry(c.row).or_default().push(c);
            }
            let mut flagged = 0;
            let rows = rows
                .values()
                .filter_map(|rc| {
                    let first = rc.first()?;
                    let cells = columns
                        .iter()
                        .enumerate()
                        .map(|(ci, col)| match rc.iter().find(|c| &c.column == col) {
                            Some(c) => {
                                let flag = flags
                                    .get(&cell_location(c))
                                    .map(|fs| fs.iter().map(|f| format!("[{}] {}", f.severity, f.message)).collect::<Vec<_>>().join("\n"))
                                    .unwrap_or_default();
                                flagged += usize::from(!flag.is_empty());
                                CellView { text: c.raw.clone(), anchor: format!("{anchor}-t{ti}-r{}-c{ci}", c.row), flag }
                            }
                            None => CellView { text: String::new(), anchor: String::new(), flag: String::new() },
                        })
                        .collect();
                    Some(RowView { stt: opt(first.stt.as_deref()), label: opt(first.label.as_deref()), line: first.line, page: page_text(first.page), cells })
                })
                .collect();
            let first = cells.first();
            TableView {
                id: t.rsplit(':').next().unwrap_or(t).to_string(),
                title: first.and_then(|c| c.table_title.clone()).unwrap_or_default(),
                line: first.map_or(0, |c| c.line),
                page: page_text(first.and_then(|c| c.page)),
                columns,
                rows,
                flagged,
            }
        })
        .collect()
}

/// Anchor of the cell a location names ("t2 / 6.3.1 / Năm 2022").
fn cell_anchors(anchor: &str, cells: &[&Cell]) -> HashMap<String, (String, &'static str)> {
    let mut tables: Vec<&str> = Vec::new();
    let mut columns: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut out = HashMap::new();
    for c in cells {
        if !tables.contains(&c.table_id.as_str()) {
            tables.push(c.table_id.as_str());
        }
        let cols = columns.entry(c.table_id.as_str()).or_default();
        if !cols.contains(&c.column.as_str()) {
            cols.push(c.column.as_str());
        }
        let ti = tables.iter().position(|t| *t == c.table_id).unwrap_or(0);
        let ci = cols.iter().position(|x| *x == c.column).unwrap_or(0);
        out.entry(cell_location(c)).or_insert((format!("{anchor}-t{ti}-r{}-c{ci}", c.row), ""));
    }
    out
}

fn finding_views(
    d: &DocumentRow,
    rows: &DocRows<'_>,
    cat: &Catalog,
    fig_by_id: &HashMap<&str, &Figure>,
    anchors: &HashMap<String, (String, &'static str)>,
) -> Vec<FindingView> {
    let unit = unit_label(d);
    let cell_by_loc: HashMap<String, &Cell> = rows.cells.iter().map(|c| (cell_location(c), *c)).collect();
    let mut findings: Vec<&Finding> = rows.findings.clone();
    findings.sort_by_key(|f| (f.line.unwrap_or(i32::MAX), f.finding_id.clone()));
    findings
        .iter()
        .map(|f| {
            let fig = f.figure_id.as_deref().and_then(|id| fig_by_id.get(id)).copied();
            let cell = f.location.as_ref().and_then(|l| cell_by_loc.get(l)).copied();
            // The claim the finding is about: through its figure, else by quote.
            let claim = rows
                .claims
                .iter()
                .find(|c| {
                    f.figure_id.is_some()
                        && [&c.stated_figure_id, &c.part_figure_id, &c.base_figure_id].iter().any(|id| id.as_deref() == f.figure_id.as_deref())
                })
                .or_else(|| rows.claims.iter().find(|c| c.quote == f.quote));
            let mut involved: Vec<Involved<'_>> = Vec::new();
            let mut figures: Vec<FigView> = Vec::new();
            let mut add = |id: Option<&str>, cls: &'static str, role: &'static str| {
                if let Some(fg) = id.and_then(|id| fig_by_id.get(id)) {
                    if involved.iter().any(|i| i.figure.figure_id == fg.figure_id) {
                        return;
                    }
                    involved.push(Involved { figure: fg, cls });
                    figures.push(FigView { cls, role, raw: fg.raw.clone(), line: fg.line });
                }
            };
            if let Some(c) = claim {
                add(c.part_figure_id.as_deref(), "part", "phần");
                add(c.base_figure_id.as_deref(), "base", "cơ sở");
                add(c.stated_figure_id.as_deref(), "stated", "tỷ lệ nêu");
            }
            let own_role = match f.rule {
                Rule::PartsTotal | Rule::CountBounds => ("total", "tổng"),
                _ => ("fig", "số liệu"),
            };
            add(f.figure_id.as_deref(), own_role.0, own_role.1);
            // Parts of a total: the other figures of the same sentence inside the quote.
            if let Some(fg) = fig.filter(|_| matches!(f.rule, Rule::PartsTotal | Rule::CountBounds)) {
                for other in rows.figures.iter().filter(|o| o.line == fg.line && o.sentence == fg.sentence && o.figure_id != fg.figure_id) {
                    if f.quote.contains(other.raw.as_str()) && !matches!(other.kind, crate::model::Kind::Date | crate::model::Kind::Period) {
                        add(Some(other.figure_id.as_str()), "part", "phần");
                    }
                }
            }
            let text = match cell {
                Some(c) if c.raw.contains(f.quote.as_str()) => Some((c.raw.as_str(), Source::Cell)),
                _ => {
                    let sentences: Vec<&str> = fig.map(|g| g.sentence.as_str()).into_iter().collect();
                    find_paragraph(&f.quote, f.line, &rows.sections, &sentences)
                }
            };
            let ctx = context(&f.quote, text, &involved);
            let indicator =
                fig.and_then(|g| g.indicator.clone()).or_else(|| cell.and_then(|c| c.indicator.clone())).or_else(|| claim.and_then(|c| c.indicator.clone()));
            let section = f
                .line
                .and_then(|l| rows.sections.iter().filter(|s| s.line <= l).max_by_key(|s| s.line))
                .map(|s| format!("{}. {}", s.number, s.title))
                .unwrap_or_default();
            FindingView {
                id: f.finding_id.clone(),
                severity: f.severity.as_str(),
                rule: f.rule.as_str(),
                unit: unit.clone(),
                indicator_name: indicator.as_deref().and_then(|i| cat.get(i)).map(|i| i.name.clone()).unwrap_or_default(),
                indicator: indicator.unwrap_or_default(),
                message: f.message.clone(),
                expected: opt(f.expected.as_deref()),
                reported: opt(f.reported.as_deref()),
                line: f.line.map(|l| l.to_string()).unwrap_or_default(),
                page: page_text(f.page),
                location: opt(f.location.as_deref()),
                section,
                cell_anchor: f.location.as_ref().and_then(|l| anchors.get(l)).map(|a| a.0.clone()).unwrap_or_default(),
                related: f.related_doc_id.as_deref().map(anchor_of).unwrap_or_default(),
                context: ctx,
                figures,
            }
        })
        .collect()
}

fn claim_views(claims: &[&Claim], flagged_figs: &HashSet<&str>) -> Vec<ClaimView> {
    let mut claims = claims.to_vec();
    claims.sort_by_key(|c| c.line);
    claims
        .iter()
        .map(|c| ClaimView {
            id: c.claim_id.clone(),
            line: c.line,
            page: page_text(c.page),
            kind: c.kind.as_str(),
            form: c.form.as_str(),
            quote: c.quote.clone(),
            part: num(c.part_value),
            base: num(c.base_value),
            stated: c.stated_raw.clone().unwrap_or_else(|| pct(c.stated_percent)),
            computed: pct(c.computed_percent),
            verdict: c.verdict.as_str(),
            explained_by: opt(c.explained_by.as_deref()),
            indicator: opt(c.indicator.as_deref()),
            flagged: [&c.stated_figure_id, &c.part_figure_id, &c.base_figure_id].iter().any(|id| id.as_deref().is_some_and(|id| flagged_figs.contains(id))),
        })
        .collect()
}

/// Everything the page shows, from a verified dataset.
pub fn gather(ds: &Dataset, cat: &Catalog, dataset: &str, top: usize) -> Page {
    let rows = group(ds);
    let docs = sorted_docs(ds);
    let fig_by_id: HashMap<&str, &Figure> = ds.figures.iter().map(|f| (f.figure_id.as_str(), f)).collect();

    let mut totals = Totals { documents: ds.documents.len(), findings: ds.findings.len(), claims: ds.claims.len(), cells: ds.cells.len(), ..Totals::default() };
    for d in &ds.documents {
        match d.status {
            Status::Ok => totals.ok += 1,
            Status::Partial => totals.partial += 1,
            Status::Failed => totals.failed += 1,
            Status::NeedsOcr => totals.needs_ocr += 1,
        }
    }
    let mut by_rule: Vec<RuleRow> = Vec::new();
    for f in &ds.findings {
        match f.severity {
            Severity::Error => totals.error += 1,
            Severity::Warning => totals.warning += 1,
            Severity::Info => totals.info += 1,
        }
        let i = match by_rule.iter().position(|r| r.rule == f.rule.as_str()) {
            Some(i) => i,
            None => {
                by_rule.push(RuleRow { rule: f.rule.as_str(), error: 0, warning: 0, info: 0, total: 0 });
                by_rule.len() - 1
            }
        };
        let r = &mut by_rule[i];
        r.total += 1;
        match f.severity {
            Severity::Error => r.error += 1,
            Severity::Warning => r.warning += 1,
            Severity::Info => r.info += 1,
        }
    }
    by_rule.sort_by(|a, b| b.total.cmp(&a.total).then(a.rule.cmp(b.rule)));

    let severities: Vec<&'static str> =
        [Severity::Error, Severity::Warning, Severity::Info].iter().filter(|s| ds.findings.iter().any(|f| f.severity == **s)).map(|s| s.as_str()).collect();
    let rules: Vec<&'static str> = by_rule.iter().map(|r| r.rule).collect();

    let values = doc_values(ds, cat);
    let flagged_values = findings_by_value(ds, &values);
    let charts_and_inds = charts(ds, cat, &docs, &values, top);
    let matrix = matrix(&docs, &values, &flagged_values, &charts_and_inds.1);

    let mut doc_views = Vec::with_capacity(docs.len());
    let mut units: Vec<String> = Vec::new();
    let mut indicators: BTreeMap<String, String> = BTreeMap::new();
    for d in &docs {
        let Some(r) = rows.get(d.doc_id.as_str()) else { continue };
        let anchor = anchor_of(&d.doc_id);
        let unit = unit_label(d);
        if !units.contains(&unit) {
            units.push(unit);
        }
        let mut flags: HashMap<String, Vec<&Finding>> = HashMap::new();
        for f in &r.findings {
            if let Some(l) = &f.location {
                flags.entry(l.clone()).or_default().push(f);
            }
        }
        let anchors = cell_anchors(&anchor, &r.cells);
        let findings = finding_views(d, r, cat, &fig_by_id, &anchors);
        for f in &findings {
            if !f.indicator.is_empty() {
                indicators
                    .entry(f.indicator.clone())
                    .or_insert_with(|| if f.indicator_name.is_empty() { f.indicator.clone() } else { f.indicator_name.clone() });
            }
        }
        let flagged_figs: HashSet<&str> = r.findings.iter().filter_map(|f| f.figure_id.as_deref()).collect();
        doc_views.push(DocView {
            anchor: anchor.clone(),
            doc_id: d.doc_id.clone(),
            row: doc_row(d, Some(r)),
            title: opt(d.meta.title.as_deref()),
            sections: section_views(&r.sections),
            findings,
            claims: claim_views(&r.claims, &flagged_figs),
            tables: table_views(&anchor, &r.cells, &flags),
            heavy_gz: String::new(),
        });
    }
    units.sort();
    let problems = docs.iter().filter(|d| d.status != Status::Ok).map(|d| doc_row(d, rows.get(d.doc_id.as_str()))).collect();
    let province = {
        let set: HashSet<&str> = ds.documents.iter().filter_map(|d| d.meta.province.as_deref()).collect();
        if set.len() == 1 {
            set.into_iter().next().map(|p| format!(" — {p}")).unwrap_or_default()
        } else {
            String::new()
        }
    };
    Page {
        title: format!("Rà soát báo cáo CCHC{province}"),
        version: env!("CARGO_PKG_VERSION"),
        dataset: dataset.to_string(),
        totals,
        documents: docs.iter().map(|d| doc_row(d, rows.get(d.doc_id.as_str()))).collect(),
        problems,
        by_rule,
        severities,
        rules,
        units,
        indicators: indicators.into_iter().map(|(id, name)| Named { id, name }).collect(),
        charts: charts_and_inds.0,
        matrix,
        docs: doc_views,
        open_docs: docs.len() <= OPEN_DOCS_UP_TO,
    }
}
