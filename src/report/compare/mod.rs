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
//!
//! Files: `values.rs` (the value of an indicator in a document, aggregates),
//! `sheets.rs` (the sheets in memory), `xlsx.rs` and `csv.rs` (writers).

use std::collections::HashMap;

use crate::model::Cell;

mod csv;
mod sheets;
#[cfg(test)]
mod tests;
mod values;
mod xlsx;

pub use self::csv::{csv_name, write_csv};
/// The locator the checks use for a cell (findings name it in `location`).
pub use crate::util::cell_location;
pub use sheets::{build, period_label};
pub(crate) use sheets::{findings_by_value, sorted_docs};
pub use values::{aggregate, doc_values, Aggregate};
pub use xlsx::write_xlsx;

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

impl Sheet {
    /// An empty sheet with these headers (no header notes) and `freeze_cols`
    /// leading columns frozen.
    fn with_headers(name: &str, headers: &[&str], freeze_cols: u16) -> Sheet {
        Sheet {
            name: name.into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            header_notes: vec![None; headers.len()],
            freeze_cols,
            ..Default::default()
        }
    }
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

impl Origin {
    /// The cell a value was read from.
    pub fn of_cell(c: &Cell) -> Origin {
        Origin::Cell { table_id: c.table_id.clone(), row: c.row, column: c.column.clone(), line: c.line, location: cell_location(c) }
    }
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
