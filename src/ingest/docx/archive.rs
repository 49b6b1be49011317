//! Zip container: one XML part read under the zip-bomb limits.

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

use super::{MAX_PART_BYTES, MAX_RATIO, RATIO_FLOOR};
use crate::ingest::IngestError;

/// One XML part as text and, when it could be read only in part (broken
/// compressed data, invalid UTF-8), why; `None` when the archive has no such
/// entry. Reading stops at [`MAX_PART_BYTES`] and at [`MAX_RATIO`] times the
/// compressed size, whatever the entry declares.
pub(super) fn read_part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<(String, Option<String>)>, IngestError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(IngestError::docx_from(format!("{name}: {e}"), e)),
    };
    if file.size() > MAX_PART_BYTES {
        return Err(IngestError::docx(format!("{name} too large ({} bytes uncompressed; limit {MAX_PART_BYTES})", file.size())));
    }
    let by_ratio = file.compressed_size().saturating_mul(MAX_RATIO).max(RATIO_FLOOR);
    let limit = MAX_PART_BYTES.min(by_ratio);
    let mut buf = Vec::new();
    let mut cut = None;
    // The declared size may lie: never read more than the limit.
    if let Err(e) = file.take(limit + 1).read_to_end(&mut buf) {
        if buf.is_empty() {
            return Err(IngestError::docx_from(format!("{name}: {e}"), e));
        }
        cut = Some(format!("compressed data broken after {} bytes ({e})", buf.len()));
    }
    if u64::try_from(buf.len()).unwrap_or(u64::MAX) > limit {
        return Err(IngestError::docx(if limit < MAX_PART_BYTES {
            format!("{name} too large: compression ratio over {MAX_RATIO}:1 (zip bomb?)")
        } else {
            format!("{name} too large (over {MAX_PART_BYTES} bytes uncompressed)")
        }));
    }
    let body = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Some((s.to_string(), cut))),
        Err(e) if e.valid_up_to() > 0 || cut.is_some() => {
            let ok = &body[..e.valid_up_to()];
            let why = cut.unwrap_or_else(|| format!("not UTF-8 after byte {}", e.valid_up_to()));
            Ok(Some((String::from_utf8_lossy(ok).into_owned(), Some(why))))
        }
        Err(e) => Err(IngestError::docx_from(format!("{name}: not UTF-8 ({e})"), e)),
    }
}
