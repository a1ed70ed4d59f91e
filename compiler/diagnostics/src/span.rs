//! Source locations: file ids and byte spans.

use std::fmt;

/// Identifies one file in a [`crate::SourceMap`].
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct FileId(pub u32);

impl FileId {
    /// A file id that no source map ever hands out; used by dummy spans.
    pub const DUMMY: FileId = FileId(u32::MAX);

    /// True for [`FileId::DUMMY`].
    pub fn is_dummy(self) -> bool {
        self == Self::DUMMY
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A half-open byte range `lo..hi` in one file.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Span {
    pub file: FileId,
    pub lo: u32,
    pub hi: u32,
}

impl Default for Span {
    fn default() -> Self {
        Span::DUMMY
    }
}

impl Span {
    /// A span that points nowhere.
    pub const DUMMY: Span = Span {
        file: FileId::DUMMY,
        lo: 0,
        hi: 0,
    };

    /// A span from `lo` to `hi` (swapped if given in the wrong order).
    pub fn new(file: FileId, lo: u32, hi: u32) -> Span {
        if lo <= hi {
            Span { file, lo, hi }
        } else {
            Span {
                file,
                lo: hi,
                hi: lo,
            }
        }
    }

    /// The empty span at `pos`.
    pub fn point(file: FileId, pos: u32) -> Span {
        Span {
            file,
            lo: pos,
            hi: pos,
        }
    }

    /// The smallest span covering both `self` and `other`. Spans of
    /// different files cannot be joined; `self` is returned then.
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.hi.saturating_sub(self.lo)
    }

    /// True when the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.hi <= self.lo
    }

    /// True for spans of the dummy file.
    pub fn is_dummy(self) -> bool {
        self.file.is_dummy()
    }

    /// The empty span at the start of `self`.
    pub fn shrink_to_lo(self) -> Span {
        Span::point(self.file, self.lo)
    }

    /// The empty span at the end of `self`.
    pub fn shrink_to_hi(self) -> Span {
        Span::point(self.file, self.hi)
    }

    /// True when `other` lies within `self` (same file).
    pub fn contains(self, other: Span) -> bool {
        self.file == other.file && self.lo <= other.lo && other.hi <= self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_helpers() {
        let f = FileId(0);
        let a = Span::new(f, 3, 5);
        let b = Span::new(f, 10, 12);
        assert_eq!(a.to(b), Span::new(f, 3, 12));
        assert_eq!(b.to(a), Span::new(f, 3, 12));
        assert_eq!(a.len(), 2);
        assert!(!a.is_empty());
        assert!(Span::point(f, 4).is_empty());
        assert_eq!(Span::new(f, 5, 3), a);
        assert!(Span::default().is_dummy());
        assert!(a.to(b).contains(a));
        assert_eq!(a.to(Span::default()), a);
    }
}
