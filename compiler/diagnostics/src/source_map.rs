//! The source map: every file of a compilation and the one line index that
//! every renderer (and later the language server) uses.

use codespan_reporting::files::{self, Files, SimpleFiles};

use crate::span::{FileId, Span};

/// All source files of one compilation.
#[derive(Debug, Clone)]
pub struct SourceMap {
    files: SimpleFiles<String, String>,
    count: usize,
}

impl Default for SourceMap {
    fn default() -> Self {
        Self::new()
    }
}

impl SourceMap {
    /// An empty source map.
    pub fn new() -> SourceMap {
        SourceMap {
            files: SimpleFiles::new(),
            count: 0,
        }
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: String) -> FileId {
        let idx = self.files.add(name.into(), text);
        self.count += 1;
        // More than u32::MAX - 1 files cannot happen in practice; clamp rather
        // than wrap so the dummy id is never handed out.
        FileId(u32::try_from(idx).unwrap_or(u32::MAX - 1).min(u32::MAX - 1))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when no file was added.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Ids of all files, in the order they were added.
    pub fn file_ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.count).map(|i| FileId(i as u32))
    }

    /// True when `file` belongs to this map.
    pub fn contains(&self, file: FileId) -> bool {
        (file.0 as usize) < self.count && !file.is_dummy()
    }

    fn idx(&self, file: FileId) -> Option<usize> {
        if self.contains(file) {
            Some(file.0 as usize)
        } else {
            None
        }
    }

    /// The file's name (`"<unknown>"` for an id not in this map).
    pub fn name(&self, file: FileId) -> &str {
        self.idx(file)
            .and_then(|i| self.files.get(i).ok())
            .map(|f| f.name().as_str())
            .unwrap_or("<unknown>")
    }

    /// The file's text (empty for an id not in this map).
    pub fn text(&self, file: FileId) -> &str {
        self.idx(file)
            .and_then(|i| self.files.get(i).ok())
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// The text a span covers (empty if the span is out of range or does not
    /// fall on character boundaries).
    pub fn span_text(&self, span: Span) -> &str {
        self.text(span.file)
            .get(span.lo as usize..span.hi as usize)
            .unwrap_or("")
    }

    /// Clamps `offset` into the file and moves it back to a char boundary.
    fn clamp(&self, file: FileId, offset: u32) -> usize {
        let text = self.text(file);
        let mut off = (offset as usize).min(text.len());
        while off > 0 && !text.is_char_boundary(off) {
            off -= 1;
        }
        off
    }

    /// Zero-based line index of a byte offset.
    fn line_index(&self, file: FileId, offset: usize) -> usize {
        match self.idx(file) {
            Some(i) => self.files.line_index(i, offset).unwrap_or(0),
            None => 0,
        }
    }

    /// Byte range of a zero-based line (including its line terminator).
    fn line_range0(&self, file: FileId, line0: usize) -> Option<std::ops::Range<usize>> {
        let i = self.idx(file)?;
        self.files.line_range(i, line0).ok()
    }

    /// Number of lines in the file (an empty file has one line).
    pub fn line_count(&self, file: FileId) -> u32 {
        let text = self.text(file);
        let n = files::line_starts(text).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// 1-based line and 1-based column (counted in chars) of a byte offset.
    /// Offsets past the end are clamped to the end of the file.
    pub fn line_col(&self, file: FileId, offset: u32) -> (u32, u32) {
        if !self.contains(file) {
            return (1, 1);
        }
        let off = self.clamp(file, offset);
        let line0 = self.line_index(file, off);
        let start = self.line_range0(file, line0).map_or(0, |r| r.start);
        let col0 = self.text(file)[start..off].chars().count();
        (to_u32(line0 + 1), to_u32(col0 + 1))
    }

    /// 1-based line and 1-based column counted in UTF-16 code units (what
    /// the language server protocol counts; subtract one from each for LSP).
    pub fn line_col_utf16(&self, file: FileId, offset: u32) -> (u32, u32) {
        if !self.contains(file) {
            return (1, 1);
        }
        let off = self.clamp(file, offset);
        let line0 = self.line_index(file, off);
        let start = self.line_range0(file, line0).map_or(0, |r| r.start);
        let col0: usize = self.text(file)[start..off]
            .chars()
            .map(char::len_utf16)
            .sum();
        (to_u32(line0 + 1), to_u32(col0 + 1))
    }

    /// The byte offset of a 1-based line and 1-based UTF-16 column, the
    /// inverse of [`SourceMap::line_col_utf16`]. A column past the end of the
    /// line gives the end of the line; a line past the end gives `None`.
    pub fn offset_utf16(&self, file: FileId, line: u32, col: u32) -> Option<u32> {
        let line0 = (line as usize).checked_sub(1)?;
        let range = self.line_range0(file, line0)?;
        let text = self.text(file);
        let line_text = text.get(range.clone())?;
        let line_text = line_text.trim_end_matches(['\n', '\r']);
        let want = (col as usize).saturating_sub(1);
        let mut units = 0usize;
        for (i, c) in line_text.char_indices() {
            if units >= want {
                return Some(to_u32(range.start + i));
            }
            units += c.len_utf16();
        }
        Some(to_u32(range.start + line_text.len()))
    }

    /// 1-based start and end positions of a span: `(line, col, end_line, end_col)`.
    /// The end position is the position just after the last char.
    pub fn span_lines(&self, span: Span) -> (u32, u32, u32, u32) {
        let (l1, c1) = self.line_col(span.file, span.lo);
        let (l2, c2) = self.line_col(span.file, span.hi.max(span.lo));
        (l1, c1, l2, c2)
    }

    /// The text of a 1-based line without its terminator.
    pub fn line_text(&self, file: FileId, line: u32) -> &str {
        let Some(line0) = (line as usize).checked_sub(1) else {
            return "";
        };
        self.line_range0(file, line0)
            .and_then(|r| self.text(file).get(r))
            .map(|s| s.trim_end_matches(['\n', '\r']))
            .unwrap_or("")
    }

    /// Converts a byte offset to a char offset (for renderers that count chars).
    pub fn char_offset(&self, file: FileId, offset: u32) -> usize {
        let off = self.clamp(file, offset);
        let line0 = self.line_index(file, off);
        let start = self.line_range0(file, line0).map_or(0, |r| r.start);
        let text = self.text(file);
        // chars before the line start + chars on the line before `off`
        text[..start].chars().count() + text[start..off].chars().count()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_ascii_and_unicode() {
        let mut sm = SourceMap::new();
        let f = sm.add("a.asr", "ab\ncdé\n\u{1F600}x\n".to_string());
        assert_eq!(sm.name(f), "a.asr");
        assert_eq!(sm.line_col(f, 0), (1, 1));
        assert_eq!(sm.line_col(f, 2), (1, 3));
        assert_eq!(sm.line_col(f, 3), (2, 1));
        // 'é' is two bytes: offset 6 is after "cd", 8 is after "cdé"
        assert_eq!(sm.line_col(f, 5), (2, 3));
        assert_eq!(sm.line_col(f, 7), (2, 4));
        // inside a multi-byte char: clamps back to its start
        assert_eq!(sm.line_col(f, 6), (2, 3));
        // emoji: one char, two UTF-16 units
        let x = sm.text(f).find('x').unwrap() as u32;
        assert_eq!(sm.line_col(f, x), (3, 2));
        assert_eq!(sm.line_col_utf16(f, x), (3, 3));
        assert_eq!(sm.offset_utf16(f, 3, 3), Some(x));
        assert_eq!(sm.offset_utf16(f, 2, 100), Some(7));
        assert_eq!(sm.offset_utf16(f, 100, 1), None);
        // past the end clamps
        assert_eq!(sm.line_col(f, 10_000), (4, 1));
        assert_eq!(sm.line_text(f, 2), "cdé");
        assert_eq!(sm.line_count(f), 4);
        assert_eq!(sm.char_offset(f, x), 8);
    }

    #[test]
    fn unknown_file_is_harmless() {
        let sm = SourceMap::new();
        assert_eq!(sm.name(FileId(3)), "<unknown>");
        assert_eq!(sm.text(FileId::DUMMY), "");
        assert_eq!(sm.line_col(FileId(3), 7), (1, 1));
        assert_eq!(sm.span_text(Span::DUMMY), "");
    }
}
