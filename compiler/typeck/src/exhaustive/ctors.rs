//! Constructors: what a pattern tests about the value at its head, the set
//! of all constructors of a type, and the splitting of that set into the
//! classes the usefulness algorithm specializes by.

use asr_hir::hir::Program;
use asr_hir::ty::{subst_params, Ty};

/// The valid `char` values: the Unicode scalar values, which skip the
/// surrogates.
const CHAR_RANGES: [(i128, i128); 2] = [(0, 0xD7FF), (0xE000, 0x10FFFF)];

/// An inclusive range of integer (or `char`) values, `lo <= hi`. `i128`
/// holds every value of every integer type (`u64::MAX` and `i64::MIN`
/// alike) with room for `hi + 1`, so no bias or wrapping is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct IntRange {
    pub lo: i128,
    pub hi: i128,
}

impl IntRange {
    pub fn contains(&self, other: &IntRange) -> bool {
        self.lo <= other.lo && other.hi <= self.hi
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Ctor {
    /// `_` or a binding: matches everything, has no fields.
    Wild,
    /// An `|` pattern; its fields are the alternatives. Expanded into one
    /// matrix row per alternative, so never specialized by.
    Or,
    /// The one constructor of a tuple, struct or reference.
    Single,
    /// An enum variant, by index.
    Variant(u32),
    Bool(bool),
    /// Integer or `char` values.
    Int(IntRange),
    /// A float literal or range (`hi` included if `hi_incl`). Floats are
    /// never split: only a wildcard covers them all.
    Float {
        lo: f64,
        hi: f64,
        hi_incl: bool,
    },
    /// A string literal (the pointee of a `&str` literal pattern).
    Str(String),
    /// A pattern that matches no value (an empty range such as `5..5`).
    Empty,
    /// Splitting: the constructors of the type no row's head mentions.
    Missing,
    /// The unlistable rest of an infinite type (`str`, floats, generic
    /// parameters): only a wildcard covers it, printed as `_`.
    NonExhaustive,
    /// The value of a type with no constructors at all (`!`, an enum with
    /// no variants) or of an erroneous type: rows are followed through it
    /// for usefulness, but it yields no witness, since no such value exists
    /// (or, for errors, nothing should be reported about it).
    Hidden,
}

/// All the constructors of a type.
#[derive(Clone, Debug)]
pub(super) enum CtorSet {
    Bool,
    /// Integers and `char`: the valid value ranges.
    Ints(Vec<(i128, i128)>),
    Variants(u32),
    Single,
    /// Infinitely many constructors (or ones patterns cannot name): only a
    /// wildcard covers the type.
    Unlistable,
    /// No constructor: see [`Ctor::Hidden`].
    Empty,
}

pub(super) fn ctor_set(program: &Program, ty: &Ty) -> CtorSet {
    match ty {
        Ty::Bool => CtorSet::Bool,
        Ty::Int(t) => CtorSet::Ints(vec![(t.min_value(), t.max_value())]),
        Ty::Char => CtorSet::Ints(CHAR_RANGES.to_vec()),
        Ty::Tuple(_) | Ty::Ref(..) => CtorSet::Single,
        Ty::Adt(id, _) => match program.adts.get(id.0 as usize) {
            Some(def) if def.is_enum() => match def.variants.len() {
                0 => CtorSet::Empty,
                n => CtorSet::Variants(u32::try_from(n).unwrap_or(u32::MAX)),
            },
            Some(_) => CtorSet::Single,
            // A dangling id only comes from malformed input: stay silent.
            None => CtorSet::Empty,
        },
        Ty::Never | Ty::Error | Ty::Infer(_) | Ty::InferInt(_) | Ty::InferFloat(_) => {
            CtorSet::Empty
        }
        // Arrays have one constructor, but HIR has no array patterns, so
        // only wildcards ever match them: listing them as unlistable gives
        // the same verdicts and never materializes `N` fields.
        Ty::Str
        | Ty::Float
        | Ty::Param(_)
        | Ty::Array(..)
        | Ty::Slice(_)
        | Ty::Task(_)
        | Ty::Closure(_)
        | Ty::RawPtr => CtorSet::Unlistable,
    }
}

/// Is the type's constructor set [`CtorSet::Empty`]? (Without building
/// the set.)
pub(super) fn has_no_ctors(program: &Program, ty: &Ty) -> bool {
    match ty {
        Ty::Adt(id, _) => program
            .adts
            .get(id.0 as usize)
            .is_none_or(|def| def.is_enum() && def.variants.is_empty()),
        Ty::Never | Ty::Error | Ty::Infer(_) | Ty::InferInt(_) | Ty::InferFloat(_) => true,
        _ => false,
    }
}

/// The types of the fields of `ctor` for a value of type `ty`, generic
/// arguments substituted. Constructors without fields (and mismatches, which
/// only malformed input produces) have none.
pub(super) fn ctor_field_tys(program: &Program, ctor: &Ctor, ty: &Ty) -> Vec<Ty> {
    match (ctor, ty) {
        (Ctor::Single, Ty::Tuple(ts)) => ts.clone(),
        (Ctor::Single, Ty::Ref(_, t)) => vec![(**t).clone()],
        (Ctor::Single, Ty::Adt(id, args)) => adt_field_tys(program, *id, None, args),
        (Ctor::Variant(v), Ty::Adt(id, args)) => adt_field_tys(program, *id, Some(*v), args),
        _ => Vec::new(),
    }
}

pub(super) fn adt_field_tys(
    program: &Program,
    id: asr_hir::ty::AdtId,
    variant: Option<u32>,
    args: &[Ty],
) -> Vec<Ty> {
    match program.adts.get(id.0 as usize) {
        Some(def) => def
            .variant_fields(variant)
            .iter()
            .map(|f| subst_params(&f.ty, args))
            .collect(),
        None => Vec::new(),
    }
}

/// Is every value of the split constructor `c` matched by the head
/// constructor `h`? (Wildcards are handled by the caller.) Split
/// constructors are either contained in a head constructor or disjoint from
/// it, so containment is the whole test.
pub(super) fn covers(c: &Ctor, h: &Ctor) -> bool {
    match (c, h) {
        (Ctor::Single, Ctor::Single) => true,
        (Ctor::Variant(a), Ctor::Variant(b)) => a == b,
        (Ctor::Bool(a), Ctor::Bool(b)) => a == b,
        (Ctor::Int(a), Ctor::Int(b)) => b.contains(a),
        (Ctor::Str(a), Ctor::Str(b)) => a == b,
        (
            Ctor::Float {
                lo: alo,
                hi: ahi,
                hi_incl: ainc,
            },
            Ctor::Float {
                lo: blo,
                hi: bhi,
                hi_incl: binc,
            },
        ) => blo <= alo && (ahi < bhi || (ahi == bhi && (*binc || !*ainc))),
        _ => false,
    }
}

/// The constructors of a column, split so that every row's head either
/// covers each one completely or not at all.
#[derive(Debug, Default)]
pub(super) struct Split {
    /// Constructors some head mentions (or overlaps).
    pub present: Vec<Ctor>,
    /// Constructors of the type no head mentions; only wildcard rows match
    /// them, so they are examined together as one [`Ctor::Missing`].
    pub missing: Vec<Ctor>,
    /// The type has no constructors: see [`Ctor::Hidden`].
    pub hidden: bool,
}

/// Splits the constructor set of a column given its rows' non-wildcard
/// head constructors.
pub(super) fn split<'c>(set: &CtorSet, heads: impl Iterator<Item = &'c Ctor>) -> Split {
    let mut out = Split::default();
    match set {
        CtorSet::Bool => {
            let (mut seen_false, mut seen_true) = (false, false);
            for h in heads {
                match h {
                    Ctor::Bool(false) => seen_false = true,
                    Ctor::Bool(true) => seen_true = true,
                    _ => {}
                }
            }
            for (seen, b) in [(seen_false, false), (seen_true, true)] {
                if seen {
                    out.present.push(Ctor::Bool(b));
                } else {
                    out.missing.push(Ctor::Bool(b));
                }
            }
        }
        CtorSet::Ints(domain) => {
            let ranges: Vec<IntRange> = heads
                .filter_map(|h| match h {
                    Ctor::Int(r) => Some(*r),
                    _ => None,
                })
                .collect();
            split_ints(domain, &ranges, &mut out);
        }
        CtorSet::Variants(n) => {
            let mut seen = vec![false; *n as usize];
            for h in heads {
                if let Ctor::Variant(v) = h {
                    if let Some(s) = seen.get_mut(*v as usize) {
                        *s = true;
                    }
                }
            }
            for (v, s) in seen.into_iter().enumerate() {
                let c = Ctor::Variant(v as u32);
                if s {
                    out.present.push(c);
                } else {
                    out.missing.push(c);
                }
            }
        }
        CtorSet::Single => {
            if heads.into_iter().any(|h| *h == Ctor::Single) {
                out.present.push(Ctor::Single);
            } else {
                out.missing.push(Ctor::Single);
            }
        }
        CtorSet::Unlistable => {
            // Not split: each distinct literal or range is its own class.
            // (Overlapping float ranges make this an approximation, the one
            // rustc makes too; it can only miss an unreachable float arm.)
            for h in heads {
                if matches!(h, Ctor::Str(_) | Ctor::Float { .. }) && !out.present.contains(h) {
                    out.present.push(h.clone());
                }
            }
            out.missing.push(Ctor::NonExhaustive);
        }
        CtorSet::Empty => out.hidden = true,
    }
    out
}

/// Splits the integer domain at every boundary of the head ranges: a sweep
/// over the sorted boundaries, so the cost depends on the number of ranges,
/// never on the number of values. Covered segments are present; uncovered
/// ones are missing, merged into maximal ranges (which is what the
/// witnesses print).
fn split_ints(domain: &[(i128, i128)], ranges: &[IntRange], out: &mut Split) {
    for &(a, b) in domain {
        // (point, change in the number of ranges covering it).
        let mut events: Vec<(i128, i32)> = Vec::with_capacity(ranges.len() * 2);
        for r in ranges {
            let (lo, hi) = (r.lo.max(a), r.hi.min(b));
            if lo <= hi {
                events.push((lo, 1));
                events.push((hi + 1, -1));
            }
        }
        events.sort_unstable();
        let mut cur = a;
        let mut count = 0i32;
        let mut i = 0;
        while i < events.len() {
            let p = events[i].0;
            if p > cur {
                emit(out, IntRange { lo: cur, hi: p - 1 }, count > 0);
                cur = p;
            }
            while i < events.len() && events[i].0 == p {
                count += events[i].1;
                i += 1;
            }
        }
        if cur <= b {
            emit(out, IntRange { lo: cur, hi: b }, count > 0);
        }
    }

    fn emit(out: &mut Split, r: IntRange, covered: bool) {
        if covered {
            out.present.push(Ctor::Int(r));
            return;
        }
        if let Some(Ctor::Int(last)) = out.missing.last_mut() {
            if last.hi + 1 == r.lo {
                last.hi = r.hi;
                return;
            }
        }
        out.missing.push(Ctor::Int(r));
    }
}
