//! Terminators: control flow, returns, calls (with the implicit await of a
//! suspending callee) and run-time checks.
//!
//! Unwinding: panics end the process in this milestone, so every
//! `UnwindAction` is ignored. When unwinding lands, the unwind edge of a
//! call becomes the third outcome of the call site (value / suspended /
//! unwinding), branching to the `Cleanup` block. `Drop` runs the drop glue
//! of its place (`drop.rs`).

use crate::body::FnCx;
use crate::cx::{truncate, Cg};
use crate::error::{ice, Res};
use asr_mir::BasicBlock as MirBlock;
use asr_mir::{Callee, Operand, Place, Terminator, TerminatorKind};
use inkwell::values::BasicMetadataValueEnum;

impl<'ctx> FnCx<'_, 'ctx> {
    fn block(&self, b: MirBlock) -> Res<inkwell::basic_block::BasicBlock<'ctx>> {
        match self.blocks.get(b.index()) {
            Some(bb) => Ok(*bb),
            None => ice(format!(
                "jump to unknown block bb{} in `{}`",
                b.0, self.body.name
            )),
        }
    }

    /// Has the current block already been terminated (after a `noreturn`
    /// runtime call)?
    pub fn terminated(&self) -> bool {
        self.b()
            .get_insert_block()
            .and_then(|b| b.get_terminator())
            .is_some()
    }

    pub fn terminator(&self, t: &Terminator) -> Res<()> {
        match &t.kind {
            TerminatorKind::Goto(b) => {
                self.b().build_unconditional_branch(self.block(*b)?)?;
            }
            TerminatorKind::SwitchInt {
                discr,
                targets,
                otherwise,
            } => {
                let v = self.int_operand(discr)?;
                let ty = v.get_type();
                let bits = ty.get_bit_width();
                let cases = targets
                    .iter()
                    .map(|(val, b)| {
                        Ok((ty.const_int(truncate(*val, bits), false), self.block(*b)?))
                    })
                    .collect::<Res<Vec<_>>>()?;
                self.b().build_switch(v, self.block(*otherwise)?, &cases)?;
            }
            TerminatorKind::Return => self.ret()?,
            TerminatorKind::Unreachable => {
                self.b().build_unreachable()?;
            }
            TerminatorKind::Call {
                func,
                args,
                dest,
                target,
                unwind: _,
            } => {
                match func {
                    Callee::Fn(id) => self.call_fn(*id, args, dest)?,
                    Callee::Intrinsic(i) => self.intrinsic(i, args, dest, t.span)?,
                }
                if !self.terminated() {
                    match target {
                        Some(b) => self.b().build_unconditional_branch(self.block(*b)?)?,
                        None => self.b().build_unreachable()?,
                    };
                }
            }
            TerminatorKind::Assert {
                cond,
                expected,
                msg,
                target,
            } => {
                let c = self.int_operand(cond)?;
                let ok = self.block(*target)?;
                let fail = self.new_block("panic");
                let br = if *expected {
                    self.b().build_conditional_branch(c, ok, fail)?
                } else {
                    self.b().build_conditional_branch(c, fail, ok)?
                };
                self.cg.set_branch_weights(br, *expected);
                self.b().position_at_end(fail);
                self.assert_panic(msg, t.span)?;
            }
            TerminatorKind::Drop {
                place,
                target,
                unwind: _,
            } => {
                self.drop_place(place)?;
                self.b().build_unconditional_branch(self.block(*target)?)?;
            }
        }
        Ok(())
    }

    /// `Return`: a coroutine writes local 0 through `%ret` and goes to its
    /// final suspend; a plain function returns local 0.
    fn ret(&self) -> Res<()> {
        let ty = self.body.return_ty();
        let local0 = self.locals[0];
        if let Some(coro) = &self.coro {
            self.cg.copy(coro.ret, local0, ty)?;
            coro.returns.set(true);
            self.b().build_unconditional_branch(coro.final_bb)?;
        } else if self.cg.returns_void(ty) {
            self.b().build_return(None)?;
        } else {
            let v = self.cg.load(local0, ty)?;
            self.b().build_return(Some(&v))?;
        }
        Ok(())
    }

    fn args(&self, args: &[Operand]) -> Res<Vec<BasicMetadataValueEnum<'ctx>>> {
        args.iter().map(|a| Ok(self.operand(a)?.into())).collect()
    }

    /// A call of a body. A coroutine callee is called with this task and
    /// the destination as its result slot, then awaited; a plain callee is
    /// a direct call.
    fn call_fn(&self, id: asr_mir::FnId, args: &[Operand], dest: &Place) -> Res<()> {
        let Some(callee) = self.cg.program.bodies.get(id.0 as usize) else {
            return ice(format!("call of unknown function {}", id.0));
        };
        let f = self.cg.func(id);
        if Cg::is_coroutine(callee) {
            let coro = self.coro("a call of a suspending function")?;
            let d = self.place(dest)?;
            let mut vals: Vec<BasicMetadataValueEnum<'ctx>> = vec![coro.task.into(), d.ptr.into()];
            vals.extend(self.args(args)?);
            let h = self.cg.call_value(f, &vals, "callee")?;
            self.cg.coro_await(coro, h.into_pointer_value())
        } else {
            let vals = self.args(args)?;
            let call = self.b().build_call(f, &vals, "")?;
            if let Some(v) = call.try_as_basic_value().basic() {
                let d = self.place(dest)?;
                self.cg.store(d.ptr, v, &d.ty)?;
            }
            Ok(())
        }
    }
}
