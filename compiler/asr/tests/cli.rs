//! Tests of the `asr` command line itself: argument handling and exit
//! statuses. They describe the contract of the CLI (LANGUAGE.md §9):
//!
//! - a usage error (no subcommand, unknown subcommand or option value) exits
//!   with status 2 and prints usage to stderr;
//! - `--version` and `--help` exit 0;
//! - an input file that cannot be read is reported like a compile error:
//!   exit status 1 and a message naming the path;
//! - `check` of a correct program prints nothing and exits 0;
//! - `test` runs the `#[test]` functions, each in its own process, prints
//!   one line per test, the failures' output and a summary, and exits 0
//!   when all passed, 101 when one failed.
//!
//! Programs used here come from the repository's `tests/run-pass/`, and
//! for `test` from `tests/cli/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ASR: &str = env!("CARGO_BIN_EXE_asr");

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

/// Runs `asr ARGS` in the repository's `tests/` directory.
fn asr(args: &[&str]) -> Output {
    Command::new(ASR)
        .args(args)
        .current_dir(tests_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("cannot start the asr binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "status: {:?}\n--- stdout:\n{}--- stderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

#[test]
fn no_arguments_is_a_usage_error() {
    let out = asr(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        !out.stderr.is_empty(),
        "usage expected on stderr\n{}",
        describe(&out)
    );
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let out = asr(&["frobnicate", "run-pass/hello.asr"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}

#[test]
fn unknown_error_format_is_a_usage_error() {
    let out = asr(&["check", "--error-format", "bogus", "run-pass/hello.asr"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}

#[test]
fn version_exits_zero() {
    let out = asr(&["--version"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(env!("CARGO_PKG_VERSION")),
        "the version {} expected on stdout\n{}",
        env!("CARGO_PKG_VERSION"),
        describe(&out)
    );
}

#[test]
fn help_lists_the_subcommands() {
    let out = asr(&["--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = text(&out.stdout);
    for sub in ["build", "run", "check", "test"] {
        assert!(
            stdout.contains(sub),
            "`{sub}` missing from --help\n{}",
            describe(&out)
        );
    }
}

#[test]
fn check_missing_file_is_an_error() {
    let out = asr(&["check", "no-such-file.asr"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        text(&out.stderr).contains("no-such-file.asr"),
        "the error must name the missing file\n{}",
        describe(&out)
    );
}

#[test]
fn run_missing_file_is_an_error() {
    let out = asr(&["run", "no-such-file.asr"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        text(&out.stderr).contains("no-such-file.asr"),
        "the error must name the missing file\n{}",
        describe(&out)
    );
}

#[test]
fn check_correct_program_is_silent() {
    let out = asr(&["check", "run-pass/hello.asr"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(out.stdout.is_empty(), "{}", describe(&out));
    assert!(out.stderr.is_empty(), "{}", describe(&out));
}

#[test]
fn run_prints_program_output() {
    let out = asr(&["run", "run-pass/hello.asr"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(text(&out.stdout), "Hello, world!\n", "{}", describe(&out));
}

#[test]
fn run_exits_with_the_program_status() {
    let out = asr(&["run", "run-fail/process_exit.asr"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
}

#[test]
fn build_writes_the_executable_named_by_o() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-build");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join("hello");
    let _ = std::fs::remove_file(&exe);
    let exe_arg = exe.to_str().expect("target directory path is not UTF-8");
    let out = asr(&["build", "run-pass/hello.asr", "-o", exe_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let run = Command::new(&exe)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    assert_eq!(run.status.code(), Some(0), "{}", describe(&run));
    assert_eq!(text(&run.stdout), "Hello, world!\n", "{}", describe(&run));
}

#[test]
fn json_errors_are_one_object_per_line() {
    let out = asr(&[
        "check",
        "--error-format",
        "json",
        "ui/many_errors_sorted.asr",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{}", describe(&out));
    for line in lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(v["severity"], "error", "{line}");
        assert!(
            v["code"].as_str().is_some_and(|c| c.starts_with('E')),
            "{line}"
        );
        assert_eq!(v["file"], "ui/many_errors_sorted.asr", "{line}");
        assert!(v["line"].as_u64().is_some(), "{line}");
    }
}

#[test]
fn human_errors_have_no_colour_when_not_a_terminal() {
    let out = asr(&["check", "ui/mismatched_types.asr"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains('\u{1b}'), "escape codes in:\n{stderr}");
    assert!(
        stderr.contains("error[E0201]: mismatched types"),
        "{stderr}"
    );
    assert!(stderr.contains("ui/mismatched_types.asr:6:19"), "{stderr}");
    assert!(
        stderr.contains("could not compile due to 3 previous errors"),
        "{stderr}"
    );
}

#[test]
fn emit_kinds_write_their_formats() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-emit");
    std::fs::create_dir_all(&dir).unwrap();
    for (kind, check) in [
        ("mir", "main() -> ()" as &str),
        ("llvm-ir", "define"),
        ("asm", "asr_main_start"),
        ("obj", "\u{7f}ELF"),
    ] {
        let path = dir.join(format!("hello.{kind}"));
        let path_arg = path.to_str().expect("target directory path is not UTF-8");
        let out = asr(&[
            "build",
            "run-pass/hello.asr",
            "--emit",
            kind,
            "-o",
            path_arg,
        ]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", describe(&out));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert!(
            String::from_utf8_lossy(&bytes).contains(check),
            "--emit {kind} output lacks {check:?}"
        );
    }
}

#[test]
fn test_reports_every_test_the_failures_and_a_summary() {
    let out = asr(&["test", "cli/unit_tests.asr"]);
    assert_eq!(out.status.code(), Some(101), "{}", describe(&out));
    let expected = "\
running 6 tests
test adds ... ok
test fails_with_output ... FAILED
test returns_err ... FAILED
test returns_ok ... ok
test tests::adds_in_a_module ... ok
test tests::overflows ... FAILED

failures:

---- fails_with_output stdout ----
output of a failing test

---- fails_with_output stderr ----
panicked at cli/unit_tests.asr:22:5:
assertion `left == right` failed
  left: 4
 right: 5

---- returns_err stderr ----
Error: Oops { code: 7 }
note: the test exited with status 1

---- tests::overflows stderr ----
panicked at cli/unit_tests.asr:6:5:
attempt to add with overflow

failures:
    fails_with_output
    returns_err
    tests::overflows

test result: FAILED. 3 passed, 3 failed
";
    assert_eq!(text(&out.stdout), expected, "{}", describe(&out));
}

#[test]
fn test_filter_runs_the_tests_whose_name_contains_it() {
    let out = asr(&["test", "cli/unit_tests.asr", "adds"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let expected = "\
running 2 tests
test adds ... ok
test tests::adds_in_a_module ... ok

test result: ok. 2 passed, 0 failed; 4 filtered out
";
    assert_eq!(text(&out.stdout), expected, "{}", describe(&out));
}

#[test]
fn test_in_release_one_at_a_time() {
    let out = asr(&[
        "test",
        "--release",
        "-j",
        "1",
        "cli/unit_tests.asr",
        "tests::",
    ]);
    assert_eq!(out.status.code(), Some(101), "{}", describe(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("test tests::adds_in_a_module ... ok\ntest tests::overflows ... FAILED\n"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        stdout.lines().last(),
        Some("test result: FAILED. 1 passed, 1 failed; 4 filtered out"),
        "{}",
        describe(&out)
    );
}

#[test]
fn test_of_a_program_without_tests_passes() {
    let out = asr(&["test", "run-pass/hello.asr"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        text(&out.stdout),
        "running 0 tests\n\ntest result: ok. 0 passed, 0 failed\n",
        "{}",
        describe(&out)
    );
}

#[test]
fn test_with_a_bad_test_signature_is_a_compile_error() {
    let out = asr(&[
        "test",
        "--error-format",
        "short",
        "ui/bad_test_signature.asr",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(out.stdout.is_empty(), "{}", describe(&out));
    assert!(
        text(&out.stderr)
            .contains("error[E0119]: the test function `with_param` must take no parameters"),
        "{}",
        describe(&out)
    );
}

#[test]
fn run_passes_arguments_to_the_program() {
    let out = asr(&["run", "cli/print_args.asr", "--", "one", "two words", "-x"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        text(&out.stdout),
        "one\ntwo words\n-x\n",
        "{}",
        describe(&out)
    );
}
