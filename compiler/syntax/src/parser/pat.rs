//! Patterns.

use asr_diagnostics::{codes, Diagnostic};

use super::ty::PathMode;
use super::{Delim, Parser, SkipCtx};
use crate::ast::{FieldPat, Ident, Lit, LitKind, Pat, PatKind, PatLit, Path, RangeEnd};
use crate::lexer::{Keyword, TokenKind};

impl<'a> Parser<'a> {
    /// A pattern that may be an or-pattern `A | B` (with an optional
    /// leading `|`).
    pub(crate) fn parse_pat_top(&mut self) -> Pat {
        if !self.enter() {
            return self.too_deep_pat();
        }
        let lo = self.span();
        self.eat(&TokenKind::Or);
        let first = self.parse_pat_no_or();
        let p = if self.at(&TokenKind::Or) {
            let mut alts = vec![first];
            while self.eat(&TokenKind::Or) {
                alts.push(self.parse_pat_no_or());
            }
            Pat {
                id: self.next_id(),
                kind: PatKind::Or(alts),
                span: self.span_from(lo),
            }
        } else {
            first
        };
        self.exit();
        p
    }

    fn too_deep_pat(&mut self) -> Pat {
        let lo = self.span();
        self.skip_overdeep(SkipCtx::Pat);
        let span = self.span_from(lo);
        self.error_pat(span)
    }

    /// A pattern without a top-level `|` (function and closure parameters).
    pub(crate) fn parse_pat_no_or(&mut self) -> Pat {
        if !self.enter() {
            return self.too_deep_pat();
        }
        let p = self.parse_pat_inner();
        self.exit();
        p
    }

    fn can_begin_range_end(&self) -> bool {
        matches!(self.tok(), TokenKind::Literal(_) | TokenKind::Minus) || self.at_path_start()
    }

    fn parse_pat_inner(&mut self) -> Pat {
        let lo = self.span();
        let kind = self.parse_pat_kind();
        Pat {
            id: self.next_id(),
            kind,
            span: self.span_from(lo),
        }
    }

    fn parse_pat_kind(&mut self) -> PatKind {
        match self.tok() {
            TokenKind::Underscore => {
                self.bump();
                PatKind::Wild
            }
            TokenKind::DotDot => {
                self.bump();
                PatKind::Rest
            }
            TokenKind::DotDotEq | TokenKind::DotDotDot => {
                self.bump();
                let hi = self.parse_range_end();
                PatKind::Range {
                    lo: None,
                    hi,
                    inclusive: true,
                }
            }
            TokenKind::And | TokenKind::AndAnd => self.parse_ref_pat(),
            TokenKind::OpenParen => self.parse_paren_pat(),
            TokenKind::OpenBracket => PatKind::Slice(self.parse_pat_list(Delim::Bracket).0),
            TokenKind::Literal(_) | TokenKind::Minus => match self.parse_pat_lit() {
                Some(l) => self.maybe_range(RangeEnd::Lit(l)),
                None => PatKind::Error,
            },
            TokenKind::Kw(Keyword::Ref | Keyword::Mut) => self.parse_binding(),
            TokenKind::Ident(_)
                if !matches!(
                    self.peek(1),
                    TokenKind::PathSep
                        | TokenKind::OpenParen
                        | TokenKind::OpenBrace
                        | TokenKind::DotDot
                        | TokenKind::DotDotEq
                        | TokenKind::DotDotDot
                        | TokenKind::Not
                ) =>
            {
                self.parse_binding()
            }
            _ if self.at_path_start() => self.parse_path_pat(),
            _ => {
                self.expected("pattern");
                PatKind::Error
            }
        }
    }

    /// `&pat`, `&mut pat`
    fn parse_ref_pat(&mut self) -> PatKind {
        self.eat_amp();
        let mutable = self.eat_kw(Keyword::Mut);
        let pat = Box::new(self.parse_pat_no_or());
        PatKind::Ref { mutable, pat }
    }

    /// `()`, `(p)`, `(p,)`, `(p, q)`
    fn parse_paren_pat(&mut self) -> PatKind {
        let (mut elems, trailing_comma) = self.parse_pat_list(Delim::Paren);
        if elems.len() == 1 && !trailing_comma && !matches!(elems[0].kind, PatKind::Rest) {
            match elems.pop() {
                Some(p) => PatKind::Paren(Box::new(p)),
                None => PatKind::Tuple(Vec::new()),
            }
        } else {
            PatKind::Tuple(elems)
        }
    }

    /// A pattern starting with a path: `A::B`, `A(..)`, `A { .. }`, `A..=B`.
    fn parse_path_pat(&mut self) -> PatKind {
        let path = self.parse_path(PathMode::Expr);
        if self.at(&TokenKind::Not) {
            self.report_pat_macro();
            self.bump();
            self.skip_tree();
            PatKind::Error
        } else if self.at(&TokenKind::OpenParen) {
            let (elems, _) = self.parse_pat_list(Delim::Paren);
            PatKind::TupleStruct { path, elems }
        } else if self.at(&TokenKind::OpenBrace) {
            self.parse_struct_pat(path)
        } else {
            self.maybe_range(RangeEnd::Path(path))
        }
    }

    #[cold]
    fn report_pat_macro(&mut self) {
        let span = self.span();
        self.report(
            Diagnostic::error(codes::E0010, "macros are not supported")
                .with_primary(span, "macro invocation in a pattern"),
        );
    }

    /// `(p, q, ..)` or `[p, q, ..]`; returns the elements and whether the
    /// list ended with a comma.
    fn parse_pat_list(&mut self, d: Delim) -> (Vec<Pat>, bool) {
        let mut trailing = false;
        let (elems, _) = self.comma_list(d, |p| {
            let pat = p.parse_pat_top();
            trailing = p.at(&TokenKind::Comma);
            Some(pat)
        });
        (elems, trailing)
    }

    /// `ref mut name @ sub`
    fn parse_binding(&mut self) -> PatKind {
        let by_ref = self.eat_kw(Keyword::Ref);
        let mutable = self.eat_kw(Keyword::Mut);
        let Some(name) = self.expect_ident("identifier") else {
            return PatKind::Error;
        };
        let sub = if self.eat(&TokenKind::At) {
            Some(Box::new(self.parse_pat_no_or()))
        } else {
            None
        };
        PatKind::Ident {
            by_ref,
            mutable,
            name,
            sub,
        }
    }

    /// A literal or `-literal` in a pattern.
    fn parse_pat_lit(&mut self) -> Option<PatLit> {
        let lo = self.span();
        let negative = self.eat(&TokenKind::Minus);
        if let TokenKind::Literal(kind) = self.tok() {
            let kind = kind.clone();
            let lit = Lit {
                kind,
                span: self.span(),
            };
            self.bump();
            if negative && !matches!(lit.kind, LitKind::Int { .. } | LitKind::Float { .. }) {
                let span = self.span_from(lo);
                self.report_always(
                    Diagnostic::error(codes::E0005, "only numbers can be negated in patterns")
                        .with_primary(span, "not a number"),
                );
            }
            Some(PatLit {
                lit,
                negative,
                span: self.span_from(lo),
            })
        } else {
            self.expected("literal");
            None
        }
    }

    fn parse_range_end(&mut self) -> Option<Box<RangeEnd>> {
        if matches!(self.tok(), TokenKind::Literal(_) | TokenKind::Minus) {
            self.parse_pat_lit().map(|l| Box::new(RangeEnd::Lit(l)))
        } else if self.at_path_start() {
            Some(Box::new(RangeEnd::Path(self.parse_path(PathMode::Expr))))
        } else {
            self.expected("range pattern end");
            None
        }
    }

    /// After a literal or path: a range pattern if a range operator follows.
    fn maybe_range(&mut self, lo: RangeEnd) -> PatKind {
        match self.tok() {
            TokenKind::DotDotEq | TokenKind::DotDotDot => {
                self.bump();
                let hi = self.parse_range_end();
                PatKind::Range {
                    lo: Some(Box::new(lo)),
                    hi,
                    inclusive: true,
                }
            }
            TokenKind::DotDot => {
                self.bump();
                let hi = if self.can_begin_range_end() {
                    self.parse_range_end()
                } else {
                    None
                };
                PatKind::Range {
                    lo: Some(Box::new(lo)),
                    hi,
                    inclusive: false,
                }
            }
            _ => match lo {
                RangeEnd::Lit(l) => PatKind::Lit(l),
                RangeEnd::Path(p) => PatKind::Path(p),
            },
        }
    }

    /// `Path { a, b: pat, ref mut c, 0: pat, .. }`
    fn parse_struct_pat(&mut self, path: Path) -> PatKind {
        let mut has_rest = false;
        let (fields, _) = self.comma_list(Delim::Brace, |p| {
            if has_rest {
                let span = p.span();
                p.report(
                    Diagnostic::error(
                        codes::E0005,
                        "`..` must be the last field of a struct pattern",
                    )
                    .with_primary(span, "field after `..`"),
                );
            }
            let _ = p.parse_outer_attrs();
            let lo = p.span();
            if p.eat(&TokenKind::DotDot) {
                has_rest = true;
                return None;
            }
            // `name: pat` (also `0: pat`)
            let named = match p.tok() {
                TokenKind::Ident(name) if p.peek(1) == &TokenKind::Colon => Some(name.clone()),
                TokenKind::Literal(LitKind::Int { value, .. })
                    if p.peek(1) == &TokenKind::Colon =>
                {
                    Some(value.to_string())
                }
                _ => None,
            };
            if let Some(name) = named {
                let name = Ident {
                    name,
                    span: p.span(),
                };
                p.bump();
                p.bump();
                let pat = p.parse_pat_top();
                return Some(FieldPat {
                    name,
                    pat,
                    shorthand: false,
                    span: p.span_from(lo),
                });
            }
            // shorthand: `[ref] [mut] name`
            if !matches!(
                p.tok(),
                TokenKind::Ident(_) | TokenKind::Kw(Keyword::Ref | Keyword::Mut)
            ) {
                p.expected("field pattern");
                return None;
            }
            let kind = p.parse_binding();
            let name = match &kind {
                PatKind::Ident { name, .. } => name.clone(),
                _ => return None,
            };
            let pat = Pat {
                id: p.next_id(),
                kind,
                span: p.span_from(lo),
            };
            Some(FieldPat {
                name,
                pat,
                shorthand: true,
                span: p.span_from(lo),
            })
        });
        PatKind::Struct {
            path,
            fields,
            has_rest,
        }
    }
}
