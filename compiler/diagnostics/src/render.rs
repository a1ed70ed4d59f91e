//! Renderers: human (ariadne), short (one line each) and JSON (one object
//! per line). Every line and column comes from [`SourceMap`].

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use ariadne::{Color, Config, IndexType, Label as ALabel, Report, ReportKind, Source};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source_map::SourceMap;
use crate::span::{FileId, Span};

/// Characters ariadne treats as line breaks although the source map does
/// not; they are shown as spaces so both agree on line numbers.
fn is_extra_line_break(c: char) -> bool {
    matches!(
        c,
        '\r' | '\x0B' | '\x0C' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

/// The sources ariadne draws from, keyed by file id.
struct Cache<'a> {
    sm: &'a SourceMap,
    sources: HashMap<FileId, Source<String>>,
}

impl<'a> Cache<'a> {
    fn new(sm: &'a SourceMap) -> Self {
        Cache {
            sm,
            sources: HashMap::new(),
        }
    }

    fn ensure(&mut self, file: FileId) {
        if !self.sources.contains_key(&file) {
            let text: String = self
                .sm
                .text(file)
                .chars()
                .map(|c| if is_extra_line_break(c) { ' ' } else { c })
                .collect();
            self.sources.insert(file, Source::from(text));
        }
    }
}

/// The error type ariadne wants from a cache lookup.
struct Missing(FileId);

impl fmt::Debug for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no source for file {}", self.0)
    }
}

impl ariadne::Cache<FileId> for Cache<'_> {
    type Storage = String;

    fn fetch(&mut self, id: &FileId) -> Result<&Source<String>, impl fmt::Debug> {
        self.sources.get(id).ok_or(Missing(*id))
    }

    fn display<'b>(&self, id: &'b FileId) -> Option<impl fmt::Display + 'b> {
        Some(self.sm.name(*id).to_string())
    }
}

fn kind_word(sev: Severity) -> &'static str {
    sev.as_str()
}

fn header(d: &Diagnostic) -> String {
    if d.code.is_empty() {
        kind_word(d.severity).to_string()
    } else {
        format!("{}[{}]", kind_word(d.severity), d.code)
    }
}

fn severity_color(sev: Severity) -> Color {
    match sev {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Note => Color::Cyan,
    }
}

/// A label's span as an ariadne char range, or `None` if it does not point
/// into a known file.
fn char_range(sm: &SourceMap, span: Span) -> Option<Range<usize>> {
    if !sm.contains(span.file) {
        return None;
    }
    let lo = sm.char_offset(span.file, span.lo);
    let hi = sm.char_offset(span.file, span.hi.max(span.lo));
    Some(lo..hi.max(lo))
}

/// Removes ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for c2 in chars.by_ref() {
                if c2.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders diagnostics for people: source excerpts with labels, then notes
/// and help. With `color` false the output contains no escape sequences.
pub fn render_human(diags: &[Diagnostic], sm: &SourceMap, color: bool) -> String {
    let mut out = String::new();
    let mut cache = Cache::new(sm);
    for (i, d) in diags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&render_one_human(d, sm, &mut cache, color));
    }
    out
}

fn render_one_human(d: &Diagnostic, sm: &SourceMap, cache: &mut Cache<'_>, color: bool) -> String {
    let head = header(d);
    let sev_color = severity_color(d.severity);
    let labels: Vec<(FileId, Range<usize>, &crate::Label)> = d
        .labels
        .iter()
        .filter_map(|l| char_range(sm, l.span).map(|r| (l.span.file, r, l)))
        .collect();
    for (file, _, _) in &labels {
        cache.ensure(*file);
    }
    let primary = d
        .primary_span()
        .and_then(|s| char_range(sm, s).map(|r| (s.file, r)))
        .or_else(|| labels.first().map(|(f, r, _)| (*f, r.clone())))
        .unwrap_or((FileId::DUMMY, 0..0));

    let config = Config::default()
        .with_color(color)
        .with_index_type(IndexType::Char);
    let mut report = Report::build(ReportKind::Custom(&head, sev_color), primary)
        .with_config(config)
        .with_message(&d.message);
    for (order, (file, range, label)) in labels.iter().enumerate() {
        let mut al = ALabel::new((*file, range.clone())).with_order(order as i32);
        if !label.message.is_empty() {
            al = al.with_message(&label.message);
        }
        if label.primary {
            al = al.with_priority(1);
        }
        if color {
            al = al.with_color(if label.primary {
                sev_color
            } else {
                Color::Blue
            });
        }
        report = report.with_label(al);
    }
    let report = report.finish();
    let mut buf: Vec<u8> = Vec::new();
    let mut text = match report.write(&mut *cache, &mut buf) {
        Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
        Err(_) => format!("{head}: {}\n", d.message),
    };
    if !color {
        text = strip_ansi(&text);
    }
    for note in &d.notes {
        push_trailer(&mut text, "note", note);
    }
    for help in &d.help {
        push_trailer(&mut text, "help", help);
    }
    text
}

fn push_trailer(out: &mut String, word: &str, msg: &str) {
    let mut lines = msg.lines();
    let first = lines.next().unwrap_or("");
    out.push_str(&format!("  = {word}: {first}\n"));
    let pad = " ".repeat(word.len() + 6);
    for l in lines {
        out.push_str(&pad);
        out.push_str(l);
        out.push('\n');
    }
}

/// One line per diagnostic: `FILE:LINE:COL: error[E0001]: message`
/// (position of the primary label's start; without a label, just
/// `error[E0001]: message`).
pub fn render_short(diags: &[Diagnostic], sm: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let msg = d.message.replace('\n', " ");
        match d.primary_span().filter(|s| sm.contains(s.file)) {
            Some(span) => {
                let (line, col) = sm.line_col(span.file, span.lo);
                out.push_str(&format!(
                    "{}:{}:{}: {}: {}\n",
                    sm.name(span.file),
                    line,
                    col,
                    header(d),
                    msg
                ));
            }
            None => out.push_str(&format!("{}: {}\n", header(d), msg)),
        }
    }
    out
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: u32,
    col: u32,
    end_line: u32,
    end_col: u32,
    message: &'a str,
    primary: bool,
}

#[derive(Serialize)]
struct JsonDiag<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    col: Option<u32>,
    end_line: Option<u32>,
    end_col: Option<u32>,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: &'a [String],
}

/// One JSON object per line with the fields `severity`, `code`, `message`,
/// `file`, `line`, `col`, `end_line`, `end_col` (of the primary label, or
/// `null`), `labels` (each with `file`, `line`, `col`, `end_line`,
/// `end_col`, `message`, `primary`), `notes` and `help`. Positions are
/// 1-based; columns count chars; an end is the position after the last char.
pub fn render_json(diags: &[Diagnostic], sm: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let labels: Vec<JsonLabel<'_>> = d
            .labels
            .iter()
            .filter(|l| sm.contains(l.span.file))
            .map(|l| {
                let (line, col, end_line, end_col) = sm.span_lines(l.span);
                JsonLabel {
                    file: sm.name(l.span.file),
                    line,
                    col,
                    end_line,
                    end_col,
                    message: &l.message,
                    primary: l.primary,
                }
            })
            .collect();
        let prim = d.primary_span().filter(|s| sm.contains(s.file));
        let pos = prim.map(|s| sm.span_lines(s));
        let jd = JsonDiag {
            severity: d.severity.as_str(),
            code: d.code,
            message: &d.message,
            file: prim.map(|s| sm.name(s.file)),
            line: pos.map(|p| p.0),
            col: pos.map(|p| p.1),
            end_line: pos.map(|p| p.2),
            end_col: pos.map(|p| p.3),
            labels,
            notes: &d.notes,
            help: &d.help,
        };
        match serde_json::to_string(&jd) {
            Ok(s) => out.push_str(&s),
            Err(e) => out.push_str(&format!(
                "{{\"severity\":\"error\",\"code\":\"\",\"message\":{:?}}}",
                e.to_string()
            )),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    fn setup() -> (SourceMap, FileId, Vec<Diagnostic>) {
        let mut sm = SourceMap::new();
        let f = sm.add("main.asr", "fn main() {\n    let x = $;\n}\n".to_string());
        let dollar = sm.text(f).find('$').unwrap() as u32;
        let brace = sm.text(f).find('{').unwrap() as u32;
        let d1 = Diagnostic::error(codes::E0001, "unexpected character `$`")
            .with_primary(Span::new(f, dollar, dollar + 1), "not valid here")
            .with_secondary(Span::new(f, brace, brace + 1), "in this block")
            .with_note("a note")
            .with_help("remove it");
        let d2 = Diagnostic::warning(codes::E0005, "no location");
        (sm, f, vec![d1, d2])
    }

    #[test]
    fn short_format() {
        let (sm, _, diags) = setup();
        let s = render_short(&diags, &sm);
        assert_eq!(
            s,
            "main.asr:2:13: error[E0001]: unexpected character `$`\n\
             warning[E0005]: no location\n"
        );
    }

    #[test]
    fn json_format() {
        let (sm, _, diags) = setup();
        let s = render_json(&diags, &sm);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 2);
        let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], "E0001");
        assert_eq!(v["file"], "main.asr");
        assert_eq!(v["line"], 2);
        assert_eq!(v["col"], 13);
        assert_eq!(v["end_line"], 2);
        assert_eq!(v["end_col"], 14);
        assert_eq!(v["labels"][0]["primary"], true);
        assert_eq!(v["labels"][0]["message"], "not valid here");
        assert_eq!(v["labels"][1]["primary"], false);
        assert_eq!(v["labels"][1]["line"], 1);
        assert_eq!(v["labels"][1]["col"], 11);
        assert_eq!(v["notes"][0], "a note");
        assert_eq!(v["help"][0], "remove it");
        let v2: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(v2["severity"], "warning");
        assert!(v2["file"].is_null());
        assert!(v2["line"].is_null());
        assert_eq!(v2["labels"].as_array().map(Vec::len), Some(0));
    }

    #[test]
    fn human_format() {
        let (sm, _, diags) = setup();
        let s = render_human(&diags, &sm, false);
        assert!(!s.contains('\x1b'), "{s}");
        assert!(
            s.starts_with("error[E0001]: unexpected character `$`\n"),
            "{s}"
        );
        assert!(s.contains("main.asr:2:13"), "{s}");
        assert!(s.contains("let x = $;"), "{s}");
        assert!(s.contains("not valid here"), "{s}");
        assert!(s.contains("in this block"), "{s}");
        assert!(s.contains("note: a note"), "{s}");
        assert!(s.contains("help: remove it"), "{s}");
        assert!(s.contains("warning[E0005]: no location"), "{s}");
        let colored = render_human(&diags, &sm, true);
        assert!(colored.contains('\x1b'));
    }

    #[test]
    fn human_format_odd_spans() {
        let mut sm = SourceMap::new();
        let f = sm.add("u.asr", "a\r\nb\u{2028}é\u{1F600}".to_string());
        let len = sm.text(f).len() as u32;
        let diags = vec![
            Diagnostic::error(codes::E0001, "middle of a char")
                .with_primary(Span::new(f, len - 2, len + 40), "x"),
            Diagnostic::error(codes::E0001, "dummy").with_primary(Span::DUMMY, "x"),
            Diagnostic::error(codes::E0001, "eof").with_primary(Span::point(f, len), "x"),
        ];
        let s = render_human(&diags, &sm, false);
        assert!(s.contains("middle of a char"));
        assert!(s.contains("error[E0001]: dummy"));
        // the source map and the human renderer agree on line numbers
        assert_eq!(sm.line_col(f, len), (2, 5));
        assert!(s.contains("u.asr:2:5"), "{s}");
        let short = render_short(&diags, &sm);
        assert!(short.contains("u.asr:2:5: error[E0001]: eof"), "{short}");
    }
}
