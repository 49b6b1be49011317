//! `cchc extract PATH... --out DIR`

use crate::model::Status;
use anyhow::Result;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::canon::indicators::Catalog;
use crate::ingest::encoding::Encoding;
use crate::pipeline::{collect_inputs, run_streaming, Options};
use crate::report::review::{write_review, ReviewOptions};
use crate::write::parquet::{read_dataset, write_dataset_partitioned, StreamWriter};

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Report files or folders (folders are walked for .txt, .text, .pdf, .docx
    /// and scans .png, .jpg, .jpeg, .tif, .tiff).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output folder for documents/sections/figures/tables/findings.parquet.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Force the text encoding (utf-8, utf-16le, cp1258, tcvn3, vni, viscii) instead of detecting it.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Threads in all, the writing included (default: all cores).
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
    /// Wall-time budget of one file in seconds (0 = none), plus 20 s per
    /// page to OCR; a file over it becomes a failed row "too slow: …" and the
    /// batch goes on.
    #[arg(long, default_value_t = crate::guard::DEFAULT_TIMEOUT_SECS as f64, value_name = "SECS")]
    pub file_timeout: f64,
    /// Largest input file read, in bytes (suffixes K, M, G accepted); a larger
    /// file becomes a failed row "too large: …" without being read.
    #[arg(long, default_value = "256M", value_parser = parse_bytes, value_name = "BYTES")]
    pub max_file_bytes: u64,
    /// Figures kept per document; past this the document is `partial` and its
    /// error says from which line nothing was kept (memory stays bounded).
    #[arg(long, default_value_t = crate::guard::DEFAULT_MAX_FIGURES, value_name = "N", value_parser = clap::value_parser!(usize))]
    pub max_figures: usize,
    /// Also write the review page DIR/review.html (see `cchc review`).
    #[arg(long)]
    pub review: bool,
    /// OCR of scanned pages and image files with Tesseract (vie): "auto" when
    /// it is installed, "off" to leave them as `needs_ocr` rows.
    #[arg(long, value_enum, default_value_t = crate::ingest::ocr::OcrMode::Auto)]
    pub ocr: crate::ingest::ocr::OcrMode,
}

/// "1048576", "512K", "200M", "1G" → bytes.
fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mul) = match t.char_indices().last() {
        Some((i, c)) if c.eq_ignore_ascii_case(&'k') => (&t[..i], 1u64 << 10),
        Some((i, c)) if c.eq_ignore_ascii_case(&'m') => (&t[..i], 1u64 << 20),
        Some((i, c)) if c.eq_ignore_ascii_case(&'g') => (&t[..i], 1u64 << 30),
        _ => (t, 1),
    };
    let n: u64 = num.trim().parse().map_err(|_| format!("{s:?} is not a size (e.g. 1048576, 200M, 1G)"))?;
    match n.checked_mul(mul) {
        Some(v) if v > 0 => Ok(v),
        Some(_) => Err("the size must be above 0".into()),
        None => Err(format!("{s:?} is too large")),
    }
}

pub fn run(args: ExtractArgs) -> Result<i32> {
    let encoding = match &args.encoding {
        Some(name) => Some(
            Encoding::from_name(name).ok_or_else(|| anyhow::anyhow!("unknown encoding {name:?} (utf-8, utf-16le, utf-16be, cp1258, tcvn3, vni, viscii)"))?,
        ),
        None => None,
    };
    if let Some(n) = args.threads {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
    crate::write::parquet::check_partition_keys(&args.partition_by)?;
    if !args.file_timeout.is_finite() || args.file_timeout < 0.0 {
        anyhow::bail!("--file-timeout must be a number of seconds ≥ 0 (0 = no limit), not {}", args.file_timeout);
    }
    let inputs = collect_inputs(&args.paths);
    if inputs.files.is_empty() && inputs.skipped.is_empty() {
        anyhow::bail!("no report files found under the given paths");
    }
    let budget = crate::guard::Budget {
        timeout: (args.file_timeout > 0.0).then(|| std::time::Duration::from_secs_f64(args.file_timeout.min(1e9))),
        max_bytes: args.max_file_bytes,
        max_figures: args.max_figures.max(1),
    };
    let opts = Options { ingest: crate::ingest::IngestOptions { encoding, ocr: args.ocr }, check: None, budget };
    let total = inputs.files.len() + inputs.skipped.len();
    let bar = if !args.quiet && std::io::stderr().is_terminal() {
        let b = ProgressBar::new(total as u64);
        b.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));
        Some(b)
    } else {
        None
    };
    let started = std::time::Instant::now();
    let mut writer = StreamWriter::create(&args.out)?;
    let sum = run_streaming(&inputs, &opts, &mut writer, &|e| {
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
    // The lock on OUT is held until the partitioned copy is written too.
    let lock = writer.finish()?;
    if !args.partition_by.is_empty() || args.review {
        // The partitioned copy and the review page are made from the files just written.
        let ds = read_dataset(&args.out)?;
        if !args.partition_by.is_empty() {
            write_dataset_partitioned(&ds, &args.out.join("partitioned"), &args.partition_by)?;
        }
        if args.review {
            let opts = ReviewOptions { dataset_label: args.out.display().to_string(), ..ReviewOptions::default() };
            write_review(&ds, Catalog::builtin(), &args.out.join("review.html"), &opts)?;
        }
    }
    drop(lock);
    let count = |s: Status| sum.documents.iter().filter(|d| d.status == s).count();
    let (ok, partial, failed, ocr) = (count(Status::Ok), count(Status::Partial), count(Status::Failed), count(Status::NeedsOcr));
    println!("cchc extract: {} file(s) in {:.2}s → {}", total, started.elapsed().as_secs_f64(), args.out.display());
    println!("  ok {ok}, partial {partial}, failed {failed}, needs_ocr {ocr}");
    println!("  sections {}, figures {}, table cells {}, findings {}", sum.sections, sum.figures, sum.cells, sum.findings);
    if sum.error_findings > 0 {
        println!("  {} error finding(s): run `cchc check {}`", sum.error_findings, args.out.display());
    }
    Ok(if failed + ocr > 0 { super::EXIT_FINDINGS_OR_FAILED } else { super::EXIT_OK })
}
