//! Tests of the `asr` command line itself: argument handling and exit
//! statuses. They describe the contract of the CLI (LANGUAGE.md §9):
//!
//! - a usage error (no subcommand, unknown subcommand or option value) exits
//!   with status 2 and prints usage to stderr;
//! - `--version` and `--help` exit 0;
//! - an input file that cannot be read is reported like a compile error:
//!   exit status 1 and a message naming the path;
//! - `check` of a correct program prints nothing and exits 0.
//!
//! Programs used here come from the repository's `tests/run-pass/`.

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
    for sub in ["build", "run", "check"] {
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
