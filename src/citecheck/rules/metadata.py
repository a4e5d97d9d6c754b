"""Rules comparing each reference with the metadata record it resolved to (CC201-CC213).

Rules read `project.resolutions` only: a reference without a resolution is unknown and
silent. Field rules compare a field only when both the entry and the record have it (a
record field that is absent is unknown, never a mismatch), and only for records that are
the entry's work: a DOI pointing elsewhere is doi-mismatch alone, not a dozen field findings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from citecheck.model import Author, Problem, Project, Reference, Resolution, Severity, Verdict, Work
from citecheck.normalize import doi_key, expand_pages, has_cjk, locator_key, squash, words
from citecheck.resolve.match import locators, same_journal, same_work
from citecheck.rules.base import Rule, rule

# How many authors a style lists before "et al." / "等" when a work has more:
# Vancouver (ICMJE/NLM) lists six, GB/T 7714-2015 (section 8.1.2) lists three.
VANCOUVER_AUTHORS_BEFORE_ET_AL = 6
GBT_AUTHORS_BEFORE_ET_AL = 3


# --- shared helpers ----------------------------------------------------------------------


def _resolution(project: Project, ref: Reference) -> Resolution | None:
    return project.resolutions.get(ref.number) if ref.number is not None else None


def doi_conflict(ref: Reference, work: Work) -> bool:
    """The entry's DOI names another record, or the DOI's record is clearly another work."""
    if ref.doi and work.doi and doi_key(ref.doi) != doi_key(work.doi):
        return True
    return bool(ref.doi) and not same_work(ref, work)


def checked_pairs(project: Project) -> Iterator[tuple[Reference, Resolution, Work]]:
    """References with a matched record that is their work: the ones field rules compare."""
    for ref in project.references:
        res = _resolution(project, ref)
        if res is None or res.verdict is not Verdict.MATCHED or res.work is None:
            continue
        if not doi_conflict(ref, res.work):
            yield ref, res, res.work


def _problem(ref: Reference, message: str, **details: object) -> Problem:
    return Problem(
        f"[{ref.number}] {message}" if ref.number is not None else message,
        ref.location,
        reference=ref.number,
        bib_key=ref.key,
        **details,  # type: ignore[arg-type]
    )


def _source_label(res: Resolution) -> str:
    return {
        "recorded": "the recorded metadata",
        "crossref-api": "Crossref",
        "local-index": "the local index",
    }.get(res.source, res.source or "the metadata source")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- resolution outcomes -------------------------------------------------------------------


@rule("CC201", "unresolved-reference", Severity.WARNING)
def unresolved_reference(project: Project) -> Iterator[Problem]:
    """A reference no metadata record could be matched to, or that matches several."""
    for ref in project.references:
        res = _resolution(project, ref)
        if res is not None and res.verdict is Verdict.UNRESOLVED and res.identity is None:
            yield _problem(
                ref,
                f"not resolved yet: {res.detail}" if res.detail else "not resolved yet",
                found=_short(ref.raw),
                suggestion="run `citecheck resolve --online` to look it up",
                severity=Severity.INFO,
            )
            continue
        if res is None or res.verdict not in (Verdict.NOT_FOUND, Verdict.AMBIGUOUS):
            continue
        if res.identity is not None and res.verdict is Verdict.NOT_FOUND:
            continue  # the identity rules (CC214-CC216) say why, naming every source
        where = _source_label(res)
        if res.verdict is Verdict.AMBIGUOUS:
            message = f"matches several records in {where}"
            expected = res.detail
            suggestion = "add the DOI to the entry so it names one work"
        else:
            message = f"no matching record in {where}"
            expected = "a record matching the entry"
            suggestion = "check the entry for typos, or add its DOI"
        severity = None
        if res.verdict is Verdict.NOT_FOUND and ref.language == "zh":
            severity = Severity.INFO  # Crossref holds few Chinese-language works: expected
            suggestion = "nothing to do unless the work has a DOI; then add it"
        if res.detail:
            message += f" ({res.detail})"
        yield _problem(
            ref,
            message,
            expected=expected,
            found=_short(ref.raw),
            suggestion=suggestion,
            severity=severity,
        )


@rule("CC202", "lookup-failed", Severity.WARNING)
def lookup_failed(project: Project) -> Iterator[Problem]:
    """The metadata source could not be asked about a reference (network, rate limit, error)."""
    for ref in project.references:
        res = _resolution(project, ref)
        if res is None or res.verdict is not Verdict.LOOKUP_FAILED:
            continue
        yield _problem(
            ref,
            f"could not look the reference up: {res.detail or 'unknown error'}",
            expected=f"an answer from {res.source or 'the metadata source'}",
            found=res.detail,
            suggestion="run again when the service is reachable; the lock file works offline",
        )


@rule("CC203", "doi-mismatch", Severity.ERROR)
def doi_mismatch(project: Project) -> Iterator[Problem]:
    """The DOI in an entry points at a different work than the entry describes."""
    for ref in project.references:
        res = _resolution(project, ref)
        if res is None or res.work is None or not ref.doi or res.verdict is not Verdict.MATCHED:
            continue
        work = res.work
        if not doi_conflict(ref, work):
            continue
        if res.identity is not None and res.identity.verdict == "identifier-conflict":
            continue  # identifier-conflict (CC214) reports it with every source's view
        if work.doi and doi_key(ref.doi) != doi_key(work.doi):
            # The DOI was unknown and search found the entry's work under another DOI.
            yield _problem(
                ref,
                f"the DOI {ref.doi} does not name this work; the record has {work.doi}",
                expected=work.doi,
                found=ref.doi,
                suggestion=f"replace the DOI with {work.doi}",
            )
            continue
        yield _problem(
            ref,
            f"the DOI {ref.doi} belongs to a different work: {_describe_work(work)}",
            expected=_describe_work(work),
            found=_short(ref.title or ref.raw),
            suggestion="correct the DOI (a digit may be wrong) or remove it",
        )


def _describe_work(work: Work) -> str:
    who = f"{work.authors[0].family} et al., " if work.authors else ""
    year = f" ({work.year})" if work.year else ""
    return f"{who}{_short(work.title or work.container_title or work.doi, 70)!r}{year}"


# --- table-driven field checks -------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One compared field: how to read it on each side, when the sides agree, how to say it.

    `bib_field` is the BibTeX field `bib --fix` writes; `fix_value` the value it writes
    (defaults to `expected`). `severity_of` may lower/raise the rule's default per case.
    """

    code: str
    slug: str
    severity: Severity
    description: str
    label: str
    bib_field: str
    found: Callable[[Reference], str]
    expected: Callable[[Work], str]
    agrees: Callable[[Reference, Work], bool]
    explain: Callable[[Reference, Work], str] = lambda ref, work: ""
    severity_of: Callable[[Reference, Work], Severity | None] = lambda ref, work: None
    fix_value: Callable[[Reference, Work], str] | None = field(default=None)

    def differs(self, ref: Reference, work: Work) -> bool:
        """True when both sides have the field and they disagree."""
        return bool(self.found(ref) and self.expected(work)) and not self.agrees(ref, work)

    def corrected(self, ref: Reference, work: Work) -> str:
        """The value `bib --fix` writes for this field."""
        return self.fix_value(ref, work) if self.fix_value else self.expected(work)


def _titles_agree(ref: Reference, work: Work) -> bool:
    if has_cjk(ref.title) != has_cjk(work.title):
        return True  # a Chinese title against an English record title: not comparable
    return squash(ref.title) == squash(work.title)


def _title_difference(ref: Reference, work: Work) -> str:
    """The differing words, e.g. 'record has "mouse" where the entry has "rat"'."""
    mine, theirs = words(ref.title), words(work.title)
    parts = []
    matcher = difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        entry, record = " ".join(mine[a1:a2]), " ".join(theirs[b1:b2])
        if op == "replace":
            parts.append(f'"{record}" where the entry has "{entry}"')
        elif op == "delete":
            parts.append(f'no "{entry}"')
        elif op == "insert":
            parts.append(f'"{record}" missing from the entry')
    return "the record has " + "; ".join(parts) if parts else "spacing differs"


def _year_text(year: int | None) -> str:
    return str(year) if year else ""


def _years_apart(ref: Reference, work: Work) -> int:
    return abs((ref.year or 0) - (work.year or 0))


def _pages_text(work: Work) -> str:
    if work.page and work.article_number:
        return f"{work.page} (article {work.article_number})"
    return work.page or work.article_number


def _pages_agree(ref: Reference, work: Work) -> bool:
    """Same first page or article number ("e70089" ~ "70089"), and same last page if both
    give one ("1611-21" == "1611-1621")."""
    if not locators(ref.pages, ref.article_number) & locators(work.page, work.article_number):
        return False
    mine, theirs = expand_pages(ref.pages)[1], expand_pages(work.page)[1]
    return not (mine and theirs) or locator_key(mine) == locator_key(theirs)


def _journal_text(work: Work) -> str:
    if work.container_title and work.short_container_title:
        return f"{work.container_title} ({work.short_container_title})"
    return work.container_title or work.short_container_title


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "CC204",
        "title-mismatch",
        Severity.WARNING,
        "An entry's title differs from its record's (beyond case, punctuation, markup, Greek).",
        "title",
        "title",
        found=lambda ref: ref.title,
        expected=lambda work: work.title,
        agrees=_titles_agree,
        explain=_title_difference,
    ),
    FieldSpec(
        "CC206",
        "year-mismatch",
        Severity.WARNING,
        "An entry's year differs from its record's (one year apart is only informational).",
        "year",
        "year",
        found=lambda ref: _year_text(ref.year),
        expected=lambda work: _year_text(work.year),
        agrees=lambda ref, work: ref.year == work.year,
        explain=lambda ref, work: (
            "one year apart, often online-first vs print" if _years_apart(ref, work) == 1 else ""
        ),
        severity_of=lambda ref, work: Severity.INFO if _years_apart(ref, work) == 1 else None,
    ),
    FieldSpec(
        "CC207",
        "journal-mismatch",
        Severity.WARNING,
        "An entry's journal is neither its record's journal title nor an abbreviation of it.",
        "journal",
        "journal",
        found=lambda ref: ref.container,
        expected=_journal_text,
        agrees=lambda ref, work: same_journal(ref.container, work),
        fix_value=lambda ref, work: work.short_container_title or work.container_title,
    ),
    FieldSpec(
        "CC208",
        "volume-mismatch",
        Severity.WARNING,
        "An entry's volume differs from its record's.",
        "volume",
        "volume",
        found=lambda ref: ref.volume,
        expected=lambda work: work.volume,
        agrees=lambda ref, work: locator_key(ref.volume) == locator_key(work.volume),
    ),
    FieldSpec(
        "CC209",
        "issue-mismatch",
        Severity.WARNING,
        "An entry's issue differs from its record's.",
        "issue",
        "number",
        found=lambda ref: ref.issue,
        expected=lambda work: work.issue,
        agrees=lambda ref, work: locator_key(ref.issue) == locator_key(work.issue),
    ),
    FieldSpec(
        "CC210",
        "pages-mismatch",
        Severity.WARNING,
        "An entry's pages or article number differ from its record's.",
        "pages",
        "pages",
        found=lambda ref: ref.pages or ref.article_number,
        expected=_pages_text,
        agrees=_pages_agree,
        fix_value=lambda ref, work: work.page or work.article_number,
    ),
)


def field_rule(spec: FieldSpec) -> Rule:
    """Expand one FieldSpec into a rule: one finding per disagreeing entry."""

    def check(project: Project) -> Iterator[Problem]:
        for ref, res, work in checked_pairs(project):
            if not spec.differs(ref, work):
                continue
            found, expected = spec.found(ref), spec.expected(work)
            why = spec.explain(ref, work)
            message = f"{spec.label} differs from {_source_label(res)}"
            message += f": {why}" if why else f": {found!r} vs {expected!r}"
            yield _problem(
                ref,
                message,
                expected=expected,
                found=found,
                suggestion=f"use the record's {spec.label}: {expected}",
                severity=spec.severity_of(ref, work),
            )

    check.__doc__ = spec.description
    check.__name__ = spec.slug.replace("-", "_")
    return rule(spec.code, spec.slug, spec.severity)(check)


# --- authors -----------------------------------------------------------------------------


@rule("CC205", "author-mismatch", Severity.WARNING)
def author_mismatch(project: Project) -> Iterator[Problem]:
    """An entry's authors differ from its record's: names, order, initials or et al. count."""
    for ref, res, work in checked_pairs(project):
        if not ref.authors or not work.authors:
            continue
        issues = author_issues(ref, work)
        if not issues:
            continue
        yield _problem(
            ref,
            f"authors differ from {_source_label(res)}: " + "; ".join(issues),
            expected=_format_authors(work.authors, complete=work.authors_complete),
            found=_format_authors(ref.authors, et_al=ref.et_al),
            suggestion="list the authors as the record does: "
            + _format_authors(_expected_listing(ref, work), et_al=_needs_et_al(ref, work)),
        )


def author_issues(ref: Reference, work: Work) -> list[str]:
    """What is wrong with the entry's author list, in reading order (empty when nothing).

    A correct prefix of the record's list followed by "et al." is right whatever its length:
    styles truncate after 1 (Nature, Science), 3 (AMA, GB/T 7714), 6 (Vancouver), 7 or 10;
    APA 7 lists the first 19, an ellipsis, then the last author.
    """
    record = list(work.authors)
    mine = list(ref.authors)
    if _apa_elided(mine, record):
        mine = mine[:-1]  # the last author after "..." is checked; the rest is a prefix
    keys = [squash(a.family) for a in record]
    issues: list[str] = []
    for position, author in enumerate(mine):
        key = squash(author.family)
        if position >= len(record):
            if work.authors_complete:
                issues.append(
                    f"the entry lists {len(ref.authors)} authors, the record {len(record)}"
                )
            break
        theirs = record[position]
        if _GROUP.search(author.family) and key not in keys:
            continue  # "GBD 2019 Collaborators": sources list a group's members differently
        if key == squash(theirs.given) and key != keys[position]:
            theirs = Author(theirs.given, theirs.family)  # the record swapped the two names
        if key != keys[position] and not same_person(author, theirs):
            if key in keys:
                where = keys.index(key) + 1
                issues.append(
                    f"{author.family} is author {where} in the record, not {position + 1}"
                )
            else:
                issues.append(
                    f"author {position + 1} is {record[position].family} in the record, "
                    f"not {author.family}"
                )
        elif not _initials_agree(author, theirs):
            issues.append(
                f"{author.family}'s initials are {theirs.initials} in the record, "
                f"not {author.initials}"
            )
    if work.authors_complete and not _apa_elided(list(ref.authors), record):
        issues.extend(_count_issues(ref, len(record)))
    return issues


# Name particles that styles move or drop ("Meulen MP van der" for "van der Meulen").
_PARTICLES = frozenset(
    "van der den de del della di da dos das du le la von zu ten ter bin ibn al el".split()
)


def same_person(mine: Author, theirs: Author) -> bool:
    """The same family name written another way: particles moved or dropped, or one part of
    a double-barrelled name."""
    a = {w for w in words(mine.family) if w not in _PARTICLES}
    b = {w for w in words(theirs.family) if w not in _PARTICLES}
    return bool(a and b and (a <= b or b <= a))


# APA 7: with 21 or more authors, the first 19, an ellipsis, then the last one.
APA_AUTHORS_BEFORE_ELLIPSIS = 19


def _apa_elided(mine: list[Author], record: list[Author]) -> bool:
    """The entry lists the first 19 authors and then the record's last (APA 7's ellipsis)."""
    return (
        len(mine) == APA_AUTHORS_BEFORE_ELLIPSIS + 1
        and len(record) > len(mine)
        and squash(mine[-1].family) == squash(record[-1].family)
    )


def _count_issues(ref: Reference, total: int) -> list[str]:
    """'et al.' where nobody was left out, or authors left out without 'et al.'.

    How many names come before "et al." is the style's business, not an error.
    """
    listed = len(ref.authors)
    if any(_GROUP.search(a.family) for a in ref.authors):
        return []  # a group author stands for members that sources list differently
    if ref.et_al and listed >= total:
        return [f"'et al.' although the record has only {total} authors"]
    if not ref.et_al and listed < total:
        return [f"{listed} of {total} authors listed without 'et al.'"]
    return []


_GROUP = re.compile(
    r"\b(?:consortium|collaborators?|collaboration|group|investigators|network|committee|"
    r"project|team|trialists|society|association|organi[sz]ation)\b",
    re.IGNORECASE,
)


def _convention(ref: Reference) -> tuple[str, int]:
    if ref.type_marker or ref.language == "zh":
        return "GB/T 7714", GBT_AUTHORS_BEFORE_ET_AL
    return "Vancouver", VANCOUVER_AUTHORS_BEFORE_ET_AL


def _initials_agree(mine: Author, theirs: Author) -> bool:
    """First initials agree. Only the first: "HY" for "Hongyu" (pinyin syllables) is right."""
    a, b = mine.initials, theirs.initials
    return not a or not b or a[0] == b[0]


def _needs_et_al(ref: Reference, work: Work) -> bool:
    return len(work.authors) > _convention(ref)[1]


def _expected_listing(ref: Reference, work: Work) -> tuple[Author, ...]:
    before = _convention(ref)[1]
    return work.authors[:before] if _needs_et_al(ref, work) else work.authors


def _format_authors(
    authors: tuple[Author, ...] | list[Author], *, et_al: bool = False, complete: bool = True
) -> str:
    names = ", ".join(f"{a.family} {a.initials}".strip() for a in authors)
    if et_al:
        names += ", et al."
    elif not complete:
        names += ", ... (partial list)"
    return names


# --- retractions, corrections, expressions of concern ---------------------------------------


def notice_kind(update_type: str) -> str:
    """ "retraction", "correction", "expression-of-concern" or "" for a Crossref update type."""
    t = update_type.casefold().replace("_", "-")
    if "retract" in t or t in ("withdrawal", "removal"):
        return "retraction"
    if "concern" in t:
        return "expression-of-concern"
    if "correct" in t or "errat" in t or "corrigend" in t:
        return "correction"
    return ""


def _notices(work: Work, kind: str) -> tuple[list[str], list[str]]:
    """(notices updating this work, works this notice updates) of one kind, as labels."""
    against: dict[str, str] = {}
    for update in (*work.updated_by, *(r for r in work.relation if not r.type.endswith("-of"))):
        if notice_kind(update.type) == kind:
            label = update.doi or update.label or update.type
            note = update.label or update.type
            against.setdefault(doi_key(label), f"{label} ({note})" if note != label else label)
    itself = [u.doi or u.label or u.type for u in work.update_to if notice_kind(u.type) == kind]
    return list(against.values()), itself


def _notice_problems(
    project: Project, kind: str, noun: str, notice_severity: Severity
) -> Iterator[Problem]:
    """Findings for works updated by a notice of `kind`, and for cited notices themselves."""
    for ref, _res, work in checked_pairs(project):
        against, itself = _notices(work, kind)
        if against:
            listed = ", ".join(against)
            yield _problem(
                ref,
                f"the cited work has a {noun} notice: {listed}",
                expected=f"{noun}: {listed}",
                found=_short(ref.raw),
                suggestion=_NOTICE_ADVICE[kind],
                severity=_acknowledged(ref, kind),
            )
        if itself:
            listed = ", ".join(itself)
            yield _problem(
                ref,
                f"the cited item is itself a {noun} notice (for {listed})",
                expected=f"{noun} notice for {listed}",
                found=_short(ref.raw),
                suggestion="make sure the notice, not the work it concerns, is meant",
                severity=notice_severity,
            )


_NOTICE_ADVICE = {
    "retraction": "do not rely on a retracted work; if it must be cited, say it is retracted "
    "and cite the retraction notice",
    "correction": "read the correction and cite it alongside the work if it matters here",
    "expression-of-concern": "read the editor's concern before relying on the work",
}


def _acknowledged(ref: Reference, kind: str) -> Severity | None:
    """An entry that itself says "retracted" has been seen by its author: a warning suffices."""
    if kind == "retraction" and "retract" in ref.raw.casefold():
        return Severity.WARNING
    return None


@rule("CC211", "retracted-reference", Severity.ERROR)
def retracted_reference(project: Project) -> Iterator[Problem]:
    """A cited work has been retracted (citing a retraction notice itself is a warning)."""
    yield from _notice_problems(project, "retraction", "retraction", Severity.WARNING)


@rule("CC212", "corrected-reference", Severity.WARNING)
def corrected_reference(project: Project) -> Iterator[Problem]:
    """A cited work has a correction or erratum (citing the notice itself is info)."""
    yield from _notice_problems(project, "correction", "correction", Severity.INFO)


@rule("CC213", "expression-of-concern", Severity.WARNING)
def expression_of_concern(project: Project) -> Iterator[Problem]:
    """A cited work carries an editorial expression of concern (citing the notice is info)."""
    yield from _notice_problems(
        project, "expression-of-concern", "expression of concern", Severity.INFO
    )


_FIELD_RULES = {spec.code: field_rule(spec) for spec in FIELD_SPECS}

# Every metadata rule, in code order.
RULES: tuple[Rule, ...] = (
    unresolved_reference,
    lookup_failed,
    doi_mismatch,
    _FIELD_RULES["CC204"],
    author_mismatch,
    _FIELD_RULES["CC206"],
    _FIELD_RULES["CC207"],
    _FIELD_RULES["CC208"],
    _FIELD_RULES["CC209"],
    _FIELD_RULES["CC210"],
    retracted_reference,
    corrected_reference,
    expression_of_concern,
)
