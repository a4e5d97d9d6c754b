"""Project settings from `[tool.citecheck]` in pyproject.toml or from citecheck.toml.

[tool.citecheck]
references = "refs/references.bib"     # the embedded default's bibliography
claims = "claims/claims.yaml"
lock = "refs/references.lock.json"
mailto = "you@example.org"             # Crossref polite pool (and PubMed, OpenAlex contact)
sources = ["crossref", "pubmed"]       # which metadata sources --online asks (default: all)
index = "metadata.citecheck-index"     # local metadata index, asked before online sources
scheduler = "tcp://10.0.0.5:8786"      # Dask cluster for `citecheck batch`
fail_on = "error"                      # error | warning | never
disable = ["uncited-reference"]        # rules to switch off (slug or code)
[tool.citecheck.severity]              # per-rule severity
citation-order = "error"
[tool.citecheck.suppress]              # per-reference suppressions
"32" = ["author-mention-mismatch"]     # by reference number or BibTeX key ("all": every rule)
[tool.citecheck.limits]                # bounds on input and waiting (limits.py)
max_input_mb = 100

Every key is checked: an unknown key, a value of the wrong type or an unknown rule name is
an InputError naming the file, the line, the key, what was expected and the nearest valid
name -- a silently ignored setting is worse than a refused one. To add a key, add a line to
KEYS (and a field to Config when the program reads it).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citecheck.files import InputError, read_input_bytes
from citecheck.limits import CONFIG_KEYS as LIMIT_KEYS
from citecheck.limits import Limits, from_table
from citecheck.model import Severity

DEFAULT_REFERENCES = "refs/references.bib"
DEFAULT_CLAIMS = "claims/claims.yaml"
DEFAULT_LOCK = "refs/references.lock.json"
FAIL_ON = ("error", "warning", "never")
SEVERITIES = ("error", "warning", "info")
_AT_LINE = re.compile(r" \(at .*\)$")


@dataclass(frozen=True)
class Config:
    """Settings with their defaults; paths are relative to `root`."""

    root: Path = Path(".")
    references: str = DEFAULT_REFERENCES
    claims: str = DEFAULT_CLAIMS
    lock: str = DEFAULT_LOCK
    mailto: str = ""
    api_url: str = ""
    europepmc_url: str = ""
    # Issue 10: the other sources' base URLs, the NCBI API key and which sources to ask.
    pubmed_url: str = ""
    openalex_url: str = ""
    datacite_url: str = ""
    doi_url: str = ""
    ncbi_api_key: str = ""
    sources: tuple[str, ...] = ()
    fail_on: str = "error"
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    suppress: dict[str, tuple[str, ...]] = field(default_factory=dict)
    report_uncited: bool | None = None  # None: the rule's own default for the input kind
    index: str = ""  # a local metadata index (`citecheck index build`), matched first
    scheduler: str = ""  # a Dask scheduler address for `citecheck batch`
    limits: Limits = field(default_factory=Limits)
    source: str = ""  # the file the settings came from, "" for defaults

    def path(self, name: str) -> Path:
        return self.root / getattr(self, name)


class _Problem(Exception):
    """A bad value: the key (dotted) and what was expected; _from_table adds file and line."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    kinds.update({list: "a list", dict: "a table"})
    shown = repr(value) if not isinstance(value, dict | list) or len(str(value)) < 40 else ""
    return f"{kinds.get(type(value), type(value).__name__)} {shown}".strip()


def _nearest(name: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(name.replace("-", "_"), valid, n=1, cutoff=0.6)
    close = close or difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _Problem(key, f"expected a string, got {_describe(value)}")
    return value


def _choice(options: tuple[str, ...]) -> Callable[[str, Any], str]:
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            near = _nearest(value, list(options)) if isinstance(value, str) else ""
            raise _Problem(key, f"expected one of {', '.join(options)}, got {_describe(value)}{near}")
        return value

    return check


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Problem(key, f"expected true or false, got {_describe(value)}")
    return value


def _rule_names(key: str, value: Any, *, allow_all: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        example = '["all"]' if allow_all else '["uncited-reference"]'
        raise _Problem(key, f"expected a list of rule names like {example}, got {_describe(value)}")
    for name in value:
        _rule_name(key, name, allow_all=allow_all)
    return tuple(value)


def _rule_name(key: str, name: str, *, allow_all: bool = False) -> str:
    from citecheck.rules import RULES  # only when a config names rules: it costs ~0.1 s

    valid = [r.slug for r in RULES] + [r.code for r in RULES] + (["all"] if allow_all else [])
    if name not in valid and name.upper() not in valid:
        raise _Problem(key, f"unknown rule {name!r}{_nearest(name, valid)}; see `citecheck rules`")
    return name


def _disable(key: str, value: Any) -> tuple[str, ...]:
    return _rule_names(key, value)


def _severity(key: str, value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise _Problem(key, f'expected a table of rule = "error|warning|info", got {_describe(value)}')
    levels = {}
    for rule_name, level in value.items():
        _rule_name(f"{key}.{rule_name}", rule_name)
        _choice(SEVERITIES)(f"{key}.{rule_name}", level)
        levels[rule_name] = Severity.parse(level)
    return levels


def _suppress(key: str, value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _Problem(
            key, f'expected a table of "reference number or key" = [rules], got {_describe(value)}'
        )
    return {
        str(ref): _rule_names(f"{key}.{ref}", names, allow_all=True) for ref, names in value.items()
    }


def _sources(key: str, value: Any) -> tuple[str, ...]:
    """sources = ["crossref", "pubmed"] (or one comma-separated string)."""
    from citecheck.resolve.sources.multi import parse_sources

    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ",".join(value)
    if not isinstance(value, str):
        raise _Problem(key, f"expected a list of source names, got {_describe(value)}")
    try:
        return parse_sources(value)
    except ValueError as error:
        raise _Problem(key, str(error)) from None


def _limits(key: str, value: Any) -> Limits:
    if not isinstance(value, dict):
        raise _Problem(key, f"expected a table of limits, got {_describe(value)}")
    for name, number in value.items():
        if name not in LIMIT_KEYS:
            raise _Problem(
                f"{key}.{name}", f"unknown limit{_nearest(name, list(LIMIT_KEYS))}"
            )
        valid = isinstance(number, int | float) and not isinstance(number, bool)
        if not valid or not 0 < number < 1e9:
            raise _Problem(
                f"{key}.{name}", f"expected {LIMIT_KEYS[name][2]}, got {_describe(number)}"
            )
    return from_table(value)


# key -> (Config field, check-and-convert). Add a key here to make it known.
KEYS: dict[str, tuple[str, Callable[[str, Any], Any]]] = {
    "references": ("references", _string),
    "claims": ("claims", _string),
    "lock": ("lock", _string),
    "mailto": ("mailto", _string),
    "api_url": ("api_url", _string),
    "europepmc_url": ("europepmc_url", _string),
    "pubmed_url": ("pubmed_url", _string),
    "openalex_url": ("openalex_url", _string),
    "datacite_url": ("datacite_url", _string),
    "doi_url": ("doi_url", _string),
    "ncbi_api_key": ("ncbi_api_key", _string),
    "sources": ("sources", _sources),
    "fail_on": ("fail_on", _choice(FAIL_ON)),
    "disable": ("disable", _disable),
    "severity": ("severity", _severity),
    "suppress": ("suppress", _suppress),
    "report_uncited": ("report_uncited", _boolean),
    "index": ("index", _string),
    "scheduler": ("scheduler", _string),
    "limits": ("limits", _limits),
}


def load_config(start: Path | None = None) -> Config:
    """Settings from citecheck.toml or pyproject.toml in `start` (default: the cwd)."""
    root = start or Path(".")  # relative, so reports show "refs/references.bib"
    own = root / "citecheck.toml"
    if own.is_file():
        text, document = _read_toml(own)
        return _from_table(document, root, own, text, "")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        text, document = _read_toml(pyproject)
        tool = document.get("tool", {})
        table = tool.get("citecheck") if isinstance(tool, dict) else None
        if table is not None:
            if not isinstance(table, dict):
                line = _line_of(text, "citecheck")
                raise InputError(pyproject, line, "[tool.citecheck] must be a table")
            return _from_table(table, root, pyproject, text, "tool.citecheck")
    return Config(root=root)


def _read_toml(path: Path) -> tuple[str, dict]:
    import tomllib  # only a run with a configuration file needs the TOML parser (~7 ms)

    data = read_input_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); TOML must be UTF-8"
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        found = re.search(r"\(at line (\d+)", message)
        line = int(found.group(1)) if found else None
        reason = _AT_LINE.sub("", message)
        raise InputError(path, line, f"malformed TOML: {reason}") from None
    except RecursionError:
        raise InputError(path, None, "malformed TOML: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of 5,000 digits (Python's conversion limit)
        raise InputError(path, None, f"malformed TOML: {' '.join(str(exc).split())[:120]}") from None


def _from_table(table: dict, root: Path, source: Path, text: str, prefix: str) -> Config:
    section = f"[{prefix}] " if prefix else ""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            raise InputError(
                source,
                _line_of(text, key),
                f"{section}unknown key {key!r}{_nearest(key, list(KEYS))}",
            )
        name, convert = KEYS[key]
        try:
            values[name] = convert(key, value)
        except _Problem as problem:
            raise InputError(
                source,
                _line_of(text, problem.key.rsplit(".", 1)[-1]) or _line_of(text, key),
                f"{section}{problem.key}: {problem.message}",
            ) from None
    return Config(root=root, source=str(source), **values)


def _line_of(text: str, key: str) -> int | None:
    """The first line that sets `key` (bare, quoted, or as a [table]); None when not found."""
    pattern = re.compile(
        rf'^\s*(?:\[[^\]]*\b{re.escape(key)}\]|["\']?{re.escape(key)}["\']?\s*=)', re.MULTILINE
    )
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None
