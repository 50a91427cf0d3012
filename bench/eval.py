#!/usr/bin/env python3
"""Quality and speed report: extract a corpus, score it against gold, print the figures.

    python bench/eval.py [--corpus ../shared/corpus] [--gold ../shared/eval/gold]
                         [--scorer ../shared/eval/score.py] [--per-file] [--out predictions.jsonl]

Extraction is timed on its own (loading included, scoring excluded) and reported as readouts
per second, best of five runs (the machine is noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from kg.extract import extract
from kg.load import load

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus"))
    ap.add_argument("--gold", default=os.path.join(SHARED, "eval", "gold"))
    ap.add_argument("--scorer", default=os.path.join(SHARED, "eval", "score.py"))
    ap.add_argument("--per-file", action="store_true")
    ap.add_argument("--out", help="keep the predictions in this file")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    timings = []
    records: list[dict] = []
    for _ in range(max(1, args.runs)):
        t0 = time.perf_counter()
        records = [extract(r) for r in load([args.corpus]) if not isinstance(r, Exception)]
        timings.append(time.perf_counter() - t0)
    best = min(timings)
    out = args.out or tempfile.mktemp(suffix=".jsonl")
    with open(out, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)
    cmd = [sys.executable, args.scorer, args.gold, out] + (["--per-file"] if args.per_file else [])
    scored = subprocess.run(cmd, capture_output=True, text=True, check=False)
    print(scored.stdout, end="")
    if scored.returncode:
        print(scored.stderr, file=sys.stderr)
    print(f"{'readouts_extracted':22} {len(records)}")
    print(f"{'extract_seconds':22} {best:.3f}")
    print(f"{'readouts_per_second':22} {len(records) / best:.1f}")
    if not args.out:
        os.unlink(out)
    return scored.returncode


if __name__ == "__main__":
    sys.exit(main())
