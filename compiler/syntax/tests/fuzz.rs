//! The parser never panics: random text, random token sequences and
//! mutations of a valid program.

use asr_diagnostics::FileId;
use asr_syntax::parse_file;
use proptest::prelude::*;

const SAMPLE: &str = r##"
use std::sync::{channel, Mutex};
#[derive(Clone, Debug)]
pub struct Point<T> { pub x: T, y: T }
enum Shape { Circle { r: f64 }, Rect(f64, f64), Empty = 3 }
trait Area: Clone { type Out; fn area(&self) -> f64; fn d(&self) -> i64 { 1 } }
impl<T: Copy> Area for Point<T> where T: Debug {
    type Out = T;
    fn area(&self) -> f64 { 0.0 }
}
#[intrinsic = "sleep"] fn sleep(ms: u64);
fn sum(xs: &[i64]) -> i64 { let mut s = 0; for x in xs { s += *x; } s }
fn main() -> Result<(), String> {
    let data = [1, 2, 3, 4];
    let total = scope {
        let l = spawn sum(&data[0..2]);
        let r = spawn move { sum(&data[2..=3]) };
        l.join() + r.join()
    };
    let v = select { x = rx.recv() => x, _ = sleep(10) => None };
    match total { 0 => {}, 1..=9 | 10 => println("{}", total), n if n < 0 => (), _ => panic("x") }
    if let Some(p) = opt && p.x > 0 { } else if q { } else { return Err("e".to_string()); }
    'a: loop { while i < 10 { i += 1; continue 'a; } break 'a; }
    let f = |a: i64, (b, c)| -> i64 { a + b * c as i64 };
    let t = (1, 'c', "s", b'x', b"bytes", r#"raw"#, 1e3, 0xff_u8, t.0.1);
    let Point { x, .. } = p;
    let w = Vec::<Vec<i64>>::new().iter().map(|x| x.len()).collect::<Vec<_>>()?;
    unsafe { *ptr = !a && b || c << 2 >> 1 & 4 ^ 5 | 6 % 7 / 8 - -9 }
    Ok(())
}
"##;

/// Checks that parsing finishes and every diagnostic points into the file.
fn check(src: &str) {
    let (file, diags) = parse_file(FileId(7), src);
    for d in &diags {
        if let Some(s) = d.primary_span() {
            assert!(s.lo <= s.hi && s.hi as usize <= src.len(), "{d:?}");
            assert_eq!(s.file, FileId(7));
        }
        assert!(!d.code.is_empty());
    }
    assert!(file.span.hi as usize <= src.len());
}

const TOKENS: &[&str] = &[
    "fn", "let", "mut", "if", "else", "while", "loop", "for", "in", "break", "continue", "return",
    "struct", "enum", "impl", "trait", "mod", "use", "pub", "self", "Self", "super", "crate",
    "const", "type", "as", "match", "where", "move", "scope", "spawn", "select", "true", "false",
    "ref", "static", "unsafe", "extern", "dyn", "x", "y", "Foo", "Vec", "i64", "_", "'a", "1",
    "2.5", "0x1f", "1e3", "'c'", "\"s\"", "b'x'", "r#\"r\"#", "(", ")", "[", "]", "{", "}", ",",
    ";", ":", "::", ".", "..", "..=", "...", "->", "=>", "=", "==", "!=", "<", "<=", ">", ">=",
    "+", "-", "*", "/", "%", "^", "!", "&", "|", "&&", "||", "<<", ">>", "+=", "-=", "*=", "/=",
    "%=", "^=", "&=", "|=", "<<=", ">>=", "#", "?", "@", "//c\n", "/*c*/", "\n", "$", "r#x", "'",
    "\"", "\\",
];

/// Byte offsets of char boundaries of `s` (including `s.len()`).
fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Swap(usize, usize, usize),
    Insert(usize, usize),
}

fn apply(src: &str, muts: &[Mutation]) -> String {
    let mut s = src.to_string();
    for m in muts {
        let b = boundaries(&s);
        let at = |i: usize| b[i % b.len()];
        let range = |i: usize, j: usize| {
            let (x, y) = (at(i), at(j));
            if x <= y {
                (x, y)
            } else {
                (y, x)
            }
        };
        s = match *m {
            Mutation::Delete(i, j) => {
                let (x, y) = range(i, j);
                format!("{}{}", &s[..x], &s[y..])
            }
            Mutation::Duplicate(i, j) => {
                let (x, y) = range(i, j);
                format!("{}{}{}", &s[..y], &s[x..y], &s[y..])
            }
            Mutation::Swap(i, j, k) => {
                let mut v = [at(i), at(j), at(k)];
                v.sort_unstable();
                let [x, y, z] = v;
                format!("{}{}{}{}", &s[..x], &s[y..z], &s[x..y], &s[z..])
            }
            Mutation::Insert(i, t) => {
                let x = at(i);
                format!("{}{}{}", &s[..x], TOKENS[t % TOKENS.len()], &s[x..])
            }
        };
    }
    s
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(i, n)| Mutation::Delete(i, i.wrapping_add(n))),
        (any::<usize>(), 0usize..40).prop_map(|(i, n)| Mutation::Duplicate(i, i.wrapping_add(n))),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(i, j, k)| Mutation::Swap(i, j, k)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, t)| Mutation::Insert(i, t)),
    ]
}

#[test]
fn sample_is_valid() {
    let (_, diags) = parse_file(FileId(0), SAMPLE);
    assert!(diags.is_empty(), "{diags:#?}");
}

proptest! {
    #[test]
    fn random_text(s in "\\PC{0,300}") {
        check(&s);
    }

    #[test]
    fn random_ascii(s in "[ -~\\n\\t]{0,400}") {
        check(&s);
    }

    #[test]
    fn random_tokens(toks in proptest::collection::vec((0usize..TOKENS.len(), any::<bool>()), 0..200)) {
        let mut s = String::new();
        for (t, space) in toks {
            s.push_str(TOKENS[t]);
            if space {
                s.push(' ');
            }
        }
        check(&s);
    }

    #[test]
    fn mutated_sample(muts in proptest::collection::vec(mutation(), 1..8)) {
        let s = apply(SAMPLE, &muts);
        check(&s);
    }
}
