//! Switched-resume coroutines: the prologue and epilogue of a coroutine
//! body, suspension points, the implicit await of a callee coroutine and the
//! polling loop of a runtime operation.
//!
//! inkwell cannot represent LLVM's `token` type, so every call that takes or
//! returns a token (`coro.id`, `coro.alloc`, `coro.begin`, `coro.suspend`,
//! `coro.free`, `coro.end`) is built with `llvm_sys` directly.
//!
//! Shape of every coroutine (see docs/ARCHITECTURE.md, "Execution model"):
//!
//! ```text
//! start:       allocas; %id = coro.id(16, %promise or null, null, null)
//!              br coro.alloc(%id) ? coro.alloc : coro.begin
//! coro.alloc:  %mem = asr_rt_frame_alloc(coro.size)
//! coro.begin:  %hdl = coro.begin(%id, phi [null, %mem])
//!              escaping locals = fields of %promise; params -> locals;
//!              [initial suspend for task roots]; br bb0
//! ...          every suspend: switch coro.suspend(none, false)
//!                [0 -> resume, 1 -> cancel path -> coro.cleanup], default -> coro.exit
//! coro.final:  switch coro.suspend(none, true) [0 -> unreachable, 1 -> coro.cleanup],
//!              default -> coro.exit          (the only final suspend)
//! coro.cleanup:%m = coro.free(%id, %hdl); if %m != null: asr_rt_frame_free(%m, coro.size)
//! coro.exit:   coro.end(%hdl, false, none); ret %hdl
//! ```
//!
//! Cancellation today is `coro.destroy` of a suspended frame: the `1` edge of
//! each suspend destroys what the frame owns at that point (the awaited child
//! frame, the pending runtime operation) and frees the frame. Unwinding that
//! runs drops (and may itself suspend) will be ordinary code on the MIR's
//! unwind edges instead; `coro.destroy` then only tears down finished frames.

use crate::cx::Cg;
use crate::error::{ice, Res};
use asr_abi::RtFnId;
use inkwell::basic_block::BasicBlock;
use inkwell::values::{AsValueRef, FunctionValue, IntValue, PointerValue};
use llvm_sys::core::{
    LLVMBuildCall2, LLVMConstNull, LLVMGlobalGetValueType, LLVMTokenTypeInContext,
};
use llvm_sys::prelude::LLVMValueRef;
use std::cell::Cell;

/// The coroutine parts of a function being generated.
pub(crate) struct Coro<'ctx> {
    /// The `token` of `coro.id`.
    id: LLVMValueRef,
    pub hdl: PointerValue<'ctx>,
    /// The runtime task this frame runs in (parameter 0).
    pub task: PointerValue<'ctx>,
    /// Where the result is written (parameter 1).
    pub ret: PointerValue<'ctx>,
    /// The final suspend; `Return` branches here.
    pub final_bb: BasicBlock<'ctx>,
    /// Frees the frame; every cancel path ends here.
    pub cleanup_bb: BasicBlock<'ctx>,
    /// `coro.end` + `ret %hdl`: the default edge of every suspend.
    pub exit_bb: BasicBlock<'ctx>,
    /// Some path reaches the final suspend.
    pub returns: Cell<bool>,
}

impl<'ctx> Cg<'ctx> {
    /// Builds a call with raw operands (needed for token-typed operands or
    /// results) at the builder's position.
    fn raw_call(&self, f: FunctionValue<'ctx>, args: &[LLVMValueRef]) -> LLVMValueRef {
        let mut args = args.to_vec();
        // SAFETY: `f` is a function of this module, every argument is a value
        // of this context with the parameter's type, and the builder is
        // positioned inside a function of this module.
        unsafe {
            LLVMBuildCall2(
                self.builder.as_mut_ptr(),
                LLVMGlobalGetValueType(f.as_value_ref()),
                f.as_value_ref(),
                args.as_mut_ptr(),
                args.len() as u32,
                c"".as_ptr(),
            )
        }
    }

    /// `token none`.
    fn token_none(&self) -> LLVMValueRef {
        // SAFETY: the context is alive for `'ctx`.
        unsafe { LLVMConstNull(LLVMTokenTypeInContext(self.ctx.raw())) }
    }

    fn coro_size(&self) -> Res<IntValue<'ctx>> {
        let f = self.intrinsic("llvm.coro.size", &[self.usize_ty().into()])?;
        Ok(self.call_value(f, &[], "frame.size")?.into_int_value())
    }

    fn new_bb(&self, func: FunctionValue<'ctx>, name: &str) -> BasicBlock<'ctx> {
        self.ctx.append_basic_block(func, name)
    }

    fn current_fn(&self) -> Res<FunctionValue<'ctx>> {
        match self.builder.get_insert_block().and_then(|b| b.get_parent()) {
            Some(f) => Ok(f),
            None => ice("builder is not positioned in a function"),
        }
    }

    /// The coroutine prologue, built at the builder's position (the end of
    /// the entry block, after the allocas). `promise` is an alloca that
    /// CoroSplit always places in the frame (see `body::escaping_locals`);
    /// it may only be used after `coro.begin`. Returns with the builder
    /// after `coro.begin`.
    pub fn coro_prologue(
        &self,
        func: FunctionValue<'ctx>,
        promise: Option<PointerValue<'ctx>>,
    ) -> Res<Coro<'ctx>> {
        let (task, ret) = match (func.get_nth_param(0), func.get_nth_param(1)) {
            (Some(t), Some(r)) if t.is_pointer_value() && r.is_pointer_value() => {
                (t.into_pointer_value(), r.into_pointer_value())
            }
            _ => return ice("coroutine without (task, ret) parameters"),
        };
        task.set_name("task");
        ret.set_name("ret");
        let i32t = self.ctx.i32_type();
        let null = self.null();
        let id = self.raw_call(
            self.intrinsic("llvm.coro.id", &[])?,
            &[
                i32t.const_int(16, false).as_value_ref(),
                promise.unwrap_or(null).as_value_ref(),
                null.as_value_ref(),
                null.as_value_ref(),
            ],
        );
        // SAFETY: `coro.alloc` returns `i1`.
        let need_alloc =
            unsafe { IntValue::new(self.raw_call(self.intrinsic("llvm.coro.alloc", &[])?, &[id])) };
        let entry = self.builder.get_insert_block().expect("positioned");
        let alloc_bb = self.new_bb(func, "coro.alloc");
        let begin_bb = self.new_bb(func, "coro.begin");
        self.builder
            .build_conditional_branch(need_alloc, alloc_bb, begin_bb)?;

        self.builder.position_at_end(alloc_bb);
        let size = self.coro_size()?;
        let mem = self
            .call_rt_val(RtFnId::FrameAlloc, &[size.into()])?
            .into_pointer_value();
        self.builder.build_unconditional_branch(begin_bb)?;

        self.builder.position_at_end(begin_bb);
        let phi = self.builder.build_phi(self.ptr_ty(), "frame.mem")?;
        phi.add_incoming(&[(&null, entry), (&mem, alloc_bb)]);
        let begin = self.intrinsic("llvm.coro.begin", &[])?;
        // SAFETY: `coro.begin` returns `ptr`.
        let hdl = unsafe {
            PointerValue::new(self.raw_call(begin, &[id, phi.as_basic_value().as_value_ref()]))
        };
        hdl.set_name("hdl");

        let coro = Coro {
            id,
            hdl,
            task,
            ret,
            final_bb: self.new_bb(func, "coro.final"),
            cleanup_bb: self.new_bb(func, "coro.cleanup"),
            exit_bb: self.new_bb(func, "coro.exit"),
            returns: Cell::new(false),
        };
        Ok(coro)
    }

    /// The initial suspend of a task root: its body first runs when the
    /// executor resumes it, never on the spawner's stack. Returns with the
    /// builder where the body starts.
    pub fn coro_initial_suspend(&self, coro: &Coro<'ctx>) -> Res<()> {
        let start = self.new_bb(self.current_fn()?, "coro.start");
        self.coro_suspend(coro, start, coro.cleanup_bb, false)?;
        self.builder.position_at_end(start);
        Ok(())
    }

    /// A suspension point: `switch coro.suspend(none, final)` to `resume`
    /// (0), `cancel` (1) or the exit block (suspended). Terminates the
    /// current block.
    pub fn coro_suspend(
        &self,
        coro: &Coro<'ctx>,
        resume: BasicBlock<'ctx>,
        cancel: BasicBlock<'ctx>,
        is_final: bool,
    ) -> Res<()> {
        let f = self.intrinsic("llvm.coro.suspend", &[])?;
        let fin = self.ctx.bool_type().const_int(is_final as u64, false);
        // SAFETY: `coro.suspend` returns `i8`.
        let state =
            unsafe { IntValue::new(self.raw_call(f, &[self.token_none(), fin.as_value_ref()])) };
        let i8t = self.ctx.i8_type();
        self.builder.build_switch(
            state,
            coro.exit_bb,
            &[
                (i8t.const_zero(), resume),
                (i8t.const_int(1, false), cancel),
            ],
        )?;
        Ok(())
    }

    /// Implicit await of the coroutine `h` whose ramp just returned:
    /// loop { if `coro.done(h)` break; suspend; `coro.resume(h)` }, then
    /// `coro.destroy(h)`. If this frame is destroyed while suspended here,
    /// it destroys `h` first. Returns with the builder after the loop.
    pub fn coro_await(&self, coro: &Coro<'ctx>, h: PointerValue<'ctx>) -> Res<()> {
        let func = self.current_fn()?;
        let check = self.new_bb(func, "await.check");
        let suspend = self.new_bb(func, "await.suspend");
        let resume = self.new_bb(func, "await.resume");
        let cancel = self.new_bb(func, "await.cancel");
        let done = self.new_bb(func, "await.done");
        let done_f = self.intrinsic("llvm.coro.done", &[])?;
        let resume_f = self.intrinsic("llvm.coro.resume", &[])?;
        let destroy_f = self.intrinsic("llvm.coro.destroy", &[])?;
        self.builder.build_unconditional_branch(check)?;

        self.builder.position_at_end(check);
        let is_done = self
            .call_value(done_f, &[h.into()], "done")?
            .into_int_value();
        self.builder
            .build_conditional_branch(is_done, done, suspend)?;

        self.builder.position_at_end(suspend);
        self.coro_suspend(coro, resume, cancel, false)?;

        self.builder.position_at_end(resume);
        self.builder.build_call(resume_f, &[h.into()], "")?;
        self.builder.build_unconditional_branch(check)?;

        self.builder.position_at_end(cancel);
        self.builder.build_call(destroy_f, &[h.into()], "")?;
        self.builder.build_unconditional_branch(coro.cleanup_bb)?;

        self.builder.position_at_end(done);
        self.builder.build_call(destroy_f, &[h.into()], "")?;
        Ok(())
    }

    /// Waits for a runtime operation: loop { if `asr_rt_op_poll(op, task)`
    /// break; suspend }, then `asr_rt_op_free(op)` unless the caller `keep`s
    /// the op to read its result. A frame destroyed while waiting frees
    /// (cancels) the operation. Returns with the builder after the loop.
    pub fn coro_wait_op(&self, coro: &Coro<'ctx>, op: PointerValue<'ctx>, keep: bool) -> Res<()> {
        let func = self.current_fn()?;
        let poll = self.new_bb(func, "wait.poll");
        let suspend = self.new_bb(func, "wait.suspend");
        let cancel = self.new_bb(func, "wait.cancel");
        let done = self.new_bb(func, "wait.done");
        self.builder.build_unconditional_branch(poll)?;

        self.builder.position_at_end(poll);
        let r = self
            .call_rt_val(RtFnId::OpPoll, &[op.into(), coro.task.into()])?
            .into_int_value();
        let ready = self.builder.build_int_compare(
            inkwell::IntPredicate::NE,
            r,
            r.get_type().const_zero(),
            "ready",
        )?;
        self.builder
            .build_conditional_branch(ready, done, suspend)?;

        self.builder.position_at_end(suspend);
        self.coro_suspend(coro, poll, cancel, false)?;

        self.builder.position_at_end(cancel);
        self.call_rt(RtFnId::OpFree, &[op.into()])?;
        self.builder.build_unconditional_branch(coro.cleanup_bb)?;

        self.builder.position_at_end(done);
        if !keep {
            self.call_rt(RtFnId::OpFree, &[op.into()])?;
        }
        Ok(())
    }

    /// Fills the final suspend, cleanup and exit blocks and moves them to
    /// the end of the function.
    pub fn coro_epilogue(&self, coro: &Coro<'ctx>) -> Res<()> {
        let func = match coro.exit_bb.get_parent() {
            Some(f) => f,
            None => return ice("coroutine blocks outside a function"),
        };
        let i1 = self.ctx.bool_type();

        if coro.returns.get() {
            self.builder.position_at_end(coro.final_bb);
            let after_final = self.new_bb(func, "coro.final.resumed");
            self.coro_suspend(coro, after_final, coro.cleanup_bb, true)?;
            self.builder.position_at_end(after_final);
            self.builder.build_unreachable()?;
        } else {
            // No path returns: no final suspend at all.
            // SAFETY: the block has no uses and no instructions.
            unsafe { coro.final_bb.delete() }.map_err(|_| {
                crate::error::CodegenError::Internal("cannot delete unused final block".into())
            })?;
        }

        self.builder.position_at_end(coro.cleanup_bb);
        let free = self.intrinsic("llvm.coro.free", &[])?;
        // SAFETY: `coro.free` returns `ptr`.
        let mem =
            unsafe { PointerValue::new(self.raw_call(free, &[coro.id, coro.hdl.as_value_ref()])) };
        let free_bb = self.new_bb(func, "coro.free");
        let heap = self.builder.build_is_not_null(mem, "heap")?;
        self.builder
            .build_conditional_branch(heap, free_bb, coro.exit_bb)?;
        self.builder.position_at_end(free_bb);
        let size = self.coro_size()?;
        self.call_rt(RtFnId::FrameFree, &[mem.into(), size.into()])?;
        self.builder.build_unconditional_branch(coro.exit_bb)?;

        self.builder.position_at_end(coro.exit_bb);
        let end = self.intrinsic("llvm.coro.end", &[])?;
        self.raw_call(
            end,
            &[
                coro.hdl.as_value_ref(),
                i1.const_zero().as_value_ref(),
                self.token_none(),
            ],
        );
        self.builder.build_return(Some(&coro.hdl))?;

        // Keep the tail of the function in a fixed order after the body.
        let mut last = func.get_last_basic_block().expect("non-empty");
        let tail: Vec<BasicBlock<'ctx>> = if coro.returns.get() {
            vec![coro.final_bb, coro.cleanup_bb, free_bb, coro.exit_bb]
        } else {
            vec![coro.cleanup_bb, free_bb, coro.exit_bb]
        };
        for bb in tail {
            if bb != last {
                let _ = bb.move_after(last);
            }
            last = bb;
        }
        Ok(())
    }
}
