"""The store interface on every backend: the embedded store and a real SPARQL server (Virtuoso).

The server is found at ``KG_TEST_SPARQL_URL`` (``.ci/run`` starts Virtuoso and sets it); without
it the remote runs are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.compare import isomorphic

from kg.build import build
from kg.cli import main
from kg.namespaces import DIP, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, STAGING
from kg.store import GraphStore, open_store
from kg.store.embedded import OxigraphStore
from kg.store.remote import SparqlStore
from tests.conftest import GRAPH_FIXTURES

STATE = "https://w3id.org/dipkg/id/state/"
REMOTE = os.environ.get("KG_TEST_SPARQL_URL", "")


def _wipe(store: GraphStore) -> None:
    staging = store._graphs_under(STAGING) if isinstance(store, SparqlStore) else []  # left by a failed test
    ops = [f"DROP SILENT GRAPH <{g}>" for g in [*store.graphs(), *staging]]
    if ops:
        store.update(" ;\n".join(ops))


@pytest.fixture(params=["embedded", "virtuoso"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(kind, location) of an empty store."""
    if request.param == "embedded":
        yield "embedded", str(tmp_path / "kg")
        return
    if not REMOTE:
        if os.environ.get("CI"):
            pytest.fail("KG_TEST_SPARQL_URL is not set: .ci/run should have started Virtuoso")
        pytest.skip("no SPARQL server (set KG_TEST_SPARQL_URL)")
    store = open_store(REMOTE)
    _wipe(store)
    yield "virtuoso", REMOTE
    _wipe(store)


def _dataset(store: GraphStore) -> Dataset:
    from kg.formats import FORMATS

    ds = Dataset()
    ds.parse(data=store.dump(FORMATS["nquads"]), format="nquads")
    return ds


def test_build_query_and_export_match_the_embedded_store(backend, tmp_path: Path) -> None:
    _kind, location = backend
    store = open_store(location)
    report = build([str(GRAPH_FIXTURES)], store)
    assert report.added == 4 and not report.failed
    reference = OxigraphStore(str(tmp_path / "reference"))
    build([str(GRAPH_FIXTURES)], reference)
    assert store.graphs() == reference.graphs()
    ask = f"ASK {{ GRAPH graph:inferred {{ <{STATE}KGZ> dip:supports <{STATE}CHN> }} }}"
    assert bool(store.query(ask))
    assert not bool(store.query(ask.replace("KGZ", "ATA")))  # a state that says nothing here
    query = "SELECT ?h ?t WHERE { ?h dip:supports ?t } ORDER BY ?h ?t"
    assert [(r["h"].value, r["t"].value) for r in store.select(query)] == [
        (r["h"].value, r["t"].value) for r in reference.select(query)
    ]
    mine, theirs = _dataset(store), _dataset(reference)
    for g in reference.graphs():
        assert isomorphic(mine.graph(g), theirs.graph(g)), g
    assert store.count() == reference.count()  # type: ignore[attr-defined]
    reference.close()


def test_rebuild_changes_nothing_and_a_correction_replaces(backend, tmp_path: Path) -> None:
    _kind, location = backend
    src = tmp_path / "in"
    src.mkdir()
    for name in ("berg-wang-call.txt", "smith-li-call.txt", "INDEX.tsv"):
        shutil.copy(GRAPH_FIXTURES / name, src / name)
    store = open_store(location)
    build([str(src)], store)
    before = store.count()  # type: ignore[attr-defined]
    again = build([str(src)], store)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert store.count() == before  # type: ignore[attr-defined]
    ask = f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ <{STATE}SWE> <{DIP.supports}> <{STATE}CHN> }} }}"
    assert bool(store.query(ask))
    text = (src / "berg-wang-call.txt").read_text().replace("Sweden supports China on the Taiwan question and opposes",
                                                         "Sweden opposes")  # fmt: skip
    (src / "berg-wang-call.txt").write_text(text)
    report = build([str(src)], store)
    assert (report.updated, report.unchanged) == (1, 1)
    assert not bool(store.query(ask))
    assert not bool(store.query('ASK { ?p dip:issueLabel "China on the Taiwan question" }'))
    assert not [g for g in store.graphs() if not g.startswith(str(GRAPH))]
    assert str(ONTOLOGY_GRAPH) in store.graphs()


def test_cli_on_the_backend(backend) -> None:
    _kind, location = backend
    runner = CliRunner()
    r = runner.invoke(main, ["build", str(GRAPH_FIXTURES), "--store", location])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["alignments", "--state", "CHN", "--issue", "Taiwan", "--store", location])
    assert r.exit_code == 0 and "KGZ" in r.output, r.output
    r = runner.invoke(main, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?p a dip:Position }", "--format", "csv",
                             "--store", location])  # fmt: skip
    assert r.exit_code == 0 and int(r.output.splitlines()[1]) > 10, r.output
    r = runner.invoke(main, ["export", "--graph", "inferred", "--format", "nquads", "--store", location])
    assert r.exit_code == 0 and str(INFERRED_GRAPH) in r.output
    assert all(f"<{INFERRED_GRAPH}>" in line for line in r.output.splitlines() if line.strip())
    r = runner.invoke(main, ["query", "SELECT ?x WHERE { ?x", "--store", location])
    assert r.exit_code == 2
    r = runner.invoke(main, ["stats", "--format", "json", "--store", location])
    figures = json.loads(r.output)
    assert figures["asserted_triples"] + figures["inferred_triples"] == open_store(location).count()  # type: ignore[attr-defined]
    assert runner.invoke(main, ["validate", "--store", location]).exit_code == 0


def test_web_app_on_the_backend(backend) -> None:
    from web import create_app

    _kind, location = backend
    store = open_store(location)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    app = create_app({"STORE": location, "TESTING": True})
    try:
        query = "SELECT ?h WHERE { ?h dip:supports ?t . ?t dip:code 'CHN' }"
        r = app.test_client().get("/sparql", query_string={"query": query})
        assert r.status_code == 200
        assert f"{STATE}KGZ" in {b["h"]["value"] for b in r.get_json()["results"]["bindings"]}
        assert app.test_client().get("/export.ttl?graph=inferred").status_code == 200
    finally:
        app.extensions["kg"].close()


def test_unreachable_server_is_a_clear_error() -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["stats", "--store", f"http://127.0.0.1:9/{uuid.uuid4().hex}/sparql"])
    assert r.exit_code == 1 and "cannot reach the SPARQL server" in r.output
