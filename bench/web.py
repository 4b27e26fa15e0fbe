#!/usr/bin/env python3
"""The web page's speed: pages (`dist/ocs.html` builds) converting the same inputs in headless
Chromium, alternately, the median time of each from the click on 轉換 to the page's `done`.

usage: python3 bench/web.py PAGE [PAGE ...] [--inputs DIR] [--runs R] [--choosing S]

Each run opens the page afresh and times it until its converter is ready (`idle`); then, as a
clerk choosing files would, waits S seconds (default 5: the page's worker warms up meanwhile,
worker.js); chooses every file of DIR (by default 10 generated
standards, `bench-work/speed/c10/csv`, made by ../shared/bench/gen_corpus.py when missing) and clicks
轉換: the time to `done` is what the clerk waits. `--choosing 0` clicks at once. Needs Debian's
`chromium` and `chromium-driver`, as tests/web.rs. A benchmark, not a test: quote one run's
figures, and the size of each page.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared", "bench"))
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Chromium:
    def __init__(self, profile):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.driver = subprocess.Popen(["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.time()
        while True:
            try:
                self.request("GET", "/status")
                break
            except OSError:
                if time.time() - started > 20:
                    sys.exit("chromedriver did not start (apt-get install chromium chromium-driver)")
                time.sleep(0.1)
        options = {"binary": "/usr/bin/chromium",
                   "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=zh-TW",
                            f"--user-data-dir={profile}"]}
        created = self.request("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})
        self.session = created["sessionId"]

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.load(response)["value"]

    def send(self, method, path, body=None):
        return self.request(method, f"/session/{self.session}{path}", body)

    def state(self):
        return self.send("POST", "/execute/sync", {"script": "return document.body.dataset.state", "args": []})

    def wait_while(self, states, limit):
        started = time.time()
        while True:
            state = self.state()
            if state not in states:
                return state
            if time.time() - started > limit:
                sys.exit(f"the page stayed {state} for {limit} s")
            time.sleep(0.02)

    def element(self, css):
        return self.send("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def close(self):
        try:
            self.request("DELETE", f"/session/{self.session}")
        finally:
            self.driver.kill()
            self.driver.wait()


def convert(browser, page, files, choosing):
    """Seconds from opening the page to its converter ready, and from the click to `done`."""
    opened = time.perf_counter()
    browser.send("POST", "/url", {"url": "file://" + os.path.abspath(page)})
    if browser.wait_while(["loading"], 120) != "idle":
        sys.exit(f"{page}: the converter did not get ready")
    ready = time.perf_counter() - opened
    time.sleep(choosing)
    browser.send("POST", f"/element/{browser.element('#ocs-files')}/value", {"text": "\n".join(files)})
    button = browser.element("#ocs-run")
    started = time.perf_counter()
    browser.send("POST", f"/element/{button}/click", {})
    state = browser.wait_while(["idle", "working"], 600)
    elapsed = time.perf_counter() - started
    if state != "done":
        sys.exit(f"{page}: the conversion ended {state}")
    return ready, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--inputs", default=os.path.join(ROOT, "bench-work", "speed", "c10", "csv"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--choosing", type=float, default=5.0)
    args = parser.parse_args()
    if not os.path.isdir(args.inputs):
        corpus = os.path.dirname(args.inputs)
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), "--n", "10", "--out", corpus], check=True)
    files = sorted(os.path.join(os.path.abspath(args.inputs), f) for f in os.listdir(args.inputs))
    times = {page: [] for page in args.pages}
    with tempfile.TemporaryDirectory() as profile:
        browser = Chromium(profile)
        try:
            convert(browser, args.pages[0], files, 0)  # the browser and the disk cache, not the page
            for _ in range(args.runs):
                for page in args.pages:
                    times[page].append(convert(browser, page, files, args.choosing))
        finally:
            browser.close()
    first = statistics.median(t for _, t in times[args.pages[0]])
    print(f"{len(files)} inputs, {args.runs} runs each, alternately, clicking {args.choosing:g} s after ready;"
          " seconds (medians)")
    for page in args.pages:
        ready = statistics.median(r for r, _ in times[page])
        median = statistics.median(t for _, t in times[page])
        size = os.path.getsize(page) / 1e6
        runs = " ".join(f"{t:.2f}" for _, t in times[page])
        print(f"{page} ({size:.2f} MB): ready {ready:.2f}, click to done {median:.2f} ({median / first:.2f} of the first); runs {runs}")


if __name__ == "__main__":
    main()
