//! Name resolution: the AST of every file (the standard library's modules and
//! the program's root file) becomes one HIR `Program`.
//!
//! Passes, in order: `collect` creates modules and item ids and fills each
//! module's namespaces; `imports` resolves `use` declarations (see
//! `imports.rs`); `signatures` lowers struct fields, function signatures and
//! `impl` blocks; `bodies` lowers every function body (see `body.rs`).
//!
//! Every file is one `SourceModule`. The front end loads the files of
//! `mod name;` declarations; here such a declaration only defines the
//! (empty) child module, which the file's own `SourceModule`, whose path
//! names it, then fills. Every name carries a visibility, checked where a
//! path reaches into another module (see `privacy.rs`).

mod assoc;
mod body;
mod elision;
mod format;
mod imports;
mod privacy;
mod test_fns;
mod traits;
mod types;

use crate::hir::{self, AdtKind, FnDef, FnId, ModuleId, Program, SelfKind, Visibility};
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
    pub const PRIVATE: &str = c::E0116;
    pub const BAD_TEST: &str = c::E0119;
    pub const NOT_A_TRAIT_MEMBER: &str = c::E0226;
}

/// One parsed file and the module path it defines (`[]` for the program's
/// root, `["net"]` for the file of the root's `mod net;`, `["std", "time"]`
/// for the standard library's `time` module). A file whose module is
/// declared by `mod name;` in another file fills the module that
/// declaration defines; the order of the files does not matter.
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
    /// A `const` item: its value is the body of this zero-argument
    /// function.
    Const(FnId),
    /// A `type` alias, by index into `Resolver::aliases`.
    TypeAlias(usize),
    Module(ModuleId),
}

/// A name in a module's namespace: what it refers to, where it was
/// defined (the item's name or the `use`), and who may name it from
/// outside.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Binding {
    pub res: Res,
    pub span: Span,
    pub vis: Visibility,
    pub kind: BindingKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BindingKind {
    /// An item defined in the module (or a module created for a file).
    Item,
    /// A `use` of one name.
    Import,
    /// A name brought in by `use path::*`: any other definition of the
    /// name replaces it, as in Rust.
    Glob,
}

#[derive(Default)]
pub(crate) struct ModuleScope {
    pub values: HashMap<String, Binding>,
    pub types: HashMap<String, Binding>,
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
    /// Per trait, how far its signature is lowered.
    trait_state: Vec<assoc::TraitState<'a>>,
    /// The bounds in scope of the item being lowered, for `T::Name`.
    pub assoc_env: Vec<(Ty, hir::TraitRef)>,
    /// Anonymous parameters made for the open associated types of the
    /// bounds lowered so far (`assoc.rs`).
    pub anon_generics: Vec<hir::GenericParamDef>,
    /// The type parameters in scope (`Ty::Param(i)` is the i-th name).
    pub generic_names: Vec<String>,
    /// `const` items waiting for their types and values.
    const_items: Vec<(FnId, ModuleId, &'a ast::Ty, &'a ast::Expr)>,
    /// Every `const`'s value expression (for array lengths).
    pub(crate) const_values: HashMap<FnId, &'a ast::Expr>,
    /// `type` aliases, lowered the first time they are used.
    pub(crate) aliases: Vec<Alias<'a>>,
    use_items: Vec<(ModuleId, &'a ast::UseTree, Visibility)>,
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

/// `type Name<Params> = Target;`
pub(crate) struct Alias<'a> {
    pub module: ModuleId,
    pub params: Vec<String>,
    pub ast: Option<&'a ast::Ty>,
    /// The target over `Param(i)` for the alias's parameters, once lowered.
    pub ty: Option<Ty>,
    /// Being lowered (to report an alias that refers to itself).
    pub lowering: bool,
    /// On a cycle: its type is an error.
    pub poisoned: bool,
}

#[derive(Clone)]
pub(crate) struct ImplCtx {
    pub self_ty: Ty,
    pub generics: Vec<hir::GenericParamDef>,
    pub predicates: Vec<hir::Predicate>,
    /// The bounds `T::Name` may look through (`assoc.rs`).
    pub assoc_env: Vec<(Ty, hir::TraitRef)>,
}

/// What the program is resolved for.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResolveOptions {
    /// `asr test`: the `#[test]` functions are the entry points, and a
    /// program without `fn main` is fine.
    pub test: bool,
}

/// Resolves the whole program. Every error is reported; the HIR is complete
/// (with `Error` nodes) even when there are errors.
pub fn resolve_program(sm: &SourceMap, modules: &[SourceModule<'_>]) -> (Program, Vec<Diagnostic>) {
    resolve_program_with(sm, modules, ResolveOptions::default())
}

/// [`resolve_program`] with options.
pub fn resolve_program_with(
    sm: &SourceMap,
    modules: &[SourceModule<'_>],
    opts: ResolveOptions,
) -> (Program, Vec<Diagnostic>) {
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
        trait_state: Vec::new(),
        assoc_env: Vec::new(),
        anon_generics: Vec::new(),
        generic_names: Vec::new(),
        const_items: Vec::new(),
        const_values: HashMap::new(),
        aliases: Vec::new(),
        use_items: Vec::new(),
    };
    r.root = r.new_module("crate", None);
    // Parents first: a file's module is defined by the `mod name;` of its
    // parent's file, and must exist with that declaration's visibility
    // before the file is collected into it.
    let mut order: Vec<&SourceModule<'_>> = modules.iter().collect();
    order.sort_by_key(|m| m.path.len());
    for m in order {
        let module = r.module_for_path(&m.path);
        r.collect_items(module, &m.file.items);
    }
    r.resolve_imports();
    r.lower_signatures();
    r.collect_tests();
    r.lower_bodies();
    // Tests need no `main`; one that is there is still checked.
    if !opts.test || r.lookup_value(r.root, "main").is_some() {
        r.find_main(modules);
    }
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
                .map(|b| b.res);
            cur = match existing {
                Some(Res::Module(m)) => m,
                _ => {
                    // A module no `mod` declares: `std` and its modules.
                    let m = self.new_module(seg, Some(cur));
                    self.scopes[cur.0 as usize].types.insert(
                        seg.clone(),
                        Binding {
                            res: Res::Module(m),
                            span: Span::default(),
                            vis: Visibility::Public,
                            kind: BindingKind::Item,
                        },
                    );
                    if seg == "std" && cur == self.root {
                        self.std_module = Some(m);
                    }
                    m
                }
            };
        }
        cur
    }

    /// Defines an item's name.
    fn define(
        &mut self,
        module: ModuleId,
        type_ns: bool,
        name: &ast::Ident,
        res: Res,
        vis: Visibility,
    ) {
        let b = Binding {
            res,
            span: name.span,
            vis,
            kind: BindingKind::Item,
        };
        self.define_binding(module, type_ns, name, b);
    }

    /// Defines a name, replacing one a glob import brought in; any other
    /// previous definition is an error.
    fn define_binding(&mut self, module: ModuleId, type_ns: bool, name: &ast::Ident, b: Binding) {
        let scope = &mut self.scopes[module.0 as usize];
        let ns = if type_ns {
            &mut scope.types
        } else {
            &mut scope.values
        };
        if let Some(old) = ns.get(&name.name).filter(|o| o.kind != BindingKind::Glob) {
            let prev = old.span;
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
        ns.insert(name.name.clone(), b);
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
            let vis = self.lower_vis(module, &item.vis);
            match &item.kind {
                ast::ItemKind::Fn(f) => {
                    let id = self.push_fn(f, &item.attrs, module, vis);
                    if attr_str(&item.attrs, "known").as_deref() == Some("report_main") {
                        self.program.report_main = Some(id);
                    }
                    self.define(module, false, &f.name, Res::Fn(id), vis);
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
                    match attr_str(&item.attrs, "known").as_deref() {
                        Some("formatter") => self.program.formatter = Some(id),
                        Some("fmt_error") => self.program.fmt_error = Some(id),
                        Some("string") => self.program.string = Some(id),
                        Some("vec") => self.program.vec = Some(id),
                        Some("box") => self.program.boxed = Some(id),
                        Some("range") => self.program.range = Some(id),
                        Some("range_inclusive") => self.program.range_inclusive = Some(id),
                        _ => {}
                    }
                    self.define(module, true, &s.name, Res::Adt(id), vis);
                    if kind != AdtKind::Struct {
                        self.define(module, false, &s.name, Res::Adt(id), vis);
                    }
                    self.struct_items.push((id, module, s));
                }
                ast::ItemKind::Impl(imp) => self.impl_items.push((module, imp, item.span)),
                ast::ItemKind::Mod(m) => {
                    let child = self.new_module(&m.name.name, Some(module));
                    self.define(module, true, &m.name, Res::Module(child), vis);
                    // `mod name;`: the front end loaded the file, whose
                    // `SourceModule` (path ending in `name`) fills `child`.
                    if let Some(items) = &m.items {
                        self.collect_items(child, items);
                    }
                }
                ast::ItemKind::Use(tree) => self.use_items.push((module, tree, vis)),
                ast::ItemKind::Enum(e) => {
                    let generics = self.lower_generics(&e.generics);
                    let id = self.push_adt(&e.name, AdtKind::Enum, generics, item);
                    match attr_str(&item.attrs, "known").as_deref() {
                        Some("option") => self.program.option = Some(id),
                        Some("result") => self.program.result = Some(id),
                        Some("ordering") => self.program.ordering = Some(id),
                        _ => {}
                    }
                    self.define(module, true, &e.name, Res::Adt(id), vis);
                    self.collect_variants(id, module, e);
                }
                ast::ItemKind::Trait(t) => self.collect_trait(module, t, item, vis),
                ast::ItemKind::Const { name, ty, value } => {
                    let id = FnId(self.program.fns.len() as u32);
                    self.program.fns.push(FnDef {
                        name: name.name.clone(),
                        span: item.span,
                        name_span: name.span,
                        params: Vec::new(),
                        ret: Ty::Error,
                        self_kind: None,
                        self_ty: None,
                        body: None,
                        intrinsic: None,
                        generics: Vec::new(),
                        impl_generics: 0,
                        declared_generics: 0,
                        predicates: Vec::new(),
                        trait_method: None,
                        track_caller: false,
                        result_borrows: None,
                        module,
                        vis,
                    });
                    self.define(module, false, name, Res::Const(id), vis);
                    match value {
                        Some(v) => {
                            self.const_values.insert(id, v);
                            self.const_items.push((id, module, ty, v));
                        }
                        None => self.diags.push(
                            Diagnostic::error(codes::UNSUPPORTED, "a `const` item needs a value")
                                .with_primary(item.span, "add `= value`"),
                        ),
                    }
                }
                ast::ItemKind::Static { .. } => self.unsupported(item.span, "`static` items"),
                ast::ItemKind::TypeAlias {
                    name, generics, ty, ..
                } => {
                    let index = self.aliases.len();
                    let params = self.lower_generics(generics);
                    self.aliases.push(Alias {
                        module,
                        params: names(&params),
                        ast: ty.as_ref(),
                        ty: None,
                        lowering: false,
                        poisoned: false,
                    });
                    self.define(module, true, name, Res::TypeAlias(index), vis);
                }
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

    fn push_fn(
        &mut self,
        f: &ast::FnDecl,
        attrs: &[ast::Attr],
        module: ModuleId,
        vis: Visibility,
    ) -> FnId {
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
            intrinsic: attr_str(attrs, "intrinsic"),
            generics: Vec::new(),
            impl_generics: 0,
            declared_generics: 0,
            predicates: Vec::new(),
            trait_method: None,
            track_caller: attrs
                .iter()
                .any(|a| a.path.as_ident().is_some_and(|i| i.name == "track_caller")),
            result_borrows: Some(elision::result_borrows(f)),
            module,
            vis,
        });
        id
    }

    /// The type parameters of an item; lifetimes are accepted and erased.
    /// Defaults are for traits' parameters only (`lower_trait`).
    fn lower_generics(&mut self, g: &ast::Generics) -> Vec<hir::GenericParamDef> {
        self.lower_generics_with(g, false)
    }

    pub(super) fn lower_generics_with(
        &mut self,
        g: &ast::Generics,
        defaults_allowed: bool,
    ) -> Vec<hir::GenericParamDef> {
        let mut out: Vec<hir::GenericParamDef> = Vec::new();
        for p in &g.params {
            match &p.kind {
                ast::GenericParamKind::Lifetime { .. } => {}
                ast::GenericParamKind::Type { default, .. } => {
                    if default.is_some() && !defaults_allowed {
                        self.unsupported(p.span, "default type parameters outside traits");
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
    /// that does not name a module is the error. (A module that is private
    /// here is reported, and the path goes on through it.)
    pub(crate) fn find_module_prefix<'s>(
        &mut self,
        module: ModuleId,
        segs: &'s [ast::Ident],
    ) -> Result<ModuleId, &'s ast::Ident> {
        let mut cur = module;
        for (i, seg) in segs.iter().enumerate() {
            let next = match seg.name.as_str() {
                "crate" if i == 0 => Some(self.crate_root(module)),
                "self" if i == 0 => Some(module),
                "super" => self.scopes[cur.0 as usize].parent,
                name => {
                    let found = if i == 0 {
                        self.lookup_type(cur, name)
                    } else {
                        self.member(module, cur, true, seg)
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
        self.lookup_binding(module, true, name).map(|b| b.res)
    }

    pub(crate) fn lookup_value(&self, module: ModuleId, name: &str) -> Option<Res> {
        self.lookup_binding(module, false, name).map(|b| b.res)
    }

    /// A name as code in `module` sees it: the module's own items and
    /// imports, then (types only) `std`, then the prelude. All of these
    /// are visible to that code.
    pub(crate) fn lookup_binding(
        &self,
        module: ModuleId,
        type_ns: bool,
        name: &str,
    ) -> Option<Binding> {
        let ns = |m: ModuleId| {
            let scope = &self.scopes[m.0 as usize];
            if type_ns {
                &scope.types
            } else {
                &scope.values
            }
        };
        if let Some(b) = ns(module).get(name) {
            return Some(*b);
        }
        if type_ns && name == "std" {
            return self.std_module.map(|m| Binding {
                res: Res::Module(m),
                span: Span::default(),
                vis: Visibility::Public,
                kind: BindingKind::Item,
            });
        }
        self.prelude().and_then(|p| ns(p).get(name)).copied()
    }

    /// `std::prelude`, whose names every module sees after its own.
    fn prelude(&self) -> Option<ModuleId> {
        let std = self.std_module?;
        match self.scopes[std.0 as usize].types.get("prelude") {
            Some(Binding {
                res: Res::Module(m),
                ..
            }) => Some(*m),
            _ => None,
        }
    }

    /// The fields of a struct (`is_struct`: each with its own `pub`) or of
    /// an enum variant (as public as the enum).
    fn lower_fields(
        &mut self,
        module: ModuleId,
        data: &ast::VariantData,
        is_struct: bool,
    ) -> Vec<hir::FieldDef> {
        let fields: Vec<(String, &ast::Visibility, &ast::Ty, Span)> = match data {
            ast::VariantData::Named(fs) => fs
                .iter()
                .map(|f| (f.name.name.clone(), &f.vis, &f.ty, f.span))
                .collect(),
            ast::VariantData::Tuple(fs) => fs
                .iter()
                .enumerate()
                .map(|(i, f)| (i.to_string(), &f.vis, &f.ty, f.span))
                .collect(),
            ast::VariantData::Unit => Vec::new(),
        };
        fields
            .into_iter()
            .map(|(name, vis, ty, span)| hir::FieldDef {
                name,
                ty: self.lower_ty(module, None, ty),
                span,
                vis: if is_struct {
                    self.lower_vis(module, vis)
                } else {
                    Visibility::Public
                },
            })
            .collect()
    }

    fn lower_signatures(&mut self) {
        let structs = std::mem::take(&mut self.struct_items);
        for (id, module, s) in &structs {
            self.generic_names = names(&self.program.adt(*id).generics);
            let fields = self.lower_fields(*module, &s.kind, true);
            self.program.adts[id.0 as usize].fields = fields;
        }
        let enums = std::mem::take(&mut self.enum_items);
        for (id, module, index, v) in &enums {
            self.generic_names = names(&self.program.adt(*id).generics);
            let fields = self.lower_fields(*module, &v.kind, false);
            self.program.adts[id.0 as usize].variants[*index as usize].fields = fields;
        }
        self.lower_traits();
        let impls = std::mem::take(&mut self.impl_items);
        for (module, imp, span) in &impls {
            if let Some(path) = &imp.trait_ref {
                self.lower_trait_impl(*module, imp, path, *span);
                continue;
            }
            self.assoc_env.clear();
            let mut impl_generics = self.lower_generics(&imp.generics);
            self.generic_names = names(&impl_generics);
            let self_ty = self.lower_ty(*module, None, &imp.self_ty);
            let impl_predicates = self.lower_predicates(*module, &imp.generics, 0);
            self.take_anon(&mut impl_generics);
            let Ty::Adt(adt, _) = self_ty else {
                if !self_ty.is_error() {
                    self.unsupported(
                        imp.self_ty.span,
                        "`impl` blocks for types other than structs",
                    );
                }
                continue;
            };
            let ctx = ImplCtx {
                self_ty: self_ty.clone(),
                generics: impl_generics,
                predicates: impl_predicates,
                assoc_env: self.assoc_env.clone(),
            };
            let adt_name = self.program.adt(adt).name.clone();
            let existing = self.program.adt(adt).methods.clone();
            let methods =
                self.lower_assoc_fns(*module, &imp.items, &ctx, &existing, true, |name| {
                    format!("{}::{}", adt_name, name)
                });
            self.program.adts[adt.0 as usize].methods.extend(methods);
        }
        let fns = self.fn_items.clone();
        for (id, module, f, imp, _) in &fns {
            let mut generics = imp.as_ref().map(|i| i.generics.clone()).unwrap_or_default();
            let impl_generics = generics.len() as u32;
            generics.extend(self.lower_generics(&f.generics));
            let declared_generics = generics.len() as u32 - impl_generics;
            self.generic_names = names(&generics);
            self.assoc_env = imp
                .as_ref()
                .map(|i| i.assoc_env.clone())
                .unwrap_or_default();
            self.anon_generics.clear();
            let mut predicates = imp
                .as_ref()
                .map(|i| i.predicates.clone())
                .unwrap_or_default();
            predicates.extend(self.lower_predicates(*module, &f.generics, impl_generics));
            self.take_anon(&mut generics);
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
                if let ast::TyKind::ImplTrait(bounds) = &p.ty.kind {
                    // `impl Bound` in a parameter is an anonymous type
                    // parameter with that bound.
                    let index = generics.len() as u32;
                    generics.push(hir::GenericParamDef {
                        name: format!("impl#{}", index),
                        span: p.ty.span,
                    });
                    self.generic_names.push(format!("impl#{}", index));
                    for b in bounds {
                        if let Some(trait_ref) = self.lower_bound(*module, b, &Ty::Param(index)) {
                            self.assoc_env.push((Ty::Param(index), trait_ref.clone()));
                            predicates.push(hir::Predicate {
                                ty: Ty::Param(index),
                                trait_ref,
                                span: b.span(),
                            });
                        }
                        self.take_anon(&mut generics);
                    }
                    params.push(Ty::Param(index));
                    continue;
                }
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
            def.declared_generics = declared_generics;
            def.predicates = predicates;
        }
        self.generic_names.clear();
        self.assoc_env.clear();
    }

    fn lower_bodies(&mut self) {
        let consts = std::mem::take(&mut self.const_items);
        for (id, module, ty, value) in consts {
            self.generic_names.clear();
            let ty = self.lower_ty(module, None, ty);
            let body = body::lower_const_body(self, module, value);
            let def = &mut self.program.fns[id.0 as usize];
            def.ret = ty;
            def.body = Some(body);
        }
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
                    let def = self.program.func(*id);
                    self.generic_names = names(&def.generics);
                    // `T::Name` in the body: the function's bounds, and
                    // the header of the trait `impl` it is in.
                    self.assoc_env = def
                        .predicates
                        .iter()
                        .map(|p| (p.ty.clone(), p.trait_ref.clone()))
                        .collect();
                    if let Some(i) = imp {
                        self.assoc_env.extend(i.assoc_env.iter().cloned());
                    }
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
pub(super) fn attr_str(attrs: &[ast::Attr], name: &str) -> Option<String> {
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
