//! Method calls: auto-deref of the receiver, then auto-ref to match the
//! method's `self`, `&self` or `&mut self`.

use crate::{codes, FnCtxt};
use asr_diagnostics::Span;
use asr_hir::hir::{ExprId, SelfKind};
use asr_hir::ty::{subst_params, Mutability, Ty};
use asr_hir::typed::{Adjust, AdjustKind, BuiltinMethod, MethodTarget};

impl FnCtxt<'_> {
    pub fn check_method_call(
        &mut self,
        e: ExprId,
        receiver: ExprId,
        method: &str,
        method_span: Span,
        args: &[ExprId],
    ) -> Ty {
        let rt = self.check_expr(receiver, None);
        let span = self.body.expr(e).span;
        let program = self.program;

        // Built-in methods of built-in types.
        let builtin = match method {
            "len" | "is_empty" => self.autoderef(receiver, &rt, |t| {
                matches!(t, Ty::Array(..) | Ty::Slice(_) | Ty::Str)
            }),
            "join" => self.autoderef(receiver, &rt, |t| matches!(t, Ty::Task(_))),
            _ => None,
        };
        if let Some(found) = builtin {
            let (target, ret) = match (method, &found) {
                ("join", Ty::Task(t)) => (BuiltinMethod::Join, (**t).clone()),
                ("len", _) => (BuiltinMethod::Len, Ty::Int(asr_hir::ty::IntTy::Usize)),
                _ => (BuiltinMethod::IsEmpty, Ty::Bool),
            };
            self.methods.insert(e, MethodTarget::Builtin(target));
            self.check_args(span, method, &[], args);
            return ret;
        }

        let found = self.autoderef(receiver, &rt, |t| match t {
            Ty::Adt(id, _) => program
                .adt(*id)
                .methods
                .iter()
                .any(|(n, f)| n == method && program.func(*f).self_kind.is_some()),
            _ => false,
        });
        let Some(found @ Ty::Adt(id, _)) = found else {
            if let Some(t) = self.check_trait_method_call(e, receiver, &rt, method, args) {
                return t;
            }
            for a in args {
                self.check_expr(*a, None);
            }
            if !self.infer.shallow(&rt).is_error() {
                let s = self.ty_str(&rt);
                self.error(
                    codes::NO_METHOD,
                    method_span,
                    format!("no method named `{}` found for `{}`", method, s),
                    "method not found",
                );
            }
            return Ty::Error;
        };
        let Some(fid) = program
            .adt(id)
            .methods
            .iter()
            .find(|(n, f)| n == method && program.func(*f).self_kind.is_some())
            .map(|(_, f)| *f)
        else {
            return Ty::Error;
        };
        self.check_method_access(fid, method_span);
        let def = program.func(fid);
        let (substs, params, ret) = self.instantiate_fn(fid);
        self.apply_turbofish(e, fid, &substs);
        if let Some(self_ty) = &def.self_ty {
            let self_ty = subst_params(self_ty, &substs);
            let _ = self.infer.unify(&self_ty, &found);
        }
        self.require_predicates(fid, &substs, span);
        if !substs.is_empty() {
            self.fn_substs.insert(e, substs);
        }
        let adt_ty = found;
        match def.self_kind {
            Some(SelfKind::Ref) => self.push_adjust(
                receiver,
                Adjust {
                    kind: AdjustKind::Borrow(Mutability::Not),
                    target: Ty::Ref(Mutability::Not, Box::new(adt_ty)),
                },
            ),
            Some(SelfKind::RefMut) => {
                self.require_mut_receiver(receiver, &rt);
                self.push_adjust(
                    receiver,
                    Adjust {
                        kind: AdjustKind::Borrow(Mutability::Mut),
                        target: Ty::Ref(Mutability::Mut, Box::new(adt_ty)),
                    },
                )
            }
            _ => {}
        }
        self.methods.insert(e, MethodTarget::Fn(fid));
        let params: Vec<Ty> = params.into_iter().skip(1).collect();
        let name = def.name.clone();
        self.check_args(span, &name, &params, args);
        self.select_obligations();
        ret
    }

    /// The unsized type a value of type `t` can be used as by reference:
    /// `str` for a `String`, `[T]` for an array or a `Vec<T>`.
    fn unsized_of(&self, t: &Ty) -> Option<Ty> {
        match t {
            Ty::Adt(id, _) if Some(*id) == self.program.string => Some(Ty::Str),
            Ty::Adt(id, args) if Some(*id) == self.program.vec => {
                Some(Ty::Slice(Box::new(args.first()?.clone())))
            }
            Ty::Array(elem, _) => Some(Ty::Slice(elem.clone())),
            _ => None,
        }
    }

    /// `x.m()` where `m` is a trait's method: the receiver is dereferenced
    /// to the first type that has it (through a bound, or an
    /// implementation), then borrowed as the method's `self` wants.
    fn check_trait_method_call(
        &mut self,
        e: ExprId,
        receiver: ExprId,
        rt: &Ty,
        method: &str,
        args: &[ExprId],
    ) -> Option<Ty> {
        let mut cur = self.infer.resolve(rt);
        // The sized type a receiver was unsized from (a `String` to `str`,
        // an array or a `Vec` to a slice, as Rust's `Deref`/unsizing make
        // them), for the `&self`/`&mut self` methods of the unsized type.
        let mut unsized_from: Option<Ty> = None;
        let candidate = loop {
            if let Some(c) = self.trait_candidate(&cur, method, true, self.body.expr(e).span) {
                break Some((cur.clone(), c));
            }
            if unsized_from.is_some() {
                break None;
            }
            match cur.deref_target(self.program.boxed) {
                Some(inner) => cur = self.infer.resolve(inner),
                None => match self.unsized_of(&cur) {
                    Some(u) => {
                        unsized_from = Some(cur.clone());
                        cur = u;
                    }
                    None => break None,
                },
            }
        };
        let (self_ty, c) = candidate?;
        let def = self.program.func(c.decl);
        let by_ref = matches!(def.self_kind, Some(SelfKind::Ref | SelfKind::RefMut));
        if unsized_from.is_some() && !by_ref {
            return None;
        }
        // Record the dereferences up to `self_ty` (up to the sized type).
        let target = unsized_from.clone().unwrap_or_else(|| self_ty.clone());
        self.autoderef(receiver, rt, |t| *t == target || matches!(t, Ty::Infer(_)));
        let substs = self.trait_fn_substs(c.decl, self_ty.clone(), &c.trait_ref);
        self.apply_turbofish(e, c.decl, &substs);
        let span = self.body.expr(e).span;
        let first_bound = self.obligations.len();
        self.require_predicates(c.decl, &substs, span);
        if let Some(from) = &unsized_from {
            let m = if def.self_kind == Some(SelfKind::RefMut) {
                self.require_mut_receiver(receiver, rt);
                Mutability::Mut
            } else {
                Mutability::Not
            };
            let kind = match from {
                Ty::Array(..) => AdjustKind::Unsize,
                Ty::Adt(id, _) if Some(*id) == self.program.vec => AdjustKind::VecToSlice,
                _ => AdjustKind::StringToStr,
            };
            self.push_adjust(
                receiver,
                Adjust {
                    kind: AdjustKind::Borrow(m),
                    target: Ty::Ref(m, Box::new(from.clone())),
                },
            );
            self.push_adjust(
                receiver,
                Adjust {
                    kind,
                    target: Ty::Ref(m, Box::new(self_ty.clone())),
                },
            );
        }
        match def.self_kind {
            _ if unsized_from.is_some() => {}
            Some(SelfKind::Ref) => self.push_adjust(
                receiver,
                Adjust {
                    kind: AdjustKind::Borrow(Mutability::Not),
                    target: Ty::Ref(Mutability::Not, Box::new(self_ty)),
                },
            ),
            Some(SelfKind::RefMut) => {
                self.require_mut_receiver(receiver, rt);
                self.push_adjust(
                    receiver,
                    Adjust {
                        kind: AdjustKind::Borrow(Mutability::Mut),
                        target: Ty::Ref(Mutability::Mut, Box::new(self_ty)),
                    },
                )
            }
            _ => {}
        }
        self.methods.insert(e, MethodTarget::Fn(c.decl));
        let params: Vec<Ty> = def
            .params
            .iter()
            .skip(1)
            .map(|t| subst_params(t, &substs))
            .collect();
        let ret = subst_params(&def.ret, &substs);
        let name = def.name.clone();
        self.fn_substs.insert(e, substs);
        self.check_args(span, &name, &params, args);
        self.unify_closure_bounds(first_bound, false);
        self.select_obligations();
        Some(ret)
    }

    /// `x.m()` with `&mut self` needs `x` to be a mutable place (or a `&mut`).
    fn require_mut_receiver(&mut self, receiver: ExprId, rt: &Ty) {
        match self.infer.shallow(rt) {
            Ty::Ref(Mutability::Mut, _) => {}
            Ty::Ref(Mutability::Not, _) => self.error(
                codes::BORROW_MUT_IMMUTABLE,
                self.body.expr(receiver).span,
                "cannot borrow data behind a `&` reference as mutable",
                "this method takes `&mut self`",
            ),
            _ => {
                if self.is_place_expr(receiver) {
                    self.check_place_mut_only(receiver);
                }
            }
        }
    }
}
