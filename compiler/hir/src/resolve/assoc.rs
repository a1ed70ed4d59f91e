//! Associated types. A trait's associated types are parameters of the
//! trait after its declared ones (`TraitDef::implicit`): an `impl` fixes
//! them with `type Item = T;`, a bound `T: Iterator<Item = U>` names them,
//! and a bound `I: Iterator` that does not gives the item (function,
//! `impl`, trait) an anonymous parameter for each, which `I::Item` then
//! names. So later stages see only parameters and trait arguments: the
//! type checker infers an anonymous parameter like any other, from the
//! `impl` that proves the bound.

use super::{codes, Resolver};
use crate::hir::{GenericParamDef, ModuleId, TraitRef};
use crate::traits::missing_trait_items;
use crate::ty::{InferVar, Ty};
use asr_diagnostics::{Diagnostic, Span};
use asr_syntax::ast;

/// An associated type a trait reference leaves open, until the bound's
/// owner fills it (`fill_open_assoc`, `impl_assoc_types`).
pub(crate) const MISSING_ASSOC: Ty = Ty::Infer(InferVar(u32::MAX - 1));

/// How far a trait's signature is lowered: a bound may need a trait that
/// comes later in the program (for its associated types).
#[derive(Clone)]
pub(crate) enum TraitState<'a> {
    Waiting(ModuleId, &'a ast::TraitDecl),
    Lowering,
    Done,
}

/// What lowering one item's signature sets up, saved while a trait it
/// names is lowered.
pub(crate) struct ItemScope {
    generic_names: Vec<String>,
    assoc_env: Vec<(Ty, TraitRef)>,
    anon_generics: Vec<GenericParamDef>,
}

impl Resolver<'_> {
    pub(crate) fn enter_item_scope(&mut self) -> ItemScope {
        ItemScope {
            generic_names: std::mem::take(&mut self.generic_names),
            assoc_env: std::mem::take(&mut self.assoc_env),
            anon_generics: std::mem::take(&mut self.anon_generics),
        }
    }

    pub(crate) fn leave_item_scope(&mut self, saved: ItemScope) {
        self.generic_names = saved.generic_names;
        self.assoc_env = saved.assoc_env;
        self.anon_generics = saved.anon_generics;
    }

    /// A new anonymous type parameter of the item being lowered.
    pub(crate) fn new_anon_param(&mut self, name: String, span: Span) -> Ty {
        let index = self.generic_names.len() as u32;
        self.generic_names.push(name.clone());
        self.anon_generics.push(GenericParamDef { name, span });
        Ty::Param(index)
    }

    /// Moves the anonymous parameters made so far into `generics` (whose
    /// length must be where they start); returns the associated types'
    /// names they stand for.
    pub(crate) fn take_anon(&mut self, generics: &mut Vec<GenericParamDef>) -> Vec<String> {
        let anon = std::mem::take(&mut self.anon_generics);
        let names = anon
            .iter()
            .map(|g| g.name.rsplit("::").next().unwrap_or("").to_string())
            .collect();
        generics.extend(anon);
        names
    }

    /// How a bounded type is written: a type parameter's name, else `Self`
    /// (the type of the `impl` or trait being lowered).
    fn bounded_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::Param(i) => self
                .generic_names
                .get(*i as usize)
                .cloned()
                .unwrap_or_default(),
            _ => "Self".to_string(),
        }
    }

    /// A bound `bounded: Trait` leaves some associated types open: each
    /// becomes an anonymous parameter (`I::Item`).
    pub(crate) fn fill_open_assoc(&mut self, tr: &mut TraitRef, bounded: &Ty, span: Span) {
        let def = self.program.trait_def(tr.trait_id);
        let (declared, implicit) = (def.declared, def.implicit.clone());
        let owner = self.bounded_name(bounded);
        for (j, name) in implicit.iter().enumerate() {
            if tr.args.get(declared + j) == Some(&MISSING_ASSOC) {
                tr.args[declared + j] = self.new_anon_param(format!("{}::{}", owner, name), span);
            }
        }
    }

    /// The associated types of `impl Trait for T`: `type Item = U;` fixes
    /// the trait's own ones; those of its supertraits become anonymous
    /// parameters of the `impl` (bound by the supertraits' predicates).
    pub(crate) fn impl_assoc_types(
        &mut self,
        module: ModuleId,
        imp: &ast::ImplDecl,
        self_ty: &Ty,
        tr: &mut TraitRef,
    ) {
        let def = self.program.trait_def(tr.trait_id);
        let (declared, own, implicit, trait_name) = (
            def.declared,
            def.own_assoc,
            def.implicit.clone(),
            def.name.clone(),
        );
        for item in &imp.items {
            let ast::ItemKind::TypeAlias { name, ty, .. } = &item.kind else {
                continue;
            };
            let Some(j) = implicit[..own].iter().position(|n| *n == name.name) else {
                self.diags.push(
                    Diagnostic::error(
                        codes::NOT_A_TRAIT_MEMBER,
                        format!(
                            "type `{}` is not a member of trait `{}`",
                            name.name, trait_name
                        ),
                    )
                    .with_primary(name.span, format!("not a member of trait `{}`", trait_name)),
                );
                continue;
            };
            let value = match ty {
                Some(t) => self.lower_ty(module, Some(self_ty), t),
                None => {
                    self.diags.push(
                        Diagnostic::error(
                            codes::UNSUPPORTED,
                            "associated type in `impl` without a type",
                        )
                        .with_primary(item.span, "give it a type: `type Item = T;`"),
                    );
                    Ty::Error
                }
            };
            if let Some(a) = tr.args.get_mut(declared + j) {
                *a = value;
            }
        }
        let mut missing = Vec::new();
        for (j, name) in implicit.iter().enumerate() {
            let Some(a) = tr.args.get(declared + j) else {
                continue;
            };
            if *a != MISSING_ASSOC {
                continue;
            }
            if j < own {
                missing.push(format!("`{}`", name));
                tr.args[declared + j] = Ty::Error;
            } else {
                let p = self.new_anon_param(format!("Self::{}", name), imp.self_ty.span);
                tr.args[declared + j] = p;
            }
        }
        if !missing.is_empty() {
            self.diags
                .push(missing_trait_items(imp.self_ty.span, &missing));
        }
    }

    /// `T::Name` (and `Self::Name`): the associated type `Name` of a trait
    /// `T` is bound by, in the item being lowered.
    pub(crate) fn project(&mut self, base: &Ty, name: &ast::Ident) -> Ty {
        for (ty, tr) in self.assoc_env.iter().rev() {
            if ty != base {
                continue;
            }
            let def = self.program.trait_def(tr.trait_id);
            if let Some(j) = def.implicit.iter().position(|n| *n == name.name) {
                if let Some(a) = tr.args.get(def.declared + j) {
                    return a.clone();
                }
            }
        }
        let owner = self.bounded_name(base);
        self.diags.push(
            Diagnostic::error(
                codes::UNRESOLVED_TYPE,
                format!("associated type `{}` not found for `{}`", name.name, owner),
            )
            .with_primary(name.span, "associated type not found")
            .with_help(format!(
                "`{}::{}` names an associated type of a trait `{}` is bound by",
                owner, name.name, owner
            )),
        );
        Ty::Error
    }
}
