//! `cchc review DATASET --out review.html`: one self-contained HTML page to
//! review a dataset (findings in their paragraphs, claims, tables, units
//! compared).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::canon::indicators::{assign_with, Catalog};
use crate::report::review::{write_review, ReviewOptions, DEFAULT_INDICATORS};
use crate::write::parquet::read_dataset;

#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// Dataset folder written by `extract`.
    pub dataset: PathBuf,
    /// Write the page here (default: DATASET/review.html).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// How many of the most reported indicators get a chart and a column.
    #[arg(long, default_value_t = DEFAULT_INDICATORS, value_name = "N")]
    pub indicators: usize,
    /// Use this catalog instead of the built-in one; indicators are then
    /// re-assigned before the page is made.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

pub fn run(args: ReviewArgs) -> Result<i32> {
    let mut ds = read_dataset(&args.dataset)?;
    let owned;
    let cat: &Catalog = match &args.catalog {
        Some(p) => {
            owned = Catalog::from_path(p)?;
            assign_with(&owned, &mut ds);
            &owned
        }
        None => Catalog::builtin(),
    };
    let out = args.out.clone().unwrap_or_else(|| args.dataset.join("review.html"));
    let opts = ReviewOptions { indicators: args.indicators, dataset_label: args.dataset.display().to_string() };
    write_review(&ds, cat, &out, &opts)?;
    eprintln!("wrote {}", out.display());
    Ok(super::EXIT_OK)
}
