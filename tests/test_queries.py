"""The example query library: every query has a title and a description and answers on the fixture graph."""

from __future__ import annotations

import pytest

from kg.queries import examples
from kg.query import format_result, run

EXAMPLES = {e.name: e for e in examples()}
STATE = "https://w3id.org/dipkg/id/state/"


def rows(store, name: str) -> list[dict[str, str]]:
    return [{k: str(v.value) for k, v in r.items()} for r in store.select(EXAMPLES[name].text)]


def test_at_least_twelve_documented_queries() -> None:
    assert len(EXAMPLES) >= 12
    for e in EXAMPLES.values():
        assert e.title and e.description, e.name


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_query_answers(fixture_store, name: str) -> None:
    assert rows(fixture_store, name), f"{name} gave no rows on the fixture graph"
    assert format_result(run(fixture_store, EXAMPLES[name].text), "csv").count("\n") >= 2


def test_supporters_of_china_on_taiwan(fixture_store) -> None:
    got = {r["supporter"] for r in rows(fixture_store, "supporters-of-china-on-taiwan")}
    assert got == {"KGZ", "SWE"}
    assert any(
        "Taiwan, Xinjiang, Tibet and Hong Kong" in r["quote"] for r in rows(fixture_store, "supporters-of-china-on-taiwan")
    )


def test_meeting_timeline_is_ordered_and_complete(fixture_store) -> None:
    got = [(r["date"], r["type"]) for r in rows(fixture_store, "meeting-timeline")]
    assert got == [("2023-03-01", "PhoneCall"), ("2024-06-10", "InPersonMeeting")]


def test_call_initiators(fixture_store) -> None:
    got = {(r["initiator"], r["with"]) for r in rows(fixture_store, "call-initiators")}
    assert {("KGZ", "CHN"), ("CHN", "USA"), ("SWE", "CHN")} <= got


def test_meeting_counts(fixture_store) -> None:
    got = {(r["a"], r["b"]): int(r["meetings"]) for r in rows(fixture_store, "most-frequent-meetings")}
    assert got[("CHN", "USA")] == 2 and got[("CHN", "KGZ")] == 1


def test_interference(fixture_store) -> None:
    got = {(r["holder"], r.get("defended")) for r in rows(fixture_store, "interference-in-internal-affairs")}
    assert {("KGZ", "CHN"), ("SWE", "CHN"), ("CHN", "KGZ")} <= got


def test_divergence_on_taiwan(fixture_store) -> None:
    got = {(r["a"], r["b"], r["issue"]) for r in rows(fixture_store, "divergences")}
    assert ("SWE", "USA", "Taiwan") in got and ("USA", "KGZ", "Taiwan") in got


def test_divergences_are_the_inferred_divergences(fixture_store) -> None:
    query = "SELECT ?a ?b WHERE { GRAPH graph:inferred { ?x dip:divergesFrom ?y } ?x dip:code ?a . ?y dip:code ?b }"
    inferred = {(r["a"].value, r["b"].value) for r in fixture_store.select(query)}
    assert inferred and {(r["a"], r["b"]) for r in rows(fixture_store, "divergences")} == inferred


def test_agreement(fixture_store) -> None:
    got = {r["with"] for r in rows(fixture_store, "agreements")}
    query = f"SELECT ?b WHERE {{ GRAPH graph:inferred {{ <{STATE}USA> dip:agreesWith ?y }} ?y dip:code ?b }}"
    assert "SWE" in got and got == {r["b"].value for r in fixture_store.select(query)}


def _set(store, query: str) -> set[tuple[str, ...]]:
    return {tuple(str(r[v].value) if v in r else "" for v in sorted(r)) for r in store.select(query)}


def test_support_tallies_count_the_support_positions(fixture_store) -> None:
    direct = """SELECT ?year ?supporter ?supported (COUNT(DISTINCT ?p) AS ?positions) WHERE {
      ?p dip:holder/dip:code ?supporter ; dip:supportTarget/dip:code ?supported ; dip:expressedIn/sem:hasTimeStamp ?d .
      BIND (YEAR(?d) AS ?year) } GROUP BY ?year ?supporter ?supported"""
    tallies = _set(fixture_store, EXAMPLES["alignments-by-year"].text)
    assert tallies and tallies == _set(fixture_store, direct)


def test_issue_tallies_count_the_positions_of_each_publisher(fixture_store) -> None:
    direct = """SELECT ?publisher ?issue (COUNT(DISTINCT ?p) AS ?positions) WHERE {
      ?p dip:issue ?i ; prov:wasDerivedFrom/dct:publisher/dip:code ?publisher .
      ?i skos:inScheme ?scheme ; skos:prefLabel ?l .
      BIND (STR(?l) AS ?issue) } GROUP BY ?publisher ?issue"""
    tallies = _set(fixture_store, EXAMPLES["issues-by-publisher"].text)
    assert tallies and tallies == _set(fixture_store, direct)


def test_topic_tallies_count_the_meetings(fixture_store) -> None:
    direct = """SELECT ?type ?topic (COUNT(DISTINCT ?m) AS ?meetings) WHERE {
      ?m dip:topic ?i ; a ?c . ?i skos:inScheme ?scheme ; skos:prefLabel ?l .
      FILTER (?c IN (dip:PhoneCall, dip:VideoCall, dip:InPersonMeeting, dip:JointStatement, dip:OtherEncounter))
      BIND (STRAFTER(STR(?c), "#") AS ?type) BIND (STR(?l) AS ?topic) } GROUP BY ?type ?topic"""
    tallies = _set(fixture_store, EXAMPLES["topics-by-meeting-type"].text)
    assert tallies and tallies == _set(fixture_store, direct)


def test_holder_counts_are_the_shared_stances(fixture_store) -> None:
    direct = """SELECT ?k (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a dip:holdsStance ?k }
                GROUP BY ?k HAVING (COUNT(DISTINCT ?a) > 1)"""
    counted = "SELECT ?k ?n WHERE { ?k dip:holderCount ?n }"
    assert _set(fixture_store, counted) == _set(fixture_store, direct) != set()
    shared = rows(fixture_store, "shared-stances-by-issue")
    assert all(len(r["actors"].split(", ")) == int(r["n"]) >= 2 for r in shared)
