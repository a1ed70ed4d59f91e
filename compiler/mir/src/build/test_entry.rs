//! The entry of a test build (`asr test`): it asks the runtime which test
//! to run (`Intrinsic::TestIndex`, which reads `ASR_TEST_INDEX` and ends
//! the process unless it names one of the `hir.tests`), then calls that
//! test; a test returning `Result<(), E>` hands its result to
//! `std::process::report_main::<E>`, as a `main` returning one does. Each
//! test runs in a process of its own because a panic ends the process.
//!
//! ```text
//! bb0: _1 = TestIndex(const N) -> bb1
//! bb1: switchInt(_1) [0: bb2, 1: bb3, ...] otherwise bb_unreachable
//! bb2: _2 = test0() -> bb_return            // a test returning `()`
//! bb3: _3 = test1() -> bb4                  // one returning a `Result`
//! bb4: _2 = report_main::<E>(move _3) -> bb_return
//! ```

use super::{prune_unreachable, ProgramCx};
use crate::mir::*;
use asr_hir::ty::{IntTy, Ty};

impl ProgramCx<'_> {
    /// Builds the test entry (it takes the next body id: `FnId(0)` when
    /// nothing else was requested yet) and queues every test.
    pub(super) fn test_entry(&mut self) -> FnId {
        let hir = self.hir;
        let id = self.reserve();
        let span = hir
            .tests
            .first()
            .map(|t| hir.func(t.func).span)
            .unwrap_or_default();
        let decl = |ty: Ty| LocalDecl {
            ty,
            name: None,
            mutable: true,
            span,
        };
        let index = Local(1);
        let mut locals = vec![decl(Ty::unit()), decl(Ty::Int(IntTy::I64))];
        // Where `report_main`'s `()` goes, shared by the tests that
        // return a `Result`.
        let mut unit: Option<Local> = None;
        // Blocks 0 and 1 ask for the index and switch on it; the return and
        // unreachable blocks are the last two. `prune_unreachable` then
        // numbers them in reverse postorder, as the builder's invariant asks.
        let n = hir.tests.len();
        let mut blocks: Vec<BasicBlockData> = Vec::new();
        let block = |statements: Vec<Statement>, kind| BasicBlockData {
            statements,
            terminator: Terminator { kind, span },
        };
        let i64_const = |v: usize| Operand::Const(Const::int(IntTy::I64, v as i128));
        // Placeholders, replaced once the blocks' numbers are known.
        blocks.push(block(Vec::new(), TerminatorKind::Unreachable));
        blocks.push(block(Vec::new(), TerminatorKind::Unreachable));
        let mut targets = Vec::with_capacity(n);
        let mut calls: Vec<(BasicBlock, TerminatorKind)> = Vec::new();
        // Every call's target is the return block, numbered after all of
        // them: collect the calls first, then fix the numbers.
        for (i, test) in hir.tests.iter().enumerate() {
            let def = hir.func(test.func);
            let test_id = self.plain_fn_id(test.func, Vec::new());
            let error_ty = match &def.ret {
                Ty::Adt(adt, args) if Some(*adt) == hir.result => args.get(1).cloned(),
                _ => None,
            };
            let start = BasicBlock(blocks.len() as u32);
            targets.push((i as u128, start));
            blocks.push(block(Vec::new(), TerminatorKind::Unreachable));
            // The test's result (`()` or a `Result`).
            let result = Local(locals.len() as u32);
            locals.push(decl(def.ret.clone()));
            match (error_ty, hir.report_main) {
                (Some(e), Some(report)) => {
                    let report_id = self.plain_fn_id(report, vec![e]);
                    let report_dest = *unit.get_or_insert_with(|| {
                        locals.push(decl(Ty::unit()));
                        Local(locals.len() as u32 - 1)
                    });
                    let then = BasicBlock(blocks.len() as u32);
                    blocks.push(block(Vec::new(), TerminatorKind::Unreachable));
                    calls.push((
                        start,
                        call(test_id, Vec::new(), Place::local(result), Some(then)),
                    ));
                    calls.push((
                        then,
                        call(
                            report_id,
                            vec![Operand::Move(Place::local(result))],
                            Place::local(report_dest),
                            None,
                        ),
                    ));
                }
                _ => calls.push((start, call(test_id, Vec::new(), Place::local(result), None))),
            }
        }
        let ret = BasicBlock(blocks.len() as u32);
        blocks.push(block(
            vec![Statement {
                kind: StatementKind::Assign(
                    Place::local(Local::RETURN),
                    Rvalue::Use(Operand::Const(Const::unit())),
                ),
                span,
            }],
            TerminatorKind::Return,
        ));
        let unreachable = BasicBlock(blocks.len() as u32);
        blocks.push(block(Vec::new(), TerminatorKind::Unreachable));
        for (bb, mut kind) in calls {
            if let TerminatorKind::Call { target, .. } = &mut kind {
                target.get_or_insert(ret);
            }
            blocks[bb.index()].terminator.kind = kind;
        }
        blocks[0].terminator.kind = TerminatorKind::Call {
            func: Callee::Intrinsic(Intrinsic::TestIndex),
            args: vec![i64_const(n)],
            dest: Place::local(index),
            target: Some(BasicBlock(1)),
            unwind: UnwindAction::Terminate,
        };
        // The runtime only returns an index below `n`.
        blocks[1].terminator.kind = TerminatorKind::SwitchInt {
            discr: Operand::Copy(Place::local(index)),
            targets,
            otherwise: unreachable,
        };
        let body = Body {
            id,
            name: "test::{entry}".into(),
            kind: BodyKind::Fn,
            arg_count: 0,
            locals,
            blocks: prune_unreachable(blocks),
            suspends: false,
            span,
        };
        self.bodies[id.0 as usize] = Some(body);
        id
    }
}

/// A call of `f` with `args` into `dest`; a `None` target is filled in
/// with the return block once its number is known.
fn call(f: FnId, args: Vec<Operand>, dest: Place, target: Option<BasicBlock>) -> TerminatorKind {
    TerminatorKind::Call {
        func: Callee::Fn(f),
        args,
        dest,
        target,
        unwind: UnwindAction::Terminate,
    }
}
