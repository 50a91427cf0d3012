"""A store on a SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB, Oxigraph server ...).

In: the server's query endpoint URL (and its update endpoint, when it is another URL). Out: the
:class:`~kg.store.GraphStore` interface, spoken over the SPARQL 1.1 Protocol and Update.

What the server must offer: queries whose default graph is the union of the named graphs
(Virtuoso's default; Fuseki's ``unionDefaultGraph``; GraphDB and Oxigraph server with
``--union-default-graph``), and updates for the client. Results come back as SPARQL JSON or
N-Triples and are turned into pyoxigraph terms, so callers cannot tell this store from the
embedded one.

A change is written to staging graphs first, then moved into place by one update request
(``MOVE``), so that a build interrupted while it uploads leaves the previous graphs in place;
left-over staging graphs are dropped by the next change. How atomic the final request is
depends on the server (Virtuoso and Fuseki run one request in one transaction).
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg import sparql
from kg.errors import QueryError, StoreError
from kg.namespaces import GRAPH, INFERRED_GRAPH, PREFIXES, SHARED_GRAPH, sparql_prefixes
from kg.store.base import Change, Dataset, GraphStore, Term, parse_query

STAGING = "urn:kg:staging:"
CHUNK = 5_000  # triples per INSERT DATA request (servers limit the size of one request)


def _term(b: dict[str, str]) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    kind = b.get("type")
    if kind == "uri":
        return ox.NamedNode(b["value"])
    if kind == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


class SparqlStore(GraphStore):
    """A :class:`GraphStore` over a remote SPARQL 1.1 endpoint."""

    def __init__(self, query_url: str, update_url: str | None = None, *, timeout: float = 300.0) -> None:
        parts = urllib.parse.urlsplit(query_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not a SPARQL endpoint URL: {query_url!r}")
        self._auth: str | None = None
        if parts.username:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "")
            self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
            netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
            query_url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout
        self.path = query_url
        self.location = query_url

    # ---- HTTP

    def _post(self, url: str, body: bytes, content_type: str, accept: str) -> bytes:
        headers = {"Content-Type": content_type, "Accept": accept}
        if self._auth:
            headers["Authorization"] = self._auth
        req = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return bytes(resp.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:2000]
            if exc.code in (400, 500) and detail:
                raise QueryError(f"the server refused the request ({exc.code}): {detail}") from None
            raise StoreError(f"{url} answered {exc.code} {exc.reason}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from None

    def _query(self, query: str, accept: str, dataset: Dataset | None = None, base: str | None = None) -> bytes:
        params: list[tuple[str, str]] = [("query", (f"BASE <{base}>\n" if base else "") + sparql_prefixes() + query)]
        if dataset is not None and dataset.given:
            params += [("default-graph-uri", g) for g in dataset.default_graphs or ()]
            params += [("named-graph-uri", g) for g in dataset.named_graphs or ()]
        body = urllib.parse.urlencode(params).encode()
        return self._post(self.query_url, body, "application/x-www-form-urlencoded", accept)

    def _update(self, text: str) -> None:
        body = urllib.parse.urlencode({"update": text}).encode()
        self._post(self.update_url, body, "application/x-www-form-urlencoded", "*/*")

    # ---- GraphStore

    def graphs(self) -> list[str]:
        """Our graphs only: a server holds graphs of its own (Virtuoso's system graphs, for one)."""
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}')
        return sorted(r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode))

    def select(self, text: str) -> Iterator[dict[str, Term]]:
        parse_query(text, None, None)
        data = json.loads(self._query(text, "application/sparql-results+json"))
        if "results" not in data:
            raise QueryError("expected a SELECT query")
        for b in data["results"]["bindings"]:
            yield {k: _term(v) for k, v in b.items()}

    def query(self, text: str, *, dataset: Dataset | None = None, base: str | None = None,
              op: sparql.Operation | None = None) -> object:  # fmt: skip
        """SELECT and ASK as pyoxigraph results; CONSTRUCT and DESCRIBE as pyoxigraph triples."""
        op = parse_query(text, base, op)
        form = op.form
        if form is None:
            raise QueryError("not a query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        if form in ("SELECT", "ASK"):
            data = self._query(text, "application/sparql-results+json", dataset, base)
            if form == "ASK":
                doc = json.loads(data)
                if "boolean" not in doc:  # Virtuoso answers ASK as a result set of __ASK_RETVAL
                    rows = doc.get("results", {}).get("bindings", [])
                    answer = any(b.get("__ASK_RETVAL", {}).get("value", "1") not in ("0", "false") for b in rows)
                    data = json.dumps({"head": {}, "boolean": answer}).encode()
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = self._query(text, "application/n-triples", dataset, base)
        tmp = ox.Store()
        tmp.load(data, format=ox.RdfFormat.N_TRIPLES)
        return tmp.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base: str | None = None) -> None:  # fmt: skip
        op = sparql.parse(text, base=base, prefixes=PREFIXES)
        sparql.check(op, sparql.Policy(updates=True), expect="update")
        rewritten = sparql.with_using(text, using or [], using_named or [], op=op)
        self._update((f"BASE <{base}>\n" if base else "") + sparql_prefixes() + rewritten)

    def apply(self, change: Change) -> None:
        """Every replaced graph is written to a staging graph first (one at a time, so a spool of
        graphs is never read into memory whole), then one update moves them all into place."""

        def text(graph: str) -> str:
            return change.inferred if graph == str(INFERRED_GRAPH) and change.inferred is not None else change.replace[graph]

        targets = [*change.replace, *([str(INFERRED_GRAPH)] if change.inferred is not None else [])]
        self._drop_staging()
        staged: dict[str, str] = {}
        for graph in targets:
            stage = STAGING + hashlib.sha1(graph.encode()).hexdigest()
            nt = text(graph)
            if nt.strip():
                staged[graph] = stage
                self._insert(stage, nt)
        if change.shared.strip():
            self._insert(str(SHARED_GRAPH), change.shared)  # shared facts only grow; adding twice changes nothing
        ops = [f"DROP SILENT GRAPH <{g}>" for g in change.drop if g not in targets]
        for graph in targets:
            ops.append(f"DROP SILENT GRAPH <{graph}>")
            if graph in staged:
                ops.append(f"MOVE SILENT GRAPH <{staged[graph]}> TO <{graph}>")
        if ops:
            self._update(" ;\n".join(ops))

    def _insert(self, graph: str, nt: str) -> None:
        lines = [line for line in nt.splitlines() if line.strip()]
        if not lines:
            return
        with_bnodes = [line for line in lines if "_:" in line]
        if with_bnodes:
            # Triples with blank nodes: together in one request (a blank node is fresh per request),
            # as a template, since Virtuoso refuses blank nodes in INSERT DATA.
            self._update(f"INSERT {{ GRAPH <{graph}> {{\n" + "\n".join(with_bnodes) + "\n} } WHERE {}")
            lines = [line for line in lines if "_:" not in line]
        for i in range(0, len(lines), CHUNK):
            block = "\n".join(lines[i : i + CHUNK])
            self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{block}\n}} }}")

    def _drop_staging(self) -> None:
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}')
        ops = [f"DROP SILENT GRAPH <{r['g'].value}>" for r in rows]
        if ops:
            self._update(" ;\n".join(ops))

    def _triples(self, graph: str) -> Iterator[ox.Triple]:
        data = self._query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "application/n-triples")
        return ox.parse(data, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[return-value]

    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        for g in graphs:
            name = ox.NamedNode(g)
            for t in self._triples(g):
                yield ox.Quad(t.subject, t.predicate, t.object, name)

    def count(self, graph: str | None = None) -> int:
        ours = f'GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}"))'
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else ours
        rows = list(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
        return int(rows[0]["n"].value) if rows else 0
