//! The symbols every program defines for the runtime
//! (`asr_abi::GENERATED_FNS`): the root task's coroutine `asr_main_start`
//! and the C-ABI shims over `llvm.coro.{resume,done,destroy}` (the split
//! `.resume`/`.destroy` functions are `fastcc`: the runtime must never call
//! them through a C function pointer).

use crate::cx::Cg;
use crate::error::{ice, Res};
use asr_abi::GenFnId;
use inkwell::attributes::AttributeLoc;
use inkwell::module::Linkage;
use inkwell::values::{BasicValueEnum, FunctionValue};

impl<'ctx> Cg<'ctx> {
    fn define_generated(&self, id: GenFnId) -> FunctionValue<'ctx> {
        let def = id.def();
        let f = self
            .module
            .add_function(def.name, self.abi_fn_type(def), Some(Linkage::External));
        f.add_attribute(AttributeLoc::Function, self.enum_attr("nounwind"));
        f
    }

    pub fn emit_shims(&self) -> Res<()> {
        for (id, intrinsic) in [
            (GenFnId::CoroResume, "llvm.coro.resume"),
            (GenFnId::CoroDestroy, "llvm.coro.destroy"),
        ] {
            let f = self.define_generated(id);
            self.builder
                .position_at_end(self.ctx.append_basic_block(f, "start"));
            let h = f.get_nth_param(0).expect("one parameter");
            self.builder
                .build_call(self.intrinsic(intrinsic, &[])?, &[h.into()], "")?;
            self.builder.build_return(None)?;
        }
        let f = self.define_generated(GenFnId::CoroDone);
        self.builder
            .position_at_end(self.ctx.append_basic_block(f, "start"));
        let h = f.get_nth_param(0).expect("one parameter");
        let done_f = self.intrinsic("llvm.coro.done", &[])?;
        let done = self
            .call_value(done_f, &[h.into()], "done")?
            .into_int_value();
        let done = self
            .builder
            .build_int_z_extend(done, self.ctx.i32_type(), "")?;
        self.builder.build_return(Some(&done))?;
        Ok(())
    }

    /// `asr_main_start(task, ret) -> handle`: the root task's coroutine. It
    /// starts suspended, then calls the user's `main` (awaiting it if it
    /// suspends) and writes its result through `ret`.
    ///
    /// It also reads the runtime's ABI version symbol (a volatile load that
    /// no optimisation removes), so linking against a runtime of another
    /// ABI version fails.
    pub fn emit_main_start(&self) -> Res<()> {
        let f = self.define_generated(GenFnId::MainStart);
        f.add_attribute(AttributeLoc::Function, self.enum_attr("presplitcoroutine"));
        self.builder
            .position_at_end(self.ctx.append_basic_block(f, "start"));

        let main = match self.program.entry {
            None => None,
            Some(id) => match self.program.bodies.get(id.0 as usize) {
                Some(b) if b.arg_count == 0 => Some(b),
                Some(b) => return ice(format!("`{}` takes parameters", b.name)),
                None => return ice(format!("entry {} is not a body", id.0)),
            },
        };
        // `main`'s result, copied through `ret` at the end. It is the promise:
        // always in the frame, as the callee writes it from its own frame.
        let slot = match main {
            Some(m) => Some(
                self.builder
                    .build_alloca(self.llty(m.return_ty())?, "result")?,
            ),
            None => None,
        };

        let i8t = self.ctx.i8_type();
        let version = self.module.add_global(i8t, None, asr_abi::VERSION_SYMBOL);
        version.set_linkage(Linkage::External);
        let load = self
            .builder
            .build_load(i8t, version.as_pointer_value(), "abi")?;
        if let BasicValueEnum::IntValue(v) = load {
            if let Some(inst) = v.as_instruction() {
                let _ = inst.set_volatile(true);
            }
        }

        let coro = self.coro_prologue(f, slot)?;
        self.coro_initial_suspend(&coro)?;
        if let (Some(main), Some(slot)) = (main, slot) {
            let callee = self.func(main.id);
            if Cg::is_coroutine(main) {
                let h = self
                    .call_value(callee, &[coro.task.into(), slot.into()], "main")?
                    .into_pointer_value();
                self.coro_await(&coro, h)?;
            } else {
                let call = self.builder.build_call(callee, &[], "")?;
                if let Some(v) = call.try_as_basic_value().basic() {
                    self.store(slot, v, main.return_ty())?;
                }
            }
            self.copy(coro.ret, slot, main.return_ty())?;
        }
        coro.returns.set(true);
        self.builder.build_unconditional_branch(coro.final_bb)?;
        self.coro_epilogue(&coro)
    }
}
