//! The layout stage on the seed reports: paragraphs rebuilt from hard-wrapped
//! text, footnotes separated, pages, and source lines kept through joining.
//! (An integration test: the table regions come from the tables stage.)

use cchc::ingest::text::from_text;
use cchc::layout::layout;
use cchc::model::Ingested;
use cchc::tables::find_regions;

fn ingest(text: &str) -> Ingested {
    from_text(text)
}

#[test]
fn pdf_text_paragraphs_and_footnotes() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/text/003_vp_ubnd_so_ket_2021_2025.txt")).unwrap_or_default();
    let ing = ingest(&text);
    let lay = layout(&ing, find_regions(&ing.lines));
    assert!(lay.hard_wrapped);
    // Footnote 1 of seed 003 (line 59) is separated and anchored at line 56 ("cơ quan1.").
    let f1 = lay.footnotes.iter().find(|f| f.marker == "1").map(|f| (f.line, f.anchor_line, f.text.starts_with("Kế hoạch số 2152/KH-VP")));
    assert_eq!(f1, Some((59, Some(56), true)));
    assert!(lay.footnotes.len() >= 10, "{}", lay.footnotes.len());
    // No paragraph contains footnote text.
    assert!(lay.paras.iter().all(|p| !p.text.contains("2152/KH-VP")));
    // Wrapped heading joined: seed 003 lines 247–249.
    assert!(lay.paras.iter().any(|p| p.text == "II. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THEO CHƯƠNG TRÌNH TỔNG THỂ"));
    // Pages advance after each footnote block.
    assert!(lay.pages.unwrap_or(0) >= 8, "{:?}", lay.pages);
}

#[test]
fn joined_lines_keep_their_line_numbers() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/text/000_cam_thanh_cchc_2025.txt")).unwrap_or_default();
    let ing = ingest(&text);
    let lay = layout(&ing, find_regions(&ing.lines));
    let p = lay.paras.iter().find(|p| p.text.starts_with("- Số lượng hồ sơ đã giải quyết")).map(|p| (p.line(), p.locate(p.text.find("99,96%").unwrap_or(0)).0));
    let lines: Vec<&str> = text.lines().collect();
    let (start, at) = p.unwrap_or((0, 0));
    assert!(lines[start as usize - 1].contains("Số lượng hồ sơ đã giải quyết"));
    assert!(lines[at as usize - 1].contains("99,96%"));
    // The repeated hyperlink footer is gone; the page number "14" resyncs pages.
    assert!(lay.paras.iter().all(|p| p.text != "https://camthanh.quangngai.gov.vn/"));
    assert!(lay.paras.iter().any(|p| p.text.contains("42/2022/NĐ-CP ngày 24/6/2022") && p.page() == Some(14)));
}
