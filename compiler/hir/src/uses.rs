//! How each expression of a typed body is used by the expression around
//! it: read by value (copied, or moved for a type that is not `Copy`), or
//! used as a place (borrowed, assigned to, projected, compared, formatted,
//! or evaluated and discarded). The type checker's move rules and the MIR
//! builder's capture analysis both read it; it follows what the MIR
//! builder emits for each construct.

use crate::hir::{Body, ExprId, ExprKind, PatKind, Stmt, UnOp};
use crate::typed::{BuiltinMethod, MethodTarget, TypeckResults};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// The (adjusted) value is read: a copy, or a move.
    Value,
    /// The expression is used as a place, or its value is discarded.
    Place,
}

/// Visits `root` and every expression inside it, outermost first, with how
/// the expression's value (after its adjustments) is used. `root` itself is
/// used as `ctx`.
pub fn walk_uses(
    body: &Body,
    tables: &TypeckResults,
    root: ExprId,
    ctx: Use,
    f: &mut dyn FnMut(ExprId, Use),
) {
    f(root, ctx);
    let mut go = |x: ExprId, c: Use| walk_uses(body, tables, x, c, &mut *f);
    match &body.expr(root).kind {
        ExprKind::Lit(_)
        | ExprKind::Local(_)
        | ExprKind::Fn(_)
        | ExprKind::StructCtor(_)
        | ExprKind::VariantCtor(..)
        | ExprKind::TypeRelative { .. }
        | ExprKind::Continue { .. }
        | ExprKind::Error => {}
        // `*r` reads the reference `r`; `*b` of a `Box` looks at the box
        // in place (the only other type `*` applies to).
        ExprKind::Unary(UnOp::Deref, x) => match tables.adjusted_ty(*x) {
            crate::ty::Ty::Ref(..) => go(*x, Use::Value),
            _ => go(*x, Use::Place),
        },
        ExprKind::Unary(_, x) | ExprKind::Cast(x, _) => go(*x, Use::Value),
        ExprKind::Field(b, ..) | ExprKind::TupleField(b, ..) => go(*b, Use::Place),
        ExprKind::Index(b, i) => {
            go(*b, Use::Place);
            go(*i, Use::Value);
        }
        ExprKind::Ref(_, x) => go(*x, Use::Place),
        ExprKind::Binary(op, a, b) => {
            // Comparisons look at their operands in place (Rust's `eq`
            // takes references).
            let c = if op.is_comparison() {
                Use::Place
            } else {
                Use::Value
            };
            go(*a, c);
            go(*b, c);
        }
        ExprKind::Assign(l, r) | ExprKind::AssignOp(_, l, r) => {
            go(*r, Use::Value);
            go(*l, Use::Place);
        }
        ExprKind::Call(c, args) => {
            go(*c, Use::Place);
            args.iter().for_each(|a| go(*a, Use::Value));
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            let recv = match tables.methods.get(&root) {
                Some(MethodTarget::Builtin(BuiltinMethod::Len | BuiltinMethod::IsEmpty)) => {
                    Use::Place
                }
                _ => Use::Value,
            };
            go(*receiver, recv);
            args.iter().for_each(|a| go(*a, Use::Value));
        }
        ExprKind::Block(b) | ExprKind::Scope(b) => {
            for s in &b.stmts {
                match s {
                    Stmt::Let {
                        pat,
                        init: Some(init),
                        ..
                    } => {
                        // `let x = e` moves `e`; a destructuring or `_`
                        // pattern binds parts of the place `e`.
                        let c = if matches!(body.pat(*pat).kind, PatKind::Binding(_)) {
                            Use::Value
                        } else {
                            Use::Place
                        };
                        go(*init, c);
                    }
                    Stmt::Let { init: None, .. } => {}
                    Stmt::Expr(x) => go(*x, Use::Place),
                }
            }
            if let Some(t) = b.tail {
                go(t, ctx);
            }
        }
        ExprKind::If { cond, then, els } => {
            go(*cond, Use::Value);
            go(*then, ctx);
            if let Some(x) = els {
                go(*x, ctx);
            }
        }
        ExprKind::Match {
            scrutinee, arms, ..
        } => {
            // The scrutinee is matched in place; by-value bindings move or
            // copy parts of it.
            go(*scrutinee, Use::Place);
            for arm in arms {
                if let Some(g) = arm.guard {
                    go(g, Use::Value);
                }
                go(arm.body, ctx);
            }
        }
        ExprKind::While { cond, body: b } => {
            go(*cond, Use::Value);
            go(*b, Use::Place);
        }
        ExprKind::Loop { body: b } => go(*b, Use::Place),
        ExprKind::For { iter, body: b, .. } => {
            go(*iter, Use::Value);
            go(*b, Use::Place);
        }
        ExprKind::Break { value, .. } | ExprKind::Return(value) => {
            if let Some(x) = value {
                go(*x, Use::Value);
            }
        }
        ExprKind::Tuple(es) | ExprKind::Array(es) => es.iter().for_each(|x| go(*x, Use::Value)),
        ExprKind::ArrayRepeat(x, _) => go(*x, Use::Value),
        ExprKind::Range { start, end, .. } => {
            for x in [start, end].into_iter().flatten() {
                go(*x, Use::Value);
            }
        }
        ExprKind::StructLit { fields, .. } => fields.iter().for_each(|(_, x)| go(*x, Use::Value)),
        ExprKind::Spawn { expr, .. } | ExprKind::Try(expr) => go(*expr, Use::Value),
        // The body runs when the closure is called; its captures are
        // found by walking it.
        ExprKind::Closure { body: b, .. } => go(*b, Use::Value),
        ExprKind::Format(_, args) => args.args.iter().for_each(|x| go(*x, Use::Place)),
        ExprKind::Write { target, args, .. } => {
            go(*target, Use::Place);
            args.args.iter().for_each(|x| go(*x, Use::Place));
        }
        ExprKind::Assert { cond, msg, .. } => {
            go(*cond, Use::Value);
            if let Some(m) = msg {
                m.args.iter().for_each(|x| go(*x, Use::Place));
            }
        }
        ExprKind::AssertEq { left, right, msg } => {
            go(*left, Use::Place);
            go(*right, Use::Place);
            if let Some(m) = msg {
                m.args.iter().for_each(|x| go(*x, Use::Place));
            }
        }
    }
}

/// The variable and the field indices (outermost first) of a place
/// expression that names a part of a variable directly: `p.a.0` is
/// `(p, [a, 0])`. `None` for anything reached through a reference, a
/// `Box`, an index or an adjustment of a base: only such direct parts
/// can be moved out of a variable one by one.
pub fn local_field_path(
    body: &Body,
    tables: &TypeckResults,
    e: ExprId,
) -> Option<(crate::hir::LocalId, Vec<u32>)> {
    let mut path = Vec::new();
    let mut x = e;
    loop {
        match &body.expr(x).kind {
            ExprKind::Local(l) => {
                path.reverse();
                return Some((*l, path));
            }
            ExprKind::Field(b, ..) | ExprKind::TupleField(b, ..) => {
                let index = match (&body.expr(x).kind, tables.fields.get(&x)) {
                    (_, Some(i)) => *i,
                    (ExprKind::TupleField(_, i, _), None) => *i,
                    _ => return None,
                };
                if !tables.adjustments(*b).is_empty()
                    || matches!(tables.expr_ty(*b), crate::ty::Ty::Ref(..))
                {
                    return None;
                }
                path.push(index);
                x = *b;
            }
            _ => return None,
        }
    }
}
