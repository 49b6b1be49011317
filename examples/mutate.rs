//! Mutation runner for hostile inputs (stable Rust, no fuzzing engine):
//! mutates the fixture PDFs, DOCX (zip bytes and document.xml at XML level)
//! and text files, runs them in batches through a `cchc` binary under
//! `/usr/bin/time -v`, and reports crashes (a batch exiting with a code
//! other than 0/1 or a signal: its files are then run one by one to name
//! the culprit), hangs ("too slow" rows), rows per status and peak RSS.
//!
//! ```text
//! cargo build --release && cargo run --release --example mutate -- \
//!     --bin target/release/cchc --kind pdf --count 3000 --batch 250 --work /tmp/mut
//! ```
//! Options: --kind pdf|docx|text, --count N, --seed S, --batch B,
//! --timeout SECS (per file, default 10), --work DIR, --keep (keep inputs).
//! Exit 1 when a crash or a missing row was found. See benches/reliability.sh.

use cchc::model::Status;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

#[path = "common/pdf_tokens.rs"]
mod pdf_tokens;
use pdf_tokens::PDF_TOKENS as TOKENS;
#[path = "common/xml_tokens.rs"]
mod xml_tokens;
use xml_tokens::XML_TOKENS;
const TEXT_TOKENS: &[&str] =
    &["\u{0}", "\r", "\u{feff}", "tỷ lệ 100% ", "1/1/", "I. ", "1. ", "a) ", "Phụ lục", "|", "\t", "đạt 99,87%", "\u{301}", "\u{fffd}"];

fn mutate_bytes(r: &mut Rng, src: &[u8], tokens: &[&[u8]]) -> Vec<u8> {
    let mut b = src.to_vec();
    let ops = 1 + r.below(8);
    for _ in 0..ops {
        if b.is_empty() {
            b.push(b'%');
        }
        let at = r.below(b.len());
        match r.below(9) {
            0 => b[at] = u8::try_from(r.below(256)).unwrap_or(0),
            1 => b[at] ^= 1 << r.below(8),
            2 => {
                let n = 1 + r.below(64.min(b.len() - at));
                b.drain(at..at + n.min(b.len() - at));
            }
            3 => {
                let t = tokens[r.below(tokens.len())];
                b.splice(at..at, t.iter().copied());
            }
            4 => b.truncate(at.max(1)),
            5 => {
                // Duplicate a chunk (repeated structures).
                let n = 1 + r.below(4096.min(b.len() - at));
                let chunk = b[at..at + n].to_vec();
                let times = 1 + r.below(8);
                for _ in 0..times {
                    b.splice(at..at, chunk.iter().copied());
                }
            }
            6 => {
                // Replace a number by a huge or negative one.
                if let Some(p) = b[at..].iter().position(u8::is_ascii_digit) {
                    let big: &[u8] = if r.below(2) == 0 { b"4294967296" } else { b"-1" };
                    b.splice(at + p..at + p + 1, big.iter().copied());
                }
            }
            7 => {
                let j = r.below(b.len());
                b.swap(at, j);
            }
            _ => {
                let n = 1 + r.below(16.min(b.len() - at));
                for x in &mut b[at..at + n] {
                    *x = b'0' + u8::try_from(r.below(10)).unwrap_or(0);
                }
            }
        }
    }
    b
}

/// DOCX: half the time zip-level bytes, otherwise document.xml mutated as
/// text (cut, tokens inserted, elements repeated) and the archive rebuilt.
fn mutate_docx(r: &mut Rng, src: &[u8]) -> Vec<u8> {
    if r.below(2) == 0 {
        return mutate_bytes(r, src, TOKENS);
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(src)) else { return mutate_bytes(r, src, TOKENS) };
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let mut data = Vec::new();
        if f.read_to_end(&mut data).is_err() {
            continue;
        }
        let Ok(name) = f.name().map(|n| n.to_string()) else { continue };
        parts.push((name, data));
    }
    let xml_tokens: Vec<&[u8]> = XML_TOKENS.iter().map(|t| t.as_bytes()).collect();
    for (name, data) in &mut parts {
        if name == "word/document.xml" || (name == "word/footnotes.xml" && r.below(4) == 0) {
            *data = match r.below(4) {
                0 => {
                    // Cut at a random point.
                    let at = r.below(data.len());
                    data[..at].to_vec()
                }
                1 => {
                    // Repeat an element many times (deep or wide).
                    let tok = XML_TOKENS[r.below(XML_TOKENS.len())];
                    let at = data.iter().position(|&c| c == b'>').map_or(0, |p| p + 1);
                    let times = 1 + r.below(50_000);
                    let mut d = data[..at].to_vec();
                    d.extend(tok.as_bytes().repeat(times));
                    d.extend_from_slice(&data[at..]);
                    d
                }
                _ => mutate_bytes(r, data, &xml_tokens),
            };
        }
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        if w.start_file(name, opts).is_err() || w.write_all(&data).is_err() {
            return src.to_vec();
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_else(|_| src.to_vec())
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

/// Peak RSS (kB) from `/usr/bin/time -v` output.
fn peak_rss(stderr: &str) -> u64 {
    stderr.lines().find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): ")).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

struct Outcome {
    code: Option<i32>,
    rss_kb: u64,
    secs: f64,
    rows: Vec<cchc::model::DocumentRow>,
    log: String,
}

fn run_batch(bin: &Path, inputs: &[PathBuf], out: &Path, timeout: &str) -> Outcome {
    let _ = std::fs::remove_dir_all(out);
    let t = std::time::Instant::now();
    let o = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin)
        .arg("extract")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .arg("--file-timeout")
        .arg(timeout)
        .output();
    let secs = t.elapsed().as_secs_f64();
    match o {
        Ok(o) => {
            let stderr = String::from_utf8_lossy(&o.stderr).to_string();
            // time -v reports the child's status; its own exit code is the child's.
            let rows = cchc::write::parquet::read_dataset(out).map(|d| d.documents).unwrap_or_default();
            Outcome { code: o.status.code(), rss_kb: peak_rss(&stderr), secs, rows, log: stderr }
        }
        Err(e) => Outcome { code: None, rss_kb: 0, secs, rows: vec![], log: e.to_string() },
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let kind = arg(&args, "--kind").unwrap_or_else(|| "pdf".into());
    let count: usize = arg(&args, "--count").and_then(|v| v.parse().ok()).unwrap_or(100);
    let seed: u64 = arg(&args, "--seed").and_then(|v| v.parse().ok()).unwrap_or(13);
    let batch: usize = arg(&args, "--batch").and_then(|v| v.parse().ok()).unwrap_or(200).max(1);
    let timeout = arg(&args, "--timeout").unwrap_or_else(|| "10".into());
    let bin = PathBuf::from(arg(&args, "--bin").unwrap_or_else(|| root.join("target/release/cchc").display().to_string()));
    let work = PathBuf::from(arg(&args, "--work").unwrap_or_else(|| std::env::temp_dir().join("cchc-mutate").display().to_string()));
    let (dir, ext) = match kind.as_str() {
        "pdf" => ("fixtures/pdf", "pdf"),
        "docx" => ("fixtures/pdf", "docx"),
        "text" => ("fixtures/text", "txt"),
        other => {
            eprintln!("unknown --kind {other} (pdf, docx, text)");
            std::process::exit(2);
        }
    };
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(root.join(dir))
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == ext))
                .filter_map(|e| std::fs::read(e.path()).ok().map(|b| (e.file_name().to_string_lossy().to_string(), b)))
                .collect()
        })
        .unwrap_or_default();
    seeds.sort();
    if seeds.is_empty() {
        eprintln!("no {ext} fixtures under {dir}");
        std::process::exit(2);
    }
    let inputs = work.join(format!("in-{kind}"));
    let _ = std::fs::remove_dir_all(&inputs);
    if let Err(e) = std::fs::create_dir_all(&inputs) {
        eprintln!("{}: {e}", inputs.display());
        std::process::exit(2);
    }
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let text_tokens: Vec<&[u8]> = TEXT_TOKENS.iter().map(|t| t.as_bytes()).collect();
    let mut files = Vec::new();
    for i in 0..count {
        let (name, src) = &seeds[r.below(seeds.len())];
        let bytes = match kind.as_str() {
            "pdf" => mutate_bytes(&mut r, src, TOKENS),
            "docx" => mutate_docx(&mut r, src),
            _ => mutate_bytes(&mut r, src, &text_tokens),
        };
        let p = inputs.join(format!("m{i:05}_{name}"));
        if std::fs::write(&p, &bytes).is_ok() {
            files.push(p);
        }
    }
    let (mut crashes, mut missing, mut max_rss, mut total_secs) = (Vec::new(), 0usize, 0u64, 0f64);
    let mut status: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut slow = Vec::new();
    let mut slowest = 0f64;
    for (k, chunk) in files.chunks(batch).enumerate() {
        let out = work.join(format!("out-{kind}"));
        let o = run_batch(&bin, chunk, &out, &timeout);
        max_rss = max_rss.max(o.rss_kb);
        total_secs += o.secs;
        slowest = slowest.max(o.secs);
        if !matches!(o.code, Some(0 | 1)) {
            eprintln!("batch {k}: exit {:?}; running its {} files one by one\n{}", o.code, chunk.len(), o.log.lines().take(5).collect::<Vec<_>>().join("\n"));
            for f in chunk {
                let one = run_batch(&bin, std::slice::from_ref(f), &out, &timeout);
                max_rss = max_rss.max(one.rss_kb);
                if !matches!(one.code, Some(0 | 1)) {
                    eprintln!("CRASH exit {:?}: {}", one.code, f.display());
                    crashes.push(f.clone());
                } else {
                    for d in one.rows {
                        *status.entry(d.status.to_string()).or_default() += 1;
                    }
                }
            }
            continue;
        }
        if o.rows.len() != chunk.len() {
            eprintln!("batch {k}: {} rows for {} files", o.rows.len(), chunk.len());
            missing += chunk.len().abs_diff(o.rows.len());
        }
        for d in o.rows {
            if d.error.as_deref().is_some_and(|e| e.starts_with("too slow")) {
                slow.push(d.path.clone());
            }
            if d.status != Status::Ok && d.error.as_deref().is_none_or(|e| e.trim().is_empty()) {
                eprintln!("{} row without a reason: {}", d.status, d.path);
                missing += 1;
            }
            *status.entry(d.status.to_string()).or_default() += 1;
        }
    }
    println!("kind {kind}: {} mutated inputs (seed {seed}, batches of {batch}, --file-timeout {timeout})", files.len());
    println!("  rows by status: {status:?}");
    println!("  crashes: {}  missing/unexplained rows: {missing}  too slow (hangs cut by the budget): {}", crashes.len(), slow.len());
    println!("  peak RSS of a batch: {:.1} MB; total {total_secs:.1}s, slowest batch {slowest:.1}s", max_rss as f64 / 1024.0);
    for p in slow.iter().take(10) {
        println!("  slow: {p}");
    }
    for p in crashes.iter().take(10) {
        println!("  crash: {}", p.display());
    }
    if !args.iter().any(|a| a == "--keep") && crashes.is_empty() && slow.is_empty() {
        let _ = std::fs::remove_dir_all(&inputs);
    }
    std::process::exit(if crashes.is_empty() && missing == 0 { 0 } else { 1 });
}
