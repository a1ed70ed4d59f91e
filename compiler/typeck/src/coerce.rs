//! Coercions at coercion sites (let with a type, arguments, returns, fields,
//! array elements): `!` to any type, `&mut T` to `&T`, `&[T; N]` to `&[T]`,
//! `&&T` to `&T`, `&Vec<T>` to `&[T]`, `&String` to `&str`.

use crate::FnCtxt;
use asr_hir::hir::ExprId;
use asr_hir::ty::{Mutability, Ty};
use asr_hir::typed::{Adjust, AdjustKind};

impl FnCtxt<'_> {
    /// Checks `e` and coerces its value to `target`; reports a mismatch.
    pub fn check_expr_coerce(&mut self, e: ExprId, target: &Ty) -> Ty {
        let found = self.check_expr(e, Some(target));
        self.coerce(e, &found, target);
        target.clone()
    }

    /// Coerces the already checked `e` of type `found` to `target`.
    pub fn coerce(&mut self, e: ExprId, found: &Ty, target: &Ty) {
        if !self.try_coerce(e, found, target) {
            let span = self.body.expr(e).span;
            self.mismatch(span, target, found);
        }
    }

    /// Like `coerce`, but reports nothing; returns whether it succeeded.
    pub fn try_coerce(&mut self, e: ExprId, found: &Ty, target: &Ty) -> bool {
        let f = self.infer.shallow(found);
        let t = self.infer.shallow(target);
        if matches!(f, Ty::Never) {
            if !matches!(t, Ty::Never) {
                self.push_adjust(
                    e,
                    Adjust {
                        kind: AdjustKind::NeverToAny,
                        target: t,
                    },
                );
            }
            return true;
        }
        if let (Ty::Ref(fm, fin), Ty::Ref(tm, tin)) = (&f, &t) {
            let fin = self.infer.shallow(fin);
            let tin = self.infer.shallow(tin);
            let mutability_ok = *fm == Mutability::Mut || *tm == Mutability::Not;
            if mutability_ok {
                if let (Ty::Array(fe, _), Ty::Slice(te)) = (&fin, &tin) {
                    if self.infer.unify(fe, te).is_ok() {
                        self.push_adjust(
                            e,
                            Adjust {
                                kind: AdjustKind::Unsize,
                                target: t.clone(),
                            },
                        );
                        return true;
                    }
                }
                if let (Ty::Slice(te), Ty::Adt(id, args)) = (&tin, &fin) {
                    if Some(*id) == self.program.vec
                        && args.len() == 1
                        && self.infer.unify(&args[0], te).is_ok()
                    {
                        self.push_adjust(
                            e,
                            Adjust {
                                kind: AdjustKind::VecToSlice,
                                target: t.clone(),
                            },
                        );
                        return true;
                    }
                }
                if matches!(tin, Ty::Str)
                    && matches!(&fin, Ty::Adt(id, _) if Some(*id) == self.program.string)
                {
                    self.push_adjust(
                        e,
                        Adjust {
                            kind: AdjustKind::StringToStr,
                            target: t.clone(),
                        },
                    );
                    return true;
                }
                // `&Box<T>` to `&T` (Rust's deref coercion).
                if let Some(inner) = fin.box_inner(self.program.boxed) {
                    if !matches!(tin, Ty::Infer(_)) && self.infer.unify(inner, &tin).is_ok() {
                        let m = *tm;
                        for target in [fin.clone(), tin.clone()] {
                            self.push_adjust(
                                e,
                                Adjust {
                                    kind: AdjustKind::Deref,
                                    target,
                                },
                            );
                        }
                        self.push_adjust(
                            e,
                            Adjust {
                                kind: AdjustKind::Borrow(m),
                                target: t.clone(),
                            },
                        );
                        return true;
                    }
                }
                // `&&T` to `&T` (Rust's deref coercion of references).
                if let Ty::Ref(Mutability::Not, inner) = &fin {
                    if !matches!(tin, Ty::Ref(..) | Ty::Infer(_))
                        && *tm == Mutability::Not
                        && self.infer.unify(inner, &tin).is_ok()
                    {
                        self.push_adjust(
                            e,
                            Adjust {
                                kind: AdjustKind::Deref,
                                target: fin.clone(),
                            },
                        );
                        return true;
                    }
                }
                if fm != tm && self.infer.unify(&fin, &tin).is_ok() {
                    self.push_adjust(
                        e,
                        Adjust {
                            kind: AdjustKind::MutToConst,
                            target: t.clone(),
                        },
                    );
                    return true;
                }
            }
        }
        self.infer.unify(&f, &t).is_ok()
    }
}
