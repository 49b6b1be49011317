//! Runs the `cchc` binary on fixtures and reads the Parquet back with polars:
//! column names and types must match schemas/*.md; bad files must become
//! failed rows without stopping the batch.

use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> DataFrame {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetReader::new(f).finish().unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (column → type) from a schemas/<stem>.md table "| column | type | meaning |".
fn documented(stem: &str) -> Option<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(root().join("schemas").join(format!("{stem}.md"))).ok()?;
    let mut out = BTreeMap::new();
    // The first markdown table of the file; "string, nullable" counts as "string".
    for line in text.lines().skip_while(|l| !l.trim_start().starts_with('|')).take_while(|l| l.trim_start().starts_with('|')) {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(|c| c.trim().trim_matches('`')).collect();
        if cells.len() >= 3 && !cells[0].is_empty() && cells[1] != "type" && !cells[0].starts_with("---") {
            let ty = cells[1].split(',').next().unwrap_or("").trim().to_lowercase();
            out.insert(cells[0].to_string(), ty);
        }
    }
    Some(out)
}

fn type_name(dt: &DataType) -> &'static str {
    match dt {
        DataType::String => "string",
        DataType::Float64 => "float64",
        DataType::Int32 => "int32",
        DataType::Int64 => "int64",
        _ => "other",
    }
}

fn extract(args: &[&str], out: &Path) -> std::process::Output {
    let o = bin().arg("extract").args(args).arg("--out").arg(out).output().unwrap_or_else(|e| panic!("run cchc: {e}"));
    o
}

#[test]
fn extract_fixtures_and_read_back() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = extract(&[root().join("fixtures/text").to_string_lossy().as_ref()], out.path());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("ok 5, partial 0, failed 0"), "{stdout}");
    for (stem, schema) in cchc::write::parquet::OUTPUTS {
        let df = read(&out.path().join(format!("{stem}.parquet")));
        let names: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
        let want: Vec<String> = schema.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(names, want, "{stem}: columns");
        for (name, ty) in schema.iter() {
            let col = df.column(name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(type_name(col.dtype()), ty.name(), "{stem}.{name}");
        }
        // The documentation in schemas/ says the same.
        if let Some(doc) = documented(stem) {
            let code: BTreeMap<String, String> = schema.iter().map(|(n, t)| (n.to_string(), t.name().to_string())).collect();
            assert_eq!(doc, code, "schemas/{stem}.md is out of sync with the writer");
        } else {
            panic!("schemas/{stem}.md missing");
        }
    }
    let docs = read(&out.path().join("documents.parquet"));
    assert_eq!(docs.height(), 5);
    let figs = read(&out.path().join("figures.parquet"));
    assert!(figs.height() > 500, "{}", figs.height());
    let secs = read(&out.path().join("sections.parquet"));
    assert!(secs.height() > 100);
    // Vietnamese survives the round trip.
    let units = docs.column("unit_name").unwrap_or_else(|e| panic!("{e}")).str().unwrap_or_else(|e| panic!("{e}")).clone();
    assert!((0..units.len()).filter_map(|i| units.get(i)).any(|u| u == "phường Trương Quang Trọng"));
    // Output files are complete and no temporary file is left behind.
    let leftovers: Vec<_> =
        std::fs::read_dir(out.path()).into_iter().flatten().flatten().filter(|e| e.file_name().to_string_lossy().contains(".tmp")).collect();
    assert!(leftovers.is_empty());
}

#[test]
fn bad_files_become_rows_and_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = dir.path().join("good.txt");
    std::fs::copy(root().join("fixtures/text/001_tq_trong_q1_2025.txt"), &good).unwrap_or_else(|e| panic!("{e}"));
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap_or_else(|e| panic!("{e}"));
    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, [0u8, 1, 2, 3, 0, 255, 254, 0, 7, 8].repeat(100)).unwrap_or_else(|e| panic!("{e}"));
    let fake_pdf = dir.path().join("broken.pdf");
    std::fs::write(&fake_pdf, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n").unwrap_or_else(|e| panic!("{e}"));
    // A 2 MB single line (no newline): bounded time and memory, no panic
    // (50 MB is measured in release by hand, see the README).
    let long = dir.path().join("long.txt");
    let unit = "Tổng số 843/847 hồ sơ đạt 99,52% trong Quý I/2025; ";
    std::fs::write(&long, unit.repeat(2_000_000 / unit.len())).unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("missing.txt");
    let out = dir.path().join("out");
    let args: Vec<String> = [&good, &empty, &binary, &fake_pdf, &long, &missing].iter().map(|p| p.to_string_lossy().to_string()).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = extract(&args, &out);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "some files failed → exit 1\n{stderr}");
    for name in ["empty.txt", "binary.txt", "broken.pdf", "missing.txt"] {
        assert!(stderr.contains(name), "stderr names {name}: {stderr}");
    }
    let docs = read(&out.join("documents.parquet"));
    assert_eq!(docs.height(), 6);
    let status: Vec<(String, String, Option<String>)> = {
        let p = docs.column("path").and_then(|c| c.str().cloned()).unwrap_or_else(|e| panic!("{e}"));
        let s = docs.column("status").and_then(|c| c.str().cloned()).unwrap_or_else(|e| panic!("{e}"));
        let r = docs.column("error").and_then(|c| c.str().cloned()).unwrap_or_else(|e| panic!("{e}"));
        (0..docs.height()).map(|i| (p.get(i).unwrap_or("").to_string(), s.get(i).unwrap_or("").to_string(), r.get(i).map(str::to_string))).collect()
    };
    let of = |name: &str| status.iter().find(|(p, _, _)| p.ends_with(name)).cloned().unwrap_or_else(|| panic!("{name} missing"));
    assert_eq!(of("good.txt").1, "ok");
    assert_eq!(of("long.txt").1, "ok");
    assert_eq!(of("empty.txt").1, "failed");
    assert!(of("empty.txt").2.unwrap_or_default().contains("empty"));
    assert_eq!(of("binary.txt").1, "failed");
    assert!(of("binary.txt").2.unwrap_or_default().contains("binary"));
    assert_eq!(of("broken.pdf").1, "failed");
    assert_eq!(of("missing.txt").1, "failed");
    let figs = read(&out.join("figures.parquet"));
    assert!(figs.height() > 40_000, "the long line is fully scanned: {}", figs.height());
}

#[test]
fn figures_command_prints_json_lines() {
    let o =
        bin().args(["figures", "đã giải quyết 843/847 hồ sơ đạt 99,52% theo Kế hoạch số 04/KH-UBND ngày 23/7/2025"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["kind"], "fraction");
    assert_eq!(lines[0]["numerator"], 843.0);
    assert_eq!(lines[0]["stated_percent"], 99.52);
    assert_eq!(lines[2]["kind"], "date");
    // Same field names as figures.parquet.
    let fields: Vec<String> = lines[0].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    for (name, _) in cchc::write::parquet::FIGURES {
        assert!(fields.contains(&name.to_string()), "{name}");
    }
}

#[test]
fn inspect_shows_tree_and_metadata() {
    let o = bin().arg("inspect").arg(root().join("fixtures/text/001_tq_trong_q1_2025.txt")).output().unwrap_or_else(|e| panic!("{e}"));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(s.contains("phường Trương Quang Trọng"));
    assert!(s.contains("  3 Cải cách thủ tục hành chính"));
    assert!(s.contains("843/847 hồ sơ"));
    // Claims under the figures: "843/847 hồ sơ đạt 99,52%" (99,527 truncated).
    assert!(s.contains("\nClaims ("), "{s}");
    assert!(s.lines().any(|l| l.contains("share") && l.contains("consistent") && l.contains("843/847 99,52%") && l.contains("explicit")), "{s}");
}

#[test]
fn usage_errors_exit_2() {
    let o = bin().args(["extract"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    let o = bin().args(["extract", "/nonexistent/folder", "--out", "/tmp/x", "--encoding", "klingon"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
}
