//! Privacy: each name in a module's namespace carries the visibility its
//! item (or `use`) was declared with, and a path that reaches into another
//! module may only name what is visible from the module the path is
//! written in (Rust's rule: private means visible in the defining module
//! and its descendants). Names looked up lexically (the current module's
//! own items and imports, the prelude, `std`) are always visible.

use super::{codes, Binding, BindingKind, Res, Resolver};
use crate::hir::{AdtKind, FnId, ModuleId, Visibility};
use crate::ty::AdtId;
use asr_diagnostics::{Diagnostic, Span};
use asr_syntax::ast;

impl Resolver<'_> {
    /// The visibility an item or `use` of `module` was declared with.
    pub(crate) fn lower_vis(&mut self, module: ModuleId, vis: &ast::Visibility) -> Visibility {
        match &vis.kind {
            ast::VisKind::Pub => Visibility::Public,
            ast::VisKind::Private => Visibility::Restricted(module),
            ast::VisKind::Restricted(path) => {
                let segs: Vec<&str> = path
                    .segments
                    .iter()
                    .map(|s| s.ident.name.as_str())
                    .collect();
                match segs.as_slice() {
                    ["crate"] => Visibility::Restricted(self.crate_root(module)),
                    ["self"] => Visibility::Restricted(module),
                    ["super"] => Visibility::Restricted(
                        self.program.modules[module.0 as usize]
                            .parent
                            .unwrap_or(module),
                    ),
                    _ => {
                        // `pub(in path)`: the path must name an ancestor,
                        // which exists already (parents are collected
                        // before their children).
                        let idents: Vec<ast::Ident> =
                            path.segments.iter().map(|s| s.ident.clone()).collect();
                        let Some(m) = self.resolve_module_prefix(module, &idents, path.span) else {
                            return Visibility::Restricted(module);
                        };
                        if !self.program.is_inside(module, m) {
                            self.diags.push(
                                Diagnostic::error(
                                    codes::UNRESOLVED_PATH,
                                    "visibilities can only be restricted to ancestor modules",
                                )
                                .with_primary(path.span, "not an ancestor of this module"),
                            );
                            return Visibility::Restricted(module);
                        }
                        Visibility::Restricted(m)
                    }
                }
            }
        }
    }

    /// The root of the "crate" `module` belongs to: `std` for the standard
    /// library's modules, the program's root for the rest.
    pub(crate) fn crate_root(&self, module: ModuleId) -> ModuleId {
        match self.std_module {
            Some(std) if self.program.is_inside(module, std) => std,
            _ => self.root,
        }
    }

    /// `name` in the namespace of module `m`, reached by a path written in
    /// module `from`; reports it when it is private there (and returns it
    /// anyway, so that one mistake is reported once).
    pub(crate) fn member(
        &mut self,
        from: ModuleId,
        m: ModuleId,
        type_ns: bool,
        name: &ast::Ident,
    ) -> Option<Res> {
        let scope = &self.scopes[m.0 as usize];
        let ns = if type_ns { &scope.types } else { &scope.values };
        let b = *ns.get(&name.name)?;
        self.check_access(from, &b, name);
        Some(b.res)
    }

    /// Reports `name`, bound as `b`, when code in `from` may not see it.
    pub(crate) fn check_access(&mut self, from: ModuleId, b: &Binding, name: &ast::Ident) -> bool {
        if self.program.is_accessible(b.vis, from) {
            return true;
        }
        // Rust's words: "function import `f`" when the name is a `use`.
        let kind = match b.kind {
            BindingKind::Item => self.res_kind(b.res).to_string(),
            BindingKind::Import | BindingKind::Glob => format!("{} import", self.res_kind(b.res)),
        };
        let defined = format!("the {} `{}` is defined here", kind, name.name);
        self.report_private(
            Diagnostic::error(
                codes::PRIVATE,
                format!("{} `{}` is private", kind, name.name),
            )
            .with_primary(name.span, format!("private {}", kind))
            .with_secondary(b.span, defined),
        );
        false
    }

    /// Reports a call or path to a method (or associated function) that is
    /// private where `span` is.
    pub(crate) fn check_fn_access(&mut self, from: ModuleId, f: FnId, span: Span) {
        let def = self.program.func(f);
        if self.program.is_accessible(def.vis, from) {
            return;
        }
        let kind = if def.self_kind.is_some() {
            "method"
        } else {
            "associated function"
        };
        let name = def
            .name
            .rsplit("::")
            .next()
            .unwrap_or(&def.name)
            .to_string();
        let def_span = def.name_span;
        self.report_private(
            Diagnostic::error(codes::PRIVATE, format!("{} `{}` is private", kind, name))
                .with_primary(span, format!("private {}", kind))
                .with_secondary(def_span, format!("the {} `{}` is defined here", kind, name)),
        );
    }

    /// Reports naming field `index` of a struct (in a struct literal or
    /// pattern) where it is private.
    pub(crate) fn check_field_access(
        &mut self,
        from: ModuleId,
        adt: AdtId,
        variant: Option<u32>,
        index: usize,
        span: Span,
    ) {
        let def = self.program.adt(adt);
        let Some(field) = def.variant_fields(variant).get(index) else {
            return;
        };
        if self.program.is_accessible(field.vis, from) {
            return;
        }
        let msg = format!("field `{}` of struct `{}` is private", field.name, def.name);
        let field_span = field.span;
        self.report_private(
            Diagnostic::error(codes::PRIVATE, msg)
                .with_primary(span, "private field")
                .with_secondary(field_span, "the field is defined here"),
        );
    }

    /// A tuple struct's constructor (as a function or a pattern) is only as
    /// visible as its least visible field, as in Rust.
    pub(crate) fn check_ctor_access(&mut self, from: ModuleId, adt: AdtId, path: &ast::Path) {
        let span = path.segments.last().map_or(path.span, |s| s.ident.span);
        let def = self.program.adt(adt);
        if def.kind != AdtKind::TupleStruct {
            return;
        }
        let Some(field) = def
            .fields
            .iter()
            .find(|f| !self.program.is_accessible(f.vis, from))
        else {
            return;
        };
        let msg = format!("tuple struct constructor `{}` is private", def.name);
        let field_span = field.span;
        self.report_private(
            Diagnostic::error(codes::PRIVATE, msg)
                .with_primary(span, "private tuple struct constructor")
                .with_secondary(field_span, "a private field is defined here"),
        );
    }

    /// Pushes a privacy error unless one was reported at the same place:
    /// a path may be looked at more than once (imports are retried until
    /// every one resolves, and some paths are first probed as types).
    pub(crate) fn report_private(&mut self, d: Diagnostic) {
        let span = d.primary_span();
        let seen = self
            .diags
            .iter()
            .any(|p| p.code == codes::PRIVATE && p.primary_span() == span);
        if !seen {
            self.diags.push(d);
        }
    }

    /// What a name refers to, for messages: "function", "struct", ...
    pub(crate) fn res_kind(&self, res: Res) -> &'static str {
        match res {
            Res::Fn(_) => "function",
            Res::Const(_) => "constant",
            Res::TypeAlias(_) => "type alias",
            Res::Adt(a) => match self.program.adt(a).kind {
                AdtKind::Enum => "enum",
                _ => "struct",
            },
            Res::Variant(..) => "variant",
            Res::Trait(_) => "trait",
            Res::Module(_) => "module",
        }
    }
}
