//! Integration tests, one module per area.

mod common;

mod cli;
mod interop;
mod meetings;
mod page;
mod seeds;
