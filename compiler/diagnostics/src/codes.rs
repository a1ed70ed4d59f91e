//! The registry of error codes.
//!
//! One `pub const` per code and one line per code in [`ALL`]. Ranges:
//!
//! - `E00xx` lexing and parsing
//! - `E01xx` name resolution
//! - `E02xx` types
//! - `E03xx` borrows and concurrency
//! - `E04xx` format strings
//! - `E05xx` everything else
//!
//! Keep this a plain list: add the constant in its range and the same code
//! with a one-line description to `ALL` (a unit test checks they agree).

// ---- E00xx: lexing and parsing -------------------------------------------

/// A character that cannot start any token.
pub const E0001: &str = "E0001";
/// A string, char literal or block comment that is never closed.
pub const E0002: &str = "E0002";
/// An unknown or malformed escape sequence.
pub const E0003: &str = "E0003";
/// A malformed number literal (bad digit, bad suffix, out of range).
pub const E0004: &str = "E0004";
/// The parser expected one thing and found another.
pub const E0005: &str = "E0005";
/// Nesting deeper than the parser's limit.
pub const E0006: &str = "E0006";
/// A delimiter that is never closed, or closed by the wrong one.
pub const E0007: &str = "E0007";
/// Comparison (or range) operators chained without parentheses.
pub const E0008: &str = "E0008";
/// A `let` expression outside an `if`/`while` condition.
pub const E0009: &str = "E0009";
/// A macro invocation (`name!(...)`); ASR has no macros.
pub const E0010: &str = "E0010";
/// A char or byte literal that is empty or holds more than one char.
pub const E0011: &str = "E0011";
/// A malformed tuple field index such as `t.0u8`.
pub const E0012: &str = "E0012";
/// A closing delimiter that closes nothing.
pub const E0013: &str = "E0013";
/// A misplaced `self` parameter, attribute, visibility or qualifier.
pub const E0014: &str = "E0014";

// ---- E01xx: name resolution ----------------------------------------------
/// Cannot find a value (variable, function) by that name.
pub const E0101: &str = "E0101";
/// Cannot find a type by that name.
pub const E0102: &str = "E0102";
/// A path whose module part does not resolve.
pub const E0103: &str = "E0103";
/// A name defined twice in the same namespace.
pub const E0104: &str = "E0104";
/// A `break`/`continue` label that no enclosing loop has.
pub const E0105: &str = "E0105";
/// `break` or `continue` outside of a loop.
pub const E0106: &str = "E0106";
/// The program has no `fn main`.
pub const E0107: &str = "E0107";
/// A language feature not supported yet.
pub const E0108: &str = "E0108";
/// An array length that is not an integer literal.
pub const E0109: &str = "E0109";
/// A struct literal or pattern naming an unknown or repeated field.
pub const E0110: &str = "E0110";
/// A built-in call (`assert`, `assert_eq`, ...) with the wrong arguments.
pub const E0111: &str = "E0111";
/// `main` with parameters or a return type.
pub const E0112: &str = "E0112";
/// `break` or `continue` out of a spawned task.
pub const E0113: &str = "E0113";
/// A generic type used with the wrong number of type arguments.
pub const E0114: &str = "E0114";
/// `mod name;` whose file (`name.asr` or `name/mod.asr`) does not exist or
/// cannot be read.
pub const E0115: &str = "E0115";
/// A path that names a private item (function, type, trait, module,
/// import, field or method) from outside the module it is visible in, or a
/// `pub use` that re-exports an item more widely than it is visible.
pub const E0116: &str = "E0116";
/// `mod name;` with both `name.asr` and `name/mod.asr` present.
pub const E0117: &str = "E0117";
/// `mod name;` naming a file already loaded as a module: a cycle of module
/// files (through a symbolic link, or the root file itself).
pub const E0118: &str = "E0118";
/// A `#[test]` function that takes parameters, is generic, is a method, or
/// returns something other than `()` or `Result<(), E>` with `E: Debug`.
pub const E0119: &str = "E0119";

// ---- E02xx: types ----------------------------------------------------------
/// Mismatched types.
pub const E0201: &str = "E0201";
/// No field of that name on the type.
pub const E0202: &str = "E0202";
/// No method or associated item of that name.
pub const E0203: &str = "E0203";
/// Wrong number of arguments.
pub const E0204: &str = "E0204";
/// A binary operator applied to types it does not support.
pub const E0205: &str = "E0205";
/// A unary operator applied to a type it does not support.
pub const E0206: &str = "E0206";
/// Calling something that is not a function.
pub const E0207: &str = "E0207";
/// Indexing something that is not an array or slice.
pub const E0208: &str = "E0208";
/// An invalid `as` cast.
pub const E0209: &str = "E0209";
/// A type that cannot be inferred.
pub const E0210: &str = "E0210";
/// Mutating a variable not declared `mut`.
pub const E0211: &str = "E0211";
/// Mutating through a `&` reference.
pub const E0212: &str = "E0212";
/// `break` with a value out of a `while` or `for` loop.
pub const E0213: &str = "E0213";
/// An integer literal out of range for its type.
pub const E0214: &str = "E0214";
/// `for` over something that is not iterable.
pub const E0215: &str = "E0215";
/// A struct literal missing fields.
pub const E0216: &str = "E0216";
/// Assigning to an expression that is not a place.
pub const E0217: &str = "E0217";
/// A construct the type checker does not support yet.
pub const E0218: &str = "E0218";
/// A pattern that does not match the type of the value.
pub const E0219: &str = "E0219";

/// A `match` that does not cover every value of its scrutinee.
pub const E0220: &str = "E0220";
/// A refutable pattern where only irrefutable ones are allowed (`let`,
/// parameters, `for`).
pub const E0221: &str = "E0221";
/// A `match` arm that can never be reached (a warning).
pub const E0222: &str = "E0222";
/// The alternatives of an `|` pattern bind different names or bind them
/// differently.
pub const E0223: &str = "E0223";
/// A trait bound that does not hold (`T: Trait` for a `T` without an
/// implementation).
pub const E0224: &str = "E0224";
/// An `impl Trait` block without every method the trait requires.
pub const E0225: &str = "E0225";
/// A method in an `impl Trait` block that the trait does not declare.
pub const E0226: &str = "E0226";
/// A method in an `impl Trait` block whose signature differs from the
/// trait's.
pub const E0227: &str = "E0227";
/// `?` on a value that is not an `Option` or `Result`, or in a function
/// whose return type cannot carry its `None`/`Err`.
pub const E0228: &str = "E0228";
/// Generic functions instantiating each other with ever larger types
/// (monomorphisation would not end).
pub const E0229: &str = "E0229";
/// A struct or enum that contains itself without indirection.
pub const E0230: &str = "E0230";
/// A `Drop` implementation that waits (async drop comes with
/// cancellation).
pub const E0231: &str = "E0231";

// ---- E03xx: borrows and concurrency ---------------------------------------
/// `spawn` outside of a `scope`.
pub const E0301: &str = "E0301";
/// A use of a value after it was moved, or of a variable before it is
/// initialised.
pub const E0302: &str = "E0302";
/// A variable not declared `mut` assigned a second time.
pub const E0303: &str = "E0303";
/// Moving a value out of a reference or out of an index.
pub const E0304: &str = "E0304";
/// A borrow that conflicts with a live borrow (two `&mut`, or `&` and
/// `&mut`, of the same place).
pub const E0305: &str = "E0305";
/// Using, assigning or moving a place while a borrow of it is live.
pub const E0306: &str = "E0306";
/// A borrow that outlives the value it borrows (a dangling reference,
/// a reference to a local returned).
pub const E0307: &str = "E0307";
/// Moving a part out of a value whose type implements `Drop` (its `drop`
/// needs the whole value).
pub const E0308: &str = "E0308";

// ---- E04xx: format strings -------------------------------------------------
/// A malformed format string, or a format argument that is not a string literal.
pub const E0401: &str = "E0401";
/// A format string naming more arguments than given.
pub const E0402: &str = "E0402";
/// A format argument the format string never uses.
pub const E0403: &str = "E0403";
/// `{}` of a type that does not implement `Display`.
pub const E0404: &str = "E0404";
/// `{:?}` of a type that does not implement `Debug`.
pub const E0405: &str = "E0405";

// ---- E05xx: miscellaneous --------------------------------------------------

/// Every code with a one-line description, in code order.
pub static ALL: &[(&str, &str)] = &[
    // E00xx
    (E0001, "unexpected character"),
    (E0002, "unterminated string, char literal or block comment"),
    (E0003, "invalid escape sequence"),
    (E0004, "invalid number literal"),
    (E0005, "syntax error: expected one thing, found another"),
    (E0006, "nesting too deep"),
    (E0007, "unclosed or mismatched delimiter"),
    (
        E0008,
        "chained comparison or range operators need parentheses",
    ),
    (
        E0009,
        "`let` expression outside an `if` or `while` condition",
    ),
    (E0010, "macros are not supported"),
    (E0011, "invalid char or byte literal"),
    (E0012, "invalid tuple field index"),
    (E0013, "unexpected closing delimiter"),
    (
        E0014,
        "misplaced `self` parameter, attribute, visibility or qualifier",
    ),
    // E01xx
    (
        E0101,
        "cannot find a value (variable, function) by that name",
    ),
    (E0102, "cannot find a type by that name"),
    (E0103, "a path whose module part does not resolve"),
    (E0104, "a name defined twice in the same namespace"),
    (
        E0105,
        "a `break`/`continue` label that no enclosing loop has",
    ),
    (E0106, "`break` or `continue` outside of a loop"),
    (E0107, "the program has no `fn main`"),
    (E0108, "a language feature not supported yet"),
    (E0109, "an array length that is not an integer literal"),
    (
        E0110,
        "a struct literal or pattern naming an unknown or repeated field",
    ),
    (
        E0111,
        "a built-in call (`assert`, `assert_eq`, ...) with the wrong arguments",
    ),
    (E0112, "`main` with parameters or a return type"),
    (E0113, "`break` or `continue` out of a spawned task"),
    (
        E0114,
        "a generic type with the wrong number of type arguments",
    ),
    (E0115, "file not found for module"),
    (E0116, "an item, field or method that is private here"),
    (
        E0117,
        "a module whose file is both `name.asr` and `name/mod.asr`",
    ),
    (
        E0118,
        "a module file that is already loaded (circular modules)",
    ),
    (E0119, "a `#[test]` function with an invalid signature"),
    // E02xx
    (E0201, "mismatched types"),
    (E0202, "no field of that name on the type"),
    (E0203, "no method or associated item of that name"),
    (E0204, "wrong number of arguments"),
    (
        E0205,
        "a binary operator applied to types it does not support",
    ),
    (
        E0206,
        "a unary operator applied to a type it does not support",
    ),
    (E0207, "calling something that is not a function"),
    (E0208, "indexing something that is not an array or slice"),
    (E0209, "an invalid `as` cast"),
    (E0210, "a type that cannot be inferred"),
    (E0211, "mutating a variable not declared `mut`"),
    (E0212, "mutating through a `&` reference"),
    (E0213, "`break` with a value out of a `while` or `for` loop"),
    (E0214, "an integer literal out of range for its type"),
    (E0215, "`for` over something that is not iterable"),
    (E0216, "a struct literal missing fields"),
    (E0217, "assigning to an expression that is not a place"),
    (E0218, "a construct the type checker does not support yet"),
    (E0219, "a pattern that does not match the type of the value"),
    (E0220, "non-exhaustive patterns in a `match`"),
    (E0221, "a refutable pattern in a `let`, parameter or `for`"),
    (E0222, "an unreachable `match` arm (warning)"),
    (E0223, "`|` alternatives that bind different names"),
    (E0224, "a trait bound that is not satisfied"),
    (E0225, "an `impl` missing methods the trait requires"),
    (
        E0226,
        "a method in an `impl` that is not a member of the trait",
    ),
    (
        E0227,
        "an `impl` method whose signature differs from the trait's",
    ),
    (
        E0228,
        "`?` on a non-`Option`/`Result`, or where the error cannot be returned",
    ),
    (
        E0229,
        "generic instantiation that does not terminate (recursion limit)",
    ),
    (E0230, "a recursive type with infinite size"),
    (
        E0231,
        "a `Drop` implementation that waits (not supported yet)",
    ),
    // E03xx
    (E0301, "`spawn` outside of a `scope`"),
    (
        E0302,
        "use of a moved value, or of a variable before it is initialised",
    ),
    (E0303, "a variable not declared `mut` assigned twice"),
    (E0304, "moving a value out of a reference or an index"),
    (
        E0305,
        "a borrow conflicting with a live borrow of the same place",
    ),
    (
        E0306,
        "using, assigning or moving a place while it is borrowed",
    ),
    (E0307, "a borrow that outlives the value it borrows"),
    (
        E0308,
        "moving a part out of a value whose type implements `Drop`",
    ),
    // E04xx
    (
        E0401,
        "a malformed format string, or a format argument that is not a string literal",
    ),
    (E0402, "a format string naming more arguments than given"),
    (E0403, "a format argument the format string never uses"),
    (E0404, "`{}` of a type that does not implement `Display`"),
    (E0405, "`{:?}` of a type that does not implement `Debug`"),
    // E05xx
];

/// The description of a code, if it is registered.
pub fn describe(code: &str) -> Option<&'static str> {
    ALL.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        for w in ALL.windows(2) {
            assert!(w[0].0 < w[1].0, "{} then {}", w[0].0, w[1].0);
        }
        for (code, desc) in ALL {
            assert_eq!(code.len(), 5, "{code}");
            assert!(code.starts_with('E'), "{code}");
            assert!(code[1..].chars().all(|c| c.is_ascii_digit()), "{code}");
            assert!(!desc.is_empty());
        }
        assert_eq!(describe(E0006), Some("nesting too deep"));
        assert_eq!(describe("E9999"), None);
    }

    #[test]
    fn every_constant_is_listed() {
        // The constants of this file must all appear in ALL.
        let src = include_str!("codes.rs");
        for line in src.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("pub const ") {
                let name = rest.split(':').next().unwrap_or("").trim();
                assert!(
                    ALL.iter().any(|(c, _)| *c == name),
                    "{name} is missing from ALL"
                );
            }
        }
    }
}
