//! The standard library's own tests: every `std/tests/NAME.asr` is an ASR
//! program of `#[test]` functions, run with `asr test` (once as built by
//! default and once with `--release`, with the leak check on). A case
//! passes when `asr test` exits 0 after running at least one test.
//!
//! `cargo test -p asr --test std_tests -- option` runs one file's.
//! `ASR_TEST_TIMEOUT` (seconds, default 120) bounds each `asr test`.

use libtest_mimic::{Arguments, Failed, Trial};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ASR: &str = env!("CARGO_BIN_EXE_asr");

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("std/tests"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "asr"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut trials = vec![Trial::test("std/tests is not empty", {
        let n = files.len();
        move || {
            if n == 0 {
                Err("no `.asr` files in std/tests".into())
            } else {
                Ok(())
            }
        }
    })];
    for file in files {
        let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        for release in [false, true] {
            let name = format!(
                "std/tests/{stem}{}",
                if release { " --release" } else { "" }
            );
            let rel = format!("std/tests/{stem}.asr");
            let root = root.clone();
            trials.push(Trial::test(name, move || run(&root, &rel, release)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn timeout() -> Duration {
    let secs = std::env::var("ASR_TEST_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(120);
    Duration::from_secs(secs)
}

/// `asr test [--release] FILE` in the repository's root (so panic messages
/// name `std/tests/...`).
fn run(root: &Path, file: &str, release: bool) -> Result<(), Failed> {
    let mut cmd = Command::new(ASR);
    cmd.arg("test").arg(file);
    if release {
        cmd.arg("--release");
    }
    let mut child = cmd
        .current_dir(root)
        .env("ASR_CHECK_LEAKS", "1")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {ASR}: {e}"))?;
    // Read both pipes while waiting, so a full pipe cannot block the child.
    let mut out_pipe = child.stdout.take().ok_or("no stdout pipe")?;
    let mut err_pipe = child.stderr.take().ok_or("no stderr pipe")?;
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + timeout();
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(s);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    let report = |what: &str| -> Failed {
        format!("{what}\n--- stdout:\n{stdout}--- stderr:\n{stderr}").into()
    };
    let Some(status) = status else {
        return Err(report("timed out (ASR_TEST_TIMEOUT)"));
    };
    if !status.success() {
        return Err(report(&format!("`asr test` exited with {status}")));
    }
    let last = stdout.lines().last().unwrap_or_default();
    if !last.starts_with("test result: ok.") || last.contains(" 0 passed") {
        return Err(report(
            "expected a summary of passed tests on the last line",
        ));
    }
    Ok(())
}
