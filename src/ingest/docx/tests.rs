//! Unit tests of the DOCX reader (fixtures from `fixtures/pdf/`).

use std::io::Write;
use std::path::Path;

use super::*;
use crate::model::{Format, Grid, GridRow};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pdf").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(bytes: &[u8]) -> Ingested {
    DocxReader.read(bytes, &IngestOptions::default()).expect("docx reads")
}

/// A minimal DOCX with the given document.xml body and optional footnotes.
fn make_docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<Types/>").unwrap();
    w.start_file(DOCUMENT, opts).unwrap();
    write!(w, r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{body}</w:body></w:document>"#).unwrap();
    if let Some(f) = footnotes {
        w.start_file(FOOTNOTES, opts).unwrap();
        write!(w, r#"<w:footnotes {ns}>{f}</w:footnotes>"#).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn texts(ing: &Ingested) -> Vec<&str> {
    ing.lines.iter().map(|l| l.text.as_str()).collect()
}

fn row<'a>(g: &'a Grid, first: &str) -> &'a GridRow {
    g.rows.iter().find(|r| r.cells.first().is_some_and(|c| c == first)).unwrap_or_else(|| panic!("row {first}"))
}

#[test]
fn sniff_and_pick() {
    let bytes = fixture("001_report.docx");
    assert!(DocxReader.sniff(&bytes));
    assert_eq!(super::super::auto::pick(&bytes).name(), "docx");
    assert!(!DocxReader.sniff(b"PK\x03\x04 not really a zip"));
    assert!(!DocxReader.sniff(b"plain text"));
    // A zip without word/document.xml is not a DOCX.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("a.txt", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(b"x").unwrap();
    let other = w.finish().unwrap().into_inner();
    assert!(!DocxReader.sniff(&other));
    assert!(matches!(DocxReader.read(&other, &IngestOptions::default()), Err(IngestError::Docx { .. })));
    assert!(matches!(DocxReader.read(b"PK\x03\x04junk", &IngestOptions::default()), Err(IngestError::Docx { .. })));
}

#[test]
fn report_001_text_and_grid() {
    let ing = read(&fixture("001_report.docx"));
    assert_eq!((ing.format, ing.encoding.as_str(), ing.status), (Format::Docx, "docx", Status::Ok));
    assert!(ing.lines.iter().any(|l| l.text.contains("Trương Quang Trọng")));
    // Table text is not repeated as lines.
    assert!(!ing.lines.iter().any(|l| l.text == "Đơn vị tính"));
    assert_eq!(ing.grids.len(), 1);
    let g = &ing.grids[0];
    assert_eq!(g.columns, ["Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]);
    // The title lines as written (the tables stage composes "Phụ lục — Thống kê …").
    assert_eq!(g.title_lines[..3], ["Phụ lục", "THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN", "CÔNG TÁC CẢI CÁCH HÀNH CHÍNH QUÝ I NĂM 2025"], "{:?}", g.title_lines);
    assert!(g.rows.iter().all(|r| r.cells.len() == 5));
    let r = g.rows.iter().find(|r| r.cells[1].contains("Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn")).expect("row found");
    assert_eq!((r.cells[2].as_str(), r.cells[3].as_str()), ("%", "100"));
    assert!(r.cells[4].contains("843/843"), "{:?}", r.cells);
    // Row lines continue the body numbering: header rows take 2 numbers.
    let before: Vec<u32> = ing.lines.iter().map(|l| l.line).filter(|&l| l < g.line).collect();
    assert_eq!(before, (1..g.line).collect::<Vec<_>>());
    assert_eq!(g.rows[0].line, g.line + 2);
    assert_eq!(row(g, "1.").cells[1], "Công tác chỉ đạo điều hành CCHC");
    // The paragraphs after the table follow its rows.
    let after = ing.lines.iter().rev().find(|l| l.text == "Nơi nhận:").expect("Nơi nhận");
    assert!(after.line > g.rows.last().map_or(0, |r| r.line));
}

#[test]
fn appendix_004_grids() {
    let ing = read(&fixture("004_appendix.docx"));
    assert_eq!(ing.grids.len(), 3);
    let titles: Vec<String> = ing.grids.iter().map(|g| g.title_lines.join("\n")).filter(|t| !t.is_empty()).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[0].starts_with("Phụ lục I\nTHỐNG KÊ CÁC CHỈ TIÊU CỦA LĨNH VỰC CHỈ ĐẠO"), "{titles:?}");
    let viii = ing.grids.iter().find(|g| g.title_lines.first().is_some_and(|t| t == "Phụ lục VIII")).expect("VIII");
    assert_eq!(viii.columns[0], "STT");
    assert_eq!(viii.columns.len(), 7);
    let r = row(viii, "6.3.1");
    assert_eq!(&r.cells[2..], ["3797", "4386", "5", "120", "21"]);
    // Explicit page breaks give pages: one appendix per page.
    assert_eq!(ing.pages, Some(3));
    assert_eq!(viii.page, Some(3));
    assert_eq!(ing.grids[0].page, Some(1));
}

// The DOCX section tree against the text export is checked end to end in
// tests/pdf_vs_text.rs (it needs the whole pipeline).

#[test]
fn runs_tabs_breaks_footnotes_and_merges() {
    let body = r#"
<w:p><w:r><w:t xml:space="preserve">Hoà </w:t></w:r><w:r><w:t>A&amp;B</w:t><w:tab/><w:t>x</w:t><w:br/><w:t>second</w:t></w:r>
 <w:r><w:footnoteReference w:id="1"/></w:r></w:p>
<w:p/>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:delText>gone</w:delText></w:r><w:ins><w:r><w:t>kept</w:t></w:r></w:ins></w:p>
<w:p><w:r><w:t>BIỂU TỔNG HỢP SỐ LIỆU</w:t></w:r></w:p>
<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
 <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>STT</w:t></w:r></w:p></w:tc>
  <w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Nội dung</w:t></w:r></w:p></w:tc>
  <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Kết quả</w:t></w:r></w:p></w:tc></w:tr>
 <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
  <w:tc><w:p><w:r><w:t>Kế hoạch</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Thực hiện</w:t></w:r></w:p></w:tc></w:tr>
 <w:tr><w:tc><w:p><w:r><w:t>I</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Hồ sơ</w:t></w:r></w:p><w:p><w:r><w:t>tiếp nhận</w:t><w:footnoteReference w:id="2"/></w:r></w:p></w:tc>
  <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr>
 <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>Ghi chú</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:r><w:t>after</w:t></w:r></w:p>"#;
    let notes = r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Kế hoạch số 02/KH-UBND</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>Trong bảng</w:t></w:r></w:p></w:footnote>"#;
    let ing = read(&make_docx(body, Some(notes)));
    assert_eq!(texts(&ing), ["Hòa A&B\tx", "second", "", "kept", "BIỂU TỔNG HỢP SỐ LIỆU", "after"]);
    assert_eq!(ing.lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 10]);
    assert_eq!(ing.pages, None);
    let g = &ing.grids[0];
    assert_eq!(g.title_lines, ["BIỂU TỔNG HỢP SỐ LIỆU"]);
    assert_eq!(g.columns, ["STT", "Nội dung", "Kế hoạch", "Thực hiện"]);
    assert_eq!(g.line, 6);
    assert_eq!(g.rows.len(), 2);
    assert_eq!(g.rows[0].cells, ["I", "Hồ sơ tiếp nhận", "12", ""]);
    assert_eq!(g.rows[0].line, 8);
    assert_eq!(g.rows[1].cells, ["", "Ghi chú", "", "3"]);
    assert_eq!(ing.footnotes.len(), 2);
    assert_eq!((ing.footnotes[0].marker.as_str(), ing.footnotes[0].text.as_str()), ("1", "Kế hoạch số 02/KH-UBND"));
    assert_eq!(ing.footnotes[0].anchor_line, Some(2));
    assert_eq!(ing.footnotes[1].anchor_line, Some(8));
}

#[test]
fn errors_are_reported_not_panics() {
    // A broken part keeps what was read before the error: partial, with the reason.
    let bad = make_docx("<w:p><w:r><w:t>a</w:t></w:r></w:q>", None);
    let ing = read(&bad);
    assert_eq!(ing.status, Status::Partial);
    assert!(ing.warnings[0].contains("XML"), "{:?}", ing.warnings);
    // Nothing read before the error: failed with the reason.
    let bad = make_docx("</w:q><w:p><w:r><w:t>a</w:t></w:r></w:p>", None);
    assert!(matches!(DocxReader.read(&bad, &IngestOptions::default()), Err(IngestError::Docx { msg, .. }) if msg.contains("XML")));
    // Truncated archive: the zip directory is lost, the reason says so.
    let good = fixture("001_report.docx");
    for cut in [10, good.len() / 2, good.len() - 10] {
        let r = DocxReader.read(&good[..cut], &IngestOptions::default());
        assert!(matches!(&r, Err(IngestError::Docx { msg, .. }) if msg.starts_with("not a zip archive")), "cut at {cut}: {r:?}");
    }
    // The zip error is kept as the source.
    let err = DocxReader.read(b"PK\x03\x04junk", &IngestOptions::default()).expect_err("not a zip");
    assert!(err.to_string().starts_with("DOCX: not a zip archive: "), "{err}");
    let source = std::error::Error::source(&err).expect("source kept");
    assert!(source.is::<zip::result::ZipError>(), "{source:?}");
    // Empty body.
    assert!(DocxReader.read(&make_docx("", None), &IngestOptions::default()).is_err());
}

/// document.xml cut in the middle (a valid zip around it).
fn cut_docx(xml: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file(DOCUMENT, opts).unwrap();
    w.write_all(xml.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn hostile_parts_are_bounded() {
    let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    // Cut inside an element: partial, never ok.
    let ing = read(&cut_docx(&format!("<w:document {ns}><w:body><w:p><w:r><w:t>Báo cáo 12 hồ sơ</w:t></w:r></w:p><w:p><w:r><w:t>Đạt 10")));
    assert_eq!(ing.status, Status::Partial);
    assert!(ing.warnings[0].contains("open element"), "{:?}", ing.warnings);
    let ing = read(&cut_docx(&format!("<w:document {ns}><w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p><w:p><w:r><w:t")));
    assert_eq!(ing.status, Status::Partial);
    // Deep nesting: stops at the cap.
    let deep = format!("<w:document {ns}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>{}</w:body></w:document>", "<a>".repeat(100_000));
    let ing = read(&cut_docx(&deep));
    assert_eq!(ing.status, Status::Partial);
    assert!(ing.warnings[0].contains("deeper"), "{:?}", ing.warnings);
    // Entity bomb: the DTD is not expanded.
    let bomb = format!(
        r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document {ns}><w:body><w:p><w:r><w:t>ok &c;&c;&c;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let ing = read(&cut_docx(&bomb));
    assert!(ing.lines.iter().map(|l| l.text.len()).sum::<usize>() < 100);
    // Zip bomb: 60 MB of zeros in a few kB.
    let mut big = format!("<w:document {ns}><w:body><w:p><w:r><w:t>").into_bytes();
    big.resize(60 << 20, b'0');
    let bytes = cut_docx(std::str::from_utf8(&big).unwrap());
    assert!(bytes.len() < 1 << 20);
    assert!(matches!(DocxReader.read(&bytes, &IngestOptions::default()), Err(IngestError::Docx { msg, .. }) if msg.contains("ratio")));
}
