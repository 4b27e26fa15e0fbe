#!/usr/bin/env bash
# Builds the release files reproducibly on Debian 12: dist/ocs.exe (x86_64-pc-windows-gnu, static),
# dist/ocs-windows-x64.zip and dist/ocs-linux-x64.tar.gz, both with the web page dist/ocs.html
# (scripts/build-web.sh: the browser's way, and a clerk's way to the 修正對照表 without typing a
# command). Installs from Debian and the crate
# registry only what is missing. Same commit -> same bytes (see docs/windows.md, "Building").
#
#   bash scripts/release.sh            # everything
#   OCS_RELEASE=windows bash scripts/release.sh   # only dist/ocs.exe and the zip (CI's tests need no more)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
what=${OCS_RELEASE:-all}
case "$what" in all | windows) ;; *) echo "release.sh: OCS_RELEASE is 'all' or 'windows', not '$what'" >&2; exit 2 ;; esac

# --- The toolchain: Debian's rustc-web (its std sources let -Zbuild-std build std for Windows),
# the MinGW linker and C compiler, clang for the page's C (libdeflate), zip. Each package is installed
# only when missing.
packages=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 clang-14 python3 gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 zip)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "release.sh: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# Debian's cargo and rustc, not a rustup toolchain that may come first on PATH.
export PATH=/usr/bin:$PATH
export RUSTC_BOOTSTRAP=1 # -Zbuild-std is unstable; Debian's rustc is a stable one
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
unset RUSTC_WRAPPER RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

# --- The web page first, with its own build settings (none of the binaries' below).
bash scripts/build-web.sh
# --- Reproducibility: no build path, home or time in the binaries; the date of the commit for
# every timestamp in the archives.
commit=$(git rev-parse --short=12 HEAD)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
git diff --quiet HEAD -- src vendor Cargo.toml Cargo.lock templates locales assets || commit="$commit-modified"
export OCS_COMMIT=$commit
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
sysroot=$(rustc --print sysroot)
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src
remap="--remap-path-prefix=$root=/ocs --remap-path-prefix=$registry=/cargo --remap-path-prefix=$sysroot/lib/rustlib/src/rust=/rustc"
# The same for the C compiled into them (libdeflate, through the libdeflater crate).
cmap="-ffile-prefix-map=$registry=/cargo -ffile-prefix-map=$root=/ocs"
export CFLAGS_x86_64_pc_windows_gnu="$cmap" CFLAGS_x86_64_unknown_linux_gnu="$cmap"
# Cargo.toml's `dist` profile, measured in BENCHMARKS.md ("Release build"): fat LTO, one codegen
# unit, symbols stripped. panic stays `unwind`: the readers catch a parser's panic and report it as an
# error. bench/speed.py measures the same profile.

mkdir -p dist
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

timed() { # command...: runs it and says how long it took
    local start=$SECONDS
    "$@"
    echo "release.sh: $* took $((SECONDS - start)) s" >&2
}

# --- Windows: std built from source for the target; C runtime and libgcc linked in statically
# (no MinGW DLL beside ocs.exe); no time stamp in the PE header.
windows() {
    RUSTFLAGS="$remap -C target-feature=+crt-static -C link-arg=-Wl,--no-insert-timestamp -C link-arg=-static" \
        cargo build --locked --profile dist -Zbuild-std=std,panic_abort --target x86_64-pc-windows-gnu --bin ocs
    cp target/x86_64-pc-windows-gnu/dist/ocs.exe dist/ocs.exe
}

linux() {
    RUSTFLAGS="$remap -C link-arg=-Wl,--build-id=none" \
        cargo build --locked --profile dist --target x86_64-unknown-linux-gnu --bin ocs
}

timed windows
if [ "$what" = all ]; then
    timed linux
fi

# --- The packages: the sample, the font's licence, a short guide in Traditional Chinese.
# Every entry gets the commit's date and fixed permissions; names are sorted.
package() { # folder, binary name, binary path
    local folder=$1
    mkdir -p "$folder/input"
    cp "$3" "$folder/$2"
    cp dist/ocs.html "$folder/ocs.html"
    cp input/* "$folder/input/"
    cp assets/fonts/OFL.txt "$folder/字型授權-OFL.txt"
    find "$folder" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
    find "$folder" -type d -exec chmod 755 {} +
    find "$folder" -type f -exec chmod 644 {} +
    chmod 755 "$folder/$2"
}

win=$stage/ocs-windows-x64
package "$win" ocs.exe dist/ocs.exe
# The guide is kept as UTF-8 with LF in the repository; Notepad wants CRLF, and the BOM makes
# older Notepads read it as UTF-8 rather than Big5.
{
    printf '\xef\xbb\xbf'
    sed 's/$/\r/' scripts/release/使用說明.txt
} >"$win/使用說明.txt"
touch -d "@$SOURCE_DATE_EPOCH" "$win/使用說明.txt"
chmod 644 "$win/使用說明.txt"
rm -f dist/ocs-windows-x64.zip
# -X: no extra fields (uid/gid, times beyond the DOS one); TZ=UTC: the DOS time is local time.
(cd "$win" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||' | TZ=UTC zip -X -q -D -9 "$root/dist/ocs-windows-x64.zip" -@)
# Windows users' zip tools read names as UTF-8 only when flagged; zip sets the flag for non-ASCII names.

if [ "$what" = all ]; then
    lin=$stage/ocs-linux-x64
    package "$lin" ocs target/x86_64-unknown-linux-gnu/dist/ocs
    sed 's/ocs\.exe/ocs/g' scripts/release/README-linux.txt >"$lin/README.txt"
    touch -d "@$SOURCE_DATE_EPOCH" "$lin/README.txt"
    chmod 644 "$lin/README.txt"
    (cd "$stage" && LC_ALL=C tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
        --format=gnu -cf - ocs-linux-x64 | gzip -n -9 >"$root/dist/ocs-linux-x64.tar.gz")
fi

echo "release.sh: ocs $version ($commit)" >&2
ls -l dist >&2
sha256sum dist/ocs.exe dist/*.zip dist/*.tar.gz 2>/dev/null >&2 || true
