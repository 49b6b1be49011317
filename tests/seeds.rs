//! Pins what cchc extracts from the five real seed reports (fixtures/text),
//! through the library API. Every number below is in the seed text.

use cchc::model::{Extracted, Figure, Kind, Status};
use cchc::pipeline::{process_file, Options};
use std::path::Path;

fn fixture(name: &str) -> Extracted {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/text").join(name);
    process_file(&p, &Options::default())
}

const SEEDS: [&str; 5] = [
    "000_cam_thanh_cchc_2025.txt",
    "001_tq_trong_q1_2025.txt",
    "002_cam_thanh_kh_ktthc_2025.txt",
    "003_vp_ubnd_so_ket_2021_2025.txt",
    "004_phuong2_so_ket_2021_2025.txt",
];

fn fraction(e: &Extracted, num: f64, den: f64) -> Vec<&Figure> {
    e.figures.iter().filter(|f| f.kind == Kind::Fraction && f.numerator == Some(num) && f.denominator == Some(den)).collect()
}

#[test]
fn all_seeds_parse_ok() {
    for s in SEEDS {
        let e = fixture(s);
        assert_eq!(e.document.status, Status::Ok, "{s}: {:?}", e.document.error);
        assert!(!e.sections.is_empty(), "{s}");
        assert!(!e.figures.is_empty(), "{s}");
    }
}

#[test]
fn section_tree_001() {
    let e = fixture("001_tq_trong_q1_2025.txt");
    let tree: Vec<(String, String, Option<String>)> = e
        .sections
        .iter()
        .take(21)
        .map(|s| {
            let parent = s.parent_id.as_ref().and_then(|p| e.sections.iter().find(|x| &x.section_id == p)).map(|x| x.number.clone());
            (s.number.clone(), s.title.clone(), parent)
        })
        .collect();
    let expected: Vec<(&str, &str, Option<&str>)> = vec![
        ("I", "Kết quả đạt được", None),
        ("1", "Về công tác chỉ đạo, điều hành", Some("I")),
        ("2", "Công tác thể chế", Some("I")),
        ("3", "Cải cách thủ tục hành chính; thực hiện cơ chế một cửa, cơ chế một cửa liên thông", Some("I")),
        ("a", "Công bố, công khai minh bạch TTHC", Some("3")),
        ("b", "Về công tác tuyên truyền", Some("3")),
        ("c", "Về rà soát, đánh giá và thực hiện các quy định về đơn giản hóa TTHC", Some("3")),
        ("d", "Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC tại “Một cửa” UBND phường", Some("3")),
        ("4", "Cải cách tổ chức bộ máy, chế độ công vụ", Some("I")),
        ("a", "Về cán bộ, công chức", Some("4")),
        ("b", "Thực hiện các quy định về quản lý cán bộ, công chức", Some("4")),
        ("c", "Về công tác đào tạo, bồi dưỡng cán bộ, công chức", Some("4")),
        ("d", "Công tác quản lý cán bộ, công chức", Some("4")),
        ("5", "Cải cách tài chính công", Some("I")),
        ("6", "Hiện đại hóa hành chính", Some("I")),
        ("7", "Xây dựng và phát triển chính quyền điện tử hướng đến chính quyền số", Some("I")),
        // Out-of-order numbering (I, III, II) keeps the document order.
        ("III", "Nhận xét, đánh giá", None),
        ("1", "Ưu điểm", Some("III")),
        ("2", "Những tồn tại, hạn chế", Some("III")),
        ("3", "Đề xuất, kiến nghị", Some("III")),
        ("II", "Nhiệm vụ cải cách hành chính trong thời gian đến", None),
    ];
    let got: Vec<(&str, &str, Option<&str>)> = tree.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_deref())).collect();
    assert_eq!(got, expected);
    assert_eq!(e.sections[0].line, 6);
    assert_eq!(e.sections[0].level, 1);
    assert_eq!(e.sections[4].level, 3);
}

#[test]
fn section_tree_000() {
    let e = fixture("000_cam_thanh_cchc_2025.txt");
    let numbers: Vec<&str> = e.sections.iter().map(|s| s.number.as_str()).collect();
    let romans: Vec<&str> = numbers.iter().copied().filter(|n| n.chars().all(|c| "IVX".contains(c))).collect();
    assert_eq!(romans, vec!["I", "II", "III", "IV", "V", "VI", "VII"]);
    let third: Vec<&str> = e
        .sections
        .iter()
        .filter(|s| s.parent_id.as_deref() == e.sections.iter().find(|x| x.number == "III").map(|x| x.section_id.as_str()))
        .map(|s| s.number.as_str())
        .collect();
    assert_eq!(third, vec!["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]);
    let title = |n: &str, parent: &str| {
        let pid = e.sections.iter().find(|x| x.number == parent).map(|x| x.section_id.clone());
        e.sections.iter().find(|s| s.number == n && s.parent_id == pid).map(|s| s.title.clone()).unwrap_or_default()
    };
    // Headings wrapped over 2–4 PDF lines keep their whole title.
    assert_eq!(title("1", "I"), "Xây dựng và tổ chức thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2025 của phường");
    assert_eq!(title("2", "I"), "Tổ chức kiểm tra công tác cải cách hành chính năm 2025 tại các cơ quan, đơn vị thuộc phường");
    assert_eq!(
        title("1", "II"),
        "Nâng cao chất lượng công tác xây dựng, thẩm định văn bản quy phạm pháp luật thuộc thẩm quyền ban hành của HĐND và UBND phường đảm bảo đúng trình tự, thủ tục theo quy định của pháp luật"
    );
    assert_eq!(title("4", "I"), "Xây dựng Kế hoạch cải cách hành chính năm 2026");
    assert_eq!(title("1", "VI"), "Tổ chức thực hiện dự toán ngân sách nhà nước năm 2025 theo quy định");
}

#[test]
fn stated_percents_001() {
    let e = fixture("001_tq_trong_q1_2025.txt");
    for (n, d, p) in [(843.0, 847.0, 99.52), (831.0, 832.0, 99.87), (576.0, 577.0, 99.82), (842.0, 843.0, 99.88), (1.0, 12.0, 8.3), (11.0, 12.0, 91.17)] {
        let fs = fraction(&e, n, d);
        assert!(!fs.is_empty(), "{n}/{d} not found");
        assert!(fs.iter().all(|f| f.stated_percent == Some(p)), "{n}/{d}: {:?}", fs.iter().map(|f| f.stated_percent).collect::<Vec<_>>());
    }
    let f = &fraction(&e, 843.0, 847.0)[0];
    assert_eq!((f.raw.as_str(), f.line, f.unit.as_deref()), ("843/847 hồ sơ", 38, Some("hồ sơ")));
    assert_eq!(f.subject.as_deref(), Some("giải quyết và trả cho công dân"));
    let f = &fraction(&e, 831.0, 832.0)[0];
    assert_eq!(f.subject.as_deref(), Some("Tiếp nhận hồ sơ qua ứng dụng dịch vụ công trực tuyến"));
    // 10/33 has no stated percent.
    assert_eq!(fraction(&e, 10.0, 33.0)[0].stated_percent, None);
}

#[test]
fn clauses_000() {
    let e = fixture("000_cam_thanh_cchc_2025.txt");
    let f = &fraction(&e, 2356.0, 2438.0)[0];
    assert_eq!((f.raw.as_str(), f.stated_percent), ("2.356 hồ sơ/2.438 hồ sơ", Some(96.7)));
    assert_eq!(fraction(&e, 36.0, 36.0)[0].stated_percent, Some(100.0));
    // "Số lượng hồ sơ đã giải quyết: 7.259 hồ sơ, trong đó: giải quyết trước hạn: 7.256 hồ sơ, đúng hạn: 0 hồ sơ; quá hạn: 03 hồ sơ. Tỷ lệ hồ sơ trước hạn, đúng hạn đạt: 99,96%."
    let by_value = |v: f64| e.figures.iter().find(|f| f.value == Some(v) && f.kind == Kind::Count).cloned();
    let total = by_value(7259.0).map(|f| (f.raw, f.subject, f.line));
    assert_eq!(total, Some(("7.259 hồ sơ".to_string(), Some("Số lượng hồ sơ đã giải quyết".to_string()), 460)));
    assert_eq!(by_value(7256.0).and_then(|f| f.subject), Some("giải quyết trước hạn".to_string()));
    let pct = e.figures.iter().find(|f| f.raw == "99,96%").map(|f| (f.value, f.line));
    assert_eq!(pct, Some((Some(99.96), 464)));
    let money = e.figures.iter().find(|f| f.raw == "320.858 triệu đồng").map(|f| f.value);
    assert_eq!(money, Some(Some(320_858_000_000.0)));
}

/// References and dates are never fractions or counts, in any seed.
#[test]
fn no_fraction_from_references_or_dates() {
    let reference = regex::Regex::new(r"\d+(?:/\d{4})?\s?/\s?[A-ZĐ][\p{L}\d&]*(?:-[\p{L}\d&]+)*|\d+-[A-ZĐ]+/[A-ZĐ]+").unwrap_or_else(|e| panic!("{e}"));
    let date = regex::Regex::new(r"\b\d{1,2}/\d{1,2}/\d{4}\b").unwrap_or_else(|e| panic!("{e}"));
    let mut refs_seen = 0;
    for s in SEEDS {
        let e = fixture(s);
        for f in &e.figures {
            if f.kind == Kind::Fraction || f.kind == Kind::Count {
                assert!(!reference.is_match(&f.raw), "{s}: {} read as {}", f.raw, f.kind);
                assert!(!date.is_match(&f.raw), "{s}: {} read as {}", f.raw, f.kind);
            }
        }
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/text").join(s)).unwrap_or_default();
        refs_seen += reference.find_iter(&text).count();
    }
    assert!(refs_seen > 300, "{refs_seen}");
}

#[test]
fn metadata_of_every_seed() {
    type Row = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<i32>,
        Option<i32>,
        Option<&'static str>,
        Option<&'static str>,
    );
    let expected: [(&str, Row); 5] = [
        (
            "000_cam_thanh_cchc_2025.txt",
            ("báo cáo", Some("phường Cẩm Thành"), Some("phường"), Some("Quảng Ngãi"), Some("year"), None, Some(2025), None, None, Some("Nguyễn Văn Hưng")),
        ),
        (
            "001_tq_trong_q1_2025.txt",
            (
                "báo cáo",
                Some("phường Trương Quang Trọng"),
                Some("phường"),
                Some("Quảng Ngãi"),
                Some("quarter"),
                None,
                Some(2025),
                Some(1),
                Some("40/BC-UBND"),
                Some("Trương Thanh Thảo"),
            ),
        ),
        (
            "002_cam_thanh_kh_ktthc_2025.txt",
            ("quyết định", Some("phường Cẩm Thành"), Some("phường"), Some("Quảng Ngãi"), Some("year"), None, Some(2025), None, None, Some("Nguyễn Văn Hưng")),
        ),
        // Văn phòng UBND tỉnh is a provincial agency: level "sở" (issue #12), not the province itself.
        (
            "003_vp_ubnd_so_ket_2021_2025.txt",
            ("báo cáo", Some("Văn phòng UBND tỉnh"), Some("sở"), Some("Quảng Ngãi"), Some("range"), None, Some(2025), None, None, Some("Nguyễn Quốc Việt")),
        ),
        (
            "004_phuong2_so_ket_2021_2025.txt",
            ("báo cáo", Some("phường 2"), Some("phường"), Some("Quảng Trị"), Some("range"), None, Some(2025), None, None, Some("Lê Thanh Bình")),
        ),
    ];
    for (file, (doc_type, unit, level, province, kind, _, year, quarter, number, signer)) in expected {
        let m = fixture(file).document.meta;
        assert_eq!(m.doc_type.as_deref(), Some(doc_type), "{file}");
        assert_eq!(m.unit_name.as_deref(), unit, "{file}");
        assert_eq!(m.unit_level.as_deref(), level, "{file}");
        assert_eq!(m.province.as_deref(), province, "{file}");
        assert_eq!(m.period_kind.as_deref(), kind, "{file}");
        assert_eq!(m.period_year, year, "{file}");
        assert_eq!(m.period_quarter, quarter, "{file}");
        assert_eq!(m.report_number.as_deref(), number, "{file}");
        assert_eq!(m.signer.as_deref(), signer, "{file}");
    }
    let m = fixture("003_vp_ubnd_so_ket_2021_2025.txt").document.meta;
    assert_eq!((m.period_from, m.period_to), (Some(2021), Some(2025)));
    let m = fixture("001_tq_trong_q1_2025.txt").document.meta;
    assert_eq!(m.title.as_deref(), Some("Kết quả thực hiện công tác cải cách hành chính Quý I năm 2025 trên địa bàn phường Trương Quang Trọng"));
    assert_eq!(m.issuer.as_deref(), Some("UBND phường Trương Quang Trọng"));
    assert_eq!(m.doc_date.as_deref(), Some("06/03/2025"));
}

/// Forty-plus normalizations straight from seed sentences.
#[test]
fn figure_normalizations_from_seeds() {
    use cchc::model::Kind::*;
    let cases: &[(&str, &str, cchc::model::Kind, Option<f64>)] = &[
        ("tổng số người tham gia cuộc thi: 1.246.", "1.246", Count, Some(1246.0)),
        ("Phát 1.200 tờ rơi hướng dẫn", "1.200 tờ rơi", Count, Some(1200.0)),
        ("Tổ chức 02 lớp tập huấn", "02 lớp", Count, Some(2.0)),
        ("đã khắc phục 03/03 vấn đề", "03/03 vấn đề", Fraction, None),
        ("Tổ chức tự kiểm tra 05 văn bản quy phạm", "05 văn bản", Count, Some(5.0)),
        ("kiến nghị xử lý 07/7 văn bản", "07/7 văn bản", Fraction, None),
        ("cho hơn 120 lượt cán bộ", "hơn 120 lượt", Count, Some(120.0)),
        ("đạt tỷ lệ 100%.", "100%", Percent, Some(100.0)),
        ("in ấn và cấp phát hơn 9.000 tờ gấp", "hơn 9.000 tờ gấp", Count, Some(9000.0)),
        ("cho 125 hòa giải viên mới", "125 hòa giải viên", Count, Some(125.0)),
        ("ban hành 04 văn bản chỉ đạo", "04 văn bản", Count, Some(4.0)),
        ("đã thực hiện xong 45/45 nội dung", "45/45 nội dung", Fraction, None),
        ("đã rà soát 12 TTHC, qua rà soát", "12 TTHC", Count, Some(12.0)),
        ("Tổng lượt đánh giá là 2.452 lượt (02", "2.452 lượt", Count, Some(2452.0)),
        ("niêm yết công khai 49 lĩnh vực TTHC (410 TTHC)", "49 lĩnh vực", Count, Some(49.0)),
        ("Số lượng hồ sơ đang giải quyết: 112 hồ sơ; trong đó", "112 hồ sơ", Count, Some(112.0)),
        ("Tỷ lệ số hóa hồ sơ TTHC khi tiếp nhận đạt 100%;", "100%", Percent, Some(100.0)),
        ("tái sử dụng là 288 hồ sơ, đạt tỷ lệ 67,42%.", "67,42%", Percent, Some(67.42)),
        ("Thực hiện có hiệu quả 25 DVCTT toàn trình", "25 DVCTT", Count, Some(25.0)),
        ("các DVCTT là dưới 08 phút;", "dưới 08 phút", Quantity, Some(8.0)),
        ("giảm tối thiểu 20% so với hình thức", "tối thiểu 20%", Percent, Some(20.0)),
        ("có 02 viên chức thực hiện tinh giản", "02 viên chức", Count, Some(2.0)),
        ("Dự kiến thu năm 2026: 348.544 triệu đồng.", "348.544 triệu đồng", Money, Some(348_544_000_000.0)),
        ("Đầu tư phát triển: 27.686 triệu đồng).", "27.686 triệu đồng", Money, Some(27_686_000_000.0)),
        ("Ban hành 33 văn bản về công tác", "33 văn bản", Count, Some(33.0)),
        ("là 3.538 hồ sơ,", "3.538 hồ sơ", Count, Some(3538.0)),
        ("đạt tỷ lệ 84,47%.", "84,47%", Percent, Some(84.47)),
        ("là 30 TTHC (gồm", "30 TTHC", Count, Some(30.0)),
        ("là 26 thủ tục;", "26 thủ tục", Count, Some(26.0)),
        ("tuyến đạt 91,95% (384 hồ sơ", "91,95%", Percent, Some(91.95)),
        ("82 hồ sơ thanh toán chuyển khoản, đạt 3,3%.", "3,3%", Percent, Some(3.3)),
        ("màn hình tivi 75inch, CPU", "75inch", Quantity, Some(75.0)),
        ("hướng dẫn tập huấn có 220 người;", "220 người", Count, Some(220.0)),
        ("có 7.102 học viên tham gia", "7.102 học viên", Count, Some(7102.0)),
        ("Tổng số phí, lệ phí thu được là: 16.091.000 đồng", "16.091.000 đồng", Money, Some(16_091_000.0)),
        ("Thạc sỹ: 01/12 đạt 8,3%", "8,3%", Percent, Some(8.3)),
        ("ban hành 295 quyết định quy phạm pháp luật", "295 quyết định", Count, Some(295.0)),
        ("đã đề xuất phân cấp: 733 TTHC/2.893 TTHC (Trong đó", "733 TTHC/2.893 TTHC", Fraction, None),
        ("Phân cấp ngay: 663 TTHC;", "663 TTHC", Count, Some(663.0)),
        ("hỗ trợ 01 tỷ đồng cho các chủ tàu cá", "01 tỷ đồng", Money, Some(1e9)),
        ("Năm 2021: 92,08 điểm, đạt 92,08%;", "92,08 điểm", Count, Some(92.08)),
        ("1.198.020.000đ 1.291.261.000đ", "1.198.020.000đ", Money, Some(1_198_020_000.0)),
        ("trong Quý I/2025 đươc lấy ý kiến", "Quý I/2025", Period, Some(2025.0)),
        ("Thời gian: Quý III", "Quý III", Period, None),
        ("(tính đến 31/3)", "31/3", Date, None),
    ];
    assert!(cases.len() >= 40);
    for (text, raw, kind, value) in cases {
        let found = cchc::parse::figures::scan(text);
        let f = found
            .iter()
            .find(|f| f.raw(text) == *raw)
            .unwrap_or_else(|| panic!("{raw:?} not found in {text:?}: {:?}", found.iter().map(|f| f.raw(text)).collect::<Vec<_>>()));
        assert_eq!(f.kind(), Some(*kind), "{raw}");
        assert_eq!(f.value.value, *value, "{raw}");
    }
}
