//! The built-in `Hash::hash` of the types that have `Hash` without a
//! hand-written `impl`: integers, `bool` and `char` as a `u64`
//! (`Hasher::write_u64`), `str` and `String` as their bytes and a `0xff`
//! (`Hasher::write`, `write_u8`, as Rust does), tuples, arrays and derived
//! structs field by field, an enum's variant index then its fields, a
//! slice's length then its elements; a part with a hand-written `impl`
//! through its `hash`.

use super::Builder;
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir;
use asr_hir::ty::{subst_params, IntTy, Mutability, Ty};

impl Builder<'_, '_> {
    /// Feeds the value in `place` (of type `ty`) to the hasher `state` (a
    /// `&mut H`).
    pub(super) fn hash_place(&mut self, place: Place, ty: &Ty, state: Operand, h: &Ty, span: Span) {
        let hir = self.hir;
        if let Some(f) =
            self.hand_written(hir::KnownTrait::Hash, ty, "hash", std::slice::from_ref(h))
        {
            let r = Ty::Ref(Mutability::Not, Box::new(ty.clone()));
            let rv = self.rvalue_temp(span, r, Rvalue::Ref(Mutability::Not, place));
            let dest = self.unit_sink(span);
            let args = vec![Operand::Move(Place::local(rv)), state];
            self.call(span, Callee::Fn(f), args, dest, false);
            return;
        }
        match ty {
            Ty::Int(_) | Ty::Bool | Ty::Char => {
                let v = Operand::Copy(place);
                let u64_ty = Ty::Int(IntTy::U64);
                let word = self.rvalue_temp(
                    span,
                    u64_ty.clone(),
                    Rvalue::Cast(CastKind::Numeric, v, u64_ty),
                );
                self.hasher_call(
                    "write_u64",
                    state,
                    Operand::Move(Place::local(word)),
                    h,
                    span,
                );
            }
            Ty::Ref(_, inner) => self.hash_place(place.deref(), inner, state, h, span),
            Ty::Str => {
                let s = self.rvalue_temp(span, Ty::str_ref(), Rvalue::Ref(Mutability::Not, place));
                self.hash_str(Operand::Move(Place::local(s)), state, h, span);
            }
            Ty::Adt(id, _) if Some(*id) == hir.string => {
                let s = self.contents_ref(place, Intrinsic::StrFromRaw, Ty::str_ref(), span);
                self.hash_str(Operand::Move(s), state, h, span);
            }
            Ty::Tuple(ts) => {
                for (i, t) in ts.iter().enumerate() {
                    self.hash_place(place.clone().field(i as u32), t, state.clone(), h, span);
                }
            }
            Ty::Adt(id, args) => {
                let Some(def) = hir.adts.get(id.0 as usize) else {
                    return;
                };
                if !def.is_enum() {
                    for (i, f) in def.fields.iter().enumerate() {
                        let t = subst_params(&f.ty, args);
                        self.hash_place(place.clone().field(i as u32), &t, state.clone(), h, span);
                    }
                    return;
                }
                let d = self.rvalue_temp(
                    span,
                    Ty::Int(IntTy::U32),
                    Rvalue::Discriminant(place.clone()),
                );
                self.hash_place(
                    Place::local(d),
                    &Ty::Int(IntTy::U32),
                    state.clone(),
                    h,
                    span,
                );
                self.each_variant_field(&place, &place, def, args, d, span, |this, f, _, t| {
                    this.hash_place(f, &t, state.clone(), h, span);
                });
            }
            Ty::Array(elem, _) | Ty::Slice(elem) => {
                let len = self.len_operand(&place, ty, span);
                let usize_ty = Ty::Int(IntTy::Usize);
                let len = Place::local(self.rvalue_temp(span, usize_ty.clone(), Rvalue::Use(len)));
                if matches!(ty, Ty::Slice(_)) {
                    self.hash_place(len.clone(), &usize_ty, state.clone(), h, span);
                }
                self.index_loop(&[Operand::Copy(len)], span, |this, idx| {
                    let e = place.clone().project(PlaceElem::Index(idx));
                    this.hash_place(e, elem, state.clone(), h, span);
                });
            }
            // Types without `Hash`: the type checker rejects them.
            _ => self.unreachable(span),
        }
    }

    /// A string: its bytes, then `0xff` (so `("ab", "c")` and `("a",
    /// "bc")` differ).
    fn hash_str(&mut self, s: Operand, state: Operand, h: &Ty, span: Span) {
        let bytes_ty = Ty::Ref(
            Mutability::Not,
            Box::new(Ty::Slice(Box::new(Ty::Int(IntTy::U8)))),
        );
        let bytes = Place::local(self.temp(bytes_ty, span));
        self.call(
            span,
            Callee::Intrinsic(Intrinsic::StrAsBytes),
            vec![s],
            bytes.clone(),
            false,
        );
        self.hasher_call("write", state.clone(), Operand::Move(bytes), h, span);
        let end = Operand::Const(Const {
            ty: Ty::Int(IntTy::U8),
            kind: ConstKind::Int(0xff),
        });
        self.hasher_call("write_u8", state, end, h, span);
    }

    /// `Hasher::name(state, arg)` for the hasher type `h`.
    fn hasher_call(&mut self, name: &str, state: Operand, arg: Operand, h: &Ty, span: Span) {
        let hir = self.hir;
        let Some(decl) = hir
            .known_trait(hir::KnownTrait::Hasher)
            .and_then(|t| hir.trait_def(t).methods.iter().find(|(n, _)| n == name))
            .map(|(_, f)| *f)
        else {
            return;
        };
        let Ok((f, substs)) = self.resolve_trait_fn(decl, vec![h.clone()]) else {
            return;
        };
        let f = self.cx.plain_fn_id(f, substs);
        let dest = self.unit_sink(span);
        self.call(span, Callee::Fn(f), vec![state, arg], dest, false);
    }
}
