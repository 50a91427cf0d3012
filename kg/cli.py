"""The ``kg`` command line: a thin layer over the library.

Exit codes: 0 ok, 1 a problem was found (some readout failed to load), 2 bad usage or input.
"""

from __future__ import annotations

import json
import sys

import click

from kg import __version__
from kg.extract import extract
from kg.load import load


_RULE_FAILURES = (ArithmeticError, LookupError, ValueError, TypeError, AttributeError, RecursionError)


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
    if date_ is not None and not _valid_date(date_):
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--date")
    failed = 0
    records = []
    for item in load(paths, date=date_, publisher=publisher):
        if isinstance(item, Exception):
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


def _valid_date(value: str) -> bool:
    from kg.dates import parse_iso

    return parse_iso(value) is not None
