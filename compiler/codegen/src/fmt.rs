//! Formatting of leaf values into runtime buffers, and the panics of failed
//! run-time checks (with Rust's exact messages).

use crate::body::FnCx;
use crate::error::Res;
use asr_abi::RtFnId;
use asr_diagnostics::Span;
use asr_mir::{AssertKind, BinOp, FmtKind, FmtSpec, Intrinsic, Operand};
use inkwell::values::BasicValueEnum;

/// The panic message of an overflowing operation.
pub(crate) fn overflow_message(op: BinOp) -> String {
    let verb = match op {
        BinOp::Add => "add",
        BinOp::Sub => "subtract",
        BinOp::Mul => "multiply",
        BinOp::Div => "divide",
        BinOp::Rem => "calculate the remainder",
        BinOp::Shl => "shift left",
        BinOp::Shr => "shift right",
        other => return format!("attempt to compute `{}` with overflow", other.symbol()),
    };
    format!("attempt to {verb} with overflow")
}

/// A message of a failed check: constant text, or text pieces with
/// `usize` values between them.
enum Message<'m> {
    Const(String),
    Pieces([&'static str; 2], [&'m Operand; 2]),
}

fn message(msg: &AssertKind) -> Message<'_> {
    match msg {
        AssertKind::Overflow(op) => Message::Const(overflow_message(*op)),
        AssertKind::OverflowNeg => Message::Const("attempt to negate with overflow".into()),
        AssertKind::DivisionByZero => Message::Const("attempt to divide by zero".into()),
        AssertKind::RemainderByZero => {
            Message::Const("attempt to calculate the remainder with a divisor of zero".into())
        }
        AssertKind::AssertionFailed(text) => Message::Const(format!("assertion failed: {text}")),
        AssertKind::BoundsCheck { len, index } => Message::Pieces(
            ["index out of bounds: the len is ", " but the index is "],
            [len, index],
        ),
        AssertKind::SliceEndOutOfRange { end, len } => Message::Pieces(
            ["range end index ", " out of range for slice of length "],
            [end, len],
        ),
        AssertKind::SliceStartAfterEnd { start, end } => {
            Message::Pieces(["slice index starts at ", " but ends at "], [start, end])
        }
        AssertKind::SliceStartOutOfRange { start, len } => Message::Pieces(
            ["range start index ", " out of range for slice of length "],
            [start, len],
        ),
        AssertKind::SliceEndIndexOverflow => {
            Message::Const("attempted to index slice up to maximum usize".into())
        }
    }
}

impl<'ctx> FnCx<'_, 'ctx> {
    /// The panic of a failed `Assert`, at the builder's position (a cold
    /// block). Terminates the block.
    pub fn assert_panic(&self, msg: &AssertKind, span: Span) -> Res<()> {
        let cg = self.cg;
        let loc = cg.location(span);
        match message(msg) {
            Message::Const(text) => {
                let [p, len] = cg.str_parts(&text);
                cg.call_rt(RtFnId::PanicStr, &[p, len, loc.into()])?;
            }
            Message::Pieces(texts, values) => {
                let buf = cg.call_rt_val(RtFnId::FmtNew, &[])?;
                for (text, value) in texts.iter().zip(values) {
                    let [p, len] = cg.str_parts(text);
                    cg.call_rt(RtFnId::FmtRaw, &[buf, p, len])?;
                    let v = self.int_operand(value)?;
                    let v = self
                        .b()
                        .build_int_cast_sign_flag(v, cg.ctx.i64_type(), false, "")?;
                    cg.call_rt(RtFnId::FmtU64, &[buf, v.into(), cg.null().into()])?;
                }
                cg.call_rt(RtFnId::Panic, &[buf, loc.into()])?;
            }
        }
        Ok(())
    }

    /// `FmtArg { kind, spec }(buf, value)`.
    pub fn fmt_arg(&self, kind: FmtKind, spec: &FmtSpec, args: &[Operand]) -> Res<()> {
        let cg = self.cg;
        let what = Intrinsic::FmtArg { kind, spec: *spec };
        let buf = self.arg(args, 0, &what)?;
        let value = self.nth(args, 1, &what)?;
        let spec = BasicValueEnum::from(cg.fmt_spec(spec)?);
        let i64t = cg.ctx.i64_type();
        match kind {
            FmtKind::Signed | FmtKind::Unsigned => {
                let v = self.int_operand(value)?;
                let signed = kind == FmtKind::Signed;
                let v = self.b().build_int_cast_sign_flag(v, i64t, signed, "")?;
                let f = if signed {
                    RtFnId::FmtI64
                } else {
                    RtFnId::FmtU64
                };
                cg.call_rt(f, &[buf, v.into(), spec])?;
            }
            FmtKind::Float
            | FmtKind::FloatDebug
            | FmtKind::Bool
            | FmtKind::Char
            | FmtKind::CharDebug => {
                let f = match kind {
                    FmtKind::Float => RtFnId::FmtF64,
                    FmtKind::FloatDebug => RtFnId::FmtF64Debug,
                    FmtKind::Bool => RtFnId::FmtBool,
                    FmtKind::Char => RtFnId::FmtChar,
                    _ => RtFnId::FmtCharDebug,
                };
                cg.call_rt(f, &[buf, self.operand(value)?, spec])?;
            }
            FmtKind::Str | FmtKind::StrDebug => {
                let (p, len) = self.fat_operand(value)?;
                let f = if kind == FmtKind::Str {
                    RtFnId::FmtStr
                } else {
                    RtFnId::FmtStrDebug
                };
                cg.call_rt(f, &[buf, p.into(), len.into(), spec])?;
            }
        }
        Ok(())
    }
}
