//! The `tesseract` child process: probe, one page in TSV, parse.
//!
//! A child process (not a library binding): no C headers at build time, and
//! a crash or a hang on a hostile image kills one page, never the batch
//! (the child is killed at its timeout). `OMP_THREAD_LIMIT=1`: pages run in
//! parallel already, Tesseract's own threads would fight them.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use image::GrayImage;

use super::{Engine, OcrError};

/// Longest a page may take (a 300 dpi A4 page takes ~3 s).
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest `tesseract --list-langs` may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// Checks that `exe` runs and has the Vietnamese model.
pub(crate) fn probe(exe: &Path) -> Result<Engine, OcrError> {
    let child = Command::new(exe)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| OcrError::NotInstalled { exe: exe.display().to_string(), source })?;
    let (out, err) = wait_output(child, Instant::now() + PROBE_TIMEOUT)?;
    // Tesseract 3 printed the list on stderr.
    let text = format!("{}\n{}", String::from_utf8_lossy(&out), String::from_utf8_lossy(&err));
    let langs: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.contains(' ') && !l.ends_with(':')).collect();
    if !langs.contains(&"vie") {
        return Err(OcrError::NoVietnamese(if langs.is_empty() { "none".into() } else { langs.join(", ") }));
    }
    Ok(Engine { exe: exe.to_path_buf() })
}

/// OCR of one grey page image (written as PGM to a temporary file) in TSV
/// form, with page layout analysis (`--psm 3`).
pub(crate) fn run_tsv(engine: &Engine, img: &GrayImage, dpi: f32, deadline: Option<Instant>) -> Result<String, OcrError> {
    run_tsv_with(engine, img, dpi, 3, None, deadline)
}

/// [`run_tsv`] with another page segmentation mode (`6`: one block of text)
/// and optionally only the characters of `whitelist`.
pub(crate) fn run_tsv_with(
    engine: &Engine,
    img: &GrayImage,
    dpi: f32,
    psm: u8,
    whitelist: Option<&str>,
    deadline: Option<Instant>,
) -> Result<String, OcrError> {
    let mut file = tempfile::Builder::new().prefix("cchc-ocr-").suffix(".pgm").tempfile()?;
    {
        let mut w = std::io::BufWriter::new(file.as_file_mut());
        write!(w, "P5\n{} {}\n255\n", img.width(), img.height())?;
        w.write_all(img.as_raw())?;
        w.flush()?;
    }
    let mut cmd = Command::new(&engine.exe);
    if let Some(chars) = whitelist {
        cmd.args(["-c", &format!("tessedit_char_whitelist={chars}")]);
    }
    let child = cmd
        .arg(file.path())
        .arg("stdout")
        .args(["-l", "vie", "--psm"])
        .arg(psm.to_string())
        .arg("--dpi")
        .arg(format!("{}", dpi.round()))
        .args(["-c", "preserve_interword_spaces=0", "tsv"])
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| OcrError::NotInstalled { exe: engine.exe.display().to_string(), source })?;
    let mut until = Instant::now() + PAGE_TIMEOUT;
    if let Some(d) = deadline {
        until = until.min(d);
    }
    let (out, err) = wait_output(child, until)?;
    let text = String::from_utf8_lossy(&out).into_owned();
    if !text.starts_with("level") {
        let why = String::from_utf8_lossy(&err);
        return Err(OcrError::Failed(why.lines().last().unwrap_or("no output").trim().to_string()));
    }
    Ok(text)
}

/// Waits for a child, reading its output, until `until`; then kills it.
pub(crate) fn wait_output(mut child: Child, until: Instant) -> Result<(Vec<u8>, Vec<u8>), OcrError> {
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            // Bounded: only the last message matters.
            let _ = s.take(1 << 16).read_to_end(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if Instant::now() >= until {
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::Timeout(started.elapsed().as_secs()));
        }
        std::thread::sleep(Duration::from_millis(15));
    }
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    Ok((out, err))
}

/// One word of Tesseract's TSV (level 5), in image pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct TsvWord {
    pub block: u32,
    pub par: u32,
    pub line: u32,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    /// 0–100.
    pub conf: f32,
    pub text: String,
}

/// Words of a TSV output (rows of other levels, empty words and malformed
/// rows skipped).
pub fn parse_tsv(tsv: &str) -> Vec<TsvWord> {
    let mut words = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.splitn(12, '\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let int = |s: &str| s.trim().parse::<u32>().ok();
        let num = |s: &str| s.trim().parse::<f32>().ok();
        let (Some(block), Some(par), Some(line), Some(left), Some(top), Some(width), Some(height), Some(conf)) =
            (int(f[2]), int(f[3]), int(f[4]), num(f[6]), num(f[7]), num(f[8]), num(f[9]), num(f[10]))
        else {
            continue;
        };
        words.push(TsvWord { block, par, line, left, top, width, height, conf: conf.clamp(0.0, 100.0), text: text.to_string() });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\tBáo\n\
                   5\t1\t1\t1\t1\t2\t45\t20\t30\t12\t-1\t \n\
                   5\t1\t1\t1\t2\t1\t10\tx\t30\t12\t90\tbad\n\
                   5\t1\t2\t1\t1\t1\t10\t40\t40\t12\t71\t99,52%\n";
        let w = parse_tsv(tsv);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].text, "Báo");
        assert_eq!((w[0].left, w[0].conf), (10.0, 96.5));
        assert_eq!((w[1].block, w[1].text.as_str()), (2, "99,52%"));
    }

    #[test]
    fn missing_tesseract_is_reported() {
        let e = probe(Path::new("/nonexistent/tesseract"));
        assert!(matches!(e, Err(OcrError::NotInstalled { .. })), "{e:?}");
    }
}
