"""Parse one reference-list string (Vancouver, GB/T 7714, APA/Harvard/Chicago) into a Reference.

The parser is a fixed pipeline of precompiled regular expressions, not a learned model:
identifiers (DOI, PMID, URL) are cut out first, then the author list is scanned name by
name from the left, then the title is taken up to its end marker ("[J]", a closing quote, or
the sentence end after any subtitle sentences; a comma when the style has no sentence ends),
and the rest is split into container (journal, or a chapter's book) or publisher and a
numeric tail (year, volume, issue, pages). Every step tolerates garbage, so
`parse_reference` never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from citecheck.lazyre import lazy_compile
from citecheck.model import Author, Location, Reference
from citecheck.normalize import expand_pages, has_cjk  # noqa: F401 -- expand_pages public here too
from citecheck.references import refparse_gbt as gbt
from citecheck.references.refparse_pinyin import family_first

# Longer "references" are pasted paragraphs; only the head is parsed (raw keeps everything).
MAX_CHARS = 4000

# GB/T 7714 document-type codes -> BibTeX entry types ("/OL" = online, same kind).
KIND_BY_MARKER = {
    "J": "article",
    "N": "article",
    "M": "book",
    "G": "book",
    "C": "inproceedings",
    "A": "incollection",
    "D": "phdthesis",
    "R": "techreport",
    "P": "patent",
    "S": "misc",
    "EB": "online",
    "DB": "misc",
    "CP": "misc",
    "DS": "misc",
    "CM": "misc",
    "Z": "misc",
}

# --- character classes -------------------------------------------------------------------
# Python's re has no \p{Lu}; build the uppercase class once from unicodedata.
_UPPER_CHARS = "".join(ch for ch in map(chr, range(0x2000)) if ch.isupper())


def _char_class(chars: str) -> str:
    """A regex class with runs written as ranges: the parser is fed ~400 items, not 833."""
    runs: list[list[int]] = []
    for code in map(ord, chars):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    parts = []
    for low, high in runs:
        parts.append(
            re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        )
    return "[" + "".join(parts) + "]"


UP = _char_class(_UPPER_CHARS)
LETTER = r"[^\W\d_]"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212-"  # "-" last: safe inside [...]

_CONTROL = lazy_compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
# Markdown emphasis from PDF-to-text conversion: "*Exp Gerontol*".
_EMPHASIS = lazy_compile(r"\*+")
_INLINE_TAG = lazy_compile(
    r"</?(?:i|b|em|strong|sup|sub|sc|span)(?:\s[^<>]{0,80})?>", re.IGNORECASE
)

# --- identifiers ---------------------------------------------------------------------------
_DOI = lazy_compile(
    r"<?(?:https?://(?:dx\.)?doi\.org/|\bdoi\s*[:：]?\s*(?:https?://(?:dx\.)?doi\.org/)?)?"
    r"(10\.\d{4,9}/[^\s<>\"]+)>?",
    re.IGNORECASE,
)
# A DOI broken by a space after a period ("10.1523/jneurosci. 0300-04.2004"): a DOI does
# not end in ".", and a continuation with digits and inner "." or "-" is no sentence.
_DOI_CONTINUATION = lazy_compile(r"\s+((?=[\w.\-]*\d)\w+(?:[.\-]\w+)+)(?=[\s.,;]*$|[.,;]?\s)")
_SICI_DOI = lazy_compile(r"(?:\bdoi\s*:?\s*)?(10\.\d{4,9}/\(SICI\)[^\s\"]+)", re.IGNORECASE)
_URL = lazy_compile(r"<?((?:https?://|www\.)[^\s<>\"]+)>?", re.IGNORECASE)
_PMID = lazy_compile(r"\bPMID\s*[:：]?\s*(\d{1,9})\b", re.IGNORECASE)
_NOISE = lazy_compile(
    r"\bPMCID\s*[:：]?\s*PMC\d+|\bISBN(?:-1[03])?\s*[:：]?\s*[\dXx][\dXx\- ]{8,16}[\dXx]"
    r"|\[(?:cited|accessed|updated)[^\]]{0,60}\]|\((?:accessed|retrieved|cited)[^)]{0,60}\)"
    r"|\b(?:Available (?:from|at|online)|Available|Retrieved(?: [A-Z][a-z]+ \d{1,2}, \d{4},)? from"
    r"|Accessed(?: on)?|URL"
    r"|Epub ahead of print|Epub|NIHMSID\s*\w+|PMCID|\[?PubMed\]?(?: \[journal\])?)\b\s*[:：]?",
    re.IGNORECASE,
)
# GB/T 7714 access dates "[2013-10-25]" say nothing about the work; publication dates
# "(1998-08-16)" are reduced to their year.
_ACCESS_DATE = lazy_compile(r"\[\d{4}-\d{1,2}-\d{1,2}\]")
_ISO_DATE = lazy_compile(r"\(?(\d{4})-\d{1,2}-\d{1,2}\)?")
_ISO_HINT = lazy_compile(r"\d\d\d\d-\d\d?-\d")
# Lowercase substrings without which _NOISE cannot match (a fast pre-test).
_NOISE_HINTS = (
    "pmc",
    "isbn",
    "[cit",
    "[acc",
    "[upd",
    "(acc",
    "(ret",
    "(cit",
    "avail",
    "retrieved",
    "accessed",
    "url",
    "epub",
    "nihms",
    "pubmed",
)
_TRAILING_PUNCT = ".,;:'\"”’»]>"
# "———." repeats the previous entry's authors; this entry alone cannot name them.
_SAME_AUTHORS = lazy_compile(r"[·\s]*[—–_\-]{2,}\s*[.,]?\s*")
_LEADING_NUMBER = lazy_compile(
    r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,3}\s*[.)]|\d{1,3}(?=\s+\D))\s*"
)

_YEAR_TOKEN = r"(?:1[5-9]\d\d|20\d\d)"

# --- authors --------------------------------------------------------------------------------
_PARTICLE = r"(?:[vV]an|[vV]on|[dD]e|[dD]er|[dD]en|[dD]el|[dD]ella|[dD]i|[dD]a|[dD]u|[dD]es|[lL]a|[lL]e|dos|das|ten|ter|St\.)"
_SUFFIX = r"(?:,?\s+(?:Jr|Sr|II|III|IV)\.?)?"
# Family words have two or more letters ("D'Angelo", "O'Brien" included).
_NAMEWORD = rf"{UP}(?:{LETTER}+(?:['’]{LETTER}+)?|['’]{UP}{LETTER}+|['’][a-z]{{2,}})"  # N'goma
_FAMILY = rf"(?:{_PARTICLE}\s+)*{_NAMEWORD}(?:\s?[{DASHES}]\s?{LETTER}+)*{_SUFFIX}"
# A family word in direct order must contain a lowercase letter, else "Pan HY" reads as
# given "Pan", family "HY"; and it is not a suffix ("Wimsatt Jr." is not given + family).
_MIXED_FAMILY = (
    rf"(?:{_PARTICLE}\s+)*(?!(?:Jr|Sr)\b){UP}(?=[\w'’]*?[a-zß-ÿ]){LETTER}*+(?:['’]{LETTER}++)?"
    rf"(?:[{DASHES}]{LETTER}++)*+{_SUFFIX}"
)
_INITIAL = rf"{UP}\.?(?:\s?[{DASHES}]\s?{UP}\.?)?"
_INITIALS = rf"{_INITIAL}(?:\s?{_INITIAL}){{0,3}}(?!{LETTER})"
# "Jin-yi", "Pierre-Marc", "Jean-Luc"
# (A lookahead finds the lowercase letter and possessive runs take the word whole, so a
# failed match does not backtrack through every split of the word.)
_GIVENWORD = rf"{UP}(?={LETTER}*?[a-zß-ÿ]){LETTER}*+(?:[{DASHES}]{LETTER}++)?"
# "Marilyn M.", "George Gordon", "C. Marvin"; an initial after given words ends the name, so
# "Triner, Gail D. Banking and Development" keeps "Banking" for the title.
_GIVEN = (
    rf"(?:{_GIVENWORD}(?:\s+{_GIVENWORD}){{0,2}}(?:\s+{_INITIAL}(?!{LETTER})){{0,2}}"
    rf"|{_INITIAL}(?!{LETTER})(?:\s?{_INITIAL}(?!{LETTER})){{0,2}}(?:\s+{_GIVENWORD})?)"
)
# Words that start titles, not given names: "The Annotated Principles" is no person.
_NOT_GIVEN = r"(?!(?:The|A|An|In|On|Of|For|To|Le|La|Les|Un|Une|Der|Die|Das|El|Il|Lo)\s)"
# What may follow a complete name: another name, the list end, a year, et al.
_AFTER_NAME = r"(?=\s*(?:[,;:(]|\.|and\s|&|et\s*al|等|\d|$)|\s+(?:and|&|et)\s)"
# After a given-first name a comma must not lead into lowercase words: in "Kinchy A. Seeds,
# sciences, and struggle" "Kinchy A" is the name and "Seeds, sciences" the title.
# Nor to initials that close a name ("Des Marais, D. J., Strauss, H." is inverted).
_AFTER_DIRECT = (
    r"(?=\s*(?:,(?!\s*(?!(?:and|et|eds?|editors?|van|von|de|der|den|da|di|du|del|della|le|la"
    r"|dos|das|ten|ter|y|und)\b)[a-zß-ÿ])(?!\s*[A-Z]\.(?:\s?[A-Z]\.)*\s*(?:[,&(]|$))"
    r"|[;:(]|\.|and\s|&|et\s*al|等|\d|$)|\s+(?:and|&|et)\s)"
)
# "Veen P H van der", "Veen, P. H. van der": the particle written after the initials.
_TRAILING_PARTICLE = r"(?:\s+(?P<particle>(?:van|von|de|da|del|di|du|le|la|te|ter|ten)(?:\s(?:der|den|de|la))?)(?![\w.]))?"
# Given names never end in two bare initials; family + initials ("Yufin S A") do.
_SPACED_INITIALS = lazy_compile(rf"(?<!\S){UP}\s{UP}\.?$")
_AFTER_INITIAL = r"(?=\s*(?:[,;:(]|et\s*al|等|and\s|&|\d|$)|\s+et\s)"

_NAME_FORMS = (
    # 周荣耀, 云南民族新闻文化发展研究院, 黄土高原科学数据中心(西北农林科技大学水土保持研究所):
    # names in Han characters are kept whole, however long (organisations), up to what
    # separates names or ends the list; a Han run followed by anything else is a title.
    (
        "han",
        lazy_compile(
            rf"(?!等(?:[\s.,]|$))(?P<family>[{HAN}][{HAN}·•]*+(?:\([{HAN}·•]+\))?)"
            rf"(?=\s*(?:[,;、]|\.(?:\s|$)|等|et\s*al|\(?{_YEAR_TOKEN}|$))"
        ),
    ),
    # Given name first: "Thomas F. LaPorta", "Ken Lang" (before Vancouver, which would
    # otherwise read "Thomas F." as family + initial)
    (
        "direct",
        lazy_compile(
            rf"{_NOT_GIVEN}(?P<given>(?:{UP}\.\s?)?{_GIVENWORD}(?:\s+(?:{_GIVENWORD}|{_INITIAL}(?!{LETTER}))){{0,2}})"
            rf"\s+(?P<family>{_MIXED_FAMILY}){_AFTER_DIRECT}"
        ),
    ),
    # Vancouver/NLM: "Pan HY", "Mostafavi Montazeri SM", "ROSANVALLON P."; not "Andreae M"
    # of "Andreae M. O." (an initial with a period follows: the next form)
    (
        "vancouver",
        lazy_compile(
            rf"(?P<family>{_FAMILY}(?:\s+{_FAMILY}){{0,2}}?)\s+(?P<given>{UP}(?:\s?[{DASHES}]?{UP}){{0,3}})(?!{LETTER})"
            rf"(?!\.\s?[{DASHES}]?{UP}\.)(?:\s+(?:Jr|Sr|II|III|IV)\b\.?)?"
            rf"{_TRAILING_PARTICLE}"
            rf"(?=\s*(?:[,;:(]|et\s*al|等|\d|$)|\.?\s*(?:[,;]|and\s|&|\(|$)|\.\s)"
        ),
    ),
    # Vancouver with periods: "Andreae M. O.", "Harrison R.M.", "Janssens J.P"
    (
        "vancouver",
        lazy_compile(
            rf"(?P<family>{_FAMILY}(?:\s+{_FAMILY}){{0,2}}?)(?P<comma>,)?\s+(?P<given>{UP}\.(?:\s?[{DASHES}]?\s?{UP}\.?){{0,2}})"
            rf"(?:,?\s+(?:Jr|Sr|II|III|IV)\b\.?)?{_TRAILING_PARTICLE}"
            # "Smith A.B. Title" (no comma: "WORLD ORGANIZATION, U.S. AGENCY" is no name)
            rf"(?:{_AFTER_INITIAL}|(?(comma)(?!)|(?<=\.)(?=\s+(?:{UP}|[\d\"“‘'(]))))"
        ),
    ),
    # Inverted with initials: "Bergk, V.", "Haefeli, W. E.", "Poirier, L.J.", "Henderson, D. A. Jr."
    (
        "inverted",
        lazy_compile(
            rf"(?P<family>{_FAMILY}),\s*(?P<given>{_INITIALS}(?:\s+{_PARTICLE})?){_SUFFIX}{_AFTER_NAME}"
        ),
    ),
    # French bracketed given names: "ALLEN (J.P.)", "FERRIERES (Madeleine)"
    ("inverted", lazy_compile(rf"(?P<family>{_FAMILY})\s*\((?P<given>{_GIVEN})\)")),
    # Inverted with a given name: "Nichols, Bill", "Vihman, Marilyn M.", "BIASI, Pierre-Marc de"
    (
        "inverted",
        lazy_compile(
            rf"(?P<family>{_FAMILY}),\s*(?P<given>{_GIVEN}(?:\s+{_PARTICLE})?){_AFTER_NAME}"
        ),
    ),
    # French "NOM Prénom": "KAHAN Marcel"
    (
        "vancouver",
        lazy_compile(
            rf"(?P<family>{UP}{{2,}}(?:[ {DASHES}]{UP}{{2,}})*)\s+(?P<given>{_GIVENWORD}){_AFTER_NAME}"
        ),
    ),
    # A body written in capitals, before a period, a year or another such body:
    # "COLLECTIF.", "THE GUARDIAN, 2015.", "U.S. DEPARTMENT OF TRANSPORTATION.",
    # "AMERICAN INSTITUTE OF AERONAUTICS AND ASTRONAUTICS (AIAA)."
    (
        "body",
        lazy_compile(
            rf"(?P<family>(?:{UP}\.){{2,}}(?:\s{UP}{{2,}})+|{UP}{{3,}}(?:\s(?:{UP}{{2,}}|&))*"
            rf"(?:\s\({UP}{{2,}}\))?)(?=\.\s|,\s*{_YEAR_TOKEN}|,\s(?:{UP}\.)*\s?{UP}{{2,}}[\s.]|\.$)"
        ),
    ),
    # Initials first: "O. Ambacher", "J. R. Shealy"
    (
        "initials",
        lazy_compile(rf"(?P<given>{_INITIALS})\s*(?P<family>{_MIXED_FAMILY}){_AFTER_NAME}"),
    ),
)
# A list of "J. R. Shealy" names does not go on with "Nano Lett" (a journal, read as given +
# family): after such names only the same form is a name.
_FORMS_AFTER = {"initials": ("initials", "han"), "body": ("body",)}


def _form_order(style: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The name forms to try after a first name of this style, that style first."""
    if not style:
        return _NAME_FORMS
    allowed = _FORMS_AFTER.get(style)
    return tuple(
        (form, pattern)
        for form, pattern in sorted(_NAME_FORMS, key=lambda item: item[0] != style)
        if (form != "body" or style == "body") and (allowed is None or form in allowed)
    )


_FORM_ORDER = {style: _form_order(style) for style in {"", *(f for f, _ in _NAME_FORMS)}}
# Inverted names separated by ". " only: "Sasayama, D. Hattori, K.", "ROUSSILLON, René.
# CHABERT, Catherine." (an all-capital family name with a given name).
_INVERTED_AFTER_PERIOD = lazy_compile(
    rf"\.?\s+(?={_FAMILY},\s*{UP}{{1,2}}\.|{UP}{{2,}}(?:[ {DASHES}]{UP}{{2,}})*,\s*{_GIVENWORD})"
)
_SEPARATOR = lazy_compile(
    r"\.?(?:\s*[,;，、]+\s*(?:(?:and|&|et)\s+|&\s*)?|\s(?i:and|&|und|et|y)\s+|\s*&\s*)"
)
# ("Jie Z, others: Title": Google Scholar's export of "et al.")
_ET_AL = lazy_compile(
    r"\.?\s*[,，]?\s*(?:et\s*al\.?|等|\.\.\.|…|(?<=,\s)(?:and\s+)?others\b:?)", re.IGNORECASE
)
# "(Ed.)", "eds.", "(Editors)", "(Hrsg.)" after the names: they edited, the names stay.
_EDITOR_MARK = lazy_compile(
    r"\.?\s*,?\s*(?:\((?:eds?|éds?|editors?|hrsg|hg|dirs?|coord|comps?)\.?\)|(?:eds?|editors?|hrsg)\.?(?=[\s,(]|$))",
    re.IGNORECASE,
)

# Corporate authors in title case before the title: capitalised words and connectives only.
_ORG_PART = (
    rf"{UP}[\w'’&.\-]*(?:\s+(?:{UP}[\w'’&.\-]*|of|for|and|the|on|in|de|des|du|für|&))*"
    rf"(?:\s\({UP}{{2,}}\))?"
)
_ORGANISATIONS = lazy_compile(rf"(?P<orgs>{_ORG_PART}(?:,\s{_ORG_PART}){{0,3}})\.\s+(?=\S)")
# A given-first "name" whose family word is one of these is a body ("Royal Society").
_ORGANISATION_NOUNS = frozenset(
    "Institute Organization Organisation Association Department Commission Society Council "
    "Agency Committee Ministry University Academy Foundation Centre Center Board Office "
    "Consortium Federation College Network Union Bureau Administration Authority Group "
    "Collaboration Alliance Programme Trust Panel Nations Corporation Company Survey".split()
)
_ORGANISATION_WORD = lazy_compile(
    r"\b(?:Institut\w*|Organi[sz]ation|Association|Department|Commission|Society|Council|"
    r"Agency|Committee|Ministry|University|Academy|Foundation|Cent(?:re|er)|Board|Office|"
    r"Service|Consortium|Federation|College|Network|Union|Bureau|Administration|Authority|"
    r"Group|Collaboration|Alliance|Programme|Trust|Task Force|Panel|Nations|Corporation|"
    r"Company|Inc|Ltd|Agency|Laborator(?:y|ies)|Survey|Registry|Working Party)\b"
)

# --- year, title and source ----------------------------------------------------------------
_LEAD_YEAR = lazy_compile(
    rf"^[\s.,:;]*(?:\((?P<pyear>{_YEAR_TOKEN})[a-z]?(?:[,\s][^)]{{0,25}})?\)|(?P<year>{_YEAR_TOKEN})[a-z]?)"
    rf"(?:[.,:;]\s*|\s+|$)|^[\s.,:;]*\(?n\.\s?d\.\)?[.,]?\s*"
)
# A year is not part of a page range ("1772-1775").
_YEAR = lazy_compile(rf"(?<![\w{DASHES}]){_YEAR_TOKEN}(?![\d]|\s*[{DASHES}]\s*\d)")
_PAREN_YEAR = lazy_compile(rf"\((?:[^()]{{0,20}}\s)?({_YEAR_TOKEN})[a-z]?\)")
_MARKER = lazy_compile(r"\[\s*(?P<code>[A-Z]{1,2})(?:\s*/\s*OL)?\s*\]")
_QUOTED_TITLE = lazy_compile(
    r"^(?:\"(?P<a>[^\"]+)\"|“(?P<b>[^”]+)”|«(?P<c>[^»]+)»|‘(?P<d>.+?)’(?=[,.;:\s])|``(?P<e>.+?)''"
    r"|„(?P<f>[^“”]+)[“”]|'(?P<g>[^']+?)'(?=[,.;:]))"
)
# "Nano Lett. 2010, 10, 1082": a reference without a title starts with an abbreviated journal.
# Abbreviations are truncated words: "Induction." or "Persistence." ends a title sentence.
_JOURNAL_WORDS_FIRST = (
    r"^(?P<journal>(?:(?![A-Za-z]*(?:tion|sion|ence|ance|ment|ness|ity|ing|ogy|ism)\.)"
    r"(?:[A-Z][A-Za-z]{0,11}\.?|[A-Z]{2,6}|of|and|&)[\s,]+){1,5}?)[\s,]*"
)
_JOURNAL_ONLY = lazy_compile(
    _JOURNAL_WORDS_FIRST
    # (the numbers go on: "77, 250", "422:633", "12 (2017)"; not "Phage 21: Control")
    + r"(?=(?:1[5-9]|20)\d\d(?:[,;.]\s*|\s+)\d|(?!(?:1[5-9]|20)\d\d)\d{1,4}(?!\d)(?:[,:]?\s*(?:pp?\.\s*)?[A-Za-z]?\d|\s*\())"
)
# "Nucl. Phys. A (1994) 571, 33": the year in brackets before the volume.
_JOURNAL_YEAR_FIRST = lazy_compile(_JOURNAL_WORDS_FIRST + r"(?=\((?:1[5-9]|20)\d\d\)\s*[A-Z]?\d)")
# "Title (London: Routledge, 1992)": publication facts in brackets after a book title.
# (The closing bracket may be cut off with the year and pages that followed it.)
_PAREN_IMPRINT = lazy_compile(r"\s*\((?P<imprint>[^()]*:[^()]*)\)?\s*$")
# An edition statement is not part of the title: "Title, 6th ed", "Title (2nd edn)".
_EDITION = lazy_compile(
    r"[,.]?\s*\(?\b(?:\d+(?:st|nd|rd|th)|rev(?:ised)?\.?|new)\s+(?:ed|edn|edition)\b\.?\)?$",
    re.IGNORECASE,
)
_EDITION_SENTENCE = lazy_compile(
    r"(?<=\.)\s+(?:\d+(?:st|nd|rd|th)|rev(?:ised)?\.?|new)\s+(?:ed|edn|edition)\b\.?(?=\s|$)",
    re.IGNORECASE,
)
# Bracketed notes closing a title or journal: "Title [Internet]", "[dissertation]", "[国家标准]".
_BRACKET_NOTE = lazy_compile(r"(?<=\S)(?:\s*\[[^\[\]]{1,80}\])+$")
# APA's notes between title and period: "(2nd ed.)", "(J. Smith, Trans.)", "(Report No.
# 12)", "(Publication)", "(PB 91-194001; p. 25)", "(ISO 21378:2019)"; a species or an
# acronym in brackets ("(Gadus morhua)", "(COVID-19)") stays in the title.
_TITLE_NOTES = lazy_compile(
    r"(?:\s+\((?:[^()]*?(?:\b(?:eds?|edn|trans|tr|vol|vols|no|pp?|rev)(?:\.|(?=\)))|\b(?:ed|edition|Publication"
    r"|Report|Patent|[Dd]issertation|[Tt]hesis|[Tt]ranslator|Version)\b|论文|标准|专利|译|版)[^()]*"
    r"|[A-Za-z]+:\s?\d[\d.]+(?:v\d+)?"
    r"|(?-i:(?=[^()]*[A-Z])(?=(?:[^()\d]*\d){3})[A-Z0-9][A-Z0-9/.:;\s\-—–]*(?:\([a-z]{2}\))?))\))+$",
    re.IGNORECASE,
)
# "2014Feb15;": a date written without spaces (as citeproc-py renders NLM dates).
_PERIODICAL_NUMBERS = frozenset(["volume", "issue", "pages", "article_number"])
_GLUED_HINT = lazy_compile(r"\d(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_GLUED_DATE = lazy_compile(
    r"([12]\d{3})(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(\d{0,2})(?![a-z])"
)
_TITLE_YEAR = lazy_compile(rf"[\s,]+{_YEAR_TOKEN}$")
# Volume and pages inside what the first sentence end would make the title: the reference
# separates its parts by commas ("Title, J. Logic Programming, 5 207-229 (1988)").
_TITLE_TAIL = lazy_compile(
    rf",\s*(?:vols?|v|no|nos|pp?|pages)(?:\.\s*|\s+)\d"  # not "P2"
    # (not "P1, P2" nor a chemical's "1,3,4-")
    rf"|,\s+\d{{1,5}}\s*(?:\(\s*[\w/{DASHES}]{{1,10}}\s*\))?\s*[,:]\s*\(?[A-Za-z]?\d"
    rf"|\s\d{{1,5}}\s*\(\s*[\w/{DASHES}]{{1,10}}\s*\)\s*[:,]\s*[A-Za-z]?\d"
    rf"|,\s*\d{{1,5}}\s+\d+\s*[{DASHES}]\s*\d"
    rf"|,\s*{_YEAR_TOKEN}[a-z]?\s*[.,]?$",
    re.IGNORECASE,
)
# Physics: "Nat Rev Microbiol 4, 577 (2006)", "Nature 420 (2002) 231-237" (starting with a
# digit after a space lets re skip ahead fast).
_PHYSICS_TAIL = lazy_compile(
    rf"\d(?<=\s\d)\d{{0,4}}(?:,\s*[A-Za-z]?\d+\s*\(\s*{_YEAR_TOKEN}\s*\)"
    rf"|\s*\(\s*{_YEAR_TOKEN}\s*\)\s*[A-Za-z]?\d)"
)
_COMMA_TAIL = lazy_compile(
    rf",\s+[^,.;:]{{2,60}}?\s[A-Za-z]?\d{{1,5}}(?:,\s*[A-Za-z]?\d+\s*\(\s*{_YEAR_TOKEN}\s*\)"
    rf"|\s*\(\s*{_YEAR_TOKEN}\s*\)\s*[A-Za-z]?\d)"
)
# Sentences that start the source, not a subtitle.
_NOT_SUBTITLE = lazy_compile(
    r"(?:In|in|Dans|Im)\b|(?:Ed|Eds|Edited|Trans|Translated|Hrsg|Hg|Rev|Vol|Vols)\b", re.IGNORECASE
)
_LOWER_WORD = lazy_compile(r"(?<!\S)[a-zß-ÿ]")
_FIRST_DIGIT = lazy_compile(r"\d")
# Words that may stand inside the numeric tail ("vol. 3, pages 1-9, Suppl 1, March").
_WORD = lazy_compile(r"[^\W\d_]{4,}")
_LETTERS = lazy_compile(r"[^\W\d_]+")
# The last word of four letters or more (".*" runs to the end and backs off: no scan of
# every word).
_LAST_WORD = lazy_compile(r".*(?<![^\W\d_])([^\W\d_]{4,})", re.DOTALL)
# The title ends at the first sentence end not after an initial or a short abbreviation.
# (It starts with the character class, not the lookbehind, so re can skip ahead fast.)
_SENTENCE_END = lazy_compile(r"[.?!](?<=[^\s.]{2}[.?!])(?=\s+\S|[\"”]?\s*$)")
# (Not "Theories, J. Symbolic Logic" nor "Int. J. Fire": a letter after a comma or an
# abbreviation begins the journal.)
_LETTER_END = lazy_compile(r"\.(?<=[^\s,.;:\"”’»]\s[^\W\d_]\.)(?=\s+[A-Z])")
_NOTE_END = lazy_compile(r"\.(?<=\.\)\.)(?=\s+\S|\s*$)")
# Abbreviations whose period ends no sentence ("Vol. 15", "2nd ed.", "Int. J. Fire").
_NEXT_ABBREVIATION = lazy_compile(rf"\s+{UP}[a-z]{{0,6}}\.")
_ABBREVIATIONS = frozenset(
    [
        "vol",
        "vols",
        "no",
        "nos",
        "nr",
        "pp",
        "ed",
        "eds",
        "edn",
        "inc",
        "ltd",
        "co",
        "vs",
        "al",
        "jr",
        "sr",
        "st",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "fig",
        "suppl",
        "univ",
        "dept",
        "int",
        "proc",
        "trans",
        "phys",
        "math",
        "sci",
        "soc",
        "acad",
        "natl",
        "assoc",
        "conf",
        "symp",
        "rep",
        "bull",
    ]
)

_MONTHS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    r"july|august|september|october|november|december|janvier|février|mars|avril|mai|juin|"
    r"juillet|août|septembre|octobre|novembre|décembre|spring|summer|autumn|fall|winter"
)
_PAGES = rf"(?:[A-Za-z]{{0,2}}\d+[A-Za-z]?(?:\s*[{DASHES}]+\s*[A-Za-z]{{0,2}}\d+[A-Za-z]?)?)"
_VOL = r"(?:[A-Za-z]?\d+[A-Za-z]?(?:[/\-]\d+)?)"
_TAIL_PATTERNS = (
    # GB/T books and theses "2002: 288" (the year is already masked as "####")
    lazy_compile(rf"^####\s*:\s*(?:pp?\.\s*)?(?P<pg>{_PAGES})(?!\w)"),
    # Chicago "93, no. 4 (Fall ####): 581-598", IEEE "vol. 21, no 12, p. 1734-1739"
    lazy_compile(
        rf"(?:\b(?:vol(?:ume)?\.?|v\.)\s*)?(?<![\w.])(?P<vol>{_VOL})\s*,\s*(?:no|n°|nº|nr|issue)\.?\s*"
        rf"(?P<iss>\w+)(?:\s*\([^()]*\))?(?:\s*[:,]\s*(?:pp?\.\s*)?(?P<pg>{_PAGES})(?!\w))?",
        re.IGNORECASE,
    ),
    # Physics "12 (####) C03035", "360 (####) 145-179": the year between volume and page
    lazy_compile(
        rf"(?<![\w.])(?<!\d,\s)(?<!\d,)(?P<vol>{_VOL})\s*\(####\)\s*[,:]?\s*(?:pp?\.\s*)?(?P<pg>{_PAGES})(?!\w)"
    ),
    # "174: 112119", "10 (9): 2241", "382(3):1611-21", "52 (D1): D1694-D1698"
    lazy_compile(
        rf"(?<![\w.])(?P<vol>{_VOL})\s*(?:\((?P<iss>[^()#]{{1,25}})\)|\s(?P<supp>Suppl?\.?\s*\w+))?"
        rf"\s*:\s*(?:pp?\.\s*)?(?P<pg>{_PAGES})(?!\w)"
    ),
    # APA "3(2), 1-9", "23 (2, 3, 4), 303-353"
    lazy_compile(
        rf"(?<![\w.])(?P<vol>{_VOL})\s*\((?P<iss>[^()]{{1,25}})\)\s*[,.]\s*(?:pp?\.\s*|pages\s+)?(?P<pg>{_PAGES})(?!\w)"
    ),
    # "61, 327-335", "54, R17292-R17295", "87, pp. 334-344"
    lazy_compile(rf"(?<![\w.])(?P<vol>{_VOL})\s*,\s*(?:pp?\.\s*|pages\s+)?(?P<pg>{_PAGES})(?!\w)"),
    # Chicago "12, no. 3 (2000): 1-10" and labelled forms "Vol. 172, No. 3912"
    lazy_compile(
        r"(?:\bvol(?:ume)?\.?\s*(?P<vol>\w+))?[\s,.]*(?:\b(?:no|nr|issue|n°|nº|Heft)\.?\s*(?P<iss>\w+))",
        re.IGNORECASE,
    ),
    lazy_compile(r"\b(?:vol(?:ume)?\.?|v\.)\s*(?P<vol>\w+)", re.IGNORECASE),
    # "33(2)" with no pages
    lazy_compile(rf"(?<![\w.])(?P<vol>{_VOL})\s*\((?P<iss>[^()]{{1,25}})\)"),
)
# "2010 Mar 18;29(11)": the month and day after a year are part of the date.
_DATE_AFTER_YEAR = lazy_compile(rf"\s+(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?!\d))?", re.IGNORECASE)
_LABELLED_PAGES = lazy_compile(
    rf"(?:\bpp?\.|\bpages?|\bS\.)\s*(?P<pg>{_PAGES})(?!\w)", re.IGNORECASE
)
_RANGE = lazy_compile(
    rf"(?<![\w.])(?P<pg>[A-Za-z]{{0,2}}\d+[A-Za-z]?\s*[{DASHES}]+\s*[A-Za-z]{{0,2}}\d+[A-Za-z]?)(?!\w)"
)
_NUMBER = lazy_compile(r"(?<![\w.])(?P<n>[A-Za-z]?\d+[A-Za-z]?)(?![\w])")
# A number starts the tail unless it is an ordinal inside a name ("7th Conference") or
# part of one ("Covid-19 Forecast Hub", "HIV-1").
_TAIL_START = lazy_compile(
    r"(?<![\w])(?:(?<![^\W\d_]-)\d++(?![^\W\d_]{2})"
    r"|(?:vol(?:ume)?|no|pp?|pages?|n°|nº|v)\.?\s*\d|[A-Z]\d)"
    r"|\((?:\d|vol)",
    re.IGNORECASE,
)
# Not one year twice: "Longevity, 2020, 2020: 6697577" is GB/T's year, then a volume named
# after it (Hindawi), not a journal name ending in a number.
_TWO_YEARS = lazy_compile(
    rf"(?!(\d{{4}})[.,]?\s+\1\b){_YEAR_TOKEN}[.,]?\s+{_YEAR_TOKEN}(?![\d{DASHES}])"
)
# Words that may stand inside the numeric tail, lowercase.
_TAIL_WORDS = frozenset(
    _MONTHS.split("|")
    + [
        "page",
        "pages",
        "suppl",
        "supplement",
        "issue",
        "volume",
        "part",
        "press",
        "print",
        "online",
        "epub",
    ]
)
_TRAILING_DATE = lazy_compile(
    rf"[\s,.;(]*(?:(?:{_MONTHS})\.?(?:\s*[-/–]\s*(?:{_MONTHS})\.?)?\s*\d{{0,2}})$", re.IGNORECASE
)
_PLACE_PUBLISHER = lazy_compile(
    r"^(?P<place>[^:;,]{2,40}?(?:,\s*[A-Z][A-Za-z.]{1,5})?)\s*[:：]\s*(?P<publisher>[^:;]+?)[\s,.;]*$"
)
_PLACE = lazy_compile(rf"{UP}{LETTER}+(?:[\s{DASHES}]{UP}{LETTER}+){{0,2}}")
_EDITED_BY = lazy_compile(
    r",?\s*\b(?:edited|translated|trans\.|ed\.|eds\.)\s+(?:by\s+)?(?=[A-Z])", re.IGNORECASE
)
_BOOK_NOTE = lazy_compile(
    r"(?:edited|translated|trans\.|ed\.|eds\.|\(trans\.\)|\d+\s+vols|rev\.\s+ed|\d+(?:st|nd|rd|th)\s+ed)",
    re.IGNORECASE,
)
# "Nashville, TN" / "Washington, DC, USA" closing a proceedings title.
_CITY_STATE = lazy_compile(
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,3}){1,2},\s*(?:[A-Z]{2}|USA|UK)(?:,\s*(?:USA|UK))?$"
)
_CHAPTER_PAGES = lazy_compile(
    rf",\s*(?:pp?\.\s*)?(?P<pg>\d+\s*[{DASHES}]\s*\d+)\.\s+[^.:]{{2,40}}:\s*[^:]+$"
)
_IN_PREFIX = lazy_compile(r"^(?:In|in|Dans|dans|Im|im)\s*[:.]?\s+")
_EDITORS = lazy_compile(
    r"^.*?(?:\((?:eds?|hrsg|dir|coord|ed|editors?)\.?\)|,?\s*\beds?\.|,\s*editors?\.?|\beditors?\s*[:.])[,.:]?\s*",
    re.IGNORECASE,
)
_PUBLISHER_WORDS = lazy_compile(
    r"\b(?:Press|Publishers?|Publishing|Verlag|Books|Editions?|Éditions|Editora|Editorial|Inc|Ltd|"
    r"Co|Company|Wiley|Springer|Elsevier|Routledge|Gallimard|Blackwell|Sage|Macmillan|Norton|"
    r"Harper|Penguin|Academic|Univ\.?|University|Verlags?|Puf|PUF|Seuil|Flammarion|Dunod)\b|出版社"
)
_JOURNAL_WORDS = lazy_compile(
    r"\b(?:J|Journal|Rev|Review|Proc|Proceedings|Trans|Transactions|Lett|Letters|Acta|Annals|"
    r"Ann|Bull|Bulletin|Quarterly|Magazine|Res|Sci|Med|Studies|Revue|Zeitschrift|Science|Nature)\b"
)
_REPORT = lazy_compile(r"\b(?:report|preprint|working paper|manuscript)\b", re.IGNORECASE)
_THESIS = lazy_compile(r"\b(?:thesis|dissertation|th[eè]se)\b|学位论文|博士|硕士", re.IGNORECASE)
_TITLE_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "for",
        "and",
        "to",
        "at",
        "by",
        "with",
        "from",
        "is",
        "are",
        "as",
        "its",
        "into",
        "via",
        "toward",
        "towards",
    ]
)


def parse_reference(
    text: str, *, number: int | None = None, location: Location, key: str = ""
) -> Reference:
    """Parse ONE reference string (list number already removed) into a Reference; never raises."""
    work = _clean(text[:MAX_CHARS])
    work, doi, url, pmid = _cut_identifiers(work)
    leading = _LEADING_NUMBER.match(work)
    if leading:
        work = work[leading.end() :]
    same = _SAME_AUTHORS.match(work)
    if same:
        work = work[same.end() :]
    authors, et_al, end = _scan_authors(work)
    # "Royal Society, British Academy." scans as two given-first names.
    if work[:1].isupper() and (
        not authors or authors[0].family.rpartition(" ")[2] in _ORGANISATION_NOUNS
    ):
        authors, end = _organisation_authors(work) or (authors, end)
    rest = work[end:]
    year: int | None = None
    lead = _LEAD_YEAR.match(rest)
    if lead:
        found = lead.group("pyear") or lead.group("year")
        year = int(found) if found else None
        rest = rest[lead.end() :]
    rest = rest.lstrip(" .,:;")
    title, marker, source = _split_title(rest)
    code = marker.split("/")[0]
    book = number_id = book_volume = ""
    if code:
        title, source, book, number_id, book_volume = _gbt_parts(code, title, source)
    container, publisher, numbers, head_title = _split_source(source, year is not None, not title)
    title = title or head_title
    if code:
        container, publisher = _gbt_source(code, book, container, publisher, numbers)
        if book_volume and "volume" not in numbers:
            numbers["volume"] = book_volume
        if number_id and "article_number" not in numbers and "pages" not in numbers:
            numbers["article_number"] = number_id
    # A year after the title ("Journal. 2009;124:") beats one ending the title ("from 1996
    # to 2006").
    year = year or numbers.get("year_int")
    if year is None and title[-4:].isdigit() and _TITLE_YEAR.search(title, len(title) - 6):
        year = int(title[-4:])
        title = _TITLE_YEAR.sub("", title)
    imprint = _PAREN_IMPRINT.search(title) if title.endswith(")") else None
    if imprint and (_YEAR.search(imprint.group(0)) or _PUBLISHER_WORDS.search(imprint.group(0))):
        title = title[: imprint.start()]
        publisher = publisher or _publisher_of(imprint.group("imprint"))
    edition = _EDITION.search(title, max(len(title) - 30, 0)) if "ed" in title[-30:] else None
    if edition:
        title = title[: edition.start()]
    if title.endswith(("]", ")")):
        title = _BRACKET_NOTE.sub("", title)
        title = _TITLE_NOTES.sub("", title) if title.endswith(")") else title
    if container.endswith("]"):
        container = _BRACKET_NOTE.sub("", container)
    if container and not code and not doi and not numbers.keys() & _PERIODICAL_NUMBERS:
        # "Smith (2005). Title (2nd ed.). McGraw-Hill." / "Title. McGraw-Hill, 2005.": with
        # no volume, issue, pages or DOI after it, what follows the title is a publisher
        # unless it reads as a journal's name; "Title. Oncotarget. 2015." (the year after a
        # period) is an online-first journal article.
        _, _, after = source.partition(container)
        ends_source = lead is not None or after.lstrip()[:1] in ("", ",", ";")
        if ends_source and not _JOURNAL_WORDS.search(container) and not _IN_PREFIX.match(source):
            publisher, container = publisher or container, ""
    year = year or _any_year(work.replace(number_id, " ") if number_id else work)
    kind = _kind(marker, container, publisher, numbers, work)
    if book and code == "M":
        kind = "incollection"
    return Reference(
        key=key,
        raw=text,
        location=location,
        number=number,
        kind=kind,
        type_marker=marker,
        authors=authors,
        et_al=et_al,
        title=title,
        container=container,
        year=year,
        volume=numbers.get("volume", ""),
        issue=numbers.get("issue", ""),
        pages=numbers.get("pages", ""),
        article_number=numbers.get("article_number", ""),
        doi=doi,
        pmid=pmid,
        url=url,
        publisher=publisher,
        language="zh" if not text.isascii() and has_cjk(text[:MAX_CHARS]) else "en",
    )


def make_key(ref: Reference, taken: set[str] | frozenset[str]) -> str:
    """A readable BibTeX key such as "pan2023mechanisms", unique against `taken`.

    Names without a Latin spelling (Han characters) give "ref<number>". Clashes get the
    suffixes a, b, ... in call order, so keys are stable for a stable reference list.
    The function does not add the key to `taken`; see `assign_keys`.
    """
    family = _ascii(ref.authors[0].family) if ref.authors else ""
    word = next(
        (w for w in (_ascii(t) for t in ref.title.split()) if w and w not in _TITLE_STOPWORDS),
        "",
    )
    if family:
        base = f"{family}{ref.year or ''}{word}"
    else:
        base = f"ref{ref.number}" if ref.number is not None else f"ref{ref.year or ''}{word}"
    if base not in taken:
        return base
    for suffix in "abcdefghijklmnopqrstuvwxyz":
        if base + suffix not in taken:
            return base + suffix
    counter = 2
    while f"{base}_{counter}" in taken:
        counter += 1
    return f"{base}_{counter}"


def assign_keys(refs: tuple[Reference, ...] | list[Reference]) -> tuple[Reference, ...]:
    """Give every reference without a key a unique `make_key` key, in list order."""
    taken = {r.key for r in refs if r.key}
    out = []
    for ref in refs:
        if not ref.key:
            ref = replace(ref, key=make_key(ref, taken))
        taken.add(ref.key)
        out.append(ref)
    return tuple(out)


# --- pipeline steps ------------------------------------------------------------------------


def _clean(text: str) -> str:
    """NFKC (full-width Chinese punctuation -> ASCII), no control chars, single spaces."""
    if not text.isascii():  # ASCII text is already NFKC
        text = unicodedata.normalize("NFKC", text)
    # The cheap str tests skip substitutions that almost never apply (5,000-entry lists).
    if not text.isprintable():
        text = _CONTROL.sub(" ", text)
    if "*" in text:
        text = _EMPHASIS.sub("", text)
    if "′" in text:  # a prime for an apostrophe: "O′Dwyer"
        text = text.replace("′", "'")
    if "<" in text:  # "<i>Eucalyptus</i>" from HTML or CSL rich text
        text = _INLINE_TAG.sub("", text)
    return " ".join(text.split())


def _strip_identifier(value: str) -> str:
    """Drop trailing punctuation, and a closing bracket only when it is unbalanced."""
    while value:
        last = value[-1]
        if last in _TRAILING_PUNCT or last == ")" and value.count("(") < value.count(")"):
            value = value[:-1]
        else:
            break
    return value


def _cut_identifiers(work: str) -> tuple[str, str, str, str]:
    """Remove DOI, URL and PMID from the text and return them separately."""
    doi = url = pmid = ""
    match = _DOI.search(work) if "10." in work else None
    if match and "(SICI)" in match.group(1).upper():
        # SICI DOIs contain "<...>": 10.1002/(SICI)1098-2264(199910)26:2<142::AID-GCC6>3.0.CO;2-B
        match = _SICI_DOI.search(work) or match
    if match:
        doi, end = _strip_identifier(match.group(1)), match.end()
        if match.group(1).endswith(".") and not match.group(0).endswith(">"):
            continued = _DOI_CONTINUATION.match(work, end)
            if continued:
                doi, end = doi + "." + _strip_identifier(continued.group(1)), continued.end()
        if "://" in match.group(0):
            url = _strip_identifier(match.group(0).lstrip("<").rstrip(">"))
        work = work[: match.start()] + " " + work[end:]
    lower = work.lower()
    match = _URL.search(work) if "http" in lower or "www." in lower else None
    if match and not url:
        url = _strip_identifier(match.group(1))
        work = work[: match.start()] + " " + work[match.end() :]
    match = _PMID.search(work) if "pmid" in lower else None
    if match:
        pmid = match.group(1)
        work = work[: match.start()] + " " + work[match.end() :]
    if any(hint in lower for hint in _NOISE_HINTS):
        work = _NOISE.sub(" ", work)
    if work.count("-") > 1 and _ISO_HINT.search(work):
        work = _ISO_DATE.sub(r"\1", _ACCESS_DATE.sub(" ", work))
    return " ".join(work.split()).strip(" ,;"), doi, url, pmid


_MONONYM_LAST = lazy_compile(rf",\s+(?P<name>{UP}{LETTER}{{3,}})\.\s+(?={UP})")


def _scan_authors(work: str) -> tuple[tuple[Author, ...], bool, int]:
    """Read names from the left until something is not a name; return them and the end."""
    authors: list[Author] = []
    pos = 0
    style = ""
    while True:
        start = pos
        if authors:
            sep = _SEPARATOR.match(work, pos)
            if not sep and "." in work[pos - 1 : pos + 1]:
                sep = _INVERTED_AFTER_PERIOD.match(work, pos)
            if not sep:
                break
            start = sep.end()
        name = _match_name(work, start, style)
        if name is None:
            break
        author, end, form = name
        if form == "initials" and authors and "." in authors[0].given and "." not in author.given:
            break  # "J. Deaton and R. Young, J Bacteriol": the list wrote initials with periods
        style = style or form
        authors.append(author)
        pos = end
    if style == "direct":
        authors = family_first(authors)  # "Zhang Wei, Li Xiaoming": pinyin, family first
    if style == "vancouver" and authors:
        # PubMed's mononyms and groups end a Vancouver list: "Abdin MZ, Mahmooduzzafar. Title"
        last = _MONONYM_LAST.match(work, pos)
        if last:
            authors.append(Author(family=last.group("name"), given=""))
            pos = last.end("name")
    et_al = False
    if authors:
        tail = _ET_AL.match(work, pos)
        if tail:
            et_al = True
            pos = tail.end()
            # APA 7 "..., Singh, P., … Schmutz, J.": the last author follows the ellipsis.
            ellipsis = tail.group(0).endswith(("…", "..."))
            last = _match_name(work, pos + 1, style) if ellipsis else None
            if last and work[pos : pos + 1] == " ":
                authors.append(last[0])
                pos = last[1]
        editors = _EDITOR_MARK.match(work, pos)
        if editors:
            pos = editors.end()
    return tuple(authors), et_al, pos


def _organisation_authors(work: str) -> tuple[tuple[Author, ...], int] | None:
    """ "World Health Organization. Title..." / "Institute X, Academy Y. Title": a first
    sentence of capitalised words, each comma-separated part naming a body (Institute,
    Department, Society...), is the list of corporate authors."""
    head = _ORGANISATIONS.match(work)
    if head is None:
        return None
    parts = head.group("orgs").split(", ")
    if not all(_ORGANISATION_WORD.search(part) for part in parts):
        return None
    return tuple(Author(family=part, given="") for part in parts), head.end()


def _match_name(work: str, pos: int, style: str) -> tuple[Author, int, str] | None:
    """Match one name at `pos`, trying the list's style (that of its first name) first:
    in "Smith J, Doe A. Title." the second name is "Doe A", not "Doe A. Title"."""
    first = work[pos : pos + 1]
    if not first.isalpha():
        return None  # every name form starts with a letter (a Han character is one)
    if first.islower() and first not in "vdlt":
        # ... an upper-case one, or a lower-case _PARTICLE (van, von, de, da, la, le, ten...):
        # "al. Title" after "et" is no name, and the large name patterns need not be tried.
        return None
    han = has_cjk(first)  # only the "han" form starts with a Han character, and it always does
    for form, pattern in _FORM_ORDER[style]:
        if (form == "han") != han:
            continue
        match = pattern.match(work, pos)
        if match:
            groups = match.groupdict()
            family = match.group("family").strip()
            given = (groups.get("given") or "").strip()
            if form == "direct" and _SPACED_INITIALS.search(given):
                continue  # "Yufin S A. Geoecology and ...": a GB/T name, then the title

            if groups.get("particle"):  # "VEEN P H van der" is van der Veen
                family = f"{groups['particle']} {family}"
            return Author(family=family, given=given), match.end(), form
    return None


def _split_title(rest: str) -> tuple[str, str, str]:
    """Return (title, GB/T type marker, the source text after the title)."""
    marker_match = _MARKER.search(rest)
    if marker_match and marker_match.group("code") in KIND_BY_MARKER:
        title = rest[: marker_match.start()].strip(" .,:;")
        marker = re.sub(r"\s+", "", marker_match.group(0)[1:-1])
        return _unquote(title), marker, rest[marker_match.end() :].lstrip(" .,:;")
    quoted = _QUOTED_TITLE.match(rest)
    if quoted:
        title = next(g for g in quoted.groups() if g is not None)
        return title.strip(" ,.;:"), "", rest[quoted.end() :].lstrip(" .,:;")
    if _journal_only(rest):
        return "", "", rest
    end = _letter_end(rest, _sentence_end(rest, 0))
    if end is None or _has_tail(rest, end.end() + 6) or _comma_style_after(rest, end.end()):
        # No sentence end before the volume and pages: a comma-separated style
        # ("Title, Journal, 27, 259-316"), split by _split_source.
        return "", "", rest
    title_end, after = _sentence_stop(rest, end), end.end()
    # A further sentence is a subtitle when a named source (journal, place, publisher)
    # still follows it: "Title? A study of X. Journal 26: 5988-93" but not
    # "Title. Int J Cancer. 2009;124:1-9".
    while True:
        following = _sentence_end(rest, after)
        if following is None:
            break
        sentence = rest[after : following.start()].strip()
        if not _is_subtitle(sentence, rest[following.end() :]):
            break
        title_end, after = _sentence_stop(rest, following), following.end()
    return rest[:title_end].strip(" ,;:"), "", rest[after:].lstrip(" .,:;")


def _gbt_parts(code: str, title: str, source: str) -> tuple[str, str, str, str, str]:
    """GB/T conventions around the type marker: a translator note after it, a chapter's
    book after "//", a document number or a book's volume closing the title. Returns
    (title, source, book, document number, volume)."""
    source = gbt.skip_contributor_note(source)
    book = number_id = volume = ""
    if source.startswith("//"):
        book, source = gbt.split_container(source)
        book, volume = gbt.title_volume(book)
    elif code in ("M", "G"):
        title, volume = gbt.title_volume(gbt.drop_holdings(title))
    if code in gbt.NUMBERED:
        title, number_id = gbt.document_number(title)
    return title, source, book, number_id, volume


def _gbt_source(
    code: str, book: str, container: str, publisher: str, numbers: dict
) -> tuple[str, str]:
    """Container and publisher by GB/T type: a chapter's container is its book; after a
    book, thesis, report, standard, dataset... marker the text names a publisher or archive,
    never a periodical; a newspaper's "(15)" after its date is the page."""
    if book:
        return book, publisher or container
    if code == "N" and "issue" in numbers and "pages" not in numbers:
        # "2019-05-08(7)": the date's year is no volume, the bracket is the page.
        if _YEAR.fullmatch(numbers.get("volume", "")):
            del numbers["volume"]
        if "volume" not in numbers:
            numbers["pages"] = numbers.pop("issue")
    if code in gbt.PUBLISHED_BY and container:
        return "", publisher or container
    return container, publisher


def _sentence_end(text: str, pos: int) -> re.Match | None:
    """The next sentence end from `pos` that does not close an abbreviation ("Vol.")."""
    bracketed = ".)." in text
    while True:
        end = _SENTENCE_END.search(text, pos)
        if bracketed:  # "Title (2nd ed.). Publisher"
            note = _NOTE_END.search(text, pos, end.start() if end else len(text))
            end = note or end
        if end is None or text[end.start()] != ".":
            return end
        before = text[max(end.start() - 8, 0) : end.start()]
        word = before.rpartition(" ")[2].lstrip("(")
        # ", Mar. Geol., 41": a short capitalised word after a comma, followed by another
        # abbreviation, begins an abbreviated journal name.
        chain = before.endswith(", " + word) and len(word) <= 5 and word[:1].isupper()
        # "(B. J. Sadock, eds.)": an initial after a bracket ends no sentence.
        initial = len(word) == 1 and before.endswith("(" + word)
        if (
            word.lower() not in _ABBREVIATIONS
            and not initial
            and not (chain and _NEXT_ABBREVIATION.match(text, end.end()))
        ):
            return end
        pos = end.end()


def _place_publisher(text: str) -> re.Match | None:
    """ "London: Routledge" (a colon is needed; testing for it first is cheap)."""
    return _PLACE_PUBLISHER.match(text) if (":" in text or "：" in text) else None


def _journal_only(text: str) -> bool:
    """Does the text start with an abbreviated journal and its numbers (no title)?"""
    # The journal is at most five words, so its numbers start early (a fast pre-test).
    if _FIRST_DIGIT.search(text, 0, 90) is None:
        return False
    if _JOURNAL_ONLY.match(text) is not None:
        return True
    head = text[:90]
    return ("(1" in head or "(2" in head) and _JOURNAL_YEAR_FIRST.match(text) is not None


def _has_tail(text: str, end: int) -> bool:
    """Does text[:end] hold a volume/pages tail (comma-separated style)?"""
    if _FIRST_DIGIT.search(text, 0, end) is None:
        return False
    if _TITLE_TAIL.search(text, 0, end) is not None:
        return True
    head = text[:end]  # the physics tail holds "(1994)": test for it first
    return ("(1" in head or "(2" in head) and _PHYSICS_TAIL.search(text, 0, end) is not None


def _letter_end(text: str, end: re.Match | None) -> re.Match | None:
    """A title may end in a one-letter word ("lysis gene S.", "receptor β.") that the
    sentence-end pattern takes for an initial; it ends the title when an abbreviated
    journal and its numbers follow ("gene S. J Bacteriol 167, 1035")."""
    stop = end.start() if end else len(text)
    for letter in _LETTER_END.finditer(text, 0, stop):
        if _journal_only(text[letter.end() :].lstrip()):
            return letter
    return end


def _comma_style_after(text: str, pos: int) -> bool:
    """Is the sentence end at `pos` inside a physics-style title? "It's noisy! Gene
    regulation, Trends Genet 15, 65 (1999)": no other sentence end comes before ", Journal
    4, 577 (2006)" or ", Journal 420 (2002) 231"."""
    after = text[pos:]  # both physics tails hold a year in brackets
    if "(1" not in after and "(2" not in after:
        return False
    tail = _COMMA_TAIL.search(text, pos)
    return tail is not None and _sentence_end(text[: tail.start() + 1], pos) is None


def _sentence_stop(text: str, end: re.Match) -> int:
    """Where a title ends at this sentence end: after a "?" or "!", before a period."""
    return end.start() + (1 if text[end.start()] in "?!" else 0)


def _is_subtitle(sentence: str, after: str) -> bool:
    """A sentence of words with no numbers, no "In"/"Edited by" and not an imprint, that is
    followed by more words before any number (the real source)."""
    if len(sentence) < 12 or _NOT_SUBTITLE.match(sentence) or _has_tail(sentence, len(sentence)):
        return False
    if _THESIS.search(sentence) or _REPORT.search(sentence):
        return False
    if not _LOWER_WORD.search(sentence) or _place_publisher(sentence):
        return False
    head = _FIRST_DIGIT.split(after, maxsplit=1)[0]
    return any(w.lower() not in _TAIL_WORDS for w in _WORD.findall(head))


def _unquote(title: str) -> str:
    if len(title) > 2 and title[0] in '"“«‘„' and title[-1] in '"”»’“':
        return title[1:-1].strip()
    return title


def _split_source(source: str, have_year: bool, need_title: bool) -> tuple[str, str, dict, str]:
    """Split "Journal, 2020, 40(3): 100-105" into container, publisher, numbers (and a
    title, for comma-separated styles whose title has no sentence end)."""
    # The numbers start after the last real word: digits inside a title or journal name
    # ("2% lidocaine with 1: 100,000 epinephrine") are not the tail. When words follow the
    # numbers (notes, "in press"), fall back to the first number.
    if _GLUED_HINT.search(source):  # "2014Feb15;337": the date's parts apart
        source = _GLUED_DATE.sub(r"\1 \2 \3", source)
    last_word, end = 0, len(source)
    while last_word == 0:
        word = _LAST_WORD.match(source, 0, end)
        if word is None:
            break
        if word.group(1).lower() in _TAIL_WORDS:
            end = word.start(1)
        else:
            last_word = word.end()
    numbers: dict = {}
    head = source
    for start in (last_word, 0):
        tail_start = _TAIL_START.search(source, start)
        if tail_start and _TWO_YEARS.match(source, tail_start.start()):
            # "Periodontol 2000. 2002;29:7-16": a year-like number, then the year, ends
            # the journal's name.
            tail_start = _TAIL_START.search(source, tail_start.end())
        if not tail_start:
            continue
        numbers = {}
        _read_numbers(source[tail_start.start() :], numbers, have_year)
        found = any(k in numbers for k in ("volume", "pages", "article_number"))
        # "Place: Publisher, 2004" ends a book: its year is the whole tail.
        imprint = "year_int" in numbers and ":" in source[: tail_start.start()]
        if start == 0 or found or imprint:
            head = source[: tail_start.start()]
            chapter = _CHAPTER_PAGES.search(head) if imprint and not found else None
            if chapter:
                # "..., edited by X, 45-67. Boston: Beacon Press, 2003": the chapter's pages
                # stand before the imprint.
                _set_pages(numbers, chapter.group("pg"))
            break
    head = head.strip(" ,.;:(")
    # Only the last few characters can hold a trailing month; searching them alone keeps
    # this anchored pattern from scanning the whole head.
    cut = max(len(head) - 40, 0)
    if any(word in _TAIL_WORDS for word in _LETTERS.findall(head[cut:].lower())[-3:]):
        head = (head[:cut] + _TRAILING_DATE.sub("", head[cut:])).strip(" ,.;:(")
    title = ""
    if need_title and head and not _journal_only(source):
        title, head = _split_comma_title(head, numbers)
    container = publisher = ""
    if head:
        container, publisher = _classify_head(head, numbers)
    return container, publisher, numbers, title


def _split_comma_title(head: str, numbers: dict) -> tuple[str, str]:
    """ "Title, Journal" / "Title, Publisher": the title ends before the first segment that
    names a publisher, place or edited book, else before the last segment."""
    segments = head.split(", ")
    if len(segments) == 1:
        return head, ""
    for i in range(1, len(segments)):
        segment = segments[i]
        if (
            _IN_PREFIX.match(segment)
            or _place_publisher(segment)
            or _PUBLISHER_WORDS.search(segment)
        ):
            # "Title, Paris, Flammarion": a capitalised place before the publisher.
            if i > 1 and _PLACE.fullmatch(segments[i - 1]):
                i -= 1
            return ", ".join(segments[:i]), ", ".join(segments[i:])
    return ", ".join(segments[:-1]), segments[-1]


def _publisher_of(imprint: str) -> str:
    """ "London: Routledge, 1992" -> "Routledge"."""
    after = imprint.partition(":")[2]
    return _YEAR.sub("", after).strip(" ,.;")


def _any_year(work: str) -> int | None:
    """Last resort: a bracketed year anywhere, else the last bare year."""
    bracketed = _PAREN_YEAR.search(work)
    if bracketed:
        return int(bracketed.group(1))
    years = _YEAR.findall(work)
    return int(years[-1]) if years else None


def _read_numbers(tail: str, numbers: dict, have_year: bool) -> None:
    """Find year, volume, issue and pages in the numeric tail of a reference."""
    masked = tail
    if not have_year:
        for match in _YEAR.finditer(tail):
            follow = tail[match.end() : match.end() + 3].lstrip()
            # "2020(3)" is a volume named after its year; keep looking.
            if follow[:1] == "(":
                continue
            numbers["year_int"] = int(match.group(0))
            date = _DATE_AFTER_YEAR.match(tail, match.end())
            end = date.end() if date else match.end()
            masked = tail[: match.start()] + "#" * 4 + " " * (end - match.end()) + tail[end:]
            break
    for pattern in _TAIL_PATTERNS:
        match = pattern.search(masked)
        if not match:
            continue
        groups = match.groupdict()
        vol, pg = groups.get("vol"), groups.get("pg")
        iss = groups.get("iss") or groups.get("supp")
        if iss and re.fullmatch(rf"\s*{_YEAR_TOKEN}\s*", iss):
            continue
        if vol:
            numbers["volume"] = vol
        if iss:
            numbers["issue"] = iss.strip()
        if pg:
            _set_pages(numbers, pg)
        masked = (
            masked[: match.start()] + "#" * (match.end() - match.start()) + masked[match.end() :]
        )
        break
    if "pages" not in numbers and "article_number" not in numbers:
        match = _LABELLED_PAGES.search(masked) or _RANGE.search(masked)
        if match:
            _set_pages(numbers, match.group("pg"))
            masked = (
                masked[: match.start()]
                + "#" * (match.end() - match.start())
                + masked[match.end() :]
            )
    if "volume" not in numbers and "issue" not in numbers:
        leftovers = [m.group("n") for m in _NUMBER.finditer(masked)]
        if leftovers:
            numbers["volume"] = leftovers[0]
            if len(leftovers) > 1 and "pages" not in numbers and "article_number" not in numbers:
                _set_pages(numbers, leftovers[1])


def _set_pages(numbers: dict, value: str) -> None:
    value = re.sub(rf"\s*[{DASHES}]+\s*", "-", value.strip())
    if "-" in value:
        numbers["pages"] = value
    else:
        numbers["article_number"] = value


def _classify_head(head: str, numbers: dict) -> tuple[str, str]:
    """Decide whether the text before the numbers names a container or a publisher."""
    # Books have pages too; only a volume or issue says "periodical".
    has_numbers = "volume" in numbers or "issue" in numbers
    inside = _IN_PREFIX.match(head)
    if inside:
        return _book_of_chapter(head[inside.end() :])
    head = _drop_book_notes(head)
    first, _, after = head.partition(". ")
    place = _place_publisher(head)
    # (Only the city is tested: the "J." of "Princeton, N.J." is no journal.)
    city = place.group("place").partition(",")[0] if place else ""
    if place and not _JOURNAL_WORDS.search(city) and not has_numbers:
        return "", place.group("publisher").strip(" ,.")
    if after:
        place = _place_publisher(after)
        if place:
            return first.strip(" ,.;:"), place.group("publisher").strip(" ,.")
    looks_published = _PUBLISHER_WORDS.search(head) or "," in head
    if not has_numbers and looks_published and not _JOURNAL_WORDS.search(head):
        return "", head.split(",")[-1].strip() if "," in head else head
    return head, ""


def _book_of_chapter(body: str) -> tuple[str, str]:
    """ "In: Smith J (ed.) Book Title. London: Routledge" -> (book title, publisher).

    Editors before the book ("Smith J (eds)") or after it ("Book, edited by Smith") and a
    bracketed imprint or a conference place ("Book (London: Faber, 1995)", "Proceedings,
    Nashville, TN") are not part of the book title."""
    edited = _EDITORS.match(body)
    if edited:
        body = body[edited.end() :]
    if "ed" in body:  # "Book. 5th ed. Place:": the edition's "ed." is no "edited by"
        body = _EDITION_SENTENCE.sub("", body)
    editors_after = _EDITED_BY.search(body)
    end = _sentence_end(body, editors_after.end() if editors_after else 0)
    if editors_after:
        book = body[: editors_after.start()]
    else:
        book = body[: _sentence_stop(body, end)] if end else body
    after = body[end.end() :].strip() if end else ""
    publisher = ""
    imprint = _PAREN_IMPRINT.search(book) if "(" in book else None
    if imprint:
        book = book[: imprint.start()]
        publisher = _publisher_of(imprint.group("imprint"))
    book = _CITY_STATE.sub("", book.strip(" ,.;:"))
    place = _place_publisher(after)
    return book.strip(" ,.;:"), publisher or (place.group("publisher") if place else "")


def _drop_book_notes(head: str) -> str:
    """Drop leading sentences that describe the book, not its source: "Edited by X.",
    "Trans. Y.", "2 vols.", "Rev. ed."."""
    while note := _BOOK_NOTE.match(head):
        end = _SENTENCE_END.search(head, note.end())
        if end is None:
            return ""
        head = head[end.end() :].lstrip()
    return head


def _kind(marker: str, container: str, publisher: str, numbers: dict, work: str) -> str:
    if marker:
        return KIND_BY_MARKER.get(marker.split("/")[0], "misc")
    lower = work.lower()
    if (
        "thes" in lower or "thès" in lower or "dissert" in lower or "士" in work or "学位" in work
    ) and _THESIS.search(work):
        return "phdthesis"
    if container:
        return "article"
    if publisher:
        return "book"
    return "misc"


def _ascii(text: str) -> str:
    """Lowercase ASCII letters only: "Ekström" -> "ekstrom", "周荣耀" -> ""."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", folded.lower())
