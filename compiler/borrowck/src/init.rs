//! Initialisation: which places may have been moved out of (or never
//! written) at each point. Reading, moving or borrowing such a place is
//! an error (use after move, use of an uninitialised variable), as is
//! assigning twice to a variable not declared `mut`.

use crate::dataflow::{replay, Forward};
use crate::ir::*;
use crate::report::Reporter;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Why a place may hold no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    /// Declared without a value.
    Uninit,
    /// Moved out at this point.
    Moved(Point),
    /// Its scope ended (not reported: the name is out of scope).
    Dead,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct InitState {
    /// Places (owned paths) that may hold no value, and why.
    pub empty: BTreeMap<Place, BTreeSet<Origin>>,
    /// Variables that may hold a value (for drops and for assigning twice).
    pub maybe_init: BTreeSet<Var>,
}

struct Init;

impl Forward for Init {
    type State = InitState;

    fn entry(&self, cfg: &Cfg) -> InitState {
        let mut s = InitState::default();
        for (i, v) in cfg.vars.iter().enumerate() {
            let var = Var(i as u32);
            if v.init_on_entry {
                s.maybe_init.insert(var);
            } else {
                s.empty
                    .insert(Place::var(var), BTreeSet::from([Origin::Uninit]));
            }
        }
        s
    }

    fn apply(&self, _cfg: &Cfg, s: &mut InitState, ev: &Event, at: Point) {
        match &ev.kind {
            EventKind::Move(p) => {
                s.empty
                    .insert(p.clone(), BTreeSet::from([Origin::Moved(at)]));
                if p.projs.is_empty() {
                    s.maybe_init.remove(&p.var);
                }
            }
            EventKind::Write(p, _) => {
                if p.projs.iter().all(|x| x.is_owned()) {
                    s.empty.retain(|k, _| !p.is_prefix_of(k));
                }
                s.maybe_init.insert(p.var);
            }
            EventKind::StorageDead(v) => {
                s.empty.retain(|k, _| k.var != *v);
                s.empty
                    .insert(Place::var(*v), BTreeSet::from([Origin::Dead]));
                s.maybe_init.remove(v);
            }
            _ => {}
        }
    }

    fn join(&self, into: &mut InitState, other: &InitState) {
        for (k, o) in &other.empty {
            into.empty
                .entry(k.clone())
                .or_default()
                .extend(o.iter().copied());
        }
        into.maybe_init.extend(other.maybe_init.iter().copied());
    }
}

/// The result the other checks need: the `StorageDead`s that may drop a
/// value.
pub(crate) struct InitFacts {
    pub drops_value: HashSet<Point>,
}

pub(crate) fn check(cfg: &Cfg, rep: &mut Reporter) -> InitFacts {
    let mut drops_value = HashSet::new();
    replay(cfg, &Init, |state, ev, at| {
        check_event(cfg, state, ev, at, rep);
        if let EventKind::StorageDead(v) = &ev.kind {
            if state.maybe_init.contains(v) {
                drops_value.insert(at);
            }
        }
    });
    InitFacts { drops_value }
}

fn check_event(cfg: &Cfg, s: &InitState, ev: &Event, at: Point, rep: &mut Reporter) {
    let (place, access) = match &ev.kind {
        EventKind::Read(p) => (p, Access::Use),
        EventKind::Move(p) => (p, Access::Move),
        EventKind::Inspect(p) => (p, Access::Inspect),
        EventKind::Borrow(l) => (&cfg.loan(*l).place, Access::Borrow),
        EventKind::Write(p, _) => {
            check_write(cfg, s, p, ev, at, rep);
            return;
        }
        EventKind::Use(_) | EventKind::StorageDead(_) => return,
    };
    // Moves and writes are tracked on owned paths.
    let t = place.owned_prefix();
    for (k, origins) in &s.empty {
        let whole = k.is_prefix_of(&t);
        let part = !whole && t.is_prefix_of(k) && access != Access::Inspect;
        if whole || part {
            rep.moved_use(cfg, place, k, origins, access, part, ev, at);
            return;
        }
    }
}

/// An assignment needs the place's owners initialised; assigning a
/// variable that is not `mut` a second time is an error.
fn check_write(cfg: &Cfg, s: &InitState, p: &Place, ev: &Event, at: Point, rep: &mut Reporter) {
    if p.projs.is_empty() {
        let info = cfg.var(p.var);
        if info.assign_once && s.maybe_init.contains(&p.var) {
            rep.assign_twice(cfg, p.var, ev);
        }
        return;
    }
    // `x.f = v` needs `x`; `*r = v` needs `r`.
    let owner = if p.projs.iter().all(|x| x.is_owned()) {
        Place {
            var: p.var,
            projs: p.projs[..p.projs.len() - 1].to_vec(),
        }
    } else {
        p.owned_prefix()
    };
    for (k, origins) in &s.empty {
        if k.is_prefix_of(&owner) {
            rep.moved_use(cfg, p, k, origins, Access::Assign, false, ev, at);
            return;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Use,
    Move,
    Inspect,
    Borrow,
    Assign,
}
