//! Throughput of the learned tagger alone: with its word cache warm (every word already seen,
//! as in a long run over similar text) and cold (every word new), and the cost of reading a
//! model from bytes.
//!
//! Tags the CoNLL-style file named by `ENTIGRAPH_BENCH_CORPUS` (e.g. the CoNLL++ dev set)
//! document by document; without it, the seed articles
//! `data/*.txt` cut at white space. Throughput is reported in bytes of token text (tokens joined
//! by single spaces).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use entigraph::tagger::Model;
use std::hint::black_box;
use std::path::PathBuf;

/// Documents as sentences of tokens.
fn corpus() -> (String, Vec<Vec<Vec<String>>>) {
    let path = std::env::var_os("ENTIGRAPH_BENCH_CORPUS").map(PathBuf::from);
    if let Some(Ok(docs)) = path.map(entigraph::conll::read_file) {
        let docs = docs
            .into_iter()
            .map(|d| d.sentences.into_iter().map(|s| s.words).collect())
            .collect();
        return ("conll_dev".to_string(), docs);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut docs = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "txt")
            && let Ok(text) = std::fs::read_to_string(&p)
        {
            let doc: Vec<Vec<String>> = text
                .lines()
                .map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>())
                .filter(|s: &Vec<String>| !s.is_empty())
                .collect();
            docs.push(doc);
        }
    }
    ("seed_articles".to_string(), docs)
}

fn bench(c: &mut Criterion) {
    let model = Model::embedded();
    let (name, docs) = corpus();
    let bytes: usize = docs
        .iter()
        .flatten()
        .map(|s| s.iter().map(|w| w.len() + 1).sum::<usize>())
        .sum();
    let tokens: usize = docs.iter().flatten().map(Vec::len).sum();
    eprintln!(
        "{name}: {} documents, {tokens} tokens, {bytes} bytes",
        docs.len()
    );
    let mut g = c.benchmark_group("tagger");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(format!("tag_document/{name}"), |b| {
        b.iter(|| {
            for d in &docs {
                black_box(model.tag_document(black_box(d)));
            }
        })
    });
    g.bench_function(format!("entities/{name}"), |b| {
        b.iter(|| {
            for d in &docs {
                black_box(model.entities(black_box(d)));
            }
        })
    });
    // a copy of the model starts with empty caches
    g.bench_function(format!("entities_cold/{name}"), |b| {
        b.iter(|| {
            let model = model.clone();
            for d in &docs {
                black_box(model.entities(black_box(d)));
            }
        })
    });
    g.finish();
    let bytes = model.to_bytes();
    let mut g = c.benchmark_group("model");
    g.sample_size(10);
    g.bench_function("from_bytes", |b| {
        b.iter(|| black_box(Model::from_bytes(black_box(&bytes))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
