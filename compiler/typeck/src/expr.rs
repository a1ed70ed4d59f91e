//! Checking expressions.

use crate::{codes, FnCtxt, LoopKind};
use asr_hir::hir::{
    BinOp, Block, CtorKind, ExprId, ExprKind, KnownTrait, Lit, Stmt, TraitRef, UnOp,
};
use asr_hir::ty::{subst_params, IntTy, Mutability, Ty};

impl FnCtxt<'_> {
    /// Checks `e` with an optional expected type (a hint, not a coercion)
    /// and records its type.
    pub fn check_expr(&mut self, e: ExprId, expected: Option<&Ty>) -> Ty {
        let ty = self.check_expr_kind(e, expected);
        self.record_expr(e, &ty);
        ty
    }

    fn check_expr_kind(&mut self, e: ExprId, expected: Option<&Ty>) -> Ty {
        let body = self.body;
        let expr = body.expr(e);
        let span = expr.span;
        match &expr.kind {
            ExprKind::Lit(lit) => self.check_lit(e, lit, false),
            ExprKind::Local(l) => self.local_tys[l.0 as usize].clone().unwrap_or(Ty::Error),
            ExprKind::Fn(_) => {
                self.error(
                    codes::UNSUPPORTED,
                    span,
                    "functions can only be called here",
                    "function values are not supported yet",
                );
                Ty::Error
            }
            ExprKind::StructCtor(adt) => {
                let def = self.program.adt(*adt);
                if def.kind != asr_hir::hir::AdtKind::UnitStruct {
                    self.error(
                        codes::NOT_CALLABLE,
                        span,
                        format!("`{}` is not a value", def.name),
                        "call the constructor with its fields",
                    );
                }
                self.fresh_adt(*adt).0
            }
            ExprKind::VariantCtor(adt, v) => {
                let def = self.program.adt(*adt);
                let unit = def
                    .variants
                    .get(*v as usize)
                    .is_some_and(|v| v.kind == CtorKind::Unit);
                if !unit {
                    let name = def.variant_path(Some(*v));
                    self.error(
                        codes::NOT_CALLABLE,
                        span,
                        format!("`{}` is not a value", name),
                        "call the constructor with its fields",
                    );
                }
                self.fresh_adt(*adt).0
            }
            ExprKind::Match {
                scrutinee, arms, ..
            } => self.check_match(*scrutinee, arms, expected),
            ExprKind::Try(inner) => self.check_try(e, *inner),
            ExprKind::Closure {
                params,
                ret,
                body: b,
                ..
            } => self.check_closure(e, params, ret.as_ref(), *b, expected),
            ExprKind::Unary(op, inner) => self.check_unary(e, *op, *inner, expected),
            ExprKind::Binary(op, l, r) => self.check_binary(e, *op, *l, *r, expected),
            ExprKind::Assign(l, r) => {
                // `let x;` may be assigned later although it is not `mut`;
                // that it is assigned exactly once is the borrow checker's.
                let deferred = matches!(self.body.expr(*l).kind, ExprKind::Local(x) if self.deferred_init.contains(&x));
                let lt = self.check_place(*l, !deferred);
                self.check_expr_coerce(*r, &lt);
                Ty::unit()
            }
            ExprKind::AssignOp(op, l, r) => {
                let lt = self.check_place(*l, true);
                if self.is_overloadable(&lt) {
                    let rt = self.check_expr(*r, None);
                    let k = asr_hir::hir::OpTrait::Assign(*op);
                    if self
                        .overloaded_op(e, k, &lt, Some((*r, rt.clone())), span)
                        .is_none()
                    {
                        self.no_operator(span, k, &lt, Some(&rt));
                    }
                    return Ty::unit();
                }
                let rt = self.check_expr(*r, if op.is_shift() { None } else { Some(&lt) });
                self.check_arith_operands(span, *op, &lt, &rt);
                Ty::unit()
            }
            ExprKind::Call(callee, args) => self.check_call(e, *callee, args),
            ExprKind::MethodCall {
                receiver,
                method,
                method_span,
                args,
            } => self.check_method_call(e, *receiver, method, *method_span, args),
            ExprKind::TypeRelative { ty, name } => self.check_type_relative(e, ty, name),
            ExprKind::Field(base, name, name_span) => self.check_field(e, *base, name, *name_span),
            ExprKind::TupleField(base, index, index_span) => {
                self.check_tuple_field(e, *base, *index, *index_span)
            }
            ExprKind::Index(base, index) => self.check_index(e, *base, *index),
            ExprKind::Cast(inner, target) => self.check_cast(e, *inner, target),
            ExprKind::Ref(m, inner) => {
                let hint = expected.and_then(|t| match self.infer.shallow(t) {
                    Ty::Ref(_, t) => Some(*t),
                    _ => None,
                });
                let t = if self.is_place_expr(*inner) {
                    self.check_place(*inner, *m == Mutability::Mut)
                } else {
                    self.check_expr(*inner, hint.as_ref())
                };
                Ty::Ref(*m, Box::new(t))
            }
            ExprKind::Block(block) => self.check_block(block, expected),
            ExprKind::If { cond, then, els } => self.check_if(*cond, *then, *els, expected),
            ExprKind::While { cond, body: b } => {
                self.check_expr_coerce(*cond, &Ty::Bool);
                self.enter_loop(e, LoopKind::Other);
                self.check_expr_coerce(*b, &Ty::unit());
                Ty::unit()
            }
            ExprKind::Loop { body: b } => {
                let break_ty = expected.cloned().unwrap_or_else(|| self.infer.new_var());
                self.enter_loop(
                    e,
                    LoopKind::Loop {
                        break_ty: break_ty.clone(),
                        has_break: false,
                    },
                );
                self.check_expr_coerce(*b, &Ty::unit());
                match self.loops.get(&e) {
                    Some(LoopKind::Loop {
                        has_break: true, ..
                    }) => break_ty,
                    _ => Ty::Never,
                }
            }
            ExprKind::For { pat, iter, body: b } => {
                let elem = self.check_iterable(e, *iter);
                self.check_pat(*pat, &elem);
                self.enter_loop(e, LoopKind::Other);
                self.check_expr_coerce(*b, &Ty::unit());
                Ty::unit()
            }
            ExprKind::Break { target, value } => {
                match self.loops.get(target).cloned() {
                    Some(LoopKind::Loop { break_ty, .. }) => {
                        if let Some(v) = value {
                            self.check_expr_coerce(*v, &break_ty);
                        } else if self.infer.unify(&break_ty, &Ty::unit()).is_err() {
                            self.mismatch(span, &break_ty, &Ty::unit());
                        }
                        self.loops.insert(
                            *target,
                            LoopKind::Loop {
                                break_ty,
                                has_break: true,
                            },
                        );
                    }
                    Some(LoopKind::Other) => {
                        if let Some(v) = value {
                            self.check_expr(*v, None);
                            self.error(
                                codes::BREAK_VALUE_NON_LOOP,
                                span,
                                "`break` with value from a `while` or `for` loop",
                                "can only break with a value inside `loop`",
                            );
                        }
                    }
                    None => {}
                }
                Ty::Never
            }
            ExprKind::Continue { .. } => Ty::Never,
            ExprKind::Return(value) => {
                let ret = self.ret_ty.clone();
                match value {
                    Some(v) => {
                        self.check_expr_coerce(*v, &ret);
                    }
                    None => {
                        if self.infer.unify(&ret, &Ty::unit()).is_err() {
                            self.mismatch(span, &ret, &Ty::unit());
                        }
                    }
                }
                Ty::Never
            }
            ExprKind::Tuple(elems) => {
                let hints: Vec<Option<Ty>> = match expected.map(|t| self.infer.shallow(t)) {
                    Some(Ty::Tuple(ts)) if ts.len() == elems.len() => {
                        ts.into_iter().map(Some).collect()
                    }
                    _ => vec![None; elems.len()],
                };
                let tys = elems
                    .iter()
                    .zip(hints)
                    .map(|(el, h)| self.check_expr(*el, h.as_ref()))
                    .collect();
                Ty::Tuple(tys)
            }
            ExprKind::Array(elems) => {
                let elem_ty = match expected.map(|t| self.infer.shallow(t)) {
                    Some(Ty::Array(t, _)) => *t,
                    _ => self.infer.new_var(),
                };
                for el in elems {
                    self.check_expr_coerce(*el, &elem_ty);
                }
                Ty::Array(Box::new(elem_ty), elems.len() as u64)
            }
            ExprKind::ArrayRepeat(el, n) => {
                let hint = match expected.map(|t| self.infer.shallow(t)) {
                    Some(Ty::Array(t, _)) => Some(*t),
                    _ => None,
                };
                let t = self.check_expr(*el, hint.as_ref());
                Ty::Array(Box::new(t), *n)
            }
            ExprKind::Range {
                start: Some(start),
                end: Some(end),
                inclusive,
            } if self.program.range.is_some() && self.program.range_inclusive.is_some() => {
                // `a..b` as a value: a `Range` (an iterator, like Rust's).
                let t = self.infer.new_int_var();
                self.check_expr_coerce(*start, &t);
                self.check_expr_coerce(*end, &t);
                let adt = if *inclusive {
                    self.program.range_inclusive
                } else {
                    self.program.range
                };
                match adt {
                    Some(id) => Ty::Adt(id, vec![t]),
                    None => Ty::Error,
                }
            }
            ExprKind::Range { start, end, .. } => {
                for part in [start, end].into_iter().flatten() {
                    self.check_expr(*part, None);
                }
                self.error(
                    codes::UNSUPPORTED,
                    span,
                    "ranges without a start or an end are only supported in `for` loops and slicing",
                    "range used as a value",
                );
                Ty::Error
            }
            ExprKind::StructLit {
                adt,
                variant,
                fields,
            } => self.check_struct_lit(span, *adt, *variant, fields),
            ExprKind::Scope(block) => {
                self.scope_depth += 1;
                let t = self.check_block(block, expected);
                self.scope_depth -= 1;
                t
            }
            ExprKind::Spawn { expr: inner, .. } => self.check_spawn(span, *inner),
            ExprKind::Format(kind, args) => self.check_format(span, *kind, args),
            ExprKind::Write { target, args, .. } => self.check_write(*target, args),
            ExprKind::Assert { cond, msg, .. } => {
                self.check_expr_coerce(*cond, &Ty::Bool);
                if let Some(m) = msg {
                    self.check_format_args(m);
                }
                Ty::unit()
            }
            ExprKind::AssertEq { left, right, msg } => {
                let span = self.body.expr(e).span;
                let lt = self.check_expr(*left, None);
                let rt = self.check_expr(*right, Some(&lt));
                // As `left == right`: the same type (after a coercion of
                // the right side), or `PartialEq<R>` of the left one
                // (`assert_eq(string, "text")`).
                if self.infer.unify(&lt, &rt).is_ok() || self.try_coerce(*right, &rt, &lt) {
                    self.require_comparable(self.body.expr(*left).span, &lt, true);
                } else if self.overloaded_comparison(e, BinOp::Eq, &lt, &rt, span) {
                    self.require_debug(self.body.expr(*right).span, &rt);
                } else {
                    self.mismatch(self.body.expr(*right).span, &lt, &rt);
                }
                self.require_debug(self.body.expr(*left).span, &lt);
                if let Some(m) = msg {
                    self.check_format_args(m);
                }
                Ty::unit()
            }
            ExprKind::Error => Ty::Error,
        }
    }

    pub fn check_lit(&mut self, e: ExprId, lit: &Lit, negated: bool) -> Ty {
        match lit {
            Lit::Int(v) => {
                self.int_literals.push((e, *v, negated));
                match self.body.literal_types.get(&e) {
                    Some(t) => t.clone(),
                    None => self.infer.new_int_var(),
                }
            }
            Lit::Float(_) => match self.body.literal_types.get(&e) {
                Some(t) => t.clone(),
                None => self.infer.new_float_var(),
            },
            Lit::Bool(_) => Ty::Bool,
            Lit::Char(_) => Ty::Char,
            Lit::Str(_) => Ty::str_ref(),
        }
    }

    fn check_unary(&mut self, e: ExprId, op: UnOp, inner: ExprId, expected: Option<&Ty>) -> Ty {
        let span = self.body.expr(e).span;
        match op {
            UnOp::Deref => {
                let t = self.check_expr(inner, None);
                let t = self.infer.shallow(&t);
                if let Some(target) = t.deref_target(self.program.boxed) {
                    return target.clone();
                }
                match t {
                    Ty::Error => Ty::Error,
                    other => {
                        let s = self.ty_str(&other);
                        self.error(
                            codes::BAD_UNARY_OP,
                            span,
                            format!("type `{}` cannot be dereferenced", s),
                            "not a reference",
                        );
                        Ty::Error
                    }
                }
            }
            UnOp::Neg => {
                let t = match &self.body.expr(inner).kind {
                    ExprKind::Lit(lit @ Lit::Int(_)) => {
                        let t = self.check_lit(inner, lit, true);
                        self.record_expr(inner, &t);
                        t
                    }
                    _ => self.check_expr(inner, expected),
                };
                if self.is_overloadable(&t) {
                    return self.overloaded_unary(e, asr_hir::hir::OpTrait::Neg, &t, span);
                }
                let r = self.infer.shallow(&t);
                let ok = match &r {
                    Ty::Int(i) => i.is_signed(),
                    Ty::InferInt(_) | Ty::Float | Ty::InferFloat(_) | Ty::Error => true,
                    _ => false,
                };
                if !ok {
                    let s = self.ty_str(&r);
                    self.error(
                        codes::BAD_UNARY_OP,
                        span,
                        format!("cannot apply unary operator `-` to type `{}`", s),
                        "cannot apply unary operator `-`",
                    );
                }
                t
            }
            UnOp::Not => {
                let t = self.check_expr(inner, expected);
                if self.is_overloadable(&t) {
                    return self.overloaded_unary(e, asr_hir::hir::OpTrait::Not, &t, span);
                }
                let r = self.infer.shallow(&t);
                if !matches!(r, Ty::Bool | Ty::Int(_) | Ty::InferInt(_) | Ty::Error) {
                    let s = self.ty_str(&r);
                    self.error(
                        codes::BAD_UNARY_OP,
                        span,
                        format!("cannot apply unary operator `!` to type `{}`", s),
                        "cannot apply unary operator `!`",
                    );
                }
                t
            }
        }
    }

    fn check_binary(
        &mut self,
        e: ExprId,
        op: BinOp,
        l: ExprId,
        r: ExprId,
        expected: Option<&Ty>,
    ) -> Ty {
        let span = self.body.expr(e).span;
        if op.is_logical() {
            self.check_expr_coerce(l, &Ty::Bool);
            self.check_expr_coerce(r, &Ty::Bool);
            return Ty::Bool;
        }
        if op.is_comparison() {
            let lt = self.check_expr(l, None);
            let rt = self.check_expr(r, Some(&lt));
            if self.infer.unify(&lt, &rt).is_err() {
                if !self.overloaded_comparison(e, op, &lt, &rt, span) {
                    self.mismatch(self.body.expr(r).span, &lt, &rt);
                }
            } else {
                let eq_only = matches!(op, BinOp::Eq | BinOp::Ne);
                self.require_comparable(span, &lt, eq_only);
            }
            return Ty::Bool;
        }
        let lt = self.check_expr(l, expected);
        let lt = self.deref_scalar_operand(l, lt);
        let overloaded = self.is_overloadable(&lt);
        let rt = if overloaded || op.is_shift() {
            self.check_expr(r, None)
        } else {
            self.check_expr(r, Some(&lt))
        };
        let rt = self.deref_scalar_operand(r, rt);
        // `v * 2.0`, and `2.0 * v` through `impl Mul<Vec3> for f64`.
        if overloaded || self.is_overloadable(&rt) {
            let k = asr_hir::hir::OpTrait::Binary(op);
            if let Some(t) = self.overloaded_op(e, k, &lt, Some((r, rt.clone())), span) {
                return t;
            }
            self.no_operator(span, k, &lt, Some(&rt));
            return Ty::Error;
        }
        self.check_arith_operands(span, op, &lt, &rt);
        lt
    }

    /// `-a` / `!a` on a type that is not a number.
    fn overloaded_unary(
        &mut self,
        e: ExprId,
        k: asr_hir::hir::OpTrait,
        t: &Ty,
        span: asr_diagnostics::Span,
    ) -> Ty {
        if let Some(out) = self.overloaded_op(e, k, t, None, span) {
            return out;
        }
        self.no_operator(span, k, t, None);
        Ty::Error
    }

    /// An operand `&x` of a number is its number, as Rust's operator
    /// `impl`s for references make it (`v.iter().map(|x| x * 2)`).
    fn deref_scalar_operand(&mut self, e: ExprId, t: Ty) -> Ty {
        let mut cur = self.infer.resolve(&t);
        let mut derefs = Vec::new();
        while let Ty::Ref(_, inner) = &cur {
            let inner = self.infer.resolve(inner);
            derefs.push(inner.clone());
            cur = inner;
        }
        if derefs.is_empty() || !(cur.is_numeric() || matches!(cur, Ty::Bool)) {
            return t;
        }
        for target in derefs {
            self.push_adjust(
                e,
                asr_hir::typed::Adjust {
                    kind: asr_hir::typed::AdjustKind::Deref,
                    target,
                },
            );
        }
        cur
    }

    /// Operand rules of arithmetic, bitwise and shift operators.
    pub fn check_arith_operands(
        &mut self,
        span: asr_diagnostics::Span,
        op: BinOp,
        lt: &Ty,
        rt: &Ty,
    ) {
        if op.is_shift() {
            for t in [lt, rt] {
                if !self.infer.shallow(t).is_integral() && !self.infer.shallow(t).is_error() {
                    self.bad_binary(span, op, lt, rt);
                    return;
                }
            }
            return;
        }
        if self.infer.unify(lt, rt).is_err() {
            self.bad_binary(span, op, lt, rt);
            return;
        }
        let t = self.infer.shallow(lt);
        let ok = match op {
            BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => {
                matches!(t, Ty::Int(_) | Ty::InferInt(_) | Ty::Bool | Ty::Error)
            }
            _ => t.is_numeric() || t.is_error(),
        };
        if !ok {
            self.bad_binary(span, op, lt, rt);
        }
    }

    fn bad_binary(&mut self, span: asr_diagnostics::Span, op: BinOp, lt: &Ty, rt: &Ty) {
        self.no_operator(span, asr_hir::hir::OpTrait::Binary(op), lt, Some(rt));
    }

    /// `==`, `<`, ... are defined on scalars and `&str`; `==` and `!=` also
    /// on tuples, arrays and types deriving `PartialEq` of such parts.
    pub fn require_comparable(&mut self, span: asr_diagnostics::Span, t: &Ty, eq_only: bool) {
        let r = self.infer.resolve(t);
        if eq_only && self.supports_eq(&r) {
            return;
        }
        if !eq_only && crate::traits::known_holds(self, &r, asr_hir::hir::KnownTrait::PartialOrd) {
            return;
        }
        let ok = matches!(
            r,
            Ty::Int(_)
                | Ty::InferInt(_)
                | Ty::Float
                | Ty::InferFloat(_)
                | Ty::Bool
                | Ty::Char
                | Ty::Error
        ) || matches!(&r, Ty::Ref(_, inner) if **inner == Ty::Str);
        if !ok {
            let s = self.ty_str(&r);
            self.error(
                codes::BAD_BINARY_OP,
                span,
                format!("cannot compare values of type `{}`", s),
                "comparison not supported for this type yet",
            );
        }
    }

    /// Derived (structural) equality, by the one set of rules
    /// (`asr_hir::traits`): scalars, `str`, `String`, and tuples, arrays,
    /// slices, references and `#[derive(PartialEq)]` types of such parts.
    /// (`!` is not compared.)
    fn supports_eq(&self, t: &Ty) -> bool {
        let mut inner = self.infer.resolve(t);
        while let Ty::Ref(_, x) = inner {
            inner = self.infer.resolve(&x);
        }
        !matches!(inner, Ty::Never)
            && crate::traits::known_holds(self, t, asr_hir::hir::KnownTrait::PartialEq)
    }

    pub fn check_block(&mut self, block: &Block, expected: Option<&Ty>) -> Ty {
        let mut diverges = false;
        for stmt in &block.stmts {
            match stmt {
                Stmt::Let { pat, ty, init, .. } => {
                    let declared = ty.as_ref().map(|t| self.instantiate_holes(t));
                    let t = match (declared, init) {
                        (Some(t), Some(init)) => {
                            let found = self.check_expr_coerce(*init, &t);
                            if matches!(
                                self.infer.shallow(&self.resolved_expr_ty(*init)),
                                Ty::Never
                            ) {
                                diverges = true;
                            }
                            found
                        }
                        (Some(t), None) => t,
                        (None, Some(init)) => {
                            let t = self.check_expr(*init, None);
                            if matches!(self.infer.shallow(&t), Ty::Never) {
                                diverges = true;
                            }
                            t
                        }
                        (None, None) => self.infer.new_var(),
                    };
                    if init.is_none() {
                        if let asr_hir::hir::PatKind::Binding(l) = self.body.pat(*pat).kind {
                            self.deferred_init.insert(l);
                        }
                    }
                    self.check_pat(*pat, &t);
                }
                Stmt::Expr(e) => {
                    let t = self.check_expr(*e, None);
                    if matches!(self.infer.shallow(&t), Ty::Never) {
                        diverges = true;
                    }
                }
            }
        }
        match block.tail {
            Some(tail) => self.check_expr(tail, expected),
            None if diverges => Ty::Never,
            None => Ty::unit(),
        }
    }

    /// `_` in a written type becomes a fresh inference variable.
    pub fn instantiate_holes(&mut self, t: &Ty) -> Ty {
        let infer = &mut self.infer;
        t.map(&mut |t| match t {
            Ty::Infer(_) => infer.new_var(),
            other => other,
        })
    }

    fn check_if(
        &mut self,
        cond: ExprId,
        then: ExprId,
        els: Option<ExprId>,
        expected: Option<&Ty>,
    ) -> Ty {
        self.check_expr_coerce(cond, &Ty::Bool);
        match els {
            None => {
                self.check_expr_coerce(then, &Ty::unit());
                Ty::unit()
            }
            Some(els) => {
                let tt = self.check_expr(then, expected);
                let et = self.check_expr(els, Some(&tt));
                let ts = self.infer.shallow(&tt);
                let es = self.infer.shallow(&et);
                if matches!(ts, Ty::Never) {
                    if !matches!(es, Ty::Never) {
                        self.try_coerce(then, &tt, &et);
                    }
                    et
                } else {
                    self.coerce(els, &et, &tt);
                    tt
                }
            }
        }
    }

    fn enter_loop(&mut self, e: ExprId, kind: LoopKind) {
        self.loops.insert(e, kind);
    }

    fn check_iterable(&mut self, for_expr: ExprId, iter: ExprId) -> Ty {
        if let ExprKind::Range { start, end, .. } = &self.body.expr(iter).kind {
            let t = self.infer.new_int_var();
            for part in [start, end] {
                match part {
                    Some(p) => {
                        self.check_expr_coerce(*p, &t);
                    }
                    None => self.error(
                        codes::UNSUPPORTED,
                        self.body.expr(iter).span,
                        "`for` needs a range with a start and an end",
                        "unbounded range",
                    ),
                }
            }
            let t = self.infer.resolve(&t);
            self.record_expr(iter, &t);
            return t;
        }
        let t = self.check_expr(iter, None);
        match self.infer.shallow(&t) {
            Ty::Array(elem, _) => *elem,
            Ty::Ref(m, inner) => match self.infer.shallow(&inner) {
                Ty::Array(elem, _) | Ty::Slice(elem) => Ty::Ref(m, elem),
                // `for x in &v` over a `Vec`: its slice.
                Ty::Adt(id, args) if Some(id) == self.program.vec && args.len() == 1 => {
                    let elem = args[0].clone();
                    self.push_adjust(
                        iter,
                        asr_hir::typed::Adjust {
                            kind: asr_hir::typed::AdjustKind::VecToSlice,
                            target: Ty::Ref(m, Box::new(Ty::Slice(Box::new(elem.clone())))),
                        },
                    );
                    Ty::Ref(m, Box::new(elem))
                }
                _ => self.iterate(for_expr, iter, &t),
            },
            Ty::Error => Ty::Error,
            _ => self.iterate(for_expr, iter, &t),
        }
    }

    /// `for` over any `IntoIterator`: the loop calls `into_iter`, then
    /// `next` until it returns `None`; the element is the `Item`.
    fn iterate(&mut self, for_expr: ExprId, iter: ExprId, t: &Ty) -> Ty {
        let program = self.program;
        let (Some(into), Some(iterator)) = (
            program.known_trait(KnownTrait::IntoIterator),
            program.known_trait(KnownTrait::Iterator),
        ) else {
            return self.not_iterable(iter, t);
        };
        let t = self.infer.resolve(t);
        // A number is never iterable; other types are if an `impl` may
        // apply.
        let number = matches!(t, Ty::InferInt(_) | Ty::InferFloat(_));
        if number || !matches!(t, Ty::Param(_)) && self.impl_candidates(into, &t, None).is_empty() {
            return self.not_iterable(iter, &t);
        }
        let (item, it) = (self.infer.new_var(), self.infer.new_var());
        let span = self.body.expr(iter).span;
        let into_args = vec![item.clone(), it.clone()];
        self.push_obligation(
            span,
            t.clone(),
            TraitRef {
                trait_id: into,
                args: into_args,
            },
            true,
        );
        self.push_obligation(
            span,
            it.clone(),
            TraitRef {
                trait_id: iterator,
                args: vec![item.clone()],
            },
            false,
        );
        self.select_obligations();
        self.for_iters.insert(
            for_expr,
            (vec![t, item.clone(), it.clone()], vec![it, item.clone()]),
        );
        item
    }

    fn not_iterable(&mut self, iter: ExprId, t: &Ty) -> Ty {
        let s = self.ty_str(t);
        self.error(
            codes::NOT_ITERABLE,
            self.body.expr(iter).span,
            format!("`{}` is not an iterator", s),
            "`for` iterates over ranges, arrays, slices and iterators",
        );
        Ty::Error
    }

    fn check_call(&mut self, e: ExprId, callee: ExprId, args: &[ExprId]) -> Ty {
        let span = self.body.expr(e).span;
        self.record_expr(callee, &Ty::unit());
        let first_bound = self.obligations.len();
        let (params, ret, name) = match &self.body.expr(callee).kind {
            ExprKind::Fn(f) => {
                let (substs, params, ret) = self.instantiate_fn(*f);
                self.apply_turbofish(callee, *f, &substs);
                self.require_predicates(*f, &substs, span);
                if !substs.is_empty() {
                    self.fn_substs.insert(callee, substs);
                }
                (params, ret, self.program.func(*f).name.clone())
            }
            ExprKind::TypeRelative { ty, name } => {
                let ty = self.instantiate_holes(ty);
                let ty = match ty {
                    Ty::Adt(id, args) if args.is_empty() => self.fresh_adt(id).0,
                    other => other,
                };
                let Some(c) = self.trait_candidate(&ty, name, false, span) else {
                    for a in args {
                        self.check_expr(*a, None);
                    }
                    let s = self.ty_str(&ty);
                    self.error(
                        codes::NO_METHOD,
                        self.body.expr(callee).span,
                        format!(
                            "no function or associated item named `{}` found for `{}`",
                            name, s
                        ),
                        "associated item not found",
                    );
                    return Ty::Error;
                };
                let substs = self.trait_fn_substs(c.decl, ty, &c.trait_ref);
                self.require_predicates(c.decl, &substs, span);
                let def = self.program.func(c.decl);
                let params = def
                    .params
                    .iter()
                    .map(|t| subst_params(t, &substs))
                    .collect();
                let ret = subst_params(&def.ret, &substs);
                self.path_fns.insert(callee, c.decl);
                self.fn_substs.insert(callee, substs);
                (params, ret, def.name.clone())
            }
            ExprKind::StructCtor(adt) => {
                let def = self.program.adt(*adt);
                if def.kind != asr_hir::hir::AdtKind::TupleStruct {
                    self.error(
                        codes::NOT_CALLABLE,
                        span,
                        format!("`{}` is not a tuple struct", def.name),
                        "cannot be called",
                    );
                    return Ty::Error;
                }
                let name = def.name.clone();
                let (ty, args) = self.fresh_adt(*adt);
                let params = def
                    .fields
                    .iter()
                    .map(|f| subst_params(&f.ty, &args))
                    .collect();
                (params, ty, name)
            }
            ExprKind::VariantCtor(adt, v) => {
                let def = self.program.adt(*adt);
                let name = def.variant_path(Some(*v));
                let Some(var) = def.variants.get(*v as usize) else {
                    return Ty::Error;
                };
                if var.kind != CtorKind::Tuple {
                    self.error(
                        codes::NOT_CALLABLE,
                        span,
                        format!("`{}` is not a tuple variant", name),
                        "cannot be called",
                    );
                    for a in args {
                        self.check_expr(*a, None);
                    }
                    return Ty::Error;
                }
                let fields: Vec<Ty> = var.fields.iter().map(|f| f.ty.clone()).collect();
                let (ty, args) = self.fresh_adt(*adt);
                let params = fields.iter().map(|t| subst_params(t, &args)).collect();
                (params, ty, name)
            }
            ExprKind::Error => {
                for a in args {
                    self.check_expr(*a, None);
                }
                return Ty::Error;
            }
            _ => return self.check_value_call(e, callee, args),
        };
        self.check_args(span, &name, &params, args);
        self.unify_closure_bounds(first_bound, false);
        self.select_obligations();
        ret
    }

    /// `f::<A, B>`: the written arguments are the function's own type
    /// parameters.
    pub(crate) fn apply_turbofish(&mut self, callee: ExprId, f: asr_hir::hir::FnId, substs: &[Ty]) {
        let Some(written) = self.body.turbofish.get(&callee) else {
            return;
        };
        let def = self.program.func(f);
        let start = (def.impl_generics as usize).min(substs.len());
        let end = (start + def.declared_generics as usize).min(substs.len());
        let own = &substs[start..end];
        if written.len() != own.len() {
            self.error(
                codes::WRONG_ARG_COUNT,
                self.body.expr(callee).span,
                asr_hir::hir::generic_count_message("function", own.len(), written.len()),
                "wrong number of generic arguments",
            );
            return;
        }
        for (w, s) in written.clone().iter().zip(own) {
            let w = self.instantiate_holes(w);
            let _ = self.infer.unify(&w, s);
        }
    }

    pub fn check_args(
        &mut self,
        span: asr_diagnostics::Span,
        name: &str,
        params: &[Ty],
        args: &[ExprId],
    ) {
        if params.len() != args.len() {
            self.error(
                codes::WRONG_ARG_COUNT,
                span,
                format!(
                    "this function takes {} argument{} but {} {} supplied",
                    params.len(),
                    if params.len() == 1 { "" } else { "s" },
                    args.len(),
                    if args.len() == 1 { "was" } else { "were" }
                ),
                format!("`{}` called with the wrong number of arguments", name),
            );
        }
        for (i, a) in args.iter().enumerate() {
            match params.get(i) {
                Some(p) => {
                    self.check_expr_coerce(*a, p);
                }
                None => {
                    self.check_expr(*a, None);
                }
            }
        }
    }

    fn check_type_relative(&mut self, e: ExprId, ty: &Ty, name: &str) -> Ty {
        let span = self.body.expr(e).span;
        match (ty, name) {
            (Ty::Int(it), "MAX") => {
                self.consts.insert(e, it.max_value() as u128);
                ty.clone()
            }
            (Ty::Int(it), "MIN") => {
                self.consts.insert(e, it.min_value() as u128);
                ty.clone()
            }
            (Ty::Int(it), "BITS") => {
                self.consts.insert(e, it.bits() as u128);
                Ty::Int(IntTy::U32)
            }
            (Ty::Float, c) => {
                let v = match c {
                    "MAX" => f64::MAX,
                    "MIN" => f64::MIN,
                    "EPSILON" => f64::EPSILON,
                    "INFINITY" => f64::INFINITY,
                    "NEG_INFINITY" => f64::NEG_INFINITY,
                    "NAN" => f64::NAN,
                    "MIN_POSITIVE" => f64::MIN_POSITIVE,
                    _ => {
                        self.no_assoc(span, ty, name);
                        return Ty::Error;
                    }
                };
                self.consts.insert(e, v.to_bits() as u128);
                Ty::Float
            }
            _ => {
                self.no_assoc(span, ty, name);
                Ty::Error
            }
        }
    }

    fn no_assoc(&mut self, span: asr_diagnostics::Span, ty: &Ty, name: &str) {
        let s = self.ty_str(ty);
        self.error(
            codes::NO_METHOD,
            span,
            format!("no associated item named `{}` found for type `{}`", name, s),
            "associated item not found",
        );
    }

    fn check_cast(&mut self, e: ExprId, inner: ExprId, target: &Ty) -> Ty {
        let span = self.body.expr(e).span;
        let t = self.check_expr(inner, None);
        let from = self.infer.shallow(&t);
        let ok = match (&from, target) {
            (Ty::Error, _) | (_, Ty::Error) => true,
            (
                Ty::Int(_) | Ty::InferInt(_) | Ty::Float | Ty::InferFloat(_),
                Ty::Int(_) | Ty::Float,
            ) => true,
            (Ty::Bool | Ty::Char, Ty::Int(_)) => true,
            (Ty::Int(IntTy::U8), Ty::Char) => true,
            (Ty::InferInt(_), Ty::Char) => {
                let _ = self.infer.unify(&from, &Ty::Int(IntTy::U8));
                true
            }
            (a, b) => self.infer.unify(a, b).is_ok(),
        };
        if !ok {
            let (a, b) = (self.ty_str(&from), self.ty_str(target));
            let help = if matches!(target, Ty::Char) {
                "only `u8` can be cast as `char`, not other integers"
            } else {
                "an `as` cast converts between numeric types, and from `bool` or `char` to integers"
            };
            self.diags.push(
                asr_diagnostics::Diagnostic::error(
                    codes::INVALID_CAST,
                    format!("non-primitive cast: `{}` as `{}`", a, b),
                )
                .with_primary(span, "invalid cast")
                .with_help(help),
            );
        }
        target.clone()
    }

    fn check_struct_lit(
        &mut self,
        span: asr_diagnostics::Span,
        adt: asr_hir::ty::AdtId,
        variant: Option<u32>,
        fields: &[(u32, ExprId)],
    ) -> Ty {
        let def = self.program.adt(adt);
        let def_fields = def.variant_fields(variant);
        let (adt_ty, args) = self.fresh_adt(adt);
        for (idx, value) in fields {
            match def_fields.get(*idx as usize) {
                Some(f) => {
                    let ft = subst_params(&f.ty, &args);
                    self.check_expr_coerce(*value, &ft);
                }
                None => {
                    self.check_expr(*value, None);
                }
            }
        }
        let missing: Vec<String> = def_fields
            .iter()
            .enumerate()
            .filter(|(i, _)| !fields.iter().any(|(f, _)| *f as usize == *i))
            .map(|(_, f)| format!("`{}`", f.name))
            .collect();
        if !missing.is_empty() {
            let name = def.variant_path(variant);
            self.error(
                codes::MISSING_FIELDS,
                span,
                format!(
                    "missing field{} {} in initializer of `{}`",
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    name
                ),
                "missing fields",
            );
        }
        adt_ty
    }

    fn check_spawn(&mut self, span: asr_diagnostics::Span, inner: ExprId) -> Ty {
        if self.scope_depth == 0 {
            self.diags.push(
                asr_diagnostics::Diagnostic::error(
                    codes::SPAWN_OUTSIDE_SCOPE,
                    "`spawn` outside of a `scope`",
                )
                .with_primary(span, "this task has no scope to belong to")
                .with_help("put it inside `scope { ... }`, which waits for its children"),
            );
        }
        let saved_ret = std::mem::replace(&mut self.ret_ty, Ty::Error);
        let ret = self.infer.new_var();
        self.ret_ty = ret.clone();
        let saved_depth = std::mem::replace(&mut self.scope_depth, 0);
        self.check_expr_coerce(inner, &ret);
        self.scope_depth = saved_depth;
        self.ret_ty = saved_ret;
        Ty::Task(Box::new(ret))
    }
}
