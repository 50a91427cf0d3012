"""SELECT and ASK answers written in the SPARQL results formats, exactly as their specs write them.

In: variable names, rows of pyoxigraph terms (or a boolean), a results :class:`~kg.formats.Format`
and whether the rows were cut at a cap. Out: bytes.

- SPARQL JSON (https://www.w3.org/TR/sparql11-results-json/): a cut result carries the link
  ``urn:kg:truncated`` in ``head.link``.
- SPARQL XML (https://www.w3.org/TR/rdf-sparql-XMLres/): a cut result carries
  ``<link href="urn:kg:truncated"/>`` in its head.
- CSV and TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/): CSV writes each term's string
  (IRIs bare, literals' lexical forms, blank nodes as ``_:label``), quotes fields holding a quote,
  comma or line break, and ends lines with CRLF as RFC 4180 does; TSV writes terms in their
  Turtle forms (numbers abbreviated where Turtle allows) with a ``?`` before each variable name
  and ends lines with LF. Neither has room to say a result was cut: the HTTP header does.

The service writes answers here (not with the engine's serialisers) so that a row cap applies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from kg.formats import NOT_XML, Format

TRUNCATED_LINK = "urn:kg:truncated"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = ox.NamedNode(_XSD + "string")
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)
# Turtle's abbreviated numbers and booleans (https://www.w3.org/TR/turtle/#abbrev)
_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+)"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_NOT_XML = NOT_XML  # written as U+FFFD in SPARQL XML, so that an answer stays well-formed


def term_json(t: Any) -> dict[str, str]:
    """A term as a SPARQL JSON binding."""
    kind = type(t)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": t.value}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    language = t.language
    if language:
        out["xml:lang"] = language
    else:
        datatype = t.datatype
        if datatype != _XSD_STRING:
            out["datatype"] = datatype.value
    return out


def _xml_text(value: str) -> str:
    """Character data: a carriage return written as a reference, since XML parsers turn a raw one into a newline."""
    return xml_escape(_NOT_XML.sub("\ufffd", value)).replace("\r", "&#13;")


def _xml_attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value), {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _csv_cell(t: Any) -> str:
    if t is None:
        return ""
    value = "_:" + t.value if isinstance(t, ox.BlankNode) else t.value
    if any(c in value for c in ',"\n\r'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def _tsv_cell(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.Literal) and not t.language:
        bare = _BARE.get(t.datatype.value)
        if bare is not None and bare.fullmatch(t.value):
            return t.value
    # N-Triples forms; a tab or a line break inside a literal is escaped there already
    return str(t)


def _row_writer(names: Sequence[str], fmt: Format, changed: list[int]) -> Callable[[Sequence[Any]], str]:
    """How one row is written; in XML, ``changed[0]`` counts the values that held characters XML cannot carry."""
    if fmt.name == "json":
        return lambda row: _JSON.encode({n: term_json(v) for n, v in zip(names, row, strict=True) if v is not None})
    if fmt.name == "csv":
        return lambda row: ",".join(_csv_cell(v) for v in row) + "\r\n"
    if fmt.name == "tsv":
        return lambda row: "\t".join(_tsv_cell(v) for v in row) + "\n"
    if fmt.name != "xml":
        raise ValueError(f"{fmt.name} is not a results format")

    def xml_row(row: Sequence[Any]) -> str:
        changed[0] += sum(1 for v in row if v is not None and _NOT_XML.search(v.value))
        cells = "".join(f"<binding name={_xml_attr(n)}>{_xml_term(v)}</binding>\n"
                        for n, v in zip(names, row, strict=True) if v is not None)  # fmt: skip
        return f"<result>\n{cells}</result>\n"

    return xml_row


def _assemble(names: Sequence[str], pieces: list[bytes], fmt: Format, truncated: bool, changed: int = 0) -> bytes:
    if fmt.name == "json":
        head: dict[str, Any] = {"vars": list(names)}
        if truncated:
            head["link"] = [TRUNCATED_LINK]
        return b"".join([b'{"head":', _JSON.encode(head).encode(), b',"results":{"bindings":[',
                         b",".join(pieces), b"]}}"])  # fmt: skip
    if fmt.name == "csv":
        return (",".join(_csv_cell(ox.Literal(n)) for n in names) + "\r\n").encode() + b"".join(pieces)
    if fmt.name == "tsv":
        return ("\t".join("?" + n for n in names) + "\n").encode() + b"".join(pieces)
    out = ['<?xml version="1.0"?>']
    if changed:
        out.append(f"<!-- {changed} value(s) held characters XML 1.0 cannot carry; each is written as U+FFFD here "
                   "(the JSON, CSV and TSV answers keep them) -->")  # fmt: skip
    out += ['<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={_xml_attr(n)}/>" for n in names]
    if truncated:
        out.append(f'<link href="{TRUNCATED_LINK}"/>')
    out += ["</head>", "<results>", ""]
    return "\n".join(out).encode() + b"".join(pieces) + b"</results>\n</sparql>\n"


def write_select(names: Sequence[str], rows: Iterable[Sequence[Any]], fmt: Format, *, truncated: bool = False) -> bytes:
    """SELECT results (rows of terms, None where a variable is unbound) in a results format."""
    changed = [0]
    row = _row_writer(names, fmt, changed)
    pieces = [row(r).encode("utf-8") for r in rows]
    return _assemble(names, pieces, fmt, truncated, changed[0])


def write_select_capped(names: Sequence[str], rows: Iterable[Sequence[Any]], fmt: Format, *, row_cap: int,
                        byte_cap: int) -> tuple[bytes, str | None]:  # fmt: skip
    """SELECT results cut at ``row_cap`` rows or ``byte_cap`` bytes of rows, whichever comes first:
    rows are pulled one at a time and written at once, so that no more than the cap is ever held
    (a row with a long literal counts its full length). Returns the answer and, when it was cut,
    why (None otherwise)."""
    changed = [0]
    row = _row_writer(names, fmt, changed)
    pieces: list[bytes] = []
    size, note = 0, None
    for r in rows:
        if len(pieces) >= row_cap:
            note = f"the result was cut at {row_cap} rows (the service's row cap)"
            break
        if size + sum(len(v.value) for v in r if v is not None) > byte_cap:  # before writing a huge row
            note = f"the result was cut at {byte_cap} bytes after {len(pieces)} rows (the service's answer cap)"
            break
        piece = row(r).encode("utf-8")
        size += len(piece) + 1
        if size > byte_cap:
            note = f"the result was cut at {byte_cap} bytes after {len(pieces)} rows (the service's answer cap)"
            break
        pieces.append(piece)
    return _assemble(names, pieces, fmt, note is not None, changed[0]), note


def _xml_term(v: Any) -> str:
    j = term_json(v)
    if j["type"] == "uri":
        return f"<uri>{_xml_text(j['value'])}</uri>"
    if j["type"] == "bnode":
        return f"<bnode>{_xml_text(j['value'])}</bnode>"
    attrs = (f" xml:lang={_xml_attr(j['xml:lang'])}" if "xml:lang" in j else "") + (
        f" datatype={_xml_attr(j['datatype'])}" if "datatype" in j else ""
    )
    return f"<literal{attrs}>{_xml_text(j['value'])}</literal>"


def write_boolean(value: bool, fmt: Format) -> bytes:
    """An ASK answer: SPARQL JSON or XML (the formats that define one); CSV and TSV as one column
    ``_askResult``, the convention of Jena and RDF4J, since their spec defines none."""
    if fmt.name == "json":
        return _JSON.encode({"head": {}, "boolean": value}).encode("utf-8")
    if fmt.name == "xml":
        word = "true" if value else "false"
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n'
            f"<boolean>{word}</boolean>\n</sparql>\n"
        ).encode()
    word = "true" if value else "false"
    if fmt.name == "csv":
        return f"_askResult\r\n{word}\r\n".encode()
    return f"?_askResult\n{word}\n".encode()
