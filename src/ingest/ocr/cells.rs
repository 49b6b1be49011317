//! Second reading of table cells. Tesseract's page layout analysis (`--psm
//! 3`) drops short isolated text in narrow ruled cells (the STT numbers
//! "1.2.", "2", "2.1."), and misreads some header and value cells. The
//! ruling lines found in the image give the cell boxes: the cells that have
//! ink but no word, or words of low confidence or not Vietnamese syllables,
//! are cut out of a black-and-white copy of the page ([`super::raster::binarize`]),
//! stacked into one strip image with blank gaps and read by a single
//! Tesseract call as one block (`--psm 6`, no layout analysis); the words of
//! each slot go back into their cell. A cell takes the new reading only when
//! it scores better (mean confidence, non-syllables counted down as in
//! [`correct::flag_words`]). One child process per page, not per cell.

use std::time::Instant;

use image::{GrayImage, Luma};

use super::correct::is_odd_word;
use super::tesseract::{self, TsvWord};
use super::Engine;
use crate::ingest::pdf::PdfRule;

/// A cell box in image pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl CellBox {
    fn holds(&self, w: &TsvWord) -> bool {
        let (cx, cy) = (w.left + w.width / 2.0, w.top + w.height / 2.0);
        cx > self.x0 && cx < self.x1 && cy > self.y0 && cy < self.y1
    }
}

/// Words under this confidence (0–100) make their cell be read again.
const LOW_CONF: f32 = 90.0;
/// Factor of a word that is not a Vietnamese syllable in a reading's score
/// (as in `correct::flag_words`).
const ODD_FACTOR: f32 = 0.6;
/// A new reading of a cell that had no word must be at least this sure.
const MIN_NEW_CONF: f32 = 50.0;
/// The floor for a reading made of digits and number punctuation only
/// ("5.", "2.1.", "0"): Tesseract is unsure of short numbers alone, and a
/// wrong one is caught by the STT sequence or the figure grammar.
const MIN_NEW_NUMBER_CONF: f32 = 30.0;

/// Digits with number punctuation only.
fn is_numberish(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit()) && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '/' | ':'))
}

/// Cells read again at most per page (bounds the strip's size and time).
const MAX_CELLS: usize = 250;
/// Strip images are cut at this height (pixels).
const MAX_STRIP_HEIGHT: u32 = 20_000;
/// Block numbers of strip words start here (apart from the page's blocks).
pub const STRIP_BLOCK: u32 = 1_000_000;

/// The cells of the page's ruled tables (the grids the table reader uses,
/// `pdf::cell_boxes`), from rules in points to boxes in pixels
/// (`px_per_pt`); cells under a tenth of an inch are left out.
pub fn cell_boxes(rules: &[PdfRule], px_per_pt: f32, dpi: f32) -> Vec<CellBox> {
    let min_side = dpi / 10.0;
    crate::ingest::pdf::cell_boxes(rules)
        .into_iter()
        .map(|[x0, y0, x1, y1]| CellBox { x0: x0 * px_per_pt, y0: y0 * px_per_pt, x1: x1 * px_per_pt, y1: y1 * px_per_pt })
        .filter(|c| c.x1 - c.x0 >= min_side && c.y1 - c.y0 >= min_side)
        .collect()
}

/// Score of a reading: mean confidence, non-syllables counted down.
fn score(words: &[&TsvWord]) -> f32 {
    if words.is_empty() {
        return 0.0;
    }
    let sum: f32 = words.iter().map(|w| if is_odd_word(&w.text) { w.conf * ODD_FACTOR } else { w.conf }).sum();
    sum / words.len() as f32
}

/// Whether a cell is worth reading again: ink that no word covers (an
/// unread line such as a lone "=1", or no word at all), or an unsure word.
fn wants_second_look(words: &[&TsvWord], unread_ink: usize, min_ink: usize) -> bool {
    unread_ink >= min_ink || words.iter().any(|w| w.conf < LOW_CONF || is_odd_word(&w.text))
}

/// Dark pixels inside a box of a black-and-white image outside the boxes
/// of `words` (grown by `grow` pixels).
fn unread_ink(bw: &GrayImage, (x0, y0, x1, y1): (u32, u32, u32, u32), words: &[&TsvWord], grow: f32) -> usize {
    let covered = |x: u32, y: u32| {
        let (x, y) = (x as f32, y as f32);
        words.iter().any(|w| x >= w.left - grow && x <= w.left + w.width + grow && y >= w.top - grow && y <= w.top + w.height + grow)
    };
    (y0..y1).map(|y| (x0..x1).filter(|&x| bw.get_pixel(x, y).0[0] == 0 && !covered(x, y)).count()).sum()
}

/// Words with a letter or a digit.
fn real_words(words: &[&TsvWord]) -> usize {
    words.iter().filter(|w| w.text.chars().any(char::is_alphanumeric)).count()
}

/// Whether the second reading of a cell replaces the first: it scores
/// better; or it reads more words (ink the first reading left) at nearly
/// the same score; or the first had no word and the second is sure enough.
fn takes_new(old: &[&TsvWord], new: &[&TsvWord]) -> bool {
    if new.is_empty() {
        return false;
    }
    let floor = if new.iter().all(|w| is_numberish(&w.text)) { MIN_NEW_NUMBER_CONF } else { MIN_NEW_CONF };
    let (so, sn) = (score(old), score(new));
    if old.is_empty() {
        return sn >= floor;
    }
    sn > so || (real_words(new) > real_words(old) && sn >= floor && sn + MORE_WORDS_SLACK >= so)
}

/// How much lower a reading with more words may score and still be taken.
const MORE_WORDS_SLACK: f32 = 10.0;

/// A cell cut out for the strip: the cell index, its crop in page pixels
/// and where it sits in the strip.
struct Slot {
    cell: usize,
    x0: u32,
    y0: u32,
    strip_y0: u32,
    height: u32,
}

/// Reads the doubtful cells of a page again and puts the better readings
/// into `words` (page pixels). `bw` is the page Tesseract read (rules
/// erased), binarized ([`super::raster::binarize`]). Returns how many cells took a new reading. Tesseract failing
/// here keeps the first reading: the page never fails for this.
pub fn reread(engine: &Engine, bw: &GrayImage, dpi: f32, rules: &[PdfRule], words: &mut Vec<TsvWord>, deadline: Option<Instant>) -> usize {
    let boxes = cell_boxes(rules, dpi / 72.0, dpi);
    if boxes.is_empty() {
        return 0;
    }
    let (w, h) = (bw.width(), bw.height());
    let inset = (dpi / 60.0).round().max(2.0) as u32;
    let min_ink = ((dpi / 300.0) * (dpi / 300.0) * 60.0) as usize;
    let mut picked: Vec<Picked> = Vec::new();
    for (i, c) in boxes.iter().enumerate() {
        let (x0, y0) = ((c.x0.max(0.0) as u32 + inset).min(w), (c.y0.max(0.0) as u32 + inset).min(h));
        let (x1, y1) = ((c.x1.max(0.0) as u32).saturating_sub(inset).min(w), (c.y1.max(0.0) as u32).saturating_sub(inset).min(h));
        if x1 <= x0 + 2 || y1 <= y0 + 2 {
            continue;
        }
        let inside: Vec<&TsvWord> = words.iter().filter(|wd| c.holds(wd)).collect();
        if wants_second_look(&inside, unread_ink(bw, (x0, y0, x1, y1), &inside, inset as f32), min_ink) {
            picked.push((i, (x0, y0, x1, y1)));
        }
        if picked.len() >= MAX_CELLS {
            break;
        }
    }
    if picked.is_empty() {
        return 0;
    }
    let mut changed = 0;
    // Short unsure readings get a third look with digits only (STT, values).
    let mut digits_again: Vec<Picked> = Vec::new();
    for chunk in strips(&picked, dpi) {
        let Some(readings) = read_strip(engine, bw, chunk, dpi, None, deadline) else { continue };
        for (&(cell_idx, ..), mine) in chunk.iter().zip(readings) {
            let Some(cell) = boxes.get(cell_idx) else { continue };
            let old: Vec<&TsvWord> = words.iter().filter(|wd| cell.holds(wd)).collect();
            let new_refs: Vec<&TsvWord> = mine.iter().collect();
            if takes_new(&old, &new_refs) {
                words.retain(|wd| !cell.holds(wd));
                words.extend(mine);
                changed += 1;
                continue;
            }
            let short = mine.iter().map(|w| w.text.chars().count()).sum::<usize>() <= SHORT_READING;
            if !mine.is_empty() && short && (old.is_empty() || old.iter().all(|w| is_numberish(&w.text))) {
                digits_again.push((cell_idx, chunk_box(chunk, cell_idx)));
            } else if mine.is_empty() && !old.is_empty() && score(&old) < MIN_NEW_CONF {
                // Both readings see no text: the unsure first words were
                // specks or stamp edges.
                words.retain(|wd| !cell.holds(wd));
                changed += 1;
            }
        }
    }
    for chunk in strips(&digits_again, dpi) {
        let Some(readings) = read_strip(engine, bw, chunk, dpi, Some(DIGITS), deadline) else { continue };
        for (&(cell_idx, ..), mine) in chunk.iter().zip(readings) {
            let Some(cell) = boxes.get(cell_idx) else { continue };
            let old: Vec<&TsvWord> = words.iter().filter(|wd| cell.holds(wd)).collect();
            let new_refs: Vec<&TsvWord> = mine.iter().collect();
            if new_refs.iter().all(|w| is_numberish(&w.text)) && takes_new(&old, &new_refs) {
                words.retain(|wd| !cell.holds(wd));
                words.extend(mine);
                changed += 1;
            }
        }
    }
    changed
}

/// Readings of at most this many characters that were not taken are read
/// again with digits only ("Ả." for a lone "3.").
const SHORT_READING: usize = 4;
/// The characters of the digits-only reading.
const DIGITS: &str = "0123456789.,%/";

/// A cell to read again: its index and crop box (x0, y0, x1, y1) in page
/// pixels.
type Picked = (usize, (u32, u32, u32, u32));

fn chunk_box(chunk: &[Picked], cell: usize) -> (u32, u32, u32, u32) {
    chunk.iter().find(|p| p.0 == cell).map_or((0, 0, 0, 0), |p| p.1)
}

/// The picked cells cut into runs that fit one strip image.
fn strips(picked: &[Picked], dpi: f32) -> Vec<&[Picked]> {
    let (pad, gap) = strip_spacing(dpi);
    let mut out = Vec::new();
    let mut start = 0;
    while start < picked.len() {
        let mut y = pad;
        let mut end = start;
        while let Some(&(_, (_, y0, _, y1))) = picked.get(end) {
            if end > start && y + (y1 - y0) + pad > MAX_STRIP_HEIGHT {
                break;
            }
            y += (y1 - y0) + gap;
            end += 1;
        }
        out.push(&picked[start..end]);
        start = end;
    }
    out
}

/// Margin around a strip and blank gap between its cells (pixels).
fn strip_spacing(dpi: f32) -> (u32, u32) {
    ((dpi / 10.0).round() as u32, (dpi / 6.0).round() as u32)
}

/// Stacks the cells into one image, reads it as one block (`--psm 6`,
/// optionally with a character whitelist) and gives each cell its words
/// in page pixels. None when Tesseract fails.
fn read_strip(engine: &Engine, bw: &GrayImage, chunk: &[Picked], dpi: f32, whitelist: Option<&str>, deadline: Option<Instant>) -> Option<Vec<Vec<TsvWord>>> {
    let (pad, gap) = strip_spacing(dpi);
    let mut slots = Vec::with_capacity(chunk.len());
    let mut y = pad;
    let mut width = 0;
    for &(cell, (x0, y0, x1, y1)) in chunk {
        slots.push(Slot { cell, x0, y0, strip_y0: y, height: y1 - y0 });
        width = width.max(x1 - x0);
        y += (y1 - y0) + gap;
    }
    let mut strip = GrayImage::from_pixel(width + 2 * pad, y + pad, Luma([255]));
    for (s, &(_, (x0, y0, x1, y1))) in slots.iter().zip(chunk) {
        for yy in y0..y1 {
            for xx in x0..x1 {
                strip.put_pixel(pad + xx - x0, s.strip_y0 + yy - y0, *bw.get_pixel(xx, yy));
            }
        }
    }
    let tsv = tesseract::run_tsv_with(engine, &strip, dpi, 6, whitelist, deadline).ok()?;
    if let Some(dir) = std::env::var_os("CCHC_OCR_DUMP") {
        // Debugging aid, as for the page images.
        let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let base = std::path::Path::new(&dir).join(format!("strip{n}"));
        let _ = strip.save(base.with_extension("png"));
        let _ = std::fs::write(base.with_extension("tsv"), &tsv);
    }
    let new = tesseract::parse_tsv(&tsv);
    Some(
        slots
            .iter()
            .map(|s| {
                new.iter()
                    .filter(|nw| {
                        let cy = nw.top + nw.height / 2.0;
                        cy >= s.strip_y0 as f32 && cy < (s.strip_y0 + s.height) as f32
                    })
                    .map(|nw| TsvWord {
                        block: STRIP_BLOCK + s.cell as u32,
                        left: nw.left - pad as f32 + s.x0 as f32,
                        top: nw.top - s.strip_y0 as f32 + s.y0 as f32,
                        ..nw.clone()
                    })
                    .collect()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use PdfRule as R;

    #[test]
    fn cell_boxes_are_the_grid_cells_in_pixels() {
        // The grids themselves are tested in pdf::ruling; here: points to
        // pixels at 300 dpi, and a band under a tenth of an inch left out.
        let rules = vec![
            R::horizontal(100.0, 50.0, 450.0),
            R::horizontal(130.0, 50.0, 450.0),
            R::horizontal(133.0, 50.0, 450.0),
            R::vertical(50.0, 100.0, 133.0),
            R::vertical(450.0, 100.0, 133.0),
            R::vertical(150.0, 100.0, 133.0),
        ];
        let k = 300.0 / 72.0;
        let cells = cell_boxes(&rules, k, 300.0);
        assert_eq!(
            cells,
            vec![CellBox { x0: 50.0 * k, y0: 100.0 * k, x1: 150.0 * k, y1: 130.0 * k }, CellBox { x0: 150.0 * k, y0: 100.0 * k, x1: 450.0 * k, y1: 130.0 * k }]
        );
    }

    #[test]
    fn only_doubtful_cells_are_read_again() {
        let w = |conf: f32, text: &str| TsvWord { block: 1, par: 1, line: 1, left: 0.0, top: 0.0, width: 10.0, height: 10.0, conf, text: text.into() };
        let (sure, unsure, odd) = (w(95.0, "Nhiệm"), w(40.0, "vụ"), w(90.0, "Đơnvjị"));
        assert!(!wants_second_look(&[&sure], 0, 60));
        assert!(wants_second_look(&[&sure, &unsure], 0, 60));
        assert!(wants_second_look(&[&odd], 0, 60));
        assert!(wants_second_look(&[], 200, 60));
        assert!(wants_second_look(&[&sure], 200, 60));
        assert!(!wants_second_look(&[], 10, 60));
        assert!(score(&[&odd]) < score(&[&sure]));
        // "Đang làm" then "Đang làm =1": more words at nearly the same score.
        let (dang, lam, code) = (w(96.0, "Đang"), w(96.0, "làm"), w(80.0, "=1"));
        assert!(takes_new(&[&dang, &lam], &[&dang, &lam, &code]));
        assert!(!takes_new(&[&dang, &lam], &[&dang, &w(20.0, "lm")]));
        assert!(takes_new(&[], &[&w(40.0, "5.")]) && !takes_new(&[], &[&w(40.0, "Ả.")]));
    }
}
