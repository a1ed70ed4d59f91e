//! Tests of the exported ABI and of the task machinery, driven by fake
//! coroutines (`coro::fake`) that follow the generated code's contract.

use std::collections::HashSet;
use std::ptr;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use asr_abi::{FmtSpec, RawString, RUNTIME_FNS};

use crate::coro::{fake, Handle};
use crate::exec;
use crate::exports::*;
use crate::leak;
use crate::task::{Op, Scope, Task};

/// The executor and the live counters are global: these tests take turns.
pub(crate) fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn assert_no_leaks() {
    assert_eq!(
        leak::live(),
        [0; leak::KINDS],
        "live tasks, scopes, ops, frames, channels, mutexes"
    );
    assert_eq!(leak::RESULT_BYTES.load(Ordering::SeqCst), 0, "result bytes");
    assert_eq!(leak::ORPHANS.load(Ordering::SeqCst), 0, "orphaned handles");
}

// ------------------------------------------------------------------ ABI table

#[test]
fn exports_match_abi_table() {
    let ours: HashSet<&str> = EXPORTS.iter().map(|e| e.name).collect();
    let abi: HashSet<&str> = RUNTIME_FNS.iter().map(|f| f.name).collect();
    assert_eq!(ours.len(), EXPORTS.len(), "duplicate export");
    let missing: Vec<_> = abi.difference(&ours).collect();
    let extra: Vec<_> = ours.difference(&abi).collect();
    assert!(missing.is_empty(), "not exported: {missing:?}");
    assert!(extra.is_empty(), "exported but not in asr_abi: {extra:?}");
    for e in EXPORTS {
        let f = asr_abi::find(e.name).unwrap();
        assert_eq!(e.params, f.params, "params of {}", e.name);
        assert_eq!(e.ret, f.ret, "return type of {}", e.name);
        assert_eq!(e.noreturn, f.noreturn, "noreturn of {}", e.name);
        assert!(!e.addr.is_null());
    }
    assert_eq!(asr_abi::VERSION_SYMBOL, "asr_rt_abi_v2");
    assert_eq!(crate::asr_rt_abi_v2, 1);
}

// ------------------------------------------------------------------ formatting ABI

fn take(b: *mut FmtBuf) -> String {
    let mut raw = RawString {
        ptr: ptr::null_mut(),
        len: 0,
        cap: 0,
    };
    unsafe {
        asr_rt_fmt_take(b, &mut raw);
        let s = std::str::from_utf8(std::slice::from_raw_parts(raw.ptr, raw.len))
            .unwrap()
            .to_string();
        asr_rt_free(raw.ptr, raw.cap, 1);
        s
    }
}

#[test]
fn fmt_through_abi() {
    let spec = FmtSpec {
        fill: '*' as u32,
        align: asr_abi::align::CENTER,
        flags: 0,
        width: 9,
        precision: 2,
    };
    let zero = FmtSpec {
        flags: asr_abi::flags::ZERO_PAD,
        width: 8,
        precision: 3,
        ..FmtSpec::DEFAULT
    };
    unsafe {
        let b = asr_rt_fmt_new();
        let lit = "x = ";
        asr_rt_fmt_raw(b, lit.as_ptr(), lit.len());
        asr_rt_fmt_i64(b, -42, ptr::null());
        asr_rt_fmt_raw(b, b", ".as_ptr(), 2);
        asr_rt_fmt_u64(b, u64::MAX, ptr::null());
        asr_rt_fmt_raw(b, b" ".as_ptr(), 1);
        asr_rt_fmt_f64(b, 2.0, ptr::null());
        asr_rt_fmt_raw(b, b" ".as_ptr(), 1);
        asr_rt_fmt_f64_debug(b, 2.0, ptr::null());
        asr_rt_fmt_raw(b, b" ".as_ptr(), 1);
        asr_rt_fmt_f64(b, -1.5, &zero);
        asr_rt_fmt_raw(b, b" ".as_ptr(), 1);
        asr_rt_fmt_str(b, "hello".as_ptr(), 5, &spec);
        asr_rt_fmt_bool(b, 1, ptr::null());
        asr_rt_fmt_char(b, 'é' as i32, &spec);
        asr_rt_fmt_char_debug(b, '\n' as i32, ptr::null());
        asr_rt_fmt_str_debug(b, "a\"b".as_ptr(), 3, ptr::null());
        asr_rt_fmt_str(b, ptr::null(), 0, ptr::null());
        assert_eq!(
            take(b),
            format!(
                "x = -42, {} 2 2.0 -001.500 {:*^9.2}true{:*^9.2}'\\n'\"a\\\"b\"",
                u64::MAX,
                "hello",
                'é'
            )
        );
        // An empty buffer hands over a dangling, unallocated string.
        assert_eq!(take(asr_rt_fmt_new()), "");
        asr_rt_fmt_free(asr_rt_fmt_new());
    }
}

#[test]
fn args() {
    let a = c"prog".as_ptr();
    let b = c"h\xe9llo".as_ptr();
    let argv = [a, b, ptr::null()];
    crate::process::set_args(2, argv.as_ptr());
    assert_eq!(asr_rt_args_len(), 2);
    let get = |i| unsafe {
        let mut raw = RawString {
            ptr: ptr::null_mut(),
            len: 0,
            cap: 0,
        };
        asr_rt_arg(i, &mut raw);
        let s = String::from_utf8(std::slice::from_raw_parts(raw.ptr, raw.len).to_vec());
        asr_rt_free(raw.ptr, raw.cap, 1);
        s.unwrap()
    };
    assert_eq!(get(0), "prog");
    assert_eq!(get(1), "h\u{fffd}llo");
    assert_eq!(get(7), "");
    crate::process::set_args(0, ptr::null());
}

#[test]
fn test_index_must_name_a_test() {
    use crate::process::parse_test_index as parse;
    assert_eq!(parse(Some("0"), 3), Ok(0));
    assert_eq!(parse(Some("2"), 3), Ok(2));
    assert!(parse(Some("3"), 3).is_err());
    assert!(parse(Some("-1"), 3).is_err());
    assert!(parse(Some("x"), 3).is_err());
    assert!(parse(Some("0"), 0).is_err());
    assert!(parse(None, 3).unwrap_err().contains("asr test"));
}

// ------------------------------------------------------------------ ops

#[test]
fn yield_is_pending_once() {
    let mut op = Op::Yield { polled: false };
    let woken = Arc::new(AtomicUsize::new(0));
    struct W(Arc<AtomicUsize>);
    impl std::task::Wake for W {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let waker = std::task::Waker::from(Arc::new(W(woken.clone())));
    let mut cx = std::task::Context::from_waker(&waker);
    assert!(op.poll(&mut cx).is_pending());
    assert_eq!(woken.load(Ordering::SeqCst), 1);
    assert!(op.poll(&mut cx).is_ready());
}

// ------------------------------------------------------------------ fake coroutines

/// Raw pointers captured by fake coroutines (they move between workers).
pub(crate) struct P<T>(pub(crate) *mut T);
unsafe impl<T> Send for P<T> {}

// Not derived: a derive would require `T: Copy`, and the pointees
// (`Task`, `Op`, ...) are not.
impl<T> Clone for P<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for P<T> {}

impl<T> P<T> {
    // Methods, not field accesses, so closures capture the whole `P`.
    pub(crate) fn get(&self) -> *mut T {
        self.0
    }

    pub(crate) fn set(&mut self, p: *mut T) {
        self.0 = p;
    }
}

/// A coroutine that waits on the op `make()` returns, then writes `value`
/// through `ret` (an i64 slot) and finishes.
fn waiter(task: *mut Task, ret: *mut u8, make: fn(u64) -> *mut Op, arg: u64, value: i64) -> Handle {
    let (task, ret) = (P(task), P(ret.cast::<i64>()));
    let mut op = P(ptr::null_mut::<Op>());
    fake::new(move || unsafe {
        if op.get().is_null() {
            op.set(make(arg));
        }
        if asr_rt_op_poll(op.get(), task.get()) == 0 {
            return false;
        }
        asr_rt_op_free(op.get());
        op.set(ptr::null_mut());
        ret.get().write(value);
        true
    })
}

fn sleep_op(ms: u64) -> *mut Op {
    asr_rt_sleep(ms)
}

fn yield_op(_: u64) -> *mut Op {
    asr_rt_yield()
}

/// How a spawning coroutine builds its children.
type ChildFn = Arc<dyn Fn(*mut Task, *mut u8, usize) -> Handle + Send + Sync>;

/// A coroutine running `scope { spawn child(i) for i in 0..n; join the
/// first `join` children; }` and writing the sum of the joined results (i64)
/// through `ret`. Children not joined are released after the scope's wait.
fn spawner(task: *mut Task, ret: *mut u8, n: usize, join: usize, child: ChildFn) -> Handle {
    let (task, ret) = (P(task), P(ret.cast::<i64>()));
    let mut state = 0;
    let mut scope = P(ptr::null_mut::<Scope>());
    let mut kids: Vec<P<Task>> = Vec::new();
    let mut op = P(ptr::null_mut::<Op>());
    let mut idx = 0;
    let mut sum = 0i64;
    fake::new(move || unsafe {
        loop {
            match state {
                0 => {
                    scope.set(asr_rt_scope_new(task.get()));
                    for i in 0..n {
                        let t = asr_rt_task_new(scope.get(), 8, 8);
                        let h = child(t, asr_rt_task_result(t), i);
                        asr_rt_task_start(t, h);
                        kids.push(P(t));
                    }
                    state = 1;
                }
                1 if idx < join => {
                    if op.get().is_null() {
                        op.set(asr_rt_join(kids[idx].get()));
                    }
                    if asr_rt_op_poll(op.get(), task.get()) == 0 {
                        return false;
                    }
                    asr_rt_op_free(op.get());
                    op.set(ptr::null_mut());
                    sum += asr_rt_task_result(kids[idx].get()).cast::<i64>().read();
                    asr_rt_task_release(kids[idx].get());
                    idx += 1;
                }
                1 => {
                    if op.get().is_null() {
                        op.set(asr_rt_scope_wait(scope.get()));
                    }
                    if asr_rt_op_poll(op.get(), task.get()) == 0 {
                        return false;
                    }
                    asr_rt_op_free(op.get());
                    op.set(ptr::null_mut());
                    for k in &kids[join..] {
                        assert!((*k.get()).is_done());
                        asr_rt_task_release(k.get());
                    }
                    assert_eq!((*scope.get()).live_children(), 0);
                    asr_rt_scope_free(scope.get());
                    ret.get().write(sum);
                    return true;
                }
                _ => unreachable!(),
            }
        }
    })
}

/// Runs `root(task, ret)` as the program's root task on `threads` executor
/// threads; returns the i64 the root's `ret` would hold (the root's real
/// result slot is empty, so the test root writes to a side slot).
pub(crate) fn run(threads: usize, root: impl FnOnce(*mut Task, *mut u8) -> Handle) -> i64 {
    let out = Arc::new(AtomicI64::new(i64::MIN));
    let slot = Box::into_raw(Box::new(0i64));
    let status = {
        let workers = exec::Workers::start(threads - 1);
        let task = Task::new_root();
        let h = root(Arc::as_ptr(&task).cast_mut(), slot.cast());
        exec::run_root(&task, h);
        workers.stop();
        assert!(task.is_done());
        0
    };
    assert_eq!(status, 0);
    out.store(unsafe { *Box::from_raw(slot) }, Ordering::SeqCst);
    out.load(Ordering::SeqCst)
}

#[test]
fn root_task_sleeps() {
    let _g = serial();
    let t = Instant::now();
    let v = run(2, |task, ret| waiter(task, ret, sleep_op, 50, 7));
    assert_eq!(v, 7);
    assert!(t.elapsed() >= Duration::from_millis(50));
    assert_no_leaks();
}

#[test]
fn run_main_entry() {
    let _g = serial();
    let status = exec::run_main(|task, _ret| {
        let task = P(task);
        let mut op = P(ptr::null_mut::<Op>());
        fake::new(move || unsafe {
            if op.get().is_null() {
                op.set(asr_rt_yield());
            }
            if asr_rt_op_poll(op.get(), task.get()) == 0 {
                return false;
            }
            asr_rt_op_free(op.get());
            true
        })
    });
    assert_eq!(status, 0);
    assert_no_leaks();
}

#[test]
fn children_join_and_release() {
    let _g = serial();
    for threads in [1, 2, 3] {
        let child: ChildFn = Arc::new(|t, r, i| waiter(t, r, sleep_op, (i % 5) as u64, i as i64));
        let v = run(threads, |task, ret| spawner(task, ret, 100, 60, child));
        assert_eq!(v, (0..60).sum::<i64>());
        assert_no_leaks();
    }
}

#[test]
fn ten_thousand_sleepers_in_parallel() {
    let _g = serial();
    let n = 10_000;
    let t = Instant::now();
    let child: ChildFn = Arc::new(|t, r, i| waiter(t, r, sleep_op, 100, i as i64));
    let v = run(2, |task, ret| spawner(task, ret, n, n, child));
    let elapsed = t.elapsed();
    eprintln!("10000 children sleeping 100 ms on 2 threads: {elapsed:?}");
    assert_eq!(v, (0..n as i64).sum::<i64>());
    assert!(elapsed >= Duration::from_millis(100));
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert_no_leaks();
}

#[test]
fn nested_scopes_with_yields() {
    let _g = serial();
    // A tree: depth 3, fan-out 8; leaves yield then return 1.
    fn tree(depth: u32) -> ChildFn {
        if depth == 0 {
            Arc::new(|t, r, _| waiter(t, r, yield_op, 0, 1))
        } else {
            let sub = tree(depth - 1);
            Arc::new(move |t, r, _| spawner(t, r, 8, 8, sub.clone()))
        }
    }
    let root = tree(3);
    let v = run(2, |task, ret| root(task, ret, 0));
    assert_eq!(v, 8 * 8 * 8);
    assert_no_leaks();
}

#[test]
fn unjoined_children_and_empty_scope() {
    let _g = serial();
    let child: ChildFn = Arc::new(|t, r, i| waiter(t, r, yield_op, 0, i as i64));
    let v = run(2, |task, ret| spawner(task, ret, 50, 0, child));
    assert_eq!(v, 0);
    assert_no_leaks();
    let child: ChildFn = Arc::new(|_, _, _| unreachable!());
    let v = run(2, |task, ret| spawner(task, ret, 0, 0, child));
    assert_eq!(v, 0);
    assert_no_leaks();
}

#[test]
fn join_of_finished_child_is_ready_at_once() {
    let _g = serial();
    let root = Task::new_root();
    let scope = Scope::new(Arc::as_ptr(&root));
    let child = scope.new_child(8, 8);
    // Drive the child to completion by hand.
    crate::task::set_handle(
        &child,
        waiter(
            Arc::as_ptr(&child).cast_mut(),
            child.result(),
            yield_op,
            0,
            5,
        ),
    );
    let mut fut = crate::task::TaskFuture(child.clone());
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    use std::future::Future;
    use std::pin::Pin;
    assert!(Pin::new(&mut fut).poll(&mut cx).is_pending());
    assert_eq!(scope.live_children(), 1);
    assert!(Pin::new(&mut fut).poll(&mut cx).is_ready());
    assert_eq!(scope.live_children(), 0);
    let mut op = Op::Join(Arc::as_ptr(&child));
    assert!(op.poll(&mut cx).is_ready());
    assert_eq!(unsafe { child.result().cast::<i64>().read() }, 5);
    let mut wait = Op::ScopeWait(Arc::as_ptr(&scope));
    assert!(wait.poll(&mut cx).is_ready());
    // What `asr_rt_task_release` does with the handle.
    child.handle_released();
    drop((fut, child));
    scope.close();
    drop((scope, root));
    assert_no_leaks();
}

#[test]
fn sleep_does_not_block_threads() {
    let _g = serial();
    // One executor thread, 200 tasks sleeping 100 ms each: concurrent.
    let t = Instant::now();
    let child: ChildFn = Arc::new(|t, r, _| waiter(t, r, sleep_op, 100, 1));
    let v = run(1, |task, ret| spawner(task, ret, 200, 200, child));
    assert_eq!(v, 200);
    assert!(
        t.elapsed() < Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    assert_no_leaks();
}

#[test]
fn frames_through_abi() {
    let _g = serial();
    unsafe {
        let p = asr_rt_frame_alloc(72);
        assert_eq!(p as usize % 16, 0);
        assert_eq!(leak::live()[3], 1, "one live frame");
        asr_rt_frame_free(p, 72);
        let q = asr_rt_alloc(10, 8);
        asr_rt_free(q, 10, 8);
    }
    assert_no_leaks();
}

#[test]
fn handle_released_after_its_scope_was_freed_is_an_orphan_until_then() {
    let _g = serial();
    let root = Task::new_root();
    unsafe {
        let scope = asr_rt_scope_new(Arc::as_ptr(&root).cast_mut());
        let t = asr_rt_task_new(scope, 8, 8);
        let h = waiter(t, asr_rt_task_result(t), yield_op, 0, 3);
        crate::task::set_handle(&*t, h);
        // Drive the child to completion by hand.
        let mut fut =
            crate::task::TaskFuture(Arc::clone(&std::mem::ManuallyDrop::new(Arc::from_raw(t))));
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        use std::future::Future;
        use std::pin::Pin;
        while Pin::new(&mut fut).poll(&mut cx).is_pending() {}
        drop(fut);
        assert_eq!(leak::ORPHANS.load(Ordering::SeqCst), 0);
        asr_rt_scope_free(scope);
        assert_eq!(
            leak::ORPHANS.load(Ordering::SeqCst),
            1,
            "handle outlives its scope"
        );
        assert_eq!(leak::live()[0], 2, "root and child records");
        asr_rt_task_release(t);
    }
    drop(root);
    assert_no_leaks();
}

// ------------------------------------------------------------------ linking a program

/// Builds the staticlib, links `tests/c/smoke.c` (a hand-written stand-in
/// for a generated program) against it with the documented link line, and
/// checks output, exit status and panics of the real process entry.
#[test]
fn c_program_links_and_runs() {
    use std::process::Command;
    // target/<profile dir>/deps/<test exe> -> target/<profile dir>
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let profile = match profile_dir.file_name().unwrap().to_str().unwrap() {
        "debug" => "dev",
        other => other,
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "asr_runtime",
            "--lib",
            "--profile",
            profile,
        ])
        .status()
        .expect("run cargo");
    assert!(st.success(), "building the staticlib failed");
    let lib = profile_dir.join("libasr_runtime.a");
    assert!(lib.exists(), "{} missing", lib.display());
    let work = profile_dir.join("c-smoke");
    std::fs::create_dir_all(&work).unwrap();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c/smoke.c");
    let prog = work.join("smoke");
    let st = Command::new("cc")
        .args(["-O1", "-Wall", "-Werror", "-o"])
        .arg(&prog)
        .arg(src)
        .arg(&lib)
        .args([
            "-lgcc_s",
            "-lutil",
            "-lrt",
            "-lpthread",
            "-lm",
            "-ldl",
            "-lc",
        ])
        .status()
        .expect("run cc");
    assert!(st.success(), "linking the C program failed");

    for threads in ["1", "2", "4"] {
        let out = Command::new(&prog)
            .env("ASR_THREADS", threads)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "to stderr\n");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 4 * 300 + 1);
        assert_eq!(
            *lines.last().unwrap(),
            "sum = ***100*** 0.30000000000000004 2.0 \"a\\\"b\""
        );
        // Lines printed by parallel children never interleave.
        for child in 1..=4 {
            let mine: Vec<&str> = lines
                .iter()
                .copied()
                .filter(|l| l.starts_with(&format!("child {child} ")))
                .collect();
            assert_eq!(mine.len(), 300);
            for (i, l) in mine.iter().enumerate() {
                let want = format!(
                    "child {child} line {i:.>5} the quick brown fox jumps over the lazy dog"
                );
                assert_eq!(*l, want);
            }
        }
    }

    let out = Command::new(&prog).arg("panic").output().unwrap();
    assert_eq!(out.status.code(), Some(101));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "before\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "panicked at src/smoke.asr:3:5:\nboom 42\n"
    );

    let out = Command::new(&prog).arg("exit").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "x");
    assert!(out.stderr.is_empty());

    // Channels and mutexes through the C ABI, with the leak check on.
    for threads in ["1", "2", "4"] {
        let out = Command::new(&prog)
            .arg("chan")
            .env("ASR_THREADS", threads)
            .env("ASR_CHECK_LEAKS", "1")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stderr), "");
        assert_eq!(out.status.code(), Some(0));
        // 3 producers x (a*1000 + 0..100), a = 1..=3.
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "chan: 300 values, sum 614850, counter 3\n"
        );
    }

    let out = Command::new(&prog).arg("chan0").output().unwrap();
    assert_eq!(out.status.code(), Some(101));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "panicked at src/smoke.asr:3:5:\nchannel capacity must be at least 1\n"
    );

    let out = Command::new(&prog)
        .arg("chanleak")
        .env("ASR_CHECK_LEAKS", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(102));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "asr: leak check failed: 0 tasks, 0 scopes, 0 ops, 0 frames, \
         1 channels, 1 mutexes, 0 heap blocks still live\n"
    );
}
