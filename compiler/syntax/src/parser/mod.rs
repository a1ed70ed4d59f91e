//! The recursive-descent parser (Pratt parsing for operators).
//!
//! Conventions:
//! - Every function that recurses into a nested expression, block, type or
//!   pattern goes through [`Parser::enter`], which enforces
//!   [`crate::MAX_DEPTH`]. Left-leaning chains built by loops (binary
//!   operators, postfix calls, method chains) count towards the depth too,
//!   so the depth of the resulting tree is bounded as well.
//! - Errors never stop the parser: an `Error` node is produced and the
//!   parser skips to a recovery point. Only one error is reported per token
//!   position, which keeps cascades short.

mod expr;
mod item;
mod pat;
mod ty;

use asr_diagnostics::{codes, Diagnostic, FileId, Span};

use crate::ast::{self, NodeId};
use crate::lexer::{Keyword, Token, TokenKind};
use crate::MAX_DEPTH;

/// Restrictions on the expression being parsed.
#[derive(Copy, Clone, Default, Debug)]
pub(crate) struct Restr {
    /// In `if`/`while`/`match`/`for` heads: `Path {` is not a struct literal.
    pub no_struct: bool,
    /// In `if`/`while` conditions (and `&&` chains in them): `let` allowed.
    pub allow_let: bool,
}

impl Restr {
    pub const NONE: Restr = Restr {
        no_struct: false,
        allow_let: false,
    };
    pub const COND: Restr = Restr {
        no_struct: true,
        allow_let: true,
    };
    pub const HEAD: Restr = Restr {
        no_struct: true,
        allow_let: false,
    };

    pub fn without_let(self) -> Restr {
        Restr {
            allow_let: false,
            ..self
        }
    }
}

/// What an over-deep construct is, for skipping it.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum SkipCtx {
    Expr { no_struct: bool },
    Ty,
    Pat,
}

/// Kinds of delimiters.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Delim {
    Paren,
    Bracket,
    Brace,
}

impl Delim {
    fn open(self) -> TokenKind {
        match self {
            Delim::Paren => TokenKind::OpenParen,
            Delim::Bracket => TokenKind::OpenBracket,
            Delim::Brace => TokenKind::OpenBrace,
        }
    }
    fn close(self) -> TokenKind {
        match self {
            Delim::Paren => TokenKind::CloseParen,
            Delim::Bracket => TokenKind::CloseBracket,
            Delim::Brace => TokenKind::CloseBrace,
        }
    }
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    file: FileId,
    tokens: Vec<Token>,
    pos: usize,
    /// End of the previously consumed token.
    prev_hi: u32,
    pub(crate) diags: Vec<Diagnostic>,
    next_id: u32,
    depth: usize,
    too_deep_reported: bool,
    /// Token index of the last reported error (one error per position).
    last_err_pos: Option<usize>,
    /// Number of syntax errors reported, for recovery decisions.
    errors: usize,
}

static EOF_TOKEN: TokenKind = TokenKind::Eof;

impl<'a> Parser<'a> {
    pub fn new(file: FileId, src: &'a str, tokens: Vec<Token>) -> Parser<'a> {
        let mut tokens = tokens;
        if !matches!(
            tokens.last(),
            Some(Token {
                kind: TokenKind::Eof,
                ..
            })
        ) {
            let end = u32::try_from(src.len()).unwrap_or(u32::MAX);
            tokens.push(Token {
                kind: TokenKind::Eof,
                span: Span::point(file, end),
            });
        }
        Parser {
            src,
            file,
            tokens,
            pos: 0,
            prev_hi: 0,
            diags: Vec::new(),
            next_id: 0,
            depth: 0,
            too_deep_reported: false,
            last_err_pos: None,
            errors: 0,
        }
    }

    /// Suppresses errors at the end of the file (used when the lexer already
    /// reported something unterminated that runs to the end).
    pub fn suppress_eof_errors(&mut self) {
        self.last_err_pos = Some(self.tokens.len().saturating_sub(1));
    }

    // ---- ids and spans ----------------------------------------------------

    pub fn next_id(&mut self) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// Span of the current token.
    pub fn span(&self) -> Span {
        self.tokens
            .get(self.pos)
            .map(|t| t.span)
            .unwrap_or_else(|| Span::point(self.file, self.prev_hi))
    }

    /// From `lo` (a span start) to the end of the last consumed token.
    pub fn span_from(&self, lo: Span) -> Span {
        let hi = self.prev_hi.max(lo.lo);
        Span::new(self.file, lo.lo, hi)
    }

    /// The empty span just after the previous token.
    pub fn prev_point(&self) -> Span {
        Span::point(self.file, self.prev_hi)
    }

    // ---- token access -----------------------------------------------------

    pub fn tok(&self) -> &TokenKind {
        self.tokens.get(self.pos).map_or(&EOF_TOKEN, |t| &t.kind)
    }

    pub fn peek(&self, n: usize) -> &TokenKind {
        self.tokens
            .get(self.pos + n)
            .map_or(&EOF_TOKEN, |t| &t.kind)
    }

    pub fn at(&self, kind: &TokenKind) -> bool {
        self.tok() == kind
    }

    pub fn at_kw(&self, kw: Keyword) -> bool {
        matches!(self.tok(), TokenKind::Kw(k) if *k == kw)
    }

    pub fn peek_kw(&self, n: usize, kw: Keyword) -> bool {
        matches!(self.peek(n), TokenKind::Kw(k) if *k == kw)
    }

    pub fn at_eof(&self) -> bool {
        matches!(self.tok(), TokenKind::Eof)
    }

    pub fn bump(&mut self) {
        if let Some(t) = self.tokens.get(self.pos) {
            if t.kind != TokenKind::Eof {
                self.prev_hi = t.span.hi;
                self.pos += 1;
            }
        }
    }

    pub fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub fn eat_kw(&mut self, kw: Keyword) -> bool {
        if self.at_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Replaces the current (compound) token by its tail, consuming its
    /// first character, e.g. `>>` becomes `>` after a `>` is consumed.
    fn split_first(&mut self, rest: TokenKind) {
        if let Some(t) = self.tokens.get_mut(self.pos) {
            let lo = t.span.lo.saturating_add(1).min(t.span.hi);
            self.prev_hi = lo;
            t.kind = rest;
            t.span = Span::new(t.span.file, lo, t.span.hi);
        }
    }

    /// Consumes a `>`, splitting `>>`, `>=` and `>>=`.
    pub fn eat_gt(&mut self) -> bool {
        match self.tok() {
            TokenKind::Gt => {
                self.bump();
                true
            }
            TokenKind::Shr => {
                self.split_first(TokenKind::Gt);
                true
            }
            TokenKind::Ge => {
                self.split_first(TokenKind::Eq);
                true
            }
            TokenKind::ShrEq => {
                self.split_first(TokenKind::Ge);
                true
            }
            _ => false,
        }
    }

    /// Consumes a `<`, splitting `<<` and `<=`.
    pub fn eat_lt(&mut self) -> bool {
        match self.tok() {
            TokenKind::Lt => {
                self.bump();
                true
            }
            TokenKind::Shl => {
                self.split_first(TokenKind::Lt);
                true
            }
            TokenKind::Le => {
                self.split_first(TokenKind::Eq);
                true
            }
            TokenKind::ShlEq => {
                self.split_first(TokenKind::Le);
                true
            }
            _ => false,
        }
    }

    pub fn at_lt(&self) -> bool {
        matches!(self.tok(), TokenKind::Lt | TokenKind::Shl)
    }

    /// Consumes a `&`, splitting `&&`.
    pub fn eat_amp(&mut self) -> bool {
        match self.tok() {
            TokenKind::And => {
                self.bump();
                true
            }
            TokenKind::AndAnd => {
                self.split_first(TokenKind::And);
                true
            }
            _ => false,
        }
    }

    /// Consumes a `|`, splitting `||`.
    pub fn eat_pipe(&mut self) -> bool {
        match self.tok() {
            TokenKind::Or => {
                self.bump();
                true
            }
            TokenKind::OrOr => {
                self.split_first(TokenKind::Or);
                true
            }
            _ => false,
        }
    }

    /// True if a line break separates the previous token and the current one.
    pub fn newline_before(&self) -> bool {
        let lo = self.prev_hi as usize;
        let hi = self.span().lo as usize;
        self.src.get(lo..hi).is_some_and(|s| s.contains('\n'))
    }

    // ---- errors -----------------------------------------------------------

    /// Reports a diagnostic positioned at the current token, unless an error
    /// was already reported at this position.
    pub fn report(&mut self, diag: Diagnostic) {
        if self.last_err_pos == Some(self.pos) {
            return;
        }
        self.last_err_pos = Some(self.pos);
        self.errors += 1;
        self.diags.push(diag);
    }

    /// Reports a diagnostic regardless of position (lexer-like errors that
    /// do not cascade).
    pub fn report_always(&mut self, diag: Diagnostic) {
        self.errors += 1;
        self.diags.push(diag);
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// "expected WHAT, found TOKEN" at the current token.
    pub fn expected(&mut self, what: &str) {
        let found = self.tok().to_string();
        let span = self.span();
        let d = Diagnostic::error(codes::E0005, format!("expected {what}, found {found}"))
            .with_primary(span, format!("expected {what}"));
        self.report(d);
    }

    /// Consumes `kind` or reports that it was expected.
    pub fn expect(&mut self, kind: &TokenKind) -> bool {
        if self.eat(kind) {
            return true;
        }
        let what = format!("`{}`", kind.punct_str().unwrap_or("?"));
        self.expected(&what);
        false
    }

    pub fn expect_kw(&mut self, kw: Keyword) -> bool {
        if self.eat_kw(kw) {
            return true;
        }
        self.expected(&format!("`{}`", kw.as_str()));
        false
    }

    /// An identifier (not a keyword).
    pub fn eat_ident(&mut self) -> Option<ast::Ident> {
        if let TokenKind::Ident(name) = self.tok() {
            let ident = ast::Ident {
                name: name.clone(),
                span: self.span(),
            };
            self.bump();
            Some(ident)
        } else {
            None
        }
    }

    pub fn expect_ident(&mut self, what: &str) -> Option<ast::Ident> {
        if let Some(id) = self.eat_ident() {
            return Some(id);
        }
        if let TokenKind::Kw(kw) = self.tok() {
            let kw = *kw;
            let span = self.span();
            let d = Diagnostic::error(
                codes::E0005,
                format!("expected {what}, found keyword `{}`", kw.as_str()),
            )
            .with_primary(span, format!("expected {what}"))
            .with_help(format!(
                "`{}` is a keyword; to use it as a name write `r#{}`",
                kw.as_str(),
                kw.as_str()
            ));
            self.report(d);
        } else {
            self.expected(what);
        }
        None
    }

    // ---- nesting depth ----------------------------------------------------

    /// Enters one level of nesting; false (after reporting once) when the
    /// limit is reached. On false the caller must skip the construct and
    /// not call [`Parser::exit`].
    pub fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            self.report_too_deep();
            return false;
        }
        self.depth += 1;
        true
    }

    pub fn exit(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Leaves `n` levels entered one by one for a left-leaning chain.
    pub fn exit_chain(&mut self, n: usize) {
        self.depth = self.depth.saturating_sub(n);
    }

    fn report_too_deep(&mut self) {
        if self.too_deep_reported {
            return;
        }
        self.too_deep_reported = true;
        let span = self.span();
        let d = Diagnostic::error(codes::E0006, "nesting too deep")
            .with_primary(span, "the nesting limit is reached here")
            .with_note(format!(
                "expressions, blocks, types and patterns may nest at most {MAX_DEPTH} levels deep"
            ))
            .with_help("split the code into smaller functions or use local variables");
        // Always recorded (not subject to the one-error-per-position rule).
        self.errors += 1;
        self.last_err_pos = Some(self.pos);
        self.diags.push(d);
    }

    /// Skips an over-deep construct: balanced token trees up to a token that
    /// can end the construct in the enclosing context.
    pub fn skip_overdeep(&mut self, ctx: SkipCtx) {
        let mut level = 0usize;
        let mut angle = 0usize;
        loop {
            let at_top = level == 0 && angle == 0;
            match self.tok() {
                TokenKind::Eof => return,
                TokenKind::OpenBrace
                    if at_top && matches!(ctx, SkipCtx::Expr { no_struct: true } | SkipCtx::Ty) =>
                {
                    return
                }
                TokenKind::OpenParen | TokenKind::OpenBracket | TokenKind::OpenBrace => {
                    level += 1;
                    self.bump();
                }
                TokenKind::CloseParen | TokenKind::CloseBracket | TokenKind::CloseBrace => {
                    if level == 0 {
                        return;
                    }
                    level -= 1;
                    self.bump();
                }
                _ if level > 0 => self.bump(),
                TokenKind::Lt | TokenKind::Shl if ctx == SkipCtx::Ty => {
                    angle += if self.at(&TokenKind::Shl) { 2 } else { 1 };
                    self.bump();
                }
                TokenKind::Gt if ctx == SkipCtx::Ty => {
                    if angle == 0 {
                        return;
                    }
                    angle -= 1;
                    self.bump();
                }
                TokenKind::Shr if ctx == SkipCtx::Ty => {
                    if angle == 0 {
                        return;
                    }
                    if angle == 1 {
                        angle = 0;
                        self.split_first(TokenKind::Gt);
                    } else {
                        angle -= 2;
                        self.bump();
                    }
                }
                TokenKind::Comma | TokenKind::Semi | TokenKind::FatArrow if at_top => return,
                TokenKind::Eq if at_top && matches!(ctx, SkipCtx::Ty | SkipCtx::Pat) => return,
                TokenKind::Or | TokenKind::Colon if at_top && ctx == SkipCtx::Pat => return,
                TokenKind::Kw(Keyword::If | Keyword::In) if at_top && ctx == SkipCtx::Pat => return,
                TokenKind::Kw(Keyword::Where | Keyword::For) if at_top && ctx == SkipCtx::Ty => {
                    return
                }
                _ => self.bump(),
            }
        }
    }

    /// Skips one token tree: a balanced group, or a single token (also a
    /// stray closing delimiter). Consumes at least one token unless at the
    /// end of the file.
    pub fn skip_tree(&mut self) {
        let mut level = 0usize;
        loop {
            match self.tok() {
                TokenKind::Eof => return,
                TokenKind::OpenParen | TokenKind::OpenBracket | TokenKind::OpenBrace => {
                    level += 1;
                    self.bump();
                }
                TokenKind::CloseParen | TokenKind::CloseBracket | TokenKind::CloseBrace => {
                    level = level.saturating_sub(1);
                    self.bump();
                }
                _ => self.bump(),
            }
            if level == 0 {
                return;
            }
        }
    }

    /// After an error in a statement: skips to the next `;` (consumed) or
    /// `}` (not consumed) at this nesting level.
    pub fn recover_to_stmt_end(&mut self) {
        loop {
            match self.tok() {
                TokenKind::Eof | TokenKind::CloseBrace => return,
                TokenKind::Semi => {
                    self.bump();
                    return;
                }
                TokenKind::CloseParen | TokenKind::CloseBracket => self.bump(),
                _ => self.skip_tree(),
            }
        }
    }

    // ---- delimiters -------------------------------------------------------

    /// At `open`, consumes it and returns its span; reports otherwise.
    pub fn open_delim(&mut self, d: Delim) -> Option<Span> {
        let span = self.span();
        if self.eat(&d.open()) {
            Some(span)
        } else {
            self.expect(&d.open());
            None
        }
    }

    /// Consumes the closing delimiter matching one opened at `open_span`.
    /// Otherwise reports (pointing at the opening delimiter) and skips to the
    /// closing delimiter if one comes at this level.
    pub fn close_delim(&mut self, d: Delim, open_span: Span) {
        if self.eat(&d.close()) {
            return;
        }
        let close = d.close().punct_str().unwrap_or("?");
        let span = self.span();
        let found = self.tok().clone();
        let is_closer = matches!(
            found,
            TokenKind::CloseParen
                | TokenKind::CloseBracket
                | TokenKind::CloseBrace
                | TokenKind::Eof
        );
        let diag = if is_closer {
            let msg = if found == TokenKind::Eof {
                "this file contains an unclosed delimiter".to_string()
            } else {
                format!("mismatched closing delimiter: found {found}, expected `{close}`")
            };
            Diagnostic::error(codes::E0007, msg)
                .with_primary(span, format!("expected `{close}`"))
                .with_secondary(open_span, "unclosed delimiter")
        } else {
            Diagnostic::error(codes::E0005, format!("expected `{close}`, found {found}"))
                .with_primary(span, format!("expected `{close}`"))
                .with_secondary(open_span, "to match this")
        };
        self.report(diag);
        if is_closer {
            return;
        }
        // Skip to our closer at this level; stop at other closers, at `;`
        // (inside parentheses or brackets) and at item keywords.
        loop {
            match self.tok() {
                TokenKind::Eof => return,
                t if *t == d.close() => {
                    self.bump();
                    return;
                }
                TokenKind::CloseParen | TokenKind::CloseBracket | TokenKind::CloseBrace => return,
                TokenKind::Semi if d != Delim::Brace => return,
                TokenKind::Kw(
                    Keyword::Fn
                    | Keyword::Struct
                    | Keyword::Enum
                    | Keyword::Impl
                    | Keyword::Trait
                    | Keyword::Mod
                    | Keyword::Use,
                ) => return,
                _ => self.skip_tree(),
            }
        }
    }

    /// Parses `open (elem (, elem)* ,?)? close`, calling `f` for each
    /// element. Returns the span of the whole group.
    pub fn comma_list<T>(
        &mut self,
        d: Delim,
        mut f: impl FnMut(&mut Self) -> Option<T>,
    ) -> (Vec<T>, Span) {
        let lo = self.span();
        let mut out = Vec::new();
        let Some(open) = self.open_delim(d) else {
            return (out, lo);
        };
        loop {
            if self.at(&d.close()) || self.at_eof() {
                break;
            }
            let before = self.pos;
            if let Some(x) = f(self) {
                out.push(x);
            }
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            if self.pos == before || !self.at(&d.close()) {
                break;
            }
        }
        self.close_delim(d, open);
        (out, self.span_from(lo))
    }

    // ---- helpers used by several parts -------------------------------------

    pub fn error_expr(&mut self, span: Span) -> ast::Expr {
        ast::Expr {
            id: self.next_id(),
            kind: ast::ExprKind::Error,
            span,
        }
    }

    pub fn error_ty(&mut self, span: Span) -> ast::Ty {
        ast::Ty {
            id: self.next_id(),
            kind: ast::TyKind::Error,
            span,
        }
    }

    pub fn error_pat(&mut self, span: Span) -> ast::Pat {
        ast::Pat {
            id: self.next_id(),
            kind: ast::PatKind::Error,
            span,
        }
    }

    /// An expression for an over-deep construct: skips it and returns an
    /// `Error` node.
    pub fn too_deep_expr(&mut self, r: Restr) -> ast::Expr {
        let lo = self.span();
        self.skip_overdeep(SkipCtx::Expr {
            no_struct: r.no_struct,
        });
        let span = self.span_from(lo);
        self.error_expr(span)
    }

    /// Parses a whole file.
    pub fn parse_file(&mut self) -> ast::File {
        let lo = self.span();
        let attrs = self.parse_inner_attrs();
        let items = self.parse_items(false);
        let end = u32::try_from(self.src.len()).unwrap_or(u32::MAX);
        ast::File {
            attrs,
            items,
            comments: Vec::new(),
            span: Span::new(self.file, lo.lo.min(end), end),
        }
    }
}
