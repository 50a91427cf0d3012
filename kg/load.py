"""Load readouts from files: plain text, HTML and Markdown with YAML front matter.

In: paths (files, directories, glob patterns). Out: one :class:`Readout` per file, or a
:class:`~kg.errors.ReadoutError` for a file that cannot be read, so a batch goes on past bad files.

A readout keeps its exact decoded text so that character offsets stay valid: for plain text and
Markdown that is the file's text (a UTF-8 byte-order mark dropped); for HTML it is the visible
text the parser extracted (title, blank line, one paragraph per block). ``body_start`` and
``body_end`` delimit the readout's body inside that text, leaving out the title and web-page
leftovers ("Home > ...", "Suggest To A Friend:", "###").

Metadata (title, date, publisher, source URL) comes from, in increasing priority: the text,
a sidecar ``INDEX.tsv`` beside the files (columns ``file``, ``source``, ``date``, ``title``),
HTML meta tags or front matter, and explicit overrides.
"""

from __future__ import annotations

import codecs
import csv
import glob
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date as _date
from html.parser import HTMLParser
from pathlib import Path

import yaml
from charset_normalizer import from_bytes

from kg.errors import NotRegular, ReadoutError

MAX_BYTES = 5 * 1024 * 1024
READOUT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml"}
SKIP_NAMES = re.compile(r"^(readme|index|license|licence|changelog)(\.[a-z]+)?$", re.IGNORECASE)
SIDECAR = "INDEX.tsv"

# Lines that are web-page furniture, not readout text.
_LEFTOVER = re.compile(
    r"^\s*(home\s*[>»›].*|you are here:?.*|suggest to a friend:?|print|share|share this:?|close|"
    r"e-?mail|tweet|back to top|top|\\?#{3,}|\*{3,}|-{3,}|related (news|articles|links):?|"
    r"\[?\s*(print|close|e-mail)\s*\]?(\s*\[?\s*(print|close|e-mail)\s*\]?)*)\s*$",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@dataclass(frozen=True)
class Readout:
    """One loaded readout: exact text plus the metadata found for it."""

    path: str
    text: str
    body_start: int
    body_end: int
    title: str | None = None
    date: str | None = None  # publication date, ISO "YYYY-MM-DD" (or "YYYY-MM")
    publisher: str | None = None  # an actor code or a publisher's name, as found
    source_url: str | None = None
    format: str = "text"
    name: str = ""  # its identity: the path relative to the folder it was built from ("sub/file.txt")
    root: str = ""  # that folder, absolute

    @property
    def file(self) -> str:
        return os.path.basename(self.path)

    @property
    def relpath(self) -> str:
        return self.name or self.file

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, path: str) -> str:
    """Decode bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy encoding."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadoutError(path, f"undecodable UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise ReadoutError(path, "binary file (NUL bytes), not a text readout")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is None or best.encoding is None:
        raise ReadoutError(path, "undecodable: not UTF-8 and no legacy encoding fits")
    # Equally good guesses: prefer Windows-1252, by far the commonest legacy encoding of readouts.
    for m in matches:
        if m.encoding == "cp1252" and m.chaos <= best.chaos and m.coherence >= best.coherence:
            best = m
            break
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadoutError(path, f"undecodable as {best.encoding}") from None
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > 0.01 * min(len(text), 20000):
        raise ReadoutError(path, "binary file (control characters), not a text readout")
    return text


# --------------------------------------------------------------------------- plain text


def _lines(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each line in text[start:end], newline excluded."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


def _is_leftover(line: str) -> bool:
    return bool(_LEFTOVER.match(line))


def _body_bounds(text: str, start: int) -> tuple[int, int]:
    """Body of text from ``start``: blank and leftover lines trimmed at both ends."""
    spans = [(a, b) for a, b in _lines(text, start) if text[a:b].strip() and not _is_leftover(text[a:b])]
    if not spans:
        return start, start
    return spans[0][0], spans[-1][1]


def parse_text(text: str, path: str) -> Readout:
    """A plain-text readout: optional leftovers, a title line, then the body."""
    title: str | None = None
    body_from = 0
    for a, b in _lines(text):
        line = text[a:b].strip()
        if not line or _is_leftover(line):
            continue
        title, body_from = line, b
        break
    body_start, body_end = _body_bounds(text, body_from)
    return Readout(path=path, text=text, body_start=body_start, body_end=body_end, title=title)


# --------------------------------------------------------------------------- markdown

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)


def _meta_str(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).replace("\\_", " ").replace("\u00a0", " ").strip()
    return re.sub(r"\s+", " ", s) or None


class _BadDate(ValueError):
    """A value written as an ISO date that is no date (2021-02-30)."""


def _iso(value: object) -> str | None:
    """An ISO date ("YYYY-MM-DD", or "YYYY-MM") from a metadata value; None when the value is no
    ISO date at all; :class:`_BadDate` when it is written as one but names no day of the calendar."""
    s = _meta_str(value)
    if not s:
        return None
    m = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)", s)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    try:
        _date(year, month, day)
    except ValueError:
        raise _BadDate(m.group(0)) from None
    return m.group(0) if m.group(3) or _ISO_DATE.match(s) else None


def _iso_or_none(value: object) -> str | None:
    """As :func:`_iso`, a date that names no day read as no date (for hints such as HTML meta tags)."""
    try:
        return _iso(value)
    except _BadDate:
        return None


# The safe loader, in C when PyYAML has libyaml (eight times faster: front matter was most of loading),
# with timestamps left as text (validated here: "2021-02-30" is one file's error, not a traceback).
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
    }


FRONT_MATTER_MAX = 64 * 1024  # bytes of YAML front matter read at most
FRONT_MATTER_DEPTH = 20  # nesting of mappings and sequences in it


def front_matter(source: str, path: str) -> object:
    """The YAML front matter, read with bounds: no aliases (an alias bomb of a few hundred bytes
    expands to gigabytes), at most :data:`FRONT_MATTER_MAX` characters and
    :data:`FRONT_MATTER_DEPTH` levels; anything else a :class:`ReadoutError` of this file."""
    if len(source) > FRONT_MATTER_MAX:
        raise ReadoutError(path, f"YAML front matter too large ({len(source):,} characters; "
                                 f"the limit is {FRONT_MATTER_MAX:,})")
    try:
        depth = 0
        for event in yaml.parse(source, Loader=_Loader):  # events only: nothing is expanded yet
            if isinstance(event, yaml.AliasEvent):
                raise ReadoutError(path, "YAML front matter uses aliases (*name), which are refused")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > FRONT_MATTER_DEPTH:
                    raise ReadoutError(path, f"YAML front matter nested deeper than {FRONT_MATTER_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(source, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ReadoutError(path, f"malformed YAML front matter: {exc.__class__.__name__}") from None


def _front_date(meta: dict[str, object], path: str) -> str | None:
    for key in ("date", "published_time", "published"):
        try:
            found = _iso(meta.get(key))
        except _BadDate as exc:
            raise ReadoutError(path, f"invalid date in front matter: {key}: {exc} is no day of the calendar") from None
        if found:
            return found
    return None


# Markdown read as text, one character for one (offsets still index the file): markup becomes
# spaces and a hard-wrapped line joins the next ("the United\nStates" reads "the United States").
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_MD_MARKUP = re.compile(
    r"<[A-Za-z/][^<>\n]{0,80}>|\*\*|__|\\(?=[\\`*_{}\[\]()#+\-.!|])|(?m:^[ \t]{0,3}#{1,6}(?=[ \t]))|\u00a0"
)
_MD_SUP = re.compile(r"(\w)<(sup|sub)>(\w{1,12})</\2>")
_MD_HEADING = re.compile(r"[ \t]{0,3}(?:#|\||---|\*\*\*|___)")
_MD_BLOCK = re.compile(r"[ \t]*(?:[-*+][ \t]|\d{1,3}[.)][ \t]|#|>|\||---|\*\*\*|___|$)")


def markdown_text(text: str, start: int = 0) -> str:
    """``text`` as plain text, the same length: the front matter before ``start`` becomes blank
    lines; from ``start`` on, links keep their words, emphasis, heading marks, HTML tags and escapes
    become spaces, and a line wrapped inside a paragraph joins the next with a space."""
    body = text[start:]
    lines = body.split("\n")
    joined = []
    for i, line in enumerate(lines):
        wraps = (
            i + 1 < len(lines)
            and line.strip() != ""
            and not _MD_HEADING.match(line)
            and not _MD_BLOCK.match(lines[i + 1])
        )
        joined.append(line + (" " if wraps else "\n"))
    body = "".join(joined)[: len(body)]
    # "21<sup>st</sup>": the letters join the number ("21st"), the tags' characters follow as spaces
    body = _MD_SUP.sub(lambda m: m.group(1) + m.group(3) + " " * (len(m.group(0)) - 1 - len(m.group(3))), body)
    body = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group(0)) - len(m.group(1)) - 1), body)
    body = _MD_MARKUP.sub(lambda m: " " * len(m.group(0)), body)
    return re.sub(r"[^\n]", " ", text[:start]) + body  # the front matter is metadata, read apart


def parse_markdown(text: str, path: str) -> Readout:
    """Markdown with optional YAML front matter (title, date, source_url, publisher), read as text
    (:func:`markdown_text`)."""
    m = _FRONT.match(text)
    meta: dict[str, object] = {}
    start = 0
    if m:
        loaded = front_matter(m.group(1), path)
        if isinstance(loaded, dict):
            meta = {str(k).lower(): v for k, v in loaded.items()}
        start = m.end()
    title = _meta_str(meta.get("title"))
    if title is None:
        r = parse_text(text[start:], path)
        title = r.title
        body_start, body_end = r.body_start + start, r.body_end + start
    else:
        body_start, body_end = _body_bounds(text, start)
        # A leading "# Title" heading repeats the title: skip it.
        first = text[body_start : text.find("\n", body_start) if "\n" in text[body_start:] else body_end]
        if first.lstrip().startswith("#") and not first.lstrip().startswith("\\#"):
            body_start, body_end = _body_bounds(text, body_start + len(first))
    return Readout(
        path=path,
        text=markdown_text(text, start),
        body_start=body_start,
        body_end=body_end,
        title=title,
        date=_front_date(meta, path),
        publisher=_meta_str(meta.get("publisher") or meta.get("source") or meta.get("author")),
        source_url=_meta_str(meta.get("source_url") or meta.get("url") or meta.get("canonical")),
        format="markdown",
    )


# --------------------------------------------------------------------------- HTML

_BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "br",
    "tr",
    "section",
    "article",
    "blockquote",
    "pre",
    "td",
    "dd",
    "dt",
    "main",
    "body",
}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "svg",
    "iframe",
    "head",
}
_VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "source", "wbr"}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.h1: list[str] = []
        self.blocks: list[str] = []
        self._cur: list[str] = []
        self._skip = 0
        self._in_title = False
        self._in_h1 = False
        self._time: str | None = None

    def _flush(self) -> None:
        s = re.sub(r"\s+", " ", "".join(self._cur)).strip()
        if s:
            self.blocks.append(s)
        self._cur = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
            return
        if tag == "time" and a.get("datetime") and self._time is None:
            self._time = a["datetime"]
        if tag == "title":
            self._in_title = True
            return
        if tag in _SKIP and tag not in _VOID:
            self._skip += 1
            return
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip:
            self._cur.append(data)
            if self._in_h1:
                self.h1.append(data)


def parse_html(source: str, path: str) -> Readout:
    """An HTML page: title, body paragraphs, date and canonical URL from meta tags."""
    parser = _HTMLText()
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser's rare hard failures
        raise ReadoutError(path, f"unparsable HTML ({exc})") from None
    parser._flush()
    meta = parser.meta
    title = _meta_str(meta.get("og:title") or meta.get("dc.title") or " ".join(parser.h1) or " ".join(parser.title_parts))
    blocks = [b for b in parser.blocks if not _is_leftover(b)]
    if title and blocks and re.sub(r"\s+", " ", blocks[0]) == title:
        blocks = blocks[1:]
    head = (title or "") + "\n\n"
    text = head + "\n\n".join(blocks) + ("\n" if blocks else "")
    date = None
    for key in (
        "article:published_time",
        "dc.date",
        "dcterms.date",
        "date",
        "pubdate",
        "publishdate",
        "og:published_time",
        "dc.date.issued",
    ):
        date = _iso_or_none(meta.get(key))
        if date:
            break
    date = date or _iso_or_none(parser._time)
    publisher = _meta_str(
        meta.get("og:site_name") or meta.get("dc.publisher") or meta.get("publisher") or meta.get("author")
    )
    return Readout(
        path=path,
        text=text,
        body_start=len(head),
        body_end=len(text.rstrip()),
        title=title,
        date=date,
        publisher=publisher,
        source_url=_meta_str(meta.get("canonical") or meta.get("og:url")),
        format="html",
    )


# --------------------------------------------------------------------------- sidecar index


def read_sidecar(directory: str) -> dict[str, dict[str, str]]:
    """The rows of ``directory/INDEX.tsv`` keyed by file name ({} when there is none)."""
    index = os.path.join(directory, SIDECAR)
    if not os.path.isfile(index):
        return {}
    rows: dict[str, dict[str, str]] = {}
    try:
        with open(index, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                name = (row.get("file") or "").strip()
                if name:
                    rows[name] = {k: (v or "").strip() for k, v in row.items() if k}
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return rows


# --------------------------------------------------------------------------- entry points


def _format_of(path: str, text: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "markdown"
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(head|body)[\s>]", head):
        return "html"
    if text.startswith(("---\n", "---\r\n")):
        return "markdown"
    return "text"


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFDIR: "a directory"}  # fmt: skip


def _read_regular(path: str) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_BYTES`. Opened without blocking and checked
    on the open descriptor, so that a FIFO, a device or a socket (or a file swapped for one) is
    refused at once instead of blocking the batch."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise NotRegular(path, f"{kind}, not a readout file")
        if info.st_size > MAX_BYTES:
            raise ReadoutError(path, f"too large ({info.st_size:,} bytes; the limit is {MAX_BYTES:,})")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise ReadoutError(path, f"too large (over {MAX_BYTES:,} bytes, the limit)")
        return b"".join(chunks)
    finally:
        os.close(fd)


# Characters no serialization can carry (NUL, C0 controls but tab, newline, carriage return and the
# line separators \x0b and \x0c, lone surrogates), replaced one for one so that offsets stay valid.
_UNCARRIED = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean(text: str) -> str:
    """``text`` with every character no serialization can carry replaced by U+FFFD, one for one."""
    return _UNCARRIED.sub(REPLACEMENT, text)


def relative_name(path: str, root: str | None) -> tuple[str, str]:
    """(the path relative to ``root`` with ``/`` separators, the absolute root); ``root`` defaults
    to the file's folder."""
    absolute = os.path.abspath(path)
    folder = os.path.abspath(root) if root else os.path.dirname(absolute)
    rel = os.path.relpath(absolute, folder)
    if rel.startswith(os.pardir + os.sep) or rel == os.pardir:
        folder, rel = os.path.dirname(absolute), os.path.basename(absolute)
    return rel.replace(os.sep, "/"), folder


def load_file(
    path: str, *, sidecar: dict[str, str] | None = None, date: str | None = None, publisher: str | None = None,
    root: str | None = None,
) -> Readout:
    """Load one readout file; raise :class:`ReadoutError` with a clear reason when it cannot.
    ``root``: the folder the build started from (its identity is the path relative to it)."""
    try:
        data = _read_regular(path)
    except FileNotFoundError:
        raise ReadoutError(path, "no such file") from None
    except IsADirectoryError:
        raise ReadoutError(path, "is a directory") from None
    except OSError as exc:
        raise ReadoutError(path, f"cannot read ({exc.strerror})") from None
    if not data.strip():
        raise ReadoutError(path, "empty file")
    text = clean(decode(data, path))
    fmt = _format_of(path, text)
    if fmt == "html":
        readout = parse_html(text, path)
        readout = replace(readout, text=clean(readout.text))  # character references decode to anything
    elif fmt == "markdown":
        readout = parse_markdown(text, path)
    else:
        readout = parse_text(text, path)
    if not readout.body.strip() or not re.search(r"[^\W\d_]{2}", readout.body):
        raise ReadoutError(path, "no body text")
    side = sidecar or {}
    name, folder = relative_name(path, root)
    readout = replace(
        readout,
        name=name,
        root=folder,
        title=readout.title or side.get("title") or None,
        date=date or readout.date or _iso_or_none(side.get("date")),
        publisher=publisher or readout.publisher or side.get("source") or side.get("publisher") or None,
        source_url=readout.source_url or side.get("url") or side.get("source_url") or None,
    )
    return readout


def expand(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """(file, the folder it is named from) for each file named by paths: files as given (their own
    folder), directories walked (sorted; the directory), globs expanded (the pattern's folder
    before its first wildcard). A path that names nothing is passed through, so that loading it
    reports "no such file"."""
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if Path(name).suffix.lower() in READOUT_SUFFIXES and not SKIP_NAMES.match(name):
                        yield os.path.join(root, name), p
        elif not os.path.exists(p) and glob.has_magic(p):
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                yield p, None
            parts = Path(p).parts
            fixed = [part for part in parts[: next(i for i, part in enumerate(parts) if glob.has_magic(part))]]
            base = str(Path(*fixed)) if fixed else os.curdir
            for m in matches:
                if os.path.isdir(m):
                    yield from ((f, base) for f, _ in expand([m]))
                else:
                    yield m, base
        else:
            yield p, None


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """The files named by paths (see :func:`expand`)."""
    for path, _root in expand(paths):
        yield path


def load(paths: Iterable[str], *, date: str | None = None, publisher: str | None = None) -> Iterator[Readout | ReadoutError]:
    """Load every readout under ``paths``; a file that fails yields its :class:`ReadoutError`."""
    return load_entries(expand(paths), date=date, publisher=publisher)


def load_entries(entries: Iterable[tuple[str, str | None]], *, date: str | None = None,
                 publisher: str | None = None) -> Iterator[Readout | ReadoutError]:  # fmt: skip
    """Load each (file, folder) that :func:`expand` gives."""
    sidecars: dict[str, dict[str, dict[str, str]]] = {}
    for path, root in entries:
        directory = os.path.dirname(os.path.abspath(path))
        if directory not in sidecars:
            sidecars[directory] = read_sidecar(directory)
        try:
            yield load_file(path, sidecar=sidecars[directory].get(os.path.basename(path)), date=date,
                            publisher=publisher, root=root)  # fmt: skip
        except ReadoutError as exc:
            yield exc
