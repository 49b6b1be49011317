//! Times each pipeline stage over a folder of reports (profiling aid):
//! `cargo run --release --example stages -- DIR`.
use std::time::{Duration, Instant};

use cchc::ingest::{auto, IngestOptions};
use cchc::layout::layout;
use cchc::model::Dataset;
use cchc::parse::{metadata, sections};
use cchc::pipeline::{collect_files, extract};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "fixtures/text".into());
    let files = collect_files(&[dir.into()]);
    let mut t = [Duration::ZERO; 9];
    let mut bytes = 0usize;
    let mut ds = Dataset::default();
    for f in &files {
        let Ok(b) = std::fs::read(f) else { continue };
        bytes += b.len();
        let s = Instant::now();
        let Ok(ing) = auto::read(&b, &IngestOptions::default()) else { continue };
        t[0] += s.elapsed();
        let s = Instant::now();
        let lay = layout(&ing, cchc::tables::find_regions(&ing.lines));
        t[1] += s.elapsed();
        let s = Instant::now();
        let _ = sections::build("x", &lay.paras);
        t[2] += s.elapsed();
        let s = Instant::now();
        let _ = metadata::extract(&lay);
        t[3] += s.elapsed();
        let (secs, owner) = sections::build("x", &lay.paras);
        let s = Instant::now();
        let (figs, placed, _, _) = cchc::parse::prose::figures("x", &lay, &secs, &owner, usize::MAX);
        t[7] += s.elapsed();
        let s = Instant::now();
        let _ = cchc::claims::extract("x", &lay.paras, &figs, &placed);
        t[8] += s.elapsed();
        let s = Instant::now();
        let e = extract("p", &cchc::pipeline::sha_hex(&b), b.len(), &ing);
        t[4] += s.elapsed();
        ds.documents.push(e.document);
        ds.figures.extend(e.figures);
        ds.cells.extend(e.cells);
        ds.sections.extend(e.sections);
    }
    let s = Instant::now();
    cchc::canon::indicators::assign(&mut ds);
    t[5] += s.elapsed();
    let s = Instant::now();
    let _ = cchc::check::check_dataset(&ds, &cchc::check::CheckConfig::builtin());
    t[6] += s.elapsed();
    let mb = bytes as f64 / 1e6;
    for (name, d) in ["ingest", "layout", "sections", "metadata", "extract(all parse)", "indicators", "check", "figures (prose)", "claims"].iter().zip(t) {
        println!("{name:<20} {:>8.3}s  {:>8.1} MB/s", d.as_secs_f64(), mb / d.as_secs_f64().max(1e-9));
    }
}
