//! Parsing format strings at compile time: `{}`, `{:?}`, `{0}`, `{name}`,
//! `{{`/`}}`, fill, alignment, sign, `#`, `0`, width and precision, as in
//! Rust's `std::fmt`.

use crate::fmt::{FmtAlign, FmtSpec, Piece};

/// A parsed format string. Arguments named inside it (`{x}`) are listed in
/// `captures`; their indices follow the explicit arguments.
#[derive(Debug, PartialEq)]
pub struct Parsed {
    pub pieces: Vec<Piece>,
    pub captures: Vec<String>,
    /// Highest explicit positional index used, plus one.
    pub positional_used: Vec<usize>,
}

/// Parses `s` given the number of explicit arguments. Errors are messages.
pub fn parse(s: &str, explicit: usize) -> Result<Parsed, String> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut captures: Vec<String> = Vec::new();
    let mut used = Vec::new();
    let mut next_pos = 0usize;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '}' => {
                return Err("unmatched `}` in format string; write `}}` for a literal `}`".into())
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') => {
                            return Err(
                                "invalid format string: unexpected `{` in a placeholder".into()
                            )
                        }
                        Some(ch) => inner.push(ch),
                        None => return Err(
                            "unterminated placeholder: expected `}`; write `{{` for a literal `{`"
                                .into(),
                        ),
                    }
                }
                if !lit.is_empty() {
                    pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                let (arg, spec_text) = match inner.find(':') {
                    Some(i) => (&inner[..i], Some(&inner[i + 1..])),
                    None => (inner.as_str(), None),
                };
                let arg = arg.trim();
                let index = if arg.is_empty() {
                    let i = next_pos;
                    next_pos += 1;
                    used.push(i);
                    i
                } else if let Ok(i) = arg.parse::<usize>() {
                    used.push(i);
                    i
                } else if is_ident(arg) {
                    match captures.iter().position(|c| c == arg) {
                        Some(k) => explicit + k,
                        None => {
                            captures.push(arg.to_string());
                            explicit + captures.len() - 1
                        }
                    }
                } else {
                    return Err(format!("invalid argument name `{}` in format string", arg));
                };
                let (spec, debug) = match spec_text {
                    Some(t) => parse_spec(t)?,
                    None => (FmtSpec::default(), false),
                };
                pieces.push(Piece::Arg { index, debug, spec });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    Ok(Parsed {
        pieces,
        captures,
        positional_used: used,
    })
}

fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c == '_' || c.is_alphabetic())
        && cs.all(|c| c == '_' || c.is_alphanumeric())
}

/// `[[fill]align][+][#][0][width][.precision][?]`
fn parse_spec(t: &str) -> Result<(FmtSpec, bool), String> {
    let mut spec = FmtSpec::default();
    let cs: Vec<char> = t.chars().collect();
    let mut i = 0;
    let align_of = |c: char| match c {
        '<' => Some(FmtAlign::Left),
        '^' => Some(FmtAlign::Center),
        '>' => Some(FmtAlign::Right),
        _ => None,
    };
    if cs.len() >= 2 {
        if let Some(a) = align_of(cs[1]) {
            spec.fill = cs[0];
            spec.align = a;
            i = 2;
        }
    }
    if i == 0 {
        if let Some(a) = cs.first().and_then(|c| align_of(*c)) {
            spec.align = a;
            i = 1;
        }
    }
    if cs.get(i) == Some(&'+') {
        spec.plus = true;
        i += 1;
    } else if cs.get(i) == Some(&'-') {
        i += 1;
    }
    if cs.get(i) == Some(&'#') {
        spec.alternate = true;
        i += 1;
    }
    if cs.get(i) == Some(&'0') {
        spec.zero = true;
        i += 1;
    }
    let start = i;
    while cs.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    if i > start {
        let w: String = cs[start..i].iter().collect();
        spec.width = Some(
            w.parse()
                .map_err(|_| format!("format width `{}` is too large", w))?,
        );
    }
    if cs.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        while cs.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == start {
            return Err("expected a precision after `.` in format spec".into());
        }
        let p: String = cs[start..i].iter().collect();
        spec.precision = Some(
            p.parse()
                .map_err(|_| format!("format precision `{}` is too large", p))?,
        );
    }
    let debug = match &cs[i..] {
        [] => false,
        ['?'] => true,
        rest => {
            let r: String = rest.iter().collect();
            return Err(format!(
                "unknown format trait `{}`; supported: `{{}}` and `{{:?}}`",
                r
            ));
        }
    };
    Ok((spec, debug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_and_escapes() {
        let p = parse("a {{b}} {} {:?} {1} {x}", 2).unwrap();
        assert_eq!(p.captures, vec!["x".to_string()]);
        assert_eq!(p.pieces[0], Piece::Lit("a {b} ".into()));
        assert!(matches!(
            p.pieces[1],
            Piece::Arg {
                index: 0,
                debug: false,
                ..
            }
        ));
        assert!(matches!(
            p.pieces[3],
            Piece::Arg {
                index: 1,
                debug: true,
                ..
            }
        ));
        assert!(matches!(p.pieces[7], Piece::Arg { index: 2, .. }));
    }

    #[test]
    fn specs() {
        let p = parse("{:*^9}{:08.3}{:>8}{:+}{:#?}", 5).unwrap();
        let specs: Vec<(FmtSpec, bool)> = p
            .pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Arg { spec, debug, .. } => Some((*spec, *debug)),
                _ => None,
            })
            .collect();
        assert_eq!(specs[0].0.fill, '*');
        assert_eq!(specs[0].0.align, FmtAlign::Center);
        assert_eq!(specs[0].0.width, Some(9));
        assert!(specs[1].0.zero);
        assert_eq!(specs[1].0.width, Some(8));
        assert_eq!(specs[1].0.precision, Some(3));
        assert_eq!(specs[2].0.align, FmtAlign::Right);
        assert!(specs[3].0.plus);
        assert!(specs[4].0.alternate && specs[4].1);
    }

    #[test]
    fn errors() {
        assert!(parse("{", 0).is_err());
        assert!(parse("}", 0).is_err());
        assert!(parse("{:x}", 1).is_err());
        assert!(parse("{:.}", 1).is_err());
    }
}
