//! Integration tests, one module per area.

mod common;
mod dot_syntax;

mod cli;
mod formats;
mod hostile;
mod interop;
mod meetings;
mod page;
mod properties;
mod robustness;
mod scale;
mod seeds;
