//! Dump the words (or lines) the native PDF reader finds, as JSON lines.
//!
//!   cargo run --example pdfwords -- FILE.pdf [--lines|--tables|--rules]

use std::io::Write;

use cchc::ingest::pdf::{find_tables, read_pdf, PdfLimits};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pdfwords FILE.pdf [--lines|--tables|--rules]");
        std::process::exit(2);
    };
    let mode = args.get(1).map(String::as_str).unwrap_or("--words");
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let doc = match read_pdf(&bytes, &PdfLimits::default()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    for w in &doc.warnings {
        eprintln!("warning: {w}");
    }
    let mut out = std::io::stdout().lock();
    let mut emit = |v: String| writeln!(out, "{v}").is_ok();
    match mode {
        "--tables" => {
            for g in find_tables(&doc) {
                if !emit(serde_json::to_string(&g).unwrap_or_default()) {
                    return;
                }
            }
        }
        "--rules" => {
            for p in &doc.pages {
                for r in &p.rules {
                    let v = serde_json::json!({"page": p.number, "x0": r.x0, "y0": r.y0, "x1": r.x1, "y1": r.y1});
                    if !emit(v.to_string()) {
                        return;
                    }
                }
            }
        }
        "--lines" => {
            for p in &doc.pages {
                for l in &p.lines {
                    let v = serde_json::json!({"page": p.number, "text": l.text, "x0": l.x0, "x1": l.x1,
                        "top": l.top, "bottom": l.bottom, "size": l.font_size});
                    if !emit(v.to_string()) {
                        return;
                    }
                }
            }
        }
        _ => {
            for p in &doc.pages {
                for w in p.lines.iter().flat_map(|l| &l.words) {
                    let v = serde_json::json!({"page": p.number, "text": w.text, "x0": w.x0, "x1": w.x1,
                        "top": w.top, "bottom": w.bottom, "size": w.font_size});
                    if !emit(v.to_string()) {
                        return;
                    }
                }
            }
        }
    }
}
