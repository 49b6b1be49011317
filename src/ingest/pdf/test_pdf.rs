//! Hand-built PDFs for end-to-end unit tests of the reader: Identity-H fonts,
//! fonts switching inside a word, separate combining marks, Form XObjects,
//! broken ToUnicode maps and legacy fonts.

use lopdf::{dictionary, Dictionary, Document, Object, Stream};

use super::{read_pdf, PdfDoc, PdfLimits};

/// A one-page A4 document; `resources` makes the /Font and /XObject
/// dictionaries (streams must be added to the document as objects).
fn build(resources: impl FnOnce(&mut Document) -> (Dictionary, Dictionary), content: &[u8]) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let (fonts, xobjects) = resources(&mut doc);
    let pages_id = doc.new_object_id();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "Font" => fonts, "XObject" => xobjects },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("in-memory save");
    out
}

/// A simple TrueType-like font: 500-unit glyphs, optional ToUnicode and
/// /Differences.
fn simple_font(doc: &mut Document, name: &str, to_unicode: Option<&str>, differences: Vec<Object>) -> Object {
    let mut d = dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => name, "FirstChar" => 0,
        "Widths" => (0..256).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
    };
    if !differences.is_empty() {
        d.set("Encoding", dictionary! { "BaseEncoding" => "WinAnsiEncoding", "Differences" => differences });
    }
    if let Some(cmap) = to_unicode {
        d.set("ToUnicode", doc.add_object(Stream::new(dictionary! {}, cmap.as_bytes().to_vec())));
    }
    Object::Dictionary(d)
}

/// An Identity-H font: CIDs 1.. map to `chars`, 600 units wide except CID 9
/// (zero width, for a combining mark).
fn cid_font(doc: &mut Document, chars: &str) -> Object {
    let mut cmap = String::from("1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
    for (i, c) in chars.chars().enumerate() {
        cmap.push_str(&format!("1 beginbfchar <{:04X}> <{:04X}> endbfchar\n", i + 1, c as u32));
    }
    Object::Dictionary(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Arial", "Encoding" => "Identity-H",
        "ToUnicode" => doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes())),
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Subtype" => "CIDFontType2", "DW" => 600, "W" => vec![9.into(), vec![0.into()].into()],
        })],
    })
}

fn read(bytes: &[u8]) -> PdfDoc {
    read_pdf(bytes, &PdfLimits::default()).expect("reads")
}

fn all_text(doc: &PdfDoc) -> Vec<String> {
    doc.pages.iter().flat_map(|p| &p.lines).map(|l| l.text.clone()).collect()
}

#[test]
fn word_style_font_switch_and_separate_marks() {
    // "Trọng" = T r o (F1) + dot below (F2, zero width, over the o) + n g (F1),
    // the way Word switches font subsets inside Vietnamese words; then a TJ
    // gap of 300/1000 em makes the next word.
    let content = b"BT /F1 12 Tf 72 700 Td (Tro) Tj /F2 12 Tf [500 <0009> -500] TJ /F1 12 Tf [(ng) -300 (Quang)] TJ ET";
    let pdf = build(
        |d| {
            let f1 = simple_font(d, "ABCDEF+TimesNewRoman", None, vec![]);
            let f2 = cid_font(d, "abcdefgh\u{0323}");
            (dictionary! { "F1" => f1, "F2" => f2 }, dictionary! {})
        },
        content,
    );
    let doc = read(&pdf);
    assert_eq!(all_text(&doc), vec!["Trọng Quang"]);
    let line = &doc.pages[0].lines[0];
    assert_eq!(line.words.len(), 2);
    assert!((line.words[0].x0 - 72.0).abs() < 0.01);
    // "Trọng": 5 glyphs of 6pt (the mark has no width).
    assert!((line.words[0].x1 - 102.0).abs() < 0.01, "{:?}", line.words[0]);
}

#[test]
fn form_xobject_text_is_read_with_its_matrix() {
    let pdf = build(
        |d| {
            let f3 = cid_font(d, "Hạnhpúc  ");
            let form = d.add_object(Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 500.into(), 100.into()],
                "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 100.into(), 0.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F3" => f3 } } },
                // "Hạnh" <space> "phúc": CIDs 1-4, 8 (space), 5, 4, 6, 7.
                b"BT /F3 10 Tf 0 500 Td <000100020003000400080005000400060007> Tj ET".to_vec(),
            ));
            (dictionary! {}, dictionary! { "Fm1" => form })
        },
        b"q 1 0 0 1 0 0 cm /Fm1 Do Q",
    );
    let doc = read(&pdf);
    assert_eq!(all_text(&doc), vec!["Hạnh phúc"]);
    assert!((doc.pages[0].lines[0].x0 - 100.0).abs() < 0.01);
}

#[test]
fn broken_to_unicode_is_reported_and_replaced() {
    // ToUnicode maps every code to Cyrillic; the /Differences names are right.
    let mut cmap = String::from("1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfrange <20> <7E> <0420> endbfrange\n");
    cmap.push_str("1 beginbfchar <20> <0020> endbfchar\n");
    let diffs = vec![Object::Integer(1), Object::Name(b"uni1ED9".to_vec()), Object::Name(b"uni1EC7".to_vec())];
    let fonts = |d: &mut Document| (dictionary! { "F1" => simple_font(d, "XYZABC+Broken", Some(&cmap), diffs) }, dictionary! {});
    let phrase = b"C\x01ng h\xf2a x\xe3 h\xf4i ch\xf9 ngh\xeda Vi\x02t Nam C\x01ng h\xf2a x\xe3 h\xf4i";
    let mut content = b"BT /F1 12 Tf 72 700 Td (".to_vec();
    content.extend_from_slice(phrase);
    content.extend_from_slice(b") Tj ET");
    let doc = read(&build(fonts, &content));
    assert!(doc.warnings.iter().any(|w| w.contains("ToUnicode")), "{:?}", doc.warnings);
    assert!(all_text(&doc)[0].starts_with("Cộng hòa xã hôi chù nghía Việt Nam"), "{:?}", all_text(&doc));
}

#[test]
fn legacy_font_names_use_the_legacy_decoder() {
    use crate::ingest::encoding::{decode_legacy_bytes, legacy_font_from_name};
    let fonts = |d: &mut Document| (dictionary! { "F1" => simple_font(d, ".VnTime", None, vec![]) }, dictionary! {});
    let bytes = b"C\xa7ng h\xb5a";
    let mut content = b"BT /F1 12 Tf 72 700 Td (".to_vec();
    content.extend_from_slice(bytes);
    content.extend_from_slice(b") Tj ET");
    let doc = read(&build(fonts, &content));
    let kind = legacy_font_from_name(".VnTime").expect(".VnTime is a TCVN3 font");
    let expected: String = decode_legacy_bytes(bytes, kind).split_whitespace().collect::<Vec<_>>().join(" ");
    use unicode_normalization::UnicodeNormalization;
    assert_eq!(all_text(&doc), vec![expected.nfc().collect::<String>()]);
    assert!(doc.warnings.iter().any(|w| w.contains("legacy")));
}

#[test]
fn image_page_without_text() {
    let image = |d: &mut Document| {
        let img = d.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
            vec![0],
        ));
        (dictionary! {}, dictionary! { "Im1" => img })
    };
    let doc = read(&build(image, b"q 595 0 0 842 0 0 cm /Im1 Do Q"));
    assert!(doc.pages[0].image_only);
}
