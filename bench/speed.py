#!/usr/bin/env python3
"""The three speed targets of issue 23, this tree against a build of an earlier commit, in one run.

usage: python3 bench/speed.py [--base COMMIT | --base-bin PATH] [--runs R] [--n N] [--big N] [--no-typst]
                              [--outputs pdf,matrix] [--instructions]

1. Per output, one core (`--jobs 1`): CPU time (user + system) of `ocs build CORPUS --only X` over
   N generated standards, the two binaries run alternately, median of R; the cost of an output is
   its run less the `json` run (reading and checking), per standard.
2. The official PDF alone, one core, against typst compiling the same CSVs in one process
   (../shared/bench/typst_py_batch.py, pip `typst`): whole-process CPU per standard.
3. BIG generated standards, every output, two cores: wall time and peak memory (one run each).

With `--outputs`, only those outputs (and `json`, the base of each cost) are measured, and the
average size of each output's files is printed too. With `--instructions`, the same costs are also
counted in instructions (valgrind's callgrind, 10 of the standards): a figure that does not move with
the machine's load, where CPU time on this shared machine varies by ±15 % from run to run.

Both binaries are built as they ship (Cargo.toml's `dist` profile: fat LTO); the base is built in
bench-work/speed/base from `git worktree` (or given built, `--base-bin`, e.g. printpdf's e22f513
for issue 21's budget). A benchmark, not a test: quote one run's figures.
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


# What ships: Cargo.toml's `dist` profile (fat LTO, one codegen unit), given here in full so that a
# base commit from before the profile existed is built the same way. Symbols kept, for profiling.
PROFILE = ["--profile", "dist", "--config", 'profile.dist.inherits="release"', "--config", 'profile.dist.lto="fat"',
           "--config", "profile.dist.codegen-units=1", "--config", 'profile.dist.strip="none"']


def build(base, base_bin=None):
    """Binaries of `base` and of this tree as they ship: (base, new)."""
    cargo = ["cargo", "build", "--quiet", "--locked", *PROFILE, "--bin", "ocs"]
    if base_bin:
        sh(*cargo, cwd=ROOT)
        return base_bin, os.path.join(ROOT, "target", "dist", "ocs")
    tree = os.path.join(W, "base")
    if not os.path.isdir(tree):
        sh("git", "-C", ROOT, "worktree", "add", "--detach", tree, base)
    else:
        sh("git", "-C", tree, "checkout", "--quiet", "--detach", base)
    sh(*cargo, cwd=tree)
    sh(*cargo, cwd=ROOT)
    return os.path.join(tree, "target", "dist", "ocs"), os.path.join(ROOT, "target", "dist", "ocs")


def average_sizes(out):
    """Average bytes of the files under `out` by kind: the part of the name after the code
    (`.pdf`, `-matrix.pdf`), a role's file as `checklists/*` plus its extension."""
    by = {}
    for folder, _, files in os.walk(out):
        for f in files:
            if f.startswith("report."):
                continue
            if os.path.basename(folder) == "checklists":
                kind = "checklists/*" + os.path.splitext(f)[1]
            else:
                code = os.path.basename(folder)
                kind = f[len(code):] if f.startswith(code) else f
            by.setdefault(kind, []).append(os.path.getsize(os.path.join(folder, f)))
    return {k: sum(v) / len(v) for k, v in by.items()}


def instructions(exe, csv, only):
    """Instructions of one run under callgrind."""
    out = os.path.join(W, "out-cg")
    shutil.rmtree(out, ignore_errors=True)
    log = os.path.join(W, "callgrind.log")
    only = [] if only == "all" else ["--only", only]
    with open(log, "w") as f:
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe, "build", csv, "-o", out,
                        "--jobs", "1", *only], stdout=subprocess.DEVNULL, stderr=f, check=False)
    text = open(log).read()
    shutil.rmtree(out, ignore_errors=True)
    return int(text.split("Collected :")[1].split()[0])


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
    ap.add_argument("--base-bin", help="a built base binary instead of building --base")
    ap.add_argument("--outputs", help="only these outputs, comma-separated (json is always measured)")
    ap.add_argument("--instructions", action="store_true", help="also count instructions (callgrind)")
    a = ap.parse_args()
    os.makedirs(W, exist_ok=True)
    binaries = dict(zip(["base", "new"], build(a.base, a.base_bin)))
    csv = corpus(a.n)
    out = os.path.join(W, "out")
    outputs = OUTPUTS if not a.outputs else ["json"] + [o for o in a.outputs.split(",") if o != "json"]
    rows = outputs + ([] if a.outputs else ["all"])
    cpu = {(b, o): [] for b in binaries for o in rows}
    sizes = {}
    for run in range(a.runs):
        for o in rows:
            for b, exe in binaries.items():
                only = [] if o == "all" else ["--only", o]
                _, c, _ = measure([exe, "build", csv, "-o", out, "--jobs", "1", *only], out)
                cpu[(b, o)].append(c)
                if a.outputs and run == a.runs - 1:
                    sizes[(b, o)] = average_sizes(out)
    med = {k: statistics.median(v) for k, v in cpu.items()}
    per = lambda s: 1000 * s / a.n  # noqa: E731
    print(f"\n1. one core, {a.n} standards, CPU per standard (median of {a.runs}), base {a.base_bin or a.base} → this tree")
    print("| output | base ms | new ms | new / base |\n|---|---:|---:|---:|")
    for o in rows:
        if o in ("json", "all"):
            b, n = per(med[("base", o)]), per(med[("new", o)])
            label = "reading + checks + JSON (json)" if o == "json" else "**all outputs**"
        else:
            b = per(med[("base", o)] - med[("base", "json")])
            n = per(med[("new", o)] - med[("new", "json")])
            label = f"+ {o}"
        print(f"| {label} | {b:.1f} | {n:.1f} | {n / b if b else float('nan'):.2f} |")
    if a.outputs:
        print("\naverage file size, KB (files of the last run of each output)")
        print("| file | base KB | new KB | new / base |\n|---|---:|---:|---:|")
        for o in outputs[1:]:
            for kind in sorted(set(sizes[("base", o)]) | set(sizes[("new", o)])):
                b, n = sizes[("base", o)].get(kind, 0) / 1000, sizes[("new", o)].get(kind, 0) / 1000
                print(f"| {kind} | {b:.1f} | {n:.1f} | {n / b if b else float('nan'):.2f} |")
    if a.instructions:
        ten = corpus(10)
        print("\ninstructions per standard (callgrind, 10 standards, one core), the output's less json's;"
              " all: one run of every output, whole")
        print("| output | base M | new M | new / base |\n|---|---:|---:|---:|")
        count = {(b, o): instructions(exe, ten, o) for b, exe in binaries.items() for o in rows}
        for o in rows:
            b, n = count[("base", o)], count[("new", o)]
            if o not in ("json", "all"):
                b, n = b - count[("base", "json")], n - count[("new", "json")]
            print(f"| {o} | {b / 10e6:.1f} | {n / 10e6:.1f} | {n / b if b else float('nan'):.2f} |")
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
