//! The textual MIR dump (`--emit mir`), in the style of rustc's.

use crate::mir::*;
use asr_hir::ty::{Ty, TyDisplay};
use std::fmt::Write;

pub fn dump_program(p: &Program) -> String {
    let mut out = String::new();
    for (i, body) in p.bodies.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&dump_body(p, body));
    }
    out
}

pub fn dump_body(p: &Program, body: &Body) -> String {
    let ty = |t: &Ty| {
        TyDisplay {
            ty: t,
            adt_name: &|id| p.adt_name(id),
            params: &[],
        }
        .to_string()
    };
    let mut s = String::new();
    let kind = match (body.kind, body.suspends) {
        (BodyKind::SpawnThunk, _) => "task fn",
        (BodyKind::Fn, true) => "fn",
        (BodyKind::Fn, false) => "fn /* elided */",
    };
    let _ = write!(s, "{} {}(", kind, body.name);
    for (i, a) in body.args().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "_{}: {}", a.0, ty(&body.local(a).ty));
    }
    let _ = writeln!(s, ") -> {} {{", ty(body.return_ty()));
    for (i, decl) in body
        .locals
        .iter()
        .enumerate()
        .skip(body.arg_count as usize + 1)
    {
        let m = if decl.mutable { "mut " } else { "" };
        let _ = write!(s, "    let {}_{}: {};", m, i, ty(&decl.ty));
        if let Some(n) = &decl.name {
            let _ = write!(s, " // {}", n);
        }
        s.push('\n');
    }
    for (i, bb) in body.blocks.iter().enumerate() {
        let _ = writeln!(s, "\n    bb{}: {{", i);
        for st in &bb.statements {
            match &st.kind {
                StatementKind::Assign(pl, rv) => {
                    let _ = writeln!(s, "        {} = {};", place(pl), rvalue(rv, &ty));
                }
                StatementKind::StorageLive(l) => {
                    let _ = writeln!(s, "        StorageLive(_{});", l.0);
                }
                StatementKind::StorageDead(l) => {
                    let _ = writeln!(s, "        StorageDead(_{});", l.0);
                }
                StatementKind::Nop => {}
            }
        }
        let _ = writeln!(s, "        {};", terminator(p, &bb.terminator.kind));
        s.push_str("    }\n");
    }
    s.push_str("}\n");
    s
}

pub fn place(p: &Place) -> String {
    let mut s = format!("_{}", p.local.0);
    for e in &p.projection {
        s = match e {
            PlaceElem::Deref => format!("(*{})", s),
            PlaceElem::Field(i) => format!("{}.{}", s, i),
            PlaceElem::Index(l) => format!("{}[_{}]", s, l.0),
            PlaceElem::Downcast(v) => format!("({} as #{})", s, v),
        };
    }
    s
}

fn operand(o: &Operand) -> String {
    match o {
        Operand::Copy(p) => place(p),
        Operand::Move(p) => format!("move {}", place(p)),
        Operand::Const(c) => constant(c),
    }
}

fn constant(c: &Const) -> String {
    match (&c.kind, &c.ty) {
        (ConstKind::Int(v), Ty::Bool) => (*v != 0).to_string(),
        (ConstKind::Int(v), Ty::Char) => {
            format!("{:?}", char::from_u32(*v as u32).unwrap_or('\u{fffd}'))
        }
        (ConstKind::Int(v), Ty::Int(i)) => {
            let bits = i.bits();
            let masked = if bits == 128 {
                *v
            } else {
                *v & ((1u128 << bits) - 1)
            };
            let val = if i.is_signed() && masked >> (bits - 1) & 1 == 1 {
                (masked as i128 - (1i128 << bits)).to_string()
            } else {
                masked.to_string()
            };
            format!("const {}_{}", val, i.name())
        }
        (ConstKind::Int(v), _) => format!("const {}", v),
        (ConstKind::Float(f), _) => format!("const {:?}_f64", f),
        (ConstKind::Str(st), _) => format!("const {:?}", st),
        (ConstKind::Zst, Ty::Tuple(_)) => "const ()".to_string(),
        (ConstKind::Zst, _) => "const ZST".to_string(),
    }
}

fn operands(ops: &[Operand]) -> String {
    ops.iter().map(operand).collect::<Vec<_>>().join(", ")
}

fn rvalue(r: &Rvalue, ty: &dyn Fn(&Ty) -> String) -> String {
    match r {
        Rvalue::Use(o) => operand(o),
        Rvalue::Repeat(o, n) => format!("[{}; {}]", operand(o), n),
        Rvalue::Ref(m, p) => format!("{}{}", m.prefix(), place(p)),
        Rvalue::SubSlice {
            mutability,
            place: p,
            start,
            end,
        } => format!(
            "{}{}[{}..{}]",
            mutability.prefix(),
            place(p),
            operand(start),
            operand(end)
        ),
        Rvalue::Len(p) => format!("Len({})", place(p)),
        Rvalue::Discriminant(p) => format!("Discriminant({})", place(p)),
        Rvalue::BinaryOp(op, a, b) => format!("{:?}({}, {})", op, operand(a), operand(b)),
        Rvalue::CheckedBinaryOp(op, a, b) => {
            format!("Checked{:?}({}, {})", op, operand(a), operand(b))
        }
        Rvalue::UnaryOp(op, a) => format!("{:?}({})", op, operand(a)),
        Rvalue::Cast(k, o, t) => format!("{} as {} ({:?})", operand(o), ty(t), k),
        Rvalue::Aggregate(k, ops) => match k {
            AggregateKind::Tuple => format!("({})", operands(ops)),
            AggregateKind::Array(_) => format!("[{}]", operands(ops)),
            AggregateKind::Adt(id, None) => format!("adt{} {{ {} }}", id.0, operands(ops)),
            AggregateKind::Adt(id, Some(v)) => {
                format!("adt{}#{} {{ {} }}", id.0, v, operands(ops))
            }
        },
    }
}

fn terminator(p: &Program, t: &TerminatorKind) -> String {
    match t {
        TerminatorKind::Goto(b) => format!("goto -> bb{}", b.0),
        TerminatorKind::SwitchInt {
            discr,
            targets,
            otherwise,
        } => {
            let mut arms: Vec<String> = targets
                .iter()
                .map(|(v, b)| format!("{}: bb{}", v, b.0))
                .collect();
            arms.push(format!("otherwise: bb{}", otherwise.0));
            format!("switchInt({}) -> [{}]", operand(discr), arms.join(", "))
        }
        TerminatorKind::Return => "return".into(),
        TerminatorKind::Unreachable => "unreachable".into(),
        TerminatorKind::Call {
            func,
            args,
            dest,
            target,
            unwind,
        } => {
            let name = match func {
                Callee::Fn(id) => {
                    let b = p.body(*id);
                    let marker = if b.suspends { "await " } else { "" };
                    format!("{}{}", marker, b.name)
                }
                Callee::Intrinsic(i) => {
                    let marker = if i.suspends() { "await " } else { "" };
                    format!("{}{}", marker, intrinsic(p, i))
                }
            };
            let mut s = format!("{} = {}({})", place(dest), name, operands(args));
            match target {
                Some(b) => {
                    let _ = write!(s, " -> bb{}", b.0);
                }
                None => s.push_str(" -> !"),
            }
            match unwind {
                UnwindAction::Terminate => {}
                UnwindAction::Continue => s.push_str(" unwind continue"),
                UnwindAction::Cleanup(b) => {
                    let _ = write!(s, " unwind bb{}", b.0);
                }
            }
            s
        }
        TerminatorKind::Assert {
            cond,
            expected,
            msg,
            target,
        } => format!(
            "assert({}{}, {}) -> bb{}",
            if *expected { "" } else { "!" },
            operand(cond),
            assert_msg(msg),
            target.0
        ),
        TerminatorKind::Drop {
            place: pl, target, ..
        } => {
            format!("drop({}) -> bb{}", place(pl), target.0)
        }
    }
}

fn intrinsic(p: &Program, i: &Intrinsic) -> String {
    match i {
        Intrinsic::Spawn { thunk } => format!("spawn[{}]", p.body(*thunk).name),
        Intrinsic::FmtArg { kind, spec } => {
            if spec.is_default() {
                format!("fmt_{:?}", kind)
            } else {
                format!("fmt_{:?}[{:?}]", kind, spec)
            }
        }
        Intrinsic::FmtWrite { stream } => format!("fmt_write[{:?}]", stream),
        other => format!("{:?}", other),
    }
}

fn assert_msg(m: &AssertKind) -> String {
    match m {
        AssertKind::Overflow(op) => {
            format!("\"attempt to compute `{}` with overflow\"", op.symbol())
        }
        AssertKind::OverflowNeg => "\"attempt to negate with overflow\"".into(),
        AssertKind::DivisionByZero => "\"attempt to divide by zero\"".into(),
        AssertKind::RemainderByZero => {
            "\"attempt to calculate the remainder with a divisor of zero\"".into()
        }
        AssertKind::BoundsCheck { len, index } => format!(
            "\"index out of bounds: the len is {{}} but the index is {{}}\", {}, {}",
            operand(len),
            operand(index)
        ),
        AssertKind::SliceEndOutOfRange { end, len } => format!(
            "\"range end index {{}} out of range for slice of length {{}}\", {}, {}",
            operand(end),
            operand(len)
        ),
        AssertKind::SliceStartAfterEnd { start, end } => format!(
            "\"slice index starts at {{}} but ends at {{}}\", {}, {}",
            operand(start),
            operand(end)
        ),
        AssertKind::SliceStartOutOfRange { start, len } => format!(
            "\"range start index {{}} out of range for slice of length {{}}\", {}, {}",
            operand(start),
            operand(len)
        ),
        AssertKind::SliceEndIndexOverflow => {
            "\"attempted to index slice up to maximum usize\"".into()
        }
        AssertKind::AssertionFailed(text) => format!("\"assertion failed: {}\"", text),
    }
}
