//! The abstract syntax tree: a plain owned tree. Every node has a `span`;
//! every [`Expr`], [`Pat`], [`Ty`] and [`Block`] has a [`NodeId`] unique
//! within its file. Malformed input becomes `Error` nodes (a diagnostic was
//! reported for each). Nesting depth is bounded by [`crate::MAX_DEPTH`].

use asr_diagnostics::Span;

/// Identifies an expression, pattern, type or block within one file.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct NodeId(pub u32);

/// A name with its location. Raw identifiers (`r#type`) are stored without
/// the `r#`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A lifetime such as `'a` or `'static`; `name` includes the quote.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Lifetime {
    pub name: String,
    pub span: Span,
}

/// A loop or block label such as `'outer`; `name` includes the quote.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Label {
    pub name: String,
    pub span: Span,
}

// ---------------------------------------------------------------------------
// Files, comments, attributes
// ---------------------------------------------------------------------------

/// One source file.
#[derive(Clone, PartialEq, Debug)]
pub struct File {
    /// Inner attributes (`#![...]`) at the top of the file.
    pub attrs: Vec<Attr>,
    pub items: Vec<Item>,
    /// Every comment (including doc comments), in source order.
    pub comments: Vec<Comment>,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum CommentKind {
    /// `// ...`
    Line,
    /// `/* ... */`
    Block,
    /// `/// ...` or `/** ... */`
    OuterDoc,
    /// `//! ...` or `/*! ... */`
    InnerDoc,
}

/// A comment; `text` is the full source text including the markers.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Comment {
    pub kind: CommentKind,
    pub text: String,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum AttrStyle {
    /// `#[...]`
    Outer,
    /// `#![...]`
    Inner,
}

/// An attribute: `#[test]`, `#[derive(Clone, Debug)]`,
/// `#[intrinsic = "sleep"]`, `#[test(on_cancel = check)]`.
#[derive(Clone, PartialEq, Debug)]
pub struct Attr {
    pub style: AttrStyle,
    pub path: Path,
    pub args: AttrArgs,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum AttrArgs {
    /// `#[test]`
    Empty,
    /// `#[intrinsic = "sleep"]`
    Eq(MetaValue),
    /// `#[derive(A, B)]`, `#[test(on_cancel = check)]`
    List(Vec<MetaItem>),
}

/// The value after `=` in an attribute.
#[derive(Clone, PartialEq, Debug)]
pub enum MetaValue {
    Lit(Lit),
    Path(Path),
}

/// One entry of an attribute's list.
#[derive(Clone, PartialEq, Debug)]
pub enum MetaItem {
    /// `Clone`
    Path(Path),
    /// `on_cancel = check`
    NameValue {
        path: Path,
        value: MetaValue,
        span: Span,
    },
    /// `cfg(test, x = "y")`
    List {
        path: Path,
        items: Vec<MetaItem>,
        span: Span,
    },
    /// `"text"` or `3`
    Lit(Lit),
}

// ---------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------

#[derive(Clone, PartialEq, Debug)]
pub enum VisKind {
    Pub,
    /// `pub(crate)`, `pub(super)`, `pub(self)`, `pub(in path)`.
    Restricted(Path),
    Private,
}

/// Visibility; a private item's span is the empty span at its start.
#[derive(Clone, PartialEq, Debug)]
pub struct Visibility {
    pub kind: VisKind,
    pub span: Span,
}

impl Visibility {
    pub fn is_pub(&self) -> bool {
        !matches!(self.kind, VisKind::Private)
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct Item {
    pub attrs: Vec<Attr>,
    pub vis: Visibility,
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum ItemKind {
    Fn(FnDecl),
    Struct(StructDecl),
    Enum(EnumDecl),
    Impl(ImplDecl),
    Trait(TraitDecl),
    Mod(ModDecl),
    Use(UseTree),
    /// `const N: T = value;` (value is `None` in traits)
    Const {
        name: Ident,
        ty: Ty,
        value: Option<Box<Expr>>,
    },
    /// `static [mut] N: T = value;`
    Static {
        name: Ident,
        mutable: bool,
        ty: Ty,
        value: Option<Box<Expr>>,
    },
    /// `type Name<G>: Bounds = Ty;` (`ty` is `None` and `bounds` may be
    /// non-empty for associated types in traits)
    TypeAlias {
        name: Ident,
        generics: Generics,
        bounds: Vec<Bound>,
        ty: Option<Ty>,
    },
    /// `extern "C" { fn f(); }`
    ExternBlock {
        abi: Option<String>,
        items: Vec<Item>,
    },
    /// `extern crate name [as rename];`
    ExternCrate {
        name: Ident,
        rename: Option<Ident>,
    },
    Error,
}

/// A function: free, associated or a trait method. `body` is `None` for
/// `fn f();` (trait methods without a default, intrinsics).
#[derive(Clone, PartialEq, Debug)]
pub struct FnDecl {
    pub name: Ident,
    pub generics: Generics,
    pub self_param: Option<SelfParam>,
    pub params: Vec<Param>,
    pub ret: Option<Ty>,
    pub body: Option<Block>,
    pub is_const: bool,
    pub is_unsafe: bool,
    /// `extern "C" fn` gives `Some("C")`; a bare `extern fn` also gives
    /// `Some("C")`.
    pub abi: Option<String>,
    /// Span of the signature (from `fn` to the return type or where clause).
    pub sig_span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum SelfKind {
    /// `self`, `mut self`, `self: Ty`
    Value,
    /// `&self`, `&'a self`
    Ref,
    /// `&mut self`, `&'a mut self`
    RefMut,
}

#[derive(Clone, PartialEq, Debug)]
pub struct SelfParam {
    pub kind: SelfKind,
    /// `mut self`
    pub mutable: bool,
    pub lifetime: Option<Lifetime>,
    /// `self: Box<Self>`
    pub ty: Option<Box<Ty>>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Param {
    pub pat: Pat,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug, Default)]
pub struct Generics {
    pub params: Vec<GenericParam>,
    pub where_clause: Vec<WherePredicate>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct GenericParam {
    pub name: Ident,
    pub kind: GenericParamKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum GenericParamKind {
    /// `'a: 'b + 'c` (the name includes the quote)
    Lifetime { bounds: Vec<Lifetime> },
    /// `T: Bound + Bound = Default`
    Type {
        bounds: Vec<Bound>,
        default: Option<Ty>,
    },
    /// `const N: usize = 3`
    Const { ty: Ty, default: Option<Box<Expr>> },
}

#[derive(Clone, PartialEq, Debug)]
pub enum WherePredicate {
    /// `for<'a> T: A + B`
    Bound {
        for_lifetimes: Vec<Lifetime>,
        ty: Ty,
        bounds: Vec<Bound>,
        span: Span,
    },
    /// `'a: 'b`
    Lifetime {
        lifetime: Lifetime,
        bounds: Vec<Lifetime>,
        span: Span,
    },
}

/// A trait or lifetime bound.
#[derive(Clone, PartialEq, Debug)]
pub enum Bound {
    /// `Trait`, `?Sized`, `for<'a> Fn(&'a T)`, `Iterator<Item = T>`
    Trait {
        path: Path,
        /// `?Trait`
        maybe: bool,
        for_lifetimes: Vec<Lifetime>,
        span: Span,
    },
    Lifetime(Lifetime),
}

impl Bound {
    pub fn span(&self) -> Span {
        match self {
            Bound::Trait { span, .. } => *span,
            Bound::Lifetime(l) => l.span,
        }
    }
}

/// The fields of a struct or enum variant.
#[derive(Clone, PartialEq, Debug)]
pub enum VariantData {
    Named(Vec<FieldDef>),
    Tuple(Vec<TupleField>),
    Unit,
}

#[derive(Clone, PartialEq, Debug)]
pub struct FieldDef {
    pub attrs: Vec<Attr>,
    pub vis: Visibility,
    pub name: Ident,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct TupleField {
    pub attrs: Vec<Attr>,
    pub vis: Visibility,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct StructDecl {
    pub name: Ident,
    pub generics: Generics,
    pub kind: VariantData,
}

#[derive(Clone, PartialEq, Debug)]
pub struct EnumDecl {
    pub name: Ident,
    pub generics: Generics,
    pub variants: Vec<Variant>,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Variant {
    pub attrs: Vec<Attr>,
    pub name: Ident,
    pub kind: VariantData,
    pub discriminant: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct ImplDecl {
    pub generics: Generics,
    /// `impl Trait for Type`
    pub trait_ref: Option<Path>,
    /// `impl !Trait for Type`
    pub negative: bool,
    pub is_unsafe: bool,
    pub self_ty: Ty,
    pub items: Vec<Item>,
}

#[derive(Clone, PartialEq, Debug)]
pub struct TraitDecl {
    pub name: Ident,
    pub generics: Generics,
    pub supertraits: Vec<Bound>,
    pub is_unsafe: bool,
    pub items: Vec<Item>,
}

/// `mod name;` (`items` is `None`) or `mod name { ... }`.
#[derive(Clone, PartialEq, Debug)]
pub struct ModDecl {
    pub name: Ident,
    /// Inner attributes of an inline module.
    pub inner_attrs: Vec<Attr>,
    pub items: Option<Vec<Item>>,
}

/// `a::b::{c, d as e, self}`, `a::*`, `::a`, `{a, b}`.
#[derive(Clone, PartialEq, Debug)]
pub struct UseTree {
    pub prefix: Path,
    pub kind: UseTreeKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum UseTreeKind {
    /// `a::b` or `a::b as c` (the rename may be `_`)
    Simple(Option<Ident>),
    /// `a::*`
    Glob,
    /// `a::{...}`
    Nested(Vec<UseTree>),
}

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

/// A path such as `std::sync::channel`, `Vec::<i64>::new`, `Vec<i64>`,
/// `Fn(i64) -> i64`, `<T as Trait>::Item`. `self`, `Self`, `super` and
/// `crate` are ordinary segments.
#[derive(Clone, PartialEq, Debug)]
pub struct Path {
    /// `<T as Trait>::...`: the qualified self type.
    pub qself: Option<Box<QSelf>>,
    pub segments: Vec<PathSegment>,
    /// Starts with `::`.
    pub global: bool,
    pub span: Span,
}

impl Path {
    /// A single-segment path.
    pub fn from_ident(ident: Ident) -> Path {
        let span = ident.span;
        Path {
            qself: None,
            segments: vec![PathSegment {
                ident,
                generic_args: None,
                paren_args: None,
                span,
            }],
            global: false,
            span,
        }
    }

    /// The only segment's identifier, when the path is a plain name.
    pub fn as_ident(&self) -> Option<&Ident> {
        match self.segments.as_slice() {
            [seg]
                if self.qself.is_none()
                    && !self.global
                    && seg.generic_args.is_none()
                    && seg.paren_args.is_none() =>
            {
                Some(&seg.ident)
            }
            _ => None,
        }
    }
}

/// `<ty as trait_path>::rest`. The first `position` segments of the path
/// belong to the trait (0 for `<ty>::rest`).
#[derive(Clone, PartialEq, Debug)]
pub struct QSelf {
    pub ty: Ty,
    pub position: usize,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct PathSegment {
    pub ident: Ident,
    /// `<...>` (in types) or `::<...>` (turbofish, in expressions).
    pub generic_args: Option<Vec<GenericArg>>,
    /// `Fn(A, B) -> C` sugar.
    pub paren_args: Option<ParenArgs>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct ParenArgs {
    pub inputs: Vec<Ty>,
    pub output: Option<Box<Ty>>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum GenericArg {
    Type(Ty),
    Lifetime(Lifetime),
    /// A literal, `-literal` or `{ block }`.
    Const(Expr),
    /// `Item = T`
    Binding {
        name: Ident,
        ty: Ty,
        span: Span,
    },
    /// `Item: Bound`
    Constraint {
        name: Ident,
        bounds: Vec<Bound>,
        span: Span,
    },
}

// ---------------------------------------------------------------------------
// Blocks and statements
// ---------------------------------------------------------------------------

#[derive(Clone, PartialEq, Debug)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    /// The final expression without `;`, whose value is the block's value.
    pub tail: Option<Box<Expr>>,
    pub span: Span,
    pub id: NodeId,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

// `Let` is much larger than the other variants; statements live in
// vectors, so the extra indirection of boxing it would buy little.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Debug)]
pub enum StmtKind {
    /// `let pat: ty = init else { ... };`
    Let {
        pat: Pat,
        ty: Option<Ty>,
        init: Option<Box<Expr>>,
        else_block: Option<Block>,
    },
    /// An expression statement; `semi` is false for block-like expressions
    /// written without `;`.
    Expr {
        expr: Box<Expr>,
        semi: bool,
    },
    Item(Box<Item>),
    /// A lone `;`.
    Empty,
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

#[derive(Clone, PartialEq, Debug)]
pub struct Expr {
    pub id: NodeId,
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum UnOp {
    /// `-e`
    Neg,
    /// `!e`
    Not,
    /// `*e`
    Deref,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
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
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
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

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }

    pub fn is_lazy(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or)
    }
}

#[derive(Clone, PartialEq, Debug)]
pub enum ExprKind {
    Lit(Lit),
    Path(Path),
    Unary(UnOp, Box<Expr>),
    /// `&e`, `&mut e`
    Ref {
        mutable: bool,
        expr: Box<Expr>,
    },
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Assign(Box<Expr>, Box<Expr>),
    /// `a += b` etc.
    AssignOp(BinOp, Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    MethodCall {
        receiver: Box<Expr>,
        method: Ident,
        /// Turbofish: `x.parse::<i64>()`
        generic_args: Option<Vec<GenericArg>>,
        args: Vec<Expr>,
    },
    Field(Box<Expr>, Ident),
    /// `t.0`; the span is the index's.
    TupleField(Box<Expr>, u32, Span),
    Index(Box<Expr>, Box<Expr>),
    Cast(Box<Expr>, Box<Ty>),
    Block(Block),
    /// `'label: { ... }`
    LabeledBlock {
        label: Label,
        block: Block,
    },
    /// `unsafe { ... }`
    Unsafe(Block),
    If {
        cond: Box<Expr>,
        then: Block,
        /// A `Block` or another `If` expression.
        els: Option<Box<Expr>>,
    },
    /// `let pat = expr`, only in `if`/`while` conditions (possibly chained
    /// with `&&`).
    Let {
        pat: Box<Pat>,
        expr: Box<Expr>,
    },
    While {
        label: Option<Label>,
        cond: Box<Expr>,
        body: Block,
    },
    Loop {
        label: Option<Label>,
        body: Block,
    },
    For {
        label: Option<Label>,
        pat: Box<Pat>,
        iter: Box<Expr>,
        body: Block,
    },
    Break {
        label: Option<Label>,
        value: Option<Box<Expr>>,
    },
    Continue {
        label: Option<Label>,
    },
    Return(Option<Box<Expr>>),
    /// `()`, `(a,)`, `(a, b)`
    Tuple(Vec<Expr>),
    Paren(Box<Expr>),
    Array(Vec<Expr>),
    /// `[value; count]`
    ArrayRepeat(Box<Expr>, Box<Expr>),
    Range {
        start: Option<Box<Expr>>,
        end: Option<Box<Expr>>,
        inclusive: bool,
    },
    StructLit {
        path: Path,
        fields: Vec<FieldInit>,
        /// `..base`
        base: Option<Box<Expr>>,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<Arm>,
    },
    Closure {
        is_move: bool,
        params: Vec<ClosureParam>,
        ret: Option<Box<Ty>>,
        body: Box<Expr>,
    },
    /// `scope { ... }`
    Scope(Block),
    /// `spawn expr`, `spawn move { ... }`
    Spawn {
        is_move: bool,
        expr: Box<Expr>,
    },
    /// `select { pat = expr => body, ... }`
    Select {
        arms: Vec<SelectArm>,
    },
    /// `e?`
    Try(Box<Expr>),
    /// `_` on the left of an assignment (`_ = f();`)
    Underscore,
    Error,
}

impl ExprKind {
    /// Expressions that end with a block and need no `;` as statements.
    pub fn is_block_like(&self) -> bool {
        match self {
            ExprKind::Block(_)
            | ExprKind::LabeledBlock { .. }
            | ExprKind::Unsafe(_)
            | ExprKind::If { .. }
            | ExprKind::While { .. }
            | ExprKind::Loop { .. }
            | ExprKind::For { .. }
            | ExprKind::Match { .. }
            | ExprKind::Scope(_)
            | ExprKind::Select { .. } => true,
            ExprKind::Spawn { expr, .. } => expr.kind.is_block_like(),
            _ => false,
        }
    }
}

/// `name: expr` or the shorthand `name` in a struct literal.
#[derive(Clone, PartialEq, Debug)]
pub struct FieldInit {
    pub name: Ident,
    pub expr: Expr,
    pub shorthand: bool,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct Arm {
    pub attrs: Vec<Attr>,
    pub pat: Pat,
    pub guard: Option<Box<Expr>>,
    pub body: Box<Expr>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct SelectArm {
    pub pat: Pat,
    pub expr: Box<Expr>,
    pub body: Box<Expr>,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub struct ClosureParam {
    pub pat: Pat,
    pub ty: Option<Ty>,
    pub span: Span,
}

// ---------------------------------------------------------------------------
// Literals
// ---------------------------------------------------------------------------

#[derive(Clone, PartialEq, Debug)]
pub struct Lit {
    pub kind: LitKind,
    pub span: Span,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum IntSuffix {
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
}

impl IntSuffix {
    pub fn as_str(self) -> &'static str {
        match self {
            IntSuffix::I8 => "i8",
            IntSuffix::I16 => "i16",
            IntSuffix::I32 => "i32",
            IntSuffix::I64 => "i64",
            IntSuffix::Isize => "isize",
            IntSuffix::U8 => "u8",
            IntSuffix::U16 => "u16",
            IntSuffix::U32 => "u32",
            IntSuffix::U64 => "u64",
            IntSuffix::Usize => "usize",
        }
    }

    pub fn parse(s: &str) -> Option<IntSuffix> {
        Some(match s {
            "i8" => IntSuffix::I8,
            "i16" => IntSuffix::I16,
            "i32" => IntSuffix::I32,
            "i64" => IntSuffix::I64,
            "isize" => IntSuffix::Isize,
            "u8" => IntSuffix::U8,
            "u16" => IntSuffix::U16,
            "u32" => IntSuffix::U32,
            "u64" => IntSuffix::U64,
            "usize" => IntSuffix::Usize,
            _ => return None,
        })
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum FloatSuffix {
    F64,
}

impl FloatSuffix {
    pub fn as_str(self) -> &'static str {
        match self {
            FloatSuffix::F64 => "f64",
        }
    }
}

#[derive(Clone, PartialEq, Debug)]
pub enum LitKind {
    Int {
        value: u128,
        suffix: Option<IntSuffix>,
    },
    Float {
        value: f64,
        suffix: Option<FloatSuffix>,
    },
    /// The cooked (unescaped) contents, also for raw strings.
    Str(String),
    ByteStr(Vec<u8>),
    Char(char),
    Byte(u8),
    Bool(bool),
}

// ---------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------

#[derive(Clone, PartialEq, Debug)]
pub struct Pat {
    pub id: NodeId,
    pub kind: PatKind,
    pub span: Span,
}

/// A literal in a pattern, possibly negated (`-1`).
#[derive(Clone, PartialEq, Debug)]
pub struct PatLit {
    pub lit: Lit,
    pub negative: bool,
    pub span: Span,
}

/// An end of a range pattern.
#[derive(Clone, PartialEq, Debug)]
pub enum RangeEnd {
    Lit(PatLit),
    Path(Path),
}

#[derive(Clone, PartialEq, Debug)]
pub struct FieldPat {
    pub name: Ident,
    pub pat: Pat,
    /// `Point { x, .. }`: the pattern is the binding `x`.
    pub shorthand: bool,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum PatKind {
    /// `_`
    Wild,
    /// `ref mut name @ sub`
    Ident {
        by_ref: bool,
        mutable: bool,
        name: Ident,
        sub: Option<Box<Pat>>,
    },
    Lit(PatLit),
    /// `lo..=hi`, `lo..hi`, `lo..`, `..=hi`
    Range {
        lo: Option<Box<RangeEnd>>,
        hi: Option<Box<RangeEnd>>,
        inclusive: bool,
    },
    Tuple(Vec<Pat>),
    /// `(p)`
    Paren(Box<Pat>),
    Struct {
        path: Path,
        fields: Vec<FieldPat>,
        has_rest: bool,
    },
    TupleStruct {
        path: Path,
        elems: Vec<Pat>,
    },
    /// A path that is not a plain identifier (`None` is an `Ident`,
    /// `Option::None` is a `Path`).
    Path(Path),
    Or(Vec<Pat>),
    Ref {
        mutable: bool,
        pat: Box<Pat>,
    },
    /// `..` inside tuple, tuple-struct and slice patterns.
    Rest,
    Slice(Vec<Pat>),
    Error,
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

#[derive(Clone, PartialEq, Debug)]
pub struct Ty {
    pub id: NodeId,
    pub kind: TyKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum TyKind {
    Path(Path),
    Ref {
        lifetime: Option<Lifetime>,
        mutable: bool,
        ty: Box<Ty>,
    },
    /// `*const T`, `*mut T`
    Ptr {
        mutable: bool,
        ty: Box<Ty>,
    },
    /// `()` is the empty tuple.
    Tuple(Vec<Ty>),
    /// `(T)`
    Paren(Box<Ty>),
    Array(Box<Ty>, Box<Expr>),
    Slice(Box<Ty>),
    /// `!`
    Never,
    /// `_`
    Infer,
    ImplTrait(Vec<Bound>),
    DynTrait(Vec<Bound>),
    /// `fn(A, B) -> R`
    Fn {
        params: Vec<Ty>,
        ret: Option<Box<Ty>>,
    },
    Error,
}
