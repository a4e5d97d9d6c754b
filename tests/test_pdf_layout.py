"""PDF reader, layout features many PDFs share: sideways table pages, page numbers inside the
margin band, licence lines after the list, squared units in superscript."""

from __future__ import annotations

from pathlib import Path

import pdfmaker
import pytest
from pdfmaker import Run, lines, write_pdf

from citecheck.readers import read_manuscript

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdf-dev"

PROSE = [
    "Bowel preparation before capsule endoscopy has been studied in many trials and the",
    "results of these trials were summarised in several reviews of the literature [1].",
    "Prokinetic drugs were given to shorten the transit time of the capsule through the",
    "stomach and the small bowel in a number of randomised controlled studies [3].",
    "The completion rate of the examination was the main outcome in most of these studies.",
    "Other outcomes were the quality of the view of the mucosa and the diagnostic yield.",
    "The studies were small and their designs varied from one centre to the next one here.",
    "We therefore pooled the results of all the studies that reported these outcomes here.",
]
REFERENCES = [
    "1. Leung WK, Chan FK. Effect of oral erythromycin on gastric transit. World J",
    "Gastroenterol. 2005;11:4865-4868.",
    "2. Caddy GR, Moran L. The effect of erythromycin on video capsule endoscopy intubation",
    "of the small bowel. Gastrointest Endosc. 2006;63:262-266.",
    "3. Niv E, Bonger I. Effect of erythromycin on image quality and transit time. Aliment",
    "Pharmacol Ther. 2008;28:1259-1264.",
]
TABLE = [
    "Table 2: Studies of prokinetics versus standard preparation.",
    "Author (year)   Design   Number   Completion rate",
    "Leung et al. [1]   Prospective   38   16 versus 70",
    "Caddy et al. [2]   Randomised   45   20 versus 72",
    "Niv et al. [3]   Retrospective   100   88 versus 81",
]


class Sideways(list):
    """A page whose runs are drawn rotated by `turn` degrees (90: text running up the page)."""

    def __init__(self, runs: list[Run], turn: int):
        super().__init__(runs)
        self.turn = turn


def _sideways_content(original):
    def content(runs):
        if not isinstance(runs, Sideways):
            return original(runs)
        a, b = (0, 1) if runs.turn == 90 else (0, -1)
        ops = [
            f"BT /F1 {run.size} Tf {a} {b} {-b} {a} {run.x} {run.y} Tm "
            f"({pdfmaker._escape(run.text)}) Tj ET"
            for run in runs
        ]
        return "\n".join(ops).encode("cp1252")

    return content


def _table_runs(turn: int) -> Sideways:
    """The table's rows as lines of a page turned sideways, first row at the page's top edge
    when the page is turned upright."""
    if turn == 90:  # text runs up: rows below the first sit further right
        return Sideways([Run(80 + 16 * i, 120, text, 9) for i, text in enumerate(TABLE)], 90)
    return Sideways([Run(515 - 16 * i, 720, text, 9) for i, text in enumerate(TABLE)], 270)


@pytest.mark.parametrize("turn", [90, 270])
def test_a_table_page_set_sideways_is_read(tmp_path, monkeypatch, turn):
    monkeypatch.setattr(pdfmaker, "_content", _sideways_content(pdfmaker._content))
    page1 = [Run(72, 780, "Prokinetics for capsule endoscopy", 16), *lines(72, 720, PROSE)]
    page3 = [Run(72, 720, "References", 12), *lines(72, 700, REFERENCES, size=8, leading=10)]
    path = write_pdf(tmp_path / "table.pdf", [page1, _table_runs(turn), page3])
    manuscript = read_manuscript(str(path))
    on_table = [c for c in manuscript.callouts if c.location.line == 2]
    assert sorted(c.numbers for c in on_table) == [(1,), (2,), (3,)]
    assert not any(c.in_running_text for c in on_table)  # a table says nothing on order
    assert [r.number for r in manuscript.references] == [1, 2, 3]


def test_upright_pages_are_not_turned(tmp_path):
    page1 = [Run(72, 780, "Prokinetics for capsule endoscopy", 16), *lines(72, 720, PROSE)]
    page2 = [Run(72, 720, "References", 12), *lines(72, 700, REFERENCES, size=8, leading=10)]
    manuscript = read_manuscript(str(write_pdf(tmp_path / "up.pdf", [page1, page2])))
    assert [c.numbers for c in manuscript.callouts] == [(1,), (3,)]


def _list_pages(folio_y: float) -> list[list[Run]]:
    """Two pages with a folio (101, 102) at `folio_y`; the list runs over the page break."""
    names = [
        "Adams",
        "Baker",
        "Clark",
        "Davis",
        "Evans",
        "Fisher",
        "Green",
        "Hughes",
        "Irving",
        "Jones",
        "Klein",
        "Lewis",
        "Moore",
    ]
    body = [
        f"{n}. {names[n % 13]} A, Writer B. Growth of strain {n} in culture. J Test. 2001;{n}:1-9."
        for n in range(1, 30)
    ]
    page1 = [
        Run(72, 760, "A study of page numbers", 16),
        *lines(72, 720, PROSE),
        Run(72, 560, "References", 12),
        *lines(72, 540, body[:20], size=8, leading=10),
    ]
    page2 = lines(72, 740, body[20:], size=8, leading=10)
    pages = [page1, page2]
    for i, page in enumerate(pages):
        page.append(Run(520, folio_y, str(101 + i), 9))
    return pages


@pytest.mark.parametrize("folio_y", [785.0, 60.0])  # inside the margin band, not at its edge
def test_page_numbers_inside_the_margin_band_join_no_entry(tmp_path, folio_y):
    path = write_pdf(tmp_path / "folio.pdf", _list_pages(folio_y))
    refs = read_manuscript(str(path)).references
    assert len(refs) == 29
    assert [r.raw for r in refs if not r.raw.endswith("1-9.")] == []


def test_a_licence_line_after_the_last_entry_is_not_part_of_it(tmp_path):
    page1 = [Run(72, 780, "A study of licences", 16), *lines(72, 720, PROSE)]
    page2 = [
        Run(72, 720, "References", 12),
        *lines(
            72,
            700,
            [
                *REFERENCES,
                "© 2014 by the authors; licensee Example Publishing, Basel, Switzerland. This article is an",
                "open access article distributed under the terms and conditions of the Creative Commons",
                "Attribution license (http://creativecommons.org/licenses/by/4.0/).",
            ],
            size=8,
            leading=10,
        ),
    ]
    manuscript = read_manuscript(str(write_pdf(tmp_path / "licence.pdf", [page1, page2])))
    last = manuscript.references[-1]
    assert last.number == 3 and "©" not in last.raw and "licensee" not in last.raw
    assert last.year == 2008


def test_a_squared_unit_in_superscript_is_no_citation(tmp_path):
    page1 = [
        Run(72, 780, "A study of body mass", 16),
        *lines(72, 720, PROSE[:4]),
        Run(
            72,
            660,
            "Body mass index was calculated as weight in kilograms divided by (height in meters)",
            more=(("2", 6.0, 4.0), (").", 10.0, 0.0)),
        ),
        Run(
            72,
            648,
            "The prevalence was higher in the elderly than in younger adults of the same region",
            more=(("2", 6.0, 4.0), (".", 10.0, 0.0)),
        ),
    ]
    page2 = [Run(72, 720, "References", 12), *lines(72, 700, REFERENCES, size=8, leading=10)]
    manuscript = read_manuscript(str(write_pdf(tmp_path / "bmi.pdf", [page1, page2])))
    assert sorted(c.numbers for c in manuscript.callouts) == [(1,), (2,), (3,)]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared not present")
def test_real_rotated_table_page_is_read():
    manuscript = read_manuscript(str(SHARED / "hindawi-grp-2016-6802810.pdf"))
    on_page5 = sorted(n for c in manuscript.callouts if c.location.line == 5 for n in c.numbers)
    assert on_page5 == list(range(28, 37))


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared not present")
def test_real_folio_and_licence_stay_out_of_the_list():
    refs = read_manuscript(str(SHARED / "mdpi-metabolites-4-932.pdf")).references
    assert refs[42].raw.endswith("73–77.")
    assert refs[43].number == 44 and refs[43].year == 1990 and "©" not in refs[43].raw
