//! `word/footnotes.xml` → (id, text) of the footnotes.

use quick_xml::events::Event;
use quick_xml::Reader as XmlReader;

use super::assemble::squash;
use super::xml::{attr, entity, next_kept, Walk};
use super::FOOTNOTES;
use crate::ingest::IngestError;
use crate::vn::normalize::normalize_text;

/// `word/footnotes.xml` → (id, text) of the real footnotes (separators skipped).
pub(super) fn parse_footnotes(xml: &str) -> Result<Vec<(String, String)>, IngestError> {
    let mut reader = XmlReader::from_str(xml);
    let mut out = Vec::new();
    let mut walk = Walk::default();
    let mut note: Option<(String, String)> = None;
    let mut in_t = false;
    while let Some(ev) = next_kept(&mut reader, FOOTNOTES, &mut walk)? {
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(ev, Event::Start(_));
                let name = e.local_name();
                let name = name.as_ref();
                match name {
                    "footnote" if is_start => {
                        let kind = attr(e, "type");
                        let separator = matches!(kind.as_deref(), Some("separator" | "continuationSeparator" | "continuationNotice"));
                        if separator {
                            walk.skip = 1;
                        } else {
                            note = Some((attr(e, "id").unwrap_or_default(), String::new()));
                        }
                    }
                    "t" if is_start => in_t = true,
                    "tab" | "br" | "cr" => {
                        if let Some((_, t)) = note.as_mut() {
                            t.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                "t" => in_t = false,
                "p" => {
                    if let Some((_, t)) = note.as_mut() {
                        t.push(' ');
                    }
                }
                "footnote" => {
                    if let Some((id, text)) = note.take() {
                        let text = squash(&normalize_text(&text));
                        if !text.is_empty() {
                            out.push((id, text));
                        }
                    }
                }
                _ => {}
            },
            Event::Text(ref t) if in_t => {
                if let Some((_, s)) = note.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::CData(ref t) if in_t => {
                if let Some((_, s)) = note.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(ref r) if in_t => {
                if let (Some((_, s)), Some(c)) = (note.as_mut(), entity(&r.xml10_content())) {
                    s.push_str(&c);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
