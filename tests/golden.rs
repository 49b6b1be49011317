//! The whole output on the seeds and the real texts, row by row, against
//! committed golden files (`fixtures/golden/<table>.jsonl`, sorted rows):
//! a refactoring must not change what cchc extracts. After an intended
//! change, regenerate with `CCHC_UPDATE_GOLDEN=1 cargo test --test golden`
//! and review the diff of the golden files in the commit.

use std::path::{Path, PathBuf};

use cchc::model::Dataset;
use cchc::pipeline::{process_bytes, Options};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The reports, read with paths relative to the repository so that doc ids
/// (a hash of the bytes and the path) are the same on every machine.
fn dataset() -> Dataset {
    let mut ds = Dataset::default();
    for dir in ["fixtures/text", "fixtures/realtexts/docs"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(root().join(dir)).unwrap_or_else(|e| panic!("{dir}: {e}")).flatten().map(|e| e.path()).collect();
        names.sort();
        for p in names {
            let rel = Path::new(dir).join(p.file_name().unwrap_or_default());
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            ds.push(process_bytes(&rel.to_string_lossy(), &bytes, &Options::default()));
        }
    }
    ds
}

fn lines<T: serde::Serialize>(rows: &[T]) -> Vec<String> {
    let mut v: Vec<String> = rows.iter().map(|r| serde_json::to_string(r).unwrap_or_else(|e| panic!("{e}"))).collect();
    v.sort();
    v
}

#[test]
fn output_equals_the_golden_rows() {
    let ds = dataset();
    let tables: [(&str, Vec<String>); 6] = [
        ("documents", lines(&ds.documents)),
        ("sections", lines(&ds.sections)),
        ("figures", lines(&ds.figures)),
        ("tables", lines(&ds.cells)),
        ("findings", lines(&ds.findings)),
        ("claims", lines(&ds.claims)),
    ];
    let dir = root().join("fixtures/golden");
    let update = std::env::var("CCHC_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let mut report = Vec::new();
    for (name, got) in &tables {
        let path = dir.join(format!("{name}.jsonl"));
        if update {
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, got.join("\n") + "\n").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            continue;
        }
        let want_text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (generate with CCHC_UPDATE_GOLDEN=1)", path.display()));
        let want: Vec<&str> = want_text.lines().collect();
        let missing: Vec<&&str> = want.iter().filter(|w| got.binary_search_by(|g| g.as_str().cmp(w)).is_err()).collect();
        let extra: Vec<&String> = got.iter().filter(|g| want.binary_search(&g.as_str()).is_err()).collect();
        if !missing.is_empty() || !extra.is_empty() {
            report.push(format!(
                "{name}: {} rows missing, {} rows new; first missing: {:?}; first new: {:?}",
                missing.len(),
                extra.len(),
                missing.first(),
                extra.first()
            ));
        }
        assert!(!got.is_empty(), "{name} is empty");
    }
    assert!(report.is_empty(), "output differs from fixtures/golden:\n{}", report.join("\n"));
}
