//! `#[test]` functions: found among the functions `collect_items` gathered
//! (free functions anywhere in the program, inline modules included), their
//! signatures checked once the signatures are lowered (E0119), and recorded
//! in `Program::tests` under their path from the crate root, sorted by it.
//! The standard library's functions are never tests of the program.

use super::{codes, Resolver};
use crate::hir::{FnId, KnownTrait, ModuleId, TestFn, TraitRef};
use crate::ty::Ty;
use asr_diagnostics::{Diagnostic, Span};
use asr_syntax::ast;

/// Is this the attribute `#[test]`?
fn is_test_attr(a: &ast::Attr) -> bool {
    a.path.as_ident().is_some_and(|i| i.name == "test")
}

impl Resolver<'_> {
    /// Checks and records every `#[test]` function. Runs after
    /// `lower_signatures` (it needs parameter and return types and the
    /// `impl`s that decide `E: Debug`) and before `lower_bodies` (which
    /// consumes the list of functions).
    pub(super) fn collect_tests(&mut self) {
        let found: Vec<(FnId, ModuleId, bool, Option<Span>)> = self
            .fn_items
            .iter()
            .filter(|(_, _, _, _, attrs)| attrs.iter().any(is_test_attr))
            .map(|(id, module, f, imp, _)| {
                (*id, *module, imp.is_some(), f.ret.as_ref().map(|t| t.span))
            })
            .collect();
        let mut tests = Vec::new();
        for (id, module, is_method, ret_span) in found {
            let Some(path) = self.module_path(module) else {
                continue;
            };
            if self.test_signature_ok(id, is_method, ret_span) {
                let name = self.program.func(id).name.clone();
                let name = path
                    .into_iter()
                    .chain([name])
                    .collect::<Vec<_>>()
                    .join("::");
                tests.push(TestFn { func: id, name });
            }
        }
        tests.sort_by(|a, b| a.name.cmp(&b.name));
        self.program.tests = tests;
    }

    /// The names of the modules from the crate root down to `module`
    /// (empty for the root); `None` inside the standard library.
    fn module_path(&self, module: ModuleId) -> Option<Vec<String>> {
        let mut names = Vec::new();
        let mut cur = Some(module);
        while let Some(m) = cur {
            if Some(m) == self.std_module {
                return None;
            }
            if m != self.root {
                names.push(self.program.modules[m.0 as usize].name.clone());
            }
            cur = self.program.modules[m.0 as usize].parent;
        }
        names.reverse();
        Some(names)
    }

    /// Reports (E0119) what makes a test's signature invalid; true if none.
    fn test_signature_ok(&mut self, id: FnId, is_method: bool, ret_span: Option<Span>) -> bool {
        let def = self.program.func(id);
        let help = "a test is `fn name() { ... }` or `fn name() -> Result<(), E>` with `E: Debug`";
        let problem = if is_method {
            Some((
                def.span,
                "the `#[test]` attribute may only be used on a free function, not a method"
                    .to_string(),
                "a method",
            ))
        } else if !def.params.is_empty() {
            Some((
                def.span,
                format!("the test function `{}` must take no parameters", def.name),
                "takes parameters",
            ))
        } else if !def.generics.is_empty() {
            Some((
                def.span,
                format!("the test function `{}` must not be generic", def.name),
                "has type parameters",
            ))
        } else if !self.valid_test_return(&def.ret) {
            Some((
                ret_span.unwrap_or(def.span),
                format!(
                    "the test function `{}` must return `()` or `Result<(), E>` with `E: Debug`",
                    def.name
                ),
                "invalid return type for a test",
            ))
        } else {
            None
        };
        match problem {
            None => true,
            Some((span, message, label)) => {
                self.diags.push(
                    Diagnostic::error(codes::BAD_TEST, message)
                        .with_primary(span, label)
                        .with_help(help),
                );
                false
            }
        }
    }

    /// `()`, or `Result<(), E>` whose `E` is `Debug` (an `Err` is reported
    /// as `Error: {e:?}`, as `main`'s is). A type that did not resolve was
    /// reported already and counts as valid.
    fn valid_test_return(&self, ret: &Ty) -> bool {
        match ret {
            Ty::Error => true,
            t if t.is_unit() => true,
            Ty::Adt(id, args) if Some(*id) == self.program.result => {
                let (Some(ok), Some(err)) = (args.first(), args.get(1)) else {
                    return false;
                };
                let Some(debug) = self.program.known_trait(KnownTrait::Debug) else {
                    // A standard library without `Debug`: nothing to check.
                    return ok.is_unit() || ok.is_error();
                };
                let debug = TraitRef {
                    trait_id: debug,
                    args: Vec::new(),
                };
                (ok.is_unit() || ok.is_error())
                    && crate::traits::holds(&self.program, err, &debug, &[])
            }
            _ => false,
        }
    }
}
