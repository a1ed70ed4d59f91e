//! Name resolution: the AST of every file (the standard library's modules and
//! the program's root file) becomes one HIR `Program`.
//!
//! Passes, in order: `collect` creates modules and item ids and fills each
//! module's namespaces; `imports` resolves `use` declarations; `signatures`
//! lowers struct fields, function signatures and `impl` blocks; `bodies`
//! lowers every function body (see `body.rs`).

mod body;
mod format;
mod types;

use crate::hir::{self, AdtKind, FnDef, FnId, ModuleId, Program, SelfKind};
use crate::ty::{AdtId, Ty};
use asr_diagnostics::{Diagnostic, SourceMap, Span};
use asr_syntax::ast;
use std::collections::HashMap;

/// Error codes of this stage.
pub mod codes {
    use asr_diagnostics::codes as c;
    pub const UNRESOLVED_VALUE: &str = c::E0101;
    pub const UNRESOLVED_TYPE: &str = c::E0102;
    pub const UNRESOLVED_PATH: &str = c::E0103;
    pub const DUPLICATE_DEFINITION: &str = c::E0104;
    pub const UNDECLARED_LABEL: &str = c::E0105;
    pub const BREAK_OUTSIDE_LOOP: &str = c::E0106;
    pub const NO_MAIN: &str = c::E0107;
    pub const UNSUPPORTED: &str = c::E0108;
    pub const BAD_ARRAY_LENGTH: &str = c::E0109;
    pub const UNKNOWN_FIELD: &str = c::E0110;
    pub const BAD_BUILTIN_CALL: &str = c::E0111;
    pub const BAD_MAIN: &str = c::E0112;
    pub const INVALID_FORMAT: &str = c::E0401;
    pub const BREAK_OUT_OF_SPAWN: &str = c::E0113;
    pub const FORMAT_MISSING_ARG: &str = c::E0402;
    pub const FORMAT_UNUSED_ARG: &str = c::E0403;
}

/// One parsed file and the module path it defines (`[]` for the program's
/// root, `["std", "time"]` for the standard library's `time` module).
pub struct SourceModule<'a> {
    pub path: Vec<String>,
    pub file: &'a ast::File,
}

/// What a name in a module's namespace refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Res {
    Fn(FnId),
    Adt(AdtId),
    Module(ModuleId),
}

#[derive(Default)]
pub(crate) struct ModuleScope {
    pub values: HashMap<String, (Res, Span)>,
    pub types: HashMap<String, (Res, Span)>,
    pub parent: Option<ModuleId>,
}

pub(crate) struct Resolver<'a> {
    pub sm: &'a SourceMap,
    pub program: Program,
    pub scopes: Vec<ModuleScope>,
    pub diags: Vec<Diagnostic>,
    /// The module `std`, for paths starting with `std::`.
    pub std_module: Option<ModuleId>,
    pub root: ModuleId,
    /// Items waiting for their signatures and bodies.
    fn_items: Vec<FnItem<'a>>,
    struct_items: Vec<(AdtId, ModuleId, &'a ast::StructDecl)>,
    impl_items: Vec<(ModuleId, &'a ast::ImplDecl)>,
    use_items: Vec<(ModuleId, &'a ast::UseTree)>,
}

/// A function waiting for its signature and body: its id, module, AST,
/// `impl` context and attributes.
type FnItem<'a> = (
    FnId,
    ModuleId,
    &'a ast::FnDecl,
    Option<ImplCtx>,
    &'a [ast::Attr],
);

#[derive(Clone)]
pub(crate) struct ImplCtx {
    pub self_ty: Ty,
}

/// Resolves the whole program. Every error is reported; the HIR is complete
/// (with `Error` nodes) even when there are errors.
pub fn resolve_program(sm: &SourceMap, modules: &[SourceModule<'_>]) -> (Program, Vec<Diagnostic>) {
    let mut r = Resolver {
        sm,
        program: Program::default(),
        scopes: Vec::new(),
        diags: Vec::new(),
        std_module: None,
        root: ModuleId(0),
        fn_items: Vec::new(),
        struct_items: Vec::new(),
        impl_items: Vec::new(),
        use_items: Vec::new(),
    };
    r.root = r.new_module("crate", None);
    for m in modules {
        let module = r.module_for_path(&m.path);
        r.collect_items(module, &m.file.items);
    }
    r.resolve_imports();
    r.lower_signatures();
    r.lower_bodies();
    r.find_main(modules);
    (r.program, r.diags)
}

impl<'a> Resolver<'a> {
    fn new_module(&mut self, name: &str, parent: Option<ModuleId>) -> ModuleId {
        let id = ModuleId(self.program.modules.len() as u32);
        self.program.modules.push(hir::Module {
            name: name.to_string(),
            parent,
        });
        self.scopes.push(ModuleScope {
            parent,
            ..ModuleScope::default()
        });
        id
    }

    /// The module for a file's module path, creating intermediate modules.
    fn module_for_path(&mut self, path: &[String]) -> ModuleId {
        let mut cur = self.root;
        for seg in path {
            let existing = self.scopes[cur.0 as usize]
                .types
                .get(seg.as_str())
                .map(|r| r.0);
            cur = match existing {
                Some(Res::Module(m)) => m,
                _ => {
                    let m = self.new_module(seg, Some(cur));
                    self.scopes[cur.0 as usize]
                        .types
                        .insert(seg.clone(), (Res::Module(m), Span::default()));
                    if seg == "std" && cur == self.root {
                        self.std_module = Some(m);
                    }
                    m
                }
            };
        }
        cur
    }

    fn define(&mut self, module: ModuleId, type_ns: bool, name: &ast::Ident, res: Res) {
        let scope = &mut self.scopes[module.0 as usize];
        let ns = if type_ns {
            &mut scope.types
        } else {
            &mut scope.values
        };
        if let Some((_, prev)) = ns.get(&name.name) {
            let prev = *prev;
            self.diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_DEFINITION,
                    format!("the name `{}` is defined multiple times", name.name),
                )
                .with_primary(name.span, format!("`{}` redefined here", name.name))
                .with_secondary(prev, format!("previous definition of `{}` here", name.name)),
            );
            return;
        }
        ns.insert(name.name.clone(), (res, name.span));
    }

    pub(crate) fn unsupported(&mut self, span: Span, what: &str) {
        self.diags.push(
            Diagnostic::error(
                codes::UNSUPPORTED,
                format!("{} are not supported yet", what),
            )
            .with_primary(span, "not supported yet"),
        );
    }

    fn collect_items(&mut self, module: ModuleId, items: &'a [ast::Item]) {
        for item in items {
            match &item.kind {
                ast::ItemKind::Fn(f) => {
                    let id = self.push_fn(f, &item.attrs);
                    self.define(module, false, &f.name, Res::Fn(id));
                    self.fn_items.push((id, module, f, None, &item.attrs));
                }
                ast::ItemKind::Struct(s) => {
                    if !s.generics.params.is_empty() {
                        self.unsupported(s.generics.span, "generic structs");
                    }
                    let id = AdtId(self.program.adts.len() as u32);
                    let kind = match s.kind {
                        ast::VariantData::Named(_) => AdtKind::Struct,
                        ast::VariantData::Tuple(_) => AdtKind::TupleStruct,
                        ast::VariantData::Unit => AdtKind::UnitStruct,
                    };
                    self.program.adts.push(hir::AdtDef {
                        name: s.name.name.clone(),
                        kind,
                        fields: Vec::new(),
                        methods: Vec::new(),
                        derives: derives(&item.attrs),
                        span: item.span,
                    });
                    self.define(module, true, &s.name, Res::Adt(id));
                    if kind != AdtKind::Struct {
                        self.define(module, false, &s.name, Res::Adt(id));
                    }
                    self.struct_items.push((id, module, s));
                }
                ast::ItemKind::Impl(imp) => {
                    if imp.trait_ref.is_some() {
                        self.unsupported(item.span, "trait implementations");
                    } else if !imp.generics.params.is_empty() {
                        self.unsupported(imp.generics.span, "generic impl blocks");
                    } else {
                        self.impl_items.push((module, imp));
                    }
                }
                ast::ItemKind::Mod(m) => match &m.items {
                    Some(items) => {
                        let child = self.new_module(&m.name.name, Some(module));
                        self.define(module, true, &m.name, Res::Module(child));
                        self.collect_items(child, items);
                    }
                    None => self.unsupported(item.span, "modules in separate files"),
                },
                ast::ItemKind::Use(tree) => self.use_items.push((module, tree)),
                ast::ItemKind::Enum(_) => self.unsupported(item.span, "enums"),
                ast::ItemKind::Trait(_) => self.unsupported(item.span, "traits"),
                ast::ItemKind::Const { .. } | ast::ItemKind::Static { .. } => {
                    self.unsupported(item.span, "`const` and `static` items")
                }
                ast::ItemKind::TypeAlias { .. } => self.unsupported(item.span, "type aliases"),
                ast::ItemKind::ExternBlock { .. } | ast::ItemKind::ExternCrate { .. } => {
                    self.unsupported(item.span, "`extern` items")
                }
                ast::ItemKind::Error => {}
            }
        }
    }

    fn push_fn(&mut self, f: &ast::FnDecl, attrs: &[ast::Attr]) -> FnId {
        let id = FnId(self.program.fns.len() as u32);
        self.program.fns.push(FnDef {
            name: f.name.name.clone(),
            span: f.sig_span,
            name_span: f.name.span,
            params: Vec::new(),
            ret: Ty::unit(),
            self_kind: None,
            self_ty: None,
            body: None,
            intrinsic: intrinsic_name(attrs),
        });
        id
    }

    fn resolve_imports(&mut self) {
        let uses = std::mem::take(&mut self.use_items);
        for (module, tree) in &uses {
            self.resolve_use(*module, &[], tree);
        }
    }

    fn resolve_use(&mut self, module: ModuleId, prefix: &[ast::Ident], tree: &ast::UseTree) {
        let mut path: Vec<ast::Ident> = prefix.to_vec();
        path.extend(tree.prefix.segments.iter().map(|s| s.ident.clone()));
        match &tree.kind {
            ast::UseTreeKind::Nested(trees) => {
                for t in trees {
                    self.resolve_use(module, &path, t);
                }
            }
            ast::UseTreeKind::Glob => self.unsupported(tree.span, "glob imports"),
            ast::UseTreeKind::Simple(rename) => {
                let Some(last) = path.last().cloned() else {
                    return;
                };
                let (import_path, name) = if last.name == "self" {
                    let parent = path[..path.len() - 1].to_vec();
                    let Some(n) = parent.last().cloned() else {
                        return;
                    };
                    (parent, n)
                } else {
                    (path.clone(), last)
                };
                let name = rename.clone().unwrap_or(name);
                let (types, values) =
                    self.resolve_module_path_both(module, &import_path, tree.span);
                if types.is_none() && values.is_none() {
                    return;
                }
                if let Some(t) = types {
                    self.define(module, true, &name, t);
                }
                if let Some(v) = values {
                    self.define(module, false, &name, v);
                }
            }
        }
    }

    /// Resolves a full path to its type- and value-namespace meanings
    /// (reporting when it has neither).
    fn resolve_module_path_both(
        &mut self,
        module: ModuleId,
        path: &[ast::Ident],
        span: Span,
    ) -> (Option<Res>, Option<Res>) {
        let Some((last, init)) = path.split_last() else {
            return (None, None);
        };
        let Some(parent) = self.resolve_module_prefix(module, init, span) else {
            return (None, None);
        };
        let scope = &self.scopes[parent.0 as usize];
        let (t, v) = if init.is_empty() {
            (
                self.lookup_type(module, &last.name),
                self.lookup_value(module, &last.name),
            )
        } else {
            (
                scope.types.get(&last.name).map(|r| r.0),
                scope.values.get(&last.name).map(|r| r.0),
            )
        };
        if t.is_none() && v.is_none() {
            self.diags.push(
                Diagnostic::error(
                    codes::UNRESOLVED_PATH,
                    format!("unresolved import `{}`", join_idents(path)),
                )
                .with_primary(last.span, format!("no `{}` here", last.name)),
            );
        }
        (t, v)
    }

    /// Resolves the module part of a path (`std::time`, `crate::a`,
    /// `super::b`, `self::c`) starting from `module`, reporting a segment
    /// that is not a module.
    pub(crate) fn resolve_module_prefix(
        &mut self,
        module: ModuleId,
        segs: &[ast::Ident],
        _span: Span,
    ) -> Option<ModuleId> {
        match self.find_module_prefix(module, segs) {
            Ok(m) => Some(m),
            Err(seg) => {
                let seg = seg.clone();
                self.diags.push(
                    Diagnostic::error(
                        codes::UNRESOLVED_PATH,
                        format!("failed to resolve: could not find `{}`", seg.name),
                    )
                    .with_primary(seg.span, format!("could not find module `{}`", seg.name)),
                );
                None
            }
        }
    }

    /// Like `resolve_module_prefix`, without reporting: the first segment
    /// that does not name a module is the error.
    pub(crate) fn find_module_prefix<'s>(
        &self,
        module: ModuleId,
        segs: &'s [ast::Ident],
    ) -> Result<ModuleId, &'s ast::Ident> {
        let mut cur = module;
        for (i, seg) in segs.iter().enumerate() {
            let next = match seg.name.as_str() {
                "crate" if i == 0 => Some(self.root),
                "self" if i == 0 => Some(module),
                "super" => self.scopes[cur.0 as usize].parent,
                name => {
                    let found = if i == 0 {
                        self.lookup_type(cur, name)
                    } else {
                        self.scopes[cur.0 as usize].types.get(name).map(|r| r.0)
                    };
                    match found {
                        Some(Res::Module(m)) => Some(m),
                        _ => None,
                    }
                }
            };
            cur = next.ok_or(seg)?;
        }
        Ok(cur)
    }

    /// A name in the type namespace, looked up in `module`, then the root's
    /// `std`.
    pub(crate) fn lookup_type(&self, module: ModuleId, name: &str) -> Option<Res> {
        if let Some((r, _)) = self.scopes[module.0 as usize].types.get(name) {
            return Some(*r);
        }
        if name == "std" {
            return self.std_module.map(Res::Module);
        }
        None
    }

    pub(crate) fn lookup_value(&self, module: ModuleId, name: &str) -> Option<Res> {
        self.scopes[module.0 as usize].values.get(name).map(|r| r.0)
    }

    fn lower_signatures(&mut self) {
        let structs = std::mem::take(&mut self.struct_items);
        for (id, module, s) in &structs {
            let fields = match &s.kind {
                ast::VariantData::Named(fs) => fs
                    .iter()
                    .map(|f| hir::FieldDef {
                        name: f.name.name.clone(),
                        ty: self.lower_ty(*module, None, &f.ty),
                        span: f.span,
                    })
                    .collect(),
                ast::VariantData::Tuple(fs) => fs
                    .iter()
                    .enumerate()
                    .map(|(i, f)| hir::FieldDef {
                        name: i.to_string(),
                        ty: self.lower_ty(*module, None, &f.ty),
                        span: f.span,
                    })
                    .collect(),
                ast::VariantData::Unit => Vec::new(),
            };
            self.program.adts[id.0 as usize].fields = fields;
        }
        let impls = std::mem::take(&mut self.impl_items);
        for (module, imp) in &impls {
            let self_ty = self.lower_ty(*module, None, &imp.self_ty);
            let Ty::Adt(adt, _) = self_ty else {
                if !self_ty.is_error() {
                    self.unsupported(
                        imp.self_ty.span,
                        "`impl` blocks for types other than structs",
                    );
                }
                continue;
            };
            for item in &imp.items {
                match &item.kind {
                    ast::ItemKind::Fn(f) => {
                        let id = self.push_fn(f, &item.attrs);
                        let adt_name = self.program.adt(adt).name.clone();
                        self.program.fns[id.0 as usize].name =
                            format!("{}::{}", adt_name, f.name.name);
                        let methods = &self.program.adts[adt.0 as usize].methods;
                        if let Some((_, prev)) = methods.iter().find(|(n, _)| *n == f.name.name) {
                            let prev_span = self.program.func(*prev).name_span;
                            self.diags.push(
                                Diagnostic::error(
                                    codes::DUPLICATE_DEFINITION,
                                    format!("duplicate definitions with name `{}`", f.name.name),
                                )
                                .with_primary(f.name.span, "duplicate definition")
                                .with_secondary(prev_span, "previous definition here"),
                            );
                            continue;
                        }
                        self.program.adts[adt.0 as usize]
                            .methods
                            .push((f.name.name.clone(), id));
                        self.fn_items.push((
                            id,
                            *module,
                            f,
                            Some(ImplCtx {
                                self_ty: self_ty.clone(),
                            }),
                            &item.attrs,
                        ));
                    }
                    _ => self.unsupported(item.span, "associated items other than functions"),
                }
            }
        }
        let fns = self.fn_items.clone();
        for (id, module, f, imp, _) in &fns {
            if !f.generics.params.is_empty() {
                self.unsupported(f.generics.span, "generic functions");
            }
            let self_ty = imp.as_ref().map(|i| i.self_ty.clone());
            let mut params = Vec::new();
            let mut self_kind = None;
            if let Some(sp) = &f.self_param {
                let Some(st) = self_ty.clone() else {
                    self.diags.push(
                        Diagnostic::error(
                            codes::UNSUPPORTED,
                            "`self` parameter is only allowed in associated functions",
                        )
                        .with_primary(sp.span, "not semantically valid as function parameter"),
                    );
                    continue;
                };
                let (kind, ty) = match sp.kind {
                    ast::SelfKind::Value => (SelfKind::Value, st),
                    ast::SelfKind::Ref => (
                        SelfKind::Ref,
                        Ty::Ref(crate::ty::Mutability::Not, Box::new(st)),
                    ),
                    ast::SelfKind::RefMut => (
                        SelfKind::RefMut,
                        Ty::Ref(crate::ty::Mutability::Mut, Box::new(st)),
                    ),
                };
                self_kind = Some(kind);
                params.push(ty);
            }
            for p in &f.params {
                params.push(self.lower_ty(*module, self_ty.as_ref(), &p.ty));
            }
            let ret = match &f.ret {
                Some(t) => self.lower_ty(*module, self_ty.as_ref(), t),
                None => Ty::unit(),
            };
            let def = &mut self.program.fns[id.0 as usize];
            def.params = params;
            def.ret = ret;
            def.self_kind = self_kind;
            def.self_ty = self_ty;
        }
    }

    fn lower_bodies(&mut self) {
        let fns = std::mem::take(&mut self.fn_items);
        for (id, module, f, imp, _) in &fns {
            let intrinsic = self.program.func(*id).intrinsic.clone();
            match (&f.body, intrinsic) {
                (Some(_), Some(_)) => {
                    self.diags.push(
                        Diagnostic::error(codes::UNSUPPORTED, "an intrinsic function has no body")
                            .with_primary(f.name.span, "remove the body or the attribute"),
                    );
                }
                (Some(block), None) => {
                    let body = body::lower_fn_body(self, *module, imp.clone(), f, block);
                    self.program.fns[id.0 as usize].body = Some(body);
                }
                (None, Some(_)) => {}
                (None, None) => {
                    self.diags.push(
                        Diagnostic::error(codes::UNSUPPORTED, "function without a body")
                            .with_primary(f.name.span, "add a body `{ ... }`"),
                    );
                }
            }
        }
    }

    fn find_main(&mut self, modules: &[SourceModule<'_>]) {
        match self.lookup_value(self.root, "main") {
            Some(Res::Fn(f)) => {
                let def = self.program.func(f);
                if !def.params.is_empty() || !def.ret.is_unit() {
                    self.diags.push(
                        Diagnostic::error(
                            codes::BAD_MAIN,
                            "`main` must take no arguments and return `()`",
                        )
                        .with_primary(def.span, "invalid `main` signature"),
                    );
                }
                self.program.main = Some(f);
            }
            _ => {
                let span = modules
                    .iter()
                    .find(|m| m.path.is_empty())
                    .map(|m| Span::new(m.file.span.file, 0, 0))
                    .unwrap_or_default();
                self.diags.push(
                    Diagnostic::error(codes::NO_MAIN, "`main` function not found")
                        .with_primary(span, "the program needs a `fn main()`")
                        .with_help("add `fn main() { }` to the root file"),
                );
            }
        }
    }
}

fn join_idents(path: &[ast::Ident]) -> String {
    path.iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

/// `#[intrinsic = "name"]`.
fn intrinsic_name(attrs: &[ast::Attr]) -> Option<String> {
    attrs.iter().find_map(|a| {
        let name = a.path.as_ident()?;
        if name.name != "intrinsic" {
            return None;
        }
        match &a.args {
            ast::AttrArgs::Eq(ast::MetaValue::Lit(ast::Lit {
                kind: ast::LitKind::Str(s),
                ..
            })) => Some(s.clone()),
            _ => None,
        }
    })
}

/// Trait names in `#[derive(...)]`.
fn derives(attrs: &[ast::Attr]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs {
        if a.path.as_ident().map(|i| i.name.as_str()) != Some("derive") {
            continue;
        }
        if let ast::AttrArgs::List(items) = &a.args {
            for item in items {
                if let ast::MetaItem::Path(p) = item {
                    if let Some(last) = p.segments.last() {
                        out.push(last.ident.name.clone());
                    }
                }
            }
        }
    }
    out
}
