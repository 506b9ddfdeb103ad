//! Pictures: the DOT output laid out and drawn by Graphviz (SVG, PNG or PDF).
//!
//! Graphviz is found on the PATH (`dot`) or given with `--graphviz PATH` (the `dot`
//! executable or the directory holding it). Small graphs are laid out by `neato` with
//! `overlap=false` (prism where Graphviz has GTS, Voronoi otherwise), large ones by `sfdp`;
//! for those, overlaps are removed with `overlap=prism` when this Graphviz has it and the
//! graph has at most `PRISM_LIMIT` nodes, else with `overlap=scale`, the portable setting
//! written in the DOT file.

use super::{Image, dot};
use crate::error::{Error, ErrorKind, Result};
use crate::graph::EntityGraph;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The largest graph whose overlaps are removed with `prism` when rendering.
const PRISM_LIMIT: usize = 2000;

/// Where Graphviz's `dot` is: `explicit` (a file, or a directory holding `dot`), else the
/// first `dot` on the PATH. The error says what to install.
pub fn find_graphviz(explicit: Option<&Path>) -> Result<PathBuf> {
    let exe = if cfg!(windows) { "dot.exe" } else { "dot" };
    let candidate = match explicit {
        Some(p) if p.is_dir() => Some(p.join(exe)),
        Some(p) => Some(p.to_path_buf()),
        None => std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(exe))
                .find(|p| p.is_file())
        }),
    };
    match candidate {
        Some(p) if runs(&p) => Ok(p),
        Some(p) if explicit.is_some() => Err(Error::new(
            ErrorKind::Usage,
            Some(&p),
            "this is not a working Graphviz `dot`; pass --graphviz with the path of `dot` or of its directory",
        )),
        _ => Err(Error::usage(
            "drawing a picture needs Graphviz, which is not installed: install it (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; Windows: winget install graphviz), pass --graphviz PATH, or write a .dot file and render it elsewhere",
        )),
    }
}

fn runs(dot: &Path) -> bool {
    Command::new(dot)
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// True when this Graphviz removes overlaps with `prism` (it warns and falls back when built
/// without GTS).
fn has_prism(dot: &Path) -> bool {
    let Ok(mut child) = Command::new(dot)
        .args(["-Ksfdp", "-Goverlap=prism", "-Tplain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"graph { a -- b; b -- c; c -- a }");
    }
    child
        .wait_with_output()
        .is_ok_and(|o| o.status.success() && o.stderr.is_empty())
}

/// Lays out and draws `graph` with the Graphviz `dot` at `graphviz`, and returns the picture.
pub fn render(graph: &EntityGraph, image: Image, graphviz: &Path) -> Result<Vec<u8>> {
    let mut source = Vec::new();
    dot::write(graph, &mut source).map_err(|e| Error::new(ErrorKind::Io, None, e.to_string()))?;
    let mut args = vec![format!("-T{}", image.graphviz_name())];
    // prism lays out a few hundred nodes in a fraction of a second but takes most of a minute
    // on several thousand, where scale (the file's own setting) stays fast.
    if dot::is_large(graph) && graph.node_count() <= PRISM_LIMIT && has_prism(graphviz) {
        args.push("-Goverlap=prism".to_owned());
    }
    let failed = |message: String| Error::new(ErrorKind::Io, Some(graphviz), message);
    let mut child = Command::new(graphviz)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("could not run Graphviz: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Feed the source from another thread so that a large picture on stdout cannot block it.
    let feeder = std::thread::spawn(move || stdin.write_all(&source));
    let output = child
        .wait_with_output()
        .map_err(|e| failed(format!("Graphviz failed: {e}")))?;
    let fed = feeder.join().unwrap_or(Ok(()));
    if !output.status.success() || fed.is_err() {
        return Err(failed(format!(
            "Graphviz could not draw the graph: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}
