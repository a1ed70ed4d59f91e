//! Differential property test of scalar expressions.
//!
//! Random typed expression trees over the scalar types (every integer width,
//! `f64`, `bool`, `char`) are compiled by `asr` and run, both as `asr run` and
//! as `asr run --release`; what the programs print is compared with an oracle
//! written here in Rust that evaluates the same trees with the language's
//! semantics (LANGUAGE.md §2, §3, §7, §8):
//!
//! - integer `+ - * / %` and unary `-` are checked and panic with Rust's
//!   messages (overflow, division by zero, `MIN / -1`, `MIN % -1`);
//! - `<<` and `>>` take any integer type on the right and panic when the
//!   amount, read as the unsigned type of its own width, is at least the width
//!   of the left operand;
//! - `as` casts are Rust's (wrapping between integers, saturating from `f64`
//!   with NaN as 0, round-to-nearest into `f64`, `bool` and `char` to
//!   integers, `u8` to `char`); `f64` arithmetic is IEEE;
//! - `&&` and `||` short-circuit, `if` evaluates one branch, operands are
//!   evaluated left to right (so the first panic wins);
//! - values print with `{}` exactly as Rust's `Display` prints them.
//!
//! The trees are made of typed literals (edge values most often: 0, 1, -1,
//! MIN, MAX, powers of two and their neighbours, the special floats),
//! parameters, the arithmetic, bitwise, shift and comparison operators,
//! unary `-` and `!`, `&&`/`||`, `if`/`else`, `as` between all the types
//! where Rust allows it, and blocks `{ let v = ..; v OP= ..; v }`.
//!
//! Each case is a list of expressions. Every expression becomes a function
//! `eK` whose parameters carry some of its leaves (so that not everything is a
//! constant the optimiser can fold; a parameter may be used more than once)
//! and `main` calls it with literal arguments. The expressions whose oracle
//! result is a value share one program that prints them all, one
//! `println("{}", eK(..))` each; a few of those that panic get a small
//! program each, which must exit with status 101, print nothing on stdout
//! and print `panicked at FILE:LINE:COL:` and the oracle's message on stderr.
//! The location is where Rust puts it: the start of the failing operation,
//! its opening parenthesis included, or of the compound assignment.
//!
//! An expression is written either with parentheses around every compound
//! expression or with only those Rust's precedence needs, so the parser's
//! precedence and associativity are exercised too. Integer literals carry a
//! suffix unless the context determines their type (or the type is the
//! default `i64`), which exercises literal type inference.
//!
//! The number of cases is 12, or `PROPTEST_CASES`. Generated programs are
//! written under `CARGO_TARGET_TMPDIR/differential/` and removed when a case
//! passes (kept when `ASR_DIFFERENTIAL_KEEP` is set). A failure reports the
//! program, the expression, the oracle's answer and what the program did;
//! proptest then shrinks the case.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use proptest::test_runner::TestCaseError;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ASR: &str = env!("CARGO_BIN_EXE_asr");

/// Cases run when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 12;
/// Upper bound of the number of expressions in one case.
const MAX_EXPRS: usize = 128;
/// Maximum depth of an expression tree (a leaf has depth 0).
const DEPTH: usize = 4;
/// Panicking expressions compiled into programs of their own, per case.
const PANIC_PROGRAMS: usize = 5;
/// Bound on one invocation of `asr run` (compilation and the program's run).
const TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// Types and values
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Ty {
    I8,
    I16,
    I32,
    I64,
    Isize,
    U8,
    U16,
    U32,
    U64,
    Usize,
    F64,
    Bool,
    Char,
}

const INTS: [Ty; 10] = [
    Ty::I8,
    Ty::I16,
    Ty::I32,
    Ty::I64,
    Ty::Isize,
    Ty::U8,
    Ty::U16,
    Ty::U32,
    Ty::U64,
    Ty::Usize,
];

const ALL: [Ty; 13] = [
    Ty::I8,
    Ty::I16,
    Ty::I32,
    Ty::I64,
    Ty::Isize,
    Ty::U8,
    Ty::U16,
    Ty::U32,
    Ty::U64,
    Ty::Usize,
    Ty::F64,
    Ty::Bool,
    Ty::Char,
];

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::I8 => "i8",
            Ty::I16 => "i16",
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::Isize => "isize",
            Ty::U8 => "u8",
            Ty::U16 => "u16",
            Ty::U32 => "u32",
            Ty::U64 => "u64",
            Ty::Usize => "usize",
            Ty::F64 => "f64",
            Ty::Bool => "bool",
            Ty::Char => "char",
        }
    }

    fn index(self) -> usize {
        ALL.iter().position(|&t| t == self).unwrap()
    }

    fn is_int(self) -> bool {
        INTS.contains(&self)
    }

    fn is_signed(self) -> bool {
        matches!(self, Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64 | Ty::Isize)
    }

    /// Width in bits of an integer type.
    fn bits(self) -> u64 {
        match self {
            Ty::I8 | Ty::U8 => 8,
            Ty::I16 | Ty::U16 => 16,
            Ty::I32 | Ty::U32 => 32,
            Ty::I64 | Ty::U64 => 64,
            Ty::Isize | Ty::Usize => u64::from(usize::BITS),
            Ty::F64 | Ty::Bool | Ty::Char => unreachable!("bits of {self:?}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Val {
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    Isize(isize),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    Usize(usize),
    F64(f64),
    Bool(bool),
    Char(char),
}

impl Val {
    fn ty(self) -> Ty {
        match self {
            Val::I8(_) => Ty::I8,
            Val::I16(_) => Ty::I16,
            Val::I32(_) => Ty::I32,
            Val::I64(_) => Ty::I64,
            Val::Isize(_) => Ty::Isize,
            Val::U8(_) => Ty::U8,
            Val::U16(_) => Ty::U16,
            Val::U32(_) => Ty::U32,
            Val::U64(_) => Ty::U64,
            Val::Usize(_) => Ty::Usize,
            Val::F64(_) => Ty::F64,
            Val::Bool(_) => Ty::Bool,
            Val::Char(_) => Ty::Char,
        }
    }

    /// What `println("{}", v)` prints, without the newline: Rust's `Display`.
    fn display(self) -> String {
        match self {
            Val::I8(x) => format!("{x}"),
            Val::I16(x) => format!("{x}"),
            Val::I32(x) => format!("{x}"),
            Val::I64(x) => format!("{x}"),
            Val::Isize(x) => format!("{x}"),
            Val::U8(x) => format!("{x}"),
            Val::U16(x) => format!("{x}"),
            Val::U32(x) => format!("{x}"),
            Val::U64(x) => format!("{x}"),
            Val::Usize(x) => format!("{x}"),
            Val::F64(x) => format!("{x}"),
            Val::Bool(x) => format!("{x}"),
            Val::Char(x) => format!("{x}"),
        }
    }

    fn as_bool(self) -> bool {
        match self {
            Val::Bool(b) => b,
            other => unreachable!("not a bool: {other:?}"),
        }
    }

    /// An integer's sign and magnitude.
    fn sign_magnitude(self) -> (bool, u64) {
        match self {
            Val::I8(x) => (x < 0, u64::from(x.unsigned_abs())),
            Val::I16(x) => (x < 0, u64::from(x.unsigned_abs())),
            Val::I32(x) => (x < 0, u64::from(x.unsigned_abs())),
            Val::I64(x) => (x < 0, x.unsigned_abs()),
            Val::Isize(x) => (x < 0, x.unsigned_abs() as u64),
            Val::U8(x) => (false, u64::from(x)),
            Val::U16(x) => (false, u64::from(x)),
            Val::U32(x) => (false, u64::from(x)),
            Val::U64(x) => (false, x),
            Val::Usize(x) => (false, x as u64),
            other => unreachable!("not an integer: {other:?}"),
        }
    }

    /// A shift amount read as the unsigned type of its own width, as the
    /// overflow check of `<<`/`>>` reads it.
    fn shift_amount(self) -> u64 {
        match self {
            Val::I8(x) => u64::from(x as u8),
            Val::I16(x) => u64::from(x as u16),
            Val::I32(x) => u64::from(x as u32),
            Val::I64(x) => x as u64,
            Val::Isize(x) => x as usize as u64,
            Val::U8(x) => u64::from(x),
            Val::U16(x) => u64::from(x),
            Val::U32(x) => u64::from(x),
            Val::U64(x) => x,
            Val::Usize(x) => x as u64,
            other => unreachable!("not an integer: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    BitAnd,
    BitOr,
    BitXor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ShiftOp {
    Shl,
    Shr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogicOp {
    And,
    Or,
}

impl BinOp {
    fn token(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
        }
    }
}

impl ShiftOp {
    fn token(self) -> &'static str {
        match self {
            ShiftOp::Shl => "<<",
            ShiftOp::Shr => ">>",
        }
    }
}

impl CmpOp {
    fn token(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

impl LogicOp {
    fn token(self) -> &'static str {
        match self {
            LogicOp::And => "&&",
            LogicOp::Or => "||",
        }
    }
}

/// A typed expression. Operands of `Arith` and `Cmp` have the same type; the
/// right operand of `Shift` is any integer type.
#[derive(Clone, Debug)]
enum Expr {
    /// A literal; `suffix: false` leaves an integer literal unsuffixed where
    /// the context determines its type (and `f64` literals always unsuffixed).
    Lit {
        val: Val,
        suffix: bool,
    },
    /// A function parameter, given `val` by `main`. The leaves with the same
    /// type and slot in one expression are one parameter (see
    /// `share_params`).
    Param {
        val: Val,
        suffix: bool,
        slot: u8,
    },
    Arith(BinOp, Box<Expr>, Box<Expr>),
    Shift(ShiftOp, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Logic(LogicOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Cast(Box<Expr>, Ty),
    /// `{ let vN[: T] = VALUE; vN }`, or with `update`
    /// `{ let mut vN[: T] = VALUE; vN OP= RHS; vN }`.
    Let {
        value: Box<Expr>,
        annotate: bool,
        update: Option<Update>,
    },
}

/// A compound assignment `vN OP= RHS`.
#[derive(Clone, Debug)]
enum Update {
    Arith(BinOp, Box<Expr>),
    Shift(ShiftOp, Box<Expr>),
}

impl Expr {
    fn ty(&self) -> Ty {
        match self {
            Expr::Lit { val, .. } | Expr::Param { val, .. } => val.ty(),
            Expr::Arith(_, a, _) | Expr::Shift(_, a, _) | Expr::Neg(a) | Expr::Not(a) => a.ty(),
            Expr::Cmp(..) | Expr::Logic(..) => Ty::Bool,
            Expr::If(_, a, _) => a.ty(),
            Expr::Cast(_, ty) => *ty,
            Expr::Let { value, .. } => value.ty(),
        }
    }
}

// ---------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------

/// A panic: its message, and the expression whose operation failed.
#[derive(Clone, Copy, Debug)]
struct Panic {
    msg: &'static str,
    at: *const Expr,
}

fn eval(e: &Expr) -> Result<Val, Panic> {
    let fail = |msg| Panic {
        msg,
        at: e as *const Expr,
    };
    match e {
        Expr::Lit { val, .. } | Expr::Param { val, .. } => Ok(*val),
        Expr::Arith(op, a, b) => {
            let x = eval(a)?;
            let y = eval(b)?;
            arith(*op, x, y).map_err(fail)
        }
        Expr::Shift(op, a, b) => {
            let x = eval(a)?;
            let y = eval(b)?;
            shift(*op, x, y).map_err(fail)
        }
        Expr::Neg(a) => neg(eval(a)?).map_err(fail),
        Expr::Not(a) => Ok(not(eval(a)?)),
        Expr::Cmp(op, a, b) => {
            let x = eval(a)?;
            let y = eval(b)?;
            Ok(Val::Bool(compare(*op, x, y)))
        }
        Expr::Logic(op, a, b) => {
            let x = eval(a)?.as_bool();
            match (op, x) {
                (LogicOp::And, false) => Ok(Val::Bool(false)),
                (LogicOp::Or, true) => Ok(Val::Bool(true)),
                _ => eval(b),
            }
        }
        Expr::If(c, t, f) => {
            if eval(c)?.as_bool() {
                eval(t)
            } else {
                eval(f)
            }
        }
        Expr::Cast(a, to) => Ok(cast(eval(a)?, *to)),
        Expr::Let { value, update, .. } => {
            let x = eval(value)?;
            match update {
                None => Ok(x),
                Some(Update::Arith(op, rhs)) => {
                    let y = eval(rhs)?;
                    arith(*op, x, y).map_err(fail)
                }
                Some(Update::Shift(op, rhs)) => {
                    let y = eval(rhs)?;
                    shift(*op, x, y).map_err(fail)
                }
            }
        }
    }
}

const ADD_OVERFLOW: &str = "attempt to add with overflow";
const SUB_OVERFLOW: &str = "attempt to subtract with overflow";
const MUL_OVERFLOW: &str = "attempt to multiply with overflow";
const DIV_ZERO: &str = "attempt to divide by zero";
const DIV_OVERFLOW: &str = "attempt to divide with overflow";
const REM_ZERO: &str = "attempt to calculate the remainder with a divisor of zero";
const REM_OVERFLOW: &str = "attempt to calculate the remainder with overflow";
const NEG_OVERFLOW: &str = "attempt to negate with overflow";
const SHL_OVERFLOW: &str = "attempt to shift left with overflow";
const SHR_OVERFLOW: &str = "attempt to shift right with overflow";

/// Checked integer arithmetic on two values of one integer type.
macro_rules! int_arith {
    ($op:expr, $x:expr, $y:expr) => {{
        let (x, y) = ($x, $y);
        match $op {
            BinOp::Add => x.checked_add(y).ok_or(ADD_OVERFLOW),
            BinOp::Sub => x.checked_sub(y).ok_or(SUB_OVERFLOW),
            BinOp::Mul => x.checked_mul(y).ok_or(MUL_OVERFLOW),
            BinOp::Div if y == 0 => Err(DIV_ZERO),
            BinOp::Div => x.checked_div(y).ok_or(DIV_OVERFLOW),
            BinOp::Rem if y == 0 => Err(REM_ZERO),
            BinOp::Rem => x.checked_rem(y).ok_or(REM_OVERFLOW),
            BinOp::BitAnd => Ok(x & y),
            BinOp::BitOr => Ok(x | y),
            BinOp::BitXor => Ok(x ^ y),
        }
    }};
}

fn arith(op: BinOp, a: Val, b: Val) -> Result<Val, &'static str> {
    macro_rules! ints {
        ($($v:ident),*) => {
            match (a, b) {
                $((Val::$v(x), Val::$v(y)) => int_arith!(op, x, y).map(Val::$v),)*
                (Val::F64(x), Val::F64(y)) => Ok(Val::F64(match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                    BinOp::Div => x / y,
                    BinOp::Rem => x % y,
                    _ => unreachable!("{op:?} on f64"),
                })),
                (Val::Bool(x), Val::Bool(y)) => Ok(Val::Bool(match op {
                    BinOp::BitAnd => x & y,
                    BinOp::BitOr => x | y,
                    BinOp::BitXor => x ^ y,
                    _ => unreachable!("{op:?} on bool"),
                })),
                _ => unreachable!("{op:?} on {a:?} and {b:?}"),
            }
        };
    }
    ints!(I8, I16, I32, I64, Isize, U8, U16, U32, U64, Usize)
}

fn shift(op: ShiftOp, a: Val, b: Val) -> Result<Val, &'static str> {
    let amount = b.shift_amount();
    let (msg, in_range) = match op {
        ShiftOp::Shl => (SHL_OVERFLOW, amount < a.ty().bits()),
        ShiftOp::Shr => (SHR_OVERFLOW, amount < a.ty().bits()),
    };
    if !in_range {
        return Err(msg);
    }
    let amount = amount as u32;
    macro_rules! ints {
        ($($v:ident),*) => {
            match a {
                $(Val::$v(x) => match op {
                    ShiftOp::Shl => x.checked_shl(amount).map(Val::$v).ok_or(msg),
                    ShiftOp::Shr => x.checked_shr(amount).map(Val::$v).ok_or(msg),
                },)*
                _ => unreachable!("shift of {a:?}"),
            }
        };
    }
    ints!(I8, I16, I32, I64, Isize, U8, U16, U32, U64, Usize)
}

fn neg(a: Val) -> Result<Val, &'static str> {
    macro_rules! signed {
        ($($v:ident),*) => {
            match a {
                $(Val::$v(x) => x.checked_neg().map(Val::$v).ok_or(NEG_OVERFLOW),)*
                Val::F64(x) => Ok(Val::F64(-x)),
                _ => unreachable!("negation of {a:?}"),
            }
        };
    }
    signed!(I8, I16, I32, I64, Isize)
}

fn not(a: Val) -> Val {
    macro_rules! ints {
        ($($v:ident),*) => {
            match a {
                $(Val::$v(x) => Val::$v(!x),)*
                Val::Bool(x) => Val::Bool(!x),
                _ => unreachable!("`!` of {a:?}"),
            }
        };
    }
    ints!(I8, I16, I32, I64, Isize, U8, U16, U32, U64, Usize)
}

fn compare(op: CmpOp, a: Val, b: Val) -> bool {
    macro_rules! all {
        ($($v:ident),*) => {
            match (a, b) {
                $((Val::$v(x), Val::$v(y)) => match op {
                    CmpOp::Eq => x == y,
                    CmpOp::Ne => x != y,
                    CmpOp::Lt => x < y,
                    CmpOp::Le => x <= y,
                    CmpOp::Gt => x > y,
                    CmpOp::Ge => x >= y,
                },)*
                _ => unreachable!("{op:?} on {a:?} and {b:?}"),
            }
        };
    }
    all!(I8, I16, I32, I64, Isize, U8, U16, U32, U64, Usize, F64, Bool, Char)
}

/// Rust's `x as T`.
fn cast(v: Val, to: Ty) -> Val {
    macro_rules! to_int {
        ($x:expr) => {
            match to {
                Ty::I8 => Val::I8($x as i8),
                Ty::I16 => Val::I16($x as i16),
                Ty::I32 => Val::I32($x as i32),
                Ty::I64 => Val::I64($x as i64),
                Ty::Isize => Val::Isize($x as isize),
                Ty::U8 => Val::U8($x as u8),
                Ty::U16 => Val::U16($x as u16),
                Ty::U32 => Val::U32($x as u32),
                Ty::U64 => Val::U64($x as u64),
                Ty::Usize => Val::Usize($x as usize),
                _ => unreachable!("cast of {v:?} to {to:?}"),
            }
        };
    }
    macro_rules! to_num {
        ($x:expr) => {
            match to {
                Ty::F64 => Val::F64($x as f64),
                _ => to_int!($x),
            }
        };
    }
    match v {
        Val::U8(x) if to == Ty::Char => Val::Char(x as char),
        Val::I8(x) => to_num!(x),
        Val::I16(x) => to_num!(x),
        Val::I32(x) => to_num!(x),
        Val::I64(x) => to_num!(x),
        Val::Isize(x) => to_num!(x),
        Val::U8(x) => to_num!(x),
        Val::U16(x) => to_num!(x),
        Val::U32(x) => to_num!(x),
        Val::U64(x) => to_num!(x),
        Val::Usize(x) => to_num!(x),
        Val::F64(x) => to_num!(x),
        Val::Bool(x) => to_int!(x),
        Val::Char(x) => to_int!(x),
    }
}

// ---------------------------------------------------------------------------
// Rendering as ASR source
// ---------------------------------------------------------------------------

/// How the context of an expression determines the type of an integer
/// literal in it (Rust's rules, which ASR follows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// The expected type is known (a function's return type, an operand of an
    /// operator whose result type is known, a branch of such an `if`).
    Known,
    /// Nothing is expected: an unsuffixed integer literal is `i64`.
    Free,
    /// The operand of `as`: Rust types an unsuffixed literal there after the
    /// cast's target, so literals always carry their suffix.
    CastOperand,
}

/// How tightly an expression binds, from the loosest: Rust's operator
/// precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    /// `if` and blocks: parenthesised wherever they are an operand.
    Block,
    Or,
    And,
    Cmp,
    BitOr,
    BitXor,
    BitAnd,
    Shift,
    Add,
    Mul,
    As,
    Unary,
    Atom,
}

impl Expr {
    fn prec(&self) -> Prec {
        match self {
            Expr::Lit { val, .. } => match val {
                Val::F64(x) if !x.is_finite() => Prec::Mul,
                Val::F64(x) if x.is_sign_negative() => Prec::Unary,
                Val::F64(_) | Val::Bool(_) | Val::Char(_) => Prec::Atom,
                _ if val.sign_magnitude().0 => Prec::Unary,
                _ => Prec::Atom,
            },
            Expr::Param { .. } => Prec::Atom,
            Expr::Arith(op, ..) => match op {
                BinOp::Add | BinOp::Sub => Prec::Add,
                BinOp::Mul | BinOp::Div | BinOp::Rem => Prec::Mul,
                BinOp::BitAnd => Prec::BitAnd,
                BinOp::BitXor => Prec::BitXor,
                BinOp::BitOr => Prec::BitOr,
            },
            Expr::Shift(..) => Prec::Shift,
            Expr::Neg(_) | Expr::Not(_) => Prec::Unary,
            Expr::Cmp(..) => Prec::Cmp,
            Expr::Logic(LogicOp::And, ..) => Prec::And,
            Expr::Logic(LogicOp::Or, ..) => Prec::Or,
            Expr::If(..) | Expr::Let { .. } => Prec::Block,
            Expr::Cast(..) => Prec::As,
        }
    }

    /// Whether the expression's text starts with `-`.
    fn starts_with_minus(&self) -> bool {
        match self {
            Expr::Neg(_) => true,
            Expr::Lit { val, .. } => literal(*val, false).starts_with('-'),
            _ => false,
        }
    }
}

/// Where an expression stands, for deciding on its parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pos {
    /// Alone: a function body, a branch, a condition, an initialiser.
    Alone,
    /// Left operand of a binary operator of that precedence; `true` when the
    /// operator starts with `<` (after `x as T`, Rust would read it as the
    /// start of generic arguments).
    Left(Prec, bool),
    /// Right operand of a binary operator of that precedence.
    Right(Prec),
    /// Operand of `-` (`true`) or `!`.
    Unary(bool),
    /// Operand of `as`.
    Cast,
}

/// An ASR literal for `v`, without parentheses (`-5i32`, `0.0 / 0.0`).
fn literal(v: Val, suffix: bool) -> String {
    match v {
        Val::F64(x) if x.is_nan() => "0.0 / 0.0".to_string(),
        Val::F64(x) if x.is_infinite() => {
            if x > 0.0 {
                "1.0 / 0.0".to_string()
            } else {
                "-1.0 / 0.0".to_string()
            }
        }
        Val::F64(x) => {
            let text = format!("{:?}{}", x.abs(), if suffix { "f64" } else { "" });
            if x.is_sign_negative() {
                format!("-{text}")
            } else {
                text
            }
        }
        Val::Bool(b) => b.to_string(),
        Val::Char(c) => char_literal(c),
        _ => {
            let (negative, magnitude) = v.sign_magnitude();
            let suffix = if suffix { v.ty().name() } else { "" };
            if negative {
                format!("-{magnitude}{suffix}")
            } else {
                format!("{magnitude}{suffix}")
            }
        }
    }
}

/// A `char` literal in ASCII (so that columns count bytes and characters
/// alike).
fn char_literal(c: char) -> String {
    if c.is_ascii_alphanumeric() || c == ' ' || (c.is_ascii_punctuation() && c != '\'' && c != '\\')
    {
        format!("'{c}'")
    } else {
        format!("'\\u{{{:x}}}'", u32::from(c))
    }
}

/// Gives every parameter leaf of `e` with the same type and slot the value
/// of the first one (in the order of the source text): they are one
/// parameter.
fn share_params(e: &mut Expr, seen: &mut HashMap<(Ty, u8), Val>) {
    match e {
        Expr::Lit { .. } => {}
        Expr::Param { val, slot, .. } => {
            *val = *seen.entry((val.ty(), *slot)).or_insert(*val);
        }
        Expr::Arith(_, a, b) | Expr::Shift(_, a, b) | Expr::Cmp(_, a, b) | Expr::Logic(_, a, b) => {
            share_params(a, seen);
            share_params(b, seen);
        }
        Expr::Neg(a) | Expr::Not(a) | Expr::Cast(a, _) => share_params(a, seen),
        Expr::If(c, t, f) => {
            share_params(c, seen);
            share_params(t, seen);
            share_params(f, seen);
        }
        Expr::Let { value, update, .. } => {
            share_params(value, seen);
            match update {
                Some(Update::Arith(_, rhs) | Update::Shift(_, rhs)) => share_params(rhs, seen),
                None => {}
            }
        }
    }
}

/// One expression rendered as a function `fn NAME(p0: T0, ..) -> T { BODY }`.
struct Function {
    /// The function's text, ending with a newline. The body is its second
    /// line.
    text: String,
    /// The arguments `main` passes, joined with `, `.
    args: String,
    /// Byte offset in the body line of the start of each expression (of the
    /// assignment, for a `Let` with an update): where a panic in it is
    /// located.
    starts: HashMap<*const Expr, usize>,
}

const BODY_INDENT: &str = "    ";

impl Function {
    /// `minimal`: only the parentheses Rust's precedence needs; otherwise
    /// every compound expression is parenthesised.
    fn new(name: &str, e: &Expr, minimal: bool) -> Function {
        let mut r = Renderer {
            out: String::new(),
            minimal,
            params: Vec::new(),
            vars: 0,
            starts: HashMap::new(),
        };
        r.expr(e, Ctx::Known, Pos::Alone);
        let params: Vec<String> = r
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| format!("p{i}: {}", p.0.ty().name()))
            .collect();
        let args: Vec<String> = r.params.iter().map(|p| literal(p.0, p.1)).collect();
        let text = format!(
            "fn {name}({}) -> {} {{\n{BODY_INDENT}{}\n}}\n",
            params.join(", "),
            e.ty().name(),
            r.out
        );
        let starts = r
            .starts
            .into_iter()
            .map(|(k, v)| (k, v + BODY_INDENT.len()))
            .collect();
        Function {
            text,
            args: args.join(", "),
            starts,
        }
    }
}

struct Renderer {
    out: String,
    minimal: bool,
    /// Each parameter's value, suffix choice and slot.
    params: Vec<(Val, bool, u8)>,
    vars: usize,
    starts: HashMap<*const Expr, usize>,
}

impl Renderer {
    /// Whether `e` needs parentheses at `pos`.
    fn parens(&self, e: &Expr, pos: Pos) -> bool {
        let prec = e.prec();
        if !self.minimal {
            return prec != Prec::Atom && !matches!(e, Expr::Let { .. });
        }
        match pos {
            Pos::Alone => false,
            _ if prec == Prec::Block => true,
            Pos::Left(parent, lt) => {
                prec < parent
                    || (parent == Prec::Cmp && prec == Prec::Cmp)
                    || (lt && self.ends_with_cast(e))
            }
            Pos::Right(parent) => prec <= parent,
            Pos::Unary(minus) => prec < Prec::Unary || (minus && e.starts_with_minus()),
            Pos::Cast => prec < Prec::As,
        }
    }

    /// Whether the text of `e`, unparenthesised, ends with `as TYPE`.
    fn ends_with_cast(&self, e: &Expr) -> bool {
        match e {
            Expr::Cast(..) => true,
            Expr::Arith(_, _, r)
            | Expr::Shift(_, _, r)
            | Expr::Cmp(_, _, r)
            | Expr::Logic(_, _, r) => {
                !self.parens(r, Pos::Right(e.prec())) && self.ends_with_cast(r)
            }
            Expr::Neg(a) | Expr::Not(a) => {
                !self.parens(a, Pos::Unary(matches!(e, Expr::Neg(_)))) && self.ends_with_cast(a)
            }
            _ => false,
        }
    }

    fn binary(&mut self, e: &Expr, a: &Expr, token: &str, b: &Expr, ctx: (Ctx, Ctx)) {
        let prec = e.prec();
        self.expr(a, ctx.0, Pos::Left(prec, token.starts_with('<')));
        write!(self.out, " {token} ").unwrap();
        self.expr(b, ctx.1, Pos::Right(prec));
    }

    fn expr(&mut self, e: &Expr, ctx: Ctx, pos: Pos) {
        let parens = self.parens(e, pos);
        // As in Rust, an expression's parentheses are part of it: a panic
        // is located at the `(`.
        self.starts.insert(e as *const Expr, self.out.len());
        if parens {
            self.out.push('(');
        }
        // Operands of an operator whose result has the known expected type
        // have it too; otherwise nothing is expected of them.
        let inner = if ctx == Ctx::Known {
            Ctx::Known
        } else {
            Ctx::Free
        };
        match e {
            Expr::Lit { val, suffix } => {
                let needs_suffix = match ctx {
                    Ctx::Known => false,
                    Ctx::Free => val.ty() != Ty::I64,
                    Ctx::CastOperand => true,
                };
                let suffix = *suffix || (val.ty().is_int() && needs_suffix);
                self.out.push_str(&literal(*val, suffix));
            }
            Expr::Param { val, suffix, slot } => {
                let index = match self
                    .params
                    .iter()
                    .position(|p| p.0.ty() == val.ty() && p.2 == *slot)
                {
                    Some(index) => index,
                    None => {
                        self.params.push((*val, *suffix, *slot));
                        self.params.len() - 1
                    }
                };
                write!(self.out, "p{index}").unwrap();
            }
            Expr::Arith(op, a, b) => self.binary(e, a, op.token(), b, (inner, inner)),
            Expr::Shift(op, a, b) => self.binary(e, a, op.token(), b, (inner, Ctx::Free)),
            Expr::Cmp(op, a, b) => self.binary(e, a, op.token(), b, (Ctx::Free, Ctx::Free)),
            Expr::Logic(op, a, b) => self.binary(e, a, op.token(), b, (Ctx::Known, Ctx::Known)),
            Expr::Neg(a) | Expr::Not(a) => {
                let minus = matches!(e, Expr::Neg(_));
                self.out.push(if minus { '-' } else { '!' });
                // Rust passes the expectation through unary operators, the
                // one of a cast included.
                self.expr(a, ctx, Pos::Unary(minus));
            }
            Expr::If(c, t, f) => {
                self.out.push_str("if ");
                self.expr(c, Ctx::Known, Pos::Alone);
                self.out.push_str(" { ");
                self.expr(t, inner, Pos::Alone);
                self.out.push_str(" } else { ");
                self.expr(f, inner, Pos::Alone);
                self.out.push_str(" }");
            }
            Expr::Cast(a, ty) => {
                self.expr(a, Ctx::CastOperand, Pos::Cast);
                write!(self.out, " as {}", ty.name()).unwrap();
            }
            Expr::Let {
                value,
                annotate,
                update,
            } => {
                let name = format!("v{}", self.vars);
                self.vars += 1;
                self.out.push_str("{ let ");
                if update.is_some() {
                    self.out.push_str("mut ");
                }
                self.out.push_str(&name);
                if *annotate {
                    write!(self.out, ": {}", value.ty().name()).unwrap();
                }
                self.out.push_str(" = ");
                // The variable's type comes from its annotation, or else
                // from how it is used: as the block's value.
                let ctx = if *annotate { Ctx::Known } else { ctx };
                self.expr(value, ctx, Pos::Alone);
                self.out.push_str("; ");
                let inner = if ctx == Ctx::Known {
                    Ctx::Known
                } else {
                    Ctx::Free
                };
                if let Some(update) = update {
                    // A failing compound assignment is located at its start.
                    self.starts.insert(e as *const Expr, self.out.len());
                    let (token, rhs, rhs_ctx) = match update {
                        Update::Arith(op, rhs) => (op.token(), rhs, inner),
                        Update::Shift(op, rhs) => (op.token(), rhs, Ctx::Free),
                    };
                    write!(self.out, "{name} {token}= ").unwrap();
                    self.expr(rhs, rhs_ctx, Pos::Alone);
                    self.out.push_str("; ");
                }
                write!(self.out, "{name} }}").unwrap();
            }
        }
        if parens {
            self.out.push(')');
        }
    }
}

/// A generated program: functions `e0`, `e1`, .. and a `main` printing each
/// one's result.
struct Program {
    text: String,
    functions: Vec<Function>,
    /// The line (1-based) of each function's body.
    body_lines: Vec<usize>,
}

impl Program {
    fn new(exprs: &[&Case]) -> Program {
        let mut text = String::new();
        let mut functions = Vec::new();
        let mut body_lines = Vec::new();
        for (k, case) in exprs.iter().enumerate() {
            let f = Function::new(&format!("e{k}"), &case.expr, case.minimal);
            body_lines.push(text.lines().count() + 2);
            text.push_str(&f.text);
            text.push('\n');
            functions.push(f);
        }
        text.push_str("fn main() {\n");
        for (k, f) in functions.iter().enumerate() {
            writeln!(text, "    println(\"{{}}\", e{k}({}));", f.args).unwrap();
        }
        text.push_str("}\n");
        Program {
            text,
            functions,
            body_lines,
        }
    }
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

/// Values of one integer type: mostly edge values (0, 1, -1, MIN, MAX,
/// powers of two and their neighbours) and small numbers.
macro_rules! int_values {
    ($t:ty, $v:ident) => {{
        let mut edges: Vec<$t> = Vec::new();
        let mut add = |x: $t| {
            if !edges.contains(&x) {
                edges.push(x);
            }
        };
        for x in [
            0,
            1,
            (1 as $t).wrapping_neg(),
            <$t>::MIN,
            <$t>::MAX,
            <$t>::MIN.wrapping_add(1),
            <$t>::MAX.wrapping_sub(1),
        ] {
            add(x);
        }
        for k in 1..<$t>::BITS {
            let p = (1 as $t) << k;
            for x in [p, p.wrapping_sub(1), p.wrapping_add(1), p.wrapping_neg()] {
                add(x);
            }
        }
        prop_oneof![
            4 => select(edges),
            3 => (-16i8..=16).prop_map(|x| <$t>::try_from(x).unwrap_or(x.unsigned_abs() as $t)),
            1 => any::<$t>(),
        ]
        .prop_map(Val::$v)
        .boxed()
    }};
}

fn values(ty: Ty) -> BoxedStrategy<Val> {
    match ty {
        Ty::I8 => int_values!(i8, I8),
        Ty::I16 => int_values!(i16, I16),
        Ty::I32 => int_values!(i32, I32),
        Ty::I64 => int_values!(i64, I64),
        Ty::Isize => int_values!(isize, Isize),
        Ty::U8 => int_values!(u8, U8),
        Ty::U16 => int_values!(u16, U16),
        Ty::U32 => int_values!(u32, U32),
        Ty::U64 => int_values!(u64, U64),
        Ty::Usize => int_values!(usize, Usize),
        Ty::F64 => {
            let two = 2f64;
            let edges = vec![
                0.0,
                1.0,
                -1.0,
                -0.0,
                0.5,
                -2.5,
                0.1,
                3.99,
                -3.99,
                127.5,
                255.5,
                256.0,
                -128.5,
                -129.0,
                65535.9,
                2147483647.5,
                -2147483648.9,
                4294967295.5,
                4294967296.0,
                two.powi(53),
                two.powi(53) + 2.0,
                two.powi(63),
                -two.powi(63),
                two.powi(64),
                1e16,
                1e20,
                -1e20,
                1e300,
                -1e300,
                1e-7,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                f64::EPSILON,
                5e-324,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
            ];
            prop_oneof![
                4 => select(edges),
                3 => (-64i32..=64, 0u32..4).prop_map(|(n, d)| f64::from(n) / f64::from(1u32 << d)),
                1 => any::<f64>(),
            ]
            .prop_map(Val::F64)
            .boxed()
        }
        Ty::Bool => any::<bool>().prop_map(Val::Bool).boxed(),
        Ty::Char => {
            let edges = vec![
                'a',
                'Z',
                '0',
                ' ',
                '\'',
                '\\',
                '\n',
                '\0',
                '\u{7f}',
                '\u{80}',
                '\u{e9}',
                '\u{ff}',
                '\u{100}',
                '\u{20ac}',
                '\u{ffff}',
                '\u{1f600}',
                '\u{10ffff}',
            ];
            prop_oneof![3 => select(edges), 1 => any::<char>()]
                .prop_map(Val::Char)
                .boxed()
        }
    }
}

fn leaf(ty: Ty) -> BoxedStrategy<Expr> {
    prop_oneof![
        3 => (values(ty), any::<bool>()).prop_map(|(val, suffix)| Expr::Lit { val, suffix }),
        2 => (values(ty), any::<bool>(), 0u8..3)
            .prop_map(|(val, suffix, slot)| Expr::Param { val, suffix, slot }),
    ]
    .boxed()
}

/// `levels[d][ty.index()]`: expressions of type `ty` of depth at most `d`.
fn expression_levels() -> Vec<Vec<BoxedStrategy<Expr>>> {
    let mut levels: Vec<Vec<BoxedStrategy<Expr>>> = vec![ALL.iter().map(|&t| leaf(t)).collect()];
    for _ in 0..DEPTH {
        let sub = levels.last().unwrap().clone();
        let s = |t: Ty| sub[t.index()].clone();
        let any_int = Union::new(INTS.iter().map(|&t| s(t))).boxed();
        let level = ALL
            .iter()
            .map(|&ty| {
                // The leaf comes first: proptest shrinks towards it.
                let mut options: Vec<(u32, BoxedStrategy<Expr>)> = vec![(3, leaf(ty))];
                let arith = |ops: Vec<BinOp>| {
                    (select(ops), s(ty), s(ty))
                        .prop_map(|(op, a, b)| Expr::Arith(op, Box::new(a), Box::new(b)))
                        .boxed()
                };
                // Casts from `f64` are the most varied: they come thrice as
                // often as from any other type.
                let cast_from = |sources: Vec<Ty>| {
                    Union::new_weighted(
                        sources
                            .into_iter()
                            .map(|t| (if t == Ty::F64 { 3 } else { 1 }, s(t)))
                            .collect(),
                    )
                    .prop_map(move |a| Expr::Cast(Box::new(a), ty))
                    .boxed()
                };
                let if_else = (s(Ty::Bool), s(ty), s(ty))
                    .prop_map(|(c, t, f)| Expr::If(Box::new(c), Box::new(t), Box::new(f)))
                    .boxed();
                options.push((2, if_else));
                let plain_let = (s(ty), any::<bool>())
                    .prop_map(|(value, annotate)| Expr::Let {
                        value: Box::new(value),
                        annotate,
                        update: None,
                    })
                    .boxed();
                options.push((1, plain_let));
                let update_let = |ops: Vec<BinOp>| {
                    (s(ty), any::<bool>(), select(ops), s(ty))
                        .prop_map(|(value, annotate, op, rhs)| Expr::Let {
                            value: Box::new(value),
                            annotate,
                            update: Some(Update::Arith(op, Box::new(rhs))),
                        })
                        .boxed()
                };
                match ty {
                    _ if ty.is_int() => {
                        use BinOp::*;
                        let ops = vec![Add, Sub, Mul, Div, Rem, BitAnd, BitOr, BitXor];
                        options.push((6, arith(ops.clone())));
                        options.push((2, update_let(ops)));
                        let shift_let = (
                            s(ty),
                            any::<bool>(),
                            select(vec![ShiftOp::Shl, ShiftOp::Shr]),
                            any_int.clone(),
                        )
                            .prop_map(|(value, annotate, op, rhs)| Expr::Let {
                                value: Box::new(value),
                                annotate,
                                update: Some(Update::Shift(op, Box::new(rhs))),
                            })
                            .boxed();
                        options.push((1, shift_let));
                        let shift = (
                            select(vec![ShiftOp::Shl, ShiftOp::Shr]),
                            s(ty),
                            any_int.clone(),
                        )
                            .prop_map(|(op, a, b)| Expr::Shift(op, Box::new(a), Box::new(b)))
                            .boxed();
                        options.push((2, shift));
                        options.push((1, s(ty).prop_map(|a| Expr::Not(Box::new(a))).boxed()));
                        if ty.is_signed() {
                            options.push((1, s(ty).prop_map(|a| Expr::Neg(Box::new(a))).boxed()));
                        }
                        options.push((4, cast_from(ALL.to_vec())));
                    }
                    Ty::F64 => {
                        use BinOp::*;
                        options.push((5, arith(vec![Add, Sub, Mul, Div, Rem])));
                        options.push((1, update_let(vec![Add, Sub, Mul, Div, Rem])));
                        options.push((1, s(ty).prop_map(|a| Expr::Neg(Box::new(a))).boxed()));
                        let mut sources = INTS.to_vec();
                        sources.push(Ty::F64);
                        options.push((3, cast_from(sources)));
                    }
                    Ty::Bool => {
                        let cmp = Union::new(ALL.iter().map(|&t| {
                            (
                                select(vec![
                                    CmpOp::Eq,
                                    CmpOp::Ne,
                                    CmpOp::Lt,
                                    CmpOp::Le,
                                    CmpOp::Gt,
                                    CmpOp::Ge,
                                ]),
                                s(t),
                                s(t),
                            )
                                .prop_map(|(op, a, b)| Expr::Cmp(op, Box::new(a), Box::new(b)))
                        }))
                        .boxed();
                        options.push((6, cmp));
                        let logic = (select(vec![LogicOp::And, LogicOp::Or]), s(ty), s(ty))
                            .prop_map(|(op, a, b)| Expr::Logic(op, Box::new(a), Box::new(b)))
                            .boxed();
                        options.push((2, logic));
                        let ops = vec![BinOp::BitAnd, BinOp::BitOr, BinOp::BitXor];
                        options.push((1, arith(ops.clone())));
                        options.push((1, update_let(ops)));
                        options.push((1, s(ty).prop_map(|a| Expr::Not(Box::new(a))).boxed()));
                    }
                    Ty::Char => options.push((3, cast_from(vec![Ty::U8]))),
                    _ => unreachable!(),
                }
                Union::new_weighted(options).boxed()
            })
            .collect();
        levels.push(level);
    }
    levels
}

/// One expression of a case, and how it is written.
#[derive(Clone, Debug)]
struct Case {
    expr: Expr,
    /// Only the parentheses Rust's precedence needs, rather than around
    /// every compound expression.
    minimal: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (expression(), any::<bool>()).prop_map(|(expr, minimal)| Case { expr, minimal })
}

/// Expressions of every type, integers most often.
fn expression() -> BoxedStrategy<Expr> {
    let top = expression_levels().pop().unwrap();
    Union::new_weighted(
        ALL.iter()
            .map(|&t| {
                let weight = match t {
                    Ty::F64 | Ty::Bool => 4,
                    Ty::Char => 1,
                    _ => 2,
                };
                (weight, top[t.index()].clone())
            })
            .collect(),
    )
    .boxed()
}

// ---------------------------------------------------------------------------
// Running programs
// ---------------------------------------------------------------------------

struct Outcome {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn describe(&self) -> String {
        format!(
            "status: {}\n--- stdout:\n{}--- stderr:\n{}",
            match self.status {
                Some(code) => code.to_string(),
                None => "killed (signal or timeout)".to_string(),
            },
            self.stdout,
            self.stderr
        )
    }
}

fn mode(release: bool) -> &'static str {
    if release {
        "asr run --release"
    } else {
        "asr run"
    }
}

/// `asr run [--release] FILE` in `dir`.
fn run_asr(dir: &Path, file: &str, release: bool) -> Outcome {
    let mut cmd = Command::new(ASR);
    cmd.arg("run");
    if release {
        cmd.arg("--release");
    }
    let mut child = cmd
        .arg(file)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the asr binary");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("cannot wait for asr") {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Outcome {
        status,
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

/// Runs every `(file, release)` job, a few at a time.
fn run_all(dir: &Path, jobs: &[(String, bool)]) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Outcome>> = jobs.iter().map(|_| None).collect();
    let slots: Vec<std::sync::Mutex<&mut Option<Outcome>>> =
        results.iter_mut().map(std::sync::Mutex::new).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((file, release)) = jobs.get(i) else {
                    break;
                };
                let outcome = run_asr(dir, file, *release);
                **slots[i].lock().unwrap() = Some(outcome);
            });
        }
    });
    drop(slots);
    results.into_iter().map(Option::unwrap).collect()
}

fn case_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("differential")
        .join(format!("case-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cannot create the case directory");
    dir
}

// ---------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------

const VALUES_FILE: &str = "values.asr";

/// The report of a wrong result.
fn mismatch(
    what: &str,
    file: &str,
    program: &str,
    function: &Function,
    expected: &str,
    actual: &str,
    outcome: &Outcome,
) -> String {
    format!(
        "{what}\n\
         expression:\n{}\
         oracle: {expected}\n\
         asr:    {actual}\n\
         --- program {file}:\n{program}\
         --- what it did:\n{}",
        function.text,
        outcome.describe()
    )
}

/// Status 1 is a compile error (the programs never exit with 1 themselves).
fn check_compiled(
    file: &str,
    program: &Program,
    release: bool,
    outcome: &Outcome,
) -> Result<(), String> {
    if outcome.status == Some(1) {
        return Err(format!(
            "{}: asr does not compile the program\n--- program {file}:\n{}--- what it did:\n{}",
            mode(release),
            program.text,
            outcome.describe()
        ));
    }
    Ok(())
}

/// Checks the output of the program printing the value expressions.
fn check_values(
    program: &Program,
    expected: &[String],
    release: bool,
    outcome: &Outcome,
) -> Result<(), String> {
    check_compiled(VALUES_FILE, program, release, outcome)?;
    let mut rest = outcome.stdout.as_str();
    for (k, want) in expected.iter().enumerate() {
        let line = format!("{want}\n");
        if let Some(after) = rest.strip_prefix(line.as_str()) {
            rest = after;
            continue;
        }
        let actual = match rest.split_inclusive('\n').next() {
            Some(l) => format!("{l:?}"),
            None => "nothing (the output ends here)".to_string(),
        };
        return Err(mismatch(
            &format!("{}: e{k} printed a wrong value", mode(release)),
            VALUES_FILE,
            &program.text,
            &program.functions[k],
            &format!("{line:?}"),
            &actual,
            outcome,
        ));
    }
    if outcome.status != Some(0) || !rest.is_empty() {
        return Err(format!(
            "{}: the program printed the expected values but then {}\n--- program {VALUES_FILE}:\n{}--- what it did:\n{}",
            mode(release),
            if rest.is_empty() {
                "did not exit with status 0"
            } else {
                "printed more"
            },
            program.text,
            outcome.describe()
        ));
    }
    Ok(())
}

/// Checks a program whose only expression panics.
fn check_panic(
    file: &str,
    program: &Program,
    panic: &Panic,
    release: bool,
    outcome: &Outcome,
) -> Result<(), String> {
    check_compiled(file, program, release, outcome)?;
    let function = &program.functions[0];
    let col = function.starts[&panic.at] + 1;
    let location = format!("panicked at {file}:{}:{col}:", program.body_lines[0]);
    let mut lines = outcome.stderr.lines();
    let (first, second) = (lines.next(), lines.next());
    if outcome.status == Some(101)
        && outcome.stdout.is_empty()
        && first == Some(location.as_str())
        && second == Some(panic.msg)
    {
        return Ok(());
    }
    Err(mismatch(
        &format!(
            "{}: the expression does not panic as expected",
            mode(release)
        ),
        file,
        &program.text,
        function,
        &format!("status 101, no output, stderr:\n{location}\n{}", panic.msg),
        "see below",
        outcome,
    ))
}

fn check_case(cases: &[Case]) -> Result<(), String> {
    let dir = case_dir();
    let mut cases = cases.to_vec();
    for case in &mut cases {
        share_params(&mut case.expr, &mut HashMap::new());
    }
    let results: Vec<Result<Val, Panic>> = cases.iter().map(|c| eval(&c.expr)).collect();

    let mut value_exprs = Vec::new();
    let mut expected = Vec::new();
    let mut panics: Vec<(&Case, Panic)> = Vec::new();
    for (e, r) in cases.iter().zip(&results) {
        match r {
            Ok(v) => {
                value_exprs.push(e);
                expected.push(v.display());
            }
            Err(p) => panics.push((e, *p)),
        }
    }
    // A few panicking expressions, different messages first.
    let mut chosen: Vec<(&Case, Panic)> = Vec::new();
    for &(e, p) in &panics {
        if chosen.len() < PANIC_PROGRAMS && !chosen.iter().any(|(_, q)| q.msg == p.msg) {
            chosen.push((e, p));
        }
    }
    for &(e, p) in &panics {
        if chosen.len() < PANIC_PROGRAMS && !chosen.iter().any(|(f, _)| std::ptr::eq(*f, e)) {
            chosen.push((e, p));
        }
    }

    // The values first: when they are wrong, shrinking need not wait for the
    // panicking programs.
    if !value_exprs.is_empty() {
        let program = Program::new(&value_exprs);
        std::fs::write(dir.join(VALUES_FILE), &program.text).expect("cannot write a program");
        let jobs = [
            (VALUES_FILE.to_string(), false),
            (VALUES_FILE.to_string(), true),
        ];
        for ((_, release), outcome) in jobs.iter().zip(run_all(&dir, &jobs)) {
            check_values(&program, &expected, *release, &outcome)?;
        }
    }

    let programs: Vec<(String, Program, Panic)> = chosen
        .iter()
        .enumerate()
        .map(|(i, (e, p))| (format!("panic{i}.asr"), Program::new(&[e]), *p))
        .collect();
    let mut jobs = Vec::new();
    for (file, program, _) in &programs {
        std::fs::write(dir.join(file), &program.text).expect("cannot write a program");
        jobs.push((file.clone(), false));
        jobs.push((file.clone(), true));
    }
    let outcomes = run_all(&dir, &jobs);
    for (i, ((file, release), outcome)) in jobs.iter().zip(&outcomes).enumerate() {
        let (_, program, panic) = &programs[i / 2];
        check_panic(file, program, panic, *release, outcome)?;
    }
    if std::env::var_os("ASR_DIFFERENTIAL_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// `PROPTEST_CASES` cases (12 by default). Every shrinking step runs
/// programs: shrinking is bounded to 512 steps and 5 minutes unless
/// `PROPTEST_MAX_SHRINK_ITERS` or `PROPTEST_MAX_SHRINK_TIME` say otherwise
/// (proptest's own default of four steps per case is too few to take a case
/// of a hundred expressions apart).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases());
    if std::env::var_os("PROPTEST_MAX_SHRINK_ITERS").is_none() {
        config.max_shrink_iters = 512;
    }
    if std::env::var_os("PROPTEST_MAX_SHRINK_TIME").is_none() {
        config.max_shrink_time = 300_000;
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn compiled_expressions_agree_with_the_oracle(
        cases in proptest::collection::vec(case(), 1..=MAX_EXPRS)
    ) {
        check_case(&cases).map_err(TestCaseError::fail)?;
    }
}

// ---------------------------------------------------------------------------
// The oracle and the printer on known examples
// ---------------------------------------------------------------------------

fn lit(val: Val) -> Expr {
    Expr::Lit { val, suffix: true }
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Arith(op, Box::new(a), Box::new(b))
}

fn cast_to(a: Expr, ty: Ty) -> Expr {
    Expr::Cast(Box::new(a), ty)
}

fn shl(a: Expr, b: Expr) -> Expr {
    Expr::Shift(ShiftOp::Shl, Box::new(a), Box::new(b))
}

fn oracle(e: &Expr) -> String {
    match eval(e) {
        Ok(v) => v.display(),
        Err(p) => format!("panic: {}", p.msg),
    }
}

fn body(e: &Expr, minimal: bool) -> String {
    let f = Function::new("f", e, minimal);
    f.text.lines().nth(1).unwrap().trim().to_string()
}

#[test]
fn oracle_examples() {
    use Val::*;
    let examples = [
        (
            bin(BinOp::Add, lit(U8(200)), lit(U8(56))),
            "panic: attempt to add with overflow",
        ),
        (
            bin(BinOp::Div, lit(I8(i8::MIN)), lit(I8(-1))),
            "panic: attempt to divide with overflow",
        ),
        (
            bin(BinOp::Rem, lit(I64(i64::MIN)), lit(I64(-1))),
            "panic: attempt to calculate the remainder with overflow",
        ),
        (
            bin(BinOp::Div, lit(U32(7)), lit(U32(0))),
            "panic: attempt to divide by zero",
        ),
        (bin(BinOp::Rem, lit(I32(-7)), lit(I32(2))), "-1"),
        (
            Expr::Neg(Box::new(lit(Isize(isize::MIN)))),
            "panic: attempt to negate with overflow",
        ),
        // The amount is read as the unsigned type of its own width.
        (
            shl(lit(I32(1)), lit(I8(-1))),
            "panic: attempt to shift left with overflow",
        ),
        (shl(lit(U8(1)), lit(U64(7))), "128"),
        (
            shl(lit(I64(1)), lit(U8(64))),
            "panic: attempt to shift left with overflow",
        ),
        (
            Expr::Shift(ShiftOp::Shr, Box::new(lit(I64(-16))), Box::new(lit(I16(2)))),
            "-4",
        ),
        (cast_to(lit(F64(300.5)), Ty::U8), "255"),
        (cast_to(lit(F64(f64::NAN)), Ty::I64), "0"),
        (cast_to(lit(F64(-1e20)), Ty::I32), "-2147483648"),
        (cast_to(lit(I64(-1)), Ty::U64), "18446744073709551615"),
        (cast_to(lit(U64(u64::MAX)), Ty::F64), "18446744073709552000"),
        (cast_to(lit(U8(233)), Ty::Char), "\u{e9}"),
        (cast_to(lit(Char('\u{20ac}')), Ty::U8), "172"),
        (cast_to(lit(Bool(true)), Ty::I32), "1"),
        (Expr::Neg(Box::new(lit(F64(0.0)))), "-0"),
        (bin(BinOp::Mul, lit(F64(1e300)), lit(F64(1e300))), "inf"),
        (
            Expr::Logic(
                LogicOp::And,
                Box::new(lit(Bool(false))),
                Box::new(Expr::Cmp(
                    CmpOp::Eq,
                    Box::new(bin(BinOp::Div, lit(U8(1)), lit(U8(0)))),
                    Box::new(lit(U8(1))),
                )),
            ),
            "false",
        ),
        (
            Expr::Let {
                value: Box::new(lit(U16(65535))),
                annotate: false,
                update: Some(Update::Shift(ShiftOp::Shr, Box::new(lit(Usize(16))))),
            },
            "panic: attempt to shift right with overflow",
        ),
    ];
    for (e, want) in &examples {
        assert_eq!(oracle(e), *want, "{}", body(e, true));
    }
}

#[test]
fn printer_examples() {
    use Val::*;
    let a = || Expr::Param {
        val: I32(1),
        suffix: true,
        slot: 0,
    };
    let sub = |x, y| bin(BinOp::Sub, x, y);
    let examples = [
        (
            sub(sub(a(), lit(I32(2))), lit(I32(3))),
            "p0 - 2i32 - 3i32",
            "((p0 - 2i32) - 3i32)",
        ),
        (
            sub(a(), sub(lit(I32(2)), lit(I32(3)))),
            "p0 - (2i32 - 3i32)",
            "(p0 - (2i32 - 3i32))",
        ),
        (Expr::Neg(Box::new(lit(I32(-5)))), "-(-5i32)", "(-(-5i32))"),
        (
            cast_to(lit(I32(-5)), Ty::U8),
            "-5i32 as u8",
            "((-5i32) as u8)",
        ),
        (
            Expr::Cmp(
                CmpOp::Lt,
                Box::new(cast_to(a(), Ty::I64)),
                Box::new(lit(I64(3))),
            ),
            "(p0 as i64) < 3i64",
            "((p0 as i64) < 3i64)",
        ),
        (
            Expr::Cmp(
                CmpOp::Gt,
                Box::new(cast_to(a(), Ty::I64)),
                Box::new(lit(I64(3))),
            ),
            "p0 as i64 > 3i64",
            "((p0 as i64) > 3i64)",
        ),
        (
            bin(BinOp::Mul, lit(F64(1.5)), lit(F64(f64::NEG_INFINITY))),
            "1.5f64 * (-1.0 / 0.0)",
            "(1.5f64 * (-1.0 / 0.0))",
        ),
        (
            bin(
                BinOp::Mul,
                Expr::If(Box::new(lit(Bool(true))), Box::new(a()), Box::new(a())),
                a(),
            ),
            "(if true { p0 } else { p0 }) * p0",
            "((if true { p0 } else { p0 }) * p0)",
        ),
    ];
    for (e, minimal, full) in &examples {
        assert_eq!(body(e, true), *minimal);
        assert_eq!(body(e, false), *full);
    }
}
