#!/usr/bin/env python3
"""Assemble dist/ocs.html from the page's template, script and styles, wasm-bindgen's glue and the
WebAssembly (gzipped, base64). The Content-Security-Policy allows exactly the page's one inline script (by
its hash), the worker made from a blob URL, WebAssembly compilation, and no request at all."""
import argparse
import base64
import gzip
import hashlib
import pathlib
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--glue", required=True)
    parser.add_argument("--wasm", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    page = pathlib.Path(args.page)
    template = (page / "index.html").read_text(encoding="utf-8")
    script = (page / "page.js").read_text(encoding="utf-8")
    style = (page / "page.css").read_text(encoding="utf-8")
    worker = pathlib.Path(args.glue).read_text(encoding="utf-8") + "\n" + (page / "worker.js").read_text(encoding="utf-8")
    # Gzipped (dated 0, so the page is the same for the same build): 17 MB of WebAssembly, most of
    # it the embedded font, become 7 MB; the worker unpacks it with the browser's DecompressionStream.
    wasm = base64.b64encode(gzip.compress(pathlib.Path(args.wasm).read_bytes(), compresslevel=9, mtime=0)).decode("ascii")
    for name, text in (("page.js", script), ("worker", worker), ("page.css", style)):
        if "</script" in text.lower() or "</style" in text.lower():
            sys.exit(f"assemble.py: {name} contains a closing tag and cannot be inlined")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src 'sha256-{digest}' 'wasm-unsafe-eval'",
            "worker-src blob:",
            # The report's own <style> comes with it; styles cannot reach the network when images,
            # fonts and connections are all refused.
            "style-src 'unsafe-inline'",
            "img-src 'none'",
            "font-src 'none'",
            "connect-src 'none'",
            "media-src 'none'",
            "object-src 'none'",
            "frame-src 'none'",
            "manifest-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
        ]
    )
    html = template
    for key, value in (("@CSP@", csp), ("@STYLE@", style), ("@WORKER@", worker), ("@WASM@", wasm), ("@SCRIPT@", script)):
        if html.count(key) != 1:
            sys.exit(f"assemble.py: {key} must appear once in index.html")
        # Replaced one at a time and never inside an inserted part: the WebAssembly's base64 or the
        # scripts could hold a placeholder's text by chance.
        before, after = html.split(key)
        html = before + value + after
    pathlib.Path(args.out).write_text(html, encoding="utf-8")


if __name__ == "__main__":
    main()
