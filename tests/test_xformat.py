"""The same manuscript as .md + .bib, as Word, JATS, LaTeX, plain text and Markdown gives the
same findings (issue 8), on manuscripts of our own rendered by Pandoc's citeproc
(tests/fixtures/xformat: numbered NLM, author-year APA, Chinese GB/T 7714 superscripts;
`sh scripts/render_xformat.sh`; pandoc is not needed here).

A finding is compared as (rule, reference identity, severity); identity is the entry's first
author, year and first title words, since each format numbers and keys entries its own way.
What a rendering cannot say is listed below with the reason and asserted exactly: the test
fails if such a difference disappears or a new one appears.
"""

from __future__ import annotations

from collections import Counter

import pytest
from xformat_support import (
    RENDERINGS,
    check,
    paths,
    precision_recall,
    reduced,
    rendered_links,
    source_links,
)

NAMES = ("muscle", "sleep", "exosome")
PRINTED = ("docx", "docx_linked", "jats", "jats_publishing", "plain", "markdown")

PERRY = "perry 2010 repeated transient mrna"
ST_ONGE = "st-onge 2016 sleep duration and"
WU = "wu 1999 mechanisms controlling mitochondrial"
BUXTON = "buxton 2012 adverse metabolic consequences"
LIAO = "liao 2019 exosomes from mesenchymal"
WANG = "王磊 2021 外泌体微小rna在椎间盘退变中的研究进展"
# The entry without journal or volume, where the printed list does not say its type.
UNTYPED = {"muscle": PERRY, "sleep": ST_ONGE}  # GB/T 7714 prints "[J]": exosome's keeps it

# What the source (.md + .bib) reports: the deliberate faults of each manuscript.
SOURCE_FINDINGS = {
    "muscle": {
        ("missing-reference", "<chen2020volume>", "error"),
        ("claim-citation-missing", "<chen2020volume>", "info"),
        ("incomplete-reference", PERRY, "warning"),
        ("author-mention-mismatch", WU, "info"),  # "Puigserver et al." names the 2nd author
        ("duplicate-reference", "lin 2002 transcriptional co activator", "warning"),
    },
    "sleep": {
        ("missing-reference", "<morikawa2013>", "error"),
        ("claim-citation-missing", "<morikawa2013>", "info"),
        ("incomplete-reference", ST_ONGE, "warning"),
        ("author-mention-mismatch", BUXTON, "info"),  # "Cain et al. (2012)"
        ("duplicate-reference", "cappuccio 2010 sleep duration and", "warning"),
    },
    "exosome": {
        ("missing-reference", "<zhao2022>", "error"),
        ("claim-citation-missing", "<zhao2022>", "info"),
        ("incomplete-reference", WANG, "warning"),
        ("author-mention-mismatch", LIAO, "info"),  # "Luo 等" for Liao Z, Luo R, ...
        (
            "duplicate-reference",
            "张伟 2019 骨髓间充质干细胞来源外泌体对椎间盘退变的保护作用",
            "warning",
        ),
    },
}


def inherent(name: str, fmt: str) -> tuple[set, set]:
    """(findings the rendering cannot give, findings only the rendering gives), with why."""
    missing: set = set()
    extra: set = set()
    if fmt in PRINTED and name in UNTYPED:
        # A printed entry with authors, title and year but no journal does not say it is a
        # journal article (the .bib says @article): citecheck leaves entries of unclear type
        # alone rather than ask a web page or report for a volume. GB/T 7714 prints "[J]".
        missing.add(("incomplete-reference", UNTYPED[name], "warning"))
    return missing, extra


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict[str, set]]:
    lock = tmp_path_factory.mktemp("xformat") / "absent.lock.json"  # offline, no records
    return {
        name: {fmt: reduced(check(path, lock)) for fmt, path in paths(name).items()}
        for name in NAMES
    }


@pytest.mark.parametrize("name", NAMES)
def test_the_source_reports_its_deliberate_faults(results, name) -> None:
    assert results[name]["md+bib"] == SOURCE_FINDINGS[name]


@pytest.mark.parametrize("fmt", list(RENDERINGS))
@pytest.mark.parametrize("name", NAMES)
def test_every_rendering_gives_the_same_findings(results, name, fmt) -> None:
    source, rendered = results[name]["md+bib"], results[name][fmt]
    must_miss, must_add = inherent(name, fmt)
    assert source - rendered == must_miss, f"{fmt} lost {sorted(source - rendered)}"
    assert rendered - source == must_add, f"{fmt} added {sorted(rendered - source)}"


def test_latex_and_linked_jats_lose_nothing(results) -> None:
    """Keys (LaTeX) and linked xrefs (JATS) carry everything but the entry type."""
    for name in NAMES:
        assert results[name]["latex"] == results[name]["md+bib"]
        missing, extra = inherent(name, "jats_publishing")
        assert results[name]["jats_publishing"] == (results[name]["md+bib"] - missing) | extra


# ---------------------------------------------------------------------------------------------
# Links: every callout reaches the entry its source key names.


# Links a rendering cannot make (missed, never wrong). "serine 538 (8)" (a number before the
# group, as in a mean and SD "age 45 (12)") is read in text-scanned formats because 8 is the
# next number in citation order.
LINK_MISSES: dict[tuple[str, str], set[str]] = {}


@pytest.mark.parametrize("fmt", ["md+bib", *RENDERINGS])
@pytest.mark.parametrize("name", NAMES)
def test_every_callout_links_to_the_entry_its_key_names(name, fmt) -> None:
    gold, got = source_links(name), rendered_links(paths(name)[fmt])
    flat = Counter(x for group in got for x in group)
    wrong = flat - Counter(x for group in gold for x in group)
    assert not wrong, f"{fmt} links to {sorted(wrong)}"
    missed = Counter(x for group in gold for x in group) - flat
    assert set(missed) <= LINK_MISSES.get((name, fmt), set())
    assert precision_recall(gold, got)[0] == 1.0
