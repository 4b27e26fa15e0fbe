#!/usr/bin/env bash
# Benchmarks of ocs against the peers a user would otherwise run, on the same corpus, in one run.
# A benchmark, not a test: the machines are shared, so quote medians and compare inside one run.
#
# usage: bench/run.sh [SECTION ...]      sections: pdf xlsx batch (default: all three)
# env:   W (work dir, default ./bench-work), SHARED (the peers' folder, default ../shared/bench),
#        RUNS (runs per measurement, default 5), SKIP_LO=1 (skip LibreOffice N=100, ~1.5 min a run)
#
# Needs: a release build (made here), python3 with `typst` (pip install typst==0.15.2), Debian's
# fonts-noto-cjk (typst's template uses it) and libreoffice-calc-nogui. It installs nothing itself.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
W=${W:-$ROOT/bench-work}
RUNS=${RUNS:-5}
OCS=$ROOT/target/release/ocs
O=$W/out
mkdir -p "$W" "$O"
B="python3 $SHARED/bench.py --jsonl $W/results.jsonl"
LOPROF="-env:UserInstallation=file://$W/lo-profile"
sections=${*:-pdf xlsx batch}

(cd "$ROOT" && cargo build --release --quiet)
for n in 1 100; do
  [ -d "$W/c$n/xlsx" ] || python3 "$SHARED/gen_corpus.py" --n $n --out "$W/c$n" --xlsx
done
[ -d "$W/c1000/csv" ] || python3 "$SHARED/gen_corpus.py" --n 1000 --out "$W/c1000"
{ "$OCS" --version; python3 -c 'import typst; print("typst-py", typst.__version__)'; soffice --version; } > "$W/versions.txt" 2>&1 || true
# Warm-ups: LibreOffice's profile, the page cache.
soffice $LOPROF --headless --convert-to pdf --outdir "$O/warm" "$W"/c1/xlsx/*.xlsx >/dev/null 2>&1 || true

if [[ " $sections " == *" pdf "* ]]; then
  for n in 1 100; do
    # Interleaved per N: ours, typst in-process, LibreOffice; the same CSV or xlsx content.
    $B --label "ocs build pdf only N=$n" --runs "$RUNS" --prep "rm -rf $O/ocs" --sh "$OCS build $W/c$n/csv -o $O/ocs --only pdf"
    $B --label "ocs build all outputs N=$n" --runs "$RUNS" --prep "rm -rf $O/ocs" --sh "$OCS build $W/c$n/csv -o $O/ocs"
    $B --label "ocs build pdf only, from xlsx N=$n" --runs "$RUNS" --prep "rm -rf $O/ocs" --sh "$OCS build $W/c$n/xlsx -o $O/ocs --only pdf"
    $B --label "typst-py 1 process N=$n" --runs "$RUNS" --prep "rm -rf $O/typy" --sh "python3 $SHARED/typst_py_batch.py $W/c$n/csv $O/typy"
    if [ "$n" = 1 ] || [ -z "${SKIP_LO:-}" ]; then
      lo_runs=$([ "$n" = 1 ] && echo "$RUNS" || echo 3)
      $B --label "LibreOffice xlsx->pdf N=$n" --runs "$lo_runs" --warmup 0 --prep "rm -rf $O/lo" --sh "soffice $LOPROF --headless --convert-to pdf --outdir $O/lo $W/c$n/xlsx/*.xlsx"
    fi
  done
fi

if [[ " $sections " == *" xlsx "* ]]; then
  for n in 1 100; do
    # The formatted workbook from the same CSVs: ours against openpyxl (peer C).
    $B --label "ocs build xlsx only N=$n" --runs "$RUNS" --prep "rm -rf $O/ocs" --sh "$OCS build $W/c$n/csv -o $O/ocs --only xlsx"
    $B --label "openpyxl csv->xlsx N=$n" --runs "$RUNS" --prep "rm -rf $O/ox" --sh "python3 $SHARED/csv2xlsx_openpyxl.py $W/c$n/csv $O/ox"
  done
fi

if [[ " $sections " == *" batch "* ]]; then
  # Every output; one core against two; N=100 against N=1000 for flat memory.
  $B --label "ocs all outputs N=1 (cold)" --runs "$RUNS" --prep "rm -rf $O/ocs" --sh "$OCS build $W/c1/csv -o $O/ocs"
  for n in 100 1000; do
    runs=$([ "$n" = 1000 ] && echo 3 || echo "$RUNS")
    $B --label "ocs all outputs --jobs 1 N=$n" --runs "$runs" --warmup 0 --prep "rm -rf $O/ocs" --sh "$OCS build $W/c$n/csv -o $O/ocs --jobs 1"
    $B --label "ocs all outputs --jobs 2 N=$n" --runs "$runs" --warmup 0 --prep "rm -rf $O/ocs" --sh "$OCS build $W/c$n/csv -o $O/ocs --jobs 2"
  done
  for only in json csv xlsx pdf matrix checklist; do
    $B --label "ocs $only alone --jobs 2 N=100" --runs "$RUNS" --prep "rm -rf $O/ocs" --sh "$OCS build $W/c100/csv -o $O/ocs --jobs 2 --only $only"
  done
fi

python3 "$SHARED/summarize.py" "$W/results.jsonl"
