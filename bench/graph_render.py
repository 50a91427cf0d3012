#!/usr/bin/env python3
"""Browser benchmark of the graph page: how a large graph renders and moves in Debian's chromium.

    python bench/graph_render.py [--corpus ../shared/corpus] [--copies 3]

Builds a store from the corpus (``--copies`` > 1 loads it that many times under distinct
publishers' file names, to reach more than 1,000 nodes), starts `kg serve`, opens
``/graph?detail=1`` (persons, meetings and issues too) in headless chromium and prints: nodes and
edges drawn, the time from navigation to a laid-out graph, and the frame times (median, 95th
percentile) while the view is zoomed and panned for three seconds, against the same measures
for the small graph (states only) in the same run; saves screenshots/graph-large.png.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from serving import kg_serve

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))

FRAMES_JS = """async () => {
  const cy = window.kgCy; const times = []; let last = performance.now(); const end = last + 3000;
  return await new Promise((resolve) => {
    function step(now) {
      times.push(now - last); last = now;
      const t = (now % 1000) / 1000;
      cy.zoom({ level: cy.zoom() * (t < 0.5 ? 1.01 : 0.99), renderedPosition: { x: 600, y: 400 } });
      cy.panBy({ x: t < 0.5 ? 3 : -3, y: 1 });
      if (now < end) requestAnimationFrame(step); else resolve(times.slice(2));
    }
    requestAnimationFrame(step);
  });
}"""


def _copies(corpus: str, copies: int, into: Path) -> list[str]:
    """The corpus once, plus renamed copies (distinct file names give distinct readouts)."""
    paths = [corpus]
    for i in range(1, copies):
        d = into / f"copy{i}"
        d.mkdir()
        for f in Path(corpus).iterdir():
            if f.suffix == ".txt":
                (d / f"copy{i}-{f.name}").write_bytes(f.read_bytes())
        paths.append(str(d))
    return paths


def measure(page, url: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function("document.body.dataset.graphReady === '1'", timeout=120000)
    ready = time.perf_counter() - t0
    frames = sorted(page.evaluate(FRAMES_JS))
    return {"nodes": page.evaluate("window.kgCy.nodes().length"), "edges": page.evaluate("window.kgCy.edges().length"),
            "ready_s": round(ready, 2), "frame_p50_ms": round(frames[len(frames) // 2], 1),
            "frame_p95_ms": round(frames[int(len(frames) * 0.95)], 1)}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus"))
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--screenshots", default=os.path.join(HERE, "..", "screenshots"), help="where graph-large.png goes")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from kg.build import build
    from kg.store.embedded import OxigraphStore

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "kg")
        store = OxigraphStore(path)
        build(_copies(args.corpus, args.copies, Path(tmp)), store)
        store.close()
        with kg_serve(path) as (url, _proc):
            chromium = shutil.which("chromium") or "/usr/bin/chromium"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
                small = measure(page, url + "/graph")
                large = measure(page, url + "/graph?detail=1")
                page.evaluate("window.kgCy.fit(undefined, 40)")
                page.wait_for_timeout(300)
                os.makedirs(args.screenshots, exist_ok=True)
                page.screenshot(path=os.path.join(args.screenshots, "graph-large.png"))
                browser.close()
    for name, m in (("states only", small), ("with persons, meetings, issues", large)):
        print(f"{name:32} {m['nodes']:5} nodes {m['edges']:5} edges  ready {m['ready_s']:5.2f} s  "
              f"frame p50 {m['frame_p50_ms']:5.1f} ms  p95 {m['frame_p95_ms']:5.1f} ms")  # fmt: skip
    print(json.dumps({"small": small, "large": large,
                      "frame_p95_ratio": round(large["frame_p95_ms"] / max(small["frame_p95_ms"], 0.1), 2)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
