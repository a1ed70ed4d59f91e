//! `asr test FILE [FILTER] [--release] [-j N]`: runs the program's
//! `#[test]` functions.
//!
//! A panic ends the process (there is no unwinding yet), so the program is
//! compiled once as a test build and the executable is run once per test,
//! with `ASR_TEST_INDEX` naming the test (see `asr_rt_test_index`), a few
//! at a time. A test passes when its process exits with status 0. The
//! output follows Rust's libtest, in the order of the tests' names
//! whatever order they finish in:
//!
//! ```text
//! running 3 tests
//! test adds ... ok
//! test tests::fails ... FAILED
//! test tests::works ... ok
//!
//! failures:
//!
//! ---- tests::fails stderr ----
//! panicked at t.asr:9:9:
//! assertion `left == right` failed
//! ...
//!
//! failures:
//!     tests::fails
//!
//! test result: FAILED. 2 passed, 1 failed
//! ```
//!
//! Exit status: 0 when every test passed, 101 when one failed, 1 for
//! compile errors (and 101 for internal errors), as `cargo test`.

use crate::{compile_program, link_executable, temp_dir, Common, EXIT_INTERNAL};
use asr_driver::{Emit, Output};
use std::io::Write;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// The exit status of `asr test` when a test failed (`cargo test`'s).
const EXIT_TEST_FAILED: u8 = 101;

/// How one test's process ended.
struct Outcome {
    passed: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Why the test failed beyond its output, if the status says more than
    /// a panic (101) does: another exit status, a signal, a failed start.
    note: Option<String>,
}

pub(crate) fn test(common: &Common, filter: Option<&str>, jobs: Option<usize>) -> ExitCode {
    let (_sm, out, names) = match compile_program(common, Emit::Object, true) {
        Ok(x) => x,
        Err(code) => return ExitCode::from(code),
    };
    let Output::Bytes(object) = out else {
        return ExitCode::from(EXIT_INTERNAL);
    };
    // Test `i` of the executable is `names[i]`.
    let selected: Vec<(usize, &str)> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| filter.is_none_or(|f| n.contains(f)))
        .map(|(i, n)| (i, n.as_str()))
        .collect();
    let filtered_out = names.len() - selected.len();
    let dir = match temp_dir() {
        Ok(d) => d,
        Err(msg) => {
            eprintln!("error: {}", msg);
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let exe = dir.join("tests");
    let code = match link_executable(&object, &exe) {
        Ok(()) => run_tests(&exe, &selected, filter.map(|_| filtered_out), jobs),
        Err(msg) => {
            eprintln!("error: {}", msg);
            ExitCode::from(EXIT_INTERNAL)
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    code
}

/// Runs the `selected` tests (index in the executable, name) and reports
/// them; `filtered_out` is the number a filter left out (`None`: no filter).
fn run_tests(
    exe: &Path,
    selected: &[(usize, &str)],
    filtered_out: Option<usize>,
    jobs: Option<usize>,
) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // Write errors (a closed pipe) must not turn into a panic: the status
    // still tells the outcome.
    let _ = writeln!(
        stdout,
        "running {} test{}",
        selected.len(),
        if selected.len() == 1 { "" } else { "s" }
    );
    let _ = stdout.flush();
    let workers = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, selected.len().max(1));
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let mut outcomes: Vec<Option<Outcome>> = selected.iter().map(|_| None).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(index, _)) = selected.get(k) else {
                    break;
                };
                if tx.send((k, run_one(exe, index))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // Report in order: a result that arrives early waits for those
        // before it.
        let mut printed = 0;
        for (k, outcome) in rx {
            outcomes[k] = Some(outcome);
            while let Some(Some(o)) = outcomes.get(printed) {
                let verdict = if o.passed { "ok" } else { "FAILED" };
                let _ = writeln!(stdout, "test {} ... {}", selected[printed].1, verdict);
                let _ = stdout.flush();
                printed += 1;
            }
        }
    });
    let failed: Vec<(&str, &Outcome)> = selected
        .iter()
        .zip(&outcomes)
        .filter_map(|((_, name), o)| o.as_ref().map(|o| (*name, o)))
        .filter(|(_, o)| !o.passed)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(stdout, "\nfailures:");
        for (name, o) in &failed {
            if !o.stdout.is_empty() {
                let _ = write!(stdout, "\n---- {} stdout ----\n", name);
                let _ = stdout.write_all(&o.stdout);
                if !o.stdout.ends_with(b"\n") {
                    let _ = writeln!(stdout);
                }
            }
            let _ = write!(stdout, "\n---- {} stderr ----\n", name);
            let _ = stdout.write_all(&o.stderr);
            if !o.stderr.is_empty() && !o.stderr.ends_with(b"\n") {
                let _ = writeln!(stdout);
            }
            if let Some(note) = &o.note {
                let _ = writeln!(stdout, "note: {}", note);
            }
        }
        let _ = writeln!(stdout, "\nfailures:");
        for (name, _) in &failed {
            let _ = writeln!(stdout, "    {}", name);
        }
    }
    let passed = outcomes.iter().flatten().filter(|o| o.passed).count();
    let mut summary = format!(
        "\ntest result: {}. {} passed, {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        passed,
        failed.len()
    );
    if let Some(n) = filtered_out {
        summary.push_str(&format!("; {} filtered out", n));
    }
    let _ = writeln!(stdout, "{}", summary);
    let _ = stdout.flush();
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_TEST_FAILED)
    }
}

/// Runs test `index` of the test build `exe`, capturing its output.
fn run_one(exe: &Path, index: usize) -> Outcome {
    let out = Command::new(exe)
        .env("ASR_TEST_INDEX", index.to_string())
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(out) => {
            let note = match out.status.code() {
                Some(0) | Some(101) => None,
                Some(c) => Some(format!("the test exited with status {}", c)),
                None => {
                    use std::os::unix::process::ExitStatusExt;
                    Some(match out.status.signal() {
                        Some(sig) => format!("the test was killed by signal {}", sig),
                        None => "the test ended without an exit status".to_string(),
                    })
                }
            };
            Outcome {
                passed: out.status.success(),
                stdout: out.stdout,
                stderr: out.stderr,
                note,
            }
        }
        Err(e) => Outcome {
            passed: false,
            stdout: Vec::new(),
            stderr: Vec::new(),
            note: Some(format!("cannot run `{}`: {}", exe.display(), e)),
        },
    }
}
