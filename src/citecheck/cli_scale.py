"""Corpus-scale commands: `batch`, `index build|lookup`, `retractions update`.

Kept out of cli.py (which registers them by importing this module) so that file stays about
one manuscript; the same rules hold: one line and exit 2 on bad input, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from citecheck.cli import FORMATS, _config, _source_options, fails, main

EXTRA_HINT = "citecheck batch needs the batch extra: pip install 'citecheck[batch]'"


class _StageBars:
    """One rich progress bar per batch stage on stderr (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled, self.bar, self.tasks = enabled, None, {}

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=False)
        self.bar.start()

        def update(stage: str, done: int, total: int) -> None:
            if stage not in self.tasks:
                self.tasks[stage] = self.bar.add_task(stage, total=total)
            self.bar.update(self.tasks[stage], completed=done, total=total)

        return update

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for reports, tables and summary.html.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), help="Report format per manuscript besides json (repeatable).")
@click.option("--online", is_flag=True, help="Resolve unique references online, once each, from the client only.")
@click.option("--scheduler", help="Dask scheduler address of an existing cluster (or `scheduler` in config).")
@click.option("--workers", type=click.IntRange(min=1), help="Local cluster size (default: one per CPU).")
@click.option("--mailto", help="E-mail for Crossref's polite pool (or CITECHECK_MAILTO).")
@click.option("--api-url", help="Crossref API base URL (or CITECHECK_CROSSREF_URL).")
@click.option("--no-cache", is_flag=True, help="Do not use the HTTP cache.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="never", show_default=True, help="Exit 1 when any manuscript has a finding this severe.")
@click.option("--timeout", type=click.FloatRange(min=0), default=600.0, show_default=True, help="Seconds one manuscript may take to read, and again to check, before it becomes an error record (0: no limit).")
@_source_options
@fails
def batch(
    inputs, out_dir, formats, online, scheduler, workers, mailto, api_url, no_cache, quiet,
    fail_on, timeout, source_options,
) -> None:
    """Check every manuscript in INPUT... (files, folders, globs, CSV/JSONL manifests,
    .tar.gz/.zip) on Dask; reports per manuscript, Parquet tables and summary.html in --out.

    Exit status: 0 every input checked (and nothing reached --fail-on), 1 a finding reached
    --fail-on, 2 some input could not be used (unreadable manuscript, bad manifest or manifest
    line): its error record is written, the rest is checked."""
    from citecheck.files import InputError

    try:
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise InputError("citecheck", None, EXTRA_HINT) from None
    from citecheck import limits
    from citecheck.batch.corpus import write_corpus
    from citecheck.batch.engine import Settings, run_batch, start_client
    from citecheck.batch.inputs import expand
    from citecheck.batch.unique import UniqueResolver
    from citecheck.resolve.retractions import RetractionDB, default_path

    config = _config()
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        from citecheck.files import OutputError

        raise OutputError(out, None, f"cannot be used as the output folder ({error.strerror})") from None
    items = expand(list(inputs), out)
    if not items:
        raise InputError(" ".join(inputs), None, "no manuscripts found")
    from citecheck.cli import _network_options
    from citecheck.workflow import open_session

    network = _network_options(
        config, online, mailto, api_url, no_cache, False, True, None, source_options
    )
    index_path = network.index
    retractions = str(default_path()) if RetractionDB.cached() is not None else ""
    settings = Settings(
        config=config,
        formats=tuple(dict.fromkeys(("json", *formats))),
        online=online,
        index=index_path,
        retractions=retractions,
        timeout=timeout,
    )
    resolver = UniqueResolver()
    if index_path:
        from citecheck.resolve.index.lookup import IndexSource

        resolver.index = IndexSource(index_path)
    if online:
        from citecheck.resolve.sources.crossref import CrossrefClient

        resolver.session = open_session(network)
        resolver.network = network
        resolver.client = CrossrefClient(
            base_url=network.api_url, mailto=network.mailto or None, session=resolver.session
        )
    started = []

    def connect():
        started.append(start_client(scheduler or config.scheduler, workers or 0))
        return started[0]

    try:
        with _StageBars(not quiet and sys.stderr.isatty()) as progress:
            summary = run_batch(
                items, out, settings, resolver, connect, limits=limits.active(), on_progress=progress
            )
    finally:
        for client in started:
            cluster = None if (scheduler or config.scheduler) else client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
    tables = write_corpus(out, [item.name for item in items])
    findings = len(tables["findings"])
    click.echo(
        f"{out}: {summary.total} manuscripts ({summary.checked} checked, {summary.skipped} "
        f"unchanged, {summary.failed} unreadable), {findings} findings; "
        f"{summary.unique_references} unique references ({summary.index_lookups} looked up "
        f"in the index, {summary.online_lookups} online requests); "
        f"summary.html, manuscripts/findings/references.parquet",
        err=True,
    )
    from citecheck.batch.corpus import EXIT_UNUSABLE, exit_status

    status = exit_status(tables, len(items), fail_on)
    if status == EXIT_UNUSABLE:
        failed = sum(m.get("status") != "ok" for m in tables["manuscripts"])
        failed += len(items) - len(tables["manuscripts"])
        click.echo(
            f"citecheck: {failed} input(s) could not be checked: their error records are in "
            f"{out / 'manuscripts.parquet'}",
            err=True,
        )
    if status:
        sys.exit(status)


# --------------------------------------------------------------------------- index


@main.group()
def index() -> None:
    """A local metadata index from a Crossref or OpenAlex bulk snapshot."""


@index.command("build")
@click.argument("snapshot", type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The index file to write.")
@fails
def index_build(snapshot, output) -> None:
    """Build an index from SNAPSHOT: Crossref's public data file (gzipped JSON files of
    `items`) or an OpenAlex works snapshot (gzipped JSON Lines), a folder or one file."""
    from citecheck.resolve.index.build import build_index

    stats = build_index(snapshot, output)
    rate = stats.records / stats.seconds if stats.seconds else 0
    click.echo(
        f"{output}: {stats.records} records in {stats.seconds:.1f} s ({rate:,.0f}/s), "
        f"{stats.bytes / 1e6:.1f} MB",
        err=True,
    )


@index.command("lookup")
@click.argument("index_path", type=click.Path(dir_okay=False))
@click.argument("query")
@fails
def index_lookup(index_path, query) -> None:
    """Print the record(s) for a DOI, a PMID (digits) or a reference text, as JSON."""
    import json

    from citecheck.resolve.index.lookup import IndexSource
    from citecheck.resolve.lock import work_to_json

    source = IndexSource(index_path)
    if query.lower().startswith(("10.", "doi:", "https://doi.org/")):
        found = [w for w in [source.work(query)] if w is not None]
    elif query.isdigit():
        found = [w for w in [source.by_pmid(query)] if w is not None]
    else:
        found = [w for w, _ in source.search(query)]
    click.echo(json.dumps([work_to_json(w) for w in found], indent=2, ensure_ascii=False))


# --------------------------------------------------------------------------- retractions


@main.group()
def retractions() -> None:
    """The Retraction Watch data every check reads offline."""


@retractions.command("update")
@click.option("--url", help="Where to download the CSV (default: Crossref's GitLab copy; or CITECHECK_RETRACTIONS_URL).")
@click.option("--from", "from_file", type=click.Path(dir_okay=False), help="Import a local copy of the CSV instead of downloading.")
@fails
def retractions_update(url, from_file) -> None:
    """Download the Retraction Watch CSV Crossref publishes into the cache (online)."""
    from citecheck.files import read_input_bytes
    from citecheck.resolve.retractions import (
        DEFAULT_URL,
        build,
        decode,
        default_path,
        download,
        parse_csv,
    )

    if from_file:
        text, origin = decode(read_input_bytes(from_file)), from_file
    else:
        import requests

        from citecheck.resolve.sources.crossref import user_agent

        origin = url or os.environ.get("CITECHECK_RETRACTIONS_URL") or DEFAULT_URL
        session = requests.Session()
        session.headers["User-Agent"] = user_agent(_config().mailto or None)
        text = decode(download(session, origin))
    target = default_path()
    count = build(parse_csv(text, origin), target)
    click.echo(f"{target}: {count} Retraction Watch notices from {origin}", err=True)
