"""WordprocessingML -> plain paragraphs with marks: what a reader sees, and what Word knows about it.

python-docx's `paragraph.runs` skips runs inside hyperlinks, fields and content controls,
which is where Pandoc, Zotero, Mendeley and EndNote put citations. This walker reads every
visible run in document order (hyperlinks, simple and complex fields, tracked insertions,
content controls, tables, footnotes and endnotes) and keeps, as offsets into the
paragraph's text, the marks a citation reader needs: field instructions (with EndNote's
base64 `fldData`), hyperlink targets and superscript runs. Deleted text, field codes and
drawings are not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from citecheck.readers.docx_package import NOTE_PARTS, STYLES, Package, W

_W = f"{{{W}}}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Containers whose children are read as if they were in the paragraph itself.
_INLINE_CONTAINERS = {
    f"{_W}ins",
    f"{_W}smartTag",
    f"{_W}customXml",
    f"{_W}moveTo",
    f"{_W}dir",
    f"{_W}bdo",
}
_HIDDEN = {f"{_W}del", f"{_W}moveFrom"}
_MAX_DEPTH = 200  # nested tables/controls deeper than this are not a manuscript


@dataclass(frozen=True)
class Mark:
    """A span of a paragraph's text that Word marks: a field result, a hyperlink, a superscript.

    `value` is the field instruction, or the link target ("#anchor" or a URL); `data` is a
    field's fldData (EndNote's base64 citation record) including its nested fields'.
    """

    start: int
    end: int
    kind: str  # "field", "link" or "super"
    value: str = ""
    data: str = ""


@dataclass(frozen=True)
class Paragraph:
    """One Word paragraph as text, with its marks and what kind of paragraph it is."""

    text: str
    marks: tuple[Mark, ...] = ()
    part: str = "body"  # "body", "footnote" or "endnote"
    style: str = ""
    numbered: bool = False  # Word's own list numbering applies
    heading: bool = False
    row: tuple[int, ...] | None = None  # indices of every paragraph of its table row
    fields: tuple[str, ...] = ()  # instructions of fields whose result spans paragraphs
    bookmarks: tuple[str, ...] = ()
    note: str = ""  # "footnote:2" / "endnote:5" for a note's paragraphs
    code: bool = False  # a code paragraph style (Pandoc's "SourceCode", "HTML Preformatted")


@dataclass
class _Builder:
    part: str
    parts: list[str] = field(default_factory=list)
    length: int = 0
    marks: list[Mark] = field(default_factory=list)
    style: str = ""
    numbered: bool = False
    heading: bool = False
    row: tuple[int, ...] | None = None
    fields: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    note: str = ""
    code: bool = False

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)


@dataclass
class _Field:
    instruction: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    result: bool = False
    start: tuple[int, int] = (0, 0)  # (paragraph index, offset) where the result starts


@dataclass(frozen=True)
class _Style:
    superscript: bool | None = None
    numbered: bool = False
    heading: bool = False
    code: bool = False


def read_paragraphs(package: Package) -> list[Paragraph]:
    """Body paragraphs (tables included) in order, then footnotes, then endnotes."""
    styles = _styles(package.xml(STYLES))
    walker = _Walker(styles, package.relationships())
    root = package.xml("word/document.xml")
    body = root.find(f"{_W}body") if root is not None else None
    if body is not None:
        walker.blocks(body, "body", 0)
    for part_name, kind in zip(NOTE_PARTS, ("footnote", "endnote"), strict=True):
        notes = package.xml(part_name)
        if notes is None:
            continue
        for note in notes.iter(f"{_W}{kind}"):
            if note.get(f"{_W}type") in (
                "separator",
                "continuationSeparator",
                "continuationNotice",
            ):
                continue
            walker.note = f"{kind}:{note.get(f'{_W}id') or ''}"
            walker.blocks(note, kind, 0)
    return walker.finish()


class _Walker:
    """Walks block and run content, keeping the field stack across paragraphs."""

    def __init__(self, styles: dict[str, _Style], relationships: dict[str, str]) -> None:
        self.styles = styles
        self.relationships = relationships
        self.paragraphs: list[_Builder] = []
        self.fields: list[_Field] = []
        self.pending_bookmarks: list[str] = []
        self.note = ""  # the note being read

    # -- blocks ------------------------------------------------------------------------------

    def blocks(self, container: etree._Element, part: str, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        for child in container:
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child, part)
            elif tag == f"{_W}tbl":
                self.table(child, part, depth)
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self.blocks(content, part, depth + 1)
            elif tag in (f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
                self.blocks(child, part, depth + 1)
            elif tag == f"{_W}bookmarkStart":
                self.pending_bookmarks.append(child.get(f"{_W}name") or "")

    def table(self, table: etree._Element, part: str, depth: int) -> None:
        for row in table.iter(f"{_W}tr"):
            if _nearest_table(row) is not table:
                continue  # a nested table's row: read with its own table
            first = len(self.paragraphs)
            for cell in row:
                if cell.tag == f"{_W}tc":
                    self.blocks(cell, part, depth + 1)
                elif cell.tag == f"{_W}sdt":
                    content = cell.find(f"{_W}sdtContent")
                    for tc in content if content is not None else ():
                        if tc.tag == f"{_W}tc":
                            self.blocks(tc, part, depth + 1)
            indices = tuple(range(first, len(self.paragraphs)))
            for index in indices:
                if self.paragraphs[index].row is None:
                    self.paragraphs[index].row = indices

    def paragraph(self, p: etree._Element, part: str) -> None:
        builder = _Builder(part=part, note=self.note if part != "body" else "")
        builder.bookmarks.extend(self.pending_bookmarks)
        self.pending_bookmarks = []
        ppr = p.find(f"{_W}pPr")
        style = self._paragraph_style(ppr)
        builder.style = style
        info = self.styles.get(style, _Style())
        builder.code = info.code
        own = _numbering(ppr)
        builder.numbered = own if own is not None else info.numbered
        builder.heading = info.heading or (
            ppr is not None and ppr.find(f"{_W}outlineLvl") is not None
        )
        self.paragraphs.append(builder)
        for field_ in self.fields:  # a field whose result began in an earlier paragraph
            if field_.result and field_.start[0] < len(self.paragraphs) - 1:
                builder.fields.append("".join(field_.instruction).strip())
        self.inline(p, builder, 0)

    # -- runs --------------------------------------------------------------------------------

    def inline(self, element: etree._Element, builder: _Builder, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        for child in element:
            tag = child.tag
            if tag == f"{_W}r":
                self.run(child, builder)
            elif tag == f"{_W}hyperlink":
                anchor = child.get(f"{_W}anchor")
                target = (
                    f"#{anchor}" if anchor else self.relationships.get(child.get(_R_ID, ""), "")
                )
                start = builder.length
                self.inline(child, builder, depth + 1)
                if target and builder.length > start:
                    builder.marks.append(Mark(start, builder.length, "link", target))
            elif tag == f"{_W}fldSimple":
                start = builder.length
                self.inline(child, builder, depth + 1)
                instruction = (child.get(f"{_W}instr") or "").strip()
                builder.marks.append(Mark(start, builder.length, "field", instruction))
                target = _hyperlink_field(instruction)
                if target and builder.length > start:
                    builder.marks.append(Mark(start, builder.length, "link", target))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    self.inline(content, builder, depth + 1)
            elif tag in _INLINE_CONTAINERS:
                self.inline(child, builder, depth + 1)
            elif tag == f"{_W}bookmarkStart":
                builder.bookmarks.append(child.get(f"{_W}name") or "")

    def run(self, r: etree._Element, builder: _Builder) -> None:
        rpr = r.find(f"{_W}rPr")
        superscript = self._superscript(rpr)
        style = rpr.find(f"{_W}rStyle") if rpr is not None else None
        code = style is not None and self.styles.get(style.get(f"{_W}val") or "", _Style()).code
        start = builder.length
        for child in r:
            tag = child.tag
            if tag == f"{_W}fldChar":
                self.field_char(child, builder)
            elif tag == f"{_W}instrText":
                if self.fields and not self.fields[-1].result:
                    self.fields[-1].instruction.append(child.text or "")
            elif tag in _NOTE_REFERENCES and self.visible():
                # Where Word prints a note's number: a zero-width "note" mark.
                note = f"{_NOTE_REFERENCES[tag]}:{child.get(f'{_W}id') or ''}"
                builder.marks.append(Mark(builder.length, builder.length, "note", note))
            elif self.visible():
                text = _RUN_TEXT.get(tag)
                if text is None and tag == f"{_W}t":
                    text = child.text or ""
                if text:
                    begin = builder.length
                    builder.add(text)
                    if superscript:
                        _extend_super(builder.marks, begin, builder.length)
        if code and builder.length > start:  # inline code ("VerbatimChar"): not prose
            builder.marks.append(Mark(start, builder.length, "code"))

    def visible(self) -> bool:
        """Text shows only when no enclosing field is still in its instruction part."""
        return all(f.result for f in self.fields)

    def field_char(self, char: etree._Element, builder: _Builder) -> None:
        kind = char.get(f"{_W}fldCharType")
        if kind == "begin":
            data = char.find(f"{_W}fldData")
            new = _Field()
            if data is not None and data.text:
                new.data.append(data.text)
            self.fields.append(new)
        elif kind == "separate" and self.fields:
            self.fields[-1].result = True
            self.fields[-1].start = (len(self.paragraphs) - 1, builder.length)
        elif kind == "end" and self.fields:
            done = self.fields.pop()
            instruction = "".join(done.instruction).strip()
            data = "|".join(done.data)  # "|" is no base64 character: chunks stay apart
            if self.fields:  # EN.CITE.DATA's record belongs to the EN.CITE around it
                self.fields[-1].data.extend(done.data)
            if done.result:
                self._mark_field(done, instruction, data, builder)

    def _mark_field(self, done: _Field, instruction: str, data: str, builder: _Builder) -> None:
        first, offset = done.start
        last = len(self.paragraphs) - 1
        if first == last:
            builder.marks.append(Mark(offset, builder.length, "field", instruction, data))
            target = _hyperlink_field(instruction)
            if target and builder.length > offset:
                builder.marks.append(Mark(offset, builder.length, "link", target))
            return
        for index in range(first, last + 1):
            target = self.paragraphs[index]
            start = offset if index == first else 0
            target.marks.append(Mark(start, target.length, "field", instruction, data))
            if instruction not in target.fields:
                target.fields.append(instruction)

    # -- styles ------------------------------------------------------------------------------

    def _paragraph_style(self, ppr: etree._Element | None) -> str:
        node = ppr.find(f"{_W}pStyle") if ppr is not None else None
        return (node.get(f"{_W}val") or "") if node is not None else ""

    def _superscript(self, rpr: etree._Element | None) -> bool:
        if rpr is None:
            return False
        align = rpr.find(f"{_W}vertAlign")
        if align is not None:
            return align.get(f"{_W}val") == "superscript"
        style = rpr.find(f"{_W}rStyle")
        if style is not None:
            return bool(self.styles.get(style.get(f"{_W}val") or "", _Style()).superscript)
        return False

    def finish(self) -> list[Paragraph]:
        return [
            Paragraph(
                text="".join(b.parts),
                marks=tuple(sorted(b.marks, key=lambda m: (m.start, -m.end))),
                part=b.part,
                style=b.style,
                numbered=b.numbered,
                heading=b.heading,
                row=b.row,
                fields=tuple(dict.fromkeys(b.fields)),
                bookmarks=tuple(n for n in b.bookmarks if n),
                note=b.note,
                code=b.code,
            )
            for b in self.paragraphs
        ]


_NOTE_REFERENCES = {f"{_W}footnoteReference": "footnote", f"{_W}endnoteReference": "endnote"}
# Run children that stand for text.
_RUN_TEXT = {
    f"{_W}tab": " ",
    f"{_W}ptab": " ",
    f"{_W}br": " ",
    f"{_W}cr": " ",
    f"{_W}noBreakHyphen": "-",
    f"{_W}softHyphen": "",
}


# `HYPERLINK "url"`, `HYPERLINK \l "bookmark"`, and Word's cross-reference `REF _Ref123 \h`.
_HYPERLINK_FIELD = re.compile(
    r'^\s*(?:HYPERLINK\s+(?:\\l\s+"(?P<anchor>[^"]+)"|"(?P<url>[^"]+)")|REF\s+(?P<ref>[^\s\\]+))'
)


def _hyperlink_field(instruction: str) -> str:
    """Where a hyperlink or cross-reference field points ("#bookmark" or a URL), else ''."""
    m = _HYPERLINK_FIELD.match(instruction)
    if not m:
        return ""
    anchor = m.group("anchor") or m.group("ref")
    return f"#{anchor}" if anchor else m.group("url")


def _extend_super(marks: list[Mark], start: int, end: int) -> None:
    """Adjacent superscript runs are one superscript span."""
    if marks and marks[-1].kind == "super" and marks[-1].end == start:
        marks[-1] = Mark(marks[-1].start, end, "super")
    else:
        marks.append(Mark(start, end, "super"))


# Styles for program code: Pandoc's SourceCode/VerbatimChar, Word's HTML Code/Preformatted.
_CODE_STYLE = re.compile(
    r"verbatim|sourcecode|source\s+code|\bcode\b|preformatted|macro", re.IGNORECASE
)


def _numbering(ppr: etree._Element | None) -> bool | None:
    """Does this pPr number the paragraph? None when it says nothing (the style decides);
    numId 0 is Word's way of switching a style's numbering off."""
    num = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num is None:
        return None
    num_id = num.find(f"{_W}numId")
    return num_id is None or (num_id.get(f"{_W}val") or "0") != "0"


def _nearest_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != f"{_W}tbl":
        parent = parent.getparent()
    return parent


def _styles(root: etree._Element | None) -> dict[str, _Style]:
    """styleId -> what matters here, with basedOn inheritance resolved."""
    if root is None:
        return {}
    raw: dict[str, tuple[str, bool | None, bool, bool, bool]] = {}
    for style in root.iter(f"{_W}style"):
        sid = style.get(f"{_W}styleId") or ""
        based = style.find(f"{_W}basedOn")
        name = style.find(f"{_W}name")
        name_text = (name.get(f"{_W}val") or "") if name is not None else ""
        align = style.find(f"{_W}rPr/{_W}vertAlign")
        superscript = None if align is None else align.get(f"{_W}val") == "superscript"
        numbered = bool(_numbering(style.find(f"{_W}pPr")))
        heading = (
            style.find(f"{_W}pPr/{_W}outlineLvl") is not None
            or name_text.lower().startswith(("heading", "title"))
            or sid.lower().startswith("heading")
        )
        code = bool(_CODE_STYLE.search(f"{sid} {name_text}"))
        raw[sid] = (
            (based.get(f"{_W}val") or "") if based is not None else "",
            superscript,
            numbered,
            heading,
            code,
        )
    resolved: dict[str, _Style] = {}
    for sid in raw:
        superscript, numbered, heading, code = None, False, False, False
        current, seen = sid, set()
        while current in raw and current not in seen and len(seen) < 50:
            seen.add(current)
            based, sup, num, head, is_code = raw[current]
            superscript = sup if superscript is None else superscript
            numbered = numbered or num
            heading = heading or head
            code = code or is_code
            current = based
        resolved[sid] = _Style(superscript, numbered, heading, code)
    return resolved
