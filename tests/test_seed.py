"""The seed readout (the user's own example), end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract
from kg.load import load_file


@pytest.fixture(scope="module")
def record(seed_path_module: Path) -> dict:
    return extract(load_file(str(seed_path_module)))


@pytest.fixture(scope="module")
def seed_path_module() -> Path:
    from tests.conftest import SEED

    return SEED


def test_meeting(record: dict) -> None:
    m = record["meeting"]
    assert record["file"] == "wang-yi-kazakbaev-2020-11-16.txt"
    assert record["publisher"] == "CHN"
    assert m["type"] == "phone_call"
    assert m["date"] == "2020-11-16"
    assert m["initiator"] == "KGZ"
    assert [(p["name"], p["state"]) for p in m["participants"]] == [("Wang Yi", "CHN"), ("Ruslan Kazakbaev", "KGZ")]


def test_kyrgyzstan_supports_china_on_each_core_issue(record: dict) -> None:
    got = {p["issue"] for p in record["positions"] if (p["holder"], p["stance"], p["target"]) == ("KGZ", "support", "CHN")}
    assert {"Taiwan", "Xinjiang", "Tibet", "Hong Kong"} <= got


def test_stances_on_both_sides(record: dict) -> None:
    got = {(p["holder"], p["stance"], p["target"]) for p in record["positions"]}
    assert {
        ("CHN", "support", "KGZ"),
        ("CHN", "hope", "KGZ"),
        ("CHN", "commit", "KGZ"),
        ("KGZ", "appreciate", "CHN"),
        ("KGZ", "hope", "CHN"),
    } <= got
    # opposing interference in the other's internal affairs defends the other: no target, a beneficiary
    defended = {(p["holder"], p["beneficiary"]) for p in record["positions"] if p["stance"] == "oppose"}
    assert defended == {("CHN", "KGZ"), ("KGZ", "CHN")}
    assert not {p["target"] for p in record["positions"] if p["stance"] == "oppose"} - {None}
    # "Both sides should ..." inside Wang Yi's words is China's call, not Kyrgyzstan's
    should = {p["holder"] for p in record["positions"] if p["quote"].startswith("Both sides should")}
    assert should == {"CHN"}


def test_every_quote_is_the_exact_text(record: dict, seed_path_module: Path) -> None:
    text = seed_path_module.read_text(encoding="utf-8")
    assert record["positions"]
    for p in record["positions"]:
        assert text[p["start"] : p["end"]] == p["quote"]
        assert len(p["issue"].split()) <= 12


def test_concepts_from_the_vocabulary(record: dict) -> None:
    by_issue = {p["issue"]: p["concept"] for p in record["positions"]}
    assert by_issue["Taiwan"] == "Taiwan"
    assert by_issue["Hong Kong"] == "HongKong"
