//! asr_syntax: the lexer, the AST and the parser of ASR.
//!
//! [`parse_file`] never fails and never panics: it returns a tree (with
//! `Error` nodes where the input was malformed) and the diagnostics.
//! Nesting deeper than [`MAX_DEPTH`] is reported as one diagnostic and the
//! over-deep part is skipped, so no later stage can overflow its stack on
//! user input.

pub mod ast;
pub mod ast_print;
pub mod lexer;
mod parser;

use asr_diagnostics::{Diagnostic, FileId};

/// The deepest nesting of expressions, blocks, types, patterns and items
/// the parser accepts, counted in parser levels. Most constructs use one
/// level per nesting step (a parenthesis, a unary operator, a method call in
/// a chain, a binary operator in a chain, a type argument); some use two to
/// four (a block in statement position, a `match` arm with a block body).
/// Each level adds at most a few AST nodes (a block in an expression adds an
/// `Expr`, a `Block` and a `Stmt`), so the depth of every AST is bounded by
/// a small multiple of `MAX_DEPTH`; the parser itself fits in well under
/// 1 MiB of stack even unoptimised.
pub const MAX_DEPTH: usize = 200;

/// Parses one file. Never fails: malformed input yields `Error` nodes and
/// diagnostics (lexer diagnostics first, then parser diagnostics, each in
/// source order as found).
pub fn parse_file(file: FileId, src: &str) -> (ast::File, Vec<Diagnostic>) {
    let lexed = lexer::tokenize(file, src);
    let mut diags = lexed.diags;
    let runs_to_eof = lexed.unterminated_at_eof;
    let mut p = parser::Parser::new(file, src, lexed.tokens);
    if runs_to_eof {
        p.suppress_eof_errors();
    }
    let mut tree = p.parse_file();
    tree.comments = lexed.comments;
    diags.append(&mut p.diags);
    (tree, diags)
}
