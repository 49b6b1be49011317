//! OCR glue for the readers: scanned (or garbage-text) pages of a PDF are
//! replaced by their OCR reading before [`to_ingested`]; image files (PNG,
//! JPEG, TIFF) are read as a document of their pages (one, or each page of
//! a multi-page TIFF). Both then go through the
//! same page model as digital PDFs (reading order, footnotes, tables).

use std::collections::HashMap;

use super::ocr::{self, pdf_images, OcrError, OcrMode, OcrPage, PageImage};
use super::pdf::{PdfDoc, PdfPage};
use super::pdf_reader::to_ingested;
use super::{IngestError, IngestOptions, Reader};
use crate::model::{Format, Ingested, OcrInfo, Status, TextSource};
use crate::vn::syllable::syllable_stats;

/// A text layer with fewer valid syllables than this share is garbage.
const GARBAGE_SCORE: f32 = 0.2;
/// Words needed before a text layer is judged.
const GARBAGE_MIN_WORDS: u32 = 20;
/// Share of characters without Unicode (U+FFFD, private use) that makes a
/// text layer garbage.
const GARBAGE_UNMAPPED: f32 = 0.3;

/// What OCR did to a document's pages.
#[derive(Default)]
pub(crate) struct OcrRun {
    /// Page numbers read by OCR, with their page.
    done: Vec<(u32, OcrPage)>,
    /// Pages where OCR failed, with the reason.
    failed: Vec<(u32, String)>,
    /// Pages whose text layer was garbage (replaced when OCR worked).
    garbage: Vec<u32>,
    /// Why OCR could not run at all (not installed, --ocr off).
    unavailable: Option<String>,
}

/// Words a page needs before the share of marked words is judged.
const STRIPPED_MIN_WORDS: usize = 40;
/// Vietnamese prose carries a mark (tone, ă â ê ô ơ ư, đ) on 84–95 % of its
/// words (the 25 realtexts and the 5 seeds); an OCR layer made without the
/// Vietnamese model ("thuc hién nhiém vu", Tesseract `eng`) on 16 %. Below
/// this share the text layer is not the text as printed.
const STRIPPED_MARKED: f32 = 0.4;

/// True when a page's text layer is not Vietnamese text: almost no valid
/// syllables, many glyphs without Unicode, or words without their marks (an
/// invisible OCR layer made by a scanner without the Vietnamese model).
pub(crate) fn garbage_text(page: &PdfPage) -> bool {
    let text: String = page.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ");
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    if chars < 20 {
        return false;
    }
    let unmapped = text.chars().filter(|&c| c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) || (c.is_control() && c != '\t')).count();
    if unmapped as f32 > GARBAGE_UNMAPPED * chars as f32 {
        return true;
    }
    let stats = syllable_stats(&text);
    if stats.counted as usize >= STRIPPED_MIN_WORDS && (stats.marked as f32) < STRIPPED_MARKED * stats.counted as f32 {
        return true;
    }
    stats.counted >= GARBAGE_MIN_WORDS && stats.score() < GARBAGE_SCORE
}

/// OCRs the pages of `doc` that have no text (scans) or a garbage text
/// layer, in place. None when no page needs it.
pub(crate) fn ocr_pdf(doc: &mut PdfDoc, bytes: &[u8], mode: OcrMode) -> Option<OcrRun> {
    let mut run = OcrRun::default();
    let mut wanted = Vec::new();
    for (i, p) in doc.pages.iter().enumerate() {
        if p.image_only && p.lines.is_empty() {
            wanted.push(i);
        } else if garbage_text(p) {
            run.garbage.push(p.number);
            wanted.push(i);
        }
    }
    if wanted.is_empty() {
        return None;
    }
    let engine = match ocr::engine(mode) {
        Ok(e) => e,
        Err(e) => {
            run.unavailable = Some(e.to_string());
            return Some(run);
        }
    };
    let sizes: Vec<(u32, f32, f32)> = wanted.iter().filter_map(|&i| doc.pages.get(i)).map(|p| (p.number, p.width, p.height)).collect();
    let jobs = pdf_images::page_jobs(bytes, &sizes);
    crate::guard::extend(crate::guard::OCR_PAGE_ALLOWANCE.saturating_mul(u32::try_from(jobs.len()).unwrap_or(u32::MAX)));
    let deadline = crate::guard::deadline();
    let results = ocr::ocr_pages(&engine, &jobs, |j| pdf_images::load(j, bytes, deadline));
    for (&i, result) in wanted.iter().zip(results) {
        let Some(page) = doc.pages.get_mut(i) else { continue };
        match result {
            Ok(o) => {
                page.lines = o.page.lines.clone();
                page.rules = o.page.rules.clone();
                page.image_only = false;
                run.done.push((page.number, o));
            }
            Err(e) => run.failed.push((page.number, e.to_string())),
        }
    }
    Some(run)
}

/// Status, text source, warnings and word confidences of an ingested PDF
/// after [`ocr_pdf`].
pub(crate) fn finish(run: Option<OcrRun>, doc: &PdfDoc, ing: &mut Ingested) {
    let Some(run) = run else { return };
    if let Some(why) = &run.unavailable {
        let note = format!("OCR not available: {why}");
        if ing.status == Status::NeedsOcr {
            ing.warnings.push(note);
        } else {
            ing.warnings.push(format!("pages without a usable text layer left unread ({note})"));
            if !run.garbage.is_empty() {
                ing.warnings.push(format!("garbage text layer on pages {:?}", run.garbage));
            }
        }
        return;
    }
    if !run.garbage.is_empty() {
        ing.warnings.push(format!("garbage text layer on pages {:?}: read by OCR instead", run.garbage));
    }
    if !run.failed.is_empty() {
        let pages: Vec<String> = run.failed.iter().map(|(n, why)| format!("page {n}: {why}")).collect();
        let note = format!("OCR failed on {} page(s): {}", run.failed.len(), pages.join("; "));
        match ing.status {
            Status::Ok => {
                ing.status = Status::Partial;
                ing.warnings.insert(0, note);
            }
            Status::NeedsOcr => {
                ing.status = Status::Failed;
                ing.warnings = vec![note];
            }
            _ => ing.warnings.push(note),
        }
    }
    if run.done.is_empty() {
        return;
    }
    let text_pages = doc.pages.iter().filter(|p| !p.lines.is_empty()).count();
    ing.text_source = if run.done.len() >= text_pages { TextSource::Ocr } else { TextSource::Mixed };
    ing.ocr = Some(ocr_info(doc, &run.done));
    let skew: Vec<String> = run.done.iter().filter(|(_, o)| o.skew.abs() >= 0.1).map(|(n, o)| format!("{n}: {:.1}°", o.skew)).collect();
    let dpi: Vec<f32> = run.done.iter().map(|(_, o)| o.dpi.round()).collect();
    let odd: usize = run.done.iter().map(|(_, o)| o.odd_words).sum();
    let mut note = format!("OCR (Tesseract, vie) of {} page(s) at {:.0} dpi", run.done.len(), dpi.iter().copied().fold(0.0, f32::max));
    if !skew.is_empty() {
        note.push_str(&format!(", skew corrected on pages {}", skew.join(", ")));
    }
    if odd > 0 {
        note.push_str(&format!(", {odd} words are not Vietnamese syllables (lower confidence)"));
    }
    ing.warnings.push(note);
}

/// Word confidences by source line and page. Source lines are numbered as
/// [`to_ingested`] numbers them: one running number over every page line.
fn ocr_info(doc: &PdfDoc, done: &[(u32, OcrPage)]) -> OcrInfo {
    let by_page: HashMap<u32, &OcrPage> = done.iter().map(|(n, o)| (*n, o)).collect();
    let mut info = OcrInfo::default();
    let (mut sum, mut count) = (0.0, 0usize);
    let mut n: u32 = 0;
    for page in &doc.pages {
        let ocr = by_page.get(&page.number);
        for (k, line) in page.lines.iter().enumerate() {
            n += 1;
            let Some(o) = ocr else { continue };
            let confs = o.word_conf.get(k).cloned().unwrap_or_default();
            let words: Vec<(String, f32)> = line.words.iter().zip(confs).map(|(w, c)| (w.text.clone(), c)).collect();
            let page_words = info.pages.entry(page.number).or_default();
            for (t, c) in &words {
                let e = page_words.entry(t.clone()).or_insert(*c);
                *e = e.min(*c);
            }
            info.lines.insert(n, words);
        }
        if let Some(o) = ocr {
            let (s, c) = o.conf_sum();
            sum += s;
            count += c;
        }
    }
    info.mean_confidence = if count > 0 { sum / count as f64 } else { 0.0 };
    info
}

/// Scanned pages and photos given as PNG, JPEG or TIFF files.
pub struct ImageReader;

/// PNG, JPEG or TIFF magic bytes.
pub fn looks_like_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*")
}

/// A4 width in points (an image file says nothing reliable about its size).
const A4_SHORT: f32 = 595.0;
const A4_LONG: f32 = 842.0;

impl Reader for ImageReader {
    fn name(&self) -> &'static str {
        "image"
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        looks_like_image(bytes)
    }

    fn read(&self, bytes: &[u8], opts: &IngestOptions) -> Result<Ingested, IngestError> {
        // A multi-page TIFF (office scanners) is one document of N pages.
        let pages = ocr::tiff_pages::pages(bytes);
        // The first page's header says whether this is an image at all.
        let reader = image::ImageReader::new(std::io::Cursor::new(&pages[0][..])).with_guessed_format().map_err(|e| IngestError::Image(OcrError::Io(e)))?;
        let (w0, h0) = reader.into_dimensions().map_err(|e| IngestError::Image(OcrError::Image(e)))?;
        let engine = match ocr::engine(opts.ocr) {
            Ok(e) => e,
            Err(e) => {
                let mut ing = to_ingested(&PdfDoc::default());
                ing.format = Format::Image;
                ing.encoding = "image".into();
                ing.status = Status::NeedsOcr;
                ing.pages = u32::try_from(pages.len()).ok();
                let what = if pages.len() > 1 { format!("{} pages", pages.len()) } else { format!("{w0}×{h0} px") };
                ing.warnings = vec![format!("needs OCR: the file is an image ({what}); OCR not available: {e}")];
                return Ok(ing);
            }
        };
        crate::guard::extend(crate::guard::OCR_PAGE_ALLOWANCE.saturating_mul(u32::try_from(pages.len()).unwrap_or(u32::MAX)));
        let numbers: Vec<usize> = (0..pages.len()).collect();
        let results = ocr::ocr_pages(&engine, &numbers, |&i| {
            let image = image::load_from_memory(&pages[i])?;
            let (w, h) = (image.width().max(1) as f32, image.height().max(1) as f32);
            let width_pt = if h >= w { A4_SHORT } else { A4_LONG };
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            Ok(PageImage { number, image, width_pt, height_pt: width_pt * h / w })
        });
        let mut run = OcrRun::default();
        let mut doc = PdfDoc::default();
        let mut first_error = None;
        for (i, result) in results.into_iter().enumerate() {
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            match result {
                Ok(page) => {
                    doc.pages.push(page.page.clone());
                    run.done.push((number, page));
                }
                Err(e) => {
                    run.failed.push((number, e.to_string()));
                    first_error.get_or_insert(e);
                }
            }
        }
        if run.done.is_empty() {
            if let Some(e) = first_error {
                return Err(IngestError::Image(e));
            }
        }
        let mut ing = to_ingested(&doc);
        ing.format = Format::Image;
        ing.encoding = "image".into();
        ing.pages = u32::try_from(pages.len()).ok();
        if ing.lines.is_empty() {
            // No words at all on the image (the PDF wording of `to_ingested`
            // would say "blank or broken PDF").
            ing.status = Status::Failed;
            ing.warnings = vec![format!("OCR found no text in the image ({} page(s))", pages.len())];
        }
        finish(Some(run), &doc, &mut ing);
        Ok(ing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::pdf::PdfLine;

    fn page(text: &str) -> PdfPage {
        PdfPage { number: 1, lines: vec![PdfLine { text: text.into(), ..PdfLine::default() }], ..PdfPage::default() }
    }

    #[test]
    fn garbage_text_layers() {
        assert!(!garbage_text(&page("Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2025 của UBND phường")));
        // Glyph ids shown as Latin letters (a font without a usable ToUnicode map).
        assert!(garbage_text(&page("Tkfp xzqw brtl mnbv qwrt zxcv lkjh gfds poiu ytre wqkj hgfx cvbn mlkp rtzq wxvb nmlk jhgf dsaz qwpl")));
        assert!(garbage_text(&page(&"\u{FFFD}".repeat(40))));
        assert!(!garbage_text(&page("1 2 3 4 5 6 7 8 9 10 11 12 13 14")));
    }

    #[test]
    fn a_text_layer_without_its_marks_is_read_again() {
        // Tesseract `eng` on page 4 of the scanned 001 (an invisible OCR layer
        // as scanners make it), against the same lines as printed.
        let eng = "UBND phurong da trién khai 100% TTHC lién thong dén agian din, t6 chttc Khi thuc hién TTHC \
                   Viéc giai quyét thu tuc hanh chinh cho t63 chit, céng dan duoc chi trong thurc hién, dam \
                   bao ding quy trinh, trinh tu th tuc va thoi gian quy dinh, dap tng dugc yéu cau cai \
                   cach hanh chinh. Tai BO phan tiép nhan va tra két qua cla UBND phudng";
        let vie = "UBND phường đã triển khai 100% TTHC liên thông đến người dân, tổ chức khi thực \
                   hiện TTHC. Việc giải quyết thủ tục hành chính cho tổ chức, công dân được chú trọng thực hiện, đảm \
                   bảo đúng quy trình, trình tự thủ tục và thời gian quy định, đáp ứng được yêu cầu cải \
                   cách hành chính. Tại Bộ phận tiếp nhận và trả kết quả của UBND phường";
        let (e, v) = (syllable_stats(eng), syllable_stats(vie));
        assert!(e.counted as usize >= STRIPPED_MIN_WORDS && (e.marked as f32) < 0.25 * e.counted as f32, "{e:?}");
        assert!((v.marked as f32) > 0.8 * v.counted as f32, "{v:?}");
        assert!(garbage_text(&page(eng)));
        assert!(!garbage_text(&page(vie)));
        // Short pages are not judged.
        assert!(!garbage_text(&page("Phu luc 1 Bang so lieu")));
    }

    #[test]
    fn image_magic() {
        assert!(looks_like_image(b"\x89PNG\r\n\x1a\n...."));
        assert!(looks_like_image(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(looks_like_image(b"II*\0...."));
        assert!(!looks_like_image(b"%PDF-1.4"));
    }
}
