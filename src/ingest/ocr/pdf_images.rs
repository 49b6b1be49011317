//! The image of a scanned PDF page: the largest image drawn on it, taken
//! from the file with lopdf (DCT = JPEG as is; Flate/LZW/uncompressed
//! samples in grey, RGB or CMYK, 1 or 8 bits). Other encodings (JPX, JBIG2,
//! CCITT) and pages whose text layer is garbage are rasterized with
//! `pdftoppm` (poppler-utils) when it is installed.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::{DynamicImage, GrayImage, RgbImage};
use lopdf::{Document, Object};

use super::{OcrError, PageImage};

/// Resolution of pages rasterized with pdftoppm.
const RASTER_DPI: u32 = 300;
/// Largest image decoded (pixels).
const MAX_PIXELS: u64 = 12_000 * 12_000;

/// Where a page's image comes from.
pub enum Source {
    /// A JPEG stream (DCTDecode, possibly under Flate).
    Jpeg(Vec<u8>),
    /// Raw samples.
    Samples { data: Vec<u8>, width: u32, height: u32, bits: u8, components: u8, inverted: bool },
    /// No usable image: render the page.
    Rasterize,
}

/// One page to OCR.
pub struct PageJob {
    pub number: u32,
    pub width_pt: f32,
    pub height_pt: f32,
    pub source: Source,
}

/// Jobs for the pages `(number, width, height)` of the PDF in `bytes`.
pub fn page_jobs(bytes: &[u8], pages: &[(u32, f32, f32)]) -> Vec<PageJob> {
    let doc = Document::load_mem(bytes).ok().map(|mut d| {
        if d.is_encrypted() {
            let _ = d.decrypt("");
        }
        d
    });
    let ids = doc.as_ref().map(Document::get_pages).unwrap_or_default();
    pages
        .iter()
        .map(|&(number, width_pt, height_pt)| {
            let source = match (doc.as_ref(), ids.get(&number)) {
                (Some(d), Some(&id)) => page_image(d, id).unwrap_or(Source::Rasterize),
                _ => Source::Rasterize,
            };
            PageJob { number, width_pt, height_pt, source }
        })
        .collect()
}

/// The largest image XObject of a page, when its encoding is one we decode.
fn page_image(doc: &Document, id: lopdf::ObjectId) -> Option<Source> {
    let images = doc.get_page_images(id).ok()?;
    let img = images.into_iter().max_by_key(|i| i.width.max(0) * i.height.max(0))?;
    let (width, height) = (u32::try_from(img.width).ok()?, u32::try_from(img.height).ok()?);
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width == 0 || height == 0 {
        return None;
    }
    let filters = img.filters.clone().unwrap_or_default();
    let stream = doc.get_object(img.id).ok()?.as_stream().ok()?;
    let mask = img.origin_dict.get(b"ImageMask").ok().is_some_and(|o| matches!(o, Object::Boolean(true)));
    let inverted =
        img.origin_dict.get(b"Decode").ok().and_then(|o| o.as_array().ok()).and_then(|a| a.first()).is_some_and(|v| v.as_float().unwrap_or(0.0) > 0.5);
    if filters.last().map(String::as_str) == Some("DCTDecode") {
        let data = if filters.len() == 1 {
            stream.content.clone()
        } else {
            let mut inner = stream.clone();
            inner.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            inner.decompressed_content().ok()?
        };
        return Some(Source::Jpeg(data));
    }
    if !filters.iter().all(|f| matches!(f.as_str(), "FlateDecode" | "LZWDecode")) {
        return None;
    }
    let data = if filters.is_empty() { stream.content.clone() } else { stream.decompressed_content().ok()? };
    let bits = u8::try_from(img.bits_per_component.unwrap_or(1)).ok()?;
    let components = if mask {
        1
    } else {
        match img.color_space.as_deref() {
            Some("DeviceGray" | "CalGray") => 1,
            Some("DeviceRGB" | "CalRGB") => 3,
            Some("DeviceCMYK") => 4,
            _ => icc_components(doc, img.origin_dict)?,
        }
    };
    Some(Source::Samples { data, width, height, bits, components, inverted: inverted ^ mask })
}

/// Components of an /ICCBased colour space (its /N).
fn icc_components(doc: &Document, dict: &lopdf::Dictionary) -> Option<u8> {
    let cs = dict.get(b"ColorSpace").ok()?;
    let arr = match cs {
        Object::Reference(r) => doc.get_object(*r).ok()?.as_array().ok()?,
        o => o.as_array().ok()?,
    };
    let icc = match arr.get(1)? {
        Object::Reference(r) => doc.get_object(*r).ok()?.as_stream().ok()?,
        _ => return None,
    };
    u8::try_from(icc.dict.get(b"N").ok()?.as_i64().ok()?).ok()
}

/// Decodes a job's image (or rasterizes the page from `pdf`).
pub fn load(job: &PageJob, pdf: &[u8], deadline: Option<Instant>) -> Result<PageImage, OcrError> {
    let image = match &job.source {
        Source::Jpeg(data) => image::load_from_memory_with_format(data, image::ImageFormat::Jpeg)?,
        Source::Samples { data, width, height, bits, components, inverted } => samples(data, *width, *height, *bits, *components, *inverted)
            .ok_or_else(|| OcrError::NoImage(format!("page {}: image samples do not match their size", job.number)))?,
        Source::Rasterize => rasterize(pdf, job.number, deadline)?,
    };
    Ok(PageImage { number: job.number, image, width_pt: job.width_pt, height_pt: job.height_pt })
}

fn samples(data: &[u8], width: u32, height: u32, bits: u8, components: u8, inverted: bool) -> Option<DynamicImage> {
    let (w, h) = (width as usize, height as usize);
    let flip = |v: u8| if inverted { 255 - v } else { v };
    match (bits, components) {
        (8, 1) => {
            let px: Vec<u8> = data.get(..w * h)?.iter().map(|&v| flip(v)).collect();
            GrayImage::from_raw(width, height, px).map(DynamicImage::ImageLuma8)
        }
        (8, 3) => RgbImage::from_raw(width, height, data.get(..w * h * 3)?.to_vec()).map(DynamicImage::ImageRgb8),
        (8, 4) => {
            let cmyk = data.get(..w * h * 4)?;
            let rgb: Vec<u8> = cmyk
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = 255 - u16::from(p[3]);
                    p[..3].iter().map(move |&c| u8::try_from((255 - u16::from(c)) * k / 255).unwrap_or(0)).collect::<Vec<u8>>()
                })
                .collect();
            RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
        (1, 1) => {
            let row = w.div_ceil(8);
            let bytes = data.get(..row * h)?;
            let mut px = Vec::with_capacity(w * h);
            for y in 0..h {
                for x in 0..w {
                    let bit = (bytes[y * row + x / 8] >> (7 - x % 8)) & 1;
                    px.push(flip(if bit == 1 { 255 } else { 0 }));
                }
            }
            GrayImage::from_raw(width, height, px).map(DynamicImage::ImageLuma8)
        }
        _ => None,
    }
}

/// Renders one page with pdftoppm (grey, [`RASTER_DPI`]).
fn rasterize(pdf: &[u8], number: u32, deadline: Option<Instant>) -> Result<DynamicImage, OcrError> {
    let dir = tempfile::Builder::new().prefix("cchc-raster-").tempdir()?;
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf)?;
    let out = dir.path().join("page");
    let child = Command::new("pdftoppm")
        .args(["-r", &RASTER_DPI.to_string(), "-gray", "-singlefile", "-png", "-f", &number.to_string(), "-l", &number.to_string()])
        .arg(&input)
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| OcrError::NoImage(format!("page {number}: no image this reader decodes, and pdftoppm cannot run to render the page ({e})")))?;
    let until = Instant::now() + Duration::from_secs(60);
    let until = deadline.map_or(until, |d| d.min(until));
    super::tesseract::wait_output(child, until)?;
    let png = std::fs::read(dir.path().join("page.png"))?;
    Ok(image::load_from_memory_with_format(&png, image::ImageFormat::Png)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bit_and_cmyk_samples() {
        let img = samples(&[0b1010_0000, 0b0100_0000], 3, 2, 1, 1, false).map(|i| i.to_luma8());
        let px: Vec<u8> = img.map(|i| i.into_raw()).unwrap_or_default();
        assert_eq!(px, [255, 0, 255, 0, 255, 0]);
        let rgb = samples(&[0, 0, 0, 0, 0, 0, 0, 255], 2, 1, 8, 4, false).map(|i| i.to_rgb8().into_raw()).unwrap_or_default();
        assert_eq!(rgb, [255, 255, 255, 0, 0, 0]);
        assert!(samples(&[0; 3], 4, 4, 8, 1, false).is_none());
    }
}
