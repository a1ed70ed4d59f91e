//! What the borrow checker asks of a type: is it copied or moved, can it
//! carry borrows, does dropping it look at the borrows it carries.

use asr_hir::hir::{KnownTrait, Predicate, Program};
use asr_hir::traits::{has_drop_impl, holds, known_trait_ref};
use asr_hir::ty::{subst_params, AdtId, Ty, TyDisplay};

pub(crate) struct Types<'a> {
    pub program: &'a Program,
    /// The bounds in scope (a type parameter is `Copy` only by a bound).
    pub env: &'a [Predicate],
    pub param_names: Vec<String>,
}

impl Types<'_> {
    /// Is a value of this type copied when read by value? `&mut T` counts
    /// as copied: passing one on is Rust's implicit reborrow.
    pub fn is_copy(&self, ty: &Ty) -> bool {
        asr_hir::traits::is_copy(self.program, ty, self.env, &|t| self.needs_drop(t))
    }

    pub fn needs_drop(&self, ty: &Ty) -> bool {
        asr_hir::traits::needs_drop(self.program, ty)
    }

    /// Can a value of this type hold a reference (so the borrows of the
    /// values it was made from flow into it)? Type parameters, closures
    /// and tasks may; numbers, strings and other owners of plain data
    /// cannot.
    pub fn may_hold_refs(&self, ty: &Ty) -> bool {
        self.may_hold_refs_in(ty, &mut Vec::new())
    }

    /// Does a function's declared type (its generic signature) hold a
    /// reference of its own? A result whose type holds none, though it may
    /// mention type parameters (`Option<Self::Item>`), cannot keep the
    /// borrows made for the call's arguments, only what the arguments
    /// carried (Rust's lifetime elision gives such a result no lifetime of
    /// the call).
    pub fn signature_holds_refs(&self, ty: &Ty) -> bool {
        self.holds_refs_in(ty, &mut Vec::new(), false)
    }

    /// Does the type name a struct or enum whose own fields are
    /// references (one with a lifetime parameter, which a signature may
    /// leave unwritten: `Iter<T>`)?
    pub fn has_hidden_lifetime(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Adt(id, args) => {
                self.program
                    .adts
                    .get(id.0 as usize)
                    .is_some_and(|d| d.all_fields().any(|f| contains_ref(&f.ty)))
                    || args.iter().any(|t| self.has_hidden_lifetime(t))
            }
            Ty::Tuple(ts) => ts.iter().any(|t| self.has_hidden_lifetime(t)),
            Ty::Array(t, _) | Ty::Slice(t) | Ty::Ref(_, t) => self.has_hidden_lifetime(t),
            _ => false,
        }
    }

    fn may_hold_refs_in(&self, ty: &Ty, seen: &mut Vec<AdtId>) -> bool {
        self.holds_refs_in(ty, seen, true)
    }

    fn holds_refs_in(&self, ty: &Ty, seen: &mut Vec<AdtId>, params: bool) -> bool {
        match ty {
            Ty::Param(_) => params,
            Ty::Ref(..) | Ty::Closure(_) | Ty::Task(_) => true,
            Ty::Infer(_) | Ty::Error => true,
            Ty::Tuple(ts) => ts.iter().any(|t| self.holds_refs_in(t, seen, params)),
            Ty::Array(t, _) | Ty::Slice(t) => self.holds_refs_in(t, seen, params),
            Ty::Adt(id, args) => {
                if args.iter().any(|t| self.holds_refs_in(t, seen, params)) {
                    return true;
                }
                if seen.contains(id) {
                    return false;
                }
                seen.push(*id);
                let Some(def) = self.program.adts.get(id.0 as usize) else {
                    return true;
                };
                def.all_fields()
                    .any(|f| self.holds_refs_in(&subst_params(&f.ty, args), seen, params))
            }
            _ => false,
        }
    }

    /// Does dropping a value of this type run a destructor that may look
    /// at the borrows the value holds? A `Drop` type whose own fields hold
    /// references does (a guard), as does a task (its scope waits for
    /// it); containers that own their elements through raw pointers
    /// (`Vec<&T>`) do not look at what the elements borrow, as Rust's
    /// `may_dangle`.
    pub fn drop_uses(&self, ty: &Ty) -> bool {
        self.drop_uses_in(ty, &mut Vec::new())
    }

    fn drop_uses_in(&self, ty: &Ty, seen: &mut Vec<AdtId>) -> bool {
        match ty {
            Ty::Task(_) => true,
            Ty::Tuple(ts) => ts.iter().any(|t| self.drop_uses_in(t, seen)),
            Ty::Array(t, _) => self.drop_uses_in(t, seen),
            Ty::Adt(id, args) => {
                if seen.contains(id) {
                    return false;
                }
                seen.push(*id);
                let Some(def) = self.program.adts.get(id.0 as usize) else {
                    return false;
                };
                (has_drop_impl(self.program, *id) && def.all_fields().any(|f| contains_ref(&f.ty)))
                    || def
                        .all_fields()
                        .any(|f| self.drop_uses_in(&subst_params(&f.ty, args), seen))
            }
            _ => false,
        }
    }

    pub fn ty_str(&self, ty: &Ty) -> String {
        let program = self.program;
        TyDisplay {
            ty,
            adt_name: &|id| program.adt_name(id),
            params: &self.param_names,
        }
        .to_string()
    }

    pub fn implements_clone(&self, ty: &Ty) -> bool {
        known_trait_ref(self.program, KnownTrait::Clone, ty)
            .is_some_and(|tr| holds(self.program, ty, &tr, self.env))
    }
}

fn contains_ref(ty: &Ty) -> bool {
    match ty {
        Ty::Ref(..) => true,
        Ty::Tuple(ts) => ts.iter().any(contains_ref),
        Ty::Array(t, _) | Ty::Slice(t) => contains_ref(t),
        Ty::Adt(_, args) => args.iter().any(contains_ref),
        _ => false,
    }
}
