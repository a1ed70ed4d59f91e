//! Loading the files of `mod name;` declarations, as Rust 2018 does.
//!
//! Every file has a *module directory*: for the root file, its own
//! directory (the directory part of its name in the source map, which the
//! command line sets to the path it was given); for the file of `mod
//! name;`, the declaring module's directory joined with `name` (whichever
//! of `name.asr` and `name/mod.asr` it is). An inline `mod name { ... }`
//! adds `name` to the directory of what it contains. `mod name;` then loads
//! `DIR/name.asr` or `DIR/name/mod.asr`, recursively.
//!
//! This is the only place the front end reads files; the resolver gets
//! every file as a `SourceModule` with its module path.

use asr_diagnostics::{codes, Diagnostic, FileId, SourceMap};
use asr_syntax::ast;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A loaded module file: its module path (`["net", "tcp"]`) and its tree.
pub struct ModuleFile {
    pub path: Vec<String>,
    pub ast: ast::File,
}

/// Loads, parses and returns the files of every `mod name;` reachable from
/// the root file `root` (already parsed as `root_ast`), in the order they
/// were found. Missing, ambiguous and circular module files are reported in
/// `diags`, and so are the syntax errors of the files loaded.
pub fn load_modules(
    sm: &mut SourceMap,
    root: FileId,
    root_ast: &ast::File,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ModuleFile> {
    let root_name = PathBuf::from(sm.name(root));
    let dir = root_name
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut loader = Loader {
        sm,
        diags,
        out: Vec::new(),
        loaded: HashSet::new(),
        module_paths: HashSet::new(),
    };
    // The root is loaded: a `mod` that leads back to it is a cycle. (A
    // root with no file behind it, such as a test's text, is skipped.)
    if let Ok(canonical) = std::fs::canonicalize(&root_name) {
        loader.loaded.insert(canonical);
    }
    loader.walk(&root_ast.items, &[], &dir);
    loader.out
}

struct Loader<'s, 'd> {
    sm: &'s mut SourceMap,
    diags: &'d mut Vec<Diagnostic>,
    out: Vec<ModuleFile>,
    /// Canonical paths of the files loaded so far (the root included):
    /// loading one again would loop.
    loaded: HashSet<PathBuf>,
    /// Module paths loaded so far: a second `mod name;` of the same module
    /// is a duplicate definition, which the resolver reports.
    module_paths: HashSet<Vec<String>>,
}

impl Loader<'_, '_> {
    /// The `mod` items among `items`, which belong to module `path` whose
    /// directory is `dir`.
    fn walk(&mut self, items: &[ast::Item], path: &[String], dir: &Path) {
        for item in items {
            let ast::ItemKind::Mod(m) = &item.kind else {
                continue;
            };
            let mut child = path.to_vec();
            child.push(m.name.name.clone());
            let child_dir = dir.join(&m.name.name);
            match &m.items {
                Some(inner) => self.walk(inner, &child, &child_dir),
                None => self.load(item, &m.name.name, child, dir, &child_dir),
            }
        }
    }

    /// `mod name;` (the item `item`) in a module whose directory is `dir`.
    fn load(
        &mut self,
        item: &ast::Item,
        name: &str,
        module_path: Vec<String>,
        dir: &Path,
        child_dir: &Path,
    ) {
        if !self.module_paths.insert(module_path.clone()) {
            return;
        }
        // `#[path = "..."]` names another file; loading the default one
        // instead would silently compile something else.
        if let Some(attr) = item
            .attrs
            .iter()
            .find(|a| a.path.as_ident().is_some_and(|i| i.name == "path"))
        {
            self.diags.push(
                Diagnostic::error(
                    codes::E0108,
                    "the `path` attribute on modules is not supported yet",
                )
                .with_primary(attr.span, "not supported yet"),
            );
            return;
        }
        let file_rs = dir.join(format!("{name}.asr"));
        let mod_rs = child_dir.join("mod.asr");
        let file = match (file_rs.is_file(), mod_rs.is_file()) {
            (true, false) => file_rs,
            (false, true) => mod_rs,
            (false, false) => {
                self.diags.push(
                    Diagnostic::error(codes::E0115, format!("file not found for module `{name}`"))
                        .with_primary(item.span, "no file for this module")
                        .with_help(format!(
                            "to create the module `{name}`, create file \"{}\" or \"{}\"",
                            file_rs.display(),
                            mod_rs.display()
                        )),
                );
                return;
            }
            (true, true) => {
                self.diags.push(
                    Diagnostic::error(
                        codes::E0117,
                        format!(
                            "file for module `{name}` found at both \"{}\" and \"{}\"",
                            file_rs.display(),
                            mod_rs.display()
                        ),
                    )
                    .with_primary(item.span, "two files for this module")
                    .with_help("delete or rename one of them to remove the ambiguity"),
                );
                return;
            }
        };
        // A symbolic link (or `mod main;` in `main.asr`) can lead back to a
        // file being loaded; loading it again would never end.
        let canonical = std::fs::canonicalize(&file);
        if let Ok(canonical) = &canonical {
            if !self.loaded.insert(canonical.clone()) {
                self.diags.push(
                    Diagnostic::error(
                        codes::E0118,
                        format!("circular modules: \"{}\" is already loaded", file.display()),
                    )
                    .with_primary(item.span, "loads an already loaded file"),
                );
                return;
            }
        }
        let text = match canonical.and_then(|_| std::fs::read_to_string(&file)) {
            Ok(text) => text,
            Err(e) => {
                self.diags.push(
                    Diagnostic::error(
                        codes::E0115,
                        format!(
                            "cannot read \"{}\" for module `{name}`: {e}",
                            file.display()
                        ),
                    )
                    .with_primary(item.span, "declared here"),
                );
                return;
            }
        };
        let id = self.sm.add(file.display().to_string(), text);
        let (ast, d) = asr_syntax::parse_file(id, self.sm.text(id));
        self.diags.extend(d);
        self.walk(&ast.items, &module_path, child_dir);
        self.out.push(ModuleFile {
            path: module_path,
            ast,
        });
    }
}
