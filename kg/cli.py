"""The ``kg`` command line: a thin layer over the library.

Exit codes: 0 ok; 1 a problem was found (a readout failed to load, the graph does not conform
or is inconsistent, the store is in use); 2 bad usage or input (a malformed query, an unknown
graph or format).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from kg import __version__
from kg.errors import InconsistentGraphError, KgError, QueryError, StoreError
from kg.extract import extract
from kg.load import expand_paths, load
from kg.store import DEFAULT_STORE, GraphStore, open_store

_RULE_FAILURES = (ArithmeticError, LookupError, ValueError, TypeError, AttributeError, RecursionError)


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store",
        "store_path",
        envvar="KG_STORE",
        default=DEFAULT_STORE,
        show_default=True,
        help="The store: a directory, or a SPARQL 1.1 endpoint URL (or set KG_STORE).",
    )(f)


def _open(path: str, read_only: bool = False) -> GraphStore:
    try:
        return open_store(path, read_only=read_only)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _existing(path: str) -> GraphStore:
    from kg.remote import is_remote

    if is_remote(path):
        store = _open(path)
        try:
            store.graphs()  # reachable, and answering SPARQL
        except StoreError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        return store
    if not os.path.isdir(path):
        click.echo(f"error: no store at {path}: run `kg build PATH... --store {path}` first", err=True)
        sys.exit(2)
    return _open(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """A knowledge graph of bilateral diplomatic relations, built from readouts."""


@main.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one record per line; json: one JSON array.",
)
@click.option("--publisher", help="Publisher of the readouts (actor code such as CHN, or a name).")
@click.option("--date", "date_", help="Publication date (YYYY-MM-DD) for readouts that do not state one.")
@click.option("--quiet", "-q", is_flag=True, help="Do not report per-file errors on stderr.")
def extract_cmd(paths: tuple[str, ...], fmt: str, publisher: str | None, date_: str | None, quiet: bool) -> None:
    """Extract one GUIDE record per readout (files, directories or globs).

    \b
    Example:
        kg extract data/readouts --format jsonl > records.jsonl
    """
    _check_date(date_)
    failed = 0
    records = []
    for item in load(paths, date=date_, publisher=publisher):
        if isinstance(item, KgError):
            failed += 1
            if not quiet:
                click.echo(f"error: {item}", err=True)
            continue
        try:
            record = extract(item)
        except _RULE_FAILURES as exc:  # a rule that trips on one readout must not sink the batch
            failed += 1
            click.echo(f"error: {item.path}: extraction failed ({exc.__class__.__name__}: {exc})", err=True)
            continue
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            records.append(record)
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    if failed:
        click.echo(f"{failed} readout(s) failed", err=True)
        sys.exit(1)


def _check_date(value: str | None) -> None:
    from kg.dates import parse_iso

    if value is not None and parse_iso(value) is None:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--date")


@main.command("build")
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--publisher", help="Publisher of the readouts (actor code such as CHN, or a name).")
@click.option("--date", "date_", help="Publication date (YYYY-MM-DD) for readouts that do not state one.")
@click.option("--workers", type=click.IntRange(min=1), help="Extraction processes (default: every core).")
def build_cmd(paths: tuple[str, ...], store_path: str, publisher: str | None, date_: str | None,
              workers: int | None) -> None:  # fmt: skip
    """Build or update the knowledge graph from readouts, reasoning included.

    \b
    Example:
        kg build data/readouts ../shared/corpus --store kg-store
    """
    from kg.build import build

    _check_date(date_)
    files = list(expand_paths(paths))
    if not files:
        raise click.UsageError("no readout files under the given paths")
    store = _open(store_path)
    try:
        with click.progressbar(length=len(files), label="Reading readouts", file=sys.stderr) as bar:
            report = build(files, store, date=date_, publisher=publisher, workers=workers,
                           progress=lambda _path: bar.update(1),
                           stage=lambda name: click.echo(f"\n{name} ...", err=True))  # fmt: skip
    except InconsistentGraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    finally:
        store.close()
    for err in report.failed:
        click.echo(f"error: {err}", err=True)
    inferred = f", {report.inference.count} triples inferred in {report.inference.seconds:.2f} s" if report.inference else ""
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, {len(report.failed)} failed"
        f"{inferred}; {report.seconds.get('total', 0):.2f} s",
        err=True,
    )
    if report.failed:
        sys.exit(1)


def _query_text(query: str) -> str:
    if query.startswith("@"):
        try:
            with open(query[1:], encoding="utf-8") as fh:
                return fh.read()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {query[1:]}: {exc.strerror}", param_hint="QUERY") from None
    return query


@main.command("query")
@click.argument("query")
@store_option
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"]),
    help="Result format (turtle, ntriples, jsonld for CONSTRUCT and DESCRIBE).",
)
def query_cmd(query: str, store_path: str, fmt: str) -> None:
    """Run a SPARQL query (text, or @FILE) over all graphs; prefixes dip:, id:, prov:, oa:, skos: ... are predeclared.

    \b
    Example:
        kg query 'SELECT ?s WHERE { ?s a dip:State } LIMIT 5'
        kg query @kg/queries/supporters-of-china-on-taiwan.rq --format csv
    """
    from kg.query import format_result, run

    text = _query_text(query)
    store = _existing(store_path)
    try:
        click.echo(format_result(run(store, text), fmt), nl=False)
    except QueryError as exc:
        click.echo(f"error: malformed or refused query: {exc}", err=True)
        sys.exit(2)
    finally:
        store.close()


@main.command("export")
@store_option
@click.option(
    "--format",
    "fmt",
    default="turtle",
    show_default=True,
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
)
@click.option(
    "--graph",
    "selection",
    default="all",
    show_default=True,
    help="all, asserted, inferred, ontology, or one readout (file name or graph IRI).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of stdout.")
def export_cmd(store_path: str, fmt: str, selection: str, output: str | None) -> None:
    """Export graphs of the store.

    \b
    Example:
        kg export --format trig -o graph.trig
        kg export --graph inferred --format turtle
    """
    from kg.export import export_bytes, write_atomically

    store = _existing(store_path)
    try:
        data = export_bytes(store, fmt, selection)
    except KgError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    finally:
        store.close()
    if output:
        write_atomically(output, data)
        click.echo(f"wrote {len(data):,} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command("alignments")
@store_option
@click.option("--state", help="Only alignments involving this actor (code such as CHN or ORG:EU).")
@click.option("--issue", help="Only alignments on this issue (a label or part of one, e.g. Taiwan).")
@click.option("--relation", type=click.Choice(["supports", "opposes", "sharesStanceWith", "agreesWith", "divergesFrom"]))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def alignments_cmd(store_path: str, state: str | None, issue: str | None, relation: str | None, fmt: str) -> None:
    """List inferred alignments between actors, each with its evidence (readout file and quote).

    \b
    Example:
        kg alignments --state CHN --issue Taiwan
    """
    from kg.alignments import alignments

    store = _existing(store_path)
    try:
        found = alignments(store, state=state, issue=issue, relation=relation)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([a.as_dict() for a in found], ensure_ascii=False, indent=1))
        return
    for a in found:
        click.echo(f"{a.source} {a.relation} {a.target}  [{'; '.join(a.issues)}]")
        lines = dict.fromkeys(f'    {e.holder} {e.stance}: "{e.quote}"  ({e.file})' for e in a.evidence)
        for line in lines:  # positions from one list share their quote: print it once
            click.echo(line)
    click.echo(f"({len(found)} alignment{'s' if len(found) != 1 else ''})", err=True)


@main.command("explain")
@click.argument("source")
@click.argument("relation", type=click.Choice(["supports", "opposes", "sharesStanceWith", "agreesWith", "divergesFrom"]))
@click.argument("target")
@store_option
@click.option("--issue", help="Only evidence on this issue.")
def explain_cmd(source: str, relation: str, target: str, store_path: str, issue: str | None) -> None:
    """Explain an inferred alignment: the rule, the positions, their quotes and readouts.

    \b
    Example:
        kg explain KGZ supports CHN --issue Taiwan
    """
    from kg.alignments import DERIVATION, alignments

    store = _existing(store_path)
    try:
        found = [a for a in alignments(store, state=source, issue=issue, relation=relation)
                 if a.source == source.upper() and a.target == target.upper()]  # fmt: skip
    finally:
        store.close()
    if not found:
        click.echo(f"no inferred {source} {relation} {target}" + (f" on {issue!r}" if issue else ""), err=True)
        sys.exit(1)
    a = found[0]
    click.echo(f"{a.source} {a.relation} {a.target}")
    click.echo(f"  inferred by {DERIVATION[a.relation]}")
    for e in a.evidence:
        click.echo(f"  from position {e.position}")
        click.echo(f"    {e.holder} {e.stance} on {e.issue!r}")
        click.echo(f'    quote: "{e.quote}"')
        click.echo(f"    readout: {e.file}")


@main.command("validate")
@store_option
@click.option("--verbose", "-v", is_flag=True, help="Print the whole SHACL report.")
def validate_cmd(store_path: str, verbose: bool) -> None:
    """Validate the graph against the SHACL shapes (exit 1 when it does not conform)."""
    from kg.validate import validate

    store = _existing(store_path)
    try:
        result = validate(store)
    finally:
        store.close()
    if result.conforms:
        click.echo("conforms")
        return
    click.echo(f"does not conform: {result.results} result(s)")
    click.echo(result.text if verbose else "\n".join(result.text.splitlines()[:40]))
    sys.exit(1)


@main.command("stats")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats_cmd(store_path: str, fmt: str) -> None:
    """Counts: graphs, triples, readouts, meetings, positions by stance, alignments by relation."""
    from kg.stats import stats

    store = _existing(store_path)
    try:
        figures = stats(store)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(figures, indent=1))
        return
    for key, value in figures.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in value.items():
                click.echo(f"  {k:24} {v}")
        else:
            click.echo(f"{key:26} {value}")


@main.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (127.0.0.1 unless told otherwise).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Request threads of the WSGI server.")
@click.option("--allow-updates", is_flag=True, help="Accept SPARQL updates on /sparql.")
@click.option("--trusted-host", "trusted_hosts", multiple=True,
              help="A Host name to answer to (repeatable; default: the local names, or KG_TRUSTED_HOSTS).")  # fmt: skip
def serve_cmd(store_path: str, host: str, port: int, threads: int, allow_updates: bool,
              trusted_hosts: tuple[str, ...]) -> None:  # fmt: skip
    """Serve the query page, the SPARQL endpoint, resource pages, the graph and exports (waitress).

    \b
    Example:
        kg serve --store kg-store --port 8000
    """
    import importlib

    from waitress import serve

    web = importlib.import_module("web")  # the web layer is imported only here, never by the library
    config: dict[str, object] = {"STORE": store_path, "ALLOW_UPDATES": allow_updates}
    if trusted_hosts:
        config["TRUSTED_HOSTS"] = list(trusted_hosts)
    elif host not in ("127.0.0.1", "localhost", "::1") and "KG_TRUSTED_HOSTS" not in os.environ:
        import socket

        names = {host, socket.gethostname(), socket.getfqdn(), "127.0.0.1", "localhost", "[::1]"} - {"0.0.0.0", "::"}
        config["TRUSTED_HOSTS"] = sorted(names)
        click.echo(f"answering to Host names {', '.join(sorted(names))} (add others with --trusted-host)", err=True)
    app = web.create_app(config)
    click.echo(f"serving on http://{host}:{port}/ (store {store_path})", err=True)
    serve(app, host=host, port=port, threads=threads, ident="kg")


if __name__ == "__main__":
    main()
