"""The W3C SPARQL 1.1 Protocol tests, replayed from their manifest against the endpoint.

Reads ``../shared/w3c/sparql11-protocol/manifest.ttl`` (skipped when it is not beside the
checkout), loads ``data1.nt`` .. ``data3.nt`` under the graph names the manifest gives, and sends
each request through Flask's test client, with the ``/sparql/`` prefix mapped to ``/sparql``.
Updates are off by default, so the tests of successful updates are expected failures; the same
tests run again on an app with updates on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg.store.embedded import OxigraphStore
from web import create_app

W3C = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
UPDATE_SUCCESS = {"update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
                  "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri"}  # fmt: skip

pytestmark = pytest.mark.skipif(not (W3C / "manifest.ttl").is_file(), reason="the W3C test data is not beside the checkout")


def _tests() -> list[dict[str, Any]]:
    if not (W3C / "manifest.ttl").is_file():
        return []
    g = Graph().parse(W3C / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    out = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        requests = []
        for req in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
            headers = {}
            hl = g.value(req, HT.headers)
            for h in Collection(g, hl) if hl is not None else []:
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = g.value(req, HT.body)
            resp = g.value(req, HT.resp)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                "headers": headers,
                "body": (str(g.value(body, CNT.chars)), str(g.value(body, CNT.characterEncoding) or "UTF-8"))
                if body
                else None,
                "status": sorted(str(s)[len(STATUS):] for s in g.objects(resp, MF.expectedStatus)),
                "format": str(g.value(resp, MF.expectedFormat) or ""),
                "boolean": g.value(resp, MF.expectedBoolean),
            })  # fmt: skip
        data = [(str(g.value(d, RDFS.label)), str(g.value(d, UT.graph))) for d in g.objects(entry, UT.graphData)]
        out.append({"name": str(entry).rsplit("#", 1)[-1], "requests": requests, "data": data})
    return out


TESTS = _tests()


@pytest.fixture(scope="module", params=[False, True], ids=["updates-off", "updates-on"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    path = str(tmp_path_factory.mktemp("w3c") / "kg")
    store = OxigraphStore(path)
    nq = ""
    for name in ("data1", "data2", "data3"):
        graph = f"http://kasei.us/2009/09/sparql/data/{name}.rdf"
        nq += "".join(
            line[:-1].rstrip() + f" <{graph}> .\n" for line in (W3C / f"{name}.nt").read_text().splitlines() if line.strip()
        )
    store._store.load(input=nq, format=__import__("pyoxigraph").RdfFormat.N_QUADS)
    store.close()
    app = create_app({"STORE": path, "TESTING": True, "ALLOW_UPDATES": request.param, "QUERY_WORKERS": 1,
                      "TRUSTED_HOSTS": None})  # fmt: skip
    yield app
    app.extensions["kg"].close()


def _category(status: int) -> str:
    return f"{status // 100}xx"


RDF_TYPES = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "application/n-quads")
TABULAR = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values")


def test_the_manifest_has_34_tests() -> None:
    assert len(TESTS) == 34


@pytest.mark.parametrize("test", TESTS, ids=[t["name"] for t in TESTS])
def test_protocol(app, test: dict[str, Any]) -> None:
    if test["name"] in UPDATE_SUCCESS and not app.config["ALLOW_UPDATES"]:
        pytest.xfail("updates are off by default (read-only endpoint): answered 403")
    client = app.test_client()
    for req in test["requests"]:
        data = req["body"][0].encode(req["body"][1]) if req["body"] else None
        r = client.open(req["path"], method=req["method"], headers=req["headers"], data=data)
        expected = set(req["status"])
        assert _category(r.status_code) in expected or str(r.status_code) in expected, (
            r.status_code,
            r.get_data(as_text=True)[:300],
        )
        if req["format"] == "boolean":
            assert r.is_json or "xml" in r.mimetype
            if req["boolean"] is not None and r.is_json:
                assert r.get_json()["boolean"] == bool(req["boolean"].toPython())
        elif req["format"] == "tabular":
            assert r.mimetype in TABULAR
        elif req["format"] == "RDF":
            assert r.mimetype in RDF_TYPES
