#!/usr/bin/env python3
"""How `entigraph build` scales: throughput and peak memory from 10 MB to 1 GB of news JSONL.

Builds corpora of real text from CoNLL-2003 / IOB2 files (their documents, tokens joined by
spaces, one sentence a line), repeated with distinct ids up to each size, then times
`entigraph build CORPUS -o graph.json` at one thread and at all threads, reading peak memory
(max RSS) from GNU time. Prints a Markdown table.

usage: bench/scale.py [--sizes 10,100,1000] [--work DIR] FILE...
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_spacy import read_gold  # noqa: E402


def corpus(paths, size_mb, out):
    """Writes documents of `paths` as JSONL, repeated with distinct ids, up to `size_mb` MB."""
    docs = []
    for path in paths:
        for doc in read_gold(path):
            docs.append("\n".join(" ".join(w for w, _ in s) for s in doc))
    target = size_mb * 1_000_000
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        round_ = 0
        while written < target:
            for i, text in enumerate(docs):
                line = json.dumps({"id": f"r{round_}-d{i}", "text": text}) + "\n"
                f.write(line)
                written += len(line.encode("utf-8"))
                if written >= target:
                    break
            round_ += 1
    return written


def run(exe, path, jobs, work):
    """Seconds and peak RSS (MB) of one build."""
    out = os.path.join(work, "graph.json")
    cmd = ["/usr/bin/time", "-f", "%M", exe, "build", path, "--quiet", "-o", out]
    if jobs:
        cmd[5:5] = ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    rss_kb = int(re.findall(r"^(\d+)$", done.stderr, re.M)[-1])
    return elapsed, rss_kb / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="CoNLL-2003 or IOB2 files whose text to use")
    ap.add_argument("--sizes", default="10,100,1000", help="corpus sizes in MB")
    ap.add_argument("--work", default="target/bench-scale", help="where corpora are written")
    ap.add_argument("--entigraph", default="target/release/entigraph")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    cores = os.cpu_count() or 1
    print(f"| corpus | threads | seconds | MB/s | peak memory (MB) |")
    print(f"|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        path = os.path.join(args.work, f"news-{size}mb.jsonl")
        if not os.path.exists(path):
            corpus(args.files, size, path)
        mb = os.path.getsize(path) / 1e6
        for jobs in (1, cores):
            secs, rss = run(args.entigraph, path, jobs, args.work)
            print(f"| {mb:.0f} MB | {jobs} | {secs:.1f} | {mb / secs:.2f} | {rss:.0f} |", flush=True)
        if not os.environ.get("KEEP_CORPORA"):
            os.remove(path)


if __name__ == "__main__":
    main()
