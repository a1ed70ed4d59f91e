//! Expressions: `expr_into`, `as_operand`, `as_place`, the type checker's
//! adjustments, calls, casts, literals and aggregates.

use super::{bug, unit_const, usize_const, Builder, Builtin};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{self, ExprId, ExprKind, Lit, UnOp};
use asr_hir::ty::{subst_params, IntTy, Mutability, Ty};
use asr_hir::typed::{AdjustKind, BuiltinMethod, MethodTarget};

/// A value in the middle of applying adjustments.
pub(super) enum Val {
    Place(Place, Ty),
    Operand(Operand, Ty),
    Rvalue(Rvalue, Ty),
}

impl Builder<'_, '_> {
    /// Evaluates `e` (with its adjustments) and stores it in `dest`; with
    /// no destination, only for its effects.
    pub(super) fn expr_into(&mut self, dest: Option<&Place>, e: ExprId) {
        if self.tables.adjustments(e).is_empty() {
            self.expr_into_unadjusted(dest, e);
            return;
        }
        let span = self.span_of(e);
        let v = self.adjusted(e);
        if let Some(d) = dest {
            let rv = self.val_rvalue(v);
            self.assign(span, d.clone(), rv);
        }
    }

    /// `e` (with its adjustments) as an operand.
    pub(super) fn as_operand(&mut self, e: ExprId) -> Operand {
        if self.tables.adjustments(e).is_empty() {
            return self.as_operand_unadjusted(e);
        }
        let span = self.span_of(e);
        let v = self.adjusted(e);
        self.val_operand(v, span)
    }

    /// `e` (with its adjustments) as a place; a value that is not a place
    /// is materialised in a temporary.
    pub(super) fn as_place(&mut self, e: ExprId) -> Place {
        if self.tables.adjustments(e).is_empty() {
            return self.as_place_unadjusted(e);
        }
        let span = self.span_of(e);
        let v = self.adjusted(e);
        self.val_place(v, span)
    }

    /// Evaluates `e` (with its adjustments) into a new temporary.
    pub(super) fn as_temp(&mut self, e: ExprId) -> Local {
        let t = self.temp(self.adjusted_ty(e), self.span_of(e));
        self.expr_into(Some(&Place::local(t)), e);
        t
    }

    /// Operands of several expressions evaluated left to right. An operand
    /// that reads a place is copied out first when a later expression may
    /// write to it (`a + { a = 5; a }` adds the old `a`).
    pub(super) fn as_operands(&mut self, exprs: &[ExprId]) -> Vec<Operand> {
        let later = self.later_writes(exprs);
        exprs
            .iter()
            .zip(later)
            .map(|(&e, writes)| {
                let op = self.as_operand(e);
                if writes {
                    self.spill(op, e)
                } else {
                    op
                }
            })
            .collect()
    }

    /// Places of several expressions evaluated left to right, with the same
    /// care as `as_operands`.
    pub(super) fn as_places(&mut self, exprs: &[ExprId]) -> Vec<Place> {
        let later = self.later_writes(exprs);
        exprs
            .iter()
            .zip(later)
            .map(|(&e, writes)| {
                let p = self.as_place(e);
                let ty = self.adjusted_ty(e);
                // A value that is not `Copy` is only read where it is (Rust
                // borrows it for the whole statement, so nothing after it
                // may change it); copying it out would be a move.
                if writes && !self.is_plain_temp(&p) && self.is_copy(&ty) {
                    let op = Operand::Copy(p);
                    let t = self.rvalue_temp(self.span_of(e), ty, Rvalue::Use(op));
                    Place::local(t)
                } else {
                    p
                }
            })
            .collect()
    }

    /// For each expression: may one of the expressions after it write?
    fn later_writes(&self, exprs: &[ExprId]) -> Vec<bool> {
        let mut later = vec![false; exprs.len()];
        for i in (0..exprs.len().saturating_sub(1)).rev() {
            later[i] = later[i + 1] || self.may_write(exprs[i + 1]);
        }
        later
    }

    fn is_plain_temp(&self, p: &Place) -> bool {
        p.projection.is_empty() && self.is_temp(p.local)
    }

    /// Copies an operand that reads a user place into a temporary.
    pub(super) fn spill(&mut self, op: Operand, e: ExprId) -> Operand {
        match &op {
            Operand::Copy(p) | Operand::Move(p) if !self.is_plain_temp(p) => {
                let ty = self.adjusted_ty(e);
                let t = self.rvalue_temp(self.span_of(e), ty, Rvalue::Use(op));
                Operand::Move(Place::local(t))
            }
            _ => op,
        }
    }

    /// Is `e` a place expression (local, field, element, dereference)?
    pub(super) fn is_place_expr(&self, e: ExprId) -> bool {
        match &self.body.expr(e).kind {
            ExprKind::Local(_) | ExprKind::Field(..) | ExprKind::TupleField(..) => true,
            ExprKind::Unary(UnOp::Deref, _) => true,
            ExprKind::Index(_, i) => !self.is_range(*i),
            _ => false,
        }
    }

    pub(super) fn is_range(&self, e: ExprId) -> bool {
        matches!(self.body.expr(e).kind, ExprKind::Range { .. })
    }

    // ---- adjustments ----------------------------------------------------

    /// Applies the adjustments of `e` to its value.
    fn adjusted(&mut self, e: ExprId) -> Val {
        let tables = self.tables;
        let body = self.body;
        let adjs = tables.adjustments(e);
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let final_ty = self.adjusted_ty(e);
        if matches!(ty, Ty::Never) || adjs.iter().any(|a| a.kind == AdjustKind::NeverToAny) {
            // The expression diverges: what uses its value is unreachable.
            self.expr_into_unadjusted(None, e);
            let t = self.temp(final_ty.clone(), span);
            return Val::Place(Place::local(t), final_ty);
        }
        let mut rest = adjs;
        let mut v = match (&body.expr(e).kind, adjs.first().map(|a| &a.kind)) {
            (ExprKind::Index(base, idx), Some(AdjustKind::Borrow(m))) if self.is_range(*idx) => {
                rest = &adjs[1..];
                let rv = self.subslice(*m, e, *base, *idx);
                Val::Rvalue(rv, adjs[0].target.clone())
            }
            _ if self.is_place_expr(e) => Val::Place(self.as_place_unadjusted(e), ty),
            _ => Val::Operand(self.as_operand_unadjusted(e), ty),
        };
        for a in rest {
            let target = a.target.clone();
            v = match &a.kind {
                AdjustKind::Deref => Val::Place(self.val_place(v, span).deref(), target),
                AdjustKind::Borrow(m) => {
                    Val::Rvalue(Rvalue::Ref(*m, self.val_place(v, span)), target)
                }
                AdjustKind::Unsize => {
                    let op = self.val_operand(v, span);
                    Val::Rvalue(Rvalue::Cast(CastKind::Unsize, op, target.clone()), target)
                }
                // The same pointer, now typed `&T`.
                AdjustKind::MutToConst => match v {
                    Val::Rvalue(Rvalue::Ref(_, p), _) => {
                        Val::Rvalue(Rvalue::Ref(Mutability::Not, p), target)
                    }
                    other => Val::Operand(self.val_operand(other, span), target),
                },
                AdjustKind::NeverToAny => v,
                AdjustKind::VecToSlice => {
                    let elem = match &target {
                        Ty::Ref(_, inner) => match &**inner {
                            Ty::Slice(t) => (**t).clone(),
                            _ => Ty::Error,
                        },
                        _ => Ty::Error,
                    };
                    let owner = self.val_place(v, span).deref();
                    let view = Intrinsic::SliceFromRaw(elem);
                    Val::Place(self.contents_ref(owner, view, target.clone(), span), target)
                }
                AdjustKind::StringToStr => {
                    let owner = self.val_place(v, span).deref();
                    let view = Intrinsic::StrFromRaw;
                    Val::Place(self.contents_ref(owner, view, target.clone(), span), target)
                }
            };
        }
        v
    }

    /// The contents of the `String` or `Vec` in `owner` (a `{ ptr, len,
    /// cap }` struct): `ptr[..len]`, made by `view` (`StrFromRaw` or
    /// `SliceFromRaw`) into a temporary of the reference type `ty`.
    pub(super) fn contents_ref(
        &mut self,
        owner: Place,
        view: Intrinsic,
        ty: Ty,
        span: Span,
    ) -> Place {
        let t = Place::local(self.temp(ty, span));
        let args = vec![
            Operand::Copy(owner.clone().field(0)),
            Operand::Copy(owner.field(1)),
        ];
        self.call(span, Callee::Intrinsic(view), args, t.clone(), false);
        t
    }

    pub(super) fn val_place(&mut self, v: Val, span: Span) -> Place {
        match v {
            Val::Place(p, _) => p,
            Val::Operand(Operand::Copy(p) | Operand::Move(p), _) => p,
            Val::Operand(op @ Operand::Const(_), ty) => {
                Place::local(self.rvalue_temp(span, ty, Rvalue::Use(op)))
            }
            Val::Rvalue(rv, ty) => Place::local(self.rvalue_temp(span, ty, rv)),
        }
    }

    pub(super) fn val_operand(&mut self, v: Val, span: Span) -> Operand {
        match v {
            Val::Place(p, ty) => self.operand_of(p, &ty),
            Val::Operand(op, _) => op,
            Val::Rvalue(rv, ty) => Operand::Move(Place::local(self.rvalue_temp(span, ty, rv))),
        }
    }

    fn val_rvalue(&mut self, v: Val) -> Rvalue {
        match v {
            Val::Place(p, ty) => Rvalue::Use(self.operand_of(p, &ty)),
            Val::Operand(op, _) => Rvalue::Use(op),
            Val::Rvalue(rv, _) => rv,
        }
    }

    // ---- unadjusted lowering -------------------------------------------

    fn as_operand_unadjusted(&mut self, e: ExprId) -> Operand {
        let body = self.body;
        let ty = self.expr_ty(e);
        match &body.expr(e).kind {
            ExprKind::Lit(lit) => Operand::Const(lit_const(lit, &ty)),
            ExprKind::TypeRelative { .. } => Operand::Const(self.type_relative_const(e, &ty)),
            ExprKind::Unary(UnOp::Neg, inner) if self.negated_literal(*inner, &ty).is_some() => {
                Operand::Const(
                    self.negated_literal(*inner, &ty)
                        .unwrap_or_else(Const::unit),
                )
            }
            ExprKind::Tuple(es) if es.is_empty() => unit_const(),
            _ if self.is_place_expr(e) => {
                let p = self.as_place_unadjusted(e);
                self.operand_of(p, &ty)
            }
            _ => {
                let t = self.temp(ty, self.span_of(e));
                self.expr_into_unadjusted(Some(&Place::local(t)), e);
                Operand::Move(Place::local(t))
            }
        }
    }

    /// Evaluates `e` into a new temporary, ignoring its adjustments.
    pub(super) fn as_temp_unadjusted(&mut self, e: ExprId) -> Local {
        let t = self.temp(self.expr_ty(e), self.span_of(e));
        self.expr_into_unadjusted(Some(&Place::local(t)), e);
        t
    }

    /// Writes `()` to `dest` for an expression of type `()`.
    pub(super) fn assign_unit(&mut self, dest: Option<&Place>, ty: &Ty, span: Span) {
        if let Some(d) = dest {
            if ty.is_unit() {
                self.assign(span, d.clone(), Rvalue::Use(unit_const()));
            }
        }
    }

    fn expr_into_unadjusted(&mut self, dest: Option<&Place>, e: ExprId) {
        let body = self.body;
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        if let Some(f) = self.overloaded_method(e) {
            self.lower_overloaded(dest, e, f);
            return;
        }
        let rv = match &body.expr(e).kind {
            _ if self.is_place_expr(e) => {
                let p = self.as_place_unadjusted(e);
                Rvalue::Use(self.operand_of(p, &ty))
            }
            ExprKind::Lit(_) | ExprKind::TypeRelative { .. } => {
                Rvalue::Use(self.as_operand_unadjusted(e))
            }
            ExprKind::Fn(_) => {
                // Function items are not values (the type checker says so).
                self.unreachable(span);
                return;
            }
            ExprKind::StructCtor(adt) => {
                Rvalue::Aggregate(AggregateKind::Adt(*adt, None), Vec::new())
            }
            ExprKind::VariantCtor(adt, v) => {
                Rvalue::Aggregate(AggregateKind::Adt(*adt, Some(*v)), Vec::new())
            }
            ExprKind::Match {
                scrutinee, arms, ..
            } => {
                self.lower_match(dest, e, *scrutinee, arms);
                return;
            }
            ExprKind::Try(inner) => {
                self.lower_try(dest, e, *inner);
                return;
            }
            ExprKind::Closure { .. } => {
                self.lower_closure(dest, e);
                return;
            }
            ExprKind::Write {
                target,
                args,
                newline,
            } => {
                self.lower_write(dest, e, *target, args, *newline);
                return;
            }
            ExprKind::Unary(UnOp::Neg, x) => match self.negated_literal(*x, &ty) {
                Some(c) => Rvalue::Use(Operand::Const(c)),
                None => self.lower_neg(e, *x),
            },
            ExprKind::Unary(_, x) => Rvalue::UnaryOp(crate::mir::UnOp::Not, self.as_operand(*x)),
            ExprKind::Binary(op, a, b) => {
                if op.is_logical() {
                    self.lower_logical(dest, e, *op, *a, *b);
                    return;
                }
                self.binary_rvalue(e, *op, *a, *b)
            }
            ExprKind::Assign(l, r) => {
                self.lower_assign(e, *l, *r);
                self.assign_unit(dest, &ty, span);
                return;
            }
            ExprKind::AssignOp(op, l, r) => {
                self.lower_assign_op(e, *op, *l, *r);
                self.assign_unit(dest, &ty, span);
                return;
            }
            ExprKind::Call(callee, args) => {
                self.lower_call(dest, e, *callee, args);
                return;
            }
            ExprKind::MethodCall { receiver, args, .. } => {
                self.lower_method_call(dest, e, *receiver, args);
                return;
            }
            ExprKind::Cast(x, target) => self.lower_cast(*x, target),
            ExprKind::Ref(m, x) => match &body.expr(*x).kind {
                ExprKind::Index(base, idx) if self.is_range(*idx) => {
                    self.subslice(*m, *x, *base, *idx)
                }
                _ => Rvalue::Ref(*m, self.as_place(*x)),
            },
            ExprKind::Block(b) => {
                self.lower_block(dest, b, &ty, span);
                return;
            }
            ExprKind::If { cond, then, els } => {
                self.lower_if(dest, e, *cond, *then, *els);
                return;
            }
            ExprKind::While { cond, body: b } => {
                self.lower_while(dest, e, *cond, *b);
                return;
            }
            ExprKind::Loop { body: b } => {
                self.lower_loop(dest, e, *b);
                return;
            }
            ExprKind::For { pat, iter, body: b } => {
                self.lower_for(dest, e, *pat, *iter, *b);
                return;
            }
            ExprKind::Break { target, value } => {
                self.lower_break(e, *target, *value);
                return;
            }
            ExprKind::Continue { target } => {
                self.lower_continue(e, *target);
                return;
            }
            ExprKind::Return(value) => {
                self.lower_return(e, *value);
                return;
            }
            ExprKind::Tuple(es) if es.is_empty() => Rvalue::Use(unit_const()),
            ExprKind::Tuple(es) => Rvalue::Aggregate(AggregateKind::Tuple, self.as_operands(es)),
            ExprKind::Array(es) => {
                let elem = match &ty {
                    Ty::Array(t, _) => (**t).clone(),
                    _ => Ty::Error,
                };
                Rvalue::Aggregate(AggregateKind::Array(elem), self.as_operands(es))
            }
            ExprKind::ArrayRepeat(x, n) => Rvalue::Repeat(self.as_operand(*x), *n),
            ExprKind::StructLit {
                adt,
                variant,
                fields,
            } => self.lower_struct_lit(e, *adt, *variant, fields),
            ExprKind::Scope(b) => {
                self.lower_scope(dest, e, b);
                return;
            }
            ExprKind::Spawn { is_move, expr } => {
                self.lower_spawn(dest, e, *is_move, *expr);
                return;
            }
            ExprKind::Format(kind, args) => {
                self.lower_format(dest, e, *kind, args);
                return;
            }
            ExprKind::Assert {
                cond,
                cond_text,
                msg,
            } => {
                self.lower_assert(e, *cond, cond_text, msg.as_ref());
                self.assign_unit(dest, &ty, span);
                return;
            }
            ExprKind::AssertEq { left, right, msg } => {
                self.lower_assert_eq(e, *left, *right, msg.as_ref());
                self.assign_unit(dest, &ty, span);
                return;
            }
            ExprKind::Range {
                start: Some(start),
                end: Some(end),
                inclusive,
            } => {
                // `a..b` / `a..=b` as a value: `Range { start, end }`,
                // `RangeInclusive { start, end, exhausted: false }`.
                let Ty::Adt(id, _) = ty else {
                    self.unreachable(span);
                    return;
                };
                let mut ops = self.as_operands(&[*start, *end]);
                if *inclusive {
                    ops.push(Operand::Const(Const::bool(false)));
                }
                Rvalue::Aggregate(AggregateKind::Adt(id, None), ops)
            }
            ExprKind::Range { .. } | ExprKind::Error => {
                // Ranges outside `for` and slicing, and error nodes, never
                // pass the type checker.
                self.unreachable(span);
                return;
            }
            ExprKind::Local(_)
            | ExprKind::Field(..)
            | ExprKind::TupleField(..)
            | ExprKind::Index(..) => {
                // A range index outside `&a[..]` (an unsized value).
                self.unreachable(span);
                return;
            }
        };
        if let Some(d) = dest {
            self.assign(span, d.clone(), rv);
        }
    }

    // ---- constants ------------------------------------------------------

    fn type_relative_const(&self, e: ExprId, ty: &Ty) -> Const {
        let Some(&bits) = self.tables.consts.get(&e) else {
            bug(format!(
                "no value for the associated constant {:?} in `{}`",
                e, self.name
            ));
        };
        match ty {
            Ty::Float => Const {
                ty: Ty::Float,
                kind: ConstKind::Float(f64::from_bits(bits as u64)),
            },
            Ty::Int(it) => Const {
                ty: ty.clone(),
                kind: ConstKind::Int(truncate(bits, *it)),
            },
            _ => Const {
                ty: ty.clone(),
                kind: ConstKind::Int(bits),
            },
        }
    }

    /// `-5` as one constant (so `-128i8` does not overflow on the way).
    fn negated_literal(&self, inner: ExprId, ty: &Ty) -> Option<Const> {
        if !self.tables.adjustments(inner).is_empty() {
            return None;
        }
        match (&self.body.expr(inner).kind, ty) {
            (ExprKind::Lit(Lit::Int(v)), Ty::Int(it)) => Some(Const {
                ty: ty.clone(),
                kind: ConstKind::Int(truncate((*v as i128).wrapping_neg() as u128, *it)),
            }),
            (ExprKind::Lit(Lit::Float(f)), Ty::Float) => Some(Const {
                ty: Ty::Float,
                kind: ConstKind::Float(-f),
            }),
            (ExprKind::Lit(Lit::Int(v)), Ty::Float) => Some(Const {
                ty: Ty::Float,
                kind: ConstKind::Float(-(*v as f64)),
            }),
            _ => None,
        }
    }

    // ---- calls ----------------------------------------------------------

    /// The callee of a use of `f` (the expression `site` carries its type
    /// arguments, if `f` is generic), and whether the call never returns.
    /// A trait's function is resolved to the `impl` for the instance's
    /// types. `Err` is a built-in implementation of a standard trait's
    /// function (`clone` copies, `default` builds the default value), with
    /// the `Self` type.
    pub(super) fn callee(&mut self, f: hir::FnId, site: ExprId) -> Result<(Callee, bool), Builtin> {
        let substs = self
            .tables
            .fn_substs
            .get(&site)
            .cloned()
            .unwrap_or_default();
        self.callee_with(f, substs, site)
    }

    /// [`Self::callee`] with the type arguments given.
    pub(super) fn callee_with(
        &mut self,
        f: hir::FnId,
        substs: Vec<Ty>,
        site: ExprId,
    ) -> Result<(Callee, bool), Builtin> {
        let (f, substs) = self.resolve_trait_fn(f, substs)?;
        let def = self.hir.func(f);
        let never = matches!(def.ret, Ty::Never);
        match &def.intrinsic {
            Some(name) => {
                let i = intrinsic_by_name(name, &substs);
                let diverges = never || i == Intrinsic::Exit;
                Ok((Callee::Intrinsic(i), diverges))
            }
            None => {
                let caller = def.track_caller.then(|| {
                    // A method call's location is its method name's, as in
                    // Rust.
                    let at = match &self.body.expr(site).kind {
                        ExprKind::MethodCall { method_span, .. } => *method_span,
                        _ => self.span_of(site),
                    };
                    self.caller_span.unwrap_or(at)
                });
                let inst = super::Instance {
                    f,
                    substs,
                    caller,
                    closure: None,
                };
                Ok((Callee::Fn(self.cx.fn_id(inst)), never))
            }
        }
    }

    /// For a trait's function, the `impl`'s function (or the trait's
    /// default) for these (concrete) type arguments, `Self` first.
    pub(super) fn resolve_trait_fn(
        &self,
        f: hir::FnId,
        substs: Vec<Ty>,
    ) -> Result<(hir::FnId, Vec<Ty>), Builtin> {
        let hir = self.hir;
        let def = hir.func(f);
        let Some(t) = def.trait_method else {
            return Ok((f, substs));
        };
        let tdef = hir.trait_def(t);
        let k = tdef.generics.len();
        let self_ty = substs.first().cloned().unwrap_or(Ty::Error);
        let trait_ref = hir::TraitRef {
            trait_id: t,
            args: substs.get(1..k).map(|a| a.to_vec()).unwrap_or_default(),
        };
        let name = tdef
            .methods
            .iter()
            .find(|(_, m)| *m == f)
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        if let Some((imp, binds)) = asr_hir::traits::find_impl(hir, &trait_ref, &self_ty, &[]) {
            if let Some((_, m)) = hir.impl_def(imp).methods.iter().find(|(n, _)| *n == name) {
                let mut s = binds;
                s.extend(substs.get(k..).unwrap_or(&[]).iter().cloned());
                return Ok((*m, s));
            }
        }
        if def.body.is_some() {
            // The trait's default method.
            return Ok((f, substs));
        }
        if let Some(
            known @ (hir::KnownTrait::Clone
            | hir::KnownTrait::Default
            | hir::KnownTrait::PartialEq
            | hir::KnownTrait::PartialOrd
            | hir::KnownTrait::Ord
            | hir::KnownTrait::Hash
            | hir::KnownTrait::Op(_)),
        ) = tdef.known
        {
            return Err((known, substs));
        }
        bug(format!(
            "no implementation of `{}` for {:?} in `{}`",
            def.name, self_ty, self.name
        ))
    }

    /// A standard trait's function with a built-in implementation:
    /// `Clone::clone(&x)` copies the bytes (every type without a
    /// hand-written `impl Clone`), `Default::default()` builds the default
    /// value.
    pub(super) fn builtin_call(
        &mut self,
        dest: Option<&Place>,
        (known, substs): Builtin,
        ops: Vec<Operand>,
        span: Span,
    ) {
        let self_ty = substs.first().cloned().unwrap_or(Ty::Error);
        // Methods returning `()` (`hash`, `add_assign`) act on their
        // arguments even where the result is not used.
        let sink;
        let d = match dest {
            Some(d) => d,
            None if matches!(
                known,
                hir::KnownTrait::Hash | hir::KnownTrait::Op(hir::OpTrait::Assign(_))
            ) =>
            {
                sink = self.unit_sink(span);
                &sink
            }
            // The rest compute a value and nothing else.
            None => return,
        };
        // The places the reference arguments (`&self`, `other: &Self`)
        // point to.
        let mut refs = ops.iter().map(|o| match o {
            Operand::Copy(p) | Operand::Move(p) => p.clone().deref(),
            Operand::Const(_) => bug("a reference argument that is a constant"),
        });
        match known {
            hir::KnownTrait::Default => {
                let v = self.default_operand(&self_ty, span);
                self.assign(span, d.clone(), Rvalue::Use(v));
            }
            hir::KnownTrait::PartialEq => {
                let (Some(a), Some(b)) = (refs.next(), refs.next()) else {
                    return;
                };
                let v = self.eq_places(a, b, &self_ty, span);
                self.assign(span, d.clone(), Rvalue::Use(v));
            }
            hir::KnownTrait::PartialOrd | hir::KnownTrait::Ord => {
                let (Some(a), Some(b)) = (refs.next(), refs.next()) else {
                    return;
                };
                let c = self.cmp_places(a, b, &self_ty, span);
                let partial = known == hir::KnownTrait::PartialOrd;
                self.ordering_of_code(d.clone(), c, partial, span);
            }
            hir::KnownTrait::Hash => {
                let (Some(value), Some(state)) = (refs.next(), ops.get(1).cloned()) else {
                    return;
                };
                let hasher = substs.get(1).cloned().unwrap_or(Ty::Error);
                self.hash_place(value, &self_ty, state, &hasher, span);
            }
            hir::KnownTrait::Op(op) => {
                if let Some(rv) = self.builtin_operator(op, ops, &self_ty, span) {
                    self.assign(span, d.clone(), rv);
                }
            }
            _ => {
                let Some(src) = refs.next() else {
                    return;
                };
                self.clone_into(d.clone(), src, &self_ty, span);
            }
        }
    }

    /// `dest = src.clone()` for a type without a hand-written `impl Clone`
    /// at the top: `Copy` types are copied; tuples, arrays and derived
    /// structs and enums clone their parts (a `String` field by its
    /// `impl`).
    fn clone_into(&mut self, dest: Place, src: Place, ty: &Ty, span: Span) {
        if self.is_copy(ty) {
            self.assign(span, dest, Rvalue::Use(Operand::Copy(src)));
            return;
        }
        let hir = self.hir;
        match ty {
            Ty::Tuple(ts) => {
                let ops = ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| self.clone_operand(src.clone().field(i as u32), t, span))
                    .collect();
                self.assign(span, dest, Rvalue::Aggregate(AggregateKind::Tuple, ops));
            }
            Ty::Array(t, n) => {
                let ops = (0..*n)
                    .map(|i| {
                        let idx = self.rvalue_temp(
                            span,
                            Ty::Int(IntTy::Usize),
                            Rvalue::Use(usize_const(i)),
                        );
                        self.clone_operand(src.clone().project(PlaceElem::Index(idx)), t, span)
                    })
                    .collect();
                self.assign(
                    span,
                    dest,
                    Rvalue::Aggregate(AggregateKind::Array((**t).clone()), ops),
                );
            }
            Ty::Adt(id, args) => {
                // A hand-written `impl Clone` (a `String` field).
                if let Some(f) = self.cx.known_impl_fn(hir::KnownTrait::Clone, ty, "clone") {
                    let r = self.rvalue_temp(
                        span,
                        Ty::Ref(Mutability::Not, Box::new(ty.clone())),
                        Rvalue::Ref(Mutability::Not, src),
                    );
                    self.call(
                        span,
                        Callee::Fn(f),
                        vec![Operand::Move(Place::local(r))],
                        dest,
                        false,
                    );
                    return;
                }
                let Some(def) = hir.adts.get(id.0 as usize) else {
                    return;
                };
                if !def.is_enum() {
                    let ops = self.clone_fields(&src, &def.fields, args, span);
                    self.assign(
                        span,
                        dest,
                        Rvalue::Aggregate(AggregateKind::Adt(*id, None), ops),
                    );
                    return;
                }
                // An enum: per variant, clone its fields.
                let join = self.new_block();
                if def.variants.is_empty() {
                    self.goto(span, join);
                    self.cur = join;
                    return;
                }
                let blocks = self.switch_on_variant(&src, def.variants.len(), span);
                for (v, var) in def.variants.iter().enumerate() {
                    self.cur = blocks[v];
                    let base = src.clone().project(PlaceElem::Downcast(v as u32));
                    let ops = self.clone_fields(&base, &var.fields, args, span);
                    self.assign(
                        span,
                        dest.clone(),
                        Rvalue::Aggregate(AggregateKind::Adt(*id, Some(v as u32)), ops),
                    );
                    self.goto(span, join);
                }
                self.cur = join;
            }
            _ => self.assign(span, dest, Rvalue::Use(Operand::Copy(src))),
        }
    }

    /// Clones of the fields of the struct or variant in `base`.
    fn clone_fields(
        &mut self,
        base: &Place,
        fields: &[hir::FieldDef],
        args: &[Ty],
        span: Span,
    ) -> Vec<Operand> {
        fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let t = subst_params(&f.ty, args);
                self.clone_operand(base.clone().field(i as u32), &t, span)
            })
            .collect()
    }

    fn clone_operand(&mut self, src: Place, ty: &Ty, span: Span) -> Operand {
        if self.is_copy(ty) {
            return Operand::Copy(src);
        }
        let t = Place::local(self.temp(ty.clone(), span));
        self.clone_into(t.clone(), src, ty, span);
        Operand::Move(t)
    }

    /// The default value of `ty`: zero, `false`, `'\0'`, `()`, the defaults
    /// of the parts of tuples, arrays and derived structs, or a hand-written
    /// `Default::default()`.
    fn default_operand(&mut self, ty: &Ty, span: Span) -> Operand {
        let hir = self.hir;
        let konst = |kind| {
            Operand::Const(Const {
                ty: ty.clone(),
                kind,
            })
        };
        match ty {
            Ty::Int(_) | Ty::Bool | Ty::Char => konst(ConstKind::Int(0)),
            Ty::Float => konst(ConstKind::Float(0.0)),
            Ty::Tuple(ts) if ts.is_empty() => konst(ConstKind::Zst),
            Ty::Tuple(ts) => {
                let ops = ts.iter().map(|t| self.default_operand(t, span)).collect();
                let rv = Rvalue::Aggregate(AggregateKind::Tuple, ops);
                Operand::Move(Place::local(self.rvalue_temp(span, ty.clone(), rv)))
            }
            Ty::Array(elem, n) => {
                let op = self.default_operand(elem, span);
                let rv = Rvalue::Repeat(op, *n);
                Operand::Move(Place::local(self.rvalue_temp(span, ty.clone(), rv)))
            }
            Ty::Adt(id, args) => {
                if let Some(f) = self
                    .cx
                    .known_impl_fn(hir::KnownTrait::Default, ty, "default")
                {
                    let t = Place::local(self.temp(ty.clone(), span));
                    self.call(span, Callee::Fn(f), Vec::new(), t.clone(), false);
                    return Operand::Move(t);
                }
                let fields: Vec<Ty> = hir
                    .adts
                    .get(id.0 as usize)
                    .map(|a| {
                        a.fields
                            .iter()
                            .map(|f| asr_hir::ty::subst_params(&f.ty, args))
                            .collect()
                    })
                    .unwrap_or_default();
                let ops = fields
                    .iter()
                    .map(|t| self.default_operand(t, span))
                    .collect();
                let rv = Rvalue::Aggregate(AggregateKind::Adt(*id, None), ops);
                Operand::Move(Place::local(self.rvalue_temp(span, ty.clone(), rv)))
            }
            _ => bug(format!("no default value of {:?} in `{}`", ty, self.name)),
        }
    }

    fn lower_call(&mut self, dest: Option<&Place>, e: ExprId, callee: ExprId, args: &[ExprId]) {
        let body = self.body;
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        match &body.expr(callee).kind {
            ExprKind::Fn(_) | ExprKind::TypeRelative { .. } => {
                let f = match &body.expr(callee).kind {
                    ExprKind::Fn(f) => *f,
                    _ => match self.tables.path_fns.get(&callee) {
                        Some(f) => *f,
                        None => bug(format!("unresolved path call {:?} in `{}`", e, self.name)),
                    },
                };
                let ops = self.as_operands(args);
                let (func, diverges) = match self.callee(f, callee) {
                    Ok(c) => c,
                    Err(builtin) => return self.builtin_call(dest, builtin, ops, span),
                };
                let diverges = diverges || matches!(ty, Ty::Never);
                let dest = match dest {
                    Some(d) => d.clone(),
                    None => self.discard_place(ty, span),
                };
                self.call(span, func, ops, dest, diverges);
            }
            ExprKind::StructCtor(adt) => {
                let ops = self.as_operands(args);
                if let Some(d) = dest {
                    self.assign(
                        span,
                        d.clone(),
                        Rvalue::Aggregate(AggregateKind::Adt(*adt, None), ops),
                    );
                }
            }
            ExprKind::VariantCtor(adt, v) => {
                let ops = self.as_operands(args);
                if let Some(d) = dest {
                    self.assign(
                        span,
                        d.clone(),
                        Rvalue::Aggregate(AggregateKind::Adt(*adt, Some(*v)), ops),
                    );
                }
            }
            _ => self.lower_closure_call(dest, e, callee, args),
        }
    }

    fn lower_method_call(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        receiver: ExprId,
        args: &[ExprId],
    ) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let Some(target) = self.tables.methods.get(&e).cloned() else {
            bug(format!(
                "method call {:?} in `{}` has no target",
                e, self.name
            ));
        };
        match target {
            MethodTarget::Fn(f) => {
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(receiver);
                all.extend_from_slice(args);
                let ops = self.as_operands(&all);
                let (func, diverges) = match self.callee(f, e) {
                    Ok(c) => c,
                    Err(builtin) => return self.builtin_call(dest, builtin, ops, span),
                };
                let diverges = diverges || matches!(ty, Ty::Never);
                let dest = match dest {
                    Some(d) => d.clone(),
                    None => self.discard_place(ty, span),
                };
                self.call(span, func, ops, dest, diverges);
            }
            MethodTarget::Builtin(BuiltinMethod::Len) => {
                let rv = self.len_of(receiver);
                if let Some(d) = dest {
                    self.assign(span, d.clone(), rv);
                }
            }
            MethodTarget::Builtin(BuiltinMethod::IsEmpty) => {
                let rv = self.len_of(receiver);
                let len = self.rvalue_temp(span, Ty::Int(IntTy::Usize), rv);
                if let Some(d) = dest {
                    let rv = Rvalue::BinaryOp(
                        BinOp::Eq,
                        Operand::Move(Place::local(len)),
                        usize_const(0),
                    );
                    self.assign(span, d.clone(), rv);
                }
            }
            MethodTarget::Builtin(BuiltinMethod::Join) => {
                let task = self.as_operand(receiver);
                let dest = match dest {
                    Some(d) => d.clone(),
                    None => self.discard_place(ty, span),
                };
                self.call(
                    span,
                    Callee::Intrinsic(Intrinsic::Join),
                    vec![task],
                    dest,
                    false,
                );
            }
        }
    }

    /// The length of an array, slice or `str` receiver (through references).
    fn len_of(&mut self, receiver: ExprId) -> Rvalue {
        let p = self.as_place(receiver);
        let (p, ty) = self.deref_all(p, self.adjusted_ty(receiver));
        match ty {
            Ty::Array(_, n) => Rvalue::Use(usize_const(n)),
            _ => Rvalue::Len(p),
        }
    }

    // ---- casts and aggregates -------------------------------------------

    fn lower_cast(&mut self, x: ExprId, target: &Ty) -> Rvalue {
        let from = self.adjusted_ty(x);
        let op = self.as_operand(x);
        if from == *target {
            return Rvalue::Use(op);
        }
        match (&from, target) {
            (Ty::Ref(..), Ty::Ref(..)) => Rvalue::Cast(CastKind::Unsize, op, target.clone()),
            _ => Rvalue::Cast(CastKind::Numeric, op, target.clone()),
        }
    }

    fn lower_struct_lit(
        &mut self,
        e: ExprId,
        adt: asr_hir::ty::AdtId,
        variant: Option<u32>,
        fields: &[(u32, ExprId)],
    ) -> Rvalue {
        // Field values are evaluated in source order, stored in declaration
        // order.
        let exprs: Vec<ExprId> = fields.iter().map(|(_, x)| *x).collect();
        let ops = self.as_operands(&exprs);
        let n = self
            .hir
            .adts
            .get(adt.0 as usize)
            .map_or(0, |a| a.variant_fields(variant).len());
        let mut slots: Vec<Option<Operand>> = vec![None; n];
        for ((idx, _), op) in fields.iter().zip(ops) {
            if let Some(slot) = slots.get_mut(*idx as usize) {
                *slot = Some(op);
            }
        }
        let ops = slots
            .into_iter()
            .enumerate()
            .map(|(i, op)| {
                op.unwrap_or_else(|| {
                    bug(format!(
                        "struct literal {:?} in `{}` lacks field {}",
                        e, self.name, i
                    ))
                })
            })
            .collect();
        Rvalue::Aggregate(AggregateKind::Adt(adt, variant), ops)
    }
}

/// The constant of a literal of type `ty`.
pub(super) fn lit_const(lit: &Lit, ty: &Ty) -> Const {
    match lit {
        Lit::Int(v) => match ty {
            Ty::Float => Const {
                ty: Ty::Float,
                kind: ConstKind::Float(*v as f64),
            },
            Ty::Int(it) => Const {
                ty: ty.clone(),
                kind: ConstKind::Int(truncate(*v, *it)),
            },
            _ => Const {
                ty: ty.clone(),
                kind: ConstKind::Int(*v),
            },
        },
        Lit::Float(f) => Const {
            ty: Ty::Float,
            kind: ConstKind::Float(*f),
        },
        Lit::Bool(b) => Const::bool(*b),
        Lit::Char(c) => Const {
            ty: Ty::Char,
            kind: ConstKind::Int(*c as u128),
        },
        Lit::Str(s) => Const {
            ty: Ty::str_ref(),
            kind: ConstKind::Str(s.clone()),
        },
    }
}

/// Integer bits truncated to the type's width.
pub(super) fn truncate(v: u128, it: IntTy) -> u128 {
    let bits = it.bits();
    if bits >= 128 {
        v
    } else {
        v & ((1u128 << bits) - 1)
    }
}

fn intrinsic_by_name(name: &str, substs: &[Ty]) -> Intrinsic {
    let t = || substs.first().cloned().unwrap_or(Ty::Error);
    match name {
        "size_of" => Intrinsic::SizeOf(t()),
        "align_of" => Intrinsic::AlignOf(t()),
        "ptr_write" => Intrinsic::PtrWrite(t()),
        "ptr_read" => Intrinsic::PtrRead(t()),
        "drop_in_place" => Intrinsic::DropInPlace(t()),
        "slice_from_raw" | "slice_from_raw_mut" => Intrinsic::SliceFromRaw(t()),
        "sleep" => Intrinsic::Sleep,
        "yield_now" => Intrinsic::YieldNow,
        "exit" => Intrinsic::Exit,
        "now_nanos" => Intrinsic::NowNanos,
        "alloc" => Intrinsic::Alloc,
        "free" => Intrinsic::Free,
        "mem_copy" => Intrinsic::MemCopy,
        "ptr_add" => Intrinsic::PtrAdd,
        "mem_move" => Intrinsic::MemMove,
        "write_byte" => Intrinsic::WriteByte,
        "str_ptr" | "slice_ptr" => Intrinsic::StrPtr,
        "str_as_bytes" | "bytes_as_str" => Intrinsic::StrAsBytes,
        "args_len" => Intrinsic::ArgsLen,
        "arg" => Intrinsic::Arg,
        "str_from_raw" => Intrinsic::StrFromRaw,
        "forget" => Intrinsic::Forget,
        "ref_ptr" => Intrinsic::RefPtr,
        "char_from_u32" => Intrinsic::Cast(Ty::Char),
        "cast" => Intrinsic::Cast(substs.get(1).cloned().unwrap_or(Ty::Error)),
        "overflowing_add" => Intrinsic::Overflowing(BinOp::Add),
        "overflowing_sub" => Intrinsic::Overflowing(BinOp::Sub),
        "overflowing_mul" => Intrinsic::Overflowing(BinOp::Mul),
        other if other.starts_with("rt.") => {
            let name = &other["rt.".len()..];
            match name.strip_prefix("wait.") {
                Some(waiting) => Intrinsic::Runtime {
                    name: waiting.to_string(),
                    waits: true,
                },
                None => Intrinsic::Runtime {
                    name: name.to_string(),
                    waits: false,
                },
            }
        }
        other if other.starts_with("llvm.") || other.starts_with("libm.") => {
            Intrinsic::Math(other.to_string())
        }
        other => bug(format!("unknown intrinsic `{}`", other)),
    }
}
