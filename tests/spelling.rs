//! The respelling of OCR labels (canon::indicators::spelling) must leave
//! authors' wording alone: applied to every label of the text-layer tables
//! of the fixtures and the 25 realtexts, it may only mend real typos.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::Path;
use std::process::Command;

use cchc::canon::indicators::Lexicon;
use polars::prelude::*;

#[test]
fn authors_labels_are_left_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("spelling-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("extract")
        .arg(root.join("fixtures/text"))
        .arg(root.join("fixtures/realtexts/docs"))
        .args(["--ocr", "off", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("cchc: {e}"));
    assert!(o.status.code().is_some_and(|c| c <= 1), "extract: {}", String::from_utf8_lossy(&o.stderr));
    let f = File::open(out.join("tables.parquet")).unwrap_or_else(|e| panic!("tables.parquet: {e}"));
    let df = ParquetReader::new(f).finish().unwrap_or_else(|e| panic!("tables.parquet: {e}"));
    let labels = df.column("label").unwrap_or_else(|e| panic!("label: {e}")).str().unwrap_or_else(|e| panic!("label: {e}")).clone();
    let distinct: BTreeSet<&str> = labels.iter().flatten().collect();
    assert!(distinct.len() > 300, "{} labels", distinct.len());
    let lex = Lexicon::builtin();
    let mut changes = BTreeSet::new();
    for label in &distinct {
        if let Some((_, ch)) = lex.respell(label) {
            changes.extend(ch);
        }
    }
    // Both are typos of the documents themselves ("theo thẩm quyển" in the
    // realtexts, "thời điểm bảo cáo" in seed 001).
    let typos: BTreeSet<(String, String)> = [("quyển", "quyền"), ("bảo", "báo")].iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    let wrong: Vec<_> = changes.difference(&typos).collect();
    assert!(wrong.is_empty(), "respelled authors' words: {wrong:?}");
    std::fs::remove_dir_all(&out).ok();
}
