//! Parquet tables (polars): one file per table, written atomically
//! (temporary file in the same folder, then rename). The column lists below
//! are the contract documented in `schemas/*.md` (a test keeps them equal).

use anyhow::{Context, Result};
use polars::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};
use std::path::{Path, PathBuf};

use crate::model::{Cell, Claim, Dataset, DocumentRow, Figure, Finding, Section};

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
    pub(crate) fn dtype(&self) -> DataType {
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
    ("doc_id", Str),
    ("path", Str),
    ("content_sha256", Str),
    ("format", Str),
    ("encoding", Str),
    ("status", Str),
    ("error", Str),
    ("doc_type", Str),
    ("unit_name", Str),
    ("unit_level", Str),
    ("province", Str),
    ("province_canonical", Str),
    ("issuer", Str),
    ("period_kind", Str),
    ("period_year", I32),
    ("period_quarter", I32),
    ("period_month", I32),
    ("period_from", I32),
    ("period_to", I32),
    ("report_number", Str),
    ("signer", Str),
    ("title", Str),
    ("doc_date", Str),
    ("pages", I32),
    ("bytes", I64),
    ("warnings", Str),
    ("text_source", Str),
    ("ocr_confidence", F64),
];

pub const SECTIONS: &[(&str, Ty)] =
    &[("doc_id", Str), ("section_id", Str), ("parent_id", Str), ("level", I32), ("number", Str), ("title", Str), ("page", I32), ("line", I32), ("text", Str)];

pub const FIGURES: &[(&str, Ty)] = &[
    ("doc_id", Str),
    ("figure_id", Str),
    ("section_id", Str),
    ("page", I32),
    ("line", I32),
    ("raw", Str),
    ("kind", Str),
    ("value", F64),
    ("numerator", F64),
    ("denominator", F64),
    ("stated_percent", F64),
    ("unit", Str),
    ("qualifier", Str),
    ("subject", Str),
    ("indicator", Str),
    ("sentence", Str),
    ("offset", I32),
    ("year", I32),
    ("normalized", Str),
    ("confidence", F64),
];

pub const TABLES: &[(&str, Ty)] = &[
    ("doc_id", Str),
    ("table_id", Str),
    ("table_title", Str),
    ("page", I32),
    ("line", I32),
    ("row", I32),
    ("stt", Str),
    ("parent_stt", Str),
    ("label", Str),
    ("column", Str),
    ("unit", Str),
    ("raw", Str),
    ("kind", Str),
    ("value", F64),
    ("numerator", F64),
    ("denominator", F64),
    ("qualifier", Str),
    ("indicator", Str),
    ("warning", Str),
    ("year", I32),
    ("option", Str),
    ("confidence", F64),
];

pub const FINDINGS: &[(&str, Ty)] = &[
    ("doc_id", Str),
    ("finding_id", Str),
    ("rule", Str),
    ("severity", Str),
    ("page", I32),
    ("line", I32),
    ("location", Str),
    ("message", Str),
    ("expected", Str),
    ("reported", Str),
    ("quote", Str),
    ("figure_id", Str),
    ("related_doc_id", Str),
];

pub const CLAIMS: &[(&str, Ty)] = &[
    ("doc_id", Str),
    ("claim_id", Str),
    ("section_id", Str),
    ("page", I32),
    ("line", I32),
    ("kind", Str),
    ("part_value", F64),
    ("part_figure_id", Str),
    ("part_subject", Str),
    ("base_value", F64),
    ("base_figure_id", Str),
    ("base_subject", Str),
    ("stated_percent", F64),
    ("stated_raw", Str),
    ("qualifier", Str),
    ("computed_percent", F64),
    ("verdict", Str),
    ("explained_by", Str),
    ("confidence", F64),
    ("indicator", Str),
    ("quote", Str),
    ("form", Str),
    ("unit", Str),
    ("stated_figure_id", Str),
    ("base_line", I32),
];

/// The six outputs: file stem and schema.
pub const OUTPUTS: &[(&str, &[(&str, Ty)])] =
    &[("documents", DOCUMENTS), ("sections", SECTIONS), ("figures", FIGURES), ("tables", TABLES), ("findings", FINDINGS), ("claims", CLAIMS)];

/// One cell value borrowed from a row.
pub enum V<'a> {
    S(Option<&'a str>),
    F(Option<f64>),
    I(Option<i32>),
    L(Option<i64>),
}

impl<'a> From<&'a String> for V<'a> {
    fn from(s: &'a String) -> Self {
        V::S(Some(s.as_str()))
    }
}
impl<'a> From<&'a Option<String>> for V<'a> {
    fn from(s: &'a Option<String>) -> Self {
        V::S(s.as_deref())
    }
}
macro_rules! enum_cells {
    ($($t:ty),*) => {$(
        impl From<&$t> for V<'_> {
            fn from(v: &$t) -> Self {
                V::S(Some(v.as_str()))
            }
        }
        impl From<&Option<$t>> for V<'_> {
            fn from(v: &Option<$t>) -> Self {
                V::S(v.as_ref().map(|x| x.as_str()))
            }
        }
    )*};
}
enum_cells!(
    crate::model::Kind,
    crate::model::Format,
    crate::model::TextSource,
    crate::model::Status,
    crate::model::Severity,
    crate::model::Rule,
    crate::model::ClaimKind,
    crate::model::Verdict,
    crate::model::ClaimForm
);

impl From<Option<f64>> for V<'_> {
    fn from(v: Option<f64>) -> Self {
        V::F(v)
    }
}
impl From<Option<i32>> for V<'_> {
    fn from(v: Option<i32>) -> Self {
        V::I(v)
    }
}
impl From<i32> for V<'_> {
    fn from(v: i32) -> Self {
        V::I(Some(v))
    }
}
impl From<i64> for V<'_> {
    fn from(v: i64) -> Self {
        V::L(Some(v))
    }
}

/// Rows that know how to give the value of each of their columns, in the
/// order of their schema constant.
pub trait Row {
    const SCHEMA: &'static [(&'static str, Ty)];
    /// The row's values, one per column of `SCHEMA`, in its order.
    fn cells(&self) -> Vec<V<'_>>;
}

macro_rules! row_impl {
    ($t:ty, $schema:expr, |$r:ident| [$($e:expr),* $(,)?]) => {
        impl Row for $t {
            const SCHEMA: &'static [(&'static str, Ty)] = $schema;
            fn cells(&self) -> Vec<V<'_>> {
                let $r = self;
                let cells: [V<'_>; $schema.len()] = [$(V::from($e)),*];
                cells.into()
            }
        }
    };
}

row_impl!(DocumentRow, DOCUMENTS, |r| [
    &r.doc_id,
    &r.path,
    &r.content_sha256,
    &r.format,
    &r.encoding,
    &r.status,
    &r.error,
    &r.meta.doc_type,
    &r.meta.unit_name,
    &r.meta.unit_level,
    &r.meta.province,
    &r.meta.province_canonical,
    &r.meta.issuer,
    &r.meta.period_kind,
    r.meta.period_year,
    r.meta.period_quarter,
    r.meta.period_month,
    r.meta.period_from,
    r.meta.period_to,
    &r.meta.report_number,
    &r.meta.signer,
    &r.meta.title,
    &r.meta.doc_date,
    r.pages,
    r.bytes,
    &r.warnings,
    &r.text_source,
    r.ocr_confidence,
]);
row_impl!(Section, SECTIONS, |r| [&r.doc_id, &r.section_id, &r.parent_id, r.level, &r.number, &r.title, r.page, r.line, &r.text]);
row_impl!(Figure, FIGURES, |r| [
    &r.doc_id,
    &r.figure_id,
    &r.section_id,
    r.page,
    r.line,
    &r.raw,
    &r.kind,
    r.value,
    r.numerator,
    r.denominator,
    r.stated_percent,
    &r.unit,
    &r.qualifier,
    &r.subject,
    &r.indicator,
    &r.sentence,
    r.offset,
    r.year,
    &r.normalized,
    r.confidence,
]);
row_impl!(Cell, TABLES, |r| [
    &r.doc_id,
    &r.table_id,
    &r.table_title,
    r.page,
    r.line,
    r.row,
    &r.stt,
    &r.parent_stt,
    &r.label,
    &r.column,
    &r.unit,
    &r.raw,
    &r.kind,
    r.value,
    r.numerator,
    r.denominator,
    &r.qualifier,
    &r.indicator,
    &r.warning,
    r.year,
    &r.option,
    r.confidence,
]);
row_impl!(Finding, FINDINGS, |r| [
    &r.doc_id,
    &r.finding_id,
    &r.rule,
    &r.severity,
    r.page,
    r.line,
    &r.location,
    &r.message,
    &r.expected,
    &r.reported,
    &r.quote,
    &r.figure_id,
    &r.related_doc_id,
]);

row_impl!(Claim, CLAIMS, |r| [
    &r.doc_id,
    &r.claim_id,
    &r.section_id,
    r.page,
    r.line,
    &r.kind,
    r.part_value,
    &r.part_figure_id,
    &r.part_subject,
    r.base_value,
    &r.base_figure_id,
    &r.base_subject,
    r.stated_percent,
    &r.stated_raw,
    &r.qualifier,
    r.computed_percent,
    &r.verdict,
    &r.explained_by,
    Some(r.confidence),
    &r.indicator,
    &r.quote,
    &r.form,
    &r.unit,
    &r.stated_figure_id,
    r.base_line,
]);

/// Rows → DataFrame with exactly the schema's columns and types, built
/// column by column straight from the structs (no intermediate copies).
pub(crate) fn to_frame<T: Row>(rows: &[T]) -> Result<DataFrame> {
    let n = rows.len();
    let mut builders: Vec<ColumnBuilder> = T::SCHEMA
        .iter()
        .map(|(_, ty)| match ty {
            Str => ColumnBuilder::S(Vec::with_capacity(n)),
            F64 => ColumnBuilder::F(Vec::with_capacity(n)),
            I32 => ColumnBuilder::I(Vec::with_capacity(n)),
            I64 => ColumnBuilder::L(Vec::with_capacity(n)),
        })
        .collect();
    // Row by row: each row gives all its values at once.
    for r in rows {
        let mut cells = r.cells().into_iter();
        for b in &mut builders {
            b.push(cells.next());
        }
    }
    let columns = T::SCHEMA
        .iter()
        .zip(builders)
        .map(|((name, _), b)| {
            let name = PlSmallStr::from(*name);
            match b {
                ColumnBuilder::S(v) => Column::new(name, v),
                ColumnBuilder::F(v) => Column::new(name, v),
                ColumnBuilder::I(v) => Column::new(name, v),
                ColumnBuilder::L(v) => Column::new(name, v),
            }
        })
        .collect::<Vec<Column>>();
    Ok(DataFrame::new(n, columns)?)
}

/// The values of one column of the schema's type (a value of another type,
/// or a missing one, is null).
enum ColumnBuilder<'a> {
    S(Vec<Option<&'a str>>),
    F(Vec<Option<f64>>),
    I(Vec<Option<i32>>),
    L(Vec<Option<i64>>),
}

impl<'a> ColumnBuilder<'a> {
    fn push(&mut self, v: Option<V<'a>>) {
        match (self, v) {
            (ColumnBuilder::S(c), Some(V::S(x))) => c.push(x),
            (ColumnBuilder::F(c), Some(V::F(x))) => c.push(x),
            (ColumnBuilder::I(c), Some(V::I(x))) => c.push(x),
            (ColumnBuilder::L(c), Some(V::L(x))) => c.push(x),
            (ColumnBuilder::S(c), _) => c.push(None),
            (ColumnBuilder::F(c), _) => c.push(None),
            (ColumnBuilder::I(c), _) => c.push(None),
            (ColumnBuilder::L(c), _) => c.push(None),
        }
    }
}

/// DataFrame → rows (columns missing from the file read as null).
pub(crate) fn from_frame<T: DeserializeOwned>(df: &DataFrame, schema: &[(&str, Ty)]) -> Result<Vec<T>> {
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
pub(crate) fn write_frame(df: &mut DataFrame, path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = tempfile::Builder::new().prefix(".cchc-").suffix(".parquet.tmp").tempfile_in(dir).with_context(|| format!("temp file in {}", dir.display()))?;
    {
        let file = tmp.as_file().try_clone()?;
        ParquetWriter::new(file)
            .with_row_group_size(Some(64 * 1024))
            .finish(df)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

/// Hive-style partitioned dataset: `DIR/<table>/<k1>=<v1>/<k2>=<v2>/part-0.parquet`
/// for every table, partitioned by columns of documents.parquet (e.g.
/// `province,period_year`). Partition columns are not repeated inside the
/// documents files (readers add them back from the paths); a null value is
/// written as `__HIVE_DEFAULT_PARTITION__`.
pub(crate) fn write_dataset_partitioned(ds: &Dataset, dir: &Path, keys: &[String]) -> Result<()> {
    check_partition_keys(keys)?;
    let df = to_frame(&ds.documents)?;
    // doc_id → partition path.
    let mut part_of: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    for (i, d) in ds.documents.iter().enumerate() {
        let mut p = PathBuf::new();
        for k in keys {
            let v = df.column(k)?.get(i)?;
            let text = match v {
                AnyValue::Null => "__HIVE_DEFAULT_PARTITION__".to_string(),
                AnyValue::String(s) => s.to_string(),
                AnyValue::StringOwned(s) => s.to_string(),
                other => other.to_string(),
            };
            p.push(format!("{k}={}", hive_escape(&text)));
        }
        part_of.insert(d.doc_id.clone(), p);
    }
    write_parts(&ds.documents, dir, "documents", &part_of, keys)?;
    write_parts(&ds.sections, dir, "sections", &part_of, keys)?;
    write_parts(&ds.figures, dir, "figures", &part_of, keys)?;
    write_parts(&ds.cells, dir, "tables", &part_of, keys)?;
    write_parts(&ds.findings, dir, "findings", &part_of, keys)?;
    write_parts(&ds.claims, dir, "claims", &part_of, keys)?;
    Ok(())
}

/// Partition keys must be documents columns.
pub(crate) fn check_partition_keys(keys: &[String]) -> Result<()> {
    for k in keys {
        if !DOCUMENTS.iter().any(|(n, _)| n == k) {
            anyhow::bail!("--partition-by: {k:?} is not a documents column ({})", DOCUMENTS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "));
        }
    }
    Ok(())
}

/// Percent-escapes the characters that break a path segment or a `k=v` pair.
fn hive_escape(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '/' | '\\' | '=' | '%' | ':' | '#' | '?' | '"' | '\n' => format!("%{:02X}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

fn write_parts<T: Row + HasDoc>(rows: &[T], dir: &Path, stem: &str, part_of: &std::collections::HashMap<String, PathBuf>, keys: &[String]) -> Result<()> {
    let mut groups: std::collections::BTreeMap<PathBuf, Vec<&T>> = std::collections::BTreeMap::new();
    for r in rows {
        let p = part_of.get(r.doc_id()).cloned().unwrap_or_default();
        groups.entry(p).or_default().push(r);
    }
    for (p, members) in groups {
        let owned: Vec<T> = members.into_iter().cloned().collect();
        let mut df = to_frame(&owned)?;
        for k in keys {
            if df.get_column_names().iter().any(|n| n.as_str() == k) {
                df = df.drop(k)?;
            }
        }
        write_frame(&mut df, &dir.join(stem).join(p).join("part-0.parquet"))?;
    }
    Ok(())
}

/// Rows that belong to a document.
pub trait HasDoc: Clone {
    fn doc_id(&self) -> &str;
}
macro_rules! has_doc {
    ($($t:ty),*) => { $(impl HasDoc for $t { fn doc_id(&self) -> &str { &self.doc_id } })* };
}
has_doc!(DocumentRow, Section, Figure, Cell, Finding, Claim);

pub use super::dataset::{
    file_sha256, read_dataset, read_frame, verify_dataset, write_dataset, DatasetLock, Manifest, ManifestTable, StreamWriter, LOCK, MANIFEST,
};
