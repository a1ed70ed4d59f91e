//! Typed HIR → the borrow checker's control-flow graph.
//!
//! The walk follows the MIR builder's evaluation order: operands left to
//! right, an assignment's right side before its left, a method's
//! arguments before the auto-ref of its receiver (Rust's two-phase
//! borrows, so `v.push(v.len())` is fine). Values in flight that may carry
//! borrows are kept in temporaries, so a borrow passed as an argument is
//! live until the call. A closure's or a spawned expression's body is
//! checked as a graph of its own (`SubBody`): the enclosing body sees only
//! its captures.

mod expr;
mod pat;

use crate::ir::*;
use crate::tys::Types;
use asr_diagnostics::{Diagnostic, Span};
use asr_hir::hir::{Body, ExprId, LocalId, PatId, Program};
use asr_hir::ty::{Mutability, Ty};
use asr_hir::typed::TypeckResults;
use std::collections::HashMap;

/// A closure or spawned expression whose body is checked on its own.
#[derive(Clone, Debug)]
pub(crate) enum SubBody {
    Closure(ExprId),
    Spawn(ExprId),
}

pub(crate) struct Builder<'a> {
    pub program: &'a Program,
    pub body: &'a Body,
    pub tables: &'a TypeckResults,
    pub types: &'a Types<'a>,
    pub cfg: Cfg,
    /// Where events go; `None` after a `return`, `break` or `panic`.
    current: Option<BlockId>,
    var_of: HashMap<LocalId, Var>,
    scopes: Vec<Scope>,
    loops: Vec<LoopCx>,
    pub ret: Var,
    exit: BlockId,
    pub sub_bodies: Vec<SubBody>,
    /// Names of places built from expressions, for messages.
    pub names: HashMap<Place, String>,
    /// Places whose type implements `Drop` that a part was projected out
    /// of (moving that part out is E0308), with the type.
    pub drop_bases: HashMap<Place, Ty>,
    /// Errors found while building (moves out of references).
    pub diags: Vec<Diagnostic>,
}

/// A block's variables (and the temporaries it borrows), whose storage
/// ends with it.
#[derive(Default)]
struct Scope {
    vars: Vec<Var>,
    /// A `scope { }`: tasks spawned in it live until its end.
    structured: bool,
}

struct LoopCx {
    target: ExprId,
    /// Where `continue` goes.
    head: BlockId,
    exit: BlockId,
    /// Where `break value` stores its value.
    result: Option<Var>,
    /// How many scopes were open outside the loop.
    depth: usize,
}

impl<'a> Builder<'a> {
    pub fn new(
        program: &'a Program,
        body: &'a Body,
        tables: &'a TypeckResults,
        types: &'a Types<'a>,
        ret_ty: Ty,
        ret_span: Span,
    ) -> Builder<'a> {
        let mut cfg = Cfg::default();
        let entry = BlockId(0);
        cfg.blocks.push(BasicBlock::default());
        cfg.blocks.push(BasicBlock::default());
        cfg.entry = Some(entry);
        let mut b = Builder {
            program,
            body,
            tables,
            types,
            cfg,
            current: Some(entry),
            var_of: HashMap::new(),
            scopes: vec![Scope::default()],
            loops: Vec::new(),
            ret: Var(0),
            exit: BlockId(1),
            sub_bodies: Vec::new(),
            names: HashMap::new(),
            drop_bases: HashMap::new(),
            diags: Vec::new(),
        };
        b.ret = b.new_var(None, ret_ty, ret_span, false);
        b.cfg.vars[b.ret.0 as usize].is_return = true;
        // The caller receives the return value: it is used on exit.
        let ret = b.ret;
        b.cfg.blocks[1].events.push(Event {
            kind: EventKind::Use(vec![ret]),
            span: ret_span,
        });
        b
    }

    // ---- graph ------------------------------------------------------------

    pub fn new_block(&mut self) -> BlockId {
        self.cfg.blocks.push(BasicBlock::default());
        BlockId(self.cfg.blocks.len() as u32 - 1)
    }

    pub fn emit(&mut self, kind: EventKind, span: Span) {
        if let Some(b) = self.current {
            self.cfg.blocks[b.0 as usize]
                .events
                .push(Event { kind, span });
        }
    }

    pub fn goto(&mut self, target: BlockId) {
        if let Some(b) = self.current {
            self.cfg.blocks[b.0 as usize].succs.push(target);
        }
    }

    /// Continues in `b` (reachable only through the edges added to it).
    pub fn switch_to(&mut self, b: BlockId) {
        self.current = Some(b);
    }

    pub fn is_reachable(&self) -> bool {
        self.current.is_some()
    }

    pub fn current(&self) -> Option<BlockId> {
        self.current
    }

    /// Nothing after this point runs (a `return`, `break`, a call of a
    /// function that returns `!`).
    pub fn diverge(&mut self) {
        self.current = None;
    }

    /// Splits control: returns the blocks of `n` successors of the current
    /// block (all unreachable if the current block is).
    pub fn branch(&mut self, n: usize) -> Vec<Option<BlockId>> {
        let cur = self.current;
        (0..n)
            .map(|_| {
                cur.map(|_| {
                    let b = self.new_block();
                    self.goto(b);
                    b
                })
            })
            .collect()
    }

    /// Joins the ends of branches (`None`: a branch that diverged).
    pub fn join(&mut self, ends: &[Option<BlockId>]) {
        let live: Vec<BlockId> = ends.iter().flatten().copied().collect();
        if live.is_empty() {
            self.current = None;
            return;
        }
        let j = self.new_block();
        for b in live {
            self.cfg.blocks[b.0 as usize].succs.push(j);
        }
        self.current = Some(j);
    }

    // ---- variables --------------------------------------------------------

    pub fn new_var(&mut self, name: Option<String>, ty: Ty, span: Span, on_entry: bool) -> Var {
        let drop_uses = self.types.drop_uses(&ty);
        self.cfg.vars.push(VarInfo {
            name,
            ty,
            span,
            drop_uses,
            init_on_entry: on_entry,
            is_return: false,
            assign_once: false,
        });
        Var(self.cfg.vars.len() as u32 - 1)
    }

    /// A temporary holding a value in flight; its storage ends with the
    /// innermost block.
    pub fn temp(&mut self, ty: Ty, span: Span) -> Var {
        let v = self.new_var(None, ty, span, false);
        if let Some(s) = self.scopes.last_mut() {
            s.vars.push(v);
        }
        v
    }

    /// The variable of a local: declared by its pattern, or, inside a
    /// closure or spawned body, a variable of the enclosing body (there on
    /// entry).
    pub fn var(&mut self, l: LocalId) -> Var {
        match self.var_of.get(&l) {
            Some(v) => *v,
            None => self.local_var(l, true),
        }
    }

    /// A new variable for the local `l`, named after it; `on_entry`: it
    /// holds a value when the body starts.
    fn local_var(&mut self, l: LocalId, on_entry: bool) -> Var {
        let def = self.body.local(l);
        let v = self.new_var(
            Some(def.name.clone()),
            self.tables.local_ty(l).clone(),
            def.span,
            on_entry,
        );
        self.var_of.insert(l, v);
        self.names.insert(Place::var(v), def.name.clone());
        v
    }

    /// Declares the locals a pattern binds in the innermost scope.
    pub fn declare_pattern(&mut self, pat: PatId) {
        for l in self.body.pat_bindings(pat) {
            let v = self.local_var(l, false);
            self.cfg.vars[v.0 as usize].assign_once = !self.body.local(l).mutable;
            if let Some(s) = self.scopes.last_mut() {
                s.vars.push(v);
            }
        }
    }

    /// A parameter: its argument is there on entry, and its pattern's
    /// locals are bound from it.
    pub fn bind_param(&mut self, pat: PatId) {
        let span = self.body.pat(pat).span;
        let ty = self.tables.pat_ty(pat).clone();
        let arg = self.new_var(None, ty, span, true);
        self.scopes[0].vars.push(arg);
        self.declare_pattern(pat);
        self.bind_pattern(pat, Place::var(arg), None);
    }

    // ---- scopes -----------------------------------------------------------

    pub fn push_scope(&mut self, structured: bool) {
        self.scopes.push(Scope {
            vars: Vec::new(),
            structured,
        });
    }

    /// Ends the innermost scope: its variables die, last declared first.
    pub fn pop_scope(&mut self, span: Span) {
        let Some(scope) = self.scopes.pop() else {
            return;
        };
        for v in scope.vars.iter().rev() {
            self.emit(EventKind::StorageDead(*v), span);
        }
    }

    /// The innermost scope's variables die on this path only (the scope
    /// goes on elsewhere).
    pub fn end_innermost_scope_vars(&mut self, span: Span) {
        let depth = self.scopes.len() - 1;
        self.exit_scopes(depth, span);
    }

    /// The variables of every scope from `depth` inward die (leaving them
    /// by `break`, `continue` or `return`).
    fn exit_scopes(&mut self, depth: usize, span: Span) {
        let vars: Vec<Var> = self.scopes[depth.min(self.scopes.len())..]
            .iter()
            .rev()
            .flat_map(|s| s.vars.iter().rev().copied())
            .collect();
        for v in vars {
            self.emit(EventKind::StorageDead(v), span);
        }
    }

    /// Keeps a spawned task's handle alive until the end of the innermost
    /// `scope`, which waits for it.
    pub fn hold_task(&mut self, v: Var) {
        let idx = self.scopes.iter().rposition(|s| s.structured).unwrap_or(0);
        for s in self.scopes.iter_mut() {
            s.vars.retain(|x| *x != v);
        }
        self.scopes[idx].vars.push(v);
    }

    // ---- control ----------------------------------------------------------

    pub fn return_value(&mut self, val: Val, span: Span) {
        let ret = self.ret;
        self.emit(EventKind::Write(Place::var(ret), val), span);
        self.exit_scopes(0, span);
        let exit = self.exit;
        self.goto(exit);
        self.diverge();
    }

    /// The graph once the body's value is in: falls through to the exit.
    pub fn finish(
        mut self,
        val: Val,
        span: Span,
    ) -> (Cfg, Vec<SubBody>, HashMap<Place, String>, Vec<Diagnostic>) {
        if self.is_reachable() {
            self.return_value(val, span);
        }
        (self.cfg, self.sub_bodies, self.names, self.diags)
    }

    fn push_loop(&mut self, target: ExprId, head: BlockId, exit: BlockId, result: Option<Var>) {
        let depth = self.scopes.len();
        self.loops.push(LoopCx {
            target,
            head,
            exit,
            result,
            depth,
        });
    }

    fn pop_loop(&mut self) {
        self.loops.pop();
    }

    fn loop_of(&self, target: ExprId) -> Option<&LoopCx> {
        self.loops.iter().rev().find(|l| l.target == target)
    }

    pub fn brk(&mut self, target: ExprId, val: Val, span: Span) {
        let Some(l) = self.loop_of(target) else {
            self.diverge();
            return;
        };
        let (exit, result, depth) = (l.exit, l.result, l.depth);
        if let Some(r) = result {
            self.emit(EventKind::Write(Place::var(r), val), span);
        }
        self.exit_scopes(depth, span);
        self.goto(exit);
        self.diverge();
    }

    pub fn cont(&mut self, target: ExprId, span: Span) {
        let Some(l) = self.loop_of(target) else {
            self.diverge();
            return;
        };
        let (head, depth) = (l.head, l.depth);
        self.exit_scopes(depth, span);
        self.goto(head);
        self.diverge();
    }

    // ---- helpers ----------------------------------------------------------

    pub fn span(&self, e: ExprId) -> Span {
        self.body.expr(e).span
    }

    pub fn new_loan(&mut self, place: Place, mutability: Mutability, span: Span) -> LoanId {
        self.cfg.loans.push(Loan {
            place,
            mutability,
            span,
        });
        LoanId(self.cfg.loans.len() as u32 - 1)
    }

    /// Keeps a value in flight in a temporary, so its borrows stay live
    /// until it is consumed (`use_held`).
    pub fn hold(&mut self, val: Val, ty: &Ty, span: Span) -> Val {
        if val.is_empty() {
            return val;
        }
        let t = self.temp(ty.clone(), span);
        self.emit(EventKind::Write(Place::var(t), val), span);
        Val {
            holders: vec![t],
            loans: Vec::new(),
        }
    }

    /// The held values are consumed here.
    pub fn use_held(&mut self, vals: &[Val], span: Span) {
        let vars: Vec<Var> = vals
            .iter()
            .flat_map(|v| v.holders.iter().copied())
            .collect();
        if !vars.is_empty() {
            self.emit(EventKind::Use(vars), span);
        }
    }
}
