#!/usr/bin/env bash
# Build dist/ocs.html: ocs's library compiled to WebAssembly, its wasm-bindgen glue, the page's
# script and styles, all in one file that works from disk (file://) with no network.
#
# Needs Debian's Rust for browsers (rustc-web, cargo-web, rust-web-src, rust-web-llvm, lld-22:
# /usr/bin/cargo 1.96 builds the standard library for wasm32 with -Zbuild-std) and python3;
# wasm-bindgen-cli is installed from the crate registry at the version in Cargo.lock into
# target/web-tools the first time. Everything else comes from the crate registry.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Debian's 1.96 toolchain, not rustup's (which has no wasm32 standard library here).
export PATH="/usr/bin:$PATH"
export RUSTC=/usr/bin/rustc
# -Zbuild-std is unstable; Debian's rustc is a stable one.
export RUSTC_BOOTSTRAP=1
cargo=/usr/bin/cargo
for tool in "$cargo" /usr/bin/rustc python3 rust-lld clang-14 llvm-ar-14; do
  command -v "$tool" >/dev/null || { echo "build-web.sh: $tool is missing (apt-get install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 clang-14 python3)" >&2; exit 1; }
done
# libdeflate (the PDFs' deflate, through the libdeflater crate) is C: clang compiles it for wasm32,
# freestanding (Cargo.toml), with no path of the build machine in it.
export CC_wasm32_unknown_unknown=clang-14 AR_wasm32_unknown_unknown=llvm-ar-14
sysroot="$(/usr/bin/rustc --print sysroot)"
[ -d "$sysroot/lib/rustlib/src/rust/library" ] || { echo "build-web.sh: the standard library's sources are missing (apt-get install rust-web-src)" >&2; exit 1; }

# wasm-bindgen's command must be the version of the crate in Cargo.lock.
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
tools="$root/target/web-tools"
bindgen="$tools/bin/wasm-bindgen"
if ! [ -x "$bindgen" ] || [ "$("$bindgen" --version | awk '{print $2}')" != "$version" ]; then
  echo "build-web.sh: installing wasm-bindgen-cli $version into target/web-tools" >&2
  # Not --locked: its lock pins a crate version the registry may lack (see shared notes).
  "$cargo" install wasm-bindgen-cli --version "$version" --no-default-features --root "$tools" --force
fi

# Panics unwind, as on the command line, so that a parser's panic on a broken file is that file's
# error (read::guarded) and not the end of the whole conversion: wasm exception handling, which
# Chromium 95+, Firefox 100+ and Edge run.
# No path of the build machine in the page (panic locations name source files): the same commit
# gives the same page wherever it is built, as scripts/release.sh's binaries.
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src
remap="--remap-path-prefix=$root=/ocs --remap-path-prefix=$registry=/cargo --remap-path-prefix=$sysroot/lib/rustlib/src/rust=/rustc"
export CFLAGS_wasm32_unknown_unknown="-ffile-prefix-map=$registry=/cargo -ffile-prefix-map=$root=/ocs"
# SIMD (simd128: zlib-rs's and memchr's vector code) runs in every browser that runs the page at all
# (Chrome/Edge 91+, Firefox 89+, Safari 16.4+). Built with Cargo.toml's `web` profile: `dist`'s
# fat LTO, not stripped (wasm-bindgen reads the features section).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Cpanic=unwind -Ctarget-feature=+exception-handling,+simd128 $remap"
"$cargo" build --locked --profile web -p ocs-web --target wasm32-unknown-unknown --target-dir target/web \
  -Zbuild-std=std,panic_unwind

out="target/web/bindgen"
rm -rf "$out"
"$bindgen" --target no-modules --no-typescript --out-dir "$out" target/web/wasm32-unknown-unknown/web/ocs_web.wasm

mkdir -p dist
python3 web/assemble.py --glue "$out/ocs_web.js" --wasm "$out/ocs_web_bg.wasm" --page web/page --out dist/ocs.html
ls -l dist/ocs.html >&2
