//! Micro-benchmarks (MB/s) for the figure grammar, the section grammar and
//! text ingest, on the five fixture reports repeated to ~10 MB.
//! `cargo bench --bench grammar` (plain timing harness, no extra crates).

use std::time::Instant;

fn corpus() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/text");
    let mut one = String::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        one.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
    }
    one.repeat((10_000_000 / one.len().max(1)).max(1))
}

fn report(name: &str, bytes: usize, f: impl Fn() -> usize) {
    let _ = f(); // warm up
    let runs = 3;
    let start = Instant::now();
    let mut n = 0;
    for _ in 0..runs {
        n = f();
    }
    let secs = start.elapsed().as_secs_f64() / f64::from(runs);
    println!("{name:<28} {:>8.1} MB/s  ({n} items, {:.3} s per pass)", bytes as f64 / 1e6 / secs, secs);
}

fn main() {
    let text = corpus();
    let lines: Vec<&str> = text.lines().collect();
    report("ingest (split + normalize)", text.len(), || cchc::ingest::text::split_lines(&text).0.len());
    report("figure grammar (scan)", text.len(), || lines.iter().map(|l| cchc::parse::figures::scan(l).len()).sum());
    report("section grammar (marker)", text.len(), || lines.iter().filter(|l| cchc::parse::sections::marker(l).is_some()).count());
    report("normalize_text", text.len(), || lines.iter().map(|l| cchc::vn::normalize::normalize_text(l).len()).sum());
}
