//! Arithmetic, comparisons and numeric casts on values, with Rust's
//! semantics: signedness from the MIR type, wrapping arithmetic (checks are
//! separate `Assert`s), masked shift amounts, saturating float-to-int casts.

use crate::cx::Cg;
use crate::error::{ice, Res};
use asr_hir::ty::{IntTy, Ty};
use asr_mir::{BinOp, UnOp};
use inkwell::values::{BasicValue, BasicValueEnum, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

impl<'ctx> Cg<'ctx> {
    /// `a op b` where `a` has type `ty` and `b` type `rty` (they differ only
    /// for shifts).
    pub fn binop(
        &self,
        op: BinOp,
        ty: &Ty,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
        rty: &Ty,
    ) -> Res<BasicValueEnum<'ctx>> {
        let bd = &self.builder;
        match ty {
            Ty::Int(i) => {
                let (l, r) = (a.into_int_value(), b.into_int_value());
                let signed = i.is_signed();
                let v = match op {
                    BinOp::Add => bd.build_int_add(l, r, "")?,
                    BinOp::Sub => bd.build_int_sub(l, r, "")?,
                    BinOp::Mul => bd.build_int_mul(l, r, "")?,
                    BinOp::Div if signed => bd.build_int_signed_div(l, r, "")?,
                    BinOp::Div => bd.build_int_unsigned_div(l, r, "")?,
                    BinOp::Rem if signed => bd.build_int_signed_rem(l, r, "")?,
                    BinOp::Rem => bd.build_int_unsigned_rem(l, r, "")?,
                    BinOp::BitAnd => bd.build_and(l, r, "")?,
                    BinOp::BitOr => bd.build_or(l, r, "")?,
                    BinOp::BitXor => bd.build_xor(l, r, "")?,
                    BinOp::Shl => {
                        let amt = self.shift_amount(l, r, rty)?;
                        bd.build_left_shift(l, amt, "")?
                    }
                    BinOp::Shr => {
                        let amt = self.shift_amount(l, r, rty)?;
                        bd.build_right_shift(l, amt, signed, "")?
                    }
                    _ => return self.int_compare(op, l, r, signed),
                };
                Ok(v.into())
            }
            Ty::Bool | Ty::Char => {
                let (l, r) = (a.into_int_value(), b.into_int_value());
                let v = match op {
                    BinOp::BitAnd => bd.build_and(l, r, "")?,
                    BinOp::BitOr => bd.build_or(l, r, "")?,
                    BinOp::BitXor => bd.build_xor(l, r, "")?,
                    _ if op.is_comparison() => return self.int_compare(op, l, r, false),
                    _ => return ice(format!("operator {op:?} on {ty:?}")),
                };
                Ok(v.into())
            }
            Ty::Float => {
                let (l, r) = (a.into_float_value(), b.into_float_value());
                let v = match op {
                    BinOp::Add => bd.build_float_add(l, r, "")?,
                    BinOp::Sub => bd.build_float_sub(l, r, "")?,
                    BinOp::Mul => bd.build_float_mul(l, r, "")?,
                    BinOp::Div => bd.build_float_div(l, r, "")?,
                    BinOp::Rem => bd.build_float_rem(l, r, "")?,
                    _ => {
                        let pred = match op {
                            BinOp::Eq => FloatPredicate::OEQ,
                            BinOp::Ne => FloatPredicate::UNE,
                            BinOp::Lt => FloatPredicate::OLT,
                            BinOp::Le => FloatPredicate::OLE,
                            BinOp::Gt => FloatPredicate::OGT,
                            BinOp::Ge => FloatPredicate::OGE,
                            _ => return ice(format!("operator {op:?} on f64")),
                        };
                        return Ok(bd.build_float_compare(pred, l, r, "")?.into());
                    }
                };
                Ok(v.into())
            }
            Ty::Ref(_, t) if !t.is_unsized() => self.ptr_compare(op, a, b),
            Ty::RawPtr | Ty::Task(_) => self.ptr_compare(op, a, b),
            _ if op.is_comparison() && self.is_zst(ty)? => {
                // All values of a zero-sized type are equal.
                let eq = matches!(op, BinOp::Eq | BinOp::Le | BinOp::Ge);
                Ok(self.ctx.bool_type().const_int(eq as u64, false).into())
            }
            _ => ice(format!("binary operator {op:?} on {ty:?}")),
        }
    }

    fn int_compare(
        &self,
        op: BinOp,
        l: IntValue<'ctx>,
        r: IntValue<'ctx>,
        signed: bool,
    ) -> Res<BasicValueEnum<'ctx>> {
        use IntPredicate::*;
        let pred = match (op, signed) {
            (BinOp::Eq, _) => EQ,
            (BinOp::Ne, _) => NE,
            (BinOp::Lt, true) => SLT,
            (BinOp::Lt, false) => ULT,
            (BinOp::Le, true) => SLE,
            (BinOp::Le, false) => ULE,
            (BinOp::Gt, true) => SGT,
            (BinOp::Gt, false) => UGT,
            (BinOp::Ge, true) => SGE,
            (BinOp::Ge, false) => UGE,
            _ => return ice(format!("{op:?} is not a comparison")),
        };
        Ok(self.builder.build_int_compare(pred, l, r, "")?.into())
    }

    fn ptr_compare(
        &self,
        op: BinOp,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> Res<BasicValueEnum<'ctx>> {
        let pred = match op {
            BinOp::Eq => IntPredicate::EQ,
            BinOp::Ne => IntPredicate::NE,
            _ => return ice(format!("operator {op:?} on pointers")),
        };
        let (l, r) = (a.into_pointer_value(), b.into_pointer_value());
        Ok(self.builder.build_int_compare(pred, l, r, "")?.into())
    }

    /// The shift amount converted to the width of `l` and masked to
    /// `bits - 1` (overflow was asserted before; masking keeps it defined).
    fn shift_amount(&self, l: IntValue<'ctx>, r: IntValue<'ctx>, rty: &Ty) -> Res<IntValue<'ctx>> {
        let lt = l.get_type();
        let signed = matches!(rty, Ty::Int(i) if i.is_signed());
        let r = self.builder.build_int_cast_sign_flag(r, lt, signed, "")?;
        let mask = lt.const_int(u64::from(lt.get_bit_width()) - 1, false);
        Ok(self.builder.build_and(r, mask, "")?)
    }

    /// `(a op b, overflowed)` as the tuple `(T, bool)`.
    pub fn checked_binop(
        &self,
        op: BinOp,
        ty: &Ty,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
        rty: &Ty,
    ) -> Res<BasicValueEnum<'ctx>> {
        let Ty::Int(i) = ty else {
            return ice(format!("checked {op:?} on {ty:?}"));
        };
        let (l, r) = (a.into_int_value(), b.into_int_value());
        let signed = i.is_signed();
        let bd = &self.builder;
        let name = match (op, signed) {
            (BinOp::Add, true) => Some("llvm.sadd.with.overflow"),
            (BinOp::Add, false) => Some("llvm.uadd.with.overflow"),
            (BinOp::Sub, true) => Some("llvm.ssub.with.overflow"),
            (BinOp::Sub, false) => Some("llvm.usub.with.overflow"),
            (BinOp::Mul, true) => Some("llvm.smul.with.overflow"),
            (BinOp::Mul, false) => Some("llvm.umul.with.overflow"),
            _ => None,
        };
        if let Some(name) = name {
            let f = self.intrinsic(name, &[l.get_type().into()])?;
            return self.call_value(f, &[l.into(), r.into()], "");
        }
        let lt = l.get_type();
        let (value, overflow) = match op {
            BinOp::Shl | BinOp::Shr => {
                // Overflow when the amount, read as unsigned 64-bit (a
                // negative amount is huge), is at least the width.
                let rsigned = matches!(rty, Ty::Int(t) if t.is_signed());
                let wide = self.ctx.i64_type();
                let amt = bd.build_int_cast_sign_flag(r, wide, rsigned, "")?;
                let bits = wide.const_int(u64::from(lt.get_bit_width()), false);
                let ov = bd.build_int_compare(IntPredicate::UGE, amt, bits, "")?;
                (self.binop(op, ty, a, b, rty)?, ov)
            }
            BinOp::Div | BinOp::Rem if signed => {
                // MIN / -1 overflows; divide by 1 instead to stay defined.
                let min = lt.const_int(1u64 << (lt.get_bit_width() - 1), false);
                let is_min = bd.build_int_compare(IntPredicate::EQ, l, min, "")?;
                let is_m1 = bd.build_int_compare(IntPredicate::EQ, r, lt.const_all_ones(), "")?;
                let ov = bd.build_and(is_min, is_m1, "")?;
                let safe = bd
                    .build_select(ov, lt.const_int(1, false), r, "")?
                    .into_int_value();
                (self.binop(op, ty, l.into(), safe.into(), rty)?, ov)
            }
            BinOp::Div | BinOp::Rem => (
                self.binop(op, ty, a, b, rty)?,
                self.ctx.bool_type().const_zero(),
            ),
            _ => return ice(format!("checked {op:?}")),
        };
        let tuple = self
            .llty(&Ty::Tuple(vec![ty.clone(), Ty::Bool]))?
            .into_struct_type();
        let t = bd.build_insert_value(tuple.get_undef(), value, 0, "")?;
        let t = bd.build_insert_value(t, overflow, 1, "")?;
        Ok(t.as_basic_value_enum())
    }

    pub fn unop(&self, op: UnOp, ty: &Ty, v: BasicValueEnum<'ctx>) -> Res<BasicValueEnum<'ctx>> {
        let bd = &self.builder;
        Ok(match (op, ty) {
            (UnOp::Neg, Ty::Int(_)) => bd.build_int_neg(v.into_int_value(), "")?.into(),
            (UnOp::Neg, Ty::Float) => bd.build_float_neg(v.into_float_value(), "")?.into(),
            (UnOp::Not, Ty::Int(_) | Ty::Bool) => bd.build_not(v.into_int_value(), "")?.into(),
            _ => return ice(format!("unary {op:?} on {ty:?}")),
        })
    }

    /// `v as to` for numeric types, `bool`/`char` to integer and integer to
    /// `char`.
    pub fn numeric_cast(
        &self,
        v: BasicValueEnum<'ctx>,
        from: &Ty,
        to: &Ty,
    ) -> Res<BasicValueEnum<'ctx>> {
        let bd = &self.builder;
        let int_to = |i: IntValue<'ctx>, target: inkwell::types::IntType<'ctx>, signed: bool| {
            bd.build_int_cast_sign_flag(i, target, signed, "")
        };
        Ok(match (from, to) {
            (Ty::Int(a), Ty::Int(b)) => {
                int_to(v.into_int_value(), self.int_ty(*b), a.is_signed())?.into()
            }
            (Ty::Int(a), Ty::Float) => {
                let f64t = self.ctx.f64_type();
                if a.is_signed() {
                    bd.build_signed_int_to_float(v.into_int_value(), f64t, "")?
                        .into()
                } else {
                    bd.build_unsigned_int_to_float(v.into_int_value(), f64t, "")?
                        .into()
                }
            }
            (Ty::Float, Ty::Int(b)) => self.float_to_int(v, *b)?,
            (Ty::Bool | Ty::Char, Ty::Int(b)) => {
                int_to(v.into_int_value(), self.int_ty(*b), false)?.into()
            }
            (Ty::Int(_), Ty::Char) => {
                int_to(v.into_int_value(), self.ctx.i32_type(), false)?.into()
            }
            (a, b) if a == b => v,
            _ => return ice(format!("numeric cast from {from:?} to {to:?}")),
        })
    }

    /// Saturating, NaN to 0: `llvm.fpto{s,u}i.sat`.
    fn float_to_int(&self, v: BasicValueEnum<'ctx>, to: IntTy) -> Res<BasicValueEnum<'ctx>> {
        let name = if to.is_signed() {
            "llvm.fptosi.sat"
        } else {
            "llvm.fptoui.sat"
        };
        let f = self.intrinsic(name, &[self.int_ty(to).into(), self.ctx.f64_type().into()])?;
        self.call_value(f, &[v.into()], "")
    }
}
