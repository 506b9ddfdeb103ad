//! Build script: links the `entigraph` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable is relocated by the dynamic loader at every start, and
//! the tables of the HTML, Unicode and sentence-splitting crates make that 28,000 pointers,
//! 700 KB of relocation records read and 570 KB of pages copied on write: about a millisecond
//! of each run, a third of a run over one short article. Linked at a fixed address, the
//! binary has nothing to relocate. Only the binary is linked so; the library, the tests and
//! the build's own tools are not.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
