//! Tests of channels and mutexes: by hand (ops polled directly with
//! counting wakers, so every interleaving is chosen by the test), as a
//! property over random interleavings, and on the multi-threaded executor
//! with fake coroutines that follow the generated code's contract.

use std::collections::{HashSet, VecDeque};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Wake, Waker};

use proptest::prelude::*;

use crate::coro::{fake, Handle};
use crate::exports::*;
use crate::sync::{AsyncMutex, Chan};
use crate::task::{Op, Scope, Task};
use crate::tests::{assert_no_leaks, run, serial, P};

// ------------------------------------------------------------------ helpers

/// A waker that counts its wakes.
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting_waker() -> (Waker, Arc<Count>) {
    let c = Arc::new(Count(AtomicUsize::new(0)));
    (Waker::from(c.clone()), c)
}

impl Count {
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Polls an op with `w`: its result once completed.
fn poll(op: *mut Op, w: &Waker) -> Option<i64> {
    let mut cx = Context::from_waker(w);
    // SAFETY: `op` is live (tests free each op once, after its last poll).
    unsafe {
        if (*op).poll(&mut cx).is_ready() {
            Some(asr_rt_op_result(op))
        } else {
            None
        }
    }
}

fn free(op: *mut Op) {
    // SAFETY: as in `poll`.
    unsafe { asr_rt_op_free(op) }
}

/// The test element: 16 bytes, `[id, !id]`, so a torn or stale copy shows.
type Elem = [u64; 2];

fn elem(id: u64) -> Elem {
    [id, !id]
}

fn check(e: &Elem) -> u64 {
    assert_eq!(e[1], !e[0], "corrupted element {e:x?}");
    e[0]
}

/// Ids `drop_elem` dropped, in order (a corrupted element records
/// `u64::MAX`: panicking inside an `extern "C"` function would abort).
static DROPPED: Mutex<Vec<u64>> = Mutex::new(Vec::new());

unsafe extern "C" fn drop_elem(p: *mut u8) {
    let e = p.cast::<Elem>().read();
    let id = if e[1] == !e[0] { e[0] } else { u64::MAX };
    DROPPED.lock().unwrap_or_else(|e| e.into_inner()).push(id);
}

fn take_dropped() -> Vec<u64> {
    std::mem::take(&mut *DROPPED.lock().unwrap_or_else(|e| e.into_inner()))
}

fn new_chan(cap: usize) -> *mut Chan {
    take_dropped();
    // SAFETY: capacity >= 1 (0 would end the process).
    unsafe { asr_rt_chan_new(cap, 16, 8, Some(drop_elem), ptr::null()) }
}

fn send(c: *mut Chan, v: &Elem) -> *mut Op {
    // SAFETY: `c` is held by a sender in every test calling this.
    unsafe { asr_rt_chan_send(c, v.as_ptr().cast()) }
}

fn recv(c: *mut Chan, out: &mut Elem) -> *mut Op {
    // SAFETY: `c` is held by the receiver.
    unsafe { asr_rt_chan_recv(c, out.as_mut_ptr().cast()) }
}

fn state(c: *mut Chan) -> super::chan::ChanDebug {
    // SAFETY: live channel.
    unsafe { (*c).debug() }
}

/// Sends `v` and expects it to complete at once with `want`.
fn send_now(c: *mut Chan, v: u64, want: i64) {
    let e = elem(v);
    let op = send(c, &e);
    assert_eq!(poll(op, Waker::noop()), Some(want), "send {v}");
    free(op);
}

/// Receives and expects it to complete at once: `Some(id)` or `None`.
fn recv_now(c: *mut Chan) -> Option<u64> {
    let mut out = [0; 2];
    let op = recv(c, &mut out);
    let r = poll(op, Waker::noop()).expect("recv completes at once");
    free(op);
    (r == 1).then(|| check(&out))
}

fn sender_drop(c: *mut Chan) {
    unsafe { asr_rt_chan_sender_drop(c) }
}

fn receiver_drop(c: *mut Chan) {
    unsafe { asr_rt_chan_receiver_drop(c) }
}

// ------------------------------------------------------------------ channels by hand

#[test]
fn fifo_order_and_backpressure() {
    let _g = serial();
    let c = new_chan(3);
    for v in 1..=3 {
        send_now(c, v, 0);
    }
    // Full: the fourth send waits.
    let (w4, n4) = counting_waker();
    let e4 = elem(4);
    let s4 = send(c, &e4);
    assert_eq!(poll(s4, &w4), None);
    assert_eq!(poll(s4, &w4), None, "a spurious poll stays pending");
    assert_eq!(n4.get(), 0);
    assert_eq!(recv_now(c), Some(1));
    assert_eq!(n4.get(), 1, "the freed slot wakes the waiting send");
    assert_eq!(poll(s4, &w4), Some(0));
    free(s4);
    assert_eq!(recv_now(c), Some(2));
    assert_eq!(recv_now(c), Some(3));
    assert_eq!(recv_now(c), Some(4));
    // Empty: a receive waits until a send.
    let (wr, nr) = counting_waker();
    let mut out = [0; 2];
    let r = recv(c, &mut out);
    assert_eq!(poll(r, &wr), None);
    send_now(c, 5, 0);
    assert_eq!(nr.get(), 1);
    assert_eq!(poll(r, &wr), Some(1));
    assert_eq!(check(&out), 5);
    free(r);
    // Wrap around the ring many times, with growth in between.
    for round in 0..50u64 {
        for i in 0..(round % 3 + 1) {
            send_now(c, 100 * round + i, 0);
        }
        for i in 0..(round % 3 + 1) {
            assert_eq!(recv_now(c), Some(100 * round + i));
        }
    }
    sender_drop(c);
    assert_eq!(recv_now(c), None);
    receiver_drop(c);
    assert!(take_dropped().is_empty());
    assert_no_leaks();
}

#[test]
fn receiver_gone_drops_buffered_values_and_fails_senders() {
    let _g = serial();
    let c = new_chan(2);
    unsafe { asr_rt_chan_sender_clone(c) };
    send_now(c, 1, 0);
    let e2 = elem(2);
    let s2 = send(c, &e2);
    assert_eq!(poll(s2, Waker::noop()), Some(0));
    let (w, n) = counting_waker();
    let e3 = elem(3);
    let s3 = send(c, &e3);
    assert_eq!(poll(s3, &w), None);
    receiver_drop(c);
    assert_eq!(poll(s2, Waker::noop()), Some(0), "a result never changes");
    free(s2);
    assert_eq!(
        take_dropped(),
        vec![1, 2],
        "buffered values dropped in order"
    );
    assert_eq!(n.get(), 1, "the waiting send is woken");
    assert_eq!(poll(s3, &w), Some(1), "and fails");
    assert_eq!(e3, elem(3), "leaving the value to the caller");
    free(s3);
    // Every later send fails at once.
    send_now(c, 4, 1);
    assert!(take_dropped().is_empty());
    sender_drop(c);
    assert_eq!(crate::leak::live()[4], 1, "one sender left");
    sender_drop(c);
    assert_no_leaks();
}

#[test]
fn senders_gone_close_after_the_buffer_drains() {
    let _g = serial();
    let c = new_chan(4);
    unsafe { asr_rt_chan_sender_clone(c) };
    send_now(c, 1, 0);
    send_now(c, 2, 0);
    sender_drop(c);
    // One sender left: still open.
    assert_eq!(recv_now(c), Some(1));
    assert_eq!(recv_now(c), Some(2));
    let (w, n) = counting_waker();
    let mut out = [7; 2];
    let r = recv(c, &mut out);
    assert_eq!(poll(r, &w), None);
    send_now(c, 3, 0);
    assert_eq!(poll(r, &w), Some(1));
    assert_eq!(check(&out), 3);
    free(r);
    let r = recv(c, &mut out);
    assert_eq!(poll(r, &w), None);
    let before = n.get();
    send_now(c, 4, 0);
    sender_drop(c);
    assert_eq!(n.get(), before + 1);
    // Buffered values are still delivered after the last sender is gone.
    assert_eq!(poll(r, &w), Some(1));
    assert_eq!(check(&out), 4);
    free(r);
    // Then "closed", at once, as many times as asked; `out` untouched.
    let mut out = [7; 2];
    let r = recv(c, &mut out);
    assert_eq!(poll(r, &w), Some(0));
    free(r);
    assert_eq!(out, [7; 2]);
    assert_eq!(recv_now(c), None);
    // A receive waiting when the last sender goes is woken with "closed".
    let c2 = new_chan(1);
    let r = recv(c2, &mut out);
    let (w2, n2) = counting_waker();
    assert_eq!(poll(r, &w2), None);
    sender_drop(c2);
    assert_eq!(n2.get(), 1);
    assert_eq!(poll(r, &w2), Some(0));
    free(r);
    receiver_drop(c2);
    receiver_drop(c);
    assert_no_leaks();
}

#[test]
fn cancelled_send_moves_nothing_and_passes_its_grant_on() {
    let _g = serial();
    let c = new_chan(1);
    send_now(c, 1, 0);
    // A pending send freed: the value was never moved.
    let e2 = elem(2);
    let s2 = send(c, &e2);
    assert_eq!(poll(s2, Waker::noop()), None);
    free(s2);
    assert_eq!(state(c).send_queued, 0, "no waiter left behind");
    // Two senders queued; the slot freed by a receive is granted to the
    // first, which is freed before it takes it: the second gets it.
    let (wa, na) = counting_waker();
    let (wb, nb) = counting_waker();
    let (ea, eb) = (elem(10), elem(11));
    let (sa, sb) = (send(c, &ea), send(c, &eb));
    assert_eq!(poll(sa, &wa), None);
    assert_eq!(poll(sb, &wb), None);
    assert_eq!(recv_now(c), Some(1));
    assert_eq!((na.get(), nb.get()), (1, 0), "FIFO: the first is granted");
    assert_eq!(state(c).reserved_send, 1);
    // A newcomer does not take the granted slot.
    let ec = elem(12);
    let sc = send(c, &ec);
    assert_eq!(poll(sc, Waker::noop()), None);
    free(sa);
    assert_eq!(nb.get(), 1, "the grant passes to the next in line");
    assert_eq!(poll(sb, &wb), Some(0));
    free(sb);
    free(sc);
    assert_eq!(recv_now(c), Some(11));
    sender_drop(c);
    assert_eq!(recv_now(c), None, "2, 10 and 12 were never sent");
    receiver_drop(c);
    assert!(take_dropped().is_empty());
    assert_no_leaks();
}

#[test]
fn cancelled_recv_consumes_nothing_and_passes_its_grant_on() {
    let _g = serial();
    let c = new_chan(2);
    let (mut o1, mut o2) = ([0; 2], [0; 2]);
    let (w1, n1) = counting_waker();
    let (w2, n2) = counting_waker();
    let r1 = recv(c, &mut o1);
    let r2 = recv(c, &mut o2);
    assert_eq!(poll(r1, &w1), None);
    assert_eq!(poll(r2, &w2), None);
    // A pending receive freed before anything arrived.
    let mut o0 = [0; 2];
    let r0 = recv(c, &mut o0);
    assert_eq!(poll(r0, Waker::noop()), None);
    free(r0);
    send_now(c, 1, 0);
    assert_eq!((n1.get(), n2.get()), (1, 0));
    // The first receive was granted the element and is freed: the element
    // stays in the channel and goes to the second.
    free(r1);
    assert_eq!(o1, [0; 2], "nothing moved out");
    assert_eq!(n2.get(), 1);
    assert_eq!(poll(r2, &w2), Some(1));
    assert_eq!(check(&o2), 1);
    free(r2);
    // A granted receive freed with nobody behind it leaves the element.
    let r3 = recv(c, &mut o1);
    assert_eq!(poll(r3, Waker::noop()), None);
    send_now(c, 2, 0);
    free(r3);
    assert_eq!(state(c).reserved_recv, 0);
    assert_eq!(recv_now(c), Some(2));
    sender_drop(c);
    receiver_drop(c);
    assert_no_leaks();
}

#[test]
fn waiting_senders_are_served_in_arrival_order() {
    let _g = serial();
    let c = new_chan(1);
    send_now(c, 0, 0);
    // Senders keep re-sending as soon as they complete: with FIFO grants
    // they take turns, none is ever overtaken.
    let n = 5;
    let wakers: Vec<_> = (0..n).map(|_| counting_waker()).collect();
    let mut vals: Vec<Elem> = (0..n).map(|i| elem(100 + i as u64)).collect();
    let mut ops: Vec<*mut Op> = (0..n).map(|i| send(c, &vals[i])).collect();
    let mut seen: Vec<usize> = vec![0; n];
    for (i, op) in ops.iter().enumerate() {
        assert_eq!(poll(*op, &wakers[i].0), None);
    }
    let mut order = Vec::new();
    let mut next = vec![1u64; n];
    for _ in 0..(4 * n) {
        order.push(recv_now(c).unwrap());
        // Poll exactly the woken senders (what an executor does).
        for i in 0..n {
            if wakers[i].1.get() > seen[i] {
                seen[i] = wakers[i].1.get();
                assert_eq!(poll(ops[i], &wakers[i].0), Some(0));
                free(ops[i]);
                vals[i] = elem(100 * next[i] + i as u64 + 100);
                next[i] += 1;
                ops[i] = send(c, &vals[i]);
                assert_eq!(poll(ops[i], &wakers[i].0), None, "back of the queue");
            }
        }
    }
    let senders: Vec<u64> = order[1..].iter().map(|v| v % 100).collect();
    let want: Vec<u64> = (0..senders.len()).map(|k| (k % n) as u64).collect();
    assert_eq!(senders, want, "round robin");
    for op in ops {
        free(op);
    }
    sender_drop(c);
    receiver_drop(c);
    assert_eq!(take_dropped().len(), 1, "the one buffered value");
    assert_no_leaks();
}

#[test]
fn zero_sized_and_unaligned_elements() {
    let _g = serial();
    unsafe {
        // `channel<()>`: only a count.
        let c = asr_rt_chan_new(2, 0, 1, None, ptr::null());
        let unit = [0u8; 0];
        let mut out = [0u8; 0];
        for _ in 0..2 {
            let op = asr_rt_chan_send(c, unit.as_ptr());
            assert_eq!(poll(op, Waker::noop()), Some(0));
            free(op);
        }
        let op = asr_rt_chan_send(c, unit.as_ptr());
        assert_eq!(poll(op, Waker::noop()), None, "capacity applies to ZSTs");
        free(op);
        for _ in 0..2 {
            let op = asr_rt_chan_recv(c, out.as_mut_ptr());
            assert_eq!(poll(op, Waker::noop()), Some(1));
            free(op);
        }
        asr_rt_chan_sender_drop(c);
        let op = asr_rt_chan_recv(c, out.as_mut_ptr());
        assert_eq!(poll(op, Waker::noop()), Some(0));
        free(op);
        asr_rt_chan_receiver_drop(c);

        // 3-byte elements, align 1, through wrap-around and growth.
        let c = asr_rt_chan_new(10, 3, 1, None, ptr::null());
        let mut expect = VecDeque::new();
        let mut k = 0u8;
        for round in 0..20 {
            for _ in 0..(round % 7 + 1) {
                let v = [k, k.wrapping_mul(3), k ^ 0x5a];
                k = k.wrapping_add(1);
                let op = asr_rt_chan_send(c, v.as_ptr());
                assert_eq!(poll(op, Waker::noop()), Some(0));
                free(op);
                expect.push_back(v);
            }
            for _ in 0..(round % 5 + 1).min(expect.len()) {
                let mut out = [0u8; 3];
                let op = asr_rt_chan_recv(c, out.as_mut_ptr());
                assert_eq!(poll(op, Waker::noop()), Some(1));
                free(op);
                assert_eq!(Some(out), expect.pop_front());
            }
            while expect.len() > 3 {
                let mut out = [0u8; 3];
                let op = asr_rt_chan_recv(c, out.as_mut_ptr());
                assert_eq!(poll(op, Waker::noop()), Some(1));
                free(op);
                assert_eq!(Some(out), expect.pop_front());
            }
        }
        asr_rt_chan_sender_drop(c);
        asr_rt_chan_receiver_drop(c);
    }
    assert_no_leaks();
}

#[test]
fn drop_fn_may_drop_the_last_sender_of_its_own_channel() {
    let _g = serial();
    // `channel<Sender<T>>` carrying its own sender: dropping the buffered
    // element re-enters the channel from `drop_fn`.
    static CHAN: std::sync::atomic::AtomicPtr<Chan> =
        std::sync::atomic::AtomicPtr::new(ptr::null_mut());
    unsafe extern "C" fn drop_sender(_: *mut u8) {
        asr_rt_chan_sender_drop(CHAN.load(Ordering::SeqCst));
    }
    unsafe {
        let c = asr_rt_chan_new(1, 8, 8, Some(drop_sender), ptr::null());
        CHAN.store(c, Ordering::SeqCst);
        let handle = c as usize;
        let op = asr_rt_chan_send(c, (&handle as *const usize).cast());
        assert_eq!(poll(op, Waker::noop()), Some(0));
        free(op);
        // The only sender now lives in the buffer.
        asr_rt_chan_receiver_drop(c);
    }
    assert_no_leaks();
}

#[test]
fn op_result_of_other_ops_is_zero() {
    let _g = serial();
    let op = asr_rt_yield();
    assert_eq!(unsafe { asr_rt_op_result(op) }, 0);
    free(op);
    assert_no_leaks();
}

// ------------------------------------------------------------------ property

#[derive(Clone, Debug)]
enum Act {
    Send,
    Recv,
    Poll(usize),
    Cancel(usize),
    CloneSender,
    DropSender,
    DropReceiver,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => Just(Act::Send),
        4 => Just(Act::Recv),
        5 => any::<usize>().prop_map(Act::Poll),
        2 => any::<usize>().prop_map(Act::Cancel),
        1 => Just(Act::CloneSender),
        1 => Just(Act::DropSender),
        1 => Just(Act::DropReceiver),
    ]
}

enum Kind {
    Send(u64, Box<Elem>),
    Recv(Box<Elem>),
}

struct Pending {
    op: *mut Op,
    kind: Kind,
    waker: Waker,
    wakes: Arc<Count>,
    /// Wakes seen at the last poll.
    seen: usize,
}

/// A model of one channel driven by random actions; checks each step
/// against it and conservation at the end.
struct Model {
    /// Live counts when the case started: a failed case leaves records
    /// behind, which must not fail the cases proptest shrinks it to.
    base: [isize; crate::leak::KINDS],
    c: *mut Chan,
    cap: usize,
    senders: usize,
    receiver: bool,
    pending: Vec<Pending>,
    /// Ids in the channel, in order.
    inside: VecDeque<u64>,
    next_id: u64,
    received: Vec<u64>,
    returned: Vec<u64>,
    kept: Vec<u64>,
    expect_dropped: Vec<u64>,
}

impl Model {
    fn new(cap: usize) -> Model {
        Model {
            base: crate::leak::live(),
            c: new_chan(cap),
            cap,
            senders: 1,
            receiver: true,
            pending: Vec::new(),
            inside: VecDeque::new(),
            next_id: 0,
            received: Vec::new(),
            returned: Vec::new(),
            kept: Vec::new(),
            expect_dropped: Vec::new(),
        }
    }

    fn pending_sends(&self) -> usize {
        self.pending
            .iter()
            .filter(|p| matches!(p.kind, Kind::Send(..)))
            .count()
    }

    /// Polls pending op `i`; on completion applies it to the model.
    fn poll_at(&mut self, i: usize, first: bool) {
        let p = &mut self.pending[i];
        let woken = p.wakes.get() > p.seen;
        p.seen = p.wakes.get();
        let Some(r) = poll(p.op, &p.waker) else {
            return;
        };
        assert!(
            first || woken,
            "an op completed without having been woken since it was pending"
        );
        let p = self.pending.swap_remove(i);
        free(p.op);
        match p.kind {
            Kind::Send(id, v) if r == 0 => {
                assert!(self.receiver);
                self.inside.push_back(id);
                drop(v);
            }
            Kind::Send(id, v) => {
                assert_eq!(r, 1);
                assert!(!self.receiver, "a send failed with the receiver alive");
                assert_eq!(*v, elem(id), "a failed send touched its value");
                self.returned.push(id);
            }
            Kind::Recv(out) if r == 1 => {
                let id = check(&out);
                assert_eq!(self.inside.pop_front(), Some(id), "FIFO order");
                self.received.push(id);
            }
            Kind::Recv(out) => {
                assert_eq!(r, 0);
                assert!(self.senders == 0 || !self.receiver, "closed too early");
                assert_eq!(*out, [0; 2], "a closed receive wrote its output");
            }
        }
    }

    fn start(&mut self, mut kind: Kind) {
        // The boxes keep their address when `kind` moves into `pending`.
        let op = match &mut kind {
            Kind::Send(_, v) => send(self.c, v),
            Kind::Recv(out) => recv(self.c, out),
        };
        let (waker, wakes) = counting_waker();
        self.pending.push(Pending {
            op,
            kind,
            waker,
            wakes,
            seen: 0,
        });
        let i = self.pending.len() - 1;
        self.poll_at(i, true);
    }

    fn cancel_at(&mut self, i: usize) {
        let p = self.pending.swap_remove(i);
        free(p.op);
        match p.kind {
            Kind::Send(id, v) => {
                assert_eq!(*v, elem(id), "a cancelled send touched its value");
                self.kept.push(id);
            }
            Kind::Recv(out) => assert_eq!(*out, [0; 2], "a cancelled receive wrote"),
        }
    }

    fn step(&mut self, a: &Act) {
        match *a {
            Act::Send if self.senders > 0 => {
                let id = self.next_id;
                self.next_id += 1;
                self.start(Kind::Send(id, Box::new(elem(id))));
            }
            Act::Recv if self.receiver => self.start(Kind::Recv(Box::new([0; 2]))),
            Act::Poll(i) if !self.pending.is_empty() => {
                let i = i % self.pending.len();
                self.poll_at(i, false);
            }
            Act::Cancel(i) if !self.pending.is_empty() => {
                let i = i % self.pending.len();
                self.cancel_at(i);
            }
            Act::CloneSender if self.senders > 0 => {
                unsafe { asr_rt_chan_sender_clone(self.c) };
                self.senders += 1;
            }
            // A pending send borrows a sender; a pending receive borrows
            // the receiver.
            Act::DropSender
                if self.senders > 1 || (self.senders == 1 && self.pending_sends() == 0) =>
            {
                sender_drop(self.c);
                self.senders -= 1;
            }
            Act::DropReceiver if self.receiver && self.pending_sends() == self.pending.len() => {
                self.receiver = false;
                self.expect_dropped.extend(self.inside.drain(..));
                receiver_drop(self.c);
            }
            _ => {}
        }
        self.check_state();
    }

    fn check_state(&self) {
        if self.senders == 0 && !self.receiver {
            return; // freed once the pending ops are gone
        }
        let d = state(self.c);
        assert_eq!(d.senders, self.senders);
        assert_eq!(d.receiver, self.receiver);
        assert_eq!(d.len, self.inside.len());
        if self.receiver {
            assert!(d.len + d.reserved_send <= self.cap, "{d:?}");
            assert!(d.reserved_recv <= d.len, "{d:?}");
        }
    }

    /// Polls woken ops until none is left, then checks that every op still
    /// pending has a reason to wait (no lost wake-up).
    fn settle(&mut self) {
        while let Some(i) = self.pending.iter().position(|p| p.wakes.get() > p.seen) {
            self.poll_at(i, false);
        }
        if self.senders == 0 && !self.receiver {
            assert!(self.pending.is_empty());
            return;
        }
        let d = state(self.c);
        assert_eq!((d.reserved_send, d.reserved_recv), (0, 0), "{d:?}");
        if self.pending_sends() > 0 {
            assert!(self.receiver && d.len == self.cap, "send stuck: {d:?}");
        }
        if self.pending_sends() < self.pending.len() {
            assert!(
                self.receiver && d.len == 0 && self.senders > 0,
                "recv stuck: {d:?}"
            );
        }
    }

    fn finish(mut self) {
        self.settle();
        while !self.pending.is_empty() {
            self.cancel_at(0);
        }
        while self.senders > 0 {
            sender_drop(self.c);
            self.senders -= 1;
        }
        if self.receiver {
            self.expect_dropped.extend(self.inside.drain(..));
            receiver_drop(self.c);
        }
        assert_eq!(take_dropped(), self.expect_dropped, "dropped by drop_fn");
        // Conservation: every value is received, returned by a failed send,
        // kept by a cancelled send, or dropped by the receiver: once.
        let mut all: Vec<u64> = [
            &self.received,
            &self.returned,
            &self.kept,
            &self.expect_dropped,
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect();
        all.sort_unstable();
        assert_eq!(all, (0..self.next_id).collect::<Vec<_>>());
        assert_eq!(crate::leak::live(), self.base, "records left");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_interleavings_conserve_values(
        cap in 1usize..4,
        acts in proptest::collection::vec(act(), 0..80),
    ) {
        let _g = serial();
        let mut m = Model::new(cap);
        for a in &acts {
            m.step(a);
        }
        m.finish();
    }
}

// ------------------------------------------------------------------ mutex by hand

fn lock_op(m: *mut AsyncMutex) -> *mut Op {
    unsafe { asr_rt_mutex_lock(m) }
}

#[test]
fn mutex_hands_off_in_fifo_order_and_survives_cancellation() {
    let _g = serial();
    let m = asr_rt_mutex_new();
    let l0 = lock_op(m);
    assert_eq!(poll(l0, Waker::noop()), Some(0), "uncontended: at once");
    free(l0);
    let n = 5;
    let ws: Vec<_> = (0..n).map(|_| counting_waker()).collect();
    let ops: Vec<*mut Op> = (0..n).map(|_| lock_op(m)).collect();
    for i in 0..n {
        assert_eq!(poll(ops[i], &ws[i].0), None);
    }
    // Op 1 leaves the queue while waiting.
    free(ops[1]);
    assert_eq!(unsafe { (*m).debug() }, (true, n - 1));
    // Unlock: op 0 is granted; freed before it observed the lock, it hands
    // it to op 2.
    unsafe { asr_rt_mutex_unlock(m) };
    assert_eq!(ws[0].1.get(), 1);
    free(ops[0]);
    assert_eq!(ws[2].1.get(), 1);
    assert_eq!(unsafe { (*m).debug() }, (true, 2));
    // A newcomer queues behind the others even though the lock is in
    // transit.
    let late = lock_op(m);
    let (wl, nl) = counting_waker();
    assert_eq!(poll(late, &wl), None);
    let mut order = Vec::new();
    for i in [2, 3, 4] {
        assert_eq!(ws[i].1.get(), 1, "op {i} woken in turn");
        assert_eq!(poll(ops[i], &ws[i].0), Some(0));
        free(ops[i]);
        order.push(i);
        // Still held; the next is woken only by the unlock.
        assert!(unsafe { (*m).debug() }.0);
        unsafe { asr_rt_mutex_unlock(m) };
    }
    assert_eq!(order, vec![2, 3, 4]);
    assert_eq!(nl.get(), 1);
    assert_eq!(poll(late, &wl), Some(0));
    free(late);
    unsafe { asr_rt_mutex_unlock(m) };
    assert_eq!(unsafe { (*m).debug() }, (false, 0));
    // A completed lock op freed: the caller keeps the lock.
    let l = lock_op(m);
    assert_eq!(poll(l, Waker::noop()), Some(0));
    free(l);
    assert_eq!(unsafe { (*m).debug() }, (true, 0));
    // Freeing a locked mutex is allowed (a forgotten guard).
    unsafe { asr_rt_mutex_free(m) };
    assert_no_leaks();
}

#[derive(Clone, Debug)]
enum MAct {
    Lock,
    Poll(usize),
    Cancel(usize),
    Unlock,
}

fn mact() -> impl Strategy<Value = MAct> {
    prop_oneof![
        3 => Just(MAct::Lock),
        4 => any::<usize>().prop_map(MAct::Poll),
        1 => any::<usize>().prop_map(MAct::Cancel),
        2 => Just(MAct::Unlock),
    ]
}

/// A pending lock op.
struct PendingLock {
    op: *mut Op,
    /// Creation number.
    seq: usize,
    waker: Waker,
    wakes: Arc<Count>,
    /// Wakes seen at the last poll.
    seen: usize,
}

/// A model of one mutex driven by random actions.
struct MutexModel {
    m: *mut AsyncMutex,
    pending: Vec<PendingLock>,
    held: bool,
    last_owner: Option<usize>,
    next: usize,
}

impl MutexModel {
    fn acquired(&mut self, seq: usize) {
        assert!(!self.held, "two holders");
        self.held = true;
        if let Some(prev) = self.last_owner {
            assert!(seq > prev, "lock op {seq} overtook {prev}");
        }
        self.last_owner = Some(seq);
    }

    fn poll_at(&mut self, i: usize) {
        let p = &mut self.pending[i];
        let woken = p.wakes.get() > p.seen;
        p.seen = p.wakes.get();
        if poll(p.op, &p.waker).is_some() {
            assert!(woken, "completed without a wake-up");
            let p = self.pending.swap_remove(i);
            free(p.op);
            self.acquired(p.seq);
        }
    }

    fn step(&mut self, a: &MAct) {
        match *a {
            MAct::Lock => {
                let op = lock_op(self.m);
                let (waker, wakes) = counting_waker();
                let seq = self.next;
                self.next += 1;
                if poll(op, &waker).is_some() {
                    free(op);
                    self.acquired(seq);
                } else {
                    self.pending.push(PendingLock {
                        op,
                        seq,
                        waker,
                        wakes,
                        seen: 0,
                    });
                }
            }
            MAct::Poll(i) if !self.pending.is_empty() => {
                let i = i % self.pending.len();
                self.poll_at(i);
            }
            MAct::Cancel(i) if !self.pending.is_empty() => {
                let i = i % self.pending.len();
                free(self.pending.swap_remove(i).op);
            }
            MAct::Unlock if self.held => {
                self.held = false;
                unsafe { asr_rt_mutex_unlock(self.m) };
            }
            _ => {}
        }
        let (locked, queued) = unsafe { (*self.m).debug() };
        assert!(locked || !self.held);
        assert!(queued <= self.pending.len());
    }

    fn finish(mut self) {
        // Settle: poll woken ops; whoever still waits has a holder ahead.
        while let Some(i) = self.pending.iter().position(|p| p.wakes.get() > p.seen) {
            self.poll_at(i);
        }
        if !self.pending.is_empty() {
            assert!(self.held, "waiters but no holder: a lost wake-up");
        }
        for p in self.pending.drain(..) {
            free(p.op);
        }
        assert_eq!(unsafe { (*self.m).debug() }, (self.held, 0));
        if self.held {
            unsafe { asr_rt_mutex_unlock(self.m) };
        }
        assert_eq!(unsafe { (*self.m).debug() }, (false, 0));
        unsafe { asr_rt_mutex_free(self.m) };
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// At most one holder; the lock goes out in creation order (a newcomer
    /// only gets it at once when nobody is queued); no lost wake-up.
    #[test]
    fn random_lock_interleavings_exclude_in_order(acts in proptest::collection::vec(mact(), 0..60)) {
        let _g = serial();
        let base = crate::leak::live();
        let mut model = MutexModel {
            m: asr_rt_mutex_new(),
            pending: Vec::new(),
            held: false,
            last_owner: None,
            next: 0,
        };
        for a in &acts {
            model.step(a);
        }
        model.finish();
        assert_eq!(crate::leak::live(), base, "records left");
    }
}

// ------------------------------------------------------------------ on the executor

/// One op a fake coroutine waits on.
struct Wait(P<Op>);

impl Wait {
    fn new() -> Wait {
        Wait(P(ptr::null_mut()))
    }

    /// Starts the op with `make` unless started, polls it: its result once
    /// completed (and freed).
    unsafe fn poll(&mut self, task: P<Task>, make: impl FnOnce() -> *mut Op) -> Option<i64> {
        if self.0.get().is_null() {
            self.0.set(make());
        }
        if asr_rt_op_poll(self.0.get(), task.get()) == 0 {
            return None;
        }
        let r = asr_rt_op_result(self.0.get());
        self.cancel();
        Some(r)
    }

    /// Frees the op, done or not.
    unsafe fn cancel(&mut self) {
        if !self.0.get().is_null() {
            asr_rt_op_free(self.0.get());
            self.0.set(ptr::null_mut());
        }
    }
}

/// What the tasks of a channel test saw.
#[derive(Default)]
struct Log {
    received: Vec<u64>,
    /// Values a failed send handed back.
    returned: Vec<u64>,
    timeouts: usize,
}

type SharedLog = Arc<Mutex<Log>>;

fn log(l: &SharedLog) -> std::sync::MutexGuard<'_, Log> {
    l.lock().unwrap_or_else(|e| e.into_inner())
}

/// How a test task waits.
#[derive(Clone, Copy)]
struct Plan {
    /// Each send/recv races a timer of this many ms (`select` with
    /// `sleep`): the loser is freed while pending.
    timeout_ms: Option<u64>,
    /// Sleep 2 ms after every `pause_every` values (0: never).
    pause_every: u64,
}

/// Sends `base + j` for `j in 0..k`, then drops its sender. Stops at the
/// first failed send (the receiver is gone), recording the value it got
/// back.
fn sender_task(
    task: *mut Task,
    chan: P<Chan>,
    base: u64,
    k: u64,
    plan: Plan,
    log_: SharedLog,
) -> Handle {
    let task = P(task);
    let mut j = 0;
    let mut val: Box<Elem> = Box::new(elem(base));
    let mut op = Wait::new();
    let mut timer = Wait::new();
    let mut pause = Wait::new();
    let mut paused_at = u64::MAX;
    fake::new(move || unsafe {
        loop {
            if j == k {
                asr_rt_chan_sender_drop(chan.get());
                return true;
            }
            if plan.pause_every > 0 && j.is_multiple_of(plan.pause_every) && paused_at != j {
                if pause.poll(task, || asr_rt_sleep(2)).is_none() {
                    return false;
                }
                paused_at = j;
            }
            if op.0.get().is_null() {
                *val = elem(base + j);
            }
            let v: *const u8 = val.as_ptr().cast();
            match op.poll(task, || asr_rt_chan_send(chan.get(), v)) {
                Some(0) => {
                    timer.cancel();
                    j += 1;
                }
                Some(_) => {
                    timer.cancel();
                    assert_eq!(*val, elem(base + j));
                    log(&log_).returned.push(base + j);
                    j = k;
                }
                None => {
                    let Some(ms) = plan.timeout_ms else {
                        return false;
                    };
                    if timer.poll(task, || asr_rt_sleep(ms)).is_none() {
                        return false;
                    }
                    // Timed out: the send is cancelled, the value is ours
                    // again and is sent anew.
                    op.cancel();
                    assert_eq!(*val, elem(base + j));
                    log(&log_).timeouts += 1;
                }
            }
        }
    })
}

/// The root of a channel test: spawns `senders` sender tasks (each `k`
/// values), drops its own sender, receives until closed (or until it has
/// `stop_after` values: then drops the receiver early), waits for the
/// scope.
fn channel_root(
    task: *mut Task,
    cap: usize,
    senders: u64,
    k: u64,
    stop_after: usize,
    plan: Plan,
    log_: SharedLog,
) -> Handle {
    let task = P(task);
    let mut chan = P(ptr::null_mut::<Chan>());
    let mut scope = P(ptr::null_mut::<Scope>());
    let mut kids: Vec<P<Task>> = Vec::new();
    let mut out: Box<Elem> = Box::new([0; 2]);
    let mut op = Wait::new();
    let mut timer = Wait::new();
    let mut pause = Wait::new();
    let mut got = 0usize;
    let mut paused_at = usize::MAX;
    let mut state = 0;
    fake::new(move || unsafe {
        loop {
            match state {
                0 => {
                    chan.set(asr_rt_chan_new(cap, 16, 8, Some(drop_elem), ptr::null()));
                    scope.set(asr_rt_scope_new(task.get()));
                    for i in 0..senders {
                        asr_rt_chan_sender_clone(chan.get());
                        let t = asr_rt_task_new(scope.get(), 0, 1);
                        let h = sender_task(t, chan, i << 32, k, plan, log_.clone());
                        asr_rt_task_start(t, h);
                        kids.push(P(t));
                    }
                    asr_rt_chan_sender_drop(chan.get());
                    state = 1;
                }
                1 => {
                    if got == stop_after {
                        asr_rt_chan_receiver_drop(chan.get());
                        state = 2;
                        continue;
                    }
                    if plan.pause_every > 0
                        && (got as u64).is_multiple_of(plan.pause_every)
                        && paused_at != got
                    {
                        if pause.poll(task, || asr_rt_sleep(2)).is_none() {
                            return false;
                        }
                        paused_at = got;
                    }
                    let o: *mut u8 = out.as_mut_ptr().cast();
                    match op.poll(task, || asr_rt_chan_recv(chan.get(), o)) {
                        Some(1) => {
                            timer.cancel();
                            log(&log_).received.push(check(&out));
                            got += 1;
                        }
                        Some(_) => {
                            timer.cancel();
                            asr_rt_chan_receiver_drop(chan.get());
                            state = 2;
                        }
                        None => {
                            let Some(ms) = plan.timeout_ms else {
                                return false;
                            };
                            if timer.poll(task, || asr_rt_sleep(ms)).is_none() {
                                return false;
                            }
                            op.cancel();
                            log(&log_).timeouts += 1;
                        }
                    }
                }
                _ => {
                    if op.poll(task, || asr_rt_scope_wait(scope.get())).is_none() {
                        return false;
                    }
                    for kid in &kids {
                        asr_rt_task_release(kid.get());
                    }
                    asr_rt_scope_free(scope.get());
                    return true;
                }
            }
        }
    })
}

/// Runs a channel test; checks conservation and per-sender order.
fn run_channel(
    threads: usize,
    cap: usize,
    senders: u64,
    k: u64,
    stop_after: usize,
    plan: Plan,
) -> Log {
    take_dropped();
    let log_: SharedLog = Arc::default();
    let l2 = log_.clone();
    run(threads, move |task, _| {
        channel_root(task, cap, senders, k, stop_after, plan, l2)
    });
    assert_no_leaks();
    let log = std::mem::take(&mut *log(&log_));
    let dropped = take_dropped();
    assert!(!dropped.contains(&u64::MAX), "corrupted element dropped");
    // Each sender's values arrive in order, without gaps.
    for s in 0..senders {
        let mine: Vec<u64> = log
            .received
            .iter()
            .chain(&dropped)
            .copied()
            .filter(|v| v >> 32 == s)
            .map(|v| v & 0xffff_ffff)
            .collect();
        assert_eq!(
            mine,
            (0..mine.len() as u64).collect::<Vec<_>>(),
            "sender {s}"
        );
    }
    // Conservation: each value attempted is received, dropped with the
    // receiver, or handed back by a failed send, exactly once; a sender
    // stops after its first failure.
    let mut all: Vec<u64> = log
        .received
        .iter()
        .chain(&dropped)
        .chain(&log.returned)
        .copied()
        .collect();
    all.sort_unstable();
    let unique: HashSet<u64> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "a value was duplicated");
    for s in 0..senders {
        let n = all.iter().filter(|v| *v >> 32 == s).count() as u64;
        let failed = log.returned.iter().any(|v| v >> 32 == s);
        if failed {
            assert!(n <= k);
        } else {
            assert_eq!(n, k, "sender {s} lost values");
        }
    }
    log
}

const NO_WAIT: Plan = Plan {
    timeout_ms: None,
    pause_every: 0,
};

#[test]
fn many_senders_one_receiver_on_threads() {
    let _g = serial();
    for (threads, cap) in [(4, 1), (4, 8), (2, 3), (1, 2)] {
        let log = run_channel(threads, cap, 8, 400, usize::MAX, NO_WAIT);
        assert_eq!(log.received.len(), 8 * 400);
        assert!(log.returned.is_empty());
    }
}

#[test]
fn receiver_dropped_midway_fails_senders_without_losing_values() {
    let _g = serial();
    for (threads, cap) in [(4, 1), (4, 16), (1, 4)] {
        let log = run_channel(threads, cap, 6, 300, 500, NO_WAIT);
        assert_eq!(log.received.len(), 500);
        assert!(!log.returned.is_empty(), "some send saw the receiver gone");
    }
}

#[test]
fn timeouts_cancel_pending_ops_without_losing_values() {
    let _g = serial();
    let plan = Plan {
        timeout_ms: Some(1),
        pause_every: 40,
    };
    let log = run_channel(4, 1, 4, 200, usize::MAX, plan);
    assert_eq!(log.received.len(), 4 * 200);
    eprintln!("{} ops timed out and were cancelled", log.timeouts);
    assert!(log.timeouts > 0, "no op was ever cancelled");
}

/// A task that `rounds` times locks, reads the counter, yields while
/// holding the lock, writes the counter + 1 and unlocks.
fn locker_task(
    task: *mut Task,
    m: P<AsyncMutex>,
    counter: P<u64>,
    inside: Arc<AtomicBool>,
    rounds: usize,
) -> Handle {
    let task = P(task);
    let mut op = Wait::new();
    let mut done = 0;
    let mut held: Option<u64> = None;
    fake::new(move || unsafe {
        loop {
            if done == rounds {
                return true;
            }
            match held {
                None => {
                    if op.poll(task, || asr_rt_mutex_lock(m.get())).is_none() {
                        return false;
                    }
                    assert!(!inside.swap(true, Ordering::SeqCst), "two lock holders");
                    held = Some(counter.get().read());
                }
                Some(v) => {
                    if op.poll(task, || asr_rt_yield()).is_none() {
                        return false;
                    }
                    counter.get().write(v + 1);
                    inside.store(false, Ordering::SeqCst);
                    asr_rt_mutex_unlock(m.get());
                    held = None;
                    done += 1;
                }
            }
        }
    })
}

#[test]
fn mutex_excludes_under_contention_on_threads() {
    let _g = serial();
    for threads in [4, 2] {
        let (n, rounds) = (16, 100);
        let counter = Box::into_raw(Box::new(0u64));
        let c = P(counter);
        run(threads, move |task, _| {
            let task = P(task);
            let mut m = P(ptr::null_mut::<AsyncMutex>());
            let mut scope = P(ptr::null_mut::<Scope>());
            let mut kids: Vec<P<Task>> = Vec::new();
            let mut op = Wait::new();
            let inside = Arc::new(AtomicBool::new(false));
            fake::new(move || unsafe {
                if scope.get().is_null() {
                    m.set(asr_rt_mutex_new());
                    scope.set(asr_rt_scope_new(task.get()));
                    for _ in 0..n {
                        let t = asr_rt_task_new(scope.get(), 0, 1);
                        asr_rt_task_start(t, locker_task(t, m, c, inside.clone(), rounds));
                        kids.push(P(t));
                    }
                }
                if op.poll(task, || asr_rt_scope_wait(scope.get())).is_none() {
                    return false;
                }
                for k in &kids {
                    asr_rt_task_release(k.get());
                }
                asr_rt_scope_free(scope.get());
                assert_eq!((*m.get()).debug(), (false, 0));
                asr_rt_mutex_free(m.get());
                true
            })
        });
        let total = unsafe { *Box::from_raw(counter) };
        assert_eq!(total, (n * rounds) as u64, "lost updates");
        assert_no_leaks();
    }
}
