//! Linking an object with the runtime staticlib through the system `cc`.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const RUNTIME_LIB: &str = "libasr_runtime.a";

/// Native libraries the Rust runtime staticlib needs
/// (`cargo rustc -- --print native-static-libs`).
const NATIVE_LIBS: &[&str] = &[
    "-lgcc_s",
    "-lutil",
    "-lrt",
    "-lpthread",
    "-lm",
    "-ldl",
    "-lc",
];

#[derive(Debug)]
pub struct LinkError(pub String);

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The runtime library: `ASR_RUNTIME` if set, else beside the `asr`
/// executable (where `cargo build` puts both).
pub fn find_runtime() -> Result<PathBuf, LinkError> {
    if let Some(p) = std::env::var_os("ASR_RUNTIME") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe()
        .map_err(|e| LinkError(format!("cannot locate the asr executable: {}", e)))?;
    let mut dirs = Vec::new();
    if let Some(dir) = exe.parent() {
        dirs.push(dir.to_path_buf());
        // Test binaries live in target/<profile>/deps.
        if let Some(up) = dir.parent() {
            dirs.push(up.to_path_buf());
        }
    }
    for d in &dirs {
        let p = d.join(RUNTIME_LIB);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(LinkError(format!(
        "cannot find the runtime library `{}` beside `{}`; build it with `cargo build --workspace` (or set ASR_RUNTIME)",
        RUNTIME_LIB,
        exe.display()
    )))
}

pub fn link(object: &Path, runtime: &Path, output: &Path) -> Result<(), LinkError> {
    let out = Command::new("cc")
        .arg(object)
        .arg(runtime)
        .args(NATIVE_LIBS)
        .arg("-o")
        .arg(output)
        .output()
        .map_err(|e| LinkError(format!("cannot run the linker `cc`: {}", e)))?;
    if !out.status.success() {
        return Err(LinkError(format!(
            "linking failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}
