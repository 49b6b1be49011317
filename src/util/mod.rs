//! Small helpers shared by several stages (one per concern).

pub mod row_key;
use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result};

use crate::model::Cell;

/// Letters and digits only, lower case, without Vietnamese marks ("Đơn vị
/// tính" → "donvitinh"): the form in which OCR's slips in marks and spaces
/// vanish.
pub fn loose(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Loose forms at least this long may differ by one edit and still be the
/// same header word.
const NEAR_MIN_LEN: usize = 8;

/// The same short text (a header word) read with OCR's slips: equal
/// [`loose`] forms, or one edit apart when they are long enough that one
/// edit cannot make another word ("Đơnvjị tính", "Đơn v] tính" for "Đơn vị
/// tính").
pub fn nearly_same(a: &str, b: &str) -> bool {
    nearly_same_loose(&loose(a), &loose(b))
}

/// [`nearly_same`] of two texts given in their [`loose`] forms (a list of
/// header words is made loose once, not once per comparison).
pub fn nearly_same_loose(a: &str, b: &str) -> bool {
    if a == b {
        return !a.is_empty();
    }
    // Lengths first: most pairs are too short or too far apart for one edit.
    let (na, nb) = (a.chars().count(), b.chars().count());
    if na.min(nb) < NEAR_MIN_LEN || na.abs_diff(nb) > 1 {
        return false;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if digits(a) != digits(b) {
        // "Năm 2023" and "Năm 2024" are two columns, whatever their length.
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    edit_distance(&a, &b) <= 1
}

/// Levenshtein distance.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Vietnamese number: dot thousands, comma decimals, `decimals` digits.
pub fn vn_num(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A count or amount: no decimals when whole, else up to two.
pub fn vn_auto(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        vn_num(v, 0)
    } else {
        let s = vn_num(v, 2);
        s.trim_end_matches('0').trim_end_matches(',').to_string()
    }
}

/// "t2 / 6.3.1 / Năm 2022": where a cell stands (table, row, column).  The
/// checks write it into a finding's `location` and the comparison workbook
/// finds the flagged cell by it, so both must use this one function.
pub fn cell_location(c: &Cell) -> String {
    let table = c.table_id.rsplit(':').next().unwrap_or(&c.table_id);
    let row = c.stt.clone().unwrap_or_else(|| format!("dòng {}", c.row));
    format!("{table} / {row} / {}", c.column)
}

/// Write `path` atomically: `write` fills a temporary file in the same folder
/// (created when missing), which is synced, made world-readable and renamed
/// over `path`.  On error the temporary file is removed and `path` is left
/// as it was.
pub(crate) fn write_atomically(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new().prefix(".cchc-").suffix(".tmp").tempfile_in(dir).with_context(|| format!("temp file in {}", dir.display()))?;
    write(tmp.as_file_mut()).with_context(|| format!("writing {}", path.display()))?;
    tmp.as_file().sync_all().with_context(|| format!("syncing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

/// Letters of a text and how many of them are capitals.
pub(crate) fn letter_case(text: &str) -> (usize, usize) {
    text.chars().filter(|c| c.is_alphabetic()).fold((0, 0), |(n, up), c| (n + 1, up + usize::from(c.is_uppercase())))
}

/// At least one letter and every letter a capital ("BÁO CÁO", "UBND").
pub(crate) fn is_all_caps(text: &str) -> bool {
    // Stops at the first letter that is not a capital (most text).
    let mut letters = false;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters = true;
    }
    letters
}

/// At least `min_letters` letters, of which at least `share` are capitals.
pub(crate) fn mostly_caps(text: &str, min_letters: usize, share: f64) -> bool {
    let (n, up) = letter_case(text);
    #[allow(clippy::cast_precision_loss)]
    let ok = n >= min_letters && up as f64 >= share * n as f64;
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_read_with_slips() {
        assert_eq!(loose("Đơn vị tính"), "donvitinh");
        assert!(nearly_same("Đơn vị tính", "Đơnvjị tính"));
        assert!(nearly_same("Đơn vị tính", "Đơn v] tính"));
        assert!(nearly_same("Đơn vị tính", "Đơn vÌ tính"));
        assert!(nearly_same("Số liệu", "Sổ liệu"));
        assert!(!nearly_same("Số liệu", "Số lượng"));
        assert!(!nearly_same("Năm 2023", "Năm 2024"));
        assert!(!nearly_same("Kế hoạch năm 2023", "Kế hoạch năm 2024"));
        assert!(!nearly_same("", " "));
    }
}
