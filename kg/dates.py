"""Dates in readouts, resolved against the publication date.

In: a text span and the publication date (ISO, possibly only "YYYY-MM"). Out: an ISO date or None.
Handles "November 16, 2020", "16 November 2020", "2020-11-16", "On August 13" (the year of
publication; the previous year when that would fall after publication), "today", "yesterday",
"on Wednesday" (the last such day on or before publication) and "earlier this week".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
MONTHS.update(
    {
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    }
)
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_M = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
DATE_RE = re.compile(
    rf"\b(?:{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}(?:,?\s+(\d{{4}}))?"
    r"|(\d{4})-(\d{2})-(\d{2}))\b"
    r"|\b(today|yesterday|tonight|this morning|this afternoon|this evening|earlier today)\b"
    r"|\b(?:on|this|last)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.IGNORECASE,
)


def parse_iso(value: str | None) -> date | None:
    """A date from "YYYY-MM-DD" (None for partial or malformed values)."""
    if not value:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _year_of(published: str | None) -> int | None:
    m = re.match(r"^(\d{4})", published or "")
    return int(m.group(1)) if m else None


def resolve(match: re.Match[str], published: str | None, future: bool = False) -> str | None:
    """The ISO date a :data:`DATE_RE` match denotes, given the publication date; with ``future``
    (an announcement) a date after publication stays in the publication's year."""
    pub = parse_iso(published)
    g = match.groups()
    try:
        if g[0] or g[3]:
            month_word = g[0] or g[4]
            day = int(g[1] or g[3])
            year_s = g[2] or g[5]
            month = MONTHS[month_word.lower().rstrip(".")]
            if year_s:
                return date(int(year_s), month, day).isoformat()
            year = _year_of(published)
            if year is None:
                return None
            d = date(year, month, day)
            if pub and d > pub + timedelta(days=1) and not future:
                d = date(year - 1, month, day)
            return d.isoformat()
        if g[6]:
            return date(int(g[6]), int(g[7]), int(g[8])).isoformat()
    except ValueError:
        return None
    if pub is None:
        return None
    if g[9]:
        word = g[9].lower()
        return (pub - timedelta(days=1) if word == "yesterday" else pub).isoformat()
    if g[10]:
        target = WEEKDAYS[g[10].lower()]
        back = (pub.weekday() - target) % 7
        return (pub - timedelta(days=back)).isoformat()
    return None


# A wire dateline before the lead ("KABUL, May 3 (Agency) -", "Beijing [China], December 26 :",
# "(Agency News - 20th Nov, 2021)", "Date 2015-02-08"): the story's date, not the meeting's.
_DATELINE_BEFORE = re.compile(r"\s*(?:Date\s*|[A-Z][\w .'’\[\]/()]{0,60}?(?:,|\.|\(|-|–)\s*(?:[\w .'’/]{0,50}?[-–]\s*)?)?$")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]{0,40}\))?\s*(?:[)\]:–—-]|\d+\.\s|$)")
# A date that belongs to another event: in a fronted phrase that is not itself the date ("On the
# sidelines of the conference held on February 6, X met Y on February 7"), or after "after",
# "following", "before", "ahead of", "since" in the same clause.
_FRONTED = re.compile(
    r"(?i)\s*(?:\d+\.\s+)?(?:on|at)\s+the\s+(?:sidelines|margins)\s+of\b|\s*(?:before|after|following|ahead\s+of|during)\b"
)
_OTHER_EVENT = re.compile(r"(?i)\b(?:after|following|before|ahead\s+of|since)\b[^,;:]{0,160}$")


def dateline(text: str, start: int, end: int, published: str | None) -> str | None:
    """The date of a dateline line in ``text[start:end]`` ("January 20, 2022 - Paris, France - ..."),
    resolved against the publication date, or None."""
    m = DATE_RE.search(text, start, end)
    if m is None:
        return None
    line = text.rfind("\n", start, m.start()) + 1
    if _DATELINE_BEFORE.match(text, max(start, line), m.start()) and _DATELINE_AFTER.match(text, m.end(), end):
        return resolve(m, published)
    return None


def find_date(
    text: str, published: str | None, start: int = 0, end: int | None = None, future: bool = False
) -> str | None:
    """The date of what ``text[start:end]`` reports: the first resolvable date that is not a
    dateline (relative words resolve against the dateline when there is one) nor another event's;
    ``published`` is the publication date (or a dateline before the span)."""
    stop = len(text) if end is None else end
    matches = list(DATE_RE.finditer(text, start, stop))
    ref = published
    fronted_end = -1
    fronted = _FRONTED.match(text, start, stop)
    if fronted:
        comma = text.find(",", fronted.end(), stop)
        fronted_end = comma if comma > 0 else -1
    for i, m in enumerate(matches):
        if i == 0 and _DATELINE_BEFORE.match(text, start, m.start()) and _DATELINE_AFTER.match(text, m.end(), stop):
            ref = resolve(m, published) or published
            continue
        if m.start() < fronted_end and any(n.start() > fronted_end for n in matches):
            continue
        if _OTHER_EVENT.search(text, max(start, m.start() - 160), m.start()):
            continue
        d = resolve(m, ref, future)
        if d:
            return d
    return None
