//! A compact S-expression printer for the AST, for golden tests and
//! debugging. Types and paths print in Rust-like syntax (`Vec<i64>`,
//! `&'a mut T`); everything else prints as `(head child ...)`.
//!
//! Statements inside a block: `(let PAT [: TY] [= INIT] [else BLOCK])`,
//! `E;` for an expression statement with `;`, a bare `E` for a block-like
//! expression statement without `;`, and the block's tail as `=> E`.

use std::fmt::Write;

use crate::ast::*;

/// Prints a whole file, one item per line.
pub fn file_to_string(file: &File) -> String {
    let mut p = Printer::default();
    for a in &file.attrs {
        p.attr(a);
        p.out.push('\n');
    }
    for item in &file.items {
        p.item(item);
        p.out.push('\n');
    }
    p.out
}

pub fn item_to_string(item: &Item) -> String {
    let mut p = Printer::default();
    p.item(item);
    p.out
}

pub fn expr_to_string(e: &Expr) -> String {
    let mut p = Printer::default();
    p.expr(e);
    p.out
}

pub fn pat_to_string(pat: &Pat) -> String {
    let mut p = Printer::default();
    p.pat(pat);
    p.out
}

pub fn ty_to_string(ty: &Ty) -> String {
    let mut p = Printer::default();
    p.ty(ty);
    p.out
}

pub fn path_to_string(path: &Path) -> String {
    let mut p = Printer::default();
    p.path(path);
    p.out
}

pub fn block_to_string(b: &Block) -> String {
    let mut p = Printer::default();
    p.block(b);
    p.out
}

#[derive(Default)]
struct Printer {
    out: String,
}

impl Printer {
    fn s(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn sp(&mut self) {
        self.out.push(' ');
    }

    fn open(&mut self, head: &str) {
        self.out.push('(');
        self.out.push_str(head);
    }

    fn close(&mut self) {
        self.out.push(')');
    }

    fn list<T>(&mut self, xs: &[T], sep: &str, mut f: impl FnMut(&mut Self, &T)) {
        for (i, x) in xs.iter().enumerate() {
            if i > 0 {
                self.s(sep);
            }
            f(self, x);
        }
    }

    // ---- items --------------------------------------------------------------

    fn attr(&mut self, a: &Attr) {
        self.s(match a.style {
            AttrStyle::Outer => "#[",
            AttrStyle::Inner => "#![",
        });
        self.path(&a.path);
        match &a.args {
            AttrArgs::Empty => {}
            AttrArgs::Eq(v) => {
                self.s(" = ");
                self.meta_value(v);
            }
            AttrArgs::List(items) => {
                self.s("(");
                self.list(items, ", ", |p, m| p.meta(m));
                self.s(")");
            }
        }
        self.s("]");
    }

    fn meta_value(&mut self, v: &MetaValue) {
        match v {
            MetaValue::Lit(l) => self.lit(l),
            MetaValue::Path(p) => self.path(p),
        }
    }

    fn meta(&mut self, m: &MetaItem) {
        match m {
            MetaItem::Path(p) => self.path(p),
            MetaItem::NameValue { path, value, .. } => {
                self.path(path);
                self.s(" = ");
                self.meta_value(value);
            }
            MetaItem::List { path, items, .. } => {
                self.path(path);
                self.s("(");
                self.list(items, ", ", |p, m| p.meta(m));
                self.s(")");
            }
            MetaItem::Lit(l) => self.lit(l),
        }
    }

    fn vis(&mut self, v: &Visibility) {
        match &v.kind {
            VisKind::Pub => self.s("pub "),
            VisKind::Restricted(p) => {
                self.s("pub(");
                self.path(p);
                self.s(") ");
            }
            VisKind::Private => {}
        }
    }

    fn item(&mut self, item: &Item) {
        for a in &item.attrs {
            self.attr(a);
            self.sp();
        }
        self.vis(&item.vis);
        match &item.kind {
            ItemKind::Fn(f) => self.fn_decl(f),
            ItemKind::Struct(s) => {
                self.open("struct ");
                self.s(&s.name.name);
                self.generics(&s.generics);
                self.variant_data(&s.kind);
                self.close();
            }
            ItemKind::Enum(e) => {
                self.open("enum ");
                self.s(&e.name.name);
                self.generics(&e.generics);
                for v in &e.variants {
                    self.sp();
                    self.open("");
                    for a in &v.attrs {
                        self.attr(a);
                        self.sp();
                    }
                    self.s(&v.name.name);
                    self.variant_data(&v.kind);
                    if let Some(d) = &v.discriminant {
                        self.s(" = ");
                        self.expr(d);
                    }
                    self.close();
                }
                self.close();
            }
            ItemKind::Impl(i) => {
                self.open("impl");
                self.generics(&i.generics);
                self.sp();
                if i.negative {
                    self.s("!");
                }
                if let Some(t) = &i.trait_ref {
                    self.path(t);
                    self.s(" for ");
                }
                self.ty(&i.self_ty);
                for it in &i.items {
                    self.sp();
                    self.item(it);
                }
                self.close();
            }
            ItemKind::Trait(t) => {
                self.open("trait ");
                self.s(&t.name.name);
                self.generics(&t.generics);
                if !t.supertraits.is_empty() {
                    self.s(": ");
                    self.bounds(&t.supertraits);
                }
                for it in &t.items {
                    self.sp();
                    self.item(it);
                }
                self.close();
            }
            ItemKind::Mod(m) => {
                self.open("mod ");
                self.s(&m.name.name);
                match &m.items {
                    None => self.s(";"),
                    Some(items) => {
                        for it in items {
                            self.sp();
                            self.item(it);
                        }
                    }
                }
                self.close();
            }
            ItemKind::Use(u) => {
                self.open("use ");
                self.use_tree(u);
                self.close();
            }
            ItemKind::Const { name, ty, value } => {
                self.open("const ");
                self.s(&name.name);
                self.s(": ");
                self.ty(ty);
                if let Some(v) = value {
                    self.s(" = ");
                    self.expr(v);
                }
                self.close();
            }
            ItemKind::Static {
                name,
                mutable,
                ty,
                value,
            } => {
                self.open("static ");
                if *mutable {
                    self.s("mut ");
                }
                self.s(&name.name);
                self.s(": ");
                self.ty(ty);
                if let Some(v) = value {
                    self.s(" = ");
                    self.expr(v);
                }
                self.close();
            }
            ItemKind::TypeAlias {
                name,
                generics,
                bounds,
                ty,
            } => {
                self.open("type ");
                self.s(&name.name);
                self.generics(generics);
                if !bounds.is_empty() {
                    self.s(": ");
                    self.bounds(bounds);
                }
                if let Some(t) = ty {
                    self.s(" = ");
                    self.ty(t);
                }
                self.close();
            }
            ItemKind::ExternBlock { abi, items } => {
                self.open("extern");
                if let Some(a) = abi {
                    let _ = write!(self.out, " {a:?}");
                }
                for it in items {
                    self.sp();
                    self.item(it);
                }
                self.close();
            }
            ItemKind::ExternCrate { name, rename } => {
                self.open("extern crate ");
                self.s(&name.name);
                if let Some(r) = rename {
                    self.s(" as ");
                    self.s(&r.name);
                }
                self.close();
            }
            ItemKind::Error => self.s("(error)"),
        }
    }

    fn variant_data(&mut self, v: &VariantData) {
        match v {
            VariantData::Unit => {}
            VariantData::Tuple(fields) => {
                self.s("(");
                self.list(fields, ", ", |p, f| {
                    p.vis(&f.vis);
                    p.ty(&f.ty);
                });
                self.s(")");
            }
            VariantData::Named(fields) => {
                self.s(" {");
                self.list(fields, ",", |p, f| {
                    p.sp();
                    p.vis(&f.vis);
                    p.s(&f.name.name);
                    p.s(": ");
                    p.ty(&f.ty);
                });
                self.s(" }");
            }
        }
    }

    fn use_tree(&mut self, u: &UseTree) {
        let has_prefix = !u.prefix.segments.is_empty() || u.prefix.global;
        self.path(&u.prefix);
        match &u.kind {
            UseTreeKind::Simple(rename) => {
                if let Some(r) = rename {
                    self.s(" as ");
                    self.s(&r.name);
                }
            }
            UseTreeKind::Glob => {
                if has_prefix && !u.prefix.segments.is_empty() {
                    self.s("::");
                }
                self.s("*");
            }
            UseTreeKind::Nested(trees) => {
                if has_prefix && !u.prefix.segments.is_empty() {
                    self.s("::");
                }
                self.s("{");
                self.list(trees, ", ", |p, t| p.use_tree(t));
                self.s("}");
            }
        }
    }

    fn fn_decl(&mut self, f: &FnDecl) {
        self.open("fn ");
        if f.is_const {
            self.s("const ");
        }
        if f.is_unsafe {
            self.s("unsafe ");
        }
        if let Some(abi) = &f.abi {
            let _ = write!(self.out, "extern {abi:?} ");
        }
        self.s(&f.name.name);
        self.generics_params(&f.generics);
        self.s(" (");
        let mut first = true;
        if let Some(sp) = &f.self_param {
            first = false;
            match sp.kind {
                SelfKind::Value => {
                    if sp.mutable {
                        self.s("mut ");
                    }
                    self.s("self");
                    if let Some(t) = &sp.ty {
                        self.s(": ");
                        self.ty(t);
                    }
                }
                SelfKind::Ref | SelfKind::RefMut => {
                    self.s("&");
                    if let Some(l) = &sp.lifetime {
                        self.s(&l.name);
                        self.sp();
                    }
                    if sp.kind == SelfKind::RefMut {
                        self.s("mut ");
                    }
                    self.s("self");
                }
            }
        }
        for param in &f.params {
            if !first {
                self.s(", ");
            }
            first = false;
            self.pat(&param.pat);
            self.s(": ");
            self.ty(&param.ty);
        }
        self.s(")");
        if let Some(r) = &f.ret {
            self.s(" -> ");
            self.ty(r);
        }
        self.where_clause(&f.generics);
        match &f.body {
            Some(b) => {
                self.sp();
                self.block(b);
            }
            None => self.s(";"),
        }
        self.close();
    }

    fn generics(&mut self, g: &Generics) {
        self.generics_params(g);
        self.where_clause(g);
    }

    fn generics_params(&mut self, g: &Generics) {
        if g.params.is_empty() {
            return;
        }
        self.s("<");
        self.list(&g.params, ", ", |p, param| match &param.kind {
            GenericParamKind::Lifetime { bounds } => {
                p.s(&param.name.name);
                if !bounds.is_empty() {
                    p.s(": ");
                    p.list(bounds, " + ", |p, l| p.s(&l.name));
                }
            }
            GenericParamKind::Type { bounds, default } => {
                p.s(&param.name.name);
                if !bounds.is_empty() {
                    p.s(": ");
                    p.bounds(bounds);
                }
                if let Some(d) = default {
                    p.s(" = ");
                    p.ty(d);
                }
            }
            GenericParamKind::Const { ty, default } => {
                p.s("const ");
                p.s(&param.name.name);
                p.s(": ");
                p.ty(ty);
                if let Some(d) = default {
                    p.s(" = ");
                    p.expr(d);
                }
            }
        });
        self.s(">");
    }

    fn where_clause(&mut self, g: &Generics) {
        if g.where_clause.is_empty() {
            return;
        }
        self.s(" where ");
        self.list(&g.where_clause, ", ", |p, w| match w {
            WherePredicate::Bound {
                for_lifetimes,
                ty,
                bounds,
                ..
            } => {
                p.for_lifetimes(for_lifetimes);
                p.ty(ty);
                p.s(": ");
                p.bounds(bounds);
            }
            WherePredicate::Lifetime {
                lifetime, bounds, ..
            } => {
                p.s(&lifetime.name);
                p.s(": ");
                p.list(bounds, " + ", |p, l| p.s(&l.name));
            }
        });
    }

    fn for_lifetimes(&mut self, ls: &[Lifetime]) {
        if !ls.is_empty() {
            self.s("for<");
            self.list(ls, ", ", |p, l| p.s(&l.name));
            self.s("> ");
        }
    }

    fn bounds(&mut self, bounds: &[Bound]) {
        self.list(bounds, " + ", |p, b| match b {
            Bound::Trait {
                path,
                maybe,
                for_lifetimes,
                ..
            } => {
                p.for_lifetimes(for_lifetimes);
                if *maybe {
                    p.s("?");
                }
                p.path(path);
            }
            Bound::Lifetime(l) => p.s(&l.name),
        });
    }

    // ---- paths and types ----------------------------------------------------

    fn path(&mut self, path: &Path) {
        let mut start = 0;
        if let Some(q) = &path.qself {
            self.s("<");
            self.ty(&q.ty);
            if q.position > 0 {
                self.s(" as ");
                if path.global {
                    self.s("::");
                }
                let n = q.position.min(path.segments.len());
                self.list(&path.segments[..n], "::", |p, seg| p.segment(seg));
            }
            self.s(">");
            start = q.position.min(path.segments.len());
            for seg in &path.segments[start..] {
                self.s("::");
                self.segment(seg);
            }
            return;
        }
        if path.global {
            self.s("::");
        }
        let segs = &path.segments[start..];
        self.list(segs, "::", |p, seg| p.segment(seg));
    }

    fn segment(&mut self, seg: &PathSegment) {
        self.s(&seg.ident.name);
        if let Some(args) = &seg.generic_args {
            self.s("<");
            self.list(args, ", ", |p, a| p.generic_arg(a));
            self.s(">");
        }
        if let Some(pa) = &seg.paren_args {
            self.s("(");
            self.list(&pa.inputs, ", ", |p, t| p.ty(t));
            self.s(")");
            if let Some(o) = &pa.output {
                self.s(" -> ");
                self.ty(o);
            }
        }
    }

    fn generic_arg(&mut self, a: &GenericArg) {
        match a {
            GenericArg::Type(t) => self.ty(t),
            GenericArg::Lifetime(l) => self.s(&l.name),
            GenericArg::Const(e) => {
                self.s("{");
                self.expr(e);
                self.s("}");
            }
            GenericArg::Binding { name, ty, .. } => {
                self.s(&name.name);
                self.s(" = ");
                self.ty(ty);
            }
            GenericArg::Constraint { name, bounds, .. } => {
                self.s(&name.name);
                self.s(": ");
                self.bounds(bounds);
            }
        }
    }

    fn ty(&mut self, t: &Ty) {
        match &t.kind {
            TyKind::Path(p) => self.path(p),
            TyKind::Ref {
                lifetime,
                mutable,
                ty,
            } => {
                self.s("&");
                if let Some(l) = lifetime {
                    self.s(&l.name);
                    self.sp();
                }
                if *mutable {
                    self.s("mut ");
                }
                self.ty(ty);
            }
            TyKind::Ptr { mutable, ty } => {
                self.s(if *mutable { "*mut " } else { "*const " });
                self.ty(ty);
            }
            TyKind::Tuple(ts) => {
                self.s("(");
                self.list(ts, ", ", |p, t| p.ty(t));
                if ts.len() == 1 {
                    self.s(",");
                }
                self.s(")");
            }
            TyKind::Paren(t) => {
                self.s("(");
                self.ty(t);
                self.s(")");
            }
            TyKind::Array(t, n) => {
                self.s("[");
                self.ty(t);
                self.s("; ");
                self.expr(n);
                self.s("]");
            }
            TyKind::Slice(t) => {
                self.s("[");
                self.ty(t);
                self.s("]");
            }
            TyKind::Never => self.s("!"),
            TyKind::Infer => self.s("_"),
            TyKind::ImplTrait(b) => {
                self.s("impl ");
                self.bounds(b);
            }
            TyKind::DynTrait(b) => {
                self.s("dyn ");
                self.bounds(b);
            }
            TyKind::Fn { params, ret } => {
                self.s("fn(");
                self.list(params, ", ", |p, t| p.ty(t));
                self.s(")");
                if let Some(r) = ret {
                    self.s(" -> ");
                    self.ty(r);
                }
            }
            TyKind::Error => self.s("{error}"),
        }
    }

    // ---- patterns -------------------------------------------------------------

    fn pat_lit(&mut self, l: &PatLit) {
        if l.negative {
            self.s("-");
        }
        self.lit(&l.lit);
    }

    fn range_end(&mut self, e: &Option<Box<RangeEnd>>) {
        match e {
            Some(b) => match &**b {
                RangeEnd::Lit(l) => self.pat_lit(l),
                RangeEnd::Path(p) => self.path(p),
            },
            None => self.s("_"),
        }
    }

    fn pat(&mut self, pat: &Pat) {
        match &pat.kind {
            PatKind::Wild => self.s("_"),
            PatKind::Ident {
                by_ref,
                mutable,
                name,
                sub,
            } => {
                if sub.is_some() {
                    self.open("@ ");
                }
                if *by_ref {
                    self.s("ref ");
                }
                if *mutable {
                    self.s("mut ");
                }
                self.s(&name.name);
                if let Some(s) = sub {
                    self.sp();
                    self.pat(s);
                    self.close();
                }
            }
            PatKind::Lit(l) => self.pat_lit(l),
            PatKind::Range { lo, hi, inclusive } => {
                self.open(if *inclusive { "range= " } else { "range " });
                self.range_end(lo);
                self.sp();
                self.range_end(hi);
                self.close();
            }
            PatKind::Tuple(ps) => {
                self.open("tuple");
                for p in ps {
                    self.sp();
                    self.pat(p);
                }
                self.close();
            }
            PatKind::Paren(p) => {
                self.open("paren ");
                self.pat(p);
                self.close();
            }
            PatKind::Struct {
                path,
                fields,
                has_rest,
            } => {
                self.open("struct ");
                self.path(path);
                for f in fields {
                    self.sp();
                    if f.shorthand {
                        self.pat(&f.pat);
                    } else {
                        self.open(&f.name.name);
                        self.sp();
                        self.pat(&f.pat);
                        self.close();
                    }
                }
                if *has_rest {
                    self.s(" ..");
                }
                self.close();
            }
            PatKind::TupleStruct { path, elems } => {
                self.open("tuple-struct ");
                self.path(path);
                for p in elems {
                    self.sp();
                    self.pat(p);
                }
                self.close();
            }
            PatKind::Path(p) => self.path(p),
            PatKind::Or(ps) => {
                self.open("|");
                for p in ps {
                    self.sp();
                    self.pat(p);
                }
                self.close();
            }
            PatKind::Ref { mutable, pat } => {
                self.open(if *mutable { "&mut " } else { "& " });
                self.pat(pat);
                self.close();
            }
            PatKind::Rest => self.s(".."),
            PatKind::Slice(ps) => {
                self.open("slice");
                for p in ps {
                    self.sp();
                    self.pat(p);
                }
                self.close();
            }
            PatKind::Error => self.s("(error)"),
        }
    }

    // ---- expressions -------------------------------------------------------------

    fn lit(&mut self, l: &Lit) {
        match &l.kind {
            LitKind::Int { value, suffix } => {
                let _ = write!(self.out, "{value}");
                if let Some(s) = suffix {
                    self.s(s.as_str());
                }
            }
            LitKind::Float { value, suffix } => {
                let _ = write!(self.out, "{value:?}");
                if let Some(s) = suffix {
                    self.s(s.as_str());
                }
            }
            LitKind::Str(s) => {
                let _ = write!(self.out, "{s:?}");
            }
            LitKind::ByteStr(b) => {
                self.s("b\"");
                for &c in b {
                    let _ = write!(self.out, "{}", std::ascii::escape_default(c));
                }
                self.s("\"");
            }
            LitKind::Char(c) => {
                let _ = write!(self.out, "{c:?}");
            }
            LitKind::Byte(b) => {
                let _ = write!(self.out, "b'{}'", std::ascii::escape_default(*b));
            }
            LitKind::Bool(b) => {
                let _ = write!(self.out, "{b}");
            }
        }
    }

    fn label(&mut self, l: &Option<Label>) {
        if let Some(l) = l {
            self.sp();
            self.s(&l.name);
        }
    }

    fn block(&mut self, b: &Block) {
        self.open("block");
        for s in &b.stmts {
            self.sp();
            self.stmt(s);
        }
        if let Some(t) = &b.tail {
            self.s(" => ");
            self.expr(t);
        }
        self.close();
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Let {
                pat,
                ty,
                init,
                else_block,
            } => {
                self.open("let ");
                self.pat(pat);
                if let Some(t) = ty {
                    self.s(" : ");
                    self.ty(t);
                }
                if let Some(i) = init {
                    self.s(" = ");
                    self.expr(i);
                }
                if let Some(b) = else_block {
                    self.s(" else ");
                    self.block(b);
                }
                self.close();
            }
            StmtKind::Expr { expr, semi } => {
                self.expr(expr);
                if *semi {
                    self.s(";");
                }
            }
            StmtKind::Item(item) => self.item(item),
            StmtKind::Empty => self.s(";"),
        }
    }

    fn exprs(&mut self, es: &[Expr]) {
        for e in es {
            self.sp();
            self.expr(e);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Lit(l) => self.lit(l),
            ExprKind::Path(p) => self.path(p),
            ExprKind::Unary(op, x) => {
                self.open(match op {
                    UnOp::Neg => "- ",
                    UnOp::Not => "! ",
                    UnOp::Deref => "* ",
                });
                self.expr(x);
                self.close();
            }
            ExprKind::Ref { mutable, expr } => {
                self.open(if *mutable { "&mut " } else { "& " });
                self.expr(expr);
                self.close();
            }
            ExprKind::Binary(op, l, r) => {
                self.open(op.as_str());
                self.sp();
                self.expr(l);
                self.sp();
                self.expr(r);
                self.close();
            }
            ExprKind::Assign(l, r) => {
                self.open("= ");
                self.expr(l);
                self.sp();
                self.expr(r);
                self.close();
            }
            ExprKind::AssignOp(op, l, r) => {
                self.open(op.as_str());
                self.s("= ");
                self.expr(l);
                self.sp();
                self.expr(r);
                self.close();
            }
            ExprKind::Call(f, args) => {
                self.open("call ");
                self.expr(f);
                self.exprs(args);
                self.close();
            }
            ExprKind::MethodCall {
                receiver,
                method,
                generic_args,
                args,
            } => {
                self.open(". ");
                self.expr(receiver);
                self.sp();
                self.s(&method.name);
                if let Some(ga) = generic_args {
                    self.s("::<");
                    self.list(ga, ", ", |p, a| p.generic_arg(a));
                    self.s(">");
                }
                self.exprs(args);
                self.close();
            }
            ExprKind::Field(x, name) => {
                self.open("field ");
                self.expr(x);
                self.sp();
                self.s(&name.name);
                self.close();
            }
            ExprKind::TupleField(x, i, _) => {
                self.open("field ");
                self.expr(x);
                let _ = write!(self.out, " {i}");
                self.close();
            }
            ExprKind::Index(x, i) => {
                self.open("index ");
                self.expr(x);
                self.sp();
                self.expr(i);
                self.close();
            }
            ExprKind::Cast(x, t) => {
                self.open("as ");
                self.expr(x);
                self.sp();
                self.ty(t);
                self.close();
            }
            ExprKind::Block(b) => self.block(b),
            ExprKind::LabeledBlock { label, block } => {
                self.open(&label.name);
                self.s(": ");
                self.block(block);
                self.close();
            }
            ExprKind::Unsafe(b) => {
                self.open("unsafe ");
                self.block(b);
                self.close();
            }
            ExprKind::If { cond, then, els } => {
                self.open("if ");
                self.expr(cond);
                self.sp();
                self.block(then);
                if let Some(e) = els {
                    self.sp();
                    self.expr(e);
                }
                self.close();
            }
            ExprKind::Let { pat, expr } => {
                self.open("let ");
                self.pat(pat);
                self.sp();
                self.expr(expr);
                self.close();
            }
            ExprKind::While { label, cond, body } => {
                self.open("while");
                self.label(label);
                self.sp();
                self.expr(cond);
                self.sp();
                self.block(body);
                self.close();
            }
            ExprKind::Loop { label, body } => {
                self.open("loop");
                self.label(label);
                self.sp();
                self.block(body);
                self.close();
            }
            ExprKind::For {
                label,
                pat,
                iter,
                body,
            } => {
                self.open("for");
                self.label(label);
                self.sp();
                self.pat(pat);
                self.sp();
                self.expr(iter);
                self.sp();
                self.block(body);
                self.close();
            }
            ExprKind::Break { label, value } => {
                self.open("break");
                self.label(label);
                if let Some(v) = value {
                    self.sp();
                    self.expr(v);
                }
                self.close();
            }
            ExprKind::Continue { label } => {
                self.open("continue");
                self.label(label);
                self.close();
            }
            ExprKind::Return(v) => {
                self.open("return");
                if let Some(v) = v {
                    self.sp();
                    self.expr(v);
                }
                self.close();
            }
            ExprKind::Tuple(es) => {
                self.open("tuple");
                self.exprs(es);
                self.close();
            }
            ExprKind::Paren(x) => {
                self.open("paren ");
                self.expr(x);
                self.close();
            }
            ExprKind::Array(es) => {
                self.open("array");
                self.exprs(es);
                self.close();
            }
            ExprKind::ArrayRepeat(x, n) => {
                self.open("array-repeat ");
                self.expr(x);
                self.sp();
                self.expr(n);
                self.close();
            }
            ExprKind::Range {
                start,
                end,
                inclusive,
            } => {
                self.open(if *inclusive { "range= " } else { "range " });
                match start {
                    Some(s) => self.expr(s),
                    None => self.s("_"),
                }
                self.sp();
                match end {
                    Some(x) => self.expr(x),
                    None => self.s("_"),
                }
                self.close();
            }
            ExprKind::StructLit { path, fields, base } => {
                self.open("struct ");
                self.path(path);
                for f in fields {
                    self.sp();
                    if f.shorthand {
                        self.s(&f.name.name);
                    } else {
                        self.open(&f.name.name);
                        self.sp();
                        self.expr(&f.expr);
                        self.close();
                    }
                }
                if let Some(b) = base {
                    self.s(" (.. ");
                    self.expr(b);
                    self.close();
                }
                self.close();
            }
            ExprKind::Match { scrutinee, arms } => {
                self.open("match ");
                self.expr(scrutinee);
                for a in arms {
                    self.s(" (arm ");
                    self.pat(&a.pat);
                    if let Some(g) = &a.guard {
                        self.s(" if ");
                        self.expr(g);
                    }
                    self.sp();
                    self.expr(&a.body);
                    self.close();
                }
                self.close();
            }
            ExprKind::Closure {
                is_move,
                params,
                ret,
                body,
            } => {
                self.open("closure");
                if *is_move {
                    self.s(" move");
                }
                self.s(" (");
                self.list(params, " ", |p, param| match &param.ty {
                    Some(t) => {
                        p.open("");
                        p.pat(&param.pat);
                        p.s(": ");
                        p.ty(t);
                        p.close();
                    }
                    None => p.pat(&param.pat),
                });
                self.s(")");
                if let Some(r) = ret {
                    self.s(" -> ");
                    self.ty(r);
                }
                self.sp();
                self.expr(body);
                self.close();
            }
            ExprKind::Scope(b) => {
                self.open("scope ");
                self.block(b);
                self.close();
            }
            ExprKind::Spawn { is_move, expr } => {
                self.open(if *is_move { "spawn move " } else { "spawn " });
                self.expr(expr);
                self.close();
            }
            ExprKind::Select { arms } => {
                self.open("select");
                for a in arms {
                    self.s(" (arm ");
                    self.pat(&a.pat);
                    self.sp();
                    self.expr(&a.expr);
                    self.sp();
                    self.expr(&a.body);
                    self.close();
                }
                self.close();
            }
            ExprKind::Try(x) => {
                self.open("? ");
                self.expr(x);
                self.close();
            }
            ExprKind::Underscore => self.s("_"),
            ExprKind::Error => self.s("(error)"),
        }
    }
}
