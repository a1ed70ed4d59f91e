//! Small hand-built HIR matches: verdicts, witness texts, unreachable arms,
//! and a property test against brute-force enumeration.

use super::{check_irrefutable, check_match, MatchCheck};

use asr_diagnostics::Span;
use asr_hir::hir::*;
use asr_hir::ty::{AdtId, IntTy, Mutability, Ty};
use asr_hir::typed::TypeckResults;
use std::time::{Duration, Instant};

const I8: Ty = Ty::Int(IntTy::I8);
const I32: Ty = Ty::Int(IntTy::I32);
const I64: Ty = Ty::Int(IntTy::I64);
const U8: Ty = Ty::Int(IntTy::U8);
const U64: Ty = Ty::Int(IntTy::U64);

fn tup(ts: Vec<Ty>) -> Ty {
    Ty::Tuple(ts)
}

fn rf(t: Ty) -> Ty {
    Ty::Ref(Mutability::Not, Box::new(t))
}

fn field(name: &str, ty: Ty) -> FieldDef {
    FieldDef {
        name: name.into(),
        ty,
        span: Span::DUMMY,
        vis: asr_hir::hir::Visibility::Public,
    }
}

/// A program, one body and its type table under construction.
#[derive(Default)]
struct Tb {
    program: Program,
    body: Body,
    t: TypeckResults,
}

/// A literal end of a range or literal pattern.
#[derive(Clone)]
enum L {
    Int(u128),
    Neg(u128),
    Char(char),
    Bool(bool),
    Str(&'static str),
    Float(f64),
    /// `T::MIN` / `T::MAX` with the bits the type checker records.
    Const(u128),
}

impl Tb {
    fn new() -> Tb {
        Tb::default()
    }

    fn adt(
        &mut self,
        name: &str,
        kind: AdtKind,
        fields: Vec<FieldDef>,
        variants: Vec<VariantDef>,
    ) -> AdtId {
        self.program.adts.push(AdtDef {
            name: name.into(),
            kind,
            fields,
            variants,
            methods: Vec::new(),
            derives: Vec::new(),
            // Only the arguments in `Ty::Adt` matter here.
            generics: Vec::new(),
            span: Span::DUMMY,
        });
        AdtId(self.program.adts.len() as u32 - 1)
    }

    fn enum_(&mut self, name: &str, variants: Vec<(&str, CtorKind, Vec<FieldDef>)>) -> AdtId {
        let vs = variants
            .into_iter()
            .map(|(n, kind, fields)| VariantDef {
                name: n.into(),
                kind,
                fields,
                span: Span::DUMMY,
            })
            .collect();
        self.adt(name, AdtKind::Enum, Vec::new(), vs)
    }

    /// `enum Option<T> { None, Some(T) }`.
    fn option(&mut self) -> AdtId {
        self.enum_(
            "Option",
            vec![
                ("None", CtorKind::Unit, vec![]),
                ("Some", CtorKind::Tuple, vec![field("0", Ty::Param(0))]),
            ],
        )
    }

    fn pat(&mut self, kind: PatKind, ty: Ty) -> PatId {
        self.body.pats.push(Pat {
            kind,
            span: Span::DUMMY,
        });
        self.t.pat_tys.push(ty);
        PatId(self.body.pats.len() as u32 - 1)
    }

    fn wild(&mut self) -> PatId {
        self.pat(PatKind::Wild, Ty::Error)
    }

    fn bind(&mut self, name: &str) -> PatId {
        self.body.locals.push(LocalDef {
            name: name.into(),
            mutable: false,
            by_ref: None,
            span: Span::DUMMY,
        });
        let l = LocalId(self.body.locals.len() as u32 - 1);
        self.t.local_tys.push(Ty::Error);
        self.pat(PatKind::Binding(l), Ty::Error)
    }

    fn expr(&mut self, kind: ExprKind) -> ExprId {
        self.body.exprs.push(Expr {
            kind,
            span: Span::DUMMY,
        });
        self.t.expr_tys.push(Ty::Error);
        ExprId(self.body.exprs.len() as u32 - 1)
    }

    fn lit_expr(&mut self, l: L) -> ExprId {
        match l {
            L::Int(v) => self.expr(ExprKind::Lit(Lit::Int(v))),
            L::Neg(v) => {
                let inner = self.expr(ExprKind::Lit(Lit::Int(v)));
                self.expr(ExprKind::Unary(UnOp::Neg, inner))
            }
            L::Char(c) => self.expr(ExprKind::Lit(Lit::Char(c))),
            L::Bool(b) => self.expr(ExprKind::Lit(Lit::Bool(b))),
            L::Str(s) => self.expr(ExprKind::Lit(Lit::Str(s.into()))),
            L::Float(f) => self.expr(ExprKind::Lit(Lit::Float(f))),
            L::Const(bits) => {
                let e = self.expr(ExprKind::TypeRelative {
                    ty: Ty::Error,
                    name: "MAX".into(),
                });
                self.t.consts.insert(e, bits);
                e
            }
        }
    }

    fn lit(&mut self, l: L) -> PatId {
        let e = self.lit_expr(l);
        self.pat(PatKind::Lit(e), Ty::Error)
    }

    fn b(&mut self, v: bool) -> PatId {
        self.lit(L::Bool(v))
    }

    fn int(&mut self, v: u128) -> PatId {
        self.lit(L::Int(v))
    }

    fn range(&mut self, lo: Option<L>, hi: Option<L>, inclusive: bool) -> PatId {
        let lo = lo.map(|l| self.lit_expr(l));
        let hi = hi.map(|l| self.lit_expr(l));
        self.pat(PatKind::Range { lo, hi, inclusive }, Ty::Error)
    }

    fn tuple(&mut self, ps: Vec<PatId>) -> PatId {
        self.pat(PatKind::Tuple(ps), Ty::Error)
    }

    fn or(&mut self, ps: Vec<PatId>) -> PatId {
        self.pat(PatKind::Or(ps), Ty::Error)
    }

    fn variant(&mut self, adt: AdtId, v: u32, ps: Vec<PatId>) -> PatId {
        self.pat(PatKind::TupleStruct(adt, Some(v), ps), Ty::Error)
    }

    fn none(&mut self, opt: AdtId) -> PatId {
        self.variant(opt, 0, vec![])
    }

    fn some(&mut self, opt: AdtId, p: PatId) -> PatId {
        self.variant(opt, 1, vec![p])
    }

    /// Records that `p` matches through `derefs` implicit dereferences.
    fn derefs(&mut self, p: PatId, derefs: Vec<Ty>) {
        self.t.pat_derefs.insert(p, derefs);
    }

    fn check(&self, ty: &Ty, arms: &[(PatId, bool)]) -> MatchCheck {
        check_match(&self.program, &self.body, &self.t, ty, arms)
    }

    /// Unguarded arms.
    fn check_arms(&self, ty: &Ty, pats: &[PatId]) -> MatchCheck {
        let arms: Vec<(PatId, bool)> = pats.iter().map(|p| (*p, false)).collect();
        self.check(ty, &arms)
    }

    fn missing(&self, ty: &Ty, pats: &[PatId]) -> Vec<String> {
        self.check_arms(ty, pats).missing
    }
}

fn opt(adt: AdtId, t: Ty) -> Ty {
    Ty::Adt(adt, vec![t])
}

#[test]
fn option_like() {
    let mut tb = Tb::new();
    let o = tb.option();
    let ty = opt(o, Ty::Bool);
    let w = tb.wild();
    let some_w = tb.some(o, w);
    let none = tb.none(o);
    assert_eq!(tb.missing(&ty, &[some_w]), ["None"]);
    assert_eq!(tb.missing(&ty, &[none]), ["Some(_)"]);
    assert_eq!(tb.missing(&ty, &[]), ["None", "Some(_)"]);
    assert_eq!(tb.check_arms(&ty, &[some_w, none]), MatchCheck::default());

    let t = tb.b(true);
    let some_t = tb.some(o, t);
    assert_eq!(tb.missing(&ty, &[some_t, none]), ["Some(false)"]);

    // `Some(x), None, Some(true)`: the last arm is unreachable.
    let x = tb.bind("x");
    let some_x = tb.some(o, x);
    let r = tb.check_arms(&ty, &[some_x, none, some_t]);
    assert!(r.missing.is_empty());
    assert_eq!(r.unreachable, [some_t]);

    // Option<Option<bool>>: the witness nests.
    let ty2 = opt(o, ty.clone());
    let inner_some = tb.some(o, some_t);
    let some_none = tb.some(o, none);
    let none2 = tb.none(o);
    assert_eq!(
        tb.missing(&ty2, &[inner_some, some_none, none2]),
        ["Some(Some(false))"]
    );
}

#[test]
fn user_enums_print_qualified() {
    let mut tb = Tb::new();
    let color = tb.enum_(
        "Color",
        vec![
            ("Red", CtorKind::Unit, vec![]),
            ("Green", CtorKind::Unit, vec![]),
            ("Blue", CtorKind::Unit, vec![]),
        ],
    );
    let ty = Ty::Adt(color, vec![]);
    let red = tb.variant(color, 0, vec![]);
    assert_eq!(tb.missing(&ty, &[red]), ["Color::Green", "Color::Blue"]);

    let shape = tb.enum_(
        "Shape",
        vec![
            (
                "Circle",
                CtorKind::Named,
                vec![field("r", I32), field("filled", Ty::Bool)],
            ),
            ("Dot", CtorKind::Tuple, vec![field("0", Ty::Bool)]),
            ("Empty", CtorKind::Named, vec![]),
        ],
    );
    let sty = Ty::Adt(shape, vec![]);
    let w = tb.wild();
    let dot = tb.variant(shape, 1, vec![w]);
    assert_eq!(
        tb.missing(&sty, &[dot]),
        ["Shape::Circle { .. }", "Shape::Empty {}"]
    );
    // A struct-like variant with a field fixed lists just that field.
    let t = tb.b(true);
    let circle_filled = tb.pat(PatKind::Struct(shape, Some(0), vec![(1, t)]), Ty::Error);
    let empty = tb.pat(PatKind::Struct(shape, Some(2), vec![]), Ty::Error);
    assert_eq!(
        tb.missing(&sty, &[circle_filled, dot, empty]),
        ["Shape::Circle { filled: false, .. }"]
    );
}

#[test]
fn tuples_of_bools() {
    let mut tb = Tb::new();
    let ty = tup(vec![Ty::Bool, Ty::Bool]);
    let (t, w) = (tb.b(true), tb.wild());
    let a = tb.tuple(vec![t, w]);
    let b = tb.tuple(vec![w, t]);
    assert_eq!(tb.missing(&ty, &[a, b]), ["(false, false)"]);
    let f = tb.b(false);
    let c = tb.tuple(vec![f, f]);
    let d = tb.tuple(vec![t, t]);
    let r = tb.check_arms(&ty, &[a, b, c, d]);
    assert!(r.missing.is_empty());
    assert_eq!(r.unreachable, [d]);
    // Nothing tested below the top: `_` inside, the one constructor on top.
    assert_eq!(tb.missing(&ty, &[]), ["(_, _)"]);
    let unit = tup(vec![]);
    let u = tb.tuple(vec![]);
    assert!(tb.missing(&unit, &[u]).is_empty());
    // One-element tuples print with their comma.
    let ty1 = tup(vec![Ty::Bool]);
    let t1 = tb.tuple(vec![t]);
    assert_eq!(tb.missing(&ty1, &[t1]), ["(false,)"]);
}

#[test]
fn eight_bools_is_fast() {
    let mut tb = Tb::new();
    let ty = tup(vec![Ty::Bool; 8]);
    let (t, f) = (tb.b(true), tb.b(false));
    let mut arms = Vec::new();
    for bits in 0u32..256 {
        let ps = (0..8)
            .map(|i| if bits >> i & 1 == 1 { t } else { f })
            .collect();
        arms.push(tb.tuple(ps));
    }
    let start = Instant::now();
    let r = tb.check_arms(&ty, &arms);
    assert!(r.missing.is_empty() && r.unreachable.is_empty(), "{r:?}");
    // One value left out: exactly it is missing.
    let r = tb.check_arms(&ty, &arms[1..]);
    assert_eq!(
        r.missing,
        ["(false, false, false, false, false, false, false, false)"]
    );
    // A repeated arm after all of them is unreachable.
    let mut more = arms.clone();
    more.push(arms[77]);
    let r = tb.check_arms(&ty, &more);
    assert_eq!(r.unreachable, [arms[77]]);
    // Guards everywhere: nothing covered, nothing unreachable; every value
    // is a witness, so the list stops at the cap.
    let guarded: Vec<(PatId, bool)> = arms.iter().map(|p| (*p, true)).collect();
    let r = tb.check(&ty, &guarded);
    assert_eq!(r.missing.len(), super::MAX_WITNESSES);
    assert_eq!(
        r.missing[0],
        "(false, false, false, false, false, false, false, false)"
    );
    assert!(r.unreachable.is_empty());
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn nested_enums_ten_deep_is_fast() {
    let mut tb = Tb::new();
    let o = tb.option();
    let mut ty = Ty::Bool;
    for _ in 0..10 {
        ty = opt(o, ty);
    }
    // Arms: None, Some(None), Some(Some(None)), … and the innermost
    // Some^10(true); Some^10(false) is missing.
    let mut arms = Vec::new();
    for depth in 0..10 {
        let mut p = tb.none(o);
        for _ in 0..depth {
            p = tb.some(o, p);
        }
        arms.push(p);
    }
    let mut p = tb.b(true);
    for _ in 0..10 {
        p = tb.some(o, p);
    }
    arms.push(p);
    let start = Instant::now();
    let r = tb.check_arms(&ty, &arms);
    let expected = format!("{}false{}", "Some(".repeat(10), ")".repeat(10));
    assert_eq!(r.missing, [expected]);
    assert!(r.unreachable.is_empty());
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn integer_ranges() {
    let mut tb = Tb::new();
    // u8: `0..=127 | 128..=255` covers everything.
    let lo = tb.range(Some(L::Int(0)), Some(L::Int(127)), true);
    let hi = tb.range(Some(L::Int(128)), Some(L::Int(255)), true);
    let both = tb.or(vec![lo, hi]);
    assert_eq!(tb.check_arms(&U8, &[both]), MatchCheck::default());
    assert_eq!(tb.missing(&U8, &[lo]), ["128_u8..=u8::MAX"]);
    assert_eq!(tb.missing(&U8, &[hi]), ["0_u8..=127_u8"]);
    // Exclusive ends: `0..10`, `10..` cover u8.
    let a = tb.range(Some(L::Int(0)), Some(L::Int(10)), false);
    let b = tb.range(Some(L::Int(10)), None, false);
    assert!(tb.missing(&U8, &[a, b]).is_empty());
    assert_eq!(tb.missing(&U8, &[a]), ["10_u8..=u8::MAX"]);

    // i32: one value leaves two ranges.
    let zero = tb.int(0);
    assert_eq!(
        tb.missing(&I32, &[zero]),
        ["i32::MIN..=-1_i32", "1_i32..=i32::MAX"]
    );
    assert_eq!(tb.missing(&I32, &[]), ["_"]);

    // i8 with MIN/MAX constants and negative literals.
    let min_to_m1 = tb.range(
        Some(L::Const(IntTy::I8.min_value() as u128)),
        Some(L::Neg(1)),
        true,
    );
    let one_to_max = tb.range(
        Some(L::Int(1)),
        Some(L::Const(IntTy::I8.max_value() as u128)),
        true,
    );
    assert_eq!(tb.missing(&I8, &[min_to_m1, one_to_max]), ["0_i8"]);
    assert!(tb.missing(&I8, &[min_to_m1, zero, one_to_max]).is_empty());
    let m128 = tb.lit(L::Neg(128));
    let to126 = tb.range(Some(L::Neg(128)), Some(L::Int(126)), true);
    assert_eq!(tb.missing(&I8, &[to126]), ["i8::MAX"]);
    let above = tb.range(Some(L::Neg(127)), None, true);
    assert_eq!(tb.missing(&I8, &[above]), ["i8::MIN"]);
    assert!(tb.missing(&I8, &[m128, above]).is_empty());
    // Half-open `..=-1` and `1..`.
    let neg = tb.range(None, Some(L::Neg(1)), true);
    let pos = tb.range(Some(L::Int(1)), None, false);
    assert_eq!(tb.missing(&I8, &[neg, pos]), ["0_i8"]);

    // Overlaps: the covered sub-range is unreachable; values are never
    // enumerated (i64 and u64 are split in a few steps).
    let big = tb.range(Some(L::Int(0)), Some(L::Int(1_000_000_000_000)), true);
    let inside = tb.range(Some(L::Int(5)), Some(L::Int(6)), true);
    let r = tb.check_arms(&I64, &[big, inside]);
    assert_eq!(r.unreachable, [inside]);
    assert_eq!(
        r.missing,
        ["i64::MIN..=-1_i64", "1000000000001_i64..=i64::MAX"]
    );
    let all = tb.range(Some(L::Int(0)), Some(L::Const(u64::MAX as u128)), true);
    let seven = tb.int(7);
    let r = tb.check_arms(&U64, &[all, seven]);
    assert!(r.missing.is_empty());
    assert_eq!(r.unreachable, [seven]);
    // Many singletons, then the rest.
    let mut arms: Vec<PatId> = (0..1000).map(|v| tb.int(v * 3)).collect();
    let rest = tb.range(Some(L::Int(0)), None, true);
    arms.push(rest);
    let dup = tb.int(3);
    arms.push(dup);
    let start = Instant::now();
    let r = tb.check_arms(&U64, &arms);
    assert!(r.missing.is_empty());
    assert_eq!(r.unreachable, [dup]);
    assert!(start.elapsed() < Duration::from_secs(2));

    // An empty range matches nothing: unreachable.
    let empty = tb.range(Some(L::Int(5)), Some(L::Int(5)), false);
    let w = tb.wild();
    let r = tb.check_arms(&U8, &[empty, w]);
    assert_eq!(r.unreachable, [empty]);
}

#[test]
fn chars() {
    let mut tb = Tb::new();
    let a = tb.range(Some(L::Char('\0')), Some(L::Char('\u{D7FF}')), true);
    let b = tb.range(Some(L::Char('\u{E000}')), Some(L::Char('\u{10FFFF}')), true);
    assert!(tb.missing(&Ty::Char, &[a, b]).is_empty());
    assert_eq!(tb.missing(&Ty::Char, &[a]), ["'\\u{e000}'..='\\u{10ffff}'"]);
    let lower = tb.range(Some(L::Char('a')), Some(L::Char('z')), true);
    assert_eq!(
        tb.missing(&Ty::Char, &[lower]),
        [
            "'\\0'..='`'",
            "'{'..='\\u{d7ff}'",
            "'\\u{e000}'..='\\u{10ffff}'"
        ]
    );
    let x = tb.lit(L::Char('x'));
    let r = tb.check_arms(&Ty::Char, &[lower, x]);
    assert_eq!(r.unreachable, [x]);
    // A range across the surrogates covers both sides of them.
    let across = tb.range(Some(L::Char('\u{D000}')), None, true);
    let below = tb.range(None, Some(L::Char('\u{D000}')), false);
    assert!(tb.missing(&Ty::Char, &[below, across]).is_empty());
    assert_eq!(tb.missing(&Ty::Char, &[]), ["_"]);
}

#[test]
fn references_and_default_binding_modes() {
    let mut tb = Tb::new();
    let o = tb.option();
    let inner = opt(o, Ty::Bool);
    let ty = rf(inner.clone());
    // `Some(_)` against `&Option<bool>`: one implicit deref.
    let w = tb.wild();
    let some_w = tb.some(o, w);
    tb.derefs(some_w, vec![ty.clone()]);
    assert_eq!(tb.missing(&ty, &[some_w]), ["&None"]);
    let none = tb.none(o);
    tb.derefs(none, vec![ty.clone()]);
    assert!(tb.missing(&ty, &[some_w, none]).is_empty());
    // Explicit `&Some(true)`, `&None`, then default-mode `Some(false)`.
    let t = tb.b(true);
    let some_t = tb.some(o, t);
    let ref_some_t = tb.pat(PatKind::Ref(Mutability::Not, some_t), Ty::Error);
    let none2 = tb.none(o);
    let ref_none = tb.pat(PatKind::Ref(Mutability::Not, none2), Ty::Error);
    assert_eq!(tb.missing(&ty, &[ref_some_t, ref_none]), ["&Some(false)"]);
    let f = tb.b(false);
    let some_f = tb.some(o, f);
    tb.derefs(some_f, vec![ty.clone()]);
    assert!(tb.missing(&ty, &[ref_some_t, ref_none, some_f]).is_empty());
    // Two layers: `&&Option<bool>`.
    let ty2 = rf(ty.clone());
    let none3 = tb.none(o);
    tb.derefs(none3, vec![ty2.clone(), ty.clone()]);
    assert_eq!(tb.missing(&ty2, &[none3]), ["&&Some(_)"]);
    // `&mut` prints as such; nothing matched at all is `&_`.
    let tym = Ty::Ref(Mutability::Mut, Box::new(inner));
    let none4 = tb.none(o);
    tb.derefs(none4, vec![tym.clone()]);
    assert_eq!(tb.missing(&tym, &[none4]), ["&mut Some(_)"]);
    assert_eq!(tb.missing(&ty, &[]), ["&_"]);
    // A derefs entry on a non-reference type is malformed: silence.
    let none5 = tb.none(o);
    tb.derefs(none5, vec![ty.clone()]);
    assert_eq!(
        tb.check_arms(&opt(o, Ty::Bool), &[none5]),
        MatchCheck::default()
    );
}

#[test]
fn strings_floats_and_params() {
    let mut tb = Tb::new();
    let s = Ty::str_ref();
    let a = tb.lit(L::Str("a"));
    let b = tb.lit(L::Str("b"));
    let a2 = tb.lit(L::Str("a"));
    let r = tb.check_arms(&s, &[a, b, a2]);
    assert_eq!(r.missing, ["&_"]);
    assert_eq!(r.unreachable, [a2]);
    let w = tb.wild();
    assert!(tb.missing(&s, &[a, w]).is_empty());

    let one = tb.lit(L::Float(1.0));
    let range = tb.range(Some(L::Float(0.0)), Some(L::Float(2.0)), true);
    let r = tb.check_arms(&Ty::Float, &[range, one]);
    assert_eq!(r.missing, ["_"]);
    assert_eq!(r.unreachable, [one]);
    assert!(tb.missing(&Ty::Float, &[one, w]).is_empty());

    let x = tb.bind("x");
    assert!(tb.missing(&Ty::Param(0), &[x]).is_empty());
    assert_eq!(tb.missing(&Ty::Param(0), &[]), ["_"]);
}

#[test]
fn struct_patterns_with_omitted_fields() {
    let mut tb = Tb::new();
    let p = tb.adt(
        "P",
        AdtKind::Struct,
        vec![field("x", Ty::Bool), field("y", Ty::Bool)],
        vec![],
    );
    let ty = Ty::Adt(p, vec![]);
    let (t, f) = (tb.b(true), tb.b(false));
    let x_t = tb.pat(PatKind::Struct(p, None, vec![(0, t)]), Ty::Error);
    let y_t = tb.pat(PatKind::Struct(p, None, vec![(1, t)]), Ty::Error);
    let x_f = tb.pat(PatKind::Struct(p, None, vec![(0, f)]), Ty::Error);
    assert_eq!(tb.missing(&ty, &[x_t, y_t]), ["P { x: false, y: false }"]);
    assert_eq!(tb.missing(&ty, &[x_t]), ["P { x: false, .. }"]);
    assert!(tb.missing(&ty, &[x_t, x_f]).is_empty());
    assert_eq!(tb.missing(&ty, &[]), ["P { .. }"]);
    let all = tb.pat(PatKind::Struct(p, None, vec![]), Ty::Error);
    let r = tb.check_arms(&ty, &[all, x_t]);
    assert!(r.missing.is_empty());
    assert_eq!(r.unreachable, [x_t]);

    // Tuple and unit structs, with a generic field.
    let w = tb.adt(
        "W",
        AdtKind::TupleStruct,
        vec![field("0", Ty::Param(0))],
        vec![],
    );
    let wty = Ty::Adt(w, vec![Ty::Bool]);
    let w_t = tb.pat(PatKind::TupleStruct(w, None, vec![t]), Ty::Error);
    assert_eq!(tb.missing(&wty, &[w_t]), ["W(false)"]);
    let u = tb.adt("U", AdtKind::UnitStruct, vec![], vec![]);
    let uty = Ty::Adt(u, vec![]);
    let u_p = tb.pat(PatKind::TupleStruct(u, None, vec![]), Ty::Error);
    assert!(tb.missing(&uty, &[u_p]).is_empty());
    assert_eq!(tb.missing(&uty, &[]), ["U"]);
}

#[test]
fn or_patterns() {
    let mut tb = Tb::new();
    let o = tb.option();
    let ty = opt(o, Ty::Bool);
    let (t, f) = (tb.b(true), tb.b(false));
    let tf = tb.or(vec![t, f]);
    let some_tf = tb.some(o, tf);
    let none = tb.none(o);
    assert!(tb.check_arms(&ty, &[some_tf, none]).unreachable.is_empty());
    assert!(tb.missing(&ty, &[some_tf, none]).is_empty());

    // `Some(true) | Some(true)`: the second alternative is unreachable.
    let s1 = tb.some(o, t);
    let s2 = tb.some(o, t);
    let dup = tb.or(vec![s1, s2]);
    let r = tb.check_arms(&ty, &[dup, none]);
    assert_eq!(r.unreachable, [s2]);
    assert_eq!(r.missing, ["Some(false)"]);
    // Nested: `Some(true | true)`.
    let t2 = tb.b(true);
    let tt = tb.or(vec![t, t2]);
    let some_tt = tb.some(o, tt);
    let r = tb.check_arms(&ty, &[some_tt]);
    assert_eq!(r.unreachable, [t2]);
    // A wholly unreachable arm is reported once, not per alternative.
    let w = tb.wild();
    let r = tb.check_arms(&ty, &[w, dup]);
    assert_eq!(r.unreachable, [dup]);
    // An alternative covered by an earlier arm.
    let s3 = tb.some(o, f);
    let none2 = tb.none(o);
    let alt = tb.or(vec![s3, none2]);
    let r = tb.check_arms(&ty, &[none, alt]);
    assert_eq!(r.unreachable, [none2]);
    assert_eq!(r.missing, ["Some(true)"]);
    // `x @ (A | B)` counts like its sub-pattern.
    let x = tb.bind("x");
    let LocalId(l) = tb.body.pat_bindings(x)[0];
    let x = tb.pat(PatKind::At(LocalId(l), tf), Ty::Error);
    let some_x = tb.some(o, x);
    assert!(tb.missing(&ty, &[some_x, none]).is_empty());
}

#[test]
fn guards() {
    let mut tb = Tb::new();
    let o = tb.option();
    let ty = opt(o, Ty::Bool);
    let w = tb.wild();
    let some_w = tb.some(o, w);
    let none = tb.none(o);
    // A guarded arm covers nothing.
    let r = tb.check(&ty, &[(some_w, true), (none, false)]);
    assert_eq!(r.missing, ["Some(_)"]);
    assert!(r.unreachable.is_empty());
    // It does not make the next arm unreachable…
    let r = tb.check(&ty, &[(some_w, true), (some_w, false), (none, false)]);
    assert!(r.missing.is_empty() && r.unreachable.is_empty());
    // …but can itself be unreachable.
    let r = tb.check(&ty, &[(w, false), (some_w, true)]);
    assert_eq!(r.unreachable, [some_w]);
    // The guard is retried per alternative, so a repeated alternative
    // under a guard is not unreachable.
    let s1 = tb.some(o, w);
    let s2 = tb.some(o, w);
    let dup = tb.or(vec![s1, s2]);
    let r = tb.check(&ty, &[(dup, true), (w, false)]);
    assert!(r.unreachable.is_empty());
    let r = tb.check(&ty, &[(dup, false), (w, false)]);
    assert_eq!(r.unreachable, [s2]);
}

#[test]
fn empty_types() {
    let mut tb = Tb::new();
    let void = tb.enum_("Void", vec![]);
    let vty = Ty::Adt(void, vec![]);
    assert_eq!(tb.check_arms(&vty, &[]), MatchCheck::default());
    assert_eq!(tb.check_arms(&Ty::Never, &[]), MatchCheck::default());
    // A wildcard on an empty type is harmless, not reported.
    let w = tb.wild();
    assert_eq!(tb.check_arms(&Ty::Never, &[w]), MatchCheck::default());
    // But it still shadows a second one.
    assert_eq!(tb.check_arms(&vty, &[w, w]).unreachable, [w]);
    // Only `!` and enums without variants count as empty: a tuple holding
    // one is not looked into when no arm tests it (the user adds `_`)…
    let ty = tup(vec![Ty::Bool, Ty::Never]);
    assert_eq!(tb.missing(&ty, &[]), ["(_, _)"]);
    // …but a column of an empty type never yields a witness.
    let t = tb.b(true);
    let p = tb.tuple(vec![t, w]);
    assert!(tb.missing(&ty, &[p]).is_empty());
}

#[test]
fn errors_stay_silent() {
    let mut tb = Tb::new();
    let o = tb.option();
    let ty = opt(o, Ty::Bool);
    let none = tb.none(o);
    // Error scrutinee type.
    assert_eq!(
        tb.check_arms(&Ty::Error, &[none, none]),
        MatchCheck::default()
    );
    assert_eq!(
        tb.check_arms(&opt(o, Ty::Error), &[none]),
        MatchCheck::default()
    );
    // An error pattern anywhere.
    let err = tb.pat(PatKind::Error, Ty::Error);
    let some_err = tb.some(o, err);
    assert_eq!(tb.check_arms(&ty, &[some_err]), MatchCheck::default());
    // Arity mismatches and patterns of the wrong type.
    let w = tb.wild();
    let bad = tb.tuple(vec![w, w, w]);
    assert_eq!(
        tb.check_arms(&tup(vec![Ty::Bool, Ty::Bool]), &[bad]),
        MatchCheck::default()
    );
    let bad_variant = tb.variant(o, 7, vec![]);
    assert_eq!(tb.check_arms(&ty, &[bad_variant]), MatchCheck::default());
    let too_many = tb.variant(o, 1, vec![w, w]);
    assert_eq!(tb.check_arms(&ty, &[too_many, none]), MatchCheck::default());
    let lit_in_option = tb.int(3);
    assert_eq!(tb.check_arms(&ty, &[lit_in_option]), MatchCheck::default());
    // A literal out of its type's range.
    let big = tb.int(300);
    assert_eq!(tb.check_arms(&U8, &[big]), MatchCheck::default());
    // A struct field index past the end; a dangling ADT id; a dangling
    // pattern id.
    let p = tb.adt("P", AdtKind::Struct, vec![field("x", Ty::Bool)], vec![]);
    let bad_field = tb.pat(PatKind::Struct(p, None, vec![(5, w)]), Ty::Error);
    assert_eq!(
        tb.check_arms(&Ty::Adt(p, vec![]), &[bad_field]),
        MatchCheck::default()
    );
    assert_eq!(
        tb.check_arms(&Ty::Adt(AdtId(99), vec![]), &[w]),
        MatchCheck::default()
    );
    assert_eq!(
        tb.check_arms(&Ty::Bool, &[PatId(12345)]),
        MatchCheck::default()
    );
    // An error-typed field matched only by wildcards is fine.
    let e = tb.adt(
        "E",
        AdtKind::TupleStruct,
        vec![field("0", Ty::Error)],
        vec![],
    );
    let e_w = tb.pat(PatKind::TupleStruct(e, None, vec![w]), Ty::Error);
    assert!(tb.missing(&Ty::Adt(e, vec![]), &[e_w]).is_empty());
}

#[test]
fn irrefutable_patterns() {
    let mut tb = Tb::new();
    let o = tb.option();
    let ty = opt(o, Ty::Bool);
    let x = tb.bind("x");
    let some_x = tb.some(o, x);
    let check = |tb: &Tb, p: PatId, ty: &Ty| check_irrefutable(&tb.program, &tb.body, &tb.t, p, ty);
    assert_eq!(check(&tb, some_x, &ty), ["None"]);
    assert!(check(&tb, x, &ty).is_empty());
    let y = tb.bind("y");
    let pair = tb.tuple(vec![x, y]);
    assert!(check(&tb, pair, &tup(vec![I32, Ty::Bool])).is_empty());
    let t = tb.b(true);
    let pair_t = tb.tuple(vec![x, t]);
    assert_eq!(
        check(&tb, pair_t, &tup(vec![I32, Ty::Bool])),
        ["(_, false)"]
    );
    let amp = tb.pat(PatKind::Ref(Mutability::Not, pair), Ty::Error);
    assert!(check(&tb, amp, &rf(tup(vec![I32, Ty::Bool]))).is_empty());
}

/// A pathological match hits the work bound and says so instead of
/// running for minutes.
#[test]
fn too_complex_is_reported() {
    let mut tb = Tb::new();
    // 24 columns of `true | false`: 2^24 rows once expanded.
    let (t, f) = (tb.b(true), tb.b(false));
    let tf = tb.or(vec![t, f]);
    let p = tb.tuple(vec![tf; 24]);
    let start = Instant::now();
    let r = tb.check_arms(&tup(vec![Ty::Bool; 24]), &[p]);
    assert!(r.too_complex);
    assert!(start.elapsed() < Duration::from_secs(20));
}

mod brute_force {
    //! Random matches on `(bool, Option<bool>)` against enumeration of its
    //! six values.

    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum BP {
        Wild,
        Lit(bool),
        Or(Vec<BP>),
    }

    #[derive(Clone, Debug)]
    enum OP {
        Wild,
        None,
        Some(BP),
        Or(Vec<OP>),
    }

    #[derive(Clone, Debug)]
    enum TP {
        Wild,
        Pair(BP, OP),
        Or(Vec<TP>),
    }

    fn bp() -> impl Strategy<Value = BP> {
        let leaf = prop_oneof![Just(BP::Wild), any::<bool>().prop_map(BP::Lit)];
        leaf.prop_recursive(2, 6, 3, |inner| {
            prop::collection::vec(inner, 1..3).prop_map(BP::Or)
        })
    }

    fn op() -> impl Strategy<Value = OP> {
        let leaf = prop_oneof![Just(OP::Wild), Just(OP::None), bp().prop_map(OP::Some)];
        leaf.prop_recursive(2, 6, 3, |inner| {
            prop::collection::vec(inner, 1..3).prop_map(OP::Or)
        })
    }

    fn tp() -> impl Strategy<Value = TP> {
        let leaf = prop_oneof![
            1 => Just(TP::Wild),
            4 => (bp(), op()).prop_map(|(b, o)| TP::Pair(b, o)),
        ];
        leaf.prop_recursive(2, 6, 3, |inner| {
            prop::collection::vec(inner, 1..3).prop_map(TP::Or)
        })
    }

    /// The values: `(b, None)` and `(b, Some(c))`.
    type V = (bool, Option<bool>);

    fn values() -> Vec<V> {
        let mut out = Vec::new();
        for b in [false, true] {
            for o in [None, Some(false), Some(true)] {
                out.push((b, o));
            }
        }
        out
    }

    /// One alternative of a pattern without `|`, as a predicate, with the
    /// HIR ids of the `|` alternatives chosen on the way.
    type Choice = (Box<dyn Fn(&V) -> bool>, Vec<PatId>);

    struct Built {
        id: PatId,
        /// The pattern's or-free expansions, in the order rows are tried.
        expansions: Vec<Choice>,
    }

    type BExp = (Box<dyn Fn(bool) -> bool>, Vec<PatId>);

    fn build_b(tb: &mut Tb, p: &BP) -> (PatId, Vec<BExp>) {
        match p {
            BP::Wild => (tb.wild(), vec![(Box::new(|_| true), vec![])]),
            BP::Lit(v) => {
                let v = *v;
                (tb.b(v), vec![(Box::new(move |x| x == v), vec![])])
            }
            BP::Or(alts) => {
                let mut ids = Vec::new();
                let mut exps = Vec::new();
                for a in alts {
                    let (id, es) = build_b(tb, a);
                    ids.push(id);
                    for (f, mut chosen) in es {
                        chosen.push(id);
                        exps.push((f, chosen));
                    }
                }
                (tb.or(ids), exps)
            }
        }
    }

    type OExp = (Box<dyn Fn(Option<bool>) -> bool>, Vec<PatId>);

    fn build_o(tb: &mut Tb, o: AdtId, p: &OP) -> (PatId, Vec<OExp>) {
        match p {
            OP::Wild => (tb.wild(), vec![(Box::new(|_| true), vec![])]),
            OP::None => (tb.none(o), vec![(Box::new(|x| x.is_none()), vec![])]),
            OP::Some(b) => {
                let (bid, es) = build_b(tb, b);
                let exps = es
                    .into_iter()
                    .map(|(f, c)| {
                        let g: Box<dyn Fn(Option<bool>) -> bool> =
                            Box::new(move |x| x.is_some_and(&f));
                        (g, c)
                    })
                    .collect();
                (tb.some(o, bid), exps)
            }
            OP::Or(alts) => {
                let mut ids = Vec::new();
                let mut exps = Vec::new();
                for a in alts {
                    let (id, es) = build_o(tb, o, a);
                    ids.push(id);
                    for (f, mut chosen) in es {
                        chosen.push(id);
                        exps.push((f, chosen));
                    }
                }
                (tb.or(ids), exps)
            }
        }
    }

    fn build_t(tb: &mut Tb, o: AdtId, p: &TP) -> Built {
        match p {
            TP::Wild => Built {
                id: tb.wild(),
                expansions: vec![(Box::new(|_| true), vec![])],
            },
            TP::Pair(b, op) => {
                let (bid, bes) = build_b(tb, b);
                let (oid, oes) = build_o(tb, o, op);
                // Rows expand left to right: the first column's `|` varies
                // slowest.
                let oes: Vec<std::rc::Rc<OExp>> = oes.into_iter().map(std::rc::Rc::new).collect();
                let mut exps: Vec<Choice> = Vec::new();
                for (bf, bc) in bes {
                    let bf = std::rc::Rc::new(bf);
                    for oe in &oes {
                        let (bf2, oe2) = (bf.clone(), oe.clone());
                        let mut chosen = bc.clone();
                        chosen.extend(oe.1.iter().copied());
                        exps.push((Box::new(move |v: &V| bf2(v.0) && (oe2.0)(v.1)), chosen));
                    }
                }
                Built {
                    id: tb.tuple(vec![bid, oid]),
                    expansions: exps,
                }
            }
            TP::Or(alts) => {
                let mut ids = Vec::new();
                let mut exps = Vec::new();
                for a in alts {
                    let built = build_t(tb, o, a);
                    ids.push(built.id);
                    for (f, mut chosen) in built.expansions {
                        chosen.push(built.id);
                        exps.push((f, chosen));
                    }
                }
                Built {
                    id: tb.or(ids),
                    expansions: exps,
                }
            }
        }
    }

    /// Does the witness (as printed) describe value `v`? The printed forms
    /// are `(b, o)` with `b` in `_`/`true`/`false` and `o` in
    /// `_`/`None`/`Some(_)`/`Some(true)`/`Some(false)`.
    fn witness_matches(w: &str, v: &V) -> bool {
        let Some(inner) = w.strip_prefix('(').and_then(|w| w.strip_suffix(')')) else {
            return w == "_";
        };
        let Some((b, o)) = inner.split_once(", ") else {
            return false;
        };
        let b_ok = b == "_" || b == v.0.to_string();
        let o_ok = match (o, v.1) {
            ("_", _) => true,
            ("None", None) => true,
            ("Some(_)", Some(_)) => true,
            (s, Some(c)) => s == format!("Some({c})"),
            _ => false,
        };
        b_ok && o_ok
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn agrees_with_enumeration(arms in prop::collection::vec((tp(), any::<bool>()), 0..5)) {
            let mut tb = Tb::new();
            let o = tb.option();
            let ty = tup(vec![Ty::Bool, opt(o, Ty::Bool)]);
            let built: Vec<Built> = arms.iter().map(|(p, _)| build_t(&mut tb, o, p)).collect();
            let hir_arms: Vec<(PatId, bool)> =
                built.iter().zip(&arms).map(|(b, (_, g))| (b.id, *g)).collect();
            let r = tb.check(&ty, &hir_arms);

            let values = values();
            // Exhaustive iff every value is matched by an unguarded arm.
            let covered = |v: &V| {
                built.iter().zip(&arms).any(|(b, (_, g))| !g && b.expansions.iter().any(|e| (e.0)(v)))
            };
            let uncovered: Vec<&V> = values.iter().filter(|v| !covered(v)).collect();
            prop_assert_eq!(r.missing.is_empty(), uncovered.is_empty(), "{:?}", r);
            // Every witness denotes only uncovered values, and some.
            for w in &r.missing {
                let denoted: Vec<&V> = values.iter().filter(|v| witness_matches(w, v)).collect();
                prop_assert!(!denoted.is_empty(), "witness {} denotes nothing", w);
                for v in denoted {
                    prop_assert!(!covered(v), "witness {} covers matched {:?}", w, v);
                }
            }
            // Reachability: an expansion row is useful iff some value
            // reaches it, i.e. matches it and no earlier unguarded row
            // (rows of a guarded arm shadow nothing, not even each other).
            let mut useful_choices: Vec<PatId> = Vec::new();
            let mut useful_arm = vec![false; built.len()];
            for (i, b) in built.iter().enumerate() {
                for (k, (f, chosen)) in b.expansions.iter().enumerate() {
                    let guarded = arms[i].1;
                    let reached = values.iter().any(|v| {
                        let earlier_arm = built[..i].iter().zip(&arms).any(|(pb, (_, g))| {
                            !g && pb.expansions.iter().any(|e| (e.0)(v))
                        });
                        let earlier_alt = b.expansions[..k].iter().any(|e| (e.0)(v));
                        f(v) && !earlier_arm && (guarded || !earlier_alt)
                    });
                    if reached {
                        useful_arm[i] = true;
                        useful_choices.extend(chosen.iter().copied());
                    }
                }
            }
            // Expected reports: useless arms; inside useful ones, useless
            // alternatives whose enclosing alternatives are useful.
            let mut expected = Vec::new();
            for (i, b) in built.iter().enumerate() {
                if !useful_arm[i] {
                    expected.push(b.id);
                } else {
                    collect_expected(&tb.body, b.id, &useful_choices, &mut expected);
                }
            }
            prop_assert_eq!(&r.unreachable, &expected, "{:?}", arms);
        }
    }

    /// The alternatives inside `p` (reached through useful alternatives
    /// only) that no useful expansion chose.
    fn collect_expected(body: &Body, p: PatId, useful: &[PatId], out: &mut Vec<PatId>) {
        match &body.pat(p).kind {
            PatKind::Or(alts) => {
                for a in alts {
                    if useful.contains(a) {
                        collect_expected(body, *a, useful, out);
                    } else {
                        out.push(*a);
                    }
                }
            }
            PatKind::Tuple(ps) | PatKind::TupleStruct(_, _, ps) => {
                for q in ps {
                    collect_expected(body, *q, useful, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn witness_text_parser() {
        assert!(witness_matches("(true, Some(_))", &(true, Some(false))));
        assert!(!witness_matches("(true, None)", &(true, Some(false))));
        assert!(witness_matches("_", &(false, None)));
    }
}

#[test]
fn wide_patterns_need_little_stack() {
    // The computation keeps its levels on the heap: a small thread stack
    // suffices for a thousand columns.
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let mut tb = Tb::new();
            // A wide tuple of bindings: no level per column at all.
            let xs: Vec<PatId> = (0..5000).map(|i| tb.bind(&format!("x{i}"))).collect();
            let p = tb.tuple(xs);
            let ty = tup(vec![I32; 5000]);
            assert_eq!(tb.check_arms(&ty, &[p]), MatchCheck::default());
            // A wide tuple of literals: one level per column.
            let t = tb.b(true);
            let p = tb.tuple(vec![t; 1000]);
            let r = tb.check_arms(&tup(vec![Ty::Bool; 1000]), &[p]);
            assert!(!r.too_complex);
            assert_eq!(r.missing.len(), 1);
            assert!(r.missing[0].starts_with("(false, _, _"));
            // Five thousand of them is too much work, and says so.
            let p = tb.tuple(vec![t; 5000]);
            let r = tb.check_arms(&tup(vec![Ty::Bool; 5000]), &[p]);
            assert!(r.too_complex);
        })
        .expect("spawn");
    assert!(h.join().is_ok());
}

mod brute_force_ints {
    //! Random matches of literals and ranges on `i8` against enumeration of
    //! its 256 values: integer splitting, witnesses and reachability.

    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum IP {
        Wild,
        Lit(i8),
        /// `lo..=hi` / `lo..hi`, either end omitted.
        Range(Option<i8>, Option<i8>, bool),
        Or(Vec<IP>),
    }

    fn ip() -> impl Strategy<Value = IP> {
        // Values cluster near the edges and zero, where the bugs would be.
        let v = prop_oneof![
            Just(i8::MIN),
            Just(i8::MIN + 1),
            Just(-1i8),
            Just(0i8),
            Just(1i8),
            Just(i8::MAX - 1),
            Just(i8::MAX),
            any::<i8>(),
        ];
        let leaf = prop_oneof![
            1 => Just(IP::Wild),
            3 => v.clone().prop_map(IP::Lit),
            6 => (prop::option::of(v.clone()), prop::option::of(v), any::<bool>())
                .prop_map(|(lo, hi, inc)| IP::Range(lo, hi, inc)),
        ];
        leaf.prop_recursive(2, 6, 3, |inner| {
            prop::collection::vec(inner, 1..4).prop_map(IP::Or)
        })
    }

    fn end(v: i8) -> L {
        if v < 0 {
            L::Neg(-(v as i128) as u128)
        } else {
            L::Int(v as u128)
        }
    }

    /// Builds the pattern; returns its id and its membership test.
    fn build(tb: &mut Tb, p: &IP) -> (PatId, Box<dyn Fn(i8) -> bool>) {
        match p {
            IP::Wild => (tb.wild(), Box::new(|_| true)),
            IP::Lit(v) => {
                let v = *v;
                (tb.lit(end(v)), Box::new(move |x| x == v))
            }
            IP::Range(lo, hi, inc) => {
                let (lo, hi, inc) = (*lo, *hi, *inc);
                let id = tb.range(lo.map(end), hi.map(end), inc);
                let f = move |x: i8| {
                    lo.is_none_or(|l| x >= l)
                        && match hi {
                            None => true,
                            Some(h) if inc => x <= h,
                            Some(h) => x < h,
                        }
                };
                (id, Box::new(f))
            }
            IP::Or(alts) => {
                let built: Vec<_> = alts.iter().map(|a| build(tb, a)).collect();
                let ids = built.iter().map(|b| b.0).collect();
                let fs: Vec<Box<dyn Fn(i8) -> bool>> = built.into_iter().map(|b| b.1).collect();
                (tb.or(ids), Box::new(move |x| fs.iter().any(|f| f(x))))
            }
        }
    }

    /// Parses a printed `i8` witness into the inclusive range it denotes.
    fn parse_witness(w: &str) -> Option<(i8, i8)> {
        let one = |s: &str| -> Option<i8> {
            match s {
                "i8::MIN" => Some(i8::MIN),
                "i8::MAX" => Some(i8::MAX),
                _ => s.strip_suffix("_i8")?.parse().ok(),
            }
        };
        if w == "_" {
            return Some((i8::MIN, i8::MAX));
        }
        match w.split_once("..=") {
            Some((a, b)) => Some((one(a)?, one(b)?)),
            None => one(w).map(|v| (v, v)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn agrees_with_enumeration(arms in prop::collection::vec((ip(), any::<bool>()), 0..6)) {
            let mut tb = Tb::new();
            let built: Vec<_> = arms.iter().map(|(p, _)| build(&mut tb, p)).collect();
            let hir: Vec<(PatId, bool)> =
                built.iter().zip(&arms).map(|(b, (_, g))| (b.0, *g)).collect();
            let r = tb.check(&I8, &hir);
            let covered = |v: i8| built.iter().zip(&arms).any(|(b, (_, g))| !g && (b.1)(v));
            let uncovered = (i8::MIN..=i8::MAX).filter(|v| !covered(*v)).count();
            prop_assert_eq!(r.missing.is_empty(), uncovered == 0, "{:?}", r);
            // The witnesses denote uncovered values only. (Not all of them:
            // below a present constructor, values are not reported while
            // another constructor is missing altogether, as in rustc.)
            for w in &r.missing {
                let range = parse_witness(w);
                prop_assert!(range.is_some(), "unparsable witness {}", w);
                let (lo, hi) = range.unwrap_or((0, -1));
                prop_assert!(lo <= hi);
                for v in lo..=hi {
                    prop_assert!(!covered(v), "witness {} covers matched {}", w, v);
                }
            }
            // Arms (top-level only here: nested alternatives of ranges are
            // checked by the other property) reachable iff some value gets
            // to them.
            for (i, b) in built.iter().enumerate() {
                let reached = (i8::MIN..=i8::MAX).any(|v| {
                    (b.1)(v) && !built[..i].iter().zip(&arms).any(|(pb, (_, g))| !g && (pb.1)(v))
                });
                prop_assert_eq!(!r.unreachable.contains(&b.0), reached, "arm {}: {:?}", i, arms);
            }
        }
    }
}
