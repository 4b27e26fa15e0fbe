#!/usr/bin/env bash
# Takes docs/windows-console.png: dist/ocs.exe double-clicked (started with a console of its own,
# as Explorer starts it) in a folder holding the sample's input\, under Wine on a virtual X screen,
# after the run, while the window waits for a key. A real screenshot of Wine's console window, not
# a drawing. Needs: scripts/release.sh run first, xvfb, x11-apps (xwd), wine64, python3-pil.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ -f dist/ocs.exe ] || { echo "dist/ocs.exe is missing: run bash scripts/release.sh first" >&2; exit 1; }
work=$(mktemp -d)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" LANG=C.UTF-8 DISPLAY=:97
Xvfb :97 -screen 0 1100x700x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cleanup() { wineserver -k 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
wineboot -i >/dev/null 2>&1
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" tests/wine/bcryptprimitives.c -ladvapi32
# The clerk's folder: C:\Users\Public\職能基準轉換 with ocs.exe and input\.
folder="$WINEPREFIX/drive_c/users/Public/職能基準轉換"
mkdir -p "$folder/input"
cp dist/ocs.exe "$folder/"
cp input/* "$folder/input/"
# Chinese in the console window: the console's font is one that has the characters.
wine reg add 'HKCU\Console' /v FaceName /t REG_SZ /d 'Noto Sans Mono CJK TC' /f >/dev/null 2>&1
wine reg add 'HKCU\Console' /v FontSize /t REG_DWORD /d 0x00120000 /f >/dev/null 2>&1
wine reg add 'HKCU\Console' /v ScreenBufferSize /t REG_DWORD /d 0x012c0064 /f >/dev/null 2>&1
wine reg add 'HKCU\Console' /v WindowSize /t REG_DWORD /d 0x00200064 /f >/dev/null 2>&1
# `start` gives the program a new console window, as Explorer does; --lang because Wine derives
# Windows' display language from the Unix locale, which is C here.
(cd "$folder" && wine start /d 'C:\users\Public\職能基準轉換' ocs.exe) &
sleep "${WAIT:-25}"
xwd -root -silent >"$work/screen.xwd"
python3 - "$work/screen.xwd" "$root/docs/windows-console.png" <<'PY'
import struct, sys
from PIL import Image
data = open(sys.argv[1], "rb").read()
head = struct.unpack(">25I", data[:100])
size, width, height, bpl, ncolors = head[0], head[4], head[5], head[12], head[19]
pixels = data[size + 12 * ncolors:]
image = Image.frombytes("RGB", (width, height), pixels, "raw", "BGRX", bpl)
box = Image.eval(image, lambda v: 255 if v else 0).convert("L").getbbox()  # the window on the black root
image.crop(box).save(sys.argv[2], optimize=True)
PY
ls -l docs/windows-console.png
