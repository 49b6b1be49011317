//! `cchc compare DATASET --out FILE.xlsx [--csv DIR]`: comparison workbook
//! (So sánh, Tổng hợp, Chuỗi thời gian, Phát hiện, Nguồn) and/or one CSV per
//! sheet.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;

use crate::canon::indicators::Catalog;
use crate::report::compare::{write_csv, write_xlsx};

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Dataset folder written by `extract`.
    pub dataset: PathBuf,
    /// Write the workbook here (.xlsx).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write one CSV per sheet (UTF-8 with BOM) into this folder.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Use this catalog instead of the built-in one; indicators are then
    /// re-assigned before comparing.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

pub fn run(args: CompareArgs) -> Result<i32> {
    if args.out.is_none() && args.csv.is_none() {
        bail!("nothing to write: give --out FILE.xlsx and/or --csv DIR");
    }
    let (ds, own) = super::dataset_and_catalog(&args.dataset, args.catalog.as_deref())?;
    let cat: &Catalog = own.as_ref().unwrap_or_else(|| Catalog::builtin());
    if let Some(out) = &args.out {
        write_xlsx(&ds, cat, out)?;
        eprintln!("wrote {}", out.display());
    }
    if let Some(dir) = &args.csv {
        write_csv(&ds, cat, dir)?;
        eprintln!("wrote CSV files to {}", dir.display());
    }
    Ok(0)
}
