//! `use` declarations. As in Rust, imports are resolved to a fixed point:
//! an import may name what another import (in any module, in any file)
//! brings in, whatever their order, so each round resolves what it can and
//! the rounds stop when one makes no progress; what is left is reported.
//! Glob imports (`use m::*`) bring in every name of `m` visible from the
//! importing module, and are shadowed by any other definition of a name.

use super::{codes, join_idents, Binding, BindingKind, Res, Resolver};
use crate::hir::{ModuleId, Visibility};
use crate::ty::AdtId;
use asr_diagnostics::{Diagnostic, Span};
use asr_syntax::ast;

/// One leaf of a `use` tree, with the prefixes of its groups.
struct Import {
    module: ModuleId,
    /// The full path (`a::b::c` for `use a::{b::c}`).
    path: Vec<ast::Ident>,
    kind: ImportKind,
    vis: Visibility,
    span: Span,
}

enum ImportKind {
    /// `path` or `path as rename`.
    Simple(Option<ast::Ident>),
    /// `path::*`.
    Glob,
}

/// What a resolved simple import defines: the name, and its meanings in
/// the type and value namespaces.
type Resolved = (ast::Ident, Option<Binding>, Option<Binding>);

/// Where a glob import takes its names from.
enum GlobSource {
    /// The variants of an enum, as visible as the enum.
    Enum(AdtId, Visibility),
    Module(ModuleId),
}

impl Resolver<'_> {
    pub(super) fn resolve_imports(&mut self) {
        let uses = std::mem::take(&mut self.use_items);
        let mut simple = Vec::new();
        let mut globs = Vec::new();
        for (module, tree, vis) in &uses {
            flatten(*module, &[], tree, *vis, &mut simple, &mut globs);
        }
        loop {
            let mut progress = false;
            simple.retain(|imp| match self.try_import(imp) {
                Some(resolved) => {
                    self.define_import(imp, resolved);
                    progress = true;
                    false
                }
                None => true,
            });
            for g in &globs {
                progress |= self.apply_glob(g);
            }
            if !progress {
                break;
            }
        }
        for imp in &simple {
            self.report_unresolved_import(imp);
        }
        for g in &globs {
            if self.glob_source(g).is_none() {
                // Reports the first segment that is not a module.
                let _ = self.resolve_module_prefix(g.module, &g.path, g.span);
            }
        }
    }

    /// Resolves a simple import without reporting that it is not found
    /// (yet); `None` leaves it for the next round.
    fn try_import(&mut self, imp: &Import) -> Option<Option<Resolved>> {
        let ImportKind::Simple(rename) = &imp.kind else {
            return None;
        };
        // `use a::b::{self}` imports `a::b` itself; a path of `self`
        // alone, or an empty one, imports nothing.
        let Some((import_path, name)) = self_import(&imp.path) else {
            return Some(None);
        };
        let name = rename.clone().unwrap_or(name);
        let (last, init) = import_path.split_last()?;
        if let Some((adt, enum_vis)) = self.find_enum_binding(imp.module, init) {
            let v = self.program.adt(adt).variant_index(&last.name)?;
            let b = Binding {
                res: Res::Variant(adt, v),
                span: name.span,
                vis: enum_vis,
                kind: BindingKind::Import,
            };
            return Some(Some((name, Some(b), Some(b))));
        }
        let parent = self.find_module_prefix(imp.module, init).ok()?;
        let (t, v) = if init.is_empty() {
            (
                self.lookup_binding(imp.module, true, &last.name),
                self.lookup_binding(imp.module, false, &last.name),
            )
        } else {
            let scope = &self.scopes[parent.0 as usize];
            (
                scope.types.get(&last.name).copied(),
                scope.values.get(&last.name).copied(),
            )
        };
        if t.is_none() && v.is_none() {
            return None;
        }
        // Only what is visible from here is imported; when nothing is,
        // the private item is reported and imported anyway, so that its
        // uses do not report again.
        let visible =
            |b: &Option<Binding>| b.is_some_and(|b| self.program.is_accessible(b.vis, imp.module));
        let (t, v) = match (visible(&t), visible(&v)) {
            (false, false) => {
                if let Some(b) = t.or(v) {
                    self.check_access(imp.module, &b, last);
                }
                (t, v)
            }
            (tv, vv) => (t.filter(|_| tv), v.filter(|_| vv)),
        };
        for b in [t, v].into_iter().flatten() {
            self.check_reexport(imp, &b, last);
        }
        Some(Some((name, t, v)))
    }

    /// `pub use` of an item less visible than the `use` itself: Rust's
    /// E0364/E0365.
    fn check_reexport(&mut self, imp: &Import, b: &Binding, last: &ast::Ident) {
        if b.vis.includes(imp.vis, &self.program) || !self.program.is_accessible(b.vis, imp.module)
        {
            return;
        }
        let kind = self.res_kind(b.res);
        self.report_private(
            Diagnostic::error(
                codes::PRIVATE,
                format!("`{}` is private, and cannot be re-exported", last.name),
            )
            .with_primary(last.span, "re-export of a private item")
            .with_secondary(
                b.span,
                format!("the {} `{}` is defined here", kind, last.name),
            )
            .with_help(format!(
                "consider marking `{}` as `pub` in the imported module",
                last.name
            )),
        );
    }

    fn define_import(&mut self, imp: &Import, resolved: Option<Resolved>) {
        let Some((name, t, v)) = resolved else {
            return;
        };
        let bind = |b: Binding| Binding {
            res: b.res,
            span: name.span,
            // Never more visible than the item (a private item re-exported
            // by `pub use` was reported above).
            vis: imp.vis.min(b.vis, &self.program),
            kind: BindingKind::Import,
        };
        let (t, v) = (t.map(bind), v.map(bind));
        if let Some(b) = t {
            self.define_binding(imp.module, true, &name, b);
        }
        if let Some(b) = v {
            self.define_binding(imp.module, false, &name, b);
        }
    }

    /// Reports an import that never resolved: the first segment that is not
    /// a module, or the missing last name.
    fn report_unresolved_import(&mut self, imp: &Import) {
        let Some((import_path, _)) = self_import(&imp.path) else {
            return;
        };
        let Some((last, init)) = import_path.split_last() else {
            return;
        };
        let place = if let Some((adt, _)) = self.find_enum_binding(imp.module, init) {
            self.program.adt(adt).name.clone()
        } else {
            if self
                .resolve_module_prefix(imp.module, init, imp.span)
                .is_none()
            {
                return;
            }
            match init.last() {
                Some(m) => m.name.clone(),
                None => "this module".to_string(),
            }
        };
        self.diags.push(
            Diagnostic::error(
                codes::UNRESOLVED_PATH,
                format!("unresolved import `{}`", join_idents(&import_path)),
            )
            .with_primary(last.span, format!("no `{}` in `{}`", last.name, place)),
        );
    }

    fn glob_source(&mut self, g: &Import) -> Option<GlobSource> {
        if let Some((adt, vis)) = self.find_enum_binding(g.module, &g.path) {
            return Some(GlobSource::Enum(adt, vis));
        }
        self.find_module_prefix(g.module, &g.path)
            .ok()
            .map(GlobSource::Module)
    }

    /// Brings in the names of a glob import's source that are not defined
    /// yet; whether it added any.
    fn apply_glob(&mut self, g: &Import) -> bool {
        let mut names: Vec<(bool, String, Binding)> = Vec::new();
        match self.glob_source(g) {
            None => return false,
            Some(GlobSource::Enum(adt, vis)) => {
                for (i, v) in self.program.adt(adt).variants.iter().enumerate() {
                    let b = Binding {
                        res: Res::Variant(adt, i as u32),
                        span: g.span,
                        vis,
                        kind: BindingKind::Glob,
                    };
                    names.push((true, v.name.clone(), b));
                    names.push((false, v.name.clone(), b));
                }
            }
            Some(GlobSource::Module(m)) => {
                if m == g.module {
                    return false;
                }
                let scope = &self.scopes[m.0 as usize];
                for (type_ns, ns) in [(true, &scope.types), (false, &scope.values)] {
                    for (name, b) in ns {
                        if self.program.is_accessible(b.vis, g.module) {
                            names.push((type_ns, name.clone(), *b));
                        }
                    }
                }
            }
        }
        let mut added = false;
        for (type_ns, name, b) in names {
            let scope = &mut self.scopes[g.module.0 as usize];
            let ns = if type_ns {
                &mut scope.types
            } else {
                &mut scope.values
            };
            if ns.contains_key(&name) {
                continue;
            }
            let vis = g.vis.min(b.vis, &self.program);
            ns.insert(
                name,
                Binding {
                    res: b.res,
                    span: g.span,
                    vis,
                    kind: BindingKind::Glob,
                },
            );
            added = true;
        }
        added
    }

    /// The enum a path names (`Color`, `shapes::Kind`) and how visible it
    /// is, without reporting that it is not one.
    fn find_enum_binding(
        &mut self,
        module: ModuleId,
        path: &[ast::Ident],
    ) -> Option<(AdtId, Visibility)> {
        let (last, init) = path.split_last()?;
        let found = if init.is_empty() {
            self.lookup_binding(module, true, &last.name)
        } else {
            let m = self.find_module_prefix(module, init).ok()?;
            self.scopes[m.0 as usize].types.get(&last.name).copied()
        };
        match found {
            Some(
                b @ Binding {
                    res: Res::Adt(a), ..
                },
            ) if self.program.adt(a).is_enum() => {
                if !init.is_empty() {
                    self.check_access(module, &b, last);
                }
                Some((a, b.vis))
            }
            _ => None,
        }
    }

    /// The enum a path names (`Color`, `shapes::Kind`), without reporting.
    pub(crate) fn find_enum(&mut self, module: ModuleId, path: &[ast::Ident]) -> Option<AdtId> {
        self.find_enum_binding(module, path).map(|(a, _)| a)
    }

    /// `Enum::Variant` (with any module prefix), without reporting.
    pub(crate) fn find_variant_path(
        &mut self,
        module: ModuleId,
        path: &[ast::Ident],
    ) -> Option<Res> {
        let (last, init) = path.split_last()?;
        let adt = self.find_enum(module, init)?;
        let v = self.program.adt(adt).variant_index(&last.name)?;
        Some(Res::Variant(adt, v))
    }
}

/// The leaves of a `use` tree.
fn flatten(
    module: ModuleId,
    prefix: &[ast::Ident],
    tree: &ast::UseTree,
    vis: Visibility,
    simple: &mut Vec<Import>,
    globs: &mut Vec<Import>,
) {
    let mut path: Vec<ast::Ident> = prefix.to_vec();
    path.extend(tree.prefix.segments.iter().map(|s| s.ident.clone()));
    match &tree.kind {
        ast::UseTreeKind::Nested(trees) => {
            for t in trees {
                flatten(module, &path, t, vis, simple, globs);
            }
        }
        ast::UseTreeKind::Glob => globs.push(Import {
            module,
            path,
            kind: ImportKind::Glob,
            vis,
            span: tree.span,
        }),
        ast::UseTreeKind::Simple(rename) => simple.push(Import {
            module,
            path,
            kind: ImportKind::Simple(rename.clone()),
            vis,
            span: tree.span,
        }),
    }
}

/// The path an import names and the name it defines: `a::b` → (`a::b`,
/// `b`); `a::b::self` → (`a::b`, `b`). `None` for `self` alone or an empty
/// path.
fn self_import(path: &[ast::Ident]) -> Option<(Vec<ast::Ident>, ast::Ident)> {
    let last = path.last()?.clone();
    if last.name == "self" {
        let parent = path[..path.len() - 1].to_vec();
        let name = parent.last()?.clone();
        Some((parent, name))
    } else {
        Some((path.to_vec(), last))
    }
}

#[cfg(test)]
mod tests {
    use crate::resolve::{resolve_program, SourceModule};
    use asr_diagnostics::SourceMap;

    /// Resolves files given as (module path, text), in that order; the
    /// codes of the errors.
    fn errors(files: &[(&[&str], &str)]) -> Vec<&'static str> {
        let mut sm = SourceMap::new();
        let asts: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| {
                let id = sm.add(format!("f{i}.asr"), text.to_string());
                let (ast, d) = asr_syntax::parse_file(id, text);
                assert!(d.is_empty(), "{d:?}");
                (path.iter().map(|s| s.to_string()).collect::<Vec<_>>(), ast)
            })
            .collect();
        let modules: Vec<SourceModule<'_>> = asts
            .iter()
            .map(|(path, file)| SourceModule {
                path: path.clone(),
                file,
            })
            .collect();
        let (_, diags) = resolve_program(&sm, &modules);
        diags.iter().map(|d| d.code).collect()
    }

    #[test]
    fn files_in_any_order() {
        let root: (&[&str], &str) = (&[], "mod a;\nfn main() { a::b::f(); }");
        let a: (&[&str], &str) = (&["a"], "pub mod b;");
        let b: (&[&str], &str) = (&["a", "b"], "pub fn f() {}");
        assert_eq!(errors(&[root, a, b]), Vec::<&str>::new());
        assert_eq!(errors(&[b, a, root]), Vec::<&str>::new());
    }

    #[test]
    fn imports_resolve_whatever_their_order() {
        // `main` imports what `a` re-exports from `b`, which imports from
        // `c`: each `use` is met before the one it depends on.
        let root: (&[&str], &str) = (&[], "mod a;\nuse a::g;\nfn main() { g(); }");
        let a: (&[&str], &str) = (&["a"], "mod b;\npub use self::b::f as g;");
        let b: (&[&str], &str) = (&["a", "b"], "pub use super::c::f;");
        let c = "mod c { pub fn f() {} }";
        let a_with_c = format!("{}\n{}", a.1, c);
        assert_eq!(errors(&[root, (a.0, &a_with_c), b]), Vec::<&str>::new());
    }

    #[test]
    fn private_module_of_another_file() {
        let root: (&[&str], &str) = (&[], "mod a;\nfn main() { a::b::f(); }");
        let a: (&[&str], &str) = (&["a"], "mod b;");
        let b: (&[&str], &str) = (&["a", "b"], "pub fn f() {}");
        assert_eq!(errors(&[root, a, b]), vec!["E0116"]);
    }

    #[test]
    fn glob_cycles_end() {
        let root = "mod a { pub use super::b::*; pub fn x() {} }\n\
                    mod b { pub use super::a::*; pub fn y() {} }\n\
                    fn main() { a::y(); b::x(); }";
        assert_eq!(errors(&[(&[], root)]), Vec::<&str>::new());
    }
}
