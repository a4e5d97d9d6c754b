"""Find numeric in-text citations ("callouts") in running text, with sentence and author mention.

Handles `[26]`, `^[26]`, `[1-2]`, `[3,5]`, `[23][26][27]`, `[1–3, 7]`, Unicode superscripts
(`degeneration¹⁻³`), Pandoc superscripts (`^1,2^`), Markdown anchor links (`[7](#_ENREF_7)`),
Science-style `(1-4)` when the reader says the document cites that way, and the
PDF-extraction quirks of the seed manuscript. Intervals (`[0, 1]`), MATLAB vectors
(`[0;0;1]`), indexes (`x[0]`), link texts (`[2024](https://...)`) and exponents (`10⁶`,
`µm²`) are not citations. The scanner never raises: a malformed callout (`[9-3]`) is
returned with `problem` set.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from citecheck.citations.mentions import author_mention
from citecheck.model import Callout, Location
from citecheck.normalize import has_cjk, line_starts, one_line

# Range and list separators seen in real manuscripts: hyphen, en/em dash, tilde, full-width forms.
_DASHES = "-‐‑‒–—~～−"
_COMMAS = ",，、;；"
# Pandoc's Markdown writes an en dash as "--" ("(1--3)", "\[2\]--\[5\]").
_ITEM = rf"\d{{1,6}}(?:\s*[{_DASHES}]{{1,2}}\s*\d{{1,6}})?"
_LIST = rf"{_ITEM}(?:\s*[{_COMMAS}]\s*{_ITEM})*"
# One bracket group, optionally caret-prefixed; adjacent groups are joined by the scanner.
# `^{1,2}` without brackets is an affiliation mark in PDF extractions, not a citation.
# A locator after the numbers: "[48, p. 461]", "[123,\nSec. 6.2.3]", "(12, chap. 3)".
_LOCATOR = (
    r"(?:pp?|ch|chap|chaps|sec|secs|fig|figs|eq|eqs|app|vol|para|no)\.\s*[\dIVXivx]"
    r"|(?:chapters?|sections?|figures?|tables?|equations?|theorems?|lemmas?|algorithms?|"
    r"appendix|part)\s+[\dIVXA-Z]|§"
)
_BRACKET = re.compile(
    rf"\^?\[\s*(?P<list>{_LIST})\s*(?:,\s*(?i:{_LOCATOR})[^\[\]\n]{{0,40}}(?:\n[^\[\]\n]{{0,40}})?)?"
    rf"\](?P<link>\(\s*#[^()\s]*\))?(?=(?P<next>[(:])?)"
    rf"|\^\{{\s*\[\s*(?P<caret>{_LIST})\s*\]\s*\}}"
    # "[e.g. 6](#_ENREF_6)": EndNote's Markdown keeps a prefix inside the linked text.
    rf"|\[\s*(?:e\.\s?g\.|see|cf\.)[,\s]*(?P<eg>{_LIST})\s*\](?P<link2>\(\s*#[^()\s]*\))"
)
# Anchors of figures, tables, equations, sections and notes: "[1](#fig1)" is no citation.
_NOT_REFERENCE_ANCHOR = re.compile(
    r"#\s*(?:fig|tab|eq|sec|supp|app|f\d|t\d|tf|fn|tn|note)", re.IGNORECASE
)  # "[1](#tf1-1)", "[2](#fn2)": a table's or the text's footnotes
# Science-style parenthetical numbers "(1-4)", "(1, 3)"; used when the reader asks for it.
# A prefix may come first, "(e.g., 39)", and a locator or link may follow the numbers:
# "(12, p. 5)", "(95, https://www.kanaverse.org)".
SUFFIX = rf"(?:,\s*\**(?:https?://|(?i:{_LOCATOR})|and references therein)[^()]{{0,200}})"
_PARENTHESES = re.compile(rf"\(\s*(?:(?:e\.\s?g\.|see|cf\.)[,:]?\s+)?({_LIST})\s*{SUFFIX}?\)")
# Words after which a number in parentheses is an equation, figure or step, not a citation.
_LABELLED_BY = re.compile(
    r"\b(?:Eqs?|Equations?|equations?|Fig|Figs|Figures?|figures?|Tables?|tables?|Steps?|"
    r"steps?|Panels?|panels?|Lanes?|lanes?|Chapters?|Sections?|Appendix|No|p|pp|Vol|vol|S|n|N)"
    r"\.?\s*$"
)  # "n (7)": a sample size
# Words and values after which it is more often a count, a value or a label than a citation
# ("Day (3)", "n = 5 (4)", "10, 20 (3)"): such a group is held back, and a reader that knows
# the list reads it when it brings the next reference number (see held_back_groups).
_NOT_CITED_AFTER = re.compile(
    r"(?:\b(?:Days?|days?|Models?|models?|Sample|sample|Group|group|Patient|patient|Case|case|"
    r"Trial|Study)\.?|[=<>±×%°\d:;+\-–—/]|(?<![^\W\d_]),)\s*$"
)  # a comma after a number ("10, 20 (3)"), not after a word ("Building on this, (55) find")
# "in 2023 (48)": a year in a sentence, then the citation (not "n = 5 (3)", "10, 20 (3)").
_YEAR_IN_PROSE = re.compile(r"\b(?:in|since|by|until|from|of|during)\s+(?:19|20)\d\d\s*$")
# "COVID-19 (1–3)", "HIV-1 (4)", "E. coli MG1655 (19)": a name with a number, not a value.
_NAME_WITH_NUMBER = re.compile(r"\b[A-Za-z]{2,}[-‐]?\d{1,6}\s*$")
# A word glued to the parenthesis ("c(2,3)", "x_1(2)"; not a sentence end, "exactness.(1,2)").
_GLUED_WORD = re.compile(r"[\w.]*\w\Z")  # \Z: "USA\n(10,12)" is wrapped, not glued
# "(1) first ..., (2) second": a number in parentheses starting a clause is an enumeration.
_ENUMERATION = re.compile(r"(?:^|[\n:;(]|\b(?P<word>and|or|then|to|were|are|is|was))\s*$")
# "...of the\n(56). Thus": a line wrapped inside a sentence (the group then ends it), not a
# list item's start.
_WRAPPED_BEFORE = re.compile(r"[^\s:;.][^\S\n]*\n[^\S\n]*$")  # "\xa0": a LaTeX "\ " space
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_SEPARATORS = "⁻,˒⁾⁽"
_SUPERSCRIPT = re.compile(
    rf"[{_SUPERSCRIPT_DIGITS}][{_SUPERSCRIPT_DIGITS}{_SUPERSCRIPT_SEPARATORS}]*"
)
_SUPER_TO_ASCII = str.maketrans(_SUPERSCRIPT_DIGITS + "⁻˒⁽⁾", "0123456789-,()")

# Sentence ends: Chinese full stops always; English ones only before a space and a capital/CJK,
# and not after an abbreviation such as "et al." or "Fig.".
_CJK_END = "。！？；"
_EN_END = re.compile(r"[.!?;](?=\s+[\"'(\[]?[A-Z\u4e00-\u9fff]|\s*$)")
_ABBREVIATIONS = re.compile(
    r"(?:\bet al|\bFig|\bFigs|\bTab|\be\.g|\bi\.e|\bvs|\bcf|\bNo|\bRef|\bRefs|\bDr|\bProf|\bSt|\b[A-Z])$"
)

# A numbered section heading ("3.1 抑制细胞凋亡", "2 Methods") does not continue a sentence.
_HEADING_LIKE = re.compile(r"^\d+(?:\.\d+)*\s+\S")
_TABLE_CAPTION = re.compile(r"^\s*(?:表|图|Tab(?:le)?\.?|Fig(?:ure)?\.?)\s*\d")


def scan_callouts(
    text: str,
    path: str,
    *,
    line_offset: int = 0,
    parentheses: bool = False,
    also: frozenset[int] = frozenset(),
) -> list[Callout]:
    """Every numeric callout in `text`, in reading order. `line_offset` shifts reported lines.

    `parentheses`: the document cites as "(1-4)" (Science style), so such groups count too;
    `also`: offsets of held-back groups (held_back_groups) the reader found to be citations.
    """
    starts = line_starts(text)
    table_lines = _table_lines(text)
    sentences: dict[tuple[int, int], str] = {}
    callouts = []
    # Brackets, superscripts and parentheses interleave: report them in text order.
    for start, end, body in _groups(text, parentheses, also):
        numbers, problem = expand(body)
        line = bisect.bisect_right(starts, start) - 1
        column = start - starts[line] + 1
        in_table = line in table_lines
        if in_table:  # a table row or caption is its own "sentence"
            sentence_start = starts[line]
            sentence_end = text.find("\n", end)
            sentence_end = len(text) if sentence_end < 0 else sentence_end
        else:
            sentence_start, sentence_end = sentence_span(text, start, end)
        before = text[max(sentence_start, start - _MENTION_WINDOW) : start]
        after = text[end : min(sentence_end, end + _MENTION_WINDOW)]
        span = (sentence_start, sentence_end)
        if span not in sentences:  # one string per sentence, shared by all its callouts
            sentences[span] = one_line(
                text[sentence_start:sentence_end]
                + ("" if in_table else _continuation(text, sentence_end, starts, table_lines))
            )
        callouts.append(
            Callout(
                location=Location(path, line + 1 + line_offset, column),
                text=text[start:end],
                numbers=numbers,
                sentence=sentences[span],
                author_mention=author_mention(before, after) if _may_name(before) else "",
                in_running_text=not in_table,
                problem=problem,
            )
        )
    return callouts


def expand(body: str) -> tuple[tuple[int, ...], str]:
    """'1-3, 7' -> ((1, 2, 3, 7), ''); a reversed range or a zero gives a problem text."""
    if body.isdigit():  # the common case, "[26]"
        value = int(body)
        return ((value,), "") if value else ((), "reference numbers start at 1")
    numbers: list[int] = []
    problems: list[str] = []
    for item in _COMMA_SPLIT.split(body):
        item = item.strip()
        if not item:
            continue
        parts = [p.strip() for p in _DASH_SPLIT.split(item)]
        if not all(parts) or len(parts) > 2:
            problems.append(f"'{item}' is an incomplete range")
            continue
        try:
            values = [int(p) for p in parts]
        except ValueError:
            problems.append(f"'{item}' is not a reference number")
            continue
        if any(v == 0 for v in values):
            problems.append("reference numbers start at 1")
            continue
        if len(values) == 1:
            numbers.append(values[0])
        elif values[0] > values[1]:
            problems.append(f"range {item} runs backwards")
        elif values[0] == values[1]:
            problems.append(f"range {item} names one reference twice")
            numbers.append(values[0])
        elif values[1] - values[0] > 200:
            problems.append(f"range {item} is implausibly long")
        else:
            numbers.extend(range(values[0], values[1] + 1))
    return tuple(dict.fromkeys(numbers)), "; ".join(problems)


_COMMA_SPLIT = re.compile(rf"[{_COMMAS}]")
# A code identifier glued to the bracket ("xi_c_prcc[8,1]", "obj.attr[1]") or a call's
# argument ("np.zeros([46,4])"), an R field ("res$DFn[1]"), or a word glued to a parenthesis
# (Pandoc's mangled "_(p)rccPRCC[7,1]"): prose words carry no inner underscore or dot (a decimal,
# "by 2.5[3]", and Markdown's "_Gut_[3]" may still cite).
_CODE_NAME_BEFORE = re.compile(
    r"(?:[^\W_]_|[A-Za-z]\.|\))[^\W_]\w*$|\w\$[A-Za-z]\w*$|[A-Za-z_]\w*\($"
)
_DASH_SPLIT = re.compile(rf"[{_DASHES}]+")


def parenthetical_numbers(text: str) -> list[tuple[int, ...]]:
    """The numbers of every "(1-4)" group that would count as a citation in this text.

    Readers use it to decide whether a document cites Science-style, before scanning.
    """
    return [
        expand(m.group(1))[0]
        for m in _PARENTHESES.finditer(text)
        if _is_parenthetical_citation(text, m)
    ]


def _groups(
    text: str, parentheses: bool = False, also: frozenset[int] = frozenset()
) -> Iterator[tuple[int, int, str]]:
    """(start, end, list body) of bracket, superscript and (when asked) parenthesis runs, in
    text order. Each kind is found in order and the streams are merged lazily, so a text of
    millions of callouts never holds them all as matches at once."""
    streams = [_bracket_groups(text), _superscript_groups(text), _caret_groups(text)]
    if parentheses:
        streams.append(_parenthesis_groups(text, also))
    return heapq.merge(*streams)


def _parenthesis_groups(text: str, also: frozenset[int]) -> Iterator[tuple[int, int, str]]:
    """Science-style groups that cite, those at the offsets in `also` (held back, but read by
    the reader), and groups joined to a citing one: "(2)–(3)" is 2-3, "(8),(6)" and
    "(15) and (43)" cite both."""
    last: tuple[int, int, str] | None = None  # a citing group, still open to "(2)–(3)"
    for m in _PARENTHESES.finditer(text):
        gap = text[last[1] : m.start()] if last else "\n" * 7
        joiner = _PAREN_JOINERS.get(gap.strip()) if len(gap) <= 6 else None
        if last and joiner == "-":
            last = (last[0], m.end(), _join_range(last[2], m.group(1)))
            continue
        if last:
            yield last
        cites = joiner or m.start() in also or _parenthetical(text, m) == _CITED
        last = (m.start(), m.end(), m.group(1)) if cites else None
    if last:
        yield last


# Text between two parenthesised groups of one citation ("-") or of two.
_PAREN_JOINERS = {",": ",", ";": ",", "--": "-", "and": ",", "or": ","}
_PAREN_JOINERS.update({d: "-" for d in _DASHES})


def held_back_groups(text: str) -> list[tuple[int, tuple[int, ...]]]:
    """(offset, numbers) of the Science-style groups held back only by what precedes them
    ("R0 = 3.0 (6)", "every 2 days (14)"): a reader that knows which numbers the document
    has cited so far passes the ones it reads as `also` to scan_callouts."""
    return [
        (m.start(), expand(m.group(1))[0])
        for m in _PARENTHESES.finditer(text)
        if _parenthetical(text, m) == _HELD
    ]


def _bracket_groups(text: str) -> Iterator[tuple[int, int, str]]:
    """Bracket groups, with the groups a reader sees as one citation joined:
    "[23][26][27]", "[4], [7]", "[4]–[7]"."""
    matches = (m for m in _BRACKET.finditer(text) if _is_citation(text, m))
    current = next(matches, None)
    while current is not None:
        start, end, parts = current.start(), current.end(), [_body(current)]
        current = next(matches, None)
        while current is not None:
            gap = text[end : current.start()]
            # A comma or dash may carry the padding of Pandoc's escaped brackets ("[2]  --[5]").
            joiner = _JOINERS.get(gap.strip()) if len(gap) <= (6 if gap.strip() else 3) else None
            if joiner is None:
                break
            nxt = _body(current)
            if joiner == "-":
                parts[-1] = _join_range(parts[-1], nxt)
            else:
                parts.append(nxt)  # joined once at the end: linear in a run of 1,000,000
            end = current.end()
            current = next(matches, None)
        yield start, end, ",".join(parts)


def _superscript_groups(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _SUPERSCRIPT.finditer(text):
        before = text[m.start() - 1] if m.start() > 0 else "\n"
        # "degeneration¹²" is a callout; "¹Chinese PLA" (an affiliation mark), "x⁽¹⁾" (a
        # sample index in math) and "kg m s⁻¹" (a negative exponent) are not.
        if (
            before.isspace()
            or before in "^;；,，⁽⁻"
            or not m.group().strip(_SUPERSCRIPT_SEPARATORS)
        ):
            continue
        if _exponent_base(text, m.start()):
            continue  # "10⁶", "µm²", "x²": exponents
        body = m.group().translate(_SUPER_TO_ASCII).strip("()")
        if body and body[0].isdigit():
            yield m.start(), m.end(), body


def _caret_groups(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _CARET_SUPERSCRIPT.finditer(text):
        if not _exponent_base(text, m.start()):
            yield m.start(), m.end(), m.group(1)


_MENTION_WINDOW = 400  # author mentions sit right before a callout; long sentences are cut
# A name has a capital or a Han character; an all-lowercase tail names nobody (a fast skip).
_NAME_LETTER = re.compile(r"[^\W\d_a-z]")


def _may_name(before: str) -> bool:
    return _NAME_LETTER.search(before, max(0, len(before) - 90)) is not None


def _body(m: re.Match[str]) -> str:
    return m.group("list") or m.group("caret") or m.group("eg")


def _is_list(body: str) -> bool:
    """A plausible list of reference numbers: no zero, no repeats ("[0, 1]", "[1;1;1]")."""
    numbers = [n.lstrip("0") for n in re.findall(r"\d+", body)]
    return "" not in numbers and len(set(numbers)) == len(numbers)


def _is_citation(text: str, m: re.Match[str]) -> bool:
    """A bracket group that is a citation, not a formula, an index, an interval or a link."""
    link = m.group("link") or m.group("link2")
    if not link and m.group("next") == "(":
        return False  # "[2024](https://...)" is a link text
    if m.group("next") == ":" and not text[text.rfind("\n", 0, m.start()) + 1 : m.start()].strip():
        return False  # "[1]: https://..." at a line start defines a Markdown link
    if link and _NOT_REFERENCE_ANCHOR.search(link):
        return False
    if text[max(0, m.start() - 8) : m.start()].rstrip().endswith(("=", "<-")):
        return False  # "triggers = [10,20,30,40]": a value assigned in code
    body = _body(m)
    glued = m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_(")
    # Both code patterns end in a word character or "(": a space before skips the regex.
    code_name = glued and _CODE_NAME_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
    if code_name or _indexes_a_symbol(text, m.start()):
        return False  # "t[1]", "p[2]", "prcc_PRCC[8,1]": an element, not a reference
    if glued and _descending(body):
        return False  # "$PRCC[8,1]" after math took the "$": a row and column, not a list
    if not (body.isdigit() and body.lstrip("0")) and not _is_list(body):
        before = text[m.start() - 1] if m.start() > 0 else " "
        # "[0]" alone stays (an invalid citation); "x[0]", "[0, 1]", "[0;0;1]" do not.
        if before.isalnum() or before in "_)]" or _COMMA_SPLIT.search(body):
            return False
    return not _is_formula(text, m)


def _descending(body: str) -> bool:
    numbers = [int(n) for n in re.findall(r"\d+", body)]
    return any(b < a for a, b in itertools.pairwise(numbers))


def _indexes_a_symbol(text: str, start: int) -> bool:
    """The bracket follows a one-letter symbol directly: "t[1]", "x[n]" (a word, "data[3]"
    typed without a space, is still a citation)."""
    if (
        start < 1
        or text[start] != "["
        or not (text[start - 1].isascii() and text[start - 1].isalpha())
    ):
        return False
    return start < 2 or not (text[start - 2].isalnum() or text[start - 2] in "_'’-")


_NO, _HELD, _CITED = 0, 1, 2
# Spaces a reader put for code or math: three after a character, six at a line start (more
# than Pandoc's list indent), or three ending the line before.
_BLANKED_BEFORE = re.compile(r"(?:[^\s] {3,}|\n {6,}| {3,}\n *)\Z")


def _is_parenthetical_citation(text: str, m: re.Match[str]) -> bool:
    """ "(3)" right after a word: not an equation, figure, step, sample size or enumeration."""
    return _parenthetical(text, m) == _CITED


def _parenthetical(text: str, m: re.Match[str]) -> int:
    """_CITED, _NO, or _HELD: a citation only if the list says so (a value or count noun
    before it, "R0 = 3.0 (6)", "every 2 days (14)", "codon models (37)")."""
    if _in_nested_list(text, m.start(), m.end()):
        return _CITED
    # The 24 characters before the group, and the spaces a reader padded or blanked it with.
    before = text[max(0, m.start() - 424) : m.start()]
    before = before[max(0, len(before.rstrip()) - 24) :]
    if not before.strip() or not _is_list(m.group(1)):
        return _NO
    verdict = _CITED
    if not _YEAR_IN_PROSE.search(before) and not _NAME_WITH_NUMBER.search(before):
        if _LABELLED_BY.search(before):
            return _NO
        if _NOT_CITED_AFTER.search(before):
            verdict = _HELD
    after = text[m.end() : m.end() + 3]
    # "methods: `SingleR` (49)": blanked code or math right before the group (on its line, or
    # ending the line before) stands for a name.
    blanked = _BLANKED_BEFORE.search(before) is not None
    enumeration = not blanked and _ENUMERATION.search(before)
    if enumeration and re.search(r"[.!?][^\S\n]*\n\s*$", before):
        enumeration = None  # "behavior.\n(53) explore": a sentence's start, as on one line
    if (
        enumeration
        and not (
            _WRAPPED_BEFORE.search(before)
            and after[:1] in (".", ",", ";")
            # "((33); (28); Figure 1)": the first of a cite list in parentheses, not an item
            or before.rstrip()[-1:] in "(;"
            and after[:1] in (";", ",", ")")
        )
    ):
        if not (enumeration["word"] or _WRAPPED_BEFORE.search(before)):
            return _NO
        verdict = _HELD  # "tests is (85).", "SMRT\n(36) and": an item only if the list says so
    glued = _GLUED_WORD.search(before)
    if glued and has_cjk(glued.group()[-1]):
        glued = None  # "部分(12)": Chinese prose has no spaces
    if glued and (len(glued.group()) <= 3 or not glued.group().isalpha()):
        return _NO  # "c(2,3)", "f(1)", "x_1(2)", "Eq(2)": code, functions and equations
    if glued and (after[:1] == ":" or _code_line(text, m.start())):
        return _NO  # "    for cond in range(2,6):": a code line (indented in Pandoc's text)
    body = m.group(1).strip()
    if (
        body.isdigit()
        and re.match(r"\s+[a-z]", after)
        and _numbered_item(text, m.start(), m.end(), int(body))
    ):
        return _NO
    return verdict


def _code_line(text: str, at: int) -> bool:
    """Is the line indented as code is in Pandoc's plain text and Markdown (4 spaces, a tab),
    with an assignment or a block's end on it ("    result = compute(2,6)")? A list item's
    continuation line is indented so too, but reads as prose."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)]
    return line.startswith(("    ", "\t")) and _CODE_SIGN.search(line) is not None


_CODE_SIGN = re.compile(r"[^=!<>]=[^=]|<-|==|[:;{]\s*$")


# "((1), (2), (3))", "((53))": narrative cites "(@a, @b)" in a numbered style; no list looks so.
_NESTED_LIST = re.compile(r"\(\s*\(\d{1,4}\)(?:\s*[,;]\s*\(\d{1,4}\))*\s*\)")


def _in_nested_list(text: str, start: int, end: int) -> bool:
    window = max(0, start - 80)
    return any(
        n.start() + window < start and end < n.end() + window
        for n in _NESTED_LIST.finditer(text[window : end + 80])
    )


def _numbered_item(text: str, start: int, end: int, k: int) -> bool:
    """ "(1) depth and (2) error": items of a list count up from (1), each close after the one
    before; "(37) find ... (38) find" are narrative citations of neighbouring works."""
    if k == 1:
        return "(2) " in text[end : end + 300]
    while k > 1:
        start = text.rfind(f"({k - 1}) ", max(0, start - 300), start)
        if start < 0:
            return False
        k -= 1
    return True


# Pandoc superscripts typed in Markdown ("repair.^1,2^", "grew^4-6^"), not exponents or
# squared symbols after a digit, a bracket or a one- or two-letter symbol ("10^6^", "I^2^").
_CARET_SUPERSCRIPT = re.compile(rf"\^({_LIST})\^")
_EXPONENT_BASE = re.compile(r"(?:(?<![A-Za-z])[A-Za-zµμ]{1,2}|[\d)\]])$")
# "(COO)^16,17^", "(DZsig)¹⁸", "(... +/- rituximab)²⁵": words in parentheses, then the
# citation; "(x+1)²", "(ab)²" are exponents.
_WORD_IN_PARENTHESES = re.compile(r"[^\W\d_]{3,}")


def _exponent_base(text: str, start: int) -> bool:
    """Is what precedes a superscript at `start` the base of an exponent ("10⁶", "µm²", "x²")?"""
    before = text[max(0, start - 60) : start]
    if not _EXPONENT_BASE.search(before[-12:]):
        return False
    if before.endswith(")"):
        inner = before[before.rfind("(") + 1 : -1]
        return not _WORD_IN_PARENTHESES.search(inner)
    return True


# Text allowed between two bracket groups of one citation, and what it means.
_JOINERS = {"": ",", ",": ",", "，": ",", "--": "-", **{d: "-" for d in _DASHES}}
# "F[1,12] = 8.42", "χ2[3] < 0.05": statistics, not citations.
_FORMULA_AFTER = re.compile(r"\s*[=<>≤≥]")


def _is_formula(text: str, m: re.Match) -> bool:
    before = text[m.start() - 1] if m.start() > 0 else " "
    return before.isalnum() and bool(_FORMULA_AFTER.match(text, m.end()))


def _join_range(first: str, second: str) -> str:
    """'[4]–[7]': the last number of the first group to the first number of the second."""
    head, _, low = first.rpartition(",")
    high, _, tail = second.partition(",")
    joined = f"{low.strip()}-{high.strip()}"
    return ",".join(p for p in (head, joined, tail) if p)


def sentence_span(
    text: str, start: int, end: int, cache: dict[int, list[int]] | None = None
) -> tuple[int, int]:
    """The sentence around text[start:end], bounded by paragraph breaks and sentence ends.

    Paragraph breaks are found once per text and each paragraph's sentence ends once, so a
    paragraph with 8,000 callouts costs one scan, not 8,000. (`cache` is accepted for old
    callers and no longer needed.)
    """
    return _sentences(text).span(start, end)


class _SentenceIndex:
    """Paragraph breaks of one text, and the sentence ends of each paragraph asked about."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Every "\n\n", overlapping ones included ("\n\n\n" has two), as str.find sees them.
        self.breaks = [m.start() for m in re.finditer(r"(?=\n\n)", text)]
        self.ends: dict[int, list[int]] = {}

    def span(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.breaks, start - 2) - 1
        para_start = self.breaks[i] + 2 if i >= 0 else 0
        j = bisect.bisect_left(self.breaks, end)
        para_end = self.breaks[j] if j < len(self.breaks) else len(self.text)
        ends = self.ends.get(para_start)
        if ends is None:
            ends = self.ends[para_start] = list(_sentence_ends(self.text, para_start, para_end))
        before = bisect.bisect_right(ends, start)
        after = bisect.bisect_right(ends, end)
        left = ends[before - 1] if before else para_start
        right = ends[after] if after < len(ends) else para_end
        if right - left <= _SENTENCE_LIMIT:
            return left, right
        # A "sentence" of a whole unpunctuated page helps nobody: cut it into fixed pieces, so
        # that the callouts of one piece share one sentence string (memory stays linear).
        piece = left + (start - left) // _SENTENCE_LIMIT * _SENTENCE_LIMIT
        return piece, min(right, max(piece + _SENTENCE_LIMIT, end))


_SENTENCE_LIMIT = 1500


@lru_cache(maxsize=2)
def _sentences(text: str) -> _SentenceIndex:
    """The index of a text, built once however many callouts ask (readers ask per callout)."""
    return _SentenceIndex(text)


def _continuation(text: str, end: int, line_starts: list[int], table_lines: set[int]) -> str:
    """The rest of a sentence that a page break or an interleaved table cut off.

    PDF extractions split "...BMSCs 来源外泌体" / Table 1 / "通过 miR-155-5p ...。": when a
    paragraph stops mid-sentence, skip blank and table lines and read on to the sentence end.
    """
    if text[end : end + 2] != "\n\n":
        return ""
    last = end - 1
    while last >= 0 and text[last].isspace():
        last -= 1
    if last < 0 or text[last] in _CJK_END + ".!?:：":
        return ""
    line = bisect.bisect_right(line_starts, end)
    while line < len(line_starts):
        start = line_starts[line]
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        if text[start:stop].strip() and line not in table_lines:
            break
        line += 1
    else:
        return ""
    head = text[start:stop].lstrip()
    if _HEADING_LIKE.match(head):
        return ""
    for sentence_end in _sentence_ends(text, start, min(len(text), start + _SENTENCE_LIMIT)):
        return text[start:sentence_end]
    return text[start:stop]


_SENTENCE_MARKS = re.compile(r"[。！？；.!?;()（）]")


def _sentence_ends(text: str, lo: int, hi: int) -> Iterator[int]:
    """Offsets just after each sentence end inside text[lo:hi] (none inside parentheses)."""
    depth = 0
    for m in _SENTENCE_MARKS.finditer(text, lo, hi):
        ch = m.group()
        i = m.start()
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth:
            continue
        elif (
            ch in _CJK_END
            or _EN_END.match(text, i)
            and not _ABBREVIATIONS.search(text, max(lo, i - 12), i)
        ):
            yield i + 1


def _table_lines(text: str) -> set[int]:
    """0-based lines that belong to tables or captions: tab-separated rows, pipes, captions."""
    lines = set()
    for number, line in enumerate(text.split("\n")):
        if "\t" in line or line.lstrip().startswith("|") or _TABLE_CAPTION.match(line):
            lines.add(number)
    return lines
