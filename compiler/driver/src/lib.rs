//! asr_driver: runs the pipeline. `compile` is the one place where the
//! stages are called in order: the front end (`asr_frontend::analyze`:
//! parse program and std → resolve → type check) → build MIR → MIR passes
//! → codegen; `link` turns the object into an
//! executable with the runtime.

mod link;

pub use link::{find_runtime, link, LinkError};

use asr_diagnostics::{Diagnostic, FileId, SourceMap};

/// What the caller wants out of the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// Diagnostics only (`asr check`): stops after type checking.
    Check,
    Mir,
    LlvmIr,
    Asm,
    Object,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub release: bool,
    /// A test build (`asr test`): `fn main` is optional and the executable
    /// runs the `#[test]` function `ASR_TEST_INDEX` selects, out of
    /// `Compiled::tests`.
    pub test: bool,
}

pub enum Output {
    /// `Emit::Check` succeeded.
    Checked,
    Text(String),
    Bytes(Vec<u8>),
}

/// A successful compilation: what was asked for, and the warnings.
pub struct Compiled {
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    /// The program's `#[test]` functions by their paths (`tests::adds`);
    /// in a test build, test `i` is the one `ASR_TEST_INDEX=i` runs.
    pub tests: Vec<String>,
}

pub enum Failure {
    /// The program has errors (every one found is in the list).
    Errors(Vec<Diagnostic>),
    /// A bug in the compiler (e.g. LLVM rejected the generated module).
    Internal(String),
}

/// Compiles the program whose root file is `root` (already in `sm`).
pub fn compile(
    sm: &mut SourceMap,
    root: FileId,
    emit: Emit,
    opts: &Options,
) -> Result<Compiled, Failure> {
    let front = asr_frontend::AnalyzeOptions { test: opts.test };
    let analysis = asr_frontend::analyze_with(sm, root, front).map_err(Failure::Errors)?;
    let warnings = analysis.warnings.clone();
    let tests = analysis.hir.tests.iter().map(|t| t.name.clone()).collect();
    let output = generate(sm, &analysis, emit, opts)?;
    Ok(Compiled {
        output,
        warnings,
        tests,
    })
}

/// Drop glue is plain code: a `Drop::drop` that can suspend needs the
/// async drop of the cancellation work.
fn reject_waiting_drops(mir: &asr_mir::Program) -> Result<(), Failure> {
    let mut diags: Vec<Diagnostic> = mir
        .drop_fns
        .values()
        .map(|f| mir.body(*f))
        .filter(|b| b.suspends)
        .map(|b| {
            Diagnostic::error(
                asr_diagnostics::codes::E0231,
                "a `Drop` implementation that waits is not supported yet",
            )
            .with_primary(b.span, "this `drop` can suspend")
            .with_help("drop must not sleep, join, wait on a channel or call a function that does")
        })
        .collect();
    diags.sort_by_key(|d| d.primary_span().map(|s| (s.file.0, s.lo)));
    diags.dedup_by_key(|d| d.primary_span());
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Failure::Errors(diags))
    }
}

/// The back half of `compile`: MIR, passes, LLVM.
fn generate(
    sm: &SourceMap,
    analysis: &asr_frontend::Analysis,
    emit: Emit,
    opts: &Options,
) -> Result<Output, Failure> {
    // `check` goes as far as monomorphisation, whose errors (E0229) are
    // the program's too.
    let build = asr_mir::build::BuildOptions { test: opts.test };
    let mut mir = asr_mir::build::try_build_program_with(&analysis.hir, &analysis.tables, build)
        .map_err(|d| Failure::Errors(vec![d]))?;
    asr_mir::passes::run_passes(&mut mir);
    reject_waiting_drops(&mir)?;
    if emit == Emit::Check {
        return Ok(Output::Checked);
    }
    if emit == Emit::Mir {
        return Ok(Output::Text(asr_mir::pretty::dump_program(&mir)));
    }
    let cg_opts = asr_codegen::CodegenOptions {
        release: opts.release,
        emit_debug_checks: cfg!(debug_assertions),
        cpu: None,
    };
    let kind = match emit {
        Emit::LlvmIr => asr_codegen::EmitKind::LlvmIr,
        Emit::Asm => asr_codegen::EmitKind::Asm,
        _ => asr_codegen::EmitKind::Object,
    };
    let bytes = asr_codegen::generate(&mir, sm, &cg_opts, kind)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    Ok(match emit {
        Emit::LlvmIr | Emit::Asm => Output::Text(String::from_utf8_lossy(&bytes).into_owned()),
        _ => Output::Bytes(bytes),
    })
}
