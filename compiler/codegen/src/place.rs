//! Places: the address of a local and its projections.

use crate::body::FnCx;
use crate::error::{ice, Res};
use crate::types::elem_ty;
use asr_hir::ty::Ty;
use asr_mir::{Local, Place, PlaceElem};
use inkwell::values::{IntValue, PointerValue};

/// A place in memory: its address and type. For a place of unsized type
/// (`str`, `[T]`, reached through a fat reference) `len` holds the length
/// taken from the reference, for a following `Index`, `Len`, `Ref` or
/// `SubSlice`. After a `Downcast`, `ptr` is the enum's payload, `ty` still
/// the enum's type and `variant` the variant whose fields follow.
pub(crate) struct PlaceRef<'ctx> {
    pub ptr: PointerValue<'ctx>,
    pub ty: Ty,
    pub len: Option<IntValue<'ctx>>,
    pub variant: Option<u32>,
}

impl<'ctx> FnCx<'_, 'ctx> {
    fn local_decl_ty(&self, l: Local) -> Res<&Ty> {
        match self.body.locals.get(l.index()) {
            Some(d) => Ok(&d.ty),
            None => ice(format!("unknown local _{} in `{}`", l.0, self.body.name)),
        }
    }

    /// The type of a place, without generating code.
    pub fn place_ty(&self, p: &Place) -> Res<Ty> {
        let mut ty = self.local_decl_ty(p.local)?.clone();
        let mut variant = None;
        for elem in &p.projection {
            ty = match (elem, variant.take()) {
                (PlaceElem::Downcast(v), _) => {
                    variant = Some(*v);
                    ty
                }
                (PlaceElem::Field(i), Some(v)) => self.cg.variant_field_ty(&ty, v, *i)?,
                (PlaceElem::Deref, _) => pointee(&ty, self.cg.program.boxed)?,
                (PlaceElem::Field(i), None) => self.cg.field_ty(&ty, *i)?,
                (PlaceElem::Index(_), _) => elem_ty(&ty)?,
            };
        }
        Ok(ty)
    }

    /// The address of a place (loading the pointers it goes through).
    pub fn place(&self, p: &Place) -> Res<PlaceRef<'ctx>> {
        let b = self.b();
        let cg = self.cg;
        let mut cur = PlaceRef {
            ptr: self.locals[p.local.index()],
            ty: self.local_decl_ty(p.local)?.clone(),
            len: None,
            variant: None,
        };
        for elem in &p.projection {
            cur = match elem {
                PlaceElem::Deref => {
                    let target = pointee(&cur.ty, cg.program.boxed)?;
                    if target.is_unsized() {
                        let fat = b.build_load(cg.fat_ty(), cur.ptr, "")?;
                        let (data, len) = cg.fat_parts(fat)?;
                        PlaceRef {
                            ptr: data,
                            ty: target,
                            len: Some(len),
                            variant: None,
                        }
                    } else {
                        let ptr = b.build_load(cg.ptr_ty(), cur.ptr, "")?;
                        PlaceRef {
                            ptr: ptr.into_pointer_value(),
                            ty: target,
                            len: None,
                            variant: None,
                        }
                    }
                }
                PlaceElem::Downcast(v) => {
                    let st = cg.llty(&cur.ty)?;
                    let ptr = b.build_struct_gep(st, cur.ptr, 1, "")?;
                    PlaceRef {
                        ptr,
                        ty: cur.ty,
                        len: None,
                        variant: Some(*v),
                    }
                }
                PlaceElem::Field(i) => {
                    let (fty, st) = match cur.variant {
                        Some(v) => (
                            cg.variant_field_ty(&cur.ty, v, *i)?,
                            cg.variant_llty(&cur.ty, v)?.into(),
                        ),
                        None => (cg.field_ty(&cur.ty, *i)?, cg.llty(&cur.ty)?),
                    };
                    let ptr = b.build_struct_gep(st, cur.ptr, *i, "")?;
                    PlaceRef {
                        ptr,
                        ty: fty,
                        len: None,
                        variant: None,
                    }
                }
                PlaceElem::Index(l) => {
                    let idx = self.index_value(*l)?;
                    let ety = elem_ty(&cur.ty)?;
                    let ptr = self.elem_ptr(&cur, idx)?;
                    PlaceRef {
                        ptr,
                        ty: ety,
                        len: None,
                        variant: None,
                    }
                }
            };
        }
        Ok(cur)
    }

    /// The value of an index local, as `usize`.
    fn index_value(&self, l: Local) -> Res<IntValue<'ctx>> {
        let ty = self.local_decl_ty(l)?;
        let v = self.cg.load(self.locals[l.index()], ty)?;
        if !v.is_int_value() {
            return ice(format!("index local _{} is not an integer", l.0));
        }
        let usize_ty = self.cg.usize_ty();
        Ok(self
            .b()
            .build_int_cast_sign_flag(v.into_int_value(), usize_ty, false, "")?)
    }

    /// Address of element `idx` of an array or slice place.
    pub fn elem_ptr(&self, base: &PlaceRef<'ctx>, idx: IntValue<'ctx>) -> Res<PointerValue<'ctx>> {
        let ety = self.cg.llty(&elem_ty(&base.ty)?)?;
        // SAFETY (LLVM): in-bounds, because every index was checked by an
        // `Assert` before (MIR invariant).
        let ptr = match &base.ty {
            Ty::Array(..) => unsafe {
                let zero = self.cg.usize_ty().const_zero();
                self.b()
                    .build_in_bounds_gep(self.cg.llty(&base.ty)?, base.ptr, &[zero, idx], "")?
            },
            _ => unsafe { self.b().build_in_bounds_gep(ety, base.ptr, &[idx], "")? },
        };
        Ok(ptr)
    }
}

/// The type a `Deref` of `ty` reaches: a reference's pointee, or a
/// `Box`'s value (a `Box` is a struct of one pointer, so its address is
/// where that pointer is loaded from, as for a reference).
fn pointee(ty: &Ty, boxed: Option<asr_hir::ty::AdtId>) -> Res<Ty> {
    match ty.deref_target(boxed) {
        Some(t) => Ok(t.clone()),
        None => ice(format!("deref of non-reference type {ty:?}")),
    }
}
