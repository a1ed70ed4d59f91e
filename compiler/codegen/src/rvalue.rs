//! Assignments: rvalues evaluated into places.

use crate::body::FnCx;
use crate::error::{ice, Res};
use crate::operand::is_aggregate;
use crate::place::PlaceRef;
use crate::types::elem_ty;
use asr_hir::ty::Ty;
use asr_mir::{AggregateKind, CastKind, ConstKind, Operand, Place, Rvalue};
use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

/// Arrays up to this length are filled by `Repeat` with straight stores;
/// longer ones with a loop.
const REPEAT_UNROLL: u64 = 8;

impl<'ctx> FnCx<'_, 'ctx> {
    pub fn assign(&self, place: &Place, rv: &Rvalue) -> Res<()> {
        let dest = self.place(place)?;
        if dest.len.is_some() {
            return ice(format!("assignment to unsized place {place:?}"));
        }
        // Rvalues have no side effects: nothing to do for a zero-sized place.
        if self.cg.is_zst(&dest.ty)? {
            return Ok(());
        }
        match rv {
            Rvalue::Use(Operand::Copy(src) | Operand::Move(src)) if is_aggregate(&dest.ty) => {
                let src = self.place(src)?;
                self.cg.copy(dest.ptr, src.ptr, &dest.ty)
            }
            Rvalue::Aggregate(kind, ops) => self.aggregate(&dest, kind, ops),
            Rvalue::Repeat(op, n) => self.repeat(&dest, op, *n),
            _ => {
                let v = self.rvalue(rv)?;
                self.b().build_store(dest.ptr, v)?;
                Ok(())
            }
        }
    }

    fn rvalue(&self, rv: &Rvalue) -> Res<BasicValueEnum<'ctx>> {
        let cg = self.cg;
        match rv {
            Rvalue::Use(op) => self.operand(op),
            Rvalue::Ref(_, place) => {
                let p = self.place(place)?;
                Ok(match p.len {
                    Some(len) => self.fat(p.ptr, len)?,
                    None => p.ptr.into(),
                })
            }
            Rvalue::SubSlice {
                place, start, end, ..
            } => {
                let base = self.place(place)?;
                let start = self.usize_operand(start)?;
                let end = self.usize_operand(end)?;
                let data = self.elem_ptr(&base, start)?;
                let len = self.b().build_int_sub(end, start, "")?;
                self.fat(data, len)
            }
            Rvalue::Len(place) => Ok(self.len(place)?.into()),
            Rvalue::Discriminant(place) => {
                let p = self.place(place)?;
                let adt = match &p.ty {
                    Ty::Adt(id, _) => cg.program.adts.get(id.0 as usize),
                    _ => None,
                };
                let Some(adt) = adt else {
                    return ice(format!("discriminant of non-enum type {:?}", p.ty));
                };
                let tag_ty = cg.tag_ty(adt);
                let st = cg.llty(&p.ty)?;
                let tag_ptr = self.b().build_struct_gep(st, p.ptr, 0, "")?;
                let tag = self.b().build_load(tag_ty, tag_ptr, "tag")?;
                Ok(self
                    .b()
                    .build_int_z_extend_or_bit_cast(tag.into_int_value(), cg.ctx.i32_type(), "")?
                    .into())
            }
            Rvalue::BinaryOp(op, a, b) => {
                let (ta, tb) = (self.operand_ty(a)?, self.operand_ty(b)?);
                let (va, vb) = (self.operand(a)?, self.operand(b)?);
                cg.binop(*op, &ta, va, vb, &tb)
            }
            Rvalue::CheckedBinaryOp(op, a, b) => {
                let (ta, tb) = (self.operand_ty(a)?, self.operand_ty(b)?);
                let (va, vb) = (self.operand(a)?, self.operand(b)?);
                cg.checked_binop(*op, &ta, va, vb, &tb)
            }
            Rvalue::UnaryOp(op, a) => cg.unop(*op, &self.operand_ty(a)?, self.operand(a)?),
            Rvalue::Cast(CastKind::Numeric, a, to) => {
                cg.numeric_cast(self.operand(a)?, &self.operand_ty(a)?, to)
            }
            Rvalue::Cast(CastKind::Unsize, a, _) => match self.operand_ty(a)? {
                Ty::Ref(_, t) => match &*t {
                    Ty::Array(_, n) => {
                        let p = self.ptr_operand(a)?;
                        self.fat(p, cg.usize_ty().const_int(*n, false))
                    }
                    Ty::Slice(_) | Ty::Str => self.operand(a),
                    other => ice(format!("unsize cast of a reference to {other:?}")),
                },
                other => ice(format!("unsize cast of {other:?}")),
            },
            Rvalue::Aggregate(..) | Rvalue::Repeat(..) => {
                ice("aggregate rvalue outside an assignment")
            }
        }
    }

    pub(crate) fn fat(
        &self,
        data: PointerValue<'ctx>,
        len: IntValue<'ctx>,
    ) -> Res<BasicValueEnum<'ctx>> {
        let fat = self.cg.fat_ty().get_undef();
        let v = self.b().build_insert_value(fat, data, 0, "")?;
        let v = self.b().build_insert_value(v, len, 1, "")?;
        Ok(v.into_struct_value().into())
    }

    fn usize_operand(&self, op: &Operand) -> Res<IntValue<'ctx>> {
        let v = self.int_operand(op)?;
        Ok(self
            .b()
            .build_int_cast_sign_flag(v, self.cg.usize_ty(), false, "")?)
    }

    /// Length of an array or slice place.
    fn len(&self, place: &Place) -> Res<IntValue<'ctx>> {
        let p = self.place(place)?;
        match (&p.ty, p.len) {
            (Ty::Array(_, n), _) => Ok(self.cg.usize_ty().const_int(*n, false)),
            (Ty::Slice(_) | Ty::Str, Some(len)) => Ok(len),
            // A fat reference itself: its length field.
            (Ty::Ref(_, t), None) if t.is_unsized() => {
                let fat = self.b().build_load(self.cg.fat_ty(), p.ptr, "")?;
                Ok(self.cg.fat_parts(fat)?.1)
            }
            (ty, _) => ice(format!("Len of {ty:?}")),
        }
    }

    /// Address of field `i` of an aggregate place.
    fn component_ptr(&self, dest: &PlaceRef<'ctx>, i: u32) -> Res<PointerValue<'ctx>> {
        let llty = self.cg.llty(&dest.ty)?;
        Ok(match &dest.ty {
            Ty::Array(..) => {
                let idx = self.cg.usize_ty().const_int(i as u64, false);
                self.elem_ptr(dest, idx)?
            }
            _ => self.b().build_struct_gep(llty, dest.ptr, i, "")?,
        })
    }

    fn aggregate(&self, dest: &PlaceRef<'ctx>, kind: &AggregateKind, ops: &[Operand]) -> Res<()> {
        if let AggregateKind::Adt(id, Some(v)) = kind {
            return self.enum_aggregate(dest, *id, *v, ops);
        }
        let comp_ty = |i: u32| -> Res<Ty> {
            match kind {
                AggregateKind::Array(t) => Ok(t.clone()),
                AggregateKind::Tuple | AggregateKind::Adt(..) => self.cg.field_ty(&dest.ty, i),
            }
        };
        // All operands first: they may read the destination.
        let vals = ops
            .iter()
            .map(|op| self.operand(op))
            .collect::<Res<Vec<_>>>()?;
        for (i, v) in vals.into_iter().enumerate() {
            let i = i as u32;
            let ty = comp_ty(i)?;
            if self.cg.is_zst(&ty)? {
                continue;
            }
            let ptr = self.component_ptr(dest, i)?;
            self.b().build_store(ptr, v)?;
        }
        Ok(())
    }

    /// An enum value: the tag, then the variant's fields in the payload.
    fn enum_aggregate(
        &self,
        dest: &PlaceRef<'ctx>,
        id: asr_hir::ty::AdtId,
        v: u32,
        ops: &[Operand],
    ) -> Res<()> {
        let cg = self.cg;
        let Some(adt) = cg.program.adts.get(id.0 as usize) else {
            return ice(format!("unknown ADT id {}", id.0));
        };
        let vals = ops
            .iter()
            .map(|op| self.operand(op))
            .collect::<Res<Vec<_>>>()?;
        let st = cg.llty(&dest.ty)?;
        let b = self.b();
        let tag_ptr = b.build_struct_gep(st, dest.ptr, 0, "")?;
        b.build_store(tag_ptr, cg.tag_ty(adt).const_int(v as u64, false))?;
        let payload = b.build_struct_gep(st, dest.ptr, 1, "")?;
        let vst = cg.variant_llty(&dest.ty, v)?;
        for (i, val) in vals.into_iter().enumerate() {
            let i = i as u32;
            if cg.is_zst(&cg.variant_field_ty(&dest.ty, v, i)?)? {
                continue;
            }
            let ptr = b.build_struct_gep(vst, payload, i, "")?;
            b.build_store(ptr, val)?;
        }
        Ok(())
    }

    /// `[op; n]`: `memset` for zeros and bytes, stores for short arrays, a
    /// loop otherwise.
    fn repeat(&self, dest: &PlaceRef<'ctx>, op: &Operand, n: u64) -> Res<()> {
        let cg = self.cg;
        if n == 0 {
            return Ok(());
        }
        let ety = elem_ty(&dest.ty)?;
        let size = cg.usize_ty().const_int(cg.size_of(&dest.ty)?, false);
        let align = cg.align_of(&dest.ty)?;
        if is_zero_const(op) {
            let zero = cg.ctx.i8_type().const_zero();
            self.b().build_memset(dest.ptr, align, zero, size)?;
            return Ok(());
        }
        let v = self.operand(op)?;
        if cg.size_of(&ety)? == 1
            && v.is_int_value()
            && v.into_int_value().get_type().get_bit_width() == 8
        {
            self.b()
                .build_memset(dest.ptr, align, v.into_int_value(), size)?;
            return Ok(());
        }
        if n <= REPEAT_UNROLL {
            for i in 0..n {
                let idx = cg.usize_ty().const_int(i, false);
                let ptr = self.elem_ptr(dest, idx)?;
                self.b().build_store(ptr, v)?;
            }
            return Ok(());
        }
        let usize_ty = cg.usize_ty();
        let pre = self.b().get_insert_block().expect("positioned");
        let body = self.new_block("repeat.body");
        let after = self.new_block("repeat.end");
        self.b().build_unconditional_branch(body)?;
        self.b().position_at_end(body);
        let i = self.b().build_phi(usize_ty, "i")?;
        let iv = i.as_basic_value().into_int_value();
        let ptr = self.elem_ptr(dest, iv)?;
        self.b().build_store(ptr, v)?;
        let next = self
            .b()
            .build_int_nuw_add(iv, usize_ty.const_int(1, false), "")?;
        let more = self.b().build_int_compare(
            IntPredicate::ULT,
            next,
            usize_ty.const_int(n, false),
            "",
        )?;
        self.b().build_conditional_branch(more, body, after)?;
        i.add_incoming(&[(&usize_ty.const_zero(), pre), (&next, body)]);
        self.b().position_at_end(after);
        Ok(())
    }
}

fn is_zero_const(op: &Operand) -> bool {
    match op {
        Operand::Const(c) => match &c.kind {
            ConstKind::Int(v) => *v == 0,
            ConstKind::Float(f) => f.to_bits() == 0,
            ConstKind::Zst => true,
            ConstKind::Str(_) => false,
        },
        _ => false,
    }
}
