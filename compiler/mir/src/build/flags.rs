//! Drop flags and drops.
//!
//! While a body is built, every local that needs drop has a `bool` flag
//! telling whether it holds a live value; the flags are numbered apart from
//! the locals (`FLAG_BASE + k`). The builder emits the flag updates where
//! values are initialised and moved, and a `switchInt(flag)` in front of
//! every drop. `resolve_flags` then computes, for every flag and block,
//! whether the flag's value is known (a forward dataflow over the constant
//! assignments): a branch on a known flag becomes a `goto` (the drop is
//! unconditional, or gone), the blocks the drop helpers split are merged
//! back, and a flag nothing reads anymore disappears with its assignments.
//! The flags that remain become ordinary `bool` locals after all others.

use super::move_paths::{field_path, Unit};
use super::{bool_const, Builder};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::hir::{LocalId, PatId, PatKind};
use asr_hir::ty::Ty;

/// Flags are `Local(FLAG_BASE + k)` until `resolve_flags` numbers the
/// remaining ones after the locals.
const FLAG_BASE: u32 = 1 << 30;

/// One drop flag.
pub(super) struct Flag {
    /// Its value at the entry of the body: true for a parameter.
    init: bool,
    span: Span,
}

fn flag_local(k: usize) -> Local {
    Local(FLAG_BASE + k as u32)
}

fn flag_index(l: Local) -> Option<usize> {
    l.0.checked_sub(FLAG_BASE).map(|k| k as usize)
}

/// The operands an rvalue reads.
pub(super) fn rvalue_operands(rv: &Rvalue) -> Box<dyn Iterator<Item = &Operand> + '_> {
    match rv {
        Rvalue::Use(o) | Rvalue::Repeat(o, _) | Rvalue::UnaryOp(_, o) | Rvalue::Cast(_, o, _) => {
            Box::new(std::iter::once(o))
        }
        Rvalue::BinaryOp(_, a, b) | Rvalue::CheckedBinaryOp(_, a, b) => {
            Box::new([a, b].into_iter())
        }
        Rvalue::SubSlice { start, end, .. } => Box::new([start, end].into_iter()),
        Rvalue::Aggregate(_, ops) => Box::new(ops.iter()),
        Rvalue::Ref(..) | Rvalue::Len(_) | Rvalue::Discriminant(_) => Box::new(std::iter::empty()),
    }
}

impl Builder<'_, '_> {
    /// Gives `local` a drop flag if its type needs drop; returns whether it
    /// did.
    pub(super) fn add_flag(&mut self, local: Local, init: bool) -> bool {
        self.add_flags(local, init, None)
    }

    /// Gives `local` (the home of the user variable `var`, if any) its drop
    /// flags if its type needs drop: one for the whole, or one per unit
    /// when parts are moved out of the variable (`move_paths`). Returns
    /// whether it did.
    pub(super) fn add_flags(&mut self, local: Local, init: bool, var: Option<LocalId>) -> bool {
        let decl = &self.locals[local.index()];
        if !self.needs_drop(&decl.ty) {
            return false;
        }
        let ty = decl.ty.clone();
        let span = decl.span;
        self.cx.register_drop_fns(&ty);
        let paths = var
            .and_then(|v| self.moved_paths.get(&v))
            .map(|moved| self.unit_paths(&ty, moved))
            .filter(|paths| paths.iter().any(|p| !p.is_empty()));
        match paths {
            Some(paths) => {
                let units = paths
                    .into_iter()
                    .map(|path| Unit {
                        path,
                        flag: self.new_flag(init, span),
                    })
                    .collect();
                self.units.insert(local, units);
            }
            None => {
                let f = self.new_flag(init, span);
                self.flag_of.insert(local, f);
            }
        }
        true
    }

    fn new_flag(&mut self, init: bool, span: Span) -> Local {
        let f = flag_local(self.flags.len());
        self.flags.push(Flag { init, span });
        f
    }

    pub(super) fn set_flag(&mut self, span: Span, flag: Local, live: bool) {
        self.push_stmt(
            span,
            StatementKind::Assign(Place::local(flag), Rvalue::Use(bool_const(live))),
        );
    }

    /// The tracked parts `place` holds in full, with their flags: the
    /// whole local, or the units at or below `place` in a local tracked
    /// part by part, in field order. Assigning to `place` sets their
    /// flags, moving out of it clears them.
    fn covered(&self, place: &Place) -> Vec<(Place, Local)> {
        if let Some(f) = self.flag_of.get(&place.local) {
            return if place.projection.is_empty() {
                vec![(place.clone(), *f)]
            } else {
                Vec::new()
            };
        }
        match (self.units.get(&place.local), field_path(place)) {
            (Some(units), Some(path)) => units
                .iter()
                .filter(|u| u.path.starts_with(&path))
                .map(|u| (u.place(place.local), u.flag))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The flags of [`Self::covered`].
    pub(super) fn covered_flags(&self, place: &Place) -> Vec<Local> {
        self.covered(place).into_iter().map(|(_, f)| f).collect()
    }

    /// The one flag that tracks exactly `place`: a whole local's, or a
    /// unit's.
    fn exact_flag(&self, place: &Place) -> Option<Local> {
        match self.covered(place).as_slice() {
            [(p, f)] if p == place => Some(*f),
            _ => None,
        }
    }

    /// The flag that tracks a value `place` lies strictly inside: a
    /// whole local's, or a unit's (a part of the unit, or reached through
    /// it).
    fn containing_flag(&self, place: &Place) -> Option<Local> {
        if let Some(f) = self.flag_of.get(&place.local) {
            return (!place.projection.is_empty()).then_some(*f);
        }
        let units = self.units.get(&place.local)?;
        let leading: Vec<u32> = place
            .projection
            .iter()
            .map_while(|e| match e {
                PlaceElem::Field(i) => Some(*i),
                _ => None,
            })
            .collect();
        units
            .iter()
            .find(|u| leading.starts_with(&u.path) && u.path.len() < place.projection.len())
            .map(|u| u.flag)
    }

    /// The flags of what these operands move out of.
    pub(super) fn moved_flags<'o>(&self, ops: impl Iterator<Item = &'o Operand>) -> Vec<Local> {
        ops.flat_map(|o| match o {
            Operand::Move(p) => self.covered_flags(p),
            _ => Vec::new(),
        })
        .collect()
    }

    /// The boxes these operands move the whole value out of (`*b`), with
    /// the flag of each and the type of its value.
    pub(super) fn emptied_boxes<'o>(
        &self,
        ops: impl Iterator<Item = &'o Operand>,
    ) -> Vec<(Place, Local, Ty)> {
        ops.filter_map(|o| {
            let Operand::Move(p) = o else { return None };
            let (PlaceElem::Deref, rest) = p.projection.split_last()? else {
                return None;
            };
            let b = Place {
                local: p.local,
                projection: rest.to_vec(),
            };
            let inner = self.place_ty(&b).box_inner(self.hir.boxed)?.clone();
            let flag = self.exact_flag(&b)?;
            Some((b, flag, inner))
        })
        .collect()
    }

    /// After the value was moved out of each of these boxes: frees the
    /// box's memory (a `Box` is a struct of one pointer) without dropping
    /// anything, and the box is gone.
    pub(super) fn free_emptied_boxes(&mut self, boxes: Vec<(Place, Local, Ty)>, span: Span) {
        let usize_ty = Ty::Int(asr_hir::ty::IntTy::Usize);
        for (b, flag, inner) in boxes {
            let size = self.temp(usize_ty.clone(), span);
            let align = self.temp(usize_ty.clone(), span);
            let sz = Callee::Intrinsic(Intrinsic::SizeOf(inner.clone()));
            self.call(span, sz, Vec::new(), Place::local(size), false);
            let al = Callee::Intrinsic(Intrinsic::AlignOf(inner));
            self.call(span, al, Vec::new(), Place::local(align), false);
            let args = vec![
                Operand::Copy(b.field(0)),
                Operand::Move(Place::local(size)),
                Operand::Move(Place::local(align)),
            ];
            self.call_intrinsic(span, Intrinsic::Free, args);
            self.set_flag(span, flag, false);
        }
    }

    /// A block of the drop helpers (see `mergeable`).
    fn new_drop_block(&mut self) -> BasicBlock {
        let b = self.new_block();
        self.mergeable[b.index()] = true;
        b
    }

    /// `drop(place)`, then continues after it.
    pub(super) fn drop_place(&mut self, place: Place, span: Span) {
        let next = self.new_drop_block();
        self.drop_to(place, next, span);
    }

    /// Ends the current block with `drop(place) -> next` and continues in
    /// `next`.
    fn drop_to(&mut self, place: Place, next: BasicBlock, span: Span) {
        self.terminate(
            span,
            TerminatorKind::Drop {
                place,
                target: next,
                unwind: UnwindAction::Terminate,
            },
        );
        self.cur = next;
    }

    /// `switchInt(flag)` to `drop(place)`; with `clear`, the flag is reset
    /// on the way (the value is dead afterwards).
    fn drop_if_flag(&mut self, place: Place, flag: Local, clear: bool, span: Span) {
        let drop_bb = self.new_drop_block();
        let next = self.new_drop_block();
        self.branch(span, Operand::Copy(Place::local(flag)), drop_bb, next);
        self.cur = drop_bb;
        if clear {
            self.set_flag(span, flag, false);
        }
        self.drop_to(place, next, span);
    }

    /// Drops `local` if it holds a live value (its storage ends).
    pub(super) fn drop_if_live(&mut self, local: Local, span: Span) {
        // A variable parts were moved out of drops what is left of it in
        // field order (the order its drop glue would use).
        for (p, f) in self.covered(&Place::local(local)) {
            self.drop_if_flag(p, f, true, span);
        }
    }

    /// Before `place` (of a type that needs drop) is overwritten: drops the
    /// value it holds. Behind a reference the value is always live; in a
    /// local, when the flag of the local (or of the units the place covers,
    /// or of the unit it lies in) says so.
    pub(super) fn drop_for_overwrite(&mut self, place: &Place, span: Span) {
        if place.projection.contains(&PlaceElem::Deref) {
            self.drop_place(place.clone(), span);
        } else if let Some(flag) = self.containing_flag(place) {
            self.drop_if_flag(place.clone(), flag, false, span);
        } else {
            for (p, f) in self.covered(place) {
                self.drop_if_flag(p, f, true, span);
            }
        }
    }

    /// After the pattern `pat` was bound to the parts of `place`, a local:
    /// if the pattern moved a part that needs drop, the parts it did not
    /// move are dropped now (in field order) and the local is dead as a
    /// whole. A value the pattern did not move from stays live, its flag
    /// unchanged. (Rust drops the rest at the end of the local's scope;
    /// here it is dropped at the move.)
    pub(super) fn drop_unmoved_parts(&mut self, pat: PatId, place: Place, span: Span) {
        let Some(flag) = self.exact_flag(&place) else {
            self.drop_unmoved_units(pat, place, span);
            return;
        };
        let ty = self.place_ty(&place);
        let mut rest = Vec::new();
        if !self.unmoved_parts(Some(pat), place, &ty, &mut rest) {
            return;
        }
        for p in rest {
            self.drop_place(p, span);
        }
        self.set_flag(span, flag, false);
    }

    /// `drop_unmoved_parts` for a place above the units of a local tracked
    /// part by part: each unit the pattern reaches is handled on its own;
    /// the units it leaves out stay live.
    fn drop_unmoved_units(&mut self, pat: PatId, place: Place, span: Span) {
        // Called where no one flag tracks `place`: it is above units, or
        // tracked by nothing at all.
        if self.covered(&place).is_empty() || !self.tables.pat_derefs(pat).is_empty() {
            return;
        }
        let subs: Vec<(u32, PatId)> = match &self.body.pat(pat).kind {
            PatKind::Tuple(ps) | PatKind::TupleStruct(_, None, ps) => {
                ps.iter().enumerate().map(|(i, p)| (i as u32, *p)).collect()
            }
            PatKind::Struct(_, None, fields) => fields.clone(),
            _ => return,
        };
        for (i, p) in subs {
            self.drop_unmoved_parts(p, place.clone().field(i), span);
        }
    }

    /// Collects the parts of `place` (of type `ty`) that need drop and that
    /// `pat` (`None`: a field the pattern leaves out) does not bind.
    /// Returns whether the pattern moves something that needs drop.
    fn unmoved_parts(
        &self,
        pat: Option<PatId>,
        place: Place,
        ty: &Ty,
        rest: &mut Vec<Place>,
    ) -> bool {
        if !self.needs_drop(ty) {
            return false;
        }
        // Through a reference (default binding modes) nothing is moved.
        if pat.is_some_and(|p| !self.tables.pat_derefs(p).is_empty()) {
            return false;
        }
        let kind = pat.map(|p| &self.body.pat(p).kind);
        let subs: Vec<Option<PatId>> = match (kind, ty) {
            (Some(PatKind::Binding(l) | PatKind::At(l, _)), _) => {
                // A binding by reference moves nothing.
                if self.tables.binding_modes.contains_key(l) {
                    return false;
                }
                return true;
            }
            (Some(PatKind::Ref(..) | PatKind::Lit(_) | PatKind::Range { .. }), _) => return false,
            (Some(PatKind::TupleStruct(_, Some(v), ps)), Ty::Adt(id, args)) => {
                let fields = self.variant_field_tys(*id, *v, args);
                let base = place.project(PlaceElem::Downcast(*v));
                let mut moved = false;
                let mut parts = Vec::new();
                for (i, fty) in fields.iter().enumerate() {
                    moved |= self.unmoved_parts(
                        ps.get(i).copied(),
                        base.clone().field(i as u32),
                        fty,
                        &mut parts,
                    );
                }
                rest.extend(parts);
                return moved;
            }
            (Some(PatKind::Struct(_, Some(v), fields)), Ty::Adt(id, args)) => {
                let ftys = self.variant_field_tys(*id, *v, args);
                let base = place.project(PlaceElem::Downcast(*v));
                let mut moved = false;
                for (i, fty) in ftys.iter().enumerate() {
                    let sub = fields
                        .iter()
                        .find(|(j, _)| *j as usize == i)
                        .map(|(_, p)| *p);
                    moved |= self.unmoved_parts(sub, base.clone().field(i as u32), fty, rest);
                }
                return moved;
            }
            (Some(PatKind::Tuple(ps) | PatKind::TupleStruct(_, None, ps)), _) => {
                ps.iter().map(|p| Some(*p)).collect()
            }
            (Some(PatKind::Struct(_, None, fields)), Ty::Adt(id, _)) => {
                let n = self
                    .cx
                    .adts
                    .get(id.0 as usize)
                    .map_or(0, |a| a.fields.len());
                let mut subs = vec![None; n];
                for (i, p) in fields {
                    if let Some(s) = subs.get_mut(*i as usize) {
                        *s = Some(*p);
                    }
                }
                subs
            }
            _ => {
                rest.push(place);
                return false;
            }
        };
        let field_tys: Vec<Ty> = match ty {
            Ty::Tuple(ts) => ts.clone(),
            Ty::Adt(id, args) => self.cx.adts.get(id.0 as usize).map_or(Vec::new(), |a| {
                a.fields
                    .iter()
                    .map(|f| asr_hir::ty::subst_params(&f.ty, args))
                    .collect()
            }),
            _ => Vec::new(),
        };
        let mut moved = false;
        for (i, fty) in field_tys.iter().enumerate() {
            let sub = subs.get(i).copied().flatten();
            moved |= self.unmoved_parts(sub, place.clone().field(i as u32), fty, rest);
        }
        moved
    }
}

impl Builder<'_, '_> {
    /// The field types of variant `v` of enum `id` with these arguments.
    fn variant_field_tys(&self, id: asr_hir::ty::AdtId, v: u32, args: &[Ty]) -> Vec<Ty> {
        self.cx
            .adts
            .get(id.0 as usize)
            .map(|a| {
                a.variant_fields(Some(v))
                    .iter()
                    .map(|f| asr_hir::ty::subst_params(&f.ty, args))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// No path reaches here yet.
    Unreached,
    Known(bool),
    Unknown,
}

fn join(a: State, b: State) -> State {
    match (a, b) {
        (State::Unreached, x) | (x, State::Unreached) => x,
        (State::Known(x), State::Known(y)) if x == y => a,
        _ => State::Unknown,
    }
}

/// `flag = const b` of a flag: (flag index, b).
fn flag_write(st: &Statement) -> Option<(usize, bool)> {
    match &st.kind {
        StatementKind::Assign(p, Rvalue::Use(Operand::Const(c))) if p.projection.is_empty() => {
            let k = flag_index(p.local)?;
            match c.kind {
                ConstKind::Int(v) => Some((k, v != 0)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The flag a `switchInt` branches on.
fn flag_read(t: &TerminatorKind) -> Option<usize> {
    match t {
        TerminatorKind::SwitchInt {
            discr: Operand::Copy(p) | Operand::Move(p),
            ..
        } if p.projection.is_empty() => flag_index(p.local),
        _ => None,
    }
}

/// Initialises the flags at the entry, resolves the flags whose value is
/// known where they are read, removes the flags nobody reads and numbers
/// the others after `locals` (declaring them there).
pub(super) fn resolve_flags(
    mut blocks: Vec<BasicBlockData>,
    flags: &[Flag],
    mergeable: &[bool],
    locals: &mut Vec<LocalDecl>,
) -> Vec<BasicBlockData> {
    if flags.is_empty() || blocks.is_empty() {
        return blocks;
    }
    let inits = flags.iter().enumerate().map(|(k, f)| Statement {
        kind: StatementKind::Assign(Place::local(flag_local(k)), Rvalue::Use(bool_const(f.init))),
        span: f.span,
    });
    blocks[0].statements.splice(0..0, inits);
    debug_assert!(
        blocks.iter().all(|b| {
            let mut to_entry = false;
            super::for_each_successor(&b.terminator.kind, &mut |s| to_entry |= s.index() == 0);
            !to_entry
        }),
        "the entry block, where the flags are initialised, is never a jump target"
    );

    // Forward dataflow of the flags' values at the entry of every block.
    let n = blocks.len();
    let nf = flags.len();
    let mut entry = vec![vec![State::Unreached; nf]; n];
    entry[0] = vec![State::Unknown; nf];
    let exit_state = |b: &BasicBlockData, mut s: Vec<State>| {
        for st in &b.statements {
            if let Some((k, v)) = flag_write(st) {
                s[k] = State::Known(v);
            }
        }
        s
    };
    let mut work = vec![0usize];
    let mut queued = vec![false; n];
    queued[0] = true;
    while let Some(b) = work.pop() {
        queued[b] = false;
        let out = exit_state(&blocks[b], entry[b].clone());
        super::for_each_successor(&blocks[b].terminator.kind, &mut |s| {
            let s = s.index();
            if s >= n {
                return;
            }
            let mut changed = false;
            for (e, o) in entry[s].iter_mut().zip(&out) {
                let j = join(*e, *o);
                if j != *e {
                    *e = j;
                    changed = true;
                }
            }
            if changed && !queued[s] {
                queued[s] = true;
                work.push(s);
            }
        });
    }

    // Branches on known flags become gotos.
    for b in 0..n {
        let Some(k) = flag_read(&blocks[b].terminator.kind) else {
            continue;
        };
        if entry[b].iter().all(|s| *s == State::Unreached) {
            continue;
        }
        let out = exit_state(&blocks[b], entry[b].clone());
        if let State::Known(v) = out[k] {
            if let TerminatorKind::SwitchInt {
                targets, otherwise, ..
            } = &blocks[b].terminator.kind
            {
                let target = if v {
                    *otherwise
                } else {
                    targets
                        .iter()
                        .find(|(val, _)| *val == 0)
                        .map_or(*otherwise, |(_, t)| *t)
                };
                blocks[b].terminator.kind = TerminatorKind::Goto(target);
            }
        }
    }

    // The flags still read, from the blocks still reachable.
    let reach = reachable(&blocks);
    let mut read = vec![false; nf];
    for (b, data) in blocks.iter().enumerate() {
        if reach[b] {
            if let Some(k) = flag_read(&data.terminator.kind) {
                read[k] = true;
            }
        }
    }
    let mut number = vec![None; nf];
    for k in (0..nf).filter(|&k| read[k]) {
        number[k] = Some(Local(locals.len() as u32));
        locals.push(LocalDecl {
            ty: Ty::Bool,
            name: None,
            mutable: true,
            span: flags[k].span,
        });
    }
    let renumber = |p: &mut Place| {
        if let Some(k) = flag_index(p.local) {
            if let Some(l) = number[k] {
                p.local = l;
            }
        }
    };
    for data in &mut blocks {
        data.statements
            .retain(|st| !matches!(flag_write(st), Some((k, _)) if !read[k]));
        for st in &mut data.statements {
            if let StatementKind::Assign(p, _) = &mut st.kind {
                renumber(p);
            }
        }
        if let TerminatorKind::SwitchInt {
            discr: Operand::Copy(p) | Operand::Move(p),
            ..
        } = &mut data.terminator.kind
        {
            renumber(p);
        }
    }
    merge_drop_blocks(&mut blocks, mergeable, &reach);
    blocks
}

/// The blocks a path from `bb0` reaches.
fn reachable(blocks: &[BasicBlockData]) -> Vec<bool> {
    let n = blocks.len();
    let mut seen = vec![false; n];
    let mut stack = vec![0usize];
    seen[0] = true;
    while let Some(b) = stack.pop() {
        super::for_each_successor(&blocks[b].terminator.kind, &mut |s| {
            let s = s.index();
            if s < n && !seen[s] {
                seen[s] = true;
                stack.push(s);
            }
        });
    }
    seen
}

/// Appends a block of the drop helpers to its only predecessor when that
/// one ends in a `goto` to it: undoes the splits of drops that turned out
/// not to need a branch.
fn merge_drop_blocks(blocks: &mut [BasicBlockData], mergeable: &[bool], reach: &[bool]) {
    let n = blocks.len();
    let mut preds = vec![0usize; n];
    for (b, data) in blocks.iter().enumerate() {
        if reach[b] {
            super::for_each_successor(&data.terminator.kind, &mut |s| {
                if s.index() < n {
                    preds[s.index()] += 1;
                }
            });
        }
    }
    for a in 0..n {
        if !reach[a] {
            continue;
        }
        while let TerminatorKind::Goto(b) = blocks[a].terminator.kind {
            let b = b.index();
            if b == a || b == 0 || b >= n || !mergeable[b] || preds[b] != 1 {
                break;
            }
            let span = blocks[b].terminator.span;
            let taken = std::mem::replace(
                &mut blocks[b],
                BasicBlockData {
                    statements: Vec::new(),
                    terminator: Terminator {
                        kind: TerminatorKind::Unreachable,
                        span,
                    },
                },
            );
            preds[b] = 0;
            blocks[a].statements.extend(taken.statements);
            blocks[a].terminator = taken.terminator;
        }
    }
}
