//! Times the native PDF reader's stages over a folder of PDFs (profiling aid):
//! `cargo run --release --example pdfstages -- DIR`.
use std::time::{Duration, Instant};

use cchc::ingest::pdf::{find_tables, read_pdf, PdfLimits};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "fixtures/pdf".into());
    let files = cchc::pipeline::collect_files(&[dir.into()]);
    let (mut load, mut read, mut tables) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut pages = 0;
    for f in &files {
        let Ok(b) = std::fs::read(f) else { continue };
        let s = Instant::now();
        let _ = lopdf::Document::load_mem(&b);
        load += s.elapsed();
        let s = Instant::now();
        let Ok(doc) = read_pdf(&b, &PdfLimits::default()) else { continue };
        read += s.elapsed();
        pages += doc.pages.len();
        let s = Instant::now();
        let _ = find_tables(&doc);
        tables += s.elapsed();
    }
    println!("{} files, {pages} pages", files.len());
    println!("lopdf load only     {:>8.3}s", load.as_secs_f64());
    println!("read_pdf (all)      {:>8.3}s", read.as_secs_f64());
    println!("find_tables         {:>8.3}s", tables.as_secs_f64());
}
