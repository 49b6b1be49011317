//! The signer: the name under the signature block ("KT. CHỦ TỊCH / PHÓ CHỦ
//! TỊCH / (Đã ký) / Nguyễn Văn A", "THỦ TƯỚNG Phạm Minh Chính", "KT. BỘ
//! TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Trịnh Mạnh Linh"). The block is upper
//! case, starts with an authority prefix (KT., TM., TL., TUQ., Q.) or a
//! title and ends with a title; the name follows on the same line or a few
//! lines below.

use once_cell::sync::Lazy;

use crate::vocab::{ends_with_word, first_char_key, starts_with_word, vocab};

/// First characters (as [`first_char_key`]) of the signer prefixes and titles.
static FIRST_KEYS: Lazy<Vec<char>> = Lazy::new(|| {
    let m = &vocab().metadata;
    let mut keys: Vec<char> = m.signer_prefixes.iter().chain(&m.signer_titles).filter_map(|w| w.chars().next()).map(first_char_key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
});

/// Whether a signature block can start with `c`: the first word of a block
/// is upper case (no lower-case letter) and starts like a prefix or title.
/// A cheap test that skips most word starts of body text.
fn may_start_block(c: char) -> bool {
    // The usual word start, without a Unicode table lookup.
    if c.is_ascii_lowercase() {
        return false;
    }
    (c.is_uppercase() || !c.is_alphabetic()) && FIRST_KEYS.binary_search(&first_char_key(c)).is_ok()
}

/// The titles as they stand in a block: every letter of a block is a
/// capital (see [`is_upper_word`]) and a block ends with a title, so a line
/// holding none of these strings holds no block.
static TITLES_IN_CAPITALS: Lazy<aho_corasick::AhoCorasick> = Lazy::new(|| {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(vocab().metadata.signer_titles.iter().map(|t| t.to_uppercase()))
        .expect("signer titles build an automaton")
});

/// Two ASCII capitals in a row ("CH", "TR", "NG"): every title in capitals
/// has them (tested), body text seldom does. Cheaper than the title search,
/// so most lines are skipped with one pass over their bytes.
/// Read eight bytes at a time (the test runs on every line of a document).
fn has_capital_pair(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    // Whether the last byte of the previous chunk was a capital.
    let mut carry = false;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let m = capital_mask(u64::from_le_bytes(word));
        if m & (m >> 8) != 0 || carry && m & 0x80 != 0 {
            return true;
        }
        carry = m >> 63 != 0;
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    let m = capital_mask(u64::from_le_bytes(tail));
    m & (m >> 8) != 0 || carry && m & 0x80 != 0
}

/// The high bit of every byte of `x` that is an ASCII capital, no other bit
/// (no carry crosses a byte: each sum stays under 0x100).
fn capital_mask(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let low7 = x & !HIGH;
    let at_least_a = (low7 + ONES * u64::from(0x80 - b'A')) & HIGH;
    let above_z = (low7 + ONES * u64::from(0x80 - b'Z' - 1)) & HIGH;
    !x & HIGH & at_least_a & !above_z
}

/// Whether an ASCII capital stands right before an upper-case non-ASCII
/// letter ("HỦ", "TỊ", "IÁ"): every title in capitals has one (tested), while
/// the acronyms of body text ("UBND", "TTHC") that pass [`has_capital_pair`]
/// do not. Cheaper than the title search.
fn has_capital_before_accented_capital(line: &str) -> bool {
    let bytes = line.as_bytes();
    (1..bytes.len())
        .any(|k| bytes[k] >= 0xC0 && bytes[k - 1].is_ascii_uppercase() && line.get(k..).and_then(|s| s.chars().next()).is_some_and(char::is_uppercase))
}

/// Whether `line` can hold a signature block (its title, in capitals).
fn may_hold_block(line: &str) -> bool {
    has_capital_pair(line) && has_capital_before_accented_capital(line) && TITLES_IN_CAPITALS.is_match(line)
}

fn is_upper_word(w: &str) -> bool {
    crate::util::letter_case(w).0 == 0 || crate::util::is_all_caps(w)
}

/// A personal name: 2–5 capitalised words of letters, not all upper case.
pub(crate) fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic))
        && !words.iter().all(|w| w.chars().all(char::is_uppercase))
}

/// A name printed in capitals on its own line under the titles
/// ("NGUYỄN VĂN A"): 2–5 words of letters without a title or body name
/// of the block in them.
fn upper_name(s: &str) -> bool {
    let m = &vocab().metadata;
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| w.chars().all(|c| c.is_alphabetic() && c.is_uppercase()))
        && !m.signer_titles.iter().any(|t| s.contains(t.as_str()))
        && !m.councils.iter().any(|c| s.contains(c.word.as_str()))
        && !m.central_bodies.iter().any(|c| c.word.contains(' ') && s.contains(c.word.as_str()))
}

/// Text after a signature block that starts `seg`: Some("") when the block
/// ends the segment, Some(name…) when text follows it, None when `seg`
/// does not start with a signature block.
fn after_block(seg: &str) -> Option<&str> {
    let m = &vocab().metadata;
    let starts = m.signer_prefixes.iter().chain(&m.signer_titles).any(|w| starts_with_word(seg, w).is_some());
    if !starts {
        return None;
    }
    // The upper-case run.
    let mut end = 0;
    for (i, w) in seg.split_whitespace().map(|w| (w.as_ptr() as usize - seg.as_ptr() as usize, w)) {
        if !is_upper_word(w) {
            break;
        }
        end = i + w.len();
    }
    let block = seg[..end].trim_end_matches([',', ':', ';']);
    m.signer_titles.iter().find(|t| ends_with_word(block, t).is_some())?;
    Some(seg[end..].trim())
}

/// The first signature block followed by a name.
pub fn signer(lines: &[&str]) -> Option<String> {
    let m = &vocab().metadata;
    for (k, l) in lines.iter().enumerate() {
        if !may_hold_block(l) {
            continue;
        }
        for seg in l.split('\t') {
            let seg = seg.trim();
            // The block may follow other text on the line ("… Lưu: VT. KT. CHỦ TỊCH …").
            // A block's first word is upper case (else its upper-case run is empty).
            // Candidate starts: the start of the segment and every character after a space or a dot.
            let after_space_or_dot = seg.bytes().enumerate().filter(|(_, b)| matches!(b, b' ' | b'.')).map(|(k, _)| k + 1);
            let starts = std::iter::once(0).chain(after_space_or_dot).filter_map(|i| seg[i..].chars().next().map(|c| (i, c))).filter(|(i, c)| {
                may_start_block(*c) && seg[*i..].split_whitespace().next().is_some_and(|w| w.chars().all(|ch| !ch.is_alphabetic() || ch.is_uppercase()))
            });
            let Some(rest) = starts.filter_map(|(i, _)| after_block(&seg[i..])).next() else {
                continue;
            };
            if !rest.is_empty() {
                if looks_like_name(rest) {
                    return Some(rest.to_string());
                }
                continue;
            }
            for next in lines.iter().skip(k + 1).take(16) {
                let segs: Vec<&str> = next.split('\t').map(str::trim).filter(|s| !s.is_empty()).collect();
                if let Some(name) = segs.iter().find(|s| looks_like_name(s)) {
                    return Some(name.to_string());
                }
                if let Some(name) = segs.iter().find(|s| upper_name(s)) {
                    return Some(crate::parse::metadata::header::title_case(name));
                }
                let filler = |s: &&str| {
                    is_upper_word(s) || s.starts_with('-') || s.starts_with("Nơi nhận") || m.signature_fillers.iter().any(|f| s.eq_ignore_ascii_case(f))
                };
                if !segs.iter().all(filler) {
                    break;
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_on_one_line() {
        assert_eq!(signer(&["THỦ TƯỚNG Phạm Minh Chính"]).as_deref(), Some("Phạm Minh Chính"));
        assert_eq!(signer(&["KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Trịnh Mạnh Linh"]).as_deref(), Some("Trịnh Mạnh Linh"));
        assert_eq!(signer(&["TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Ngọc Điệp"]).as_deref(), Some("Nguyễn Thị Ngọc Điệp"));
        assert_eq!(signer(&["KT. BỘ TRƯỞNG THỨ TRƯỞNG Vũ Chiến Thắng"]).as_deref(), Some("Vũ Chiến Thắng"));
        assert_eq!(
            signer(&["Nơi nhận: - Như Điều 4; - Lưu: VT, (KSTT/N).\tKT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Mạnh Cường"]).as_deref(),
            Some("Nguyễn Mạnh Cường")
        );
    }

    #[test]
    fn blocks_over_lines() {
        assert_eq!(signer(&["    CHỦ TỊCH ", "     ", "", "    Nguyễn Văn Hưng "]).as_deref(), Some("Nguyễn Văn Hưng"));
        assert_eq!(signer(&["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)", "Lê Văn Bình"]).as_deref(), Some("Lê Văn Bình"));
        assert_eq!(signer(&["Nơi nhận:\tKT. GIÁM ĐỐC", "- Như trên;\tPHÓ GIÁM ĐỐC", "- Lưu: VT.", "\tTrần Thị Hoa"]).as_deref(), Some("Trần Thị Hoa"));
    }

    #[test]
    fn names_in_capitals() {
        assert_eq!(signer(&["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "TRẦN VĂN NAM"]).as_deref(), Some("Trần Văn Nam"));
        assert_eq!(signer(&["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "ỦY BAN NHÂN DÂN TỈNH"]), None);
    }

    #[test]
    fn capital_pairs_read_by_words() {
        let naive = |s: &str| s.as_bytes().windows(2).any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase());
        let texts = [
            "",
            "A",
            "AB",
            "aB",
            "abcdefgH",
            "abcdefgHI",
            "abcdefGHi",
            "ab@[Z`zA",
            "Ủy ban nhân dân tỉnh Quảng Ngãi",
            "Kế hoạch số 12/KH-UBND",
            "Phó Chủ tịch",
            "\u{c0}\u{c1}",
            "x\u{7f}Z\u{5b}A\u{40}B",
        ];
        for t in texts {
            assert_eq!(has_capital_pair(t), naive(t), "{t:?}");
            for k in 1..t.len().min(9) {
                if let Some(s) = t.get(k..) {
                    assert_eq!(has_capital_pair(s), naive(s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn every_title_has_a_capital_pair() {
        for t in &vocab().metadata.signer_titles {
            assert!(has_capital_pair(&t.to_uppercase()), "{t}: the line filter would skip its blocks");
        }
    }

    #[test]
    fn every_title_has_a_capital_before_an_accented_capital() {
        for t in &vocab().metadata.signer_titles {
            assert!(has_capital_before_accented_capital(&t.to_uppercase()), "{t}: the line filter would skip its blocks");
        }
        assert!(!has_capital_before_accented_capital("Kế hoạch số 12/KH-UBND về TTHC"));
    }

    #[test]
    fn not_signature_blocks() {
        assert_eq!(signer(&["CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "", "Căn cứ Luật Tổ chức chính quyền địa phương"]), None);
        assert_eq!(signer(&["BỘ TRƯỞNG BỘ NỘI VỤ", "Căn cứ Nghị định số 25/2025/NĐ-CP"]), None);
        assert_eq!(signer(&["THỦ TƯỚNG CHÍNH PHỦ điện:"]), None);
        assert!(!looks_like_name("CHỦ TỊCH"));
        assert!(looks_like_name("Nguyễn Văn Hưng"));
    }
}
