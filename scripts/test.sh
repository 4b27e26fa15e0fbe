#!/usr/bin/env bash
# The whole test suite, from a fresh clone on Debian 12: installs what is missing (Debian packages,
# PyPI modules), builds what people download once (the Windows package and the web page, in dist/),
# then runs `cargo test --locked`. CI (`.ci/run`) calls exactly this. Run as root or with sudo rights.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests open our outputs with, and why:
#   poppler-utils  pdftotext, pdffonts, pdftoppm: the text, fonts and pages of every PDF
#   time           GNU /usr/bin/time: peak memory of the hostile inputs
#   jing           the ODF 1.3 schema check of every .odt/.ods
#   libreoffice-calc, libreoffice-writer   open the .xlsx/.ods/.odt outputs and print them to PDF
#   fonts-noto-cjk the CJK face LibreOffice prints with
#   fonts-cns11643-kai    TW-Kai (全字庫正楷體), for the test of --font
#   fonts-crosextra-carlito  Calibri's metrics, so LibreOffice gives xlsx columns Excel's widths
#   python3        the .odt/.docx fixture generator and ../shared/tools/print_check.py
#   chromium, chromium-driver  report.html and dist/ocs.html in a real (headless) browser
#   firefox-esr    dist/ocs.html in the other engine (tests/web.rs drives it through Marionette)
#   qpdf, libpdfbox2-java   independent checks of the PDFs' structure
#   locales        zh_TW.UTF-8, so Wine writes Chinese file names
#   strace         kills a rebuild at each rename (tests/swap.rs)
#   libactivation-java, libjaxb-api-java   what PDFBox Preflight needs on Java 17
#   wine, wine64, bsdutils   run dist/ocs.exe (tests/windows.rs; `script` gives it a terminal)
#   gcc-mingw-w64-x86-64, binutils-mingw-w64-x86-64   the Wine tests' helper programs, the exe's imports,
#                  libdeflate (C) in the exe
#   rustc-web, cargo-web, rust-web-src, rust-web-llvm, lld-22, zip   build dist/ocs.exe and dist/ocs.html
#   clang-14       libdeflate (C) in dist/ocs.html's WebAssembly
packages=(poppler-utils time jing libreoffice-calc libreoffice-writer fonts-noto-cjk fonts-cns11643-kai
    fonts-crosextra-carlito python3 python3-pip chromium chromium-driver firefox-esr qpdf libpdfbox2-java
    libactivation-java libjaxb-api-java locales strace wine wine64 bsdutils gcc-mingw-w64-x86-64
    binutils-mingw-w64-x86-64 rustc-web cargo-web rust-web-src rust-web-llvm lld-22 zip clang-14)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# pdfplumber + fonttools for print_check.py; pikepdf + pypdf for the PDF structure and form tests;
# openpyxl for the generated corpus's official-layout workbooks (../shared/bench/gen_corpus.py);
# outloud for the PDF/UA-1 checks from outside (tests/pdf_conformance.rs).
modules=(pdfplumber fonttools pikepdf pypdf openpyxl outloud)
python3 -c 'import pdfplumber, fontTools, pikepdf, pypdf, openpyxl' 2>/dev/null && command -v outloud >/dev/null \
    || python3 -m pip install -q "${modules[@]}" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages "${modules[@]}"

# What people download, built once per run; the tests run these very files.
# CI needs the Windows package only (OCS_RELEASE=windows); a person running this gets the Linux
# archive too.
# release.sh builds the web page (dist/ocs.html) first: the packages hold it.
if [ -n "${CI:-}" ]; then OCS_RELEASE=windows bash scripts/release.sh; else bash scripts/release.sh; fi

cargo test --locked
