"""Every IRI the project uses, declared once.

Our terms live under ``https://w3id.org/dipkg/``: the ontology (``ont#``), instance data
(``id/...``), named graphs (``graph/...``), the stance scheme (``stance/``) and the issue scheme
(``issue/``). Standard vocabularies are reused wherever they fit (SEM, PROV-O, Web Annotation,
SKOS, schema.org, W3C org, OWL-Time, Dublin Core).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/dipkg/"


class _Namespace(Namespace):
    """rdflib's Namespace with its terms kept: ``DIP.holder`` is looked up, not rebuilt, each time
    (a measurable part of mapping a readout)."""

    def term(self, name: str) -> URIRef:
        key = (str(self), name)
        found = _TERMS.get(key)
        if found is None:
            found = _TERMS[key] = super().term(name)
        return found


_TERMS: dict[tuple[str, str], URIRef] = {}

DIP = _Namespace(BASE + "ont#")
ID = _Namespace(BASE + "id/")
GRAPH = _Namespace(BASE + "graph/")
STANCE = _Namespace(BASE + "stance/")
ISSUE = _Namespace(BASE + "issue/")

SEM = _Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = _Namespace("http://www.w3.org/ns/oa#")
SCHEMA = _Namespace("https://schema.org/")
ORG = _Namespace("http://www.w3.org/ns/org#")
TIME = _Namespace("http://www.w3.org/2006/time#")
SH = _Namespace("http://www.w3.org/ns/shacl#")

INFERRED_GRAPH = GRAPH["inferred"]
SHARED_GRAPH = GRAPH["shared"]
ONTOLOGY_GRAPH = GRAPH["ontology"]
STAGING = "urn:kg:staging:"  # graphs a build writes on a SPARQL server before moving them into place

PREFIXES: dict[str, str] = {
    "dip": str(DIP),
    "id": str(ID),
    "graph": str(GRAPH),
    "stance": str(STANCE),
    "issue": str(ISSUE),
    "sem": str(SEM),
    "prov": str(PROV),
    "oa": str(OA),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "time": str(TIME),
    "dct": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every prefix above (for queries and rules)."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def slug(text: str, limit: int = 80) -> str:
    """A safe IRI segment: lower-case words joined by hyphens, percent-encoded, never empty."""
    s = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")[:limit].strip("-")
    return quote(s or "x", safe="-_")


def digest(*parts: object, size: int = 12) -> str:
    """A short stable hash of the parts (for IRIs of positions and other derived things)."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return h[:size]


def actor_iri(code: str) -> str:
    """The IRI of a state ("KGZ") or an organisation ("ORG:NATO")."""
    if code.startswith("ORG:"):
        return f"{ID}org/{slug(code[4:], 40).upper()}"
    return f"{ID}state/{slug(code, 8).upper()}"


def readout_graph(readout_id: str) -> str:
    return f"{GRAPH}readout/{readout_id}"


def curie(iri: str) -> str:
    """An IRI as a prefixed name when a predeclared prefix fits (the longest), else the IRI itself."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
