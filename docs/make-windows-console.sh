#!/usr/bin/env bash
# Makes docs/windows-console.png: what the console window shows after a double-click on
# dist/ocs.exe in a folder holding the sample's input\, on a Chinese Windows. The text is captured
# from dist/ocs.exe run under Wine (zh_TW locale, no arguments: the double-click's run) and then
# drawn as Windows 10's console draws it (120 × 30 cells, a CJK character two cells wide, lines
# wrapped at 120 cells, the window showing the last 30 lines), followed by the prompt the program
# writes when the window is its own. Drawn, not screenshotted: Wine 8's console window sizes its
# cells by the widest glyph of a CJK font, which no Windows console does.
# Needs: scripts/release.sh run first, wine64, fonts-noto-cjk, python3-pil.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/ocs.exe ] || { echo "dist/ocs.exe is missing: run bash scripts/release.sh first" >&2; exit 1; }
locale -a | grep -qi '^zh_TW.utf8$' || localedef -i zh_TW -f UTF-8 zh_TW.UTF-8
work=$(mktemp -d)
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" LANG=zh_TW.UTF-8
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
wineboot -i >/dev/null 2>&1
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" tests/wine/bcryptprimitives.c -ladvapi32
folder="$WINEPREFIX/drive_c/users/Public/職能基準轉換"
mkdir -p "$folder/input"
cp dist/ocs.exe "$folder/"
cp input/* "$folder/input/"
(cd "$folder" && wine ocs.exe </dev/null 2>"$work/console.txt" >/dev/null) || true
printf '\n按任意鍵關閉視窗…' >>"$work/console.txt"
python3 - "$work/console.txt" docs/windows-console.png <<'PY'
import sys, unicodedata
from PIL import Image, ImageDraw, ImageFont
COLS, ROWS, CELL_W, CELL_H, TITLE = 120, 30, 8, 17, 30
text = open(sys.argv[1], encoding="utf-8").read()
wide = lambda c: unicodedata.east_asian_width(c) in "WF"
lines = []
for raw in text.split("\n"):
    line, used = "", 0
    for c in raw:
        w = 2 if wide(c) else 1
        if used + w > COLS:
            lines.append(line); line, used = "", 0
        line += c; used += w
    lines.append(line)
lines = lines[-ROWS:]
font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 14, index=8)  # Noto Sans Mono CJK TC
title_font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 13, index=3)  # Noto Sans CJK TC
image = Image.new("RGB", (COLS * CELL_W + 16, ROWS * CELL_H + TITLE + 8), (12, 12, 12))
draw = ImageDraw.Draw(image)
draw.rectangle([0, 0, image.width, TITLE], fill=(255, 255, 255))
draw.text((10, 7), r"C:\Users\Public\職能基準轉換\ocs.exe", font=title_font, fill=(0, 0, 0))
for i, label in enumerate(["—", "☐", "✕"]):
    draw.text((image.width - 40 * (3 - i) + 14, 5), label, font=title_font, fill=(0, 0, 0))
for row, line in enumerate(lines):
    x = 8
    for c in line:
        draw.text((x, TITLE + 4 + row * CELL_H), c, font=font, fill=(204, 204, 204))
        x += CELL_W * (2 if wide(c) else 1)
image.save(sys.argv[2], optimize=True)
PY
ls -l docs/windows-console.png
