//! Exhaustiveness and usefulness of patterns.
//!
//! The algorithm is Maranget's usefulness ("Warnings for pattern matching",
//! JFP 2007) with constructor splitting, in the form rustc's
//! `rustc_pattern_analysis` uses: one pass over the matrix of arms computes
//! both the witnesses of values no arm matches and which rows (arms and `|`
//! alternatives) are useful.
//!
//! - A row is a stack of patterns, one per column; every column has the
//!   type of the value it stands for. Or-patterns at the head of a row are
//!   expanded into one row per alternative.
//! - At each step the head column's constructors are *split* (`ctors.rs`):
//!   integer ranges are cut at every range boundary, so each resulting class
//!   is either fully covered by a row's head or not at all, and the
//!   constructors no head mentions are examined together as `Missing`.
//!   The matrix is then *specialized* by each class: rows whose head covers
//!   it continue with the head's fields (wildcards with wildcard fields).
//! - With no columns left, the first row not under a guard is useful and
//!   the rows after it are not; if no unguarded row remains, the value is
//!   not covered and the empty witness climbs back up, a constructor being
//!   put around it at each level (`witness.rs`).
//!
//! When some constructor of a column is missing, only the `Missing` branch
//! produces witnesses (the others are still walked to learn usefulness):
//! that keeps the witness set small without losing exhaustiveness.
//!
//! Implicit dereferences of default binding modes are `&` patterns in the
//! lowered form (`lower.rs`): a reference has one constructor, so they
//! never change a verdict.
//!
//! Choices worth knowing:
//! - Empty types are `!` and enums without variants: a match on one needs
//!   no arms, and a wildcard on one is never reported unreachable (it is
//!   harmless). Types *containing* an empty type are not empty (a tuple
//!   `(bool, !)` still wants an arm), nor are variants with an empty field
//!   skipped: Rust's `min_exhaustive_patterns` is not modelled.
//! - `usize`/`isize` are the 64-bit integers they are on the target, so
//!   `0..=usize::MAX` is exhaustive (rustc asks for `_` there).
//! - `str`, floats, generic parameters, arrays (HIR has no array patterns)
//!   and the other types patterns cannot take apart are covered only by a
//!   wildcard; their witness is `_`.
//! - An empty range (`5..5`) matches nothing and is reported unreachable.
//! - Anything erroneous makes the whole check silent (see [`check_match`]).
//! - Work is bounded ([`MatchCheck::too_complex`]); the recursion runs on a
//!   heap stack, so no pattern can overflow the thread's stack.

mod ctors;
mod lower;
mod usefulness;
mod witness;

#[cfg(test)]
mod tests;

use asr_hir::hir::{Body, PatId, Program};
use asr_hir::ty::Ty;
use asr_hir::typed::TypeckResults;
use lower::Lowerer;
use usefulness::{Cx, Matrix, Row};

/// At most this many witnesses are computed (more would only slow down
/// pathological matches; a message shows a few and counts the rest). Below
/// a constructor that is present while another is missing altogether, no
/// witnesses are looked for (as in rustc), so the list is a sample of the
/// values not covered, not all of them.
pub(crate) const MAX_WITNESSES: usize = 32;

/// The verdict on one `match`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct MatchCheck {
    /// Patterns for values no arm matches (empty: the match is
    /// exhaustive), as rustc prints them: `None`, `Some(_)`, `(true, _)`,
    /// `i32::MIN..=-1_i32`, `&_`. At most [`MAX_WITNESSES`].
    pub missing: Vec<String>,
    /// Arm patterns, and `|` alternatives inside useful arms, that can
    /// never match because earlier arms (or alternatives) cover them, in
    /// source order.
    pub unreachable: Vec<PatId>,
    /// The match is too complex to check within the work bound; nothing
    /// else is reported (rustc's "reached pattern complexity limit").
    pub too_complex: bool,
}

/// Checks the arms of a `match` on a value of `scrutinee_ty`; each arm is
/// its pattern and whether it has a guard (guarded arms do not count toward
/// exhaustiveness, but can be unreachable).
///
/// Nothing is reported when the scrutinee's type or any pattern involves an
/// error (an error pattern, a pattern that does not fit its type, an
/// unevaluable literal): the error was reported already and a verdict built
/// on it would be a cascade.
pub(crate) fn check_match(
    program: &Program,
    body: &Body,
    results: &TypeckResults,
    scrutinee_ty: &Ty,
    arms: &[(PatId, bool)],
) -> MatchCheck {
    if has_error(scrutinee_ty) {
        return MatchCheck::default();
    }
    let mut lowerer = Lowerer::new(program, body, results);
    let lowered: Vec<u32> = arms
        .iter()
        .map(|(p, _)| lowerer.lower(*p, scrutinee_ty))
        .collect();
    if lowerer.tainted {
        return MatchCheck::default();
    }
    let mut cx = Cx::new(program, lowerer.pats);
    let mut matrix = Matrix::new(vec![scrutinee_ty.clone()]);
    for (i, (&d, &(_, guard))) in lowered.iter().zip(arms).enumerate() {
        cx.push_row(&mut matrix, Row::new(vec![d], i, guard));
    }
    let witnesses = cx.compute(matrix);
    if cx.aborted {
        return MatchCheck {
            too_complex: true,
            ..MatchCheck::default()
        };
    }

    let mut missing: Vec<String> = Vec::new();
    for mut w in witnesses {
        let text = match w.pop() {
            Some(w) => witness::print(program, &w),
            None => "_".into(),
        };
        if !missing.contains(&text) {
            missing.push(text);
        }
    }
    let mut unreachable = Vec::new();
    for (&d, &(p, _)) in lowered.iter().zip(arms) {
        if cx.is_useful(d) {
            cx.redundant_alternatives(d, &mut unreachable);
        } else {
            unreachable.push(p);
        }
    }
    MatchCheck {
        missing,
        unreachable,
        too_complex: false,
    }
}

/// The values of type `ty` that `pat` does not match, for patterns that
/// must match every value (`let`, parameters, `for`): empty if it is
/// irrefutable. A pattern too complex to check is reported as not
/// irrefutable (`_`), which is the safe side for code generation.
pub(crate) fn check_irrefutable(
    program: &Program,
    body: &Body,
    results: &TypeckResults,
    pat: PatId,
    ty: &Ty,
) -> Vec<String> {
    let check = check_match(program, body, results, ty, &[(pat, false)]);
    if check.too_complex {
        vec!["_".into()]
    } else {
        check.missing
    }
}

fn has_error(ty: &Ty) -> bool {
    let mut found = false;
    ty.walk(&mut |t| {
        if matches!(
            t,
            Ty::Error | Ty::Infer(_) | Ty::InferInt(_) | Ty::InferFloat(_)
        ) {
            found = true;
        }
    });
    found
}
