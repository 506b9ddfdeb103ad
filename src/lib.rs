//! entigraph: news articles in, a graph of people, organizations and places out.
//!
//! The pipeline, one stage a module, each handing the next one type:
//!
//! 1. [`mod@load`]: files, directories, stdin, JSONL, HTML -> [`Document`] `{ id, text, meta }`.
//! 2. [`mod@segment`]: a document -> sentences and tokens with byte [`Span`]s into its text.
//! 3. [`recognize`]: sentences -> [`Mention`] `{ span, kind, score }`, by a [`Chain`] of
//!    [`Recognizer`]s: the learned [`tagger`] proposes, rules trim and check.
//! 4. [`mod@resolve`]: the mentions of all documents -> [`Entity`] `{ id, name, kind, aliases }`.
//! 5. [`graph`]: entities and sentences -> a petgraph graph, edges with weight and evidence.
//! 6. [`export`]: the graph -> DOT or networkx node-link JSON, to any `io::Write`.
//!
//! [`pipeline`] runs the stages in order:
//!
//! ```
//! use entigraph::{load, pipeline, recognize};
//!
//! let doc = load::document_from_text("a", "Vladimir Putin met Steve Witkoff in Moscow. Putin smiled.");
//! let recognizer = recognize::standard(None)?;
//! let analysis = pipeline::analyze(doc, &recognizer);
//! let built = pipeline::build(vec![analysis], &pipeline::Config::default());
//! let names: Vec<&str> = built.graph.graph.node_weights().map(|e| e.name.as_str()).collect();
//! assert!(names.contains(&"Vladimir Putin") && names.contains(&"Moscow"));
//! // "Putin" alone is the same node as "Vladimir Putin".
//! assert_eq!(names.iter().filter(|n| n.contains("Putin")).count(), 1);
//! # Ok::<(), entigraph::Error>(())
//! ```
#![deny(missing_docs)]

pub mod conll;
pub mod error;
pub mod eval;
pub mod export;
pub mod graph;
pub mod kind;
pub mod load;
pub mod partial;
pub mod pipeline;
pub mod prune;
pub mod query;
pub mod recognize;
pub mod relate;
pub mod resolve;
pub mod segment;
pub mod span;
pub mod tagger;

pub use error::{Error, ErrorKind, Result};
pub use kind::Kind;
pub use load::{Document, LoadOptions, Loaded, Meta, load, load_with};
pub use recognize::{Chain, Mention, Recognizer};
pub use resolve::{Entity, Resolution, resolve};
pub use segment::{Segmentation, Sentence, Token, segment};
pub use span::Span;
