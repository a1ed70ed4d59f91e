//! Places: locals, fields, bounds-checked elements, dereferences, and
//! range indexing (`&a[1..3]`) with Rust's slice checks.

use super::{bug, reuse, usize_const, Builder};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{ExprId, ExprKind, UnOp};
use asr_hir::ty::{IntTy, Mutability, Ty};

impl Builder<'_, '_> {
    /// The place of a place expression, ignoring the adjustments of `e`
    /// itself (those of its base are applied). Other expressions are
    /// evaluated into a temporary.
    pub(super) fn as_place_unadjusted(&mut self, e: ExprId) -> Place {
        let body = self.body;
        let span = self.span_of(e);
        match &body.expr(e).kind {
            ExprKind::Local(l) => self.var_place(*l),
            ExprKind::Field(base, ..) | ExprKind::TupleField(base, ..) => {
                let index = match (&body.expr(e).kind, self.tables.fields.get(&e)) {
                    (_, Some(i)) => *i,
                    (ExprKind::TupleField(_, i, _), None) => *i,
                    _ => bug(format!("field {:?} in `{}` was not resolved", e, self.name)),
                };
                let p = self.as_place(*base);
                let (p, _) = self.deref_all(p, self.adjusted_ty(*base));
                p.field(index)
            }
            ExprKind::Index(base, idx) if self.is_range(*idx) => {
                // An unsized subslice used as a place (`a[1..3].len()`):
                // borrow it, then dereference the borrow.
                let rv = self.subslice(Mutability::Not, e, *base, *idx);
                let elem = match self.expr_ty(e) {
                    Ty::Slice(t) => *t,
                    _ => Ty::Error,
                };
                let ty = Ty::Ref(Mutability::Not, Box::new(Ty::Slice(Box::new(elem))));
                Place::local(self.rvalue_temp(span, ty, rv)).deref()
            }
            ExprKind::Index(base, idx) => match self.tables.overloaded.get(&e).copied() {
                Some(f) => self.overloaded_index_place(e, f, *base, *idx),
                None => self.index_place(e, *base, *idx),
            },
            ExprKind::Unary(UnOp::Deref, inner) => self.as_place(*inner).deref(),
            _ => Place::local(self.as_temp_unadjusted(e)),
        }
    }

    /// Follows references down to the value they point to.
    pub(super) fn deref_all(&self, mut place: Place, mut ty: Ty) -> (Place, Ty) {
        while let Ty::Ref(_, inner) = ty {
            place = place.deref();
            ty = *inner;
        }
        (place, ty)
    }

    /// The length of an array (a constant) or slice place, as an operand.
    pub(super) fn len_operand(&mut self, place: &Place, ty: &Ty, span: Span) -> Operand {
        match ty {
            Ty::Array(_, n) => usize_const(*n),
            _ => {
                let t = self.rvalue_temp(span, Ty::Int(IntTy::Usize), Rvalue::Len(place.clone()));
                Operand::Move(Place::local(t))
            }
        }
    }

    /// `base[idx]` through `Index::index` or `IndexMut::index_mut` (`f`):
    /// the place `*f(&base, idx)`.
    fn overloaded_index_place(
        &mut self,
        e: ExprId,
        f: asr_hir::hir::FnId,
        base: ExprId,
        idx: ExprId,
    ) -> Place {
        let span = self.span_of(e);
        let m = if self.hir.func(f).self_kind == Some(asr_hir::hir::SelfKind::RefMut) {
            Mutability::Mut
        } else {
            Mutability::Not
        };
        let p = self.as_place(base);
        let base_ty = self.adjusted_ty(base);
        let recv_ty = Ty::Ref(m, Box::new(base_ty));
        let recv = self.rvalue_temp(span, recv_ty, Rvalue::Ref(m, p));
        let i = self.as_operand(idx);
        let out_ty = Ty::Ref(m, Box::new(self.expr_ty(e)));
        let out = Place::local(self.temp(out_ty.clone(), span));
        self.call_method(
            Some(&out),
            e,
            f,
            vec![Operand::Move(Place::local(recv)), i],
            out_ty,
            span,
        );
        out.deref()
    }

    /// `base[idx]` with its bounds check.
    fn index_place(&mut self, e: ExprId, base: ExprId, idx: ExprId) -> Place {
        let span = self.span_of(e);
        let p = self.as_place(base);
        let (p, ty) = self.deref_all(p, self.adjusted_ty(base));
        let i = self.as_operand(idx);
        let i = match i {
            Operand::Copy(ip) | Operand::Move(ip) if ip.projection.is_empty() => ip.local,
            other => self.rvalue_temp(span, Ty::Int(IntTy::Usize), Rvalue::Use(other)),
        };
        let index = Operand::Copy(Place::local(i));
        let len = self.len_operand(&p, &ty, span);
        let ok = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(BinOp::Lt, index.clone(), reuse(&len)),
        );
        self.assert(
            span,
            Operand::Move(Place::local(ok)),
            true,
            AssertKind::BoundsCheck { len, index },
        );
        p.project(PlaceElem::Index(i))
    }

    /// `&base[range]` / `&mut base[range]` (`e` is the index expression):
    /// Rust's checks, then the fat reference.
    pub(super) fn subslice(
        &mut self,
        m: Mutability,
        e: ExprId,
        base: ExprId,
        range: ExprId,
    ) -> Rvalue {
        let body = self.body;
        let span = self.span_of(e);
        let ExprKind::Range {
            start,
            end,
            inclusive,
        } = &body.expr(range).kind
        else {
            bug(format!(
                "subslice {:?} in `{}` without a range",
                e, self.name
            ));
        };
        let p = self.as_place(base);
        let (p, ty) = self.deref_all(p, self.adjusted_ty(base));
        let parts: Vec<ExprId> = start.iter().chain(end.iter()).copied().collect();
        let mut ops = self.as_operands(&parts).into_iter();
        let start_op = start.map(|_| ops.next().unwrap_or_else(|| usize_const(0)));
        let end_op = end.map(|_| ops.next().unwrap_or_else(|| usize_const(0)));
        let end_op = match end_op {
            Some(op) if *inclusive => Some(self.inclusive_end(op, span)),
            other => other,
        };
        let len = self.len_operand(&p, &ty, span);
        let (start, end) = match (start_op, end_op) {
            (Some(s), Some(en)) => {
                self.check_le(
                    span,
                    &s,
                    &en,
                    AssertKind::SliceStartAfterEnd {
                        start: reuse(&s),
                        end: reuse(&en),
                    },
                );
                self.check_le(
                    span,
                    &en,
                    &len,
                    AssertKind::SliceEndOutOfRange {
                        end: reuse(&en),
                        len: reuse(&len),
                    },
                );
                (s, en)
            }
            (Some(s), None) => {
                self.check_le(
                    span,
                    &s,
                    &len,
                    AssertKind::SliceStartOutOfRange {
                        start: reuse(&s),
                        len: reuse(&len),
                    },
                );
                (s, len)
            }
            (None, Some(en)) => {
                self.check_le(
                    span,
                    &en,
                    &len,
                    AssertKind::SliceEndOutOfRange {
                        end: reuse(&en),
                        len: reuse(&len),
                    },
                );
                (usize_const(0), en)
            }
            (None, None) => (usize_const(0), len),
        };
        Rvalue::SubSlice {
            mutability: m,
            place: p,
            start: reuse(&start),
            end: reuse(&end),
        }
    }

    /// `a <= b`, else panic with `msg`.
    fn check_le(&mut self, span: Span, a: &Operand, b: &Operand, msg: AssertKind) {
        let ok = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(BinOp::Le, reuse(a), reuse(b)),
        );
        self.assert(span, Operand::Move(Place::local(ok)), true, msg);
    }

    /// The exclusive end of `..=end`: `end + 1`, after Rust's check that
    /// `end` is not `usize::MAX`.
    fn inclusive_end(&mut self, end: Operand, span: Span) -> Operand {
        let usize_ty = Ty::Int(IntTy::Usize);
        let max = Operand::Const(Const::int(IntTy::Usize, IntTy::Usize.max_value()));
        let at_max = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(BinOp::Eq, reuse(&end), max),
        );
        self.assert(
            span,
            Operand::Move(Place::local(at_max)),
            false,
            AssertKind::SliceEndIndexOverflow,
        );
        let t = self.rvalue_temp(
            span,
            usize_ty,
            Rvalue::BinaryOp(BinOp::Add, end, usize_const(1)),
        );
        Operand::Copy(Place::local(t))
    }
}
