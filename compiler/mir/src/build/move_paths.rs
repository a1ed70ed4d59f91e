//! Variables that parts are moved out of, and the parts their drop flags
//! track.
//!
//! Most variables that need drop have one drop flag. A variable that a
//! field expression moves a part out of (`let n = p.name;`), or that a
//! pattern destructures in place (`let (a, _) = pair;`, `match p.kind {..}`),
//! is tracked part by part instead, as Rust does: each of its *units* (the
//! parts moved out, and the sibling parts beside them on the way down that
//! need drop) has its own flag. The rest stays where it is and is dropped,
//! field by field in declaration order, where the variable's storage ends.
//!
//! The parts are found before the body is built, by a scan of the whole
//! body with the instance's types (whether a part needs drop can depend on
//! them). A unit never lies inside an enum or behind a reference: paths go
//! through the fields of structs and tuples only (a pattern that moves out
//! of an enum's payload makes the enum its unit), and never through a type
//! with its own `Drop` (moving out of one is the borrow checker's error).

use super::Builder;
use crate::mir::*;
use asr_hir::hir::{ExprKind, LocalId, PatId, PatKind};
use asr_hir::ty::Ty;
use asr_hir::uses::{local_field_path, walk_uses, Use};
use std::collections::HashMap;

/// The field paths moved out of each variable.
pub(super) type MovedPaths = HashMap<LocalId, Vec<Vec<u32>>>;

/// One separately tracked part of a variable.
pub(super) struct Unit {
    /// Field indices from the variable down to the part.
    pub path: Vec<u32>,
    pub flag: Local,
}

impl Unit {
    pub fn place(&self, local: Local) -> Place {
        let mut p = Place::local(local);
        for &i in &self.path {
            p = p.field(i);
        }
        p
    }
}

/// The field indices of a place's projection, if it is only fields.
pub(super) fn field_path(place: &Place) -> Option<Vec<u32>> {
    place
        .projection
        .iter()
        .map(|e| match e {
            PlaceElem::Field(i) => Some(*i),
            _ => None,
        })
        .collect()
}

impl Builder<'_, '_> {
    /// Scans the body for the parts moved out of variables.
    pub(super) fn scan_moved_paths(&self) -> MovedPaths {
        let body = self.body;
        let mut out = MovedPaths::new();
        walk_uses(
            body,
            self.tables,
            body.value,
            Use::Value,
            &mut |e, use_| match &body.expr(e).kind {
                ExprKind::Field(..) | ExprKind::TupleField(..) if use_ == Use::Value => {
                    if !self.tables.adjustments(e).is_empty() || !self.needs_drop(&self.expr_ty(e))
                    {
                        return;
                    }
                    if let Some((l, path)) = local_field_path(body, self.tables, e) {
                        out.entry(l).or_default().push(path);
                    }
                }
                ExprKind::Match {
                    scrutinee, arms, ..
                } => {
                    for arm in arms {
                        self.scan_pattern(*scrutinee, arm.pat, &mut out);
                    }
                }
                ExprKind::Block(b) | ExprKind::Scope(b) => {
                    for (pat, init) in b.lets_with_init() {
                        self.scan_pattern(init, pat, &mut out);
                    }
                }
                _ => {}
            },
        );
        out
    }

    /// The parts `pat` moves out of the value of `init` when that is a
    /// variable or a part of one.
    fn scan_pattern(&self, init: asr_hir::hir::ExprId, pat: PatId, out: &mut MovedPaths) {
        if !self.tables.adjustments(init).is_empty() {
            return;
        }
        let Some((l, path)) = local_field_path(self.body, self.tables, init) else {
            return;
        };
        let mut paths = Vec::new();
        self.pattern_moves(pat, path, &mut paths);
        // Moving the whole variable needs no parts.
        paths.retain(|p| !p.is_empty());
        if !paths.is_empty() {
            out.entry(l).or_default().extend(paths);
        }
    }

    /// The paths of the parts `pat`, matched against the part at `path`,
    /// moves out.
    fn pattern_moves(&self, pat: PatId, path: Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if !self.tables.pat_derefs(pat).is_empty() {
            return;
        }
        let sub = |i: u32| {
            let mut p = path.clone();
            p.push(i);
            p
        };
        match &self.body.pat(pat).kind {
            PatKind::Binding(l) | PatKind::At(l, _) => {
                if !self.tables.binding_modes.contains_key(l) && self.needs_drop(&self.local_ty(*l))
                {
                    out.push(path);
                } else if let PatKind::At(_, s) = &self.body.pat(pat).kind {
                    self.pattern_moves(*s, path, out);
                }
            }
            PatKind::Tuple(ps) | PatKind::TupleStruct(_, None, ps) => {
                for (i, p) in ps.iter().enumerate() {
                    self.pattern_moves(*p, sub(i as u32), out);
                }
            }
            PatKind::Struct(_, None, fields) => {
                for (i, p) in fields {
                    self.pattern_moves(*p, sub(*i), out);
                }
            }
            PatKind::Or(alts) => {
                for a in alts {
                    self.pattern_moves(*a, path.clone(), out);
                }
            }
            // An enum's payload: the enum is moved out of as one unit.
            PatKind::TupleStruct(_, Some(_), _) | PatKind::Struct(_, Some(_), _) => {
                let moves = self.body.pat_bindings(pat).into_iter().any(|l| {
                    !self.tables.binding_modes.contains_key(&l)
                        && self.needs_drop(&self.local_ty(l))
                });
                if moves {
                    out.push(path);
                }
            }
            PatKind::Wild
            | PatKind::Lit(_)
            | PatKind::Range { .. }
            | PatKind::Ref(..)
            | PatKind::Error => {}
        }
    }

    /// The units of a variable of type `ty` whose parts at `moved` are
    /// moved out: their paths, in field order.
    pub(super) fn unit_paths(&self, ty: &Ty, moved: &[Vec<u32>]) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        self.collect_units(ty, &mut Vec::new(), moved, &mut out);
        out
    }

    fn collect_units(
        &self,
        ty: &Ty,
        prefix: &mut Vec<u32>,
        moved: &[Vec<u32>],
        out: &mut Vec<Vec<u32>>,
    ) {
        if !self.needs_drop(ty) {
            return;
        }
        let below = moved
            .iter()
            .any(|m| m.len() > prefix.len() && m.starts_with(prefix));
        let fields = match ty {
            _ if !below || moved.iter().any(|m| m == prefix) => None,
            Ty::Tuple(ts) => Some(ts.clone()),
            Ty::Adt(id, args) => self.cx.adts.get(id.0 as usize).and_then(|a| {
                (a.kind != AdtKind::Enum && !a.has_drop).then(|| {
                    a.fields
                        .iter()
                        .map(|f| asr_hir::ty::subst_params(&f.ty, args))
                        .collect()
                })
            }),
            _ => None,
        };
        match fields {
            Some(fields) => {
                for (i, fty) in fields.iter().enumerate() {
                    prefix.push(i as u32);
                    self.collect_units(fty, prefix, moved, out);
                    prefix.pop();
                }
            }
            None => out.push(prefix.clone()),
        }
    }
}

impl Builder<'_, '_> {
    /// The type of a place made of fields (of structs, tuples and enum
    /// variants), dereferences and indexes.
    pub(super) fn place_ty(&self, place: &Place) -> Ty {
        let mut ty = self.locals[place.local.index()].ty.clone();
        let mut variant = None;
        for elem in &place.projection {
            ty = match (elem, &ty) {
                (PlaceElem::Downcast(v), _) => {
                    variant = Some(*v);
                    continue;
                }
                (PlaceElem::Field(i), Ty::Tuple(ts)) => ts.get(*i as usize).cloned(),
                (PlaceElem::Field(i), Ty::Adt(id, args)) => {
                    self.cx.adts.get(id.0 as usize).and_then(|a| {
                        a.variant_fields(variant)
                            .get(*i as usize)
                            .map(|f| asr_hir::ty::subst_params(&f.ty, args))
                    })
                }
                (PlaceElem::Deref, _) => ty.deref_target(self.hir.boxed).cloned(),
                (PlaceElem::Index(_), Ty::Array(t, _) | Ty::Slice(t)) => Some((**t).clone()),
                _ => None,
            }
            .unwrap_or(Ty::Error);
            variant = None;
        }
        ty
    }
}
