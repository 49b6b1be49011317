//! The same appendix tables printed to PDF by other producers than
//! LibreOffice (issue 15; `fixtures/pdf/producers/make_producers.py`): their
//! cells must equal the DOCX reading of the same tables and their prose
//! figures the text reading, whatever the producer's drawing habits.

mod common;

use cchc::model::Status;
use common::{cell_keys, figure_keys, run, Keys};
use std::path::Path;

/// Matched items over the larger of the two multisets: a missing cell and an
/// extra (shifted) cell both count against the producer.
fn agreement(reference: &Keys, other: &Keys) -> f64 {
    let common: usize = reference.iter().map(|(k, n)| (*n).min(other.get(k).copied().unwrap_or(0))).sum();
    let n = reference.values().sum::<usize>().max(other.values().sum::<usize>());
    common as f64 / n.max(1) as f64
}

fn missing(reference: &Keys, other: &Keys) -> Vec<String> {
    let mut v: Vec<String> = reference.iter().filter(|(k, n)| other.get(*k).copied().unwrap_or(0) < **n).map(|(k, _)| k.clone()).collect();
    v.sort();
    v.truncate(8);
    v
}

/// Cells of `pdf` against the DOCX reading, figures against `text` (or the DOCX).
fn check(pdf: &str, docx: &str, text: Option<&str>, min_cells: usize) {
    let reference = run(docx);
    let other = run(pdf);
    assert_eq!(other.document.status, Status::Ok, "{pdf}: {:?}", other.document.warnings);
    let (rc, oc) = (cell_keys(&reference), cell_keys(&other));
    assert!(rc.values().sum::<usize>() >= min_cells, "{docx}: only {} cells", rc.values().sum::<usize>());
    let a = agreement(&rc, &oc);
    println!("{pdf}: cells {a:.3} ({} reference, {} read)", rc.values().sum::<usize>(), oc.values().sum::<usize>());
    assert!(a >= 0.99, "{pdf}: cells {a:.3}; missing e.g. {:#?}\nextra e.g. {:#?}", missing(&rc, &oc), missing(&oc, &rc));
    let text_run = text.map(run);
    let base = text_run.as_ref().unwrap_or(&reference);
    let (rf, of) = (figure_keys(base), figure_keys(&other));
    let f = agreement(&rf, &of);
    println!("{pdf}: figures {f:.3}");
    assert!(f >= 0.99, "{pdf}: figures {f:.3}; missing e.g. {:#?}\nextra e.g. {:#?}", missing(&rf, &of), missing(&of, &rf));
}

const D001: &str = "fixtures/pdf/001_report.docx";
const D004: &str = "fixtures/pdf/004_appendix.docx";
const T001: &str = "fixtures/text/001_tq_trong_q1_2025.txt";

#[test]
fn libreoffice() {
    check("fixtures/pdf/001_report.pdf", D001, Some(T001), 62);
    check("fixtures/pdf/004_appendix.pdf", D004, None, 150);
}

#[test]
fn chromium_print_to_pdf() {
    check("fixtures/pdf/producers/chromium_001_report.pdf", D001, Some(T001), 62);
    check("fixtures/pdf/producers/chromium_004_appendix.pdf", D004, None, 150);
}

#[test]
fn ghostscript_pdfwrite() {
    check("fixtures/pdf/producers/gs_001_report.pdf", D001, Some(T001), 62);
    check("fixtures/pdf/producers/gs_004_appendix.pdf", D004, None, 150);
}

#[test]
fn reportlab() {
    check("fixtures/pdf/producers/reportlab_001_report.pdf", D001, Some(T001), 62);
    check("fixtures/pdf/producers/reportlab_004_appendix.pdf", D004, None, 150);
}

#[test]
fn abiword() {
    check("fixtures/pdf/producers/abiword_001_report.pdf", D001, Some(T001), 62);
    check("fixtures/pdf/producers/abiword_004_appendix.pdf", D004, None, 150);
}

#[test]
fn horizontal_rules_only() {
    check("fixtures/pdf/producers/booktabs_001_report.pdf", D001, Some(T001), 62);
}

#[test]
fn no_rules() {
    check("fixtures/pdf/producers/norules_001_report.pdf", D001, Some(T001), 62);
}

#[test]
fn rotated_pages() {
    check("fixtures/pdf/producers/rotated_004_appendix.pdf", D004, None, 150);
}

/// Side-by-side blocks (issuer | motto, "Nơi nhận" | signer) are read block
/// by block, and the header reads as the text export of the same document.
#[test]
fn side_by_side_blocks_do_not_interleave() {
    use cchc::ingest::pdf::{read_pdf, PdfLimits};
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pdf/producers/header_block.pdf")).expect("fixture");
    let doc = read_pdf(&bytes, &PdfLimits::default()).expect("readable");
    let first: Vec<&str> = doc.pages[0].lines.iter().take(6).map(|l| l.text.as_str()).collect();
    assert_eq!(first[0], "ỦY BAN NHÂN DÂN", "{first:?}");
    let motto = first.iter().position(|l| l.starts_with("CỘNG HÒA")).expect("motto");
    let number = first.iter().position(|l| l.starts_with("Số: 40/BC-UBND")).expect("number line");
    assert!(number < motto, "the left block comes first: {first:?}");
    assert!(first[..motto].iter().all(|l| !l.contains("Độc lập")), "{first:?}");

    let pdf = run("fixtures/pdf/producers/header_block.pdf");
    let text = run("fixtures/pdf/producers/header_block.txt");
    let (p, t) = (&pdf.document.meta, &text.document.meta);
    assert_eq!(p.issuer.as_deref(), Some("UBND phường Trương Quang Trọng"));
    assert_eq!(p.report_number.as_deref(), Some("40/BC-UBND"));
    assert_eq!(p.signer.as_deref(), Some("Trương Thanh Thảo"));
    for (what, a, b) in [
        ("issuer", &p.issuer, &t.issuer),
        ("unit_name", &p.unit_name, &t.unit_name),
        ("unit_level", &p.unit_level, &t.unit_level),
        ("report_number", &p.report_number, &t.report_number),
        ("doc_date", &p.doc_date, &t.doc_date),
        ("signer", &p.signer, &t.signer),
    ] {
        assert_eq!(a, b, "{what}");
    }
    let f = agreement(&figure_keys(&text), &figure_keys(&pdf));
    println!("header_block.pdf: figures {f:.3}");
    assert!(f >= 0.99, "figures {f:.3}; missing e.g. {:#?}", missing(&figure_keys(&text), &figure_keys(&pdf)));
}
