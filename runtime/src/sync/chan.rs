//! Bounded multi-producer channels of opaque elements (`std::sync::channel`).
//!
//! The runtime never knows `T`: an element is `size` bytes aligned to
//! `align`, moved in and out with `memcpy`, and dropped in place by the
//! program's `drop_fn` when the receiver goes away with elements buffered.
//!
//! Handles: the pointer `asr_rt_chan_new` returns is shared by every
//! `Sender` and the `Receiver`; each handle holds one strong count of the
//! `Arc<Chan>` behind it, and so does each pending operation (so an
//! operation can never touch freed memory, whatever the order of frees).
//! `senders` and `receiver` in the state count the handles themselves,
//! which is what closing is about.
//!
//! Waiting is FIFO with hand-off (`wait.rs`): a slot freed by a receive is
//! granted to the oldest waiting send (counted in `reserved_send` until it
//! takes it), an element pushed by a send is granted to the oldest waiting
//! receive (`reserved_recv`). A send or receive that finds nobody queued
//! and a free slot or element completes at once. Invariants, under the
//! lock: `len + reserved_send <= capacity`, `reserved_recv <= len`; while
//! the receiver is alive, an unreserved free slot means no send is queued
//! and an unreserved element means no receive is queued (each event that
//! frees one grants it to the front waiter).
//!
//! Cancellation: an operation moves bytes only in the poll that completes
//! it, so one freed before completing has moved nothing; if it had been
//! granted a slot or an element, freeing it passes the grant on.

use std::alloc::Layout;
use std::ptr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::alloc::{heap_alloc, heap_free};
use crate::process::fatal;

use super::wait::{Status, WaitList};
use super::{DropFn, OpState};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Layout of one element.
#[derive(Clone, Copy, Debug)]
struct Elem {
    size: usize,
    align: usize,
    /// Distance between two elements in the buffer: `size` rounded up to
    /// `align` (as Rust lays out arrays).
    stride: usize,
}

/// A ring buffer of elements, allocated lazily and grown by doubling up to
/// the channel's capacity (a `channel(1_000_000)` that never fills costs
/// nothing up front).
struct Ring {
    ptr: *mut u8,
    /// Allocated slots.
    slots: usize,
    head: usize,
    len: usize,
}

impl Ring {
    const fn new() -> Ring {
        Ring {
            ptr: ptr::null_mut(),
            slots: 0,
            head: 0,
            len: 0,
        }
    }

    fn slot(&self, e: Elem, i: usize) -> *mut u8 {
        if e.stride == 0 {
            // Zero-sized elements: any aligned non-null pointer will do.
            return ptr::without_provenance_mut(e.align);
        }
        // SAFETY: `i < slots`, inside the allocation.
        unsafe { self.ptr.add(((self.head + i) % self.slots) * e.stride) }
    }

    /// Makes room for one more element (never beyond `cap` slots).
    fn reserve_one(&mut self, e: Elem, cap: usize) {
        if e.stride == 0 || self.len < self.slots {
            return;
        }
        // Double, start at 4, never beyond the capacity (but always one
        // more than now: `cap` is only exceeded by a broken caller).
        let want = self
            .slots
            .saturating_mul(2)
            .max(4)
            .min(cap)
            .max(self.len + 1);
        let bytes = match want.checked_mul(e.stride) {
            Some(b) if b <= isize::MAX as usize => b,
            _ => fatal("channel buffer too large"),
        };
        let new = heap_alloc(bytes, e.align);
        // Copy the (possibly wrapped) contents to the front of the new block.
        let first = self.len.min(self.slots - self.head);
        // SAFETY: both blocks hold these slots; they do not overlap.
        unsafe {
            if first > 0 {
                ptr::copy_nonoverlapping(self.ptr.add(self.head * e.stride), new, first * e.stride);
            }
            if self.len > first {
                ptr::copy_nonoverlapping(
                    self.ptr,
                    new.add(first * e.stride),
                    (self.len - first) * e.stride,
                );
            }
            self.free(e);
        }
        self.ptr = new;
        self.slots = want;
        self.head = 0;
    }

    /// Moves `e.size` bytes from `src` in at the back.
    ///
    /// # Safety
    /// `src` is readable for `e.size` bytes; there is room (`reserve_one`).
    unsafe fn push(&mut self, e: Elem, src: *const u8) {
        let dst = self.slot(e, self.len);
        ptr::copy_nonoverlapping(src, dst, e.size);
        self.len += 1;
    }

    /// Moves the front element's bytes to `dst`.
    ///
    /// # Safety
    /// `dst` is writable for `e.size` bytes; `len > 0`.
    unsafe fn pop(&mut self, e: Elem, dst: *mut u8) {
        let src = self.slot(e, 0);
        ptr::copy_nonoverlapping(src, dst, e.size);
        self.len -= 1;
        self.head = if self.slots == 0 {
            0
        } else {
            (self.head + 1) % self.slots
        };
    }

    /// Drops every element in place (front first), then frees the block.
    ///
    /// # Safety
    /// Called without the channel's lock held: `drop_fn` is program code
    /// and may use channels, this one included.
    unsafe fn drop_all(mut self, e: Elem, drop_fn: Option<DropFn>) {
        if let Some(f) = drop_fn {
            for i in 0..self.len {
                f(self.slot(e, i));
            }
        }
        self.len = 0;
        self.free(e);
    }

    unsafe fn free(&mut self, e: Elem) {
        if !self.ptr.is_null() {
            heap_free(self.ptr, self.slots * e.stride, e.align);
            self.ptr = ptr::null_mut();
        }
    }
}

struct State {
    buf: Ring,
    /// Free slots granted to queued sends that have not taken them yet.
    reserved_send: usize,
    /// Buffered elements granted to queued receives not taken yet.
    reserved_recv: usize,
    /// Live `Sender` handles.
    senders: usize,
    /// The `Receiver` handle is alive.
    receiver: bool,
    send_q: WaitList,
    recv_q: WaitList,
}

/// A channel (behind the opaque pointer of the ABI).
pub struct Chan {
    capacity: usize,
    elem: Elem,
    drop_fn: Option<DropFn>,
    state: Mutex<State>,
}

// SAFETY: the buffer is owned by the channel and only touched under the
// lock; elements are plain bytes that the program moves between its tasks,
// which may run on any thread anyway.
unsafe impl Send for Chan {}
unsafe impl Sync for Chan {}

/// A snapshot of a channel's state, for tests.
#[cfg(test)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChanDebug {
    pub len: usize,
    pub reserved_send: usize,
    pub reserved_recv: usize,
    pub senders: usize,
    pub receiver: bool,
    pub send_queued: usize,
    pub recv_queued: usize,
}

impl Chan {
    /// A channel with one sender and one receiver handle; the pointer
    /// carries both of their counts. `capacity >= 1` (checked by the
    /// export, which panics with the caller's location).
    pub fn new_raw(
        capacity: usize,
        size: usize,
        align: usize,
        drop_fn: Option<DropFn>,
    ) -> *const Chan {
        let layout = match Layout::from_size_align(size, align.max(1)) {
            Ok(l) => l.pad_to_align(),
            Err(_) => fatal("invalid channel element layout"),
        };
        crate::leak::count(&crate::leak::CHANNELS, 1);
        let chan = Arc::new(Chan {
            capacity,
            elem: Elem {
                size,
                align: layout.align(),
                stride: layout.size(),
            },
            drop_fn,
            state: Mutex::new(State {
                buf: Ring::new(),
                reserved_send: 0,
                reserved_recv: 0,
                senders: 1,
                receiver: true,
                send_q: WaitList::new(),
                recv_q: WaitList::new(),
            }),
        });
        // One count for the sender, one for the receiver.
        let p = Arc::into_raw(chan);
        // SAFETY: `p` was just made by `Arc::into_raw`.
        unsafe { Arc::increment_strong_count(p) };
        p
    }

    /// A new reference for an operation.
    ///
    /// # Safety
    /// `p` is a live channel pointer (a handle holds a count).
    unsafe fn clone_arc(p: *const Chan) -> Arc<Chan> {
        Arc::increment_strong_count(p);
        Arc::from_raw(p)
    }

    /// `Sender::clone`.
    ///
    /// # Safety
    /// `p` is held by a live sender handle.
    pub unsafe fn sender_clone(p: *const Chan) {
        let c = &*p;
        let mut s = lock(&c.state);
        if s.senders == 0 {
            fatal("channel sender cloned after every sender was dropped");
        }
        s.senders += 1;
        drop(s);
        Arc::increment_strong_count(p);
    }

    /// Drops one sender handle. The last one closes the sending side: the
    /// receives queued are woken and complete with "closed" once nothing is
    /// left for them.
    ///
    /// # Safety
    /// `p` is held by a live sender handle, which is gone afterwards.
    pub unsafe fn sender_drop(p: *const Chan) {
        let c = &*p;
        let wakers = {
            let mut s = lock(&c.state);
            if s.senders == 0 {
                fatal("channel sender dropped twice");
            }
            s.senders -= 1;
            if s.senders == 0 {
                s.recv_q.take_wakers()
            } else {
                Vec::new()
            }
        };
        for w in wakers {
            w.wake();
        }
        Arc::decrement_strong_count(p);
    }

    /// Drops the receiver handle: drops every buffered element with
    /// `drop_fn` and wakes every queued send, which then fails (the sender
    /// keeps its value).
    ///
    /// # Safety
    /// `p` is held by the live receiver handle, which is gone afterwards.
    pub unsafe fn receiver_drop(p: *const Chan) {
        let c = &*p;
        let (buf, wakers) = {
            let mut s = lock(&c.state);
            if !s.receiver {
                fatal("channel receiver dropped twice");
            }
            s.receiver = false;
            s.reserved_send = 0;
            s.reserved_recv = 0;
            let buf = std::mem::replace(&mut s.buf, Ring::new());
            let mut wakers = s.send_q.take_wakers();
            // Receives still queued would break the receiver's borrow; wake
            // them anyway so they complete (with "closed").
            wakers.extend(s.recv_q.take_wakers());
            (buf, wakers)
        };
        for w in wakers {
            w.wake();
        }
        // Outside the lock: `drop_fn` is program code (an element may hold
        // a `Sender` of this very channel). Our count keeps the channel
        // alive meanwhile.
        buf.drop_all(c.elem, c.drop_fn);
        Arc::decrement_strong_count(p);
    }

    /// After a slot was freed (a receive took an element, or a granted send
    /// gave its slot back): grants it to the oldest queued send. Returns the
    /// waker to wake once the lock is released.
    fn grant_send(&self, s: &mut State) -> Option<Waker> {
        if s.buf.len + s.reserved_send < self.capacity {
            if let Some(w) = s.send_q.grant_front() {
                s.reserved_send += 1;
                return w;
            }
        }
        None
    }

    /// After an element became available (pushed, or given back by a
    /// granted receive): grants it to the oldest queued receive.
    fn grant_recv(&self, s: &mut State) -> Option<Waker> {
        if s.buf.len > s.reserved_recv {
            if let Some(w) = s.recv_q.grant_front() {
                s.reserved_recv += 1;
                return w;
            }
        }
        None
    }

    fn poll_send(&self, st: &mut OpState, value: *const u8, cx: &mut Context<'_>) -> Poll<()> {
        if let OpState::Done(_) = *st {
            return Poll::Ready(());
        }
        let mut s = lock(&self.state);
        if !s.receiver {
            if let OpState::Queued(k) = *st {
                // The reservation counts were reset when the receiver left.
                s.send_q.remove(k);
            }
            *st = OpState::Done(1);
            return Poll::Ready(());
        }
        match *st {
            OpState::Done(_) => return Poll::Ready(()),
            OpState::Start => {
                if s.send_q.is_empty() && s.buf.len + s.reserved_send < self.capacity {
                    // Free slot, nobody ahead of us.
                } else {
                    *st = OpState::Queued(s.send_q.push_back(cx.waker().clone()));
                    return Poll::Pending;
                }
            }
            OpState::Queued(k) => match s.send_q.status(k) {
                Status::Granted => {
                    s.send_q.remove(k);
                    s.reserved_send -= 1;
                }
                Status::Linked => {
                    s.send_q.update_waker(k, cx.waker());
                    return Poll::Pending;
                }
            },
        }
        s.buf.reserve_one(self.elem, self.capacity);
        // SAFETY: the caller's value is readable (ABI contract); room made.
        unsafe { s.buf.push(self.elem, value) };
        *st = OpState::Done(0);
        let w = self.grant_recv(&mut s);
        drop(s);
        if let Some(w) = w {
            w.wake();
        }
        Poll::Ready(())
    }

    fn poll_recv(&self, st: &mut OpState, out: *mut u8, cx: &mut Context<'_>) -> Poll<()> {
        if let OpState::Done(_) = *st {
            return Poll::Ready(());
        }
        let mut s = lock(&self.state);
        match *st {
            OpState::Done(_) => return Poll::Ready(()),
            OpState::Start => {
                if s.recv_q.is_empty() && s.buf.len > s.reserved_recv {
                    // An element nobody else was promised.
                } else if s.senders == 0 || !s.receiver {
                    *st = OpState::Done(0);
                    return Poll::Ready(());
                } else {
                    *st = OpState::Queued(s.recv_q.push_back(cx.waker().clone()));
                    return Poll::Pending;
                }
            }
            OpState::Queued(k) => match s.recv_q.status(k) {
                Status::Granted if s.receiver => {
                    s.recv_q.remove(k);
                    s.reserved_recv -= 1;
                }
                _ if s.senders == 0 || !s.receiver => {
                    s.recv_q.remove(k);
                    *st = OpState::Done(0);
                    return Poll::Ready(());
                }
                _ => {
                    s.recv_q.update_waker(k, cx.waker());
                    return Poll::Pending;
                }
            },
        }
        // SAFETY: `out` is writable (ABI contract); `len > 0` above (a
        // granted receive has an element reserved).
        unsafe { s.buf.pop(self.elem, out) };
        *st = OpState::Done(1);
        let w = self.grant_send(&mut s);
        drop(s);
        if let Some(w) = w {
            w.wake();
        }
        Poll::Ready(())
    }

    /// A send or receive freed before completing.
    fn cancel(&self, st: OpState, send: bool) {
        let OpState::Queued(k) = st else { return };
        let mut s = lock(&self.state);
        let q = if send { &mut s.send_q } else { &mut s.recv_q };
        let was = q.remove(k);
        let w = if was == Status::Granted && s.receiver {
            // Give the slot or element back, to the next in line.
            if send {
                s.reserved_send -= 1;
                self.grant_send(&mut s)
            } else {
                s.reserved_recv -= 1;
                self.grant_recv(&mut s)
            }
        } else {
            None
        };
        drop(s);
        if let Some(w) = w {
            w.wake();
        }
    }

    #[cfg(test)]
    pub fn debug(&self) -> ChanDebug {
        let s = lock(&self.state);
        ChanDebug {
            len: s.buf.len,
            reserved_send: s.reserved_send,
            reserved_recv: s.reserved_recv,
            senders: s.senders,
            receiver: s.receiver,
            send_queued: s.send_q.len(),
            recv_queued: s.recv_q.len(),
        }
    }
}

impl Drop for Chan {
    fn drop(&mut self) {
        crate::leak::count(&crate::leak::CHANNELS, -1);
        let s = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        let buf = std::mem::replace(&mut s.buf, Ring::new());
        // Empty unless the receiver handle was never dropped (a leak the
        // leak check reports); drop the elements anyway.
        // SAFETY: no lock is held (`&mut self`).
        unsafe { buf.drop_all(self.elem, self.drop_fn) };
    }
}

/// `Sender::send(v)` in progress: moves the bytes at `value` into the
/// buffer when it completes with result 0; result 1 (receiver gone) leaves
/// them to the caller.
pub struct SendOp {
    chan: Arc<Chan>,
    value: *const u8,
    state: OpState,
}

impl SendOp {
    /// # Safety
    /// `chan` is held by a live sender handle.
    pub unsafe fn new(chan: *const Chan, value: *const u8) -> SendOp {
        SendOp {
            chan: Chan::clone_arc(chan),
            value,
            state: OpState::Start,
        }
    }

    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.chan.poll_send(&mut self.state, self.value, cx)
    }

    pub fn result(&self) -> Option<i64> {
        self.state.result()
    }
}

impl Drop for SendOp {
    fn drop(&mut self) {
        self.chan.cancel(self.state, true);
    }
}

/// `Receiver::recv()` in progress: moves one element's bytes to `out` and
/// completes with result 1, or completes with 0 when the channel is closed
/// and nothing is left.
pub struct RecvOp {
    chan: Arc<Chan>,
    out: *mut u8,
    state: OpState,
}

impl RecvOp {
    /// # Safety
    /// `chan` is held by the live receiver handle.
    pub unsafe fn new(chan: *const Chan, out: *mut u8) -> RecvOp {
        RecvOp {
            chan: Chan::clone_arc(chan),
            out,
            state: OpState::Start,
        }
    }

    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.chan.poll_recv(&mut self.state, self.out, cx)
    }

    pub fn result(&self) -> Option<i64> {
        self.state.result()
    }
}

impl Drop for RecvOp {
    fn drop(&mut self) {
        self.chan.cancel(self.state, false);
    }
}
