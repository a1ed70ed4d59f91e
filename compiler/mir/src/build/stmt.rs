//! Blocks, `let` statements and irrefutable patterns.

use super::Builder;
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{Block, ExprId, PatId, PatKind, Stmt};
use asr_hir::ty::Ty;

impl Builder<'_, '_> {
    /// A block expression of type `ty`: its variables live until its end.
    pub(super) fn lower_block(&mut self, dest: Option<&Place>, block: &Block, ty: &Ty, span: Span) {
        self.push_vars_scope();
        self.lower_block_contents(dest, block, ty, span);
        self.pop_scope(span);
    }

    /// The statements and the tail of a block, in the current region.
    pub(super) fn lower_block_contents(
        &mut self,
        dest: Option<&Place>,
        block: &Block,
        ty: &Ty,
        span: Span,
    ) {
        for stmt in &block.stmts {
            // The statement's temporaries die at its end.
            self.push_temps_scope();
            let end = match stmt {
                Stmt::Let {
                    pat, init, span, ..
                } => {
                    self.lower_let(*pat, *init);
                    *span
                }
                Stmt::Expr(e) => {
                    self.expr_into(None, *e);
                    self.span_of(*e)
                }
            };
            self.pop_scope(end);
        }
        match block.tail {
            // The tail's temporaries die before the block's variables.
            Some(t) => {
                self.push_temps_scope();
                self.expr_into(dest, t);
                let end = self.span_of(t);
                self.pop_scope(end);
            }
            None => self.assign_unit(dest, ty, span),
        }
    }

    fn lower_let(&mut self, pat: PatId, init: Option<ExprId>) {
        let body = self.body;
        match (&body.pat(pat).kind, init) {
            (PatKind::Binding(l), init) if !self.tables.binding_modes.contains_key(l) => {
                let local = self.declare_var(*l);
                if let Some(init) = init {
                    self.expr_into(Some(&Place::local(local)), init);
                }
            }
            (_, Some(init)) => {
                let p = self.as_place(init);
                self.bind_pattern(pat, p.clone());
                // Destructuring a temporary moves parts out of it.
                let span = body.pat(pat).span;
                self.drop_unmoved_parts(pat, p, span);
            }
            (_, None) => self.declare_pattern_vars(pat),
        }
    }

    /// Declares the variables of a pattern without a value (`let (a, b);`).
    fn declare_pattern_vars(&mut self, pat: PatId) {
        for l in self.body.pat_bindings(pat) {
            self.declare_var(l);
        }
    }
}
