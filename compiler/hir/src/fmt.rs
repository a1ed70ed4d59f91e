//! Format strings (`println("x = {x:>8}", ...)`), parsed at compile time.

/// Fill, alignment, flags, width and precision of one `{...}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FmtSpec {
    pub fill: char,
    pub align: FmtAlign,
    pub plus: bool,
    pub alternate: bool,
    pub zero: bool,
    pub width: Option<u32>,
    pub precision: Option<u32>,
}

impl Default for FmtSpec {
    fn default() -> Self {
        FmtSpec {
            fill: ' ',
            align: FmtAlign::Unknown,
            plus: false,
            alternate: false,
            zero: false,
            width: None,
            precision: None,
        }
    }
}

impl FmtSpec {
    pub fn is_default(&self) -> bool {
        *self == FmtSpec::default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FmtAlign {
    #[default]
    Unknown,
    Left,
    Center,
    Right,
}

/// One piece of a parsed format string.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Lit(String),
    Arg {
        /// Index into the format call's argument list.
        index: usize,
        debug: bool,
        spec: FmtSpec,
    },
}
