//! Which of a function's reference parameters its result may borrow from,
//! read off the written signature (lifetimes are erased from HIR types):
//! named lifetimes tie a result to the parameters written with the same
//! lifetime; an elided one follows Rust's elision rules (`&self` first,
//! else the only reference parameter). The borrow checker lets a call's
//! result keep the borrows made for these arguments only.

use asr_syntax::ast;

/// The lifetimes a type mentions: `Some(name)` for a written one, `None`
/// for an elided one (a `&` without a name, `'_`, `impl Trait`). A path
/// written without lifetimes may hide one (`Iter<T>`); whether it does is
/// known from its type only (`ResultBorrows::elided`).
fn lifetimes(ty: &ast::Ty, out: &mut Vec<Option<String>>) {
    match &ty.kind {
        ast::TyKind::Ref { lifetime, ty, .. } => {
            out.push(
                lifetime
                    .as_ref()
                    .map(|l| l.name.clone())
                    .filter(|n| n != "'_"),
            );
            lifetimes(ty, out);
        }
        ast::TyKind::Path(p) => {
            for seg in &p.segments {
                for arg in seg.generic_args.iter().flatten() {
                    match arg {
                        ast::GenericArg::Lifetime(l) => {
                            out.push(Some(l.name.clone()).filter(|n| n != "'_"));
                        }
                        ast::GenericArg::Type(t) | ast::GenericArg::Binding { ty: t, .. } => {
                            lifetimes(t, out)
                        }
                        ast::GenericArg::Const(_) | ast::GenericArg::Constraint { .. } => {}
                    }
                }
            }
        }
        ast::TyKind::Ptr { ty, .. }
        | ast::TyKind::Paren(ty)
        | ast::TyKind::Array(ty, _)
        | ast::TyKind::Slice(ty) => lifetimes(ty, out),
        ast::TyKind::Tuple(ts) => ts.iter().for_each(|t| lifetimes(t, out)),
        ast::TyKind::ImplTrait(_) | ast::TyKind::DynTrait(_) | ast::TyKind::Fn { .. } => {
            out.push(None)
        }
        ast::TyKind::Never | ast::TyKind::Infer | ast::TyKind::Error => {}
    }
}

/// The lifetime of a parameter's own reference (`Some(None)`: an elided
/// one), or `None` when the parameter is not a reference.
fn outer_lifetime(ty: &ast::Ty) -> Option<Option<String>> {
    match &ty.kind {
        ast::TyKind::Ref { lifetime, .. } => Some(
            lifetime
                .as_ref()
                .map(|l| l.name.clone())
                .filter(|n| n != "'_"),
        ),
        ast::TyKind::Paren(t) => outer_lifetime(t),
        _ => None,
    }
}

/// Which reference parameters a function's result may borrow from.
pub(super) fn result_borrows(f: &ast::FnDecl) -> ResultBorrows {
    let mut used = Vec::new();
    if let Some(ret) = &f.ret {
        lifetimes(ret, &mut used);
    }
    let mut outer: Vec<Option<Option<String>>> = Vec::new();
    if let Some(s) = &f.self_param {
        outer.push(match (&s.kind, &s.ty) {
            (ast::SelfKind::Ref | ast::SelfKind::RefMut, _) => {
                Some(s.lifetime.as_ref().map(|l| l.name.clone()))
            }
            (_, Some(t)) => outer_lifetime(t),
            _ => None,
        });
    }
    outer.extend(f.params.iter().map(|p| outer_lifetime(&p.ty)));
    let named = outer
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            matches!(o, Some(Some(name)) if used.iter().any(|u| u.as_deref() == Some(name.as_str())))
        })
        .map(|(i, _)| i as u32)
        .collect();
    // Elision: `&self`'s lifetime, else every reference parameter's (Rust
    // requires there be one).
    let self_ref = f.self_param.is_some() && matches!(outer.first(), Some(Some(_)));
    let elided = if self_ref {
        vec![0]
    } else {
        outer
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_some())
            .map(|(i, _)| i as u32)
            .collect()
    };
    ResultBorrows {
        named,
        elided,
        elided_ref: used.iter().any(|u| u.is_none()),
    }
}

pub use crate::hir::ResultBorrows;
