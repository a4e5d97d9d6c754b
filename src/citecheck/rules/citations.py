"""Rules about in-text citations: cited-but-missing, never cited, order, malformed, author named."""

from __future__ import annotations

import re
from collections.abc import Iterator

from citecheck.model import Author, Callout, Problem, Project, Reference, Severity
from citecheck.normalize import fold, has_cjk, one_line
from citecheck.rules.base import rule


@rule("CC101", "missing-reference", Severity.ERROR)
def missing_reference(project: Project) -> Iterator[Problem]:
    """A callout cites a reference number or key that is not in the reference list."""
    numbers = {r.number for r in project.references if r.number is not None}
    keys = {r.key for r in project.references}
    seen: dict[object, list[Callout]] = {}
    for callout in project.callouts:
        for n in callout.numbers:
            if n not in numbers:
                seen.setdefault(n, []).append(callout)
        for k in callout.keys:
            if k not in keys:
                seen.setdefault(k, []).append(callout)
    highest = max(numbers, default=0)
    for cited, callouts in seen.items():
        first = callouts[0]
        times = f" ({len(callouts)} callouts)" if len(callouts) > 1 else ""
        if isinstance(cited, int):
            message = f"reference [{cited}] is cited{times} but the list has no entry {cited}"
            if highest and cited > highest:
                message += f" (the list stops at {highest})"
            label = f"[{cited}]"
        elif " " in str(cited):  # an author-year cite's printed text: no entry fits it
            message = f"citation ({cited}){times} matches no entry of the reference list"
            label = str(cited)
        else:
            message = f"citation key '{cited}' is cited{times} but not defined in the bibliography"
            label = str(cited)
        yield Problem(
            message,
            first.location,
            expected="an entry in the reference list",
            found=label,
            suggestion="add the missing entry to the reference list, or correct the callout",
            reference=cited if isinstance(cited, int) else None,
            bib_key=cited if isinstance(cited, str) else "",
        )


@rule("CC102", "uncited-reference", Severity.WARNING)
def uncited_reference(project: Project) -> Iterator[Problem]:
    """A reference-list entry that no callout cites."""
    numbers = {n for c in project.callouts for n in c.numbers}
    keys = {k for c in project.callouts for k in c.keys}
    for ref in project.references:
        if ref.number in numbers or ref.key in keys:
            continue
        label = f"[{ref.number}]" if ref.number is not None else ref.key
        yield Problem(
            f"reference {label} is never cited in the text",
            ref.location,
            found=label,
            suggestion="cite it where it supports the text, or remove it from the list",
            reference=ref.number,
            bib_key=ref.key,
        )


@rule("CC103", "citation-order", Severity.WARNING)
def citation_order(project: Project) -> Iterator[Problem]:
    """Numbered style: references must be first cited in running text in the order 1, 2, 3..."""
    if not project.manuscript.numbered:
        return
    seen: set[int] = set()
    highest = 0
    for callout in project.callouts:
        if not callout.in_running_text or callout.problem:
            continue
        for n in sorted(set(callout.numbers) - seen):
            seen.add(n)
            if n < highest:
                yield Problem(
                    f"reference [{n}] is first cited after [{highest}]; in a numbered style "
                    "references are numbered in order of first citation",
                    callout.location,
                    expected=f"[{n}] first cited before [{highest}]",
                    found=callout.text,
                    suggestion="renumber the reference list in order of first citation",
                    reference=n,
                )
            highest = max(highest, n)


@rule("CC107", "invalid-citation", Severity.ERROR)
def invalid_citation(project: Project) -> Iterator[Problem]:
    """A malformed callout, such as a backwards range [9-3] or the number [0]."""
    for callout in project.callouts:
        if callout.problem:
            yield Problem(
                f"malformed citation {callout.text}: {callout.problem}",
                callout.location,
                found=callout.text,
                suggestion="write ranges low-high with numbers from 1, e.g. [3-9]",
            )


@rule("CC108", "author-mention-mismatch", Severity.ERROR)
def author_mention_mismatch(project: Project) -> Iterator[Problem]:
    """The author named before a callout is not the first author of the cited entry."""
    by_number = {r.number: r for r in project.references if r.number is not None}
    by_key = {r.key: r for r in project.references}
    for callout in project.callouts:
        if not callout.author_mention:
            continue
        cited = [by_number.get(n) for n in callout.numbers] + [by_key.get(k) for k in callout.keys]
        refs = [r for r in cited if r is not None]
        # "Cheng et al. [26, 27]": the name goes with the first cited work.
        if not refs or not refs[0].authors:
            continue
        ref = refs[0]
        authors = _best_authors(project, ref)
        problem = mention_problem(callout.author_mention, authors)
        if problem:
            message, suggestion = problem
            yield Problem(
                f"'{callout.author_mention}' before {callout.text} {message}",
                callout.location,
                expected=_first_author_label(authors),
                found=callout.author_mention,
                suggestion=suggestion,
                reference=ref.number,
                bib_key=ref.key,
            )


def mention_problem(mention: str, authors: tuple[Author, ...]) -> tuple[str, str] | None:
    """None when the mention names the first author(s); else (what is wrong, suggestion)."""
    # "Smith et al", "Schriks and co-workers": the suffix says "and others", it names nobody.
    mention = _GROUP_SUFFIX.sub("", mention)
    names = [n.strip() for n in mention.replace(" & ", " and ").split(" and ") if n.strip()]
    if not names or not authors:
        return None
    first = authors[0]
    if _names_match(names[0], first):
        if len(names) > 1 and len(authors) > 1 and not _names_match(names[1], authors[1]):
            return (
                (
                    f"names '{names[1]}' as second author, but the second author is "
                    f"{_label(authors[1])}"
                ),
                f"write '{names[0]} and {authors[1].family}'",
            )
        return None
    right = f"write '{first.family}' (the first author's family name)"
    for position, author in enumerate(authors[1:], start=2):
        if _names_match(names[0], author):
            return (
                (
                    f"names the {_ordinal(position)} author ({_label(author)}), "
                    f"not the first author {_label(first)}"
                ),
                right,
            )
    if _is_given_name(names[0], first):
        return (
            (
                f"looks like the first author's given name: the entry's first author is "
                f"{_label(first)} (family name {first.family})"
            ),
            right,
        )
    return f"does not match the first author {_label(first)} of the cited entry", right


_GROUP_SUFFIX = re.compile(
    r"\s*(?:,?\s*et\s+al\.?|and\s+(?:co-?workers|colleagues)|等人?)\s*$", re.IGNORECASE
)


def _best_authors(project: Project, ref: Reference) -> tuple[Author, ...]:
    """The entry's authors, with given names filled in from a matched record when it has them."""
    resolution = project.resolutions.get(ref.number) if ref.number is not None else None
    work = resolution.work if resolution else None
    if not work or not work.authors or not ref.authors:
        return ref.authors
    if _fold(work.authors[0].family) != _fold(ref.authors[0].family):
        return ref.authors
    merged = list(ref.authors)
    for i, author in enumerate(ref.authors):
        record = work.authors[i] if i < len(work.authors) else None
        same = record is not None and _fold(record.family) == _fold(author.family)
        if same and len(record.given) > len(author.given):
            merged[i] = Author(author.family, record.given)
    return tuple(merged)


def _names_match(name: str, author: Author) -> bool:
    written = _fold(name)
    family = _fold(author.family)
    if not written or not family:
        return False
    if written == family or written.replace(" ", "") == family.replace(" ", ""):
        return True
    # Compound family names: "Mostafavi" for "Mostafavi Montazeri"; Han names: "周" or "周荣耀".
    if written in family.split() or family in written.split():
        return True
    return has_cjk(author.family) and (written == family[:1] or family.startswith(written))


def _is_given_name(name: str, author: Author) -> bool:
    """'Tao' for Wen T / Wen Tao: the mention is the given name, written as a surname."""
    written = _fold(name)
    given = _fold(author.given)
    if not written or not given:
        return False
    if given.replace("-", " ").split()[0] == written or given.replace(" ", "") == written:
        return True
    initials = "".join(ch for ch in author.given if ch.isalpha())
    # Only initials known ("T"): a mention starting with that initial is the likely explanation.
    return initials.isupper() and len(initials) <= 3 and written[:1] == initials[:1].lower()


def _label(author: Author) -> str:
    return f"{author.family} {author.given}".strip()


def _first_author_label(authors: tuple[Author, ...]) -> str:
    return _label(authors[0]) if authors else ""


def _ordinal(n: int) -> str:
    return {2: "second", 3: "third"}.get(n, f"{n}th")


def _fold(name: str) -> str:
    """Case- and accent-insensitive form of a name ('Ekström' -> 'ekstrom', 'Wu-Williams' ->
    'wu williams')."""
    return one_line(fold(name).replace("-", " ").replace("'", ""))


RULES = (
    missing_reference,
    uncited_reference,
    citation_order,
    invalid_citation,
    author_mention_mismatch,
)
