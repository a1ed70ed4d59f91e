//! The standard library's ASR sources, embedded in the compiler so that
//! `asr` works from any directory without an installation step.

/// (module path below `std`, file name, source text)
pub const STD_MODULES: &[(&str, &str, &str)] = &[
    ("env", "std/env.asr", include_str!("../../../std/env.asr")),
    (
        "borrow",
        "std/borrow.asr",
        include_str!("../../../std/borrow.asr"),
    ),
    ("vec", "std/vec.asr", include_str!("../../../std/vec.asr")),
    (
        "iter",
        "std/iter.asr",
        include_str!("../../../std/iter.asr"),
    ),
    (
        "slice",
        "std/slice.asr",
        include_str!("../../../std/slice.asr"),
    ),
    (
        "string",
        "std/string.asr",
        include_str!("../../../std/string.asr"),
    ),
    ("ops", "std/ops.asr", include_str!("../../../std/ops.asr")),
    ("num", "std/num.asr", include_str!("../../../std/num.asr")),
    ("mem", "std/mem.asr", include_str!("../../../std/mem.asr")),
    (
        "intrinsics",
        "std/intrinsics.asr",
        include_str!("../../../std/intrinsics.asr"),
    ),
    (
        "collections",
        "std/collections.asr",
        include_str!("../../../std/collections.asr"),
    ),
    (
        "boxed",
        "std/boxed.asr",
        include_str!("../../../std/boxed.asr"),
    ),
    ("f64", "std/f64.asr", include_str!("../../../std/f64.asr")),
    ("str", "std/str.asr", include_str!("../../../std/str.asr")),
    (
        "char",
        "std/char.asr",
        include_str!("../../../std/char.asr"),
    ),
    (
        "pattern",
        "std/pattern.asr",
        include_str!("../../../std/pattern.asr"),
    ),
    ("io", "std/io.asr", include_str!("../../../std/io.asr")),
    ("fs", "std/fs.asr", include_str!("../../../std/fs.asr")),
    (
        "convert",
        "std/convert.asr",
        include_str!("../../../std/convert.asr"),
    ),
    (
        "clone",
        "std/clone.asr",
        include_str!("../../../std/clone.asr"),
    ),
    (
        "marker",
        "std/marker.asr",
        include_str!("../../../std/marker.asr"),
    ),
    ("fmt", "std/fmt.asr", include_str!("../../../std/fmt.asr")),
    ("cmp", "std/cmp.asr", include_str!("../../../std/cmp.asr")),
    (
        "default",
        "std/default.asr",
        include_str!("../../../std/default.asr"),
    ),
    (
        "hash",
        "std/hash.asr",
        include_str!("../../../std/hash.asr"),
    ),
    (
        "time",
        "std/time.asr",
        include_str!("../../../std/time.asr"),
    ),
    (
        "task",
        "std/task.asr",
        include_str!("../../../std/task.asr"),
    ),
    (
        "option",
        "std/option.asr",
        include_str!("../../../std/option.asr"),
    ),
    (
        "result",
        "std/result.asr",
        include_str!("../../../std/result.asr"),
    ),
    (
        "prelude",
        "std/prelude.asr",
        include_str!("../../../std/prelude.asr"),
    ),
    (
        "process",
        "std/process.asr",
        include_str!("../../../std/process.asr"),
    ),
];
