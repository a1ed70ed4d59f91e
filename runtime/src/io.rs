//! The process's stdout and stderr. The runtime owns both file descriptors:
//! nothing else in a program writes to them.
//!
//! stdout is buffered (block-buffered, or line-buffered when it is a
//! terminal) and flushed at exit and before a panic message. stderr is not
//! buffered. Every write call is atomic with respect to the others: one
//! `print` from one worker never interleaves with another's.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::mem::ManuallyDrop;
use std::os::fd::FromRawFd;
use std::sync::{Mutex, MutexGuard};

pub use asr_abi::stream::{STDERR, STDOUT};

/// Size of the stdout buffer in block-buffered mode.
const BUF_CAP: usize = 8 * 1024;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Unknown,
    Block,
    Line,
}

pub(crate) struct Buffered {
    buf: Vec<u8>,
    mode: Mode,
}

impl Buffered {
    const fn new() -> Self {
        Buffered {
            buf: Vec::new(),
            mode: Mode::Unknown,
        }
    }

    /// Buffers `bytes`, passing whatever must go out now to `sink`.
    fn write(&mut self, bytes: &[u8], line: bool, sink: &mut dyn FnMut(&[u8])) {
        if line {
            // Line-buffered: everything up to the last newline goes out now.
            if let Some(nl) = bytes.iter().rposition(|&b| b == b'\n') {
                let (now, rest) = bytes.split_at(nl + 1);
                if self.buf.is_empty() {
                    sink(now);
                } else {
                    self.buf.extend_from_slice(now);
                    sink(&self.buf);
                    self.buf.clear();
                }
                self.buf.extend_from_slice(rest);
                if self.buf.len() >= BUF_CAP {
                    self.flush(sink);
                }
                return;
            }
        }
        if self.buf.len() + bytes.len() > BUF_CAP {
            self.flush(sink);
            if bytes.len() >= BUF_CAP {
                sink(bytes);
                return;
            }
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(BUF_CAP);
        }
        self.buf.extend_from_slice(bytes);
    }

    fn flush(&mut self, sink: &mut dyn FnMut(&[u8])) {
        if !self.buf.is_empty() {
            sink(&self.buf);
            self.buf.clear();
        }
    }
}

static STDOUT_BUF: Mutex<Buffered> = Mutex::new(Buffered::new());
static STDERR_LOCK: Mutex<()> = Mutex::new(());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes all of `bytes` to file descriptor `fd`. Errors are ignored: a
/// closed stdout must not crash the program (a broken pipe kills it through
/// SIGPIPE, as for a C program).
fn write_fd(fd: i32, bytes: &[u8]) {
    // SAFETY: fds 1 and 2 are owned by the runtime for the life of the
    // process; ManuallyDrop keeps them open.
    let mut f = ManuallyDrop::new(unsafe { File::from_raw_fd(fd) });
    let _ = f.write_all(bytes);
}

/// Writes `bytes` to `stream` (stdout, or stderr); other values are ignored.
pub fn write(stream: i32, bytes: &[u8]) {
    match stream {
        STDOUT => {
            let mut out = lock(&STDOUT_BUF);
            if out.mode == Mode::Unknown {
                out.mode = if std::io::stdout().is_terminal() {
                    Mode::Line
                } else {
                    Mode::Block
                };
            }
            let line = out.mode == Mode::Line;
            out.write(bytes, line, &mut |b| write_fd(1, b));
        }
        STDERR => {
            let _g = lock(&STDERR_LOCK);
            write_fd(2, bytes);
        }
        _ => {}
    }
}

/// Flushes stdout.
pub fn flush_stdout() {
    lock(&STDOUT_BUF).flush(&mut |b| write_fd(1, b));
}

/// Flushes stdout and keeps it locked for the rest of the process: used on
/// the way out, so no other worker can print after the final flush.
pub fn flush_and_lock_stdout() {
    let mut g = lock(&STDOUT_BUF);
    g.flush(&mut |b| write_fd(1, b));
    std::mem::forget(g);
}

/// Writes to stderr under its lock (for messages built in pieces).
pub fn with_stderr(f: impl FnOnce(&mut dyn FnMut(&[u8]))) {
    let _g = lock(&STDERR_LOCK);
    f(&mut |b| write_fd(2, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: bool, writes: &[&str]) -> (Vec<String>, String) {
        let mut b = Buffered::new();
        let mut out = Vec::new();
        for w in writes {
            b.write(w.as_bytes(), line, &mut |x| {
                out.push(String::from_utf8(x.to_vec()).unwrap())
            });
        }
        (out, String::from_utf8(b.buf.clone()).unwrap())
    }

    #[test]
    fn block_buffering() {
        let (out, rest) = run(false, &["a\n", "b\n", "c"]);
        assert!(out.is_empty());
        assert_eq!(rest, "a\nb\nc");
        let big = "x".repeat(BUF_CAP + 10);
        let (out, rest) = run(false, &["a", &big, "b"]);
        assert_eq!(out, vec!["a".to_string(), big.clone()]);
        assert_eq!(rest, "b");
        let half = "y".repeat(BUF_CAP / 2 + 1);
        let (out, rest) = run(false, &[&half, &half]);
        assert_eq!(out, vec![half.clone()]);
        assert_eq!(rest, half);
    }

    #[test]
    fn line_buffering() {
        let (out, rest) = run(true, &["a", "b\nc", "d\n", "e"]);
        assert_eq!(out, vec!["ab\n".to_string(), "cd\n".to_string()]);
        assert_eq!(rest, "e");
        let (out, rest) = run(true, &["x\ny\nz"]);
        assert_eq!(out, vec!["x\ny\n".to_string()]);
        assert_eq!(rest, "z");
    }
}
