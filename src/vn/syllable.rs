//! Vietnamese syllable-validity scoring.
//!
//! A Vietnamese syllable is `onset? + rime + tone?`, where the rime is a vowel nucleus
//! (optionally with a medial `o`/`u` glide) followed by an optional coda. The scorer
//! checks every alphabetic token of a text against that structure and reports the
//! fraction that is valid. It is the signal used by the encoding detector: text decoded
//! with the wrong legacy table produces impossible syllables ("Vieät", "c«ng").
//!
//! Both precomposed (NFC) and decomposed (NFD / windows-1258 / VNI style base letter +
//! combining mark) input is understood, and both the modern (`hòa`) and the old (`hoà`)
//! tone placements are accepted: tone *position* is never checked, only that there is at
//! most one tone and that stop-final rimes (-c, -ch, -p, -t) carry only sắc or nặng.
//!
//! The hot path does not allocate: each token is folded into a fixed 8-symbol buffer.

use std::sync::OnceLock;

/// Counts behind [`syllable_score`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyllableStats {
    /// Tokens that were checked (alphabetic, not an abbreviation, no digits).
    pub counted: u32,
    /// Counted tokens that are valid Vietnamese syllables.
    pub valid: u32,
    /// Counted tokens that carry a Vietnamese mark: a tone, or ă â ê ô ơ ư đ.
    pub marked: u32,
}

impl SyllableStats {
    /// `valid / counted`, or 0.0 when nothing was counted.
    pub fn score(&self) -> f32 {
        if self.counted == 0 {
            0.0
        } else {
            self.valid as f32 / self.counted as f32
        }
    }
}

/// Fraction (0..=1) of the counted alphabetic tokens in `text` that are valid Vietnamese
/// syllables. All-uppercase tokens of at most 6 letters (UBND, TTHC, HĐND, QĐ …) and tokens
/// containing digits are ignored. Returns 0.0 when no token was counted.
pub(crate) fn syllable_score(text: &str) -> f32 {
    syllable_stats(text).score()
}

/// Like [`syllable_score`] but returns the raw counts (useful to weigh short texts).
pub(crate) fn syllable_stats(text: &str) -> SyllableStats {
    let mut stats = SyllableStats::default();
    let mut token = TokenState::default();
    for c in text.chars() {
        match classify(c) {
            CharClass::Separator => token.finish(&mut stats),
            class => token.push(c, class),
        }
    }
    token.finish(&mut stats);
    stats
}

/// True when `word` (one token, any case, NFC or NFD) is a valid Vietnamese syllable.
pub(crate) fn is_valid_syllable(word: &str) -> bool {
    let mut token = TokenState::default();
    for c in word.chars() {
        match classify(c) {
            CharClass::Separator => return false,
            class => token.push(c, class),
        }
    }
    !token.has_digit && token.is_valid()
}

// ---------------------------------------------------------------------------------------
// Letter symbols
// ---------------------------------------------------------------------------------------

/// Lowercase tone-less letters are coded as bytes: ASCII letters as themselves and the
/// modified vowels / đ as these uppercase ASCII codes (so rimes fit in plain byte strings).
const SYM_A_BREVE: u8 = b'A'; // ă
const SYM_A_CIRC: u8 = b'B'; // â
const SYM_E_CIRC: u8 = b'E'; // ê
const SYM_O_CIRC: u8 = b'O'; // ô
const SYM_O_HORN: u8 = b'P'; // ơ
const SYM_U_HORN: u8 = b'U'; // ư
const SYM_D_STROKE: u8 = b'D'; // đ

/// Tones: 0 none (ngang), 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
const TONE_SAC: u8 = 1;
const TONE_NANG: u8 = 5;

/// Maximum letters in a Vietnamese syllable ("nghiêng" has 7).
const MAX_LEN: usize = 8;

fn symbol_of(c: char) -> u8 {
    match c {
        'ă' => SYM_A_BREVE,
        'â' => SYM_A_CIRC,
        'ê' => SYM_E_CIRC,
        'ô' => SYM_O_CIRC,
        'ơ' => SYM_O_HORN,
        'ư' => SYM_U_HORN,
        'đ' => SYM_D_STROKE,
        c if c.is_ascii_lowercase() => c as u8,
        _ => 0,
    }
}

fn is_vowel_symbol(s: u8) -> bool {
    matches!(s, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | SYM_A_BREVE | SYM_A_CIRC | SYM_E_CIRC | SYM_O_CIRC | SYM_O_HORN | SYM_U_HORN)
}

/// Analysis of one precomposed letter: symbol, tone, uppercase.
#[derive(Clone, Copy, Default)]
struct LetterInfo {
    symbol: u8,
    tone: u8,
    upper: bool,
}

/// Direct-indexed lookup for the two Unicode blocks that hold Vietnamese letters.
struct LetterTable {
    latin: Vec<LetterInfo>, // U+00C0 ..= U+01B0
    viet: Vec<LetterInfo>,  // U+1EA0 ..= U+1EF9
}

const LATIN_START: u32 = 0x00C0;
const LATIN_END: u32 = 0x01B0;
const VIET_START: u32 = 0x1EA0;
const VIET_END: u32 = 0x1EF9;

fn letter_table() -> &'static LetterTable {
    static TABLE: OnceLock<LetterTable> = OnceLock::new();
    TABLE.get_or_init(build_letter_table)
}

/// Each row: the untoned lowercase letter followed by its five toned forms
/// (sắc, huyền, hỏi, ngã, nặng).
const TONE_ROWS: [&str; 12] = ["aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị", "oóòỏõọ", "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ"];

fn build_letter_table() -> LetterTable {
    let mut table = LetterTable {
        latin: vec![LetterInfo::default(); (LATIN_END - LATIN_START + 1) as usize],
        viet: vec![LetterInfo::default(); (VIET_END - VIET_START + 1) as usize],
    };
    let mut insert = |c: char, info: LetterInfo| {
        let cp = c as u32;
        if (LATIN_START..=LATIN_END).contains(&cp) {
            table.latin[(cp - LATIN_START) as usize] = info;
        } else if (VIET_START..=VIET_END).contains(&cp) {
            table.viet[(cp - VIET_START) as usize] = info;
        }
    };
    for row in TONE_ROWS {
        let mut chars = row.chars();
        let Some(base) = chars.next() else { continue };
        let symbol = symbol_of(base);
        for (tone, lower) in std::iter::once(base).chain(chars).enumerate() {
            let tone = tone as u8;
            insert(lower, LetterInfo { symbol, tone, upper: false });
            for upper in lower.to_uppercase() {
                insert(upper, LetterInfo { symbol, tone, upper: true });
            }
        }
    }
    insert('đ', LetterInfo { symbol: SYM_D_STROKE, tone: 0, upper: false });
    insert('Đ', LetterInfo { symbol: SYM_D_STROKE, tone: 0, upper: true });
    table
}

fn lookup_letter(c: char) -> Option<LetterInfo> {
    if c.is_ascii_alphabetic() {
        return Some(LetterInfo { symbol: c.to_ascii_lowercase() as u8, tone: 0, upper: c.is_ascii_uppercase() });
    }
    let cp = c as u32;
    let table = letter_table();
    let info = if (LATIN_START..=LATIN_END).contains(&cp) {
        table.latin[(cp - LATIN_START) as usize]
    } else if (VIET_START..=VIET_END).contains(&cp) {
        table.viet[(cp - VIET_START) as usize]
    } else {
        return None;
    };
    (info.symbol != 0).then_some(info)
}

fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// What a character contributes to a token. ASCII and Vietnamese letters are resolved by
/// table lookups; the Unicode property tables are consulted only for other characters.
#[derive(Clone, Copy)]
enum CharClass {
    Letter(LetterInfo),
    Digit,
    Combining,
    /// A letter Vietnamese does not use; makes the token invalid.
    Foreign {
        upper: bool,
    },
    Separator,
}

fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_digit() {
            CharClass::Digit
        } else if c.is_ascii_alphabetic() {
            lookup_letter(c).map_or(CharClass::Separator, CharClass::Letter)
        } else {
            CharClass::Separator
        };
    }
    if let Some(info) = lookup_letter(c) {
        CharClass::Letter(info)
    } else if is_combining(c) {
        CharClass::Combining
    } else if c.is_numeric() {
        CharClass::Digit
    } else if c.is_alphabetic() {
        CharClass::Foreign { upper: c.is_uppercase() }
    } else {
        CharClass::Separator
    }
}

// ---------------------------------------------------------------------------------------
// Token accumulation
// ---------------------------------------------------------------------------------------

/// Running state for one token; reset by `finish`.
#[derive(Default)]
struct TokenState {
    symbols: [u8; MAX_LEN],
    len: usize,
    chars: usize,
    tones: u8,
    tone: u8,
    has_lower: bool,
    has_upper: bool,
    has_digit: bool,
    invalid: bool,
}

impl TokenState {
    fn push(&mut self, c: char, class: CharClass) {
        self.chars += 1;
        match class {
            CharClass::Combining => self.apply_combining(c),
            CharClass::Digit => self.has_digit = true,
            CharClass::Letter(info) => {
                if info.upper {
                    self.has_upper = true;
                } else {
                    self.has_lower = true;
                }
                if info.tone != 0 {
                    self.add_tone(info.tone);
                }
                self.push_symbol(info.symbol);
            }
            // A letter that Vietnamese does not use (ß, ñ, Cyrillic …).
            CharClass::Foreign { upper } => {
                if upper {
                    self.has_upper = true;
                } else {
                    self.has_lower = true;
                }
                self.invalid = true;
            }
            CharClass::Separator => {}
        }
    }

    fn push_symbol(&mut self, symbol: u8) {
        if self.len < MAX_LEN {
            self.symbols[self.len] = symbol;
            self.len += 1;
        } else {
            self.invalid = true;
        }
    }

    fn add_tone(&mut self, tone: u8) {
        self.tones = self.tones.saturating_add(1);
        self.tone = tone;
    }

    /// Combining marks modify the previous letter (NFD, windows-1258, decoded VNI).
    fn apply_combining(&mut self, c: char) {
        let Some(last) = self.len.checked_sub(1) else {
            self.invalid = true;
            return;
        };
        let prev = self.symbols[last];
        let tone = match c {
            '\u{0301}' | '\u{0341}' => 1,
            '\u{0300}' | '\u{0340}' => 2,
            '\u{0309}' => 3,
            '\u{0303}' => 4,
            '\u{0323}' => 5,
            _ => 0,
        };
        if tone != 0 {
            if is_vowel_symbol(prev) {
                self.add_tone(tone);
            } else {
                self.invalid = true;
            }
            return;
        }
        let modified = match (c, prev) {
            ('\u{0306}', b'a') => SYM_A_BREVE,
            ('\u{0302}', b'a') => SYM_A_CIRC,
            ('\u{0302}', b'e') => SYM_E_CIRC,
            ('\u{0302}', b'o') => SYM_O_CIRC,
            ('\u{031B}', b'o') => SYM_O_HORN,
            ('\u{031B}', b'u') => SYM_U_HORN,
            _ => 0,
        };
        if modified == 0 {
            self.invalid = true;
        } else {
            self.symbols[last] = modified;
        }
    }

    /// Abbreviations (UBND, HĐND, TTHC …) and anything with digits are not scored.
    fn is_ignored(&self) -> bool {
        self.has_digit || (self.has_upper && !self.has_lower && self.chars <= 6) || self.len == 0
    }

    fn is_valid(&self) -> bool {
        !self.invalid && self.len > 0 && self.tones <= 1 && is_valid_symbols(&self.symbols[..self.len], self.tone)
    }

    fn finish(&mut self, stats: &mut SyllableStats) {
        if self.chars > 0 && !self.is_ignored() {
            stats.counted += 1;
            if self.is_valid() {
                stats.valid += 1;
            }
            // Modified letters are the upper-case symbol codes.
            if self.tones > 0 || self.symbols[..self.len].iter().any(u8::is_ascii_uppercase) {
                stats.marked += 1;
            }
        }
        *self = TokenState::default();
    }
}

// ---------------------------------------------------------------------------------------
// Phonotactics
// ---------------------------------------------------------------------------------------

/// Length of the longest onset spelling at the start of `symbols` (0 for a vowel start),
/// or `None` when the word cannot start a syllable ("q" without "u", f/j/w/z, …).
/// Longest match is unambiguous: no rime starts with g, h or r.
fn onset_len(symbols: &[u8]) -> Option<usize> {
    let next = |i: usize| symbols.get(i).copied().unwrap_or(0);
    let len = match next(0) {
        b'n' if next(1) == b'g' && next(2) == b'h' => 3,
        b'n' if next(1) == b'g' || next(1) == b'h' => 2,
        b'c' | b'k' | b'p' | b'g' if next(1) == b'h' => 2,
        b't' if next(1) == b'h' || next(1) == b'r' => 2,
        b'g' if next(1) == b'i' => 2,
        b'q' if next(1) == b'u' => 2,
        b'q' => return None,
        b'b' | b'c' | b'd' | SYM_D_STROKE | b'g' | b'h' | b'k' | b'l' | b'm' | b'n' | b'p' | b'r' | b's' | b't' | b'v' | b'x' => 1,
        s if is_vowel_symbol(s) => 0,
        _ => return None,
    };
    Some(len)
}

/// All rimes (medial + nucleus + coda), written in Vietnamese without tone.
const RIMES: &str = "\
a ai ao au ay ac ach am an ang anh ap at \
ăc ăm ăn ăng ăp ăt \
âc âm ân âng âp ât âu ây \
e eo ec em en eng ep et \
ê êch êm ên ênh êp êt êu \
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu \
y yêm yên yêng yêt yêu \
o oi oc om on ong op ot ooc oong \
oa oai oay oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt \
oe oeo oec oem oen oet \
ô ôi ôc ôm ôn ông ôp ôt \
ơ ơi ơm ơn ơp ơt \
u ua ui uc um un ung up ut uôc uôi uôm uôn uông uôt \
uân uâng uât uây uê uêch uênh uy uya uych uyn uynh uyp uyt uyu uyên uyêt uơ \
ư ưa ưi ưu ưc ưm ưn ưng ưp ưt ươc ươi ươm ươn ương ươp ươt ươu";

/// Rimes packed into integers (one byte per symbol), sorted for binary search.
fn rime_set() -> &'static [u64] {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set: Vec<u64> = RIMES
            .split_whitespace()
            .filter_map(|rime| {
                let mut buf = [0u8; MAX_LEN];
                let mut len = 0;
                for c in rime.chars() {
                    *buf.get_mut(len)? = symbol_of(c);
                    len += 1;
                }
                Some(pack(&buf[..len]))
            })
            .collect();
        set.sort_unstable();
        set
    })
}

fn pack(symbols: &[u8]) -> u64 {
    symbols.iter().take(MAX_LEN).fold(0u64, |acc, &s| (acc << 8) | s as u64)
}

fn is_rime(symbols: &[u8]) -> bool {
    !symbols.is_empty() && symbols.len() <= MAX_LEN && rime_set().binary_search(&pack(symbols)).is_ok()
}

/// Stop-final rimes take only sắc or nặng.
fn tone_fits_rime(rime: &[u8], tone: u8) -> bool {
    let stop = matches!(rime.last(), Some(b'c' | b'p' | b't')) || rime.ends_with(b"ch");
    !stop || tone == 0 || tone == TONE_SAC || tone == TONE_NANG
}

/// Spelling rules tying onset to the first rime letter (k/gh/ngh before front vowels,
/// c/g/ng elsewhere).
fn onset_fits_rime(onset: &[u8], rime: &[u8]) -> bool {
    let first = rime.first().copied().unwrap_or(0);
    let front = matches!(first, b'i' | b'e' | SYM_E_CIRC | b'y');
    match onset {
        b"k" | b"gh" | b"ngh" => front,
        b"c" | b"ng" => !front,
        b"g" => !matches!(first, b'e' | SYM_E_CIRC | b'y'),
        _ => true,
    }
}

fn rime_fits(onset: &[u8], rime: &[u8], tone: u8) -> bool {
    is_rime(rime) && onset_fits_rime(onset, rime) && tone_fits_rime(rime, tone)
}

fn is_valid_symbols(symbols: &[u8], tone: u8) -> bool {
    let Some(len) = onset_len(symbols) else { return false };
    let (onset, rime) = symbols.split_at(len);
    match onset {
        // "gi" + rime, or "g" + an i-rime ("gìn", "giết" = g + iêt).
        b"gi" => rime_fits(onset, rime, tone) || rime_fits(b"g", &symbols[1..], tone),
        // "qu": the u is the medial glide; accept both "qu"+rime and "q"+"u…" rimes.
        b"qu" => rime_fits(onset, rime, tone) || rime_fits(onset, &symbols[1..], tone),
        _ => rime_fits(onset, rime, tone),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_words() {
        for w in [
            "công", "tác", "cải", "cách", "hành", "chính", "nghiêng", "người", "quyết", "quốc", "giữa", "gìn", "giết", "khuya", "thuở", "hươu", "khuỷu",
            "hoạch", "hoặc", "xoong", "Việt", "NAM", "Đảng", "uỷ", "ủy", "hoà", "hòa", "thuỷ", "thủy", "khoẻ", "khỏe", "được", "trong", "ý", "ở", "quy", "kỹ",
            "gì", "điều", "yêu", "nguyên", "quỳnh", "huynh", "tuyên", "chuyển", "đổi", "số",
        ] {
            assert!(is_valid_syllable(w), "{w}");
        }
    }

    #[test]
    fn nfd_and_cp1258_style_words() {
        // "tác" as t a U+0301 c, "người" fully decomposed.
        assert!(is_valid_syllable("ta\u{301}c"));
        assert!(is_valid_syllable("ngu\u{31b}o\u{31b}\u{300}i"));
        assert!(is_valid_syllable("vie\u{302}\u{323}t"));
    }

    #[test]
    fn invalid_words() {
        for w in ["c«ng", "Vieät", "hoøa", "taỡc", "bookmark", "xyz", "tàc", "cì", "ce", "ka", "ngi", "tács", "quá\u{301}", "ǹ", "bạnn", "chuû"] {
            assert!(!is_valid_syllable(w), "{w}");
        }
    }

    #[test]
    fn scores() {
        let s = "Công tác cải cách hành chính năm 2025 của UBND phường";
        assert!((syllable_score(s) - 1.0).abs() < 1e-6);
        let m = "C«ng t¸c c¶i c¸ch hµnh chÝnh";
        assert!(syllable_score(m) < 0.5, "{}", syllable_score(m));
        assert_eq!(syllable_score(""), 0.0);
        assert_eq!(syllable_stats("UBND TTHC HĐND 02/KH-UBND").counted, 0);
    }

    #[test]
    fn seeds_score_high() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/encodings");
        for name in ["001_utf8.txt", "000_utf8.txt"] {
            let Ok(text) = std::fs::read_to_string(format!("{dir}/{name}")) else { continue };
            let score = syllable_score(&text);
            assert!(score > 0.9, "{name}: {score}");
        }
    }
}
