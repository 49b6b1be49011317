//! Loading a document (decryption, errors, limits) and reading its pages.

use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::{FontCache, Interpreter, OpBudget, PageContent, Segment};
use super::objects::{as_dict, get, get_dict, num_array, resolve};
use super::quality::check_fonts;
use super::struct_tree::struct_tables;
use super::tables::tagged_grids;
use super::tagged::{self, MarkedWords};
use super::words::build_page_lines;
use super::{looks_like_pdf, PdfDoc, PdfError, PdfLimits, PdfPage, PdfRule};

/// Largest decoded page content (bytes).
const MAX_PAGE_CONTENT: usize = 64 << 20;
/// Share of the page an image must cover for an image-only page.
const IMAGE_COVER: f32 = 0.5;

/// Read a PDF into pages of positioned lines. Never panics: a panic inside
/// lopdf or this reader comes back as [`PdfError::Parse`].
pub fn read_pdf(bytes: &[u8], limits: &PdfLimits) -> Result<PdfDoc, PdfError> {
    if !looks_like_pdf(bytes) {
        return Err(PdfError::Parse("no %PDF- header".into()));
    }
    catch_unwind(AssertUnwindSafe(|| read_document(bytes, limits))).unwrap_or_else(|_| Err(PdfError::Parse("internal error while reading the PDF".into())))
}

/// A page before line building: its box and what its content painted.
struct RawPage {
    id: ObjectId,
    number: u32,
    left: f32,
    bottom: f32,
    width: f32,
    height: f32,
    content: PageContent,
}

fn read_document(bytes: &[u8], limits: &PdfLimits) -> Result<PdfDoc, PdfError> {
    let doc = load(bytes)?;
    let mut out = PdfDoc { tagged: is_tagged(&doc), ..PdfDoc::default() };
    let mut fonts = FontCache::default();
    let mut budget = OpBudget { used: 0, max: limits.max_ops };
    let pages = doc.get_pages();
    if pages.len() > limits.max_pages {
        out.warnings.push(format!("only the first {} of {} pages read", limits.max_pages, pages.len()));
    }
    let mut raw = Vec::new();
    // Pages of a document show about as many glyphs as the page before:
    // room for that many up front spares regrowing the glyph list.
    let mut expected_glyphs = 0;
    for (&number, &id) in pages.iter().take(limits.max_pages) {
        if crate::guard::expired() {
            return Err(PdfError::Parse(format!("time budget spent at page {number}")));
        }
        let page = read_page(&doc, number, id, &mut fonts, &mut budget, expected_glyphs)?;
        expected_glyphs = page.content.glyphs.len();
        out.warnings.extend(page.content.warnings.iter().map(|w| format!("page {number}: {w}")));
        if page.content.rotated_glyphs > 0 {
            out.warnings.push(format!("page {number}: {} rotated glyphs skipped", page.content.rotated_glyphs));
        }
        raw.push(page);
    }
    let mut all_glyphs: Vec<_> = raw.iter_mut().map(|p| std::mem::take(&mut p.content.glyphs)).collect();
    out.warnings.extend(check_fonts(&fonts.fonts, &mut all_glyphs));
    let page_ids: Vec<ObjectId> = raw.iter().map(|p| p.id).collect();
    let mut mcids = Vec::with_capacity(raw.len());
    for (page, glyphs) in raw.into_iter().zip(all_glyphs) {
        let (page, page_mcids) = finish_page(page, glyphs);
        out.pages.push(page);
        mcids.push(page_mcids);
    }
    if out.tagged {
        let index = MarkedWords::new(&out.pages, &mcids, &page_ids);
        let tables = struct_tables(&doc).iter().filter_map(|t| tagged::page_table(t, &index)).collect();
        out.tagged_tables = tagged_grids(&out, tables);
    }
    Ok(out)
}

/// Load with lopdf; an encrypted file is opened with the empty user password
/// or refused.
fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => PdfError::Encrypted(e.to_string()),
        e => PdfError::Parse(e.to_string()),
    })?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| PdfError::Encrypted(format!("a password is required ({e})")))?;
    }
    if doc.get_pages().is_empty() {
        return Err(PdfError::Parse("no pages found".into()));
    }
    Ok(doc)
}

fn is_tagged(doc: &Document) -> bool {
    let Ok(catalog) = doc.catalog() else { return false };
    let marked = get_dict(doc, catalog, b"MarkInfo").and_then(|m| get(doc, m, b"Marked")).is_some_and(|o| matches!(o, Object::Boolean(true)));
    marked || catalog.has(b"StructTreeRoot")
}

fn read_page(doc: &Document, number: u32, id: ObjectId, fonts: &mut FontCache, budget: &mut OpBudget, expected_glyphs: usize) -> Result<RawPage, PdfError> {
    let page = doc.get_dictionary(id).map_err(|e| PdfError::Parse(format!("page {number}: {e}")))?;
    let [x0, y0, x1, y1] = media_box(doc, page);
    let resources = inherited(doc, page, b"Resources").and_then(as_dict);
    let (initial, width, height) = display_matrix(rotation(doc, page), [x0, y0, x1, y1]);
    let content = match doc.get_page_content_with_limit(id, MAX_PAGE_CONTENT) {
        Ok(bytes) => Interpreter::new(doc, fonts, budget).with_initial_matrix(initial).with_glyph_capacity(expected_glyphs).run_page(&bytes, resources)?,
        Err(e) => PageContent { warnings: vec![format!("content unreadable: {e}")], ..PageContent::default() },
    };
    Ok(RawPage { id, number, left: 0.0, bottom: 0.0, width, height, content })
}

/// The page's /Rotate (inherited) as 0, 90, 180 or 270.
fn rotation(doc: &Document, page: &Dictionary) -> i64 {
    inherited(doc, page, b"Rotate").and_then(|o| resolve(doc, o).as_i64().ok()).map_or(0, |r| r.rem_euclid(360) / 90 * 90)
}

/// The matrix from user space to the page as displayed (origin at its
/// bottom-left, /Rotate applied clockwise), and the displayed width and
/// height. A landscape table stored on a portrait page turned by /Rotate 90
/// comes out upright, in reading order.
fn display_matrix(rotate: i64, [x0, y0, x1, y1]: [f32; 4]) -> ([f32; 6], f32, f32) {
    let (w, h) = (x1 - x0, y1 - y0);
    match rotate {
        // (x, y) → (y, w − x)
        90 => ([0.0, -1.0, 1.0, 0.0, -y0, x1], h, w),
        // (x, y) → (w − x, h − y)
        180 => ([-1.0, 0.0, 0.0, -1.0, x1, y1], w, h),
        // (x, y) → (h − y, x)
        270 => ([0.0, 1.0, -1.0, 0.0, y1, -x0], h, w),
        _ => ([1.0, 0.0, 0.0, 1.0, -x0, -y0], w, h),
    }
}

/// A page attribute, looked up through the /Parent chain.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Some(v) = get(doc, node, key) {
            return Some(v);
        }
        node = get(doc, node, b"Parent").and_then(as_dict)?;
    }
    None
}

/// The page's /MediaBox normalised to [x0, y0, x1, y1] (A4 when missing).
fn media_box(doc: &Document, page: &Dictionary) -> [f32; 4] {
    let v = inherited(doc, page, b"MediaBox").map(|o| num_array(doc, resolve(doc, o))).unwrap_or_default();
    match v.as_slice() {
        [a, b, c, d, ..] if (c - a).abs() > 1.0 && (d - b).abs() > 1.0 => [a.min(*c), b.min(*d), a.max(*c), b.max(*d)],
        _ => [0.0, 0.0, 595.0, 842.0],
    }
}

/// Lines of a page, with the marked-content id of each word.
fn finish_page(page: RawPage, glyphs: Vec<super::content::Glyph>) -> (PdfPage, Vec<Vec<Option<i64>>>) {
    let top = page.bottom + page.height;
    let rules = rules_of(&page.content.segments, page.left, top);
    let image_only = glyphs.is_empty() && covered_by_image(&page);
    let built = build_page_lines(&glyphs, page.left, top, &rules);
    let pdf_page = PdfPage { number: page.number, width: page.width, height: page.height, lines: built.lines, image_only, rules };
    (pdf_page, built.mcids)
}

/// Axis-aligned segments as rules in top-down page coordinates.
fn rules_of(segments: &[Segment], left: f32, top: f32) -> Vec<PdfRule> {
    segments
        .iter()
        .filter(|s| (s.x1 - s.x0).abs() < 1.0 || (s.y1 - s.y0).abs() < 1.0)
        .map(|s| PdfRule { x0: s.x0.min(s.x1) - left, x1: s.x0.max(s.x1) - left, y0: top - s.y0.max(s.y1), y1: top - s.y0.min(s.y1) })
        .filter(|r| r.is_vertical() || r.is_horizontal())
        .collect()
}

fn covered_by_image(page: &RawPage) -> bool {
    let area = page.width * page.height;
    page.content.images.iter().any(|[x0, y0, x1, y1]| {
        let w = (x1.min(page.left + page.width) - x0.max(page.left)).max(0.0);
        let h = (y1.min(page.bottom + page.height) - y0.max(page.bottom)).max(0.0);
        w * h >= IMAGE_COVER * area
    })
}

#[cfg(test)]
mod tests {
    use super::display_matrix;

    fn apply(m: [f32; 6], x: f32, y: f32) -> (f32, f32) {
        (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    }

    #[test]
    fn rotate_turns_the_page_upright() {
        // A4 portrait media box shown turned by 90°: the displayed page is
        // landscape; the media box's top-left corner is shown top-right.
        let (m, w, h) = display_matrix(90, [0.0, 0.0, 595.0, 842.0]);
        assert_eq!((w, h), (842.0, 595.0));
        assert_eq!(apply(m, 0.0, 842.0), (842.0, 595.0));
        assert_eq!(apply(m, 0.0, 0.0), (0.0, 595.0));
        let (m, _, _) = display_matrix(180, [0.0, 0.0, 595.0, 842.0]);
        assert_eq!(apply(m, 0.0, 0.0), (595.0, 842.0));
        let (m, w, _) = display_matrix(270, [10.0, 20.0, 605.0, 862.0]);
        assert_eq!(w, 842.0);
        assert_eq!(apply(m, 10.0, 20.0), (842.0, 0.0));
        let (m, _, _) = display_matrix(0, [10.0, 20.0, 605.0, 862.0]);
        assert_eq!(apply(m, 10.0, 20.0), (0.0, 0.0));
    }
}
