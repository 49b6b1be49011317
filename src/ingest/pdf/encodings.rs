//! Simple-font encodings: the base encodings (WinAnsi, MacRoman, Standard)
//! and glyph names → Unicode (Adobe Glyph List subset, `uniXXXX`, `uXXXX`).

use super::glyph_names::GLYPH_NAMES;

/// The predefined single-byte encodings a simple font can start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseEncoding {
    WinAnsi,
    MacRoman,
    Standard,
}

impl BaseEncoding {
    /// From an /Encoding or /BaseEncoding name.
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// Unicode of a byte code in this encoding.
    pub fn decode(self, code: u8) -> Option<char> {
        match self {
            BaseEncoding::WinAnsi => win_ansi(code),
            BaseEncoding::MacRoman => mac_roman(code),
            BaseEncoding::Standard => standard(code),
        }
    }

    /// A 256-entry table of this encoding.
    pub fn table(self) -> Vec<Option<String>> {
        (0..=255u8).map(|c| self.decode(c).map(String::from)).collect()
    }
}

/// Windows-1252 high half (0x80–0x9F); other printable bytes are Latin-1.
const CP1252_80: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š',
    '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn win_ansi(code: u8) -> Option<char> {
    match code {
        0x20..=0x7e | 0xa0..=0xff => Some(code as char),
        0x80..=0x9f => Some(CP1252_80[(code - 0x80) as usize]),
        _ => None,
    }
}

/// Mac OS Roman high half (0x80–0xFF).
const MAC_ROMAN_80: &str =
    "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{F8FF}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

fn mac_roman(code: u8) -> Option<char> {
    match code {
        0x20..=0x7e => Some(code as char),
        0x80..=0xff => MAC_ROMAN_80.chars().nth((code - 0x80) as usize),
        _ => None,
    }
}

/// Adobe StandardEncoding: ASCII with curly quotes, plus a sparse high half.
fn standard(code: u8) -> Option<char> {
    const HIGH: &[(u8, char)] = &[
        (0xa1, '¡'),
        (0xa2, '¢'),
        (0xa3, '£'),
        (0xa4, '⁄'),
        (0xa5, '¥'),
        (0xa6, 'ƒ'),
        (0xa7, '§'),
        (0xa8, '¤'),
        (0xa9, '\''),
        (0xaa, '“'),
        (0xab, '«'),
        (0xac, '‹'),
        (0xad, '›'),
        (0xae, 'ﬁ'),
        (0xaf, 'ﬂ'),
        (0xb1, '–'),
        (0xb2, '†'),
        (0xb3, '‡'),
        (0xb4, '·'),
        (0xb6, '¶'),
        (0xb7, '•'),
        (0xb8, '‚'),
        (0xb9, '„'),
        (0xba, '”'),
        (0xbb, '»'),
        (0xbc, '…'),
        (0xbd, '‰'),
        (0xbf, '¿'),
        (0xc1, '`'),
        (0xc2, '´'),
        (0xc3, 'ˆ'),
        (0xc4, '˜'),
        (0xc5, '¯'),
        (0xc6, '˘'),
        (0xc7, '˙'),
        (0xc8, '¨'),
        (0xca, '˚'),
        (0xcb, '¸'),
        (0xcd, '˝'),
        (0xce, '˛'),
        (0xcf, 'ˇ'),
        (0xd0, '—'),
        (0xe1, 'Æ'),
        (0xe3, 'ª'),
        (0xe8, 'Ł'),
        (0xe9, 'Ø'),
        (0xea, 'Œ'),
        (0xeb, 'º'),
        (0xf1, 'æ'),
        (0xf5, 'ı'),
        (0xf8, 'ł'),
        (0xf9, 'ø'),
        (0xfa, 'œ'),
        (0xfb, 'ß'),
    ];
    match code {
        0x27 => Some('’'),
        0x60 => Some('‘'),
        0x20..=0x7e => Some(code as char),
        _ => HIGH.iter().find(|(c, _)| *c == code).map(|(_, ch)| *ch),
    }
}

/// Unicode text of a glyph name: AGL names, `uniXXXX[XXXX…]`, `uXXXX[XX]`,
/// with a `.suffix` (e.g. `a.sc`) or `_` ligature parts handled.
pub(crate) fn glyph_name_to_unicode(name: &str) -> Option<String> {
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if base.contains('_') {
        let parts: Option<String> = base.split('_').map(glyph_name_to_unicode).collect();
        return parts;
    }
    if let Ok(i) = GLYPH_NAMES.binary_search_by(|(n, _)| n.as_bytes().cmp(base.as_bytes())) {
        return Some(GLYPH_NAMES[i].1.to_string());
    }
    uni_name(base).or_else(|| u_name(base))
}

/// `uni1EA1` or `uni00410301` (groups of 4 hex digits).
fn uni_name(name: &str) -> Option<String> {
    let hex = name.strip_prefix("uni")?;
    if hex.is_empty() || hex.len() % 4 != 0 {
        return None;
    }
    (0..hex.len() / 4).map(|k| u32::from_str_radix(hex.get(4 * k..4 * k + 4)?, 16).ok().and_then(char::from_u32)).collect()
}

/// `u1EA1` … `u10FFFF` (4 to 6 hex digits).
fn u_name(name: &str) -> Option<String> {
    let hex = name.strip_prefix('u')?;
    if !(4..=6).contains(&hex.len()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_to_unicode("ohorn").as_deref(), Some("ơ"));
        assert_eq!(glyph_name_to_unicode("dcroat").as_deref(), Some("đ"));
        assert_eq!(glyph_name_to_unicode("uni1EA1").as_deref(), Some("ạ"));
        assert_eq!(glyph_name_to_unicode("u1EF9").as_deref(), Some("ỹ"));
        assert_eq!(glyph_name_to_unicode("a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_name_to_unicode("f_i").as_deref(), Some("fi"));
        assert_eq!(glyph_name_to_unicode("hookabovecomb").as_deref(), Some("\u{309}"));
        assert_eq!(glyph_name_to_unicode("g123"), None);
    }

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::WinAnsi.decode(0x96), Some('–'));
        assert_eq!(BaseEncoding::WinAnsi.decode(0xe0), Some('à'));
        assert_eq!(BaseEncoding::MacRoman.decode(0x8e), Some('é'));
        assert_eq!(BaseEncoding::Standard.decode(0x27), Some('’'));
    }
}

#[cfg(test)]
mod table_tests {
    #[test]
    fn mac_roman_table_is_complete() {
        assert_eq!(super::MAC_ROMAN_80.chars().count(), 128);
    }
}
