"""The same findings come out of DOCX, LaTeX and JATS renderings of a manuscript as out of its text.

A finding is compared by (rule slug, cited reference): the reference number, or for a key
the entry number it stands for (LaTeX keys from `references_to_bibtex`, JATS rids `refN`;
`ref40` is the undefined key / dangling rid of a number the list lacks). Locations differ
by format by design and are not compared.

What a format legitimately cannot say, and is therefore left out of one comparison only:
- citation-order in LaTeX: `\\cite{key}` carries no number; BibTeX numbers entries in order of
  first citation itself, so a key-based manuscript cannot be out of order (the rule is off).
- Sentences the text reader continues across a PDF page break and the interleaved Table 1:
  the renderings keep each text line as its own paragraph, as a real document would not
  be cut, so that one sentence's claim entities are compared only where it is not continued.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import docx
import pytest
from render_formats import Source, load_source, render_docx, render_jats, render_latex

from citecheck.config import Config
from citecheck.model import CheckResult, Finding
from citecheck.readers import read_manuscript
from citecheck.readers.docx import read_docx
from citecheck.readers.jats import read_jats
from citecheck.readers.latex import read_latex
from citecheck.workflow import run_check

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "manuscript.txt"
LOCK = REPO / "refs" / "references.lock.json"
FORMATS = ("docx", "latex", "jats")

# A small manuscript of our own (no ../shared needed): out-of-order, missing, incomplete and
# misnamed citations, a claim naming SUV39H1 where the title has SUV38H1, and a table.
SMALL = """Exosomes in disc degeneration

Disc degeneration is a common cause of low back pain^[1-2].

Cheng 等^[3]发现骨髓间充质干细胞来源外泌体携带 miR-21 抑制髓核细胞凋亡。Chen 等^[5]发现外泌体通过调控 SUV39H1 抑制凋亡。Tao 等^[4]发现 miR-199a 靶向 GREM1 抑制凋亡。尿源干细胞外泌体减轻内质网应激^[6]。后续研究^[7]尚在进行。

表 1 作用机制

作用机制\t外泌体来源\t参考文献
抑制细胞凋亡\t骨髓间充质干细胞\t[3][5]
抑制炎症\t人脐带间充质干细胞\t[7]

参考文献

- 1 Pan HY, Li HT, Guo S, et al. Low back pain and disc degeneration [J]. *Spine J*, 2020, 20 (1): 1-10.
- 2 Smith A, Jones B. Exosome biology in the disc [J]. *Cells*, 2021, 10: 200.
- 3 Cheng XF, Zhang GY. Stem cell exosomes deliver miR-21 to nucleus pulposus cells [J]. *J Cell Mol Med*, 2018, 22 (1): 261-276.
- 4 Wen T, Wang HS. Vesicles transfer microRNA-199a to disc cells [J]. *Cell Cycle*, 2021, 20 (3): 256-270.
- 5 Chen D, Jiang X. Exosomal miR-125-5p regulates autophagy by targeting SUV38H1 [J]. *Exp Cell Res*, 2022, 414 (1): 113066.
- 6 Xiang HF, Su WL. Urine stem cell exosomes ease endoplasmic reticulum stress [J/OL]. <https://doi.org/10.1155/2020/6697577>.
"""


def render_all(source: Source, directory: Path) -> dict[str, tuple[str, str | None]]:
    """Each format's (manuscript, --refs) paths, text first."""
    directory.mkdir(parents=True, exist_ok=True)
    text = directory / "manuscript.txt"
    text.write_text(source.text, encoding="utf-8")
    tex, bib = render_latex(source, directory)
    return {
        "text": (str(text), None),
        "docx": (str(render_docx(source, directory / "manuscript.docx")), None),
        "latex": (str(tex), str(bib)),
        "jats": (str(render_jats(source, directory / "manuscript.nxml")), None),
    }


def check_all(paths: dict[str, tuple[str, str | None]], lock: Path) -> dict[str, CheckResult]:
    return {
        name: run_check(Config(), manuscript=manuscript, refs=refs, lock_path=str(lock))
        for name, (manuscript, refs) in paths.items()
    }


def identity(finding: Finding, source: Source) -> tuple[str, int | str | None]:
    """(rule, cited entry): the number, else the number behind the key, else what was found."""
    if finding.reference is not None:
        return finding.rule, finding.reference
    if finding.bib_key:
        return finding.rule, source.number_of(finding.bib_key) or finding.bib_key
    if finding.found:  # claim-citation-missing for keys only: "ref40, ref43"
        first = finding.found.split(",")[0].strip().strip("[]")
        return finding.rule, int(first) if first.isdigit() else source.number_of(first) or first
    return finding.rule, None


def findings(result: CheckResult, source: Source) -> Counter:
    return Counter(identity(f, source) for f in result.findings)


def claims(result: CheckResult, source: Source) -> list[tuple[tuple[int | None, ...], str]]:
    """Each claim's cited entries (keys mapped to numbers) and author mention, in order."""
    return [
        (
            tuple(sorted(set(c.numbers) | {source.number_of(k) for k in c.keys})),
            c.author_mention,
        )
        for c in result.claims
    ]


def claim_entities(result: CheckResult) -> list[tuple[str, ...]]:
    return [tuple(sorted(e.normalized for e in c.entities)) for c in result.claims]


def comparable_references(result: CheckResult) -> list[tuple]:
    """Reference fields, without what differs by format: raw text, location, key."""
    return [
        (r.number, r.authors, r.et_al, r.title, r.container, r.year, r.volume, r.issue)
        + (r.pages, r.article_number, r.doi, r.url, r.type_marker, r.kind, r.language)
        for r in result.references
    ]


# ---------------------------------------------------------------------------------------------
# The seed manuscript (../shared), with and without the repository's lock file.


@pytest.fixture(scope="module")
def seed() -> Source:
    if not SEED.is_file():
        pytest.skip("../shared not present (a user's clone has no ../shared/seed/manuscript.txt)")
    return load_source(SEED.read_text(encoding="utf-8"), str(SEED))


@pytest.fixture(scope="module", params=["repo-lock", "no-lock"])
def seed_results(request, seed: Source, tmp_path_factory) -> dict[str, CheckResult]:
    directory = tmp_path_factory.mktemp("seed-formats")
    lock = LOCK if request.param == "repo-lock" else directory / "absent.lock.json"
    if request.param == "repo-lock" and not LOCK.is_file():
        pytest.skip("refs/references.lock.json not present")
    return check_all(render_all(seed, directory), lock)


@pytest.mark.parametrize("name", FORMATS)
def test_seed_findings_are_the_same_in_every_format(seed_results, seed, name) -> None:
    text, other = findings(seed_results["text"], seed), findings(seed_results[name], seed)
    assert set(other) == set(text)
    assert other == text  # and as often: one per callout group, claim and entry alike
    assert len(seed_results[name].findings) == len(seed_results["text"].findings)


@pytest.mark.parametrize("name", ("text", *FORMATS))
def test_seed_findings_named_in_the_issue(seed_results, seed, name) -> None:
    result = seed_results[name]
    found = set(findings(result, seed))
    assert ("author-mention-mismatch", 32) in found  # "Tao 等" for Wen T: a given name
    assert {("missing-reference", n) for n in range(40, 56)} <= found
    assert ("incomplete-reference", 36) in found  # only a URL
    mismatch = [f for f in result.findings if f.rule == "claim-entity-mismatch"]
    assert [(f.reference, f.found) for f in mismatch] == [(35, "SUV39H1")]
    assert "SUV38H1" in mismatch[0].message
    missing = {f.bib_key or f.reference for f in result.findings if f.rule == "missing-reference"}
    if name in ("latex", "jats"):  # an undefined \cite key / an xref rid with no <ref>
        assert missing == {f"ref{n}" for n in range(40, 56)}
    else:
        assert missing == set(range(40, 56))


@pytest.mark.parametrize("name", FORMATS)
def test_seed_claims_cite_and_name_the_same_in_every_format(seed_results, seed, name) -> None:
    assert claims(seed_results[name], seed) == claims(seed_results["text"], seed)


@pytest.mark.parametrize("name", FORMATS)
def test_seed_claim_entities_agree_except_across_a_page_break(seed_results, seed, name) -> None:
    text, other = seed_results["text"], seed_results[name]
    continued = continued_claims(text, seed)
    # Only "Chen 等^[27]...BMSCs 来源外泌体" / Table 1 / "通过 miR-155-5p ...": one claim.
    assert [text.claims[i].numbers for i in continued] == [(27,)]
    text_entities, other_entities = claim_entities(text), claim_entities(other)
    for i, (a, b) in enumerate(zip(text_entities, other_entities, strict=True)):
        if i not in continued:
            assert a == b, text.claims[i].id
    verdicts = {
        (v.claim_id, v.reference, v.entity.normalized, v.verdict)
        for v in other.claim_verdicts
        if v.claim_id not in {text.claims[i].id for i in continued}
    }
    assert verdicts == {
        (v.claim_id, v.reference, v.entity.normalized, v.verdict)
        for v in text.claim_verdicts
        if v.claim_id not in {text.claims[i].id for i in continued}
    }


def continued_claims(text: CheckResult, source: Source) -> set[int]:
    """Claims whose sentence the text reader read on past the end of its own line."""
    lines = {block.line: " ".join(block.text.split()) for block in source.blocks}
    sentences = {
        (c.location.line, c.location.column): c.sentence for c in source.manuscript.callouts
    }
    return {
        i
        for i, claim in enumerate(text.claims)
        if sentences[(claim.location.line, claim.location.column)] not in lines[claim.location.line]
    }


@pytest.mark.parametrize("name", FORMATS)
def test_seed_reference_list_reads_the_same_in_every_format(seed_results, name) -> None:
    assert comparable_references(seed_results[name]) == comparable_references(seed_results["text"])


def test_every_seed_callout_survives_each_rendering(seed, tmp_path) -> None:
    """Callout for callout: what each one cites, the name before it, running text or table."""
    paths = render_all(seed, tmp_path)

    def read(name: str) -> list[tuple]:
        manuscript = read_manuscript(*paths[name])
        return [
            (
                tuple(sorted(set(c.numbers) | {seed.number_of(k) for k in c.keys})),
                c.author_mention,
                c.in_running_text,
                c.problem,
            )
            for c in manuscript.callouts
        ]

    text = read("text")
    assert len(text) == 57
    for name in FORMATS:
        assert read(name) == text, name


# ---------------------------------------------------------------------------------------------
# A small manuscript of our own: runs without ../shared and shows the one rule a format lacks.


@pytest.fixture(scope="module")
def small() -> Source:
    return load_source(SMALL, "small.txt")


@pytest.fixture(scope="module")
def small_results(small: Source, tmp_path_factory) -> dict[str, CheckResult]:
    directory = tmp_path_factory.mktemp("small-formats")
    return check_all(render_all(small, directory), directory / "absent.lock.json")


def test_small_manuscript_findings(small_results, small) -> None:
    found = set(findings(small_results["text"], small))
    assert {
        ("citation-order", 4),  # [5] is cited before [4]
        ("author-mention-mismatch", 4),
        ("missing-reference", 7),
        ("incomplete-reference", 6),
        ("claim-entity-mismatch", 5),
        ("claim-citation-missing", 7),
    } <= found


@pytest.mark.parametrize("name", FORMATS)
def test_small_manuscript_same_findings_but_order_in_latex(small_results, small, name) -> None:
    text = findings(small_results["text"], small)
    if name == "latex":
        # \cite{key} has no number to be out of order: BibTeX numbers by first citation.
        text = Counter({k: v for k, v in text.items() if k[0] != "citation-order"})
    assert findings(small_results[name], small) == text
    assert claims(small_results[name], small) == claims(small_results["text"], small)
    assert claim_entities(small_results[name]) == claim_entities(small_results["text"])


# ---------------------------------------------------------------------------------------------
# The reader fixes the comparison needed, each shown on its own.


def test_jats_xref_to_no_ref_is_a_missing_reference_not_a_malformed_callout() -> None:
    xml = (
        '<article><body><p>Shown before <xref ref-type="bibr" rid="r1">1</xref>,'
        '<xref ref-type="bibr" rid="r9">9</xref>.</p></body><back><ref-list>'
        '<ref id="r1"><mixed-citation>Cheng X. A title [J]. J Cell Mol Med, 2018, 22: 261.'
        "</mixed-citation></ref></ref-list></back></article>"
    )
    callout = read_jats(xml, "a.nxml").callouts[0]
    assert (callout.numbers, callout.keys, callout.problem) == ((1,), ("r9",), "")


LATEX_BIB = (
    "@article{cheng2018, author = {Cheng, Xin}, title = {Exosomes deliver miR-21},"
    " year = {2018}, refnumber = {1}}\n"
    "@article{plain2019, author = {Plain, Ann}, title = {No number}, year = {2019}}\n"
)


def test_latex_cites_entries_by_their_list_number_when_the_bib_has_one() -> None:
    from citecheck.bibliography.bib import read_bibtex

    refs, _ = read_bibtex(LATEX_BIB, "refs.bib")
    tex = "\\begin{document}\nA \\cite{cheng2018,plain2019,nowhere}.\n\\end{document}\n"
    callout = read_latex(tex, "a.tex", refs).callouts[0]
    assert callout.numbers == (1,)
    assert callout.keys == ("cheng2018", "plain2019", "nowhere")


def test_latex_table_rows_are_separate_sentences_and_not_running_text() -> None:
    tex = (
        "\\begin{document}\nRunning text \\cite{a}.\n\\begin{tabular}{ll}\n"
        "apoptosis & \\cite{b} \\\\\ninflammation & \\cite{c} \\\\\n\\end{tabular}\n"
        "\\end{document}\n"
    )
    callouts = read_latex(tex, "a.tex", ()).callouts
    assert [c.in_running_text for c in callouts] == [True, False, False]
    assert [c.sentence for c in callouts[1:]] == [
        "apoptosis & \\cite{b}",
        "inflammation & \\cite{c}",
    ]


def read_with_references(document, path: Path) -> tuple:
    """Add a two-entry list after a References heading, save, and read the callouts back."""
    document.add_heading("References", level=1)
    document.add_paragraph("[1] Cheng X. A title [J]. J Cell Mol Med, 2018, 22: 261.")
    document.add_paragraph("[2] Liao Z. Another title [J]. Theranostics, 2019, 9: 4084.")
    document.save(path)
    return read_docx(path).callouts


def test_docx_table_cell_callout_reads_its_row_as_context(tmp_path) -> None:
    document = docx.Document()
    document.add_paragraph("Body text [1].")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "apoptosis", "[1]"
    table.cell(1, 0).text, table.cell(1, 1).text = "inflammation", "[2]"
    callouts = read_with_references(document, tmp_path / "a.docx")
    assert [(c.sentence, c.in_running_text) for c in callouts] == [
        ("Body text [1].", True),
        ("apoptosis [1]", False),
        ("inflammation [2]", False),
    ]


def test_docx_merged_table_cell_is_read_once(tmp_path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "merged [1]"
    table.cell(0, 2).text = "apoptosis"
    table.cell(0, 2).merge(table.cell(1, 2))
    table.cell(1, 0).text = "[2]"
    callouts = read_with_references(document, tmp_path / "a.docx")
    assert [(c.numbers, c.sentence) for c in callouts] == [
        ((1,), "merged [1] apoptosis"),
        ((2,), "[2]"),
    ]
