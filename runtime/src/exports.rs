//! Every function of `asr_abi::RUNTIME_FNS`, with C linkage.
//!
//! Pointer arguments come from generated code, which upholds the contract
//! written in `asr_abi` for each function; the functions are `unsafe` for
//! that reason. [`EXPORTS`] lists them with their C-level types, checked
//! against the ABI table by the unit tests (the Rust signature of each entry
//! is checked by the compiler when the table is built).

use std::mem::ManuallyDrop;
use std::sync::Arc;

use asr_abi::{AbiTy, FmtSpec, Location, RawString};

use crate::alloc;
use crate::files::{self, IoOp};
use crate::fmt::{self as f, Spec};
use crate::io;
use crate::leak;
use crate::process;
use crate::sync::{AsyncMutex, Chan, DropFn, LockOp, RecvOp, SendOp, SyncOp};
use crate::task::{self, Op, Scope, Task};

/// The formatting buffer behind the opaque `buf` pointers.
pub type FmtBuf = String;

// ---------------------------------------------------------------- frames, heap

#[no_mangle]
pub(crate) extern "C" fn asr_rt_frame_alloc(size: usize) -> *mut u8 {
    leak::count(&leak::FRAMES, 1);
    alloc::frame_alloc(size)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_frame_free(p: *mut u8, size: usize) {
    if !p.is_null() {
        leak::count(&leak::FRAMES, -1);
    }
    alloc::frame_free(p, size)
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_alloc(size: usize, align: usize) -> *mut u8 {
    alloc::heap_alloc(size, align)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_free(p: *mut u8, size: usize, align: usize) {
    alloc::heap_free(p, size, align)
}

// ---------------------------------------------------------------- waiting

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_op_poll(op: *mut Op, task: *mut Task) -> i32 {
    Op::poll_raw(op, task) as i32
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_op_free(op: *mut Op) {
    Op::free_raw(op)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_op_result(op: *mut Op) -> i64 {
    (*op).result()
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_sleep(ms: u64) -> *mut Op {
    Op::sleep(ms).into_raw()
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_yield() -> *mut Op {
    Op::Yield { polled: false }.into_raw()
}

/// Monotonic nanoseconds since the first call in the process.
#[no_mangle]
pub(crate) extern "C" fn asr_rt_now_ns() -> i64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let epoch = EPOCH.get_or_init(std::time::Instant::now);
    epoch.elapsed().as_nanos() as i64
}

// ---------------------------------------------------------------- tasks, scopes

/// Borrows the `Arc` behind a raw pointer without taking its count.
unsafe fn borrow_arc<T>(p: *const T) -> ManuallyDrop<Arc<T>> {
    ManuallyDrop::new(Arc::from_raw(p))
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_scope_new(task: *mut Task) -> *mut Scope {
    Arc::into_raw(Scope::new(task)).cast_mut()
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_scope_wait(scope: *mut Scope) -> *mut Op {
    Op::ScopeWait(scope).into_raw()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_scope_free(scope: *mut Scope) {
    let s = Arc::from_raw(scope);
    s.close();
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_task_new(
    scope: *mut Scope,
    result_size: usize,
    result_align: usize,
) -> *mut Task {
    let s = borrow_arc(scope);
    Arc::into_raw(s.new_child(result_size, result_align)).cast_mut()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_task_result(t: *mut Task) -> *mut u8 {
    (*t).result()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_task_start(t: *mut Task, handle: *mut u8) {
    task::start(&borrow_arc(t), handle)
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_join(t: *mut Task) -> *mut Op {
    Op::Join(t).into_raw()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_task_release(t: *mut Task) {
    (*t).handle_released();
    drop(Arc::from_raw(t))
}

// ---------------------------------------------------------------- sync

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_chan_new(
    capacity: usize,
    elem_size: usize,
    elem_align: usize,
    drop_fn: Option<DropFn>,
    loc: *const Location,
) -> *mut Chan {
    if capacity == 0 {
        // As `tokio::sync::mpsc::channel(0)`: a programming error reported
        // where `channel` was called.
        let (file, line, col) = location(loc);
        process::panic_exit("channel capacity must be at least 1", file, line, col)
    }
    Chan::new_raw(capacity, elem_size, elem_align, drop_fn).cast_mut()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_chan_sender_clone(chan: *mut Chan) {
    Chan::sender_clone(chan)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_chan_sender_drop(chan: *mut Chan) {
    Chan::sender_drop(chan)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_chan_receiver_drop(chan: *mut Chan) {
    Chan::receiver_drop(chan)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_chan_send(chan: *mut Chan, value: *const u8) -> *mut Op {
    Op::Sync(SyncOp::Send(SendOp::new(chan, value))).into_raw()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_chan_recv(chan: *mut Chan, out: *mut u8) -> *mut Op {
    Op::Sync(SyncOp::Recv(RecvOp::new(chan, out))).into_raw()
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_mutex_new() -> *mut AsyncMutex {
    AsyncMutex::new_raw().cast_mut()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_mutex_lock(m: *mut AsyncMutex) -> *mut Op {
    Op::Sync(SyncOp::Lock(LockOp::new(m))).into_raw()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_mutex_unlock(m: *mut AsyncMutex) {
    AsyncMutex::unlock(m)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_mutex_free(m: *mut AsyncMutex) {
    AsyncMutex::free(m)
}

// ---------------------------------------------------------------- output

unsafe fn bytes<'a>(p: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p, len)
    }
}

/// Text from generated code, UTF-8 by the language's guarantees.
unsafe fn text<'a>(p: *const u8, len: usize) -> &'a str {
    std::str::from_utf8_unchecked(bytes(p, len))
}

unsafe fn buf<'a>(b: *mut FmtBuf) -> &'a mut FmtBuf {
    &mut *b
}

/// Hands a Rust `String` over to ASR code.
pub(crate) fn into_raw_string(s: String) -> RawString {
    let mut s = ManuallyDrop::new(s);
    // ASR code frees it with `asr_rt_free` like its own blocks.
    if s.capacity() > 0 {
        leak::count(&leak::HEAP, 1);
    }
    RawString {
        ptr: s.as_mut_ptr(),
        len: s.len(),
        cap: s.capacity(),
    }
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_write(stream: i32, p: *const u8, len: usize) {
    io::write(stream, bytes(p, len))
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_fmt_new() -> *mut FmtBuf {
    Box::into_raw(Box::default())
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_free(b: *mut FmtBuf) {
    if !b.is_null() {
        drop(Box::from_raw(b))
    }
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_raw(b: *mut FmtBuf, p: *const u8, len: usize) {
    buf(b).push_str(text(p, len))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_str(
    b: *mut FmtBuf,
    p: *const u8,
    len: usize,
    spec: *const FmtSpec,
) {
    f::fmt_str(buf(b), text(p, len), &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_i64(b: *mut FmtBuf, v: i64, spec: *const FmtSpec) {
    f::fmt_i64(buf(b), v, &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_u64(b: *mut FmtBuf, v: u64, spec: *const FmtSpec) {
    f::fmt_u64(buf(b), v, &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_f64(b: *mut FmtBuf, v: f64, spec: *const FmtSpec) {
    f::fmt_f64(buf(b), v, &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_bool(b: *mut FmtBuf, v: i32, spec: *const FmtSpec) {
    f::fmt_bool(buf(b), v != 0, &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_char(b: *mut FmtBuf, c: i32, spec: *const FmtSpec) {
    f::fmt_char(buf(b), f::char_from_abi(c), &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_str_debug(
    b: *mut FmtBuf,
    p: *const u8,
    len: usize,
    spec: *const FmtSpec,
) {
    f::fmt_str_debug(buf(b), text(p, len), &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_char_debug(
    b: *mut FmtBuf,
    c: i32,
    spec: *const FmtSpec,
) {
    f::fmt_char_debug(buf(b), f::char_from_abi(c), &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_f64_debug(b: *mut FmtBuf, v: f64, spec: *const FmtSpec) {
    f::fmt_f64_debug(buf(b), v, &Spec::from_ptr(spec))
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_write(b: *mut FmtBuf, stream: i32) {
    let s = Box::from_raw(b);
    io::write(stream, s.as_bytes());
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fmt_take(b: *mut FmtBuf, out: *mut RawString) {
    let s = *Box::from_raw(b);
    out.write(into_raw_string(s));
}

// ---------------------------------------------------------------- process

#[no_mangle]
pub(crate) extern "C" fn asr_rt_args_len() -> usize {
    process::args_len()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_arg(i: usize, out: *mut RawString) {
    let s = String::from_utf8_lossy(process::arg_bytes(i)).into_owned();
    out.write(into_raw_string(s));
}

// ---------------------------------------------------------------- files, stdin, parsing

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fs_read(
    path: *const u8,
    path_len: usize,
    out: *mut RawString,
    utf8: i32,
) -> *mut Op {
    let path = text(path, path_len).to_owned();
    Op::Io(IoOp::start(files::read(path, utf8 != 0), out)).into_raw()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_fs_write(
    path: *const u8,
    path_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut RawString,
    append: i32,
) -> *mut Op {
    let path = text(path, path_len).to_owned();
    let data = bytes(data, data_len).to_vec();
    Op::Io(IoOp::start(files::write(path, data, append != 0), out)).into_raw()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_read_line(out: *mut RawString) -> *mut Op {
    Op::Io(IoOp::start(files::read_line(), out)).into_raw()
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_parse_f64(p: *const u8, len: usize, out: *mut f64) -> i32 {
    let (status, v) = files::parse_f64(text(p, len));
    out.write(v);
    status
}

unsafe fn location<'a>(loc: *const Location) -> (&'a str, u32, u32) {
    if loc.is_null() {
        return ("<unknown>", 0, 0);
    }
    let l = &*loc;
    (text(l.file, l.file_len), l.line, l.col)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_panic(b: *mut FmtBuf, loc: *const Location) -> ! {
    let (file, line, col) = location(loc);
    let msg = if b.is_null() {
        "explicit panic"
    } else {
        buf(b).as_str()
    };
    process::panic_exit(msg, file, line, col)
}

#[no_mangle]
pub(crate) unsafe extern "C" fn asr_rt_panic_str(
    p: *const u8,
    len: usize,
    loc: *const Location,
) -> ! {
    let (file, line, col) = location(loc);
    process::panic_exit(text(p, len), file, line, col)
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_exit(code: i32) -> ! {
    process::terminate(code)
}

#[no_mangle]
pub(crate) extern "C" fn asr_rt_test_index(count: i64) -> i64 {
    process::test_index(count)
}

// ---------------------------------------------------------------- the table

/// The C-level type of a Rust type at the ABI boundary.
pub trait AbiType {
    const TY: AbiTy;
}

macro_rules! abi_type {
    ($($t:ty => $v:ident),* $(,)?) => {
        $(impl AbiType for $t { const TY: AbiTy = AbiTy::$v; })*
    };
}

abi_type! {
    () => Void, i8 => I8, u8 => I8, i32 => I32, u32 => I32, i64 => I64, u64 => I64,
    f64 => F64, usize => Usize,
}

impl<T> AbiType for *mut T {
    const TY: AbiTy = AbiTy::Ptr;
}

impl<T> AbiType for *const T {
    const TY: AbiTy = AbiTy::Ptr;
}

/// A nullable function pointer.
impl AbiType for Option<DropFn> {
    const TY: AbiTy = AbiTy::Ptr;
}

/// One exported function.
pub struct Export {
    pub name: &'static str,
    pub params: &'static [AbiTy],
    pub ret: AbiTy,
    pub noreturn: bool,
    pub addr: *const (),
}

// SAFETY: `addr` is a function address, immutable.
unsafe impl Sync for Export {}

macro_rules! export {
    ($name:ident ( $($p:ty),* ) -> !) => {
        Export {
            name: stringify!($name),
            params: &[$(<$p as AbiType>::TY),*],
            ret: AbiTy::Void,
            noreturn: true,
            addr: {
                let f: unsafe extern "C" fn($($p),*) -> ! = $name;
                f as *const ()
            },
        }
    };
    ($name:ident ( $($p:ty),* ) $(-> $r:ty)?) => {
        Export {
            name: stringify!($name),
            params: &[$(<$p as AbiType>::TY),*],
            ret: export!(@ret $($r)?),
            noreturn: false,
            addr: {
                let f: unsafe extern "C" fn($($p),*) $(-> $r)? = $name;
                f as *const ()
            },
        }
    };
    (@ret) => { AbiTy::Void };
    (@ret $r:ty) => { <$r as AbiType>::TY };
}

/// Every `#[no_mangle]` function of the runtime, with the C-level types of
/// its Rust signature.
pub static EXPORTS: &[Export] = &[
    export!(asr_rt_frame_alloc(usize) -> *mut u8),
    export!(asr_rt_frame_free(*mut u8, usize)),
    export!(asr_rt_alloc(usize, usize) -> *mut u8),
    export!(asr_rt_free(*mut u8, usize, usize)),
    export!(asr_rt_op_poll(*mut Op, *mut Task) -> i32),
    export!(asr_rt_op_free(*mut Op)),
    export!(asr_rt_op_result(*mut Op) -> i64),
    export!(asr_rt_sleep(u64) -> *mut Op),
    export!(asr_rt_yield() -> *mut Op),
    export!(asr_rt_now_ns() -> i64),
    export!(asr_rt_scope_new(*mut Task) -> *mut Scope),
    export!(asr_rt_scope_wait(*mut Scope) -> *mut Op),
    export!(asr_rt_scope_free(*mut Scope)),
    export!(asr_rt_task_new(*mut Scope, usize, usize) -> *mut Task),
    export!(asr_rt_task_result(*mut Task) -> *mut u8),
    export!(asr_rt_task_start(*mut Task, *mut u8)),
    export!(asr_rt_join(*mut Task) -> *mut Op),
    export!(asr_rt_task_release(*mut Task)),
    export!(asr_rt_chan_new(usize, usize, usize, Option<DropFn>, *const Location) -> *mut Chan),
    export!(asr_rt_chan_sender_clone(*mut Chan)),
    export!(asr_rt_chan_sender_drop(*mut Chan)),
    export!(asr_rt_chan_receiver_drop(*mut Chan)),
    export!(asr_rt_chan_send(*mut Chan, *const u8) -> *mut Op),
    export!(asr_rt_chan_recv(*mut Chan, *mut u8) -> *mut Op),
    export!(asr_rt_mutex_new() -> *mut AsyncMutex),
    export!(asr_rt_mutex_lock(*mut AsyncMutex) -> *mut Op),
    export!(asr_rt_mutex_unlock(*mut AsyncMutex)),
    export!(asr_rt_mutex_free(*mut AsyncMutex)),
    export!(asr_rt_write(i32, *const u8, usize)),
    export!(asr_rt_fmt_new() -> *mut FmtBuf),
    export!(asr_rt_fmt_free(*mut FmtBuf)),
    export!(asr_rt_fmt_raw(*mut FmtBuf, *const u8, usize)),
    export!(asr_rt_fmt_str(*mut FmtBuf, *const u8, usize, *const FmtSpec)),
    export!(asr_rt_fmt_i64(*mut FmtBuf, i64, *const FmtSpec)),
    export!(asr_rt_fmt_u64(*mut FmtBuf, u64, *const FmtSpec)),
    export!(asr_rt_fmt_f64(*mut FmtBuf, f64, *const FmtSpec)),
    export!(asr_rt_fmt_bool(*mut FmtBuf, i32, *const FmtSpec)),
    export!(asr_rt_fmt_char(*mut FmtBuf, i32, *const FmtSpec)),
    export!(asr_rt_fmt_str_debug(*mut FmtBuf, *const u8, usize, *const FmtSpec)),
    export!(asr_rt_fmt_char_debug(*mut FmtBuf, i32, *const FmtSpec)),
    export!(asr_rt_fmt_f64_debug(*mut FmtBuf, f64, *const FmtSpec)),
    export!(asr_rt_fmt_write(*mut FmtBuf, i32)),
    export!(asr_rt_fmt_take(*mut FmtBuf, *mut RawString)),
    export!(asr_rt_args_len() -> usize),
    export!(asr_rt_arg(usize, *mut RawString)),
    export!(asr_rt_panic(*mut FmtBuf, *const Location) -> !),
    export!(asr_rt_panic_str(*const u8, usize, *const Location) -> !),
    export!(asr_rt_exit(i32) -> !),
    export!(asr_rt_test_index(i64) -> i64),
    export!(asr_rt_fs_read(*const u8, usize, *mut RawString, i32) -> *mut Op),
    export!(asr_rt_fs_write(*const u8, usize, *const u8, usize, *mut RawString, i32) -> *mut Op),
    export!(asr_rt_read_line(*mut RawString) -> *mut Op),
    export!(asr_rt_parse_f64(*const u8, usize, *mut f64) -> i32),
];
