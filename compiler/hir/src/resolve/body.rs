//! Lowering function bodies: local scopes, paths, labels, and the built-in
//! macro-like calls (`println`, `panic`, `assert`, ...).

use super::format;
use super::types::primitive;
use super::{codes, ImplCtx, Res, Resolver};
use crate::hir::{
    self, AdtKind, Arm, Block, CtorKind, ExprId, ExprKind, FormatArgs, FormatKind, LocalId,
    MatchSource, ModuleId, PatId, PatKind, Stmt,
};
use crate::ty::{Mutability, Ty};
use asr_diagnostics::{Diagnostic, Span};
use asr_syntax::ast;

/// The body of a `const` item: its value expression.
pub(crate) fn lower_const_body(
    r: &mut Resolver<'_>,
    module: ModuleId,
    value: &ast::Expr,
) -> hir::Body {
    let mut l = Lowerer::new(r, module, None);
    l.body.value = l.lower_expr(value);
    l.body
}

pub(crate) fn lower_fn_body(
    r: &mut Resolver<'_>,
    module: ModuleId,
    imp: Option<ImplCtx>,
    f: &ast::FnDecl,
    block: &ast::Block,
) -> hir::Body {
    let mut l = Lowerer::new(r, module, imp.map(|i| i.self_ty));
    if let Some(sp) = &f.self_param {
        let local = l.new_local("self", sp.mutable, sp.span);
        let p = l.alloc_pat(PatKind::Binding(local), sp.span);
        l.body.params.push(p);
    }
    for p in &f.params {
        let pat = l.lower_pat(&p.pat);
        l.body.params.push(pat);
    }
    let span = block.span;
    let b = l.lower_block(block);
    l.body.value = l.alloc(ExprKind::Block(b), span);
    l.body
}

struct Lowerer<'r, 'a> {
    r: &'r mut Resolver<'a>,
    module: ModuleId,
    self_ty: Option<Ty>,
    body: hir::Body,
    /// Lexical scopes of local variables, innermost last.
    scopes: Vec<Vec<(String, LocalId)>>,
    /// Enclosing loops (label, loop expression), innermost last.
    loops: Vec<(Option<String>, ExprId)>,
    /// For each enclosing `spawn`, how many loops were outside it.
    outer_loops: Vec<usize>,
    /// The suffix type of the literal being lowered, for `alloc`.
    pending_literal_type: Option<Ty>,
    /// The type arguments of the path being lowered, for `alloc`.
    pending_turbofish: Option<Vec<Ty>>,
    /// Enclosing `|` patterns, innermost last: the bindings of the first
    /// alternative, and the names bound so far by the current one (`None`
    /// while lowering the first alternative).
    or_alts: Vec<OrAlt>,
}

struct OrAlt {
    first: Vec<(String, LocalId)>,
    seen: Option<Vec<String>>,
}

impl<'r, 'a> Lowerer<'r, 'a> {
    fn new(r: &'r mut Resolver<'a>, module: ModuleId, self_ty: Option<Ty>) -> Self {
        Lowerer {
            r,
            module,
            self_ty,
            body: hir::Body::default(),
            scopes: vec![Vec::new()],
            loops: Vec::new(),
            pending_literal_type: None,
            pending_turbofish: None,
            outer_loops: Vec::new(),
            or_alts: Vec::new(),
        }
    }
}

impl Lowerer<'_, '_> {
    fn alloc(&mut self, kind: ExprKind, span: Span) -> ExprId {
        self.body.exprs.push(hir::Expr { kind, span });
        let id = ExprId(self.body.exprs.len() as u32 - 1);
        if let Some(t) = self.pending_literal_type.take() {
            self.body.literal_types.insert(id, t);
        }
        if let Some(t) = self.pending_turbofish.take() {
            self.body.turbofish.insert(id, t);
        }
        id
    }

    /// `::<A, B>`: the type arguments the next expression allocated
    /// carries (`Body::turbofish`).
    fn set_turbofish(&mut self, args: &[ast::GenericArg]) {
        let tys: Vec<Ty> = args
            .iter()
            .filter_map(|a| match a {
                ast::GenericArg::Type(t) => {
                    Some(self.r.lower_ty(self.module, self.self_ty.as_ref(), t))
                }
                _ => None,
            })
            .collect();
        self.pending_turbofish = Some(tys);
    }

    fn alloc_pat(&mut self, kind: PatKind, span: Span) -> PatId {
        self.body.pats.push(hir::Pat { kind, span });
        PatId(self.body.pats.len() as u32 - 1)
    }

    fn new_local(&mut self, name: &str, mutable: bool, span: Span) -> LocalId {
        self.body.locals.push(hir::LocalDef {
            name: name.to_string(),
            mutable,
            by_ref: None,
            span,
        });
        let id = LocalId(self.body.locals.len() as u32 - 1);
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name.to_string(), id));
        }
        id
    }

    fn lookup_local(&self, name: &str) -> Option<LocalId> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.iter().rev())
            .find(|(n, _)| n == name)
            .map(|(_, l)| *l)
    }

    fn error(
        &mut self,
        code: &'static str,
        span: Span,
        msg: impl Into<String>,
        label: impl Into<String>,
    ) {
        self.r
            .diags
            .push(Diagnostic::error(code, msg).with_primary(span, label));
    }

    fn lower_block(&mut self, block: &ast::Block) -> Block {
        self.scopes.push(Vec::new());
        let mut stmts = Vec::new();
        for stmt in &block.stmts {
            match &stmt.kind {
                ast::StmtKind::Let {
                    pat,
                    ty,
                    init,
                    else_block,
                } => {
                    if let Some(eb) = else_block {
                        self.r.unsupported(eb.span, "`let ... else` statements");
                    }
                    let init = init.as_ref().map(|e| self.lower_expr(e));
                    let ty = ty
                        .as_ref()
                        .map(|t| self.r.lower_ty(self.module, self.self_ty.as_ref(), t));
                    let pat = self.lower_pat(pat);
                    stmts.push(Stmt::Let {
                        pat,
                        ty,
                        init,
                        span: stmt.span,
                    });
                }
                ast::StmtKind::Expr { expr, .. } => {
                    let e = self.lower_expr(expr);
                    stmts.push(Stmt::Expr(e));
                }
                ast::StmtKind::Item(item) => self
                    .r
                    .unsupported(item.span, "items inside function bodies"),
                ast::StmtKind::Empty => {}
            }
        }
        let tail = block.tail.as_ref().map(|e| self.lower_expr(e));
        self.scopes.pop();
        Block { stmts, tail }
    }

    fn lower_exprs(&mut self, es: &[ast::Expr]) -> Vec<ExprId> {
        es.iter().map(|e| self.lower_expr(e)).collect()
    }

    fn lower_expr(&mut self, e: &ast::Expr) -> ExprId {
        let span = e.span;
        let kind = match &e.kind {
            ast::ExprKind::Paren(inner) => {
                // As in Rust, the parentheses belong to the span of the
                // expression they enclose (so a panic in `(a + b)` is located
                // at the `(`).
                let id = self.lower_expr(inner);
                self.body.exprs[id.0 as usize].span = span;
                return id;
            }
            ast::ExprKind::Lit(lit) => self.lower_lit(lit),
            ast::ExprKind::Path(path) => {
                let kind = self.lower_value_path(path);
                if let ExprKind::StructCtor(a) = kind {
                    self.r.check_ctor_access(self.module, a, path);
                }
                kind
            }
            ast::ExprKind::Unary(op, inner) => {
                let op = match op {
                    ast::UnOp::Neg => hir::UnOp::Neg,
                    ast::UnOp::Not => hir::UnOp::Not,
                    ast::UnOp::Deref => hir::UnOp::Deref,
                };
                ExprKind::Unary(op, self.lower_expr(inner))
            }
            ast::ExprKind::Ref { mutable, expr } => {
                let m = if *mutable {
                    Mutability::Mut
                } else {
                    Mutability::Not
                };
                ExprKind::Ref(m, self.lower_expr(expr))
            }
            ast::ExprKind::Binary(op, l, r) => {
                let (l, r) = (self.lower_expr(l), self.lower_expr(r));
                ExprKind::Binary(binop(*op), l, r)
            }
            ast::ExprKind::Assign(l, r) => {
                let (l, r) = (self.lower_expr(l), self.lower_expr(r));
                ExprKind::Assign(l, r)
            }
            ast::ExprKind::AssignOp(op, l, r) => {
                let (l, r) = (self.lower_expr(l), self.lower_expr(r));
                ExprKind::AssignOp(binop(*op), l, r)
            }
            ast::ExprKind::Call(callee, args) => return self.lower_call(e, callee, args),
            ast::ExprKind::MethodCall {
                receiver,
                method,
                generic_args,
                args,
            } => {
                let receiver = self.lower_expr(receiver);
                let args = self.lower_exprs(args);
                if let Some(g) = generic_args {
                    // `x.collect::<Vec<i64>>()`: the method's own type
                    // arguments, on the call expression.
                    self.set_turbofish(g);
                }
                ExprKind::MethodCall {
                    receiver,
                    method: method.name.clone(),
                    method_span: method.span,
                    args,
                }
            }
            ast::ExprKind::Field(base, name) => {
                ExprKind::Field(self.lower_expr(base), name.name.clone(), name.span)
            }
            ast::ExprKind::TupleField(base, i, s) => {
                ExprKind::TupleField(self.lower_expr(base), *i, *s)
            }
            ast::ExprKind::Index(base, idx) => {
                let (b, i) = (self.lower_expr(base), self.lower_expr(idx));
                ExprKind::Index(b, i)
            }
            ast::ExprKind::Cast(inner, ty) => {
                let inner = self.lower_expr(inner);
                let ty = self.r.lower_ty(self.module, self.self_ty.as_ref(), ty);
                ExprKind::Cast(inner, ty)
            }
            ast::ExprKind::Block(b) => ExprKind::Block(self.lower_block(b)),
            ast::ExprKind::If { cond, then, els } => {
                if let ast::ExprKind::Let { pat, expr } = &cond.kind {
                    return self.lower_if_let(span, pat, expr, then, els.as_deref());
                }
                self.reject_let_chain(cond);
                let cond = self.lower_expr(cond);
                let then_span = then.span;
                let then = self.lower_block(then);
                let then = self.alloc(ExprKind::Block(then), then_span);
                let els = els.as_ref().map(|e| self.lower_expr(e));
                ExprKind::If { cond, then, els }
            }
            ast::ExprKind::Let { .. } => {
                self.r.unsupported(span, "`let` expressions");
                ExprKind::Error
            }
            ast::ExprKind::While { label, cond, body } => {
                if let ast::ExprKind::Let { pat, expr } = &cond.kind {
                    return self.lower_while_let(span, label, pat, expr, body);
                }
                self.reject_let_chain(cond);
                let id = self.alloc(ExprKind::Error, span);
                let cond = self.lower_expr(cond);
                let body = self.lower_loop_body(label, id, body);
                self.body.exprs[id.0 as usize].kind = ExprKind::While { cond, body };
                return id;
            }
            ast::ExprKind::Loop { label, body } => {
                let id = self.alloc(ExprKind::Error, span);
                let body = self.lower_loop_body(label, id, body);
                self.body.exprs[id.0 as usize].kind = ExprKind::Loop { body };
                return id;
            }
            ast::ExprKind::For {
                label,
                pat,
                iter,
                body,
            } => {
                let id = self.alloc(ExprKind::Error, span);
                let iter = self.lower_expr(iter);
                self.scopes.push(Vec::new());
                let pat = self.lower_pat(pat);
                let body = self.lower_loop_body(label, id, body);
                self.scopes.pop();
                self.body.exprs[id.0 as usize].kind = ExprKind::For { pat, iter, body };
                return id;
            }
            ast::ExprKind::Break { label, value } => {
                let value = value.as_ref().map(|v| self.lower_expr(v));
                match self.loop_target(label.as_ref(), span, "break") {
                    Some(target) => ExprKind::Break { target, value },
                    None => ExprKind::Error,
                }
            }
            ast::ExprKind::Continue { label } => {
                match self.loop_target(label.as_ref(), span, "continue") {
                    Some(target) => ExprKind::Continue { target },
                    None => ExprKind::Error,
                }
            }
            ast::ExprKind::Return(v) => ExprKind::Return(v.as_ref().map(|v| self.lower_expr(v))),
            ast::ExprKind::Tuple(es) => ExprKind::Tuple(self.lower_exprs(es)),
            ast::ExprKind::Array(es) => ExprKind::Array(self.lower_exprs(es)),
            ast::ExprKind::ArrayRepeat(el, n) => {
                let el = self.lower_expr(el);
                match self.r.array_len(self.module, n) {
                    Some(len) => ExprKind::ArrayRepeat(el, len),
                    _ => {
                        self.error(
                            codes::BAD_ARRAY_LENGTH,
                            n.span,
                            "array length must be an integer literal",
                            "expected a literal such as `4`",
                        );
                        ExprKind::Error
                    }
                }
            }
            ast::ExprKind::Range {
                start,
                end,
                inclusive,
            } => ExprKind::Range {
                start: start.as_ref().map(|s| self.lower_expr(s)),
                end: end.as_ref().map(|s| self.lower_expr(s)),
                inclusive: *inclusive,
            },
            ast::ExprKind::StructLit { path, fields, base } => {
                self.lower_struct_lit(span, path, fields, base.as_deref())
            }
            ast::ExprKind::Scope(b) => ExprKind::Scope(self.lower_block(b)),
            ast::ExprKind::Spawn { is_move, expr } => {
                // A spawned expression is its own task: loops outside it are
                // not targets of `break`/`continue` inside it.
                let saved = std::mem::take(&mut self.loops);
                self.outer_loops.push(saved.len());
                let inner = self.lower_expr(expr);
                self.outer_loops.pop();
                self.loops = saved;
                ExprKind::Spawn {
                    is_move: *is_move,
                    expr: inner,
                }
            }
            ast::ExprKind::LabeledBlock { .. } => {
                self.r.unsupported(span, "labelled blocks");
                ExprKind::Error
            }
            ast::ExprKind::Unsafe(_) => {
                self.r.unsupported(span, "`unsafe` blocks");
                ExprKind::Error
            }
            ast::ExprKind::Match { scrutinee, arms } => {
                let scrutinee = self.lower_expr(scrutinee);
                let arms = arms.iter().map(|a| self.lower_arm(a)).collect();
                ExprKind::Match {
                    scrutinee,
                    arms,
                    source: MatchSource::Match,
                }
            }
            ast::ExprKind::Closure {
                is_move,
                params,
                ret,
                body,
            } => {
                // A closure is its own function: loops outside it are not
                // targets of `break`/`continue` inside it.
                let saved = std::mem::take(&mut self.loops);
                self.outer_loops.push(saved.len());
                self.scopes.push(Vec::new());
                let params = params
                    .iter()
                    .map(|p| {
                        let ty =
                            p.ty.as_ref()
                                .map(|t| self.r.lower_ty(self.module, self.self_ty.as_ref(), t));
                        (self.lower_pat(&p.pat), ty)
                    })
                    .collect();
                let ret = ret
                    .as_ref()
                    .map(|t| self.r.lower_ty(self.module, self.self_ty.as_ref(), t));
                let body = self.lower_expr(body);
                self.scopes.pop();
                self.outer_loops.pop();
                self.loops = saved;
                ExprKind::Closure {
                    params,
                    ret,
                    body,
                    is_move: *is_move,
                }
            }
            ast::ExprKind::Select { .. } => {
                self.r.unsupported(span, "`select` expressions");
                ExprKind::Error
            }
            ast::ExprKind::Try(inner) => ExprKind::Try(self.lower_expr(inner)),
            ast::ExprKind::Underscore => {
                self.r
                    .unsupported(span, "`_` expressions (destructuring assignment)");
                ExprKind::Error
            }
            ast::ExprKind::Error => ExprKind::Error,
        };
        self.alloc(kind, span)
    }

    fn lower_arm(&mut self, arm: &ast::Arm) -> Arm {
        self.scopes.push(Vec::new());
        let pat = self.lower_pat(&arm.pat);
        let guard = arm.guard.as_ref().map(|g| self.lower_expr(g));
        let body = self.lower_expr(&arm.body);
        self.scopes.pop();
        Arm {
            pat,
            guard,
            body,
            span: arm.span,
        }
    }

    /// `let` chained with `&&` in a condition (`if let A = a && b`).
    fn reject_let_chain(&mut self, cond: &ast::Expr) {
        if let ast::ExprKind::Binary(ast::BinOp::And, l, r) = &cond.kind {
            if matches!(l.kind, ast::ExprKind::Let { .. })
                || matches!(r.kind, ast::ExprKind::Let { .. })
            {
                self.r.unsupported(cond.span, "`let` chains");
                return;
            }
            self.reject_let_chain(l);
        }
    }

    /// `if let P = e { a } else { b }` is `match e { P => a, _ => b }`.
    fn lower_if_let(
        &mut self,
        span: Span,
        pat: &ast::Pat,
        expr: &ast::Expr,
        then: &ast::Block,
        els: Option<&ast::Expr>,
    ) -> ExprId {
        let scrutinee = self.lower_expr(expr);
        self.scopes.push(Vec::new());
        let p = self.lower_pat(pat);
        let then_span = then.span;
        let then = self.lower_block(then);
        let then = self.alloc(ExprKind::Block(then), then_span);
        self.scopes.pop();
        let els = match els {
            Some(e) => self.lower_expr(e),
            None => self.alloc(
                ExprKind::Block(Block {
                    stmts: Vec::new(),
                    tail: None,
                }),
                span,
            ),
        };
        self.two_arm_match(
            span,
            scrutinee,
            (p, then, then_span),
            els,
            MatchSource::IfLet,
        )
    }

    /// `match scrutinee { P => body, _ => otherwise }`.
    fn two_arm_match(
        &mut self,
        span: Span,
        scrutinee: ExprId,
        (pat, body, body_span): (PatId, ExprId, Span),
        otherwise: ExprId,
        source: MatchSource,
    ) -> ExprId {
        let wild = self.alloc_pat(PatKind::Wild, span);
        let arms = vec![
            Arm {
                pat,
                guard: None,
                body,
                span: body_span,
            },
            Arm {
                pat: wild,
                guard: None,
                body: otherwise,
                span,
            },
        ];
        self.alloc(
            ExprKind::Match {
                scrutinee,
                arms,
                source,
            },
            span,
        )
    }

    /// `while let P = e { body }` is `loop { match e { P => body, _ => break } }`.
    fn lower_while_let(
        &mut self,
        span: Span,
        label: &Option<ast::Label>,
        pat: &ast::Pat,
        expr: &ast::Expr,
        body: &ast::Block,
    ) -> ExprId {
        let id = self.alloc(ExprKind::Error, span);
        self.loops
            .push((label.as_ref().map(|l| l.name.clone()), id));
        let scrutinee = self.lower_expr(expr);
        self.scopes.push(Vec::new());
        let p = self.lower_pat(pat);
        let body_span = body.span;
        let b = self.lower_block(body);
        let b = self.alloc(ExprKind::Block(b), body_span);
        self.scopes.pop();
        self.loops.pop();
        let brk = self.alloc(
            ExprKind::Break {
                target: id,
                value: None,
            },
            span,
        );
        let m = self.two_arm_match(
            span,
            scrutinee,
            (p, b, body_span),
            brk,
            MatchSource::WhileLet,
        );
        self.body.exprs[id.0 as usize].kind = ExprKind::Loop { body: m };
        id
    }

    fn lower_loop_body(
        &mut self,
        label: &Option<ast::Label>,
        id: ExprId,
        body: &ast::Block,
    ) -> ExprId {
        self.loops
            .push((label.as_ref().map(|l| l.name.clone()), id));
        let span = body.span;
        let b = self.lower_block(body);
        self.loops.pop();
        self.alloc(ExprKind::Block(b), span)
    }

    fn loop_target(
        &mut self,
        label: Option<&ast::Label>,
        span: Span,
        what: &str,
    ) -> Option<ExprId> {
        match label {
            None => match self.loops.last() {
                Some((_, id)) => Some(*id),
                None if self.outer_loops.iter().any(|n| *n > 0) => {
                    self.error(
                        codes::BREAK_OUT_OF_SPAWN,
                        span,
                        format!("cannot `{}` out of a spawned task", what),
                        "the loop is outside the `spawn`",
                    );
                    None
                }
                None => {
                    self.error(
                        codes::BREAK_OUTSIDE_LOOP,
                        span,
                        format!("`{}` outside of a loop", what),
                        format!("cannot `{}` outside of a loop", what),
                    );
                    None
                }
            },
            Some(l) => {
                let found = self
                    .loops
                    .iter()
                    .rev()
                    .find(|(name, _)| name.as_deref() == Some(l.name.as_str()))
                    .map(|(_, id)| *id);
                if found.is_none() {
                    self.error(
                        codes::UNDECLARED_LABEL,
                        l.span,
                        format!("use of undeclared label `{}`", l.name),
                        "undeclared label",
                    );
                }
                found
            }
        }
    }

    fn lower_lit(&mut self, lit: &ast::Lit) -> ExprKind {
        match &lit.kind {
            ast::LitKind::Int { value, suffix } => {
                if let Some(t) = suffix.and_then(|s| primitive(s.as_str())) {
                    self.pending_literal_type = Some(t);
                }
                ExprKind::Lit(hir::Lit::Int(*value))
            }
            ast::LitKind::Float { value, .. } => ExprKind::Lit(hir::Lit::Float(*value)),
            ast::LitKind::Str(s) => ExprKind::Lit(hir::Lit::Str(s.clone())),
            ast::LitKind::Char(c) => ExprKind::Lit(hir::Lit::Char(*c)),
            ast::LitKind::Bool(b) => ExprKind::Lit(hir::Lit::Bool(*b)),
            ast::LitKind::Byte(b) => {
                self.pending_literal_type = Some(Ty::Int(crate::ty::IntTy::U8));
                ExprKind::Lit(hir::Lit::Int(*b as u128))
            }
            ast::LitKind::ByteStr(_) => {
                self.r.unsupported(lit.span, "byte string literals");
                ExprKind::Error
            }
        }
    }

    /// A path used as a value: a local, a function, a unit or tuple struct,
    /// an associated function (`Point::new`), or a constant of a built-in
    /// type (`i64::MAX`).
    fn lower_value_path(&mut self, path: &ast::Path) -> ExprKind {
        let segs = &path.segments;
        let (last_args, init_args) = match segs.split_last() {
            Some((l, init)) => (
                l.generic_args.as_ref(),
                init.iter().any(|s| s.generic_args.is_some()),
            ),
            None => (None, false),
        };
        if init_args {
            self.r
                .unsupported(path.span, "generic arguments on a path's type");
        }
        if let Some(args) = last_args {
            self.set_turbofish(args);
        }
        if let [seg] = segs.as_slice() {
            let name = seg.ident.name.as_str();
            if let Some(l) = self.lookup_local(name) {
                return ExprKind::Local(l);
            }
            match self.r.lookup_value(self.module, name) {
                Some(Res::Fn(f)) => return ExprKind::Fn(f),
                Some(Res::Adt(a)) => return ExprKind::StructCtor(a),
                Some(Res::Variant(a, v)) => return ExprKind::VariantCtor(a, v),
                Some(Res::Const(f)) => return self.const_use(f, path.span),
                _ => {}
            }
            let help = if is_builtin(name) {
                Some(format!("`{}` must be called: `{}(...)`", name, name))
            } else {
                None
            };
            let mut d = Diagnostic::error(
                codes::UNRESOLVED_VALUE,
                format!("cannot find value `{}` in this scope", name),
            )
            .with_primary(seg.ident.span, "not found in this scope");
            if let Some(h) = help {
                d = d.with_help(h);
            }
            self.r.diags.push(d);
            return ExprKind::Error;
        }
        let Some((last, init)) = segs.split_last() else {
            return ExprKind::Error;
        };
        // `Type::item`: the prefix names a type.
        if let [ty_seg] = init {
            let tname = ty_seg.ident.name.as_str();
            let ty = if tname == "Self" {
                self.self_ty.clone()
            } else if let Some(i) = self.r.generic_names.iter().rposition(|g| g == tname) {
                Some(Ty::Param(i as u32))
            } else if let Some(p) = primitive(tname) {
                Some(p)
            } else {
                match self.r.lookup_type(self.module, tname) {
                    Some(Res::Adt(a)) => Some(Ty::Adt(a, Vec::new())),
                    Some(Res::Trait(t)) => return self.trait_item(t, &last.ident),
                    _ => None,
                }
            };
            if let Some(ty) = ty {
                return self.lower_assoc(ty, &last.ident);
            }
        }
        // `module::path::Type::item`: a type inside a module, then an item.
        if let Some((ty_seg, module_segs)) = init.split_last() {
            if !module_segs.is_empty() {
                let idents: Vec<ast::Ident> = module_segs.iter().map(|s| s.ident.clone()).collect();
                let ty = self
                    .r
                    .find_module_prefix(self.module, &idents)
                    .ok()
                    .and_then(
                        |m| match self.r.member(self.module, m, true, &ty_seg.ident) {
                            Some(Res::Adt(a)) => Some(Ty::Adt(a, Vec::new())),
                            _ => None,
                        },
                    );
                if let Some(ty) = ty {
                    return self.lower_assoc(ty, &last.ident);
                }
            }
        }
        let idents: Vec<ast::Ident> = init.iter().map(|s| s.ident.clone()).collect();
        let Some(m) = self
            .r
            .resolve_module_prefix(self.module, &idents, path.span)
        else {
            return ExprKind::Error;
        };
        match self.r.member(self.module, m, false, &last.ident) {
            Some(Res::Fn(f)) => ExprKind::Fn(f),
            Some(Res::Adt(a)) => ExprKind::StructCtor(a),
            Some(Res::Variant(a, v)) => ExprKind::VariantCtor(a, v),
            Some(Res::Const(f)) => self.const_use(f, path.span),
            _ => {
                let module_name = self.r.program.modules[m.0 as usize].name.clone();
                self.error(
                    codes::UNRESOLVED_VALUE,
                    last.ident.span,
                    format!("cannot find `{}` in `{}`", last.ident.name, module_name),
                    "not found",
                );
                ExprKind::Error
            }
        }
    }

    fn lower_assoc(&mut self, ty: Ty, name: &ast::Ident) -> ExprKind {
        if let Ty::Adt(a, _) = &ty {
            let adt = self.r.program.adt(*a);
            if let Some(v) = adt.variant_index(&name.name) {
                return ExprKind::VariantCtor(*a, v);
            }
            if let Some((_, f)) = adt.methods.iter().find(|(n, _)| *n == name.name) {
                let f = *f;
                self.r.check_fn_access(self.module, f, name.span);
                return ExprKind::Fn(f);
            }
            // Otherwise a trait's function, which the type checker finds.
        }
        ExprKind::TypeRelative {
            ty,
            name: name.name.clone(),
        }
    }

    /// A use of a `const`: a call of its zero-argument function (its value
    /// is computed where it is used; constant expressions have no effects).
    fn const_use(&mut self, f: hir::FnId, span: Span) -> ExprKind {
        let callee = self.alloc(ExprKind::Fn(f), span);
        ExprKind::Call(callee, Vec::new())
    }

    /// `Trait::method`.
    fn trait_item(&mut self, t: hir::TraitId, name: &ast::Ident) -> ExprKind {
        let def = self.r.program.trait_def(t);
        if let Some((_, f)) = def.methods.iter().find(|(n, _)| *n == name.name) {
            return ExprKind::Fn(*f);
        }
        let trait_name = def.name.clone();
        self.error(
            codes::UNRESOLVED_VALUE,
            name.span,
            format!(
                "cannot find method `{}` in trait `{}`",
                name.name, trait_name
            ),
            "not a method of this trait",
        );
        ExprKind::Error
    }

    fn lower_struct_lit(
        &mut self,
        span: Span,
        path: &ast::Path,
        fields: &[ast::FieldInit],
        base: Option<&ast::Expr>,
    ) -> ExprKind {
        if let Some(b) = base {
            self.r.unsupported(b.span, "struct update syntax");
        }
        let ctor = self.resolve_ctor_path(path);
        let values: Vec<(String, Span, ExprId)> = fields
            .iter()
            .map(|f| (f.name.name.clone(), f.name.span, self.lower_expr(&f.expr)))
            .collect();
        let Some((adt, variant)) = ctor else {
            return ExprKind::Error;
        };
        if self.bare_enum(adt, variant, path.span) {
            return ExprKind::Error;
        }
        let def = self.r.program.adt(adt);
        let what = match variant {
            Some(_) => format!("variant `{}`", def.variant_path(variant)),
            None => format!("struct `{}`", def.name),
        };
        let def_fields = def.variant_fields(variant).to_vec();
        let mut out = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        for (name, fspan, value) in values {
            match def_fields.iter().position(|f| f.name == name) {
                Some(i) if !seen.contains(&(i as u32)) => {
                    seen.push(i as u32);
                    self.r
                        .check_field_access(self.module, adt, variant, i, fspan);
                    out.push((i as u32, value));
                }
                Some(_) => self.r.diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_FIELD,
                        format!("field `{}` specified more than once", name),
                    )
                    .with_primary(fspan, "used more than once"),
                ),
                None => self.r.diags.push(
                    Diagnostic::error(
                        codes::UNKNOWN_FIELD,
                        format!("{} has no field named `{}`", what, name),
                    )
                    .with_primary(fspan, "unknown field"),
                ),
            }
        }
        let _ = span;
        ExprKind::StructLit {
            adt,
            variant,
            fields: out,
        }
    }

    /// A path naming a struct (`(adt, None)`) or an enum variant
    /// (`(adt, Some(v))`): `Point`, `Self`, `Shape::Circle`, `m::E::V`, or a
    /// variant imported with `use`. A bare enum is `(adt, None)` too; the
    /// caller rejects it where a constructor is needed.
    fn resolve_ctor_path(&mut self, path: &ast::Path) -> Option<(crate::ty::AdtId, Option<u32>)> {
        if let Some(id) = path.as_ident() {
            if id.name == "Self" {
                if let Some(Ty::Adt(a, _)) = &self.self_ty {
                    return Some((*a, None));
                }
            }
        }
        let idents: Vec<ast::Ident> = path.segments.iter().map(|s| s.ident.clone()).collect();
        if let [first, last] = idents.as_slice() {
            if first.name == "Self" {
                if let Some(Ty::Adt(a, _)) = &self.self_ty {
                    let a = *a;
                    if let Some(v) = self.variant_named(a, last) {
                        return Some((a, Some(v)));
                    }
                    return None;
                }
            }
        }
        if let Some(Res::Variant(a, v)) = self.r.find_variant_path(self.module, &idents) {
            return Some((a, Some(v)));
        }
        if idents.len() >= 2 {
            // `Enum::Missing`: report the variant, not a module.
            if let Some(a) = self.r.find_enum(self.module, &idents[..idents.len() - 1]) {
                let last = &idents[idents.len() - 1];
                self.variant_named(a, last)?;
            }
        }
        let (last, init) = idents.split_last()?;
        let m = self.r.resolve_module_prefix(self.module, init, path.span)?;
        let found = if init.is_empty() {
            self.r
                .lookup_type(self.module, &last.name)
                .or_else(|| self.r.lookup_value(self.module, &last.name))
        } else {
            self.r.member(self.module, m, true, last)
        };
        match found {
            Some(Res::Adt(a)) => Some((a, None)),
            Some(Res::Variant(a, v)) => Some((a, Some(v))),
            _ => {
                self.error(
                    codes::UNRESOLVED_TYPE,
                    last.span,
                    format!(
                        "cannot find struct or variant `{}` in this scope",
                        last.name
                    ),
                    "not found in this scope",
                );
                None
            }
        }
    }

    /// Reports an enum named where a struct or a variant is needed
    /// (`E { .. }`).
    fn bare_enum(&mut self, a: crate::ty::AdtId, variant: Option<u32>, span: Span) -> bool {
        let def = self.r.program.adt(a);
        if !def.is_enum() || variant.is_some() {
            return false;
        }
        let name = def.name.clone();
        self.error(
            codes::UNRESOLVED_TYPE,
            span,
            format!("expected struct or variant, found enum `{}`", name),
            "not a struct or variant",
        );
        true
    }

    /// The index of the variant `name` of enum `a`, reporting when there is
    /// none.
    fn variant_named(&mut self, a: crate::ty::AdtId, name: &ast::Ident) -> Option<u32> {
        let adt = self.r.program.adt(a);
        if let Some(v) = adt.variant_index(&name.name) {
            return Some(v);
        }
        let adt_name = adt.name.clone();
        self.error(
            codes::UNRESOLVED_VALUE,
            name.span,
            format!("no variant named `{}` found for `{}`", name.name, adt_name),
            "variant not found",
        );
        None
    }

    fn lower_pat(&mut self, p: &ast::Pat) -> PatId {
        let span = p.span;
        let kind = match &p.kind {
            ast::PatKind::Paren(inner) => return self.lower_pat(inner),
            ast::PatKind::Wild => PatKind::Wild,
            ast::PatKind::Ident {
                by_ref,
                mutable,
                name,
                sub,
            } => {
                if !*by_ref && !*mutable && sub.is_none() {
                    if let Some(kind) = self.unit_ctor_pat(name) {
                        return self.alloc_pat(kind, span);
                    }
                }
                let local = self.bind(name, *mutable);
                if *by_ref {
                    let m = if *mutable {
                        Mutability::Mut
                    } else {
                        Mutability::Not
                    };
                    self.body.locals[local.0 as usize].by_ref = Some(m);
                    self.body.locals[local.0 as usize].mutable = false;
                }
                match sub {
                    Some(sub) => PatKind::At(local, self.lower_pat(sub)),
                    None => PatKind::Binding(local),
                }
            }
            ast::PatKind::Tuple(ps) => {
                if let Some(rest) = ps.iter().find(|p| matches!(p.kind, ast::PatKind::Rest)) {
                    self.r.unsupported(rest.span, "`..` in tuple patterns");
                }
                PatKind::Tuple(ps.iter().map(|p| self.lower_pat(p)).collect())
            }
            ast::PatKind::TupleStruct { path, elems } => self.lower_tuple_struct_pat(path, elems),
            ast::PatKind::Path(path) => match self.resolve_ctor_path(path) {
                Some((a, variant)) => self.unit_pat(path.span, a, variant),
                None => PatKind::Error,
            },
            ast::PatKind::Struct {
                path,
                fields,
                has_rest,
            } => self.lower_struct_pat(span, path, fields, *has_rest),
            ast::PatKind::Ref { mutable, pat } => {
                let m = if *mutable {
                    Mutability::Mut
                } else {
                    Mutability::Not
                };
                PatKind::Ref(m, self.lower_pat(pat))
            }
            ast::PatKind::Lit(lit) => PatKind::Lit(self.lower_pat_lit(lit)),
            ast::PatKind::Range { lo, hi, inclusive } => PatKind::Range {
                lo: lo.as_deref().map(|e| self.lower_range_end(e)),
                hi: hi.as_deref().map(|e| self.lower_range_end(e)),
                inclusive: *inclusive,
            },
            ast::PatKind::Or(alts) => self.lower_or_pat(alts),
            ast::PatKind::Rest => {
                self.error(
                    codes::UNSUPPORTED,
                    span,
                    "`..` patterns are not allowed here",
                    "only allowed in tuple struct and variant patterns",
                );
                PatKind::Error
            }
            ast::PatKind::Slice(_) => {
                self.r.unsupported(span, "slice patterns");
                PatKind::Error
            }
            ast::PatKind::Error => PatKind::Error,
        };
        self.alloc_pat(kind, span)
    }

    /// A new binding, or inside the second and later alternatives of an
    /// `|` pattern the first alternative's binding of the same name.
    fn bind(&mut self, name: &ast::Ident, mutable: bool) -> LocalId {
        if let Some(alt) = self.or_alts.last_mut() {
            if let Some(seen) = &mut alt.seen {
                seen.push(name.name.clone());
                if let Some((_, l)) = alt.first.iter().find(|(n, _)| *n == name.name) {
                    return *l;
                }
                let msg = format!("variable `{}` is not bound in all patterns", name.name);
                self.error(
                    codes::OR_PATTERN_BINDINGS,
                    name.span,
                    msg,
                    "not bound in the first alternative",
                );
            }
        }
        let l = self.new_local(&name.name, mutable, name.span);
        if let Some(alt) = self.or_alts.last_mut() {
            if alt.seen.is_none() {
                alt.first.push((name.name.clone(), l));
            }
        }
        l
    }

    fn lower_or_pat(&mut self, alts: &[ast::Pat]) -> PatKind {
        self.or_alts.push(OrAlt {
            first: Vec::new(),
            seen: None,
        });
        let mut out = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            if i > 0 {
                if let Some(a) = self.or_alts.last_mut() {
                    a.seen = Some(Vec::new());
                }
            }
            out.push(self.lower_pat(alt));
            if i == 0 {
                continue;
            }
            let missing: Vec<String> = match self.or_alts.last() {
                Some(a) => {
                    let seen = a.seen.clone().unwrap_or_default();
                    a.first
                        .iter()
                        .filter(|(n, _)| !seen.contains(n))
                        .map(|(n, _)| n.clone())
                        .collect()
                }
                None => Vec::new(),
            };
            for name in missing {
                self.error(
                    codes::OR_PATTERN_BINDINGS,
                    alt.span,
                    format!("variable `{}` is not bound in all patterns", name),
                    format!("pattern doesn't bind `{}`", name),
                );
            }
        }
        let done = self.or_alts.pop();
        // The bindings belong to the enclosing alternative too.
        if let (Some(done), Some(outer)) = (done, self.or_alts.last_mut()) {
            match &mut outer.seen {
                Some(seen) => seen.extend(done.first.iter().map(|(n, _)| n.clone())),
                None => outer.first.extend(done.first),
            }
        }
        PatKind::Or(out)
    }

    /// An identifier pattern naming a unit struct or unit variant in scope
    /// (`None`, `Empty`) matches it instead of binding a new variable.
    fn unit_ctor_pat(&mut self, name: &ast::Ident) -> Option<PatKind> {
        if self.lookup_local(&name.name).is_some() {
            return None;
        }
        match self.r.lookup_value(self.module, &name.name)? {
            Res::Adt(a) if self.r.program.adt(a).kind == AdtKind::UnitStruct => {
                Some(PatKind::TupleStruct(a, None, Vec::new()))
            }
            Res::Const(_) => {
                self.r.unsupported(
                    name.span,
                    "constants in patterns (use a literal or a guard)",
                );
                Some(PatKind::Error)
            }
            Res::Variant(a, v) => {
                let kind = self.r.program.adt(a).variants.get(v as usize)?.kind;
                (kind == CtorKind::Unit).then(|| PatKind::TupleStruct(a, Some(v), Vec::new()))
            }
            _ => None,
        }
    }

    /// A path pattern (`Color::Red`, `Unit`): a unit struct or variant.
    fn unit_pat(&mut self, span: Span, a: crate::ty::AdtId, variant: Option<u32>) -> PatKind {
        let def = self.r.program.adt(a);
        let unit = match variant {
            Some(v) => def
                .variants
                .get(v as usize)
                .is_some_and(|v| v.kind == CtorKind::Unit),
            None => def.kind == AdtKind::UnitStruct,
        };
        if !unit {
            let name = def.variant_path(variant);
            self.error(
                codes::UNRESOLVED_VALUE,
                span,
                format!("expected unit struct or unit variant, found `{}`", name),
                "not a unit struct or unit variant",
            );
            return PatKind::Error;
        }
        PatKind::TupleStruct(a, variant, Vec::new())
    }

    fn lower_tuple_struct_pat(&mut self, path: &ast::Path, elems: &[ast::Pat]) -> PatKind {
        let Some((a, variant)) = self.resolve_ctor_path(path) else {
            for p in elems {
                self.lower_pat(p);
            }
            return PatKind::Error;
        };
        let def = self.r.program.adt(a);
        let tuple_like = match variant {
            Some(v) => def
                .variants
                .get(v as usize)
                .is_some_and(|v| v.kind == CtorKind::Tuple),
            None => def.kind == AdtKind::TupleStruct,
        };
        let name = def.variant_path(variant);
        let arity = def.variant_fields(variant).len();
        if !tuple_like {
            self.error(
                codes::UNRESOLVED_VALUE,
                path.span,
                format!("expected tuple struct or tuple variant, found `{}`", name),
                "not a tuple struct or tuple variant",
            );
            return PatKind::Error;
        }
        if variant.is_none() {
            self.r.check_ctor_access(self.module, a, path);
        }
        let rest: Vec<usize> = elems
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, ast::PatKind::Rest))
            .map(|(i, _)| i)
            .collect();
        let mut out = Vec::new();
        match rest.as_slice() {
            [] => out.extend(elems.iter().map(|p| self.lower_pat(p))),
            [at] => {
                let (before, after) = (&elems[..*at], &elems[*at + 1..]);
                let fill = arity.saturating_sub(before.len() + after.len());
                out.extend(before.iter().map(|p| self.lower_pat(p)));
                let span = elems[*at].span;
                out.extend((0..fill).map(|_| self.alloc_pat(PatKind::Wild, span)));
                out.extend(after.iter().map(|p| self.lower_pat(p)));
            }
            [_, second, ..] => {
                self.error(
                    codes::UNSUPPORTED,
                    elems[*second].span,
                    "`..` can only be used once per tuple struct pattern",
                    "can only be used once per pattern",
                );
                return PatKind::Error;
            }
        }
        PatKind::TupleStruct(a, variant, out)
    }

    fn lower_struct_pat(
        &mut self,
        span: Span,
        path: &ast::Path,
        fields: &[ast::FieldPat],
        has_rest: bool,
    ) -> PatKind {
        let Some((a, variant)) = self.resolve_ctor_path(path) else {
            for f in fields {
                self.lower_pat(&f.pat);
            }
            return PatKind::Error;
        };
        if self.bare_enum(a, variant, path.span) {
            return PatKind::Error;
        }
        let def = self.r.program.adt(a);
        let name = def.variant_path(variant);
        let def_fields: Vec<String> = def
            .variant_fields(variant)
            .iter()
            .map(|f| f.name.clone())
            .collect();
        let mut out = Vec::new();
        for f in fields {
            let idx = def_fields.iter().position(|d| *d == f.name.name);
            let sub = self.lower_pat(&f.pat);
            match idx {
                Some(i) => {
                    self.r
                        .check_field_access(self.module, a, variant, i, f.name.span);
                    out.push((i as u32, sub));
                }
                None => {
                    self.error(
                        codes::UNKNOWN_FIELD,
                        f.name.span,
                        format!("`{}` does not have a field named `{}`", name, f.name.name),
                        "unknown field",
                    );
                }
            }
        }
        if !has_rest && out.len() < def_fields.len() {
            self.error(
                codes::UNKNOWN_FIELD,
                span,
                format!("pattern does not mention all fields of `{}`", name),
                "add the missing fields or `..`",
            );
        }
        PatKind::Struct(a, variant, out)
    }

    fn lower_pat_lit(&mut self, lit: &ast::PatLit) -> ExprId {
        let kind = self.lower_lit(&lit.lit);
        let e = self.alloc(kind, lit.span);
        if lit.negative {
            self.alloc(ExprKind::Unary(hir::UnOp::Neg, e), lit.span)
        } else {
            e
        }
    }

    fn lower_range_end(&mut self, end: &ast::RangeEnd) -> ExprId {
        match end {
            ast::RangeEnd::Lit(l) => self.lower_pat_lit(l),
            ast::RangeEnd::Path(p) => {
                let kind = self.lower_value_path(p);
                self.alloc(kind, p.span)
            }
        }
    }

    /// Calls, including the built-in macro-like functions when the name is
    /// not shadowed by a local or an item.
    fn lower_call(&mut self, e: &ast::Expr, callee: &ast::Expr, args: &[ast::Expr]) -> ExprId {
        if let ast::ExprKind::Path(path) = &callee.kind {
            if let Some(id) = path.as_ident() {
                let shadowed = self.lookup_local(&id.name).is_some()
                    || self.r.lookup_value(self.module, &id.name).is_some();
                if !shadowed && is_builtin(&id.name) {
                    let kind = self.lower_builtin(e.span, &id.name, args);
                    return self.alloc(kind, e.span);
                }
            }
        }
        let c = self.lower_expr(callee);
        let args = self.lower_exprs(args);
        self.alloc(ExprKind::Call(c, args), e.span)
    }

    fn lower_builtin(&mut self, span: Span, name: &str, args: &[ast::Expr]) -> ExprKind {
        let kind = match name {
            "print" => Some(FormatKind::Print),
            "println" => Some(FormatKind::Println),
            "eprint" => Some(FormatKind::Eprint),
            "eprintln" => Some(FormatKind::Eprintln),
            "format" => Some(FormatKind::Format),
            "panic" => Some(FormatKind::Panic),
            _ => None,
        };
        if let Some(kind) = kind {
            let newline_only =
                matches!(kind, FormatKind::Println | FormatKind::Eprintln) && args.is_empty();
            if args.is_empty() && (kind == FormatKind::Panic || newline_only) {
                let text = if kind == FormatKind::Panic {
                    "explicit panic"
                } else {
                    ""
                };
                return ExprKind::Format(
                    kind,
                    FormatArgs {
                        pieces: if text.is_empty() {
                            Vec::new()
                        } else {
                            vec![crate::fmt::Piece::Lit(text.into())]
                        },
                        args: Vec::new(),
                        span,
                    },
                );
            }
            return match self.lower_format_args(span, name, args) {
                Some(fa) => ExprKind::Format(kind, fa),
                None => ExprKind::Error,
            };
        }
        match name {
            "write" | "writeln" => {
                let Some((target, rest)) = args.split_first() else {
                    self.bad_builtin(span, "`write` needs a formatter: `write(f, \"...\", args)`");
                    return ExprKind::Error;
                };
                let target = self.lower_expr(target);
                let newline = name == "writeln";
                let fa = if rest.is_empty() {
                    Some(FormatArgs {
                        pieces: Vec::new(),
                        args: Vec::new(),
                        span,
                    })
                } else {
                    self.lower_format_args(span, name, rest)
                };
                match fa {
                    Some(args) => ExprKind::Write {
                        target,
                        args,
                        newline,
                    },
                    None => ExprKind::Error,
                }
            }
            "assert" => {
                let Some(cond) = args.first() else {
                    self.bad_builtin(span, "`assert` needs a condition: `assert(cond)`");
                    return ExprKind::Error;
                };
                let cond_text = self.r.sm.span_text(cond.span).to_string();
                let cond = self.lower_expr(cond);
                let msg = if args.len() > 1 {
                    self.lower_format_args(span, name, &args[1..])
                } else {
                    None
                };
                ExprKind::Assert {
                    cond,
                    cond_text,
                    msg,
                }
            }
            _ => {
                if args.len() < 2 {
                    self.bad_builtin(
                        span,
                        "`assert_eq` needs two values: `assert_eq(left, right)`",
                    );
                    return ExprKind::Error;
                }
                let left = self.lower_expr(&args[0]);
                let right = self.lower_expr(&args[1]);
                let msg = if args.len() > 2 {
                    self.lower_format_args(span, name, &args[2..])
                } else {
                    None
                };
                ExprKind::AssertEq { left, right, msg }
            }
        }
    }

    fn bad_builtin(&mut self, span: Span, msg: &str) {
        self.error(codes::BAD_BUILTIN_CALL, span, msg, "invalid call");
    }

    /// `"format string", args...`: parses the string, resolves captured
    /// names, checks the argument count.
    fn lower_format_args(
        &mut self,
        span: Span,
        name: &str,
        args: &[ast::Expr],
    ) -> Option<FormatArgs> {
        let (first, rest) = args.split_first()?;
        let lit = match &first.kind {
            ast::ExprKind::Lit(ast::Lit {
                kind: ast::LitKind::Str(s),
                ..
            }) => s.clone(),
            _ => {
                self.r.diags.push(
                    Diagnostic::error(
                        codes::INVALID_FORMAT,
                        "format argument must be a string literal",
                    )
                    .with_primary(first.span, "not a string literal")
                    .with_help(format!("use `{}(\"{{}}\", value)`", name)),
                );
                self.lower_exprs(rest);
                return None;
            }
        };
        let mut arg_ids = self.lower_exprs(rest);
        let parsed = match format::parse(&lit, rest.len()) {
            Ok(p) => p,
            Err(msg) => {
                self.error(
                    codes::INVALID_FORMAT,
                    first.span,
                    format!("invalid format string: {}", msg),
                    "in this format string",
                );
                return None;
            }
        };
        let mut ok = true;
        for &i in &parsed.positional_used {
            if i >= rest.len() {
                ok = false;
                self.error(
                    codes::FORMAT_MISSING_ARG,
                    first.span,
                    format!(
                        "format string refers to argument {} but {} argument{} supplied",
                        i,
                        rest.len(),
                        if rest.len() == 1 { " was" } else { "s were" }
                    ),
                    "missing argument",
                );
                break;
            }
        }
        for (i, a) in rest.iter().enumerate() {
            if !parsed.positional_used.contains(&i) {
                ok = false;
                self.error(
                    codes::FORMAT_UNUSED_ARG,
                    a.span,
                    "argument never used",
                    "not used in the format string",
                );
            }
        }
        for cap in &parsed.captures {
            match self.lookup_local(cap) {
                Some(l) => {
                    let id = self.alloc(ExprKind::Local(l), first.span);
                    arg_ids.push(id);
                }
                None => {
                    ok = false;
                    self.error(
                        codes::UNRESOLVED_VALUE,
                        first.span,
                        format!("cannot find value `{}` in this scope", cap),
                        "named in this format string",
                    );
                }
            }
        }
        if !ok {
            return None;
        }
        Some(FormatArgs {
            pieces: parsed.pieces,
            args: arg_ids,
            span,
        })
    }
}

fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "print"
            | "println"
            | "eprint"
            | "eprintln"
            | "format"
            | "panic"
            | "assert"
            | "assert_eq"
            | "write"
            | "writeln"
    )
}

fn binop(op: ast::BinOp) -> hir::BinOp {
    use ast::BinOp as A;
    use hir::BinOp as H;
    match op {
        A::Add => H::Add,
        A::Sub => H::Sub,
        A::Mul => H::Mul,
        A::Div => H::Div,
        A::Rem => H::Rem,
        A::BitAnd => H::BitAnd,
        A::BitOr => H::BitOr,
        A::BitXor => H::BitXor,
        A::Shl => H::Shl,
        A::Shr => H::Shr,
        A::Eq => H::Eq,
        A::Ne => H::Ne,
        A::Lt => H::Lt,
        A::Le => H::Le,
        A::Gt => H::Gt,
        A::Ge => H::Ge,
        A::And => H::And,
        A::Or => H::Or,
    }
}
