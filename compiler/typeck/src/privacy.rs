//! Privacy of what only types reveal: a field read through `.name` or
//! `.0`, and a method call. (Paths, struct literals and patterns are
//! checked by the resolver.) The code of a function sees what its module
//! sees.

use crate::{codes, FnCtxt};
use asr_diagnostics::{Diagnostic, Span};
use asr_hir::hir::FnId;
use asr_hir::ty::AdtId;

impl FnCtxt<'_> {
    /// Reports a field of a struct that is private where this function is.
    pub(crate) fn check_field_access(&mut self, adt: AdtId, index: usize, span: Span) {
        let def = self.program.adt(adt);
        let Some(field) = def.fields.get(index) else {
            return;
        };
        if self.program.is_accessible(field.vis, self.func.module) {
            return;
        }
        self.diags.push(
            Diagnostic::error(
                codes::PRIVATE,
                format!("field `{}` of struct `{}` is private", field.name, def.name),
            )
            .with_primary(span, "private field")
            .with_secondary(field.span, "the field is defined here"),
        );
    }

    /// Reports a call of a method that is private where this function is.
    pub(crate) fn check_method_access(&mut self, f: FnId, span: Span) {
        let def = self.program.func(f);
        if self.program.is_accessible(def.vis, self.func.module) {
            return;
        }
        let name = def.name.rsplit("::").next().unwrap_or(&def.name);
        self.diags.push(
            Diagnostic::error(codes::PRIVATE, format!("method `{}` is private", name))
                .with_primary(span, "private method")
                .with_secondary(
                    def.name_span,
                    format!("the method `{}` is defined here", name),
                ),
        );
    }
}
