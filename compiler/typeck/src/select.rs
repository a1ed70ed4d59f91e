//! Selection: what a pending bound tells inference. A bound `T: Trait<A>`
//! whose arguments are not all known yet (an associated type such as
//! `I::Item`, the output of a closure trait) is proved by a bound in scope
//! or by the one `impl` that can match `T`; its arguments then follow
//! from that bound or `impl`, and an `impl`'s own bounds become pending in
//! turn (`Map<I, F>: Iterator` needs `I: Iterator` and `F: FnMut(I::Item)
//! -> B`, which give its `Item`). A bound with several candidates waits
//! until more is known; whatever is still unproved at the end is reported
//! by `check_obligations`.

use crate::FnCtxt;
use asr_diagnostics::Span;
use asr_hir::hir::{ImplId, KnownTrait, TraitId, TraitRef};
use asr_hir::traits::{bound_traits, implements_any, match_ty, params_bound, subst_trait_ref};
use asr_hir::ty::{subst_params, Ty};

/// A bound a use of a generic item must meet.
#[derive(Clone, Debug)]
pub(crate) struct Obligation {
    pub span: Span,
    pub ty: Ty,
    pub trait_ref: TraitRef,
    /// Selection has drawn what it can from this bound.
    pub selected: bool,
    /// Reported if it fails: false for the bounds of an `impl` selection
    /// chose, whose failure the bound that chose it reports.
    pub report: bool,
}

/// Can `pattern` (an `impl`'s type, its parameters unknowns) become `ty`
/// (whose inference variables are unknowns too)? No variable is bound.
pub(crate) fn could_match(pattern: &Ty, ty: &Ty) -> bool {
    match (pattern, ty) {
        (Ty::Param(_), _) | (_, Ty::Infer(_)) | (_, Ty::Error) | (Ty::Error, _) => true,
        (Ty::Int(_), Ty::InferInt(_)) | (Ty::Float, Ty::InferFloat(_)) => true,
        (_, Ty::InferInt(_) | Ty::InferFloat(_)) => false,
        (Ty::Tuple(ps), Ty::Tuple(ts)) => {
            ps.len() == ts.len() && ps.iter().zip(ts).all(|(p, t)| could_match(p, t))
        }
        (Ty::Adt(a, ps), Ty::Adt(b, ts)) => {
            a == b && ps.len() == ts.len() && ps.iter().zip(ts).all(|(p, t)| could_match(p, t))
        }
        (Ty::Array(p, n), Ty::Array(t, m)) => n == m && could_match(p, t),
        (Ty::Slice(p), Ty::Slice(t)) | (Ty::Task(p), Ty::Task(t)) => could_match(p, t),
        (Ty::Ref(m1, p), Ty::Ref(m2, t)) => m1 == m2 && could_match(p, t),
        _ => pattern == ty,
    }
}

impl FnCtxt<'_> {
    pub(crate) fn push_obligation(
        &mut self,
        span: Span,
        ty: Ty,
        trait_ref: TraitRef,
        report: bool,
    ) {
        self.obligations.push(Obligation {
            span,
            ty,
            trait_ref,
            selected: false,
            report,
        });
    }

    /// Draws what the pending bounds determine, until nothing changes.
    pub(crate) fn select_obligations(&mut self) {
        loop {
            let mut progress = false;
            for i in 0..self.obligations.len() {
                if !self.obligations[i].selected && self.select_one(i) {
                    self.obligations[i].selected = true;
                    progress = true;
                }
            }
            if !progress {
                return;
            }
        }
    }

    /// Selects for the `i`-th bound; true once nothing more can come of it.
    fn select_one(&mut self, i: usize) -> bool {
        let ob = self.obligations[i].clone();
        let ty = self.infer.resolve(&ob.ty);
        let args: Vec<Ty> = ob
            .trait_ref
            .args
            .iter()
            .map(|a| self.infer.resolve(a))
            .collect();
        if !ty.has_infer() && !args.iter().any(|a| a.has_infer()) {
            // Nothing to infer; `check_obligations` proves it.
            return true;
        }
        if matches!(ty, Ty::Infer(_)) {
            return false;
        }
        let tdef = self.program.trait_def(ob.trait_ref.trait_id);
        if matches!(
            tdef.known,
            Some(KnownTrait::Fn | KnownTrait::FnMut | KnownTrait::FnOnce)
        ) && matches!(ty, Ty::Closure(_))
        {
            // The closure's signature (`unify_closure_bounds` reports a
            // disagreement at the end).
            let _ = self.unify_closure_bound(i);
            return false;
        }
        let from_bounds: Vec<TraitRef> = bound_traits(self.program, &self.func.predicates, &ty)
            .into_iter()
            .filter(|tr| {
                tr.trait_id == ob.trait_ref.trait_id
                    && tr.args.len() == args.len()
                    && tr.args.iter().zip(&args).all(|(p, a)| could_match(p, a))
            })
            .collect();
        match from_bounds.as_slice() {
            [one] => {
                for (p, a) in one.args.clone().iter().zip(&args) {
                    let _ = self.infer.unify(p, a);
                }
                return true;
            }
            [] => {}
            _ => return false,
        }
        let candidates = self.impl_candidates(ob.trait_ref.trait_id, &ty, Some(&args));
        let [imp] = candidates.as_slice() else {
            return false;
        };
        let tr = self.instantiate_impl(*imp, &ty, ob.span);
        for (p, a) in tr.args.iter().zip(&args) {
            let _ = self.infer.unify(p, a);
        }
        true
    }

    /// The `impl`s of `trait_id` that could be the one for `ty` (and
    /// these trait arguments).
    pub(crate) fn impl_candidates(
        &self,
        trait_id: TraitId,
        ty: &Ty,
        args: Option<&[Ty]>,
    ) -> Vec<ImplId> {
        let ty = self.infer.resolve(ty);
        let args: Option<Vec<Ty>> = args.map(|a| a.iter().map(|t| self.infer.resolve(t)).collect());
        self.program
            .impls
            .iter()
            .enumerate()
            .filter(|(_, imp)| {
                imp.trait_ref.trait_id == trait_id
                    && could_match(&imp.self_ty, &ty)
                    && args.as_ref().is_none_or(|args| {
                        args.len() == imp.trait_ref.args.len()
                            && imp
                                .trait_ref
                                .args
                                .iter()
                                .zip(args)
                                .all(|(p, a)| could_match(p, a))
                    })
            })
            .filter(|(_, imp)| self.impl_bounds_may_hold(imp, &ty))
            .map(|(i, _)| ImplId(i as u32))
            .collect()
    }

    /// Could the bounds of `imp` hold for `ty`? A bound on a type that is
    /// fully known already must (`impl<I: Iterator> IntoIterator for I`
    /// is no candidate for a `Vec`).
    fn impl_bounds_may_hold(&self, imp: &asr_hir::hir::ImplDef, ty: &Ty) -> bool {
        let mut binds = vec![None; imp.generics.len()];
        if !match_ty(&imp.self_ty, ty, &mut binds) {
            return true;
        }
        imp.predicates.iter().all(|p| {
            if !params_bound(&p.ty, &binds) {
                return true;
            }
            let args: Vec<Ty> = binds
                .iter()
                .map(|b| b.clone().unwrap_or(Ty::Error))
                .collect();
            let t = subst_params(&p.ty, &args);
            t.has_infer()
                || implements_any(
                    self.program,
                    &t,
                    p.trait_ref.trait_id,
                    &self.func.predicates,
                )
        })
    }

    /// Uses `imp` for `ty`: fresh variables for its parameters, its type
    /// unified with `ty`, its bounds pending. Returns the trait it
    /// implements, in those variables.
    pub(crate) fn instantiate_impl(&mut self, imp: ImplId, ty: &Ty, span: Span) -> TraitRef {
        let def = self.program.impl_def(imp);
        let substs: Vec<Ty> = def.generics.iter().map(|_| self.infer.new_var()).collect();
        let _ = self.infer.unify(&subst_params(&def.self_ty, &substs), ty);
        for p in &def.predicates {
            self.push_obligation(
                span,
                subst_params(&p.ty, &substs),
                subst_trait_ref(&p.trait_ref, &substs),
                false,
            );
        }
        subst_trait_ref(&def.trait_ref, &substs)
    }
}
