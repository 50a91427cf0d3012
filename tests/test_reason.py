"""Reasoning: each compiled OWL 2 RL rule, inconsistency, and equivalence with owlrl (the reference)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import InconsistentGraphError
from kg.extract import extract
from kg.load import load
from kg.mapping import map_readout
from kg.reason import Reasoner, alignment_triples, owlrl_closure, reason, reason_sparql, relevant
from tests.conftest import GRAPH_FIXTURES

ID = "https://w3id.org/dipkg/id/"
DIP = "https://w3id.org/dipkg/ont#"
STANCE = "https://w3id.org/dipkg/stance/"
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def inferred(nt: str) -> set[tuple[str, str, str]]:
    g = Graph().parse(data=reason(nt).ntriples, format="nt")
    return {(str(s), str(p), str(o)) for s, p, o in g}


def t(s: str, p: str, o: str) -> str:
    return f"<{s if s.startswith('http') else ID + s}> <{p}> <{o if o.startswith('http') else ID + o}> .\n"


POSITION = (
    t("position/a", DIP + "holder", "state/KGZ")
    + t("position/a", DIP + "stance", STANCE + "support")
    + t("position/a", DIP + "supportTarget", "state/CHN")
    + t("position/a", DIP + "stanceKey", "key/1")
    + t("position/b", DIP + "holder", "state/SWE")
    + t("position/b", DIP + "stance", STANCE + "support")
    + t("position/b", DIP + "stanceKey", "key/1")
)


def test_prp_inv1_holds_is_the_inverse_of_holder() -> None:
    assert (ID + "state/KGZ", DIP + "holds", ID + "position/a") in inferred(POSITION)


def test_prp_spo2_supports_is_a_property_chain() -> None:
    assert (ID + "state/KGZ", DIP + "supports", ID + "state/CHN") in inferred(POSITION)


def test_prp_spo2_shared_stance_through_a_three_step_chain() -> None:
    got = inferred(POSITION)
    assert (ID + "state/KGZ", DIP + "sharesStanceWith", ID + "state/SWE") in got
    assert (ID + "state/KGZ", DIP + "sharesStanceWith", ID + "state/KGZ") not in got  # reflexive noise dropped


def test_prp_symp_symmetric_property() -> None:
    got = inferred(t("state/USA", DIP + "contraryStance", "key/2").replace("state/USA", "key/1"))
    assert (ID + "key/2", DIP + "contraryStance", ID + "key/1") in got


def test_prp_spo1_super_properties() -> None:
    got = inferred(POSITION)
    assert (ID + "state/KGZ", DIP + "alignedWith", ID + "state/CHN") in got
    assert (ID + "position/a", DIP + "target", ID + "state/CHN") in got


def test_cls_hv2_and_cax_sco_classes_from_values() -> None:
    got = inferred(POSITION)
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert (ID + "position/a", rdf_type, DIP + "SupportPosition") in got
    assert (ID + "position/a", rdf_type, DIP + "Position") in got
    assert (ID + "position/a", rdf_type, "http://www.w3.org/ns/prov#Entity") in got


def test_prp_dom_and_prp_rng_types() -> None:
    got = inferred(POSITION)
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert (ID + "state/CHN", rdf_type, DIP + "Actor") in got  # range of dip:supportTarget's super-property
    assert (ID + "key/1", rdf_type, DIP + "StanceKey") in got


def test_cax_dw_disjoint_classes_raise() -> None:
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    clash = t("x/1", rdf_type, DIP + "State") + t("x/1", rdf_type, DIP + "Person")
    with pytest.raises(InconsistentGraphError, match="is both"):
        reason(clash)


def test_owlrl_inconsistency_is_a_clear_error() -> None:
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    clash = Graph().parse(data=t("x/1", rdf_type, DIP + "State") + t("x/1", rdf_type, DIP + "Person"), format="nt")
    with pytest.raises(InconsistentGraphError):
        owlrl_closure(clash)


def _asserted(paths: list[str]) -> str:
    return "".join(map_readout(r, extract(r)).ntriples for r in load(paths) if not isinstance(r, Exception))


def test_same_inferences_as_owlrl_on_the_fixture_graph() -> None:
    nt = _asserted([str(GRAPH_FIXTURES)])
    asserted = Graph().parse(data=nt, format="nt")
    fast = Graph().parse(data=nt + reason(nt).ntriples, format="nt")
    reference = owlrl_closure(asserted)
    assert alignment_triples(fast) == alignment_triples(reference)
    assert alignment_triples(fast)  # not vacuous
    # everything the fast path infers (but the counts of the SPARQL rules, which OWL cannot count) owlrl infers too
    fast_inferred = Graph().parse(data=reason(nt).ntriples, format="nt")
    tallies = {s for s, p, o in fast_inferred if "/tally/" in str(s)}
    counted = {x for x in fast_inferred if x[0] in tallies or str(x[1]) == DIP + "holderCount"}
    assert counted and set(fast_inferred) - counted <= set(reference)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the development corpus (../shared/corpus) is not beside the checkout")
def test_same_alignments_as_owlrl_on_the_development_corpus() -> None:
    nt = _asserted([str(CORPUS)])
    fast = Graph().parse(data=nt + reason(nt).ntriples, format="nt")
    reference = owlrl_closure(Graph().parse(data=nt, format="nt"))  # about 90 s here
    got, expected = alignment_triples(fast), alignment_triples(reference)
    assert len(expected) > 1000
    assert got == expected


def _as_set(nt: str) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in Graph().parse(data=nt, format="nt")}


@pytest.mark.parametrize("source", ["fixtures", "corpus"])
def test_the_fast_reasoner_infers_what_the_rules_as_sparql_updates_infer(source: str) -> None:
    if source == "corpus" and not CORPUS.is_dir():
        pytest.skip("the development corpus (../shared/corpus) is not beside the checkout")
    paths = [str(GRAPH_FIXTURES)] if source == "fixtures" else [str(CORPUS)]
    nt = "".join(
        m.ntriples + m.shared for m in (map_readout(r, extract(r)) for r in load(paths) if not isinstance(r, Exception))
    )
    fast, reference = reason(nt), reason_sparql(nt)
    assert fast.count == reference.count > 100
    assert _as_set(fast.ntriples) == _as_set(reference.ntriples)


def test_the_reasoner_fed_a_piece_at_a_time_infers_the_same() -> None:
    nt = _asserted([str(GRAPH_FIXTURES)])
    lines = nt.splitlines(keepends=True)
    reasoner = Reasoner()
    for i in range(0, len(lines), 7):
        reasoner.add(relevant("".join(lines[i : i + 7])))
    assert _as_set(reasoner.run().ntriples) == _as_set(reason(nt).ntriples)


def test_relevant_keeps_what_the_rules_read_and_drops_the_rest() -> None:
    typed = POSITION + t("position/a", RDF_TYPE, DIP + "Position")  # the rules read positions' type
    quote = f"{ID}annotation/a/quote"
    dropped = f'<{quote}> <http://www.w3.org/ns/oa#exact> "a quote" .\n' + t(quote, RDF_TYPE, OA + "TextQuoteSelector")
    assert relevant(typed + dropped) == typed


def test_each_rule_reads_as_a_sparql_update() -> None:
    rules = {r.name: r for r in Reasoner().rules}
    chain = rules[f"prp-spo2 <{DIP}supports>"]
    assert chain.sparql == (
        f"INSERT {{ ?v0 <{DIP}supports> ?v2 . }} WHERE {{ ?v0 <{DIP}holds> ?v1 . ?v1 <{DIP}supportTarget> ?v2"
        " FILTER(!isLiteral(?v0)) }"
    )
