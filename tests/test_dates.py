"""Dates resolved against the publication date."""

from __future__ import annotations

import pytest

from kg.dates import find_date


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("On November 16, 2020, the ministers spoke.", None, "2020-11-16"),
        ("On 21 September 2022 they met.", None, "2022-09-21"),
        ("Published 2021-08-16.", None, "2021-08-16"),
        ("On August 13, Lavrov spoke with Kerry.", "2015-08-13", "2015-08-13"),
        ("On December 30 they met.", "2021-01-02", "2020-12-30"),  # not in the future
        ("The President spoke today with ...", "2021-02-10", "2021-02-10"),
        ("They spoke yesterday.", "2022-03-01", "2022-02-28"),
        ("On Wednesday, the President held a call.", "2025-01-24", "2025-01-22"),
        ("On Friday they met.", "2025-01-24", "2025-01-24"),
        ("The President spoke today.", None, None),
        ("On February 30, 2021 nothing happened.", None, None),
        # a wire dateline is the story's date: relative words resolve against it, it is not the meeting's
        ("CANBERRA, June 28 - Yesterday, the Prime Minister met the President.", "2022-06-28", "2022-06-27"),
        ("Lima [Peru], December 26 : The minister on Wednesday held talks.", "2024-12-25", "2024-12-25"),
        ("Quito (Agency News - 20th Nov, 2021) The minister, on Thursday 18 November 2021, met X.", None, "2021-11-18"),
        ("OSLO, Sept 23 (Agency) - The minister held talks in New York.", "2021-09-22", None),
        # another event's date: after "after ..." or in a fronted phrase
        ("The minister received a call after the summit held in Riga on January 5.", "2021-01-07", None),
        ("1. On the sidelines of the conference held on February 6 and 7, X met Y on February 7.", "2015-02-08",
         "2015-02-07"),
    ],
)
def test_find_date(text: str, published: str | None, expected: str | None) -> None:
    assert find_date(text, published) == expected


def test_announcements_keep_their_future_date() -> None:
    assert find_date("The Secretary will host the minister on October 26.", "2023-10-23", future=True) == "2023-10-26"
    assert find_date("They met on October 26.", "2023-10-23") == "2022-10-26"


def test_dateline_on_its_own_line() -> None:
    from kg.dates import dateline

    text = "January 20, 2022 - Paris, France - Ministry of Foreign Affairs\n\nThe minister met yesterday with X."
    assert dateline(text, 0, text.index("The"), "2022-01-19") == "2022-01-20"
    assert find_date(text, "2022-01-20", text.index("The")) == "2022-01-19"
