"""Rules about in-text citations: cited-but-missing, never cited, order, malformed, author named."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

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
    if not project.manuscript.numbered or _alphabetical(project.references):
        return  # an alphabetical numbered list is not numbered by citation at all
    if not project.manuscript.reading_order_known:
        return  # a PDF's tables, boxes and side columns float: their order proves nothing
    running = [c for c in project.callouts if c.in_running_text and not c.problem]
    # "(Sayigh et al. 1999)" linked to a numbered list is still an author-year citation: the
    # order of first citation means nothing when most callouts print names and years.
    if sum(map(_prints_a_year, running)) * 2 > len(running):
        return
    firsts: list[tuple[int, Callout]] = []
    seen: set[int] = set()
    for callout in running:
        if not _prints_a_year(callout):
            firsts += [(n, callout) for n in sorted(set(callout.numbers) - seen)]
            seen.update(callout.numbers)
    # Only the references out of place: [97] cited early is one finding, not one for each of
    # [11]-[96] cited after it. The rest keep the longest run in increasing order.
    in_order = _longest_increasing([n for n, _ in firsts])
    for i, (n, callout) in enumerate(firsts):
        if i in in_order:
            continue
        before = max((m for m, _ in firsts[:i]), default=0)
        if n < before:
            message = f"reference [{n}] is first cited after [{before}]"
            expected = f"[{n}] first cited before [{before}]"
        else:
            waiting = min(m for m, _ in firsts[i + 1 :] if m < n)
            message = f"reference [{n}] is first cited before [{waiting}]"
            expected = f"[{n}] first cited after [{waiting}]"
        yield Problem(
            f"{message}; in a numbered style references are numbered in order of first citation",
            callout.location,
            expected=expected,
            found=callout.text,
            suggestion="renumber the reference list in order of first citation",
            reference=n,
        )


def _longest_increasing(numbers: list[int]) -> set[int]:
    """Indexes of one longest increasing run (not necessarily contiguous) of `numbers`,
    preferring earlier elements on ties: in 1 2 3 5 4 6 it is [4] that is out of place."""
    # Patience sorting on the reversed, negated sequence: its longest increasing run is ours
    # read backwards, and reconstructing from its end favours our earliest elements.
    values = [-n for n in reversed(numbers)]
    tails: list[int] = []  # tails[k]: index (in values) ending the best run of length k + 1
    tail_values: list[int] = []
    parent: list[int | None] = []
    for i, v in enumerate(values):
        k = bisect.bisect_left(tail_values, v)
        parent.append(tails[k - 1] if k else None)
        if k == len(tails):
            tails.append(i)
            tail_values.append(v)
        else:
            tails[k] = i
            tail_values[k] = v
    run, at = set(), tails[-1] if tails else None
    while at is not None:
        run.add(len(numbers) - 1 - at)
        at = parent[at]
    return run


def _alphabetical(references: tuple[Reference, ...]) -> bool:
    """A numbered list sorted by first author (some journals number alphabetical lists)."""
    names = [_fold(r.authors[0].family) for r in references if r.number is not None and r.authors]
    if len(names) < 10:
        return False
    ordered = sum(a <= b for a, b in itertools.pairwise(names))
    return ordered >= 0.9 * (len(names) - 1)


_YEAR = re.compile(r"(?<![\d\[])(?:1[5-9]|20)\d\d[a-z]?(?![\d\]])")


def _prints_a_year(callout: Callout) -> bool:
    """ "1999", "Smith et al., 2004a": the printed citation is a year, not a number."""
    return bool(_YEAR.search(callout.text)) and "[" not in callout.text


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
    surnames = _surnames(project.references)
    first_authors = _first_authors(project.references)
    for callout in project.callouts:
        if not callout.author_mention:
            continue
        cited = [by_number.get(n) for n in callout.numbers] + [by_key.get(k) for k in callout.keys]
        refs = [r for r in dict.fromkeys(cited) if r is not None and r.authors]
        if not refs:
            continue
        group = _written_as_group(callout.author_mention, callout.sentence)
        # "Cheng et al. [26, 27]": the name goes with one of the cited works, usually the first.
        verdicts = []
        for ref in refs:
            authors, complete = _best_authors(project, ref)
            verdict = mention_problem(
                callout.author_mention, authors, complete=complete, group=group, surnames=surnames
            )
            if verdict is None:
                break
            verdicts.append((ref, authors, verdict))
        else:
            # The mildest verdict wins: a name that is some cited work's later author is a note.
            ref, authors, (message, suggestion, severity) = min(
                verdicts, key=lambda v: v[2][2] or Severity.ERROR
            )
            elsewhere = _elsewhere(callout.author_mention, refs, first_authors)
            if elsewhere and _position(split_names(callout.author_mention)[0], authors) is None:
                # The name is the first author of exactly one other entry: a wrong number is
                # likelier than an author hidden behind "et al.".
                suggestion, severity = suggestion + elsewhere, None
            yield Problem(
                f"'{callout.author_mention}' before {callout.text} {message}",
                callout.location,
                expected=_first_author_label(authors),
                found=callout.author_mention,
                suggestion=suggestion,
                reference=ref.number,
                bib_key=ref.key,
                severity=severity,
            )


MentionVerdict = tuple[str, str, Severity | None]  # message, suggestion, severity


def mention_problem(
    mention: str,
    authors: tuple[Author, ...],
    *,
    complete: bool = True,
    group: bool = True,
    surnames: frozenset[str] = frozenset(),
) -> MentionVerdict | None:
    """None when the mention fits the author list; else (what is wrong, suggestion, severity).

    Severity None means the rule's own (error). A named author who is on the paper but not
    where the mention puts them is a style note (info). A name that is on no author list of
    the manuscript, written without "et al."/等, may be a tool or a place: no verdict.
    `complete` is False when the list stops at "et al." (a later author may be hidden).
    """
    names = split_names(mention)
    if not names or not authors:
        return None
    whole = _GROUP_SUFFIX.sub("", mention)
    if _fold(whole) == _fold(authors[0].family):
        return None  # "European Centre for Disease Prevention and Control" is one author
    first = authors[0]
    positions = [_position(name, authors, i) for i, name in enumerate(names, start=1)]
    if positions[0] == 1:
        return _later_names(names, positions, authors, complete)
    right = f"write '{first.family}' (the first author's family name)"
    if positions[0] is not None:
        author = authors[positions[0] - 1]
        message = (
            f"names the {_ordinal(positions[0])} author ({_label(author)}), "
            f"not the first author {_label(first)}: a style note, the person is an author"
        )
        return (
            message,
            f"write '{first.family} et al.' or cite the work by its first author",
            (Severity.INFO),
        )
    given = _given_name_match(names[0], first)
    if given == "full" or (given == "initial" and group and _fold(names[0]) not in surnames):
        message = (
            f"looks like the first author's given name: the entry's first author is "
            f"{_label(first)} (family name {first.family})"
        )
        return message, right, None
    if not group and _fold(names[0]) not in surnames:
        return None  # "by Quake [3]", "ETE [4] showed": perhaps no person at all
    if not complete:
        message = (
            f"is not the first author ({_label(first)}); whether it is a later author cannot be "
            "determined: the entry's list stops at et al."
        )
        return message, right, Severity.INFO
    message = f"does not match any author of the cited entry (first author {_label(first)})"
    return message, right, None


def _later_names(
    names: list[str], positions: list[int | None], authors: tuple[Author, ...], complete: bool
) -> MentionVerdict | None:
    """'Krut and Gazit' for Krut, Ben-Ami, Gazit: the second name is an author, not the second."""
    fix = _name_the_authors(names[0], authors)
    for index, (name, position) in enumerate(zip(names, positions, strict=True), start=1):
        if index == 1 or position == index:
            continue
        if position is not None:
            named = authors[position - 1]
            message = (
                f"names '{name}' as author {index}, but {_label(named)} is the "
                f"{_ordinal(position)} of {len(authors)} authors: a style note"
            )
            return message, fix, Severity.INFO
        if not complete:
            return None  # the list stops at et al.: the name may be a hidden author
        if len(authors) == 1:
            why = "the entry has one author"
        elif _given_name_match(name, authors[min(index, len(authors)) - 1]) == "full":
            named = authors[min(index, len(authors)) - 1]
            why = f"it is the given name of the {_ordinal(index)} author, {_label(named)}"
        else:
            why = f"the second author is {_label(authors[1])}"
        return (
            f"names '{name}', who is not an author of the cited entry ({why})",
            fix,
            (Severity.WARNING),
        )
    return None


def _name_the_authors(first: str, authors: tuple[Author, ...]) -> str:
    """How to name the authors of a work: 'X', 'X and Y', or 'X et al.'."""
    if len(authors) == 1:
        return f"write '{first}'"
    if len(authors) == 2:
        return f"write '{first} and {authors[1].family}'"
    return f"write '{first} et al.'"


def split_names(mention: str) -> list[str]:
    """'Smith, Jones, & Brown', 'Li and Ji', 'Cheng et al.' -> the surnames as written."""
    # "Smith et al", "Schriks and co-workers": the suffix says "and others", it names nobody.
    mention = _GROUP_SUFFIX.sub("", mention)
    parts = re.split(r"\s*,\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+", mention)
    return [p.strip() for p in parts if p.strip()]


_GROUP_SUFFIX = re.compile(
    r"\s*(?:,?\s*et\s+al\.?|and\s+(?:co-?workers|colleagues)|等人?)\s*$", re.IGNORECASE
)


def _written_as_group(mention: str, sentence: str) -> bool:
    """True when the sentence writes the mention with "et al.", 等 or "and colleagues"."""
    if _GROUP_SUFFIX.search(mention):
        return True
    last = split_names(mention)[-1:] or [mention]
    pattern = re.escape(last[0]) + r"\s*(?:,?\s*et\s+al|等|and\s+(?:co-?workers|colleagues))"
    return bool(re.search(pattern, sentence, re.IGNORECASE))


def _surnames(references: tuple[Reference, ...]) -> frozenset[str]:
    """Every author family name of the list, folded: evidence that a word names a person."""
    names = set()
    for ref in references:
        for author in ref.authors:
            family = _fold(author.family)
            names.add(family)
            names.update(family.split())
    return frozenset(names)


def _best_authors(project: Project, ref: Reference) -> tuple[tuple[Author, ...], bool]:
    """The entry's authors, completed from a matched record that agrees on the first author
    (given names filled in, authors hidden behind "et al." restored), and whether the list
    is complete."""
    resolution = project.resolutions.get(ref.number) if ref.number is not None else None
    work = resolution.work if resolution else None
    if not work or not work.authors or not ref.authors:
        return ref.authors, not ref.et_al
    if _fold(work.authors[0].family) != _fold(ref.authors[0].family):
        return ref.authors, not ref.et_al
    merged = list(ref.authors)
    for i, author in enumerate(ref.authors):
        record = work.authors[i] if i < len(work.authors) else None
        same = record is not None and _fold(record.family) == _fold(author.family)
        if same and len(record.given) > len(author.given):
            merged[i] = Author(author.family, record.given)
    if ref.et_al and len(work.authors) > len(merged):
        merged.extend(work.authors[len(merged) :])
        return tuple(merged), True
    return tuple(merged), not ref.et_al


def _position(name: str, authors: tuple[Author, ...], expected: int = 1) -> int | None:
    """1-based position of the author a written name matches, or None: the expected place
    first ("Allendorf & Allendorf"), then an exact family name ("Treves", not
    Naughton-Treves), then a part of a compound one."""
    if expected <= len(authors) and _names_match(name, authors[expected - 1]):
        return expected
    written = _fold(name)
    exact = (i for i, a in enumerate(authors, start=1) if _fold(a.family) == written)
    loose = (i for i, a in enumerate(authors, start=1) if _names_match(name, a))
    return next(exact, None) or next(loose, None)


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


def _given_name_match(name: str, author: Author) -> str:
    """'full' for Tao vs Wen Tao, 'initial' for Tao vs Wen T (a guess), else ''."""
    written = _fold(name)
    given = _fold(author.given)
    if not written or not given:
        return ""
    if given.replace("-", " ").split()[0] == written or given.replace(" ", "") == written:
        return "full"
    initials = "".join(ch for ch in author.given if ch.isalpha())
    # Only initials known ("T"): a mention starting with that initial is the likely explanation.
    if initials.isupper() and len(initials) <= 3 and written[:1] == initials[:1].lower():
        return "initial"
    return ""


def _label(author: Author) -> str:
    return f"{author.family} {author.given}".strip()


def _first_author_label(authors: tuple[Author, ...]) -> str:
    return _label(authors[0]) if authors else ""


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def _elsewhere(
    mention: str, cited: list[Reference], first_authors: dict[str, list[Reference]]
) -> str:
    """' (Smith is the first author of [5]: is that the work meant?)' when exactly one other
    entry fits the name; else ''."""
    names = split_names(mention)
    if not names:
        return ""
    cited_ids = {id(r) for r in cited}
    fits = (
        r
        for r in first_authors.get(_fold(names[0]), ())
        if id(r) not in cited_ids and _names_match(names[0], r.authors[0])
    )
    others = list(itertools.islice(fits, 2))  # one other entry, or it says nothing
    if len(others) != 1:
        return ""
    other = others[0]
    label = f"[{other.number}]" if other.number is not None else other.key
    return f" ({names[0]} is the first author of {label}: is that the work meant?)"


def _first_authors(references: tuple[Reference, ...]) -> dict[str, list[Reference]]:
    """Entries by each written form that can name their first author: the folded family
    name, each part of a compound one, and the leading characters of a Han name."""
    index: dict[str, list[Reference]] = {}
    for ref in references:
        if not ref.authors:
            continue
        family = _fold(ref.authors[0].family)
        keys = {family, *family.split()}
        if has_cjk(family):
            keys.update(family[:i] for i in range(1, len(family)))
        for key in keys:
            index.setdefault(key, []).append(ref)
    return index


@lru_cache(maxsize=65536)
def _fold(name: str) -> str:
    """Case- and accent-insensitive form of a name ('Ekström' -> 'ekstrom', 'Wu-Williams' ->
    'wu williams')."""
    # Quote marks are what is left of BibTeX accents: H\"orsch -> H"orsch -> horsch.
    return one_line(fold(name).replace("-", " ").translate(_QUOTES))


_QUOTES = str.maketrans("", "", "'\"`’")


RULES = (
    missing_reference,
    uncited_reference,
    citation_order,
    invalid_citation,
    author_mention_mismatch,
)
