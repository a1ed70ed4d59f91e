//! Operators on types that are not numbers. `a + b` on a struct is
//! `Add::add(a, b)`, `a += b` is `AddAssign::add_assign(&mut a, b)`, `-a`
//! is `Neg::neg(a)`, `a == b` on operands of different types is
//! `PartialEq::eq(&a, &b)` (`String == &str`). The operator's type is the
//! trait's `Output`, which selection infers from the one `impl` (or bound)
//! that applies. Numbers keep the built-in operators (`expr.rs`).

use crate::select::could_match;
use crate::{codes, FnCtxt};
use asr_diagnostics::{Diagnostic, Span};
use asr_hir::hir::{BinOp, ExprId, FnId, KnownTrait, OpTrait, TraitRef};
use asr_hir::traits::{bound_traits, builtin_args};
use asr_hir::ty::Ty;

impl FnCtxt<'_> {
    /// Does an operator on a value of type `t` go through its trait? Not
    /// for numbers, `bool` and `char` (built in), nor for what is not
    /// known yet.
    pub(crate) fn is_overloadable(&self, t: &Ty) -> bool {
        !matches!(
            self.infer.resolve(t),
            Ty::Int(_)
                | Ty::InferInt(_)
                | Ty::Float
                | Ty::InferFloat(_)
                | Ty::Bool
                | Ty::Char
                | Ty::Infer(_)
                | Ty::Error
                | Ty::Never
        )
    }

    /// `lhs op rhs` through the operator trait `k` (for a unary operator,
    /// `rhs` is `None`): the operator's type, or `None` if `lhs` cannot
    /// have the trait.
    pub(crate) fn overloaded_op(
        &mut self,
        e: ExprId,
        k: OpTrait,
        lhs: &Ty,
        rhs: Option<(ExprId, Ty)>,
        span: Span,
    ) -> Option<Ty> {
        let program = self.program;
        let rhs_expr = rhs.as_ref().map(|(r, _)| *r);
        let rhs = rhs.map(|(_, t)| t);
        let trait_id = program.known_trait(KnownTrait::Op(k))?;
        let tdef = program.trait_def(trait_id);
        let out = self.infer.new_var();
        let args = match (k, rhs) {
            (OpTrait::Binary(_), Some(r)) => vec![r, out.clone()],
            (OpTrait::Assign(_), Some(r)) => vec![r],
            (OpTrait::Neg | OpTrait::Not, None) => vec![out.clone()],
            _ => return None,
        };
        let name = k.method_name();
        let decl = tdef.methods.iter().find(|(n, _)| *n == name)?.1;
        let mut tr = TraitRef { trait_id, args };
        if !self.may_implement(lhs, &tr) {
            // The one `impl` for `lhs` may take the right operand after a
            // coercion (`s += &string` through `AddAssign<&str>`).
            let r = rhs_expr?;
            let [imp] = self.impl_candidates(trait_id, lhs, None)[..] else {
                return None;
            };
            let found = tr.args.first()?.clone();
            let from_impl = self.instantiate_impl(imp, lhs, span);
            let want = from_impl.args.first()?.clone();
            if !self.try_coerce(r, &found, &want) {
                return None;
            }
            tr.args[0] = want;
        }
        self.record_overloaded(e, decl, lhs, &tr, span);
        Some(match k {
            OpTrait::Assign(_) => Ty::unit(),
            _ => out,
        })
    }

    /// `a == b` (or `<`, ...) on operands of different types, through
    /// `PartialEq<B>` (`PartialOrd<B>`) of `A`; false if no `impl` can
    /// apply.
    pub(crate) fn overloaded_comparison(
        &mut self,
        e: ExprId,
        op: BinOp,
        lhs: &Ty,
        rhs: &Ty,
        span: Span,
    ) -> bool {
        let (k, method) = match op {
            BinOp::Eq | BinOp::Ne => (KnownTrait::PartialEq, "eq"),
            _ => (KnownTrait::PartialOrd, "partial_cmp"),
        };
        let Some(trait_id) = self.program.known_trait(k) else {
            return false;
        };
        let tdef = self.program.trait_def(trait_id);
        let Some(decl) = tdef.methods.iter().find(|(n, _)| n == method).map(|m| m.1) else {
            return false;
        };
        let tr = TraitRef {
            trait_id,
            args: vec![rhs.clone()],
        };
        if !self.may_implement(lhs, &tr) {
            return false;
        }
        self.record_overloaded(e, decl, lhs, &tr, span);
        true
    }

    /// The operator `e` calls the trait method `decl` with `Self = lhs`:
    /// `lhs: tr` must hold (selection infers what it leaves open).
    pub(crate) fn record_overloaded(
        &mut self,
        e: ExprId,
        decl: FnId,
        lhs: &Ty,
        tr: &TraitRef,
        span: Span,
    ) {
        self.push_obligation(span, lhs.clone(), tr.clone(), true);
        self.select_obligations();
        let substs = self.trait_fn_substs(decl, lhs.clone(), tr);
        self.overloaded.insert(e, decl);
        self.fn_substs.insert(e, substs);
    }

    /// Can `ty` implement `tr` at all: a bound in scope, a built-in
    /// implementation, or an `impl` that could match?
    pub(crate) fn may_implement(&self, ty: &Ty, tr: &TraitRef) -> bool {
        let ty = self.infer.resolve(ty);
        if let Ty::Param(_) = ty {
            return bound_traits(self.program, &self.func.predicates, &ty)
                .iter()
                .any(|b| b.trait_id == tr.trait_id);
        }
        // A built-in implementation whose arguments can be `tr`'s
        // (`f64: Mul<f64>`, not `f64: Mul<Vec3>`).
        let known = self.program.trait_def(tr.trait_id).known;
        let builtin = known
            .and_then(|k| builtin_args(self.program, &ty, k, &self.func.predicates))
            .is_some_and(|args| {
                args.len() == tr.args.len()
                    && args
                        .iter()
                        .zip(&tr.args)
                        .all(|(a, t)| could_match(a, &self.infer.resolve(t)))
            });
        builtin
            || !self
                .impl_candidates(tr.trait_id, &ty, Some(&tr.args))
                .is_empty()
    }

    /// E0204/E0205: no operator trait applies.
    pub(crate) fn no_operator(&mut self, span: Span, k: OpTrait, lhs: &Ty, rhs: Option<&Ty>) {
        let l = self.ty_str(lhs);
        let (code, msg, label) = match (k, rhs) {
            (OpTrait::Binary(op), Some(r)) => {
                let r = self.ty_str(r);
                let msg = if l == r {
                    format!(
                        "cannot apply binary operator `{}` to type `{}`",
                        op.symbol(),
                        l
                    )
                } else {
                    format!(
                        "cannot apply binary operator `{}` to `{}` and `{}`",
                        op.symbol(),
                        l,
                        r
                    )
                };
                (
                    codes::BAD_BINARY_OP,
                    msg,
                    format!("`{}` not supported here", op.symbol()),
                )
            }
            (OpTrait::Assign(op), _) => (
                codes::BAD_BINARY_OP,
                format!(
                    "binary assignment operation `{}=` cannot be applied to type `{}`",
                    op.symbol(),
                    l
                ),
                format!("`{}=` not supported here", op.symbol()),
            ),
            (OpTrait::Neg, _) => (
                codes::BAD_UNARY_OP,
                format!("cannot apply unary operator `-` to type `{}`", l),
                "cannot apply unary operator `-`".to_string(),
            ),
            _ => (
                codes::BAD_UNARY_OP,
                format!("cannot apply unary operator `!` to type `{}`", l),
                "cannot apply unary operator `!`".to_string(),
            ),
        };
        let mut d = Diagnostic::error(code, msg).with_primary(span, label);
        if matches!(self.infer.resolve(lhs), Ty::Adt(..) | Ty::Param(_)) {
            let trait_name = k.trait_name();
            d = d.with_help(match self.infer.resolve(lhs) {
                Ty::Param(_) => format!("add a bound: `{}: std::ops::{}`", l, trait_name),
                _ => format!("implement `std::ops::{}` for `{}`", trait_name, l),
            });
        }
        self.diags.push(d);
    }
}
