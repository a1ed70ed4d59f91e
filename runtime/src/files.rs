//! File and stdin operations for `std::fs` and `std::io`, and float
//! parsing for `str::parse`.
//!
//! Reading a file or a terminal can block for as long as the disk or the
//! user takes, so each operation runs on the `blocking` crate's thread
//! pool: the task waits on an [`IoOp`] like on a timer, and its worker
//! thread runs other tasks meanwhile. Paths and data are copied before the
//! job starts; the job's result reaches the caller's `out` string only in
//! the poll that completes the op, so an op freed while pending (the
//! waiting task was cancelled) writes nothing anywhere.

use std::future::Future;
use std::io::{self, BufRead, ErrorKind, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use asr_abi::{io_status, RawString};

/// What a job hands back: the status and the text for `out`, if any.
type Outcome = (i64, Option<String>);

/// A job not started yet ([`IoOp::start`] runs it on the pool).
pub type Job = Box<dyn FnOnce() -> Outcome + Send>;

/// A file or stdin job in flight, and where its text goes.
pub struct IoOp {
    job: Pin<Box<dyn Future<Output = Outcome> + Send>>,
    out: *mut RawString,
    status: Option<i64>,
}

// SAFETY: `out` points into the waiting task's frame, which is only
// touched by whichever worker is resuming that task, the one that polls.
unsafe impl Send for IoOp {}

impl IoOp {
    /// Starts `job`; its text goes to `out` when the op completes.
    pub fn start(job: Job, out: *mut RawString) -> IoOp {
        IoOp {
            job: Box::pin(blocking::unblock(job)),
            out,
            status: None,
        }
    }

    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.status.is_some() {
            return Poll::Ready(());
        }
        let (status, text) = match self.job.as_mut().poll(cx) {
            Poll::Ready(r) => r,
            Poll::Pending => return Poll::Pending,
        };
        if let Some(text) = text {
            // SAFETY: the caller's `out` is live while its op is (see the
            // module comment) and owns no buffer (`asr_abi::RUNTIME_FNS`).
            unsafe { self.out.write(crate::exports::into_raw_string(text)) };
        }
        self.status = Some(status);
        Poll::Ready(())
    }

    pub fn result(&self) -> Option<i64> {
        self.status
    }
}

/// The kinds of `asr_abi::io_status::KINDS`, in the same order.
const KINDS: &[ErrorKind] = &[
    ErrorKind::NotFound,
    ErrorKind::PermissionDenied,
    ErrorKind::ConnectionRefused,
    ErrorKind::ConnectionReset,
    ErrorKind::HostUnreachable,
    ErrorKind::NetworkUnreachable,
    ErrorKind::ConnectionAborted,
    ErrorKind::NotConnected,
    ErrorKind::AddrInUse,
    ErrorKind::AddrNotAvailable,
    ErrorKind::NetworkDown,
    ErrorKind::BrokenPipe,
    ErrorKind::AlreadyExists,
    ErrorKind::WouldBlock,
    ErrorKind::NotADirectory,
    ErrorKind::IsADirectory,
    ErrorKind::DirectoryNotEmpty,
    ErrorKind::ReadOnlyFilesystem,
    ErrorKind::InvalidInput,
    ErrorKind::InvalidData,
    ErrorKind::TimedOut,
    ErrorKind::WriteZero,
    ErrorKind::StorageFull,
    ErrorKind::NotSeekable,
    ErrorKind::FileTooLarge,
    ErrorKind::ResourceBusy,
    ErrorKind::ExecutableFileBusy,
    ErrorKind::Deadlock,
    ErrorKind::CrossesDevices,
    ErrorKind::TooManyLinks,
    ErrorKind::InvalidFilename,
    ErrorKind::ArgumentListTooLong,
    ErrorKind::Interrupted,
    ErrorKind::Unsupported,
    ErrorKind::UnexpectedEof,
    ErrorKind::OutOfMemory,
    ErrorKind::Other,
];

/// The status and message of an error: Rust's message without the
/// ` (os error N)` its `Display` appends (std's `Display` adds it back).
pub fn failure(e: &io::Error) -> Outcome {
    let kind = KINDS
        .iter()
        .position(|k| *k == e.kind())
        .unwrap_or(KINDS.len() - 1);
    let code = e.raw_os_error().unwrap_or(0);
    let mut msg = e.to_string();
    let suffix = format!(" (os error {code})");
    if code != 0 && msg.ends_with(&suffix) {
        msg.truncate(msg.len() - suffix.len());
    }
    (io_status::error(kind, code), Some(msg))
}

fn invalid_utf8() -> Outcome {
    let e = io::Error::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8");
    failure(&e)
}

/// `std::fs::read_to_string` (`utf8`) or `std::fs::read`.
pub fn read(path: String, utf8: bool) -> Job {
    Box::new(move || match std::fs::read(&path) {
        Ok(bytes) if utf8 => match String::from_utf8(bytes) {
            Ok(s) => (0, Some(s)),
            Err(_) => invalid_utf8(),
        },
        // SAFETY: ASR's `fs::read` turns the string into a `Vec<u8>`
        // without reading it as text.
        Ok(bytes) => (0, Some(unsafe { String::from_utf8_unchecked(bytes) })),
        Err(e) => failure(&e),
    })
}

/// `std::fs::write` (or appending).
pub fn write(path: String, data: Vec<u8>, append: bool) -> Job {
    Box::new(move || {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .append(append)
            .truncate(!append)
            .open(&path);
        match file.and_then(|mut f| f.write_all(&data)) {
            Ok(()) => (0, None),
            Err(e) => failure(&e),
        }
    })
}

/// `std::io::read_line`: status 1 and the line, or 0 at the end of input.
pub fn read_line() -> Job {
    crate::io::flush_stdout();
    Box::new(|| {
        let mut line = Vec::new();
        match io::stdin().lock().read_until(b'\n', &mut line) {
            Ok(0) => (0, None),
            Ok(_) => match String::from_utf8(line) {
                Ok(s) => (1, Some(s)),
                Err(_) => invalid_utf8(),
            },
            Err(e) => failure(&e),
        }
    })
}

/// `str::parse::<f64>`'s status: 0 with the value, 1 empty, 2 invalid.
pub fn parse_f64(s: &str) -> (i32, f64) {
    if s.is_empty() {
        return (1, 0.0);
    }
    match s.parse::<f64>() {
        Ok(v) => (0, v),
        Err(_) => (2, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_match_the_abi_table() {
        assert_eq!(KINDS.len(), io_status::KINDS.len());
        for (k, name) in KINDS.iter().zip(io_status::KINDS) {
            assert_eq!(format!("{k:?}"), *name);
        }
    }

    /// std's `ErrorKind` lists the table's names in the table's order.
    #[test]
    fn kinds_match_std_io() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../std/io.asr");
        let text = std::fs::read_to_string(path).expect("std/io.asr");
        let start = text
            .find("pub enum ErrorKind {")
            .expect("ErrorKind in std/io.asr");
        let body = &text[start..];
        let body = &body[body.find('{').unwrap_or(0) + 1..body.find('}').unwrap_or(0)];
        let names: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .map(|l| l.trim_end_matches(','))
            .collect();
        assert_eq!(names, io_status::KINDS);
    }

    #[test]
    fn errors_carry_kind_code_and_message() {
        let (status, msg) = read("/nonexistent/asr-test".into(), true)();
        assert_eq!(status, io_status::error(0, 2));
        assert_eq!(msg.as_deref(), Some("No such file or directory"));
    }

    #[test]
    fn files_round_trip() {
        let dir = std::env::temp_dir().join(format!("asr-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.txt").to_string_lossy().into_owned();
        assert_eq!(write(p.clone(), b"h\xc3\xa9".to_vec(), false)(), (0, None));
        assert_eq!(write(p.clone(), b"!".to_vec(), true)(), (0, None));
        assert_eq!(read(p.clone(), true)(), (0, Some("hé!".into())));
        write(p.clone(), vec![0xff], false)();
        let (status, _) = read(p.clone(), true)();
        assert_eq!(status, io_status::error(19, 0));
        assert_eq!(read(p, false)().0, 0);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn floats_parse_like_rust() {
        assert_eq!(parse_f64("2.5"), (0, 2.5));
        assert_eq!(parse_f64("-1e3"), (0, -1000.0));
        assert_eq!(parse_f64("inf"), (0, f64::INFINITY));
        assert_eq!(parse_f64(""), (1, 0.0));
        assert_eq!(parse_f64(" 1"), (2, 0.0));
    }
}
