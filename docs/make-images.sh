#!/usr/bin/env bash
# Regenerates the README's pictures of what ocs makes (the first page of the official table, the
# competency matrix and the training checklist of the bundled sample). Needs poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./target/release/ocs build input/BAS2421-002.xlsx -o "$out" >/dev/null 2>&1
folder="$out/BAS2421-002"
for name in official:BAS2421-002 matrix:BAS2421-002-matrix checklist:BAS2421-002-checklist; do
    pdftoppm -png -r 45 -f 1 -l 1 -singlefile "$folder/${name#*:}.pdf" "docs/${name%%:*}"
done
ls -l docs/*.png
