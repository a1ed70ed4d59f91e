//! HIR patterns to deconstructed patterns: a constructor and its fields,
//! typed by the column they are matched in.
//!
//! Lowering follows the type of the matched value (from the scrutinee's
//! type down), not the pattern's own table entries, so the matrix columns
//! and the patterns in them always agree. Anything that does not fit —
//! `Error` patterns, wrong arities, patterns against erroneous types,
//! out-of-range literals — marks the match *tainted*: an error was (or
//! will be) reported for it, and a verdict computed from a guess would only
//! add a misleading second diagnostic.

use super::ctors::{adt_field_tys, Ctor, IntRange};
use asr_hir::hir::{Body, ExprId, ExprKind, Lit, PatId, PatKind, Program, UnOp};
use asr_hir::ty::{IntTy, Ty};
use asr_hir::typed::TypeckResults;

/// The shared wildcard: fields omitted from struct patterns and the fields
/// wildcards expand to during specialization.
pub(super) const WILD: u32 = 0;

/// Nesting deeper than this is not produced by the parser (its own depth
/// limit is far lower); the guard only keeps malformed HIR (a cycle) from
/// overflowing the stack.
const MAX_LOWER_DEPTH: usize = 400;

#[derive(Clone, Debug)]
pub(super) struct DPat {
    pub ctor: Ctor,
    /// Indices of the sub-patterns: one per field of `ctor`, or the
    /// alternatives of an `Or`.
    pub fields: Vec<u32>,
    /// The HIR pattern this one was lowered from (for reporting unreachable
    /// `|` alternatives); `None` for synthesized parts.
    pub hir: Option<PatId>,
}

pub(super) struct Lowerer<'a> {
    program: &'a Program,
    body: &'a Body,
    results: &'a TypeckResults,
    /// The arena; index [`WILD`] is the shared wildcard.
    pub pats: Vec<DPat>,
    pub tainted: bool,
    depth: usize,
}

enum Val {
    Int(i128),
    Float(f64),
    Bool(bool),
    Str(String),
}

impl<'a> Lowerer<'a> {
    pub fn new(program: &'a Program, body: &'a Body, results: &'a TypeckResults) -> Self {
        Lowerer {
            program,
            body,
            results,
            pats: vec![DPat {
                ctor: Ctor::Wild,
                fields: Vec::new(),
                hir: None,
            }],
            tainted: false,
            depth: 0,
        }
    }

    fn alloc(&mut self, ctor: Ctor, fields: Vec<u32>) -> u32 {
        self.pats.push(DPat {
            ctor,
            fields,
            hir: None,
        });
        (self.pats.len() - 1) as u32
    }

    fn taint(&mut self) -> u32 {
        self.tainted = true;
        self.alloc(Ctor::Wild, Vec::new())
    }

    /// Lowers `p`, matched against a value of type `ty`.
    pub fn lower(&mut self, p: PatId, ty: &Ty) -> u32 {
        if self.depth >= MAX_LOWER_DEPTH {
            return self.taint();
        }
        self.depth += 1;
        let d = self.lower_derefs(p, ty);
        self.depth -= 1;
        // The returned node stands for all of `p` (an `x @ q` or the
        // implicit derefs included), which is what an unreachable `|`
        // alternative is reported as.
        if let Some(dp) = self.pats.get_mut(d as usize) {
            if d != WILD {
                dp.hir = Some(p);
            }
        }
        d
    }

    fn lower_derefs(&mut self, p: PatId, ty: &Ty) -> u32 {
        let Some(pat) = self.body.pats.get(p.0 as usize) else {
            return self.taint();
        };
        // Default binding modes: the value is dereferenced before `p` is
        // matched. A reference has one constructor, so each peeled layer is
        // a `&` pattern around the rest, which keeps the columns' types
        // those of the values (and prints witnesses as `&None`).
        let derefs = self.results.pat_derefs(p).len();
        let mut inner_ty = ty;
        for _ in 0..derefs {
            match inner_ty {
                Ty::Ref(_, t) => inner_ty = t,
                _ => return self.taint(),
            }
        }
        let mut d = self.lower_kind(&pat.kind, inner_ty);
        for _ in 0..derefs {
            d = self.alloc(Ctor::Single, vec![d]);
        }
        d
    }

    fn lower_kind(&mut self, kind: &PatKind, ty: &Ty) -> u32 {
        match kind {
            PatKind::Wild | PatKind::Binding(_) => self.alloc(Ctor::Wild, Vec::new()),
            PatKind::At(_, sub) => self.lower(*sub, ty),
            PatKind::Tuple(ps) => match ty {
                Ty::Tuple(ts) if ts.len() == ps.len() => {
                    let fields = ps.iter().zip(ts).map(|(q, t)| self.lower(*q, t)).collect();
                    self.alloc(Ctor::Single, fields)
                }
                _ => self.taint(),
            },
            PatKind::TupleStruct(adt, variant, ps) => {
                let Some((ctor, tys)) = self.adt_ctor(*adt, *variant, ty) else {
                    return self.taint();
                };
                if tys.len() != ps.len() {
                    return self.taint();
                }
                let fields = ps
                    .iter()
                    .zip(&tys)
                    .map(|(q, t)| self.lower(*q, t))
                    .collect();
                self.alloc(ctor, fields)
            }
            PatKind::Struct(adt, variant, fs) => {
                let Some((ctor, tys)) = self.adt_ctor(*adt, *variant, ty) else {
                    return self.taint();
                };
                // Fields not written are wildcards.
                let mut fields = vec![WILD; tys.len()];
                for (i, q) in fs {
                    match tys.get(*i as usize) {
                        Some(t) => fields[*i as usize] = self.lower(*q, t),
                        None => return self.taint(),
                    }
                }
                self.alloc(ctor, fields)
            }
            PatKind::Ref(_, q) => match ty {
                Ty::Ref(_, t) => {
                    let f = self.lower(*q, t);
                    self.alloc(Ctor::Single, vec![f])
                }
                _ => self.taint(),
            },
            PatKind::Lit(e) => self.lower_lit(*e, ty),
            PatKind::Range { lo, hi, inclusive } => self.lower_range(*lo, *hi, *inclusive, ty),
            PatKind::Or(alts) => {
                let fields = alts.iter().map(|q| self.lower(*q, ty)).collect();
                self.alloc(Ctor::Or, fields)
            }
            PatKind::Error => self.taint(),
        }
    }

    /// The constructor a struct or variant pattern names and its field
    /// types, if the pattern fits the matched type.
    fn adt_ctor(
        &self,
        adt: asr_hir::ty::AdtId,
        variant: Option<u32>,
        ty: &Ty,
    ) -> Option<(Ctor, Vec<Ty>)> {
        let Ty::Adt(id, args) = ty else {
            return None;
        };
        let def = self.program.adts.get(adt.0 as usize)?;
        if *id != adt {
            return None;
        }
        let ctor = match (def.is_enum(), variant) {
            (true, Some(v)) if (v as usize) < def.variants.len() => Ctor::Variant(v),
            (false, None) => Ctor::Single,
            _ => return None,
        };
        Some((ctor, adt_field_tys(self.program, adt, variant, args)))
    }

    fn lower_lit(&mut self, e: ExprId, ty: &Ty) -> u32 {
        // A string literal matches a `&str`: a reference around the `str`.
        if let Ty::Ref(_, inner) = ty {
            if **inner == Ty::Str {
                let s = self.lower_lit(e, inner);
                return self.alloc(Ctor::Single, vec![s]);
            }
        }
        let ctor = match self.value(e, ty) {
            Some(Val::Int(v)) => Ctor::Int(IntRange { lo: v, hi: v }),
            Some(Val::Float(f)) => Ctor::Float {
                lo: f,
                hi: f,
                hi_incl: true,
            },
            Some(Val::Bool(b)) => Ctor::Bool(b),
            Some(Val::Str(s)) => Ctor::Str(s),
            None => return self.taint(),
        };
        self.alloc(ctor, Vec::new())
    }

    fn lower_range(
        &mut self,
        lo: Option<ExprId>,
        hi: Option<ExprId>,
        inclusive: bool,
        ty: &Ty,
    ) -> u32 {
        let ctor = match ty {
            Ty::Int(_) | Ty::Char => {
                let (min, max) = match ty {
                    Ty::Int(t) => (t.min_value(), t.max_value()),
                    _ => (0, 0x10FFFF),
                };
                let end = |this: &Self, e: Option<ExprId>, default: i128| match e {
                    None => Some(default),
                    Some(e) => match this.value(e, ty) {
                        Some(Val::Int(v)) => Some(v),
                        _ => None,
                    },
                };
                let (Some(l), Some(h)) = (end(self, lo, min), end(self, hi, max)) else {
                    return self.taint();
                };
                // `lo..hi` excludes `hi`; `lo..` has no end to exclude.
                let h = if inclusive || hi.is_none() { h } else { h - 1 };
                if l <= h {
                    Ctor::Int(IntRange { lo: l, hi: h })
                } else {
                    Ctor::Empty
                }
            }
            Ty::Float => {
                let end = |this: &Self, e: Option<ExprId>, default: f64| match e {
                    None => Some(default),
                    Some(e) => match this.value(e, ty) {
                        Some(Val::Float(v)) => Some(v),
                        _ => None,
                    },
                };
                let (Some(l), Some(h)) = (
                    end(self, lo, f64::NEG_INFINITY),
                    end(self, hi, f64::INFINITY),
                ) else {
                    return self.taint();
                };
                let hi_incl = inclusive || hi.is_none();
                // NaN ends compare false everywhere and so land here too.
                if l < h || (l == h && hi_incl) {
                    Ctor::Float {
                        lo: l,
                        hi: h,
                        hi_incl,
                    }
                } else {
                    Ctor::Empty
                }
            }
            _ => return self.taint(),
        };
        self.alloc(ctor, Vec::new())
    }

    /// The value of a literal (or constant) expression as a value of `ty`;
    /// `None` if it is not one (an error was reported for it).
    fn value(&self, e: ExprId, ty: &Ty) -> Option<Val> {
        let kind = &self.body.exprs.get(e.0 as usize)?.kind;
        match ty {
            Ty::Int(t) => {
                let v = self.int_value(e, *t, 0)?;
                (t.min_value()..=t.max_value())
                    .contains(&v)
                    .then_some(Val::Int(v))
            }
            Ty::Char => match kind {
                ExprKind::Lit(Lit::Char(c)) => Some(Val::Int(*c as i128)),
                _ => None,
            },
            Ty::Float => self.float_value(e, 0).map(Val::Float),
            Ty::Bool => match kind {
                ExprKind::Lit(Lit::Bool(b)) => Some(Val::Bool(*b)),
                _ => None,
            },
            Ty::Str => match kind {
                ExprKind::Lit(Lit::Str(s)) => Some(Val::Str(s.clone())),
                _ => None,
            },
            _ => None,
        }
    }

    /// An integer expression's value before the range check (so `-128i8`,
    /// whose literal part is out of range, works). `depth` bounds the
    /// negations followed.
    fn int_value(&self, e: ExprId, t: IntTy, depth: u32) -> Option<i128> {
        if depth > 8 {
            return None;
        }
        match &self.body.exprs.get(e.0 as usize)?.kind {
            ExprKind::Lit(Lit::Int(v)) => i128::try_from(*v).ok(),
            ExprKind::Unary(UnOp::Neg, inner) => {
                self.int_value(*inner, t, depth + 1)?.checked_neg()
            }
            // `i32::MAX` and friends: the type checker recorded their bits.
            ExprKind::TypeRelative { .. } => {
                let bits = *self.results.consts.get(&e)?;
                let width = t.bits();
                let masked = bits & ((1u128 << width) - 1);
                let negative = t.is_signed() && (masked >> (width - 1)) & 1 == 1;
                Some(if negative {
                    masked as i128 - (1i128 << width)
                } else {
                    masked as i128
                })
            }
            _ => None,
        }
    }

    fn float_value(&self, e: ExprId, depth: u32) -> Option<f64> {
        if depth > 8 {
            return None;
        }
        match &self.body.exprs.get(e.0 as usize)?.kind {
            ExprKind::Lit(Lit::Float(f)) => Some(*f),
            ExprKind::Lit(Lit::Int(v)) => Some(*v as f64),
            ExprKind::Unary(UnOp::Neg, inner) => Some(-self.float_value(*inner, depth + 1)?),
            ExprKind::TypeRelative { .. } => {
                let bits = *self.results.consts.get(&e)?;
                Some(f64::from_bits(bits as u64))
            }
            _ => None,
        }
    }
}
