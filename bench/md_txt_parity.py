"""Markdown and plain-text copies of the same readouts: do they give the same positions?

    python bench/md_txt_parity.py ../shared/corpus ../shared/corpus-wh

Pairs each ``.txt`` readout of the first folder with the ``.md`` readout of the second that has the
same source URL (or, failing that, the same title and date), extracts both and compares their
positions (holder, stance, target, beneficiary, issue). A difference whose quote is not in the other
copy's text (whitespace and markup aside) is a difference of the texts themselves, listed apart.
Prints the counts, then every difference.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from kg.extract import extract
from kg.load import Readout, load

_WS = re.compile(r"[\s*_#>`\\]+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).replace("’", "'").strip().lower()


def _url(value: str | None) -> str:
    return re.sub(r"^https?://(?:www\.)?|/+$", "", (value or "").strip().lower())


def _index_urls(folder: str) -> dict[str, str]:
    """file name -> source URL, from the folder's INDEX.tsv ("stored web page: URL")."""
    out: dict[str, str] = {}
    path = os.path.join(folder, "INDEX.tsv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                m = re.search(r"https?://\S+", line)
                if cols and m:
                    out[cols[0]] = m.group(0)
    return out


def _key(p: dict) -> tuple:
    return (p["holder"], p["stance"], p.get("target"), p.get("beneficiary"), _norm(p["issue"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("txt_folder")
    ap.add_argument("md_folder")
    args = ap.parse_args(argv)
    urls = _index_urls(args.txt_folder)
    txts = [r for r in load([args.txt_folder]) if isinstance(r, Readout) and r.path.endswith(".txt")]
    mds = [r for r in load([args.md_folder]) if isinstance(r, Readout) and r.path.endswith(".md")]
    by_url = {_url(r.source_url): r for r in mds if r.source_url}
    by_title = {(_norm(r.title or ""), r.date): r for r in mds}
    pairs: list[tuple[Readout, Readout]] = []
    for t in txts:
        md = by_url.get(_url(urls.get(t.file) or t.source_url)) or by_title.get((_norm(t.title or ""), t.date))
        if md is not None:
            pairs.append((t, md))
    same = text_only = 0
    extraction: list[str] = []
    texts: list[str] = []
    for t, md in pairs:
        a, b = extract(t)["positions"], extract(md)["positions"]
        ka, kb = {_key(p): p for p in a}, {_key(p): p for p in b}
        diff = [("txt", ka[k], md) for k in ka.keys() - kb.keys()] + [("md", kb[k], t) for k in kb.keys() - ka.keys()]
        if not diff:
            same += 1
            continue
        own: list[str] = []
        other: list[str] = []
        for side, p, counterpart in diff:
            line = f"  {side} only: {p['holder']} {p['stance']} {p.get('target')} | {p['issue']} | {p['quote'][:160]!r}"
            body = _norm(counterpart.text[counterpart.body_start : counterpart.body_end])
            (other if _norm(p["quote"]) not in body else own).append(line)
        if own:
            extraction.append(f"{t.file} <> {md.file}\n" + "\n".join(own + other))
        else:
            text_only += 1
            texts.append(f"{t.file} <> {md.file}\n" + "\n".join(other))
    print(f"pairs {len(pairs)}  same positions {same}  only where the texts differ {text_only}  "
          f"extraction differences {len(extraction)}")  # fmt: skip
    if extraction:
        print("\n# extraction differences (the quote is in both texts)")
        print("\n".join(extraction))
    if texts:
        print("\n# differences where the two texts differ (the quote is in one copy only)")
        print("\n".join(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
