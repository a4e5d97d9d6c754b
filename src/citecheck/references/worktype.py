"""What kind of work a reference entry describes, so completeness asks only for what it needs.

A preprint has no volume, a web page no pages, a conference volume has editors rather than
authors: asking every entry for a journal article's fields is what made incomplete-reference
cry wolf. Declared types (BibTeX entry types, CSL types, GB/T 7714 markers) are trusted, with
corrections every real bibliography needs (an "article" in arXiv is a preprint; one whose
"journal" is a publisher is no journal article). A type inferred from a printed string is
trusted only with evidence. `None` means unsure, and then completeness stays silent.
"""

from __future__ import annotations

import re

from citecheck.lazyre import lazy_compile  # patterns compiled on first use: most lists need few
from citecheck.model import Reference

ARTICLE = "journal article"
PREPRINT = "preprint"
BOOK = "book"
CHAPTER = "book chapter"
PAPER = "conference paper"
THESIS = "thesis"
REPORT = "report"
WEB = "web page"
SOFTWARE = "software or dataset"
STANDARD = "standard"
PATENT = "patent"
NEWS = "news article"
IDENTIFIER = "identifier"  # a Manubot @doi:/@pmid: key: the identifier is the whole citation

_BY_MARKER = {
    "J": ARTICLE,
    "N": NEWS,
    "M": BOOK,
    "G": BOOK,
    "C": PAPER,
    "A": CHAPTER,
    "D": THESIS,
    "R": REPORT,
    "P": PATENT,
    "S": STANDARD,
    "EB": WEB,
    "DB": SOFTWARE,
    "DS": SOFTWARE,
    "CP": SOFTWARE,
}
_BY_KIND = {
    "article": ARTICLE,
    "book": BOOK,
    "mvbook": BOOK,
    "booklet": BOOK,
    "collection": BOOK,
    "mvcollection": BOOK,
    "proceedings": BOOK,
    "mvproceedings": BOOK,
    "reference": BOOK,
    "manual": BOOK,
    "periodical": BOOK,
    "incollection": CHAPTER,
    "inbook": CHAPTER,
    "bookinbook": CHAPTER,
    "suppbook": CHAPTER,
    "chapter": CHAPTER,
    "inreference": CHAPTER,
    "inproceedings": PAPER,
    "conference": PAPER,
    "phdthesis": THESIS,
    "mastersthesis": THESIS,
    "thesis": THESIS,
    "techreport": REPORT,
    "report": REPORT,
    "online": WEB,
    "www": WEB,
    "webpage": WEB,
    "electronic": WEB,
    "software": SOFTWARE,
    "dataset": SOFTWARE,
    "data": SOFTWARE,
    "standard": STANDARD,
    "patent": PATENT,
    "identifier": IDENTIFIER,
}

# Preprint servers, by name (in the journal, publisher or URL) and by DOI prefix.
_PREPRINT_NAME = lazy_compile(
    r"\b(?:arxiv|biorxiv|medrxiv|chemrxiv|psyarxiv|socarxiv|eartharxiv|engrxiv|osf\s*preprints|"
    r"research\s*square|researchsquare|ssrn|preprints\.org|peerj\s*preprints|authorea|"
    r"preprint)\b",
    re.IGNORECASE,
)
_PREPRINT_DOI = lazy_compile(
    r"^10\.(?:1101/(?:\d{4}\.\d\d\.\d\d\.)?\d+(?:v\d+)?$|48550/|21203/|2139/ssrn|31234/|"
    r"31219/|31223/|7287/peerj\.preprints|20944/preprints|26434/chemrxiv|22541/au\.|"
    r"1002/essoar)",
    re.IGNORECASE,
)
# Software and data repositories (Zenodo, figshare, Dryad, Bioconductor, CRAN, PyPI, GitHub).
_REPOSITORY_DOI = lazy_compile(
    r"^10\.(?:5281/zenodo|6084/m9\.figshare|5061/dryad|18129/b9\.bioc|5256/f1000research)"
)
_DATASET_TITLE = lazy_compile(r"(?:^|:\s)\W*(?:data\s*set|supplementary\s+data)\b", re.I)
_REPOSITORY_URL = lazy_compile(
    r"(?:github\.com|gitlab\.com|bitbucket\.org|cran\.r-project\.org|pypi\.org|"
    r"bioconductor\.org|zenodo\.org|figshare\.com|datadryad\.org)",
    re.IGNORECASE,
)
# A "journal" that is really a conference volume.
_PROCEEDINGS = lazy_compile(
    r"\b(?:proc(?:eedings)?|conference|conf|symposium|workshop|congress|meeting|seminar|"
    r"colloquium|summit|convention)\b",
    re.IGNORECASE,
)
# Journals named "Proceedings" (PNAS, Proc R Soc B, Proc IEEE).
_JOURNAL_PROCEEDINGS = lazy_compile(
    r"\b(?:natl|national|royal|r\s*soc|ieee\s*$|of\s+the\s+ieee|amer\w*\s+math)", re.IGNORECASE
)
# "Journal of ...", "J Clin Oncol" (not the "J" of "N.J").
_SAYS_JOURNAL = lazy_compile(r"\b(?:journal|jnl)\b|(?:^|\s)J\.?\s+[A-Z]", re.IGNORECASE)
# A "journal" that is really a publisher or an organisation: the type is not what it says.
_NOT_A_JOURNAL = lazy_compile(
    r"\b(?:press|publish\w*|verlag|elsevier\s+science|"
    r"foundation|institute|organi[sz]ation|agency|office|department|ministry|council|"
    r"university|inc|ltd|llc|gmbh|consortium|team|company|chamber)\b",
    re.IGNORECASE,
)
# A book publisher's name, alone or before its city ("Wiley, Ann Arbor").
_PUBLISHER = lazy_compile(
    r"\b(?:springer|wiley|elsevier|academic|crc|mcgraw-hill|prentice[\s-]hall|addison-wesley|"
    r"pearson|routledge|sage|blackwell|saunders|mosby|lippincott|thieme|humana|kluwer|"
    r"pergamon|macmillan|norton|freeman|sinauer|birkh[aä]user|cambridge|oxford|guilford|"
    r"harvard|princeton|yale|[ée]ditions?)(?:[\s-]\w+)?\s*(?:,|$)",
    re.IGNORECASE,
)
_ORGANISATION = lazy_compile(
    r"\b(?:cent(?:er|re)s?|commission|society|association|academy|library|laboratory|unit|"
    r"bureau|service|programme|trust|fund|bank|group|network|college|school)\b",
    re.IGNORECASE,
)
_NEWS = lazy_compile(
    r"\b(?:times|post|herald|tribune|guardian|telegraph|gazette|reuters|bloomberg|"
    r"wall street journal|associated press|news|newsletter|magazine|atlantic|economist|"
    r"wired|weekly|daily|shinbun|shimbun|zeitung|tageblatt|le\s+monde|el\s+pa[ií]s)\b",
    re.IGNORECASE,
)
# Words that journal names and their abbreviations are made of: evidence, in a printed
# string with no volume or pages, that the container is a journal at all.
_JOURNAL_WORD = lazy_compile(
    r"\b(?:j|journal|jnl|rev|review|reviews|res|research|lett|letters|acta|ann|annals|arch|"
    r"archives|bull|bulletin|trans|transactions|med|medicine|biol|biology|chem|chemistry|"
    r"phys|physics|sci|science|sciences|nature|cell|plos|bmc|front|frontiers|lancet|bmj|"
    r"jama|genome|genet|genetics|cancer|clin|clinical|immunol|microbiol|microbiology|ecol|"
    r"ecology|epidemiol|physiol|pharmacol|rep|reports|commun|communications|oncol|oncology|"
    r"oncotarget|mbio|msystems|elife|peerj|gigascience|bioinformatics|nucleic|biochem|"
    r"neurosci|psychol|psychiatry|surg|surgery|pediatr|pediatrics|gastroenterol|"
    r"gastroenterology|hepatol|cardiol|endocrinol|diabetes|infect|dis|health|nurs|dent|"
    r"vet|agric|environ|energy|eng|engineering|math|stat|statistics|econ|economics)\b",
    re.IGNORECASE,
)
_BIBTEX_DAY = lazy_compile(r"^\s*date\s*=\s*[{\"]?\d{4}-\d\d-\d\d", re.IGNORECASE | re.MULTILINE)
_CHINESE_NEWSPAPER = lazy_compile(r"(?<!学)报$")  # 中国青年报 is a newspaper, 学报 a journal
_UNPUBLISHED = lazy_compile(r"\b(?:unpublished|personal\s+communication|pers\.\s*comm)", re.I)
# 许厚泽: a Chinese editor
_CHAPTER_MARK = lazy_compile(r"[.,”\")]\s+[Ii]n:?\s+[A-Z(&\u3400-\u9fff]")
_REPORT_NUMBER = lazy_compile(
    r"\b(?:rep(?:ort)?\.?\s+no|technical\s+report|working\s+paper|white\s+paper)\b", re.I
)
_STANDARD_NUMBER = lazy_compile(
    r"\b(?:ISO(?:/IEC)?|IEC|ASTM|ANSI|ASCE/SEI|IEEE\s+Std|DIN|BS|EN|GB/T|GB|JIS|NF)\s*"
    r"[A-Z]?\d+(?:[.:-]\d+)*\b"
)
_EDITION = lazy_compile(
    r"\b\d+(?:st|nd|rd|th)?\.?\s*(?:ed|edn|edition|Aufl|éd)\b\.?", re.IGNORECASE
)
_PLACE_AND_YEAR = lazy_compile(r"\((?:[A-Z][\w.' -]+,\s*)+(?:1[5-9]|20)\d\d\)")
_ONLINE = lazy_compile(r"\b(?:available\s+(?:online|from|at)|accessed|\[cited)\b", re.IGNORECASE)
# A container that names a report series, not a journal ("Occasional paper ... No. 33").
_REPORT_SERIES = lazy_compile(
    r"\b(?:occasional|working|discussion|white|technical)\s+papers?\b|\breport\s+series\b|"
    r"\btechnical\s+reports?\b|\bfact\s*sheets?\b|\bpolicy\s+brief",
    re.IGNORECASE,
)
_VERSION = lazy_compile(r"\b(?:version|release)\s+v?\d", re.I)
_EDITED = lazy_compile(r"\b(?:eds?|editors?|edited|pp?|pages|Hrsg|Hg)\b\.?|\(eds?\.?\)", re.I)
_BIBTEX_SUBTYPE = lazy_compile(r"entrysubtype\s*=\s*[{\"]?\s*(newspaper|magazine)", re.IGNORECASE)
_BIBTEX_PREPRINT = lazy_compile(
    r"^\s*(?:eprinttype|archiveprefix|type)\s*=\s*[{\"]?\s*(?:arxiv|preprint)", re.I | re.M
)


def work_type(ref: Reference, declared: bool) -> str | None:
    """The kind of work `ref` describes, or None when unsure.

    `declared` says the entry's type was written by a person or a reference manager (a
    BibTeX or CSL database, a GB/T 7714 marker) rather than guessed from a printed string.
    """
    kind = ref.kind.lower()
    if kind == "identifier":
        return IDENTIFIER
    marker = ref.type_marker.split("/")[0].upper()
    if marker:
        found = _BY_MARKER.get(marker)
        if found == ARTICLE and _REPOSITORY_DOI.search(ref.doi.strip().lower()):
            return SOFTWARE  # "[J/OL] ... DOI:10.5281/zenodo.1": citeproc's [J] for a deposit
        return PREPRINT if found == ARTICLE and is_preprint(ref) else found
    if is_preprint(ref):
        return PREPRINT
    if _in_repository(ref):
        return SOFTWARE
    declared = declared or is_bibtex(ref)
    if not declared and _UNPUBLISHED.search(ref.raw):
        return None  # "unpublished remarks", "personal communication": nothing to look up
    if not declared and not ref.pages and _VERSION.search(ref.raw):
        # "Hierarchical Data Format, version 5": software or a standard, not a journal's volume
        return SOFTWARE if ref.url or ref.doi else None
    if not declared and _CHAPTER_MARK.search(ref.raw) and _EDITED.search(ref.raw):
        return CHAPTER  # "... In: Smith J, editor. Book. ..." / "..., p. 292-308. In Methods"
    if not declared and (_EDITION.search(ref.raw) or _PLACE_AND_YEAR.search(ref.raw)):
        return BOOK  # "(2. Aufl.)", "3rd edn", "(Washington, DC, 1918)"
    if not declared and ref.url and not ref.volume and (
        _ONLINE.search(ref.raw) or _BY_KIND.get(kind) in (BOOK, None)
    ):
        return WEB  # "Title. Available online: http://... (accessed on 10 October 2014)."
    if not declared and _REPORT_NUMBER.search(ref.raw):
        return REPORT  # "Rep. No. 710, US Army Med. Res. Lab."
    if not declared and _STANDARD_NUMBER.search(ref.raw):
        return STANDARD  # "ASCE/SEI 43-05", "ISO 9001:2015", "GB/T 7714-2015"
    found = _BY_KIND.get(kind)
    if found == BOOK and not declared and journal_as_publisher(ref):
        return ARTICLE  # "Title. Oncotarget. 2015.": the parser took the journal for a publisher
    if found == ARTICLE:
        return _article_type(ref, declared)
    if found is None and ref.url and not ref.container and not ref.doi:
        return WEB
    return found


def _article_type(ref: Reference, declared: bool) -> str | None:
    container = ref.container
    if _PROCEEDINGS.search(container) and not _JOURNAL_PROCEEDINGS.search(container):
        return PAPER
    if (_NOT_A_JOURNAL.search(container) or _PUBLISHER.search(container)) and not (
        _SAYS_JOURNAL.search(container)
    ):
        return None
    if _REPORT_SERIES.search(container) and not _SAYS_JOURNAL.search(container):
        return REPORT
    if _BIBTEX_SUBTYPE.search(ref.raw) or _NEWS.search(container):
        return NEWS
    if _CHINESE_NEWSPAPER.search(container):
        return NEWS
    if not (ref.volume or ref.pages or ref.doi) and _BIBTEX_DAY.search(ref.raw):
        return NEWS  # dated to the day, no volume or pages: a newspaper or magazine
    if not declared and not ref.volume and re.fullmatch(r"[A-Z]{3,8}(?:[ '-]?\d+)?", container):
        return PAPER  # "ECCV, pages 525-538, 2012": a conference known by its acronym
    after = ref.raw.rsplit(container, 1)[-1] if container else ""
    if not declared and not ref.volume and _PUBLISHER.search(after):
        return BOOK  # "Geotechnical earthquake engineering. Prentice Hall, Upper Saddle River"
    short_name = 0 < len(container.split()) <= 3  # "Biometrics. 1988:837-845."
    evidence = ref.volume or ref.doi or (ref.pages and short_name)
    if not declared and not (evidence or _looks_like_journal(container)):
        return None  # "Numerical ecology. Elsevier Science.": maybe not an article at all
    return ARTICLE


def _looks_like_journal(name: str) -> bool:
    """A journal's name or its abbreviation ("J Bacteriol", "Clin. Vaccine Immunol.")."""
    if _JOURNAL_WORD.search(name):
        return True
    tokens = name.split()
    abbreviated = [t for t in tokens if re.fullmatch(r"[A-Z][a-z]{0,6}\.?", t)]
    return len(tokens) >= 2 and len(abbreviated) == len(tokens)


def journal_as_publisher(ref: Reference) -> bool:
    """A printed entry's "publisher" is a journal's name, written as a journal is ("Title.
    Oncotarget. 2015."), not after a place ("Bogor, Indonesia: Center for ...")."""
    name = ref.publisher
    if not name or ref.container or not _JOURNAL_WORD.search(name):
        return False
    if _NOT_A_JOURNAL.search(name) or _ORGANISATION.search(name) or _PUBLISHER.search(name):
        return False
    return re.search(rf"\.\s+{re.escape(name)}\s*[.,;]", ref.raw) is not None


def is_preprint(ref: Reference) -> bool:
    """Posted on a preprint server: by its name, its DOI prefix, an arXiv id or BibTeX type."""
    if ref.arxiv or _PREPRINT_DOI.search(ref.doi.strip()):
        return True
    if _PREPRINT_NAME.search(f"{ref.container} {ref.publisher} {ref.url}"):
        return True
    return is_bibtex(ref) and _BIBTEX_PREPRINT.search(ref.raw) is not None


def _in_repository(ref: Reference) -> bool:
    """Software or data: deposited in a repository, or a title that says it is a dataset."""
    if _REPOSITORY_DOI.search(ref.doi.strip()) or _REPOSITORY_URL.search(ref.url):
        return True
    return bool(_DATASET_TITLE.search(ref.title) or _DATASET_TITLE.search(ref.raw))


def is_bibtex(ref: Reference) -> bool:
    """The entry's raw text is its BibTeX block (a .bib database entry)."""
    return ref.raw.lstrip().startswith("@")


def bibtex_has(ref: Reference, *names: str) -> bool:
    """The BibTeX block gives a non-empty value for one of these fields (editor, school...)."""
    pattern = rf"^\s*(?:{'|'.join(names)})\s*=[\s{{\"]*[^\s{{}}\",]"
    return re.search(pattern, ref.raw, re.IGNORECASE | re.MULTILINE) is not None
