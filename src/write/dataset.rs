//! A dataset folder as a whole: the streaming writer of the Parquet tables,
//! the lock on the folder, the manifest written last, and the verified read
//! back (`read_dataset`). Row ↔ column conversion is in `parquet.rs`.

use super::parquet::*;
use crate::model::Dataset;
use anyhow::{Context, Result};
use polars::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Name of the manifest written last by a run (`DIR/_manifest.json`).
pub const MANIFEST: &str = "_manifest.json";
/// Lock file held by a run on its output folder (holds the pid).
pub const LOCK: &str = ".cchc.lock";
/// Prefix and suffix of a run's temporary files (debris of killed runs is
/// removed by the next run).
const TMP_PREFIX: &str = ".cchc-";
const TMP_SUFFIX: &str = ".tmp";

/// `DIR/_manifest.json`: what a complete dataset holds. Written after every
/// table file is renamed into place (and removed before the first rename),
/// so a folder whose manifest matches its files is one run's output.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub run_id: String,
    pub tool_version: String,
    pub tables: Vec<ManifestTable>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct ManifestTable {
    pub table: String,
    pub file: String,
    pub rows: u64,
    pub sha256: String,
}

const MANIFEST_FORMAT: &str = "cchc-dataset/1";

/// Exclusive hold on an output folder: `DIR/.cchc.lock` created with
/// O_EXCL, holding the pid. A lock whose pid is dead is taken over; the
/// lock file is removed when the hold is dropped.
#[derive(Debug)]
pub struct DatasetLock {
    path: PathBuf,
}

impl DatasetLock {
    pub fn acquire(dir: &Path) -> Result<DatasetLock> {
        let path = dir.join(LOCK);
        for _ in 0..3 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    use std::io::Write;
                    writeln!(f, "{}", std::process::id()).with_context(|| format!("writing {}", path.display()))?;
                    f.sync_all().with_context(|| format!("writing {}", path.display()))?;
                    return Ok(DatasetLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    match text.trim().parse::<u32>() {
                        Ok(pid) if pid_alive(pid) => anyhow::bail!(
                            "{} is being written by another cchc run (pid {pid}, lock {}); wait for it or choose another --out",
                            dir.display(),
                            path.display()
                        ),
                        // Stale (dead pid) or half-written lock: take it over.
                        _ => {
                            tracing::warn!("taking over the stale lock {}", path.display());
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(e).with_context(|| format!("creating the lock {}", path.display())),
            }
        }
        anyhow::bail!("could not take the lock {}", path.display())
    }
}

impl Drop for DatasetLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// True when a process with this pid exists (or when it cannot be told).
fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(p) = libc::pid_t::try_from(pid) else { return false };
        if p <= 0 {
            return false;
        }
        // SAFETY: signal 0 only checks that the process exists.
        let r = unsafe { libc::kill(p, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Removes temporary files left by killed runs (call with the lock held).
fn clean_debris(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX) && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn fsync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Hex SHA-256 of a file, streamed.
pub fn file_sha256(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).with_context(|| format!("reading {}", path.display()))?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Empty frame with a table's columns.
fn empty_frame(schema: &[(&str, Ty)]) -> Result<DataFrame> {
    let columns = schema.iter().map(|(name, ty)| Column::new_empty(PlSmallStr::from(*name), &ty.dtype())).collect::<Vec<Column>>();
    Ok(DataFrame::new(0, columns)?)
}

/// Rows per frame handed to the Parquet writer (one row group each).
const ROWS_PER_GROUP: usize = 65_536;

impl StreamPart {
    /// Appends rows, converted to Parquet a slice of [`ROWS_PER_GROUP`] at a time.
    fn write_rows<T: Row>(&mut self, rows: &[T]) -> Result<()> {
        for slice in rows.chunks(ROWS_PER_GROUP) {
            let df = to_frame(slice)?;
            self.writer.write_batch(&df).map_err(anyhow::Error::from).with_context(|| format!("writing {}.parquet", self.stem))?;
            self.rows += u64::try_from(df.height()).unwrap_or(u64::MAX);
        }
        Ok(())
    }
}

/// The file under a Parquet writer, buffered: the writer emits many small
/// pieces (page headers, thrift fields of the page and column indexes), one
/// `write` call each, which unbuffered would be one system call each
/// (~270 per report). Shared so that `finish` can flush it and see the error
/// (a dropped `BufWriter` would swallow it).
#[derive(Clone)]
struct Buffered(std::sync::Arc<std::sync::Mutex<std::io::BufWriter<File>>>);

impl Buffered {
    fn new(file: File) -> Buffered {
        Buffered(std::sync::Arc::new(std::sync::Mutex::new(std::io::BufWriter::with_capacity(1 << 20, file))))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::io::BufWriter<File>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn flush_now(&self) -> std::io::Result<()> {
        use std::io::Write;
        self.lock().flush()
    }
}

impl std::io::Write for Buffered {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.lock().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.lock().write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.lock().flush()
    }
}

/// Streaming writer: the Parquet files of [`OUTPUTS`] are filled chunk by
/// chunk (one row group per chunk) so a batch of any size needs memory for
/// one chunk only. The writer holds the folder's lock; files appear under
/// their final names only in `finish`, which writes the manifest last.
pub struct StreamWriter {
    dir: PathBuf,
    parts: Vec<StreamPart>,
    lock: DatasetLock,
}

struct StreamPart {
    stem: &'static str,
    tmp: tempfile::NamedTempFile,
    /// The buffer under `writer`, kept to be flushed (with its error) in `finish`.
    out: Buffered,
    writer: polars::io::parquet::write::BatchedWriter<Buffered>,
    rows: u64,
}

impl StreamWriter {
    /// Takes the lock on `dir` (exit 2 when another live run holds it) and
    /// removes debris of killed runs.
    pub fn create(dir: &Path) -> Result<StreamWriter> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let lock = DatasetLock::acquire(dir)?;
        clean_debris(dir);
        let mut parts = Vec::new();
        for (stem, schema) in OUTPUTS {
            let empty = empty_frame(schema)?;
            let tmp = tempfile::Builder::new()
                .prefix(TMP_PREFIX)
                .suffix(&format!(".parquet{TMP_SUFFIX}"))
                .tempfile_in(dir)
                .with_context(|| format!("temp file in {}", dir.display()))?;
            let out = Buffered::new(tmp.as_file().try_clone()?);
            let writer = ParquetWriter::new(out.clone()).set_parallel(false).batched(empty.schema()).map_err(anyhow::Error::from)?;
            parts.push(StreamPart { stem, tmp, out, writer, rows: 0 });
        }
        Ok(StreamWriter { dir: dir.to_path_buf(), parts, lock })
    }

    /// Appends a chunk of rows (any of the vectors may be empty).
    pub fn write(&mut self, ds: &Dataset) -> Result<()> {
        anyhow::ensure!(OUTPUTS.len() == self.parts.len(), "internal: {} outputs for {} tables", OUTPUTS.len(), self.parts.len());
        // Large chunks (one huge document) are converted a slice at a time so
        // that the Parquet copy of the rows never doubles the chunk's memory.
        for (k, part) in self.parts.iter_mut().enumerate() {
            match k {
                0 => part.write_rows(&ds.documents)?,
                1 => part.write_rows(&ds.sections)?,
                2 => part.write_rows(&ds.figures)?,
                3 => part.write_rows(&ds.cells)?,
                4 => part.write_rows(&ds.findings)?,
                _ => part.write_rows(&ds.claims)?,
            }
        }
        Ok(())
    }

    /// Closes and fsyncs the files, removes the old manifest, renames the
    /// files to their final names and writes the new manifest last. Returns
    /// the folder's lock (drop it when done with the folder).
    pub fn finish(self) -> Result<DatasetLock> {
        let StreamWriter { dir, parts, lock } = self;
        let mut done = Vec::new();
        for part in parts {
            part.writer.finish().map_err(anyhow::Error::from).with_context(|| format!("finishing {}.parquet", part.stem))?;
            part.out.flush_now().with_context(|| format!("writing {}.parquet", part.stem))?;
            part.tmp.as_file().sync_all().with_context(|| format!("syncing {}.parquet", part.stem))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(part.tmp.path(), std::fs::Permissions::from_mode(0o644))?;
            }
            let sha256 = file_sha256(part.tmp.path())?;
            done.push((part.stem, part.tmp, part.rows, sha256));
        }
        let manifest_path = dir.join(MANIFEST);
        match std::fs::remove_file(&manifest_path) {
            Ok(()) => fsync_dir(&dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", manifest_path.display())),
        }
        let mut tables = Vec::new();
        for (stem, tmp, rows, sha256) in done {
            let file = format!("{stem}.parquet");
            let path = dir.join(&file);
            tmp.persist(&path).map_err(|e| e.error).with_context(|| format!("renaming into {}", path.display()))?;
            tables.push(ManifestTable { table: stem.to_string(), file, rows, sha256 });
        }
        fsync_dir(&dir);
        let manifest = Manifest { format: MANIFEST_FORMAT.into(), run_id: run_id(), tool_version: env!("CARGO_PKG_VERSION").into(), tables };
        let mut tmp = tempfile::Builder::new()
            .prefix(TMP_PREFIX)
            .suffix(&format!(".json{TMP_SUFFIX}"))
            .tempfile_in(&dir)
            .with_context(|| format!("temp file in {}", dir.display()))?;
        {
            use std::io::Write;
            let text = serde_json::to_string_pretty(&manifest)?;
            tmp.write_all(text.as_bytes()).and_then(|()| tmp.write_all(b"\n")).with_context(|| format!("writing {}", manifest_path.display()))?;
            tmp.as_file().sync_all().with_context(|| format!("syncing {}", manifest_path.display()))?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
        }
        tmp.persist(&manifest_path).map_err(|e| e.error).with_context(|| format!("renaming into {}", manifest_path.display()))?;
        fsync_dir(&dir);
        Ok(lock)
    }
}

/// A run id: start time and pid (not part of the Parquet bytes).
fn run_id() -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    format!("{}-{:09}-{}", t.as_secs(), t.subsec_nanos(), std::process::id())
}

/// Writes a whole in-memory dataset as `extract` does (lock, files, manifest).
pub fn write_dataset(ds: &Dataset, dir: &Path) -> Result<()> {
    let mut w = StreamWriter::create(dir)?;
    w.write(ds)?;
    drop(w.finish()?);
    Ok(())
}

pub fn read_frame(path: &Path) -> Result<DataFrame> {
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    ParquetReader::new(f).finish().map_err(anyhow::Error::from).with_context(|| format!("reading {}", path.display()))
}

/// Checks a dataset folder against its manifest: every table of this
/// version is listed, present, of the recorded size and checksum. Returns
/// the manifest. The error says which file and what is wrong.
pub fn verify_dataset(dir: &Path) -> Result<Manifest> {
    if !dir.is_dir() {
        anyhow::bail!("{} is not a folder (a dataset is the --out folder of `cchc extract`)", dir.display());
    }
    let mpath = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&mpath) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let lock = dir.join(LOCK);
            let why = if lock.exists() {
                "a run is writing it or was killed before it finished".to_string()
            } else if dir.join("documents.parquet").exists() {
                "incomplete run, or written by an older cchc".to_string()
            } else {
                "not a cchc dataset".to_string()
            };
            anyhow::bail!("{}: no {MANIFEST} ({why}); run `cchc extract … --out {}` again", dir.display(), dir.display());
        }
        Err(e) => return Err(e).with_context(|| format!("reading {}", mpath.display())),
    };
    let m: Manifest = serde_json::from_str(&text).with_context(|| format!("{}: not a valid manifest", mpath.display()))?;
    anyhow::ensure!(m.format == MANIFEST_FORMAT, "{}: unknown dataset format {:?} (expected {MANIFEST_FORMAT})", mpath.display(), m.format);
    for (stem, _) in OUTPUTS {
        let Some(t) = m.tables.iter().find(|t| t.table == *stem) else {
            anyhow::bail!("{}: table {stem} not listed (dataset written by another cchc version?); run extract again", mpath.display());
        };
        let p = dir.join(&t.file);
        anyhow::ensure!(t.file == format!("{stem}.parquet"), "{}: unexpected file name {:?} for table {stem}", mpath.display(), t.file);
        if !p.is_file() {
            anyhow::bail!("{}: missing (listed in {MANIFEST}); the dataset is incomplete, run extract again", p.display());
        }
        let sha = file_sha256(&p)?;
        if sha != t.sha256 {
            anyhow::bail!("{}: checksum mismatch with {MANIFEST} (file changed or from another run: mixed dataset); run extract again", p.display());
        }
    }
    Ok(m)
}

/// Reads a dataset folder written by `extract`, verified against its
/// manifest (a missing, changed or mixed file, a wrong row count or a missing
/// column is an error naming the file).
pub fn read_dataset(dir: &Path) -> Result<Dataset> {
    let m = verify_dataset(dir)?;
    let part = |stem: &str, schema: &[(&str, Ty)]| -> Result<DataFrame> {
        let p = dir.join(format!("{stem}.parquet"));
        let df = read_frame(&p)?;
        for (name, _) in schema {
            if df.column(name).is_err() {
                anyhow::bail!("{}: column {name:?} missing", p.display());
            }
        }
        if let Some(t) = m.tables.iter().find(|t| t.table == stem) {
            let n = u64::try_from(df.height()).unwrap_or(u64::MAX);
            anyhow::ensure!(n == t.rows, "{}: {n} rows, {MANIFEST} says {}", p.display(), t.rows);
        }
        Ok(df)
    };
    let ctx = |stem: &str| format!("{}", dir.join(format!("{stem}.parquet")).display());
    Ok(Dataset {
        documents: from_frame(&part("documents", DOCUMENTS)?, DOCUMENTS).with_context(|| ctx("documents"))?,
        sections: from_frame(&part("sections", SECTIONS)?, SECTIONS).with_context(|| ctx("sections"))?,
        figures: from_frame(&part("figures", FIGURES)?, FIGURES).with_context(|| ctx("figures"))?,
        cells: from_frame(&part("tables", TABLES)?, TABLES).with_context(|| ctx("tables"))?,
        findings: from_frame(&part("findings", FINDINGS)?, FINDINGS).with_context(|| ctx("findings"))?,
        claims: from_frame(&part("claims", CLAIMS)?, CLAIMS).with_context(|| ctx("claims"))?,
    })
}
