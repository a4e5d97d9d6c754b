"""GB/T 7714 conventions the general reference parser leaves to this module.

GB/T 7714 marks the document type after the title (`[M]`, `[S]`, `[P/OL]`...) and builds
the rest around it: a chapter's book follows `//` ("[M]//Editors. Book. Place: Publisher,
Year: pages"), a translator follows the marker ("[M]. 谢远涛, 译."), a standard, patent or
report number closes the title ("Title: GB/T 3792—2021[S]"), a book's volume closes its
title ("国史旧闻: 卷 1", "Textbook: Vol. 1"), and a newspaper's page stands in brackets after
the date ("2000-11-20(15)"). Each function here reads one of them from a string.
"""

from __future__ import annotations

import re

from citecheck.lazyre import lazy_compile

# Types whose text after the marker names a publisher or an archive, never a periodical.
PUBLISHED_BY = frozenset(["M", "G", "D", "R", "S", "P", "DS", "DB", "CP", "Z", "A", "EB", "CM"])
# Types whose title may end in the document's number (standard, patent, report).
NUMBERED = frozenset(["S", "P", "R"])

_HAN_NUMERALS = "一二三四五六七八九十百"
# "谢远涛, 译." / "杨斌, 王忠玉, 等, 译." / "张三, 主编." / "X, trans." right after the marker.
_CONTRIBUTOR_NOTE = lazy_compile(
    r"^[^./]{1,80}?,\s*(?:等\s*,\s*)?(?:译|編|编|主编|编著|校注|校|注|整理|译注|trans|tr|ed|eds)"
    r"\.?\s*(?:\.\s*|(?=//))"
)
# ": 卷 1", ": 第1册", ": 一部", ": Vol. 1" closing a book title.
_TITLE_VOLUME = lazy_compile(
    rf"\s*:\s*(?P<vol>(?:第\s*)?[\d{_HAN_NUMERALS}]+\s*年?\s*[卷册部辑集编]|卷\s*\d+"
    rf"|(?:Vol|Volume|Bd|Tome|T)\.?\s*\d+)\s*$",
    re.IGNORECASE,
)
# A serial's holdings after its title: "临床内科杂志: 1984，1（1）—" (NFKC turns the
# full-width signs ASCII).
_HOLDINGS = lazy_compile(r"\s*:\s*\d{4}\s*,?\s*\d*\s*\(\d+\)\s*[—–-]+[\d\s()]*$")
# "Title: GB/T 3792—2021", "Title: ISO/IEC 80079-20-2:2016(en)", "Title: CN101106276A",
# "Title: RMRS-GTR-262": a number of capitals, digits and signs, no lowercase word.
_DOCUMENT_NUMBER = lazy_compile(
    r":\s+(?P<num>(?=[^\s]*\d|[A-Z/]+\s+[\w.\-]*\d)[A-Z0-9](?:[A-Za-z0-9/.:()\-—–]|\s(?![a-z]{3}))*)$"
)
_DIGITS = lazy_compile(r"\d+")
_EDITION = lazy_compile(
    r"^(?:\d+(?:st|nd|rd|th)?\s*(?:版|ed|edn|edition)|修订版|[\d一二三四五六七八九十]+\s*版"
    r"|(?:rev|revised|new)\.?\s*(?:ed|edn|edition)|新版|影印本|刻本)\.?$",
    re.IGNORECASE,
)
# "Place: Publisher, 2011: 983-1029", "Publisher, 2011.", "2011: 12-15": the imprint.
_IMPRINT = lazy_compile(
    r"[:：]\s*[^:]+,\s*(?:1[5-9]|20)\d\d|^\s*(?:1[5-9]|20)\d\d\b"
    r"|,\s*(?:1[5-9]|20)\d\d\s*(?:[:：]|\.?\s*$)"
)


def skip_contributor_note(source: str) -> str:
    """Drop a translator or editor note right after the marker ("谢远涛, 译. 北京: ...")."""
    note = _CONTRIBUTOR_NOTE.match(source)
    return source[note.end() :].lstrip(" .") if note else source


def title_volume(title: str) -> tuple[str, str]:
    """ "国史旧闻: 卷 1" -> ("国史旧闻", "1"); "一部" keeps its words; else (title, "")."""
    match = _TITLE_VOLUME.search(title) if ":" in title else None
    if not match:
        return title, ""
    digits = _DIGITS.search(match.group("vol"))
    return title[: match.start()].rstrip(" ,.;:"), digits.group(0) if digits else match["vol"]


def drop_holdings(title: str) -> str:
    """ "图书馆学通讯: 1957(1)—1990(4)" -> "图书馆学通讯"."""
    match = _HOLDINGS.search(title) if ":" in title else None
    return title[: match.start()] if match else title


def document_number(title: str) -> tuple[str, str]:
    """ "Title: GB/T 3792—2021" -> ("Title", "GB/T 3792—2021"); else (title, "")."""
    match = _DOCUMENT_NUMBER.search(title) if ":" in title else None
    if not match:
        return title, ""
    return title[: match.start()].rstrip(" ,.;:"), match.group("num").strip()


def split_container(source: str) -> tuple[str, str]:
    """ "//Editors. Book: 第1册. 修订版. Place: Publisher, 2011: 983-1029." ->
    ("Book: 第1册", "Place: Publisher, 2011: 983-1029.").

    The sentences before the imprint (publisher and year, or a year alone) are
    the editors and the book, in that order; edition statements are skipped. One sentence
    is the book alone (its editors unnamed)."""
    body = source[2:].lstrip() if source.startswith("//") else source
    sentences = body.split(". ")
    named: list[str] = []
    rest_at = len(sentences)
    for index, sentence in enumerate(sentences):
        if _IMPRINT.search(sentence):
            rest_at = index
            break
        if not _EDITION.match(sentence.strip()):
            named.append(sentence.strip())
    book = named[1] if len(named) >= 2 else (named[0] if named else "")
    return book.strip(" ,.;"), ". ".join(sentences[rest_at:])
