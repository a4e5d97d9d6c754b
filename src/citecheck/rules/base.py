"""The Rule record and the @rule decorator; the registry itself lives in rules/__init__.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from citecheck.model import Problem, Project, RuleInfo, Severity

CheckFunction = Callable[[Project], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    """A rule is data (code, slug, default severity, description) plus one check function."""

    code: str
    slug: str
    severity: Severity
    description: str
    area: str
    check: CheckFunction

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(self.code, self.slug, self.severity, self.description, self.area)


def rule(code: str, slug: str, severity: Severity) -> Callable[[CheckFunction], Rule]:
    """Turn a generator of Problems into a Rule; its docstring's first line describes it."""

    def wrap(function: CheckFunction) -> Rule:
        doc = (function.__doc__ or "").strip().splitlines()
        if not doc:
            raise ValueError(f"rule {slug} needs a docstring")
        area = function.__module__.rsplit(".", 1)[-1]
        return Rule(code, slug, severity, doc[0], area, function)

    return wrap
