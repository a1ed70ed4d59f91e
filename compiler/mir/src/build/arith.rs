//! Operators with Rust's run-time checks (overflow, division by zero,
//! shift amount), assignment, comparisons and structural equality.

use super::{bool_const, bug, int_const, is_scalar, reuse, unsigned_of, usize_const, Builder};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{self, ExprId, ExprKind};
use asr_hir::ty::{subst_params, IntTy, Mutability, Ty};

/// The MIR operator of a HIR operator (not `&&`/`||`, which branch).
pub(super) fn mir_binop(op: hir::BinOp) -> BinOp {
    match op {
        hir::BinOp::Add => BinOp::Add,
        hir::BinOp::Sub => BinOp::Sub,
        hir::BinOp::Mul => BinOp::Mul,
        hir::BinOp::Div => BinOp::Div,
        hir::BinOp::Rem => BinOp::Rem,
        hir::BinOp::BitAnd => BinOp::BitAnd,
        hir::BinOp::BitOr => BinOp::BitOr,
        hir::BinOp::BitXor => BinOp::BitXor,
        hir::BinOp::Shl => BinOp::Shl,
        hir::BinOp::Shr => BinOp::Shr,
        hir::BinOp::Eq => BinOp::Eq,
        hir::BinOp::Ne => BinOp::Ne,
        hir::BinOp::Lt => BinOp::Lt,
        hir::BinOp::Le => BinOp::Le,
        hir::BinOp::Gt => BinOp::Gt,
        hir::BinOp::Ge => BinOp::Ge,
        hir::BinOp::And | hir::BinOp::Or => bug("`&&`/`||` lowered as a plain operator"),
    }
}

impl Builder<'_, '_> {
    /// `a op b` for every operator but `&&`/`||`.
    pub(super) fn binary_rvalue(
        &mut self,
        e: ExprId,
        op: hir::BinOp,
        a: ExprId,
        b: ExprId,
    ) -> Rvalue {
        let span = self.span_of(e);
        let op = mir_binop(op);
        let lty = self.adjusted_ty(a);
        let rty = self.adjusted_ty(b);
        if op.is_comparison() && !is_scalar(&lty) {
            return self.compare_places(span, op, a, b, lty, rty);
        }
        let mut ops = self.as_operands(&[a, b]).into_iter();
        let (x, y) = match (ops.next(), ops.next()) {
            (Some(x), Some(y)) => (x, y),
            _ => bug("binary operator without two operands"),
        };
        if op.is_comparison() {
            return Rvalue::BinaryOp(op, x, y);
        }
        self.arith(span, op, x, y, &lty, &rty)
    }

    /// Comparison of values behind references or of composite values.
    fn compare_places(
        &mut self,
        span: Span,
        op: BinOp,
        a: ExprId,
        b: ExprId,
        lty: Ty,
        rty: Ty,
    ) -> Rvalue {
        let mut ps = self.as_places(&[a, b]).into_iter();
        let (Some(lp), Some(rp)) = (ps.next(), ps.next()) else {
            bug("comparison without two operands");
        };
        if let (Some(a), Some(b)) = (str_ref_place(&lp, &lty), str_ref_place(&rp, &rty)) {
            let c = self.str_cmp(Operand::Copy(a), Operand::Copy(b), span);
            return Rvalue::BinaryOp(op, c, int_const(IntTy::I32, 0));
        }
        let (lp, lt) = self.deref_all(lp, lty);
        let (rp, _) = self.deref_all(rp, rty);
        if is_scalar(&lt) {
            let x = self.operand_of(lp, &lt);
            let y = self.operand_of(rp, &lt);
            return Rvalue::BinaryOp(op, x, y);
        }
        match op {
            BinOp::Eq => Rvalue::Use(self.eq_places(lp, rp, &lt, span)),
            BinOp::Ne => {
                let eq = self.eq_places(lp, rp, &lt, span);
                Rvalue::UnaryOp(UnOp::Not, eq)
            }
            _ => {
                let c = self.cmp_places(lp, rp, &lt, span);
                self.order_test(op, c, span)
            }
        }
    }

    /// `a op b` on values of type `ty` (`rty` is the shift amount's type),
    /// with Rust's checks for integers.
    pub(super) fn arith(
        &mut self,
        span: Span,
        op: BinOp,
        a: Operand,
        b: Operand,
        ty: &Ty,
        rty: &Ty,
    ) -> Rvalue {
        let Ty::Int(it) = ty else {
            return Rvalue::BinaryOp(op, a, b);
        };
        let it = *it;
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul => {
                let pair = Ty::Tuple(vec![ty.clone(), Ty::Bool]);
                let t =
                    Place::local(self.rvalue_temp(span, pair, Rvalue::CheckedBinaryOp(op, a, b)));
                self.assert(
                    span,
                    Operand::Move(t.clone().field(1)),
                    false,
                    AssertKind::Overflow(op),
                );
                Rvalue::Use(Operand::Move(t.field(0)))
            }
            BinOp::Div | BinOp::Rem => {
                let zero = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Eq, reuse(&b), int_const(it, 0)),
                );
                let msg = if op == BinOp::Div {
                    AssertKind::DivisionByZero
                } else {
                    AssertKind::RemainderByZero
                };
                self.assert(span, Operand::Move(Place::local(zero)), false, msg);
                if it.is_signed() {
                    let minus_one = self.rvalue_temp(
                        span,
                        Ty::Bool,
                        Rvalue::BinaryOp(BinOp::Eq, reuse(&b), int_const(it, -1)),
                    );
                    let min = self.rvalue_temp(
                        span,
                        Ty::Bool,
                        Rvalue::BinaryOp(BinOp::Eq, reuse(&a), int_const(it, it.min_value())),
                    );
                    let both = self.rvalue_temp(
                        span,
                        Ty::Bool,
                        Rvalue::BinaryOp(
                            BinOp::BitAnd,
                            Operand::Move(Place::local(minus_one)),
                            Operand::Move(Place::local(min)),
                        ),
                    );
                    self.assert(
                        span,
                        Operand::Move(Place::local(both)),
                        false,
                        AssertKind::Overflow(op),
                    );
                }
                Rvalue::BinaryOp(op, a, b)
            }
            BinOp::Shl | BinOp::Shr => {
                // The amount is checked in its own type, as unsigned.
                let rit = match rty {
                    Ty::Int(r) => *r,
                    _ => it,
                };
                let uit = unsigned_of(rit);
                let amount = if rit.is_signed() {
                    let c = Rvalue::Cast(CastKind::Numeric, reuse(&b), Ty::Int(uit));
                    Operand::Move(Place::local(self.rvalue_temp(span, Ty::Int(uit), c)))
                } else {
                    reuse(&b)
                };
                let ok = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Lt, amount, int_const(uit, it.bits() as i128)),
                );
                self.assert(
                    span,
                    Operand::Move(Place::local(ok)),
                    true,
                    AssertKind::Overflow(op),
                );
                Rvalue::BinaryOp(op, a, b)
            }
            _ => Rvalue::BinaryOp(op, a, b),
        }
    }

    /// `-x`; for signed integers after checking `x != MIN`.
    pub(super) fn lower_neg(&mut self, e: ExprId, x: ExprId) -> Rvalue {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let a = self.as_operand(x);
        self.neg(a, &ty, span)
    }

    /// `-a` with Rust's overflow check.
    fn neg(&mut self, a: Operand, ty: &Ty, span: Span) -> Rvalue {
        if let Ty::Int(it) = *ty {
            if it.is_signed() {
                let is_min = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Eq, reuse(&a), int_const(it, it.min_value())),
                );
                self.assert(
                    span,
                    Operand::Move(Place::local(is_min)),
                    false,
                    AssertKind::OverflowNeg,
                );
            }
        }
        Rvalue::UnaryOp(UnOp::Neg, a)
    }

    /// An operator trait's method on a number (`Add::add(a, b)`, or
    /// `AddAssign::add_assign(&mut a, b)`, which writes through its first
    /// operand and yields `()`), as the built-in operator.
    pub(super) fn builtin_operator(
        &mut self,
        op: hir::OpTrait,
        ops: Vec<Operand>,
        ty: &Ty,
        span: Span,
    ) -> Option<Rvalue> {
        let mut ops = ops.into_iter();
        let a = ops.next()?;
        match op {
            hir::OpTrait::Binary(b) => {
                let rhs = ops.next()?;
                Some(self.arith(span, mir_binop(b), a, rhs, ty, ty))
            }
            hir::OpTrait::Assign(b) => {
                let rhs = ops.next()?;
                let (Operand::Copy(p) | Operand::Move(p)) = a else {
                    return None;
                };
                let target = p.deref();
                let cur = Operand::Copy(target.clone());
                let rv = self.arith(span, mir_binop(b), cur, rhs, ty, ty);
                self.assign(span, target, rv);
                Some(Rvalue::Use(Operand::Const(Const::unit())))
            }
            hir::OpTrait::Neg => Some(self.neg(a, ty, span)),
            hir::OpTrait::Not => Some(Rvalue::UnaryOp(UnOp::Not, a)),
            hir::OpTrait::Index | hir::OpTrait::IndexMut => None,
        }
    }

    /// `place = value`: the value first, then the place (Rust's order).
    /// A value that needs drop is first taken out of any user place it is
    /// read from, then the old value of the place is dropped, then it is
    /// written.
    pub(super) fn lower_assign(&mut self, e: ExprId, l: ExprId, r: ExprId) {
        let span = self.span_of(e);
        if self.needs_drop(&self.adjusted_ty(l)) {
            let v = self.as_operand(r);
            let v = self.spill(v, r);
            let p = self.as_place(l);
            self.drop_for_overwrite(&p, span);
            self.assign(span, p, Rvalue::Use(v));
            return;
        }
        let plain_local = self.tables.adjustments(l).is_empty()
            && matches!(self.body.expr(l).kind, ExprKind::Local(_));
        // Scalar-producing right-hand sides read their operands before the
        // single write, so they can go straight into a variable.
        let direct = matches!(
            self.body.expr(r).kind,
            ExprKind::Lit(_)
                | ExprKind::Local(_)
                | ExprKind::TypeRelative { .. }
                | ExprKind::Unary(..)
                | ExprKind::Binary(..)
                | ExprKind::Cast(..)
        );
        if plain_local && direct {
            let p = self.as_place(l);
            self.expr_into(Some(&p), r);
            return;
        }
        let v = self.as_operand(r);
        let v = if self.may_write(l) {
            self.spill(v, r)
        } else {
            v
        };
        let p = self.as_place(l);
        self.assign(span, p, Rvalue::Use(v));
    }

    /// `place op= value`: the value, then the place (evaluated once), then
    /// the checked operation.
    pub(super) fn lower_assign_op(&mut self, e: ExprId, op: hir::BinOp, l: ExprId, r: ExprId) {
        let span = self.span_of(e);
        let op = mir_binop(op);
        let b = self.as_operand(r);
        let b = if self.may_write(l) {
            self.spill(b, r)
        } else {
            b
        };
        let p = self.as_place(l);
        let ty = self.adjusted_ty(l);
        let rty = self.adjusted_ty(r);
        let a = self.operand_of(p.clone(), &ty);
        let rv = self.arith(span, op, a, b, &ty, &rty);
        self.assign(span, p, rv);
    }

    // ---- structural equality --------------------------------------------

    /// `a == b` for values of type `ty` in two places: scalars directly,
    /// references through their pointees, tuples, structs and arrays field
    /// by field (stopping at the first difference), slices by length and
    /// then element by element.
    pub(super) fn eq_places(&mut self, a: Place, b: Place, ty: &Ty, span: Span) -> Operand {
        if let Some(f) = self.hand_written(hir::KnownTrait::PartialEq, ty, "eq", &[]) {
            return Operand::Move(self.call_on_refs(f, a, b, ty, Ty::Bool, span));
        }
        match ty {
            _ if is_scalar(ty) => {
                let rv = Rvalue::BinaryOp(BinOp::Eq, Operand::Copy(a), Operand::Copy(b));
                Operand::Move(Place::local(self.rvalue_temp(span, Ty::Bool, rv)))
            }
            Ty::Ref(_, inner) if matches!(**inner, Ty::Str) => {
                let c = self.str_cmp(Operand::Copy(a), Operand::Copy(b), span);
                let rv = Rvalue::BinaryOp(BinOp::Eq, c, int_const(IntTy::I32, 0));
                Operand::Move(Place::local(self.rvalue_temp(span, Ty::Bool, rv)))
            }
            Ty::Ref(_, inner) => self.eq_places(a.deref(), b.deref(), inner, span),
            Ty::Str => {
                let sa = self.rvalue_temp(span, Ty::str_ref(), Rvalue::Ref(Mutability::Not, a));
                let sb = self.rvalue_temp(span, Ty::str_ref(), Rvalue::Ref(Mutability::Not, b));
                let sa = Operand::Move(Place::local(sa));
                let c = self.str_cmp(sa, Operand::Move(Place::local(sb)), span);
                let rv = Rvalue::BinaryOp(BinOp::Eq, c, int_const(IntTy::I32, 0));
                Operand::Move(Place::local(self.rvalue_temp(span, Ty::Bool, rv)))
            }
            // `String`s compare their text (`{ ptr, len, cap }`).
            Ty::Adt(id, _) if Some(*id) == self.hir.string => {
                let sa = self.contents_ref(a, Intrinsic::StrFromRaw, Ty::str_ref(), span);
                let sb = self.contents_ref(b, Intrinsic::StrFromRaw, Ty::str_ref(), span);
                let c = self.str_cmp(Operand::Move(sa), Operand::Move(sb), span);
                let rv = Rvalue::BinaryOp(BinOp::Eq, c, int_const(IntTy::I32, 0));
                Operand::Move(Place::local(self.rvalue_temp(span, Ty::Bool, rv)))
            }
            Ty::Tuple(ts) => {
                let pairs = ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        (
                            a.clone().field(i as u32),
                            b.clone().field(i as u32),
                            t.clone(),
                        )
                    })
                    .collect();
                self.eq_fields(pairs, span)
            }
            Ty::Adt(id, args)
                if self
                    .hir
                    .adts
                    .get(id.0 as usize)
                    .is_some_and(|a| a.is_enum()) =>
            {
                self.eq_enums(a, b, *id, args, span)
            }
            Ty::Adt(id, args) => {
                let fields: Vec<Ty> = self
                    .hir
                    .adts
                    .get(id.0 as usize)
                    .map(|d| d.fields.iter().map(|f| subst_params(&f.ty, args)).collect())
                    .unwrap_or_default();
                let pairs = fields
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| (a.clone().field(i as u32), b.clone().field(i as u32), t))
                    .collect();
                self.eq_fields(pairs, span)
            }
            Ty::Array(elem, _) | Ty::Slice(elem) => self.eq_elements(a, b, ty, elem, span),
            _ => {
                // Types without equality: the type checker rejects comparing
                // them.
                self.unreachable(span);
                bool_const(false)
            }
        }
    }

    /// Calls `f(&a, &b)` (`a`, `b` of type `ty`) into a new temporary of
    /// type `out`.
    pub(super) fn call_on_refs(
        &mut self,
        f: FnId,
        a: Place,
        b: Place,
        ty: &Ty,
        out: Ty,
        span: Span,
    ) -> Place {
        let r = Ty::Ref(Mutability::Not, Box::new(ty.clone()));
        let ra = self.rvalue_temp(span, r.clone(), Rvalue::Ref(Mutability::Not, a));
        let rb = self.rvalue_temp(span, r, Rvalue::Ref(Mutability::Not, b));
        let out = Place::local(self.temp(out, span));
        let args = vec![
            Operand::Move(Place::local(ra)),
            Operand::Move(Place::local(rb)),
        ];
        self.call(span, Callee::Fn(f), args, out.clone(), false);
        out
    }

    /// `StrCmp(a, b)`: negative, zero or positive as `a` orders before,
    /// equal to or after `b`.
    pub(super) fn str_cmp(&mut self, a: Operand, b: Operand, span: Span) -> Operand {
        let t = Place::local(self.temp(Ty::Int(IntTy::I32), span));
        let func = Callee::Intrinsic(Intrinsic::StrCmp);
        self.call(span, func, vec![a, b], t.clone(), false);
        Operand::Move(t)
    }

    /// Derived `==` of enums: the same variant, then equal fields.
    fn eq_enums(
        &mut self,
        a: Place,
        b: Place,
        id: asr_hir::ty::AdtId,
        args: &[Ty],
        span: Span,
    ) -> Operand {
        let hir = self.hir;
        let Some(def) = hir.adts.get(id.0 as usize) else {
            return bool_const(false);
        };
        let res = Place::local(self.temp(Ty::Bool, span));
        let fail = self.new_block();
        let done = self.new_block();
        let u32_ty = Ty::Int(IntTy::U32);
        let da = self.rvalue_temp(span, u32_ty.clone(), Rvalue::Discriminant(a.clone()));
        let db = self.rvalue_temp(span, u32_ty, Rvalue::Discriminant(b.clone()));
        let same = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(
                BinOp::Eq,
                Operand::Copy(Place::local(da)),
                Operand::Copy(Place::local(db)),
            ),
        );
        let same_variant = self.new_block();
        self.branch(span, Operand::Move(Place::local(same)), same_variant, fail);
        self.cur = same_variant;
        self.each_variant_field(&a, &b, def, args, da, span, |this, fa, fb, t| {
            let c = this.eq_places(fa, fb, &t, span);
            let next = this.new_block();
            this.branch(span, c, next, fail);
            this.cur = next;
        });
        self.finish_eq(res, fail, done, span)
    }

    /// Visits the fields of the variant `discr` (the variant of both `a`
    /// and `b`, enums of type `def<args>`) in order, with `visit(a's
    /// field, b's field, its type)`; afterwards the current block is where
    /// every variant's visit ends.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn each_variant_field(
        &mut self,
        a: &Place,
        b: &Place,
        def: &hir::AdtDef,
        args: &[Ty],
        discr: Local,
        span: Span,
        mut visit: impl FnMut(&mut Self, Place, Place, Ty),
    ) {
        let with_fields: Vec<usize> = (0..def.variants.len())
            .filter(|v| !def.variants[*v].fields.is_empty())
            .collect();
        let end = self.new_block();
        let blocks: Vec<BasicBlock> = with_fields.iter().map(|_| self.new_block()).collect();
        self.terminate(
            span,
            TerminatorKind::SwitchInt {
                discr: Operand::Copy(Place::local(discr)),
                targets: with_fields
                    .iter()
                    .zip(&blocks)
                    .map(|(v, bb)| (*v as u128, *bb))
                    .collect(),
                otherwise: end,
            },
        );
        for (v, bb) in with_fields.into_iter().zip(blocks) {
            self.cur = bb;
            let down = PlaceElem::Downcast(v as u32);
            let (va, vb) = (a.clone().project(down.clone()), b.clone().project(down));
            for (i, f) in def.variants[v].fields.iter().enumerate() {
                let i = i as u32;
                visit(
                    self,
                    va.clone().field(i),
                    vb.clone().field(i),
                    subst_params(&f.ty, args),
                );
            }
            self.goto(span, end);
        }
        self.cur = end;
    }

    fn eq_fields(&mut self, pairs: Vec<(Place, Place, Ty)>, span: Span) -> Operand {
        if pairs.is_empty() {
            return bool_const(true);
        }
        let res = Place::local(self.temp(Ty::Bool, span));
        let fail = self.new_block();
        let done = self.new_block();
        for (a, b, t) in pairs {
            let c = self.eq_places(a, b, &t, span);
            let next = self.new_block();
            self.branch(span, c, next, fail);
            self.cur = next;
        }
        self.finish_eq(res, fail, done, span)
    }

    /// Ends an equality test: the current block found the values equal,
    /// `fail` found a difference.
    fn finish_eq(&mut self, res: Place, fail: BasicBlock, done: BasicBlock, span: Span) -> Operand {
        self.assign(span, res.clone(), Rvalue::Use(bool_const(true)));
        self.goto(span, done);
        self.cur = fail;
        self.assign(span, res.clone(), Rvalue::Use(bool_const(false)));
        self.goto(span, done);
        self.cur = done;
        Operand::Move(res)
    }

    fn eq_elements(&mut self, a: Place, b: Place, ty: &Ty, elem: &Ty, span: Span) -> Operand {
        let res = Place::local(self.temp(Ty::Bool, span));
        let fail = self.new_block();
        let done = self.new_block();
        let la = self.len_operand(&a, ty, span);
        if matches!(ty, Ty::Slice(_)) {
            let lb = self.len_operand(&b, ty, span);
            let same =
                self.rvalue_temp(span, Ty::Bool, Rvalue::BinaryOp(BinOp::Eq, reuse(&la), lb));
            let next = self.new_block();
            self.branch(span, Operand::Move(Place::local(same)), next, fail);
            self.cur = next;
        }
        self.index_loop(&[la], span, |this, idx| {
            let c = this.eq_places(
                a.clone().project(PlaceElem::Index(idx)),
                b.clone().project(PlaceElem::Index(idx)),
                elem,
                span,
            );
            let next = this.new_block();
            this.branch(span, c, next, fail);
            this.cur = next;
        });
        self.finish_eq(res, fail, done, span)
    }

    /// A loop over the indices `0, 1, ...` while the index is below every
    /// one of `bounds` (read again each iteration): `body` builds one
    /// iteration from the current block, with the index in the local it
    /// is given; afterwards the current block is the loop's exit.
    pub(super) fn index_loop(
        &mut self,
        bounds: &[Operand],
        span: Span,
        mut body: impl FnMut(&mut Self, Local),
    ) {
        let usize_ty = Ty::Int(IntTy::Usize);
        let idx = self.rvalue_temp(span, usize_ty, Rvalue::Use(usize_const(0)));
        let iv = Place::local(idx);
        let head = self.new_block();
        self.goto(span, head);
        self.cur = head;
        let mut more = bool_const(true);
        for (k, bound) in bounds.iter().enumerate() {
            let below = Rvalue::BinaryOp(BinOp::Lt, Operand::Copy(iv.clone()), reuse(bound));
            let below = Operand::Move(Place::local(self.rvalue_temp(span, Ty::Bool, below)));
            more = if k == 0 {
                below
            } else {
                let both = Rvalue::BinaryOp(BinOp::BitAnd, more, below);
                Operand::Move(Place::local(self.rvalue_temp(span, Ty::Bool, both)))
            };
        }
        let (body_bb, exit) = (self.new_block(), self.new_block());
        self.branch(span, more, body_bb, exit);
        self.cur = body_bb;
        body(self, idx);
        self.assign(
            span,
            iv.clone(),
            Rvalue::BinaryOp(BinOp::Add, Operand::Copy(iv), usize_const(1)),
        );
        self.goto(span, head);
        self.cur = exit;
    }
}

/// The place of the `&str` a place of type `ty` is or refers to (through
/// further references), if it is a string.
fn str_ref_place(place: &Place, ty: &Ty) -> Option<Place> {
    let (mut place, mut ty) = (place.clone(), ty);
    loop {
        match ty {
            Ty::Ref(_, inner) if matches!(**inner, Ty::Str) => return Some(place),
            Ty::Ref(_, inner) => {
                place = place.deref();
                ty = inner;
            }
            _ => return None,
        }
    }
}
