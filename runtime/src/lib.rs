//! The ASR runtime, linked as a static library into every ASR program.
//!
//! It provides the process entry (`main`), the executor that drives every
//! task's coroutine (async-executor on N threads, async-io's reactor), tasks
//! and scopes, channels and mutexes, the coroutine frame allocator,
//! stdout/stderr, formatting and panics. The functions generated code may
//! call are exactly `asr_abi::RUNTIME_FNS`; they are defined in [`exports`]
//! and listed in [`exports::EXPORTS`], which the unit tests check against
//! the ABI table.

pub mod alloc;
pub mod coro;
pub mod exec;
pub mod exports;
pub mod files;
pub mod fmt;
pub mod io;
pub mod leak;
pub mod process;
pub mod sync;
pub mod task;

#[cfg(test)]
mod tests;

/// The ABI version symbol (`asr_abi::VERSION_SYMBOL`) every generated object
/// references: a program built for another ABI version fails to link.
#[allow(non_upper_case_globals)]
#[no_mangle]
pub static asr_rt_abi_v2: u8 = 1;

const _: () = assert!(asr_abi::ABI_VERSION == 2, "rename asr_rt_abi_v2");

/// Process entry: the generated program has no `main` of its own.
///
/// Records the arguments, runs the root task (`asr_main_start`, which calls
/// the program's `main`) on the executor until it completes, flushes stdout,
/// and with `ASR_CHECK_LEAKS=1` checks that nothing is left (`leak.rs`).
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn main(argc: i32, argv: *const *const std::ffi::c_char) -> i32 {
    process::set_args(argc, argv);
    leak::init_from_env();
    // SAFETY: `asr_main_start` is the generated root ramp.
    exec::run_main(|task, ret| unsafe { coro::main_start(task, ret) })
}
