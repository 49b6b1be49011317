//! The pages of a multi-page TIFF, the usual output of office scanners.
//!
//! The `image` crate decodes the first image of a TIFF only. A TIFF is a
//! header that points to its first image file directory (IFD), each IFD
//! pointing to the next; so the file with its header pointing to IFD `n`
//! is a valid TIFF whose first image is page `n`, and `image` decodes it
//! with all its conversions (1-bit fax pages, CMYK, strips or tiles).
//!
//! ```text
//! header  = ("II" "*\0" | "MM" "\0*") first_ifd:u32
//! ifd     = count:u16 (entry:12 bytes){count} next_ifd:u32     (next 0 = last)
//! ```
//!
//! BigTIFF ("II+\0") and anything unreadable give one page: the file as is.

use std::borrow::Cow;

/// Most pages taken from one file (a hostile chain stops here).
pub const MAX_PAGES: usize = 2_000;

fn u16_at(b: &[u8], at: usize, little: bool) -> Option<u16> {
    let s: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if little { u16::from_le_bytes(s) } else { u16::from_be_bytes(s) })
}

fn u32_at(b: &[u8], at: usize, little: bool) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if little { u32::from_le_bytes(s) } else { u32::from_be_bytes(s) })
}

/// Offsets of the IFDs of a classic TIFF, in chain order (empty when the
/// bytes are not one).
pub fn ifd_offsets(b: &[u8]) -> Vec<u32> {
    let little = match b.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return Vec::new(),
    };
    let mut out: Vec<u32> = Vec::new();
    let mut at = u32_at(b, 4, little).unwrap_or(0);
    while at != 0 && out.len() < MAX_PAGES && !out.contains(&at) {
        let Ok(pos) = usize::try_from(at) else { break };
        let Some(count) = u16_at(b, pos, little) else { break };
        let next_at = pos + 2 + usize::from(count) * 12;
        let Some(next) = u32_at(b, next_at, little) else { break };
        out.push(at);
        at = next;
    }
    out
}

/// One TIFF per page (page 1 is the file itself); any other file is one page.
pub fn pages(b: &[u8]) -> Vec<Cow<'_, [u8]>> {
    let offsets = ifd_offsets(b);
    if offsets.len() <= 1 {
        return vec![Cow::Borrowed(b)];
    }
    let little = b.starts_with(b"II");
    offsets
        .iter()
        .enumerate()
        .map(|(i, &off)| {
            if i == 0 {
                return Cow::Borrowed(b);
            }
            let mut copy = b.to_vec();
            let at = if little { off.to_le_bytes() } else { off.to_be_bytes() };
            copy[4..8].copy_from_slice(&at);
            Cow::Owned(copy)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma};

    /// A little-endian TIFF of `n` grey pages, page i filled with value 10·i.
    fn tiff(n: u8) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut enc = tiff::encoder::TiffEncoder::new(&mut out).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..n {
            let img = GrayImage::from_pixel(8, 4, Luma([10 * i]));
            enc.write_image::<tiff::encoder::colortype::Gray8>(8, 4, img.as_raw()).unwrap_or_else(|e| panic!("{e}"));
        }
        out.into_inner()
    }

    #[test]
    fn every_page_of_a_multipage_tiff_decodes() {
        let b = tiff(3);
        let p = pages(&b);
        assert_eq!(p.len(), 3);
        for (i, page) in p.iter().enumerate() {
            let img = image::load_from_memory(page).unwrap_or_else(|e| panic!("page {i}: {e}")).to_luma8();
            assert_eq!(img.get_pixel(0, 0).0[0], 10 * i as u8, "page {i}");
        }
    }

    #[test]
    fn other_files_and_broken_chains_are_one_page() {
        assert_eq!(pages(b"\x89PNG\r\n\x1a\nrest").len(), 1);
        let mut b = tiff(2);
        assert_eq!(ifd_offsets(&b).len(), 2);
        // A chain pointing back to itself stops.
        let first = ifd_offsets(&b)[0] as usize;
        let count = u16_at(&b, first, true).map_or(0, usize::from);
        let next_at = first + 2 + count * 12;
        b[next_at..next_at + 4].copy_from_slice(&(first as u32).to_le_bytes());
        assert_eq!(ifd_offsets(&b).len(), 1);
        // A truncated file: the pages whose IFD is whole.
        assert!(ifd_offsets(&b[..first + 1]).is_empty());
    }
}
