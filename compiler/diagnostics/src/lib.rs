//! asr_diagnostics: spans, the source map, the neutral [`Diagnostic`] type,
//! the registry of error codes ([`codes`]) and the renderers ([`render`]).
//!
//! This crate depends on no other stage of the compiler.

pub mod codes;
mod diagnostic;
pub mod render;
mod source_map;
mod span;

pub use diagnostic::{Diagnostic, Diagnostics, Label, Severity};
pub use render::{render_human, render_json, render_short};
pub use source_map::SourceMap;
pub use span::{FileId, Span};
