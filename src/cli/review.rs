//! `cchc review DATASET --out review.html`: one self-contained HTML page to
//! review a dataset (findings in their paragraphs, claims, tables, units
//! compared).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};

use crate::canon::indicators::Catalog;
use crate::report::review::{write_review, Details, ReviewOptions, DEFAULT_INDICATORS, LAZY_ABOVE};

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
    /// Per-document details (section tree, claims, appendix tables): `inline`
    /// HTML, or `lazy` (packed, unpacked by the browser when a document is
    /// opened: about a quarter of the size); `auto` = lazy above
    /// LAZY_ABOVE (100) documents.
    #[arg(long, value_enum, default_value_t = DetailsArg::Auto)]
    pub details: DetailsArg,
    /// Use this catalog instead of the built-in one; indicators are then
    /// re-assigned before the page is made.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

/// `--details` choices.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetailsArg {
    Auto,
    Inline,
    Lazy,
}

impl From<DetailsArg> for Details {
    fn from(d: DetailsArg) -> Details {
        match d {
            DetailsArg::Auto => Details::Auto,
            DetailsArg::Inline => Details::Inline,
            DetailsArg::Lazy => Details::Lazy,
        }
    }
}

const _: () = assert!(LAZY_ABOVE == 100, "update the --details help text");

pub fn run(args: ReviewArgs) -> Result<i32> {
    let (ds, own) = super::dataset_and_catalog(&args.dataset, args.catalog.as_deref())?;
    let cat: &Catalog = own.as_ref().unwrap_or_else(|| Catalog::builtin());
    let out = args.out.clone().unwrap_or_else(|| args.dataset.join("review.html"));
    let opts = ReviewOptions { indicators: args.indicators, dataset_label: args.dataset.display().to_string(), details: args.details.into() };
    write_review(&ds, cat, &out, &opts)?;
    eprintln!("wrote {}", out.display());
    Ok(super::EXIT_OK)
}
