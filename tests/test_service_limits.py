"""The service's limits against starvation and exhaustion (issue 10, item 6): regression tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg import sparql
from kg.errors import QueryError

DEEP_BRACES = "SELECT * WHERE " + "{" * 10_000 + "?s ?p ?o" + "}" * 10_000
FLAT_CHAINS = [  # each crashes pyoxigraph 0.5's parser (SIGSEGV) when given straight to it
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 9_500 + "true) }",
    "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * 7_000) + " }",
    "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(1 AS ?v{i})" for i in range(2_700)) + " }",
    "SELECT * WHERE { ?s ?p ?o " + "FILTER NOT EXISTS { ?s ?p ?o " * 1_000 + "}" * 1_000 + " }",
    "SELECT * WHERE { ?s " + "(" * 10_000 + "<p>" + ")" * 10_000 + " ?o }",
]


@pytest.mark.parametrize("text", [DEEP_BRACES, *FLAT_CHAINS], ids=["braces", "not", "union", "bind", "not-exists", "path"])
def test_shapes_that_crash_the_engine_never_reach_it(text: str) -> None:
    with pytest.raises(QueryError):
        sparql.parse(text)


def test_data_blocks_are_not_counted() -> None:
    assert sparql.parse("SELECT * WHERE { VALUES ?x { " + "1 " * 100_000 + "} }").form == "SELECT"
    assert sparql.parse("INSERT DATA { " + "<a:a> <a:b> <a:c> . " * 10_000 + "}").kind == "update"


def test_kg_query_answers_exit_2_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(str(tmp_path / "kg"))
    store.close()
    query = tmp_path / "deep.rq"
    query.write_text(DEEP_BRACES)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", f"@{query}", "--store", str(tmp_path / "kg")],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "nested more than 200 levels" in done.stderr


HOSTS = [("[::1]", True), ("[::1]:8000", True), ("LOCALHOST", True), ("LocalHost:8000", True), ("127.0.0.1:80", True),
         ("evil.example", False), ("localhost.evil.example", False), ("[::2]", False), ("[::1]x", False)]  # fmt: skip


@pytest.mark.parametrize(("host", "ok"), HOSTS)
def test_host_check_is_case_insensitive_and_reads_ipv6(host: str, ok: bool) -> None:
    from web.hosts import trusted

    assert trusted(host, ["127.0.0.1", "localhost", "[::1]"]) is ok


# ---- the query service: byte cap, memory cap, deaths told as such, fair sharing

def _nquads(n: int, text: str = "abcdefgh") -> bytes:
    return "".join(f'<http://example.org/s{i}> <http://example.org/p> "{text}" .\n' for i in range(n)).encode()


def _doubling(steps: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(steps))
    return f"SELECT ?a{steps} WHERE {{ <http://example.org/s0> <http://example.org/p> ?a0 {binds} }}"


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_the_byte_cap_bounds_an_answer_and_says_so() -> None:
    from kg.service import QueryService

    service = QueryService(_nquads(2_000), workers=1, byte_cap=50_000, memory_mb=0)
    try:
        many = service.run("SELECT ?s ?o WHERE { ?s ?p ?o }")
        huge = service.run(_doubling(20))  # one row of 8 MB
        graph = service.run("CONSTRUCT WHERE { ?s ?p ?o }")
        whole = service.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    finally:
        service.close()
    assert many.status == 200 and len(many.body) <= 51_000
    assert many.truncated and "cut at 50000 bytes after" in many.truncated
    assert b'"link": ["urn:kg:truncated"]' in many.body
    assert huge.status == 200 and len(huge.body) < 1_000 and huge.truncated and "after 0 rows" in huge.truncated
    assert graph.status == 200 and len(graph.body) <= 51_000 and graph.truncated and "triples" in graph.truncated
    assert graph.body.startswith(b"# truncated: the result was cut at 50000 bytes")
    assert whole.status == 200 and whole.truncated is None


def test_a_query_over_the_memory_cap_is_stopped_and_the_service_goes_on() -> None:
    from kg.service import QueryService

    service = QueryService(_nquads(10), workers=1, byte_cap=10_000_000_000, memory_mb=300, timeout=60)
    try:
        answer = service.run(_doubling(27))  # a string of 1 GB
        after = service.run("ASK { ?s ?p ?o }")
    finally:
        service.close()
    assert answer.status == 503, answer.body[:300]
    assert b"more than 300 MB of memory" in answer.body
    assert after.status == 200 and b"true" in after.body


def test_a_worker_that_dies_is_told_as_such_not_as_a_time_out() -> None:
    import os
    import signal
    import threading
    import time

    from kg.service import QueryService

    service = QueryService(_nquads(200), workers=1, timeout=30)
    try:
        pid = service._all[0].pid
        threading.Timer(0.5, lambda: os.kill(pid, signal.SIGSEGV)).start()
        started = time.monotonic()
        answer = service.run(CARTESIAN)
        took = time.monotonic() - started
        after = service.run("ASK { ?s ?p ?o }")
    finally:
        service.close()
    assert answer.status == 500 and took < 10
    assert b"died on this query (killed by signal 11 (SIGSEGV))" in answer.body
    assert b"longer than the limit" not in answer.body
    assert after.status == 200


def test_a_client_sending_heavy_queries_cannot_starve_the_others() -> None:
    import threading
    import time

    from kg.service import QueryService

    service = QueryService(_nquads(200), workers=2, timeout=4, per_client=1)
    try:
        heavy = [threading.Thread(target=service.run, args=(CARTESIAN,), kwargs={"client": "heavy"}) for _ in range(3)]
        for t in heavy:
            t.start()
        time.sleep(0.5)  # one heavy query runs; the other two wait, over that client's share
        took = []
        for _ in range(5):
            started = time.monotonic()
            answer = service.run("ASK { ?s ?p ?o }", client="light")
            took.append(time.monotonic() - started)
            assert answer.status == 200
        for t in heavy:
            t.join()
    finally:
        service.close()
    assert max(took) < 1.0, took


def test_a_client_alone_may_use_every_worker_but_one() -> None:
    from kg.service import _Pool

    pool = _Pool(per_client=1)
    for i in range(3):
        pool.add((i, None))  # type: ignore[arg-type]
    first, second = pool.acquire("a", 1), pool.acquire("a", 1)
    assert first is not None and second is not None
    assert pool.acquire("a", 0.2) is None  # the last one is kept for someone else
    assert pool.acquire("b", 0.2) is not None


def test_invalid_dataset_iris_are_a_400_over_http(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"STORE": str(tmp_path / "kg"), "TESTING": True})
    client = app.test_client()
    for param in ("default-graph-uri=a%20b", "named-graph-uri=%3Cx%3E", "default-graph-uri=http://a/%0Ab"):
        resp = client.get(f"/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D&{param}")
        assert resp.status_code == 400, (param, resp.data)
        assert resp.get_json()["status"] == 400
    assert client.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D").status_code == 200
