#!/usr/bin/env python3
"""Extraction against text length: CPU time of one long readout at 0.5, 1, 2 and 4 MB.

    python bench/extract_scale.py [--sizes 0.5,1,2,4] [--kinds repeat,mix,nostop,paragraphs] [--runs 3] [--json]

Each kind is a synthetic readout (a title line, a blank line, then the body) written to a file
and read by the loader, as ``kg extract`` reads it:

- ``repeat``: one readout sentence repeated;
- ``mix``: seven different sentences (persons, states, issues, lists, paragraphs) repeated;
- ``nostop``: one paragraph with no sentence break (the sentence joined to itself by ", and");
- ``paragraphs``: short paragraphs, hard-wrapped lines and bullet lists (many line breaks).

Prints the CPU time (``time.process_time``, best of ``--runs``) of loading and extracting each,
and its ratio to the smallest size of the same kind in the same run: on a noisy machine the ratios
are what count. A linear extraction gives ratios of about 2, 4 and 8. With ``--json`` the last
line is one JSON object ``{kind: {size_mb: [cpu_s, ratio]}}``. A text the loader refuses (over its
size limit) is extracted directly, and said so.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time

from kg.errors import ReadoutError
from kg.extract import extract
from kg.load import Readout, load_file

TITLE = "Wang Yi Holds Talks with Kyrgyz Foreign Minister Ruslan Kazakbaev"
SENTENCE = (
    "Foreign Minister Wang Yi said China supports Kyrgyzstan's efforts to safeguard its sovereignty "
    "and opposes interference in its internal affairs."
)
MIX = [
    SENTENCE,
    "The two sides exchanged views on the situation in Afghanistan, Ukraine and the Korean Peninsula.",
    "Secretary Blinken reaffirmed the United States' unwavering commitment to the security of Japan, and "
    "expressed concern over the situation in the Taiwan Strait.",
    "Both leaders agreed to strengthen cooperation on climate change, trade and investment, as well as public health.",
    "He welcomed the progress made in bilateral relations and hoped that both countries would deepen "
    "their strategic partnership.",
    "President Biden thanked Prime Minister Kishida for Japan's support of Ukraine, and condemned "
    "Russia's war of aggression.",
    "The Kyrgyz side stressed the importance of the Belt and Road Initiative for regional connectivity.\n",
]
UNITS = {
    "repeat": SENTENCE + " ",
    "mix": " ".join(MIX) + "\n",
    "nostop": SENTENCE.rstrip(".") + ", and ",
    "paragraphs": (
        "Foreign Minister Wang Yi said China supports\nKyrgyzstan's efforts to safeguard its\nsovereignty.\n\n"
        "The two sides agreed to:\n- strengthen trade and investment;\n- deepen energy cooperation;\n"
        "1. expand people-to-people exchanges\n\n" + MIX[2] + "\n\n"
    ),
}


def body(kind: str, size: int) -> str:
    """About ``size`` characters of ``kind``, cut at a space."""
    unit = UNITS[kind]
    text = unit * (size // len(unit) + 1)
    return text[: text.rfind(" ", 0, size)].rstrip(" ,") + "."


def cpu_of(kind: str, size: int, directory: str) -> tuple[float, bool]:
    """CPU seconds to load and extract a readout of ``kind`` and ``size``; and whether the loader took it."""
    text = f"{TITLE}\n\n{body(kind, size)}\n"
    path = os.path.join(directory, f"{kind}-{size}.txt")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    gc.collect()
    t0 = time.process_time()
    try:
        readout = load_file(path, date="2020-11-16", publisher="CHN")
        loaded = True
    except ReadoutError:
        start = len(TITLE) + 2
        readout = Readout(path, text, start, len(text) - 1, TITLE, "2020-11-16", "CHN")
        loaded = False
    record = extract(readout)
    cpu = time.process_time() - t0
    if not record["positions"]:
        raise SystemExit(f"{kind} at {size:,} characters: no positions found, the text is not read as intended")
    os.remove(path)
    return cpu, loaded


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.5,1,2,4", help="sizes in MB (10^6 characters), smallest first")
    ap.add_argument("--kinds", default=",".join(UNITS), help=f"any of {', '.join(UNITS)}")
    ap.add_argument("--runs", type=int, default=3, help="runs of each size; the best is kept (the machine is noisy)")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = ap.parse_args()
    sizes = sorted(float(x) for x in args.sizes.split(","))
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = [k for k in kinds if k not in UNITS]
    if unknown:
        ap.error(f"unknown kind(s): {', '.join(unknown)}")
    with tempfile.TemporaryDirectory() as tmp:
        cpu_of("mix", 20_000, tmp)  # warm up: the gazetteer, the vocabulary and the regexes load once
        out: dict[str, dict[str, list[float]]] = {}
        print(f"{'kind':<12}" + "".join(f"{f'{s:g} MB':>16}" for s in sizes))
        for kind in kinds:
            row: dict[str, list[float]] = {}
            cells = []
            for s in sizes:
                runs = [cpu_of(kind, int(s * 1_000_000), tmp) for _ in range(max(1, args.runs))]
                cpu, loaded = min(c for c, _ in runs), runs[0][1]
                base = row[f"{sizes[0]:g}"][0] if row else cpu
                row[f"{s:g}"] = [round(cpu, 3), round(cpu / base, 2)]
                cells.append(f"{cpu:7.2f} s {cpu / base:4.1f}x" + ("" if loaded else "*"))
            out[kind] = row
            print(f"{kind:<12}" + "".join(f"{c:>16}" for c in cells), flush=True)
    print("CPU seconds (load + extract) and the ratio to the first size; * extracted directly (loader refused)")
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
