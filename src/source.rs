//! Source files, byte spans and the line index that turns offsets into lines and columns.

use std::path::PathBuf;

/// Index of a file in the [`SourceMap`].
pub type FileId = u32;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let start = start.min(u32::MAX as usize) as u32;
        let end = (end.min(u32::MAX as usize) as u32).max(start);
        Span { file, start, end }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line and column position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    /// 1-based column in bytes.
    pub column: usize,
    /// 1-based column in UTF-16 code units (SARIF and LSP default).
    pub column_utf16: usize,
}

/// One file read from disk, with its line-start table.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the scan root, with `/` separators.
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> SourceFile {
        let line_starts = line_starts(&text);
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    pub fn line_starts(&self) -> &[u32] {
        &self.line_starts
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of a 0-based line, without its terminator.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line)? as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map(|e| *e as usize)
            .unwrap_or(self.text.len());
        let slice = &self.text[start..end];
        let trimmed = slice.trim_end_matches(['\n', '\r']);
        Some(start..start + trimmed.len())
    }

    /// Position of a byte offset. Offsets inside a multi-byte character are clamped back to
    /// its start.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        let prefix = &self.text[start..offset];
        Position {
            line: line + 1,
            column: prefix.len() + 1,
            column_utf16: prefix.encode_utf16().count() + 1,
        }
    }

    /// Byte offset of a 1-based line and byte column (inverse of [`position`]).
    pub fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)? as usize;
        let off = start + column.checked_sub(1)?;
        (off <= self.text.len()).then_some(off)
    }
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0u32];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            starts.push((i + 1) as u32);
        }
    }
    starts
}

/// Every file of a scan, in a fixed (sorted) order.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        (self.files.len() - 1) as FileId
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Blanks a span's text with `*`, keeping every byte offset (and so every other span)
    /// valid: used for secrets that must not reach any output.
    pub fn redact(&mut self, span: Span) {
        let Some(file) = self.files.get_mut(span.file as usize) else {
            return;
        };
        let Some(slice) = file.text.get(span.range()) else {
            return;
        };
        let blank: String = slice
            .chars()
            .map(|c| {
                if c == '"' || c == '\n' {
                    c.to_string()
                } else {
                    "*".repeat(c.len_utf8())
                }
            })
            .collect();
        file.text.replace_range(span.range(), &blank);
    }

    pub fn text(&self, span: Span) -> &str {
        self.get(span.file)
            .text
            .get(span.range())
            .unwrap_or_default()
    }
}

impl<'a> codespan_reporting::files::Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id as usize)
            .map(|f| f.name.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id as usize)
            .map(|f| f.text.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id as usize)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(file.line_index(byte_index))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id as usize)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        let start = *file.line_starts.get(line_index).ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: file.line_starts.len() - 1,
            },
        )? as usize;
        let end = file
            .line_starts
            .get(line_index + 1)
            .map(|e| *e as usize)
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_utf16_units_for_non_ascii() {
        let f = SourceFile::new("a".into(), "a".into(), "x = \"é😀\" y\nz".into());
        let off = f.text.find(" y").unwrap();
        let p = f.position(off);
        assert_eq!(p.line, 1);
        assert_eq!(p.column, off + 1);
        // `x = "` is 5 units, é is 1, 😀 is 2, `"` is 1
        assert_eq!(p.column_utf16, 10);
        assert_eq!(f.position(f.text.len()).line, 2);
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn offsets_round_trip_through_line_and_column(text in "[a-zé😀\\n\\r ]{0,200}", pick in 0usize..400) {
            let f = SourceFile::new("p".into(), "p".into(), text.clone());
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            let off = boundaries[pick % boundaries.len()];
            let p = f.position(off);
            prop_assert_eq!(f.offset(p.line, p.column), Some(off));
            let line_start = f.offset(p.line, 1).unwrap();
            prop_assert_eq!(p.column_utf16, text[line_start..off].encode_utf16().count() + 1);
        }
    }
}
