"""Sentence splitting on the exact text."""

from __future__ import annotations

from kg.extract.text import sentences


def split(text: str) -> list[str]:
    return [s.text for s in sentences(text, 0, len(text))]


def test_abbreviations_and_initials_do_not_split() -> None:
    text = (
        "President Joseph R. Biden, Jr. spoke with Mr. Sato of the U.S. delegation. "
        "The two sides met in Washington, D.C. on Monday."
    )
    assert split(text) == [
        "President Joseph R. Biden, Jr. spoke with Mr. Sato of the U.S. delegation.",
        "The two sides met in Washington, D.C. on Monday.",
    ]


def test_markdown_hard_wrap_is_not_a_break_but_a_blank_line_is() -> None:
    text = "The President thanked\nthe Prime Minister.\n\nThey agreed to meet."
    out = sentences(text, 0, len(text))
    assert [s.text for s in out] == ["The President thanked\nthe Prime Minister.", "They agreed to meet."]
    assert out[0].paragraph != out[1].paragraph


def test_bullets_are_items() -> None:
    text = "The ministers agreed to:\n• continue support\n• meet again\n1. Expand trade.\n2. Cut tariffs."
    assert split(text) == [
        "The ministers agreed to:",
        "• continue support",
        "• meet again",
        "1. Expand trade.",
        "2. Cut tariffs.",
    ]


def test_offsets() -> None:
    text = "  First one. Second one!  "
    for s in sentences(text, 0, len(text)):
        assert text[s.start : s.end] == s.text


def test_an_exclamation_inside_a_names_parenthesis_ends_no_sentence() -> None:
    from kg.extract.text import sentences

    text = "Berg praised the “Assembly for Women (WAW! 2014)” held this month and Wang Yi agreed. What next? Nothing!"
    assert [s.text for s in sentences(text, 0, len(text))] == [
        "Berg praised the “Assembly for Women (WAW! 2014)” held this month and Wang Yi agreed.",
        "What next?",
        "Nothing!",
    ]


def test_an_abbreviation_ending_a_compound_ends_no_sentence() -> None:
    from kg.extract.text import sentences

    text = "They discussed the inaugural Guyana-U.S. Strategic Dialogue. The leaders met."
    assert [s.text for s in sentences(text, 0, len(text))] == [
        "They discussed the inaugural Guyana-U.S. Strategic Dialogue.",
        "The leaders met.",
    ]
