//! Loading: files, directories, standard input and JSONL into [`Document`]s.
//!
//! Architecture invariant: this module and the exporters are the only ones that touch the
//! file system. A file that cannot be read is reported and skipped; the run goes on.

use crate::error::{Error, ErrorKind, Result};
use serde::Deserialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One news article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Stable identifier: the `id` field of a JSONL line, else the path as given.
    pub id: String,
    /// The article's text. Every span in the pipeline points into it.
    pub text: String,
    /// What else is known about the article.
    pub meta: Meta,
}

/// Optional facts about a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// Headline or page title.
    pub title: Option<String>,
    /// Publication date as given (ISO 8601 when the source follows it).
    pub date: Option<String>,
    /// Where the article was published.
    pub url: Option<String>,
    /// The publisher.
    pub source: Option<String>,
}

/// The formats entigraph reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown.
    Text,
    /// An HTML page, reduced to its article's text.
    Html,
    /// One JSON document a line, with a `text` field.
    Jsonl,
}

impl Format {
    /// The format a file's extension names, if entigraph reads it; a final `.gz` (gzip) is
    /// looked through: `feed.jsonl.gz` is JSONL.
    pub fn of_path(path: &Path) -> Option<Format> {
        // the extension decides, whatever bytes the rest of the name holds
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = Path::new(name).extension()?.to_str()?;
        match ext {
            "txt" | "text" | "md" | "markdown" => Some(Format::Text),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// What loading produced: the documents, the files skipped for their type, and the files or
/// lines that could not be read.
#[derive(Debug)]
pub struct Loaded {
    /// Documents in input order (directories in path order).
    pub documents: Vec<Document>,
    /// Files inside directories that are not of a format entigraph reads.
    pub skipped: Vec<PathBuf>,
    /// Files or lines that could not be read, each with its reason.
    pub errors: Vec<Error>,
    /// Warnings that did not stop a file from being read (e.g. invalid UTF-8 replaced).
    pub warnings: Vec<Error>,
    /// The largest document read ([`LoadOptions::max_document_bytes`]).
    limit: u64,
}

impl Default for Loaded {
    fn default() -> Self {
        Loaded {
            documents: Vec::new(),
            skipped: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            limit: LoadOptions::default().max_document_bytes,
        }
    }
}

/// Limits of loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Largest document, in bytes: a bigger text or HTML file, or a longer JSONL line, is
    /// reported and skipped instead of read.
    pub max_document_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_document_bytes: 64 << 20,
        }
    }
}

/// One thing reading the inputs yields, in input order.
#[derive(Debug)]
pub enum Item {
    /// A document.
    Document(Document),
    /// A file inside a directory that is not of a format entigraph reads.
    Skipped(PathBuf),
    /// A file or line that could not be read, with its reason.
    Error(Error),
    /// Something that did not stop a file from being read (e.g. invalid UTF-8 replaced).
    Warning(Error),
}

/// Reads every input: a file, a directory (walked recursively, in path order) or `-` for
/// standard input. Files named directly are read whatever their extension (as text unless it
/// says HTML or JSONL); files found in directories are read only when their extension is known.
pub fn load(inputs: &[PathBuf]) -> Loaded {
    load_with(inputs, &LoadOptions::default())
}

/// [`load`] with other limits.
pub fn load_with(inputs: &[PathBuf], options: &LoadOptions) -> Loaded {
    let mut loaded = Loaded {
        limit: options.max_document_bytes,
        ..Loaded::default()
    };
    stream(inputs, options, &mut |item| loaded.push(item));
    loaded
}

impl Loaded {
    fn push(&mut self, item: Item) {
        match item {
            Item::Document(d) => self.documents.push(d),
            Item::Skipped(p) => self.skipped.push(p),
            Item::Error(e) => self.errors.push(e),
            Item::Warning(w) => self.warnings.push(w),
        }
    }
}

/// The files the inputs name, in reading order, with their formats (`None`: inside a
/// directory and of no format entigraph reads); `-` stays `-`. Directories that cannot be
/// walked give errors.
fn files(inputs: &[PathBuf], sink: &mut dyn FnMut(Item)) -> Vec<(PathBuf, Option<Format>)> {
    let mut out: Vec<(PathBuf, Option<Format>)> = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push((input.clone(), Some(Format::Text)));
        } else if input.is_dir() {
            let mut found: Vec<PathBuf> = Vec::new();
            for entry in walkdir::WalkDir::new(input).follow_links(true) {
                match entry {
                    Ok(e) if e.file_type().is_file() => found.push(e.into_path()),
                    Ok(_) => {}
                    Err(e) => {
                        let path = e.path().unwrap_or(input).to_path_buf();
                        let message = e
                            .io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string);
                        sink(Item::Error(Error::new(ErrorKind::Io, Some(&path), message)));
                    }
                }
            }
            found.sort();
            out.extend(found.into_iter().map(|f| {
                let format = Format::of_path(&f);
                (f, format)
            }));
        } else {
            let format = Format::of_path(input).unwrap_or(Format::Text);
            out.push((input.clone(), Some(format)));
        }
    }
    // A file named twice (`a.txt a.txt`, or a directory and a file in it) is read once: its
    // documents would otherwise count twice.
    let mut seen = std::collections::HashSet::new();
    out.retain(|(path, format)| {
        if path.as_os_str() == "-" || format.is_none() {
            return true;
        }
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let first = seen.insert(real);
        if !first {
            sink(Item::Warning(Error::new(
                ErrorKind::Usage,
                Some(path),
                "given more than once (or inside a directory also given); read once",
            )));
        }
        first
    });
    out
}

/// The bytes the inputs hold, when known before reading: none for standard input or gzip
/// files, whose size only reading tells. For a progress bar.
pub fn total_bytes(inputs: &[PathBuf]) -> Option<u64> {
    let mut total = 0;
    for (path, format) in files(inputs, &mut |_| {}) {
        if format.is_none() {
            continue;
        }
        if path.as_os_str() == "-" || is_gzip(&path) {
            return None;
        }
        total += std::fs::metadata(&path).map_or(0, |m| m.len());
    }
    Some(total)
}

/// True when the inputs hold fewer than `limit` bytes in all, by their files' sizes; false for
/// standard input or a gzip file (whose text's size only reading tells). Unlike
/// [`total_bytes`], it stops listing directories as soon as it knows.
pub fn total_below(inputs: &[PathBuf], limit: u64) -> bool {
    let mut total = 0u64;
    let mut below = |path: &Path| {
        if path.as_os_str() == "-" || is_gzip(path) {
            return false;
        }
        total = total.saturating_add(std::fs::metadata(path).map_or(0, |m| m.len()));
        total < limit
    };
    for input in inputs {
        if input.is_dir() {
            let files = walkdir::WalkDir::new(input)
                .follow_links(true)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file() && Format::of_path(e.path()).is_some());
            for e in files {
                if !below(e.path()) {
                    return false;
                }
            }
        } else if !below(input) {
            return false;
        }
    }
    true
}

/// Reads the inputs as [`load`] does, handing each document, skip, error and warning to
/// `sink` as soon as it is read: a JSONL file (gzip or not, or standard input) is read a line
/// at a time, so memory holds one document, not the file.
pub fn stream(inputs: &[PathBuf], options: &LoadOptions, sink: &mut dyn FnMut(Item)) {
    let limit = options.max_document_bytes;
    for (path, format) in files(inputs, sink) {
        match format {
            None => sink(Item::Skipped(path)),
            Some(_) if path.as_os_str() == "-" => read_stdin(&path, limit, sink),
            Some(Format::Jsonl) => match open(&path) {
                Ok(reader) => read_jsonl(reader, &path, limit, sink),
                Err(e) => sink(Item::Error(e)),
            },
            Some(format) => read_file(&path, format, limit, sink),
        }
    }
}

/// Standard input: JSONL, read a line at a time, when its first line is a JSON object; else
/// one text document.
fn read_stdin(path: &Path, limit: u64, sink: &mut dyn FnMut(Item)) {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let starts_json = match reader.fill_buf() {
        Ok(buf) => buf
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{'),
        Err(e) => {
            sink(Item::Error(Error::io(path, &e)));
            return;
        }
    };
    if starts_json {
        read_jsonl(Box::new(reader), path, limit, sink);
        return;
    }
    let mut bytes = Vec::new();
    match reader.take(limit + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > limit => {
            sink(Item::Error(too_big(path, "standard input", limit)))
        }
        Ok(_) => {
            let mut warnings = Vec::new();
            let text = decode(&bytes, path, &mut warnings);
            warnings.into_iter().for_each(|w| sink(Item::Warning(w)));
            sink(Item::Document(document_from_text("-", &text)));
        }
        Err(e) => sink(Item::Error(Error::io(path, &e))),
    }
}

/// A buffered reader of a file, decompressing gzip.
fn open(path: &Path) -> Result<Box<dyn std::io::BufRead>, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    Ok(if is_gzip(path) {
        Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file)),
        ))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, file))
    })
}

/// Reads one line into `buf` (without its end), keeping at most `limit` bytes of it.
/// Returns `None` at the end of the input, else whether the line was longer than `limit`.
fn read_line(
    reader: &mut dyn std::io::BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut any = false;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (available.len(), false),
        };
        if !too_long {
            if (buf.len() + take) as u64 > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&available[..take]);
            }
        }
        reader.consume(take + usize::from(done));
        if done {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(too_long));
        }
    }
}

/// Reads JSONL a line at a time: each line a document, or an error naming the line.
fn read_jsonl(
    mut reader: Box<dyn std::io::BufRead + '_>,
    path: &Path,
    limit: u64,
    sink: &mut dyn FnMut(Item),
) {
    let id = path.display().to_string();
    let mut buf = Vec::new();
    let mut warned = false;
    let mut n = 0;
    loop {
        n += 1;
        let too_long = match read_line(&mut *reader, &mut buf, limit) {
            Ok(None) => return,
            Ok(Some(t)) => t,
            Err(e) => {
                let what = if is_gzip(path) {
                    "not a readable gzip file from here on"
                } else {
                    "could not read on"
                };
                sink(Item::Error(Error::new(
                    ErrorKind::Parse,
                    Some(path),
                    format!(
                        "line {n}: {what} ({e}); the lines before it were read (check that the file is complete)"
                    ),
                )));
                return;
            }
        };
        if too_long {
            sink(Item::Error(too_big(path, &format!("line {n}"), limit)));
            continue;
        }
        if n == 1 && is_binary(&buf) {
            sink(Item::Error(Error::new(
                ErrorKind::Parse,
                Some(path),
                "looks like a binary file, not text; skipped",
            )));
            return;
        }
        let bytes = if n == 1 {
            buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf)
        } else {
            &buf[..]
        };
        let line = match std::str::from_utf8(bytes) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => {
                if !warned {
                    warned = true;
                    sink(Item::Warning(Error::new(
                        ErrorKind::Parse,
                        Some(path),
                        format!(
                            "line {n} and maybe others are not valid UTF-8; undecodable bytes were replaced with U+FFFD (re-encode the file as UTF-8 for exact text)"
                        ),
                    )));
                }
                String::from_utf8_lossy(bytes)
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        sink(match jsonl_document(&line, &id, n) {
            Ok(doc) => Item::Document(doc),
            Err(message) => Item::Error(Error::new(
                ErrorKind::Parse,
                Some(path),
                format!("line {n}: {message}"),
            )),
        });
    }
}

/// True for a gzip-compressed file (named `*.gz`).
fn is_gzip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The error for a document over the size limit.
fn too_big(path: &Path, what: &str, limit: u64) -> Error {
    Error::new(
        ErrorKind::Parse,
        Some(path),
        format!(
            "{what} is larger than the {} MB limit for one document; skipped (a file of many articles reads best split, one article a file or a JSONL line; else raise the limit with --max-doc-mb, at about 50 MB of memory for each MB of one document)",
            limit >> 20
        ),
    )
}

/// The bytes of a file, decompressed when it is gzip. A text or HTML document (not a JSONL
/// file of many) over `limit` bytes is an error, found before it is read whole.
fn read_bytes(path: &Path, format: Format, limit: u64) -> Result<Vec<u8>, Error> {
    let single = format != Format::Jsonl;
    if single && !is_gzip(path) && std::fs::metadata(path).is_ok_and(|m| m.len() > limit) {
        return Err(too_big(path, "the file", limit));
    }
    // The size that metadata gives is 0 for a FIFO, a device or a process substitution
    // (`<(...)`): the limit holds while reading too.
    let mut bytes = Vec::new();
    let cap = if single {
        limit.saturating_add(1)
    } else {
        u64::MAX
    };
    std::fs::File::open(path)
        .and_then(|f| f.take(cap).read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, &e))?;
    if single && bytes.len() as u64 > limit {
        return Err(too_big(path, "the file", limit));
    }
    if !is_gzip(path) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    let cap = if single { limit + 1 } else { u64::MAX };
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| {
            Error::new(
                ErrorKind::Parse,
                Some(path),
                format!("not a readable gzip file ({e}); check that the download is complete"),
            )
        })?;
    if out.len() as u64 > limit && single {
        return Err(too_big(path, "the decompressed file", limit));
    }
    Ok(out)
}

fn read_file(path: &Path, format: Format, limit: u64, sink: &mut dyn FnMut(Item)) {
    match read_bytes(path, format, limit) {
        Ok(bytes) => {
            let mut warnings = Vec::new();
            let text = if let Some(text) = decode_utf16(&bytes, path, &mut warnings) {
                text
            } else if is_binary(&bytes) {
                let message = match utf16_without_bom(&bytes) {
                    Some(order) => format!(
                        "looks like UTF-16 text without a byte-order mark; skipped (re-encode it as UTF-8: iconv -f UTF-16{order} -t UTF-8)"
                    ),
                    None => "looks like a binary file, not text; skipped".to_owned(),
                };
                sink(Item::Error(Error::new(
                    ErrorKind::Parse,
                    Some(path),
                    message,
                )));
                return;
            } else {
                decode(&bytes, path, &mut warnings)
            };
            warnings.into_iter().for_each(|w| sink(Item::Warning(w)));
            let id = path.display().to_string();
            parse_into(&text, format, &id, path, limit, sink);
        }
        Err(e) => sink(Item::Error(e)),
    }
}

/// Text in UTF-16 with a byte-order mark, decoded (unpaired surrogates become U+FFFD, with a
/// warning); `None` without the mark.
fn decode_utf16(bytes: &[u8], path: &Path, warnings: &mut Vec<Error>) -> Option<String> {
    let little = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut bad = bytes.len() % 2 == 1;
    let text = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                bad = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if bad {
        warnings.push(Error::new(
            ErrorKind::Parse,
            Some(path),
            "not valid UTF-16; undecodable units were replaced with U+FFFD",
        ));
    }
    Some(text)
}

/// "LE" or "BE" when `bytes` look like UTF-16 of mostly ASCII text without a byte-order
/// mark: a NUL in nearly every other byte, and nowhere else.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 16 {
        return None;
    }
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = head.len() / 2;
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= half * 9 && even == 0 {
        Some("LE")
    } else if even * 10 >= half * 9 && odd == 0 {
        Some("BE")
    } else {
        None
    }
}

/// Text with NUL bytes in its first kilobytes is binary.
fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

fn decode(bytes: &[u8], path: &Path, warnings: &mut Vec<Error>) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            warnings.push(Error::new(
                ErrorKind::Parse,
                Some(path),
                "not valid UTF-8; undecodable bytes were replaced with U+FFFD (re-encode the file as UTF-8 for exact text)",
            ));
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

fn parse_into(
    text: &str,
    format: Format,
    id: &str,
    path: &Path,
    limit: u64,
    sink: &mut dyn FnMut(Item),
) {
    match format {
        Format::Text => sink(Item::Document(Document {
            id: id.to_owned(),
            text: text.to_owned(),
            meta: Meta::default(),
        })),
        Format::Html if is_our_page(text) => sink(Item::Warning(Error::new(
            ErrorKind::Parse,
            Some(path),
            "a page that entigraph wrote, not an article; not read",
        ))),
        Format::Html => sink(match html_to_document(text, id) {
            Ok(doc) => Item::Document(doc),
            Err(message) => Item::Error(Error::new(ErrorKind::Parse, Some(path), message)),
        }),
        Format::Jsonl => read_jsonl(Box::new(text.as_bytes()), path, limit, sink),
    }
}

#[derive(Deserialize)]
struct JsonlLine<'a> {
    text: String,
    #[serde(default, borrow)]
    id: Option<&'a serde_json::value::RawValue>,
    #[serde(default, deserialize_with = "loose_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    date: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    url: Option<String>,
    #[serde(default, deserialize_with = "loose_string")]
    source: Option<String>,
}

/// An id as the line writes it: a string's text, or a number exactly as written
/// (`18446744073709551617`, `1e2`), not as a float would print it.
fn id_string(raw: &serde_json::value::RawValue) -> Option<String> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => serde_json::from_str(text).ok(),
        Some(b'n') => None,
        _ => Some(text.to_owned()),
    }
}

/// An optional field that only informs: a string, or a number or boolean as written; a
/// field of another type (an array, an object) is left out rather than losing the article.
fn loose_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => {
            Some(v.to_string())
        }
        _ => None,
    })
}

fn jsonl_document(line: &str, file_id: &str, line_no: usize) -> Result<Document, String> {
    let parsed: JsonlLine = serde_json::from_str(line).map_err(|e| {
        format!("not a JSON object with a string field `text` ({e}); fix or remove the line")
    })?;
    Ok(Document {
        id: parsed
            .id
            .and_then(id_string)
            .unwrap_or_else(|| format!("{file_id}:{line_no}")),
        text: parsed.text,
        meta: Meta {
            title: parsed.title,
            date: parsed.date,
            url: parsed.url,
            source: parsed.source,
        },
    })
}

/// Reduces an HTML page to its article: title, then the article's paragraphs, without
/// scripts, styles, navigation or footers, with character entities decoded.
/// Deepest nesting of HTML elements read as an article. Pages nest a few dozen levels; the
/// article extractor's work grows with the square of the depth (about 0.3 s at 1,000 levels,
/// 20 s at 10,000), so a deeper page is refused rather than let stall a run.
const MAX_HTML_DEPTH: usize = 1000;

/// Elements that never hold others, or whose end tag may be left out: they do not deepen the
/// nesting as counted by [`html_too_deep`].
const FLAT_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "tbody", "thead", "tfoot", "colgroup", "caption", "rp", "rt",
];

/// True when elements nest deeper than `limit` in `html`, by a scan of its tags that needs no
/// parse: comments, scripts and styles are skipped, and elements of [`FLAT_ELEMENTS`] and
/// self-closing tags are not counted.
fn html_too_deep(html: &str, limit: usize) -> bool {
    let b = html.as_bytes();
    let (mut depth, mut foreign) = (0usize, 0usize);
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &b[i..]) {
        i += at + 1;
        if b[i..].starts_with(b"!--") {
            i = comment_end(b, i + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = i + closing as usize;
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |n| start + n);
        if end == start {
            continue;
        }
        let name = &html[start..end];
        let close = memchr::memchr(b'>', &b[end..]).map_or(b.len(), |n| end + n);
        i = close;
        if FLAT_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(name)) {
            continue;
        }
        let is_foreign = name.eq_ignore_ascii_case("svg") || name.eq_ignore_ascii_case("math");
        if closing {
            depth = depth.saturating_sub(1);
            if is_foreign {
                foreign = foreign.saturating_sub(1);
            }
        } else if b[..close].ends_with(b"/") && (foreign > 0 || is_foreign) {
            // self-closing, which only SVG and MathML elements are: an HTML `<div/>` opens
            // a div
        } else if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            i = find(b, close, format!("</{name}").as_bytes());
        } else {
            depth += 1;
            foreign += is_foreign as usize;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

/// Position just after the comment whose text starts at `from` in `b`: HTML ends a comment
/// at `-->` or `--!>`, and at once when it opens as `<!-->` or `<!--->`.
fn comment_end(b: &[u8], from: usize) -> usize {
    let rest = &b[from.min(b.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    find(b, from, b"-->").min(find(b, from, b"--!>"))
}

/// Position just after the first `needle` at or after `from` in `b`, or the end of `b`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> usize {
    memchr::memmem::find(&b[from.min(b.len())..], needle)
        .map_or(b.len(), |n| from + n + needle.len())
}

/// True for a page of entigraph's own (its `generator` meta tag, in the head), which a
/// directory holding both articles and `output/` would otherwise read as an article.
fn is_our_page(html: &str) -> bool {
    let head = &html.as_bytes()[..html.len().min(2048)];
    memchr::memmem::find(head, br#"<meta name="generator" content="entigraph">"#).is_some()
}

fn html_to_document(html: &str, id: &str) -> Result<Document, String> {
    if html_too_deep(html, MAX_HTML_DEPTH) {
        return Err(format!(
            "HTML nests elements more than {MAX_HTML_DEPTH} levels deep, which no article page \
             does; check that the file is a web page"
        ));
    }
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut reader = dom_smoothie::Readability::new(html, None, Some(config))
        .map_err(|e| format!("could not parse the HTML ({e})"))?;
    let article = reader
        .parse()
        .map_err(|e| format!("found no article text in the HTML ({e})"))?;
    let title = article.title.trim().to_owned();
    let body = article.text_content.trim();
    let mut text = String::with_capacity(title.len() + body.len() + 2);
    if !title.is_empty() && !body.starts_with(&title) {
        text.push_str(&title);
        text.push_str("\n\n");
    }
    text.push_str(body);
    Ok(Document {
        id: id.to_owned(),
        text,
        meta: Meta {
            title: (!title.is_empty()).then_some(title),
            date: article.published_time,
            url: article.url,
            source: article.site_name,
        },
    })
}

/// Reads one document from a string, for callers that hold text already.
pub fn document_from_text(id: &str, text: &str) -> Document {
    Document {
        id: id.to_owned(),
        text: text.to_owned(),
        meta: Meta::default(),
    }
}

/// Parses a whole JSONL string, as if read from a file called `name`.
pub fn parse_jsonl(name: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let limit = loaded.limit;
    parse_into(
        text,
        Format::Jsonl,
        name,
        Path::new(name),
        limit,
        &mut |item| loaded.push(item),
    );
    loaded
}

/// Reduces an HTML string to a document, as if read from a file called `name`.
pub fn parse_html(name: &str, html: &str) -> Result<Document> {
    html_to_document(html, name).map_err(|m| Error::new(ErrorKind::Parse, Some(Path::new(name)), m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_below_counts_files_and_listed_directories() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).expect("a subdirectory");
        std::fs::write(dir.path().join("a.txt"), [b'a'; 10]).expect("a file");
        std::fs::write(sub.join("b.jsonl"), [b'b'; 10]).expect("a file");
        std::fs::write(sub.join("c.png"), [b'c'; 1000]).expect("a file not read");
        let inputs = [dir.path().to_path_buf()];
        assert_eq!(total_bytes(&inputs), Some(20));
        assert!(total_below(&inputs, 21));
        assert!(!total_below(&inputs, 20));
        assert!(total_below(&[dir.path().join("a.txt")], 11));
        assert!(!total_below(&[PathBuf::from("-")], u64::MAX));
        assert!(!total_below(&[dir.path().join("d.jsonl.gz")], u64::MAX));
    }

    #[test]
    fn jsonl_reads_fields_and_reports_bad_lines() {
        let input = "{\"id\": \"a\", \"text\": \"Putin met Witkoff.\", \"date\": \"2025-12-02\"}\n\n{\"title\": \"no text\"}\n{\"id\": 7, \"text\": \"Kyiv\"}\n";
        let loaded = parse_jsonl("feed.jsonl", input);
        assert_eq!(loaded.documents.len(), 2);
        assert_eq!(loaded.documents[0].id, "a");
        assert_eq!(loaded.documents[0].meta.date.as_deref(), Some("2025-12-02"));
        assert_eq!(loaded.documents[1].id, "7");
        assert_eq!(loaded.errors.len(), 1);
        assert!(
            loaded.errors[0]
                .to_string()
                .starts_with("feed.jsonl: line 3:")
        );
        // numeric ids as written; optional fields of odd types do not lose the article
        let input = "{\"id\": 18446744073709551617, \"text\": \"a\"}\n{\"id\": 1e2, \"text\": \"b\", \"date\": 20251231, \"title\": [1]}\n";
        let loaded = parse_jsonl("feed.jsonl", input);
        let ids: Vec<&str> = loaded.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["18446744073709551617", "1e2"]);
        assert_eq!(loaded.documents[1].meta.date.as_deref(), Some("20251231"));
        assert_eq!(loaded.documents[1].meta.title, None);
        assert!(loaded.errors.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_held_to_the_size_limit_while_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("feed.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                // the reader stops after the limit; the rest of the writes may fail
                for _ in 0..100 {
                    if std::io::Write::write_all(&mut f, &[b'a'; 1 << 10]).is_err() {
                        break;
                    }
                }
            })
        };
        let err = read_bytes(&fifo, Format::Text, 10 << 10).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        writer.join().unwrap();
    }

    #[test]
    fn a_file_named_twice_is_read_once_and_our_own_pages_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, "Putin met Xi.").unwrap();
        std::fs::write(
            dir.path().join("graph.html"),
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"generator\" content=\"entigraph\"></head><body><p>Putin met Xi.</p></body></html>",
        )
        .unwrap();
        let loaded = load(&[dir.path().to_path_buf(), a.clone(), a]);
        assert_eq!(loaded.documents.len(), 1);
        assert!(loaded.errors.is_empty());
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(
            warnings.iter().any(|w| w.contains("entigraph wrote")),
            "{warnings:?}"
        );
        assert!(warnings.iter().filter(|w| w.contains("read once")).count() == 2);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read_and_without_one_named() {
        let text = "Putin met Xi in Beijing.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut warnings = Vec::new();
        let p = Path::new("a.txt");
        let with_bom = |bom: &[u8], body: &[u8]| [bom, body].concat();
        assert_eq!(
            decode_utf16(&with_bom(&[0xff, 0xfe], &le), p, &mut warnings).as_deref(),
            Some(text)
        );
        assert_eq!(
            decode_utf16(&with_bom(&[0xfe, 0xff], &be), p, &mut warnings).as_deref(),
            Some(text)
        );
        assert!(warnings.is_empty());
        assert_eq!(decode_utf16(text.as_bytes(), p, &mut warnings), None);
        assert_eq!(utf16_without_bom(&le), Some("LE"));
        assert_eq!(utf16_without_bom(&be), Some("BE"));
        assert_eq!(
            utf16_without_bom(b"\x7fELF\x00\x00\x01\x02binary data here"),
            None
        );
    }

    #[test]
    fn html_nested_too_deep_is_refused_before_it_is_parsed() {
        let deep = |n: usize, open: &str, close: &str| {
            format!(
                "<html><body>{}<p>Putin met Xi.</p>{}</body></html>",
                open.repeat(n),
                close.repeat(n)
            )
        };
        assert!(html_too_deep(&deep(999, "<div>", "</div>"), 1000));
        // with <html> and <body>, 998 divs make 1,000 levels
        assert!(!html_too_deep(&deep(998, "<div>", "</div>"), 1000));
        // unclosed elements deepen too; paragraphs, list items and void elements do not
        assert!(html_too_deep(&deep(1001, "<b>", ""), 1000));
        assert!(!html_too_deep(
            &deep(5000, "<p><li><br><img src=x>", ""),
            1000
        ));
        assert!(!html_too_deep(
            &deep(5000, "<br/><!-- <div> --><script>'<div>'</script>", ""),
            1000
        ));
        // in HTML, `<div/>` opens a div; only SVG and MathML elements close themselves
        assert!(html_too_deep(&deep(1001, "<div/>", ""), 1000));
        assert!(!html_too_deep(
            &deep(
                1,
                &format!("<svg>{}</svg>", "<path d=\"M0 0\"/>".repeat(5000)),
                ""
            ),
            1000
        ));
        // a comment ends at `--!>` too, and at once as `<!-->`
        assert!(html_too_deep(&deep(1001, "<!-- --!><b>", ""), 1000));
        assert!(html_too_deep(&deep(1001, "<!--><b>", ""), 1000));
        assert!(!html_too_deep(&deep(5000, "<!-- <b> -->", ""), 1000));
        let err = parse_html("deep.html", &deep(5000, "<div>", "</div>")).unwrap_err();
        assert!(
            err.to_string().contains("more than 1000 levels deep"),
            "{err}"
        );
    }

    #[test]
    fn html_keeps_the_article_and_drops_the_page() {
        let html = r#"<html><head><title>Envoys Meet in Moscow</title><script>var x = "Nobody";</script>
            <style>p { color: red }</style></head><body>
            <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
            <article><h1>Envoys Meet in Moscow</h1>
            <p>U.S. envoy Steve Witkoff met Russian President Vladimir Putin in Moscow on Tuesday &amp; talked for five hours, officials said on Wednesday in a statement.</p>
            <p>Kremlin aide Yury Ushakov said the talks were &ldquo;constructive&rdquo; but that no compromise had been found on the main territorial questions.</p>
            <p>Ukrainian President Volodymyr Zelenskyy, speaking in Dublin, said he was waiting for the envoys to report back on the Moscow meeting.</p>
            </article><footer>Copyright Example News. All rights reserved.</footer></body></html>"#;
        let doc = parse_html("page.html", html).expect("article");
        assert!(
            doc.text
                .contains("Steve Witkoff met Russian President Vladimir Putin")
        );
        assert!(doc.text.contains("Putin in Moscow on Tuesday & talked"));
        assert!(doc.text.contains("\u{201c}constructive\u{201d}"));
        assert!(!doc.text.contains("var x"));
        assert!(!doc.text.contains("color: red"));
        assert!(!doc.text.contains("Copyright"));
        assert!(!doc.text.contains("Sport"));
    }

    #[test]
    fn formats_follow_extensions() {
        assert_eq!(Format::of_path(Path::new("a/b.MD")), Some(Format::Text));
        assert_eq!(Format::of_path(Path::new("a/b.htm")), Some(Format::Html));
        assert_eq!(Format::of_path(Path::new("b.jsonl")), Some(Format::Jsonl));
        assert_eq!(
            Format::of_path(Path::new("b.jsonl.gz")),
            Some(Format::Jsonl)
        );
        assert_eq!(Format::of_path(Path::new("b.gz")), None);
        assert_eq!(Format::of_path(Path::new("b.pdf")), None);
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = std::ffi::OsStr::from_bytes(b"nu\xfe.jsonl");
            assert_eq!(Format::of_path(Path::new(odd)), Some(Format::Jsonl));
        }
    }
}
