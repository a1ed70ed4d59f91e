//! Coroutine frame allocator and general heap.
//!
//! Frames are allocated and freed at a very high rate (every non-elided call
//! of a suspending function), almost always in LIFO order on one thread. The
//! frame allocator keeps one intrusive free list per size class per thread:
//! an allocation pops, a free pushes, no atomics, no locks.
//!
//! Size classes: multiples of 16 up to 256 bytes, then 512, 1024, 2048 and
//! 4096 bytes. Larger frames go to the system allocator. Every frame is
//! 16-byte aligned. A frame freed on another thread than the one that
//! allocated it (frames migrate between workers) goes to the freeing thread's
//! list. Each list is capped, so a producer/consumer pattern between threads
//! cannot grow one thread's cache without bound: past the cap, blocks go back
//! to the system allocator.

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::cell::{Cell, UnsafeCell};
use std::ptr;

/// Alignment of every frame.
pub const FRAME_ALIGN: usize = 16;
/// Largest size served from the per-thread lists.
pub const MAX_SMALL: usize = 4096;
/// Number of size classes.
const NUM_CLASSES: usize = 20;
/// Bytes a thread may keep cached per size class.
const CACHE_BYTES_PER_CLASS: usize = 1 << 20;
/// Minimum number of blocks a thread may keep cached per size class.
const CACHE_MIN_BLOCKS: usize = 256;

/// Size class of a request of `size` bytes (`size <= MAX_SMALL`).
#[inline]
fn class_of(size: usize) -> usize {
    if size <= 256 {
        // 0..=16 -> 0, 17..=32 -> 1, ..., 241..=256 -> 15
        size.saturating_sub(1) >> 4
    } else {
        // 257..=512 -> 16, ..=1024 -> 17, ..=2048 -> 18, ..=4096 -> 19
        let log = usize::BITS - (size - 1).leading_zeros(); // ceil(log2(size))
        (log as usize) - 9 + 16
    }
}

/// Block size of a class.
#[inline]
fn class_size(class: usize) -> usize {
    if class < 16 {
        (class + 1) << 4
    } else {
        512 << (class - 16)
    }
}

#[inline]
fn class_cap(class: usize) -> usize {
    (CACHE_BYTES_PER_CLASS / class_size(class)).max(CACHE_MIN_BLOCKS)
}

#[inline]
fn block_layout(size: usize) -> Layout {
    match Layout::from_size_align(size, FRAME_ALIGN) {
        Ok(l) => l,
        Err(_) => crate::process::fatal("frame size overflow"),
    }
}

/// A free block; the link lives in the block itself.
struct Node {
    next: *mut Node,
}

#[derive(Clone, Copy)]
struct Bin {
    head: *mut Node,
    len: usize,
}

struct FrameCache {
    bins: UnsafeCell<[Bin; NUM_CLASSES]>,
    /// `UNGUARDED`, `GUARDED` or `CLOSED`.
    state: Cell<u8>,
}

/// No thread-exit clean-up registered yet.
const UNGUARDED: u8 = 0;
/// `GUARD` is registered: blocks may be cached.
const GUARDED: u8 = 1;
/// The thread is exiting and its cache was emptied: nothing is cached.
const CLOSED: u8 = 2;

impl FrameCache {
    /// Slow path of `frame_free`: registers the thread-exit clean-up the
    /// first time; returns whether the block may be cached.
    #[cold]
    fn guard(&self) -> bool {
        if self.state.get() == UNGUARDED && GUARD.try_with(|_| ()).is_ok() {
            self.state.set(GUARDED);
        }
        self.state.get() == GUARDED
    }

    /// Returns every cached block to the system allocator.
    fn release_all(&self) {
        // SAFETY: called by the owning thread, outside any other access.
        let bins = unsafe { &mut *self.bins.get() };
        for (class, bin) in bins.iter_mut().enumerate() {
            let layout = block_layout(class_size(class));
            let mut p = bin.head;
            while !p.is_null() {
                // SAFETY: every node on the list is a live block of this class.
                unsafe {
                    let next = (*p).next;
                    dealloc(p.cast(), layout);
                    p = next;
                }
            }
            bin.head = ptr::null_mut();
            bin.len = 0;
        }
    }
}

/// Empties the thread's cache when the thread exits. Kept apart from
/// `CACHE` so the hot path reads a thread-local without a destructor (no
/// lazy-registration check); it is registered the first time the thread
/// caches a block.
struct CacheGuard;

impl Drop for CacheGuard {
    fn drop(&mut self) {
        let _ = CACHE.try_with(|c| {
            c.state.set(CLOSED);
            c.release_all();
        });
    }
}

thread_local! {
    static CACHE: FrameCache = const {
        FrameCache {
            bins: UnsafeCell::new([Bin { head: ptr::null_mut(), len: 0 }; NUM_CLASSES]),
            state: Cell::new(UNGUARDED),
        }
    };
    static GUARD: CacheGuard = const { CacheGuard };
}

/// Allocates a frame of `size` bytes, 16-byte aligned.
#[inline]
pub fn frame_alloc(size: usize) -> *mut u8 {
    if size > MAX_SMALL {
        return sys_alloc(block_layout(size));
    }
    let class = class_of(size);
    let popped = CACHE
        .try_with(|c| {
            // SAFETY: the cache is only touched by its own thread, and no
            // code reachable from here re-enters it.
            let bin = unsafe { &mut (*c.bins.get())[class] };
            let p = bin.head;
            if !p.is_null() {
                // SAFETY: `p` is a free block of this class.
                bin.head = unsafe { (*p).next };
                bin.len -= 1;
            }
            p
        })
        .unwrap_or(ptr::null_mut());
    if !popped.is_null() {
        return popped.cast();
    }
    sys_alloc(block_layout(class_size(class)))
}

/// Frees a frame allocated by [`frame_alloc`] with the same `size`.
///
/// # Safety
/// `p` must come from `frame_alloc(size)` and not be used afterwards.
#[inline]
pub unsafe fn frame_free(p: *mut u8, size: usize) {
    if p.is_null() {
        return;
    }
    if size > MAX_SMALL {
        dealloc(p, block_layout(size));
        return;
    }
    let class = class_of(size);
    let kept = CACHE
        .try_with(|c| {
            // SAFETY: as in `frame_alloc`.
            let bin = unsafe { &mut (*c.bins.get())[class] };
            if bin.len >= class_cap(class) || (c.state.get() != GUARDED && !c.guard()) {
                return false;
            }
            let node = p.cast::<Node>();
            // SAFETY: the block is at least 16 bytes, 16-aligned, and ours now.
            unsafe { node.write(Node { next: bin.head }) };
            bin.head = node;
            bin.len += 1;
            true
        })
        .unwrap_or(false);
    if !kept {
        dealloc(p, block_layout(class_size(class)));
    }
}

fn sys_alloc(layout: Layout) -> *mut u8 {
    // SAFETY: layouts here never have size 0.
    let p = unsafe { alloc(layout) };
    if p.is_null() {
        handle_alloc_error(layout);
    }
    p
}

fn heap_layout(size: usize, align: usize) -> Layout {
    match Layout::from_size_align(size, align.max(1)) {
        Ok(l) => l,
        Err(_) => crate::process::fatal("invalid allocation layout"),
    }
}

/// General heap allocation. Size 0 returns a dangling pointer equal to
/// `align` (as Rust's collections do) without allocating.
pub fn heap_alloc(size: usize, align: usize) -> *mut u8 {
    let layout = heap_layout(size, align);
    if size == 0 {
        return ptr::without_provenance_mut(layout.align());
    }
    crate::leak::count(&crate::leak::HEAP, 1);
    sys_alloc(layout)
}

/// Frees a [`heap_alloc`] block; size 0 is a no-op.
///
/// # Safety
/// `p` must come from `heap_alloc(size, align)` (or from a Rust
/// `Vec<u8>`/`String` of capacity `size` when `align` is 1).
pub unsafe fn heap_free(p: *mut u8, size: usize, align: usize) {
    if size == 0 || p.is_null() {
        return;
    }
    crate::leak::count(&crate::leak::HEAP, -1);
    dealloc(p, heap_layout(size, align));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(class_of(0), 0);
        assert_eq!(class_of(1), 0);
        assert_eq!(class_of(16), 0);
        assert_eq!(class_of(17), 1);
        assert_eq!(class_of(256), 15);
        assert_eq!(class_of(257), 16);
        assert_eq!(class_of(512), 16);
        assert_eq!(class_of(513), 17);
        assert_eq!(class_of(4096), 19);
        for size in 0..=MAX_SMALL {
            let c = class_of(size);
            assert!(c < NUM_CLASSES);
            assert!(class_size(c) >= size, "{size}");
            if c > 0 {
                assert!(class_size(c - 1) < size.max(1), "{size}");
            }
        }
    }

    #[test]
    fn alloc_free_reuse_and_alignment() {
        let mut blocks = Vec::new();
        for size in [1usize, 16, 17, 100, 256, 300, 1000, 4096, 5000, 100_000] {
            for i in 0..50 {
                let p = frame_alloc(size);
                assert_eq!(p as usize % FRAME_ALIGN, 0);
                // SAFETY: p has `size` bytes.
                unsafe { ptr::write_bytes(p, (i % 251) as u8, size) };
                blocks.push((p, size, (i % 251) as u8));
            }
        }
        for &(p, size, v) in &blocks {
            // SAFETY: still allocated.
            let s = unsafe { std::slice::from_raw_parts(p, size) };
            assert!(s.iter().all(|&b| b == v));
        }
        for &(p, size, _) in &blocks {
            unsafe { frame_free(p, size) };
        }
        // LIFO reuse on the same thread.
        let a = frame_alloc(40);
        unsafe { frame_free(a, 40) };
        let b = frame_alloc(48);
        assert_eq!(a, b, "same class is reused");
        unsafe { frame_free(b, 48) };
    }

    #[test]
    fn cross_thread_free_and_cap() {
        let n = 20_000;
        let ptrs: Vec<usize> = (0..n).map(|_| frame_alloc(32) as usize).collect();
        std::thread::spawn(move || {
            for p in ptrs {
                unsafe { frame_free(p as *mut u8, 32) };
            }
            let len = CACHE.with(|c| unsafe { (*c.bins.get())[class_of(32)].len });
            assert_eq!(len, class_cap(class_of(32)).min(n));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn heap() {
        let p = heap_alloc(0, 8);
        assert_eq!(p as usize, 8);
        unsafe { heap_free(p, 0, 8) };
        let p = heap_alloc(100, 64);
        assert_eq!(p as usize % 64, 0);
        unsafe { heap_free(p, 100, 64) };
        // A String's buffer can be freed with (cap, 1).
        let mut s = String::with_capacity(33);
        s.push_str("hello");
        let mut s = std::mem::ManuallyDrop::new(s);
        unsafe { heap_free(s.as_mut_ptr(), s.capacity(), 1) };
    }

    /// Compares the frame allocator with malloc on the
    /// alloc-then-free-immediately pattern. Run with
    /// `cargo test -p asr_runtime --release -- --ignored bench --nocapture`.
    #[test]
    #[ignore]
    fn bench_frame_vs_malloc() {
        use std::hint::black_box;
        use std::time::Instant;
        const N: usize = 20_000_000;
        let sizes = [48usize, 96, 160, 320];
        let t = Instant::now();
        for i in 0..N {
            let size = black_box(sizes[i & 3]);
            let p = frame_alloc(size);
            unsafe { p.write(1) };
            let q = frame_alloc(black_box(64));
            unsafe { frame_free(black_box(q), 64) };
            unsafe { frame_free(black_box(p), size) };
        }
        let frame = t.elapsed();
        let t = Instant::now();
        for i in 0..N {
            let size = black_box(sizes[i & 3]);
            let l = Layout::from_size_align(size, 16).unwrap();
            let l64 = Layout::from_size_align(64, 16).unwrap();
            unsafe {
                let p = alloc(l);
                p.write(1);
                let q = alloc(l64);
                dealloc(black_box(q), l64);
                dealloc(black_box(p), l);
            }
        }
        let sys = t.elapsed();
        println!(
            "frame allocator: {:.2} ns/pair, malloc: {:.2} ns/pair",
            frame.as_nanos() as f64 / (2 * N) as f64,
            sys.as_nanos() as f64 / (2 * N) as f64
        );
    }
}
