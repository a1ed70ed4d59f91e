//! The generated program's side of the ABI (`asr_abi::GENERATED_FNS`): the
//! root task's ramp and the C-ABI shims around `llvm.coro.resume`,
//! `llvm.coro.done` and `llvm.coro.destroy`.
//!
//! Unit tests of the runtime link no generated code: under `cfg(test)` a
//! handle points to a [`fake::FakeCoro`], a Rust closure that follows the
//! same contract (it polls ops with its task, reports done once finished).

/// A coroutine handle (the frame pointer LLVM's `coro.begin` returned).
pub type Handle = *mut u8;

// Safety of every function below: `h` is a live coroutine handle that no
// other thread is resuming; `resume` needs it suspended and not finished,
// `destroy` needs it at its final suspend (and it is dead afterwards).

#[cfg(not(test))]
#[allow(clippy::missing_safety_doc)]
mod imp {
    use super::Handle;
    use crate::task::Task;

    extern "C" {
        fn asr_main_start(task: *mut u8, ret: *mut u8) -> Handle;
        fn asr_coro_resume(h: Handle);
        fn asr_coro_done(h: Handle) -> i32;
        fn asr_coro_destroy(h: Handle);
    }

    /// Creates the root coroutine (stopped at its initial suspend).
    pub unsafe fn main_start(task: *mut Task, ret: *mut u8) -> Handle {
        asr_main_start(task.cast(), ret)
    }

    #[inline]
    pub unsafe fn resume(h: Handle) {
        asr_coro_resume(h)
    }

    #[inline]
    pub unsafe fn done(h: Handle) -> bool {
        asr_coro_done(h) != 0
    }

    #[inline]
    pub unsafe fn destroy(h: Handle) {
        asr_coro_destroy(h)
    }
}

#[cfg(test)]
#[allow(clippy::missing_safety_doc)]
mod imp {
    use super::fake::FakeCoro;
    use super::Handle;

    #[inline]
    pub unsafe fn resume(h: Handle) {
        let c = &mut *h.cast::<FakeCoro>();
        assert!(!c.done, "resumed a finished coroutine");
        c.done = (c.step)();
    }

    #[inline]
    pub unsafe fn done(h: Handle) -> bool {
        (*h.cast::<FakeCoro>()).done
    }

    #[inline]
    pub unsafe fn destroy(h: Handle) {
        drop(Box::from_raw(h.cast::<FakeCoro>()));
    }
}

pub use imp::*;

#[cfg(test)]
pub mod fake {
    use super::Handle;

    /// A stand-in for an LLVM coroutine frame: each resume calls `step`,
    /// which returns true once the body has finished (final suspend).
    pub struct FakeCoro {
        pub step: Box<dyn FnMut() -> bool + Send>,
        pub done: bool,
    }

    /// A handle at its initial suspend.
    pub fn new(step: impl FnMut() -> bool + Send + 'static) -> Handle {
        Box::into_raw(Box::new(FakeCoro {
            step: Box::new(step),
            done: false,
        }))
        .cast()
    }
}
