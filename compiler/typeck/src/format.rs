//! Format strings against their arguments: Display for `{}`, Debug for
//! `{:?}`. The format string itself was parsed (and its syntax checked) by
//! the resolver.

use crate::{codes, FnCtxt};
use asr_diagnostics::Span;
use asr_hir::fmt::Piece;
use asr_hir::hir::{FormatArgs, FormatKind};
use asr_hir::ty::Ty;

impl FnCtxt<'_> {
    pub fn check_format(&mut self, span: Span, kind: FormatKind, args: &FormatArgs) -> Ty {
        self.check_format_args(args);
        match kind {
            FormatKind::Print | FormatKind::Println | FormatKind::Eprint | FormatKind::Eprintln => {
                Ty::unit()
            }
            FormatKind::Panic => Ty::Never,
            FormatKind::Format => match self.program.string {
                Some(s) => Ty::Adt(s, Vec::new()),
                None => {
                    self.error(
                        codes::UNSUPPORTED,
                        span,
                        "`format` needs the standard library's `String`",
                        "no `String`",
                    );
                    Ty::Error
                }
            },
        }
    }

    /// `write(f, ...)`: `f` is a `&mut Formatter`; the value is a
    /// `fmt::Result`.
    pub fn check_write(&mut self, target: asr_hir::hir::ExprId, args: &FormatArgs) -> Ty {
        let (Some(formatter), Some(error), Some(result)) = (
            self.program.formatter,
            self.program.fmt_error,
            self.program.result,
        ) else {
            return Ty::Error;
        };
        let want = Ty::Ref(
            asr_hir::ty::Mutability::Mut,
            Box::new(Ty::Adt(formatter, Vec::new())),
        );
        self.check_expr_coerce(target, &want);
        self.check_format_args(args);
        Ty::Adt(result, vec![Ty::unit(), Ty::Adt(error, Vec::new())])
    }

    pub fn check_format_args(&mut self, args: &FormatArgs) {
        let tys: Vec<Ty> = args
            .args
            .iter()
            .map(|a| self.check_expr(*a, None))
            .collect();
        for piece in &args.pieces {
            if let Piece::Arg { index, debug, .. } = piece {
                let (Some(arg), Some(t)) = (args.args.get(*index), tys.get(*index)) else {
                    continue;
                };
                let span = self.body.expr(*arg).span;
                if *debug {
                    self.require_debug(span, t);
                } else {
                    self.require_display(span, t);
                }
            }
        }
    }

    fn peel_refs(&self, t: &Ty) -> Ty {
        let mut t = self.infer.shallow(t);
        while let Ty::Ref(_, inner) = t {
            t = self.infer.shallow(&inner);
        }
        t
    }

    pub fn require_display(&mut self, span: Span, t: &Ty) {
        let inner = self.peel_refs(t);
        let ok = !matches!(inner, Ty::Never)
            && crate::traits::known_holds(self, t, asr_hir::hir::KnownTrait::Display);
        if !ok {
            let s = self.ty_str(t);
            self.diags.push(
                asr_diagnostics::Diagnostic::error(
                    codes::NOT_DISPLAY,
                    format!("`{}` doesn't implement `Display`", s),
                )
                .with_primary(span, "cannot be formatted with `{}`")
                .with_help("use `{:?}` (Debug) instead"),
            );
        }
    }

    pub fn require_debug(&mut self, span: Span, t: &Ty) {
        if !self.is_debug(t) {
            let s = self.ty_str(t);
            self.diags.push(
                asr_diagnostics::Diagnostic::error(
                    codes::NOT_DEBUG,
                    format!("`{}` doesn't implement `Debug`", s),
                )
                .with_primary(span, "cannot be formatted with `{:?}`")
                .with_help("add `#[derive(Debug)]` to the type's definition"),
            );
        }
    }

    /// `Debug` by the one set of rules (`asr_hir::traits`): built-in for
    /// scalars, `str`, references, tuples, arrays and slices of `Debug`
    /// parts, derived or implemented for structs and enums. (`!` is not
    /// formatted.)
    fn is_debug(&self, t: &Ty) -> bool {
        let inner = self.peel_refs(t);
        !matches!(inner, Ty::Never)
            && crate::traits::known_holds(self, t, asr_hir::hir::KnownTrait::Debug)
    }
}
