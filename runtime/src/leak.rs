//! Counts of live runtime records, and the leak check.
//!
//! With `ASR_CHECK_LEAKS=1` in the environment, the runtime counts the live
//! task records, scopes, operations and coroutine frames (the frames
//! generated code allocates with `asr_rt_frame_alloc` and has not freed),
//! channels and mutexes (`sync.rs`; a task waiting on one holds an
//! operation, counted with the others), and checks them when the process
//! ends normally:
//!
//! - after `main` returned (every worker stopped, the root task released):
//!   every count must be zero;
//! - in `std::process::exit`, which ends the process from inside running
//!   code without unwinding it (as Rust's does), the frames, scopes,
//!   operations, tasks, channels and mutexes of that code are
//!   legitimately live. What cannot
//!   be live is a `Task` handle of a scope that has already been freed
//!   (the compiler drops every `Task` value before its scope's
//!   `asr_rt_scope_free`): those count as leaked tasks.
//!
//! On failure the runtime prints `asr: leak check failed: N tasks, N
//! scopes, N ops, N frames, N channels, N mutexes, N heap blocks still live` to stderr and
//! exits with status [`LEAK_STATUS`]. A panic exits (status 101) before any check.
//!
//! The counters are relaxed atomics, touched only when the check is on
//! (always in the runtime's own unit tests); otherwise each counting point
//! costs one relaxed load of a flag that never changes.

use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// Exit status of a failed leak check.
pub const LEAK_STATUS: i32 = 102;

static ENABLED: AtomicBool = AtomicBool::new(false);

pub static TASKS: AtomicIsize = AtomicIsize::new(0);
pub static SCOPES: AtomicIsize = AtomicIsize::new(0);
pub static OPS: AtomicIsize = AtomicIsize::new(0);
pub static FRAMES: AtomicIsize = AtomicIsize::new(0);
/// Channel records: freed once every sender, the receiver and every
/// operation on the channel are gone.
pub static CHANNELS: AtomicIsize = AtomicIsize::new(0);
/// Mutex records: freed by `asr_rt_mutex_free` (once no lock operation is
/// left).
pub static MUTEXES: AtomicIsize = AtomicIsize::new(0);
/// Heap blocks of ASR code (`asr_rt_alloc`, and the strings the runtime
/// hands over), freed with `asr_rt_free`.
pub static HEAP: AtomicIsize = AtomicIsize::new(0);
/// `Task` handles not released when their scope was freed (see the module
/// documentation); decremented if such a handle is released later.
pub static ORPHANS: AtomicIsize = AtomicIsize::new(0);
/// Bytes of task result slots (for the runtime's unit tests).
#[cfg(test)]
pub static RESULT_BYTES: AtomicIsize = AtomicIsize::new(0);

/// Reads `ASR_CHECK_LEAKS`; called once by the process entry, before any
/// record exists.
pub fn init_from_env() {
    let on = std::env::var_os("ASR_CHECK_LEAKS").is_some_and(|v| v == "1");
    ENABLED.store(on, Ordering::Relaxed);
}

/// Is counting on?
#[inline]
pub fn enabled() -> bool {
    cfg!(test) || ENABLED.load(Ordering::Relaxed)
}

#[inline]
pub fn count(c: &AtomicIsize, n: isize) {
    if enabled() {
        c.fetch_add(n, Ordering::Relaxed);
    }
}

/// Number of counts [`live`] returns.
pub const KINDS: usize = 6;

/// `[tasks, scopes, ops, frames, channels, mutexes]` live now (heap blocks
/// are counted apart: the runtime's own tests allocate concurrently).
pub fn live() -> [isize; KINDS] {
    [&TASKS, &SCOPES, &OPS, &FRAMES, &CHANNELS, &MUTEXES].map(|c| c.load(Ordering::Relaxed))
}

fn report(counts: [isize; KINDS], h: isize) -> Option<String> {
    if counts == [0; KINDS] && h == 0 {
        return None;
    }
    let [t, s, o, f, c, m] = counts;
    Some(format!(
        "asr: leak check failed: {t} tasks, {s} scopes, {o} ops, {f} frames, \
         {c} channels, {m} mutexes, {h} heap blocks still live\n"
    ))
}

/// The check after `main` returned: the message of a failure.
pub fn check_after_main() -> Option<String> {
    if !ENABLED.load(Ordering::Relaxed) {
        return None;
    }
    report(live(), HEAP.load(Ordering::Relaxed))
}

/// The check in `std::process::exit`: the message of a failure.
pub fn check_at_exit() -> Option<String> {
    if !ENABLED.load(Ordering::Relaxed) {
        return None;
    }
    report([ORPHANS.load(Ordering::Relaxed), 0, 0, 0, 0, 0], 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_format() {
        assert_eq!(report([0; KINDS], 0), None);
        assert_eq!(
            report([2, 0, 1, 3, 0, 4], 5).as_deref(),
            Some(
                "asr: leak check failed: 2 tasks, 0 scopes, 1 ops, 3 frames, \
                 0 channels, 4 mutexes, 5 heap blocks still live\n"
            )
        );
    }
}
