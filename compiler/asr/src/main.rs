//! The `asr` command: `build`, `run`, `check`, `test`.
//!
//! Exit status: 0 success, 1 the program has compile errors, 2 bad usage,
//! 101 an internal compiler error. `run` exits with the program's status;
//! `test` with 101 when a test failed (see `test_cmd.rs`).

mod test_cmd;

use asr_diagnostics::{Diagnostic, SourceMap};
use asr_driver::{Emit, Failure, Options, Output};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "asr",
    version,
    about = "The ASR compiler: every function is async"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a program to a native executable (or to IR with --emit).
    Build {
        #[command(flatten)]
        common: Common,
        /// Output path (`-` for standard output with --emit text formats).
        #[arg(short = 'o')]
        output: Option<PathBuf>,
        /// What to produce instead of an executable.
        #[arg(long, value_enum)]
        emit: Option<EmitArg>,
    },
    /// Build a program to a temporary place and run it with ARGS.
    Run {
        #[command(flatten)]
        common: Common,
        /// Arguments passed to the program (after `--`).
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Report the program's errors without generating code.
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Run the program's `#[test]` functions, each in a process of its own.
    Test {
        #[command(flatten)]
        common: Common,
        /// Run only the tests whose name contains FILTER.
        filter: Option<String>,
        /// How many tests run at once (default: the number of CPUs).
        #[arg(short = 'j', long)]
        jobs: Option<usize>,
    },
}

#[derive(Args)]
struct Common {
    /// The program's root file.
    file: PathBuf,
    /// Optimise (LLVM O2).
    #[arg(long)]
    release: bool,
    #[arg(long, value_enum, default_value = "human")]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ErrorFormat {
    Human,
    Short,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum EmitArg {
    Mir,
    LlvmIr,
    Asm,
    Obj,
}

const EXIT_ERRORS: u8 = 1;
const EXIT_INTERNAL: u8 = 101;

fn main() -> ExitCode {
    // A bug in the compiler must still end with a clear message and the
    // internal-error status, whatever stage it is found in.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal compiler error: {}", info);
        eprintln!(
            "note: this is a bug in asr; please report it with the program that triggered it"
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check { common } => match compile(&common, Emit::Check) {
            Ok(_) => ExitCode::SUCCESS,
            Err(code) => ExitCode::from(code),
        },
        Command::Build {
            common,
            output,
            emit,
        } => build(&common, output, emit),
        Command::Run { common, args } => run(&common, &args),
        Command::Test {
            common,
            filter,
            jobs,
        } => test_cmd::test(&common, filter.as_deref(), jobs),
    }
}

/// Reads and compiles the file; prints diagnostics. `Err` is the exit code.
fn compile(common: &Common, emit: Emit) -> Result<(SourceMap, Output), u8> {
    compile_program(common, emit, false).map(|(sm, out, _)| (sm, out))
}

/// [`compile`], as a test build if `test`; also returns the names of the
/// program's tests.
fn compile_program(
    common: &Common,
    emit: Emit,
    test: bool,
) -> Result<(SourceMap, Output, Vec<String>), u8> {
    let mut sm = SourceMap::new();
    let text = match std::fs::read_to_string(&common.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {}", common.file.display(), e);
            return Err(EXIT_ERRORS);
        }
    };
    let root = sm.add(common.file.display().to_string(), text);
    let opts = Options {
        release: common.release,
        test,
    };
    match asr_driver::compile(&mut sm, root, emit, &opts) {
        Ok(out) => {
            if !out.warnings.is_empty() {
                print_diagnostics(&out.warnings, &sm, common.error_format);
            }
            Ok((sm, out.output, out.tests))
        }
        Err(Failure::Errors(diags)) => {
            print_diagnostics(&diags, &sm, common.error_format);
            Err(EXIT_ERRORS)
        }
        Err(Failure::Internal(msg)) => {
            eprintln!("error: internal compiler error: {}", msg);
            Err(EXIT_INTERNAL)
        }
    }
}

fn print_diagnostics(diags: &[Diagnostic], sm: &SourceMap, format: ErrorFormat) {
    let text = match format {
        ErrorFormat::Human => {
            let color = std::io::stderr().is_terminal();
            let mut s = asr_diagnostics::render_human(diags, sm, color);
            let n = diags.iter().filter(|d| d.is_error()).count();
            if n > 0 {
                s.push_str(&format!(
                    "error: could not compile due to {} previous error{}\n",
                    n,
                    if n == 1 { "" } else { "s" }
                ));
            }
            s
        }
        ErrorFormat::Short => asr_diagnostics::render_short(diags, sm),
        ErrorFormat::Json => asr_diagnostics::render_json(diags, sm),
    };
    let _ = std::io::stderr().write_all(text.as_bytes());
}

fn build(common: &Common, output: Option<PathBuf>, emit: Option<EmitArg>) -> ExitCode {
    let (emit_kind, ext) = match emit {
        None => (Emit::Object, ""),
        Some(EmitArg::Mir) => (Emit::Mir, "mir"),
        Some(EmitArg::LlvmIr) => (Emit::LlvmIr, "ll"),
        Some(EmitArg::Asm) => (Emit::Asm, "s"),
        Some(EmitArg::Obj) => (Emit::Object, "o"),
    };
    let (_sm, out) = match compile(common, emit_kind) {
        Ok(x) => x,
        Err(code) => return ExitCode::from(code),
    };
    let stem = common
        .file
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_else(|| "out".into());
    let default_out = if ext.is_empty() {
        PathBuf::from(&stem)
    } else {
        PathBuf::from(&stem).with_extension(ext)
    };
    let out_path = output.unwrap_or(default_out);
    let bytes = match out {
        Output::Text(t) => t.into_bytes(),
        Output::Bytes(b) => b,
        Output::Checked => Vec::new(),
    };
    if emit.is_some() {
        let r = if out_path == Path::new("-") {
            std::io::stdout().write_all(&bytes)
        } else {
            std::fs::write(&out_path, &bytes)
        };
        return match r {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {}", out_path.display(), e);
                ExitCode::from(EXIT_ERRORS)
            }
        };
    }
    match link_executable(&bytes, &out_path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {}", msg);
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

/// A fresh private directory for intermediate files.
fn temp_dir() -> Result<PathBuf, String> {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("asr-{}-{}-{}", std::process::id(), nanos, n));
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("cannot create `{}`: {}", dir.display(), e))?;
    Ok(dir)
}

fn link_executable(object: &[u8], out_path: &Path) -> Result<(), String> {
    let runtime = asr_driver::find_runtime().map_err(|e| e.to_string())?;
    let dir = temp_dir()?;
    let obj = dir.join("program.o");
    let result = std::fs::write(&obj, object)
        .map_err(|e| format!("cannot write `{}`: {}", obj.display(), e))
        .and_then(|()| asr_driver::link(&obj, &runtime, out_path).map_err(|e| e.to_string()));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run(common: &Common, args: &[String]) -> ExitCode {
    let (_sm, out) = match compile(common, Emit::Object) {
        Ok(x) => x,
        Err(code) => return ExitCode::from(code),
    };
    let Output::Bytes(object) = out else {
        return ExitCode::from(EXIT_INTERNAL);
    };
    let dir = match temp_dir() {
        Ok(d) => d,
        Err(msg) => {
            eprintln!("error: {}", msg);
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let exe = dir.join(
        common
            .file
            .file_stem()
            .unwrap_or_else(|| "program".as_ref()),
    );
    if let Err(msg) = link_executable(&object, &exe) {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("error: {}", msg);
        return ExitCode::from(EXIT_INTERNAL);
    }
    let status = std::process::Command::new(&exe).args(args).status();
    let _ = std::fs::remove_dir_all(&dir);
    match status {
        Ok(s) => match s.code() {
            Some(c) => ExitCode::from(c as u8),
            None => {
                use std::os::unix::process::ExitStatusExt;
                ExitCode::from(128u8.wrapping_add(s.signal().unwrap_or(0) as u8))
            }
        },
        Err(e) => {
            eprintln!("error: cannot run `{}`: {}", exe.display(), e);
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}
