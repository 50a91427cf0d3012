"""A store on a SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB, Oxigraph server ...).

In: the server's query endpoint URL (and its update and Graph Store Protocol endpoints, when
they are other URLs). Out: the :class:`~kg.store.base.GraphStore` interface, spoken over the
SPARQL 1.1 Protocol, Update and Graph Store Protocol; callers cannot tell this store from the
embedded one.

What the server must offer: queries, and updates for the client. Reads name their dataset: our
graphs only (``default-graph-uri`` and ``named-graph-uri`` for each graph under
``https://w3id.org/dipkg/graph/``, listed once per change), so that neither a server's own
graphs (Virtuoso's system graphs) nor the staging graphs of a build in progress are seen.

Writes are sized to what the server takes. Graphs are uploaded with the Graph Store Protocol
where the server has it (Virtuoso's ``/sparql-graph-crud``: a whole graph per request, read by
its loader rather than its SPARQL compiler), else with ``INSERT DATA`` requests whose size
adapts: a request the server refuses as too large (413, "memory exhausted" and the like) is
halved and sent again, and the size grows back after successes. Everything a change writes goes
to staging graphs first (``urn:kg:staging:...``: new readout graphs, a copy of the shared graph
with the new triples, a copy of the inferred graph changed by the build's difference), and one
final update moves them all into place, so that a build that fails at any point leaves the
server's previous state; left-over staging graphs are dropped by the next change. How atomic the
final request is depends on the server (Virtuoso runs one request in one transaction). When the
server refuses that many MOVEs at once, the moves are written as a plan graph (staging graph
``kg:replaces`` graph) and done by one short pattern update over it; only when that too is refused
are they sent in parts, and the build says so in a note.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg import sparql
from kg.errors import QueryError, StoreError
from kg.namespaces import GRAPH, INFERRED_GRAPH, PREFIXES, SHARED_GRAPH, STAGING, sparql_prefixes
from kg.store.base import Change, Dataset, GraphStore, Term, parse_query
from kg.syntax import engine_parses

START_LINES = 2_000  # triples per INSERT DATA / DELETE DATA request to begin with
MIN_LINES = 25  # below this, a refusal is not about size
MAX_LINES = 20_000
GSP_LINES = 200_000  # triples per Graph Store Protocol request
# what a server says when a request is too large for it (Virtuoso: "SP030 ... memory exhausted")
_TOO_LARGE = ("memory exhausted", "too large", "too big", "too long", "out of memory", "request entity")


class _TooLarge(Exception):
    """The server refused a request for its size."""


class _NoGraphStore(Exception):
    """The server has no Graph Store Protocol endpoint where we looked."""


def _first_lines(text: str, limit: int = 400) -> str:
    """The start of a server's error message (servers echo whole requests back)."""
    text = " ".join(text.strip().split("\n")[:3]).strip()
    return text if len(text) <= limit else text[:limit] + " ..."


# Virtuoso echoes every graph of a request's dataset as an X-SPARQL-default-graph header; http.client
# refuses answers with more than 100 headers, and our reads name every graph of ours.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 1_000_000)  # type: ignore[attr-defined]


PLAN = STAGING + "plan"  # the final moves as triples, when they are too many for one request of MOVEs
REPLACES = STAGING + "replaces"  # <staging graph> kg:replaces <graph>
NOTHING = STAGING + "nothing"  # the staging graph of a graph that is dropped


def _stage(graph: str) -> str:
    return STAGING + hashlib.sha1(graph.encode()).hexdigest()


def _gsp_guess(query_url: str) -> str | None:
    """Where a Virtuoso-style server has its Graph Store Protocol endpoint (``.../sparql-graph-crud``)."""
    parts = urllib.parse.urlsplit(query_url)
    if parts.path.rstrip("/").endswith("/sparql"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "-graph-crud", query=""))
    return None


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

    def __init__(self, query_url: str, update_url: str | None = None, *, graph_store_url: str | None = None,
                 timeout: float = 300.0) -> None:  # fmt: skip
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
        self.graph_store_url = graph_store_url or _gsp_guess(query_url)
        self.timeout = timeout
        self.path = query_url
        self.location = query_url
        self._lines = START_LINES  # the size of the next INSERT DATA / DELETE DATA request
        self._ours: list[str] | None = None  # our graphs, listed once per change
        self.notes: list[str] = []  # what the last change could not do as asked (say it)

    # ---- HTTP

    def _post(self, url: str, body: bytes, content_type: str, accept: str, *, method: str = "POST",
              sized: bool = False) -> bytes:  # fmt: skip
        """One request. ``sized``: a refusal for the request's size raises :class:`_TooLarge`."""
        headers = {"Content-Type": content_type, "Accept": accept}
        if self._auth:
            headers["Authorization"] = self._auth
        req = urllib.request.Request(url, data=body if method != "GET" else None, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return bytes(resp.read())
        except urllib.error.HTTPError as exc:
            detail = _first_lines(exc.read().decode("utf-8", "replace"))
            if sized and (exc.code == 413 or any(w in detail.lower() for w in _TOO_LARGE)):
                raise _TooLarge(f"{exc.code}: {detail}") from None
            if exc.code == 400 and detail:
                raise QueryError(f"the server refused the request ({exc.code}): {detail}") from None
            raise StoreError(f"{url} answered {exc.code} {exc.reason}: {detail}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from None

    def _query(self, query: str, accept: str, dataset: Dataset | None = None, base: str | None = None,
               op: sparql.Operation | None = None) -> bytes:  # fmt: skip
        """A query over the dataset given, or the query's own, or our graphs (never the server's
        own graphs or a build's staging graphs)."""
        params: list[tuple[str, str]] = [("query", (f"BASE <{base}>\n" if base else "") + sparql_prefixes() + query)]
        if dataset is not None and dataset.given:
            params += [("default-graph-uri", g) for g in dataset.default_graphs or ()]
            params += [("named-graph-uri", g) for g in dataset.named_graphs or ()]
        elif op is None or not (op.from_graphs or op.from_named):
            ours = self._our_graphs()
            params += [("default-graph-uri", g) for g in ours] + [("named-graph-uri", g) for g in ours]
        body = urllib.parse.urlencode(params).encode()
        return self._post(self.query_url, body, "application/x-www-form-urlencoded", accept)

    def _update(self, text: str, *, sized: bool = False) -> None:
        body = urllib.parse.urlencode({"update": text}).encode()
        self._post(self.update_url, body, "application/x-www-form-urlencoded", "*/*", sized=sized)
        self._ours = None  # the graphs may have changed

    def _our_graphs(self) -> list[str]:
        if self._ours is None:
            self._ours = self.graphs()
        return self._ours

    # ---- GraphStore

    def graphs(self) -> list[str]:
        """Our graphs only: a server holds graphs of its own (Virtuoso's system graphs, for one),
        and a build in progress its staging graphs."""
        return self._graphs_under(str(GRAPH))

    def _graphs_under(self, prefix: str) -> list[str]:
        query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
        body = urllib.parse.urlencode({"query": query}).encode()
        data = json.loads(self._post(self.query_url, body, "application/x-www-form-urlencoded",
                                     "application/sparql-results+json"))  # fmt: skip
        return sorted(b["g"]["value"] for b in data["results"]["bindings"] if b.get("g", {}).get("type") == "uri")

    def select(self, text: str) -> Iterator[dict[str, Term]]:
        op = parse_query(text, None, None)
        data = json.loads(self._query(text, "application/sparql-results+json", op=op))
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
            data = self._query(text, "application/sparql-results+json", dataset, base, op)
            if form == "ASK":
                doc = json.loads(data)
                if "boolean" not in doc:  # Virtuoso answers ASK as a result set of __ASK_RETVAL
                    rows = doc.get("results", {}).get("bindings", [])
                    answer = any(b.get("__ASK_RETVAL", {}).get("value", "1") not in ("0", "false") for b in rows)
                    data = json.dumps({"head": {}, "boolean": answer}).encode()
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = self._query(text, "application/n-triples", dataset, base, op)
        tmp = ox.Store()
        tmp.load(data, format=ox.RdfFormat.N_TRIPLES)
        return tmp.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base: str | None = None) -> None:  # fmt: skip
        op = sparql.parse(text, base=base, prefixes=PREFIXES)
        sparql.check(op, sparql.Policy(updates=True), expect="update", parses=engine_parses)
        rewritten = sparql.with_using(text, using or [], using_named or [], op=op)
        self._update((f"BASE <{base}>\n" if base else "") + sparql_prefixes() + rewritten)

    def apply(self, change: Change) -> None:
        """Everything the change writes goes to staging graphs first (one graph at a time, so that
        a spool of graphs is never read into memory whole), then one update moves them all into
        place. A failure on the way leaves the server's graphs as they were."""
        self.notes = []
        self._drop_staging()
        moves: list[tuple[str, str | None]] = []  # (graph, its staging graph, or None to drop it)
        for graph in change.replace:
            text = change.replace[graph]
            if text.strip():
                self._upload(_stage(graph), text)
                moves.append((graph, _stage(graph)))
            else:
                moves.append((graph, None))
        ours = set(self.graphs())
        if change.shared.strip() or change.shared_removed.strip():  # the shared graph changed by the build
            stage = _stage(str(SHARED_GRAPH))
            if str(SHARED_GRAPH) in ours:
                self._update(f"COPY SILENT GRAPH <{SHARED_GRAPH}> TO GRAPH <{stage}>")
            self._change_data("DELETE", stage, change.shared_removed)
            self._upload(stage, change.shared)
            moves.append((str(SHARED_GRAPH), stage))
        inferred, stage = str(INFERRED_GRAPH), _stage(str(INFERRED_GRAPH))
        if change.inferred is not None:
            if change.inferred.strip():
                self._upload(stage, change.inferred)
                moves.append((inferred, stage))
            else:
                moves.append((inferred, None))
        elif change.inferred_removed.strip() or change.inferred_added.strip():
            if inferred in ours:
                self._update(f"COPY SILENT GRAPH <{inferred}> TO GRAPH <{stage}>")
            self._change_data("DELETE", stage, change.inferred_removed)
            self._upload(stage, change.inferred_added)
            moves.append((inferred, stage))
        ops = [f"DROP SILENT GRAPH <{g}>" for g in change.drop if g not in change.replace]
        for graph, staged in moves:
            ops.append(f"MOVE SILENT GRAPH <{staged}> TO GRAPH <{graph}>" if staged else f"DROP SILENT GRAPH <{graph}>")
        self._finish(ops, moves)

    def _finish(self, ops: list[str], moves: list[tuple[str, str | None]]) -> None:
        """The final moves, in one request: as MOVE and DROP operations, or, when the server refuses
        that many at once, as one pattern update driven by a plan graph (a short request however many
        graphs move). Only when that too is refused are the moves sent in parts, and the change says so."""
        if not ops:
            return
        try:
            self._update(" ;\n".join(ops), sized=True)
            return
        except _TooLarge:
            pass
        if ops[: len(ops) - len(moves)]:  # graphs dropped without a replacement: as they are
            self._update(" ;\n".join(ops[: len(ops) - len(moves)]))
        plan = "".join(f"<{staged or NOTHING}> <{REPLACES}> <{graph}> .\n" for graph, staged in moves)
        self._upload(PLAN, plan)
        planned = f"GRAPH <{PLAN}> {{ ?x <{REPLACES}> ?g }}"
        moved = (
            f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ {planned} GRAPH ?g {{ ?s ?p ?o }} }} ;\n"
            f"INSERT {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ {planned} GRAPH ?x {{ ?s ?p ?o }} }}"
        )
        try:
            self._update(moved, sized=True)
        except (_TooLarge, StoreError):
            self.notes.append(f"the server refused {len(ops)} moves in one request: they were sent in parts, "
                              "so the change was not one transaction on the server")  # fmt: skip
            self._in_parts(ops[len(ops) - len(moves) :])
        with contextlib.suppress(StoreError):  # the staging graphs are unseen: the next change drops what stays
            self._drop_staging()

    def _in_parts(self, ops: list[str]) -> None:
        try:
            self._update(" ;\n".join(ops), sized=True)
        except _TooLarge:
            if len(ops) == 1:
                raise StoreError("the server refused even one MOVE of a graph as too large") from None
            self._in_parts(ops[: len(ops) // 2])
            self._in_parts(ops[len(ops) // 2 :])

    def _upload(self, graph: str, ntriples: str) -> None:
        """Add N-Triples to a graph: by the Graph Store Protocol where the server has it, else by
        INSERT DATA requests sized to what the server takes. Triples with blank nodes go in one
        request (a blank node is fresh per request)."""
        lines = [line for line in ntriples.split("\n") if line.strip()]
        if not lines:
            return
        if self.graph_store_url is not None:
            try:
                self._upload_gsp(graph, lines)
                return
            except _NoGraphStore:
                self.graph_store_url = None  # the server has none: SPARQL updates from now on
        with_bnodes = [line for line in lines if "_:" in line]
        if with_bnodes:  # as a template: Virtuoso refuses blank nodes in INSERT DATA
            self._update(f"INSERT {{ GRAPH <{graph}> {{\n" + "\n".join(with_bnodes) + "\n} } WHERE {}")
        self._change_data("INSERT", graph, "\n".join(line for line in lines if "_:" not in line))

    def _upload_gsp(self, graph: str, lines: list[str]) -> None:
        assert self.graph_store_url is not None
        url = self.graph_store_url + "?" + urllib.parse.urlencode({"graph": graph})
        bnodes = [line for line in lines if "_:" in line]
        plain = [line for line in lines if "_:" not in line]
        chunks = [bnodes + plain[:GSP_LINES]] + [plain[i : i + GSP_LINES] for i in range(GSP_LINES, len(plain), GSP_LINES)]
        for chunk in chunks:
            body = ("\n".join(chunk) + "\n").encode("utf-8")
            try:
                self._post(url, body, "application/n-triples", "*/*")
            except StoreError as exc:
                if any(f" {code} " in str(exc) for code in (404, 405, 406, 415, 501)):
                    raise _NoGraphStore from None
                raise
        self._ours = None

    def _change_data(self, verb: str, graph: str, ntriples: str) -> None:
        """INSERT DATA or DELETE DATA of N-Triples (no blank nodes) in requests sized to what the
        server takes: halved after a refusal for size, grown back after successes."""
        lines = [line for line in ntriples.split("\n") if line.strip()]
        start, successes = 0, 0
        while start < len(lines):
            block = lines[start : start + self._lines]
            try:
                self._update(f"{verb} DATA {{ GRAPH <{graph}> {{\n" + "\n".join(block) + "\n} }", sized=True)
            except _TooLarge as exc:
                if self._lines <= MIN_LINES:
                    raise StoreError(f"the server refuses even {self._lines} triples in one request: {exc}") from None
                self._lines = max(MIN_LINES, self._lines // 2)
                successes = 0
                continue
            start += len(block)
            successes += 1
            if successes >= 4 and self._lines < MAX_LINES:
                self._lines = min(MAX_LINES, self._lines * 2)
                successes = 0

    def _drop_staging(self) -> None:
        ops = [f"DROP SILENT GRAPH <{g}>" for g in self._graphs_under(STAGING)]
        if ops:
            self._update(" ;\n".join(ops))

    def _triples(self, graph: str) -> Iterator[ox.Triple]:
        """A whole graph: by the Graph Store Protocol where the server has it (no result-size cap
        applies), else by a CONSTRUCT."""
        if self.graph_store_url is not None:
            url = self.graph_store_url + "?" + urllib.parse.urlencode({"graph": graph})
            try:
                data = self._post(url, b"", "application/n-triples", "application/n-triples", method="GET")
                return ox.parse(data, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[return-value]
            except StoreError as exc:
                if " 404 " not in str(exc) and " 405 " not in str(exc) and " 406 " not in str(exc):
                    raise
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        body = urllib.parse.urlencode({"query": query}).encode()
        data = self._post(self.query_url, body, "application/x-www-form-urlencoded", "application/n-triples")
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
