use std::collections::HashSet;

use super::catalog::BUILTIN_TOML;
use super::*;

#[test]
fn builtin_catalog_parses_and_is_consistent() {
    let cat = Catalog::builtin();
    assert!(cat.indicators.len() > 150, "{}", cat.indicators.len());
    for ind in &cat.indicators {
        if ind.kind == IndicatorKind::Rate {
            assert_eq!(ind.unit, "%", "{}", ind.id);
        }
        assert!(ind.id.contains('.'), "{} not grouped", ind.id);
    }
    let r = cat.get("tthc.ho_so.dung_han_ty_le").unwrap();
    assert_eq!(r.numerator_parts(), vec!["tthc.ho_so.truoc_han", "tthc.ho_so.dung_han"]);
    assert_eq!(r.denominator_parts(), vec!["tthc.ho_so.giai_quyet"]);
}

#[test]
fn rules_do_not_protect_filler_words() {
    // A token named in requires/excludes/keywords is never dropped as
    // filler; make sure no rule names a filler word by accident.
    let raw: toml::Value = toml::from_str(BUILTIN_TOML).unwrap();
    let filler: HashSet<String> = raw["matching"]["filler"].as_array().unwrap().iter().filter_map(|v| v.as_str().map(|s| fold(s).trim().to_string())).collect();
    let cat = Catalog::builtin();
    let mut clash = Vec::new();
    for ind in &cat.indicators {
        for alt in ind.rule_words() {
            if filler.contains(alt) {
                clash.push(format!("{}: {alt}", ind.id));
            }
        }
    }
    assert!(clash.is_empty(), "rules naming filler words: {clash:?}");
}

/// The fold as first written: NFD of the whole text, marks dropped.
fn fold_by_nfd(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = if matches!(c, 'đ' | 'Đ') { 'd' } else { c };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else {
            out.push(' ');
        }
    }
    out
}

#[test]
fn fold_by_character_equals_fold_of_the_nfd_text() {
    let all: String = (0u32..0x3_0000).filter_map(char::from_u32).collect();
    assert_eq!(fold(&all), fold_by_nfd(&all));
    for s in ["Đúng HẠN, số hoá", "hoa\u{300}\u{323} x\u{301}\u{302}y", "\u{1100}\u{1161}\u{11A8} 각 İstanbul ǅ Ω K"] {
        assert_eq!(fold(s), fold_by_nfd(s), "{s}");
    }
}

#[test]
fn fold_strips_diacritics() {
    assert_eq!(fold("Đúng HẠN, số hoá").split_whitespace().collect::<Vec<_>>(), ["dung", "han", "so", "hoa"]);
    let cat = Catalog::builtin();
    assert_eq!(cat.tokens("Tỷ lệ số hóa hồ sơ"), ["tyle", "sohoa", "hoso"]);
}

fn m(label: &str) -> Option<String> {
    Catalog::builtin().match_label(label).map(|m| m.id)
}

#[test]
fn matches_are_diacritic_case_and_order_insensitive() {
    let a = m("Tỷ lệ hồ sơ giải quyết đúng hạn");
    assert_eq!(a.as_deref(), Some("tthc.ho_so.dung_han_ty_le"));
    assert_eq!(m("TY LE HO SO GIAI QUYET DUNG HAN"), a);
    assert_eq!(m("tỷ lệ hồ sơ đúng hạn được giải quyết"), a);
    assert_eq!(m("Tổng số biên chế có mặt").as_deref(), Some("to_chuc.bien_che.co_mat"));
    assert_eq!(m("biên chế được giao").as_deref(), Some("to_chuc.bien_che.giao"));
}

#[test]
fn unrelated_text_is_not_forced() {
    assert_eq!(m("Diện tích bố trí sảnh chờ"), None);
    assert_eq!(m("Đường truyền hay bị nghẽn"), None);
    assert_eq!(m(""), None);
}

#[test]
fn figure_kind_picks_rate_or_count() {
    let cat = Catalog::builtin();
    let r = cat.match_with("hồ sơ giải quyết trước hạn", "", KindHint::Rate, false).map(|m| m.id);
    assert_eq!(r.as_deref(), Some("tthc.ho_so.truoc_han_ty_le"));
    let c = cat.match_with("hồ sơ giải quyết trước hạn", "", KindHint::Count, false).map(|m| m.id);
    assert_eq!(c.as_deref(), Some("tthc.ho_so.truoc_han"));
}
