//! entigraph: news articles in, a graph of people, organizations and places out.
#![deny(missing_docs)]

pub mod kind;
pub mod recognize;
pub mod segment;
pub mod span;

pub use kind::Kind;
pub use recognize::{Chain, Mention, Recognizer};
pub use segment::{Segmentation, Sentence, Token, segment};
pub use span::Span;
