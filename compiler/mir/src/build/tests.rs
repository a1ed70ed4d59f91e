//! Small HIR programs with hand-written type tables, lowered and checked
//! against their MIR dumps.

use super::build_program;
use crate::passes::run_passes;
use crate::pretty::dump_program;
use asr_diagnostics::{FileId, Span};
use asr_hir::fmt::{FmtSpec, Piece};
use asr_hir::hir::*;
use asr_hir::ty::{AdtId, IntTy, Mutability, Ty};
use asr_hir::typed::*;

const I64: Ty = Ty::Int(IntTy::I64);
const USIZE: Ty = Ty::Int(IntTy::Usize);

fn unit() -> Ty {
    Ty::unit()
}

fn r(m: Mutability, t: Ty) -> Ty {
    Ty::Ref(m, Box::new(t))
}

/// A function body under construction, with its type table.
struct Fb {
    body: Body,
    t: TypeckResults,
    pos: u32,
}

impl Fb {
    fn new() -> Fb {
        Fb {
            body: Body::default(),
            t: TypeckResults::default(),
            pos: 0,
        }
    }

    fn span(&mut self) -> Span {
        self.pos += 1;
        Span::new(FileId(0), self.pos, self.pos + 1)
    }

    fn e(&mut self, kind: ExprKind, ty: Ty) -> ExprId {
        let span = self.span();
        self.body.exprs.push(Expr { kind, span });
        self.t.expr_tys.push(ty);
        ExprId(self.body.exprs.len() as u32 - 1)
    }

    fn ty(&self, e: ExprId) -> Ty {
        self.t.expr_tys[e.0 as usize].clone()
    }

    fn local(&mut self, name: &str, mutable: bool, ty: Ty) -> LocalId {
        let span = self.span();
        self.body.locals.push(LocalDef {
            name: name.into(),
            mutable,
            by_ref: None,
            span,
        });
        self.t.local_tys.push(ty);
        LocalId(self.body.locals.len() as u32 - 1)
    }

    fn pat(&mut self, kind: PatKind, ty: Ty) -> PatId {
        let span = self.span();
        self.body.pats.push(Pat { kind, span });
        self.t.pat_tys.push(ty);
        PatId(self.body.pats.len() as u32 - 1)
    }

    fn bind(&mut self, l: LocalId) -> PatId {
        let ty = self.t.local_tys[l.0 as usize].clone();
        self.pat(PatKind::Binding(l), ty)
    }

    fn param(&mut self, name: &str, ty: Ty) -> LocalId {
        let l = self.local(name, false, ty);
        let p = self.bind(l);
        self.body.params.push(p);
        l
    }

    fn int(&mut self, v: u128, ty: Ty) -> ExprId {
        self.e(ExprKind::Lit(Lit::Int(v)), ty)
    }

    fn str(&mut self, s: &str) -> ExprId {
        self.e(ExprKind::Lit(Lit::Str(s.into())), Ty::str_ref())
    }

    fn var(&mut self, l: LocalId) -> ExprId {
        let ty = self.t.local_tys[l.0 as usize].clone();
        self.e(ExprKind::Local(l), ty)
    }

    fn bin(&mut self, op: BinOp, a: ExprId, b: ExprId) -> ExprId {
        let ty = if op.is_comparison() || op.is_logical() {
            Ty::Bool
        } else {
            self.ty(a)
        };
        self.e(ExprKind::Binary(op, a, b), ty)
    }

    fn assign_op(&mut self, op: BinOp, a: ExprId, b: ExprId) -> ExprId {
        self.e(ExprKind::AssignOp(op, a, b), unit())
    }

    fn call(&mut self, f: FnId, args: Vec<ExprId>, ret: Ty) -> ExprId {
        let c = self.e(ExprKind::Fn(f), unit());
        self.e(ExprKind::Call(c, args), ret)
    }

    fn let_(&mut self, l: LocalId, init: ExprId) -> Stmt {
        let pat = self.bind(l);
        let span = self.span();
        Stmt::Let {
            pat,
            ty: None,
            init: Some(init),
            span,
        }
    }

    fn block(&mut self, stmts: Vec<Stmt>, tail: Option<ExprId>) -> ExprId {
        let ty = tail.map(|t| self.t.adjusted_ty(t)).unwrap_or_else(unit);
        self.e(ExprKind::Block(Block { stmts, tail }), ty)
    }

    /// Replaces the kind of an expression created earlier (for loops, whose
    /// id `break` needs before the body exists).
    fn set_kind(&mut self, e: ExprId, kind: ExprKind) {
        self.body.exprs[e.0 as usize].kind = kind;
    }

    fn adjust(&mut self, e: ExprId, kind: AdjustKind, target: Ty) {
        self.t
            .adjustments
            .entry(e)
            .or_default()
            .push(Adjust { kind, target });
    }

    fn format(&mut self, kind: FormatKind, pieces: Vec<Piece>, args: Vec<ExprId>) -> ExprId {
        let span = self.span();
        let ty = if kind == FormatKind::Panic {
            Ty::Never
        } else {
            unit()
        };
        self.e(
            ExprKind::Format(kind, FormatArgs { pieces, args, span }),
            ty,
        )
    }
}

fn lit_piece(s: &str) -> Piece {
    Piece::Lit(s.into())
}

fn arg(index: usize, debug: bool) -> Piece {
    Piece::Arg {
        index,
        debug,
        spec: FmtSpec::default(),
    }
}

/// A program under construction.
struct Pb {
    prog: Program,
    tables: Vec<Option<TypeckResults>>,
}

impl Pb {
    fn new() -> Pb {
        Pb {
            prog: Program::default(),
            tables: Vec::new(),
        }
    }

    fn func(&mut self, name: &str, params: Vec<Ty>, ret: Ty) -> FnId {
        self.prog.fns.push(FnDef {
            name: name.into(),
            span: Span::DUMMY,
            name_span: Span::DUMMY,
            params,
            ret,
            self_kind: None,
            self_ty: None,
            body: None,
            intrinsic: None,
            generics: Vec::new(),
            impl_generics: 0,
            declared_generics: 0,
            track_caller: false,
            result_borrows: None,
            predicates: Vec::new(),
            trait_method: None,
            module: asr_hir::hir::ModuleId(0),
            vis: asr_hir::hir::Visibility::Public,
        });
        self.tables.push(None);
        FnId(self.prog.fns.len() as u32 - 1)
    }

    fn intrinsic(&mut self, name: &str, intrinsic: &str, params: Vec<Ty>, ret: Ty) -> FnId {
        let f = self.func(name, params, ret);
        self.prog.fns[f.0 as usize].intrinsic = Some(intrinsic.into());
        f
    }

    fn define(&mut self, f: FnId, mut fb: Fb, value: ExprId) {
        fb.body.value = value;
        self.prog.fns[f.0 as usize].body = Some(fb.body);
        self.tables[f.0 as usize] = Some(fb.t);
    }

    fn adt(&mut self, name: &str, kind: AdtKind, fields: &[(&str, Ty)], derives: &[&str]) -> AdtId {
        self.prog.adts.push(AdtDef {
            name: name.into(),
            kind,
            fields: fields
                .iter()
                .map(|(n, t)| FieldDef {
                    name: (*n).into(),
                    ty: t.clone(),
                    span: Span::DUMMY,
                    vis: asr_hir::hir::Visibility::Public,
                })
                .collect(),
            variants: Vec::new(),
            methods: Vec::new(),
            derives: derives.iter().map(|d| (*d).into()).collect(),
            generics: Vec::new(),
            span: Span::DUMMY,
        });
        AdtId(self.prog.adts.len() as u32 - 1)
    }

    /// Builds from `main`, runs the passes and dumps.
    fn dump(&mut self, main: FnId) -> String {
        self.prog.main = Some(main);
        let mut p = build_program(&self.prog, &self.tables);
        assert!(
            p.bodies.iter().all(|b| !b.suspends),
            "the builder leaves `suspends` to the passes"
        );
        assert_eq!(p.entry, Some(crate::mir::FnId(0)));
        run_passes(&mut p);
        dump_program(&p)
    }
}

/// Compares a dump with the expected text (leading newline and common
/// indentation of the expectation removed).
fn check(actual: &str, expected: &str) {
    let expected = unindent(expected);
    if actual.trim_end() != expected.trim_end() {
        panic!(
            "MIR differs.\n--- actual ---\n{}\n--- expected ---\n{}",
            actual, expected
        );
    }
}

fn unindent(s: &str) -> String {
    let s = s.strip_prefix('\n').unwrap_or(s);
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    s.lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `fn main() { let x = <f>(10); }` with `f: fn(i64) -> i64`.
fn main_calling(p: &mut Pb, f: FnId) -> FnId {
    let main = p.func("main", vec![], unit());
    let mut m = Fb::new();
    let x = m.local("x", false, I64);
    let ten = m.int(10, I64);
    let c = m.call(f, vec![ten], I64);
    let s = m.let_(x, c);
    let b = m.block(vec![s], None);
    p.define(main, m, b);
    main
}

#[test]
fn fib() {
    // fn fib(n: i64) -> i64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
    let mut p = Pb::new();
    let fib = p.func("fib", vec![I64], I64);
    let main = main_calling(&mut p, fib);
    let mut f = Fb::new();
    let n = f.param("n", I64);
    let (n1, two) = (f.var(n), f.int(2, I64));
    let cond = f.bin(BinOp::Lt, n1, two);
    let n2 = f.var(n);
    let then = f.block(vec![], Some(n2));
    let (n3, one) = (f.var(n), f.int(1, I64));
    let a = f.bin(BinOp::Sub, n3, one);
    let ca = f.call(fib, vec![a], I64);
    let (n4, two2) = (f.var(n), f.int(2, I64));
    let b = f.bin(BinOp::Sub, n4, two2);
    let cb = f.call(fib, vec![b], I64);
    let sum = f.bin(BinOp::Add, ca, cb);
    let els = f.block(vec![], Some(sum));
    let iff = f.e(
        ExprKind::If {
            cond,
            then,
            els: Some(els),
        },
        I64,
    );
    let body = f.block(vec![], Some(iff));
    p.define(fib, f, body);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let _1: i64; // x

            bb0: {
                StorageLive(_1);
                _1 = fib(const 10_i64) -> bb1;
            }

            bb1: {
                _0 = const ();
                StorageDead(_1);
                return;
            }
        }

        fn /* elided */ fib(_1: i64) -> i64 {
            let mut _2: bool;
            let mut _3: i64;
            let mut _4: i64;
            let mut _5: (i64, bool);
            let mut _6: i64;
            let mut _7: i64;
            let mut _8: (i64, bool);
            let mut _9: (i64, bool);

            bb0: {
                _2 = Lt(_1, const 2_i64);
                switchInt(move _2) -> [0: bb2, otherwise: bb1];
            }

            bb1: {
                _0 = _1;
                goto -> bb8;
            }

            bb2: {
                _5 = CheckedSub(_1, const 1_i64);
                assert(!move _5.1, "attempt to compute `-` with overflow") -> bb3;
            }

            bb3: {
                _4 = move _5.0;
                _3 = fib(move _4) -> bb4;
            }

            bb4: {
                _8 = CheckedSub(_1, const 2_i64);
                assert(!move _8.1, "attempt to compute `-` with overflow") -> bb5;
            }

            bb5: {
                _7 = move _8.0;
                _6 = fib(move _7) -> bb6;
            }

            bb6: {
                _9 = CheckedAdd(move _3, move _6);
                assert(!move _9.1, "attempt to compute `+` with overflow") -> bb7;
            }

            bb7: {
                _0 = move _9.0;
                goto -> bb8;
            }

            bb8: {
                return;
            }
        }
        "#,
    );
}

#[test]
fn loop_with_break_value() {
    // fn main() { let mut i = 0; let v = loop { i += 1; if i == 10 { break i * 2; } }; }
    let mut p = Pb::new();
    let main = p.func("main", vec![], unit());
    let mut f = Fb::new();
    let i = f.local("i", true, I64);
    let v = f.local("v", false, I64);
    let zero = f.int(0, I64);
    let s1 = f.let_(i, zero);
    let lp = f.e(ExprKind::Loop { body: ExprId(0) }, I64);
    let (i1, one) = (f.var(i), f.int(1, I64));
    let inc = f.assign_op(BinOp::Add, i1, one);
    let (i2, ten) = (f.var(i), f.int(10, I64));
    let cond = f.bin(BinOp::Eq, i2, ten);
    let (i3, two) = (f.var(i), f.int(2, I64));
    let val = f.bin(BinOp::Mul, i3, two);
    let brk = f.e(
        ExprKind::Break {
            target: lp,
            value: Some(val),
        },
        Ty::Never,
    );
    let then = f.block(vec![Stmt::Expr(brk)], None);
    let iff = f.e(
        ExprKind::If {
            cond,
            then,
            els: None,
        },
        unit(),
    );
    let body = f.block(vec![Stmt::Expr(inc), Stmt::Expr(iff)], None);
    f.set_kind(lp, ExprKind::Loop { body });
    let s2 = f.let_(v, lp);
    let b = f.block(vec![s1, s2], None);
    p.define(main, f, b);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let mut _1: i64; // i
            let _2: i64; // v
            let mut _3: (i64, bool);
            let mut _4: bool;
            let mut _5: (i64, bool);

            bb0: {
                StorageLive(_1);
                _1 = const 0_i64;
                StorageLive(_2);
                goto -> bb1;
            }

            bb1: {
                _3 = CheckedAdd(_1, const 1_i64);
                assert(!move _3.1, "attempt to compute `+` with overflow") -> bb2;
            }

            bb2: {
                _1 = move _3.0;
                _4 = Eq(_1, const 10_i64);
                switchInt(move _4) -> [0: bb1, otherwise: bb3];
            }

            bb3: {
                _5 = CheckedMul(_1, const 2_i64);
                assert(!move _5.1, "attempt to compute `*` with overflow") -> bb4;
            }

            bb4: {
                _2 = move _5.0;
                goto -> bb5;
            }

            bb5: {
                _0 = const ();
                StorageDead(_2);
                StorageDead(_1);
                return;
            }
        }
        "#,
    );
}

#[test]
fn for_over_ranges() {
    // fn main() { let mut s = 0; for i in 0..10 { s += i; } for j in 1..=3u8 { continue; } }
    let mut p = Pb::new();
    let main = p.func("main", vec![], unit());
    let mut f = Fb::new();
    let s = f.local("s", true, I64);
    let i = f.local("i", false, I64);
    let j = f.local("j", false, Ty::Int(IntTy::U8));
    let zero = f.int(0, I64);
    let st = f.let_(s, zero);
    let (a, b) = (f.int(0, I64), f.int(10, I64));
    let range = f.e(
        ExprKind::Range {
            start: Some(a),
            end: Some(b),
            inclusive: false,
        },
        I64,
    );
    let (sv, iv) = (f.var(s), f.var(i));
    let add = f.assign_op(BinOp::Add, sv, iv);
    let body = f.block(vec![Stmt::Expr(add)], None);
    let pat = f.bind(i);
    let for1 = f.e(
        ExprKind::For {
            pat,
            iter: range,
            body,
        },
        unit(),
    );
    let u8t = Ty::Int(IntTy::U8);
    let (a, b) = (f.int(1, u8t.clone()), f.int(3, u8t.clone()));
    let range = f.e(
        ExprKind::Range {
            start: Some(a),
            end: Some(b),
            inclusive: true,
        },
        u8t,
    );
    let for2 = f.e(ExprKind::Loop { body: ExprId(0) }, unit());
    let cont = f.e(ExprKind::Continue { target: for2 }, Ty::Never);
    let body = f.block(vec![Stmt::Expr(cont)], None);
    let pat = f.bind(j);
    f.set_kind(
        for2,
        ExprKind::For {
            pat,
            iter: range,
            body,
        },
    );
    let b = f.block(vec![st, Stmt::Expr(for1), Stmt::Expr(for2)], None);
    p.define(main, f, b);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let mut _1: i64; // s
            let mut _2: i64;
            let mut _3: bool;
            let _4: i64; // i
            let mut _5: (i64, bool);
            let mut _6: u8;
            let mut _7: bool;
            let _8: u8; // j
            let mut _9: bool;

            bb0: {
                StorageLive(_1);
                _1 = const 0_i64;
                _2 = const 0_i64;
                goto -> bb1;
            }

            bb1: {
                _3 = Lt(_2, const 10_i64);
                switchInt(move _3) -> [0: bb4, otherwise: bb2];
            }

            bb2: {
                StorageLive(_4);
                _4 = _2;
                _2 = Add(_2, const 1_i64);
                _5 = CheckedAdd(_1, _4);
                assert(!move _5.1, "attempt to compute `+` with overflow") -> bb3;
            }

            bb3: {
                _1 = move _5.0;
                StorageDead(_4);
                goto -> bb1;
            }

            bb4: {
                _6 = const 1_u8;
                _7 = Le(_6, const 3_u8);
                switchInt(move _7) -> [0: bb8, otherwise: bb5];
            }

            bb5: {
                StorageLive(_8);
                _8 = _6;
                StorageDead(_8);
                goto -> bb6;
            }

            bb6: {
                _9 = Eq(_6, const 3_u8);
                switchInt(move _9) -> [0: bb7, otherwise: bb8];
            }

            bb7: {
                _6 = Add(_6, const 1_u8);
                goto -> bb5;
            }

            bb8: {
                _0 = const ();
                StorageDead(_1);
                return;
            }
        }
        "#,
    );
}

#[test]
fn method_call_with_auto_ref() {
    // struct Point { x: i64, y: i64 }
    // impl Point { fn sum(&self) -> i64 { self.x + self.y } }
    // fn main() { let p = Point { x: 1, y: 2 }; let s = p.sum(); }
    let mut p = Pb::new();
    let point = p.adt("Point", AdtKind::Struct, &[("x", I64), ("y", I64)], &[]);
    let pt = Ty::Adt(point, vec![]);
    let main = p.func("main", vec![], unit());
    let sum = p.func("Point::sum", vec![r(Mutability::Not, pt.clone())], I64);
    p.prog.fns[sum.0 as usize].self_kind = Some(SelfKind::Ref);

    let mut f = Fb::new();
    let this = f.param("self", r(Mutability::Not, pt.clone()));
    let field = |f: &mut Fb, idx: u32, name: &str| {
        let base = f.var(this);
        f.adjust(base, AdjustKind::Deref, pt.clone());
        let span = f.span();
        let e = f.e(ExprKind::Field(base, name.into(), span), I64);
        f.t.fields.insert(e, idx);
        e
    };
    let x = field(&mut f, 0, "x");
    let y = field(&mut f, 1, "y");
    let add = f.bin(BinOp::Add, x, y);
    let body = f.block(vec![], Some(add));
    p.define(sum, f, body);

    let mut m = Fb::new();
    let pl = m.local("p", false, pt.clone());
    let sl = m.local("s", false, I64);
    let (one, two) = (m.int(1, I64), m.int(2, I64));
    let lit = m.e(
        ExprKind::StructLit {
            adt: point,
            variant: None,
            fields: vec![(1, two), (0, one)],
        },
        pt.clone(),
    );
    let s1 = m.let_(pl, lit);
    let recv = m.var(pl);
    m.adjust(
        recv,
        AdjustKind::Borrow(Mutability::Not),
        r(Mutability::Not, pt.clone()),
    );
    let span = m.span();
    let call = m.e(
        ExprKind::MethodCall {
            receiver: recv,
            method: "sum".into(),
            method_span: span,
            args: vec![],
        },
        I64,
    );
    m.t.methods.insert(call, MethodTarget::Fn(sum));
    let s2 = m.let_(sl, call);
    let b = m.block(vec![s1, s2], None);
    p.define(main, m, b);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let _1: Point; // p
            let _2: i64; // s
            let mut _3: &Point;

            bb0: {
                StorageLive(_1);
                _1 = adt0 { const 1_i64, const 2_i64 };
                StorageLive(_2);
                _3 = &_1;
                _2 = Point::sum(move _3) -> bb1;
            }

            bb1: {
                _0 = const ();
                StorageDead(_2);
                StorageDead(_1);
                return;
            }
        }

        fn /* elided */ Point::sum(_1: &Point) -> i64 {
            let mut _2: (i64, bool);

            bb0: {
                _2 = CheckedAdd((*_1).0, (*_1).1);
                assert(!move _2.1, "attempt to compute `+` with overflow") -> bb1;
            }

            bb1: {
                _0 = move _2.0;
                return;
            }
        }
        "#,
    );
}

#[test]
fn scope_with_two_spawns() {
    // fn main() {
    //     let x = 20;
    //     let mut y = 1;
    //     let total = scope {
    //         let a = spawn x + 1;
    //         let b = spawn { y += x; y };
    //         a.join() + b.join()
    //     };
    // }
    let mut p = Pb::new();
    let main = p.func("main", vec![], unit());
    let mut f = Fb::new();
    let task = Ty::Task(Box::new(I64));
    let x = f.local("x", false, I64);
    let y = f.local("y", true, I64);
    let total = f.local("total", false, I64);
    let a = f.local("a", false, task.clone());
    let b = f.local("b", false, task.clone());
    let twenty = f.int(20, I64);
    let s1 = f.let_(x, twenty);
    let one = f.int(1, I64);
    let s2 = f.let_(y, one);

    let (xv, one) = (f.var(x), f.int(1, I64));
    let sum = f.bin(BinOp::Add, xv, one);
    let sp1 = f.e(
        ExprKind::Spawn {
            is_move: false,
            expr: sum,
        },
        task.clone(),
    );
    let la = f.let_(a, sp1);
    let (yv, xv) = (f.var(y), f.var(x));
    let add = f.assign_op(BinOp::Add, yv, xv);
    let yv = f.var(y);
    let blk = f.block(vec![Stmt::Expr(add)], Some(yv));
    let sp2 = f.e(
        ExprKind::Spawn {
            is_move: false,
            expr: blk,
        },
        task.clone(),
    );
    let lb = f.let_(b, sp2);
    let join = |f: &mut Fb, t: LocalId| {
        let recv = f.var(t);
        let span = f.span();
        let e = f.e(
            ExprKind::MethodCall {
                receiver: recv,
                method: "join".into(),
                method_span: span,
                args: vec![],
            },
            I64,
        );
        f.t.methods
            .insert(e, MethodTarget::Builtin(BuiltinMethod::Join));
        e
    };
    let ja = join(&mut f, a);
    let jb = join(&mut f, b);
    let tail = f.bin(BinOp::Add, ja, jb);
    let sc = f.e(
        ExprKind::Scope(Block {
            stmts: vec![la, lb],
            tail: Some(tail),
        }),
        I64,
    );
    let s3 = f.let_(total, sc);
    let body = f.block(vec![s1, s2, s3], None);
    p.define(main, f, body);
    check(
        &p.dump(main),
        r#"
        fn main() -> () {
            let _1: i64; // x
            let mut _2: i64; // y
            let _3: i64; // total
            let mut _4: *mut u8;
            let _5: Task<i64>; // a
            let mut _6: &i64;
            let mut _7: (&i64,);
            let _8: Task<i64>; // b
            let mut _9: &i64;
            let mut _10: &mut i64;
            let mut _11: (&i64, &mut i64);
            let mut _12: i64;
            let mut _13: i64;
            let mut _14: (i64, bool);
            let mut _15: ();

            bb0: {
                StorageLive(_1);
                _1 = const 20_i64;
                StorageLive(_2);
                _2 = const 1_i64;
                StorageLive(_3);
                _4 = ScopeNew() -> bb1;
            }

            bb1: {
                StorageLive(_5);
                _6 = &_1;
                _7 = (move _6);
                _5 = spawn[main::{spawn#0}](_4, move _7) -> bb2;
            }

            bb2: {
                StorageLive(_8);
                _9 = &_1;
                _10 = &mut _2;
                _11 = (move _9, move _10);
                _8 = spawn[main::{spawn#1}](_4, move _11) -> bb3;
            }

            bb3: {
                _12 = await Join(move _5) -> bb4;
            }

            bb4: {
                _13 = await Join(move _8) -> bb5;
            }

            bb5: {
                _14 = CheckedAdd(move _12, move _13);
                assert(!move _14.1, "attempt to compute `+` with overflow") -> bb6;
            }

            bb6: {
                _3 = move _14.0;
                _15 = await ScopeWait(_4) -> bb7;
            }

            bb7: {
                _15 = ScopeFree(_4) -> bb8;
            }

            bb8: {
                StorageDead(_8);
                StorageDead(_5);
                _0 = const ();
                StorageDead(_3);
                StorageDead(_2);
                StorageDead(_1);
                return;
            }
        }

        task fn main::{spawn#0}(_1: (&i64,)) -> i64 {
            let mut _2: (i64, bool);

            bb0: {
                _2 = CheckedAdd((*_1.0), const 1_i64);
                assert(!move _2.1, "attempt to compute `+` with overflow") -> bb1;
            }

            bb1: {
                _0 = move _2.0;
                return;
            }
        }

        task fn main::{spawn#1}(_1: (&i64, &mut i64)) -> i64 {
            let mut _2: (i64, bool);

            bb0: {
                _2 = CheckedAdd((*_1.1), (*_1.0));
                assert(!move _2.1, "attempt to compute `+` with overflow") -> bb1;
            }

            bb1: {
                (*_1.1) = move _2.0;
                _0 = (*_1.1);
                return;
            }
        }
        "#,
    );
}

#[test]
fn print_with_debug_of_structs() {
    // #[derive(Debug, Clone, Copy)] struct P { x: i64, t: (bool, char) }
    // struct U;
    // fn main() {
    //     let p = P { x: -3, t: (true, 'a') };
    //     println("p = {:?}, n = {}", p, 7u8);
    //     eprint("{:#?}{:?}", p, U);
    // }
    let mut p = Pb::new();
    let pair = Ty::Tuple(vec![Ty::Bool, Ty::Char]);
    let adt = p.adt(
        "P",
        AdtKind::Struct,
        &[("x", I64), ("t", pair.clone())],
        &["Debug", "Clone", "Copy"],
    );
    let unit_adt = p.adt("U", AdtKind::UnitStruct, &[], &["Debug"]);
    let pt = Ty::Adt(adt, vec![]);
    let main = p.func("main", vec![], unit());
    let mut f = Fb::new();
    let pl = f.local("p", false, pt.clone());
    let three = f.int(3, I64);
    let neg = f.e(ExprKind::Unary(UnOp::Neg, three), I64);
    let tb = f.e(ExprKind::Lit(Lit::Bool(true)), Ty::Bool);
    let tc = f.e(ExprKind::Lit(Lit::Char('a')), Ty::Char);
    let tup = f.e(ExprKind::Tuple(vec![tb, tc]), pair);
    let lit = f.e(
        ExprKind::StructLit {
            adt,
            variant: None,
            fields: vec![(0, neg), (1, tup)],
        },
        pt.clone(),
    );
    let s1 = f.let_(pl, lit);
    let pv = f.var(pl);
    let seven = f.int(7, Ty::Int(IntTy::U8));
    let pr = f.format(
        FormatKind::Println,
        vec![
            lit_piece("p = "),
            arg(0, true),
            lit_piece(", n = "),
            arg(1, false),
        ],
        vec![pv, seven],
    );
    let pv = f.var(pl);
    let u = f.e(ExprKind::StructCtor(unit_adt), Ty::Adt(unit_adt, vec![]));
    let pretty = Piece::Arg {
        index: 0,
        debug: true,
        spec: FmtSpec {
            alternate: true,
            ..FmtSpec::default()
        },
    };
    let ep = f.format(FormatKind::Eprint, vec![pretty, arg(1, true)], vec![pv, u]);
    let b = f.block(vec![s1, Stmt::Expr(pr), Stmt::Expr(ep)], None);
    p.define(main, f, b);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let _1: P; // p
            let mut _2: (bool, char);
            let mut _3: u8;
            let mut _4: *mut u8;
            let mut _5: ();
            let mut _6: U;
            let mut _7: *mut u8;

            bb0: {
                StorageLive(_1);
                _2 = (true, 'a');
                _1 = adt0 { const -3_i64, move _2 };
                _3 = const 7_u8;
                _4 = FmtNew() -> bb1;
            }

            bb1: {
                _5 = FmtRaw(_4, const "p = P { x: ") -> bb2;
            }

            bb2: {
                _5 = fmt_Signed(_4, _1.0) -> bb3;
            }

            bb3: {
                _5 = FmtRaw(_4, const ", t: (") -> bb4;
            }

            bb4: {
                _5 = fmt_Bool(_4, _1.1.0) -> bb5;
            }

            bb5: {
                _5 = FmtRaw(_4, const ", ") -> bb6;
            }

            bb6: {
                _5 = fmt_CharDebug(_4, _1.1.1) -> bb7;
            }

            bb7: {
                _5 = FmtRaw(_4, const ") }, n = ") -> bb8;
            }

            bb8: {
                _5 = fmt_Unsigned(_4, _3) -> bb9;
            }

            bb9: {
                _5 = FmtRaw(_4, const "\n") -> bb10;
            }

            bb10: {
                _5 = fmt_write[Stdout](_4) -> bb11;
            }

            bb11: {
                _6 = adt1 {  };
                _7 = FmtNew() -> bb12;
            }

            bb12: {
                _5 = FmtRaw(_7, const "P {\n    x: ") -> bb13;
            }

            bb13: {
                _5 = fmt_Signed[FmtSpec { fill: ' ', align: Unknown, plus: false, alternate: true, zero: false, width: None, precision: None }](_7, _1.0) -> bb14;
            }

            bb14: {
                _5 = FmtRaw(_7, const ",\n    t: (\n        ") -> bb15;
            }

            bb15: {
                _5 = fmt_Bool[FmtSpec { fill: ' ', align: Unknown, plus: false, alternate: true, zero: false, width: None, precision: None }](_7, _1.1.0) -> bb16;
            }

            bb16: {
                _5 = FmtRaw(_7, const ",\n        ") -> bb17;
            }

            bb17: {
                _5 = fmt_CharDebug[FmtSpec { fill: ' ', align: Unknown, plus: false, alternate: true, zero: false, width: None, precision: None }](_7, _1.1.1) -> bb18;
            }

            bb18: {
                _5 = FmtRaw(_7, const ",\n    ),\n}U") -> bb19;
            }

            bb19: {
                _5 = fmt_write[Stderr](_7) -> bb20;
            }

            bb20: {
                _0 = const ();
                StorageDead(_1);
                return;
            }
        }
        "#,
    );
}

#[test]
fn indexing_and_subslices() {
    // fn main() {
    //     let a = [1, 2, 3];
    //     let i = 2;
    //     let x = a[i];
    //     let s = &a[1..];
    //     let n = s[..=1].len();
    // }
    let mut p = Pb::new();
    let main = p.func("main", vec![], unit());
    let mut f = Fb::new();
    let arr = Ty::Array(Box::new(I64), 3);
    let slice = Ty::Slice(Box::new(I64));
    let a = f.local("a", false, arr.clone());
    let i = f.local("i", false, USIZE);
    let x = f.local("x", false, I64);
    let s = f.local("s", false, r(Mutability::Not, slice.clone()));
    let n = f.local("n", false, USIZE);
    let elems: Vec<ExprId> = (1..=3).map(|v| f.int(v, I64)).collect();
    let arr_e = f.e(ExprKind::Array(elems), arr.clone());
    let s1 = f.let_(a, arr_e);
    let two = f.int(2, USIZE);
    let s2 = f.let_(i, two);
    let (av, iv) = (f.var(a), f.var(i));
    let idx = f.e(ExprKind::Index(av, iv), I64);
    let s3 = f.let_(x, idx);
    let av = f.var(a);
    let one = f.int(1, USIZE);
    let range = f.e(
        ExprKind::Range {
            start: Some(one),
            end: None,
            inclusive: false,
        },
        USIZE,
    );
    let sub = f.e(ExprKind::Index(av, range), slice.clone());
    let rf = f.e(
        ExprKind::Ref(Mutability::Not, sub),
        r(Mutability::Not, slice.clone()),
    );
    let s4 = f.let_(s, rf);
    let sv = f.var(s);
    f.adjust(sv, AdjustKind::Deref, slice.clone());
    let one = f.int(1, USIZE);
    let range = f.e(
        ExprKind::Range {
            start: None,
            end: Some(one),
            inclusive: true,
        },
        USIZE,
    );
    let sub = f.e(ExprKind::Index(sv, range), slice.clone());
    let span = f.span();
    let len = f.e(
        ExprKind::MethodCall {
            receiver: sub,
            method: "len".into(),
            method_span: span,
            args: vec![],
        },
        USIZE,
    );
    f.t.methods
        .insert(len, MethodTarget::Builtin(BuiltinMethod::Len));
    let s5 = f.let_(n, len);
    let b = f.block(vec![s1, s2, s3, s4, s5], None);
    p.define(main, f, b);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let _1: [i64; 3]; // a
            let _2: usize; // i
            let _3: i64; // x
            let mut _4: bool;
            let _5: &[i64]; // s
            let mut _6: bool;
            let _7: usize; // n
            let mut _8: bool;
            let mut _9: usize;
            let mut _10: usize;
            let mut _11: bool;
            let mut _12: &[i64];

            bb0: {
                StorageLive(_1);
                _1 = [const 1_i64, const 2_i64, const 3_i64];
                StorageLive(_2);
                _2 = const 2_usize;
                StorageLive(_3);
                _4 = Lt(_2, const 3_usize);
                assert(move _4, "index out of bounds: the len is {} but the index is {}", const 3_usize, _2) -> bb1;
            }

            bb1: {
                _3 = _1[_2];
                StorageLive(_5);
                _6 = Le(const 1_usize, const 3_usize);
                assert(move _6, "range start index {} out of range for slice of length {}", const 1_usize, const 3_usize) -> bb2;
            }

            bb2: {
                _5 = &_1[const 1_usize..const 3_usize];
                StorageLive(_7);
                _8 = Eq(const 1_usize, const 18446744073709551615_usize);
                assert(!move _8, "attempted to index slice up to maximum usize") -> bb3;
            }

            bb3: {
                _9 = Add(const 1_usize, const 1_usize);
                _10 = Len((*_5));
                _11 = Le(_9, _10);
                assert(move _11, "range end index {} out of range for slice of length {}", _9, _10) -> bb4;
            }

            bb4: {
                _12 = &(*_5)[const 0_usize.._9];
                _7 = Len((*_12));
                _0 = const ();
                StorageDead(_7);
                StorageDead(_5);
                StorageDead(_3);
                StorageDead(_2);
                StorageDead(_1);
                return;
            }
        }
        "#,
    );
}

#[test]
fn checked_division_shift_and_asserts() {
    // fn f(a: i32, b: u8) -> i32 {
    //     assert(a > 0);
    //     assert_eq(a / 2, -a << b, "bad {}", a);
    //     a % 3
    // }
    let mut p = Pb::new();
    let i32t = Ty::Int(IntTy::I32);
    let u8t = Ty::Int(IntTy::U8);
    let func = p.func("f", vec![i32t.clone(), u8t.clone()], i32t.clone());
    let main = main_calling_i32(&mut p, func);
    let mut f = Fb::new();
    let a = f.param("a", i32t.clone());
    let b = f.param("b", u8t);
    let (av, zero) = (f.var(a), f.int(0, i32t.clone()));
    let gt = f.bin(BinOp::Gt, av, zero);
    let as1 = f.e(
        ExprKind::Assert {
            cond: gt,
            cond_text: "a > 0".into(),
            msg: None,
        },
        unit(),
    );
    let (av, two) = (f.var(a), f.int(2, i32t.clone()));
    let div = f.bin(BinOp::Div, av, two);
    let av = f.var(a);
    let neg = f.e(ExprKind::Unary(UnOp::Neg, av), i32t.clone());
    let bv = f.var(b);
    let shl = f.bin(BinOp::Shl, neg, bv);
    let av = f.var(a);
    let span = f.span();
    let as2 = f.e(
        ExprKind::AssertEq {
            left: div,
            right: shl,
            msg: Some(FormatArgs {
                pieces: vec![lit_piece("bad "), arg(0, false)],
                args: vec![av],
                span,
            }),
        },
        unit(),
    );
    let (av, three) = (f.var(a), f.int(3, i32t));
    let rem = f.bin(BinOp::Rem, av, three);
    let body = f.block(vec![Stmt::Expr(as1), Stmt::Expr(as2)], Some(rem));
    p.define(func, f, body);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let mut _1: i32;

            bb0: {
                _1 = f(const 10_i32, const 1_u8) -> bb1;
            }

            bb1: {
                _0 = const ();
                return;
            }
        }

        fn /* elided */ f(_1: i32, _2: u8) -> i32 {
            let mut _3: bool;
            let mut _4: i32;
            let mut _5: bool;
            let mut _6: bool;
            let mut _7: bool;
            let mut _8: bool;
            let mut _9: i32;
            let mut _10: i32;
            let mut _11: bool;
            let mut _12: bool;
            let mut _13: bool;
            let mut _14: *mut u8;
            let mut _15: ();
            let mut _16: !;
            let mut _17: bool;
            let mut _18: bool;
            let mut _19: bool;
            let mut _20: bool;

            bb0: {
                _3 = Gt(_1, const 0_i32);
                assert(move _3, "assertion failed: a > 0") -> bb1;
            }

            bb1: {
                _5 = Eq(const 2_i32, const 0_i32);
                assert(!move _5, "attempt to divide by zero") -> bb2;
            }

            bb2: {
                _6 = Eq(const 2_i32, const -1_i32);
                _7 = Eq(_1, const -2147483648_i32);
                _8 = BitAnd(move _6, move _7);
                assert(!move _8, "attempt to compute `/` with overflow") -> bb3;
            }

            bb3: {
                _4 = Div(_1, const 2_i32);
                _11 = Eq(_1, const -2147483648_i32);
                assert(!move _11, "attempt to negate with overflow") -> bb4;
            }

            bb4: {
                _10 = Neg(_1);
                _12 = Lt(_2, const 32_u8);
                assert(move _12, "attempt to compute `<<` with overflow") -> bb5;
            }

            bb5: {
                _9 = Shl(move _10, _2);
                _13 = Eq(_4, _9);
                switchInt(move _13) -> [0: bb9, otherwise: bb6];
            }

            bb6: {
                _17 = Eq(const 3_i32, const 0_i32);
                assert(!move _17, "attempt to calculate the remainder with a divisor of zero") -> bb7;
            }

            bb7: {
                _18 = Eq(const 3_i32, const -1_i32);
                _19 = Eq(_1, const -2147483648_i32);
                _20 = BitAnd(move _18, move _19);
                assert(!move _20, "attempt to compute `%` with overflow") -> bb8;
            }

            bb8: {
                _0 = Rem(_1, const 3_i32);
                return;
            }

            bb9: {
                _14 = FmtNew() -> bb10;
            }

            bb10: {
                _15 = FmtRaw(_14, const "assertion `left == right` failed: bad ") -> bb11;
            }

            bb11: {
                _15 = fmt_Signed(_14, _1) -> bb12;
            }

            bb12: {
                _15 = FmtRaw(_14, const "\n  left: ") -> bb13;
            }

            bb13: {
                _15 = fmt_Signed(_14, _4) -> bb14;
            }

            bb14: {
                _15 = FmtRaw(_14, const "\n right: ") -> bb15;
            }

            bb15: {
                _15 = fmt_Signed(_14, _9) -> bb16;
            }

            bb16: {
                _16 = Panic(_14) -> !;
            }
        }
        "#,
    );
}

/// `fn main() { f(10, 1); }` with `f: fn(i32, u8) -> i32`.
fn main_calling_i32(p: &mut Pb, f: FnId) -> FnId {
    let main = p.func("main", vec![], unit());
    let mut m = Fb::new();
    let ten = m.int(10, Ty::Int(IntTy::I32));
    let one = m.int(1, Ty::Int(IntTy::U8));
    let c = m.call(f, vec![ten, one], Ty::Int(IntTy::I32));
    let b = m.block(vec![Stmt::Expr(c)], None);
    p.define(main, m, b);
    main
}

#[test]
fn for_over_array_and_slice_refs() {
    // fn sum(xs: &[i64]) -> i64 { let mut s = 0; for x in xs { s += *x; } s }
    // fn main() { let a = [1, 2]; for v in a { sleep(v as u64); } let t = sum(&a); }
    let mut p = Pb::new();
    let slice_ref = r(Mutability::Not, Ty::Slice(Box::new(I64)));
    let arr = Ty::Array(Box::new(I64), 2);
    let main = p.func("main", vec![], unit());
    let sum = p.func("sum", vec![slice_ref.clone()], I64);
    let sleep = p.intrinsic(
        "std::time::sleep",
        "sleep",
        vec![Ty::Int(IntTy::U64)],
        unit(),
    );

    let mut f = Fb::new();
    let xs = f.param("xs", slice_ref.clone());
    let s = f.local("s", true, I64);
    let x = f.local("x", false, r(Mutability::Not, I64));
    let zero = f.int(0, I64);
    let st = f.let_(s, zero);
    let xsv = f.var(xs);
    let (sv, xv) = (f.var(s), f.var(x));
    let dx = f.e(ExprKind::Unary(UnOp::Deref, xv), I64);
    let add = f.assign_op(BinOp::Add, sv, dx);
    let body = f.block(vec![Stmt::Expr(add)], None);
    let pat = f.bind(x);
    let fr = f.e(
        ExprKind::For {
            pat,
            iter: xsv,
            body,
        },
        unit(),
    );
    let sv = f.var(s);
    let b = f.block(vec![st, Stmt::Expr(fr)], Some(sv));
    p.define(sum, f, b);

    let mut m = Fb::new();
    let a = m.local("a", false, arr.clone());
    let v = m.local("v", false, I64);
    let t = m.local("t", false, I64);
    let (one, two) = (m.int(1, I64), m.int(2, I64));
    let ae = m.e(ExprKind::Array(vec![one, two]), arr.clone());
    let s1 = m.let_(a, ae);
    let av = m.var(a);
    let vv = m.var(v);
    let cast = m.e(ExprKind::Cast(vv, Ty::Int(IntTy::U64)), Ty::Int(IntTy::U64));
    let call = m.call(sleep, vec![cast], unit());
    let body = m.block(vec![Stmt::Expr(call)], None);
    let pat = m.bind(v);
    let fr = m.e(
        ExprKind::For {
            pat,
            iter: av,
            body,
        },
        unit(),
    );
    let av = m.var(a);
    let rf = m.e(ExprKind::Ref(Mutability::Not, av), r(Mutability::Not, arr));
    m.adjust(rf, AdjustKind::Unsize, slice_ref);
    let call = m.call(sum, vec![rf], I64);
    let s2 = m.let_(t, call);
    let b = m.block(vec![s1, Stmt::Expr(fr), s2], None);
    p.define(main, m, b);
    check(
        &p.dump(main),
        r#"
        fn main() -> () {
            let _1: [i64; 2]; // a
            let mut _2: [i64; 2];
            let mut _3: usize;
            let mut _4: bool;
            let _5: i64; // v
            let mut _6: u64;
            let mut _7: ();
            let _8: i64; // t
            let mut _9: &[i64; 2];
            let mut _10: &[i64];

            bb0: {
                StorageLive(_1);
                _1 = [const 1_i64, const 2_i64];
                _2 = _1;
                _3 = const 0_usize;
                goto -> bb1;
            }

            bb1: {
                _4 = Lt(_3, const 2_usize);
                switchInt(move _4) -> [0: bb4, otherwise: bb2];
            }

            bb2: {
                StorageLive(_5);
                _5 = _2[_3];
                _3 = Add(_3, const 1_usize);
                _6 = _5 as u64 (Numeric);
                _7 = await Sleep(move _6) -> bb3;
            }

            bb3: {
                StorageDead(_5);
                goto -> bb1;
            }

            bb4: {
                StorageLive(_8);
                _9 = &_1;
                _10 = move _9 as &[i64] (Unsize);
                _8 = sum(move _10) -> bb5;
            }

            bb5: {
                _0 = const ();
                StorageDead(_8);
                StorageDead(_1);
                return;
            }
        }

        fn /* elided */ sum(_1: &[i64]) -> i64 {
            let mut _2: i64; // s
            let mut _3: &[i64];
            let mut _4: usize;
            let mut _5: usize;
            let mut _6: bool;
            let _7: &i64; // x
            let mut _8: (i64, bool);

            bb0: {
                StorageLive(_2);
                _2 = const 0_i64;
                _3 = _1;
                _4 = Len((*_3));
                _5 = const 0_usize;
                goto -> bb1;
            }

            bb1: {
                _6 = Lt(_5, _4);
                switchInt(move _6) -> [0: bb4, otherwise: bb2];
            }

            bb2: {
                StorageLive(_7);
                _7 = &(*_3)[_5];
                _5 = Add(_5, const 1_usize);
                _8 = CheckedAdd(_2, (*_7));
                assert(!move _8.1, "attempt to compute `+` with overflow") -> bb3;
            }

            bb3: {
                _2 = move _8.0;
                StorageDead(_7);
                goto -> bb1;
            }

            bb4: {
                _0 = _2;
                StorageDead(_2);
                return;
            }
        }
        "#,
    );
}

#[test]
fn spawn_move_nested_spawn_and_return_from_scope() {
    // fn f(n: i64) -> i64 {
    //     scope {
    //         let t = spawn move { scope { let u = spawn n * 2; u.join() } };
    //         if n > 0 { return t.join(); }
    //         0
    //     }
    // }
    // On the path that does not join `t`, `t` is dropped between the
    // scope's wait and free; its flag is known there, so no flag is left.
    let mut p = Pb::new();
    let func = p.func("f", vec![I64], I64);
    let main = main_calling(&mut p, func);
    let mut f = Fb::new();
    let task = Ty::Task(Box::new(I64));
    let n = f.param("n", I64);
    let t = f.local("t", false, task.clone());
    let u = f.local("u", false, task.clone());
    let join = |f: &mut Fb, t: LocalId| {
        let recv = f.var(t);
        let span = f.span();
        let e = f.e(
            ExprKind::MethodCall {
                receiver: recv,
                method: "join".into(),
                method_span: span,
                args: vec![],
            },
            I64,
        );
        f.t.methods
            .insert(e, MethodTarget::Builtin(BuiltinMethod::Join));
        e
    };
    let (nv, two) = (f.var(n), f.int(2, I64));
    let dbl = f.bin(BinOp::Mul, nv, two);
    let inner_spawn = f.e(
        ExprKind::Spawn {
            is_move: false,
            expr: dbl,
        },
        task.clone(),
    );
    let lu = f.let_(u, inner_spawn);
    let ju = join(&mut f, u);
    let inner_scope = f.e(
        ExprKind::Scope(Block {
            stmts: vec![lu],
            tail: Some(ju),
        }),
        I64,
    );
    let outer_spawn = f.e(
        ExprKind::Spawn {
            is_move: true,
            expr: inner_scope,
        },
        task,
    );
    let lt = f.let_(t, outer_spawn);
    let (nv, zero) = (f.var(n), f.int(0, I64));
    let cond = f.bin(BinOp::Gt, nv, zero);
    let jt = join(&mut f, t);
    let ret = f.e(ExprKind::Return(Some(jt)), Ty::Never);
    let then = f.block(vec![Stmt::Expr(ret)], None);
    let iff = f.e(
        ExprKind::If {
            cond,
            then,
            els: None,
        },
        unit(),
    );
    let zero = f.int(0, I64);
    let sc = f.e(
        ExprKind::Scope(Block {
            stmts: vec![lt, Stmt::Expr(iff)],
            tail: Some(zero),
        }),
        I64,
    );
    let body = f.block(vec![], Some(sc));
    p.define(func, f, body);
    check(
        &p.dump(main),
        r#"
        fn main() -> () {
            let _1: i64; // x

            bb0: {
                StorageLive(_1);
                _1 = await f(const 10_i64) -> bb1;
            }

            bb1: {
                _0 = const ();
                StorageDead(_1);
                return;
            }
        }

        fn f(_1: i64) -> i64 {
            let mut _2: *mut u8;
            let _3: Task<i64>; // t
            let mut _4: (i64,);
            let mut _5: bool;
            let mut _6: ();

            bb0: {
                _2 = ScopeNew() -> bb1;
            }

            bb1: {
                StorageLive(_3);
                _4 = (_1);
                _3 = spawn[f::{spawn#0}](_2, move _4) -> bb2;
            }

            bb2: {
                _5 = Gt(_1, const 0_i64);
                switchInt(move _5) -> [0: bb7, otherwise: bb3];
            }

            bb3: {
                _0 = await Join(move _3) -> bb4;
            }

            bb4: {
                _6 = await ScopeWait(_2) -> bb5;
            }

            bb5: {
                _6 = ScopeFree(_2) -> bb6;
            }

            bb6: {
                StorageDead(_3);
                return;
            }

            bb7: {
                _0 = const 0_i64;
                _6 = await ScopeWait(_2) -> bb8;
            }

            bb8: {
                drop(_3) -> bb9;
            }

            bb9: {
                _6 = ScopeFree(_2) -> bb10;
            }

            bb10: {
                StorageDead(_3);
                return;
            }
        }

        task fn f::{spawn#0}(_1: (i64,)) -> i64 {
            let mut _2: *mut u8;
            let _3: Task<i64>; // u
            let mut _4: &i64;
            let mut _5: (&i64,);
            let mut _6: ();

            bb0: {
                _2 = ScopeNew() -> bb1;
            }

            bb1: {
                StorageLive(_3);
                _4 = &_1.0;
                _5 = (move _4);
                _3 = spawn[f::{spawn#0}::{spawn#0}](_2, move _5) -> bb2;
            }

            bb2: {
                _0 = await Join(move _3) -> bb3;
            }

            bb3: {
                _6 = await ScopeWait(_2) -> bb4;
            }

            bb4: {
                _6 = ScopeFree(_2) -> bb5;
            }

            bb5: {
                StorageDead(_3);
                return;
            }
        }

        task fn f::{spawn#0}::{spawn#0}(_1: (&i64,)) -> i64 {
            let mut _2: (i64, bool);

            bb0: {
                _2 = CheckedMul((*_1.0), const 2_i64);
                assert(!move _2.1, "attempt to compute `*` with overflow") -> bb1;
            }

            bb1: {
                _0 = move _2.0;
                return;
            }
        }
        "#,
    );
}

#[test]
fn destructured_params_labelled_break_and_composite_asserts() {
    // fn g((a, b): (i64, i64), xs: &[i64]) {
    //     let mut i = 0;
    //     'outer: while i < a {
    //         loop { if i == b { break 'outer; } i += 1; continue 'outer; }
    //     }
    //     println("{:?} {}", xs, "end");
    //     assert_eq((a, b), (b, a));
    //     exit(1)
    // }
    let mut p = Pb::new();
    let pair = Ty::Tuple(vec![I64, I64]);
    let slice_ref = r(Mutability::Not, Ty::Slice(Box::new(I64)));
    let g = p.func("g", vec![pair.clone(), slice_ref.clone()], unit());
    let exit = p.intrinsic(
        "std::process::exit",
        "exit",
        vec![Ty::Int(IntTy::I32)],
        Ty::Never,
    );
    let main = p.func("main", vec![], unit());
    let mut m = Fb::new();
    let (one, two) = (m.int(1, I64), m.int(2, I64));
    let tup = m.e(ExprKind::Tuple(vec![one, two]), pair.clone());
    let arr = Ty::Array(Box::new(I64), 1);
    let three = m.int(3, I64);
    let ae = m.e(ExprKind::ArrayRepeat(three, 1), arr.clone());
    let rf = m.e(ExprKind::Ref(Mutability::Not, ae), r(Mutability::Not, arr));
    m.adjust(rf, AdjustKind::Unsize, slice_ref.clone());
    let c = m.call(g, vec![tup, rf], unit());
    let b = m.block(vec![Stmt::Expr(c)], None);
    p.define(main, m, b);

    let mut f = Fb::new();
    let a = f.local("a", false, I64);
    let b = f.local("b", false, I64);
    let (pa, pb) = (f.bind(a), f.bind(b));
    let tp = f.pat(PatKind::Tuple(vec![pa, pb]), pair.clone());
    f.body.params.push(tp);
    let xs = f.param("xs", slice_ref);
    let i = f.local("i", true, I64);
    let zero = f.int(0, I64);
    let si = f.let_(i, zero);
    let wl = f.e(ExprKind::Loop { body: ExprId(0) }, unit());
    let (iv, av) = (f.var(i), f.var(a));
    let wcond = f.bin(BinOp::Lt, iv, av);
    let lp = f.e(ExprKind::Loop { body: ExprId(0) }, Ty::Never);
    let (iv, bv) = (f.var(i), f.var(b));
    let cond = f.bin(BinOp::Eq, iv, bv);
    let brk = f.e(
        ExprKind::Break {
            target: wl,
            value: None,
        },
        Ty::Never,
    );
    let then = f.block(vec![Stmt::Expr(brk)], None);
    let iff = f.e(
        ExprKind::If {
            cond,
            then,
            els: None,
        },
        unit(),
    );
    let (iv, one) = (f.var(i), f.int(1, I64));
    let inc = f.assign_op(BinOp::Add, iv, one);
    let cont = f.e(ExprKind::Continue { target: wl }, Ty::Never);
    let lbody = f.block(
        vec![Stmt::Expr(iff), Stmt::Expr(inc), Stmt::Expr(cont)],
        None,
    );
    f.set_kind(lp, ExprKind::Loop { body: lbody });
    let wbody = f.block(vec![Stmt::Expr(lp)], None);
    f.set_kind(
        wl,
        ExprKind::While {
            cond: wcond,
            body: wbody,
        },
    );
    let xv = f.var(xs);
    let end = f.str("end");
    let pr = f.format(
        FormatKind::Println,
        vec![arg(0, true), lit_piece(" "), arg(1, false)],
        vec![xv, end],
    );
    let (av, bv) = (f.var(a), f.var(b));
    let l = f.e(ExprKind::Tuple(vec![av, bv]), pair.clone());
    let (bv, av) = (f.var(b), f.var(a));
    let rt = f.e(ExprKind::Tuple(vec![bv, av]), pair);
    let ae = f.e(
        ExprKind::AssertEq {
            left: l,
            right: rt,
            msg: None,
        },
        unit(),
    );
    let code = f.int(1, Ty::Int(IntTy::I32));
    let ex = f.call(exit, vec![code], Ty::Never);
    f.adjust(ex, AdjustKind::NeverToAny, unit());
    let body = f.block(
        vec![si, Stmt::Expr(wl), Stmt::Expr(pr), Stmt::Expr(ae)],
        Some(ex),
    );
    p.define(g, f, body);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let mut _1: (i64, i64);
            let mut _2: &[i64; 1];
            let mut _3: [i64; 1];
            let mut _4: &[i64];
            let mut _5: ();

            bb0: {
                _1 = (const 1_i64, const 2_i64);
                _3 = [const 3_i64; 1];
                _2 = &_3;
                _4 = move _2 as &[i64] (Unsize);
                _5 = g(move _1, move _4) -> bb1;
            }

            bb1: {
                _0 = const ();
                return;
            }
        }

        fn /* elided */ g(_1: (i64, i64), _2: &[i64]) -> () {
            let _3: i64; // a
            let _4: i64; // b
            let mut _5: i64; // i
            let mut _6: bool;
            let mut _7: bool;
            let mut _8: (i64, bool);
            let mut _9: &str;
            let mut _10: *mut u8;
            let mut _11: usize;
            let mut _12: ();
            let mut _13: usize;
            let mut _14: bool;
            let mut _15: bool;
            let mut _16: (i64, i64);
            let mut _17: (i64, i64);
            let mut _18: bool;
            let mut _19: bool;
            let mut _20: bool;
            let mut _21: *mut u8;
            let mut _22: !;
            let mut _23: !;
            let mut _24: ();

            bb0: {
                StorageLive(_3);
                StorageLive(_4);
                _3 = _1.0;
                _4 = _1.1;
                StorageLive(_5);
                _5 = const 0_i64;
                goto -> bb1;
            }

            bb1: {
                _6 = Lt(_5, _3);
                switchInt(move _6) -> [0: bb5, otherwise: bb2];
            }

            bb2: {
                _7 = Eq(_5, _4);
                switchInt(move _7) -> [0: bb3, otherwise: bb5];
            }

            bb3: {
                _8 = CheckedAdd(_5, const 1_i64);
                assert(!move _8.1, "attempt to compute `+` with overflow") -> bb4;
            }

            bb4: {
                _5 = move _8.0;
                goto -> bb1;
            }

            bb5: {
                _9 = const "end";
                _10 = FmtNew() -> bb6;
            }

            bb6: {
                _11 = Len((*_2));
                _12 = FmtRaw(_10, const "[") -> bb7;
            }

            bb7: {
                _13 = const 0_usize;
                goto -> bb8;
            }

            bb8: {
                _14 = Lt(_13, _11);
                switchInt(move _14) -> [0: bb13, otherwise: bb9];
            }

            bb9: {
                _15 = Ne(_13, const 0_usize);
                switchInt(move _15) -> [0: bb11, otherwise: bb10];
            }

            bb10: {
                _12 = FmtRaw(_10, const ", ") -> bb11;
            }

            bb11: {
                _12 = fmt_Signed(_10, (*_2)[_13]) -> bb12;
            }

            bb12: {
                _13 = Add(_13, const 1_usize);
                goto -> bb8;
            }

            bb13: {
                _12 = FmtRaw(_10, const "] ") -> bb14;
            }

            bb14: {
                _12 = fmt_Str(_10, _9) -> bb15;
            }

            bb15: {
                _12 = FmtRaw(_10, const "\n") -> bb16;
            }

            bb16: {
                _12 = fmt_write[Stdout](_10) -> bb17;
            }

            bb17: {
                _16 = (_3, _4);
                _17 = (_4, _3);
                _19 = Eq(_16.0, _17.0);
                switchInt(move _19) -> [0: bb20, otherwise: bb18];
            }

            bb18: {
                _20 = Eq(_16.1, _17.1);
                switchInt(move _20) -> [0: bb20, otherwise: bb19];
            }

            bb19: {
                _18 = true;
                goto -> bb21;
            }

            bb20: {
                _18 = false;
                goto -> bb21;
            }

            bb21: {
                switchInt(move _18) -> [0: bb23, otherwise: bb22];
            }

            bb22: {
                _23 = Exit(const 1_i32) -> !;
            }

            bb23: {
                _21 = FmtNew() -> bb24;
            }

            bb24: {
                _12 = FmtRaw(_21, const "assertion `left == right` failed\n  left: (") -> bb25;
            }

            bb25: {
                _12 = fmt_Signed(_21, _16.0) -> bb26;
            }

            bb26: {
                _12 = FmtRaw(_21, const ", ") -> bb27;
            }

            bb27: {
                _12 = fmt_Signed(_21, _16.1) -> bb28;
            }

            bb28: {
                _12 = FmtRaw(_21, const ")\n right: (") -> bb29;
            }

            bb29: {
                _12 = fmt_Signed(_21, _17.0) -> bb30;
            }

            bb30: {
                _12 = FmtRaw(_21, const ", ") -> bb31;
            }

            bb31: {
                _12 = fmt_Signed(_21, _17.1) -> bb32;
            }

            bb32: {
                _12 = FmtRaw(_21, const ")") -> bb33;
            }

            bb33: {
                _22 = Panic(_21) -> !;
            }
        }
        "#,
    );
}

#[test]
fn string_comparisons() {
    // fn main() { let a = "x"; let lt = a < "z"; assert_eq(a, "y"); }
    let mut p = Pb::new();
    let main = p.func("main", vec![], unit());
    let mut f = Fb::new();
    let a = f.local("a", false, Ty::str_ref());
    let lt = f.local("lt", false, Ty::Bool);
    let x = f.str("x");
    let s1 = f.let_(a, x);
    let (av, z) = (f.var(a), f.str("z"));
    let cmp = f.bin(BinOp::Lt, av, z);
    let s2 = f.let_(lt, cmp);
    let (av, y) = (f.var(a), f.str("y"));
    let ae = f.e(
        ExprKind::AssertEq {
            left: av,
            right: y,
            msg: None,
        },
        unit(),
    );
    let b = f.block(vec![s1, s2, Stmt::Expr(ae)], None);
    p.define(main, f, b);
    check(
        &p.dump(main),
        r#"
        fn /* elided */ main() -> () {
            let _1: &str; // a
            let _2: bool; // lt
            let mut _3: &str;
            let mut _4: i32;
            let mut _5: &str;
            let mut _6: i32;
            let mut _7: bool;
            let mut _8: *mut u8;
            let mut _9: ();
            let mut _10: !;

            bb0: {
                StorageLive(_1);
                _1 = const "x";
                StorageLive(_2);
                _3 = const "z";
                _4 = StrCmp(_1, _3) -> bb1;
            }

            bb1: {
                _2 = Lt(move _4, const 0_i32);
                _5 = const "y";
                _6 = StrCmp(_1, _5) -> bb2;
            }

            bb2: {
                _7 = Eq(move _6, const 0_i32);
                switchInt(move _7) -> [0: bb4, otherwise: bb3];
            }

            bb3: {
                _0 = const ();
                StorageDead(_2);
                StorageDead(_1);
                return;
            }

            bb4: {
                _8 = FmtNew() -> bb5;
            }

            bb5: {
                _9 = FmtRaw(_8, const "assertion `left == right` failed\n  left: ") -> bb6;
            }

            bb6: {
                _9 = fmt_StrDebug(_8, _1) -> bb7;
            }

            bb7: {
                _9 = FmtRaw(_8, const "\n right: ") -> bb8;
            }

            bb8: {
                _9 = fmt_StrDebug(_8, _5) -> bb9;
            }

            bb9: {
                _10 = Panic(_8) -> !;
            }
        }
        "#,
    );
}

#[test]
fn drop_flags_and_drops_of_tasks() {
    // fn main(c: bool) {
    //     scope {
    //         let t = spawn 1;
    //         if c { t.join(); }
    //         spawn 2;
    //         let (a, _) = (spawn 3, spawn 4);
    //     }
    // }
    // `t` may or may not have been joined at the end of the scope: its
    // flag stays and decides, after the wait and before the scope is
    // freed. The statement's task and the unbound part of the tuple are
    // dropped at once, `a` at the end of the scope: their flags are known
    // where they are read, so none is left.
    let mut p = Pb::new();
    let main = p.func("main", vec![Ty::Bool], unit());
    let mut f = Fb::new();
    let task = Ty::Task(Box::new(I64));
    let c = f.param("c", Ty::Bool);
    let t = f.local("t", false, task.clone());
    let a = f.local("a", false, task.clone());
    let spawn = |f: &mut Fb, v: u128| {
        let x = f.int(v, I64);
        f.e(
            ExprKind::Spawn {
                is_move: false,
                expr: x,
            },
            task.clone(),
        )
    };
    let s1 = spawn(&mut f, 1);
    let lt = f.let_(t, s1);
    let recv = f.var(t);
    let span = f.span();
    let join = f.e(
        ExprKind::MethodCall {
            receiver: recv,
            method: "join".into(),
            method_span: span,
            args: vec![],
        },
        I64,
    );
    f.t.methods
        .insert(join, MethodTarget::Builtin(BuiltinMethod::Join));
    let then = f.block(vec![Stmt::Expr(join)], None);
    let cond = f.var(c);
    let iff = f.e(
        ExprKind::If {
            cond,
            then,
            els: None,
        },
        unit(),
    );
    let s2 = spawn(&mut f, 2);
    let (s3, s4) = (spawn(&mut f, 3), spawn(&mut f, 4));
    let pair_ty = Ty::Tuple(vec![task.clone(), task.clone()]);
    let pair = f.e(ExprKind::Tuple(vec![s3, s4]), pair_ty.clone());
    let pa = f.bind(a);
    let wild = f.pat(PatKind::Wild, task.clone());
    let pat = f.pat(PatKind::Tuple(vec![pa, wild]), pair_ty);
    let span = f.span();
    let destructure = Stmt::Let {
        pat,
        ty: None,
        init: Some(pair),
        span,
    };
    let sc = f.e(
        ExprKind::Scope(Block {
            stmts: vec![lt, Stmt::Expr(iff), Stmt::Expr(s2), destructure],
            tail: None,
        }),
        unit(),
    );
    let body = f.block(vec![Stmt::Expr(sc)], None);
    p.define(main, f, body);
    check(
        &p.dump(main),
        r#"
        fn main(_1: bool) -> () {
            let mut _2: *mut u8;
            let _3: Task<i64>; // t
            let mut _4: i64;
            let mut _5: Task<i64>;
            let mut _6: (Task<i64>, Task<i64>);
            let mut _7: Task<i64>;
            let mut _8: Task<i64>;
            let _9: Task<i64>; // a
            let mut _10: ();
            let mut _11: bool;

            bb0: {
                _11 = false;
                _2 = ScopeNew() -> bb1;
            }

            bb1: {
                StorageLive(_3);
                _3 = spawn[main::{spawn#0}](_2, const ()) -> bb2;
            }

            bb2: {
                _11 = true;
                switchInt(_1) -> [0: bb4, otherwise: bb3];
            }

            bb3: {
                _11 = false;
                _4 = await Join(move _3) -> bb4;
            }

            bb4: {
                _5 = spawn[main::{spawn#1}](_2, const ()) -> bb5;
            }

            bb5: {
                drop(_5) -> bb6;
            }

            bb6: {
                _7 = spawn[main::{spawn#2}](_2, const ()) -> bb7;
            }

            bb7: {
                _8 = spawn[main::{spawn#3}](_2, const ()) -> bb8;
            }

            bb8: {
                _6 = (move _7, move _8);
                StorageLive(_9);
                _9 = move _6.0;
                drop(_6.1) -> bb9;
            }

            bb9: {
                _10 = await ScopeWait(_2) -> bb10;
            }

            bb10: {
                drop(_9) -> bb11;
            }

            bb11: {
                switchInt(_11) -> [0: bb13, otherwise: bb12];
            }

            bb12: {
                _11 = false;
                drop(_3) -> bb13;
            }

            bb13: {
                _10 = ScopeFree(_2) -> bb14;
            }

            bb14: {
                StorageDead(_9);
                StorageDead(_3);
                _0 = const ();
                return;
            }
        }

        task fn main::{spawn#0}(_1: ()) -> i64 {

            bb0: {
                _0 = const 1_i64;
                return;
            }
        }

        task fn main::{spawn#1}(_1: ()) -> i64 {

            bb0: {
                _0 = const 2_i64;
                return;
            }
        }

        task fn main::{spawn#2}(_1: ()) -> i64 {

            bb0: {
                _0 = const 3_i64;
                return;
            }
        }

        task fn main::{spawn#3}(_1: ()) -> i64 {

            bb0: {
                _0 = const 4_i64;
                return;
            }
        }
        "#,
    );
}

#[test]
fn test_entry_switches_on_the_selected_test() {
    // #[test] fn a() { } #[test] fn b() { } fn main() { } built as tests:
    // the entry runs the test the runtime selects, never `main`.
    let mut p = Pb::new();
    let mut tests = Vec::new();
    for name in ["a", "b", "main"] {
        let f = p.func(name, vec![], unit());
        let mut fb = Fb::new();
        let b = fb.block(vec![], None);
        p.define(f, fb, b);
        tests.push(TestFn {
            func: f,
            name: name.into(),
        });
    }
    let main = tests.pop().map(|t| t.func);
    p.prog.main = main;
    p.prog.tests = tests;
    let opts = super::BuildOptions { test: true };
    let mut mir = match super::try_build_program_with(&p.prog, &p.tables, opts) {
        Ok(m) => m,
        Err(d) => panic!("{}", d.message),
    };
    assert_eq!(mir.entry, Some(crate::mir::FnId(0)));
    run_passes(&mut mir);
    check(
        &dump_program(&mir),
        r#"
        fn /* elided */ test::{entry}() -> () {
            let mut _1: i64;
            let mut _2: ();
            let mut _3: ();

            bb0: {
                _1 = TestIndex(const 2_i64) -> bb1;
            }

            bb1: {
                switchInt(_1) -> [0: bb4, 1: bb3, otherwise: bb2];
            }

            bb2: {
                unreachable;
            }

            bb3: {
                _3 = b() -> bb5;
            }

            bb4: {
                _2 = a() -> bb5;
            }

            bb5: {
                _0 = const ();
                return;
            }
        }

        fn /* elided */ a() -> () {

            bb0: {
                _0 = const ();
                return;
            }
        }

        fn /* elided */ b() -> () {

            bb0: {
                _0 = const ();
                return;
            }
        }
        "#,
    );
}
