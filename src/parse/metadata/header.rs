//! The issuing block (Nghị định 30/2020/NĐ-CP, Phụ lục I): top left, the
//! governing body (cơ quan chủ quản) over the issuing body (cơ quan ban
//! hành), beside the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
//! under them "Số: …/…" and "Địa danh, ngày … tháng … năm …".
//!
//! The block is read as a sequence of units: a central body ("BỘ NỘI VỤ"), a
//! council with its place ("ỦY BAN NHÂN DÂN" + "TỈNH CÀ MAU") or an agency
//! ("SỞ NỘI VỤ", "VĂN PHÒNG UBND TỈNH …"). The last unit issues; the one before
//! it is its parent and decides the level of an agency (under a province →
//! "sở").

use once_cell::sync::Lazy;
use regex::Regex;

use super::province;
use crate::vocab::vocab;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Central(usize),
    Council(usize),
    Agency(usize),
}

/// One body of the issuing block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unit {
    /// "tỉnh Cà Mau", "Sở Nội vụ", "Văn phòng Chính phủ".
    pub name: String,
    /// "UBND tỉnh Cà Mau", "Sở Nội vụ".
    pub issuer: String,
    /// Level of the unit itself (a council's place, a central body's level);
    /// None for an agency (its level comes from its place or parent).
    pub own_level: Option<String>,
    /// An agency's head word ("SỞ"), for agencies printed without parent.
    agency: Option<String>,
    /// Province named in the unit ("TỈNH CÀ MAU").
    pub province: Option<String>,
}

/// The issuing unit with its level and province, reading parents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Issuer {
    pub name: String,
    pub issuer: String,
    pub level: Option<String>,
    pub province: Option<String>,
}

static HEADS: Lazy<Vec<(Vec<String>, Head)>> = Lazy::new(|| {
    let m = &vocab().metadata;
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    let mut v: Vec<(Vec<String>, Head)> = Vec::new();
    v.extend(m.central_bodies.iter().enumerate().map(|(i, c)| (words(&c.word), Head::Central(i))));
    v.extend(m.councils.iter().enumerate().map(|(i, c)| (words(&c.word), Head::Council(i))));
    v.extend(m.agencies.iter().enumerate().map(|(i, a)| (words(a), Head::Agency(i))));
    v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    v
});

static NOISE: Lazy<Regex> = Lazy::new(|| Regex::new(r"\[bookmark:[^\]]*\]|-{3,}|_{3,}|\*+").expect("valid regex"));
static MOTTO: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?i)CỘNG\s+H[OÒ][ÀA]\s+XÃ\s+HỘI|Độc\s+lập\s*[-–]\s*Tự\s+do").expect("valid regex"));
static NUMBER_LINE: Lazy<Regex> = Lazy::new(|| Regex::new(r"^\s*Số\s*:?\s*[\d.]*\s*/").expect("valid regex"));
/// "Cà Mau, ngày" after the line start, a tab or a wide gap. The place is
/// at most [`PLACE_CHARS`] characters, a bound [`place_in`] applies: the
/// bounded repetition `{1,40}?` of a Unicode class in the regex itself
/// would cost more to compile than all the lines it reads.
static PLACE_DATE: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?:^|\t|\s{2,})\s*(\p{Lu}[\p{L}.\- ]+?)\s*,\s*ngày\b").expect("valid regex"));

/// Longest place: a capital and at most 40 more characters.
const PLACE_CHARS: usize = 41;

fn is_upper(s: &str) -> bool {
    crate::util::is_all_caps(s)
}

/// Left column of a two-column line: before a tab or a wide gap.
fn left_column(s: &str) -> &str {
    let cut = [s.find('\t'), s.find("   ")].into_iter().flatten().min();
    match cut {
        Some(c) if c > 0 => &s[..c],
        _ => s,
    }
}

/// The text of the issuing block, joined: "ỦY BAN NHÂN DÂN PHƯỜNG LONG ANH".
/// Anchored on the national motto (or the "Số:" line): the upper-case lines
/// above it (past the number line when the left block comes first), its own left part, and the left column of the lines below it
/// up to the number line. None when the document prints no header.
pub(crate) fn issuing_block(lines: &[&str]) -> Option<String> {
    let scan = lines.len().min(60);
    let anchor = (0..scan).find(|&k| MOTTO.is_match(lines[k])).or_else(|| (0..scan.min(20)).find(|&k| NUMBER_LINE.is_match(lines[k])))?;
    let clean = |s: &str| NOISE.replace_all(s, " ").split_whitespace().collect::<Vec<_>>().join(" ");
    let mut parts: Vec<String> = Vec::new();
    let mut k = anchor;
    while k > 0 && parts.len() < 5 {
        k -= 1;
        let t = clean(left_column(lines[k].trim()));
        // Read block by block (a PDF's left column before its right one),
        // the number line sits between the issuer and the motto.
        if t.is_empty() || NUMBER_LINE.is_match(&t) {
            continue;
        }
        if !is_upper(&t) {
            break;
        }
        parts.push(t);
    }
    parts.reverse();
    let own = lines[anchor];
    let left = MOTTO.find(own).map_or(own, |m| &own[..m.start()]);
    let left = clean(left);
    if is_upper(&left) {
        parts.push(left);
    }
    for l in lines.iter().skip(anchor + 1).take(6) {
        if NUMBER_LINE.is_match(l) {
            break;
        }
        let t = l.trim();
        let t = MOTTO.find(t).map_or(t, |m| &t[..m.start()]);
        let t = clean(left_column(t));
        if t.is_empty() {
            continue;
        }
        if !is_upper(&t) {
            break;
        }
        parts.push(t);
    }
    let block = parts.join(" ");
    (!block.is_empty()).then_some(block)
}

/// Words of `text` with surrounding punctuation trimmed (dots kept: "TP.").
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '“' | '”'))).filter(|w| !w.is_empty()).collect()
}

fn head_at(ws: &[&str], i: usize) -> Option<(Head, usize)> {
    HEADS.iter().find_map(|(hw, h)| {
        let n = hw.len();
        (i + n <= ws.len() && ws[i..i + n].iter().zip(hw).all(|(a, b)| a.to_lowercase() == *b)).then_some((*h, n))
    })
}

fn place_at(ws: &[&str], i: usize) -> Option<(String, usize)> {
    vocab().metadata.places.iter().find_map(|p| {
        let pw: Vec<String> = p.word.split_whitespace().map(str::to_lowercase).collect();
        let n = pw.len();
        (i + n <= ws.len() && ws[i..i + n].iter().zip(&pw).all(|(a, b)| a.to_lowercase() == *b)).then(|| (p.level.clone(), n))
    })
}

/// Name words from `i`: in an upper-case block up to the next head; in
/// running text only capitalised words or numbers ("Phường 2").
fn name_words(ws: &[&str], i: usize, upper: bool) -> usize {
    let mut j = i;
    while j < ws.len() && j - i < 8 {
        if head_at(ws, j).is_some() || place_at(ws, j).is_some() && j > i {
            break;
        }
        let first = ws[j].chars().next().unwrap_or(' ');
        if !upper && !first.is_uppercase() && !first.is_ascii_digit() {
            break;
        }
        if !first.is_alphanumeric() {
            break;
        }
        j += 1;
    }
    j - i
}

/// "CÀ MAU" → "Cà Mau".
pub(crate) fn title_case(s: &str) -> String {
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

/// "NỘI VỤ" → "Nội vụ" (agency names: first word capitalised).
fn sentence_case(ws: &[&str]) -> String {
    let s = ws.join(" ");
    if !is_upper(&s) {
        return s;
    }
    let lower = s.to_lowercase();
    let mut cs = lower.chars();
    cs.next().map(|f| f.to_uppercase().chain(cs).collect()).unwrap_or_default()
}

/// A place after a council or inside an agency name: level, display name
/// ("tỉnh Cà Mau"), province, words used.
fn place(ws: &[&str], i: usize, upper: bool) -> Option<(String, String, Option<String>, usize)> {
    let (mut level, n) = place_at(ws, i)?;
    let rest = ws[i + n..].join(" ");
    let prov = province::at_start(&rest);
    let m = match prov {
        Some((_, len)) => rest[..len].split_whitespace().count(),
        None => name_words(ws, i + n, upper),
    };
    let raw = ws[i + n..i + n + m].join(" ");
    let pword = ws[i..i + n].join(" ").to_lowercase();
    let pword = if pword.starts_with("tp") { "thành phố".to_string() } else { pword };
    let name = if m == 0 { pword.clone() } else { format!("{pword} {}", if is_upper(&raw) { title_case(&raw) } else { raw }) };
    let mut province = None;
    if let Some((p, _)) = prov {
        let central = vocab().metadata.central_cities.contains(&p.name);
        if level == "tỉnh" || level == "thành phố" && central {
            level = "tỉnh".into();
            province = Some(p.name.clone());
        }
    }
    Some((level, name, province, n + m))
}

/// Reads the units of an issuing block (or of "của Văn phòng UBND tỉnh An
/// Giang" in running text).
pub fn units(text: &str) -> Vec<Unit> {
    let upper = is_upper(text);
    let ws = words(text);
    let m = &vocab().metadata;
    let mut out: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let Some((head, n)) = head_at(&ws, i) else {
            i += 1;
            continue;
        };
        i += n;
        match head {
            Head::Central(c) => {
                let body = &m.central_bodies[c];
                let name = if body.word.split_whitespace().count() == 1 {
                    let k = name_words(&ws, i, upper);
                    let name = format!("{} {}", body.name, sentence_case(&ws[i..i + k]));
                    i += k;
                    name.trim().to_string()
                } else {
                    body.name.clone()
                };
                out.push(Unit { issuer: name.clone(), name, own_level: Some(body.level.clone()), ..Default::default() });
            }
            Head::Council(c) => {
                let short = &m.councils[c].short;
                let Some((level, name, province, used)) = place(&ws, i, upper) else {
                    continue;
                };
                i += used;
                out.push(Unit { issuer: format!("{short} {name}"), name, own_level: Some(level), agency: None, province });
            }
            Head::Agency(a) => {
                let head_word = sentence_case(&ws[i - n..i]);
                let start = i;
                // Words of the agency's own name, up to a council, a place or the next unit.
                while i < ws.len() && head_at(&ws, i).is_none() && place_at(&ws, i).is_none() && i - start < 12 {
                    if !upper && ws[i] != "và" && !ws[i].chars().next().is_some_and(char::is_uppercase) {
                        break;
                    }
                    i += 1;
                }
                let mut name = format!("{head_word} {}", sentence_case(&ws[start..i])).trim().to_string();
                let mut own_level = None;
                let mut province = None;
                // "VĂN PHÒNG UBND TỈNH X", "TRUNG TÂM … TỈNH X": the agency's own place.
                let council = match head_at(&ws, i) {
                    Some((Head::Council(c), cn)) => Some((m.councils[c].short.clone(), cn)),
                    _ => None,
                };
                let p_at = i + council.as_ref().map_or(0, |c| c.1);
                if council.is_some() || place_at(&ws, i).is_some() {
                    if let Some((level, pname, prov, used)) = place(&ws, p_at, upper) {
                        name = match &council {
                            Some((short, _)) => format!("{name} {short} {pname}"),
                            None => format!("{name} {pname}"),
                        };
                        own_level = Some(level);
                        province = prov;
                        i = p_at + used;
                    }
                }
                let unit = Unit { issuer: name.clone(), name, own_level: None, agency: Some(m.agencies[a].clone()), province };
                out.push(Unit { own_level: own_level.map(|l| child_level(&l)), ..unit });
            }
        }
    }
    out
}

fn child_level(parent: &str) -> String {
    vocab().metadata.child_levels.iter().find(|c| c.parent == parent).map_or(parent.to_string(), |c| c.child.clone())
}

/// The issuing unit: the last unit of the block; an agency takes its level
/// from its own place, else from its parent, else from its head word.
pub fn issuer(units: &[Unit]) -> Option<Issuer> {
    let last = units.last()?;
    let parent = units.len().checked_sub(2).and_then(|k| units.get(k));
    let level = match (&last.own_level, &last.agency) {
        (Some(l), _) => Some(l.clone()),
        (None, Some(head)) => parent
            .and_then(|p| p.own_level.as_deref())
            .map(child_level)
            .or_else(|| vocab().metadata.agency_levels.iter().find(|a| a.word == *head).map(|a| a.level.clone())),
        (None, None) => None,
    };
    let province = last.province.clone().or_else(|| parent.and_then(|p| p.province.clone()));
    Some(Issuer { name: last.name.clone(), issuer: last.issuer.clone(), level, province })
}

/// The place of "Cà Mau, ngày 24 tháng 11 năm 2025" in the first lines.
pub(crate) fn place_of_date(lines: &[&str]) -> Option<String> {
    lines.iter().take(40).filter(|l| has_comma_day(l)).find_map(|l| place_in(l).map(|p| p.trim().to_string()))
}

/// The place of the first match of
/// `(?:^|\t|\s{2,})\s*(\p{Lu}[\p{L}.\- ]{1,40}?)\s*,\s*ngày\b` in `line`.
/// `PLACE_DATE` finds, at the first capital that can start a place, its
/// shortest place; when that one is too long no place of at most
/// [`PLACE_CHARS`] starts there either, and the search goes on after the
/// capital (the spaces before a later place all stand after it).
fn place_in(line: &str) -> Option<&str> {
    let mut at = 0;
    while let Some(c) = PLACE_DATE.captures_at(line, at) {
        let place = c.get(1)?;
        if place.as_str().chars().count() <= PLACE_CHARS {
            return Some(place.as_str());
        }
        at = place.start() + place.as_str().chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Whether `line` holds "," + spaces + the word "ngày" (what `PLACE_DATE`
/// needs): the regex is slow on long body lines that cannot match.
fn has_comma_day(line: &str) -> bool {
    memchr::memmem::find_iter(line.as_bytes(), "ngày".as_bytes()).any(|k| line[..k].trim_end().ends_with(','))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(block: &str) -> Option<(String, Option<String>, Option<String>)> {
        issuer(&units(block)).map(|i| (i.issuer, i.level, i.province))
    }

    #[test]
    fn block_from_flattened_and_split_headers() {
        let flat = [
            "ỦY BAN NHÂN DÂN TỈNH CÀ MAU -------\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------",
            "Số: 0204/KH-UBND\tCà Mau, ngày 24 tháng 11 năm 2025",
        ];
        assert_eq!(issuing_block(&flat).as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH CÀ MAU"));
        let split = [
            "Tiếp cận pháp luạt.jpg",
            "",
            "ỦY BAN NHÂN DÂN",
            "PHƯỜNG",
            "LONG ANH",
            "",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "",
            "Số:      /BC-UBND",
        ];
        assert_eq!(issuing_block(&split).as_deref(), Some("ỦY BAN NHÂN DÂN PHƯỜNG LONG ANH"));
        let docx = ["\t[bookmark: _GoBack]ỦY BAN NHÂN DÂN", "PHƯỜNG CẨM THÀNH", "\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"];
        assert_eq!(issuing_block(&docx).as_deref(), Some("ỦY BAN NHÂN DÂN PHƯỜNG CẨM THÀNH"));
        let pdf = [
            "UBND TỈNH QUẢNG NGÃI        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "SỞ NỘI VỤ        Độc lập - Tự do - Hạnh phúc",
            "Số: 12/BC-SNV      Quảng Ngãi, ngày 3 tháng 4 năm 2025",
        ];
        assert_eq!(issuing_block(&pdf).as_deref(), Some("UBND TỈNH QUẢNG NGÃI SỞ NỘI VỤ"));
        // A PDF read column block by column block: the left block (issuer,
        // number) before the right one (motto, place and date).
        let blocks = [
            "ỦY BAN NHÂN DÂN",
            "PHƯỜNG TRƯƠNG QUANG TRỌNG",
            "Số: 40/BC-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Trương Quang Trọng, ngày 06 tháng 3 năm 2025",
        ];
        assert_eq!(issuing_block(&blocks).as_deref(), Some("ỦY BAN NHÂN DÂN PHƯỜNG TRƯƠNG QUANG TRỌNG"));
        assert_eq!(issuing_block(&["BÁO CÁO", "Kết quả"]), None);
    }

    #[test]
    fn levels_of_issuers() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(read("ỦY BAN NHÂN DÂN TỈNH CÀ MAU"), Some(("UBND tỉnh Cà Mau".into(), s("tỉnh"), s("Cà Mau"))));
        assert_eq!(read("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"), Some(("UBND thành phố Hồ Chí Minh".into(), s("tỉnh"), s("TP. Hồ Chí Minh"))));
        assert_eq!(read("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ").map(|r| r.1), Some(s("tỉnh")));
        assert_eq!(read("UBND TỈNH QUẢNG NAM UBND THÀNH PHỐ HỘI AN").map(|r| (r.1, r.2)), Some((s("thành phố"), s("Quảng Nam"))));
        assert_eq!(read("THỦ TƯỚNG CHÍNH PHỦ"), Some(("Thủ tướng Chính phủ".into(), s("trung ương"), None)));
        assert_eq!(read("VĂN PHÒNG CHÍNH PHỦ").map(|r| r.1), Some(s("bộ")));
        assert_eq!(read("BỘ NỘI VỤ"), Some(("Bộ Nội vụ".into(), s("bộ"), None)));
        assert_eq!(read("UBND TỈNH QUẢNG NGÃI SỞ NỘI VỤ"), Some(("Sở Nội vụ".into(), s("sở"), s("Quảng Ngãi"))));
        assert_eq!(read("UBND HUYỆN BÌNH SƠN PHÒNG NỘI VỤ").map(|r| r.1), Some(s("huyện")));
        assert_eq!(read("SỞ TƯ PHÁP").map(|r| r.1), Some(s("sở")));
        assert_eq!(read("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH BẾN TRE").map(|r| (r.1, r.2)), Some((s("sở"), s("Bến Tre"))));
        assert_eq!(read("ỦY BAN NHÂN DÂN PHƯỜNG LONG ANH"), Some(("UBND phường Long Anh".into(), s("phường"), None)));
        assert_eq!(read("ỦY BAN NHÂN DÂN XÃ YÊN KHƯƠNG").map(|r| r.1), Some(s("xã")));
        assert_eq!(read("UBND THỊ XÃ BẾN CÁT").map(|r| r.1), Some(s("thị xã")));
        assert_eq!(read("ỦY BAN NHÂN DÂN ĐẶC KHU PHÚ QUỐC").map(|r| r.1), Some(s("đặc khu")));
    }

    #[test]
    fn units_in_running_text() {
        let u = issuer(&units("Văn phòng UBND tỉnh An Giang")).expect("unit");
        assert_eq!((u.issuer.as_str(), u.level.as_deref(), u.province.as_deref()), ("Văn phòng UBND tỉnh An Giang", Some("sở"), Some("An Giang")));
        let u = issuer(&units("Văn phòng UBND tỉnh")).expect("unit");
        assert_eq!(u.level.as_deref(), Some("sở"));
    }

    #[test]
    fn place_and_date_line() {
        assert_eq!(place_of_date(&["Số: 0204/KH-UBND\tCà Mau, ngày 24 tháng 11 năm 2025"]).as_deref(), Some("Cà Mau"));
        assert_eq!(place_of_date(&["        Long Anh, ngày       tháng 01 năm 2024"]).as_deref(), Some("Long Anh"));
        assert_eq!(place_of_date(&["Số: 2843/QĐ-UBND\tThành phố Hồ Chí Minh, ngày 20 tháng 11 năm 2025"]).as_deref(), Some("Thành phố Hồ Chí Minh"));
    }

    #[test]
    fn place_in_matches_the_bounded_regex() {
        let bounded = Regex::new(r"(?:^|\t|\s{2,})\s*(\p{Lu}[\p{L}.\- ]{1,40}?)\s*,\s*ngày\b").expect("valid regex");
        let mut lines: Vec<String> = Vec::new();
        for dir in ["fixtures/text", "fixtures/realtexts/docs"] {
            let Ok(entries) = std::fs::read_dir(dir) else { panic!("{dir} missing") };
            for entry in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
                lines.extend(text.lines().map(str::to_string));
            }
        }
        let places = ["Cà Mau", "A", "Ab", "Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "Bà Rịa-Vũng Tàu", "Đắk Lắk"];
        let long =
            ["Ủy ban nhân dân thành phố có tên rất dài ở đây", "Abcdefghij abcdefghij abcdefghij abcdefghi", "Abcdefghij abcdefghij abcdefghij abcdefghij"];
        let lead =
            ["", "Số: 12/BC-UBND\t", "Số: 12/BC-UBND  ", "x ", "  ", "\t \t", "Số 1   Ủy ban nhân dân thành phố có tên rất dài ở đây Cà Mau", "\u{a0}\u{a0}"];
        let tail = [", ngày 3 tháng 4", " , ngày", ",ngày", ", ngàyx", ", ngày.", ",  ngày"];
        for l in lead {
            for p in places.iter().chain(&long) {
                for t in tail {
                    lines.push(format!("{l}{p}{t}"));
                    lines.push(format!("{l}{}   {p}{t}", long[0]));
                }
            }
        }
        for line in &lines {
            let want = bounded.captures(line).map(|c| c[1].to_string());
            assert_eq!(place_in(line).map(str::to_string), want, "{line}");
        }
    }
}
