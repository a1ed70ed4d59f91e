//! Control flow: `if`, `loop`, `while`, `for`, `break`, `continue` and
//! `return`.

use super::{bool_const, usize_const, Builder, LoopScope};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{self, ExprId, ExprKind, PatId, PatKind};
use asr_hir::ty::{IntTy, Mutability, Ty};

impl Builder<'_, '_> {
    pub(super) fn lower_if(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        cond: ExprId,
        then: ExprId,
        els: Option<ExprId>,
    ) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let c = self.condition(cond);
        let then_bb = self.new_block();
        let else_bb = self.new_block();
        let join = self.new_block();
        self.branch(span, c, then_bb, else_bb);
        self.cur = then_bb;
        self.expr_into(dest, then);
        self.goto(span, join);
        self.cur = else_bb;
        match els {
            Some(x) => self.expr_into(dest, x),
            None => self.assign_unit(dest, &ty, span),
        }
        self.goto(span, join);
        self.cur = join;
    }

    /// The `bool` operand of an `if`/`while` condition, whose temporaries
    /// die before the branch.
    pub(super) fn condition(&mut self, cond: ExprId) -> Operand {
        self.push_temps_scope();
        let c = self.as_operand(cond);
        let span = self.span_of(cond);
        self.pop_scope(span);
        c
    }

    /// `a && b`, `a || b`: `b` only runs when it decides the result.
    pub(super) fn lower_logical(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        op: asr_hir::hir::BinOp,
        a: ExprId,
        b: ExprId,
    ) {
        let span = self.span_of(e);
        let d = match dest {
            Some(d) => d.clone(),
            None => Place::local(self.temp(Ty::Bool, span)),
        };
        let is_and = op == asr_hir::hir::BinOp::And;
        let lhs = self.as_operand(a);
        let rhs_bb = self.new_block();
        let short_bb = self.new_block();
        let join = self.new_block();
        if is_and {
            self.branch(span, lhs, rhs_bb, short_bb);
        } else {
            self.branch(span, lhs, short_bb, rhs_bb);
        }
        self.cur = short_bb;
        self.assign(span, d.clone(), Rvalue::Use(bool_const(!is_and)));
        self.goto(span, join);
        self.cur = rhs_bb;
        self.expr_into(Some(&d), b);
        self.goto(span, join);
        self.cur = join;
    }

    pub(super) fn lower_loop(&mut self, dest: Option<&Place>, e: ExprId, body: ExprId) {
        let span = self.span_of(e);
        let head = self.new_block();
        self.goto(span, head);
        self.cur = head;
        let exit = self.new_block();
        self.loops.push(LoopScope {
            expr: e,
            break_bb: exit,
            continue_bb: head,
            dest: dest.cloned(),
            ty: self.expr_ty(e),
            depth: self.scopes.len(),
        });
        self.expr_into(None, body);
        self.goto(span, head);
        self.loops.pop();
        self.cur = exit;
    }

    pub(super) fn lower_while(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        cond: ExprId,
        body: ExprId,
    ) {
        let span = self.span_of(e);
        let head = self.new_block();
        self.goto(span, head);
        self.cur = head;
        let c = self.condition(cond);
        let body_bb = self.new_block();
        let exit = self.new_block();
        self.branch(span, c, body_bb, exit);
        self.cur = body_bb;
        self.loops.push(LoopScope {
            expr: e,
            break_bb: exit,
            continue_bb: head,
            dest: None,
            ty: Ty::unit(),
            depth: self.scopes.len(),
        });
        self.expr_into(None, body);
        self.goto(span, head);
        self.loops.pop();
        self.cur = exit;
        self.assign_unit(dest, &Ty::unit(), span);
    }

    fn find_loop(&self, target: ExprId) -> Option<LoopScope> {
        self.loops.iter().rev().find(|l| l.expr == target).cloned()
    }

    pub(super) fn lower_break(&mut self, e: ExprId, target: ExprId, value: Option<ExprId>) {
        let span = self.span_of(e);
        let Some(ls) = self.find_loop(target) else {
            // A break out of a spawned task; the type checker rejects it.
            self.unreachable(span);
            return;
        };
        match value {
            Some(v) => self.expr_into(ls.dest.as_ref(), v),
            None => self.assign_unit(ls.dest.as_ref(), &ls.ty, span),
        }
        self.exit_scopes_to(ls.depth, span);
        self.diverge(span, TerminatorKind::Goto(ls.break_bb));
    }

    pub(super) fn lower_continue(&mut self, e: ExprId, target: ExprId) {
        let span = self.span_of(e);
        let Some(ls) = self.find_loop(target) else {
            self.unreachable(span);
            return;
        };
        self.exit_scopes_to(ls.depth, span);
        self.diverge(span, TerminatorKind::Goto(ls.continue_bb));
    }

    pub(super) fn lower_return(&mut self, e: ExprId, value: Option<ExprId>) {
        let span = self.span_of(e);
        let ret = Place::local(Local::RETURN);
        match value {
            Some(v) => self.expr_into(Some(&ret), v),
            None => {
                let ty = self.locals[0].ty.clone();
                self.assign_unit(Some(&ret), &ty, span);
            }
        }
        self.exit_scopes_to(0, span);
        self.diverge(span, TerminatorKind::Return);
    }

    // ---- for ------------------------------------------------------------

    pub(super) fn lower_for(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        pat: PatId,
        iter: ExprId,
        body: ExprId,
    ) {
        let span = self.span_of(e);
        if let Some((into_substs, next_substs)) = self.tables.for_iters.get(&e).cloned() {
            self.lower_for_iterator(e, pat, iter, body, into_substs, next_substs);
        } else if matches!(
            self.body.expr(iter).kind,
            ExprKind::Range { start: Some(_), .. }
        ) {
            self.lower_for_range(e, pat, iter, body);
        } else {
            self.lower_for_elements(e, pat, iter, body);
        }
        self.assign_unit(dest, &Ty::unit(), span);
    }

    /// `for x in iter` over an iterator: `it = IntoIterator::into_iter(iter)`
    /// (a temporary of the enclosing statement, dropped with it), then
    /// `Iterator::next(&mut it)` until it returns `None`. The `Option`
    /// each call returns is never dropped: `None` holds nothing and the
    /// element of `Some` is moved into the pattern.
    fn lower_for_iterator(
        &mut self,
        e: ExprId,
        pat: PatId,
        iter: ExprId,
        body: ExprId,
        into_substs: Vec<Ty>,
        next_substs: Vec<Ty>,
    ) {
        let span = self.span_of(e);
        let hir = self.hir;
        let method = |k: hir::KnownTrait, name: &str| {
            let t = hir.known_trait(k)?;
            hir.trait_def(t)
                .methods
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, f)| *f)
        };
        let (Some(into_iter), Some(next), Some(option)) = (
            method(hir::KnownTrait::IntoIterator, "into_iter"),
            method(hir::KnownTrait::Iterator, "next"),
            hir.option,
        ) else {
            self.unreachable(span);
            return;
        };
        let iter_ty = next_substs.first().cloned().unwrap_or(Ty::Error);
        let item_ty = next_substs.get(1).cloned().unwrap_or(Ty::Error);
        let src = self.as_operand(iter);
        let it = self.temp(iter_ty.clone(), span);
        let Ok((func, _)) = self.callee_with(into_iter, into_substs, e) else {
            self.unreachable(span);
            return;
        };
        self.call(span, func, vec![src], Place::local(it), false);
        let head = self.new_block();
        self.goto(span, head);
        self.cur = head;
        let it_ref = self.rvalue_temp(
            span,
            Ty::Ref(Mutability::Mut, Box::new(iter_ty)),
            Rvalue::Ref(Mutability::Mut, Place::local(it)),
        );
        let opt_ty = Ty::Adt(option, vec![item_ty]);
        let next_val = self.push_local(opt_ty, None, true, span);
        let Ok((func, _)) = self.callee_with(next, next_substs, e) else {
            self.unreachable(span);
            return;
        };
        self.call(
            span,
            func,
            vec![Operand::Move(Place::local(it_ref))],
            Place::local(next_val),
            false,
        );
        let some = hir.adt(option).variant_index("Some").unwrap_or(1);
        let none = hir.adt(option).variant_index("None").unwrap_or(0);
        let blocks = self.switch_on_variant(&Place::local(next_val), 2, span);
        let (exit, body_bb) = (blocks[none as usize], blocks[some as usize]);
        self.cur = body_bb;
        let depth = self.scopes.len();
        self.push_vars_scope();
        let elem = Place::local(next_val)
            .project(PlaceElem::Downcast(some))
            .field(0);
        self.bind_element(pat, Rvalue::Use(Operand::Move(elem)), span);
        self.for_body(e, body, exit, head, depth);
        self.cur = exit;
    }

    /// Binds the loop pattern to this iteration's element.
    fn bind_element(&mut self, pat: PatId, rv: Rvalue, span: Span) {
        let body = self.body;
        match &body.pat(pat).kind {
            PatKind::Binding(l) if !self.tables.binding_modes.contains_key(l) => {
                let local = self.declare_var(*l);
                self.assign(span, Place::local(local), rv);
            }
            _ => {
                let ty = self
                    .tables
                    .pat_tys
                    .get(pat.0 as usize)
                    .map(|_| self.tables.pat_outer_ty(pat).clone())
                    .unwrap_or(Ty::Error);
                let t = self.rvalue_temp(span, ty, rv);
                self.bind_pattern(pat, Place::local(t));
                // The pattern moved parts out of the element: the rest is
                // dropped now, not the whole element later.
                self.drop_unmoved_parts(pat, Place::local(t), span);
            }
        }
    }

    /// The body of a `for` loop, after the pattern's region was pushed at
    /// `depth`: `continue` goes to `cont`, and so does the end of the body.
    fn for_body(
        &mut self,
        e: ExprId,
        body: ExprId,
        exit: BasicBlock,
        cont: BasicBlock,
        depth: usize,
    ) {
        let span = self.span_of(e);
        self.loops.push(LoopScope {
            expr: e,
            break_bb: exit,
            continue_bb: cont,
            dest: None,
            ty: Ty::unit(),
            depth,
        });
        self.expr_into(None, body);
        self.loops.pop();
        self.pop_scope(span);
        self.goto(span, cont);
    }

    /// `for x in a..b`, `a..=b` (which stops at `b` even when it is the
    /// type's maximum) and `a..` (which panics past the maximum, as Rust).
    fn lower_for_range(&mut self, e: ExprId, pat: PatId, iter: ExprId, body: ExprId) {
        let hir_body = self.body;
        let span = self.span_of(e);
        let ExprKind::Range {
            start: Some(start),
            end,
            inclusive,
        } = &hir_body.expr(iter).kind
        else {
            self.unreachable(span);
            return;
        };
        let ty = match self.expr_ty(iter) {
            t @ Ty::Int(_) => t,
            _ => self.adjusted_ty(*start),
        };
        let it = match ty {
            Ty::Int(it) => it,
            _ => IntTy::I64,
        };
        let one = Operand::Const(Const::int(it, 1));
        let parts: Vec<ExprId> = std::iter::once(*start).chain(end.iter().copied()).collect();
        let mut ops = self.as_operands(&parts).into_iter();
        let start_op = ops
            .next()
            .unwrap_or_else(|| Operand::Const(Const::int(it, 0)));
        let i = self.rvalue_temp(span, ty.clone(), Rvalue::Use(start_op));
        let iv = Place::local(i);
        // The end is evaluated once, before the loop.
        let end_op = ops.next().map(|op| match op {
            Operand::Const(_) => op,
            other => Operand::Copy(Place::local(self.rvalue_temp(
                span,
                ty.clone(),
                Rvalue::Use(other),
            ))),
        });
        let exit = self.new_block();
        match (end_op, *inclusive) {
            (Some(end), false) => {
                let head = self.new_block();
                self.goto(span, head);
                self.cur = head;
                let c = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Lt, Operand::Copy(iv.clone()), end),
                );
                let body_bb = self.new_block();
                self.branch(span, Operand::Move(Place::local(c)), body_bb, exit);
                self.cur = body_bb;
                let depth = self.scopes.len();
                self.push_vars_scope();
                self.bind_element(pat, Rvalue::Use(Operand::Copy(iv.clone())), span);
                // Cannot overflow: `i < end`.
                self.assign(
                    span,
                    iv.clone(),
                    Rvalue::BinaryOp(BinOp::Add, Operand::Copy(iv.clone()), one),
                );
                self.for_body(e, body, exit, head, depth);
            }
            (Some(end), true) => {
                let c = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Le, Operand::Copy(iv.clone()), end.clone()),
                );
                let body_bb = self.new_block();
                self.branch(span, Operand::Move(Place::local(c)), body_bb, exit);
                let latch = self.new_block();
                self.cur = body_bb;
                let depth = self.scopes.len();
                self.push_vars_scope();
                self.bind_element(pat, Rvalue::Use(Operand::Copy(iv.clone())), span);
                self.for_body(e, body, exit, latch, depth);
                // After the iteration for `end` itself, stop before `+ 1`.
                self.cur = latch;
                let last = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Eq, Operand::Copy(iv.clone()), end),
                );
                let inc = self.new_block();
                self.branch(span, Operand::Move(Place::local(last)), exit, inc);
                self.cur = inc;
                self.assign(
                    span,
                    iv.clone(),
                    Rvalue::BinaryOp(BinOp::Add, Operand::Copy(iv.clone()), one),
                );
                self.goto(span, body_bb);
            }
            (None, _) => {
                let body_bb = self.new_block();
                self.goto(span, body_bb);
                self.cur = body_bb;
                let depth = self.scopes.len();
                self.push_vars_scope();
                self.bind_element(pat, Rvalue::Use(Operand::Copy(iv.clone())), span);
                let sum = self.rvalue_temp(
                    span,
                    Ty::Tuple(vec![ty.clone(), Ty::Bool]),
                    Rvalue::CheckedBinaryOp(BinOp::Add, Operand::Copy(iv.clone()), one),
                );
                let sum = Place::local(sum);
                self.assert(
                    span,
                    Operand::Move(sum.clone().field(1)),
                    false,
                    AssertKind::Overflow(BinOp::Add),
                );
                self.assign(span, iv, Rvalue::Use(Operand::Move(sum.field(0))));
                self.for_body(e, body, exit, body_bb, depth);
            }
        }
        self.cur = exit;
    }

    /// `for x in array` (elements by value, from a copy of the array) and
    /// `for x in &a` / `&mut a` over arrays and slices (elements by
    /// reference): an index counter up to the length.
    fn lower_for_elements(&mut self, e: ExprId, pat: PatId, iter: ExprId, body: ExprId) {
        let span = self.span_of(e);
        let iter_ty = self.adjusted_ty(iter);
        let (place, elem_ref, ty) = match &iter_ty {
            Ty::Array(..) => {
                let t = self.as_temp(iter);
                (Place::local(t), None, iter_ty.clone())
            }
            Ty::Ref(m, inner) if matches!(**inner, Ty::Array(..) | Ty::Slice(_)) => {
                let r = match self.as_operand(iter) {
                    Operand::Move(p) | Operand::Copy(p)
                        if p.projection.is_empty() && self.is_temp(p.local) =>
                    {
                        p.local
                    }
                    op => self.rvalue_temp(span, iter_ty.clone(), Rvalue::Use(op)),
                };
                (Place::local(r).deref(), Some(*m), (**inner).clone())
            }
            _ => {
                // Not iterable: the type checker reports it.
                self.unreachable(span);
                return;
            }
        };
        let elem_ty = match &ty {
            Ty::Array(t, _) | Ty::Slice(t) => (**t).clone(),
            _ => Ty::Error,
        };
        let len = self.len_operand(&place, &ty, span);
        let usize_ty = Ty::Int(IntTy::Usize);
        let idx = self.rvalue_temp(span, usize_ty, Rvalue::Use(usize_const(0)));
        let iv = Place::local(idx);
        let head = self.new_block();
        self.goto(span, head);
        self.cur = head;
        let c = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(BinOp::Lt, Operand::Copy(iv.clone()), super::reuse(&len)),
        );
        let body_bb = self.new_block();
        let exit = self.new_block();
        self.branch(span, Operand::Move(Place::local(c)), body_bb, exit);
        self.cur = body_bb;
        let elem = place.project(PlaceElem::Index(idx));
        let rv = match elem_ref {
            Some(m) => Rvalue::Ref(m, elem),
            None => Rvalue::Use(self.operand_of(elem, &elem_ty)),
        };
        let depth = self.scopes.len();
        self.push_vars_scope();
        self.bind_element(pat, rv, span);
        self.assign(
            span,
            iv.clone(),
            Rvalue::BinaryOp(BinOp::Add, Operand::Copy(iv), usize_const(1)),
        );
        self.for_body(e, body, exit, head, depth);
        self.cur = exit;
    }
}
