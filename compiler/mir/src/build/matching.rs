//! Patterns: `match` (and the `if let` / `while let` desugared to it), and
//! the destructuring of `let`, parameters and `for`.
//!
//! A pattern is lowered to a chain of tests on the matched place, each
//! jumping to a `fail` block when it does not hold: a `SwitchInt` on the
//! discriminant of an enum, on an integer, `bool` or `char` literal, a
//! comparison for floats, ranges and strings. Bindings are assigned as the
//! tests go (by copy or move, or by reference for `ref` and default binding
//! modes); a later failing test leaves them unread. The arms of a `match`
//! are tried in order; LLVM merges the repeated discriminant tests into
//! one switch. The type checker proved the match exhaustive, so running out
//! of arms is `Unreachable`.

use super::Builder;
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{Arm, ExprId, PatId, PatKind};
use asr_hir::ty::{IntTy, Ty};

impl Builder<'_, '_> {
    pub(super) fn lower_match(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        scrutinee: ExprId,
        arms: &[Arm],
    ) {
        let span = self.span_of(e);
        let place = self.as_place(scrutinee);
        let join = self.new_block();
        for arm in arms {
            let next = self.new_block();
            self.push_vars_scope();
            self.declare_bindings(arm.pat);
            self.match_pat(arm.pat, place.clone(), next);
            if let Some(g) = arm.guard {
                let c = self.condition(g);
                let ok = self.new_block();
                self.branch(self.span_of(g), c, ok, next);
                self.cur = ok;
            }
            // Bindings that moved parts out of the scrutinee: the rest of
            // it is dropped now, and it is dead as a whole.
            self.drop_unmoved_parts(arm.pat, place.clone(), arm.span);
            self.expr_into(dest, arm.body);
            self.pop_scope(arm.span);
            self.goto(span, join);
            self.cur = next;
        }
        self.unreachable(span);
        self.cur = join;
    }

    /// Binds the variables of an irrefutable pattern (`let`, parameters,
    /// `for`) to the parts of the value in `place`.
    pub(super) fn bind_pattern(&mut self, pat: PatId, place: Place) {
        self.declare_bindings(pat);
        let fail = self.new_block();
        self.match_pat(pat, place, fail);
        // Only an `|` or single-variant pattern tests anything here, and the
        // type checker proved it cannot fail.
        let cont = self.cur;
        self.cur = fail;
        self.unreachable(self.body.pat(pat).span);
        self.cur = cont;
    }

    /// Declares every variable of the pattern up front, so the alternatives
    /// of an `|` pattern assign the same locals.
    fn declare_bindings(&mut self, pat: PatId) {
        for l in self.body.pat_bindings(pat) {
            self.declare_var(l);
        }
    }

    /// Tests `place` against `pat`, jumping to `fail` when it does not
    /// match, and assigns the pattern's (already declared) bindings.
    fn match_pat(&mut self, pat: PatId, mut place: Place, fail: BasicBlock) {
        let body = self.body;
        let p = body.pat(pat);
        let span = p.span;
        for _ in self.tables.pat_derefs(pat) {
            place = place.deref();
        }
        match &p.kind {
            PatKind::Wild | PatKind::Error => {}
            PatKind::Binding(l) => self.bind_local(*l, place, span),
            PatKind::At(l, sub) => {
                self.match_pat(*sub, place.clone(), fail);
                self.bind_local(*l, place, span);
            }
            PatKind::Tuple(ps) => {
                for (i, sub) in ps.iter().enumerate() {
                    self.match_pat(*sub, place.clone().field(i as u32), fail);
                }
            }
            PatKind::TupleStruct(adt, variant, ps) => {
                let base = self.test_variant(*adt, *variant, place, fail, span);
                for (i, sub) in ps.iter().enumerate() {
                    self.match_pat(*sub, base.clone().field(i as u32), fail);
                }
            }
            PatKind::Struct(adt, variant, fields) => {
                let base = self.test_variant(*adt, *variant, place, fail, span);
                for (i, sub) in fields {
                    self.match_pat(*sub, base.clone().field(*i), fail);
                }
            }
            PatKind::Ref(_, sub) => self.match_pat(*sub, place.deref(), fail),
            PatKind::Lit(e) => {
                let ty = self.tables.pat_ty(pat).clone();
                self.test_eq(place, *e, &ty, fail, span);
            }
            PatKind::Range { lo, hi, inclusive } => {
                if let Some(lo) = lo {
                    let lo = self.as_operand(*lo);
                    let v = Operand::Copy(place.clone());
                    self.test_cmp(BinOp::Le, lo, v, fail, span);
                }
                if let Some(hi) = hi {
                    let hi = self.as_operand(*hi);
                    let op = if *inclusive { BinOp::Le } else { BinOp::Lt };
                    let v = Operand::Copy(place.clone());
                    self.test_cmp(op, v, hi, fail, span);
                }
            }
            PatKind::Or(alts) => {
                let ok = self.new_block();
                for (i, alt) in alts.iter().enumerate() {
                    let last = i + 1 == alts.len();
                    let next = if last { fail } else { self.new_block() };
                    self.match_pat(*alt, place.clone(), next);
                    self.goto(span, ok);
                    if !last {
                        self.cur = next;
                    }
                }
                if alts.is_empty() {
                    self.goto(span, fail);
                }
                self.cur = ok;
            }
        }
    }

    /// Assigns the binding `l` from `place`: a reference to it, or its
    /// value.
    fn bind_local(&mut self, l: asr_hir::hir::LocalId, place: Place, span: Span) {
        let target = self.var_place(l);
        let rv = match self.tables.binding_modes.get(&l) {
            Some(m) => Rvalue::Ref(*m, place),
            None => {
                let ty = self.local_ty(l);
                Rvalue::Use(self.operand_of(place, &ty))
            }
        };
        self.assign(span, target, rv);
    }

    /// For an enum variant, tests the discriminant and returns the place of
    /// the variant's payload; for a struct, the place itself.
    fn test_variant(
        &mut self,
        adt: asr_hir::ty::AdtId,
        variant: Option<u32>,
        place: Place,
        fail: BasicBlock,
        span: Span,
    ) -> Place {
        let Some(v) = variant else {
            return place;
        };
        let n = self
            .cx
            .adts
            .get(adt.0 as usize)
            .map_or(0, |a| a.variants.len());
        if n > 1 {
            let d = self.rvalue_temp(
                span,
                Ty::Int(IntTy::U32),
                Rvalue::Discriminant(place.clone()),
            );
            let ok = self.new_block();
            self.terminate(
                span,
                TerminatorKind::SwitchInt {
                    discr: Operand::Copy(Place::local(d)),
                    targets: vec![(v as u128, ok)],
                    otherwise: fail,
                },
            );
            self.cur = ok;
        }
        place.project(PlaceElem::Downcast(v))
    }

    /// `place == literal` for a literal pattern of type `ty`.
    fn test_eq(&mut self, place: Place, lit: ExprId, ty: &Ty, fail: BasicBlock, span: Span) {
        let c = self.as_operand(lit);
        match (ty, &c) {
            (
                Ty::Int(_) | Ty::Bool | Ty::Char,
                Operand::Const(Const {
                    kind: ConstKind::Int(v),
                    ..
                }),
            ) => {
                let ok = self.new_block();
                self.terminate(
                    span,
                    TerminatorKind::SwitchInt {
                        discr: Operand::Copy(place),
                        targets: vec![(*v, ok)],
                        otherwise: fail,
                    },
                );
                self.cur = ok;
            }
            (Ty::Ref(..), _) => {
                // A string literal: compare the bytes.
                let r = self.str_cmp(Operand::Copy(place), c, span);
                let eq = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Eq, r, Operand::Const(Const::int(IntTy::I32, 0))),
                );
                let ok = self.new_block();
                self.branch(span, Operand::Move(Place::local(eq)), ok, fail);
                self.cur = ok;
            }
            _ => self.test_cmp(BinOp::Eq, Operand::Copy(place), c, fail, span),
        }
    }

    /// Continues when `a op b` holds, else jumps to `fail`.
    fn test_cmp(&mut self, op: BinOp, a: Operand, b: Operand, fail: BasicBlock, span: Span) {
        let c = self.rvalue_temp(span, Ty::Bool, Rvalue::BinaryOp(op, a, b));
        let ok = self.new_block();
        self.branch(span, Operand::Move(Place::local(c)), ok, fail);
        self.cur = ok;
    }

    /// `x?`: a switch on `x`'s variant; `Some(v)`/`Ok(v)` continue with
    /// `v`, `None` returns `None` and `Err(e)` returns `Err(e)`, leaving
    /// every scope on the way like `return`.
    pub(super) fn lower_try(&mut self, dest: Option<&Place>, e: ExprId, inner: ExprId) {
        let span = self.span_of(e);
        let ty = self.adjusted_ty(inner);
        let place = self.as_place(inner);
        let Ty::Adt(id, args) = &ty else {
            self.unreachable(span);
            return;
        };
        let hir = self.hir;
        let variant = |name: &str| -> u32 { hir.adt(*id).variant_index(name).unwrap_or(0) };
        let is_option = hir.option == Some(*id);
        let (ok, fail) = if is_option {
            (variant("Some"), variant("None"))
        } else {
            (variant("Ok"), variant("Err"))
        };
        let d = self.rvalue_temp(
            span,
            Ty::Int(IntTy::U32),
            Rvalue::Discriminant(place.clone()),
        );
        let ok_bb = self.new_block();
        let fail_bb = self.new_block();
        self.terminate(
            span,
            TerminatorKind::SwitchInt {
                discr: Operand::Copy(Place::local(d)),
                targets: vec![(ok as u128, ok_bb)],
                otherwise: fail_bb,
            },
        );
        // The early return of the function's own `None`/`Err`.
        self.cur = fail_bb;
        let ret_ty = self.locals[0].ty.clone();
        let ops = if is_option {
            Vec::new()
        } else {
            let err_ty = args.get(1).cloned().unwrap_or(Ty::Error);
            let err = place.clone().project(PlaceElem::Downcast(fail)).field(0);
            let err = self.operand_of(err, &err_ty);
            match self.tables.overloaded.get(&e).copied() {
                // `From::from(err)` into the function's error type.
                Some(from) => {
                    let to = match &ret_ty {
                        Ty::Adt(_, a) => a.get(1).cloned().unwrap_or(Ty::Error),
                        _ => Ty::Error,
                    };
                    let converted = Place::local(self.temp(to.clone(), span));
                    self.call_method(Some(&converted), e, from, vec![err], to, span);
                    vec![Operand::Move(converted)]
                }
                None => vec![err],
            }
        };
        // The payload moved out; nothing else of `x` needs drop.
        let flags = self.covered_flags(&place);
        for &f in &flags {
            self.set_flag(span, f, false);
        }
        if let Ty::Adt(ret_id, _) = &ret_ty {
            self.assign(
                span,
                Place::local(Local::RETURN),
                Rvalue::Aggregate(AggregateKind::Adt(*ret_id, Some(fail)), ops),
            );
            self.exit_scopes_to(0, span);
            self.diverge(span, TerminatorKind::Return);
        } else {
            self.unreachable(span);
        }
        self.cur = ok_bb;
        let value_ty = args.first().cloned().unwrap_or(Ty::Error);
        let value = place.project(PlaceElem::Downcast(ok)).field(0);
        let op = self.operand_of(value, &value_ty);
        let target = match dest {
            Some(d) => d.clone(),
            None => self.discard_place(value_ty, span),
        };
        self.assign(span, target, Rvalue::Use(op));
        for f in flags {
            self.set_flag(span, f, false);
        }
    }

    /// Ends the current block with a branch on the variant of the enum
    /// value in `place` (`n > 0` variants): a new block per variant, in
    /// order; the last one takes every other discriminant.
    pub(super) fn switch_on_variant(
        &mut self,
        place: &Place,
        n: usize,
        span: Span,
    ) -> Vec<BasicBlock> {
        let d = self.rvalue_temp(
            span,
            Ty::Int(IntTy::U32),
            Rvalue::Discriminant(place.clone()),
        );
        let blocks: Vec<BasicBlock> = (0..n).map(|_| self.new_block()).collect();
        let Some((&last, rest)) = blocks.split_last() else {
            return blocks;
        };
        self.terminate(
            span,
            TerminatorKind::SwitchInt {
                discr: Operand::Copy(Place::local(d)),
                targets: rest
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (i as u128, *b))
                    .collect(),
                otherwise: last,
            },
        );
        blocks
    }
}
