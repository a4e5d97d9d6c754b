"""Project settings from `[tool.citecheck]` in pyproject.toml or from citecheck.toml.

[tool.citecheck]
references = "refs/references.bib"     # the embedded default's bibliography
claims = "claims/claims.yaml"
lock = "refs/references.lock.json"
mailto = "you@example.org"             # Crossref polite pool
fail_on = "error"                      # error | warning | never
disable = ["uncited-reference"]        # rules to switch off (slug or code)
[tool.citecheck.severity]              # per-rule severity
citation-order = "error"
[tool.citecheck.suppress]              # per-reference suppressions
"32" = ["author-mention-mismatch"]     # by reference number or BibTeX key
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.files import InputError
from citecheck.model import Severity

DEFAULT_REFERENCES = "refs/references.bib"
DEFAULT_CLAIMS = "claims/claims.yaml"
DEFAULT_LOCK = "refs/references.lock.json"


@dataclass(frozen=True)
class Config:
    """Settings with their defaults; paths are relative to `root`."""

    root: Path = Path(".")
    references: str = DEFAULT_REFERENCES
    claims: str = DEFAULT_CLAIMS
    lock: str = DEFAULT_LOCK
    mailto: str = ""
    api_url: str = ""
    fail_on: str = "error"
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    suppress: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""  # the file the settings came from, "" for defaults

    def path(self, name: str) -> Path:
        return self.root / getattr(self, name)


def load_config(start: Path | None = None) -> Config:
    """Settings from citecheck.toml or pyproject.toml in `start` (default: the cwd)."""
    root = start or Path(".")  # relative, so reports show "refs/references.bib"
    own = root / "citecheck.toml"
    if own.is_file():
        return _from_table(_read_toml(own), root, own)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("citecheck")
        if isinstance(table, dict):
            return _from_table(table, root, pyproject)
    return Config(root=root)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(
            path, line, f"malformed TOML: {exc.msg if hasattr(exc, 'msg') else exc}"
        ) from None
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc}") from None


def _from_table(table: dict, root: Path, source: Path) -> Config:
    def text(name: str, default: str) -> str:
        value = table.get(name, default)
        if not isinstance(value, str):
            raise InputError(source, None, f"[tool.citecheck] {name} must be a string")
        return value

    severities = {}
    for rule_name, level in (table.get("severity") or {}).items():
        try:
            severities[rule_name] = Severity.parse(str(level))
        except KeyError:
            raise InputError(
                source, None, f"severity of {rule_name} must be error, warning or info"
            ) from None
    fail_on = text("fail_on", "error")
    if fail_on not in ("error", "warning", "never"):
        raise InputError(source, None, "fail_on must be error, warning or never")
    suppress = {
        str(k): tuple(v) for k, v in (table.get("suppress") or {}).items() if isinstance(v, list)
    }
    return Config(
        root=root,
        references=text("references", DEFAULT_REFERENCES),
        claims=text("claims", DEFAULT_CLAIMS),
        lock=text("lock", DEFAULT_LOCK),
        mailto=text("mailto", ""),
        api_url=text("api_url", ""),
        fail_on=fail_on,
        disable=tuple(table.get("disable") or ()),
        severity=severities,
        suppress=suppress,
        source=str(source),
    )
