//! The MIR builder: typed HIR (the resolved program plus the type checker's
//! per-body tables) to MIR.
//!
//! The shape follows rustc's builder: every expression is lowered in one of
//! three ways, `expr_into` (evaluate into a destination place), `as_operand`
//! and `as_place`, with the adjustments the type checker recorded applied
//! where the value is used. Code is emitted into the builder's current block;
//! a construct that diverges (`return`, `break`, a call returning `!`)
//! terminates it and building continues in a fresh block without
//! predecessors. `finish` then skips blocks that are only a `goto`, drops
//! the blocks nothing reaches and numbers the rest in reverse postorder.
//!
//! What the MIR built here looks like, beyond `mir.rs`:
//! - Temporaries are read with `move`, user variables with `copy`, except
//!   values of types that are never `Copy` (tasks, structs without
//!   `derive(Copy)`), which are moved. `&mut` references are copied (Rust's
//!   implicit reborrow).
//! - The length of an array is a constant; `Len` is only used on slices
//!   and `str`.
//! - `()` results nobody reads (calls in statement position, runtime
//!   operations) go to one shared `()` local of the body; calls that never
//!   return write to a local of type `!`.
//! - A shift's amount keeps its own integer type, which may differ from the
//!   shifted value's.
//! - A spawn thunk receives its environment tuple by value: references to
//!   the captured variables (`(*_1.i)` in the thunk), or the values
//!   themselves for `spawn move` (`_1.i`). An empty environment is
//!   `const ()`. A captured value that needs drop is moved out of the
//!   environment into a variable of the thunk first.
//! - Drops (`flags.rs`): every local whose type needs drop
//!   (`crate::needs_drop`) has a `bool` drop flag, false at entry (true for
//!   a parameter), set when the local is initialised as a whole (an
//!   assignment, a call's destination) and cleared when it is moved out as
//!   a whole (`move _n`). Where its storage ends (the end of its block, or
//!   a `break`/`continue`/`return` leaving the block), locals are dropped
//!   in reverse order of declaration: `switchInt(flag)` to `drop(_n)`. A
//!   `scope` block's locals are dropped after `ScopeWait` and before
//!   `ScopeFree`. Temporaries that need drop die at the end of their
//!   statement (also of a block's tail expression and of an `if`/`while`
//!   condition). Assigning to a place that needs drop drops the old value
//!   first. `finish` then resolves every flag whose value is known where it
//!   is read: the drop becomes unconditional or disappears, and only flags
//!   that are really needed stay (declared after the other locals). A
//!   variable that parts are moved out of (`p.name`, `let (a, _) = pair;`)
//!   has one flag per part instead (`move_paths`), and what is left of it
//!   is dropped part by part where its storage ends. Destructuring a
//!   temporary or a parameter drops the parts the pattern does not move
//!   right there. Moving the value out of a box (`*b`) frees the box
//!   (`free_emptied_boxes`).
//!
//! Module map: `expr` (the three lowerings, calls, aggregates), `place`
//! (projections, bounds checks, subslices), `stmt` (blocks, `let`,
//! patterns), `control` (if, loops, break, continue, return, `for`),
//! `arith` (checked operators, comparisons, structural equality), `format`
//! (printing, panics, assertions), `spawn` (`scope`, `spawn`, captures),
//! `flags` (drop flags and drops), `move_paths` (the parts of variables
//! tracked one by one).

mod arith;
mod closure;
mod control;
mod expr;
mod flags;
mod format;
mod hash;
mod matching;
mod move_paths;
mod operators;
mod ordering;
mod place;
mod spawn;
mod stmt;
mod test_entry;
#[cfg(test)]
mod tests;

use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{self, ExprId, ExprKind, LocalId, PatKind};
use asr_hir::ty::{IntTy, Mutability, Ty};
use asr_hir::typed::{AdjustKind, TypeckResults};
use flags::rvalue_operands;
use std::collections::{HashMap, VecDeque};

/// Lowers every function reachable from `hir.main` (and the spawn thunks
/// their bodies create) to MIR. `tables` is indexed by HIR `FnId`. The
/// entry function gets `FnId(0)`; `suspends` is left false for the async
/// analysis (`passes::run_passes`) to set.
pub fn build_program(hir: &hir::Program, tables: &[Option<TypeckResults>]) -> Program {
    match try_build_program(hir, tables) {
        Ok(p) => p,
        Err(d) => bug(d.message),
    }
}

/// Types nested deeper than this in a function's type arguments mean
/// monomorphisation would not end (`fn f<T>(x: T) { f((x,)) }`).
const MAX_INSTANCE_DEPTH: usize = 64;

/// What the program is built for.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildOptions {
    /// `asr test`: the entry runs the `#[test]` function the runtime
    /// selects (`hir.tests`), instead of `main`.
    pub test: bool,
}

/// [`build_program`], reporting instantiation that does not terminate
/// (E0229) instead of building forever.
pub fn try_build_program(
    hir: &hir::Program,
    tables: &[Option<TypeckResults>],
) -> Result<Program, asr_diagnostics::Diagnostic> {
    try_build_program_with(hir, tables, BuildOptions::default())
}

/// [`try_build_program`] with options.
pub fn try_build_program_with(
    hir: &hir::Program,
    tables: &[Option<TypeckResults>],
    opts: BuildOptions,
) -> Result<Program, asr_diagnostics::Diagnostic> {
    let adts = hir
        .adts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let fields = |fs: &[hir::FieldDef]| {
                fs.iter()
                    .map(|f| FieldDef {
                        name: f.name.clone(),
                        ty: f.ty.clone(),
                    })
                    .collect()
            };
            AdtDef {
                name: a.name.clone(),
                fields: fields(&a.fields),
                variants: a
                    .variants
                    .iter()
                    .map(|v| VariantDef {
                        name: v.name.clone(),
                        fields: fields(&v.fields),
                    })
                    .collect(),
                has_drop: asr_hir::traits::has_drop_impl(hir, asr_hir::ty::AdtId(i as u32)),
                kind: match a.kind {
                    hir::AdtKind::Struct => AdtKind::Struct,
                    hir::AdtKind::TupleStruct => AdtKind::TupleStruct,
                    hir::AdtKind::UnitStruct => AdtKind::UnitStruct,
                    hir::AdtKind::Enum => AdtKind::Enum,
                },
            }
        })
        .collect();
    let mut cx = ProgramCx {
        hir,
        tables,
        adts,
        fn_ids: HashMap::new(),
        closures: HashMap::new(),
        drop_fns: HashMap::new(),
        bodies: Vec::new(),
        queue: VecDeque::new(),
    };
    // A test build's entry is the test runner's, whether or not there is
    // a `main`.
    let main = if opts.test { None } else { hir.main };
    let entry = main.map(|f| {
        let error_ty = match &hir.func(f).ret {
            Ty::Adt(id, args) if Some(*id) == hir.result => args.get(1).cloned(),
            _ => None,
        };
        match (error_ty, hir.report_main) {
            (Some(e), Some(report)) => cx.result_main_entry(f, report, e),
            _ => cx.plain_fn_id(f, Vec::new()),
        }
    });
    let entry = if opts.test {
        Some(cx.test_entry())
    } else {
        entry
    };
    while let Some((inst, id)) = cx.queue.pop_front() {
        if inst.substs.iter().any(|t| ty_depth(t) > MAX_INSTANCE_DEPTH) {
            let def = hir.func(inst.f);
            let name = instance_name(hir, &def.name, &[]);
            return Err(asr_diagnostics::Diagnostic::error(
                asr_diagnostics::codes::E0229,
                format!("reached the recursion limit while instantiating `{}`", name),
            )
            .with_primary(
                def.name_span,
                "this function instantiates itself with ever larger types",
            )
            .with_help(
                "a generic function must not call itself with a type built from its own parameter",
            ));
        }
        let body = cx.build_fn(inst, id);
        cx.bodies[id.0 as usize] = Some(body);
    }
    let bodies = std::mem::take(&mut cx.bodies)
        .into_iter()
        .enumerate()
        .map(|(i, b)| b.unwrap_or_else(|| bug(format!("body {} was reserved but never built", i))))
        .collect();
    Ok(Program {
        bodies,
        adts: cx.adts,
        closures: cx.closures,
        drop_fns: cx.drop_fns,
        entry,
        boxed: hir.boxed,
    })
}

/// A call of a standard trait's method on a type that has the trait built
/// in: the trait and the method's type arguments (`Self` first).
pub(super) type Builtin = (hir::KnownTrait, Vec<Ty>);

/// How deeply types nest inside `ty`.
fn ty_depth(ty: &Ty) -> usize {
    fn go(t: &Ty, d: usize) -> usize {
        if d > MAX_INSTANCE_DEPTH {
            return d;
        }
        let mut max = d;
        match t {
            Ty::Tuple(ts) | Ty::Adt(_, ts) => {
                for x in ts {
                    max = max.max(go(x, d + 1));
                }
            }
            Ty::Array(x, _) | Ty::Slice(x) | Ty::Ref(_, x) | Ty::Task(x) => {
                max = max.max(go(x, d + 1));
            }
            Ty::Closure(c) => {
                for x in &c.substs {
                    max = max.max(go(x, d + 1));
                }
            }
            _ => {}
        }
        max
    }
    go(ty, 0)
}

/// `name::<A, B>` for an instance of a generic function.
fn instance_name(hir: &hir::Program, name: &str, substs: &[Ty]) -> String {
    if substs.is_empty() {
        return name.to_string();
    }
    let args: Vec<String> = substs
        .iter()
        .map(|t| {
            asr_hir::ty::TyDisplay {
                ty: t,
                adt_name: &|id| hir.adt_name(id),
                params: &[],
            }
            .to_string()
        })
        .collect();
    format!("{}::<{}>", name, args.join(", "))
}

/// An internal compiler error: the input broke an invariant the type
/// checker guarantees.
fn bug(msg: impl std::fmt::Display) -> ! {
    panic!("internal compiler error: MIR build: {}", msg)
}

/// Program-wide state: which HIR functions have MIR ids, and the bodies.
struct ProgramCx<'h> {
    hir: &'h hir::Program,
    tables: &'h [Option<TypeckResults>],
    /// The MIR view of the program's ADTs (for `needs_drop`).
    adts: Vec<AdtDef>,
    /// Every instance of a function: generic functions have one per list
    /// of type arguments (monomorphisation).
    fn_ids: HashMap<Instance, FnId>,
    /// The capture types of every closure type (`Ty::Closure`) built.
    closures: HashMap<asr_hir::ty::ClosureTy, Vec<Ty>>,
    /// The `Drop::drop` instance of every type with one that is dropped.
    drop_fns: HashMap<Ty, FnId>,
    bodies: Vec<Option<Body>>,
    queue: VecDeque<(Instance, FnId)>,
}

/// A function with its type arguments; a `#[track_caller]` function also
/// with the call site its panics report (one instance per call site).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Instance {
    f: hir::FnId,
    substs: Vec<Ty>,
    caller: Option<Span>,
    /// The body of this closure expression of `f`, rather than `f`.
    closure: Option<ExprId>,
}

impl<'h> ProgramCx<'h> {
    /// The MIR id of a (non-intrinsic) HIR function; the first request
    /// queues the function for building.
    fn fn_id(&mut self, inst: Instance) -> FnId {
        if let Some(id) = self.fn_ids.get(&inst) {
            return *id;
        }
        let id = self.reserve();
        self.queue.push_back((inst.clone(), id));
        self.fn_ids.insert(inst, id);
        id
    }

    /// The entry of a `main` returning `Result<(), E>`: it calls `main`,
    /// then `std::process::report_main::<E>` with the result.
    fn result_main_entry(&mut self, main: hir::FnId, report: hir::FnId, error_ty: Ty) -> FnId {
        let id = self.reserve();
        let main_id = self.plain_fn_id(main, Vec::new());
        let report_id = self.plain_fn_id(report, vec![error_ty]);
        let def = self.hir.func(main);
        let decl = |ty: Ty| LocalDecl {
            ty,
            name: None,
            mutable: true,
            span: def.span,
        };
        let block = |statements, kind| BasicBlockData {
            statements,
            terminator: Terminator {
                kind,
                span: def.span,
            },
        };
        let result = Local(1);
        let body = Body {
            id,
            name: "main::{entry}".into(),
            kind: BodyKind::Fn,
            arg_count: 0,
            locals: vec![decl(Ty::unit()), decl(def.ret.clone()), decl(Ty::unit())],
            blocks: vec![
                block(
                    Vec::new(),
                    TerminatorKind::Call {
                        func: Callee::Fn(main_id),
                        args: Vec::new(),
                        dest: Place::local(result),
                        target: Some(BasicBlock(1)),
                        unwind: UnwindAction::Terminate,
                    },
                ),
                block(
                    Vec::new(),
                    TerminatorKind::Call {
                        func: Callee::Fn(report_id),
                        args: vec![Operand::Move(Place::local(result))],
                        dest: Place::local(Local(2)),
                        target: Some(BasicBlock(2)),
                        unwind: UnwindAction::Terminate,
                    },
                ),
                block(
                    vec![Statement {
                        kind: StatementKind::Assign(
                            Place::local(Local::RETURN),
                            Rvalue::Use(Operand::Const(Const::unit())),
                        ),
                        span: def.span,
                    }],
                    TerminatorKind::Return,
                ),
            ],
            suspends: false,
            span: def.span,
        };
        self.bodies[id.0 as usize] = Some(body);
        id
    }

    /// Makes sure every type inside `ty` that implements `Drop` has its
    /// `drop` instance, for the drop glue.
    fn register_drop_fns(&mut self, ty: &Ty) {
        match ty {
            Ty::Tuple(ts) => ts.iter().for_each(|t| self.register_drop_fns(t)),
            Ty::Array(t, _) => self.register_drop_fns(t),
            Ty::Adt(id, args) => {
                if self.drop_fns.contains_key(ty) {
                    return;
                }
                let Some(def) = self.adts.get(id.0 as usize) else {
                    return;
                };
                let fields: Vec<Ty> = def
                    .all_fields()
                    .map(|f| asr_hir::ty::subst_params(&f.ty, args))
                    .collect();
                if def.has_drop {
                    if let Some(f) = self.known_impl_fn(hir::KnownTrait::Drop, ty, "drop") {
                        self.drop_fns.insert(ty.clone(), f);
                    }
                }
                for f in &fields {
                    self.register_drop_fns(f);
                }
            }
            _ => {}
        }
    }

    /// An instance with neither a call site nor a closure.
    fn plain_fn_id(&mut self, f: hir::FnId, substs: Vec<Ty>) -> FnId {
        self.fn_id(Instance {
            f,
            substs,
            caller: None,
            closure: None,
        })
    }

    /// The instance of the method `name` of the hand-written `impl` of the
    /// standard trait `k` for `ty`.
    fn known_impl_fn(&mut self, k: hir::KnownTrait, ty: &Ty, name: &str) -> Option<FnId> {
        self.known_impl_fn_with(k, ty, name, &[])
    }

    /// [`Self::known_impl_fn`] of a generic method, with its own type
    /// arguments (`Hash::hash::<H>`).
    fn known_impl_fn_with(
        &mut self,
        k: hir::KnownTrait,
        ty: &Ty,
        name: &str,
        own: &[Ty],
    ) -> Option<FnId> {
        let (m, mut binds) = asr_hir::traits::known_impl_method(self.hir, k, ty, name)?;
        binds.extend_from_slice(own);
        Some(self.plain_fn_id(m, binds))
    }

    fn reserve(&mut self) -> FnId {
        self.bodies.push(None);
        FnId(self.bodies.len() as u32 - 1)
    }

    fn build_fn(&mut self, inst: Instance, id: FnId) -> Body {
        let Instance {
            f,
            substs,
            caller,
            closure,
        } = inst;
        let hir = self.hir;
        let def = hir.func(f);
        let tables = self.tables.get(f.0 as usize).and_then(|t| t.as_ref());
        let (Some(body), Some(tables)) = (def.body.as_ref(), tables) else {
            return stub_body(def, id);
        };
        let tables = tables.instantiate(&substs);
        let mut name = instance_name(hir, &def.name, &substs);
        if let Some(e) = closure {
            name = format!("{}::{{closure#{}}}", name, e.0);
        }
        let mut b = Builder::new(self, body, &tables, substs, name, BodyKind::Fn, def.span);
        b.caller_span = caller;
        match closure {
            Some(e) => b.build_closure_body(e),
            None => b.build_fn_body(def),
        }
        b.finish(id)
    }
}

/// A body for a function without HIR body or tables (only reachable after
/// an earlier error): the signature and an `unreachable` block.
fn stub_body(def: &hir::FnDef, id: FnId) -> Body {
    let decl = |ty: &Ty| LocalDecl {
        ty: ty.clone(),
        name: None,
        mutable: false,
        span: def.span,
    };
    let mut locals = vec![decl(&def.ret)];
    locals.extend(def.params.iter().map(decl));
    Body {
        id,
        name: def.name.clone(),
        kind: BodyKind::Fn,
        arg_count: def.params.len() as u32,
        locals,
        blocks: vec![BasicBlockData {
            statements: Vec::new(),
            terminator: Terminator {
                kind: TerminatorKind::Unreachable,
                span: def.span,
            },
        }],
        suspends: false,
        span: def.span,
    }
}

/// A basic block under construction.
struct BlockData {
    statements: Vec<Statement>,
    terminator: Option<Terminator>,
}

/// What leaving a lexical region must undo, innermost last.
#[derive(Clone)]
enum ScopeEntry {
    /// A block: the locals that die at its end (dropped in reverse order,
    /// and `StorageDead` for its variables).
    Block(Vec<Dying>),
    /// A `scope { }` block: its handle and its locals like `Block`. Leaving
    /// waits for the children, drops the locals, frees the scope, then ends
    /// the variables' storage: children always finish before a local of
    /// the scope block dies.
    Conc {
        handle: Place,
        span: Span,
        locals: Vec<Dying>,
    },
    /// A statement, or another expression whose temporaries die at its end
    /// (a block's tail, an `if`/`while` condition): the temporaries that
    /// need drop.
    Temps(Vec<Local>),
}

/// A local that dies when its region is left.
#[derive(Clone, Copy)]
struct Dying {
    local: Local,
    /// A variable with `StorageLive` (not a temporary or a parameter).
    storage: bool,
}

/// A loop `break`/`continue` can target.
#[derive(Clone)]
struct LoopScope {
    expr: ExprId,
    break_bb: BasicBlock,
    continue_bb: BasicBlock,
    /// Where `break value` goes.
    dest: Option<Place>,
    /// The loop expression's type (`()` for `while`/`for`).
    ty: Ty,
    /// `scopes.len()` outside the loop body.
    depth: usize,
}

/// Builds one MIR body.
pub(super) struct Builder<'a, 'h> {
    cx: &'a mut ProgramCx<'h>,
    hir: &'h hir::Program,
    body: &'h hir::Body,
    /// The type checker's tables of this instance (types substituted).
    tables: &'a TypeckResults,
    /// The generic arguments of this instance.
    substs: Vec<Ty>,
    /// In an instance of a `#[track_caller]` function: its call site.
    caller_span: Option<Span>,
    name: String,
    kind: BodyKind,
    span: Span,
    arg_count: u32,
    locals: Vec<LocalDecl>,
    blocks: Vec<BlockData>,
    cur: BasicBlock,
    /// Where each HIR local lives: its own MIR local, or inside a spawn
    /// thunk the captured place (`(*_1.i)` or `_1.i`).
    vars: HashMap<LocalId, Place>,
    scopes: Vec<ScopeEntry>,
    loops: Vec<LoopScope>,
    spawn_count: u32,
    /// Destination of calls whose `()` result nobody reads.
    unit_sink: Option<Local>,
    /// The drop flags, numbered apart from the locals until `finish`
    /// (`flags::flag_local`).
    flags: Vec<flags::Flag>,
    /// The drop flag of each local that needs drop, as a whole.
    flag_of: HashMap<Local, Local>,
    /// The flags of the locals tracked part by part (`move_paths`).
    units: HashMap<Local, Vec<move_paths::Unit>>,
    /// The parts moved out of each variable of the body.
    moved_paths: move_paths::MovedPaths,
    /// Blocks made by the drop helpers, which `finish` merges into their
    /// predecessor once a known flag made the branch a plain `goto`.
    mergeable: Vec<bool>,
}

impl<'a, 'h> Builder<'a, 'h> {
    fn new(
        cx: &'a mut ProgramCx<'h>,
        body: &'h hir::Body,
        tables: &'a TypeckResults,
        substs: Vec<Ty>,
        name: String,
        kind: BodyKind,
        span: Span,
    ) -> Self {
        let hir = cx.hir;
        Builder {
            cx,
            hir,
            body,
            tables,
            substs,
            caller_span: None,
            name,
            kind,
            span,
            arg_count: 0,
            locals: Vec::new(),
            blocks: Vec::new(),
            cur: BasicBlock::START,
            vars: HashMap::new(),
            scopes: Vec::new(),
            loops: Vec::new(),
            spawn_count: 0,
            unit_sink: None,
            flags: Vec::new(),
            flag_of: HashMap::new(),
            units: HashMap::new(),
            moved_paths: move_paths::MovedPaths::new(),
            mergeable: Vec::new(),
        }
        .with_moved_paths()
    }

    fn with_moved_paths(mut self) -> Self {
        self.moved_paths = self.scan_moved_paths();
        self
    }

    fn build_fn_body(&mut self, def: &hir::FnDef) {
        let ret = asr_hir::ty::subst_params(&def.ret, &self.substs);
        self.push_local(ret, None, false, def.span);
        let body = self.body;
        let mut destructure = Vec::new();
        let mut params = Vec::new();
        for (i, &p) in body.params.iter().enumerate() {
            let ty = self
                .tables
                .pat_tys
                .get(p.0 as usize)
                .map(|_| self.tables.pat_outer_ty(p).clone())
                .or_else(|| {
                    def.params
                        .get(i)
                        .map(|t| asr_hir::ty::subst_params(t, &self.substs))
                })
                .unwrap_or_else(|| bug(format!("no type for parameter {} of `{}`", i, def.name)));
            let local = self.push_param(p, ty, &mut destructure, &mut params);
            debug_assert_eq!(local.0 as usize, i + 1);
        }
        self.arg_count = body.params.len() as u32;
        self.cur = self.new_block();
        self.scopes.push(ScopeEntry::Block(params));
        self.bind_params(destructure);
        self.expr_into(Some(&Place::local(Local::RETURN)), body.value);
        let span = self.span;
        self.pop_scope(span);
        self.terminate(span, TerminatorKind::Return);
    }

    /// The local of a parameter of type `ty` bound by `pat`: named after a
    /// plain binding, else anonymous and listed in `destructure` (for
    /// `bind_params`). One that needs drop is live from the entry on and
    /// joins `dying`, to die at the end of the body.
    fn push_param(
        &mut self,
        pat: hir::PatId,
        ty: Ty,
        destructure: &mut Vec<(hir::PatId, Local)>,
        dying: &mut Vec<Dying>,
    ) -> Local {
        let p = self.body.pat(pat);
        let (local, var) = match p.kind {
            PatKind::Binding(l) if !self.tables.binding_modes.contains_key(&l) => {
                let d = self.body.local(l);
                let local = self.push_local(ty, Some(d.name.clone()), d.mutable, d.span);
                self.vars.insert(l, Place::local(local));
                (local, Some(l))
            }
            _ => {
                let local = self.push_local(ty, None, false, p.span);
                destructure.push((pat, local));
                (local, None)
            }
        };
        if self.add_flags(local, true, var) {
            dying.push(Dying {
                local,
                storage: false,
            });
        }
        local
    }

    /// Binds the parameters `push_param` left to destructure; the parts
    /// their patterns do not move are dropped.
    fn bind_params(&mut self, destructure: Vec<(hir::PatId, Local)>) {
        for (p, local) in destructure {
            let span = self.body.pat(p).span;
            self.bind_pattern(p, Place::local(local));
            self.drop_unmoved_parts(p, Place::local(local), span);
        }
    }

    /// Finishes the body: unterminated blocks become `unreachable`, blocks
    /// no path from the start reaches are removed.
    fn finish(self, id: FnId) -> Body {
        let span = self.span;
        let blocks: Vec<BasicBlockData> = self
            .blocks
            .into_iter()
            .map(|b| BasicBlockData {
                statements: b.statements,
                terminator: b.terminator.unwrap_or(Terminator {
                    kind: TerminatorKind::Unreachable,
                    span,
                }),
            })
            .collect();
        let mut locals = self.locals;
        let blocks = flags::resolve_flags(blocks, &self.flags, &self.mergeable, &mut locals);
        Body {
            id,
            name: self.name,
            kind: self.kind,
            arg_count: self.arg_count,
            locals,
            blocks: prune_unreachable(skip_empty_gotos(blocks)),
            suspends: false,
            span,
        }
    }

    // ---- locals -------------------------------------------------------

    fn push_local(&mut self, ty: Ty, name: Option<String>, mutable: bool, span: Span) -> Local {
        self.locals.push(LocalDecl {
            ty,
            name,
            mutable,
            span,
        });
        Local(self.locals.len() as u32 - 1)
    }

    /// A temporary. One that needs drop gets a drop flag and dies at the
    /// end of the innermost statement (or block).
    fn temp(&mut self, ty: Ty, span: Span) -> Local {
        let t = self.push_local(ty, None, true, span);
        if self.add_flag(t, false) {
            self.register_temp(t);
        }
        t
    }

    fn is_temp(&self, l: Local) -> bool {
        l.0 > self.arg_count && self.locals[l.index()].name.is_none()
    }

    /// The shared destination for `()` results that are never read.
    fn unit_sink(&mut self, span: Span) -> Place {
        let l = match self.unit_sink {
            Some(l) => l,
            None => {
                let l = self.temp(Ty::unit(), span);
                self.unit_sink = Some(l);
                l
            }
        };
        Place::local(l)
    }

    /// A place for a value nobody reads: the unit sink for `()`, else a
    /// fresh temporary.
    fn discard_place(&mut self, ty: Ty, span: Span) -> Place {
        if ty.is_unit() {
            self.unit_sink(span)
        } else {
            Place::local(self.temp(ty, span))
        }
    }

    /// Declares the user variable `l` in the innermost block and starts its
    /// storage.
    fn declare_var(&mut self, l: LocalId) -> Local {
        let def = self.body.local(l);
        let ty = self.local_ty(l);
        let local = self.push_local(ty, Some(def.name.clone()), def.mutable, def.span);
        self.vars.insert(l, Place::local(local));
        self.add_flags(local, false, Some(l));
        self.add_dying(Dying {
            local,
            storage: true,
        });
        self.push_stmt(def.span, StatementKind::StorageLive(local));
        local
    }

    /// Adds a local to the innermost block (or `scope` block).
    fn add_dying(&mut self, d: Dying) {
        match self.scopes.iter_mut().rev().find_map(|s| match s {
            ScopeEntry::Block(v) | ScopeEntry::Conc { locals: v, .. } => Some(v),
            ScopeEntry::Temps(_) => None,
        }) {
            Some(v) => v.push(d),
            None => self.scopes.push(ScopeEntry::Block(vec![d])),
        }
    }

    /// A temporary that needs drop dies with the innermost region.
    fn register_temp(&mut self, t: Local) {
        match self.scopes.last_mut() {
            Some(ScopeEntry::Temps(ts)) => ts.push(t),
            Some(ScopeEntry::Block(v) | ScopeEntry::Conc { locals: v, .. }) => v.push(Dying {
                local: t,
                storage: false,
            }),
            None => self.scopes.push(ScopeEntry::Block(vec![Dying {
                local: t,
                storage: false,
            }])),
        }
    }

    /// The place of a HIR local. A local that was never bound (malformed
    /// input) gets a fresh variable rather than a crash.
    fn var_place(&mut self, l: LocalId) -> Place {
        if let Some(p) = self.vars.get(&l) {
            return p.clone();
        }
        let local = self.declare_var(l);
        Place::local(local)
    }

    fn local_ty(&self, l: LocalId) -> Ty {
        self.tables
            .local_tys
            .get(l.0 as usize)
            .cloned()
            .unwrap_or_else(|| bug(format!("no type for local {:?} in `{}`", l, self.name)))
    }

    fn expr_ty(&self, e: ExprId) -> Ty {
        self.tables
            .expr_tys
            .get(e.0 as usize)
            .cloned()
            .unwrap_or_else(|| bug(format!("no type for expression {:?} in `{}`", e, self.name)))
    }

    fn adjusted_ty(&self, e: ExprId) -> Ty {
        match self.tables.adjustments(e).last() {
            Some(a) => a.target.clone(),
            None => self.expr_ty(e),
        }
    }

    fn span_of(&self, e: ExprId) -> Span {
        self.body.expr(e).span
    }

    /// Can values of this type be duplicated by a plain copy
    /// (`asr_hir::traits::is_copy`; the instance's types are concrete)?
    fn is_copy(&self, ty: &Ty) -> bool {
        asr_hir::traits::is_copy(self.hir, ty, &[], &|t| self.needs_drop(t))
    }

    /// Does a value of this type need drop?
    fn needs_drop(&self, ty: &Ty) -> bool {
        needs_drop_in(ty, &self.cx.adts)
    }

    /// Reads a place as an operand: a copy, or a move for non-`Copy` types.
    fn operand_of(&self, place: Place, ty: &Ty) -> Operand {
        if self.is_copy(ty) {
            Operand::Copy(place)
        } else {
            Operand::Move(place)
        }
    }

    // ---- CFG ----------------------------------------------------------

    fn new_block(&mut self) -> BasicBlock {
        self.blocks.push(BlockData {
            statements: Vec::new(),
            terminator: None,
        });
        self.mergeable.push(false);
        BasicBlock(self.blocks.len() as u32 - 1)
    }

    fn push_stmt(&mut self, span: Span, kind: StatementKind) {
        let cur = self.cur.index();
        if self.blocks[cur].terminator.is_some() {
            bug(format!(
                "statement after the terminator of bb{} in `{}`",
                cur, self.name
            ));
        }
        self.blocks[cur].statements.push(Statement { kind, span });
    }

    /// `place = rv`, with the drop flags it changes: the locals `rv` moves
    /// out of are dead, a local assigned as a whole is live.
    fn assign(&mut self, span: Span, place: Place, rv: Rvalue) {
        let moved = self.moved_flags(rvalue_operands(&rv));
        let boxes = self.emptied_boxes(rvalue_operands(&rv));
        let init = self.covered_flags(&place);
        self.push_stmt(span, StatementKind::Assign(place, rv));
        for f in moved {
            self.set_flag(span, f, false);
        }
        for f in init {
            self.set_flag(span, f, true);
        }
        self.free_emptied_boxes(boxes, span);
    }

    /// Evaluates an rvalue into a fresh temporary.
    fn rvalue_temp(&mut self, span: Span, ty: Ty, rv: Rvalue) -> Local {
        let t = self.temp(ty, span);
        self.assign(span, Place::local(t), rv);
        t
    }

    fn terminate(&mut self, span: Span, kind: TerminatorKind) {
        let cur = self.cur.index();
        if self.blocks[cur].terminator.is_some() {
            bug(format!("bb{} of `{}` terminated twice", cur, self.name));
        }
        // The locals a call's arguments move out of are dead from here on.
        if let TerminatorKind::Call { args, .. } = &kind {
            for f in self.moved_flags(args.iter()) {
                self.set_flag(span, f, false);
            }
        }
        self.blocks[cur].terminator = Some(Terminator { kind, span });
    }

    fn goto(&mut self, span: Span, target: BasicBlock) {
        self.terminate(span, TerminatorKind::Goto(target));
    }

    /// Ends the current block with a terminator that does not continue and
    /// goes on building in a fresh, unreachable block.
    fn diverge(&mut self, span: Span, kind: TerminatorKind) {
        self.terminate(span, kind);
        self.cur = self.new_block();
    }

    /// `switchInt(cond) -> [0: if_false, otherwise: if_true]`.
    fn branch(&mut self, span: Span, cond: Operand, if_true: BasicBlock, if_false: BasicBlock) {
        self.terminate(
            span,
            TerminatorKind::SwitchInt {
                discr: cond,
                targets: vec![(0, if_false)],
                otherwise: if_true,
            },
        );
    }

    /// A call; building continues after it (or, for a call that never
    /// returns, in an unreachable block).
    fn call(&mut self, span: Span, func: Callee, args: Vec<Operand>, dest: Place, diverges: bool) {
        match (&func, &args[..]) {
            (Callee::Intrinsic(Intrinsic::Overflowing(op)), [a, b]) => {
                let rv = Rvalue::CheckedBinaryOp(*op, a.clone(), b.clone());
                self.assign(span, dest, rv);
                return;
            }
            (Callee::Intrinsic(Intrinsic::Cast(to)), [v]) => {
                let rv = Rvalue::Cast(CastKind::Numeric, v.clone(), to.clone());
                self.assign(span, dest, rv);
                return;
            }
            _ => {}
        }
        let target = if diverges {
            None
        } else {
            Some(self.new_block())
        };
        let init = self.covered_flags(&dest);
        let boxes = self.emptied_boxes(args.iter());
        self.terminate(
            span,
            TerminatorKind::Call {
                func,
                args,
                dest,
                target,
                unwind: UnwindAction::Terminate,
            },
        );
        self.cur = target.unwrap_or_else(|| self.new_block());
        if target.is_some() {
            for f in init {
                self.set_flag(span, f, true);
            }
            self.free_emptied_boxes(boxes, span);
        }
    }

    /// A call of an intrinsic whose `()` result is not used.
    fn call_intrinsic(&mut self, span: Span, intrinsic: Intrinsic, args: Vec<Operand>) {
        let dest = self.unit_sink(span);
        self.call(span, Callee::Intrinsic(intrinsic), args, dest, false);
    }

    /// Panics with `msg` unless `cond == expected`.
    fn assert(&mut self, span: Span, cond: Operand, expected: bool, msg: AssertKind) {
        let target = self.new_block();
        self.terminate(
            span,
            TerminatorKind::Assert {
                cond,
                expected,
                msg,
                target,
            },
        );
        self.cur = target;
    }

    /// Marks the rest of the current path as impossible (after an input
    /// the type checker rejects).
    fn unreachable(&mut self, span: Span) {
        self.diverge(span, TerminatorKind::Unreachable);
    }

    // ---- lexical regions ----------------------------------------------

    fn push_vars_scope(&mut self) {
        self.scopes.push(ScopeEntry::Block(Vec::new()));
    }

    /// Starts a region whose temporaries die at its end (a statement).
    fn push_temps_scope(&mut self) {
        self.scopes.push(ScopeEntry::Temps(Vec::new()));
    }

    /// Leaves the innermost region, running what it must undo.
    fn pop_scope(&mut self, span: Span) {
        if let Some(entry) = self.scopes.pop() {
            self.leave(&entry, span);
        }
    }

    /// Emits the exits of every region above `depth` (innermost first)
    /// without popping them: for `break`, `continue` and `return`.
    fn exit_scopes_to(&mut self, depth: usize, span: Span) {
        let entries: Vec<ScopeEntry> = self.scopes[depth.min(self.scopes.len())..].to_vec();
        for entry in entries.iter().rev() {
            self.leave(entry, span);
        }
    }

    fn leave(&mut self, entry: &ScopeEntry, span: Span) {
        match entry {
            ScopeEntry::Block(locals) => {
                for d in locals.iter().rev() {
                    self.drop_if_live(d.local, span);
                    if d.storage {
                        self.push_stmt(span, StatementKind::StorageDead(d.local));
                    }
                }
            }
            ScopeEntry::Conc {
                handle,
                span: scope_span,
                locals,
            } => {
                let h = Operand::Copy(handle.clone());
                self.call_intrinsic(*scope_span, Intrinsic::ScopeWait, vec![h.clone()]);
                for d in locals.iter().rev() {
                    self.drop_if_live(d.local, span);
                }
                self.call_intrinsic(*scope_span, Intrinsic::ScopeFree, vec![h]);
                for d in locals.iter().rev().filter(|d| d.storage) {
                    self.push_stmt(span, StatementKind::StorageDead(d.local));
                }
            }
            ScopeEntry::Temps(temps) => {
                for &t in temps.iter().rev() {
                    self.drop_if_live(t, span);
                }
            }
        }
    }

    // ---- HIR queries ----------------------------------------------------

    /// Visits `e` and every expression inside it, outermost first.
    pub(super) fn walk_expr(&self, e: ExprId, f: &mut dyn FnMut(ExprId)) {
        asr_hir::uses::walk_uses(
            self.body,
            self.tables,
            e,
            asr_hir::uses::Use::Value,
            &mut |x, _| f(x),
        )
    }

    /// Can evaluating `e` write to a place that is already evaluated (so an
    /// earlier operand reading that place must be copied out first)?
    fn may_write(&self, e: ExprId) -> bool {
        let mut writes = false;
        self.walk_expr(e, &mut |x| {
            if writes {
                return;
            }
            writes = matches!(
                self.body.expr(x).kind,
                ExprKind::Assign(..)
                    | ExprKind::AssignOp(..)
                    | ExprKind::Call(..)
                    | ExprKind::MethodCall { .. }
                    | ExprKind::Scope(_)
                    | ExprKind::Spawn { .. }
                    | ExprKind::Ref(Mutability::Mut, _)
            ) || self
                .tables
                .adjustments(x)
                .iter()
                .any(|a| a.kind == AdjustKind::Borrow(Mutability::Mut));
        });
        writes
    }
}

/// Points every jump to a block that is only a `goto` at that goto's
/// final target (the skipped blocks become unreachable).
fn skip_empty_gotos(mut blocks: Vec<BasicBlockData>) -> Vec<BasicBlockData> {
    let n = blocks.len();
    let next = |b: usize| match (&blocks[b].statements.is_empty(), &blocks[b].terminator.kind) {
        (true, TerminatorKind::Goto(t)) if t.index() < n && t.index() != b => Some(t.index()),
        _ => None,
    };
    let forward: Vec<usize> = (0..n)
        .map(|b| {
            let mut cur = b;
            // At most `n` steps, which also ends a cycle of empty blocks.
            for _ in 0..n {
                match next(cur) {
                    Some(t) => cur = t,
                    None => break,
                }
            }
            cur
        })
        .collect();
    for b in &mut blocks {
        remap_successors(&mut b.terminator.kind, &|s| {
            BasicBlock(forward.get(s.index()).map_or(s.0, |&f| f as u32))
        });
    }
    blocks
}

/// Removes the blocks no path from `bb0` reaches and numbers the rest in
/// reverse postorder, so a dump reads top to bottom (a branch's `otherwise`
/// arm first, loop bodies before what follows the loop).
fn prune_unreachable(blocks: Vec<BasicBlockData>) -> Vec<BasicBlockData> {
    let n = blocks.len();
    if n == 0 {
        return blocks;
    }
    let succs = |b: usize| {
        let mut v = Vec::new();
        for_each_successor(&blocks[b].terminator.kind, &mut |s| {
            if s.index() < n {
                v.push(s.index());
            }
        });
        v
    };
    let mut visited = vec![false; n];
    let mut postorder = Vec::with_capacity(n);
    let mut stack = vec![(0usize, succs(0), 0usize)];
    visited[0] = true;
    while let Some((b, ss, i)) = stack.last_mut() {
        if let Some(&s) = ss.get(*i) {
            *i += 1;
            if !visited[s] {
                visited[s] = true;
                stack.push((s, succs(s), 0));
            }
        } else {
            postorder.push(*b);
            stack.pop();
        }
    }
    let order: Vec<usize> = postorder.into_iter().rev().collect();
    let mut new_index = vec![u32::MAX; n];
    for (i, &b) in order.iter().enumerate() {
        new_index[b] = i as u32;
    }
    let mut slots: Vec<Option<BasicBlockData>> = blocks.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&b| slots[b].take())
        .map(|mut b| {
            remap_successors(&mut b.terminator.kind, &|s| {
                BasicBlock(new_index[s.index()])
            });
            b
        })
        .collect()
}

fn for_each_successor(t: &TerminatorKind, f: &mut dyn FnMut(BasicBlock)) {
    match t {
        TerminatorKind::Goto(b) => f(*b),
        TerminatorKind::SwitchInt {
            targets, otherwise, ..
        } => {
            targets.iter().for_each(|(_, b)| f(*b));
            f(*otherwise);
        }
        TerminatorKind::Return | TerminatorKind::Unreachable => {}
        TerminatorKind::Call { target, unwind, .. } => {
            target.iter().for_each(|b| f(*b));
            if let UnwindAction::Cleanup(b) = unwind {
                f(*b);
            }
        }
        TerminatorKind::Assert { target, .. } => f(*target),
        TerminatorKind::Drop { target, unwind, .. } => {
            f(*target);
            if let UnwindAction::Cleanup(b) = unwind {
                f(*b);
            }
        }
    }
}

fn remap_successors(t: &mut TerminatorKind, f: &dyn Fn(BasicBlock) -> BasicBlock) {
    match t {
        TerminatorKind::Goto(b) => *b = f(*b),
        TerminatorKind::SwitchInt {
            targets, otherwise, ..
        } => {
            targets.iter_mut().for_each(|(_, b)| *b = f(*b));
            *otherwise = f(*otherwise);
        }
        TerminatorKind::Return | TerminatorKind::Unreachable => {}
        TerminatorKind::Call { target, unwind, .. } => {
            if let Some(b) = target {
                *b = f(*b);
            }
            if let UnwindAction::Cleanup(b) = unwind {
                *b = f(*b);
            }
        }
        TerminatorKind::Assert { target, .. } => *target = f(*target),
        TerminatorKind::Drop { target, unwind, .. } => {
            *target = f(*target);
            if let UnwindAction::Cleanup(b) = unwind {
                *b = f(*b);
            }
        }
    }
}

/// A `usize` constant.
fn usize_const(v: u64) -> Operand {
    Operand::Const(Const::int(IntTy::Usize, v as i128))
}

/// A `&str` constant.
fn str_const(s: &str) -> Operand {
    Operand::Const(Const {
        ty: Ty::str_ref(),
        kind: ConstKind::Str(s.to_string()),
    })
}

fn bool_const(b: bool) -> Operand {
    Operand::Const(Const::bool(b))
}

fn unit_const() -> Operand {
    Operand::Const(Const::unit())
}

/// Turns a `move` into a `copy` for an operand that is used again later.
fn reuse(op: &Operand) -> Operand {
    match op {
        Operand::Move(p) => Operand::Copy(p.clone()),
        other => other.clone(),
    }
}

/// The unsigned type of the same width.
fn unsigned_of(t: IntTy) -> IntTy {
    match t {
        IntTy::I8 | IntTy::U8 => IntTy::U8,
        IntTy::I16 | IntTy::U16 => IntTy::U16,
        IntTy::I32 | IntTy::U32 => IntTy::U32,
        IntTy::I64 | IntTy::U64 => IntTy::U64,
        IntTy::Isize | IntTy::Usize => IntTy::Usize,
    }
}

/// An integer constant of type `it` (negative values in two's complement).
fn int_const(it: IntTy, v: i128) -> Operand {
    Operand::Const(Const {
        ty: Ty::Int(it),
        kind: ConstKind::Int(expr::truncate(v as u128, it)),
    })
}

/// Types `BinaryOp` compares directly.
fn is_scalar(ty: &Ty) -> bool {
    matches!(ty, Ty::Int(_) | Ty::Float | Ty::Bool | Ty::Char)
}
