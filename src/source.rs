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

/// One file of a scan: its name, its line-start table, and its text.
///
/// The text of a file read from disk is not kept once the file has been analysed (a scan of
/// a large tree would otherwise hold every file in memory): it is read again, on first use,
/// when a diagnostic needs it, and checked against the length and hash of what was
/// analysed. The line table stays (a few bytes a line), so that a file changed in between
/// still gets the lines and columns of the analysis: its text is then blank (spaces, with
/// the newlines where they were), and its snippets empty.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the scan root, with `/` separators.
    pub name: String,
    pub path: PathBuf,
    line_starts: Box<[u32]>,
    /// The lines (0-based) that hold a character outside ASCII: elsewhere a UTF-16
    /// column is the byte column, without counting (a plan is one line of megabytes).
    wide_lines: Box<[u32]>,
    text: std::sync::OnceLock<String>,
    /// Length and hash of the analysed text when it can be read again from `path`.
    on_disk: Option<(usize, u64)>,
    /// Spans blanked in every rendering (secrets).
    redactions: Vec<Span>,
}

impl SourceFile {
    /// A file whose text is held for the whole scan (an editor buffer, a test).
    /// Whether this file's analysed text is `text` (a template deployed by Terraform's
    /// `file()` is the text of a file of the tree).
    pub fn holds(&self, text: &str) -> bool {
        // The hash first: a held text may have had secrets blanked since.
        match (self.on_disk, self.text.get()) {
            (Some((len, hash)), _) => len == text.len() && content_hash(text) == hash,
            (None, Some(t)) => t == text,
            (None, None) => false,
        }
    }

    pub fn new(name: String, path: PathBuf, text: String) -> SourceFile {
        let (starts, wide) = lines(&text);
        SourceFile {
            name,
            path,
            line_starts: starts.into_boxed_slice(),
            wide_lines: wide.into_boxed_slice(),
            text: std::sync::OnceLock::from(text),
            on_disk: None,
            redactions: Vec::new(),
        }
    }

    /// A file read from disk: `text` (what was analysed, decoded by [`decode`]) is held
    /// until [`SourceFile::release`], then read again from `path` when needed.
    pub fn on_disk(name: String, path: PathBuf, text: String) -> SourceFile {
        SourceFile {
            on_disk: Some((text.len(), content_hash(&text))),
            ..SourceFile::new(name, path, text)
        }
    }

    /// Blanks a span that holds a secret, in this text and whenever it is read again.
    pub fn redact(&mut self, span: Span) {
        if let Some(text) = self.text.get_mut() {
            blank(text, span);
        }
        self.redactions.push(span);
    }

    /// Drops the text of a file that can be read again from disk.
    pub fn release(&mut self) {
        if self.on_disk.is_some() {
            self.text.take();
        }
    }

    /// Whether the text is in memory.
    pub fn is_held(&self) -> bool {
        self.text.get().is_some()
    }

    /// Length of the analysed text in bytes (without reading it again).
    pub fn len(&self) -> usize {
        match (self.on_disk, self.text.get()) {
            (Some((len, _)), _) => len,
            (None, Some(t)) => t.len(),
            (None, None) => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text, read again from disk if it is not held.
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| {
            let Some((len, hash)) = self.on_disk else {
                return String::new();
            };
            // Only the regular file it was: a FIFO put in its place would block the read.
            let same_kind = std::fs::metadata(&self.path).is_ok_and(|m| m.is_file());
            let mut text = same_kind
                .then(|| std::fs::read(&self.path).ok())
                .flatten()
                .map(decode)
                .filter(|t| t.len() == len && content_hash(t) == hash)
                .unwrap_or_else(|| self.blank_text(len));
            for span in &self.redactions {
                blank(&mut text, *span);
            }
            text
        })
    }

    /// A text of `len` bytes with the analysed line structure and nothing else.
    fn blank_text(&self, len: usize) -> String {
        let mut text = vec![b' '; len];
        for start in self.line_starts.iter().skip(1) {
            if let Some(b) = (*start as usize)
                .checked_sub(1)
                .and_then(|i| text.get_mut(i))
            {
                *b = b'\n';
            }
        }
        String::from_utf8(text).unwrap_or_default()
    }

    pub fn line_starts(&self) -> &[u32] {
        &self.line_starts
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of a 0-based line, without its terminator.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let (text, starts) = (self.text(), self.line_starts());
        let start = *starts.get(line)? as usize;
        let end = starts
            .get(line + 1)
            .map(|e| *e as usize)
            .unwrap_or(text.len());
        let slice = &text[start..end];
        let trimmed = slice.trim_end_matches(['\n', '\r']);
        Some(start..start + trimmed.len())
    }

    /// Position of a byte offset. Offsets inside a multi-byte character are clamped back to
    /// its start.
    pub fn position(&self, offset: usize) -> Position {
        let (text, starts) = (self.text(), self.line_starts());
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_index(offset);
        let start = starts[line] as usize;
        let prefix = &text[start..offset];
        let wide = self.wide_lines.binary_search(&(line as u32)).is_ok();
        Position {
            line: line + 1,
            column: prefix.len() + 1,
            column_utf16: if wide {
                prefix.encode_utf16().count() + 1
            } else {
                prefix.len() + 1
            },
        }
    }

    /// Byte offset of a 1-based line and byte column (inverse of [`position`]).
    pub fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.line_starts().get(line.checked_sub(1)?)? as usize;
        let off = start + column.checked_sub(1)?;
        (off <= self.text().len()).then_some(off)
    }
}

/// A hash of a text to tell, within one run, whether a file read again is the one analysed
/// (eight bytes a step: it runs over every file of a scan).
fn content_hash(text: &str) -> u64 {
    let mut h: u64 = text.len() as u64;
    let mut chunks = text.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes(c.try_into().unwrap_or_default());
        h = (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    for b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h
}

/// The text of a file's bytes as iacguard analyses it: UTF-8, a file with a UTF-16 byte
/// order mark decoded, invalid UTF-8 replaced (such a file is reported, not analysed).
pub fn decode(bytes: Vec<u8>) -> String {
    if let Some(text) = utf16_text(&bytes) {
        return text;
    }
    match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The text of a file that starts with a UTF-16 byte order mark, decoded (lossily), BOM
/// included.
pub fn utf16_text(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let units = bytes.chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Blanks a span's text with `*`, keeping every byte offset valid.
fn blank(text: &mut String, span: Span) {
    let Some(slice) = text.get(span.range()) else {
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
    text.replace_range(span.range(), &blank);
}

/// Byte offsets where the lines of a text start (after each `\n`).
/// In one pass over `text`: the byte offset where each line starts, and the 0-based
/// lines that hold a byte outside ASCII.
fn lines(text: &str) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32];
    let mut wide = Vec::new();
    let mut this_wide = false;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            if this_wide {
                wide.push((starts.len() - 1) as u32);
            }
            starts.push((i + 1) as u32);
            this_wide = false;
        } else if b >= 0x80 {
            this_wide = true;
        }
    }
    if this_wide {
        wide.push((starts.len() - 1) as u32);
    }
    (starts, wide)
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
        if let Some(text) = file.text.get_mut() {
            blank(text, span);
        }
        file.redactions.push(span);
    }

    pub fn text(&self, span: Span) -> &str {
        self.get(span.file)
            .text()
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
            .map(|f| f.text())
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
        let starts = file.line_starts();
        let start =
            *starts
                .get(line_index)
                .ok_or(codespan_reporting::files::Error::LineTooLarge {
                    given: line_index,
                    max: starts.len() - 1,
                })? as usize;
        let end = starts
            .get(line_index + 1)
            .map(|e| *e as usize)
            .unwrap_or(file.text().len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_only_lines_outside_ascii() {
        let f = SourceFile::new("a".into(), "a".into(), "ab = 1\né = x\nz".into());
        // Line 2: `é` is two bytes, one UTF-16 unit.
        let p = f.position("ab = 1\né = ".len());
        assert_eq!((p.line, p.column, p.column_utf16), (2, 6, 5));
        let p = f.position(3);
        assert_eq!((p.line, p.column, p.column_utf16), (1, 4, 4));
        let p = f.position("ab = 1\né = x\nz".len());
        assert_eq!((p.line, p.column, p.column_utf16), (3, 2, 2));
    }

    #[test]
    fn position_counts_utf16_units_for_non_ascii() {
        let f = SourceFile::new("a".into(), "a".into(), "x = \"é😀\" y\nz".into());
        let off = f.text().find(" y").unwrap();
        let p = f.position(off);
        assert_eq!(p.line, 1);
        assert_eq!(p.column, off + 1);
        // `x = "` is 5 units, é is 1, 😀 is 2, `"` is 1
        assert_eq!(p.column_utf16, 10);
        assert_eq!(f.position(f.text().len()).line, 2);
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
