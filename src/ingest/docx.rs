//! DOCX reader: `word/document.xml` → one [`SrcLine`] per body paragraph
//! (line breaks split it), tables → [`Grid`]s (merged cells expanded, header
//! rows flattened), `word/footnotes.xml` → [`Footnote`]s anchored at the line
//! holding their reference.
//!
//! Line numbers run over the body in document order; every table row takes
//! one number of that sequence too, so grid rows have stable locators (their
//! text is not repeated as lines). Pages are known when the file carries
//! rendered page breaks (`w:lastRenderedPageBreak`, written by Word) or, failing
//! those, explicit page breaks (`w:br w:type="page"`).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;
use zip::result::ZipError;
use zip::ZipArchive;

use super::{IngestError, IngestOptions, Reader};
use crate::model::{Footnote, Format, Grid, GridRow, Ingested, SrcLine, Status};
use crate::tables::stt::cell_key;
use crate::vn::normalize::normalize_text;

pub struct DocxReader;

/// Largest uncompressed XML part read (zip-bomb guard, absolute).
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Largest compression ratio of a part read beyond [`RATIO_FLOOR`] bytes
/// (zip-bomb guard, relative; Word's XML compresses about 5–20:1).
pub const MAX_RATIO: u64 = 200;
const RATIO_FLOOR: u64 = 4 * 1024 * 1024;
/// Most zip entries accepted (a Word file has a few dozen).
pub const MAX_ENTRIES: usize = 10_000;
/// Deepest XML nesting followed (Word nests a few levels, tables in tables a few more).
pub const MAX_XML_DEPTH: u32 = 256;
/// Most paragraphs + table rows read; the rest is dropped (status partial).
pub const MAX_BLOCKS: usize = 500_000;
/// Widest table kept (columns beyond are dropped).
const MAX_COLS: usize = 256;
/// Largest `w:gridSpan` honoured.
const MAX_SPAN: usize = 64;
/// Header rows at most before the first keyed row ("1", "I", "A").
const MAX_HEADER_ROWS: usize = 3;
/// Lines looked at above a table for its title.
const TITLE_LINES: usize = 6;
const TITLE_MAX_CHARS: usize = 160;

const DOCUMENT: &str = "word/document.xml";
const FOOTNOTES: &str = "word/footnotes.xml";

impl Reader for DocxReader {
    fn name(&self) -> &'static str {
        "docx"
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(b"PK\x03\x04")
            && ZipArchive::new(Cursor::new(bytes)).is_ok_and(|a| a.index_for_name(DOCUMENT).is_some())
    }

    fn read(&self, bytes: &[u8], _opts: &IngestOptions) -> Result<Ingested, IngestError> {
        if bytes.is_empty() {
            return Err(IngestError::Empty);
        }
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| IngestError::Docx(format!("not a zip archive: {e}")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(IngestError::Docx(format!("{} zip entries (limit {MAX_ENTRIES}): not read", zip.len())));
        }
        let (doc, cut) = read_part(&mut zip, DOCUMENT)?.ok_or_else(|| IngestError::Docx(format!("no {DOCUMENT} in the archive")))?;
        let body = parse_document(&doc)?;
        drop(doc);
        let mut warnings = Vec::new();
        // A damaged body: what was read is kept, the row is partial with the reason.
        let damage: Vec<String> = cut.into_iter().chain(body.truncated.clone()).collect();
        let notes = match read_part(&mut zip, FOOTNOTES) {
            Ok(Some((xml, cut))) => match parse_footnotes(&xml) {
                Ok(n) if cut.is_none() => n,
                Ok(n) => {
                    warnings.push(format!("footnotes {}", cut.unwrap_or_default()));
                    n
                }
                Err(e) => {
                    warnings.push(format!("footnotes skipped: {e}"));
                    Vec::new()
                }
            },
            Ok(None) => Vec::new(),
            Err(e) => {
                warnings.push(format!("footnotes skipped: {e}"));
                Vec::new()
            }
        };
        let mut ing = assemble(body, notes);
        ing.warnings.extend(warnings);
        let empty = ing.lines.iter().all(|l| l.text.trim().is_empty()) && ing.grids.is_empty();
        if !damage.is_empty() {
            let reason = format!("{DOCUMENT} damaged: {}; text after that point is lost", damage.join("; "));
            if empty {
                return Err(IngestError::Docx(reason));
            }
            ing.status = Status::Partial;
            ing.warnings.insert(0, reason);
        }
        if empty {
            return Err(IngestError::Empty);
        }
        Ok(ing)
    }
}

/// One XML part as text and, when it could be read only in part (broken
/// compressed data, invalid UTF-8), why; `None` when the archive has no such
/// entry. Reading stops at [`MAX_PART_BYTES`] and at [`MAX_RATIO`] times the
/// compressed size, whatever the entry declares.
fn read_part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<(String, Option<String>)>, IngestError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(IngestError::Docx(format!("{name}: {e}"))),
    };
    if file.size() > MAX_PART_BYTES {
        return Err(IngestError::Docx(format!("{name} too large ({} bytes uncompressed; limit {MAX_PART_BYTES})", file.size())));
    }
    let by_ratio = file.compressed_size().saturating_mul(MAX_RATIO).max(RATIO_FLOOR);
    let limit = MAX_PART_BYTES.min(by_ratio);
    let mut buf = Vec::new();
    let mut cut = None;
    // The declared size may lie: never read more than the limit.
    if let Err(e) = file.take(limit + 1).read_to_end(&mut buf) {
        if buf.is_empty() {
            return Err(IngestError::Docx(format!("{name}: {e}")));
        }
        cut = Some(format!("compressed data broken after {} bytes ({e})", buf.len()));
    }
    if u64::try_from(buf.len()).unwrap_or(u64::MAX) > limit {
        return Err(IngestError::Docx(if limit < MAX_PART_BYTES {
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
        Err(e) => Err(IngestError::Docx(format!("{name}: not UTF-8 ({e})"))),
    }
}

// ------------------------------------------------------------ raw model

#[derive(Debug, Default)]
struct Seg {
    text: String,
    /// Page at the first visible character (or at the end when empty).
    page: Option<u32>,
    refs: Vec<String>,
}

#[derive(Debug)]
enum Block {
    Para(Vec<Seg>),
    Table(RawTable),
}

#[derive(Debug, Default)]
struct RawTable {
    grid_cols: usize,
    rows: Vec<RawRow>,
}

#[derive(Debug, Default)]
struct RawRow {
    before: usize,
    cells: Vec<RawCell>,
    page: u32,
    refs: Vec<String>,
}

#[derive(Debug)]
struct RawCell {
    paras: Vec<String>,
    span: usize,
    /// `w:vMerge` without "restart": continues the cell above.
    vcont: bool,
}

struct Body {
    blocks: Vec<Block>,
    /// Why the part could not be read to its end (XML error, cut file, caps).
    truncated: Option<String>,
    /// Pages are known (page markers were seen).
    paged: bool,
    pages: u32,
}

/// Elements whose content is not visible text (alternate renderings, moved
/// or deleted revisions).
fn skipped(name: &str) -> bool {
    matches!(name, "Fallback" | "moveFrom" | "del" | "instrText" | "delText")
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| {
        quick_xml::escape::unescape(&a.value).map(|v| v.into_owned()).unwrap_or_else(|_| a.value.to_string())
    })
}

fn xml_error(part: &str, reader: &XmlReader<&[u8]>, e: impl std::fmt::Display) -> IngestError {
    IngestError::Docx(format!("{part}: XML error at byte {}: {e}", reader.error_position()))
}

/// Text of a general entity reference (`&amp;`, `&#x1EA1;`).
fn entity(name: &str) -> Option<String> {
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

/// Walks `word/document.xml` into paragraphs and tables.
fn parse_document(xml: &str) -> Result<Body, IngestError> {
    // Word writes `lastRenderedPageBreak` at every page it rendered
    // (explicit breaks included); without them, count explicit breaks.
    let rendered = xml.contains("lastRenderedPageBreak");
    let mut reader = XmlReader::from_str(xml);
    let mut blocks = Vec::new();
    let mut page: u32 = 1;
    let mut paged = false;
    let mut walk = Walk::default();
    let mut truncated = None;
    let mut para_depth: u32 = 0;
    let mut run_depth: u32 = 0;
    let mut in_t = false;
    let mut segs: Vec<Seg> = Vec::new();
    let mut cur = Seg::default();
    let mut tbl_depth: u32 = 0;
    let mut table: Option<RawTable> = None;
    let mut row: Option<RawRow> = None;
    let mut cell: Option<RawCell> = None;

    fn push_text(cur: &mut Seg, text: &str, page: u32) {
        if cur.page.is_none() && !text.trim().is_empty() {
            cur.page = Some(page);
        }
        cur.text.push_str(text);
    }
    fn end_seg(cur: &mut Seg, segs: &mut Vec<Seg>, page: u32) {
        let mut s = std::mem::take(cur);
        s.page.get_or_insert(page);
        segs.push(s);
    }

    loop {
        let ev = match next_kept(&mut reader, DOCUMENT, &mut walk) {
            Ok(Some(ev)) => ev,
            Ok(None) => {
                if walk.depth > 0 {
                    truncated = Some(format!("XML ends inside {} open element(s) (file cut?)", walk.depth));
                }
                break;
            }
            Err(e) => {
                let m = e.to_string();
                truncated = Some(m.strip_prefix("DOCX: ").unwrap_or(&m).to_string());
                break;
            }
        };
        if blocks.len() >= MAX_BLOCKS {
            truncated = Some(format!("more than {MAX_BLOCKS} paragraphs and tables: the rest is not read"));
            break;
        }
        let start = matches!(ev, Event::Start(_));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name();
                let name = name.as_ref();
                match name {
                    "p" => {
                        if para_depth == 0 {
                            segs.clear();
                            cur = Seg::default();
                        } else {
                            // A paragraph inside a paragraph (text box).
                            push_text(&mut cur, " ", page);
                        }
                        if start {
                            para_depth += 1;
                        } else if para_depth == 0 {
                            end_seg(&mut cur, &mut segs, page);
                            finish_para(&mut segs, tbl_depth, &mut blocks, &mut row, &mut cell);
                        }
                    }
                    "r" if start => run_depth += 1,
                    "t" if start && run_depth > 0 => in_t = true,
                    "tab" if run_depth > 0 && para_depth > 0 => push_text(&mut cur, "\t", page),
                    "noBreakHyphen" if run_depth > 0 => push_text(&mut cur, "-", page),
                    "br" | "cr" if run_depth > 0 && para_depth > 0 => {
                        let kind = if name == "br" { attr(e, "type") } else { None };
                        match kind.as_deref() {
                            Some("page") => {
                                if !rendered {
                                    page = page.saturating_add(1);
                                    paged = true;
                                }
                            }
                            _ if tbl_depth > 0 => push_text(&mut cur, " ", page),
                            _ => end_seg(&mut cur, &mut segs, page),
                        }
                    }
                    "lastRenderedPageBreak" => {
                        page = page.saturating_add(1);
                        paged = true;
                    }
                    "footnoteReference" => {
                        if let Some(id) = attr(e, "id") {
                            cur.refs.push(id);
                        }
                    }
                    "tbl" if start => {
                        tbl_depth += 1;
                        if tbl_depth == 1 {
                            table = Some(RawTable::default());
                        }
                    }
                    "gridCol" if tbl_depth == 1 => {
                        if let Some(t) = table.as_mut() {
                            t.grid_cols += 1;
                        }
                    }
                    "tr" if start && tbl_depth == 1 => row = Some(RawRow { page, ..Default::default() }),
                    "gridBefore" if tbl_depth == 1 && cell.is_none() => {
                        if let (Some(r), Some(v)) = (row.as_mut(), attr(e, "val")) {
                            r.before = v.trim().parse::<usize>().unwrap_or(0).min(MAX_SPAN);
                        }
                    }
                    "tc" if tbl_depth == 1 => {
                        let c = RawCell { paras: Vec::new(), span: 1, vcont: false };
                        if start {
                            cell = Some(c);
                        } else if let Some(r) = row.as_mut() {
                            r.cells.push(c);
                        }
                    }
                    "gridSpan" if tbl_depth == 1 => {
                        if let (Some(c), Some(v)) = (cell.as_mut(), attr(e, "val")) {
                            c.span = v.trim().parse::<usize>().unwrap_or(1).clamp(1, MAX_SPAN);
                        }
                    }
                    "vMerge" if tbl_depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.vcont = attr(e, "val").is_none_or(|v| v != "restart");
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "p" if para_depth > 0 => {
                        para_depth -= 1;
                        if para_depth == 0 {
                            end_seg(&mut cur, &mut segs, page);
                            finish_para(&mut segs, tbl_depth, &mut blocks, &mut row, &mut cell);
                        }
                    }
                    "r" => run_depth = run_depth.saturating_sub(1),
                    "t" => in_t = false,
                    "tc" if tbl_depth == 1 => {
                        if let (Some(r), Some(c)) = (row.as_mut(), cell.take()) {
                            r.cells.push(c);
                        }
                    }
                    "tr" if tbl_depth == 1 => {
                        if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                            t.rows.push(r);
                        }
                    }
                    "tbl" if tbl_depth > 0 => {
                        if tbl_depth == 1 {
                            if let Some(t) = table.take() {
                                blocks.push(Block::Table(t));
                            }
                            row = None;
                            cell = None;
                        }
                        tbl_depth -= 1;
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if in_t => push_text(&mut cur, &t.xml10_content(), page),
            Event::CData(ref t) if in_t => push_text(&mut cur, &t.xml10_content(), page),
            Event::GeneralRef(ref r) if in_t => {
                if let Some(s) = entity(&r.xml10_content()) {
                    push_text(&mut cur, &s, page);
                }
            }
            _ => {}
        }
    }
    // Unterminated input: keep what was read.
    if para_depth > 0 {
        end_seg(&mut cur, &mut segs, page);
        finish_para(&mut segs, tbl_depth, &mut blocks, &mut row, &mut cell);
    }
    if let Some(mut t) = table.take() {
        if let Some(mut r) = row.take() {
            if let Some(c) = cell.take() {
                r.cells.push(c);
            }
            t.rows.push(r);
        }
        blocks.push(Block::Table(t));
    }
    Ok(Body { blocks, truncated, paged, pages: page })
}

/// A finished paragraph goes to the body, or into the current table cell.
fn finish_para(segs: &mut Vec<Seg>, tbl_depth: u32, blocks: &mut Vec<Block>, row: &mut Option<RawRow>, cell: &mut Option<RawCell>) {
    let segs = std::mem::take(segs);
    if tbl_depth == 0 {
        blocks.push(Block::Para(segs));
        return;
    }
    let text = segs.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
    if let Some(r) = row.as_mut() {
        r.refs.extend(segs.into_iter().flat_map(|s| s.refs));
    }
    if let Some(c) = cell.as_mut() {
        c.paras.push(text);
    }
}

/// `word/footnotes.xml` → (id, text) of the real footnotes (separators skipped).
fn parse_footnotes(xml: &str) -> Result<Vec<(String, String)>, IngestError> {
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

// ------------------------------------------------------------ assembly

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assemble(body: Body, notes: Vec<(String, String)>) -> Ingested {
    let paged = body.paged;
    let pg = |p: Option<u32>| if paged { p } else { None };
    let mut n: u32 = 0;
    let mut lines = Vec::new();
    let mut grids = Vec::new();
    let mut anchors: HashMap<String, (u32, Option<u32>)> = HashMap::new();
    // Body lines since the last table (for table titles).
    let mut recent: Vec<String> = Vec::new();
    for block in body.blocks {
        match block {
            Block::Para(segs) => {
                for seg in segs {
                    n = n.saturating_add(1);
                    let text = normalize_text(seg.text.trim_end());
                    for r in seg.refs {
                        anchors.entry(r).or_insert((n, pg(seg.page)));
                    }
                    recent.push(text.clone());
                    lines.push(SrcLine { text, line: n, page: pg(seg.page), ..Default::default() });
                }
            }
            Block::Table(t) => {
                if t.rows.is_empty() {
                    continue;
                }
                let first = n.saturating_add(1);
                let row_lines: Vec<u32> = t
                    .rows
                    .iter()
                    .map(|_| {
                        n = n.saturating_add(1);
                        n
                    })
                    .collect();
                for (r, &line) in t.rows.iter().zip(&row_lines) {
                    for id in &r.refs {
                        anchors.entry(id.clone()).or_insert((line, pg(Some(r.page))));
                    }
                }
                let title = title_above(&recent);
                recent.clear();
                if let Some(g) = build_grid(&t, first, &row_lines, title, paged) {
                    grids.push(g);
                }
            }
        }
    }
    let footnotes = notes
        .into_iter()
        .map(|(marker, text)| {
            let anchor = anchors.get(&marker).copied();
            Footnote {
                marker,
                text,
                page: anchor.and_then(|a| a.1),
                line: anchor.map_or(0, |a| a.0),
                anchor_line: anchor.map(|a| a.0),
            }
        })
        .collect();
    Ingested {
        format: Format::Docx,
        encoding: "docx".into(),
        lines,
        pages: paged.then_some(body.pages),
        footnotes,
        grids,
        status: Status::Ok,
        warnings: Vec::new(),
    }
}

/// One grid column slot of a row: the text of the cell covering it, that
/// cell's width, whether it is the cell's first column, and whether the cell
/// continues a vertical merge.
#[derive(Clone, Default)]
struct Slot {
    text: String,
    width: usize,
    first: bool,
    vcont: bool,
}

fn expand(row: &RawRow, ncols: usize) -> Vec<Slot> {
    let mut slots = vec![Slot { width: 1, first: true, ..Default::default() }; row.before.min(ncols)];
    for c in &row.cells {
        let text = squash(&normalize_text(&c.paras.join(" ")));
        let text = if c.vcont { String::new() } else { text };
        for k in 0..c.span {
            if slots.len() >= ncols {
                break;
            }
            slots.push(Slot { text: text.clone(), width: c.span, first: k == 0, vcont: c.vcont });
        }
    }
    slots.resize(ncols, Slot { width: 1, first: true, ..Default::default() });
    slots
}

fn build_grid(t: &RawTable, first_line: u32, row_lines: &[u32], title: Option<String>, paged: bool) -> Option<Grid> {
    let widest = t.rows.iter().map(|r| r.before + r.cells.iter().map(|c| c.span).sum::<usize>()).max().unwrap_or(0);
    let ncols = t.grid_cols.max(widest).min(MAX_COLS);
    if ncols == 0 {
        return None;
    }
    let rows: Vec<Vec<Slot>> = t.rows.iter().map(|r| expand(r, ncols)).collect();
    let keyed = rows.iter().position(|r| r.first().is_some_and(|s| cell_key(&s.text).is_some()));
    let header = match keyed {
        Some(k) if k <= MAX_HEADER_ROWS => k,
        _ if rows.len() > 1 => 1,
        _ => 0,
    };
    let mut columns: Vec<String> = (0..ncols)
        .map(|c| {
            let mut name = String::new();
            let mut width = usize::MAX;
            for r in &rows[..header] {
                let Some(s) = r.get(c) else { continue };
                if s.vcont || s.text.is_empty() {
                    continue;
                }
                // A lower, narrower cell names the column ("Số liệu" under
                // "Kết quả thống kê"); an equally wide one is a caption.
                if name.is_empty() || s.width < width {
                    name = s.text.clone();
                    width = s.width;
                }
            }
            name
        })
        .collect();
    make_unique(&mut columns);
    let page = |p: u32| paged.then_some(p);
    let grid_rows = t
        .rows
        .iter()
        .zip(&rows)
        .zip(row_lines)
        .skip(header)
        .filter_map(|((raw, slots), &line)| {
            let cells: Vec<String> = slots.iter().map(|s| if s.first { s.text.clone() } else { String::new() }).collect();
            if cells.iter().all(|c| c.is_empty()) {
                return None;
            }
            let raw_text = cells.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" ");
            Some(GridRow { cells, page: page(raw.page), line, raw: raw_text, warning: None })
        })
        .collect();
    Some(Grid {
        title,
        page: t.rows.first().and_then(|r| page(r.page)),
        line: first_line,
        columns,
        rows: grid_rows,
    })
}

/// Suffix repeated names with " (2)", " (3)", …
fn make_unique(names: &mut [String]) {
    for i in 1..names.len() {
        let count = names[..i].iter().filter(|n| **n == names[i]).count();
        if count > 0 && !names[i].is_empty() {
            names[i] = format!("{} ({})", names[i], count + 1);
        }
    }
}

fn mostly_upper(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    letters.len() >= 6 && upper * 10 >= letters.len() * 8
}

fn is_title_prefix(text: &str) -> bool {
    let lower = text.trim_start().to_lowercase();
    ["phụ lục", "biểu", "bảng", "mẫu"].iter().any(|p| lower.starts_with(p))
}

/// Title from the lines right above a table: from the last "Phụ lục …" /
/// "Biểu …" line, else the run of upper-case lines just above.
fn title_above(recent: &[String]) -> Option<String> {
    let mut block: Vec<&str> = Vec::new();
    for text in recent.iter().rev() {
        let t = text.trim();
        if t.is_empty() {
            if block.is_empty() {
                continue;
            }
            break;
        }
        if t.chars().count() > TITLE_MAX_CHARS || block.len() >= TITLE_LINES {
            break;
        }
        block.push(t);
    }
    block.reverse();
    let chosen: Vec<&str> = match block.iter().rposition(|l| is_title_prefix(l)) {
        Some(i) => block[i..].to_vec(),
        None => {
            // Skip trailing "(Kèm theo …)" lines, then take the capitals above.
            let mut end = block.len();
            while end > 0 && block[end - 1].starts_with('(') {
                end -= 1;
            }
            let mut start = end;
            while start > 0 && mostly_upper(block[start - 1]) {
                start -= 1;
            }
            if start == end {
                return None;
            }
            block[start..end].to_vec()
        }
    };
    crate::tables::compose_title(&chosen)
}


/// State of a walk over one XML part.
#[derive(Default)]
struct Walk {
    /// Depth inside a skipped subtree (0 = not skipping).
    skip: u32,
    /// Open elements.
    depth: u32,
    events: u64,
}

/// The next event outside skipped subtrees (deleted text, field codes,
/// fallbacks — see `skipped` — and any element the caller put in `skip` by
/// setting it to 1 on its start tag); None at the end of the part. Nesting
/// deeper than [`MAX_XML_DEPTH`] is an error; a DTD is never expanded
/// (only the five XML entities and character references are known).
fn next_kept<'a>(reader: &mut XmlReader<&'a [u8]>, part: &str, walk: &mut Walk) -> Result<Option<Event<'a>>, IngestError> {
    loop {
        let ev = reader.read_event().map_err(|e| xml_error(part, reader, e))?;
        walk.events += 1;
        if walk.events.is_multiple_of(4096) && crate::guard::expired() {
            return Err(IngestError::Docx(format!("{part}: time budget spent")));
        }
        match &ev {
            Event::Start(_) => {
                walk.depth += 1;
                if walk.depth > MAX_XML_DEPTH {
                    return Err(IngestError::Docx(format!("{part}: XML nested deeper than {MAX_XML_DEPTH} levels at byte {}", reader.buffer_position())));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::Path;

    fn fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pdf").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn read(bytes: &[u8]) -> Ingested {
        DocxReader.read(bytes, &IngestOptions::default()).expect("docx reads")
    }

    /// A minimal DOCX with the given document.xml body and optional footnotes.
    fn make_docx(body: &str, footnotes: Option<&str>) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        w.start_file("[Content_Types].xml", opts).unwrap();
        w.write_all(b"<Types/>").unwrap();
        w.start_file(DOCUMENT, opts).unwrap();
        write!(w, r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{body}</w:body></w:document>"#).unwrap();
        if let Some(f) = footnotes {
            w.start_file(FOOTNOTES, opts).unwrap();
            write!(w, r#"<w:footnotes {ns}>{f}</w:footnotes>"#).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn texts(ing: &Ingested) -> Vec<&str> {
        ing.lines.iter().map(|l| l.text.as_str()).collect()
    }

    fn row<'a>(g: &'a Grid, first: &str) -> &'a GridRow {
        g.rows.iter().find(|r| r.cells.first().is_some_and(|c| c == first)).unwrap_or_else(|| panic!("row {first}"))
    }

    #[test]
    fn sniff_and_pick() {
        let bytes = fixture("001_report.docx");
        assert!(DocxReader.sniff(&bytes));
        assert_eq!(super::super::auto::pick(&bytes).name(), "docx");
        assert!(!DocxReader.sniff(b"PK\x03\x04 not really a zip"));
        assert!(!DocxReader.sniff(b"plain text"));
        // A zip without word/document.xml is not a DOCX.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("a.txt", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(b"x").unwrap();
        let other = w.finish().unwrap().into_inner();
        assert!(!DocxReader.sniff(&other));
        assert!(matches!(DocxReader.read(&other, &IngestOptions::default()), Err(IngestError::Docx(_))));
        assert!(matches!(DocxReader.read(b"PK\x03\x04junk", &IngestOptions::default()), Err(IngestError::Docx(_))));
    }

    #[test]
    fn report_001_text_and_grid() {
        let ing = read(&fixture("001_report.docx"));
        assert_eq!((ing.format, ing.encoding.as_str(), ing.status), (Format::Docx, "docx", Status::Ok));
        assert!(ing.lines.iter().any(|l| l.text.contains("Trương Quang Trọng")));
        // Table text is not repeated as lines.
        assert!(!ing.lines.iter().any(|l| l.text == "Đơn vị tính"));
        assert_eq!(ing.grids.len(), 1);
        let g = &ing.grids[0];
        assert_eq!(g.columns, ["Stt", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]);
        assert_eq!(
            g.title.as_deref(),
            Some("Phụ lục — Thống kê số liệu về kết quả thực hiện công tác cải cách hành chính quý I năm 2025")
        );
        assert!(g.rows.iter().all(|r| r.cells.len() == 5));
        let r = g
            .rows
            .iter()
            .find(|r| r.cells[1].contains("Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hẹn"))
            .expect("row found");
        assert_eq!((r.cells[2].as_str(), r.cells[3].as_str()), ("%", "100"));
        assert!(r.cells[4].contains("843/843"), "{:?}", r.cells);
        // Row lines continue the body numbering: header rows take 2 numbers.
        let before: Vec<u32> = ing.lines.iter().map(|l| l.line).filter(|&l| l < g.line).collect();
        assert_eq!(before, (1..g.line).collect::<Vec<_>>());
        assert_eq!(g.rows[0].line, g.line + 2);
        assert_eq!(row(g, "1.").cells[1], "Công tác chỉ đạo điều hành CCHC");
        // The paragraphs after the table follow its rows.
        let after = ing.lines.iter().rev().find(|l| l.text == "Nơi nhận:").expect("Nơi nhận");
        assert!(after.line > g.rows.last().map_or(0, |r| r.line));
    }

    #[test]
    fn appendix_004_grids() {
        let ing = read(&fixture("004_appendix.docx"));
        assert_eq!(ing.grids.len(), 3);
        let titles: Vec<&str> = ing.grids.iter().filter_map(|g| g.title.as_deref()).collect();
        assert_eq!(titles.len(), 3, "{titles:?}");
        assert!(titles[0].starts_with("Phụ lục I — Thống kê các chỉ tiêu của lĩnh vực chỉ đạo"), "{titles:?}");
        let viii = ing.grids.iter().find(|g| g.title.as_deref().is_some_and(|t| t.starts_with("Phụ lục VIII "))).expect("VIII");
        assert_eq!(viii.columns[0], "STT");
        assert_eq!(viii.columns.len(), 7);
        let r = row(viii, "6.3.1");
        assert_eq!(&r.cells[2..], ["3797", "4386", "5", "120", "21"]);
        // Explicit page breaks give pages: one appendix per page.
        assert_eq!(ing.pages, Some(3));
        assert_eq!(viii.page, Some(3));
        assert_eq!(ing.grids[0].page, Some(1));
    }

    #[test]
    fn sections_match_text_export() {
        use crate::pipeline::{process_file, Options};
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = Options::default();
        let docx = process_file(&root.join("fixtures/pdf/001_report.docx"), &opts);
        let text = process_file(&root.join("fixtures/text/001_tq_trong_q1_2025.txt"), &opts);
        assert_eq!(docx.document.format, crate::model::Format::Docx);
        assert_eq!(docx.document.status, Status::Ok, "{:?}", docx.document.error);
        let key = |e: &crate::model::Extracted| e.sections.iter().map(|s| (s.number.clone(), s.title.clone())).collect::<Vec<_>>();
        assert_eq!(text.sections.len(), 27);
        assert_eq!(key(&docx), key(&text));
        assert!(!docx.cells.is_empty());
    }

    #[test]
    fn runs_tabs_breaks_footnotes_and_merges() {
        let body = r#"
<w:p><w:r><w:t xml:space="preserve">Hoà </w:t></w:r><w:r><w:t>A&amp;B</w:t><w:tab/><w:t>x</w:t><w:br/><w:t>second</w:t></w:r>
 <w:r><w:footnoteReference w:id="1"/></w:r></w:p>
<w:p/>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:delText>gone</w:delText></w:r><w:ins><w:r><w:t>kept</w:t></w:r></w:ins></w:p>
<w:p><w:r><w:t>BIỂU TỔNG HỢP SỐ LIỆU</w:t></w:r></w:p>
<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
 <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>STT</w:t></w:r></w:p></w:tc>
  <w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Nội dung</w:t></w:r></w:p></w:tc>
  <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Kết quả</w:t></w:r></w:p></w:tc></w:tr>
 <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
  <w:tc><w:p><w:r><w:t>Kế hoạch</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Thực hiện</w:t></w:r></w:p></w:tc></w:tr>
 <w:tr><w:tc><w:p><w:r><w:t>I</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Hồ sơ</w:t></w:r></w:p><w:p><w:r><w:t>tiếp nhận</w:t><w:footnoteReference w:id="2"/></w:r></w:p></w:tc>
  <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr>
 <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>Ghi chú</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:r><w:t>after</w:t></w:r></w:p>"#;
        let notes = r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Kế hoạch số 02/KH-UBND</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>Trong bảng</w:t></w:r></w:p></w:footnote>"#;
        let ing = read(&make_docx(body, Some(notes)));
        assert_eq!(texts(&ing), ["Hòa A&B\tx", "second", "", "kept", "BIỂU TỔNG HỢP SỐ LIỆU", "after"]);
        assert_eq!(ing.lines.iter().map(|l| l.line).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 10]);
        assert_eq!(ing.pages, None);
        let g = &ing.grids[0];
        assert_eq!(g.title.as_deref(), Some("Biểu tổng hợp số liệu"));
        assert_eq!(g.columns, ["STT", "Nội dung", "Kế hoạch", "Thực hiện"]);
        assert_eq!(g.line, 6);
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.rows[0].cells, ["I", "Hồ sơ tiếp nhận", "12", ""]);
        assert_eq!(g.rows[0].line, 8);
        assert_eq!(g.rows[1].cells, ["", "Ghi chú", "", "3"]);
        assert_eq!(ing.footnotes.len(), 2);
        assert_eq!((ing.footnotes[0].marker.as_str(), ing.footnotes[0].text.as_str()), ("1", "Kế hoạch số 02/KH-UBND"));
        assert_eq!(ing.footnotes[0].anchor_line, Some(2));
        assert_eq!(ing.footnotes[1].anchor_line, Some(8));
    }

    #[test]
    fn errors_are_reported_not_panics() {
        // A broken part keeps what was read before the error: partial, with the reason.
        let bad = make_docx("<w:p><w:r><w:t>a</w:t></w:r></w:q>", None);
        let ing = read(&bad);
        assert_eq!(ing.status, Status::Partial);
        assert!(ing.warnings[0].contains("XML"), "{:?}", ing.warnings);
        // Nothing read before the error: failed with the reason.
        let bad = make_docx("</w:q><w:p><w:r><w:t>a</w:t></w:r></w:p>", None);
        assert!(matches!(DocxReader.read(&bad, &IngestOptions::default()), Err(IngestError::Docx(m)) if m.contains("XML")));
        // Truncated archive.
        let good = fixture("001_report.docx");
        for cut in [10, good.len() / 2, good.len() - 10] {
            let _ = DocxReader.read(&good[..cut], &IngestOptions::default());
        }
        // Empty body.
        assert!(DocxReader.read(&make_docx("", None), &IngestOptions::default()).is_err());
    }

    /// document.xml cut in the middle (a valid zip around it).
    fn cut_docx(xml: &str) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file(DOCUMENT, opts).unwrap();
        w.write_all(xml.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn hostile_parts_are_bounded() {
        let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        // Cut inside an element: partial, never ok.
        let ing = read(&cut_docx(&format!("<w:document {ns}><w:body><w:p><w:r><w:t>Báo cáo 12 hồ sơ</w:t></w:r></w:p><w:p><w:r><w:t>Đạt 10")));
        assert_eq!(ing.status, Status::Partial);
        assert!(ing.warnings[0].contains("open element"), "{:?}", ing.warnings);
        let ing = read(&cut_docx(&format!("<w:document {ns}><w:body><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p><w:p><w:r><w:t")));
        assert_eq!(ing.status, Status::Partial);
        // Deep nesting: stops at the cap.
        let deep = format!("<w:document {ns}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>{}</w:body></w:document>", "<a>".repeat(100_000));
        let ing = read(&cut_docx(&deep));
        assert_eq!(ing.status, Status::Partial);
        assert!(ing.warnings[0].contains("deeper"), "{:?}", ing.warnings);
        // Entity bomb: the DTD is not expanded.
        let bomb = format!(r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document {ns}><w:body><w:p><w:r><w:t>ok &c;&c;&c;</w:t></w:r></w:p></w:body></w:document>"#);
        let ing = read(&cut_docx(&bomb));
        assert!(ing.lines.iter().map(|l| l.text.len()).sum::<usize>() < 100);
        // Zip bomb: 60 MB of zeros in a few kB.
        let mut big = format!("<w:document {ns}><w:body><w:p><w:r><w:t>").into_bytes();
        big.resize(60 << 20, b'0');
        let bytes = cut_docx(std::str::from_utf8(&big).unwrap());
        assert!(bytes.len() < 1 << 20);
        assert!(matches!(DocxReader.read(&bytes, &IngestOptions::default()), Err(IngestError::Docx(m)) if m.contains("ratio")));
    }
}
