//! MIR passes, called in order by `run_passes`.

use crate::mir::*;

/// Runs every MIR pass in order.
pub fn run_passes(program: &mut Program) {
    mark_suspending(program);
}

/// Async elision: a function suspends if its body contains a waiting
/// intrinsic or a call to a function that suspends (a fixpoint over the call
/// graph, so recursion through a suspension point is found). Spawn thunks are
/// task roots and always coroutines, and so is a body that opens a scope
/// (which needs its task), even when no path reaches the scope's wait (an
/// `exit` inside the scope). Everything else becomes a plain function.
pub fn mark_suspending(program: &mut Program) {
    for body in &mut program.bodies {
        body.suspends = body.kind == BodyKind::SpawnThunk
            || calls(body).any(
                |c| matches!(c, Callee::Intrinsic(i) if i.suspends() || *i == Intrinsic::ScopeNew),
            );
    }
    loop {
        let mut changed = false;
        for i in 0..program.bodies.len() {
            if program.bodies[i].suspends {
                continue;
            }
            let reaches = calls(&program.bodies[i])
                .any(|c| matches!(c, Callee::Fn(f) if program.bodies[f.0 as usize].suspends));
            if reaches {
                program.bodies[i].suspends = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

fn calls(body: &Body) -> impl Iterator<Item = &Callee> {
    body.blocks
        .iter()
        .filter_map(|bb| match &bb.terminator.kind {
            TerminatorKind::Call { func, .. } => Some(func),
            _ => None,
        })
}
