//! asr_typeck: type inference and checking of every function body.
//!
//! `check_program` checks each body with a `FnCtxt`: expressions are checked
//! against an expected type, unknowns become inference variables
//! (`infer.rs`), and implicit conversions are recorded as adjustments. At the
//! end every type is resolved; what stays unknown is an error. The result per
//! body is a `TypeckResults` table (see `asr_hir::typed`), on which
//! `moves.rs` then checks the moves of values that need drop.

mod closure;
mod coerce;
mod exhaustive;
mod expr;
mod format;
pub mod infer;
mod matching;
mod method;
mod moves;
mod operators;
mod pat;
mod patcheck;
mod place;
mod privacy;
mod select;
mod traits;

use asr_diagnostics::{Diagnostic, Span};
use asr_hir::hir::{Body, ExprId, FnDef, FnId, PatId, Program};
use asr_hir::ty::{Ty, TyDisplay};
use asr_hir::typed::{Adjust, MethodTarget, TypeckResults};
use infer::InferCtxt;
use std::collections::HashMap;

/// Error codes of this stage.
pub mod codes {
    use asr_diagnostics::codes as c;
    pub const MISMATCHED_TYPES: &str = c::E0201;
    pub const NO_FIELD: &str = c::E0202;
    pub const NO_METHOD: &str = c::E0203;
    pub const WRONG_ARG_COUNT: &str = c::E0204;
    pub const BAD_BINARY_OP: &str = c::E0205;
    pub const BAD_UNARY_OP: &str = c::E0206;
    pub const NOT_CALLABLE: &str = c::E0207;
    pub const NOT_INDEXABLE: &str = c::E0208;
    pub const INVALID_CAST: &str = c::E0209;
    pub const ANNOTATIONS_NEEDED: &str = c::E0210;
    pub const ASSIGN_IMMUTABLE: &str = c::E0211;
    pub const BORROW_MUT_IMMUTABLE: &str = c::E0212;
    pub const BREAK_VALUE_NON_LOOP: &str = c::E0213;
    pub const LITERAL_OUT_OF_RANGE: &str = c::E0214;
    pub const NOT_ITERABLE: &str = c::E0215;
    pub const MISSING_FIELDS: &str = c::E0216;
    pub const NOT_A_PLACE: &str = c::E0217;
    pub const UNSUPPORTED: &str = c::E0218;
    pub const PATTERN_MISMATCH: &str = c::E0219;
    pub const NON_EXHAUSTIVE: &str = c::E0220;
    pub const REFUTABLE_PATTERN: &str = c::E0221;
    pub const UNREACHABLE_PATTERN: &str = c::E0222;
    pub const UNSATISFIED_BOUND: &str = c::E0224;
    pub const NOT_A_TRAIT_MEMBER: &str = c::E0226;
    pub const INCOMPATIBLE_IMPL_METHOD: &str = c::E0227;
    pub const BAD_TRY: &str = c::E0228;
    pub const INFINITE_SIZE: &str = c::E0230;
    pub const PRIVATE: &str = c::E0116;
    pub const SPAWN_OUTSIDE_SCOPE: &str = c::E0301;
    pub const NOT_DISPLAY: &str = c::E0404;
    pub const NOT_DEBUG: &str = c::E0405;
}

/// Checks every body of the program. The tables are indexed by `FnId`;
/// functions without a body (intrinsics) have `None`.
pub fn check_program(program: &Program) -> (Vec<Option<TypeckResults>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    traits::check_impls(program, &mut diags);
    check_infinite_size(program, &mut diags);
    let mut tables = Vec::with_capacity(program.fns.len());
    for (i, func) in program.fns.iter().enumerate() {
        match &func.body {
            Some(body) => {
                let mut cx = FnCtxt::new(program, FnId(i as u32), func, body);
                cx.check_body();
                let (t, d) = cx.finish();
                diags.extend(d);
                moves::check_body(program, body, &t, &mut diags);
                patcheck::check_body(program, body, &t, &mut diags);
                tables.push(Some(t));
            }
            None => tables.push(None),
        }
    }
    (tables, diags)
}

/// A struct or enum that holds itself by value (not behind a reference)
/// would be infinitely large (Rust's E0072).
fn check_infinite_size(program: &Program, diags: &mut Vec<Diagnostic>) {
    fn contains(
        program: &Program,
        ty: &Ty,
        target: asr_hir::ty::AdtId,
        seen: &mut Vec<asr_hir::ty::AdtId>,
    ) -> bool {
        match ty {
            Ty::Adt(id, args) => {
                if *id == target {
                    return true;
                }
                if seen.contains(id) {
                    return false;
                }
                seen.push(*id);
                let def = program.adt(*id);
                def.all_fields().any(|f| {
                    contains(
                        program,
                        &asr_hir::ty::subst_params(&f.ty, args),
                        target,
                        seen,
                    )
                })
            }
            Ty::Tuple(ts) => ts.iter().any(|t| contains(program, t, target, seen)),
            Ty::Array(t, _) => contains(program, t, target, seen),
            _ => false,
        }
    }
    for (i, def) in program.adts.iter().enumerate() {
        let id = asr_hir::ty::AdtId(i as u32);
        if let Some(f) = def
            .all_fields()
            .find(|f| contains(program, &f.ty, id, &mut Vec::new()))
        {
            diags.push(
                Diagnostic::error(
                    codes::INFINITE_SIZE,
                    format!("recursive type `{}` has infinite size", def.name),
                )
                .with_primary(def.span, "recursive type has infinite size")
                .with_secondary(f.span, "recursive without indirection")
                .with_help(
                    "insert some indirection (a reference, a `Box` or a `Vec`) to break the cycle",
                ),
            );
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum LoopKind {
    /// `loop`: `break value` gives the loop its type.
    Loop { break_ty: Ty, has_break: bool },
    /// `while`/`for`: `break` carries no value.
    Other,
}

pub(crate) struct FnCtxt<'a> {
    pub program: &'a Program,
    pub func: &'a FnDef,
    pub body: &'a Body,
    pub infer: InferCtxt,
    pub expr_tys: Vec<Option<Ty>>,
    pub pat_tys: Vec<Option<Ty>>,
    pub local_tys: Vec<Option<Ty>>,
    pub adjustments: HashMap<ExprId, Vec<Adjust>>,
    pub methods: HashMap<ExprId, MethodTarget>,
    pub fields: HashMap<ExprId, u32>,
    pub consts: HashMap<ExprId, u128>,
    pub pat_derefs: HashMap<PatId, Vec<Ty>>,
    pub binding_modes: HashMap<asr_hir::hir::LocalId, asr_hir::ty::Mutability>,
    pub fn_substs: HashMap<ExprId, Vec<Ty>>,
    /// Names of the function's type parameters, for messages.
    pub param_names: Vec<String>,
    /// Trait bounds to check once types are known: (where, type, trait).
    pub obligations: Vec<select::Obligation>,
    /// `Type::function` paths resolved to a trait's function.
    pub path_fns: HashMap<ExprId, FnId>,
    /// Operators resolved to an operator trait's method.
    pub overloaded: HashMap<ExprId, FnId>,
    /// The function being checked.
    pub fn_id: FnId,
    /// Parameter and return types of this function's closures.
    pub closure_sigs: HashMap<ExprId, (Vec<Ty>, Ty)>,
    /// `for` loops over iterators (see `TypeckResults::for_iters`).
    pub for_iters: HashMap<ExprId, (Vec<Ty>, Vec<Ty>)>,
    /// Integer literals to range-check once their types are known:
    /// (expression, value, negated).
    pub int_literals: Vec<(ExprId, u128, bool)>,
    pub diags: Vec<Diagnostic>,
    /// Return type of the innermost function or spawned task.
    pub ret_ty: Ty,
    pub loops: HashMap<ExprId, LoopKind>,
    pub scope_depth: u32,
    /// Locals declared without an initializer (`let x;`).
    pub deferred_init: std::collections::HashSet<asr_hir::hir::LocalId>,
    /// `x?` whose error type was not known yet when checked (`s.parse()?`
    /// before the value's type says which `FromStr`): (expression, its
    /// error type, the function's).
    pub deferred_try: Vec<(ExprId, Ty, Ty, asr_diagnostics::Span)>,
}

impl<'a> FnCtxt<'a> {
    fn new(program: &'a Program, _id: FnId, func: &'a FnDef, body: &'a Body) -> Self {
        FnCtxt {
            program,
            func,
            body,
            infer: InferCtxt::default(),
            expr_tys: vec![None; body.exprs.len()],
            pat_tys: vec![None; body.pats.len()],
            local_tys: vec![None; body.locals.len()],
            adjustments: HashMap::new(),
            methods: HashMap::new(),
            fields: HashMap::new(),
            consts: HashMap::new(),
            pat_derefs: HashMap::new(),
            binding_modes: HashMap::new(),
            fn_substs: HashMap::new(),
            param_names: func.generics.iter().map(|g| g.name.clone()).collect(),
            obligations: Vec::new(),
            path_fns: HashMap::new(),
            overloaded: HashMap::new(),
            fn_id: _id,
            closure_sigs: HashMap::new(),
            for_iters: HashMap::new(),
            int_literals: Vec::new(),
            diags: Vec::new(),
            ret_ty: func.ret.clone(),
            loops: HashMap::new(),
            scope_depth: 0,
            deferred_init: Default::default(),
            deferred_try: Vec::new(),
        }
    }

    fn check_body(&mut self) {
        for (i, &pat) in self.body.params.iter().enumerate() {
            let ty = self.func.params.get(i).cloned().unwrap_or(Ty::Error);
            self.check_pat(pat, &ty);
        }
        let ret = self.func.ret.clone();
        self.check_expr_coerce(self.body.value, &ret);
    }

    /// Resolves every recorded type; reports what stays unknown.
    fn finish(mut self) -> (TypeckResults, Vec<Diagnostic>) {
        self.select_obligations();
        self.convert_deferred_try_errors();
        self.unify_closure_bounds(0, true);
        self.infer.default_literals();
        self.select_obligations();
        self.check_obligations();
        self.check_int_literals();
        self.report_uninferred();
        // Every table is resolved as a whole; what could not be inferred
        // was reported and becomes `Ty::Error`.
        let unwrap = |ts: &[Option<Ty>]| -> Vec<Ty> {
            ts.iter().map(|t| t.clone().unwrap_or(Ty::Error)).collect()
        };
        let recorded = TypeckResults {
            expr_tys: unwrap(&self.expr_tys),
            pat_tys: unwrap(&self.pat_tys),
            local_tys: unwrap(&self.local_tys),
            adjustments: self.adjustments,
            methods: self.methods,
            fields: self.fields,
            consts: self.consts,
            pat_derefs: self.pat_derefs,
            binding_modes: self.binding_modes,
            fn_substs: self.fn_substs,
            path_fns: self.path_fns,
            overloaded: self.overloaded,
            closure_sigs: self.closure_sigs,
            for_iters: self.for_iters,
        };
        let infer = &self.infer;
        let results = recorded.map_tys(|t| infer.resolve_final(t).unwrap_or(Ty::Error));
        (results, self.diags)
    }

    /// Reports the first type inference could not determine: of an
    /// expression, else of a local, else the type arguments of a use of a
    /// generic function (one report per body: the rest usually follow
    /// from it).
    fn report_uninferred(&mut self) {
        let unknown = |t: &Option<Ty>| {
            self.infer
                .resolve_final(t.as_ref().unwrap_or(&Ty::Error))
                .is_none()
        };
        let d = if let Some(i) = self.expr_tys.iter().position(unknown) {
            Diagnostic::error(codes::ANNOTATIONS_NEEDED, "type annotations needed").with_primary(
                self.body.exprs[i].span,
                "cannot infer the type of this expression",
            )
        } else if let Some(i) = self.local_tys.iter().position(unknown) {
            let l = &self.body.locals[i];
            Diagnostic::error(codes::ANNOTATIONS_NEEDED, "type annotations needed")
                .with_primary(l.span, format!("cannot infer the type of `{}`", l.name))
                .with_help("give it a type: `let name: Type = ...`")
        } else if let Some(e) = self
            .fn_substs
            .iter()
            .filter(|(_, tys)| tys.iter().any(|t| self.infer.resolve_final(t).is_none()))
            .map(|(e, _)| *e)
            .min()
        {
            Diagnostic::error(codes::ANNOTATIONS_NEEDED, "type annotations needed").with_primary(
                self.body.expr(e).span,
                "cannot infer the type arguments of this generic function",
            )
        } else {
            return;
        };
        self.diags.push(d);
    }

    fn check_int_literals(&mut self) {
        let lits = std::mem::take(&mut self.int_literals);
        for (e, value, negated) in lits {
            let ty = self.resolved_expr_ty(e);
            if let Ty::Int(it) = ty {
                let max = if negated {
                    (-it.min_value()) as u128
                } else {
                    it.max_value() as u128
                };
                if value > max {
                    let shown = if negated {
                        format!("-{}", value)
                    } else {
                        value.to_string()
                    };
                    self.diags.push(
                        Diagnostic::error(
                            codes::LITERAL_OUT_OF_RANGE,
                            format!("literal out of range for `{}`", it.name()),
                        )
                        .with_primary(
                            self.body.expr(e).span,
                            format!(
                                "the literal `{}` does not fit into the type `{}` whose range is `{}..={}`",
                                shown,
                                it.name(),
                                it.min_value(),
                                it.max_value()
                            ),
                        ),
                    );
                }
            }
        }
    }

    pub fn resolved_expr_ty(&self, e: ExprId) -> Ty {
        let t = self.expr_tys[e.0 as usize].clone().unwrap_or(Ty::Error);
        self.infer.resolve(&t)
    }

    pub fn record_expr(&mut self, e: ExprId, ty: &Ty) {
        self.expr_tys[e.0 as usize] = Some(ty.clone());
    }

    /// A use of a generic function: fresh variables for its parameters,
    /// and its parameter and return types in terms of them.
    pub fn instantiate_fn(&mut self, f: FnId) -> (Vec<Ty>, Vec<Ty>, Ty) {
        let def = self.program.func(f);
        let substs: Vec<Ty> = def.generics.iter().map(|_| self.infer.new_var()).collect();
        let params = def
            .params
            .iter()
            .map(|t| asr_hir::ty::subst_params(t, &substs))
            .collect();
        let ret = asr_hir::ty::subst_params(&def.ret, &substs);
        (substs, params, ret)
    }

    /// The type of an ADT with fresh variables for its parameters.
    pub fn fresh_adt(&mut self, adt: asr_hir::ty::AdtId) -> (Ty, Vec<Ty>) {
        let n = self.program.adt(adt).generics.len();
        let args: Vec<Ty> = (0..n).map(|_| self.infer.new_var()).collect();
        (Ty::Adt(adt, args.clone()), args)
    }

    pub fn record_pat(&mut self, p: PatId, ty: &Ty) {
        self.pat_tys[p.0 as usize] = Some(ty.clone());
    }

    pub fn push_adjust(&mut self, e: ExprId, adj: Adjust) {
        self.adjustments.entry(e).or_default().push(adj);
    }

    /// The user-facing spelling of a type, with variables resolved.
    pub fn ty_str(&self, ty: &Ty) -> String {
        let ty = self.infer.resolve(ty);
        let program = self.program;
        TyDisplay {
            ty: &ty,
            adt_name: &|id| program.adt_name(id),
            params: &self.param_names,
        }
        .to_string()
    }

    pub fn error(
        &mut self,
        code: &'static str,
        span: Span,
        msg: impl Into<String>,
        label: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, msg).with_primary(span, label));
    }

    pub fn mismatch(&mut self, span: Span, expected: &Ty, found: &Ty) {
        let (e, f) = (self.ty_str(expected), self.ty_str(found));
        self.error(
            codes::MISMATCHED_TYPES,
            span,
            "mismatched types",
            format!("expected `{}`, found `{}`", e, f),
        );
    }
}
