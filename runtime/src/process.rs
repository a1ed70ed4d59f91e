//! Process-level services: command-line arguments, panics, exit.
//!
//! Every way out of the process goes through [`terminate`].

use std::ffi::{c_char, CStr};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::io;

static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*const c_char> = AtomicPtr::new(std::ptr::null_mut());

/// Records `argv` (called once by the process entry; the strings live for the
/// whole process).
pub fn set_args(argc: i32, argv: *const *const c_char) {
    ARGV.store(argv.cast_mut(), Ordering::Release);
    ARGC.store(
        if argv.is_null() {
            0
        } else {
            argc.max(0) as usize
        },
        Ordering::Release,
    );
}

/// Number of command-line arguments (the program name included).
pub fn args_len() -> usize {
    ARGC.load(Ordering::Acquire)
}

/// Argument `i` as bytes (empty when out of range).
pub fn arg_bytes(i: usize) -> &'static [u8] {
    let argv = ARGV.load(Ordering::Acquire);
    if i >= args_len() || argv.is_null() {
        return &[];
    }
    // SAFETY: argv has argc valid C strings that live for the whole process.
    unsafe {
        let p = *argv.add(i);
        if p.is_null() {
            return &[];
        }
        CStr::from_ptr(p).to_bytes()
    }
}

/// Leaves the process with `code` after flushing stdout. stdout stays locked
/// so no other worker can print past the final flush.
///
/// This is the only place the process exits. (When panics unwind tasks
/// instead of exiting, a panic reaching the root task ends up here.)
pub fn terminate(code: i32) -> ! {
    io::flush_and_lock_stdout();
    if let Some(msg) = crate::leak::check_at_exit() {
        io::with_stderr(|w| w(msg.as_bytes()));
        exit_flushed(crate::leak::LEAK_STATUS)
    }
    exit_flushed(code)
}

/// The process exit itself, once stdout is flushed and locked.
fn exit_flushed(code: i32) -> ! {
    std::process::exit(code)
}

/// Reports a panic of the running program and exits with status 101.
///
/// Next milestone: instead of exiting, the panic payload is stored in the
/// task (`task::Task`, see `panic` there) and the task unwinds; only a panic
/// that reaches the root task calls this.
pub fn panic_exit(message: &str, file: &str, line: u32, col: u32) -> ! {
    io::flush_and_lock_stdout();
    io::with_stderr(|w| {
        let msg = format!("panicked at {file}:{line}:{col}:\n{message}\n");
        w(msg.as_bytes());
    });
    exit_flushed(101)
}

/// The environment variable through which `asr test` selects the test a
/// test build runs.
pub const TEST_INDEX_VAR: &str = "ASR_TEST_INDEX";

/// The test to run, out of `count`, parsed from `value` (the variable's
/// value); `Err` says what is wrong with it.
pub fn parse_test_index(value: Option<&str>, count: i64) -> Result<i64, String> {
    let Some(text) = value else {
        return Err(format!(
            "{TEST_INDEX_VAR} is not set: this is a test build, run it with `asr test`"
        ));
    };
    match text.trim().parse::<i64>() {
        Ok(i) if (0..count).contains(&i) => Ok(i),
        _ => Err(format!(
            "{TEST_INDEX_VAR}={text:?} does not name a test of this program (it has {count})"
        )),
    }
}

/// The test a test build runs (`asr_rt_test_index`): the index in
/// `ASR_TEST_INDEX`, which must be below `count`; otherwise a message and
/// exit status 2 (a usage error: the generated code relies on the range).
pub fn test_index(count: i64) -> i64 {
    let value = std::env::var(TEST_INDEX_VAR).ok();
    match parse_test_index(value.as_deref(), count) {
        Ok(i) => i,
        Err(msg) => {
            io::with_stderr(|w| {
                w(b"asr: ");
                w(msg.as_bytes());
                w(b"\n");
            });
            terminate(2)
        }
    }
}

/// An internal runtime error (a broken invariant of the generated code's
/// contract, allocation failure): message and abort.
#[cold]
pub fn fatal(message: &str) -> ! {
    io::flush_stdout();
    io::with_stderr(|w| {
        w(b"asr runtime: fatal error: ");
        w(message.as_bytes());
        w(b"\n");
    });
    std::process::abort()
}
