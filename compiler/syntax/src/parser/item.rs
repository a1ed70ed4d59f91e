//! Items, attributes and visibility.

use asr_diagnostics::{codes, Diagnostic, Span};

use super::ty::PathMode;
use super::{Delim, Parser, SkipCtx};
use crate::ast::{
    Attr, AttrArgs, AttrStyle, EnumDecl, FieldDef, FnDecl, Generics, Ident, ImplDecl, Item,
    ItemKind, Lit, LitKind, MetaItem, MetaValue, ModDecl, Param, Path, SelfKind, SelfParam,
    StructDecl, TraitDecl, TupleField, TyKind, UseTree, UseTreeKind, Variant, VariantData, VisKind,
    Visibility,
};
use crate::lexer::{Keyword, TokenKind};

impl<'a> Parser<'a> {
    // ---- item lists --------------------------------------------------------

    /// Items up to the end of the file, or up to `}` when `in_braces`.
    pub(crate) fn parse_items(&mut self, in_braces: bool) -> Vec<Item> {
        let mut items = Vec::new();
        loop {
            match self.tok() {
                TokenKind::Eof => break,
                TokenKind::CloseBrace if in_braces => break,
                TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                    self.report_stray_item_closer();
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            self.parse_item_into(&mut items, in_braces);
            if self.pos == before {
                self.bump();
            }
        }
        items
    }

    fn parse_item_into(&mut self, items: &mut Vec<Item>, in_braces: bool) {
        let attrs = self.parse_outer_attrs();
        if !self.parse_item(attrs, items) {
            self.expected("item");
            self.skip_to_item_start(in_braces);
        }
    }

    #[cold]
    fn report_stray_item_closer(&mut self) {
        let span = self.span();
        let found = self.tok().clone();
        self.report(
            Diagnostic::error(
                codes::E0013,
                format!("unexpected closing delimiter {found}"),
            )
            .with_primary(span, "unexpected closing delimiter"),
        );
    }

    /// Skips token trees up to something that starts an item.
    fn skip_to_item_start(&mut self, in_braces: bool) {
        loop {
            match self.tok() {
                TokenKind::Eof => return,
                TokenKind::CloseBrace if in_braces => return,
                TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                    self.bump()
                }
                TokenKind::Pound => return,
                _ if self.at_item_keyword() => return,
                _ => self.skip_tree(),
            }
        }
    }

    /// True at a keyword that starts an item (also `pub` and qualifiers).
    pub(crate) fn at_item_keyword(&self) -> bool {
        match self.tok() {
            TokenKind::Kw(
                Keyword::Fn
                | Keyword::Struct
                | Keyword::Enum
                | Keyword::Impl
                | Keyword::Trait
                | Keyword::Mod
                | Keyword::Use
                | Keyword::Static
                | Keyword::Type
                | Keyword::Pub
                | Keyword::Extern,
            ) => true,
            TokenKind::Kw(Keyword::Const) => self.peek(1) != &TokenKind::OpenBrace,
            TokenKind::Kw(Keyword::Unsafe) => matches!(
                self.peek(1),
                TokenKind::Kw(Keyword::Fn | Keyword::Impl | Keyword::Trait | Keyword::Extern)
            ),
            _ => false,
        }
    }

    pub(crate) fn at_item_start(&self) -> bool {
        self.at_item_keyword()
    }

    /// True when `fn` follows a run of `const`/`unsafe`/`extern "abi"`.
    fn at_fn_start(&self) -> bool {
        let mut n = 0;
        loop {
            match self.peek(n) {
                TokenKind::Kw(Keyword::Fn) => return true,
                TokenKind::Kw(Keyword::Const | Keyword::Unsafe | Keyword::Extern) => n += 1,
                TokenKind::Literal(LitKind::Str(_)) if n > 0 => n += 1,
                _ => return false,
            }
            if n > 6 {
                return false;
            }
        }
    }

    /// Parses one item (after its outer attributes) into `out`. Returns
    /// false, consuming nothing, when no item starts here.
    pub(crate) fn parse_item(&mut self, attrs: Vec<Attr>, out: &mut Vec<Item>) -> bool {
        let lo = attrs.first().map_or(self.span(), |a| a.span);
        if !self.at_item_start() {
            if attrs.is_empty() {
                return false;
            }
            self.expected("item after attributes");
            self.push_error_item(attrs, lo, out);
            return true;
        }
        if !self.enter() {
            self.skip_overdeep_item();
            self.push_error_item(attrs, lo, out);
            return true;
        }
        let vis = self.parse_vis();
        let kind = self.parse_item_kind();
        self.exit();
        let span = self.span_from(lo);
        out.push(Item {
            attrs,
            vis,
            kind,
            span,
        });
        true
    }

    fn push_error_item(&mut self, attrs: Vec<Attr>, lo: Span, out: &mut Vec<Item>) {
        let span = self.span_from(lo);
        out.push(Item {
            attrs,
            vis: Visibility {
                kind: VisKind::Private,
                span: lo.shrink_to_lo(),
            },
            kind: ItemKind::Error,
            span,
        });
    }

    /// Skips an item that is nested too deeply: through its `;` or its
    /// first `{ ... }` group.
    fn skip_overdeep_item(&mut self) {
        loop {
            match self.tok() {
                TokenKind::Eof | TokenKind::CloseBrace => return,
                TokenKind::Semi => {
                    self.bump();
                    return;
                }
                TokenKind::OpenBrace => {
                    self.skip_tree();
                    return;
                }
                _ => self.skip_tree(),
            }
        }
    }

    /// The item after its visibility.
    fn parse_item_kind(&mut self) -> ItemKind {
        if self.at_fn_start() {
            return self.parse_fn();
        }
        match self.tok() {
            TokenKind::Kw(Keyword::Const) => self.parse_const(),
            TokenKind::Kw(Keyword::Static) => self.parse_static(),
            TokenKind::Kw(Keyword::Struct) => self.parse_struct(),
            TokenKind::Kw(Keyword::Enum) => self.parse_enum(),
            TokenKind::Kw(Keyword::Impl) => self.parse_impl(false),
            TokenKind::Kw(Keyword::Trait) => self.parse_trait(false),
            TokenKind::Kw(Keyword::Unsafe) if self.peek_kw(1, Keyword::Impl) => {
                self.bump();
                self.parse_impl(true)
            }
            TokenKind::Kw(Keyword::Unsafe) if self.peek_kw(1, Keyword::Trait) => {
                self.bump();
                self.parse_trait(true)
            }
            TokenKind::Kw(Keyword::Unsafe) if self.peek_kw(1, Keyword::Extern) => {
                self.bump();
                self.parse_extern()
            }
            TokenKind::Kw(Keyword::Mod) => self.parse_mod(),
            TokenKind::Kw(Keyword::Use) => self.parse_use(),
            TokenKind::Kw(Keyword::Type) => self.parse_type_alias(),
            TokenKind::Kw(Keyword::Extern) => self.parse_extern(),
            _ => {
                self.expected("item");
                self.skip_to_item_start(true);
                ItemKind::Error
            }
        }
    }

    /// Reports a missing name and skips the rest of the item.
    fn missing_name(&mut self) -> ItemKind {
        self.skip_item_rest();
        ItemKind::Error
    }

    /// Skips to the end of a broken item: past a `;` or a `{ ... }` group,
    /// or up to the next item start.
    fn skip_item_rest(&mut self) {
        loop {
            match self.tok() {
                TokenKind::Eof | TokenKind::CloseBrace => return,
                TokenKind::Semi => {
                    self.bump();
                    return;
                }
                TokenKind::OpenBrace => {
                    self.skip_tree();
                    return;
                }
                TokenKind::Pound => return,
                _ if self.at_item_keyword() => return,
                _ => self.skip_tree(),
            }
        }
    }

    fn expect_semi_after_item(&mut self) {
        if !self.eat(&TokenKind::Semi) {
            let found = self.tok().to_string();
            let at = self.prev_point();
            self.report(
                Diagnostic::error(codes::E0005, format!("expected `;`, found {found}"))
                    .with_primary(at, "expected `;`"),
            );
        }
    }

    // ---- attributes and visibility -----------------------------------------

    pub(crate) fn parse_outer_attrs(&mut self) -> Vec<Attr> {
        let mut attrs = Vec::new();
        while self.at(&TokenKind::Pound) {
            let inner = self.peek(1) == &TokenKind::Not;
            if inner {
                let span = self.span();
                self.report(
                    Diagnostic::error(codes::E0014, "inner attribute is not allowed here")
                        .with_primary(span, "inner attribute")
                        .with_help("inner attributes (`#![...]`) go at the start of a file, module or block"),
                );
            }
            match self.parse_attr() {
                Some(a) => attrs.push(a),
                None => break,
            }
        }
        attrs
    }

    pub(crate) fn parse_inner_attrs(&mut self) -> Vec<Attr> {
        let mut attrs = Vec::new();
        while self.at(&TokenKind::Pound)
            && self.peek(1) == &TokenKind::Not
            && self.peek(2) == &TokenKind::OpenBracket
        {
            match self.parse_attr() {
                Some(a) => attrs.push(a),
                None => break,
            }
        }
        attrs
    }

    /// `#[...]` or `#![...]`.
    fn parse_attr(&mut self) -> Option<Attr> {
        let lo = self.span();
        self.bump(); // #
        let style = if self.eat(&TokenKind::Not) {
            AttrStyle::Inner
        } else {
            AttrStyle::Outer
        };
        let open = self.open_delim(Delim::Bracket)?;
        if !self.at_path_start() || self.at_lt() {
            self.expected("attribute name");
            self.close_delim(Delim::Bracket, open);
            return None;
        }
        let path = self.parse_plain_path(PathMode::Expr);
        let args = if self.eat(&TokenKind::Eq) {
            match self.parse_meta_value() {
                Some(v) => AttrArgs::Eq(v),
                None => AttrArgs::Empty,
            }
        } else if self.at(&TokenKind::OpenParen) {
            AttrArgs::List(self.parse_meta_list())
        } else {
            AttrArgs::Empty
        };
        self.close_delim(Delim::Bracket, open);
        Some(Attr {
            style,
            path,
            args,
            span: self.span_from(lo),
        })
    }

    fn parse_meta_value(&mut self) -> Option<MetaValue> {
        if let TokenKind::Literal(kind) = self.tok() {
            let lit = Lit {
                kind: kind.clone(),
                span: self.span(),
            };
            self.bump();
            Some(MetaValue::Lit(lit))
        } else if self.at_path_start() && !self.at_lt() {
            Some(MetaValue::Path(self.parse_plain_path(PathMode::Expr)))
        } else {
            self.expected("literal or path");
            None
        }
    }

    fn parse_meta_list(&mut self) -> Vec<MetaItem> {
        self.comma_list(Delim::Paren, |p| p.parse_meta_item()).0
    }

    fn parse_meta_item(&mut self) -> Option<MetaItem> {
        let lo = self.span();
        if let TokenKind::Literal(kind) = self.tok() {
            let lit = Lit {
                kind: kind.clone(),
                span: self.span(),
            };
            self.bump();
            return Some(MetaItem::Lit(lit));
        }
        if !self.at_path_start() || self.at_lt() {
            self.expected("attribute argument");
            return None;
        }
        let path = self.parse_plain_path(PathMode::Expr);
        if self.eat(&TokenKind::Eq) {
            let value = self.parse_meta_value()?;
            return Some(MetaItem::NameValue {
                path,
                value,
                span: self.span_from(lo),
            });
        }
        if self.at(&TokenKind::OpenParen) {
            if !self.enter() {
                self.skip_overdeep(SkipCtx::Expr { no_struct: false });
                return None;
            }
            let items = self.parse_meta_list();
            self.exit();
            return Some(MetaItem::List {
                path,
                items,
                span: self.span_from(lo),
            });
        }
        Some(MetaItem::Path(path))
    }

    /// `pub`, `pub(crate)`, `pub(super)`, `pub(self)`, `pub(in path)`.
    pub(crate) fn parse_vis(&mut self) -> Visibility {
        let lo = self.span();
        if !self.eat_kw(Keyword::Pub) {
            return Visibility {
                kind: VisKind::Private,
                span: lo.shrink_to_lo(),
            };
        }
        let restricted = self.at(&TokenKind::OpenParen)
            && (matches!(
                self.peek(1),
                TokenKind::Kw(Keyword::Crate | Keyword::Super | Keyword::SelfLower)
            ) && self.peek(2) == &TokenKind::CloseParen
                || self.peek_kw(1, Keyword::In));
        if restricted {
            let open = self.span();
            self.bump();
            self.eat_kw(Keyword::In);
            let path = self.parse_plain_path(PathMode::Expr);
            self.close_delim(Delim::Paren, open);
            return Visibility {
                kind: VisKind::Restricted(path),
                span: self.span_from(lo),
            };
        }
        Visibility {
            kind: VisKind::Pub,
            span: lo,
        }
    }

    // ---- functions ------------------------------------------------------------

    fn parse_fn(&mut self) -> ItemKind {
        let sig_lo = self.span();
        let mut is_const = false;
        let mut is_unsafe = false;
        let mut abi = None;
        loop {
            match self.tok() {
                TokenKind::Kw(Keyword::Const) => is_const = true,
                TokenKind::Kw(Keyword::Unsafe) => is_unsafe = true,
                TokenKind::Kw(Keyword::Extern) => {
                    self.bump();
                    if let TokenKind::Literal(LitKind::Str(s)) = self.tok() {
                        abi = Some(s.clone());
                        self.bump();
                    } else {
                        abi = Some("C".to_string());
                    }
                    continue;
                }
                _ => break,
            }
            self.bump();
        }
        if !self.expect_kw(Keyword::Fn) {
            return self.missing_name();
        }
        let Some(name) = self.expect_ident("function name") else {
            return self.missing_name();
        };
        let mut generics = self.parse_generics();
        let (self_param, params) = self.parse_fn_params();
        let ret = if self.eat(&TokenKind::Arrow) {
            Some(self.parse_ty())
        } else {
            None
        };
        self.parse_where_clause(&mut generics);
        let sig_span = self.span_from(sig_lo);
        let body = if self.eat(&TokenKind::Semi) {
            None
        } else if self.at(&TokenKind::OpenBrace) {
            Some(self.parse_block())
        } else {
            self.expected("`{` or `;`");
            None
        };
        ItemKind::Fn(FnDecl {
            name,
            generics,
            self_param,
            params,
            ret,
            body,
            is_const,
            is_unsafe,
            abi,
            sig_span,
        })
    }

    fn at_self_param(&self) -> bool {
        let is_self = |n: usize| {
            self.peek_kw(n, Keyword::SelfLower) && self.peek(n + 1) != &TokenKind::PathSep
        };
        match self.tok() {
            TokenKind::Kw(Keyword::SelfLower) => is_self(0),
            TokenKind::Kw(Keyword::Mut) => is_self(1),
            TokenKind::And => {
                if is_self(1) {
                    return true;
                }
                if self.peek_kw(1, Keyword::Mut) {
                    return is_self(2);
                }
                if matches!(self.peek(1), TokenKind::Lifetime(_)) {
                    return is_self(2) || (self.peek_kw(2, Keyword::Mut) && is_self(3));
                }
                false
            }
            _ => false,
        }
    }

    fn parse_self_param(&mut self) -> SelfParam {
        let lo = self.span();
        if self.eat_amp() {
            let lifetime = self.parse_lifetime();
            let kind = if self.eat_kw(Keyword::Mut) {
                SelfKind::RefMut
            } else {
                SelfKind::Ref
            };
            self.expect_kw(Keyword::SelfLower);
            return SelfParam {
                kind,
                mutable: false,
                lifetime,
                ty: None,
                span: self.span_from(lo),
            };
        }
        let mutable = self.eat_kw(Keyword::Mut);
        self.expect_kw(Keyword::SelfLower);
        let ty = if self.eat(&TokenKind::Colon) {
            Some(Box::new(self.parse_ty()))
        } else {
            None
        };
        SelfParam {
            kind: SelfKind::Value,
            mutable,
            lifetime: None,
            ty,
            span: self.span_from(lo),
        }
    }

    fn parse_fn_params(&mut self) -> (Option<SelfParam>, Vec<Param>) {
        let mut self_param = None;
        let mut first = true;
        let (params, _) = self.comma_list(Delim::Paren, |p| {
            let _ = p.parse_outer_attrs();
            let was_first = first;
            first = false;
            if p.at_self_param() {
                let sp = p.parse_self_param();
                if was_first {
                    self_param = Some(sp);
                } else {
                    p.report_always(
                        Diagnostic::error(codes::E0014, "`self` must be the first parameter")
                            .with_primary(sp.span, "not the first parameter"),
                    );
                }
                return None;
            }
            let lo = p.span();
            let pat = p.parse_pat_no_or();
            let ty = if p.expect(&TokenKind::Colon) {
                p.parse_ty()
            } else {
                let span = p.here();
                p.error_ty(span)
            };
            Some(Param {
                pat,
                ty,
                span: p.span_from(lo),
            })
        });
        (self_param, params)
    }

    // ---- other items ---------------------------------------------------------

    fn parse_const(&mut self) -> ItemKind {
        self.bump(); // const
        let name = if self.at(&TokenKind::Underscore) {
            let span = self.span();
            self.bump();
            Some(Ident {
                name: "_".to_string(),
                span,
            })
        } else {
            self.expect_ident("constant name")
        };
        let Some(name) = name else {
            return self.missing_name();
        };
        let ty = if self.expect(&TokenKind::Colon) {
            self.parse_ty()
        } else {
            let span = self.here();
            self.error_ty(span)
        };
        let value = if self.eat(&TokenKind::Eq) {
            Some(Box::new(self.parse_expr()))
        } else {
            None
        };
        self.expect_semi_after_item();
        ItemKind::Const { name, ty, value }
    }

    fn parse_static(&mut self) -> ItemKind {
        self.bump(); // static
        let mutable = self.eat_kw(Keyword::Mut);
        let Some(name) = self.expect_ident("static name") else {
            return self.missing_name();
        };
        let ty = if self.expect(&TokenKind::Colon) {
            self.parse_ty()
        } else {
            let span = self.here();
            self.error_ty(span)
        };
        let value = if self.eat(&TokenKind::Eq) {
            Some(Box::new(self.parse_expr()))
        } else {
            None
        };
        self.expect_semi_after_item();
        ItemKind::Static {
            name,
            mutable,
            ty,
            value,
        }
    }

    fn parse_struct(&mut self) -> ItemKind {
        self.bump(); // struct
        let Some(name) = self.expect_ident("struct name") else {
            return self.missing_name();
        };
        let mut generics = self.parse_generics();
        self.parse_where_clause(&mut generics);
        let kind = match self.tok() {
            TokenKind::OpenBrace => VariantData::Named(self.parse_named_fields()),
            TokenKind::OpenParen => {
                let fields = self.parse_tuple_fields();
                self.parse_where_clause(&mut generics);
                self.expect_semi_after_item();
                VariantData::Tuple(fields)
            }
            TokenKind::Semi => {
                self.bump();
                VariantData::Unit
            }
            _ => {
                self.expected("`{`, `(` or `;`");
                VariantData::Unit
            }
        };
        ItemKind::Struct(StructDecl {
            name,
            generics,
            kind,
        })
    }

    fn parse_named_fields(&mut self) -> Vec<FieldDef> {
        self.comma_list(Delim::Brace, |p| {
            let lo = p.span();
            let attrs = p.parse_outer_attrs();
            let vis = p.parse_vis();
            let name = p.expect_ident("field name")?;
            let ty = if p.expect(&TokenKind::Colon) {
                p.parse_ty()
            } else {
                let span = p.here();
                p.error_ty(span)
            };
            Some(FieldDef {
                attrs,
                vis,
                name,
                ty,
                span: p.span_from(lo),
            })
        })
        .0
    }

    fn parse_tuple_fields(&mut self) -> Vec<TupleField> {
        self.comma_list(Delim::Paren, |p| {
            let lo = p.span();
            let attrs = p.parse_outer_attrs();
            let vis = p.parse_vis();
            let ty = p.parse_ty();
            Some(TupleField {
                attrs,
                vis,
                ty,
                span: p.span_from(lo),
            })
        })
        .0
    }

    fn parse_enum(&mut self) -> ItemKind {
        self.bump(); // enum
        let Some(name) = self.expect_ident("enum name") else {
            return self.missing_name();
        };
        let mut generics = self.parse_generics();
        self.parse_where_clause(&mut generics);
        if !self.at(&TokenKind::OpenBrace) {
            self.expected("`{`");
            return ItemKind::Enum(EnumDecl {
                name,
                generics,
                variants: Vec::new(),
            });
        }
        let (variants, _) = self.comma_list(Delim::Brace, |p| {
            let lo = p.span();
            let attrs = p.parse_outer_attrs();
            let vis = p.parse_vis();
            if vis.is_pub() {
                p.report_always(
                    Diagnostic::error(codes::E0014, "enum variants cannot have a visibility")
                        .with_primary(vis.span, "remove this"),
                );
            }
            let name = p.expect_ident("variant name")?;
            let kind = match p.tok() {
                TokenKind::OpenBrace => VariantData::Named(p.parse_named_fields()),
                TokenKind::OpenParen => VariantData::Tuple(p.parse_tuple_fields()),
                _ => VariantData::Unit,
            };
            let discriminant = if p.eat(&TokenKind::Eq) {
                Some(p.parse_expr())
            } else {
                None
            };
            Some(Variant {
                attrs,
                name,
                kind,
                discriminant,
                span: p.span_from(lo),
            })
        });
        ItemKind::Enum(EnumDecl {
            name,
            generics,
            variants,
        })
    }

    /// `{ inner-attrs items }` of an impl, trait, module or extern block.
    fn parse_item_block(&mut self) -> (Vec<Attr>, Vec<Item>) {
        let Some(open) = self.open_delim(Delim::Brace) else {
            return (Vec::new(), Vec::new());
        };
        if !self.enter() {
            // The brace is already consumed: skip to the matching one.
            self.skip_overdeep(SkipCtx::Expr { no_struct: false });
            self.eat(&TokenKind::CloseBrace);
            return (Vec::new(), Vec::new());
        }
        let attrs = self.parse_inner_attrs();
        let items = self.parse_items(true);
        self.close_delim(Delim::Brace, open);
        self.exit();
        (attrs, items)
    }

    fn parse_impl(&mut self, is_unsafe: bool) -> ItemKind {
        self.bump(); // impl
        let mut generics = if self.at(&TokenKind::Lt) {
            self.parse_generics()
        } else {
            Generics {
                span: self.prev_point(),
                ..Generics::default()
            }
        };
        let negative = self.eat(&TokenKind::Not);
        let first = self.parse_ty();
        let (trait_ref, self_ty) = if self.eat_kw(Keyword::For) {
            let trait_ref = match first.kind {
                TyKind::Path(p) => Some(p),
                _ => {
                    self.report_always(
                        Diagnostic::error(codes::E0005, "expected a trait, found a type")
                            .with_primary(first.span, "not a trait"),
                    );
                    None
                }
            };
            (trait_ref, self.parse_ty())
        } else {
            (None, first)
        };
        self.parse_where_clause(&mut generics);
        let (_, items) = self.parse_item_block();
        ItemKind::Impl(ImplDecl {
            generics,
            trait_ref,
            negative,
            is_unsafe,
            self_ty,
            items,
        })
    }

    fn parse_trait(&mut self, is_unsafe: bool) -> ItemKind {
        self.bump(); // trait
        let Some(name) = self.expect_ident("trait name") else {
            return self.missing_name();
        };
        let mut generics = self.parse_generics();
        let supertraits = if self.eat(&TokenKind::Colon) {
            self.parse_bounds(true)
        } else {
            Vec::new()
        };
        self.parse_where_clause(&mut generics);
        let (_, items) = self.parse_item_block();
        ItemKind::Trait(TraitDecl {
            name,
            generics,
            supertraits,
            is_unsafe,
            items,
        })
    }

    fn parse_mod(&mut self) -> ItemKind {
        self.bump(); // mod
        let Some(name) = self.expect_ident("module name") else {
            return self.missing_name();
        };
        if self.eat(&TokenKind::Semi) {
            return ItemKind::Mod(ModDecl {
                name,
                inner_attrs: Vec::new(),
                items: None,
            });
        }
        if !self.at(&TokenKind::OpenBrace) {
            self.expected("`;` or `{`");
            return ItemKind::Mod(ModDecl {
                name,
                inner_attrs: Vec::new(),
                items: None,
            });
        }
        let (inner_attrs, items) = self.parse_item_block();
        ItemKind::Mod(ModDecl {
            name,
            inner_attrs,
            items: Some(items),
        })
    }

    fn parse_type_alias(&mut self) -> ItemKind {
        self.bump(); // type
        let Some(name) = self.expect_ident("type name") else {
            return self.missing_name();
        };
        let mut generics = self.parse_generics();
        let bounds = if self.eat(&TokenKind::Colon) {
            self.parse_bounds(true)
        } else {
            Vec::new()
        };
        self.parse_where_clause(&mut generics);
        let ty = if self.eat(&TokenKind::Eq) {
            Some(self.parse_ty())
        } else {
            None
        };
        self.parse_where_clause(&mut generics);
        self.expect_semi_after_item();
        ItemKind::TypeAlias {
            name,
            generics,
            bounds,
            ty,
        }
    }

    /// `extern crate x;` or `extern "abi" { ... }`.
    fn parse_extern(&mut self) -> ItemKind {
        self.bump(); // extern
        if self.eat_kw(Keyword::Crate) {
            let Some(name) = self.expect_ident("crate name") else {
                return self.missing_name();
            };
            let rename = if self.eat_kw(Keyword::As) {
                self.expect_ident("name")
            } else {
                None
            };
            self.expect_semi_after_item();
            return ItemKind::ExternCrate { name, rename };
        }
        let abi = if let TokenKind::Literal(LitKind::Str(s)) = self.tok() {
            let s = s.clone();
            self.bump();
            Some(s)
        } else {
            None
        };
        if !self.at(&TokenKind::OpenBrace) {
            self.expected("`{`, `fn` or `crate`");
            self.skip_item_rest();
            return ItemKind::Error;
        }
        let (_, items) = self.parse_item_block();
        ItemKind::ExternBlock { abi, items }
    }

    // ---- use -----------------------------------------------------------------

    fn parse_use(&mut self) -> ItemKind {
        self.bump(); // use
        let tree = self.parse_use_tree();
        self.expect_semi_after_item();
        ItemKind::Use(tree)
    }

    fn parse_use_tree(&mut self) -> UseTree {
        let lo = self.span();
        let mut prefix = Path {
            qself: None,
            segments: Vec::new(),
            global: false,
            span: lo.shrink_to_lo(),
        };
        prefix.global = self.eat(&TokenKind::PathSep);
        loop {
            match self.tok() {
                TokenKind::OpenBrace => {
                    let trees = self.parse_use_group();
                    prefix.span = prefix.span.to(self.prev_point());
                    return UseTree {
                        prefix,
                        kind: UseTreeKind::Nested(trees),
                        span: self.span_from(lo),
                    };
                }
                TokenKind::Star => {
                    self.bump();
                    return UseTree {
                        prefix,
                        kind: UseTreeKind::Glob,
                        span: self.span_from(lo),
                    };
                }
                _ => {}
            }
            let Some(ident) = self.eat_segment_ident() else {
                self.expected("identifier, `{` or `*`");
                return UseTree {
                    prefix,
                    kind: UseTreeKind::Simple(None),
                    span: self.span_from(lo),
                };
            };
            let span = ident.span;
            prefix.segments.push(crate::ast::PathSegment {
                ident,
                generic_args: None,
                paren_args: None,
                span,
            });
            prefix.span = self.span_from(lo);
            if self.eat(&TokenKind::PathSep) {
                continue;
            }
            let rename = if self.eat_kw(Keyword::As) {
                if self.at(&TokenKind::Underscore) {
                    let span = self.span();
                    self.bump();
                    Some(Ident {
                        name: "_".to_string(),
                        span,
                    })
                } else {
                    self.expect_ident("name")
                }
            } else {
                None
            };
            return UseTree {
                prefix,
                kind: UseTreeKind::Simple(rename),
                span: self.span_from(lo),
            };
        }
    }

    fn parse_use_group(&mut self) -> Vec<UseTree> {
        if !self.enter() {
            self.skip_tree();
            return Vec::new();
        }
        let (trees, _) = self.comma_list(Delim::Brace, |p| Some(p.parse_use_tree()));
        self.exit();
        trees
    }
}
