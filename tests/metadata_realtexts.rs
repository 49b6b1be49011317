//! Measures the document header reader on the real texts of other issuers
//! (fixtures/realtexts/documents.json): report_number, unit_level, province,
//! period_year, doc_type and signer on every formal document (news pages,
//! doc_type "tin bài" in the key, are left out). Prints the per-field
//! accuracy and every miss; fails when a field is under 0.95 of the values
//! the key fills.

use cchc::model::DocMeta;
use cchc::pipeline::{process_file, Options};
use serde_json::Value;
use std::path::Path;

const FIELDS: [&str; 6] = ["report_number", "unit_level", "province", "period_year", "doc_type", "signer"];
const THRESHOLD: f64 = 0.95;

/// The key's ASCII level codes in cchc's Vietnamese words.
fn level_word(code: &str) -> &str {
    match code {
        "xa" => "xã",
        "phuong" => "phường",
        "thi_tran" => "thị trấn",
        "huyen" => "huyện",
        "quan" => "quận",
        "thi_xa" => "thị xã",
        "thanh_pho" => "thành phố",
        "tinh" => "tỉnh",
        "so" => "sở",
        "bo" => "bộ",
        "other" => "trung ương",
        other => other,
    }
}

/// "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Tp Hồ Chí Minh" → "Hồ Chí Minh".
fn province_norm(s: &str) -> String {
    let s = s.trim();
    for p in ["Thành phố ", "thành phố ", "TP. ", "Tp. ", "TP.", "Tp.", "TP ", "Tỉnh ", "tỉnh "] {
        if let Some(r) = s.strip_prefix(p) {
            return r.trim().to_string();
        }
    }
    s.to_string()
}

fn got(meta: &DocMeta, field: &str) -> Option<String> {
    match field {
        "report_number" => meta.report_number.clone(),
        "unit_level" => meta.unit_level.clone(),
        "province" => meta.province.as_deref().map(province_norm),
        "period_year" => meta.period_year.map(|y| y.to_string()),
        "doc_type" => meta.doc_type.clone(),
        "signer" => meta.signer.clone(),
        _ => None,
    }
}

fn want(row: &Value, field: &str) -> Option<String> {
    let v = row.get(field)?;
    match field {
        "unit_level" => v.as_str().map(|c| level_word(c).to_string()),
        "province" => v.as_str().map(province_norm),
        "period_year" => v.as_i64().map(|y| y.to_string()),
        _ => v.as_str().map(str::to_string),
    }
}

#[test]
fn header_fields_on_realtexts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/realtexts");
    let key: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(root.join("documents.json")).expect("key")).expect("json");
    let formal: Vec<&Value> = key.iter().filter(|r| r["doc_type"].as_str() != Some("tin bài")).collect();
    assert!(formal.len() >= 10, "{} formal documents", formal.len());
    let mut hits = [0usize; FIELDS.len()];
    let mut filled = [0usize; FIELDS.len()];
    let mut misses = Vec::new();
    for row in &formal {
        let doc = row["doc"].as_str().expect("doc");
        let meta = process_file(&root.join("docs").join(doc), &Options::default()).document.meta;
        for (i, f) in FIELDS.iter().enumerate() {
            let Some(w) = want(row, f) else { continue };
            filled[i] += 1;
            let g = got(&meta, f);
            if g.as_deref() == Some(w.as_str()) {
                hits[i] += 1;
            } else {
                misses.push(format!("{doc}: {f}: want {w:?}, got {g:?}"));
            }
        }
    }
    println!("header fields on {} formal documents:", formal.len());
    let mut low = Vec::new();
    for (i, f) in FIELDS.iter().enumerate() {
        let acc = if filled[i] == 0 { 1.0 } else { hits[i] as f64 / filled[i] as f64 };
        println!("  {f:<14} {:>2}/{:<2} = {acc:.3}", hits[i], filled[i]);
        if acc < THRESHOLD {
            low.push(format!("{f} {acc:.3}"));
        }
    }
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(low.is_empty(), "under {THRESHOLD}: {low:?}\n{}", misses.join("\n"));
}
