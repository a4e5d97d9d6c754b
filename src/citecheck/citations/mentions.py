"""Author mentions: the people named right before a citation ("Cheng et al. [26]",
"described by Li and Ji [1]", "Xu [4] found", "Cheng 等^[26]", "周荣耀等^[50]").

A mention is read only where authors stand and only when every word looks like a surname:
a group form ("et al.", 等, "and colleagues") always; two or more names ("Li and Ji") at the
start of a sentence, after "by", "from", "of", "according to", or before a reporting verb;
a lone name only after words for what people do ("described by", "according to") or before
a reporting verb ("Xu [4] found"). Tools (ActiVis, DendroPy), acronyms (BUNV), proteins
("counteracted by Vpx"), places ("from China"), eponyms ("Parkinson's"), quoted terms and
common words are not people. Precision first: when in doubt, no mention. The rule
(rules/citations.py) adds the second guard: a name written without "et al." is judged only
when the reference list knows it as an author.
"""

from __future__ import annotations

import re

from citecheck.normalize import has_cjk

_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_LOWER = "a-zß-öø-ÿ\u0100-\u017f"
_CAP = rf"[{_UPPER}][{_LOWER}]+"
# A surname: "Xu", "Schmidt-Nielsen", "D'Alonzo", "MacArthur", "DeLong", "Ekström". Internal
# capitals only after a surname particle, so "DendroPy", "BioPerl", "ActiVis" are not names.
_SURNAME = (
    rf"(?:(?:Mc|Mac|De|Di|Da|Du|Le|La|Van|Von)(?=[A-Z])|[ODL]['’](?=[A-Z]))?{_CAP}"
    rf"(?:[-'’]{_CAP})*"
)
_SURNAME_RE = re.compile(_SURNAME)
# "CUI等": an upper-case surname counts only in a group form.
_UPPER_SURNAME = re.compile(r"[A-Z]{2,12}")
# Group forms say "and others": the name before them is an author for sure.
_GROUP_NAME = r"[A-Z][A-Za-z'’\-À-ÿ]+(?:\s+[A-Z][A-Za-z'’\-À-ÿ]+)?"
# A Han name counts only as a whole clause-initial run ("。周荣耀等"): "血液、乳汁等" lists things.
_HAN_NAME = r"(?<![\u4e00-\u9fff、])[\u4e00-\u9fff]{2,4}"
_GROUP = re.compile(
    rf"({_GROUP_NAME}|{_HAN_NAME})\s*(?:et\s+al\.?|等人?|and\s+colleagues|and\s+co-?workers)\s*$"
)
# One to four surnames: "Xu", "Li and Ji", "Krut & Gazit", "Lun, Bach, and Marioni" (a list
# ends with "and": "Schmallenberg, Germany" is a place). A possessive is no mention:
# "Parkinson's [2]" and "Crohn's [3]" are diseases far more often than people.
_LIST = re.compile(
    rf"(?<![\w'’-])({_SURNAME}(?:(?:\s*,\s*{_SURNAME}){{0,2}}\s*,?\s+(?:and|&)\s+{_SURNAME})?)"
    r"\s*$"
)
_INITIALS = re.compile(r"(?:\b[A-Z]\.\s*(?:-?[A-Z]\.\s*)*)$")
_SEPARATOR = re.compile(r"\s*,?\s+(?:and|&)\s+|\s*,\s*")
# Words that introduce the authors of a work: "described by", "the model of", "according to".
# Before a lone word only the ones that almost always mean people: "findings from China [2]",
# "the domain of Parkin [2]" name a place and a protein.
_INTRODUCER = re.compile(
    r"(?:\bby|\bfrom|\bof|\baccording\s+to|\bdue\s+to|\bfollowing|\bsee|\bcf\.?)\s*$",
    re.IGNORECASE,
)
# "described by Hudson [5]" but "counteracted by Vpx [2]": before a lone word, "by" must follow
# a word for what people do or write.
_PERSON_INTRODUCER = re.compile(
    r"(?:\b(?:described|proposed|defined|developed|reported|shown|showed|suggested|introduced|"
    r"published|demonstrated|performed|observed|found|noted|presented|discussed|reviewed|"
    r"studied|investigated|examined|conducted|designed|written|done|made|given|adapted|"
    r"modified|recommended|formali[sz]ed|formulated|pioneered|coined|summari[sz]ed|outlined|"
    r"validated|compiled|estimated|calculated|modell?ed|simulated|analy[sz]ed|characteri[sz]ed|"
    r"documented|explained|argued|hypothesi[sz]ed|predicted|postulated|claimed|highlighted|"
    r"emphasi[sz]ed|refined|extended|derived|measured|first|later|previously|recently|"
    r"work|works|study|studies|paper|papers|article|report|reports|review|analysis|"
    r"approach|method|model|data|results|findings|experiments|those|that)\s+by"
    r"|\baccording\s+to|\bdue\s+to)\s*$",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"^\s*(?:has\s+|have\s+|had\s+|also\s+|first\s+|previously\s+|recently\s+)*"
    r"(?:showed|shown|show|shows|found|finds|reported|reports|demonstrated|observed|described|"
    r"proposed|suggested|confirmed|revealed|noted|argued|established|identified|developed|"
    r"introduced|presented|defined|derived|measured|concluded|discovered|investigated|worked|"
    r"used|studied|examined|applied|recommended|predicted|estimated|compared|analy[sz]ed|"
    r"tested|described|published|pointed\s+out)\b|"
    r"^\s*(?:的研究|的实验|发现|报道|证实|指出|提出|揭示|表明|研究|进一步|认为|通过|采用|利用|首次)"
)
# Sentence-opening words the name patterns can swallow: "As Wu-Williams et al. [7]".
_LEADING_WORDS = frozenset(
    "As In The By For From With And But Also Then However Recently Previously Similarly "
    "Moreover Furthermore Later Here When While Although Since Thus Indeed Notably Likewise "
    "Conversely Finally First Second Third Next Hence Yet Still Unlike Like Following".split()
)
# Capitalised words that stand where authors stand but name nobody.
_NOT_NAMES = frozenset(
    "Table Tables Figure Figures Fig Figs Ref Refs Reference References See In The This These "
    "Those That Our Their Its His Her Studies Study Data Section Sections Chapter Eq Equation "
    "Appendix Supplementary Methods Results Discussion Introduction Box Panel Researchers Authors "
    "Others Investigators Reports Experiments Trials Guidelines Review Reviews Analysis Analyses "
    "Model Models Software Package Database Version Note Notes Example Examples Evidence Work "
    "Group Groups Team Consortium Project Initiative Network Program Programme Foundation "
    "Society Association Institute University Organization Organisation Agency Committee "
    "Department Ministry Council Centre Center Bank Biobank Atlas Browser Ontology Genomics "
    "Protocol Guideline Manual Tool Tools Pipeline Platform Library Toolkit Framework "
    "Algorithm Method Approach System Systems Survey Census Registry Cohort Trial Also Some "
    "Many Several Other Both Each All Recent Previous Earlier Further Early Later Prior Similar "
    "Using Based Although While Where When Here There Then Thus However Therefore Because "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Europe Africa Asia America".split()
)
# Endings of English words that are rarely surnames: "Analysis", "Ontology", "Treatment".
_COMMON_ENDING = re.compile(
    r"(?:tion|sion|ment|ness|ity|ies|ology|ogy|ics|ally|ive|ous|able|ible|ism|ware|ical|ing)$"
)


def author_mention(before: str, after: str) -> str:
    """The author(s) named right before a callout ('Cheng', 'Zhu and Chen', '周荣耀'), else ''.

    `before` is the sentence up to the callout, `after` the sentence after it.
    """
    tail = " ".join(before.rstrip("^ \t~")[-80:].split())
    m = _GROUP.search(tail)
    if m:
        return _group_mention(m.group(1), after)
    m = _LIST.search(tail)
    if not m:
        return ""
    names = [n for n in _SEPARATOR.split(m.group(1)) if n]
    lead = _INITIALS.sub("", tail[: m.start()]).strip()  # "formalized by R. A. Fisher [11]"
    if len(names) > 2 and names[0] in _LEADING_WORDS:
        names = names[1:]  # "Likewise, Slade & Spencer [5]": the first word opens the sentence
    if not all(_is_surname(n) for n in names):
        return ""
    if lead in _LEADING_WORDS:
        lead = ""
    # A lone capitalised word is as often a noun ("Exosomes [13] are", "counteracted by Vpx
    # [2]") as a surname: it needs a person's introducer before it or a reporting verb after.
    if len(names) == 1:
        where_authors_stand = _PERSON_INTRODUCER.search(lead) or _REPORTING.search(after)
    else:
        where_authors_stand = not lead or _INTRODUCER.search(lead) or _REPORTING.search(after)
    # "in Mauritania and Senegal [31]", "LipW and LipY [52]" stand nowhere authors stand.
    return " and ".join(names) if where_authors_stand else ""


def _group_mention(name: str, after: str) -> str:
    """'Cheng' for "Cheng et al." / "Cheng 等"; '' when the words are no name."""
    if has_cjk(name[0]):
        # "X等" is also "X, etc.": a Han name needs a reporting verb after the callout.
        return _trim_han(name) if _REPORTING.search(after) else ""
    name = _drop_leading_word(name)
    words = name.split()
    if len(words) == 2 and _UPPER_SURNAME.fullmatch(words[1]) and len(words[1]) <= 3:
        words = words[:1]  # "Beigel JH et al.": the initials follow the surname
        name = words[0]
    if words[0] in _NOT_NAMES:
        return ""
    if not all(_SURNAME_RE.fullmatch(w) or _UPPER_SURNAME.fullmatch(w) for w in words):
        return ""
    return name


def _is_surname(word: str) -> bool:
    """Shaped like a surname and not a common capitalised word ("Researchers", "Analysis")."""
    if word in _NOT_NAMES or word in _LEADING_WORDS or not _SURNAME_RE.fullmatch(word):
        return False
    # Chinese surnames end in -ing (Xing, Ding, Jing): short words are kept.
    return not (_COMMON_ENDING.search(word) and len(word) > 5)


def _drop_leading_word(name: str) -> str:
    first, _, rest = name.partition(" ")
    return rest if rest and first in _LEADING_WORDS else name


def _trim_han(name: str) -> str:
    """Han names run into the preceding words; keep the last three characters at most."""
    if len(name) > 3 and not name.isascii() and re.fullmatch(_HAN_NAME, name):
        return name[-3:]
    return name
