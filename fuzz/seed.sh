#!/bin/sh
# Seeds fuzz/corpus/TARGET from the sample articles in data/: each article's paragraphs, and
# for `load` the same with a loader-selecting prefix. The corpus is not committed.
set -eu
cd "$(dirname "$0")"
for t in segment recognize export load; do mkdir -p "corpus/$t"; done
n=0
for f in ../data/*.txt; do
    # One seed per blank-line-separated block of the article, at most 2 kB each.
    awk -v dir="corpus" -v base="$(basename "$f" .txt)" '
        BEGIN { RS = ""; }
        { name = base "_" NR; out = substr($0, 1, 2048);
          printf "%s", out > (dir "/segment/" name); close(dir "/segment/" name);
          printf "%s", out > (dir "/recognize/" name); close(dir "/recognize/" name);
          printf "%s", out > (dir "/export/" name); close(dir "/export/" name); }' "$f"
    n=$((n + 1))
    head -c 4000 "$f" > "corpus/load/$n.txt.raw"
    for way in 0 2 4 5; do
        { printf "\\$(printf '%03o' "$way")\\377"; printf '{"id": "%s", "text": "Vladimir Putin met Steve Witkoff in Moscow."}\n' "$n"; } > "corpus/load/$n.jsonl.$way"
    done
    { printf '\003\377<html><head><title>T</title></head><body><article><p>'; head -c 3000 "$f"; printf '</p></article></body></html>'; } > "corpus/load/$n.html"
done
