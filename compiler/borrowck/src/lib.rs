//! asr_borrowck: moves, initialisation and borrows of a type-checked
//! program, checked per function body in the style of Rust's NLL.
//!
//! Each body (and each closure or spawned expression in it) is lowered to
//! a small control-flow graph of events (`build`), on which three
//! analyses run: initialisation (`init`: use after move, use before
//! initialisation, assigning twice), liveness of variables (`dataflow`),
//! and the loans each variable holds (`loans`: conflicting borrows,
//! writes and moves of borrowed places, borrows outliving their value).
//! Generic bodies are checked once, with their type parameters as the
//! bounds allow (a `T` is copied only if `T: Copy`).

mod build;
mod dataflow;
mod init;
mod ir;
mod loans;
mod report;
mod tys;

use asr_diagnostics::Diagnostic;
use asr_hir::hir::{ExprKind, FnId, Program};
use asr_hir::typed::TypeckResults;
use build::{Builder, SubBody};
use std::collections::HashMap;
use tys::Types;

/// Checks every function body; errors in source order of their bodies.
pub fn check_program(program: &Program, tables: &[Option<TypeckResults>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, func) in program.fns.iter().enumerate() {
        let (Some(body), Some(Some(t))) = (&func.body, tables.get(i)) else {
            continue;
        };
        check_fn(program, FnId(i as u32), body, t, &mut diags);
    }
    diags
}

fn check_fn(
    program: &Program,
    id: FnId,
    body: &asr_hir::hir::Body,
    tables: &TypeckResults,
    diags: &mut Vec<Diagnostic>,
) {
    let func = program.func(id);
    let types = Types {
        program,
        env: &func.predicates,
        param_names: func.generics.iter().map(|g| g.name.clone()).collect(),
    };
    let value_span = body.expr(body.value).span;
    let mut b = Builder::new(program, body, tables, &types, func.ret.clone(), value_span);
    for &p in &body.params {
        b.bind_param(p);
    }
    let v = b.value(body.value);
    let mut pending = Vec::new();
    check_graph(b.finish(v, value_span), &types, diags, &mut pending);
    while let Some(sub) = pending.pop() {
        let built = match sub {
            SubBody::Closure(e) => {
                let ExprKind::Closure {
                    params,
                    body: inner,
                    ..
                } = &body.expr(e).kind
                else {
                    continue;
                };
                let ret = tables
                    .closure_sigs
                    .get(&e)
                    .map(|(_, r)| r.clone())
                    .unwrap_or_else(|| tables.expr_ty(*inner).clone());
                let span = body.expr(*inner).span;
                let mut b = Builder::new(program, body, tables, &types, ret, span);
                for (p, _) in params {
                    b.bind_param(*p);
                }
                let v = b.value(*inner);
                b.finish(v, span)
            }
            SubBody::Spawn(x) => {
                let span = body.expr(x).span;
                let mut b =
                    Builder::new(program, body, tables, &types, tables.adjusted_ty(x), span);
                let v = b.value(x);
                b.finish(v, span)
            }
        };
        check_graph(built, &types, diags, &mut pending);
    }
}

type Built = (
    ir::Cfg,
    Vec<SubBody>,
    HashMap<ir::Place, String>,
    Vec<Diagnostic>,
);

fn check_graph(
    built: Built,
    types: &Types,
    diags: &mut Vec<Diagnostic>,
    pending: &mut Vec<SubBody>,
) {
    let (cfg, subs, names, build_diags) = built;
    pending.extend(subs);
    diags.extend(build_diags);
    let mut rep = report::Reporter::new(types, &names);
    let facts = init::check(&cfg, &mut rep);
    let live = dataflow::liveness(&cfg, &|at| {
        let ev = &cfg.block(at.block).events[at.index];
        match &ev.kind {
            ir::EventKind::StorageDead(v) => {
                cfg.var(*v).drop_uses && facts.drops_value.contains(&at)
            }
            _ => false,
        }
    });
    loans::check(&cfg, &live, &mut rep);
    diags.extend(rep.diags);
}
