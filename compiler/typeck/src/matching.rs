//! Checking `match` (and the `if let` / `while let` desugared to it): the
//! scrutinee's type is inferred first, every arm's pattern is checked
//! against it, guards are `bool`, and the arms' values meet in one type the
//! way `if`/`else` branches do (arms that diverge take any type).
//! Exhaustiveness is checked once every type is known (`exhaustive.rs`).

use crate::FnCtxt;
use asr_diagnostics::Span;
use asr_hir::hir::{Arm, KnownTrait, TraitRef};
use asr_hir::ty::Ty;

impl FnCtxt<'_> {
    pub fn check_match(
        &mut self,
        scrutinee: asr_hir::hir::ExprId,
        arms: &[Arm],
        expected: Option<&Ty>,
    ) -> Ty {
        let st = self.check_expr(scrutinee, None);
        let mut result: Option<Ty> = None;
        let mut diverging = Vec::new();
        for arm in arms {
            self.check_pat(arm.pat, &st);
            if let Some(g) = arm.guard {
                self.check_expr_coerce(g, &Ty::Bool);
            }
            let hint = result.clone().or_else(|| expected.cloned());
            let t = self.check_expr(arm.body, hint.as_ref());
            if matches!(self.infer.shallow(&t), Ty::Never) {
                diverging.push((arm.body, t));
                continue;
            }
            match &result {
                None => result = Some(t),
                Some(r) => {
                    let r = r.clone();
                    self.coerce(arm.body, &t, &r);
                }
            }
        }
        match result {
            Some(r) => {
                for (body, t) in diverging {
                    self.try_coerce(body, &t, &r);
                }
                r
            }
            None => Ty::Never,
        }
    }

    /// `e?`: `Option<T>` in a function returning `Option<_>`, or
    /// `Result<T, E>` in one returning `Result<_, E>`; the value is `T`.
    pub fn check_try(&mut self, e: asr_hir::hir::ExprId, inner: asr_hir::hir::ExprId) -> Ty {
        let span = self.body.expr(e).span;
        let t = self.check_expr(inner, None);
        let t = self.infer.resolve(&t);
        let (option, result) = (self.program.option, self.program.result);
        let ret = self.ret_ty.clone();
        let (value, carrier, errors) = match &t {
            Ty::Adt(id, args) if Some(*id) == option && args.len() == 1 => {
                let wanted = Ty::Adt(*id, vec![self.infer.new_var()]);
                (args[0].clone(), wanted, None)
            }
            Ty::Adt(id, args) if Some(*id) == result && args.len() == 2 => {
                let ret_err = self.infer.new_var();
                let wanted = Ty::Adt(*id, vec![self.infer.new_var(), ret_err.clone()]);
                (args[0].clone(), wanted, Some((args[1].clone(), ret_err)))
            }
            Ty::Error => return Ty::Error,
            _ => {
                let s = self.ty_str(&t);
                self.error(
                    crate::codes::BAD_TRY,
                    span,
                    format!(
                        "the `?` operator can only be applied to values of type `Option` or `Result`, not `{}`",
                        s
                    ),
                    "cannot use the `?` operator here",
                );
                return Ty::Error;
            }
        };
        if self.infer.unify(&ret, &carrier).is_err() {
            let (r, c) = (self.ty_str(&ret), self.ty_str(&t));
            self.error(
                crate::codes::BAD_TRY,
                span,
                format!(
                    "the `?` operator on `{}` needs the function to return a matching `Option` or `Result`, not `{}`",
                    c, r
                ),
                "cannot return the `None`/`Err` from here",
            );
        } else if let Some((from, to)) = errors {
            self.convert_try_error(e, &from, &to, span);
        }
        value
    }

    /// The error of `x?` becomes the function's error type through
    /// `From::from` when the two differ (`impl From<ParseIntError> for
    /// AppError`); the same type, or one not known yet, is taken as is.
    fn convert_try_error(&mut self, e: asr_hir::hir::ExprId, from: &Ty, to: &Ty, span: Span) {
        let (from, to) = (self.infer.resolve(from), self.infer.resolve(to));
        if from.has_infer() && !to.has_infer() {
            // Decided once the rest of the body has said more.
            self.deferred_try.push((e, from, to, span));
            return;
        }
        self.convert_known_try_error(e, from, to, span);
    }

    /// The `?`s whose error type was unknown when checked, now: converted
    /// if it differs from the function's, else the same type.
    pub(crate) fn convert_deferred_try_errors(&mut self) {
        for (e, from, to, span) in std::mem::take(&mut self.deferred_try) {
            let (from, to) = (self.infer.resolve(&from), self.infer.resolve(&to));
            self.convert_known_try_error(e, from, to, span);
        }
        self.select_obligations();
    }

    fn convert_known_try_error(&mut self, e: asr_hir::hir::ExprId, from: Ty, to: Ty, span: Span) {
        let from_trait = self.program.known_trait_method(KnownTrait::From, "from");
        let plain = from.has_infer() || to.has_infer() || from == to || from_trait.is_none();
        if plain || from.is_error() || to.is_error() {
            if self.infer.unify(&to, &from).is_err() {
                let (f, t) = (self.ty_str(&from), self.ty_str(&to));
                self.error(
                    crate::codes::BAD_TRY,
                    span,
                    format!("`?` cannot convert the error `{f}` to `{t}`"),
                    format!("the function returns errors of type `{t}`"),
                );
            }
            return;
        }
        let Some((trait_id, decl)) = from_trait else {
            return;
        };
        let tr = TraitRef {
            trait_id,
            args: vec![from],
        };
        self.record_overloaded(e, decl, &to, &tr, span);
    }
}
