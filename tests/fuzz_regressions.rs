//! Fuzz regressions (issue #13): every input saved by `examples/fuzz.rs`
//! under `fuzz/findings/<target>/` runs again through its target, plus
//! hand-written hostile strings for the grammars. Each must finish without
//! a panic (including panics the library catches itself), within a time
//! bound, with bounded output.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use cchc::parse::figures::{parse_value, scan};
use cchc::parse::sections::{bullet, marker, starts_with_marker};
use cchc::pipeline::{process_bytes, Options};

static PANICS: AtomicU64 = AtomicU64::new(0);
static LAST: Mutex<String> = Mutex::new(String::new());
static HOOK: Once = Once::new();
/// The tests share the panic counter: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn hook() {
    HOOK.call_once(|| {
        let old = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut m) = LAST.lock() {
                *m = info.to_string();
            }
            old(info);
        }));
    });
}

/// Generous: debug build, shared machine.
const LIMIT: Duration = Duration::from_secs(20);

/// Runs `f`, failing on any panic (even one caught inside) or overrun.
fn check(what: &str, f: impl FnOnce()) {
    hook();
    let before = PANICS.load(Ordering::SeqCst);
    let t = Instant::now();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let took = t.elapsed();
    let msg = LAST.lock().map(|m| m.clone()).unwrap_or_default();
    assert!(r.is_ok() && PANICS.load(Ordering::SeqCst) == before, "{what}: panicked: {msg}");
    assert!(took < LIMIT, "{what}: took {took:?}");
}

fn figures(text: &str) {
    for line in text.split('\n') {
        let found = scan(line);
        assert!(found.len() <= line.len() + 1, "more figures than bytes in {line:?}");
        for x in &found {
            assert!(x.start <= x.end && x.end <= line.len(), "figure outside its line: {x:?}");
            // A figure's own text reads back as a value of a kind (or as no value at all).
            assert!(parse_value(x.raw(line)).is_none_or(|v| v.kind.is_some()), "{x:?} in {line:?}");
        }
        assert!(parse_value(line).is_none_or(|v| v.kind.is_some()), "{line:?}");
    }
}

fn sections(text: &str) {
    for line in text.split('\n') {
        if let Some(m) = marker(line) {
            assert!(m.len <= line.len(), "marker longer than its line: {m:?} in {line:?}");
        }
        // A heading marker or a bullet always starts a paragraph.
        if marker(line).is_some() || bullet(line) {
            assert!(starts_with_marker(line), "{line:?}");
        }
    }
}

fn pipeline(name: &str, bytes: &[u8]) {
    let e = process_bytes(name, bytes, &Options::default());
    let err = e.document.error.clone().unwrap_or_default();
    assert!(!err.contains("internal error"), "{name}: {err}");
}

fn findings(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/findings").join(target);
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    v.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "docx" | "pdf")));
    v.sort();
    v
}

/// Inputs saved as slow (`slow-*`: over 2 s in a release build) replay only
/// in a release build (`cargo test --release --test fuzz_regressions`): a
/// debug build is ~10 times slower. Crashes, hangs and aborts always replay.
fn replay(target: &str, run: impl Fn(&[u8])) {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for p in findings(target) {
        let slow = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("slow-"));
        if slow && cfg!(debug_assertions) {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        check(&p.display().to_string(), || run(&bytes));
    }
}

/// Hostile strings for the grammars (hand-written seeds).
fn hostile() -> Vec<String> {
    let mut v: Vec<String> = [
        "843/847 (99,52%)",
        "1.246.",
        "1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.",
        "a)b)c)d)",
        "I.II.III.IV.",
        "MMMMMMMMMMMMMMMMMMMMMMM. Nội dung",
        "XLIXLIXLIXLIXLIXLIXLIXLI. Tổng",
        "(((((((((((((((((((((((((((((",
        ")))))))))))))))))))))))))",
        "…………………………/////////////////",
        "xếp hạng 13/63/63/63/63/63",
        "tỷ lệ trong đó tỷ lệ trong đó 0/0 (0%)",
        "99,52%%%%%%%%%%%%%%%",
        "1,,,,,,,,,,,2",
        "\u{0}\r\t\u{feff}\u{301}\u{301}\u{301}1.",
        "a\u{301}\u{301}\u{301}\u{301}) Nội dung",
        "Phần I. Phần II. Điều 1. Điều 99999999999999999999.",
        "ngày 99/99/99999 tháng 13 năm -1",
        "quý V/2025, quý 0/0",
        "1.000.000.000.000.000.000.000.000.000.000.000.000 đồng",
        "1e308/1e-308",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    v.push("9".repeat(5000));
    v.push("1.".repeat(3000));
    v.push("1/".repeat(3000));
    v.push("(".repeat(5000) + "1" + &")".repeat(5000));
    v.push("843/847 ".repeat(2000));
    v.push("99,52% trong đó ".repeat(1000));
    v.push("\u{301}".repeat(5000));
    v
}

#[test]
fn figures_findings_and_hostile_strings() {
    replay("figures", |b| figures(&String::from_utf8_lossy(b)));
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for s in hostile() {
        check(&format!("figures {:?}", s.chars().take(40).collect::<String>()), || figures(&s));
    }
}

#[test]
fn sections_findings_and_hostile_strings() {
    replay("sections", |b| sections(&String::from_utf8_lossy(b)));
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for s in hostile() {
        check(&format!("sections {:?}", s.chars().take(40).collect::<String>()), || sections(&s));
    }
}

#[test]
fn claims_findings_and_hostile_strings() {
    replay("claims", |b| pipeline("fuzz.txt", b));
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let all = hostile().join("\n");
    check("claims: all hostile strings as one text", || pipeline("fuzz.txt", all.as_bytes()));
}

#[test]
fn docx_findings() {
    replay("docx", |b| pipeline("fuzz.docx", b));
}

#[test]
fn pdf_findings() {
    replay("pdf", |b| pipeline("fuzz.pdf", b));
}
