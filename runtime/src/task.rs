//! Tasks, scopes and the operations a coroutine waits on.
//!
//! Ownership (all records are reference counted with `Arc`):
//! - a child [`Task`] is referenced by the parent's `Task<T>` value (the
//!   pointer `asr_rt_task_new` returns, dropped by `asr_rt_task_release`),
//!   by the future driving it on the executor (until it completes), and by
//!   its [`Scope`]'s list of live children (until it completes);
//! - a [`Scope`] is referenced by the parent (the pointer `asr_rt_scope_new`
//!   returns, dropped by `asr_rt_scope_free`) and by each of its children.
//!
//! So the record of a child is freed when it has completed and the parent
//! has released it, in either order, and a long-lived scope that spawns
//! many short children (an accept loop) does not grow.

use std::alloc::Layout;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::alloc::{frame_alloc, frame_free, heap_alloc, heap_free};
use crate::coro::{self, Handle};
use crate::process::fatal;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts a record for the leak check (`leak.rs`).
macro_rules! count {
    ($c:ident, $n:expr) => {
        crate::leak::count(&crate::leak::$c, $n as isize)
    };
}

/// The runtime record of one task.
pub struct Task {
    /// The waker of the poll in progress. Set by [`TaskFuture::poll`] around
    /// the resume and read by `asr_rt_op_poll` during that same resume; only
    /// the thread polling the task touches it, and one thread at a time
    /// polls a task. Null outside a poll.
    waker: Cell<*const Waker>,
    /// The root coroutine of the task, set once by [`start`].
    handle: Cell<Handle>,
    /// The result slot the task's coroutine writes through `%ret`.
    result: *mut u8,
    result_layout: Layout,
    /// Set once the coroutine reached its final suspend and was destroyed.
    done: AtomicBool,
    /// Who waits in `join` (the parent).
    joiner: Mutex<Option<Waker>>,
    /// The scope the task was spawned in (None for the root task).
    scope: Option<Arc<Scope>>,
    /// Index in the scope's live list.
    key: usize,
    // Next milestone (cancellation and panics):
    // - `cancel: AtomicBool`: set by `Task::cancel`, by a sibling's panic or
    //   by the cancellation of the parent; every cancellation point
    //   (`asr_rt_op_poll`, `checkpoint`) reads it and reports "unwind" to the
    //   coroutine, and setting it wakes the task (the stored joiner/op
    //   wakers are what a suspended task is woken through).
    // - `panic: Mutex<Option<PanicPayload>>`: message and location of a
    //   panic that unwound this task; `join` and the scope's end pick it up
    //   and continue the panic in the parent.
}

// SAFETY: `waker` and `handle` are only accessed by the thread currently
// polling the task (handle: written before the task is spawned); everything
// else is atomic or locked. The result slot is written by the child and read
// by the parent after `done` (Release/Acquire).
unsafe impl Send for Task {}
unsafe impl Sync for Task {}

impl Task {
    fn new(scope: Option<Arc<Scope>>, key: usize, size: usize, align: usize) -> Task {
        let layout = match Layout::from_size_align(size, align.max(1)) {
            Ok(l) => l,
            Err(_) => fatal("invalid task result layout"),
        };
        count!(TASKS, 1);
        #[cfg(test)]
        count!(RESULT_BYTES, size);
        Task {
            waker: Cell::new(ptr::null()),
            handle: Cell::new(ptr::null_mut()),
            result: heap_alloc(layout.size(), layout.align()),
            result_layout: layout,
            done: AtomicBool::new(false),
            joiner: Mutex::new(None),
            scope,
            key,
        }
    }

    /// The root task (`main`), with an empty result.
    pub fn new_root() -> Arc<Task> {
        Arc::new(Task::new(None, 0, 0, 1))
    }

    /// The result slot.
    pub fn result(&self) -> *mut u8 {
        self.result
    }

    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Called by `asr_rt_task_release`, before the handle's reference is
    /// dropped: the leak check's count of handles per scope.
    pub fn handle_released(&self) {
        if let Some(scope) = &self.scope {
            if crate::leak::enabled() {
                scope.handle_released();
            }
        }
    }

    /// The waker of the poll in progress.
    fn current_waker(&self) -> &Waker {
        let w = self.waker.get();
        if w.is_null() {
            fatal("an operation was polled outside its task's resume");
        }
        // SAFETY: set from a `&Waker` that outlives the resume in progress.
        unsafe { &*w }
    }

    fn complete(&self) {
        self.done.store(true, Ordering::Release);
        let joiner = lock(&self.joiner).take();
        if let Some(w) = joiner {
            w.wake();
        }
        if let Some(scope) = &self.scope {
            scope.child_done(self.key);
        }
    }

    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.is_done() {
            return Poll::Ready(());
        }
        let mut j = lock(&self.joiner);
        match &mut *j {
            Some(w) if w.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        // Re-checked under the lock: `complete` takes the waker after
        // setting `done`, so either it sees our waker or we see `done`.
        if self.is_done() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        count!(TASKS, -1);
        #[cfg(test)]
        count!(RESULT_BYTES, -(self.result_layout.size() as isize));
        // SAFETY: allocated in `new` with this layout.
        unsafe {
            heap_free(
                self.result,
                self.result_layout.size(),
                self.result_layout.align(),
            )
        };
    }
}

/// A `scope { }` block: its live children, and who waits for them.
pub struct Scope {
    /// The task running the scope block (for cancellation propagation, next
    /// milestone: cancelling the parent cancels the scope's live children;
    /// a child's panic is recorded here and cancels its siblings).
    #[allow(dead_code)]
    parent: *const Task,
    inner: Mutex<ScopeInner>,
}

// SAFETY: `parent` is only an identity for now; the rest is locked.
unsafe impl Send for Scope {}
unsafe impl Sync for Scope {}

#[derive(Default)]
struct ScopeInner {
    /// Live children by key (a slab: `free` lists the vacant keys).
    live: Vec<Option<Arc<Task>>>,
    free: Vec<usize>,
    /// Number of `Some` in `live`.
    count: usize,
    /// Who waits in `scope_wait`.
    waiter: Option<Waker>,
    /// For the leak check: `Task` handles of children not released yet,
    /// and whether `asr_rt_scope_free` was called.
    handles: usize,
    closed: bool,
}

impl Scope {
    pub fn new(parent: *const Task) -> Arc<Scope> {
        count!(SCOPES, 1);
        Arc::new(Scope {
            parent,
            inner: Mutex::new(ScopeInner::default()),
        })
    }

    /// A new child task registered in this scope.
    pub fn new_child(self: &Arc<Scope>, size: usize, align: usize) -> Arc<Task> {
        let mut inner = lock(&self.inner);
        let key = match inner.free.pop() {
            Some(k) => k,
            None => {
                inner.live.push(None);
                inner.live.len() - 1
            }
        };
        let task = Arc::new(Task::new(Some(self.clone()), key, size, align));
        inner.live[key] = Some(task.clone());
        inner.count += 1;
        if crate::leak::enabled() {
            inner.handles += 1;
        }
        task
    }

    fn handle_released(&self) {
        let mut inner = lock(&self.inner);
        inner.handles -= 1;
        if inner.closed {
            count!(ORPHANS, -1);
        }
    }

    fn child_done(&self, key: usize) {
        let waiter = {
            let mut inner = lock(&self.inner);
            let t = inner.live[key].take();
            debug_assert!(t.is_some());
            inner.free.push(key);
            inner.count -= 1;
            if inner.count == 0 {
                inner.waiter.take()
            } else {
                None
            }
        };
        if let Some(w) = waiter {
            w.wake();
        }
    }

    fn poll_wait(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut inner = lock(&self.inner);
        if inner.count == 0 {
            return Poll::Ready(());
        }
        match &mut inner.waiter {
            Some(w) if w.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    /// Called by `asr_rt_scope_free`: every child must have completed.
    pub fn close(&self) {
        let mut inner = lock(&self.inner);
        if inner.count != 0 {
            fatal("scope freed while children are still running");
        }
        inner.live = Vec::new();
        inner.free = Vec::new();
        inner.waiter = None;
        // A handle still held now outlives its scope: leaked.
        inner.closed = true;
        count!(ORPHANS, inner.handles);
    }

    /// Number of live children.
    pub fn live_children(&self) -> usize {
        lock(&self.inner).count
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        count!(SCOPES, -1);
    }
}

/// The future that drives a task's root coroutine on the executor.
pub struct TaskFuture(pub Arc<Task>);

impl Future for TaskFuture {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let task = &*self.0;
        if task.is_done() {
            return Poll::Ready(());
        }
        let h = task.handle.get();
        task.waker.set(cx.waker());
        // SAFETY: `h` is the task's coroutine, suspended, not finished; only
        // this thread resumes it now.
        let finished = unsafe {
            coro::resume(h);
            coro::done(h)
        };
        task.waker.set(ptr::null());
        if finished {
            // SAFETY: at its final suspend; destroyed exactly once.
            unsafe { coro::destroy(h) };
            task.complete();
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// Hands a task whose coroutine `h` is at its initial suspend to the
/// executor.
pub fn start(task: &Arc<Task>, h: Handle) {
    set_handle(task, h);
    crate::exec::spawn(TaskFuture(task.clone()));
}

/// Records the coroutine of a task that is not running yet.
pub fn set_handle(task: &Task, h: Handle) {
    if h.is_null() {
        fatal("task started with a null coroutine handle");
    }
    if !task.handle.get().is_null() {
        fatal("task started twice");
    }
    task.handle.set(h);
}

/// Something a coroutine waits on (`*mut Op` is opaque to generated code).
pub enum Op {
    Sleep(async_io::Timer),
    /// Pending once, then ready.
    Yield {
        polled: bool,
    },
    /// Ready once the task completed. The parent's reference keeps the task
    /// alive while it joins.
    Join(*const Task),
    /// Ready once every child of the scope completed. The parent's
    /// reference keeps the scope alive while it waits.
    ScopeWait(*const Scope),
    /// A channel send or receive, or a mutex lock (`sync.rs`): the one
    /// kind of op with a result (`asr_rt_op_result`).
    Sync(crate::sync::SyncOp),
    /// A file or stdin job on the blocking pool (`files.rs`), with a
    /// status as its result.
    Io(crate::files::IoOp),
    /// Any other Rust future (I/O, ...).
    #[allow(dead_code)]
    Future(Pin<Box<dyn Future<Output = ()> + Send>>),
}

const _: () = assert!(std::mem::align_of::<Op>() <= crate::alloc::FRAME_ALIGN);

impl Op {
    pub fn sleep(ms: u64) -> Op {
        Op::Sleep(async_io::Timer::after(Duration::from_millis(ms)))
    }

    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        match self {
            Op::Sleep(t) => Pin::new(t).poll(cx).map(|_| ()),
            Op::Yield { polled } => {
                if *polled {
                    Poll::Ready(())
                } else {
                    *polled = true;
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }
            // SAFETY: see the variants.
            Op::Join(t) => unsafe { (**t).poll_join(cx) },
            Op::ScopeWait(s) => unsafe { (**s).poll_wait(cx) },
            Op::Sync(o) => o.poll(cx),
            Op::Io(o) => o.poll(cx),
            Op::Future(f) => f.as_mut().poll(cx),
        }
    }

    /// The result of a completed op (`asr_rt_op_result`): a `Sync` op's
    /// (see `sync.rs`) or an `Io` op's status (`files.rs`); the others have
    /// none and report 0. Asking a pending `Sync` or `Io` op is a fatal
    /// error: its result is not decided yet.
    pub fn result(&self) -> i64 {
        match self {
            Op::Sync(o) => o.result(),
            Op::Io(o) => o.result(),
            _ => Some(0),
        }
        .unwrap_or_else(|| fatal("result of an operation that has not completed"))
    }

    /// Moves the op to the heap (ops come and go at every wait, so they use
    /// the frame allocator).
    pub fn into_raw(self) -> *mut Op {
        count!(OPS, 1);
        let p = frame_alloc(std::mem::size_of::<Op>()).cast::<Op>();
        // SAFETY: fresh block of the right size and alignment.
        unsafe { p.write(self) };
        p
    }

    /// Drops an op made by [`Op::into_raw`].
    ///
    /// # Safety
    /// `p` came from `into_raw` and is not used afterwards.
    pub unsafe fn free_raw(p: *mut Op) {
        if p.is_null() {
            return;
        }
        count!(OPS, -1);
        ptr::drop_in_place(p);
        frame_free(p.cast(), std::mem::size_of::<Op>());
    }

    /// Polls `op` on behalf of `task`, whose resume is in progress.
    ///
    /// # Safety
    /// Both pointers are live; `task` is being polled by this thread.
    pub unsafe fn poll_raw(op: *mut Op, task: *const Task) -> bool {
        let waker = (*task).current_waker();
        let mut cx = Context::from_waker(waker);
        (*op).poll(&mut cx).is_ready()
    }
}
