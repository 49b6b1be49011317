//! Fonts: decoding shown bytes into glyphs with Unicode text and real widths
//! (simple fonts with /Encoding + /Differences, composite Identity-H fonts
//! with /W, Type3 FontMatrix, ToUnicode CMaps, legacy Vietnamese fonts).

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{be_value, ToUnicode};
use super::encodings::{glyph_name_to_unicode, BaseEncoding};
use super::objects::{as_dict, get, get_array, get_dict, get_name, get_num, num, num_array, resolve, stream_bytes};
use crate::ingest::encoding::{decode_legacy_bytes, legacy_font_from_name, LegacyFont};

/// Largest ToUnicode stream we decode.
const MAX_CMAP_BYTES: usize = 4 << 20;

/// One decoded glyph of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedGlyph {
    /// Character code as shown (1 byte for simple fonts, usually 2 for CID).
    pub code: u32,
    /// Unicode text ("" when unknown); inline, no allocation per glyph.
    pub text: CompactString,
    /// Horizontal advance in text space units (1.0 = font size).
    pub width: f32,
    /// A single-byte code 32, which gets word spacing (Tw).
    pub is_space_byte: bool,
}

/// How codes are split and widths looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FontKind {
    Simple,
    Composite,
}

/// A loaded font resource.
#[derive(Debug, Clone)]
pub struct Font {
    /// /BaseFont (subset prefix kept), for warnings.
    pub name: String,
    kind: FontKind,
    to_unicode: Option<ToUnicode>,
    /// Simple fonts: code → text from the base encoding and /Differences.
    encoding: Vec<Option<String>>,
    widths: FxHashMap<u32, f32>,
    default_width: f32,
    /// Glyph space → text space for widths (0.001, or FontMatrix[0] for Type3).
    width_scale: f32,
    /// Legacy Vietnamese family detected from the name.
    pub legacy: Option<LegacyFont>,
    /// Ascent and descent as fractions of the font size (descent negative).
    pub ascent: f32,
    pub descent: f32,
    /// Whether the font carries real widths (/Widths or /W).
    pub has_widths: bool,
    /// Simple fonts: text and advance of each of the 256 codes, looked up
    /// once at load (shown strings are then decoded by indexing).
    simple_glyphs: Vec<(CompactString, f32)>,
}

impl Font {
    /// Load a font dictionary.
    pub fn load(doc: &Document, dict: &Dictionary) -> Font {
        let name = get_name(doc, dict, b"BaseFont").map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default();
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"Type1");
        let kind = if subtype == b"Type0" { FontKind::Composite } else { FontKind::Simple };
        let descendant = descendant_font(doc, dict);
        let metrics_dict = descendant.unwrap_or(dict);
        let to_unicode = stream_bytes(doc, dict, b"ToUnicode", MAX_CMAP_BYTES).map(|b| ToUnicode::parse(&b)).filter(|c| !c.is_empty());
        let (ascent, descent) = font_metrics(doc, metrics_dict);
        let mut font = Font {
            legacy: legacy_font_from_name(strip_subset(&name)),
            name,
            kind,
            to_unicode,
            encoding: Vec::new(),
            widths: FxHashMap::default(),
            default_width: 0.0,
            width_scale: 0.001,
            ascent,
            descent,
            has_widths: false,
            simple_glyphs: Vec::new(),
        };
        match kind {
            FontKind::Simple => {
                font.encoding = simple_encoding(doc, dict);
                font.load_simple_widths(doc, dict, subtype == b"Type3");
            }
            FontKind::Composite => font.load_cid_widths(doc, descendant),
        }
        if kind == FontKind::Simple {
            font.simple_glyphs = (0..=255).map(|code| (font.primary_text(code, 1).unwrap_or_default(), font.width(code))).collect();
        }
        font
    }

    /// Decode a shown string into glyphs, replacing the contents of `out`
    /// (a buffer the caller reuses from string to string).
    pub fn decode_into(&self, bytes: &[u8], out: &mut Vec<DecodedGlyph>) {
        out.clear();
        let glyph = |code: u32, len: usize, text: CompactString| DecodedGlyph { code, text, width: self.width(code), is_space_byte: len == 1 && code == 32 };
        let default_len = if self.kind == FontKind::Composite { 2 } else { 1 };
        let cmap_codes = self.to_unicode.as_ref().filter(|c| c.has_codespace() && self.kind == FontKind::Composite);
        if let Some(l) = self.legacy {
            let codes = match cmap_codes {
                Some(cmap) => cmap.split_codes(bytes, default_len),
                None => bytes.chunks(default_len).map(|c| (be_value(c), c.len())).collect(),
            };
            let texts = legacy_texts(bytes, &codes, l);
            out.extend(codes.iter().enumerate().map(|(i, &(code, len))| glyph(code, len, texts.get(i).map(CompactString::from).unwrap_or_default())));
            return;
        }
        if self.kind == FontKind::Simple {
            let table = &self.simple_glyphs;
            out.extend(bytes.iter().filter_map(|&b| {
                table.get(usize::from(b)).map(|(text, width)| DecodedGlyph { code: b.into(), text: text.clone(), width: *width, is_space_byte: b == 32 })
            }));
            return;
        }
        let decoded = |(code, len): (u32, usize)| glyph(code, len, self.primary_text(code, len).unwrap_or_default());
        match cmap_codes {
            Some(cmap) => out.extend(cmap.split_codes(bytes, default_len).into_iter().map(decoded)),
            None => out.extend(bytes.chunks(default_len).map(|c| decoded((be_value(c), c.len())))),
        }
    }

    /// Whether text comes from a ToUnicode CMap (which may be broken).
    pub fn uses_to_unicode(&self) -> bool {
        self.to_unicode.is_some() && self.legacy.is_none()
    }

    /// Text of a code ignoring ToUnicode (encoding / glyph names), used when a
    /// ToUnicode map scores as broken; `None` when there is no such route.
    pub fn fallback_text(&self, code: u32) -> Option<String> {
        match self.kind {
            FontKind::Simple => self.encoding.get(code as usize).cloned().flatten(),
            FontKind::Composite => None,
        }
    }

    fn primary_text(&self, code: u32, len: usize) -> Option<CompactString> {
        if let Some(t) = self.to_unicode.as_ref().and_then(|c| c.lookup(code, len)) {
            return Some(CompactString::from(t));
        }
        match self.kind {
            FontKind::Simple => self.encoding.get(code as usize).and_then(|t| t.as_deref()).map(CompactString::from),
            FontKind::Composite => Some(CompactString::const_new("\u{FFFD}")),
        }
    }

    /// Advance of a code in text space units.
    fn width(&self, code: u32) -> f32 {
        self.widths.get(&code).copied().unwrap_or(self.default_width) * self.width_scale
    }

    fn load_simple_widths(&mut self, doc: &Document, dict: &Dictionary, type3: bool) {
        let first = get_num(doc, dict, b"FirstChar").unwrap_or(0.0).max(0.0) as u32;
        if let Some(ws) = get_array(doc, dict, b"Widths") {
            for (i, w) in ws.iter().enumerate() {
                if let Some(w) = num(resolve(doc, w)) {
                    self.widths.insert(first + i as u32, w);
                }
            }
            self.has_widths = !ws.is_empty();
        }
        self.default_width =
            get_dict(doc, dict, b"FontDescriptor").and_then(|fd| get_num(doc, fd, b"MissingWidth")).unwrap_or(if self.has_widths { 0.0 } else { 500.0 });
        if type3 {
            let m = dict.get(b"FontMatrix").map(|o| num_array(doc, o)).unwrap_or_default();
            self.width_scale = m.first().copied().unwrap_or(0.001);
        }
    }

    fn load_cid_widths(&mut self, doc: &Document, descendant: Option<&Dictionary>) {
        let Some(d) = descendant else {
            self.default_width = 1000.0;
            return;
        };
        self.default_width = get_num(doc, d, b"DW").unwrap_or(1000.0);
        if let Some(w) = get_array(doc, d, b"W") {
            self.widths = parse_w_array(doc, w);
            self.has_widths = true;
        }
    }
}

/// Parse a CID /W array: `c [w1 w2 …]` and `c_first c_last w` entries.
fn parse_w_array(doc: &Document, w: &[Object]) -> FxHashMap<u32, f32> {
    let mut out = FxHashMap::default();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = num(resolve(doc, &w[i])).map(|f| f.max(0.0) as u32) else {
            i += 1;
            continue;
        };
        match w.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(ws)) => {
                for (k, v) in ws.iter().enumerate() {
                    if let Some(v) = num(resolve(doc, v)) {
                        out.insert(first + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let last = num(last).map_or(first, |l| l.max(0.0) as u32).min(first.saturating_add(0xFFFF));
                if let Some(v) = w.get(i + 2).and_then(|o| num(resolve(doc, o))) {
                    for c in first..=last {
                        out.insert(c, v);
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

/// First /DescendantFonts entry of a Type0 font.
fn descendant_font<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    get_array(doc, dict, b"DescendantFonts")?.first().map(|o| resolve(doc, o)).and_then(as_dict)
}

/// Ascent/descent from the font descriptor, as fractions of the size.
fn font_metrics(doc: &Document, dict: &Dictionary) -> (f32, f32) {
    let fd = get_dict(doc, dict, b"FontDescriptor");
    let ascent = fd.and_then(|fd| get_num(doc, fd, b"Ascent")).filter(|a| *a > 0.0).unwrap_or(800.0);
    let descent = fd.and_then(|fd| get_num(doc, fd, b"Descent")).filter(|d| *d < 0.0).unwrap_or(-200.0);
    ((ascent / 1000.0).min(1.5), (descent / 1000.0).max(-1.0))
}

/// Code → text table of a simple font: base encoding then /Differences.
fn simple_encoding(doc: &Document, dict: &Dictionary) -> Vec<Option<String>> {
    let enc = get(doc, dict, b"Encoding");
    let base_name = match enc {
        Some(Object::Name(n)) => Some(n.as_slice()),
        Some(Object::Dictionary(d)) => get_name(doc, d, b"BaseEncoding"),
        _ => None,
    };
    let base = base_name.and_then(BaseEncoding::from_name).unwrap_or(BaseEncoding::WinAnsi);
    let mut table = base.table();
    if let Some(Object::Dictionary(d)) = enc {
        apply_differences(doc, d, &mut table);
    }
    table
}

/// `/Differences [code /name /name … code /name …]`.
fn apply_differences(doc: &Document, enc: &Dictionary, table: &mut [Option<String>]) {
    let Some(diffs) = get_array(doc, enc, b"Differences") else {
        return;
    };
    let mut code = 0usize;
    for item in diffs {
        match resolve(doc, item) {
            Object::Integer(c) => code = (*c).clamp(0, 255) as usize,
            Object::Name(n) => {
                if let Some(slot) = table.get_mut(code) {
                    *slot = glyph_name_to_unicode(&String::from_utf8_lossy(n));
                }
                code += 1;
            }
            _ => {}
        }
    }
}

/// Per-code texts of a legacy-font string: the whole string is decoded, and
/// split one char per code when counts agree (else code by code).
fn legacy_texts(bytes: &[u8], codes: &[(u32, usize)], font: LegacyFont) -> Vec<String> {
    let whole: Vec<char> = decode_legacy_bytes(bytes, font).chars().collect();
    if whole.len() == codes.len() {
        return whole.into_iter().map(String::from).collect();
    }
    codes.iter().map(|&(c, _)| decode_legacy_bytes(&[(c & 0xff) as u8], font)).collect()
}

/// "ABCDEF+TimesNewRoman" → "TimesNewRoman".
pub(crate) fn strip_subset(name: &str) -> &str {
    match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()) => rest,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    fn doc_with(font: Dictionary) -> (Document, Dictionary) {
        (Document::new(), font)
    }

    fn decode(f: &Font, bytes: &[u8]) -> Vec<DecodedGlyph> {
        let mut out = Vec::new();
        f.decode_into(bytes, &mut out);
        out
    }

    #[test]
    fn simple_font_differences_and_widths() {
        let (doc, font) = doc_with(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "ABCDEF+TimesNewRoman",
            "FirstChar" => 32, "Widths" => vec![250.into(), 333.into(), 500.into()],
            "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![33.into(), Object::Name(b"ohorn".to_vec()), Object::Name(b"uni1EA1".to_vec())] },
        });
        let f = Font::load(&doc, &font);
        let g = decode(&f, b" !\"");
        assert_eq!(g.iter().map(|g| g.text.as_str()).collect::<Vec<_>>(), vec![" ", "ơ", "ạ"]);
        assert!((g[1].width - 0.333).abs() < 1e-6);
        assert!(g[0].is_space_byte);
        assert!(f.has_widths);
    }

    #[test]
    fn identity_h_with_w_and_to_unicode() {
        let mut doc = Document::new();
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0005> <1EA3> endbfchar".to_vec();
        let cmap_id = doc.add_object(Stream::new(dictionary! {}, cmap));
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Arial", "Encoding" => "Identity-H",
            "ToUnicode" => cmap_id,
            "DescendantFonts" => vec![dictionary! { "Subtype" => "CIDFontType2", "DW" => 1000,
                "W" => vec![5.into(), vec![556.into()].into(), 6.into(), 8.into(), 200.into()] }.into()],
        };
        let f = Font::load(&doc, &font);
        let g = decode(&f, &[0, 5, 0, 7, 0, 9]);
        assert_eq!(g[0].text, "ả");
        assert!((g[0].width - 0.556).abs() < 1e-6);
        assert!((g[1].width - 0.2).abs() < 1e-6);
        assert!((g[2].width - 1.0).abs() < 1e-6);
        assert_eq!(g[1].text, "\u{FFFD}");
    }

    #[test]
    fn subset_prefix() {
        assert_eq!(strip_subset("ABCDEF+.VnTime"), ".VnTime");
        assert_eq!(strip_subset("Times+X"), "Times+X");
    }
}
