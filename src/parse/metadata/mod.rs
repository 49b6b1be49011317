//! Document metadata: type, unit, province, period, number, signer, title,
//! read from the header of the Nghị định 30/2020/NĐ-CP layout (issuing block
//! top left, "Số: …/…", "Địa danh, ngày …", centred type and title,
//! signature block). Vocabulary (document types, issuers, levels, provinces
//! with the 2025 merger, signer titles) lives in `schemas/vocab.toml`.

pub mod doctype;
pub mod header;
pub mod period;
pub mod province;
pub mod signer;

use crate::layout::Layout;
use crate::model::DocMeta;
use crate::parse::figures::{long_date, reference_parts};
use crate::vocab::{starts_with_word, vocab};

/// Extracts metadata from the laid-out document.
pub fn extract(lay: &Layout) -> DocMeta {
    let lines: Vec<&str> = lay.lines.iter().map(|l| l.text.as_str()).collect();
    let mut meta = DocMeta::default();
    let heading = doctype::heading(&lines);
    meta.title = heading.as_ref().and_then(|(k, _)| doctype::title_after(&lines, *k));
    let (own_number, attached) = report_number(&lines);
    meta.report_number = own_number.clone().or_else(|| attached.as_ref().map(|a| a.0.clone()));
    meta.doc_type = heading.map(|(_, t)| t).or_else(|| own_number.as_deref().and_then(doctype::type_of_number));
    if meta.doc_type.is_none() {
        // A page reprinting a document without its heading: its first line is the title.
        if let Some((t, title)) = doctype::type_of_title_words(&lines) {
            meta.doc_type = Some(t);
            meta.title = meta.title.take().or(Some(title));
        }
    }

    // Issuer: the issuing block, else the body named in the attached-to line
    // ("(Kèm theo Công văn số … của Văn phòng UBND tỉnh An Giang)"), else the
    // title ("… của UBND phường Cẩm Thành").
    let block = header::issuing_block(&lines);
    let from_block = block.as_deref().map(header::units).and_then(|u| header::issuer(&u));
    let from_attached = || {
        let tail = attached.as_ref()?.1.as_str();
        let p = tail.find("của ")?;
        let of = tail[p + "của ".len()..].split([')', ';']).next()?;
        header::issuer(&header::units(of))
    };
    if let Some(iss) = from_block.or_else(from_attached) {
        meta.unit_name = Some(iss.name);
        meta.unit_level = iss.level;
        meta.issuer = Some(iss.issuer);
        meta.province = iss.province;
    } else {
        let (unit, level, issuer) = unit(&lines, meta.title.as_deref().unwrap_or(""));
        meta.unit_name = unit;
        meta.unit_level = level;
        meta.issuer = issuer;
    }
    let central = meta.unit_level.as_deref().is_some_and(|l| vocab().metadata.central_levels.iter().any(|c| c == l));
    if meta.province.is_none() && !central {
        meta.province = header::place_of_date(&lines).and_then(|p| province::lookup(&p).map(|p| p.name.clone())).or_else(|| province::from_body(&lines));
    }
    meta.province_canonical = meta.province.as_deref().and_then(province::canonical);

    meta.doc_date = lines.iter().find_map(|l| place_date(l));
    period(lay, &mut meta);
    meta.signer = signer::signer(&lines);
    meta
}

/// Period from the title; for reports (or an unknown type) also from the
/// closing "Trên đây là báo cáo …" or the first paragraphs.
fn period(lay: &Layout, meta: &mut DocMeta) {
    let title = meta.title.clone().unwrap_or_default();
    let retro = period::retrospective(meta.doc_type.as_deref(), &title);
    let report_like = meta.doc_type.is_none() || retro;
    let mut texts = vec![title.clone()];
    if report_like {
        texts.extend(lay.paras.iter().rev().find(|p| p.text.starts_with("Trên đây")).map(|p| p.text.clone()));
        texts.push(lay.paras.iter().skip(1).take(4).map(|p| p.text.clone()).collect::<Vec<_>>().join(" "));
    }
    let Some(p) = texts.iter().find_map(|t| period::find(t)) else {
        return;
    };
    let doc_year = meta.doc_date.as_deref().and_then(|d| d.rsplit('/').next()).and_then(|y| y.parse().ok());
    meta.period_year = if p.kind == "range" && p.from.is_some() { period::range_year(&p, doc_year, retro) } else { p.year };
    meta.period_kind = Some(p.kind);
    meta.period_quarter = p.quarter;
    meta.period_month = p.month;
    meta.period_from = p.from;
    meta.period_to = p.to;
}

/// The document's own number ("Số: 12/BC-UBND"; a blank draft number is
/// none), and the number and rest of an attached-to line ("(Kèm theo Công
/// văn số 3032/VPUBND-TH ngày … của …)").
fn report_number(lines: &[&str]) -> (Option<String>, Option<(String, String)>) {
    let own = lines.iter().take(40).find_map(|l| own_number(l));
    let attached = lines.iter().find_map(|l| attached_to(l));
    (own, attached)
}

/// "Số: 12/BC-UBND", "Số 40 /BC-UBND" at the start of a line (the figure
/// grammar's reference); "Số:      /BC-UBND" (a draft) has none.
fn own_number(line: &str) -> Option<String> {
    let t = line.trim_start();
    let n = starts_with_word(t, &vocab().metadata.number_word)?;
    let rest = t[n..].trim_start_matches(':').trim_start();
    let (_, r) = reference_parts(rest).ok()?;
    Some(r.normalized())
}

/// "(Kèm theo Công văn số 3032/VPUBND-TH ngày … của …)": the number of the
/// document this one is attached to, and the rest of the line.
fn attached_to(line: &str) -> Option<(String, String)> {
    let v = &vocab().metadata;
    let t = line.trim_start().strip_prefix('(')?.trim_start();
    let n = v.attached_words.iter().find_map(|w| starts_with_word(t, w))?;
    let t = t[n..].trim_start();
    let n = v.doc_types.iter().find_map(|d| starts_with_word(t, &d.word))?;
    let mut t = t[n..].trim_start();
    if let Some(n) = starts_with_word(t, &v.number_word) {
        t = t[n..].trim_start_matches(':').trim_start();
    }
    let (rest, r) = reference_parts(t).ok()?;
    Some((r.normalized(), rest.to_string()))
}

/// "Cà Mau, ngày 06 tháng 3 năm 2025" → "06/03/2025".
fn place_date(line: &str) -> Option<String> {
    let day = &vocab().figures.date_words.day;
    line.match_indices(',').find_map(|(k, _)| {
        let rest = line[k + 1..].trim_start();
        let n = starts_with_word(rest, day)?;
        let (_, d) = long_date(rest[n..].trim_start()).ok()?;
        Some(format!("{:02}/{:02}/{}", d.day, d.month, d.year?))
    })
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
    let name = if crate::util::letter_case(&name).0 == 0 || crate::util::is_all_caps(&name) { header::title_case(&name) } else { name };
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

/// Unit, level and issuer of a document without an issuing block: an
/// agency in the title (its level read as in a block: "Văn phòng UBND
/// tỉnh" → "sở"), then the title's "… phường X", then "UBND …" in the text.
fn unit(lines: &[&str], title: &str) -> (Option<String>, Option<String>, Option<String>) {
    for a in &vocab().metadata.agency_prefixes {
        if let Some(p) = title.find(a.as_str()) {
            let rest = &title[p..];
            let name: String = if a.starts_with("Văn phòng") { a.clone() } else { rest.split([',', '(', ';']).next().unwrap_or(rest).trim().to_string() };
            let level = header::issuer(&header::units(&name)).and_then(|i| i.level);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names() {
        assert_eq!(unit_at("phường Trương Quang Trọng, như sau"), Some(("phường Trương Quang Trọng".into(), "phường".into())));
        assert_eq!(unit_at("PHƯỜNG CẨM THÀNH"), Some(("phường Cẩm Thành".into(), "phường".into())));
        assert_eq!(unit_at("Phường 2, thị xã Quảng Trị"), Some(("phường 2".into(), "phường".into())));
    }
}
