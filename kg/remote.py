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
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.namespaces import GRAPH, INFERRED_GRAPH, SHARED_GRAPH, sparql_prefixes
from kg.service import without_literals
from kg.store import Change, GraphStore, with_dataset

STAGING = "urn:kg:staging:"
CHUNK = 5_000  # triples per INSERT DATA request (servers limit the size of one request)


def is_remote(location: str | None) -> bool:
    return bool(location) and str(location).lower().startswith(("http://", "https://"))


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

    def _query(self, query: str, accept: str) -> bytes:
        body = urllib.parse.urlencode({"query": sparql_prefixes() + query}).encode()
        return self._post(self.query_url, body, "application/x-www-form-urlencoded", accept)

    def _update(self, text: str) -> None:
        body = urllib.parse.urlencode({"update": text}).encode()
        self._post(self.update_url, body, "application/x-www-form-urlencoded", "*/*")

    # ---- GraphStore

    def graphs(self) -> list[str]:
        """Our graphs only: a server holds graphs of its own (Virtuoso's system graphs, for one)."""
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}')
        return sorted(r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode))

    def select(self, query: str) -> Iterator[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        data = json.loads(self._query(query, "application/sparql-results+json"))
        if "results" not in data:
            raise QueryError("expected a SELECT query")
        for b in data["results"]["bindings"]:
            yield {k: _term(v) for k, v in b.items()}

    def query(self, query: str) -> object:
        """SELECT and ASK as pyoxigraph results; CONSTRUCT and DESCRIBE as pyoxigraph triples."""
        form = _form(query)
        if form in ("SELECT", "ASK"):
            data = self._query(query, "application/sparql-results+json")
            if form == "ASK":
                doc = json.loads(data)
                if "boolean" not in doc:  # Virtuoso answers ASK as a result set of __ASK_RETVAL
                    rows = doc.get("results", {}).get("bindings", [])
                    answer = any(b.get("__ASK_RETVAL", {}).get("value", "1") not in ("0", "false") for b in rows)
                    data = json.dumps({"head": {}, "boolean": answer}).encode()
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = self._query(query, "application/n-triples")
        tmp = ox.Store()
        tmp.load(data, format=ox.RdfFormat.N_TRIPLES)
        return tmp.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base_iri: str | None = None) -> None:  # fmt: skip
        base = f"BASE <{base_iri}>\n" if base_iri else ""
        self._update(base + sparql_prefixes() + with_dataset(text, using, using_named))

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

    def ntriples(self, graphs: Iterable[str]) -> str:
        seen: set[str] = set()
        lines: list[str] = []
        for g in graphs:
            for t in self._triples(g):
                line = f"{t.subject} {t.predicate} {t.object} ."
                if line not in seen:
                    seen.add(line)
                    lines.append(line)
        return "\n".join(lines) + ("\n" if lines else "")

    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None) -> bytes:
        from kg.namespaces import PREFIXES

        tmp = ox.Store()
        for g in list(graphs) if graphs is not None else self.graphs():
            tmp.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for t in self._triples(g))
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD):
            kwargs: dict[str, Any] = {"prefixes": PREFIXES} if fmt == ox.RdfFormat.TRIG else {}
            return tmp.dump(format=fmt, **kwargs) or b""
        flat = ox.Store()
        flat.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in tmp)
        kwargs = {"prefixes": PREFIXES} if fmt == ox.RdfFormat.TURTLE else {}
        return flat.dump(format=fmt, from_graph=ox.DefaultGraph(), **kwargs) or b""

    def count(self, graph: str | None = None) -> int:
        ours = f'GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}"))'
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else ours
        rows = list(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
        return int(rows[0]["n"].value) if rows else 0


def _form(query: str) -> str:
    code = without_literals(query, iris=True)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.IGNORECASE)
    if not m:
        raise QueryError("not a query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return m.group(1).upper()
