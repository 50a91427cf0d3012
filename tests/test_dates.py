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
    ],
)
def test_find_date(text: str, published: str | None, expected: str | None) -> None:
    assert find_date(text, published) == expected
