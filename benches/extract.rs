//! Throughput of the whole extract path: segmentation, recognition (tagger and rules),
//! resolution and the graph, over the bundled seed articles (or the JSONL file named by
//! `ENTIGRAPH_BENCH_JSONL`). Reported in bytes of article text.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use entigraph::pipeline::{self, Config};
use entigraph::{Document, recognize};
use std::hint::black_box;
use std::path::PathBuf;

fn documents() -> Vec<Document> {
    let input = std::env::var_os("ENTIGRAPH_BENCH_JSONL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"));
    let loaded = entigraph::load(&[input]);
    assert!(!loaded.documents.is_empty(), "no documents to benchmark");
    loaded.documents
}

fn extract(c: &mut Criterion) {
    let docs = documents();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let recognizer = recognize::standard(None).expect("built-in model");
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("analyze_and_build", |b| {
        b.iter(|| {
            let analyses = docs
                .iter()
                .cloned()
                .map(|d| pipeline::analyze(d, &recognizer))
                .collect();
            black_box(pipeline::build(analyses, &Config::default()))
        })
    });
    group.bench_function("segment_only", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(entigraph::segment(&d.text));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, extract);
criterion_main!(benches);
