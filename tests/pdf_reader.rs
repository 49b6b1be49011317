//! The native PDF reader on the committed fixture PDFs (fixtures/pdf/,
//! built by fixtures/pdf/make_pdfs.py from the seed reports).

use cchc::ingest::pdf::{find_tables, looks_like_pdf, read_pdf, PdfDoc, PdfError, PdfLimits};
use cchc::model::{Format, Status};
use unicode_normalization::UnicodeNormalization;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str) -> PdfDoc {
    read_pdf(&fixture(name), &PdfLimits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn text_of(doc: &PdfDoc) -> String {
    doc.pages.iter().flat_map(|p| &p.lines).map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

#[test]
fn report_001_vietnamese_round_trips_in_nfc() {
    let doc = read("001_report.pdf");
    let text = text_of(&doc);
    for phrase in ["Trương Quang Trọng", "Cải cách thủ tục hành chính", "Độc lập – Tự do – Hạnh phúc", "Thạc sỹ"] {
        assert!(text.contains(phrase), "missing {phrase:?}");
    }
    assert_eq!(text, text.nfc().collect::<String>(), "text is not NFC");
    assert!(!text.contains('\u{FFFD}'));
    assert!(!doc.pages.iter().any(|p| p.image_only));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn lines_have_sane_geometry() {
    let doc = read("000_report.pdf");
    for page in &doc.pages {
        assert!(page.width > 500.0 && page.height > 800.0);
        let mut last_bottom = 0.0f32;
        for l in &page.lines {
            assert!(l.x0 < l.x1 && l.top < l.bottom && l.font_size > 5.0, "{l:?}");
            assert!(l.bottom + 3.0 >= last_bottom, "reading order broken at {:?}", l.text);
            last_bottom = last_bottom.max(l.bottom);
            assert_eq!(l.text, l.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
        }
    }
    assert!(text_of(&doc).contains("phường Cẩm Thành"));
}

#[test]
fn appendix_001_grid_has_merged_header_flattened() {
    let doc = read("001_report.pdf");
    let grids = find_tables(&doc);
    assert_eq!(grids.len(), 1, "{:#?}", grids.iter().map(|g| &g.columns).collect::<Vec<_>>());
    let g = &grids[0];
    assert_eq!(g.columns.len(), 5);
    assert_eq!(g.columns[0], "Stt");
    assert!(g.columns[1].starts_with("Chỉ tiêu thống kê"));
    assert_eq!(&g.columns[2..], ["Đơn vị tính", "Số liệu", "Ghi chú"]);
    assert!(g.title.as_deref().is_some_and(|t| t.starts_with("Phụ lục — THỐNG KÊ SỐ LIỆU")), "{:?}", g.title);
    let row = g.rows.iter().find(|r| r.cells[1] == "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn").expect("row present");
    assert_eq!(&row.cells[2..4], ["%", "100"]);
    assert!(row.cells.iter().any(|c| c == "843/843"));
    // The table spans several pages and comes back whole.
    let pages: std::collections::BTreeSet<_> = g.rows.iter().filter_map(|r| r.page).collect();
    assert!(pages.len() >= 3, "{pages:?}");
}

#[test]
fn grid_line_numbers_point_at_document_lines() {
    let doc = read("001_report.pdf");
    let lines: Vec<&str> = doc.pages.iter().flat_map(|p| &p.lines).map(|l| l.text.as_str()).collect();
    let g = &find_tables(&doc)[0];
    assert!(lines[g.line as usize - 1].starts_with("Stt"), "{}", lines[g.line as usize - 1]);
    for r in &g.rows {
        let first_word = r.raw.split_whitespace().next().unwrap_or("");
        assert!(lines[r.line as usize - 1].contains(first_word), "row {:?} vs line {:?}", r.raw, lines[r.line as usize - 1]);
    }
}

#[test]
fn appendix_004_table_over_two_pages_is_one_grid() {
    let doc = read("004_appendix.pdf");
    let grids = find_tables(&doc);
    let titles: Vec<&str> = grids.iter().filter_map(|g| g.title.as_deref()).collect();
    assert_eq!(grids.len(), 3, "{titles:?}");
    assert!(titles[0].starts_with("Phụ lục I — THỐNG KÊ"));
    assert!(titles[1].starts_with("Phụ lục III — THỐNG KÊ"));
    assert!(titles[2].starts_with("Phụ lục VIII — THỐNG KÊ"));
    let first = &grids[0];
    assert_eq!(first.columns[..3], ["STT", "Chỉ tiêu", "Năm 2021"]);
    assert_eq!(first.columns.last().map(String::as_str), Some("Năm 2025 (tính đến 31/3)"));
    let pages: std::collections::BTreeSet<_> = first.rows.iter().filter_map(|r| r.page).collect();
    assert!(pages.len() >= 2, "{pages:?}");
    // Repeated header rows are dropped; STT keys stay unique and ordered.
    assert!(!first.rows.iter().any(|r| r.cells[0] == "STT"));
    let row = first.rows.iter().find(|r| r.cells[0] == "3.1").expect("row 3.1");
    assert_eq!(row.cells[1], "Số đơn vị kiểm tra");
    assert_eq!(row.cells[2..], ["01", "01", "01", "01", "01", "01"]);
    for g in &grids {
        assert!(g.rows.iter().all(|r| r.cells.len() == g.columns.len()));
    }
}

#[test]
fn row_split_over_a_page_break_is_joined() {
    let doc = read("004_appendix.pdf");
    let grids = find_tables(&doc);
    let joined: Vec<_> = grids.iter().flat_map(|g| &g.rows).filter(|r| r.warning.is_some()).collect();
    assert!(!joined.is_empty());
    assert!(joined.iter().all(|r| !r.cells[0].is_empty()));
}

#[test]
fn image_only_pdf_is_flagged() {
    let doc = read("image_only.pdf");
    assert!(!doc.pages.is_empty());
    assert!(doc.pages.iter().all(|p| p.image_only && p.lines.is_empty()));
}

#[test]
fn encrypted_pdf_needs_password() {
    let err = read_pdf(&fixture("encrypted.pdf"), &PdfLimits::default()).expect_err("must fail");
    assert!(matches!(err, PdfError::Encrypted(_)), "{err}");
}

#[test]
fn encrypted_pdf_with_empty_user_password_opens() {
    let doc = read("encrypted_empty_password.pdf");
    assert!(text_of(&doc).contains("phường Cẩm Thành"));
}

#[test]
fn truncated_and_garbage_inputs_fail_cleanly() {
    let bytes = fixture("truncated.pdf");
    let err = read_pdf(&bytes, &PdfLimits::default()).expect_err("a truncated PDF is not read");
    assert!(matches!(&err, PdfError::Parse(m) if m.contains("cross reference")), "{err:?}");
    // Through ingest: the reason names the format, the PDF error is the source.
    let err = cchc::ingest::auto::read(&bytes, &Default::default()).expect_err("not read");
    assert_eq!(err.to_string(), "PDF: unreadable PDF: failed parsing cross reference table");
    let source = std::error::Error::source(&err).expect("source kept");
    assert!(source.is::<PdfError>(), "{source:?}");
    // The document row: failed, with the reason.
    let e = cchc::pipeline::process_bytes("truncated.pdf", &bytes, &cchc::pipeline::Options::default());
    assert_eq!((e.document.format, e.document.status), (Format::Pdf, Status::Failed));
    assert_eq!(e.document.error.as_deref(), Some("PDF: unreadable PDF: failed parsing cross reference table"));
    assert!(!looks_like_pdf(b"PK\x03\x04 not a pdf"));
    assert!(matches!(read_pdf(b"hello", &PdfLimits::default()), Err(PdfError::Parse(_))));
    assert!(read_pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj", &PdfLimits::default()).is_err());
    // Every prefix length class of a real file: no panic, no hang; a cut
    // before the cross-reference table fails with that reason, a cut in the
    // trailer still reads every page.
    let good = fixture("001_report.pdf");
    let pages = read_pdf(&good, &PdfLimits::default()).expect("reads").pages.len();
    for cut in [10, 500, 5_000, 50_000] {
        let r = read_pdf(&good[..cut], &PdfLimits::default());
        assert!(matches!(&r, Err(PdfError::Parse(m)) if m.contains("cross reference")), "cut at {cut}: {:?}", r.err());
    }
    let doc = read_pdf(&good[..good.len() - 10], &PdfLimits::default()).expect("trailer cut reads");
    assert_eq!(doc.pages.len(), pages);
}

#[test]
fn limits_bound_the_work() {
    let bytes = fixture("001_report.pdf");
    let err = read_pdf(&bytes, &PdfLimits { max_pages: 100, max_ops: 1_000 }).expect_err("too complex");
    assert!(matches!(err, PdfError::TooComplex(_)));
    let doc = read_pdf(&bytes, &PdfLimits { max_pages: 2, max_ops: 5_000_000 }).expect("reads");
    assert_eq!(doc.pages.len(), 2);
    assert!(doc.warnings.iter().any(|w| w.contains("pages read")));
}

#[test]
fn tagged_pdf_tables_from_the_structure_tree_agree_with_the_rules() {
    let tagged = read("001_report_tagged.pdf");
    assert!(tagged.tagged);
    assert_eq!(tagged.tagged_tables.len(), 1);
    // Geometry decides when the pages have ruled tables; the tree agrees.
    let from_tags = &tagged.tagged_tables[0];
    let from_rules = &find_tables(&read("001_report.pdf"))[0];
    assert_eq!(from_tags.columns, from_rules.columns);
    assert_eq!(from_tags.title, from_rules.title);
    let cells = |g: &cchc::model::Grid| g.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
    assert_eq!(cells(from_tags), cells(from_rules));
}
