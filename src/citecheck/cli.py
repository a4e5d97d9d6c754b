"""The command line: the only module that prints, reads environment variables, or picks exit codes.

Exit codes: 0 nothing reached --fail-on, 1 something did, 2 citecheck could not run,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Heavy modules are imported inside
commands so `citecheck --version` starts fast. Every command runs inside `fails`: the project's limits are applied, warnings
the library logs are printed as one line each, and no exception ever ends in a traceback.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys

import click

from citecheck import __version__

EXIT_FINDINGS, EXIT_UNUSABLE, EXIT_INTERRUPTED = 1, 2, 130  # 0 (success) is a normal return
EXIT_TERMINATED = 143  # SIGTERM, as a shell reports a process it killed (128 + 15)
# With --deadline, lookups stop at the deadline and the report is still written; a run still
# busy a grace period later (1 s + 10% of the deadline, at most 10 s) is stopped (exit 2).
DEADLINE_GRACE = 10.0


def _grace(deadline: float) -> float:
    return min(DEADLINE_GRACE, 1.0 + 0.1 * deadline)


def _formats() -> tuple[str, ...]:
    from citecheck.reports import WRITERS  # cheap: formats load on first use

    return tuple(WRITERS)


FORMATS = _formats()


def fails(func):
    """Run a command safely: bad input is one line on stderr and exit 2, never a traceback.

    Loads the project configuration first (a bad config is bad input too), applies its
    limits and the command's --deadline, prints logged warnings, and on Ctrl-C stops at
    once: files are written atomically, so each is as it was or completely new.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from citecheck.errors import USER_ERRORS

        try:
            with _run_context(kwargs.get("deadline")), _terminate_as_interrupt():
                return func(*args, **kwargs)
        except USER_ERRORS as exc:
            _say(f"citecheck: error: {exc}")
            sys.exit(EXIT_UNUSABLE)
        except _DeadlineReached as exc:
            _say(f"citecheck: error: {exc}")
            _exit_now(EXIT_UNUSABLE)
        except _Terminated:
            _say("citecheck: terminated; files are as they were or fully written")
            _exit_now(EXIT_TERMINATED)
        except KeyboardInterrupt:
            _say("citecheck: interrupted; files are as they were or fully written")
            _exit_now(EXIT_INTERRUPTED)
        except BrokenPipeError:  # `citecheck ... | head`: the reader left, nothing to say
            _exit_now(EXIT_UNUSABLE)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except (RecursionError, MemoryError) as exc:
            kind = "nested too deeply" if isinstance(exc, RecursionError) else "too large"
            _say(f"citecheck: error: an input is {kind} to process")
            sys.exit(EXIT_UNUSABLE)
        except OSError as exc:
            if exc.filename is None:
                _say(f"citecheck: internal error: {type(exc).__name__}: {exc}")
                sys.exit(EXIT_UNUSABLE)
            # The file system refused a path no earlier check caught (a name too long, a
            # loop of symlinks, an I/O error): the user's environment, not a bug.
            _say(f"citecheck: error: {exc.filename}: {(exc.strerror or str(exc)).lower()}")
            sys.exit(EXIT_UNUSABLE)
        except Exception as exc:  # noqa: BLE001 -- a bug: still one line, still exit 2
            _say(f"citecheck: internal error: {type(exc).__name__}: {exc}")
            sys.exit(EXIT_UNUSABLE)

    return wrapper


def _say(message: str) -> None:
    """One line on stderr, whatever a path or an input put in it (newlines, ESC, bidi)."""
    from citecheck.printable import one_line

    click.echo(one_line(message), err=True)


class _Terminated(BaseException):
    """SIGTERM (a CI job cancelled, `kill`): unwound like Ctrl-C, so temporaries are removed."""


class _terminate_as_interrupt:
    """While a command runs in the main thread, SIGTERM raises _Terminated (exit 143)."""

    def __enter__(self):
        import signal
        import threading

        self.previous = None
        if threading.current_thread() is threading.main_thread():

            def stop(signum, frame):
                raise _Terminated

            self.previous = signal.signal(signal.SIGTERM, stop)
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            import signal

            signal.signal(signal.SIGTERM, self.previous)


class _DeadlineReached(BaseException):
    """--deadline passed (plus grace) while the run was still busy.

    A BaseException, like KeyboardInterrupt, so no `except Exception` on the way swallows it.
    """


def _exit_now(code: int) -> None:
    """Exit without waiting for lookup threads (a request may take seconds to give up)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


class _run_context:
    """The project's limits (plus --deadline) for one command, and warnings on stderr."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline

    def __enter__(self):
        import contextlib
        import dataclasses
        import logging
        import time

        from citecheck import limits
        from citecheck.config import load_config

        self.stack = contextlib.ExitStack()
        try:
            config = load_config()
            bounds = config.limits
            if self.deadline is not None:
                bounds = dataclasses.replace(bounds, deadline=time.monotonic() + self.deadline)
                self.stack.enter_context(_alarm(self.deadline))
            self.stack.enter_context(limits.applied(bounds))
            logger = logging.getLogger("citecheck")
            handler = _echo_handler(logging.WARNING)
            logger.addHandler(handler)
            self.stack.callback(logger.removeHandler, handler)
        except BaseException:
            self.stack.close()
            raise
        click.get_current_context().obj = config
        return config

    def __exit__(self, *exc) -> None:
        self.stack.close()


class _alarm:
    """SIGALRM a grace period after the deadline: the backstop if work overruns."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        import signal
        import threading

        if hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread():
            seconds = self.seconds

            def stop(signum, frame):
                raise _DeadlineReached(
                    f"--deadline {seconds:g} s reached and the run was still busy; stopped"
                )

            self.previous = signal.signal(signal.SIGALRM, stop)
            signal.setitimer(signal.ITIMER_REAL, seconds + _grace(seconds))
            self.armed = True

    def __exit__(self, *exc) -> None:
        if self.armed:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def _echo_handler(level: int):
    """A logging handler printing each warning as one line (the library only logs)."""
    import logging

    class EchoHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            _say(f"citecheck: warning: {' '.join(record.getMessage().split())}")

    return EchoHandler(level)


def _config():
    """The configuration `fails` loaded for this command."""
    return click.get_current_context().obj


MAX_DEADLINE = 30 * 24 * 3600.0  # a month: past it, timers overflow and nothing is bounded


def _check_deadline(ctx, param, value):
    """A finite number of seconds in (0, a month]; NaN and inf pass FloatRange's comparisons."""
    import math

    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_DEADLINE):
        raise click.BadParameter(f"{value} is not a number of seconds in (0, {MAX_DEADLINE:g}]")
    return value


def _deadline_option(func):
    return click.option(
        "--deadline",
        type=float,
        callback=_check_deadline,
        metavar="SECONDS",
        help="Stop lookups after SECONDS (the rest become lookup-failed; the report is still "
        "written) and stop the run if it is still busy shortly after (1 s + 10%, at most "
        f"{DEADLINE_GRACE:g} s).",
    )(func)


_SOURCE_OPTIONS = (
    "sources", "pubmed_url", "openalex_url", "datacite_url", "doi_url", "ncbi_api_key", "index"
)


def _check_sources(ctx, param, value):
    from citecheck.resolve.sources.multi import parse_sources

    try:
        return parse_sources(value) if value is not None else None
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _source_options(func):
    """--sources and the other sources' base URLs and key, passed on as `source_options`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        kwargs["source_options"] = {name: kwargs.pop(name) for name in _SOURCE_OPTIONS}
        return func(*args, **kwargs)

    options = (
        click.option(
            "--sources",
            callback=_check_sources,
            metavar="LIST",
            help="Sources --online asks: crossref,pubmed,europepmc,openalex,datacite (default: all).",
        ),
        click.option("--pubmed-url", help="PubMed E-utilities base URL (or CITECHECK_PUBMED_URL)."),
        click.option("--openalex-url", help="OpenAlex API base URL (or CITECHECK_OPENALEX_URL)."),
        click.option("--datacite-url", help="DataCite API base URL (or CITECHECK_DATACITE_URL)."),
        click.option("--doi-url", help="doi.org base URL for /ra/ lookups (or CITECHECK_DOI_URL)."),
        click.option("--ncbi-api-key", help="NCBI API key: 10 PubMed requests/s (or NCBI_API_KEY)."),
        click.option(
            "--index",
            type=click.Path(dir_okay=False),
            help="Local metadata index (`citecheck index build`), matched before online sources.",
        ),
    )
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _refuse_inputs(output, config, hint: str = "", **inputs) -> None:
    """The write policy's first rule: an output is never one of the run's inputs."""
    from citecheck.files import refuse_inputs

    named = {role.replace("_", " "): path for role, path in inputs.items()}
    lock = inputs.get("lock_file") or inputs.get("lock")
    if lock:  # the evidence file beside a lock holds fetched abstracts: never a report's place
        from citecheck.claims.support.store import evidence_path

        named["evidence file"] = str(evidence_path(lock))
    if config.source:
        named["configuration"] = config.source
    refuse_inputs(output, named, hint)


class _Main(click.Group):
    """`citecheck bib fetch ...` reaches the bib-fetch command (bib itself takes a file)."""

    def resolve_command(self, ctx, args):
        if args[:2] == ["bib", "fetch"]:
            return "bib fetch", self.commands["bib-fetch"], args[2:]
        return super().resolve_command(ctx, args)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citecheck")
def main() -> None:
    """Check the citation integrity of a scientific manuscript."""


def _lang_option(help_text: str):
    """--lang zh|en, as `check` has it."""
    return click.option("--lang", type=click.Choice(["en", "zh"]), help=help_text)


def _lang(lang: str | None) -> str:
    """The language a command speaks: --lang, else as `check` chooses (from the locale)."""
    from citecheck import messages

    return lang or messages.default_lang()


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
@click.option(
    "--abstracts",
    is_flag=True,
    help="With --online: Europe PMC abstracts and open-access full text as claim evidence.",
)
@click.option("--europepmc-url", help="Europe PMC REST base URL (or CITECHECK_EUROPEPMC_URL).")
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
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    help="Language of messages, suggestions and report headings (default: from the locale).",
)
@_source_options
@_deadline_option
@fails
def check(
    manuscript,
    refs,
    claims_path,
    lock_path,
    online,
    abstracts,
    europepmc_url,
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
    lang,
    deadline,
    source_options,
) -> None:
    """Check MANUSCRIPT (default: the repository's refs/references.bib + claims/claims.yaml)."""
    from dataclasses import replace

    from citecheck import workflow
    from citecheck.model import Severity

    config = _config()
    _refuse_inputs(
        output,
        config,
        manuscript=manuscript,
        references=refs or (None if manuscript else str(config.path("references"))),
        claims=claims_path or (None if manuscript else str(config.path("claims"))),
        lock_file=lock_path or str(config.path("lock")),
    )
    if report_uncited:
        config = replace(config, report_uncited=True)
    network = _network_options(
        config, online, mailto, api_url, no_cache, refresh, quiet, europepmc_url, source_options
    )
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
    from citecheck import messages

    lang = _lang(lang)
    text = _render(messages.translate_result(result, lang), fmt, color, output, details)
    if fmt in ("text", "markdown", "html"):
        text = messages.translate_report(text, lang)
    _refuse_inputs(output, config, **result.inputs)
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
    from citecheck.printable import without_surrogates

    # A file name of non-UTF-8 bytes reaches a report as lone surrogates, which no UTF-8
    # file or terminal can hold: they are shown as U+FFFD rather than losing the report.
    text = without_surrogates(text)
    if output:
        from citecheck.files import atomic_write

        atomic_write(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _network_options(
    config, online, mailto, api_url, no_cache, refresh, quiet, europepmc_url=None, chosen=None
):
    from citecheck.workflow import NetworkOptions

    return NetworkOptions(
        **_source_settings(config, chosen or {}),
        online=online,
        mailto=mailto or os.environ.get("CITECHECK_MAILTO") or config.mailto,
        api_url=api_url
        or os.environ.get("CITECHECK_CROSSREF_URL")
        or config.api_url
        or "https://api.crossref.org",
        europepmc_url=europepmc_url
        or os.environ.get("CITECHECK_EUROPEPMC_URL")
        or config.europepmc_url
        or NetworkOptions.europepmc_url,
        cache=not no_cache,
        refresh=refresh,
        progress=not quiet and sys.stderr.isatty(),
    )


def _source_settings(config, chosen: dict) -> dict:
    """Issue 10's sources: option, else environment variable, else config, else the default."""
    from citecheck.resolve.sources import datacite, doi_agency, openalex, pubmed
    from citecheck.resolve.sources.multi import ALL_SOURCES

    def pick(name: str, env: str, default: str) -> str:
        return chosen.get(name) or os.environ.get(env) or getattr(config, name) or default

    return {
        "sources": chosen.get("sources") or config.sources or ALL_SOURCES,
        "pubmed_url": pick("pubmed_url", pubmed.URL_ENV, pubmed.BASE_URL),
        "openalex_url": pick("openalex_url", openalex.URL_ENV, openalex.BASE_URL),
        "datacite_url": pick("datacite_url", datacite.URL_ENV, datacite.BASE_URL),
        "doi_url": pick("doi_url", doi_agency.URL_ENV, doi_agency.BASE_URL),
        "ncbi_api_key": pick("ncbi_api_key", pubmed.KEY_ENV, ""),
        "index": chosen.get("index") or (str(config.root / config.index) if config.index else ""),
    }


# --------------------------------------------------------------------------- citations


@main.command()
@click.argument("manuscript", type=click.Path())
@click.option("--refs", type=click.Path(), help="BibTeX reference list.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
@_lang_option("Language of the listing's labels and problems (JSON keeps English).")
@fails
def citations(manuscript, refs, fmt, lang) -> None:
    """List every in-text citation of MANUSCRIPT with what it expands to."""
    from citecheck.messages import say, translate_problem
    from citecheck.readers import read_manuscript

    lang = _lang(lang)
    doc = read_manuscript(manuscript, refs)
    if fmt == "json":
        import json

        rows = [_callout_json(c) for c in doc.callouts]
        click.echo(
            json.dumps({"manuscript": manuscript, "callouts": rows}, ensure_ascii=False, indent=2)
        )
        return
    if not doc.callouts:
        _say(say("citations.none", lang, path=manuscript))
    for c in doc.callouts:
        where = say("citations.text" if c.in_running_text else "citations.table", lang)
        mention = say("citations.author", lang, name=c.author_mention) if c.author_mention else ""
        problem = translate_problem(c.problem, lang)
        problem = say("citations.problem", lang, problem=problem) if problem else ""
        cited = ",".join(map(str, c.numbers)) or ",".join(c.keys)
        extra = "".join(f"  {part}" for part in (mention, problem) if part)
        _say_out(f"{c.location}  {c.text}  -> {cited}  [{where}]{extra}")


def _say_out(line: str) -> None:
    """One line of a listing on stdout, shown as _say shows an error."""
    from citecheck.printable import one_line

    click.echo(one_line(line))


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

    _refuse_inputs(output, _config(), manuscript=manuscript, references=refs)
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

    _refuse_inputs(output, _config(), manuscript=manuscript)
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
@click.option(
    "--abstracts",
    is_flag=True,
    help="With --online: record Europe PMC abstracts and open-access full text next to the lock.",
)
@click.option("--europepmc-url", help="Europe PMC REST base URL (or CITECHECK_EUROPEPMC_URL).")
@_source_options
@_deadline_option
@fails
def resolve(
    manuscript,
    refs,
    lock_path,
    online,
    mailto,
    api_url,
    no_cache,
    refresh,
    quiet,
    abstracts,
    europepmc_url,
    deadline,
    source_options,
) -> None:
    """Create or refresh the lock file: what each reference matched (offline unless --online)."""
    from citecheck import workflow

    config = _config()
    _refuse_inputs(
        lock_path or str(config.path("lock")),
        config,
        manuscript=manuscript,
        references=refs or (None if manuscript else str(config.path("references"))),
    )
    network = _network_options(
        config, online, mailto, api_url, no_cache, refresh, quiet, europepmc_url, source_options
    )
    with _progress(network.progress and online) as on_progress:
        entries, counts = workflow.resolve_lock(
            config,
            manuscript=manuscript,
            refs=refs,
            lock_path=lock_path,
            network=network,
            on_progress=on_progress,
            evidence=abstracts and online,
        )
    summary = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items())) or "nothing"
    lock_file = lock_path or str(config.path("lock"))
    _say(f"{lock_file}: {entries} references locked ({summary})")
    identities = workflow.identity_counts(lock_file)
    if identities:  # issue 10: the identity verdict of every locked reference
        listed = ", ".join(f"{n} {verdict}" for verdict, n in sorted(identities.items()))
        click.echo(f"identity: {listed}", err=True)


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
        per_source: dict[str, object] = {}

        def on_progress(done: int, total: int) -> None:
            self.bar.update(task, completed=done, total=total)

        def source(name: str) -> None:  # one source finished one reference (issue 10)
            if name not in per_source:
                per_source[name] = self.bar.add_task(f"  {name}", total=None)
            self.bar.advance(per_source[name])

        on_progress.source = source
        return on_progress

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
    metavar="STYLE",
    help="Render the list in a style: vancouver, gbt7714, apa, a .csl file, or a CSL "
    "collection id (nature, cell...) with citecheck[styles] installed.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
)
@click.option("--as-written", is_flag=True, help="With --style: leave out the lock's corrections.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="With --fix: print a unified diff, write nothing."
)
@click.option(
    "--level",
    type=click.Choice(["safe", "all"]),
    default="safe",
    show_default=True,
    help="With --fix: safe = identifiers only (missing DOI/PMID/PMCID, their formatting); "
    "all = also authors, title, year, journal, volume, issue, pages from the matched record.",
)
@_lang_option("Language of status lines and explanations (the entries stay as written).")
@fails
def bib(
    manuscript,
    refs,
    fix,
    output,
    in_place,
    lock_path,
    style,
    fmt,
    as_written,
    show_diff,
    level,
    lang,
) -> None:
    """Write a corrected bibliography (--fix) or render it in a citation style (--style).

    `citecheck bib fetch DOI|PMID|PMCID|arXiv-id|"title" --online` prints a verified entry.
    """
    from citecheck import workflow
    from citecheck.bibliography.styles import StyleError
    from citecheck.messages import say

    lang = _lang(lang)

    def usage(key: str) -> click.UsageError:
        return click.UsageError(say(key, lang))

    config = _config()
    if in_place and output:  # which one would be written? say so instead of guessing
        raise usage("bib.usage.in_place_output")
    if in_place and not fix:
        raise usage("bib.usage.in_place_fix")
    if not in_place:  # --in-place rewrites its input on purpose (keeping a backup)
        _refuse_inputs(
            output,
            config,
            hint=say("bib.hint.in_place", lang) if fix else "",
            manuscript=manuscript,
            references=refs or (None if manuscript else str(config.path("references"))),
            lock_file=lock_path or str(config.path("lock")),
        )
    if fix == bool(style):
        raise usage("bib.usage.fix_or_style")
    if fix:
        if manuscript:
            raise usage("bib.usage.fix_refs")
        if show_diff:
            if in_place:
                raise usage("bib.usage.diff_in_place")
            diff, fixes = workflow.fix_preview(
                config, refs=refs, lock_path=lock_path, level=level
            )
            _emit(diff, output)
            entries = [f for f in fixes if f.changes]
            fields = sum(len(f.changes) for f in entries)
            counts = {"fields": fields, "entries": len(entries), "level": level}
            _say(say("bib.diff.summary" if fields else "bib.diff.none", lang, **counts))
            return
        if not output and not in_place:
            raise usage("bib.usage.fix_output")
        changed = workflow.fix_bibliography(
            config, refs=refs, lock_path=lock_path, output=output, in_place=in_place, level=level
        )
        target = output or refs or str(config.path("references"))
        _say(say("bib.wrote", lang, target=target, changed=changed))
        return
    try:
        text = workflow.styled_bibliography(
            config,
            manuscript=manuscript,
            refs=refs,
            lock_path=lock_path,
            style=style,
            fmt=fmt,
            corrected=not as_written,
        )
    except StyleError as exc:
        _say(f"citecheck: error: {exc.said(lang)}")
        sys.exit(EXIT_UNUSABLE)
    _emit(text, output)


@main.command("bib-fetch")
@click.argument("query", nargs=-1, required=True)
@click.option("--online", is_flag=True, help="Ask the metadata sources (required).")
@click.option("--mailto", help="E-mail for Crossref's polite pool (or CITECHECK_MAILTO).")
@click.option("--api-url", help="Crossref API base URL (or CITECHECK_CROSSREF_URL).")
@click.option("--europepmc-url", help="Europe PMC REST base URL (or CITECHECK_EUROPEPMC_URL).")
@click.option("--no-cache", is_flag=True, help="Do not use the HTTP cache.")
@_lang_option("Language of the comment, the candidates' heading and explanations.")
@_source_options
@fails
def bib_fetch(
    query, online, mailto, api_url, europepmc_url, no_cache, lang, source_options
) -> None:
    """citecheck bib fetch DOI|PMID|PMCID|arXiv-id|"title": a BibTeX entry from the record.

    For a title matched by several works, lists them instead of choosing (exit 1).
    """
    from citecheck.bibliography import fetch
    from citecheck.messages import say

    lang = _lang(lang)
    config = _config()
    network = _network_options(
        config, online, mailto, api_url, no_cache, False, True, europepmc_url, source_options
    )
    try:
        found = fetch.fetch_online(" ".join(query), network)
    except fetch.FetchError as exc:
        _say(f"citecheck: error: {exc.said(lang)}")
        sys.exit(EXIT_UNUSABLE)
    if len(found.works) == 1:
        click.echo(fetch.bibtex(found, lang=lang), nl=False)
        return
    if found.works:
        click.echo(fetch.candidates(found, lang), nl=False)
    else:
        q = found.query
        failed = f" ({'; '.join(found.failed)})" if found.failed else ""
        asked = ", ".join(found.asked)
        value = repr(q.value)
        _say(say("fetch.not_found", lang, kind=q.kind, value=value, asked=asked, failed=failed))
    sys.exit(EXIT_FINDINGS)


# --------------------------------------------------------------------------- rules


@main.command("rules")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Language of the descriptions.")
def rules_command(fmt, lang) -> None:
    """List every rule: code, slug, default severity and what it checks."""
    from citecheck.messages import default_lang, rule_description
    from citecheck.rules import RULES

    lang = lang or default_lang()

    if fmt == "json":
        import json

        rows = [
            {
                "code": r.code,
                "slug": r.slug,
                "severity": r.severity.label,
                "area": r.area,
                "description": rule_description(r.slug, r.description, lang),
            }
            for r in RULES
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for r in RULES:
        description = rule_description(r.slug, r.description, lang)
        click.echo(f"{r.code}  {r.slug:<26} {r.severity.label:<8} {description}")


@main.command("explain")
@click.argument("rule")
def explain_command(rule) -> None:
    """Print the page of RULE (slug or code): what it checks, why, an example, how to silence it."""
    from citecheck import explain

    try:
        text = explain.page(rule)
    except explain.UnknownRule as exc:
        _say(f"citecheck: {exc}")
        sys.exit(EXIT_UNUSABLE)
    click.echo(text, nl=False)


# --------------------------------------------------------------------------- mcp


@main.command("mcp")
@click.option(
    "--online", is_flag=True, help="Let lookups and checks ask the metadata sources (no cache)."
)
@click.option(
    "--lock", "lock_path", type=click.Path(), help="Lock file (default refs/references.lock.json)."
)
@click.option("--mailto", help="E-mail for Crossref's polite pool (or CITECHECK_MAILTO).")
@click.option("--api-url", help="Crossref API base URL (or CITECHECK_CROSSREF_URL).")
@_source_options
@fails
def mcp_command(online, lock_path, mailto, api_url, source_options) -> None:
    """Serve read-only MCP tools over stdio: check, explain_rule, lookup, claim evidence."""
    from citecheck.agent import server

    config = _config()
    # Nothing the server does writes a file: no HTTP cache (no_cache=True; it is an SQLite file).
    network = _network_options(
        config, online, mailto, api_url, True, False, True, None, source_options
    )
    options = server.AgentOptions(config, network, lock_path or "")
    try:
        server.serve(options)
    except server.SdkMissing as exc:
        _say(f"citecheck: error: {exc}")
        sys.exit(EXIT_UNUSABLE)


from citecheck import cli_scale  # noqa: E402,F401 - batch, index, retractions commands

if __name__ == "__main__":  # pragma: no cover
    # `python -m citecheck.cli`: cli_scale added batch/index/retractions to the imported
    # module's group, not to this __main__ copy's, so run that one.
    from citecheck.cli import main as registered

    registered()
