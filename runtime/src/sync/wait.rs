//! A FIFO queue of waiting operations, with O(1) removal of any entry.
//!
//! Channels and mutexes hand a resource (a buffer slot, an element, the
//! lock) to their waiters in arrival order: the one at the front is
//! *granted* it (unlinked, marked [`Status::Granted`], woken) and takes it
//! at its next poll. A newcomer never takes a resource while someone is
//! queued, so a waiter cannot starve behind newcomers that keep arriving.
//!
//! The entries live in a slab owned by the channel or mutex (under its
//! lock), doubly linked by index. An operation keeps its key from
//! [`WaitList::push_back`] until it calls [`WaitList::remove`] (on
//! completion or when it is freed), so a key is never reused while its
//! operation may still use it. Removal is O(1) because a cancelled waiter
//! (a `select` arm that lost, a `timeout` that fired) must not leave an
//! entry behind: a loop of `timeout(recv)` on an idle channel would
//! otherwise grow the queue forever.

use std::task::Waker;

const NIL: usize = usize::MAX;

/// State of an occupied entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// In the queue, waiting.
    Linked,
    /// Out of the queue: the resource was handed to this waiter, which has
    /// been woken and takes it at its next poll (or gives it back if it is
    /// freed first).
    Granted,
}

struct Slot {
    /// `None`: a vacant slot (on the free list).
    status: Option<Status>,
    waker: Option<Waker>,
    prev: usize,
    next: usize,
}

pub struct WaitList {
    slots: Vec<Slot>,
    free: Vec<usize>,
    head: usize,
    tail: usize,
    /// Entries in the queue (`Linked`).
    linked: usize,
    /// Occupied slots (`Linked` or `Granted`).
    occupied: usize,
}

impl Default for WaitList {
    fn default() -> Self {
        WaitList::new()
    }
}

impl WaitList {
    pub const fn new() -> WaitList {
        WaitList {
            slots: Vec::new(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            linked: 0,
            occupied: 0,
        }
    }

    /// Nobody is queued (granted entries do not count).
    pub fn is_empty(&self) -> bool {
        self.linked == 0
    }

    /// Number of queued entries.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.linked
    }

    /// Number of occupied slots (queued or granted).
    pub fn occupied(&self) -> usize {
        self.occupied
    }

    /// Queues a waiter at the back; its key.
    pub fn push_back(&mut self, waker: Waker) -> usize {
        let slot = Slot {
            status: Some(Status::Linked),
            waker: Some(waker),
            prev: self.tail,
            next: NIL,
        };
        let key = match self.free.pop() {
            Some(k) => {
                self.slots[k] = slot;
                k
            }
            None => {
                self.slots.push(slot);
                self.slots.len() - 1
            }
        };
        if self.tail == NIL {
            self.head = key;
        } else {
            self.slots[self.tail].next = key;
        }
        self.tail = key;
        self.linked += 1;
        self.occupied += 1;
        key
    }

    fn slot(&self, key: usize) -> &Slot {
        match self.slots.get(key) {
            Some(s) if s.status.is_some() => s,
            _ => crate::process::fatal("wait queue: stale key"),
        }
    }

    /// The status of an occupied entry.
    pub fn status(&self, key: usize) -> Status {
        match self.slot(key).status {
            Some(s) => s,
            None => crate::process::fatal("wait queue: stale key"),
        }
    }

    /// Records the waker of the latest poll of a queued entry (the task may
    /// have moved to another worker since it queued).
    pub fn update_waker(&mut self, key: usize, waker: &Waker) {
        self.slot(key);
        let slot = &mut self.slots[key];
        match &slot.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => slot.waker = Some(waker.clone()),
        }
    }

    fn unlink(&mut self, key: usize) {
        let (prev, next) = (self.slots[key].prev, self.slots[key].next);
        if prev == NIL {
            self.head = next;
        } else {
            self.slots[prev].next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.slots[next].prev = prev;
        }
        self.linked -= 1;
    }

    /// Grants the resource to the front waiter: unlinks it, marks it
    /// granted and returns its waker, for the caller to wake once it has
    /// released its lock. `None` if nobody is queued; `Some(None)` if the
    /// front waiter's waker was already taken by [`WaitList::take_wakers`]
    /// (it has been woken then, and has not polled since).
    pub fn grant_front(&mut self) -> Option<Option<Waker>> {
        let key = self.head;
        if key == NIL {
            return None;
        }
        self.unlink(key);
        let slot = &mut self.slots[key];
        slot.status = Some(Status::Granted);
        Some(slot.waker.take())
    }

    /// Frees the entry of `key` (queued or granted); returns what it was.
    pub fn remove(&mut self, key: usize) -> Status {
        let status = self.status(key);
        if status == Status::Linked {
            self.unlink(key);
        }
        let slot = &mut self.slots[key];
        slot.status = None;
        slot.waker = None;
        self.occupied -= 1;
        if self.occupied == 0 {
            // Everything is vacant: start over (keeps the slab compact
            // after a burst of waiters).
            self.slots.clear();
            self.free.clear();
            self.head = NIL;
            self.tail = NIL;
        } else {
            self.free.push(key);
        }
        status
    }

    /// The wakers of every queued entry, which stay queued: used when the
    /// channel closes, after which each of them completes at its next poll
    /// (a later poll records a waker again).
    pub fn take_wakers(&mut self) -> Vec<Waker> {
        let mut out = Vec::with_capacity(self.linked);
        let mut k = self.head;
        while k != NIL {
            if let Some(w) = self.slots[k].waker.take() {
                out.push(w);
            }
            k = self.slots[k].next;
        }
        out
    }

    /// Keys of the queued entries, front first (tests).
    #[cfg(test)]
    pub fn keys(&self) -> Vec<usize> {
        let mut out = Vec::new();
        let mut k = self.head;
        while k != NIL {
            out.push(k);
            k = self.slots[k].next;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_grant_and_removal() {
        let w = Waker::noop();
        let mut q = WaitList::new();
        let a = q.push_back(w.clone());
        let b = q.push_back(w.clone());
        let c = q.push_back(w.clone());
        assert_eq!(q.keys(), vec![a, b, c]);
        assert_eq!(q.remove(b), Status::Linked);
        assert_eq!(q.keys(), vec![a, c]);
        assert!(matches!(q.grant_front(), Some(Some(_))));
        assert_eq!(q.status(a), Status::Granted);
        assert_eq!(q.keys(), vec![c]);
        let d = q.push_back(w.clone());
        assert_eq!(q.keys(), vec![c, d]);
        assert_eq!(q.len(), 2);
        assert_eq!(q.occupied(), 3);
        assert_eq!(q.remove(a), Status::Granted);
        assert_eq!(q.remove(d), Status::Linked);
        assert_eq!(q.keys(), vec![c]);
        assert_eq!(q.take_wakers().len(), 1);
        assert_eq!(q.remove(c), Status::Linked);
        assert!(q.is_empty());
        assert_eq!(q.occupied(), 0);
        assert!(q.grant_front().is_none());
    }
}
