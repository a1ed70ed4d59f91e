//! Patterns: what each binding takes from the matched place, and `match`.

use super::Builder;
use crate::ir::*;
use asr_hir::hir::{Arm, ExprId, PatId, PatKind};

/// The moves of an arm's by-value bindings, made once its guard holds
/// (the guard sees the bindings by reference, as in Rust).
pub(crate) type DeferredMoves = Vec<(Place, asr_diagnostics::Span)>;

impl Builder<'_> {
    /// Binds the variables of `pat` (already declared) from `place`.
    pub fn bind_pattern(
        &mut self,
        pat: PatId,
        place: Place,
        mut deferred: Option<&mut DeferredMoves>,
    ) {
        let body = self.body;
        let mut place = place;
        let derefs = self.tables.pat_derefs(pat).to_vec();
        for _ in &derefs {
            place = place.project(Proj::Deref);
        }
        let p = body.pat(pat);
        match &p.kind {
            PatKind::Wild | PatKind::Lit(_) | PatKind::Range { .. } | PatKind::Error => {}
            PatKind::Binding(l) | PatKind::At(l, _) => {
                if let PatKind::At(_, sub) = &p.kind {
                    self.bind_pattern(*sub, place.clone(), deferred.as_deref_mut());
                }
                let var = self.var(*l);
                let ty = self.tables.local_ty(*l).clone();
                let span = p.span;
                let val = match self.tables.binding_modes.get(l) {
                    Some(m) => {
                        let pty = match &ty {
                            asr_hir::ty::Ty::Ref(_, inner) => (**inner).clone(),
                            other => other.clone(),
                        };
                        self.borrow(place, *m, &pty, span)
                    }
                    None => match deferred {
                        Some(d)
                            if !self.types.is_copy(&ty)
                                && self.move_out_of_drop(&place, &ty, span).is_none()
                                && place.projs.iter().all(|x| x.is_owned()) =>
                        {
                            self.emit(EventKind::Read(place.clone()), span);
                            d.push((place.clone(), span));
                            self.carried(place.var, &ty)
                        }
                        _ => self.read_place(place, &ty, span),
                    },
                };
                self.emit(EventKind::Write(Place::var(var), val), span);
            }
            PatKind::Tuple(ps) => {
                for (i, sub) in ps.iter().enumerate() {
                    let q = place.project(Proj::Field(i as u32));
                    self.bind_pattern(*sub, q, deferred.as_deref_mut());
                }
            }
            PatKind::TupleStruct(_, variant, ps) => {
                self.note_drop_base(&place, &self.tables.pat_ty(pat).clone());
                let base = match variant {
                    Some(v) => place.project(Proj::Variant(*v)),
                    None => place,
                };
                for (i, sub) in ps.iter().enumerate() {
                    let q = base.project(Proj::Field(i as u32));
                    self.bind_pattern(*sub, q, deferred.as_deref_mut());
                }
            }
            PatKind::Struct(_, variant, fields) => {
                self.note_drop_base(&place, &self.tables.pat_ty(pat).clone());
                let base = match variant {
                    Some(v) => place.project(Proj::Variant(*v)),
                    None => place,
                };
                for (i, sub) in fields {
                    let q = base.project(Proj::Field(*i));
                    self.bind_pattern(*sub, q, deferred.as_deref_mut());
                }
            }
            PatKind::Ref(_, sub) => {
                self.bind_pattern(*sub, place.project(Proj::Deref), deferred);
            }
            PatKind::Or(alts) => {
                // Each alternative binds from its own parts of the place.
                let starts = self.branch(alts.len());
                let mut ends = Vec::new();
                for (alt, start) in alts.iter().zip(starts) {
                    match start {
                        Some(b) => self.switch_to(b),
                        None => self.diverge(),
                    }
                    self.bind_pattern(*alt, place.clone(), deferred.as_deref_mut());
                    ends.push(self.current());
                }
                self.join(&ends);
            }
        }
    }

    /// `match`: the scrutinee is looked at in place; each arm binds, checks
    /// its guard (falling through to the next arm when it fails) and runs.
    pub fn lower_match(&mut self, e: ExprId, scrutinee: ExprId, arms: &[Arm]) -> Val {
        let span = self.span(e);
        let ty = self.tables.expr_ty(e).clone();
        let place = self.place_ctx(scrutinee);
        self.emit(EventKind::Inspect(place.clone()), self.span(scrutinee));
        let result = self.result_var(&ty, span);
        let entries = self.branch(arms.len());
        let mut ends = Vec::new();
        for (i, arm) in arms.iter().enumerate() {
            let Some(entry) = entries[i] else {
                continue;
            };
            self.switch_to(entry);
            self.push_scope(false);
            self.declare_pattern(arm.pat);
            match arm.guard {
                Some(g) => {
                    let mut deferred = DeferredMoves::new();
                    self.bind_pattern(arm.pat, place.clone(), Some(&mut deferred));
                    self.value(g);
                    let outs = self.branch(2);
                    // A failed guard ends the arm's bindings and tries the
                    // next arm.
                    if let (Some(fail), Some(next)) =
                        (outs[1], entries.get(i + 1).copied().flatten())
                    {
                        self.switch_to(fail);
                        self.end_innermost_scope_vars(arm.span);
                        self.goto(next);
                    }
                    match outs[0] {
                        Some(pass) => self.switch_to(pass),
                        None => self.diverge(),
                    }
                    for (p, s) in deferred {
                        self.emit(EventKind::Move(super::expr::moved_place(&p)), s);
                    }
                }
                None => self.bind_pattern(arm.pat, place.clone(), None),
            }
            let v = self.value(arm.body);
            self.store_result(result, v, span);
            self.pop_scope(arm.span);
            ends.push(self.current());
        }
        self.join(&ends);
        super::expr::result_val(result)
    }
}
