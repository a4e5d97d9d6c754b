"""Link gold for JATS: every `<xref ref-type="bibr" rid=...>` of the body, read with a regex.

Independent of citecheck's JATS reader on purpose. A dash between two xrefs ("[4]–[7]")
cites the entries between them too, in reference-list order. Identities are ref ids.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_XREF = re.compile(
    r"<xref\b[^>]*ref-type=\"bibr\"[^>]*>(.*?)</xref>|<xref\b[^>]*ref-type=\"bibr\"[^>]*/>",
    re.DOTALL,
)
_RID = re.compile(r"\brid=\"([^\"]+)\"")
_REF_ID = re.compile(r"<ref\b[^>]*\bid=\"([^\"]+)\"")
_TAG = re.compile(r"<[^>]+>")
_DASH_ONLY = re.compile(r"^[\s\])]*[-–—][\s\[(]*$")


def gold(doc: dict, root: Path) -> list[tuple[str, ...]]:
    xml = (root / doc["files"][0]["path"]).read_text(encoding="utf-8", errors="replace")
    body_end = xml.find("<back")
    body = xml[: body_end if body_end > 0 else len(xml)]
    order = _REF_ID.findall(xml[body_end:] if body_end > 0 else xml)
    position = {rid: i for i, rid in enumerate(order)}
    links: list[tuple[str, ...]] = []
    previous_end, previous_rids = -1, ()
    for m in _XREF.finditer(body):
        tag = m.group(0)
        rids = tuple(_RID.search(tag).group(1).split()) if _RID.search(tag) else ()
        between = (
            html.unescape(_TAG.sub("", body[previous_end : m.start()])) if previous_end >= 0 else ""
        )
        if previous_rids and rids and _DASH_ONLY.match(between):
            a, b = position.get(previous_rids[-1]), position.get(rids[0])
            if a is not None and b is not None and a < b:
                links.append(tuple(order[a + 1 : b]))
        links.append(rids)
        previous_end, previous_rids = m.end(), rids
    return [group for group in links if group]


def predicted(manuscript) -> list[tuple[str, ...]]:
    key_of = {ref.number: ref.key for ref in manuscript.references if ref.number is not None}
    out = []
    for callout in manuscript.callouts:
        ids = tuple(key_of.get(n, f"#{n}") for n in callout.numbers) + tuple(callout.keys)
        out.append(ids)
    return out
