//! Specks read as punctuation. Dust next to a word survives
//! [`raster::despeckle`] (the nặng dot must) and Tesseract reads it as "."
//! or ":" after the word ("chính. quyền", "thành: đúng hạn"). A printed
//! period or colon dot is about as wide as the strokes of the
//! letters (a period's area ≈ the square of the stroke width); dust is a
//! few pixels. So trailing punctuation whose ink, cut off from the letters
//! by a blank column, is much smaller than a stroke squared is dropped, and
//! so is a word of punctuation alone with that little ink. Tesseract also
//! adds a period with no ink at all after a word ending in a wide letter
//! ("VBQPPL."): when the last inked run of the box is wider than a mark,
//! the period goes too.

use image::GrayImage;

use super::tesseract::TsvWord;

/// Ink (share of the stroke width squared) under which a mark is a speck.
const SPECK_AREA: f32 = 0.5;
/// Punctuation a speck is read as.
const SPECK_MARKS: [char; 6] = ['.', ',', ':', ';', '\'', '-'];

/// Widest a printed mark is (stroke widths) and most ink it has (stroke
/// widths squared).
const MARK_WIDTH: f32 = 2.0;
const MARK_INK: f32 = 3.0;

/// Runs of columns with ink: (width, ink) from left to right.
fn column_runs(cols: &[usize]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    for &n in cols {
        match (n > 0, cur.as_mut()) {
            (true, Some(r)) => {
                r.0 += 1;
                r.1 += n;
            }
            (true, None) => cur = Some((1, n)),
            (false, Some(_)) => runs.extend(cur.take()),
            (false, None) => {}
        }
    }
    runs.extend(cur);
    runs
}

/// Median length of the horizontal dark runs of a black-and-white page:
/// the stroke width of its letters (pixels).
pub fn stroke_width(bw: &GrayImage) -> f32 {
    let mut hist = [0usize; 64];
    for row in bw.rows() {
        let mut run = 0usize;
        for p in row {
            if p.0[0] == 0 {
                run += 1;
            } else if run > 0 {
                hist[run.min(63)] += 1;
                run = 0;
            }
        }
    }
    let total: usize = hist.iter().sum();
    let mut acc = 0;
    for (len, n) in hist.iter().enumerate() {
        acc += n;
        if total > 0 && acc * 2 >= total {
            return len as f32;
        }
    }
    0.0
}

/// Dark pixels in columns `x0..x1`, rows `y0..y1` (clamped to the image).
fn dark_in(bw: &GrayImage, x0: i64, x1: i64, y0: i64, y1: i64) -> usize {
    let (w, h) = (i64::from(bw.width()), i64::from(bw.height()));
    let (x0, x1, y0, y1) = (x0.clamp(0, w), x1.clamp(0, w), y0.clamp(0, h), y1.clamp(0, h));
    (y0..y1).map(|y| (x0..x1).filter(|&x| bw.get_pixel(x as u32, y as u32).0[0] == 0).count()).sum()
}

/// Drops speck punctuation from `words` (pixels of `bw`); returns how many
/// marks were dropped.
pub fn drop_speck_marks(words: &mut Vec<TsvWord>, bw: &GrayImage, stroke: f32) -> usize {
    if stroke < 2.0 {
        return 0;
    }
    let limit = (SPECK_AREA * stroke * stroke) as usize;
    let mut dropped = 0;
    words.retain_mut(|w| {
        let text = w.text.trim();
        let (x0, x1) = (w.left.floor() as i64, (w.left + w.width).ceil() as i64);
        let (y0, y1) = (w.top.floor() as i64, (w.top + w.height).ceil() as i64);
        if !text.is_empty() && text.chars().all(|c| SPECK_MARKS.contains(&c)) {
            // Punctuation alone: all its ink is the mark.
            let speck = dark_in(bw, x0 - 1, x1 + 1, y0 - 1, y1 + 1) < limit;
            dropped += usize::from(speck);
            return !speck;
        }
        let Some(last) = text.chars().last() else { return true };
        // Not commas: a comma's tail often touches the letter before it, so
        // the last run of ink may be a speck beside a printed comma.
        if !matches!(last, '.' | ':' | ';') || !text.chars().any(char::is_alphabetic) {
            return true;
        }
        // The trailing mark: the last run of inked columns of the box.
        let cols: Vec<usize> = (x0..x1).map(|x| dark_in(bw, x, x + 1, y0, y1)).collect();
        let runs = column_runs(&cols);
        let Some(&(last_width, last_ink)) = runs.last() else { return true };
        // A last run wider than any mark is a letter: the period has no ink
        // of its own at all ("VBQPPL." read off a plain "VBQPPL").
        let phantom = last == '.' && (last_width as f32) > MARK_WIDTH * stroke;
        // A mark-sized run before the last one (narrow, about a dot's ink)
        // is the printed mark and the last run a speck beside it.
        let speck = match runs.as_slice() {
            [.., (width, ink), _] => {
                let printed_before = (*width as f32) <= MARK_WIDTH * stroke && *ink >= limit && (*ink as f32) < MARK_INK * stroke * stroke;
                last_ink < limit && !printed_before
            }
            _ => false,
        };
        if speck || phantom {
            w.text = text[..text.len() - last.len_utf8()].to_string();
            dropped += 1;
        }
        true
    });
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    fn word(left: f32, width: f32, text: &str) -> TsvWord {
        TsvWord { block: 1, par: 1, line: 1, left, top: 10.0, width, height: 30.0, conf: 95.0, text: text.into() }
    }

    #[test]
    fn small_dots_after_words_are_specks_printed_ones_stay() {
        let mut bw = GrayImage::from_pixel(300, 60, Luma([255]));
        let mut ink = |x0: u32, x1: u32, y0: u32, y1: u32| {
            for y in y0..y1 {
                for x in x0..x1 {
                    bw.put_pixel(x, y, Luma([0]));
                }
            }
        };
        // Letters: vertical strokes 5 px wide.
        for x in [10, 20, 30, 110, 120, 130] {
            ink(x, x + 5, 12, 38);
        }
        ink(42, 44, 35, 37); // a 2×2 speck after word 1
        ink(142, 148, 32, 38); // a 6×6 printed period after word 2
        ink(150, 152, 20, 22); // and a speck beside it
        ink(200, 202, 20, 22); // a speck read as a lone "-"
        ink(230, 235, 12, 38); // an "L" and no period after it
        ink(230, 250, 33, 38);
        let stroke = stroke_width(&bw);
        assert!((stroke - 5.0).abs() < 1.5, "{stroke}");
        let mut words = vec![word(8.0, 40.0, "chính."), word(108.0, 46.0, "xong."), word(198.0, 6.0, "-"), word(228.0, 24.0, "VBQPPL.")];
        assert_eq!(drop_speck_marks(&mut words, &bw, stroke), 3);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["chính", "xong.", "VBQPPL"]);
    }
}
