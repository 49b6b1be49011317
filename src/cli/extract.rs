//! `cchc extract PATH... --out DIR`

use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::ingest::encoding::Encoding;
use crate::pipeline::{collect_files, run_streaming, Options};
use crate::write::parquet::{read_dataset, write_dataset_partitioned, StreamWriter};

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Report files or folders (folders are walked for .txt, .text, .pdf, .docx).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output folder for documents/sections/figures/tables/findings.parquet.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Force the text encoding (utf-8, utf-16le, cp1258, tcvn3, vni, viscii) instead of detecting it.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Number of worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Also write a hive-style partitioned copy under OUT/partitioned/, split
    /// by these documents columns (e.g. "province,period_year"), readable by
    /// DuckDB, polars, pyarrow and Spark as one dataset.
    #[arg(long, value_delimiter = ',')]
    pub partition_by: Vec<String>,
}

pub fn run(args: ExtractArgs) -> Result<i32> {
    let encoding = match &args.encoding {
        Some(name) => Some(Encoding::from_name(name).ok_or_else(|| anyhow::anyhow!("unknown encoding {name:?} (utf-8, utf-16le, utf-16be, cp1258, tcvn3, vni, viscii)"))?),
        None => None,
    };
    if let Some(n) = args.threads {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
    crate::write::parquet::check_partition_keys(&args.partition_by)?;
    let files = collect_files(&args.paths);
    if files.is_empty() {
        anyhow::bail!("no report files found under the given paths");
    }
    let opts = Options { ingest: crate::ingest::IngestOptions { encoding }, check: None };
    let bar = if !args.quiet && std::io::stderr().is_terminal() {
        let b = ProgressBar::new(files.len() as u64);
        b.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));
        Some(b)
    } else {
        None
    };
    let started = std::time::Instant::now();
    let mut writer = StreamWriter::create(&args.out)?;
    let sum = run_streaming(&files, &opts, &mut writer, &|e| {
        if let Some(b) = &bar {
            b.inc(1);
        }
        if let Some(err) = &e.document.error {
            let line = format!("cchc: {}: {} ({})", e.document.path, err, e.document.status);
            match &bar {
                Some(b) => b.println(line),
                None => eprintln!("{line}"),
            }
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    writer.finish()?;
    if !args.partition_by.is_empty() {
        // The partitioned copy is made from the files just written.
        let ds = read_dataset(&args.out)?;
        write_dataset_partitioned(&ds, &args.out.join("partitioned"), &args.partition_by)?;
    }
    let count = |s: &str| sum.documents.iter().filter(|d| d.status == s).count();
    let (ok, partial, failed, ocr) = (count("ok"), count("partial"), count("failed"), count("needs_ocr"));
    println!("cchc extract: {} file(s) in {:.2}s → {}", files.len(), started.elapsed().as_secs_f64(), args.out.display());
    println!("  ok {ok}, partial {partial}, failed {failed}, needs_ocr {ocr}");
    println!("  sections {}, figures {}, table cells {}, findings {}", sum.sections, sum.figures, sum.cells, sum.findings);
    if sum.error_findings > 0 {
        println!("  {} error finding(s): run `cchc check {}`", sum.error_findings, args.out.display());
    }
    Ok(if failed + ocr > 0 { super::EXIT_FINDINGS_OR_FAILED } else { super::EXIT_OK })
}
