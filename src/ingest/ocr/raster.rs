//! Page images before OCR: coloured ink (stamps, signatures) removed, skew
//! corrected, resolution brought to what Tesseract reads best; and the
//! ruling lines of tables found as long dark runs.

use image::{DynamicImage, GrayImage, Luma, RgbImage};

use crate::ingest::pdf::PdfRule;

/// Below this resolution a page is upscaled to [`TARGET_DPI`].
const MIN_DPI: f32 = 250.0;
/// Above this a page is downscaled to [`TARGET_DPI`] (time, same accuracy).
const MAX_DPI: f32 = 420.0;
const TARGET_DPI: f32 = 300.0;
/// Largest skew searched (degrees) and the search steps.
const MAX_SKEW: f32 = 2.0;
const COARSE_STEP: f32 = 0.1;
const FINE_STEP: f32 = 0.02;
/// A channel this much above both others makes a pixel coloured ink.
const INK_MARGIN: i32 = 30;
/// Under coloured ink, other channels this dark mean black text below it.
const TEXT_UNDER_INK: u8 = 70;

/// A page ready for Tesseract.
pub struct Prepared {
    pub gray: GrayImage,
    pub dpi: f32,
    /// Skew corrected, degrees.
    pub skew: f32,
    /// Where coloured ink was removed (in `gray`'s pixels), if any.
    pub ink: Option<InkZone>,
}

/// Where stamps and signatures were, on a grid of [`INK_TILE`]-pixel tiles
/// (a tile with ink and its neighbours): ruling lines are cut there.
#[derive(Debug, Clone)]
pub struct InkZone {
    cols: u32,
    rows: u32,
    tiles: Vec<bool>,
}

/// Side of an [`InkZone`] tile, pixels.
const INK_TILE: u32 = 8;
/// Least share of a page's pixels that is coloured ink for a zone to exist.
const INK_MIN_SHARE: f32 = 0.0005;

impl InkZone {
    /// Tiles of `mask` (ink is dark, below 128) grown by one tile.
    pub fn from_mask(mask: &GrayImage) -> Option<InkZone> {
        let (cols, rows) = (mask.width().div_ceil(INK_TILE), mask.height().div_ceil(INK_TILE));
        let mut hit = vec![false; (cols * rows) as usize];
        let mut n = 0usize;
        for (x, y, p) in mask.enumerate_pixels() {
            if p.0[0] < 128 {
                hit[((y / INK_TILE) * cols + x / INK_TILE) as usize] = true;
                n += 1;
            }
        }
        if (n as f32) < INK_MIN_SHARE * (mask.width() * mask.height()) as f32 {
            return None;
        }
        let mut tiles = vec![false; hit.len()];
        for r in 0..rows {
            for c in 0..cols {
                if hit[(r * cols + c) as usize] {
                    for rr in r.saturating_sub(1)..=(r + 1).min(rows - 1) {
                        for cc in c.saturating_sub(1)..=(c + 1).min(cols - 1) {
                            tiles[(rr * cols + cc) as usize] = true;
                        }
                    }
                }
            }
        }
        Some(InkZone { cols, rows, tiles })
    }

    /// Whether pixel (x, y) lies in the zone.
    pub fn contains(&self, x: u32, y: u32) -> bool {
        let (c, r) = (x / INK_TILE, y / INK_TILE);
        c < self.cols && r < self.rows && self.tiles[(r * self.cols + c) as usize]
    }
}

/// Ink removal, deskew and resolution for a page `width_pt` points wide.
pub fn prepare(img: &DynamicImage, width_pt: f32) -> Prepared {
    let (gray, mask) = match img {
        DynamicImage::ImageLuma8(g) => (g.clone(), None),
        DynamicImage::ImageLumaA8(_) | DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA16(_) => (img.to_luma8(), None),
        other => {
            let (g, m) = remove_ink(&other.to_rgb8());
            (g, Some(m))
        }
    };
    let dpi_in = if width_pt > 1.0 { gray.width() as f32 * 72.0 / width_pt } else { TARGET_DPI };
    let scale = if !(MIN_DPI..=MAX_DPI).contains(&dpi_in) && dpi_in > 10.0 { TARGET_DPI / dpi_in } else { 1.0 };
    let skew = estimate_skew(&gray);
    let same = skew.abs() < 0.04 && (scale - 1.0).abs() < 1e-3;
    let gray = if same { gray } else { resample(&gray, skew, scale) };
    // The ink mask goes through the same rotation and scaling.
    let ink = mask.and_then(|m| InkZone::from_mask(&if same { m } else { resample(&m, skew, scale) }));
    Prepared { gray, dpi: dpi_in * scale, skew, ink }
}

/// Red and blue ink (stamps, signatures) → white, everything else → grey.
/// Where the ink covers black text (the other channels stay dark) the text
/// is kept. Also returns the ink's mask: black where coloured ink was, white
/// elsewhere (as `resample` pads with white).
pub fn remove_ink(rgb: &RgbImage) -> (GrayImage, GrayImage) {
    let mut out = GrayImage::new(rgb.width(), rgb.height());
    let mut ink = vec![false; rgb.width() as usize * rgb.height() as usize];
    for ((o, p), m) in out.pixels_mut().zip(rgb.pixels()).zip(ink.iter_mut()) {
        let [r, g, b] = p.0;
        let (ri, gi, bi) = (i32::from(r), i32::from(g), i32::from(b));
        let red = ri > gi + INK_MARGIN && ri > bi + INK_MARGIN;
        let blue = bi > ri + INK_MARGIN && bi > gi + INK_MARGIN / 2;
        *m = red || blue;
        o.0[0] = if red {
            ink_or_text(g.max(b))
        } else if blue {
            ink_or_text(r.max(g))
        } else {
            u8::try_from((ri * 299 + gi * 587 + bi * 114) / 1000).unwrap_or(255)
        };
    }
    // The fringe of the ink (JPEG colour bleeding, anti-aliasing) is pale,
    // not coloured enough: mid-grey pixels next to ink go white too.
    let (w, h) = (out.width() as usize, out.height() as usize);
    let raw: &mut [u8] = &mut out;
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if ink[i] || raw[i] < INK_FRINGE {
                continue;
            }
            let near = (y.saturating_sub(3)..=(y + 3).min(h - 1)).any(|yy| (x.saturating_sub(3)..=(x + 3).min(w - 1)).any(|xx| ink[yy * w + xx]));
            if near {
                raw[i] = 255;
            }
        }
    }
    let mask = GrayImage::from_raw(out.width(), out.height(), ink.iter().map(|&m| if m { 0 } else { 255 }).collect()).unwrap_or_default();
    (out, mask)
}

/// Pixels next to coloured ink lighter than this are its fringe.
const INK_FRINGE: u8 = 80;

fn ink_or_text(others: u8) -> u8 {
    if others < TEXT_UNDER_INK {
        others
    } else {
        255
    }
}

/// Otsu threshold of a grey image.
pub fn otsu(img: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in img.pixels() {
        hist[usize::from(p.0[0])] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum: f64 = hist.iter().enumerate().map(|(i, &h)| i as f64 * h as f64).sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0f64, -1f64, 128u8);
    for (t, &h) in hist.iter().enumerate() {
        w0 += h;
        if w0 == 0 || w0 == total {
            continue;
        }
        sum0 += t as f64 * h as f64;
        let m0 = sum0 / w0 as f64;
        let m1 = (sum - sum0) / (total - w0) as f64;
        let between = w0 as f64 * (total - w0) as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = u8::try_from(t).unwrap_or(128);
        }
    }
    best_t
}

/// Skew (degrees) that [`resample`] must turn the image by to make text
/// lines horizontal: the angle whose row profile of dark pixels (on a
/// downscaled copy) has the largest variance.
pub fn estimate_skew(img: &GrayImage) -> f32 {
    let factor = (img.width() / 700).max(1);
    let small = image::imageops::resize(img, img.width() / factor, img.height() / factor, image::imageops::FilterType::Triangle);
    let t = otsu(&small);
    let (w, h) = (small.width() as f32, small.height() as f32);
    let dark: Vec<(f32, f32)> = small.enumerate_pixels().filter(|(_, _, p)| p.0[0] <= t).map(|(x, y, _)| (x as f32 - w / 2.0, y as f32 - h / 2.0)).collect();
    if dark.len() < 200 {
        return 0.0;
    }
    let score = |deg: f32| -> f64 {
        let (s, c) = deg.to_radians().sin_cos();
        let rows = (h * 1.5) as usize + 2;
        let mut bins = vec![0u32; rows];
        for &(dx, dy) in &dark {
            let y = -dx * s + dy * c + h * 0.75;
            if y >= 0.0 {
                if let Some(b) = bins.get_mut(y as usize) {
                    *b += 1;
                }
            }
        }
        bins.iter().map(|&b| f64::from(b) * f64::from(b)).sum()
    };
    let best_of = |from: f32, to: f32, step: f32| -> f32 {
        let n = ((to - from) / step).round() as i32;
        (0..=n).map(|i| from + i as f32 * step).map(|a| (a, score(a))).fold((0.0, f64::MIN), |b, x| if x.1 > b.1 { x } else { b }).0
    };
    let coarse = best_of(-MAX_SKEW, MAX_SKEW, COARSE_STEP);
    best_of(coarse - COARSE_STEP, coarse + COARSE_STEP, FINE_STEP)
}

/// Rotates by `deg` about the centre and scales by `scale` (bilinear,
/// white outside), in one pass.
pub fn resample(img: &GrayImage, deg: f32, scale: f32) -> GrayImage {
    let (wi, hi) = (img.width(), img.height());
    let wo = ((wi as f32 * scale).round() as u32).max(1);
    let ho = ((hi as f32 * scale).round() as u32).max(1);
    let (s, c) = deg.to_radians().sin_cos();
    let (cx, cy) = (wi as f32 / 2.0, hi as f32 / 2.0);
    let (cxo, cyo) = (wo as f32 / 2.0, ho as f32 / 2.0);
    let src = img.as_raw();
    let stride = wi as usize;
    let mut out = vec![255u8; wo as usize * ho as usize];
    for yo in 0..ho {
        let v = (yo as f32 + 0.5 - cyo) / scale;
        let row = &mut out[yo as usize * wo as usize..(yo as usize + 1) * wo as usize];
        for (xo, px) in row.iter_mut().enumerate() {
            let u = (xo as f32 + 0.5 - cxo) / scale;
            let xs = cx + u * c - v * s - 0.5;
            let ys = cy + u * s + v * c - 0.5;
            if xs < 0.0 || ys < 0.0 || xs >= (wi - 1) as f32 || ys >= (hi - 1) as f32 {
                continue;
            }
            let (x0, y0) = (xs as usize, ys as usize);
            let (fx, fy) = (xs - x0 as f32, ys - y0 as f32);
            let i = y0 * stride + x0;
            let (a, b, cc, d) = (f32::from(src[i]), f32::from(src[i + 1]), f32::from(src[i + stride]), f32::from(src[i + stride + 1]));
            let top = a + (b - a) * fx;
            let bottom = cc + (d - cc) * fx;
            *px = (top + (bottom - top) * fy).round().clamp(0.0, 255.0) as u8;
        }
    }
    GrayImage::from_raw(wo, ho, out).unwrap_or_else(|| GrayImage::from_pixel(wo, ho, Luma([255])))
}

/// Removes specks: dark blobs of a few pixels with no other ink around them
/// (dust, scanner noise). The dot of the nặng tone sits next to its letter,
/// so it is kept.
pub fn despeckle(img: &mut GrayImage, dpi: f32) {
    let t = otsu(img);
    let (w, h) = (img.width() as usize, img.height() as usize);
    let max_side = ((dpi / 300.0) * 5.0).round().max(2.0) as usize;
    let ring = ((dpi / 300.0) * 7.0).round().max(3.0) as usize;
    let px = img.as_raw().clone();
    let dark = |x: usize, y: usize| px[y * w + x] <= t;
    let mut seen = vec![false; w * h];
    let mut stack = Vec::new();
    let mut blob = Vec::new();
    for start in 0..w * h {
        if seen[start] || px[start] > t {
            continue;
        }
        // Flood fill, giving up once the blob is larger than a speck.
        stack.clear();
        blob.clear();
        stack.push(start);
        seen[start] = true;
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        let mut big = false;
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            if !big {
                blob.push(i);
            }
            if x1 - x0 >= max_side || y1 - y0 >= max_side {
                big = true;
            }
            for (nx, ny) in [(x.wrapping_sub(1), y), (x + 1, y), (x, y.wrapping_sub(1)), (x, y + 1)] {
                if nx < w && ny < h && !seen[ny * w + nx] && dark(nx, ny) {
                    seen[ny * w + nx] = true;
                    stack.push(ny * w + nx);
                }
            }
        }
        if big {
            continue;
        }
        let (rx0, ry0) = (x0.saturating_sub(ring), y0.saturating_sub(ring));
        let (rx1, ry1) = ((x1 + ring).min(w - 1), (y1 + ring).min(h - 1));
        let alone = (ry0..=ry1).all(|y| (rx0..=rx1).all(|x| (x >= x0 && x <= x1 && y >= y0 && y <= y1) || !dark(x, y)));
        if alone {
            let raw: &mut [u8] = img;
            for &i in &blob {
                raw[i] = 255;
            }
            // Soft edges of the speck too.
            for y in y0.saturating_sub(1)..=(y1 + 1).min(h - 1) {
                for x in x0.saturating_sub(1)..=(x1 + 1).min(w - 1) {
                    if raw[y * w + x] < 200 {
                        raw[y * w + x] = 255;
                    }
                }
            }
        }
    }
}

/// Window of the local mean in [`binarize`], inches (wider than a stroke
/// of a bold heading, narrower than the light falloff of a phone photo).
const LOCAL_WINDOW_IN: f32 = 1.0 / 6.0;
/// A pixel this far below the local mean (share of it) is ink.
const LOCAL_DARKER: f32 = 0.25;

/// Black on white, by the mean of the pixel's neighbourhood (Bradley's
/// local threshold over an integral image): ink is darker than
/// `1 - LOCAL_DARKER` of its surroundings. Tesseract's own global
/// threshold, on a scan's grey paper with JPEG noise, loses short isolated
/// text such as the STT numbers of a ruled table and misreads marks; a
/// local threshold also holds under the uneven light of a photo.
pub fn binarize(img: &mut GrayImage, dpi: f32) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w == 0 || h == 0 {
        return;
    }
    let half = ((dpi * LOCAL_WINDOW_IN) / 2.0).round().max(4.0) as usize;
    let raw: &mut [u8] = img;
    // Integral image with a zero first row and column.
    let mut sum = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(raw[y * w + x]);
            sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
        }
    }
    let keep = 1.0 - f64::from(LOCAL_DARKER);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(half), (y + half + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(half), (x + half + 1).min(w));
            let area = ((y1 - y0) * (x1 - x0)) as f64;
            let total = sum[y1 * (w + 1) + x1] + sum[y0 * (w + 1) + x0] - sum[y0 * (w + 1) + x1] - sum[y1 * (w + 1) + x0];
            let i = y * w + x;
            raw[i] = if f64::from(raw[i]) < total as f64 / area * keep { 0 } else { 255 };
        }
    }
}

/// A dark run being grown into a rule (pixels).
#[derive(Debug, Clone, Copy)]
struct Band {
    a0: u32,
    a1: u32,
    b0: u32,
    b1: u32,
    /// Holds a run of the full minimum length (not only pieces in ink).
    strong: bool,
}

/// Horizontal and vertical ruling lines: dark runs at least 1/15 of the
/// page width (horizontal) or 0.3 inch (vertical) long, a few pixels thick,
/// in points. The lines are erased from the image (painted white): Tesseract
/// reads table borders as "|" and "_" and cuts cells wrongly around them.
///
/// Where a stamp or a signature was (`ink`), removing its colour leaves the
/// lines under it in dashes: there, pieces down to [`WEAK_RUN`] inch count,
/// and collinear pieces are joined across a gap of any length that lies
/// mostly in the ink; a line made only of such pieces is not a rule.
pub fn find_rules(img: &mut GrayImage, dpi: f32, ink: Option<&InkZone>) -> Vec<PdfRule> {
    let (rules, found) = locate_rules(img, dpi, ink);
    let (w, h) = (img.width(), img.height());
    for (horizontal, b) in found {
        let (a0, a1) = (b.a0.saturating_sub(1), (b.a1 + 1).min(if horizontal { w } else { h } - 1));
        let (b0, b1) = (b.b0.saturating_sub(ERASE_MARGIN), (b.b1 + ERASE_MARGIN).min(if horizontal { h } else { w } - 1));
        for line in b0..=b1 {
            for a in a0..=a1 {
                let (x, y) = if horizontal { (a, line) } else { (line, a) };
                img.put_pixel(x, y, Luma([255]));
            }
        }
    }
    rules
}

/// Pixels erased on each side of a found rule (anti-aliased edges).
const ERASE_MARGIN: u32 = 2;

/// Shortest piece of a line counted inside a stamp or signature (inch).
const WEAK_RUN: f32 = 0.05;

fn locate_rules(img: &GrayImage, dpi: f32, ink: Option<&InkZone>) -> (Vec<PdfRule>, Vec<(bool, Band)>) {
    let t = otsu(img).saturating_add(25).min(200);
    let (w, h) = (img.width(), img.height());
    let dark = |x: u32, y: u32| img.get_pixel(x, y).0[0] < t;
    let max_thick = (dpi / 30.0).max(4.0) as u32;
    let to_pt = 72.0 / dpi;
    let mut rules = Vec::new();
    let mut found = Vec::new();
    let weak = Weak { min: ((dpi * WEAK_RUN) as u32).max(4), ink };
    let min_h = (w / 15).max(20);
    for b in bands(h, w, min_h, max_thick, |row, col| dark(col, row), &weak, true) {
        let y = (b.b0 + b.b1) as f32 / 2.0 * to_pt;
        rules.push(PdfRule::horizontal(y, b.a0 as f32 * to_pt, b.a1 as f32 * to_pt));
        found.push((true, b));
    }
    let min_v = ((dpi * 0.3) as u32).max(20);
    for b in bands(w, h, min_v, max_thick, dark, &weak, false) {
        let x = (b.b0 + b.b1) as f32 / 2.0 * to_pt;
        rules.push(PdfRule::vertical(x, b.a0 as f32 * to_pt, b.a1 as f32 * to_pt));
        found.push((false, b));
    }
    (rules, found)
}

/// Pieces of lines in ink: shortest piece, and where the ink was.
struct Weak<'a> {
    min: u32,
    ink: Option<&'a InkZone>,
}

impl Weak<'_> {
    /// Whether pixel `a` of line `line` is in the ink (`horizontal`: lines are rows).
    fn inked(&self, horizontal: bool, line: u32, a: u32) -> bool {
        self.ink.is_some_and(|z| if horizontal { z.contains(a, line) } else { z.contains(line, a) })
    }
}

/// Runs along `a` (length `len_a`) on each of `n_b` lines, at least `min`
/// long (gaps of 2 pixels bridged) or `weak.min` long and touching the ink,
/// grouped over neighbouring lines into bands at most `max_thick` thick.
fn bands(n_b: u32, len_a: u32, min: u32, max_thick: u32, dark: impl Fn(u32, u32) -> bool, weak: &Weak, horizontal: bool) -> Vec<Band> {
    let mut open: Vec<(Band, u32)> = Vec::new();
    let mut done = Vec::new();
    for line in 0..n_b {
        let mut a = 0;
        while a < len_a {
            if !dark(line, a) {
                a += 1;
                continue;
            }
            let start = a;
            let mut end = a;
            let mut gap = 0;
            while a < len_a {
                if dark(line, a) {
                    end = a;
                    gap = 0;
                } else {
                    gap += 1;
                    if gap > 2 {
                        break;
                    }
                }
                a += 1;
            }
            let len = end + 1 - start;
            let strong = len >= min;
            if strong || (len >= weak.min && (weak.inked(horizontal, line, start) || weak.inked(horizontal, line, end))) {
                let hit = open.iter_mut().find(|(b, last)| line - *last <= 2 && start <= b.a1 + 10 && end + 10 >= b.a0);
                match hit {
                    Some((b, last)) => {
                        b.a0 = b.a0.min(start);
                        b.a1 = b.a1.max(end);
                        b.b1 = line;
                        b.strong |= strong;
                        *last = line;
                    }
                    None => open.push((Band { a0: start, a1: end, b0: line, b1: line, strong }, line)),
                }
            }
        }
        let (still, closed): (Vec<_>, Vec<_>) = open.into_iter().partition(|(_, last)| line - *last <= 2);
        open = still;
        done.extend(closed.into_iter().map(|(b, _)| b));
    }
    done.extend(open.into_iter().map(|(b, _)| b));
    done.retain(|b| b.b1 - b.b0 < max_thick);
    let mut merged = merge_collinear(done, |mid, a0, a1| {
        // Share of the gap in the ink.
        let n = a1.saturating_sub(a0);
        n > 0 && (a0..a1).filter(|&a| weak.inked(horizontal, mid, a)).count() * 2 >= n as usize
    });
    merged.retain(|b| b.strong && b.a1 + 1 - b.a0 >= min);
    merged
}

/// Pieces of one line cut by a stamp or a fold: same position (±3 px), a
/// gap of at most [`MAX_BREAK`] pixels between them.
const MAX_BREAK: u32 = 60;

/// (`gap_in_ink(mid, a0, a1)`: a longer gap from `a0` to `a1` on line `mid`
/// is bridged too.) Pieces are taken along the line, so a piece can bridge
/// to the one before it.
fn merge_collinear(mut bands: Vec<Band>, gap_in_ink: impl Fn(u32, u32, u32) -> bool) -> Vec<Band> {
    bands.sort_by_key(|b| (b.a0, b.b0));
    let mut out: Vec<Band> = Vec::new();
    for b in bands {
        let mid = (b.b0 + b.b1) / 2;
        let hit = out
            .iter_mut()
            .find(|o| ((o.b0 + o.b1) / 2).abs_diff(mid) <= 3 && b.a1 + MAX_BREAK >= o.a0 && (b.a0 <= o.a1 + MAX_BREAK || gap_in_ink(mid, o.a1, b.a0)));
        match hit {
            Some(o) => {
                o.a0 = o.a0.min(b.a0);
                o.a1 = o.a1.max(b.a1);
                o.b0 = o.b0.min(b.b0);
                o.b1 = o.b1.max(b.b1);
                o.strong |= b.strong;
            }
            None => out.push(b),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with_lines(deg: f32) -> GrayImage {
        let mut img = GrayImage::from_pixel(800, 1000, Luma([235]));
        // Text-like rows of dashes and a table: 3 horizontal, 2 vertical rules.
        for row in 0..20u32 {
            let y = 100 + row * 30;
            for x in (60..700u32).filter(|x| x % 9 < 6) {
                for dy in 0..8 {
                    img.put_pixel(x, y + dy, Luma([20]));
                }
            }
        }
        for y in [720u32, 780, 840] {
            for x in 100..700 {
                img.put_pixel(x, y, Luma([30]));
                img.put_pixel(x, y + 1, Luma([30]));
            }
        }
        for x in [100u32, 699] {
            for y in 720..842 {
                img.put_pixel(x, y, Luma([30]));
                img.put_pixel(x + 1, y, Luma([30]));
            }
        }
        if deg == 0.0 {
            img
        } else {
            resample(&img, deg, 1.0)
        }
    }

    #[test]
    fn skew_is_found_and_undone() {
        let skewed = page_with_lines(0.8);
        let s = estimate_skew(&skewed);
        assert!((s + 0.8).abs() < 0.1, "estimated {s}");
        assert!(estimate_skew(&page_with_lines(0.0)).abs() < 0.05);
    }

    #[test]
    fn rules_of_a_table() {
        let mut img = page_with_lines(0.0);
        let rules = find_rules(&mut img, 72.0, None);
        let h = rules.iter().filter(|r| r.is_horizontal()).count();
        let v = rules.iter().filter(|r| r.is_vertical()).count();
        assert_eq!((h, v), (3, 2), "{rules:?}");
        // Erased: the table border is white now, the text is not.
        assert_eq!(img.get_pixel(300, 720).0[0], 255);
        assert_eq!(img.get_pixel(100, 800).0[0], 255);
        assert_eq!(img.get_pixel(63, 100).0[0], 20);
    }

    #[test]
    fn a_rule_cut_by_a_stamp_is_joined_across_it() {
        // 300 dpi: a vertical rule from y 100 to 1100 at x 500, whole above
        // 400 and below 900, in 20-px dashes with 30-px gaps in between
        // (where the stamp's colour was removed), and nothing at all from
        // 600 to 750 (longer than any break joined outside a stamp).
        let mut img = GrayImage::from_pixel(1000, 1200, Luma([235]));
        let mut mask = GrayImage::from_pixel(1000, 1200, Luma([255]));
        for y in 100..1100u32 {
            let dashed = (400..900).contains(&y);
            if !dashed || ((y - 400) % 50 < 20 && !(600..750).contains(&y)) {
                for x in 499..502 {
                    img.put_pixel(x, y, Luma([20]));
                }
            }
        }
        for y in 380..920 {
            for x in 300..700 {
                if (x + y) % 3 == 0 {
                    mask.put_pixel(x, y, Luma([0]));
                }
            }
        }
        let zone = InkZone::from_mask(&mask);
        assert!(zone.is_some());
        let vertical = |rules: &[PdfRule]| {
            rules.iter().filter(|r| r.is_vertical()).map(|r| ((r.y0 * 300.0 / 72.0).round(), (r.y1 * 300.0 / 72.0).round())).collect::<Vec<_>>()
        };
        let joined = find_rules(&mut img.clone(), 300.0, zone.as_ref());
        assert_eq!(vertical(&joined), vec![(100.0, 1099.0)], "{joined:?}");
        // Without the stamp's zone, only the two whole pieces are rules.
        let apart = find_rules(&mut img, 300.0, None);
        assert_eq!(vertical(&apart).len(), 2, "{apart:?}");
    }

    #[test]
    fn red_stamp_goes_black_text_stays() {
        let mut rgb = RgbImage::from_pixel(12, 1, image::Rgb([235, 235, 235]));
        rgb.put_pixel(1, 0, image::Rgb([213, 82, 90])); // stamp on paper
        rgb.put_pixel(2, 0, image::Rgb([158, 27, 35])); // stamp over text
        rgb.put_pixel(3, 0, image::Rgb([59, 76, 179])); // blue signature
        let (g, mask) = remove_ink(&rgb);
        assert_eq!(mask.get_pixel(1, 0).0[0], 0);
        assert_eq!(g.get_pixel(1, 0).0[0], 255);
        assert!(g.get_pixel(2, 0).0[0] < 70);
        assert_eq!(g.get_pixel(3, 0).0[0], 255);
        // Paper next to the ink is its pale fringe; paper farther away stays.
        assert_eq!(g.get_pixel(5, 0).0[0], 255);
        assert!((g.get_pixel(11, 0).0[0] as i32 - 235).abs() <= 1);
    }

    #[test]
    fn specks_go_tone_dots_stay() {
        let mut img = GrayImage::from_pixel(60, 60, Luma([235]));
        // A letter stroke with a nặng dot under it, and a lone speck.
        for y in 10..30 {
            for x in 10..14 {
                img.put_pixel(x, y, Luma([20]));
            }
        }
        for (x, y) in [(11, 33), (12, 33), (11, 34), (12, 34)] {
            img.put_pixel(x, y, Luma([20]));
        }
        for (x, y) in [(45, 45), (46, 45), (45, 46)] {
            img.put_pixel(x, y, Luma([30]));
        }
        despeckle(&mut img, 300.0);
        assert_eq!(img.get_pixel(45, 45).0[0], 255);
        assert_eq!(img.get_pixel(11, 33).0[0], 20);
        assert_eq!(img.get_pixel(12, 20).0[0], 20);
    }

    #[test]
    fn low_resolution_is_upscaled() {
        let img = DynamicImage::ImageLuma8(GrayImage::from_pixel(400, 560, Luma([255])));
        let p = prepare(&img, 288.0); // 100 dpi
        assert_eq!(p.gray.width(), 1200);
        assert!((p.dpi - 300.0).abs() < 0.5);
    }
}
