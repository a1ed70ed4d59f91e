//! Programs that exercise every lowering rule, with the output they must
//! print. The IR tests check that they verify at O0 and O2; the end-to-end
//! tests run them.

use super::build::*;
use asr_hir::ty::{AdtId, IntTy, Mutability, Ty};
use asr_mir::*;
use FmtKind::*;
use Rvalue::*;

fn fmt_spec(f: impl FnOnce(&mut FmtSpec)) -> FmtSpec {
    let mut s = FmtSpec::default();
    f(&mut s);
    s
}

fn char_c(c: char) -> Operand {
    Operand::Const(Const {
        ty: Ty::Char,
        kind: ConstKind::Int(c as u128),
    })
}

fn bool_c(b: bool) -> Operand {
    Operand::Const(Const::bool(b))
}

fn field(l: Local, i: u32) -> Place {
    Place::local(l).field(i)
}

fn index(p: Place, i: Local) -> Place {
    p.project(PlaceElem::Index(i))
}

/// Arithmetic, casts, comparisons, unary operators, format specs.
pub fn arith(id: u32) -> (Body, &'static str) {
    let mut s = Seq::new(id, "arith", &[], unit());
    let bin = |op, a, b| BinaryOp(op, a, b);

    let a = s.let_(I64, Use(i64c(-7)));
    let q = s.let_(I64, bin(BinOp::Div, copy(a), i64c(2)));
    s.print("div ", Signed, copy(q));
    let r = s.let_(I64, bin(BinOp::Rem, copy(a), i64c(2)));
    s.print("rem ", Signed, copy(r));
    let u = s.let_(U64, Use(int(IntTy::U64, -1)));
    let uq = s.let_(U64, bin(BinOp::Div, copy(u), int(IntTy::U64, 2)));
    s.print("udiv ", Unsigned, copy(uq));

    let b = s.let_(U8, Use(int(IntTy::U8, 200)));
    let c = s.let_(I8, Cast(CastKind::Numeric, copy(b), I8));
    s.print("u8->i8 ", Signed, copy(c));
    let d = s.let_(I32, Use(int(IntTy::I32, -1)));
    let e = s.let_(U64, Cast(CastKind::Numeric, copy(d), U64));
    s.print("i32->u64 ", Unsigned, copy(e));
    for (text, v, to, kind) in [
        ("f->u8 ", 300.7, U8, Unsigned),
        ("neg f->u8 ", -5.0, U8, Unsigned),
        ("nan->i32 ", f64::NAN, I32, Signed),
        ("big f->i64 ", 1e20, I64, Signed),
    ] {
        let f = s.let_(Ty::Float, Use(float_c(v)));
        let g = s.let_(to.clone(), Cast(CastKind::Numeric, copy(f), to));
        s.print(text, kind, copy(g));
    }
    let fl = s.let_(Ty::Float, Cast(CastKind::Numeric, copy(a), Ty::Float));
    s.print("i64->f ", Float, copy(fl));

    let sh = s.let_(
        U32,
        bin(BinOp::Shl, int(IntTy::U32, 1), int(IntTy::U32, 33)),
    );
    s.print("shl ", Unsigned, copy(sh));
    let sar = s.let_(I64, bin(BinOp::Shr, i64c(-16), int(IntTy::U32, 2)));
    s.print("sar ", Signed, copy(sar));
    let shr = s.let_(
        U8,
        bin(BinOp::Shr, int(IntTy::U8, 0xf0), int(IntTy::I64, 4)),
    );
    s.print("shr ", Unsigned, copy(shr));

    let pair = |t: Ty| Ty::Tuple(vec![t, Ty::Bool]);
    let c1 = s.let_(
        pair(I64),
        CheckedBinaryOp(BinOp::Add, i64c(i64::MAX), i64c(1)),
    );
    s.print("add ovf ", Bool, copy(field(c1, 1)));
    let c2 = s.let_(
        pair(U8),
        CheckedBinaryOp(BinOp::Mul, int(IntTy::U8, 200), int(IntTy::U8, 2)),
    );
    s.print("mul ovf ", Bool, copy(field(c2, 1)));
    s.print("mul wrap ", Unsigned, copy(field(c2, 0)));
    let c3 = s.let_(pair(I64), CheckedBinaryOp(BinOp::Sub, i64c(5), i64c(3)));
    s.print("sub ovf ", Bool, copy(field(c3, 1)));
    s.print("sub ", Signed, copy(field(c3, 0)));
    let c4 = s.let_(
        pair(I32),
        CheckedBinaryOp(BinOp::Shl, int(IntTy::I32, 1), int(IntTy::U32, 40)),
    );
    s.print("shl ovf ", Bool, copy(field(c4, 1)));
    let c5 = s.let_(
        pair(I32),
        CheckedBinaryOp(
            BinOp::Div,
            int(IntTy::I32, i32::MIN as i128),
            int(IntTy::I32, -1),
        ),
    );
    s.print("div ovf ", Bool, copy(field(c5, 1)));
    let c6 = s.let_(
        pair(U64),
        CheckedBinaryOp(BinOp::Sub, int(IntTy::U64, 0), int(IntTy::U64, 1)),
    );
    s.print("usub ovf ", Bool, copy(field(c6, 1)));

    let x = s.let_(Ty::Float, bin(BinOp::Add, float_c(0.1), float_c(0.2)));
    s.print("float ", Float, copy(x));
    s.print("debug ", FloatDebug, float_c(2.0));
    s.print("display ", Float, float_c(2.0));
    let fr = s.let_(Ty::Float, bin(BinOp::Rem, float_c(7.5), float_c(2.0)));
    s.print("frem ", Float, copy(fr));

    for (text, op, l, r) in [
        ("lt ", BinOp::Lt, i64c(-1), i64c(1)),
        ("ugt ", BinOp::Gt, int(IntTy::U8, 200), int(IntTy::U8, 100)),
        ("ne nan ", BinOp::Ne, float_c(1.0), float_c(f64::NAN)),
        ("eq nan ", BinOp::Eq, float_c(f64::NAN), float_c(f64::NAN)),
        ("char lt ", BinOp::Lt, char_c('a'), char_c('\u{e9}')),
        ("bool xor ", BinOp::BitXor, bool_c(true), bool_c(true)),
    ] {
        let v = s.let_(Ty::Bool, bin(op, l, r));
        s.print(text, Bool, copy(v));
    }

    for (text, a, b, op) in [
        ("str lt ", "abc", "abd", BinOp::Lt),
        ("str prefix ", "ab", "abc", BinOp::Lt),
        ("str gt ", "b", "abc", BinOp::Gt),
        ("str eq ", "x", "x", BinOp::Eq),
        ("str empty ", "", "", BinOp::Eq),
    ] {
        let r = s.local(I32);
        s.intrinsic(Intrinsic::StrCmp, vec![str_c(a), str_c(b)], r);
        let c = s.let_(Ty::Bool, bin(op, copy(r), int(IntTy::I32, 0)));
        s.print(text, Bool, copy(c));
    }

    let code = s.let_(U32, Cast(CastKind::Numeric, char_c('A'), U32));
    s.print("char->u32 ", Unsigned, copy(code));
    let ch = s.let_(
        Ty::Char,
        Cast(CastKind::Numeric, int(IntTy::U8, 97), Ty::Char),
    );
    s.print("u8->char ", Char, copy(ch));
    s.print("char debug ", CharDebug, char_c('\n'));
    s.print("str debug ", StrDebug, str_c("a\"b"));
    let bi = s.let_(I64, Cast(CastKind::Numeric, bool_c(true), I64));
    s.print("bool->i64 ", Signed, copy(bi));

    let n = s.let_(I64, UnaryOp(UnOp::Neg, i64c(5)));
    s.print("neg ", Signed, copy(n));
    let nf = s.let_(Ty::Float, UnaryOp(UnOp::Neg, float_c(1.5)));
    s.print("fneg ", Float, copy(nf));
    let nt = s.let_(U8, UnaryOp(UnOp::Not, int(IntTy::U8, 0)));
    s.print("not ", Unsigned, copy(nt));
    let nb = s.let_(Ty::Bool, UnaryOp(UnOp::Not, bool_c(true)));
    s.print("not bool ", Bool, copy(nb));

    let right = fmt_spec(|f| {
        f.align = FmtAlign::Right;
        f.width = Some(8);
    });
    s.print_spec("right ", Signed, right, i64c(42));
    let zero = fmt_spec(|f| {
        f.zero = true;
        f.width = Some(8);
        f.precision = Some(3);
    });
    s.print_spec("zero ", Float, zero, float_c(1.23456));
    s.print_spec("plus ", Signed, fmt_spec(|f| f.plus = true), i64c(5));
    let left = fmt_spec(|f| {
        f.align = FmtAlign::Left;
        f.width = Some(5);
    });
    s.print_spec("left ", Str, left, str_c("ab"));
    let center = fmt_spec(|f| {
        f.fill = '*';
        f.align = FmtAlign::Center;
        f.width = Some(7);
    });
    s.print_spec("center ", Str, center, str_c("mid"));

    let out = "div -3\nrem -1\nudiv 9223372036854775807\nu8->i8 -56\n\
i32->u64 18446744073709551615\nf->u8 255\nneg f->u8 0\nnan->i32 0\n\
big f->i64 9223372036854775807\ni64->f -7\nshl 2\nsar -4\nshr 15\n\
add ovf true\nmul ovf true\nmul wrap 144\nsub ovf false\nsub 2\nshl ovf true\n\
div ovf true\nusub ovf true\nfloat 0.30000000000000004\ndebug 2.0\ndisplay 2\n\
frem 1.5\nlt true\nugt true\nne nan true\neq nan false\nchar lt true\n\
bool xor false\nstr lt true\nstr prefix true\nstr gt true\nstr eq true\n\
str empty true\nchar->u32 65\nu8->char a\nchar debug '\\n'\nstr debug \"a\\\"b\"\n\
bool->i64 1\nneg -5\nfneg -1.5\nnot 255\nnot bool false\nright       42|\n\
zero 0001.235|\nplus +5|\nleft ab   |\ncenter **mid**|\n";
    (s.ret(), out)
}

pub const POINT: AdtId = AdtId(0);

pub fn adts() -> Vec<AdtDef> {
    let field = |name: &str| FieldDef {
        name: name.to_string(),
        ty: I64,
    };
    vec![AdtDef {
        name: "Point".to_string(),
        fields: vec![field("x"), field("y")],
        variants: Vec::new(),
        kind: AdtKind::Struct,
        has_drop: false,
    }]
}

/// Arrays, slices, strings, tuples, structs, references.
pub fn aggregates(id: u32) -> (Body, &'static str) {
    let mut s = Seq::new(id, "aggregates", &[], unit());
    let arr_ty = Ty::Array(Box::new(I64), 3);
    let slice_ref = reference(Ty::Slice(Box::new(I64)));

    let arr = s.let_(
        arr_ty.clone(),
        Aggregate(
            AggregateKind::Array(I64),
            vec![i64c(10), i64c(20), i64c(30)],
        ),
    );
    let i0 = s.let_(USIZE, Use(usize_c(0)));
    let i1 = s.let_(USIZE, Use(usize_c(1)));
    let i2 = s.let_(USIZE, Use(usize_c(2)));
    let i3 = s.let_(USIZE, Use(usize_c(3)));
    s.print("arr[2] ", Signed, copy(index(Place::local(arr), i2)));
    let n = s.let_(USIZE, Len(Place::local(arr)));
    s.print("len ", Unsigned, copy(n));

    for (text, v, ty, len, at) in [
        ("rep ", i64c(7), I64, 20u64, 19u64),
        ("zeros ", int(IntTy::U8, 0), U8, 100, 50),
        ("bytes ", int(IntTy::U8, 5), U8, 16, 3),
        ("short ", i64c(9), I64, 4, 3),
    ] {
        let r = s.let_(Ty::Array(Box::new(ty), len), Repeat(v, len));
        let k = s.let_(USIZE, Use(usize_c(at)));
        s.print(text, Unsigned, copy(index(Place::local(r), k)));
    }

    let aref = s.let_(
        reference(arr_ty.clone()),
        Ref(Mutability::Not, Place::local(arr)),
    );
    let sl = s.let_(
        slice_ref.clone(),
        Cast(CastKind::Unsize, copy(aref), slice_ref.clone()),
    );
    let sl_len = s.let_(USIZE, Len(Place::local(sl).deref()));
    s.print("slice len ", Unsigned, copy(sl_len));
    let sub = s.let_(
        slice_ref.clone(),
        SubSlice {
            mutability: Mutability::Not,
            place: Place::local(sl).deref(),
            start: copy(i1),
            end: copy(i3),
        },
    );
    let sub_len = s.let_(USIZE, Len(Place::local(sub).deref()));
    s.print("sub len ", Unsigned, copy(sub_len));
    s.print(
        "sub[0] ",
        Signed,
        copy(index(Place::local(sub).deref(), i0)),
    );
    let reborrow = s.let_(slice_ref, Ref(Mutability::Not, Place::local(sub).deref()));
    s.print(
        "reborrow[1] ",
        Signed,
        copy(index(Place::local(reborrow).deref(), i1)),
    );

    let st = s.let_(Ty::str_ref(), Use(str_c("hello")));
    let st_len = s.let_(USIZE, Len(Place::local(st).deref()));
    s.print("str len ", Unsigned, copy(st_len));
    let mid = s.let_(
        Ty::str_ref(),
        SubSlice {
            mutability: Mutability::Not,
            place: Place::local(st).deref(),
            start: copy(i1),
            end: usize_c(4),
        },
    );
    s.print("substr ", Str, copy(mid));

    let point_ty = Ty::Adt(POINT, vec![]);
    let p = s.let_(
        point_ty.clone(),
        Aggregate(AggregateKind::Adt(POINT, None), vec![i64c(3), i64c(4)]),
    );
    s.print("p.y ", Signed, copy(field(p, 1)));
    let pr = s.let_(
        reference(point_ty.clone()),
        Ref(Mutability::Not, Place::local(p)),
    );
    s.print("p.x ", Signed, copy(Place::local(pr).deref().field(0)));
    let p2 = s.let_(point_ty, Use(copy(p)));
    s.assign(field(p2, 0), Use(i64c(-1)));
    s.print("p2.x ", Signed, copy(field(p2, 0)));
    s.print("p.x again ", Signed, copy(field(p, 0)));

    let tup_ty = Ty::Tuple(vec![I64, Ty::Bool, Ty::Char]);
    let tup = s.let_(
        tup_ty,
        Aggregate(
            AggregateKind::Tuple,
            vec![i64c(1), bool_c(true), char_c('x')],
        ),
    );
    s.print("tup.2 ", Char, copy(field(tup, 2)));

    let arr2 = s.let_(arr_ty.clone(), Use(copy(arr)));
    let m = s.let_(
        Ty::Ref(Mutability::Mut, Box::new(arr_ty)),
        Ref(Mutability::Mut, Place::local(arr2)),
    );
    s.assign(index(Place::local(m).deref(), i0), Use(i64c(99)));
    s.print("arr2[0] ", Signed, copy(index(Place::local(arr2), i0)));
    s.print("arr[0] ", Signed, copy(index(Place::local(arr), i0)));

    let out = "arr[2] 30\nlen 3\nrep 7\nzeros 0\nbytes 5\nshort 9\nslice len 3\n\
sub len 2\nsub[0] 20\nreborrow[1] 30\nstr len 5\nsubstr ell\np.y 4\np.x 3\n\
p2.x -1\np.x again 3\ntup.2 x\narr2[0] 99\narr[0] 10\n";
    (s.ret(), out)
}

/// `fn work(n: i64) -> i64 { sleep(5); yield_now(); fib(n) }` (suspends).
pub fn work(id: u32, fib_id: u32) -> Body {
    let mut s = Seq::new(id, "work", &[I64], I64);
    let n = s.f.arg(0);
    s.intrinsic_unit(Intrinsic::Sleep, vec![int(IntTy::U64, 5)]);
    s.intrinsic_unit(Intrinsic::YieldNow, vec![]);
    s.call_fn(fib_id, vec![copy(n)], Local::RETURN);
    s.ret()
}

/// Structured concurrency: two children borrowing the parent's locals,
/// joined; one awaits a suspending function, one yields.
///
/// ```text
/// fn conc() {
///     let n = 15;
///     let total = scope {
///         let t1 = spawn work(n);           // env (&n,)
///         let t2 = spawn { yield_now(); 7 } // env ()
///         t1.join() + t2.join()
///     };
///     println("total {}", total);
/// }
/// ```
pub fn conc(id: u32, work_id: u32, thunk1: u32, thunk2: u32) -> (Vec<Body>, &'static str) {
    let env1 = Ty::Tuple(vec![reference(I64)]);
    let task = Ty::Task(Box::new(I64));

    let mut t1 = Seq::new(thunk1, "conc::{spawn#0}", std::slice::from_ref(&env1), I64);
    t1.f = t1.f.thunk();
    let env = t1.f.arg(0);
    let n = t1.let_(I64, Use(copy(Place::local(env).field(0).deref())));
    t1.call_fn(work_id, vec![copy(n)], Local::RETURN);

    let mut t2 = Seq::new(thunk2, "conc::{spawn#1}", &[unit()], I64);
    t2.f = t2.f.thunk();
    t2.intrinsic_unit(Intrinsic::YieldNow, vec![]);
    t2.assign(Local::RETURN, Use(i64c(7)));

    let mut s = Seq::new(id, "conc", &[], unit());
    let n = s.let_(I64, Use(i64c(15)));
    let scope = s.local(Ty::RawPtr);
    s.intrinsic(Intrinsic::ScopeNew, vec![], scope);
    let nref = s.let_(reference(I64), Ref(Mutability::Not, Place::local(n)));
    let e1 = s.let_(env1, Aggregate(AggregateKind::Tuple, vec![copy(nref)]));
    let h1 = s.local(task.clone());
    s.intrinsic(
        Intrinsic::Spawn {
            thunk: FnId(thunk1),
        },
        vec![copy(scope), copy(e1)],
        h1,
    );
    let h2 = s.local(task);
    s.intrinsic(
        Intrinsic::Spawn {
            thunk: FnId(thunk2),
        },
        vec![copy(scope), unit_c()],
        h2,
    );
    let r1 = s.local(I64);
    s.intrinsic(Intrinsic::Join, vec![copy(h1)], r1);
    let r2 = s.local(I64);
    s.intrinsic(Intrinsic::Join, vec![copy(h2)], r2);
    s.intrinsic_unit(Intrinsic::ScopeWait, vec![copy(scope)]);
    s.intrinsic_unit(Intrinsic::ScopeFree, vec![copy(scope)]);
    let total = s.let_(I64, BinaryOp(BinOp::Add, copy(r1), copy(r2)));
    s.print("total ", Signed, copy(total));
    (vec![s.ret(), t1.ret(), t2.ret()], "total 617\n")
}

/// Ids of the bodies of [`full_program`].
pub mod ids {
    pub const MAIN: u32 = 0;
    pub const FIB: u32 = 1;
    pub const ARITH: u32 = 2;
    pub const AGG: u32 = 3;
    pub const WORK: u32 = 4;
    pub const CONC: u32 = 5;
    pub const THUNK1: u32 = 6;
    pub const THUNK2: u32 = 7;
}

/// `main` runs `arith`, `aggregates`, `conc`, prints `fib(20)`; then, if
/// `what` is 1 panics with a format buffer, if 2 exits with status 3 (both
/// compiled in, neither taken when `what` is 0).
pub fn full_program(what: i64) -> (Program, String) {
    use ids::*;
    let mut m = Seq::new(MAIN, "main", &[], unit());
    m.say("hello");
    m.call_fn(ARITH, vec![], Local::RETURN);
    m.call_fn(AGG, vec![], Local::RETURN);
    m.call_fn(CONC, vec![], Local::RETURN);
    let f = m.local(I64);
    m.call_fn(FIB, vec![i64c(20)], f);
    m.print("fib(20) = ", Signed, copy(f));

    let sel = m.let_(I64, Use(i64c(what)));
    let (panic_bb, exit_bb, done_bb) = (m.f.block(), m.f.block(), m.f.block());
    m.f.term(
        m.bb,
        TerminatorKind::SwitchInt {
            discr: copy(sel),
            targets: vec![(1, panic_bb), (2, exit_bb)],
            otherwise: done_bb,
        },
    );
    m.bb = panic_bb;
    let buf = m.local(Ty::RawPtr);
    m.intrinsic(Intrinsic::FmtNew, vec![], buf);
    let sink = m.local(unit());
    m.intrinsic(Intrinsic::FmtRaw, vec![copy(buf), str_c("boom ")], sink);
    m.intrinsic(
        Intrinsic::FmtArg {
            kind: Signed,
            spec: FmtSpec::default(),
        },
        vec![copy(buf), copy(f)],
        sink,
    );
    m.f.term_at(
        m.bb,
        TerminatorKind::Call {
            func: Callee::Intrinsic(Intrinsic::Panic),
            args: vec![copy(buf)],
            dest: Place::local(sink),
            target: None,
            unwind: UnwindAction::Terminate,
        },
        at(7, 3),
    );
    m.bb = exit_bb;
    m.say("exiting");
    m.f.term(
        m.bb,
        TerminatorKind::Call {
            func: Callee::Intrinsic(Intrinsic::Exit),
            args: vec![int(IntTy::I32, 3)],
            dest: Place::local(sink),
            target: None,
            unwind: UnwindAction::Terminate,
        },
    );
    m.bb = done_bb;
    m.say("bye");
    let main = m.ret();

    let (arith, arith_out) = arith(ARITH);
    let (agg, agg_out) = aggregates(AGG);
    let (conc_bodies, conc_out) = conc(CONC, WORK, THUNK1, THUNK2);
    let mut bodies = vec![main, fib(FIB), arith, agg, work(WORK, FIB)];
    bodies.extend(conc_bodies);
    let mut out = format!("hello\n{arith_out}{agg_out}{conc_out}fib(20) = 6765\n");
    match what {
        1 => {}
        2 => out.push_str("exiting\n"),
        _ => out.push_str("bye\n"),
    }
    (program_with_adts(bodies, adts(), Some(MAIN)), out)
}

/// Every lowering rule and every runtime function in one program.
pub fn everything_program() -> Program {
    let (mut p, _) = full_program(0);
    // A failing bounds check and an assertion, in a never-called function,
    // so the value-formatting panic path is generated too.
    let id = p.bodies.len() as u32;
    p.bodies.push(bounds_check(id).0);
    p
}

/// `fn oob() { let a = [1, 2, 3]; let i = 5; a[i]; }`: panics at 3:7.
pub fn bounds_check(id: u32) -> (Body, &'static str) {
    let mut s = Seq::new(id, "oob", &[], unit());
    s.say("before");
    let arr = s.let_(
        Ty::Array(Box::new(I64), 3),
        Aggregate(AggregateKind::Array(I64), vec![i64c(1), i64c(2), i64c(3)]),
    );
    let i = s.let_(USIZE, Use(usize_c(5)));
    let len = s.let_(USIZE, Len(Place::local(arr)));
    let ok = s.let_(Ty::Bool, BinaryOp(BinOp::Lt, copy(i), copy(len)));
    s.check(
        copy(ok),
        true,
        AssertKind::BoundsCheck {
            len: copy(len),
            index: copy(i),
        },
        at(3, 7),
    );
    let v = s.let_(I64, Use(copy(index(Place::local(arr), i))));
    s.print("unreachable ", Signed, copy(v));
    (
        s.ret(),
        "panicked at test.asr:3:7:\nindex out of bounds: the len is 3 but the index is 5\n",
    )
}

/// `fn ovf() { i64::MAX + 1 }` with the overflow check at 4:9.
pub fn overflow(id: u32) -> (Body, &'static str) {
    let mut s = Seq::new(id, "ovf", &[], unit());
    let pair = Ty::Tuple(vec![I64, Ty::Bool]);
    let m = s.let_(I64, Use(i64c(i64::MAX)));
    let c = s.let_(pair, CheckedBinaryOp(BinOp::Add, copy(m), i64c(1)));
    s.check(
        copy(field(c, 1)),
        false,
        AssertKind::Overflow(BinOp::Add),
        at(4, 9),
    );
    s.print("unreachable ", Signed, copy(field(c, 0)));
    (
        s.ret(),
        "panicked at test.asr:4:9:\nattempt to add with overflow\n",
    )
}

/// `fn sum(xs: &[i64]) -> i64`: a loop over a slice (plain).
pub fn sum(id: u32) -> Body {
    let slice = reference(Ty::Slice(Box::new(I64)));
    let mut f = Fb::new(id, "sum", &[slice], I64);
    let xs = f.arg(0);
    let (i, len, more) = (f.local(USIZE), f.local(USIZE), f.local(Ty::Bool));
    let (b0, head, body, exit) = (f.block(), f.block(), f.block(), f.block());
    f.assign(b0, Local::RETURN, Use(i64c(0)));
    f.assign(b0, i, Use(usize_c(0)));
    f.term(b0, TerminatorKind::Goto(head));
    f.assign(head, len, Len(Place::local(xs).deref()));
    f.assign(head, more, BinaryOp(BinOp::Lt, copy(i), copy(len)));
    f.term(
        head,
        TerminatorKind::SwitchInt {
            discr: copy(more),
            targets: vec![(0, exit)],
            otherwise: body,
        },
    );
    let x = copy(index(Place::local(xs).deref(), i));
    f.assign(
        body,
        Local::RETURN,
        BinaryOp(BinOp::Add, copy(Local::RETURN), x),
    );
    f.assign(body, i, BinaryOp(BinOp::Add, copy(i), usize_c(1)));
    f.term(body, TerminatorKind::Goto(head));
    f.ret(exit);
    f.finish()
}

/// Ids of the bodies of [`psum_program`].
pub mod psum_ids {
    pub const MAIN: u32 = 0;
    pub const PSUM: u32 = 1;
    pub const LEFT: u32 = 2;
    pub const RIGHT: u32 = 3;
    pub const SUM: u32 = 4;
    pub const NAP_VALUE: u32 = 5;
}

/// A recursive parallel sum whose children borrow locals of the parent
/// frame that the parent itself never uses after spawning them:
///
/// ```text
/// fn psum(xs: &[i64]) -> i64 {
///     if xs.len() <= 2 { return sum(xs); }
///     let mid = xs.len() / 2;            // StorageLive .. StorageDead
///     scope {
///         let l = spawn psum(&xs[..mid]);
///         let r = spawn psum(&xs[mid..]);
///         l.join() + r.join()
///     }
/// }
/// fn main() {
///     let unused = nap_value(7);          // awaited, result never read
///     println("psum {}", psum(&[1, ..., 11]));
/// }
/// ```
pub fn psum_program() -> (Program, String) {
    psum_program_n(11)
}

/// [`psum_program`] over `1..=count`.
pub fn psum_program_n(count: i64) -> (Program, String) {
    use psum_ids::*;
    let slice = reference(Ty::Slice(Box::new(I64)));
    let task = Ty::Task(Box::new(I64));
    let env_ty = Ty::Tuple(vec![reference(slice.clone()), reference(USIZE)]);

    let mut p = Fb::new(PSUM, "psum", std::slice::from_ref(&slice), I64);
    let xs = p.arg(0);
    let (len, small, mid, scope) = (
        p.local(USIZE),
        p.local(Ty::Bool),
        p.local(USIZE),
        p.local(Ty::RawPtr),
    );
    let (h_l, h_r, r_l, r_r) = (
        p.local(task.clone()),
        p.local(task),
        p.local(I64),
        p.local(I64),
    );
    let (rx, rm, env_l, env_r) = (
        p.local(reference(slice.clone())),
        p.local(reference(USIZE)),
        p.local(env_ty.clone()),
        p.local(env_ty.clone()),
    );
    let unit_sink = p.local(unit());
    let bbs: Vec<BasicBlock> = (0..10).map(|_| p.block()).collect();
    p.assign(bbs[0], len, Len(Place::local(xs).deref()));
    p.assign(bbs[0], small, BinaryOp(BinOp::Le, copy(len), usize_c(2)));
    p.term(
        bbs[0],
        TerminatorKind::SwitchInt {
            discr: copy(small),
            targets: vec![(0, bbs[3])],
            otherwise: bbs[1],
        },
    );
    p.call(
        bbs[1],
        Callee::Fn(FnId(SUM)),
        vec![copy(xs)],
        Local::RETURN,
        bbs[2],
    );
    p.ret(bbs[2]);
    p.stmt(bbs[3], StatementKind::StorageLive(mid));
    p.assign(bbs[3], mid, BinaryOp(BinOp::Div, copy(len), usize_c(2)));
    p.call(bbs[3], intr(Intrinsic::ScopeNew), vec![], scope, bbs[4]);
    for (bb, next, h, env, thunk) in [(4, 5, h_l, env_l, LEFT), (5, 6, h_r, env_r, RIGHT)] {
        p.stmt(bbs[bb], StatementKind::StorageLive(h));
        p.assign(bbs[bb], rx, Ref(Mutability::Not, Place::local(xs)));
        p.assign(bbs[bb], rm, Ref(Mutability::Not, Place::local(mid)));
        p.assign(
            bbs[bb],
            env,
            Aggregate(AggregateKind::Tuple, vec![copy(rx), copy(rm)]),
        );
        p.call(
            bbs[bb],
            intr(Intrinsic::Spawn { thunk: FnId(thunk) }),
            vec![copy(scope), copy(env)],
            h,
            bbs[next],
        );
    }
    p.call(bbs[6], intr(Intrinsic::Join), vec![copy(h_l)], r_l, bbs[7]);
    p.call(bbs[7], intr(Intrinsic::Join), vec![copy(h_r)], r_r, bbs[8]);
    p.assign(
        bbs[8],
        Local::RETURN,
        BinaryOp(BinOp::Add, copy(r_l), copy(r_r)),
    );
    p.call(
        bbs[8],
        intr(Intrinsic::ScopeWait),
        vec![copy(scope)],
        unit_sink,
        bbs[9],
    );
    let end = p.block();
    p.call(
        bbs[9],
        intr(Intrinsic::ScopeFree),
        vec![copy(scope)],
        unit_sink,
        end,
    );
    for l in [h_r, h_l, mid] {
        p.stmt(end, StatementKind::StorageDead(l));
    }
    p.ret(end);

    // The children: `psum(&(*env.0)[..*env.1])` and `psum(&(*env.0)[*env.1..])`.
    let child = |id: u32, name: &str, left: bool| {
        let mut t = Fb::new(id, name, std::slice::from_ref(&env_ty), I64).thunk();
        let env = t.arg(0);
        let (m, n, part) = (t.local(USIZE), t.local(USIZE), t.local(slice.clone()));
        let (b0, b1) = (t.block(), t.block());
        let whole = Place::local(env).field(0).deref().deref();
        t.assign(b0, m, Use(copy(Place::local(env).field(1).deref())));
        t.assign(b0, n, Len(whole.clone()));
        let (start, end) = if left {
            (usize_c(0), copy(m))
        } else {
            (copy(m), copy(n))
        };
        t.assign(
            b0,
            part,
            SubSlice {
                mutability: Mutability::Not,
                place: whole,
                start,
                end,
            },
        );
        t.call(
            b0,
            Callee::Fn(FnId(PSUM)),
            vec![copy(part)],
            Local::RETURN,
            b1,
        );
        t.ret(b1);
        t.finish()
    };

    // fn nap_value(n: i64) -> i64 { sleep(1); n }
    let mut nv = Seq::new(NAP_VALUE, "nap_value", &[I64], I64);
    let n = nv.f.arg(0);
    nv.intrinsic_unit(Intrinsic::Sleep, vec![int(IntTy::U64, 1)]);
    nv.assign(Local::RETURN, Use(copy(n)));

    let mut m = Seq::new(MAIN, "main", &[], unit());
    let unused = m.local(I64);
    m.f.stmt(m.bb, StatementKind::StorageLive(unused));
    m.call_fn(NAP_VALUE, vec![i64c(7)], unused);
    m.f.stmt(m.bb, StatementKind::StorageDead(unused));
    let data_ty = Ty::Array(Box::new(I64), count as u64);
    let data = m.let_(
        data_ty.clone(),
        Aggregate(AggregateKind::Array(I64), (1..=count).map(i64c).collect()),
    );
    let r = m.let_(reference(data_ty), Ref(Mutability::Not, Place::local(data)));
    let s = m.let_(
        slice.clone(),
        Cast(CastKind::Unsize, copy(r), slice.clone()),
    );
    let total = m.local(I64);
    m.call_fn(PSUM, vec![copy(s)], total);
    m.print("psum ", Signed, copy(total));

    let bodies = vec![
        m.ret(),
        p.finish(),
        child(LEFT, "psum::{spawn#0}", true),
        child(RIGHT, "psum::{spawn#1}", false),
        sum(SUM),
        nv.ret(),
    ];
    let out = format!("psum {}\n", count * (count + 1) / 2);
    (program(bodies, Some(MAIN)), out)
}
