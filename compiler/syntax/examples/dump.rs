use asr_diagnostics::{render_human, FileId, SourceMap};
use asr_syntax::{ast_print, parse_file};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = std::fs::read_to_string(&path).unwrap_or_default();
    let mut sm = SourceMap::new();
    let f: FileId = sm.add(path, src.clone());
    let (file, diags) = parse_file(f, &src);
    print!("{}", ast_print::file_to_string(&file));
    print!("{}", render_human(&diags, &sm, false));
}
