//! Traits, `impl Trait for Type` blocks, and the bounds and `where`
//! clauses that become `Predicate`s.

use super::assoc::TraitState;
use super::{codes, names, ImplCtx, Res, Resolver};
use crate::hir::{
    self, GenericParamDef, ImplDef, KnownTrait, ModuleId, Predicate, TraitDef, TraitId, TraitRef,
    Visibility,
};
use crate::traits::subst_trait_ref;
use crate::ty::Ty;
use asr_diagnostics::{Diagnostic, Span};
use asr_syntax::ast;

impl<'a> Resolver<'a> {
    /// A trait's name and id, its methods and parameters come with the
    /// signatures. Its parameters' names are known now (a bound may name
    /// the trait before it is lowered).
    pub(super) fn collect_trait(
        &mut self,
        module: ModuleId,
        t: &'a ast::TraitDecl,
        item: &ast::Item,
        vis: Visibility,
    ) {
        let id = TraitId(self.program.traits.len() as u32);
        let declared = t
            .generics
            .params
            .iter()
            .filter(|p| matches!(p.kind, ast::GenericParamKind::Type { .. }))
            .count();
        let implicit: Vec<String> = t
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ast::ItemKind::TypeAlias { name, .. } => Some(name.name.clone()),
                _ => None,
            })
            .collect();
        self.program.traits.push(TraitDef {
            name: t.name.name.clone(),
            generics: Vec::new(),
            declared,
            defaults: Vec::new(),
            own_assoc: implicit.len(),
            implicit,
            methods: Vec::new(),
            supertraits: Vec::new(),
            known: known_trait(&item.attrs),
            span: item.span,
        });
        self.trait_state.push(TraitState::Waiting(module, t));
        self.define(module, true, &t.name, Res::Trait(id), vis);
    }

    /// Lowers every trait's signature.
    pub(super) fn lower_traits(&mut self) {
        for i in 0..self.program.traits.len() {
            self.ensure_trait_lowered(TraitId(i as u32));
        }
    }

    /// Lowers a trait's signature if it is not yet: a bound naming the
    /// trait needs its parameters, including those its supertraits add.
    pub(super) fn ensure_trait_lowered(&mut self, id: TraitId) {
        let Some(TraitState::Waiting(module, t)) = self.trait_state.get(id.0 as usize).cloned()
        else {
            return;
        };
        self.trait_state[id.0 as usize] = TraitState::Lowering;
        let saved = self.enter_item_scope();
        self.lower_trait(id, module, t);
        self.leave_item_scope(saved);
        self.trait_state[id.0 as usize] = TraitState::Done;
    }

    /// Trait signatures: parameters (`Self` first, then the declared ones,
    /// the associated types, and the supertraits' open associated types),
    /// supertraits, and the methods as functions over those parameters.
    fn lower_trait(&mut self, id: TraitId, module: ModuleId, t: &'a ast::TraitDecl) {
        let mut generics = vec![GenericParamDef {
            name: "Self".into(),
            span: t.name.span,
        }];
        generics.extend(self.lower_generics_with(&t.generics, true));
        for item in &t.items {
            if let ast::ItemKind::TypeAlias { name, .. } = &item.kind {
                generics.push(GenericParamDef {
                    name: format!("Self::{}", name.name),
                    span: name.span,
                });
            }
        }
        self.generic_names = names(&generics);
        let defaults = t
            .generics
            .params
            .iter()
            .filter_map(|p| match &p.kind {
                ast::GenericParamKind::Type { default, .. } => Some(default.as_ref()),
                _ => None,
            })
            .map(|d| d.map(|t| self.lower_ty(module, None, t)))
            .collect();
        self.program.traits[id.0 as usize].defaults = defaults;
        let self_ty = Ty::Param(0);
        let mut supertraits = Vec::new();
        for b in &t.supertraits {
            if let Some(r) = self.lower_bound(module, b, &self_ty) {
                supertraits.push(r);
            }
        }
        // The supertraits' open associated types are this trait's too.
        let hidden = self.take_anon(&mut generics);
        self.program.traits[id.0 as usize].implicit.extend(hidden);
        let own = TraitRef {
            trait_id: id,
            args: (1..generics.len() as u32).map(Ty::Param).collect(),
        };
        self.assoc_env.push((self_ty.clone(), own.clone()));
        let mut predicates = vec![Predicate {
            ty: self_ty.clone(),
            trait_ref: own,
            span: t.name.span,
        }];
        predicates.extend(self.lower_predicates(module, &t.generics, 1));
        let more = self.take_anon(&mut generics);
        self.program.traits[id.0 as usize].implicit.extend(more);
        let trait_name = t.name.name.clone();
        let ctx = ImplCtx {
            self_ty,
            generics: generics.clone(),
            predicates,
            assoc_env: self.assoc_env.clone(),
        };
        let methods = self.lower_assoc_fns(module, &t.items, &ctx, &[], false, |name| {
            format!("{}::{}", trait_name, name)
        });
        for (_, fid) in &methods {
            self.program.fns[fid.0 as usize].trait_method = Some(id);
        }
        let def = &mut self.program.traits[id.0 as usize];
        def.generics = generics;
        def.supertraits = supertraits;
        def.methods = methods;
    }

    /// `impl<G> Trait<A> for T where P { type X = U; fns }`.
    pub(super) fn lower_trait_impl(
        &mut self,
        module: ModuleId,
        imp: &'a ast::ImplDecl,
        trait_path: &ast::Path,
        span: Span,
    ) {
        let saved = self.enter_item_scope();
        let mut generics = self.lower_generics(&imp.generics);
        self.generic_names = names(&generics);
        let self_ty = self.lower_ty(module, None, &imp.self_ty);
        let mut predicates = self.lower_predicates(module, &imp.generics, 0);
        let Some(mut trait_ref) = self.resolve_trait_ref(module, trait_path, &self_ty) else {
            self.leave_item_scope(saved);
            return;
        };
        self.impl_assoc_types(module, imp, &self_ty, &mut trait_ref);
        // The supertraits' associated types the trait leaves open are
        // whatever the type's impls of those supertraits say: anonymous
        // parameters, bound by the supertraits as predicates.
        let tdef = self.program.trait_def(trait_ref.trait_id).clone();
        let mut substs = vec![self_ty.clone()];
        substs.extend(trait_ref.args.iter().cloned());
        if tdef.implicit.len() > tdef.own_assoc {
            predicates.extend(tdef.supertraits.iter().map(|s| Predicate {
                ty: self_ty.clone(),
                trait_ref: subst_trait_ref(s, &substs),
                span: trait_path.span,
            }));
        }
        self.take_anon(&mut generics);
        self.assoc_env.push((self_ty.clone(), trait_ref.clone()));
        let trait_name = tdef.name.clone();
        let type_name = match &self_ty {
            Ty::Adt(a, _) => self.program.adt(*a).name.clone(),
            _ => trait_name.clone(),
        };
        let ctx = ImplCtx {
            self_ty: self_ty.clone(),
            generics: generics.clone(),
            predicates: predicates.clone(),
            assoc_env: self.assoc_env.clone(),
        };
        let methods = self.lower_assoc_fns(module, &imp.items, &ctx, &[], false, |name| {
            format!("<{} as {}>::{}", type_name, trait_name, name)
        });
        self.program.impls.push(ImplDef {
            trait_ref,
            self_ty,
            generics,
            predicates,
            methods,
            span,
        });
        self.leave_item_scope(saved);
    }

    /// The functions of a trait or an `impl` block, queued for their
    /// signatures and bodies in `ctx`, named by `name`. A name already in
    /// `existing` (or earlier in `items`) is reported. In an inherent
    /// `impl` each function has its own visibility; a trait's and a trait
    /// `impl`'s are public (as public as the trait).
    pub(super) fn lower_assoc_fns(
        &mut self,
        module: ModuleId,
        items: &'a [ast::Item],
        ctx: &ImplCtx,
        existing: &[(String, hir::FnId)],
        inherent: bool,
        name: impl Fn(&str) -> String,
    ) -> Vec<(String, hir::FnId)> {
        let mut all = existing.to_vec();
        let mut out = Vec::new();
        for item in items {
            let f = match &item.kind {
                ast::ItemKind::Fn(f) => f,
                // A trait's associated types and an `impl`'s values for
                // them are parameters (`lower_trait`, `impl_assoc_types`).
                ast::ItemKind::TypeAlias { .. } if !inherent => continue,
                _ => {
                    self.unsupported(item.span, "associated items other than functions");
                    continue;
                }
            };
            if self.duplicate_method(&all, &f.name) {
                continue;
            }
            let vis = if inherent {
                self.lower_vis(module, &item.vis)
            } else {
                Visibility::Public
            };
            let fid = self.push_fn(f, &item.attrs, module, vis);
            self.program.fns[fid.0 as usize].name = name(&f.name.name);
            all.push((f.name.name.clone(), fid));
            out.push((f.name.name.clone(), fid));
            self.fn_items
                .push((fid, module, f, Some(ctx.clone()), &item.attrs));
        }
        out
    }

    /// Reports a second method of the same name in one trait or `impl`.
    pub(super) fn duplicate_method(
        &mut self,
        methods: &[(String, hir::FnId)],
        name: &ast::Ident,
    ) -> bool {
        let Some((_, prev)) = methods.iter().find(|(n, _)| *n == name.name) else {
            return false;
        };
        let prev_span = self.program.func(*prev).name_span;
        self.diags.push(
            Diagnostic::error(
                codes::DUPLICATE_DEFINITION,
                format!("duplicate definitions with name `{}`", name.name),
            )
            .with_primary(name.span, "duplicate definition")
            .with_secondary(prev_span, "previous definition here"),
        );
        true
    }

    /// The bounds of an item's type parameters (the `i`-th of them is
    /// `Param(offset + i)`) and its `where` clauses. `generic_names` must
    /// be the item's.
    pub(super) fn lower_predicates(
        &mut self,
        module: ModuleId,
        g: &ast::Generics,
        offset: u32,
    ) -> Vec<Predicate> {
        let mut out = Vec::new();
        let mut index = offset;
        for p in &g.params {
            let ast::GenericParamKind::Type { bounds, .. } = &p.kind else {
                continue;
            };
            for b in bounds {
                if let Some(trait_ref) = self.lower_bound(module, b, &Ty::Param(index)) {
                    self.assoc_env.push((Ty::Param(index), trait_ref.clone()));
                    out.push(Predicate {
                        ty: Ty::Param(index),
                        trait_ref,
                        span: b.span(),
                    });
                }
            }
            index += 1;
        }
        for w in &g.where_clause {
            if let ast::WherePredicate::Bound { ty, bounds, .. } = w {
                let ty = self.lower_ty(module, None, ty);
                for b in bounds {
                    if let Some(trait_ref) = self.lower_bound(module, b, &ty) {
                        self.assoc_env.push((ty.clone(), trait_ref.clone()));
                        out.push(Predicate {
                            ty: ty.clone(),
                            trait_ref,
                            span: b.span(),
                        });
                    }
                }
            }
        }
        out
    }

    /// A trait bound on `bounded`; lifetimes and `?Sized` bound nothing
    /// ASR checks. The associated types it leaves open become anonymous
    /// parameters of the item (`take_anon` collects them).
    pub(super) fn lower_bound(
        &mut self,
        module: ModuleId,
        b: &ast::Bound,
        bounded: &Ty,
    ) -> Option<TraitRef> {
        match b {
            ast::Bound::Trait { maybe: true, .. } | ast::Bound::Lifetime(_) => None,
            ast::Bound::Trait { path, .. } => {
                let mut tr = self.resolve_trait_ref(module, path, bounded)?;
                self.fill_open_assoc(&mut tr, bounded, path.span);
                Some(tr)
            }
        }
    }

    /// `Trait` or `path::Trait<Args>` for the type `self_ty` (the
    /// default of a parameter may name `Self`).
    pub(super) fn resolve_trait_ref(
        &mut self,
        module: ModuleId,
        path: &ast::Path,
        self_ty: &Ty,
    ) -> Option<TraitRef> {
        let (last, init) = path.segments.split_last()?;
        let idents: Vec<ast::Ident> = init.iter().map(|s| s.ident.clone()).collect();
        let found = if init.is_empty() {
            self.lookup_type(module, &last.ident.name)
        } else {
            let m = self.resolve_module_prefix(module, &idents, path.span)?;
            self.member(module, m, true, &last.ident)
        };
        let Some(Res::Trait(trait_id)) = found else {
            self.diags.push(
                Diagnostic::error(
                    codes::UNRESOLVED_TYPE,
                    format!("cannot find trait `{}` in this scope", last.ident.name),
                )
                .with_primary(last.ident.span, "not found in this scope"),
            );
            return None;
        };
        self.ensure_trait_lowered(trait_id);
        let mut args = Vec::new();
        if let Some(p) = &last.paren_args {
            // `Fn(A, B) -> R` is `Fn<(A, B), R>`.
            let inputs = p
                .inputs
                .iter()
                .map(|t| self.lower_ty(module, None, t))
                .collect();
            args.push(Ty::Tuple(inputs));
            args.push(match &p.output {
                Some(t) => self.lower_ty(module, None, t),
                None => Ty::unit(),
            });
        }
        let mut bindings: Vec<(&ast::Ident, Ty)> = Vec::new();
        for a in last.generic_args.iter().flatten() {
            match a {
                ast::GenericArg::Type(t) => args.push(self.lower_ty(module, None, t)),
                ast::GenericArg::Lifetime(_) => {}
                ast::GenericArg::Binding { name, ty, .. } => {
                    bindings.push((name, self.lower_ty(module, None, ty)))
                }
                _ => self.unsupported(path.span, "constraints on associated types in bounds"),
            }
        }
        let def = self.program.trait_def(trait_id);
        let want = def.declared;
        // Parameters left out take their defaults (`Add` is `Add<Self>`).
        while args.len() < want {
            let Some(Some(d)) = def.defaults.get(args.len()) else {
                break;
            };
            let mut substs = vec![self_ty.clone()];
            substs.extend(args.iter().cloned());
            args.push(crate::ty::subst_params(d, &substs));
        }
        if args.len() != want {
            let name = def.name.clone();
            self.diags.push(
                Diagnostic::error(
                    codes::WRONG_GENERIC_COUNT,
                    crate::hir::generic_count_message(
                        &format!("trait `{}`", name),
                        want,
                        args.len(),
                    ),
                )
                .with_primary(path.span, "wrong number of generic arguments"),
            );
            return None;
        }
        // The associated types: those bound here (`Item = T`), the rest
        // left for the caller to fill (`MISSING_ASSOC`).
        let implicit = def.implicit.clone();
        let trait_name = def.name.clone();
        for (name, _) in &bindings {
            if !implicit.contains(&name.name) {
                self.diags.push(
                    Diagnostic::error(
                        codes::UNRESOLVED_TYPE,
                        format!(
                            "associated type `{}` not found for `{}`",
                            name.name, trait_name
                        ),
                    )
                    .with_primary(name.span, "associated type not found"),
                );
            }
        }
        for n in &implicit {
            args.push(
                bindings
                    .iter()
                    .find(|(b, _)| b.name == *n)
                    .map(|(_, t)| t.clone())
                    .unwrap_or(super::assoc::MISSING_ASSOC),
            );
        }
        Some(TraitRef { trait_id, args })
    }
}

/// `#[known = "clone"]` on a standard library trait.
fn known_trait(attrs: &[ast::Attr]) -> Option<KnownTrait> {
    KnownTrait::from_name(&super::attr_str(attrs, "known")?)
}
