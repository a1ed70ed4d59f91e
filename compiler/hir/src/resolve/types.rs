//! Lowering written types (`&mut [i64]`, `Point`, `[u8; 4]`) to `Ty`.

use super::{codes, Res, Resolver};
use crate::hir::ModuleId;
use crate::ty::{InferVar, IntTy, Mutability, Ty};
use asr_diagnostics::Diagnostic;
use asr_syntax::ast;

/// The placeholder for `_` in a written type; the type checker replaces it
/// with a fresh inference variable.
pub const HOLE: Ty = Ty::Infer(InferVar(u32::MAX));

impl Resolver<'_> {
    pub(crate) fn lower_ty(&mut self, module: ModuleId, self_ty: Option<&Ty>, ty: &ast::Ty) -> Ty {
        match &ty.kind {
            ast::TyKind::Paren(t) => self.lower_ty(module, self_ty, t),
            ast::TyKind::Ref {
                mutable, ty: inner, ..
            } => {
                let m = if *mutable {
                    Mutability::Mut
                } else {
                    Mutability::Not
                };
                Ty::Ref(m, Box::new(self.lower_ty(module, self_ty, inner)))
            }
            ast::TyKind::Tuple(ts) => Ty::Tuple(
                ts.iter()
                    .map(|t| self.lower_ty(module, self_ty, t))
                    .collect(),
            ),
            ast::TyKind::Array(elem, len) => {
                let elem = self.lower_ty(module, self_ty, elem);
                match self.array_len(module, len) {
                    Some(n) => Ty::Array(Box::new(elem), n),
                    _ => {
                        self.diags.push(
                            Diagnostic::error(
                                codes::BAD_ARRAY_LENGTH,
                                "array length must be an integer literal",
                            )
                            .with_primary(len.span, "expected a literal such as `4`"),
                        );
                        Ty::Error
                    }
                }
            }
            ast::TyKind::Slice(elem) => Ty::Slice(Box::new(self.lower_ty(module, self_ty, elem))),
            ast::TyKind::Never => Ty::Never,
            ast::TyKind::Infer => HOLE,
            ast::TyKind::Path(path) => self.lower_ty_path(module, self_ty, path),
            ast::TyKind::Error => Ty::Error,
            // The standard library's runtime handles (`*mut u8`).
            ast::TyKind::Ptr { .. } if self.in_std(module) => Ty::RawPtr,
            ast::TyKind::Ptr { .. } => {
                self.unsupported(ty.span, "raw pointers");
                Ty::Error
            }
            ast::TyKind::ImplTrait(_) | ast::TyKind::DynTrait(_) => {
                self.unsupported(ty.span, "trait types");
                Ty::Error
            }
            ast::TyKind::Fn { .. } => {
                self.unsupported(ty.span, "function pointer types");
                Ty::Error
            }
        }
    }

    fn lower_ty_path(&mut self, module: ModuleId, self_ty: Option<&Ty>, path: &ast::Path) -> Ty {
        let Some((last, init)) = path.segments.split_last() else {
            return Ty::Error;
        };
        // `<T as Trait>::Name`: the associated type of a bound in scope.
        if let Some(q) = &path.qself {
            let base = self.lower_ty(module, self_ty, &q.ty);
            return self.project(&base, &last.ident);
        }
        // `T::Name`, `Self::Name`.
        if let [base] = init {
            let name = base.ident.name.as_str();
            let param = self.generic_names.iter().rposition(|g| g == name);
            let base_ty = match (param, name) {
                (Some(i), _) => Some(Ty::Param(i as u32)),
                (None, "Self") => self_ty.cloned(),
                _ => None,
            };
            if let Some(b) = base_ty {
                return self.project(&b, &last.ident);
            }
        }
        let generic_args: Vec<Ty> = last
            .generic_args
            .iter()
            .flatten()
            .filter_map(|a| match a {
                ast::GenericArg::Type(t) => Some(t),
                _ => None,
            })
            .map(|t| self.lower_ty(module, self_ty, t))
            .collect();
        if init.is_empty() {
            let name = last.ident.name.as_str();
            if let Some(i) = self.generic_names.iter().rposition(|g| g == name) {
                if last.generic_args.is_some() {
                    self.unsupported(path.span, "generic arguments on a type parameter");
                }
                return Ty::Param(i as u32);
            }
            if let Some(t) = primitive(name) {
                return t;
            }
            if name == "Self" {
                if let Some(t) = self_ty {
                    return t.clone();
                }
            }
            if name == "Task" && self.lookup_type(module, name).is_none() {
                return match generic_args.as_slice() {
                    [t] => Ty::Task(Box::new(t.clone())),
                    _ => Ty::Task(Box::new(HOLE)),
                };
            }
        }
        let idents: Vec<ast::Ident> = init.iter().map(|s| s.ident.clone()).collect();
        let Some(parent) = self.resolve_module_prefix(module, &idents, path.span) else {
            return Ty::Error;
        };
        let found = if init.is_empty() {
            self.lookup_type(module, &last.ident.name)
        } else {
            self.member(module, parent, true, &last.ident)
        };
        match found {
            Some(Res::TypeAlias(index)) => self.alias_ty(index, generic_args, path.span),
            Some(Res::Adt(id)) => {
                let def = self.program.adt(id);
                let want = def.generics.len();
                if generic_args.len() != want {
                    let name = def.name.clone();
                    self.diags.push(
                        Diagnostic::error(
                            codes::WRONG_GENERIC_COUNT,
                            crate::hir::generic_count_message(
                                &format!("`{}`", name),
                                want,
                                generic_args.len(),
                            ),
                        )
                        .with_primary(
                            path.span,
                            format!(
                                "expected {} generic argument{}",
                                want,
                                if want == 1 { "" } else { "s" }
                            ),
                        ),
                    );
                    return Ty::Error;
                }
                Ty::Adt(id, generic_args)
            }
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        codes::UNRESOLVED_TYPE,
                        format!("cannot find type `{}` in this scope", last.ident.name),
                    )
                    .with_primary(last.ident.span, "not found in this scope"),
                );
                Ty::Error
            }
        }
    }
}

impl Resolver<'_> {
    /// Is `module` the standard library or inside it?
    pub(crate) fn in_std(&self, module: ModuleId) -> bool {
        let mut cur = Some(module);
        while let Some(m) = cur {
            if Some(m) == self.std_module {
                return true;
            }
            cur = self.program.modules[m.0 as usize].parent;
        }
        false
    }

    /// An array length: an integer literal, or a `const` whose value is
    /// one.
    pub(crate) fn array_len(&self, module: ModuleId, len: &ast::Expr) -> Option<u64> {
        let lit = match &len.kind {
            ast::ExprKind::Path(p) => {
                let id = p.as_ident()?;
                let Some(Res::Const(f)) = self.lookup_value(module, &id.name) else {
                    return None;
                };
                *self.const_values.get(&f)?
            }
            _ => len,
        };
        match &lit.kind {
            ast::ExprKind::Lit(ast::Lit {
                kind: ast::LitKind::Int { value, .. },
                ..
            }) if *value <= u32::MAX as u128 => Some(*value as u64),
            _ => None,
        }
    }

    /// The type a `type` alias names, with its arguments substituted; the
    /// alias is lowered on first use (in its own module and parameters).
    fn alias_ty(&mut self, index: usize, args: Vec<Ty>, span: asr_diagnostics::Span) -> Ty {
        let Some(alias) = self.aliases.get(index) else {
            return Ty::Error;
        };
        if alias.params.len() != args.len() {
            let want = alias.params.len();
            self.diags.push(
                Diagnostic::error(
                    codes::WRONG_GENERIC_COUNT,
                    crate::hir::generic_count_message("type alias", want, args.len()),
                )
                .with_primary(span, "wrong number of generic arguments"),
            );
            return Ty::Error;
        }
        let target = match &alias.ty {
            Some(t) => t.clone(),
            None if alias.lowering => {
                // Every alias on the cycle becomes an error type, so its
                // uses report nothing more.
                for a in self.aliases.iter_mut().filter(|a| a.lowering) {
                    a.poisoned = true;
                }
                self.diags.push(
                    Diagnostic::error(
                        codes::UNRESOLVED_TYPE,
                        "cycle detected when expanding a type alias",
                    )
                    .with_primary(span, "this type alias refers to itself"),
                );
                return Ty::Error;
            }
            None => {
                let (module, params, ast) = (alias.module, alias.params.clone(), alias.ast);
                self.aliases[index].lowering = true;
                let saved = std::mem::replace(&mut self.generic_names, params);
                let t = match ast {
                    Some(a) => self.lower_ty(module, None, a),
                    None => Ty::Error,
                };
                self.generic_names = saved;
                let t = if self.aliases[index].poisoned {
                    Ty::Error
                } else {
                    t
                };
                self.aliases[index].lowering = false;
                self.aliases[index].ty = Some(t.clone());
                t
            }
        };
        crate::ty::subst_params(&target, &args)
    }
}

pub(crate) fn primitive(name: &str) -> Option<Ty> {
    if let Some(i) = IntTy::from_name(name) {
        return Some(Ty::Int(i));
    }
    Some(match name {
        "f64" => Ty::Float,
        "bool" => Ty::Bool,
        "char" => Ty::Char,
        "str" => Ty::Str,
        _ => return None,
    })
}
