#!/usr/bin/env python3
"""HTTP benchmark: `kg serve` on a store built from a corpus, each example query timed over HTTP.

    python bench/serve_http.py [--corpus ../shared/corpus] [--runs 5]

Builds a fresh store, starts `kg serve` on a free local port, checks that /, /graph and
/export.ttl answer (and that the export re-imports with the store's triple count), then prints
the median and worst time of each example query (warm, --runs requests each) in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from serving import kg_serve

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from rdflib import Graph

    from kg.build import build
    from kg.queries import examples
    from kg.store.embedded import OxigraphStore

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "kg")
        store = OxigraphStore(path)
        build([args.corpus], store)
        total = store.count()  # type: ignore[attr-defined]
        store.close()
        with kg_serve(path) as (url, _proc):
            for page in ("/", "/graph", "/graph.json"):
                t0 = time.perf_counter()
                code = urllib.request.urlopen(url + page, timeout=60).status
                print(f"{page:42} {code}  {1000 * (time.perf_counter() - t0):7.1f} ms")
            data = urllib.request.urlopen(url + "/export.ttl", timeout=120).read()
            print(f"{'/export.ttl re-imported triples':42} {len(Graph().parse(data=data, format='turtle'))} of {total}")
            figures = {}
            for e in examples():
                times = []
                for _ in range(args.runs + 1):
                    t0 = time.perf_counter()
                    req = urllib.request.Request(url + "/sparql?query=" + urllib.parse.quote(e.text),
                                                 headers={"Accept": "application/sparql-results+json"})  # fmt: skip
                    body = urllib.request.urlopen(req, timeout=60).read()
                    times.append(1000 * (time.perf_counter() - t0))
                rows = len(json.loads(body)["results"]["bindings"])
                warm = times[1:]
                figures[e.name] = round(statistics.median(warm), 1)
                print(f"{e.name:42} {rows:5} rows  median {statistics.median(warm):6.1f} ms  worst {max(warm):6.1f} ms")
            print(json.dumps({"median_ms": figures, "slowest_ms": max(figures.values())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
