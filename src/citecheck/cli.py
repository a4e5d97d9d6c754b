"""The command line: the only module that prints, reads environment variables, or picks exit codes.

Exit codes: 0 nothing reached --fail-on, 1 something did, 2 citecheck could not run.
Heavy modules are imported inside commands so `citecheck --version` starts fast.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys

import click

from citecheck import __version__

EXIT_FINDINGS, EXIT_UNUSABLE = 1, 2  # 0 (success) is a normal return


def _formats() -> tuple[str, ...]:
    from citecheck.reports import WRITERS  # cheap: formats load on first use

    return tuple(WRITERS)


FORMATS = _formats()


def fails(func):
    """Turn bad input into one line on stderr and exit 2; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from citecheck.errors import USER_ERRORS

        try:
            return func(*args, **kwargs)
        except USER_ERRORS as exc:
            click.echo(f"citecheck: error: {exc}", err=True)
            sys.exit(EXIT_UNUSABLE)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 -- a bug: still one line, still exit 2
            click.echo(f"citecheck: internal error: {type(exc).__name__}: {exc}", err=True)
            sys.exit(EXIT_UNUSABLE)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citecheck")
def main() -> None:
    """Check the citation integrity of a scientific manuscript."""


# --------------------------------------------------------------------------- check


@main.command()
@click.argument("manuscript", required=False, type=click.Path(dir_okay=True))
@click.option(
    "--refs", type=click.Path(), help="BibTeX reference list (instead of the manuscript's own)."
)
@click.option(
    "--claims", "claims_path", type=click.Path(), help="claims.yaml to use for claim checks."
)
@click.option(
    "--lock", "lock_path", type=click.Path(), help="Lock file (default refs/references.lock.json)."
)
@click.option("--online", is_flag=True, help="Resolve references the lock lacks against Crossref.")
@click.option("--abstracts", is_flag=True, help="With --online: fetch abstracts from Europe PMC.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(), help="Write the report to FILE (atomically).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), help="Default: error.")
@click.option("--color/--no-color", default=None, help="Colour text output (default: when a TTY).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--details",
    is_flag=True,
    help="text/markdown/html: every finding and claim, not one line per shared cause.",
)
@click.option("--mailto", help="E-mail for Crossref's polite pool (or CITECHECK_MAILTO).")
@click.option("--api-url", help="Crossref API base URL (or CITECHECK_CROSSREF_URL).")
@click.option("--no-cache", is_flag=True, help="Do not use the HTTP cache.")
@click.option("--refresh", is_flag=True, help="Ignore cached HTTP answers (fresh ones are stored).")
@click.option(
    "--report-uncited",
    is_flag=True,
    help="Report uncited entries of a .bib/CSL JSON database too (printed lists always).",
)
@fails
def check(
    manuscript,
    refs,
    claims_path,
    lock_path,
    online,
    abstracts,
    fmt,
    output,
    fail_on,
    color,
    quiet,
    details,
    mailto,
    api_url,
    no_cache,
    refresh,
    report_uncited,
) -> None:
    """Check MANUSCRIPT (default: the repository's refs/references.bib + claims/claims.yaml)."""
    from dataclasses import replace

    from citecheck import workflow
    from citecheck.config import load_config
    from citecheck.model import Severity

    config = load_config()
    if report_uncited:
        config = replace(config, report_uncited=True)
    network = _network_options(config, online, mailto, api_url, no_cache, refresh, quiet)
    with _progress(network.progress and online) as on_progress:
        result = workflow.run_check(
            config,
            manuscript=manuscript,
            refs=refs,
            claims_path=claims_path,
            lock_path=lock_path,
            network=network,
            abstracts=abstracts and online,
            on_progress=on_progress,
        )
    text = _render(result, fmt, color, output, details)
    _emit(text, output)
    threshold = fail_on or config.fail_on
    if threshold != "never" and any(
        f.severity >= Severity.parse(threshold) for f in result.findings
    ):
        sys.exit(EXIT_FINDINGS)


def _render(result, fmt: str, color: bool | None, output: str | None, details: bool) -> str:
    from citecheck.reports import WRITERS

    if fmt == "text":
        from citecheck.reports import text as text_report

        use_color = color if color is not None else (output is None and sys.stdout.isatty())
        width = shutil.get_terminal_size().columns if use_color else 100
        return text_report.render(result, color=use_color, width=width, details=details)
    if fmt in ("markdown", "html"):  # the formats people read group shared causes
        return WRITERS[fmt](result, details=details)
    return WRITERS[fmt](result)


def _emit(text: str, output: str | None) -> None:
    if output:
        from citecheck.files import atomic_write

        atomic_write(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _network_options(config, online, mailto, api_url, no_cache, refresh, quiet):
    from citecheck.workflow import NetworkOptions

    return NetworkOptions(
        online=online,
        mailto=mailto or os.environ.get("CITECHECK_MAILTO") or config.mailto,
        api_url=api_url
        or os.environ.get("CITECHECK_CROSSREF_URL")
        or config.api_url
        or "https://api.crossref.org",
        cache=not no_cache,
        refresh=refresh,
        progress=not quiet and sys.stderr.isatty(),
    )


# --------------------------------------------------------------------------- citations


@main.command()
@click.argument("manuscript", type=click.Path())
@click.option("--refs", type=click.Path(), help="BibTeX reference list.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
@fails
def citations(manuscript, refs, fmt) -> None:
    """List every in-text citation of MANUSCRIPT with what it expands to."""
    from citecheck.readers import read_manuscript

    doc = read_manuscript(manuscript, refs)
    if fmt == "json":
        import json

        rows = [_callout_json(c) for c in doc.callouts]
        click.echo(
            json.dumps({"manuscript": manuscript, "callouts": rows}, ensure_ascii=False, indent=2)
        )
        return
    for c in doc.callouts:
        where = "text" if c.in_running_text else "table"
        mention = f"  author: {c.author_mention}" if c.author_mention else ""
        problem = f"  PROBLEM: {c.problem}" if c.problem else ""
        cited = ",".join(map(str, c.numbers)) or ",".join(c.keys)
        click.echo(f"{c.location}  {c.text}  -> {cited}  [{where}]{mention}{problem}")


def _callout_json(c) -> dict:
    return {
        "location": {"path": c.location.path, "line": c.location.line, "column": c.location.column},
        "text": c.text,
        "numbers": list(c.numbers),
        "keys": list(c.keys),
        "author_mention": c.author_mention,
        "context": "text" if c.in_running_text else "table",
        "problem": c.problem,
    }


# --------------------------------------------------------------------------- claims


@main.group()
def claims() -> None:
    """Work with claims/claims.yaml."""


@claims.command("extract")
@click.argument("manuscript", type=click.Path())
@click.option("--refs", type=click.Path(), help="BibTeX reference list.")
@click.option("--output", "-o", type=click.Path(), default="claims/claims.yaml", show_default=True)
@fails
def claims_extract(manuscript, refs, output) -> None:
    """Write one claim per citing sentence; keep what a person edited in an existing file."""
    from citecheck import workflow

    count, kept = workflow.extract_claims_file(manuscript, refs, output)
    click.echo(
        f"wrote {count} claims to {output}"
        + (f" ({kept} kept from the existing file)" if kept else ""),
        err=True,
    )


# --------------------------------------------------------------------------- refs


@main.group()
def refs() -> None:
    """Work with the reference list."""


@refs.command("extract")
@click.argument("manuscript", type=click.Path())
@click.option("--output", "-o", type=click.Path(), default="refs/references.bib", show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file (a .bak copy is kept).")
@fails
def refs_extract(manuscript, output, force) -> None:
    """Parse the manuscript's reference list into BibTeX."""
    from citecheck import workflow

    count, backup = workflow.extract_refs_file(manuscript, output, force=force)
    click.echo(
        f"wrote {count} references to {output}"
        + (f" (previous file kept as {backup})" if backup else ""),
        err=True,
    )


# --------------------------------------------------------------------------- resolve


@main.command()
@click.argument("manuscript", required=False, type=click.Path())
@click.option(
    "--refs", type=click.Path(), help="BibTeX reference list (default: refs/references.bib)."
)
@click.option(
    "--lock", "lock_path", type=click.Path(), help="Lock file (default refs/references.lock.json)."
)
@click.option(
    "--online", is_flag=True, help="Ask Crossref about references the lock has not matched."
)
@click.option("--mailto", help="E-mail for Crossref's polite pool (or CITECHECK_MAILTO).")
@click.option("--api-url", help="Crossref API base URL (or CITECHECK_CROSSREF_URL).")
@click.option("--no-cache", is_flag=True, help="Do not use the HTTP cache.")
@click.option("--refresh", is_flag=True, help="Look every reference up again, bypassing the cache.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@fails
def resolve(manuscript, refs, lock_path, online, mailto, api_url, no_cache, refresh, quiet) -> None:
    """Create or refresh the lock file: what each reference matched (offline unless --online)."""
    from citecheck import workflow
    from citecheck.config import load_config

    config = load_config()
    network = _network_options(config, online, mailto, api_url, no_cache, refresh, quiet)
    with _progress(network.progress and online) as on_progress:
        entries, counts = workflow.resolve_lock(
            config,
            manuscript=manuscript,
            refs=refs,
            lock_path=lock_path,
            network=network,
            on_progress=on_progress,
        )
    summary = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items())) or "nothing"
    lock_file = lock_path or str(config.path("lock"))
    click.echo(f"{lock_file}: {entries} references locked ({summary})", err=True)


class _progress:
    """A rich progress bar on stderr while resolving; a no-op when not wanted."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("resolving references", total=None)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


# --------------------------------------------------------------------------- bib


@main.command()
@click.argument("manuscript", required=False, type=click.Path())
@click.option("--refs", type=click.Path(), help="BibTeX file (default: refs/references.bib).")
@click.option("--fix", is_flag=True, help="Write corrected BibTeX from the matched records.")
@click.option("--output", "-o", type=click.Path(), help="Where --fix writes (never the input).")
@click.option("--in-place", is_flag=True, help="With --fix: rewrite the input, keeping FILE.bak.")
@click.option(
    "--lock", "lock_path", type=click.Path(), help="Lock file (default refs/references.lock.json)."
)
@click.option(
    "--style",
    type=click.Choice(["vancouver", "gbt7714", "apa"]),
    help="Render the list in a style.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
)
@click.option("--as-written", is_flag=True, help="With --style: leave out the lock's corrections.")
@fails
def bib(manuscript, refs, fix, output, in_place, lock_path, style, fmt, as_written) -> None:
    """Write a corrected bibliography (--fix) or render it in a citation style (--style)."""
    from citecheck import workflow
    from citecheck.config import load_config

    config = load_config()
    if fix == bool(style):
        raise click.UsageError("choose one of --fix or --style")
    if fix:
        if manuscript:
            raise click.UsageError("--fix works on a BibTeX file: pass it with --refs")
        if not output and not in_place:
            raise click.UsageError("--fix needs --output FILE or --in-place")
        changed = workflow.fix_bibliography(
            config, refs=refs, lock_path=lock_path, output=output, in_place=in_place
        )
        target = output or refs or str(config.path("references"))
        click.echo(f"wrote {target} ({changed} fields corrected from matched records)", err=True)
        return
    text = workflow.styled_bibliography(
        config,
        manuscript=manuscript,
        refs=refs,
        lock_path=lock_path,
        style=style,
        fmt=fmt,
        corrected=not as_written,
    )
    _emit(text, output)


# --------------------------------------------------------------------------- rules


@main.command("rules")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def rules_command(fmt) -> None:
    """List every rule: code, slug, default severity and what it checks."""
    from citecheck.rules import RULES

    if fmt == "json":
        import json

        rows = [
            {
                "code": r.code,
                "slug": r.slug,
                "severity": r.severity.label,
                "area": r.area,
                "description": r.description,
            }
            for r in RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for r in RULES:
        click.echo(f"{r.code}  {r.slug:<26} {r.severity.label:<8} {r.description}")


if __name__ == "__main__":  # pragma: no cover
    main()
