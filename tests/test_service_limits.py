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
