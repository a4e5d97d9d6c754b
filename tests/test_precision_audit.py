"""False alarms found by reading citecheck's findings on real documents it was not tuned on
(PMC and publisher JATS, publisher PDFs, Pandoc renderings of real manuscripts to Word and
JATS): each test is the general pattern behind one, on a small inline fixture."""

from __future__ import annotations

from pathlib import Path

from citecheck.citations.callouts import scan_callouts
from citecheck.model import Location
from citecheck.readers.docx import read_docx
from citecheck.readers.text import read_text
from citecheck.references.completeness import gap
from citecheck.references.refparse import parse_reference
from tests.test_docx_citations import make_docx, p, t


def _numbers(text: str) -> list[tuple[int, ...]]:
    return [c.numbers for c in scan_callouts(text, "x.md")]


def test_code_identifier_indexes_are_not_citations() -> None:
    # An un-knitted R Markdown chunk in Word: "xi_c_prccPRCC[8,1]" indexes a matrix.
    assert _numbers("S0 <- xi_c_prccPRCC[8,1] and R0 <- fit.summary[7, 1]") == []
    # Prose still cites: a word, a decimal, Markdown emphasis, an abbreviation.
    assert _numbers("the data[3] grew 2.5[4] fold in _Gut_[5], e.g.[6]") == [
        (3,),
        (4,),
        (5,),
        (6,),
    ]


def test_empty_word_reference_list_takes_no_supplement_for_entries(tmp_path: Path) -> None:
    # A bibliography never filled in: the References heading is followed by the next section.
    heading = '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
    body = (
        p(t("Gut bacteria shape colon tumours [1]."))
        + f"<w:p>{heading}{t('References')}</w:p>"
        + f"<w:p>{heading}{t('Supplementary information')}</w:p>"
        + p(t("Phylogenetic tree of 360 bacterial species that were predictive of IBD."))
        + p(t("Pathways that were enriched among sets of differentially abundant sequences."))
    )
    manuscript = read_docx(make_docx(tmp_path / "empty-list.docx", body))
    assert manuscript.references == ()


def test_function_arguments_and_inline_code_are_not_citations() -> None:
    # R and Python set as running text: "c(2,3)", "np.zeros([46,4])".
    text = (
        "The effect was large (1). Code: scalps <- apply(abs(x),c(2,3),mean) and "
        "amps = np.zeros([46,4]) were kept (2). Later work agreed (3)."
    )
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [
        (1,),
        (2,),
        (3,),
    ]


JATS = """<article><body>
<p>Positive controls (<italic>F</italic>(<monospace>r res$DFn[1]</monospace>,
<monospace>r res$DFd[1]</monospace>) = 4.2) agree with earlier work (1), as did (2, 3).</p>
<p>The pilot replicates (3).</p>
</body><back><ref-list>
<ref id="ref-a"><mixed-citation>1. Preston C, Newport R. Analgesic effects of multisensory
illusions in osteoarthritis. Rheumatology. 2011;50(12):2314-5.</mixed-citation></ref>
<ref id="ref-b"><mixed-citation>2. Stanton TR, Gilpin HR, Edwards L. Illusory resizing of the
painful knee is analgesic. Pain. 2018;159(5):870-8.</mixed-citation></ref>
<ref id="ref-c"><mixed-citation>3. Botvinick M, Cohen J. Rubber hands feel touch that eyes
see. Nature. 1998;391(6669):756.</mixed-citation></ref>
</ref-list></back></article>"""


def test_pandoc_jats_inline_code_is_not_citations() -> None:
    from citecheck.readers.jats import read_jats

    manuscript = read_jats(JATS, "ms.xml")
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2, 3), (3,)]


def test_apa_author_year_in_word(tmp_path: Path) -> None:
    # Citeproc's APA: initials only as far as needed ("K. Hansford" is not "K. J. Hansford"),
    # a possessive, a sentence adverb before the names, a Unicode hyphen in a name.
    from citecheck.config import Config
    from citecheck.workflow import run_check

    body = (
        p(t("Earlier work (K. J. Hansford et al., 2023) and (K. Hansford et al., 2023)."))
        + p(t("Similarly, Dupuy & Prakash (2018) find cuts, as in Earl and Braithwaite’s (2022) "))
        + p(t("model and in Kenya (Berger‐Kern et al., 2021)."))
        + p(t("References"), style="Heading1")
        + p(t("Berger‐Kern, N., Hetz, F., & Wolff, J. (2021). Defending civic space. "))
        + p(t("Dupuy, K., & Prakash, A. (2018). Do donors reduce bilateral aid? Nonprofit and "))
        + p(t("Earl, J., & Braithwaite, J. M. (2022). Layers of repression. Annu Rev, 1, 1–20."))
        + p(t("Hansford, K. J., Baker, D. H., & Preston, C. E. (2023). Distinct neural "))
        + p(t("Hansford, K., Baker, D. H., & Preston, C. (2023). Multisensory integration."))
    )
    path = make_docx(tmp_path / "apa.docx", body)
    result = run_check(Config(), manuscript=str(path))
    shown = [(f.rule, f.message) for f in result.findings if f.severity.name != "INFO"]
    assert not [s for s in shown if s[0] != "incomplete-reference"], shown


def test_a_citation_after_the_full_stop_is_read() -> None:
    # "exactness.(1,2)": Vancouver styles put the number after the sentence's full stop.
    text = "Models give a false sense of exactness.(1,2) They also hide alternatives (3)."
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [(1, 2), (3,)]


def test_word_citation_after_the_full_stop_is_read(tmp_path: Path) -> None:
    body = (
        p(t("Models give a false sense of exactness.(1,2) They hide alternatives.(3) See Eq.(2)."))
        + p(t("References"), style="Heading1")
        + p(t("1. Pye S. Modelling net-zero. Clim Policy. 2020;20:1-10."))
        + p(t("2. Yue X. A review. Energy Strateg Rev. 2018;21:204-17."))
        + p(t("3. Li F. Alternatives. Energy. 2019;5:1-9."))
    )
    manuscript = read_docx(make_docx(tmp_path / "after-stop.docx", body))
    assert [c.numbers for c in manuscript.callouts] == [(1, 2), (3,)]


def test_a_year_in_the_sentence_does_not_hide_the_citation() -> None:
    # "in 2023 (48)": the year belongs to the sentence; "10, 20 (3)" and "n = 5 (4)" stay out.
    text = (
        "Funding more than doubled (47), with most donated in 2023 (48). "
        "Values were 10, 20 (3) and n = 5 (4)."
    )
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [(47,), (48,)]


def test_pdf_superscript_after_a_version_number_is_a_citation() -> None:
    # "scipy 1.5.2¹⁷": a version is no base of an exponent; "10⁶" and "3.2×10⁵" still are.
    from citecheck.readers.pdf import Line, _mark_citations

    def marked(text: str, raised: str) -> str:
        start = text.index(raised)
        line = Line(1, 0, 500, 0, 10, 9.0, text, [(start, start + len(raised))])
        return _mark_citations(line, in_front=False)

    assert marked("performed using scipy 1.5.217.", "17") == "performed using scipy 1.5.2^[17]."
    assert marked("about 106 cells were", "6") == "about 106 cells were"


def _gap(text: str):
    from citecheck.model import Location
    from citecheck.references.completeness import gap
    from citecheck.references.refparse import parse_reference

    return gap(parse_reference(text, location=Location("refs.txt", 1)), declared=False)


def test_gbt_markers_citeproc_writes_for_deposits_and_news() -> None:
    # Citeproc prints [J/OL] for a Zenodo release typed @article: software, complete with
    # its DOI; a wire story "[N/OL]. Reuters: World, <date>" names its outlet.
    assert (
        _gap(
            "WANG S Y, STARK A, RAY E, 等. Reichlab/covidHubUtils: Repository Release for "
            "Zenodo[J/OL]. 2021. DOI:10.5281/zenodo.5207940."
        )
        is None
    )
    assert (
        _gap(
            "REUTERS. Ruling Fidesz Party Wants Soros-funded NGOs swept out of Hungary[N/OL]. "
            "Reuters: World, 2017-01-11[2024-11-02]. https://www.reuters.com/article/world/x/."
        )
        is None
    )
    # A journal article of the same style still lacks what it lacks.
    found = _gap("CRAMER E, WANG S Y. The forecast hub dataset[J/OL]. 2021. DOI:10.1101/2021.1")
    assert found is not None and "container" in found.fields


def _web(text: str):
    return parse_reference(text, location=Location("refs.txt", 1))


def test_a_name_with_a_number_is_no_volume() -> None:
    # "Covid-19", "HIV-1": the number belongs to the name, not to a numeric tail.
    ref = _web(
        "European Covid-19 Forecast Hub. Community [Internet]. European Covid-19 Forecast "
        "Hub. Available from: https://covid19forecasthub.eu/community.html"
    )
    assert ref.volume == ""
    assert gap(ref, declared=False) is None  # a web page with its link: complete
    article = _web("Wang X, Li Y. HIV-1 latency in CD4 cells. J Virol. 2019;93(5):e01234-18.")
    assert (article.title, article.container, article.volume) == (
        "HIV-1 latency in CD4 cells",
        "J Virol",
        "93",
    )


def test_unresolved_quarto_crossref_is_no_missing_reference() -> None:
    # Plain Pandoc prints an unresolved "@fig-eeg1" as "(fig-eeg1?)": a figure, not a work.
    text = (
        "Analyses can be seen in (**fig-eeg1?**) and (tbl-2?). Data agree (1) and (smith2020?).\n\n"
        "References\n\n"
        "1. Preston C, Newport R. Analgesic effects of multisensory illusions in "
        "osteoarthritis. Rheumatology. 2011;50(12):2314-5.\n"
    )
    manuscript = read_text(text, "ms.md")
    assert [c.keys for c in manuscript.callouts if not c.numbers] == [("smith2020",)]


def test_author_year_cite_that_fits_two_entries_says_nothing() -> None:
    # Two "Hansford et al., 2023" entries and a cite that cannot tell them apart: no
    # missing-reference (the work is in the list); a cite of a work absent from it still is.
    text = (
        "Illusions grow stronger (Hansford et al., 2023) and weaker (Hansford et al., 2024).\n\n"
        "References\n\n"
        "Hansford, K. J., Baker, D. H., & Preston, C. E. (2023). Distinct neural signatures. "
        "Neuropsychologia, 188, 108622.\n\n"
        "Hansford, K., Baker, D. H., & Preston, C. (2023). Multisensory integration. "
        "Perception, 52, 1-10.\n"
    )
    manuscript = read_text(text, "ms.md")
    assert [c.keys for c in manuscript.callouts] == [("Hansford et al., 2024",)]


def test_author_year_entries_the_parser_cannot_split_are_still_cited() -> None:
    # "d’Albenzio, G." (a lowercase particle) and "Giving USA." (a corporate author), cited
    # "(Albenzio et al., 2023)" and "(Giving USA, 2024)": linked as in Word, nothing reported.
    text = (
        "Planning improved (Albenzio et al., 2023) while giving grew (Giving USA, 2024).\n\n"
        "References\n\n"
        "d’Albenzio, G., Meng, R., Aghayan, D., & Palomar, R. (2023). Patient-specific "
        "functional liver segments. Medical Image Analysis, 89, 102901.\n\n"
        "Giving USA. (2024, June 25). Giving USA: U.S. charitable giving totaled $557.16 "
        "billion in 2023. Lilly Family School of Philanthropy. https://philanthropy.iupui.edu/\n"
    )
    assert _every_entry_linked(text)


def test_a_work_cited_by_its_title_in_text_and_jats() -> None:
    # "(“Exec. Order No. 13224,” 2001)": APA cites a work without authors by its title.
    text = (
        "Aid was banned (“Exec. Order No. 13224,” 2001) as in (Smith, 2019).\n\n"
        "References\n\n"
        "Exec. Order No. 13224. (2001). Federal Register, 66(186), 49079–49083.\n\n"
        "Smith, A. (2019). Aid and terror. World Development, 84, 299–311.\n"
    )
    assert _every_entry_linked(text)


def _every_entry_linked(text: str) -> bool:
    manuscript = read_text(text, "ms.md")
    linked = {k for c in manuscript.callouts for k in c.keys}
    return linked == {r.key for r in manuscript.references}


def test_narrative_citations_of_neighbouring_numbers_are_no_enumeration() -> None:
    # "(37) find ... (38) find": two works cited as subjects; a list counts up from (1).
    text = (
        "Earlier work agrees (12). Donors cut aid (36). (37) find that donors punish "
        "repression after an NGO law (see also 30). (38) find that aid falls. "
        "We ask (1) whether aid falls and (2) whether it recovers."
    )
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [
        (12,),
        (36,),
        (37,),
        (38,),
    ]


def test_a_two_entry_list_cited_in_parentheses_is_read() -> None:
    # Each work of a two-entry list cited once as "(n)": enough evidence for the style.
    text = (
        "Rubber hands feel touch that eyes see (1). Illusory resizing is analgesic (2).\n\n"
        "References\n\n"
        "1. Botvinick M, Cohen J. Rubber hands feel touch that eyes see. Nature. "
        "1998;391(6669):756.\n"
        "2. Stanton TR, Gilpin HR. Illusory resizing of the painful knee is analgesic. "
        "Pain. 2018;159(5):870-8.\n"
    )
    manuscript = read_text(text, "ms.md")
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2,)]
    # Only one of the two "cited": no evidence, nothing read.
    one = text.replace(" Illusory resizing is analgesic (2).", "")
    assert [c.numbers for c in read_text(one, "ms.md").callouts] == []


def test_a_narrative_citation_after_a_comma_is_read() -> None:
    # "Building on this work, (55) examine": a comma after a word; "10, 20 (3)" stays out.
    text = "Building on this work, (55) examine donors. Values were 10, 20 (3) in all."
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [(55,)]


def test_a_work_cited_by_its_unquoted_title() -> None:
    # APA italicises a standalone work's title; plain text and JATS lose the italics.
    text = (
        "It installs through the manager (3d Slicer Extension Manager User Guide, 2024) "
        "and builds on (Smith, 2019; Exec. Order No. 13224, 2001).\n\n"
        "References\n\n"
        "3D slicer extension manager user guide. (2024). https://slicer.readthedocs.io/\n\n"
        "Exec. Order No. 13224. (2001). Federal Register, 66(186), 49079–49083.\n\n"
        "Smith, A. (2019). Aid and terror. World Development, 84, 299–311.\n"
    )
    assert _every_entry_linked(text)
    # A phrase that starts no entry is no title cite: the guide stays uncited.
    other = "We agree (see the user guide of the manager, 2024) with (Smith, 2019)."
    manuscript = read_text(other + text[text.index("\n\nReferences") :], "ms.md")
    linked = {k for c in manuscript.callouts for k in c.keys}
    assert linked == {manuscript.references[2].key}


def test_initials_tell_apart_same_name_entries_in_text_and_jats() -> None:
    # Citeproc's APA adds initials only as far as needed, as in Word: "K. Hansford" is
    # "Hansford, K.", "K. J. Hansford" is "Hansford, K. J."; both entries are cited.
    text = (
        "Illusions grow stronger (K. J. Hansford et al., 2023), and K. Hansford et al. "
        "(2023) found weaker ones.\n\nReferences\n\n"
        "Hansford, K. J., Baker, D. H. (2023). Distinct neural signatures. Neuropsychologia, "
        "188, 108622.\n\nHansford, K., Preston, C. (2023). Multisensory integration. "
        "Perception, 52, 1-10.\n"
    )
    manuscript = read_text(text, "ms.md")
    first, second = manuscript.references
    assert [c.keys for c in manuscript.callouts] == [(first.key,), (second.key,)]
    # A wrapped line between the initials and the name (JATS, plain text).
    wrapped = text.replace("(K. J. Hansford", "(K. J.\n  Hansford", 1)
    assert [c.keys for c in read_text(wrapped, "ms.md").callouts] == [(first.key,), (second.key,)]
    # Initials that fit neither entry link nothing (and report nothing).
    other = text.replace("K. J. Hansford", "M. Hansford", 1)
    assert [c.keys for c in read_text(other, "ms.md").callouts] == [(second.key,)]


def test_narrative_cites_in_parentheses_print_nested_numbers() -> None:
    # "(@a, @b, @c)" in a numbered CSL prints "((1), (2), (3))": each is a citation.
    text = (
        "giving σ = 0.2 ((1), (2), (3)). Masks reduce (1) and (2) by half ((7), (8),\n(9)). "
        "The package pomp (10) solved them."
    )
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [
        (1,),
        (2,),
        (3,),
        (7,),
        (8,),
        (9,),
        (10,),
    ]


def test_code_glued_to_a_parenthesis_is_no_citation() -> None:
    # Pandoc's plain text of an un-knitted R chunk: "xi_(c_(g))eneralized_(p)rccPRCC[7,1]".
    assert _numbers("S0 <- xi_(c_(g))eneralized_(p)rccPRCC[7,1] was kept [2].") == [(2,)]


def test_wrapped_entries_parted_by_blank_lines_split_only_there() -> None:
    # Pandoc's plain text wraps each APA entry at 72 columns and parts entries by a blank
    # line; an editor list wrapped as "In R. M.\nDesai, S. Devarajan" starts no entry.
    text = (
        "Aid falls (Hoeffler & Justino, 2024; Chaudhry & Heiss, 2022; Herrold, 2020).\n\n"
        "References\n\n"
        "Chaudhry, S., & Heiss, A. (2022). Closing Space and the Restructuring of\n"
        "Global Activism. In C. L. Pallas & E. A. Bloodgood (Eds.), Beyond the\n"
        "Boomerang (pp. 23–35). University of Alabama Press.\n\n"
        "Herrold, C. E. (2020). Delta democracy: Pathways to incremental civic\n"
        "revolution in Egypt and beyond. Oxford University Press.\n\n"
        "Hoeffler, A., & Justino, P. (2024). Aid and fragile states. In R. M.\n"
        "Desai, S. Devarajan, & J. L. Tobin (Eds.), Handbook of Aid and\n"
        "Development (pp. 225–246). Edward Elgar Publishing.\n"
    )
    manuscript = read_text(text, "ms.md")
    assert [r.authors[0].family for r in manuscript.references] == [
        "Chaudhry",
        "Herrold",
        "Hoeffler",
    ]
    assert _every_entry_linked(text)


def test_a_citation_wrapped_to_the_start_of_a_line_is_read() -> None:
    # Plain text wrapped at 72 columns: "...foreign policy assistance”\n(56). Thus"; an item
    # starting a line ("by\n(1) increasing") or after a colon stays an enumeration.
    text = (
        "They said “neither can replace foreign aid”\n(56). Thus donors moved to local\n"
        "projects\n(1), as before. Donors can respond by\n(1) increasing gifts or\n(2) not."
        " Aims:\n(3)."
    )
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [(56,), (1,)]


def test_a_corporate_author_with_and_in_its_name_and_a_year_suffix() -> None:
    # "(European Centre for Disease Prevention and Control, 2021b)": "and" is part of the
    # name; the suffix picks the entry printed "(2021b)".
    text = (
        "Guidance changed (European Centre for\nDisease Prevention and Control, 2021b) "
        "after (European Centre for Disease Prevention and Control, 2021a).\n\n"
        "References\n\n"
        "European Centre for Disease Prevention and Control. (2021a). Interim guidance on "
        "testing. ECDC. https://www.ecdc.europa.eu/a\n\n"
        "European Centre for Disease Prevention and Control. (2021b). Overview of the "
        "implementation. ECDC. https://www.ecdc.europa.eu/b\n"
    )
    manuscript = read_text(text, "ms.md")
    first, second = manuscript.references
    assert [c.keys for c in manuscript.callouts] == [(second.key,), (first.key,)]


def test_apa_lists_first_authors_before_et_al_to_tell_works_apart() -> None:
    from citecheck.citations.authoryear import parse_cites

    # Citeproc's APA: "(Cramer, Huang, et al., 2021)" and "(Cramer, Ray, et al., 2021)" for two
    # 2021 works first-authored by Cramer; each names its own entry.
    text = (
        "Hubs exist (Cramer, Huang, et al., 2021; Ray et al., 2020) and are scored as in "
        "(Cramer, Ray, et al., 2021).\n\n"
        "References\n\n"
        "Cramer, E. Y., Huang, Y., Wang, Y., & Ray, E. L. (2021). The United States COVID-19 "
        "Forecast Hub dataset. medRxiv.\n\n"
        "Cramer, E. Y., Ray, E. L., Lopez, V. K., & Bracher, J. (2021). Evaluation of "
        "individual and ensemble forecasts. medRxiv.\n\n"
        "Ray, E. L., Wattanachit, N., Niemi, J., & Kanji, A. H. (2020). Ensemble forecasts of "
        "coronavirus disease 2019. medRxiv.\n"
    )
    manuscript = read_text(text, "ms.md")
    hub, evaluation, ray = manuscript.references
    assert [c.keys for c in manuscript.callouts] == [(hub.key,), (ray.key,), (evaluation.key,)]
    # Outside parentheses the first name may be a sentence's first word: not read this way.
    assert [c.names for c in parse_cites("Thus, Smith et al. (2020) found")] == [("Smith",)]


def test_code_assignments_and_r_fields_are_not_citations() -> None:
    # Pandoc's plain text keeps code blocks: "legaltriggers = [10,20,30,40]", "x <- [1]",
    # "res.aov1$ANOVA$DFn[1]"; a price "US$5 [3]" and prose "(see [4])" still cite.
    text = (
        "legaltriggers = [10,20,30,40] and y <- [2] and F(r res.aov1$ANOVA$DFn[1]) and "
        "it cost US$5 [3] as reported (see [4])."
    )
    assert _numbers(text) == [(3,), (4,)]


def test_a_cited_name_never_starts_inside_a_word() -> None:
    # "b_(A)= r bA Li et al. (2020)": the cite is "Li et al. (2020)", not "A Li et al.".
    text = (
        "Asymptomatic ones are as contagious, so b_(A)= r bA Li et al. (2020).\n\n"
        "References\n\n"
        "Li, R., Pei, S., Chen, B., & Song, Y. (2020). Substantial undocumented infection. "
        "Science, 368(6490), 489–493.\n"
    )
    assert _every_entry_linked(text)


def test_wrapped_and_named_number_contexts_keep_the_citation() -> None:
    # "the USA\n(10,12).": a wrapped line, not a word glued to "("; "COVID-19 (1–3)": a name
    # with a number; "Reports ((53))": a narrative cite in parentheses. "10, 20 (3)" stays out.
    text = (
        "Dengue (11) and influenza in the USA\n(10,12). Outbreaks of COVID-19 (1–3) and "
        "Threat Reports ((53)). Values were 10, 20 (3)."
    )
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [
        (11,),
        (10, 12),
        (1, 2, 3),
        (53,),
    ]


_UNHEADED = (
    "Assembly was faster (1) than with Bowtie (2), as on E. coli MG1655 (3).\n\n"
    "1. P A Pevzner, H Tang, M S Waterman. An eulerian path approach to DNA\n"
    "fragment assembly. Proc Natl Acad Sci U S A. 2001 Aug;98(17):9748–53.\n\n"
    "2. B. Langmead, S. L. Salzberg. Fast gapped-read alignment with Bowtie\n"
    "2. Nat Methods. 2012 Apr;9(4):357–9.\n\n"
    "3. H. Chitsaz, J. L. Yee-Greenbaum. Efficient de novo assembly of single-cell\n"
    "bacterial genomes. Nat Biotechnol. 2011 Oct;29(10):915–21.\n"
)


def test_a_wrapped_numbered_list_without_heading() -> None:
    # Pandoc's plain text of a LaTeX paper: no "References" heading, entries wrapped at 72
    # columns ("Bowtie\n2. Nat Methods" continues entry 2), "MG1655 (3)" cites.
    manuscript = read_text(_UNHEADED, "ms.txt")
    assert [r.number for r in manuscript.references] == [1, 2, 3]
    assert "Bowtie 2. Nat Methods" in " ".join(manuscript.references[1].raw.split())
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2,), (3,)]


def test_a_parenthesised_math_superscript_is_no_citation() -> None:
    # "x⁽¹⁾" is the first sample in math set as Unicode; "genomes¹" still cites.
    assert _numbers("samples {x⁽¹⁾,…,x⁽ⁿ⁾} and f(x⁽¹⁾), as in genomes¹.") == [(1,)]


def test_undated_works_hyphenated_initials_and_two_years_in_text() -> None:
    # APA: "(Hosder et al., n.d.)", "(Hub, n.d.-b)" cite undated works; "(P.-H. Li et al., 2020)"
    # has hyphenated initials; "(Title, 2021/2022)" gives the original and the later year.
    text = (
        "Sampling (Hosder et al., n.d.; P.-H. Li et al., 2020) as in (F. G. N. Li & Trutnevyte, "
        "2017) and the protocol (European Forecast Hub, n.d.-b) in the codebase (Predictive "
        "Performance of Ensemble Forecasts, 2021/2022).\n\n"
        "References\n\n"
        "European Forecast Hub. (n.d.-a). Community. https://covid19forecasthub.eu/a.html\n\n"
        "European Forecast Hub. (n.d.-b). Protocol. https://covid19forecasthub.eu/b.html\n\n"
        "Hosder, S., Walters, R., & Balch, M. (n.d.). Efficient sampling for polynomial chaos. "
        "In 48th AIAA structures conference. https://doi.org/ftdc\n\n"
        "Li, F. G. N., & Trutnevyte, E. (2017). Investment appraisal of cost-optimal "
        "pathways. Applied Energy, 189, 89–109.\n\n"
        "Li, P.-H., Pye, S., & Keppo, I. (2020). Using clustering algorithms. Applied Energy, "
        "268, 114947.\n\n"
        "Predictive performance of ensemble forecasts. (2022). covid19-forecast-hub-europe. "
        "https://github.com/covid19-forecast-hub-europe/euro-hub-ensemble (2021)\n"
    )
    manuscript = read_text(text, "ms.md")
    linked = {k for c in manuscript.callouts for k in c.keys}
    assert linked == {r.key for r in manuscript.references[1:]}  # not "n.d.-a"


def test_an_undated_work_cited_in_word(tmp_path: Path) -> None:
    # "(Hosder et al., n.d.)" in Word text: linked to the undated entry, as in text and JATS.
    body = (
        p(t("Sampling follows (Hosder et al., n.d.; Palar et al., 2016)."))
        + p(t("References"), style="Heading1")
        + p(t("Hosder, S., Walters, R., & Balch, M. (n.d.). Efficient sampling for chaos. "))
        + p(t("Palar, P. S., Tsuchiya, T., & Parks, G. T. (2016). Multi-fidelity chaos. "))
    )
    manuscript = read_docx(make_docx(tmp_path / "undated.docx", body))
    linked = {k for c in manuscript.callouts for k in c.keys}
    assert linked == {r.key for r in manuscript.references}


# --- audit 3: Pandoc renderings of the dev documents to text, Markdown, Word and HTML in a
# Science-like "(1)" style, IEEE "[1]" and APA ---------------------------------------------


def _list(n: int, start: str = "") -> str:
    return "\n\n".join(
        f"{start}{i}. Smith J, Doe A. A study of cell number {i}. Nature. 2020;{i}:{i}1-{i}5."
        for i in range(1, n + 1)
    )


def test_a_value_or_count_noun_before_the_next_number_in_order() -> None:
    # "R0 = 3.0 (6)", "every 2 days (7) to 28 days (8)", "component models (2, 3, 9)": held
    # back after a value or count noun, read because each brings the next reference number.
    # "Equation (3)" stays a label and "n = 5 (4)" a count: neither brings a new number.
    text = (
        "Outbreaks on campuses (1) spread fast (2, 3). Estimates vary (4, 5). Our case\n"
        "assumes R0 = 3.0 (6), although we relax it. Testing every 2 days (7) to 28 days (8).\n"
        "Ensembles beat the component models (2, 3, 9). Equation (3) holds, n = 5 (4).\n\n"
        "References\n\n" + _list(9)
    )
    assert [c.numbers for c in read_text(text, "ms.txt").callouts] == [
        (1,), (2, 3), (4, 5), (6,), (7,), (8,), (2, 3, 9),
    ]  # fmt: skip


def test_joined_and_nested_parenthesised_numbers() -> None:
    # Pandoc's "(n)" print of one xref per number: "(2)–(3)" is a range, "(8),(6)" two cites,
    # "(15) and (43)" two; "((33); (28); Figure 1)" opens with a cite, not an enumeration.
    text = (
        "rhabdomyolysis.(2)–(4) Another. Phosphate.(8),(6) Then see (15) and (43) too. "
        "Initiation ((33); (28); Figure 1—figure supplement 3) was seen."
    )
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [
        (2, 3, 4), (8,), (6,), (15,), (43,), (33,), (28,),
    ]  # fmt: skip


def test_code_in_pandoc_text_is_no_citation() -> None:
    # An indented Python line "range(2,6):" and "$PRCC[8,1]" whose "$" opened math: a call and
    # a row/column index (descending), not citations. "kg m s⁻¹" is a negative exponent.
    text = "Done (1).\n\n      for cond in range(2,6):\n        x = 1\n\nThe prcc  PRCC[8,1] S0"
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [(1,)]
    assert _numbers("units of kg m s⁻¹ and degeneration¹⁻³ here") == [(1, 2, 3)]


def test_pandoc_markdown_escapes_entry_numbers_and_writes_dashes_as_two_hyphens() -> None:
    # "1\. Siegel R" (Markdown escapes a paragraph's number), "\[1--3\]" and "(1--3)".
    text = (
        "Screening helps \\[1\\], as shown \\[2\\]--\\[4\\] and later (1--3).\n\n"
        "### References\n\n" + _list(4).replace(". Smith", "\\. Smith")
    )
    manuscript = read_text(text, "ms.md")
    assert [r.number for r in manuscript.references] == [1, 2, 3, 4]
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2, 3, 4)]


def test_science_numbers_in_markdown_italics_links_and_suffixes() -> None:
    # Pandoc's Markdown of a Science-style rendering: "(*1*, *2*)", "(*3*--*5*)", linked
    # numbers "([*6*](#ref-a))" (link-citations), a link suffix "(*7*, **https://x.org/**)",
    # a blanked `code` name before "(*8*)", and a bibliography in CSL fences, no heading.
    entries = "\n\n".join(
        f"::: {{#ref-r{i} .csl-entry}}\n[{i}. ]{{.csl-left-margin}}[A. Smith, B. Doe, "
        f"[A title on cells number {i}](https://doi.org/10.1234/x{i}).\n*Nature* **{i}**, "
        f"{i}1--{i}9 (2020).]{{.csl-right-inline}}\n:::"
        for i in range(1, 9)
    )
    text = (
        "Cells grow (*1*, *2*) and die (*3*--*5*). Models agree\n([*6*](#ref-r6)). The "
        "browser Kana\n(*7*, **https://x.org/**). We used `SingleR`\n(*8*) on them.\n\n"
        "::: {#refs .references .csl-bib-body}\n" + entries + "\n:::\n"
    )
    manuscript = read_text(text, "ms.md")
    assert [r.number for r in manuscript.references] == list(range(1, 9))
    assert manuscript.references[0].doi == "10.1234/x1"
    assert [c.numbers for c in manuscript.callouts] == [
        (1, 2), (3, 4, 5), (6,), (7,), (8,),
    ]  # fmt: skip


def test_pandoc_plain_footnotes_after_the_list_are_no_entries() -> None:
    # Pandoc's plain text prints footnotes last, "[1] ...", after a list numbered "1."; their
    # marks "aliqua. [1]" are no citations either. A wrapped "10.1016/..." starts no entry.
    text = (
        "Done (1, 2). More text. [1] And (3), as before (2).[2]\n\n"
        + _list(3)
        + "\n10.1016/j.cmpb.2017.03.019.\n\n"
        + "[1] Ut enim ad minim veniam, quis nostrud.\n\n[2] https://www.ctan.org/pkg/x\n"
    )
    manuscript = read_text(text, "ms.txt")
    assert [r.number for r in manuscript.references] == [1, 2, 3]
    assert [c.numbers for c in manuscript.callouts] == [(1, 2), (3,), (2,)]


_APA = (
    "Brown, C. T., Howe, A., & Zhang, Q. (2012). A reference-free algorithm for\n"
    "computational normalization of shotgun sequencing data. arXiv.\n\n"
    "The HDF Group. (1997-2015, 1997-2015). Hierarchical Data Format, version\n5.\n\n"
    "dypang. (2005). 北京大学硕博论文模版. https://bdwm.net/a.php?b/Thesis\n\n"
    "Zhang, Q., Pell, J., & Brown, C. T. (2014). These are not the k-mers you\n"
    "are looking for. PLoS ONE, 7(9).\n\n"
    "Zhang, Q., Awad, S., & Brown, C. T. (2015). Crossing the streams. PeerJ, 3, e1.\n"
)


def test_an_apa_list_without_heading_at_the_end_is_found() -> None:
    # Pandoc prints an author-year bibliography last and with no heading unless the source
    # has one: the run of entries that ends the document is the list (a handle "dypang." and
    # a corporate "The HDF Group. (1997-2015)." are entries too; prose before is not).
    text = (
        "Digital normalization (Brown et al., 2012) stores data as HDF5 (The HDF Group, "
        "1997-2015) and counts k-mers (Zhang et al., 2014; dypang, 2005).\n\n" + _APA
    )
    manuscript = read_text(text, "ms.txt")
    assert len(manuscript.references) == 5
    assert {k for c in manuscript.callouts for k in c.keys} >= {
        manuscript.references[0].key,
        manuscript.references[3].key,
    }


def test_a_references_section_of_prose_is_not_the_list() -> None:
    # A software manual's "References" section about Reference objects is no list.
    prose = "\n\n".join(
        f"The Reference object holds attribute number {i} of a record." for i in range(12)
    )
    text = "Intro [1].\n\nReferences\n\n" + prose + "\n"
    import pytest

    from citecheck.readers.errors import ReaderError

    with pytest.raises(ReaderError, match="no reference list found"):
        read_text(text, "ms.txt")


def test_chinese_names_in_author_year_cites() -> None:
    # "(余敏, 2001; 程根伟, 1999)": Chinese authors printed as written in an author-year style.
    text = (
        "如 (余敏, 2001; 程根伟, 1999)。\n\n参考文献\n\n"
        "余敏. (2001). 出版集团研究. 中国书籍出版社.\n\n"
        "程根伟. (1999). 1998年长江洪水的成因与减灾对策. 科学出版社.\n"
    )
    manuscript = read_text(text, "ms.txt")
    assert [c.keys for c in manuscript.callouts] == [
        (manuscript.references[0].key,),
        (manuscript.references[1].key,),
    ]


def test_table_footnote_links_are_no_citations() -> None:
    # "[1](#tf1-1)" links a table's footnote in Pandoc's Markdown of JATS.
    assert _numbers("Stage IV[1](#tf1-1) and M1[2](#fn2) but cited [3](#ref-smith).") == [(3,)]


def test_an_author_year_word_list_whose_first_entry_starts_with_a_number(tmp_path: Path) -> None:
    # "1000 Genomes Project Consortium. (2015)." opens an APA list in Word: no entry number.
    body = (
        p(t("Variation (1000 Genomes Project Consortium, 2015; Abecasis et al., 2012)."))
        + p(t("References"), style="Heading1")
        + p(t("1000 Genomes Project Consortium. (2015). A global reference. Nature, 526, 68."))
        + p(t("Abecasis, G. R., Auton, A., & Brooks, L. D. (2012). An integrated map. Nature."))
    )
    manuscript = read_docx(make_docx(tmp_path / "apa.docx", body))
    assert not manuscript.numbered
    assert len(manuscript.references) == 2


def test_pandoc_html_reads_as_its_text(tmp_path: Path) -> None:
    # Pandoc's HTML: tags wrapped over lines, a heading wrapped ("Reference\nCoverage"), an
    # entry number in its own div, a footnote mark and section; lines are the page's (where
    # the line of text starts).
    from citecheck.readers.html import read_html_file

    page = tmp_path / "ms.html"
    page.write_text(
        "<html><head><style>div.csl-entry {}</style></head><body>\n"
        '<h2 id="rc">Reference\nCoverage Profile</h2>\n'
        '<p>Cells grow <span class="citation"\ndata-cites="a">(1)</span> and die '
        '(2).<a href="#fn1" class="footnote-ref" id="fnref1"><sup>1</sup></a></p>\n'
        "<p>They divide (3) as they did (1).</p>\n"
        '<div id="refs" class="references csl-bib-body">\n'
        + "\n".join(
            f'<div id="ref-{i}" class="csl-entry">\n<div class="csl-left-margin">{i}. '
            f'</div><div\nclass="csl-right-inline">A. Smith, B. Doe, Cells &amp; number {i}. '
            f"<em>Nature</em> <strong>{i}</strong>, {i}1–{i}9 (2020).</div>\n</div>"
            for i in (1, 2, 3)
        )
        + '\n</div>\n<section class="footnotes">\n<ol><li><p>A note.</p></li></ol>\n</section>'
        "\n</body></html>\n",
        encoding="utf-8",
    )
    manuscript = read_html_file(str(page))
    assert [r.number for r in manuscript.references] == [1, 2, 3]
    assert "Cells & number 1" in manuscript.references[0].raw
    assert [(c.numbers, c.location.line) for c in manuscript.callouts] == [
        ((1,), 4), ((2,), 4), ((3,), 6), ((1,), 6),
    ]  # fmt: skip


def test_locators_and_prefixes_inside_numbered_citations() -> None:
    # IEEE's "[48, p. 461]", "[123,\nSec. 6.2.3]"; Science's "(e.g., 39)" and "(12, chap. 3)".
    assert _numbers("An oriented tree [48, p. 461] and a tree [123,\nSec. 6.2.3] here.") == [
        (48,),
        (123,),
    ]
    text = "Contamination (e.g., 39) is known (12, chap. 3) and (4, 5)."
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [
        (39,), (12,), (4, 5),
    ]  # fmt: skip


def test_pandoc_plain_superscripts_and_author_lines() -> None:
    # Pandoc's plain text prints a superscript it cannot set in Unicode as "^(4–8)"; the author
    # line's affiliation marks ("Hilton^(1,2), Henry S. Ngu¹,") cite nothing; "(COO)^(16,17)"
    # after a term in parentheses cites, "(x+1)²" is an exponent.
    text = (
        "Laura K. Hilton^(1,2), Henry S. Ngu¹, Brett Collinge^(1,3), and Anja Mottok²\n\n"
        "Relapse is well established,^(1–3) as the cell-of-origin (COO)^(4,5) shows; "
        "(x+1)² is no cite.\n\nReferences\n\n" + _list(5)
    )
    assert [c.numbers for c in read_text(text, "ms.txt").callouts] == [(1, 2, 3), (4, 5)]


def test_chinese_glued_citation_and_a_list_continuation_line_are_prose() -> None:
    # "原创性声明部分(12)": Chinese prose has no spaces; "    biblatex(9) 宏包" continues a list
    # item (indented, but no code on it); "    x = compute(2,6)" is code.
    text = "Cited (1). Seen (2).\n-   item\n    biblatex(3) 宏包；部分(4)。\n    x = compute(2,3)\n"
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)] == [
        (1,), (2,), (3,), (4,),
    ]  # fmt: skip


def test_a_month_and_year_in_parentheses_is_a_date() -> None:
    # "(June 2017)": when assemblies were updated, not a work by June; "(June, 2017)" cites.
    from citecheck.citations.authoryear import scan_author_year

    text = "updated (June 2017) and (August 2009; Smith 2004) but (June, 2017)"
    assert [c.text for c in scan_author_year(text, "x.md")] == ["Smith 2004", "June, 2017"]


def test_a_group_after_blanked_math_on_the_line_before() -> None:
    # "is $\mathcal{R}_{0}= 3.0$\n([*6*](#ref-a))": the math blanked ends the line, the linked
    # number opens the next; "than\n\xa0(16, 41). However": a LaTeX "\ " space after the wrap.
    text = (
        "We see (1), (2), (3) and (4, 5). The number is $\\mathcal{R}_{0}= 3.0$\n"
        "([*6*](#ref-a)), although. It is less efficient than\n\xa0(7, 8). However.\n\n"
        "References\n\n" + _list(8)
    )
    assert [c.numbers for c in read_text(text, "ms.md").callouts][-2:] == [(6,), (7, 8)]


def test_html_paragraphs_part_entries_as_blank_lines_do(tmp_path: Path) -> None:
    # A Word manuscript converted to HTML: one <p> per entry and no blank lines between them.
    from citecheck.readers.html import read_html_file

    page = tmp_path / "ms.html"
    page.write_text(
        "<p>Host health (1) needs microbes (2, 3), as shown (3).</p>\n<h1>References</h1>\n"
        + "".join(
            f"<p>{i}. Smith, J., and A. Doe. 2013. Microbes number {i}. Science\n"
            f"30{i}:1915-20</p>\n"
            for i in (1, 2, 3)
        ),
        encoding="utf-8",
    )
    manuscript = read_html_file(str(page))
    assert manuscript.numbered
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2, 3), (3,)]


def test_apa_cites_with_a_journal_two_years_accents_and_two_undated_authors() -> None:
    # "(Nagel et al., Cancer Res, 2008)": the journal between; "2024/2026a": original and later
    # year; "Carvajal-Rodrı́guez" with a combining accent; "((Wu & Belasco, n.d.-b))" and
    # "(Ontology Lookup Service (OLS), n.d.)" beside "... (OLS) - PATO".
    text = (
        "Sites (Nagel et al., Cancer Res, 2008) in the repository (Hub, 2024/2026a); simulators "
        "(Carvajal-Rodrı́guez, 2008); decay ((Wu & Belasco, n.d.-b)); terms (Ontology Lookup "
        "Service (OLS), n.d.; Ontology Lookup Service (OLS) - PATO, n.d.).\n\nReferences\n\n"
        "Carvajal-Rodrı́guez, A. (2008). Simulation of genomes: A review. Curr Genomics, 9, 155.\n\n"
        "Hub. (2026a). OpenScPCA-nf. https://github.com/AlexsLemonade/OpenScPCA-nf\n\n"
        "Nagel, R., le Sage, C., & Diosdado, B. (2008). Regulation of APC. Cancer Res, 68, 5795.\n\n"
        "Ontology Lookup Service (OLS). (n.d.). https://www.ebi.ac.uk/ols4/ontologies\n\n"
        "Ontology Lookup Service (OLS) - PATO. (n.d.). https://www.ebi.ac.uk/ols4/pato\n\n"
        "Wu, L., & Belasco, J. (n.d.-b). Let me count the ways. Molecular Cell, 29, 1–7.\n"
    )
    assert _every_entry_linked(text)


def test_pandoc_markdown_raw_blocks_links_and_emphasis_in_an_apa_list() -> None:
    # Pandoc's Markdown of an APA rendering: a raw "```{=html}" comment and "`\newpage`{=tex}"
    # inside the list are no entries; "([Gneiting & Raftery,\n2007](#ref-g))" (link-citations)
    # and "(*Introducing RemoveHuman*, n.d.)" (an italic title) cite.
    text = (
        "Scores ([Gneiting & Raftery,\n2007](#ref-g)) after cleaning (*Introducing RemoveHuman*, "
        "n.d.) and trimming (Bolger et al., 2014).\n\n## References\n\n"
        "```{=html}\n<!-- Explicitly insert bibliography here -->\n```\n"
        "::: {#refs .references .csl-bib-body .hanging-indent}\n"
        "::: {#ref-b .csl-entry}\nBolger, A. M., Lohse, M., & Usadel, B. (2014). Trimmomatic.\n"
        "*Bioinformatics*, *30*(15), 2114--2120.\n:::\n\n"
        "::: {#ref-g .csl-entry}\nGneiting, T., & Raftery, A. E. (2007). Strictly proper "
        "scoring rules. *JASA*, *102*(477), 359--378.\n:::\n\n"
        "::: {#ref-i .csl-entry}\n*Introducing RemoveHuman: Human Contaminant Removal*. (n.d.).\n"
        "SEQanswers.\n:::\n:::\n\n`\\newpage`{=tex}\n"
    )
    assert len(read_text(text, "ms.md").references) == 3
    assert _every_entry_linked(text)


def test_an_unheaded_apa_list_passes_dated_entries_without_author() -> None:
    # GB/T standards printed APA-style have no author: "GB/t 2659-1986 ... (1988)." stays in the
    # run of entries that ends the document, so "Christine, M. (1998)" before them does too.
    text = (
        "As cited (Christine, 1998; Hopkinson, 2001; Li, 1999; Wen, 1990).\n\n"
        "-   E-mail: john_smith@sjtu.edu.cn\n\n"
        "Christine, M. (1998). Plant physiology. Science, 281, 331–332.\n\n"
        "GB/t 16159-1996 汉语拼音正词法基本规则 (1996).\n\n"
        "GB/t 2659-1986 世界各国和地区名称代码, 59 (1988).\n\n"
        "Hopkinson, A. (2001). UNIMARC and metadata: Dublin core. Libri, 51, 1–9.\n\n"
        "Li, X. (1999). Climate. J Peking Univ, 35, 101–106.\n\n"
        "Wen, S. (1990). Tribology. Tsinghua Univ Press.\n"
    )
    manuscript = read_text(text, "ms.txt")
    assert len(manuscript.references) == 6
    assert not [c for c in manuscript.callouts if not c.numbers]  # every cite found its entry


def test_superscripts_after_words_in_parentheses_and_sentences_opening_a_line() -> None:
    # "cisplatin) +/- rituximab)²⁵": words in parentheses, then the citation ("(x+1)²" stays an
    # exponent); "behavior.\n(53) explore": a narrative cite opening a sentence on a new line.
    assert _numbers("(gemcitabine, cisplatin) +/- rituximab)²⁵ with (x+1)² cells") == [(25,)]
    text = "Donors react (51). They cut aid (52). They keep\nsilent.\n(53) explore how. (54) find."
    assert [c.numbers for c in scan_callouts(text, "x.md", parentheses=True)][-2:] == [(53,), (54,)]


def test_a_word_link_on_a_printed_range_cites_the_whole_range(tmp_path: Path) -> None:
    # Markdown "([23-25](#_ENREF_23))" in Word: one link to entry 23 on the printed "23-25".
    from tests.test_docx_citations import FIVE

    entries = "".join(
        f'<w:p><w:bookmarkStart w:id="{i}" w:name="_ENREF_{i}"/>{t(f"{i}. {entry}")}'
        f'<w:bookmarkEnd w:id="{i}"/></w:p>'
        for i, entry in enumerate(FIVE, start=1)
    )
    body = (
        p(t("Seen ("), '<w:hyperlink w:anchor="_ENREF_1">' + t("1") + "</w:hyperlink>", t(")."))
        + p(
            t("Culled ("),
            '<w:hyperlink w:anchor="_ENREF_2">' + t("2-5") + "</w:hyperlink>",
            t(")."),
        )
        + p(t("References"), style="Heading1")
        + entries
    )
    manuscript = read_docx(make_docx(tmp_path / "range-link.docx", body))
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2, 3, 4, 5)]


def test_a_chinese_word_glued_to_a_word_citation(tmp_path: Path) -> None:
    # "专利文献(2, 3)" in Word: Chinese prose has no spaces, so the glued group still cites.
    from tests.test_docx_citations import FIVE

    body = (
        p(t("普通图书(1)，专利文献(2, 3)，期刊文献(4, 5)。"))
        + p(t("References"), style="Heading1")
        + "".join(p(t(f"{i}. {entry}")) for i, entry in enumerate(FIVE, start=1))
    )
    manuscript = read_docx(make_docx(tmp_path / "glued.docx", body))
    assert [c.numbers for c in manuscript.callouts] == [(1,), (2, 3), (4, 5)]
