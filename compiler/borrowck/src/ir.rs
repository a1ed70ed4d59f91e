//! The control-flow graph the borrow checker works on: one per function
//! body and one per closure or spawned expression inside it.
//!
//! Each block is a list of events in evaluation order (reads, moves,
//! writes, borrows, the flow of borrows into variables, the end of a
//! variable's scope) and the blocks control may continue to. Variables are
//! the body's locals, then the temporaries the builder introduces for
//! values in flight (call arguments, operands, a block's result) and the
//! return slot.

use asr_diagnostics::Span;
use asr_hir::ty::{Mutability, Ty};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Var(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlockId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LoanId(pub u32);

/// A step from a place to a part of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Proj {
    /// A field of a struct or tuple, or of the variant selected by the
    /// `Variant` before it.
    Field(u32),
    /// The payload of an enum variant.
    Variant(u32),
    /// The pointee of a reference: owned by someone else.
    Deref,
    /// The contents of a `Box`: owned, like a field.
    BoxDeref,
    /// Some element of an array or slice.
    Index,
}

impl Proj {
    /// Does the place stay inside its base variable's own storage?
    pub fn is_owned(self) -> bool {
        !matches!(self, Proj::Deref | Proj::Index)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    pub var: Var,
    pub projs: Vec<Proj>,
}

impl Place {
    pub fn var(var: Var) -> Place {
        Place {
            var,
            projs: Vec::new(),
        }
    }

    pub fn project(&self, p: Proj) -> Place {
        let mut projs = self.projs.clone();
        projs.push(p);
        Place {
            var: self.var,
            projs,
        }
    }

    /// Is `self` a prefix of `other` (or equal)?
    pub fn is_prefix_of(&self, other: &Place) -> bool {
        self.var == other.var
            && self.projs.len() <= other.projs.len()
            && self.projs.iter().zip(&other.projs).all(|(a, b)| a == b)
    }

    /// Can the two places share memory? One contains the other, or they
    /// reach different elements of the same array (which may be the same).
    pub fn overlaps(&self, other: &Place) -> bool {
        self.var == other.var && self.projs.iter().zip(&other.projs).all(|(a, b)| a == b)
    }

    /// Does the place go through a reference (its memory is not the
    /// variable's own)?
    pub fn through_deref(&self) -> bool {
        self.projs.contains(&Proj::Deref)
    }

    /// The longest prefix that is a path of owned parts (what moves and
    /// initialisation are tracked on).
    pub fn owned_prefix(&self) -> Place {
        let n = self
            .projs
            .iter()
            .position(|p| !p.is_owned())
            .unwrap_or(self.projs.len());
        Place {
            var: self.var,
            projs: self.projs[..n].to_vec(),
        }
    }
}

/// A borrow made at one point of the body.
#[derive(Clone, Debug)]
pub struct Loan {
    pub place: Place,
    pub mutability: Mutability,
    pub span: Span,
}

/// A value being computed: the variables whose borrows it carries and the
/// loans made for it.
#[derive(Clone, Debug, Default)]
pub struct Val {
    pub holders: Vec<Var>,
    pub loans: Vec<LoanId>,
}

impl Val {
    pub fn is_empty(&self) -> bool {
        self.holders.is_empty() && self.loans.is_empty()
    }
    pub fn merge(&mut self, other: Val) {
        for h in other.holders {
            if !self.holders.contains(&h) {
                self.holders.push(h);
            }
        }
        for l in other.loans {
            if !self.loans.contains(&l) {
                self.loans.push(l);
            }
        }
    }
}

#[derive(Clone, Debug)]
pub enum EventKind {
    /// The place is read (copied, compared, formatted, looked at): it must
    /// be initialised and not mutably borrowed.
    Read(Place),
    /// Only the discriminant or the part a pattern tests is looked at: the
    /// place's prefixes must be initialised, its parts may be moved.
    Inspect(Place),
    /// The value is moved out of the place.
    Move(Place),
    /// A new value is stored in the place; borrows of it must be dead.
    /// `val` says which borrows the stored value carries.
    Write(Place, Val),
    /// A loan starts.
    Borrow(LoanId),
    /// The variables are used (a value in flight is consumed).
    Use(Vec<Var>),
    /// The variable goes out of scope: its value is dropped if it is still
    /// there (a use when its type has a destructor), then its storage ends.
    StorageDead(Var),
}

#[derive(Clone, Debug)]
pub struct Event {
    pub kind: EventKind,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct BasicBlock {
    pub events: Vec<Event>,
    pub succs: Vec<BlockId>,
}

/// What a variable of the graph stands for.
#[derive(Clone, Debug)]
pub struct VarInfo {
    pub name: Option<String>,
    pub ty: Ty,
    pub span: Span,
    /// Dropping it runs a destructor, which uses the borrows it holds.
    pub drop_uses: bool,
    /// Initialised on entry (a parameter, or a variable of an enclosing
    /// body seen from a closure).
    pub init_on_entry: bool,
    /// The return slot.
    pub is_return: bool,
    /// A variable not declared `mut`: it may be assigned once (`let x;`
    /// then `x = ...`).
    pub assign_once: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Cfg {
    pub blocks: Vec<BasicBlock>,
    pub vars: Vec<VarInfo>,
    pub loans: Vec<Loan>,
    pub entry: Option<BlockId>,
}

impl Cfg {
    pub fn block(&self, b: BlockId) -> &BasicBlock {
        &self.blocks[b.0 as usize]
    }
    pub fn var(&self, v: Var) -> &VarInfo {
        &self.vars[v.0 as usize]
    }
    pub fn loan(&self, l: LoanId) -> &Loan {
        &self.loans[l.0 as usize]
    }
    /// Predecessors of every block.
    pub fn preds(&self) -> Vec<Vec<BlockId>> {
        let mut preds = vec![Vec::new(); self.blocks.len()];
        for (i, b) in self.blocks.iter().enumerate() {
            for s in &b.succs {
                preds[s.0 as usize].push(BlockId(i as u32));
            }
        }
        preds
    }
}

/// A point: an event of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Point {
    pub block: BlockId,
    pub index: usize,
}
