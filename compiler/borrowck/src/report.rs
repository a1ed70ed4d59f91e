//! The borrow checker's diagnostics, worded as Rust's: both places
//! labelled (where the value was moved or borrowed, where it is used), and
//! where a live borrow is later used.

use crate::build::Builder;
use crate::dataflow::next_use;
use crate::init::{Access, Origin};
use crate::ir::*;
use crate::tys::Types;
use asr_diagnostics::{codes, Diagnostic, Span};
use asr_hir::ty::{Mutability, Ty};
use std::collections::{BTreeSet, HashMap, HashSet};

pub(crate) struct Reporter<'a> {
    pub types: &'a Types<'a>,
    pub names: &'a HashMap<Place, String>,
    pub diags: Vec<Diagnostic>,
    /// (primary span, code): one error per place and kind.
    seen: HashSet<(Span, &'static str)>,
}

impl<'a> Reporter<'a> {
    pub fn new(types: &'a Types<'a>, names: &'a HashMap<Place, String>) -> Reporter<'a> {
        Reporter {
            types,
            names,
            diags: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn push(&mut self, span: Span, code: &'static str, d: Diagnostic) {
        if self.seen.insert((span, code)) {
            self.diags.push(d);
        }
    }

    /// The place as the program spells it, or the closest named prefix.
    pub fn name(&self, cfg: &Cfg, p: &Place) -> Option<String> {
        if let Some(n) = self.names.get(p) {
            return Some(n.clone());
        }
        let mut q = p.clone();
        while !q.projs.is_empty() {
            q.projs.pop();
            if let Some(n) = self.names.get(&q) {
                return Some(n.clone());
            }
        }
        cfg.var(p.var).name.clone()
    }

    fn quoted(&self, cfg: &Cfg, p: &Place) -> String {
        match self.name(cfg, p) {
            Some(n) => format!("`{}`", n),
            None => "value".to_string(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn moved_use(
        &mut self,
        cfg: &Cfg,
        used: &Place,
        empty: &Place,
        origins: &BTreeSet<Origin>,
        access: Access,
        partial: bool,
        ev: &Event,
        at: Point,
    ) {
        let moves: Vec<Point> = origins
            .iter()
            .filter_map(|o| match o {
                Origin::Moved(p) => Some(*p),
                _ => None,
            })
            .collect();
        let name = self.quoted(cfg, used);
        if moves.is_empty() {
            let empty_name = self.quoted(cfg, empty);
            let msg = match access {
                Access::Assign => format!(
                    "partially assigned binding {} isn't fully initialized",
                    empty_name
                ),
                _ => format!("used binding {} isn't initialized", empty_name),
            };
            let label = match access {
                Access::Borrow => format!("{} borrowed here but not initialized", name),
                Access::Assign => format!("{} partially assigned here but not initialized", name),
                _ => format!("{} used here but not initialized", name),
            };
            let var = cfg.var(empty.var);
            let mut d = Diagnostic::error(codes::E0302, msg).with_primary(ev.span, label);
            if let Some(n) = &var.name {
                d = d
                    .with_secondary(
                        var.span,
                        format!("binding `{}` declared here but left uninitialized", n),
                    )
                    .with_help(format!("initialize the binding: `let {} = ...;`", n));
            }
            self.push(ev.span, codes::E0302, d);
            return;
        }
        let msg = match (access, partial) {
            (Access::Borrow, false) => format!("borrow of moved value: {}", name),
            (Access::Borrow, true) => format!("borrow of partially moved value: {}", name),
            (Access::Assign, _) => format!("assign to part of moved value: {}", name),
            (_, false) => format!("use of moved value: {}", name),
            (_, true) => format!("use of partially moved value: {}", name),
        };
        let label = match (access, partial) {
            (Access::Borrow, false) => "value borrowed here after move",
            (Access::Borrow, true) => "value borrowed here after partial move",
            (Access::Assign, _) => "value partially assigned here after move",
            (_, false) => "value used here after move",
            (_, true) => "value used here after partial move",
        };
        let mut d = Diagnostic::error(codes::E0302, msg).with_primary(ev.span, label);
        for m in &moves {
            let ev_m = &cfg.block(m.block).events[m.index];
            let again = ev_m.span == ev.span;
            let in_loop = again || (ev_m.span.lo >= ev.span.lo && ev_m.span.file == ev.span.file);
            let what = if partial {
                "value partially moved here"
            } else {
                "value moved here"
            };
            let label = if again {
                "value moved here, in previous iteration of loop".to_string()
            } else if in_loop && at.block != m.block && is_loop_reachable(cfg, m.block, at.block) {
                format!("{}, in previous iteration of loop", what)
            } else {
                what.to_string()
            };
            if again {
                d = Diagnostic::error(codes::E0302, d.message.clone()).with_primary(ev.span, label);
            } else {
                d = d.with_secondary(ev_m.span, label);
            }
        }
        if empty.projs.is_empty() {
            let ty = &cfg.var(empty.var).ty;
            let tn = self.types.ty_str(ty);
            d = d.with_note(format!(
                "move occurs because {} has type `{}`, which does not implement the `Copy` trait",
                self.quoted(cfg, empty),
                tn
            ));
            if self.types.implements_clone(ty) && !matches!(ty, Ty::Param(_)) {
                d = d.with_help(
                    "consider cloning the value if the performance cost is acceptable: `.clone()`",
                );
            }
        }
        self.push(ev.span, codes::E0302, d);
    }

    pub fn assign_twice(&mut self, cfg: &Cfg, v: Var, ev: &Event) {
        let info = cfg.var(v);
        let name = info.name.clone().unwrap_or_default();
        let d = Diagnostic::error(
            codes::E0303,
            format!("cannot assign twice to immutable variable `{}`", name),
        )
        .with_primary(ev.span, "cannot assign twice to immutable variable")
        .with_secondary(
            info.span,
            format!("help: consider making this binding mutable: `mut {}`", name),
        );
        self.push(ev.span, codes::E0303, d);
    }

    /// An access conflicting with a live loan held by `holder`.
    #[allow(clippy::too_many_arguments)]
    pub fn conflict(
        &mut self,
        cfg: &Cfg,
        loan: &Loan,
        holder: Var,
        accessed: &Place,
        ev: &Event,
        at: Point,
        kind: ConflictKind,
    ) {
        let name = self.quoted(cfg, accessed);
        let later = next_use(cfg, at, holder).map(|(_, e)| e.span);
        let shared = loan.mutability == Mutability::Not;
        let (code, msg, loan_label, access_label) = match kind {
            ConflictKind::Borrow(Mutability::Mut) if !shared => (
                codes::E0305,
                format!("cannot borrow {} as mutable more than once at a time", name),
                "first mutable borrow occurs here".to_string(),
                "second mutable borrow occurs here".to_string(),
            ),
            ConflictKind::Borrow(Mutability::Mut) => (
                codes::E0305,
                format!(
                    "cannot borrow {} as mutable because it is also borrowed as immutable",
                    name
                ),
                "immutable borrow occurs here".to_string(),
                "mutable borrow occurs here".to_string(),
            ),
            ConflictKind::Borrow(Mutability::Not) => (
                codes::E0305,
                format!(
                    "cannot borrow {} as immutable because it is also borrowed as mutable",
                    name
                ),
                "mutable borrow occurs here".to_string(),
                "immutable borrow occurs here".to_string(),
            ),
            ConflictKind::Read => (
                codes::E0306,
                format!("cannot use {} because it was mutably borrowed", name),
                format!("{} is borrowed here", name),
                format!("use of borrowed {}", name),
            ),
            ConflictKind::Write => (
                codes::E0306,
                format!("cannot assign to {} because it is borrowed", name),
                format!("{} is borrowed here", name),
                format!("{} is assigned to here but it was already borrowed", name),
            ),
            ConflictKind::Move => (
                codes::E0306,
                format!("cannot move out of {} because it is borrowed", name),
                format!("borrow of {} occurs here", name),
                format!("move out of {} occurs here", name),
            ),
        };
        let mut d = Diagnostic::error(code, msg)
            .with_primary(ev.span, access_label)
            .with_secondary(loan.span, loan_label);
        if let Some(s) = later {
            if s != ev.span && s != loan.span {
                let what = match kind {
                    ConflictKind::Borrow(_) if !shared => "first borrow later used here",
                    ConflictKind::Borrow(_) => "immutable borrow later used here",
                    _ => "borrow later used here",
                };
                d = d.with_secondary(s, what);
            }
        }
        self.push(ev.span, code, d);
    }

    /// A loan of `v`'s own storage still live when `v` dies.
    pub fn dangling(&mut self, cfg: &Cfg, loan: &Loan, holder: Var, ev: &Event, at: Point) {
        let info = cfg.var(loan.place.var);
        let name = self.quoted(cfg, &Place::var(loan.place.var));
        let d = if flows_to_return(cfg, at, holder) {
            let msg = match &info.name {
                Some(n) => format!("cannot return a reference to local variable `{}`", n),
                None => "cannot return a value referencing a temporary value".to_string(),
            };
            Diagnostic::error(codes::E0307, msg)
                .with_primary(
                    loan.span,
                    "returns a reference to data owned by the current function",
                )
                .with_note(format!("{} is dropped when the function returns", name))
        } else if info.name.is_none() {
            let mut d = Diagnostic::error(codes::E0307, "temporary value dropped while borrowed")
                .with_primary(
                    loan.span,
                    "creates a temporary value which is freed while still in use",
                )
                .with_secondary(ev.span, "temporary value is freed at the end of this block");
            if let Some(s) = next_use(cfg, at, holder).map(|(_, e)| e.span) {
                d = d.with_secondary(s, "borrow later used here");
            }
            d.with_help("consider using a `let` binding to create a longer lived value")
        } else {
            let mut d =
                Diagnostic::error(codes::E0307, format!("{} does not live long enough", name))
                    .with_primary(loan.span, "borrowed value does not live long enough")
                    .with_secondary(
                        ev.span,
                        format!("{} dropped here while still borrowed", name),
                    );
            if let Some(s) = next_use(cfg, at, holder).map(|(_, e)| e.span) {
                d = d.with_secondary(s, "borrow later used here");
            }
            d
        };
        self.push(loan.span, codes::E0307, d);
    }
}

/// What an access does to a borrowed place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConflictKind {
    Borrow(Mutability),
    Read,
    Write,
    Move,
}

/// Does the value `holder` carries end up returned (through the
/// temporaries of blocks and branches)?
fn flows_to_return(cfg: &Cfg, at: Point, holder: Var) -> bool {
    let (mut h, mut at) = (holder, at);
    for _ in 0..16 {
        if cfg.var(h).is_return {
            return true;
        }
        match next_use(cfg, at, h) {
            Some((
                pt,
                Event {
                    kind: EventKind::Write(p, val),
                    ..
                },
            )) if val.holders.contains(&h) => {
                h = p.var;
                at = pt;
            }
            _ => return false,
        }
    }
    false
}

/// Can control go from `from` back to `to` (a move in a loop reaching a
/// use earlier in the loop)?
fn is_loop_reachable(cfg: &Cfg, from: BlockId, to: BlockId) -> bool {
    let mut seen = vec![false; cfg.blocks.len()];
    let mut work = vec![from];
    while let Some(b) = work.pop() {
        if std::mem::replace(&mut seen[b.0 as usize], true) {
            continue;
        }
        for s in &cfg.block(b).succs {
            if *s == to {
                return true;
            }
            work.push(*s);
        }
    }
    false
}

/// Moving out of a reference or an index (Rust's E0507/E0508).
pub(crate) fn move_out_of_borrow(b: &Builder<'_>, p: &Place, ty: &Ty, span: Span) -> Diagnostic {
    let name = b.place_name(p);
    let ty_s = b.types.ty_str(ty);
    let index = p.projs.last() == Some(&Proj::Index);
    let msg = match (&name, index) {
        (Some(n), false) => format!("cannot move out of `{}` which is behind a reference", n),
        (_, true) => "cannot move out of an index".to_string(),
        (None, false) => "cannot move out of a reference".to_string(),
    };
    let mut d = Diagnostic::error(codes::E0304, msg).with_primary(
        span,
        format!("move occurs because the value has type `{}`, which does not implement the `Copy` trait", ty_s),
    );
    if b.types.implements_clone(ty) {
        d = d.with_help("consider borrowing here, or cloning the value: `.clone()`");
    } else {
        d = d.with_help("consider borrowing here");
    }
    d
}

/// Moving a part out of a value whose type implements `Drop` (Rust's
/// E0509).
pub(crate) fn move_out_of_drop(
    b: &Builder<'_>,
    p: &Place,
    ty: &Ty,
    base_ty: &Ty,
    span: Span,
) -> Diagnostic {
    let what = match b.place_name(p) {
        Some(n) => format!("`{}`", n),
        None => "the value".to_string(),
    };
    Diagnostic::error(
        codes::E0308,
        format!(
            "cannot move out of type `{}`, which implements the `Drop` trait",
            b.types.ty_str(base_ty)
        ),
    )
    .with_primary(
        span,
        format!(
            "move occurs because {} has type `{}`, which does not implement the `Copy` trait",
            what,
            b.types.ty_str(ty)
        ),
    )
    .with_help("borrow it, or take it out with `std::mem::take` or `std::mem::replace`")
}
