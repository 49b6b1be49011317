//! The workbook: formats, column widths, notes on flagged values.

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet};

use super::{build, NumFmt, Sheet, V};
use crate::canon::indicators::Catalog;
use crate::model::Dataset;
use crate::util::write_atomically;

struct Formats {
    header: Format,
    header_wrap: Format,
    text: Format,
    count: Format,
    count_dec: Format,
    percent: Format,
    plain: Format,
}

fn formats(highlight: bool) -> Formats {
    let base = || {
        let f = Format::new();
        if highlight {
            f.set_background_color(Color::RGB(0xFFE699)).set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xC00000))
        } else {
            f
        }
    };
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7)).set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
    Formats {
        header_wrap: header.clone().set_text_wrap(),
        header,
        text: base(),
        count: base().set_num_format("#,##0"),
        count_dec: base().set_num_format("#,##0.00"),
        percent: base().set_num_format("0.00"),
        plain: base().set_num_format("0"),
    }
}

fn col_width(sheet: &Sheet, col: usize) -> (f64, usize) {
    let data = sheet.rows.iter().map(|r| r.get(col).map_or(0, V::display_len)).max().unwrap_or(0);
    let header = sheet.headers.get(col).map_or(0, |h| h.chars().count());
    let data_w = (data + 2).clamp(6, 60);
    if sheet.wrap_header && header > 18 {
        // Narrow column, header wrapped over several lines.
        let w = data_w.clamp(16, 26).max(header.div_ceil(5)).min(30);
        let lines = header.div_ceil(w.saturating_sub(2).max(1));
        (w as f64, lines)
    } else {
        ((header + 3).max(data_w).min(70) as f64, 1)
    }
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet) -> Result<()> {
    ws.set_name(&sheet.name)?;
    let normal = formats(false);
    let hl = formats(true);
    let mut max_lines = 1;
    for (c, h) in sheet.headers.iter().enumerate() {
        let col = u16::try_from(c).context("too many columns")?;
        let (w, lines) = col_width(sheet, c);
        max_lines = max_lines.max(lines);
        ws.set_column_width(col, w)?;
        let f = if sheet.wrap_header { &normal.header_wrap } else { &normal.header };
        ws.write_string_with_format(0, col, h, f)?;
        if let Some(Some(n)) = sheet.header_notes.get(c) {
            ws.insert_note(0, col, &Note::new(n).set_author("cchc").add_author_prefix(false))?;
        }
    }
    if max_lines > 1 {
        ws.set_row_height(0, (15 * max_lines.min(8)) as f64)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let xr = u32::try_from(r + 1).context("too many rows")?;
        for (c, v) in row.iter().enumerate() {
            let col = u16::try_from(c).context("too many columns")?;
            let note = sheet.flagged.get(&(r, c));
            let f = if note.is_some() { &hl } else { &normal };
            match v {
                V::Empty => {
                    if note.is_some() {
                        ws.write_blank(xr, col, &f.text)?;
                    }
                }
                V::Text(s) => {
                    ws.write_string_with_format(xr, col, s, &f.text)?;
                }
                V::Num(x, fmt) => {
                    let format = match fmt {
                        NumFmt::Percent => &f.percent,
                        NumFmt::Plain => &f.plain,
                        NumFmt::Count | NumFmt::Money if x.fract() != 0.0 => &f.count_dec,
                        NumFmt::Count | NumFmt::Money => &f.count,
                    };
                    ws.write_number_with_format(xr, col, *x, format)?;
                }
            }
            if let Some(n) = note {
                ws.insert_note(xr, col, &Note::new(n).set_author("cchc").add_author_prefix(false))?;
            }
        }
    }
    let ncols = u16::try_from(sheet.headers.len().max(1)).context("too many columns")?;
    let nrows = u32::try_from(sheet.rows.len()).context("too many rows")?;
    ws.set_freeze_panes(1, sheet.freeze_cols)?;
    ws.autofilter(0, 0, nrows, ncols - 1)?;
    Ok(())
}

/// Write the workbook atomically ([`write_atomically`]).
pub fn write_xlsx(ds: &Dataset, catalog: &Catalog, path: &Path) -> Result<()> {
    let report = build(ds, catalog);
    let mut wb = Workbook::new();
    for sheet in &report.sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, sheet).with_context(|| format!("sheet {}", sheet.name))?;
    }
    write_atomically(path, |file| wb.save_to_writer(file).map_err(anyhow::Error::from))
}
