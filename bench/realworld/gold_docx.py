"""Link gold for Word: what each citation cites, read from the .docx source without citecheck.

Independent of citecheck's Word reader on purpose (zipfile + lxml, a few regexes):

* Reference-manager fields name their items. EndNote (`ADDIN EN.CITE`, the record XML in
  the code or base64 in `fldData`): each `<Cite>` has a RecNum; a numbered EndNote style
  numbers records in order of first citation, so the identity is that number (it agrees
  with every printed "(n)" in zackular-2015 and schubert-2015). Zotero/Mendeley
  (`CSL_CITATION {json}`): the identity is the item's title, normalised (letters and digits,
  casefolded); numbers in first-citation order when the fields print numbers.
* Pandoc/Quarto/Manubot hyperlinks to `#ref-key`: the number of the entry whose paragraph
  carries that bookmark (bookmarks in list order), or the key's entry title when unnumbered.
* Typed citations (no fields, no links): bracketed numbers `[7-12]`, Science-style `(1-3)`
  and superscript number runs in the body after the title page and before the References
  heading. This is a reading rule, hand-checked against the documents (2026-11-30):
  baxter-2016 40 bracket citations; wnwn-2023 49 parenthesised (one "(e.g., 39)"), its
  methods paragraph enumerating "(1) ... (6)" excluded by the enumeration rule below;
  dlbcl-relapse 30 superscript runs (affiliation marks before "Abstract" and the mutation
  names L265P/Y646 are not citations).

Occurrences are in document order: body, then footnotes, then endnotes.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_LIST = r"\d{1,4}(?:\s*[-–—,]\s*\d{1,4})*"
_BRACKETS = re.compile(rf"\[\s*({_LIST})\s*\]")
_PARENS = re.compile(rf"\((?:\s*(?:e\.g\.|see|cf\.),?)?\s*({_LIST})\s*\)")
_HEADING = re.compile(r"^\s*(?:references|bibliography|literature cited)\s*$", re.IGNORECASE)
_FRONT = re.compile(r"^\s*(?:abstract|summary|introduction|background)\b", re.IGNORECASE)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum()).casefold()[:60]


def _expand(body: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", body.strip()):
        bounds = [int(x) for x in re.split(r"\s*[-–—]\s*", part) if x.strip()]
        if len(bounds) == 2:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        elif bounds:
            numbers.append(bounds[0])
    return numbers


def _parts(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        return [
            etree.fromstring(package.read(name), _PARSER)
            for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
            if name in names
        ]


# -- fields ---------------------------------------------------------------------------------------


def _field_codes(parts: list[etree._Element]) -> list[tuple[str, str]]:
    """(instruction, fldData) of every outermost field, in document order."""
    codes = []
    for root in parts:
        depth, instruction, data = 0, [], []
        for el in root.iter(f"{W}fldChar", f"{W}instrText"):
            if el.tag == f"{W}instrText":
                instruction.append(el.text or "")
            elif el.get(f"{W}fldCharType") == "begin":
                if depth == 0:
                    instruction, data = [], []
                depth += 1
                blob = el.find(f"{W}fldData")
                if blob is not None and blob.text:
                    data.append(blob.text)
            elif el.get(f"{W}fldCharType") == "end" and depth:
                depth -= 1
                if depth == 0:
                    codes.append(("".join(instruction), "|".join(data)))
    return codes


def _endnote_recnums(instruction: str, data: str) -> list[str]:
    xml = instruction
    if "<EndNote" not in xml:
        xml = "".join(
            base64.b64decode("".join(chunk.split())).rstrip(b"\0").decode("utf-8", "replace")
            for chunk in data.split("|")
            if chunk.strip()
        )
    first = re.search(r"<EndNote>.*?</EndNote>", xml, re.DOTALL)
    return re.findall(
        r"<Cite>.*?<RecNum>(\d+)</RecNum>", first.group(0) if first else "", re.DOTALL
    )


def _csl_items(instruction: str) -> tuple[list[str], str]:
    """(normalised titles, what the field prints per Zotero/Mendeley) of a CSL citation."""
    body = instruction[instruction.find("{") : instruction.rfind("}") + 1]
    data = json.loads(body, strict=False)
    titles = [_norm(item["itemData"].get("title", "")) for item in data["citationItems"]]
    shown = (data.get("properties") or {}).get("plainCitation") or (data.get("mendeley") or {}).get(
        "previouslyFormattedCitation", ""
    )
    return titles, shown


def _field_gold(codes: list[tuple[str, str]]) -> list[tuple[str, ...]] | None:
    endnote = [c for c in codes if re.match(r"\s*ADDIN EN\.CITE\b(?!\.DATA)", c[0])]
    csl = [c for c in codes if re.search(r"ADDIN (?:ZOTERO_ITEM )?CSL_CITATION", c[0])]
    if endnote:
        order: dict[str, int] = {}
        out = []
        for instruction, data in endnote:
            recnums = _endnote_recnums(instruction, data)
            for r in recnums:
                order.setdefault(r, len(order) + 1)
            out.append(tuple(str(order[r]) for r in dict.fromkeys(recnums)))
        return out
    if csl:
        cites = [_csl_items(instruction) for instruction, _ in csl]
        numeric = all(re.fullmatch(rf"\s*[\[(]?{_LIST}[\])]?\s*", s) for _, s in cites)
        if not numeric:
            return [tuple(dict.fromkeys(titles)) for titles, _ in cites]
        order = {}
        out = []
        for titles, _ in cites:
            for t in titles:
                order.setdefault(t, len(order) + 1)
            out.append(tuple(str(order[t]) for t in dict.fromkeys(titles)))
        return out
    return None


# -- typed text and hyperlinks -----------------------------------------------------------------------


def _paragraphs(
    root: etree._Element,
) -> list[tuple[str, list[tuple[int, int]], list[str], list[str]]]:
    """(text, superscript spans, hyperlink anchors, bookmarks) per paragraph."""
    out = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text, spans, anchors = "", [], []
        bookmarks = [b.get(f"{W}name") for b in p.iter(f"{W}bookmarkStart")]
        prev = p.getprevious()
        while prev is not None and prev.tag == f"{W}bookmarkStart":
            bookmarks.append(prev.get(f"{W}name"))
            prev = prev.getprevious()
        for el in p.iter(f"{W}t", f"{W}hyperlink"):
            if el.tag == f"{W}hyperlink":
                if el.get(f"{W}anchor"):
                    shown = "".join(t.text or "" for t in el.iter(f"{W}t"))
                    anchors.append((el.get(f"{W}anchor"), len(text), len(text) + len(shown)))
                continue
            run = el.getparent()
            align = run.find(f"{W}rPr/{W}vertAlign")
            piece = el.text or ""
            if align is not None and align.get(f"{W}val") == "superscript":
                if spans and spans[-1][1] == len(text):
                    spans[-1] = (spans[-1][0], len(text) + len(piece))
                else:
                    spans.append((len(text), len(text) + len(piece)))
            text += piece
        if style is not None and "bibliograph" in (style.get(f"{W}val") or "").lower():
            bookmarks.append("<entry>")  # Pandoc's reference entry style
        out.append((text, spans, anchors, bookmarks))
    return out


def _typed_gold(root: etree._Element) -> list[tuple[str, ...]]:
    paragraphs = _paragraphs(root)
    texts = [p[0] for p in paragraphs]
    entries = [i for i, p in enumerate(paragraphs) if "<entry>" in p[3]]
    end = max((i for i, t in enumerate(texts) if _HEADING.match(t)), default=None)
    if end is None:
        end = entries[0] if entries else len(texts)
    start = next((i for i, t in enumerate(texts[:end]) if len(t) < 60 and _FRONT.match(t)), 0)
    if not entries:
        entries = [i for i in range(end + 1, len(texts)) if texts[i].strip()]
    # Pandoc bookmarks each entry "ref-key" (or "X" + a hash when the key is long).
    number_of = {b: n for n, i in enumerate(entries, start=1) for b in paragraphs[i][3] if b}
    body = " ".join(texts[start:end])
    brackets = len(_BRACKETS.findall(body))
    parens = len(_PARENS.findall(body))
    out: list[tuple[str, ...]] = []
    linked = any(a in number_of for p in paragraphs[start:end] for a, _, _ in p[2])
    for text, spans, anchors, _ in paragraphs[start:end]:
        found: list[tuple[int, list[int]]] = []
        if linked:  # Pandoc links every citation: read nothing else
            group: list[int] = []
            previous = None
            for anchor, a, b in anchors:
                if anchor not in number_of:
                    continue
                n = number_of[anchor]
                gap = text[previous[1] : a] if previous else None
                if gap is None or not re.fullmatch(r"[\s,;–—-]{0,4}", gap):
                    if group:
                        out.append(tuple(str(k) for k in dict.fromkeys(group)))
                    group = []
                elif gap.strip() in ("-", "–", "—"):
                    group.extend(range(previous[0] + 1, n))  # "(2–5)" links 2 and 5
                group.append(n)
                previous = (n, b)
            if group:
                out.append(tuple(str(k) for k in dict.fromkeys(group)))
            continue
        for a, b in spans:
            shown = text[a:b].strip()
            exponent = text[:a][-1:].isdigit() or re.search(
                r"(?:^|[^A-Za-z])[A-Za-z]{1,2}$", text[:a]
            )
            if re.fullmatch(_LIST, shown) and not exponent:
                found.append((a, _expand(shown)))
        if brackets >= parens or parens < 3:
            found += [(m.start(), _expand(m.group(1))) for m in _BRACKETS.finditer(text)]
        else:
            for m in _PARENS.finditer(text):
                enumeration = re.search(r"(?:^|[:;,]|\band|\bor)\s*$", text[: m.start()])
                if enumeration and text[m.end() : m.end() + 2].strip()[:1].isalpha():
                    continue  # "two steps: (1) any OTUs ... and (2) any OTU"
                found.append((m.start(), _expand(m.group(1))))
        out.extend(tuple(str(n) for n in dict.fromkeys(numbers)) for _, numbers in sorted(found))
    return out


def gold(doc: dict, root: Path) -> list[tuple[str, ...]]:
    parts = _parts(root / doc["files"][0]["path"])
    from_fields = _field_gold(_field_codes(parts))
    if from_fields is not None:
        return [group for group in from_fields if group]
    return [group for group in _typed_gold(parts[0]) if group]


def predicted(manuscript) -> list[tuple[str, ...]]:
    """Numbers for a numbered manuscript, else each cited entry's normalised title."""
    by_key = {ref.key: ref for ref in manuscript.references}
    by_number = {ref.number: ref for ref in manuscript.references if ref.number is not None}
    out = []
    for callout in manuscript.callouts:
        if manuscript.numbered:
            out.append(tuple(str(n) for n in callout.numbers))
        else:
            refs = [by_key[k] for k in callout.keys if k in by_key]
            refs += [by_number[n] for n in callout.numbers if n in by_number and not callout.keys]
            out.append(tuple(dict.fromkeys(_norm(r.title) for r in refs)))
    return out
