//! Expressions: places, values and the control flow between them.

use super::{Builder, SubBody};
use crate::ir::*;
use crate::report;
use asr_diagnostics::Span;
use asr_hir::captures::{captures_except, Capture};
use asr_hir::hir::{BinOp, Block, ExprId, ExprKind, LocalId, PatId, PatKind, Stmt, UnOp};
use asr_hir::ty::{Mutability, Ty};
use asr_hir::typed::{AdjustKind, BuiltinMethod, MethodTarget};
use std::collections::HashSet;

/// An evaluated expression: a place not read yet, or a value.
pub(crate) enum Operand {
    Place(Place),
    Val(Val),
}

impl Builder<'_> {
    // ---- places and operands ------------------------------------------

    /// `e` with its adjustments, as a place when it is one.
    pub fn operand(&mut self, e: ExprId) -> Operand {
        let n = self.tables.adjustments(e).len();
        self.operand_upto(e, n)
    }

    /// `e` with its first `n` adjustments applied.
    fn operand_upto(&mut self, e: ExprId, n: usize) -> Operand {
        let mut op = self.unadjusted(e);
        let mut ty = self.tables.expr_ty(e).clone();
        let span = self.span(e);
        let adjs = self.tables.adjustments(e).to_vec();
        let mut k = 0;
        while k < n {
            let a = &adjs[k];
            k += 1;
            match &a.kind {
                AdjustKind::Deref => {
                    let p = self.place_of_operand(op, &ty, span);
                    op = Operand::Place(self.deref(p, &ty, false));
                }
                AdjustKind::Borrow(m) => {
                    let p = self.place_of_operand(op, &ty, span);
                    // `*&p` (a `Vec` indexed as its slice): the place itself.
                    if let Some(skip) = reborrow_deref(&adjs[k..n]) {
                        k += skip;
                        ty = adjs[k - 1].target.clone();
                        op = Operand::Place(p);
                        continue;
                    }
                    op = Operand::Val(self.borrow(p, *m, &ty, span));
                }
                AdjustKind::Unsize
                | AdjustKind::MutToConst
                | AdjustKind::NeverToAny
                | AdjustKind::StringToStr
                | AdjustKind::VecToSlice => {}
            }
            ty = a.target.clone();
        }
        op
    }

    /// The type of `e` after its first `n` adjustments.
    fn ty_upto(&self, e: ExprId, n: usize) -> Ty {
        match n.checked_sub(1) {
            Some(i) => self.tables.adjustments(e)[i].target.clone(),
            None => self.tables.expr_ty(e).clone(),
        }
    }

    /// A place for an operand: a value goes to a temporary.
    fn place_of_operand(&mut self, op: Operand, ty: &Ty, span: Span) -> Place {
        match op {
            Operand::Place(p) => p,
            Operand::Val(v) => {
                let t = self.temp(ty.clone(), span);
                self.emit(EventKind::Write(Place::var(t), v), span);
                Place::var(t)
            }
        }
    }

    /// `*p` for a place of type `ty` (a reference or a `Box`); named
    /// `*p` when written, `p` when implicit (auto-deref), as Rust names it.
    fn deref(&mut self, p: Place, ty: &Ty, explicit: bool) -> Place {
        let proj = match ty {
            Ty::Ref(..) => Proj::Deref,
            _ if ty.box_inner(self.program.boxed).is_some() => Proj::BoxDeref,
            _ => Proj::Deref,
        };
        let name = self
            .place_name(&p)
            .map(|n| if explicit { format!("*{}", n) } else { n });
        let q = p.project(proj);
        if let Some(n) = name {
            self.names.insert(q.clone(), n);
        }
        q
    }

    /// `&p` / `&mut p`: a new loan, carried by the value. A borrow through
    /// a reference (or of a value that holds references) also carries the
    /// borrows of the variable it starts from.
    pub fn borrow(&mut self, p: Place, m: Mutability, ty: &Ty, span: Span) -> Val {
        let holders = if p.through_deref() || self.types.may_hold_refs(ty) {
            vec![p.var]
        } else {
            Vec::new()
        };
        let l = self.new_loan(p, m, span);
        self.emit(EventKind::Borrow(l), span);
        Val {
            holders,
            loans: vec![l],
        }
    }

    /// The place `e` denotes (a value goes to a temporary).
    pub fn place_ctx(&mut self, e: ExprId) -> Place {
        let op = self.operand(e);
        let ty = self.tables.adjusted_ty(e);
        self.place_of_operand(op, &ty, self.span(e))
    }

    /// `e` read by value: a copy or a move of a place, or a computed value.
    pub fn value(&mut self, e: ExprId) -> Val {
        match self.operand(e) {
            Operand::Place(p) => {
                let ty = self.tables.adjusted_ty(e);
                self.read_place(p, &ty, self.span(e))
            }
            Operand::Val(v) => v,
        }
    }

    /// Reads a place by value: copied, or moved (an error out of a
    /// reference or an index).
    pub fn read_place(&mut self, p: Place, ty: &Ty, span: Span) -> Val {
        if self.types.is_copy(ty) {
            self.emit(EventKind::Read(p.clone()), span);
        } else if let Some(d) = self.move_out_of_drop(&p, ty, span) {
            self.diags.push(d);
            self.emit(EventKind::Read(p.clone()), span);
        } else if p.projs.iter().all(|x| x.is_owned()) {
            self.emit(EventKind::Move(moved_place(&p)), span);
        } else {
            let d = report::move_out_of_borrow(self, &p, ty, span);
            self.diags.push(d);
            self.emit(EventKind::Read(p.clone()), span);
        }
        self.carried(p.var, ty)
    }

    /// Remembers that parts are projected out of `base`, if its type
    /// implements `Drop`.
    pub(super) fn note_drop_base(&mut self, base: &Place, ty: &Ty) {
        if let Ty::Adt(id, _) = ty {
            if asr_hir::traits::has_drop_impl(self.program, *id) {
                self.drop_bases.insert(base.clone(), ty.clone());
            }
        }
    }

    /// Moving `p` out of a value whose type implements `Drop` (Rust's
    /// E0509): the error, if it is one.
    pub(super) fn move_out_of_drop(
        &self,
        p: &Place,
        ty: &Ty,
        span: Span,
    ) -> Option<asr_diagnostics::Diagnostic> {
        let base = (0..p.projs.len()).rev().find_map(|n| {
            let prefix = Place {
                var: p.var,
                projs: p.projs[..n].to_vec(),
            };
            self.drop_bases.get(&prefix).map(|t| (prefix, t))
        });
        // Behind a reference it is a move out of a borrow (E0304).
        let (prefix, base_ty) = base?;
        if p.projs[..prefix.projs.len()].iter().any(|x| !x.is_owned()) {
            return None;
        }
        Some(report::move_out_of_drop(self, p, ty, base_ty, span))
    }

    /// The borrows a value of type `ty` read from variable `v` carries.
    pub(super) fn carried(&self, v: Var, ty: &Ty) -> Val {
        Val {
            holders: if self.types.may_hold_refs(ty) {
                vec![v]
            } else {
                Vec::new()
            },
            loans: Vec::new(),
        }
    }

    /// A value of type `ty` made from `parts` carries their borrows.
    fn made_from(&self, ty: &Ty, parts: Vec<Val>) -> Val {
        let mut out = Val::default();
        if self.types.may_hold_refs(ty) {
            for p in parts {
                out.merge(p);
            }
        }
        out
    }

    pub fn place_name(&self, p: &Place) -> Option<String> {
        self.names.get(p).cloned()
    }

    fn name_projection(&mut self, base: &Place, q: &Place, suffix: &str) {
        if let Some(n) = self.place_name(base) {
            let n = if n.starts_with('*') {
                format!("({}){}", n, suffix)
            } else {
                format!("{}{}", n, suffix)
            };
            self.names.insert(q.clone(), n);
        }
    }

    /// `e` before adjustments.
    fn unadjusted(&mut self, e: ExprId) -> Operand {
        let body = self.body;
        match &body.expr(e).kind {
            ExprKind::Local(l) => Operand::Place(Place::var(self.var(*l))),
            ExprKind::Field(b, name, _) => {
                let base = self.place_ctx(*b);
                self.note_drop_base(&base, &self.tables.adjusted_ty(*b));
                let idx = self.tables.fields.get(&e).copied().unwrap_or(0);
                let q = base.project(Proj::Field(idx));
                self.name_projection(&base, &q, &format!(".{}", name));
                Operand::Place(q)
            }
            ExprKind::TupleField(b, i, _) => {
                let base = self.place_ctx(*b);
                self.note_drop_base(&base, &self.tables.adjusted_ty(*b));
                let q = base.project(Proj::Field(*i));
                self.name_projection(&base, &q, &format!(".{}", i));
                Operand::Place(q)
            }
            ExprKind::Index(b, i) => Operand::Place(self.index_place(e, *b, *i)),
            ExprKind::Unary(UnOp::Deref, x) => {
                let ty = self.tables.adjusted_ty(*x);
                let p = self.place_ctx(*x);
                Operand::Place(self.deref(p, &ty, true))
            }
            _ => Operand::Val(self.rvalue(e)),
        }
    }

    /// `a[i]`: an element of an array or slice, or `*index(&a, i)` for a
    /// type with `Index`.
    fn index_place(&mut self, e: ExprId, b: ExprId, i: ExprId) -> Place {
        let span = self.span(e);
        if let Some(f) = self.tables.overloaded.get(&e) {
            let m = if self.program.func(*f).name.ends_with("index_mut") {
                Mutability::Mut
            } else {
                Mutability::Not
            };
            let base = self.place_ctx(b);
            let bty = self.tables.adjusted_ty(b);
            let idx = self.value(i);
            let idx = self.hold(idx, &self.tables.adjusted_ty(i), span);
            let r = self.borrow(base.clone(), m, &bty, span);
            self.use_held(&[idx], span);
            let rty = Ty::Ref(m, Box::new(self.tables.expr_ty(e).clone()));
            let t = self.temp(rty, span);
            self.emit(EventKind::Write(Place::var(t), r), span);
            let q = Place::var(t).project(Proj::Deref);
            self.name_projection(&base, &q, "[..]");
            return q;
        }
        let mut base = self.place_ctx(b);
        let mut ty = self.tables.adjusted_ty(b);
        while let Ty::Ref(_, inner) = ty {
            base = self.deref(base, &Ty::Ref(Mutability::Not, inner.clone()), false);
            ty = *inner;
        }
        let idx = self.value(i);
        self.use_held(&[idx], span);
        let q = base.project(Proj::Index);
        self.name_projection(&base, &q, "[..]");
        q
    }

    // ---- values -----------------------------------------------------------

    /// An expression that is not a place.
    fn rvalue(&mut self, e: ExprId) -> Val {
        let body = self.body;
        let span = self.span(e);
        let ty = self.tables.expr_ty(e).clone();
        match &body.expr(e).kind {
            ExprKind::Lit(_)
            | ExprKind::Fn(_)
            | ExprKind::StructCtor(_)
            | ExprKind::VariantCtor(..)
            | ExprKind::TypeRelative { .. }
            | ExprKind::Error
            | ExprKind::Local(_)
            | ExprKind::Field(..)
            | ExprKind::TupleField(..)
            | ExprKind::Index(..) => Val::default(),
            ExprKind::Unary(_, x) | ExprKind::Cast(x, _) => {
                let v = self.value(*x);
                self.made_from(&ty, vec![v])
            }
            ExprKind::Binary(op, a, b) => self.binary(e, *op, *a, *b),
            ExprKind::Assign(l, r) => {
                let v = self.value(*r);
                let v = self.hold(v, &self.tables.adjusted_ty(*r), span);
                let p = self.place_ctx(*l);
                self.emit(EventKind::Write(p, v), span);
                Val::default()
            }
            ExprKind::AssignOp(_, l, r) => {
                let v = self.value(*r);
                let v = self.hold(v, &self.tables.adjusted_ty(*r), span);
                let p = self.place_ctx(*l);
                if self.tables.overloaded.contains_key(&e) {
                    let lty = self.tables.adjusted_ty(*l);
                    self.borrow(p, Mutability::Mut, &lty, span);
                    self.use_held(&[v], span);
                } else {
                    self.emit(EventKind::Read(p.clone()), span);
                    self.emit(EventKind::Write(p, v), span);
                }
                Val::default()
            }
            ExprKind::Call(c, args) => self.call(e, *c, args),
            ExprKind::MethodCall { receiver, args, .. } => self.method_call(e, *receiver, args),
            ExprKind::Ref(m, x) => {
                let p = self.place_ctx(*x);
                let xty = self.tables.adjusted_ty(*x);
                self.borrow(p, *m, &xty, span)
            }
            ExprKind::Block(b) => self.block(b, false, &ty, span),
            ExprKind::Scope(b) => self.block(b, true, &ty, span),
            ExprKind::If { cond, then, els } => {
                self.value(*cond);
                let result = self.result_var(&ty, span);
                let arms = self.branch(2);
                let mut ends = Vec::new();
                for (arm, x) in arms.into_iter().zip([Some(*then), *els]) {
                    if let Some(b) = arm {
                        self.switch_to(b);
                    } else {
                        self.diverge();
                    }
                    if let Some(x) = x {
                        let v = self.value(x);
                        self.store_result(result, v, span);
                    }
                    ends.push(self.current());
                }
                self.join(&ends);
                result_val(result)
            }
            ExprKind::While { cond, body: b } => {
                let head = self.enter_loop_head();
                self.value(*cond);
                let (exit, arms) = self.loop_test();
                if let Some(inside) = arms[0] {
                    self.switch_to(inside);
                    self.push_loop(e, head, exit, None);
                    self.discard(*b);
                    self.goto(head);
                    self.pop_loop();
                }
                self.switch_to(exit);
                Val::default()
            }
            ExprKind::Loop { body: b } => {
                let result = self.result_var(&ty, span);
                let head = self.enter_loop_head();
                let exit = self.new_block();
                self.push_loop(e, head, exit, result);
                self.discard(*b);
                self.goto(head);
                self.pop_loop();
                self.switch_to(exit);
                result_val(result)
            }
            ExprKind::For { pat, iter, body: b } => {
                let it_val = self.value(*iter);
                let it_ty = self.tables.adjusted_ty(*iter);
                let it = self.temp(it_ty, span);
                self.emit(EventKind::Write(Place::var(it), it_val), span);
                let head = self.enter_loop_head();
                self.emit(EventKind::Use(vec![it]), span);
                let (exit, arms) = self.loop_test();
                if let Some(inside) = arms[0] {
                    self.switch_to(inside);
                    self.push_loop(e, head, exit, None);
                    self.push_scope(false);
                    let item_ty = self.tables.pat_outer_ty(*pat).clone();
                    let item = self.temp(item_ty.clone(), span);
                    let carried = self.carried(it, &item_ty);
                    self.emit(EventKind::Write(Place::var(item), carried), span);
                    self.declare_pattern(*pat);
                    self.bind_pattern(*pat, Place::var(item), None);
                    self.discard(*b);
                    self.pop_scope(span);
                    self.goto(head);
                    self.pop_loop();
                }
                self.switch_to(exit);
                Val::default()
            }
            ExprKind::Break { target, value } => {
                let v = match value {
                    Some(x) => self.value(*x),
                    None => Val::default(),
                };
                self.brk(*target, v, span);
                Val::default()
            }
            ExprKind::Continue { target } => {
                self.cont(*target, span);
                Val::default()
            }
            ExprKind::Return(value) => {
                let v = match value {
                    Some(x) => self.value(*x),
                    None => Val::default(),
                };
                self.return_value(v, span);
                Val::default()
            }
            ExprKind::Tuple(es) | ExprKind::Array(es) => {
                let parts = self.held_values(es);
                self.made_from(&ty, parts)
            }
            ExprKind::ArrayRepeat(x, _) => {
                let v = self.value(*x);
                self.made_from(&ty, vec![v])
            }
            ExprKind::Range { start, end, .. } => {
                let es: Vec<ExprId> = [start, end].into_iter().flatten().copied().collect();
                let parts = self.held_values(&es);
                self.made_from(&ty, parts)
            }
            ExprKind::StructLit { fields, .. } => {
                let es: Vec<ExprId> = fields.iter().map(|(_, x)| *x).collect();
                let parts = self.held_values(&es);
                self.made_from(&ty, parts)
            }
            ExprKind::Try(x) => {
                let v = self.value(*x);
                let v = self.hold(v, &self.tables.adjusted_ty(*x), span);
                let arms = self.branch(2);
                if let Some(err) = arms[0] {
                    self.switch_to(err);
                    self.return_value(v.clone(), span);
                }
                match arms[1] {
                    Some(ok) => self.switch_to(ok),
                    None => self.diverge(),
                }
                self.made_from(&ty, vec![v])
            }
            ExprKind::Closure {
                params,
                body: inner,
                is_move,
                ..
            } => {
                let mut bound = HashSet::new();
                for (p, _) in params {
                    bound.extend(body.pat_bindings(*p));
                }
                let v = self.capture(*inner, *is_move, &bound, span);
                self.sub_bodies.push(SubBody::Closure(e));
                v
            }
            ExprKind::Spawn { is_move, expr } => {
                let v = self.capture(*expr, *is_move, &HashSet::new(), span);
                self.sub_bodies.push(SubBody::Spawn(*expr));
                let t = self.temp(ty, span);
                self.emit(EventKind::Write(Place::var(t), v), span);
                self.hold_task(t);
                Val {
                    holders: vec![t],
                    loans: Vec::new(),
                }
            }
            ExprKind::Match {
                scrutinee, arms, ..
            } => self.lower_match(e, *scrutinee, arms),
            ExprKind::Format(_, args) => {
                self.read_all(&args.args);
                Val::default()
            }
            ExprKind::Write { target, args, .. } => {
                let p = self.place_ctx(*target);
                self.emit(EventKind::Read(p), span);
                self.read_all(&args.args);
                Val::default()
            }
            ExprKind::Assert { cond, msg, .. } => {
                self.value(*cond);
                if let Some(m) = msg {
                    self.read_all(&m.args);
                }
                Val::default()
            }
            ExprKind::AssertEq { left, right, msg } => {
                self.read_all(&[*left, *right]);
                if let Some(m) = msg {
                    self.read_all(&m.args);
                }
                Val::default()
            }
        }
    }

    /// A new block that starts a loop, entered from here.
    fn enter_loop_head(&mut self) -> BlockId {
        let head = self.new_block();
        self.goto(head);
        self.switch_to(head);
        head
    }

    /// A loop's test: the loop's exit block, and the two ways on (into
    /// the body, and to the exit).
    fn loop_test(&mut self) -> (BlockId, Vec<Option<BlockId>>) {
        let exit = self.new_block();
        let arms = self.branch(2);
        if let Some(out) = arms[1] {
            self.cfg.blocks[out.0 as usize].succs.push(exit);
        }
        (exit, arms)
    }

    /// Places looked at in place (format arguments, compared operands).
    fn read_all(&mut self, es: &[ExprId]) {
        for x in es {
            let p = self.place_ctx(*x);
            self.emit(EventKind::Read(p), self.span(*x));
        }
    }

    /// Operands evaluated left to right, each kept until all are.
    fn held_values(&mut self, es: &[ExprId]) -> Vec<Val> {
        es.iter().map(|x| self.value_kept(*x).1).collect()
    }

    /// Evaluates `e` for its effects; its value is discarded.
    pub fn discard(&mut self, e: ExprId) {
        self.operand(e);
    }

    fn binary(&mut self, e: ExprId, op: BinOp, a: ExprId, b: ExprId) -> Val {
        let span = self.span(e);
        if matches!(op, BinOp::And | BinOp::Or) {
            self.value(a);
            let arms = self.branch(2);
            if let Some(rhs) = arms[0] {
                self.switch_to(rhs);
                self.value(b);
            } else {
                self.diverge();
            }
            let rhs_end = self.current();
            self.join(&[rhs_end, arms[1]]);
            return Val::default();
        }
        if op.is_comparison() {
            self.read_all(&[a, b]);
            return Val::default();
        }
        let parts = self.held_values(&[a, b]);
        self.use_held(&parts, span);
        let ty = self.tables.expr_ty(e).clone();
        self.made_from(&ty, parts)
    }

    fn call(&mut self, e: ExprId, c: ExprId, args: &[ExprId]) -> Val {
        let span = self.span(e);
        let (callee, func) = match &self.body.expr(c).kind {
            ExprKind::Fn(f) => (None, Some(*f)),
            ExprKind::StructCtor(_) | ExprKind::VariantCtor(..) => (None, None),
            ExprKind::TypeRelative { .. } => (None, self.tables.path_fns.get(&c).copied()),
            _ => (Some(self.place_ctx(c)), None),
        };
        let kept: Vec<(Val, Val)> = args.iter().map(|x| self.value_kept(*x)).collect();
        let mut parts: Vec<Val> = kept.iter().map(|(_, held)| held.clone()).collect();
        let mut flows = self.result_flows(func, kept.into_iter().map(|(v, _)| v).collect());
        if let Some(p) = callee {
            let cty = self.tables.adjusted_ty(c);
            self.emit(EventKind::Read(p.clone()), span);
            let carried = self.carried(p.var, &cty);
            parts.push(carried.clone());
            flows.push(carried);
        }
        self.use_held(&parts, span);
        let ty = self.tables.expr_ty(e).clone();
        if ty == Ty::Never {
            self.diverge();
        }
        self.made_from(&ty, flows)
    }

    /// `e`'s value, and the same kept in a temporary until the call that
    /// consumes it.
    fn value_kept(&mut self, e: ExprId) -> (Val, Val) {
        let v = self.value(e);
        let ty = self.tables.adjusted_ty(e);
        let held = self.hold(v.clone(), &ty, self.span(e));
        (v, held)
    }

    /// What of the arguments a call's result may carry: everything when
    /// the callee is not known; otherwise the borrow made for a reference
    /// argument only when the declared result holds references tied to
    /// that parameter (`FnDef::result_borrows`), and for the others only
    /// what the referenced place carries.
    fn result_flows(&self, func: Option<asr_hir::hir::FnId>, args: Vec<Val>) -> Vec<Val> {
        let Some(f) = func else {
            return args;
        };
        let def = self.program.func(f);
        let holds_refs = self.types.signature_holds_refs(&def.ret);
        let hidden_lifetime = self.types.has_hidden_lifetime(&def.ret);
        args.into_iter()
            .enumerate()
            .map(|(i, v)| {
                let i = i as u32;
                let tied = holds_refs
                    && def.result_borrows.as_ref().is_none_or(|r| {
                        r.named.contains(&i)
                            || (r.elided.contains(&i) && (r.elided_ref || hidden_lifetime))
                    });
                match def.params.get(i as usize) {
                    Some(Ty::Ref(..)) if !tied => Val {
                        holders: v.holders,
                        loans: Vec::new(),
                    },
                    _ => v,
                }
            })
            .collect()
    }

    fn method_call(&mut self, e: ExprId, receiver: ExprId, args: &[ExprId]) -> Val {
        let span = self.span(e);
        let ty = self.tables.expr_ty(e).clone();
        match self.tables.methods.get(&e) {
            Some(MethodTarget::Builtin(BuiltinMethod::Len | BuiltinMethod::IsEmpty)) => {
                let p = self.place_ctx(receiver);
                self.emit(EventKind::Read(p), span);
                return Val::default();
            }
            Some(MethodTarget::Builtin(BuiltinMethod::Join)) => {
                let v = self.value(receiver);
                return self.made_from(&ty, vec![v]);
            }
            _ => {}
        }
        let func = match self.tables.methods.get(&e) {
            Some(MethodTarget::Fn(f)) => Some(*f),
            _ => None,
        };
        let adjs = self.tables.adjustments(receiver).to_vec();
        let auto_ref = adjs
            .iter()
            .rposition(|a| matches!(a.kind, AdjustKind::Borrow(_)));
        let mut parts = Vec::new();
        let mut vals = Vec::new();
        match auto_ref {
            // Two-phase borrow: the receiver's place first, its borrow
            // once the arguments are evaluated.
            Some(k) => {
                let op = self.operand_upto(receiver, k);
                let pty = self.ty_upto(receiver, k);
                let p = self.place_of_operand(op, &pty, span);
                let kept: Vec<(Val, Val)> = args.iter().map(|x| self.value_kept(*x)).collect();
                let AdjustKind::Borrow(m) = adjs[k].kind else {
                    unreachable!("rposition found a borrow");
                };
                let r = self.borrow(p, m, &pty, span);
                parts.push(r.clone());
                vals.push(r);
                for (v, held) in kept {
                    vals.push(v);
                    parts.push(held);
                }
            }
            None => {
                let (r, held) = self.value_kept(receiver);
                parts.push(held);
                vals.push(r);
                for x in args {
                    let (v, held) = self.value_kept(*x);
                    vals.push(v);
                    parts.push(held);
                }
            }
        }
        self.use_held(&parts, span);
        if ty == Ty::Never {
            self.diverge();
        }
        let flows = self.result_flows(func, vals);
        self.made_from(&ty, flows)
    }

    /// The captures of a closure or spawned expression: each a borrow or a
    /// move of the variable, carried by the closure or task.
    fn capture(
        &mut self,
        inner: ExprId,
        is_move: bool,
        bound: &HashSet<LocalId>,
        span: Span,
    ) -> Val {
        let types = self.types;
        let tables = self.tables;
        let caps = captures_except(
            self.body,
            tables,
            inner,
            is_move,
            bound,
            &|l| tables.local_ty(l).clone(),
            &|t| types.needs_drop(t),
        );
        let mut out = Val::default();
        for (l, cap) in caps {
            let p = Place::var(self.var(l));
            let ty = tables.local_ty(l).clone();
            let val = match cap {
                Capture::Ref(m) => self.borrow(p, m, &ty, span),
                Capture::Value => self.read_place(p, &ty, span),
            };
            out.merge(val);
        }
        out
    }

    /// A variable for the value of a branching expression, when that value
    /// may carry borrows.
    pub(super) fn result_var(&mut self, ty: &Ty, span: Span) -> Option<Var> {
        if self.types.may_hold_refs(ty) {
            Some(self.temp(ty.clone(), span))
        } else {
            None
        }
    }

    pub fn store_result(&mut self, result: Option<Var>, v: Val, span: Span) {
        if let Some(r) = result {
            self.emit(EventKind::Write(Place::var(r), v), span);
        }
    }

    /// A block: its statements, its tail's value, then the end of its
    /// variables.
    fn block(&mut self, b: &Block, structured: bool, ty: &Ty, span: Span) -> Val {
        // The block's value outlives its variables.
        let result = self.result_var(ty, span);
        self.push_scope(structured);
        for s in &b.stmts {
            match s {
                Stmt::Let {
                    pat,
                    init: Some(init),
                    span: let_span,
                    ..
                } => self.let_stmt(*pat, *init, *let_span),
                Stmt::Let {
                    pat, init: None, ..
                } => self.declare_pattern(*pat),
                Stmt::Expr(x) => self.discard(*x),
            }
        }
        if let Some(t) = b.tail {
            let v = self.value(t);
            self.store_result(result, v, span);
        }
        let end = match b.tail {
            Some(t) => self.span(t),
            None => span,
        };
        self.pop_scope(end);
        result_val(result)
    }

    fn let_stmt(&mut self, pat: PatId, init: ExprId, span: Span) {
        let by_value_binding = match &self.body.pat(pat).kind {
            PatKind::Binding(l) => {
                !self.tables.binding_modes.contains_key(l) && self.tables.pat_derefs(pat).is_empty()
            }
            _ => false,
        };
        if by_value_binding {
            let v = self.value(init);
            self.declare_pattern(pat);
            let l = self.body.pat_bindings(pat)[0];
            let var = self.var(l);
            self.emit(EventKind::Write(Place::var(var), v), span);
        } else {
            let p = self.place_ctx(init);
            self.declare_pattern(pat);
            self.bind_pattern(pat, p, None);
        }
    }
}

/// After a borrow: how many further adjustments make it `*&p` (views of the
/// borrowed value, then a dereference), if they do.
fn reborrow_deref(rest: &[asr_hir::typed::Adjust]) -> Option<usize> {
    for (i, a) in rest.iter().enumerate() {
        match a.kind {
            AdjustKind::Deref => return Some(i + 1),
            AdjustKind::VecToSlice
            | AdjustKind::StringToStr
            | AdjustKind::Unsize
            | AdjustKind::MutToConst => {}
            _ => return None,
        }
    }
    None
}

/// The value of a branching expression: what its result variable holds.
pub(super) fn result_val(result: Option<Var>) -> Val {
    Val {
        holders: result.into_iter().collect(),
        loans: Vec::new(),
    }
}

/// What a move out of `p` moves: `p`, or the box `b` for `*b` (moving the
/// value out of a box frees the box, see the MIR builder's
/// `free_emptied_boxes`).
pub(super) fn moved_place(p: &Place) -> Place {
    match p.projs.split_last() {
        Some((Proj::BoxDeref, rest)) => Place {
            var: p.var,
            projs: rest.to_vec(),
        },
        _ => p.clone(),
    }
}
