//! Command-line interface: one file per subcommand.

pub mod check;
pub mod compare;
pub mod extract;
pub mod figures;
pub mod indicators;
pub mod inspect;
pub mod review;

use std::path::Path;

use clap::{Parser, Subcommand};

use crate::canon::indicators::{assign_with, Catalog};
use crate::model::Dataset;

/// Exit codes (also in README):
/// 0 success; 1 some files failed (extract) or error findings exist (check);
/// 2 usage or I/O error.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS_OR_FAILED: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "cchc",
    version,
    about = "Turn Vietnamese administrative-reform (CCHC) reports into clean, checked data",
    after_help = "Exit codes: 0 = success; 1 = some files failed (extract) or an \"error\" finding exists (check); 2 = usage or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Extract reports (files or folders) into a Parquet dataset.
    Extract(extract::ExtractArgs),
    /// Show one report's metadata, section tree and figures.
    Inspect(inspect::InspectArgs),
    /// Print the figures of a text snippet as JSON lines.
    Figures(figures::FiguresArgs),
    /// Check the consistency of reports or of an extracted dataset.
    Check(check::CheckArgs),
    /// Comparison spreadsheet (XLSX) and CSVs across units from a dataset.
    Compare(compare::CompareArgs),
    /// List labels and subjects that match no indicator, by frequency.
    Indicators(indicators::IndicatorsArgs),
    /// One self-contained HTML page to review a dataset: findings in their
    /// paragraphs, claims, tables, units compared.
    Review(review::ReviewArgs),
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Figures(a) => figures::run(a),
        Command::Check(a) => check::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Indicators(a) => indicators::run(a),
        Command::Review(a) => review::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cchc: error: {e:#}");
            EXIT_ERROR
        }
    }
}

/// A dataset read back for a report, with the indicator catalog to use: the
/// built-in one, or `catalog` (TOML) whose ids then replace the stored ones.
pub(crate) fn dataset_and_catalog(dataset: &Path, catalog: Option<&Path>) -> anyhow::Result<(Dataset, Option<Catalog>)> {
    let mut ds = crate::write::parquet::read_dataset(dataset)?;
    let own = match catalog {
        Some(p) => {
            let c = Catalog::from_path(p)?;
            assign_with(&c, &mut ds);
            Some(c)
        }
        None => None,
    };
    Ok((ds, own))
}
