"""The ``kg`` command line: a thin layer over the library.

Exit codes: 0 ok; 1 a problem was found (a readout failed to load, the graph does not conform
or is inconsistent, the store is in use); 2 bad usage or input (a malformed query, an unknown
graph or format).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from typing import Any

import click

import kg
from kg.errors import KgError, NotRegular, StoreError

COMMANDS_GROUP = "kg.commands"  # extra commands (``kg serve`` comes from the web app this way)


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--store`` (or ``KG_STORE``); ``KG_STORE_UPDATE_URL`` names a server's update endpoint."""
    return click.option(
        "--store",
        "store_path",
        envvar="KG_STORE",
        default=kg.DEFAULT_STORE,
        show_default=True,
        help="The store: a directory, or a SPARQL 1.1 endpoint URL (or set KG_STORE).",
    )(f)


def update_url() -> str | None:
    return os.environ.get("KG_STORE_UPDATE_URL") or None


def fail(exc: KgError) -> None:
    """Report an error and exit with its code."""
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@contextmanager
def existing(path: str) -> Iterator[kg.GraphStore]:
    """The store a read command reads (it must exist), closed after; errors reported and exited."""
    try:
        store = kg.open_existing(path, update_url=update_url())
    except StoreError as exc:
        fail(exc)
    try:
        yield store
    finally:
        store.close()


class _Group(click.Group):
    """The command group, with the commands other packages register under the ``kg.commands``
    entry point group (``serve``), loaded only when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *(ep.name for ep in entry_points(group=COMMANDS_GROUP))})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        for ep in entry_points(group=COMMANDS_GROUP, name=cmd_name):
            command = ep.load()
            return command if isinstance(command, click.Command) else None
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(kg.__version__, prog_name="kg")
def main() -> None:
    """A knowledge graph of bilateral diplomatic relations, built from readouts."""


file_timeout_option = click.option(
    "--file-timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
    help="Seconds of extraction one file may take; beyond, that file is an error and the batch goes on "
         "(0: no limit).")  # fmt: skip


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
@file_timeout_option
def extract_cmd(paths: tuple[str, ...], fmt: str, publisher: str | None, date_: str | None, quiet: bool,
                file_timeout: float) -> None:  # fmt: skip
    """Extract one GUIDE record per readout (files, directories or globs).

    \b
    Example:
        kg extract data/readouts --format jsonl > records.jsonl
    """
    _check_date(date_)
    failed = 0
    records = []
    for item in kg.extract_all(paths, date=date_, publisher=publisher, seconds=file_timeout or None):
        if isinstance(item, NotRegular):  # not a readout file (a FIFO ...): skipped
            if not quiet:
                click.echo(f"skipped: {item}", err=True)
            continue
        if isinstance(item, KgError):
            failed += 1
            if not quiet:
                click.echo(f"error: {item}", err=True)
            continue
        record = item
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
    if value is not None and not kg.parse_date(value):
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--date")


BUILD_WAIT = 60.0  # seconds a build waits for a store that another process holds (KG_STORE_WAIT)


def build_wait() -> float:
    try:
        return max(0.0, float(os.environ.get("KG_STORE_WAIT", BUILD_WAIT)))
    except ValueError:
        raise click.BadParameter("KG_STORE_WAIT must be a number of seconds") from None


@contextmanager
def writable(path: str) -> Iterator[kg.GraphStore]:
    """The store a writing command changes (waiting a while for another process to let it go),
    closed after; errors reported and exited."""
    try:
        store = kg.open_store(path, update_url=update_url(), wait=build_wait())
    except StoreError as exc:
        fail(exc)
    try:
        yield store
    except KgError as exc:
        fail(exc)
    finally:
        store.close()


def say_what_happened(report: Any) -> None:
    """A change's report, a line per file that failed, was skipped or was removed, and per note."""
    for err in report.failed:
        click.echo(f"error: {err}", err=True)
    for err in report.skipped:
        click.echo(f"skipped: {err}", err=True)
    for name in report.removed:
        click.echo(f"removed: {name}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)


@main.command("build")
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--publisher", help="Publisher of the readouts (actor code such as CHN, or a name).")
@click.option("--date", "date_", help="Publication date (YYYY-MM-DD) for readouts that do not state one.")
@click.option("--workers", type=click.IntRange(min=1), help="Extraction processes (default: every core).")
@click.option("--reasoning", type=click.Choice(["auto", "incremental", "full"]), default="auto", show_default=True,
              help="Update what is inferred by what changed (incremental), recompute it (full), or choose by the "
                   "size of the change (auto).")  # fmt: skip
@click.option("--replace", is_flag=True,
              help="Let a readout replace the one of the same path built from another folder (else that is its error).")
@click.option("--prune", "prune", multiple=True, type=click.Path(file_okay=False),
              help="Remove the readouts built from under this folder whose file is gone (repeatable).")
@file_timeout_option
def build_cmd(paths: tuple[str, ...], store_path: str, publisher: str | None, date_: str | None,
              workers: int | None, reasoning: str, replace: bool, prune: tuple[str, ...],
              file_timeout: float) -> None:  # fmt: skip
    """Build or update the knowledge graph from readouts, reasoning included.

    \b
    Example:
        kg build data/readouts ../shared/corpus --store kg-store
    """
    _check_date(date_)
    files = kg.expand_paths(paths)
    if not files:
        raise click.UsageError("no readout files under the given paths")
    incremental = {"auto": None, "incremental": True, "full": False}[reasoning]
    with writable(store_path) as store, click.progressbar(length=len(files), label="Reading readouts",
                                                          file=sys.stderr) as bar:  # fmt: skip
        report = kg.build(list(paths), store, date=date_, publisher=publisher, workers=workers, tallies="later",
                          incremental=incremental, replace=replace, prune=prune, file_seconds=file_timeout or None,
                          progress=lambda _path: bar.update(1),
                          stage=lambda name: click.echo(f"\n{name} ...", err=True))  # fmt: skip
    say_what_happened(report)
    removed = f", {len(report.removed)} removed" if prune else ""
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged{removed}{skipped}, "
        f"{len(report.failed)} failed{_inferred(report)}; {report.seconds.get('total', 0):.2f} s",
        err=True,
    )
    if report.tallies == "later":
        click.echo("the whole-collection tallies are being refreshed in the background (a few seconds)", err=True)
    if report.failed:
        sys.exit(1)


@main.command("remove")
@click.argument("readouts", nargs=-1, required=True)
@store_option
def remove_cmd(readouts: tuple[str, ...], store_path: str) -> None:
    """Remove readouts from the store, with what was inferred from them.

    A readout is named by its file's path, its name in the store (the path relative to the folder
    it was built from) or its IRI. Nothing is removed when one of them is not in the store.

    \b
    Example:
        kg remove data/readouts/wang-yi-kazakbaev-2020-11-16.txt
    """
    with writable(store_path) as store:
        report = kg.remove(store, list(readouts), tallies="later", stage=lambda name: click.echo(f"{name} ...", err=True))
    say_what_happened(report)
    click.echo(f"{len(report.removed)} removed{_inferred(report)}; {report.seconds.get('total', 0):.2f} s", err=True)


def _inferred(report: Any) -> str:
    if report.inference is not None:
        return f", {report.inference.count} triples inferred in {report.inference.seconds:.2f} s"
    if report.delta is not None:
        d = report.delta
        return f", inferred graph updated by what changed (+{len(d.added)} -{len(d.removed)} triples in {d.seconds:.2f} s)"
    return ""


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
    type=click.Choice(kg.query_formats()),
    help="Result format (a graph format such as turtle for CONSTRUCT and DESCRIBE).",
)
def query_cmd(query: str, store_path: str, fmt: str) -> None:
    """Run a SPARQL query (text, or @FILE) over all graphs; prefixes dip:, id:, prov:, oa:, skos: ... are predeclared.

    \b
    Example:
        kg query 'SELECT ?s WHERE { ?s a dip:State } LIMIT 5'
        kg query @kg/queries/supporters-of-china-on-taiwan.rq --format csv
    """
    text = _query_text(query)
    with existing(store_path) as store:
        try:
            click.echo(kg.format_result(kg.query(store, text), fmt), nl=False)
        except KgError as exc:
            fail(exc)


@main.command("export")
@store_option
@click.option(
    "--format",
    "fmt",
    default="turtle",
    show_default=True,
    type=click.Choice(kg.export_formats()),
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
    with existing(store_path) as store:
        try:
            data = kg.export(store, fmt, selection)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    if output:
        kg.write_atomically(output, data)
        click.echo(f"wrote {len(data):,} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command("alignments")
@store_option
@click.option("--state", help="Only alignments involving this actor (code such as CHN or ORG:EU).")
@click.option("--issue", help="Only alignments on this issue (a label or part of one, e.g. Taiwan).")
@click.option("--relation", type=click.Choice(kg.relations()))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def alignments_cmd(store_path: str, state: str | None, issue: str | None, relation: str | None, fmt: str) -> None:
    """List inferred alignments between actors, each with its evidence (readout file and quote).

    \b
    Example:
        kg alignments --state CHN --issue Taiwan
    """
    with existing(store_path) as store:
        found = kg.alignments(store, state=state, issue=issue, relation=relation)
    if fmt == "json":
        click.echo(json.dumps([a.as_dict() for a in found], ensure_ascii=False, indent=1))
        return
    for a in found:
        click.echo(f"{a.source} {a.relation} {a.target}  [{'; '.join(a.issues)}]")
        for e in a.evidence:  # every position behind the relation, each with its quote and readout
            click.echo(f'    {e.holder} {e.stance} on {e.issue!r}: "{e.quote}"  ({e.file})')
    click.echo(f"({len(found)} alignment{'s' if len(found) != 1 else ''})", err=True)


@main.command("explain")
@click.argument("source")
@click.argument("relation", type=click.Choice(kg.relations()))
@click.argument("target")
@store_option
@click.option("--issue", help="Only evidence on this issue.")
def explain_cmd(source: str, relation: str, target: str, store_path: str, issue: str | None) -> None:
    """Explain an inferred alignment: the rule, the positions, their quotes and readouts.

    \b
    Example:
        kg explain KGZ supports CHN --issue Taiwan
    """
    with existing(store_path) as store:
        a = kg.explain(store, source, relation, target, issue=issue)
    if a is None:
        click.echo(f"no inferred {source} {relation} {target}" + (f" on {issue!r}" if issue else ""), err=True)
        sys.exit(1)
    click.echo(f"{a.source} {a.relation} {a.target}  ({len(a.evidence)} position{'s' if len(a.evidence) != 1 else ''})")
    click.echo(f"  inferred by {kg.derivation(a.relation)}")
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
    with existing(store_path) as store:
        result = kg.validate(store)
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
    with existing(store_path) as store:
        figures = kg.stats(store)
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


if __name__ == "__main__":
    main()
