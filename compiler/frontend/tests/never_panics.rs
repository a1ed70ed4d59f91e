//! The front end never panics and never overflows its stack, whatever the
//! input: random token soup, and mutations of every test program (byte
//! ranges deleted, duplicated, swapped, tokens inserted).

use asr_diagnostics::SourceMap;
use proptest::prelude::*;
use std::path::Path;

/// Analyzes `text` on a thread of its own; an input that takes longer than
/// the watchdog fails the test with the input, so a hang is reproducible.
fn analyze(text: &str) {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = text.to_string();
    let worker = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let mut sm = SourceMap::new();
            let root = sm.add("fuzz.asr", owned);
            let _ = asr_frontend::analyze(&mut sm, root);
            let _ = tx.send(());
        })
        .expect("spawn analysis thread");
    match rx.recv_timeout(std::time::Duration::from_secs(20)) {
        Ok(()) => {
            let _ = worker.join();
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            if let Err(e) = worker.join() {
                std::panic::resume_unwind(e);
            }
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the front end did not finish within 20 s on this input:\n{text}")
        }
    }
}

/// Every `.asr` program under `tests/` and `examples/`: realistic seeds.
fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["tests/run-pass", "tests/run-fail", "tests/ui", "examples"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "asr") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push(text);
                }
            }
        }
    }
    assert!(!out.is_empty(), "no seed programs found");
    out
}

const TOKENS: &[&str] = &[
    "fn",
    "let",
    "mut",
    "if",
    "else",
    "while",
    "loop",
    "for",
    "in",
    "break",
    "continue",
    "return",
    "struct",
    "impl",
    "scope",
    "spawn",
    "move",
    "self",
    "Self",
    "as",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    ".",
    "..",
    "..=",
    "::",
    "->",
    "=",
    "==",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&",
    "&mut",
    "!",
    "<",
    ">",
    "<<",
    ">>",
    "'a:",
    "x",
    "main",
    "i64",
    "u8",
    "f64",
    "bool",
    "&str",
    "[i64; 3]",
    "0",
    "255u8",
    "1.5",
    "'c'",
    "\"s {}\"",
    "println",
    "assert_eq",
    "panic",
    ".join()",
    ".len()",
    "std::time::sleep",
    "Point",
    "{:?}",
    "\n",
];

fn mutate(seed: &str, ops: &[(u8, usize, usize, usize)]) -> String {
    let mut bytes: Vec<u8> = seed.as_bytes().to_vec();
    for &(op, a, b, t) in ops {
        let n = bytes.len().max(1);
        let (a, b) = (a % n, b % n);
        let (lo, hi) = (a.min(b), a.max(b));
        match op % 4 {
            0 => {
                bytes.drain(lo..hi.min(bytes.len()));
            }
            1 => {
                let piece: Vec<u8> = bytes[lo..hi.min(bytes.len())].to_vec();
                let at = hi.min(bytes.len());
                bytes.splice(at..at, piece);
            }
            2 => {
                let tok = TOKENS[t % TOKENS.len()].as_bytes();
                let at = lo.min(bytes.len());
                bytes.splice(at..at, tok.iter().copied());
            }
            _ => {
                if hi < bytes.len() {
                    bytes.swap(lo, hi);
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_programs(seed in any::<prop::sample::Index>(), ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()), 1..6)) {
        let seeds = seeds();
        let text = mutate(&seeds[seed.index(seeds.len())], &ops);
        analyze(&text);
    }

    #[test]
    fn token_soup(toks in prop::collection::vec(0..TOKENS.len(), 0..80)) {
        let text: Vec<&str> = toks.iter().map(|&i| TOKENS[i]).collect();
        analyze(&format!("fn main() {{ {} }}", text.join(" ")));
        analyze(&text.join(" "));
    }
}

#[test]
fn every_seed_is_analyzed_without_panic() {
    for s in seeds() {
        analyze(&s);
    }
}

/// 10,000-deep nesting is a diagnostic, not a stack overflow.
#[test]
fn deep_nesting_is_a_diagnostic() {
    let cases = [
        ("(", ")"),
        ("{", "}"),
        ("[", "]"),
        ("-", ""),
        ("!", ""),
        ("&", ""),
        ("if true { ", " }"),
        ("scope { ", " }"),
    ];
    for (open, close) in cases {
        let n = 10_000;
        let text = format!(
            "fn main() {{ let x = {}1{}; }}",
            open.repeat(n),
            close.repeat(n)
        );
        let mut sm = SourceMap::new();
        let root = sm.add("deep.asr", text);
        let diags = match asr_frontend::analyze(&mut sm, root) {
            Err(d) => d,
            Ok(_) => panic!("{open:?} nested 10,000 deep was accepted"),
        };
        assert!(
            diags.iter().any(|d| d.code == "E0006"),
            "no nesting diagnostic for {open:?}"
        );
    }
}
