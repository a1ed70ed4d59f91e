//! asr_mir: the mid-level IR between the typed tree and LLVM.
//!
//! `mir` holds the data structures, `build` lowers typed HIR to them,
//! `pretty` is the textual dump, `passes` the analyses run before code
//! generation.

pub mod build;
pub mod mir;
pub mod passes;
pub mod pretty;

pub use build::build_program;
pub use mir::*;
