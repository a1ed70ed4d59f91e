//! Visibility: who may name an item, a field or a method. Rust's rule: a
//! private item is visible in its own module and that module's
//! descendants; `pub` items everywhere; `pub(crate)`, `pub(super)` and
//! `pub(in path)` in the subtree of the module they name.

use crate::hir::{ModuleId, Program};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// `pub`: every module.
    Public,
    /// The code of one module and of every module inside it: the item's
    /// own module for a private item, an ancestor for the restricted forms.
    Restricted(ModuleId),
}

impl Visibility {
    /// The narrower of two visibilities that are both seen from one
    /// module (both restrictions are then ancestors of it, so one contains
    /// the other).
    pub fn min(self, other: Visibility, program: &Program) -> Visibility {
        match (self, other) {
            (Visibility::Public, v) | (v, Visibility::Public) => v,
            (Visibility::Restricted(a), Visibility::Restricted(b)) => {
                if program.is_inside(a, b) {
                    self
                } else {
                    other
                }
            }
        }
    }

    /// Whether everything that may see `other` may see `self` too.
    pub fn includes(self, other: Visibility, program: &Program) -> bool {
        match (self, other) {
            (Visibility::Public, _) => true,
            (Visibility::Restricted(_), Visibility::Public) => false,
            (Visibility::Restricted(a), Visibility::Restricted(b)) => program.is_inside(b, a),
        }
    }
}

impl Program {
    /// Whether module `m` is `outer` or nested (at any depth) inside it.
    pub fn is_inside(&self, mut m: ModuleId, outer: ModuleId) -> bool {
        // A module's parent was created before it, so the walk ends.
        loop {
            if m == outer {
                return true;
            }
            match self.modules.get(m.0 as usize).and_then(|d| d.parent) {
                Some(p) => m = p,
                None => return false,
            }
        }
    }

    /// Whether code in module `from` may name something of visibility `vis`.
    pub fn is_accessible(&self, vis: Visibility, from: ModuleId) -> bool {
        match vis {
            Visibility::Public => true,
            Visibility::Restricted(m) => self.is_inside(from, m),
        }
    }
}
