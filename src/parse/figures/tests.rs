use super::numbers::*;
use super::*;
use crate::model::Kind;

fn one(text: &str) -> Found {
    let f = scan(text);
    assert_eq!(f.len(), 1, "{text:?} → {f:?}");
    f.into_iter().next().unwrap_or_else(|| unreachable!())
}

fn kinds(text: &str) -> Vec<(String, Option<Kind>)> {
    scan(text).iter().map(|f| (f.raw(text).to_string(), f.kind())).collect()
}

#[test]
fn numbers_with_vietnamese_separators() {
    assert_eq!(vn_number("1.246").map(|r| r.1), Ok(1246.0));
    assert_eq!(vn_number("16.091.000").map(|r| r.1), Ok(16091000.0));
    assert_eq!(vn_number("99,52").map(|r| r.1), Ok(99.52));
    assert_eq!(vn_number("8,3").map(|r| r.1), Ok(8.3));
    assert_eq!(vn_number("02").map(|r| r.1), Ok(2.0));
    // "2025." at a sentence end is 2025, not a grouped number.
    assert_eq!(vn_number("2025.").map(|r| r.1), Ok(2025.0));
    assert_eq!(vn_number("1.246. ").map(|r| r.1), Ok(1246.0));
}

#[test]
fn counts_with_units() {
    // 000: "tổng số người tham gia cuộc thi: 1.246."
    let f = one("có tổng số người tham gia cuộc thi: 1.246.");
    assert_eq!((f.kind(), f.value.value), (Some(Kind::Count), Some(1246.0)));
    let f = one("Phát 1.200 tờ rơi hướng dẫn");
    assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(1200.0), Some("tờ rơi")));
    let f = one("đã rà soát 12 TTHC, qua rà soát");
    assert_eq!(f.value.unit.as_deref(), Some("TTHC"));
    let f = one("Tổ chức 06 buổi tuyên truyền");
    assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(6.0), Some("buổi")));
    let f = one("đến nay có 7.102 học viên tham gia");
    assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(7102.0), Some("học viên")));
    let f = one("hơn 120 lượt cán bộ");
    assert_eq!((f.value.value, f.value.qualifier.as_deref(), f.raw("hơn 120 lượt cán bộ")), (Some(120.0), Some(">"), "hơn 120 lượt"));
}

#[test]
fn percents() {
    let t = "đạt 99,52%";
    let f = one(t);
    assert_eq!((f.kind(), f.value.value, f.raw(t)), (Some(Kind::Percent), Some(99.52), "99,52%"));
    assert_eq!(one("100%").value.value, Some(100.0));
    let f = one(">99%");
    assert_eq!((f.value.value, f.value.qualifier.as_deref(), f.raw(">99%")), (Some(99.0), Some(">"), ">99%"));
    let f = one("đạt tối thiểu 50%");
    assert_eq!((f.value.value, f.value.qualifier.as_deref()), (Some(50.0), Some(">=")));
    let f = one("là dưới 08 phút; thời gian");
    assert_eq!((f.kind(), f.value.value, f.value.unit.as_deref(), f.value.qualifier.as_deref()), (Some(Kind::Quantity), Some(8.0), Some("phút"), Some("<")));
}

#[test]
fn fractions_and_stated_percent() {
    // 001: "843/847 hồ sơ đạt 99,52%"
    let t = "đã giải quyết và trả cho công dân là 843/847 hồ sơ đạt 99,52% còn lại 03 hồ sơ";
    let f = scan(t);
    assert_eq!(f[0].raw(t), "843/847 hồ sơ");
    assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(843.0), Some(847.0), Some(99.52)));
    assert_eq!(f[1].value.value, Some(99.52));
    assert_eq!((f[2].value.value, f[2].value.unit.as_deref()), (Some(3.0), Some("hồ sơ")));
    // 001: "Đại học: 11/12 người, tỷ lệ: 91,17%"
    let t = "Thạc sỹ: 01/12 đạt 8,3%, Đại học: 11/12 người, tỷ lệ: 91,17%.";
    let f: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(1.0), Some(12.0), Some(8.3)));
    assert_eq!((f[1].value.numerator, f[1].value.stated_percent), (Some(11.0), Some(91.17)));
    // 000: "03/03 vấn đề", "01/7 văn bản"
    let f = one("đã khắc phục 03/03 vấn đề kiến nghị");
    assert_eq!((f.value.numerator, f.value.denominator, f.value.unit.as_deref()), (Some(3.0), Some(3.0), Some("vấn đề")));
    let f = one("01/7 văn bản còn thời hạn xử lý");
    assert_eq!((f.value.numerator, f.value.denominator), (Some(1.0), Some(7.0)));
}

#[test]
fn long_form_fractions() {
    // 000: "2.356 hồ sơ/2.438 hồ sơ … đạt 96,7%"
    let t = "trong kỳ 2.356 hồ sơ/2.438 hồ sơ có phát sinh thanh toán trực tuyến, đạt 96,7%; 82 hồ sơ";
    let f = scan(t);
    assert_eq!(f[0].raw(t), "2.356 hồ sơ/2.438 hồ sơ");
    assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(2356.0), Some(2438.0), Some(96.7)));
    // 004: number, noun phrase, "/", number on a wrapped line.
    let t = "của các TTHC có phát sinh hồ sơ trực tuyến mức độ 4 là: có 1.221 hồ sơ đã tiếp nhận trực tuyến /3.797 hồ sơ đã tiếp nhận trong năm (cả trực tuyến và truyền thống) của các TTHC có phát sinh hồ sơ trực tuyến mức độ 4, đạt tỷ lệ 32,16%.";
    let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!(fr.len(), 1);
    assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(1221.0), Some(3797.0), Some(32.16)));
    // 004: "20 TTHC có phát sinh hồ sơ trực tuyến /103TTHC"
    let t = "là: 20 TTHC có phát sinh hồ sơ trực tuyến /103TTHC đang cung cấp trực tuyến mức độ 3,4, đạt tỷ lệ 19,4%.";
    let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(20.0), Some(103.0), Some(19.4)));
    // 004: parenthesised numbers are skipped when looking for the numerator.
    let t = "Có 7 dịch vụ công trực tuyến toàn trình (tổng số DVCTT mức độ 4) / 82 dịch vụ công đủ điều kiện đạt tỷ lệ 8,53%.";
    let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(7.0), Some(82.0), Some(8.53)));
}

#[test]
fn money() {
    let f = one("là: 16.091.000 đồng");
    assert_eq!((f.kind(), f.value.value), (Some(Kind::Money), Some(16091000.0)));
    let f = one("1.198.020.000đ");
    assert_eq!(f.value.value, Some(1198020000.0));
    let t = "Dự kiến thu năm 2026: 348.544 triệu đồng.";
    let m: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Money)).collect();
    assert_eq!(m[0].value.value, Some(348544000000.0));
    assert_eq!(m[0].raw(t), "348.544 triệu đồng");
    let f = one("hỗ trợ 01 tỷ đồng cho các chủ tàu cá");
    assert_eq!(f.value.value, Some(1e9));
    let f = one("đây là những hồ sơ có phí 0đ).");
    assert_eq!((f.kind(), f.value.value), (Some(Kind::Money), Some(0.0)));
}

#[test]
fn dates_and_periods() {
    let t = "Kế hoạch số 04/KH-UBND ngày 23/7/2025 của UBND";
    let f = one(t);
    assert_eq!((f.kind(), f.normalized.as_deref()), (Some(Kind::Date), Some("2025-07-23")));
    let f = one("ngày 06 tháng 3 năm 2025");
    assert_eq!(f.normalized.as_deref(), Some("2025-03-06"));
    assert_eq!(one("trong Quý I/2025 được").normalized.as_deref(), Some("2025-Q1"));
    assert_eq!(one("Quý I năm 2025 trên địa bàn").normalized.as_deref(), Some("2025-Q1"));
    assert_eq!(one("báo cáo 6 tháng đầu năm").normalized.as_deref(), Some("H1"));
    assert_eq!(one("trong năm 2025").normalized.as_deref(), Some("2025"));
    assert_eq!(one("giai đoạn 2021-2025, tầm nhìn").normalized.as_deref(), Some("2021/2025"));
    let t = "ngân sách 03 năm 2026 – 2028";
    assert_eq!(kinds(t), vec![("03 năm".to_string(), Some(Kind::Quantity)), ("2026 – 2028".to_string(), Some(Kind::Period))]);
    assert_eq!(one("trong tháng 12/2025.").normalized.as_deref(), Some("2025-12"));
    assert_eq!(one("(tính đến 31/3)").normalized.as_deref(), Some("--03-31"));
}

#[test]
fn references_are_not_figures() {
    for t in [
        "Kế hoạch số 04/KH-UBND",
        "Quyết định số 393/QĐ-UBND",
        "Nghị định số 45/2020/NĐ-CP",
        "Kế hoạch số 50-KH/ĐU",
        "(Báo cáo 75/BC-KTHT",
        "Báo cáo số 40 /BC-UBND",
        "Tờ trình số 05/TTr-HCC",
        "Nghị quyết số 142/2024/QH15",
        "Quyết định số 03/2025/UBND",
        "tại Điểm c Khoản 1 Điều 104 Nghị định",
        "quy định tại Điều 4 và khoản 1 Điều 5",
        "https://camthanh.quangngai.gov.vn/upload/2007014/fck/726THONG_BAO_633fb.pdf",
        "điện thoại 0255382211",
        "Phường 2, thị xã Quảng Trị",
        "ISO TCVN: 9001:2015",
        "trực tuyến mức độ 3, 4",
        "chuyển đổi sang công nghệ Ipv6",
        "tại cơ quan1. ",
    ] {
        let f = scan(t);
        assert!(f.iter().all(|f| f.kind() != Some(Kind::Fraction) && f.kind() != Some(Kind::Count)), "{t:?} → {:?}", kinds(t));
    }
}

#[test]
fn ranks_and_scores_are_not_fractions() {
    // 038: "69,63/100 điểm, xếp hạng 13/63 tỉnh, thành phố"; "65.2/100 điểm, xếp hạng thứ 10/63".
    let t = "Tổng số điểm An Giang đạt: 69,63/100 điểm, xếp hạng 13/63 tỉnh, thành phố";
    let k = kinds(t);
    assert_eq!(k[0], ("69,63/100 điểm".to_string(), Some(Kind::Score)));
    assert_eq!(k[1].1, Some(Kind::Rank));
    let t = "ngày 27/3/2023 tỉnh đạt 65.2/100 điểm, xếp hạng thứ 10/63 tỉnh, thành phố";
    let f: Vec<_> = scan(t).into_iter().filter(|f| matches!(f.kind(), Some(Kind::Score) | Some(Kind::Rank))).collect();
    assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].kind()), (Some(65.2), Some(100.0), Some(Kind::Score)));
    assert_eq!((f[1].value.numerator, f[1].value.denominator, f[1].kind()), (Some(10.0), Some(63.0), Some(Kind::Rank)));
    // 035 "đứng thứ 6/9 huyện, thị, thành phố"; seed 003 "xếp vị trí 01/63 tỉnh".
    assert_eq!(one("đứng thứ 6/9 huyện, thị").kind(), Some(Kind::Rank));
    assert_eq!(kinds("97,34%, xếp vị trí 01/63 tỉnh, thành phố")[1].1, Some(Kind::Rank));
}

#[test]
fn footnotes_placeholders_and_fixed_expressions() {
    // 001: "Cắt giảm 2.269/6.974 ĐKKD[3] thuộc ngành, nghề … (đạt 32,5%)".
    let t = "(2) Cắt giảm 2.269/6.974 ĐKKD[3] thuộc ngành, nghề đầu tư, kinh doanh có điều kiện (đạt 32,5%).";
    let f: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!(scan(t).len(), 3, "(2), the fraction and the percent, not the [3]: {:?}", kinds(t));
    assert_eq!((f[0].value.numerator, f[0].value.denominator, f[0].value.stated_percent), (Some(2269.0), Some(6974.0), Some(32.5)));
    // Placeholder dates of exported forms and "24/7" are never fractions.
    assert_eq!(one("ngày ký 01/01/0001").kind(), Some(Kind::Date));
    assert!(scan("phục vụ 24/7 cho người dân").is_empty());
    // "tuần 02" names a week.
    assert!(scan("so với tuần 02, trong đó").is_empty());
}

#[test]
fn multipliers_dot_decimals_and_money_fractions() {
    // 028: "đã tiếp nhận 10,18 ngàn hồ sơ (HS)", "8,96 ngàn HS".
    let f = one("đã tiếp nhận 10,18 ngàn hồ sơ (HS) các loại");
    assert_eq!((f.value.value, f.value.unit.as_deref()), (Some(10180.0), Some("hồ sơ")));
    assert_eq!(one("có 8,96 ngàn HS giải quyết").value.value, Some(8960.0));
    // 026: "tỷ lệ 99.4%" is 99,4.
    assert_eq!(one("đúng hạn đạt 99.4%").value.value, Some(99.4));
    // 002: "5.817,196 tỷ đồng/5.937,440 tỷ đồng, đạt 97,97%".
    let t = "thực hiện cả năm 5.817,196 tỷ đồng/5.937,440 tỷ đồng, đạt 97,97% kế hoạch";
    let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!((fr[0].value.numerator, fr[0].value.denominator, fr[0].value.stated_percent), (Some(5817196000000.0), Some(5937440000000.0), Some(97.97)));
    // 040: "gần 75.800 hồ sơ … trực tuyến/tổng số hơn 166.200 hồ sơ".
    let t = "gần 75.800 hồ sơ dịch vụ công được thực hiện trực tuyến/tổng số hơn 166.200 hồ sơ";
    let fr: Vec<_> = scan(t).into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!((fr[0].value.numerator, fr[0].value.denominator), (Some(75800.0), Some(166200.0)));
    // "năm 2025 tỉnh Quảng Ngãi": a year, not 2025 provinces.
    assert_eq!(one("Kế hoạch cải cách hành chính năm 2025 tỉnh Quảng Ngãi").kind(), Some(Kind::Period));
}

#[test]
fn stated_percent_before_the_fraction_and_thresholds() {
    // 040: "Trên 80% (1.397/1.725 TTHC)"; seed 004: "đạt chuẩn 100% (18/18 CBCC)".
    let fr: Vec<_> = scan("Trên 80% (1.397/1.725 TTHC)").into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!(fr[0].value.stated_percent, Some(80.0));
    let fr: Vec<_> = scan("chuyên môn đạt chuẩn 100% (18/18 CBCC) theo quy định").into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!(fr[0].value.stated_percent, Some(100.0));
    // 001 footnote [5]: "còn 06/34 địa phương tỷ lệ đạt dưới 90%" — a bound on the
    // members, not the share of 06/34 (17,6 %).
    let fr: Vec<_> =
        scan("các tỉnh cơ bản đạt trên 90% còn 06/34 địa phương tỷ lệ đạt dưới 90% gồm:").into_iter().filter(|f| f.kind() == Some(Kind::Fraction)).collect();
    assert_eq!((fr[0].value.numerator, fr[0].value.stated_percent), (Some(6.0), None));
}

#[test]
fn cell_values() {
    let v = |s: &str| parse_value(s);
    assert_eq!(v("100").and_then(|v| v.value), Some(100.0));
    assert_eq!(v("99,82").and_then(|v| v.value), Some(99.82));
    assert_eq!(v("100%").and_then(|v| v.kind), Some(Kind::Percent));
    let t = v("Tối thiểu 60").unwrap_or_default();
    assert_eq!((t.value, t.qualifier.as_deref()), (Some(60.0), Some(">=")));
    let t = v(">99%").unwrap_or_default();
    assert_eq!((t.value, t.qualifier.as_deref()), (Some(99.0), Some(">")));
    let t = v("843/843").unwrap_or_default();
    assert_eq!((t.numerator, t.denominator), (Some(843.0), Some(843.0)));
    assert_eq!(v("1.198.020.000đ").and_then(|v| v.value), Some(1198020000.0));
    assert_eq!(v("4 Tổ chức và 9 cá nhân").and_then(|v| v.value), Some(4.0));
    assert_eq!(v("x"), None);
    assert_eq!(v("Liên thông 3 cấp"), None);
    assert_eq!(v("Kế hoạch số 02/KH-UBND ngày 03/01/2024"), None);
    assert_eq!(v("01").and_then(|v| v.value), Some(1.0));
    assert_eq!(v("2025").and_then(|v| v.value), Some(2025.0));
}

/// The fast path of `parse_value` gives what the full scan gives, on every
/// cell, line piece and word of the text fixtures and on generated number
/// shapes (with the prefixes and suffixes the fast path must refuse).
#[test]
fn plain_cells_read_as_the_scan_reads_them() {
    let mut cells: Vec<String> = Vec::new();
    for dir in ["fixtures/text", "fixtures/realtexts/docs"] {
        let Ok(entries) = std::fs::read_dir(dir) else { panic!("{dir} missing") };
        for entry in entries.flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            for line in text.lines() {
                for piece in line.split(['\t', '|']) {
                    cells.push(piece.to_string());
                    cells.extend(piece.split_whitespace().map(str::to_string));
                }
            }
        }
    }
    let ints = [
        "0",
        "1",
        "02",
        "12",
        "99",
        "100",
        "999",
        "1000",
        "0001",
        "1944",
        "1945",
        "2025",
        "2100",
        "2101",
        "12345",
        "1234567",
        "12345678",
        "123456789",
        "1234567890",
        "1.246",
        "16.091.000",
        "2.025",
        "1.2",
        "1.24",
        "1.2467",
        "12.34.567",
        "1234.567",
        ".5",
        "",
    ];
    let tails = ["", ",5", ",52", ",", ",5,2", "%", " %", ",52%", "%%", ".5", ".", "%x", " hồ sơ", "/100", "-2030", ":30", "đ", " triệu đồng"];
    for int in ints {
        for tail in tails {
            for head in ["", " ", ">", "năm ", "x"] {
                cells.push(format!("{head}{int}{tail}"));
            }
        }
    }
    cells.extend(["-", "x", "X", "Quý I/2025", "q", "Q1", "Tối thiểu 60", "843/843", "—", "%", ",", "."].map(str::to_string));
    let mut fast = 0;
    for cell in &cells {
        let s = cell.trim();
        if s.is_empty() {
            continue;
        }
        if let Some(value) = plain_cell(s) {
            fast += 1;
            assert_eq!(value, scanned_cell(s), "{s:?}");
        }
    }
    assert!(fast > 1000, "{fast} cells took the fast path");
}
