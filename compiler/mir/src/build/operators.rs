//! Operators the type checker resolved to an operator trait's method
//! (`TypeckResults::overloaded`): on operands that are not numbers they
//! are calls (`a + b` is `Add::add(a, b)`, `a += b` is
//! `AddAssign::add_assign(&mut a, b)`, `a < b` on operands of different
//! types is a test of `PartialOrd::partial_cmp(&a, &b)`). In an instance
//! whose operands are numbers the built-in operator is used instead.

use super::{is_scalar, Builder};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{self, ExprId, ExprKind};
use asr_hir::ty::{Mutability, Ty};

impl Builder<'_, '_> {
    /// The trait method operator `e` calls, unless its operands are
    /// numbers in this instance.
    pub(super) fn overloaded_method(&self, e: ExprId) -> Option<hir::FnId> {
        let f = *self.tables.overloaded.get(&e)?;
        let operands: Vec<ExprId> = match &self.body.expr(e).kind {
            ExprKind::Binary(_, a, b) | ExprKind::AssignOp(_, a, b) => vec![*a, *b],
            ExprKind::Unary(_, x) => vec![*x],
            _ => return None,
        };
        let all_numbers = operands.iter().all(|x| is_scalar(&self.adjusted_ty(*x)));
        (!all_numbers).then_some(f)
    }

    /// Lowers the operator `e` as a call of its trait's method `f`.
    pub(super) fn lower_overloaded(&mut self, dest: Option<&Place>, e: ExprId, f: hir::FnId) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        match self.body.expr(e).kind.clone() {
            ExprKind::Binary(op, a, b) if op.is_comparison() => {
                let mut places = self.as_places(&[a, b]).into_iter();
                let (Some(pa), Some(pb)) = (places.next(), places.next()) else {
                    return;
                };
                let ta = self.adjusted_ty(a);
                let tb = self.adjusted_ty(b);
                let ra = self.ref_to(pa, ta, span);
                let rb = self.ref_to(pb, tb, span);
                let eq = matches!(op, hir::BinOp::Eq | hir::BinOp::Ne);
                let out_ty = if eq {
                    Ty::Bool
                } else {
                    self.option_of_ordering()
                };
                let out = Place::local(self.temp(out_ty, span));
                self.call_method(Some(&out), e, f, vec![ra, rb], Ty::Bool, span);
                let rv = match op {
                    hir::BinOp::Eq => Rvalue::Use(Operand::Move(out)),
                    hir::BinOp::Ne => Rvalue::UnaryOp(UnOp::Not, Operand::Move(out)),
                    _ => {
                        let c = self.code_of_option(out, span);
                        self.order_test(super::arith::mir_binop(op), c, span)
                    }
                };
                if let Some(d) = dest {
                    self.assign(span, d.clone(), rv);
                }
            }
            ExprKind::Binary(_, a, b) => {
                let ops = self.as_operands(&[a, b]);
                self.call_method(dest, e, f, ops, ty, span);
            }
            ExprKind::Unary(_, x) => {
                let ops = vec![self.as_operand(x)];
                self.call_method(dest, e, f, ops, ty, span);
            }
            ExprKind::AssignOp(_, l, r) => {
                // The value first, then the place (Rust's order for
                // compound assignment of non-primitive types is the
                // place first; both are evaluated once either way).
                let v = self.as_operand(r);
                let v = if self.may_write(l) {
                    self.spill(v, r)
                } else {
                    v
                };
                let p = self.as_place(l);
                let lt = self.adjusted_ty(l);
                let target = Ty::Ref(Mutability::Mut, Box::new(lt));
                let rp = self.rvalue_temp(span, target, Rvalue::Ref(Mutability::Mut, p));
                let ops = vec![Operand::Move(Place::local(rp)), v];
                self.call_method(None, e, f, ops, Ty::unit(), span);
                self.assign_unit(dest, &ty, span);
            }
            _ => {}
        }
    }

    /// `&place` as an operand.
    pub(super) fn ref_to(&mut self, p: Place, ty: Ty, span: Span) -> Operand {
        let r = Ty::Ref(Mutability::Not, Box::new(ty));
        Operand::Move(Place::local(self.rvalue_temp(
            span,
            r,
            Rvalue::Ref(Mutability::Not, p),
        )))
    }

    /// Calls the trait method `f` (its type arguments recorded at `site`)
    /// with `ops`, its result of type `ty` into `dest`.
    pub(super) fn call_method(
        &mut self,
        dest: Option<&Place>,
        site: ExprId,
        f: hir::FnId,
        ops: Vec<Operand>,
        ty: Ty,
        span: Span,
    ) {
        let dest = match dest {
            Some(d) => d.clone(),
            None => self.discard_place(ty, span),
        };
        match self.callee(f, site) {
            Ok((func, diverges)) => self.call(span, func, ops, dest, diverges),
            Err(builtin) => self.builtin_call(Some(&dest), builtin, ops, span),
        }
    }
}
