//! Scanned reports read by OCR (issue 16): the `cchc` binary on scans made
//! by fixtures/scans/make_scans.py, the Parquet read back and compared with
//! the digital PDF of the same report (the method of tests/pdf_vs_text.rs:
//! multiset recall of keys). Needs tesseract with the `vie` model (CI
//! installs it: .ci/run); nothing here is skipped when it is missing.

use cchc::model::{Dataset, DocumentRow, Format, Kind, Status, TextSource};
use cchc::write::dataset::read_dataset;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cchc extract` on `inputs` (with `env`) and reads the dataset back.
fn extract(inputs: &[PathBuf], extra: &[&str], env: &[(&str, &str)]) -> Dataset {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cchc"));
    cmd.arg("extract").args(inputs).arg("-o").arg(out.path()).args(["--quiet", "--file-timeout", "900"]).args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap_or_else(|e| panic!("run cchc: {e}"));
    assert!(o.status.code().is_some_and(|c| c <= 1), "cchc failed: {}", String::from_utf8_lossy(&o.stderr));
    read_dataset(out.path()).unwrap_or_else(|e| panic!("read back: {e:#}"))
}

fn doc<'a>(ds: &'a Dataset, name: &str) -> &'a DocumentRow {
    ds.documents.iter().find(|d| d.path.ends_with(name)).unwrap_or_else(|| panic!("no document {name}"))
}

type Key = String;

fn count<I: IntoIterator<Item = Key>>(keys: I) -> HashMap<Key, usize> {
    let mut m = HashMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// Share of `reference` (multiset) found in `other`.
fn recall(reference: &HashMap<Key, usize>, other: &HashMap<Key, usize>) -> f64 {
    let total: usize = reference.values().sum();
    let common: usize = reference.iter().map(|(k, n)| (*n).min(other.get(k).copied().unwrap_or(0))).sum();
    common as f64 / total.max(1) as f64
}

/// a/b statements of a document: fraction figures (numerator, denominator).
fn fractions(ds: &Dataset, doc_id: &str) -> HashMap<Key, usize> {
    count(ds.figures.iter().filter(|f| f.doc_id == doc_id && f.kind == Kind::Fraction).map(|f| format!("{:?}/{:?}", f.numerator, f.denominator)))
}

/// Stated percents of the a/b statements.
fn stated(ds: &Dataset, doc_id: &str) -> HashMap<Key, usize> {
    count(
        ds.figures
            .iter()
            .filter(|f| f.doc_id == doc_id && f.kind == Kind::Fraction && f.stated_percent.is_some())
            .map(|f| format!("{:?}/{:?}={:?}", f.numerator, f.denominator, f.stated_percent)),
    )
}

/// Appendix cells, keyed as in tests/pdf_vs_text.rs.
fn cells(ds: &Dataset, doc_id: &str) -> HashMap<Key, usize> {
    count(ds.cells.iter().filter(|c| c.doc_id == doc_id).map(|c| format!("{:?}|{:?}|{}|{:?}|{:?}", c.stt, c.label, c.column, c.value, c.option)))
}

/// Digit strings printed in the stamp (fixtures/scans/stamp_digits.txt).
fn stamp_digits() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("fixtures/scans/stamp_digits.txt")).unwrap_or_else(|e| panic!("stamp_digits.txt: {e}"));
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn assert_no_stamp_figures(ds: &Dataset, doc_id: &str) {
    for d in stamp_digits() {
        let hit: Vec<&str> = ds.figures.iter().filter(|f| f.doc_id == doc_id && f.raw.contains(&d)).map(|f| f.raw.as_str()).collect();
        assert!(hit.is_empty(), "stamp text {d:?} read as figures {hit:?}");
        let cell: Vec<&str> = ds.cells.iter().filter(|c| c.doc_id == doc_id && c.raw.contains(&d)).map(|c| c.raw.as_str()).collect();
        assert!(cell.is_empty(), "stamp text {d:?} read as cells {cell:?}");
    }
}

#[test]
fn scanned_pdf_page_and_image_file_are_read() {
    let ds = extract(
        &[root().join("fixtures/pdf/image_only.pdf"), root().join("fixtures/scans/001_scan_excerpt.pdf"), root().join("fixtures/scans/001_photo_p1.jpg")],
        &[],
        &[],
    );
    for name in ["image_only.pdf", "001_scan_excerpt.pdf", "001_photo_p1.jpg"] {
        let d = doc(&ds, name);
        assert_eq!(d.status, Status::Ok, "{name}: {:?} {:?}", d.error, d.warnings);
        assert_eq!(d.text_source, TextSource::Ocr, "{name}");
        let conf = d.ocr_confidence.unwrap_or(0.0);
        assert!(conf > 0.6 && conf <= 1.0, "{name}: ocr_confidence {conf}");
        let figs: Vec<_> = ds.figures.iter().filter(|f| f.doc_id == d.doc_id).collect();
        assert!(!figs.is_empty(), "{name}: no figures");
        assert!(figs.iter().all(|f| f.confidence.is_some_and(|c| (0.0..=1.0).contains(&c)) && f.page.is_some()), "{name}");
    }
    assert_eq!(doc(&ds, "001_photo_p1.jpg").format, Format::Image);
    // Page 1 of report 001: its number and the quarter are read from the photo too.
    for name in ["001_scan_excerpt.pdf", "001_photo_p1.jpg"] {
        let d = doc(&ds, name);
        assert_eq!(d.meta.period_year, Some(2025), "{name}");
    }
    // The excerpt's page 2 holds the end of the appendix table, under the stamp.
    let ex = doc(&ds, "001_scan_excerpt.pdf");
    let ex_cells: Vec<_> = ds.cells.iter().filter(|c| c.doc_id == ex.doc_id).collect();
    // The cells beside and under the stamp: what is read differently from
    // the digital report ("14", "11", "576/577": a stamp ring and a
    // signature cross them) carries a confidence below 0.9, so the checker
    // does not accuse it ([ocr_doubt]); the others are read exactly.
    let raws: Vec<(&str, Option<f64>)> = ex_cells.iter().map(|c| (c.raw.as_str(), c.confidence)).collect();
    for want in ["99,82", "100", "255/255"] {
        assert!(raws.iter().any(|(r, _)| *r == want), "{want} not read: {raws:?}");
    }
    let digital = ["14", "11", "99,82", "576/577", "100", "255/255"];
    for (raw, conf) in &raws {
        assert!(digital.contains(raw) || conf.is_some_and(|c| c < 0.9), "{raw:?} misread with confidence {conf:?}");
    }
    assert!(ds.findings.iter().filter(|f| f.doc_id == ex.doc_id).all(|f| f.severity != cchc::model::Severity::Error), "an error from a doubtful reading");
    assert!(ex_cells.iter().all(|c| c.confidence.is_some() && c.page == Some(2)));
    assert_no_stamp_figures(&ds, &ex.doc_id);
    // Text-layer input has no OCR columns.
    let text = extract(&[root().join("fixtures/pdf/001_report.pdf")], &[], &[]);
    assert_eq!(text.documents[0].text_source, TextSource::TextLayer);
    assert_eq!(text.documents[0].ocr_confidence, None);
    assert!(text.figures.iter().all(|f| f.confidence.is_none()) && text.cells.iter().all(|c| c.confidence.is_none()));
}

#[test]
fn a_multipage_black_and_white_tiff_is_one_document() {
    // Pages 4 and 5 of 001 (17 a/b statements) as an office scanner's CCITT G4 TIFF.
    let tif = root().join("fixtures/scans/001_scan_p4-5_g4.tif");
    let ds = extract(&[tif, root().join("fixtures/pdf/001_report.pdf")], &[], &[]);
    let d = doc(&ds, "001_scan_p4-5_g4.tif");
    assert_eq!((d.status, d.format, d.text_source, d.pages), (Status::Ok, Format::Image, TextSource::Ocr, Some(2)), "{:?} {:?}", d.error, d.warnings);
    for page in [1, 2] {
        assert!(ds.figures.iter().any(|f| f.doc_id == d.doc_id && f.page == Some(page)), "no figure on page {page}");
    }
    // The a/b statements of those pages and their stated percents (17,
    // measured 17/17).
    let digital = doc(&ds, "001_report.pdf");
    let on = |id: &str, pages: &[i32]| {
        count(
            ds.figures
                .iter()
                .filter(|f| f.doc_id == id && f.kind == Kind::Fraction && f.page.is_some_and(|p| pages.contains(&p)))
                .map(|f| format!("{:?}/{:?}={:?}", f.numerator, f.denominator, f.stated_percent)),
        )
    };
    let (text, scan) = (on(&digital.doc_id, &[4, 5]), on(&d.doc_id, &[1, 2]));
    assert!(text.values().sum::<usize>() >= 17);
    let r = recall(&text, &scan);
    assert!(r >= 0.95 && recall(&scan, &text) >= 0.95, "a/b statements {r:.3}");
}

#[test]
fn a_text_layer_without_marks_is_read_by_ocr() {
    // A "searchable" scan of 001's page 4 whose invisible text layer was made
    // with Tesseract's English model ("thuc hién nhiém vu").
    let pdf = root().join("fixtures/scans/001_searchable_eng_p4.pdf");
    let ds = extract(&[pdf, root().join("fixtures/pdf/001_report.pdf")], &[], &[]);
    let d = doc(&ds, "001_searchable_eng_p4.pdf");
    assert_eq!((d.status, d.text_source), (Status::Ok, TextSource::Ocr), "{:?}", d.warnings);
    assert!(d.warnings.as_deref().is_some_and(|w| w.contains("garbage text layer on pages [1]")), "{:?}", d.warnings);
    // The 7 a/b statements of page 4 with their stated percents.
    let digital = doc(&ds, "001_report.pdf");
    let on = |id: &str, page: i32| {
        count(
            ds.figures
                .iter()
                .filter(|f| f.doc_id == id && f.kind == Kind::Fraction && f.page == Some(page))
                .map(|f| format!("{:?}/{:?}={:?}", f.numerator, f.denominator, f.stated_percent)),
        )
    };
    let (text, scan) = (on(&digital.doc_id, 4), on(&d.doc_id, 1));
    assert_eq!(text.values().sum::<usize>(), 7);
    assert!(recall(&text, &scan) >= 0.95, "{text:?} vs {scan:?}");
    // The words carry their marks again.
    assert!(ds.figures.iter().filter(|f| f.doc_id == d.doc_id).any(|f| f.sentence.contains("hồ sơ")));
}

#[test]
fn a_blank_image_is_a_failed_row_that_says_so() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("blank-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let png = dir.join("blank.png");
    image::GrayImage::from_pixel(1240, 1754, image::Luma([255])).save(&png).unwrap_or_else(|e| panic!("{e}"));
    let ds = extract(&[png], &[], &[]);
    let d = doc(&ds, "blank.png");
    assert_eq!(d.status, Status::Failed);
    assert!(d.error.as_deref().is_some_and(|e| e.starts_with("OCR found no text in the image")), "{:?}", d.error);
}

#[test]
fn without_tesseract_scans_need_ocr() {
    let inputs = [root().join("fixtures/pdf/image_only.pdf"), root().join("fixtures/scans/001_photo_p1.jpg")];
    let missing = extract(&inputs, &[], &[("CCHC_TESSERACT", "/nonexistent/tesseract")]);
    let off = extract(&inputs, &["--ocr", "off"], &[]);
    for (ds, why) in [(&missing, "not installed"), (&off, "--ocr off")] {
        for name in ["image_only.pdf", "001_photo_p1.jpg"] {
            let d = doc(ds, name);
            assert_eq!(d.status, Status::NeedsOcr, "{name}");
            let msg = d.error.clone().unwrap_or_default();
            assert!(msg.contains("needs OCR") && msg.contains("OCR not available") && msg.contains(why), "{name}: {msg}");
            assert_eq!(d.ocr_confidence, None);
        }
    }
}

/// The whole scans of 000 and 001 (made into the build folder by the
/// generator: ~300 KB a page is too big to commit).
fn full_scans() -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scans");
    let (s0, s1) = (dir.join("000_scan.pdf"), dir.join("001_scan.pdf"));
    let script = root().join("fixtures/scans/make_scans.py");
    let fresh = |p: &Path| p.metadata().and_then(|m| m.modified()).ok() > script.metadata().and_then(|m| m.modified()).ok();
    if !fresh(&s0) || !fresh(&s1) {
        let tmp = dir.with_extension("tmp");
        let o = Command::new("python3").arg(&script).arg(&tmp).output().unwrap_or_else(|e| panic!("python3: {e}"));
        assert!(o.status.success(), "make_scans.py: {}", String::from_utf8_lossy(&o.stderr));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&tmp, &dir).unwrap_or_else(|e| panic!("rename: {e}"));
    }
    (s0, s1)
}

#[test]
#[ignore = "OCR of 26 scanned pages (~1 min); CI runs it with --include-ignored"]
fn scans_match_the_digital_reports() {
    let (s0, s1) = full_scans();
    let ds = extract(&[s0, s1, root().join("fixtures/pdf/000_report.pdf"), root().join("fixtures/pdf/001_report.pdf")], &[], &[]);
    for (digital, scan) in [("000_report.pdf", "000_scan.pdf"), ("001_report.pdf", "001_scan.pdf")] {
        let (t, s) = (doc(&ds, digital), doc(&ds, scan));
        assert_eq!(s.status, Status::Ok, "{scan}: {:?}", s.error);
        assert_eq!(s.text_source, TextSource::Ocr);
        let ab = recall(&fractions(&ds, &t.doc_id), &fractions(&ds, &s.doc_id));
        eprintln!("{scan}: a/b statements {ab:.3}");
        assert!(ab >= 0.95, "{scan}: a/b statements {ab:.3}");
        let st = stated(&ds, &t.doc_id);
        let sp = recall(&st, &stated(&ds, &s.doc_id));
        eprintln!("{scan}: stated percents {sp:.3} of {}", st.len());
        assert!(sp >= 0.95, "{scan}: stated percents {sp:.3} of {}", st.len());
        assert_no_stamp_figures(&ds, &s.doc_id);
        if digital == "001_report.pdf" {
            // Issue 16: ≥ 0.90 (STT, label, column, value and option all
            // equal). Measured 0.919 (57/62): labels take the catalog's
            // diacritics (canon::indicators::spelling), rules cut by the
            // stamp are joined across it (raster::find_rules). Still
            // different: two typos of the text layer that the respelling
            // mends ("thẩm quyển", "bảo cáo"), the label of 7.3, and two
            // cells under the stamp and signature.
            let c = recall(&cells(&ds, &t.doc_id), &cells(&ds, &s.doc_id));
            eprintln!("{scan}: appendix cells {c:.3}");
            assert!(c >= 0.90, "{scan}: appendix cells {c:.3}");
        }
    }
}
