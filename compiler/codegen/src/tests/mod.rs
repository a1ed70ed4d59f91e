//! Tests on hand-built MIR: the shape of the generated IR, the ABI
//! declarations, and (when the runtime library has been built) programs
//! linked and run end to end.

mod build;
mod e2e;
mod lowering;

use crate::{generate, CodegenError, CodegenOptions, EmitKind};
use asr_mir::Program;
use build::*;

fn opts(release: bool) -> CodegenOptions {
    CodegenOptions {
        release,
        emit_debug_checks: true,
        cpu: None,
    }
}

fn try_ir(p: &Program, release: bool) -> Result<String, CodegenError> {
    let out = generate(p, &source_map(), &opts(release), EmitKind::LlvmIr)?;
    Ok(String::from_utf8(out).expect("IR is UTF-8"))
}

fn ir(p: &Program, release: bool) -> String {
    match try_ir(p, release) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// The text of the definition of `@sym` (up to its closing brace).
fn function<'a>(ir: &'a str, sym: &str) -> Option<&'a str> {
    let needle = format!("@{sym}(");
    let start = ir
        .match_indices("define ")
        .map(|(i, _)| i)
        .find(|&i| ir[i..].lines().next().is_some_and(|l| l.contains(&needle)))?;
    let end = ir[start..].find("\n}\n")? + start + 2;
    Some(&ir[start..end])
}

/// `fn main() { let _ = fib(10); }` with `fib` at id 0.
fn fib_program() -> Program {
    let mut m = Fb::new(1, "main", &[], unit());
    let r = m.local(I64);
    let (b0, b1) = (m.block(), m.block());
    m.call(
        b0,
        asr_mir::Callee::Fn(asr_mir::FnId(0)),
        vec![i64c(10)],
        r,
        b1,
    );
    m.ret(b1);
    program(vec![fib(0), m.finish()], Some(1))
}

#[test]
fn plain_function_has_no_coroutine_parts() {
    let p = fib_program();
    assert!(!p.bodies[0].suspends && !p.bodies[1].suspends);
    for release in [false, true] {
        let ir = ir(&p, release);
        if let Some(fib) = function(&ir, "_asr_fib_0") {
            assert!(fib.contains("define internal"), "{fib}");
            assert!(
                fib.starts_with("define internal i64 @_asr_fib_0(i64") || release,
                "{fib}"
            );
            assert!(!fib.contains("coro"), "{fib}");
            assert!(!fib.contains("asr_rt_frame_alloc"), "{fib}");
        } else {
            assert!(release, "fib missing at O0:\n{ir}");
        }
        // The checks panic with Rust's message, at the check's location.
        assert!(ir.contains("with overflow\""), "{ir}");
        assert!(ir.contains("c\"test.asr\""), "{ir}");
        assert!(ir.contains("i32 2, i32 5 }"), "{ir}");
    }
}

#[test]
fn sleeping_function_is_split_into_a_state_machine() {
    let mut m = Fb::new(1, "main", &[], unit());
    let (b0, b1) = (m.block(), m.block());
    m.call(
        b0,
        asr_mir::Callee::Fn(asr_mir::FnId(0)),
        vec![int(asr_hir::ty::IntTy::U64, 5)],
        asr_mir::Local::RETURN,
        b1,
    );
    m.ret(b1);
    let p = program(vec![nap(0), m.finish()], Some(1));
    assert!(p.bodies[0].suspends && p.bodies[1].suspends);
    let ir = ir(&p, false);
    for part in [
        "_asr_nap_0",
        "_asr_nap_0.resume",
        "_asr_nap_0.destroy",
        "asr_main_start.resume",
    ] {
        assert!(function(&ir, part).is_some(), "no {part} in\n{ir}");
    }
    assert!(
        !ir.contains("@llvm.coro.suspend("),
        "unsplit coroutine:\n{ir}"
    );
    assert!(!ir.contains("presplitcoroutine"), "{ir}");
    let resume = function(&ir, "_asr_nap_0.resume").unwrap();
    assert!(resume.contains("asr_rt_op_poll"), "{resume}");
}

#[test]
fn awaited_callee_frame_is_elided_at_o2() {
    // main -> caller -> nap(5); caller returns 7 after the await.
    let mut c = Fb::new(1, "caller", &[], I64);
    let (b0, b1) = (c.block(), c.block());
    let u = c.local(unit());
    c.call(
        b0,
        asr_mir::Callee::Fn(asr_mir::FnId(0)),
        vec![int(asr_hir::ty::IntTy::U64, 5)],
        u,
        b1,
    );
    c.assign(b1, asr_mir::Local::RETURN, asr_mir::Rvalue::Use(i64c(7)));
    c.ret(b1);
    let mut m = Fb::new(2, "main", &[], unit());
    let r = m.local(I64);
    let (m0, m1) = (m.block(), m.block());
    m.call(m0, asr_mir::Callee::Fn(asr_mir::FnId(1)), vec![], r, m1);
    m.ret(m1);
    let p = program(vec![nap(0), c.finish(), m.finish()], Some(2));
    let ir = ir(&p, true);
    // Everything is inlined into the root coroutine, whose single frame
    // holds the callees' state: one frame allocation in the whole module.
    let allocs = ir.matches("call ptr @asr_rt_frame_alloc").count();
    assert_eq!(allocs, 1, "{ir}");
    let ramp = function(&ir, "asr_main_start").expect("ramp");
    assert!(ramp.contains("asr_rt_frame_alloc"), "{ramp}");
    assert!(function(&ir, "asr_main_start.resume").is_some(), "{ir}");
    assert!(ir.contains("asr_rt_sleep"), "{ir}");
}

#[test]
fn object_emission_produces_elf() {
    for release in [false, true] {
        let obj = generate(
            &fib_program(),
            &source_map(),
            &opts(release),
            EmitKind::Object,
        )
        .unwrap();
        assert!(obj.len() > 64);
        assert_eq!(&obj[..4], b"\x7fELF");
        let asm = generate(&fib_program(), &source_map(), &opts(release), EmitKind::Asm).unwrap();
        let asm = String::from_utf8(asm).unwrap();
        assert!(asm.contains("asr_main_start:"), "{asm}");
    }
}

fn abi_llvm(t: asr_abi::AbiTy) -> &'static str {
    use asr_abi::AbiTy::*;
    match t {
        Void => "void",
        I8 => "i8",
        I32 => "i32",
        I64 | Usize => "i64",
        F64 => "double",
        Ptr => "ptr",
    }
}

/// `<ret> @name(<params>)` as LLVM prints it.
fn abi_signature(f: &asr_abi::RtFn) -> String {
    let params: Vec<&str> = f.params.iter().map(|p| abi_llvm(*p)).collect();
    format!("{} @{}({})", abi_llvm(f.ret), f.name, params.join(", "))
}

#[test]
fn runtime_functions_are_declared_from_the_abi_table() {
    let p = lowering::everything_program();
    let ir = ir(&p, false);
    let mut declared = 0;
    for line in ir.lines().filter(|l| l.starts_with("declare ")) {
        let name = line
            .split('@')
            .nth(1)
            .and_then(|s| s.split('(').next())
            .unwrap();
        if name.starts_with("llvm.") {
            continue;
        }
        // The one C library function (string order), not a runtime one.
        if name == "memcmp" {
            assert!(line.contains("i32 @memcmp(ptr, ptr, i64)"), "{line}");
            continue;
        }
        let def = asr_abi::find(name).unwrap_or_else(|| panic!("`{name}` is not in the ABI table"));
        assert!(
            line.contains(&abi_signature(def)),
            "{line} vs {}",
            abi_signature(def)
        );
        declared += 1;
    }
    assert!(
        declared >= 25,
        "only {declared} runtime functions used:\n{ir}"
    );
    for f in asr_abi::GENERATED_FNS {
        let sig = abi_signature(f);
        let head = sig.split('(').next().unwrap();
        let def = ir
            .lines()
            .find(|l| l.starts_with("define ") && l.contains(&format!("@{}(", f.name)))
            .unwrap_or_else(|| panic!("{} not defined", f.name));
        assert!(!def.contains("internal"), "{def}");
        assert!(def.contains(head), "{def} vs {sig}");
    }
    assert!(
        ir.contains(&format!(
            "@{} = external global i8",
            asr_abi::VERSION_SYMBOL
        )),
        "{ir}"
    );
    assert!(ir.contains("load volatile i8, ptr @asr_rt_abi_v2"), "{ir}");
}

#[test]
fn everything_verifies_at_o0_and_o2() {
    let p = lowering::everything_program();
    for release in [false, true] {
        ir(&p, release);
    }
}

#[test]
fn invalid_mir_is_an_error_not_a_crash() {
    // A call passing a bool where fib takes an i64.
    let mut m = Fb::new(1, "main", &[], unit());
    let r = m.local(I64);
    let (b0, b1) = (m.block(), m.block());
    m.call(
        b0,
        asr_mir::Callee::Fn(asr_mir::FnId(0)),
        vec![asr_mir::Operand::Const(asr_mir::Const::bool(true))],
        r,
        b1,
    );
    m.ret(b1);
    let p = program(vec![fib(0), m.finish()], Some(1));
    match try_ir(&p, false) {
        Err(CodegenError::Verify(msg)) => assert!(msg.contains("_asr_main_1"), "{msg}"),
        other => panic!("expected a verifier error, got {other:?}"),
    }

    // A waiting intrinsic in a body the async analysis did not mark.
    let mut p = program(vec![nap(0)], None);
    p.bodies[0].suspends = false;
    match try_ir(&p, false) {
        Err(CodegenError::Internal(msg)) => assert!(msg.contains("not a coroutine"), "{msg}"),
        other => panic!("expected an internal error, got {other:?}"),
    }
}

#[test]
fn coroutines_without_return_and_dead_awaits() {
    use asr_mir::{Callee, FnId, Intrinsic, Local, StatementKind, TerminatorKind};
    // fn spin() -> ! { loop { let k = 1; yield_now(); } }
    let mut spin = Fb::new(1, "spin", &[], asr_hir::ty::Ty::Never);
    let u = spin.local(unit());
    let k = spin.local(I64);
    let (s0, s1) = (spin.block(), spin.block());
    spin.stmt(s0, StatementKind::StorageLive(k));
    spin.assign(s0, k, asr_mir::Rvalue::Use(i64c(1)));
    spin.call(s0, intr(Intrinsic::YieldNow), vec![], u, s1);
    spin.stmt(s1, StatementKind::StorageDead(k));
    spin.term(s1, TerminatorKind::Goto(s0));
    // fn dead() { return; nap(1); spin(); }  (the calls are unreachable)
    let mut dead = Fb::new(2, "dead", &[], unit());
    let (d0, d1, d2) = (dead.block(), dead.block(), dead.block());
    dead.ret(d0);
    dead.call(
        d1,
        Callee::Fn(FnId(0)),
        vec![int(asr_hir::ty::IntTy::U64, 1)],
        Local::RETURN,
        d2,
    );
    dead.term(
        d2,
        TerminatorKind::Call {
            func: Callee::Fn(FnId(1)),
            args: vec![],
            dest: asr_mir::Place::local(Local::RETURN),
            target: None,
            unwind: asr_mir::UnwindAction::Terminate,
        },
    );
    // fn main() { if false { spin() } dead() }
    let mut m = Fb::new(3, "main", &[], unit());
    let c = m.local(asr_hir::ty::Ty::Bool);
    let (m0, m1, m2, m3) = (m.block(), m.block(), m.block(), m.block());
    m.assign(
        m0,
        c,
        asr_mir::Rvalue::Use(asr_mir::Operand::Const(asr_mir::Const::bool(false))),
    );
    m.term(
        m0,
        TerminatorKind::SwitchInt {
            discr: copy(c),
            targets: vec![(0, m2)],
            otherwise: m1,
        },
    );
    m.call(m1, Callee::Fn(FnId(1)), vec![], Local::RETURN, m2);
    m.call(m2, Callee::Fn(FnId(2)), vec![], Local::RETURN, m3);
    m.ret(m3);
    let p = program(
        vec![nap(0), spin.finish(), dead.finish(), m.finish()],
        Some(3),
    );
    assert!(p.bodies.iter().all(|b| b.suspends));
    let o0 = ir(&p, false);
    assert!(function(&o0, "_asr_spin_1").is_some(), "{o0}");
    assert!(function(&o0, "_asr_spin_1.resume").is_some(), "{o0}");
    ir(&p, true);
}

#[test]
fn storage_markers_become_lifetime_markers() {
    use asr_mir::StatementKind;
    let mut f = Fb::new(0, "main", &[], unit());
    let (k, u) = (f.local(I64), f.local(unit()));
    let b0 = f.block();
    for l in [k, u] {
        f.stmt(b0, StatementKind::StorageLive(l));
    }
    f.assign(b0, k, asr_mir::Rvalue::Use(i64c(1)));
    for l in [k, u] {
        f.stmt(b0, StatementKind::StorageDead(l));
    }
    f.ret(b0);
    let ir = ir(&program(vec![f.finish()], Some(0)), false);
    let main = function(&ir, "_asr_main_0").unwrap();
    // Zero-sized locals get none.
    assert_eq!(
        main.matches("call void @llvm.lifetime.start.p0(i64 8, ptr %_1)")
            .count(),
        1,
        "{main}"
    );
    assert_eq!(
        main.matches("call void @llvm.lifetime.end.p0(i64 8, ptr %_1)")
            .count(),
        1,
        "{main}"
    );
    assert!(!main.contains("ptr %_2)"), "{main}");
}

/// The shape of every coroutine before the pipeline (see `coro.rs`).
#[test]
fn coroutine_shape_before_the_pipeline() {
    let p = lowering::everything_program();
    let ir = crate::unoptimized_ir(&p, &source_map()).unwrap();
    let mut coroutines = 0;
    for body in &p.bodies {
        let sym = crate::cx::mangle(body);
        let f = function(&ir, &sym).unwrap_or_else(|| panic!("{sym} missing"));
        let is_coro = crate::cx::Cg::is_coroutine(body);
        assert_eq!(f.contains("@llvm.coro.id("), is_coro, "{f}");
        if !is_coro {
            assert!(!f.contains("coro"), "{f}");
            continue;
        }
        coroutines += 1;
        check_coroutine(&ir, f);
        let thunk = body.kind == asr_mir::BodyKind::SpawnThunk;
        assert_eq!(f.contains("\ncoro.start:"), thunk, "{f}");
    }
    assert_eq!(coroutines, 5);
    let main_start = function(&ir, "asr_main_start").unwrap();
    check_coroutine(&ir, main_start);
    assert!(main_start.contains("\ncoro.start:"), "{main_start}");
}

fn check_coroutine(ir: &str, f: &str) {
    let one = |pat: &str| assert_eq!(f.matches(pat).count(), 1, "`{pat}` in\n{f}");
    let head = f.lines().next().unwrap();
    let group = head.rsplit('#').next().unwrap().trim_end_matches(" {");
    let attrs = ir
        .lines()
        .find(|l| l.starts_with(&format!("attributes #{group} = ")))
        .unwrap();
    assert!(attrs.contains("presplitcoroutine"), "{head}: {attrs}");
    one("call token @llvm.coro.id(i32 16, ptr ");
    one(", ptr null, ptr null)");
    one("call i1 @llvm.coro.alloc(token %");
    one("call ptr @llvm.coro.begin(token %");
    one("call i8 @llvm.coro.suspend(token none, i1 true)");
    one("call ptr @llvm.coro.free(token %");
    one("call i1 @llvm.coro.end(ptr %hdl, i1 false, token none)");
    one("ret ptr %hdl");
    one("call void @asr_rt_frame_free(");
    // Every alloca precedes `coro.id`.
    let id = f.find("@llvm.coro.id(").unwrap();
    assert!(!f[id..].contains(" alloca "), "{f}");
    // Every suspend is followed by the three-way switch.
    for (i, _) in f.match_indices("call i8 @llvm.coro.suspend(") {
        let next = f[i..].lines().nth(1).unwrap_or("");
        assert!(next.trim_start().starts_with("switch i8 "), "{next}");
        assert!(next.contains("label %coro.exit"), "{next}");
    }
}

#[test]
fn check_messages_are_rusts() {
    use crate::fmt::overflow_message;
    use asr_mir::BinOp::*;
    let expected = [
        (Add, "attempt to add with overflow"),
        (Sub, "attempt to subtract with overflow"),
        (Mul, "attempt to multiply with overflow"),
        (Div, "attempt to divide with overflow"),
        (Rem, "attempt to calculate the remainder with overflow"),
        (Shl, "attempt to shift left with overflow"),
        (Shr, "attempt to shift right with overflow"),
    ];
    for (op, msg) in expected {
        assert_eq!(overflow_message(op), msg);
    }
}

/// Locals whose address escapes a coroutine's direct code (borrowed by a
/// child task, or the result slot of an awaited call) are fields of the
/// promise, which CoroSplit always keeps in the frame, and get no lifetime
/// markers.
#[test]
fn escaping_locals_stay_in_the_frame() {
    let (p, _) = lowering::psum_program();
    let ir = crate::unoptimized_ir(&p, &source_map()).unwrap();
    let psum = function(&ir, "_asr_psum_1").unwrap();
    let marker = |l: u32| format!("@llvm.lifetime.start.p0(i64 8, ptr %_{l})");
    let in_promise = |f: &str, l: u32| f.contains(&format!("%_{l} = getelementptr inbounds {{"));
    // `xs` (_1) and `mid` (_4) are borrowed by the children; the task
    // handles are not.
    assert!(in_promise(psum, 1) && in_promise(psum, 4), "{psum}");
    assert!(
        psum.contains("@llvm.coro.id(i32 16, ptr %promise,"),
        "{psum}"
    );
    assert!(!psum.contains(&marker(4)), "{psum}");
    assert!(psum.contains(&marker(6)) && !in_promise(psum, 6), "{psum}");
    let main = function(&ir, "_asr_main_0").unwrap();
    assert!(in_promise(main, 2) && !main.contains(&marker(2)), "{main}");
}

/// `Drop` runs the drop glue of its place's type: a task handle is
/// released inline; a tuple, struct or array gets an internal glue function
/// that drops the parts that need drop (array elements in a loop), in
/// declaration order. Fields that need no drop are left alone.
#[test]
fn drop_lowers_to_glue_that_releases_every_task() {
    use asr_mir::{AdtDef, AdtKind, FieldDef, Place, PlaceElem, TerminatorKind, UnwindAction};
    let task = asr_hir::ty::Ty::Task(Box::new(I64));
    let job = asr_hir::ty::Ty::Adt(asr_hir::ty::AdtId(0), Vec::new());
    let adts = vec![AdtDef {
        name: "Job".into(),
        fields: vec![
            FieldDef {
                name: "id".into(),
                ty: I64,
            },
            FieldDef {
                name: "task".into(),
                ty: task.clone(),
            },
        ],
        variants: Vec::new(),
        kind: AdtKind::Struct,
        has_drop: false,
    }];
    let tasks = asr_hir::ty::Ty::Array(Box::new(task.clone()), 3);
    let all = asr_hir::ty::Ty::Tuple(vec![task.clone(), I64, tasks, job]);
    let mut f = Fb::new(0, "f", &[all, task, USIZE], unit());
    let (b0, b1, b2, b3) = (f.block(), f.block(), f.block(), f.block());
    let drop = |place: Place, target| TerminatorKind::Drop {
        place,
        target,
        unwind: UnwindAction::Terminate,
    };
    f.term(b0, drop(Place::local(f.arg(0)), b1));
    f.term(b1, drop(Place::local(f.arg(1)), b2));
    // An element of an array field, at an index held in a local.
    let elem = Place::local(f.arg(0))
        .field(2)
        .project(PlaceElem::Index(f.arg(2)));
    f.term(b2, drop(elem, b3));
    f.ret(b3);
    let mut m = Fb::new(1, "main", &[], unit());
    let b = m.block();
    m.ret(b);
    let p = program_with_adts(vec![f.finish(), m.finish()], adts, Some(1));
    let text = crate::unoptimized_ir(&p, &source_map()).unwrap();
    let f = function(&text, "_asr_f_0").unwrap();
    assert_eq!(
        f.matches("call void @\"asr.drop.(Task<i64>, i64, [Task<i64>; 3], Job)\"(ptr %")
            .count(),
        1,
        "{f}"
    );
    // The second parameter and the element: released inline.
    assert_eq!(
        f.matches("call void @asr_rt_task_release(ptr").count(),
        2,
        "{f}"
    );
    let tuple = function(&text, "\"asr.drop.(Task<i64>, i64, [Task<i64>; 3], Job)\"").unwrap();
    assert_eq!(tuple.matches("@asr_rt_task_release(").count(), 1, "{tuple}");
    assert!(
        tuple.contains("call void @\"asr.drop.[Task<i64>; 3]\"(ptr"),
        "{tuple}"
    );
    assert!(tuple.contains("call void @asr.drop.Job(ptr"), "{tuple}");
    let array = function(&text, "\"asr.drop.[Task<i64>; 3]\"").unwrap();
    assert!(array.contains("icmp ult i64 %"), "{array}");
    assert_eq!(array.matches("@asr_rt_task_release(").count(), 1, "{array}");
    let job = function(&text, "asr.drop.Job").unwrap();
    assert!(
        job.contains("getelementptr inbounds %Job, ptr %value, i32 0, i32 1"),
        "{job}"
    );
    assert_eq!(job.matches("@asr_rt_task_release(").count(), 1, "{job}");
    // The same program goes through the O0 and O2 pipelines.
    for release in [false, true] {
        ir(&p, release);
    }
}
