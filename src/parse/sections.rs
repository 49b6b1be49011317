//! Sections: numbered headings and their tree. The heading-marker grammar
//! lives in `grammar::markers` (a leaf module the layout stage uses too).
//! Ranks order the styles (part < roman/article < 1. < 1.1. < a) < a1.);
//! a heading's parent is the nearest previous heading of a smaller rank, so
//! documents that skip a style or number out of order (I, III, II) keep
//! their original order and a sensible tree.

use crate::model::{Para, Section};

pub use crate::grammar::markers::{bullet, marker, starts_with_marker, Marker, Style};

/// Longest title kept before the body is split off a heading paragraph.
const MAX_TITLE_CHARS: usize = 220;

/// Splits a heading paragraph into (title, inline body).
fn split_title(rest: &str) -> (String, String) {
    let rest = rest.trim();
    // "4. Xây dựng Kế hoạch …: Theo kế hoạch …" → title before the colon.
    if let Some(p) = rest.find(':') {
        let (a, b) = (&rest[..p], rest[p + 1..].trim());
        let clock = a.ends_with(|c: char| c.is_ascii_digit()) && b.starts_with(|c: char| c.is_ascii_digit());
        if !b.is_empty() && a.chars().count() <= MAX_TITLE_CHARS && !clock {
            return (a.trim().to_string(), b.to_string());
        }
    }
    if rest.chars().count() <= MAX_TITLE_CHARS {
        return (rest.trim_end_matches(':').trim().to_string(), String::new());
    }
    // A long lettered paragraph: the first sentence is the title.
    if let Some(p) = rest.find(". ") {
        if rest[..p].chars().count() <= MAX_TITLE_CHARS * 2 {
            return (rest[..p].to_string(), rest[p + 2..].to_string());
        }
    }
    (rest.to_string(), String::new())
}

fn is_upper_line(t: &str) -> bool {
    crate::util::letter_case(t).0 >= 4 && crate::util::is_all_caps(t)
}

/// A heading found in the paragraphs: index of its paragraph, marker, title
/// and how many following paragraphs its title consumed.
#[derive(Debug, Clone)]
pub struct Heading {
    pub para: usize,
    pub marker: Marker,
    pub title: String,
    pub body: String,
    pub consumed: usize,
}

/// Finds headings among paragraphs (bullets are list items, not headings).
pub(crate) fn headings(paras: &[Para]) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < paras.len() {
        let text = &paras[k].text;
        let Some(m) = marker(text) else {
            k += 1;
            continue;
        };
        let rest = &text[m.len.min(text.len())..];
        let (mut title, body) = split_title(rest);
        let mut consumed = 0;
        // "Phần thứ nhất" alone: the title is the next all-caps paragraph.
        if m.style == Style::Part && title.is_empty() {
            if let Some(next) = paras.get(k + 1).filter(|p| is_upper_line(&p.text)) {
                title = next.text.trim().to_string();
                consumed = 1;
            }
        }
        out.push(Heading { para: k, marker: m, title, body, consumed });
        k += 1 + consumed;
    }
    out
}

/// Builds the section rows for a document. `section_of[para]` gives the
/// section id each paragraph belongs to (None before the first heading).
pub fn build(doc_id: &str, paras: &[Para]) -> (Vec<Section>, Vec<Option<usize>>) {
    let heads = headings(paras);
    let mut sections: Vec<Section> = Vec::with_capacity(heads.len());
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (rank, index in sections)
    let mut owner: Vec<Option<usize>> = vec![None; paras.len()];
    let mut current: Option<usize> = None;
    let mut h_iter = heads.iter().peekable();
    let mut k = 0;
    while k < paras.len() {
        if let Some(h) = h_iter.peek().filter(|h| h.para == k) {
            let rank = h.marker.style.rank();
            while stack.last().is_some_and(|(r, _)| *r >= rank) {
                stack.pop();
            }
            let parent = stack.last().map(|(_, i)| *i);
            let idx = sections.len();
            let p = &paras[k];
            sections.push(Section {
                doc_id: doc_id.to_string(),
                section_id: format!("{}:s{}", short(doc_id), idx + 1),
                parent_id: parent.map(|i| sections[i].section_id.clone()),
                level: i32::try_from(stack.len() + 1).unwrap_or(i32::MAX),
                number: h.marker.number.clone(),
                title: h.title.clone(),
                page: p.page().and_then(|x| i32::try_from(x).ok()),
                line: i32::try_from(p.line()).unwrap_or(i32::MAX),
                text: h.body.clone(),
            });
            stack.push((rank, idx));
            current = Some(idx);
            let last = (k + h.consumed).min(paras.len() - 1);
            for slot in owner.iter_mut().take(last + 1).skip(k) {
                *slot = current;
            }
            k += 1 + h.consumed;
            h_iter.next();
            continue;
        }
        owner[k] = current;
        if let Some(i) = current {
            let s = &mut sections[i];
            if !s.text.is_empty() {
                s.text.push('\n');
            }
            s.text.push_str(&paras[k].text);
        }
        k += 1;
    }
    (sections, owner)
}

/// First 12 hex chars of a doc id, used to make ids readable but unique.
pub fn short(doc_id: &str) -> &str {
    doc_id.get(..12).unwrap_or(doc_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(t: &str) -> Option<String> {
        marker(t).map(|m| m.number)
    }

    #[test]
    fn markers() {
        assert_eq!(num("I. Công tác chỉ đạo, điều hành"), Some("I".into()));
        assert_eq!(num("III. Nhận xét, đánh giá:"), Some("III".into()));
        assert_eq!(num("1. Xây dựng và tổ chức"), Some("1".into()));
        assert_eq!(num("1.1. Xây dựng các kế hoạch"), Some("1.1".into()));
        assert_eq!(num("3 1. Thống kê TTHC"), Some("3.1".into()));
        assert_eq!(num("2.2.1 Tổng số VBQPPL"), Some("2.2.1".into()));
        assert_eq!(num("a) Về cán bộ, công chức:"), Some("a".into()));
        assert_eq!(num("a1. Hàng năm, Văn phòng"), Some("a1".into()));
        assert_eq!(num("Phần thứ nhất "), Some("Phần I".into()));
        assert_eq!(num("Phần I "), Some("Phần I".into()));
        assert_eq!(num("Điều 1. Ban hành kèm theo"), Some("Điều 1".into()));
        assert_eq!(num(" 10. Thực hiện nghiêm"), Some("10".into()));
        // Not headings.
        assert_eq!(num("2025 trên địa bàn"), None);
        assert_eq!(num("26 thủ tục; số TTHC"), None);
        assert_eq!(num("17/9/2025 của Chính phủ"), None);
        assert_eq!(num("1.246. Đăng 10 bài"), None);
        assert_eq!(num("- Ban hành 01 Quyết định"), None);
        assert!(bullet("- Ban hành 01 Quyết định"));
        assert!(bullet("+ Số hồ sơ phát sinh"));
        assert!(bullet("· Đã chỉ đạo"));
        assert!(bullet("* Tiếp nhận hồ sơ"));
    }

    #[test]
    fn titles() {
        assert_eq!(
            split_title("Xây dựng Kế hoạch cải cách hành chính năm 2026: Theo kế hoạch thời gian thực hiện hoàn thành trước 31/12/2025.").0,
            "Xây dựng Kế hoạch cải cách hành chính năm 2026"
        );
        assert_eq!(split_title("Công tác thể chế:").0, "Công tác thể chế");
    }
}
