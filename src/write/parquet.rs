//! Parquet output (polars): one file per table, written atomically
//! (temporary file in the same folder, then rename). The column lists below
//! are the contract documented in `schemas/*.md` (a test keeps them equal).

use anyhow::{Context, Result};
use polars::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::fs::File;
use std::path::Path;

use crate::model::{Cell, Dataset, DocumentRow, Figure, Finding, Section};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    F64,
    I32,
    I64,
}

impl Ty {
    pub fn name(&self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::F64 => "float64",
            Ty::I32 => "int32",
            Ty::I64 => "int64",
        }
    }
    fn dtype(&self) -> DataType {
        match self {
            Ty::Str => DataType::String,
            Ty::F64 => DataType::Float64,
            Ty::I32 => DataType::Int32,
            Ty::I64 => DataType::Int64,
        }
    }
}

use Ty::*;

pub const DOCUMENTS: &[(&str, Ty)] = &[
    ("doc_id", Str), ("path", Str), ("format", Str), ("encoding", Str), ("status", Str), ("error", Str),
    ("doc_type", Str), ("unit_name", Str), ("unit_level", Str), ("province", Str), ("issuer", Str),
    ("period_kind", Str), ("period_year", I32), ("period_quarter", I32), ("period_from", I32), ("period_to", I32),
    ("report_number", Str), ("signer", Str), ("title", Str), ("doc_date", Str), ("pages", I32), ("bytes", I64), ("warnings", Str),
];

pub const SECTIONS: &[(&str, Ty)] = &[
    ("doc_id", Str), ("section_id", Str), ("parent_id", Str), ("level", I32), ("number", Str), ("title", Str),
    ("page", I32), ("line", I32), ("text", Str),
];

pub const FIGURES: &[(&str, Ty)] = &[
    ("doc_id", Str), ("figure_id", Str), ("section_id", Str), ("page", I32), ("line", I32), ("raw", Str), ("kind", Str),
    ("value", F64), ("numerator", F64), ("denominator", F64), ("stated_percent", F64), ("unit", Str), ("qualifier", Str),
    ("subject", Str), ("indicator", Str), ("sentence", Str), ("offset", I32), ("year", I32), ("normalized", Str),
];

pub const TABLES: &[(&str, Ty)] = &[
    ("doc_id", Str), ("table_id", Str), ("table_title", Str), ("page", I32), ("line", I32), ("row", I32), ("stt", Str),
    ("parent_stt", Str), ("label", Str), ("column", Str), ("unit", Str), ("raw", Str), ("kind", Str), ("value", F64),
    ("numerator", F64), ("denominator", F64), ("qualifier", Str), ("indicator", Str), ("warning", Str), ("year", I32),
    ("option", Str),
];

pub const FINDINGS: &[(&str, Ty)] = &[
    ("doc_id", Str), ("finding_id", Str), ("rule", Str), ("severity", Str), ("page", I32), ("line", I32), ("location", Str),
    ("message", Str), ("expected", Str), ("reported", Str), ("quote", Str), ("figure_id", Str), ("related_doc_id", Str),
];

/// The five outputs: file stem and schema.
pub const OUTPUTS: &[(&str, &[(&str, Ty)])] =
    &[("documents", DOCUMENTS), ("sections", SECTIONS), ("figures", FIGURES), ("tables", TABLES), ("findings", FINDINGS)];

/// Rows → DataFrame with exactly the schema's columns and types.
pub fn to_frame<T: Serialize>(rows: &[T], schema: &[(&str, Ty)]) -> Result<DataFrame> {
    let maps: Vec<Map<String, Json>> = rows
        .iter()
        .map(|r| match serde_json::to_value(r) {
            Ok(Json::Object(m)) => Ok(m),
            Ok(_) => anyhow::bail!("row is not a struct"),
            Err(e) => Err(e.into()),
        })
        .collect::<Result<_>>()?;
    let columns = schema
        .iter()
        .map(|(name, ty)| {
            let get = |m: &Map<String, Json>| m.get(*name).cloned().unwrap_or(Json::Null);
            let name = PlSmallStr::from(*name);
            match ty {
                Str => Column::new(name, maps.iter().map(|m| get(m).as_str().map(str::to_string)).collect::<Vec<Option<String>>>()),
                F64 => Column::new(name, maps.iter().map(|m| get(m).as_f64()).collect::<Vec<Option<f64>>>()),
                I32 => Column::new(name, maps.iter().map(|m| get(m).as_i64().and_then(|v| i32::try_from(v).ok())).collect::<Vec<Option<i32>>>()),
                I64 => Column::new(name, maps.iter().map(|m| get(m).as_i64()).collect::<Vec<Option<i64>>>()),
            }
        })
        .collect::<Vec<Column>>();
    Ok(DataFrame::new(rows.len(), columns)?)
}

/// DataFrame → rows (columns missing from the file read as null).
pub fn from_frame<T: DeserializeOwned>(df: &DataFrame, schema: &[(&str, Ty)]) -> Result<Vec<T>> {
    let n = df.height();
    let mut maps: Vec<Map<String, Json>> = vec![Map::new(); n];
    for (name, ty) in schema {
        let Ok(col) = df.column(name) else { continue };
        let s = col.as_materialized_series().cast(&ty.dtype())?;
        match ty {
            Str => {
                let ca = s.str()?;
                for (m, v) in maps.iter_mut().zip((0..n).map(|i| ca.get(i))) {
                    m.insert(name.to_string(), v.map_or(Json::Null, |x| Json::String(x.to_string())));
                }
            }
            F64 => {
                let ca = s.f64()?;
                for (m, v) in maps.iter_mut().zip((0..n).map(|i| ca.get(i))) {
                    m.insert(name.to_string(), v.and_then(serde_json::Number::from_f64).map_or(Json::Null, Json::Number));
                }
            }
            I32 => {
                let ca = s.i32()?;
                for (m, v) in maps.iter_mut().zip((0..n).map(|i| ca.get(i))) {
                    m.insert(name.to_string(), v.map_or(Json::Null, |x| Json::Number(x.into())));
                }
            }
            I64 => {
                let ca = s.i64()?;
                for (m, v) in maps.iter_mut().zip((0..n).map(|i| ca.get(i))) {
                    m.insert(name.to_string(), v.map_or(Json::Null, |x| Json::Number(x.into())));
                }
            }
        }
    }
    maps.into_iter().map(|m| serde_json::from_value(Json::Object(m)).map_err(Into::into)).collect()
}

/// Writes `df` to `path` atomically.
pub fn write_frame(df: &mut DataFrame, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = tempfile::Builder::new().prefix(".cchc-").suffix(".parquet.tmp").tempfile_in(dir).with_context(|| format!("temp file in {}", dir.display()))?;
    {
        let file = tmp.as_file().try_clone()?;
        ParquetWriter::new(file).with_row_group_size(Some(64 * 1024)).finish(df).map_err(anyhow::Error::from).with_context(|| format!("writing {}", path.display()))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

/// Writes the five Parquet files of a dataset into `dir`.
pub fn write_dataset(ds: &Dataset, dir: &Path) -> Result<()> {
    write_frame(&mut to_frame(&ds.documents, DOCUMENTS)?, &dir.join("documents.parquet"))?;
    write_frame(&mut to_frame(&ds.sections, SECTIONS)?, &dir.join("sections.parquet"))?;
    write_frame(&mut to_frame(&ds.figures, FIGURES)?, &dir.join("figures.parquet"))?;
    write_frame(&mut to_frame(&ds.cells, TABLES)?, &dir.join("tables.parquet"))?;
    write_frame(&mut to_frame(&ds.findings, FINDINGS)?, &dir.join("findings.parquet"))?;
    Ok(())
}

pub fn read_frame(path: &Path) -> Result<DataFrame> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    ParquetReader::new(f).finish().map_err(anyhow::Error::from).with_context(|| format!("reading {}", path.display()))
}

/// Reads a dataset folder written by `extract` (missing files read as empty).
pub fn read_dataset(dir: &Path) -> Result<Dataset> {
    fn part<T: DeserializeOwned>(dir: &Path, stem: &str, schema: &[(&str, Ty)]) -> Result<Vec<T>> {
        let p = dir.join(format!("{stem}.parquet"));
        if !p.exists() {
            return Ok(Vec::new());
        }
        from_frame(&read_frame(&p)?, schema)
    }
    if !dir.join("documents.parquet").exists() {
        anyhow::bail!("{} is not a cchc dataset (no documents.parquet)", dir.display());
    }
    Ok(Dataset {
        documents: part::<DocumentRow>(dir, "documents", DOCUMENTS)?,
        sections: part::<Section>(dir, "sections", SECTIONS)?,
        figures: part::<Figure>(dir, "figures", FIGURES)?,
        cells: part::<Cell>(dir, "tables", TABLES)?,
        findings: part::<Finding>(dir, "findings", FINDINGS)?,
    })
}
