"""The one place that looks at SPARQL text: tokens, the operation's form, its dataset, refusals.

In: a SPARQL 1.1 query or update as text. Out: :class:`Operation` (query form or update
operations, ``BASE`` and ``PREFIX`` declarations, the dataset it names, the ``SERVICE`` and
``LOAD`` it contains, the IRIs it mentions), a refusal (:func:`check`), or the update rewritten
with the protocol's ``using-graph-uri``/``using-named-graph-uri`` (:func:`with_using`).

The text is read as the tokens of the SPARQL 1.1 grammar's terminals
(https://www.w3.org/TR/sparql11-query/#terminals): IRIs, prefixed names (their ``\\#`` escapes
included), variables, strings (short and long, with their escapes), numbers, language tags,
comments and punctuation. IRIs, strings and comments are opaque: a keyword inside one is not a
keyword. Input that does not tokenize (an unterminated string, a stray character) is refused
before any engine sees it. Decisions are taken on those tokens, never on the raw text: a ``#``
inside an IRI does not start a comment, ``"see WHERE clause"`` is one string, ``?service`` is a
variable and ``service:`` a prefix.

A request refused for its ``SERVICE`` or ``LOAD`` can be parsed by the engine first, with
nothing reached and nothing run (:func:`for_parsing`, :func:`check`'s ``parses``): a malformed
one is then answered as malformed (400), not as refused (403).

One ambiguity of the grammar is resolved on the safe side: ``<`` starts an IRI whenever an IRI
can be read there (``?a<?b&&?c>?d`` is read as ``?a``, an IRI, ``?d``). Such an IRI cannot hold
whitespace, braces or another ``<``, so it can never hide a usable ``SERVICE`` or ``LOAD``: those
need whitespace or a ``<`` after them and a ``{`` or an IRI to follow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from kg.errors import QueryError, QueryRefused

MAX_DEPTH = 200  # nesting of braces, parentheses and brackets (engines' recursive parsers overflow beyond)
# Tokens outside data blocks (``VALUES``, ``INSERT DATA``, ``DELETE DATA``). pyoxigraph 0.5 builds
# one level of its algebra per operator and walks it recursively: a flat chain crashes the process
# (SIGSEGV, a stack overflow) from about 9,300 ``!`` in a row, 6,500 ``UNION``s, 2,550 ``MINUS`` or
# ``BIND`` clauses (measured, each in a fresh process). 5,000 tokens keep every such chain below
# its crash point (a ``BIND`` is 6 tokens, a ``!`` one); data blocks are read iteratively.
MAX_TOKENS = 5_000

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\[\s\S]"  # an escape: the engine judges whether it is a valid one

_TOKENS = re.compile(
    "|".join(
        (
            r"(?P<ws>[ \t\r\n]+)",
            r"(?P<comment>#[^\r\n]*)",
            r"(?P<iri><(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)",
            f"(?P<string>'''(?:'{{0,2}}(?:[^'\\\\]|{_ECHAR}))*'''"
            f'|"""(?:"{{0,2}}(?:[^"\\\\]|{_ECHAR}))*"""'
            f"|'(?:[^'\\\\\\r\\n]|{_ECHAR})*'"
            f'|"(?:[^"\\\\\\r\\n]|{_ECHAR})*")',
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            f"(?P<var>[?$]{_VARNAME})",
            r"(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)",
            r"(?P<word>[A-Za-z][A-Za-z0-9_]*)",
            r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*+\-/!=<>^|?$])",
        )
    )
)
_UNTERMINATED = re.compile(r"'''|\"\"\"|'|\"")
_OPEN, _CLOSE = "{([", "})]"

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_OPERATIONS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
OUTSIDE = ("SERVICE", "LOAD")  # keywords that make the engine reach outside the store


@dataclass(frozen=True)
class Token:
    kind: str  # iri, string, pname, bnode, var, lang, number, word, punct
    text: str
    start: int
    end: int
    depth: int  # braces, parentheses and brackets open before the token

    @property
    def keyword(self) -> str | None:
        """The token as an upper-case keyword, when it is a bare word (``a`` stays ``a``)."""
        return self.text.upper() if self.kind == "word" and self.text != "a" else None


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL text, comments and whitespace left out.

    Raises :class:`~kg.errors.QueryError` on input that is not made of SPARQL tokens: an
    unterminated string, a character no token can start with, unbalanced or too deep nesting.
    """
    out: list[Token] = []
    stack: list[str] = []
    pos, size = 0, len(text)
    while pos < size:
        m = _TOKENS.match(text, pos)
        if m is None or m.end() == pos:
            raise QueryError(_stray(text, pos))
        kind = m.lastgroup or ""
        value = m.group()
        if kind not in ("ws", "comment"):
            if kind == "punct" and value in _OPEN:
                out.append(Token(kind, value, pos, m.end(), len(stack)))
                stack.append(value)
                if len(stack) > MAX_DEPTH:
                    raise QueryError(f"nested more than {MAX_DEPTH} levels deep (at character {pos + 1})")
            elif kind == "punct" and value in _CLOSE:
                if not stack or _OPEN.index(stack[-1]) != _CLOSE.index(value):
                    raise QueryError(f"unbalanced {value!r} at {_where(text, pos)}")
                stack.pop()
                out.append(Token(kind, value, pos, m.end(), len(stack)))
            else:
                out.append(Token(kind, value, pos, m.end(), len(stack)))
        pos = m.end()
    if stack:
        raise QueryError(f"{stack[-1]!r} is never closed")
    return out


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


def _stray(text: str, pos: int) -> str:
    if _UNTERMINATED.match(text, pos):
        return f"unterminated string starting at {_where(text, pos)}"
    return f"unexpected character {text[pos]!r} at {_where(text, pos)}"


@dataclass
class Operation:
    """What a SPARQL request is and names, read from its tokens."""

    kind: str  # "query" or "update"
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE or ASK (queries)
    operations: list[str]  # the update's operations in order (INSERT DATA, DELETE WHERE, MODIFY, LOAD, ...)
    base: str | None
    prefixes: dict[str, str]
    from_graphs: list[str] = field(default_factory=list)  # FROM (resolved against BASE)
    from_named: list[str] = field(default_factory=list)  # FROM NAMED
    using: list[str] = field(default_factory=list)  # USING (updates)
    using_named: list[str] = field(default_factory=list)
    with_graphs: list[str] = field(default_factory=list)  # WITH (updates)
    outside: list[str] = field(default_factory=list)  # SERVICE and LOAD, as written
    tokens: list[Token] = field(default_factory=list, repr=False)
    text: str = field(default="", repr=False)
    given_base: str | None = field(default=None, repr=False)  # the base and prefixes parse() was given
    given_prefixes: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def names_dataset(self) -> bool:
        """Whether the request chooses its own dataset (FROM, FROM NAMED, USING, WITH)."""
        return bool(self.from_graphs or self.from_named or self.using or self.using_named or self.with_graphs)


def parse(text: str, *, base: str | None = None, prefixes: Mapping[str, str] | None = None) -> Operation:
    """Read a query or an update. ``base`` is the IRI relative IRIs resolve against when the text
    declares none; ``prefixes`` are predeclared (the text's own ``PREFIX`` win)."""
    toks = tokens(text)
    _check_size(toks)
    known = dict(prefixes or {})
    op = Operation("query", None, [], base, known, tokens=toks, text=text, given_base=base,
                   given_prefixes=dict(prefixes or {}))  # fmt: skip
    i, n = 0, len(toks)
    at_start = True  # at the start of an operation (where a prologue may stand)
    while i < n:
        t = toks[i]
        kw = t.keyword
        if kw == "BASE" and i + 1 < n and toks[i + 1].kind == "iri":
            op.base = resolve(_iri(toks[i + 1]), op.base)
            i += 2
            continue
        if kw == "PREFIX" and i + 2 < n and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            known[toks[i + 1].text[:-1]] = resolve(_iri(toks[i + 2]), op.base)
            i += 3
            continue
        if kw in OUTSIDE:
            op.outside.append(kw)
        if t.depth == 0 and at_start and kw is not None:
            if kw in QUERY_FORMS and op.form is None and not op.operations:
                op.form = kw
            elif kw in UPDATE_OPERATIONS:
                op.kind = "update"
                op.operations.append(_operation_name(toks, i))
            at_start = False
        if t.depth == 0 and t.kind == "punct" and t.text == ";":
            at_start = True
        if kw in ("FROM", "USING") and t.depth == 0:
            named = i + 1 < n and toks[i + 1].keyword == "NAMED"
            j = i + 2 if named else i + 1
            if j < n and toks[j].kind in ("iri", "pname"):
                graph = term_iri(toks[j], op.base, known)
                target = {("FROM", False): op.from_graphs, ("FROM", True): op.from_named,
                          ("USING", False): op.using, ("USING", True): op.using_named}[(kw, named)]  # fmt: skip
                target.append(graph)
                i = j + 1
                continue
        if kw == "WITH" and t.depth == 0 and i + 1 < n and toks[i + 1].kind in ("iri", "pname"):
            op.with_graphs.append(term_iri(toks[i + 1], op.base, known))
        i += 1
    if op.kind == "update":
        op.form = None
    return op


def _check_size(toks: list[Token]) -> None:
    """:class:`~kg.errors.QueryError` when the request has more than :data:`MAX_TOKENS` tokens
    outside its data blocks (the ``{...}`` after ``VALUES ...`` or ``DATA``)."""
    if len(toks) <= MAX_TOKENS:
        return
    counted, i, n = 0, 0, len(toks)
    while i < n:
        kw = toks[i].keyword
        if kw in ("VALUES", "DATA"):
            j = i + 1
            while j < n and toks[j].text != "{":
                j += 1
            end = _block_end(toks, j)
            if end is not None:
                counted += j - i + 2  # the keyword, its variables and the braces
                i = end + 1
                continue
        counted += 1
        if counted > MAX_TOKENS:
            raise QueryError(f"the request is too long: more than {MAX_TOKENS} tokens outside data blocks "
                             f"(at character {toks[i].start + 1})")  # fmt: skip
        i += 1


def _operation_name(toks: list[Token], i: int) -> str:
    kw = toks[i].keyword or ""
    nxt = toks[i + 1].keyword if i + 1 < len(toks) else None
    if kw in ("INSERT", "DELETE") and nxt in ("DATA", "WHERE"):
        return f"{kw} {nxt}"
    if kw in ("INSERT", "DELETE", "WITH"):
        return "MODIFY"
    return kw


def _iri(tok: Token) -> str:
    """The IRI of an IRI token, its ``\\u`` escapes decoded."""
    body = tok.text[1:-1]
    if "\\" not in body:
        return body
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


def term_iri(tok: Token, base: str | None, prefixes: Mapping[str, str]) -> str:
    """The absolute IRI of an IRI or prefixed-name token (relative IRIs resolved against ``base``)."""
    if tok.kind == "iri":
        return resolve(_iri(tok), base)
    prefix, _, local = tok.text.partition(":")
    if prefix not in prefixes:
        raise QueryError(f"undeclared prefix {prefix + ':'!r} at character {tok.start + 1}")
    return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)


def mentioned_iris(text: str, prefixes: Mapping[str, str] | None = None) -> set[str]:
    """Every IRI a SPARQL text mentions (prefixed names expanded; ``a`` is rdf:type)."""
    op = parse(text, prefixes=prefixes)
    found: set[str] = set()
    for t in op.tokens:
        if t.kind == "iri":
            found.add(resolve(_iri(t), op.base))
        elif t.kind == "pname" and t.text.partition(":")[0] in op.prefixes:
            found.add(term_iri(t, op.base, op.prefixes))
        elif t.kind == "word" and t.text == "a":
            found.add("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return found


# ---- refusals


@dataclass(frozen=True)
class Policy:
    """What a face allows: updates or not. ``SERVICE`` and ``LOAD`` are never allowed."""

    updates: bool = False


READ_ONLY = Policy(updates=False)


def check(op: Operation, policy: Policy = READ_ONLY, *, expect: str | None = None,
          parses: Callable[[Operation], None] | None = None) -> None:  # fmt: skip
    """Refuse what the policy forbids (:class:`~kg.errors.QueryRefused`, 403) and a query where an
    update was expected or the reverse (:class:`~kg.errors.QueryError`, 400). ``parses`` is the
    engine's parser (:func:`kg.syntax.engine_parses`): a request to be refused for its ``SERVICE``
    or ``LOAD`` goes through it first, so that a malformed one is answered as malformed."""
    if op.outside:
        if parses is not None:
            parses(op)
        word = op.outside[0]
        what = "calls another SPARQL endpoint" if word == "SERVICE" else "fetches a document from the web"
        raise QueryRefused(f"{word} is not allowed: it {what}, and this service never reaches outside its store")
    if op.kind == "update" and not policy.updates:
        raise QueryRefused(f"updates are not allowed here ({', '.join(op.operations)}): this service is read-only")
    if expect == "query" and op.kind == "update":
        raise QueryError("this is an update, not a query: send it as an update")
    if expect == "update" and op.kind == "query" and op.form is not None:
        raise QueryError(f"this is a {op.form} query, not an update: send it as a query")


NOWHERE = "<urn:kg:nowhere>"  # where a SERVICE or LOAD points when the engine only parses a request
ASK_PROBE = "SELECT (1 AS ?kg_ask_probe)"  # an ASK asked as a SELECT with the same clauses, so that it is not run


def for_parsing(op: Operation) -> str:
    """The request's text as the engine may parse it with nothing reached and nothing run: the IRI
    (or variable) after each ``SERVICE`` and ``LOAD`` (and their ``SILENT``) replaced by
    :data:`NOWHERE`, and an ``ASK``, which engines answer at once, written as :data:`ASK_PROBE`
    (a query's solutions are only computed when read). The grammar is the same: one is
    malformed exactly when the other is."""
    toks, edits = op.tokens, []
    for i, t in enumerate(toks):
        if t.keyword == "ASK" and t.depth == 0 and op.form == "ASK":
            edits.append((t.start, t.end, ASK_PROBE))
        if t.keyword not in OUTSIDE:
            continue
        j = i + 2 if i + 1 < len(toks) and toks[i + 1].keyword == "SILENT" else i + 1
        if j < len(toks):
            target = toks[j]
            if target.kind in ("iri", "var") or (target.kind == "pname" and target.text.partition(":")[0] in op.prefixes):
                edits.append((target.start, target.end, NOWHERE))
    out = op.text
    for start, stop, replacement in reversed(edits):
        out = out[:start] + replacement + out[stop:]
    return out


def with_using(text: str, using: Iterable[str], using_named: Iterable[str], *, op: Operation | None = None) -> str:
    """The update with the protocol's ``using-graph-uri``/``using-named-graph-uri`` written in as
    ``USING`` clauses before the ``WHERE`` of each operation that reads a dataset (outer level only,
    never inside literals or sub-queries). ``DELETE WHERE { P }`` becomes ``DELETE { P } USING ...
    WHERE { P }``. An update that names its own dataset (``USING``, ``WITH``) cannot be given
    another: :class:`~kg.errors.QueryError` (the protocol's 400)."""
    using, using_named = list(using), list(using_named)
    if not using and not using_named:
        return text
    op = op or parse(text)
    if op.using or op.using_named or op.with_graphs:
        raise QueryError("the update names its dataset (USING or WITH) and the request does too (using-graph-uri)")
    clause = " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)])
    for g in [*using, *using_named]:
        check_iri(g)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on the text
    toks = op.tokens
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t.depth == 0 and t.keyword in ("INSERT", "DELETE", "WITH") and _starts_operation(toks, i):
            end = _operation_end(toks, i)
            if t.keyword == "DELETE" and i + 1 < n and toks[i + 1].keyword == "WHERE":
                body_start, body_end = i + 2, _block_end(toks, i + 2)
                if body_end is not None:  # DELETE WHERE { P } -> DELETE { P } USING ... WHERE { P }
                    pattern = text[toks[body_start].start : toks[body_end].end]
                    edits.append((t.end, toks[i + 1].end, f" {pattern} {clause} WHERE"))
            elif t.keyword == "INSERT" and i + 1 < n and toks[i + 1].keyword == "DATA":
                pass  # INSERT DATA reads no dataset
            elif t.keyword == "DELETE" and i + 1 < n and toks[i + 1].keyword == "DATA":
                pass
            else:
                where = next((k for k in range(i, end) if toks[k].depth == 0 and toks[k].keyword == "WHERE"), None)
                if where is not None:
                    edits.append((toks[where].start, toks[where].start, clause + " "))
            i = end
            continue
        i += 1
    out = text
    for start, stop, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement + out[stop:]
    return out


def _starts_operation(toks: list[Token], i: int) -> bool:
    """Whether the keyword at ``i`` starts an update operation (first token, or after ``;`` or a prologue)."""
    k = i - 1
    while k >= 0:
        prev = toks[k]
        if prev.depth == 0 and prev.text == ";":
            return True
        if prev.kind == "iri" and k >= 1 and toks[k - 1].keyword == "BASE":
            k -= 2
            continue
        if prev.kind == "iri" and k >= 2 and toks[k - 2].keyword == "PREFIX":
            k -= 3
            continue
        return False
    return True


def _operation_end(toks: list[Token], i: int) -> int:
    """The index of the ``;`` that ends the operation starting at ``i`` (or the end)."""
    for k in range(i, len(toks)):
        if toks[k].depth == 0 and toks[k].text == ";":
            return k
    return len(toks)


def _block_end(toks: list[Token], i: int) -> int | None:
    """The index of the ``}`` closing the ``{`` at ``i``."""
    if i >= len(toks) or toks[i].text != "{":
        return None
    depth = toks[i].depth
    for k in range(i + 1, len(toks)):
        if toks[k].text == "}" and toks[k].depth == depth:
            return k
    return None


# ---- IRIs

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_OK = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")


def check_iri(iri: str) -> str:
    """An absolute IRI as the grammar allows it in ``<...>``, or :class:`~kg.errors.QueryError`."""
    if not _SCHEME.match(iri) or not _IRI_OK.fullmatch(iri):
        raise QueryError(f"not an absolute IRI: {iri!r}")
    return iri


def resolve(ref: str, base: str | None) -> str:
    """``ref`` resolved against ``base`` (RFC 3986, section 5.2); ``ref`` itself when there is no base."""
    if base is None or _SCHEME.match(ref):
        return ref
    b = _split(base)
    r = _split(ref)
    r_path, b_path = r["path"] or "", b["path"] or ""
    if r["authority"] is not None:
        t = {**r, "scheme": b["scheme"], "path": _remove_dots(r_path)}
    elif r_path == "":
        t = {**b, "query": r["query"] if r["query"] is not None else b["query"], "fragment": r["fragment"]}
    else:
        if r_path.startswith("/"):
            path = _remove_dots(r_path)
        else:
            if b["authority"] is not None and b_path == "":
                merged = "/" + r_path
            else:
                merged = b_path[: b_path.rfind("/") + 1] + r_path
            path = _remove_dots(merged)
        t = {**b, "path": path, "query": r["query"], "fragment": r["fragment"]}
    return _join(t)


_PARTS = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)


def _split(iri: str) -> dict[str, str | None]:
    m = _PARTS.match(iri)
    assert m is not None  # the pattern matches every string
    return {"scheme": m.group(1), "authority": m.group(2), "path": m.group(3), "query": m.group(4), "fragment": m.group(5)}


def _join(t: Mapping[str, str | None]) -> str:
    out = f"{t['scheme']}:" if t["scheme"] is not None else ""
    if t["authority"] is not None:
        out += "//" + t["authority"]
    out += t["path"] or ""
    if t["query"] is not None:
        out += "?" + t["query"]
    if t["fragment"] is not None:
        out += "#" + t["fragment"]
    return out


def _remove_dots(path: str | None) -> str:
    """RFC 3986, section 5.2.4."""
    data, out = path or "", list[str]()
    while data:
        if data.startswith("../"):
            data = data[3:]
        elif data.startswith(("./", "/./")):
            data = data[2:]
        elif data == "/.":
            data = "/"
        elif data.startswith("/../"):
            data = data[3:]
            if out:
                out.pop()
        elif data == "/..":
            data = "/"
            if out:
                out.pop()
        elif data in (".", ".."):
            data = ""
        else:
            start = 1 if data.startswith("/") else 0
            cut = data.find("/", start)
            cut = len(data) if cut < 0 else cut
            out.append(data[:cut])
            data = data[cut:]
    return "".join(out)
