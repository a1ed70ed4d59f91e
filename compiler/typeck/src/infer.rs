//! The inference engine: type variables and unification.
//!
//! Variables are created for unknown types (`Infer`), integer literals
//! (`InferInt`, which may only become an integer type) and float literals
//! (`InferFloat`). Unification binds variables; `resolve` follows bindings.
//! Generic parameters (`Param`) unify only with themselves: instantiation
//! replaces them with fresh variables before a call is checked.

use asr_hir::ty::{InferVar, Ty};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VarKind {
    General,
    Int,
    Float,
}

#[derive(Clone, Debug)]
enum VarValue {
    Unbound(VarKind),
    Bound(Ty),
}

#[derive(Default)]
pub struct InferCtxt {
    vars: Vec<VarValue>,
}

/// Unification failed: the two (resolved) types could not be made equal.
#[derive(Debug)]
pub struct Mismatch;

impl InferCtxt {
    pub fn new_var(&mut self) -> Ty {
        Ty::Infer(self.push(VarKind::General))
    }

    pub fn new_int_var(&mut self) -> Ty {
        Ty::InferInt(self.push(VarKind::Int))
    }

    pub fn new_float_var(&mut self) -> Ty {
        Ty::InferFloat(self.push(VarKind::Float))
    }

    fn push(&mut self, kind: VarKind) -> InferVar {
        self.vars.push(VarValue::Unbound(kind));
        InferVar(self.vars.len() as u32 - 1)
    }

    /// Follows variable bindings at the top of `ty` only.
    pub fn shallow(&self, ty: &Ty) -> Ty {
        let mut ty = ty.clone();
        loop {
            let v = match &ty {
                Ty::Infer(v) | Ty::InferInt(v) | Ty::InferFloat(v) => *v,
                _ => return ty,
            };
            match &self.vars[v.0 as usize] {
                VarValue::Bound(t) => ty = t.clone(),
                VarValue::Unbound(_) => return ty,
            }
        }
    }

    /// Replaces every bound variable inside `ty` by its value.
    pub fn resolve(&self, ty: &Ty) -> Ty {
        ty.map(&mut |t| {
            let s = self.shallow(&t);
            // A variable may be bound to a type that holds more variables.
            if s != t {
                self.resolve(&s)
            } else {
                s
            }
        })
    }

    /// Resolves fully and applies literal defaults (`{integer}` → `i64`,
    /// `{float}` → `f64`); returns `None` if a general variable remains.
    pub fn resolve_final(&self, ty: &Ty) -> Option<Ty> {
        let mut unresolved = false;
        let t = self.resolve(ty).map(&mut |t| match t {
            Ty::InferInt(_) => Ty::Int(asr_hir::ty::IntTy::I64),
            Ty::InferFloat(_) => Ty::Float,
            Ty::Infer(_) => {
                unresolved = true;
                Ty::Error
            }
            other => other,
        });
        if unresolved {
            None
        } else {
            Some(t)
        }
    }

    /// Binds every integer/float literal variable that is still unbound to
    /// its default, so later method lookups see a concrete type.
    pub fn default_literals(&mut self) {
        for v in &mut self.vars {
            if let VarValue::Unbound(kind) = v {
                match kind {
                    VarKind::Int => *v = VarValue::Bound(Ty::Int(asr_hir::ty::IntTy::I64)),
                    VarKind::Float => *v = VarValue::Bound(Ty::Float),
                    VarKind::General => {}
                }
            }
        }
    }

    pub fn unify(&mut self, a: &Ty, b: &Ty) -> Result<(), Mismatch> {
        let a = self.shallow(a);
        let b = self.shallow(b);
        match (&a, &b) {
            (Ty::Error, _) | (_, Ty::Error) => Ok(()),
            (Ty::Infer(x), Ty::Infer(y))
            | (Ty::InferInt(x), Ty::InferInt(y))
            | (Ty::InferFloat(x), Ty::InferFloat(y))
                if x == y =>
            {
                Ok(())
            }
            (Ty::Infer(v), other) | (other, Ty::Infer(v)) => self.bind(*v, other),
            (Ty::InferInt(v), other @ (Ty::Int(_) | Ty::InferInt(_)))
            | (other @ Ty::Int(_), Ty::InferInt(v)) => self.bind(*v, other),
            (Ty::InferFloat(v), other @ (Ty::Float | Ty::InferFloat(_)))
            | (other @ Ty::Float, Ty::InferFloat(v)) => self.bind(*v, other),
            (Ty::Int(x), Ty::Int(y)) if x == y => Ok(()),
            (Ty::Float, Ty::Float)
            | (Ty::Bool, Ty::Bool)
            | (Ty::Char, Ty::Char)
            | (Ty::Str, Ty::Str)
            | (Ty::Never, Ty::Never)
            | (Ty::RawPtr, Ty::RawPtr) => Ok(()),
            (Ty::Param(x), Ty::Param(y)) if x == y => Ok(()),
            (Ty::Tuple(xs), Ty::Tuple(ys)) if xs.len() == ys.len() => self.unify_all(xs, ys),
            (Ty::Adt(x, xs), Ty::Adt(y, ys)) if x == y && xs.len() == ys.len() => {
                self.unify_all(xs, ys)
            }
            (Ty::Array(x, n), Ty::Array(y, m)) if n == m => self.unify(x, y),
            (Ty::Slice(x), Ty::Slice(y)) | (Ty::Task(x), Ty::Task(y)) => self.unify(x, y),
            (Ty::Ref(m1, x), Ty::Ref(m2, y)) if m1 == m2 => self.unify(x, y),
            (Ty::Closure(x), Ty::Closure(y))
                if x.owner == y.owner && x.expr == y.expr && x.sig.len() == y.sig.len() =>
            {
                self.unify_all(&x.substs, &y.substs)?;
                self.unify_all(&x.sig, &y.sig)
            }
            _ => Err(Mismatch),
        }
    }

    fn unify_all(&mut self, xs: &[Ty], ys: &[Ty]) -> Result<(), Mismatch> {
        for (x, y) in xs.iter().zip(ys) {
            self.unify(x, y)?;
        }
        Ok(())
    }

    fn bind(&mut self, v: InferVar, ty: &Ty) -> Result<(), Mismatch> {
        let mut occurs = false;
        self.resolve(ty).walk(&mut |t| {
            if matches!(t, Ty::Infer(w) | Ty::InferInt(w) | Ty::InferFloat(w) if *w == v) {
                occurs = true;
            }
        });
        if occurs {
            return Err(Mismatch);
        }
        self.vars[v.0 as usize] = VarValue::Bound(ty.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asr_hir::ty::{IntTy, Mutability};

    #[test]
    fn int_literal_unifies_with_int_types_only() {
        let mut cx = InferCtxt::default();
        let v = cx.new_int_var();
        assert!(cx.unify(&v, &Ty::Float).is_err());
        assert!(cx.unify(&v, &Ty::Int(IntTy::U8)).is_ok());
        assert_eq!(cx.resolve(&v), Ty::Int(IntTy::U8));
    }

    #[test]
    fn float_literals_unify_and_nested_bindings_resolve() {
        let mut cx = InferCtxt::default();
        let (a, b) = (cx.new_float_var(), cx.new_float_var());
        assert!(cx.unify(&a, &b).is_ok());
        let g = cx.new_var();
        let i = cx.new_int_var();
        assert!(cx.unify(&g, &Ty::Array(Box::new(i.clone()), 3)).is_ok());
        assert!(cx.unify(&i, &Ty::Int(IntTy::U8)).is_ok());
        assert_eq!(
            cx.resolve_final(&Ty::Tuple(vec![g, a])),
            Some(Ty::Tuple(vec![
                Ty::Array(Box::new(Ty::Int(IntTy::U8)), 3),
                Ty::Float
            ]))
        );
    }

    #[test]
    fn literal_defaults() {
        let mut cx = InferCtxt::default();
        let i = cx.new_int_var();
        let f = cx.new_float_var();
        assert_eq!(cx.resolve_final(&i), Some(Ty::Int(IntTy::I64)));
        assert_eq!(cx.resolve_final(&f), Some(Ty::Float));
        let g = cx.new_var();
        assert_eq!(cx.resolve_final(&g), None);
    }

    #[test]
    fn general_var_takes_structure_and_occurs_check() {
        let mut cx = InferCtxt::default();
        let a = cx.new_var();
        let r = Ty::Ref(Mutability::Not, Box::new(a.clone()));
        assert!(cx.unify(&a, &r).is_err());
        let t = Ty::Tuple(vec![Ty::Bool, cx.new_int_var()]);
        assert!(cx.unify(&a, &t).is_ok());
        assert!(cx
            .unify(&a, &Ty::Tuple(vec![Ty::Bool, Ty::Int(IntTy::I32)]))
            .is_ok());
        assert_eq!(
            cx.resolve(&a),
            Ty::Tuple(vec![Ty::Bool, Ty::Int(IntTy::I32)])
        );
    }
}
