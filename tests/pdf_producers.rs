//! The same appendix tables printed to PDF by other producers than
//! LibreOffice (issue 15; `fixtures/pdf/producers/make_producers.py`): their
//! cells must equal the DOCX reading of the same tables and their prose
//! figures the text reading, whatever the producer's drawing habits.

use cchc::model::{Extracted, Status};
use cchc::pipeline::{process_file, Options};
use std::collections::HashMap;
use std::path::Path;

fn run(rel: &str) -> Extracted {
    process_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel), &Options::default())
}

type Keys = HashMap<String, usize>;

fn cell_keys(e: &Extracted) -> Keys {
    let mut m = HashMap::new();
    for c in &e.cells {
        *m.entry(format!("{:?}|{:?}|{}|{:?}|{:?}", c.stt, c.label, c.column, c.value, c.option)).or_insert(0) += 1;
    }
    m
}

fn figure_keys(e: &Extracted) -> Keys {
    let mut m = HashMap::new();
    for f in &e.figures {
        *m.entry(format!("{}|{}|{:?}|{:?}|{:?}|{:?}", f.raw, f.kind, f.value, f.numerator, f.denominator, f.stated_percent)).or_insert(0) += 1;
    }
    m
}

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
