//! Per-file budgets and safe input reading (hostile or broken inputs).
//!
//! * **Inputs**: only regular files are opened (a FIFO, device or socket is
//!   refused from its metadata, never opened), and a file is read through a
//!   size limit, not with `fs::read`.
//! * **Wall time**: each file runs off the batch worker, on a file thread
//!   (bigger stack than a rayon worker) that the batch worker keeps for its
//!   next files; the batch worker waits for it at most the file's time
//!   budget (the file's reader adds [`OCR_PAGE_ALLOWANCE`] per page to OCR
//!   through [`extend`]). On time-out the file becomes a `failed` row ("too
//!   slow: …") and the thread is abandoned (the next file gets a new one): it
//!   holds no lock and writes nothing, and the
//!   readers check a cooperative deadline ([`expired`]) between pages / XML
//!   events / stages so that it stops soon after. The process exits at the
//!   end of the batch whatever abandoned threads still do.
//!   A file's work must not use the global rayon pool: its workers are the
//!   ones waiting for the file threads.
//! * **Memory**: bounded by the input caps (file size, DOCX entry sizes and
//!   ratio, PDF decoded-stream limits), not by an RSS limit.

use std::cell::RefCell;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Default wall-time budget of one file.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// Default size cap of one input file (same as the ingest limit).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Stack of a file's worker thread (deeply nested inputs).
const STACK_BYTES: usize = 64 << 20;

/// What one file may cost.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Wall time per file; None = unlimited (run on the calling thread).
    pub timeout: Option<Duration>,
    /// Largest input file read.
    pub max_bytes: u64,
    /// Figures kept per document (a real report has a few thousand): past
    /// this the document is `partial` and says from which line nothing was
    /// kept, so memory stays bounded whatever the file.
    pub max_figures: usize,
}

/// Default of [`Budget::max_figures`].
pub const DEFAULT_MAX_FIGURES: usize = 300_000;

impl Default for Budget {
    fn default() -> Self {
        Budget { timeout: Some(Duration::from_secs(DEFAULT_TIMEOUT_SECS)), max_bytes: DEFAULT_MAX_FILE_BYTES, max_figures: DEFAULT_MAX_FIGURES }
    }
}

/// A file's deadline, shared by its thread and the batch worker waiting for
/// it, so that the file can be given more time once it knows its work (pages
/// to OCR).
type Shared = Arc<Mutex<Instant>>;

thread_local! {
    static DEADLINE: RefCell<Option<Shared>> = const { RefCell::new(None) };
}

fn read(d: &Shared) -> Instant {
    *d.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// True once the current file's time budget is spent (cooperative check for
/// the readers; always false outside a budgeted run).
pub(crate) fn expired() -> bool {
    deadline().is_some_and(|t| Instant::now() >= t)
}

/// The current file's deadline, to hand to helper threads (OCR pages) that
/// must stop with it.
pub(crate) fn deadline() -> Option<Instant> {
    DEADLINE.with(|d| d.borrow().as_ref().map(read))
}

/// Time allowed per page to OCR on top of the file's budget (a page takes
/// 2–4 s on one core, more when other files' pages queue before it).
pub const OCR_PAGE_ALLOWANCE: Duration = Duration::from_secs(20);

/// Gives the current file `extra` time (no-op outside a budgeted run).
pub(crate) fn extend(extra: Duration) {
    DEADLINE.with(|d| {
        if let Some(shared) = d.borrow().as_ref() {
            let mut t = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *t += extra;
        }
    });
}

/// Why a file was not read.
#[derive(Debug)]
pub enum InputError {
    /// Not a regular file (FIFO, device, socket, folder).
    NotRegular(&'static str),
    /// Larger than the cap (size, cap).
    TooLarge(u64, u64),
    Io(std::io::Error),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::NotRegular(kind) => write!(f, "not a regular file ({kind}): not read"),
            InputError::TooLarge(n, max) => write!(f, "too large: {n} bytes (limit {max}, see --max-file-bytes)"),
            InputError::Io(e) => write!(f, "cannot read file: {e}"),
        }
    }
}

/// Kind of a non-regular file.
pub(crate) fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_char_device() {
            return "character device";
        }
        if ft.is_block_device() {
            return "block device";
        }
        if ft.is_socket() {
            return "socket";
        }
    }
    if ft.is_dir() {
        "folder"
    } else if ft.is_symlink() {
        "symbolic link"
    } else if ft.is_file() {
        "regular file"
    } else {
        "special file"
    }
}

/// The bytes of a regular file, at most `max` of them (symlinks followed).
pub(crate) fn read_input(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(InputError::Io)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > max {
        return Err(InputError::TooLarge(meta.len(), max));
    }
    let file = File::open(path).map_err(InputError::Io)?;
    // The path may have been swapped between the two calls: check the open file.
    let meta = file.metadata().map_err(InputError::Io)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(kind_of(meta.file_type())));
    }
    let mut buf = Vec::with_capacity(usize::try_from(meta.len().min(max)).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut buf).map_err(InputError::Io)?;
    let n = u64::try_from(buf.len()).unwrap_or(u64::MAX);
    if n > max {
        return Err(InputError::TooLarge(n, max));
    }
    Ok(buf)
}

/// How a budgeted job ended when it did not return.
#[derive(Debug)]
pub enum Overrun {
    /// Still running after the budget (thread abandoned).
    TooSlow(Duration),
    /// The job panicked (or its thread could not report).
    Crashed,
}

/// A job for a file thread.
type FileJob = Box<dyn FnOnce() + Send>;

thread_local! {
    /// The file thread of the calling (batch) thread: kept from one job to
    /// the next, replaced after a job that overran or crashed.
    static FILE_THREAD: RefCell<Option<std::sync::mpsc::Sender<FileJob>>> = const { RefCell::new(None) };
}

/// Hands `job` to the calling thread's file thread (started when there is
/// none); false when no thread could be started.
fn send_to_file_thread(job: FileJob) -> bool {
    FILE_THREAD.with(|slot| {
        let mut slot = slot.borrow_mut();
        let job = match slot.take() {
            Some(tx) => match tx.send(job) {
                Ok(()) => {
                    *slot = Some(tx);
                    return true;
                }
                // The thread is gone: start another one for this job.
                Err(std::sync::mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let (tx, rx) = std::sync::mpsc::channel::<FileJob>();
        let spawned = std::thread::Builder::new().name("cchc-file".into()).stack_size(STACK_BYTES).spawn(move || {
            // Ends when its batch thread drops the sender (end of the batch,
            // or this thread was abandoned).
            for job in rx {
                job();
            }
        });
        if spawned.is_err() || tx.send(job).is_err() {
            return false;
        }
        *slot = Some(tx);
        true
    })
}

/// The calling thread's next job gets a new file thread (the current one is
/// busy past its budget, or its job crashed).
fn abandon_file_thread() {
    FILE_THREAD.with(|slot| slot.borrow_mut().take());
}

/// Runs `job` on a file thread with the deadline set, waiting at most
/// `timeout`. Without a timeout the job runs on the calling thread.
pub(crate) fn run_budgeted<T: Send + 'static>(timeout: Option<Duration>, job: impl FnOnce() -> T + Send + 'static) -> Result<T, Overrun> {
    let Some(limit) = timeout else {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).map_err(|_| Overrun::Crashed);
    };
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let start = Instant::now();
    let shared: Shared = Arc::new(Mutex::new(start + limit));
    let theirs = Arc::clone(&shared);
    let sent = send_to_file_thread(Box::new(move || {
        DEADLINE.with(|d| *d.borrow_mut() = Some(theirs));
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        DEADLINE.with(|d| *d.borrow_mut() = None);
        // The receiver is gone when the job was abandoned: nothing to do.
        let _ = tx.send(out);
    }));
    if !sent {
        return Err(Overrun::Crashed);
    }
    let out = loop {
        // The deadline may have moved while we waited ([`extend`]).
        let wait = read(&shared).saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok(Ok(v)) => return Ok(v),
            Ok(Err(_)) => break Err(Overrun::Crashed),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if Instant::now() < read(&shared) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break Err(Overrun::TooSlow(start.elapsed())),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break Err(Overrun::Crashed),
        }
    };
    abandon_file_thread();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_job_is_abandoned() {
        let t = Instant::now();
        let r = run_budgeted(Some(Duration::from_millis(100)), || {
            while !expired() {
                std::thread::sleep(Duration::from_millis(5));
            }
            std::thread::sleep(Duration::from_secs(5));
        });
        assert!(matches!(r, Err(Overrun::TooSlow(_))));
        assert!(t.elapsed() < Duration::from_secs(2));
        assert!(matches!(run_budgeted(Some(Duration::from_secs(5)), || 7), Ok(7)));
        assert!(matches!(run_budgeted(Some(Duration::from_secs(5)), || panic!("boom")), Err::<(), _>(Overrun::Crashed)));
    }

    #[test]
    fn a_file_given_more_time_is_waited_for() {
        let r = run_budgeted(Some(Duration::from_millis(100)), || {
            extend(Duration::from_millis(400));
            std::thread::sleep(Duration::from_millis(250));
            expired()
        });
        assert!(matches!(r, Ok(false)), "{r:?}");
        // Outside a budgeted run there is nothing to extend.
        extend(Duration::from_secs(1));
        assert_eq!(deadline(), None);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_not_opened() {
        assert!(matches!(read_input(Path::new("/dev/zero"), 1 << 20), Err(InputError::NotRegular("character device"))));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"0123456789").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(read_input(&p, 5), Err(InputError::TooLarge(10, 5))));
        assert_eq!(read_input(&p, 10).map(|b| b.len()).ok(), Some(10));
    }
}
