"""``kg serve``: the web app under waitress, registered as a ``kg`` command through the
``kg.commands`` entry point (so that the library's CLI never imports the web layer)."""

from __future__ import annotations

import os
import resource
import signal
import socket
import sys

import click

import kg

LOCAL = ("127.0.0.1", "localhost", "::1")


def trusted_hosts(host: str, given: tuple[str, ...]) -> list[str] | None:
    """The Host names to answer to: those given; the machine's names when bound to another address;
    None for the settings' default (the local names, or KG_TRUSTED_HOSTS)."""
    if given:
        return list(given)
    if host in LOCAL or "KG_TRUSTED_HOSTS" in os.environ:
        return None
    names = {host, socket.gethostname(), socket.getfqdn(), "127.0.0.1", "localhost", "[::1]"} - {"0.0.0.0", "::"}
    return sorted(names)


def _descriptors_for(connections: int) -> int:
    """The connection limit the process's file descriptors allow (the soft limit raised to the hard
    one when needed; 100 descriptors kept for the store and the workers)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = connections + 100
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        soft = new
    return connections if soft == resource.RLIM_INFINITY else max(1, min(connections, soft - 100))


@click.command("serve")
@click.option("--store", "store_path", envvar="KG_STORE", default=kg.DEFAULT_STORE, show_default=True,
              help="The store: a directory, or a SPARQL 1.1 endpoint URL (or set KG_STORE).")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (127.0.0.1 unless told otherwise).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=16, show_default=True, type=int, help="Request threads of the WSGI server.")
@click.option("--connection-limit", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Open connections the server keeps (more wait in the kernel's queue).")  # fmt: skip
@click.option("--idle-timeout", default=15, show_default=True, type=click.IntRange(min=1),
              help="Seconds an idle connection is kept open (idle connections never lock anyone out).")  # fmt: skip
@click.option("--allow-updates", is_flag=True, help="Accept SPARQL updates on /sparql.")
@click.option("--trusted-host", "trusted", multiple=True,
              help="A Host name to answer to (repeatable; default: the local names, or KG_TRUSTED_HOSTS).")  # fmt: skip
def serve(store_path: str, host: str, port: int, threads: int, connection_limit: int, idle_timeout: int,
          allow_updates: bool, trusted: tuple[str, ...]) -> None:  # fmt: skip
    """Serve the query page, the SPARQL endpoint, resource pages, the graph and exports (waitress).

    The store stays free for `kg build` and the other commands while it is served: what a build
    commits is served within seconds, and no page ever shows half a build.

    \b
    Example:
        kg serve --store kg-store --port 8000
    """
    from waitress import serve as waitress_serve

    from web import create_app

    config: dict[str, object] = {"STORE": store_path, "ALLOW_UPDATES": allow_updates}
    names = trusted_hosts(host, trusted)
    if names is not None:
        config["TRUSTED_HOSTS"] = names
        if not trusted:
            click.echo(f"answering to Host names {', '.join(names)} (add others with --trusted-host)", err=True)
    app = create_app(config)
    # stopped by a signal: exit normally, so that the query workers and the snapshots go with it
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    click.echo(f"serving on http://{host}:{port}/ (store {store_path})", err=True)
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="kg",
                       connection_limit=_descriptors_for(connection_limit), channel_timeout=idle_timeout,
                       cleanup_interval=max(1, idle_timeout // 3))  # fmt: skip
    finally:
        app.extensions["kg"].close()
