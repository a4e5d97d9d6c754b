"""Read a Word (.docx) manuscript: citations however Word holds them, and the reference list.

Citations are read, most exact first: reference-manager fields (Zotero, Mendeley, EndNote,
Word's own CITATION) name the cited works; hyperlinks to a bookmark in a reference entry (what Pandoc, Quarto
and Manubot write, `#ref-key`) name the entry; the rest of the text is scanned like plain
text: bracketed numbers, Science-style `(1-4)` when that is the document's style,
superscript number runs, or author-year cites when the list is unnumbered. The author and
affiliation block before the abstract, and superscripts that are exponents, units or
statistics (10⁵, m², I², R²) are not citations.

The reference list is the bibliography field (ZOTERO_BIBL, Mendeley, EN.REFLIST,
BIBLIOGRAPHY), else the
paragraphs after the last References heading up to the next heading, figure legends or
table; one entry per paragraph. Where the list is a bibliography field or absent, the
items embedded in the citation fields are the bibliography. Locations use the paragraph
number (body paragraphs and table cells in document order, then footnotes and endnotes)
as the line and the offset in the paragraph as the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from citecheck.citations.callouts import author_mention, expand, scan_callouts, sentence_span
from citecheck.model import Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.normalize import has_cjk, one_line
from citecheck.readers.docx_fields import (
    CitedItem,
    cited_items,
    is_bibliography,
    normalized_title,
    word_sources,
)
from citecheck.readers.docx_package import Package
from citecheck.readers.docx_typed import (
    BRACKETS,
    INITIALS,
    NUMERIC,
    PARENTHESES,
    WORD_BEFORE,
    authorless_cites,
    by_initials,
    enumerators,
    loose_author_year,
    superscript_numbers,
    unit_superscripts,
)
from citecheck.readers.docx_xml import Mark, Paragraph, read_paragraphs
from citecheck.readers.errors import ReaderError
from citecheck.readers.text import (
    RawEntry,
    find_reference_heading,
    later_author,
    parse_entries,
    unfound_key_spans,
)

# A typed entry number: "1. ", "[1] ", "1) ", "1\t".
# "[12] ", "12. ", "12) ", "12 " (a bare number of up to three digits: "1000 Genomes Project
# Consortium. (2015)." starts an author-year entry).
_ENTRY_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)](?=\s)|(\d{1,3})(?=\s))\s*")
# Where a reference list ends, when no heading style says so.
_AFTER_LIST = re.compile(
    r"^\s*(?:figures?|fig\.|tables?|figure\s+legends?|legends?|supplementary|supporting|"
    r"appendix|acknowledge?ments?)\b",
    re.IGNORECASE,
)
_NOT_CITED_ABBREVIATIONS = frozenset(
    ["eq", "eqs", "fig", "figs", "no", "nos", "vol", "ch", "sec", "tab"]
)
_MORE_HEADINGS = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references?\s+(?:and|&)\s+notes|references\s+cited|cited\s+literature|"
    r"literature)\s*:?\s*$",
    re.IGNORECASE,
)
# The first heading of the manuscript proper: the title page ends there.
_FRONT_END = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:abstract|summary|introduction|background|main\s+text)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Found:
    """A callout with its span in its paragraph (for masking the text scanner)."""

    start: int
    end: int
    callout: Callout


def read_docx(path: str | Path, refs_path: str | Path | None = None) -> Manuscript:
    """A Manuscript from a .docx file; an unreadable or hostile file is a ReaderError.

    With `refs_path` (a .bib or CSL-JSON) the references come from that file instead of the
    document's own list.
    """
    with Package(path) as package:
        paragraphs = read_paragraphs(package)
        sources: dict[str, dict] = {}
        for part in package.custom_xml_parts():
            sources.update(word_sources(package.xml(part)))
    return _Reader(str(path), paragraphs, sources).manuscript(refs_path)


class _Reader:
    """One document's paragraphs and what has been decided about them."""

    def __init__(self, path: str, paragraphs: list[Paragraph], sources: dict[str, dict]) -> None:
        self.path = path
        self.paragraphs = paragraphs
        self.texts = [p.text for p in paragraphs]
        self.fields = self._citation_fields(sources)
        self.items = _unique_items(self.fields)
        self.list_start, self.list_end, self.list_is_field = self._reference_list()
        self._sentence_ends: dict[int, dict[int, list[int]]] = {}
        self.endnote_numbers: dict[str, int] = {}  # set when the endnotes are the list

    # -- the reference list ------------------------------------------------------------------

    def _reference_list(self) -> tuple[int | None, int, bool]:
        """(first paragraph, end, is a bibliography field) of the printed list."""
        body = [i for i, p in enumerate(self.paragraphs) if p.part == "body"]
        in_field = [
            i
            for i in body
            if any(is_bibliography(f) for f in self.paragraphs[i].fields)
            or any(m.kind == "field" and is_bibliography(m.value) for m in self.paragraphs[i].marks)
        ]
        if in_field:
            return in_field[0], in_field[-1] + 1, True
        candidates = [self.texts[i] if self.paragraphs[i].row is None else "" for i in body]
        heading = find_reference_heading(candidates)
        if heading is None:  # "References and Notes" (Science), "Literature"
            heading = next(
                (
                    i
                    for i in range(len(candidates) - 1, -1, -1)
                    if _MORE_HEADINGS.match(candidates[i])
                ),
                None,
            )
        if heading is None:
            return self._bibliography_styled(body)
        start = body[heading] + 1
        return start, self._list_end(start), False

    def _bibliography_styled(self, body: list[int]) -> tuple[int | None, int, bool]:
        """No heading: the last run of paragraphs styled as bibliography entries (Pandoc's
        "Bibliography", EndNote's "EndNoteBibliography")."""
        styled = [i for i in body if "bibliograph" in self.paragraphs[i].style.lower()]
        if not styled:
            return None, 0, False
        start = styled[-1]
        while start - 1 in styled or (
            start - 1 >= 0 and not self.texts[start - 1].strip() and start - 2 in styled
        ):
            start -= 1
        return start, styled[-1] + 1, False

    def _list_end(self, start: int) -> int:
        """The list runs to the next heading, legend, table or (numbered) unnumbered paragraph."""
        numbered: bool | None = None
        end = start
        for index in range(start, len(self.paragraphs)):
            p = self.paragraphs[index]
            text = p.text.strip()
            if p.part != "body" or p.row is not None:
                break
            if not text:
                continue
            if numbered is None and (p.heading or _AFTER_LIST.match(text)):
                break  # an empty list (a field never updated): the next section is no entry
            is_number = p.numbered or _ENTRY_NUMBER.match(text) is not None
            if numbered is None:
                numbered = is_number
            elif (
                p.heading
                or _AFTER_LIST.match(text)
                or numbered
                and not is_number
                and not self._continues(index)
            ):
                break
            end = index + 1
        return end

    def _continues(self, index: int) -> bool:
        """An unnumbered paragraph inside a numbered list: the next entry follows it."""
        for nxt in range(index + 1, min(index + 3, len(self.paragraphs))):
            text = self.texts[nxt].strip()
            if text:
                return bool(self.paragraphs[nxt].numbered or _ENTRY_NUMBER.match(text))
        return False

    def _printed_entries(self) -> list[RawEntry]:
        """One entry per non-empty paragraph; Word's own numbering is written out."""
        if self.list_start is None:
            return []
        entries: list[RawEntry] = []
        auto = 0
        for index in range(self.list_start, self.list_end):
            p = self.paragraphs[index]
            text = one_line(p.text)
            if not text:
                continue
            m = _ENTRY_NUMBER.match(text)
            number = None
            if m:
                number = int(m.group(1) or m.group(2) or m.group(3))
                text = text[m.end() :]
            elif p.numbered:
                auto += 1
                number = auto
            elif entries and self._numbered_list():
                # A stray paragraph inside a numbered list continues the entry before it.
                last = entries[-1]
                entries[-1] = RawEntry(last.number, f"{last.text} {text}", last.location)
                continue
            entries.append(RawEntry(number, text, Location(self.path, index + 1)))
        return entries

    def _numbered_list(self) -> bool:
        texts = [
            (self.paragraphs[i], self.texts[i].strip())
            for i in range(self.list_start or 0, self.list_end)
        ]
        texts = [(p, t) for p, t in texts if t]
        numbered = sum(1 for p, t in texts if p.numbered or _ENTRY_NUMBER.match(t))
        return bool(texts) and numbered * 2 >= len(texts)

    # -- citation fields ---------------------------------------------------------------------

    def _citation_fields(
        self, sources: dict[str, dict]
    ) -> dict[int, list[tuple[Mark, list[CitedItem]]]]:
        found: dict[int, list[tuple[Mark, list[CitedItem]]]] = {}
        for index, p in enumerate(self.paragraphs):
            for mark in p.marks:
                if mark.kind != "field":
                    continue
                items = cited_items(mark.value, mark.data, sources)
                if items:
                    found.setdefault(index, []).append((mark, items))
        return found

    def _numeric_fields(self) -> bool:
        """Do the citation fields print numbers ("(1)", "2-4", "[5]")?"""
        shown = [
            self.texts[i][m.start : m.end] for i, marks in self.fields.items() for m, _ in marks
        ]
        numeric = sum(1 for s in shown if NUMERIC.match(s))
        return bool(shown) and numeric * 2 > len(shown)

    # -- the manuscript ----------------------------------------------------------------------

    def manuscript(self, refs_path: str | Path | None) -> Manuscript:
        numeric_fields = self._numeric_fields() if self.fields else None
        unparsed: tuple[UnparsedEntry, ...] = ()
        if refs_path is not None:
            from citecheck.readers.pandoc import read_bibliography

            references, unparsed = read_bibliography(Path(refs_path))
            linked = _link_items(self.items, references)
        else:
            printed, unparsed = parse_entries(self._printed_entries())
            if self.items and (self.list_is_field or not printed):
                references = self._item_bibliography(printed, bool(numeric_fields))
                unparsed = ()
            else:
                references = printed
            if not printed and not self.items:
                references = self._endnote_bibliography()
            if not references and not unparsed and self.list_start is None:
                raise ReaderError(
                    self.path,
                    None,
                    "no reference list found (expected a heading such as 'References', a "
                    "reference manager's bibliography or citation fields; or pass the list "
                    "with --refs)",
                )
            linked = _link_items(self.items, references)
        if numeric_fields is not None:
            numbered = numeric_fields
        else:
            numbered = any(r.number is not None for r in references) or not references
        if not numbered:
            from citecheck.readers.keyed import number_in_order

            references = number_in_order(references)
            linked = _link_items(self.items, references)
        if numbered:
            self._bracket_superscripts(
                max((r.number for r in references if r.number is not None), default=0)
            )
        callouts = self._callouts(references, linked, numbered)
        location = None
        if self.list_start is not None:  # the heading, or the field's first paragraph
            location = Location(self.path, self.list_start + (1 if self.list_is_field else 0))
        elif self.endnote_numbers:
            location = references[0].location
        return Manuscript(
            path=self.path,
            references=references,
            callouts=tuple(callouts),
            unparsed=unparsed,
            numbered=numbered,
            reference_list_location=location,
            bibliography_is_database=bool(self.items) and self.list_start is None,
        )

    def _endnote_bibliography(self) -> tuple[Reference, ...]:
        """Endnotes as the numbered list, when nearly all of them read as references.

        Word numbers endnotes in order of their marks in the text, so the n-th endnote
        mark cites entry n. Footnotes are not taken: note-style footnotes repeat works
        ("Ibid.") and mix comments with citations.
        """
        order = list(
            dict.fromkeys(
                m.value
                for p in self.paragraphs
                if p.part == "body"
                for m in p.marks
                if m.kind == "note" and m.value.startswith("endnote:")
            )
        )
        first: dict[str, int] = {}
        texts: dict[str, list[str]] = {}
        for index, p in enumerate(self.paragraphs):
            if p.note in order and p.text.strip():
                first.setdefault(p.note, index)
                texts.setdefault(p.note, []).append(one_line(p.text))
        entries = [
            RawEntry(
                number,
                _ENTRY_NUMBER.sub("", " ".join(texts[note]), count=1),
                Location(self.path, first[note] + 1),
            )
            for number, note in enumerate(order, start=1)
            if note in texts
        ]
        references, _ = parse_entries(entries)
        looks = sum(1 for r in references if r.year and r.authors and (r.title or r.container))
        if not entries or looks * 10 < len(entries) * 8:
            return ()
        self.endnote_numbers = {note: n for n, note in enumerate(order, start=1)}
        return references

    def _item_bibliography(
        self, printed: tuple[Reference, ...], numeric: bool
    ) -> tuple[Reference, ...]:
        """The embedded items as the bibliography, numbered and placed by the printed list."""
        from citecheck.readers.pandoc import csl_item_to_reference

        linked = _link_items(self.items, printed)
        shown = self._shown_numbers()
        references: list[Reference] = []
        used: set[str] = set()
        for item in self.items.values():
            entry = linked.get(item.key)
            if entry is not None:
                ref = csl_item_to_reference(item.csl, entry.location)
                ref = replace(ref, number=entry.number, raw=entry.raw)
                used.add(entry.key)
            else:
                line = self._first_citation_line(item.key)
                ref = csl_item_to_reference(item.csl, Location(self.path, line))
                if numeric:
                    ref = replace(ref, number=shown.get(item.key))
            references.append(ref)
        keys = {r.key for r in references}
        references.extend(r for r in printed if r.key not in used and r.key not in keys)
        return tuple(references)

    def _shown_numbers(self) -> dict[str, int]:
        """Item key -> the number a one-item numeric citation field prints for it."""
        shown: dict[str, int] = {}
        for index, marks in self.fields.items():
            for mark, items in marks:
                m = NUMERIC.match(self.texts[index][mark.start : mark.end])
                numbers = expand(m.group(1))[0] if m else ()
                if len(items) == 1 and len(numbers) == 1:
                    shown.setdefault(items[0].key, numbers[0])
        return shown

    def _first_citation_line(self, key: str) -> int | None:
        for index, marks in self.fields.items():
            if any(item.key == key for _, items in marks for item in items):
                return index + 1
        return None

    # -- callouts ----------------------------------------------------------------------------

    def _callouts(
        self,
        references: tuple[Reference, ...],
        linked: dict[str, Reference],
        numbered: bool,
    ) -> list[Callout]:
        # Only bookmarks inside the printed list name entries ("ref-smith2019", "_Ref123").
        listed = (
            range(self.list_start + 1, self.list_end + 1) if self.list_start is not None else ()
        )
        by_location = {
            r.location.line: r
            for r in references
            if r.location.path == self.path and r.location.line in listed
        }
        anchors = {
            name: by_location[i + 1]
            for i, p in enumerate(self.paragraphs)
            if i + 1 in by_location
            for name in p.bookmarks
        }
        by_number = {r.number: r for r in references if r.number is not None}
        front = self._front_end()
        # A document that cites by links (Pandoc, Quarto) has no typed "(1)" citations: its
        # parenthesised numbers are equations and enumerations.
        linked_doc = any(
            m.kind == "link" and m.value[1:] in anchors for p in self.paragraphs for m in p.marks
        )
        highest = max((r.number for r in references if r.number is not None), default=0)
        parentheses = numbered and not linked_doc and self._parenthesis_style(front, highest)
        callouts: list[Callout] = []
        for index, p in enumerate(self.paragraphs):
            if self.list_start is not None and self.list_start <= index < self.list_end:
                continue
            if self.endnote_numbers and p.part == "endnote":
                continue  # the endnotes are the list
            found = self._field_callouts(index, linked, references, numbered)
            found += self._endnote_callouts(index, found)
            found += self._link_callouts(index, anchors, found, by_number)
            if (index >= front or p.part != "body") and not p.code:
                found += self._text_callouts(
                    index, found, numbered, parentheses, highest, references
                )
            found.sort(key=lambda f: f.start)
            after_list = self.list_start is not None and index >= self.list_end
            callouts.extend(self._in_context(index, f.callout, after_list) for f in found)
        return callouts

    def _field_callouts(
        self,
        index: int,
        linked: dict[str, Reference],
        references: tuple[Reference, ...],
        numbered: bool,
    ) -> list[_Found]:
        text = self.texts[index]
        found = []
        for mark, items in self.fields.get(index, []):
            shown = text[mark.start : mark.end]
            refs = [linked[item.key] for item in items if item.key in linked]
            keys = tuple(dict.fromkeys(r.key for r in refs))
            numbers = tuple(dict.fromkeys(r.number for r in refs if r.number is not None))
            if len(refs) < len(items):  # an item the list lacks: what the field prints
                m = NUMERIC.match(shown)
                if m and numbered:
                    numbers = tuple(dict.fromkeys(numbers + expand(m.group(1))[0]))
                elif not numbered:
                    from citecheck.citations.authoryear import link_author_year

                    more = link_author_year(shown, references)
                    keys = tuple(dict.fromkeys(keys + tuple(r.key for r in more)))
                    numbers = tuple(
                        dict.fromkeys(numbers + tuple(r.number for r in more if r.number))
                    )
                    if not more:
                        keys += (one_line(shown).strip("()[] ") or items[0].key,)
            numbers = tuple(sorted(numbers)) if numbered else numbers
            found.append(self._make(index, mark.start, mark.end, numbers, keys, numbered))
        return found

    def _endnote_callouts(self, index: int, taken: list[_Found]) -> list[_Found]:
        """An endnote mark cites the entry its endnote holds."""
        found = []
        for mark in self.paragraphs[index].marks:
            number = self.endnote_numbers.get(mark.value) if mark.kind == "note" else None
            if number is not None and not any(f.start <= mark.start < f.end for f in taken):
                made = self._make(index, mark.start, mark.end, (number,), (), True)
                found.append(replace(made, callout=replace(made.callout, text=str(number))))
        return found

    def _link_callouts(
        self,
        index: int,
        anchors: dict[str, Reference],
        taken: list[_Found],
        by_number: dict[int, Reference],
    ) -> list[_Found]:
        """Hyperlinks to a bookmark in a reference entry; adjacent ones are one citation.

        Pandoc links only the ends of a collapsed range ("(2–5)": 2 and 5), so a dash
        between two linked numbers cites the entries between them too.
        """
        text = self.texts[index]
        groups: list[tuple[int, int, list[Reference]]] = []
        for mark in self.paragraphs[index].marks:
            if mark.kind != "link" or not mark.value.startswith("#"):
                continue
            ref = anchors.get(mark.value[1:])
            if ref is None or any(f.start <= mark.start < f.end for f in taken):
                continue
            gap = text[groups[-1][1] : mark.start] if groups else None
            if gap is not None and re.fullmatch(r"[\s,;–—-]{0,4}", gap):
                refs = groups[-1][2]
                low, high = refs[-1].number, ref.number
                if gap.strip() in ("-", "–", "—") and low is not None and high is not None:
                    refs = refs + [by_number[n] for n in range(low + 1, high) if n in by_number]
                groups[-1] = (groups[-1][0], mark.end, refs + [ref])
            else:
                groups.append((mark.start, mark.end, [ref]))
        found = []
        for start, end, refs in groups:
            printed = NUMERIC.match(text[start:end])
            if printed:  # "[23-25](#_ENREF_23)": one link on a printed range cites all of it
                shown = [by_number[n] for n in expand(printed.group(1))[0] if n in by_number]
                refs = shown if {r.key for r in refs} <= {r.key for r in shown} else refs
            keys = tuple(dict.fromkeys(r.key for r in refs))
            numbers = tuple(dict.fromkeys(r.number for r in refs if r.number is not None))
            if text[start - 1 : start] in ("(", "[") and text[end : end + 1] in (")", "]"):
                start, end = start - 1, end + 1  # "Wu et al. (<link>5</link>)": the mention
            found.append(self._make(index, start, end, numbers, keys, True))
        return found

    def _text_callouts(
        self,
        index: int,
        taken: list[_Found],
        numbered: bool,
        parentheses: bool,
        highest: int,
        references: tuple[Reference, ...],
    ) -> list[_Found]:
        """Typed citations outside fields and links."""
        text = self.texts[index]
        code = [(m.start, m.end) for m in self.paragraphs[index].marks if m.kind == "code"]
        masked = _mask(text, [(f.start, f.end) for f in taken] + code)
        masked, unfound = unfound_key_spans(masked)  # citeproc's "(13,chen2020volume?)"
        found = [self._make(index, a, b, (), (key,), numbered) for a, b, key in unfound]
        if not numbered:
            return found + self._author_year(index, masked, references)
        masked = _mask(masked, unit_superscripts(masked))
        for callout in scan_callouts(masked, self.path, line_offset=index):
            start = (callout.location.column or 1) - 1
            end = start + len(callout.text)
            left, right = self._span(index, start, end)
            callout = replace(callout, sentence=one_line(text[left:right]))
            found.append(_Found(start, end, callout))
        if parentheses:
            enumerated = enumerators(masked)
            for m in PARENTHESES.finditer(masked):
                word = WORD_BEFORE.search(masked, 0, m.start())
                if word and _function_or_equation(word.group()):
                    continue  # f(1), Eq(2), x_1(2), Eq.(2): functions and equations
                if m.start() in enumerated:
                    continue
                numbers, problem = expand(m.group(1))
                if problem or not numbers or max(numbers) > highest:
                    continue
                found.append(self._make(index, m.start(), m.end(), numbers, (), True))
        return found

    def _author_year(
        self, index: int, masked: str, references: tuple[Reference, ...]
    ) -> list[_Found]:
        from citecheck.citations.authoryear import (
            candidates,
            link_callout,
            parse_cites,
            scan_author_year,
        )

        # "(H. Chitsaz et al. 2011a)": initials before a cited name are blanked (same length)
        # and kept to tell apart same-name, same-year entries ("K. J. Hansford et al. 2023").
        initials = {m.end(): m.group() for m in INITIALS.finditer(masked)}
        masked = INITIALS.sub(lambda m: " " * len(m.group()), masked)
        found = self._titled_cites(index, masked, references)
        masked = _mask(masked, [(f.start, f.end) for f in found])
        for callout in scan_author_year(masked, self.path, line_offset=index):
            refs = link_callout(callout, references) or loose_author_year(callout, references)
            refs = refs or later_author(callout, references)  # 'Cain et al. (2012)'
            if not refs and not references:
                continue
            start = (callout.location.column or 1) - 1
            if not refs:
                fits = [
                    r for cite in parse_cites(callout.text) for r in candidates(cite, references)
                ]
                fits = by_initials(fits, initials.get(start, ""))
                if len(set(fits)) == 1:
                    refs = (fits[0],)
                elif fits:
                    continue  # it fits several entries: cannot tell which, so say nothing
            keys = tuple(r.key for r in refs) or (callout.text,)
            numbers = tuple(r.number for r in refs if r.number is not None)
            mention = re.sub(
                r"\s*(?:et\s+al\.?|and\s+colleagues|等人?)\s*$", "", callout.author_mention
            ).strip()
            found.append(
                _Found(
                    start,
                    start + len(callout.text),
                    replace(callout, keys=keys, numbers=numbers, author_mention=mention),
                )
            )
        return found

    def _titled_cites(
        self, index: int, masked: str, references: tuple[Reference, ...]
    ) -> list[_Found]:
        """'(“3d Slicer Extension Manager User Guide” 2024)': a work without authors is cited
        by its title; it names the one entry that starts with that title and has that year."""
        found = []
        for m, entry in authorless_cites(masked, references):  # and "(Hosder et al., n.d.)"
            made = self._make(index, m.start(), m.end(), (), (entry.key,), False)
            numbers = (entry.number,) if entry.number is not None else ()
            found.append(replace(made, callout=replace(made.callout, numbers=numbers)))
        return found

    def _make(
        self,
        index: int,
        start: int,
        end: int,
        numbers: tuple[int, ...],
        keys: tuple[str, ...],
        numbered: bool,
    ) -> _Found:
        text = self.texts[index]
        left, right = self._span(index, start, end)
        mention = author_mention(text[left:start], text[end:right]) if numbered else ""
        callout = Callout(
            location=Location(self.path, index + 1, start + 1),
            text=one_line(text[start:end]),
            numbers=numbers,
            sentence=one_line(text[left:right]),
            author_mention=mention,
            keys=keys,
        )
        return _Found(start, end, callout)

    def _span(self, index: int, start: int, end: int) -> tuple[int, int]:
        """The sentence around text[start:end]; each paragraph's sentence ends found once."""
        cache = self._sentence_ends.setdefault(index, {})
        return sentence_span(self.texts[index], start, end, cache)

    def _in_context(self, index: int, callout: Callout, after_list: bool) -> Callout:
        """Table cells read with their row; legends and tables are not running text."""
        row = self.paragraphs[index].row
        if row is not None:
            context = one_line("\t".join(self.texts[i] for i in row))
            return replace(callout, in_running_text=False, sentence=context)
        if after_list:
            return replace(callout, in_running_text=False)
        return callout

    def _bracket_superscripts(self, highest: int) -> None:
        """Superscript citation runs are written "[1-3]", so sentences read "pain[1-3]." and
        the bracket scanner finds them; exponents, units and the title page stay as they are,
        and so do table footnote marks ("Age⁴" where the list stops at 3)."""
        front = self._front_end()
        for index, p in enumerate(self.paragraphs):
            in_list = self.list_start is not None and self.list_start <= index < self.list_end
            if in_list or (index < front and p.part == "body"):
                continue
            text, marks = p.text, list(p.marks)
            citing = [m for m in marks if m.kind == "field" and index in self.fields]
            for position in range(len(marks)):
                mark = marks[position]
                if mark.kind != "super":
                    continue
                if any(
                    m.kind == "link" and m.start < mark.end and mark.start < m.end for m in marks
                ):
                    continue  # a linked citation ("[1]" linking "1"): read as a link
                in_field = any(f.start <= mark.start and mark.end <= f.end for f in citing)
                numbers = superscript_numbers(text, mark, in_field)
                if not numbers or (p.row is not None and not in_field and max(numbers) > highest):
                    continue
                shown = "[" + NUMERIC.match(text[mark.start : mark.end]).group(1) + "]"
                delta = len(shown) - (mark.end - mark.start)
                text = text[: mark.start] + shown + text[mark.end :]
                marks = [_shift(m, mark.start, mark.end, delta) for m in marks]
            if text != p.text:
                self.paragraphs[index] = replace(p, text=text, marks=tuple(marks))
                self.texts[index] = text
                moved = dict(zip(p.marks, marks, strict=True))
                if index in self.fields:
                    self.fields[index] = [(moved[m], items) for m, items in self.fields[index]]

    def _front_end(self) -> int:
        """The first paragraph after the title page (author and affiliation block)."""
        body = [i for i, p in enumerate(self.paragraphs) if p.part == "body"]
        limit = body[len(body) // 2] if body else 0
        for index in body:
            if index > limit:
                break
            text = self.texts[index].strip()
            if len(text) <= 60 and _FRONT_END.match(text):
                return index
        return 0

    def _parenthesis_style(self, front: int, highest: int) -> bool:
        """Does the text cite as "(1)", "(2-4)" (and not mostly in brackets)?

        Three such citations, or fewer that cite at least half of a short list.
        """
        if self.fields:
            return self._numeric_fields() and any(
                self.texts[i][m.start : m.end].lstrip().startswith("(")
                for i, marks in self.fields.items()
                for m, _ in marks
            )
        parentheses = brackets = 0
        cited: set[int] = set()
        end = self.list_start if self.list_start is not None else len(self.texts)
        for p in self.paragraphs[front:end]:
            if p.code:
                continue
            text = _mask(p.text, [(m.start, m.end) for m in p.marks if m.kind == "code"])
            for m in PARENTHESES.finditer(text):
                numbers, problem = expand(m.group(1))
                if numbers and not problem and max(numbers) <= highest:
                    parentheses += 1
                    cited.update(numbers)
            brackets += len(BRACKETS.findall(text))
        enough = parentheses >= 3 or (highest and len(cited) * 2 >= highest)
        return bool(enough) and parentheses > brackets


def _function_or_equation(glued: str) -> bool:
    """The word glued to "(n)" makes it no citation: "f(1)", "x_1(2)", "Eq.(3)"; a sentence
    end, "exactness.(1,2)", or "et al.(4)" does not."""
    if glued.endswith(".") and "." not in glued[:-1]:
        return glued[:-1].lower() in _NOT_CITED_ABBREVIATIONS
    if has_cjk(glued[-1]):
        return False  # "专利文献(5, 11)": Chinese prose has no spaces
    return len(glued) <= 3 or not glued.isalpha()


def _unique_items(
    fields: dict[int, list[tuple[Mark, list[CitedItem]]]],
) -> dict[str, CitedItem]:
    """Every cited item once, in order of first citation."""
    items: dict[str, CitedItem] = {}
    for index in sorted(fields):
        for _, cited in fields[index]:
            for item in cited:
                items.setdefault(item.key, item)
    return items


def _link_items(
    items: dict[str, CitedItem], references: tuple[Reference, ...]
) -> dict[str, Reference]:
    """Item key -> the reference entry it is: same key, title, DOI, or first author and year."""
    by_key = {r.key: r for r in references}
    linked: dict[str, Reference] = {}
    prepared = [(r, normalized_title(r.raw), normalized_title(r.title)) for r in references]
    for key, item in items.items():
        if key in by_key:
            linked[key] = by_key[key]
            continue
        ref = _match_item(item.csl, prepared)
        if ref is not None:
            linked[key] = ref
    return linked


def _match_item(csl: dict, prepared: list[tuple[Reference, str, str]]) -> Reference | None:
    doi = str(csl.get("DOI", "")).lower()
    if doi:
        fits = [r for r, _, _ in prepared if r.doi and r.doi.lower() == doi]
        if len(fits) == 1:
            return fits[0]
    title = normalized_title(str(csl.get("title", "")))[:60]
    if len(title) >= 12:
        fits = [r for r, raw, own in prepared if title in raw or (own and own[:60] == title)]
        if len(fits) == 1:
            return fits[0]
    authors = csl.get("author") or []
    family = normalized_title(str(authors[0].get("family", ""))) if authors else ""
    parts = (csl.get("issued") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    if family and year:
        fits = [
            r
            for r, raw, _ in prepared
            if r.year == year and r.authors and normalized_title(r.authors[0].family) == family
        ]
        if len(fits) == 1:
            return fits[0]
    return None


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Spaces over spans already read, so the text scanner does not read them twice."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _shift(mark: Mark, start: int, end: int, delta: int) -> Mark:
    """A mark after text[start:end] was replaced by text `delta` characters longer."""
    if mark.start >= end:
        return replace(mark, start=mark.start + delta, end=mark.end + delta)
    if mark.start <= start and mark.end >= end:
        return replace(mark, end=mark.end + delta)
    return mark
