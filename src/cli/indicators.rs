//! `cchc indicators DATASET`: labels and figure subjects that no indicator
//! matches, by frequency, so the catalog (schemas/indicators.toml) can grow.

use crate::model::Kind;
use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::canon::indicators::{assign_with, match_figure, row_texts, Catalog};
use crate::write::parquet::read_dataset;

#[derive(Args, Debug)]
pub struct IndicatorsArgs {
    /// Dataset folder written by `extract` (documents.parquet, figures.parquet, tables.parquet …).
    pub dataset: PathBuf,
    /// Use this catalog instead of the built-in schemas/indicators.toml (to try changes).
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    /// Show at most this many labels per list (0 = all).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Also list table rows that carry no value.
    #[arg(long)]
    pub all_rows: bool,
    /// Print the matched labels too (label → indicator, confidence).
    #[arg(long)]
    pub matched: bool,
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:.1}%", a as f64 * 100.0 / b as f64)
    }
}

fn print_top(title: &str, counts: HashMap<String, usize>, limit: usize) {
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\n{title} ({} distinct):", v.len());
    let n = if limit == 0 { v.len() } else { limit.min(v.len()) };
    for (label, c) in &v[..n] {
        println!("  {c:>5}  {label}");
    }
    if n < v.len() {
        println!("  … {} more (use --limit 0)", v.len() - n);
    }
}

pub fn run(args: IndicatorsArgs) -> Result<i32> {
    let owned;
    let cat: &Catalog = match &args.catalog {
        Some(p) => {
            owned = Catalog::from_path(p)?;
            &owned
        }
        None => Catalog::builtin(),
    };
    let mut ds = read_dataset(&args.dataset)?;
    assign_with(cat, &mut ds);

    // Table rows.
    let rows = row_texts(&ds.cells);
    let (mut rows_total, mut rows_hit) = (0usize, 0usize);
    let mut unmatched_rows: HashMap<String, usize> = HashMap::new();
    let mut matched_rows: HashMap<String, usize> = HashMap::new();
    for (_, idx, t) in &rows {
        if !t.has_value && !args.all_rows {
            continue;
        }
        rows_total += 1;
        let ind = idx.first().and_then(|&i| ds.cells[i].indicator.clone());
        let label = t.label.split_whitespace().collect::<Vec<_>>().join(" ");
        match ind {
            Some(id) => {
                rows_hit += 1;
                *matched_rows.entry(format!("{label}  →  {id}")).or_default() += 1;
            }
            None if !label.is_empty() => *unmatched_rows.entry(label).or_default() += 1,
            None => *unmatched_rows.entry("(dòng không có nhãn)".into()).or_default() += 1,
        }
    }

    // Prose figures with a subject.
    let (mut figs_total, mut figs_hit) = (0usize, 0usize);
    let mut unmatched_subjects: HashMap<String, usize> = HashMap::new();
    let mut matched_subjects: HashMap<String, usize> = HashMap::new();
    for f in &ds.figures {
        if matches!(f.kind, Kind::Date | Kind::Period) {
            continue;
        }
        let Some(s) = f.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { continue };
        figs_total += 1;
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        match &f.indicator {
            Some(id) => {
                figs_hit += 1;
                if args.matched {
                    let conf = match_figure(cat, f).map(|m| m.confidence).unwrap_or(0.0);
                    *matched_subjects.entry(format!("{s}  →  {id} ({conf:.2})")).or_default() += 1;
                }
            }
            None => *unmatched_subjects.entry(s).or_default() += 1,
        }
    }

    println!("Catalog: {} indicators, threshold {:.2}", cat.indicators.len(), cat.threshold);
    println!("Table rows{}: {rows_hit}/{rows_total} matched ({})", if args.all_rows { "" } else { " with a value" }, pct(rows_hit, rows_total));
    println!("Prose figures with a subject: {figs_hit}/{figs_total} matched ({})", pct(figs_hit, figs_total));
    print_top("Unmatched table labels", unmatched_rows, args.limit);
    print_top("Unmatched figure subjects", unmatched_subjects, args.limit);
    if args.matched {
        print_top("Matched table labels", matched_rows, args.limit);
        print_top("Matched figure subjects", matched_subjects, args.limit);
    }
    Ok(0)
}
