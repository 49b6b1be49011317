//! `--partition-by province,period_year` writes hive-style folders that read
//! back (polars here; pyarrow's hive reader too when it is installed) with
//! the same row counts as the flat files.

use polars::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn rows(path: &Path) -> usize {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetReader::new(f).finish().map(|d| d.height()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir).into_iter().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "parquet")).map(|e| e.into_path()).collect()
}

#[test]
fn partitioned_copy_has_the_same_rows() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/text");
    let o = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(["extract", "--quiet", "--partition-by", "province,period_year", "--out"])
        .arg(out.path())
        .arg(&fixtures)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let part = out.path().join("partitioned");
    let mut expected = Vec::new();
    for t in ["documents", "sections", "figures", "tables", "findings"] {
        let flat = rows(&out.path().join(format!("{t}.parquet")));
        let files = parquet_files(&part.join(t));
        let summed: usize = files.iter().map(|f| rows(f)).sum();
        assert_eq!(summed, flat, "{t}");
        expected.push(format!("{t} {flat}"));
        if t == "documents" {
            // Hive folders named after the values, Vietnamese intact.
            assert!(files.iter().any(|f| f.to_string_lossy().contains("province=Quảng Ngãi/period_year=2025")), "{files:?}");
            assert!(files.iter().any(|f| f.to_string_lossy().contains("province=Quảng Trị/period_year=2025")));
        }
    }
    // pyarrow's hive reader, when available (CI installs it).
    let py = Command::new("python3").args(["-c", "import pyarrow"]).status();
    if py.is_ok_and(|s| s.success()) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read_partitioned.py");
        let o = Command::new("python3").arg(script).arg(&part).output().unwrap_or_else(|e| panic!("{e}"));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let got: Vec<String> = String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect();
        assert_eq!(got, expected);
    } else {
        eprintln!("note: pyarrow not installed; hive read-back checked with polars only");
    }
}

#[test]
fn unknown_partition_key_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(["extract", "--partition-by", "nope", "--out"])
        .arg(out.path())
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/text"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a documents column"));
}
