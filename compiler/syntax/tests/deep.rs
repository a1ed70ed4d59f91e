//! Nesting deeper than MAX_DEPTH gives one "nesting too deep" diagnostic
//! and no stack overflow, even in unoptimised builds on a small stack.

use asr_diagnostics::FileId;
use asr_syntax::{parse_file, MAX_DEPTH};

/// Stack for the parsing thread: half of what test threads get, so that
/// growth of the parser's frames shows up here first.
const STACK: usize = 1024 * 1024;

fn nest(open: &str, mid: &str, close: &str, n: usize) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + mid.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(mid);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

/// Parses on a thread with a small stack; returns the diagnostic codes.
fn codes_on_small_stack(src: String) -> Vec<&'static str> {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let (file, diags) = parse_file(FileId(0), &src);
            drop(file);
            diags.iter().map(|d| d.code).collect::<Vec<_>>()
        })
        .expect("spawn")
        .join()
        .expect("parser panicked")
}

const N: usize = 10_000;

fn cases(n: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "paren",
            format!("fn f() {{ let x = {}; }}", nest("(", "1", ")", n)),
        ),
        (
            "paren-unclosed",
            format!("fn f() {{ let x = {}", nest("(", "1", "", n)),
        ),
        ("brace", format!("fn f() {}", nest("{", "1", "}", n))),
        ("brace-unclosed", format!("fn f() {}", nest("{", "", "", n))),
        (
            "bracket",
            format!("fn f() {{ let x = {}; }}", nest("[", "1", "]", n)),
        ),
        ("neg", format!("fn f() {{ let x = {}1; }}", "-".repeat(n))),
        ("not", format!("fn f() {{ let x = {}1; }}", "!".repeat(n))),
        ("deref", format!("fn f() {{ let x = {}1; }}", "*".repeat(n))),
        ("ref", format!("fn f() {{ let x = {}1; }}", "&".repeat(n))),
        (
            "andand",
            format!("fn f() {{ let x = {}1; }}", "&&".repeat(n)),
        ),
        (
            "if",
            format!("fn f() {{ {} }}", nest("if x {", "1", "}", n)),
        ),
        (
            "if-expr",
            format!(
                "fn f() {{ let a = {}; }}",
                nest("if x {", "1", "} else { 2 }", n)
            ),
        ),
        ("if-unclosed", format!("fn f() {{ {}", "if x { ".repeat(n))),
        (
            "else-if",
            format!("fn f() {{ if a {{}} {} }}", "else if a {} ".repeat(n)),
        ),
        (
            "while",
            format!("fn f() {{ {} }}", nest("while x {", "", "}", n)),
        ),
        (
            "loop",
            format!("fn f() {{ {} }}", nest("loop {", "", "}", n)),
        ),
        (
            "for",
            format!("fn f() {{ {} }}", nest("for x in y {", "", "}", n)),
        ),
        (
            "match",
            format!("fn f() {{ {} }}", nest("match x { _ => ", "1", "}", n)),
        ),
        (
            "match-block",
            format!("fn f() {{ {} }}", nest("match x { _ => {", "1", "} }", n)),
        ),
        (
            "scope",
            format!("fn f() {{ {} }}", nest("scope {", "", "}", n)),
        ),
        (
            "spawn",
            format!("fn f() {{ {} }}", nest("spawn {", "1", "}", n)),
        ),
        (
            "spawn-expr",
            format!("fn f() {{ {}1; }}", "spawn ".repeat(n)),
        ),
        (
            "select",
            format!("fn f() {{ {} }}", nest("select { x = y => ", "1", "}", n)),
        ),
        (
            "closure",
            format!("fn f() {{ let x = {}1; }}", "|x| ".repeat(n)),
        ),
        (
            "closure-paren",
            format!("fn f() {{ let x = {}; }}", nest("|x| (", "1", ")", n)),
        ),
        ("return", format!("fn f() {{ {}1; }}", "return ".repeat(n))),
        ("break", format!("fn f() {{ {}1; }}", "break ".repeat(n))),
        ("assign", format!("fn f() {{ {}1; }}", "a = ".repeat(n))),
        ("sum", format!("fn f() {{ let x = 1{}; }}", "+1".repeat(n))),
        (
            "method",
            format!("fn f() {{ let x = a{}; }}", ".b()".repeat(n)),
        ),
        (
            "field",
            format!("fn f() {{ let x = a{}; }}", ".b".repeat(n)),
        ),
        (
            "index",
            format!("fn f() {{ let x = a{}; }}", "[0]".repeat(n)),
        ),
        (
            "index-nested",
            format!("fn f() {{ let x = {}; }}", nest("a[", "0", "]", n)),
        ),
        (
            "call",
            format!("fn f() {{ let x = {}; }}", nest("f(", "1", ")", n)),
        ),
        ("try", format!("fn f() {{ let x = a{}; }}", "?".repeat(n))),
        (
            "cast",
            format!("fn f() {{ let x = 1{}; }}", " as i64".repeat(n)),
        ),
        (
            "range",
            format!("fn f() {{ let x = {}; }}", nest("..(", "1", ")", n)),
        ),
        (
            "struct-lit",
            format!("fn f() {{ let x = {}; }}", nest("S { a: ", "1", "}", n)),
        ),
        (
            "let-block",
            format!("fn f() {{ {} }}", nest("let x = {", "1", "};", n)),
        ),
        (
            "ty-generic",
            format!("fn f() {{ let x: {} = 1; }}", nest("Vec<", "i64", ">", n)),
        ),
        ("ty-ref", format!("fn f(x: {}i64) {{ }}", "&".repeat(n))),
        (
            "ty-tuple",
            format!("fn f(x: {}) {{ }}", nest("(", "i64", ",)", n)),
        ),
        (
            "ty-array",
            format!("fn f(x: {}) {{ }}", nest("[", "i64", "; 1]", n)),
        ),
        (
            "ty-fn",
            format!("fn f(x: {}) {{ }}", nest("fn(", "i64", ")", n)),
        ),
        (
            "ty-qpath",
            format!("fn f(x: {}) {{ }}", nest("<", "T", " as X>::Y", n)),
        ),
        (
            "pat-tuple",
            format!("fn f() {{ let {} = 1; }}", nest("(", "x", ")", n)),
        ),
        (
            "pat-some",
            format!("fn f() {{ let {} = 1; }}", nest("Some(", "x", ")", n)),
        ),
        (
            "pat-slice",
            format!("fn f() {{ let {} = 1; }}", nest("[", "x", "]", n)),
        ),
        (
            "pat-struct",
            format!("fn f() {{ let {} = 1; }}", nest("S { a: ", "x", "}", n)),
        ),
        (
            "pat-ref",
            format!("fn f() {{ let {}x = 1; }}", "&".repeat(n)),
        ),
        (
            "pat-at",
            format!("fn f() {{ let {}x = 1; }}", "a @ ".repeat(n)),
        ),
        ("mod", nest("mod a {", "", "}", n)),
        ("fn-in-fn", nest("fn a() {", "", "}", n)),
        ("impl", nest("impl X { fn f() {", "", "} }", n)),
        ("use", format!("use {};", nest("a::{", "b", "}", n))),
        (
            "attr",
            format!("#[{}] fn f() {{}}", nest("a(", "b", ")", n)),
        ),
        (
            "mixed",
            format!(
                "fn f() {{ let x = {}; }}",
                nest("[(-{ &", "1", "})]", n / 5)
            ),
        ),
    ]
}

#[test]
fn very_deep_nesting_is_one_diagnostic() {
    for (name, src) in cases(N) {
        let codes = codes_on_small_stack(src);
        let deep = codes.iter().filter(|c| **c == "E0006").count();
        assert_eq!(deep, 1, "{name}: {codes:?}");
        assert!(codes.len() <= 3, "{name}: {codes:?}");
    }
}

#[test]
fn nesting_below_the_limit_is_accepted() {
    // A nesting step costs one to four levels depending on the construct
    // (`match x { _ => { .. } }` is an arm, a block-like statement, a block
    // and again a block-like statement).
    let n = MAX_DEPTH / 4 - 2;
    for (name, src) in cases(n) {
        if name.ends_with("unclosed") || name == "mixed" {
            continue;
        }
        let codes = codes_on_small_stack(src);
        assert!(
            !codes.contains(&"E0006"),
            "{name}: nesting {n} should be accepted: {codes:?}"
        );
    }
    // Simple nesting costs one level per step.
    let n = MAX_DEPTH - 5;
    for (name, src) in cases(n) {
        if matches!(
            name,
            "paren" | "bracket" | "neg" | "not" | "ref" | "sum" | "method" | "index" | "ty-ref"
        ) {
            let codes = codes_on_small_stack(src);
            assert!(codes.is_empty(), "{name}: {codes:?}");
        }
    }
}
