"""`kg serve` as a real server: queried with SPARQLWrapper and rdflib's SPARQLStore, and in a browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from kg.build import build
from kg.store.embedded import OxigraphStore
from tests.conftest import GRAPH_FIXTURES, ROOT

SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = str(tmp_path_factory.mktemp("serve") / "kg")
    store = OxigraphStore(path)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", path, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/sparql", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "kg serve died") from None
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_sparqlwrapper_select_json_and_csv(server: str) -> None:
    from SPARQLWrapper import CSV, JSON, SPARQLWrapper

    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX dip: <https://w3id.org/dipkg/ont#> SELECT ?c WHERE { ?s dip:code ?c } ORDER BY ?c")
    sw.setReturnFormat(JSON)
    codes = [b["c"]["value"] for b in sw.query().convert()["results"]["bindings"]]  # type: ignore[index]
    assert "KGZ" in codes
    sw.setReturnFormat(CSV)
    assert b"KGZ" in sw.query().convert()  # type: ignore[operator]


def test_sparqlwrapper_construct_turtle(server: str) -> None:
    from rdflib import Graph
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX dip: <https://w3id.org/dipkg/ont#> CONSTRUCT { ?s dip:code ?c } WHERE { ?s dip:code ?c }")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert len(g) >= 5


def test_rdflib_sparqlstore(server: str) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(server + "/sparql"))
    rows = list(g.query("SELECT ?c WHERE { ?s <https://w3id.org/dipkg/ont#code> ?c }"))
    assert len(rows) >= 5


def test_malformed_and_refused_over_http(server: str) -> None:
    from urllib.error import HTTPError
    from urllib.parse import quote

    for query, code in (("SELECT ?x WHERE { ?x", 400), ("SELECT * WHERE { SERVICE <http://x.org/> { ?s ?p ?o } }", 403)):
        with pytest.raises(HTTPError) as err:
            urllib.request.urlopen(server + "/sparql?query=" + quote(query), timeout=10)
        assert err.value.code == code
    req = urllib.request.Request(server + "/sparql", data=b"INSERT DATA { <http://a> <http://b> <http://c> }",
                                 headers={"Content-Type": "application/sparql-update"})  # fmt: skip
    with pytest.raises(HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 403


@pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"), reason="Debian's chromium is not installed")
def test_browser_query_page_graph_and_readout(server: str) -> None:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        page.click("a.example[data-name='supporters-of-china-on-taiwan']")
        page.wait_for_selector("#results table tbody tr", timeout=15000)
        cells = page.inner_text("#results table")
        assert "KGZ" in cells and "SWE" in cells
        assert "supporters-of-china" not in page.url and "query=" in page.url  # the query is in the URL
        page.screenshot(path=str(SCREENSHOTS / "query.png"), full_page=False)
        page.goto(server + "/graph")
        page.wait_for_selector("body[data-graph-ready='1']", state="attached", timeout=20000)  # no eval under our CSP
        assert "nodes" in page.inner_text("#figures")
        nodes = page.evaluate("document.querySelectorAll('#cy canvas').length")
        assert nodes >= 1
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "graph.png"))
        states_only = int(page.inner_text("#figures").split()[0])
        page.goto(server + "/graph?detail=1")  # filters are read from the URL
        page.wait_for_selector("body[data-graph-ready='1']", state="attached", timeout=20000)  # no eval under our CSP
        assert page.is_checked("input[name=detail]")
        assert int(page.inner_text("#figures").split()[0]) > states_only
        page.goto(server + "/resource?iri=https://w3id.org/dipkg/id/readout/wang-yi-kazakbaev-2020-11-16.txt")
        assert page.locator("a.evidence").count() > 10
        page.screenshot(path=str(SCREENSHOTS / "readout.png"), full_page=True)
        # A browser client on another origin (as YASGUI is), POSTing a form as YASGUI does by default.
        other = browser.new_page(bypass_csp=True)  # the client page stands for another site, not under our CSP
        other.goto(server.replace("127.0.0.1", "localhost") + "/exports")  # http://localhost:N is another origin
        rows = other.evaluate("""async (url) => {
          const r = await fetch(url + "/sparql", { method: "POST",
            headers: { "Accept": "application/sparql-results+json,*/*;q=0.9",
                       "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ query: "SELECT ?c WHERE { ?s dip:code ?c }" }) });
          return (await r.json()).results.bindings.length;
        }""", server)  # fmt: skip
        assert rows >= 5
        browser.close()
        assert not errors, errors
