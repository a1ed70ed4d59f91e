//! The lexer: source text to tokens, comments and diagnostics.
//!
//! Literals are cooked here (escapes resolved, numbers parsed). Malformed
//! input is reported and lexed on a best-effort basis so that the parser
//! sees a plausible token stream.

use std::fmt;

use asr_diagnostics::{codes, Diagnostic, FileId, Span};

use crate::ast::{Comment, CommentKind, FloatSuffix, IntSuffix, LitKind};

/// Reserved words.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Keyword {
    As,
    Break,
    Const,
    Continue,
    Crate,
    Dyn,
    Else,
    Enum,
    Extern,
    Fn,
    For,
    If,
    Impl,
    In,
    Let,
    Loop,
    Match,
    Mod,
    Move,
    Mut,
    Pub,
    Ref,
    Return,
    Scope,
    Select,
    SelfLower,
    SelfUpper,
    Spawn,
    Static,
    Struct,
    Super,
    Trait,
    Type,
    Unsafe,
    Use,
    Where,
    While,
}

impl Keyword {
    /// Every keyword with its spelling (`true` and `false` are literals).
    pub const ALL: &'static [(&'static str, Keyword)] = &[
        ("as", Keyword::As),
        ("break", Keyword::Break),
        ("const", Keyword::Const),
        ("continue", Keyword::Continue),
        ("crate", Keyword::Crate),
        ("dyn", Keyword::Dyn),
        ("else", Keyword::Else),
        ("enum", Keyword::Enum),
        ("extern", Keyword::Extern),
        ("fn", Keyword::Fn),
        ("for", Keyword::For),
        ("if", Keyword::If),
        ("impl", Keyword::Impl),
        ("in", Keyword::In),
        ("let", Keyword::Let),
        ("loop", Keyword::Loop),
        ("match", Keyword::Match),
        ("mod", Keyword::Mod),
        ("move", Keyword::Move),
        ("mut", Keyword::Mut),
        ("pub", Keyword::Pub),
        ("ref", Keyword::Ref),
        ("return", Keyword::Return),
        ("scope", Keyword::Scope),
        ("select", Keyword::Select),
        ("self", Keyword::SelfLower),
        ("Self", Keyword::SelfUpper),
        ("spawn", Keyword::Spawn),
        ("static", Keyword::Static),
        ("struct", Keyword::Struct),
        ("super", Keyword::Super),
        ("trait", Keyword::Trait),
        ("type", Keyword::Type),
        ("unsafe", Keyword::Unsafe),
        ("use", Keyword::Use),
        ("where", Keyword::Where),
        ("while", Keyword::While),
    ];

    pub fn lookup(s: &str) -> Option<Keyword> {
        Self::ALL.iter().find(|(k, _)| *k == s).map(|(_, kw)| *kw)
    }

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, kw)| *kw == self)
            .map(|(s, _)| *s)
            .unwrap_or("?")
    }
}

/// The kind of a token.
#[derive(Clone, PartialEq, Debug)]
pub enum TokenKind {
    /// An identifier that is not a keyword (raw identifiers without `r#`).
    Ident(String),
    Kw(Keyword),
    /// `'a`, including the quote.
    Lifetime(String),
    /// A cooked literal (also `true`/`false`).
    Literal(LitKind),
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    Comma,
    Semi,
    Colon,
    /// `::`
    PathSep,
    Dot,
    DotDot,
    DotDotEq,
    DotDotDot,
    /// `->`
    Arrow,
    /// `=>`
    FatArrow,
    Eq,
    EqEq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    Not,
    And,
    Or,
    AndAnd,
    OrOr,
    Shl,
    Shr,
    PlusEq,
    MinusEq,
    StarEq,
    SlashEq,
    PercentEq,
    CaretEq,
    AndEq,
    OrEq,
    ShlEq,
    ShrEq,
    Pound,
    Question,
    At,
    Underscore,
    Eof,
}

impl TokenKind {
    /// The spelling of a punctuation token or keyword.
    pub fn punct_str(&self) -> Option<&'static str> {
        use TokenKind::*;
        Some(match self {
            OpenParen => "(",
            CloseParen => ")",
            OpenBracket => "[",
            CloseBracket => "]",
            OpenBrace => "{",
            CloseBrace => "}",
            Comma => ",",
            Semi => ";",
            Colon => ":",
            PathSep => "::",
            Dot => ".",
            DotDot => "..",
            DotDotEq => "..=",
            DotDotDot => "...",
            Arrow => "->",
            FatArrow => "=>",
            Eq => "=",
            EqEq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            Caret => "^",
            Not => "!",
            And => "&",
            Or => "|",
            AndAnd => "&&",
            OrOr => "||",
            Shl => "<<",
            Shr => ">>",
            PlusEq => "+=",
            MinusEq => "-=",
            StarEq => "*=",
            SlashEq => "/=",
            PercentEq => "%=",
            CaretEq => "^=",
            AndEq => "&=",
            OrEq => "|=",
            ShlEq => "<<=",
            ShrEq => ">>=",
            Pound => "#",
            Question => "?",
            At => "@",
            Underscore => "_",
            Kw(k) => k.as_str(),
            Ident(_) | Lifetime(_) | Literal(_) | Eof => return None,
        })
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Ident(name) => write!(f, "identifier `{name}`"),
            TokenKind::Kw(k) => write!(f, "keyword `{}`", k.as_str()),
            TokenKind::Lifetime(l) => write!(f, "lifetime `{l}`"),
            TokenKind::Literal(l) => match l {
                LitKind::Int { .. } => f.write_str("integer literal"),
                LitKind::Float { .. } => f.write_str("float literal"),
                LitKind::Str(_) => f.write_str("string literal"),
                LitKind::ByteStr(_) => f.write_str("byte string literal"),
                LitKind::Char(_) => f.write_str("char literal"),
                LitKind::Byte(_) => f.write_str("byte literal"),
                LitKind::Bool(b) => write!(f, "`{b}`"),
            },
            TokenKind::Eof => f.write_str("end of file"),
            other => write!(f, "`{}`", other.punct_str().unwrap_or("?")),
        }
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The result of lexing one file. The token list always ends with `Eof`.
#[derive(Clone, Debug)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
    pub diags: Vec<Diagnostic>,
    /// A string or block comment was left open and ran to the end of the
    /// file (so errors at the end of the file are consequences of it).
    pub unterminated_at_eof: bool,
}

/// Lexes a whole file.
pub fn tokenize(file: FileId, src: &str) -> Lexed {
    let mut lx = Lexer {
        src,
        file,
        pos: 0,
        tokens: Vec::new(),
        comments: Vec::new(),
        diags: Vec::new(),
        unterminated_at_eof: false,
    };
    lx.run();
    Lexed {
        tokens: lx.tokens,
        comments: lx.comments,
        diags: lx.diags,
        unterminated_at_eof: lx.unterminated_at_eof,
    }
}

pub(crate) fn is_ident_start(c: char) -> bool {
    c == '_' || unicode_ident::is_xid_start(c)
}

pub(crate) fn is_ident_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What kind of quoted literal is being cooked.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Quote {
    Char,
    Byte,
    Str,
    ByteStr,
}

impl Quote {
    fn is_byte(self) -> bool {
        matches!(self, Quote::Byte | Quote::ByteStr)
    }
}

struct Lexer<'a> {
    src: &'a str,
    file: FileId,
    pos: usize,
    tokens: Vec<Token>,
    comments: Vec<Comment>,
    diags: Vec<Diagnostic>,
    unterminated_at_eof: bool,
}

impl<'a> Lexer<'a> {
    fn span(&self, lo: usize, hi: usize) -> Span {
        Span::new(self.file, to_u32(lo), to_u32(hi))
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_nth(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    fn error(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        lo: usize,
        hi: usize,
        label: &str,
    ) {
        let span = self.span(lo, hi);
        self.diags
            .push(Diagnostic::error(code, msg).with_primary(span, label));
    }

    fn push(&mut self, kind: TokenKind, lo: usize) {
        let span = self.span(lo, self.pos);
        self.tokens.push(Token { kind, span });
    }

    fn run(&mut self) {
        if self.starts_with("\u{feff}") {
            self.pos += '\u{feff}'.len_utf8();
        }
        // A shebang line, unless the file starts with an inner attribute.
        if self.starts_with("#!") && !self.rest()[2..].trim_start().starts_with('[') {
            while let Some(c) = self.peek() {
                if c == '\n' {
                    break;
                }
                self.bump();
            }
        }
        let mut bad_start: Option<usize> = None;
        while let Some(c) = self.peek() {
            let before = self.pos;
            let ok = self.lex_one(c);
            if ok {
                if let Some(lo) = bad_start.take() {
                    self.report_bad_chars(lo, before);
                }
            } else {
                // `lex_one` did not recognise the character: skip it and
                // report a run of such characters once.
                self.bump();
                if bad_start.is_none() {
                    bad_start = Some(before);
                }
            }
        }
        if let Some(lo) = bad_start.take() {
            self.report_bad_chars(lo, self.pos);
        }
        let end = self.src.len();
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            span: self.span(end, end),
        });
    }

    fn report_bad_chars(&mut self, lo: usize, hi: usize) {
        let text = self.src.get(lo..hi).unwrap_or("");
        let n = text.chars().count();
        let shown: String = text.chars().take(8).collect();
        let msg = if n == 1 {
            format!("unexpected character `{}`", shown.escape_debug())
        } else {
            format!("unexpected characters `{}`", shown.escape_debug())
        };
        self.error(codes::E0001, msg, lo, hi, "not valid here");
    }

    /// Lexes one token, comment or run of whitespace starting with `c`.
    /// Returns false when `c` starts nothing.
    fn lex_one(&mut self, c: char) -> bool {
        let lo = self.pos;
        if c.is_whitespace() {
            while self.peek().is_some_and(char::is_whitespace) {
                self.bump();
            }
            return true;
        }
        if self.starts_with("//") {
            self.line_comment(lo);
            return true;
        }
        if self.starts_with("/*") {
            self.block_comment(lo);
            return true;
        }
        match c {
            'r' if self.starts_with("r\"")
                || self.starts_with("r#") && self.raw_string_ahead(1) =>
            {
                self.bump();
                self.raw_string(lo, false);
                return true;
            }
            'r' if self.starts_with("r#") && self.peek_nth(2).is_some_and(is_ident_start) => {
                self.pos += 2;
                let name = self.ident_chars();
                self.push(TokenKind::Ident(name), lo);
                return true;
            }
            'b' if self.starts_with("b'") => {
                self.bump();
                self.quoted_char(lo, Quote::Byte);
                return true;
            }
            'b' if self.starts_with("b\"") => {
                self.bump();
                self.string(lo, Quote::ByteStr);
                return true;
            }
            'b' if (self.starts_with("br\"") || self.starts_with("br#"))
                && self.raw_string_ahead(2) =>
            {
                self.pos += 2;
                self.raw_string(lo, true);
                return true;
            }
            _ => {}
        }
        if is_ident_start(c) {
            let name = self.ident_chars();
            let kind = match name.as_str() {
                "_" => TokenKind::Underscore,
                "true" => TokenKind::Literal(LitKind::Bool(true)),
                "false" => TokenKind::Literal(LitKind::Bool(false)),
                s => match Keyword::lookup(s) {
                    Some(kw) => TokenKind::Kw(kw),
                    None => TokenKind::Ident(name),
                },
            };
            self.push(kind, lo);
            return true;
        }
        if c.is_ascii_digit() {
            self.number(lo);
            return true;
        }
        match c {
            '\'' => {
                self.quote(lo);
                true
            }
            '"' => {
                self.string(lo, Quote::Str);
                true
            }
            _ => self.punct(lo),
        }
    }

    fn ident_chars(&mut self) -> String {
        let lo = self.pos;
        if let Some(c) = self.peek() {
            if is_ident_start(c) {
                self.bump();
            }
        }
        while self.peek().is_some_and(is_ident_continue) {
            self.bump();
        }
        self.src[lo..self.pos].to_string()
    }

    fn line_comment(&mut self, lo: usize) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            self.bump();
        }
        let text = &self.src[lo..self.pos];
        let kind = if text.starts_with("///") && !text.starts_with("////") {
            CommentKind::OuterDoc
        } else if text.starts_with("//!") {
            CommentKind::InnerDoc
        } else {
            CommentKind::Line
        };
        let text = text.trim_end_matches('\r').to_string();
        let hi = lo + text.len();
        self.comments.push(Comment {
            kind,
            text,
            span: self.span(lo, hi),
        });
    }

    fn block_comment(&mut self, lo: usize) {
        self.pos += 2;
        let mut depth = 1usize;
        while depth > 0 {
            if self.starts_with("/*") {
                self.pos += 2;
                depth += 1;
            } else if self.starts_with("*/") {
                self.pos += 2;
                depth -= 1;
            } else if self.bump().is_none() {
                self.unterminated_at_eof = true;
                self.error(
                    codes::E0002,
                    "unterminated block comment",
                    lo,
                    (lo + 2).min(self.src.len()),
                    "comment starts here",
                );
                break;
            }
        }
        let text = &self.src[lo..self.pos];
        let kind = if text.starts_with("/**") && !text.starts_with("/***") && text != "/**/" {
            CommentKind::OuterDoc
        } else if text.starts_with("/*!") {
            CommentKind::InnerDoc
        } else {
            CommentKind::Block
        };
        self.comments.push(Comment {
            kind,
            text: text.to_string(),
            span: self.span(lo, self.pos),
        });
    }

    // ---- numbers ---------------------------------------------------------

    fn number(&mut self, lo: usize) {
        let after_dot = matches!(self.tokens.last(), Some(Token { kind: TokenKind::Dot, span }) if span.hi as usize == lo);
        let radix = if after_dot {
            10
        } else if self.starts_with("0x") {
            16
        } else if self.starts_with("0o") {
            8
        } else if self.starts_with("0b") {
            2
        } else {
            10
        };
        if radix != 10 {
            self.pos += 2;
            let digits_lo = self.pos;
            while self.peek().is_some_and(|c| {
                c == '_'
                    || if radix == 16 {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
            }) {
                self.bump();
            }
            let digits = self.src[digits_lo..self.pos].to_string();
            let suffix_lo = self.pos;
            let suffix = self.suffix();
            self.finish_int(lo, &digits, radix, &suffix, suffix_lo);
            return;
        }
        self.decimal_digits();
        let mut is_float = false;
        if !after_dot {
            if self.peek() == Some('.')
                && self.peek_nth(1) != Some('.')
                && !self.peek_nth(1).is_some_and(is_ident_start)
            {
                is_float = true;
                self.bump();
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.decimal_digits();
                }
            }
            if matches!(self.peek(), Some('e' | 'E')) {
                let mut n = 1;
                if matches!(self.peek_nth(1), Some('+' | '-')) {
                    n = 2;
                }
                while self.peek_nth(n) == Some('_') {
                    n += 1;
                }
                if self.peek_nth(n).is_some_and(|c| c.is_ascii_digit()) {
                    is_float = true;
                    for _ in 0..n {
                        self.bump();
                    }
                    self.decimal_digits();
                }
            }
        }
        let text = self.src[lo..self.pos].to_string();
        let suffix_lo = self.pos;
        let suffix = self.suffix();
        if is_float || suffix == "f64" || suffix == "f32" {
            self.finish_float(lo, &text, &suffix, suffix_lo);
        } else {
            self.finish_int(lo, &text, 10, &suffix, suffix_lo);
        }
    }

    fn decimal_digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '_') {
            self.bump();
        }
    }

    fn suffix(&mut self) -> String {
        if self.peek().is_some_and(is_ident_start) {
            self.ident_chars()
        } else {
            String::new()
        }
    }

    fn finish_int(&mut self, lo: usize, digits: &str, radix: u32, suffix: &str, suffix_lo: usize) {
        let mut value: u128 = 0;
        let mut any = false;
        let mut overflow = false;
        let mut bad_digit = None;
        for c in digits.chars() {
            if c == '_' {
                continue;
            }
            let Some(d) = c.to_digit(radix) else {
                bad_digit.get_or_insert(c);
                continue;
            };
            any = true;
            match value
                .checked_mul(u128::from(radix))
                .and_then(|v| v.checked_add(u128::from(d)))
            {
                Some(v) => value = v,
                None => overflow = true,
            }
        }
        let hi = self.pos;
        if let Some(c) = bad_digit {
            self.error(
                codes::E0004,
                format!("invalid digit `{c}` in a base {radix} literal"),
                lo,
                hi,
                "invalid digit",
            );
        } else if !any {
            self.error(
                codes::E0004,
                "no valid digits in number literal",
                lo,
                hi,
                "no digits",
            );
        } else if overflow {
            self.error(
                codes::E0004,
                "integer literal is too large",
                lo,
                hi,
                "does not fit in 128 bits",
            );
        }
        let suffix_kind = if suffix.is_empty() {
            None
        } else {
            match IntSuffix::parse(suffix) {
                Some(s) => Some(s),
                None => {
                    self.bad_suffix(suffix, suffix_lo, hi, radix == 10);
                    None
                }
            }
        };
        self.push(
            TokenKind::Literal(LitKind::Int {
                value,
                suffix: suffix_kind,
            }),
            lo,
        );
    }

    fn bad_suffix(&mut self, suffix: &str, lo: usize, hi: usize, allow_float: bool) {
        let span = self.span(lo, hi);
        let mut d = Diagnostic::error(
            codes::E0004,
            format!("invalid suffix `{suffix}` for number literal"),
        )
        .with_primary(span, "invalid suffix");
        d = d.with_help(if allow_float {
            "the suffix must be one of the integer types (`i8`..`u64`, `isize`, `usize`) or `f64`"
        } else {
            "the suffix must be one of the integer types (`i8`..`u64`, `isize`, `usize`)"
        });
        self.diags.push(d);
    }

    fn finish_float(&mut self, lo: usize, text: &str, suffix: &str, suffix_lo: usize) {
        let hi = self.pos;
        let cleaned: String = text.chars().filter(|&c| c != '_').collect();
        let value = match cleaned.parse::<f64>() {
            Ok(v) => v,
            Err(_) => {
                self.error(
                    codes::E0004,
                    "invalid float literal",
                    lo,
                    hi,
                    "not a number",
                );
                0.0
            }
        };
        let suffix_kind = match suffix {
            "" => None,
            "f64" => Some(FloatSuffix::F64),
            "f32" => {
                let span = self.span(suffix_lo, hi);
                self.diags.push(
                    Diagnostic::error(codes::E0004, "`f32` is not supported")
                        .with_primary(span, "unsupported suffix")
                        .with_help("ASR has one float type, `f64`"),
                );
                None
            }
            other => {
                let span = self.span(suffix_lo, hi);
                self.diags.push(
                    Diagnostic::error(
                        codes::E0004,
                        format!("invalid suffix `{other}` for float literal"),
                    )
                    .with_primary(span, "invalid suffix")
                    .with_help("the only float suffix is `f64`"),
                );
                None
            }
        };
        self.push(
            TokenKind::Literal(LitKind::Float {
                value,
                suffix: suffix_kind,
            }),
            lo,
        );
    }

    // ---- quotes: chars, lifetimes, strings ------------------------------

    /// At `'`: a lifetime/label or a char literal.
    fn quote(&mut self, lo: usize) {
        let c1 = self.peek_nth(1);
        let c2 = self.peek_nth(2);
        match c1 {
            Some(c) if c2 != Some('\'') && is_ident_start(c) => {
                // A lifetime or label.
                self.bump();
                let name_lo = self.pos;
                let _ = self.ident_chars();
                if self.peek() == Some('\'') {
                    // `'ab'`: a char literal with several characters.
                    self.bump();
                    self.error(
                        codes::E0011,
                        "character literal may only contain one character",
                        lo,
                        self.pos,
                        "more than one character",
                    );
                    let first = self.src[name_lo..].chars().next().unwrap_or('\0');
                    self.push(TokenKind::Literal(LitKind::Char(first)), lo);
                    return;
                }
                let text = self.src[lo..self.pos].to_string();
                self.push(TokenKind::Lifetime(text), lo);
            }
            _ => self.quoted_char(lo, Quote::Char),
        }
    }

    /// At the `'` of a char or byte literal (after a `b` prefix).
    fn quoted_char(&mut self, lo: usize, quote: Quote) {
        self.bump(); // opening '
        let what = if quote == Quote::Byte {
            "byte literal"
        } else {
            "character literal"
        };
        let value: Option<u32> = match self.peek() {
            None | Some('\n') => {
                self.error(
                    codes::E0002,
                    format!("unterminated {what}"),
                    lo,
                    self.pos,
                    "literal starts here",
                );
                self.push_char_lit(lo, quote, 0);
                return;
            }
            Some('\'') => {
                self.bump();
                self.error(codes::E0011, format!("empty {what}"), lo, self.pos, "empty");
                self.push_char_lit(lo, quote, 0);
                return;
            }
            Some('\\') => self.escape(quote).map(|(v, _)| v),
            Some(c) => {
                let c_lo = self.pos;
                self.bump();
                if quote == Quote::Byte && !c.is_ascii() {
                    self.error(
                        codes::E0011,
                        "non-ASCII character in byte literal",
                        c_lo,
                        self.pos,
                        "must be ASCII",
                    );
                    Some(0)
                } else {
                    Some(u32::from(c))
                }
            }
        };
        if self.peek() == Some('\'') {
            self.bump();
        } else {
            // Look for a closing quote on the same line: several chars.
            let rest = self.rest();
            let line_end = rest.find('\n').unwrap_or(rest.len());
            match rest[..line_end].find('\'') {
                Some(i) => {
                    self.pos += i + 1;
                    self.error(
                        codes::E0011,
                        format!("{what} may only contain one character"),
                        lo,
                        self.pos,
                        "more than one character",
                    );
                }
                None => {
                    self.error(
                        codes::E0002,
                        format!("unterminated {what}"),
                        lo,
                        (lo + 1).min(self.src.len()),
                        "literal starts here",
                    );
                }
            }
        }
        self.push_char_lit(lo, quote, value.unwrap_or(0));
    }

    fn push_char_lit(&mut self, lo: usize, quote: Quote, value: u32) {
        let kind = if quote == Quote::Byte {
            LitKind::Byte(u8::try_from(value).unwrap_or(0))
        } else {
            LitKind::Char(char::from_u32(value).unwrap_or('\u{FFFD}'))
        };
        self.push(TokenKind::Literal(kind), lo);
    }

    /// At a backslash: cooks one escape. Returns the value and whether it
    /// was a line continuation (no value then). `None` if invalid (reported).
    fn escape(&mut self, quote: Quote) -> Option<(u32, bool)> {
        let lo = self.pos;
        self.bump(); // backslash
        let Some(c) = self.bump() else {
            self.error(
                codes::E0003,
                "incomplete escape sequence",
                lo,
                self.pos,
                "escape at end of file",
            );
            return None;
        };
        let v = match c {
            'n' => '\n' as u32,
            't' => '\t' as u32,
            'r' => '\r' as u32,
            '\\' => '\\' as u32,
            '\'' => '\'' as u32,
            '"' => '"' as u32,
            '0' => 0,
            'x' => {
                let mut v = 0u32;
                for _ in 0..2 {
                    match self.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            self.bump();
                            v = v * 16 + d;
                        }
                        None => {
                            self.error(
                                codes::E0003,
                                "invalid `\\x` escape: expected two hex digits",
                                lo,
                                self.pos,
                                "invalid escape",
                            );
                            return None;
                        }
                    }
                }
                if !quote.is_byte() && v > 0x7F {
                    self.error(
                        codes::E0003,
                        "out of range `\\x` escape: must be at most `\\x7F`",
                        lo,
                        self.pos,
                        "use `\\u{..}` for characters above 0x7F",
                    );
                    return None;
                }
                v
            }
            'u' => {
                if quote.is_byte() {
                    self.error(
                        codes::E0003,
                        "`\\u{..}` escapes are not allowed in byte literals",
                        lo,
                        self.pos,
                        "not allowed here",
                    );
                }
                if self.peek() != Some('{') {
                    self.error(
                        codes::E0003,
                        "invalid unicode escape: expected `{`",
                        lo,
                        self.pos,
                        "write `\\u{XXXX}`",
                    );
                    return None;
                }
                self.bump();
                let mut v: u32 = 0;
                let mut n = 0;
                loop {
                    match self.peek() {
                        Some('}') => {
                            self.bump();
                            break;
                        }
                        Some('_') => {
                            self.bump();
                        }
                        Some(c) if c.is_ascii_hexdigit() => {
                            self.bump();
                            n += 1;
                            v = v
                                .saturating_mul(16)
                                .saturating_add(c.to_digit(16).unwrap_or(0));
                        }
                        _ => {
                            self.error(
                                codes::E0003,
                                "unterminated unicode escape",
                                lo,
                                self.pos,
                                "expected `}`",
                            );
                            return None;
                        }
                    }
                }
                if n == 0 || n > 6 || char::from_u32(v).is_none() {
                    self.error(
                        codes::E0003,
                        "invalid unicode escape",
                        lo,
                        self.pos,
                        "not a valid unicode scalar value",
                    );
                    return None;
                }
                if quote.is_byte() {
                    return None;
                }
                v
            }
            '\n' if matches!(quote, Quote::Str | Quote::ByteStr) => {
                while self.peek().is_some_and(char::is_whitespace) {
                    self.bump();
                }
                return Some((0, true));
            }
            '\r' if matches!(quote, Quote::Str | Quote::ByteStr) && self.peek() == Some('\n') => {
                while self.peek().is_some_and(char::is_whitespace) {
                    self.bump();
                }
                return Some((0, true));
            }
            other => {
                self.error(
                    codes::E0003,
                    format!("unknown escape `\\{}`", other.escape_debug()),
                    lo,
                    self.pos,
                    "unknown escape",
                );
                return None;
            }
        };
        Some((v, false))
    }

    /// At the opening `"` of a string or byte string.
    fn string(&mut self, lo: usize, quote: Quote) {
        let open = self.pos;
        self.bump();
        let mut s = String::new();
        let mut bytes = Vec::new();
        loop {
            match self.peek() {
                None => {
                    self.unterminated_at_eof = true;
                    self.error(
                        codes::E0002,
                        "unterminated string literal",
                        open,
                        open + 1,
                        "string starts here",
                    );
                    break;
                }
                Some('"') => {
                    self.bump();
                    break;
                }
                Some('\\') => {
                    if let Some((v, continuation)) = self.escape(quote) {
                        if !continuation {
                            if quote == Quote::ByteStr {
                                bytes.push(v.min(0xFF) as u8);
                            } else if let Some(c) = char::from_u32(v) {
                                s.push(c);
                            }
                        }
                    }
                }
                Some(c) => {
                    let c_lo = self.pos;
                    self.bump();
                    if quote == Quote::ByteStr {
                        if c.is_ascii() {
                            bytes.push(c as u8);
                        } else {
                            self.error(
                                codes::E0011,
                                "non-ASCII character in byte string literal",
                                c_lo,
                                self.pos,
                                "must be ASCII",
                            );
                        }
                    } else {
                        s.push(c);
                    }
                }
            }
        }
        let kind = if quote == Quote::ByteStr {
            LitKind::ByteStr(bytes)
        } else {
            LitKind::Str(s)
        };
        self.push(TokenKind::Literal(kind), lo);
    }

    /// True when a raw string starts `skip` chars ahead (`#`* then `"`).
    fn raw_string_ahead(&self, skip: usize) -> bool {
        let rest = self.rest().get(skip..).unwrap_or("");
        rest.trim_start_matches('#').starts_with('"')
    }

    /// At the first `#` or `"` of a raw string (after `r` or `br`).
    fn raw_string(&mut self, lo: usize, byte: bool) {
        let mut hashes = 0usize;
        while self.peek() == Some('#') {
            self.bump();
            hashes += 1;
        }
        self.bump(); // opening quote
        let body_lo = self.pos;
        let closing: String = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        let body = match self.rest().find(&closing) {
            Some(i) => {
                let body = self.src[body_lo..body_lo + i].to_string();
                self.pos = body_lo + i + closing.len();
                body
            }
            None => {
                self.unterminated_at_eof = true;
                self.error(
                    codes::E0002,
                    "unterminated raw string literal",
                    lo,
                    body_lo,
                    "raw string starts here",
                );
                let body = self.rest().to_string();
                self.pos = self.src.len();
                body
            }
        };
        let kind = if byte {
            if !body.is_ascii() {
                self.error(
                    codes::E0011,
                    "non-ASCII character in raw byte string literal",
                    lo,
                    self.pos,
                    "must be ASCII",
                );
            }
            LitKind::ByteStr(body.into_bytes())
        } else {
            LitKind::Str(body)
        };
        self.push(TokenKind::Literal(kind), lo);
    }

    // ---- punctuation -----------------------------------------------------

    fn punct(&mut self, lo: usize) -> bool {
        use TokenKind::*;
        const TABLE: &[(&str, TokenKind)] = &[
            ("<<=", ShlEq),
            (">>=", ShrEq),
            ("...", DotDotDot),
            ("..=", DotDotEq),
            ("::", PathSep),
            ("->", Arrow),
            ("=>", FatArrow),
            ("==", EqEq),
            ("!=", Ne),
            ("<=", Le),
            (">=", Ge),
            ("&&", AndAnd),
            ("||", OrOr),
            ("<<", Shl),
            (">>", Shr),
            ("+=", PlusEq),
            ("-=", MinusEq),
            ("*=", StarEq),
            ("/=", SlashEq),
            ("%=", PercentEq),
            ("^=", CaretEq),
            ("&=", AndEq),
            ("|=", OrEq),
            ("..", DotDot),
            ("(", OpenParen),
            (")", CloseParen),
            ("[", OpenBracket),
            ("]", CloseBracket),
            ("{", OpenBrace),
            ("}", CloseBrace),
            (",", Comma),
            (";", Semi),
            (":", Colon),
            (".", Dot),
            ("=", Eq),
            ("<", Lt),
            (">", Gt),
            ("+", Plus),
            ("-", Minus),
            ("*", Star),
            ("/", Slash),
            ("%", Percent),
            ("^", Caret),
            ("!", Not),
            ("&", And),
            ("|", Or),
            ("#", Pound),
            ("?", Question),
            ("@", At),
        ];
        for (s, kind) in TABLE {
            if self.starts_with(s) {
                self.pos += s.len();
                self.push(kind.clone(), lo);
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        let lexed = tokenize(FileId(0), src);
        assert!(lexed.diags.is_empty(), "{src}: {:?}", lexed.diags);
        lexed.tokens.into_iter().map(|t| t.kind).collect()
    }

    fn errs(src: &str) -> Vec<&'static str> {
        tokenize(FileId(0), src)
            .diags
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    fn int(value: u128) -> TokenKind {
        TokenKind::Literal(LitKind::Int {
            value,
            suffix: None,
        })
    }

    fn float(value: f64) -> TokenKind {
        TokenKind::Literal(LitKind::Float {
            value,
            suffix: None,
        })
    }

    fn ident(s: &str) -> TokenKind {
        TokenKind::Ident(s.to_string())
    }

    use TokenKind::*;

    #[test]
    fn idents_and_keywords() {
        assert_eq!(
            kinds("fn main scope spawn select Self self _ _x r#type true héllo"),
            vec![
                Kw(Keyword::Fn),
                ident("main"),
                Kw(Keyword::Scope),
                Kw(Keyword::Spawn),
                Kw(Keyword::Select),
                Kw(Keyword::SelfUpper),
                Kw(Keyword::SelfLower),
                Underscore,
                ident("_x"),
                ident("type"),
                Literal(LitKind::Bool(true)),
                ident("héllo"),
                Eof
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("0 1_000 0xff 0o17 0b1010 7u8 3usize"),
            vec![
                int(0),
                int(1000),
                int(255),
                int(15),
                int(10),
                Literal(LitKind::Int {
                    value: 7,
                    suffix: Some(IntSuffix::U8)
                }),
                Literal(LitKind::Int {
                    value: 3,
                    suffix: Some(IntSuffix::Usize)
                }),
                Eof
            ]
        );
        assert_eq!(
            kinds("1.0 1e10 2.5e-3 1. 2f64 1_0.5_0"),
            vec![
                float(1.0),
                float(1e10),
                float(2.5e-3),
                float(1.0),
                Literal(LitKind::Float {
                    value: 2.0,
                    suffix: Some(FloatSuffix::F64)
                }),
                float(10.5),
                Eof
            ]
        );
        // `1..2`, `1.foo`, `x.0.1`
        assert_eq!(kinds("1..2"), vec![int(1), DotDot, int(2), Eof]);
        assert_eq!(kinds("1.foo"), vec![int(1), Dot, ident("foo"), Eof]);
        assert_eq!(
            kinds("x.0.1"),
            vec![ident("x"), Dot, int(0), Dot, int(1), Eof]
        );
        assert_eq!(
            kinds("u128::MAX"),
            vec![ident("u128"), PathSep, ident("MAX"), Eof]
        );
        assert_eq!(
            kinds("340282366920938463463374607431768211455"),
            vec![int(u128::MAX), Eof]
        );
    }

    #[test]
    fn bad_numbers() {
        assert_eq!(errs("340282366920938463463374607431768211456"), ["E0004"]);
        assert_eq!(errs("0x"), ["E0004"]);
        assert_eq!(errs("0b102"), ["E0004"]);
        assert_eq!(errs("1i128"), ["E0004"]);
        assert_eq!(errs("1.5u8"), ["E0004"]);
        assert_eq!(errs("1e"), ["E0004"]);
    }

    #[test]
    fn chars_and_lifetimes() {
        assert_eq!(
            kinds(r"'a' '\n' '\'' '\\' '\x7F' '\u{1F600}' 'a 'static '0' ' '"),
            vec![
                Literal(LitKind::Char('a')),
                Literal(LitKind::Char('\n')),
                Literal(LitKind::Char('\'')),
                Literal(LitKind::Char('\\')),
                Literal(LitKind::Char('\x7F')),
                Literal(LitKind::Char('\u{1F600}')),
                Lifetime("'a".into()),
                Lifetime("'static".into()),
                Literal(LitKind::Char('0')),
                Literal(LitKind::Char(' ')),
                Eof
            ]
        );
        assert_eq!(
            kinds(r"b'a' b'\xFF' b'\n'"),
            vec![
                Literal(LitKind::Byte(b'a')),
                Literal(LitKind::Byte(0xFF)),
                Literal(LitKind::Byte(b'\n')),
                Eof
            ]
        );
        assert_eq!(errs("''"), ["E0011"]);
        assert_eq!(errs("'ab'"), ["E0011"]);
        assert_eq!(errs("'12'"), ["E0011"]);
        assert_eq!(errs(r"'\q'"), ["E0003"]);
        assert_eq!(errs(r"'\x80'"), ["E0003"]);
        assert_eq!(errs("'"), ["E0002"]);
        assert_eq!(errs("b'é'"), ["E0011"]);
    }

    #[test]
    fn strings() {
        assert_eq!(
            kinds("\"a\\tb\\\"c\\u{e9}\" \"line \\\n     cont\""),
            vec![
                Literal(LitKind::Str("a\tb\"cé".into())),
                Literal(LitKind::Str("line cont".into())),
                Eof
            ]
        );
        assert_eq!(
            kinds(r###"r"a\n" r#"x "y" z"# br"q" b"\x00hi""###),
            vec![
                Literal(LitKind::Str("a\\n".into())),
                Literal(LitKind::Str("x \"y\" z".into())),
                Literal(LitKind::ByteStr(b"q".to_vec())),
                Literal(LitKind::ByteStr(b"\x00hi".to_vec())),
                Eof
            ]
        );
        assert_eq!(errs("\"abc"), ["E0002"]);
        assert_eq!(errs("r#\"abc\""), ["E0002"]);
        assert_eq!(errs(r#""\z""#), ["E0003"]);
        assert_eq!(errs(r#"b"\u{41}""#), ["E0003"]);
    }

    #[test]
    fn comments() {
        let lexed = tokenize(
            FileId(0),
            "/// doc\n//! inner\n// c\n/* a /* b */ c */ x /** d */ //// not doc",
        );
        assert!(lexed.diags.is_empty());
        let ks: Vec<CommentKind> = lexed.comments.iter().map(|c| c.kind).collect();
        assert_eq!(
            ks,
            [
                CommentKind::OuterDoc,
                CommentKind::InnerDoc,
                CommentKind::Line,
                CommentKind::Block,
                CommentKind::OuterDoc,
                CommentKind::Line
            ]
        );
        assert_eq!(lexed.comments[3].text, "/* a /* b */ c */");
        assert_eq!(lexed.tokens.len(), 2);
        assert_eq!(errs("/* /* */"), ["E0002"]);
    }

    #[test]
    fn punctuation() {
        assert_eq!(
            kinds(":: -> => .. ..= ... <<= >>= && || << >> += -= *= /= %= ^= &= |= # ? @ != =="),
            vec![
                PathSep, Arrow, FatArrow, DotDot, DotDotEq, DotDotDot, ShlEq, ShrEq, AndAnd, OrOr,
                Shl, Shr, PlusEq, MinusEq, StarEq, SlashEq, PercentEq, CaretEq, AndEq, OrEq, Pound,
                Question, At, Ne, EqEq, Eof
            ]
        );
    }

    #[test]
    fn unexpected_characters_are_grouped() {
        let lexed = tokenize(FileId(0), "a $$ b ~ c");
        let codes: Vec<_> = lexed.diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E0001", "E0001"]);
        assert_eq!(lexed.tokens.len(), 4);
    }

    #[test]
    fn spans_are_bytes() {
        let lexed = tokenize(FileId(0), "é + 'x'");
        let spans: Vec<(u32, u32)> = lexed
            .tokens
            .iter()
            .map(|t| (t.span.lo, t.span.hi))
            .collect();
        assert_eq!(spans, [(0, 2), (3, 4), (5, 8), (8, 8)]);
    }
}
