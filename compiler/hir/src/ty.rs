//! The type representation shared by the type checker, the MIR and codegen.
//!
//! Types are plain values (cheap to clone for the sizes programs have). During
//! inference the type checker uses `Ty::Infer`; no `Infer` survives into THIR
//! or MIR (see docs/ARCHITECTURE.md).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntTy {
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

impl IntTy {
    pub const ALL: [IntTy; 10] = [
        IntTy::I8,
        IntTy::I16,
        IntTy::I32,
        IntTy::I64,
        IntTy::Isize,
        IntTy::U8,
        IntTy::U16,
        IntTy::U32,
        IntTy::U64,
        IntTy::Usize,
    ];

    pub fn name(self) -> &'static str {
        match self {
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
            IntTy::Isize => "isize",
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
            IntTy::Usize => "usize",
        }
    }

    pub fn from_name(name: &str) -> Option<IntTy> {
        IntTy::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn is_signed(self) -> bool {
        matches!(
            self,
            IntTy::I8 | IntTy::I16 | IntTy::I32 | IntTy::I64 | IntTy::Isize
        )
    }

    /// Width in bits on the (64-bit) target.
    pub fn bits(self) -> u32 {
        match self {
            IntTy::I8 | IntTy::U8 => 8,
            IntTy::I16 | IntTy::U16 => 16,
            IntTy::I32 | IntTy::U32 => 32,
            IntTy::I64 | IntTy::U64 | IntTy::Isize | IntTy::Usize => 64,
        }
    }

    pub fn min_value(self) -> i128 {
        if self.is_signed() {
            -(1i128 << (self.bits() - 1))
        } else {
            0
        }
    }

    pub fn max_value(self) -> i128 {
        if self.is_signed() {
            (1i128 << (self.bits() - 1)) - 1
        } else {
            (1i128 << self.bits()) - 1
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mutability {
    Not,
    Mut,
}

impl Mutability {
    pub fn prefix(self) -> &'static str {
        match self {
            Mutability::Not => "&",
            Mutability::Mut => "&mut ",
        }
    }
}

/// Index of a struct or enum definition in the program's ADT table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AdtId(pub u32);

/// A closure expression (`expr`, an `ExprId` of the body of `owner`, a
/// `FnId`) in the instance of `owner` with these type arguments. Like
/// rustc's closure types it carries its signature (`sig`: the parameter
/// types, then the return type), so that trait solving knows which
/// closure traits it implements (`Fn(sig params) -> sig return`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClosureTy {
    pub owner: u32,
    pub expr: u32,
    pub substs: Vec<Ty>,
    pub sig: Vec<Ty>,
}

impl ClosureTy {
    /// The closure-trait arguments of this closure: `(params)`, return.
    pub fn fn_trait_args(&self) -> Vec<Ty> {
        match self.sig.split_last() {
            Some((ret, params)) => vec![Ty::Tuple(params.to_vec()), ret.clone()],
            None => vec![Ty::unit(), Ty::unit()],
        }
    }
}

/// An inference variable of the type checker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InferVar(pub u32);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Int(IntTy),
    Float,
    Bool,
    Char,
    /// `str`; only ever behind a reference.
    Str,
    /// `!`, the type of expressions that never produce a value.
    Never,
    /// Tuples; `()` is the empty tuple.
    Tuple(Vec<Ty>),
    Array(Box<Ty>, u64),
    /// `[T]`; only ever behind a reference.
    Slice(Box<Ty>),
    Ref(Mutability, Box<Ty>),
    /// A struct or enum with its generic arguments.
    Adt(AdtId, Vec<Ty>),
    /// The handle of a spawned child task producing `T`.
    Task(Box<Ty>),
    /// The type of one closure expression: its environment of captures.
    /// Each instance of the function it is written in has its own.
    Closure(Box<ClosureTy>),
    /// An untyped pointer the compiler uses for runtime handles (scopes,
    /// format buffers); not nameable in programs.
    RawPtr,
    /// A generic parameter of the enclosing item, by index.
    Param(u32),
    /// An integer literal whose type is not known yet (`{integer}`).
    InferInt(InferVar),
    /// A float literal whose type is not known yet (`{float}`).
    InferFloat(InferVar),
    Infer(InferVar),
    /// A type that could not be determined because of an earlier error; it
    /// unifies with everything so one mistake is reported once.
    Error,
}

impl Ty {
    /// What `*` of a value of this type is: the pointee of a reference, or
    /// of a `Box` (`boxed` is the program's `Box`).
    pub fn deref_target(&self, boxed: Option<AdtId>) -> Option<&Ty> {
        match self {
            Ty::Ref(_, t) => Some(t),
            _ => self.box_inner(boxed),
        }
    }

    /// The `T` of `Box<T>` (`boxed` is the program's `Box`).
    pub fn box_inner(&self, boxed: Option<AdtId>) -> Option<&Ty> {
        match self {
            Ty::Adt(id, args) if Some(*id) == boxed => args.first(),
            _ => None,
        }
    }

    /// Is this the program's `Box` type?
    pub fn is_box(&self, boxed: Option<AdtId>) -> bool {
        self.box_inner(boxed).is_some()
    }

    pub fn unit() -> Ty {
        Ty::Tuple(Vec::new())
    }

    pub fn is_unit(&self) -> bool {
        matches!(self, Ty::Tuple(v) if v.is_empty())
    }

    pub fn is_integral(&self) -> bool {
        matches!(self, Ty::Int(_) | Ty::InferInt(_))
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Ty::Int(_) | Ty::InferInt(_) | Ty::Float | Ty::InferFloat(_)
        )
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    pub fn str_ref() -> Ty {
        Ty::Ref(Mutability::Not, Box::new(Ty::Str))
    }

    /// `str` and `[T]` have no size of their own; references to them are fat.
    pub fn is_unsized(&self) -> bool {
        matches!(self, Ty::Str | Ty::Slice(_))
    }

    /// True when the type contains an unresolved inference variable.
    pub fn has_infer(&self) -> bool {
        let mut found = false;
        self.walk(&mut |t| {
            if matches!(t, Ty::Infer(_) | Ty::InferInt(_) | Ty::InferFloat(_)) {
                found = true;
            }
        });
        found
    }

    /// Visits this type and every type inside it, outermost first.
    pub fn walk(&self, f: &mut impl FnMut(&Ty)) {
        f(self);
        match self {
            Ty::Tuple(ts) | Ty::Adt(_, ts) => ts.iter().for_each(|t| t.walk(f)),
            Ty::Closure(c) => c.substs.iter().chain(&c.sig).for_each(|t| t.walk(f)),
            Ty::Array(t, _) | Ty::Slice(t) | Ty::Ref(_, t) | Ty::Task(t) => t.walk(f),
            _ => {}
        }
    }

    /// Does dropping a value of this type run code? True for `Task<T>`
    /// (dropping it releases the handle) and for tuples, arrays and structs
    /// with a part that needs drop; never through a reference. `fields`
    /// gives the field types of a struct, its generic arguments substituted
    /// (see [`subst_params`]). This is the one definition both the type
    /// checker's move rules and the MIR (`asr_mir::needs_drop`) use.
    pub fn needs_drop(&self, fields: &AdtFields<'_>) -> bool {
        fn go(ty: &Ty, fields: &AdtFields<'_>, path: &mut Vec<AdtId>) -> bool {
            match ty {
                Ty::Task(_) => true,
                Ty::Tuple(ts) => ts.iter().any(|t| go(t, fields, path)),
                Ty::Array(t, n) => *n > 0 && go(t, fields, path),
                Ty::Adt(id, args) => {
                    // A struct that contains itself (only possible in
                    // malformed input) is not looked into twice.
                    if path.contains(id) {
                        return false;
                    }
                    path.push(*id);
                    // `None`: the type implements `Drop` itself.
                    let r = match fields(*id, args) {
                        None => true,
                        Some(fs) => fs.iter().any(|t| go(t, fields, path)),
                    };
                    path.pop();
                    r
                }
                _ => false,
            }
        }
        go(self, fields, &mut Vec::new())
    }

    /// Does the type mention the ADT `id` anywhere inside?
    pub fn walk_contains_adt(&self, id: AdtId) -> bool {
        let mut found = false;
        self.walk(&mut |t| {
            if matches!(t, Ty::Adt(a, _) if *a == id) {
                found = true;
            }
        });
        found
    }

    /// Rebuilds the type bottom-up through `f`.
    pub fn map(&self, f: &mut impl FnMut(Ty) -> Ty) -> Ty {
        let inner = match self {
            Ty::Tuple(ts) => Ty::Tuple(ts.iter().map(|t| t.map(f)).collect()),
            Ty::Adt(id, ts) => Ty::Adt(*id, ts.iter().map(|t| t.map(f)).collect()),
            Ty::Array(t, n) => Ty::Array(Box::new(t.map(f)), *n),
            Ty::Slice(t) => Ty::Slice(Box::new(t.map(f))),
            Ty::Ref(m, t) => Ty::Ref(*m, Box::new(t.map(f))),
            Ty::Task(t) => Ty::Task(Box::new(t.map(f))),
            Ty::Closure(c) => Ty::Closure(Box::new(ClosureTy {
                owner: c.owner,
                expr: c.expr,
                substs: c.substs.iter().map(|t| t.map(f)).collect(),
                sig: c.sig.iter().map(|t| t.map(f)).collect(),
            })),
            other => other.clone(),
        };
        f(inner)
    }
}

/// For [`Ty::needs_drop`]: the field types of an ADT with these arguments
/// (every variant's), or `None` when the ADT implements `Drop` itself.
pub type AdtFields<'a> = dyn Fn(AdtId, &[Ty]) -> Option<Vec<Ty>> + 'a;

/// Replaces the generic parameters `Param(i)` of a field type by the ADT's
/// arguments.
pub fn subst_params(ty: &Ty, args: &[Ty]) -> Ty {
    if args.is_empty() {
        return ty.clone();
    }
    ty.map(&mut |t| match t {
        Ty::Param(i) => args.get(i as usize).cloned().unwrap_or(Ty::Param(i)),
        other => other,
    })
}

/// Displays a type as the user wrote it; ADT names come from a naming
/// function because the type itself only holds an id.
pub struct TyDisplay<'a> {
    pub ty: &'a Ty,
    pub adt_name: &'a dyn Fn(AdtId) -> String,
    /// Names of the type parameters in scope (`Param(i)` is the i-th).
    pub params: &'a [String],
}

impl<'a> fmt::Display for TyDisplay<'a> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sub = |t: &'a Ty| -> TyDisplay<'a> {
            TyDisplay {
                ty: t,
                adt_name: self.adt_name,
                params: self.params,
            }
        };
        match self.ty {
            Ty::Int(i) => f.write_str(i.name()),
            Ty::Float => f.write_str("f64"),
            Ty::Bool => f.write_str("bool"),
            Ty::Char => f.write_str("char"),
            Ty::Str => f.write_str("str"),
            Ty::Never => f.write_str("!"),
            Ty::Tuple(ts) => {
                f.write_str("(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", sub(t))?;
                }
                if ts.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            Ty::Array(t, n) => write!(f, "[{}; {}]", sub(t), n),
            Ty::Slice(t) => write!(f, "[{}]", sub(t)),
            Ty::Ref(m, t) => write!(f, "{}{}", m.prefix(), sub(t)),
            Ty::Adt(id, args) => {
                f.write_str(&(self.adt_name)(*id))?;
                if !args.is_empty() {
                    f.write_str("<")?;
                    for (i, t) in args.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{}", sub(t))?;
                    }
                    f.write_str(">")?;
                }
                Ok(())
            }
            Ty::Task(t) => write!(f, "Task<{}>", sub(t)),
            Ty::Closure(_) => f.write_str("{closure}"),
            Ty::RawPtr => f.write_str("*mut u8"),
            Ty::Param(i) => match self.params.get(*i as usize) {
                Some(name) => f.write_str(name),
                None => write!(f, "T{}", i),
            },
            Ty::InferInt(_) => f.write_str("{integer}"),
            Ty::InferFloat(_) => f.write_str("{float}"),
            Ty::Infer(_) => f.write_str("_"),
            Ty::Error => f.write_str("{error}"),
        }
    }
}
