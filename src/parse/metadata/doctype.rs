//! Document type and title: the centred type line ("KẾ HOẠCH", "DỰ THẢO BÁO
//! CÁO") with the title lines under it; else the type code of the number
//! ("Số: 12/BC-UBND" → báo cáo; no code → công văn, Nghị định 30/2020 Phụ lục
//! III); else the first words of a reprinted page's title ("Công bố …").

use crate::vocab::{starts_with_word, vocab};

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The type named by a heading line, with "dự thảo " before it for drafts.
pub(crate) fn type_of_heading(line: &str) -> Option<String> {
    let t = squash(line.trim().trim_end_matches(':'));
    let m = &vocab().metadata;
    let (draft, rest) = match m.draft_words.iter().find_map(|d| starts_with_word(&t, d).map(|n| t[n..].trim().to_string())) {
        Some(rest) => (true, rest),
        None => (false, t.clone()),
    };
    let dt = m.doc_types.iter().find(|d| rest == d.word)?;
    Some(if draft { format!("dự thảo {}", dt.doc_type) } else { dt.doc_type.clone() })
}

/// Index and type of the type heading among the first lines.
pub fn heading(lines: &[&str]) -> Option<(usize, String)> {
    lines.iter().take(80).enumerate().find_map(|(k, l)| type_of_heading(l).map(|t| (k, t)))
}

const TITLE_STOPS: [&str; 7] = ["Thực hiện", "Căn cứ", "Kính gửi", "Kính", "Theo ", "Nhằm", "Trên cơ sở"];

/// The title lines under the heading at `k`: up to a blank line (blank
/// lines are skipped in double-spaced text), an opening word ("Căn cứ"), a
/// section, or a change between upper case and mixed case (the issuer line
/// "CHỦ TỊCH ỦY BAN NHÂN DÂN …" under a mixed-case title, "Ngày 15 …" under
/// an upper-case one).
pub(crate) fn title_after(lines: &[&str], k: usize) -> Option<String> {
    let window: Vec<&str> = lines.iter().skip(k + 1).take(14).map(|l| l.trim()).collect();
    let blanks = window.iter().filter(|l| l.is_empty()).count();
    let double_spaced = blanks * 5 >= window.len() * 2;
    let upper = crate::util::is_all_caps;
    let mut title: Vec<&str> = Vec::new();
    for q in window {
        if q.is_empty() {
            if title.is_empty() || double_spaced {
                continue;
            }
            break;
        }
        let stop = q.chars().count() > 400
            || TITLE_STOPS.iter().any(|w| q.starts_with(w))
            || crate::parse::sections::marker(q).is_some()
            || title.first().is_some_and(|f| upper(f) != upper(q));
        if stop {
            break;
        }
        title.push(q);
    }
    let t = squash(&title.join(" "));
    (!t.is_empty()).then_some(t)
}

/// Type from the code in a number: "12/BC-UBND" → báo cáo, "3032/VPUBND-TH"
/// → công văn (a number without a type code).
pub(crate) fn type_of_number(number: &str) -> Option<String> {
    let tail = number.split('/').next_back()?;
    let code = tail.split('-').next()?;
    let types = &vocab().metadata.doc_types;
    if let Some(t) = types.iter().find(|d| d.code.as_deref() == Some(code)) {
        return Some(t.doc_type.clone());
    }
    let has_issuer = tail.contains('-') || code.chars().all(|c| c.is_uppercase() || c == 'Đ');
    has_issuer.then(|| types.iter().find(|d| d.code.is_none()).map(|d| d.doc_type.clone())).flatten()
}

/// Type of a page that reprints a document without its heading, from the
/// first words of its first line ("Công bố kết quả …" → thông báo).
/// Returns the type and that line (the page's title).
pub(crate) fn type_of_title_words(lines: &[&str]) -> Option<(String, String)> {
    let first = lines.iter().map(|l| l.trim()).find(|l| !l.is_empty())?;
    let t = vocab().metadata.title_types.iter().find(|t| first.starts_with(&t.word))?;
    Some((t.doc_type.clone(), squash(first)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(type_of_heading("KẾ HOẠCH").as_deref(), Some("kế hoạch"));
        assert_eq!(type_of_heading(" BÁO CÁO ").as_deref(), Some("báo cáo"));
        assert_eq!(type_of_heading("     DỰ THẢO BÁO CÁO").as_deref(), Some("dự thảo báo cáo"));
        assert_eq!(type_of_heading("CÔNG ĐIỆN").as_deref(), Some("công điện"));
        assert_eq!(type_of_heading("CHỈ THỊ").as_deref(), Some("chỉ thị"));
        assert_eq!(type_of_heading("QUYẾT ĐỊNH:"), Some("quyết định".into()));
        assert_eq!(type_of_heading("THÔNG BÁO Về việc niêm yết công khai"), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(type_of_number("0204/KH-UBND").as_deref(), Some("kế hoạch"));
        assert_eq!(type_of_number("220/CĐ-TTg").as_deref(), Some("công điện"));
        assert_eq!(type_of_number("12/2025/QĐ-UBND").as_deref(), Some("quyết định"));
        assert_eq!(type_of_number("157/TTr-SNV").as_deref(), Some("tờ trình"));
        assert_eq!(type_of_number("3032/VPUBND-TH").as_deref(), Some("công văn"));
    }

    #[test]
    fn titles() {
        let lines = ["KẾ HOẠCH", "", "TÀI CHÍNH - NGÂN SÁCH NHÀ NƯỚC 03 NĂM 2026 - 2028 TỈNH CÀ", "MAU", "", "Kính", "gửi: Hội đồng nhân dân tỉnh Cà Mau"];
        assert_eq!(title_after(&lines, 0).as_deref(), Some("TÀI CHÍNH - NGÂN SÁCH NHÀ NƯỚC 03 NĂM 2026 - 2028 TỈNH CÀ MAU"));
        let lines = [
            "QUYẾT ĐỊNH",
            "Ban hành Kế hoạch hoạt động kiểm soát thủ tục",
            " hành chính năm 2025 trên địa bàn phường Cẩm Thành",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG CẨM THÀNH",
        ];
        assert_eq!(title_after(&lines, 0).as_deref(), Some("Ban hành Kế hoạch hoạt động kiểm soát thủ tục hành chính năm 2025 trên địa bàn phường Cẩm Thành"));
        let lines = ["THÔNG BÁO", "KẾT", "LUẬN PHIÊN HỌP LẦN THỨ NĂM", "Ngày 15 tháng 11 năm 2025, tại Trụ sở Chính phủ"];
        assert_eq!(title_after(&lines, 0).as_deref(), Some("KẾT LUẬN PHIÊN HỌP LẦN THỨ NĂM"));
        assert_eq!(type_of_title_words(&["", "Công bố kết quả Bộ Chỉ số"]).map(|t| t.0), Some("thông báo".into()));
    }
}
