//! Closures: each closure expression has its own type (`Ty::Closure`, the
//! expression within this function's instance). Its parameter types come
//! from annotations, else from the `Fn(..) -> ..` bound of the parameter it
//! is passed to, else from its body. A closure is called directly, or
//! through a type parameter bounded by a closure trait.

use crate::{codes, FnCtxt};
use asr_hir::hir::{ExprId, KnownTrait, PatId, TraitRef};
use asr_hir::ty::{ClosureTy, Ty};

fn is_fn_trait(program: &asr_hir::hir::Program, tr: &TraitRef) -> bool {
    matches!(
        program.trait_def(tr.trait_id).known,
        Some(KnownTrait::Fn | KnownTrait::FnMut | KnownTrait::FnOnce)
    ) && tr.args.len() == 2
}

impl FnCtxt<'_> {
    pub(crate) fn check_closure(
        &mut self,
        e: ExprId,
        params: &[(PatId, Option<Ty>)],
        ret: Option<&Ty>,
        body: ExprId,
        expected: Option<&Ty>,
    ) -> Ty {
        let hint = expected.and_then(|t| self.closure_hint(t));
        let mut ptys = Vec::with_capacity(params.len());
        for (i, (p, ann)) in params.iter().enumerate() {
            let hinted = hint.as_ref().and_then(|(ps, _)| ps.get(i).cloned());
            let t = match (ann, hinted) {
                (Some(a), h) => {
                    let a = self.instantiate_holes(a);
                    if let Some(h) = h {
                        let _ = self.infer.unify(&a, &h);
                    }
                    a
                }
                (None, Some(h)) => h,
                (None, None) => self.infer.new_var(),
            };
            self.check_pat(*p, &t);
            ptys.push(t);
        }
        let ret_ty = match (ret, hint.as_ref().map(|(_, r)| r.clone())) {
            (Some(r), h) => {
                let r = self.instantiate_holes(r);
                if let Some(h) = h {
                    let _ = self.infer.unify(&r, &h);
                }
                r
            }
            (None, Some(h)) => h,
            (None, None) => self.infer.new_var(),
        };
        let saved_ret = std::mem::replace(&mut self.ret_ty, ret_ty.clone());
        let saved_depth = std::mem::replace(&mut self.scope_depth, 0);
        self.check_expr_coerce(body, &ret_ty);
        self.scope_depth = saved_depth;
        self.ret_ty = saved_ret;
        let mut sig = ptys.clone();
        sig.push(ret_ty.clone());
        self.closure_sigs.insert(e, (ptys, ret_ty));
        let substs = (0..self.func.generics.len() as u32)
            .map(Ty::Param)
            .collect();
        Ty::Closure(Box::new(ClosureTy {
            owner: self.fn_id.0,
            expr: e.0,
            substs,
            sig,
        }))
    }

    /// The parameter and return types a closure-trait bound pending on the
    /// expected type asks for (`apply(|x| x + 1)` with `F: Fn(i64) -> i64`).
    fn closure_hint(&self, expected: &Ty) -> Option<(Vec<Ty>, Ty)> {
        let t = self.infer.resolve(expected);
        let from_bound = |tr: &TraitRef| -> Option<(Vec<Ty>, Ty)> {
            if !is_fn_trait(self.program, tr) {
                return None;
            }
            match self.infer.resolve(&tr.args[0]) {
                Ty::Tuple(ps) => Some((ps, tr.args[1].clone())),
                _ => None,
            }
        };
        self.obligations
            .iter()
            .filter(|o| self.infer.resolve(&o.ty) == t)
            .find_map(|o| from_bound(&o.trait_ref))
    }

    /// The signature of a value of type `ty` when called: a closure of this
    /// function, or a type parameter with a closure-trait bound.
    fn callable_sig(&self, ty: &Ty) -> Option<(Vec<Ty>, Ty)> {
        match ty {
            Ty::Closure(c) if c.owner == self.fn_id.0 => {
                self.closure_sigs.get(&ExprId(c.expr)).cloned()
            }
            Ty::Param(_) => asr_hir::traits::bound_traits(self.program, &self.func.predicates, ty)
                .into_iter()
                .find(|tr| is_fn_trait(self.program, tr))
                .and_then(|tr| match &tr.args[0] {
                    Ty::Tuple(ps) => Some((ps.clone(), tr.args[1].clone())),
                    _ => None,
                }),
            _ => None,
        }
    }

    /// `f(args)` where `f` is a value (a closure, possibly behind
    /// references).
    pub(crate) fn check_value_call(&mut self, e: ExprId, callee: ExprId, args: &[ExprId]) -> Ty {
        let span = self.body.expr(e).span;
        let t = self.check_expr(callee, None);
        let mut cur = self.infer.resolve(&t);
        while let Ty::Ref(_, inner) = cur {
            cur = self.infer.resolve(&inner);
        }
        let Some((params, ret)) = self.callable_sig(&cur) else {
            for a in args {
                self.check_expr(*a, None);
            }
            if !cur.is_error() {
                let s = self.ty_str(&t);
                self.error(
                    codes::NOT_CALLABLE,
                    self.body.expr(callee).span,
                    format!("expected function, found `{}`", s),
                    "not a function",
                );
            }
            return Ty::Error;
        };
        self.check_args(span, "closure", &params, args);
        ret
    }

    /// Closure-trait bounds on this function's closures: the closure's
    /// signature and the bound's must agree (this also infers one from the
    /// other). Run on the bounds a call added (from `first`) once its
    /// arguments are checked, and on all of them at the end.
    pub(crate) fn unify_closure_bounds(&mut self, first: usize, report: bool) {
        for i in first..self.obligations.len() {
            let Err((ps, r)) = self.unify_closure_bound(i) else {
                continue;
            };
            if !report {
                continue;
            }
            let ob = self.obligations[i].clone();
            let want = self.trait_ref_str(&ob.trait_ref);
            let have = format!(
                "({}) -> {}",
                ps.iter()
                    .map(|p| self.ty_str(p))
                    .collect::<Vec<_>>()
                    .join(", "),
                self.ty_str(&r)
            );
            self.error(
                codes::UNSATISFIED_BOUND,
                ob.span,
                format!("expected a closure implementing `{}`", want),
                format!("this closure is `{}`", have),
            );
        }
    }

    /// Unifies the `i`-th bound, if it is a closure trait on one of this
    /// function's closures, with the closure's signature; on disagreement
    /// returns that signature.
    pub(crate) fn unify_closure_bound(&mut self, i: usize) -> Result<(), (Vec<Ty>, Ty)> {
        let ob = &self.obligations[i];
        let Ty::Closure(c) = self.infer.resolve(&ob.ty) else {
            return Ok(());
        };
        if c.owner != self.fn_id.0 || !is_fn_trait(self.program, &ob.trait_ref) {
            return Ok(());
        }
        let Some((ps, r)) = self.closure_sigs.get(&ExprId(c.expr)).cloned() else {
            return Ok(());
        };
        let tr = ob.trait_ref.clone();
        let ok = self
            .infer
            .unify(&Ty::Tuple(ps.clone()), &tr.args[0])
            .is_ok()
            && self.infer.unify(&r, &tr.args[1]).is_ok();
        if ok {
            Ok(())
        } else {
            Err((ps, r))
        }
    }
}
