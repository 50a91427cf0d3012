"""A SPARQL query service with a time limit and a row cap that are enforced for real.

In: SPARQL requests (query text, dataset, wanted media type). Out: :class:`Answer` (status,
media type, body, whether the result was truncated).

Queries run in worker processes, each with the embedded store opened read-only (it sees the
store as it was when the worker started: the app restarts its workers after an update), or, for
a remote or in-memory store, an in-memory copy of the graph loaded from N-Quads at start. A
query that outlives the time limit is stopped by killing its worker, which is replaced, and
answered with 503; the other workers keep serving meanwhile.
``SERVICE``, ``LOAD`` and ``FROM``/``FROM NAMED`` with a non-HTTP IRI are refused before
evaluation. Results beyond the row cap are cut and the answer says so.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import queue
import re
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from kg.namespaces import PREFIXES

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_IRI = re.compile(r"<([^<>\s]*)>")


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False


class Refused(ValueError):
    """A request refused before evaluation (400)."""


def without_literals(query: str, *, iris: bool = False) -> str:
    """The query with its strings and comments (and, with ``iris``, its IRIs) blanked out, so that
    keywords can be looked for."""
    code = _STRINGS.sub(" ", query)
    return _IRI.sub(" <> ", code) if iris else code


def check(query: str) -> None:
    """Refuse what would reach outside the store: SERVICE, LOAD, FROM <file:...>."""
    code = without_literals(query)
    iri_free = _IRI.sub(" <> ", code)  # the same as without_literals(query, iris=True), without redoing the strings
    m = re.search(r"(?<![?$:\w-])(SERVICE|LOAD)\b", iri_free, re.IGNORECASE)
    if m:
        raise Refused(f"{m.group(1).upper()} is not allowed: it would reach outside the store")
    for m in re.finditer(r"\bFROM\s+(?:NAMED\s+)?<([^<>\s]*)>", code, re.IGNORECASE):
        if not re.match(r"(?:https?|urn):", m.group(1), re.IGNORECASE):
            raise Refused(f"FROM <{m.group(1)}> is not allowed: only http(s) and urn graph names")


_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def _term_json(t: Any) -> dict[str, str]:
    kind = type(t)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": t.value}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    language = t.language
    if language:
        out["xml:lang"] = language
    else:
        datatype = t.datatype
        if datatype != _XSD_STRING:
            out["datatype"] = datatype.value
    return out


def _csv_cell(t: Any, tsv: bool) -> str:
    if t is None:
        return ""
    if tsv:
        return str(t)
    value = t.value
    if any(c in value for c in ',"\n\r'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def serialize_select(names: list[str], rows: list[list[Any]], fmt: str, truncated: bool) -> bytes:
    """SELECT results in SPARQL JSON, XML, CSV or TSV (written here so that a row cap can apply)."""
    if fmt == "json":
        bindings = [{n: _term_json(v) for n, v in zip(names, row, strict=True) if v is not None} for row in rows]
        doc: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": bindings}}
        if truncated:
            doc["head"]["link"] = ["urn:kg:truncated"]
        return _JSON.encode(doc).encode("utf-8")
    if fmt in ("csv", "tsv"):
        sep = "\t" if fmt == "tsv" else ","
        head = sep.join(("?" + n) if fmt == "tsv" else n for n in names)
        lines = [head] + [sep.join(_csv_cell(v, fmt == "tsv") for v in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f'<variable name="{xml_escape(n)}"/>' for n in names]
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for n, v in zip(names, row, strict=True):
            if v is None:
                continue
            j = _term_json(v)
            if j["type"] == "uri":
                inner = f"<uri>{xml_escape(j['value'])}</uri>"
            elif j["type"] == "bnode":
                inner = f"<bnode>{xml_escape(j['value'])}</bnode>"
            else:
                attrs = (f' xml:lang="{xml_escape(j["xml:lang"])}"' if "xml:lang" in j else "") + (
                    f' datatype="{xml_escape(j["datatype"])}"' if "datatype" in j else ""
                )
                inner = f"<literal{attrs}>{xml_escape(j['value'])}</literal>"
            out.append(f'<binding name="{xml_escape(n)}">{inner}</binding>')
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def evaluate(store: ox.Store, request: dict[str, Any]) -> Answer:
    """Run one query on ``store`` (in a worker) and serialise the answer."""
    query, cap = request["query"], request["row_cap"]
    kwargs: dict[str, Any] = {"prefixes": PREFIXES}
    if request.get("base_iri"):
        kwargs["base_iri"] = request["base_iri"]  # relative IRIs resolve against the endpoint (protocol)
    if request.get("default_graphs"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    else:
        kwargs["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    try:
        result = store.query(query, **kwargs)
    except SyntaxError as exc:
        return Answer(400, "text/plain; charset=utf-8", f"malformed query: {exc}".encode())
    except (ValueError, OSError) as exc:
        return Answer(400, "text/plain; charset=utf-8", f"query failed: {exc}".encode())
    wanted = request.get("accept") or []
    if isinstance(result, ox.QueryBoolean):
        fmt = next((SELECT_TYPES[t] for t in wanted if t in SELECT_TYPES and SELECT_TYPES[t] in ("json", "xml")), "json")
        media = "application/sparql-results+xml" if fmt == "xml" else "application/sparql-results+json"
        body = result.serialize(format=ox.QueryResultsFormat.XML if fmt == "xml" else ox.QueryResultsFormat.JSON) or b""
        return Answer(200, media, body)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        truncated = False
        for sol in result:
            if len(rows) >= cap:
                truncated = True
                break
            rows.append(list(sol))
        media = next((t for t in wanted if t in SELECT_TYPES), "application/sparql-results+json")
        return Answer(200, _with_charset(media), serialize_select(names, rows, SELECT_TYPES[media], truncated), truncated)
    triples: list[Any] = []
    truncated = False
    for t in result:
        if len(triples) >= cap:
            truncated = True
            break
        triples.append(t)
    media = next((t for t in wanted if t in GRAPH_TYPES), "text/turtle")
    tmp = ox.Store()
    tmp.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    rdf_format = GRAPH_TYPES[media]
    if rdf_format == ox.RdfFormat.TURTLE:
        body = tmp.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES) or b""
    elif rdf_format == ox.RdfFormat.N_QUADS:
        body = tmp.dump(format=rdf_format) or b""
    else:
        body = tmp.dump(format=rdf_format, from_graph=ox.DefaultGraph()) or b""
    return Answer(200, _with_charset(media), body, truncated)


def _with_charset(media: str) -> str:
    return media if "json" in media and "ld" not in media else f"{media}; charset=utf-8"


def _worker(snapshot: str | None, store_path: str | None, conn: Connection) -> None:
    if store_path is not None:
        try:
            store = ox.Store.read_only(store_path)
        except OSError as exc:
            conn.send(f"cannot open the store: {exc}")
            return
    else:
        store = ox.Store()
        store.load(path=snapshot, format=ox.RdfFormat.N_QUADS)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        answer = evaluate(store, request)
        conn.send((answer.status, answer.media_type, answer.body, answer.truncated))


class QueryService:
    """A pool of query workers over an embedded store on disk (``store_path``, opened read-only by
    each worker: nothing is copied) or over a snapshot of N-Quads (``nquads``)."""

    def __init__(self, nquads: bytes | None = None, *, store_path: str | None = None, workers: int = 2,
                 timeout: float = 10.0, row_cap: int = 10_000) -> None:  # fmt: skip
        if (nquads is None) == (store_path is None):
            raise ValueError("give either the N-Quads of a snapshot or the path of a store")
        self.timeout = timeout
        self.row_cap = row_cap
        self.store_path = store_path
        self._snapshot: str | None = None
        if nquads is not None:
            fd, self._snapshot = tempfile.mkstemp(prefix="kg-snapshot-", suffix=".nq")
            with os.fdopen(fd, "wb") as fh:
                fh.write(nquads)
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[tuple[Any, Connection]] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[Any] = []
        for _ in range(max(1, workers)):
            self._idle.put(self._start())

    def _start(self) -> tuple[Any, Connection]:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(self._snapshot, self.store_path, child), daemon=True)
        proc.start()
        child.close()
        message = parent.recv() if parent.poll(600) else "it did not answer"
        if message != "ready":
            proc.kill()
            raise RuntimeError(f"a query worker failed to start: {message}")
        with self._lock:
            self._all.append(proc)
        return proc, parent

    def run(self, query: str, *, accept: list[str] | None = None, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None, base_iri: str | None = None) -> Answer:  # fmt: skip
        try:
            check(query)
        except Refused as exc:
            return Answer(400, "text/plain; charset=utf-8", str(exc).encode())
        try:
            proc, conn = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return Answer(503, "text/plain; charset=utf-8", b"all query workers are busy; try again")
        request = {"query": query, "accept": accept or [], "default_graphs": default_graphs or [],
                   "named_graphs": named_graphs or [], "row_cap": self.row_cap, "base_iri": base_iri}  # fmt: skip
        try:
            conn.send(request)
            if conn.poll(self.timeout):
                status, media, body, truncated = conn.recv()
                self._idle.put((proc, conn))
                return Answer(status, media, body, truncated)
        except (EOFError, OSError, BrokenPipeError):
            pass
        proc.kill()
        proc.join(5)
        with self._lock:
            if proc in self._all:
                self._all.remove(proc)
        self._idle.put(self._start())
        message = f"the query ran longer than the limit of {self.timeout:g} s and was stopped"
        return Answer(503, "text/plain; charset=utf-8", message.encode())

    def close(self) -> None:
        with self._lock:
            procs = list(self._all)
            self._all.clear()
        for proc in procs:
            proc.kill()
            proc.join(5)
        if self._snapshot is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._snapshot)
