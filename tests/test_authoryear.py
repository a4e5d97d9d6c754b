"""Author-year cites: finding them in running text and linking them to the right reference."""

from __future__ import annotations

from citecheck.citations.authoryear import (
    find_author_year,
    link_author_year,
    link_callout,
    parse_cites,
    same_family,
    scan_author_year,
)
from citecheck.model import Author, Callout, Location, Reference

HERE = Location("refs.txt", 1)


def ref(
    key: str, year: int | None, *families: str, et_al: bool = False, raw: str = ""
) -> Reference:
    authors = tuple(Author(f, "A") for f in families)
    return Reference(
        key,
        raw or f"{', '.join(families)} ({year}) Title.",
        HERE,
        year=year,
        authors=authors,
        et_al=et_al,
    )


REFS = (
    ref("smith2004", 2004, "Smith", "Jones", "Brown"),
    ref("smith2004b", 2004, "Smith"),
    ref("potter1983", 1983, "Potter", "McMichael"),
    ref("potter1983b", 1983, "Potter", "Klein", "Ng"),
    ref("verdier1992", 1992, "Gerhardsson de Verdier", "London"),
    ref("strahle2006", 2006, "Strähle", "Adolf"),
    ref("lee2010a", 2010, "Lee", "Park", raw="Lee A, Park A (2010a) First."),
    ref("lee2010b", 2010, "Lee", "Park", raw="Lee A, Park A (2010b) Second."),
    ref("who2007", 2007, raw="World Health Organization. Report. 2007."),
)


def keys(text: str) -> list[str]:
    return [r.key for r in link_author_year(text, REFS)]


def test_et_al_prefers_a_multi_author_work_over_a_sole_author_one() -> None:
    assert keys("Smith et al., 2004") == ["smith2004"]
    assert keys("Smith 2004") == ["smith2004b"]
    assert keys("Smith et la., 2004") == ["smith2004"]  # the usual typo (a Frontiers PDF)


def test_two_names_pick_the_work_with_that_second_author() -> None:
    assert keys("Potter and McMichael, 1983") == ["potter1983"]
    assert keys("Potter & McMichael 1983") == ["potter1983"]
    assert keys("Potter et al. 1983") == ["potter1983b"]


def test_suffix_as_printed_in_the_list_decides() -> None:
    assert keys("Lee and Park, 2010b") == ["lee2010b"]
    assert keys("Lee and Park 2010a, b") == ["lee2010a", "lee2010b"]
    # Without a suffix two works fit equally: nothing is linked rather than a guess.
    assert keys("Lee and Park, 2010") == []


def test_suffix_without_marks_in_the_list_follows_list_order() -> None:
    unmarked = (ref("kim1", 2001, "Kim"), ref("kim2", 2001, "Kim"))
    assert [r.key for r in link_author_year("Kim 2001b", unmarked)] == ["kim2"]


def test_wrong_year_or_unknown_name_links_nothing() -> None:
    assert keys("Smith et al., 2005") == []
    assert keys("Nobody 2004") == []


def test_names_with_particles_accents_and_organisations() -> None:
    assert keys("de Verdier and London, 1992") == ["verdier1992"]
    assert keys("Gerhardsson de Verdier and London, 1992") == ["verdier1992"]
    assert keys("Strahle and Adolf 2006") == ["strahle2006"]
    assert keys("World Health Organization 2007") == ["who2007"]
    assert same_family("Tjønneland", "Tjonneland")
    assert not same_family("Li", "Lin")


def test_several_cites_in_one_callout() -> None:
    assert keys("Smith et al., 2004; Potter and McMichael, 1983") == ["smith2004", "potter1983"]
    cites = parse_cites("e.g., Smith 2004, 2006")
    assert [(c.names, c.year) for c in cites] == [(("Smith",), 2004), (("Smith",), 2006)]


def test_finds_parenthetical_and_narrative_cites_in_running_text() -> None:
    text = (
        "Hormones protect the colon (Potter and McMichael, 1983; Smith et al., 2004).\n"
        "As described by Smith (2004), the effect is small (see Lee and Park 2010a, b)."
    )
    found = [(c.mention, c.year, c.suffix) for c in find_author_year(text)]
    assert found == [
        ("Potter and McMichael", 1983, ""),
        ("Smith et al.", 2004, ""),
        ("Smith", 2004, ""),
        ("Lee and Park", 2010, "a"),
        ("Lee and Park", 2010, "b"),
    ]
    assert find_author_year("The dose (5 mg, 2004 samples) and Table 2 (2019).") == []


def test_scan_gives_one_callout_per_cite_with_line_column_and_sentence() -> None:
    text = "Intro.\n\nHormones protect the colon (Potter and McMichael, 1983). Next."
    callouts = scan_author_year(text, "paper.md")
    assert len(callouts) == 1
    callout = callouts[0]
    assert callout.location == Location("paper.md", 3, 29)
    assert callout.text == "Potter and McMichael, 1983"
    assert callout.author_mention == "Potter and McMichael"
    assert callout.sentence == "Hormones protect the colon (Potter and McMichael, 1983)."
    assert [r.key for r in link_callout(callout, REFS)] == ["potter1983"]


def test_a_bare_year_borrows_the_names_of_its_callout() -> None:
    callout = Callout(HERE, "2004", (), author_mention="Smith et al.")
    assert [r.key for r in link_callout(callout, REFS)] == ["smith2004"]


def test_apa_lists_name_every_author_and_link_by_the_first() -> None:
    """PeerJ/APA print up to twenty names: "Potter, Klein & Ng, 1983", "Smith, Jones, and Brown (2004)"."""
    assert keys("Potter, Klein & Ng, 1983") == ["potter1983b"]
    assert keys("Smith, Jones, and Brown 2004") == ["smith2004"]
    cites = find_author_year(
        "as (Potter, Klein &\nNg, 1983) and Smith, Jones, and Brown (2004) found"
    )
    assert [c.names for c in cites] == [("Potter", "Klein", "Ng"), ("Smith", "Jones", "Brown")]
    assert cites[0].text == "Potter, Klein & Ng, 1983"  # one line, as printed
    assert cites[1].mention == "Smith, Jones and Brown"


def test_names_are_letters_and_a_cite_starts_a_list_item() -> None:
    """Product and model names with numbers are not cites; "see also X, 1992" still is."""
    assert find_author_year("filmed (Panasonic HDC-TM60 HD 1920) at 25 fps") == []
    cites = find_author_year("(e.g. Smith 2004; see also Potter et al., 1983 on rats)")
    assert [(c.names, c.year) for c in cites] == [(("Smith",), 2004), (("Potter",), 1983)]


def test_cites_inside_nested_parentheses_and_after_unpaired_ones_are_found() -> None:
    text = (
        "as in marmosets (tamarins (Saguinus): Potter and McMichael, 1983; Smith 2004b). "
        "[see (available at http://example.org/2008/x and more. Later (Potter et al. 1983) "
        "and (a (b) c (Smith, Jones, and Brown 2004))."
    )
    cites = [(c.names[0], c.year) for c in find_author_year(text)]
    assert cites == [("Potter", 1983), ("Smith", 2004), ("Potter", 1983), ("Smith", 2004)]
