//! The statistics appendix of seed 001 (phường Trương Quang Trọng, quý I/2025),
//! row by row as the table reader gives it: (stt, parent stt, label, unit,
//! value, expected indicator).  Pins the mapping; "" = no indicator.
use std::collections::HashMap;

use super::*;
use crate::model::{Cell, Dataset, Kind};

const ROWS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("1.", "", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
    ("1.1.", "1", "Kế hoạch CCHC", "", "1", "cchc.ke_hoach"),
    ("", "1.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "33", "cchc.nhiem_vu.de_ra"),
    ("", "1.1", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "10", "cchc.nhiem_vu.hoan_thanh"),
    ("", "1.1", "Số văn bản chỉ đạo CCHC đã ban hành/ tham mưu ban hành", "Văn bản", "10", "cchc.van_ban_chi_dao"),
    ("1.2.", "1", "Thực hiện nhiệm vụ UBND thành phố, Chủ tịch UBND TP giao", "", "", ""),
    ("", "1.2", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "0", "cchc.nhiem_vu_giao.tong"),
    ("", "1.2", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", "0", "cchc.nhiem_vu_giao.dung_han"),
    ("", "1.2", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ", "0", "cchc.nhiem_vu_giao.qua_han"),
    ("1.3.", "1", "Khảo sát sự hài lòng của người dân, tổ chức", "", "", ""),
    ("", "1.3", "Số lượng phiếu khảo sát", "Số lượng", "500", "cchc.khao_sat.so_phieu"),
    ("", "1.3", "Hình thức khảo sát", "Trực tuyến =0", "", ""),
    ("", "1.3", "", "Phát phiếu =1", "500", "cchc.khao_sat.hinh_thuc"),
    ("", "1.3", "", "Kết hợp=2", "", ""),
    ("", "1.3", "Tổ chức đối thoại về TTHC của UBND cấp xã", "Không=0", "0", "cchc.doi_thoai"),
    ("", "1.3", "", "Có =1", "", ""),
    ("2", "", "Cải cách thể chế", "", "", ""),
    ("2.1.", "2", "Số VBQPPL đã ban hành/tham mưu ban hành", "Văn bản", "0", "the_che.vbqppl.ban_hanh"),
    ("2.2.", "2", "Số VBQPPL đã kiểm tra theo thẩm quyển", "Văn bản", "0", "the_che.vbqppl.kiem_tra"),
    ("2.3.", "2", "Số VBQPPL đã rà soát", "Văn bản", "0", "the_che.vbqppl.ra_soat"),
    ("2.4.", "2", "Số VBQPPL đã kiến nghị xử lý sau kiểm tra, rà soát", "Văn bàn", "0", "the_che.vbqppl.kien_nghi_xu_ly"),
    ("2.5.", "2", "Số VBQPPL có kiến nghị xử lý đã được xử lý xong", "Văn bản", "0", "the_che.vbqppl.da_xu_ly"),
    ("3.", "", "Cải cách thủ tục hành chính", "", "", ""),
    ("3 1.", "3", "Thống kê TTHC", "Thủ tục", "159", "tthc.tong_so"),
    ("3.2.", "3", "Vận hành cổng dịch vụ công", "", "", ""),
    ("", "3.2", "Số TTHC đã cập nhật, công khai trên cổng DVC quốc gia", "Thủ tục", "0", "tthc.cong_khai_dvcqg"),
    ("", "3.2", "Số TTHC mức độ 3 vả 4 đã tích hợp lên Cổng DVC quốc gia", "Thủ tục", "0", "dvctt.tich_hop_dvcqg"),
    ("3.3.", "3", "Thực hiện cơ chế một cửa, một cửa liên thông", "", "", ""),
    ("", "3.3", "Số TTHC liên thông cùng cấp", "Thủ tục", "797", "tthc.lien_thong.cung_cap"),
    ("", "3.3", "Số TTHC liên thông giữa các cấp chính quyền", "Thủ tục", "46", "tthc.lien_thong.cac_cap"),
    ("", "3.3", "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ", "%", "100", "tthc.quy_trinh_noi_bo_ty_le"),
    ("", "3.3", "Tỷ lệ quy trình nội bộ giải quyết TTHC đã được điện tử hóa", "%", "100", "tthc.quy_trinh_dien_tu_ty_le"),
    ("3.4.", "3", "Kết quả giải quyết TTHC", "", "", ""),
    ("", "3.4", "Tỷ lệ hồ sơ TTHC do cơ quan chuyên môn tiếp nhận được giải quyết đúng hẹn", "%", "100", "tthc.ho_so.dung_han_ty_le.cap_huyen"),
    ("", "3.4", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn", "%", "100", "tthc.ho_so.dung_han_ty_le"),
    ("4", "", "Cải cách tổ chức bộ máy hành chính nhà nước", "", "", ""),
    ("4.1.", "4", "Tổng số biên chế được giao trong năm", "Người", "25", "to_chuc.bien_che.giao"),
    ("4.2.", "4", "Tổng số biên chế có mặt tại thời điểm báo cáo", "Người", "22", "to_chuc.bien_che.co_mat"),
    ("4.3.", "4", "Số hợp đồng lao động làm việc tại cơ quan hành chính nhà nước", "Người", "0", "to_chuc.hop_dong_lao_dong"),
    ("4.4.", "4", "Số biên chế đã tinh giản trong kỳ báo cáo", "Người", "0", "to_chuc.bien_che.tinh_gian"),
    ("5.", "", "Cải cách chế độ công vụ", "", "", ""),
    ("5.1.", "5", "Số liệu về bổ nhiệm công chức lãnh đạo (lãnh đạo cấp phòng)", "Người", "0", "cong_vu.lanh_dao.bo_nhiem"),
    ("5.2.", "5", "Số liệu về xử lý kỷ luật cán bộ, công chức (cả về Đảng và chính quyền).", "Người", "0", "cong_vu.ky_luat"),
    ("6.", "", "Cải cách tài chính công", "", "", ""),
    (
        "6.1.",
        "6",
        "Số đơn vị SNCL đã thực hiện tự chủ 100% chi thường xuyên và chi đầu tư (lũy kế đến thời điểm bảo cáo)",
        "Cơ quan, đơn vị",
        "0",
        "tai_chinh.dvsn.tu_chu_chi_tx_dau_tu",
    ),
    (
        "6.2.",
        "6",
        "Số đơn vị SNCL đã thực hiện tự chủ 100% chi thường xuyên (lũy kế đến thời điểm báo cáo)",
        "Cơ quan, đơn vị",
        "0",
        "tai_chinh.dvsn.tu_chu_chi_tx",
    ),
    (
        "6.3.",
        "6",
        "Số đơn vị SNCL đã thực hiện tự chủ một phần chi thường xuyên (lũy kế đến thời điểm báo cáo)",
        "Cơ quan, đơn vi",
        "0",
        "tai_chinh.dvsn.tu_chu_mot_phan",
    ),
    (
        "6.4.",
        "6",
        "Số đơn vị SNCL do nhà nước đảm bảo 100% chi thường xuyên (luỹ kế đến thời điểm báo cáo)",
        "Cơ quan, đơn vị",
        "0",
        "tai_chinh.dvsn.nha_nuoc_dam_bao",
    ),
    (
        "6.5.",
        "6",
        "Số lượng đơn vị SNCL đã chuyển đổi thành công ty cổ phần (luỹ kế đến thời điểm báo cáo)",
        "Cơ quan, đơn vị",
        "0",
        "tai_chinh.dvsn.co_phan_hoa",
    ),
    ("7", "", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "", "", ""),
    ("7.1.", "7", "Cập nhật Kiến trúc chính quyền điện tử phiên bản 2.0", "Chưa = 0", "", ""),
    ("", "7.1", "", "Hoàn thành =1", "x", "cqs.kien_truc"),
    ("7.2.", "7", "Xây dựng và vận hành Hệ thống họp trực tuyến", "Chưa có = 0", "", ""),
    ("", "7.2", "Liên thông 2 cấp: Từ UBND tỉnh đến thành phố.", "2 cấp = 1", "", ""),
    ("", "7.2", "Liên thông 3 cấp: Từ UBND tỉnh đến thành phố và 100% UBND cấp xã.", "3 cấp = 2", "x", "cqs.hop_truc_tuyen"),
    ("7.3.", "7", "Hệ thống thông tin báo cáo và kết nối với Hệ thống thông tin báo cáo quốc gia", "Chưa = 0", "", ""),
    ("", "7.3", "", "Đang làm =1", "", ""),
    ("", "7.3", "", "Hoàn thành=2", "x", "cqs.bao_cao_qg"),
    ("7.4.", "7", "Tỷ lệ cơ quan chuyên môn, UBND cấp xã được cấp chứng thư số.", "Chứng thư số", "4 Tổ chức và 9 cá nhân", "cqs.chung_thu_so"),
    ("7.5.", "7", "Triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP).", "Chưa = 0", "", ""),
    ("", "7.5", "", "Đang làm =1", "", ""),
    ("", "7.5", "", "Hoàn thành=2", "2", "cqs.lgsp"),
    ("7.6.", "7", "Số liệu về trao đổi văn bản điện tử", "", "", ""),
    ("", "7.6", "Tỷ lệ cơ quan chuyên môn đã kết nối, liên thông với UBND tỉnh", "%", "100", "cqs.lien_thong_vb.so_nganh_ty_le"),
    ("", "7.6", "Tỷ lệ UBND xã đã kết nối, liên thông với UBND thành phố", "%", "100", "cqs.lien_thong_vb.cap_xa_ty_le"),
    ("7.7.", "7", "Tổng số VĂN BẢN ĐI giữa các cơ quan nhà nước trên địa bàn thành phố", "Văn bản", "222", "cqs.van_ban.di"),
    (
        "",
        "7.7",
        "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử (Sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện tử).",
        "%",
        "100",
        "cqs.van_ban.dien_tu_ty_le",
    ),
    ("", "7.7", "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử và song song với văn bản giấy", "%", "", "cqs.van_ban.song_song_ty_le"),
    ("7.8.", "7", "Vận hành Hệ thống thông tin một cửa điện tử tập trung của tỉnh", "", "", ""),
    ("", "7.8", "Tỷ lệ cơ quan chuyên môn đã kết nối liên thông với Hệ thống", "%", "100", "cqs.mot_cua_dt.so_nganh_ty_le"),
    ("", "7.8", "Tỷ lệ đơn vị cấp xã đã kết nối liên thông với Hệ thống", "%", "100", "cqs.mot_cua_dt.cap_xa_ty_le"),
    ("7.9.", "7", "Dịch vụ công trực tuyến", "", "", ""),
    ("", "7.9", "Tổng số TTHC cung cấp trực tuyến mức độ 3", "TTHC", "14", "dvctt.mot_phan.so_tthc"),
    ("", "7.9", "Tổng số TTHC cung cấp trực tuyến mức độ 4", "TTHC", "11", "dvctt.toan_trinh.so_tthc"),
    ("", "7.9", "Tỷ lệ hồ sơ xử lý trực tuyến mức độ 3", "%", "99,82", "dvctt.mot_phan.ho_so_truc_tuyen_ty_le"),
    ("", "7.9", "Tỷ lệ hổ sơ xử lý trực tuyến mức độ 4", "%", "100", "dvctt.toan_trinh.ho_so_truc_tuyen_ty_le"),
];

/// Fractions of the "Ghi chú" column, by row label.
const NOTES: &[(&str, &str)] = &[
    ("Tỷ lệ hồ sơ TTHC do cơ quan chuyên môn tiếp nhận được giải quyết đúng hẹn", "843/843"),
    ("Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn", "843/843"),
    ("Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử (Sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện tử).", "222/222"),
    ("Tỷ lệ hồ sơ xử lý trực tuyến mức độ 3", "576/577"),
    ("Tỷ lệ hổ sơ xử lý trực tuyến mức độ 4", "255/255"),
];

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

pub(crate) fn dataset() -> Dataset {
    let mut ds = Dataset::default();
    for (i, (stt, parent, label, unit, value, _)) in ROWS.iter().enumerate() {
        let row = i as i32 + 1;
        let num: Option<f64> = value.replace(',', ".").parse().ok();
        let kind = if num.is_none() {
            if value.is_empty() {
                None
            } else {
                Some("text")
            }
        } else if *unit == "%" {
            Some("percent")
        } else {
            Some("count")
        };
        let base = Cell {
            doc_id: "001".into(),
            table_id: "001:t1".into(),
            table_title: Some("Phụ lục".into()),
            page: None,
            line: 150 + row,
            row,
            stt: opt(stt),
            parent_stt: opt(parent),
            label: opt(label),
            column: "Số liệu".into(),
            unit: opt(unit),
            raw: value.to_string(),
            kind: kind.map(|k| k.parse().unwrap_or(Kind::Text)),
            value: num,
            numerator: None,
            denominator: None,
            qualifier: None,
            indicator: None,
            warning: None,
            year: None,
            option: None,
            confidence: None,
        };
        if let Some((_, frac)) = NOTES.iter().find(|(l, _)| l == label) {
            let (n, d) = frac.split_once('/').unwrap_or(("", ""));
            let mut note = base.clone();
            note.column = "Ghi chú".into();
            note.raw = frac.to_string();
            note.kind = Some(Kind::Fraction);
            note.value = None;
            note.numerator = n.parse().ok();
            note.denominator = d.parse().ok();
            ds.cells.push(note);
        }
        ds.cells.push(base);
    }
    ds
}

#[test]
fn mapping_of_001_appendix_is_pinned() {
    let mut ds = dataset();
    assign(&mut ds);
    let mut got: Vec<(i32, String)> = Vec::new();
    for c in ds.cells.iter().filter(|c| c.column == "Số liệu") {
        got.push((c.row, c.indicator.clone().unwrap_or_default()));
    }
    let mut bad = Vec::new();
    for (row, id) in &got {
        let (stt, _, label, unit, _, expected) = ROWS[(*row - 1) as usize];
        if id != expected {
            bad.push(format!("row {row} {stt} {label} {unit}: expected {expected:?}, got {id:?}"));
        }
    }
    assert!(bad.is_empty(), "mapping changed:\n{}", bad.join("\n"));
}

#[test]
fn at_least_90_percent_of_valued_rows_have_an_indicator() {
    let mut ds = dataset();
    assign(&mut ds);
    let valued: Vec<&Cell> = ds.cells.iter().filter(|c| c.column == "Số liệu" && !c.raw.trim().is_empty()).collect();
    let hit = valued.iter().filter(|c| c.indicator.is_some()).count();
    assert!(hit * 10 >= valued.len() * 9, "{hit}/{}", valued.len());
}

#[test]
fn no_indicator_on_two_rows_of_one_table() {
    let mut ds = dataset();
    // Duplicate the last rows' labels into another row to provoke a clash.
    let mut extra: Vec<Cell> = ds.cells.iter().filter(|c| c.label.as_deref() == Some("Số VBQPPL đã rà soát")).cloned().collect();
    for c in &mut extra {
        c.row = 999;
        c.raw = String::new();
        c.value = None;
    }
    ds.cells.extend(extra);
    assign(&mut ds);
    let mut seen: HashMap<(String, String, String), i32> = HashMap::new();
    for c in &ds.cells {
        let Some(id) = &c.indicator else { continue };
        let key = (c.doc_id.clone(), c.table_id.clone(), id.clone());
        if let Some(r) = seen.insert(key, c.row) {
            assert_eq!(r, c.row, "{id} on rows {r} and {}", c.row);
        }
    }
    // The valued row keeps it, the empty duplicate gets nothing.
    let dup = ds.cells.iter().find(|c| c.row == 999).and_then(|c| c.indicator.clone());
    assert_ne!(dup.as_deref(), Some("the_che.vbqppl.ra_soat"));
}
