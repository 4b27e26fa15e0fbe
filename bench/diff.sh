#!/usr/bin/env bash
# Benchmark of `ocs diff` on a long standard (issue 22: under 100 ms to compare two versions of a
# 30-page standard). Four generated standards are merged into one (about 37 pages as the official
# PDF), a revision of it made with the known edits of tests/revise, and then:
#   1. the comparison alone, in process (median of 21 runs), and reading / rendering once;
#   2. the whole command, `ocs diff OLD NEW -o OUT` (reading, checking, comparing, rendering the
#      修正對照表 in four formats, writing), RUNS times with ../shared/bench/bench.py.
# A benchmark, not a test: the machine is shared, so quote medians of one session.
#
# usage: bench/diff.sh          env: W (work dir, default ./bench-work/diff), RUNS (default 5),
#                                    SHARED (default ../shared/bench)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
W=${W:-$ROOT/bench-work/diff}
RUNS=${RUNS:-5}
mkdir -p "$W"
[ -d "$W/c4/csv" ] || python3 "$SHARED/gen_corpus.py" --n 4 --out "$W/c4" >/dev/null
(cd "$ROOT" && cargo build --release --quiet --bin ocs --example diff_bench)
"$ROOT/target/release/examples/diff_bench" "$W/versions" "$W"/c4/csv/*.csv | tee "$W/inprocess.txt"
new=$(ls "$W"/versions/*v2.csv)
python3 "$SHARED/bench.py" --jsonl "$W/results.jsonl" --label "ocs diff, 30-page standard" --runs "$RUNS" \
  --prep "rm -rf $W/out" --sh "$ROOT/target/release/ocs diff $W/versions/old.csv $new -o $W/out; test \$? -eq 1"
