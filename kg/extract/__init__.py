"""Extraction: a loaded readout in, one GUIDE record (plain dict, no RDF) out.

The record follows ``GUIDE.md``: ``file``, ``publisher``, ``meeting`` (type, date, participants,
initiator, topics) and ``positions`` (holder, stance, target, issue, quote, start, end); offsets
index the readout's exact text. ``extract(readout)`` is the one entry point.
"""

from __future__ import annotations

from typing import Any

from kg.extract.meeting import meeting as find_meeting
from kg.extract.positions import extract_positions
from kg.extract.text import sentences
from kg.gazetteer import gazetteer
from kg.budget import DEFAULT_SECONDS, OverBudget, time_budget
from kg.errors import ReadoutError
from kg.load import Readout

STANCES = ("support", "oppose", "concern", "hope", "commit", "appreciate", "call", "agree")
MEETING_TYPES = ("phone_call", "video_call", "meeting", "joint_statement", "other")


def extract(readout: Readout) -> dict[str, Any]:
    """The GUIDE record of one readout."""
    gaz = gazetteer()
    publisher = gaz.resolve_publisher(readout.publisher) or gaz.resolve_publisher(readout.source_url)
    sents = sentences(readout.text, readout.body_start, readout.body_end)
    m = find_meeting(readout, sents, gaz, publisher)
    positions, topics = extract_positions(readout.text, sents, m, gaz)
    return {
        "file": readout.file,
        "publisher": m.publisher,
        "title": readout.title,
        "meeting": {
            "type": m.type,
            "date": m.date,
            "participants": [{"name": p.name, "state": p.state, "title": p.title} for p in m.participants],
            "initiator": m.initiator,
            "topics": topics,
        },
        "positions": positions,
    }


# What a rule can raise when a readout trips it: reported as that readout's error, the batch goes on.
RULE_FAILURES = (ArithmeticError, LookupError, ValueError, TypeError, AttributeError, RecursionError)


def extract_isolated(readout: Readout, seconds: float | None = DEFAULT_SECONDS) -> dict[str, Any] | ReadoutError:
    """The record, or the readout's error when a rule fails on it or it takes longer than
    ``seconds`` (wall time; None: no limit)."""
    try:
        with time_budget(seconds):
            return extract(readout)
    except OverBudget:
        return ReadoutError(readout.path, f"extraction took longer than {seconds:g} s, the limit per file "
                                          "(--file-timeout): skipped")  # fmt: skip
    except RULE_FAILURES as exc:
        return ReadoutError(readout.path, f"extraction failed ({exc.__class__.__name__}: {exc})")
