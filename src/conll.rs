//! Readers for annotated corpora: CoNLL-2003 style (`token POS chunk tag`, `-DOCSTART-`
//! between documents) and Universal NER IOB2 (`index<TAB>token<TAB>tag ...`, `# newdoc`
//! comments).
//!
//! Only the token and the tag columns are used. Tags may be IOB2 or IOB1 (an `I-` that does not
//! continue an entity of its type starts one). Types other than PER, ORG and LOC (MISC in CoNLL,
//! anything else in other corpora) are read as outside; MISC spans are kept apart in
//! [`Sentence::misc`] for whoever wants them.

use crate::kind::Kind;
use crate::tagger::Tag;
use std::path::Path;

/// One annotated sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// The tokens.
    pub words: Vec<String>,
    /// Their IOB2 tags (PER, ORG, LOC only).
    pub tags: Vec<Tag>,
    /// Per token: `None` outside MISC, `Some(true)` on the first token of a MISC span,
    /// `Some(false)` on a later one.
    pub misc: Vec<Option<bool>>,
}

impl Sentence {
    /// The tokens as string slices.
    pub fn word_refs(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

/// One document: sentences in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// The sentences.
    pub sentences: Vec<Sentence>,
}

impl Doc {
    /// The tokens of every sentence, ready for [`crate::tagger::Model::tag_document`].
    pub fn words(&self) -> Vec<Vec<&str>> {
        self.sentences.iter().map(Sentence::word_refs).collect()
    }

    /// The gold tags of every sentence.
    pub fn tags(&self) -> Vec<Vec<Tag>> {
        self.sentences.iter().map(|s| s.tags.clone()).collect()
    }
}

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A line does not fit the format.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads a corpus file (format detected line by line).
pub fn read_file(path: impl AsRef<Path>) -> Result<Vec<Doc>, ConllError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| ConllError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Reads several corpus files, documents of all in order.
pub fn read_files<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Doc>, ConllError> {
    let mut docs = Vec::new();
    for p in paths {
        docs.extend(read_file(p)?);
    }
    Ok(docs)
}

/// A raw tag as read from a file: prefix (`B`, `I` or none for `O`) and type.
enum Raw<'a> {
    O,
    B(&'a str),
    I(&'a str),
}

fn raw_tag(t: &str) -> Option<Raw<'_>> {
    if t == "O" || t == "_" || t == "-" {
        return Some(Raw::O);
    }
    let (p, ty) = t.split_once('-')?;
    match p {
        "B" | "S" | "U" => Some(Raw::B(ty)),
        "I" | "E" | "L" => Some(Raw::I(ty)),
        _ => None,
    }
}

/// Parses corpus text; `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Vec<Doc>, ConllError> {
    let mut docs: Vec<Doc> = Vec::new();
    let mut doc = Doc::default();
    let mut sent = Sentence::default();
    // type of the previous token ("" when outside), to read IOB1 and repair IOB2
    let mut prev_ty = String::new();
    let end_sentence = |doc: &mut Doc, sent: &mut Sentence, prev: &mut String| {
        if !sent.words.is_empty() {
            doc.sentences.push(std::mem::take(sent));
        }
        prev.clear();
    };
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let err = |message: String| ConllError::Format {
            path: name.to_string(),
            line: ln + 1,
            message,
        };
        if line.trim().is_empty() {
            end_sentence(&mut doc, &mut sent, &mut prev_ty);
            continue;
        }
        if line.starts_with('#') {
            if line.starts_with("# newdoc") {
                end_sentence(&mut doc, &mut sent, &mut prev_ty);
                if !doc.sentences.is_empty() {
                    docs.push(std::mem::take(&mut doc));
                }
            }
            continue;
        }
        let (word, tag) = if line.contains('\t') {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 {
                return Err(err(format!(
                    "expected `index<TAB>token<TAB>tag`, found {} column(s)",
                    cols.len()
                )));
            }
            if !cols[0].chars().all(|c| c.is_ascii_digit()) {
                // multi-word token ranges (`3-4`) and empty nodes (`3.1`) carry no tag
                if cols[0].contains('-') || cols[0].contains('.') {
                    continue;
                }
                return Err(err(format!("bad token index `{}`", cols[0])));
            }
            (cols[1], cols[2])
        } else {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 2 {
                return Err(err("expected `token ... tag`".to_string()));
            }
            // IOB2 with spaces for tabs: `index token tag`, the index counting the sentence's
            // tokens from 1 (a CoNLL-2003 line has four columns)
            let indexed =
                cols.len() == 3 && cols[0].parse::<usize>().ok() == Some(sent.words.len() + 1);
            if indexed {
                (cols[1], cols[2])
            } else {
                (cols[0], cols[cols.len() - 1])
            }
        };
        if word == "-DOCSTART-" {
            end_sentence(&mut doc, &mut sent, &mut prev_ty);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let raw = raw_tag(tag).ok_or_else(|| err(format!("bad tag `{tag}`")))?;
        let (begin, ty) = match raw {
            Raw::O => (false, ""),
            Raw::B(t) => (true, t),
            Raw::I(t) => (prev_ty != t, t),
        };
        let kind: Option<Kind> = match ty {
            "PER" => Some(Kind::Person),
            "ORG" => Some(Kind::Organization),
            "LOC" => Some(Kind::Place),
            _ => None,
        };
        sent.words.push(word.to_string());
        sent.tags.push(match kind {
            None => Tag::O,
            Some(k) if begin => Tag::B(k),
            Some(k) => Tag::I(k),
        });
        sent.misc
            .push(if ty == "MISC" { Some(begin) } else { None });
        prev_ty.clear();
        prev_ty.push_str(ty);
    }
    end_sentence(&mut doc, &mut sent, &mut prev_ty);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_conll() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nBRUSSELS NNP B-NP B-LOC\n";
        let docs = parse(text, "t").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        let s = &docs[0].sentences[0];
        assert_eq!(s.words, vec!["EU", "rejects", "German"]);
        assert_eq!(s.tags, vec![Tag::B(Kind::Organization), Tag::O, Tag::O]);
        assert_eq!(s.misc, vec![None, None, Some(true)]);
        assert_eq!(
            docs[0].sentences[1].tags,
            vec![Tag::B(Kind::Person), Tag::I(Kind::Person)]
        );
        assert_eq!(docs[1].sentences[0].tags, vec![Tag::B(Kind::Place)]);
    }

    #[test]
    fn reads_uner_and_iob1() {
        let text = "# newdoc id = a\n# sent_id = 1\n1\ttampa\tB-LOC\t-\t-\n2\tbay\tI-LOC\t-\t-\n3\tFoo\tB-ANIMAL\t-\t-\n\n# newdoc id = b\n1\tJohn\tI-PER\t-\n2\tSmith\tI-PER\t-\n3\tIBM\tI-ORG\t-\n";
        let docs = parse(text, "t").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].sentences[0].tags,
            vec![Tag::B(Kind::Place), Tag::I(Kind::Place), Tag::O]
        );
        assert_eq!(
            docs[1].sentences[0].tags,
            vec![
                Tag::B(Kind::Person),
                Tag::I(Kind::Person),
                Tag::B(Kind::Organization)
            ]
        );
    }

    #[test]
    fn iob2_with_spaces_for_tabs_reads_the_token_not_the_index() {
        let docs = parse(
            "1 EU B-ORG\n2 rejects O\n3 German B-MISC\n4 call O\n",
            "x.iob2",
        )
        .unwrap();
        assert_eq!(
            docs[0].sentences[0].words,
            ["EU", "rejects", "German", "call"]
        );
        // a CoNLL line of a number token keeps its four columns' meaning
        let docs = parse("1 CD I-NP O\nBonn NNP I-NP I-LOC\n", "x.txt").unwrap();
        assert_eq!(docs[0].sentences[0].words, ["1", "Bonn"]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse("a B-PER\nb X-Y\n", "corpus.txt").unwrap_err();
        assert_eq!(e.to_string(), "corpus.txt:2: bad tag `X-Y`");
        let e = parse("x\n", "c").unwrap_err();
        assert!(e.to_string().starts_with("c:1:"));
    }
}
