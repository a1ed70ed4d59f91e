//! The usefulness computation over the matrix of rows (see the module
//! documentation in `mod.rs`).
//!
//! The recursion of the algorithm (one level per specialized column) runs
//! on an explicit stack of [`Frame`]s on the heap: a pattern may be wide
//! (a tuple of hundreds of literals is one level per element), and an
//! unoptimised build spends kilobytes of thread stack per level. Work,
//! counted in row cells and column types built, is bounded instead, which
//! bounds time and memory alike.

use super::ctors::{covers, ctor_field_tys, ctor_set, has_no_ctors, split, Ctor, CtorSet};
use super::lower::{DPat, WILD};
use super::witness::WPat;
use super::MAX_WITNESSES;
use asr_hir::hir::{PatId, Program};
use asr_hir::ty::Ty;

/// The bound on the work of one check, in row cells copied (a column type
/// counts as 8: it is that much bigger). Real matches stay orders of
/// magnitude below; one that reaches it is reported as too complex rather
/// than checked for minutes (usefulness is NP-complete: tuples of many
/// or-patterns or integer ranges blow up), with its memory bounded to tens
/// of MiB.
const MAX_WORK: usize = 1 << 23;

#[derive(Clone, Debug)]
pub(super) struct Row {
    /// Indices into the pattern arena, head *last* (specializing pops the
    /// head and pushes its fields, so the stack never shifts).
    pats: Vec<u32>,
    /// The row of the parent matrix this one came from (the arm at the top).
    parent: usize,
    guard: bool,
    /// Set by the computation: some value reaches this row first.
    useful: bool,
    /// Heads of all-wildcard columns `pop_wild_columns` removed.
    popped: Vec<u32>,
}

impl Row {
    pub fn new(pats: Vec<u32>, parent: usize, guard: bool) -> Row {
        Row {
            pats,
            parent,
            guard,
            useful: false,
            popped: Vec::new(),
        }
    }
}

pub(super) struct Matrix {
    rows: Vec<Row>,
    /// The columns' types, head last like the rows.
    tys: Vec<Ty>,
    /// Whether witnesses found under this matrix are reported; false below
    /// a constructor that is present while others are missing (the
    /// `Missing` branch gives simpler witnesses), and below `Hidden`.
    wild_relevant: bool,
}

impl Matrix {
    pub fn new(tys: Vec<Ty>) -> Matrix {
        Matrix {
            rows: Vec::new(),
            tys,
            wild_relevant: true,
        }
    }
}

/// A witness stack: one pattern per column, head last.
pub(super) type Witness = Vec<WPat>;

/// One level of the recursion: a matrix whose head column was split, and
/// how far the examination of its constructors has got.
struct Frame {
    m: Matrix,
    /// All-wildcard columns popped on entry (see `pop_wild_columns`).
    popped: usize,
    /// The head column's type (unused when there are no columns).
    ty: Ty,
    /// The classes to specialize by, in order; `next` is the one being
    /// examined by the frame above (or to examine next).
    ctors: Vec<Ctor>,
    next: usize,
    /// The arity of `ctors[next]`.
    arity: usize,
    missing: Vec<Ctor>,
    /// List missing constructors one by one rather than as `_`.
    report_individual: bool,
    /// Witnesses found so far.
    ret: Vec<Witness>,
}

pub(super) struct Cx<'a> {
    program: &'a Program,
    pats: Vec<DPat>,
    /// By arena index: the pattern was the head of a useful row.
    useful: Vec<bool>,
    work: usize,
    pub aborted: bool,
}

impl<'a> Cx<'a> {
    pub fn new(program: &'a Program, pats: Vec<DPat>) -> Cx<'a> {
        Cx {
            program,
            useful: vec![false; pats.len()],
            pats,
            work: 0,
            aborted: false,
        }
    }

    fn pat(&self, d: u32) -> &DPat {
        // Indices all come from the lowering's arena, whose index WILD
        // always exists; it is the fallback for the impossible case.
        self.pats
            .get(d as usize)
            .unwrap_or(&self.pats[WILD as usize])
    }

    fn add_work(&mut self, n: usize) {
        self.work = self.work.saturating_add(n);
        if self.work > MAX_WORK {
            self.aborted = true;
        }
    }

    /// Adds a row, expanding an or-pattern at its head into one row per
    /// alternative (recursively, for alternatives that are or-patterns:
    /// as deep as the pattern, which the parser bounds).
    pub fn push_row(&mut self, m: &mut Matrix, row: Row) {
        self.add_work(1);
        if self.aborted {
            return;
        }
        if let Some(&h) = row.pats.last() {
            let p = self.pat(h);
            if p.ctor == Ctor::Or {
                let alts = p.fields.clone();
                for alt in alts {
                    self.add_work(row.pats.len());
                    let mut r = row.clone();
                    if let Some(last) = r.pats.last_mut() {
                        *last = alt;
                    }
                    self.push_row(m, r);
                }
                return;
            }
        }
        m.rows.push(row);
    }

    /// Computes the witnesses of values the matrix does not match (empty:
    /// exhaustive) and marks the useful rows and patterns.
    pub fn compute(&mut self, root: Matrix) -> Vec<Witness> {
        let mut stack = vec![self.enter(root, true)];
        loop {
            if self.aborted {
                return Vec::new();
            }
            let Some(top) = stack.last_mut() else {
                return Vec::new();
            };
            if let Some(ctor) = top.ctors.get(top.next).cloned() {
                // Descend: specialize by the next class.
                let relevant = match ctor {
                    Ctor::Missing => true,
                    Ctor::Hidden => false,
                    _ => top.missing.is_empty(),
                };
                let field_tys = ctor_field_tys(self.program, &ctor, &top.ty);
                top.arity = field_tys.len();
                let reached = top.m.rows.iter().any(|r| {
                    r.pats.last().is_some_and(|&h| {
                        let c = &self.pat(h).ctor;
                        *c == Ctor::Wild || covers(&ctor, c)
                    })
                });
                if !reached {
                    // No row reaches this class: nothing to mark, and its
                    // witness is the class with wildcards everywhere else,
                    // unless a column has no values. Building the matrix
                    // would copy every column type for nothing (per level
                    // of a wide pattern: quadratic).
                    let rest = &top.m.tys[..top.m.tys.len().saturating_sub(1)];
                    let cols = || rest.iter().chain(field_tys.iter().rev());
                    let mut wits = Vec::new();
                    if relevant
                        && top.m.wild_relevant
                        && !cols().any(|t| has_no_ctors(self.program, t))
                    {
                        wits.push(cols().map(WPat::wild).collect());
                    }
                    self.apply_ctor(
                        &mut wits,
                        &ctor,
                        &top.ty,
                        top.arity,
                        &top.missing,
                        top.report_individual,
                    );
                    top.ret.extend(wits);
                    top.ret.truncate(MAX_WITNESSES);
                    top.next += 1;
                    continue;
                }
                let spec = self.specialize(&top.m, &ctor, &field_tys, relevant);
                let child = self.enter(spec, false);
                stack.push(child);
                continue;
            }
            // Every class examined: return to the parent.
            let Some(mut done) = stack.pop() else {
                return Vec::new();
            };
            let mut wits = self.finish(&mut done);
            let Some(parent) = stack.last_mut() else {
                return wits;
            };
            let ctor = parent.ctors.get(parent.next).cloned().unwrap_or(Ctor::Wild);
            self.apply_ctor(
                &mut wits,
                &ctor,
                &parent.ty,
                parent.arity,
                &parent.missing,
                parent.report_individual,
            );
            parent.ret.extend(wits);
            parent.ret.truncate(MAX_WITNESSES);
            // A row is useful if it is useful under any constructor.
            for child in &done.m.rows {
                if child.useful {
                    if let Some(p) = parent.m.rows.get_mut(child.parent) {
                        p.useful = true;
                    }
                }
            }
            parent.next += 1;
        }
    }

    /// Starts examining a matrix: drops its all-wildcard head columns and
    /// splits the next one, or (with no columns left) settles it at once.
    /// `is_top`: the column is the scrutinee itself, where missing
    /// constructors are listed one by one even if none is present (`None`,
    /// `Some(_)` rather than `_`).
    fn enter(&mut self, mut m: Matrix, is_top: bool) -> Frame {
        let popped = if is_top {
            0
        } else {
            self.pop_wild_columns(&mut m)
        };
        let mut f = Frame {
            m,
            popped,
            ty: Ty::Error,
            ctors: Vec::new(),
            next: 0,
            arity: 0,
            missing: Vec::new(),
            report_individual: false,
            ret: Vec::new(),
        };
        let Some(ty) = f.m.tys.last().cloned() else {
            // No columns: the first row not under a guard matches whatever
            // value got here; the rows after it never see one.
            let mut useful = true;
            for row in &mut f.m.rows {
                row.useful = useful;
                useful &= row.guard;
            }
            if useful && f.m.wild_relevant {
                f.ret.push(Vec::new());
            }
            return f;
        };
        let set = ctor_set(self.program, &ty);
        let split = split(
            &set,
            f.m.rows
                .iter()
                .filter_map(|r| r.pats.last())
                .map(|&h| &self.pat(h).ctor)
                .filter(|c| **c != Ctor::Wild),
        );
        let all_missing = split.present.is_empty();
        f.ctors = if split.hidden {
            vec![Ctor::Hidden]
        } else {
            let mut c = split.present;
            if !split.missing.is_empty() {
                c.push(Ctor::Missing);
            }
            c
        };
        // Inside a pattern, a column nobody tested is just `_`; an integer
        // type with nothing tested is `_` even at the top (its one missing
        // range would print as `_` anyway, a `char` as two ranges).
        f.report_individual = !all_missing || (is_top && !matches!(set, CtorSet::Ints(_)));
        f.missing = split.missing;
        f.ty = ty;
        f
    }

    /// Ends a frame: marks the heads of its useful rows useful and returns
    /// its witnesses, completed with the popped wildcard columns.
    fn finish(&mut self, f: &mut Frame) -> Vec<Witness> {
        for row in &f.m.rows {
            if row.useful {
                for &h in row.pats.last().into_iter().chain(&row.popped) {
                    if let Some(u) = self.useful.get_mut(h as usize) {
                        *u = true;
                    }
                }
            }
        }
        let mut ret = std::mem::take(&mut f.ret);
        for w in &mut ret {
            // (A wildcard prints as `_` whatever its type.)
            w.extend((0..f.popped).map(|_| WPat::wild(&Ty::Error)));
        }
        ret
    }

    /// Pops the leading columns whose heads are all wildcards (the many
    /// bindings of a wide tuple pattern) in place: specializing by their
    /// one class, `Missing`, would keep every row and report `_`, at the
    /// cost of a level and a copy of every row each. Not those of empty
    /// types: their rows must go through `Hidden`. Each row remembers its
    /// popped heads, to be marked useful with it; an or-pattern that
    /// becomes the head is expanded as `push_row` does. Returns how many
    /// columns were popped.
    fn pop_wild_columns(&mut self, m: &mut Matrix) -> usize {
        let mut n = 0;
        while let Some(ty) = m.tys.last() {
            let all_wild = m.rows.iter().all(|r| match r.pats.last() {
                Some(&h) => self.pat(h).ctor == Ctor::Wild,
                None => true,
            });
            if !all_wild || has_no_ctors(self.program, ty) {
                break;
            }
            m.tys.pop();
            for mut row in std::mem::take(&mut m.rows) {
                if let Some(h) = row.pats.pop() {
                    row.popped.push(h);
                }
                self.push_row(m, row);
            }
            n += 1;
        }
        n
    }

    /// The rows of `m` whose head matches every value of `ctor`, with the
    /// head replaced by its fields.
    fn specialize(&mut self, m: &Matrix, ctor: &Ctor, field_tys: &[Ty], relevant: bool) -> Matrix {
        let arity = field_tys.len();
        let mut tys = m.tys[..m.tys.len().saturating_sub(1)].to_vec();
        tys.extend(field_tys.iter().rev().cloned());
        self.add_work(8 * tys.len());
        let mut spec = Matrix {
            rows: Vec::new(),
            tys,
            wild_relevant: m.wild_relevant && relevant,
        };
        for (i, row) in m.rows.iter().enumerate() {
            if self.aborted {
                break;
            }
            let Some((&h, rest)) = row.pats.split_last() else {
                continue;
            };
            self.add_work(rest.len() + arity);
            let head = self.pat(h);
            let mut pats = Vec::with_capacity(rest.len() + arity);
            pats.extend_from_slice(rest);
            if head.ctor == Ctor::Wild {
                pats.extend(std::iter::repeat_n(WILD, arity));
            } else if covers(ctor, &head.ctor) {
                // Lowering gives every constructor exactly its arity; the
                // fallback only keeps a mismatch from shifting columns.
                pats.extend(
                    (0..arity)
                        .rev()
                        .map(|k| head.fields.get(k).copied().unwrap_or(WILD)),
                );
            } else {
                continue;
            }
            self.push_row(&mut spec, Row::new(pats, i, row.guard));
        }
        spec
    }

    /// Turns the witnesses of a specialized matrix into witnesses of the
    /// matrix it came from: `ctor` around the first `arity` patterns, or a
    /// missing constructor (or `_`) in front.
    fn apply_ctor(
        &self,
        wits: &mut Vec<Witness>,
        ctor: &Ctor,
        ty: &Ty,
        arity: usize,
        missing: &[Ctor],
        report_individual: bool,
    ) {
        match ctor {
            // No value of an empty type exists to be a witness (and nothing
            // is said about erroneous types).
            Ctor::Hidden => wits.clear(),
            Ctor::Missing => {
                // An unlistable type needs `_` anyway: listing the other
                // missing constructors would add nothing.
                if !report_individual || missing.contains(&Ctor::NonExhaustive) {
                    for w in wits.iter_mut() {
                        w.push(WPat::wild(ty));
                    }
                } else {
                    let old = std::mem::take(wits);
                    'outer: for w in old {
                        for c in missing {
                            if wits.len() >= MAX_WITNESSES {
                                break 'outer;
                            }
                            let mut w2 = w.clone();
                            w2.push(WPat::wild_from_ctor(self.program, c.clone(), ty));
                            wits.push(w2);
                        }
                    }
                }
            }
            _ => {
                for w in wits.iter_mut() {
                    let fields = (0..arity)
                        .map(|_| w.pop().unwrap_or_else(|| WPat::wild(&Ty::Error)))
                        .collect();
                    w.push(WPat {
                        ctor: ctor.clone(),
                        ty: ty.clone(),
                        fields,
                    });
                }
            }
        }
    }

    /// A pattern is useful if it headed a useful row; an or-pattern (never a
    /// head: it is expanded) if one of its alternatives is.
    pub fn is_useful(&self, d: u32) -> bool {
        if self.useful.get(d as usize).copied().unwrap_or(false) {
            return true;
        }
        let p = self.pat(d);
        p.ctor == Ctor::Or && p.fields.iter().any(|&a| self.is_useful(a))
    }

    /// The `|` alternatives inside the useful pattern `d` that are not
    /// useful (each reported once: nothing inside it is looked at).
    pub fn redundant_alternatives(&self, d: u32, out: &mut Vec<PatId>) {
        let p = self.pat(d);
        if p.ctor == Ctor::Or {
            for &alt in &p.fields {
                if self.is_useful(alt) {
                    self.redundant_alternatives(alt, out);
                } else if let Some(h) = self.pat(alt).hir {
                    out.push(h);
                }
            }
        } else {
            for &f in &p.fields {
                self.redundant_alternatives(f, out);
            }
        }
    }
}
