#!/usr/bin/env python3
"""Load benchmark: `kg serve` on a store built from a corpus, under many clients and heavy ones.

    python bench/load.py [--corpus ../shared/corpus] [--seconds 30] [--clients 32] [--heavy 2]

Scenarios, in one run on the same store (each client a thread with its own address 127.0.0.N,
so that the server tells them apart as it would real clients):

1. baseline: 8 clients sending the example queries, nothing else;
2. the same 8 clients with 2 heavy clients re-sending a cartesian-product query (each runs to the
   time limit) without pause: the acceptance figure is the example queries' p95 (<= 500 ms);
3. the same as 2 under the service's settings before issue 10 (2 workers, no fair sharing), for
   the ratio;
4. --clients clients on a mix of pages (/, /graph.json, /resource, /queries.json) and example
   queries, with --heavy heavy clients, for --seconds;
5. 200 idle connections held open, then one new request: how long it waits.

Prints, for each scenario, requests per second and p50/p95/p99 in milliseconds (heavy clients'
requests apart), the ratio of scenario 2 (and 3) to the baseline, then one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from contextlib import ExitStack

from serving import kg_serve

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Client(threading.Thread):
    """Sends requests from ``paths()`` one after another (keep-alive) until ``stop``; records latencies."""

    def __init__(self, url: str, address: str, paths: Callable[[int], str], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.address, self.paths, self.stop = address, paths, stop
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.errors = 0
        self.failures: dict[str, str] = {}  # path -> the first answer of 500 or more, for the report

    def run(self) -> None:
        conn = None
        i = 0
        while not self.stop.is_set():
            path = self.paths(i)
            i += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=60,
                                                      source_address=(self.address, 0))  # fmt: skip
                t0 = time.perf_counter()
                conn.request("GET", path, headers={"Accept": "application/sparql-results+json, text/html"})
                resp = conn.getresponse()
                body = resp.read()
                took = 1000 * (time.perf_counter() - t0)
            except (OSError, http.client.HTTPException):
                self.errors += 1
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.05)
                continue
            if not self.stop.is_set():
                self.latencies.append(took)
                self.statuses[resp.status] = self.statuses.get(resp.status, 0) + 1
                if resp.status >= 500:
                    self.failures.setdefault(path.split("?")[0] + "?" + path.split("?", 1)[-1][:60],
                                             body[:160].decode("utf-8", "replace"))  # fmt: skip
        if conn is not None:
            conn.close()


def scenario(url: str, name: str, normal: list[Callable[[int], str]], heavy: int, seconds: float) -> dict[str, object]:
    stop = threading.Event()
    clients = [Client(url, f"127.0.0.{10 + k}", paths, stop) for k, paths in enumerate(normal)]
    heavies = [Client(url, f"127.0.1.{10 + k}", lambda _i: "/sparql?query=" + urllib.parse.quote(HEAVY), stop)
               for k in range(heavy)]  # fmt: skip
    for c in heavies:
        c.start()
    if heavy:
        time.sleep(1.0)  # the heavy queries are running when the others begin
    for c in clients:
        c.start()
    time.sleep(seconds)
    stop.set()
    for c in clients + heavies:
        c.join(70)
    lat = [x for c in clients for x in c.latencies]
    statuses: dict[int, int] = {}
    for c in clients:
        for k, v in c.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    heavy_statuses: dict[int, int] = {}
    for c in heavies:
        for k, v in c.statuses.items():
            heavy_statuses[k] = heavy_statuses.get(k, 0) + v
    out = {"scenario": name, "clients": len(clients), "heavy": heavy, "requests": len(lat),
           "req_per_s": round(len(lat) / seconds, 1), "p50_ms": round(_percentile(lat, 0.50), 1),
           "p95_ms": round(_percentile(lat, 0.95), 1), "p99_ms": round(_percentile(lat, 0.99), 1),
           "statuses": statuses, "errors": sum(c.errors for c in clients), "heavy_statuses": heavy_statuses}  # fmt: skip
    print(f"{name:34} {len(clients):3} clients + {heavy} heavy: {out['req_per_s']:7} req/s  p50 {out['p50_ms']:7} ms  "
          f"p95 {out['p95_ms']:7} ms  p99 {out['p99_ms']:7} ms  statuses {statuses}  heavy {heavy_statuses}",
          flush=True)  # fmt: skip
    for c in clients:
        for where, said in c.failures.items():
            print(f"    {where}: {said}", flush=True)
    return out


def idle_connections(url: str, count: int) -> float:
    """Seconds a new request waits with ``count`` idle connections open."""
    parsed = urllib.parse.urlsplit(url)
    with ExitStack() as stack:
        for _ in range(count):
            s = stack.enter_context(socket.create_connection((parsed.hostname, parsed.port), timeout=5))
            s.send(b"GET / HTTP/1.1\r\n")  # a request begun and never finished
        time.sleep(1.0)
        conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=120)
        t0 = time.perf_counter()
        conn.request("GET", "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
        conn.getresponse().read()
        took = time.perf_counter() - t0
        conn.close()
    print(f"{'idle connections':34} {count} open: a new request answered in {1000 * took:.0f} ms", flush=True)
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus"))
    ap.add_argument("--seconds", type=float, default=30.0, help="length of each scenario")
    ap.add_argument("--clients", type=int, default=32, help="clients of the mixed scenario")
    ap.add_argument("--heavy", type=int, default=2, help="heavy clients")
    ap.add_argument("--idle", type=int, default=200, help="idle connections of the last scenario")
    ap.add_argument("--only-mix", action="store_true", help="run the mixed scenario alone")
    args = ap.parse_args()

    from kg.build import build
    from kg.queries import examples
    from kg.store.embedded import OxigraphStore

    queries = ["/sparql?query=" + urllib.parse.quote(e.text) for e in examples()]

    def example(k: int) -> Callable[[int], str]:
        return lambda i: queries[(i + k) % len(queries)]

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "kg")
        store = OxigraphStore(path)
        t0 = time.perf_counter()
        report = build([args.corpus], store)
        iri = next(iter(store.select("SELECT ?r WHERE { ?r a dip:Readout } LIMIT 1")))["r"].value
        store.close()
        print(f"built {report.added} readouts in {time.perf_counter() - t0:.1f} s", flush=True)
        pages = ["/", "/graph.json", "/queries.json", "/resource?iri=" + urllib.parse.quote(iri)]

        def mix(k: int) -> Callable[[int], str]:
            return lambda i: pages[(i + k) % len(pages)] if (i + k) % 2 else queries[(i + k) % len(queries)]

        results: list[dict[str, object]] = []
        with kg_serve(path) as (url, _proc):
            for q in queries:  # warm: each example once
                urllib_get(url + q)
            if args.only_mix:
                scenario(url, "4 mix of pages and queries", [mix(k) for k in range(args.clients)], args.heavy,
                         args.seconds)  # fmt: skip
                return 0
            base = scenario(url, "1 examples alone", [example(k) for k in range(8)], 0, args.seconds)
            loaded = scenario(url, "2 examples + heavy", [example(k) for k in range(8)], args.heavy, args.seconds)
            mixed = scenario(url, "4 mix of pages and queries", [mix(k) for k in range(args.clients)], args.heavy,
                             args.seconds)  # fmt: skip
            idle = idle_connections(url, args.idle)
            results += [base, loaded, mixed]
        os.environ["KG_QUERY_WORKERS"], os.environ["KG_QUERIES_PER_CLIENT"] = "2", "1000"
        with kg_serve(path) as (url, _proc):
            for q in queries:
                urllib_get(url + q)
            before = scenario(url, "3 as 2, settings before issue 10", [example(k) for k in range(8)], args.heavy,
                              args.seconds)  # fmt: skip
            results.append(before)
    throughput = float(loaded["req_per_s"]) / float(base["req_per_s"])  # type: ignore[arg-type]
    throughput_before = float(before["req_per_s"]) / float(base["req_per_s"])  # type: ignore[arg-type]
    ratio = float(loaded["p95_ms"]) / float(base["p95_ms"])  # type: ignore[arg-type]
    ratio_before = float(before["p95_ms"]) / float(base["p95_ms"])  # type: ignore[arg-type]
    print(f"example queries p95 with {args.heavy} heavy clients: {loaded['p95_ms']} ms "
          f"({ratio:.1f}x the baseline; {'within' if float(loaded['p95_ms']) <= 500 else 'OVER'} 500 ms); "  # type: ignore[arg-type]
          f"settings before issue 10: {before['p95_ms']} ms ({ratio_before:.1f}x), p99 {before['p99_ms']} ms; "
          f"requests answered: {throughput:.2f}x the baseline's ({throughput_before:.2f}x before issue 10)")  # fmt: skip
    print(json.dumps({"scenarios": results, "idle_request_s": round(idle, 3), "p95_ratio": round(ratio, 2),
                      "p95_ratio_before": round(ratio_before, 2), "throughput_ratio": round(throughput, 2),
                      "throughput_ratio_before": round(throughput_before, 2)}))  # fmt: skip
    return 0


def urllib_get(url: str) -> int:
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=120)
    conn.request("GET", parsed.path + ("?" + parsed.query if parsed.query else ""))
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status


if __name__ == "__main__":
    sys.exit(main())
