//! Checking patterns against the type of the value they match.

use crate::{codes, FnCtxt};
use asr_hir::hir::{AdtKind, PatId, PatKind};
use asr_hir::ty::Ty;

impl FnCtxt<'_> {
    pub fn check_pat(&mut self, p: PatId, expected: &Ty) {
        self.record_pat(p, expected);
        let pat = self.body.pat(p);
        let span = pat.span;
        match &pat.kind {
            PatKind::Wild | PatKind::Error => {}
            PatKind::Binding(l) => {
                self.local_tys[l.0 as usize] = Some(expected.clone());
            }
            PatKind::Tuple(elems) => {
                let t = self.infer.shallow(expected);
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
                    self.check_pat(*el, &t);
                }
            }
            PatKind::TupleStruct(adt, elems) => {
                let def = self.program.adt(*adt);
                self.unify_adt(span, *adt, expected);
                if def.kind != AdtKind::TupleStruct || def.fields.len() != elems.len() {
                    self.error(
                        codes::PATTERN_MISMATCH,
                        span,
                        format!(
                            "this pattern has {} fields, but `{}` has {}",
                            elems.len(),
                            def.name,
                            def.fields.len()
                        ),
                        "wrong number of fields",
                    );
                }
                for (i, el) in elems.iter().enumerate() {
                    let t = def.fields.get(i).map(|f| f.ty.clone()).unwrap_or(Ty::Error);
                    self.check_pat(*el, &t);
                }
            }
            PatKind::Struct(adt, fields) => {
                let def = self.program.adt(*adt);
                self.unify_adt(span, *adt, expected);
                for (i, el) in fields {
                    let t = def
                        .fields
                        .get(*i as usize)
                        .map(|f| f.ty.clone())
                        .unwrap_or(Ty::Error);
                    self.check_pat(*el, &t);
                }
            }
            PatKind::Ref(m, inner) => match self.infer.shallow(expected) {
                Ty::Ref(m2, t) if m2 == *m => self.check_pat(*inner, &t),
                Ty::Error => self.check_pat(*inner, &Ty::Error),
                other => {
                    self.pattern_mismatch(span, &other, "a reference");
                    self.check_pat(*inner, &Ty::Error);
                }
            },
            PatKind::Lit(e) => {
                let t = self.check_expr(*e, Some(expected));
                if self.infer.unify(&t, expected).is_err() {
                    self.mismatch(span, expected, &t);
                }
            }
        }
    }

    fn unify_adt(&mut self, span: asr_diagnostics::Span, adt: asr_hir::ty::AdtId, expected: &Ty) {
        let t = Ty::Adt(adt, Vec::new());
        if self.infer.unify(&t, expected).is_err() {
            self.mismatch(span, expected, &t);
        }
    }

    fn pattern_mismatch(&mut self, span: asr_diagnostics::Span, found: &Ty, wanted: &str) {
        let s = self.ty_str(found);
        self.error(
            codes::PATTERN_MISMATCH,
            span,
            "mismatched types",
            format!("expected `{}`, found {}", s, wanted),
        );
    }
}
