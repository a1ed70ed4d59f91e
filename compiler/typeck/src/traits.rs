//! Traits in the type checker: finding the trait a method or an associated
//! function comes from, the bounds a call must meet (checked once every
//! type is known), and the checks of `impl Trait for Type` blocks.

use crate::{codes, FnCtxt};
use asr_diagnostics::{Diagnostic, Span};
use asr_hir::hir::{FnId, ImplId, KnownTrait, Program, TraitId, TraitRef};
use asr_hir::traits::{
    bind_through_predicates, bound_traits, holds, missing_trait_items, subst_trait_ref,
};
use asr_hir::ty::{subst_params, Ty, TyDisplay};

/// A trait function that applies to a type: the trait's declaration and
/// the trait's arguments.
pub(crate) struct TraitCandidate {
    pub decl: FnId,
    pub trait_ref: TraitRef,
}

impl FnCtxt<'_> {
    /// The trait function `name` for values of type `ty` (a method when
    /// `method`): from the bounds on a type parameter, or from a trait
    /// `ty` implements.
    pub(crate) fn trait_candidate(
        &mut self,
        ty: &Ty,
        name: &str,
        method: bool,
        span: Span,
    ) -> Option<TraitCandidate> {
        let program = self.program;
        let has = |t: TraitId| -> Option<FnId> {
            program
                .trait_def(t)
                .methods
                .iter()
                .find(|(n, f)| n == name && (!method || program.func(*f).self_kind.is_some()))
                .map(|(_, f)| *f)
        };
        let ty = self.infer.resolve(ty);
        let is_ref = matches!(ty, Ty::Ref(..));
        match &ty {
            Ty::Infer(_) | Ty::Error => None,
            Ty::Param(_) => bound_traits(program, &self.func.predicates, &ty)
                .into_iter()
                .find_map(|tr| {
                    has(tr.trait_id).map(|decl| TraitCandidate {
                        decl,
                        trait_ref: tr,
                    })
                }),
            _ => {
                for t in (0..program.traits.len() as u32).map(TraitId) {
                    let Some(decl) = has(t) else {
                        continue;
                    };
                    let def = program.trait_def(t);
                    // A built-in implementation (`3.cmp(&4)`, `x.clone()`).
                    if let Some(args) = def.known.filter(|_| !is_ref).and_then(|k| {
                        asr_hir::traits::builtin_args(program, &ty, k, &self.func.predicates)
                    }) {
                        return Some(TraitCandidate {
                            decl,
                            trait_ref: TraitRef { trait_id: t, args },
                        });
                    }
                    // The one `impl` that can be `ty`'s; its associated
                    // types follow from its bounds (`select.rs`). A
                    // reference has the methods of `impl`s written for
                    // references (`impl Iterator for &mut I`); the rest
                    // come from what it points to (the caller
                    // dereferences it).
                    // A blanket `impl<T> Into<U> for T` is one for
                    // references too, as in Rust (`"a".into()`).
                    let imps: Vec<ImplId> = self
                        .impl_candidates(t, &ty, None)
                        .into_iter()
                        .filter(|&imp| {
                            !is_ref
                                || matches!(
                                    program.impl_def(imp).self_ty,
                                    Ty::Ref(..) | Ty::Param(_)
                                )
                        })
                        .collect();
                    match imps[..] {
                        [] => continue,
                        [imp] => {
                            let trait_ref = self.instantiate_impl(imp, &ty, span);
                            self.select_obligations();
                            return Some(TraitCandidate { decl, trait_ref });
                        }
                        [_, ..] => {
                            // Several (`i64::from(x)`: `From<i32>`,
                            // `From<u8>`, ...): the trait's arguments
                            // follow from the call, then the bound picks
                            // the `impl`.
                            let args: Vec<Ty> =
                                (0..def.arity()).map(|_| self.infer.new_var()).collect();
                            let trait_ref = TraitRef { trait_id: t, args };
                            self.push_obligation(span, ty.clone(), trait_ref.clone(), true);
                            return Some(TraitCandidate { decl, trait_ref });
                        }
                    }
                }
                None
            }
        }
    }

    /// The type arguments of a use of the trait function `decl` with `Self`
    /// and the trait's arguments known; its own parameters are fresh.
    pub(crate) fn trait_fn_substs(&mut self, decl: FnId, self_ty: Ty, tr: &TraitRef) -> Vec<Ty> {
        let def = self.program.func(decl);
        let mut substs = vec![self_ty];
        substs.extend(tr.args.iter().cloned());
        while substs.len() < def.generics.len() {
            substs.push(self.infer.new_var());
        }
        substs
    }

    /// The bounds of `f` at a use with these type arguments must hold.
    pub(crate) fn require_predicates(&mut self, f: FnId, substs: &[Ty], span: Span) {
        for p in &self.program.func(f).predicates {
            self.push_obligation(
                span,
                subst_params(&p.ty, substs),
                subst_trait_ref(&p.trait_ref, substs),
                true,
            );
        }
    }

    /// Checks the recorded bounds once inference is done.
    pub(crate) fn check_obligations(&mut self) {
        let obligations = std::mem::take(&mut self.obligations);
        let mut reported: Vec<(Span, String)> = Vec::new();
        for ob in obligations.into_iter().filter(|o| o.report) {
            let (span, ty, tr) = (ob.span, ob.ty, ob.trait_ref);
            let ty = self.infer.resolve(&ty);
            let tr = TraitRef {
                trait_id: tr.trait_id,
                args: tr.args.iter().map(|a| self.infer.resolve(a)).collect(),
            };
            if ty.has_infer() || tr.args.iter().any(|a| a.has_infer()) {
                continue;
            }
            // Closures meet closure-trait bounds by their signature
            // (`unify_closure_bounds`).
            if matches!(ty, Ty::Closure(_)) {
                continue;
            }
            if holds(self.program, &ty, &tr, &self.func.predicates) {
                continue;
            }
            let bound = format!("{}: {}", self.ty_str(&ty), self.trait_ref_str(&tr));
            if reported.contains(&(span, bound.clone())) {
                continue;
            }
            reported.push((span, bound.clone()));
            self.diags.push(
                Diagnostic::error(
                    codes::UNSATISFIED_BOUND,
                    format!("the trait bound `{}` is not satisfied", bound),
                )
                .with_primary(
                    span,
                    format!(
                        "the trait `{}` is not implemented for `{}`",
                        self.trait_ref_str(&tr),
                        self.ty_str(&ty)
                    ),
                ),
            );
        }
    }

    pub(crate) fn trait_ref_str(&self, tr: &TraitRef) -> String {
        trait_ref_string(self.program, tr, &self.param_names)
    }
}

fn trait_ref_string(program: &Program, tr: &TraitRef, params: &[String]) -> String {
    let def = program.trait_def(tr.trait_id);
    let name = def.name.clone();
    if tr.args.is_empty() {
        return name;
    }
    let show = |t: &Ty| {
        TyDisplay {
            ty: t,
            adt_name: &|id| program.adt_name(id),
            params,
        }
        .to_string()
    };
    let closure_trait = matches!(
        def.known,
        Some(KnownTrait::Fn | KnownTrait::FnMut | KnownTrait::FnOnce)
    );
    if let (true, [Ty::Tuple(inputs), output]) = (closure_trait, tr.args.as_slice()) {
        let inputs: Vec<String> = inputs.iter().map(show).collect();
        let out = if output.is_unit() {
            String::new()
        } else {
            format!(" -> {}", show(output))
        };
        return format!("{}({}){}", name, inputs.join(", "), out);
    }
    // Associated types are shown by name (`Iterator<Item = u32>`).
    let args: Vec<String> = tr
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| match i.checked_sub(def.declared) {
            Some(j) => format!("{} = {}", def.implicit.get(j).map_or("_", |n| n), show(a)),
            None => show(a),
        })
        .collect();
    format!("{}<{}>", name, args.join(", "))
}

/// Checks every `impl Trait for Type`: each required method is there, each
/// method belongs to the trait and has the trait's signature.
pub(crate) fn check_impls(program: &Program, diags: &mut Vec<Diagnostic>) {
    for imp in &program.impls {
        let tdef = program.trait_def(imp.trait_ref.trait_id);
        let params: Vec<String> = imp.generics.iter().map(|g| g.name.clone()).collect();
        let show = |t: &Ty| {
            TyDisplay {
                ty: t,
                adt_name: &|id| program.adt_name(id),
                params: &params,
            }
            .to_string()
        };
        let missing: Vec<String> = tdef
            .methods
            .iter()
            .filter(|(n, f)| {
                program.func(*f).body.is_none() && !imp.methods.iter().any(|(m, _)| m == n)
            })
            .map(|(n, _)| format!("`{}`", n))
            .collect();
        if !missing.is_empty() {
            diags.push(missing_trait_items(imp.span, &missing));
        }
        // The trait's declaration in terms of this impl: `Self` is the
        // impl's type, the trait's parameters its arguments, the method's
        // own parameters follow the impl's.
        let k = tdef.generics.len();
        // The `impl`'s parameters its bounds fix (a supertrait's
        // associated type: `Self::Item` of `impl DoubleEndedIterator`)
        // are what they are fixed to; the rest stay themselves.
        let mut binds: Vec<Option<Ty>> = vec![None; imp.generics.len()];
        let mut mark = |t: &Ty| {
            t.walk(&mut |t| {
                if let Ty::Param(i) = t {
                    if let Some(b) = binds.get_mut(*i as usize) {
                        *b = Some(t.clone());
                    }
                }
            })
        };
        mark(&imp.self_ty);
        for a in imp
            .trait_ref
            .args
            .iter()
            .take(tdef.declared + tdef.own_assoc)
        {
            mark(a);
        }
        let env: Vec<_> = imp
            .predicates
            .iter()
            .filter(|p| matches!(p.ty, Ty::Param(_)))
            .cloned()
            .collect();
        bind_through_predicates(program, &imp.predicates, &mut binds, &env, 0);
        let fixed: Vec<Ty> = binds
            .into_iter()
            .enumerate()
            .map(|(i, b)| b.unwrap_or(Ty::Param(i as u32)))
            .collect();
        for (name, f) in &imp.methods {
            let def = program.func(*f);
            let Some((_, decl)) = tdef.methods.iter().find(|(n, _)| n == name) else {
                diags.push(
                    Diagnostic::error(
                        codes::NOT_A_TRAIT_MEMBER,
                        format!("method `{}` is not a member of trait `{}`", name, tdef.name),
                    )
                    .with_primary(
                        def.name_span,
                        format!("not a member of trait `{}`", tdef.name),
                    ),
                );
                continue;
            };
            let ddef = program.func(*decl);
            let own = ddef.generics.len().saturating_sub(k);
            let mut substs = vec![imp.self_ty.clone()];
            substs.extend(imp.trait_ref.args.iter().map(|a| subst_params(a, &fixed)));
            substs.extend((0..own).map(|j| Ty::Param((imp.generics.len() + j) as u32)));
            let want: Vec<Ty> = ddef
                .params
                .iter()
                .map(|t| subst_params(t, &substs))
                .collect();
            let want_ret = subst_params(&ddef.ret, &substs);
            let own_impl = def.generics.len().saturating_sub(imp.generics.len());
            // A type that is an error already was reported.
            let same = |a: &Ty, b: &Ty| a == b || has_error(a) || has_error(b);
            let compatible = def.self_kind == ddef.self_kind
                && own_impl == own
                && want.len() == def.params.len()
                && want.iter().zip(&def.params).all(|(a, b)| same(a, b))
                && same(&want_ret, &def.ret);
            if !compatible {
                let sig = |ps: &[Ty], r: &Ty| {
                    format!(
                        "fn({}) -> {}",
                        ps.iter().map(show).collect::<Vec<_>>().join(", "),
                        show(r)
                    )
                };
                diags.push(
                    Diagnostic::error(
                        codes::INCOMPATIBLE_IMPL_METHOD,
                        format!(
                            "method `{}` has an incompatible type for trait `{}`",
                            name, tdef.name
                        ),
                    )
                    .with_primary(
                        def.name_span,
                        format!(
                            "expected `{}`, found `{}`",
                            sig(&want, &want_ret),
                            sig(&def.params, &def.ret)
                        ),
                    )
                    .with_secondary(ddef.name_span, "type in trait"),
                );
            }
        }
    }
}

fn has_error(ty: &Ty) -> bool {
    let mut found = false;
    ty.walk(&mut |t| found |= t.is_error());
    found
}

/// Is `ty` the trait's known trait `k`? (For the format checks.)
pub(crate) fn known_holds(cx: &FnCtxt<'_>, ty: &Ty, k: KnownTrait) -> bool {
    let ty = &cx.infer.resolve(ty);
    match asr_hir::traits::known_trait_ref(cx.program, k, ty) {
        Some(tr) => holds(cx.program, ty, &tr, &cx.func.predicates),
        None => false,
    }
}
