//! Small helpers shared by several stages (one per concern).

pub mod row_key;
use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result};

use crate::model::Cell;

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
