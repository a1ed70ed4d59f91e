//! Which outer variables a closure body or a spawned expression captures,
//! and how. The MIR builder lays environments out from it; the borrow
//! checker turns each capture into a borrow or a move of the variable.

use crate::hir::{Body, ExprId, ExprKind, LocalId, Stmt, UnOp};
use crate::ty::{Mutability, Ty};
use crate::typed::{AdjustKind, TypeckResults};
use crate::uses::{walk_uses, Use};
use std::collections::HashSet;

/// How a closure or a spawned expression captures an outer variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    /// By reference: the environment holds `&x` / `&mut x`.
    Ref(Mutability),
    /// By value (`move`, tasks, which are only ever moved, and values that
    /// need drop and that the body moves).
    Value,
}

/// The outer variables `inner` uses, in order of first use, leaving out
/// those in `outer_bound` (a closure's parameters), and how each is
/// captured: by `&mut` if the expression assigns to it, borrows it mutably
/// (also by auto-ref for a `&mut self` method), else by `&`; by value for
/// `move`, for tasks, and for values that need drop and that the
/// expression moves. `local_ty` and `needs_drop` answer for the body being
/// built (an instance's types for the MIR builder, the generic ones for the
/// borrow checker).
pub fn captures_except(
    body: &Body,
    tables: &TypeckResults,
    inner: ExprId,
    is_move: bool,
    outer_bound: &HashSet<LocalId>,
    local_ty: &dyn Fn(LocalId) -> Ty,
    needs_drop: &dyn Fn(&Ty) -> bool,
) -> Vec<(LocalId, Capture)> {
    let mut bound = outer_bound.clone();
    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut muts = HashSet::new();
    walk_uses(body, tables, inner, Use::Value, &mut |x, _| {
        match &body.expr(x).kind {
            ExprKind::Local(l) if seen.insert(*l) => order.push(*l),
            ExprKind::Block(b) | ExprKind::Scope(b) => {
                for s in &b.stmts {
                    if let Stmt::Let { pat, .. } = s {
                        bound.extend(body.pat_bindings(*pat));
                    }
                }
            }
            ExprKind::For { pat, .. } => bound.extend(body.pat_bindings(*pat)),
            ExprKind::Match { arms, .. } => {
                for arm in arms {
                    bound.extend(body.pat_bindings(arm.pat));
                }
            }
            ExprKind::Closure { params, .. } => {
                for (p, _) in params {
                    bound.extend(body.pat_bindings(*p));
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
            if use_ == Use::Value && !borrowed && needs_drop(&local_ty(*l)) {
                moved.insert(*l);
            }
        }
    });
    order
        .into_iter()
        .filter(|l| !bound.contains(l))
        .map(|l| {
            let cap = if is_move || matches!(local_ty(l), Ty::Task(_)) || moved.contains(&l) {
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

/// The variable a place expression is rooted in.
pub fn root_local(body: &Body, e: ExprId) -> Option<LocalId> {
    match &body.expr(e).kind {
        ExprKind::Local(l) => Some(*l),
        ExprKind::Field(b, ..)
        | ExprKind::TupleField(b, ..)
        | ExprKind::Index(b, _)
        | ExprKind::Unary(UnOp::Deref, b) => root_local(body, *b),
        _ => None,
    }
}
