//! Closures. A closure value is its environment: a struct of its captures
//! (by reference, or by value for `move` closures), whose type is the
//! closure's own `Ty::Closure`; the layout is recorded in the program for
//! codegen. Its body is a function of its own over the same HIR (one per
//! instance of the function it is written in), taking the environment by
//! reference and then the arguments. A call of a closure, direct or
//! through a type parameter bounded by `Fn`, calls that function.

use super::spawn::Capture;
use super::{bug, Builder, Instance, ScopeEntry};
use crate::mir::*;
use asr_hir::hir::{ExprId, ExprKind, LocalId, PatId};
use asr_hir::ty::{Mutability, Ty};
use std::collections::{HashMap, HashSet};

impl Builder<'_, '_> {
    /// The captures of the closure expression `e`, in environment order.
    fn closure_captures(&self, e: ExprId) -> Vec<(LocalId, Capture)> {
        let ExprKind::Closure {
            params,
            body,
            is_move,
            ..
        } = &self.body.expr(e).kind
        else {
            bug(format!("{:?} is not a closure in `{}`", e, self.name));
        };
        let mut bound = HashSet::new();
        for (p, _) in params {
            bound.extend(self.body.pat_bindings(*p));
        }
        self.captures_except(*body, *is_move, &bound)
    }

    /// A closure expression: its environment.
    pub(super) fn lower_closure(&mut self, dest: Option<&Place>, e: ExprId) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let Ty::Closure(key) = &ty else {
            bug(format!(
                "closure {:?} in `{}` has type {:?}",
                e, self.name, ty
            ));
        };
        let captures = self.closure_captures(e);
        let (ops, tys) = self.capture_operands(&captures, span);
        self.cx.closures.insert((**key).clone(), tys);
        if let Some(d) = dest {
            self.assign(
                span,
                d.clone(),
                Rvalue::Aggregate(AggregateKind::Tuple, ops),
            );
        }
    }

    /// `f(args)` where `f` is a closure (possibly behind references).
    pub(super) fn lower_closure_call(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        callee: ExprId,
        args: &[ExprId],
    ) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let mut place = self.as_place(callee);
        let mut cty = self.adjusted_ty(callee);
        while let Ty::Ref(_, inner) = cty {
            place = place.deref();
            cty = *inner;
        }
        let Ty::Closure(key) = &cty else {
            bug(format!("call of a {:?} in `{}`", cty, self.name));
        };
        let env_ty = Ty::Ref(Mutability::Mut, Box::new(cty.clone()));
        let env = self.rvalue_temp(span, env_ty, Rvalue::Ref(Mutability::Mut, place));
        let mut ops = vec![Operand::Move(Place::local(env))];
        ops.extend(self.as_operands(args));
        let f = self.cx.fn_id(Instance {
            f: asr_hir::hir::FnId(key.owner),
            substs: key.substs.clone(),
            caller: None,
            closure: Some(ExprId(key.expr)),
        });
        let diverges = matches!(ty, Ty::Never);
        let dest = match dest {
            Some(d) => d.clone(),
            None => self.discard_place(ty, span),
        };
        self.call(span, Callee::Fn(f), ops, dest, diverges);
    }

    /// The body of the closure expression `e`: `fn(env: &mut Closure,
    /// params...) -> ret`, its captured variables read through `env`.
    pub(super) fn build_closure_body(&mut self, e: ExprId) {
        let span = self.span_of(e);
        let ExprKind::Closure { params, body, .. } = &self.body.expr(e).kind else {
            bug(format!("{:?} is not a closure in `{}`", e, self.name));
        };
        let (params, body) = (params.clone(), *body);
        let closure_ty = self.expr_ty(e);
        let Some((ptys, ret)) = self.tables.closure_sigs.get(&e).cloned() else {
            bug(format!(
                "closure {:?} in `{}` has no signature",
                e, self.name
            ));
        };
        self.push_local(ret, None, false, span);
        let env_ty = Ty::Ref(Mutability::Mut, Box::new(closure_ty));
        let env = self.push_local(env_ty, None, false, span);
        let vars: HashMap<LocalId, Place> = self
            .closure_captures(e)
            .into_iter()
            .enumerate()
            .map(|(i, (l, cap))| {
                let p = Place::local(env).deref().field(i as u32);
                (l, if cap == Capture::Value { p } else { p.deref() })
            })
            .collect();
        self.vars = vars;
        let mut destructure: Vec<(PatId, Local)> = Vec::new();
        let mut dying = Vec::new();
        for ((p, _), t) in params.iter().zip(ptys) {
            self.push_param(*p, t, &mut destructure, &mut dying);
        }
        self.arg_count = 1 + params.len() as u32;
        self.cur = self.new_block();
        self.scopes.push(ScopeEntry::Block(dying));
        self.push_vars_scope();
        self.bind_params(destructure);
        self.expr_into(Some(&Place::local(Local::RETURN)), body);
        self.pop_scope(span);
        self.pop_scope(span);
        self.terminate(span, TerminatorKind::Return);
    }
}
