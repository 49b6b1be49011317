//! OCR of scanned pages and image files with the Tesseract command-line
//! program (Vietnamese model), into the same geometric page model as digital
//! PDFs ([`PdfPage`]): reading order, paragraphs, footnotes and tables then
//! work unchanged.
//!
//! * [`engine`]: finds `tesseract` (`CCHC_TESSERACT` overrides the path) and
//!   checks that the `vie` model is installed (once per path);
//! * [`raster`]: stamp and signature removal by colour, deskew, resolution,
//!   ruling lines found in the image;
//! * [`pdf_images`]: the page image of a scanned PDF page (lopdf: DCT, Flate;
//!   other filters rasterized with `pdftoppm` when installed);
//! * [`tesseract`]: the child process (TSV output, timeout, kill);
//! * [`page`]: TSV words → [`PdfPage`] lines and rules;
//! * [`correct`]: post-correction (syllable check, digit look-alikes);
//! * [`tiff_pages`]: the pages of a multi-page TIFF.
//!
//! Pages are OCRed on a pool of their own (one thread per core): the
//! file's worker thread waits for it, never the batch pool.

pub mod cells;
pub mod confidence;
pub mod correct;
pub mod page;
pub mod pdf_images;
pub mod raster;
pub mod specks;
pub mod tesseract;
pub mod tiff_pages;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use rayon::prelude::*;

use super::pdf::PdfPage;

/// Whether scanned pages are OCRed (`--ocr`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OcrMode {
    /// Never: scanned inputs become `needs_ocr` rows.
    Off,
    /// When Tesseract and its Vietnamese model are installed.
    #[default]
    Auto,
}

/// Why OCR of a page or a file did not work.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("Tesseract is not installed or cannot run ({exe}): {source}")]
    NotInstalled {
        exe: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the Vietnamese model of Tesseract (vie) is not installed (installed: {0})")]
    NoVietnamese(String),
    #[error("OCR is off (--ocr off)")]
    Off,
    #[error("Tesseract failed: {0}")]
    Failed(String),
    #[error("Tesseract I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("Tesseract did not finish within {0} s (killed)")]
    Timeout(u64),
    #[error("time budget of the file spent before OCR of the page")]
    Budget,
    #[error("cannot decode the image: {0}")]
    Image(#[from] image::ImageError),
    #[error("{0}")]
    NoImage(String),
}

/// An installed Tesseract with the Vietnamese model.
#[derive(Debug, Clone)]
pub struct Engine {
    pub exe: PathBuf,
}

/// Environment variable naming the tesseract executable.
pub const ENV_TESSERACT: &str = "CCHC_TESSERACT";

type Probe = Result<Engine, String>;

/// The Tesseract to use, checked once per executable path. The error text
/// is what a `needs_ocr` row says.
pub fn engine(mode: OcrMode) -> Result<Engine, OcrError> {
    if mode == OcrMode::Off {
        return Err(OcrError::Off);
    }
    let exe = std::env::var_os(ENV_TESSERACT).map_or_else(|| PathBuf::from("tesseract"), PathBuf::from);
    static PROBES: OnceLock<Mutex<HashMap<PathBuf, Probe>>> = OnceLock::new();
    let probes = PROBES.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(map) = probes.lock() {
        if let Some(p) = map.get(&exe) {
            return p.clone().map_err(OcrError::Failed);
        }
    }
    let probed = tesseract::probe(&exe);
    let kept: Probe = match &probed {
        Ok(e) => Ok(e.clone()),
        Err(e) => Err(e.to_string()),
    };
    if let Ok(mut map) = probes.lock() {
        map.insert(exe, kept);
    }
    probed
}

/// One page to OCR: its image and its size in points.
pub struct PageImage {
    pub number: u32,
    pub image: image::DynamicImage,
    pub width_pt: f32,
    pub height_pt: f32,
}

/// An OCRed page: lines and rules in points, plus the confidence (0–100)
/// of every word, parallel to `page.lines[i].words`.
#[derive(Debug, Clone, Default)]
pub struct OcrPage {
    pub page: PdfPage,
    pub word_conf: Vec<Vec<f32>>,
    /// Skew corrected (degrees) and resolution read at (dpi).
    pub skew: f32,
    pub dpi: f32,
    /// Words that are neither Vietnamese syllables nor numbers/abbreviations.
    pub odd_words: usize,
}

impl OcrPage {
    /// Mean word confidence (0–100) and number of words.
    pub fn conf_sum(&self) -> (f64, usize) {
        let all = self.word_conf.iter().flatten();
        all.fold((0.0, 0), |(s, n), c| (s + f64::from(*c), n + 1))
    }
}

/// Short side of A3 (pt): no report page is larger.
const A3_SHORT_PT: f32 = 842.0;
/// A4 sides (pt).
const A4_PT: (f32, f32) = (595.0, 842.0);

impl PageImage {
    /// A page whose short side is larger than A3's got its size from an
    /// image whose resolution was never recorded (PDFs made from a photo
    /// with Tesseract's `pdf` output assume 70 dpi: a 1654-pixel page
    /// becomes 60 cm wide). Such a page is taken as A4, so its resolution,
    /// and the upscaling that follows from it, are those of a report page.
    fn plausible(mut self) -> PageImage {
        if self.width_pt.min(self.height_pt) > A3_SHORT_PT {
            let (w, h) = (self.image.width().max(1) as f32, self.image.height().max(1) as f32);
            self.width_pt = if h >= w { A4_PT.0 } else { A4_PT.1 };
            self.height_pt = self.width_pt * h / w;
        }
        self
    }
}

/// OCRs one page image: preprocessing, Tesseract, words and rules.
pub fn ocr_image(engine: &Engine, img: PageImage, deadline: Option<Instant>) -> Result<OcrPage, OcrError> {
    if deadline.is_some_and(|d| Instant::now() >= d) {
        return Err(OcrError::Budget);
    }
    let img = img.plausible();
    let mut prepared = raster::prepare(&img.image, img.width_pt);
    let rules = raster::find_rules(&mut prepared.gray, prepared.dpi, prepared.ink.as_ref());
    raster::despeckle(&mut prepared.gray, prepared.dpi);
    let tsv = tesseract::run_tsv(engine, &prepared.gray, prepared.dpi, deadline)?;
    if let Some(dir) = std::env::var_os("CCHC_OCR_DUMP") {
        // Debugging aid: the image Tesseract saw and its TSV, per page.
        let base = std::path::Path::new(&dir).join(format!("page{:03}", img.number));
        let _ = prepared.gray.save(base.with_extension("png"));
        let _ = std::fs::write(base.with_extension("tsv"), &tsv);
    }
    let mut words = tesseract::parse_tsv(&tsv);
    let mut bw = prepared.gray.clone();
    raster::binarize(&mut bw, prepared.dpi);
    cells::reread(engine, &bw, prepared.dpi, &rules, &mut words, deadline);
    specks::drop_speck_marks(&mut words, &bw, specks::stroke_width(&bw));
    let scale = 72.0 / prepared.dpi;
    let mut built = page::build_page(img.number, img.width_pt, img.height_pt, &words, &rules, scale);
    built.skew = prepared.skew;
    built.dpi = prepared.dpi;
    correct::split_joined(&mut built);
    correct::flag_words(&mut built);
    Ok(built)
}

/// The pool OCR pages run on: one thread per core, shared by all files so
/// that at most that many Tesseract processes run at once.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let n = std::env::var("CCHC_OCR_THREADS").ok().and_then(|v| v.parse::<usize>().ok()).filter(|n| *n > 0).unwrap_or_else(rayon::current_num_threads);
        rayon::ThreadPoolBuilder::new().num_threads(n).thread_name(|i| format!("cchc-ocr-{i}")).build().ok()
    })
    .as_ref()
}

/// OCRs pages in parallel (page order kept). `load` gives each page's image.
pub fn ocr_pages<T: Sync>(engine: &Engine, jobs: &[T], load: impl Fn(&T) -> Result<PageImage, OcrError> + Sync) -> Vec<Result<OcrPage, OcrError>> {
    let deadline = crate::guard::deadline();
    let one = |job: &T| load(job).and_then(|img| ocr_image(engine, img, deadline));
    match pool() {
        Some(p) => p.install(|| jobs.par_iter().map(one).collect()),
        None => jobs.iter().map(one).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_sized_from_an_unknown_resolution_is_taken_as_a4() {
        let image = image::DynamicImage::ImageLuma8(image::GrayImage::new(1654, 2339));
        // 1654 px at an assumed 70 dpi: 1701 pt wide.
        let p = PageImage { number: 1, image: image.clone(), width_pt: 1701.3, height_pt: 2405.9 }.plausible();
        assert_eq!(p.width_pt, 595.0);
        assert!((p.height_pt - 841.4).abs() < 1.0, "{}", p.height_pt);
        // A real A4 or A3 page keeps its size.
        let p = PageImage { number: 1, image, width_pt: 842.0, height_pt: 1191.0 }.plausible();
        assert_eq!((p.width_pt, p.height_pt), (842.0, 1191.0));
    }
}
