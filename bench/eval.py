#!/usr/bin/env python3
"""Quality and speed report: extract a corpus, score it against gold, print the figures.

    python bench/eval.py [--corpus ../shared/corpus] [--gold ../shared/eval/gold]
                         [--scorer ../shared/eval/score.py] [--per-file] [--by-publisher]
                         [--out predictions.jsonl] [--runs 5]

Extraction is timed on its own (loading included, scoring excluded) and reported as readouts
per second, best of the runs (the machine is noisy). The figures are printed for the whole
corpus, then for two fixed halves split by publisher (the file name's prefix before "_"): half A
holds the publisher codes at even positions of their sorted list, half B the others. Develop on
half A; half B is the check before a change lands.
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


KEYS = ("readouts", "positions_macro_f1", "positions_f1", "alignment_f1", "participants_f1", "initiator_f1",
        "meeting_type_acc", "meeting_date_acc", "topics_f1")  # fmt: skip


def halves(scorer: str, gold: str, predictions: str) -> str:
    """The main figures of half A and half B (publishers at even / odd positions of the sorted list)."""
    names = sorted(n for n in os.listdir(gold) if n.endswith(".json"))
    publishers = sorted({n.split("_")[0] for n in names})
    half = {pub: "AB"[i % 2] for i, pub in enumerate(publishers)}
    figures: dict[str, dict[str, object]] = {}
    for which in "AB":
        with tempfile.TemporaryDirectory() as tmp:
            for n in names:
                if half[n.split("_")[0]] == which:
                    os.symlink(os.path.join(os.path.abspath(gold), n), os.path.join(tmp, n))
            done = subprocess.run([sys.executable, scorer, tmp, predictions, "--json"], capture_output=True, text=True,
                                  check=True)  # fmt: skip
            figures[which] = json.loads(done.stdout)
    lines = [f"{'half':22} {'A':>8} {'B':>8}"]
    lines += [f"{k:22} {figures['A'].get(k)!s:>8} {figures['B'].get(k)!s:>8}" for k in KEYS]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus"))
    ap.add_argument("--gold", default=os.path.join(SHARED, "eval", "gold"))
    ap.add_argument("--scorer", default=os.path.join(SHARED, "eval", "score.py"))
    ap.add_argument("--per-file", action="store_true")
    ap.add_argument("--by-publisher", action="store_true")
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
    flags = (["--per-file"] if args.per_file else []) + (["--by-publisher"] if args.by_publisher else [])
    scored = subprocess.run([sys.executable, args.scorer, args.gold, out, *flags], capture_output=True, text=True,
                            check=False)  # fmt: skip
    print(scored.stdout, end="")
    if scored.returncode:
        print(scored.stderr, file=sys.stderr)
    print(halves(args.scorer, args.gold, out), end="")
    print(f"{'readouts_extracted':22} {len(records)}")
    print(f"{'extract_seconds':22} {best:.3f}")
    print(f"{'readouts_per_second':22} {len(records) / best:.1f}")
    if not args.out:
        os.unlink(out)
    return scored.returncode


if __name__ == "__main__":
    sys.exit(main())
