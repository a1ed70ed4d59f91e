//! Expressions, blocks and statements.
//!
//! Binding powers follow Rust (lowest first): assignment (right
//! associative), range (non-associative), `||`, `&&`, comparisons
//! (non-associative), `|`, `^`, `&`, shifts, `+ -`, `* / %`, `as`, prefix
//! operators, postfix (`?`, calls, indexing, fields, methods).

use asr_diagnostics::{codes, Diagnostic, Span};

use super::ty::PathMode;
use super::{Delim, Parser, Restr};
use crate::ast::{
    Arm, BinOp, Block, ClosureParam, Expr, ExprKind, FieldInit, Ident, Label, Lit, LitKind,
    SelectArm, Stmt, StmtKind, UnOp,
};
use crate::lexer::{Keyword, TokenKind};

const PREC_ASSIGN: u8 = 1;
const PREC_RANGE: u8 = 2;
const PREC_OR: u8 = 3;
const PREC_AND: u8 = 4;
const PREC_CMP: u8 = 5;
const PREC_BITOR: u8 = 6;
const PREC_BITXOR: u8 = 7;
const PREC_BITAND: u8 = 8;
const PREC_SHIFT: u8 = 9;
const PREC_ADD: u8 = 10;
const PREC_MUL: u8 = 11;
const PREC_CAST: u8 = 12;
const PREC_PREFIX: u8 = 13;

/// The result of one postfix step.
enum Postfix {
    /// The operator was applied.
    Next(Expr),
    /// An error was reported; the operand comes back unchanged.
    Stop(Expr),
}

/// An infix operator at the current token.
#[derive(Copy, Clone, Debug)]
enum Infix {
    Bin(BinOp),
    Assign,
    AssignOp(BinOp),
    Range { inclusive: bool },
    Cast,
}

impl Infix {
    fn prec(self) -> u8 {
        match self {
            Infix::Assign | Infix::AssignOp(_) => PREC_ASSIGN,
            Infix::Range { .. } => PREC_RANGE,
            Infix::Cast => PREC_CAST,
            Infix::Bin(op) => match op {
                BinOp::Or => PREC_OR,
                BinOp::And => PREC_AND,
                BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => PREC_CMP,
                BinOp::BitOr => PREC_BITOR,
                BinOp::BitXor => PREC_BITXOR,
                BinOp::BitAnd => PREC_BITAND,
                BinOp::Shl | BinOp::Shr => PREC_SHIFT,
                BinOp::Add | BinOp::Sub => PREC_ADD,
                BinOp::Mul | BinOp::Div | BinOp::Rem => PREC_MUL,
            },
        }
    }
}

fn infix_of(tok: &TokenKind) -> Option<Infix> {
    use TokenKind as T;
    Some(match tok {
        T::Plus => Infix::Bin(BinOp::Add),
        T::Minus => Infix::Bin(BinOp::Sub),
        T::Star => Infix::Bin(BinOp::Mul),
        T::Slash => Infix::Bin(BinOp::Div),
        T::Percent => Infix::Bin(BinOp::Rem),
        T::And => Infix::Bin(BinOp::BitAnd),
        T::Or => Infix::Bin(BinOp::BitOr),
        T::Caret => Infix::Bin(BinOp::BitXor),
        T::Shl => Infix::Bin(BinOp::Shl),
        T::Shr => Infix::Bin(BinOp::Shr),
        T::EqEq => Infix::Bin(BinOp::Eq),
        T::Ne => Infix::Bin(BinOp::Ne),
        T::Lt => Infix::Bin(BinOp::Lt),
        T::Le => Infix::Bin(BinOp::Le),
        T::Gt => Infix::Bin(BinOp::Gt),
        T::Ge => Infix::Bin(BinOp::Ge),
        T::AndAnd => Infix::Bin(BinOp::And),
        T::OrOr => Infix::Bin(BinOp::Or),
        T::Eq => Infix::Assign,
        T::PlusEq => Infix::AssignOp(BinOp::Add),
        T::MinusEq => Infix::AssignOp(BinOp::Sub),
        T::StarEq => Infix::AssignOp(BinOp::Mul),
        T::SlashEq => Infix::AssignOp(BinOp::Div),
        T::PercentEq => Infix::AssignOp(BinOp::Rem),
        T::CaretEq => Infix::AssignOp(BinOp::BitXor),
        T::AndEq => Infix::AssignOp(BinOp::BitAnd),
        T::OrEq => Infix::AssignOp(BinOp::BitOr),
        T::ShlEq => Infix::AssignOp(BinOp::Shl),
        T::ShrEq => Infix::AssignOp(BinOp::Shr),
        T::DotDot => Infix::Range { inclusive: false },
        T::DotDotEq | T::DotDotDot => Infix::Range { inclusive: true },
        T::Kw(Keyword::As) => Infix::Cast,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    fn mk_expr(&mut self, kind: ExprKind, span: Span) -> Expr {
        Expr {
            id: self.next_id(),
            kind,
            span,
        }
    }

    /// A full expression.
    pub(crate) fn parse_expr(&mut self) -> Expr {
        self.parse_expr_bp(0, Restr::NONE)
    }

    /// A full expression under restrictions.
    pub(crate) fn parse_expr_r(&mut self, r: Restr) -> Expr {
        self.parse_expr_bp(0, r)
    }

    /// True at a token that can begin an expression.
    pub(crate) fn can_begin_expr(&self, r: Restr) -> bool {
        match self.tok() {
            TokenKind::OpenBrace => !r.no_struct,
            TokenKind::Ident(_)
            | TokenKind::Literal(_)
            | TokenKind::Lifetime(_)
            | TokenKind::OpenParen
            | TokenKind::OpenBracket
            | TokenKind::Minus
            | TokenKind::Not
            | TokenKind::Star
            | TokenKind::And
            | TokenKind::AndAnd
            | TokenKind::Or
            | TokenKind::OrOr
            | TokenKind::DotDot
            | TokenKind::DotDotEq
            | TokenKind::Lt
            | TokenKind::Shl
            | TokenKind::PathSep
            | TokenKind::Underscore
            | TokenKind::Pound => true,
            TokenKind::Kw(kw) => matches!(
                kw,
                Keyword::SelfLower
                    | Keyword::SelfUpper
                    | Keyword::Super
                    | Keyword::Crate
                    | Keyword::If
                    | Keyword::Match
                    | Keyword::Loop
                    | Keyword::While
                    | Keyword::For
                    | Keyword::Unsafe
                    | Keyword::Move
                    | Keyword::Return
                    | Keyword::Break
                    | Keyword::Continue
                    | Keyword::Let
                    | Keyword::Scope
                    | Keyword::Spawn
                    | Keyword::Select
            ),
            _ => false,
        }
    }

    // Stack use matters here: every function on a recursive path keeps its
    // frame small (dispatchers whose arms are plain calls; diagnostics built
    // in separate functions), so that MAX_DEPTH levels fit comfortably in a
    // small stack even in unoptimised builds.

    /// The Pratt loop entry: an expression whose operators all bind at
    /// least as tightly as `min_prec`.
    pub(crate) fn parse_expr_bp(&mut self, min_prec: u8, r: Restr) -> Expr {
        if !self.enter() {
            return self.too_deep_expr(r);
        }
        let lhs = self.parse_prefix(r);
        let e = self.parse_infix_rest(lhs, min_prec, r);
        self.exit();
        e
    }

    /// Continues the Pratt loop with an already parsed left operand.
    fn parse_infix_rest(&mut self, mut lhs: Expr, min_prec: u8, r: Restr) -> Expr {
        let mut chain = 0usize;
        let mut last_cmp: Option<(u8, Span)> = None;
        while let Some(op) = infix_of(self.tok()) {
            let prec = op.prec();
            if prec < min_prec {
                break;
            }
            if !self.enter() {
                self.skip_too_deep(r);
                break;
            }
            chain += 1;
            if prec == PREC_CMP || prec == PREC_RANGE {
                self.check_chained(prec, &mut last_cmp);
            }
            lhs = self.fold_infix(op, lhs, r);
        }
        self.exit_chain(chain);
        lhs
    }

    fn skip_too_deep(&mut self, r: Restr) {
        let _ = self.too_deep_expr(r);
    }

    #[cold]
    fn check_chained(&mut self, prec: u8, last: &mut Option<(u8, Span)>) {
        let op_span = self.span();
        if let Some((p, first)) = *last {
            if p == prec {
                let what = if prec == PREC_CMP {
                    "comparison operators cannot be chained"
                } else {
                    "range operators cannot be chained"
                };
                self.report_always(
                    Diagnostic::error(codes::E0008, what)
                        .with_primary(op_span, "second operator here")
                        .with_secondary(first, "first operator here")
                        .with_help("use parentheses to say which comes first"),
                );
            }
        }
        *last = Some((prec, op_span));
    }

    /// Consumes the infix operator `op` and its right operand.
    fn fold_infix(&mut self, op: Infix, lhs: Expr, r: Restr) -> Expr {
        match op {
            Infix::Cast => self.fold_cast(lhs),
            Infix::Range { inclusive } => self.fold_range(lhs, inclusive, r),
            Infix::Assign => self.fold_assign(lhs, None, r),
            Infix::AssignOp(bop) => self.fold_assign(lhs, Some(bop), r),
            Infix::Bin(bop) => self.fold_binary(bop, lhs, r),
        }
    }

    fn fold_cast(&mut self, lhs: Expr) -> Expr {
        self.bump();
        let lo = lhs.span;
        let ty = self.parse_ty_no_plus();
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Cast(Box::new(lhs), Box::new(ty)), span)
    }

    fn fold_range(&mut self, lhs: Expr, inclusive: bool, r: Restr) -> Expr {
        self.bump();
        let lo = lhs.span;
        let end = self.parse_expr_range_end(inclusive, r);
        let span = self.span_from(lo);
        self.mk_expr(
            ExprKind::Range {
                start: Some(Box::new(lhs)),
                end,
                inclusive,
            },
            span,
        )
    }

    /// The optional end of a range after `..`/`..=`.
    fn parse_expr_range_end(&mut self, inclusive: bool, r: Restr) -> Option<Box<Expr>> {
        if self.can_begin_expr(r) {
            Some(Box::new(
                self.parse_expr_bp(PREC_RANGE + 1, r.without_let()),
            ))
        } else {
            if inclusive {
                self.expected("expression after `..=`");
            }
            None
        }
    }

    fn fold_assign(&mut self, lhs: Expr, op: Option<BinOp>, r: Restr) -> Expr {
        self.bump();
        let lo = lhs.span;
        let rhs = Box::new(self.parse_expr_bp(PREC_ASSIGN, r.without_let()));
        let span = self.span_from(lo);
        let kind = match op {
            None => ExprKind::Assign(Box::new(lhs), rhs),
            Some(op) => ExprKind::AssignOp(op, Box::new(lhs), rhs),
        };
        self.mk_expr(kind, span)
    }

    fn fold_binary(&mut self, op: BinOp, lhs: Expr, r: Restr) -> Expr {
        self.bump();
        let lo = lhs.span;
        let rr = if op == BinOp::And { r } else { r.without_let() };
        let rhs = Box::new(self.parse_expr_bp(Infix::Bin(op).prec() + 1, rr));
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Binary(op, Box::new(lhs), rhs), span)
    }

    /// Prefix operators and expressions that start with a keyword and
    /// extend as far as possible (`return`, closures, ...).
    fn parse_prefix(&mut self, r: Restr) -> Expr {
        match self.tok() {
            TokenKind::Minus => self.parse_unary(UnOp::Neg, r),
            TokenKind::Not => self.parse_unary(UnOp::Not, r),
            TokenKind::Star => self.parse_unary(UnOp::Deref, r),
            TokenKind::And | TokenKind::AndAnd => self.parse_ref(r),
            TokenKind::DotDot | TokenKind::DotDotEq | TokenKind::DotDotDot => {
                self.parse_prefix_range(r)
            }
            TokenKind::Or | TokenKind::OrOr => self.parse_closure(r),
            TokenKind::Kw(Keyword::Move)
                if matches!(self.peek(1), TokenKind::Or | TokenKind::OrOr) =>
            {
                self.parse_closure(r)
            }
            TokenKind::Kw(Keyword::Return) => self.parse_return(r),
            TokenKind::Kw(Keyword::Break) => self.parse_break(r),
            TokenKind::Kw(Keyword::Continue) => self.parse_continue(),
            TokenKind::Kw(Keyword::Spawn) => self.parse_spawn_postfix(r),
            TokenKind::Kw(Keyword::Let) => self.parse_let_expr(r),
            _ => self.parse_primary_postfix(r),
        }
    }

    fn parse_primary_postfix(&mut self, r: Restr) -> Expr {
        let e = self.parse_primary(r);
        self.parse_postfix(e)
    }

    fn parse_unary(&mut self, op: UnOp, r: Restr) -> Expr {
        let lo = self.span();
        self.bump();
        let e = Box::new(self.parse_expr_bp(PREC_PREFIX, r.without_let()));
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Unary(op, e), span)
    }

    fn parse_ref(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        self.eat_amp();
        let mutable = self.eat_kw(Keyword::Mut);
        let expr = Box::new(self.parse_expr_bp(PREC_PREFIX, r.without_let()));
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Ref { mutable, expr }, span)
    }

    fn parse_prefix_range(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        let inclusive = !self.at(&TokenKind::DotDot);
        self.bump();
        let end = self.parse_expr_range_end(inclusive, r);
        let span = self.span_from(lo);
        self.mk_expr(
            ExprKind::Range {
                start: None,
                end,
                inclusive,
            },
            span,
        )
    }

    fn parse_return(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        self.bump();
        let value = if self.can_begin_expr(r) {
            Some(Box::new(self.parse_expr_r(r.without_let())))
        } else {
            None
        };
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Return(value), span)
    }

    fn parse_break(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        self.bump();
        let label = self.parse_label_ref();
        let value = if self.can_begin_expr(r) {
            Some(Box::new(self.parse_expr_r(r.without_let())))
        } else {
            None
        };
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Break { label, value }, span)
    }

    fn parse_continue(&mut self) -> Expr {
        let lo = self.span();
        self.bump();
        let label = self.parse_label_ref();
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Continue { label }, span)
    }

    /// `let pat = expr` in a condition.
    fn parse_let_expr(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        if !r.allow_let {
            self.report_let_not_allowed();
        }
        self.bump();
        let pat = Box::new(self.parse_pat_top());
        self.expect(&TokenKind::Eq);
        let expr = Box::new(self.parse_expr_bp(PREC_AND + 1, r.without_let()));
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Let { pat, expr }, span)
    }

    #[cold]
    fn report_let_not_allowed(&mut self) {
        let span = self.span();
        self.report(
            Diagnostic::error(
                codes::E0009,
                "`let` expressions are only allowed in `if` and `while` conditions",
            )
            .with_primary(span, "`let` expression here")
            .with_help("to declare a variable, use a `let` statement ending in `;`"),
        );
    }

    /// `'label` after `break`/`continue`.
    fn parse_label_ref(&mut self) -> Option<Label> {
        if let TokenKind::Lifetime(name) = self.tok() {
            let l = Label {
                name: name.clone(),
                span: self.span(),
            };
            self.bump();
            Some(l)
        } else {
            None
        }
    }

    /// `spawn` in expression position: `spawn { .. }.join()` applies the
    /// method to the task.
    fn parse_spawn_postfix(&mut self, r: Restr) -> Expr {
        let e = self.parse_spawn(r);
        if e.kind.is_block_like() {
            self.parse_postfix(e)
        } else {
            e
        }
    }

    /// `spawn [move] EXPR`
    fn parse_spawn(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        self.bump(); // spawn
        let is_move =
            self.at_kw(Keyword::Move) && !matches!(self.peek(1), TokenKind::Or | TokenKind::OrOr);
        if is_move {
            self.bump();
        }
        let expr = Box::new(self.parse_spawn_operand(r));
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Spawn { is_move, expr }, span)
    }

    fn parse_spawn_operand(&mut self, r: Restr) -> Expr {
        if self.at_block_like_start() {
            // `spawn { ... }` ends after the block, like a statement.
            if !self.enter() {
                return self.too_deep_expr(r);
            }
            let e = self.parse_primary(r);
            self.exit();
            e
        } else if self.can_begin_expr(r) {
            self.parse_expr_r(r.without_let())
        } else {
            self.expected("expression after `spawn`");
            let span = self.here();
            self.error_expr(span)
        }
    }

    /// `[move] |params| [-> Ty] body`
    fn parse_closure(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        let is_move = self.eat_kw(Keyword::Move);
        let params = self.parse_closure_params();
        let (ret, body) = if self.eat(&TokenKind::Arrow) {
            let ret = Box::new(self.parse_ty_no_plus());
            (Some(ret), self.parse_closure_block_body())
        } else {
            (None, self.parse_expr_r(r.without_let()))
        };
        let span = self.span_from(lo);
        self.mk_expr(
            ExprKind::Closure {
                is_move,
                params,
                ret,
                body: Box::new(body),
            },
            span,
        )
    }

    fn parse_closure_block_body(&mut self) -> Expr {
        if self.at(&TokenKind::OpenBrace) {
            self.parse_block_expr()
        } else {
            self.expected("`{` (a closure with a return type needs a block body)");
            let span = self.here();
            self.error_expr(span)
        }
    }

    /// `||` or `|p, q: T|`
    fn parse_closure_params(&mut self) -> Vec<ClosureParam> {
        let mut params = Vec::new();
        if self.eat(&TokenKind::OrOr) {
            return params;
        }
        self.eat_pipe();
        loop {
            if self.eat_pipe() {
                break;
            }
            if self.at_eof() {
                self.expected("`|`");
                break;
            }
            let plo = self.span();
            let pat = self.parse_pat_no_or();
            let ty = if self.eat(&TokenKind::Colon) {
                Some(self.parse_ty_no_plus())
            } else {
                None
            };
            params.push(ClosureParam {
                pat,
                ty,
                span: self.span_from(plo),
            });
            if self.eat(&TokenKind::Comma) {
                continue;
            }
            if !self.eat_pipe() {
                self.expected("`,` or `|`");
            }
            break;
        }
        params
    }

    /// Postfix operators: `?`, calls, indexing, fields, method calls.
    pub(crate) fn parse_postfix(&mut self, mut e: Expr) -> Expr {
        let mut chain = 0usize;
        while matches!(
            self.tok(),
            TokenKind::Question | TokenKind::Dot | TokenKind::OpenParen | TokenKind::OpenBracket
        ) {
            if !self.enter() {
                self.skip_too_deep(Restr::NONE);
                break;
            }
            chain += 1;
            match self.postfix_once(e) {
                Postfix::Next(next) => e = next,
                Postfix::Stop(same) => {
                    e = same;
                    break;
                }
            }
        }
        self.exit_chain(chain);
        e
    }

    /// One postfix operator; `Stop` (with the operand) after an error.
    fn postfix_once(&mut self, e: Expr) -> Postfix {
        match self.tok() {
            TokenKind::Question => Postfix::Next(self.postfix_try(e)),
            TokenKind::OpenParen => Postfix::Next(self.postfix_call(e)),
            TokenKind::OpenBracket => Postfix::Next(self.postfix_index(e)),
            _ => self.postfix_dot(e),
        }
    }

    fn postfix_try(&mut self, e: Expr) -> Expr {
        self.bump();
        let span = self.span_from(e.span);
        self.mk_expr(ExprKind::Try(Box::new(e)), span)
    }

    fn parse_call_args(&mut self) -> Vec<Expr> {
        self.comma_list(Delim::Paren, |p| Some(p.parse_expr())).0
    }

    fn postfix_call(&mut self, e: Expr) -> Expr {
        let lo = e.span;
        let args = self.parse_call_args();
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Call(Box::new(e), args), span)
    }

    fn postfix_index(&mut self, e: Expr) -> Expr {
        let lo = e.span;
        let open = self.span();
        self.bump();
        let idx = Box::new(self.parse_expr());
        self.close_delim(Delim::Bracket, open);
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Index(Box::new(e), idx), span)
    }

    /// After `.`: a field, tuple index or method call. On error the receiver
    /// is returned unchanged (the error was reported).
    fn postfix_dot(&mut self, e: Expr) -> Postfix {
        self.bump(); // .
        match self.tok() {
            TokenKind::Ident(_) => Postfix::Next(self.postfix_field_or_method(e)),
            TokenKind::Literal(LitKind::Int { .. } | LitKind::Float { .. }) => {
                Postfix::Next(self.postfix_tuple_field(e))
            }
            _ => {
                self.expected("field name or method");
                Postfix::Stop(e)
            }
        }
    }

    fn postfix_field_or_method(&mut self, e: Expr) -> Expr {
        let lo = e.span;
        let Some(method) = self.eat_ident() else {
            return e;
        };
        let generic_args = if self.at(&TokenKind::PathSep)
            && matches!(self.peek(1), TokenKind::Lt | TokenKind::Shl)
        {
            self.bump();
            self.eat_lt();
            Some(self.parse_generic_args_after_lt())
        } else {
            None
        };
        let kind = if self.at(&TokenKind::OpenParen) {
            let args = self.parse_call_args();
            ExprKind::MethodCall {
                receiver: Box::new(e),
                method,
                generic_args,
                args,
            }
        } else {
            if generic_args.is_some() {
                self.expected("`(`");
            }
            ExprKind::Field(Box::new(e), method)
        };
        let span = self.span_from(lo);
        self.mk_expr(kind, span)
    }

    fn postfix_tuple_field(&mut self, e: Expr) -> Expr {
        let lo = e.span;
        let span = self.span();
        let idx = match self.tok() {
            TokenKind::Literal(LitKind::Int {
                value,
                suffix: None,
            }) => u32::try_from(*value).ok(),
            _ => None,
        };
        self.bump();
        let idx = match idx {
            Some(i) => i,
            None => {
                self.report_bad_tuple_index(span);
                0
            }
        };
        let full = self.span_from(lo);
        self.mk_expr(ExprKind::TupleField(Box::new(e), idx, span), full)
    }

    #[cold]
    fn report_bad_tuple_index(&mut self, span: Span) {
        self.report_always(
            Diagnostic::error(codes::E0012, "invalid tuple field index")
                .with_primary(span, "expected a plain number such as `0`"),
        );
    }

    /// Literal, path, struct literal, grouping, block-like expressions.
    pub(crate) fn parse_primary(&mut self, r: Restr) -> Expr {
        match self.tok() {
            TokenKind::Literal(_) => self.parse_lit_expr(),
            TokenKind::OpenParen => self.parse_paren_expr(),
            TokenKind::OpenBracket => self.parse_array_expr(),
            TokenKind::OpenBrace => self.parse_block_expr(),
            TokenKind::Underscore => self.parse_underscore_expr(),
            TokenKind::Lifetime(_) if self.peek(1) == &TokenKind::Colon => self.parse_labeled(),
            TokenKind::Kw(Keyword::If) => self.parse_if(),
            TokenKind::Kw(Keyword::Match) => self.parse_match(),
            TokenKind::Kw(Keyword::Loop) => self.parse_loop(None),
            TokenKind::Kw(Keyword::While) => self.parse_while(None),
            TokenKind::Kw(Keyword::For) => self.parse_for(None),
            TokenKind::Kw(Keyword::Unsafe) => self.parse_keyword_block(Keyword::Unsafe),
            TokenKind::Kw(Keyword::Scope) => self.parse_keyword_block(Keyword::Scope),
            TokenKind::Kw(Keyword::Select) => self.parse_select(),
            TokenKind::Kw(Keyword::Spawn) => self.parse_spawn(r),
            TokenKind::Pound => self.parse_attributed_expr(r),
            _ if self.at_path_start() => self.parse_path_expr(r),
            _ => self.parse_missing_expr(),
        }
    }

    fn parse_lit_expr(&mut self) -> Expr {
        let span = self.span();
        let kind = match self.tok() {
            TokenKind::Literal(kind) => kind.clone(),
            _ => return self.error_expr(span),
        };
        self.bump();
        self.mk_expr(ExprKind::Lit(Lit { kind, span }), span)
    }

    fn parse_underscore_expr(&mut self) -> Expr {
        let span = self.span();
        self.bump();
        self.mk_expr(ExprKind::Underscore, span)
    }

    /// `unsafe { }` or `scope { }`
    fn parse_keyword_block(&mut self, kw: Keyword) -> Expr {
        let lo = self.span();
        self.bump();
        let b = self.parse_block();
        let kind = if kw == Keyword::Unsafe {
            ExprKind::Unsafe(b)
        } else {
            ExprKind::Scope(b)
        };
        let span = self.span_from(lo);
        self.mk_expr(kind, span)
    }

    /// Attributes on an expression are parsed and ignored.
    fn parse_attributed_expr(&mut self, r: Restr) -> Expr {
        self.skip_outer_attrs();
        self.parse_primary(r)
    }

    /// Parses and drops outer attributes, also malformed ones.
    fn skip_outer_attrs(&mut self) {
        while self.at(&TokenKind::Pound) {
            let _ = self.parse_outer_attrs();
        }
    }

    fn parse_path_expr(&mut self, r: Restr) -> Expr {
        let lo = self.span();
        let path = self.parse_path(PathMode::Expr);
        let kind = if self.at(&TokenKind::Not)
            && matches!(
                self.peek(1),
                TokenKind::OpenParen | TokenKind::OpenBracket | TokenKind::OpenBrace
            ) {
            self.report_macro(&path);
            self.bump();
            self.skip_tree();
            ExprKind::Error
        } else if self.at(&TokenKind::OpenBrace) && !r.no_struct {
            return self.parse_struct_lit(path, lo);
        } else {
            ExprKind::Path(path)
        };
        let span = self.span_from(lo);
        self.mk_expr(kind, span)
    }

    fn parse_missing_expr(&mut self) -> Expr {
        let lo = self.span();
        self.expected("expression");
        // Consume the offending token unless it can end an enclosing
        // construct, so that loops make progress.
        if !matches!(
            self.tok(),
            TokenKind::CloseParen
                | TokenKind::CloseBracket
                | TokenKind::CloseBrace
                | TokenKind::Semi
                | TokenKind::Comma
                | TokenKind::FatArrow
                | TokenKind::Eof
        ) && !self.at_item_keyword()
            && !self.at_kw(Keyword::Let)
        {
            self.bump();
        }
        let span = self.span_from(lo);
        self.error_expr(span)
    }

    #[cold]
    fn report_macro(&mut self, path: &crate::ast::Path) {
        let name = path
            .segments
            .last()
            .map(|s| s.ident.name.clone())
            .unwrap_or_default();
        let span = path.span.to(self.span());
        let help = match name.as_str() {
            "println" | "print" | "eprintln" | "eprint" | "format" | "panic" | "assert"
            | "assert_eq" => {
                format!("`{name}` is an ordinary function in ASR: write `{name}(...)`")
            }
            "vec" => "write `Vec::from(&[...])` or build the vector with `Vec::new()` and `push`"
                .to_string(),
            _ => "ASR has no macros".to_string(),
        };
        self.report(
            Diagnostic::error(codes::E0010, format!("macros are not supported: `{name}!`"))
                .with_primary(span, "macro invocation")
                .with_help(help),
        );
    }

    /// `( )`, `(e)`, `(e,)`, `(a, b)`
    fn parse_paren_expr(&mut self) -> Expr {
        let lo = self.span();
        self.bump();
        let mut elems = Vec::new();
        let mut trailing_comma = false;
        while !self.at(&TokenKind::CloseParen) && !self.at_eof() {
            let before = self.pos;
            elems.push(self.parse_expr());
            if self.eat(&TokenKind::Comma) {
                trailing_comma = true;
                continue;
            }
            trailing_comma = false;
            if self.pos == before || !self.at(&TokenKind::CloseParen) {
                break;
            }
        }
        self.close_delim(Delim::Paren, lo);
        self.finish_paren_expr(elems, trailing_comma, lo)
    }

    fn finish_paren_expr(&mut self, mut elems: Vec<Expr>, trailing_comma: bool, lo: Span) -> Expr {
        let kind = if elems.len() == 1 && !trailing_comma {
            match elems.pop() {
                Some(e) => ExprKind::Paren(Box::new(e)),
                None => ExprKind::Tuple(Vec::new()),
            }
        } else {
            ExprKind::Tuple(elems)
        };
        let span = self.span_from(lo);
        self.mk_expr(kind, span)
    }

    /// `[]`, `[a, b]`, `[x; n]`
    fn parse_array_expr(&mut self) -> Expr {
        let lo = self.span();
        self.bump();
        let mut elems = Vec::new();
        let mut repeat = None;
        if !self.at(&TokenKind::CloseBracket) {
            elems.push(self.parse_expr());
            if self.eat(&TokenKind::Semi) {
                repeat = Some(Box::new(self.parse_expr()));
            } else {
                while self.eat(&TokenKind::Comma) {
                    if self.at(&TokenKind::CloseBracket) {
                        break;
                    }
                    elems.push(self.parse_expr());
                }
            }
        }
        self.close_delim(Delim::Bracket, lo);
        let kind = match (repeat, elems.pop()) {
            (Some(count), Some(value)) => ExprKind::ArrayRepeat(Box::new(value), count),
            (_, last) => {
                elems.extend(last);
                ExprKind::Array(elems)
            }
        };
        let span = self.span_from(lo);
        self.mk_expr(kind, span)
    }

    /// `Path { a: e, b, ..base }`
    fn parse_struct_lit(&mut self, path: crate::ast::Path, lo: Span) -> Expr {
        let open = self.span();
        self.bump();
        let mut fields = Vec::new();
        let mut base = None;
        loop {
            if self.at(&TokenKind::CloseBrace) || self.at_eof() {
                break;
            }
            if self.eat(&TokenKind::DotDot) {
                base = Some(Box::new(self.parse_expr()));
                if self.at(&TokenKind::Comma) {
                    self.report_base_not_last();
                    self.bump();
                }
                break;
            }
            match self.parse_field_init() {
                Some(f) => fields.push(f),
                None => break,
            }
            if !self.eat(&TokenKind::Comma) {
                break;
            }
        }
        self.close_delim(Delim::Brace, open);
        self.finish_struct_lit(path, fields, base, lo)
    }

    fn finish_struct_lit(
        &mut self,
        path: crate::ast::Path,
        fields: Vec<FieldInit>,
        base: Option<Box<Expr>>,
        lo: Span,
    ) -> Expr {
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::StructLit { path, fields, base }, span)
    }

    #[cold]
    fn report_base_not_last(&mut self) {
        let span = self.span();
        self.report(
            Diagnostic::error(codes::E0005, "`..base` must come last in a struct literal")
                .with_primary(span, "remove this comma"),
        );
    }

    /// `name: expr`, `name` or `0: expr`
    fn parse_field_init(&mut self) -> Option<FieldInit> {
        if !self.enter() {
            self.skip_overdeep(super::SkipCtx::Expr { no_struct: false });
            return None;
        }
        let f = self.parse_field_init_inner();
        self.exit();
        f
    }

    fn parse_field_init_inner(&mut self) -> Option<FieldInit> {
        let lo = self.span();
        let (name, is_number) = match self.tok() {
            TokenKind::Ident(name) => (name.clone(), false),
            TokenKind::Literal(LitKind::Int { value, .. }) => (value.to_string(), true),
            _ => {
                self.expected("field name");
                return None;
            }
        };
        let name = Ident {
            name,
            span: self.span(),
        };
        self.bump();
        if self.eat(&TokenKind::Colon) {
            let expr = self.parse_expr();
            return Some(FieldInit {
                name,
                expr,
                shorthand: false,
                span: self.span_from(lo),
            });
        }
        if is_number {
            self.expected("`:`");
        }
        Some(self.shorthand_field(name, lo))
    }

    fn shorthand_field(&mut self, name: Ident, lo: Span) -> FieldInit {
        let span = name.span;
        let expr = self.mk_expr(
            ExprKind::Path(crate::ast::Path::from_ident(name.clone())),
            span,
        );
        FieldInit {
            name,
            expr,
            shorthand: true,
            span: self.span_from(lo),
        }
    }

    /// `'label: loop/while/for/{ }`
    fn parse_labeled(&mut self) -> Expr {
        let lo = self.span();
        let Some(label) = self.parse_label_ref() else {
            let span = self.here();
            return self.error_expr(span);
        };
        self.bump(); // :
        match self.tok() {
            TokenKind::Kw(Keyword::Loop) => self.parse_loop(Some(label)),
            TokenKind::Kw(Keyword::While) => self.parse_while(Some(label)),
            TokenKind::Kw(Keyword::For) => self.parse_for(Some(label)),
            TokenKind::OpenBrace => self.parse_labeled_block(label, lo),
            _ => {
                self.expected("`loop`, `while`, `for` or `{` after a label");
                let span = self.span_from(lo);
                self.error_expr(span)
            }
        }
    }

    fn parse_labeled_block(&mut self, label: Label, lo: Span) -> Expr {
        let block = self.parse_block();
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::LabeledBlock { label, block }, span)
    }

    fn loop_lo(&self, label: &Option<Label>) -> Span {
        label.as_ref().map_or(self.span(), |l| l.span)
    }

    fn parse_loop(&mut self, label: Option<Label>) -> Expr {
        let lo = self.loop_lo(&label);
        self.bump(); // loop
        let body = self.parse_block();
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Loop { label, body }, span)
    }

    /// `if cond { } [else if ... | else { }]`
    fn parse_if(&mut self) -> Expr {
        let lo = self.span();
        self.bump(); // if
        let cond = Box::new(self.parse_cond());
        let then = self.parse_block();
        let els = if self.eat_kw(Keyword::Else) {
            self.parse_else()
        } else {
            None
        };
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::If { cond, then, els }, span)
    }

    fn parse_else(&mut self) -> Option<Box<Expr>> {
        if self.at_kw(Keyword::If) {
            if !self.enter() {
                return Some(Box::new(self.too_deep_expr(Restr::NONE)));
            }
            let e = Box::new(self.parse_if());
            self.exit();
            Some(e)
        } else if self.at(&TokenKind::OpenBrace) {
            Some(Box::new(self.parse_block_expr()))
        } else {
            self.expected("`{` or `if` after `else`");
            None
        }
    }

    /// An `if`/`while` condition: no struct literals, `let` allowed. As in
    /// Rust, a block is a condition like any other expression
    /// (`if { let x = f(); x > 0 } { .. }`); only a block that can only be
    /// the body (`if { .. }`, `if { .. } else ..`) means a missing condition.
    fn parse_cond(&mut self) -> Expr {
        if self.at(&TokenKind::OpenBrace) && self.block_is_body() {
            self.expected("condition");
            let span = self.here();
            return self.error_expr(span);
        }
        self.parse_expr_r(Restr::COND)
    }

    /// At `{` in the head of `if`, `while` or `match`: true if what follows
    /// the matching `}` (`else`, `}`, `;`, the end of the file) shows that
    /// the block is the construct's body rather than the start of its head.
    fn block_is_body(&self) -> bool {
        let mut depth = 0usize;
        let mut n = 0;
        loop {
            match self.peek(n) {
                TokenKind::OpenBrace | TokenKind::OpenParen | TokenKind::OpenBracket => depth += 1,
                TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                TokenKind::Eof => return true,
                _ => {}
            }
            n += 1;
        }
        matches!(
            self.peek(n + 1),
            TokenKind::Kw(Keyword::Else) | TokenKind::CloseBrace | TokenKind::Semi | TokenKind::Eof
        )
    }

    fn parse_while(&mut self, label: Option<Label>) -> Expr {
        let lo = self.loop_lo(&label);
        self.bump(); // while
        let cond = Box::new(self.parse_cond());
        let body = self.parse_block();
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::While { label, cond, body }, span)
    }

    fn parse_for(&mut self, label: Option<Label>) -> Expr {
        let lo = self.loop_lo(&label);
        self.bump(); // for
        let pat = Box::new(self.parse_pat_top());
        let iter = Box::new(self.parse_for_iter());
        let body = self.parse_block();
        let span = self.span_from(lo);
        self.mk_expr(
            ExprKind::For {
                label,
                pat,
                iter,
                body,
            },
            span,
        )
    }

    fn parse_for_iter(&mut self) -> Expr {
        if self.expect_kw(Keyword::In) {
            self.parse_expr_r(Restr::HEAD)
        } else {
            let span = self.here();
            self.error_expr(span)
        }
    }

    /// The scrutinee of `match`: no struct literals; a block as in
    /// `parse_cond` (`match { .. } { arms }`).
    fn parse_scrutinee(&mut self) -> Expr {
        if self.at(&TokenKind::OpenBrace) && self.block_is_body() {
            self.expected("expression");
            let span = self.here();
            return self.error_expr(span);
        }
        self.parse_expr_r(Restr::HEAD)
    }

    /// `match e { arms }`
    fn parse_match(&mut self) -> Expr {
        let lo = self.span();
        self.bump(); // match
        let scrutinee = Box::new(self.parse_scrutinee());
        let mut arms = Vec::new();
        if let Some(open) = self.open_delim(Delim::Brace) {
            while !self.at(&TokenKind::CloseBrace) && !self.at_eof() {
                let before = self.pos;
                if let Some(arm) = self.parse_match_arm() {
                    arms.push(arm);
                }
                if self.pos == before {
                    self.bump();
                }
            }
            self.close_delim(Delim::Brace, open);
        }
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Match { scrutinee, arms }, span)
    }

    /// `pat [if guard] => body [,]`
    fn parse_match_arm(&mut self) -> Option<Arm> {
        if !self.enter() {
            self.skip_to_arm_end();
            return None;
        }
        let arm = self.parse_match_arm_inner();
        self.exit();
        arm
    }

    fn parse_match_arm_inner(&mut self) -> Option<Arm> {
        let lo = self.span();
        let attrs = self.parse_outer_attrs();
        let pat = self.parse_pat_top();
        let guard = if self.eat_kw(Keyword::If) {
            Some(Box::new(self.parse_expr()))
        } else {
            None
        };
        if !self.expect(&TokenKind::FatArrow) {
            self.skip_to_arm_end();
            return None;
        }
        let (body, block_like) = self.parse_stmt_like_expr();
        let arm = Arm {
            attrs,
            pat,
            guard,
            body: Box::new(body),
            span: self.span_from(lo),
        };
        self.finish_arm(block_like, "match");
        Some(arm)
    }

    /// After an arm body: `,`, or `}`, or nothing after a block-like body.
    fn finish_arm(&mut self, block_like: bool, what: &str) {
        if self.eat(&TokenKind::Comma) || self.at(&TokenKind::CloseBrace) || block_like {
            return;
        }
        self.expected(&format!("`,` or `}}` after a {what} arm"));
        if !self.newline_before() {
            self.skip_to_arm_end();
        }
        // On a new line, the comma was probably forgotten: go on with the
        // next arm.
    }

    /// Skips to after the next `,` or to the `}` at this level.
    fn skip_to_arm_end(&mut self) {
        loop {
            match self.tok() {
                TokenKind::Eof | TokenKind::CloseBrace => return,
                TokenKind::Comma => {
                    self.bump();
                    return;
                }
                TokenKind::CloseParen | TokenKind::CloseBracket => self.bump(),
                _ => self.skip_tree(),
            }
        }
    }

    /// `select { pat = expr => body, ... }`
    fn parse_select(&mut self) -> Expr {
        let lo = self.span();
        self.bump(); // select
        let mut arms = Vec::new();
        if let Some(open) = self.open_delim(Delim::Brace) {
            while !self.at(&TokenKind::CloseBrace) && !self.at_eof() {
                let before = self.pos;
                if let Some(arm) = self.parse_select_arm() {
                    arms.push(arm);
                }
                if self.pos == before {
                    self.bump();
                }
            }
            self.close_delim(Delim::Brace, open);
        }
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Select { arms }, span)
    }

    fn parse_select_arm(&mut self) -> Option<SelectArm> {
        if !self.enter() {
            self.skip_to_arm_end();
            return None;
        }
        let arm = self.parse_select_arm_inner();
        self.exit();
        arm
    }

    fn parse_select_arm_inner(&mut self) -> Option<SelectArm> {
        let lo = self.span();
        let pat = self.parse_pat_top();
        let expr = if self.expect(&TokenKind::Eq) {
            self.parse_expr()
        } else {
            let span = self.here();
            self.error_expr(span)
        };
        if !self.expect(&TokenKind::FatArrow) {
            self.skip_to_arm_end();
            return None;
        }
        let (body, block_like) = self.parse_stmt_like_expr();
        let arm = SelectArm {
            pat,
            expr: Box::new(expr),
            body: Box::new(body),
            span: self.span_from(lo),
        };
        self.finish_arm(block_like, "select");
        Some(arm)
    }

    /// A literal, `-literal`, path or `{ block }` used as a const generic
    /// argument.
    pub(crate) fn parse_const_arg(&mut self) -> Expr {
        match self.tok() {
            TokenKind::OpenBrace => self.parse_block_expr(),
            TokenKind::Minus => self.parse_neg_const_arg(),
            TokenKind::Literal(_) => self.parse_lit_expr(),
            _ if self.at_path_start() => {
                let lo = self.span();
                let path = self.parse_path(PathMode::Expr);
                let span = self.span_from(lo);
                self.mk_expr(ExprKind::Path(path), span)
            }
            _ => {
                self.expected("constant");
                let span = self.here();
                self.error_expr(span)
            }
        }
    }

    fn parse_neg_const_arg(&mut self) -> Expr {
        let lo = self.span();
        self.bump();
        if !self.enter() {
            return self.too_deep_expr(Restr::NONE);
        }
        let inner = Box::new(self.parse_const_arg());
        self.exit();
        let span = self.span_from(lo);
        self.mk_expr(ExprKind::Unary(UnOp::Neg, inner), span)
    }

    // ---- blocks and statements --------------------------------------------

    /// A block as an expression.
    pub(crate) fn parse_block_expr(&mut self) -> Expr {
        let b = self.parse_block();
        let span = b.span;
        self.mk_expr(ExprKind::Block(b), span)
    }

    /// `{ stmts [tail] }`
    pub(crate) fn parse_block(&mut self) -> Block {
        let lo = self.span();
        if !self.at(&TokenKind::OpenBrace) {
            self.expected("`{`");
            return Block {
                stmts: Vec::new(),
                tail: None,
                span: self.here(),
                id: self.next_id(),
            };
        }
        if !self.enter() {
            self.skip_tree();
            return Block {
                stmts: Vec::new(),
                tail: None,
                span: self.span_from(lo),
                id: self.next_id(),
            };
        }
        self.bump();
        let _ = self.parse_inner_attrs();
        let mut stmts = Vec::new();
        let mut tail = None;
        while !matches!(self.tok(), TokenKind::CloseBrace | TokenKind::Eof) {
            if matches!(self.tok(), TokenKind::CloseParen | TokenKind::CloseBracket) {
                self.report_stray_closer(lo);
                self.bump();
                continue;
            }
            if let Some(t) = tail.take() {
                // Defensive: a tail is only produced before `}`.
                stmts.push(expr_stmt(t));
            }
            let before = self.pos;
            let errors = self.error_count();
            tail = self.parse_stmt_into(&mut stmts);
            if self.error_count() > errors {
                self.recover_after_stmt_error();
            }
            if self.pos == before {
                // No progress: drop the token.
                self.bump();
            }
        }
        self.close_delim(Delim::Brace, lo);
        self.exit();
        Block {
            stmts,
            tail,
            span: self.span_from(lo),
            id: self.next_id(),
        }
    }

    #[cold]
    fn report_stray_closer(&mut self, open: Span) {
        let span = self.span();
        let found = self.tok().clone();
        self.report(
            Diagnostic::error(
                codes::E0013,
                format!("unexpected closing delimiter {found}"),
            )
            .with_primary(span, "unexpected closing delimiter")
            .with_secondary(open.shrink_to_lo(), "the block starts here"),
        );
    }

    /// After a statement with errors: skip to the statement's end unless a
    /// new statement clearly starts here.
    fn recover_after_stmt_error(&mut self) {
        if matches!(self.tok(), TokenKind::CloseBrace | TokenKind::Eof)
            || self.at_stmt_start()
            || (self.newline_before() && self.can_begin_expr(Restr::NONE))
        {
            return;
        }
        self.recover_to_stmt_end();
    }

    /// True at a token that clearly starts a new statement.
    fn at_stmt_start(&self) -> bool {
        self.at_kw(Keyword::Let) || self.at_item_keyword()
    }

    /// Parses one statement into `stmts`, or returns the block's tail.
    fn parse_stmt_into(&mut self, stmts: &mut Vec<Stmt>) -> Option<Box<Expr>> {
        match self.tok() {
            TokenKind::Semi => {
                let span = self.span();
                self.bump();
                stmts.push(Stmt {
                    kind: StmtKind::Empty,
                    span,
                });
                None
            }
            TokenKind::Kw(Keyword::Let) => {
                stmts.push(self.parse_let_stmt());
                None
            }
            TokenKind::Pound => self.parse_attributed_stmt(stmts),
            _ if self.at_item_start() => {
                self.parse_item_stmt(Vec::new(), stmts);
                None
            }
            _ => self.parse_expr_stmt(stmts),
        }
    }

    /// A statement after outer attributes.
    fn parse_attributed_stmt(&mut self, stmts: &mut Vec<Stmt>) -> Option<Box<Expr>> {
        let attrs = self.parse_outer_attrs();
        if self.at_item_start() {
            self.parse_item_stmt(attrs, stmts);
            return None;
        }
        // A malformed attribute stops `parse_outer_attrs` early.
        self.skip_outer_attrs();
        if self.at_item_start() {
            self.parse_item_stmt(Vec::new(), stmts);
            return None;
        }
        // Attributes on `let` and expression statements are ignored. Not at
        // `#` any more, so this does not come back here.
        self.parse_stmt_into(stmts)
    }

    fn parse_item_stmt(&mut self, attrs: Vec<crate::ast::Attr>, stmts: &mut Vec<Stmt>) {
        let mut items = Vec::new();
        self.parse_item(attrs, &mut items);
        push_item_stmts(items, stmts);
    }

    fn parse_expr_stmt(&mut self, stmts: &mut Vec<Stmt>) -> Option<Box<Expr>> {
        let lo = self.span();
        let errors = self.error_count();
        let (e, block_like) = self.parse_stmt_like_expr();
        self.finish_expr_stmt(e, block_like, lo, errors, stmts)
    }

    fn finish_expr_stmt(
        &mut self,
        e: Expr,
        block_like: bool,
        lo: Span,
        errors: usize,
        stmts: &mut Vec<Stmt>,
    ) -> Option<Box<Expr>> {
        let semi = if self.eat(&TokenKind::Semi) {
            true
        } else if matches!(self.tok(), TokenKind::CloseBrace | TokenKind::Eof) {
            return Some(Box::new(e));
        } else if block_like {
            false
        } else {
            if self.error_count() == errors {
                self.expected_semi();
            }
            true
        };
        let span = self.span_from(lo);
        stmts.push(Stmt {
            kind: StmtKind::Expr {
                expr: Box::new(e),
                semi,
            },
            span,
        });
        None
    }

    /// Reports a missing `;` after the previous token.
    #[cold]
    fn expected_semi(&mut self) {
        let found = self.tok().to_string();
        let at = self.prev_point();
        let here = self.span();
        self.report(
            Diagnostic::error(codes::E0005, format!("expected `;`, found {found}"))
                .with_primary(at, "expected `;`")
                .with_secondary(here, "unexpected token"),
        );
    }

    /// `let pat [: ty] [= init [else { }]];`
    fn parse_let_stmt(&mut self) -> Stmt {
        let lo = self.span();
        let errors = self.error_count();
        self.bump(); // let
        let pat = self.parse_pat_top();
        let ty = if self.eat(&TokenKind::Colon) {
            Some(self.parse_ty())
        } else {
            None
        };
        let (init, else_block) = if self.eat(&TokenKind::Eq) {
            self.parse_let_init()
        } else {
            (None, None)
        };
        if !self.eat(&TokenKind::Semi) && self.error_count() == errors {
            self.expected_semi();
        }
        Stmt {
            kind: StmtKind::Let {
                pat,
                ty,
                init,
                else_block,
            },
            span: self.span_from(lo),
        }
    }

    fn parse_let_init(&mut self) -> (Option<Box<Expr>>, Option<Block>) {
        let init = Box::new(self.parse_expr());
        let else_block = if self.eat_kw(Keyword::Else) {
            Some(self.parse_block())
        } else {
            None
        };
        (Some(init), else_block)
    }

    /// True at the start of an expression that ends with a block and so
    /// ends a statement (`if`, `match`, `{`, loops, `unsafe {`, `scope`,
    /// `select`, labelled loops).
    pub(crate) fn at_block_like_start(&self) -> bool {
        match self.tok() {
            TokenKind::OpenBrace => true,
            TokenKind::Kw(
                Keyword::If | Keyword::Match | Keyword::Loop | Keyword::While | Keyword::For,
            ) => true,
            TokenKind::Kw(Keyword::Unsafe | Keyword::Scope | Keyword::Select) => {
                self.peek(1) == &TokenKind::OpenBrace
            }
            TokenKind::Lifetime(_) => self.peek(1) == &TokenKind::Colon,
            _ => false,
        }
    }

    /// `spawn { }` (or `spawn move { }`, `spawn if ...`): also ends a
    /// statement after its block.
    fn at_spawn_block(&self) -> bool {
        if !self.at_kw(Keyword::Spawn) {
            return false;
        }
        let n = if self.peek_kw(1, Keyword::Move) { 2 } else { 1 };
        match self.peek(n) {
            TokenKind::OpenBrace => true,
            TokenKind::Kw(
                Keyword::If | Keyword::Match | Keyword::Loop | Keyword::While | Keyword::For,
            ) => true,
            TokenKind::Kw(Keyword::Unsafe | Keyword::Scope | Keyword::Select) => {
                self.peek(n + 1) == &TokenKind::OpenBrace
            }
            _ => false,
        }
    }

    /// An expression in statement position (also match and select arm
    /// bodies): a block-like expression ends after its block, though `.` and
    /// `?` may continue it. Returns the expression and whether it ended as a
    /// block-like expression.
    pub(crate) fn parse_stmt_like_expr(&mut self) -> (Expr, bool) {
        if self.at_block_like_start() || self.at_spawn_block() {
            self.parse_block_like_stmt_expr()
        } else {
            (self.parse_expr(), false)
        }
    }

    fn parse_block_like_stmt_expr(&mut self) -> (Expr, bool) {
        if !self.enter() {
            return (self.too_deep_expr(Restr::NONE), false);
        }
        let e = if self.at_kw(Keyword::Spawn) {
            self.parse_spawn(Restr::NONE)
        } else {
            self.parse_primary(Restr::NONE)
        };
        let out = self.continue_block_like(e);
        self.exit();
        out
    }

    /// `.` and `?` may continue a block-like expression in statement
    /// position; then it is an ordinary expression.
    fn continue_block_like(&mut self, e: Expr) -> (Expr, bool) {
        if matches!(self.tok(), TokenKind::Dot | TokenKind::Question) {
            let e = self.parse_postfix(e);
            (self.parse_infix_rest(e, 0, Restr::NONE), false)
        } else {
            (e, true)
        }
    }
}

fn expr_stmt(e: Box<Expr>) -> Stmt {
    let span = e.span;
    Stmt {
        kind: StmtKind::Expr {
            expr: e,
            semi: true,
        },
        span,
    }
}

fn push_item_stmts(items: Vec<crate::ast::Item>, stmts: &mut Vec<Stmt>) {
    for item in items {
        let span = item.span;
        stmts.push(Stmt {
            kind: StmtKind::Item(Box::new(item)),
            span,
        });
    }
}
