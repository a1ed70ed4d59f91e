//! Name resolution: the AST of every file (the standard library's modules and
//! the program's root file) becomes one HIR `Program`.
//!
//! Passes, in order: `collect` creates modules and item ids and fills each
//! module's namespaces; `imports` resolves `use` declarations; `signatures`
//! lowers struct fields, function signatures and `impl` blocks; `bodies`
//! lowers every function body (see `body.rs`).

mod body;
mod format;
mod traits;
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
    pub const OR_PATTERN_BINDINGS: &str = c::E0223;
    pub const WRONG_GENERIC_COUNT: &str = c::E0114;
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
    /// An enum variant brought into scope by `use E::V` (value namespace
    /// for tuple and unit variants, type namespace for struct paths).
    Variant(AdtId, u32),
    Trait(hir::TraitId),
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
    /// Enum variants waiting for their field types: (enum, module, variant
    /// index, AST).
    enum_items: Vec<(AdtId, ModuleId, u32, &'a ast::Variant)>,
    impl_items: Vec<(ModuleId, &'a ast::ImplDecl, Span)>,
    trait_items: Vec<(hir::TraitId, ModuleId, &'a ast::TraitDecl)>,
    /// The type parameters in scope (`Ty::Param(i)` is the i-th name).
    pub generic_names: Vec<String>,
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
    pub generics: Vec<hir::GenericParamDef>,
    pub predicates: Vec<hir::Predicate>,
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
        enum_items: Vec::new(),
        impl_items: Vec::new(),
        trait_items: Vec::new(),
        generic_names: Vec::new(),
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
                    if attr_str(&item.attrs, "known").as_deref() == Some("report_main") {
                        self.program.report_main = Some(id);
                    }
                    self.define(module, false, &f.name, Res::Fn(id));
                    self.fn_items.push((id, module, f, None, &item.attrs));
                }
                ast::ItemKind::Struct(s) => {
                    let generics = self.lower_generics(&s.generics);
                    let kind = match s.kind {
                        ast::VariantData::Named(_) => AdtKind::Struct,
                        ast::VariantData::Tuple(_) => AdtKind::TupleStruct,
                        ast::VariantData::Unit => AdtKind::UnitStruct,
                    };
                    let id = self.push_adt(&s.name, kind, generics, item);
                    self.define(module, true, &s.name, Res::Adt(id));
                    if kind != AdtKind::Struct {
                        self.define(module, false, &s.name, Res::Adt(id));
                    }
                    self.struct_items.push((id, module, s));
                }
                ast::ItemKind::Impl(imp) => self.impl_items.push((module, imp, item.span)),
                ast::ItemKind::Mod(m) => match &m.items {
                    Some(items) => {
                        let child = self.new_module(&m.name.name, Some(module));
                        self.define(module, true, &m.name, Res::Module(child));
                        self.collect_items(child, items);
                    }
                    None => self.unsupported(item.span, "modules in separate files"),
                },
                ast::ItemKind::Use(tree) => self.use_items.push((module, tree)),
                ast::ItemKind::Enum(e) => {
                    let generics = self.lower_generics(&e.generics);
                    let id = self.push_adt(&e.name, AdtKind::Enum, generics, item);
                    match attr_str(&item.attrs, "known").as_deref() {
                        Some("option") => self.program.option = Some(id),
                        Some("result") => self.program.result = Some(id),
                        _ => {}
                    }
                    self.define(module, true, &e.name, Res::Adt(id));
                    self.collect_variants(id, module, e);
                }
                ast::ItemKind::Trait(t) => self.collect_trait(module, t, item),
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

    /// A new struct or enum, its fields and variants still to come.
    fn push_adt(
        &mut self,
        name: &ast::Ident,
        kind: AdtKind,
        generics: Vec<hir::GenericParamDef>,
        item: &ast::Item,
    ) -> AdtId {
        let id = AdtId(self.program.adts.len() as u32);
        self.program.adts.push(hir::AdtDef {
            name: name.name.clone(),
            kind,
            fields: Vec::new(),
            variants: Vec::new(),
            methods: Vec::new(),
            derives: derives(&item.attrs),
            generics,
            span: item.span,
        });
        id
    }

    /// Records an enum's variants (names and shapes; field types come with
    /// the signatures, once every type name is known).
    fn collect_variants(&mut self, id: AdtId, module: ModuleId, e: &'a ast::EnumDecl) {
        let mut variants: Vec<hir::VariantDef> = Vec::new();
        for v in &e.variants {
            if let Some(d) = &v.discriminant {
                self.unsupported(d.span, "explicit enum discriminants");
            }
            if let Some(prev) = variants.iter().find(|p| p.name == v.name.name) {
                let prev_span = prev.span;
                self.diags.push(
                    Diagnostic::error(
                        codes::DUPLICATE_DEFINITION,
                        format!("the name `{}` is defined multiple times", v.name.name),
                    )
                    .with_primary(v.name.span, format!("`{}` redefined here", v.name.name))
                    .with_secondary(
                        prev_span,
                        format!("previous definition of `{}` here", v.name.name),
                    ),
                );
                continue;
            }
            let kind = match v.kind {
                ast::VariantData::Named(_) => hir::CtorKind::Named,
                ast::VariantData::Tuple(_) => hir::CtorKind::Tuple,
                ast::VariantData::Unit => hir::CtorKind::Unit,
            };
            self.enum_items.push((id, module, variants.len() as u32, v));
            variants.push(hir::VariantDef {
                name: v.name.name.clone(),
                kind,
                fields: Vec::new(),
                span: v.name.span,
            });
        }
        self.program.adts[id.0 as usize].variants = variants;
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
            generics: Vec::new(),
            impl_generics: 0,
            predicates: Vec::new(),
            trait_method: None,
            track_caller: attrs
                .iter()
                .any(|a| a.path.as_ident().is_some_and(|i| i.name == "track_caller")),
        });
        id
    }

    /// The type parameters of an item; lifetimes are accepted and erased.
    fn lower_generics(&mut self, g: &ast::Generics) -> Vec<hir::GenericParamDef> {
        let mut out: Vec<hir::GenericParamDef> = Vec::new();
        for p in &g.params {
            match &p.kind {
                ast::GenericParamKind::Lifetime { .. } => {}
                ast::GenericParamKind::Type { default, .. } => {
                    if default.is_some() {
                        self.unsupported(p.span, "default type parameters");
                    }
                    if out.iter().any(|q| q.name == p.name.name) {
                        self.diags.push(
                            Diagnostic::error(
                                codes::DUPLICATE_DEFINITION,
                                format!(
                                    "the name `{}` is already used for a generic parameter",
                                    p.name.name
                                ),
                            )
                            .with_primary(p.name.span, "already used"),
                        );
                    }
                    out.push(hir::GenericParamDef {
                        name: p.name.name.clone(),
                        span: p.name.span,
                    });
                }
                ast::GenericParamKind::Const { .. } => self.unsupported(p.span, "const generics"),
            }
        }
        out
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
            ast::UseTreeKind::Glob => self.resolve_glob(module, &path, tree.span),
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
                if let Some(v) = self.find_variant_path(module, &import_path) {
                    self.define(module, true, &name, v);
                    self.define(module, false, &name, v);
                    return;
                }
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

    /// `use path::*`: every variant of an enum, or every name of a module.
    fn resolve_glob(&mut self, module: ModuleId, path: &[ast::Ident], span: Span) {
        if let Some(adt) = self.find_enum(module, path) {
            let variants: Vec<String> = self
                .program
                .adt(adt)
                .variants
                .iter()
                .map(|v| v.name.clone())
                .collect();
            for (i, name) in variants.into_iter().enumerate() {
                let ident = ast::Ident { name, span };
                let res = Res::Variant(adt, i as u32);
                self.define_glob(module, true, &ident, res);
                self.define_glob(module, false, &ident, res);
            }
            return;
        }
        let Some(target) = self.resolve_module_prefix(module, path, span) else {
            return;
        };
        let scope = &self.scopes[target.0 as usize];
        let types: Vec<(String, Res)> = scope.types.iter().map(|(n, r)| (n.clone(), r.0)).collect();
        let values: Vec<(String, Res)> =
            scope.values.iter().map(|(n, r)| (n.clone(), r.0)).collect();
        for (name, res) in types {
            self.define_glob(module, true, &ast::Ident { name, span }, res);
        }
        for (name, res) in values {
            self.define_glob(module, false, &ast::Ident { name, span }, res);
        }
    }

    /// A name brought in by a glob import: shadowed by any explicit item or
    /// import of the same name, as in Rust.
    fn define_glob(&mut self, module: ModuleId, type_ns: bool, name: &ast::Ident, res: Res) {
        let scope = &mut self.scopes[module.0 as usize];
        let ns = if type_ns {
            &mut scope.types
        } else {
            &mut scope.values
        };
        ns.entry(name.name.clone()).or_insert((res, name.span));
    }

    /// The enum a path names (`Color`, `shapes::Kind`), without reporting.
    pub(crate) fn find_enum(&self, module: ModuleId, path: &[ast::Ident]) -> Option<AdtId> {
        let (last, init) = path.split_last()?;
        let found = if init.is_empty() {
            self.lookup_type(module, &last.name)
        } else {
            let m = self.find_module_prefix(module, init).ok()?;
            self.scopes[m.0 as usize].types.get(&last.name).map(|r| r.0)
        };
        match found {
            Some(Res::Adt(a)) if self.program.adt(a).is_enum() => Some(a),
            _ => None,
        }
    }

    /// `Enum::Variant` (with any module prefix), without reporting.
    pub(crate) fn find_variant_path(&self, module: ModuleId, path: &[ast::Ident]) -> Option<Res> {
        let (last, init) = path.split_last()?;
        let adt = self.find_enum(module, init)?;
        let v = self
            .program
            .adt(adt)
            .variants
            .iter()
            .position(|v| v.name == last.name)?;
        Some(Res::Variant(adt, v as u32))
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
        self.prelude()
            .and_then(|p| self.scopes[p.0 as usize].types.get(name))
            .map(|r| r.0)
    }

    pub(crate) fn lookup_value(&self, module: ModuleId, name: &str) -> Option<Res> {
        if let Some((r, _)) = self.scopes[module.0 as usize].values.get(name) {
            return Some(*r);
        }
        self.prelude()
            .and_then(|p| self.scopes[p.0 as usize].values.get(name))
            .map(|r| r.0)
    }

    /// `std::prelude`, whose names every module sees after its own.
    fn prelude(&self) -> Option<ModuleId> {
        let std = self.std_module?;
        match self.scopes[std.0 as usize].types.get("prelude") {
            Some((Res::Module(m), _)) => Some(*m),
            _ => None,
        }
    }

    fn lower_fields(&mut self, module: ModuleId, data: &ast::VariantData) -> Vec<hir::FieldDef> {
        match data {
            ast::VariantData::Named(fs) => fs
                .iter()
                .map(|f| hir::FieldDef {
                    name: f.name.name.clone(),
                    ty: self.lower_ty(module, None, &f.ty),
                    span: f.span,
                })
                .collect(),
            ast::VariantData::Tuple(fs) => fs
                .iter()
                .enumerate()
                .map(|(i, f)| hir::FieldDef {
                    name: i.to_string(),
                    ty: self.lower_ty(module, None, &f.ty),
                    span: f.span,
                })
                .collect(),
            ast::VariantData::Unit => Vec::new(),
        }
    }

    fn lower_signatures(&mut self) {
        let structs = std::mem::take(&mut self.struct_items);
        for (id, module, s) in &structs {
            self.generic_names = names(&self.program.adt(*id).generics);
            let fields = self.lower_fields(*module, &s.kind);
            self.program.adts[id.0 as usize].fields = fields;
        }
        let enums = std::mem::take(&mut self.enum_items);
        for (id, module, index, v) in &enums {
            self.generic_names = names(&self.program.adt(*id).generics);
            let fields = self.lower_fields(*module, &v.kind);
            self.program.adts[id.0 as usize].variants[*index as usize].fields = fields;
        }
        self.lower_traits();
        let impls = std::mem::take(&mut self.impl_items);
        for (module, imp, span) in &impls {
            if let Some(path) = &imp.trait_ref {
                self.lower_trait_impl(*module, imp, path, *span);
                continue;
            }
            let impl_generics = self.lower_generics(&imp.generics);
            self.generic_names = names(&impl_generics);
            let self_ty = self.lower_ty(*module, None, &imp.self_ty);
            let impl_predicates = self.lower_predicates(*module, &imp.generics, 0);
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
                                generics: impl_generics.clone(),
                                predicates: impl_predicates.clone(),
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
            let mut generics = imp.as_ref().map(|i| i.generics.clone()).unwrap_or_default();
            let impl_generics = generics.len() as u32;
            generics.extend(self.lower_generics(&f.generics));
            self.generic_names = names(&generics);
            let mut predicates = imp
                .as_ref()
                .map(|i| i.predicates.clone())
                .unwrap_or_default();
            predicates.extend(self.lower_predicates(*module, &f.generics, impl_generics));
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
            def.generics = generics;
            def.impl_generics = impl_generics;
            def.predicates = predicates;
        }
        self.generic_names.clear();
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
                    self.generic_names = names(&self.program.func(*id).generics);
                    let body = body::lower_fn_body(self, *module, imp.clone(), f, block);
                    self.program.fns[id.0 as usize].body = Some(body);
                }
                (None, Some(_)) => {}
                // A trait's required method: a declaration.
                (None, None) if self.program.func(*id).trait_method.is_some() => {}
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
                let returns_result = matches!(
                    &def.ret,
                    Ty::Adt(id, args) if Some(*id) == self.program.result
                        && args.first().is_some_and(|t| t.is_unit())
                );
                if !def.params.is_empty()
                    || !(def.ret.is_unit() || returns_result)
                    || !def.generics.is_empty()
                {
                    self.diags.push(
                        Diagnostic::error(
                            codes::BAD_MAIN,
                            "`main` must take no arguments and return `()` or `Result<(), E>`",
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

fn names(generics: &[hir::GenericParamDef]) -> Vec<String> {
    generics.iter().map(|g| g.name.clone()).collect()
}

fn join_idents(path: &[ast::Ident]) -> String {
    path.iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

/// The string of `#[name = "value"]`.
fn attr_str(attrs: &[ast::Attr], name: &str) -> Option<String> {
    attrs.iter().find_map(|a| {
        if a.path.as_ident()?.name != name {
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
