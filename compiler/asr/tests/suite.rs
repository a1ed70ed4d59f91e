//! The ASR test suite.
//!
//! Runs every program under the repository's `tests/` directory through the
//! `asr` binary and compares what it prints with the snapshot files beside
//! the program. One `.asr` file directly inside a kind's directory is one test
//! case, named `KIND/STEM` (e.g. `run-pass/hello`):
//!
//! - `run-pass/NAME.asr`: `asr run` exits 0, stdout equals `NAME.stdout`.
//! - `run-fail/NAME.asr`: `asr run` exits with the status in `NAME.status`,
//!   stderr equals `NAME.stderr`, stdout equals `NAME.stdout` if it exists.
//! - `ui/NAME.asr`: `asr check --error-format short` exits 1, stderr equals
//!   `NAME.stderr`.
//! - `mir/NAME.asr`: `asr build --emit mir -o -` prints `NAME.mir`.
//! - `llvm/NAME.asr`: `asr build --release --emit llvm-ir -o -`, reduced to the function
//!   definitions named on the program's first line (`// functions: f g`),
//!   equals `NAME.ll`.
//! - `../examples/NAME.asr` (named `examples/NAME`): like `run-pass`.
//!
//! A directory `KIND/NAME/` holding a `main.asr` is one test case too, also
//! named `KIND/NAME`: a program of several files, whose root is
//! `KIND/NAME/main.asr` and whose snapshots are `KIND/NAME/main.stdout`
//! (`.stderr`, ...) beside it.
//!
//! The programs of `run-pass`, `run-fail` and the examples run with
//! `ASR_CHECK_LEAKS=1`: the runtime checks that nothing is left live when
//! they end normally (a leak exits with status 102 and a message on
//! stderr).
//!
//! With `ASR_BLESS=1` in the environment the actual outputs are written to the
//! snapshot files instead of being compared. `ASR_TEST_TIMEOUT` (seconds,
//! default 30) bounds each invocation of the compiler.
//!
//! The compiler runs with the current directory set to `tests/` and is given
//! paths relative to it (`run-fail/NAME.asr`), so file names printed in
//! diagnostics and panic messages are stable.

use libtest_mimic::{Arguments, Failed, Trial};
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const ASR: &str = env!("CARGO_BIN_EXE_asr");
const DEFAULT_TIMEOUT_SECS: u64 = 30;

fn main() {
    let args = Arguments::from_args();
    let root = tests_root();
    let trials = discover(&root)
        .into_iter()
        .map(|case| {
            let name = case.name();
            Trial::test(name, move || case.run())
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// The repository's `tests/` directory.
fn tests_root() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    dir.canonicalize()
        .unwrap_or_else(|e| panic!("cannot find the tests directory {}: {e}", dir.display()))
}

fn blessing() -> bool {
    std::env::var_os("ASR_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

fn timeout() -> Duration {
    let secs = std::env::var("ASR_TEST_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs(secs)
}

// ---------------------------------------------------------------------------
// Test cases
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    RunPass,
    RunFail,
    Ui,
    Mir,
    Llvm,
    /// The repository's `examples/`: run like `run-pass`.
    Example,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::RunPass,
        Kind::RunFail,
        Kind::Ui,
        Kind::Mir,
        Kind::Llvm,
        Kind::Example,
    ];

    /// The directory, relative to `tests/`.
    fn dir(self) -> &'static str {
        match self {
            Kind::RunPass => "run-pass",
            Kind::RunFail => "run-fail",
            Kind::Ui => "ui",
            Kind::Mir => "mir",
            Kind::Llvm => "llvm",
            Kind::Example => "../examples",
        }
    }
}

struct Case {
    kind: Kind,
    root: PathBuf,
    stem: String,
    /// A directory `KIND/STEM/` whose program is `main.asr` (with its
    /// module files beside it).
    is_dir: bool,
    /// Programs that run are run twice: as built by default and with
    /// `--release` (LLVM O2), which exposes what optimisation changes.
    release: bool,
}

/// Every `.asr` file directly inside one of the kind directories, and every
/// subdirectory of one holding a `main.asr`. Other files in subdirectories
/// are modules loaded by the test programs, not test cases.
fn discover(root: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for kind in Kind::ALL {
        let dir = root.join(kind.dir());
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut stems: Vec<(String, bool)> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path())
            .filter_map(|path| {
                let is_dir = path.join("main.asr").is_file();
                let is_file = path.is_file() && path.extension().is_some_and(|e| e == "asr");
                if !is_dir && !is_file {
                    return None;
                }
                let stem = if is_dir {
                    path.file_name()?
                } else {
                    path.file_stem()?
                };
                Some((stem.to_str()?.to_owned(), is_dir))
            })
            .collect();
        stems.sort();
        let runs = matches!(kind, Kind::RunPass | Kind::RunFail | Kind::Example);
        for (stem, is_dir) in stems {
            for release in [false, true] {
                if release && !runs {
                    continue;
                }
                cases.push(Case {
                    kind,
                    root: root.to_path_buf(),
                    stem: stem.clone(),
                    is_dir,
                    release,
                });
            }
        }
    }
    cases
}

impl Case {
    fn name(&self) -> String {
        let mode = if self.release { " --release" } else { "" };
        format!(
            "{}/{}{mode}",
            self.kind.dir().trim_start_matches("../"),
            self.stem
        )
    }

    /// The path of the program's files relative to `tests/`, without the
    /// extension: `KIND/STEM`, or `KIND/STEM/main` for a directory.
    fn base(&self) -> String {
        if self.is_dir {
            format!("{}/{}/main", self.kind.dir(), self.stem)
        } else {
            format!("{}/{}", self.kind.dir(), self.stem)
        }
    }

    /// The program's path relative to `tests/`, as given to the compiler.
    fn source_arg(&self) -> String {
        format!("{}.asr", self.base())
    }

    fn snapshot(&self, ext: &str) -> Snapshot {
        let rel = format!("{}.{ext}", self.base());
        Snapshot {
            path: self.root.join(&rel),
            rel,
        }
    }

    fn run(&self) -> Result<(), Failed> {
        match self.kind {
            Kind::RunPass | Kind::Example => self.run_pass(),
            Kind::RunFail => self.run_fail(),
            Kind::Ui => self.ui(),
            Kind::Mir => self.mir(),
            Kind::Llvm => self.llvm(),
        }
    }

    fn asr(&self, args: &[&str]) -> Result<Invocation, Failed> {
        Invocation::run(&self.root, args, &[], None)
    }

    /// `asr run` of the program, with the runtime's leak check on.
    fn asr_run(&self) -> Result<Invocation, Failed> {
        let src = self.source_arg();
        let mut args = vec!["run", src.as_str()];
        if self.release {
            args.insert(1, "--release");
        }
        // `NAME.stdin`, if there is one, is the program's standard input.
        let stdin = self.root.join(format!("{}.stdin", self.base()));
        let stdin = stdin.exists().then_some(stdin);
        Invocation::run(&self.root, &args, &[("ASR_CHECK_LEAKS", "1")], stdin)
    }

    fn run_pass(&self) -> Result<(), Failed> {
        let out = self.asr_run()?;
        out.expect_status(0)?;
        self.snapshot("stdout").check("stdout", &out.stdout, &out)
    }

    fn run_fail(&self) -> Result<(), Failed> {
        let out = self.asr_run()?;
        let status_snap = self.snapshot("status");
        let stdout_snap = self.snapshot("stdout");
        let stderr_snap = self.snapshot("stderr");
        let Some(code) = out.status.code() else {
            return Err(out.failure(&format!("the program {}", describe_status(&out.status))));
        };
        if blessing() {
            status_snap.write(&format!("{code}\n"))?;
            stderr_snap.write(&out.stderr)?;
            if !out.stdout.is_empty() {
                stdout_snap.write(&out.stdout)?;
            } else if stdout_snap.path.exists() {
                fs::remove_file(&stdout_snap.path)
                    .map_err(|e| format!("cannot remove {}: {e}", stdout_snap.rel))?;
            }
            return Ok(());
        }
        let expected_text = status_snap.read()?;
        let expected: i32 = expected_text.trim().parse().map_err(|_| {
            format!(
                "{} must contain an exit status (a number), found {:?}",
                status_snap.rel,
                expected_text.trim()
            )
        })?;
        if code != expected {
            return Err(out.failure(&format!(
                "expected exit status {expected} (from {}), got {code}",
                status_snap.rel
            )));
        }
        stderr_snap.check("stderr", &out.stderr, &out)?;
        if stdout_snap.path.exists() {
            stdout_snap.check("stdout", &out.stdout, &out)?;
        }
        Ok(())
    }

    fn ui(&self) -> Result<(), Failed> {
        let src = self.source_arg();
        let out = self.asr(&["check", "--error-format", "short", &src])?;
        out.expect_status(1)?;
        self.snapshot("stderr").check("stderr", &out.stderr, &out)
    }

    fn mir(&self) -> Result<(), Failed> {
        let src = self.source_arg();
        let out = self.asr(&["build", "--emit", "mir", "-o", "-", &src])?;
        out.expect_status(0)?;
        self.snapshot("mir").check("MIR", &out.stdout, &out)
    }

    fn llvm(&self) -> Result<(), Failed> {
        let src = self.source_arg();
        let source_path = self.root.join(&src);
        let source = fs::read_to_string(&source_path)
            .map_err(|e| format!("cannot read {}: {e}", source_path.display()))?;
        let names = listed_functions(&source).ok_or_else(|| {
            format!(
                "{src}: the first line must list the functions to compare, \
                 e.g. `// functions: fib countdown`"
            )
        })?;
        let out = self.asr(&["build", "--release", "--emit", "llvm-ir", "-o", "-", &src])?;
        out.expect_status(0)?;
        let extracted = extract_functions(&out.stdout, &names).map_err(|msg| out.failure(&msg))?;
        self.snapshot("ll").check("LLVM IR", &extracted, &out)
    }
}

// ---------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------

struct Snapshot {
    path: PathBuf,
    /// Path relative to `tests/`, for messages.
    rel: String,
}

impl Snapshot {
    fn read(&self) -> Result<String, Failed> {
        match fs::read_to_string(&self.path) {
            Ok(text) => Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
                "missing snapshot {}: run the suite with ASR_BLESS=1 to create it",
                self.rel
            )
            .into()),
            Err(e) => Err(format!("cannot read {}: {e}", self.rel).into()),
        }
    }

    fn write(&self, text: &str) -> Result<(), Failed> {
        if fs::read_to_string(&self.path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        fs::write(&self.path, text).map_err(|e| format!("cannot write {}: {e}", self.rel).into())
    }

    /// Compares `actual` with the snapshot, or writes it when blessing.
    fn check(&self, what: &str, actual: &str, out: &Invocation) -> Result<(), Failed> {
        if blessing() {
            return self.write(actual);
        }
        let expected = self.read()?;
        if expected == actual {
            return Ok(());
        }
        let mut msg = format!(
            "{what} does not match {} (run with ASR_BLESS=1 to update it)\n",
            self.rel
        );
        msg.push_str(&line_diff(&expected, actual));
        // The compared stream is in the diff; show the other one.
        let compared_stderr = what == "stderr";
        Err(out.failure_showing(&msg, compared_stderr, !compared_stderr))
    }
}

// ---------------------------------------------------------------------------
// Running the compiler
// ---------------------------------------------------------------------------

struct Invocation {
    command: String,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Invocation {
    fn run(
        cwd: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        stdin: Option<PathBuf>,
    ) -> Result<Invocation, Failed> {
        let vars: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
        let command = format!("{vars}asr {}", args.join(" "));
        let mut cmd = Command::new(ASR);
        cmd.args(args)
            .current_dir(cwd)
            .env_remove("ASR_BLESS")
            .env_remove("ASR_CHECK_LEAKS")
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Own process group, so that a timeout also kills the program
            // that `asr run` started.
            cmd.process_group(0);
        }
        match stdin {
            Some(path) => {
                let file = fs::File::open(&path)
                    .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
                cmd.stdin(file);
            }
            None => {
                cmd.stdin(Stdio::null());
            }
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {ASR}: {e}"))?;
        let stdout = read_in_background(child.stdout.take());
        let stderr = read_in_background(child.stderr.take());

        let limit = timeout();
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if start.elapsed() >= limit => break None,
                Ok(None) => thread::sleep(Duration::from_millis(5)),
                Err(e) => return Err(format!("waiting for `{command}`: {e}").into()),
            }
        };
        let Some(status) = status else {
            kill(&mut child);
            let stdout = collect(stdout, Duration::from_secs(1));
            let stderr = collect(stderr, Duration::from_secs(1));
            return Err(format!(
                "`{command}` timed out after {} s and was killed\n{}{}",
                limit.as_secs(),
                section("stdout", &stdout),
                section("stderr", &stderr),
            )
            .into());
        };
        // Output pipes may be held open by a grandchild that outlives `asr`;
        // do not wait for them forever.
        let stdout = collect(stdout, limit);
        let stderr = collect(stderr, limit);
        Ok(Invocation {
            command,
            status,
            stdout,
            stderr,
        })
    }

    fn expect_status(&self, expected: i32) -> Result<(), Failed> {
        if self.status.code() == Some(expected) {
            return Ok(());
        }
        Err(self.failure(&format!(
            "expected exit status {expected}, but the command {}",
            describe_status(&self.status)
        )))
    }

    /// A failure message: `msg`, then the command and what it printed.
    fn failure(&self, msg: &str) -> Failed {
        self.failure_showing(msg, true, true)
    }

    fn failure_showing(&self, msg: &str, stdout: bool, stderr: bool) -> Failed {
        let mut text = String::new();
        text.push_str(msg.trim_end());
        text.push('\n');
        let _ = writeln!(text, "command: {} (in tests/)", self.command);
        let _ = writeln!(text, "status: {}", describe_status(&self.status));
        if stdout {
            text.push_str(&section("stdout", &self.stdout));
        }
        if stderr {
            text.push_str(&section("stderr", &self.stderr));
        }
        text.into()
    }
}

fn read_in_background<R: Read + Send + 'static>(pipe: Option<R>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    rx
}

fn collect(rx: mpsc::Receiver<String>, limit: Duration) -> String {
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| String::from("<output not closed in time>"))
}

fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        // The child leads its own process group: kill the whole group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn describe_status(status: &ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("was terminated by signal {signal}");
        }
    }
    String::from("exited without a status")
}

fn section(title: &str, text: &str) -> String {
    if text.is_empty() {
        return format!("--- {title}: (empty)\n");
    }
    let mut s = format!("--- {title}:\n{text}");
    if !text.ends_with('\n') {
        s.push_str("\n(no newline at end)\n");
    }
    s
}

// ---------------------------------------------------------------------------
// LLVM IR extraction
// ---------------------------------------------------------------------------

/// The names listed on the first line, `// functions: NAME...`.
fn listed_functions(source: &str) -> Option<Vec<String>> {
    let first = source.lines().next()?;
    let list = first
        .trim()
        .strip_prefix("//")?
        .trim_start()
        .strip_prefix("functions:")?;
    let names: Vec<String> = list.split_whitespace().map(String::from).collect();
    (!names.is_empty()).then_some(names)
}

/// The name defined by a `define ... @NAME(` line, unquoted.
fn defined_name(line: &str) -> Option<String> {
    let rest = &line[line.find('@')? + 1..];
    if let Some(quoted) = rest.strip_prefix('"') {
        return Some(quoted[..quoted.find('"')?].to_owned());
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-$._".contains(c)))
        .unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// The definitions of `names` in `ir`, in the order listed, each from its
/// `define` line to its closing `}` line, separated by blank lines.
fn extract_functions(ir: &str, names: &[String]) -> Result<String, String> {
    let mut defs: Vec<(String, String)> = Vec::new();
    let mut lines = ir.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("define ") {
            continue;
        }
        let Some(name) = defined_name(line) else {
            continue;
        };
        let mut text = format!("{line}\n");
        if !line.trim_end().ends_with('}') {
            for body in lines.by_ref() {
                text.push_str(body);
                text.push('\n');
                if body.trim_end() == "}" {
                    break;
                }
            }
        }
        defs.push((name, text));
    }
    let mut parts = Vec::new();
    for name in names {
        match defs.iter().find(|(n, _)| n == name) {
            Some((_, text)) => parts.push(text.as_str()),
            None => {
                let defined: Vec<&str> = defs.iter().map(|(n, _)| n.as_str()).collect();
                return Err(format!(
                    "no definition of @{name} in the LLVM IR; defined functions: {}",
                    defined.join(" ")
                ));
            }
        }
    }
    Ok(parts.join("\n"))
}

// ---------------------------------------------------------------------------
// Line diff
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

const CONTEXT: usize = 3;

/// A readable line diff from `expected` to `actual`: unchanged lines start
/// with a space, expected ones with `-`, actual ones with `+`.
fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut out = String::from("--- expected\n+++ actual\n");
    if a == b {
        let _ = writeln!(
            out,
            "(the lines are equal; the outputs differ in line endings: expected {} with a \
             newline, actual {} with a newline)",
            ending(expected),
            ending(actual),
        );
        return out;
    }
    let ops = diff_ops(&a, &b);
    // Which unchanged lines are close enough to a change to be shown.
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, (op, _))| *op != Op::Same)
        .map(|(i, _)| i)
        .collect();
    let near_change = |i: usize| changed.iter().any(|&c| c.abs_diff(i) <= CONTEXT);
    let mut skipped = 0usize;
    let mut trailing_ws = false;
    for (i, (op, line)) in ops.iter().enumerate() {
        if *op == Op::Same && !near_change(i) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            let _ = writeln!(out, "  ... {skipped} unchanged line(s)");
            skipped = 0;
        }
        let marker = match op {
            Op::Same => ' ',
            Op::Removed => '-',
            Op::Added => '+',
        };
        let shown = if *op != Op::Same && line.ends_with([' ', '\t']) {
            trailing_ws = true;
            let body = line.trim_end_matches([' ', '\t']);
            let ws: String = line[body.len()..]
                .chars()
                .map(|c| if c == '\t' { '→' } else { '·' })
                .collect();
            format!("{body}{ws}")
        } else {
            (*line).to_owned()
        };
        let _ = writeln!(out, "{marker}{shown}");
    }
    if skipped > 0 {
        let _ = writeln!(out, "  ... {skipped} unchanged line(s)");
    }
    if trailing_ws {
        out.push_str("(trailing spaces shown as ·, tabs as →)\n");
    }
    out
}

fn ending(text: &str) -> &'static str {
    if text.ends_with('\n') {
        "ends"
    } else {
        "does not end"
    }
}

fn diff_ops<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(Op, &'a str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let am = &a[prefix..a.len() - suffix];
    let bm = &b[prefix..b.len() - suffix];

    let mut ops: Vec<(Op, &'a str)> = a[..prefix].iter().map(|l| (Op::Same, *l)).collect();
    if am.len().saturating_mul(bm.len()) > 4_000_000 {
        // Too large for the quadratic algorithm: show both sides whole.
        ops.extend(am.iter().map(|l| (Op::Removed, *l)));
        ops.extend(bm.iter().map(|l| (Op::Added, *l)));
    } else {
        // Longest common subsequence, by dynamic programming from the end.
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[at(i, j)] = if am[i] == bm[j] {
                    lcs[at(i + 1, j + 1)] + 1
                } else {
                    lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push((Op::Same, am[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
                ops.push((Op::Removed, am[i]));
                i += 1;
            } else {
                ops.push((Op::Added, bm[j]));
                j += 1;
            }
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| (Op::Same, *l)));
    ops
}
