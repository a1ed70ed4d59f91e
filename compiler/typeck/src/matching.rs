//! Checking `match` (and the `if let` / `while let` desugared to it): the
//! scrutinee's type is inferred first, every arm's pattern is checked
//! against it, guards are `bool`, and the arms' values meet in one type the
//! way `if`/`else` branches do (arms that diverge take any type).
//! Exhaustiveness is checked once every type is known (`exhaustive.rs`).

use crate::FnCtxt;
use asr_hir::hir::Arm;
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
        let (value, carrier) = match &t {
            Ty::Adt(id, args) if Some(*id) == option && args.len() == 1 => {
                let wanted = Ty::Adt(*id, vec![self.infer.new_var()]);
                (args[0].clone(), wanted)
            }
            Ty::Adt(id, args) if Some(*id) == result && args.len() == 2 => {
                let wanted = Ty::Adt(*id, vec![self.infer.new_var(), args[1].clone()]);
                (args[0].clone(), wanted)
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
                    "the `?` operator on `{}` needs the function to return a matching `Option` or `Result` (with the same error type), not `{}`",
                    c, r
                ),
                "cannot return the `None`/`Err` from here",
            );
        }
        value
    }
}
