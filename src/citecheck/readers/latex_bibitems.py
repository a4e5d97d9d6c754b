"""Printed LaTeX reference lists: `\\begin{thebibliography}` / `\\bibitem` and compiled `.bbl` files.

A thebibliography list (typed in the .tex, or written by BibTeX into the .bbl) is the list
the reader sees: each `\\bibitem[label]{key}` is one entry, turned into plain text and parsed
like any printed reference. A biblatex `.bbl` holds fields instead (`\\entry ... \\endentry`)
and is read field by field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from citecheck.latex_text import latex_to_text
from citecheck.model import Author, Location, Reference

_THEBIBLIOGRAPHY = re.compile(
    r"\\begin\s*\{thebibliography\}\s*(?:\{[^{}]*\})?(?P<body>.*?)(?:\\end\s*\{thebibliography\}|\Z)",
    re.DOTALL,
)
# \bibitem[label]{key}; labels nest braces three deep in natbib/revtex .bbl files
# ("[{\citenamefont {Smith}\ and\ \citenamefont {Jones}(2004)}]").
_BRACED = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"
_BIBITEM = re.compile(
    rf"\\bibitem\s*(?:\[(?P<label>(?:[^\[\]{{}}]|{_BRACED}){{0,500}})\])?\s*\{{(?P<key>[^{{}}]+)\}}"
)


def has_thebibliography(text: str) -> bool:
    return _THEBIBLIOGRAPHY.search(text) is not None


def read_thebibliography(
    text: str, locate: Callable[[int], Location]
) -> tuple[tuple[Reference, ...], Location | None]:
    """Every `\\bibitem` of every thebibliography list in `text`, parsed, keyed by its key.

    Numeric labels (`\\bibitem[12]{k}`) number the entry; otherwise entries are numbered in
    list order, as LaTeX prints them. `locate` maps an offset of `text` to its file and line.
    """
    from citecheck.references.refparse import parse_reference

    references: list[Reference] = []
    where: Location | None = None
    for block in _THEBIBLIOGRAPHY.finditer(text):
        where = where or locate(block.start())
        items = list(_BIBITEM.finditer(text, block.start("body"), block.end("body")))
        for index, item in enumerate(items):
            end = items[index + 1].start() if index + 1 < len(items) else block.end("body")
            label = (item.group("label") or "").strip()
            number = int(label) if label.isdigit() else len(references) + 1
            location = locate(item.start())
            body = _SHUT.sub(" ", text[item.end() : end])
            raw = latex_to_text(body)
            ref = parse_reference(raw, number=number, location=location)
            ref = replace(ref, key=item.group("key").strip(), raw=raw)
            references.append(_with_bibinfo(ref, body))
    return tuple(references), where


# revtex/natbib styles mark every field: \bibinfo{journal}{Phys. Rev. Lett.}. Such marks beat
# parsing the printed string (physics entries have no title to split on).
_SHUT = re.compile(r"\\Bibitem(?:Open|Shut)\s*(?:\{[^{}]*\})?|\\BibAnnote\w*\s*\{[^{}]*\}")
_BIBINFO = re.compile(rf"\\bibinfo\s*\{{\s*(?P<name>[a-z]+)\s*\}}\s*(?P<value>{_BRACED})")
_NAME_PARTS = re.compile(rf"\\bib(?P<part>f?name)font\s*(?P<value>{_BRACED})")


def _with_bibinfo(ref: Reference, body: str) -> Reference:
    """The entry with the fields its \\bibinfo marks name, where it has them."""
    fields: dict[str, list[str]] = {}
    for m in _BIBINFO.finditer(body):
        fields.setdefault(m.group("name"), []).append(m.group("value")[1:-1])
    if not fields:
        return ref
    authors = tuple(_bibinfo_author(value) for value in fields.get("author", []))
    year = re.search(r"\d{4}", " ".join(fields.get("year", [])))
    one = {name: latex_to_text(values[0]) for name, values in fields.items()}
    return replace(
        ref,
        authors=authors or ref.authors,
        et_al=ref.et_al and not authors,
        title=one.get("title", ref.title),
        container=one.get("journal") or one.get("booktitle") or ref.container,
        year=int(year.group()) if year else ref.year,
        volume=one.get("volume", ref.volume),
        issue=one.get("number", ref.issue),
        pages=re.sub(r"\s*[-–]+\s*", "-", one.get("pages", ref.pages)),
        doi=one.get("doi", ref.doi),
        publisher=one.get("publisher", ref.publisher),
    )


def _bibinfo_author(value: str) -> Author:
    parts = {
        m.group("part"): latex_to_text(m.group("value")[1:-1]) for m in _NAME_PARTS.finditer(value)
    }
    if parts.get("name"):
        return Author(parts["name"], parts.get("fname", ""))
    words = latex_to_text(value).split()
    return Author(words[-1], " ".join(words[:-1])) if words else Author("")


# --- biblatex .bbl --------------------------------------------------------------------------

_ENTRY = re.compile(r"\\entry\s*\{(?P<key>[^{}]+)\}\s*\{(?P<kind>[^{}]*)\}(?P<body>.*?)\\endentry",
                    re.DOTALL)  # fmt: skip
_BBL_FIELD = re.compile(
    r"\\field\s*\{(?P<name>[^{}]+)\}\s*\{(?P<value>(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}"
)
_BBL_VERB = re.compile(r"\\verb\s*\{(?P<name>[^{}]+)\}\s*\\verb\s+(?P<value>[^\n]*)\s*\\endverb")
_BBL_NAMES = re.compile(
    r"\\name\s*\{author\}\s*\{\d+\}\s*\{[^{}]*\}\s*\{(?P<body>.*?)\}\s*\n\s*\\", re.DOTALL
)
_BBL_PART = re.compile(r"\b(family|given)=\{((?:[^{}]|\{[^{}]*\})*)\}")


def is_biblatex_bbl(text: str) -> bool:
    return "\\entry{" in text or "\\entry {" in text


def read_biblatex_bbl(text: str, locate: Callable[[int], Location]) -> tuple[Reference, ...]:
    """The entries of a biblatex/biber .bbl, in its (printed) order."""
    references = []
    for index, m in enumerate(_ENTRY.finditer(text), start=1):
        body = m.group("body").replace("\\bibrangedash", "-")
        fields = {f.group("name").lower(): latex_to_text(f.group("value"))
                  for f in _BBL_FIELD.finditer(body)}  # fmt: skip
        fields.update(
            {v.group("name").lower(): v.group("value").strip() for v in _BBL_VERB.finditer(body)}
        )
        authors = _bbl_authors(body)
        year = re.search(r"\d{4}", fields.get("year", "") or fields.get("date", ""))
        container = (
            fields.get("journaltitle") or fields.get("journal") or fields.get("booktitle", "")
        )
        title = fields.get("title", "")
        raw = ". ".join(
            p for p in (", ".join(a.family for a in authors), title, container,
                        year.group() if year else "") if p
        )  # fmt: skip
        references.append(
            Reference(
                key=m.group("key").strip(),
                raw=raw,
                location=locate(m.start()),
                number=index,
                kind=m.group("kind").strip().lower() or "misc",
                authors=authors,
                title=title,
                container=container,
                year=int(year.group()) if year else None,
                volume=fields.get("volume", ""),
                issue=fields.get("number", ""),
                pages=re.sub(r"\s*(?:\\bibrangedash|-+|–)\s*", "-", fields.get("pages", "")),
                doi=fields.get("doi", ""),
                url=fields.get("url", ""),
                publisher=fields.get("publisher", ""),
            )
        )
    return tuple(references)


def _bbl_authors(body: str) -> tuple[Author, ...]:
    names = _BBL_NAMES.search(body)
    if not names:
        return ()
    authors = []
    for person in names.group("body").split("hash=")[1:]:
        parts = {k: latex_to_text(v) for k, v in _BBL_PART.findall(person)}
        if parts.get("family"):
            authors.append(Author(parts["family"], parts.get("given", "")))
    return tuple(authors)
