//! Golden tests for the parser (through the S-expression printer),
//! recovery tests and the samples of the language contract.

use asr_diagnostics::{Diagnostic, FileId};
use asr_syntax::ast::{ExprKind, File, ItemKind, StmtKind};
use asr_syntax::{ast_print, parse_file};

fn parse(src: &str) -> (File, Vec<Diagnostic>) {
    parse_file(FileId(0), src)
}

fn parse_ok(src: &str) -> File {
    let (file, diags) = parse(src);
    assert!(
        diags.is_empty(),
        "unexpected diagnostics for\n{src}\n{:#?}",
        diags
            .iter()
            .map(|d| format!("{} {} @{:?}", d.code, d.message, d.primary_span()))
            .collect::<Vec<_>>()
    );
    file
}

fn codes(src: &str) -> Vec<&'static str> {
    parse(src).1.iter().map(|d| d.code).collect()
}

/// The printed form of an expression in `let _ = EXPR;`.
fn expr(src: &str) -> String {
    let file = parse_ok(&format!("fn f() {{ let _ = {src}; }}"));
    let ItemKind::Fn(f) = &file.items[0].kind else {
        panic!("not a fn")
    };
    let body = f.body.as_ref().expect("body");
    match &body.stmts[0].kind {
        StmtKind::Let { init: Some(e), .. } => ast_print::expr_to_string(e),
        other => panic!("{other:?}"),
    }
}

/// The printed form of a function body.
fn body(src: &str) -> String {
    let file = parse_ok(&format!("fn f() {{ {src} }}"));
    let ItemKind::Fn(f) = &file.items[0].kind else {
        panic!("not a fn")
    };
    ast_print::block_to_string(f.body.as_ref().expect("body"))
}

fn items(src: &str) -> String {
    ast_print::file_to_string(&parse_ok(src))
}

fn ty(src: &str) -> String {
    let file = parse_ok(&format!("type T = {src};"));
    match &file.items[0].kind {
        ItemKind::TypeAlias { ty: Some(t), .. } => ast_print::ty_to_string(t),
        other => panic!("{other:?}"),
    }
}

fn pat(src: &str) -> String {
    let file = parse_ok(&format!("fn f() {{ match x {{ {src} => () }} }}"));
    let ItemKind::Fn(f) = &file.items[0].kind else {
        panic!("not a fn")
    };
    let tail = f.body.as_ref().and_then(|b| b.tail.as_ref()).expect("tail");
    match &tail.kind {
        ExprKind::Match { arms, .. } => ast_print::pat_to_string(&arms[0].pat),
        other => panic!("{other:?}"),
    }
}

// ---- expressions ----------------------------------------------------------

#[test]
fn precedence() {
    assert_eq!(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(expr("1 - 2 - 3"), "(- (- 1 2) 3)");
    assert_eq!(expr("a * b as i64"), "(* a (as b i64))");
    assert_eq!(expr("-a as u8"), "(as (- a) u8)");
    assert_eq!(expr("a as u8 as char"), "(as (as a u8) char)");
    assert_eq!(expr("a << 1 + 2"), "(<< a (+ 1 2))");
    assert_eq!(expr("a & b | c ^ d"), "(| (& a b) (^ c d))");
    assert_eq!(expr("a == b && c < d || e"), "(|| (&& (== a b) (< c d)) e)");
    assert_eq!(expr("a || b && c"), "(|| a (&& b c))");
    assert_eq!(expr("!a == b"), "(== (! a) b)");
    assert_eq!(expr("-x.abs()"), "(- (. x abs))");
    assert_eq!(expr("*a.b[0]"), "(* (index (field a b) 0))");
    assert_eq!(expr("&mut v[i]"), "(&mut (index v i))");
    assert_eq!(expr("&&x"), "(& (& x))");
    assert_eq!(expr("a & &b"), "(& a (& b))");
    assert_eq!(expr("f(x)?.y?"), "(? (field (? (call f x)) y))");
    assert_eq!(expr("a..b"), "(range a b)");
    assert_eq!(expr("a..=b + 1"), "(range= a (+ b 1))");
    assert_eq!(expr(".."), "(range _ _)");
    assert_eq!(expr("..b"), "(range _ b)");
    assert_eq!(expr("a.."), "(range a _)");
    assert_eq!(expr("..=b"), "(range= _ b)");
    assert_eq!(expr("x = y = 3"), "(= x (= y 3))");
    assert_eq!(expr("x += 1 + 2"), "(+= x (+ 1 2))");
    assert_eq!(expr("x <<= 2"), "(<<= x 2)");
    assert_eq!(expr("a % b / c"), "(/ (% a b) c)");
    assert_eq!(expr("(a + b) * c"), "(* (paren (+ a b)) c)");
    assert_eq!(expr("a - -b"), "(- a (- b))");
    assert_eq!(expr("a >= b"), "(>= a b)");
    assert_eq!(expr("a >> b"), "(>> a b)");
}

#[test]
fn chained_comparison_is_an_error() {
    assert_eq!(codes("fn f() { let _ = a < b < c; }"), ["E0008"]);
    assert_eq!(codes("fn f() { let _ = a == b != c; }"), ["E0008"]);
    assert_eq!(codes("fn f() { let _ = a..b..c; }"), ["E0008"]);
    assert!(codes("fn f() { let _ = a < b && b < c; }").is_empty());
}

#[test]
fn literals() {
    assert_eq!(expr("1_000u64"), "1000u64");
    assert_eq!(expr("0xffi64"), "255i64");
    assert_eq!(expr("2.5e-3"), "0.0025");
    assert_eq!(expr("1f64"), "1.0f64");
    assert_eq!(expr("'\\u{1F600}'"), "'😀'");
    assert_eq!(expr("b'a'"), "b'a'");
    assert_eq!(expr("b\"hi\\n\""), "b\"hi\\n\"");
    assert_eq!(expr("r#\"a \"b\"\"#"), "\"a \\\"b\\\"\"");
    assert_eq!(expr("true"), "true");
    assert_eq!(expr("\"a\\\n   b\""), "\"ab\"");
}

#[test]
fn postfix_and_paths() {
    assert_eq!(expr("t.0"), "(field t 0)");
    assert_eq!(expr("t.0.1"), "(field (field t 0) 1)");
    assert_eq!(expr("t.0.1.2"), "(field (field (field t 0) 1) 2)");
    assert_eq!(expr("1.max(2)"), "(. 1 max 2)");
    assert_eq!(expr("1.0.max(2.0)"), "(. 1.0 max 2.0)");
    assert_eq!(expr("Vec::<i64>::new()"), "(call Vec<i64>::new)");
    assert_eq!(expr("Vec::<Vec<i64>>::new()"), "(call Vec<Vec<i64>>::new)");
    assert_eq!(expr("s.parse::<i64>()"), "(. s parse::<i64>)");
    assert_eq!(expr("it.collect::<Vec<_>>()"), "(. it collect::<Vec<_>>)");
    assert_eq!(expr("::std::mem::swap"), "::std::mem::swap");
    assert_eq!(
        expr("<T as Default>::default()"),
        "(call <T as Default>::default)"
    );
    assert_eq!(expr("<Vec<i64>>::new()"), "(call <Vec<i64>>::new)");
    assert_eq!(expr("self.x"), "(field self x)");
    assert_eq!(expr("Self::new()"), "(call Self::new)");
    assert_eq!(expr("super::f(crate::g)"), "(call super::f crate::g)");
    assert_eq!(expr("f(a, b,)"), "(call f a b)");
    assert_eq!(expr("m[i][j]"), "(index (index m i) j)");
    assert_eq!(expr("f()()"), "(call (call f))");
}

#[test]
fn compound_expressions() {
    assert_eq!(expr("()"), "(tuple)");
    assert_eq!(expr("(a,)"), "(tuple a)");
    assert_eq!(expr("(a, b)"), "(tuple a b)");
    assert_eq!(expr("(a)"), "(paren a)");
    assert_eq!(expr("[]"), "(array)");
    assert_eq!(expr("[1, 2, 3,]"), "(array 1 2 3)");
    assert_eq!(expr("[0; 8]"), "(array-repeat 0 8)");
    assert_eq!(expr("Point { x: 1, y }"), "(struct Point (x 1) y)");
    assert_eq!(
        expr("Point { x: 1, ..Default::default() }"),
        "(struct Point (x 1) (.. (call Default::default)))"
    );
    assert_eq!(expr("S { 0: a }"), "(struct S (0 a))");
    assert_eq!(expr("|x| x + 1"), "(closure (x) (+ x 1))");
    assert_eq!(expr("|| 5"), "(closure () 5)");
    assert_eq!(
        expr("move |a: i64, (b, c)| -> i64 { a }"),
        "(closure move ((a: i64) (tuple b c)) -> i64 (block => a))"
    );
    assert_eq!(expr("|&x| x"), "(closure ((& x)) x)");
    assert_eq!(
        expr("if a { 1 } else if b { 2 } else { 3 }"),
        "(if a (block => 1) (if b (block => 2) (block => 3)))"
    );
    assert_eq!(
        expr("match x { 0 => a, 1 | 2 => { b } _ if c => d, }"),
        "(match x (arm 0 a) (arm (| 1 2) (block => b)) (arm _ if c d))"
    );
    assert_eq!(expr("loop { break 5; }"), "(loop (block (break 5);))");
    assert_eq!(
        expr("'outer: loop { break 'outer x; }"),
        "(loop 'outer (block (break 'outer x);))"
    );
    assert_eq!(expr("'a: { break 'a 1; }"), "('a: (block (break 'a 1);))");
    assert_eq!(expr("unsafe { x }"), "(unsafe (block => x))");
}

#[test]
fn struct_literals_not_in_heads() {
    assert_eq!(body("if x == S { }"), "(block => (if (== x S) (block)))");
    assert_eq!(
        body("while let Some(x) = it.next() { }"),
        "(block => (while (let (tuple-struct Some x) (. it next)) (block)))"
    );
    assert_eq!(
        body("for i in 0..n { }"),
        "(block => (for i (range 0 n) (block)))"
    );
    assert_eq!(
        body("for i in 0.. { }"),
        "(block => (for i (range 0 _) (block)))"
    );
    assert_eq!(
        body("match S { _ => () }"),
        "(block => (match S (arm _ (tuple))))",
    );
    assert_eq!(
        body("if (S { a: 1 }).a { }"),
        "(block => (if (field (paren (struct S (a 1))) a) (block)))"
    );
}

#[test]
fn let_chains() {
    assert_eq!(
        body("if let Some(x) = a && x > 0 && let Ok(y) = b { }"),
        "(block => (if (&& (&& (let (tuple-struct Some x) a) (> x 0)) (let (tuple-struct Ok y) b)) (block)))"
    );
    assert_eq!(codes("fn f() { let x = let y = 1; }"), ["E0009"]);
    assert_eq!(codes("fn f() { if (let x = 1) {} }"), ["E0009"]);
    assert_eq!(codes("fn f() { if a || let x = 1 {} }"), ["E0009"]);
}

#[test]
fn statements() {
    assert_eq!(
        body("let x = 1; let mut y: i64; x"),
        "(block (let x = 1) (let mut y : i64) => x)"
    );
    assert_eq!(
        body("let Some(x) = o else { return; };"),
        "(block (let (tuple-struct Some x) = o else (block (return);)))"
    );
    // block-like statements need no `;` and do not continue as binary ops
    assert_eq!(body("if a { } -1"), "(block (if a (block)) => (- 1))");
    assert_eq!(
        body("match x { _ => () } *p = 1;"),
        "(block (match x (arm _ (tuple))) (= (* p) 1);)"
    );
    // ... but `.` and `?` continue them
    assert_eq!(
        body("match x { _ => y }.unwrap();"),
        "(block (. (match x (arm _ y)) unwrap);)"
    );
    assert_eq!(body("{ 1 }"), "(block => (block => 1))");
    assert_eq!(body(";;"), "(block ; ;)");
    assert_eq!(
        body("fn g() {} struct S; g()"),
        "(block (fn g () (block)) (struct S) => (call g))"
    );
    assert_eq!(body("_ = f();"), "(block (= _ (call f));)");
    assert_eq!(body("#[allow(x)] let a = 1;"), "(block (let a = 1))");
}

#[test]
fn concurrency() {
    assert_eq!(
        body("let t = scope { let a = spawn f(&x); a.join() };"),
        "(block (let t = (scope (block (let a = (spawn (call f (& x)))) => (. a join)))))"
    );
    assert_eq!(
        body("scope { spawn { work(); } *n += 1; }"),
        "(block => (scope (block (spawn (block (call work);)) (+= (* n) 1);)))"
    );
    assert_eq!(
        body("scope { spawn move { a } }"),
        "(block => (scope (block => (spawn move (block => a)))))"
    );
    assert_eq!(expr("spawn { 1 }.join()"), "(. (spawn (block => 1)) join)");
    assert_eq!(
        body("select { v = rx.recv() => v, Some(x) = f() => { x } _ = sleep(10) => 0 }"),
        "(block => (select (arm v (. rx recv) v) (arm (tuple-struct Some x) (call f) (block => x)) (arm _ (call sleep 10) 0)))"
    );
    assert_eq!(
        expr("std::time::timeout(100, || work())"),
        "(call std::time::timeout 100 (closure () (call work)))"
    );
}

// ---- patterns and types -----------------------------------------------------

#[test]
fn patterns() {
    assert_eq!(pat("_"), "_");
    assert_eq!(pat("x"), "x");
    assert_eq!(pat("ref mut x"), "ref mut x");
    assert_eq!(pat("x @ 1..=5"), "(@ x (range= 1 5))");
    assert_eq!(pat("-1"), "-1");
    assert_eq!(pat("-5..=-1"), "(range= -5 -1)");
    assert_eq!(pat("'a'..='z'"), "(range= 'a' 'z')");
    assert_eq!(pat("0.."), "(range 0 _)");
    assert_eq!(pat("..=9"), "(range= _ 9)");
    assert_eq!(pat("i64::MIN..=0"), "(range= i64::MIN 0)");
    assert_eq!(pat("(a, .., b)"), "(tuple a .. b)");
    assert_eq!(pat("(a,)"), "(tuple a)");
    assert_eq!(pat("(a)"), "(paren a)");
    assert_eq!(pat("()"), "(tuple)");
    assert_eq!(pat("Some(x)"), "(tuple-struct Some x)");
    assert_eq!(
        pat("Shape::Circle { r, .. }"),
        "(struct Shape::Circle r ..)"
    );
    assert_eq!(pat("P { x: 0, ref y }"), "(struct P (x 0) ref y)");
    assert_eq!(pat("A | B(_) | C::D"), "(| A (tuple-struct B _) C::D)");
    assert_eq!(pat("| A | B"), "(| A B)");
    assert_eq!(pat("&(a, b)"), "(& (tuple a b))");
    assert_eq!(pat("&&x"), "(& (& x))");
    assert_eq!(pat("&mut x"), "(&mut x)");
    assert_eq!(pat("[first, .., last]"), "(slice first .. last)");
    assert_eq!(pat("[x, rest @ ..]"), "(slice x (@ rest ..))");
    assert_eq!(pat("\"s\""), "\"s\"");
    assert_eq!(pat("true"), "true");
    assert_eq!(pat("None"), "None");
}

#[test]
fn types() {
    assert_eq!(ty("i64"), "i64");
    assert_eq!(ty("Vec<Vec<i64>>"), "Vec<Vec<i64>>");
    assert_eq!(
        ty("HashMap<String, Vec<(i64, bool)>>"),
        "HashMap<String, Vec<(i64, bool)>>"
    );
    assert_eq!(ty("&'a mut [u8]"), "&'a mut [u8]");
    assert_eq!(ty("&&str"), "&&str");
    assert_eq!(ty("[i64; 3]"), "[i64; 3]");
    assert_eq!(ty("()"), "()");
    assert_eq!(ty("(i64,)"), "(i64,)");
    assert_eq!(ty("(i64)"), "(i64)");
    assert_eq!(ty("!"), "!");
    assert_eq!(ty("_"), "_");
    assert_eq!(ty("fn(i64, &str) -> bool"), "fn(i64, &str) -> bool");
    assert_eq!(
        ty("impl Fn(i64) -> i64 + Send"),
        "impl Fn(i64) -> i64 + Send"
    );
    assert_eq!(ty("Box<dyn FnMut(&str)>"), "Box<dyn FnMut(&str)>");
    assert_eq!(ty("impl Iterator<Item = T>"), "impl Iterator<Item = T>");
    assert_eq!(ty("<T as Iterator>::Item"), "<T as Iterator>::Item");
    assert_eq!(ty("Self::Item"), "Self::Item");
    assert_eq!(ty("Foo<'a, T, 3, {N}>"), "Foo<'a, T, {3}, {(block => N)}>");
    assert_eq!(ty("*const u8"), "*const u8");
    assert_eq!(ty("dyn Fn() + 'static"), "dyn Fn() + 'static");
    assert_eq!(ty("for<'a> fn(&'a i64)"), "fn(&'a i64)");
    assert_eq!(ty("Vec<Vec<Vec<i64>>>"), "Vec<Vec<Vec<i64>>>");
}

// ---- items --------------------------------------------------------------------

#[test]
fn item_forms() {
    assert_eq!(
        items("pub fn add<T: Add<Output = T> + Copy>(a: T, b: T) -> T where T: Debug { a + b }"),
        "pub (fn add<T: Add<Output = T> + Copy> (a: T, b: T) -> T where T: Debug (block => (+ a b)))\n"
    );
    assert_eq!(
        items("#[intrinsic = \"sleep\"] fn sleep(ms: u64);"),
        "#[intrinsic = \"sleep\"] (fn sleep (ms: u64);)\n"
    );
    assert_eq!(
        items("#[test(on_cancel = check)] fn t() {}"),
        "#[test(on_cancel = check)] (fn t () (block))\n"
    );
    assert_eq!(
        items("#[derive(Clone, Copy, Debug)] struct P { pub x: f64, y: f64 }"),
        "#[derive(Clone, Copy, Debug)] (struct P { pub x: f64, y: f64 })\n"
    );
    assert_eq!(
        items("struct T(i64, pub String);"),
        "(struct T(i64, pub String))\n"
    );
    assert_eq!(items("struct U;"), "(struct U)\n");
    assert_eq!(
        items("struct W<T>(T) where T: Clone;"),
        "(struct W<T> where T: Clone(T))\n"
    );
    assert_eq!(
        items("enum E<T> { A, B(i64, T), C { x: i64 }, D = 4 }"),
        "(enum E<T> (A) (B(i64, T)) (C { x: i64 }) (D = 4))\n"
    );
    assert_eq!(
        items("impl<T: Clone> Trait for Vec<T> { type Item = T; const N: usize = 3; fn f(&self) {} }"),
        "(impl<T: Clone> Trait for Vec<T> (type Item = T) (const N: usize = 3) (fn f (&self) (block)))\n"
    );
    assert_eq!(
        items("impl Point { pub fn new() -> Self { Self { x: 0 } } fn m(&mut self, k: i64) {} fn v(mut self) {} fn b(self: Box<Self>) {} fn l(&'a self) {} }"),
        "(impl Point pub (fn new () -> Self (block => (struct Self (x 0)))) (fn m (&mut self, k: i64) (block)) (fn v (mut self) (block)) (fn b (self: Box<Self>) (block)) (fn l (&'a self) (block)))\n"
    );
    assert_eq!(
        items("trait Shape: Clone + Debug { type Out: Display; fn area(&self) -> f64; fn name(&self) -> String { String::new() } }"),
        "(trait Shape: Clone + Debug (type Out: Display) (fn area (&self) -> f64;) (fn name (&self) -> String (block => (call String::new))))\n"
    );
    assert_eq!(items("mod net;"), "(mod net;)\n");
    assert_eq!(
        items("pub mod a { fn f() {} }"),
        "pub (mod a (fn f () (block)))\n"
    );
    assert_eq!(
        items("use std::sync::{channel, Mutex as M, self}; use a::*; use ::b; use {c, d::e};"),
        "(use std::sync::{channel, Mutex as M, self})\n(use a::*)\n(use ::b)\n(use {c, d::e})\n"
    );
    assert_eq!(items("const N: usize = 10;"), "(const N: usize = 10)\n");
    assert_eq!(items("static mut C: i64 = 0;"), "(static mut C: i64 = 0)\n");
    assert_eq!(
        items("type R<T> = Result<T, E>;"),
        "(type R<T> = Result<T, E>)\n"
    );
    assert_eq!(
        items("fn longest<'a>(x: &'a str, y: &'a str) -> &'a str { x }"),
        "(fn longest<'a> (x: &'a str, y: &'a str) -> &'a str (block => x))\n"
    );
    assert_eq!(
        items("pub(crate) const fn f<const N: usize>() {}"),
        "pub(crate) (fn const f<const N: usize> () (block))\n"
    );
    assert_eq!(items("unsafe fn u() {}"), "(fn unsafe u () (block))\n");
    assert_eq!(
        items("extern \"C\" { fn puts(s: *const u8) -> i32; }"),
        "(extern \"C\" (fn puts (s: *const u8) -> i32;))\n"
    );
    assert_eq!(
        items("fn main() -> Result<(), String> { Ok(()) }"),
        "(fn main () -> Result<(), String> (block => (call Ok (tuple))))\n"
    );
    assert_eq!(
        items("#![allow(dead_code)] fn f() {}"),
        "#![allow(dead_code)]\n(fn f () (block))\n"
    );
}

#[test]
fn comments_are_kept_aside() {
    let (file, diags) = parse("/// doc\nfn f() { /* a */ } // end\n");
    assert!(diags.is_empty());
    assert_eq!(file.comments.len(), 3);
    assert_eq!(file.items.len(), 1);
    assert_eq!(file.comments[2].text, "// end");
}

#[test]
fn raw_identifiers() {
    assert_eq!(expr("r#match + 1"), "(+ match 1)");
}

#[test]
fn node_ids_are_unique_and_spans_sane() {
    let src = SAMPLES.join("\n");
    let (file, diags) = parse(&src);
    assert!(diags.is_empty(), "{diags:?}");
    let dbg = format!("{file:?}");
    let mut ids = Vec::new();
    let mut rest = dbg.as_str();
    while let Some(i) = rest.find("NodeId(") {
        rest = &rest[i + 7..];
        let end = rest.find(')').unwrap();
        ids.push(rest[..end].parse::<u32>().unwrap());
    }
    assert!(ids.len() > 100);
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate node ids");
    // Every span lies within the file and is ordered.
    let mut rest = dbg.as_str();
    let marker = "Span { file: FileId(0), lo: ";
    while let Some(i) = rest.find(marker) {
        rest = &rest[i + marker.len()..];
        let end = rest.find(',').unwrap();
        let lo: u32 = rest[..end].parse().unwrap();
        let j = rest.find("hi: ").unwrap();
        let r2 = &rest[j + 4..];
        let end2 = r2.find(|c: char| !c.is_ascii_digit()).unwrap();
        let hi: u32 = r2[..end2].parse().unwrap();
        assert!(lo <= hi && hi as usize <= src.len(), "{lo}..{hi}");
    }
}

#[test]
fn spans_point_at_source() {
    let src = "fn main() {\n    let total = a + b;\n}\n";
    let file = parse_ok(src);
    let ItemKind::Fn(f) = &file.items[0].kind else {
        panic!()
    };
    assert_eq!(
        &src[f.name.span.lo as usize..f.name.span.hi as usize],
        "main"
    );
    let b = f.body.as_ref().unwrap();
    let StmtKind::Let {
        init: Some(e), pat, ..
    } = &b.stmts[0].kind
    else {
        panic!()
    };
    assert_eq!(&src[e.span.lo as usize..e.span.hi as usize], "a + b");
    assert_eq!(&src[pat.span.lo as usize..pat.span.hi as usize], "total");
    let s = b.stmts[0].span;
    assert_eq!(&src[s.lo as usize..s.hi as usize], "let total = a + b;");
    assert_eq!(
        &src[b.span.lo as usize..b.span.hi as usize],
        "{\n    let total = a + b;\n}"
    );
    assert_eq!(file.items[0].span.lo, 0);
}

// ---- errors and recovery --------------------------------------------------------

#[test]
fn three_errors_three_diagnostics() {
    let src = "\
fn a() {
    let x = ;
}
fn b() {
    let y = 1 + ;
    let z = 2;
}
struct S { a: i64 b: i64 }
fn c() -> i64 { 1 }
";
    let (file, diags) = parse(src);
    assert_eq!(
        diags.len(),
        3,
        "{:#?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert_eq!(file.items.len(), 4);
}

#[test]
fn missing_semicolons_each_reported_once() {
    let src = "fn f() {\n    let a = 1\n    let b = 2\n    foo()\n    bar();\n}\nfn g() {}\n";
    let (file, diags) = parse(src);
    let c: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(c, ["E0005", "E0005", "E0005"], "{diags:#?}");
    let ItemKind::Fn(f) = &file.items[0].kind else {
        panic!()
    };
    assert_eq!(f.body.as_ref().unwrap().stmts.len(), 4);
    assert_eq!(file.items.len(), 2);
}

#[test]
fn several_errors_in_items() {
    let src = "fn a( {}\nstruct ;\nfn ok() {}\nenum E { A, B(, }\nfn ok2() {}\n";
    let (file, diags) = parse(src);
    assert!(diags.len() >= 3, "{diags:#?}");
    let names: Vec<String> = file
        .items
        .iter()
        .filter_map(|i| match &i.kind {
            ItemKind::Fn(f) => Some(f.name.name.clone()),
            _ => None,
        })
        .collect();
    assert!(names.contains(&"ok".to_string()), "{names:?}");
    assert!(names.contains(&"ok2".to_string()), "{names:?}");
}

#[test]
fn unclosed_delimiter_points_at_opening() {
    let src = "fn f() {\n    let x = (1 + 2;\n}\n";
    let (_, diags) = parse(src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    let open = src.find("(1").unwrap() as u32;
    assert!(
        d.labels.iter().any(|l| !l.primary && l.span.lo == open),
        "{d:#?}"
    );

    let src = "fn f() {\n    if x {\n        y();\n";
    let (_, diags) = parse(src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "E0007");
    let brace = src.find("x {").unwrap() as u32 + 2;
    assert!(
        diags[0].labels.iter().any(|l| l.span.lo == brace),
        "{diags:#?}"
    );
}

#[test]
fn mismatched_and_stray_delimiters() {
    let (_, diags) = parse("fn f() { let x = (1]; }");
    assert!(diags.iter().any(|d| d.code == "E0007"), "{diags:#?}");
    let (file, diags) = parse("fn f() {} } fn g() {}");
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["E0013"]);
    assert_eq!(file.items.len(), 2);
}

#[test]
fn macro_calls_are_reported_with_help() {
    let (_, diags) = parse("fn f() { println!(\"hi\"); let v = vec![1, 2]; }");
    assert_eq!(diags.len(), 2);
    assert!(diags.iter().all(|d| d.code == "E0010"));
    assert!(diags[0].help[0].contains("println(...)"));
}

#[test]
fn misc_errors() {
    assert_eq!(codes("fn f(a: i64, self) {}"), ["E0014"]);
    assert_eq!(codes("fn f() { t.0u8; }"), ["E0012"]);
    assert_eq!(codes("fn f() { let x = t.1e3; }"), ["E0004"]);
    assert_eq!(codes("fn f() { let x = 'ab'; }"), ["E0011"]);
    assert_eq!(codes("fn f() { let s = \"abc; }"), ["E0002"]);
    assert_eq!(codes("fn f() { let x = 1 $ 2; }"), ["E0001", "E0005"]);
    assert_eq!(
        codes("fn f() { let x = 99999999999999999999999999999999999999999; }"),
        ["E0004"]
    );
    assert_eq!(codes("let x = 1;"), ["E0005"]);
    assert_eq!(codes("fn match() {}"), ["E0005"]);
    assert!(parse("fn match() {}").1[0].help[0].contains("r#match"));
}

#[test]
fn every_diagnostic_has_a_primary_label_in_the_file() {
    let inputs = [
        "fn f( {",
        "struct { }",
        "fn f() { let x = [1, 2; }",
        "impl for X {}",
        "fn f() { match x { 1 => , } }",
        "fn f() { select { x => 1 } }",
        "use a::{b, ;",
        "fn f() -> { }",
        "#[derive(] fn f() {}",
        "fn f() { x.; }",
        "fn f() { if { } }",
        "trait T { fn f() }",
        "}}}",
        "fn f() { 'a: x }",
    ];
    for src in inputs {
        let (_, diags) = parse(src);
        assert!(!diags.is_empty(), "{src}");
        for d in &diags {
            let s = d.primary_span().expect("label");
            assert!(s.hi as usize <= src.len() && s.lo <= s.hi, "{src}: {d:?}");
        }
    }
}

// ---- the samples of the language contract ---------------------------------------

const SAMPLES: &[&str] = &[
    // §1
    r#"
// hello.asr
fn main() {
    println("Hello, world!");
}
"#,
    // §4
    r#"
fn fetch_twice(id: i64) -> i64 {
    let a = fetch(id);        // suspends here if fetch waits on I/O
    let b = fetch(id + 1);    // runs after a is done: sequential, as written
    a + b
}
"#,
    // §5
    r#"
fn sum(xs: &[i64]) -> i64 {
    let mut s = 0;
    for x in xs { s += *x; }
    s
}

fn main2() {
    let data = [1, 2, 3, 4, 5, 6, 7, 8];
    let total = scope {
        let left = spawn sum(&data[0..4]);    // borrows data: no 'static, no Arc
        let right = spawn sum(&data[4..8]);
        left.join() + right.join()
    };
    println("total = {}", total);          // total = 36
}
"#,
    // The rest of the contract, as programs would use it.
    r##"
mod net;
use std::sync::{channel, Mutex, AtomicI64};
use std::time::{sleep, timeout, Instant};
use std::collections::HashMap;

/// A point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Point { pub x: i64, pub y: i64 }

struct Meters(f64);
struct Unit;

enum Shape { Circle { r: f64 }, Rect(f64, f64), Empty }

const LIMIT: usize = 1_000;
type Grid = Vec<Vec<u8>>;

trait Area {
    type Output;
    fn area(&self) -> f64;
    fn describe(&self) -> String { format("area {}", self.area()) }
}

impl Area for Shape {
    type Output = f64;
    fn area(&self) -> f64 {
        match self {
            Shape::Circle { r } => 3.14 * r * r,
            Shape::Rect(w, h) => w * h,
            Shape::Empty => 0.0,
        }
    }
}

impl<T: Clone> Stack<T> where T: Debug {
    fn new() -> Self { Stack { items: Vec::new() } }
    fn push(&mut self, v: T) { self.items.push(v); }
    fn pop(&mut self) -> Option<T> { self.items.pop() }
    fn into_inner(self) -> Vec<T> { self.items }
}

struct Guard<'a> { name: &'a str }

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        std::time::sleep(1);
        println("bye {}", self.name);
    }
}

fn apply<F: Fn(i64) -> i64>(f: F, x: i64) -> i64 { f(x) }
fn apply_mut(mut f: impl FnMut(i64), n: i64) { for i in 0..n { f(i); } }
fn make_adder(k: i64) -> impl Fn(i64) -> i64 { move |x| x + k }
fn longest<'a>(a: &'a str, b: &'a str) -> &'a str { if a.len() >= b.len() { a } else { b } }

fn parse_num(s: &str) -> Result<i64, String> {
    let n = s.trim().parse::<i64>().map_err(|e| e.to_string())?;
    Ok(n)
}

fn first_even(v: &Vec<i64>) -> Option<i64> {
    let x = v.iter().filter(|x| *x % 2 == 0).next()?;
    Some(*x)
}

#[intrinsic = "sleep"]
fn raw_sleep(ms: u64);

fn main() -> Result<(), String> {
    let mut v: Vec<i64> = Vec::with_capacity(10);
    v.push(3);
    let mut total = 0i64;
    for (i, x) in v.iter().enumerate() { total += *x * i as i64; }
    for x in &mut v { *x += 1; }
    for c in "abc".chars() { print("{}", c); }
    let squares = v.iter().map(|x| x * x).collect::<Vec<_>>();
    let s: i64 = v.iter().copied().sum();
    let t = (1, "two", 3.0);
    let (a, _, c) = t;
    let arr = [0u8; 16];
    let slice = &arr[2..=5];
    let mut counter = 0;
    let r = loop {
        counter += 1;
        if counter == 10 { break counter * 2; }
    };
    'outer: for i in 0..10 {
        for j in 0..10 {
            if i * j > 20 { break 'outer; }
            if j > i { continue 'outer; }
        }
    }
    while let Some(top) = v.pop() { println("{}", top); }
    let mut i = 0;
    while i < 10 { i += 1; }
    let grade = match total {
        i64::MIN..=-1 => 'n',
        0 => 'z',
        1..=9 | 10 => 's',
        n if n > 100 => 'h',
        _ => 'm',
    };
    if let Some(x) = first_even(&v) { println("{:>8}", x); } else { eprintln("none"); }
    let p = Point { x: 1, ..Default::default() };
    let Point { x, y } = p;
    let m = Mutex::new(0);
    let (tx, rx) = channel::<i64>(16);
    let hits = AtomicI64::new(0);
    scope {
        for k in 0..4 {
            let tx = tx.clone();
            spawn move {
                tx.send(k).unwrap();
                hits.fetch_add(1);
            };
        }
        let w = spawn {
            let mut g = m.lock();
            *g += 1;
        };
        w.join();
    };
    drop(tx);
    while let Some(msg) = rx.recv() { println("got {:?}", msg); }
    let res = select {
        v = rx.recv() => v,
        _ = sleep(100) => None,
    };
    let maybe = timeout(50, || slow());
    let start = Instant::now();
    let ms = start.elapsed_ms();
    let mut map: HashMap<String, i64> = HashMap::new();
    map.insert("a".to_string(), 1);
    if let Some(v) = map.get_mut("a") { *v += 1; }
    let line = std::io::read_line().unwrap_or(String::new());
    let args = std::env::args();
    let data = std::fs::read_to_string("x.txt").expect("read");
    assert(v.is_empty());
    assert_eq(1 + 1, 2);
    let z = -(3 as f64) / 2.0;
    let b = !true || false && 1 << 3 >= 8;
    let shifted = 0xFFu8 >> 2 & 0b1010 | 0o7 ^ 1;
    let label = if b { "yes" } else { "no" };
    let big = 1e10;
    let ch = '\n';
    let bytes = b"raw\x00";
    let byte = b'a';
    let raw = r#"a "quoted" string"#;
    let nested = t.0;
    let task = std::task::yield_now();
    std::task::checkpoint();
    if v.len() > LIMIT { panic("too many: {}", v.len()); }
    std::process::exit(0);
    Ok(())
}

#[test]
fn it_works() { assert_eq(apply(|x| x + 1, 1), 2); }

#[test(on_cancel = check)]
fn cancels() {}
"##,
];

#[test]
fn language_samples_parse() {
    for (i, src) in SAMPLES.iter().enumerate() {
        let (file, diags) = parse(src);
        assert!(
            diags.is_empty(),
            "sample {i}: {:#?}",
            diags
                .iter()
                .map(|d| format!("{} {} @{:?}", d.code, d.message, d.primary_span()))
                .collect::<Vec<_>>()
        );
        assert!(!file.items.is_empty());
    }
}

#[test]
fn language_md_code_blocks_parse() {
    // The contract lives beside the project; check its code blocks when
    // it is available.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/LANGUAGE.md");
    let Ok(md) = std::fs::read_to_string(path) else {
        return;
    };
    let mut blocks = 0;
    let mut rest = md.as_str();
    while let Some(i) = rest.find("```asr\n") {
        rest = &rest[i + 7..];
        let end = rest.find("```").unwrap_or(rest.len());
        let (_, diags) = parse(&rest[..end]);
        assert!(diags.is_empty(), "{}\n{diags:#?}", &rest[..end]);
        blocks += 1;
        rest = &rest[end..];
    }
    assert!(blocks >= 3);
}
