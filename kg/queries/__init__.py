"""The library of example SPARQL queries (``kg/queries/*.rq``), each with a title and a description.

Every file starts with ``# title: ...`` and ``# description: ...`` comment lines; the prefixes
of :data:`kg.namespaces.PREFIXES` are predeclared when the store runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Example:
    name: str  # file name without .rq
    title: str
    description: str
    text: str


def examples() -> list[Example]:
    """Every example query, sorted by name."""
    out = []
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        title = re.search(r"^#\s*title:\s*(.+)$", text, re.M)
        description = re.search(r"^#\s*description:\s*(.+)$", text, re.M)
        out.append(Example(entry.name[:-3], title.group(1).strip() if title else entry.name[:-3],
                           description.group(1).strip() if description else "", text))  # fmt: skip
    return out
