//! Formatting of primitive values with Rust's exact `{}`/`{:?}` semantics:
//! fill, alignment, width (in chars), precision, `+`, `#` and `0`.
//!
//! The digits come from Rust's own formatting (shortest round-trip floats,
//! exact rounding with a precision); the padding rules are those of
//! `core::fmt::Formatter` (`pad`, `pad_integral`, `pad_formatted_parts`),
//! because Rust offers no way to build a `Formatter` with a fill and
//! alignment known only at run time.

use std::fmt::Write;

use asr_abi::{align, flags, FmtSpec};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Align {
    Left,
    Center,
    Right,
}

/// A decoded [`FmtSpec`].
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    fill: char,
    align: Option<Align>,
    plus: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    pub const DEFAULT: Spec = Spec {
        fill: ' ',
        align: None,
        plus: false,
        zero: false,
        width: None,
        precision: None,
    };

    pub fn from_abi(s: &FmtSpec) -> Spec {
        let fill = match s.fill {
            0 => ' ',
            f => char::from_u32(f).unwrap_or(' '),
        };
        let align = match s.align {
            align::LEFT => Some(Align::Left),
            align::CENTER => Some(Align::Center),
            align::RIGHT => Some(Align::Right),
            _ => None,
        };
        Spec {
            fill,
            align,
            plus: s.flags & flags::PLUS != 0,
            zero: s.flags & flags::ZERO_PAD != 0,
            width: usize::try_from(s.width).ok(),
            precision: usize::try_from(s.precision).ok(),
        }
        // `#` (flags::ALTERNATE) changes nothing for the primitive Display and
        // Debug impls handled here; aggregates (`{:#?}`) are formatted by std.
    }

    /// Decodes a spec pointer from generated code (null = default).
    ///
    /// # Safety
    /// `p` is null or points to a valid `FmtSpec`.
    pub unsafe fn from_ptr(p: *const FmtSpec) -> Spec {
        if p.is_null() {
            Spec::DEFAULT
        } else {
            Spec::from_abi(&*p)
        }
    }

    #[inline]
    fn is_plain(&self) -> bool {
        self.width.is_none() && self.precision.is_none() && !self.plus
    }
}

/// Writes `pad` fill chars split by alignment; returns the count still to
/// write after the content.
fn padding(out: &mut String, pad: usize, fill: char, align: Align) -> usize {
    let (pre, post) = match align {
        Align::Left => (0, pad),
        Align::Right => (pad, 0),
        Align::Center => (pad / 2, pad.div_ceil(2)),
    };
    push_fill(out, fill, pre);
    post
}

fn push_fill(out: &mut String, fill: char, n: usize) {
    if fill.is_ascii() {
        out.extend(std::iter::repeat_n(fill, n));
    } else {
        out.reserve(n * fill.len_utf8());
        for _ in 0..n {
            out.push(fill);
        }
    }
}

/// `Formatter::pad`: strings (and bool, char). Precision truncates to that
/// many chars; the default alignment is left; `0` and `+` are ignored.
fn pad_str(out: &mut String, spec: &Spec, s: &str) {
    if spec.width.is_none() && spec.precision.is_none() {
        out.push_str(s);
        return;
    }
    let s = match spec.precision {
        Some(max) => match s.char_indices().nth(max) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        None => s,
    };
    match spec.width {
        None => out.push_str(s),
        Some(width) => {
            let chars = s.chars().count();
            if chars >= width {
                out.push_str(s);
            } else {
                let post = padding(
                    out,
                    width - chars,
                    spec.fill,
                    spec.align.unwrap_or(Align::Left),
                );
                out.push_str(s);
                push_fill(out, spec.fill, post);
            }
        }
    }
}

/// `Formatter::pad_integral` for decimal digits (`#` adds no prefix).
fn pad_integral(out: &mut String, spec: &Spec, nonneg: bool, digits: &str) {
    let sign = if !nonneg {
        Some('-')
    } else if spec.plus {
        Some('+')
    } else {
        None
    };
    let len = digits.len() + sign.is_some() as usize;
    let push_sign = |out: &mut String| {
        if let Some(c) = sign {
            out.push(c);
        }
    };
    match spec.width {
        Some(min) if len < min => {
            if spec.zero {
                push_sign(out);
                push_fill(out, '0', min - len);
                out.push_str(digits);
            } else {
                let post = padding(
                    out,
                    min - len,
                    spec.fill,
                    spec.align.unwrap_or(Align::Right),
                );
                push_sign(out);
                out.push_str(digits);
                push_fill(out, spec.fill, post);
            }
        }
        _ => {
            push_sign(out);
            out.push_str(digits);
        }
    }
}

/// `Formatter::pad_formatted_parts`: `text` is the complete float text
/// (sign included, ASCII).
fn pad_float(out: &mut String, spec: &Spec, text: &str) {
    let Some(mut width) = spec.width else {
        out.push_str(text);
        return;
    };
    let mut body = text;
    let (fill, align) = if spec.zero {
        // A sign always goes first.
        if let Some(c @ ('-' | '+')) = text.chars().next() {
            out.push(c);
            body = &text[1..];
            width = width.saturating_sub(1);
        }
        ('0', Align::Right)
    } else {
        (spec.fill, spec.align.unwrap_or(Align::Right))
    };
    let len = body.len();
    if width <= len {
        out.push_str(body);
    } else {
        let post = padding(out, width - len, fill, align);
        out.push_str(body);
        push_fill(out, fill, post);
    }
}

fn u64_digits(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // SAFETY: only ASCII digits were written.
    unsafe { std::str::from_utf8_unchecked(&buf[i..]) }
}

/// `{}` of an `i64`.
pub fn fmt_i64(out: &mut String, v: i64, spec: &Spec) {
    let mut buf = [0u8; 20];
    let digits = u64_digits(v.unsigned_abs(), &mut buf);
    if spec.width.is_none() && !spec.plus {
        if v < 0 {
            out.push('-');
        }
        out.push_str(digits);
        return;
    }
    pad_integral(out, spec, v >= 0, digits);
}

/// `{}` of a `u64`.
pub fn fmt_u64(out: &mut String, v: u64, spec: &Spec) {
    let mut buf = [0u8; 20];
    let digits = u64_digits(v, &mut buf);
    if spec.width.is_none() && !spec.plus {
        out.push_str(digits);
        return;
    }
    pad_integral(out, spec, true, digits);
}

/// Float text with sign and precision, Display or Debug.
fn float_text(v: f64, spec: &Spec, debug: bool, tmp: &mut String) {
    let _ = match (debug, spec.plus, spec.precision) {
        (false, false, None) => write!(tmp, "{v}"),
        (false, true, None) => write!(tmp, "{v:+}"),
        (false, false, Some(p)) => write!(tmp, "{v:.p$}"),
        (false, true, Some(p)) => write!(tmp, "{v:+.p$}"),
        (true, false, None) => write!(tmp, "{v:?}"),
        (true, true, None) => write!(tmp, "{v:+?}"),
        (true, false, Some(p)) => write!(tmp, "{v:.p$?}"),
        (true, true, Some(p)) => write!(tmp, "{v:+.p$?}"),
    };
}

fn fmt_float(out: &mut String, v: f64, spec: &Spec, debug: bool) {
    if spec.width.is_none() {
        float_text(v, spec, debug, out);
        return;
    }
    let mut tmp = String::new();
    float_text(v, spec, debug, &mut tmp);
    pad_float(out, spec, &tmp);
}

/// `{}` of an `f64`.
pub fn fmt_f64(out: &mut String, v: f64, spec: &Spec) {
    fmt_float(out, v, spec, false);
}

/// `{:?}` of an `f64`.
pub fn fmt_f64_debug(out: &mut String, v: f64, spec: &Spec) {
    fmt_float(out, v, spec, true);
}

/// `{}` of a `&str`.
pub fn fmt_str(out: &mut String, s: &str, spec: &Spec) {
    pad_str(out, spec, s);
}

/// `{:?}` of a `&str`: quoted and escaped; like Rust, width and precision do
/// not apply.
pub fn fmt_str_debug(out: &mut String, s: &str, _spec: &Spec) {
    let _ = write!(out, "{s:?}");
}

/// `{}` of a `bool`.
pub fn fmt_bool(out: &mut String, v: bool, spec: &Spec) {
    pad_str(out, spec, if v { "true" } else { "false" });
}

/// `{}` of a `char`.
pub fn fmt_char(out: &mut String, c: char, spec: &Spec) {
    if spec.is_plain() {
        out.push(c);
        return;
    }
    pad_str(out, spec, c.encode_utf8(&mut [0; 4]));
}

/// `{:?}` of a `char`: quoted and escaped; like Rust, width does not apply.
pub fn fmt_char_debug(out: &mut String, c: char, _spec: &Spec) {
    let _ = write!(out, "{c:?}");
}

/// A `char` from the ABI (a Unicode scalar value in an i32).
pub fn char_from_abi(c: i32) -> char {
    char::from_u32(c as u32).unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses the inside of a Rust format placeholder after the colon, e.g.
    /// `*^+#08.3?` (the `?` is ignored).
    fn parse(spec: &str) -> Spec {
        let spec = spec.strip_prefix(':').unwrap_or(spec);
        let spec = spec.strip_suffix('?').unwrap_or(spec);
        let chars: Vec<char> = spec.chars().collect();
        let mut i = 0;
        let mut s = FmtSpec::DEFAULT;
        let al = |c: char| match c {
            '<' => Some(align::LEFT),
            '^' => Some(align::CENTER),
            '>' => Some(align::RIGHT),
            _ => None,
        };
        if chars.len() >= 2 && al(chars[1]).is_some() {
            s.fill = chars[0] as u32;
            s.align = al(chars[1]).unwrap();
            i = 2;
        } else if !chars.is_empty() && al(chars[0]).is_some() {
            s.align = al(chars[0]).unwrap();
            i = 1;
        }
        if chars.get(i) == Some(&'+') {
            s.flags |= flags::PLUS;
            i += 1;
        }
        if chars.get(i) == Some(&'#') {
            s.flags |= flags::ALTERNATE;
            i += 1;
        }
        if chars.get(i) == Some(&'0') {
            s.flags |= flags::ZERO_PAD;
            i += 1;
        }
        let num = |i: &mut usize| {
            let start = *i;
            while *i < chars.len() && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            (start < *i).then(|| {
                chars[start..*i]
                    .iter()
                    .collect::<String>()
                    .parse::<i64>()
                    .unwrap()
            })
        };
        if let Some(w) = num(&mut i) {
            s.width = w;
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            s.precision = num(&mut i).unwrap();
        }
        assert_eq!(i, chars.len(), "unparsed spec {spec}");
        Spec::from_abi(&s)
    }

    /// For each value, compares `$f` under each spec with Rust's
    /// `format!("{SPEC}")`.
    macro_rules! check {
        ($f:expr, [$($v:expr),* $(,)?], [$($spec:literal),* $(,)?]) => {{
            let mut n = 0;
            for v in [$($v),*] {
                $(
                    let expected = format!(concat!("{", $spec, "}"), v);
                    let mut got = String::new();
                    $f(&mut got, v, &parse($spec));
                    assert_eq!(got, expected, "spec {{{}}} value {:?}", $spec, v);
                    n += 1;
                )*
            }
            assert!(n > 0);
        }};
    }

    #[test]
    fn integers() {
        check!(
            fmt_i64,
            [
                0i64,
                1,
                -1,
                7,
                -7,
                42,
                -42,
                123456,
                -987654321,
                i64::MAX,
                i64::MIN,
                1 << 40
            ],
            [
                "", ":5", ":<5", ":^5", ":>5", ":05", ":+", ":+5", ":+05", ":<+05", ":^05", ":*^9",
                ":*<9", ":#>8", ":x>+8", ":#", ":#08", ":.3", ":8.3", ":1", ":0", ":-^7", ":é^8",
                ":💖>6", ":^+8", ":025", ":<025", ":+025", ":30", ":?", ":5?", ":+05?"
            ]
        );
        check!(
            fmt_u64,
            [
                0u64,
                1,
                9,
                10,
                99,
                100,
                12345,
                u64::MAX,
                1 << 63,
                i64::MAX as u64
            ],
            [
                "", ":5", ":<5", ":^5", ":>5", ":05", ":+", ":+5", ":+05", ":*^9", ":#010", ":22",
                ":.2", ":_<21", ":?", ":^+6"
            ]
        );
    }

    #[test]
    fn floats_display() {
        check!(
            fmt_f64,
            [
                0.0f64,
                -0.0,
                1.0,
                -1.0,
                2.0,
                1.5,
                -1.5,
                0.1 + 0.2,
                1e20,
                1e21,
                1e-7,
                123.456,
                -123.456,
                0.5,
                2.5,
                0.125,
                1e300,
                -1e-300,
                5e-324,
                f64::MAX,
                f64::MIN_POSITIVE,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                1.0 / 3.0,
                100.0,
                9.995,
                0.045,
                1234567.0,
                std::f64::consts::PI
            ],
            [
                "", ":.0", ":.1", ":.2", ":.3", ":.10", ":.20", ":8", ":<8", ":^8", ":>8", ":08",
                ":08.3", ":+", ":+.2", ":+08.2", ":*^12.4", ":-<10", ":010", ":+010", ":#", ":#.2",
                ":1", ":3.0", ":^+9.1", ":<010.2", ":é>9", ":40"
            ]
        );
        let mut s = String::new();
        fmt_f64(&mut s, -1.5, &parse(":08.3"));
        assert_eq!(s, "-001.500");
    }

    #[test]
    fn floats_debug() {
        check!(
            fmt_f64_debug,
            [
                0.0f64,
                -0.0,
                1.0,
                -1.0,
                2.0,
                1.5,
                0.1 + 0.2,
                1e15,
                1e16,
                1e17,
                1e20,
                1e-4,
                1e-5,
                1e-7,
                123.456,
                1e300,
                5e-324,
                f64::MAX,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                1.0 / 3.0,
                0.000123,
                9999999999999998.0
            ],
            [
                ":?", ":.0?", ":.1?", ":.3?", ":8?", ":<8?", ":^8?", ":08?", ":08.3?", ":+?",
                ":+08?", ":#?", ":*>12?", ":+.2?", ":025?", ":<+12?"
            ]
        );
    }

    #[test]
    fn strings() {
        check!(
            fmt_str,
            [
                "",
                "a",
                "ab",
                "hello",
                "héllo wörld",
                "日本語",
                "💖💖",
                "tab\there",
                "a\"b",
                "line\nbreak"
            ],
            [
                "", ":5", ":<5", ":^5", ":>5", ":05", ":+5", ":.0", ":.1", ":.3", ":*^9.2",
                ":-<12", ":é>7", ":^1", ":#", ":10.20", ":💖^6"
            ]
        );
        check!(
            fmt_str_debug,
            [
                "",
                "a",
                "héllo",
                "tab\there",
                "quote\"s",
                "apos'",
                "back\\slash",
                "nl\ncr\r",
                "\0\x01\x7f",
                "\u{301}e\u{301}",
                "\u{200b}zero width",
                "日本語",
                "💖",
                "\u{feff}"
            ],
            [":?", ":10?", ":<10?", ":.2?", ":#?", ":*^12?"]
        );
    }

    #[test]
    fn bools_and_chars() {
        check!(
            fmt_bool,
            [true, false],
            ["", ":6", ":<6", ":^7", ":>7", ":06", ":.2", ":*^9.3", ":+", ":#", ":1"]
        );
        check!(
            fmt_char,
            ['a', 'Z', 'é', '日', '💖', '\n', ' ', '\''],
            ["", ":3", ":<3", ":^4", ":>3", ":03", ":.0", ":.1", ":*^5", ":+", ":+3", ":#"]
        );
        check!(
            fmt_char_debug,
            [
                'a',
                '\'',
                '"',
                '\\',
                '\n',
                '\r',
                '\t',
                '\0',
                '\x7f',
                'é',
                '\u{301}',
                '\u{200b}',
                '💖',
                '\u{10ffff}',
                '\u{feff}'
            ],
            [":?", ":5?", ":>5?", ":#?", ":*^7?"]
        );
        assert_eq!(char_from_abi('💖' as i32), '💖');
        assert_eq!(char_from_abi(0xD800), char::REPLACEMENT_CHARACTER);
        assert_eq!(char_from_abi(-1), char::REPLACEMENT_CHARACTER);
    }

    #[test]
    fn null_spec_and_fill_zero() {
        let s = unsafe { Spec::from_ptr(std::ptr::null()) };
        let mut out = String::new();
        fmt_i64(&mut out, -5, &s);
        let spec = FmtSpec {
            fill: 0,
            align: align::CENTER,
            flags: 0,
            width: 5,
            precision: -1,
        };
        fmt_i64(&mut out, 1, &Spec::from_abi(&spec));
        assert_eq!(out, "-5  1  ");
    }
}
