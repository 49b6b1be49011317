//! The whole pipeline for one file and for a batch: ingest → layout → parse
//! (sections, figures, tables, metadata). Never fails: a file that cannot
//! be read becomes a `failed` document row with its reason.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

use crate::check::CheckConfig;
use crate::ingest::{auto, IngestError, IngestOptions};
use crate::layout::{layout, Layout};
use crate::model::{Cell, Dataset, DocMeta, DocumentRow, Extracted, Format, Ingested, Severity, Status};
use crate::parse::metadata;
use crate::parse::sections::{self, short};
use crate::tables;
use crate::write::parquet::StreamWriter;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub ingest: IngestOptions,
    /// Check configuration (None = schemas/check.toml defaults).
    pub check: Option<std::sync::Arc<CheckConfig>>,
    /// Per-file wall time and size budget.
    pub budget: crate::guard::Budget,
}

static BUILTIN_CHECK: once_cell::sync::Lazy<CheckConfig> = once_cell::sync::Lazy::new(CheckConfig::builtin);

impl Options {
    pub fn check_config(&self) -> &CheckConfig {
        self.check.as_deref().unwrap_or(&BUILTIN_CHECK)
    }
}

/// Documents handed to the writer together.
pub const CHUNK: usize = 64;

/// Totals of a streamed run (the rows themselves went to disk).
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: Vec<DocumentRow>,
    pub sections: usize,
    pub figures: usize,
    pub cells: usize,
    pub findings: usize,
    pub error_findings: usize,
}

/// Extensions picked up when a folder is walked (explicit files are always read).
pub const EXTENSIONS: &[&str] = &["txt", "text", "pdf", "docx", "png", "jpg", "jpeg", "tif", "tiff"];

/// Files under the given paths (folders recursed, sorted, hidden skipped).
/// Paths that could not be walked are dropped here: use [`collect_inputs`]
/// to get them as rows.
pub fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    collect_inputs(paths).files
}

/// The files of a run and the paths skipped while walking folders, with
/// their reason (each skipped path becomes a `failed` row).
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<(PathBuf, String)>,
}

/// Files under the given paths: folders recursed in name order (hidden
/// entries skipped), symbolic links followed with loop detection; an
/// unreadable subfolder, a broken link or a loop is reported in `skipped`.
/// Non-regular files with a report extension (FIFO, socket) are kept so that
/// they get a `failed` row; they are never opened.
pub(crate) fn collect_inputs(paths: &[PathBuf]) -> Inputs {
    let mut out = Inputs::default();
    for p in paths {
        if p.is_dir() {
            let walker = walkdir::WalkDir::new(p)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
            for e in walker {
                match e {
                    Ok(e) => {
                        let ext = e.path().extension().map(|x| x.to_string_lossy().to_lowercase()).unwrap_or_default();
                        if !e.file_type().is_dir() && EXTENSIONS.contains(&ext.as_str()) {
                            out.files.push(e.into_path());
                        }
                    }
                    Err(err) => {
                        let path = err.path().map_or_else(|| p.clone(), Path::to_path_buf);
                        let reason = match (err.loop_ancestor(), err.io_error()) {
                            (Some(a), _) => format!("symbolic link loop (points back to {}): skipped", a.display()),
                            (None, Some(io)) if io.kind() == std::io::ErrorKind::NotFound => format!("broken symbolic link: skipped ({io})"),
                            (None, Some(io)) if io.raw_os_error() == Some(libc::ELOOP) => format!("symbolic link loop: skipped ({io})"),
                            (None, Some(io)) => format!("unreadable: skipped ({io})"),
                            (None, None) => format!("skipped: {err}"),
                        };
                        out.skipped.push((path, reason));
                    }
                }
            }
        } else {
            out.files.push(p.clone());
        }
    }
    out.skipped.sort();
    out.skipped.dedup();
    out
}

/// `failed` rows for the paths skipped while walking.
pub(crate) fn skipped_rows(inputs: &Inputs) -> Vec<Extracted> {
    inputs
        .skipped
        .iter()
        .map(|(p, reason)| {
            let shown = p.display().to_string();
            failed(&shown, &doc_id_of(None, &shown), guess_format(p), reason, 0)
        })
        .collect()
}

/// Marks rows whose bytes were already seen in this run (first path kept
/// in `seen`): a warning "same bytes as PATH" on the later ones.
fn note_duplicates(seen: &mut std::collections::HashMap<String, String>, results: &mut [Extracted]) {
    for e in results {
        let d = &mut e.document;
        let Some(sha) = d.content_sha256.clone() else { continue };
        match seen.get(&sha) {
            Some(first) => {
                let note = format!("same bytes as {first}");
                d.warnings = Some(match d.warnings.take() {
                    Some(w) => format!("{w}; {note}"),
                    None => note,
                });
            }
            None => {
                seen.insert(sha, d.path.clone());
            }
        }
    }
}

/// Runs the pipeline over many files in parallel; `on_done` is called after
/// each file (progress bar, stderr lines).
pub fn run(files: &[PathBuf], opts: &Options, on_done: &(dyn Fn(&Extracted) + Sync)) -> Dataset {
    let mut results: Vec<Extracted> = files
        .par_iter()
        .map(|f| {
            let e = process_file_budgeted(f, opts);
            on_done(&e);
            e
        })
        .collect();
    note_duplicates(&mut std::collections::HashMap::new(), &mut results);
    let mut ds = Dataset::default();
    for e in results {
        ds.push(e);
    }
    let cross = cross_document(&ds, opts.check_config());
    ds.findings.extend(cross);
    ds
}

/// target_vs_result between documents of `ds`, numbered after each
/// document's own findings.
fn cross_document(ds: &Dataset, cfg: &CheckConfig) -> Vec<crate::model::Finding> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in &ds.findings {
        *counts.entry(f.doc_id.clone()).or_default() += 1;
    }
    crate::check::check_cross(ds, cfg, &counts)
}

/// Runs the pipeline over many files and streams the rows to `writer` in
/// file order, [`CHUNK`] documents at a time. The workers take the files in
/// order, each as soon as it is free (no barrier between chunks), and never
/// run more than [`AHEAD`] files ahead of the oldest document not yet handed
/// to the writer: memory is bounded by about `CHUNK + AHEAD` documents plus
/// the document rows. The calling thread is one of the `-j` threads: it
/// writes each chunk when it is complete and reads files in between, so a
/// run uses the cores it was given and no more. Documents that form a
/// plan/report pair are read again at the end for the cross-document rule
/// (rare, and only those).
pub(crate) fn run_streaming(inputs: &Inputs, opts: &Options, writer: &mut StreamWriter, on_done: &(dyn Fn(&Extracted) + Sync)) -> anyhow::Result<Summary> {
    let files = &inputs.files;
    let mut sink = Sink { writer, seen: HashMap::new(), own_findings: HashMap::new(), sum: Summary::default() };
    let window = Window::new(AHEAD);
    let next_file = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Extracted)>();
    // `-j N` is N threads in all: this thread is one of them (it reads files
    // too, and writes each chunk as soon as it is complete); the other N - 1
    // run in the current rayon pool (the global one sized by `-j`).
    let helpers = rayon::current_num_threads().saturating_sub(1);
    let work = Work { files, opts, on_done, window: &window, next_file: &next_file };
    let written = rayon::in_place_scope(|s| {
        let work = &work;
        for _ in 0..helpers {
            let tx = tx.clone();
            s.spawn(move |_| {
                let _stop_others = CloseOnUnwind(work.window);
                while let Some(i) = work.claim_waiting() {
                    if tx.send((i, work.run(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let _stop_helpers = CloseOnUnwind(work.window);
        let written = sink.work_and_write(&rx, work);
        // On a write error the helpers stop after their current file.
        work.window.close();
        drop(rx);
        written
    });
    written?;
    let Sink { writer, own_findings, mut sum, .. } = sink;
    let skipped = skipped_rows(inputs);
    if !skipped.is_empty() {
        let mut ds = Dataset::default();
        for e in skipped {
            on_done(&e);
            ds.push(e);
        }
        sum.documents.extend(ds.documents.iter().cloned());
        writer.write(&ds)?;
    }
    let cfg = opts.check_config();
    let paired: Vec<PathBuf> = crate::check::targets::paired_documents(&sum.documents, &cfg.target_vs_result).iter().map(|d| PathBuf::from(&d.path)).collect();
    if !paired.is_empty() {
        let mut again = Dataset::default();
        for e in paired.par_iter().map(|f| process_file_budgeted(f, opts)).collect::<Vec<_>>() {
            again.push(e);
        }
        let cross = crate::check::check_cross(&again, cfg, &own_findings);
        let extra = Dataset { findings: cross, ..Dataset::default() };
        sum.add(&extra);
        writer.write(&extra)?;
    }
    Ok(sum)
}

/// What every thread of a streamed run shares: the files, the next one to
/// claim and the window of those that may start.
struct Work<'a> {
    files: &'a [PathBuf],
    opts: &'a Options,
    on_done: &'a (dyn Fn(&Extracted) + Sync),
    window: &'a Window,
    next_file: &'a AtomicUsize,
}

impl Work<'_> {
    /// The next file, once the window lets it start (None: no file left, or
    /// the run is closed).
    fn claim_waiting(&self) -> Option<usize> {
        let i = self.next_file.fetch_add(1, Ordering::Relaxed);
        (i < self.files.len() && self.window.wait_for(i)).then_some(i)
    }

    /// The next file if it may start now (never waits).
    fn claim_now(&self) -> Option<usize> {
        let i = self.next_file.load(Ordering::Relaxed);
        let free = i < self.files.len() && self.window.allows(i);
        (free && self.next_file.compare_exchange(i, i + 1, Ordering::Relaxed, Ordering::Relaxed).is_ok()).then_some(i)
    }

    fn run(&self, i: usize) -> Extracted {
        let e = process_file_budgeted(&self.files[i], self.opts);
        (self.on_done)(&e);
        e
    }
}

/// Files a worker may start ahead of the oldest document not yet taken by
/// the writer.
pub const AHEAD: usize = CHUNK;

/// The files the workers may start: those before `limit`, which the writer
/// moves on as it takes documents in order (or `closed`: start no more).
struct Window {
    state: Mutex<(usize, bool)>,
    moved: Condvar,
}

impl Window {
    fn new(limit: usize) -> Window {
        Window { state: Mutex::new((limit, false)), moved: Condvar::new() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, bool)> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether file `i` may start now (the run is open and `i` is in the window).
    fn allows(&self, i: usize) -> bool {
        let state = self.lock();
        i < state.0 && !state.1
    }

    /// Waits until file `i` may start; false when the run is closed.
    fn wait_for(&self, i: usize) -> bool {
        let mut state = self.lock();
        while i >= state.0 && !state.1 {
            state = self.moved.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        !state.1
    }

    fn release_to(&self, limit: usize) {
        let mut state = self.lock();
        if limit > state.0 {
            state.0 = limit;
            self.moved.notify_all();
        }
    }

    fn close(&self) {
        self.lock().1 = true;
        self.moved.notify_all();
    }
}

/// Closes the window when a worker unwinds (a panic in `on_done`), so that
/// the other workers stop and the panic reaches the caller instead of the
/// writer waiting for the lost document.
struct CloseOnUnwind<'a>(&'a Window);

impl Drop for CloseOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.close();
        }
    }
}

/// The writing side of [`run_streaming`]: documents in file order, written
/// [`CHUNK`] at a time, with the run's totals.
struct Sink<'w> {
    writer: &'w mut StreamWriter,
    /// Content hash → first path with those bytes.
    seen: HashMap<String, String>,
    /// Findings per document (numbering of the cross-document findings).
    own_findings: HashMap<String, usize>,
    sum: Summary,
}

impl Sink<'_> {
    /// Reads files and takes the helpers' results (in any order), and writes
    /// the documents in file order, a chunk as soon as it is complete. Reads
    /// a file itself whenever one may start, else waits for a helper's.
    fn work_and_write(&mut self, rx: &mpsc::Receiver<(usize, Extracted)>, work: &Work) -> anyhow::Result<()> {
        let mut early: BTreeMap<usize, Extracted> = BTreeMap::new();
        let mut next = 0;
        let mut batch: Vec<Extracted> = Vec::with_capacity(CHUNK);
        while next < work.files.len() {
            early.extend(rx.try_iter());
            while let Some(e) = early.remove(&next) {
                next += 1;
                batch.push(e);
                if batch.len() == CHUNK {
                    work.window.release_to(next + AHEAD);
                    self.write(std::mem::take(&mut batch))?;
                }
            }
            work.window.release_to(next + AHEAD);
            if next == work.files.len() {
                break;
            }
            if let Some(i) = work.claim_now() {
                early.insert(i, work.run(i));
                continue;
            }
            // Every file that may start is taken: a helper holds `next`.
            match rx.recv() {
                Ok((i, e)) => {
                    early.insert(i, e);
                }
                // The helpers are gone (one panicked): the scope reports it.
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            self.write(batch)?;
        }
        Ok(())
    }

    fn write(&mut self, mut results: Vec<Extracted>) -> anyhow::Result<()> {
        note_duplicates(&mut self.seen, &mut results);
        let mut ds = Dataset::default();
        for e in results {
            ds.push(e);
        }
        for f in &ds.findings {
            *self.own_findings.entry(f.doc_id.clone()).or_default() += 1;
        }
        self.sum.add(&ds);
        self.sum.documents.extend(ds.documents.iter().cloned());
        self.writer.write(&ds)
    }
}

impl Summary {
    fn add(&mut self, ds: &Dataset) {
        self.sections += ds.sections.len();
        self.figures += ds.figures.len();
        self.cells += ds.cells.len();
        self.findings += ds.findings.len();
        self.error_findings += ds.findings.iter().filter(|f| f.severity == Severity::Error).count();
    }
}

/// One file under its budget (wall time: see [`crate::guard`]); a file
/// over budget or whose worker crashed becomes a `failed` row.
pub(crate) fn process_file_budgeted(path: &Path, opts: &Options) -> Extracted {
    let owned = path.to_path_buf();
    let o = opts.clone();
    match crate::guard::run_budgeted(opts.budget.timeout, move || process_file(&owned, &o)) {
        Ok(e) => e,
        Err(over) => {
            let shown = path.display().to_string();
            let reason = match over {
                crate::guard::Overrun::TooSlow(d) => format!("too slow: not finished after {:.0}s (see --file-timeout)", d.as_secs_f64()),
                crate::guard::Overrun::Crashed => "internal error while reading (please report this file)".to_string(),
            };
            failed(&shown, &doc_id_of(None, &shown), guess_format(path), &reason, 0)
        }
    }
}

/// One file on the calling thread (size cap from `opts.budget`; no time limit).
pub fn process_file(path: &Path, opts: &Options) -> Extracted {
    let shown = path.display().to_string();
    match crate::guard::read_input(path, opts.budget.max_bytes) {
        Ok(bytes) => process_bytes(&shown, &bytes, opts),
        Err(e) => {
            let size = match &e {
                crate::guard::InputError::TooLarge(n, _) => usize::try_from(*n).unwrap_or(usize::MAX),
                _ => 0,
            };
            failed(&shown, &doc_id_of(None, &shown), guess_format(path), &e.to_string(), size)
        }
    }
}

/// `doc_id`: SHA-256 of the content hash (empty when unread), a NUL and the
/// path, so that two paths with the same bytes get two ids.
pub(crate) fn doc_id_of(content_sha256: Option<&str>, path: &str) -> String {
    let mut h = Sha256::new();
    h.update(content_sha256.unwrap_or("").as_bytes());
    h.update([0u8]);
    h.update(path.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Format of a file that could not be read (by its extension).
fn guess_format(path: &Path) -> Format {
    auto::sniff(&[], Some(path))
}

pub fn sha_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn failed(path: &str, doc_id: &str, format: Format, reason: &str, bytes: usize) -> Extracted {
    let status = if reason.contains("needs OCR") { Status::NeedsOcr } else { Status::Failed };
    Extracted {
        document: DocumentRow {
            doc_id: doc_id.to_string(),
            path: path.to_string(),
            content_sha256: None,
            format,
            encoding: None,
            status,
            error: Some(reason.to_string()),
            meta: DocMeta::default(),
            pages: None,
            bytes: i64::try_from(bytes).unwrap_or(i64::MAX),
            warnings: None,
            text_source: crate::model::TextSource::TextLayer,
            ocr_confidence: None,
        },
        sections: vec![],
        figures: vec![],
        cells: vec![],
        footnotes: vec![],
        findings: vec![],
        claims: vec![],
    }
}

/// The pipeline on bytes already read. Panics inside a stage are caught and
/// reported as a failed document (defence in depth: no stage should panic).
pub fn process_bytes(path: &str, bytes: &[u8], opts: &Options) -> Extracted {
    let content = sha_hex(bytes);
    let mut e = process_bytes_inner(path, &doc_id_of(Some(&content), path), bytes, opts);
    e.document.content_sha256 = Some(content);
    // Every degraded row says why.
    if e.document.status != Status::Ok && e.document.error.as_deref().is_none_or(|m| m.trim().is_empty()) {
        e.document.error = Some(e.document.warnings.clone().filter(|w| !w.trim().is_empty()).unwrap_or_else(|| "no reason recorded".into()));
    }
    e
}

fn process_bytes_inner(path: &str, doc_id: &str, bytes: &[u8], opts: &Options) -> Extracted {
    let doc_id = doc_id.to_string();
    let format = auto::sniff(bytes, Some(Path::new(path)));
    let mut ingested = match std::panic::catch_unwind(|| auto::read(bytes, &opts.ingest)) {
        Ok(Ok(i)) => i,
        Ok(Err(e)) => return failed(path, &doc_id, format, &ingest_reason(&e), bytes.len()),
        Err(_) => return failed(path, &doc_id, format, "internal error while reading (please report this file)", bytes.len()),
    };
    if crate::guard::expired() {
        return failed(path, &doc_id, ingested.format, "too slow: time budget spent after reading (see --file-timeout)", bytes.len());
    }
    if ingested.ocr.is_some() {
        // Look-alike letters in OCRed numbers, only where the figure grammar reads the result.
        let fixed = crate::ingest::ocr::correct::fix_digits(&mut ingested, &|w| crate::parse::figures::parse_value(w).is_some());
        if fixed > 0 {
            ingested.warnings.push(format!("OCR: {fixed} number(s) with letters read as digits (O→0, l/I→1)"));
        }
    }
    if matches!(ingested.status, Status::NeedsOcr | Status::Failed) {
        let mut e = failed(path, &doc_id, ingested.format, &ingested.warnings.join("; "), bytes.len());
        e.document.status = ingested.status;
        e.document.pages = ingested.pages.and_then(|p| i32::try_from(p).ok());
        return e;
    }
    match std::panic::catch_unwind(|| extract_with(path, &doc_id, bytes.len(), &ingested, opts)) {
        Ok(e) => e,
        Err(_) => failed(path, &doc_id, ingested.format, "internal error while parsing (please report this file)", bytes.len()),
    }
}

fn ingest_reason(e: &IngestError) -> String {
    e.to_string()
}

/// Layout + parse of an ingested document (default check configuration).
pub fn extract(path: &str, doc_id: &str, nbytes: usize, ing: &Ingested) -> Extracted {
    extract_with(path, doc_id, nbytes, ing, &Options::default())
}

/// Layout + parse + indicators + the per-document checks.
pub(crate) fn extract_with(path: &str, doc_id: &str, nbytes: usize, ing: &Ingested, opts: &Options) -> Extracted {
    let check = opts.check_config();
    let lay = layout(ing, tables::find_regions(&ing.lines));
    let (sections, owner) = sections::build(doc_id, &lay.paras);
    let (mut figures, placed, crowded, cut_at) = crate::parse::prose::figures(doc_id, &lay, &sections, &owner, opts.budget.max_figures);
    let mut claims = crate::claims::extract(doc_id, &lay.paras, &figures, &placed);
    let mut cells = cells(doc_id, &lay, ing);
    // Indicators per document (tables never span documents), in the worker thread.
    crate::canon::indicators::assign_parts(crate::canon::indicators::Catalog::builtin(), &mut figures, &mut cells);
    crate::canon::indicators::assign_claims(&figures, &mut claims);
    let meta = metadata::extract(&lay);
    let mut warnings = ing.warnings.clone();
    if crowded > crate::parse::prose::CROWDED_PARAGRAPH {
        warnings.push(format!("a paragraph holds {crowded} figures: each figure keeps only ±{} bytes of its sentence", crate::parse::prose::CROWDED_WINDOW));
    }
    let mut error = None;
    let status = if let Some(line) = cut_at {
        let why = format!("more than {} figures: figures after line {line} were not extracted", opts.budget.max_figures);
        warnings.push(why.clone());
        error = Some(why);
        Status::Partial
    } else if ing.status == Status::Ok && sections.is_empty() && figures.is_empty() && cells.is_empty() {
        warnings.push("no sections, figures or tables found".into());
        Status::Partial
    } else {
        ing.status
    };
    let document = DocumentRow {
        doc_id: doc_id.to_string(),
        path: path.to_string(),
        content_sha256: None,
        format: ing.format,
        encoding: Some(ing.encoding.clone()),
        status,
        error,
        meta,
        pages: lay.pages.and_then(|p| i32::try_from(p).ok()),
        bytes: i64::try_from(nbytes).unwrap_or(i64::MAX),
        warnings: (!warnings.is_empty()).then(|| warnings.join("; ")),
        text_source: ing.text_source,
        ocr_confidence: ing.ocr.as_ref().map(|o| (o.mean_confidence / 100.0 * 1000.0).round() / 1000.0),
    };
    if let Some(ocr) = &ing.ocr {
        crate::ingest::ocr::confidence::figures(ocr, &mut figures);
        crate::ingest::ocr::confidence::cells(ocr, &mut cells);
        // Labels read by OCR get the catalog's diacritics (cells with a confidence).
        crate::canon::indicators::respell_ocr_labels(crate::canon::indicators::Lexicon::builtin(), &mut cells);
    }
    let mut one = Dataset { documents: vec![document], sections, figures, cells, findings: vec![], claims };
    let findings = crate::check::check_single(&one, check);
    let document = one.documents.remove(0);
    Extracted { document, sections: one.sections, figures: one.figures, cells: one.cells, footnotes: lay.footnotes.clone(), findings, claims: one.claims }
}

/// Table cells from the layout's table regions and the reader's own grids.
fn cells(doc_id: &str, lay: &Layout, ing: &Ingested) -> Vec<Cell> {
    let mut grids = Vec::new();
    for r in &lay.regions {
        grids.extend(tables::read_region(&lay.lines, r));
    }
    grids.extend(ing.grids.iter().cloned());
    let mut out = Vec::new();
    for (k, g) in grids.iter_mut().enumerate() {
        // OCR loses the dots of narrow STT cells: keys the row sequence proves.
        let repaired = if ing.ocr.is_some() { tables::repair_ocr_keys(g) } else { Vec::new() };
        let mut cells = tables::interpret(doc_id, &format!("{}:t{}", short(doc_id), k + 1), g);
        for c in &mut cells {
            let row = usize::try_from(c.row - 1).ok();
            if let Some((_, read)) = repaired.iter().find(|(r, _)| Some(*r) == row) {
                if c.warning.is_none() {
                    c.warning = Some(format!("{} (OCR read {read:?})", tables::stt::KEY_REPAIRED));
                }
            }
        }
        out.extend(cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` text reports: the seeds in turn, each copy with its own bytes.
    fn reports(dir: &Path, n: usize) -> Inputs {
        let seeds_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/text");
        let mut seeds: Vec<PathBuf> = std::fs::read_dir(&seeds_dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        seeds.sort();
        assert!(!seeds.is_empty(), "no seeds in {}", seeds_dir.display());
        for i in 0..n {
            let mut text = std::fs::read_to_string(&seeds[i % seeds.len()]).unwrap_or_else(|e| panic!("{e}"));
            text.push_str(&format!("\nBản sao số {i}.\n"));
            std::fs::write(dir.join(format!("{i:04}.txt")), text).unwrap_or_else(|e| panic!("{e}"));
        }
        collect_inputs(&[dir.to_path_buf()])
    }

    /// Streams `inputs` with a pool of `threads`; returns the summary and
    /// the paths of the documents table in written order.
    fn stream(inputs: &Inputs, threads: usize, on_done: &(dyn Fn(&Extracted) + Sync)) -> (Summary, Vec<String>) {
        let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap_or_else(|e| panic!("{e}"));
        let mut w = StreamWriter::create(out.path()).unwrap_or_else(|e| panic!("{e}"));
        let sum = pool.install(|| run_streaming(inputs, &Options::default(), &mut w, on_done)).unwrap_or_else(|e| panic!("{e}"));
        drop(w.finish().unwrap_or_else(|e| panic!("{e}")));
        let ds = crate::write::dataset::read_dataset(out.path()).unwrap_or_else(|e| panic!("{e}"));
        (sum, ds.documents.into_iter().map(|d| d.path).collect())
    }

    #[test]
    fn any_number_of_threads_writes_the_same_rows_in_file_order() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        // More than a chunk, so that documents wait for their chunk.
        let inputs = reports(dir.path(), CHUNK + 7);
        let in_order: Vec<String> = inputs.files.iter().map(|p| p.display().to_string()).collect();
        let (one, paths) = stream(&inputs, 1, &|_| {});
        assert_eq!(paths, in_order);
        assert!(one.figures > 0 && one.sections > 0);
        for threads in [2, 3] {
            let (sum, paths) = stream(&inputs, threads, &|_| {});
            assert_eq!(paths, in_order, "{threads} threads");
            assert_eq!((sum.sections, sum.figures, sum.cells, sum.findings), (one.sections, one.figures, one.cells, one.findings), "{threads} threads");
        }
    }

    #[test]
    fn a_panic_on_any_thread_reaches_the_caller() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let inputs = std::sync::Arc::new(reports(dir.path(), 12));
        for threads in [1, 2, 3] {
            let (tx, rx) = mpsc::channel();
            let inputs = std::sync::Arc::clone(&inputs);
            std::thread::spawn(move || {
                let got = std::panic::catch_unwind(|| {
                    stream(&inputs, threads, &|e| {
                        if e.document.path.ends_with("0003.txt") {
                            panic!("progress callback failed");
                        }
                    })
                });
                let _ = tx.send(got.is_err());
            });
            // A lost document must not leave the run waiting for it.
            let panicked = rx.recv_timeout(std::time::Duration::from_secs(120));
            assert_eq!(panicked, Ok(true), "{threads} threads");
        }
    }
}
