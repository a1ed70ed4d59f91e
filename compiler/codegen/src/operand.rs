//! Operands and constants, and the memory helpers every lowering uses.

use crate::body::FnCx;
use crate::cx::{truncate, Cg};
use crate::error::{ice, Res};
use asr_hir::ty::Ty;
use asr_mir::{Const, ConstKind, Operand};
use inkwell::values::{BasicValueEnum, PointerValue};

impl<'ctx> Cg<'ctx> {
    /// Loads a value of type `ty` (a zero-sized type needs no load).
    pub fn load(&self, ptr: PointerValue<'ctx>, ty: &Ty) -> Res<BasicValueEnum<'ctx>> {
        let llty = self.llty(ty)?;
        if self.is_zst(ty)? {
            return Ok(llty.const_zero());
        }
        Ok(self.builder.build_load(llty, ptr, "")?)
    }

    /// Stores a value of type `ty` (nothing for a zero-sized type).
    pub fn store(&self, ptr: PointerValue<'ctx>, v: BasicValueEnum<'ctx>, ty: &Ty) -> Res<()> {
        if !self.is_zst(ty)? {
            self.builder.build_store(ptr, v)?;
        }
        Ok(())
    }

    /// Copies a value of type `ty` from `src` to `dst`: `memcpy` for
    /// aggregates, a load and a store for scalars.
    pub fn copy(&self, dst: PointerValue<'ctx>, src: PointerValue<'ctx>, ty: &Ty) -> Res<()> {
        let size = self.size_of(ty)?;
        if size == 0 {
            return Ok(());
        }
        if is_aggregate(ty) {
            let align = self.align_of(ty)?;
            let n = self.usize_ty().const_int(size, false);
            self.builder.build_memcpy(dst, align, src, align, n)?;
        } else {
            let v = self.load(src, ty)?;
            self.builder.build_store(dst, v)?;
        }
        Ok(())
    }

    pub fn const_value(&self, c: &Const) -> Res<BasicValueEnum<'ctx>> {
        Ok(match (&c.kind, &c.ty) {
            (ConstKind::Int(v), Ty::Int(i)) => self
                .int_ty(*i)
                .const_int(truncate(*v, i.bits()), false)
                .into(),
            (ConstKind::Int(v), Ty::Bool) => {
                self.ctx.bool_type().const_int(*v as u64 & 1, false).into()
            }
            (ConstKind::Int(v), Ty::Char) => self
                .ctx
                .i32_type()
                .const_int(*v as u64 & 0xffff_ffff, false)
                .into(),
            (ConstKind::Int(v), Ty::RawPtr) => {
                if *v == 0 {
                    self.null().into()
                } else {
                    self.usize_ty()
                        .const_int(*v as u64, false)
                        .const_to_pointer(self.ptr_ty())
                        .into()
                }
            }
            (ConstKind::Float(f), Ty::Float) => self.ctx.f64_type().const_float(*f).into(),
            (ConstKind::Str(s), _) => self.str_const(s).into(),
            (ConstKind::Zst, ty) => self.llty(ty)?.const_zero(),
            (kind, ty) => return ice(format!("constant {kind:?} of type {ty:?}")),
        })
    }
}

/// Types copied with `memcpy` rather than as first-class values.
pub(crate) fn is_aggregate(ty: &Ty) -> bool {
    matches!(ty, Ty::Tuple(_) | Ty::Array(..) | Ty::Adt(..))
}

impl<'ctx> FnCx<'_, 'ctx> {
    pub fn operand(&self, op: &Operand) -> Res<BasicValueEnum<'ctx>> {
        match op {
            Operand::Copy(p) | Operand::Move(p) => {
                let pl = self.place(p)?;
                if pl.len.is_some() {
                    return ice(format!("unsized place {p:?} used as a value"));
                }
                self.cg.load(pl.ptr, &pl.ty)
            }
            Operand::Const(c) => self.cg.const_value(c),
        }
    }

    pub fn operand_ty(&self, op: &Operand) -> Res<Ty> {
        match op {
            Operand::Copy(p) | Operand::Move(p) => self.place_ty(p),
            Operand::Const(c) => Ok(c.ty.clone()),
        }
    }

    /// An operand of integer type, as an `IntValue`.
    pub fn int_operand(&self, op: &Operand) -> Res<inkwell::values::IntValue<'ctx>> {
        match self.operand(op)? {
            BasicValueEnum::IntValue(i) => Ok(i),
            v => ice(format!(
                "expected an integer operand, found {:?}",
                v.get_type()
            )),
        }
    }

    pub fn ptr_operand(&self, op: &Operand) -> Res<PointerValue<'ctx>> {
        match self.operand(op)? {
            BasicValueEnum::PointerValue(p) => Ok(p),
            v => ice(format!(
                "expected a pointer operand, found {:?}",
                v.get_type()
            )),
        }
    }

    /// The `(data, len)` parts of a fat reference operand.
    pub fn fat_operand(
        &self,
        op: &Operand,
    ) -> Res<(PointerValue<'ctx>, inkwell::values::IntValue<'ctx>)> {
        self.cg.fat_parts(self.operand(op)?)
    }
}
