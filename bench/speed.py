#!/usr/bin/env python3
"""The three speed targets of issue 23, this tree against a build of an earlier commit, in one run.

usage: python3 bench/speed.py [--base COMMIT] [--runs R] [--n N] [--big N] [--no-typst]

1. Per output, one core (`--jobs 1`): CPU time (user + system) of `ocs build CORPUS --only X` over
   N generated standards, the two binaries run alternately, median of R; the cost of an output is
   its run less the `json` run (reading and checking), per standard.
2. The official PDF alone, one core, against typst compiling the same CSVs in one process
   (../shared/bench/typst_py_batch.py, pip `typst`): whole-process CPU per standard.
3. BIG generated standards, every output, two cores: wall time and peak memory (one run each).

Both binaries are release builds with the repository's profile; the base is built in
bench-work/speed/base from `git worktree`. A benchmark, not a test: quote one run's figures.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared", "bench"))
W = os.environ.get("W", os.path.join(ROOT, "bench-work", "speed"))
OUTPUTS = ["json", "pdf", "xlsx", "ods", "odt", "matrix", "checklist"]


def sh(*argv, **kw):
    subprocess.run(argv, check=True, **kw)


def measure(argv, prep_dir=None):
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run."""
    if prep_dir:
        shutil.rmtree(prep_dir, ignore_errors=True)
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: a standard with warnings under --strict is not used here; errors only
        sys.exit(f"{' '.join(argv)} exited {code}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def build(base):
    """Release binaries of `base` and of this tree: (base, new)."""
    tree = os.path.join(W, "base")
    if not os.path.isdir(tree):
        sh("git", "-C", ROOT, "worktree", "add", "--detach", tree, base)
    else:
        sh("git", "-C", tree, "checkout", "--quiet", "--detach", base)
    sh("cargo", "build", "--quiet", "--locked", "--release", "--bin", "ocs", cwd=tree)
    sh("cargo", "build", "--quiet", "--locked", "--release", "--bin", "ocs", cwd=ROOT)
    return os.path.join(tree, "target", "release", "ocs"), os.path.join(ROOT, "target", "release", "ocs")


def corpus(n):
    path = os.path.join(W, f"c{n}")
    if not os.path.isdir(os.path.join(path, "csv")):
        sh("python3", os.path.join(SHARED, "gen_corpus.py"), "--n", str(n), "--out", path, stdout=subprocess.DEVNULL)
    return os.path.join(path, "csv")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default=os.environ.get("BASE", "97a0b4d"), help="the commit to compare with")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--big", type=int, default=2700, help="standards of the two-core run (0: skip it)")
    ap.add_argument("--no-typst", action="store_true")
    a = ap.parse_args()
    os.makedirs(W, exist_ok=True)
    binaries = dict(zip(["base", "new"], build(a.base)))
    csv = corpus(a.n)
    out = os.path.join(W, "out")
    cpu = {(b, o): [] for b in binaries for o in OUTPUTS + ["all"]}
    for _ in range(a.runs):
        for o in OUTPUTS + ["all"]:
            for b, exe in binaries.items():
                only = [] if o == "all" else ["--only", o]
                _, c, _ = measure([exe, "build", csv, "-o", out, "--jobs", "1", *only], out)
                cpu[(b, o)].append(c)
    med = {k: statistics.median(v) for k, v in cpu.items()}
    per = lambda s: 1000 * s / a.n  # noqa: E731
    print(f"\n1. one core, {a.n} standards, CPU per standard (median of {a.runs}), base {a.base} → this tree")
    print("| output | base ms | new ms | new / base |\n|---|---:|---:|---:|")
    for o in OUTPUTS + ["all"]:
        if o in ("json", "all"):
            b, n = per(med[("base", o)]), per(med[("new", o)])
            label = "reading + checks + JSON (json)" if o == "json" else "**all outputs**"
        else:
            b = per(med[("base", o)] - med[("base", "json")])
            n = per(med[("new", o)] - med[("new", "json")])
            label = f"+ {o}"
        print(f"| {label} | {b:.1f} | {n:.1f} | {n / b if b else float('nan'):.2f} |")
    if not a.no_typst:
        try:
            import typst  # noqa: F401
        except ImportError:
            sh(sys.executable, "-m", "pip", "install", "-q", "typst")
        typ = []
        for _ in range(a.runs):
            _, c, _ = measure([sys.executable, os.path.join(SHARED, "typst_py_batch.py"), csv, os.path.join(W, "typst")])
            typ.append(c)
        t = per(statistics.median(typ))
        print(f"\n2. official PDF alone, one core, whole process per standard: typst in-process {t:.1f} ms")
        for b in binaries:
            o = per(med[(b, "pdf")])
            print(f"   ocs {b}: {o:.1f} ms — {t / o:.1f}× typst")
    if a.big:
        big = corpus(a.big)
        print(f"\n3. {a.big} standards, every output, two cores (one run each)")
        for b, exe in binaries.items():
            wall, c, rss = measure([exe, "build", big, "-o", out, "--jobs", "2"], out)
            print(f"   {b}: {wall:.1f} s wall, {c:.1f} s CPU, peak {rss:.0f} MiB")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
