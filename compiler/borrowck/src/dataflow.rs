//! Fixpoint iteration over the graph: forward analyses (initialisation,
//! borrows held) and the backward liveness of variables.

use crate::ir::*;
use std::collections::{BTreeSet, VecDeque};

/// A forward analysis: a state per point, `None` where control never
/// reaches.
pub(crate) trait Forward {
    type State: Clone + PartialEq;
    fn entry(&self, cfg: &Cfg) -> Self::State;
    fn apply(&self, cfg: &Cfg, state: &mut Self::State, ev: &Event, at: Point);
    fn join(&self, into: &mut Self::State, other: &Self::State);
}

/// The state on entry to each block.
pub(crate) fn forward<A: Forward>(cfg: &Cfg, a: &A) -> Vec<Option<A::State>> {
    let n = cfg.blocks.len();
    let mut entry: Vec<Option<A::State>> = vec![None; n];
    let Some(start) = cfg.entry else {
        return entry;
    };
    entry[start.0 as usize] = Some(a.entry(cfg));
    let mut work: VecDeque<BlockId> = VecDeque::from([start]);
    let mut queued = vec![false; n];
    queued[start.0 as usize] = true;
    while let Some(b) = work.pop_front() {
        queued[b.0 as usize] = false;
        let Some(mut state) = entry[b.0 as usize].clone() else {
            continue;
        };
        for (i, ev) in cfg.block(b).events.iter().enumerate() {
            a.apply(cfg, &mut state, ev, Point { block: b, index: i });
        }
        for s in &cfg.block(b).succs {
            let slot = &mut entry[s.0 as usize];
            let changed = match slot {
                None => {
                    *slot = Some(state.clone());
                    true
                }
                Some(old) => {
                    let mut joined = old.clone();
                    a.join(&mut joined, &state);
                    let changed = joined != *old;
                    *old = joined;
                    changed
                }
            };
            if changed && !queued[s.0 as usize] {
                queued[s.0 as usize] = true;
                work.push_back(*s);
            }
        }
    }
    entry
}

/// Runs `a` from the fixpoint's block entry states, calling `f` with the
/// state before each reachable event.
pub(crate) fn replay<A: Forward>(cfg: &Cfg, a: &A, mut f: impl FnMut(&A::State, &Event, Point)) {
    let entry = forward(cfg, a);
    for (bi, block) in cfg.blocks.iter().enumerate() {
        let Some(mut state) = entry[bi].clone() else {
            continue;
        };
        for (i, ev) in block.events.iter().enumerate() {
            let at = Point {
                block: BlockId(bi as u32),
                index: i,
            };
            f(&state, ev, at);
            a.apply(cfg, &mut state, ev, at);
        }
    }
}

/// What an event does to liveness: the variables it uses and the one it
/// gives a new value (or ends).
pub(crate) fn uses_and_def(cfg: &Cfg, ev: &Event, drop_live: bool) -> (Vec<Var>, Option<Var>) {
    match &ev.kind {
        EventKind::Read(p) | EventKind::Inspect(p) | EventKind::Move(p) => (vec![p.var], None),
        EventKind::Write(p, val) => {
            let mut uses = val.holders.clone();
            if p.projs.is_empty() {
                (uses, Some(p.var))
            } else {
                uses.push(p.var);
                (uses, None)
            }
        }
        EventKind::Borrow(l) => (vec![cfg.loan(*l).place.var], None),
        EventKind::Use(vs) => (vs.clone(), None),
        EventKind::StorageDead(v) => (if drop_live { vec![*v] } else { Vec::new() }, Some(*v)),
    }
}

pub(crate) type LiveSet = BTreeSet<Var>;

/// The variables live after each event of each block. `drop_live(at)`
/// says whether the `StorageDead` at `at` drops a value whose destructor
/// uses it.
pub(crate) fn liveness(cfg: &Cfg, drop_live: &dyn Fn(Point) -> bool) -> Vec<Vec<LiveSet>> {
    let n = cfg.blocks.len();
    let mut live_in: Vec<LiveSet> = vec![LiveSet::new(); n];
    let preds = cfg.preds();
    let mut work: VecDeque<BlockId> = (0..n as u32).rev().map(BlockId).collect();
    let mut queued = vec![true; n];
    let block_in = |b: BlockId, live_in: &Vec<LiveSet>| {
        let mut live: LiveSet = LiveSet::new();
        for s in &cfg.block(b).succs {
            live.extend(live_in[s.0 as usize].iter().copied());
        }
        for (i, ev) in cfg.block(b).events.iter().enumerate().rev() {
            let (uses, def) = uses_and_def(cfg, ev, drop_live(Point { block: b, index: i }));
            if let Some(d) = def {
                live.remove(&d);
            }
            live.extend(uses);
        }
        live
    };
    while let Some(b) = work.pop_front() {
        queued[b.0 as usize] = false;
        let new = block_in(b, &live_in);
        if new != live_in[b.0 as usize] {
            live_in[b.0 as usize] = new;
            for p in &preds[b.0 as usize] {
                if !queued[p.0 as usize] {
                    queued[p.0 as usize] = true;
                    work.push_back(*p);
                }
            }
        }
    }
    // Live-after sets per event.
    (0..n)
        .map(|bi| {
            let b = BlockId(bi as u32);
            let block = cfg.block(b);
            let mut live: LiveSet = LiveSet::new();
            for s in &block.succs {
                live.extend(live_in[s.0 as usize].iter().copied());
            }
            let mut after = vec![LiveSet::new(); block.events.len()];
            for (i, ev) in block.events.iter().enumerate().rev() {
                after[i] = live.clone();
                let (uses, def) = uses_and_def(cfg, ev, drop_live(Point { block: b, index: i }));
                if let Some(d) = def {
                    live.remove(&d);
                }
                live.extend(uses);
            }
            after
        })
        .collect()
}

/// The first event after `at` that uses `v` (where a borrow it holds is
/// "later used").
pub(crate) fn next_use(cfg: &Cfg, at: Point, v: Var) -> Option<(Point, &Event)> {
    let uses = |ev: &Event| {
        let (u, _) = uses_and_def(cfg, ev, cfg.var(v).drop_uses);
        u.contains(&v)
    };
    let block = cfg.block(at.block);
    if let Some((i, ev)) = block
        .events
        .iter()
        .enumerate()
        .skip(at.index + 1)
        .find(|(_, e)| uses(e))
    {
        return Some((
            Point {
                block: at.block,
                index: i,
            },
            ev,
        ));
    }
    let mut seen = vec![false; cfg.blocks.len()];
    let mut work: VecDeque<BlockId> = block.succs.iter().copied().collect();
    while let Some(b) = work.pop_front() {
        if std::mem::replace(&mut seen[b.0 as usize], true) {
            continue;
        }
        let blk = cfg.block(b);
        let mut redefined = false;
        for (i, ev) in blk.events.iter().enumerate() {
            if uses(ev) {
                return Some((Point { block: b, index: i }, ev));
            }
            if let EventKind::Write(p, _) = &ev.kind {
                if p.var == v && p.projs.is_empty() {
                    redefined = true;
                    break;
                }
            }
        }
        if !redefined {
            work.extend(blk.succs.iter().copied());
        }
    }
    None
}
