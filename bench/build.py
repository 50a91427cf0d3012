#!/usr/bin/env python3
"""Build benchmark: a fresh store from a corpus, reasoning included, against owlrl's full closure.

    python bench/build.py [--corpus ../shared/corpus] [--owlrl-timeout 300] [--no-owlrl]

Prints the build time (extract + map + reason + store) of a fresh embedded store, the triples
asserted and inferred, and, as the baseline measured in the same run, owlrl's full OWL-RL
closure of the same asserted graph (in a child process killed after --owlrl-timeout seconds).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import queue as queue_module
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))


def _owlrl(nt: str, out: mp.Queue) -> None:
    from rdflib import Graph

    from kg.reason import alignment_triples, owlrl_closure

    g = Graph().parse(data=nt, format="nt")
    t0 = time.perf_counter()
    closure = owlrl_closure(g)
    out.put((time.perf_counter() - t0, len(closure), sorted(alignment_triples(closure))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus"))
    ap.add_argument("--owlrl-timeout", type=float, default=300)
    ap.add_argument("--no-owlrl", action="store_true")
    args = ap.parse_args()
    from rdflib import Graph

    from kg.build import build
    from kg.reason import alignment_triples, reason
    from kg.store.embedded import OxigraphStore

    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore(os.path.join(tmp, "kg"))
        t0 = time.perf_counter()
        report = build([args.corpus], store)
        build_s = time.perf_counter() - t0
        nt = store.ntriples(store.readout_graphs())
        inferred = report.inference
        figures: dict[str, object] = {
            "readouts": report.added,
            "build_s": round(build_s, 2),
            "extract_map_s": round(report.seconds.get("extract_map", 0), 2),
            "reason_s": round(report.seconds.get("reason", 0), 2),
            "store_s": round(report.seconds.get("store", 0), 2),
            "asserted_triples": nt.count("\n"),
            "inferred_triples": inferred.count if inferred else 0,
        }
        fast_alignments = alignment_triples(Graph().parse(data=nt + (inferred.ntriples if inferred else ""), format="nt"))
        figures["alignment_triples"] = len(fast_alignments)
        # owlrl gets the readout graphs only (with the shared graph its closure takes > 300 s): compare on that input
        same_input = alignment_triples(Graph().parse(data=nt + reason(nt).ntriples, format="nt"))
        store.close()
    if not args.no_owlrl:
        ctx = mp.get_context("spawn")  # a fork of a process with store threads can hang in the child
        queue: mp.Queue = ctx.Queue()
        proc = ctx.Process(target=_owlrl, args=(nt, queue))
        proc.start()
        try:  # read before joining: a child that has put a large result exits only once it is read
            result = queue.get(timeout=args.owlrl_timeout)
        except queue_module.Empty:
            result = None
        proc.kill()
        proc.join()
        if result is None:
            figures["owlrl_s"] = f"> {args.owlrl_timeout:.0f} (stopped)"
        else:
            owlrl_s, closure, owlrl_alignments = result
            figures.update(owlrl_s=round(owlrl_s, 1), owlrl_inferred_triples=closure,
                           owlrl_alignment_triples=len(owlrl_alignments),
                           owlrl_same_alignments=set(map(tuple, owlrl_alignments)) == same_input,
                           owlrl_ratio=round(owlrl_s / max(figures["reason_s"], 1e-6), 1))  # type: ignore[arg-type]  # fmt: skip
    for k, v in figures.items():
        print(f"{k:26} {v}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
