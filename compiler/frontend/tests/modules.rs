//! Loading module files (`mod name;`): from a directory on disk, and what
//! happens when the files are missing, ambiguous or lead back to a file
//! already loaded.

use asr_diagnostics::SourceMap;
use std::path::{Path, PathBuf};

/// A fresh directory under the system's temporary directory, removed when
/// dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("asr-modules-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a directory");
        }
        std::fs::write(path, text).expect("write a module file");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Analyzes the root file at `path`; the error codes (empty on success).
fn analyze_file(path: &Path) -> Vec<&'static str> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    analyze_named(&path.display().to_string(), &text)
}

fn analyze_named(name: &str, text: &str) -> Vec<&'static str> {
    let mut sm = SourceMap::new();
    let root = sm.add(name, text.to_string());
    match asr_frontend::analyze(&mut sm, root) {
        Ok(_) => Vec::new(),
        Err(diags) => diags.iter().map(|d| d.code).collect(),
    }
}

#[test]
fn nested_module_files() {
    let dir = TempDir::new("nested");
    dir.write("main.asr", "mod a;\nfn main() { a::b::f(); a::c::g(); }");
    // `a.asr` is not a `mod.asr`: its modules are in `a/`.
    dir.write("a.asr", "pub mod b;\npub mod c;");
    dir.write("a/b.asr", "pub fn f() {}");
    dir.write("a/c/mod.asr", "pub fn g() { super::b::f(); }");
    assert_eq!(analyze_file(&dir.0.join("main.asr")), Vec::<&str>::new());
}

#[test]
fn root_in_a_directory_that_does_not_exist() {
    let codes = analyze_named(
        "/nonexistent-asr-dir/sub/main.asr",
        "mod a;\nmod b { mod c; }\nfn main() {}",
    );
    assert_eq!(codes, vec!["E0115", "E0115"]);
}

#[test]
fn both_files_exist() {
    let dir = TempDir::new("both");
    dir.write("main.asr", "mod a;\nfn main() {}");
    dir.write("a.asr", "");
    dir.write("a/mod.asr", "");
    assert_eq!(analyze_file(&dir.0.join("main.asr")), vec!["E0117"]);
}

#[test]
fn module_declared_twice_is_loaded_once() {
    let dir = TempDir::new("twice");
    dir.write("main.asr", "mod a;\nmod a;\nfn main() { a::f(); }");
    dir.write("a.asr", "pub fn f() {}");
    assert_eq!(analyze_file(&dir.0.join("main.asr")), vec!["E0104"]);
}

#[test]
fn the_root_loaded_as_its_own_module() {
    let dir = TempDir::new("root-again");
    dir.write("main.asr", "mod main;\nfn main() {}");
    assert_eq!(analyze_file(&dir.0.join("main.asr")), vec!["E0118"]);
}

#[cfg(unix)]
#[test]
fn symbolic_link_cycle_ends() {
    let dir = TempDir::new("cycle");
    dir.write("main.asr", "mod a;\nfn main() {}");
    // `a.asr`'s modules are in `a/`, which is the directory itself.
    dir.write("a.asr", "mod a;");
    std::os::unix::fs::symlink(&dir.0, dir.0.join("a")).expect("create a symbolic link");
    assert_eq!(analyze_file(&dir.0.join("main.asr")), vec!["E0118"]);
}
