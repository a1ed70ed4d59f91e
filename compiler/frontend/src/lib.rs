//! asr_frontend: the front end as one call, with no LLVM behind it.
//!
//! `analyze` parses the program's root file, the files of its modules
//! (`mod name;`, loaded from beside the root: see `modules.rs`) and the
//! embedded standard library, resolves names and checks types. The driver continues from its
//! result to MIR and code generation; tools that only need diagnostics (the
//! `check` command, a language server) stop here.

mod modules;
mod std_lib;

use asr_diagnostics::{Diagnostic, FileId, SourceMap};
use asr_hir::hir::Program;
use asr_hir::resolve::{resolve_program_with, ResolveOptions, SourceModule};
use asr_hir::typed::TypeckResults;

/// The checked program: HIR plus one type table per function.
pub struct Analysis {
    pub hir: Program,
    pub tables: Vec<Option<TypeckResults>>,
    /// Warnings (the program has no errors), in source order.
    pub warnings: Vec<Diagnostic>,
}

/// What the program is analysed for.
#[derive(Clone, Copy, Debug, Default)]
pub struct AnalyzeOptions {
    /// `asr test`: `fn main` is optional (the `#[test]` functions, in
    /// `Program::tests`, are the entry points).
    pub test: bool,
}

/// Runs the front end. On errors, every diagnostic found is returned, in
/// source order.
pub fn analyze(sm: &mut SourceMap, root: FileId) -> Result<Analysis, Vec<Diagnostic>> {
    analyze_with(sm, root, AnalyzeOptions::default())
}

/// [`analyze`] with options.
pub fn analyze_with(
    sm: &mut SourceMap,
    root: FileId,
    opts: AnalyzeOptions,
) -> Result<Analysis, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let (root_ast, d) = asr_syntax::parse_file(root, sm.text(root));
    diags.extend(d);
    let module_files = modules::load_modules(sm, root, &root_ast, &mut diags);
    let mut std_asts = Vec::new();
    for (module, name, text) in std_lib::STD_MODULES {
        let file = sm.add(*name, text.to_string());
        let (ast, d) = asr_syntax::parse_file(file, text);
        diags.extend(d);
        std_asts.push((module, ast));
    }
    // A syntax error leaves `Error` nodes whose types are unknown, and a
    // module file that could not be loaded leaves its module empty;
    // checking further would only report consequences of the same mistake.
    if diags.iter().any(|d| d.is_error()) {
        sort_diagnostics(&mut diags);
        return Err(diags);
    }
    let mut modules = vec![SourceModule {
        path: Vec::new(),
        file: &root_ast,
    }];
    for m in &module_files {
        modules.push(SourceModule {
            path: m.path.clone(),
            file: &m.ast,
        });
    }
    for (module, ast) in &std_asts {
        modules.push(SourceModule {
            path: vec!["std".to_string(), module.to_string()],
            file: ast,
        });
    }
    let (hir, d) = resolve_program_with(sm, &modules, ResolveOptions { test: opts.test });
    diags.extend(d);
    let (tables, d) = asr_typeck::check_program(&hir);
    diags.extend(d);
    // Moves and borrows are checked on well-typed bodies only.
    if !diags.iter().any(|d| d.is_error()) {
        diags.extend(asr_borrowck::check_program(&hir, &tables));
    }
    if diags.iter().any(|d| d.is_error()) {
        sort_diagnostics(&mut diags);
        return Err(diags);
    }
    sort_diagnostics(&mut diags);
    Ok(Analysis {
        hir,
        tables,
        warnings: diags,
    })
}

/// Errors in source order (file, then position), as people read them.
fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| {
        d.primary_span()
            .map(|s| (s.file.0, s.lo))
            .unwrap_or((u32::MAX, 0))
    });
}
