//! The library's error type: what went wrong, with the file it concerns and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

/// The broad class of an [`Error`], for callers that react differently to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A file or directory could not be read or written.
    Io,
    /// A file was read but its content is not what its format requires.
    Parse,
    /// The request itself is wrong: an unknown format, a missing argument.
    Usage,
}

/// An error, naming the file it concerns when there is one.
#[derive(Debug)]
pub struct Error {
    /// The class of the error.
    pub kind: ErrorKind,
    /// The file concerned, if any.
    pub path: Option<PathBuf>,
    /// What went wrong and, where it helps, what to do about it.
    pub message: String,
}

impl Error {
    /// An error of `kind` about `path`.
    pub fn new(kind: ErrorKind, path: Option<&Path>, message: impl Into<String>) -> Self {
        Error {
            kind,
            path: path.map(Path::to_path_buf),
            message: message.into(),
        }
    }

    /// An I/O error about `path`, with the system's reason.
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => " (check the path)",
            std::io::ErrorKind::PermissionDenied => " (check the file's permissions)",
            _ => "",
        };
        Error::new(ErrorKind::Io, Some(path), format!("{err}{hint}"))
    }

    /// A usage error, not tied to a file.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage, None, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", p.display(), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
