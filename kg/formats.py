"""The one format registry: every serialisation the project reads or writes.

In: a format name, a file extension or an HTTP ``Accept`` list. Out: :class:`Format` (name,
kind, media types, extensions, engine format), and graphs serialised in it
(:func:`serialize_quads`). The store, the SPARQL service, ``kg query``, ``kg export``, the web
pages and the CLI's choices all read this table, so a format is added in one place.

Kinds: ``graph`` formats carry RDF (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML; the
last three of the first four kinds keep graph names when ``quads``); ``results`` formats carry
SELECT and ASK answers (SPARQL JSON, XML, CSV, TSV).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespaces import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str
    kind: str  # "graph" or "results"
    media_types: tuple[str, ...]  # the first is the one sent
    extensions: tuple[str, ...]  # the first is the one written
    engine: ox.RdfFormat | ox.QueryResultsFormat
    quads: bool = False  # keeps graph names (graph formats)
    title: str = ""

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def content_type(self) -> str:
        """The media type with its charset, as sent in ``Content-Type`` (JSON is UTF-8 by definition)."""
        return self.media_type if self.media_type.endswith("json") else f"{self.media_type}; charset=utf-8"


_R, _Q = ox.RdfFormat, ox.QueryResultsFormat
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "graph", ("text/turtle", "application/x-turtle"), ("ttl",), _R.TURTLE, title="Turtle"),
        Format("ntriples", "graph", ("application/n-triples", "text/plain"), ("nt",), _R.N_TRIPLES, title="N-Triples"),
        Format("trig", "graph", ("application/trig",), ("trig",), _R.TRIG, quads=True, title="TriG"),
        Format("nquads", "graph", ("application/n-quads",), ("nq",), _R.N_QUADS, quads=True, title="N-Quads"),
        Format("jsonld", "graph", ("application/ld+json",), ("jsonld",), _R.JSON_LD, quads=True, title="JSON-LD"),
        Format("rdfxml", "graph", ("application/rdf+xml",), ("rdf", "owl"), _R.RDF_XML, title="RDF/XML"),
        Format("json", "results", ("application/sparql-results+json", "application/json"), ("srj", "json"), _Q.JSON,
               title="SPARQL JSON"),
        Format("xml", "results", ("application/sparql-results+xml", "application/xml"), ("srx", "xml"), _Q.XML,
               title="SPARQL XML"),
        Format("csv", "results", ("text/csv",), ("csv",), _Q.CSV, title="CSV"),
        Format("tsv", "results", ("text/tab-separated-values",), ("tsv",), _Q.TSV, title="TSV"),
    )
}
# characters no XML 1.0 document may hold, even as a reference (https://www.w3.org/TR/xml/#charsets)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
GRAPH_FORMATS = tuple(f.name for f in FORMATS.values() if f.kind == "graph")
RESULT_FORMATS = tuple(f.name for f in FORMATS.values() if f.kind == "results")
EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld")  # what `kg export` and /export.EXT write


def get(name: str, kind: str | None = None) -> Format:
    """The format called ``name`` (of ``kind`` when given), or :class:`~kg.errors.KgError`."""
    f = FORMATS.get(name)
    if f is None or (kind is not None and f.kind != kind):
        names = [n for n, x in FORMATS.items() if kind is None or x.kind == kind]
        raise KgError(f"unknown format {name!r}; one of {', '.join(names)}")
    return f


def by_extension(extension: str, *, among: Iterable[str] | None = None) -> Format | None:
    """The format a file extension names (``ttl``, ``nq`` ...), among the names given."""
    names = set(among) if among is not None else set(FORMATS)
    return next((f for f in FORMATS.values() if f.name in names and extension.lower() in f.extensions), None)


def negotiate(accept: Iterable[str], kind: str, default: str) -> Format:
    """The first format of ``kind`` whose media type is in ``accept`` (in the client's order of
    preference); ``default`` when none is, or when the client accepts anything."""
    for media in accept:
        media = media.split(";")[0].strip().lower()
        if media in ("*/*", "application/*", "text/*"):
            break
        for f in FORMATS.values():
            if f.kind == kind and media in f.media_types:
                return f
    return FORMATS[default]


def serialize_quads(quads: Iterable[ox.Quad], fmt: Format, *, comment: str | None = None) -> bytes:
    """Quads in a graph format: graph names kept by quad formats, dropped (and the triples merged)
    by triple formats; prefixes declared in Turtle and TriG. ``comment`` is written at the top
    where the format has comments (Turtle, TriG, N-Triples, N-Quads, RDF/XML).

    RDF/XML is XML 1.0, which cannot hold some characters that RDF literals may (``\\x0b``,
    ``\\x0c`` and other C0 controls): they are written as U+FFFD there, one for one, and a comment
    at the top says how many literals were changed; every other format keeps them exactly."""
    if fmt.kind != "graph":
        raise KgError(f"{fmt.name} is not a graph format")
    engine = fmt.engine
    assert isinstance(engine, ox.RdfFormat)
    if fmt.name == "rdfxml":
        changed: list[int] = [0]
        quads = _xml_safe(quads, changed)
    store = ox.Store()
    if fmt.quads:
        store.extend(quads)
        body = store.dump(format=engine, prefixes=PREFIXES) if fmt.name == "trig" else store.dump(format=engine)
    else:
        store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
        prefixes = PREFIXES if fmt.name == "turtle" else None
        body = store.dump(format=engine, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    if fmt.name == "rdfxml":  # a raw carriage return would be read back as a newline (XML's line ends)
        body = (body or b"").replace(b"\r", b"&#13;")
    if fmt.name == "rdfxml" and changed[0]:
        said = (f"{changed[0]} literal(s) held characters XML 1.0 cannot carry; each is written as U+FFFD here "
                "(the other formats keep them)")  # fmt: skip
        comment = f"{comment}; {said}" if comment else said
    return with_comment(body or b"", fmt, comment)


def _xml_safe(quads: Iterable[ox.Quad], changed: list[int]) -> Iterator[ox.Quad]:
    """Quads whose literals hold no character XML 1.0 forbids (U+FFFD instead, counted in ``changed``)."""
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal) and NOT_XML.search(o.value):
            changed[0] += 1
            value = NOT_XML.sub("\ufffd", o.value)
            o = ox.Literal(value, language=o.language) if o.language else ox.Literal(value, datatype=o.datatype)
            q = ox.Quad(q.subject, q.predicate, o, q.graph_name)
        yield q


def with_comment(body: bytes, fmt: Format, comment: str | None) -> bytes:
    """``body`` with ``comment`` at its top, in the format's own comment syntax (unchanged where it has none)."""
    if not comment:
        return body
    line = " ".join(comment.split())
    if fmt.name in ("turtle", "trig", "ntriples", "nquads"):
        return f"# {line}\n".encode() + body
    if fmt.name == "rdfxml":
        text = line.replace("--", "- -")
        if body.startswith(b"<?xml"):
            end = body.index(b"?>") + 2
            return body[:end] + f"\n<!-- {text} -->".encode() + body[end:]
        return f"<!-- {text} -->\n".encode() + body
    return body
