"""The actor gazetteer: coverage, surface forms, metonyms and false friends."""

from __future__ import annotations

import pytest

from kg.gazetteer import gazetteer


def codes(text: str) -> list[str]:
    return [m.code for m in gazetteer().find(text)]


def test_covers_every_un_member_and_observer() -> None:
    states = [a for a in gazetteer().actors.values() if a.is_state]
    # 193 members, 2 observers (Holy See, Palestine), plus Taiwan and Kosovo as actors
    assert len(states) >= 197
    assert {"VAT", "PSE", "TWN", "SSD", "TLS", "KIR", "TUV"} <= {a.code for a in states}


def test_common_organisations() -> None:
    for code in ("ORG:EU", "ORG:NATO", "ORG:UN", "ORG:ASEAN", "ORG:AU", "ORG:G7", "ORG:SCO"):
        assert code in gazetteer().actors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Kyrgyz side", ["KGZ"]),
        ("the U.S. and China", ["USA", "CHN"]),
        ("Chinese enterprises", ["CHN"]),
        ("Beijing and Washington", ["CHN", "USA"]),
        ("the Republic of Korea", ["KOR"]),
        ("the Democratic People’s Republic of Korea", ["PRK"]),
        ("Côte d’Ivoire", ["CIV"]),
        ("Türkiye", ["TUR"]),
        ("the People's Republic of China", ["CHN"]),
        ("NATO Allies and the European Union", ["ORG:NATO", "ORG:EU"]),
    ],
)
def test_surface_forms(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the Paris Agreement",
        "the Minsk Agreements",
        "the Korean Peninsula",
        "the Taiwan Strait",
        "fine china",
        "a turkey dinner",
        "North America",
        "the South China Sea",
    ],
)
def test_false_friends_are_not_actors(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("China - Ministry of Foreign Affairs of the PRC (English readout)", "CHN"),
        ("United States - The White House", "USA"),
        ("https://www.mid.ru/en/foreign_policy/news/", "RUS"),
        ("https://www.gov.uk/government/news/x", "GBR"),
        ("https://bidenwhitehouse.archives.gov/briefing-room/", "USA"),
        ("KGZ", "KGZ"),
        ("Kyrgyz", "KGZ"),
    ],
)
def test_resolve_publisher(value: str, code: str) -> None:
    assert gazetteer().resolve_publisher(value) == code


def test_offsets_index_the_text() -> None:
    text = "Wang Yi said China will support Kyrgyzstan."
    for m in gazetteer().find(text):
        assert text[m.start : m.end] == m.text
