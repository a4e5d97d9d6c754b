"""incomplete-reference asks each type of work for what it needs, and is silent when unsure.

Fixtures are realistic entries as BibTeX databases, CSL items and printed lists give them.
"""

from __future__ import annotations

import pytest

from citecheck.bibliography.bib import read_bibtex
from citecheck.model import Author, Location, Manuscript, Project, Reference
from citecheck.rules import run
from citecheck.rules.references import incomplete_reference


def printed(raw: str, **fields) -> Reference:
    """A parsed entry of a printed (numbered) list."""
    return Reference(key="r1", raw=raw, location=Location("m.txt", 30), number=1, **fields)


def findings(*refs: Reference, database: bool = False) -> list[str]:
    manuscript = Manuscript("m.txt", references=refs, bibliography_is_database=database)
    return [f.message for f in run(Project(manuscript), [incomplete_reference])]


def bib(text: str) -> list[str]:
    refs, unparsed = read_bibtex(text, "refs.bib")
    assert not unparsed
    return findings(*refs, database=True)


# --- databases: the declared type decides ---------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        # preprints: server + year + identifier, no volume or pages
        "@article{a, author={Li, Heng}, title={Aligning reads with BWA-MEM}, year={2013},"
        " journal={arXiv:1303.3997}}",
        "@article{a, author={Brown, C. Titus}, title={Digital normalization}, year={2012},"
        " journal={arXiv}, pages={1203.4802}}",
        "@misc{a, author={Smith, Ann}, title={A study}, year={2023},"
        " doi={10.1101/2023.01.02.522222}}",
        "@book{a, type={preprint}, author={d'Albenzio, G.}, title={Liver segments}, year={2023},"
        " url={https://www.researchsquare.com/article/rs-3574517/v2}}",
        # online-first: journal, year and a DOI; the volume is not out yet
        "@article{a, author={Oran, Daniel P}, title={Asymptomatic infection}, journal={Ann Intern"
        " Med}, year={2020}, doi={10.7326/M20-3012}}",
        # article numbers: eid, or in the pages field
        "@article{a, author={Wu, J}, title={A study}, journal={GigaScience}, year={2020},"
        " volume={9}, eid={giaa117}}",
        "@article{a, author={Wu, J}, title={A study}, journal={J Instrum}, year={2014},"
        " volume={9}, pages={C03035}}",
        # corporate and hyphenated authors
        "@article{a, author={{World Health Organization}}, title={Report on X},"
        " journal={Wkly Epidemiol Rec}, year={2019}, volume={94}, pages={1-10}}",
        "@article{a, author={Bonnet, M-P and Deneux, C}, title={A study}, journal={BJOG},"
        " year={2011}, volume={118}, pages={1-9}}",
        # whole volumes have editors, not authors
        "@proceedings{a, editor={Gill, Andy and Swift, Terrance}, title={PADL 2009},"
        " publisher={Springer}, year={2009}}",
        "@book{a, editor={Ghanem, Roger}, title={Handbook of Uncertainty Quantification},"
        " publisher={Springer}, year={2017}}",
        # chapters and conference papers: no volume or pages asked
        "@incollection{a, author={Hughes, JB}, title={Rarefaction}, booktitle={Methods in"
        " Enzymology}, editor={Smith, A}, year={2005}}",
        "@inproceedings{a, author={Kane, D}, title={Distinct elements}, booktitle={PODS '10},"
        " year={2010}}",
        "@article{a, author={Flajolet, P}, title={HyperLogLog}, journal={DMTCS Proceedings},"
        " year={2008}}",
        # web pages, software, data: a title and a link
        "@online{a, title={Community}, author={{European Covid-19 Forecast Hub}},"
        " url={https://covid19forecasthub.eu/community.html}}",
        "@software{a, title={cNORM}, url={https://www.rdocumentation.org/packages/cNORM}}",
        "@misc{a, author={Wang, S}, title={covidHubUtils release}, year={2021},"
        " doi={10.5281/zenodo.5207940}}",
        "@online{a, author={{The HDF Group}}, title={HDF5}, note={http://www.hdfgroup.org/}}",
        # news, legal texts and publishers posing as journals
        "@article{a, entrysubtype={newspaper}, title={Ruling party}, author={{Reuters}},"
        " date={2017-01-11}, journaltitle={Reuters}}",
        "@article{a, title={Exec. Order No. 13224}, date={2001-09-25},"
        " journaltitle={Federal Register}, volume={66}, pages={49079--49083}}",
        "@article{a, author={{R Core Team}}, title={R: A language and environment},"
        " journal={R Foundation for Statistical Computing}, year={2021}}",
        # Chinese journals that number issues only
        "@article{a, author={李炳穆}, title={理想的图书管理员}, journal={图书情报工作}, year={2000},"
        " number={2}, pages={5--8}}",
    ],
)
def test_complete_entries_of_every_type_are_not_reported(entry: str) -> None:
    assert bib(entry) == []


def test_database_entries_lacking_what_their_type_needs_are_reported() -> None:
    assert bib(
        "@article{a, author={Zhang, Q}, title={k-mers}, journal={PLoS ONE}, year={2014},"
        " volume={9}}"
    ) == ["journal article a lacks pages or article number"]
    assert bib("@phdthesis{a, author={Fraiture, Julie}, title={Robustness}, year={2020}}") == [
        "thesis a lacks institution"
    ]
    assert bib("@inproceedings{a, author={Nacken, L}, title={Energy}, year={2019}}") == [
        "conference paper a lacks proceedings title"
    ]
    assert bib("@misc{a, doi={10.1016/j.cub.2013.01.047}}") == ["entry a lacks title"]
    assert bib("@article{a, author={Team, R}, title={X}, journal={Memory}}") == [
        "journal article a lacks year, volume, pages or article number"
    ]


def test_a_manubot_identifier_entry_is_never_incomplete() -> None:
    ref = printed("doi:10.1038/nature11247", kind="identifier", doi="10.1038/nature11247")
    assert findings(ref) == []


# --- printed lists: the parse may be partial, so only clear gaps count ------------------------


def test_printed_entries_with_authors_the_parser_could_not_split_have_authors() -> None:
    corporate = printed(
        "Centers for Disease Control and Prevention: Vital signs: Colorectal cancer screening"
        " test use. MMWR. 2013, 62:881.",
        title="Centers for Disease Control and Prevention: Vital signs: Colorectal cancer",
        container="MMWR",
        year=2013,
        volume="62",
        pages="881",
    )
    hyphenated = printed(
        "Chen H-M, Yu Y-N, Wang J-L: Decreased dietary fiber intake. Am J Clin Nutr. 2013,"
        " 97:1044-1052.",
        title="Chen H-M, Yu Y-N, Wang J-L",
        container="Am J Clin Nutr",
        year=2013,
        volume="97",
        pages="1044-1052",
    )
    assert findings(corporate, hyphenated) == []


def test_a_printed_entry_that_starts_with_its_title_lacks_authors() -> None:
    anonymous = printed(
        "An integrated encyclopedia of DNA elements in the human genome. Nature."
        " 2012;489(7414):57-74.",
        title="An integrated encyclopedia of DNA elements in the human genome",
        container="Nature",
        year=2012,
        volume="489",
        pages="57-74",
    )
    assert findings(anonymous) == ["journal article [1] lacks authors"]


def test_printed_locators_in_press_and_unparsed_article_numbers() -> None:
    in_press = printed(
        "Schubert AM, Sinani H, Schloss PD. 2015. Antibiotic alterations. mBio In press",
        authors=(Author("Schubert", "AM"),),
        title="Antibiotic alterations",
        container="mBio",
        year=2015,
    )
    article_number = printed(
        "Scherer, F. et al. Distinct subtypes. Sci. Transl. Med. 8, 364ra155 (2016).",
        authors=(Author("Scherer", "F."),),
        title="Distinct subtypes",
        container="Sci. Transl. Med",
        year=2016,
        volume="8",
    )
    missing = printed(
        "Lee, B. et al. Mutational profile. Front. Oncol. 11, (2021).",
        authors=(Author("Lee", "B."),),
        title="Mutational profile",
        container="Front. Oncol",
        year=2021,
        volume="11",
    )
    assert findings(in_press, article_number, missing) == [
        "journal article [1] lacks pages or article number"
    ]


def test_printed_entries_of_unclear_type_are_left_alone() -> None:
    book_as_journal = printed(
        "Legendre P, Legendre L. 2012. Numerical ecology. Elsevier Science.",
        authors=(Author("Legendre", "P"),),
        title="Numerical ecology",
        container="Elsevier Science",
        year=2012,
    )
    chapter = printed(
        "Hughes JB, Hellmann JJ. 2005. Rarefaction, p. 292-308. In Methods in enzymology.",
        authors=(Author("Hughes", "JB"),),
        title="Rarefaction",
        year=2005,
        kind="misc",
    )
    unpublished = printed(
        "Dantzler WH. Unpublished remarks. The Dantzler Symposium. 2006.",
        authors=(Author("Dantzler", "WH"),),
        title="Unpublished remarks",
        kind="book",
    )
    assert findings(book_as_journal, chapter, unpublished) == []


def test_a_preprint_without_any_identifier_is_reported() -> None:
    ref = printed(
        "Schloss PD. 2020. Removal of rare amplicon sequence variants. bioRxiv. doi:.",
        authors=(Author("Schloss", "PD"),),
        title="Removal of rare amplicon sequence variants",
        container="bioRxiv",
        year=2020,
    )
    assert findings(ref) == ["preprint [1] lacks DOI, arXiv id or URL"]


def test_more_printed_shapes_the_parser_may_only_half_read() -> None:
    apa_chapter = printed(
        "Call, J., and Tomasello, M. (1996). “The effect of humans on apes,” in Reaching into"
        " Thought, eds A. E. Russon and K. A. Bard (New York, NY: Cambridge University Press),"
        " 371–403.",
        authors=(Author("Call", "J."),),
        title="The effect of humans on apes",
        container="Reaching into Thought",
        year=1996,
    )
    author_block_as_title = printed(
        "Ostoji´c, L., and Clayton, N. (2014). Behavioural coordination of dogs. Anim. Cogn. 17,"
        " 445–459.",
        title="Ostoji´c, L., and Clayton, N. (2014)",
        container="Anim. Cogn",
        year=2014,
        volume="17",
        pages="445-459",
    )
    organisation = printed(
        "US Renal Data System. Annual data report: epidemiology of kidney disease. Am J Kidney"
        " Dis. 2016;69:A4.",
        title="US Renal Data System. Annual data report: epidemiology of kidney disease",
        container="Am J Kidney Dis",
        year=2016,
        volume="69",
        pages="A4",
    )
    missed_year = printed(
        "International Union Against Cancer (UICC) (1997) TNM Classification of Malignant"
        " Tumors. New York: Wiley.",
        authors=(Author("International Union Against Cancer"),),
        title="TNM Classification of Malignant Tumors",
        publisher="Wiley",
        kind="book",
    )
    web = printed(
        "ChemSpider Search and Share Chemistry. Available online: http://www.chemspider.com"
        " (accessed on 10 October 2014).",
        url="http://www.chemspider.com",
        kind="book",
    )
    report = printed(
        "Blanc JJ, Barnes RFW. 2007. African elephant status report 2007. Occasional paper series"
        " of the IUCN Species Survival Commission, No. 33.",
        authors=(Author("Blanc", "JJ"),),
        title="African elephant status report 2007",
        container="Occasional paper series of the IUCN Species Survival Commission",
        year=2007,
    )
    dataset = printed(
        "Leal GM, Leal SW: Dataset 1 in ‘Binding of a reporter’. F1000Research. 2014.",
        authors=(Author("Leal", "GM"),),
        title="Dataset 1 in ‘Binding of a reporter’",
        container="F1000Research",
        year=2014,
        url="http://dx.doi.org/10.5256/f1000research.5879.d41724",
    )
    refs = (apa_chapter, author_block_as_title, organisation, missed_year, web, report, dataset)
    assert findings(*refs) == []


def test_a_journal_the_parser_took_for_a_publisher_is_still_a_journal() -> None:
    journal = printed(
        "Gallimidi AB, Fischman S: Periodontal pathogens promote tumor progression. Oncotarget."
        " 2015.",
        authors=(Author("Gallimidi", "AB"),),
        title="Periodontal pathogens promote tumor progression",
        publisher="Oncotarget",
        year=2015,
        kind="book",
    )
    publisher = printed(
        "Cahyat A, Gonner C. 2007. Assessing household poverty: a manual. Bogor, Indonesia:"
        " Center for International Forestry Research, 1-108.",
        authors=(Author("Cahyat", "A"),),
        title="Assessing household poverty: a manual",
        publisher="Center for International Forestry Research",
        year=2007,
        kind="book",
    )
    assert findings(journal, publisher) == [
        "journal article [1] lacks volume, pages or article number"
    ]


@pytest.mark.parametrize(
    "raw",
    [
        # locators the parser left inside the journal name
        "Platzer P, Jaindl M (2007) Cervical spine injuries in pediatric patients. J Trauma"
        " 62:389–396, discussion 394–386",
        # numbers after the journal that the parser assigned to nothing
        "Matsui H, Xu CN. Origin of mechanoluminescence. Physical Review B, Vol. 69, No. 23,"
        " Paper No. 235109, 2004.",
        # books: a publisher and its city, an edition, a place and year
        "Lin TY, Burns NH (1981) Design of prestressed concrete structures. Wiley, Ann Arbor",
        "Braun-Blanquet J, 1951: Pflanzensoziologie. Wien (2. Aufl.).",
        "Carter G. Woodson, A Century of Negro Immigration (Washington, DC, 1918), pp. 56–57;",
        # a report number, a chapter after ") In:", an edited volume, an unsplit surname
        "Cronholm JN. The x2 test of goodness-of-fit. Rep. No. 710, US Army Med. Res. Lab. 1966",
        "Wheatley GA, Coaker TH (1970) In: Technological Economics of Crop Protection. SCI"
        " Monograph No. 36. London, p 42",
        "Metodicheskie rekomendatsii po podschetu zapasov / Pod red. V. I. Petersil'e. Moskva:"
        " VNIGNI, 2003. 520 s",
        "Tisserand, Sur le développement de la fonction perturbatrice. Comptes Rendus 97"
        " (1883): 815-880.",
        # submitted: no year yet
        "Bernstein LB, Manser T. Splicing of transcripts. Molec Cell Biol (submitted).",
        # software named with its version, no link: not a journal's volume 5
        "The HDF Group. (1997-2015, 1997-2015). Hierarchical Data Format, version 5.",
        "The HDF Group, “Hierarchical Data Format, version 5.”",
        # a chapter in a book edited by Chinese editors, as APA, IEEE and Science print it
        "程根伟. (1999). 1998年长江洪水的成因与减灾对策. In 许厚泽 & 赵其国 (Eds.),"
        " 长江流域洪涝灾害与科技对策 (pp. 32–36). 科学出版社.",
        "程根伟, “1998年长江洪水的成因与减灾对策,” in 长江流域洪涝灾害与科技对策, 许厚泽 and"
        " 赵其国, Eds., 北京: 科学出版社, 1999, pp. 32–36.",
        "程根伟, “1998年长江洪水的成因与减灾对策” in 长江流域洪涝灾害与科技对策, 许厚泽, 赵其国,"
        " Eds. (科学出版社, 北京, 1999), pp. 32–36.",
    ],
)
def test_printed_strings_a_parser_half_reads_are_not_called_incomplete(raw: str) -> None:
    from citecheck.references.refparse import parse_reference

    assert findings(parse_reference(raw, number=1, location=Location("m.txt", 1))) == []


def test_printed_strings_that_are_incomplete_still_are() -> None:
    from citecheck.references.refparse import parse_reference

    def parsed(raw: str) -> Reference:
        return parse_reference(raw, number=1, location=Location("m.txt", 1))

    assert findings(parsed("Feng Q, Liang S. Gut microbiome development. Nat Commun. 2015, 6.")) == [
        "journal article [1] lacks pages or article number"
    ]
    assert findings(parsed("Lee B, Kim C. Mutational profile. Front Oncol. 2021;11.")) == [
        "journal article [1] lacks pages or article number"
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "———. The Early Messianic Afterlife of the Tree Metaphor. TynBul 64 (2013): 171–88.",
        "Weaver AE, Madden EH. Direction in Problem Solving. Journal of Psychology, XXVII, 1949,"
        " pp. 331-345.",
        "Kramer, S. L. (1996). Geotechnical earthquake engineering. Prentice Hall, Upper Saddle"
        " River, N.J.",
        "ASCE (2005). Seismic Design Criteria for Structures. ASCE/SEI 43-05. American Society"
        " of Civil Engineers, Reston, VA.",
        "Ueda T. (2015). Communities displaced by 2011 disaster deprived of rights to vote."
        " Asahi Shinbun 31 December.",
    ],
)
def test_repeated_authors_roman_volumes_publishers_standards_and_news(raw: str) -> None:
    from citecheck.references.refparse import parse_reference

    assert findings(parse_reference(raw, number=1, location=Location("m.txt", 1))) == []
