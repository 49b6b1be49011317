//! The consistency checker on the seed reports (every inconsistency pinned,
//! every consistent ratio silent) and on synthetic reports with injected
//! errors at random positions (seeded LCG).

use std::path::PathBuf;

use cchc::check::{check_dataset, report, vn_num, CheckConfig};
use cchc::model::{Cell, Dataset, DocMeta, DocumentRow, Finding, Format, Kind, Rule, Severity, Status};
use cchc::pipeline::{collect_files, process_bytes, run, Options};

fn fixtures() -> Dataset {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/text");
    run(&collect_files(&[dir]), &Options::default(), &|_| {})
}

/// "000", "001", … of a finding's document.
fn seed_of(ds: &Dataset, f: &Finding) -> String {
    let p = ds.documents.iter().find(|d| d.doc_id == f.doc_id).map_or("?", |d| d.path.as_str());
    p.rsplit('/').next().unwrap_or(p).chars().take(3).collect()
}

/// (seed, line, rule, severity, reported, expected) of every finding.
fn summary(ds: &Dataset, found: &[Finding]) -> Vec<(String, i32, String, String, String, String)> {
    found
        .iter()
        .map(|f| {
            (
                seed_of(ds, f),
                f.line.unwrap_or(0),
                f.rule.to_string(),
                f.severity.to_string(),
                f.reported.clone().unwrap_or_default(),
                f.expected.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(seed: &str, line: i32, rule: &str, severity: &str, reported: &str, expected: &str) -> (String, i32, String, String, String, String) {
    (seed.into(), line, rule.into(), severity.into(), reported.into(), expected.into())
}

#[test]
fn seed_findings_are_exactly_the_known_inconsistencies() {
    let ds = fixtures();
    let found = check_dataset(&ds, &CheckConfig::builtin());
    for f in &found {
        println!("{} {}:{} {} {} | {} | {:?}", f.finding_id, seed_of(&ds, f), f.line.unwrap_or(0), f.severity, f.rule, f.message, f.quote);
    }
    let mut got = summary(&ds, &found);
    got.sort();
    let mut want = vec![
        // 000: 2.328 + 70 ≠ 2.452 (the parenthesis 02 + 2.450 = 2.452 is fine).
        row("000", 381, "parts_total", "error", "2.452 lượt", "2.398 lượt"),
        // 000: 288 of 4.530 hồ sơ is 6,36 %, stated 67,42 % (said twice).
        row("000", 472, "ratio_percent", "error", "67,42%", "6,36%"),
        row("000", 597, "ratio_percent", "error", "67,42%", "6,36%"),
        // 000: 664 + 2.847 = 3.511 ≠ 3.538.
        row("000", 994, "parts_total", "error", "3.538 hồ sơ", "3.511 hồ sơ"),
        // 000: 2.356/2.438 = 96,64 %, written 96,7 % (a rounding slip).
        row("000", 1044, "ratio_percent", "warning", "96,7%", "96,64%"),
        // 001: 11/12 = 91,67 %, written 91,17 % (twice: chuyên môn, chính trị).
        row("001", 53, "ratio_percent", "error", "91,17%", "91,67%"),
        row("001", 54, "ratio_percent", "error", "91,17%", "91,67%"),
        // 003: 298.852/808.695 = 36,95 %, written 36,92 %.
        row("003", 835, "ratio_percent", "warning", "36,92%", "36,95%"),
        // 004: 395/575 = 68,70 %, written 69,21 %; 1794/1804 = 99,45 %, written 99,16 %.
        row("004", 786, "ratio_percent", "error", "69,21%", "68,70%"),
        row("004", 1015, "ratio_percent", "error", "99,16%", "99,45%"),
        // 004: "Tổng số hồ sơ đã giải quyết: 263 hồ sơ, trong đó: … trước hạn, đúng hạn: 264 hồ sơ".
        row("004", 943, "count_bounds", "error", "263 hồ sơ", "264 hồ sơ"),
        // 000: 4.780 resolved, 4.395 paid online (91,95 %), "(384 hồ sơ … chưa có phát sinh
        // thanh toán…)": 4.395 + 384 = 4.779 ≠ 4.780.
        row("000", 1030, "parts_total", "error", "384 hồ sơ", "385 hồ sơ"),
        // 004 prose against Phụ lục VIII: 2023 17/20 DVCTT vs 15/15 (6.2), 2024 19/19 vs
        // 20/20 (6.2), 2025 45/45 hồ sơ toàn trình vs 21/21 (6.3); 119/120 (2024) agrees.
        row("004", 827, "prose_vs_table", "warning", "17/20", "15/15"),
        row("004", 837, "prose_vs_table", "warning", "19/19", "20/20"),
        row("004", 845, "prose_vs_table", "warning", "45/45", "21/21"),
        // 004 Phụ lục VIII, 2022: 4386 in 6.3.1 and 6.4.1, 3932 in 6.3.2 and 6.4.2.
        row("004", 3353, "table_series", "warning", "4.386", ""),
        row("004", 3359, "table_series", "warning", "3.932", ""),
    ];
    // 001: Kế hoạch số 02/KH-UBND dated 03/01/2025 in the prose and 03/01/2024 in the
    // appendix note ("Ghi chú" cell). Pinned whenever the table reader delivers that note
    // (see also `reference_dated_differently_in_prose_and_appendix`).
    // 001: Kế hoạch số 02/KH-UBND dated 03/01/2025 in the prose and 03/01/2024 in the
    // appendix note ("Ghi chú" cell): the table reader must deliver that note.
    assert!(ds.cells.iter().any(|c| c.raw.contains("02/KH-UBND ngày 03/01/2024")), "the 001 appendix note is read");
    want.push(row("001", 155, "prose_vs_table", "warning", "03/01/2024", "03/01/2025"));
    want.sort();
    assert_eq!(got, want);
    // Messages carry the arithmetic, Vietnamese style.
    assert!(found.iter().any(|f| f.message == "Tỷ lệ nêu 91,17% không khớp 11/12 = 91,67%."));
    assert!(found.iter().any(|f| f.message.contains("664 + 2.847 = 3.511 hồ sơ")));
    // Quotes are exact spans of the source sentence.
    assert!(found.iter().any(|f| f.quote == "11/12 người, tỷ lệ: 91,17%"));
    assert!(found.iter().any(|f| f.quote == "3.538 hồ sơ, trong đó: hồ sơ trực tiếp là 664 hồ sơ, hồ sơ trực tuyến là 2.847 hồ sơ"));
    // Ids: 12 characters of the doc id, ":k", a running number.
    for f in &found {
        assert!(f.finding_id.starts_with(&f.doc_id[..12]) && f.finding_id.contains(":k"), "{}", f.finding_id);
    }
}

#[test]
fn reference_dated_differently_in_prose_and_appendix() {
    // 001's prose with its appendix note as a "Ghi chú" cell.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/text/001_tq_trong_q1_2025.txt");
    let e = cchc::pipeline::process_file(&path, &Options::default());
    let id = e.document.doc_id.clone();
    let mut note = cell(&id, "t1", 2, "1.1.", "Kế hoạch CCHC", "Ghi chú", None, "Kế hoạch số 02/KH-UBND ngày 03/01/2024", None, None);
    note.line = 159;
    let ds = Dataset { documents: vec![e.document], sections: e.sections, figures: e.figures, cells: vec![note], findings: vec![], claims: e.claims };
    let found: Vec<Finding> = check_dataset(&ds, &CheckConfig::builtin()).into_iter().filter(|f| f.rule == Rule::ProseVsTable).collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!((f.line, f.severity.as_str(), f.reported.as_deref(), f.expected.as_deref()), (Some(159), "warning", Some("03/01/2024"), Some("03/01/2025")));
    assert_eq!(f.message, "Văn bản số 02/KH-UBND ghi ngày 03/01/2024 ở phụ lục nhưng ngày 03/01/2025 trong phần báo cáo (dòng 12).");
    // Same date in both places, or dates differing in every part: nothing.
    for other in ["Kế hoạch số 02/KH-UBND ngày 03/01/2025", "Kế hoạch số 02/KH-UBND ngày 15/06/2024"] {
        let mut c = ds.cells[0].clone();
        c.raw = other.into();
        let ds2 = Dataset { cells: vec![c], ..ds.clone() };
        assert!(check_dataset(&ds2, &CheckConfig::builtin()).iter().all(|f| f.rule != Rule::ProseVsTable), "{other}");
    }
}

#[test]
fn consistent_ratios_in_000_and_001_are_silent() {
    let ds = fixtures();
    let found = check_dataset(&ds, &CheckConfig::builtin());
    let flagged: Vec<&str> = found.iter().filter_map(|f| f.figure_id.as_deref()).collect();
    let consistent = [
        ("000", "36/36 nhiệm vụ"),
        ("000", "06/06 văn bản"),
        ("001", "843/847 hồ sơ"), // 99,527 → 99,52 (truncated)
        ("001", "843/843 hồ sơ"),
        ("001", "831/832 hồ sơ"), // 99,879 → 99,87 (truncated)
        ("001", "576/577 hồ sơ"), // 99,827 → 99,82 (truncated)
        ("001", "255/255 hồ sơ"),
        ("001", "829/829 hồ sơ"),
        ("001", "842/843 hồ sơ"), // 99,881 → 99,88
        ("001", "01/10"),
        ("001", "6/10"),
        ("001", "02/10"),
        ("001", "09/10"),
        ("001", "01/12"), // 8,333 → 8,3
        ("001", "01/12 người"),
        ("001", "10/33 nhiệm vụ"),
    ];
    let mut checked = 0;
    for (seed, raw) in consistent {
        let figs: Vec<_> =
            ds.figures.iter().filter(|f| f.raw == raw && ds.documents.iter().any(|d| d.doc_id == f.doc_id && d.path.contains(&format!("/{seed}_")))).collect();
        assert!(!figs.is_empty(), "{seed} {raw} not found");
        for f in figs {
            assert!(!flagged.contains(&f.figure_id.as_str()), "{seed} {raw} flagged");
            checked += 1;
        }
    }
    assert!(checked >= 16);
    // The consistent breakdowns of 000: 02 + 2.450 = 2.452, 7.256 + 0 + 03 = 7.259,
    // 110 + 02 = 112, 320.858 + 27.686 = 348.544, 01 + 2.229 = 2.230.
    let lines_000: Vec<i32> = found
        .iter()
        .filter(|f| f.rule == Rule::PartsTotal || f.rule == Rule::CountBounds)
        .filter(|f| seed_of(&ds, f) == "000")
        .filter_map(|f| f.line)
        .collect();
    // 1030 is not a ratio: 4.395/4.780 = 91,95 % holds, the remainder "(384 hồ sơ … chưa có
    // phát sinh thanh toán…)" does not (4.395 + 384 = 4.779).
    assert_eq!(lines_000, vec![381, 994, 1030]);
}

#[test]
fn rule_switches_and_severities_come_from_the_config() {
    let ds = fixtures();
    let cfg = CheckConfig::from_toml_str("[ratio_percent]\nenabled = false\n[parts_total]\nseverity = \"warning\"\n").unwrap_or_else(|e| panic!("{e}"));
    let found = check_dataset(&ds, &cfg);
    assert!(found.iter().all(|f| f.rule != Rule::RatioPercent));
    assert!(found.iter().filter(|f| f.rule == Rule::PartsTotal).all(|f| f.severity == Severity::Warning));
    assert_eq!(found.iter().filter(|f| f.rule == Rule::PartsTotal).count(), 3);
}

#[test]
fn report_groups_by_document_with_file_line_and_no_colour_when_asked() {
    let ds = fixtures();
    let found = check_dataset(&ds, &CheckConfig::builtin());
    let text = report::render(&ds.documents, &found, false);
    assert!(!text.contains('\x1b'));
    assert!(text.contains("001_tq_trong_q1_2025.txt:53"));
    assert!(text.contains("« 11/12 người, tỷ lệ: 91,17% »"));
    let coloured = report::render(&ds.documents, &found, true);
    assert!(coloured.contains("\x1b[31m"));
}

// ------------------------------------------------------------ synthetic

/// Tiny deterministic generator (Numerical Recipes LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn n(v: u64) -> String {
    vn_num(v as f64, 0)
}

const FILLER: &[&str] = &[
    "- Công tác tuyên truyền cải cách hành chính được quan tâm thực hiện thường xuyên.",
    "- Bộ phận Một cửa tiếp tục duy trì việc tiếp nhận và trả kết quả đúng quy định.",
    "- Việc niêm yết công khai thủ tục hành chính được thực hiện đầy đủ, kịp thời.",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Injected {
    Percent,
    Sum,
    PartOverTotal,
}

/// One statement: consistent (a random template), or with the given error.
fn statement(rng: &mut Lcg, error: Option<Injected>) -> String {
    match error {
        Some(Injected::Percent) => ratio_statement(rng, true),
        Some(Injected::PartOverTotal) => {
            let d = rng.range(2, 9000);
            format!("- Số hồ sơ giải quyết đúng hạn là {}/{} hồ sơ.", n(d + rng.range(1, 9)), n(d))
        }
        Some(Injected::Sum) => sum_statement(rng, true),
        None => match rng.range(0, 2) {
            0 => ratio_statement(rng, false),
            1 => sum_statement(rng, false),
            _ => {
                let d = rng.range(2, 60);
                format!("- Đã hoàn thành {}/{} nhiệm vụ đề ra trong kế hoạch.", n(rng.range(0, d)), n(d))
            }
        },
    }
}

/// "n/d hồ sơ, đạt tỷ lệ p%": p truncated (or rounded) when right, off by ≥ 0,5 when wrong.
fn ratio_statement(rng: &mut Lcg, wrong: bool) -> String {
    let d = rng.range(20, 9000);
    let num = d - rng.range(1, d.min(50));
    let exact = num as f64 / d as f64 * 100.0;
    let p = match (wrong, rng.range(0, 1)) {
        (true, _) => exact - 0.5 - rng.range(0, 300) as f64 / 100.0,
        (false, 0) => (exact * 100.0).floor() / 100.0,
        (false, _) => (exact * 100.0).round() / 100.0,
    };
    format!("- Số hồ sơ giải quyết đúng hạn là {}/{} hồ sơ, đạt tỷ lệ {}%.", n(num), n(d), vn_num(p, 2))
}

/// A total and its parts, after "trong đó" or in parentheses.
fn sum_statement(rng: &mut Lcg, wrong: bool) -> String {
    let a = rng.range(2, 4000);
    let b = rng.range(2, 4000);
    let t = match (wrong, rng.range(0, 1)) {
        (false, _) => a + b,
        (true, 0) => a + b + rng.range(1, 40),
        (true, _) => a + b - rng.range(1, a.min(b)),
    };
    if rng.range(0, 1) == 0 {
        format!("- Tổng số hồ sơ tiếp nhận là {} hồ sơ, trong đó: hồ sơ trực tuyến là {} hồ sơ, hồ sơ trực tiếp là {} hồ sơ.", n(t), n(a), n(b))
    } else {
        format!("- Tổng số lượt đánh giá là {} lượt ({} lượt đánh giá trực tuyến, {} lượt đánh giá tại quầy).", n(t), n(a), n(b))
    }
}

/// A report of `len` paragraphs with `errors` injected at random positions;
/// returns the text and (line, kind) of every injected error.
fn synthetic(seed: u64, len: usize, errors: usize) -> (String, Vec<(i32, Injected)>) {
    let mut rng = Lcg(seed);
    let kinds = [Injected::Percent, Injected::Sum, Injected::PartOverTotal];
    let mut positions: Vec<usize> = Vec::new();
    while positions.len() < errors {
        let p = rng.range(0, len as u64 - 1) as usize;
        if !positions.contains(&p) {
            positions.push(p);
        }
    }
    let mut text = String::from("BÁO CÁO\nKết quả thực hiện công tác cải cách hành chính năm 2025\n\nI. KẾT QUẢ THỰC HIỆN\n\n");
    let mut line = 6;
    let mut injected = Vec::new();
    for k in 0..len {
        let error = positions.iter().position(|p| *p == k).map(|i| kinds[(i + seed as usize) % kinds.len()]);
        let para = if error.is_none() && rng.range(0, 3) == 0 { FILLER[rng.range(0, 2) as usize].to_string() } else { statement(&mut rng, error) };
        if let Some(e) = error {
            injected.push((line, e));
        }
        text.push_str(&para);
        text.push_str("\n\n");
        line += 2;
    }
    (text, injected)
}

fn rule_of(e: Injected) -> &'static str {
    match e {
        Injected::Percent => "ratio_percent",
        Injected::Sum => "parts_total",
        Injected::PartOverTotal => "count_bounds",
    }
}

#[test]
fn injected_errors_are_each_found_exactly_once() {
    let cfg = CheckConfig::builtin();
    for seed in 1..=40u64 {
        let (text, injected) = synthetic(seed, 40, 1 + (seed as usize % 5));
        let e = process_bytes("synthetic.txt", text.as_bytes(), &Options::default());
        let ds = Dataset { documents: vec![e.document], sections: e.sections, figures: e.figures, cells: e.cells, findings: vec![], claims: e.claims };
        let found = check_dataset(&ds, &cfg);
        let got: Vec<(i32, &str)> = found.iter().map(|f| (f.line.unwrap_or(0), f.rule.as_str())).collect();
        let want: Vec<(i32, &str)> = injected.iter().map(|(l, e)| (*l, rule_of(*e))).collect();
        assert_eq!(got, want, "seed {seed}:\n{text}");
        for f in &found {
            assert_eq!(f.severity, Severity::Error, "seed {seed}: {f:?}");
        }
    }
}

// ------------------------------------------------------- tables (cells)

fn doc(id: &str, path: &str, meta: DocMeta) -> DocumentRow {
    DocumentRow {
        doc_id: id.into(),
        path: path.into(),
        content_sha256: None,
        format: Format::Text,
        encoding: None,
        status: Status::Ok,
        error: None,
        meta,
        pages: None,
        bytes: 0,
        warnings: None,
        text_source: Default::default(),
        ocr_confidence: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn cell(
    doc_id: &str,
    table: &str,
    row: i32,
    stt: &str,
    label: &str,
    column: &str,
    year: Option<i32>,
    raw: &str,
    value: Option<f64>,
    unit: Option<&str>,
) -> Cell {
    Cell {
        doc_id: doc_id.into(),
        table_id: format!("{doc_id}:{table}"),
        table_title: Some("Phụ lục VIII".into()),
        page: None,
        line: 3300 + row,
        row,
        stt: (!stt.is_empty()).then(|| stt.to_string()),
        parent_stt: None,
        label: Some(label.into()),
        column: column.into(),
        unit: unit.map(str::to_string),
        raw: raw.into(),
        kind: value.map(|_| if unit == Some("%") { Kind::Percent } else { Kind::Count }),
        value,
        numerator: None,
        denominator: None,
        qualifier: None,
        indicator: None,
        warning: None,
        year,
        option: None,
        confidence: None,
    }
}

/// 004 Phụ lục VIII rows 6.1–6.4 (years 2021–2025), optionally with edits.
fn appendix_viii(edit: &dyn Fn(&str, i32, u64) -> u64) -> Vec<Cell> {
    let rows: &[(&str, &str, [u64; 5])] = &[
        ("6.1", "Tỷ lệ DVCTT toàn trình đủ điều kiện", [100, 100, 100, 100, 100]),
        ("6.1.1.", "Tổng số DVC đủ điều kiện lên trực tuyến toàn trình", [63, 63, 63, 63, 63]),
        ("6.1.2.", "Số lượng DVCTT toàn trình", [63, 63, 63, 63, 63]),
        ("6.2.", "Tỷ lệ DVC có phát sinh hồ sơ nộp trực tuyến (toàn trình + một phần)", [0; 5]),
        ("6.2.1", "Tổng số DVCTT có phát sinh hồ sơ (gồm các DVCTT có phát sinh hồ sơ trực tuyến hoặc trực tiếp hoặc cả 2 hình thức)", [20, 18, 15, 20, 21]),
        ("6.2.2.", "Số DVCTT có phát sinh hồ sơ trực tuyến", [20, 18, 15, 20, 21]),
        ("6.3.", "Tỷ lệ hồ sơ trực tuyến toàn trình", [0; 5]),
        ("6.3.1", "Tổng số hồ sơ của DVCTT toàn trình (gồm hồ sơ nộp trực tuyến + trực tiếp)", [3797, 4386, 5, 120, 21]),
        ("6.3.2", "Số hồ sơ nộp trực tuyến của các DVCTT toàn trình", [1221, 3932, 3, 119, 21]),
        ("6.4.", "Tỷ lệ hồ sơ trực tuyến một phần", [0; 5]),
        ("6.4.1.", "Tổng số hồ sơ của DVCTT một phần (gồm hồ sơ nộp trực tuyến + trực tiếp)", [398, 4386, 2148, 1806, 268]),
        ("6.4.2.", "Số hồ sơ nộp trực tuyến của các DVCTT một phần", [221, 3932, 1498, 1775, 267]),
    ];
    let mut out = Vec::new();
    for (r, (stt, label, values)) in rows.iter().enumerate() {
        if values.iter().all(|v| *v == 0) {
            out.push(cell("d4", "t8", r as i32 + 1, stt, label, "Chỉ tiêu", None, label, None, None));
            continue;
        }
        for (k, v) in values.iter().enumerate() {
            let year = 2021 + k as i32;
            let v = edit(stt, year, *v);
            let unit = stt.starts_with("6.1") && stt.len() == 3;
            let raw = if unit { format!("{v}%") } else { v.to_string() };
            out.push(cell("d4", "t8", r as i32 + 1, stt, label, &format!("Năm {year}"), Some(year), &raw, Some(v as f64), unit.then_some("%")));
        }
    }
    out
}

#[test]
fn prose_against_appendix_viii_of_004() {
    // The prose of 004 with its Phụ lục VIII as the table readers will give it.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/text/004_phuong2_so_ket_2021_2025.txt");
    let e = cchc::pipeline::process_file(&path, &Options::default());
    let id = e.document.doc_id.clone();
    let cells: Vec<Cell> = appendix_viii(&|_, _, v| v)
        .into_iter()
        .map(|mut c| {
            c.doc_id = id.clone();
            c
        })
        .collect();
    let ds = Dataset { documents: vec![e.document], sections: e.sections, figures: e.figures, cells, findings: vec![], claims: e.claims };
    let found = check_dataset(&ds, &CheckConfig::builtin());
    let got: Vec<(i32, &str, &str, &str)> = found
        .iter()
        .filter(|f| f.rule == Rule::ProseVsTable)
        .map(|f| (f.line.unwrap_or(0), f.reported.as_deref().unwrap_or(""), f.expected.as_deref().unwrap_or(""), f.message.as_str()))
        .collect();
    // 2023: 17/20 DVCTT in the prose, 15/15 in 6.2; 2024: 19/19 vs 20/20;
    // 2025: 45/45 hồ sơ toàn trình vs 21/21 in 6.3. 2023 03/05 and 2024
    // 119/120 agree with 6.3; 1498/2148 and 1775/1806 match 6.3 and 6.4 equally
    // well and are left alone.
    assert_eq!(
        got.iter().map(|g| (g.0, g.1, g.2)).collect::<Vec<_>>(),
        vec![(827, "17/20", "15/15"), (837, "19/19", "20/20"), (845, "45/45", "21/21")],
        "{got:#?}"
    );
    assert_eq!(got[1].3, "Năm 2024: phần báo cáo nêu 19/19 nhưng phụ lục (6.2) ghi 20/20.");
}

fn series_findings(cells: Vec<Cell>) -> Vec<Finding> {
    let ds = Dataset { documents: vec![doc("d4", "004.txt", DocMeta::default())], cells, ..Default::default() };
    check_dataset(&ds, &CheckConfig::builtin())
}

#[test]
fn table_series_on_appendix_viii() {
    // As printed: parts ≤ totals, 6.1 = 63/63; only the repeated long numbers of 2022.
    let found = series_findings(appendix_viii(&|_, _, v| v));
    let got: Vec<(&str, &str, Option<&str>)> = found.iter().map(|f| (f.rule.as_str(), f.severity.as_str(), f.reported.as_deref())).collect();
    assert_eq!(got, vec![("table_series", "warning", Some("4.386")), ("table_series", "warning", Some("3.932"))]);
    assert!(found[0].message.contains("6.3.1 và 6.4.1"), "{}", found[0].message);
    // Injected: 6.3.2 > 6.3.1 in 2024; 6.1 rate 90% against 63/63 in 2023.
    let found = series_findings(appendix_viii(&|stt, y, v| match (stt, y) {
        ("6.3.2", 2024) => 125,
        ("6.1", 2023) => 90,
        _ => v,
    }));
    let errors: Vec<&Finding> = found.iter().filter(|f| f.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().any(|f| f.reported.as_deref() == Some("125") && f.expected.as_deref() == Some("≤ 120")));
    assert!(errors.iter().any(|f| f.reported.as_deref() == Some("90%") && f.expected.as_deref() == Some("100,00%")));
}

#[test]
fn targets_of_a_plan_against_a_report_of_the_same_unit_and_year() {
    let unit = |t: &str| DocMeta {
        doc_type: Some(t.into()),
        unit_name: Some("phường Cẩm Thành".into()),
        period_kind: Some("year".into()),
        period_year: Some(2025),
        ..Default::default()
    };
    let text = "BÁO CÁO\n\nI. KẾT QUẢ\n\n- Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa đạt 40%.\n\n- Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC đạt 82%.\n";
    let e = process_bytes("report.txt", text.as_bytes(), &Options::default());
    let mut report_row = e.document.clone();
    report_row.meta = unit("báo cáo");
    let rid = report_row.doc_id.clone();
    let target = |row: i32, label: &str, raw: &str, v: f64, q: Option<&str>| {
        let mut c = cell("plan", "t1", row, &row.to_string(), label, "Chỉ tiêu năm 2025", None, raw, Some(v), Some("%"));
        c.qualifier = q.map(str::to_string);
        c
    };
    let cells = vec![
        target(2, "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC.", "Tối thiểu 60", 60.0, Some(">=")),
        target(6, "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa.", "Tối thiểu 50", 50.0, Some(">=")),
    ];
    let ds = Dataset {
        documents: vec![doc("plan", "002.txt", unit("quyết định")), report_row],
        figures: e.figures,
        sections: e.sections,
        cells,
        findings: vec![],
        claims: e.claims,
    };
    let found = check_dataset(&ds, &CheckConfig::builtin());
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(
        (f.rule.as_str(), f.severity.as_str(), f.doc_id.as_str(), f.related_doc_id.as_deref()),
        ("target_vs_result", "info", rid.as_str(), Some("plan"))
    );
    assert_eq!((f.expected.as_deref(), f.reported.as_deref()), (Some("Tối thiểu 50"), Some("40")));
    // The same plan filed twice (another path, same targets) is compared once:
    // one finding, linked to the first copy.
    let mut twice = ds.clone();
    twice.documents.push(doc("plan-copy", "002-copy.txt", unit("quyết định")));
    twice.cells.extend(ds.cells.iter().cloned().map(|mut c| {
        c.doc_id = "plan-copy".into();
        c.table_id = "plan-copy:t1".into();
        c
    }));
    let found = check_dataset(&twice, &CheckConfig::builtin());
    let cross: Vec<&Finding> = found.iter().filter(|f| f.rule == Rule::TargetVsResult).collect();
    assert_eq!(cross.len(), 1, "{cross:#?}");
    assert_eq!(cross[0].related_doc_id.as_deref(), Some("plan"));
}

fn findings_of(text: &str) -> Vec<Finding> {
    let e = process_bytes("snippet.txt", text.as_bytes(), &Options::default());
    let ds = Dataset { documents: vec![e.document], sections: e.sections, figures: e.figures, cells: e.cells, findings: vec![], claims: e.claims };
    check_dataset(&ds, &CheckConfig::builtin())
}

#[test]
fn bounds_on_small_texts() {
    let rules = |t: &str| findings_of(t).into_iter().map(|f| (f.rule.to_string(), f.reported.unwrap_or_default())).collect::<Vec<_>>();
    let text = "I. KẾT QUẢ\n\n- Tỷ lệ hồ sơ giải quyết đúng hạn đạt 104%.\n";
    assert_eq!(rules(text), vec![("percent_bounds".to_string(), "104%".to_string())]);
    assert!(rules("I. KẾT QUẢ\n\n- Thu ngân sách đạt 120% so với dự toán.\n").is_empty());
    assert_eq!(rules("I. KẾT QUẢ\n\n- Đã hoàn thành 45/44 nhiệm vụ.\n"), vec![("count_bounds".to_string(), "45".to_string())]);
    assert!(rules("I. KẾT QUẢ\n\n- Đã hoàn thành 10/33 nhiệm vụ.\n").is_empty());
    // On-time + overdue ≠ resolved.
    let t = "I. KẾT QUẢ\n\n- Số lượng hồ sơ đã giải quyết: 7.259 hồ sơ, trong đó: giải quyết trước hạn: 7.250 hồ sơ, đúng hạn: 0 hồ sơ; quá hạn: 03 hồ sơ.\n";
    let f = findings_of(t);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].expected.as_deref()), ("count_bounds", Some("7.253 hồ sơ")));
    // Money parts: 320.858 + 27.686 = 348.544 triệu đồng; a wrong total is shown in its unit.
    let t = "I. KẾT QUẢ\n\n- Dự kiến chi 2026: 348.554 triệu đồng (Trong đó: Chi thường xuyên: 320.858 triệu đồng và Đầu tư phát triển: 27.686 triệu đồng).\n";
    // "Trong đó" may name only the main items: short of the total is info …
    let f = findings_of(t);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Info);
    assert_eq!(
        f[0].message,
        "Các phần nêu sau \"trong đó\" cộng lại 320.858 + 27.686 = 348.544 triệu đồng, ít hơn tổng 348.554 triệu đồng (có thể chỉ là các phần chính)."
    );
    // … "gồm" names every part: the same gap is an error …
    let f = findings_of(
        "I. KẾT QUẢ\n\n- Dự kiến chi 2026: 348.554 triệu đồng, gồm: Chi thường xuyên: 320.858 triệu đồng và Đầu tư phát triển: 27.686 triệu đồng.\n",
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].severity.as_str(), f[0].message.as_str()),
        ("error", "Các phần cộng lại 320.858 + 27.686 = 348.544 triệu đồng, không bằng tổng 348.554 triệu đồng đã nêu.")
    );
    // … and parts above their total cannot be right whatever announces them.
    let f = findings_of(
        "I. KẾT QUẢ\n\n- Dự kiến chi 2026: 348.534 triệu đồng (Trong đó: Chi thường xuyên: 320.858 triệu đồng và Đầu tư phát triển: 27.686 triệu đồng).\n",
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].severity.as_str(), f[0].expected.as_deref()), ("error", Some("348.544 triệu đồng")));
    // A year inside the list is a series, not a breakdown.
    assert!(findings_of("I. KẾT QUẢ\n\n- Tổng số 500 hồ sơ, trong đó năm 2024: 200 hồ sơ, năm 2025: 250 hồ sơ.\n").is_empty());
}

#[test]
fn table_part_over_total_without_stt() {
    // 001-style rows: the part rows have no STT of their own, only a parent.
    let mk = |row: i32, label: &str, v: f64| {
        let mut c = cell("d1", "t1", row, "", label, "Số liệu", None, &vn_num(v, 0), Some(v), Some("Nhiệm vụ"));
        c.parent_stt = Some("1.2.".into());
        c
    };
    let cells =
        vec![mk(1, "Tổng số nhiệm vụ được giao", 5.0), mk(2, "Số nhiệm vụ đã hoàn thành đúng hạn", 6.0), mk(3, "Số nhiệm vụ đã hoàn thành nhưng quá hạn", 0.0)];
    let found = series_findings(
        cells
            .into_iter()
            .map(|mut c| {
                c.doc_id = "d4".into();
                c
            })
            .collect(),
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].rule.as_str(), found[0].reported.as_deref(), found[0].expected.as_deref()), ("table_series", Some("6"), Some("≤ 5")));
}

#[test]
fn a_trong_do_row_equal_to_its_parent_is_not_a_look_alike() {
    // 004 Phụ lục VIII, 2022: 4.386 hồ sơ tiếp nhận. A "Trong đó: …" row right under it
    // holding the same 4.386 is a part equal to its whole, not a copy-paste slip …
    let mk = |row: i32, stt: &str, label: &str| cell("d4", "t1", row, stt, label, "Năm 2022", Some(2022), "4.386", Some(4386.0), Some("Hồ sơ"));
    let child = vec![mk(1, "6.3.1", "Số hồ sơ tiếp nhận trong năm"), mk(2, "-", "Trong đó: số hồ sơ tiếp nhận trong năm qua dịch vụ công trực tuyến")];
    let found = series_findings(child);
    assert!(found.iter().all(|f| f.rule != Rule::TableSeries), "{found:#?}");
    // … while the same number under a look-alike row of another group still is.
    let other = vec![mk(1, "6.3.1", "Số hồ sơ tiếp nhận trong năm"), mk(2, "6.4.1", "Số hồ sơ tiếp nhận trong năm qua dịch vụ công trực tuyến")];
    let found = series_findings(other);
    assert_eq!(found.iter().filter(|f| f.rule == Rule::TableSeries).count(), 1, "{found:#?}");
}
