//! Writing a run's outputs all or nothing.
//!
//! Every output is first written to a temporary file beside its target; only once all of them
//! are written are they renamed into place, so a run that fails half-way leaves every output
//! as it was. A symbolic link is written through: the file it points to is replaced, the link
//! stays. What is not a regular file (a FIFO, a terminal, `/dev/null`, or `-` for standard
//! output) cannot be replaced: its output is staged in an anonymous temporary file and copied
//! into it after the files are renamed.

use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

/// Where an output goes.
enum Target {
    /// A regular file, or one to create: replaced by renaming a temporary file over it.
    File(PathBuf),
    /// Something that is not a regular file, written in place.
    InPlace(PathBuf),
    /// Standard output.
    Stdout,
}

/// Where `path` really goes: `-` is standard output, a symbolic link is followed to the file it
/// names (even one that does not exist yet), a FIFO or device is written in place.
fn target(path: &Path) -> Result<Target> {
    if path.as_os_str() == "-" {
        return Ok(Target::Stdout);
    }
    let mut real = path.to_path_buf();
    // a chain of links, each relative to the directory of the link that names it
    for _ in 0..40 {
        match std::fs::symlink_metadata(&real) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&real)
                    .with_context(|| format!("{}: cannot read the link", path.display()))?;
                real = match real.parent() {
                    Some(dir) => dir.join(to),
                    None => to,
                };
            }
            Ok(m) if m.is_dir() => bail!("{}: is a directory; give a file name", path.display()),
            Ok(m) if !m.is_file() => return Ok(Target::InPlace(real)),
            _ => return Ok(Target::File(real)),
        }
    }
    bail!("{}: too many levels of symbolic links", path.display())
}

/// The directory a file target is created in.
fn directory_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks, before a long run, that `path` can be written: not a directory, and in a
/// directory that exists and takes new files, or that can be created. `directory` says that
/// the output is itself a directory of files.
pub(crate) fn check(path: &Path, directory: bool) -> Result<()> {
    if directory {
        if path.exists() && !path.is_dir() {
            bail!(
                "{}: the Neo4j export writes a directory (nodes.csv, relationships.csv); give a directory name",
                path.display()
            );
        }
        return check_directory(path);
    }
    match target(path)? {
        Target::File(real) => check_directory(&directory_of(&real)),
        Target::InPlace(_) | Target::Stdout => Ok(()),
    }
}

/// Checks that `dir` takes new files, or that its nearest existing ancestor is a directory
/// (it is then created when the outputs are written).
fn check_directory(dir: &Path) -> Result<()> {
    let mut at = dir;
    loop {
        match std::fs::metadata(at) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => bail!(
                "{}: is not a directory, so nothing can be written under it",
                at.display()
            ),
            Err(_) => match at.parent() {
                Some(p) if !p.as_os_str().is_empty() => at = p,
                _ => return Ok(()),
            },
        }
    }
    if at == dir {
        tempfile::Builder::new()
            .tempfile_in(dir)
            .map_err(|e| cannot_write_in(dir, &e))?;
    }
    Ok(())
}

/// The error of a temporary file that could not be made in `dir`, without the temporary
/// file's random name.
fn cannot_write_in(dir: &Path, e: &std::io::Error) -> anyhow::Error {
    // tempfile's error ends with the temporary file's name
    let why = e.to_string();
    let why = why.split(" at path ").next().unwrap_or_default();
    anyhow::anyhow!("{}: cannot write in this directory: {why}", dir.display())
}

/// One written output, waiting to be put in place.
struct Staged {
    /// The path as the user gave it, for messages.
    shown: PathBuf,
    target: Target,
    file: Temp,
}

/// A staged output's temporary file.
enum Temp {
    /// Beside its target, renamed over it.
    Named(tempfile::NamedTempFile),
    /// Anywhere, copied into its target.
    Anonymous(File),
}

/// Outputs written so far and not yet in place; dropped without [`Outputs::commit`], they
/// leave no trace.
#[derive(Default)]
pub(crate) struct Outputs {
    staged: Vec<Staged>,
}

impl Outputs {
    /// Writes one output to its temporary file.
    pub(crate) fn add(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        let target = target(path)?;
        let mut file = match &target {
            Target::File(real) => {
                let dir = directory_of(real);
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
                let mut builder = tempfile::Builder::new();
                // Outputs are ordinary files, readable by others as the umask allows, not
                // private temporary files.
                #[cfg(unix)]
                builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
                Temp::Named(
                    builder
                        .tempfile_in(&dir)
                        .map_err(|e| cannot_write_in(&dir, &e))?,
                )
            }
            Target::InPlace(_) | Target::Stdout => {
                Temp::Anonymous(tempfile::tempfile().with_context(|| {
                    format!("{}: cannot create a temporary file", path.display())
                })?)
            }
        };
        let f = match &mut file {
            Temp::Named(t) => t.as_file_mut(),
            Temp::Anonymous(f) => f,
        };
        let mut w = BufWriter::new(f);
        write(&mut w).with_context(|| format!("{}: write failed", path.display()))?;
        w.flush()
            .with_context(|| format!("{}: write failed", path.display()))?;
        drop(w);
        self.staged.push(Staged {
            shown: path.to_path_buf(),
            target,
            file,
        });
        Ok(())
    }

    /// Puts every output in place: the files first, by renaming, then what is written in
    /// place.
    pub(crate) fn commit(self) -> Result<()> {
        let mut in_place = Vec::new();
        for s in self.staged {
            match (s.file, s.target) {
                (Temp::Named(t), Target::File(real)) => {
                    t.persist(&real).with_context(|| {
                        format!("{}: cannot replace the file", s.shown.display())
                    })?;
                }
                (Temp::Anonymous(f), target) => in_place.push((s.shown, f, target)),
                (Temp::Named(_), _) => unreachable!("a named temporary file is made for a file"),
            }
        }
        for (shown, mut f, target) in in_place {
            f.rewind()?;
            let copied = match target {
                Target::Stdout => {
                    let mut out = std::io::stdout().lock();
                    std::io::copy(&mut f, &mut out).and_then(|_| out.flush())
                }
                Target::InPlace(path) | Target::File(path) => File::options()
                    .write(true)
                    .open(&path)
                    .and_then(|mut out| std::io::copy(&mut f, &mut out).and_then(|_| out.flush())),
            };
            copied.with_context(|| format!("{}: write failed", shown.display()))?;
        }
        Ok(())
    }
}

/// Writes one output all or nothing (see [`Outputs`]).
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut outputs = Outputs::default();
    outputs.add(path, write)?;
    outputs.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) -> Result<()> {
        write_atomically(path, |w| w.write_all(text.as_bytes()))
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("sub").join("real.json");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("sub/real.json", &link).unwrap();
        write(&link, "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // a dangling link creates the file it names
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink("sub/later.json", &dangling).unwrap();
        write(&dangling, "made").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/later.json")).unwrap(),
            "made"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        let null = Path::new("/dev/null");
        write(null, "nothing").unwrap();
        let m = std::fs::symlink_metadata(null).unwrap();
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(
            &m.file_type()
        ));
    }

    #[test]
    fn nothing_is_put_in_place_until_all_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
        std::fs::write(&a, "old").unwrap();
        let mut outputs = Outputs::default();
        outputs.add(&a, |w| w.write_all(b"new")).unwrap();
        let failed = outputs.add(&b, |_| Err(std::io::Error::other("disk full")));
        assert!(failed.is_err());
        drop(outputs);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        assert!(!b.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn checks_name_what_cannot_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        let err = check(dir.path(), false).unwrap_err().to_string();
        assert!(err.contains("is a directory"), "{err}");
        let err = check(&file.join("g.json"), false).unwrap_err().to_string();
        assert!(err.contains("is not a directory"), "{err}");
        let err = check(&file, true).unwrap_err().to_string();
        assert!(err.contains("give a directory name"), "{err}");
        check(&dir.path().join("new/deeper/g.json"), false).unwrap();
        check(&dir.path().join("g.json"), false).unwrap();
    }
}
