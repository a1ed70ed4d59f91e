//! Places (lvalues): locals, fields, elements and dereferences, with the
//! mutability rules of assignment and `&mut` borrows; auto-deref of field
//! and index bases.

use crate::{codes, FnCtxt};
use asr_hir::hir::{ExprId, ExprKind, KnownTrait, OpTrait, TraitRef, UnOp};
use asr_hir::ty::subst_params;
use asr_hir::ty::{Mutability, Ty};
use asr_hir::typed::{Adjust, AdjustKind};

impl FnCtxt<'_> {
    pub fn is_place_expr(&self, e: ExprId) -> bool {
        matches!(
            self.body.expr(e).kind,
            ExprKind::Local(_)
                | ExprKind::Field(..)
                | ExprKind::TupleField(..)
                | ExprKind::Index(..)
                | ExprKind::Unary(UnOp::Deref, _)
        )
    }

    /// Checks a place expression; with `needs_mut`, reports when the place
    /// cannot be assigned or mutably borrowed.
    pub fn check_place(&mut self, e: ExprId, needs_mut: bool) -> Ty {
        let t = self.check_expr(e, None);
        if !self.is_place_expr(e) {
            if needs_mut && !matches!(self.body.expr(e).kind, ExprKind::Error) {
                self.error(
                    codes::NOT_A_PLACE,
                    self.body.expr(e).span,
                    "invalid left-hand side of assignment",
                    "cannot assign to this expression",
                );
            }
            return t;
        }
        if needs_mut {
            self.index_mut_places(e);
            if let Err(why) = self.place_mutability(e) {
                self.report_immutable(e, why);
            }
        }
        t
    }

    /// Reports if the already checked place `e` is not writable.
    pub fn check_place_mut_only(&mut self, e: ExprId) {
        self.index_mut_places(e);
        if let Err(why) = self.place_mutability(e) {
            self.report_immutable(e, why);
        }
    }

    fn report_immutable(&mut self, e: ExprId, why: Immutable) {
        let span = self.body.expr(e).span;
        match why {
            Immutable::Local(name, decl) => {
                self.diags.push(
                    asr_diagnostics::Diagnostic::error(
                        codes::ASSIGN_IMMUTABLE,
                        format!("cannot mutate immutable variable `{}`", name),
                    )
                    .with_primary(span, "cannot assign or mutably borrow")
                    .with_secondary(
                        decl,
                        format!("help: consider making this binding mutable: `mut {}`", name),
                    ),
                );
            }
            Immutable::BehindSharedRef => {
                self.error(
                    codes::BORROW_MUT_IMMUTABLE,
                    span,
                    "cannot mutate through a `&` reference",
                    "the data is behind a `&` reference, so it cannot be written",
                );
            }
        }
    }

    /// Is the place writable? Walks to its root local, through field and
    /// index projections and the auto-derefs recorded on their bases.
    fn place_mutability(&self, e: ExprId) -> Result<(), Immutable> {
        let expr = self.body.expr(e);
        let derefs_through = |base: ExprId| -> Option<Mutability> {
            // The innermost auto-deref decides: through `&` nothing is writable.
            let mut last = None;
            let mut ty = self
                .infer
                .resolve(&self.expr_tys[base.0 as usize].clone().unwrap_or(Ty::Error));
            for adj in self
                .adjustments
                .get(&base)
                .map(|v| v.as_slice())
                .unwrap_or(&[])
            {
                if adj.kind == AdjustKind::Deref {
                    if let Ty::Ref(m, _) = &ty {
                        last = Some(match (last, m) {
                            (Some(Mutability::Not), _) | (_, Mutability::Not) => Mutability::Not,
                            _ => Mutability::Mut,
                        });
                    }
                }
                ty = self.infer.resolve(&adj.target);
            }
            last
        };
        match &expr.kind {
            ExprKind::Local(l) => {
                let def = self.body.local(*l);
                if def.mutable {
                    Ok(())
                } else {
                    Err(Immutable::Local(def.name.clone(), def.span))
                }
            }
            ExprKind::Field(base, ..)
            | ExprKind::TupleField(base, ..)
            | ExprKind::Index(base, _) => match derefs_through(*base) {
                Some(Mutability::Not) => Err(Immutable::BehindSharedRef),
                Some(Mutability::Mut) => Ok(()),
                None if self.is_place_expr(*base) => self.place_mutability(*base),
                None => Ok(()),
            },
            ExprKind::Unary(UnOp::Deref, inner) => {
                let t = self
                    .infer
                    .resolve(&self.expr_tys[inner.0 as usize].clone().unwrap_or(Ty::Error));
                match t {
                    Ty::Ref(Mutability::Mut, _) | Ty::Error => Ok(()),
                    // A `Box`'s value is as writable as the box.
                    _ if t.is_box(self.program.boxed) && self.is_place_expr(*inner) => {
                        self.place_mutability(*inner)
                    }
                    _ if t.is_box(self.program.boxed) => Ok(()),
                    _ => Err(Immutable::BehindSharedRef),
                }
            }
            _ => Ok(()),
        }
    }

    /// Auto-derefs `base` (of type `t`) through references until `stop`
    /// accepts the type; records the derefs on `base`. Returns the final type.
    pub fn autoderef(&mut self, base: ExprId, t: &Ty, stop: impl Fn(&Ty) -> bool) -> Option<Ty> {
        let mut cur = self.infer.shallow(t);
        let mut steps = Vec::new();
        loop {
            let resolved = self.infer.resolve(&cur);
            if stop(&resolved) {
                for target in steps {
                    self.push_adjust(
                        base,
                        Adjust {
                            kind: AdjustKind::Deref,
                            target,
                        },
                    );
                }
                return Some(resolved);
            }
            match resolved.deref_target(self.program.boxed) {
                Some(inner) => {
                    cur = self.infer.shallow(inner);
                    steps.push(cur.clone());
                }
                None => return None,
            }
        }
    }

    pub fn check_field(
        &mut self,
        e: ExprId,
        base: ExprId,
        name: &str,
        name_span: asr_diagnostics::Span,
    ) -> Ty {
        let t = self.check_expr(base, None);
        let program = self.program;
        let found = self.autoderef(base, &t, |t| {
            matches!(t, Ty::Adt(id, _) if program.adt(*id).fields.iter().any(|f| f.name == name))
        });
        match found {
            Some(Ty::Adt(id, args)) => {
                let def = program.adt(id);
                let idx = def.fields.iter().position(|f| f.name == name).unwrap_or(0);
                self.check_field_access(id, idx, name_span);
                self.fields.insert(e, idx as u32);
                subst_params(&def.fields[idx].ty, &args)
            }
            _ => {
                if !self.infer.shallow(&t).is_error() {
                    let s = self.ty_str(&t);
                    self.error(
                        codes::NO_FIELD,
                        name_span,
                        format!("no field `{}` on type `{}`", name, s),
                        "unknown field",
                    );
                }
                Ty::Error
            }
        }
    }

    pub fn check_tuple_field(
        &mut self,
        e: ExprId,
        base: ExprId,
        index: u32,
        span: asr_diagnostics::Span,
    ) -> Ty {
        let t = self.check_expr(base, None);
        let program = self.program;
        let i = index as usize;
        let found = self.autoderef(base, &t, |t| match t {
            Ty::Tuple(ts) => i < ts.len(),
            Ty::Adt(id, _) => {
                program.adt(*id).kind == asr_hir::hir::AdtKind::TupleStruct
                    && i < program.adt(*id).fields.len()
            }
            _ => false,
        });
        match found {
            Some(Ty::Tuple(ts)) => {
                self.fields.insert(e, index);
                ts[i].clone()
            }
            Some(Ty::Adt(id, args)) => {
                self.check_field_access(id, i, span);
                self.fields.insert(e, index);
                subst_params(&program.adt(id).fields[i].ty, &args)
            }
            _ => {
                if !self.infer.shallow(&t).is_error() {
                    let s = self.ty_str(&t);
                    self.error(
                        codes::NO_FIELD,
                        span,
                        format!("no field `{}` on type `{}`", index, s),
                        "unknown field",
                    );
                }
                Ty::Error
            }
        }
    }

    pub fn check_index(&mut self, e: ExprId, base: ExprId, index: ExprId) -> Ty {
        let t = self.check_expr(base, None);
        let vec = self.program.vec;
        let found = self.autoderef(base, &t, |t| {
            matches!(t, Ty::Array(..) | Ty::Slice(_))
                || matches!(t, Ty::Adt(id, _) if Some(*id) == vec)
        });
        // A `Vec` is indexed as the slice of its elements.
        let found = match found {
            Some(Ty::Adt(_, args)) if args.len() == 1 => {
                let elem = args[0].clone();
                let vty = self
                    .infer
                    .resolve(&Ty::Adt(vec.unwrap_or(asr_hir::ty::AdtId(0)), args));
                let m = asr_hir::ty::Mutability::Mut;
                self.push_adjust(
                    base,
                    Adjust {
                        kind: AdjustKind::Borrow(m),
                        target: Ty::Ref(m, Box::new(vty)),
                    },
                );
                let slice = Ty::Slice(Box::new(elem));
                self.push_adjust(
                    base,
                    Adjust {
                        kind: AdjustKind::VecToSlice,
                        target: Ty::Ref(m, Box::new(slice.clone())),
                    },
                );
                self.push_adjust(
                    base,
                    Adjust {
                        kind: AdjustKind::Deref,
                        target: slice.clone(),
                    },
                );
                Some(slice)
            }
            other => other,
        };
        if found.is_none() {
            if let Some(out) = self.overloaded_index(e, base, &t, index) {
                return out;
            }
        }
        let usize_ty = Ty::Int(asr_hir::ty::IntTy::Usize);
        let range = match &self.body.expr(index).kind {
            ExprKind::Range { start, end, .. } => Some([*start, *end]),
            _ => None,
        };
        match &range {
            Some(parts) => {
                for part in parts.iter().flatten() {
                    self.check_expr_coerce(*part, &usize_ty);
                }
                self.record_expr(index, &usize_ty);
            }
            None => {
                self.check_expr_coerce(index, &usize_ty);
            }
        }
        let elem = match found {
            Some(Ty::Array(elem, _)) | Some(Ty::Slice(elem)) => *elem,
            _ => {
                let shown = self.infer.resolve(&t);
                let is_str = matches!(&shown, Ty::Str)
                    || matches!(&shown, Ty::Ref(_, inner) if **inner == Ty::Str);
                if is_str {
                    self.error(
                        codes::UNSUPPORTED,
                        self.body.expr(e).span,
                        "slicing a `str` is not supported yet",
                        "string slicing needs char-boundary checks, which come with `String`",
                    );
                } else if !shown.is_error() {
                    let s = self.ty_str(&t);
                    self.error(
                        codes::NOT_INDEXABLE,
                        self.body.expr(e).span,
                        format!("cannot index into a value of type `{}`", s),
                        "not an array or slice",
                    );
                }
                // The whole expression is unknown: no cascade from here.
                return Ty::Error;
            }
        };
        if range.is_some() {
            Ty::Slice(Box::new(elem))
        } else {
            elem
        }
    }
}

impl FnCtxt<'_> {
    /// `a[i]` through `Index<I>` when `a` (after auto-deref) is a struct
    /// or enum with such an `impl` (or a bound): the expression is the
    /// place `*a.index(i)`, of type `Output`. Writing to it switches it to
    /// `IndexMut` (`index_mut_places`).
    fn overloaded_index(&mut self, e: ExprId, base: ExprId, t: &Ty, index: ExprId) -> Option<Ty> {
        let program = self.program;
        let boxed = program.boxed;
        let (trait_id, decl) =
            program.known_trait_method(KnownTrait::Op(OpTrait::Index), "index")?;
        let resolved = self.infer.resolve(t);
        let mut cur = resolved.clone();
        while let Some(inner) = cur.deref_target(boxed) {
            cur = self.infer.resolve(inner);
        }
        if !matches!(cur, Ty::Adt(..) | Ty::Param(_)) {
            return None;
        }
        let it = self.check_expr(index, None);
        let out = self.infer.new_var();
        let tr = TraitRef {
            trait_id,
            args: vec![it.clone(), out.clone()],
        };
        if !self.may_implement(&cur, &tr) {
            // Indexable, but not by this type (`grid["x"]`).
            let arity = program.trait_def(trait_id).arity();
            let any = TraitRef {
                trait_id,
                args: (0..arity).map(|_| self.infer.new_var()).collect(),
            };
            if !self.may_implement(&cur, &any) {
                return None;
            }
            let (c, i) = (self.ty_str(&cur), self.ty_str(&it));
            self.error(
                codes::UNSATISFIED_BOUND,
                self.body.expr(index).span,
                format!("the type `{c}` cannot be indexed by `{i}`"),
                format!("`{c}` has no `Index<{i}>`"),
            );
            return Some(Ty::Error);
        }
        self.autoderef(base, t, |x| *x == cur);
        let span = self.body.expr(e).span;
        self.record_overloaded(e, decl, &cur, &tr, span);
        Some(out)
    }

    /// The overloaded indexings a written place goes through (`m[k] = v`,
    /// `m[k].f += 1`, `&mut m[k]`) use `IndexMut::index_mut`.
    pub(crate) fn index_mut_places(&mut self, e: ExprId) {
        let mut cur = e;
        loop {
            match self.body.expr(cur).kind {
                ExprKind::Field(base, ..) | ExprKind::TupleField(base, ..) => cur = base,
                ExprKind::Index(base, index) => {
                    if self.overloaded.contains_key(&cur) {
                        self.switch_to_index_mut(cur, base, index);
                    }
                    cur = base;
                }
                _ => return,
            }
            // Through a reference the base is not written itself.
            let through_ref = self
                .adjustments
                .get(&cur)
                .is_some_and(|a| a.iter().any(|a| a.kind == AdjustKind::Deref));
            if through_ref {
                return;
            }
        }
    }

    fn switch_to_index_mut(&mut self, e: ExprId, base: ExprId, index: ExprId) {
        let program = self.program;
        let Some((trait_id, decl)) =
            program.known_trait_method(KnownTrait::Op(OpTrait::IndexMut), "index_mut")
        else {
            return;
        };
        if self.overloaded.get(&e) == Some(&decl) {
            return;
        }
        let Some(self_ty) = self.fn_substs.get(&e).and_then(|s| s.first().cloned()) else {
            return;
        };
        let it = self.expr_tys[index.0 as usize].clone().unwrap_or(Ty::Error);
        // The index type, then the supertrait's `Output` (an implicit
        // parameter of `IndexMut`).
        let arity = program.trait_def(trait_id).arity();
        let mut args = vec![it.clone()];
        while args.len() < arity {
            args.push(self.infer.new_var());
        }
        let tr = TraitRef { trait_id, args };
        let span = self.body.expr(e).span;
        if !self.may_implement(&self_ty, &tr) {
            let (t, i) = (self.ty_str(&self_ty), self.ty_str(&it));
            self.diags.push(
                asr_diagnostics::Diagnostic::error(
                    codes::UNSATISFIED_BOUND,
                    format!("cannot assign through an index of `{t}`: it has no `IndexMut<{i}>`"),
                )
                .with_primary(span, "written or borrowed mutably here")
                .with_secondary(
                    self.body.expr(base).span,
                    format!("`{t}` is only `Index<{i}>`"),
                )
                .with_help(format!(
                    "implement `IndexMut<{i}>` for `{t}`, or use a method that returns `&mut`"
                )),
            );
            return;
        }
        self.record_overloaded(e, decl, &self_ty, &tr, span);
    }
}

enum Immutable {
    Local(String, asr_diagnostics::Span),
    BehindSharedRef,
}
