//! Shared data types that flow between the stages (ingest → layout → parse →
//! canonicalize → check → write). Every stage reads and writes only these.
//! Column names of the Parquet outputs are the field names below (see schemas/).

use serde::{Deserialize, Serialize};

/// Source format, detected by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Docx,
    Pdf,
    /// A scanned page or photo given as a PNG, JPEG or TIFF file.
    Image,
}

impl Format {
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Image => "image",
        }
    }
}

/// Where a document's text comes from (documents.text_source).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// The file's own text (text, DOCX, the text layer of a PDF).
    #[default]
    TextLayer,
    /// Every page read by OCR.
    Ocr,
    /// Some pages from the text layer, some by OCR.
    Mixed,
}

impl TextSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            TextSource::TextLayer => "text_layer",
            TextSource::Ocr => "ocr",
            TextSource::Mixed => "mixed",
        }
    }
}

/// What OCR knows about the words of a document (None for text-layer input).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OcrInfo {
    /// Mean word confidence, 0–100.
    pub mean_confidence: f64,
    /// Words of each OCRed source line (`SrcLine::line`) with their
    /// confidence (0–100, lowered by the post-correction).
    pub lines: std::collections::HashMap<u32, Vec<(String, f32)>>,
    /// Lowest confidence of each word text on each OCRed page (table cells).
    pub pages: std::collections::HashMap<u32, std::collections::HashMap<String, f32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Partial,
    Failed,
    NeedsOcr,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Failed => "failed",
            Status::NeedsOcr => "needs_ocr",
        }
    }
}

/// How bad a finding is (findings.severity; `severity` keys of check.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The numbers cannot both be right.
    Error,
    /// Suspicious: a rounding slip, a copy-paste, prose and appendix disagree.
    Warning,
    /// Worth knowing (a missed target, main items short of a total).
    Info,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The consistency rules (findings.rule; the tables of check.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    RatioPercent,
    PartsTotal,
    PercentBounds,
    CountBounds,
    ProseVsTable,
    TableSeries,
    TargetVsResult,
}

impl Rule {
    pub fn as_str(&self) -> &'static str {
        match self {
            Rule::RatioPercent => "ratio_percent",
            Rule::PartsTotal => "parts_total",
            Rule::PercentBounds => "percent_bounds",
            Rule::CountBounds => "count_bounds",
            Rule::ProseVsTable => "prose_vs_table",
            Rule::TableSeries => "table_series",
            Rule::TargetVsResult => "target_vs_result",
        }
    }
}

/// How a claim was written (claims.form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimForm {
    /// "843/847 hồ sơ đạt 99,52%": the fraction is written.
    Explicit,
    /// Part and base in words.
    Implicit,
}

impl ClaimForm {
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimForm::Explicit => "explicit",
            ClaimForm::Implicit => "implicit",
        }
    }
}

/// One physical line after ingest (already decoded and normalized to NFC with
/// modern tone placement). `line` is the 1-based line number in the source
/// file for text/docx; for PDF it is a running line number over the whole
/// document (page order) so that every figure still has a stable locator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SrcLine {
    pub text: String,
    pub line: u32,
    /// 1-based page when known (PDF, or form feeds / page-break heuristics).
    pub page: Option<u32>,
    /// PDF only: font size of the dominant run, left x and top y (points).
    pub font_size: Option<f32>,
    pub x: Option<f32>,
    pub y: Option<f32>,
}

/// Where a source line starts inside a paragraph's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub offset: usize,
    pub line: u32,
    pub page: Option<u32>,
}

/// A paragraph rebuilt by the layout stage, with where each source line starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub text: String,
    pub spans: Vec<Span>,
}

impl Para {
    pub fn line(&self) -> u32 {
        self.spans.first().map_or(0, |s| s.line)
    }
    pub fn page(&self) -> Option<u32> {
        self.spans.first().and_then(|s| s.page)
    }
    /// Source line and page of the byte at `offset`.
    pub fn locate(&self, offset: usize) -> (u32, Option<u32>) {
        let idx = self.spans.partition_point(|s| s.offset <= offset);
        self.spans.get(idx.saturating_sub(1)).map_or((0, None), |s| (s.line, s.page))
    }
}

/// How the lines of a table region are laid out (which reader reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableLayout {
    /// DOCX exported as text: cells separated by tabs.
    DocxTabs,
    /// PDF text: one cell per line, rows recognised by their STT.
    PdfLinear,
}

/// A table region in the ingested lines (found by `tables::find_regions`,
/// removed from prose by the layout stage, read by `tables::read_region`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Index into `lines` of the first line (title line when there is one).
    pub start: usize,
    /// Index one past the last line of the table.
    pub end: usize,
    pub layout: TableLayout,
    pub title: Option<String>,
}

/// Output of the ingest stage for one file.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub format: Format,
    /// Name of the detected text encoding ("utf-8", "utf-16le", "tcvn3", …);
    /// for PDF "pdf" plus font decoding notes go to `warnings`.
    pub encoding: String,
    pub lines: Vec<SrcLine>,
    /// Number of pages when the source knows them (PDF).
    pub pages: Option<u32>,
    /// Footnotes already separated by the reader (DOCX-export "[footnoteRef:N]"
    /// markers, PDF small-font page bottoms).
    pub footnotes: Vec<Footnote>,
    /// Tables already structured by the reader (PDF geometry / tags, DOCX XML).
    pub grids: Vec<Grid>,
    pub status: Status,
    pub warnings: Vec<String>,
    /// Text layer, OCR or both.
    pub text_source: TextSource,
    /// Word confidences when pages were OCRed.
    pub ocr: Option<OcrInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Footnote {
    pub marker: String,
    pub text: String,
    pub page: Option<u32>,
    pub line: u32,
    /// Source line of the anchor (the "word¹" in the body) when found.
    pub anchor_line: Option<u32>,
}

/// A table as rows of cell texts, before interpretation (STT keys, units,
/// values). Produced by every reader that recognises tables; turned into
/// [`Cell`]s by `tables::interpret`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// e.g. "Phụ lục I — Thống kê các chỉ tiêu …"
    pub title: Option<String>,
    pub page: Option<u32>,
    pub line: u32,
    /// Final column headers (merged header rows already flattened, e.g.
    /// "Kết quả thống kê / Số liệu" → "Số liệu").
    pub columns: Vec<String>,
    pub rows: Vec<GridRow>,
    /// Title lines as written above the table, when the reader leaves
    /// composing the `title` to the tables stage (DOCX).
    #[serde(default)]
    pub title_lines: Vec<String>,
}

/// The note on a grid row assembled from pieces at a page break: the row
/// is complete (not a row the reader failed to split).
pub const JOINED_ROW_NOTE: &str = "row split across pages; pieces joined";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    /// One string per column (same length as `Grid::columns`), "" when empty.
    pub cells: Vec<String>,
    pub page: Option<u32>,
    pub line: u32,
    /// Raw text of the whole row as in the source (kept when values could not
    /// be assigned to columns with confidence).
    pub raw: String,
    pub warning: Option<String>,
}

/// Document metadata (documents.parquet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocMeta {
    pub doc_type: Option<String>,
    pub unit_name: Option<String>,
    pub unit_level: Option<String>,
    /// Province as printed ("Bình Dương", "TP. Hồ Chí Minh").
    pub province: Option<String>,
    /// The province after the 2025 merger (34 provinces): "Bình Dương" → "TP. Hồ Chí Minh".
    pub province_canonical: Option<String>,
    pub issuer: Option<String>,
    pub period_kind: Option<String>,
    pub period_year: Option<i32>,
    pub period_quarter: Option<i32>,
    /// 1–12 for monthly reports.
    pub period_month: Option<i32>,
    pub period_from: Option<i32>,
    pub period_to: Option<i32>,
    pub report_number: Option<String>,
    pub signer: Option<String>,
    pub title: Option<String>,
    /// Date the document was signed ("dd/mm/yyyy") when stated.
    pub doc_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub doc_id: String,
    pub path: String,
    /// Hex SHA-256 of the file bytes (None when the file could not be read).
    #[serde(default)]
    pub content_sha256: Option<String>,
    pub format: Format,
    pub encoding: Option<String>,
    pub status: Status,
    pub error: Option<String>,
    #[serde(flatten)]
    pub meta: DocMeta,
    pub pages: Option<i32>,
    pub bytes: i64,
    pub warnings: Option<String>,
    /// "text_layer", "ocr" or "mixed".
    #[serde(default)]
    pub text_source: TextSource,
    /// Mean OCR word confidence (0–1); null when no page was OCRed.
    #[serde(default)]
    pub ocr_confidence: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub doc_id: String,
    pub section_id: String,
    pub parent_id: Option<String>,
    pub level: i32,
    /// Normalized number: "III", "1.2", "a", "a1", "Phần I".
    pub number: String,
    pub title: String,
    pub page: Option<i32>,
    pub line: i32,
    /// Body text of the section (its own paragraphs, not its children's).
    pub text: String,
}

/// Kinds of figure (figures.kind, tables.kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Count,
    Fraction,
    Percent,
    Money,
    Quantity,
    Date,
    Period,
    /// "xếp hạng 13/63", "đứng thứ 6/9": position / field size, never a share.
    Rank,
    /// "69,63/100 điểm", "65.2/100": points out of a maximum, never a share.
    Score,
    /// Table cells only: free text, coded option, mark "x".
    Text,
    Flag,
}

impl Kind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Fraction => "fraction",
            Kind::Percent => "percent",
            Kind::Money => "money",
            Kind::Quantity => "quantity",
            Kind::Date => "date",
            Kind::Period => "period",
            Kind::Rank => "rank",
            Kind::Score => "score",
            Kind::Text => "text",
            Kind::Flag => "flag",
        }
    }
}

/// A normalized value: what one figure grammar returns for prose and cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Value {
    pub kind: Option<Kind>,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub stated_percent: Option<f64>,
    pub unit: Option<String>,
    /// ">=", ">", "<=", "<", "~" (xấp xỉ / hơn) or null.
    pub qualifier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub doc_id: String,
    pub figure_id: String,
    pub section_id: Option<String>,
    pub page: Option<i32>,
    pub line: i32,
    pub raw: String,
    pub kind: Kind,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub stated_percent: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    pub subject: Option<String>,
    pub indicator: Option<String>,
    pub sentence: String,
    /// Byte offset of `raw` inside `sentence` (for quoting and checks).
    pub offset: i32,
    /// Year of a date/period figure.
    pub year: Option<i32>,
    /// Normalized text of dates ("2025-07-23") and periods ("2025-Q1",
    /// "2025-H1", "2021/2025", "2025-12", "2025").
    pub normalized: Option<String>,
    /// OCR only: lowest confidence (0–1) of the words the figure spans.
    #[serde(default)]
    pub confidence: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub doc_id: String,
    pub table_id: String,
    pub table_title: Option<String>,
    pub page: Option<i32>,
    pub line: i32,
    pub row: i32,
    pub stt: Option<String>,
    pub parent_stt: Option<String>,
    pub label: Option<String>,
    pub column: String,
    pub unit: Option<String>,
    pub raw: String,
    pub kind: Option<Kind>,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub qualifier: Option<String>,
    pub indicator: Option<String>,
    pub warning: Option<String>,
    /// Year the column refers to ("Năm 2023" → 2023) when known.
    pub year: Option<i32>,
    /// Chosen option of a coded row ("Hoàn thành =1" with an "x") .
    pub option: Option<String>,
    /// OCR only: lowest confidence (0–1) of the words of the cell.
    #[serde(default)]
    pub confidence: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub doc_id: String,
    pub finding_id: String,
    pub rule: Rule,
    pub severity: Severity,
    pub page: Option<i32>,
    pub line: Option<i32>,
    pub location: Option<String>,
    pub message: String,
    pub expected: Option<String>,
    pub reported: Option<String>,
    pub quote: String,
    pub figure_id: Option<String>,
    pub related_doc_id: Option<String>,
}

/// What a sentence claims about its figures (claims.kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// part / base × 100 = stated ("843/847 hồ sơ đạt 99,52%", "là 4.157 hồ sơ (đạt 99,71%)").
    Share,
    /// part / base × 100 − 100 = stated ("vượt 21,3% kế hoạch", "tăng 10,48% so cùng kỳ").
    Growth,
    /// A bound on members of a set, not a share of the fraction beside it
    /// ("còn 06/34 địa phương tỷ lệ đạt dưới 90%").
    Threshold,
    /// A planned level ("phấn đấu đạt 100%", "tối thiểu 80% …").
    Target,
    /// "xếp hạng 13/63".
    Rank,
    /// "69,63/100 điểm".
    Score,
}

impl ClaimKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimKind::Share => "share",
            ClaimKind::Growth => "growth",
            ClaimKind::Threshold => "threshold",
            ClaimKind::Target => "target",
            ClaimKind::Rank => "rank",
            ClaimKind::Score => "score",
        }
    }
}

/// Whether the stated number follows from the figures it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Consistent,
    Inconsistent,
    Unverifiable,
}

impl Verdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::Inconsistent => "inconsistent",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

/// One claim of a paragraph (claims.parquet): a stated percent (or rank,
/// score) with the part and base it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub doc_id: String,
    pub claim_id: String,
    pub section_id: Option<String>,
    pub page: Option<i32>,
    pub line: i32,
    pub kind: ClaimKind,
    pub part_value: Option<f64>,
    pub part_figure_id: Option<String>,
    pub part_subject: Option<String>,
    pub base_value: Option<f64>,
    pub base_figure_id: Option<String>,
    pub base_subject: Option<String>,
    pub stated_percent: Option<f64>,
    pub stated_raw: Option<String>,
    pub qualifier: Option<String>,
    pub computed_percent: Option<f64>,
    pub verdict: Verdict,
    pub explained_by: Option<String>,
    pub confidence: f64,
    pub indicator: Option<String>,
    pub quote: String,
    /// "explicit" (a/b written) or "implicit" (part and base in words).
    pub form: ClaimForm,
    /// Unit shared by part and base ("hồ sơ", "tỷ đồng").
    pub unit: Option<String>,
    /// Figure id of the stated percent (null for rank/score).
    pub stated_figure_id: Option<String>,
    /// Line of the base when it is on another line than the claim.
    pub base_line: Option<i32>,
}

/// Everything extracted from one file.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub document: DocumentRow,
    pub sections: Vec<Section>,
    pub figures: Vec<Figure>,
    pub cells: Vec<Cell>,
    pub footnotes: Vec<Footnote>,
    pub findings: Vec<Finding>,
    pub claims: Vec<Claim>,
}

/// A whole dataset in memory (what `extract` writes and `check`/`compare` read).
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub documents: Vec<DocumentRow>,
    pub sections: Vec<Section>,
    pub figures: Vec<Figure>,
    pub cells: Vec<Cell>,
    pub findings: Vec<Finding>,
    pub claims: Vec<Claim>,
}

impl Dataset {
    /// Appends one document's rows.
    pub fn push(&mut self, e: Extracted) {
        self.documents.push(e.document);
        self.sections.extend(e.sections);
        self.figures.extend(e.figures);
        self.cells.extend(e.cells);
        self.findings.extend(e.findings);
        self.claims.extend(e.claims);
    }
}

/// `Display` = the name written to Parquet (`as_str`).
macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_str!(Format, TextSource, Status, Kind, Severity, Rule, ClaimKind, Verdict, ClaimForm);

/// Parsing the written name back (`"fraction".parse::<Kind>()`).
macro_rules! from_str_by_serde {
    ($($t:ty),*) => {$(
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| format!("unknown {}: {s:?}", stringify!($t)))
            }
        }
    )*};
}
from_str_by_serde!(Format, TextSource, Status, Kind, Severity, Rule, ClaimKind, Verdict, ClaimForm);
