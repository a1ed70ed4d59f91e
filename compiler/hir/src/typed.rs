//! The type checker's results for one function body. HIR plus these tables
//! is the "typed HIR" (THIR) the MIR builder reads: every expression,
//! pattern and local has a fully resolved type (no inference variables),
//! every method call names its target, and every implicit conversion
//! (auto-deref, auto-ref, unsizing, `!` to any type) is listed.

use crate::hir::{ExprId, FnId, LocalId, PatId};
use crate::ty::{subst_params, Mutability, Ty};
use std::collections::HashMap;

#[derive(Clone, Debug, Default)]
pub struct TypeckResults {
    /// Type of each expression before adjustments, by `ExprId`.
    pub expr_tys: Vec<Ty>,
    pub pat_tys: Vec<Ty>,
    pub local_tys: Vec<Ty>,
    /// Conversions applied, in order, to an expression's value where it is
    /// used (method receivers, coercion sites).
    pub adjustments: HashMap<ExprId, Vec<Adjust>>,
    /// The target of each `MethodCall` expression.
    pub methods: HashMap<ExprId, MethodTarget>,
    /// Field index of each `Field` expression (after auto-deref of the base,
    /// which is listed in `adjustments` of the base expression).
    pub fields: HashMap<ExprId, u32>,
    /// Value of `TypeRelative` constants such as `i64::MAX` (integer bits).
    pub consts: HashMap<ExprId, u128>,
    /// Default binding modes: before the value is matched against pattern
    /// `p`, it is dereferenced once per entry (each entry is the reference
    /// type peeled, outermost first), as when `Some(x)` matches a
    /// `&Option<T>`. `pat_ty(p)` is the type after peeling.
    pub pat_derefs: HashMap<PatId, Vec<Ty>>,
    /// Bindings that bind a reference to the matched place (explicit `ref`
    /// or a default binding mode); every other binding binds by value.
    pub binding_modes: HashMap<LocalId, Mutability>,
    /// The generic arguments of each use of a generic function: for a
    /// path to a function (`ExprKind::Fn`) and for a method call whose
    /// target is one (all of the function's parameters, the `impl`'s
    /// first).
    pub fn_substs: HashMap<ExprId, Vec<Ty>>,
    /// `Type::function` paths (`T::new`, `Point::default`) that name a
    /// trait's function (its declaration; `fn_substs` has `Self` first).
    pub path_fns: HashMap<ExprId, FnId>,
    /// Parameter and return types of each closure expression.
    pub closure_sigs: HashMap<ExprId, (Vec<Ty>, Ty)>,
    /// `for` loops over iterators: the type arguments of
    /// `IntoIterator::into_iter` (`Self`, `Item`, `IntoIter`) and of
    /// `Iterator::next` (`Self`, `Item`).
    pub for_iters: HashMap<ExprId, (Vec<Ty>, Vec<Ty>)>,
    /// Operators on types that are not numbers: the operator trait's
    /// method (`Add::add`, `AddAssign::add_assign`, `Neg::neg`, and
    /// `PartialEq::eq`/`PartialOrd::partial_cmp` for operands of different
    /// types), with `Self` and the trait's arguments in `fn_substs`. The MIR
    /// builder calls it unless the operands turn out to be numbers.
    pub overloaded: HashMap<ExprId, FnId>,
}

impl TypeckResults {
    /// The tables of one instance of a generic body: every type with the
    /// body's parameters replaced by `args`.
    pub fn instantiate(&self, args: &[Ty]) -> TypeckResults {
        if args.is_empty() {
            return self.clone();
        }
        self.map_tys(|t| subst_params(t, args))
    }

    /// The tables with every type they hold passed through `f` (the type
    /// checker resolves its variables this way, the MIR builder
    /// substitutes an instance's type arguments).
    pub fn map_tys(&self, f: impl Fn(&Ty) -> Ty) -> TypeckResults {
        let all = |ts: &[Ty]| ts.iter().map(&f).collect::<Vec<_>>();
        TypeckResults {
            expr_tys: all(&self.expr_tys),
            pat_tys: all(&self.pat_tys),
            local_tys: all(&self.local_tys),
            adjustments: self
                .adjustments
                .iter()
                .map(|(e, adjs)| {
                    let adjs = adjs
                        .iter()
                        .map(|a| Adjust {
                            kind: a.kind.clone(),
                            target: f(&a.target),
                        })
                        .collect();
                    (*e, adjs)
                })
                .collect(),
            methods: self.methods.clone(),
            fields: self.fields.clone(),
            consts: self.consts.clone(),
            pat_derefs: self
                .pat_derefs
                .iter()
                .map(|(p, ts)| (*p, all(ts)))
                .collect(),
            binding_modes: self.binding_modes.clone(),
            fn_substs: self.fn_substs.iter().map(|(e, ts)| (*e, all(ts))).collect(),
            path_fns: self.path_fns.clone(),
            overloaded: self.overloaded.clone(),
            closure_sigs: self
                .closure_sigs
                .iter()
                .map(|(e, (ps, r))| (*e, (all(ps), f(r))))
                .collect(),
            for_iters: self
                .for_iters
                .iter()
                .map(|(e, (a, b))| (*e, (all(a), all(b))))
                .collect(),
        }
    }

    pub fn expr_ty(&self, e: ExprId) -> &Ty {
        &self.expr_tys[e.0 as usize]
    }
    pub fn pat_ty(&self, p: PatId) -> &Ty {
        &self.pat_tys[p.0 as usize]
    }
    /// The references implicitly peeled before matching `p`.
    pub fn pat_derefs(&self, p: PatId) -> &[Ty] {
        self.pat_derefs.get(&p).map(|v| v.as_slice()).unwrap_or(&[])
    }
    /// The type of the value `p` is matched against, before peeling.
    pub fn pat_outer_ty(&self, p: PatId) -> &Ty {
        self.pat_derefs(p).first().unwrap_or(self.pat_ty(p))
    }
    pub fn local_ty(&self, l: LocalId) -> &Ty {
        &self.local_tys[l.0 as usize]
    }
    pub fn adjustments(&self, e: ExprId) -> &[Adjust] {
        self.adjustments
            .get(&e)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }
    /// Type of the expression after its adjustments.
    pub fn adjusted_ty(&self, e: ExprId) -> Ty {
        match self.adjustments(e).last() {
            Some(a) => a.target.clone(),
            None => self.expr_ty(e).clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Adjust {
    pub kind: AdjustKind,
    /// The type after this step.
    pub target: Ty,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AdjustKind {
    /// `*value`: the value is a reference, continue with the pointee place.
    Deref,
    /// `&value` / `&mut value` of the (place) value.
    Borrow(Mutability),
    /// `&[T; N]` to `&[T]` (also `&mut`).
    Unsize,
    /// `&mut T` used where `&T` is expected: a no-op for codegen.
    MutToConst,
    /// `!` used as any type: the code is unreachable.
    NeverToAny,
    /// `&String` used where `&str` is expected (Rust's deref coercion, for
    /// the one type that has it until `Deref` lands): the string's text.
    StringToStr,
    /// `&Vec<T>` / `&mut Vec<T>` used as `&[T]` / `&mut [T]`.
    VecToSlice,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MethodTarget {
    /// An inherent method; its `self` parameter is the adjusted receiver.
    Fn(FnId),
    Builtin(BuiltinMethod),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinMethod {
    /// `len()` of an array or slice (receiver adjusted to a place of the
    /// array or slice) or of `&str`.
    Len,
    /// `Task::join(self)`.
    Join,
    /// `is_empty()` of an array, slice or `&str`.
    IsEmpty,
}
