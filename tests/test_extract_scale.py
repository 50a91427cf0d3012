"""Extraction is linear in text length (issue 10, item 2): a guard that counts work, not seconds.

The work of an extraction is counted as the lines of ``kg`` code it runs (``sys.settrace`` line
events, a loop's every turn included), which does not depend on the machine's load. A text four
times as long must cost at most ~4.5 times as much: the quadratic steps this guards against (a
whole-text match list rescanned for every clause, every person of the readout checked for every
span or label) cost 6-12 times as much at four times the length. ``bench/extract_scale.py``
measures the CPU time at 0.5 to 4 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import kg
from kg.extract import extract
from kg.load import Readout

KG_DIR = str(Path(kg.__file__).resolve().parent)
TITLE = "Wang Yi Holds Talks with Kyrgyz Foreign Minister Ruslan Kazakbaev"
MIX = (
    "Foreign Minister Wang Yi said China supports Kyrgyzstan's efforts to safeguard its sovereignty and opposes "
    "interference in its internal affairs. The two sides exchanged views on the situation in Afghanistan, "
    "Ukraine and the Korean Peninsula. Secretary Blinken reaffirmed the United States' unwavering commitment "
    "to the security of Japan, and expressed concern over the situation in the Taiwan Strait. The Secretary "
    "welcomed the progress made in bilateral relations and hoped that both countries would deepen their "
    "strategic partnership. President Biden thanked Prime Minister Kishida for Japan's support of Ukraine, "
    "and condemned Russia's war of aggression. He raised point 12. The Kyrgyz side stressed the importance "
    "of the Belt and Road Initiative for regional connectivity.\n\n"
)
NOSTOP = (
    "Foreign Minister Wang Yi said China supports Kyrgyzstan's efforts to safeguard its sovereignty, "
    "and President Biden thanked Prime Minister Kishida for Japan's support of Ukraine, and "
)


def _readout(body: str, title: str = TITLE) -> Readout:
    text = f"{title}\n\n{body}"
    return Readout("scale.txt", text, len(title) + 2, len(text.rstrip()), title, "2020-11-16", "CHN")


def _work(readout: Readout) -> int:
    """The lines of ``kg`` code that extracting ``readout`` runs."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(KG_DIR) else None

    before = sys.gettrace()
    sys.settrace(calls)
    try:
        extract(readout)
    finally:
        sys.settrace(before)
    return count


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("mixed sentences and paragraphs", lambda n: _readout(MIX * n)),
        ("one paragraph without sentence breaks", lambda n: _readout(NOSTOP * (n * 4))),
        ("a long title", lambda n: _readout(MIX, title=" ".join([MIX.strip().replace("\n", " ")] * n))),
    ],
)
def test_extraction_work_is_linear_in_text_length(name: str, make: Any) -> None:
    extract(make(1))  # the gazetteer, vocabulary and caches load once, outside the count
    small, large = _work(make(8)), _work(make(32))
    assert large / small <= 4.5, f"{name}: 4x the text cost {large / small:.1f}x the work ({small:,} -> {large:,} lines)"
