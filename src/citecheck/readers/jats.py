"""Read a JATS (PMC .nxml) article: body callouts from `<xref ref-type="bibr">`, references from `<ref-list>`.

The XML is parsed with defusedxml's SAX reader (no entity expansion, no network) into a small
tree that remembers each element's line and column, because ElementTree forgets them.
"""

from __future__ import annotations

import io
import re
import xml.sax
import xml.sax.handler
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

import defusedxml.sax

from citecheck.citations.callouts import author_mention, sentence_span
from citecheck.model import Author, Callout, Location, Manuscript, Reference, UnparsedEntry
from citecheck.readers.errors import ReaderError

# Elements whose text is a paragraph of its own; `tr` renders its cells joined by tabs.
_BLOCKS = {"p", "title", "tr"}
# Elements rendered apart from the paragraph that contains them (lists, figures, tables...).
_OUT_OF_LINE = {
    "list",
    "def-list",
    "table-wrap",
    "fig",
    "table",
    "disp-quote",
    "boxed-text",
    "sec",
    "statement",
    "fig-group",
    "table-wrap-group",
    "supplementary-material",
    "ref-list",
}
# Code set inline or apart ("res$DFn[1]", "np.empty([46,4])"): never a citation or a claim.
_CODE = {"monospace", "code", "preformat"}
_CITATIONS = ("element-citation", "mixed-citation", "citation", "nlm-citation")
_DASH_ONLY = re.compile(r"^\s*[-‐‑‒–—−]\s*$")
_JOIN_ONLY = re.compile(r"^[\s,;\-‐‑‒–—−\]\[)(]*$")
_YEAR = re.compile(r"(1[5-9]|20)\d\d")
_NUMBER_LABEL = re.compile(r"[\[(]?\d{1,4}[.)\]]?\s")
_DOI = re.compile(r"10\.\d{4,9}/\S+[^\s.,;]")
_KINDS = {
    "journal": "article",
    "book": "book",
    "book-chapter": "incollection",
    "chapter": "incollection",
    "confproc": "inproceedings",
    "conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
    "web": "misc",
    "other": "misc",
    "patent": "patent",
}


@dataclass
class Node:
    """One XML element: tag, attributes, mixed children (text or Node) and where it starts."""

    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list[Node | str] = field(default_factory=list)

    def elements(self, tag: str | None = None) -> Iterator[Node]:
        """Child elements, optionally only those with this tag."""
        for child in self.children:
            if isinstance(child, Node) and (tag is None or child.tag == tag):
                yield child

    def find(self, tag: str) -> Node | None:
        return next(self.elements(tag), None)

    def iter(self, tag: str) -> Iterator[Node]:
        """Every descendant element with this tag, in document order."""
        for child in self.elements():
            if child.tag == tag:
                yield child
            yield from child.iter(tag)

    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        return " ".join("".join(_itertext(self)).split())


def _itertext(node: Node) -> Iterator[str]:
    for child in node.children:
        if isinstance(child, str):
            yield child
        else:
            yield from _itertext(child)


class _TreeBuilder(xml.sax.handler.ContentHandler):
    """Builds Nodes from SAX events, stamping each with the parser's line and column."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:
        line = self.locator.getLineNumber() if self.locator else 1
        column = (self.locator.getColumnNumber() if self.locator else 0) + 1
        node = Node(name, dict(attrs.items()), line, column)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            children = self.stack[-1].children
            if children and isinstance(children[-1], str):
                children[-1] += content
            else:
                children.append(content)


def parse_xml(document: str | bytes, path: str) -> Node:
    """The document's root Node; malformed or hostile XML becomes a ReaderError."""
    data = document.encode("utf-8") if isinstance(document, str) else document
    builder = _TreeBuilder()
    parser = defusedxml.sax.make_parser()
    parser.setContentHandler(builder)
    # PMC files name an external DTD; never fetch it (no network, no file access), and keep
    # defusedxml's ban on entity declarations (billion laughs).
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.forbid_external = False
    parser.forbid_entities = True
    source = xml.sax.xmlreader.InputSource(path)
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except xml.sax.SAXParseException as exc:
        raise ReaderError(path, exc.getLineNumber(), f"malformed XML: {exc.getMessage()}") from None
    except (xml.sax.SAXException, ValueError) as exc:
        raise ReaderError(path, None, f"unsafe or unreadable XML: {exc!r}") from None
    except LookupError as exc:  # <?xml encoding="TF-8"?>: an encoding Python does not know
        raise ReaderError(path, 1, f"unreadable XML: unknown encoding ({exc})") from None
    if builder.root is None:
        raise ReaderError(path, None, "no XML element found")
    return builder.root


# ---------------------------------------------------------------------------------------------
# Body: paragraphs rendered as text, with the position of every bibliographic xref.


@dataclass(frozen=True)
class XrefSpan:
    """One `<xref ref-type="bibr">` inside a rendered paragraph."""

    rid: str
    start: int
    end: int
    node: Node


@dataclass(frozen=True)
class Paragraph:
    """A block of body text as printed, with its bibliographic xrefs."""

    text: str
    xrefs: tuple[XrefSpan, ...]
    node: Node
    in_running_text: bool


class _Renderer:
    """Collects a block's inline text with collapsed whitespace, tracking xref offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.xrefs: list[XrefSpan] = []
        self.deferred: list[Node] = []

    def add(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text)
        if not text:
            return
        if (not self.parts or self.parts[-1].endswith((" ", "\t"))) and text.startswith(" "):
            text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.add(child)
            elif child.tag in _OUT_OF_LINE or child.tag in _BLOCKS:
                self.deferred.append(child)
            elif child.tag in _CODE:
                self.add(" ")
            elif child.tag in ("td", "th"):
                if self.length:
                    self.parts.append("\t")
                    self.length += 1
                self.walk(child)
            elif child.tag == "xref" and child.attrs.get("ref-type") == "bibr":
                start = self.length
                self.walk(child)
                for rid in child.attrs.get("rid", "").split():
                    self.xrefs.append(XrefSpan(rid, start, self.length, child))
            else:
                self.walk(child)

    def text(self) -> str:
        return "".join(self.parts).rstrip()


def body_paragraphs(root: Node) -> list[Paragraph]:
    """Every text block of the body (and floats) in document order."""
    body = root.find("body") or next(root.iter("body"), None)
    if body is None:
        return []
    paragraphs: list[Paragraph] = []

    def visit(node: Node, running: bool) -> None:
        if node.tag in _BLOCKS:
            renderer = _Renderer()
            renderer.walk(node)
            text = renderer.text()
            if text:
                in_running = running and node.tag == "p"
                paragraphs.append(Paragraph(text, tuple(renderer.xrefs), node, in_running))
            for deferred in renderer.deferred:
                visit(deferred, running and deferred.tag not in ("table-wrap", "fig"))
            return
        for child in node.elements():
            visit(child, running and child.tag not in ("table-wrap", "fig", "table-wrap-group"))

    visit(body, True)
    return paragraphs


# ---------------------------------------------------------------------------------------------
# Back matter: the reference list.


def reference_nodes(root: Node) -> list[Node]:
    """All `<ref>` elements of the article's reference lists, in order."""
    back = root.find("back")
    scope = back if back is not None else root
    return list(scope.iter("ref"))


def read_reference(ref: Node, number: int | None, path: str) -> Reference | UnparsedEntry:
    """A Reference from one `<ref>`: structured fields first, free text through refparse."""
    location = Location(path, ref.line, ref.column)
    citation = next((c for tag in _CITATIONS for c in ref.iter(tag)), None)
    if citation is None:
        text = ref.text()
        if not text:
            return UnparsedEntry(location, "", "empty <ref>")
        citation = ref
    fields = _structured_fields(citation)
    structured = bool(fields.get("authors") or fields.get("title"))
    printed = _has_own_text(citation) or not structured
    raw = _citation_text(citation) if printed else compose_citation(fields)
    key = ref.attrs.get("id", "")
    if not structured:
        parsed = _parse_free_text(raw, number, location, key)
        if parsed is not None:
            return parsed
    return Reference(key=key, raw=raw, location=location, number=number, **fields)


def _structured_fields(citation: Node) -> dict:
    """The Reference fields that JATS tags explicitly (surname, article-title, fpage...)."""
    authors: list[Author] = []
    groups = [g for g in citation.iter("person-group")]
    author_groups = [g for g in groups if g.attrs.get("person-group-type", "author") == "author"]
    scopes = author_groups[:1] if author_groups else ([] if groups else [citation])
    et_al = False
    for scope in scopes:
        for child in scope.elements():
            if child.tag in ("name", "string-name"):
                surname = child.find("surname")
                given = child.find("given-names")
                family = surname.text() if surname is not None else child.text()
                authors.append(Author(family, given.text() if given is not None else ""))
            elif child.tag == "collab":
                authors.append(Author(child.text()))
            elif child.tag == "etal":
                et_al = True
    values = {
        tag: _first_text(citation, tag)
        for tag in (
            "article-title",
            "chapter-title",
            "source",
            "year",
            "volume",
            "issue",
            "fpage",
            "lpage",
            "elocation-id",
            "publisher-name",
        )
    }
    kind_attr = citation.attrs.get("publication-type") or citation.attrs.get("citation-type", "")
    title = values["article-title"] or values["chapter-title"]
    container = values["source"]
    if not title and kind_attr in ("book", "report", "thesis"):
        title, container = container, ""
    year = _YEAR.search(values["year"])
    pages = values["fpage"]
    if pages and values["lpage"] and values["lpage"] != pages:
        pages = f"{pages}-{values['lpage']}"
    doi, pmid = "", ""
    for pub_id in citation.iter("pub-id"):
        kind = pub_id.attrs.get("pub-id-type", "")
        if kind == "doi" and not doi:
            doi = pub_id.text()
        elif kind == "pmid" and not pmid:
            pmid = pub_id.text()
    if not doi:
        # Some publishers put the DOI in a comment link ("doi:10.1038/bjc.2011.489").
        for link in (*citation.iter("ext-link"), *citation.iter("comment")):
            m = _DOI.search(link.attrs.get("xlink:href", "") + " " + link.text())
            if m:
                doi = m.group()
                break
    links = [*citation.iter("uri"), *citation.iter("ext-link")]
    url = next((u.attrs.get("xlink:href") or u.text() for u in links if "doi" not in u.text()), "")
    return {
        "url": url,
        "kind": _KINDS.get(kind_attr, "misc" if kind_attr else "article"),
        "authors": tuple(authors),
        "et_al": et_al,
        "title": title,
        "container": container,
        "year": int(year.group()) if year else None,
        "volume": values["volume"],
        "issue": values["issue"],
        "pages": pages,
        "article_number": values["elocation-id"] or _article_number_id(citation, pages),
        "doi": doi,
        "pmid": pmid,
        "publisher": values["publisher-name"],
    }


def _article_number_id(citation: Node, pages: str) -> str:
    """Cell Press tags an article number as <object-id pub-id-type="publisher-id">024026."""
    if pages:
        return ""
    for node in citation.iter("object-id"):
        text = node.text().strip()
        if node.attrs.get("pub-id-type") == "publisher-id" and re.fullmatch(
            r"[A-Za-z]?\d{3,}", text
        ):
            return text
    return ""


def _first_text(node: Node, tag: str) -> str:
    found = next(node.iter(tag), None)
    return found.text() if found is not None else ""


def _has_own_text(citation: Node) -> bool:
    """Mixed citations carry their punctuation as text between the tagged fields.

    A lone trailing note ("(accepted)") does not make an element-style citation printable.
    """
    children = citation.children
    separators = sum(
        1
        for here, following in pairwise(children)
        if isinstance(here, str) and here.strip() and isinstance(following, Node)
    )
    return separators >= 2


def _citation_text(citation: Node) -> str:
    """A mixed citation as printed; a space where two tagged fields touch ("Avery SV")."""
    pieces: list[str] = []

    def walk(node: Node) -> None:
        previous_was_element = False
        for child in node.children:
            if isinstance(child, str):
                pieces.append(child)
                previous_was_element = False
                continue
            if previous_was_element:
                pieces.append(" ")
            if child.tag == "pub-id":
                label = {"doi": "doi:", "pmid": "PMID:"}.get(child.attrs.get("pub-id-type", ""))
                pieces.append(f" {label}{child.text()}" if label else "")
            else:
                walk(child)
            previous_was_element = True

    walk(citation)
    return " ".join("".join(pieces).split())


def compose_citation(fields: dict) -> str:
    """A Vancouver-style line from Reference fields, for sources that print no entry text
    (JATS element citations, CSL-JSON items)."""
    names = [f"{a.family} {a.given}".strip() for a in fields["authors"]]
    if fields["et_al"]:
        names.append("et al")
    parts = [", ".join(names), fields["title"], fields["container"]]
    tail = str(fields["year"] or "")
    if fields["volume"]:
        tail += f";{fields['volume']}"
    if fields["issue"]:
        tail += f"({fields['issue']})"
    if fields["pages"] or fields["article_number"]:
        tail += f":{fields['pages'] or fields['article_number']}"
    parts.append(tail)
    text = ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."
    if fields["doi"]:
        text += f" doi:{fields['doi']}"
    return text


def _parse_free_text(
    raw: str, number: int | None, location: Location, key: str
) -> Reference | None:
    """Fields of an untagged citation via refparse, when that module is available."""
    try:
        from citecheck.references.refparse import parse_reference
    except ImportError:
        return None
    from dataclasses import replace

    return replace(parse_reference(raw, number=number, location=location, key=key), key=key)


# ---------------------------------------------------------------------------------------------
# Callouts: consecutive xrefs in one paragraph form one citation group.


@dataclass(frozen=True)
class XrefGroup:
    """Adjacent bibliographic xrefs ("[1-3, 7]") with the rids they mean, ranges expanded."""

    start: int
    end: int
    rids: tuple[str, ...]
    first: XrefSpan


_RANGE_TEXT = re.compile(r"\[?(\d+)\s*[–—-]\s*(\d+)\]?")


def group_xrefs(paragraph: Paragraph, order: dict[str, int], numbered: bool) -> list[XrefGroup]:
    """Join xrefs separated only by commas, semicolons or dashes; a dash means a range.

    Author-year xrefs ("Smith et al., 2004") stay one per group: each names its own work.
    """
    groups: list[XrefGroup] = []
    by_number = {n: rid for rid, n in order.items()}

    def _printed_range(printed: str, rid: str) -> list[str]:
        """One xref printing a whole range ("1–3", Taylor & Francis) cites its members too."""
        m = _RANGE_TEXT.fullmatch(printed.strip())
        low = order.get(rid)
        if not (numbered and m and low):
            return []
        a, b = int(m.group(1)), int(m.group(2))
        if a != low or not a < b <= a + 100:
            return []
        return [by_number[n] for n in range(a + 1, b + 1) if n in by_number]

    spans = paragraph.xrefs
    i = 0
    while i < len(spans):
        first = spans[i]
        rids = [first.rid] + _printed_range(paragraph.text[first.start : first.end], first.rid)
        end = first.end
        while numbered and i + 1 < len(spans):
            between = paragraph.text[end : spans[i + 1].start]
            if not _JOIN_ONLY.match(between):
                break
            following = spans[i + 1]
            low, high = order.get(rids[-1]), order.get(following.rid)
            if _DASH_ONLY.match(between.strip("[]()")) and low and high and low < high:
                rids.extend(by_number[n] for n in range(low + 1, high) if n in by_number)
            rids.append(following.rid)
            rids += _printed_range(paragraph.text[following.start : following.end], following.rid)
            end = following.end
            i += 1
        groups.append(XrefGroup(first.start, end, tuple(dict.fromkeys(rids)), first))
        i += 1
    return groups


def _callout_text(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a group to the brackets printed around it ("[1-3]")."""
    if start > 0 and text[start - 1] in "[(" and end < len(text) and text[end] in "])":
        return start - 1, end + 1
    return start, end


def is_numbered(root: Node) -> bool:
    """Numbered style when most bibliographic xrefs print a number, not a name or a year.

    Springer and Frontiers wrap only the year of "Tibbetts and Dale 2007" in the xref: a
    number larger than the list is long is a year, not a reference number.
    """
    texts = [x.text() for x in root.iter("xref") if x.attrs.get("ref-type") == "bibr"]
    if not texts:
        return True
    entries = sum(1 for _ in root.iter("ref"))
    numeric = 0
    for t in texts:
        m = re.fullmatch(r"[\[(]?\s*(\d+)[a-z]?(?:\s*[–-]\s*\d+)?\s*[\])]?", t)
        if m and (int(m.group(1)) <= max(entries, 1) or entries == 0):
            numeric += 1
    return numeric * 2 >= len(texts)


def read_jats(document: str | bytes, path: str) -> Manuscript:
    """A Manuscript from a JATS article; raises ReaderError for malformed or unsafe XML."""
    root = parse_xml(document, path)
    if root.tag != "article":
        raise ReaderError(path, root.line, f"expected a JATS <article>, found <{root.tag}>")
    refs = reference_nodes(root)
    linked = any(x.attrs.get("ref-type") == "bibr" for x in root.iter("xref"))
    numbered = is_numbered(root) if linked else _labelled(refs)
    order = {r.attrs.get("id", ""): i for i, r in enumerate(refs, start=1)}
    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    for index, ref in enumerate(refs, start=1):
        item = read_reference(ref, index if numbered else None, path)
        (references if isinstance(item, Reference) else unparsed).append(item)
    paragraphs = body_paragraphs(root)
    if linked or not references:
        callouts = [
            callout
            for paragraph in paragraphs
            for callout in paragraph_callouts(paragraph, order, numbered, path)
        ]
    else:
        linked_refs, callouts = printed_callouts(paragraphs, tuple(references), numbered, path)
        references = list(linked_refs)
    ref_list = next(root.iter("ref-list"), None)
    return Manuscript(
        path=path,
        references=tuple(references),
        callouts=tuple(callouts),
        unparsed=tuple(unparsed),
        numbered=numbered,
        reference_list_location=Location(path, ref_list.line, ref_list.column)
        if ref_list
        else None,
    )


def _labelled(refs: list[Node]) -> bool:
    """Numbered list when most entries carry a `<label>` or start with their number ("1. ")."""
    labelled = sum(
        1
        for ref in refs
        if ref.find("label") is not None or _NUMBER_LABEL.match(ref.text().lstrip())
    )
    return labelled * 2 > len(refs)


def printed_callouts(
    paragraphs: list[Paragraph], references: tuple[Reference, ...], numbered: bool, path: str
) -> tuple[tuple[Reference, ...], list[Callout]]:
    """Citations printed as plain text, not tagged as `<xref>`s (Pandoc writes JATS so unless
    told to link citations): the body is scanned as the text reader scans one, and each
    callout is located at its paragraph. Without this every entry looked uncited."""
    from citecheck.readers.text import author_year_callouts, numbered_callouts

    body = "\n\n".join(p.text.replace("\n", " ") for p in paragraphs)  # paragraph i: line 2i+1
    if numbered:
        found = numbered_callouts(body, path, references)
    else:
        references, found = author_year_callouts(body, path, references)
    callouts = []
    for callout in found:
        paragraph = paragraphs[((callout.location.line or 1) - 1) // 2]
        location = Location(path, paragraph.node.line, paragraph.node.column)
        running = callout.in_running_text and paragraph.in_running_text
        callouts.append(replace(callout, location=location, in_running_text=running))
    return references, callouts


def read_jats_file(path: str | Path, refs_path: str | None = None) -> Manuscript:
    """Read a .nxml/.xml file. `refs_path` is accepted for the reader table and not used:
    a JATS article carries its own reference list."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ReaderError(str(path), None, f"cannot read: {error.strerror or error}") from None
    return read_jats(data, str(path))


def paragraph_callouts(
    paragraph: Paragraph, order: dict[str, int], numbered: bool, path: str
) -> list[Callout]:
    """One Callout per xref group, located at its first xref in the XML file."""
    callouts: list[Callout] = []
    text = paragraph.text
    previous_end = 0
    for group in group_xrefs(paragraph, order, numbered):
        start, end = _callout_text(text, group.start, group.end)
        left, right = sentence_span(text, start, end)
        location = Location(path, group.first.node.line, group.first.node.column)
        sentence = " ".join(text[left:right].split())
        if numbered:
            numbers = tuple(order[rid] for rid in group.rids if rid in order)
            mention = author_mention(text[left:start], text[end:right])
            # An xref whose rid names no <ref> cites an entry the list lacks: keep the rid as
            # a key, so missing-reference reports it as it reports [40] in text or an
            # undefined \cite key in LaTeX (it is not a malformed callout).
            dangling = tuple(rid for rid in group.rids if rid not in order)
            callouts.append(
                Callout(
                    location,
                    text[start:end],
                    numbers,
                    sentence,
                    mention,
                    paragraph.in_running_text,
                    keys=dangling,
                )
            )
        else:
            printed = text[group.start : group.end]
            mention = _names_of(printed)
            if not mention and callouts and _JOIN_ONLY.match(text[previous_end : group.start]):
                mention = callouts[-1].author_mention  # "Schecter et al. 2003, 2005"
            mention = mention or _narrative_names(text, group.start, group.end)
            callouts.append(
                Callout(
                    location,
                    printed,
                    (),
                    sentence,
                    mention,
                    paragraph.in_running_text,
                    keys=group.rids,
                )
            )
        previous_end = group.end
    return callouts


def _names_of(printed: str) -> str:
    """The author part of an author-year citation: "Smith et al., 2004" -> "Smith et al."."""
    m = re.match(r"\s*(.*?)[\s,]*\(?(?:1[5-9]|20)\d\d", printed)
    return m.group(1).strip() if m and m.group(1).strip() else ""


def _narrative_names(text: str, start: int, end: int) -> str:
    """'Cain et al. (<xref>2012</xref>)': an xref around the year alone (Springer, Pandoc's
    suppress-author cite) takes its names from the words printed just before it."""
    from citecheck.citations.authoryear import find_author_year

    if not re.fullmatch(r"\s*(?:1[5-9]|20)\d\d[a-z]?\s*", text[start:end]):
        return ""
    offset = max(0, start - 80)
    for cite in find_author_year(text[offset : end + 1]):
        if offset + cite.start < start and offset + cite.end >= end:
            return cite.mention
    return ""


# ---------------------------------------------------------------------------------------------
# Plain-text rendering with gold links, for measuring the text reader's linking.


@dataclass(frozen=True)
class GoldLink:
    """One link the XML asserts: a callout group cites `rid` (ranges expanded).

    `line` is the paragraph's line in the rendered text; `xml_location` is the group's
    first xref in the XML file, as `read_jats` reports it.
    """

    line: int
    rid: str
    xml_location: Location


@dataclass(frozen=True)
class Gold:
    """What the XML says about a rendered article: its links, and each list entry's rid.

    `entries` maps the rendered line of each reference-list entry to its rid.
    """

    links: tuple[GoldLink, ...]
    entries: dict[int, str]
    numbered: bool


def render_jats_text(document: str | bytes, path: str = "<jats>") -> tuple[str, Gold]:
    """The article as plain text (paragraphs, then "References" and the list) plus gold links.

    Callouts appear as printed ("[4]–[7]", "(Smith et al., 2004)"); numbered lists are
    written "n. entry", author-year lists as unnumbered entries separated by blank lines.
    """
    root = parse_xml(document, path)
    numbered = is_numbered(root)
    refs = reference_nodes(root)
    order = {r.attrs.get("id", ""): i for i, r in enumerate(refs, start=1)}
    lines: list[str] = []
    links: list[GoldLink] = []
    for paragraph in body_paragraphs(root):
        line = len(lines) + 1
        lines.extend([paragraph.text, ""])
        for group in group_xrefs(paragraph, order, numbered):
            node = group.first.node
            at = Location(path, node.line, node.column)
            links.extend(GoldLink(line, rid, at) for rid in group.rids if rid in order)
    lines.extend(["References", ""])
    entries: dict[int, str] = {}
    for index, ref in enumerate(refs, start=1):
        item = read_reference(ref, index, path)
        raw = item.raw if isinstance(item, Reference) else item.text
        entries[len(lines) + 1] = ref.attrs.get("id", "")
        lines.append(f"{index}. {raw}" if numbered else raw)
        if not numbered:
            lines.append("")
    return "\n".join(lines) + "\n", Gold(tuple(links), entries, numbered)
