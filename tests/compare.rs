//! `report::compare`: a small dataset built by hand from real seed numbers
//! (phường Trương Quang Trọng: 843/847 hồ sơ; phường Cẩm Thành: 7.256/7.259
//! hồ sơ; Phường 2: multi-year appendix) → XLSX → read back with calamine.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};
use cchc::canon::indicators::Catalog;
use cchc::model::{Cell, ClaimForm, ClaimKind, Dataset, DocMeta, DocumentRow, Figure, Finding, Format, Rule, Severity, Status, Verdict};
use cchc::report::compare::{write_csv, write_xlsx, SHEET_COMPARE, SHEET_FINDINGS, SHEET_SERIES, SHEET_SOURCES, SHEET_SUMMARY};

fn tmp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cchc-compare-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn doc(id: &str, unit: &str, kind: &str, year: i32, quarter: Option<i32>, from: Option<i32>) -> DocumentRow {
    DocumentRow {
        doc_id: id.into(),
        path: format!("fixtures/text/{id}.txt"),
        content_sha256: None,
        format: Format::Text,
        encoding: Some("utf-8".into()),
        status: Status::Ok,
        error: None,
        meta: DocMeta {
            doc_type: Some("Báo cáo".into()),
            unit_name: Some(unit.into()),
            unit_level: Some("phường".into()),
            province: Some("Quảng Ngãi".into()),
            period_kind: Some(kind.parse().unwrap_or_else(|e| panic!("{e}"))),
            period_year: Some(year),
            period_quarter: quarter,
            period_from: from.or(Some(year)),
            period_to: Some(year),
            ..Default::default()
        },
        pages: None,
        bytes: 1000,
        warnings: None,
        text_source: Default::default(),
        ocr_confidence: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn fig(doc: &str, id: &str, ind: &str, kind: &str, value: Option<f64>, n: Option<f64>, d: Option<f64>, pct: Option<f64>) -> Figure {
    Figure {
        doc_id: doc.into(),
        figure_id: id.into(),
        section_id: None,
        page: None,
        line: 10,
        raw: "x".into(),
        kind: kind.parse().unwrap_or_else(|e| panic!("{e}")),
        value,
        numerator: n,
        denominator: d,
        stated_percent: pct,
        unit: Some("hồ sơ".into()),
        qualifier: None,
        subject: Some("hồ sơ giải quyết đúng hạn".into()),
        indicator: Some(ind.into()),
        sentence: "x".into(),
        offset: 0,
        year: None,
        normalized: None,
        confidence: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn cell(doc: &str, table: &str, row: i32, label: &str, column: &str, ind: &str, kind: &str, value: Option<f64>, year: Option<i32>) -> Cell {
    Cell {
        doc_id: doc.into(),
        table_id: table.into(),
        table_title: None,
        page: None,
        line: 100 + row,
        row,
        stt: Some(row.to_string()),
        parent_stt: None,
        label: Some(label.into()),
        column: column.into(),
        unit: None,
        raw: value.map(|v| v.to_string()).unwrap_or_default(),
        kind: Some(kind.parse().unwrap_or_else(|e| panic!("{e}"))),
        value,
        numerator: None,
        denominator: None,
        qualifier: None,
        indicator: Some(ind.into()),
        warning: None,
        year,
        option: None,
        confidence: None,
    }
}

fn dataset() -> Dataset {
    let rate = "tthc.ho_so.dung_han_ty_le";
    let mut ds = Dataset::default();
    ds.documents.push(doc("001", "Phường Trương Quang Trọng", "year", 2025, None, None));
    ds.documents.push(doc("000", "Phường Cẩm Thành", "year", 2025, None, None));
    ds.documents.push(doc("004", "Phường 2", "range", 2025, None, Some(2021)));
    ds.figures.push(fig("001", "001:f1", rate, "fraction", None, Some(843.0), Some(847.0), Some(99.52)));
    ds.figures.push(fig("001", "001:f2", "tthc.ho_so.giai_quyet", "count", Some(847.0), None, None, None));
    ds.figures.push(fig("000", "000:f7", rate, "fraction", None, Some(7256.0), Some(7259.0), Some(99.96)));
    ds.figures.push(fig("000", "000:f8", "tthc.ho_so.giai_quyet", "count", Some(7259.0), None, None, None));
    // Table values of 001: a count and a rate whose fraction sits in "Ghi chú".
    ds.cells.push(cell("001", "001:t1", 37, "Tổng số biên chế được giao trong năm", "Số liệu", "to_chuc.bien_che.giao", "count", Some(25.0), None));
    let vb = "cqs.van_ban.dien_tu_ty_le";
    let label = "Tỷ lệ văn bản được gửi hoàn toàn dưới dạng điện tử";
    ds.cells.push(cell("001", "001:t1", 67, label, "Số liệu", vb, "percent", Some(100.0), None));
    let mut note = cell("001", "001:t1", 67, label, "Ghi chú", vb, "fraction", None, None);
    note.numerator = Some(222.0);
    note.denominator = Some(222.0);
    ds.cells.push(note);
    // Multi-year appendix of 004 (Phụ lục I, 2.1).
    for (y, v) in [(2021, 38.0), (2022, 44.0), (2023, 48.0), (2024, 45.0), (2025, 42.0)] {
        ds.cells.push(cell("004", "004:t1", 7, "Số nhiệm vụ đề ra trong kế hoạch", &format!("Năm {y}"), "cchc.nhiem_vu.de_ra", "count", Some(v), Some(y)));
    }
    ds.findings.push(Finding {
        doc_id: "000".into(),
        finding_id: "000:x1".into(),
        rule: Rule::RatioPercent,
        severity: Severity::Warning,
        page: None,
        line: Some(10),
        location: None,
        message: "Tỷ lệ nêu 99,96% khác 7.256/7.259 = 99,96%".into(),
        expected: Some("99,96".into()),
        reported: Some("99,96".into()),
        quote: "Tỷ lệ hồ sơ trước hạn, đúng hạn đạt: 99,96%".into(),
        figure_id: Some("000:f7".into()),
        related_doc_id: None,
    });
    ds
}

fn cell_str(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

fn col_of(range: &calamine::Range<Data>, header: &str) -> usize {
    let row0: Vec<String> = range.rows().next().unwrap().iter().map(cell_str).collect();
    row0.iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header:?} in {row0:?}"))
}

#[test]
fn workbook_round_trip() {
    let dir = tmp_dir("xlsx");
    let path = dir.join("so_sanh.xlsx");
    let cat = Catalog::builtin();
    write_xlsx(&dataset(), cat, &path).unwrap();
    // Atomic write: no temp file left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty());

    let mut wb = open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names().to_vec();
    assert_eq!(names, vec![SHEET_COMPARE, SHEET_SUMMARY, SHEET_SERIES, SHEET_FINDINGS, SHEET_SOURCES]);

    // So sánh: one row per document, typed numbers, Vietnamese headers.
    let ss = wb.worksheet_range(SHEET_COMPARE).unwrap();
    let rate_name = format!("{} (%)", cat.get("tthc.ho_so.dung_han_ty_le").unwrap().name);
    let c_unit = col_of(&ss, "Đơn vị");
    let c_rate = col_of(&ss, &rate_name);
    let c_bc = col_of(&ss, &format!("{} (người)", cat.get("to_chuc.bien_che.giao").unwrap().name));
    let c_nv = col_of(&ss, &format!("{} (nhiệm vụ)", cat.get("cchc.nhiem_vu.de_ra").unwrap().name));
    let rows: Vec<&[Data]> = ss.rows().skip(1).collect();
    assert_eq!(rows.len(), 3);
    let row_of = |unit: &str| *rows.iter().find(|r| cell_str(&r[c_unit]) == unit).unwrap_or_else(|| panic!("{unit}"));
    let a = row_of("Phường Trương Quang Trọng");
    match &a[c_rate] {
        Data::Float(f) => assert!((f - 99.52).abs() < 1e-9, "{f}"),
        other => panic!("rate not a number: {other:?}"),
    }
    assert_eq!(a[c_bc], Data::Float(25.0));
    // Multi-year table: the column of the report's year (2025).
    assert_eq!(row_of("Phường 2")[c_nv], Data::Float(42.0));

    // Tổng hợp: rate recomputed from summed numerators and denominators.
    let th = wb.worksheet_range(SHEET_SUMMARY).unwrap();
    let (c_id, c_val, c_num, c_den, c_units, c_period) = (
        col_of(&th, "Mã chỉ tiêu"),
        col_of(&th, "Giá trị"),
        col_of(&th, "Tử số (tổng)"),
        col_of(&th, "Mẫu số (tổng)"),
        col_of(&th, "Số đơn vị"),
        col_of(&th, "Kỳ báo cáo"),
    );
    let agg = th.rows().find(|r| cell_str(&r[c_id]) == "tthc.ho_so.dung_han_ty_le" && cell_str(&r[c_period]) == "Năm 2025").expect("aggregate row");
    let expect = (843.0 + 7256.0) / (847.0 + 7259.0) * 100.0;
    let mean_of_percents = (99.52 + 99.96) / 2.0;
    match agg[c_val] {
        Data::Float(f) => {
            assert!((f - expect).abs() < 1e-9, "{f} vs {expect}");
            assert!((f - mean_of_percents).abs() > 1e-3);
        }
        ref other => panic!("{other:?}"),
    }
    assert_eq!(agg[c_num], Data::Float(8099.0));
    assert_eq!(agg[c_den], Data::Float(8106.0));
    assert_eq!(agg[c_units], Data::Float(2.0));
    let sum = th.rows().find(|r| cell_str(&r[c_id]) == "tthc.ho_so.giai_quyet" && cell_str(&r[c_period]) == "Năm 2025").expect("count aggregate");
    assert_eq!(sum[c_val], Data::Float(8106.0));

    // Chuỗi thời gian: unit × indicator × year.
    let ct = wb.worksheet_range(SHEET_SERIES).unwrap();
    let c2021 = col_of(&ct, "Năm 2021");
    let series = ct.rows().find(|r| r.iter().any(|c| cell_str(c) == "cchc.nhiem_vu.de_ra")).unwrap();
    assert_eq!(series[c2021], Data::Float(38.0));

    // Phát hiện and Nguồn.
    let ph = wb.worksheet_range(SHEET_FINDINGS).unwrap();
    assert!(ph.rows().skip(1).any(|r| r.iter().any(|c| cell_str(c).contains("7.256/7.259"))));
    let ng = wb.worksheet_range(SHEET_SOURCES).unwrap();
    assert_eq!(ng.rows().count(), 4);
    assert!(ng.rows().any(|r| r.iter().any(|c| cell_str(c) == "fixtures/text/001.txt")));

    // The flagged value carries its finding as a note (xl/comments*.xml).
    let bytes = std::fs::read(&path).unwrap();
    assert!(contains(&bytes, b"comments"), "no comments part in the workbook");
}

/// LibreOffice opens the workbook: the first sheet keeps its Vietnamese text
/// and numbers.  `.ci/run` installs `soffice` and runs this test.
#[test]
#[ignore = "needs soffice (libreoffice-calc)"]
fn workbook_opens_in_libreoffice() {
    let dir = tmp_dir("xlsx-lo");
    let path = dir.join("so_sanh.xlsx");
    write_xlsx(&dataset(), Catalog::builtin(), &path).unwrap();
    libreoffice_check(&path, &dir);
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Convert with LibreOffice; the first sheet must keep its Vietnamese text
/// and numbers.  Fails when `soffice` or its Calc component is missing.
fn libreoffice_check(path: &Path, dir: &Path) {
    let out = Command::new("sh").arg("-c").arg("command -v soffice").output().expect("running sh");
    assert!(out.status.success(), "soffice not installed (Debian: apt-get install libreoffice-calc-nogui)");
    // soffice without the Calc component (e.g. only libreoffice-writer
    // installed) cannot load any spreadsheet.
    let bin = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let program = std::fs::canonicalize(&bin).ok().and_then(|p| p.parent().map(Path::to_path_buf));
    let has_calc = program.is_some_and(|d| d.join("libsclo.so").exists() || d.join("libscfiltlo.so").exists());
    assert!(has_calc, "soffice found but LibreOffice Calc is not installed (libreoffice-calc-nogui)");
    let outdir = dir.join("lo");
    let profile = dir.join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir"])
        .arg(&outdir)
        .arg(path)
        .output();
    let status = status.expect("starting soffice");
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    let csv =
        std::fs::read_dir(&outdir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).find(|p| p.extension().is_some_and(|e| e == "csv")).expect("csv written");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("Phường Trương Quang Trọng"), "{text}");
    assert!(text.contains("Tỷ lệ hồ sơ TTHC giải quyết đúng hạn"), "{text}");
    assert!(text.contains("99.52") || text.contains("99,52"), "{text}");
}

#[test]
fn csv_files_have_bom_and_vietnamese() {
    let dir = tmp_dir("csv");
    write_csv(&dataset(), Catalog::builtin(), &dir).unwrap();
    for name in ["so_sanh.csv", "tong_hop.csv", "chuoi_thoi_gian.csv", "phat_hien.csv", "nguon.csv"] {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{name} has no BOM");
    }
    let text = std::fs::read_to_string(dir.join("so_sanh.csv")).unwrap();
    assert!(text.contains("Phường Cẩm Thành"));
    assert!(text.contains("99.96"));
    let th = std::fs::read_to_string(dir.join("tong_hop.csv")).unwrap();
    assert!(th.lines().any(|l| l.contains("tthc.ho_so.dung_han_ty_le") && l.contains(",8099,8106,2,")), "{th}");
}

/// A rate stated with part and base in words (no a/b written) is a claim;
/// the workbook aggregates it with the written fractions as Σpart/Σbase.
/// 023 (Vĩnh Phúc): "đến hạn giải quyết là 4.169 hồ sơ. Đã có kết quả trả trước
/// và đúng hạn là 4.157 hồ sơ (đạt 99,71%)".
#[test]
fn implicit_claims_feed_the_aggregate() {
    let rate = "tthc.ho_so.dung_han_ty_le";
    let mut ds = dataset();
    ds.documents.push(doc("023", "Trung tâm Phục vụ hành chính công tỉnh", "year", 2025, None, None));
    ds.claims.push(cchc::model::Claim {
        doc_id: "023".into(),
        claim_id: "023:c1".into(),
        section_id: None,
        page: None,
        line: 7,
        kind: ClaimKind::Share,
        part_value: Some(4157.0),
        part_figure_id: Some("023:f6".into()),
        part_subject: Some("Đã có kết quả trả trước và đúng hạn".into()),
        base_value: Some(4169.0),
        base_figure_id: Some("023:f5".into()),
        base_subject: Some("đến hạn giải quyết".into()),
        stated_percent: Some(99.71),
        stated_raw: Some("99,71%".into()),
        qualifier: None,
        computed_percent: Some(99.7122),
        verdict: Verdict::Consistent,
        explained_by: None,
        confidence: 0.84,
        indicator: Some(rate.into()),
        quote: "đến hạn giải quyết là 4.169 hồ sơ. Đã có kết quả trả trước và đúng hạn là 4.157 hồ sơ (đạt 99,71%)".into(),
        form: ClaimForm::Implicit,
        unit: Some("hồ sơ".into()),
        stated_figure_id: Some("023:f7".into()),
        base_line: None,
    });
    let values = cchc::report::compare::doc_values(&ds, Catalog::builtin());
    let v = values.get(&("023".to_string(), rate.to_string())).expect("the claim is the document's value");
    assert_eq!((v.value, v.numerator, v.denominator), (Some(99.71), Some(4157.0), Some(4169.0)));
    let ind = Catalog::builtin().get(rate).expect("rate indicator");
    let vals: Vec<_> = ["001", "000", "023"].iter().filter_map(|d| values.get(&(d.to_string(), rate.to_string()))).collect();
    let agg = cchc::report::compare::aggregate(ind, &vals).expect("aggregate");
    let expect = (843.0 + 7256.0 + 4157.0) / (847.0 + 7259.0 + 4169.0) * 100.0;
    assert!((agg.value.unwrap_or(0.0) - expect).abs() < 1e-9, "{:?} vs {expect}", agg.value);
    assert_eq!((agg.numerator, agg.denominator, agg.units), (Some(12256.0), Some(12275.0), 3));
}
