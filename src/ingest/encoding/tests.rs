//! Unit tests of the encoding module (fixtures from `fixtures/encodings/`
//! and `fixtures/text/`).

use unicode_normalization::UnicodeNormalization;

use super::bytes::decode_with;
use super::legacy::{parse_table, ByteKind, LegacyTable, TCVN3_TSV, VISCII_TSV, VNI_TSV};
use super::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/encodings");
/// Genuine UTF-8 reports (the text seeds), checked into the repository.
const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/text");

const VOWEL_ROWS: [&str; 12] = ["aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị", "oóòỏõọ", "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ"];

/// Every Vietnamese letter: 12 vowels × 6 tones + đ, lower and upper case.
fn all_letters() -> Vec<char> {
    let lower: Vec<char> = VOWEL_ROWS.iter().flat_map(|r| r.chars()).chain(['đ']).collect();
    let upper: Vec<char> = lower.iter().flat_map(|c| c.to_uppercase()).collect();
    lower.into_iter().chain(upper).collect()
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (file, expected encoding, lossy, repaired lines) from the generated manifest.
fn manifest() -> Vec<(String, String, bool, Vec<u32>)> {
    let text = String::from_utf8(read_fixture("manifest.tsv")).expect("manifest utf-8");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let repaired = f.get(3).map_or(vec![], |r| r.split(',').filter(|x| !x.is_empty()).map(|x| x.parse().expect("line no")).collect());
            (f[0].to_string(), f[1].to_string(), f.get(2) == Some(&"1"), repaired)
        })
        .collect()
}

#[test]
fn tables_parse_cleanly() {
    for (name, tsv, min_rows) in [("tcvn3", TCVN3_TSV, 130), ("vni", VNI_TSV, 134), ("viscii", VISCII_TSV, 134)] {
        let (rows, errors) = parse_table(tsv);
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert!(rows.len() >= min_rows, "{name}: {} rows", rows.len());
    }
}

/// Unicode → bytes → Unicode identity for every letter, alone and inside a word.
/// (TCVN3 codes flagged `ctx` are punctuation when they stand alone, by design.)
fn round_trip(table: &LegacyTable, name: &str) {
    for c in all_letters() {
        for s in [c.to_string(), format!("N{c}N")] {
            let bytes = table.encode(&s).unwrap_or_else(|| panic!("{name}: no code for {c}"));
            let standalone_ctx = bytes.len() == 1 && matches!(table.kinds[bytes[0] as usize], ByteKind::Ambiguous { .. });
            if standalone_ctx {
                continue;
            }
            let mut back = String::new();
            table.decode_into(&bytes, &mut back);
            assert_eq!(nfc(&back), s, "{name}: {c} -> {bytes:02X?}");
        }
    }
}

#[test]
fn tcvn3_round_trip() {
    round_trip(LegacyTable::tcvn3(), "tcvn3");
}

#[test]
fn vni_round_trip() {
    round_trip(LegacyTable::vni(), "vni");
}

#[test]
fn viscii_round_trip() {
    round_trip(LegacyTable::viscii(), "viscii");
}

#[test]
fn cp1258_round_trip() {
    // encoding_rs cannot encode precomposed toned letters; build the cp1258 form
    // (base letter with its own diacritic + a tone mark byte) from the decomposition.
    for c in all_letters() {
        let s = c.to_string();
        let nfd: String = s.nfd().collect();
        let (base, tone): (String, String) = nfd.chars().partition(|ch| !"\u{300}\u{301}\u{303}\u{309}\u{323}".contains(*ch));
        let input = format!("{}{}", nfc(&base), tone);
        let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&input);
        assert!(!bad, "cp1258 cannot encode {c}");
        let mut back = String::new();
        decode_with(Encoding::Cp1258, &bytes, &mut back);
        assert_eq!(nfc(&back), s, "cp1258: {c}");
    }
}

#[test]
fn tcvn3_uppercase_font_reuses_lowercase_codes() {
    let table = LegacyTable::tcvn3();
    for c in all_letters().into_iter().filter(|c| c.is_lowercase()) {
        let bytes = table.encode(&c.to_string()).expect("lowercase code");
        let upper: String = c.to_uppercase().collect();
        assert_eq!(nfc(&decode_legacy_bytes(&bytes, LegacyFont::Tcvn3Upper)), upper);
        assert_eq!(nfc(&decode_legacy_bytes(&bytes, LegacyFont::Tcvn3)), c.to_string());
    }
    assert_eq!(decode_legacy_bytes(b"\xD6", LegacyFont::Tcvn3), "\u{1EC7}"); // ệ
    assert_eq!(decode_legacy_bytes(b"\xD6", LegacyFont::Tcvn3Upper), "\u{1EC6}");
    // Ệ
}

#[test]
fn vni_per_byte_decoding_composes() {
    let word = "Việt Nam độc lập tự do hạnh phúc NGƯỜI";
    let bytes = LegacyTable::vni().encode(word).expect("vni");
    let per_byte: String = bytes.iter().map(|b| decode_legacy_bytes(&[*b], LegacyFont::Vni)).collect();
    assert_eq!(nfc(&per_byte), word);
    // Mixed-case mark after a capital base still works ("Aù" → "Á").
    assert_eq!(nfc(&decode_legacy_bytes(b"A\xF9", LegacyFont::Vni)), "Á");
}

#[test]
fn tcvn3_ambiguous_bytes_resolved_from_context() {
    // “Một” … – HỌ Ọ; 0x93/0x94 quotes, 0x85 ellipsis, 0x96 dash and Ọ.
    let cases: [(&[u8], &str); 5] =
        [(b"\x93M\xe9t\x94", "“Một”"), (b"nh\xb5\x85", "nhà…"), (b"2020 \x96 2025", "2020 – 2025"), (b"H\x96 t\xaan", "HỌ tên"), (b"C\x97NG", "CỘNG")];
    for (bytes, want) in cases {
        assert_eq!(nfc(&decode_legacy_bytes(bytes, LegacyFont::Tcvn3)), want);
    }
}

#[test]
fn vntimeh_caps_restored() {
    // "BÁO CÁO" typed with lowercase codes under an uppercase font.
    let d = decode(b"B\xb8O C\xb8O k\xd5t qu\xb6 c\xabng t\xb8c c\xb6i c\xb8ch h\xb5nh ch\xddnh", None).expect("decode");
    assert_eq!(d.encoding, Encoding::Tcvn3);
    assert_eq!(nfc(&d.text), "BÁO CÁO kết quả công tác cải cách hành chính");
}

#[test]
fn names_and_aliases() {
    for enc in Encoding::ALL {
        assert_eq!(Encoding::from_name(enc.name()), Some(enc));
        assert_eq!(Encoding::from_name(&enc.name().to_uppercase()), Some(enc));
    }
    assert_eq!(Encoding::from_name("windows-1258"), Some(Encoding::Cp1258));
    assert_eq!(Encoding::from_name("TCVN"), Some(Encoding::Tcvn3));
    assert_eq!(Encoding::from_name("abc"), Some(Encoding::Tcvn3));
    assert_eq!(Encoding::from_name("VNI-Windows"), Some(Encoding::Vni));
    assert_eq!(Encoding::from_name("latin-1"), None);
}

#[test]
fn font_names() {
    use LegacyFont::*;
    for (name, want) in [
        (".VnTime", Some(Tcvn3)),
        (".VnTimeH", Some(Tcvn3Upper)),
        ("ABCDEF+.VnTimeH,Bold", Some(Tcvn3Upper)),
        (".VnArial", Some(Tcvn3)),
        (".VnArialH", Some(Tcvn3Upper)),
        ("VnTime-Italic", Some(Tcvn3)),
        ("VNI-Times", Some(Vni)),
        ("XYZABC+VNI-Helve-Bold", Some(Vni)),
        ("TimesNewRomanPSMT", None),
        ("Arial,Bold", None),
        ("Verdana", None),
    ] {
        assert_eq!(legacy_font_from_name(name), want, "{name}");
    }
}

#[test]
fn genuine_utf8_seeds_stay_utf8() {
    let dir = std::fs::read_dir(SEEDS).unwrap_or_else(|e| panic!("{SEEDS}: {e}"));
    let mut n = 0;
    for entry in dir.flatten() {
        let bytes = std::fs::read(entry.path()).expect("seed");
        let d = decode(&bytes, None).expect("decode");
        assert_eq!(d.encoding, Encoding::Utf8, "{:?}", entry.path());
        assert!(d.repaired_lines.is_empty(), "{:?}: {:?}", entry.path(), d.repaired_lines);
        assert_eq!(d.text, String::from_utf8(bytes).expect("utf-8"));
        n += 1;
    }
    assert!(n >= 5);
}

#[test]
fn fixture_variants_detected_and_decoded() {
    let entries = manifest();
    assert!(entries.len() >= 19);
    for (file, want, lossy, repaired) in entries {
        let original = String::from_utf8(read_fixture(&format!("{}_utf8.txt", &file[..3]))).expect("utf-8");
        let d = decode(&read_fixture(&file), None).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(d.encoding.name(), want, "{file}");
        assert_eq!(d.repaired_lines, repaired, "{file}");
        let (mut got, mut exp) = (nfc(&d.text), nfc(&original));
        if lossy {
            (got, exp) = (fold_lossy_punctuation(&got), fold_lossy_punctuation(&exp));
        }
        if file.contains("oldtone") {
            // Tone placement is normalised later, by vn::normalize.
            (got, exp) = (crate::vn::normalize::fix_tone_placement(&got), crate::vn::normalize::fix_tone_placement(&exp));
        }
        if got != exp {
            let line = got.lines().zip(exp.lines()).position(|(a, b)| a != b);
            panic!("{file}: text differs at line {line:?}");
        }
    }
}

#[test]
fn forced_encoding_is_obeyed() {
    let bytes = read_fixture("001_tcvn3.txt");
    let d = decode(&bytes, Some(Encoding::Vni)).expect("forced");
    assert_eq!(d.encoding, Encoding::Vni);
    assert!(matches!(decode(b"a\xffb", Some(Encoding::Utf8)), Err(DecodeError::Malformed { offset: 1, .. })));
    assert_eq!(decode(b"\xEF\xBB\xBFabc", Some(Encoding::Utf8)).expect("bom").text, "abc");
}

#[test]
fn binary_and_edge_inputs() {
    assert!(matches!(decode(b"PK\x03\x04\x00\x00binary", None), Err(DecodeError::Binary)));
    assert_eq!(decode(b"", None).expect("empty").text, "");
    let utf16: Vec<u8> = "Công tác cải cách hành chính năm 2025".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let d = decode(&utf16, None).expect("utf-16 without BOM");
    assert_eq!(d.encoding, Encoding::Utf16Le);
    assert_eq!(d.text, "Công tác cải cách hành chính năm 2025");
}

#[test]
fn mixed_raw_legacy_line_in_utf8_file() {
    let mut bytes = "Công tác cải cách hành chính\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"C\xabng t\xb8c c\xb6i c\xb8ch h\xb5nh ch\xddnh n\xa8m nay\n");
    bytes.extend_from_slice("Kết quả đạt được trong năm\n".as_bytes());
    let d = decode(&bytes, None).expect("decode");
    assert_eq!(d.encoding, Encoding::Utf8);
    assert_eq!(d.repaired_lines, vec![2]);
    assert_eq!(nfc(&d.text), "Công tác cải cách hành chính\nCông tác cải cách hành chính năm nay\nKết quả đạt được trong năm\n");
}

#[test]
fn no_panic_on_arbitrary_bytes() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in [0usize, 1, 2, 3, 7, 64, 1000, 5000] {
        for _ in 0..50 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            // Detection either decodes (LF line ends) or calls the bytes binary.
            match decode(&bytes, None) {
                Ok(d) => assert!(!d.text.contains("\r\n"), "{bytes:02X?}"),
                Err(e) => assert!(matches!(e, DecodeError::Binary), "{e}"),
            }
            // A forced encoding is obeyed; only UTF-8 can reject bytes.
            for enc in Encoding::ALL {
                match decode(&bytes, Some(enc)) {
                    Ok(d) => assert_eq!(d.encoding, enc),
                    Err(e) => {
                        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                        assert!(matches!(enc, Encoding::Utf8 | Encoding::Utf8Bom), "{enc}: {e}");
                        assert!(std::str::from_utf8(body).is_err(), "{enc}: {e}");
                    }
                }
            }
            // Every byte decodes to something.
            for font in [LegacyFont::Tcvn3, LegacyFont::Tcvn3Upper, LegacyFont::Vni] {
                assert_eq!(decode_legacy_bytes(&bytes, font).is_empty(), bytes.is_empty(), "{font:?}");
            }
        }
    }
}
