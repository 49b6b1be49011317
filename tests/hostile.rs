//! Hostile and broken inputs (issue #13): every input becomes a row with the
//! right status and reason, nothing hangs, the dataset commits as a whole and
//! readers refuse a mixed or incomplete one. Fast: the cases are generated in
//! a temp folder and run through the binary with small budgets.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use cchc::model::{Dataset, DocumentRow, Status};
use cchc::write::parquet::{read_dataset, MANIFEST};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("running cchc: {e}"))
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn extract(inputs: &[&Path], out: &Path, extra: &[&str]) -> (Output, Duration) {
    let t = Instant::now();
    let o = run(bin().arg("extract").args(inputs).arg("--out").arg(out).arg("--quiet").args(extra));
    (o, t.elapsed())
}

fn row<'a>(ds: &'a Dataset, name: &str) -> &'a DocumentRow {
    ds.documents
        .iter()
        .find(|d| d.path.ends_with(name))
        .unwrap_or_else(|| panic!("no row for {name}: {:?}", ds.documents.iter().map(|d| &d.path).collect::<Vec<_>>()))
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

// ------------------------------------------------------------ builders

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn docx(document_xml: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("[Content_Types].xml", opts).unwrap_or_else(|e| panic!("{e}"));
    w.write_all(b"<Types/>").unwrap_or_else(|e| panic!("{e}"));
    w.start_file("word/document.xml", opts).unwrap_or_else(|e| panic!("{e}"));
    w.write_all(document_xml).unwrap_or_else(|e| panic!("{e}"));
    w.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

fn para(t: &str) -> String {
    format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>")
}

/// A PDF from object bodies (1-based numbers), with a correct xref table;
/// `trailer_extra` goes into the trailer dictionary.
fn pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    let extra = trailer_extra.replace("XREF", &xref.to_string());
    out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R {extra} >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}

fn text_page_pdf(content: Vec<u8>) -> Vec<u8> {
    pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
            content,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ],
        "",
    )
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap_or_else(|e| panic!("{e}"));
    e.finish().unwrap_or_else(|e| panic!("{e}"))
}

// ------------------------------------------------------------ the batch

/// One batch holding every hostile case: each is a row with the right
/// status and reason, the batch finishes, exit 1 (failed rows).
#[test]
fn hostile_batch_every_input_is_a_row() {
    let dir = tmp();
    let d = dir.path().join("in");
    let good = std::fs::read(root().join("fixtures/text/001_tq_trong_q1_2025.txt")).unwrap_or_else(|e| panic!("{e}"));
    write(&d.join("a_good.txt"), &good);
    // Same bytes at a second path.
    write(&d.join("b_copy.txt"), &good);
    // FIFO with a report extension (never opened: the run would block forever).
    let fifo = d.join("c_fifo.txt");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap_or_else(|e| panic!("{e}"));
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
    // Oversized (sparse: no disk used).
    let big = std::fs::File::create(d.join("d_huge.txt")).unwrap_or_else(|e| panic!("{e}"));
    big.set_len(3 << 30).unwrap_or_else(|e| panic!("{e}"));
    drop(big);
    // Symlink loop (a folder linking to its parent) and a self-loop file link.
    std::fs::create_dir_all(d.join("sub")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("..", d.join("sub").join("e_loop")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("f_self.txt", d.join("f_self.txt")).unwrap_or_else(|e| panic!("{e}"));
    // A symlinked file is read (followed once).
    std::os::unix::fs::symlink(d.join("a_good.txt"), d.join("g_link.txt")).unwrap_or_else(|e| panic!("{e}"));
    // DOCX: document.xml cut in the middle; zip bomb; deep nesting; entity bomb.
    let body = format!("<w:document {NS}><w:body>{}{}", para("BÁO CÁO Kết quả cải cách hành chính quý I năm 2025"), para("Tiếp nhận 831/832 hồ sơ đạt 99,87%"));
    write(&d.join("h_cut.docx"), &docx(format!("{body}<w:p><w:r><w:t>Đạt 1").as_bytes()));
    let mut bomb = format!("<w:document {NS}><w:body><w:p><w:r><w:t>").into_bytes();
    bomb.resize(40 << 20, b' ');
    write(&d.join("i_zipbomb.docx"), &docx(&bomb));
    let deep = format!("{body}{}", "<w:sdt>".repeat(200_000));
    write(&d.join("j_deep.docx"), &docx(deep.as_bytes()));
    let lol = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><w:document {NS}><w:body>{}{}</w:body></w:document>"#,
        para("Tiếp nhận 831/832 hồ sơ đạt 99,87%"),
        para("&lol4;&lol4;&lol4;&lol4;")
    );
    write(&d.join("k_entities.docx"), &docx(lol.as_bytes()));
    let xxe = format!(
        r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document {NS}><w:body>{}{}</w:body></w:document>"#,
        para("Tiếp nhận 831/832 hồ sơ"),
        para("&x;")
    );
    write(&d.join("k_xxe.docx"), &docx(xxe.as_bytes()));
    // PDF: xref /Prev loop, page-tree cycle, Flate bomb, garbage after the header.
    let content = stream("", b"BT /F1 12 Tf 72 700 Td (Tiep nhan 831/832 ho so dat 99,87%) Tj ET");
    let xref_loop = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
            content,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ],
        "/Prev XREF",
    );
    write(&d.join("l_xref_loop.pdf"), &xref_loop);
    let cycle = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        ],
        "",
    );
    write(&d.join("m_page_cycle.pdf"), &cycle);
    let zeros = vec![b' '; 200 << 20];
    let flate_bomb = text_page_pdf(stream("/Filter /FlateDecode", &deflate(&zeros)));
    drop(zeros);
    write(&d.join("n_flate_bomb.pdf"), &flate_bomb);
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend((0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    write(&d.join("o_garbage.pdf"), &garbage);
    // Unreadable subfolder (only when not root: root reads everything).
    let locked = d.join("p_locked");
    write(&locked.join("x.txt"), &good);
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap_or_else(|e| panic!("{e}"));

    let out = dir.path().join("out");
    let (o, took) = extract(&[&d, Path::new("/dev/zero")], &out, &["--max-file-bytes", "64M", "--file-timeout", "20", "-j", "2"]);
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap_or_else(|e| panic!("{e}"));
    let log = text(&o);
    assert_eq!(o.status.code(), Some(1), "{log}");
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let ds = read_dataset(&out).unwrap_or_else(|e| panic!("{e:#}"));

    for dr in &ds.documents {
        eprintln!("{:<60} {:<9} {:?} {:?}", dr.path, dr.status, dr.error, dr.warnings.as_deref().map(|w| w.chars().take(120).collect::<String>()));
        if dr.status != Status::Ok {
            assert!(dr.error.as_deref().is_some_and(|e| !e.trim().is_empty()), "{} {} has no reason", dr.path, dr.status);
        }
    }
    let ids: std::collections::HashSet<&str> = ds.documents.iter().map(|d| d.doc_id.as_str()).collect();
    assert_eq!(ids.len(), ds.documents.len(), "doc_id unique per row");
    let fig_ids: std::collections::HashSet<&str> = ds.figures.iter().map(|f| f.figure_id.as_str()).collect();
    assert_eq!(fig_ids.len(), ds.figures.len(), "figure_id unique");

    let (a, b, g) = (row(&ds, "a_good.txt"), row(&ds, "b_copy.txt"), row(&ds, "g_link.txt"));
    assert_eq!(a.status, Status::Ok);
    assert_eq!(a.content_sha256, b.content_sha256);
    assert_eq!(a.content_sha256, g.content_sha256);
    assert_ne!(a.doc_id, b.doc_id);
    assert!(b.warnings.as_deref().unwrap_or("").contains("same bytes as"), "{:?}", b.warnings);
    let r = row(&ds, "c_fifo.txt");
    assert_eq!(r.status, Status::Failed);
    assert!(r.error.as_deref().unwrap_or("").contains("FIFO"), "{:?}", r.error);
    let r = row(&ds, "d_huge.txt");
    assert!(r.status == Status::Failed && r.error.as_deref().unwrap_or("").starts_with("too large"), "{:?}", r.error);
    let r = row(&ds, "/dev/zero");
    assert!(r.status == Status::Failed && r.error.as_deref().unwrap_or("").contains("character device"), "{:?}", r.error);
    let r = row(&ds, "e_loop");
    assert!(r.status == Status::Failed && r.error.as_deref().unwrap_or("").contains("loop"), "{:?}", r.error);
    let r = row(&ds, "f_self.txt");
    assert_eq!(r.status, Status::Failed, "{:?}", r.error);
    let r = row(&ds, "h_cut.docx");
    assert_eq!(r.status, Status::Partial, "{:?}", r.error);
    assert!(r.error.as_deref().unwrap_or("").contains("damaged"), "{:?}", r.error);
    let r = row(&ds, "i_zipbomb.docx");
    assert!(r.status == Status::Failed && r.error.as_deref().unwrap_or("").contains("ratio"), "{:?}", r.error);
    let r = row(&ds, "j_deep.docx");
    assert!(r.status == Status::Partial && r.error.as_deref().unwrap_or("").contains("deeper"), "{:?}", r.error);
    let r = row(&ds, "k_entities.docx");
    assert!(r.status == Status::Ok || r.status == Status::Partial, "{:?}", r.error);
    assert!(r.warnings.as_deref().unwrap_or("").len() < 10_000);
    let r = row(&ds, "k_xxe.docx");
    assert!(!ds.sections.iter().chain(ds.sections.iter()).any(|s| s.text.contains("root:")), "XXE");
    assert!(r.status == Status::Ok || r.status == Status::Partial);
    for name in ["l_xref_loop.pdf", "m_page_cycle.pdf", "n_flate_bomb.pdf", "o_garbage.pdf"] {
        let r = row(&ds, name);
        assert_ne!(r.status, Status::NeedsOcr, "{name}: {:?}", r.error);
        assert!(!r.error.as_deref().unwrap_or("").contains("OCR"), "{name}: {:?}", r.error);
    }
    if !is_root() {
        let r = row(&ds, "p_locked");
        assert!(r.status == Status::Failed && r.error.as_deref().unwrap_or("").contains("unreadable"), "{:?}", r.error);
    }
}

/// A file over the time budget is a failed row "too slow" and the batch goes on.
#[test]
fn time_budget_fails_the_file_not_the_batch() {
    let dir = tmp();
    let out = dir.path().join("out");
    let f = root().join("fixtures/pdf/001_report.pdf");
    let (o, took) = extract(&[&f, &root().join("fixtures/text/000_cam_thanh_cchc_2025.txt")], &out, &["--file-timeout", "0.000001"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // A hang guard, not a speed measure: the budget must end the files.
    assert!(took < Duration::from_secs(120), "took {took:?}");
    let ds = read_dataset(&out).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(ds.documents.len(), 2);
    for d in &ds.documents {
        assert_eq!(d.status, Status::Failed);
        assert!(d.error.as_deref().unwrap_or("").starts_with("too slow"), "{:?}", d.error);
    }
    // Bad budgets are usage errors.
    let (o, _) = extract(&[&f], &out, &["--file-timeout", "-1"]);
    assert_eq!(o.status.code(), Some(2));
    let (o, _) = extract(&[&f], &out, &["--max-file-bytes", "lots"]);
    assert_eq!(o.status.code(), Some(2));
}

// ------------------------------------------------------------ the dataset

fn small_dataset(out: &Path) {
    let (o, _) = extract(&[&root().join("fixtures/text/001_tq_trong_q1_2025.txt")], out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

fn readers_refuse(out: &Path, what: &str) {
    let xlsx = out.with_extension("xlsx");
    for args in [vec!["check".to_string()], vec!["indicators".to_string()], vec!["compare".to_string(), "--out".to_string(), xlsx.display().to_string()]] {
        let o = run(bin().arg(&args[0]).arg(out).args(&args[1..]));
        assert_eq!(o.status.code(), Some(2), "{} on {what}: {}", args[0], text(&o));
        assert!(text(&o).contains(what), "{} should name {what}: {}", args[0], text(&o));
    }
}

#[test]
fn readers_refuse_incomplete_or_mixed_datasets() {
    let dir = tmp();
    // Missing table file.
    let out = dir.path().join("a");
    small_dataset(&out);
    assert!(out.join(MANIFEST).is_file());
    let o = run(bin().arg("check").arg(&out).arg("--color").arg("never"));
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    std::fs::remove_file(out.join("figures.parquet")).unwrap_or_else(|e| panic!("{e}"));
    readers_refuse(&out, "figures.parquet");
    // A file from another run (mixed dataset): checksum mismatch.
    let out = dir.path().join("b");
    small_dataset(&out);
    let other = dir.path().join("c");
    let (o, _) = extract(&[&root().join("fixtures/text/000_cam_thanh_cchc_2025.txt")], &other, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::fs::copy(other.join("sections.parquet"), out.join("sections.parquet")).unwrap_or_else(|e| panic!("{e}"));
    readers_refuse(&out, "checksum");
    // No manifest (killed before the end, or an older writer).
    std::fs::remove_file(other.join(MANIFEST)).unwrap_or_else(|e| panic!("{e}"));
    readers_refuse(&other, MANIFEST);
    // Empty folder / not a folder.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap_or_else(|e| panic!("{e}"));
    let o = run(bin().arg("compare").arg(&empty).arg("--csv").arg(dir.path().join("csv")));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn missing_column_is_named() {
    use polars::prelude::*;
    let dir = tmp();
    let out = dir.path().join("a");
    small_dataset(&out);
    // Rewrite figures.parquet without "kind" and fix the manifest checksum:
    // the column check must still catch it.
    let p = out.join("figures.parquet");
    let mut df = ParquetReader::new(std::fs::File::open(&p).unwrap_or_else(|e| panic!("{e}"))).finish().unwrap_or_else(|e| panic!("{e}"));
    df = df.drop("kind").unwrap_or_else(|e| panic!("{e}"));
    ParquetWriter::new(std::fs::File::create(&p).unwrap_or_else(|e| panic!("{e}"))).finish(&mut df).unwrap_or_else(|e| panic!("{e}"));
    let sha = cchc::write::parquet::file_sha256(&p).unwrap_or_else(|e| panic!("{e}"));
    let mpath = out.join(MANIFEST);
    let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&mpath).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    for t in m["tables"].as_array_mut().into_iter().flatten() {
        if t["table"] == "figures" {
            t["sha256"] = serde_json::Value::String(sha.clone());
        }
    }
    std::fs::write(&mpath, m.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let o = run(bin().arg("check").arg(&out));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("figures.parquet") && text(&o).contains("kind"), "{}", text(&o));
}

#[test]
fn lock_debris_and_second_run() {
    let dir = tmp();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{e}"));
    // Debris of a killed run is cleaned; a stale lock (dead pid) is taken over.
    write(&out.join(".cchc-dead.parquet.tmp"), b"junk");
    let mut child = Command::new("true").spawn().unwrap_or_else(|e| panic!("{e}"));
    let dead = child.id();
    let _ = child.wait();
    write(&out.join(".cchc.lock"), format!("{dead}\n").as_bytes());
    small_dataset(&out);
    assert!(!out.join(".cchc-dead.parquet.tmp").exists());
    assert!(!out.join(".cchc.lock").exists());
    // A live run holds the lock: a second run exits 2 with a clear message.
    write(&out.join(".cchc.lock"), format!("{}\n", std::process::id()).as_bytes());
    let (o, _) = extract(&[&root().join("fixtures/text/000_cam_thanh_cchc_2025.txt")], &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("another cchc run"), "{}", text(&o));
    // The dataset of the first run is untouched and still reads.
    assert!(read_dataset(&out).is_ok());
    std::fs::remove_file(out.join(".cchc.lock")).unwrap_or_else(|e| panic!("{e}"));
}

// ------------------------------------------------------------ config, inspect

#[test]
fn bad_check_config_exits_2_naming_file_and_key() {
    let dir = tmp();
    let f = root().join("fixtures/text/001_tq_trong_q1_2025.txt");
    for (body, key) in [
        ("[ratio_percent]\nseverity = \"eror\"\n", "ratio_percent.severity"),
        ("[percent_bounds]\nmax = nan\n", "percent_bounds.max"),
        ("[table_series]\nrate_tolerance = -1.0\n", "table_series.rate_tolerance"),
        ("[count_bounds]\ndeadline_words = []\n", "count_bounds.deadline_words"),
        ("[nope]\nenabled = false\n", "nope"),
        ("[parts_total]\nmarkerz = [\"gồm\"]\n", "parts_total.markerz"),
    ] {
        let cfg = dir.path().join("bad.toml");
        write(&cfg, body.as_bytes());
        let o = run(bin().arg("check").arg(&f).arg("--config").arg(&cfg));
        assert_eq!(o.status.code(), Some(2), "{body}: {}", text(&o));
        let t = text(&o);
        assert!(t.contains("bad.toml") && t.contains(key), "{body}: {t}");
    }
}

#[test]
fn inspect_exits_1_on_a_failed_file() {
    let o = run(bin().arg("inspect").arg("/nonexistent/report.txt"));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = run(bin().arg("inspect").arg(root().join("fixtures/text/001_tq_trong_q1_2025.txt")));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Same inputs, -j 1 and -j 2: byte-identical Parquet.
#[test]
fn deterministic_across_threads() {
    let dir = tmp();
    let d = dir.path().join("in");
    let good = std::fs::read(root().join("fixtures/text/001_tq_trong_q1_2025.txt")).unwrap_or_else(|e| panic!("{e}"));
    write(&d.join("a.txt"), &good);
    write(&d.join("b.txt"), &good);
    write(&d.join("c.docx"), &docx(format!("<w:document {NS}><w:body>{}", para("Tiếp nhận 831/832 hồ sơ đạt 99,87%")).as_bytes()));
    let (o1, _) = extract(&[&d], &dir.path().join("o1"), &["-j", "1"]);
    let (o2, _) = extract(&[&d], &dir.path().join("o2"), &["-j", "2"]);
    assert_eq!(o1.status.code(), o2.status.code());
    for (stem, _) in cchc::write::parquet::OUTPUTS {
        let a = std::fs::read(dir.path().join("o1").join(format!("{stem}.parquet"))).unwrap_or_default();
        let b = std::fs::read(dir.path().join("o2").join(format!("{stem}.parquet"))).unwrap_or_default();
        assert!(!a.is_empty() && a == b, "{stem}.parquet differs");
    }
}

/// Pathological text lines: every one finishes within the (generous) time
/// budget with all its figures, bounded by the figure cap when asked. Speed
/// itself is measured by `benches/hostile_text.sh` (release), not here.
#[test]
fn pathological_lines_are_processed_whole_or_cut_with_a_reason() {
    let dir = tmp();
    let rate = dir.path().join("tyle.txt");
    write(&rate, "tỷ lệ 100% ".repeat(20_000).as_bytes());
    let slashes = dir.path().join("slashes.txt");
    write(&slashes, format!("{}1", "1/".repeat(200_000)).as_bytes());
    let counts = dir.path().join("counts.txt");
    write(&counts, "có 12 hồ sơ, đạt 50% ".repeat(1_500).as_bytes());
    let out = dir.path().join("out");
    let (o, _) = extract(&[&rate, &slashes, &counts], &out, &["--file-timeout", "600", "--max-figures", "2000"]);
    assert!(matches!(o.status.code(), Some(0) | Some(1)), "{}", text(&o));
    let ds = cchc::write::parquet::read_dataset(&out).unwrap_or_else(|e| panic!("{e:#}"));
    let figures_of = |name: &str| {
        let id = &row(&ds, name).doc_id;
        ds.figures.iter().filter(|f| &f.doc_id == id).count()
    };
    // 20 000 percents, each a figure and a claim; one line of 200 KB.
    assert_eq!(row(&ds, "tyle.txt").status, Status::Partial, "{:?}", row(&ds, "tyle.txt"));
    assert_eq!(figures_of("tyle.txt"), 2000);
    assert!(row(&ds, "tyle.txt").error.as_deref().is_some_and(|e| e.contains("more than 2000 figures") && e.contains("line 1")));
    // "1/1/1/…" is one code, not 200 000 counts or fractions.
    assert_eq!(row(&ds, "slashes.txt").status, Status::Partial);
    assert_eq!(figures_of("slashes.txt"), 0);
    // 3 000 figures under the cap of 2 000: cut, with the reason; a paragraph
    // of more than 5 000 figures also warns that sentences are cut.
    assert_eq!(figures_of("counts.txt"), 2000);
    let (o, _) = extract(&[&rate], &dir.path().join("out2"), &["--file-timeout", "600"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let ds = cchc::write::parquet::read_dataset(&dir.path().join("out2")).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(row(&ds, "tyle.txt").status, Status::Ok);
    assert_eq!(ds.figures.len(), 20_000);
    assert_eq!(ds.claims.len(), 20_000);
    assert!(row(&ds, "tyle.txt").warnings.as_deref().is_some_and(|w| w.contains("20000 figures")), "{:?}", row(&ds, "tyle.txt").warnings);
}
