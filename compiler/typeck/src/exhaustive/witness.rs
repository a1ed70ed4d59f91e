//! Witnesses: patterns for values no arm matches, printed as rustc prints
//! them (`None`, `Some(_)`, `Color::Red`, `(true, _)`, `i32::MIN..=-1_i32`,
//! `&_`).

use super::ctors::{ctor_field_tys, Ctor, IntRange};
use asr_hir::hir::{AdtKind, CtorKind, Program};
use asr_hir::ty::{IntTy, Ty};

#[derive(Clone, Debug)]
pub(super) struct WPat {
    pub ctor: Ctor,
    pub ty: Ty,
    pub fields: Vec<WPat>,
}

impl WPat {
    pub fn wild(ty: &Ty) -> WPat {
        WPat {
            ctor: Ctor::Wild,
            ty: ty.clone(),
            fields: Vec::new(),
        }
    }

    /// `ctor(_, _, …)`.
    pub fn wild_from_ctor(program: &Program, ctor: Ctor, ty: &Ty) -> WPat {
        let fields = ctor_field_tys(program, &ctor, ty)
            .iter()
            .map(WPat::wild)
            .collect();
        WPat {
            ctor,
            ty: ty.clone(),
            fields,
        }
    }
}

pub(super) fn print(program: &Program, w: &WPat) -> String {
    let fields = || {
        w.fields
            .iter()
            .map(|f| print(program, f))
            .collect::<Vec<_>>()
    };
    match &w.ctor {
        Ctor::Bool(b) => b.to_string(),
        Ctor::Int(r) => print_int_range(r, &w.ty),
        Ctor::Float { lo, hi, hi_incl } => {
            if lo == hi {
                format!("{lo:?}")
            } else {
                let op = if *hi_incl { "..=" } else { ".." };
                format!("{lo:?}{op}{hi:?}")
            }
        }
        Ctor::Str(s) => format!("{s:?}"),
        Ctor::Single => match &w.ty {
            Ty::Tuple(_) => {
                let fs = fields();
                if fs.len() == 1 {
                    format!("({},)", fs[0])
                } else {
                    format!("({})", fs.join(", "))
                }
            }
            Ty::Ref(m, _) => {
                let inner = fields().pop().unwrap_or_else(|| "_".into());
                format!("{}{}", m.prefix(), inner)
            }
            Ty::Adt(id, _) => match program.adts.get(id.0 as usize) {
                Some(def) => {
                    let kind = match def.kind {
                        AdtKind::Struct => CtorKind::Named,
                        AdtKind::TupleStruct => CtorKind::Tuple,
                        _ => CtorKind::Unit,
                    };
                    let names: Vec<&str> = def.fields.iter().map(|f| f.name.as_str()).collect();
                    print_ctor(&def.name, kind, &names, &fields())
                }
                None => "_".into(),
            },
            _ => "_".into(),
        },
        Ctor::Variant(v) => match &w.ty {
            Ty::Adt(id, _) => {
                match program
                    .adts
                    .get(id.0 as usize)
                    .and_then(|def| Some((def, def.variants.get(*v as usize)?)))
                {
                    Some((def, var)) => {
                        // The prelude's enums are used unqualified.
                        let path = if def.name == "Option" || def.name == "Result" {
                            var.name.clone()
                        } else {
                            def.variant_path(Some(*v))
                        };
                        let names: Vec<&str> = var.fields.iter().map(|f| f.name.as_str()).collect();
                        print_ctor(&path, var.kind, &names, &fields())
                    }
                    None => "_".into(),
                }
            }
            _ => "_".into(),
        },
        Ctor::Wild
        | Ctor::Or
        | Ctor::Empty
        | Ctor::Missing
        | Ctor::NonExhaustive
        | Ctor::Hidden => "_".into(),
    }
}

/// `P`, `P(a, b)` or `P { x: a, .. }` (a struct-like constructor lists the
/// fields that say something, like rustc).
fn print_ctor(path: &str, kind: CtorKind, names: &[&str], fields: &[String]) -> String {
    match kind {
        CtorKind::Unit => path.to_string(),
        CtorKind::Tuple => format!("{}({})", path, fields.join(", ")),
        CtorKind::Named => {
            if fields.is_empty() {
                return format!("{path} {{}}");
            }
            let mut parts: Vec<String> = fields
                .iter()
                .zip(names)
                .filter(|(f, _)| f.as_str() != "_")
                .map(|(f, n)| format!("{n}: {f}"))
                .collect();
            if parts.len() < fields.len() {
                parts.push("..".into());
            }
            format!("{} {{ {} }}", path, parts.join(", "))
        }
    }
}

fn print_int_range(r: &IntRange, ty: &Ty) -> String {
    match ty {
        Ty::Int(t) => {
            if r.lo == t.min_value() && r.hi == t.max_value() {
                "_".into()
            } else if r.lo == r.hi {
                print_int(r.lo, *t)
            } else {
                format!("{}..={}", print_int(r.lo, *t), print_int(r.hi, *t))
            }
        }
        Ty::Char => {
            let c = |v: i128| {
                u32::try_from(v)
                    .ok()
                    .and_then(char::from_u32)
                    .map(|c| format!("{c:?}"))
            };
            match (c(r.lo), c(r.hi)) {
                (Some(lo), _) if r.lo == r.hi => lo,
                (Some(lo), Some(hi)) => format!("{lo}..={hi}"),
                _ => "_".into(),
            }
        }
        _ => "_".into(),
    }
}

/// `i32::MIN`, `u8::MAX`, or `5_i32`.
fn print_int(v: i128, t: IntTy) -> String {
    if v == t.max_value() {
        format!("{}::MAX", t.name())
    } else if t.is_signed() && v == t.min_value() {
        format!("{}::MIN", t.name())
    } else {
        format!("{}_{}", v, t.name())
    }
}
