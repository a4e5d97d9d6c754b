"""Link gold for Markdown/text manuscripts whose citations are links to list anchors.

Independent of citecheck's text reader on purpose: EndNote's Markdown export (kozich-2013)
writes every citation as a link to the entry's bookmark, `[7](#_ENREF_7)`. Each link
cites its anchor's number, or the range its text spells (`[23-25](#_ENREF_23)`: 23, 24, 25).
Identities are reference numbers as strings.
"""

from __future__ import annotations

import re
from pathlib import Path

_LINK = re.compile(r"\[([^\[\]]*)\]\(#_ENREF_(\d+)\)")
_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")
_ANCHOR_DEFINITION = re.compile(r'id="_ENREF_1"')


def gold(doc: dict, root: Path) -> list[tuple[str, ...]]:
    text = (root / doc["files"][0]["path"]).read_text(encoding="utf-8")
    list_start = _ANCHOR_DEFINITION.search(text)
    body = text[: list_start.start()] if list_start else text
    links = []
    for m in _LINK.finditer(body):
        span = _RANGE.match(m.group(1))
        if span and int(span.group(1)) == int(m.group(2)):
            links.append(tuple(str(n) for n in range(int(span.group(1)), int(span.group(2)) + 1)))
        else:
            links.append((m.group(2),))
    return links


def predicted(manuscript) -> list[tuple[str, ...]]:
    return [tuple(str(n) for n in callout.numbers) for callout in manuscript.callouts]
