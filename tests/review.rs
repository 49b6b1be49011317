//! The review page of `fixtures/`, opened in headless Chromium (Debian
//! `chromium`, installed by `.ci/run`): `review.html#selftest` runs the page's
//! own checks after load and writes them as JSON into `script#selftest`,
//! which `--dump-dom` prints.  Checked here against `findings.parquet` read
//! back with polars: one `.finding` entry per row, each with one
//! `mark.quote` whose text is the row's `quote`; the severity filter hides
//! every other entry; no script error or console message; a screenshot that
//! is not blank (decoded).  `CCHC_UPDATE_SCREENSHOT=1` copies the screenshot
//! to `docs/review.png` (shown in the README).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use polars::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
}

/// `CCHC_CHROMIUM`, else `chromium` / `chromium-browser` on PATH.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CCHC_CHROMIUM") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!("chromium not found on PATH (Debian: apt-get install chromium; .ci/run installs it), or set CCHC_CHROMIUM");
}

/// Runs headless Chromium with `args` on `url`; stdout and stderr go to files
/// (the DOM is larger than a pipe buffer); killed after two minutes.
fn run_chromium(work: &Path, tag: &str, args: &[&str], url: &str) -> (String, String) {
    let profile = work.join(format!("profile-{tag}"));
    let out_path = work.join(format!("{tag}.out"));
    let err_path = work.join(format!("{tag}.err"));
    let out = std::fs::File::create(&out_path).unwrap_or_else(|e| panic!("{e}"));
    let err = std::fs::File::create(&err_path).unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("starting chromium: {e}"));
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > Duration::from_secs(120) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium {tag} did not finish in 120 s");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("waiting for chromium: {e}"),
        }
    }
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    (read(&out_path), read(&err_path))
}

fn str_col(df: &DataFrame, name: &str) -> Vec<String> {
    let c = df.column(name).and_then(|c| c.str().cloned()).unwrap_or_else(|e| panic!("{name}: {e}"));
    (0..df.height()).map(|i| c.get(i).unwrap_or("").to_string()).collect()
}

/// Not blank: several colours and a fair share of non-white pixels.
fn assert_not_blank(png_path: &Path) {
    let file = std::fs::File::open(png_path).unwrap_or_else(|e| panic!("{}: {e}", png_path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{}: {e}", png_path.display()));
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or_else(|| panic!("PNG too large"))];
    let info = reader.next_frame(&mut buf).unwrap_or_else(|e| panic!("{}: {e}", png_path.display()));
    let channels = info.color_type.samples();
    assert!(info.width >= 1000 && info.height >= 1000, "screenshot {}×{}", info.width, info.height);
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks_exact(channels).collect();
    let colours: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
    let non_white = pixels.iter().filter(|p| p.iter().take(3).any(|&v| v < 235)).count();
    let share = non_white as f64 / pixels.len() as f64;
    assert!(colours.len() >= 32, "screenshot has only {} colours", colours.len());
    assert!(share > 0.02, "screenshot is almost blank ({:.3}% non-white)", share * 100.0);
}

/// Opens `page#selftest` and checks its findings against `findings.parquet`;
/// returns the self-test result.
fn check_page(work: &Path, page: &Path, tag: &str, quote_of: &BTreeMap<&str, &str>, severities: &[String]) -> serde_json::Value {
    let url = format!("file://{}#selftest", page.display());
    let started = Instant::now();
    let (dom, log) = run_chromium(work, tag, &["--virtual-time-budget=20000", "--dump-dom"], &url);
    eprintln!("chromium --dump-dom ({tag}): {:.2} s", started.elapsed().as_secs_f64());
    let open = "<script type=\"application/json\" id=\"selftest\">";
    let start = dom.find(open).map(|i| i + open.len()).unwrap_or_else(|| panic!("no selftest result in the DOM; chromium log:\n{log}"));
    let end = dom[start..].find("</script>").map(|i| start + i).unwrap_or_else(|| panic!("selftest result not closed"));
    let r: serde_json::Value = serde_json::from_str(&dom[start..end]).unwrap_or_else(|e| panic!("selftest JSON: {e}"));

    // No script error, no console message.
    assert_eq!(r["errors"], serde_json::json!([]), "script errors on the page");
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");

    // One entry per finding, its highlighted span = its quote.
    let entries = r["findings"].as_array().unwrap_or_else(|| panic!("no findings array"));
    assert_eq!(entries.len(), quote_of.len(), "finding entries on the page vs rows of findings.parquet");
    let mut seen = std::collections::BTreeSet::new();
    for e in entries {
        let id = e["id"].as_str().unwrap_or_default();
        let want = quote_of.get(id).unwrap_or_else(|| panic!("finding {id} is not in findings.parquet"));
        assert_eq!(e["quote_marks"], 1, "{id}: expected one mark.quote");
        assert_eq!(e["mark"].as_str(), Some(*want), "{id}: highlighted text differs from quote");
        seen.insert(id);
    }
    assert_eq!(seen.len(), quote_of.len());

    // The severity filter shows exactly that severity.
    let flt = &r["filter"];
    let sev = flt["severity"].as_str().unwrap_or_else(|| panic!("no filter result: {r}"));
    let expected = severities.iter().filter(|s| *s == sev).count();
    assert_eq!(flt["expected"], expected);
    assert_eq!(flt["visible"], expected, "{flt}");
    assert_eq!(flt["visible_other"], 0, "{flt}");
    assert_eq!(flt["hidden_other"], quote_of.len() - expected, "{flt}");
    assert_eq!(flt["after_reset"], quote_of.len(), "{flt}");

    r
}

#[test]
fn review_page_of_fixtures_in_chromium() {
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ds = work.path().join("ds");
    // Relative paths: the committed screenshot shows "fixtures/…" and "ds".
    let o = bin()
        .current_dir(root())
        .arg("extract")
        .arg("fixtures")
        .arg("--out")
        .arg(&ds)
        .arg("--quiet")
        .arg("--review")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    // fixtures/ holds an encrypted, a truncated and an image-only PDF: exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(ds.join("review.html").is_file(), "extract --review wrote no review.html");
    let page = work.path().join("review.html");
    let o = bin().current_dir(work.path()).arg("review").arg("ds").arg("--out").arg(&page).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{e}"));
    assert!(html.contains("<meta charset=\"utf-8\">") && html.contains("phường Trương Quang Trọng"), "page lacks charset or Vietnamese text");
    for remote in ["http://", "https://", "src=\"//"] {
        assert!(!html.replace("http://www.w3.org/2000/svg", "").contains(remote), "page refers to the network: {remote}");
    }

    let f = std::fs::File::open(ds.join("findings.parquet")).unwrap_or_else(|e| panic!("{e}"));
    let findings = ParquetReader::new(f).finish().unwrap_or_else(|e| panic!("{e}"));
    let ids = str_col(&findings, "finding_id");
    let quotes = str_col(&findings, "quote");
    let severities = str_col(&findings, "severity");
    assert!(findings.height() > 50, "fixtures give {} findings", findings.height());
    let quote_of: BTreeMap<&str, &str> = ids.iter().map(String::as_str).zip(quotes.iter().map(String::as_str)).collect();
    assert_eq!(quote_of.len(), findings.height(), "finding_id is not unique");

    let inline = check_page(work.path(), &page, "inline", &quote_of, &severities);
    assert_eq!(inline["packed"], 0, "fixtures' page (60 documents) has inline details");
    // The same page with packed details: unpacked in the browser, same content.
    let lazy_page = work.path().join("review-lazy.html");
    let o = bin().arg("review").arg(&ds).arg("--out").arg(&lazy_page).args(["--details", "lazy"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lazy = check_page(work.path(), &lazy_page, "lazy", &quote_of, &severities);
    assert!(lazy["packed"].as_u64().is_some_and(|n| n > 0) && lazy["packed"] == lazy["unpacked"], "packed {} unpacked {}", lazy["packed"], lazy["unpacked"]);
    for key in ["appendix_tables", "flagged_cells", "claims", "sections"] {
        assert_eq!(inline[key], lazy[key], "{key}: inline vs unpacked lazy page");
    }
    assert!(inline["flagged_cells"].as_u64().is_some_and(|n| n > 0), "no flagged appendix cell");
    assert!(inline["appendix_tables"].as_u64().is_some_and(|n| n > 0), "no appendix table");

    // Screenshot, decoded.
    let shot = work.path().join("review.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    run_chromium(work.path(), "shot", &[&shot_arg, "--window-size=1280,2000"], &format!("file://{}", page.display()));
    assert_not_blank(&shot);
    if std::env::var_os("CCHC_UPDATE_SCREENSHOT").is_some_and(|v| v == "1") {
        std::fs::copy(&shot, root().join("docs/review.png")).unwrap_or_else(|e| panic!("{e}"));
    }
}
