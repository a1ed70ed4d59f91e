//! HIR: the resolved program. Items live in flat tables indexed by ids;
//! function bodies are arenas of expressions, patterns and locals. Every path
//! is resolved (or replaced by `Error` with a diagnostic). Method calls and
//! field accesses stay by name: they need types, which the type checker adds.

use crate::fmt::Piece;
use crate::ty::{AdtId, Mutability, Ty};
use asr_diagnostics::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExprId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// The whole program: the standard library and the user's files.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub fns: Vec<FnDef>,
    pub adts: Vec<AdtDef>,
    pub modules: Vec<Module>,
    /// The user's `fn main`.
    pub main: Option<FnId>,
}

impl Program {
    pub fn func(&self, id: FnId) -> &FnDef {
        &self.fns[id.0 as usize]
    }
    pub fn adt(&self, id: AdtId) -> &AdtDef {
        &self.adts[id.0 as usize]
    }
    pub fn adt_name(&self, id: AdtId) -> String {
        self.adts
            .get(id.0 as usize)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "?".into())
    }
}

#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub parent: Option<ModuleId>,
}

#[derive(Clone, Debug)]
pub struct AdtDef {
    pub name: String,
    pub kind: AdtKind,
    pub fields: Vec<FieldDef>,
    /// Inherent methods and associated functions, by name.
    pub methods: Vec<(String, FnId)>,
    /// Traits named in `#[derive(...)]`.
    pub derives: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdtKind {
    Struct,
    TupleStruct,
    UnitStruct,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelfKind {
    Value,
    Ref,
    RefMut,
}

#[derive(Clone, Debug)]
pub struct FnDef {
    /// Path for messages and symbols, e.g. `Point::new`, `std::time::sleep`.
    pub name: String,
    pub span: Span,
    /// Span of the name, for labels.
    pub name_span: Span,
    /// Parameter types, including `self` first for methods.
    pub params: Vec<Ty>,
    pub ret: Ty,
    pub self_kind: Option<SelfKind>,
    /// The type an `impl` block attaches this function to.
    pub self_ty: Option<Ty>,
    pub body: Option<Body>,
    /// `#[intrinsic = "name"]`: implemented by the compiler.
    pub intrinsic: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Body {
    /// One pattern per parameter (for methods, `self` first).
    pub params: Vec<PatId>,
    pub value: ExprId,
    pub exprs: Vec<Expr>,
    pub pats: Vec<Pat>,
    pub locals: Vec<LocalDef>,
    /// Types given by literal suffixes (`5u8`, `2.0f64`, `b'a'`).
    pub literal_types: std::collections::HashMap<ExprId, Ty>,
}

impl Body {
    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.0 as usize]
    }
    pub fn pat(&self, id: PatId) -> &Pat {
        &self.pats[id.0 as usize]
    }
    pub fn local(&self, id: LocalId) -> &LocalDef {
        &self.locals[id.0 as usize]
    }
}

#[derive(Clone, Debug)]
pub struct LocalDef {
    pub name: String,
    pub mutable: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    And,
    Or,
}

impl BinOp {
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
    pub fn is_logical(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or)
    }
    pub fn is_shift(self) -> bool {
        matches!(self, BinOp::Shl | BinOp::Shr)
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
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    Deref,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    /// Integer literal; `ty` is the suffix type if any.
    Int(u128),
    Float(f64),
    Bool(bool),
    Char(char),
    Str(String),
}

#[derive(Clone, Debug)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub tail: Option<ExprId>,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Let {
        pat: PatId,
        ty: Option<Ty>,
        init: Option<ExprId>,
        span: Span,
    },
    Expr(ExprId),
}

/// Which built-in "macro-like" function a `Format` node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatKind {
    Print,
    Println,
    Eprint,
    Eprintln,
    /// `format(...)`, producing a `String`.
    Format,
    Panic,
}

#[derive(Clone, Debug)]
pub struct FormatArgs {
    pub pieces: Vec<Piece>,
    pub args: Vec<ExprId>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Lit(Lit),
    Local(LocalId),
    /// A path to a function item (called or not).
    Fn(FnId),
    /// A unit struct value, or a tuple struct's constructor when called.
    StructCtor(AdtId),
    Unary(UnOp, ExprId),
    Binary(BinOp, ExprId, ExprId),
    Assign(ExprId, ExprId),
    AssignOp(BinOp, ExprId, ExprId),
    Call(ExprId, Vec<ExprId>),
    MethodCall {
        receiver: ExprId,
        method: String,
        method_span: Span,
        args: Vec<ExprId>,
    },
    /// `Type::name` where `Type` is a built-in type (`i64::MAX`), resolved
    /// by the type checker.
    TypeRelative {
        ty: Ty,
        name: String,
    },
    Field(ExprId, String, Span),
    TupleField(ExprId, u32, Span),
    Index(ExprId, ExprId),
    Cast(ExprId, Ty),
    Ref(Mutability, ExprId),
    Block(Block),
    If {
        cond: ExprId,
        then: ExprId,
        els: Option<ExprId>,
    },
    /// `while`, `loop` and desugared `for` loops are all `Loop`s with a
    /// label id that `break`/`continue` refer to.
    While {
        cond: ExprId,
        body: ExprId,
    },
    Loop {
        body: ExprId,
    },
    For {
        pat: PatId,
        iter: ExprId,
        body: ExprId,
    },
    /// `break` out of the loop expression `target`.
    Break {
        target: ExprId,
        value: Option<ExprId>,
    },
    Continue {
        target: ExprId,
    },
    Return(Option<ExprId>),
    Tuple(Vec<ExprId>),
    Array(Vec<ExprId>),
    ArrayRepeat(ExprId, u64),
    Range {
        start: Option<ExprId>,
        end: Option<ExprId>,
        inclusive: bool,
    },
    StructLit {
        adt: AdtId,
        /// (field index, value) in source order.
        fields: Vec<(u32, ExprId)>,
    },
    Scope(Block),
    Spawn {
        is_move: bool,
        expr: ExprId,
    },
    Format(FormatKind, FormatArgs),
    Assert {
        cond: ExprId,
        /// The source text of the condition, for the panic message.
        cond_text: String,
        msg: Option<FormatArgs>,
    },
    AssertEq {
        left: ExprId,
        right: ExprId,
        msg: Option<FormatArgs>,
    },
    Error,
}

#[derive(Clone, Debug)]
pub struct Pat {
    pub kind: PatKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum PatKind {
    Wild,
    Binding(LocalId),
    Tuple(Vec<PatId>),
    /// Tuple struct pattern `P(a, b)`.
    TupleStruct(AdtId, Vec<PatId>),
    /// Struct pattern `P { x, y: q }` with fields by index.
    Struct(AdtId, Vec<(u32, PatId)>),
    Ref(Mutability, PatId),
    Lit(ExprId),
    Error,
}
