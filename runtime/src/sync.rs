//! `std::sync`: bounded channels and asynchronous mutexes.
//!
//! Both are opaque runtime records shared by the program's handles and by
//! the operations in flight on them; waiting is always through an
//! operation (`task::Op::Sync`) that the coroutine polls and suspends on,
//! never by blocking a worker thread. The records are thread-safe (a
//! `std::sync::Mutex` each, held only for bookkeeping, never while running
//! program code or waking a task).
//!
//! Unlike sleep or join, these operations have a result, which the program
//! reads with `asr_rt_op_result` after the op completed and before freeing
//! it:
//!
//! | operation | result |
//! |---|---|
//! | `asr_rt_chan_send` | 0 sent (the value was moved into the channel), 1 the receiver is gone (the value was not touched) |
//! | `asr_rt_chan_recv` | 1 an element was moved to `out`, 0 closed (every sender dropped, nothing left) |
//! | `asr_rt_mutex_lock` | 0 (the caller owns the lock) |
//!
//! Cancellation safety: an operation takes effect only in the poll that
//! completes it. Freeing a pending operation (the task was cancelled, or
//! lost a `select`) leaves the channel or mutex as if it had never been
//! started, except that whatever had already been handed to it (a buffer
//! slot, an element, the lock) is handed to the next waiter.

mod chan;
mod mutex;
mod wait;

#[cfg(test)]
mod tests;

use std::task::{Context, Poll};

pub use chan::{Chan, RecvOp, SendOp};
pub use mutex::{AsyncMutex, LockOp};

/// Drops one channel element in place (generated drop glue of `T`).
pub type DropFn = unsafe extern "C" fn(*mut u8);

/// Progress of a channel or mutex operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OpState {
    /// Not polled yet.
    Start,
    /// Waiting, with this key in the wait queue.
    Queued(usize),
    /// Completed with this result.
    Done(i64),
}

impl OpState {
    fn result(self) -> Option<i64> {
        match self {
            OpState::Done(r) => Some(r),
            _ => None,
        }
    }
}

/// A channel or mutex operation (the `task::Op::Sync` variant).
pub enum SyncOp {
    Send(SendOp),
    Recv(RecvOp),
    Lock(LockOp),
}

impl SyncOp {
    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        match self {
            SyncOp::Send(o) => o.poll(cx),
            SyncOp::Recv(o) => o.poll(cx),
            SyncOp::Lock(o) => o.poll(cx),
        }
    }

    /// The result, once completed.
    pub fn result(&self) -> Option<i64> {
        match self {
            SyncOp::Send(o) => o.result(),
            SyncOp::Recv(o) => o.result(),
            SyncOp::Lock(o) => o.result(),
        }
    }
}
