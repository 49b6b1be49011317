//! `cchc check PATH_OR_DATASET [--config FILE]`

use anyhow::Result;
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::check::{check_dataset, report, CheckConfig};
use crate::model::{Dataset, Severity};
use crate::pipeline::{collect_inputs, run as run_pipeline, skipped_rows, Options};
use crate::write::parquet::read_dataset;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A dataset folder written by `extract` (has documents.parquet), or report files/folders to extract first.
    pub path: PathBuf,
    /// Rule switches and thresholds (same shape as schemas/check.toml; omitted keys keep the defaults).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Colours: auto (terminal only), always, never.
    #[arg(long, default_value = "auto")]
    pub color: String,
    /// Print the built-in configuration (schemas/check.toml) and exit.
    #[arg(long)]
    pub print_config: bool,
}

pub fn run(args: CheckArgs) -> Result<i32> {
    let cfg = match &args.config {
        Some(p) => CheckConfig::from_file(p)?,
        None => CheckConfig::builtin(),
    };
    if args.print_config {
        println!("{}", toml::to_string_pretty(&cfg)?);
        return Ok(super::EXIT_OK);
    }
    let (ds, checked) = load(&args.path, &cfg)?;
    // Reports read here were checked during extraction with `cfg`; a stored
    // dataset is checked again because its findings may come from other settings.
    let findings = if checked { ds.findings.clone() } else { check_dataset(&ds, &cfg) };
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        _ => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    print!("{}", report::render(&ds.documents, &findings, color));
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if errors { super::EXIT_FINDINGS_OR_FAILED } else { super::EXIT_OK })
}

/// A dataset folder is read (not yet checked with `cfg`); anything else goes
/// through the pipeline, which checks with `cfg` (true).
fn load(path: &std::path::Path, cfg: &CheckConfig) -> Result<(Dataset, bool)> {
    if path.is_dir() && (path.join("documents.parquet").exists() || path.join(crate::write::parquet::MANIFEST).exists()) {
        return Ok((read_dataset(path)?, false));
    }
    let inputs = collect_inputs(&[path.to_path_buf()]);
    if inputs.files.is_empty() && inputs.skipped.is_empty() {
        anyhow::bail!("no report files found under {}", path.display());
    }
    let opts = Options { check: Some(std::sync::Arc::new(cfg.clone())), ..Options::default() };
    let mut ds = run_pipeline(&inputs.files, &opts, &|_| {});
    for e in skipped_rows(&inputs) {
        ds.documents.push(e.document);
    }
    Ok((ds, true))
}
