"""Read a plain-text or Markdown manuscript: body callouts plus the reference list at its end.

The list starts after the last reference heading (or, with no heading, at the last run of
numbered entries that parse as references) and stops where something else begins: a table,
figure or supplementary heading, a code block. Code, math and HTML comments in the body are
not prose, so `[n]` inside them is no citation.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from citecheck.citations.callouts import (
    held_back_groups,
    parenthetical_numbers,
    scan_callouts,
    sentence_span,
)
from citecheck.model import Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.normalize import has_cjk, line_starts
from citecheck.readers.errors import ReaderError

# The reference-list heading: alone on its line, optionally numbered, bold or Markdown-marked.
_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:\d+(?:\.\d+)*\.?\s+)?"
    r"(?:references?(?:\s+(?:and\s+notes|cited))?|notes\s+and\s+references|bibliography|"
    r"literature\s+cited|works\s+cited|cited\s+literature|reference\s+list|literatur|"
    r"literaturverzeichnis|références|referencias|bibliografía|bibliografia|"
    r"参考文献|參考文獻|引用文献)\s*[:：]?\s*(?:\*\*)?\s*(?:\{[#.][^{}]*\}\s*)?$",  # Pandoc {#id .class}
    re.IGNORECASE,
)
# An entry's number: "1 ", "1. ", "[1] ", "1) ", "- 1 ", "* 1. ", "1\t"; Markdown exports may
# put an anchor first ('<span id="_ENREF_1" class="anchor"></span>1. **Smith, J.**').
_ANCHOR_TAG = r"(?:<a\b[^>]*>\s*</a>|<span\b[^>]*>\s*</span>|\[\]\{#[^}]*\})"
_ANCHOR = rf"{_ANCHOR_TAG}*\s*"
# Pandoc's Markdown escapes a number that starts a paragraph ("1\. Siegel R"); a wrapped line
# that starts with a DOI ("10.1016/j.cmpb...") is no entry 10.
_ENTRY = re.compile(
    rf"^\s*{_ANCHOR}(?:[-*+]\s+)?"
    rf"(?:\[(\d{{1,6}})\]|(\d{{1,6}})(?:\\?[.)](?!\d{{4,9}}/)|(?=\s)))\s*(?=\S)"
)
# Where a list stops: a table/figure/supplement heading or caption, a code fence, a Markdown
# table, another heading ("**Table 3. Summary...", "# Supplementary Material", "```").
_LIST_END = re.compile(
    r"^\s*(?:#{1,6}\s|```|~~~|\|.*\||(?:\*\*|__)?\s*(?:Supplementa|Appendix|Figure\s*(?:legends?|S?\d)|"
    r"Tables?\s*S?\d|Fig\.\s*S?\d|附录|附表|图\s*\d|表\s*\d)"
    # Back matter printed after the list, as a short heading line of its own.
    r"|(?:\*\*|__)?\s*(?:Acknowledge?ments?|Funding|Author\s+contributions|Competing\s+interests|"
    r"Conflicts?\s+of\s+interest|Declarations?|Data\s+availability|Abbreviations|"
    r"Supporting\s+information|Figure\s+(?:legends|captions)|Tables|致谢)\b[^\n]{0,40}$)",
    re.IGNORECASE,
)
# A bibliography Pandoc printed into Markdown (Quarto/R Markdown `md` output): each entry in a
# `::: {#ref-key .csl-entry}` fence or `<div class="csl-entry">`, its number and text in
# `[1. ]{.csl-left-margin}[...]{.csl-right-inline}` (`[[1] ]{...}` in GB/T 7714) or
# `<span class="csl-...">` wrappers.
_CSL_FENCE = re.compile(r"\s*(?::::+.*|</?div\b[^>]*>)\s*")
_CSL_SPAN = re.compile(
    r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\{\.(?:csl-[\w-]+|nocase)\}|<span class=\"(?:csl-[\w-]+|nocase)\">([^<]*)</span>"
)
# A key citeproc did not find, as it prints it: "(13,chen2020volume?)", "(**smith2019?**)",
# "^\\[**zhao2022?**\\]^" in Pandoc Markdown.
_UNFOUND_KEY = re.compile(
    r"(?:(?<=[(\[])|[,;]\s?)\*{0,2}(?P<key>[A-Za-z][\w:.+/-]*(?:1[89]|20)\d\d[\w:.+/-]*)\?\*{0,2}(?=\s*\\?[)\],;])"
)
# "^\\[4\\]^", "\\[4\\]" (Pandoc Markdown) and "^([4])" (Pandoc plain text): a bracketed list.
# "^(4–8)" is Pandoc's plain text of a superscript it cannot set in Unicode: "^4–8^".
_ESCAPED_BRACKETS = re.compile(
    r"(?P<caret>\^)?\\\[(?P<list>[\d,\s\-–]{1,40})\\\]\^?|\^\(\[(?P<plain>[\d,\s\-–]{1,40})\]\)"
    r"|\^\((?P<superscript>\d[\d,\-–]{0,40})\)"
)
_EMPHASIS_MARK = re.compile(r"\*{1,2}(?=[^\s*])|(?<=[^\s*])\*{1,2}")
# Science-style numbers in italics, as Pandoc's Markdown prints them: "(*1*, *6*)", "(*3*--*5*)".
_EMPHASISED_LIST = re.compile(
    r"\((\*{1,2}\d{1,6}\*{1,2}(?:\s*(?:[,;]|--?|–)\s*\*{1,2}\d{1,6}\*{1,2})*)"
    r"(\)|(?=\s*,\s*\**https?://))"  # "(*95*, **https://www.kanaverse.org/**)"
)
# A number Pandoc linked to its entry (`link-citations`): "([*1*](#ref-Zhang2020))",
# "[\\[2\\]](#ref-li2020)".
_LINKED_NUMBER = re.compile(r"\[(\\?\[)?(\*{0,2})(\d{1,6})\2(\\?\])?\]\(#ref-[^()\s]*\)")
_LINKED_CITE = re.compile(r"\[([^\[\]]{1,300}?)\]\(#ref-[^()\s]*\)")
# A group of numbers left with the links' padding inside its parentheses: "(1       , 2   )".
_PADDED_GROUP = re.compile(r"\((?=[^()]* {2})([\d ,;–\n-]+)\)")
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\((https?://(?:[^\s()]|\([^\s()]*\))+)\)")  # DOIs hold (00)
# Markdown emphasis and HTML anchors inside an entry are typography, not text.
_ENTRY_MARKUP = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|" + _ANCHOR_TAG)
# An unnumbered entry's first line: "Surname, A." / "Surname A," / "Surname, Given" / "王明,"
# (not a wrapped chapter's "In C. L. Pallas & E. A. Bloodgood (Eds.)").
_ENTRY_START = re.compile(
    r"^\s*(?!In\s)(?:[A-Z\u00c0-\u024f][\w'’\-]+(?:\s+[A-Z\u00c0-\u024f][\w'’\-]+){0,3},?\s+"
    r"(?:[A-Z]\.|[A-Z]{1,3}[,.\s]|[A-Z][a-z]+,)|[\u4e00-\u9fff]{2,4}[,，、])"
)
# Not prose: fenced code, inline code, display and inline math, HTML comments.
_NOT_PROSE = re.compile(
    r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`|\$\$.+?\$\$|(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)",
    re.DOTALL | re.MULTILINE,
)
# "Smith et al." as printed in an author-year cite: the mention is the name alone.
_ET_AL = re.compile(r"\s*(?:et\s+al\.?|and\s+colleagues|等人?)\s*$")
_APA_YEAR = re.compile(r"\((?:\d{4}[a-z]?|n\.\s?d\.)(?:,[^)]{0,20})?\)")
_YEAR = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)(?!\d)")
# A Markdown bullet with no number continues the previous entry (page breaks in PDF text).
_BULLET = re.compile(r"^\s*[-*+]\s+")


@dataclass(frozen=True)
class RawEntry:
    """A reference-list entry as split from the text, before parsing."""

    number: int | None
    text: str
    location: Location


def read_text(text: str, path: str, *, require_reference_list: bool = True) -> Manuscript:
    """Split the manuscript at its last reference heading; scan the body, parse the list."""
    lines = text.split("\n")
    lines, notes = without_trailing_notes(lines)
    heading = find_reference_heading(lines)
    if heading is not None and not _section_reads_as_list(lines[heading + 1 :]):
        heading = None  # a section about references ("References" of a software manual)
    if heading is None:
        heading = find_unheaded_list(lines)
    if heading is None:
        heading = find_unheaded_author_list(lines)
    if heading is None:
        if require_reference_list:
            raise ReaderError(
                path,
                None,
                "no reference list found (expected a heading such as "
                "'References' or '参考文献'; or pass the list with --refs)",
            )
        body, entries = text, []
    else:
        body = "\n".join(lines[:heading])
        listed = [_unwrap_csl(line) for line in _without_raw_blocks(lines[heading + 1 :])]
        entries = split_entries(listed, path, first_line=heading + 2)
    numbered = any(e.number is not None for e in entries) or not entries
    references, unparsed = parse_entries(entries)
    body = mask_non_prose(_plain_brackets(body))
    body = _without_note_marks(_without_affiliation_marks(body), notes)
    if numbered:
        callouts: tuple[Callout, ...] = numbered_callouts(body, path, references)
    else:
        references, callouts = author_year_callouts(body, path, references)
    return Manuscript(
        path=path,
        references=references,
        callouts=callouts,
        unparsed=unparsed,
        numbered=numbered,
        reference_list_location=Location(path, heading + 1) if heading is not None else None,
    )


def author_year_callouts(
    body: str, path: str, references: tuple[Reference, ...]
) -> tuple[tuple[Reference, ...], tuple[Callout, ...]]:
    """Author-year manuscripts: "(Smith et al., 2004)" linked to list entries by name and year.

    Entries get numbers in list order (so claim and metadata checks, which are keyed by
    number, reach them); a cite that fits no entry keeps its printed text as its key, so
    missing-reference reports it.
    """
    from citecheck.citations.authoryear import link_callout, scan_author_year
    from citecheck.readers.docx_typed import INITIALS, loose_author_year
    from citecheck.readers.keyed import number_in_order

    references = number_in_order(references)
    by_year: dict[int, list[Reference]] = {}
    for ref in references:
        if ref.year is not None:
            by_year.setdefault(ref.year, []).append(ref)
    body, unfound = unfound_keys(body, path)
    # Markdown's emphasis is typography: "(*Introducing RemoveHuman*, n.d.)" cites a title.
    body = _EMPHASIS_MARK.sub(" ", body) if "*" in body else body
    body, titled = titled_cites(body, path, references)
    # "(K. J. Hansford et al., 2023)": initials are blanked, and kept by where the name starts
    # to tell apart same-name, same-year entries (as Word does).
    initials = _initials_at(body, INITIALS.finditer(body))
    body = INITIALS.sub(lambda m: _blank(m.group()), body)
    linked = []
    for callout in scan_author_year(body, path):
        # Only entries of the years the cite names can fit: linking stays linear in cites.
        years = sorted({int(y) for y in _YEAR.findall(callout.text)})
        same_year = [r for y in years for r in by_year.get(y, ())]
        refs = link_callout(callout, same_year)
        refs = refs or later_author(callout, same_year)
        refs = refs or loose_author_year(callout, references)  # "d’Albenzio", "Giving USA"
        printed = initials.get((callout.location.line, callout.location.column), "")
        refs = refs or _by_initials(callout, printed, same_year)
        if not refs and _unknown_acronym(callout.author_mention, references):
            continue  # "(DGC, 2019)": an approval or committee code, not a citation
        if not refs and _fits_several(callout, same_year):
            continue  # "(Hansford et al., 2023)" for two such entries: cannot tell, say nothing
        keys = tuple(r.key for r in refs) or (callout.text,)
        numbers = tuple(r.number for r in refs if r.number is not None)
        mention = _ET_AL.sub("", callout.author_mention).strip()
        linked.append(replace(callout, keys=keys, numbers=numbers, author_mention=mention))
    return references, _in_order(linked, unfound + titled)


def _initials_at(body: str, matches: Iterable[re.Match[str]]) -> dict[tuple[int, int], str]:
    """Printed initials by the (line, column) of the name after them, in one pass."""
    found, line, line_start, scanned = {}, 1, 0, 0
    for m in matches:
        newlines = body.count("\n", scanned, m.end())
        if newlines:
            line += newlines
            line_start = body.rfind("\n", scanned, m.end()) + 1
        scanned = m.end()
        found[(line, m.end() - line_start + 1)] = m.group()
    return found


def _by_initials(
    callout: Callout, printed: str, references: Sequence[Reference]
) -> tuple[Reference, ...]:
    """The one same-name, same-year entry the printed initials name, or none."""
    from citecheck.citations.authoryear import candidates, parse_cites
    from citecheck.readers.docx_typed import by_initials

    if not printed:
        return ()
    fits = {r.key: r for cite in parse_cites(callout.text) for r in candidates(cite, references)}
    narrowed = by_initials(list(fits.values()), printed)
    return tuple(narrowed) if len(narrowed) == 1 else ()


def _fits_several(callout: Callout, references: Sequence[Reference]) -> bool:
    from citecheck.citations.authoryear import candidates, parse_cites

    fits = {r.key for cite in parse_cites(callout.text) for r in candidates(cite, references)}
    return len(fits) > 1


def later_author(callout: Callout, references: Sequence[Reference]) -> tuple[Reference, ...]:
    """ "Cain et al. (2012)" for an entry of 2012 whose second author is Cain: the one entry of
    that year naming the person as a later author (author-mention-mismatch then says so,
    as info), rather than a missing reference and an uncited entry. Several: nothing."""
    from citecheck.citations.authoryear import same_family

    years = {int(y) for y in _YEAR.findall(callout.text)}
    name = _ET_AL.sub("", callout.author_mention).strip()
    if len(years) != 1 or not name or " " in name:
        return ()
    fits = [
        r
        for r in references
        if r.year in years and any(same_family(name, a.family) for a in r.authors[1:])
    ]
    return tuple(fits) if len(fits) == 1 else ()


def _plain_brackets(text: str) -> str:
    """Pandoc's writers print a superscript "[5]" as `^\\[5\\]^` (Markdown, brackets escaped)
    or `^([5])` (plain text): both become the `^[5]` a typed manuscript has; Markdown's italic
    Science-style numbers "(*1*, *6*)" and numbers linked to their entries ("([*1*](#ref-a))")
    become "(1, 6)" and "(1)". Each is padded with spaces so every column stays where it
    was (the padding of a parenthesised group goes before it, so what follows stays close)."""

    def plain(m: re.Match[str]) -> str:
        if m["superscript"] is not None:
            return f"^{m['superscript']}^".ljust(len(m.group()))
        if m["plain"] is not None:
            return f"^[{m['plain']}]".ljust(len(m.group()))
        return f"{'^' if m['caret'] else ''}[{m['list']}]".ljust(len(m.group()))

    if "](#ref-" in text:
        text = _LINKED_NUMBER.sub(
            lambda m: (f"[{m[3]}]" if m[1] and m[4] else m[3]).rjust(len(m.group())), text
        )
        text = _PADDED_GROUP.sub(lambda m: _tight(m).rjust(len(m.group())), text)
        # An author-year cite linked the same way: "([Gneiting & Raftery,\n2007](#ref-g))".
        text = _LINKED_CITE.sub(lambda m: m[1].ljust(len(m.group())), text)
    text = _ESCAPED_BRACKETS.sub(plain, text)
    if "*" not in text:
        return text
    return _EMPHASISED_LIST.sub(lambda m: f"({m[1].replace('*', '')}{m[2]}".rjust(len(m[0])), text)


def _tight(m: re.Match[str]) -> str:
    """ "(1       , 2   )" -> "(1, 2)" (a line break inside stays, so lines stay true)."""
    return "(" + re.sub(r" {2,}", "", m.group(1)).strip(" ") + ")"


def _unwrap_csl(line: str) -> str:
    """A list line without Pandoc's CSL wrappers: a fence or div line becomes blank (an entry
    boundary, as it is), spans keep their text. Lines stay lines, so locations stay true."""
    if _CSL_FENCE.fullmatch(line):
        return ""
    line = re.sub(r"\\([\[\]])", r"\1", line)  # Pandoc Markdown escapes "\[J/OL\]"
    moved: list[str] = []
    line, previous = _MD_LINK.sub(lambda m: _link_text(m, moved), line), None
    while previous != line:  # inner spans first: "[... [mRNA]{.nocase} ...]{.csl-right-inline}"
        previous, line = line, _CSL_SPAN.sub(lambda m: m.group(1) or m.group(2) or "", line)
    return " ".join([line, *moved])


def _link_text(m: re.Match[str], moved: list[str]) -> str:
    """`[10.1/x](https://doi.org/10.1/x)` prints its DOI; `[PubMed](url)` keeps the address;
    a title linked to its DOI (Science, Nature) keeps its place and the address goes last."""
    text, url = m.group(1), m.group(2)
    if url.endswith(text):
        return text
    if len(text.split()) >= 3:
        moved.append(url)
        return text
    return f"{text} {url}"


def _unknown_acronym(mention: str, references: tuple[Reference, ...]) -> bool:
    """An all-capitals name ("DGC", "IRB") that no entry of the list mentions at all.

    "(WHO, 2019)" with a WHO entry of another year is still a missing reference; an acronym
    the list never names is more likely a committee, approval or data code than a citation.
    """
    name = mention.strip()
    if not re.fullmatch(r"[A-Z]{2,6}", name):
        return False
    return not any(re.search(rf"\b{name}\b", ref.raw) for ref in references)


def mask_non_prose(text: str) -> str:
    """Blank code, math and comments with spaces (newlines kept): lines and columns stay true."""
    text = _NOT_PROSE.sub(lambda m: _blank(m.group()), text)
    # HTML comments by str.find: a regex would rescan to the end for every unclosed "<!--".
    parts, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts += [text[pos:start], _blank(text[start : end + 3])]
        pos = end + 3
    return "".join(parts) + text[pos:]


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def numbered_callouts(
    body: str, path: str, references: tuple[Reference, ...]
) -> tuple[Callout, ...]:
    """Bracket and superscript callouts, and "(1-4)" when the document cites that way.

    Numbers far beyond the list ("[2024]" in a 40-entry list: a document number or a year)
    are not citations; a few past its end are kept, since a list cut short is a real finding.
    """
    highest = max((r.number for r in references if r.number is not None), default=0)
    body, unfound = unfound_keys(body, path)
    callouts = scan_callouts(body, path)
    if cites_in_parentheses(body, highest, len(callouts)):
        callouts = scan_callouts(body, path, parentheses=True)
        also = next_in_order(body, callouts, highest)
        if also:
            callouts = scan_callouts(body, path, parentheses=True, also=also)
    if highest:
        limit = highest + max(50, highest)
        callouts = [c for c in callouts if not c.numbers or min(c.numbers) <= limit]
        # "(1-4)" is weaker evidence than "[1-4]": past the list it is a count or a year.
        callouts = [
            c for c in callouts if c.text[:1] != "(" or max(c.numbers, default=0) <= highest
        ]
    return _in_order(callouts, unfound)


def next_in_order(body: str, callouts: list[Callout], highest: int) -> frozenset[int]:
    """Offsets of the held-back "(n)" groups ("R0 = 3.0 (6)", "every 2 days (14)", "codon
    models (37)") that bring the next reference number: a Science-style list is numbered in
    order of first citation, so a group whose new numbers start right after the highest
    number cited before it cites; an equation, a count or a label seldom fits so."""
    held = held_back_groups(body)
    if not held:
        return frozenset()
    starts = line_starts(body)
    at = sorted(
        (starts[c.location.line - 1] + (c.location.column or 1) - 1, c.numbers) for c in callouts
    )
    also: set[int] = set()
    cited: set[int] = set()
    done = 0
    for offset, numbers in held:
        while done < len(at) and at[done][0] < offset:
            cited.update(n for n in at[done][1] if n <= highest)  # not a year "(2013)"
            done += 1
        new = sorted(set(numbers) - cited)
        if new and max(numbers) <= highest and new[0] == max(cited, default=0) + 1:
            also.add(offset)
            cited.update(numbers)
    return frozenset(also)


def unfound_keys(body: str, path: str) -> tuple[str, list[Callout]]:
    """Citation keys citeproc could not find, printed as "key?" inside a citation ("(13,
    chen2020volume?)", "(morikawa2013?)"): each a missing reference under its key, blanked
    (with the comma before it) so the numbers and names around it still read as citations.
    A key needs a year ("smith2019"), so "(H1N1?)" or "(COVID-19?)" is never one."""
    body, spans = unfound_key_spans(body)
    callouts = [
        _callout_at(body, path, (start, end), f"{key}?", (), (key,)) for start, end, key in spans
    ]
    return body, callouts


def _callout_at(
    body: str,
    path: str,
    span: tuple[int, int],
    text: str,
    numbers: tuple[int, ...],
    keys: tuple[str, ...],
) -> Callout:
    start, end = span
    line = body.count("\n", 0, start) + 1
    column = start - body.rfind("\n", 0, start)
    left, right = sentence_span(body, start, end)
    sentence = " ".join(body[left:right].split())
    return Callout(Location(path, line, column), text, numbers, sentence, keys=keys)


def titled_cites(
    body: str, path: str, references: tuple[Reference, ...]
) -> tuple[str, list[Callout]]:
    """'(“Exec. Order No. 13224,” 2001)', '(Hosder et al., n.d.)': a work cited by its title,
    or undated, linked to the one entry it names (docx_typed.authorless_cites) and blanked."""
    from citecheck.readers.docx_typed import authorless_cites

    callouts = []
    for m, entry in authorless_cites(body, references):
        numbers = (entry.number,) if entry.number is not None else ()
        span = (m.start(), m.end())
        callouts.append(_callout_at(body, path, span, m.group().strip(), numbers, (entry.key,)))
        body = body[: m.start()] + _blank(m.group()) + body[m.end() :]
    return body, callouts


def unfound_key_spans(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text with citeproc's unfound keys blanked, and (start, end, key) of each "key?".
    A Quarto cross-reference plain Pandoc left unresolved ("(fig-eeg1?)") is no work."""
    from citecheck.readers.keyed import CROSSREF

    def blank(m: re.Match[str]) -> str:
        return m.group() if CROSSREF.match(m["key"]) else _blank(m.group())

    spans = [
        (m.start("key"), m.end("key") + 1, m["key"])
        for m in _UNFOUND_KEY.finditer(text)
        if not CROSSREF.match(m["key"])
    ]
    return _UNFOUND_KEY.sub(blank, text), spans


def _in_order(callouts: list[Callout], more: list[Callout]) -> tuple[Callout, ...]:
    if not more:
        return tuple(callouts)
    return tuple(sorted([*callouts, *more], key=lambda c: (c.location.line, c.location.column)))


def cites_in_parentheses(body: str, highest: int, bracketed: int) -> bool:
    """Does a numbered document cite as "(1-4)"? Only when brackets are (almost) absent and
    many parenthesised number lists fit the list (so "(2010)" and "(n = 5)" do not decide)."""
    if not highest:
        return False
    groups = [g for g in parenthetical_numbers(body) if g and max(g) <= highest]
    cited = {n for g in groups for n in g}
    if highest <= 2 and cited >= set(range(1, highest + 1)):
        return bracketed < len(groups) / 4  # a list of one or two works, each cited "(n)"
    return len(groups) >= 3 and bracketed < len(groups) / 4 and len(cited) >= min(3, highest)


# A raw block of Pandoc's Markdown ("```{=html}\n<!-- Explicitly insert bibliography here -->
# \n```") or an HTML comment before the entries: neither is an entry.
_RAW_BLOCK = re.compile(
    r"^```\{=\w+\}.*?^```[ \t]*$|<!--.*?-->|`[^`\n]*`\{=\w+\}", re.DOTALL | re.MULTILINE
)  # (and an inline raw "`\newpage`{=tex}")


def _without_raw_blocks(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    if "{=" not in text and "<!--" not in text:
        return lines
    return _RAW_BLOCK.sub(lambda m: _blank(m.group()), text).split("\n")


def _unwrapped(lines: list[str]) -> list[str]:
    """The lines without Pandoc's CSL wrappers when it printed a list in them (see
    _unwrap_csl); fences become blank lines, which part the entries as in plain text."""
    if not any(".csl-" in line for line in lines):
        return lines
    return [_unwrap_csl(line) for line in lines]


def find_unheaded_author_list(lines: list[str]) -> int | None:
    """With no heading and no numbers: the line before the run of unnumbered entries that ends
    the document (Pandoc prints an author-year bibliography last, with no heading unless the
    source has one), each paragraph starting as an entry does ("Smith, J.", "WHO. (2020).")
    and read with a year and authors or a link; at least three. None otherwise."""
    from citecheck.references.refparse import parse_reference

    lines = _unwrapped(lines)
    paragraphs: list[tuple[int, int]] = []  # (first line, end) of each paragraph, last first
    end = len(lines)
    for index in range(len(lines) - 1, -2, -1):
        if index < 0 or not lines[index].strip():
            if index + 1 < end:
                paragraphs.append((index + 1, end))
            end = index
            if len(paragraphs) > _UNHEADED_LOOKBACK:
                break
    # (first line, reads as a reference, looks like an entry, or a paragraph of prose)
    run: list[tuple[int, bool, bool, bool]] = []
    for start, stop in paragraphs:
        text = _unwrap_csl(" ".join(line.strip() for line in lines[start:stop]))
        apa = _APA_ENTRY_START.match(text)
        if not (apa or _ENTRY_START.match(text)):
            # An entry without author that ends with its year ("GB/T 16159-1996 ... (1996).")
            # is passed over, and so is one odd paragraph; two of prose end the run.
            prose = not _DATED_END.search(text[-60:])
            if prose and run and run[-1][3]:
                break
            run.append((start, False, False, prose))
            continue
        ok = _reads_as_reference(parse_reference(text, location=_NOWHERE))
        run.append((start, ok, bool(ok or apa), False))
    while run and not run[-1][2]:
        run.pop()  # the list starts with an entry that reads or is printed as one
    good = sum(1 for _, ok, _, _ in run if ok)
    judged = sum(1 for _, _, shaped, prose in run if shaped or prose)  # not the dated ones
    return run[-1][0] - 1 if good >= 3 and good >= 0.8 * judged else None


# An entry that starts with its authors and an APA year: "The HDF Group. (1997-2015).",
# "lwolf. (2007, May 15).", "中国力学学会 (Ed.). (1990)." (not prose: "Smith et al. (2015) showed").
_APA_ENTRY_START = re.compile(r"^[^\W_][^\n]{0,150}?\.\s\((?:\d{4}|n\.\s?d\.)[^()]{0,25}\)\.\s")
_NOWHERE = Location("", None)
# An entry without author that ends with its year: "GB/T 2659-1986 世界各国和地区名称代码 (1988)."
_DATED_END = re.compile(r"\((?:1[5-9]|20)\d\d[a-z]?\)\.?\s*$")


def _section_reads_as_list(lines: list[str]) -> bool:
    """Does what follows a References heading read as a list? Its first paragraphs (entries
    in Pandoc's text, or a typed list as one) are mostly references; a section of prose and
    code about references ("we have a simple way of representing a Reference") is not."""
    from citecheck.references.refparse import parse_reference

    paragraphs: list[str] = []
    current: list[str] = []
    for line in _unwrapped(lines[:_SECTION_SAMPLE_LINES]):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
            if len(paragraphs) == _SECTION_SAMPLE:
                break
    paragraphs += [" ".join(current)] if current and len(paragraphs) < _SECTION_SAMPLE else []
    if len(paragraphs) < _SECTION_SAMPLE // 3:
        return True
    good = sum(
        1
        for text in paragraphs
        if _reads_as_reference(parse_reference(_ENTRY.sub("", text, count=1), location=_NOWHERE))
    )
    return good * 4 >= len(paragraphs)


_SECTION_SAMPLE = 24  # paragraphs
_SECTION_SAMPLE_LINES = 2_000
_UNHEADED_LOOKBACK = 20_000  # paragraphs: the longest list this reads without a heading


def _reads_as_reference(ref: Reference) -> bool:
    """A year and authors, a GB/T type marker or a link ("dypang, 北京大学硕博论文模版 (2005).
    https://bdwm.net/..." names its author by a handle the parser cannot split)."""
    return bool(ref.year and (ref.authors or ref.type_marker or ref.doi or ref.url))


def find_unheaded_list(lines: list[str]) -> int | None:
    """With no heading: the line before the last run of entries numbered from 1 that parse
    as references (a Chinese thesis whose 参考文献 heading was lost), or None."""
    from citecheck.references.refparse import parse_reference

    lines = _unwrapped(lines)
    index = len(lines) - 1
    while index >= 0:
        if _entry_number(lines[index]) == 1:
            tail = lines[index:]
            # Entries parted by blank lines and wrapped (Pandoc's plain text): only a line
            # after a blank one starts an entry ("Bowtie\n2. Nat Methods" continues one).
            numbered = [i for i, line in enumerate(tail) if _entry_number(line) is not None]
            after_blank = [i for i in numbered if not i or not tail[i - 1].strip()]
            parted = len(after_blank) >= 3 and len(after_blank) * 2 > len(numbered)
            if parted and index and lines[index - 1].strip():
                index -= 1
                continue  # "1 (2007)" wrapped inside an entry: entry 1 starts a paragraph
            starts = after_blank if parted else numbered
            run = [_entry_number(tail[i]) or 0 for i in starts]
            ascending = sum(1 for a, b in itertools.pairwise(run) if b == a + 1)
            if len(run) >= 3 and ascending >= 0.8 * (len(run) - 1):
                entries = [
                    " ".join(line.strip() for line in tail[i:j])
                    for i, j in zip(starts, [*starts[1:], len(tail)], strict=True)
                ]
                entries = [_unwrap_csl(_ENTRY.sub("", entry, count=1)) for entry in entries]
                parsed = [parse_reference(e, location=Location("", None)) for e in entries[:50]]
                good = sum(1 for r in parsed if _reads_as_reference(r))
                if good >= 0.8 * len(parsed):
                    return index - 1
        index -= 1
    return None


# A footnote as Pandoc's plain text prints it after everything else: "[1] The authors have...".
# (Pandoc's Markdown prints it as "[^1]: The authors...".)
_NOTE = re.compile(r"^\[(?:\^(\d{1,4})\]:|(\d{1,4})\]) \S")
_NOTE_MARK = re.compile(r"\[(\d{1,4})\]")


# An affiliation mark after an author's name: "Laura K. Hilton^1,2^, Henry S. Ngu¹, and".
_AFFILIATION_MARK = re.compile(
    r"(?<=[^\W\d_])(?:[¹²³⁴⁵⁶⁷⁸⁹⁰][¹²³⁴⁵⁶⁷⁸⁹⁰,˒⁻*]*|\^[\d,\-–*]{1,20}\^)(?=[ \t]*(?:,|&|and\b|\n|$))"
)
_TITLE_PAGE = 3_000  # characters: where the author lines are


def _without_affiliation_marks(body: str) -> str:
    """The body without the affiliation marks of its author lines: a paragraph near the start
    where three or more names carry a superscript number before a comma, "and" or the line's
    end (the title page of a Word or Pandoc rendering) cites nothing."""
    head = body[:_TITLE_PAGE]
    start = 0
    for paragraph in re.split(r"(\n[ \t]*\n)", head):
        marks = list(_AFFILIATION_MARK.finditer(paragraph))
        if len(marks) >= 3:
            blanked = _AFFILIATION_MARK.sub(lambda m: _blank(m[0]), paragraph)
            body = body[:start] + blanked + body[start + len(paragraph) :]
        start += len(paragraph)
    return body


def _without_note_marks(body: str, notes: int) -> str:
    """The body without the marks of `notes` footnotes ("aliqua. [1]"): when the text's
    bracketed numbers are exactly [1], [2]... [notes], once each and in order, they are the
    notes' marks; bracketed citations beside them ("[1], [2], [3]") leave all as they are."""
    if not notes:
        return body
    numbers = [int(m[1]) for m in itertools.islice(_NOTE_MARK.finditer(body), notes + 1)]
    if numbers != list(range(1, notes + 1)):
        return body
    return _NOTE_MARK.sub(lambda m: _blank(m[0]), body)


def without_trailing_notes(lines: list[str]) -> tuple[list[str], int]:
    """The lines without the footnotes Pandoc's plain text prints after the reference list
    ("[1] The authors have declared...", "[2] https://..."), and how many notes there were.

    Notes are the paragraphs at the very end numbered "[1]", "[2]"... again right after list
    entries that had reached a higher number, most of them no reference (a list that repeats
    its numbers with real entries keeps them: that is a finding)."""
    from citecheck.references.refparse import parse_reference

    printed, lines = lines, _unwrapped(lines)  # a list in CSL fences: read without them
    starts = [
        i for i, line in enumerate(lines) if line.strip() and (i == 0 or not lines[i - 1].strip())
    ]
    notes: list[int] = []  # paragraph starts of the notes, from the last one back to "[1]"
    expected = None
    for i in reversed(starts):
        m = _NOTE.match(lines[i])
        if not m or expected not in (None, int(m[1] or m[2])):
            break
        notes.append(i)
        expected = int(m[1] or m[2]) - 1
        if not expected:
            break
    if not notes or expected:
        return printed, 0
    first = notes[-1]
    before = [i for i in starts if i < first][-1:]
    entry = " ".join(lines[before[0] : first]) if before else ""
    if not (
        (_entry_number(entry) or 0) >= 2
        or (_ENTRY_START.match(entry) or _APA_ENTRY_START.match(entry))
        and _reads_as_reference(parse_reference(entry, location=_NOWHERE))
    ):
        return printed, 0  # no list entry (past 1) right before the notes
    bounds = [*notes[::-1][1:], len(lines)]
    texts = [" ".join(lines[i:j]) for i, j in zip(notes[::-1], bounds, strict=True)]
    parsed = [
        parse_reference(_ENTRY.sub("", t, count=1), location=Location("", None)) for t in texts
    ]
    if sum(1 for r in parsed if r.year and r.authors) * 2 > len(parsed):
        return printed, 0
    return printed[:first], len(notes)


def find_reference_heading(lines: list[str]) -> int | None:
    """0-based index of the last line that is a reference-list heading, or None."""
    for index in range(len(lines) - 1, -1, -1):
        if _HEADING.match(lines[index]):
            return index
    return None


def split_entries(lines: list[str], path: str, *, first_line: int) -> list[RawEntry]:
    """Numbered entries with their continuation lines; unnumbered lists split on lines."""
    lines = _until_list_end(lines)
    numbered_lines = sum(1 for line in lines if _entry_number(line) is not None)
    # Paragraph starts: Markdown wraps each numbered entry over several lines.
    starts = [
        line
        for i, line in enumerate(lines)
        if line.strip() and (i == 0 or not lines[i - 1].strip())
    ]
    numbered = numbered_lines >= max(1, sum(1 for line in lines if line.strip()) // 3) or (
        len(starts) >= 2
        and sum(1 for line in starts if _entry_number(line) is not None) * 2 >= len(starts)
    )
    # Entries hard-wrapped at ~72 columns and parted by blank lines (Pandoc's plain text):
    # only a blank line ends one, so a wrapped "Desai, S. Devarajan" starts none.
    filled = [line for line in lines if line.strip()]
    # Numbered entries each after a blank line: a wrapped "2. Nat Methods" inside one (Bowtie
    # 2) is no entry of its own unless it is the very next number.
    numbered_starts = sum(1 for line in starts if _entry_number(line) is not None)
    parted = numbered_starts >= 3 and numbered_starts >= 0.9 * len(starts)
    # (Or parted so, each paragraph starting as an entry does, whatever the width: HTML.)
    entry_like = sum(
        1 for line in starts if _ENTRY_START.match(line) or _APA_ENTRY_START.match(line)
    )
    wrapped = len(starts) >= 3 and (
        sum(len(line) <= 80 for line in filled) >= 0.9 * len(filled)
        or entry_like >= 0.8 * len(starts)
    )
    entries: list[RawEntry] = []
    parts: list[str] = []
    start = 0
    number: int | None = None

    def flush() -> None:
        joined = _join(parts)
        if "]{." in joined:  # a Pandoc span or link wrapped over lines: unwrapped once joined
            joined = _unwrap_csl(joined)
        if joined:
            entries.append(RawEntry(number, joined, Location(path, first_line + start)))

    for index, line in enumerate(lines):
        if not line.strip():
            if not numbered:
                flush()
                parts = []
            continue
        if not numbered and not wrapped and parts and _starts_entry(line, parts[-1]):
            flush()  # one entry per line: an APA list typed without blank lines
            parts = []
        found = _entry_number(line) if numbered else None
        if found is not None and parted and index and lines[index - 1].strip():
            found = found if number is not None and found == number + 1 else None
        if found is not None and _plausible_next(found, number, line):
            flush()
            number, start, parts = found, index, [_ENTRY.sub("", line, count=1)]
        elif numbered and not parts and not entries:
            continue  # stray text between the heading and entry 1
        elif not numbered and not parts:
            start, parts = index, [_BULLET.sub("", line, count=1)]
        else:
            parts.append(_BULLET.sub("", line, count=1))
    flush()
    if len(entries) >= 3 and all(e.number == 1 for e in entries):
        # Markdown numbers every item "1." and lets the renderer count: the list is 1, 2, 3...
        entries = [replace(e, number=n) for n, e in enumerate(entries, start=1)]
    return entries


def parse_entries(
    entries: list[RawEntry],
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """Parse each raw entry; an entry with no recognisable fields is kept as unparsed data."""
    from citecheck.references.refparse import make_key, parse_reference

    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    taken: set[str] = set()
    counters: dict[str, int] = {}
    for entry in entries:
        ref = parse_reference(entry.text, number=entry.number, location=entry.location)
        if not (ref.title or ref.authors or ref.doi or ref.container):
            unparsed.append(
                UnparsedEntry(entry.location, entry.text, "no author, title or source found")
            )
            continue
        key = _unique_key(make_key(ref, frozenset()), taken, counters)
        taken.add(key)
        references.append(_with_key(ref, key))
    return tuple(references), tuple(unparsed)


def _unique_key(base: str, taken: set[str], counters: dict[str, int]) -> str:
    """make_key's suffixes (a..z, then _2, _3, ...) in constant time per entry: a list of
    12,000 entries by one author and year must not cost 12,000² set lookups."""
    if base not in taken:
        return base
    for suffix in "abcdefghijklmnopqrstuvwxyz":
        if base + suffix not in taken:
            return base + suffix
    counter = counters.get(base, 2)
    while f"{base}_{counter}" in taken:
        counter += 1
    counters[base] = counter + 1
    return f"{base}_{counter}"


def _with_key(ref: Reference, key: str) -> Reference:
    return replace(ref, key=key)


def _until_list_end(lines: list[str]) -> list[str]:
    """The lines of the list: up to a table/figure/supplement heading or a code block.

    Only after a blank line, or where no entry continues: a wrapped entry line that happens
    to start with "Table 2" is still part of its entry.
    """
    seen_entry = False
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if seen_entry and _LIST_END.match(line) and (index == 0 or not lines[index - 1].strip()):
            return lines[:index]
        seen_entry = True
    return lines


def _starts_entry(line: str, previous: str) -> bool:
    """Does this line begin a new unnumbered entry (the previous one ended)?

    A person ("Smith, J.") or, for organisations, a capital with an APA year in parentheses
    near the start ("World Health Organization. (2020).").
    """
    starts = _ENTRY_START.match(line) or (
        line[:1].isupper() and _APA_YEAR.search(line, 0, 200) is not None
    )
    return bool(starts) and bool(re.search(r"(?:[.)\]]|\d|https?://\S+|doi:\S+)\s*$", previous))


def _entry_number(line: str) -> int | None:
    m = _ENTRY.match(line)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _plausible_next(found: int, previous: int | None, line: str) -> bool:
    """Does this numbered line start an entry, or continue one ("12 (3): 100-105.")?

    In sequence (a little ahead of the last number) it starts one; out of sequence only when
    marked unmistakably ("[12]", "12.", "- 12 "), so duplicated numbers are still seen; a
    number far ahead ("2007. SILVA: ..." wrapped from entry 19) continues its entry.
    """
    if previous is not None and previous < found <= previous + 20:
        return True
    if previous is None and found <= 20:
        return True
    if previous is not None and found > previous + 20 and not line.lstrip().startswith("["):
        return False
    return bool(re.match(r"^\s*(?:[-*+]\s+\d|\[\d|\d+[.)]\s)", line))


def _join(parts: list[str]) -> str:
    """Join wrapped lines: no space after a hyphen break or between Han characters."""
    text = ""
    for part in (_ENTRY_MARKUP.sub("", p).strip() for p in parts):
        if not part:
            continue
        if not text:
            text = part
        elif text.endswith("-") and part[:1].islower() or has_cjk(text[-1]) and has_cjk(part[0]):
            text += part
        else:
            text += " " + part
    return text


def read_text_file(path: str, refs_path: str | None = None) -> Manuscript:
    """Read a text/Markdown file; with `refs_path`, the reference list comes from that BibTeX."""
    from citecheck.files import read_text_file as read_file

    text = read_file(path)
    if refs_path is None:
        return read_text(text, path)
    return read_text_with_refs(text, path, refs_path)


def read_text_with_refs(text: str, path: str, refs_path: str) -> Manuscript:
    """The manuscript's callouts against the reference list of `refs_path` (a BibTeX file)."""
    from citecheck.bibliography.bib import read_bib_text, read_bibtex

    references, unparsed = read_bibtex(read_bib_text(refs_path), refs_path)
    # A list inside the manuscript is replaced by the one --refs names.
    manuscript = read_text(text, path, require_reference_list=False)
    numbered = any(r.number is not None for r in references)
    if not numbered:
        from citecheck.readers.keyed import number_in_order

        heading = find_reference_heading(text.split("\n"))
        body = "\n".join(text.split("\n")[:heading]) if heading is not None else text
        keyed_refs, callouts = author_year_callouts(body, path, references)
        if callouts:  # an author-year manuscript against a plain .bib
            manuscript = replace(manuscript, callouts=callouts)
            references = keyed_refs
        else:  # numbered callouts against a .bib without refnumber: its order is the list
            references = number_in_order(references)
            numbered = True
    return replace(manuscript, references=references, unparsed=unparsed, numbered=numbered)
