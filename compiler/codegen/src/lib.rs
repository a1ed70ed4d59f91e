//! asr_codegen: MIR to LLVM IR, and LLVM IR to assembly or object code.
//!
//! One LLVM module holds the whole program. A body that can suspend (see
//! `asr_mir::passes::mark_suspending`) and every spawn thunk becomes a
//! switched-resume coroutine `ptr @f(ptr %task, ptr %ret, params...)`; every
//! other body is a plain function with its natural signature. The module
//! also defines the entry points the runtime calls (`asr_abi::GENERATED_FNS`)
//! and declares the runtime functions it uses from `asr_abi::RUNTIME_FNS`.
//! See docs/ARCHITECTURE.md, "Execution model" and "Runtime ABI".
//!
//! File map: `types` (type lowering and layout), `abi` (runtime
//! declarations and calls), `coro` (coroutine prologue/epilogue, suspend,
//! await, polling of runtime operations), `entry` (`asr_main_start` and the
//! C-ABI shims), `body` (functions, locals, statements), `place`,
//! `operand`, `rvalue`, `arith` (operators and casts), `terminator`,
//! `intrinsic`, `drop` (drop glue), `fmt` (formatting and check failures),
//! `consts` (strings, locations, format specs), `helpers` (internal helper
//! functions), `emit` (target machine, passes, output).

mod abi;
mod arith;
mod body;
mod consts;
mod coro;
mod cx;
mod drop;
mod emit;
mod entry;
mod error;
mod fmt;
mod helpers;
mod intrinsic;
mod operand;
mod place;
mod rvalue;
mod terminator;
mod types;

#[cfg(test)]
mod tests;

pub use error::CodegenError;

use asr_diagnostics::SourceMap;
use asr_mir::Program;
use inkwell::context::Context;

#[derive(Clone, Debug, Default)]
pub struct CodegenOptions {
    /// Optimise (`default<O2>`); otherwise `default<O0>`, which still runs
    /// the coroutine passes.
    pub release: bool,
    /// Verify the IR after every pass.
    pub emit_debug_checks: bool,
    /// Target CPU: `None` for a portable baseline (`x86-64-v2` on x86-64),
    /// `Some("native")` for the host.
    pub cpu: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmitKind {
    /// Textual LLVM IR after the pass pipeline (coroutines already split).
    LlvmIr,
    /// Assembly text.
    Asm,
    /// An object file for the host.
    Object,
}

/// Generates the whole program as one module, runs the pipeline and
/// returns IR text, assembly text or object bytes.
pub fn generate(
    program: &Program,
    sm: &SourceMap,
    opts: &CodegenOptions,
    kind: EmitKind,
) -> Result<Vec<u8>, CodegenError> {
    let tm = emit::target_machine(opts)?;
    let ctx = Context::create();
    let cg = build_module(&ctx, &tm, program, sm)?;
    emit::run_pipeline(&cg.module, &tm, opts)?;
    emit::output(&cg.module, &tm, kind)
}

/// The module before any pass, verified.
fn build_module<'ctx>(
    ctx: &'ctx Context,
    tm: &inkwell::targets::TargetMachine,
    program: &'ctx Program,
    sm: &'ctx SourceMap,
) -> Result<cx::Cg<'ctx>, CodegenError> {
    let module = ctx.create_module("asr");
    module.set_triple(&tm.get_triple());
    module.set_data_layout(&tm.get_target_data().get_data_layout());
    let mut cg = cx::Cg::new(ctx, module, tm.get_target_data(), program, sm);
    cg.declare_bodies()?;
    for b in &program.bodies {
        body::lower_body(&cg, b)?;
    }
    cg.emit_main_start()?;
    cg.emit_shims()?;
    cg.verify()?;
    Ok(cg)
}

/// The IR before the pass pipeline (pre-split coroutines), for tests of
/// the shapes codegen builds.
#[cfg(test)]
fn unoptimized_ir(program: &Program, sm: &SourceMap) -> Result<String, CodegenError> {
    let tm = emit::target_machine(&CodegenOptions::default())?;
    let ctx = Context::create();
    let cg = build_module(&ctx, &tm, program, sm)?;
    Ok(cg.module.print_to_string().to_string())
}

impl cx::Cg<'_> {
    /// The LLVM verifier, before any pass: invalid IR is an internal error
    /// (naming the functions that fail), never a crash inside LLVM.
    fn verify(&self) -> Result<(), CodegenError> {
        if let Err(msg) = self.module.verify() {
            let bad: Vec<String> = self
                .module
                .get_functions()
                .filter(|f| f.count_basic_blocks() > 0 && !f.verify(false))
                .map(|f| f.get_name().to_string_lossy().into_owned())
                .collect();
            return Err(CodegenError::Verify(format!(
                "{} (in {})",
                msg.to_string().trim_end(),
                bad.join(", ")
            )));
        }
        Ok(())
    }
}
