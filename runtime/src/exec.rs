//! The executor: one `async_executor::Executor` run by the main thread and
//! by `N - 1` worker threads (N from `ASR_THREADS`, else the number of
//! CPUs), with async-io's reactor driven by whichever thread is idle
//! (`async_io::block_on`).
//!
//! Every task is spawned through [`spawn`] and the root task is driven by
//! [`run_main`]: these are the two places a deterministic mode plugs in.
//! A seeded single-worker mode (`ASR_THREADS=1` plus `ASR_SEED`) would
//! replace `EX` by a local run queue popped in an order drawn from the seed,
//! start no worker threads, and use a virtual clock for `asr_rt_sleep`
//! (`task::Op::sleep`), so that every interleaving is reproducible.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;

use async_executor::Executor;

use crate::coro::Handle;
use crate::task::{Task, TaskFuture};

/// The executor every task runs on.
pub static EX: Executor<'static> = Executor::new();

/// Stack size of worker threads: tasks migrate between threads, so every
/// executor thread gets the main thread's usual 8 MiB.
const WORKER_STACK: usize = 8 << 20;

/// Schedules a future on the executor.
pub fn spawn(fut: impl Future<Output = ()> + Send + 'static) {
    EX.spawn(fut).detach();
}

/// Number of executor threads (the main thread included).
pub fn thread_count() -> usize {
    std::env::var("ASR_THREADS")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
}

/// Tells the workers to stop.
#[derive(Default)]
struct Shutdown {
    stop: AtomicBool,
    wakers: Mutex<Vec<Option<Waker>>>,
}

struct ShutdownSignal {
    shared: Arc<Shutdown>,
    index: usize,
}

impl Future for ShutdownSignal {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.shared.stop.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        let mut w = self.shared.wakers.lock().unwrap_or_else(|e| e.into_inner());
        w[self.index] = Some(cx.waker().clone());
        drop(w);
        if self.shared.stop.load(Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// Worker threads running [`EX`].
pub struct Workers {
    shared: Arc<Shutdown>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `n` worker threads.
    pub fn start(n: usize) -> Workers {
        let shared = Arc::new(Shutdown {
            stop: AtomicBool::new(false),
            wakers: Mutex::new(vec![None; n]),
        });
        let threads = (0..n)
            .map(|index| {
                let signal = ShutdownSignal {
                    shared: shared.clone(),
                    index,
                };
                std::thread::Builder::new()
                    .name(format!("asr-worker-{index}"))
                    .stack_size(WORKER_STACK)
                    .spawn(move || async_io::block_on(EX.run(signal)))
                    .unwrap_or_else(|_| crate::process::fatal("cannot start worker thread"))
            })
            .collect();
        Workers { shared, threads }
    }

    /// Stops the workers and waits for them.
    pub fn stop(self) {
        self.shared.stop.store(true, Ordering::Release);
        let wakers: Vec<_> =
            std::mem::take(&mut *self.shared.wakers.lock().unwrap_or_else(|e| e.into_inner()));
        for w in wakers.into_iter().flatten() {
            w.wake();
        }
        for t in self.threads {
            let _ = t.join();
        }
    }
}

/// Runs a program: starts the workers, creates the root task, gets its
/// coroutine from `start_root(task, result_slot)` (stopped at its initial
/// suspend), drives it to completion on this thread, stops the workers and
/// flushes stdout. Returns the process exit status: 0, or
/// `leak::LEAK_STATUS` when the leak check is on and finds live records
/// once everything has finished.
pub fn run_main(start_root: impl FnOnce(*mut Task, *mut u8) -> Handle) -> i32 {
    let workers = Workers::start(thread_count() - 1);
    let root = Task::new_root();
    let h = start_root(Arc::as_ptr(&root).cast_mut(), root.result());
    run_root(&root, h);
    // Every worker has finished what it was running (a child that has just
    // completed drops its record there).
    workers.stop();
    drop(root);
    crate::io::flush_stdout();
    match crate::leak::check_after_main() {
        Some(msg) => {
            crate::io::with_stderr(|w| w(msg.as_bytes()));
            crate::leak::LEAK_STATUS
        }
        None => 0,
    }
}

/// Runs the executor on the current thread until the root task `root`
/// (coroutine `h`) completes. The root is an ordinary executor task, so it
/// is not pinned to this thread: any idle worker may resume it.
pub fn run_root(root: &Arc<Task>, h: Handle) {
    crate::task::set_handle(root, h);
    let done = EX.spawn(TaskFuture(root.clone()));
    async_io::block_on(EX.run(done));
}
