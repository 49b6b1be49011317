//! The claims stage on real snippets (each quoted from a document of
//! fixtures/realtexts or a seed): what is claimed, which part and base, and
//! the verdict.

use cchc::model::{Claim, ClaimForm, ClaimKind, Extracted, Kind, Rule, Severity, Verdict};
use cchc::pipeline::{process_bytes, Options};

fn claims_of(text: &str) -> Extracted {
    process_bytes("snippet.txt", format!("I. KẾT QUẢ\n\n{text}\n").as_bytes(), &Options::default())
}

/// (kind, part, base, stated, verdict) of a claim.
type Row = (String, Option<f64>, Option<f64>, Option<f64>, String);

/// The rows of every claim.
fn summary(e: &Extracted) -> Vec<Row> {
    e.claims.iter().map(|c| (c.kind.to_string(), c.part_value, c.base_value, c.stated_percent, c.verdict.to_string())).collect()
}

fn row(kind: &str, part: f64, base: f64, stated: f64, verdict: &str) -> Row {
    (kind.into(), Some(part), Some(base), Some(stated), verdict.into())
}

fn only(e: &Extracted) -> &Claim {
    assert_eq!(e.claims.len(), 1, "{:#?}", e.claims);
    &e.claims[0]
}

#[test]
fn base_in_the_previous_sentence_and_siblings() {
    // 023 (Vĩnh Phúc): the base of all three percents is "đến hạn giải quyết là 4.169 hồ sơ";
    // 4.157 is a sibling part, not the base of 12 and 90.
    let e = claims_of(
        "Tháng 9/2021, Trung tâm đã tiếp nhận mới 4.131 hồ sơ, hồ sơ tồn kỳ trước chuyển sang là 2.171, lũy kế đã và đang giải quyết trong kỳ là 6.302 hồ sơ; đến hạn giải quyết là 4.169 hồ sơ. Đã có kết quả trả trước và đúng hạn là 4.157 hồ sơ (đạt 99,71%). Hồ sơ đã trả kết quả nhưng chậm hạn và hồ sơ quá hạn giải quyết nhưng chưa có kết quả là 12 hồ sơ (chiếm 0,29%). Có 90 hồ sơ (chiếm 2,16%), các cơ quan thụ lý trả lại hồ sơ.",
    );
    assert_eq!(
        summary(&e),
        vec![row("share", 4157.0, 4169.0, 99.71, "consistent"), row("share", 12.0, 4169.0, 0.29, "consistent"), row("share", 90.0, 4169.0, 2.16, "consistent")]
    );
    assert!(e.claims.iter().all(|c| c.form == ClaimForm::Implicit));
    assert!(e.findings.is_empty(), "{:#?}", e.findings);
}

#[test]
fn the_base_that_fits_is_preferred_over_the_nearest() {
    // 030 (Quận 1): the received count is the base of the resolved count.
    let e = claims_of("Trong năm 2018, UBND Q.1 tiếp nhận 585.336 hồ sơ hành chính. Kết quả đã giải quyết 585.116 hồ sơ, đạt tỷ lệ 99,96% (số hồ sơ giải quyết đúng hạn là 585.116 hồ sơ đạt tỷ lệ 99,96%, số hồ sơ giải quyết trễ hạn là 0 hồ sơ, tỷ lệ 0%).");
    let s = summary(&e);
    assert_eq!(s[0], row("share", 585116.0, 585336.0, 99.96, "consistent"));
    assert_eq!(s[1], row("share", 585116.0, 585336.0, 99.96, "consistent"));
    // The resolved count inside the bracket is the part of the first claim, a sibling, not its base.
    assert_ne!(e.claims[1].base_figure_id, e.claims[0].part_figure_id);
    assert!(e.findings.iter().all(|f| f.severity != Severity::Error), "{:#?}", e.findings);
}

#[test]
fn base_announced_after_the_percent_is_checked() {
    // 031 (Bình Định): 40/58 = 68,97 %, stated 79,37 %.
    let e = claims_of("số lượng hồ sơ thủ tục hành chính giải quyết trễ hạn của UBND các huyện là 40 hồ sơ, chiếm tỷ lệ 79,37% trong tổng số hồ sơ trễ hạn của cả tỉnh (58 hồ sơ).");
    let c = only(&e);
    assert_eq!((c.part_value, c.base_value, c.verdict.as_str()), (Some(40.0), Some(58.0), "inconsistent"));
    let f: Vec<_> = e.findings.iter().filter(|f| f.rule == Rule::RatioPercent).collect();
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].severity.as_str(), f[0].reported.as_deref(), f[0].expected.as_deref()), ("error", Some("79,37%"), Some("68,97%")));
    assert_eq!(f[0].quote, "40 hồ sơ, chiếm tỷ lệ 79,37% trong tổng số hồ sơ trễ hạn của cả tỉnh (58 hồ sơ");
}

#[test]
fn growths_against_plan_and_last_year() {
    // 002 (Cà Mau): "vượt 11,69% so dự toán" (base two sentences back), "tăng 10,48% so cùng kỳ
    // (10.482 tỷ đồng)" (base after the percent); "thu nội địa 11.080 tỷ đồng, vượt 10,22%" whose
    // base is the estimate of the same item, not the nearest amount.
    let e = claims_of("Năm 2025, Hội đồng nhân dân tỉnh quyết nghị thông qua tổng thu ngân sách nhà nước 10.367,700 tỷ đồng; trong đó: thu nội địa 10.052,700 tỷ đồng, thu từ hoạt động xuất nhập khẩu 315 tỷ đồng. Ước thực hiện cả năm là 11.580 tỷ đồng, vượt 11,69% so dự toán, tăng 10,48% so cùng kỳ (10.482 tỷ đồng); trong đó: thu nội địa 11.080 tỷ đồng, vượt 10,22% so dự toán, tăng 10,26% so cùng kỳ (10.049 tỷ đồng).");
    let t = 1e9;
    let s = summary(&e);
    assert_eq!(s[0], row("growth", 11580.0 * t, 10367.7 * t, 11.69, "consistent"));
    assert_eq!(s[1], row("growth", 11580.0 * t, 10482.0 * t, 10.48, "consistent"));
    assert_eq!(s[2], row("growth", 11080.0 * t, 10052.7 * t, 10.22, "consistent"));
    assert_eq!(s[3], row("growth", 11080.0 * t, 10049.0 * t, 10.26, "consistent"));
    // 002: a fund raised over its plan is a growth, never "done > total".
    let e = claims_of("đã vận động Quỹ Đền ơn đáp nghĩa được 12.375,3/10.200 triệu đồng, vượt 21,3% kế hoạch; Quỹ “Vì người nghèo” được 164,3 tỷ đồng.");
    let c = only(&e);
    assert_eq!((c.kind.as_str(), c.verdict.as_str(), c.form.as_str()), ("growth", "consistent", "explicit"));
    assert!(e.findings.is_empty(), "{:#?}", e.findings);
}

#[test]
fn thresholds_targets_ranks_and_scores_are_not_accused() {
    // 001 footnote [5]: a bound on the members, not the share of 06/34.
    let e = claims_of("Tỷ lệ TTHC liên quan đến doanh nghiệp được cung cấp trực tuyến tại cấp bộ là 69,87%; các tỉnh cơ bản đạt trên 90% còn 06/34 địa phương tỷ lệ đạt dưới 90% gồm: TP. Hồ Chí Minh (87,73%), Sơn La (87,26%).");
    assert!(e.claims.iter().all(|c| c.verdict != Verdict::Inconsistent), "{:#?}", e.claims);
    assert!(e.claims.iter().any(|c| c.kind == ClaimKind::Threshold), "{:#?}", e.claims);
    assert!(e.findings.iter().all(|f| f.severity != Severity::Error), "{:#?}", e.findings);
    // Seed 001: "… đạt tối thiểu 50% trên tổng số hồ sơ vào năm 2025" is a target.
    let e = claims_of("Đẩy mạnh thực hiện dịch vụ công trực tuyến bảo đảm lộ trình để tỷ lệ hồ sơ giải quyết trực tuyến toàn trình đạt tối thiểu 50% trên tổng số hồ sơ vào năm 2025.");
    assert_eq!(only(&e).kind, ClaimKind::Target);
    // 038: a score and a rank.
    let e = claims_of("1. Tổng số điểm An Giang đạt: 69,63/100 điểm, xếp hạng 13/63 tỉnh, thành phố, xếp loại “trung bình”.");
    let kinds: Vec<(&str, Option<f64>, Option<f64>)> = e.claims.iter().map(|c| (c.kind.as_str(), c.part_value, c.base_value)).collect();
    assert_eq!(kinds, vec![("score", Some(69.63), Some(100.0)), ("rank", Some(13.0), Some(63.0))]);
    assert!(e.figures.iter().all(|f| f.kind != Kind::Fraction));
}

#[test]
fn explicit_fraction_inconsistent_is_an_error_with_its_quote() {
    // Seed 001: "Đại học: 11/12 người, tỷ lệ: 91,17%" (11/12 = 91,67 %).
    let e = claims_of("- Về trình độ chuyên môn: Thạc sỹ: 01/12 đạt 8,3%, Đại học: 11/12 người, tỷ lệ: 91,17%.");
    let s = summary(&e);
    assert_eq!(s, vec![row("share", 1.0, 12.0, 8.3, "consistent"), row("share", 11.0, 12.0, 91.17, "inconsistent")]);
    let f: Vec<_> = e.findings.iter().filter(|f| f.rule == Rule::RatioPercent).collect();
    assert_eq!((f.len(), f[0].quote.as_str(), f[0].severity.as_str()), (1, "11/12 người, tỷ lệ: 91,17%", "error"));
}
