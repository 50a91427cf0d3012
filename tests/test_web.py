"""Every route of the web app through Flask's test client."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph

from kg.build import build
from kg.store.embedded import OxigraphStore
from tests.conftest import GRAPH_FIXTURES
from web import create_app

KGZ = "https://w3id.org/dipkg/id/state/KGZ"
READOUT = "https://w3id.org/dipkg/id/readout/wang-yi-kazakbaev-2020-11-16.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "kg")
    store = OxigraphStore(path)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    return path


@pytest.fixture(scope="module")
def app(built: str):
    app = create_app({"STORE": built, "TESTING": True, "QUERY_TIMEOUT": 3.0, "ROW_CAP": 50})
    yield app
    app.extensions["kg"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def q(query: str) -> str:
    return "/sparql?query=" + urllib.parse.quote(query)


def test_query_page_lists_examples(client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Who supports China on Taiwan" in html and "codemirror-5.65.20.js" in html
    assert "Content-Security-Policy" in r.headers and "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_sparql_get_json_and_cors(client) -> None:
    r = client.get(q("SELECT ?c WHERE { ?s dip:code ?c } ORDER BY ?c"))
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    values = [b["c"]["value"] for b in r.get_json()["results"]["bindings"]]
    assert "KGZ" in values and values == sorted(values)


@pytest.mark.parametrize(("accept", "marker"), [
    ("text/csv", "c\r\n"), ("text/tab-separated-values", "?c\n"), ("application/sparql-results+xml", "<sparql"),
])  # fmt: skip
def test_sparql_content_negotiation(client, accept: str, marker: str) -> None:
    r = client.get(q("SELECT ?c WHERE { ?s dip:code ?c }"), headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept and marker in r.get_data(as_text=True)


def test_sparql_post_forms_and_construct(client) -> None:
    r = client.post("/sparql", data={"query": "ASK { ?s a dip:Position }"})
    assert r.get_json()["boolean"] is True
    r = client.post("/sparql", data="CONSTRUCT { ?s dip:code ?c } WHERE { ?s dip:code ?c }",
                    content_type="application/sparql-query", headers={"Accept": "text/turtle"})  # fmt: skip
    assert r.mimetype == "text/turtle" and len(Graph().parse(data=r.get_data(as_text=True), format="turtle")) >= 5
    r = client.post("/sparql", data="CONSTRUCT { ?s dip:code ?c } WHERE { ?s dip:code ?c }",
                    content_type="application/sparql-query", headers={"Accept": "application/ld+json"})  # fmt: skip
    assert r.mimetype == "application/ld+json" and json.loads(r.data)


def test_union_default_graph_and_named_graphs(client) -> None:
    r = client.get(q(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{KGZ}> dip:code ?c }}"))
    assert r.get_json()["results"]["bindings"][0]["n"]["value"] == "1"  # once, not once per graph
    r = client.get(q(f"ASK {{ GRAPH graph:inferred {{ <{KGZ}> dip:supports ?x }} }}"))
    assert r.get_json()["boolean"] is True


def test_malformed_query_is_400_with_the_parser_message(client) -> None:
    r = client.get(q("SELECT ?x WHERE { ?x ?y ?z . FILTER() }"))
    assert r.status_code == 400 and r.mimetype == "application/json"
    assert "malformed query" in r.get_json()["message"] and r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.get(q("SELECT ?x WHERE { ?x"))  # does not even tokenize: refused before any engine sees it
    assert r.status_code == 400 and "never closed" in r.get_json()["message"]


def test_outbound_queries_are_refused(client) -> None:
    r = client.get(q("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"))
    assert r.status_code == 403 and "not allowed" in r.get_json()["message"]
    r = client.get(q("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p } }"))  # malformed: told so
    assert r.status_code == 400 and "malformed" in r.get_json()["message"]
    r = client.get(q("ASK { VALUES ?e { <http://example.org/> } SERVICE ?e { ?s ?p ?o } }"))
    assert r.status_code == 403


def test_a_graph_the_store_lacks_reads_as_empty(client) -> None:
    r = client.get(q("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"))
    assert r.status_code == 200 and r.get_json()["results"]["bindings"] == []


def test_updates_are_refused_by_default(client) -> None:
    r = client.post(
        "/sparql", data="INSERT DATA { <http://a> <http://b> <http://c> }", content_type="application/sparql-update"
    )
    assert r.status_code == 403
    assert client.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }"}).status_code == 403


def test_cross_site_updates_are_refused_and_same_site_updates_apply(tmp_path: Path) -> None:
    path = str(tmp_path / "kg")
    store = OxigraphStore(path)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    app = create_app({"STORE": path, "TESTING": True, "ALLOW_UPDATES": True})
    try:
        served = app.extensions["kg"].service.store_path
        assert served.startswith(path + ".serving/")  # workers read a snapshot of the store: no copy
        c = app.test_client()
        update = {"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 'c' } }"}
        assert c.post("/sparql", data=update, headers={"Origin": "https://evil.example"}).status_code == 403
        ask = {"query": "ASK { GRAPH <urn:x:g> { <urn:x:a> ?p ?o } }"}
        assert c.post("/sparql", data=ask).get_json()["boolean"] is False
        assert c.post("/sparql", data=update, headers={"Origin": "http://localhost"}).status_code == 204
        r = c.post("/sparql", data=ask, headers={"Origin": "https://yasgui.example"})
        assert r.get_json()["boolean"] is True and r.headers["Access-Control-Allow-Origin"] == "*"
    finally:
        app.extensions["kg"].close()


def test_row_cap_truncates_and_says_so(client) -> None:
    r = client.get(q("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))
    doc = r.get_json()
    assert len(doc["results"]["bindings"]) == 50 and doc["head"]["link"] == ["urn:kg:truncated"]
    assert r.headers["X-KG-Truncated"].startswith("true")
    r = client.get(q("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"), headers={"Accept": "application/sparql-results+xml"})
    assert b'<link href="urn:kg:truncated"/>' in r.data and r.headers["X-KG-Truncated"].startswith("true")
    r = client.get(q("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"), headers={"Accept": "text/csv"})
    # CSV has no room for it: the header says it
    assert r.data.count(b"\r\n") == 51 and r.headers["X-KG-Truncated"].startswith("true")
    r = client.get(q("CONSTRUCT WHERE { ?s ?p ?o }"), headers={"Accept": "text/turtle"})
    assert r.data.startswith(b"# truncated") and len(Graph().parse(data=r.data, format="turtle")) == 50
    r = client.get(q("CONSTRUCT WHERE { ?s ?p ?o }"), headers={"Accept": "application/rdf+xml"})
    assert b"<!-- truncated" in r.data and len(Graph().parse(data=r.data, format="xml")) == 50
    r = client.get(q("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"))
    assert "link" not in r.get_json()["head"] and "X-KG-Truncated" not in r.headers


def test_every_sparql_answer_carries_cors_and_errors_are_json(client) -> None:
    answers = [
        client.get(q("SELECT ?x WHERE { ?x")),  # 400
        client.get(q("SELECT * WHERE { SERVICE <http://x.invalid/> { ?s ?p ?o } }")),  # 403
        client.post("/sparql", data={"update": "DROP ALL"}),  # 403: updates are off
        client.post("/sparql", data=b"x", content_type="text/plain"),  # 415
        client.post("/sparql", data={"query": "SELECT * {}", "update": "DROP ALL"}),  # 400
    ]
    for r in answers:
        assert r.status_code in (400, 403, 415) and r.headers["Access-Control-Allow-Origin"] == "*", r.status_code
        assert r.mimetype == "application/json" and r.get_json()["message"]
    r = client.open("/sparql", method="OPTIONS")
    assert r.status_code == 204 and "Content-Type" not in r.headers and r.headers["Access-Control-Allow-Origin"] == "*"


def test_csv_and_tsv_as_their_spec_writes_them(client) -> None:
    query = 'SELECT ?a ?b ?c WHERE { BIND(BNODE() AS ?a) BIND("x,\\"y\\"" AS ?b) BIND(42 AS ?c) }'
    r = client.get(q(query), headers={"Accept": "text/csv"})
    lines = r.get_data(as_text=True).split("\r\n")
    assert lines[0] == "a,b,c" and lines[1].startswith("_:") and lines[1].endswith(',"x,""y""",42') and lines[2] == ""
    r = client.get(q(query), headers={"Accept": "text/tab-separated-values"})
    text = r.get_data(as_text=True)
    assert "\r" not in text and text.split("\n")[0] == "?a\t?b\t?c"
    assert text.split("\n")[1].split("\t")[1:] == ['"x,\\"y\\""', "42"]


def test_runaway_query_is_stopped_while_others_are_served(client, app) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result: dict[str, object] = {}

    def runaway() -> None:
        t0 = time.perf_counter()
        result["status"] = app.test_client().get(q(slow)).status_code
        result["seconds"] = time.perf_counter() - t0

    t = threading.Thread(target=runaway)
    t.start()
    time.sleep(0.3)
    t0 = time.perf_counter()
    quick = client.get(q("ASK { ?s a dip:State }"))
    quick_seconds = time.perf_counter() - t0
    t.join(30)
    assert quick.status_code == 200 and quick_seconds < 2.5
    assert result["status"] == 503 and float(result["seconds"]) < 10  # type: ignore[arg-type]
    assert client.get(q("ASK { ?s a dip:State }")).status_code == 200  # the stopped worker was replaced


def test_resource_page_marks_inferred_facts_and_has_a_turtle_twin(client) -> None:
    r = client.get("/resource", query_string={"iri": KGZ})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Kyrgyzstan" in html and 'class="inferred"' in html and 'class="asserted"' in html
    assert 'rel="alternate" type="text/turtle"' in html
    ttl = client.get("/resource", query_string={"iri": KGZ}, headers={"Accept": "text/turtle"})
    assert ttl.mimetype == "text/turtle" and len(Graph().parse(data=ttl.get_data(as_text=True), format="turtle")) > 0
    assert client.get("/resource.ttl", query_string={"iri": KGZ}).mimetype == "text/turtle"
    assert client.get("/id/state/KGZ").status_code == 302


def test_readout_page_highlights_evidence(client) -> None:
    html = client.get("/resource", query_string={"iri": READOUT}).get_data(as_text=True)
    assert 'class="evidence stance-support"' in html
    assert "Kyrgyzstan will continue to fully support China" in html


def test_unknown_and_bad_resources(client) -> None:
    assert client.get("/resource", query_string={"iri": "https://w3id.org/dipkg/id/nothing"}).status_code == 404
    assert client.get("/resource", query_string={"iri": "javascript:alert(1)"}).status_code == 400
    assert "Traceback" not in client.get("/resource").get_data(as_text=True)


def test_graph_page_and_data(client) -> None:
    assert "cytoscape-3.35.0.min.js" in client.get("/graph").get_data(as_text=True)
    data = client.get("/graph.json").get_json()
    ids = {e["data"]["id"] for e in data["elements"]}
    assert {"CHN", "KGZ", "USA", "SWE"} <= ids and data["figures"]["communities"] >= 1
    taiwan = client.get("/graph.json?issue=Taiwan&stance=support").get_json()
    edges = [e["data"] for e in taiwan["elements"] if "source" in e["data"]]
    assert any(e["source"] == "KGZ" and e["target"] == "CHN" and e["evidence"] for e in edges)
    assert len(client.get("/graph.json?detail=1").get_json()["elements"]) > len(data["elements"])


@pytest.mark.parametrize(("path", "media"), [
    ("/export.ttl", "text/turtle"), ("/export.trig", "application/trig"), ("/export.nq", "application/n-quads"),
    ("/export.jsonld", "application/ld+json"), ("/export.ttl?graph=inferred", "text/turtle"),
    ("/export.ttl?graph=asserted", "text/turtle"), ("/export.ttl?graph=wang-yi-kazakbaev-2020-11-16.txt", "text/turtle"),
])  # fmt: skip
def test_exports(client, path: str, media: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.mimetype == media
    assert r.headers["Content-Disposition"].startswith("attachment; filename=")
    assert len(r.data) > 100


def test_export_reimports_with_the_same_count(client) -> None:
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data=client.get("/export.nq").get_data(as_text=True), format="nquads")
    n = client.get(q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")).get_json()
    assert len(list(ds.quads((None, None, None, None)))) == int(n["results"]["bindings"][0]["n"]["value"])


def test_exports_page_and_unknown_graph(client) -> None:
    assert client.get("/exports").status_code == 200
    assert client.get("/export.ttl?graph=nope").status_code == 404
    assert client.get("/export.exe").status_code == 404


def test_foreign_host_is_refused(client) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_request_size_limit(client) -> None:
    r = client.post(
        "/sparql", data="SELECT * WHERE { ?s ?p ?o } #" + "x" * 2_000_000, content_type="application/sparql-query"
    )
    assert r.status_code == 413


def test_errors_are_json_on_api_paths(client) -> None:
    r = client.put("/sparql")
    assert r.status_code == 405 and r.is_json


def test_html_is_escaped(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    body = "President Anna Berg of Sweden spoke with Prime Minister Karl Holm of Norway. "
    body += 'Sweden supports Norway\'s "<img src=x onerror=alert(1)>" plan.\n'
    (src / "evil.txt").write_text("<script>alert(1)</script> Readout\n\n" + body)
    store = OxigraphStore(str(tmp_path / "s"))
    build([str(src)], store)
    store.close()
    app = create_app({"STORE": str(tmp_path / "s"), "TESTING": True, "QUERY_WORKERS": 1})
    try:
        html = (
            app.test_client()
            .get("/resource", query_string={"iri": "https://w3id.org/dipkg/id/readout/evil.txt"})
            .get_data(as_text=True)
        )
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
        assert "<img src=x" not in html
    finally:
        app.extensions["kg"].close()


@pytest.mark.parametrize(
    ("args", "trusted"),
    [
        ([], ["127.0.0.1", "localhost", "[::1]"]),
        (["--host", "0.0.0.0"], None),  # the machine's own names, computed
        (["--host", "0.0.0.0", "--trusted-host", "kg.example.org"], ["kg.example.org"]),
    ],
)
def test_kg_serve_binds_locally_and_trusts_named_hosts(tmp_path: Path, monkeypatch, args, trusted) -> None:
    import socket

    import waitress
    from click.testing import CliRunner

    from kg.cli import main

    seen: dict[str, object] = {}

    def fake_serve(app, **kwargs) -> None:  # type: ignore[no-untyped-def]
        seen.update(kwargs, trusted=app.config["TRUSTED_HOSTS"], debug=app.debug)
        app.extensions["kg"].close()

    monkeypatch.setattr(waitress, "serve", fake_serve)
    monkeypatch.delenv("KG_TRUSTED_HOSTS", raising=False)
    built = str(tmp_path / "kg")  # not the module's store: the app above holds it open
    store = OxigraphStore(built)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    result = CliRunner().invoke(main, ["serve", "--store", built, *args])
    assert result.exit_code == 0, result.output
    assert seen["host"] == (args[1] if args else "127.0.0.1") and seen["debug"] is False
    if trusted is None:
        assert socket.gethostname() in seen["trusted"] and "0.0.0.0" not in seen["trusted"]  # type: ignore[operator]
    else:
        assert seen["trusted"] == trusted


def test_a_format_parameter_chooses_the_answer_format(client) -> None:
    """The query page's download links send ?format=csv: the answer is CSV, whatever Accept says."""
    q = "SELECT ?s WHERE { ?s a dip:Readout }"
    csv = client.get("/sparql", query_string={"query": q, "format": "csv"}, headers={"Accept": "application/json"})
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and csv.data.startswith(b"s\r\n")
    tsv = client.get("/sparql", query_string={"query": q, "format": "tsv"})
    assert tsv.mimetype == "text/tab-separated-values" and tsv.data.startswith(b"?s\n")
    ttl = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a dip:Readout }", "format": "ttl"})
    assert ttl.mimetype == "text/turtle"
    bad = client.get("/sparql", query_string={"query": q, "format": "exe"})
    assert bad.status_code == 400 and b"unknown format" in bad.data
