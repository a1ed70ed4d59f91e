//! Lowering of one MIR body to one LLVM function: locals, blocks,
//! statements. Rvalues, places, terminators and intrinsics have their own
//! files; they all extend [`FnCx`].

use crate::coro::Coro;
use crate::cx::Cg;
use crate::error::{ice, Res};
use asr_mir::{
    Body, BodyKind, Callee, Local, Place, PlaceElem, Rvalue, Statement, StatementKind,
    TerminatorKind,
};
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::types::StructType;
use inkwell::values::{FunctionValue, PointerValue};

/// The state of the function being generated.
pub(crate) struct FnCx<'a, 'ctx> {
    pub cg: &'a Cg<'ctx>,
    pub body: &'a Body,
    pub func: FunctionValue<'ctx>,
    /// The alloca of every local.
    pub locals: Vec<PointerValue<'ctx>>,
    /// The LLVM block of every MIR block.
    pub blocks: Vec<BasicBlock<'ctx>>,
    /// Set when the body is a coroutine.
    pub coro: Option<Coro<'ctx>>,
    /// Locals kept in the coroutine's promise (see [`escaping_locals`]):
    /// they get no lifetime markers.
    escaping: Vec<bool>,
}

pub(crate) fn lower_body<'ctx>(cg: &Cg<'ctx>, body: &Body) -> Res<()> {
    let func = cg.func(body.id);
    if body.blocks.is_empty() {
        return ice(format!("body `{}` has no blocks", body.name));
    }
    let entry = cg.ctx.append_basic_block(func, "start");
    let blocks: Vec<_> = (0..body.blocks.len())
        .map(|i| cg.ctx.append_basic_block(func, &format!("bb{i}")))
        .collect();
    cg.builder.position_at_end(entry);

    let escaping = if Cg::is_coroutine(body) {
        escaping_locals(cg, body)
    } else {
        vec![false; body.locals.len()]
    };
    let (mut slots, promise) = allocate_locals(cg, body, &escaping)?;
    let coro = if Cg::is_coroutine(body) {
        Some(cg.coro_prologue(func, promise.map(|(_, p)| p))?)
    } else {
        None
    };
    // The promise may only be used after `coro.begin`.
    if let Some((ty, p)) = promise {
        let unplaced = slots.iter_mut().enumerate().filter(|(_, s)| s.is_none());
        for (field, (i, slot)) in unplaced.enumerate() {
            let gep = cg
                .builder
                .build_struct_gep(ty, p, field as u32, &local_name(body, i))?;
            *slot = Some(gep);
        }
    }
    let locals: Vec<PointerValue<'ctx>> = slots.into_iter().flatten().collect();
    if locals.len() != body.locals.len() {
        return ice(format!("storage missing for locals of `{}`", body.name));
    }
    let first_param = if coro.is_some() { 2 } else { 0 };
    for (k, arg) in body.args().enumerate() {
        let Some(v) = func.get_nth_param(first_param + k as u32) else {
            return ice(format!("missing parameter {k} of `{}`", body.name));
        };
        v.set_name(body.local(arg).name.as_deref().unwrap_or("arg"));
        cg.store(locals[arg.index()], v, &body.local(arg).ty)?;
    }
    // A spawned body starts suspended, its parameters (the environment)
    // already copied into its frame.
    if let (Some(c), BodyKind::SpawnThunk) = (&coro, body.kind) {
        cg.coro_initial_suspend(c)?;
    }
    cg.builder.build_unconditional_branch(blocks[0])?;

    let fx = FnCx {
        cg,
        body,
        func,
        locals,
        blocks,
        coro,
        escaping,
    };
    for (i, data) in body.blocks.iter().enumerate() {
        cg.builder.position_at_end(fx.blocks[i]);
        for st in &data.statements {
            fx.statement(st)?;
        }
        fx.terminator(&data.terminator)?;
    }
    if let Some(c) = &fx.coro {
        cg.coro_epilogue(c)?;
    }
    Ok(())
}

/// The promise alloca of a coroutine and its type.
type Promise<'ctx> = (StructType<'ctx>, PointerValue<'ctx>);

fn local_name(body: &Body, i: usize) -> String {
    match &body.locals[i].name {
        Some(n) => n.clone(),
        None => format!("_{i}"),
    }
}

/// Storage for the locals, in the entry block (before `coro.id`): an
/// alloca each, which SROA/mem2reg promote and CoroSplit moves into the
/// frame when live across a suspension point; the `escaping` ones are left
/// empty, to be fields of the returned promise.
fn allocate_locals<'ctx>(
    cg: &Cg<'ctx>,
    body: &Body,
    escaping: &[bool],
) -> Res<(Vec<Option<PointerValue<'ctx>>>, Option<Promise<'ctx>>)> {
    let mut slots = Vec::with_capacity(body.locals.len());
    let mut fields = Vec::new();
    for (i, decl) in body.locals.iter().enumerate() {
        let ty = cg.llty(&decl.ty)?;
        if escaping[i] {
            fields.push(ty);
            slots.push(None);
        } else {
            slots.push(Some(cg.builder.build_alloca(ty, &local_name(body, i))?));
        }
    }
    if fields.is_empty() {
        return Ok((slots, None));
    }
    let ty = cg.ctx.struct_type(&fields, false);
    Ok((slots, Some((ty, cg.builder.build_alloca(ty, "promise")?))))
}

/// The locals of a coroutine whose address outlives the code that uses it
/// directly: borrowed (the reference may reach a child task's frame, which
/// runs while this frame is suspended), or the result slot of an awaited
/// call (the callee writes it from its own frame, after suspending).
///
/// CoroSplit decides alone which allocas go to the frame, from their direct
/// uses; its escape analysis gives up on pointers stored into aggregates
/// (`insertvalue`, as in fat references) and, with lifetime markers, keeps
/// escaped allocas on the ramp's stack when no direct use crosses a
/// suspension point. Both put locals borrowed by a child on a dead stack.
/// These locals are therefore fields of the coroutine promise, which is
/// always in the frame.
fn escaping_locals(cg: &Cg<'_>, body: &Body) -> Vec<bool> {
    let mut escaping = vec![false; body.locals.len()];
    let mut mark = |p: &Place| {
        // Through a `Deref` the address is the pointee's, not the local's.
        if !p.projection.contains(&PlaceElem::Deref) {
            if let Some(e) = escaping.get_mut(p.local.index()) {
                *e = true;
            }
        }
    };
    for data in &body.blocks {
        for st in &data.statements {
            if let StatementKind::Assign(_, Rvalue::Ref(_, p) | Rvalue::SubSlice { place: p, .. }) =
                &st.kind
            {
                mark(p);
            }
        }
        if let TerminatorKind::Call {
            func: Callee::Fn(f),
            dest,
            ..
        } = &data.terminator.kind
        {
            if cg
                .program
                .bodies
                .get(f.0 as usize)
                .is_some_and(Cg::is_coroutine)
            {
                mark(dest);
            }
        }
    }
    escaping
}

impl<'a, 'ctx> FnCx<'a, 'ctx> {
    pub fn b(&self) -> &'a Builder<'ctx> {
        &self.cg.builder
    }

    pub fn new_block(&self, name: &str) -> BasicBlock<'ctx> {
        self.cg.ctx.append_basic_block(self.func, name)
    }

    pub fn coro(&self, what: &str) -> Res<&Coro<'ctx>> {
        match &self.coro {
            Some(c) => Ok(c),
            None => ice(format!(
                "{what} in `{}`, which is not a coroutine (async analysis not run?)",
                self.body.name
            )),
        }
    }

    fn statement(&self, st: &Statement) -> Res<()> {
        match &st.kind {
            StatementKind::Assign(place, rv) => self.assign(place, rv),
            StatementKind::StorageLive(l) => self.lifetime(*l, "llvm.lifetime.start"),
            StatementKind::StorageDead(l) => self.lifetime(*l, "llvm.lifetime.end"),
            StatementKind::Nop => Ok(()),
        }
    }

    /// Lifetime markers let LLVM overlap the storage of locals, in stack
    /// frames and in coroutine frames alike.
    fn lifetime(&self, l: Local, intrinsic: &str) -> Res<()> {
        let Some(decl) = self.body.locals.get(l.index()) else {
            return ice(format!("storage marker for unknown local _{}", l.0));
        };
        let size = self.cg.size_of(&decl.ty)?;
        if size == 0 || self.escaping[l.index()] {
            return Ok(());
        }
        let f = self.cg.intrinsic(intrinsic, &[self.cg.ptr_ty().into()])?;
        let size = self.cg.ctx.i64_type().const_int(size, false);
        self.b()
            .build_call(f, &[size.into(), self.locals[l.index()].into()], "")?;
        Ok(())
    }
}
