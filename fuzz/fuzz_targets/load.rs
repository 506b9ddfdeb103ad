//! Loading: any bytes through every loader. The first byte picks the way in (a JSONL or HTML
//! string in memory, or a file named `.txt`, `.html`, `.jsonl`, `.jsonl.gz` or `.txt.gz`, the
//! gzip files either compressed from the input or the raw input itself) and the second the
//! size limit of one document, so that lines over the limit are exercised too. Loading must
//! not panic: bad input is an error or a warning.

#![no_main]

use entigraph::{LoadOptions, load};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn from_file(name: &str, bytes: &[u8], limit: u64) -> load::Loaded {
    let path: PathBuf = dir().path().join(name);
    std::fs::write(&path, bytes).unwrap();
    load::load_with(
        &[path],
        &LoadOptions {
            max_document_bytes: limit,
        },
    )
}

fuzz_target!(|data: &[u8]| {
    let [way, limit, rest @ ..] = data else {
        return;
    };
    let limit = 1 + u64::from(*limit) * 8;
    let text = String::from_utf8_lossy(rest);
    let _ = match way % 8 {
        0 => load::parse_jsonl("feed.jsonl", &text),
        1 => {
            let _ = load::parse_html("page.html", &text);
            return;
        }
        2 => from_file("a.txt", rest, limit),
        3 => from_file("a.html", rest, limit),
        4 => from_file("a.jsonl", rest, limit),
        5 => from_file("a.jsonl.gz", &gzip(rest), limit),
        6 => from_file("b.jsonl.gz", rest, limit),
        _ => from_file("a.txt.gz", rest, limit),
    };
});
