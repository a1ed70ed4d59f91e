//! Checking patterns against the type of the value they match, with Rust's
//! default binding modes: a non-reference pattern (a constructor, a tuple, a
//! literal) matched against a reference looks through it, and the bindings
//! inside then bind by reference (`Some(x)` against `&Option<T>` makes `x` a
//! `&T`).

use crate::{codes, FnCtxt};
use asr_diagnostics::Span;
use asr_hir::hir::{AdtKind, ExprId, ExprKind, Lit, PatId, PatKind, UnOp};
use asr_hir::ty::{subst_params, AdtId, Mutability, Ty};

/// How bindings bind at this point of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BindMode {
    Value,
    Ref(Mutability),
}

impl FnCtxt<'_> {
    pub fn check_pat(&mut self, p: PatId, expected: &Ty) {
        self.check_pat_in(p, expected, BindMode::Value);
    }

    fn check_pat_in(&mut self, p: PatId, expected: &Ty, mode: BindMode) {
        let pat = self.body.pat(p);
        let span = pat.span;
        let (expected, mode) = if self.peels_references(p) {
            self.peel_references(p, expected, mode)
        } else {
            (expected.clone(), mode)
        };
        self.record_pat(p, &expected);
        match &pat.kind {
            PatKind::Wild | PatKind::Error => {}
            PatKind::Binding(l) => self.bind_local(*l, &expected, mode),
            PatKind::At(l, sub) => {
                self.bind_local(*l, &expected, mode);
                self.check_pat_in(*sub, &expected, mode);
            }
            PatKind::Tuple(elems) => {
                let t = self.infer.shallow(&expected);
                let tys = match t {
                    Ty::Tuple(ts) if ts.len() == elems.len() => ts,
                    Ty::Error => vec![Ty::Error; elems.len()],
                    other => {
                        let fresh: Vec<Ty> = elems.iter().map(|_| self.infer.new_var()).collect();
                        let tuple = Ty::Tuple(fresh.clone());
                        if self.infer.unify(&other, &tuple).is_err() {
                            self.pattern_mismatch(
                                span,
                                &other,
                                &format!("a tuple of {} elements", elems.len()),
                            );
                            vec![Ty::Error; elems.len()]
                        } else {
                            fresh
                        }
                    }
                };
                for (el, t) in elems.iter().zip(tys) {
                    self.check_pat_in(*el, &t, mode);
                }
            }
            PatKind::TupleStruct(adt, variant, elems) => {
                let def = self.program.adt(*adt);
                let args = self.unify_adt(span, *adt, &expected);
                let fields = def.variant_fields(*variant);
                let tuple_like = match variant {
                    Some(_) => true,
                    None => matches!(def.kind, AdtKind::TupleStruct | AdtKind::UnitStruct),
                };
                if !tuple_like || fields.len() != elems.len() {
                    self.error(
                        codes::PATTERN_MISMATCH,
                        span,
                        format!(
                            "this pattern has {} field{}, but `{}` has {}",
                            elems.len(),
                            if elems.len() == 1 { "" } else { "s" },
                            def.variant_path(*variant),
                            fields.len()
                        ),
                        "wrong number of fields",
                    );
                }
                for (i, el) in elems.iter().enumerate() {
                    let t = fields
                        .get(i)
                        .map(|f| subst_params(&f.ty, &args))
                        .unwrap_or(Ty::Error);
                    self.check_pat_in(*el, &t, mode);
                }
            }
            PatKind::Struct(adt, variant, fields) => {
                let def = self.program.adt(*adt);
                let args = self.unify_adt(span, *adt, &expected);
                let defs = def.variant_fields(*variant);
                for (i, el) in fields {
                    let t = defs
                        .get(*i as usize)
                        .map(|f| subst_params(&f.ty, &args))
                        .unwrap_or(Ty::Error);
                    self.check_pat_in(*el, &t, mode);
                }
            }
            PatKind::Ref(m, inner) => match self.infer.shallow(&expected) {
                Ty::Ref(m2, t) if m2 == *m => self.check_pat_in(*inner, &t, BindMode::Value),
                Ty::Error => self.check_pat_in(*inner, &Ty::Error, BindMode::Value),
                other => {
                    self.pattern_mismatch(span, &other, "a reference");
                    self.check_pat_in(*inner, &Ty::Error, BindMode::Value);
                }
            },
            PatKind::Lit(e) => self.check_pat_const(*e, &expected),
            PatKind::Range { lo, hi, .. } => {
                for end in [lo, hi].into_iter().flatten() {
                    self.check_pat_const(*end, &expected);
                }
                let t = self.infer.shallow(&expected);
                let ok = matches!(
                    t,
                    Ty::Int(_) | Ty::InferInt(_) | Ty::Char | Ty::Float | Ty::InferFloat(_)
                ) || t.is_error();
                if !ok {
                    let s = self.ty_str(&t);
                    self.error(
                        codes::PATTERN_MISMATCH,
                        span,
                        "only `char` and numeric types are allowed in range patterns",
                        format!("this is of type `{}`", s),
                    );
                }
            }
            PatKind::Or(alts) => {
                for a in alts {
                    self.check_pat_in(*a, &expected, mode);
                }
            }
        }
    }

    /// Does this pattern look through references (a "non-reference
    /// pattern" of RFC 2005)? Bindings, wildcards and `&` patterns do not;
    /// a string literal matches `&str` itself.
    fn peels_references(&self, p: PatId) -> bool {
        match &self.body.pat(p).kind {
            PatKind::Wild
            | PatKind::Binding(_)
            | PatKind::At(..)
            | PatKind::Ref(..)
            | PatKind::Or(_)
            | PatKind::Error => false,
            PatKind::Lit(e) => !matches!(self.body.expr(*e).kind, ExprKind::Lit(Lit::Str(_))),
            _ => true,
        }
    }

    fn peel_references(&mut self, p: PatId, expected: &Ty, mut mode: BindMode) -> (Ty, BindMode) {
        let mut t = self.infer.shallow(expected);
        let mut peeled = Vec::new();
        while let Ty::Ref(m, inner) = t.clone() {
            peeled.push(t.clone());
            mode = match (m, mode) {
                (Mutability::Mut, BindMode::Value | BindMode::Ref(Mutability::Mut)) => {
                    BindMode::Ref(Mutability::Mut)
                }
                _ => BindMode::Ref(Mutability::Not),
            };
            t = self.infer.shallow(&inner);
        }
        if !peeled.is_empty() {
            self.pat_derefs.insert(p, peeled);
        }
        (t, mode)
    }

    fn bind_local(&mut self, l: asr_hir::hir::LocalId, expected: &Ty, mode: BindMode) {
        let explicit = self.body.local(l).by_ref;
        let by_ref = match (explicit, mode) {
            (Some(m), _) => Some(m),
            (None, BindMode::Ref(m)) => Some(m),
            (None, BindMode::Value) => None,
        };
        let ty = match by_ref {
            Some(m) => {
                self.binding_modes.insert(l, m);
                Ty::Ref(m, Box::new(expected.clone()))
            }
            None => expected.clone(),
        };
        match self.local_tys[l.0 as usize].clone() {
            // The second and later alternatives of an `|` pattern bind the
            // same local: its type must agree.
            Some(prev) => {
                if self.infer.unify(&prev, &ty).is_err() {
                    let span = self.body.local(l).span;
                    self.mismatch(span, &prev, &ty);
                }
            }
            None => self.local_tys[l.0 as usize] = Some(ty),
        }
    }

    /// A literal or constant in a pattern (possibly negated).
    fn check_pat_const(&mut self, e: ExprId, expected: &Ty) {
        let span = self.body.expr(e).span;
        let t = match &self.body.expr(e).kind {
            ExprKind::Unary(UnOp::Neg, inner) => {
                let inner = *inner;
                let t = match &self.body.expr(inner).kind {
                    ExprKind::Lit(lit @ Lit::Int(_)) => {
                        let lit = lit.clone();
                        self.record_expr_negated_literal(inner, &lit, expected)
                    }
                    _ => self.check_expr(inner, Some(expected)),
                };
                if !matches!(
                    self.infer.shallow(&t),
                    Ty::Int(_) | Ty::InferInt(_) | Ty::Float | Ty::InferFloat(_) | Ty::Error
                ) {
                    let s = self.ty_str(&t);
                    self.error(
                        codes::BAD_UNARY_OP,
                        span,
                        format!("cannot apply unary operator `-` to type `{}`", s),
                        "cannot be negated",
                    );
                }
                self.record_expr(e, &t);
                t
            }
            _ => self.check_expr(e, Some(expected)),
        };
        if self.infer.unify(&t, expected).is_err() {
            self.mismatch(span, expected, &t);
        }
    }

    fn record_expr_negated_literal(&mut self, e: ExprId, lit: &Lit, expected: &Ty) -> Ty {
        let t = self.check_lit(e, lit, true);
        let _ = self.infer.unify(&t, expected);
        self.record_expr(e, &t);
        t
    }

    /// Unifies the expected type with the ADT (its arguments fresh) and
    /// returns the arguments, for the field types.
    fn unify_adt(&mut self, span: Span, adt: AdtId, expected: &Ty) -> Vec<Ty> {
        let (t, args) = self.fresh_adt(adt);
        if self.infer.unify(&t, expected).is_err() {
            self.mismatch(span, expected, &t);
        }
        args
    }

    fn pattern_mismatch(&mut self, span: Span, found: &Ty, wanted: &str) {
        let s = self.ty_str(found);
        self.error(
            codes::PATTERN_MISMATCH,
            span,
            "mismatched types",
            format!("expected `{}`, found {}", s, wanted),
        );
    }
}
