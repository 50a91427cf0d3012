#!/usr/bin/env python3
"""Incremental builds on a large store, with `kg serve` running on it.

    python bench/incremental.py [--readouts 1500] [--runs 5] [--no-serve]

Builds a store from the first N readouts of ../shared/corpus and ../shared/corpus-wh, starts
`kg serve` on it, then times `kg build` (the command, as a user runs it) adding one new readout
and correcting one readout, --runs times each (median and all runs), and how long after each
build ends the new readout's page answers on the server. The baseline of the same run is the
same change with the inferred graph recomputed (`--reasoning full`). Also the time the
background refresh of the tallies takes. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from serving import kg_serve

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
STALE = "kg-tallies-stale"


def kg_build(path: str, store: str, *extra: str) -> float:
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "kg.cli", "build", path, "--store", store, *extra],
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return time.perf_counter() - t0


def wait_tallies(store: str, limit: float = 60) -> float:
    t0 = time.perf_counter()
    while os.path.exists(os.path.join(store, STALE)) and time.perf_counter() - t0 < limit:
        time.sleep(0.05)
    return time.perf_counter() - t0


def page_delay(url: str, readout_id: str, limit: float = 30) -> float:
    """Seconds until the readout's page answers (from now)."""
    page = url + "/resource?iri=" + urllib.parse.quote(f"https://w3id.org/dipkg/id/readout/{readout_id}")
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        try:
            with urllib.request.urlopen(page, timeout=5):
                return time.perf_counter() - t0
        except urllib.error.HTTPError:
            time.sleep(0.05)
    return float("inf")


def new_readout(directory: Path, template: str, i: int) -> Path:
    lines = template.split("\n")
    path = directory / f"bench-new-{i}.txt"
    path.write_text(f"{lines[0]} (bench {i})\n" + "\n".join(lines[1:]) + f"\nBench paragraph {i}.\n", encoding="utf-8")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--readouts", type=int, default=1500)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-serve", action="store_true", help="do not start kg serve")
    args = ap.parse_args()
    files = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "corpus-wh").glob("*.md"))
    if len(files) < args.readouts:
        print(f"error: only {len(files)} readouts under {SHARED}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-inc-"))
    try:
        src = tmp / "readouts"
        src.mkdir()
        for f in files[: args.readouts]:
            shutil.copy(f, src / f.name)
        if (SHARED / "corpus" / "INDEX.tsv").exists():
            shutil.copy(SHARED / "corpus" / "INDEX.tsv", src / "INDEX.tsv")
        store = str(tmp / "kg-store")
        first = kg_build(str(src), store)
        wait_tallies(store)
        template = (SHARED / "corpus" / sorted(p.name for p in (SHARED / "corpus").glob("*.txt"))[0]).read_text()
        new_dir = tmp / "new"
        new_dir.mkdir()
        out: dict[str, object] = {"readouts": args.readouts, "first_build_s": round(first, 2)}

        def run(url: str | None) -> None:
            add, fix, full_add, full_fix, served, tallies = [], [], [], [], [], []
            for i in range(args.runs):
                path = new_readout(new_dir, template, i)
                add.append(kg_build(str(path), store))
                if url is not None:
                    served.append(page_delay(url, path.name.replace(".", "-")))
                tallies.append(wait_tallies(store))
                path.write_text(path.read_text(encoding="utf-8").replace("Bench paragraph", "Corrected paragraph"))
                fix.append(kg_build(str(path), store))
                tallies.append(wait_tallies(store))
                # the baseline: the same kinds of change with everything inferred recomputed
                base = new_readout(new_dir, template, 1000 + i)
                full_add.append(kg_build(str(base), store, "--reasoning", "full"))
                base.write_text(base.read_text(encoding="utf-8").replace("Bench paragraph", "Corrected paragraph"))
                full_fix.append(kg_build(str(base), store, "--reasoning", "full"))
            med = statistics.median
            out.update({
                "add_one_s": round(med(add), 3), "add_one_runs": [round(x, 3) for x in add],
                "correct_one_s": round(med(fix), 3), "correct_one_runs": [round(x, 3) for x in fix],
                "add_one_full_s": round(med(full_add), 3), "correct_one_full_s": round(med(full_fix), 3),
                "add_speedup": round(med(full_add) / med(add), 1), "correct_speedup": round(med(full_fix) / med(fix), 1),
                "tallies_after_s": round(med(tallies), 2),
            })  # fmt: skip
            if served:
                out.update({"page_after_build_s": round(med(served), 2), "page_after_build_max_s": round(max(served), 2)})

        if args.no_serve:
            run(None)
        else:
            with kg_serve(store) as (url, _proc):
                run(url)
        print(json.dumps(out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
