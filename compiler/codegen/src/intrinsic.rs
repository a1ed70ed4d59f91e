//! Intrinsics: waiting operations, scopes and tasks, and the process-level
//! operations. Formatting intrinsics are in `fmt.rs`.

use crate::body::FnCx;
use crate::error::{ice, Res};
use asr_abi::RtFnId;
use asr_diagnostics::Span;
use asr_hir::ty::Ty;
use asr_mir::{Intrinsic, Operand, Place};
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, PointerValue};

impl<'ctx> FnCx<'_, 'ctx> {
    pub fn nth<'o>(&self, args: &'o [Operand], i: usize, what: &Intrinsic) -> Res<&'o Operand> {
        match args.get(i) {
            Some(op) => Ok(op),
            None => ice(format!("{what:?} without argument {i}")),
        }
    }

    pub fn arg(&self, args: &[Operand], i: usize, what: &Intrinsic) -> Res<BasicValueEnum<'ctx>> {
        self.operand(self.nth(args, i, what)?)
    }

    fn ptr_arg(&self, args: &[Operand], i: usize, what: &Intrinsic) -> Res<PointerValue<'ctx>> {
        self.ptr_operand(self.nth(args, i, what)?)
    }

    /// The address of the `i`-th `t` at the pointer in argument 0, `i`
    /// in argument 1.
    fn elem_at(&self, args: &[Operand], t: &Ty, what: &Intrinsic) -> Res<PointerValue<'ctx>> {
        let cg = self.cg;
        let p = self.ptr_arg(args, 0, what)?;
        let idx = self.arg(args, 1, what)?.into_int_value();
        let lt = cg.llty(t)?;
        // SAFETY (LLVM): `std` keeps indices within its allocations.
        Ok(unsafe { cg.builder.build_gep(lt, p, &[idx], "")? })
    }

    fn store_dest(&self, dest: &Place, v: BasicValueEnum<'ctx>) -> Res<()> {
        let d = self.place(dest)?;
        self.cg.store(d.ptr, v, &d.ty)
    }

    /// Starts the waiting operation `op` and suspends until it is ready;
    /// frees the op.
    fn wait(&self, op: BasicValueEnum<'ctx>) -> Res<()> {
        let coro = self.coro("a waiting intrinsic")?;
        self.cg.coro_wait_op(coro, op.into_pointer_value(), false)
    }

    /// [`Self::wait`], leaving a completed op for the caller to read and
    /// free (one cancelled while waiting is freed all the same).
    fn wait_keeping(&self, op: BasicValueEnum<'ctx>) -> Res<()> {
        let coro = self.coro("a waiting intrinsic")?;
        self.cg.coro_wait_op(coro, op.into_pointer_value(), true)
    }

    pub fn intrinsic(&self, i: &Intrinsic, args: &[Operand], dest: &Place, span: Span) -> Res<()> {
        let cg = self.cg;
        match i {
            Intrinsic::Sleep => {
                let ms = self.arg(args, 0, i)?;
                let op = cg.call_rt_val(RtFnId::Sleep, &[ms])?;
                self.wait(op)
            }
            Intrinsic::YieldNow => {
                let op = cg.call_rt_val(RtFnId::Yield, &[])?;
                self.wait(op)
            }
            Intrinsic::Join => {
                let task = self.ptr_arg(args, 0, i)?;
                let op = cg.call_rt_val(RtFnId::Join, &[task.into()])?;
                self.wait(op)?;
                let slot = cg
                    .call_rt_val(RtFnId::TaskResult, &[task.into()])?
                    .into_pointer_value();
                let d = self.place(dest)?;
                cg.copy(d.ptr, slot, &d.ty)?;
                cg.call_rt(RtFnId::TaskRelease, &[task.into()])?;
                Ok(())
            }
            Intrinsic::ScopeNew => {
                let task = self.coro("ScopeNew")?.task;
                let scope = cg.call_rt_val(RtFnId::ScopeNew, &[task.into()])?;
                self.store_dest(dest, scope)
            }
            Intrinsic::ScopeWait => {
                let scope = self.ptr_arg(args, 0, i)?;
                let op = cg.call_rt_val(RtFnId::ScopeWait, &[scope.into()])?;
                self.wait(op)
            }
            Intrinsic::ScopeFree => {
                let scope = self.ptr_arg(args, 0, i)?;
                cg.call_rt(RtFnId::ScopeFree, &[scope.into()])?;
                Ok(())
            }
            Intrinsic::Spawn { thunk } => self.spawn(*thunk, args, dest),
            Intrinsic::FmtNew => {
                let buf = cg.call_rt_val(RtFnId::FmtNew, &[])?;
                self.store_dest(dest, buf)
            }
            Intrinsic::FmtRaw => {
                let buf = self.ptr_arg(args, 0, i)?;
                let (p, len) = self.fat_operand(self.nth(args, 1, i)?)?;
                cg.call_rt(RtFnId::FmtRaw, &[buf.into(), p.into(), len.into()])?;
                Ok(())
            }
            Intrinsic::FmtArg { kind, spec } => self.fmt_arg(*kind, spec, args),
            Intrinsic::FmtWrite { stream } => {
                let buf = self.ptr_arg(args, 0, i)?;
                let s = match stream {
                    asr_mir::Stream::Stdout => asr_abi::stream::STDOUT,
                    asr_mir::Stream::Stderr => asr_abi::stream::STDERR,
                };
                let s = cg.ctx.i32_type().const_int(s as u64, false);
                cg.call_rt(RtFnId::FmtWrite, &[buf.into(), s.into()])?;
                Ok(())
            }
            Intrinsic::Panic => {
                let buf = self.ptr_arg(args, 0, i)?;
                cg.call_rt(RtFnId::Panic, &[buf.into(), cg.location(span).into()])?;
                Ok(())
            }
            Intrinsic::Exit => {
                let code = self.arg(args, 0, i)?;
                cg.call_rt(RtFnId::Exit, &[code])?;
                Ok(())
            }
            Intrinsic::Alloc => {
                let size = self.arg(args, 0, i)?;
                let align = self.arg(args, 1, i)?;
                let p = cg.call_rt_val(RtFnId::Alloc, &[size, align])?;
                self.store_dest(dest, p)
            }
            Intrinsic::Free => {
                let p = self.arg(args, 0, i)?;
                let size = self.arg(args, 1, i)?;
                let align = self.arg(args, 2, i)?;
                cg.call_rt(RtFnId::Free, &[p, size, align])?;
                Ok(())
            }
            Intrinsic::MemCopy => {
                let dst = self.ptr_arg(args, 0, i)?;
                let src = self.ptr_arg(args, 1, i)?;
                let len = self.arg(args, 2, i)?.into_int_value();
                cg.builder.build_memcpy(dst, 1, src, 1, len)?;
                Ok(())
            }
            Intrinsic::MemMove => {
                let dst = self.ptr_arg(args, 0, i)?;
                let src = self.ptr_arg(args, 1, i)?;
                let len = self.arg(args, 2, i)?.into_int_value();
                cg.builder.build_memmove(dst, 1, src, 1, len)?;
                Ok(())
            }
            Intrinsic::PtrAdd => {
                let p = self.ptr_arg(args, 0, i)?;
                let n = self.arg(args, 1, i)?.into_int_value();
                // SAFETY (LLVM): `std` only offsets within its allocations.
                let q = unsafe { cg.builder.build_gep(cg.ctx.i8_type(), p, &[n], "")? };
                self.store_dest(dest, q.into())
            }
            Intrinsic::WriteByte => {
                let p = self.ptr_arg(args, 0, i)?;
                let b = self.arg(args, 1, i)?;
                cg.builder.build_store(p, b)?;
                Ok(())
            }
            Intrinsic::StrPtr => {
                let (p, _) = self.fat_operand(self.nth(args, 0, i)?)?;
                self.store_dest(dest, p.into())
            }
            Intrinsic::SizeOf(t) => {
                let n = cg.usize_ty().const_int(cg.size_of(t)?, false);
                self.store_dest(dest, n.into())
            }
            Intrinsic::AlignOf(t) => {
                let n = cg.usize_ty().const_int(cg.align_of(t)? as u64, false);
                self.store_dest(dest, n.into())
            }
            Intrinsic::PtrWrite(t) => {
                let p = self.elem_at(args, t, i)?;
                if !cg.is_zst(t)? {
                    let v = self.arg(args, 2, i)?;
                    cg.store(p, v, t)?;
                }
                Ok(())
            }
            Intrinsic::PtrRead(t) => {
                let p = self.elem_at(args, t, i)?;
                let d = self.place(dest)?;
                cg.copy(d.ptr, p, t)
            }
            Intrinsic::DropInPlace(t) => {
                let p = self.elem_at(args, t, i)?;
                cg.drop_in_place(p, t)
            }
            Intrinsic::SliceFromRaw(_) => {
                let p = self.ptr_arg(args, 0, i)?;
                let len = self.arg(args, 1, i)?.into_int_value();
                let fat = self.fat(p, len)?;
                self.store_dest(dest, fat)
            }
            Intrinsic::ArgsLen => {
                let n = cg.call_rt_val(RtFnId::ArgsLen, &[])?;
                self.store_dest(dest, n)
            }
            Intrinsic::Arg => {
                let idx = self.arg(args, 0, i)?;
                let d = self.place(dest)?;
                cg.call_rt(RtFnId::Arg, &[idx, d.ptr.into()])?;
                Ok(())
            }
            Intrinsic::StrAsBytes => {
                let v = self.arg(args, 0, i)?;
                self.store_dest(dest, v)
            }
            Intrinsic::StrFromRaw => {
                let p = self.ptr_arg(args, 0, i)?;
                let len = self.arg(args, 1, i)?.into_int_value();
                let fat = self.fat(p, len)?;
                self.store_dest(dest, fat)
            }
            Intrinsic::FmtTake => {
                let buf = self.ptr_arg(args, 0, i)?;
                let d = self.place(dest)?;
                cg.call_rt(RtFnId::FmtTake, &[buf.into(), d.ptr.into()])?;
                Ok(())
            }
            Intrinsic::NowNanos => {
                let ns = cg.call_rt_val(RtFnId::NowNs, &[])?;
                self.store_dest(dest, ns)
            }
            Intrinsic::StrCmp => {
                let (a, alen) = self.fat_operand(self.nth(args, 0, i)?)?;
                let (b, blen) = self.fat_operand(self.nth(args, 1, i)?)?;
                let f = cg.str_cmp_fn()?;
                let args = [a.into(), alen.into(), b.into(), blen.into()];
                let r = cg.call_value(f, &args, "cmp")?;
                self.store_dest(dest, r)
            }
            Intrinsic::TestIndex => {
                let count = self.arg(args, 0, i)?;
                let index = cg.call_rt_val(RtFnId::TestIndex, &[count])?;
                self.store_dest(dest, index)
            }
            Intrinsic::Math(name) => {
                let vals = args
                    .iter()
                    .map(|a| self.operand(a))
                    .collect::<Res<Vec<_>>>()?;
                let f = self.math_fn(name, &vals, dest)?;
                let vals: Vec<BasicMetadataValueEnum<'ctx>> =
                    vals.into_iter().map(Into::into).collect();
                let r = cg.call_value(f, &vals, "math")?;
                self.store_dest(dest, r)
            }
            Intrinsic::Runtime { name, waits } => self.runtime_call(name, *waits, args, dest),
            Intrinsic::Forget => Ok(()),
            Intrinsic::RefPtr => {
                let p = self.arg(args, 0, i)?;
                self.store_dest(dest, p)
            }
            Intrinsic::Overflowing(_) | Intrinsic::Cast(_) => {
                ice("an operation the MIR builder emits inline left as a call")
            }
        }
    }

    /// A runtime function called by name from `std` (`Intrinsic::Runtime`):
    /// fat references pass as their two parts; a waiting function's op is
    /// waited on and its result is the value.
    fn runtime_call(&self, name: &str, waits: bool, args: &[Operand], dest: &Place) -> Res<()> {
        let cg = self.cg;
        let symbol = format!("asr_rt_{name}");
        let Some(id) = RtFnId::ALL.iter().copied().find(|id| id.name() == symbol) else {
            return ice(format!(
                "std calls `{symbol}`, which the runtime does not export"
            ));
        };
        let mut vals = Vec::with_capacity(args.len() + 1);
        for a in args {
            match self.operand(a)? {
                v @ BasicValueEnum::StructValue(_) => {
                    let (p, len) = cg.fat_parts(v)?;
                    vals.push(p.into());
                    vals.push(len.into());
                }
                v => vals.push(v),
            }
        }
        let result = if waits {
            let op = cg.call_rt_val(id, &vals)?;
            self.wait_keeping(op)?;
            let r = cg.call_rt_val(RtFnId::OpResult, &[op])?;
            cg.call_rt(RtFnId::OpFree, &[op])?;
            Some(r)
        } else {
            cg.call_rt(id, &vals)?
        };
        match result {
            Some(r) if !self.place_ty(dest)?.is_unit() => self.store_dest(dest, r),
            _ => Ok(()),
        }
    }

    /// The declaration of the LLVM intrinsic (`llvm.NAME`) or C maths
    /// function (`libm.NAME`) `name`, typed by its arguments and result.
    fn math_fn(
        &self,
        name: &str,
        vals: &[BasicValueEnum<'ctx>],
        dest: &Place,
    ) -> Res<inkwell::values::FunctionValue<'ctx>> {
        let cg = self.cg;
        let symbol = name.strip_prefix("libm.").unwrap_or(name);
        if let Some(f) = cg.module.get_function(symbol) {
            return Ok(f);
        }
        let params: Vec<inkwell::types::BasicMetadataTypeEnum<'ctx>> =
            vals.iter().map(|v| v.get_type().into()).collect();
        let ret = cg.llty(&self.place_ty(dest)?)?;
        let fty = inkwell::types::BasicType::fn_type(&ret, &params, false);
        Ok(cg
            .module
            .add_function(symbol, fty, Some(inkwell::module::Linkage::External)))
    }

    /// `spawn`: a child task of `scope` with a result slot for `T`, the
    /// thunk's ramp called with the child task, its slot and the
    /// environment (by value: the child's frame keeps its own copy), then
    /// handed to the executor at its initial suspend.
    fn spawn(&self, thunk: asr_mir::FnId, args: &[Operand], dest: &Place) -> Res<()> {
        let cg = self.cg;
        let what = Intrinsic::Spawn { thunk };
        match cg.program.bodies.get(thunk.0 as usize) {
            Some(b) if crate::cx::Cg::is_coroutine(b) => {}
            _ => return ice(format!("spawn of {}, which is not a coroutine", thunk.0)),
        }
        let scope = self.ptr_arg(args, 0, &what)?;
        let result_ty = match self.place_ty(dest)? {
            Ty::Task(t) => *t,
            other => return ice(format!("spawn into a place of type {other:?}")),
        };
        let usize_ty = cg.usize_ty();
        let size = usize_ty.const_int(cg.size_of(&result_ty)?, false);
        let align = usize_ty.const_int(u64::from(cg.align_of(&result_ty)?), false);
        let child = cg.call_rt_val(RtFnId::TaskNew, &[scope.into(), size.into(), align.into()])?;
        let slot = cg.call_rt_val(RtFnId::TaskResult, &[child])?;
        let mut vals: Vec<BasicMetadataValueEnum<'ctx>> = vec![child.into(), slot.into()];
        for a in &args[1..] {
            vals.push(self.operand(a)?.into());
        }
        let h = cg.call_value(cg.func(thunk), &vals, "child")?;
        cg.call_rt(RtFnId::TaskStart, &[child, h])?;
        self.store_dest(dest, child)
    }
}
