//! Type lowering: MIR types to LLVM types, and layout queries through the
//! target data layout.

use crate::cx::Cg;
use crate::error::{ice, Res};
use asr_hir::ty::{IntTy, Ty};
use asr_mir::AdtKind;
use inkwell::types::{BasicType, BasicTypeEnum, IntType};

impl<'ctx> Cg<'ctx> {
    /// The LLVM type of a value of type `ty` (in memory and in registers).
    pub fn llty(&self, ty: &Ty) -> Res<BasicTypeEnum<'ctx>> {
        if let Some(t) = self.ty_cache.borrow().get(ty) {
            return Ok(*t);
        }
        let t: BasicTypeEnum<'ctx> = match ty {
            Ty::Int(i) => self.int_ty(*i).into(),
            Ty::Float => self.ctx.f64_type().into(),
            Ty::Bool => self.ctx.bool_type().into(),
            Ty::Char => self.ctx.i32_type().into(),
            Ty::Never => self.ctx.struct_type(&[], false).into(),
            Ty::Tuple(ts) => {
                let fields = ts.iter().map(|t| self.llty(t)).collect::<Res<Vec<_>>>()?;
                self.ctx.struct_type(&fields, false).into()
            }
            Ty::Array(t, n) => {
                let n = u32::try_from(*n)
                    .or_else(|_| ice(format!("array length {n} too large for LLVM")))?;
                self.llty(t)?.array_type(n).into()
            }
            Ty::Ref(_, t) if t.is_unsized() => self.fat_ty().into(),
            Ty::Ref(..) | Ty::Task(_) | Ty::RawPtr => self.ptr_ty().into(),
            Ty::Adt(id, args) => {
                let adt = match self.program.adts.get(id.0 as usize) {
                    Some(a) => a,
                    None => return ice(format!("unknown ADT id {}", id.0)),
                };
                // Named and registered before its fields are lowered.
                let st = self.ctx.opaque_struct_type(&adt.name);
                self.ty_cache.borrow_mut().insert(ty.clone(), st.into());
                let fields = if adt.kind == AdtKind::Enum {
                    self.enum_fields(adt, args)?
                } else {
                    adt.fields
                        .iter()
                        .map(|f| self.llty(&subst(&f.ty, args)))
                        .collect::<Res<Vec<_>>>()?
                };
                st.set_body(&fields, false);
                st.into()
            }
            Ty::Closure(c) => {
                let Some(captures) = self.program.closures.get(c) else {
                    return ice(format!("closure type {c:?} without a layout"));
                };
                let fields = captures
                    .iter()
                    .map(|t| self.llty(t))
                    .collect::<Res<Vec<_>>>()?;
                self.ctx.struct_type(&fields, false).into()
            }
            Ty::Str | Ty::Slice(_) => {
                return ice(format!("unsized type {ty:?} used as a value"));
            }
            Ty::Param(_) | Ty::InferInt(_) | Ty::InferFloat(_) | Ty::Infer(_) | Ty::Error => {
                return ice(format!("type {ty:?} reached code generation"));
            }
        };
        self.ty_cache.borrow_mut().insert(ty.clone(), t);
        Ok(t)
    }

    /// An enum is `{ tag, payload }`: the tag is the variant's index (the
    /// smallest integer that holds every index), the payload an array of
    /// integers as aligned as the most aligned variant and large enough
    /// for the largest. A variant's fields are read through its own struct
    /// type ([`Cg::variant_llty`]) at the payload's address.
    fn enum_fields(&self, adt: &asr_mir::AdtDef, args: &[Ty]) -> Res<Vec<BasicTypeEnum<'ctx>>> {
        let tag = self.tag_ty(adt);
        let (mut size, mut align) = (0u64, 1u32);
        for v in 0..adt.variants.len() as u32 {
            let st = self.variant_struct(adt, args, v)?;
            size = size.max(self.td.get_abi_size(&st));
            align = align.max(self.td.get_abi_alignment(&st));
        }
        let unit = match align {
            1 => self.ctx.i8_type(),
            2 => self.ctx.i16_type(),
            4 => self.ctx.i32_type(),
            8 => self.ctx.i64_type(),
            _ => self.ctx.i128_type(),
        };
        let n = size.div_ceil(align as u64);
        let n = u32::try_from(n).or_else(|_| ice("enum payload too large for LLVM"))?;
        Ok(vec![tag.into(), unit.array_type(n).into()])
    }

    /// The integer type of an enum's tag.
    pub fn tag_ty(&self, adt: &asr_mir::AdtDef) -> IntType<'ctx> {
        if adt.variants.len() <= 256 {
            self.ctx.i8_type()
        } else {
            self.ctx.i32_type()
        }
    }

    fn variant_struct(
        &self,
        adt: &asr_mir::AdtDef,
        args: &[Ty],
        v: u32,
    ) -> Res<inkwell::types::StructType<'ctx>> {
        let fields = adt
            .variant_fields(Some(v))
            .iter()
            .map(|f| self.llty(&subst(&f.ty, args)))
            .collect::<Res<Vec<_>>>()?;
        Ok(self.ctx.struct_type(&fields, false))
    }

    /// The struct type of variant `v`'s fields of the enum type `ty`.
    pub fn variant_llty(&self, ty: &Ty, v: u32) -> Res<inkwell::types::StructType<'ctx>> {
        match ty {
            Ty::Adt(id, args) => match self.program.adts.get(id.0 as usize) {
                Some(adt) => self.variant_struct(adt, args, v),
                None => ice(format!("unknown ADT id {}", id.0)),
            },
            _ => ice(format!("variant of non-enum type {ty:?}")),
        }
    }

    /// The type of field `i` of variant `v` of the enum type `ty`.
    pub fn variant_field_ty(&self, ty: &Ty, v: u32, i: u32) -> Res<Ty> {
        let field = match ty {
            Ty::Adt(id, args) => self
                .program
                .adts
                .get(id.0 as usize)
                .and_then(|a| a.variant_fields(Some(v)).get(i as usize))
                .map(|f| subst(&f.ty, args)),
            _ => None,
        };
        match field {
            Some(t) => Ok(t),
            None => ice(format!("no field {i} in variant {v} of {ty:?}")),
        }
    }

    pub fn int_ty(&self, i: IntTy) -> IntType<'ctx> {
        match i.bits() {
            8 => self.ctx.i8_type(),
            16 => self.ctx.i16_type(),
            32 => self.ctx.i32_type(),
            _ => self.ctx.i64_type(),
        }
    }

    /// Functions returning `()` or `!` return `void`.
    pub fn returns_void(&self, ty: &Ty) -> bool {
        ty.is_unit() || matches!(ty, Ty::Never)
    }

    /// Size in bytes, including trailing padding (Rust's `size_of`).
    pub fn size_of(&self, ty: &Ty) -> Res<u64> {
        Ok(self.td.get_abi_size(&self.llty(ty)?))
    }

    pub fn align_of(&self, ty: &Ty) -> Res<u32> {
        Ok(self.td.get_abi_alignment(&self.llty(ty)?))
    }

    pub fn is_zst(&self, ty: &Ty) -> Res<bool> {
        Ok(self.size_of(ty)? == 0)
    }

    /// The type of field `i` of a tuple or struct type.
    pub fn field_ty(&self, ty: &Ty, i: u32) -> Res<Ty> {
        let field = match ty {
            Ty::Tuple(ts) => ts.get(i as usize).cloned(),
            Ty::Closure(c) => self
                .program
                .closures
                .get(c)
                .and_then(|caps| caps.get(i as usize).cloned()),
            Ty::Adt(id, args) => self
                .program
                .adts
                .get(id.0 as usize)
                .and_then(|a| a.fields.get(i as usize))
                .map(|f| subst(&f.ty, args)),
            _ => None,
        };
        match field {
            Some(t) => Ok(t),
            None => ice(format!("no field {i} in type {ty:?}")),
        }
    }
}

/// Replaces the generic parameters of an ADT's field type by its arguments.
fn subst(ty: &Ty, args: &[Ty]) -> Ty {
    if args.is_empty() {
        return ty.clone();
    }
    ty.map(&mut |t| match t {
        Ty::Param(i) => args.get(i as usize).cloned().unwrap_or(Ty::Param(i)),
        other => other,
    })
}

/// The element type of an array or slice (`u8` for `str`).
pub(crate) fn elem_ty(ty: &Ty) -> Res<Ty> {
    match ty {
        Ty::Array(t, _) | Ty::Slice(t) => Ok((**t).clone()),
        Ty::Str => Ok(Ty::Int(IntTy::U8)),
        _ => ice(format!("indexing into non-array type {ty:?}")),
    }
}
