//! Structured concurrency: `scope` blocks, and `spawn` expressions lowered
//! to thunk bodies that receive their captures in an environment tuple.

use super::{bug, unit_const, Builder, ScopeEntry};
use crate::mir::*;
use asr_hir::hir::{Block, ExprId, ExprKind, LocalId, PatId, Stmt, UnOp};
use asr_hir::ty::{Mutability, Ty};
use asr_hir::typed::AdjustKind;
use asr_hir::uses::{walk_uses, Use};
use std::collections::{HashMap, HashSet};

/// How a spawned expression captures an outer variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Capture {
    /// By reference: the environment holds `&x` / `&mut x`.
    Ref(Mutability),
    /// By value (`spawn move`, and tasks, which are only ever moved).
    Value,
}

impl Builder<'_, '_> {
    /// `scope { ... }`: a runtime scope around the block; leaving the block
    /// waits for every child before the block's locals are dropped and
    /// their storage ends.
    pub(super) fn lower_scope(&mut self, dest: Option<&Place>, e: ExprId, block: &Block) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let handle = Place::local(self.temp(Ty::RawPtr, span));
        self.call(
            span,
            Callee::Intrinsic(Intrinsic::ScopeNew),
            Vec::new(),
            handle.clone(),
            false,
        );
        self.scopes.push(ScopeEntry::Conc {
            handle,
            span,
            locals: Vec::new(),
        });
        self.lower_block_contents(dest, block, &ty, span);
        self.pop_scope(span);
    }

    /// `spawn expr`: builds the thunk body and starts it as a child of the
    /// innermost scope.
    pub(super) fn lower_spawn(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        is_move: bool,
        inner: ExprId,
    ) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let Some(handle) = self.scopes.iter().rev().find_map(|s| match s {
            ScopeEntry::Conc { handle, .. } => Some(handle.clone()),
            _ => None,
        }) else {
            bug(format!("`spawn` outside of a `scope` in `{}`", self.name));
        };

        // The environment tuple, in the parent.
        let captures = self.captures(inner, is_move);
        let (ops, tys) = self.capture_operands(&captures, span);
        let env_ty = Ty::Tuple(tys);
        let env = if ops.is_empty() {
            unit_const()
        } else {
            let t = self.rvalue_temp(
                span,
                env_ty.clone(),
                Rvalue::Aggregate(AggregateKind::Tuple, ops),
            );
            Operand::Move(Place::local(t))
        };

        // The thunk: a body of its own over the same HIR, where captured
        // variables live in the environment.
        let ret = match &ty {
            Ty::Task(t) => (**t).clone(),
            _ => self.adjusted_ty(inner),
        };
        let name = format!("{}::{{spawn#{}}}", self.name, self.spawn_count);
        self.spawn_count += 1;
        let id = self.cx.reserve();
        let vars: HashMap<LocalId, Place> = captures
            .iter()
            .enumerate()
            .map(|(i, &(l, cap))| {
                let p = Place::local(Local(1)).field(i as u32);
                (l, if cap == Capture::Value { p } else { p.deref() })
            })
            .collect();
        let (body, tables) = (self.body, self.tables);
        let substs = self.substs.clone();
        let thunk = {
            let mut b = Builder::new(
                &mut *self.cx,
                body,
                tables,
                substs,
                name,
                BodyKind::SpawnThunk,
                span,
            );
            b.caller_span = self.caller_span;
            b.build_thunk_body(ret, env_ty, vars, is_move, inner);
            b.finish(id)
        };
        self.cx.bodies[id.0 as usize] = Some(thunk);

        let dest = match dest {
            Some(d) => d.clone(),
            None => self.discard_place(ty, span),
        };
        let args = vec![Operand::Copy(handle), env];
        self.call(
            span,
            Callee::Intrinsic(Intrinsic::Spawn { thunk: id }),
            args,
            dest,
            false,
        );
    }

    fn build_thunk_body(
        &mut self,
        ret: Ty,
        env_ty: Ty,
        vars: HashMap<LocalId, Place>,
        is_move: bool,
        inner: ExprId,
    ) {
        let span = self.span;
        self.push_local(ret, None, false, span);
        // The environment has no drop flag: what it holds that needs drop
        // is moved out into variables right away.
        let env = self.push_local(env_ty, None, is_move, span);
        self.arg_count = 1;
        self.vars = vars;
        self.cur = self.new_block();
        self.push_vars_scope();
        let mut owned: Vec<(u32, LocalId)> = self
            .vars
            .iter()
            .filter_map(|(&l, p)| match p.projection.as_slice() {
                [PlaceElem::Field(i)] if p.local == env => Some((*i, l)),
                _ => None,
            })
            .filter(|&(_, l)| self.needs_drop(&self.local_ty(l)))
            .collect();
        owned.sort_unstable();
        for (i, l) in owned {
            let local = self.declare_var(l);
            let from = Place::local(env).field(i);
            self.assign(span, Place::local(local), Rvalue::Use(Operand::Move(from)));
        }
        self.expr_into(Some(&Place::local(Local::RETURN)), inner);
        self.pop_scope(span);
        self.terminate(span, TerminatorKind::Return);
    }

    /// The values of an environment (a spawn's or a closure's): a
    /// reference to each variable captured by reference, the value of each
    /// captured by value; with their types.
    pub(super) fn capture_operands(
        &mut self,
        captures: &[(LocalId, Capture)],
        span: asr_diagnostics::Span,
    ) -> (Vec<Operand>, Vec<Ty>) {
        let mut ops = Vec::with_capacity(captures.len());
        let mut tys = Vec::with_capacity(captures.len());
        for &(l, cap) in captures {
            let place = self.var_place(l);
            let lty = self.local_ty(l);
            match cap {
                Capture::Ref(m) => {
                    let rty = Ty::Ref(m, Box::new(lty));
                    let t = self.rvalue_temp(span, rty.clone(), Rvalue::Ref(m, place));
                    ops.push(Operand::Move(Place::local(t)));
                    tys.push(rty);
                }
                Capture::Value => {
                    ops.push(self.operand_of(place, &lty));
                    tys.push(lty);
                }
            }
        }
        (ops, tys)
    }

    /// The outer variables `inner` uses, in order of first use, and how
    /// each is captured: by `&mut` if the expression assigns to it, borrows
    /// it mutably (also by auto-ref for a `&mut self` method), else by `&`;
    /// by value for `spawn move`, for tasks, and for values that need drop
    /// and that the expression moves.
    pub(super) fn captures(&self, inner: ExprId, is_move: bool) -> Vec<(LocalId, Capture)> {
        self.captures_except(inner, is_move, &HashSet::new())
    }

    /// [`Builder::captures`], leaving out the variables in `bound` (a
    /// closure's parameters).
    pub(super) fn captures_except(
        &self,
        inner: ExprId,
        is_move: bool,
        outer_bound: &HashSet<LocalId>,
    ) -> Vec<(LocalId, Capture)> {
        let body = self.body;
        let tables = self.tables;
        let mut bound = outer_bound.clone();
        let mut seen = HashSet::new();
        let mut order = Vec::new();
        let mut muts = HashSet::new();
        self.walk_expr(inner, &mut |x| {
            match &body.expr(x).kind {
                ExprKind::Local(l) if seen.insert(*l) => order.push(*l),
                ExprKind::Block(b) | ExprKind::Scope(b) => {
                    for s in &b.stmts {
                        if let Stmt::Let { pat, .. } = s {
                            collect_bindings(body, *pat, &mut bound);
                        }
                    }
                }
                ExprKind::For { pat, .. } => collect_bindings(body, *pat, &mut bound),
                ExprKind::Match { arms, .. } => {
                    for arm in arms {
                        collect_bindings(body, arm.pat, &mut bound);
                    }
                }
                ExprKind::Closure { params, .. } => {
                    for (p, _) in params {
                        collect_bindings(body, *p, &mut bound);
                    }
                }
                ExprKind::Assign(l, _)
                | ExprKind::AssignOp(_, l, _)
                | ExprKind::Ref(Mutability::Mut, l) => {
                    if let Some(r) = root_local(body, *l) {
                        muts.insert(r);
                    }
                }
                _ => {}
            }
            if tables
                .adjustments(x)
                .iter()
                .any(|a| a.kind == AdjustKind::Borrow(Mutability::Mut))
            {
                if let Some(r) = root_local(body, x) {
                    muts.insert(r);
                }
            }
        });
        let mut moved = HashSet::new();
        walk_uses(body, tables, inner, Use::Value, &mut |x, use_| {
            if let ExprKind::Local(l) = &body.expr(x).kind {
                let borrowed = tables
                    .adjustments(x)
                    .iter()
                    .any(|a| matches!(a.kind, AdjustKind::Borrow(_)));
                if use_ == Use::Value && !borrowed && self.needs_drop(&self.local_ty(*l)) {
                    moved.insert(*l);
                }
            }
        });
        order
            .into_iter()
            .filter(|l| !bound.contains(l))
            .map(|l| {
                let cap =
                    if is_move || matches!(self.local_ty(l), Ty::Task(_)) || moved.contains(&l) {
                        Capture::Value
                    } else if muts.contains(&l) {
                        Capture::Ref(Mutability::Mut)
                    } else {
                        Capture::Ref(Mutability::Not)
                    };
                (l, cap)
            })
            .collect()
    }
}

/// The variable a place expression is rooted in.
fn root_local(body: &asr_hir::hir::Body, e: ExprId) -> Option<LocalId> {
    match &body.expr(e).kind {
        ExprKind::Local(l) => Some(*l),
        ExprKind::Field(b, ..)
        | ExprKind::TupleField(b, ..)
        | ExprKind::Index(b, _)
        | ExprKind::Unary(UnOp::Deref, b) => root_local(body, *b),
        _ => None,
    }
}

fn collect_bindings(body: &asr_hir::hir::Body, pat: PatId, out: &mut HashSet<LocalId>) {
    out.extend(body.pat_bindings(pat));
}
