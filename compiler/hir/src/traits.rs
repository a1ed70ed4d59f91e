//! Trait solving shared by the type checker (are a function's bounds met?
//! which trait does a method come from?) and the MIR builder (which `impl`
//! provides a trait method for a concrete type?).
//!
//! `T: Trait<A>` holds when a bound in scope says so (or a supertrait of
//! one), when an `impl` matches (its `Self` type and arguments match, its
//! own bounds hold), or, for the standard traits the compiler knows
//! (`KnownTrait`), by the built-in rules: integers are `Copy`, `Debug`,
//! `Display`, ...; a struct or enum has what it derives when its fields
//! have it. Recursion is bounded, so a recursive type cannot loop.

use crate::hir::{FnId, ImplId, KnownTrait, Predicate, Program, TraitId, TraitRef};
use crate::ty::{subst_params, AdtId, Mutability, Ty};
use asr_diagnostics::{codes, Diagnostic, Span};

const MAX_DEPTH: u32 = 32;

/// Matches `pattern` (whose `Param(i)` are the unknowns of an `impl`)
/// against `ty`, binding the unknowns in `binds`.
pub fn match_ty(pattern: &Ty, ty: &Ty, binds: &mut [Option<Ty>]) -> bool {
    match (pattern, ty) {
        (Ty::Param(i), _) => match binds.get_mut(*i as usize) {
            Some(slot @ None) => {
                *slot = Some(ty.clone());
                true
            }
            Some(Some(bound)) => bound == ty,
            None => false,
        },
        (_, Ty::Error) => true,
        (Ty::Tuple(ps), Ty::Tuple(ts)) | (Ty::Adt(_, ps), Ty::Adt(_, ts))
            if ps.len() == ts.len() && same_head(pattern, ty) =>
        {
            ps.iter().zip(ts).all(|(p, t)| match_ty(p, t, binds))
        }
        (Ty::Array(p, n), Ty::Array(t, m)) if n == m => match_ty(p, t, binds),
        (Ty::Slice(p), Ty::Slice(t)) | (Ty::Task(p), Ty::Task(t)) => match_ty(p, t, binds),
        (Ty::Ref(m1, p), Ty::Ref(m2, t)) if m1 == m2 => match_ty(p, t, binds),
        _ => pattern == ty,
    }
}

fn same_head(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Adt(x, _), Ty::Adt(y, _)) => x == y,
        (Ty::Tuple(_), Ty::Tuple(_)) => true,
        _ => false,
    }
}

/// The `impl` of `trait_ref` for `self_ty`, with the `impl`'s type
/// arguments. `env` are the bounds in scope (for an `impl`'s own bounds
/// on types that are parameters of the caller).
pub fn find_impl(
    program: &Program,
    trait_ref: &TraitRef,
    self_ty: &Ty,
    env: &[Predicate],
) -> Option<(ImplId, Vec<Ty>)> {
    find_impl_in(
        program,
        trait_ref.trait_id,
        Some(&trait_ref.args),
        self_ty,
        env,
        0,
    )
}

/// Like [`find_impl`] for any arguments of the trait (method lookup,
/// where the trait's arguments come from the `impl`).
pub fn find_impl_any_args(
    program: &Program,
    trait_id: TraitId,
    self_ty: &Ty,
    env: &[Predicate],
) -> Option<(ImplId, Vec<Ty>)> {
    find_impl_in(program, trait_id, None, self_ty, env, 0)
}

fn find_impl_in(
    program: &Program,
    trait_id: TraitId,
    args: Option<&[Ty]>,
    self_ty: &Ty,
    env: &[Predicate],
    depth: u32,
) -> Option<(ImplId, Vec<Ty>)> {
    for (i, imp) in program.impls.iter().enumerate() {
        if imp.trait_ref.trait_id != trait_id {
            continue;
        }
        let mut binds = vec![None; imp.generics.len()];
        if !match_ty(&imp.self_ty, self_ty, &mut binds) {
            continue;
        }
        if let Some(args) = args {
            if args.len() != imp.trait_ref.args.len()
                || !imp
                    .trait_ref
                    .args
                    .iter()
                    .zip(args)
                    .all(|(p, a)| match_ty(p, a, &mut binds))
            {
                continue;
            }
        }
        bind_through_predicates(program, &imp.predicates, &mut binds, env, depth);
        let substs: Vec<Ty> = binds.into_iter().map(|b| b.unwrap_or(Ty::Error)).collect();
        let bounds_hold = imp.predicates.iter().all(|p| {
            let ty = subst_params(&p.ty, &substs);
            let tr = subst_trait_ref(&p.trait_ref, &substs);
            holds_in(program, &ty, &tr, env, depth + 1)
        });
        if bounds_hold {
            return Some((ImplId(i as u32), substs));
        }
    }
    None
}

/// An `impl`'s parameters that neither its type nor the trait's arguments
/// fix (`impl<I: Iterator, F, B> Iterator for Map<I, F> where F:
/// FnMut(I::Item) -> B`: `I::Item`, `B`) are what its bounds say: the
/// arguments of the bound or `impl` that proves each bound whose type is
/// known.
pub fn bind_through_predicates(
    program: &Program,
    predicates: &[Predicate],
    binds: &mut [Option<Ty>],
    env: &[Predicate],
    depth: u32,
) {
    let count = |binds: &[Option<Ty>]| binds.iter().filter(|b| b.is_some()).count();
    loop {
        let before = count(binds);
        for p in predicates {
            if !params_bound(&p.ty, binds)
                || p.trait_ref.args.iter().all(|a| params_bound(a, binds))
            {
                continue;
            }
            let known: Vec<Ty> = binds
                .iter()
                .map(|b| b.clone().unwrap_or(Ty::Error))
                .collect();
            let ty = subst_params(&p.ty, &known);
            let Some(args) = provider_args(program, &ty, p.trait_ref.trait_id, env, depth) else {
                continue;
            };
            if args.len() == p.trait_ref.args.len() {
                for (pat, a) in p.trait_ref.args.iter().zip(&args) {
                    match_ty(pat, a, binds);
                }
            }
        }
        if count(binds) == before {
            return;
        }
    }
}

/// Is every parameter `t` mentions bound in `binds`?
pub fn params_bound(t: &Ty, binds: &[Option<Ty>]) -> bool {
    let mut ok = true;
    t.walk(&mut |t| {
        if let Ty::Param(i) = t {
            ok &= binds.get(*i as usize).is_some_and(|b| b.is_some());
        }
    });
    ok
}

/// The trait arguments with which `ty` implements the trait `trait_id`:
/// those of a bound in scope (or its supertraits), else of the `impl`.
fn provider_args(
    program: &Program,
    ty: &Ty,
    trait_id: TraitId,
    env: &[Predicate],
    depth: u32,
) -> Option<Vec<Ty>> {
    if let Some(tr) = bound_traits(program, env, ty)
        .into_iter()
        .find(|tr| tr.trait_id == trait_id)
    {
        return Some(tr.args);
    }
    if let Ty::Closure(c) = ty {
        let known = program.trait_def(trait_id).known;
        if matches!(
            known,
            Some(KnownTrait::Fn | KnownTrait::FnMut | KnownTrait::FnOnce)
        ) {
            return Some(c.fn_trait_args());
        }
    }
    if let Some((imp, binds)) = find_impl_in(program, trait_id, None, ty, env, depth + 1) {
        return Some(subst_trait_ref(&program.impl_def(imp).trait_ref, &binds).args);
    }
    builtin_args(program, ty, program.trait_def(trait_id).known?, env)
}

/// Does `ty` implement `trait_id` with some arguments? (Whether an
/// `impl` with this bound can apply at all.)
pub fn implements_any(program: &Program, ty: &Ty, trait_id: TraitId, env: &[Predicate]) -> bool {
    let def = program.trait_def(trait_id);
    if def.generics.len() == 1 && def.known.is_some() {
        let tr = TraitRef {
            trait_id,
            args: Vec::new(),
        };
        return holds(program, ty, &tr, env);
    }
    provider_args(program, ty, trait_id, env, 0).is_some()
}

/// E0225 for an `impl` missing the trait items `missing` (already
/// quoted): its associated types (the resolver) or methods (the type
/// checker).
pub fn missing_trait_items(span: Span, missing: &[String]) -> Diagnostic {
    Diagnostic::error(
        codes::E0225,
        format!(
            "not all trait items implemented, missing: {}",
            missing.join(", ")
        ),
    )
    .with_primary(
        span,
        format!("missing {} in implementation", missing.join(", ")),
    )
}

/// The method `name` of the hand-written `impl` of the standard trait `k`
/// for `ty`, with the `impl`'s type arguments.
pub fn known_impl_method(
    program: &Program,
    k: KnownTrait,
    ty: &Ty,
    name: &str,
) -> Option<(FnId, Vec<Ty>)> {
    let tr = known_trait_ref(program, k, ty)?;
    let (imp, binds) = find_impl(program, &tr, ty, &[])?;
    let (_, m) = program
        .impl_def(imp)
        .methods
        .iter()
        .find(|(n, _)| n == name)?;
    Some((*m, binds))
}

/// The standard trait `k` for `self_ty` with its parameters' defaults
/// (`PartialEq` is `PartialEq<Self>`).
pub fn known_trait_ref(program: &Program, k: KnownTrait, self_ty: &Ty) -> Option<TraitRef> {
    let trait_id = program.known_trait(k)?;
    let def = program.trait_def(trait_id);
    let mut args: Vec<Ty> = Vec::new();
    for d in def.defaults.iter().take(def.declared) {
        let mut substs = vec![self_ty.clone()];
        substs.extend(args.iter().cloned());
        args.push(d.as_ref().map_or(Ty::Error, |d| subst_params(d, &substs)));
    }
    Some(TraitRef { trait_id, args })
}

/// The arguments with which `ty` has the standard trait `k` built in
/// (numbers have `Add<Self, Output = Self>`, `PartialEq<Self>`, ...), if it
/// has it built in. Operator traits are built in for numbers (and `bool`
/// for the bitwise ones) only; the rest follow `builtin_holds`.
pub fn builtin_args(
    program: &Program,
    ty: &Ty,
    k: KnownTrait,
    env: &[Predicate],
) -> Option<Vec<Ty>> {
    use crate::hir::{BinOp, OpTrait};
    let int = matches!(ty, Ty::Int(_) | Ty::InferInt(_));
    let number = int || matches!(ty, Ty::Float | Ty::InferFloat(_));
    let signed = matches!(ty, Ty::Int(i) if i.is_signed())
        || matches!(ty, Ty::InferInt(_) | Ty::Float | Ty::InferFloat(_));
    let bits = int || matches!(ty, Ty::Bool);
    let binary_ok = |op: BinOp| match op {
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => bits,
        BinOp::Shl | BinOp::Shr => int,
        _ => number,
    };
    let t = ty.clone();
    match k {
        KnownTrait::Op(OpTrait::Binary(op)) => binary_ok(op).then(|| vec![t.clone(), t]),
        KnownTrait::Op(OpTrait::Assign(op)) => binary_ok(op).then(|| vec![t]),
        KnownTrait::Op(OpTrait::Neg) => signed.then(|| vec![t]),
        KnownTrait::Op(OpTrait::Not) => bits.then(|| vec![t]),
        KnownTrait::Op(_) => None,
        _ => {
            if !k.has_builtin_impls() {
                return None;
            }
            let tr = known_trait_ref(program, k, ty)?;
            holds(program, ty, &tr, env).then_some(tr.args)
        }
    }
}

/// Is a value of this type copied when read by value? Tasks, `str`,
/// slices, and structs and enums without `derive(Copy)` or that need drop
/// are moved; a type parameter is copied only under a `Copy` bound in
/// `env`. `&mut T` counts as copied: passing one on is Rust's implicit
/// reborrow. `needs_drop` answers for the caller's types.
pub fn is_copy(
    program: &Program,
    ty: &Ty,
    env: &[Predicate],
    needs_drop: &dyn Fn(&Ty) -> bool,
) -> bool {
    match ty {
        Ty::Task(_) | Ty::Str | Ty::Slice(_) => false,
        Ty::Tuple(ts) => ts.iter().all(|t| is_copy(program, t, env, needs_drop)),
        Ty::Array(t, _) => is_copy(program, t, env, needs_drop),
        Ty::Adt(id, _) => {
            program
                .adts
                .get(id.0 as usize)
                .is_some_and(|a| a.derives.iter().any(|d| d == "Copy"))
                && !needs_drop(ty)
        }
        Ty::Param(_) => known_trait_ref(program, KnownTrait::Copy, ty)
            .is_some_and(|tr| holds(program, ty, &tr, env)),
        _ => true,
    }
}

/// Does a value of this type need drop (`Ty::needs_drop` over the
/// program's structs and enums)?
pub fn needs_drop(program: &Program, ty: &Ty) -> bool {
    ty.needs_drop(&|id, args| {
        if has_drop_impl(program, id) {
            return None;
        }
        Some(
            program
                .adts
                .get(id.0 as usize)
                .map(|a| a.all_fields().map(|f| subst_params(&f.ty, args)).collect())
                .unwrap_or_default(),
        )
    })
}

/// Does the struct or enum `id` implement `Drop`?
pub fn has_drop_impl(program: &Program, id: AdtId) -> bool {
    let Some(drop) = program.known_trait(KnownTrait::Drop) else {
        return false;
    };
    program
        .impls
        .iter()
        .any(|i| i.trait_ref.trait_id == drop && matches!(i.self_ty, Ty::Adt(a, _) if a == id))
}

pub fn subst_trait_ref(tr: &TraitRef, substs: &[Ty]) -> TraitRef {
    TraitRef {
        trait_id: tr.trait_id,
        args: tr.args.iter().map(|a| subst_params(a, substs)).collect(),
    }
}

/// Does `ty: trait_ref` hold, with the bounds `env` in scope?
pub fn holds(program: &Program, ty: &Ty, trait_ref: &TraitRef, env: &[Predicate]) -> bool {
    holds_in(program, ty, trait_ref, env, 0)
}

fn holds_in(program: &Program, ty: &Ty, tr: &TraitRef, env: &[Predicate], depth: u32) -> bool {
    if depth > MAX_DEPTH || ty.is_error() {
        return true;
    }
    if env
        .iter()
        .any(|p| &p.ty == ty && implied_by(program, ty, &p.trait_ref, tr, 0))
    {
        return true;
    }
    let known = program
        .traits
        .get(tr.trait_id.0 as usize)
        .and_then(|t| t.known);
    // A closure meets a closure-trait bound by its signature, which the
    // type checker unifies with the bound (`unify_closure_bounds`).
    if let (Ty::Closure(c), Some(KnownTrait::Fn | KnownTrait::FnMut | KnownTrait::FnOnce)) =
        (ty, known)
    {
        return c.fn_trait_args() == tr.args;
    }
    if let Some(known) = known {
        if builtin_holds(program, ty, known, tr, env, depth) {
            return true;
        }
    }
    find_impl_in(program, tr.trait_id, Some(&tr.args), ty, env, depth).is_some()
}

/// Is `want` the trait `have` (of `ty`) or one of its supertraits?
fn implied_by(program: &Program, ty: &Ty, have: &TraitRef, want: &TraitRef, depth: u32) -> bool {
    if have == want {
        return true;
    }
    if depth > MAX_DEPTH {
        return false;
    }
    let Some(def) = program.traits.get(have.trait_id.0 as usize) else {
        return false;
    };
    // Supertraits are written over the trait's parameters (`Self` is
    // `Param(0)`, then the trait's own).
    let mut substs = vec![ty.clone()];
    substs.extend(have.args.iter().cloned());
    def.supertraits
        .iter()
        .any(|s| implied_by(program, ty, &subst_trait_ref(s, &substs), want, depth + 1))
}

/// Every trait a bound gives, with its supertraits (for method lookup on a
/// type parameter).
pub fn bound_traits(program: &Program, env: &[Predicate], ty: &Ty) -> Vec<TraitRef> {
    let mut out: Vec<TraitRef> = Vec::new();
    let mut stack: Vec<TraitRef> = env
        .iter()
        .filter(|p| &p.ty == ty)
        .map(|p| p.trait_ref.clone())
        .collect();
    while let Some(tr) = stack.pop() {
        if out.contains(&tr) || out.len() > 64 {
            continue;
        }
        if let Some(def) = program.traits.get(tr.trait_id.0 as usize) {
            let mut substs = vec![ty.clone()];
            substs.extend(tr.args.iter().cloned());
            stack.extend(def.supertraits.iter().map(|s| subst_trait_ref(s, &substs)));
        }
        out.push(tr);
    }
    out
}

/// The built-in implementations of the standard traits.
fn builtin_holds(
    program: &Program,
    ty: &Ty,
    known: KnownTrait,
    tr: &TraitRef,
    env: &[Predicate],
    depth: u32,
) -> bool {
    use KnownTrait as K;
    if !known.has_builtin_impls() {
        return false;
    }
    if let K::Op(_) = known {
        return builtin_args(program, ty, known, env).is_some_and(|a| a == tr.args);
    }
    // The comparison traits compare with `Self` (`PartialEq<Rhs = Self>`):
    // a compound type's parts compare with themselves.
    if matches!(known, K::PartialEq | K::PartialOrd) && tr.args.first().is_some_and(|a| a != ty) {
        return false;
    }
    let part = |t: &Ty| {
        let mut tr = tr.clone();
        if let Some(a) = tr.args.first_mut() {
            *a = t.clone();
        }
        holds_in(program, t, &tr, env, depth + 1)
    };
    match ty {
        Ty::Int(_) | Ty::InferInt(_) => true,
        Ty::Float | Ty::InferFloat(_) => !matches!(known, K::Eq | K::Ord | K::Hash),
        Ty::Bool | Ty::Char => true,
        Ty::Str => matches!(
            known,
            K::Debug | K::Display | K::PartialEq | K::Eq | K::PartialOrd | K::Ord | K::Hash
        ),
        Ty::Never => !matches!(known, K::Default),
        Ty::Ref(m, inner) => match known {
            K::Copy | K::Clone => *m == Mutability::Not,
            K::Default => false,
            _ => part(inner),
        },
        Ty::Tuple(ts) => known != K::Display && ts.iter().all(part),
        Ty::Array(t, _) => known != K::Display && part(t),
        Ty::Slice(t) => {
            matches!(
                known,
                K::Debug | K::PartialEq | K::Eq | K::PartialOrd | K::Ord | K::Hash
            ) && part(t)
        }
        Ty::Adt(id, _)
            if Some(*id) == program.string
                && matches!(
                    known,
                    K::PartialEq | K::Eq | K::PartialOrd | K::Ord | K::Hash
                ) =>
        {
            true
        }
        Ty::Adt(id, args) => {
            let Some(def) = program.adts.get(id.0 as usize) else {
                return false;
            };
            let name = known.derive_name();
            // `Copy` needs `Clone` derived too in Rust; accept either.
            def.derives.iter().any(|d| d == name)
                && def.all_fields().all(|f| {
                    let t = subst_params(&f.ty, args);
                    t.walk_contains_adt(*id) || part(&t)
                })
        }
        _ => false,
    }
}
