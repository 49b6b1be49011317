//! `cchc inspect FILE` — human-readable view of one report.

use crate::model::Status;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

use crate::pipeline::{process_file_budgeted, Options};

#[derive(Args, Debug)]
pub struct InspectArgs {
    pub file: PathBuf,
    /// Show at most this many figures (0 = all).
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
}

pub fn run(args: InspectArgs) -> Result<i32> {
    let e = process_file_budgeted(&args.file, &Options::default());
    let d = &e.document;
    let m = &d.meta;
    let show = |k: &str, v: Option<String>| println!("{k:<15} {}", v.unwrap_or_else(|| "—".into()));
    show("path", Some(d.path.clone()));
    show("status", Some(d.status.to_string()));
    show("error", d.error.clone());
    show("format", Some(d.format.to_string()));
    show("encoding", d.encoding.clone());
    show("doc_type", m.doc_type.clone());
    show("title", m.title.clone());
    show("unit", m.unit_name.clone().map(|u| format!("{u} ({})", m.unit_level.clone().unwrap_or_default())));
    show("issuer", m.issuer.clone());
    show("province", m.province.clone());
    let period = match m.period_kind.as_deref() {
        Some("quarter") => m.period_quarter.map(|q| format!("quý {q}/{}", m.period_year.unwrap_or(0))),
        Some("range") => Some(format!("{}–{}", m.period_from.unwrap_or(0), m.period_to.unwrap_or(0))),
        Some(k) => Some(format!("{k} {}", m.period_year.unwrap_or(0))),
        None => None,
    };
    show("period", period);
    show("report_number", m.report_number.clone());
    show("date", m.doc_date.clone());
    show("signer", m.signer.clone());
    show("pages", d.pages.map(|p| p.to_string()));
    show("warnings", d.warnings.clone());
    println!("\nSections ({}):", e.sections.len());
    for s in &e.sections {
        let indent = "  ".repeat(usize::try_from(s.level.max(1) - 1).unwrap_or(0));
        println!("{indent}{} {}  [line {}]", s.number, s.title, s.line);
    }
    println!("\nFigures ({}):", e.figures.len());
    let n = if args.limit == 0 { e.figures.len() } else { args.limit.min(e.figures.len()) };
    for f in &e.figures[..n] {
        let value = match (f.numerator, f.denominator) {
            (Some(a), Some(b)) => format!("{a}/{b}{}", f.stated_percent.map(|p| format!(" (stated {p}%)")).unwrap_or_default()),
            _ => f.value.map(|v| v.to_string()).or_else(|| f.normalized.clone()).unwrap_or_default(),
        };
        println!("  {:>5}  {:<9} {:<28} = {:<24} {}", f.line, f.kind, f.raw, value, f.subject.clone().unwrap_or_default());
    }
    println!("\nClaims ({}):", e.claims.len());
    let n = if args.limit == 0 { e.claims.len() } else { args.limit.min(e.claims.len()) };
    for c in &e.claims[..n] {
        let num = |v: Option<f64>| v.map_or_else(|| "?".to_string(), crate::util::vn_auto);
        let stated = c.stated_raw.clone().unwrap_or_default();
        let computed = c.computed_percent.map(|p| format!(" ≈ {}%", crate::util::vn_num(p, 2))).unwrap_or_default();
        let why = c.explained_by.as_deref().map(|w| format!("  ({w})")).unwrap_or_default();
        println!("  {:>5}  {:<9} {:<12} {}/{} {}{computed}  {}{why}", c.line, c.kind, c.verdict, num(c.part_value), num(c.base_value), stated, c.form);
    }
    if !e.cells.is_empty() {
        println!("\nTable cells: {}", e.cells.len());
    }
    // A file that could not be read is a failure of the command.
    Ok(if matches!(d.status, Status::Failed | Status::NeedsOcr) { super::EXIT_FINDINGS_OR_FAILED } else { super::EXIT_OK })
}
