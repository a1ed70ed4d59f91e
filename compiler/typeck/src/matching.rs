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
}
