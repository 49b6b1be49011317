//! Grid → long-format cells: one [`Cell`] per non-empty value cell.
//!
//! * Column roles come from the header words of schemas/tables.toml: the
//!   STT column, the label column, the unit column ("Đơn vị tính"); every
//!   other column is a value column ("Số liệu", "Ghi chú", "Năm 2021", …).
//! * Row keys are normalized ("3 1." → "3.1") and given a parent; a row
//!   without a key hangs under the last key seen (001: rows under "1.1.").
//! * Coded option rows (the unit cell holds "Trực tuyến =0", "Hoàn thành =1")
//!   form a group under the row that names the question; only the chosen
//!   option (a value or an "x") gives a cell, with `option` = the option
//!   name and, for an "x", `value` = the option code. A row without key and
//!   label inside a group whose unit cell has no code is the next code.
//! * Label legends "(Có tổ chức = 1; Không tổ chức = 0)" name the option of
//!   an integer value.
//! * Rows the reader could not split (warning set, no value cell filled)
//!   give one cell per value column with the row's raw text, value null and
//!   the warning.
//! * Label-only rows (section headings, empty indicators) give no cells.

use super::stt::{cell_key, Hierarchy};
use super::vocab::{squash, vocab};
use crate::model::{Cell, Grid, GridRow, Kind, Value};
use crate::parse::figures::parse_value;

struct Roles {
    stt: Option<usize>,
    label: Option<usize>,
    unit: Option<usize>,
    values: Vec<usize>,
}

fn roles(columns: &[String]) -> Roles {
    let v = vocab();
    let stt = columns.iter().position(|c| v.is_stt_header(c));
    let label = columns.iter().position(|c| v.is_label_header(c)).or_else(|| stt.map(|s| s + 1).filter(|&l| l < columns.len()));
    let unit = columns.iter().position(|c| v.is_unit_header(c));
    let values = (0..columns.len()).filter(|&j| Some(j) != stt && Some(j) != label && Some(j) != unit).collect();
    Roles { stt, label, unit, values }
}

/// The question a run of coded option rows answers.
struct OptionGroup {
    stt: Option<String>,
    parent: Option<String>,
    label: Option<String>,
    last_code: u32,
}

/// Row identity after keys, hierarchy and option groups.
struct RowInfo {
    stt: Option<String>,
    parent: Option<String>,
    label: Option<String>,
    unit: Option<String>,
    /// (name, code) when the row is a coded option.
    option: Option<(String, u32)>,
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

fn cell_at(row: &GridRow, j: Option<usize>) -> &str {
    j.and_then(|j| row.cells.get(j)).map_or("", String::as_str)
}

pub fn interpret(doc_id: &str, table_id: &str, grid: &Grid) -> Vec<Cell> {
    let v = vocab();
    let roles = roles(&grid.columns);
    let mut hierarchy = Hierarchy::default();
    let mut group: Option<OptionGroup> = None;
    // Per column, decided once: is it a note column, which year it names.
    let is_note: Vec<bool> = grid.columns.iter().map(|c| v.is_note_header(c)).collect();
    let years: Vec<Option<i32>> = grid.columns.iter().map(|c| v.year_of(c)).collect();
    let mut out = Vec::new();
    // Readers that keep the title lines as written (DOCX) leave the
    // composing to this stage.
    let title = grid.title.clone().or_else(|| super::compose_title(&grid.title_lines.iter().map(String::as_str).collect::<Vec<_>>()));

    for (ordinal, row) in grid.rows.iter().enumerate() {
        let key = cell_key(cell_at(row, roles.stt));
        let (stt, parent) = match &key {
            Some(k) => {
                let parent = hierarchy.push(k);
                (Some(k.norm.clone()), parent)
            }
            None => (None, hierarchy.current()),
        };
        let label = non_empty(squash(cell_at(row, roles.label)));
        let unit_text = non_empty(squash(cell_at(row, roles.unit)));
        let mut option = unit_text.as_deref().and_then(|u| v.option_cell(u));
        // Options are coded in sequence: a row with neither key nor label
        // inside a group, whose unit cell lost its code ("Đang làm" between
        // "Chưa = 0" and "Hoàn thành=2"; OCR drops a lone "=1" line), is
        // the next option and does not end the group.
        if option.is_none() && stt.is_none() && label.is_none() {
            if let (Some(g), Some(name)) = (group.as_ref(), unit_text.as_deref()) {
                option = Some((name.to_string(), g.last_code + 1));
            }
        }

        let info = match &option {
            Some((_, code)) => {
                let starts = stt.is_some() || group.as_ref().is_none_or(|g| *code <= g.last_code);
                if starts {
                    group = Some(OptionGroup { stt, parent, label, last_code: *code });
                }
                match group.as_mut() {
                    Some(g) => {
                        g.last_code = *code;
                        RowInfo { stt: g.stt.clone(), parent: g.parent.clone(), label: g.label.clone(), unit: None, option }
                    }
                    None => continue,
                }
            }
            None => {
                group = None;
                RowInfo { stt, parent, label, unit: unit_text, option: None }
            }
        };

        let unsplit = row.warning.is_some()
            && roles.values.iter().all(|&j| cell_at(row, Some(j)).trim().is_empty())
            && row.warning.as_deref() != Some(crate::model::JOINED_ROW_NOTE);
        for &j in &roles.values {
            let raw = cell_at(row, Some(j)).trim();
            let raw = if unsplit { row.raw.as_str() } else { raw };
            if raw.is_empty() {
                continue;
            }
            let column = grid.columns.get(j).cloned().unwrap_or_default();
            // `j` is a column index (`roles`).
            let is_note = is_note[j];
            let mut cell = Cell {
                doc_id: doc_id.to_string(),
                table_id: table_id.to_string(),
                table_title: title.clone(),
                page: row.page.map(|p| p as i32),
                line: row.line as i32,
                row: ordinal as i32 + 1,
                stt: info.stt.clone(),
                parent_stt: info.parent.clone(),
                label: info.label.clone(),
                year: years[j],
                column,
                unit: if is_note { None } else { info.unit.clone() },
                raw: raw.to_string(),
                kind: None,
                value: None,
                numerator: None,
                denominator: None,
                qualifier: None,
                indicator: None,
                warning: row.warning.clone(),
                option: None,
                confidence: None,
            };
            if !unsplit {
                fill_value(&mut cell, &info);
            }
            out.push(cell);
        }
    }
    out
}

/// Value fields of one cell: an option mark, a figure, or text.
fn fill_value(cell: &mut Cell, info: &RowInfo) {
    let v = vocab();
    if v.is_mark(&cell.raw) {
        cell.kind = Some(Kind::Flag);
        if let Some((name, code)) = &info.option {
            cell.value = Some(f64::from(*code));
            cell.option = Some(name.clone());
        }
        return;
    }
    match parse_value(&cell.raw) {
        Some(Value { kind, value, numerator, denominator, unit, qualifier, .. }) => {
            cell.kind = kind;
            cell.value = value;
            cell.numerator = numerator;
            cell.denominator = denominator;
            cell.qualifier = qualifier;
            if cell.unit.is_none() {
                cell.unit = unit;
            }
        }
        None => cell.kind = Some(Kind::Text),
    }
    // "100" in a row whose unit is "%" is a percentage.
    if cell.kind == Some(Kind::Count) && cell.unit.as_deref() == Some("%") {
        cell.kind = Some(Kind::Percent);
    }
    cell.option = match &info.option {
        Some((name, _)) => Some(name.clone()),
        None => legend_option(info.label.as_deref(), cell.value),
    };
}

/// "(Có tổ chức = 1; Không tổ chức = 0)" in the label and an integer value.
fn legend_option(label: Option<&str>, value: Option<f64>) -> Option<String> {
    let value = value.filter(|x| x.fract() == 0.0 && *x >= 0.0)?;
    vocab().legend(label?).into_iter().find(|(_, code)| f64::from(*code) == value).map(|(name, _)| name)
}
