//! Tesseract's words → the geometric page model of digital PDFs: words in
//! points from the page top-left, grouped into lines by Tesseract's line
//! ids, split where a ruling line crosses or at a wide gap (as the PDF
//! words builder does), in reading order (top to bottom, left to right).

use super::tesseract::TsvWord;
use super::OcrPage;
use crate::ingest::pdf::{PdfLine, PdfPage, PdfRule, PdfWord};
use crate::vn::normalize::normalize_text;

/// A gap wider than this many font sizes splits a line (words builder: 2.0).
const COLUMN_GAP: f32 = 2.0;
/// Word box height (ascenders, Vietnamese marks, descenders) per font size.
const BOX_PER_SIZE: f32 = 1.25;
/// Line sizes within this share of the page's body size are the body size
/// (OCR box heights vary; footnotes are 20–30 % smaller).
const SIZE_SNAP: f32 = 0.15;
/// Lines whose vertical centres are closer than this share of their height
/// are one row of the reading order.
const SAME_ROW: f32 = 0.5;

/// Tesseract's block, paragraph and line numbers.
type LineId = (u32, u32, u32);

/// Builds a page from Tesseract words (pixels; `scale` = points per pixel)
/// and the rules found in the image (points).
pub fn build_page(number: u32, width: f32, height: f32, words: &[TsvWord], rules: &[PdfRule], scale: f32) -> OcrPage {
    // Tesseract line ids → words in points.
    let mut groups: Vec<(LineId, Vec<(PdfWord, f32)>)> = Vec::new();
    for w in words.iter().filter(|w| !is_noise(w)) {
        let key = (w.block, w.par, w.line);
        let top = w.top * scale;
        let bottom = (w.top + w.height) * scale;
        let word = PdfWord {
            text: normalize_text(&w.text),
            x0: w.left * scale,
            x1: (w.left + w.width) * scale,
            top,
            bottom,
            font_size: (bottom - top) / BOX_PER_SIZE,
        };
        match groups.last_mut() {
            Some((k, ws)) if *k == key => ws.push((word, w.conf)),
            _ => groups.push((key, vec![(word, w.conf)])),
        }
    }
    let vertical: Vec<&PdfRule> = rules.iter().filter(|r| r.is_vertical()).collect();
    let mut lines: Vec<(PdfLine, Vec<f32>)> = Vec::new();
    for (_, mut ws) in groups {
        ws.sort_by(|a, b| a.0.x0.total_cmp(&b.0.x0));
        let size = median(ws.iter().map(|w| w.0.font_size));
        let mut current: Vec<(PdfWord, f32)> = Vec::new();
        for (w, c) in ws {
            if let Some((prev, _)) = current.last() {
                let gap = w.x0 - prev.x1;
                let mid = (w.top + w.bottom) / 2.0;
                let crossed = vertical.iter().any(|r| r.x0 > prev.x1 - 1.0 && r.x0 < w.x0 + 1.0 && r.y0 <= mid && r.y1 >= mid);
                if crossed || gap > COLUMN_GAP * size {
                    lines.push(make_line(std::mem::take(&mut current)));
                }
            }
            current.push((w, c));
        }
        if !current.is_empty() {
            lines.push(make_line(current));
        }
    }
    snap_sizes(&mut lines);
    order(&mut lines);
    let (lines, word_conf): (Vec<PdfLine>, Vec<Vec<f32>>) = lines.into_iter().unzip();
    let page = PdfPage { number, width, height, lines, image_only: false, rules: rules.to_vec() };
    OcrPage { page, word_conf, ..OcrPage::default() }
}

/// Bits of rules, specks and stamp edges Tesseract reads as characters:
/// bars and underscores, or unsure punctuation alone.
fn is_noise(w: &TsvWord) -> bool {
    let t = w.text.trim();
    t.chars().all(|c| matches!(c, '|' | '¦' | '_' | '`' | '~' | '\\' | '¬'))
        || (w.conf < NOISE_CONF && t.chars().all(|c| !c.is_alphanumeric()) && !matches!(t, "-" | "+" | "*" | "•"))
        || (w.conf < UNSURE_CONF && t.chars().count() <= 2 && !t.chars().any(|c| c.is_ascii_digit()))
}

/// Confidence under which a word without letters or digits is noise.
const NOISE_CONF: f32 = 50.0;
/// Confidence under which one or two letters without a digit are noise.
const UNSURE_CONF: f32 = 25.0;

fn make_line(ws: Vec<(PdfWord, f32)>) -> (PdfLine, Vec<f32>) {
    let text = ws.iter().map(|w| w.0.text.as_str()).collect::<Vec<_>>().join(" ");
    let x0 = ws.iter().map(|w| w.0.x0).fold(f32::INFINITY, f32::min);
    let x1 = ws.iter().map(|w| w.0.x1).fold(f32::NEG_INFINITY, f32::max);
    let top = ws.iter().map(|w| w.0.top).fold(f32::INFINITY, f32::min);
    let bottom = ws.iter().map(|w| w.0.bottom).fold(f32::NEG_INFINITY, f32::max);
    let font_size = median(ws.iter().map(|w| w.0.font_size));
    let (words, conf): (Vec<PdfWord>, Vec<f32>) = ws.into_iter().unzip();
    (PdfLine { text, x0, x1, top, bottom, font_size, words }, conf)
}

fn median(v: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = v.collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// Sizes near the page's body size (median over characters) become the body
/// size, so that OCR noise does not turn body lines into "small" footnote
/// lines; words take their line's size.
fn snap_sizes(lines: &mut [(PdfLine, Vec<f32>)]) {
    let mut sizes: Vec<(f32, usize)> = lines.iter().map(|(l, _)| (l.font_size, l.text.chars().count())).collect();
    sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = sizes.iter().map(|s| s.1).sum();
    let mut acc = 0;
    let mut body = 0.0;
    for (s, n) in sizes {
        acc += n;
        if acc * 2 >= total {
            body = s;
            break;
        }
    }
    for (l, _) in lines.iter_mut() {
        if body > 0.0 && (l.font_size - body).abs() <= body * SIZE_SNAP {
            l.font_size = body;
        }
        for w in &mut l.words {
            w.font_size = l.font_size;
        }
    }
}

/// Reading order: rows top to bottom (lines whose centres are close share a
/// row), left to right within a row.
fn order(lines: &mut [(PdfLine, Vec<f32>)]) {
    lines.sort_by(|a, b| a.0.top.total_cmp(&b.0.top));
    let mut row_of = vec![0usize; lines.len()];
    let mut row = 0;
    let mut anchor: Option<(f32, f32)> = None;
    for (i, (l, _)) in lines.iter().enumerate() {
        let mid = (l.top + l.bottom) / 2.0;
        let h = (l.bottom - l.top).max(1.0);
        match anchor {
            Some((m, ah)) if (mid - m).abs() <= SAME_ROW * h.max(ah) => {}
            _ => {
                if anchor.is_some() {
                    row += 1;
                }
                anchor = Some((mid, h));
            }
        }
        row_of[i] = row;
    }
    let mut keyed: Vec<(usize, (PdfLine, Vec<f32>))> = row_of.into_iter().zip(lines.iter().cloned()).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1 .0.x0.total_cmp(&b.1 .0.x0)));
    for (slot, (_, l)) in lines.iter_mut().zip(keyed) {
        *slot = l;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(block: u32, line: u32, left: f32, top: f32, width: f32, text: &str) -> TsvWord {
        TsvWord { block, par: 1, line, left, top, width, height: 40.0, conf: 90.0, text: text.into() }
    }

    #[test]
    fn lines_split_at_rules_and_gaps_in_reading_order() {
        let words = vec![
            w(2, 1, 1200.0, 400.0, 100.0, "14"),
            w(1, 1, 100.0, 400.0, 200.0, "Tổng"),
            w(1, 1, 320.0, 402.0, 100.0, "số"),
            w(1, 1, 600.0, 401.0, 150.0, "TTHC"),
            w(1, 2, 100.0, 300.0, 300.0, "Trên"),
        ];
        let rules = vec![PdfRule { x0: 140.0, x1: 140.0, y0: 50.0, y1: 200.0 }];
        let p = build_page(1, 595.0, 842.0, &words, &rules, 0.24);
        let texts: Vec<&str> = p.page.lines.iter().map(|l| l.text.as_str()).collect();
        // "Trên" is higher on the page; "TTHC" is cut off by the rule at x=140pt; "14" is a far column.
        assert_eq!(texts, ["Trên", "Tổng số", "TTHC", "14"]);
        assert_eq!(p.word_conf[1], vec![90.0, 90.0]);
        assert!((p.page.lines[0].x0 - 24.0).abs() < 0.01);
    }
}
