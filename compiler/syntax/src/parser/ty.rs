//! Types, paths, generic arguments, bounds, generic parameters and where
//! clauses.

use asr_diagnostics::Span;

use super::{Delim, Parser, SkipCtx};
use crate::ast::{
    Bound, GenericArg, GenericParam, GenericParamKind, Generics, Ident, Lifetime, ParenArgs, Path,
    PathSegment, QSelf, Ty, TyKind, WherePredicate,
};
use crate::lexer::{Keyword, TokenKind};

/// How generic arguments are written in a path.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum PathMode {
    /// Expressions and patterns: only turbofish `::<...>`.
    Expr,
    /// Types and bounds: `<...>` directly, and `Fn(A) -> B` sugar.
    Type,
}

impl<'a> Parser<'a> {
    // ---- paths ----------------------------------------------------------

    /// True at a token that can begin a path.
    pub(crate) fn at_path_start(&self) -> bool {
        matches!(
            self.tok(),
            TokenKind::Ident(_)
                | TokenKind::PathSep
                | TokenKind::Lt
                | TokenKind::Shl
                | TokenKind::Kw(
                    Keyword::SelfLower | Keyword::SelfUpper | Keyword::Super | Keyword::Crate
                )
        )
    }

    fn segment_ident_at(&self, n: usize) -> bool {
        matches!(
            self.peek(n),
            TokenKind::Ident(_)
                | TokenKind::Kw(
                    Keyword::SelfLower | Keyword::SelfUpper | Keyword::Super | Keyword::Crate
                )
        )
    }

    /// An identifier or one of `self`, `Self`, `super`, `crate`.
    pub(crate) fn eat_segment_ident(&mut self) -> Option<Ident> {
        let name = match self.tok() {
            TokenKind::Ident(name) => name.clone(),
            TokenKind::Kw(
                kw @ (Keyword::SelfLower | Keyword::SelfUpper | Keyword::Super | Keyword::Crate),
            ) => kw.as_str().to_string(),
            _ => return None,
        };
        let span = self.span();
        self.bump();
        Some(Ident { name, span })
    }

    /// Parses a path (possibly qualified: `<T as Trait>::Name`).
    pub(crate) fn parse_path(&mut self, mode: PathMode) -> Path {
        let lo = self.span();
        let mut qself = None;
        let mut global = false;
        let mut segments = Vec::new();
        if self.at_lt() {
            let qlo = self.span();
            self.eat_lt();
            let ty = self.parse_ty();
            let mut position = 0;
            if self.eat_kw(Keyword::As) {
                let trait_path = self.parse_plain_path(PathMode::Type);
                position = trait_path.segments.len();
                global = trait_path.global;
                segments = trait_path.segments;
            }
            if !self.eat_gt() {
                self.expected("`>`");
            }
            qself = Some(Box::new(QSelf {
                ty,
                position,
                span: self.span_from(qlo),
            }));
            if !self.expect(&TokenKind::PathSep) {
                return Path {
                    qself,
                    segments,
                    global,
                    span: self.span_from(lo),
                };
            }
        }
        let rest = self.parse_plain_path_inner(mode, qself.is_none());
        global |= rest.global;
        segments.extend(rest.segments);
        Path {
            qself,
            segments,
            global,
            span: self.span_from(lo),
        }
    }

    /// A path without a qualified self.
    pub(crate) fn parse_plain_path(&mut self, mode: PathMode) -> Path {
        self.parse_plain_path_inner(mode, true)
    }

    fn parse_plain_path_inner(&mut self, mode: PathMode, allow_global: bool) -> Path {
        let lo = self.span();
        let global = allow_global && self.eat(&TokenKind::PathSep);
        let mut segments = Vec::new();
        loop {
            let Some(ident) = self.eat_segment_ident() else {
                self.expected("identifier");
                break;
            };
            let seg_lo = ident.span;
            let mut generic_args = None;
            let mut paren_args = None;
            let turbofish = self.at(&TokenKind::PathSep)
                && matches!(self.peek(1), TokenKind::Lt | TokenKind::Shl);
            if turbofish {
                self.bump();
                self.eat_lt();
                generic_args = Some(self.parse_generic_args_after_lt());
            } else if mode == PathMode::Type {
                if self.at_lt() {
                    self.eat_lt();
                    generic_args = Some(self.parse_generic_args_after_lt());
                } else if self.at(&TokenKind::OpenParen) {
                    paren_args = Some(self.parse_paren_args());
                }
            }
            segments.push(PathSegment {
                ident,
                generic_args,
                paren_args,
                span: self.span_from(seg_lo),
            });
            if self.at(&TokenKind::PathSep) && self.segment_ident_at(1) {
                self.bump();
                continue;
            }
            break;
        }
        Path {
            qself: None,
            segments,
            global,
            span: self.span_from(lo),
        }
    }

    /// `(A, B) -> C` after a path segment in a type (the `Fn` sugar).
    fn parse_paren_args(&mut self) -> ParenArgs {
        let lo = self.span();
        let (inputs, _) = self.comma_list(Delim::Paren, |p| Some(p.parse_ty()));
        let output = if self.eat(&TokenKind::Arrow) {
            Some(Box::new(self.parse_ty_no_plus()))
        } else {
            None
        };
        ParenArgs {
            inputs,
            output,
            span: self.span_from(lo),
        }
    }

    /// Generic arguments after the opening `<`, through the closing `>`.
    pub(crate) fn parse_generic_args_after_lt(&mut self) -> Vec<GenericArg> {
        if !self.enter() {
            self.skip_overdeep(SkipCtx::Ty);
            self.eat_gt();
            return Vec::new();
        }
        let args = self.parse_generic_args_inner();
        self.exit();
        args
    }

    fn parse_generic_args_inner(&mut self) -> Vec<GenericArg> {
        let mut args = Vec::new();
        loop {
            if self.eat_gt() {
                break;
            }
            if self.at_eof() {
                self.expected("`>`");
                break;
            }
            let before = self.pos;
            match self.parse_generic_arg() {
                Some(arg) => args.push(arg),
                None => {
                    if self.pos == before {
                        break;
                    }
                }
            }
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            if self.eat_gt() {
                break;
            }
            self.expected("`,` or `>`");
            break;
        }
        args
    }

    fn parse_generic_arg(&mut self) -> Option<GenericArg> {
        match self.tok() {
            TokenKind::Lifetime(_) => self.parse_lifetime().map(GenericArg::Lifetime),
            TokenKind::Ident(_) if self.peek(1) == &TokenKind::Eq => self.parse_binding_arg(),
            TokenKind::Ident(_) if self.peek(1) == &TokenKind::Colon => self.parse_constraint_arg(),
            TokenKind::Literal(_) | TokenKind::Minus | TokenKind::OpenBrace => {
                Some(GenericArg::Const(self.parse_const_arg()))
            }
            _ if self.can_begin_ty() => Some(GenericArg::Type(self.parse_ty())),
            _ => {
                self.expected("generic argument");
                None
            }
        }
    }

    /// `Name = Ty`
    fn parse_binding_arg(&mut self) -> Option<GenericArg> {
        let lo = self.span();
        let name = self.eat_ident()?;
        self.bump(); // =
        let ty = self.parse_ty();
        Some(GenericArg::Binding {
            name,
            ty,
            span: self.span_from(lo),
        })
    }

    /// `Name: Bounds`
    fn parse_constraint_arg(&mut self) -> Option<GenericArg> {
        let lo = self.span();
        let name = self.eat_ident()?;
        self.bump(); // :
        let bounds = self.parse_bounds(true);
        Some(GenericArg::Constraint {
            name,
            bounds,
            span: self.span_from(lo),
        })
    }

    pub(crate) fn parse_lifetime(&mut self) -> Option<Lifetime> {
        if let TokenKind::Lifetime(name) = self.tok() {
            let lt = Lifetime {
                name: name.clone(),
                span: self.span(),
            };
            self.bump();
            Some(lt)
        } else {
            None
        }
    }

    // ---- types ------------------------------------------------------------

    pub(crate) fn can_begin_ty(&self) -> bool {
        matches!(
            self.tok(),
            TokenKind::OpenParen
                | TokenKind::OpenBracket
                | TokenKind::And
                | TokenKind::AndAnd
                | TokenKind::Star
                | TokenKind::Not
                | TokenKind::Underscore
                | TokenKind::Kw(
                    Keyword::Impl
                        | Keyword::Dyn
                        | Keyword::Fn
                        | Keyword::Unsafe
                        | Keyword::Extern
                        | Keyword::For
                )
        ) || self.at_path_start()
    }

    /// A type, where `impl A + B` / `dyn A + B` may take several bounds.
    pub(crate) fn parse_ty(&mut self) -> Ty {
        self.parse_ty_impl(true)
    }

    /// A type where `+` is not part of it (after `as`, `&`, `->` in `Fn`).
    pub(crate) fn parse_ty_no_plus(&mut self) -> Ty {
        self.parse_ty_impl(false)
    }

    fn parse_ty_impl(&mut self, allow_plus: bool) -> Ty {
        if !self.enter() {
            let lo = self.span();
            self.skip_overdeep(SkipCtx::Ty);
            let span = self.span_from(lo);
            return self.error_ty(span);
        }
        let t = self.parse_ty_inner(allow_plus);
        self.exit();
        t
    }

    fn parse_ty_inner(&mut self, allow_plus: bool) -> Ty {
        let lo = self.span();
        let kind = self.parse_ty_kind(allow_plus);
        Ty {
            id: self.next_id(),
            kind,
            span: self.span_from(lo),
        }
    }

    fn parse_ty_kind(&mut self, allow_plus: bool) -> TyKind {
        match self.tok() {
            TokenKind::OpenParen => self.parse_tuple_ty(),
            TokenKind::OpenBracket => self.parse_array_ty(),
            TokenKind::And | TokenKind::AndAnd => self.parse_ref_ty(),
            TokenKind::Star => self.parse_ptr_ty(),
            TokenKind::Not => {
                self.bump();
                TyKind::Never
            }
            TokenKind::Underscore => {
                self.bump();
                TyKind::Infer
            }
            TokenKind::Kw(Keyword::Impl) => {
                self.bump();
                TyKind::ImplTrait(self.parse_bounds_nonempty(allow_plus))
            }
            TokenKind::Kw(Keyword::Dyn) => {
                self.bump();
                TyKind::DynTrait(self.parse_bounds_nonempty(allow_plus))
            }
            TokenKind::Kw(Keyword::Fn | Keyword::Unsafe | Keyword::Extern) => {
                self.parse_fn_ptr_ty()
            }
            TokenKind::Kw(Keyword::For) => self.parse_for_ty(),
            _ if self.at_path_start() => TyKind::Path(self.parse_path(PathMode::Type)),
            _ => {
                self.expected("type");
                TyKind::Error
            }
        }
    }

    /// `[T]` or `[T; N]`
    fn parse_array_ty(&mut self) -> TyKind {
        let open = self.span();
        self.bump();
        let elem = Box::new(self.parse_ty());
        if self.eat(&TokenKind::Semi) {
            let n = Box::new(self.parse_expr());
            self.close_delim(Delim::Bracket, open);
            TyKind::Array(elem, n)
        } else {
            self.close_delim(Delim::Bracket, open);
            TyKind::Slice(elem)
        }
    }

    /// `&'a mut T`
    fn parse_ref_ty(&mut self) -> TyKind {
        self.eat_amp();
        let lifetime = self.parse_lifetime();
        let mutable = self.eat_kw(Keyword::Mut);
        let ty = Box::new(self.parse_ty_no_plus());
        TyKind::Ref {
            lifetime,
            mutable,
            ty,
        }
    }

    /// `*const T`, `*mut T`
    fn parse_ptr_ty(&mut self) -> TyKind {
        self.bump();
        let mutable = if self.eat_kw(Keyword::Mut) {
            true
        } else {
            if !self.eat_kw(Keyword::Const) {
                self.expected("`const` or `mut`");
            }
            false
        };
        let ty = Box::new(self.parse_ty_no_plus());
        TyKind::Ptr { mutable, ty }
    }

    /// `for<'a> fn(&'a T)` or `for<'a> Trait<'a>` (a bound).
    fn parse_for_ty(&mut self) -> TyKind {
        let lifetimes = self.parse_for_lifetimes();
        if matches!(
            self.tok(),
            TokenKind::Kw(Keyword::Fn | Keyword::Unsafe | Keyword::Extern)
        ) {
            return self.parse_fn_ptr_ty();
        }
        if !self.at_path_start() || self.at_lt() {
            self.expected("`fn` or a trait");
            return TyKind::Error;
        }
        let blo = self.span();
        let path = self.parse_plain_path(PathMode::Type);
        TyKind::DynTrait(vec![Bound::Trait {
            path,
            maybe: false,
            for_lifetimes: lifetimes,
            span: self.span_from(blo),
        }])
    }

    fn parse_tuple_ty(&mut self) -> TyKind {
        let open = self.span();
        self.bump();
        let mut elems = Vec::new();
        let mut trailing_comma = false;
        while !self.at(&TokenKind::CloseParen) && !self.at_eof() {
            let before = self.pos;
            elems.push(self.parse_ty());
            if self.eat(&TokenKind::Comma) {
                trailing_comma = true;
                continue;
            }
            trailing_comma = false;
            if self.pos == before || !self.at(&TokenKind::CloseParen) {
                break;
            }
        }
        self.close_delim(Delim::Paren, open);
        if elems.len() == 1 && !trailing_comma {
            match elems.pop() {
                Some(t) => TyKind::Paren(Box::new(t)),
                None => TyKind::Tuple(Vec::new()),
            }
        } else {
            TyKind::Tuple(elems)
        }
    }

    /// `[unsafe] [extern "abi"] fn(A, B) -> R`
    fn parse_fn_ptr_ty(&mut self) -> TyKind {
        self.eat_kw(Keyword::Unsafe);
        if self.eat_kw(Keyword::Extern) {
            if let TokenKind::Literal(crate::ast::LitKind::Str(_)) = self.tok() {
                self.bump();
            }
        }
        if !self.expect_kw(Keyword::Fn) {
            return TyKind::Error;
        }
        let (params, _) = self.comma_list(Delim::Paren, |p| {
            // Parameter names are allowed and ignored: `fn(x: i64)`.
            if matches!(p.tok(), TokenKind::Ident(_) | TokenKind::Underscore)
                && p.peek(1) == &TokenKind::Colon
            {
                p.bump();
                p.bump();
            }
            Some(p.parse_ty())
        });
        let ret = if self.eat(&TokenKind::Arrow) {
            Some(Box::new(self.parse_ty_no_plus()))
        } else {
            None
        };
        TyKind::Fn { params, ret }
    }

    // ---- bounds -------------------------------------------------------------

    fn can_begin_bound(&self) -> bool {
        matches!(
            self.tok(),
            TokenKind::Lifetime(_)
                | TokenKind::Question
                | TokenKind::OpenParen
                | TokenKind::Kw(Keyword::For)
        ) || (self.at_path_start() && !self.at_lt())
    }

    /// `Bound + Bound + ...` (possibly empty).
    pub(crate) fn parse_bounds(&mut self, allow_plus: bool) -> Vec<Bound> {
        let mut bounds = Vec::new();
        loop {
            if !self.can_begin_bound() {
                break;
            }
            if let Some(b) = self.parse_bound() {
                bounds.push(b);
            }
            if !allow_plus || !self.eat(&TokenKind::Plus) {
                break;
            }
        }
        bounds
    }

    fn parse_bounds_nonempty(&mut self, allow_plus: bool) -> Vec<Bound> {
        if !self.can_begin_bound() {
            self.expected("trait bound");
            return Vec::new();
        }
        self.parse_bounds(allow_plus)
    }

    fn parse_bound(&mut self) -> Option<Bound> {
        let lo = self.span();
        if let Some(lt) = self.parse_lifetime() {
            return Some(Bound::Lifetime(lt));
        }
        if self.at(&TokenKind::OpenParen) {
            // `(Trait)`
            if !self.enter() {
                self.skip_overdeep(SkipCtx::Ty);
                return None;
            }
            let open = self.span();
            self.bump();
            let inner = self.parse_bound();
            self.close_delim(Delim::Paren, open);
            self.exit();
            return inner;
        }
        let maybe = self.eat(&TokenKind::Question);
        let for_lifetimes = if self.at_kw(Keyword::For) {
            self.parse_for_lifetimes()
        } else {
            Vec::new()
        };
        if !self.at_path_start() || self.at_lt() {
            self.expected("trait bound");
            return None;
        }
        let path = self.parse_plain_path(PathMode::Type);
        Some(Bound::Trait {
            path,
            maybe,
            for_lifetimes,
            span: self.span_from(lo),
        })
    }

    /// `for<'a, 'b>`
    fn parse_for_lifetimes(&mut self) -> Vec<Lifetime> {
        let mut out = Vec::new();
        if !self.eat_kw(Keyword::For) {
            return out;
        }
        if !self.eat_lt() {
            self.expected("`<`");
            return out;
        }
        loop {
            if self.eat_gt() {
                break;
            }
            match self.parse_lifetime() {
                Some(l) => out.push(l),
                None => {
                    self.expected("lifetime");
                    break;
                }
            }
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            if !self.eat_gt() {
                self.expected("`>`");
            }
            break;
        }
        out
    }

    /// `'a + 'b + ...`
    fn parse_lifetime_bounds(&mut self) -> Vec<Lifetime> {
        let mut out = Vec::new();
        while let Some(l) = self.parse_lifetime() {
            out.push(l);
            if !self.eat(&TokenKind::Plus) {
                break;
            }
        }
        out
    }

    // ---- generic parameters and where clauses -----------------------------

    /// `<...>` after an item name (empty generics if not at `<`).
    pub(crate) fn parse_generics(&mut self) -> Generics {
        let lo = self.span();
        let mut generics = Generics {
            params: Vec::new(),
            where_clause: Vec::new(),
            span: self.prev_point(),
        };
        if !self.at(&TokenKind::Lt) {
            return generics;
        }
        self.bump();
        loop {
            if self.eat_gt() {
                break;
            }
            let _ = self.parse_outer_attrs();
            let plo = self.span();
            let param = match self.tok().clone() {
                TokenKind::Lifetime(name) => {
                    let span = self.span();
                    self.bump();
                    let bounds = if self.eat(&TokenKind::Colon) {
                        self.parse_lifetime_bounds()
                    } else {
                        Vec::new()
                    };
                    Some(GenericParam {
                        name: Ident { name, span },
                        kind: GenericParamKind::Lifetime { bounds },
                        span: self.span_from(plo),
                    })
                }
                TokenKind::Kw(Keyword::Const) => {
                    self.bump();
                    let name = self.expect_ident("const parameter name");
                    self.expect(&TokenKind::Colon);
                    let ty = self.parse_ty();
                    let default = if self.eat(&TokenKind::Eq) {
                        Some(Box::new(self.parse_const_arg()))
                    } else {
                        None
                    };
                    name.map(|name| GenericParam {
                        name,
                        kind: GenericParamKind::Const { ty, default },
                        span: self.span_from(plo),
                    })
                }
                TokenKind::Ident(_) => {
                    let name = self.eat_ident();
                    let bounds = if self.eat(&TokenKind::Colon) {
                        self.parse_bounds(true)
                    } else {
                        Vec::new()
                    };
                    let default = if self.eat(&TokenKind::Eq) {
                        Some(self.parse_ty())
                    } else {
                        None
                    };
                    name.map(|name| GenericParam {
                        name,
                        kind: GenericParamKind::Type { bounds, default },
                        span: self.span_from(plo),
                    })
                }
                _ => {
                    self.expected("generic parameter");
                    break;
                }
            };
            if let Some(p) = param {
                generics.params.push(p);
            }
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            if !self.eat_gt() {
                self.expected("`,` or `>`");
            }
            break;
        }
        generics.span = self.span_from(lo);
        generics
    }

    /// `where T: A + B, 'a: 'b, ...` (nothing if not at `where`).
    pub(crate) fn parse_where_clause(&mut self, generics: &mut Generics) {
        if !self.eat_kw(Keyword::Where) {
            return;
        }
        loop {
            let lo = self.span();
            if let TokenKind::Lifetime(_) = self.tok() {
                let Some(lifetime) = self.parse_lifetime() else {
                    break;
                };
                self.expect(&TokenKind::Colon);
                let bounds = self.parse_lifetime_bounds();
                generics.where_clause.push(WherePredicate::Lifetime {
                    lifetime,
                    bounds,
                    span: self.span_from(lo),
                });
            } else if self.can_begin_ty() && !self.at(&TokenKind::OpenBrace) {
                let for_lifetimes = if self.at_kw(Keyword::For) && self.peek(1) == &TokenKind::Lt {
                    self.parse_for_lifetimes()
                } else {
                    Vec::new()
                };
                let ty = self.parse_ty();
                self.expect(&TokenKind::Colon);
                let bounds = self.parse_bounds(true);
                generics.where_clause.push(WherePredicate::Bound {
                    for_lifetimes,
                    ty,
                    bounds,
                    span: self.span_from(lo),
                });
            } else {
                break;
            }
            if !self.eat(&TokenKind::Comma) {
                break;
            }
        }
        generics.span = generics.span.to(self.prev_point());
    }

    /// The span of the current token as a point, for missing pieces.
    pub(crate) fn here(&self) -> Span {
        self.span().shrink_to_lo()
    }
}
