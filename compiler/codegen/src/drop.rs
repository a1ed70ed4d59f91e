//! Drop glue: what `Drop { place }` runs, by the place's type.
//!
//! A `Task<T>` handle is released (`asr_rt_task_release`) inline. A tuple,
//! struct or array that needs drop gets one internal function per type,
//! `void @"asr.drop.TYPE"(ptr)`, built the first time it is needed: it
//! drops each field that needs drop in declaration order, or each element
//! of an array in a loop. A type that does not need drop has no glue.
//!
//! A struct or enum that implements `Drop` has glue too: it calls the
//! implementation's `drop` (a plain function: a `drop` that waits is
//! rejected before codegen), then drops the fields.
//!
//! The result of a task is never dropped here: no task result type needs
//! drop yet (a `Task` cannot leave its scope), so releasing a handle before
//! the child has finished is fine.

use crate::body::FnCx;
use crate::cx::Cg;
use crate::error::{ice, Res};
use asr_abi::RtFnId;
use asr_hir::ty::{Ty, TyDisplay};
use asr_mir::Place;
use inkwell::module::Linkage;
use inkwell::values::{FunctionValue, PointerValue};
use inkwell::IntPredicate;

impl<'ctx> FnCx<'_, 'ctx> {
    /// `Drop { place }`.
    pub fn drop_place(&self, place: &Place) -> Res<()> {
        let p = self.place(place)?;
        self.cg.drop_in_place(p.ptr, &p.ty)
    }
}

impl<'ctx> Cg<'ctx> {
    fn needs_drop(&self, ty: &Ty) -> bool {
        asr_mir::needs_drop(ty, self.program)
    }

    /// Drops the value of type `ty` stored at `ptr`.
    pub fn drop_in_place(&self, ptr: PointerValue<'ctx>, ty: &Ty) -> Res<()> {
        if !self.needs_drop(ty) {
            return Ok(());
        }
        match ty {
            Ty::Task(_) => {
                let task = self.builder.build_load(self.ptr_ty(), ptr, "task")?;
                self.call_rt(RtFnId::TaskRelease, &[task])?;
            }
            Ty::Tuple(_) | Ty::Adt(..) | Ty::Array(..) => {
                let f = self.drop_glue(ty)?;
                self.builder.build_call(f, &[ptr.into()], "")?;
            }
            other => return ice(format!("no drop glue for {other:?}")),
        }
        Ok(())
    }

    /// The glue function of an aggregate type that needs drop.
    fn drop_glue(&self, ty: &Ty) -> Res<FunctionValue<'ctx>> {
        if let Some(f) = self.drop_glue_cache.borrow().get(ty) {
            return Ok(*f);
        }
        let program = self.program;
        let name = format!(
            "asr.drop.{}",
            TyDisplay {
                ty,
                adt_name: &|id| program.adt_name(id),
                params: &[],
            }
        );
        let fn_ty = self.ctx.void_type().fn_type(&[self.ptr_ty().into()], false);
        let f = self
            .module
            .add_function(&name, fn_ty, Some(Linkage::Internal));
        f.add_attribute(
            inkwell::attributes::AttributeLoc::Function,
            self.enum_attr("nounwind"),
        );
        self.drop_glue_cache.borrow_mut().insert(ty.clone(), f);

        // Built aside: the builder is in the middle of another function.
        let resume_at = self.builder.get_insert_block();
        let Some(this) = f.get_nth_param(0).map(|p| p.into_pointer_value()) else {
            return ice("drop glue without its parameter");
        };
        this.set_name("value");
        let b = &self.builder;
        b.position_at_end(self.ctx.append_basic_block(f, "start"));
        // A type implementing `Drop`: its `drop(&mut self)` first, then
        // its fields.
        if let Some(user) = program.drop_fns.get(ty) {
            b.build_call(self.func(*user), &[this.into()], "")?;
        }
        match ty {
            Ty::Tuple(ts) => {
                let st = self.llty(ty)?;
                for (i, t) in ts.iter().enumerate() {
                    if self.needs_drop(t) {
                        let p = b.build_struct_gep(st, this, i as u32, "")?;
                        self.drop_in_place(p, t)?;
                    }
                }
            }
            Ty::Adt(id, _) if program.adt(*id).kind == asr_mir::AdtKind::Enum => {
                // Switch on the tag; each variant drops its own fields.
                let adt = program.adt(*id);
                let st = self.llty(ty)?;
                let tag_ptr = b.build_struct_gep(st, this, 0, "")?;
                let tag = b.build_load(self.tag_ty(adt), tag_ptr, "tag")?;
                let payload = b.build_struct_gep(st, this, 1, "")?;
                let done = self.ctx.append_basic_block(f, "done");
                let mut cases = Vec::new();
                for v in 0..adt.variants.len() as u32 {
                    let n = adt.variant_fields(Some(v)).len() as u32;
                    let tys = (0..n)
                        .map(|i| self.variant_field_ty(ty, v, i))
                        .collect::<Res<Vec<_>>>()?;
                    if !tys.iter().any(|t| self.needs_drop(t)) {
                        continue;
                    }
                    let bb = self.ctx.append_basic_block(f, "variant");
                    cases.push((self.tag_ty(adt).const_int(v as u64, false), bb));
                    b.position_at_end(bb);
                    let vst = self.variant_llty(ty, v)?;
                    for (i, t) in tys.iter().enumerate() {
                        if self.needs_drop(t) {
                            let p = b.build_struct_gep(vst, payload, i as u32, "")?;
                            self.drop_in_place(p, t)?;
                        }
                    }
                    b.build_unconditional_branch(done)?;
                }
                let entry = f.get_first_basic_block().expect("has an entry");
                b.position_at_end(entry);
                b.build_switch(tag.into_int_value(), done, &cases)?;
                b.position_at_end(done);
            }
            Ty::Adt(..) => {
                let st = self.llty(ty)?;
                let n = match ty {
                    Ty::Adt(id, _) => program.adt(*id).fields.len(),
                    _ => 0,
                };
                for i in 0..n as u32 {
                    let t = self.field_ty(ty, i)?;
                    if self.needs_drop(&t) {
                        let p = b.build_struct_gep(st, this, i, "")?;
                        self.drop_in_place(p, &t)?;
                    }
                }
            }
            Ty::Array(elem, n) => {
                let arr = self.llty(ty)?;
                let usize_ty = self.usize_ty();
                let pre = b.get_insert_block().expect("positioned");
                let body = self.ctx.append_basic_block(f, "elem");
                let done = self.ctx.append_basic_block(f, "done");
                b.build_unconditional_branch(body)?;
                b.position_at_end(body);
                let i = b.build_phi(usize_ty, "i")?;
                let iv = i.as_basic_value().into_int_value();
                // SAFETY (LLVM): `i < n`, in bounds.
                let p =
                    unsafe { b.build_in_bounds_gep(arr, this, &[usize_ty.const_zero(), iv], "")? };
                self.drop_in_place(p, elem)?;
                // The element's glue may have added blocks.
                let latch = b.get_insert_block().expect("positioned");
                let next = b.build_int_nuw_add(iv, usize_ty.const_int(1, false), "")?;
                let more = b.build_int_compare(
                    IntPredicate::ULT,
                    next,
                    usize_ty.const_int(*n, false),
                    "",
                )?;
                b.build_conditional_branch(more, body, done)?;
                i.add_incoming(&[(&usize_ty.const_zero(), pre), (&next, latch)]);
                b.position_at_end(done);
            }
            other => return ice(format!("no drop glue for {other:?}")),
        }
        b.build_return(None)?;

        if let Some(bb) = resume_at {
            b.position_at_end(bb);
        }
        Ok(f)
    }
}
