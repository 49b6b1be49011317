//! The period a document is about, from its title: quarter ("Quý I năm
//! 2025", "quý III/2021"), 6 or 9 months ("6 tháng đầu năm 2024"), month
//! ("tháng 5/2023", "tháng 5 năm 2023", "từ ngày 15/4 đến ngày 14/5/2023"),
//! year ("năm 2025"), range ("giai đoạn 2026 - 2030", "(2021-2025)") or a
//! horizon alone ("đến năm 2035"). Dates ("ngày 23/7/2025") are skipped.

use once_cell::sync::Lazy;
use regex::{Captures, Regex};

use crate::vocab::vocab;

static PERIOD: Lazy<Regex> = Lazy::new(|| {
    Regex::new(concat!(
        r"(?i)(?P<fromto>từ\s+ngày\s+\d{1,2}/\d{1,2}(?:/\d{4})?\s*(?:đến|-|–)\s*(?:hết\s+)?(?:ngày\s+)?\d{1,2}/(?P<ftm>\d{1,2})/(?P<fty>\d{4}))",
        r"|(?P<date>ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{4})",
        r"|(?P<horizon>(?:đến|tới)\s+năm\s+(?P<hy>(?:19|20)\d{2}))",
        r"|(?P<range>(?:(?:giai\s+đoạn|thời\s+kỳ|từ\s+năm|năm|nhiệm\s+kỳ)\s+)?\(?\b(?P<r1>(?:19|20)\d{2})\s*(?:-|–|—|đến(?:\s+năm)?)\s*(?P<r2>(?:19|20)\d{2})\b\)?)",
        r"|(?P<quarter>quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|năm|-)\s*(?P<qy>(?:19|20)\d{2}))",
        r"|(?P<nine>\b0?9\s+tháng\s+(?:đầu\s+)?(?:năm\s+|/\s*)?(?P<ny>(?:19|20)\d{2}))",
        r"|(?P<half>\b0?6\s+tháng\s+(?:đầu\s+|cuối\s+)?(?:năm\s+|/\s*)?(?P<hay>(?:19|20)\d{2}))",
        r"|(?P<month>tháng\s+(?P<m>\d{1,2})\s*(?:/|năm|-)\s*(?P<my>(?:19|20)\d{2}))",
        r"|(?P<year>năm\s+(?P<y>(?:19|20)\d{2}))\b",
    ))
    .expect("valid regex")
});

/// A period found in a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Period {
    /// "quarter", "half", "nine_months", "month", "year", "range".
    pub kind: String,
    pub year: Option<i32>,
    pub quarter: Option<i32>,
    pub month: Option<i32>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

fn num(c: &Captures, name: &str) -> Option<i32> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

fn quarter(q: &str) -> Option<i32> {
    match q.to_uppercase().as_str() {
        "I" | "1" => Some(1),
        "II" | "2" => Some(2),
        "III" | "3" => Some(3),
        "IV" | "4" => Some(4),
        _ => None,
    }
}

/// The first period named in `text` (a horizon "đến năm X" only when no
/// other period is named).
pub fn find(text: &str) -> Option<Period> {
    let mut horizon = None;
    for c in PERIOD.captures_iter(text) {
        let p = |kind: &str, year: Option<i32>| Period { kind: kind.into(), year, ..Default::default() };
        let found = if c.name("date").is_some() {
            None
        } else if c.name("fromto").is_some() {
            Some(Period { month: num(&c, "ftm").filter(|m| (1..=12).contains(m)), ..p("month", num(&c, "fty")) })
        } else if c.name("horizon").is_some() {
            horizon.get_or_insert(Period { to: num(&c, "hy"), ..p("range", None) });
            None
        } else if c.name("range").is_some() {
            match (num(&c, "r1"), num(&c, "r2")) {
                (Some(a), Some(b)) if b > a && b - a <= 30 => Some(Period { from: Some(a), to: Some(b), ..p("range", None) }),
                _ => None,
            }
        } else if c.name("quarter").is_some() {
            Some(Period { quarter: c.name("q").and_then(|q| quarter(q.as_str())), ..p("quarter", num(&c, "qy")) })
        } else if c.name("nine").is_some() {
            Some(p("nine_months", num(&c, "ny")))
        } else if c.name("half").is_some() {
            Some(p("half", num(&c, "hay")))
        } else if c.name("month").is_some() {
            let m = num(&c, "m").filter(|m| (1..=12).contains(m));
            m.map(|m| Period { month: Some(m), ..p("month", num(&c, "my")) })
        } else {
            let y = num(&c, "y");
            Some(Period { from: y, to: y, ..p("year", y) })
        };
        if found.is_some() {
            return found;
        }
    }
    horizon
}

/// Is a document of this type and title a report on a past or running
/// range (→ last year) rather than a plan (→ first year)?
pub(crate) fn retrospective(doc_type: Option<&str>, title: &str) -> bool {
    let m = &vocab().metadata;
    let t = title.trim().to_lowercase();
    doc_type.is_some_and(|d| m.retrospective_types.iter().any(|r| r == d)) || m.retrospective_words.iter().any(|w| t.starts_with(w.as_str()))
}

/// `period_year` of a range: a range over before the document's year is
/// reported on (last year), one starting after it is planned (first year);
/// a range around the document's date follows the document type.
pub(crate) fn range_year(p: &Period, doc_year: Option<i32>, retro: bool) -> Option<i32> {
    let (from, to) = (p.from?, p.to?);
    match doc_year {
        Some(y) if to < y => Some(to),
        Some(y) if from > y => Some(from),
        _ if retro => Some(to),
        _ => Some(from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_year(t: &str) -> Option<(String, Option<i32>)> {
        find(t).map(|p| (p.kind, p.year))
    }

    #[test]
    fn kinds() {
        let q = find("Kết quả thực hiện công tác cải cách hành chính Quý I năm 2025 trên địa bàn phường").expect("quarter");
        assert_eq!((q.kind.as_str(), q.year, q.quarter), ("quarter", Some(2025), Some(1)));
        assert_eq!(find("tháng 9 và quý III/2021").map(|p| (p.kind, p.quarter)), Some(("quarter".into(), Some(3))));
        let m = find("Bộ Chỉ số phục vụ người dân và doanh nghiệp trong tháng 5 năm 2023 của tỉnh").expect("month");
        assert_eq!((m.kind.as_str(), m.year, m.month), ("month", Some(2023), Some(5)));
        assert_eq!(find("tháng 5/2023").map(|p| p.month), Some(Some(5)));
        let m = find("kết quả giải quyết hồ sơ (từ ngày 15/4 đến ngày 14/5/2023)").expect("month");
        assert_eq!((m.kind.as_str(), m.year, m.month), ("month", Some(2023), Some(5)));
        assert_eq!(kind_year("6 tháng đầu năm 2024"), Some(("half".into(), Some(2024))));
        assert_eq!(kind_year("9 tháng năm 2025"), Some(("nine_months".into(), Some(2025))));
        assert_eq!(kind_year("CẮT GIẢM, ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH, ĐIỀU KIỆN KINH DOANH NĂM 2025"), Some(("year".into(), Some(2025))));
        assert_eq!(kind_year("tại Kế hoạch số 04/KH-UBND ngày 23/7/2025 của UBND phường Cẩm Thành"), None);
        assert_eq!(kind_year("ngày 16 tháng 6 năm 2025"), None);
    }

    #[test]
    fn ranges() {
        let r = find("TÀI CHÍNH - NGÂN SÁCH NHÀ NƯỚC 03 NĂM 2026 - 2028 TỈNH CÀ MAU").expect("range");
        assert_eq!((r.kind.as_str(), r.from, r.to), ("range", Some(2026), Some(2028)));
        let r = find("NGHỆ AN GIAI ĐOẠN 2026 - 2030, TẦM NHÌN ĐẾN NĂM 2045").expect("range");
        assert_eq!((r.from, r.to), (Some(2026), Some(2030)));
        let r = find("Sơ kết 05 năm (2021-2025) thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021").expect("range");
        assert_eq!((r.from, r.to), (Some(2021), Some(2025)));
        let h = find("THỰC HIỆN LỘ TRÌNH ĐỔI MỚI CÔNG NGHỆ ĐẾN NĂM 2035").expect("horizon");
        assert_eq!((h.kind.as_str(), h.year, h.to), ("range", None, Some(2035)));
    }

    #[test]
    fn year_of_a_range() {
        let r = Period { kind: "range".into(), from: Some(2026), to: Some(2030), ..Default::default() };
        assert_eq!(range_year(&r, Some(2025), false), Some(2026));
        assert_eq!(range_year(&r, Some(2025), true), Some(2026), "a range after the document is planned");
        let past = Period { from: Some(2021), to: Some(2025), ..r.clone() };
        assert_eq!(range_year(&past, None, true), Some(2025));
        assert_eq!(range_year(&past, Some(2024), true), Some(2025));
        assert_eq!(range_year(&past, Some(2024), false), Some(2021));
        assert_eq!(range_year(&past, Some(2026), false), Some(2025), "a range over is reported on");
        assert!(retrospective(Some("báo cáo"), ""));
        assert!(retrospective(None, "Sơ kết 05 năm"));
        assert!(!retrospective(Some("quyết định"), "VỀ VIỆC BAN HÀNH KẾ HOẠCH"));
    }
}
