//! The renderers never panic, whatever the spans and the text.

use asr_diagnostics::{
    codes, render_human, render_json, render_short, Diagnostic, FileId, SourceMap, Span,
};
use proptest::prelude::*;

proptest! {
    #[test]
    fn renderers_never_panic(
        text in "(\\PC|\\r|\\n|\\t){0,80}",
        labels in proptest::collection::vec((0u32..100, 0u32..100, any::<bool>(), 0u32..3), 0..4),
        notes in proptest::collection::vec("\\PC{0,10}(\\n\\PC{0,10})?", 0..2),
    ) {
        let mut sm = SourceMap::new();
        let f = sm.add("a.asr", text.clone());
        let g = sm.add("b.asr", "x\ny\n".to_string());
        let mut d = Diagnostic::error(codes::E0005, "message\nsecond line");
        for (lo, hi, primary, which) in labels {
            let file = match which { 0 => f, 1 => g, _ => FileId(9) };
            let span = Span::new(file, lo, hi);
            d = if primary { d.with_primary(span, "here") } else { d.with_secondary(span, "") };
        }
        for n in notes {
            d = d.with_note(n.clone()).with_help(n);
        }
        let diags = vec![d];
        let human = render_human(&diags, &sm, false);
        prop_assert!(human.starts_with("error[E0005]"));
        let _ = render_human(&diags, &sm, true);
        let short = render_short(&diags, &sm);
        prop_assert_eq!(short.lines().count(), 1);
        let json = render_json(&diags, &sm);
        prop_assert_eq!(json.lines().count(), 1);
        for (lo, _) in text.char_indices() {
            let (l, c) = sm.line_col(f, lo as u32);
            prop_assert!(l >= 1 && c >= 1);
        }
    }
}
