//! Acceptance: after `cchc extract` on the fixture texts,
//! * ≥ 90 % of the appendix rows of 001 and 004 that carry a value, and
//! * ≥ 60 % of the prose figures with a subject in 000 and 001
//!   get an indicator; and no indicator sits on two rows of one table.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use polars::prelude::*;

const FIXTURES: [&str; 5] = [
    "000_cam_thanh_cchc_2025.txt",
    "001_tq_trong_q1_2025.txt",
    "002_cam_thanh_kh_ktthc_2025.txt",
    "003_vp_ubnd_so_ket_2021_2025.txt",
    "004_phuong2_so_ket_2021_2025.txt",
];

fn read(path: &Path) -> DataFrame {
    let f = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetReader::new(f).finish().unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strs(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    let s = df.column(name).unwrap_or_else(|e| panic!("{name}: {e}")).as_materialized_series().cast(&DataType::String).unwrap();
    let ca = s.str().unwrap();
    (0..df.height()).map(|i| ca.get(i).map(str::to_string)).collect()
}

fn f64s(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    let s = df.column(name).unwrap_or_else(|e| panic!("{name}: {e}")).as_materialized_series().cast(&DataType::Float64).unwrap();
    let ca = s.f64().unwrap();
    (0..df.height()).map(|i| ca.get(i)).collect()
}

fn i64s(df: &DataFrame, name: &str) -> Vec<Option<i64>> {
    let s = df.column(name).unwrap_or_else(|e| panic!("{name}: {e}")).as_materialized_series().cast(&DataType::Int64).unwrap();
    let ca = s.i64().unwrap();
    (0..df.height()).map(|i| ca.get(i)).collect()
}

fn extract() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("cchc-coverage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let files: Vec<PathBuf> = FIXTURES.iter().map(|f| root.join("fixtures/text").join(f)).collect();
    let status = Command::new(env!("CARGO_BIN_EXE_cchc")).arg("extract").args(&files).arg("--out").arg(&out).output().expect("run cchc extract");
    assert!(status.status.code().is_some_and(|c| c == 0 || c == 1), "extract failed: {}", String::from_utf8_lossy(&status.stderr));
    out
}

#[test]
fn indicator_coverage_on_fixtures() {
    let out = extract();
    let docs = read(&out.join("documents.parquet"));
    let by_prefix: HashMap<String, String> = strs(&docs, "doc_id")
        .into_iter()
        .zip(strs(&docs, "path"))
        .filter_map(|(id, path)| {
            let id = id?;
            let name = Path::new(&path?).file_name()?.to_string_lossy().to_string();
            Some((name.get(0..3)?.to_string(), id))
        })
        .collect();
    let id = |p: &str| by_prefix.get(p).cloned().unwrap_or_else(|| panic!("no document {p}: {by_prefix:?}"));

    // Appendix rows with a value (001, 004).
    let t = read(&out.join("tables.parquet"));
    let (doc, table, row) = (strs(&t, "doc_id"), strs(&t, "table_id"), i64s(&t, "row"));
    let (raw, value, option, ind, label) = (strs(&t, "raw"), f64s(&t, "value"), strs(&t, "option"), strs(&t, "indicator"), strs(&t, "label"));
    let wanted: HashSet<String> = [id("001"), id("004")].into_iter().collect();
    // (doc, table, row) → (has value, indicator, label)
    type RowKey = (String, String, i64);
    let mut rows: HashMap<RowKey, (bool, Option<String>, String)> = HashMap::new();
    for i in 0..t.height() {
        let (Some(d), Some(tb), Some(r)) = (&doc[i], &table[i], row[i]) else { continue };
        let e = rows.entry((d.clone(), tb.clone(), r)).or_insert((false, None, String::new()));
        e.0 |= value[i].is_some() || option[i].is_some() || raw[i].as_deref().is_some_and(|s| !s.trim().is_empty());
        if e.1.is_none() {
            e.1 = ind[i].clone();
        }
        if e.2.is_empty() {
            e.2 = label[i].clone().unwrap_or_default();
        }
    }
    // No indicator on two rows of one table.
    let mut seen: HashMap<(String, String, String), i64> = HashMap::new();
    for ((d, tb, r), (_, i, _)) in &rows {
        if let Some(i) = i {
            if let Some(prev) = seen.insert((d.clone(), tb.clone(), i.clone()), *r) {
                panic!("{i} on rows {prev} and {r} of {d}/{tb}");
            }
        }
    }
    let valued: Vec<_> = rows.iter().filter(|((d, _, _), (v, _, _))| wanted.contains(d) && *v).collect();
    let hit = valued.iter().filter(|(_, (_, i, _))| i.is_some()).count();
    let missing: Vec<&String> = valued.iter().filter(|(_, (_, i, _))| i.is_none()).map(|(_, (_, _, l))| l).collect();
    println!("appendix rows with a value (001, 004): {hit}/{} matched; unmatched: {missing:?}", valued.len());

    // Prose figures with a subject (000, 001).
    let f = read(&out.join("figures.parquet"));
    let (fdoc, kind, subject, find) = (strs(&f, "doc_id"), strs(&f, "kind"), strs(&f, "subject"), strs(&f, "indicator"));
    let prose: HashSet<String> = [id("000"), id("001")].into_iter().collect();
    let mut total = 0;
    let mut matched = 0;
    let mut unmatched: Vec<String> = Vec::new();
    for i in 0..f.height() {
        let Some(d) = &fdoc[i] else { continue };
        if !prose.contains(d) || matches!(kind[i].as_deref(), Some("date") | Some("period")) {
            continue;
        }
        let Some(s) = subject[i].as_deref().filter(|s| !s.trim().is_empty()) else { continue };
        total += 1;
        if find[i].is_some() {
            matched += 1;
        } else {
            unmatched.push(s.to_string());
        }
    }
    println!("prose figures with a subject (000, 001): {matched}/{total} matched; unmatched: {unmatched:?}");
    assert!(!valued.is_empty(), "no appendix rows extracted from 001/004");
    assert!(hit * 100 >= valued.len() * 90, "appendix coverage {hit}/{} < 90 %; unmatched: {missing:?}", valued.len());
    assert!(total > 0, "no prose figures with a subject");
    assert!(matched * 100 >= total * 60, "prose coverage {matched}/{total} < 60 %; unmatched: {unmatched:?}");
    let _ = std::fs::remove_dir_all(&out);
}
