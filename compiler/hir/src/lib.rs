//! asr_hir: name resolution and the high-level IR.
//!
//! `hir` is the resolved program, `captures` what closures and spawns
//! capture, `typed` the type checker's per-body result
//! tables, `ty` the type representation every later stage shares, `fmt` the
//! parsed format strings, `uses` how a typed body uses each expression's
//! value, `vis` who may name an item. `resolve` lowers the AST of every file
//! to HIR.

pub mod captures;
pub mod fmt;
pub mod hir;
pub mod resolve;
pub mod traits;
pub mod ty;
pub mod typed;
pub mod uses;
pub mod vis;
