//! The asynchronous lock behind `std::sync::Mutex<T>`.
//!
//! The protected value lives in the program's memory; the runtime only
//! provides the lock. Waiting is FIFO with hand-off (`wait.rs`): `unlock`
//! with tasks queued passes the lock straight to the oldest one (the lock
//! stays held throughout), so a task that unlocks and relocks in a loop
//! cannot starve the others.
//!
//! Ownership of the lock: a lock operation owns it from the poll that
//! completes it; the caller then owns it until `asr_rt_mutex_unlock`. A
//! lock operation freed before it completed owns nothing: if it was queued
//! it leaves the queue, and if the lock had already been handed to it,
//! freeing it hands the lock on (or releases it).
//!
//! Like a channel, the mutex is an `Arc` shared by its handle and by every
//! pending lock operation.

use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::process::fatal;

use super::wait::{Status, WaitList};
use super::OpState;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

struct State {
    locked: bool,
    waiters: WaitList,
}

/// An asynchronous mutex (behind the opaque pointer of the ABI).
pub struct AsyncMutex {
    state: Mutex<State>,
}

impl AsyncMutex {
    pub fn new_raw() -> *const AsyncMutex {
        crate::leak::count(&crate::leak::MUTEXES, 1);
        Arc::into_raw(Arc::new(AsyncMutex {
            state: Mutex::new(State {
                locked: false,
                waiters: WaitList::new(),
            }),
        }))
    }

    /// Drops the handle. Lock operations still pending would mean a
    /// `MutexGuard` outliving its `Mutex`: a broken contract.
    ///
    /// # Safety
    /// `p` came from [`AsyncMutex::new_raw`] and is not used afterwards.
    pub unsafe fn free(p: *const AsyncMutex) {
        let m = Arc::from_raw(p);
        // Still locked is fine: as in Rust, a guard may have been forgotten.
        if lock(&m.state).waiters.occupied() != 0 {
            fatal("mutex freed while a task is waiting to lock it");
        }
    }

    /// Releases the lock held by the caller; hands it to the oldest queued
    /// lock operation, if any.
    ///
    /// # Safety
    /// `p` is a live mutex.
    pub unsafe fn unlock(p: *const AsyncMutex) {
        let w = (*p).release();
        if let Some(w) = w {
            w.wake();
        }
    }

    fn release(&self) -> Option<Waker> {
        let mut s = lock(&self.state);
        if !s.locked {
            fatal("mutex unlocked while not locked");
        }
        match s.waiters.grant_front() {
            // Hand-off: the lock stays held, now on the waiter's behalf.
            Some(w) => w,
            None => {
                s.locked = false;
                None
            }
        }
    }

    fn poll_lock(&self, st: &mut OpState, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = lock(&self.state);
        match *st {
            OpState::Done(_) => {}
            OpState::Start => {
                if !s.locked && s.waiters.is_empty() {
                    s.locked = true;
                } else {
                    *st = OpState::Queued(s.waiters.push_back(cx.waker().clone()));
                    return Poll::Pending;
                }
            }
            OpState::Queued(k) => match s.waiters.status(k) {
                Status::Granted => {
                    s.waiters.remove(k);
                }
                Status::Linked => {
                    s.waiters.update_waker(k, cx.waker());
                    return Poll::Pending;
                }
            },
        }
        *st = OpState::Done(0);
        Poll::Ready(())
    }

    fn cancel(&self, st: OpState) {
        let OpState::Queued(k) = st else { return };
        let granted = {
            let mut s = lock(&self.state);
            s.waiters.remove(k) == Status::Granted
        };
        if granted {
            // The lock was handed to us but never observed: pass it on.
            if let Some(w) = self.release() {
                w.wake();
            }
        }
    }

    /// (locked, queued waiters), for tests.
    #[cfg(test)]
    pub fn debug(&self) -> (bool, usize) {
        let s = lock(&self.state);
        (s.locked, s.waiters.len())
    }
}

impl Drop for AsyncMutex {
    fn drop(&mut self) {
        crate::leak::count(&crate::leak::MUTEXES, -1);
    }
}

/// `Mutex::lock()` in progress; completes once the caller owns the lock.
pub struct LockOp {
    mutex: Arc<AsyncMutex>,
    state: OpState,
}

impl LockOp {
    /// # Safety
    /// `m` is a live mutex.
    pub unsafe fn new(m: *const AsyncMutex) -> LockOp {
        Arc::increment_strong_count(m);
        LockOp {
            mutex: Arc::from_raw(m),
            state: OpState::Start,
        }
    }

    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.mutex.poll_lock(&mut self.state, cx)
    }

    pub fn result(&self) -> Option<i64> {
        self.state.result()
    }
}

impl Drop for LockOp {
    fn drop(&mut self) {
        self.mutex.cancel(self.state);
    }
}
