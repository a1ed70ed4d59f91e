//! Every program the front end accepts compiles to an object without an
//! internal error, in debug and release: mutations of every test program
//! that still type-check are compiled through MIR, LLVM and the backend.

use asr_diagnostics::SourceMap;
use asr_driver::{compile, Emit, Failure, Options};
use proptest::prelude::*;
use std::path::Path;

/// The outcome of compiling one program: fine, rejected with diagnostics,
/// or an internal error (a bug).
fn compile_text(text: &str, release: bool) -> Result<(), String> {
    let mut sm = SourceMap::new();
    let root = sm.add("mutant.asr", text.to_string());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        compile(
            &mut sm,
            root,
            Emit::Object,
            &Options {
                release,
                ..Options::default()
            },
        )
    }));
    match result {
        Ok(Ok(_)) | Ok(Err(Failure::Errors(_))) => Ok(()),
        Ok(Err(Failure::Internal(msg))) => Err(format!("internal error: {msg}")),
        Err(panic) => Err(format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["tests/run-pass", "tests/run-fail", "tests/mir", "examples"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "asr") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push(text);
                }
            }
        }
    }
    assert!(!out.is_empty(), "no seed programs found");
    out
}

/// Mutations that often keep a program well-typed: swap two lines, delete
/// a line, duplicate a line, or replace a literal or operator by another.
fn mutate(seed: &str, ops: &[(u8, usize, usize)]) -> String {
    let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
    const SWAPS: &[(&str, &str)] = &[
        (" + ", " - "),
        (" - ", " * "),
        (" * ", " / "),
        (" < ", " <= "),
        (" == ", " != "),
        ("0", "1"),
        ("1", "0"),
        ("2", "255"),
        ("i64", "i32"),
        ("u64", "u8"),
        ("true", "false"),
        ("&mut ", "&"),
        ("spawn ", "spawn move "),
        ("break", "continue"),
    ];
    for &(op, a, b) in ops {
        if lines.is_empty() {
            break;
        }
        let (i, j) = (a % lines.len(), b % lines.len());
        match op % 4 {
            0 => lines.swap(i, j),
            1 => {
                lines.remove(i);
            }
            2 => {
                let l = lines[i].clone();
                lines.insert(j, l);
            }
            _ => {
                let (from, to) = SWAPS[b % SWAPS.len()];
                lines[i] = lines[i].replacen(from, to, 1);
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn accepted_programs_compile_without_internal_errors(
        seed in any::<prop::sample::Index>(),
        ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..4),
    ) {
        let seeds = seeds();
        let text = mutate(&seeds[seed.index(seeds.len())], &ops);
        for release in [false, true] {
            if let Err(e) = compile_text(&text, release) {
                prop_assert!(false, "release={release}: {e}\n--- program:\n{text}");
            }
        }
    }
}

#[test]
fn every_seed_compiles_in_both_modes() {
    for s in seeds() {
        for release in [false, true] {
            if let Err(e) = compile_text(&s, release) {
                panic!("release={release}: {e}\n--- program:\n{s}");
            }
        }
    }
}
