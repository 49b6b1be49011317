//! prose_vs_table: the same quantity or the same referenced document stated
//! in the prose and in an appendix with different values.
//!
//! * References: "Kế hoạch số 02/KH-UBND ngày 03/01/2025" in the prose and
//!   "… 02/KH-UBND ngày 03/01/2024" in an appendix (table cell, or text after
//!   a "Phụ lục" heading when the table readers did not take it). Only dates
//!   differing in one part are compared: two different dates in every part
//!   are more likely two documents sharing a number.
//! * Numbers: a table row holding a fraction ("576/577") and a percent
//!   ("99,82") against the prose fraction with the same numerator and
//!   denominator; a prose figure and a cell with the same `indicator` (and
//!   year) but different values.
//! * Series: a prose fraction under a "Năm 2024:" lead-in against the
//!   part/total rows of a multi-year table whose rate label ("Tỷ lệ hồ sơ
//!   trực tuyến toàn trình") is the unique best word match of its subject.

use std::collections::HashMap;

use super::series::{self, Row};
use super::{contains_ci, decimals_of_value, dice, percent_matches, vn_auto, word_set, words, Doc, Draft, ProseTableCfg, SeriesCfg};
use crate::model::{Cell, Figure, Finding, Kind, Rule};
use crate::parse::figures::{dated_references, Date};

pub const RULE: Rule = Rule::ProseVsTable;

pub fn check(doc: &Doc, cfg: &ProseTableCfg, series_cfg: &SeriesCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(check_series(doc, cfg, series_cfg));
    if cfg.references {
        out.extend(check_references(doc, cfg));
    }
    out.extend(check_fraction_rows(doc, cfg));
    out.extend(check_indicators(doc, cfg));
    out
}

// ------------------------------------------------------------ references

struct Mention<'a> {
    reference: String,
    /// (year, month, day)
    date: (i32, u32, u32),
    appendix: bool,
    figure: Option<&'a Figure>,
    cell: Option<&'a Cell>,
    quote: String,
    line: i32,
}

fn check_references(doc: &Doc, cfg: &ProseTableCfg) -> Vec<Finding> {
    let mentions = mentions(doc, cfg);
    let mut out = Vec::new();
    let mut seen: Vec<(String, (i32, u32, u32))> = Vec::new();
    for a in mentions.iter().filter(|m| m.appendix) {
        let prose: Vec<&Mention> = mentions.iter().filter(|p| !p.appendix && p.reference == a.reference).collect();
        if prose.iter().any(|p| p.date == a.date) || seen.contains(&(a.reference.clone(), a.date)) {
            continue;
        }
        let Some(p) = prose.iter().find(|p| one_part_differs(p.date, a.date)) else { continue };
        seen.push((a.reference.clone(), a.date));
        out.push(reference_finding(doc, cfg, a, p));
    }
    out
}

fn reference_finding(doc: &Doc, cfg: &ProseTableCfg, a: &Mention, p: &Mention) -> Finding {
    let (da, dp) = (show_date(a.date), show_date(p.date));
    let draft = Draft {
        rule: RULE,
        severity: cfg.severity,
        message: format!("Văn bản số {} ghi ngày {da} ở phụ lục nhưng ngày {dp} trong phần báo cáo (dòng {}).", a.reference, p.line),
        expected: Some(dp),
        reported: Some(da),
        quote: a.quote.clone(),
    };
    match (a.figure, a.cell) {
        (Some(f), _) => draft.at_figure(doc, f),
        (None, Some(c)) => draft.at_cell(&doc.row.doc_id, c),
        (None, None) => draft_without_place(doc, draft, a.line),
    }
}

fn draft_without_place(doc: &Doc, d: Draft, line: i32) -> Finding {
    Finding {
        doc_id: doc.row.doc_id.clone(),
        finding_id: String::new(),
        rule: d.rule,
        severity: d.severity,
        page: None,
        line: Some(line),
        location: None,
        message: d.message,
        expected: d.expected,
        reported: d.reported,
        quote: d.quote,
        figure_id: None,
        related_doc_id: None,
    }
}

fn show_date((y, m, d): (i32, u32, u32)) -> String {
    format!("{d:02}/{m:02}/{y}")
}

fn one_part_differs(a: (i32, u32, u32), b: (i32, u32, u32)) -> bool {
    let diffs = usize::from(a.0 != b.0) + usize::from(a.1 != b.1) + usize::from(a.2 != b.2);
    diffs == 1
}

/// Dated references in the prose (date figures) and in table cells. Without
/// an appendix zone and a dated reference in a cell, every mention would be
/// a prose one, and none has an appendix mention to compare with: then the
/// date figures are not searched (no mention is returned).
fn mentions<'a>(doc: &Doc<'a>, cfg: &ProseTableCfg) -> Vec<Mention<'a>> {
    let zone = AppendixZone::find(doc, cfg);
    let mut in_cells = Vec::new();
    // A dated reference holds a '/' ("02/KH-UBND", "50-KH/ĐU"): the other cells are skipped.
    for c in doc.cells.iter().filter(|c| memchr::memchr(b'/', c.raw.as_bytes()).is_some()) {
        for (s, e, r, d) in dated_references(&c.raw) {
            in_cells.push(Mention {
                reference: norm_ref(&r.normalized()),
                date: date_tuple(d),
                appendix: true,
                figure: None,
                cell: Some(c),
                quote: c.raw[s..e].to_string(),
                line: c.line,
            });
        }
    }
    if in_cells.is_empty() && zone.start.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for f in doc.figures.iter().filter(|f| f.kind == Kind::Date) {
        // "… Kế hoạch số 02/KH-UBND ngày 03/01/2025": the dated reference
        // ending with this date figure (looked for in a bounded window).
        let end = usize::try_from(f.offset).unwrap_or(0) + f.raw.len();
        let from = end.saturating_sub(DATED_REFERENCE_WINDOW);
        let Some(window) = (from..end).find_map(|p| f.sentence.get(p..end).map(|w| (p, w))) else { continue };
        let Some((s, _, r, d)) = dated_references(window.1).into_iter().find(|(_, e, _, _)| *e == window.1.len()) else { continue };
        let quote = window.1[s..].to_string();
        out.push(Mention {
            reference: norm_ref(&r.normalized()),
            date: date_tuple(d),
            appendix: zone.contains(doc, f),
            figure: Some(f),
            cell: None,
            quote,
            line: f.line,
        });
    }
    out.extend(in_cells);
    out
}

/// Bytes before a date figure searched for the reference it dates.
const DATED_REFERENCE_WINDOW: usize = 80;

fn date_tuple(d: Date) -> (i32, u32, u32) {
    (d.year.unwrap_or(0), d.month, d.day)
}

fn norm_ref(r: &str) -> String {
    r.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
}

/// Where the appendix starts in the section texts when its tables were not
/// read as tables: the first short paragraph starting with "Phụ lục".
struct AppendixZone {
    /// (section line, byte position in that section's text)
    start: Option<(i32, usize)>,
}

impl AppendixZone {
    fn find(doc: &Doc, cfg: &ProseTableCfg) -> AppendixZone {
        let mut sections = doc.sections.clone();
        sections.sort_by_key(|s| s.line);
        let appendix_words: Vec<(&str, String)> = cfg.appendix_words.iter().map(|w| (w.as_str(), w.to_uppercase())).collect();
        for s in sections {
            if cfg.appendix_words.iter().any(|w| s.title.starts_with(w.as_str()) || s.number.starts_with(w.as_str())) {
                return AppendixZone { start: Some((s.line, 0)) };
            }
            let mut pos = 0;
            for para in s.text.split('\n') {
                let t = para.trim();
                // Fewer than 40 characters (counted no further than that).
                let short = t.chars().nth(39).is_none();
                if short && appendix_words.iter().any(|(w, upper)| t.starts_with(w) || t.to_uppercase().starts_with(upper.as_str())) {
                    return AppendixZone { start: Some((s.line, pos)) };
                }
                pos += para.len() + 1;
            }
        }
        AppendixZone { start: None }
    }

    fn contains(&self, doc: &Doc, f: &Figure) -> bool {
        let Some((line, pos)) = self.start else { return false };
        let Some(sec) = doc.sections.iter().find(|s| Some(&s.section_id) == f.section_id.as_ref()) else { return false };
        match sec.line.cmp(&line) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => sec.text.find(f.sentence.trim()).is_some_and(|p| p >= pos),
        }
    }
}

// ------------------------------------------------------------ numbers

/// Rows with a fraction cell and a percent cell: the prose fraction with the
/// same numerator and denominator must state a compatible percent.
fn check_fraction_rows(doc: &Doc, cfg: &ProseTableCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    for frac in doc.cells.iter().filter(|c| c.numerator.is_some() && c.denominator.is_some()) {
        let Some(pct) = doc
            .cells
            .iter()
            .find(|c| c.table_id == frac.table_id && c.row == frac.row && c.numerator.is_none() && c.value.is_some() && super::bounds::is_percent_cell(c))
        else {
            continue;
        };
        let Some(table_pct) = pct.value else { continue };
        for f in doc.figures.iter().filter(|f| f.kind == Kind::Fraction && f.numerator == frac.numerator && f.denominator == frac.denominator) {
            let Some(stated) = f.stated_percent else { continue };
            let decimals = decimals_of_value(stated).max(decimals_of_value(table_pct));
            if (stated - table_pct).abs() < 1e-9 || percent_matches(stated, table_pct, decimals) || percent_matches(table_pct, stated, decimals) {
                continue;
            }
            let draft = Draft {
                rule: RULE,
                severity: cfg.severity,
                message: format!("Tỷ lệ của {} nêu {}% trong phần báo cáo nhưng {}% ở phụ lục.", f.raw.trim(), vn_auto(stated), vn_auto(table_pct)),
                expected: Some(format!("{}%", vn_auto(table_pct))),
                reported: Some(format!("{}%", vn_auto(stated))),
                quote: f.raw.trim().to_string(),
            };
            out.push(draft.at_figure(doc, f));
        }
    }
    out
}

/// Prose figures and cells carrying the same indicator (and year) with
/// different values.
fn check_indicators(doc: &Doc, cfg: &ProseTableCfg) -> Vec<Finding> {
    let mut out = Vec::new();
    // Cells with a value by indicator, in document order (built once, not
    // scanned again for every figure). Cells of rows the table reader
    // flagged as ambiguous never raise a finding.
    let mut by_indicator: HashMap<&str, Vec<&Cell>> = HashMap::new();
    for c in doc.cells.iter().filter(|c| c.value.is_some() && c.warning.is_none()) {
        if let Some(indicator) = c.indicator.as_deref() {
            by_indicator.entry(indicator).or_default().push(c);
        }
    }
    // A multi-year report compares only year columns.
    let multi_year = doc.row.meta.period_kind.as_deref() == Some("range");
    for f in doc.figures.iter().filter(|f| f.value.is_some()) {
        let Some(same) = f.indicator.as_deref().and_then(|i| by_indicator.get(i)) else { continue };
        let candidates: Vec<&&Cell> = same
            .iter()
            .filter(|c| c.kind == Some(f.kind))
            .filter(|c| match c.year {
                None => !multi_year,
                Some(_) => c.year == f.year || year_in(&f.sentence, c.year),
            })
            .collect();
        if candidates.is_empty() || candidates.iter().any(|c| c.value == f.value) {
            continue;
        }
        let Some(c) = candidates
            .iter()
            .find(|c| c.label.as_deref().is_some_and(|l| super::overlap(l, f.subject.as_deref().unwrap_or("")) >= cfg.min_overlap) || c.label.is_none())
        else {
            continue;
        };
        let (fv, cv) = (f.value.unwrap_or(0.0), c.value.unwrap_or(0.0));
        let draft = Draft {
            rule: RULE,
            severity: cfg.severity,
            message: format!(
                "{} nêu {} trong phần báo cáo nhưng {} ở phụ lục ({}).",
                f.indicator.as_deref().unwrap_or("Chỉ tiêu"),
                vn_auto(fv),
                vn_auto(cv),
                super::cell_location(c)
            ),
            expected: Some(vn_auto(cv)),
            reported: Some(vn_auto(fv)),
            quote: f.raw.trim().to_string(),
        };
        out.push(draft.at_figure(doc, f));
    }
    out
}

fn year_in(sentence: &str, year: Option<i32>) -> bool {
    year.is_some_and(|y| contains_ci(sentence, &format!("năm {y}")))
}

// ------------------------------------------------------------ series

/// Lines a "Năm 2024:" lead-in reaches forward within its section.
const YEAR_REACH: i32 = 12;
/// A lead-in year sits at the start of its sentence ("+ Năm 2024: …").
const YEAR_LEAD_OFFSET: i32 = 12;

fn check_series(doc: &Doc, cfg: &ProseTableCfg, series_cfg: &SeriesCfg) -> Vec<Finding> {
    let tables = doc.series_tables();
    if tables.is_empty() {
        return Vec::new();
    }
    let years = lead_in_years(doc);
    let mut groups: Option<Vec<Group>> = None;
    let mut out = Vec::new();
    for f in doc.figures.iter().filter(|f| f.kind == Kind::Fraction) {
        let (Some(n), Some(d), Some(year)) = (f.numerator, f.denominator, years.get(f.figure_id.as_str())) else { continue };
        let groups = groups.get_or_insert_with(|| part_groups(tables, series_cfg));
        let Some((label_stt, total, part)) = best_group(groups, cfg, f.subject.as_deref().unwrap_or("")) else { continue };
        let key = year.to_string();
        let (Some(tv), Some(pv)) = (total.values.get(&key).and_then(|c| c.value), part.values.get(&key).and_then(|c| c.value)) else { continue };
        if (tv - d).abs() < 1e-9 && (pv - n).abs() < 1e-9 {
            continue;
        }
        let (prose, table) = (format!("{}/{}", vn_auto(n), vn_auto(d)), format!("{}/{}", vn_auto(pv), vn_auto(tv)));
        let draft = Draft {
            rule: RULE,
            severity: cfg.severity,
            message: format!("Năm {year}: phần báo cáo nêu {prose} nhưng phụ lục ({label_stt}) ghi {table}."),
            expected: Some(table),
            reported: Some(prose),
            quote: f.raw.trim().to_string(),
        };
        out.push(draft.at_figure(doc, f));
    }
    out
}

/// Year of the "Năm 2024:" lead-in governing each figure (same section,
/// within a few lines).
fn lead_in_years<'a>(doc: &Doc<'a>) -> HashMap<&'a str, i32> {
    let mut out = HashMap::new();
    let mut current: Option<(&Option<String>, i32, i32)> = None;
    for f in &doc.figures {
        if f.kind == Kind::Period && f.unit.as_deref() == Some("year") && f.offset <= YEAR_LEAD_OFFSET {
            if let Some(y) = f.year {
                current = Some((&f.section_id, y, f.line));
                continue;
            }
        }
        if let Some((sec, y, line)) = current {
            if *sec == f.section_id && f.line - line <= YEAR_REACH {
                out.insert(f.figure_id.as_str(), y);
            }
        }
    }
    out
}

/// A one-part group of a series table: its total and part rows, and the
/// word sets of the labels it is matched by (the rate row —
/// when the table has it —, the part row and the total row).
struct Group<'a, 'b> {
    total: &'b Row<'a>,
    part: &'b Row<'a>,
    labels: Vec<Vec<String>>,
}

/// The one-part groups of the tables, in table order.
fn part_groups<'a, 'b>(tables: &'b [Vec<Row<'a>>], series_cfg: &SeriesCfg) -> Vec<Group<'a, 'b>> {
    let mut out = Vec::new();
    for rows in tables {
        for (total, parts) in series::groups(series_cfg, rows) {
            let [part] = parts.as_slice() else { continue };
            let rate = rows.iter().find(|r| r.stt == total.parent).map(|r| r.label.as_str());
            let labels = [rate, Some(part.label.as_str()), Some(total.label.as_str())].into_iter().flatten().map(word_set).collect();
            out.push(Group { total, part, labels });
        }
    }
    out
}

/// The (group STT, total row, part row) whose labels best match `subject`
/// (Dice word similarity, best of the group's labels); None when no group
/// reaches `min_overlap` or two tie.
fn best_group<'a, 'b>(groups: &[Group<'a, 'b>], cfg: &ProseTableCfg, subject: &str) -> Option<(String, &'b Row<'a>, &'b Row<'a>)> {
    if words(subject).len() < 3 {
        return None;
    }
    let subject = word_set(subject);
    let mut scored: Vec<(f64, String, &Row, &Row)> = Vec::new();
    for g in groups {
        let score = g.labels.iter().map(|l| dice(&subject, l)).fold(0.0, f64::max);
        if score >= cfg.min_overlap {
            scored.push((score, g.total.parent.clone(), g.total, g.part));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [first, second, ..] if (first.0 - second.0).abs() < 1e-9 => None,
        [first, ..] => Some((first.1.clone(), first.2, first.3)),
        [] => None,
    }
}
