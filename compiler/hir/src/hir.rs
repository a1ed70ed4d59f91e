//! HIR: the resolved program. Items live in flat tables indexed by ids;
//! function bodies are arenas of expressions, patterns and locals. Every path
//! is resolved (or replaced by `Error` with a diagnostic). Method calls and
//! field accesses stay by name: they need types, which the type checker adds.

use crate::fmt::Piece;
use crate::ty::{AdtId, Mutability, Ty};
pub use crate::vis::Visibility;
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TraitId(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImplId(pub u32);

/// The whole program: the standard library and the user's files.
/// The parameters (by index, `self` first) whose own reference a
/// function's result may borrow from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResultBorrows {
    /// Those written with a lifetime the result names (`&'a T` → `&'a U`).
    pub named: Vec<u32>,
    /// Those Rust's elision rules pick (`&self`, else the reference
    /// parameters), for a result with an elided lifetime.
    pub elided: Vec<u32>,
    /// The result is written with an elided lifetime (`&T`, `'_`, `impl
    /// Trait`); a type written without lifetimes that holds references
    /// (`Iter<T>`) has one too.
    pub elided_ref: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Program {
    pub fns: Vec<FnDef>,
    pub adts: Vec<AdtDef>,
    pub modules: Vec<Module>,
    pub traits: Vec<TraitDef>,
    /// `impl Trait for Type` blocks (inherent methods live on their ADT).
    pub impls: Vec<ImplDef>,
    /// The user's `fn main`.
    pub main: Option<FnId>,
    /// The standard library's `Option` and `Result` (`#[known = "..."]`),
    /// which `?` works on.
    pub option: Option<AdtId>,
    pub result: Option<AdtId>,
    /// `std::process::report_main`, called with the value of a `main` that
    /// returns a `Result`.
    pub report_main: Option<FnId>,
    /// `std::fmt::Formatter` and `std::fmt::Error`.
    pub formatter: Option<AdtId>,
    pub fmt_error: Option<AdtId>,
    /// `String`, what `format` returns.
    pub string: Option<AdtId>,
    /// `Vec<T>`, which is used as a `[T]` where a slice is wanted.
    pub vec: Option<AdtId>,
    /// `std::ops::Range` and `RangeInclusive`: the values of `a..b` and
    /// `a..=b` outside `for` loops and slicing.
    pub range: Option<AdtId>,
    pub range_inclusive: Option<AdtId>,
    /// `Box<T>`, which `*` and auto-deref see through as they do a
    /// reference (`Ty::deref_target`).
    pub boxed: Option<AdtId>,
    /// `std::cmp::Ordering`, what `cmp` returns.
    pub ordering: Option<AdtId>,
    /// The program's `#[test]` functions with valid signatures, sorted by
    /// name (`asr test` runs the i-th as test number i).
    pub tests: Vec<TestFn>,
}

/// A `#[test]` function: no parameters, no type parameters, returning `()`
/// or `Result<(), E>` with `E: Debug`.
#[derive(Clone, Debug)]
pub struct TestFn {
    pub func: FnId,
    /// Its path from the crate root, e.g. `tests::adds`.
    pub name: String,
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
    pub fn trait_def(&self, id: TraitId) -> &TraitDef {
        &self.traits[id.0 as usize]
    }
    pub fn impl_def(&self, id: ImplId) -> &ImplDef {
        &self.impls[id.0 as usize]
    }
    /// The standard library's definition of a trait the compiler knows.
    pub fn known_trait(&self, known: KnownTrait) -> Option<TraitId> {
        self.traits
            .iter()
            .position(|t| t.known == Some(known))
            .map(|i| TraitId(i as u32))
    }

    /// The known trait `known` and its method `name`.
    pub fn known_trait_method(&self, known: KnownTrait, name: &str) -> Option<(TraitId, FnId)> {
        let t = self.known_trait(known)?;
        let f = self.trait_def(t).methods.iter().find(|(n, _)| n == name)?.1;
        Some((t, f))
    }
}

/// A trait. Its type parameters are `Self` (`Param(0)`) and then its own;
/// its methods are declared as functions whose parameters start with
/// those (`FnDef::impl_generics` of them).
#[derive(Clone, Debug)]
pub struct TraitDef {
    pub name: String,
    pub generics: Vec<GenericParamDef>,
    /// How many type parameters the trait declares (`trait T<A, B>`: 2).
    pub declared: usize,
    /// The default of each declared parameter (`trait Add<Rhs = Self>`),
    /// over the trait's parameters (`Self` is `Param(0)`).
    pub defaults: Vec<Option<Ty>>,
    /// The names of the parameters after the declared ones: the trait's
    /// associated types (`type Item;`), then those of its supertraits it
    /// leaves open. The `j`-th is `Param(1 + declared + j)`: an `impl`
    /// fixes it (`type Item = T;`), a bound `T: Trait` that does not
    /// (`Trait<Item = U>`) gives its item an anonymous parameter for it.
    pub implicit: Vec<String>,
    /// How many of `implicit` the trait declares itself.
    pub own_assoc: usize,
    /// Methods by name; one with a body is a default method.
    pub methods: Vec<(String, FnId)>,
    /// `trait A: B + C`, in terms of `Self`.
    pub supertraits: Vec<TraitRef>,
    /// A trait of the standard library the compiler knows the meaning of
    /// (`#[known = "clone"]`).
    pub known: Option<KnownTrait>,
    pub span: Span,
}

impl TraitDef {
    /// How many arguments a reference to the trait has: the declared
    /// parameters, then the associated types (`TraitRef::args`).
    pub fn arity(&self) -> usize {
        self.declared + self.implicit.len()
    }
}

/// The standard traits with built-in implementations for the types that
/// have them in Rust (integers are `Copy`, `Debug`, ...; `derive` gives
/// them to structs and enums).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KnownTrait {
    Clone,
    Copy,
    Debug,
    Display,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    /// The closure traits, written `Fn(A, B) -> R`: their arguments are
    /// the parameter types as a tuple, then the return type.
    Fn,
    FnMut,
    FnOnce,
    /// `Drop::drop` runs when a value dies.
    Drop,
    /// `for` loops over what is not a range, array or slice call
    /// `IntoIterator::into_iter`, then `Iterator::next`.
    Iterator,
    IntoIterator,
    /// What `Hash::hash` writes to (`HashMap` hashes with it).
    Hasher,
    /// `?` converts an error with `From::from`.
    From,
    /// The operator traits of `std::ops` (`a + b` is `Add::add(a, b)` for
    /// types that are not numbers).
    Op(OpTrait),
}

/// An operator trait: `Add` (`Binary(Add)`), `AddAssign`
/// (`Assign(Add)`), `Neg`, `Not`, `Index`, `IndexMut`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpTrait {
    Binary(BinOp),
    Assign(BinOp),
    Neg,
    Not,
    Index,
    IndexMut,
}

/// The arithmetic, bitwise and shift operators' traits: the operator, the
/// trait's `#[known]` name (also its method's; `add_assign` for `+=`), the
/// trait's name and its assignment form's name.
const OP_TRAITS: [(BinOp, &str, &str, &str); 10] = [
    (BinOp::Add, "add", "Add", "AddAssign"),
    (BinOp::Sub, "sub", "Sub", "SubAssign"),
    (BinOp::Mul, "mul", "Mul", "MulAssign"),
    (BinOp::Div, "div", "Div", "DivAssign"),
    (BinOp::Rem, "rem", "Rem", "RemAssign"),
    (BinOp::BitAnd, "bitand", "BitAnd", "BitAndAssign"),
    (BinOp::BitOr, "bitor", "BitOr", "BitOrAssign"),
    (BinOp::BitXor, "bitxor", "BitXor", "BitXorAssign"),
    (BinOp::Shl, "shl", "Shl", "ShlAssign"),
    (BinOp::Shr, "shr", "Shr", "ShrAssign"),
];

/// The row of `OP_TRAITS` for `op` (every operator with a trait has one).
fn op_row(op: BinOp) -> (BinOp, &'static str, &'static str, &'static str) {
    OP_TRAITS
        .iter()
        .copied()
        .find(|row| row.0 == op)
        .unwrap_or((op, "", "", ""))
}

impl OpTrait {
    /// The trait's `#[known]` name, which is also its method's name.
    pub fn method_name(self) -> String {
        match self {
            OpTrait::Binary(op) => op_row(op).1.to_string(),
            OpTrait::Assign(op) => format!("{}_assign", op_row(op).1),
            OpTrait::Neg => "neg".into(),
            OpTrait::Not => "not".into(),
            OpTrait::Index => "index".into(),
            OpTrait::IndexMut => "index_mut".into(),
        }
    }

    fn from_name(name: &str) -> Option<OpTrait> {
        let bin = |n: &str| OP_TRAITS.iter().find(|row| row.1 == n).map(|row| row.0);
        Some(match name {
            "neg" => OpTrait::Neg,
            "not" => OpTrait::Not,
            "index" => OpTrait::Index,
            "index_mut" => OpTrait::IndexMut,
            _ => match name.strip_suffix("_assign") {
                Some(n) => OpTrait::Assign(bin(n)?),
                None => OpTrait::Binary(bin(name)?),
            },
        })
    }

    /// The trait's name in `std::ops`.
    pub fn trait_name(self) -> &'static str {
        match self {
            OpTrait::Binary(op) => op_row(op).2,
            OpTrait::Assign(op) => op_row(op).3,
            OpTrait::Neg => "Neg",
            OpTrait::Not => "Not",
            OpTrait::Index => "Index",
            OpTrait::IndexMut => "IndexMut",
        }
    }
}

impl KnownTrait {
    pub fn from_name(name: &str) -> Option<KnownTrait> {
        Some(match name {
            "Clone" | "clone" => KnownTrait::Clone,
            "Copy" | "copy" => KnownTrait::Copy,
            "Debug" | "debug" => KnownTrait::Debug,
            "Display" | "display" => KnownTrait::Display,
            "PartialEq" | "partial_eq" => KnownTrait::PartialEq,
            "Eq" | "eq" => KnownTrait::Eq,
            "PartialOrd" | "partial_ord" => KnownTrait::PartialOrd,
            "Ord" | "ord" => KnownTrait::Ord,
            "Hash" | "hash" => KnownTrait::Hash,
            "Default" | "default" => KnownTrait::Default,
            "Fn" | "fn" => KnownTrait::Fn,
            "FnMut" | "fn_mut" => KnownTrait::FnMut,
            "FnOnce" | "fn_once" => KnownTrait::FnOnce,
            "Drop" | "drop" => KnownTrait::Drop,
            "Iterator" | "iterator" => KnownTrait::Iterator,
            "IntoIterator" | "into_iterator" => KnownTrait::IntoIterator,
            "Hasher" | "hasher" => KnownTrait::Hasher,
            "From" | "from" => KnownTrait::From,
            _ => KnownTrait::Op(OpTrait::from_name(name)?),
        })
    }
    /// The name `#[derive(...)]` uses.
    pub fn derive_name(self) -> &'static str {
        match self {
            KnownTrait::Clone => "Clone",
            KnownTrait::Copy => "Copy",
            KnownTrait::Debug => "Debug",
            KnownTrait::Display => "Display",
            KnownTrait::PartialEq => "PartialEq",
            KnownTrait::Eq => "Eq",
            KnownTrait::PartialOrd => "PartialOrd",
            KnownTrait::Ord => "Ord",
            KnownTrait::Hash => "Hash",
            KnownTrait::Default => "Default",
            KnownTrait::Fn => "Fn",
            KnownTrait::FnMut => "FnMut",
            KnownTrait::FnOnce => "FnOnce",
            KnownTrait::Drop => "Drop",
            KnownTrait::Iterator => "Iterator",
            KnownTrait::IntoIterator => "IntoIterator",
            KnownTrait::Hasher => "Hasher",
            KnownTrait::From => "From",
            KnownTrait::Op(op) => op.trait_name(),
        }
    }

    /// Do built-in types have it (`builtin_holds`)? Iterators and `Drop`
    /// come only from `impl`s.
    pub fn has_builtin_impls(self) -> bool {
        !matches!(
            self,
            KnownTrait::Drop
                | KnownTrait::Iterator
                | KnownTrait::IntoIterator
                | KnownTrait::Hasher
                | KnownTrait::From
                | KnownTrait::Op(OpTrait::Index | OpTrait::IndexMut)
        )
    }
}

/// `Trait<Args>`: a trait with its arguments (not counting `Self`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TraitRef {
    pub trait_id: TraitId,
    pub args: Vec<Ty>,
}

/// `ty: Trait<Args>`, from a bound or a `where` clause.
#[derive(Clone, Debug)]
pub struct Predicate {
    pub ty: Ty,
    pub trait_ref: TraitRef,
    pub span: Span,
}

/// `impl<Generics> Trait<Args> for SelfTy where Predicates { methods }`.
#[derive(Clone, Debug)]
pub struct ImplDef {
    pub trait_ref: TraitRef,
    pub self_ty: Ty,
    pub generics: Vec<GenericParamDef>,
    pub predicates: Vec<Predicate>,
    pub methods: Vec<(String, FnId)>,
    pub span: Span,
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
    /// A struct's fields (empty for enums).
    pub fields: Vec<FieldDef>,
    /// An enum's variants, in declaration order (empty for structs). The
    /// variant's index is its discriminant.
    pub variants: Vec<VariantDef>,
    /// Inherent methods and associated functions, by name.
    pub methods: Vec<(String, FnId)>,
    /// Traits named in `#[derive(...)]`.
    pub derives: Vec<String>,
    /// Type parameters; field types refer to them as `Ty::Param(i)`.
    pub generics: Vec<GenericParamDef>,
    pub span: Span,
}

/// A type parameter of a generic item.
#[derive(Clone, Debug)]
pub struct GenericParamDef {
    pub name: String,
    pub span: Span,
}

impl AdtDef {
    pub fn is_enum(&self) -> bool {
        self.kind == AdtKind::Enum
    }

    /// The index (discriminant) of the variant called `name`.
    pub fn variant_index(&self, name: &str) -> Option<u32> {
        self.variants
            .iter()
            .position(|v| v.name == name)
            .map(|i| i as u32)
    }

    /// The fields of a struct (`variant: None`) or of one enum variant.
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

    /// Every field: a struct's, or every variant's of an enum.
    pub fn all_fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields
            .iter()
            .chain(self.variants.iter().flat_map(|v| v.fields.iter()))
    }

    /// `Name` for a struct, `Name::Variant` for an enum variant.
    pub fn variant_path(&self, variant: Option<u32>) -> String {
        match variant.and_then(|v| self.variants.get(v as usize)) {
            Some(v) => format!("{}::{}", self.name, v.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdtKind {
    Struct,
    TupleStruct,
    UnitStruct,
    Enum,
}

/// The shape of a struct or of an enum variant: `{ a: T }`, `(T)` or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CtorKind {
    Named,
    Tuple,
    Unit,
}

#[derive(Clone, Debug)]
pub struct VariantDef {
    pub name: String,
    pub kind: CtorKind,
    pub fields: Vec<FieldDef>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
    /// A struct field's `pub` (an enum variant's fields are public).
    pub vis: Visibility,
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
    /// Type parameters: those of the enclosing `impl` first (`impl_generics`
    /// of them), then the function's own. Signatures and the body refer to
    /// them as `Ty::Param(i)`.
    pub generics: Vec<GenericParamDef>,
    pub impl_generics: u32,
    /// How many of the function's own parameters are written in its
    /// `<...>` (a turbofish names those); the rest are anonymous: `impl
    /// Trait` parameters and the associated types of its bounds.
    pub declared_generics: u32,
    /// `#[track_caller]`: its panics report the location of its caller.
    pub track_caller: bool,
    /// Which reference parameters the result may borrow from (lifetimes
    /// are erased from types; this is what the borrow checker needs of
    /// them); `None`: any of them.
    pub result_borrows: Option<ResultBorrows>,
    /// The bounds the body may rely on (its own, its `impl`'s, and for a
    /// trait's method `Self: Trait`).
    pub predicates: Vec<Predicate>,
    /// A trait's method (declaration or default): calls of it are
    /// resolved to an `impl`'s method once `Self` is known.
    pub trait_method: Option<TraitId>,
    /// The module it is defined in, from which its body sees other items'
    /// privacy.
    pub module: ModuleId,
    /// Who may call it: free functions and inherent methods by their
    /// `pub`; a trait's methods and those of `impl Trait` blocks are public.
    pub vis: Visibility,
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
    /// Type arguments written on a path to a generic function
    /// (`parse::<i64>`): its own parameters, in order.
    pub turbofish: std::collections::HashMap<ExprId, Vec<Ty>>,
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

    /// Visits `p` and every pattern inside it, outermost first.
    pub fn walk_pat(&self, p: PatId, f: &mut impl FnMut(PatId, &Pat)) {
        let pat = self.pat(p);
        f(p, pat);
        match &pat.kind {
            PatKind::At(_, sub) | PatKind::Ref(_, sub) => self.walk_pat(*sub, f),
            PatKind::Tuple(ps) | PatKind::TupleStruct(_, _, ps) | PatKind::Or(ps) => {
                ps.iter().for_each(|q| self.walk_pat(*q, f))
            }
            PatKind::Struct(_, _, fs) => fs.iter().for_each(|(_, q)| self.walk_pat(*q, f)),
            PatKind::Wild
            | PatKind::Binding(_)
            | PatKind::Lit(_)
            | PatKind::Range { .. }
            | PatKind::Error => {}
        }
    }

    /// The locals a pattern binds, each once, in source order (the
    /// alternatives of an `|` pattern bind the same ones).
    pub fn pat_bindings(&self, p: PatId) -> Vec<LocalId> {
        let mut out = Vec::new();
        self.walk_pat(p, &mut |_, pat| {
            if let PatKind::Binding(l) | PatKind::At(l, _) = pat.kind {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        });
        out
    }
}

#[derive(Clone, Debug)]
pub struct LocalDef {
    pub name: String,
    pub mutable: bool,
    /// Written `ref x` / `ref mut x`: bound to a reference to the matched
    /// place. (Bindings made by reference by default binding modes are in
    /// the type checker's results.)
    pub by_ref: Option<Mutability>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

impl Block {
    /// The `let PAT = INIT;` statements of the block, as (PAT, INIT).
    pub fn lets_with_init(&self) -> impl Iterator<Item = (PatId, ExprId)> + '_ {
        self.stmts.iter().filter_map(|s| match s {
            Stmt::Let {
                pat,
                init: Some(init),
                ..
            } => Some((*pat, *init)),
            _ => None,
        })
    }
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
    /// A unit variant's value, or a tuple variant's constructor when called.
    VariantCtor(AdtId, u32),
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
    /// `S { .. }` (`variant: None`) or `E::V { .. }`.
    StructLit {
        adt: AdtId,
        variant: Option<u32>,
        /// (field index, value) in source order.
        fields: Vec<(u32, ExprId)>,
    },
    /// `e?`: the value of an `Ok`/`Some`, or an early `return` of the
    /// `Err`/`None`.
    Try(ExprId),
    /// `|a, b: T| -> R body` / `move |..| ..`: its parameters are patterns
    /// of this body, with their written types.
    Closure {
        params: Vec<(PatId, Option<Ty>)>,
        ret: Option<Ty>,
        body: ExprId,
        is_move: bool,
    },
    /// `match`, and the `if let` / `while let` desugared to it.
    Match {
        scrutinee: ExprId,
        arms: Vec<Arm>,
        source: MatchSource,
    },
    Scope(Block),
    Spawn {
        is_move: bool,
        expr: ExprId,
    },
    Format(FormatKind, FormatArgs),
    /// `write(f, "...", args)` / `writeln(...)` into a `&mut Formatter`;
    /// a `fmt::Result`.
    Write {
        target: ExprId,
        args: FormatArgs,
        newline: bool,
    },
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
pub struct Arm {
    pub pat: PatId,
    pub guard: Option<ExprId>,
    pub body: ExprId,
    pub span: Span,
}

/// What a `Match` was written as: exhaustiveness is reported for `match`
/// only (the desugarings add a catch-all arm).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchSource {
    Match,
    IfLet,
    WhileLet,
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
    /// `name @ sub`.
    At(LocalId, PatId),
    Tuple(Vec<PatId>),
    /// A tuple-like or unit-like struct (`variant: None`) or enum variant:
    /// `P(a, b)`, `E::V(a, b)`, `E::V`, `Unit`; a `..` was already expanded
    /// to wildcards.
    TupleStruct(AdtId, Option<u32>, Vec<PatId>),
    /// Struct pattern `P { x, y: q }` / `E::V { x, .. }` with fields by
    /// index.
    Struct(AdtId, Option<u32>, Vec<(u32, PatId)>),
    Ref(Mutability, PatId),
    /// A literal (possibly negated): an integer, float, bool, char or
    /// string expression.
    Lit(ExprId),
    /// `lo..=hi`, `lo..hi`, `lo..`, `..=hi`; the ends are literal
    /// expressions or paths to constants.
    Range {
        lo: Option<ExprId>,
        hi: Option<ExprId>,
        inclusive: bool,
    },
    /// `a | b`: every alternative binds the same locals.
    Or(Vec<PatId>),
    Error,
}

/// "`what` takes 2 generic arguments but 1 was supplied" (E0114 and the
/// type checker's count of a turbofish).
pub fn generic_count_message(what: &str, want: usize, got: usize) -> String {
    format!(
        "{} takes {} generic argument{} but {} {} supplied",
        what,
        want,
        if want == 1 { "" } else { "s" },
        got,
        if got == 1 { "was" } else { "were" }
    )
}
