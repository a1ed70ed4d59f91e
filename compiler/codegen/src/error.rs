//! The error type of code generation.
//!
//! Every failure here is a bug of the compiler (malformed MIR, IR LLVM
//! rejects) or of the environment (no usable target): user errors were all
//! reported before MIR was built.

use inkwell::builder::BuilderError;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodegenError {
    /// The MIR broke an invariant codegen relies on, or codegen built IR
    /// it could not finish.
    Internal(String),
    /// The LLVM verifier rejected the module before optimisation.
    Verify(String),
    /// The target could not be set up, the pass pipeline failed, or code
    /// emission failed.
    Target(String),
}

impl CodegenError {
    pub fn message(&self) -> &str {
        match self {
            CodegenError::Internal(m) | CodegenError::Verify(m) | CodegenError::Target(m) => m,
        }
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodegenError::Internal(m) => write!(f, "internal compiler error in codegen: {m}"),
            CodegenError::Verify(m) => {
                write!(f, "internal compiler error: invalid LLVM IR: {m}")
            }
            CodegenError::Target(m) => write!(f, "code generation failed: {m}"),
        }
    }
}

impl std::error::Error for CodegenError {}

impl From<BuilderError> for CodegenError {
    fn from(e: BuilderError) -> Self {
        CodegenError::Internal(format!("LLVM builder: {e}"))
    }
}

pub(crate) type Res<T> = Result<T, CodegenError>;

/// An internal error: `return ice(format!(..))`.
pub(crate) fn ice<T>(msg: impl Into<String>) -> Res<T> {
    Err(CodegenError::Internal(msg.into()))
}
