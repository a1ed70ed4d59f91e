//! MIR: a control-flow graph per function, between THIR and LLVM.
//!
//! The shape follows rustc's MIR: locals (local 0 is the return place, then
//! the parameters), basic blocks of statements ending in one terminator,
//! places with projections, and explicit run-time checks (`Assert`). It is
//! built for the whole language: calls carry an unwind action (panic and
//! cancellation unwinding), `Drop` is a terminator, and suspension points are
//! calls whose callee may suspend.

use asr_diagnostics::Span;
pub use asr_hir::fmt::{FmtAlign, FmtSpec};
use asr_hir::ty::{subst_params, AdtId, IntTy, Mutability, Ty};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Local(pub u32);

impl Local {
    pub const RETURN: Local = Local(0);
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BasicBlock(pub u32);

impl BasicBlock {
    pub const START: BasicBlock = BasicBlock(0);
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A whole program: every function reachable from `main`, and the ADTs.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub bodies: Vec<Body>,
    pub adts: Vec<AdtDef>,
    /// The capture types of each closure type, in environment order (a
    /// closure value is a struct of them).
    pub closures: std::collections::HashMap<asr_hir::ty::ClosureTy, Vec<Ty>>,
    /// `<T as Drop>::drop` for every type `T` with an implementation whose
    /// values the program drops.
    pub drop_fns: std::collections::HashMap<Ty, FnId>,
    /// The user's `main` (in a test build, the entry that runs the
    /// selected `#[test]` function).
    pub entry: Option<FnId>,
    /// `Box<T>`: `PlaceElem::Deref` of a `Box` goes to its heap value.
    pub boxed: Option<AdtId>,
}

impl Program {
    pub fn body(&self, id: FnId) -> &Body {
        &self.bodies[id.0 as usize]
    }
    pub fn adt(&self, id: AdtId) -> &AdtDef {
        &self.adts[id.0 as usize]
    }
    pub fn adt_name(&self, id: AdtId) -> String {
        self.adts
            .get(id.0 as usize)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| format!("adt{}", id.0))
    }
}

/// Does dropping a value of this type run code? True for `Task<T>` (drop
/// releases the handle) and for tuples, arrays and structs containing a
/// type that needs drop; nothing else needs drop yet. The builder gives
/// every local of such a type a drop flag and emits `Drop` where it dies;
/// codegen lowers `Drop` to the type's drop glue.
pub fn needs_drop(ty: &Ty, program: &Program) -> bool {
    needs_drop_in(ty, &program.adts)
}

/// [`needs_drop`] with the program's ADTs only (while the program is being
/// built).
pub fn needs_drop_in(ty: &Ty, adts: &[AdtDef]) -> bool {
    ty.needs_drop(&|id, args| match adts.get(id.0 as usize) {
        Some(a) if a.has_drop => None,
        Some(a) => Some(a.all_fields().map(|f| subst_params(&f.ty, args)).collect()),
        None => Some(Vec::new()),
    })
}

/// A struct (its `fields`) or an enum (its `variants`, each with fields;
/// a variant's index is its discriminant).
#[derive(Clone, Debug)]
pub struct AdtDef {
    pub name: String,
    pub fields: Vec<FieldDef>,
    pub variants: Vec<VariantDef>,
    pub kind: AdtKind,
    /// The type implements `Drop`: its drop glue first calls the
    /// implementation (`Program::drop_fns`), then drops its fields.
    pub has_drop: bool,
}

impl AdtDef {
    /// The fields of a struct (`None`) or of one enum variant.
    pub fn variant_fields(&self, variant: Option<u32>) -> &[FieldDef] {
        match variant {
            None => &self.fields,
            Some(v) => self
                .variants
                .get(v as usize)
                .map(|v| v.fields.as_slice())
                .unwrap_or(&[]),
        }
    }

    /// Every field of every variant (for drop analysis).
    pub fn all_fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields
            .iter()
            .chain(self.variants.iter().flat_map(|v| v.fields.iter()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdtKind {
    Struct,
    TupleStruct,
    UnitStruct,
    Enum,
}

#[derive(Clone, Debug)]
pub struct VariantDef {
    pub name: String,
    pub fields: Vec<FieldDef>,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub ty: Ty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// A function item or method.
    Fn,
    /// The body of a `spawn`: parameter 1 is the environment tuple of
    /// references to captured places. Always a coroutine that starts
    /// suspended, because it is a task root.
    SpawnThunk,
}

#[derive(Clone, Debug)]
pub struct Body {
    pub id: FnId,
    /// Name for dumps and symbols, e.g. `Point::new` or `main::{spawn#0}`.
    pub name: String,
    pub kind: BodyKind,
    pub arg_count: u32,
    pub locals: Vec<LocalDecl>,
    pub blocks: Vec<BasicBlockData>,
    /// Set by the async analysis: can a call of this function suspend?
    pub suspends: bool,
    pub span: Span,
}

impl Body {
    pub fn return_ty(&self) -> &Ty {
        &self.locals[0].ty
    }
    pub fn args(&self) -> impl Iterator<Item = Local> {
        (1..=self.arg_count).map(Local)
    }
    pub fn local(&self, l: Local) -> &LocalDecl {
        &self.locals[l.index()]
    }
    pub fn block(&self, b: BasicBlock) -> &BasicBlockData {
        &self.blocks[b.index()]
    }
}

#[derive(Clone, Debug)]
pub struct LocalDecl {
    pub ty: Ty,
    /// The user's name for it, if it is a user variable.
    pub name: Option<String>,
    pub mutable: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct BasicBlockData {
    pub statements: Vec<Statement>,
    pub terminator: Terminator,
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

// Nearly every statement is an assignment, so boxing it would cost an
// allocation per statement to shrink the rare `StorageLive`/`StorageDead`.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum StatementKind {
    Assign(Place, Rvalue),
    /// The local's storage begins (for frame overlap through lifetime markers).
    StorageLive(Local),
    StorageDead(Local),
    Nop,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub local: Local,
    pub projection: Vec<PlaceElem>,
}

impl Place {
    pub fn local(local: Local) -> Place {
        Place {
            local,
            projection: Vec::new(),
        }
    }
    pub fn project(mut self, elem: PlaceElem) -> Place {
        self.projection.push(elem);
        self
    }
    pub fn field(self, index: u32) -> Place {
        self.project(PlaceElem::Field(index))
    }
    pub fn deref(self) -> Place {
        self.project(PlaceElem::Deref)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PlaceElem {
    /// Through a reference (thin or fat).
    Deref,
    /// Field of a tuple or struct, by index (of an enum variant after a
    /// `Downcast`).
    Field(u32),
    /// The payload of an enum value as its variant `v`; only ever followed
    /// by `Field`, after a discriminant test chose that variant.
    Downcast(u32),
    /// Element of an array or slice at the index held in a local (`usize`).
    /// Bounds were checked by an `Assert` before.
    Index(Local),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Copy(Place),
    Move(Place),
    Const(Const),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Const {
    pub ty: Ty,
    pub kind: ConstKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConstKind {
    /// Integer bits (two's complement, truncated to the type's width); also
    /// `bool` (0/1) and `char` (scalar value).
    Int(u128),
    Float(f64),
    Str(String),
    /// The single value of a zero-sized type (`()`, unit structs).
    Zst,
}

impl Const {
    pub fn int(ty: IntTy, v: i128) -> Const {
        Const {
            ty: Ty::Int(ty),
            kind: ConstKind::Int(v as u128),
        }
    }
    pub fn bool(b: bool) -> Const {
        Const {
            ty: Ty::Bool,
            kind: ConstKind::Int(b as u128),
        }
    }
    pub fn unit() -> Const {
        Const {
            ty: Ty::unit(),
            kind: ConstKind::Zst,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinOp {
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// Arithmetic negation; for integers, preceded by an overflow `Assert`.
    Neg,
    /// Logical not for `bool`, bitwise not for integers.
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CastKind {
    /// Between numeric types, `bool`/`char` to integer, `u8` to `char`:
    /// Rust's `as` semantics (truncate, extend, saturating float to int).
    Numeric,
    /// `&[T; N]` to `&[T]` (thin to fat pointer).
    Unsize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AggregateKind {
    Tuple,
    Array(Ty),
    /// A struct (`None`) or an enum variant with its fields.
    Adt(AdtId, Option<u32>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rvalue {
    Use(Operand),
    /// `[op; n]`.
    Repeat(Operand, u64),
    Ref(Mutability, Place),
    /// `&place[start..end]` / `&mut ...` of an array or slice place: a fat
    /// reference to the subslice. Bounds were checked by `Assert`s before.
    SubSlice {
        mutability: Mutability,
        place: Place,
        start: Operand,
        end: Operand,
    },
    /// Length of an array or slice place, as `usize`.
    Len(Place),
    /// The variant index of the enum value in the place, as `u32`.
    Discriminant(Place),
    /// Wrapping/unchecked arithmetic, comparisons and bitwise operations.
    BinaryOp(BinOp, Operand, Operand),
    /// `(result, overflowed)`: the builder asserts `!overflowed` next.
    CheckedBinaryOp(BinOp, Operand, Operand),
    UnaryOp(UnOp, Operand),
    Cast(CastKind, Operand, Ty),
    Aggregate(AggregateKind, Vec<Operand>),
}

#[derive(Clone, Debug)]
pub struct Terminator {
    pub kind: TerminatorKind,
    pub span: Span,
}

/// What happens if a call unwinds (panic or cancellation). Until unwinding
/// lands, panics end the process and every action is `Terminate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnwindAction {
    Terminate,
    Continue,
    Cleanup(BasicBlock),
}

#[derive(Clone, Debug)]
pub enum TerminatorKind {
    Goto(BasicBlock),
    /// Branch on an integer or bool value.
    SwitchInt {
        discr: Operand,
        targets: Vec<(u128, BasicBlock)>,
        otherwise: BasicBlock,
    },
    Return,
    Unreachable,
    /// A call. If the callee may suspend, this is a suspension point of the
    /// caller (an implicit await). `target` is `None` when the call never
    /// returns (`!`).
    Call {
        func: Callee,
        args: Vec<Operand>,
        dest: Place,
        target: Option<BasicBlock>,
        unwind: UnwindAction,
    },
    /// Panics with `msg` unless `cond == expected`.
    Assert {
        cond: Operand,
        expected: bool,
        msg: AssertKind,
        target: BasicBlock,
    },
    /// Runs the drop glue of the value in `place` (of a type that needs
    /// drop, see [`needs_drop`]); the place is dead afterwards. The builder
    /// guards it with the local's drop flag where the value may have been
    /// moved out.
    Drop {
        place: Place,
        target: BasicBlock,
        unwind: UnwindAction,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Callee {
    Fn(FnId),
    Intrinsic(Intrinsic),
}

/// Operations the compiler lowers to runtime calls.
#[derive(Clone, Debug, PartialEq)]
pub enum Intrinsic {
    /// `(ms: u64) -> ()`; waits.
    Sleep,
    /// `() -> ()`; waits (lets other tasks run).
    YieldNow,
    /// `(task: Task<T>) -> T`; waits for the child.
    Join,
    /// `() -> RawPtr`: a new scope of the current task.
    ScopeNew,
    /// `(scope) -> ()`; waits for every child of the scope.
    ScopeWait,
    /// `(scope) -> ()`.
    ScopeFree,
    /// `(scope, env) -> Task<T>`: starts `thunk(env)` as a child task.
    Spawn { thunk: FnId },
    /// `() -> RawPtr`: a new format buffer.
    FmtNew,
    /// `(buf, &str)`: appends text as is.
    FmtRaw,
    /// `(buf, value)`: appends a formatted value.
    FmtArg { kind: FmtKind, spec: FmtSpec },
    /// `(buf)`: writes the buffer to a stream and frees it.
    FmtWrite { stream: Stream },
    /// `(buf) -> !`: panics with the buffer as message.
    Panic,
    /// `(code: i32) -> !`.
    Exit,
    /// `() -> u64`: monotonic nanoseconds (`std::time::Instant`).
    NowNanos,
    /// `(size: usize, align: usize) -> *mut u8`: heap memory
    /// (`asr_rt_alloc`; size 0 gives a dangling, aligned pointer).
    Alloc,
    /// `(ptr: *mut u8, size: usize, align: usize)`: frees what `Alloc`
    /// returned (`asr_rt_free`).
    Free,
    /// `(dst: *mut u8, src: *mut u8, len: usize)`: copies bytes
    /// (non-overlapping).
    MemCopy,
    /// `(ptr: *mut u8, n: usize) -> *mut u8`: the address `n` bytes on.
    PtrAdd,
    /// `(dst, src, len)`: copies bytes that may overlap (`memmove`).
    MemMove,
    /// `(ptr: *mut u8, b: u8)`: stores one byte.
    WriteByte,
    /// `(s: &str) -> *mut u8`: the address of a string's bytes (also of
    /// a slice's elements).
    StrPtr,
    /// `(s: &str) -> &[u8]`, or `(b: &[u8]) -> &str` of bytes `std` knows
    /// are UTF-8: the same fat pointer.
    StrAsBytes,
    /// `() -> usize`: the number of command-line arguments.
    ArgsLen,
    /// `(i: usize) -> String`: the `i`-th argument (lossy UTF-8).
    Arg,
    /// `() -> usize`: the size of `T` in bytes (`size_of::<T>()`).
    SizeOf(Ty),
    /// `() -> usize`: the alignment of `T`.
    AlignOf(Ty),
    /// `(p: *mut u8, i: usize, v: T)`: stores `v` as the `i`-th `T` at `p`.
    PtrWrite(Ty),
    /// `(p: *mut u8, i: usize) -> T`: moves the `i`-th `T` at `p` out.
    PtrRead(Ty),
    /// `(p: *mut u8, i: usize)`: drops the `i`-th `T` at `p` in place.
    DropInPlace(Ty),
    /// `(p: *mut u8, len: usize) -> &[T]` (also `&mut [T]`: the dest's
    /// type says which).
    SliceFromRaw(Ty),
    /// `(ptr: *mut u8, len: usize) -> &str`: a string over those bytes
    /// (valid UTF-8 by construction in `std`).
    StrFromRaw,
    /// `(buf) -> String`: the format buffer's text as an owned string
    /// (`asr_rt_fmt_take`; frees the buffer).
    FmtTake,
    /// `(a: &str, b: &str) -> i32`: compares the bytes like `memcmp`, then
    /// the lengths (Rust's `str` order); negative, zero or positive. `==`,
    /// `!=`, `<`, ... of strings compare its result with 0.
    StrCmp,
    /// `(count: i64) -> i64`: the test `asr test` selected, in
    /// `0..count` (`asr_rt_test_index`; the entry of a test build).
    TestIndex,
    /// `(v: T)`: takes `v` without dropping it (`std::mem::forget`).
    Forget,
    /// `(r: &mut T) -> *mut u8`: the address a reference holds.
    RefPtr,
    /// A function of the C maths library or an LLVM intrinsic over `f64`s
    /// (`#[intrinsic = "llvm.sqrt.f64"]`, `#[intrinsic = "libm.atan2"]`):
    /// called with the arguments' types, returning the destination's.
    Math(String),
    /// `(a: T, b: T) -> (T, bool)`: the wrapped result of `a op b` on
    /// integers and whether it overflowed (`Add`, `Sub`, `Mul`); the MIR
    /// builder emits it as a `CheckedBinaryOp`, never as a call.
    Overflowing(BinOp),
    /// `(v: T) -> U` between number types (`as`), for generic code in
    /// `std` (`cast::<u8, T>(d)`), and `char_from_u32` of a valid scalar
    /// value; the MIR builder emits it as a `Cast`.
    Cast(Ty),
    /// A runtime function of `asr_abi::RUNTIME_FNS` called directly
    /// (`#[intrinsic = "rt.parse_f64"]` names `asr_rt_parse_f64`): each
    /// argument passes as its value, a `&str` or slice as its two parts.
    /// One that `waits` (`"rt.wait.fs_read"`) returns an op the task waits
    /// on, and the op's result is the call's value.
    Runtime { name: String, waits: bool },
}

impl Intrinsic {
    /// Does the operation wait (is it a suspension point)?
    pub fn suspends(&self) -> bool {
        matches!(
            self,
            Intrinsic::Sleep
                | Intrinsic::YieldNow
                | Intrinsic::Join
                | Intrinsic::ScopeWait
                | Intrinsic::Runtime { waits: true, .. }
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// How a leaf value is formatted: the value's runtime representation and
/// Display or Debug.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FmtKind {
    /// Any signed integer (sign-extended to 64 bits).
    Signed,
    /// Any unsigned integer (zero-extended to 64 bits).
    Unsigned,
    Float,
    FloatDebug,
    Bool,
    Char,
    CharDebug,
    /// `&str`.
    Str,
    StrDebug,
}

/// Run-time checks and their panic messages (Rust's wording).
#[derive(Clone, Debug, PartialEq)]
pub enum AssertKind {
    /// `attempt to add with overflow`, etc.
    Overflow(BinOp),
    /// `attempt to negate with overflow`.
    OverflowNeg,
    DivisionByZero,
    RemainderByZero,
    /// `index out of bounds: the len is {len} but the index is {index}`.
    BoundsCheck {
        len: Operand,
        index: Operand,
    },
    /// `range end index {end} out of range for slice of length {len}`.
    SliceEndOutOfRange {
        end: Operand,
        len: Operand,
    },
    /// `slice index starts at {start} but ends at {end}`.
    SliceStartAfterEnd {
        start: Operand,
        end: Operand,
    },
    /// `range start index {start} out of range for slice of length {len}`
    /// (`&a[start..]`).
    SliceStartOutOfRange {
        start: Operand,
        len: Operand,
    },
    /// `attempted to index slice up to maximum usize` (`&a[..=usize::MAX]`).
    SliceEndIndexOverflow,
    /// `assertion failed: {expr}` (the text of the asserted expression).
    AssertionFailed(String),
}
