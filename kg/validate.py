"""Validation: the store's asserted graphs checked against the SHACL shapes of ``ontology/shapes.ttl``.

In: a store. Out: a :class:`Validation` (conforms, the number of results, pySHACL's text report).
The data graph is the union of the readout graphs, the shared graph and the inferred class
hierarchy (so that ``sh:class dip:Actor`` sees states as actors); the ontology is given to
pySHACL as its ontology graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import Graph

from kg.namespaces import ONTOLOGY_GRAPH
from kg.reason import ontology_text
from kg.store import GraphStore


@dataclass(frozen=True)
class Validation:
    conforms: bool
    results: int
    text: str


def shapes_text() -> str:
    return resources.files("kg.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")


def validate_graph(data: Graph) -> Validation:
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(data=shapes_text(), format="turtle")
    ontology = Graph().parse(data=ontology_text(), format="turtle")
    conforms, report, text = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=False, allow_warnings=True
    )
    from rdflib.namespace import SH

    results = len(list(report.subjects(predicate=SH.resultSeverity)))
    return Validation(bool(conforms), results, str(text))


def validate(store: GraphStore) -> Validation:
    """SHACL validation of everything in the store (readouts and inferred types)."""
    graphs = [g for g in store.graphs() if g != str(ONTOLOGY_GRAPH)]
    data = Graph().parse(data=store.ntriples(graphs), format="nt")
    return validate_graph(data)
