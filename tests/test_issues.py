"""The SKOS issue vocabulary."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from kg.errors import VocabularyError
from kg.issues import ISSUE_NS, parse_vocabulary, vocabulary, vocabulary_text


def test_scheme_is_valid_skos_with_enough_concepts() -> None:
    g = Graph().parse(data=vocabulary_text(), format="turtle")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 150
    for c in concepts:
        assert len(list(g.objects(c, SKOS.prefLabel))) == 1, c
        assert (c, SKOS.inScheme, None) in g
        assert (c, SKOS.broader, None) in g or (c, SKOS.topConceptOf, None) in g
    assert sum(1 for _ in g.subject_objects(SKOS.altLabel)) >= 300
    for _, broader in g.subject_objects(SKOS.broader):
        assert broader in concepts  # every broader link lands on a concept of the scheme


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("issues related to Taiwan", "Taiwan"),
        ("the Belt and Road initiative", "BeltAndRoad"),
        ("fight against COVID-19", "COVID19"),
        ("providing vaccines", "Vaccines"),
        ("rules of the road for AI", "ArtificialIntelligence"),
        ("a rules-based international order", "RulesBasedOrder"),
        ("the three forces of terrorism, separatism and extremism", "ThreeForces"),
    ],
)
def test_match(text: str, concept: str) -> None:
    found = vocabulary().match(text)
    assert found is not None and found.id == concept


def test_no_match_and_case() -> None:
    assert vocabulary().match("the weather was pleasant") is None
    assert vocabulary().match("said he would") is None  # "AI" matches only in capitals


def test_ancestors() -> None:
    assert vocabulary().ancestors("Taiwan") == ["CoreInterestsAndSovereignty"]


def test_malformed_vocabulary_is_a_clear_error() -> None:
    with pytest.raises(VocabularyError):
        parse_vocabulary("this is not turtle")
    with pytest.raises(VocabularyError, match="prefLabel"):
        parse_vocabulary(f"<{ISSUE_NS}X> a <http://www.w3.org/2004/02/skos/core#Concept> .")
