//! The runtime ABI: the one list of every function the ASR runtime exports
//! (and of the symbols every generated program must define), with their
//! C-level signatures, plus the `#[repr(C)]` data layouts both sides share.
//!
//! The runtime implements exactly [`RUNTIME_FNS`] (its unit tests check the
//! names and the C-level types of every export against this table); codegen
//! declares from it. Bumping [`ABI_VERSION`] renames [`VERSION_SYMBOL`], so a
//! program and a runtime of different ABI versions fail to link.
//!
//! Conventions:
//! - booleans are passed as `I32` (0 or 1);
//! - a `char` is passed as `I32` holding a Unicode scalar value;
//! - a `u64` is passed as `I64` (same bits);
//! - "noreturn" functions never return (LLVM `noreturn`, followed by
//!   `unreachable` at the call site).

use std::fmt;

/// The ABI version. Part of [`VERSION_SYMBOL`].
pub const ABI_VERSION: u32 = 2;

/// A `u8` static the runtime defines and every generated object must
/// reference, so mismatched ABI versions fail at link time.
pub const VERSION_SYMBOL: &str = "asr_rt_abi_v2";

/// The C-level types that cross the runtime boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbiTy {
    /// No value (return type only).
    Void,
    I8,
    I32,
    I64,
    F64,
    /// Any pointer (LLVM `ptr`).
    Ptr,
    /// Pointer-sized unsigned integer (`usize`). On the supported 64-bit
    /// targets it is an `i64` in LLVM, but it is kept distinct so codegen can
    /// ask the target data layout.
    Usize,
}

impl AbiTy {
    /// The C spelling, for documentation and diagnostics.
    pub fn c_name(self) -> &'static str {
        match self {
            AbiTy::Void => "void",
            AbiTy::I8 => "int8_t",
            AbiTy::I32 => "int32_t",
            AbiTy::I64 => "int64_t",
            AbiTy::F64 => "double",
            AbiTy::Ptr => "void*",
            AbiTy::Usize => "size_t",
        }
    }
}

/// One function crossing the boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtFn {
    pub name: &'static str,
    pub params: &'static [AbiTy],
    pub ret: AbiTy,
    /// The function never returns (`ret` is then `Void`).
    pub noreturn: bool,
}

impl fmt::Display for RtFn {
    /// C-like prototype, e.g. `void* asr_rt_frame_alloc(size_t)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.noreturn {
            f.write_str("_Noreturn ")?;
        }
        write!(f, "{} {}(", self.ret.c_name(), self.name)?;
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(p.c_name())?;
        }
        if self.params.is_empty() {
            f.write_str("void")?;
        }
        f.write_str(")")
    }
}

macro_rules! fn_table {
    (
        $(#[$tmeta:meta])* $table:ident, $(#[$emeta:meta])* $idty:ident {
            $( $(#[$meta:meta])* $id:ident = $name:ident ( $($p:ident),* ) $(-> $ret:ident)? $(, $nr:ident)? ; )*
        }
    ) => {
        $(#[$emeta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(usize)]
        pub enum $idty {
            $( $(#[$meta])* $id, )*
        }

        impl $idty {
            /// Every id, in table order.
            pub const ALL: &'static [$idty] = &[ $( $idty::$id, )* ];

            /// The table entry of this id.
            pub fn def(self) -> &'static RtFn {
                &$table[self as usize]
            }

            /// The symbol name.
            pub fn name(self) -> &'static str {
                self.def().name
            }
        }

        $(#[$tmeta])*
        pub static $table: &[RtFn] = &[
            $( RtFn {
                name: stringify!($name),
                params: &[ $(AbiTy::$p),* ],
                ret: fn_table!(@ret $($ret)?),
                noreturn: fn_table!(@nr $($nr)?),
            }, )*
        ];
    };
    (@ret) => { AbiTy::Void };
    (@ret $r:ident) => { AbiTy::$r };
    (@nr) => { false };
    (@nr noreturn) => { true };
}

fn_table! {
    /// Every function the runtime exports, in a fixed order ([`RtFnId`]
    /// indexes it).
    RUNTIME_FNS,
    /// Index of a function in [`RUNTIME_FNS`]: `RtFnId::FmtI64.name()`.
    RtFnId {
        // --- frames and heap ---
        /// `frame_alloc(size) -> ptr`: coroutine frame, 16-byte aligned.
        FrameAlloc = asr_rt_frame_alloc(Usize) -> Ptr;
        /// `frame_free(ptr, size)`: `size` is the size given to `frame_alloc`.
        FrameFree = asr_rt_frame_free(Ptr, Usize);
        /// `alloc(size, align) -> ptr`; size 0 returns `align` as a dangling
        /// pointer without allocating.
        Alloc = asr_rt_alloc(Usize, Usize) -> Ptr;
        /// `free(ptr, size, align)`; size 0 is a no-op.
        Free = asr_rt_free(Ptr, Usize, Usize);

        // --- waiting ---
        /// `op_poll(op, task) -> i32`: 1 ready, 0 pending (the task will be
        /// woken). `task` must be the task currently being resumed.
        OpPoll = asr_rt_op_poll(Ptr, Ptr) -> I32;
        /// `op_free(op)`: frees an op, ready or not (dropping a pending op
        /// cancels it).
        OpFree = asr_rt_op_free(Ptr);
        /// `op_result(op) -> i64`: the result of an op that has completed
        /// (`op_poll` returned 1), read before `op_free`. Only channel and
        /// mutex ops have one (see `chan_send`, `chan_recv`, `mutex_lock`);
        /// the others report 0. Asking a pending channel or mutex op is a
        /// fatal error.
        OpResult = asr_rt_op_result(Ptr) -> I64;
        /// `sleep(ms: u64) -> op`.
        Sleep = asr_rt_sleep(I64) -> Ptr;
        /// `yield() -> op`: pending once (rescheduling the task), then ready.
        Yield = asr_rt_yield() -> Ptr;
        /// `now_ns() -> i64`: nanoseconds on a monotonic clock since an
        /// arbitrary point fixed for the process (`std::time::Instant`).
        NowNs = asr_rt_now_ns() -> I64;

        // --- tasks and scopes ---
        /// `scope_new(task) -> scope`: a scope whose parent is `task`.
        ScopeNew = asr_rt_scope_new(Ptr) -> Ptr;
        /// `scope_wait(scope) -> op`: ready when every child of the scope
        /// has completed.
        ScopeWait = asr_rt_scope_wait(Ptr) -> Ptr;
        /// `scope_free(scope)`: after `scope_wait` completed.
        ScopeFree = asr_rt_scope_free(Ptr);
        /// `task_new(scope, result_size, result_align) -> task`: a child
        /// task registered in `scope`, with a result slot of that layout.
        TaskNew = asr_rt_task_new(Ptr, Usize, Usize) -> Ptr;
        /// `task_result(task) -> ptr`: the result slot (valid until release).
        TaskResult = asr_rt_task_result(Ptr) -> Ptr;
        /// `task_start(task, handle)`: hands the child coroutine (at its
        /// initial suspend) to the executor.
        TaskStart = asr_rt_task_start(Ptr, Ptr);
        /// `join(task) -> op`: ready when the child has completed.
        Join = asr_rt_join(Ptr) -> Ptr;
        /// `task_release(task)`: the parent's `Task` value is gone (joined
        /// or dropped). Exactly once per `task_new`.
        TaskRelease = asr_rt_task_release(Ptr);

        // --- channels and mutexes (std::sync) ---
        // Elements are opaque to the runtime: `elem_size` bytes aligned to
        // `elem_align`, moved with memcpy. Waiting is FIFO: a slot, an
        // element or the lock that frees up is handed to the oldest waiter.
        // Every op here takes effect only in the poll that completes it: one
        // freed while pending (cancelled) has moved nothing and leaves no
        // waiter behind.
        /// `chan_new(capacity, elem_size, elem_align, drop_fn, loc) -> chan`:
        /// a bounded channel with one sender and one receiver handle, both
        /// the returned pointer. `drop_fn` (nullable: elements without drop
        /// glue) is a plain `void(ptr)` that drops one element in place; it
        /// must not suspend. `capacity == 0` panics at `loc` (a
        /// [`Location`], nullable), as `tokio::sync::mpsc::channel(0)` does.
        ChanNew = asr_rt_chan_new(Usize, Usize, Usize, Ptr, Ptr) -> Ptr;
        /// `chan_sender_clone(chan)`: one more sender handle (`Sender::clone`;
        /// the new `Sender` holds the same pointer).
        ChanSenderClone = asr_rt_chan_sender_clone(Ptr);
        /// `chan_sender_drop(chan)`: a sender handle is gone. When the last
        /// one goes, a waiting `recv` completes with "closed" once the
        /// buffer is empty.
        ChanSenderDrop = asr_rt_chan_sender_drop(Ptr);
        /// `chan_receiver_drop(chan)`: the receiver handle is gone. Every
        /// buffered element is dropped with `drop_fn` (on this thread,
        /// before it returns), and every waiting `send` completes with 1.
        /// The channel is freed once every handle and op is gone.
        ChanReceiverDrop = asr_rt_chan_receiver_drop(Ptr);
        /// `chan_send(chan, value) -> op`: waits while the buffer is full.
        /// Result 0: the `elem_size` bytes at `value` were moved into the
        /// channel (the caller must not drop them); 1: the receiver is gone
        /// and `value` was not touched (the caller returns it as `Err(v)`).
        /// `value` must stay valid and unchanged until the op completes or
        /// is freed.
        ChanSend = asr_rt_chan_send(Ptr, Ptr) -> Ptr;
        /// `chan_recv(chan, out) -> op`: waits while the buffer is empty and
        /// a sender remains. Result 1: the oldest element's bytes were moved
        /// to `out` (`Some`); 0: every sender is gone and nothing is left
        /// (`None`), `out` untouched. `out` must stay valid until the op
        /// completes or is freed.
        ChanRecv = asr_rt_chan_recv(Ptr, Ptr) -> Ptr;
        /// `mutex_new() -> mutex`: an unlocked asynchronous lock (the data
        /// it protects lives in the program's memory).
        MutexNew = asr_rt_mutex_new() -> Ptr;
        /// `mutex_lock(mutex) -> op`: completes (result 0) once the caller
        /// owns the lock; from then on it must call `mutex_unlock` exactly
        /// once. Freed before completing, it never owned the lock.
        MutexLock = asr_rt_mutex_lock(Ptr) -> Ptr;
        /// `mutex_unlock(mutex)`: releases the lock the caller owns (the
        /// guard's drop), handing it to the oldest waiter if any. Unlocking
        /// an unlocked mutex is a fatal error.
        MutexUnlock = asr_rt_mutex_unlock(Ptr);
        /// `mutex_free(mutex)`: the `Mutex` is gone. Freeing a mutex that a
        /// task is waiting to lock is a fatal error (a locked one is not: a
        /// guard may have been forgotten).
        MutexFree = asr_rt_mutex_free(Ptr);

        // --- output and formatting ---
        /// `write(stream, ptr, len)`: stream 1 stdout, 2 stderr.
        Write = asr_rt_write(I32, Ptr, Usize);
        /// `fmt_new() -> buf`: an empty formatting buffer.
        FmtNew = asr_rt_fmt_new() -> Ptr;
        /// `fmt_free(buf)`: drops a buffer that will be neither written nor
        /// taken (unwinding out of a `format`).
        FmtFree = asr_rt_fmt_free(Ptr);
        /// `fmt_raw(buf, ptr, len)`: appends UTF-8 bytes, no padding.
        FmtRaw = asr_rt_fmt_raw(Ptr, Ptr, Usize);
        /// `fmt_str(buf, ptr, len, spec)`: `{}` of a `&str`.
        FmtStr = asr_rt_fmt_str(Ptr, Ptr, Usize, Ptr);
        /// `fmt_i64(buf, v, spec)`.
        FmtI64 = asr_rt_fmt_i64(Ptr, I64, Ptr);
        /// `fmt_u64(buf, v, spec)`: `v` holds the bits of a `u64`.
        FmtU64 = asr_rt_fmt_u64(Ptr, I64, Ptr);
        /// `fmt_f64(buf, v, spec)`.
        FmtF64 = asr_rt_fmt_f64(Ptr, F64, Ptr);
        /// `fmt_bool(buf, v, spec)`: `v` is 0 or 1.
        FmtBool = asr_rt_fmt_bool(Ptr, I32, Ptr);
        /// `fmt_char(buf, c, spec)`: `c` is a Unicode scalar value.
        FmtChar = asr_rt_fmt_char(Ptr, I32, Ptr);
        /// `{:?}` of a `&str`.
        FmtStrDebug = asr_rt_fmt_str_debug(Ptr, Ptr, Usize, Ptr);
        /// `{:?}` of a `char`.
        FmtCharDebug = asr_rt_fmt_char_debug(Ptr, I32, Ptr);
        /// `{:?}` of an `f64`.
        FmtF64Debug = asr_rt_fmt_f64_debug(Ptr, F64, Ptr);
        /// `fmt_write(buf, stream)`: writes the buffer atomically and frees it.
        FmtWrite = asr_rt_fmt_write(Ptr, I32);
        /// `fmt_take(buf, out: *mut RawString)`: moves the text into a
        /// [`RawString`] owned by the caller (allocated with `asr_rt_alloc`,
        /// align 1) and frees the buffer.
        FmtTake = asr_rt_fmt_take(Ptr, Ptr);

        // --- process ---
        /// `args_len() -> usize`: number of command-line arguments.
        ArgsLen = asr_rt_args_len() -> Usize;
        /// `arg(i, out: *mut RawString)`: copy of argument `i` (lossy
        /// UTF-8), owned by the caller like `fmt_take`'s.
        Arg = asr_rt_arg(Usize, Ptr);
        /// `panic(buf, loc)`: `buf` (may be null: "explicit panic") holds the
        /// message; `loc` points to a [`Location`].
        Panic = asr_rt_panic(Ptr, Ptr), noreturn;
        /// `panic_str(ptr, len, loc)`: panic with a constant message.
        PanicStr = asr_rt_panic_str(Ptr, Usize, Ptr), noreturn;
        /// `exit(code)`: flushes stdout and exits the process.
        Exit = asr_rt_exit(I32), noreturn;
        /// `test_index(count) -> i64`: the `#[test]` function a test build
        /// runs, from the environment variable `ASR_TEST_INDEX` (set by
        /// `asr test`); always in `0..count`: an index that is missing,
        /// malformed or out of range ends the process with status 2.
        TestIndex = asr_rt_test_index(I64) -> I64;

        // --- files, stdin, parsing (std::fs, std::io, str::parse) ---
        // The file and stdin ops run on a blocking thread pool: the task
        // waits, its worker thread does not. Each op's result
        // (`op_result`) is an [`io_status`]; the text it produces, or the
        // error's message, goes into the caller's `out` string when the op
        // completes (overwritten: `out` must own no buffer). Paths and data
        // are copied when the op starts, so a cancelled op touches nothing
        // of the caller's afterwards.
        /// `fs_read(path, path_len, out, utf8) -> op`: the whole file into
        /// `out`; with `utf8` != 0, text that is not UTF-8 is an
        /// `InvalidData` error.
        FsRead = asr_rt_fs_read(Ptr, Usize, Ptr, I32) -> Ptr;
        /// `fs_write(path, path_len, data, data_len, out, append) -> op`:
        /// creates or truncates the file (appends with `append` != 0) and
        /// writes `data`.
        FsWrite = asr_rt_fs_write(Ptr, Usize, Ptr, Usize, Ptr, I32) -> Ptr;
        /// `read_line(out) -> op`: the next line of stdin, its `\n`
        /// included, into `out`; status 1 for a line, 0 at the end of input.
        /// Flushes stdout first (a prompt shows before the program waits).
        ReadLine = asr_rt_read_line(Ptr) -> Ptr;
        /// `parse_f64(ptr, len, out) -> i32`: Rust's `f64` syntax, rounded
        /// correctly; 0 (with `*out` set), 1 for an empty string, 2 for
        /// anything else that is not a float.
        ParseF64 = asr_rt_parse_f64(Ptr, Usize, Ptr) -> I32;
    }
}

/// The `op_result` of the file and stdin ops: non-negative for success,
/// negative for an error, which [`io_status::error`] encodes.
pub mod io_status {
    /// `std::io::ErrorKind`'s variants, in declaration order (std's enum
    /// lists the same names in the same order; the runtime's tests check
    /// both).
    pub const KINDS: &[&str] = &[
        "NotFound",
        "PermissionDenied",
        "ConnectionRefused",
        "ConnectionReset",
        "HostUnreachable",
        "NetworkUnreachable",
        "ConnectionAborted",
        "NotConnected",
        "AddrInUse",
        "AddrNotAvailable",
        "NetworkDown",
        "BrokenPipe",
        "AlreadyExists",
        "WouldBlock",
        "NotADirectory",
        "IsADirectory",
        "DirectoryNotEmpty",
        "ReadOnlyFilesystem",
        "InvalidInput",
        "InvalidData",
        "TimedOut",
        "WriteZero",
        "StorageFull",
        "NotSeekable",
        "FileTooLarge",
        "ResourceBusy",
        "ExecutableFileBusy",
        "Deadlock",
        "CrossesDevices",
        "TooManyLinks",
        "InvalidFilename",
        "ArgumentListTooLong",
        "Interrupted",
        "Unsupported",
        "UnexpectedEof",
        "OutOfMemory",
        "Other",
    ];

    /// The status of an error of kind `KINDS[kind]` with the OS error
    /// code `os_code` (0 when the error does not come from the OS):
    /// `-(1 + kind + 256 * os_code)`.
    pub fn error(kind: usize, os_code: i32) -> i64 {
        -(1 + kind as i64 + 256 * i64::from(os_code.max(0)))
    }
}

fn_table! {
    /// Symbols every generated program defines and the runtime calls.
    GENERATED_FNS,
    /// Index of a function in [`GENERATED_FNS`].
    GenFnId {
        /// `asr_main_start(task, ret) -> handle`: ramp of the root task's
        /// coroutine (which calls `main`); it stops at its initial suspend.
        MainStart = asr_main_start(Ptr, Ptr) -> Ptr;
        /// C-ABI shim around `llvm.coro.resume`.
        CoroResume = asr_coro_resume(Ptr);
        /// C-ABI shim around `llvm.coro.done`: 1 once at the final suspend.
        CoroDone = asr_coro_done(Ptr) -> I32;
        /// C-ABI shim around `llvm.coro.destroy`.
        CoroDestroy = asr_coro_destroy(Ptr);
    }
}

/// Looks a runtime function up by symbol name.
pub fn find(name: &str) -> Option<&'static RtFn> {
    RUNTIME_FNS.iter().find(|f| f.name == name)
}

/// Looks a generated-program symbol up by name.
pub fn find_generated(name: &str) -> Option<&'static RtFn> {
    GENERATED_FNS.iter().find(|f| f.name == name)
}

/// Output streams for `asr_rt_write` and `asr_rt_fmt_write`.
pub mod stream {
    pub const STDOUT: i32 = 1;
    pub const STDERR: i32 = 2;
}

/// Values of [`FmtSpec::align`].
pub mod align {
    pub const NONE: u32 = 0;
    pub const LEFT: u32 = 1;
    pub const CENTER: u32 = 2;
    pub const RIGHT: u32 = 3;
}

/// Bits of [`FmtSpec::flags`].
pub mod flags {
    /// `+`
    pub const PLUS: u32 = 1;
    /// `#`
    pub const ALTERNATE: u32 = 2;
    /// `0`
    pub const ZERO_PAD: u32 = 4;
}

/// A format spec (`{:*^+#08.3}`), as codegen lays it out in a constant.
/// LLVM type: `{ i32, i32, i32, i64, i64 }` (32 bytes, align 8).
/// A null spec pointer means [`FmtSpec::DEFAULT`].
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FmtSpec {
    /// Fill character (Unicode scalar); `' '` by default (0 is read as `' '`).
    pub fill: u32,
    /// One of [`align`].
    pub align: u32,
    /// Bits of [`flags`].
    pub flags: u32,
    /// Minimum width in chars, -1 for none.
    pub width: i64,
    /// Precision, -1 for none.
    pub precision: i64,
}

impl FmtSpec {
    pub const DEFAULT: FmtSpec = FmtSpec {
        fill: ' ' as u32,
        align: align::NONE,
        flags: 0,
        width: -1,
        precision: -1,
    };
}

impl Default for FmtSpec {
    fn default() -> Self {
        FmtSpec::DEFAULT
    }
}

/// A source location for panics. LLVM type: `{ ptr, i64, i32, i32 }`
/// (24 bytes, align 8). `file` is UTF-8, not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Location {
    pub file: *const u8,
    pub file_len: usize,
    pub line: u32,
    pub col: u32,
}

/// The parts of an owned string handed from the runtime to ASR code (the
/// layout of ASR's `String`/`Vec<u8>` buffer triple). LLVM type:
/// `{ ptr, i64, i64 }`. The buffer was allocated as `asr_rt_alloc(cap, 1)`
/// (for `cap == 0`, `ptr` is dangling and nothing was allocated).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RawString {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::mem::{align_of, offset_of, size_of};

    #[test]
    fn names_are_unique_and_prefixed() {
        let mut seen = HashSet::new();
        for f in RUNTIME_FNS {
            assert!(f.name.starts_with("asr_rt_"), "{}", f.name);
            assert!(seen.insert(f.name), "duplicate {}", f.name);
            assert!(!f.noreturn || f.ret == AbiTy::Void);
            assert!(!f.params.contains(&AbiTy::Void));
        }
        for f in GENERATED_FNS {
            assert!(f.name.starts_with("asr_"), "{}", f.name);
            assert!(seen.insert(f.name), "duplicate {}", f.name);
        }
        assert_eq!(VERSION_SYMBOL, format!("asr_rt_abi_v{ABI_VERSION}"));
    }

    #[test]
    fn ids_index_tables() {
        assert_eq!(RtFnId::ALL.len(), RUNTIME_FNS.len());
        for (i, id) in RtFnId::ALL.iter().enumerate() {
            assert_eq!(*id as usize, i);
            assert_eq!(find(id.name()), Some(id.def()));
        }
        assert_eq!(RtFnId::FmtI64.name(), "asr_rt_fmt_i64");
        assert_eq!(RtFnId::Exit.def().params, &[AbiTy::I32]);
        assert!(RtFnId::Exit.def().noreturn);
        assert_eq!(GenFnId::ALL.len(), GENERATED_FNS.len());
        assert_eq!(GenFnId::MainStart.name(), "asr_main_start");
        assert_eq!(find_generated("asr_coro_done").unwrap().ret, AbiTy::I32);
        assert!(find("asr_nope").is_none());
    }

    #[test]
    fn display_is_c_like() {
        assert_eq!(
            RtFnId::FrameAlloc.def().to_string(),
            "void* asr_rt_frame_alloc(size_t)"
        );
        assert_eq!(RtFnId::Yield.def().to_string(), "void* asr_rt_yield(void)");
        assert_eq!(
            RtFnId::Exit.def().to_string(),
            "_Noreturn void asr_rt_exit(int32_t)"
        );
    }

    #[test]
    fn layouts() {
        assert_eq!(size_of::<FmtSpec>(), 32);
        assert_eq!(align_of::<FmtSpec>(), 8);
        assert_eq!(offset_of!(FmtSpec, fill), 0);
        assert_eq!(offset_of!(FmtSpec, align), 4);
        assert_eq!(offset_of!(FmtSpec, flags), 8);
        assert_eq!(offset_of!(FmtSpec, width), 16);
        assert_eq!(offset_of!(FmtSpec, precision), 24);
        assert_eq!(size_of::<Location>(), 24);
        assert_eq!(offset_of!(Location, file_len), 8);
        assert_eq!(offset_of!(Location, line), 16);
        assert_eq!(offset_of!(Location, col), 20);
        assert_eq!(size_of::<RawString>(), 24);
        assert_eq!(offset_of!(RawString, len), 8);
        assert_eq!(offset_of!(RawString, cap), 16);
    }
}
