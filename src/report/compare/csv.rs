//! One CSV file per sheet.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::{build, NumFmt, V};
use crate::canon::indicators::Catalog;
use crate::model::Dataset;
use crate::util::write_atomically;

/// File name of a sheet's CSV ("So sánh" → "so_sanh.csv").
pub fn csv_name(sheet: &str) -> String {
    let folded = crate::canon::indicators::fold(sheet);
    format!("{}.csv", folded.split_whitespace().collect::<Vec<_>>().join("_"))
}

pub(super) fn csv_field(v: &V) -> String {
    let s = match v {
        V::Empty => return String::new(),
        V::Num(x, _) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        V::Num(x, NumFmt::Percent) => format!("{}", (x * 100.0).round() / 100.0),
        V::Num(x, _) => format!("{x}"),
        V::Text(s) => s.clone(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One CSV per sheet in `dir`, UTF-8 with BOM (so Excel shows Vietnamese).
pub fn write_csv(ds: &Dataset, catalog: &Catalog, dir: &Path) -> Result<()> {
    let report = build(ds, catalog);
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for sheet in &report.sheets {
        let path = dir.join(csv_name(&sheet.name));
        let mut buf: Vec<u8> = Vec::new();
        buf.extend_from_slice("\u{FEFF}".as_bytes());
        let header: Vec<String> = sheet.headers.iter().map(|h| csv_field(&V::Text(h.clone()))).collect();
        writeln!(buf, "{}", header.join(","))?;
        for row in &sheet.rows {
            let fields: Vec<String> = row.iter().map(csv_field).collect();
            writeln!(buf, "{}", fields.join(","))?;
        }
        write_atomically(&path, |file| Ok(file.write_all(&buf)?))?;
    }
    Ok(())
}
