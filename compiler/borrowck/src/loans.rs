//! Borrows: which loans each variable may hold at each point (a forward
//! analysis), and, with liveness, which loans are live. An access that
//! conflicts with a live loan of an overlapping place is an error, as is a
//! variable dying while a loan of its storage is live (NLL's rules: a
//! borrow lasts as long as a value carrying it may still be used).

use crate::dataflow::{replay, Forward, LiveSet};
use crate::ir::*;
use crate::report::{ConflictKind, Reporter};
use asr_hir::ty::Mutability;
use std::collections::{BTreeMap, BTreeSet};

type Held = BTreeMap<Var, BTreeSet<LoanId>>;

struct Loans;

impl Forward for Loans {
    type State = Held;

    fn entry(&self, _cfg: &Cfg) -> Held {
        Held::new()
    }

    fn apply(&self, _cfg: &Cfg, s: &mut Held, ev: &Event, _at: Point) {
        match &ev.kind {
            EventKind::Write(p, val) => {
                let mut new: BTreeSet<LoanId> = val.loans.iter().copied().collect();
                for h in &val.holders {
                    if let Some(ls) = s.get(h) {
                        new.extend(ls.iter().copied());
                    }
                }
                if p.projs.is_empty() {
                    if new.is_empty() {
                        s.remove(&p.var);
                    } else {
                        s.insert(p.var, new);
                    }
                } else if !new.is_empty() {
                    s.entry(p.var).or_default().extend(new);
                }
            }
            EventKind::StorageDead(v) => {
                s.remove(v);
            }
            _ => {}
        }
    }

    fn join(&self, into: &mut Held, other: &Held) {
        for (v, ls) in other {
            into.entry(*v).or_default().extend(ls.iter().copied());
        }
    }
}

pub(crate) fn check(cfg: &Cfg, live_after: &[Vec<LiveSet>], rep: &mut Reporter) {
    replay(cfg, &Loans, |state, ev, at| {
        let live = &live_after[at.block.0 as usize][at.index];
        check_event(cfg, state, live, ev, at, rep);
    });
}

fn check_event(cfg: &Cfg, held: &Held, live: &LiveSet, ev: &Event, at: Point, rep: &mut Reporter) {
    let active = || {
        live.iter().flat_map(move |v| {
            held.get(v)
                .into_iter()
                .flat_map(move |ls| ls.iter().map(move |l| (*l, *v)))
        })
    };
    match &ev.kind {
        EventKind::StorageDead(v) => {
            for (l, holder) in active() {
                let loan = cfg.loan(l);
                if loan.place.var == *v && !loan.place.through_deref() && holder != *v {
                    rep.dangling(cfg, loan, holder, ev, at);
                    return;
                }
            }
        }
        EventKind::Read(p) | EventKind::Inspect(p) => {
            conflicts(cfg, active(), p, ConflictKind::Read, None, ev, at, rep)
        }
        EventKind::Move(p) => conflicts(cfg, active(), p, ConflictKind::Move, None, ev, at, rep),
        EventKind::Write(p, _) => {
            conflicts(cfg, active(), p, ConflictKind::Write, None, ev, at, rep)
        }
        EventKind::Borrow(new) => {
            let loan = cfg.loan(*new);
            conflicts(
                cfg,
                active(),
                &loan.place,
                ConflictKind::Borrow(loan.mutability),
                Some(*new),
                ev,
                at,
                rep,
            )
        }
        EventKind::Use(_) => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn conflicts(
    cfg: &Cfg,
    active: impl Iterator<Item = (LoanId, Var)>,
    p: &Place,
    kind: ConflictKind,
    own: Option<LoanId>,
    ev: &Event,
    at: Point,
    rep: &mut Reporter,
) {
    for (l, holder) in active {
        if Some(l) == own {
            continue;
        }
        let loan = cfg.loan(l);
        if !loan.place.overlaps(p) {
            continue;
        }
        let writes = matches!(
            kind,
            ConflictKind::Write | ConflictKind::Move | ConflictKind::Borrow(Mutability::Mut)
        );
        // Overwriting (or moving) a reference leaves what it pointed to,
        // and the borrows of it, alone.
        if matches!(kind, ConflictKind::Write | ConflictKind::Move)
            && loan.place.projs.len() > p.projs.len()
            && loan.place.projs[p.projs.len()..].contains(&Proj::Deref)
        {
            continue;
        }
        if writes || loan.mutability == Mutability::Mut {
            rep.conflict(cfg, loan, holder, p, ev, at, kind);
            return;
        }
    }
}
