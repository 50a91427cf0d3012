"""kg/sparql.py: SPARQL read as tokens; hostile requests refused before any engine sees them.

A listener on 127.0.0.1 stands where the hostile requests want to go; it must count no
connection, whether the request comes to /sparql or to `kg query`. Harmless controls (the words
SERVICE and LOAD inside literals, IRIs, comments, names) are answered normally.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import sparql
from kg.build import build
from kg.cli import main
from kg.errors import QueryError, QueryRefused
from kg.namespaces import PREFIXES
from kg.store.embedded import OxigraphStore
from tests.conftest import GRAPH_FIXTURES


class Listener:
    """A TCP listener that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def hostile_queries(url: str) -> list[str]:
    """Queries that would make the engine call ``url`` (each must be refused)."""
    base = url.rsplit("/", 1)[0] + "/"
    return [
        f"PREFIX ex: <http://example.org/#> SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SeLeCt * WhErE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
        f"SELECT * WHERE {{ ?s <http://e/p>/<http://e/q>* ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX l: <{url}> SELECT * WHERE {{ SERVICE l: {{ ?s ?p ?o }} }}",
        f"BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"# a comment\nSELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p "#" . SERVICE <{url}> {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ ?s ?p 'a#b' . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p """x\n"y" # """ . SERVICE <{url}> {{ ?s ?p ?o }} }}',
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a\\#b ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b) SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE\t\n<{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE{{SERVICE<{url}>{{?s ?p ?o}}}}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {'{ ' * 40}SERVICE <{url}> {{ ?s ?p ?o }}{' }' * 40} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"LOAD <{url}>",
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <urn:x:g>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; PREFIX l: <{url}> LOAD l:",
    ]


def controls(url: str) -> list[str]:
    """Harmless queries that name SERVICE and LOAD where they are no keyword (each answered)."""
    return [
        f'SELECT * WHERE {{ ?s ?p "SERVICE <{url}> {{ ?s ?p ?o }}" }}',
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "PREFIX service: <http://e/> SELECT * WHERE { ?s service:load ?o }",
        f"SELECT * WHERE {{ ?s <http://e/SERVICE/{url}> ?o }}",
        f"# SERVICE <{url}> {{ }}\nSELECT * WHERE {{ ?s ?p ?o }} LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p 'LOAD <{url}>' }}",
        f'SELECT * WHERE {{ ?s ?p """SERVICE\n<{url}> {{ }}""" }}',
        'SELECT (STRLEN("LOAD") AS ?n) WHERE {}',
        f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        'SELECT * WHERE { ?s ?p ?o FILTER(?o = "see WHERE clause with SERVICE") } LIMIT 1',
        "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b&&?b>?a) }",
    ]


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from web import create_app

    path = str(tmp_path_factory.mktemp("sparql") / "kg")
    store = OxigraphStore(path)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    app = create_app({"STORE": path, "TESTING": True, "ALLOW_UPDATES": True})
    yield app.test_client(), path
    app.extensions["kg"].close()


def test_at_least_thirty_hostile_requests() -> None:
    assert len(hostile_queries("http://127.0.0.1:1/sparql")) >= 30


def test_hostile_requests_to_the_endpoint_are_refused_and_reach_nothing(app_client, listener: Listener) -> None:
    client, _path = app_client
    url = f"http://127.0.0.1:{listener.port}/sparql"
    for text in hostile_queries(url):
        op_is_update = text.lstrip().upper().startswith(("LOAD", "INSERT", "DELETE"))
        if op_is_update:
            r = client.post("/sparql", data={"update": text})
        else:
            r = client.post("/sparql", data={"query": text})
        assert r.status_code in (400, 403), (text, r.status_code)
        assert r.get_json()["message"], text  # with a reason
    assert listener.connections == 0


def test_hostile_updates_sent_as_queries_are_refused(app_client, listener: Listener) -> None:
    client, _path = app_client
    r = client.get("/sparql", query_string={"query": f"LOAD <http://127.0.0.1:{listener.port}/>"})
    assert r.status_code == 403 and "not allowed" in r.get_json()["message"]
    assert listener.connections == 0


def test_harmless_controls_are_answered(app_client, listener: Listener) -> None:
    client, _path = app_client
    url = f"http://127.0.0.1:{listener.port}/sparql"
    for text in controls(url):
        r = client.post("/sparql", data={"query": text})
        assert r.status_code == 200, (text, r.get_data(as_text=True))
    assert listener.connections == 0


def test_updates_with_the_words_in_literals_are_stored_exactly(app_client) -> None:
    client, _path = app_client
    literal = "see WHERE clause, with SERVICE and LOAD"
    update = f'INSERT {{ GRAPH <urn:x:g> {{ <urn:x:a> <urn:x:b> "{literal}" }} }} WHERE {{ }}'
    r = client.post("/sparql", data={"update": update, "using-graph-uri": "urn:x:none"})
    assert r.status_code == 204 and "Content-Type" not in r.headers
    r = client.post("/sparql", data={"query": "SELECT ?o WHERE { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> ?o } }"})
    assert [b["o"]["value"] for b in r.get_json()["results"]["bindings"]] == [literal]
    r = client.post("/sparql", data={"update": 'INSERT DATA { GRAPH <urn:x:h> { <urn:x:a> <urn:x:b> "with" } }'})
    assert r.status_code == 204  # "with" in a literal names no dataset


def test_hostile_queries_in_kg_query_are_refused_and_reach_nothing(tmp_path: Path, listener: Listener) -> None:
    path = str(tmp_path / "kg")
    store = OxigraphStore(path)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    url = f"http://127.0.0.1:{listener.port}/sparql"
    runner = CliRunner()
    for text in hostile_queries(url):
        result = runner.invoke(main, ["query", text, "--store", path])
        assert result.exit_code == 2 and "error:" in result.output, (text, result.output)
    for text in controls(url):
        result = runner.invoke(main, ["query", text, "--store", path])
        assert result.exit_code == 0, (text, result.output)
    assert listener.connections == 0


# ---- the tokenizer and what it reads


def test_iris_strings_and_comments_are_opaque() -> None:
    op = sparql.parse('PREFIX ex: <http://e/#> SELECT * WHERE { ?s ex:p "SERVICE # LOAD" } # SERVICE', prefixes={})
    assert op.form == "SELECT" and op.outside == [] and op.prefixes["ex"] == "http://e/#"


def test_form_dataset_and_base() -> None:
    op = sparql.parse("BASE <http://g/x/> PREFIX select: <http://s/> SELECT * FROM <../a> FROM NAMED <b> WHERE {}")
    assert (op.kind, op.form, op.from_graphs, op.from_named) == ("query", "SELECT", ["http://g/a"], ["http://g/x/b"])
    op = sparql.parse("INSERT DATA { <a> <b> <c> } ; DELETE WHERE { ?s ?p ?o } ; WITH <g> DELETE { ?s ?p ?o } WHERE {}")
    assert op.kind == "update" and op.operations == ["INSERT DATA", "DELETE WHERE", "MODIFY"]
    assert op.with_graphs == ["g"]


@pytest.mark.parametrize("text", ['SELECT * WHERE { ?s ?p "open }', "SELECT * WHERE { ?s ?p ?o", "SELECT * } {",
                                  "SELECT * WHERE { ?s ?p ?o } ~", "SELECT * WHERE {" + "{" * 300 + "}" * 301])  # fmt: skip
def test_what_does_not_tokenize_is_refused(text: str) -> None:
    with pytest.raises(QueryError):
        sparql.parse(text)


def test_refusals() -> None:
    with pytest.raises(QueryRefused):
        sparql.check(sparql.parse("SELECT * WHERE { SERVICE <http://x/> {} }"))
    with pytest.raises(QueryRefused):
        sparql.check(sparql.parse("DROP ALL"))  # an update where updates are off
    sparql.check(sparql.parse("DROP ALL"), sparql.Policy(updates=True))
    with pytest.raises(QueryRefused):
        sparql.check(sparql.parse("LOAD <http://x/>"), sparql.Policy(updates=True))  # never


def test_a_malformed_request_is_malformed_before_it_is_refused() -> None:
    """With the engine's parser (kg.syntax), what would be refused for SERVICE or LOAD is first
    parsed: malformed is QueryError (400), well-formed is QueryRefused (403)."""
    from kg.syntax import engine_parses

    policy = sparql.Policy(updates=True)
    for refused in ("CREATE GRAPH <g> ; LOAD <remote> INTO GRAPH <g>", "LOAD SILENT <r>", "PREFIX l: <r> LOAD l: ;"):
        with pytest.raises(QueryRefused):
            sparql.check(sparql.parse(refused, base="http://h/"), policy, parses=engine_parses)
    for malformed in ("LOAD ;", "CREATE GRAPH <g> LOAD <remote> INTO GRAPH <g>", "CREATE GRAPH <g> ;; LOAD <r>"):
        with pytest.raises(QueryError):
            sparql.check(sparql.parse(malformed, base="http://h/"), policy, parses=engine_parses)
        with pytest.raises(QueryRefused):  # without the engine's parser: refused all the same
            sparql.check(sparql.parse(malformed, base="http://h/"), policy)
    with pytest.raises(QueryError):
        sparql.check(sparql.parse("SELECT * { SERVICE <http://x/> { ?s ?p } }"), parses=engine_parses)
    with pytest.raises(QueryRefused):
        sparql.check(sparql.parse("ASK { SERVICE <http://x/> { ?s ?p ?o } } GROUP BY ?s"), parses=engine_parses)


def test_what_the_engine_parses_reaches_nothing_and_runs_nothing() -> None:
    op = sparql.parse("PREFIX e: <http://e/> ASK { SERVICE SILENT e:x { ?s ?p ?o } SERVICE ?v {} } # LOAD <x>")
    text = sparql.for_parsing(op)
    assert text.count(sparql.NOWHERE) == 2 and "e:x" not in text and "?v" not in text
    assert text.startswith(f"PREFIX e: <http://e/> {sparql.ASK_PROBE} {{")
    import time

    from kg.syntax import engine_parses

    values = " ".join(f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(100))} }}" for i in range(6))
    started = time.monotonic()
    with pytest.raises(QueryRefused):  # 10^12 rows, were the ASK run
        sparql.check(sparql.parse(f"ASK {{ {values} FILTER(false) SERVICE <http://x/> {{}} }}"), parses=engine_parses)
    assert time.monotonic() - started < 5


def test_using_is_written_at_the_outer_where_only() -> None:
    text = 'INSERT { ?s <p> "a WHERE b" } WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?p ?o } } }'
    out = sparql.with_using(text, ["http://u/1"], ["http://u/2"])
    assert out == ('INSERT { ?s <p> "a WHERE b" } USING <http://u/1> USING NAMED <http://u/2> '
                   "WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?p ?o } } }")  # fmt: skip
    out = sparql.with_using("DELETE WHERE { ?s <p> ?o } ; INSERT DATA { <a> <b> <c> }", ["http://u/1"], [])
    assert out == "DELETE { ?s <p> ?o } USING <http://u/1> WHERE { ?s <p> ?o } ; INSERT DATA { <a> <b> <c> }"
    with pytest.raises(QueryError):
        sparql.with_using("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://u/1"], [])


def test_mentioned_iris_expand_prefixed_names() -> None:
    found = sparql.mentioned_iris("SELECT ?x WHERE { ?x a dip:State ; <http://e/p> 'dip:not' }", PREFIXES)
    assert found == {PREFIXES["rdf"] + "type", PREFIXES["dip"] + "State", "http://e/p"}


@pytest.mark.parametrize(("ref", "expected"), [
    ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
    ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q#s"),
    ("", "http://a/b/c/d;p?q"), ("..", "http://a/b/"), ("../..", "http://a/"), ("../../../g", "http://a/g"),
    ("g;x=1/../y", "http://a/b/c/y"), ("http:g", "http:g"),
])  # fmt: skip
def test_relative_iris_resolve_as_rfc_3986_says(ref: str, expected: str) -> None:
    assert sparql.resolve(ref, "http://a/b/c/d;p?q") == expected


def test_query_workers_reach_nothing_even_for_a_request_no_one_checked(listener: Listener) -> None:
    """The second line of defence: a worker opens no internet socket, whatever it is asked."""
    import sys

    from kg.service import QueryService

    if not sys.platform.startswith("linux"):
        pytest.skip("the sandbox is Linux's seccomp")
    service = QueryService(b"", workers=1)
    try:
        worker = service._pool.acquire("test", 30)
        assert worker is not None
        _proc, conn = worker
        url = f"http://127.0.0.1:{listener.port}/sparql"
        conn.send({"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "accept": [],
                   "default_graphs": None, "named_graphs": None, "form": "SELECT", "from": [], "row_cap": 10,
                   "base_iri": None})  # fmt: skip
        assert conn.poll(30)
        status, _media, body, _truncated = conn.recv()
        service._pool.release("test", 0.0, worker)
    finally:
        service.close()
    assert status == 400 and b"not permitted" in body
    assert listener.connections == 0
