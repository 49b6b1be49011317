//! The same report as PDF (and DOCX) and as seed text gives the same
//! figures and appendix cells (issue 4 acceptance: ≥ 98 % of figures and
//! ≥ 97 % of 001 appendix cells identical).

mod common;

use cchc::model::{Extracted, Status};
use common::{cell_keys, figure_keys, run, Keys};

/// Share of `reference` (multiset) found in `other`.
fn recall(reference: &Keys, other: &Keys) -> f64 {
    let total: usize = reference.values().sum();
    let common: usize = reference.iter().map(|(k, n)| (*n).min(other.get(k).copied().unwrap_or(0))).sum();
    common as f64 / total.max(1) as f64
}

#[test]
fn pdf_and_docx_match_the_text_report() {
    let text = run("fixtures/text/001_tq_trong_q1_2025.txt");
    for other in ["fixtures/pdf/001_report.pdf", "fixtures/pdf/001_report.docx"] {
        let o = run(other);
        assert_eq!(o.document.status, Status::Ok, "{other}");
        let r = recall(&figure_keys(&text), &figure_keys(&o));
        assert!(r >= 0.98, "{other}: figures {r:.3}");
        let c = recall(&cell_keys(&text), &cell_keys(&o));
        assert!(c >= 0.97, "{other}: appendix cells {c:.3}");
        let secs = |e: &Extracted| e.sections.iter().map(|s| (s.number.clone(), s.title.clone())).collect::<Vec<_>>();
        assert_eq!(secs(&o), secs(&text), "{other}: sections");
        assert_eq!(o.document.meta.unit_name, text.document.meta.unit_name);
        assert_eq!(o.document.meta.report_number, text.document.meta.report_number);
        assert_eq!(o.document.meta.signer, text.document.meta.signer);
    }
    let text0 = run("fixtures/text/000_cam_thanh_cchc_2025.txt");
    let pdf0 = run("fixtures/pdf/000_report.pdf");
    let r = recall(&figure_keys(&text0), &figure_keys(&pdf0));
    assert!(r >= 0.98, "000 figures {r:.3}");
    // Pages are exact for PDFs.
    assert!(pdf0.figures.iter().all(|f| f.page.is_some()));
}
