#!/usr/bin/env bash
# Regenerates docs/diff.png, the picture of a 修正對照表 in docs/diff.md: the first page of the table
# comparing the bundled sample with a revision of it (the known edits of tests/revise, made by
# examples/diff_bench). Needs poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin ocs --example diff_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/examples/diff_bench "$work/versions" input/BAS2421-002.xlsx >/dev/null
./target/release/ocs diff "$work/versions/old.csv" "$work/versions/BAS2421-002v2.csv" -o "$work/out" >/dev/null 2>&1 || test $? -eq 1
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/out/BAS2421-002v2-修正對照表.pdf" docs/diff
ls -l docs/diff.png
