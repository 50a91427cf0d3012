#!/usr/bin/env python3
"""Scale benchmark: build N readouts into a fresh embedded store, query it, load it over HTTP.

    python bench/scale.py --readouts N [--json] [--http-seconds 20] [--owlrl-cap 300]
                          [--rdflib-cap 300] [--workers W]

Readouts come from ``$KG_CORPUS`` (directories separated by ``:``, default
``../shared/corpus:../shared/corpus-wh``, 1,500 readouts together); beyond what they hold they
are replicated with distinct identities (file names) and dates (shifted by whole days) until N.
Prints each figure and, as the last line with ``--json``, one JSON object with: readouts,
build_s, extract_per_s, reason_s, store_s, triples, store_mb, peak_rss_mb, query_p50_ms and
query_p95_ms (every example query, warm, 5 runs each), http_rps and http_errors (one example
query over HTTP with 8 concurrent clients for --http-seconds), serve_rss_growth (the server's
memory at the end of the load against its start), and the baselines measured in the same run:
owlrl_s (owlrl's full closure of the same asserted graph, stopped at --owlrl-cap seconds, when it
is reported as a lower bound), owlrl_ratio = owlrl_s / reason_s, owlrl_same_alignments, and
rdflib_query_p95_ms (the same queries on an rdflib in-memory dataset).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import queue as queue_module
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from serving import kg_serve

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))
DEFAULT_CORPUS = f"{os.path.join(SHARED, 'corpus')}:{os.path.join(SHARED, 'corpus-wh')}"
HTTP_QUERY = "supporters-of-china-on-taiwan"


def _shift(date: str, days: int) -> str:
    try:
        return (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=days)).isoformat()
    except ValueError:
        return date


def _sidecar(directory: Path) -> dict[str, dict[str, str]]:
    index = directory / "INDEX.tsv"
    if not index.exists():
        return {}
    lines = index.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return {row[0]: dict(zip(head, row, strict=False)) for row in (line.split("\t") for line in lines[1:]) if row}


def readouts(n: int, corpus: str, into: Path) -> list[str]:
    """N readout paths: the corpus files first, then replicas with new names and shifted dates."""
    from kg.load import expand_paths

    base = [p for p in expand_paths([d for d in corpus.split(":") if d]) if os.path.isfile(p)]
    if not base:
        raise SystemExit(f"no readouts under {corpus}")
    paths = base[:n]
    copy = 0
    while len(paths) < n:
        copy += 1
        out = into / f"replica-{copy}"
        out.mkdir(parents=True)
        rows = []
        for src in base[: n - len(paths)]:
            name = f"r{copy}-{os.path.basename(src)}"
            text = Path(src).read_bytes()
            if src.endswith(".md"):
                m = re.search(rb"^date: '?(\d{4}-\d\d-\d\d)'?", text, flags=re.M)
                if m:
                    new = b"date: '" + _shift(m.group(1).decode(), copy).encode() + b"'"
                    text = text[: m.start()] + new + text[m.end() :]
            else:
                meta = _sidecar(Path(src).parent).get(os.path.basename(src), {})
                rows.append([name, meta.get("source", ""), _shift(meta.get("date", ""), copy), meta.get("title", "")])
            (out / name).write_bytes(text)
            paths.append(str(out / name))
        if rows:
            lines = ["file\tsource\tdate\ttitle"] + ["\t".join(r) for r in rows]
            (out / "INDEX.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def _dir_mb(path: str) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0.0
    pids = [str(pid)]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
        pids += out.stdout.split()
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _rdflib_queries(store_path: str, out: mp.Queue) -> None:
    """Each example query on an rdflib in-memory dataset: one timing per warm run, sent as it comes."""
    from kg.formats import FORMATS
    from rdflib import Dataset

    from kg.queries import examples
    from kg.namespaces import PREFIXES
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(store_path, read_only=True)
    ds = Dataset(default_union=True)
    ds.parse(data=store.dump(FORMATS["nquads"]), format="nquads")
    store.close()
    for e in examples():
        for i in range(3):
            t0 = time.perf_counter()
            list(ds.query(e.text, initNs=PREFIXES))
            if i:
                out.put(1000 * (time.perf_counter() - t0))
    out.put(None)


def _from_child(target, args: tuple, cap: float) -> tuple[list, bool]:  # type: ignore[no-untyped-def,type-arg]
    """What a spawned child puts on its queue until it puts None (finished: True) or dies or
    ``cap`` seconds pass (then it is killed; finished: False)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    items: list = []  # type: ignore[type-arg]
    deadline = time.monotonic() + cap
    finished = False
    while time.monotonic() < deadline:
        try:
            item = queue.get(timeout=1)
        except queue_module.Empty:
            if not proc.is_alive():
                break
            continue
        if item is None:
            finished = True
            break
        items.append(item)
    proc.kill()
    proc.join()
    return items, finished


def _rdflib_p95(store_path: str, cap: float) -> str | float:
    """The 95th percentile of the rdflib timings; a lower bound (">= x") when the cap stopped it."""
    times, finished = _from_child(_rdflib_queries, (store_path,), cap)
    if finished:
        return round(_percentile(times, 0.95), 1)
    from kg.queries import examples

    expected = 2 * len(examples())
    # the unfinished runs took at least as long as the cap allowed: count them at the longest seen
    padded = times + [max(times, default=cap * 1000)] * max(0, expected - len(times))
    return f">= {_percentile(padded, 0.95):.0f} ({len(times)} of {expected} runs done in {cap:.0f} s)"


def _owlrl(store_path: str, fast: str, out: mp.Queue) -> None:
    from rdflib import Graph

    from kg.reason import alignment_triples, owlrl_closure
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(store_path, read_only=True)
    nt = store.ntriples([*store.readout_graphs(), "https://w3id.org/dipkg/graph/shared"])
    store.close()
    g = Graph().parse(data=nt, format="nt")
    t0 = time.perf_counter()
    closure = owlrl_closure(g)
    seconds = time.perf_counter() - t0
    mine = set(Path(fast).read_text(encoding="utf-8").splitlines())
    theirs = {"\t".join(triple) for triple in alignment_triples(closure)}
    out.put((seconds, mine == theirs, len(theirs)))
    out.put(None)


def http_load(url: str, query: str, seconds: float, clients: int = 8) -> tuple[int, int]:
    target = url + "/sparql?query=" + urllib.parse.quote(query)
    done = [0, 0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < end:
            ok = False
            try:
                req = urllib.request.Request(target, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(req, timeout=30) as resp:
                    ok = resp.status == 200 and bool(resp.read())
            except OSError:
                ok = False
            with lock:
                done[0 if ok else 1] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], done[1]


class Figures(dict[str, object]):
    """The figures, each also printed to stderr as soon as it is known (a long run shows progress)."""

    def __setitem__(self, key: str, value: object) -> None:
        print(f"  {key:24} {value}", file=sys.stderr, flush=True)
        super().__setitem__(key, value)

    def update(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        for key, value in dict(*args, **kwargs).items():  # type: ignore[call-overload]
            self[key] = value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--readouts", type=int, required=True)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object on the last line")
    ap.add_argument("--http-seconds", type=float, default=20)
    ap.add_argument("--owlrl-cap", type=float, default=300, help="seconds after which owlrl is stopped (0: skip)")
    ap.add_argument("--rdflib-cap", type=float, default=300, help="seconds for the rdflib baseline (0: skip)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    if args.readouts < 1:
        ap.error("--readouts must be at least 1")

    from rdflib import Graph

    from kg.build import build
    from kg.queries import examples
    from kg.reason import alignment_triples
    from kg.store.embedded import OxigraphStore

    figures = Figures()
    tmp = tempfile.mkdtemp(prefix="kg-scale-")
    try:
        paths = readouts(args.readouts, os.environ.get("KG_CORPUS", DEFAULT_CORPUS), Path(tmp) / "replicas")
        store_path = os.path.join(tmp, "kg")
        store = OxigraphStore(store_path)
        t0 = time.perf_counter()
        report = build(paths, store, workers=args.workers)
        build_s = time.perf_counter() - t0
        peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        figures.update(readouts=report.added, failed=len(report.failed), build_s=round(build_s, 2),
                       extract_per_s=round(report.added / max(report.seconds["extract_map"], 1e-6), 1),
                       reason_s=round(report.seconds.get("reason", 0), 2), store_s=round(report.seconds.get("store", 0), 2),
                       triples=store.count(), peak_rss_mb=round(peak / 1024, 1))  # fmt: skip
        inferred = report.inference.ntriples if report.inference else ""
        fast_nt = os.path.join(tmp, "alignments.nt")
        fast = {"\t".join(triple) for triple in alignment_triples(Graph().parse(data=inferred, format="nt"))}
        Path(fast_nt).write_text("\n".join(sorted(fast)), encoding="utf-8")
        times = []
        for e in examples():
            for i in range(6):
                t = time.perf_counter()
                list(store.select(e.text))
                if i:
                    times.append(1000 * (time.perf_counter() - t))
        figures.update(query_p50_ms=round(statistics.median(times), 1), query_p95_ms=round(_percentile(times, 0.95), 1))
        store.close()
        figures["store_mb"] = round(_dir_mb(store_path), 1)

        with kg_serve(store_path, wait_s=600) as (url, proc):
            query = next(e.text for e in examples() if e.name == HTTP_QUERY)
            http_load(url, query, 2)  # warm-up
            rss0 = _rss_mb(proc.pid)
            ok, errors = http_load(url, query, args.http_seconds)
            rss1 = _rss_mb(proc.pid)
            figures.update(http_rps=round(ok / args.http_seconds, 1), http_errors=errors,
                           serve_rss_mb=round(rss1, 1), serve_rss_growth=round(rss1 / max(rss0, 1e-6) - 1, 3))  # fmt: skip

        if args.rdflib_cap > 0:
            figures["rdflib_query_p95_ms"] = _rdflib_p95(store_path, args.rdflib_cap)
        if args.owlrl_cap > 0:
            t = time.perf_counter()
            results, finished = _from_child(_owlrl, (store_path, fast_nt), args.owlrl_cap)
            reason_s = max(float(figures["reason_s"]), 1e-6)  # type: ignore[arg-type]
            if finished and results:
                owlrl_s, same, count = results[0]
                figures.update(owlrl_s=round(owlrl_s, 1), owlrl_ratio=round(owlrl_s / reason_s, 1),
                               owlrl_same_alignments=same, owlrl_alignment_triples=count)  # fmt: skip
            else:
                capped = time.perf_counter() - t
                figures.update(owlrl_s=f"> {capped:.0f} (stopped)", owlrl_ratio=f"> {capped / reason_s:.1f}",
                               owlrl_same_alignments=None)  # fmt: skip
        figures["alignment_triples"] = len(fast)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for k, v in figures.items():
        print(f"{k:24} {v}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
