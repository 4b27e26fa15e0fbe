#!/usr/bin/env python3
"""How much of a standard's instructions are spent inside the libraries ocs calls (issue 23's floor).

usage: python3 bench/floor.py [--bin PATH] [--outputs all,pdf]

Runs `ocs build` over 10 generated standards under valgrind's callgrind (one core), once per output
asked (`all`: every output in one run; `pdf`: the official PDF, with the reading and the JSON every
run makes), and splits the instructions in two:

- **libraries**: every call from a function of ocs into krilla, pdf-writer, rust_xlsxwriter, zip,
  libdeflate (the PDFs' deflate) or another library, counted whole (the callee's instructions with
  everything it calls: its allocations, copies and deflate), and the bytes ocs hands to a writer
  (`std::io::Write::write_all`: the ODF files' zip entries, deflated by zip, and the files);
- **ocs**: the rest — reading, checking, the documents, layout, text measuring, ODF XML, the form
  fields and `pack`, with the allocations and copies they make themselves.

The libraries' part is a floor for these outputs made with these libraries: were ocs's own code
free, a standard would still cost that much. `ms` scales the share by the CPU time of the same run
measured outside valgrind (user + system, `--jobs 1`, the same 10 standards, median of 3).

The binary needs its symbols: by default this tree built as it ships (`dist`) with them kept, as
bench/speed.py builds it. A benchmark, not a test: quote one run's figures.
"""
import argparse
import collections
import os
import re
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import speed  # noqa: E402

LIBRARIES = ("krilla", "pdf_writer", "rust_xlsxwriter", "zip", "flate2", "zlib_rs", "libdeflater", "subsetter",
             "skrifa", "read_fonts", "ttf_parser", "calamine", "csv", "csv_core", "serde_json", "unicode_linebreak",
             "quick_xml", "encoding_rs", "xmp_writer", "tiny_skia_path", "roxmltree")
LIBRARY = re.compile(r"^<?&?(?:mut )?(?:core::ptr::drop_in_place<)?(" + "|".join(LIBRARIES) + r")::")
C_DEFLATE = re.compile(r"^(libdeflate_|deflate_)")
WRITE = "std::io::Write::write_all"
LINE = re.compile(r"\s*([\d,]+) \([ \d.%]+\)\s+([*>])\s+(.*)$")


def name(field):
    """A function's name from a callgrind_annotate line: no file, no call count, no object."""
    field = re.sub(r"\s*\[[^\]]*\]\s*$", "", field)
    field = re.sub(r"\s*\(\d[\d,]*x\)\s*$", "", field)
    return field.split(":", 1)[1].strip() if re.match(r"^(\?\?\?|[./][^:]*):", field) else field.strip()


def library(callee):
    """The library a callee belongs to, or None for ocs's own and the standard library's code."""
    m = LIBRARY.match(callee)
    if m:
        return m.group(1)
    if C_DEFLATE.match(callee):
        return "libdeflate"
    if callee == WRITE:
        return "written (zip entries, files)"
    return None


def split(tree):
    """Instructions of calls from ocs's functions into each library (callgrind's calling tree)."""
    into = collections.Counter()
    caller = None
    for line in tree.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        count, kind, field = int(m.group(1).replace(",", "")), m.group(2), name(m.group(3))
        if kind == "*":
            caller = field
        elif caller and re.match(r"^<?ocs::", caller) and not re.match(r"^<?ocs::", field):
            lib = library(field)
            if lib:
                into[lib] += count
    return into


def run(exe, csv, only):
    """Total instructions and the calls into each library, of one run under callgrind."""
    out = os.path.join(speed.W, "out-floor")
    profile = os.path.join(speed.W, "floor.cg")
    shutil.rmtree(out, ignore_errors=True)
    args = [] if only == "all" else ["--only", only]
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={profile}", exe, "build", csv, "-o", out,
                    "--jobs", "1", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    tree = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--tree=calling", "--threshold=100", profile],
                          capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"([\d,]+) \([ \d.%]+\)\s+PROGRAM TOTALS", tree).group(1).replace(",", ""))
    cpu = statistics.median(speed.measure([exe, "build", csv, "-o", out, "--jobs", "1", *args], out)[1] for _ in range(3))
    shutil.rmtree(out, ignore_errors=True)
    return total, split(tree), cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="an ocs binary with symbols (default: this tree, built as it ships)")
    ap.add_argument("--outputs", default="all,pdf")
    a = ap.parse_args()
    os.makedirs(speed.W, exist_ok=True)
    exe = a.bin
    if not exe:
        speed.sh("cargo", "build", "--quiet", "--locked", *speed.PROFILE, "--bin", "ocs", cwd=speed.ROOT)
        exe = os.path.join(speed.ROOT, "target", "dist", "ocs")
    csv = speed.corpus(10)
    for only in a.outputs.split(","):
        total, into, cpu = run(exe, csv, only)
        ms = 1000 * cpu / 10
        libs = sum(into.values())
        print(f"\n`{only}`: {total / 10e6:.1f} M instructions a standard, {ms:.1f} ms CPU a standard (10 standards, one core)")
        print("| where | M a standard | share | ms a standard |\n|---|---:|---:|---:|")
        for lib, n in into.most_common():
            if n >= total / 1000:
                print(f"| {lib} | {n / 10e6:.1f} | {100 * n / total:.1f} % | {ms * n / total:.1f} |")
        print(f"| **libraries, all** | **{libs / 10e6:.1f}** | **{100 * libs / total:.1f} %** | **{ms * libs / total:.1f}** |")
        print(f"| ocs's own (the rest) | {(total - libs) / 10e6:.1f} | {100 * (total - libs) / total:.1f} % | "
              f"{ms * (total - libs) / total:.1f} |")


if __name__ == "__main__":
    main()
