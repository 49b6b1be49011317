//! XML walking shared by the parts: skipped subtrees, depth and time limits,
//! attributes and entities.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;

use super::MAX_XML_DEPTH;
use crate::ingest::IngestError;

/// Elements whose content is not visible text (alternate renderings, moved
/// or deleted revisions).
fn skipped(name: &str) -> bool {
    matches!(name, "Fallback" | "moveFrom" | "del" | "instrText" | "delText")
}

pub(super) fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| quick_xml::escape::unescape(&a.value).map(|v| v.into_owned()).unwrap_or_else(|_| a.value.to_string()))
}

pub(super) fn xml_error(part: &str, reader: &XmlReader<&[u8]>, e: quick_xml::Error) -> IngestError {
    IngestError::docx_from(format!("{part}: XML error at byte {}: {e}", reader.error_position()), e)
}

/// Text of a general entity reference (`&amp;`, `&#x1EA1;`).
pub(super) fn entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    let s = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    };
    Some(s.to_string())
}

/// State of a walk over one XML part.
#[derive(Default)]
pub(super) struct Walk {
    /// Depth inside a skipped subtree (0 = not skipping).
    pub(super) skip: u32,
    /// Open elements.
    pub(super) depth: u32,
    pub(super) events: u64,
}

/// The next event outside skipped subtrees (deleted text, field codes,
/// fallbacks — see `skipped` — and any element the caller put in `skip` by
/// setting it to 1 on its start tag); None at the end of the part. Nesting
/// deeper than [`MAX_XML_DEPTH`] is an error; a DTD is never expanded
/// (only the five XML entities and character references are known).
pub(super) fn next_kept<'a>(reader: &mut XmlReader<&'a [u8]>, part: &str, walk: &mut Walk) -> Result<Option<Event<'a>>, IngestError> {
    loop {
        let ev = reader.read_event().map_err(|e| xml_error(part, reader, e))?;
        walk.events += 1;
        if walk.events.is_multiple_of(4096) && crate::guard::expired() {
            return Err(IngestError::docx(format!("{part}: time budget spent")));
        }
        match &ev {
            Event::Start(_) => {
                walk.depth += 1;
                if walk.depth > MAX_XML_DEPTH {
                    return Err(IngestError::docx(format!("{part}: XML nested deeper than {MAX_XML_DEPTH} levels at byte {}", reader.buffer_position())));
                }
            }
            Event::End(_) => walk.depth = walk.depth.saturating_sub(1),
            _ => {}
        }
        match (&ev, walk.skip > 0) {
            (Event::Eof, _) => return Ok(None),
            (Event::Start(_), true) => walk.skip += 1,
            (Event::End(_), true) => walk.skip -= 1,
            (_, true) => {}
            (Event::Start(e), false) if skipped(e.local_name().as_ref()) => walk.skip = 1,
            (Event::Empty(e), false) if skipped(e.local_name().as_ref()) => {}
            (_, false) => return Ok(Some(ev)),
        }
    }
}
