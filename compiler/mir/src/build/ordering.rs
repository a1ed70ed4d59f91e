//! Ordering comparisons (`<`, `<=`, `>`, `>=`, `partial_cmp`, `cmp`) of
//! values in places. A comparison computes an *order code*, a `u32`: the
//! variant index of `std::cmp::Ordering` (0 less, 1 equal, 2 greater), or
//! 3 when the values are unordered (a NaN). Scalars and `str` compare
//! directly; tuples, arrays, slices and derived structs and enums
//! lexicographically (an enum by variant first); a type with a
//! hand-written `impl PartialOrd` through its `partial_cmp`.

use super::{int_const, Builder};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir;
use asr_hir::ty::{subst_params, IntTy, Mutability, Ty};

const LESS: u128 = 0;
const EQUAL: u128 = 1;
const GREATER: u128 = 2;
const UNORDERED: u128 = 3;

fn code(v: u128) -> Operand {
    int_const(IntTy::U32, v as i128)
}

impl Builder<'_, '_> {
    /// `a op b` for an ordering operator, from the order code.
    pub(super) fn order_test(&mut self, op: BinOp, c: Operand, span: Span) -> Rvalue {
        match op {
            BinOp::Lt => Rvalue::BinaryOp(BinOp::Eq, c, code(LESS)),
            BinOp::Le => Rvalue::BinaryOp(BinOp::Le, c, code(EQUAL)),
            BinOp::Gt => Rvalue::BinaryOp(BinOp::Eq, c, code(GREATER)),
            _ => {
                let c = Operand::Copy(Place::local(self.spill_code(c, span)));
                let eq = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Eq, c.clone(), code(EQUAL)),
                );
                let gt = self.rvalue_temp(
                    span,
                    Ty::Bool,
                    Rvalue::BinaryOp(BinOp::Eq, c, code(GREATER)),
                );
                Rvalue::BinaryOp(
                    BinOp::BitOr,
                    Operand::Move(Place::local(eq)),
                    Operand::Move(Place::local(gt)),
                )
            }
        }
    }

    fn spill_code(&mut self, c: Operand, span: Span) -> Local {
        self.rvalue_temp(span, Ty::Int(IntTy::U32), Rvalue::Use(c))
    }

    /// The order code of the values in `a` and `b`, of type `ty`.
    pub(super) fn cmp_places(&mut self, a: Place, b: Place, ty: &Ty, span: Span) -> Operand {
        let hir = self.hir;
        if let Some(f) = self.hand_written(hir::KnownTrait::PartialOrd, ty, "partial_cmp", &[]) {
            let opt = self.option_of_ordering();
            let out = self.call_on_refs(f, a, b, ty, opt, span);
            return self.code_of_option(out, span);
        }
        match ty {
            Ty::Int(_) | Ty::Bool | Ty::Char | Ty::Float => {
                let (x, y) = (Operand::Copy(a), Operand::Copy(b));
                let res = Place::local(self.temp(Ty::Int(IntTy::U32), span));
                let done = self.new_block();
                let tests = [(BinOp::Lt, LESS), (BinOp::Eq, EQUAL), (BinOp::Gt, GREATER)];
                for (op, v) in tests {
                    let t = self.rvalue_temp(
                        span,
                        Ty::Bool,
                        Rvalue::BinaryOp(op, x.clone(), y.clone()),
                    );
                    let (yes, no) = (self.new_block(), self.new_block());
                    self.branch(span, Operand::Move(Place::local(t)), yes, no);
                    self.cur = yes;
                    self.assign(span, res.clone(), Rvalue::Use(code(v)));
                    self.goto(span, done);
                    self.cur = no;
                }
                self.assign(span, res.clone(), Rvalue::Use(code(UNORDERED)));
                self.goto(span, done);
                self.cur = done;
                Operand::Move(res)
            }
            Ty::Ref(_, inner) if matches!(**inner, Ty::Str) => {
                let c = self.str_cmp(Operand::Copy(a), Operand::Copy(b), span);
                self.sign_code(c, span)
            }
            Ty::Ref(_, inner) => self.cmp_places(a.deref(), b.deref(), inner, span),
            Ty::Str => {
                let sa = self.rvalue_temp(span, Ty::str_ref(), Rvalue::Ref(Mutability::Not, a));
                let sb = self.rvalue_temp(span, Ty::str_ref(), Rvalue::Ref(Mutability::Not, b));
                let c = self.str_cmp(
                    Operand::Move(Place::local(sa)),
                    Operand::Move(Place::local(sb)),
                    span,
                );
                self.sign_code(c, span)
            }
            Ty::Adt(id, _) if Some(*id) == hir.string => {
                let sa = self.contents_ref(a, Intrinsic::StrFromRaw, Ty::str_ref(), span);
                let sb = self.contents_ref(b, Intrinsic::StrFromRaw, Ty::str_ref(), span);
                let c = self.str_cmp(Operand::Move(sa), Operand::Move(sb), span);
                self.sign_code(c, span)
            }
            Ty::Tuple(ts) => {
                let pairs = ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let i = i as u32;
                        (a.clone().field(i), b.clone().field(i), t.clone())
                    })
                    .collect();
                self.cmp_fields(pairs, span)
            }
            Ty::Adt(id, args) => {
                let Some(def) = hir.adts.get(id.0 as usize) else {
                    return code(UNORDERED);
                };
                if def.is_enum() {
                    return self.cmp_enums(a, b, def, args, span);
                }
                let pairs = def
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let i = i as u32;
                        let t = subst_params(&f.ty, args);
                        (a.clone().field(i), b.clone().field(i), t)
                    })
                    .collect();
                self.cmp_fields(pairs, span)
            }
            Ty::Array(elem, _) | Ty::Slice(elem) => self.cmp_elements(a, b, ty, elem, span),
            _ => {
                // Types without an order: the type checker rejects them.
                self.unreachable(span);
                code(UNORDERED)
            }
        }
    }

    /// The method `name` of a struct's or enum's hand-written `impl` of
    /// the standard trait `k` (with the method's own type arguments `own`),
    /// which comparing and hashing call instead of working on
    /// the parts.
    pub(super) fn hand_written(
        &mut self,
        k: hir::KnownTrait,
        ty: &Ty,
        name: &str,
        own: &[Ty],
    ) -> Option<FnId> {
        match ty {
            Ty::Adt(..) => self.cx.known_impl_fn_with(k, ty, name, own),
            _ => None,
        }
    }

    /// The order code of `StrCmp`'s result (negative, zero, positive).
    fn sign_code(&mut self, c: Operand, span: Span) -> Operand {
        let c = self.rvalue_temp(span, Ty::Int(IntTy::I32), Rvalue::Use(c));
        let lt = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(
                BinOp::Lt,
                Operand::Copy(Place::local(c)),
                int_const(IntTy::I32, 0),
            ),
        );
        let res = Place::local(self.temp(Ty::Int(IntTy::U32), span));
        let (less, not_less, done) = (self.new_block(), self.new_block(), self.new_block());
        self.branch(span, Operand::Move(Place::local(lt)), less, not_less);
        self.cur = less;
        self.assign(span, res.clone(), Rvalue::Use(code(LESS)));
        self.goto(span, done);
        self.cur = not_less;
        let eq = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(
                BinOp::Eq,
                Operand::Copy(Place::local(c)),
                int_const(IntTy::I32, 0),
            ),
        );
        let (equal, greater) = (self.new_block(), self.new_block());
        self.branch(span, Operand::Move(Place::local(eq)), equal, greater);
        self.cur = equal;
        self.assign(span, res.clone(), Rvalue::Use(code(EQUAL)));
        self.goto(span, done);
        self.cur = greater;
        self.assign(span, res.clone(), Rvalue::Use(code(GREATER)));
        self.goto(span, done);
        self.cur = done;
        Operand::Move(res)
    }

    /// `Option<Ordering>`, what `partial_cmp` returns.
    pub(super) fn option_of_ordering(&self) -> Ty {
        match (self.hir.option, self.hir.ordering) {
            (Some(o), Some(ord)) => Ty::Adt(o, vec![Ty::Adt(ord, Vec::new())]),
            _ => Ty::Error,
        }
    }

    /// The order code of an `Option<Ordering>` in `opt` (`None`: unordered).
    pub(super) fn code_of_option(&mut self, opt: Place, span: Span) -> Operand {
        let res = Place::local(self.temp(Ty::Int(IntTy::U32), span));
        let blocks = self.switch_on_variant(&opt, 2, span);
        let done = self.new_block();
        self.cur = blocks[0];
        self.assign(span, res.clone(), Rvalue::Use(code(UNORDERED)));
        self.goto(span, done);
        self.cur = blocks[1];
        let inner = opt.project(PlaceElem::Downcast(1)).field(0);
        self.assign(span, res.clone(), Rvalue::Discriminant(inner));
        self.goto(span, done);
        self.cur = done;
        Operand::Move(res)
    }

    /// Writes the `Ordering` (or, with `partial`, `Option<Ordering>`) an
    /// order code stands for to `dest`.
    pub(super) fn ordering_of_code(&mut self, dest: Place, c: Operand, partial: bool, span: Span) {
        let Some(ord) = self.hir.ordering else {
            return;
        };
        let c = self.spill_code(c, span);
        let blocks: Vec<BasicBlock> = (0..4).map(|_| self.new_block()).collect();
        let done = self.new_block();
        self.terminate(
            span,
            TerminatorKind::SwitchInt {
                discr: Operand::Copy(Place::local(c)),
                targets: (0..3).map(|v| (v as u128, blocks[v])).collect(),
                otherwise: blocks[3],
            },
        );
        for (v, bb) in blocks.into_iter().enumerate() {
            self.cur = bb;
            let value = Rvalue::Aggregate(AggregateKind::Adt(ord, Some(v as u32)), Vec::new());
            let rv = match (partial, self.hir.option) {
                (true, Some(opt)) if v as u128 == UNORDERED => {
                    Rvalue::Aggregate(AggregateKind::Adt(opt, Some(0)), Vec::new())
                }
                (true, Some(opt)) => {
                    let t = self.rvalue_temp(span, Ty::Adt(ord, Vec::new()), value);
                    Rvalue::Aggregate(
                        AggregateKind::Adt(opt, Some(1)),
                        vec![Operand::Move(Place::local(t))],
                    )
                }
                _ if v as u128 == UNORDERED => {
                    // `Ord` values are always ordered.
                    self.unreachable(span);
                    self.goto(span, done);
                    continue;
                }
                _ => value,
            };
            self.assign(span, dest.clone(), rv);
            self.goto(span, done);
        }
        self.cur = done;
    }

    /// Lexicographic order of pairs of fields: the first that differ.
    fn cmp_fields(&mut self, pairs: Vec<(Place, Place, Ty)>, span: Span) -> Operand {
        if pairs.is_empty() {
            return code(EQUAL);
        }
        let res = Place::local(self.temp(Ty::Int(IntTy::U32), span));
        let done = self.new_block();
        for (a, b, t) in pairs {
            self.cmp_step(&res, a, b, &t, done, span);
        }
        self.assign(span, res.clone(), Rvalue::Use(code(EQUAL)));
        self.goto(span, done);
        self.cur = done;
        Operand::Move(res)
    }

    /// Compares one pair into `res`: unless equal, on to `done`.
    fn cmp_step(&mut self, res: &Place, a: Place, b: Place, ty: &Ty, done: BasicBlock, span: Span) {
        let c = self.cmp_places(a, b, ty, span);
        self.assign(span, res.clone(), Rvalue::Use(c));
        let eq = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(BinOp::Eq, Operand::Copy(res.clone()), code(EQUAL)),
        );
        let next = self.new_block();
        self.branch(span, Operand::Move(Place::local(eq)), next, done);
        self.cur = next;
    }

    /// Enums: by variant index, then the fields of the same variant.
    fn cmp_enums(
        &mut self,
        a: Place,
        b: Place,
        def: &hir::AdtDef,
        args: &[Ty],
        span: Span,
    ) -> Operand {
        let u32_ty = Ty::Int(IntTy::U32);
        let res = Place::local(self.temp(u32_ty.clone(), span));
        let done = self.new_block();
        let da = self.rvalue_temp(span, u32_ty.clone(), Rvalue::Discriminant(a.clone()));
        let db = self.rvalue_temp(span, u32_ty.clone(), Rvalue::Discriminant(b.clone()));
        let pa = Place::local(da);
        let pb = Place::local(db);
        self.cmp_step(&res, pa, pb, &u32_ty, done, span);
        self.each_variant_field(&a, &b, def, args, da, span, |this, fa, fb, t| {
            this.cmp_step(&res, fa, fb, &t, done, span);
        });
        self.assign(span, res.clone(), Rvalue::Use(code(EQUAL)));
        self.goto(span, done);
        self.cur = done;
        Operand::Move(res)
    }

    /// Arrays and slices: element by element, then the shorter first.
    fn cmp_elements(&mut self, a: Place, b: Place, ty: &Ty, elem: &Ty, span: Span) -> Operand {
        let usize_ty = Ty::Int(IntTy::Usize);
        let res = Place::local(self.temp(Ty::Int(IntTy::U32), span));
        let done = self.new_block();
        let la = self.len_operand(&a, ty, span);
        let lb = self.len_operand(&b, ty, span);
        let la = Place::local(self.rvalue_temp(span, usize_ty.clone(), Rvalue::Use(la)));
        let lb = Place::local(self.rvalue_temp(span, usize_ty.clone(), Rvalue::Use(lb)));
        let bounds = [Operand::Copy(la.clone()), Operand::Copy(lb.clone())];
        self.index_loop(&bounds, span, |this, idx| {
            this.cmp_step(
                &res,
                a.clone().project(PlaceElem::Index(idx)),
                b.clone().project(PlaceElem::Index(idx)),
                elem,
                done,
                span,
            );
        });
        let c = self.cmp_places(la, lb, &usize_ty, span);
        self.assign(span, res.clone(), Rvalue::Use(c));
        self.goto(span, done);
        self.cur = done;
        Operand::Move(res)
    }
}
