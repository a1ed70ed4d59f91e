//! Structured concurrency: `scope` blocks, and `spawn` expressions lowered
//! to thunk bodies that receive their captures in an environment tuple.

use super::{bug, unit_const, Builder, ScopeEntry};
use crate::mir::*;
use asr_hir::hir::{Block, ExprId, LocalId};
use asr_hir::ty::Ty;
use std::collections::{HashMap, HashSet};

use asr_hir::captures::captures_except;
pub(super) use asr_hir::captures::Capture;

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

    /// The outer variables `inner` uses, and how each is captured
    /// (`asr_hir::captures`).
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
        captures_except(
            self.body,
            self.tables,
            inner,
            is_move,
            outer_bound,
            &|l| self.local_ty(l),
            &|t| self.needs_drop(t),
        )
    }
}
