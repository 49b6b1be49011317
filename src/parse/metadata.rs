//! Document metadata: type, unit, province, period, number, signer, title.
//! Vocabulary (document types, levels, provinces, signer titles) lives in
//! `schemas/vocab.toml`.

use once_cell::sync::Lazy;
use regex::Regex;

use crate::layout::Layout;
use crate::model::{DocMeta, Kind};
use crate::parse::figures::scan;
use crate::vocab::{starts_with_word, vocab};

static REPORT_NUMBER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*Số:?\s*(\d{1,5})\s*/\s*((?:\d{4}/)?[A-ZĐ][\p{L}\d&]*(?:-[\p{L}\d&]+)*)").expect("valid regex")
});
static ATTACHED_TO: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*\((?:Ban hành\s+)?(?i:kèm theo)\s+(?:Báo cáo|Quyết định|Kế hoạch|Công văn|Tờ trình)\s+(?:số:?\s*)?(\d{1,5})\s*/\s*([A-ZĐ][\p{L}\d&]*(?:-[\p{L}\d&]+)*)").expect("valid regex")
});
static DOC_DATE: Lazy<Regex> = Lazy::new(|| Regex::new(r",\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})").expect("valid regex"));

/// Extracts metadata from the laid-out document.
pub fn extract(lay: &Layout) -> DocMeta {
    let lines: Vec<&str> = lay.lines.iter().map(|l| l.text.trim()).collect();
    let mut meta = DocMeta::default();
    let (doc_type, title) = type_and_title(lay);
    meta.doc_type = doc_type;
    meta.title = title;
    let (unit, level, issuer) = unit(&lines, meta.title.as_deref().unwrap_or(""));
    meta.unit_name = unit;
    meta.unit_level = level;
    meta.issuer = issuer;
    meta.province = province(&lines);
    period(lay, &mut meta);
    meta.report_number = report_number(&lines);
    meta.signer = signer(&lines);
    meta.doc_date = lines.iter().find_map(|l| {
        let c = DOC_DATE.captures(l)?;
        let d: u32 = c.get(1)?.as_str().parse().ok()?;
        let m: u32 = c.get(2)?.as_str().parse().ok()?;
        Some(format!("{:02}/{:02}/{}", d, m, c.get(3)?.as_str()))
    });
    meta
}

/// The first paragraph that is exactly a document-type word ("BÁO CÁO"),
/// and the title paragraphs that follow it.
fn type_and_title(lay: &Layout) -> (Option<String>, Option<String>) {
    let types = &vocab().metadata.doc_types;
    for (k, p) in lay.paras.iter().enumerate().take(60) {
        let t = p.text.trim().trim_end_matches(':').trim();
        let Some(dt) = types.iter().find(|d| t == d.word || t.starts_with(&format!("{} ", d.word)) && t.len() <= d.word.len() + 2) else {
            continue;
        };
        let mut title = String::new();
        for q in lay.paras.iter().skip(k + 1).take(4) {
            let q = q.text.trim();
            let stop = q.is_empty()
                || q.chars().count() > 400
                || ["Thực hiện", "Căn cứ", "Kính gửi", "Theo ", "Nhằm", "Trên cơ sở"].iter().any(|w| q.starts_with(w))
                || crate::parse::sections::marker(q).is_some()
                || q.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()) && !title.is_empty();
            if stop {
                break;
            }
            if !title.is_empty() {
                title.push(' ');
            }
            title.push_str(q);
        }
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        return (Some(dt.doc_type.clone()), (!title.is_empty()).then_some(title));
    }
    (None, None)
}

/// Vietnamese title case for an all-caps name: "TRƯƠNG QUANG TRỌNG" → "Trương Quang Trọng".
fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut cs = lower.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "phường Cẩm Thành" from text starting at a level word: the level plus the
/// following capitalized words (or a number: "Phường 2").
fn unit_at(text: &str) -> Option<(String, String)> {
    let levels = &vocab().metadata.unit_levels;
    let level = levels.iter().find(|l| starts_with_word(text, l).is_some())?;
    let n = starts_with_word(text, level)?;
    let mut words = Vec::new();
    for w in text[n..].split_whitespace() {
        let w = w.trim_end_matches([',', '.', ';', ':', ')', '(']);
        let first = w.chars().next()?;
        if first.is_uppercase() || first.is_ascii_digit() {
            words.push(w.to_string());
        } else {
            break;
        }
        if words.len() >= 5 {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    let name = words.join(" ");
    let name = if name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) { title_case(&name) } else { name };
    Some((format!("{} {}", level.to_lowercase(), name), level.to_lowercase()))
}

fn find_unit_in(text: &str) -> Option<(String, String)> {
    for (i, _) in text.char_indices() {
        if i > 0 && text[..i].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        if let Some(u) = unit_at(&text[i..]) {
            return Some(u);
        }
    }
    None
}

/// Unit, level and issuer: letterhead ("ỦY BAN NHÂN DÂN" / "PHƯỜNG CẨM
/// THÀNH"), then an agency in the title, then the title's "… phường X".
fn unit(lines: &[&str], title: &str) -> (Option<String>, Option<String>, Option<String>) {
    for (k, l) in lines.iter().enumerate() {
        let l = l.trim();
        if l == "ỦY BAN NHÂN DÂN" || l == "UỶ BAN NHÂN DÂN" || l == "UBND" {
            if let Some(next) = lines.get(k + 1) {
                if let Some((u, lv)) = unit_at(next.trim()) {
                    return (Some(u.clone()), Some(lv), Some(format!("UBND {u}")));
                }
            }
        }
    }
    for a in &vocab().metadata.agency_prefixes {
        if let Some(p) = title.find(a.as_str()) {
            let rest = &title[p..];
            let name: String = if a.starts_with("Văn phòng") { a.clone() } else { rest.split([',', '(', ';']).next().unwrap_or(rest).trim().to_string() };
            let level = if name.ends_with("tỉnh") || a.starts_with("Sở") { Some("tỉnh".to_string()) } else { None };
            return (Some(name.clone()), level, Some(name));
        }
    }
    if let Some((u, lv)) = find_unit_in(title) {
        return (Some(u.clone()), Some(lv), Some(format!("UBND {u}")));
    }
    for l in lines.iter().take(80) {
        if let Some(p) = l.find("UBND ") {
            if let Some((u, lv)) = unit_at(&l[p + 5..]) {
                return (Some(u.clone()), Some(lv), Some(format!("UBND {u}")));
            }
        }
    }
    (None, None, None)
}

static PROVINCES: Lazy<Regex> = Lazy::new(|| {
    let mut names: Vec<&String> = vocab().metadata.provinces.iter().collect();
    names.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let alt: Vec<String> = names.iter().map(|p| regex::escape(p)).collect();
    Regex::new(&format!("(tỉnh )?({})", alt.join("|"))).expect("valid regex")
});

/// The province named after "tỉnh" (weight 3), else the most mentioned one:
/// one regex pass over the text.
fn province(lines: &[&str]) -> Option<String> {
    let mut score: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in lines {
        for c in PROVINCES.captures_iter(l) {
            let Some(name) = c.get(2) else { continue };
            *score.entry(name.as_str()).or_default() += if c.get(1).is_some() { 4 } else { 1 };
        }
    }
    let best = score.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
    vocab().metadata.provinces.iter().find(|p| p.as_str() == *best.0).cloned()
}

/// Period from the title, else the closing "Trên đây là báo cáo …", else the
/// first paragraph.
fn period(lay: &Layout, meta: &mut DocMeta) {
    let closing = lay.paras.iter().rev().find(|p| p.text.starts_with("Trên đây")).map(|p| p.text.clone());
    let first = lay.paras.iter().skip(1).take(4).map(|p| p.text.clone()).collect::<Vec<_>>().join(" ");
    for text in [meta.title.clone().unwrap_or_default(), closing.unwrap_or_default(), first] {
        let figs = scan(&text);
        let periods: Vec<_> = figs.iter().filter(|f| f.kind() == Some(Kind::Period)).collect();
        let pick = periods
            .iter()
            .find(|f| matches!(f.value.unit.as_deref(), Some("quarter") | Some("half") | Some("range")))
            .or_else(|| periods.first());
        let Some(f) = pick else { continue };
        let norm = f.normalized.clone().unwrap_or_default();
        let year = |s: &str| s.get(0..4).and_then(|y| y.parse::<i32>().ok());
        match f.value.unit.as_deref() {
            Some("quarter") => {
                meta.period_kind = Some("quarter".into());
                meta.period_year = year(&norm).or_else(|| later_year(&figs));
                meta.period_quarter = norm.rsplit('Q').next().and_then(|q| q.parse().ok());
            }
            Some("half") => {
                meta.period_kind = Some("half".into());
                meta.period_year = year(&norm).or_else(|| later_year(&figs));
            }
            Some("range") => {
                meta.period_kind = Some("range".into());
                let mut it = norm.split('/');
                meta.period_from = it.next().and_then(|y| y.parse().ok());
                meta.period_to = it.next().and_then(|y| y.parse().ok());
                meta.period_year = meta.period_to;
            }
            _ => {
                meta.period_kind = Some("year".into());
                meta.period_year = year(&norm);
            }
        }
        if meta.period_kind.as_deref() == Some("year") {
            meta.period_from = meta.period_year;
            meta.period_to = meta.period_year;
        }
        return;
    }
}

fn later_year(figs: &[crate::parse::figures::Found]) -> Option<i32> {
    figs.iter().filter(|f| f.value.unit.as_deref() == Some("year")).find_map(|f| f.value.value.map(|v| v as i32))
}

fn report_number(lines: &[&str]) -> Option<String> {
    for l in lines.iter().take(40) {
        if let Some(c) = REPORT_NUMBER.captures(l) {
            return Some(format!("{}/{}", c.get(1)?.as_str(), c.get(2)?.as_str()));
        }
    }
    lines.iter().find_map(|l| {
        let c = ATTACHED_TO.captures(l)?;
        Some(format!("{}/{}", c.get(1)?.as_str(), c.get(2)?.as_str()))
    })
}

/// The name under the first signer title ("CHỦ TỊCH", "CHÁNH VĂN PHÒNG").
fn signer(lines: &[&str]) -> Option<String> {
    let titles = &vocab().metadata.signer_titles;
    for (k, l) in lines.iter().enumerate() {
        let t = l.trim();
        if !titles.iter().any(|s| t == s) {
            continue;
        }
        for next in lines.iter().skip(k + 1).take(14) {
            let n = next.trim();
            if n.is_empty() || titles.iter().any(|s| n == s) || n.starts_with("KT.") || n.starts_with("TM.") {
                continue;
            }
            if looks_like_name(n) {
                return Some(n.to_string());
            }
            break;
        }
    }
    None
}

fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic))
        && !words.iter().all(|w| w.chars().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names() {
        assert_eq!(unit_at("phường Trương Quang Trọng, như sau"), Some(("phường Trương Quang Trọng".into(), "phường".into())));
        assert_eq!(unit_at("PHƯỜNG CẨM THÀNH"), Some(("phường Cẩm Thành".into(), "phường".into())));
        assert_eq!(unit_at("Phường 2, thị xã Quảng Trị"), Some(("phường 2".into(), "phường".into())));
        assert!(looks_like_name("Nguyễn Văn Hưng"));
        assert!(!looks_like_name("CHỦ TỊCH"));
    }
}
