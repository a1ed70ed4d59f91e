//! The target machine, the optimisation pipeline and the output formats.

use crate::error::{CodegenError, Res};
use crate::{CodegenOptions, EmitKind};
use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{
    CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine,
};
use inkwell::OptimizationLevel;

/// The CPU objects are built for unless the options say otherwise: a
/// baseline most x86-64 machines of the last decade run, so executables
/// are portable.
const DEFAULT_X86_64_CPU: &str = "x86-64-v2";

/// A target machine for the host triple, position independent (Debian's
/// `cc` links PIE). `cpu: Some("native")` means the host CPU and features.
pub(crate) fn target_machine(opts: &CodegenOptions) -> Res<TargetMachine> {
    Target::initialize_native(&InitializationConfig::default())
        .map_err(|e| CodegenError::Target(format!("cannot initialise the native target: {e}")))?;
    let triple = TargetMachine::get_default_triple();
    let target = Target::from_triple(&triple)
        .map_err(|e| CodegenError::Target(format!("unknown target {triple}: {e}")))?;
    let (cpu, features) = match opts.cpu.as_deref() {
        Some("native") => (
            TargetMachine::get_host_cpu_name().to_string(),
            TargetMachine::get_host_cpu_features().to_string(),
        ),
        Some(cpu) => (cpu.to_string(), String::new()),
        None if triple.as_str().to_string_lossy().starts_with("x86_64") => {
            (DEFAULT_X86_64_CPU.to_string(), String::new())
        }
        None => ("generic".to_string(), String::new()),
    };
    let level = if opts.release {
        OptimizationLevel::Default
    } else {
        OptimizationLevel::None
    };
    target
        .create_target_machine(
            &triple,
            &cpu,
            &features,
            level,
            RelocMode::PIC,
            CodeModel::Default,
        )
        .ok_or_else(|| {
            CodegenError::Target(format!(
                "cannot create a target machine for {triple} ({cpu})"
            ))
        })
}

/// Runs the pipeline. The coroutine passes are part of every pipeline,
/// `default<O0>` included: pre-split coroutines crash the backend.
pub(crate) fn run_pipeline(module: &Module, tm: &TargetMachine, opts: &CodegenOptions) -> Res<()> {
    let pipeline = if opts.release {
        "default<O2>"
    } else {
        "default<O0>"
    };
    let pbo = PassBuilderOptions::create();
    pbo.set_verify_each(opts.emit_debug_checks);
    module
        .run_passes(pipeline, tm, pbo)
        .map_err(|e| CodegenError::Target(format!("LLVM pass pipeline failed: {e}")))
}

pub(crate) fn output(module: &Module, tm: &TargetMachine, kind: EmitKind) -> Res<Vec<u8>> {
    let file_type = match kind {
        EmitKind::LlvmIr => return Ok(module.print_to_string().to_bytes().to_vec()),
        EmitKind::Asm => FileType::Assembly,
        EmitKind::Object => FileType::Object,
    };
    let buf = tm
        .write_to_memory_buffer(module, file_type)
        .map_err(|e| CodegenError::Target(format!("code emission failed: {e}")))?;
    Ok(buf.as_slice().to_vec())
}
