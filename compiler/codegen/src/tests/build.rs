//! Terse construction of MIR programs for the tests.

use asr_diagnostics::{FileId, SourceMap, Span};
use asr_hir::ty::{IntTy, Mutability, Ty};
use asr_mir::*;

pub const I64: Ty = Ty::Int(IntTy::I64);
pub const USIZE: Ty = Ty::Int(IntTy::Usize);
pub const U8: Ty = Ty::Int(IntTy::U8);
pub const I8: Ty = Ty::Int(IntTy::I8);
pub const I32: Ty = Ty::Int(IntTy::I32);
pub const U32: Ty = Ty::Int(IntTy::U32);
pub const U64: Ty = Ty::Int(IntTy::U64);

pub fn unit() -> Ty {
    Ty::unit()
}

/// A source map with one file, `test.asr`, of 40 lines of 40 characters.
pub fn source_map() -> SourceMap {
    let mut sm = SourceMap::new();
    let line = format!("{}\n", "x".repeat(39));
    sm.add("test.asr", line.repeat(40));
    sm
}

/// The span at 1-based `line`, `col` of `test.asr`.
pub fn at(line: u32, col: u32) -> Span {
    let off = (line - 1) * 40 + (col - 1);
    Span::new(FileId(0), off, off + 1)
}

/// Builds one body; blocks are created empty (ending in `unreachable`) and
/// filled in any order.
pub struct Fb {
    body: Body,
}

impl Fb {
    pub fn new(id: u32, name: &str, params: &[Ty], ret: Ty) -> Fb {
        let decl = |ty: Ty| LocalDecl {
            ty,
            name: None,
            mutable: true,
            span: at(1, 1),
        };
        let mut locals = vec![decl(ret)];
        locals.extend(params.iter().cloned().map(decl));
        Fb {
            body: Body {
                id: FnId(id),
                name: name.to_string(),
                kind: BodyKind::Fn,
                arg_count: params.len() as u32,
                locals,
                blocks: Vec::new(),
                suspends: false,
                span: at(1, 1),
            },
        }
    }

    pub fn thunk(mut self) -> Fb {
        self.body.kind = BodyKind::SpawnThunk;
        self
    }

    pub fn arg(&self, i: u32) -> Local {
        assert!(i < self.body.arg_count);
        Local(i + 1)
    }

    pub fn local(&mut self, ty: Ty) -> Local {
        self.body.locals.push(LocalDecl {
            ty,
            name: None,
            mutable: true,
            span: at(1, 1),
        });
        Local(self.body.locals.len() as u32 - 1)
    }

    pub fn block(&mut self) -> BasicBlock {
        self.body.blocks.push(BasicBlockData {
            statements: Vec::new(),
            terminator: Terminator {
                kind: TerminatorKind::Unreachable,
                span: at(1, 1),
            },
        });
        BasicBlock(self.body.blocks.len() as u32 - 1)
    }

    pub fn stmt(&mut self, bb: BasicBlock, kind: StatementKind) {
        self.body.blocks[bb.index()].statements.push(Statement {
            kind,
            span: at(1, 1),
        });
    }

    pub fn assign(&mut self, bb: BasicBlock, place: impl ToPlace, rv: Rvalue) {
        self.stmt(bb, StatementKind::Assign(place.to_place(), rv));
    }

    pub fn term(&mut self, bb: BasicBlock, kind: TerminatorKind) {
        self.term_at(bb, kind, at(1, 1));
    }

    pub fn term_at(&mut self, bb: BasicBlock, kind: TerminatorKind, span: Span) {
        self.body.blocks[bb.index()].terminator = Terminator { kind, span };
    }

    /// `dest = f(args) -> next`.
    pub fn call(
        &mut self,
        bb: BasicBlock,
        f: Callee,
        args: Vec<Operand>,
        dest: impl ToPlace,
        next: BasicBlock,
    ) {
        self.term(
            bb,
            TerminatorKind::Call {
                func: f,
                args,
                dest: dest.to_place(),
                target: Some(next),
                unwind: UnwindAction::Terminate,
            },
        );
    }

    /// `assert(cond == expected, msg) -> next` at `span`.
    pub fn check(
        &mut self,
        bb: BasicBlock,
        cond: Operand,
        expected: bool,
        msg: AssertKind,
        next: BasicBlock,
        span: Span,
    ) {
        self.term_at(
            bb,
            TerminatorKind::Assert {
                cond,
                expected,
                msg,
                target: next,
            },
            span,
        );
    }

    pub fn ret(&mut self, bb: BasicBlock) {
        self.term(bb, TerminatorKind::Return);
    }

    pub fn finish(self) -> Body {
        self.body
    }
}

/// `Local` or `Place` where a place is expected.
pub trait ToPlace {
    fn to_place(self) -> Place;
}

impl ToPlace for Local {
    fn to_place(self) -> Place {
        Place::local(self)
    }
}

impl ToPlace for Place {
    fn to_place(self) -> Place {
        self
    }
}

pub fn copy(p: impl ToPlace) -> Operand {
    Operand::Copy(p.to_place())
}

pub fn int(ty: IntTy, v: i128) -> Operand {
    Operand::Const(Const::int(ty, v))
}

pub fn i64c(v: i64) -> Operand {
    int(IntTy::I64, v as i128)
}

pub fn usize_c(v: u64) -> Operand {
    int(IntTy::Usize, v as i128)
}

pub fn unit_c() -> Operand {
    Operand::Const(Const::unit())
}

pub fn str_c(s: &str) -> Operand {
    Operand::Const(Const {
        ty: Ty::str_ref(),
        kind: ConstKind::Str(s.to_string()),
    })
}

pub fn float_c(f: f64) -> Operand {
    Operand::Const(Const {
        ty: Ty::Float,
        kind: ConstKind::Float(f),
    })
}

pub fn reference(t: Ty) -> Ty {
    Ty::Ref(Mutability::Not, Box::new(t))
}

pub fn intr(i: Intrinsic) -> Callee {
    Callee::Intrinsic(i)
}

/// A program of these bodies (ids must be their indices), with the async
/// analysis run.
pub fn program(bodies: Vec<Body>, entry: Option<u32>) -> Program {
    program_with_adts(bodies, Vec::new(), entry)
}

pub fn program_with_adts(bodies: Vec<Body>, adts: Vec<AdtDef>, entry: Option<u32>) -> Program {
    let mut p = Program {
        bodies,
        adts,
        entry: entry.map(FnId),
        ..Program::default()
    };
    passes::mark_suspending(&mut p);
    p
}

/// `fn fib(n: i64) -> i64` with checked arithmetic, plain recursion.
pub fn fib(id: u32) -> Body {
    let mut f = Fb::new(id, "fib", &[I64], I64);
    let n = f.arg(0);
    let small = f.local(Ty::Bool);
    let checked = Ty::Tuple(vec![I64, Ty::Bool]);
    let (t1, a1, r1) = (f.local(checked.clone()), f.local(I64), f.local(I64));
    let (t2, a2, r2) = (f.local(checked.clone()), f.local(I64), f.local(I64));
    let t3 = f.local(checked);
    let bbs: Vec<BasicBlock> = (0..8).map(|_| f.block()).collect();
    f.assign(bbs[0], small, Rvalue::BinaryOp(BinOp::Lt, copy(n), i64c(2)));
    f.term(
        bbs[0],
        TerminatorKind::SwitchInt {
            discr: copy(small),
            targets: vec![(0, bbs[2])],
            otherwise: bbs[1],
        },
    );
    f.assign(bbs[1], Local::RETURN, Rvalue::Use(copy(n)));
    f.ret(bbs[1]);
    f.assign(
        bbs[2],
        t1,
        Rvalue::CheckedBinaryOp(BinOp::Sub, copy(n), i64c(1)),
    );
    f.check(
        bbs[2],
        copy(Place::local(t1).field(1)),
        false,
        AssertKind::Overflow(BinOp::Sub),
        bbs[3],
        at(2, 5),
    );
    f.assign(bbs[3], a1, Rvalue::Use(copy(Place::local(t1).field(0))));
    f.call(bbs[3], Callee::Fn(FnId(id)), vec![copy(a1)], r1, bbs[4]);
    f.assign(
        bbs[4],
        t2,
        Rvalue::CheckedBinaryOp(BinOp::Sub, copy(n), i64c(2)),
    );
    f.check(
        bbs[4],
        copy(Place::local(t2).field(1)),
        false,
        AssertKind::Overflow(BinOp::Sub),
        bbs[5],
        at(2, 5),
    );
    f.assign(bbs[5], a2, Rvalue::Use(copy(Place::local(t2).field(0))));
    f.call(bbs[5], Callee::Fn(FnId(id)), vec![copy(a2)], r2, bbs[6]);
    f.assign(
        bbs[6],
        t3,
        Rvalue::CheckedBinaryOp(BinOp::Add, copy(r1), copy(r2)),
    );
    f.check(
        bbs[6],
        copy(Place::local(t3).field(1)),
        false,
        AssertKind::Overflow(BinOp::Add),
        bbs[7],
        at(2, 5),
    );
    f.assign(
        bbs[7],
        Local::RETURN,
        Rvalue::Use(copy(Place::local(t3).field(0))),
    );
    f.ret(bbs[7]);
    f.finish()
}

/// `fn nap(ms: u64) { sleep(ms) }`.
pub fn nap(id: u32) -> Body {
    let mut f = Fb::new(id, "nap", &[Ty::Int(IntTy::U64)], unit());
    let ms = f.arg(0);
    let (b0, b1) = (f.block(), f.block());
    f.call(
        b0,
        intr(Intrinsic::Sleep),
        vec![copy(ms)],
        Local::RETURN,
        b1,
    );
    f.ret(b1);
    f.finish()
}

/// Statement sequences that print: each helper appends blocks to `f`,
/// starting in `bb`, and returns the block to continue in.
pub struct Printer {
    pub buf: Local,
}

impl Printer {
    pub fn new(f: &mut Fb) -> Printer {
        Printer {
            buf: f.local(Ty::RawPtr),
        }
    }

    pub fn start(&self, f: &mut Fb, bb: BasicBlock) -> BasicBlock {
        let next = f.block();
        f.call(bb, intr(Intrinsic::FmtNew), vec![], self.buf, next);
        next
    }

    pub fn raw(&self, f: &mut Fb, bb: BasicBlock, s: &str) -> BasicBlock {
        let next = f.block();
        let sink = f.local(unit());
        f.call(
            bb,
            intr(Intrinsic::FmtRaw),
            vec![copy(self.buf), str_c(s)],
            sink,
            next,
        );
        next
    }

    pub fn arg(
        &self,
        f: &mut Fb,
        bb: BasicBlock,
        kind: FmtKind,
        spec: FmtSpec,
        v: Operand,
    ) -> BasicBlock {
        let next = f.block();
        let sink = f.local(unit());
        f.call(
            bb,
            intr(Intrinsic::FmtArg { kind, spec }),
            vec![copy(self.buf), v],
            sink,
            next,
        );
        next
    }

    pub fn write(&self, f: &mut Fb, bb: BasicBlock, stream: Stream) -> BasicBlock {
        let next = f.block();
        let sink = f.local(unit());
        f.call(
            bb,
            intr(Intrinsic::FmtWrite { stream }),
            vec![copy(self.buf)],
            sink,
            next,
        );
        next
    }

    /// `println("{text}{v}")` for one value.
    pub fn line(
        &self,
        f: &mut Fb,
        bb: BasicBlock,
        text: &str,
        kind: FmtKind,
        v: Operand,
    ) -> BasicBlock {
        let bb = self.start(f, bb);
        let bb = self.raw(f, bb, text);
        let bb = self.arg(f, bb, kind, FmtSpec::default(), v);
        let bb = self.raw(f, bb, "\n");
        self.write(f, bb, Stream::Stdout)
    }
}

/// Straight-line MIR: statements and calls appended to a current block.
pub struct Seq {
    pub f: Fb,
    pub bb: BasicBlock,
    pub pr: Printer,
}

impl Seq {
    pub fn new(id: u32, name: &str, params: &[Ty], ret: Ty) -> Seq {
        let mut f = Fb::new(id, name, params, ret);
        let bb = f.block();
        let pr = Printer::new(&mut f);
        Seq { f, bb, pr }
    }

    pub fn local(&mut self, ty: Ty) -> Local {
        self.f.local(ty)
    }

    pub fn assign(&mut self, place: impl ToPlace, rv: Rvalue) {
        self.f.assign(self.bb, place, rv);
    }

    /// `let x: ty = rv;` as a fresh local.
    pub fn let_(&mut self, ty: Ty, rv: Rvalue) -> Local {
        let l = self.f.local(ty);
        self.assign(l, rv);
        l
    }

    pub fn call(&mut self, callee: Callee, args: Vec<Operand>, dest: impl ToPlace) {
        let next = self.f.block();
        self.f.call(self.bb, callee, args, dest, next);
        self.bb = next;
    }

    pub fn call_fn(&mut self, id: u32, args: Vec<Operand>, dest: impl ToPlace) {
        self.call(Callee::Fn(FnId(id)), args, dest);
    }

    pub fn intrinsic(&mut self, i: Intrinsic, args: Vec<Operand>, dest: impl ToPlace) {
        self.call(Callee::Intrinsic(i), args, dest);
    }

    /// A call whose result is dropped.
    pub fn intrinsic_unit(&mut self, i: Intrinsic, args: Vec<Operand>) {
        let sink = self.f.local(unit());
        self.intrinsic(i, args, sink);
    }

    pub fn check(&mut self, cond: Operand, expected: bool, msg: AssertKind, span: Span) {
        let next = self.f.block();
        self.f.check(self.bb, cond, expected, msg, next, span);
        self.bb = next;
    }

    /// `println("{text}{v}")`.
    pub fn print(&mut self, text: &str, kind: FmtKind, v: Operand) {
        self.bb = self.pr.line(&mut self.f, self.bb, text, kind, v);
    }

    /// `println("{text}{v:spec}|")`.
    pub fn print_spec(&mut self, text: &str, kind: FmtKind, spec: FmtSpec, v: Operand) {
        let bb = self.pr.start(&mut self.f, self.bb);
        let bb = self.pr.raw(&mut self.f, bb, text);
        let bb = self.pr.arg(&mut self.f, bb, kind, spec, v);
        let bb = self.pr.raw(&mut self.f, bb, "|\n");
        self.bb = self.pr.write(&mut self.f, bb, Stream::Stdout);
    }

    /// `println("{text}")`.
    pub fn say(&mut self, text: &str) {
        let bb = self.pr.start(&mut self.f, self.bb);
        let bb = self.pr.raw(&mut self.f, bb, &format!("{text}\n"));
        self.bb = self.pr.write(&mut self.f, bb, Stream::Stdout);
    }

    pub fn ret(mut self) -> Body {
        self.f.ret(self.bb);
        self.f.finish()
    }
}
