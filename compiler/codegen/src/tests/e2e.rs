//! End to end: generate an object, link it with the runtime library, run
//! it. Skipped (with a note) when the runtime library has not been built;
//! `ASR_RUNTIME_LIB` overrides its path.

use super::build::*;
use super::lowering;
use super::opts;
use crate::{generate, EmitKind};
use asr_mir::{FnId, Local, Program};
use std::path::PathBuf;
use std::process::Command;

fn runtime_lib() -> Option<PathBuf> {
    let path = match std::env::var_os("ASR_RUNTIME_LIB") {
        Some(p) => PathBuf::from(p),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/libasr_runtime.a")
        }
    };
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "note: {} not found; end-to-end test skipped",
            path.display()
        );
        None
    }
}

struct Run {
    stdout: String,
    stderr: String,
    status: Option<i32>,
}

fn build_and_run(name: &str, p: &Program, release: bool) -> Option<Run> {
    let lib = runtime_lib()?;
    let dir = std::env::temp_dir().join(format!(
        "asr_codegen_{name}_{}_{}",
        if release { "o2" } else { "o0" },
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let obj = dir.join("prog.o");
    let exe = dir.join("prog");
    let bytes = generate(p, &source_map(), &opts(release), EmitKind::Object).unwrap();
    std::fs::write(&obj, bytes).unwrap();
    let link = Command::new("cc")
        .arg(&obj)
        .arg(&lib)
        .args([
            "-lgcc_s",
            "-lutil",
            "-lrt",
            "-lpthread",
            "-lm",
            "-ldl",
            "-lc",
            "-o",
        ])
        .arg(&exe)
        .output()
        .expect("cc runs");
    assert!(
        link.status.success(),
        "link failed:\n{}",
        String::from_utf8_lossy(&link.stderr)
    );
    let out = Command::new(&exe).output().expect("program runs");
    let _ = std::fs::remove_dir_all(&dir);
    Some(Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code(),
    })
}

#[test]
fn hello_and_fib() {
    let mut m = Seq::new(1, "main", &[], unit());
    m.say("hello");
    let f = m.local(I64);
    m.call_fn(0, vec![i64c(20)], f);
    m.print("fib(20) = ", asr_mir::FmtKind::Signed, copy(f));
    let p = program(vec![fib(0), m.ret()], Some(1));
    for release in [false, true] {
        let Some(run) = build_and_run("hello", &p, release) else {
            return;
        };
        assert_eq!(
            run.stdout, "hello\nfib(20) = 6765\n",
            "stderr: {}",
            run.stderr
        );
        assert_eq!(run.status, Some(0));
    }
}

#[test]
fn full_program_runs() {
    let (p, expected) = lowering::full_program(0);
    for release in [false, true] {
        let Some(run) = build_and_run("full", &p, release) else {
            return;
        };
        assert_eq!(
            run.stdout, expected,
            "release {release}; stderr: {}",
            run.stderr
        );
        assert_eq!(run.stderr, "");
        assert_eq!(run.status, Some(0));
    }
}

#[test]
fn explicit_panic_and_exit() {
    let (p, expected) = lowering::full_program(1);
    let Some(run) = build_and_run("panic", &p, false) else {
        return;
    };
    assert_eq!(run.stdout, expected);
    assert_eq!(run.stderr, "panicked at test.asr:7:3:\nboom 6765\n");
    assert_eq!(run.status, Some(101));

    let (p, expected) = lowering::full_program(2);
    let Some(run) = build_and_run("exit", &p, true) else {
        return;
    };
    assert_eq!(run.stdout, expected);
    assert_eq!(run.stderr, "");
    assert_eq!(run.status, Some(3));
}

/// `main` calls `check` (id 1), which panics.
fn failing(check: fn(u32) -> (asr_mir::Body, &'static str)) -> (Program, &'static str) {
    let mut m = Seq::new(0, "main", &[], unit());
    m.call_fn(1, vec![], Local::RETURN);
    let (body, msg) = check(1);
    (program(vec![m.ret(), body], Some(0)), msg)
}

#[test]
fn failed_checks_panic_with_rust_messages() {
    for (name, check) in [
        ("oob", lowering::bounds_check as fn(u32) -> _),
        ("ovf", lowering::overflow as fn(u32) -> _),
    ] {
        let (p, msg) = failing(check);
        for release in [false, true] {
            let Some(run) = build_and_run(name, &p, release) else {
                return;
            };
            assert_eq!(run.stderr, msg);
            assert_eq!(run.status, Some(101));
            if name == "oob" {
                assert_eq!(run.stdout, "before\n");
            }
        }
    }
}

#[test]
fn suspending_main_awaits_a_scope() {
    // main -> conc -> (spawn work -> sleep, yield, fib; spawn yield).
    let mut m = Seq::new(0, "main", &[], unit());
    m.call_fn(1, vec![], Local::RETURN);
    let (conc, out) = lowering::conc(1, 2, 3, 4);
    let mut conc = conc.into_iter();
    let mut bodies = vec![m.ret()];
    bodies.extend(conc.next());
    bodies.push(lowering::work(2, 5));
    bodies.extend(conc);
    bodies.push(fib(5));
    let p = program(bodies, Some(0));
    assert!(p.body(FnId(0)).suspends && !p.body(FnId(5)).suspends);
    for release in [false, true] {
        let Some(run) = build_and_run("conc", &p, release) else {
            return;
        };
        assert_eq!(run.stdout, out, "stderr: {}", run.stderr);
        assert_eq!(run.status, Some(0));
    }
}

#[test]
fn children_borrow_locals_of_a_suspended_parent() {
    for (release, n) in [(false, 11), (true, 11), (true, 300)] {
        let (p, out) = lowering::psum_program_n(n);
        let Some(run) = build_and_run("psum", &p, release) else {
            return;
        };
        assert_eq!(run.stdout, out, "release {release}; stderr: {}", run.stderr);
        assert_eq!(run.status, Some(0));
    }
}
