//! Tests on the real seed reports (fixtures/text/), numbers straight from
//! the seed text.

use super::*;
use crate::model::{Cell, Grid, GridRow, Kind};

const SEED_001: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/text/001_tq_trong_q1_2025.txt"));
const SEED_002: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/text/002_cam_thanh_kh_ktthc_2025.txt"));
const SEED_004: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/text/004_phuong2_so_ket_2021_2025.txt"));

/// What the lead's ingest hands over: one SrcLine per source line in NFC,
/// with the DOCX-export "[bookmark: …]" artifacts removed (tabs kept).
fn src_lines(text: &str) -> Vec<SrcLine> {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            let mut t: String = unicode_normalization::UnicodeNormalization::nfc(l).collect();
            while let Some(s) = t.find("[bookmark:") {
                match t[s..].find(']') {
                    Some(e) => t.replace_range(s..s + e + 1, ""),
                    None => break,
                }
            }
            SrcLine { text: t, line: i as u32 + 1, ..Default::default() }
        })
        .collect()
}

struct Doc {
    regions: Vec<Region>,
    grids: Vec<Grid>,
    cells: Vec<Cell>,
}

fn extract(doc_id: &str, text: &str) -> Doc {
    let lines = src_lines(text);
    let regions = find_regions(&lines);
    let grids: Vec<Grid> = regions.iter().flat_map(|r| read_region(&lines, r)).collect();
    let cells = grids.iter().enumerate().flat_map(|(i, g)| interpret(doc_id, &format!("{doc_id}:t{}", i + 1), g)).collect();
    Doc { regions, grids, cells }
}

/// The cells of a table (by title prefix) and row key, in column order.
fn row<'a>(doc: &'a Doc, title: &str, stt: &str) -> Vec<&'a Cell> {
    doc.cells.iter().filter(|c| c.table_title.as_deref().is_some_and(|t| t.starts_with(title)) && c.stt.as_deref() == Some(stt)).collect()
}

/// The single cell of an unkeyed row with this label.
fn by_label<'a>(doc: &'a Doc, label: &str, column: &str) -> &'a Cell {
    let found: Vec<&Cell> = doc.cells.iter().filter(|c| c.label.as_deref() == Some(label) && c.column == column).collect();
    assert_eq!(found.len(), 1, "{label} / {column}: {found:#?}");
    found[0]
}

// ------------------------------------------------------------------ 001

const T001: &str = "Phụ lục — Thống kê số liệu";

#[test]
fn docx_001_region_title_and_columns() {
    let doc = extract("001", SEED_001);
    assert_eq!(doc.regions.len(), 1);
    assert_eq!(doc.regions[0].layout, Layout::DocxTabs);
    // 1-based source lines 138..603: header row to the last data row.
    assert_eq!((doc.regions[0].start + 1, doc.regions[0].end), (138, 603));
    assert_eq!(doc.grids.len(), 1);
    let g = &doc.grids[0];
    assert_eq!(g.title.as_deref(), Some("Phụ lục — Thống kê số liệu về kết quả thực hiện công tác cải cách hành chính quý I năm 2025"));
    // Two header rows, "Kết quả thống kê" spanning "Đơn vị tính" + "Số liệu".
    assert_eq!(g.columns, ["Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]);
    assert_eq!(g.rows.len(), 76);
    assert!(g.rows.iter().all(|r| r.cells.len() == 5 && r.warning.is_none()));
}

#[test]
fn docx_001_rows_labels_units_values_notes() {
    let doc = extract("001", SEED_001);
    // (stt, parent, label, unit, "Số liệu" raw, value, "Ghi chú" raw)
    type Row = (Option<&'static str>, Option<&'static str>, &'static str, Option<&'static str>, &'static str, Option<f64>, Option<&'static str>);
    let expected: &[Row] = &[
        (Some("1.1"), Some("1"), "Kế hoạch CCHC", None, "1", Some(1.0), Some("Kế hoạch số 02/KH-UBND ngày 03/01/2024")),
        (None, Some("1.1"), "Số nhiệm vụ đề ra trong kế hoạch", Some("Nhiệm vụ"), "33", Some(33.0), None),
        (None, Some("1.1"), "Số nhiệm vụ đã hoàn thành", Some("Nhiệm vụ"), "10", Some(10.0), None),
        (None, Some("1.1"), "Số văn bản chỉ đạo CCHC đã ban hành/ tham mưu ban hành", Some("Văn bản"), "10", Some(10.0), None),
        (None, Some("1.2"), "Tổng số nhiệm vụ được giao", Some("Nhiệm vụ"), "0", Some(0.0), None),
        (None, Some("1.3"), "Số lượng phiếu khảo sát", Some("Số lượng"), "500", Some(500.0), None),
        (Some("2.1"), Some("2"), "Số VBQPPL đã ban hành/tham mưu ban hành", Some("Văn bản"), "0", Some(0.0), None),
        (Some("2.4"), Some("2"), "Số VBQPPL đã kiến nghị xử lý sau kiểm tra, rà soát", Some("Văn bàn"), "0", Some(0.0), None),
        (Some("3.1"), Some("3"), "Thống kê TTHC", Some("Thủ tục"), "159", Some(159.0), None),
        (None, Some("3.3"), "Số TTHC liên thông cùng cấp", Some("Thủ tục"), "797", Some(797.0), None),
        (None, Some("3.3"), "Số TTHC liên thông giữa các cấp chính quyền", Some("Thủ tục"), "46", Some(46.0), None),
        (None, Some("3.3"), "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ", Some("%"), "100", Some(100.0), None),
        (None, Some("3.4"), "Tỷ lệ hồ sơ TTHC do cơ quan chuyên môn tiếp nhận được giải quyết đúng hẹn", Some("%"), "100", Some(100.0), Some("843/843")),
        (None, Some("3.4"), "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn", Some("%"), "100", Some(100.0), Some("843/843")),
        (Some("4.1"), Some("4"), "Tổng số biên chế được giao trong năm", Some("Người"), "25", Some(25.0), None),
        (Some("4.2"), Some("4"), "Tổng số biên chế có mặt tại thời điểm báo cáo", Some("Người"), "22", Some(22.0), None),
        (Some("4.3"), Some("4"), "Số hợp đồng lao động làm việc tại cơ quan hành chính nhà nước", Some("Người"), "0", Some(0.0), None),
        (Some("5.2"), Some("5"), "Số liệu về xử lý kỷ luật cán bộ, công chức (cả về Đảng và chính quyền).", Some("Người"), "0", Some(0.0), None),
        (
            Some("6.3"),
            Some("6"),
            "Số đơn vị SNCL đã thực hiện tự chủ một phần chi thường xuyên (lũy kế đến thời điểm báo cáo)",
            Some("Cơ quan, đơn vi"),
            "0",
            Some(0.0),
            None,
        ),
        (
            Some("7.4"),
            Some("7"),
            "Tỷ lệ cơ quan chuyên môn, UBND cấp xã được cấp chứng thư số.",
            Some("Chứng thư số"),
            "4 Tổ chức và 9 cá nhân",
            Some(4.0),
            None,
        ),
        (None, Some("7.6"), "Tỷ lệ UBND xã đã kết nối, liên thông với UBND thành phố", Some("%"), "100", Some(100.0), None),
        (Some("7.7"), Some("7"), "Tổng số VĂN BẢN ĐI giữa các cơ quan nhà nước trên địa bàn thành phố", Some("Văn bản"), "222", Some(222.0), None),
        (
            None,
            Some("7.7"),
            "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử (Sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện tử).",
            Some("%"),
            "100",
            Some(100.0),
            Some("222/222"),
        ),
        (None, Some("7.8"), "Tỷ lệ đơn vị cấp xã đã kết nối liên thông với Hệ thống", Some("%"), "100", Some(100.0), None),
        (None, Some("7.9"), "Tổng số TTHC cung cấp trực tuyến mức độ 3", Some("TTHC"), "14", Some(14.0), None),
        (None, Some("7.9"), "Tổng số TTHC cung cấp trực tuyến mức độ 4", Some("TTHC"), "11", Some(11.0), None),
        (None, Some("7.9"), "Tỷ lệ hồ sơ xử lý trực tuyến mức độ 3", Some("%"), "99,82", Some(99.82), Some("576/577")),
        (None, Some("7.9"), "Tỷ lệ hổ sơ xử lý trực tuyến mức độ 4", Some("%"), "100", Some(100.0), Some("255/255")),
    ];
    // parse_value reads the leading figure of "4 Tổ chức và 9 cá nhân"
    // (count 4); the raw text keeps the rest.
    assert!(expected.len() >= 25);
    for (stt, parent, label, unit, raw, value, note) in expected {
        let c = by_label(&doc, label, "Số liệu");
        assert_eq!((c.stt.as_deref(), c.parent_stt.as_deref()), (*stt, *parent), "{label}");
        assert_eq!((c.unit.as_deref(), c.raw.as_str(), c.value), (*unit, *raw, *value), "{label}");
        assert_eq!(c.table_title.as_deref().map(|t| t.starts_with(T001)), Some(true));
        let notes: Vec<&Cell> = doc.cells.iter().filter(|n| n.label.as_deref() == Some(label) && n.column == "Ghi chú").collect();
        assert_eq!(notes.first().map(|n| n.raw.as_str()), *note, "{label}");
    }
    // Percent rows: the unit column says "%".
    let c = by_label(&doc, "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn", "Số liệu");
    assert_eq!((c.kind.map(|k| k.as_str()), c.value), (Some("percent"), Some(100.0)));
    let note = by_label(&doc, "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn", "Ghi chú");
    assert_eq!((note.kind.map(|k| k.as_str()), note.numerator, note.denominator, note.unit.as_deref()), (Some("fraction"), Some(843.0), Some(843.0), None));
    // Section rows carry the responsible unit as a text note.
    let group = row(&doc, T001, "2");
    assert_eq!(group.len(), 1);
    assert_eq!((group[0].column.as_str(), group[0].raw.as_str(), group[0].kind.map(|k| k.as_str())), ("Ghi chú", "Bộ phận Tư pháp tổng hợp", Some("text")));
    // Row ordinals, lines and the typo key "3 1.".
    let r = row(&doc, T001, "3.1");
    assert_eq!((r[0].row, r[0].line, r[0].label.as_deref()), (24, 287, Some("Thống kê TTHC")));
}

#[test]
fn docx_001_coded_options_keep_the_chosen_option() {
    let doc = extract("001", SEED_001);
    // "Hình thức khảo sát": Trực tuyến =0 / Phát phiếu =1 (500) / Kết hợp=2.
    let c = by_label(&doc, "Hình thức khảo sát", "Số liệu");
    assert_eq!((c.option.as_deref(), c.raw.as_str(), c.value, c.unit.as_deref()), (Some("Phát phiếu"), "500", Some(500.0), None));
    assert_eq!((c.stt.as_deref(), c.parent_stt.as_deref()), (None, Some("1.3")));
    // "Không=0" with 0 starts a new question, not a fourth survey option.
    let c = by_label(&doc, "Tổ chức đối thoại về TTHC của UBND cấp xã", "Số liệu");
    assert_eq!((c.option.as_deref(), c.value), (Some("Không"), Some(0.0)));
    // "x" marks: the option code becomes the value.
    let expect = [("7.1", "Hoàn thành", 1.0, "x"), ("7.2", "3 cấp", 2.0, "x"), ("7.3", "Hoàn thành", 2.0, "x"), ("7.5", "Hoàn thành", 2.0, "2")];
    for (stt, option, value, raw) in expect {
        let cells = row(&doc, T001, stt);
        assert_eq!(cells.len(), 1, "{stt}: only the chosen option gives a cell");
        let c = cells[0];
        assert_eq!((c.option.as_deref(), c.value, c.raw.as_str()), (Some(option), Some(value), raw), "{stt}");
        assert_eq!(c.parent_stt.as_deref(), Some("7"));
    }
    assert_eq!(row(&doc, T001, "7.2")[0].label.as_deref(), Some("Xây dựng và vận hành Hệ thống họp trực tuyến"));
    assert_eq!(row(&doc, T001, "7.1")[0].kind.map(|k| k.as_str()), Some("flag"));
}

#[test]
fn an_option_row_that_lost_its_code_stays_in_its_group() {
    // Rows 7.2–7.4 of 001's appendix as OCR read them: "Đang làm =1" lost its
    // "=1" line. The "x" of "Hoàn thành=2" still answers 7.3.
    let columns: Vec<String> = ["Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"].iter().map(|s| s.to_string()).collect();
    let row =
        |cells: [&str; 5], line: u32| GridRow { cells: cells.iter().map(|c| c.to_string()).collect(), page: Some(11), line, raw: String::new(), warning: None };
    let grid = Grid {
        columns,
        rows: vec![
            row(["7.3", "Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia", "Chưa = 0", "", ""], 580),
            row(["", "", "Đang làm", "", ""], 581),
            row(["", "", "Hoàn thành=2", "X", ""], 582),
            row(["7.4.", "Tỷ lệ cơ quan chuyên môn, UBND cấp xã được cấp chứng thư số.", "Chứng thư số", "4 Tổ chức và 9 cá nhân", ""], 585),
        ],
        ..Grid::default()
    };
    let cells = interpret("001", "001:t1", &grid);
    let c = cells.iter().find(|c| c.raw == "X").unwrap_or_else(|| panic!("{cells:?}"));
    assert_eq!((c.stt.as_deref(), c.option.as_deref(), c.value), (Some("7.3"), Some("Hoàn thành"), Some(2.0)));
    assert_eq!(c.label.as_deref(), Some("Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia"));
}

// ------------------------------------------------------------------ 002

const T002_PLAN: &str = "Kế hoạch — Hoạt động kiểm soát thủ tục hành chính";

#[test]
fn docx_002_task_plan_has_46_tasks_in_their_sections() {
    let doc = extract("002", SEED_002);
    assert_eq!(doc.grids.len(), 2);
    let g = &doc.grids[0];
    assert_eq!(g.title.as_deref(), Some("Kế hoạch — Hoạt động kiểm soát thủ tục hành chính năm 2025 trên địa bàn phường Cẩm Thành"));
    assert_eq!(g.columns, ["Stt", "Nội dung công việc", "Kết quả công việc", "Cơ quan, đơn vị thực hiện", "Thời gian thực hiện"]);
    let keys: Vec<String> = g.rows.iter().filter_map(|r| stt::cell_key(&r.cells[0])).map(|k| k.norm).collect();
    let tasks: Vec<&String> = keys.iter().filter(|k| k.parse::<u32>().is_ok()).collect();
    assert_eq!(tasks.len(), 46);
    assert!(tasks.iter().enumerate().all(|(i, k)| **k == (i + 1).to_string()));
    assert_eq!(
        keys.iter().filter(|k| k.parse::<u32>().is_err()).map(String::as_str).collect::<Vec<_>>(),
        ["A", "B", "I", "II", "B", "I", "II", "III", "IV", "V", "VI", "VII", "C", "D", "Đ"]
    );
    // Section letter of every task: Roman sections hang under letters,
    // tasks under the Roman section or directly under the letter.
    let mut h = stt::Hierarchy::default();
    let mut section_letter = std::collections::BTreeMap::new();
    let mut current_letter = String::new();
    for k in g.rows.iter().filter_map(|r| stt::cell_key(&r.cells[0])) {
        let parent = h.push(&k);
        match k.kind {
            stt::KeyKind::Letter(_) => current_letter = k.norm.clone(),
            stt::KeyKind::Number(_) => {
                section_letter.insert(k.norm.parse::<u32>().unwrap_or_default(), (current_letter.clone(), parent));
            }
            stt::KeyKind::Roman(_) => assert_eq!(parent.as_deref(), Some(current_letter.as_str())),
        }
    }
    let letters: String = (1..=46).map(|n| section_letter[&n].0.clone()).collect::<Vec<_>>().join(",");
    let expected: Vec<&str> = (1..=46)
        .map(|n| match n {
            1..=4 => "A",
            5..=41 => "B",
            42..=43 => "C",
            44 => "D",
            _ => "Đ",
        })
        .collect();
    assert_eq!(letters, expected.join(","));
    assert_eq!(section_letter[&1].1.as_deref(), Some("A"));
    assert_eq!(section_letter[&5].1.as_deref(), Some("I"));
    assert_eq!(section_letter[&29].1.as_deref(), Some("III"));
    assert_eq!(section_letter[&42].1.as_deref(), Some("C"));

    // Content, result, responsible unit and deadline of a few tasks.
    let task = |n: &str| row(&doc, T002_PLAN, n);
    let t1 = task("1");
    assert_eq!(t1[0].label.as_deref(), Some("Xây dựng, ban hành các văn bản về kiểm soát TTHC năm 2025."));
    assert_eq!(t1.iter().map(|c| c.column.as_str()).collect::<Vec<_>>(), ["Kết quả công việc", "Cơ quan, đơn vị thực hiện", "Thời gian thực hiện"]);
    assert!(t1[0].raw.starts_with("a) Quyết định của Chủ tịch Ủy ban nhân dân phường ban hành các kế hoạch"));
    assert_eq!(
        t1[1].raw,
        "- Bộ phận chủ trì: Trung tâm Phục vụ hành chính công phường.\n- Bộ phận phối hợp: Văn phòng HĐND &UBND, Phòng Kinh tế-Hạ tầng & Đô thị, Phòng Văn hóa - Xã hội; Trung tâm Cung ứng dịch vụ công."
    );
    assert_eq!(t1[2].raw, "Quý III");
    // A cell with blank lines inside (task 6) stays in its row.
    let t6 = task("6");
    assert_eq!(t6.len(), 3);
    assert_eq!(t6[1].raw, "Trung tâm Phục vụ hành chính công phường tham mưu thực hiện khi các cơ quan cấp trên yêu cầu.");
    assert_eq!(t6[2].raw, "Theo kế hoạch");
    // Task 10 has no unit and no deadline.
    assert_eq!(task("10").len(), 1);
    assert_eq!(task("11")[2].raw, "Theo yêu cầu của Bộ, ngành, Chủ tịch Ủy ban nhân dân tỉnh");
    assert_eq!(task("46")[2].raw, "- Định kỳ 3 tháng/lần.\n- Đột xuất theo thời điểm yêu cầu.");
    assert_eq!(task("44")[2].raw, "Thường xuyên/Theo thông báo của tỉnh");
    // Section rows give no cells.
    assert!(row(&doc, T002_PLAN, "A").is_empty());
}

#[test]
fn docx_002_targets_with_qualifiers() {
    let doc = extract("002", SEED_002);
    let g = &doc.grids[1];
    assert_eq!(g.title.as_deref(), Some("Danh mục các chỉ tiêu liên quan"));
    assert_eq!(g.columns, ["Stt", "Nội dung chỉ tiêu", "Đơn vị", "Chỉ tiêu năm 2025", "Cơ quan thực hiện"]);
    let targets: Vec<&Cell> = doc.cells.iter().filter(|c| c.column == "Chỉ tiêu năm 2025").collect();
    let got: Vec<(&str, &str, Option<f64>, Option<&str>)> =
        targets.iter().map(|c| (c.stt.as_deref().unwrap_or(""), c.raw.as_str(), c.value, c.qualifier.as_deref())).collect();
    assert_eq!(
        got,
        [
            ("1", "100", Some(100.0), None),
            ("2", "Tối thiểu 60", Some(60.0), Some(">=")),
            ("3", "Tối thiểu 80", Some(80.0), Some(">=")),
            ("4", "Tối thiểu 80", Some(80.0), Some(">=")),
            ("5", "100", Some(100.0), None),
            ("6", "Tối thiểu 50", Some(50.0), Some(">=")),
            ("7", "100", Some(100.0), None),
            ("8", "Tối thiểu 90", Some(90.0), Some(">=")),
        ]
    );
    assert!(targets.iter().all(|c| c.unit.as_deref() == Some("%") && c.year == Some(2025) && c.kind == Some(Kind::Percent)));
    assert_eq!(targets[7].label.as_deref(), Some("Mức độ hài lòng trong tiếp nhận, giải quyết TTHC của người dân, doanh nghiệp."));
    let agency = doc.cells.iter().find(|c| c.column == "Cơ quan thực hiện" && c.stt.as_deref() == Some("2"));
    assert_eq!(agency.map(|c| (c.unit.as_deref(), c.kind.map(|k| k.as_str()))), Some((None, Some("text"))));
}

// ------------------------------------------------------------------ 004

const YEARS5: [i32; 5] = [2021, 2022, 2023, 2024, 2025];

#[test]
fn pdf_004_appendices_found_with_titles_and_headers() {
    let doc = extract("004", SEED_004);
    let titles: Vec<&str> = doc.grids.iter().filter_map(|g| g.title.as_deref()).collect();
    assert_eq!(doc.grids.len(), 8, "{titles:#?}");
    assert_eq!(titles.len(), 8);
    assert_eq!(titles[0], "Phụ lục I — Thống kê các chỉ tiêu của lĩnh vực chỉ đạo, điều hành cải cách hành chính");
    assert_eq!(titles[2], "Phụ lục III — Thống kê các chỉ tiêu của lĩnh vực cải cách thủ tục hành chính");
    assert!(titles[6].starts_with("Phụ lục VIII — Thống kê các chỉ tiêu của lĩnh vực xây dựng và phát triển chính quyền điện tử"));
    assert!(doc.regions.iter().all(|r| r.layout == Layout::PdfLinear));
    assert_eq!(doc.grids[0].columns, ["STT", "Chỉ tiêu", "Năm 2021", "Năm 2022", "Năm 2023", "Năm 2024", "Năm 2025", "Năm 2025 (tính đến 31/3)"]);
    assert_eq!(doc.grids[2].columns, ["STT", "Chỉ tiêu", "Năm 2021", "Năm 2022", "Năm 2023", "Năm 2024", "Năm 2025 (Tính đến 31/3)"]);
    // Phụ lục VII: "Năm 2021 … Năm 2024" on the STT line, "Năm 2025" below.
    assert_eq!(doc.grids[5].columns.len(), 7);
    assert_eq!(doc.grids[5].columns[6], "Năm 2025 (Tính đến 31/3)");
}

#[test]
fn pdf_004_year_values_of_appendix_i_iii_vi_viii() {
    let doc = extract("004", SEED_004);
    let mut pinned = 0;
    let mut check = |title: &str, stt: &str, label: &str, expect: &[f64]| {
        let cells = row(&doc, title, stt);
        assert_eq!(cells.len(), expect.len(), "{title} {stt}: {cells:#?}");
        assert!(cells.iter().all(|c| c.label.as_deref() == Some(label) && c.warning.is_none()), "{title} {stt}: {cells:#?}");
        let years: Vec<Option<i32>> = cells.iter().map(|c| c.year).collect();
        assert_eq!(years[..5.min(years.len())], YEARS5[..5.min(years.len())].iter().map(|y| Some(*y)).collect::<Vec<_>>()[..]);
        let got: Vec<Option<f64>> = cells.iter().map(|c| c.value).collect();
        assert_eq!(got, expect.iter().map(|v| Some(*v)).collect::<Vec<_>>(), "{title} {stt}");
        pinned += expect.len();
    };
    let (i, iii, vi, viii) = ("Phụ lục I ", "Phụ lục III", "Phụ lục VI ", "Phụ lục VIII");
    check(i, "1", "Số lượng văn bản chỉ đạo CCHC đã ban hành (kết luận, chỉ thị, công văn chỉ đạo, quán triệt)", &[33.0, 21.0, 50.0, 29.0, 20.0, 32.0]);
    check(i, "2.2", "Số nhiệm vụ đã hoàn hành", &[38.0, 44.0, 48.0, 45.0, 19.0, 42.0]);
    // One empty cell at the end ("264  "): five values, the sixth column empty.
    check(i, "7.1", "Số lượng phiếu khảo sát", &[1399.0, 1138.0, 611.0, 275.0, 264.0]);
    check(i, "9.3", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", &[0.0, 4.0, 3.0, 2.0, 1.0]);
    check(iii, "1.4.3", "Số lượng TTHC cấp xã", &[138.0, 137.0, 134.0, 135.0, 146.0]);
    check(iii, "3.5", "Số TTHC liên thông giữa các cấp chính quyền", &[0.0, 0.0, 2.0, 2.0, 2.0]);
    check(iii, "4.3", "Tỷ lệ hồ sơ TTHC cấp xã giải quyết đúng hẹn (đã tiếp nhận/đã trả đúng hẹn)", &[100.0, 100.0, 100.0, 100.0, 99.0]);
    check(iii, "6.3", "Tỷ lệ hồ sơ cấp kết quả điện tử", &[0.0, 12.17, 99.58, 99.66, 100.0]);
    check(vi, "2.3", "Số cán bộ, công chức cấp xã được xét chuyển thành công chức cấp huyện trở lên.", &[0.0, 0.0, 1.0, 0.0, 0.0]);
    check(viii, "5.2", "Tỷ lệ sử dụng văn bản điện tử của địa phương (Chỉ thống kê tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử; sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện tử).", &[85.0, 90.0, 94.7, 97.04, 100.0]);
    check(viii, "6.3.1", "Tổng số hồ sơ của DVCTT toàn trình (gồm hồ sơ nộp trực tuyến + trực tiếp)", &[3797.0, 4386.0, 5.0, 120.0, 21.0]);
    check(viii, "6.3.2", "Số hồ sơ nộp trực tuyến của các DVCTT toàn trình", &[1221.0, 3932.0, 3.0, 119.0, 21.0]);
    assert!(pinned >= 30);

    let q = row(&doc, iii, "4.3");
    assert_eq!((q[4].raw.as_str(), q[4].kind.map(|k| k.as_str()), q[4].qualifier.as_deref()), (">99%", Some("percent"), Some(">")));
    let p = row(&doc, viii, "5.2");
    assert_eq!(p.iter().map(|c| c.raw.as_str()).collect::<Vec<_>>(), ["85%", "90%", "94,7%", "97,04%", "100%"]);
    assert_eq!((p[0].parent_stt.as_deref(), p[0].column.as_str(), p[4].column.as_str()), (Some("5"), "Năm 2021", "Năm 2025 (Tính đến 31/3)"));
    let c = row(&doc, viii, "6.3.1");
    assert_eq!((c[0].parent_stt.as_deref(), c[0].line), (Some("6.3"), 3344));
    // Phụ lục VII money and VIII marks.
    let m = row(&doc, "Phụ lục VII", "1.1");
    assert_eq!((m[0].raw.as_str(), m[0].kind.map(|k| k.as_str()), m[0].value), ("1.198.020.000đ", Some("money"), Some(1_198_020_000.0)));
    let x = row(&doc, viii, "1");
    assert_eq!(x.iter().map(|c| (c.raw.as_str(), c.kind.map(|k| k.as_str()))).collect::<Vec<_>>(), vec![("x", Some("flag")); 5]);
    // Legend in the label names the option of a coded value.
    let legend = row(&doc, i, "4.1");
    assert_eq!((legend[0].option.as_deref(), legend[1].option.as_deref()), (Some("Có tổ chức"), Some("Không tổ chức")));
    // Label-only rows give no cells.
    assert!(row(&doc, iii, "6").is_empty());
}

#[test]
fn pdf_004_text_values_split_only_when_they_repeat_per_column() {
    let doc = extract("004", SEED_004);
    let c = row(&doc, "Phụ lục VIII", "2");
    assert_eq!(c.len(), 5);
    assert!(c.iter().all(|c| c.raw == "Liên thông 3 cấp" && c.value.is_none() && c.kind == Some(Kind::Text)));
    let c = row(&doc, "Phụ lục I ", "4.5");
    assert_eq!(c.len(), 6);
    assert_eq!(c[0].label.as_deref(), Some("Hình thức tuyên truyền CCHC khác (nếu có)."));
    assert_eq!(c[5].raw, "Phát tờ rơi; Tuyên truyền lưu động; Tuyên truyền trên hệ thống loa phát thanh, pa nô, khẩu hiệu,..");
    // The next real row 3 is not confused with "3 cấp" inside the text cells.
    assert_eq!(row(&doc, "Phụ lục VIII", "3")[0].label.as_deref(), Some("Tỷ lệ báo cáo định kỳ được gửi, nhận qua Hệ thống thông tin báo cáo quốc gia"));
}

#[test]
fn pdf_004_page_break_continues_the_table_and_ambiguous_rows_are_flagged() {
    let doc = extract("004", SEED_004);
    // Phụ lục III: the header repeats inside row 6.1; one grid, rows after it.
    let iii = doc.grids.iter().find(|g| g.title.as_deref().is_some_and(|t| t.starts_with("Phụ lục III"))).unwrap();
    let keys: Vec<&str> = iii.rows.iter().map(|r| r.cells[0].as_str()).collect();
    assert_eq!(&keys[keys.len() - 4..], ["6", "6.1", "6.2", "6.3"]);
    assert_eq!(iii.rows.iter().filter(|r| r.cells[0] == "6.1").count(), 1);
    let r61 = iii.rows.iter().find(|r| r.cells[0] == "6.1").unwrap();
    // Raw keeps the row's lines on both pages, not the repeated header.
    assert!(r61.raw.contains("TPHS:") && r61.raw.contains("KQ") && !r61.raw.contains("STT"));
    // Its values cannot be assigned: cells carry the raw text, no number.
    let c = row(&doc, "Phụ lục III", "6.1");
    assert_eq!(c.len(), 5);
    assert!(c.iter().all(|c| c.value.is_none() && c.kind.is_none() && c.warning.is_some() && c.raw == r61.raw));
    assert_eq!(c[0].label.as_deref(), Some("Tỷ lệ hồ sơ TTHC số hóa hồ sơ, kết quả giải"));
    // Phụ lục VII: the page break inside 3.3.2 does not start a new table.
    let vii = doc.grids.iter().filter(|g| g.title.as_deref().is_some_and(|t| t.starts_with("Phụ lục VII "))).count();
    assert_eq!(vii, 1);
    let r332 = doc.grids[5].rows.iter().find(|r| r.cells[0] == "3.3.2.").map(|r| r.cells[1].as_str());
    assert_eq!(r332, Some("Số ĐVSN tự bảo đảm từ 30% - dưới 70% chi thường xuyên"));
    // Phụ lục I 7.2 / 7.3: text in six columns that does not split evenly.
    for (stt, label) in [("7.2", "Hình thức khảo sát"), ("7.3", "Mức độ hài lòng chung")] {
        let c = row(&doc, "Phụ lục I ", stt);
        assert_eq!(c.len(), 6);
        assert!(c.iter().all(|c| c.value.is_none() && c.warning.is_some() && c.label.as_deref() == Some(label)));
    }
    // Phụ lục IX: a lone number at the end of a label is not taken as a value.
    let ix = row(&doc, "Phụ lục IX", "10");
    assert!(ix.iter().all(|c| c.value.is_none() && c.warning.is_some()));
    // Every flagged cell says why.
    assert!(doc.cells.iter().filter_map(|c| c.warning.as_deref()).all(|w| w.starts_with("values not assigned")));
}

#[test]
#[ignore]
fn dump() {
    for (id, text) in [("001", SEED_001), ("002", SEED_002), ("004", SEED_004)] {
        let doc = extract(id, text);
        for r in &doc.regions {
            println!("REGION {id} {:?} {}..{} {:?}", r.layout, r.start + 1, r.end, r.title);
        }
        for g in &doc.grids {
            println!("GRID {:?} line {} cols {:?}", g.title, g.line, g.columns);
            for r in &g.rows {
                println!("  {:>5} {:?} {}", r.line, r.cells, r.warning.as_deref().unwrap_or(""));
            }
        }
        for c in &doc.cells {
            println!(
                "CELL {} r{} stt={:?} parent={:?} label={:?} col={:?} unit={:?} raw={:?} kind={:?} v={:?} q={:?} y={:?} opt={:?} w={}",
                c.table_id,
                c.row,
                c.stt,
                c.parent_stt,
                c.label,
                c.column,
                c.unit,
                c.raw,
                c.kind,
                c.value,
                c.qualifier,
                c.year,
                c.option,
                c.warning.is_some()
            );
        }
    }
}
