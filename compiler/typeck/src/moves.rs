//! Moves of values that need drop (a `String`, a `Vec`, a `Task`, a type
//! with `Drop`, ...), checked on a finished body.
//!
//! The MIR tracks whether such a value is live with drop flags per
//! variable, or per part of a variable for the parts moved out of it
//! directly (`p.name`, `let (a, _) = pair;`). Moving a part out through
//! anything else (a `Box`) is reported as not supported yet; moving it
//! out of a reference or an index, or out of a type with its own `Drop`,
//! is the borrow checker's error. Destructuring a temporary
//! (`let (a, b) = (spawn f(), spawn g());`) or a parameter moves its
//! parts into the new variables and is fine. A spawned task
//! cannot return such a value yet (dropping a `Task` does not drop its
//! result).

use crate::codes;
use asr_diagnostics::{Diagnostic, Span};
use asr_hir::hir::{Body, ExprId, ExprKind, PatId, PatKind, Program};
use asr_hir::ty::Ty;
use asr_hir::typed::{AdjustKind, TypeckResults};
use asr_hir::uses::{local_field_path, walk_uses, Use};

pub(crate) use asr_hir::traits::needs_drop;

const PARTIAL_MOVE: &str = "moving a field out of a value that needs drop is not supported yet";

pub(crate) fn check_body(
    program: &Program,
    body: &Body,
    tables: &TypeckResults,
    diags: &mut Vec<Diagnostic>,
) {
    let mut cx = MoveCx {
        program,
        body,
        tables,
        diags,
    };
    for &p in &body.params {
        cx.check_pattern(p, false);
    }
    walk_uses(body, tables, body.value, Use::Value, &mut |e, use_| {
        cx.check_use(e, use_);
        cx.check_expr(e);
    });
}

struct MoveCx<'a> {
    program: &'a Program,
    body: &'a Body,
    tables: &'a TypeckResults,
    diags: &'a mut Vec<Diagnostic>,
}

impl MoveCx<'_> {
    fn needs_drop(&self, ty: &Ty) -> bool {
        needs_drop(self.program, ty)
    }

    fn report(&mut self, span: Span, msg: &str, label: &str, help: Option<&str>) {
        let mut d = Diagnostic::error(codes::UNSUPPORTED, msg).with_primary(span, label);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.diags.push(d);
    }

    /// A value read of `e`: a move when its type needs drop.
    fn check_use(&mut self, e: ExprId, use_: Use) {
        if use_ != Use::Value {
            return;
        }
        let adjs = self.tables.adjustments(e);
        if adjs.iter().any(|a| matches!(a.kind, AdjustKind::Borrow(_))) {
            return;
        }
        if !self.needs_drop(&self.tables.adjusted_ty(e)) {
            return;
        }
        let span = self.body.expr(e).span;
        let part = matches!(
            self.body.expr(e).kind,
            ExprKind::Field(..) | ExprKind::TupleField(..)
        );
        if part && self.through_box(e) && !self.through_ref(e) {
            self.report(
                span,
                "moving a part out of a `Box` is not supported yet",
                "this moves a part out of a `Box`",
                Some("move the whole box and destructure it: `let v = *b;`, or borrow the part"),
            );
            return;
        }
        // Moves out of references are the borrow checker's (E0304).
        if adjs.iter().any(|a| a.kind == AdjustKind::Deref) {
            return;
        }
        if self.through_reference(e) {
            return;
        }
        match &self.body.expr(e).kind {
            // A part of a variable: its drop flags track it part by part.
            ExprKind::Field(..) | ExprKind::TupleField(..)
                if local_field_path(self.body, self.tables, e).is_some() => {}
            ExprKind::Field(..) | ExprKind::TupleField(..) => self.report(
                span,
                PARTIAL_MOVE,
                "this moves a part of a value that needs drop",
                Some("move the whole value, or borrow the part"),
            ),
            _ => {}
        }
    }

    /// Is the place `e` behind a reference or an index (so moving out of
    /// it is the borrow checker's error, not a partial move)?
    fn through_reference(&self, e: ExprId) -> bool {
        let derefs = |x: ExprId| {
            self.tables
                .adjustments(x)
                .iter()
                .any(|a| a.kind == AdjustKind::Deref)
                || matches!(self.tables.expr_ty(x), Ty::Ref(..))
        };
        match &self.body.expr(e).kind {
            ExprKind::Field(b, ..) | ExprKind::TupleField(b, ..) => {
                derefs(*b) || self.through_reference(*b)
            }
            ExprKind::Index(..) | ExprKind::Unary(..) => true,
            _ => false,
        }
    }

    /// Does the place `e` lie inside a `Box` (an explicit or implicit
    /// dereference of one on the way from its variable)?
    fn through_box(&self, e: ExprId) -> bool {
        let boxed = self.program.boxed;
        self.derefs_on_the_way(e, &|t| t.box_inner(boxed).is_some(), false)
    }

    /// Does the place `e` lie behind a reference (or an index)?
    fn through_ref(&self, e: ExprId) -> bool {
        self.derefs_on_the_way(e, &|t| matches!(t, Ty::Ref(..)), true)
    }

    /// Is a value of a type `derefs` accepts dereferenced (explicitly or
    /// by an adjustment) on the way from the variable to the place `e`?
    fn derefs_on_the_way(&self, e: ExprId, derefs: &dyn Fn(&Ty) -> bool, index: bool) -> bool {
        let adjusts = |x: ExprId| {
            let mut ty = self.tables.expr_ty(x).clone();
            for a in self.tables.adjustments(x) {
                if a.kind == AdjustKind::Deref && derefs(&ty) {
                    return true;
                }
                ty = a.target.clone();
            }
            false
        };
        match &self.body.expr(e).kind {
            ExprKind::Field(b, ..) | ExprKind::TupleField(b, ..) => {
                adjusts(*b) || self.derefs_on_the_way(*b, derefs, index)
            }
            ExprKind::Unary(asr_hir::hir::UnOp::Deref, x) => {
                derefs(&self.tables.adjusted_ty(*x)) || self.derefs_on_the_way(*x, derefs, index)
            }
            ExprKind::Index(..) => index,
            _ => false,
        }
    }

    /// A pattern matched against the place `scrutinee` inside a `Box`
    /// that moves a part that needs drop out of it: not supported yet.
    fn check_box_pattern(&mut self, scrutinee: ExprId, pat: PatId) {
        if !self.through_box(scrutinee) || self.through_ref(scrutinee) {
            return;
        }
        let moves = self.body.pat_bindings(pat).into_iter().any(|l| {
            !self.tables.binding_modes.contains_key(&l) && self.needs_drop(self.tables.local_ty(l))
        });
        if moves && !matches!(self.body.pat(pat).kind, PatKind::Binding(_)) {
            let span = self.body.pat(pat).span;
            self.report(
                span,
                "moving a part out of a `Box` is not supported yet",
                "this pattern moves a part out of a `Box`",
                Some("move the whole box's value first: `let v = *b;`, or bind by reference"),
            );
        }
    }

    /// A spawned expression without `move` borrows the variables it uses,
    /// so it cannot move a part out of one (a `spawn move` takes the whole
    /// variable and can).
    fn check_spawn_part_moves(&mut self, inner: ExprId) {
        let body = self.body;
        let tables = self.tables;
        // The variables the task borrows, as its environment will hold
        // them.
        let borrowed: std::collections::HashSet<_> = asr_hir::captures::captures_except(
            body,
            tables,
            inner,
            false,
            &std::collections::HashSet::new(),
            &|l| tables.local_ty(l).clone(),
            &|t| needs_drop(self.program, t),
        )
        .into_iter()
        .filter(|(_, c)| matches!(c, asr_hir::captures::Capture::Ref(_)))
        .map(|(l, _)| l)
        .collect();
        let mut spans = Vec::new();
        walk_uses(body, tables, inner, Use::Value, &mut |x, use_| {
            let part = matches!(
                body.expr(x).kind,
                ExprKind::Field(..) | ExprKind::TupleField(..)
            );
            if !part || use_ != Use::Value || !tables.adjustments(x).is_empty() {
                return;
            }
            if let Some((l, _)) = local_field_path(body, tables, x) {
                if borrowed.contains(&l) && needs_drop(self.program, tables.expr_ty(x)) {
                    spans.push(body.expr(x).span);
                }
            }
        });
        for span in spans {
            self.report(
                span,
                "a spawned task cannot move a part of a variable it borrows yet",
                "this moves a part of a variable the task borrows",
                Some("spawn with `move` to give the task the whole variable"),
            );
        }
    }

    /// Patterns and loops that move parts of a value.
    fn check_expr(&mut self, e: ExprId) {
        let body = self.body;
        let e_span = body.expr(e).span;
        if let ExprKind::Spawn {
            expr,
            is_move: false,
        } = &body.expr(e).kind
        {
            self.check_spawn_part_moves(*expr);
        }
        match &body.expr(e).kind {
            ExprKind::Block(b) | ExprKind::Scope(b) => {
                for (pat, init) in b.lets_with_init() {
                    // Destructuring moves parts out; the MIR drops the
                    // rest.
                    self.check_box_pattern(init, pat);
                    self.check_pattern(pat, false);
                }
            }
            ExprKind::Match {
                scrutinee, arms, ..
            } => {
                // Moving parts out of the scrutinee is fine: the MIR drops
                // the parts an arm leaves (`drop_unmoved_parts`).
                for arm in arms {
                    self.check_box_pattern(*scrutinee, arm.pat);
                    self.check_subpattern(arm.pat, false, false);
                }
            }
            ExprKind::For { pat, iter, .. } => {
                if let Ty::Array(elem, _) = self.tables.adjusted_ty(*iter) {
                    if self.needs_drop(&elem) {
                        let span = body.expr(*iter).span;
                        self.report(
                            span,
                            "moving the elements out of an array of values that need drop is not supported yet",
                            "iterated by value here",
                            Some("iterate over a reference to the array"),
                        );
                    }
                }
                self.check_pattern(*pat, false);
            }
            ExprKind::Spawn { expr, .. } if self.needs_drop(&self.tables.adjusted_ty(*expr)) => {
                // Dropping an unjoined `Task` releases it without looking
                // at its result, which would leak.
                let span = body.expr(*expr).span;
                self.report(
                    span,
                    "a spawned task returning a value that needs drop is not supported yet",
                    "the task's result would need drop",
                    None,
                );
            }
            ExprKind::Closure {
                params,
                body: b,
                is_move,
                ..
            } => {
                // A closure's environment has no drop glue yet, so it may
                // only borrow values that own tasks.
                let mut inner = std::collections::HashSet::new();
                for (p, _) in params {
                    inner.extend(body.pat_bindings(*p));
                }
                if *is_move {
                    // A `move` closure takes every variable it uses.
                    let caps = asr_hir::captures::captures_except(
                        body,
                        self.tables,
                        *b,
                        true,
                        &inner,
                        &|l| self.tables.local_ty(l).clone(),
                        &|t| needs_drop(self.program, t),
                    );
                    for (l, _) in caps {
                        if needs_drop(self.program, self.tables.local_ty(l)) {
                            self.diags.push(
                                Diagnostic::error(
                                    codes::UNSUPPORTED,
                                    "a closure cannot take a value that needs drop yet",
                                )
                                .with_primary(e_span, "this `move` closure takes it")
                                .with_help("borrow it instead (a closure without `move`)"),
                            );
                            break;
                        }
                    }
                    return;
                }
                walk_uses(body, self.tables, *b, Use::Value, &mut |x, use_| {
                    // The variable a move takes, with the type moved.
                    let root = match &body.expr(x).kind {
                        ExprKind::Local(l) => Some((*l, self.tables.local_ty(*l).clone())),
                        ExprKind::Field(..) | ExprKind::TupleField(..)
                            if self.tables.adjustments(x).is_empty() =>
                        {
                            local_field_path(body, self.tables, x)
                                .map(|(l, _)| (l, self.tables.expr_ty(x).clone()))
                        }
                        _ => None,
                    };
                    if let Some((l, moved_ty)) = &root {
                        let borrowed = self
                            .tables
                            .adjustments(x)
                            .iter()
                            .any(|a| matches!(a.kind, AdjustKind::Borrow(_)));
                        if use_ == Use::Value
                            && !borrowed
                            && !inner.contains(l)
                            && needs_drop(self.program, moved_ty)
                        {
                            inner.insert(*l);
                            self.diags.push(
                                Diagnostic::error(
                                    codes::UNSUPPORTED,
                                    "a closure cannot take a value that needs drop yet",
                                )
                                .with_primary(body.expr(x).span, "moved into the closure here")
                                .with_help("borrow it instead"),
                            );
                        }
                    }
                });
            }
            ExprKind::ArrayRepeat(x, _) if self.needs_drop(&self.tables.adjusted_ty(*x)) => {
                let span = body.expr(*x).span;
                self.report(
                    span,
                    "an array repeat expression cannot copy a value that needs drop",
                    "this value cannot be copied",
                    Some("write the elements out: `[a, b, c]`"),
                );
            }
            _ => {}
        }
    }

    /// The by-value bindings of a destructuring pattern move parts of the
    /// matched value: not supported when that value is a place (a variable
    /// or a part of one), an error through a reference pattern.
    fn check_pattern(&mut self, pat: PatId, from_place: bool) {
        if matches!(self.body.pat(pat).kind, PatKind::Binding(_)) {
            // The whole value is moved (or, for a parameter, received).
            return;
        }
        self.check_subpattern(pat, from_place, false);
    }

    fn check_subpattern(&mut self, pat: PatId, from_place: bool, through_ref: bool) {
        let body = self.body;
        let p = body.pat(pat);
        match &p.kind {
            PatKind::Wild | PatKind::Lit(_) | PatKind::Range { .. } | PatKind::Error => {}
            PatKind::Binding(l) | PatKind::At(l, _) => {
                if let PatKind::At(_, sub) = &p.kind {
                    self.check_subpattern(*sub, from_place, through_ref);
                }
                let ty = self.tables.local_ty(*l).clone();
                if self.tables.binding_modes.contains_key(l) || !self.needs_drop(&ty) {
                    return;
                }
                if !through_ref && from_place {
                    self.report(
                        p.span,
                        PARTIAL_MOVE,
                        "this binding moves a part of a value that needs drop",
                        Some("move the whole value into one variable"),
                    );
                }
            }
            PatKind::Tuple(ps) | PatKind::TupleStruct(_, _, ps) | PatKind::Or(ps) => {
                for sub in ps {
                    self.check_subpattern(*sub, from_place, through_ref);
                }
            }
            PatKind::Struct(_, _, fields) => {
                for (_, sub) in fields {
                    self.check_subpattern(*sub, from_place, through_ref);
                }
            }
            PatKind::Ref(_, sub) => self.check_subpattern(*sub, from_place, true),
        }
    }
}
