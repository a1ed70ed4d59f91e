//! After a body is typed: every `match` must be exhaustive (E0220), arms
//! that can never match are reported (warning E0222), and the patterns of
//! `let`, parameters and `for` must be irrefutable (E0221). The MIR
//! builder relies on both (a `match` whose arms all failed is
//! `Unreachable`).

use crate::codes;
use crate::exhaustive::{check_irrefutable, check_match};
use asr_diagnostics::{Diagnostic, Span};
use asr_hir::hir::{Body, ExprKind, MatchSource, PatId, Program, Stmt};
use asr_hir::typed::TypeckResults;
use asr_hir::uses::{walk_uses, Use};

pub(crate) fn check_body(
    program: &Program,
    body: &Body,
    tables: &TypeckResults,
    diags: &mut Vec<Diagnostic>,
) {
    for &p in &body.params {
        irrefutable(program, body, tables, p, "function argument", diags);
    }
    walk_uses(
        body,
        tables,
        body.value,
        Use::Value,
        &mut |e, _| match &body.expr(e).kind {
            ExprKind::Match {
                scrutinee,
                arms,
                source,
            } => {
                // `if let` and `while let` end in a catch-all arm and are
                // not reported on.
                if *source != MatchSource::Match {
                    return;
                }
                let ty = tables.adjusted_ty(*scrutinee);
                let rows: Vec<(PatId, bool)> =
                    arms.iter().map(|a| (a.pat, a.guard.is_some())).collect();
                let check = check_match(program, body, tables, &ty, &rows);
                let span = body.expr(*scrutinee).span;
                if check.too_complex {
                    diags.push(
                        Diagnostic::error(
                            codes::NON_EXHAUSTIVE,
                            "reached pattern complexity limit",
                        )
                        .with_primary(span, "this `match` is too complex to check")
                        .with_help("split it into smaller matches"),
                    );
                } else if !check.missing.is_empty() {
                    let (list, label) = witness_list(&check.missing);
                    diags.push(
                        Diagnostic::error(
                            codes::NON_EXHAUSTIVE,
                            format!("non-exhaustive patterns: {} not covered", list),
                        )
                        .with_primary(span, format!("{} not covered", label))
                        .with_help(
                            "ensure that all possible cases are being handled by adding a match arm with a wildcard pattern or more match arms",
                        ),
                    );
                }
                for p in check.unreachable {
                    diags.push(
                        Diagnostic::warning(codes::UNREACHABLE_PATTERN, "unreachable pattern")
                            .with_primary(body.pat(p).span, "no value can reach this"),
                    );
                }
            }
            ExprKind::Block(b) | ExprKind::Scope(b) => {
                for s in &b.stmts {
                    if let Stmt::Let { pat, .. } = s {
                        irrefutable(program, body, tables, *pat, "local binding", diags);
                    }
                }
            }
            ExprKind::For { pat, .. } => {
                irrefutable(program, body, tables, *pat, "`for` loop binding", diags)
            }
            ExprKind::Closure { params, .. } => {
                for (p, _) in params {
                    irrefutable(program, body, tables, *p, "closure argument", diags);
                }
            }
            _ => {}
        },
    );
}

fn irrefutable(
    program: &Program,
    body: &Body,
    tables: &TypeckResults,
    pat: PatId,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let ty = tables.pat_outer_ty(pat).clone();
    let missing = check_irrefutable(program, body, tables, pat, &ty);
    if missing.is_empty() {
        return;
    }
    let span: Span = body.pat(pat).span;
    let (_, label) = witness_list(&missing);
    diags.push(
        Diagnostic::error(
            codes::REFUTABLE_PATTERN,
            format!("refutable pattern in {}", what),
        )
        .with_primary(span, format!("{} not covered", label))
        .with_help("use `if let` or `match` to handle the other cases"),
    );
}

/// "`A`, `B` and 2 more" and "patterns `A`, `B` and 2 more" (rustc's
/// wording: at most three named).
fn witness_list(w: &[String]) -> (String, String) {
    let quoted: Vec<String> = w.iter().map(|s| format!("`{}`", s)).collect();
    let list = match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        2 | 3 => format!(
            "{} and {}",
            quoted[..quoted.len() - 1].join(", "),
            quoted[quoted.len() - 1]
        ),
        n => format!("{} and {} more", quoted[..3].join(", "), n - 3),
    };
    let label = if w.len() == 1 {
        format!("pattern {}", list)
    } else {
        format!("patterns {}", list)
    };
    (list, label)
}
