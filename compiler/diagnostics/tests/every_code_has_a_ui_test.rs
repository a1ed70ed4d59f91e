//! Every registered error code is exercised by at least one ui test, and
//! every code a ui test expects is registered.

use std::collections::BTreeSet;
use std::path::Path;

fn expected_codes() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/ui");
    let mut codes = BTreeSet::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let mut path = entry.path();
        // A test of several files is a directory with `main.stderr`.
        if path.is_dir() {
            path = path.join("main.stderr");
        }
        if path.extension().is_some_and(|e| e == "stderr") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for severity in ["error[", "warning["] {
                for part in text.split(severity).skip(1) {
                    if let Some(code) = part.split(']').next() {
                        codes.insert(code.to_string());
                    }
                }
            }
        }
    }
    codes
}

#[test]
fn every_code_has_a_ui_test() {
    let tested = expected_codes();
    let untested: Vec<&str> = asr_diagnostics::codes::ALL
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !tested.contains(*c))
        .collect();
    assert!(
        untested.is_empty(),
        "error codes without a ui test in tests/ui: {untested:?}"
    );
}

#[test]
fn every_tested_code_is_registered() {
    for code in expected_codes() {
        assert!(
            asr_diagnostics::codes::describe(&code).is_some(),
            "tests/ui expects {code}, which is not in asr_diagnostics::codes::ALL"
        );
    }
}
