"""Citation-link gold for Pandoc-family documents (Markdown, R Markdown, Quarto, Manubot).

`gold(doc, root)` derives, from the source alone and with a deliberately simple line-based
parser (not citecheck's reader), the identities each citation cites, in document order:
Pandoc keys as written; for Manubot (citations.tsv beside the manuscript) each key mapped
to the short id of its references.json item. `predicted(manuscript)` gives citecheck's
callout keys the same way. bench/realworld.py compares the two as multisets.

The parser skips the YAML front matter, fenced code (``` / ~~~, incl. ```{r} chunks, but
not their fig.cap / fig-cap / tbl-cap caption options, which Pandoc renders as Markdown),
inline code (incl. `r expr`), HTML comments, raw LaTeX environments, display math, links
and link definitions; a bracketed group
containing `@` is one citation and every other word-initial `@key` is an in-text citation;
cross-references (pandoc-crossref `@fig:x`, Quarto `@fig-x`, bookdown `\\@ref(...)`) are not.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

CROSSREF_PREFIXES = ("fig", "tbl", "eq", "sec", "lst", "thm", "lem", "def", "tab")
KEY = r"@(?:\{([^}]+)\}|(\w(?:[\w:.#$%&+?<>~/-]*\w)?))"


def gold(doc: dict, root: Path) -> list[tuple[str, ...]]:
    main = root / doc["files"][0]["path"]
    text = _spliced(main, 0)
    # Manubot's output beside the manuscript, or in output/ beside a content folder
    output = next(
        (
            d
            for d in (main.parent, main.parent / "output", main.parent.parent / "output")
            if (d / "references.json").exists()
        ),
        main.parent,
    )
    mapping = _citations_tsv(output / "citations.tsv") or _references_json(
        output / "references.json"
    )
    defined = _defined_keys([root / f["path"] for f in doc["files"][1:]]) | set(mapping)
    # ids the document gives its figures, tables and sections: "@id" is a cross-reference
    ids = set(re.findall(r"\{#([^\s}]+)", text))
    ids |= set(re.findall(r"(?m)^\s*#\|\s*label:\s*['\"]?([^\s'\"]+)", text))
    ids |= set(re.findall(r"(?m)^```+\s*\{[a-z]+[ ,]+([\w.-]+)", text))
    ids |= set(re.findall(r"\(\\#([^)\s]+)\)", text))
    found = []
    for keys, in_text in _citations(_prose_lines(text)):
        keys = [
            _standard(k) if k not in defined else k
            for k in keys
            if k in defined or not (_is_crossref(k) or k in ids)
        ]
        if in_text and keys and keys[0] not in defined and _not_a_key(keys[0]):
            continue  # "follow @biopython", "stored @4 °C": not citations
        if keys:
            found.append(tuple(mapping.get(k, k) for k in keys))
    return found


def _standard(key: str) -> str:
    """Manubot's standard form of a DOI key: doi:10.x/y, lowercase."""
    if key.lower().startswith("doi:"):
        return "doi:" + key[4:].lower()
    if re.match(r"10\.\d{4,9}/", key):
        return "doi:" + key.lower()
    if re.match(r"https?://", key):
        return "url:" + key
    return key


def _not_a_key(key: str) -> bool:
    return not re.search(r"[\d:]", key) or key[0].isdigit()


def _defined_keys(files: list[Path]) -> set[str]:
    """Keys of the .bib entries and CSL JSON items shipped with the document."""
    keys: set[str] = set()
    for file in files:
        if file.suffix == ".bib":
            text = file.read_text(encoding="utf-8", errors="replace")
            keys |= set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))
        elif file.suffix == ".json":
            keys |= set(re.findall(r'"id"\s*:\s*"([^"]+)"', file.read_text(encoding="utf-8")))
    return keys


def _references_json(path: Path) -> dict[str, str]:
    """Without citations.tsv: each Manubot item's noted standard_id (and DOI) -> its id."""
    if not path.exists():
        return {}
    mapping = {}
    for item in json.loads(path.read_text(encoding="utf-8")):
        note = re.search(r"standard_id: (\S+)", str(item.get("note", "")))
        if note:
            mapping[_standard(note.group(1))] = item["id"]
        if item.get("DOI"):
            mapping.setdefault("doi:" + item["DOI"].lower(), item["id"])
    return mapping


def _spliced(path: Path, depth: int) -> str:
    """The file's text with Quarto includes and knitr child chunks replaced by their files."""
    text = path.read_text(encoding="utf-8")
    if depth > 5:
        return text

    def splice(m: re.Match[str]) -> str:
        child = path.parent / m.group(1)
        return "\n" + _spliced(child, depth + 1) + "\n" if child.is_file() else ""

    text = re.sub(r"\{\{<\s*include\s+[\"']?([^\s\"'>]+)[\"']?\s*>\}\}", splice, text)
    return re.sub(r"(?m)^```\s*\{r[^}\n]*child\s*=\s*[\"']([^\"']+)[\"'][^\n]*\n```", splice, text)


def predicted(manuscript) -> list[tuple[str, ...]]:
    return [tuple(c.keys) for c in manuscript.callouts if c.keys]


def _prose_lines(text: str) -> str:
    lines = text.split("\n")
    out = []
    i = 0
    if lines and lines[0].strip() == "---":  # front matter up to the closing --- or ...
        i = 1
        while i < len(lines) and lines[i].strip() not in ("---", "..."):
            i += 1
        i += 1
    fence = ""
    for line in lines[i:]:
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                fence = ""
            caption = re.match(r"#\|\s*(?:fig|tbl|lst)[-.]s?(?:sub)?cap\s*:\s*(.+)", stripped)
            if caption:  # Quarto/knitr caption option: Markdown that Pandoc renders
                out.append(caption.group(1).strip().strip("'\""))
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            for m in re.finditer(r"(?:fig|tab)\.s?cap\s*=\s*([\"'])(.*?)\1", line):
                out.append(m.group(2))  # knitr fig.cap="...": Markdown too
            continue
        if re.match(r"^\s*\[(?!\^)[^\]]+\]:\s", line):  # link / tag definition, not a footnote
            continue
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\\@ref\([^)]*\)", " ", text)
    # raw LaTeX environments and display math: Pandoc does not process citations inside
    text = re.sub(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", " ", text, flags=re.DOTALL)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)
    return re.sub(r"\[[^\[\]]*\]\([^)\s]*\)", " ", text)  # links: "[@user](url)" cites nothing


def _citations(text: str) -> list[tuple[list[str], bool]]:
    """(keys, in-text?) per citation in order."""
    found: list[tuple[int, list[str], bool]] = []
    spans = []
    nested = r"(?:[^\[\]]|\[[^\[\]]*\])*"  # one level of brackets, e.g. a footnote mark
    for group in re.finditer(rf"\[({nested}@{nested})\](?!\()", text):
        keys = [a or b for a, b in re.findall(r"(?:^|(?<=[\s;\[-]))" + KEY, group.group(1))]
        if keys:
            found.append((group.start(), keys, False))
            spans.append((group.start(), group.end()))
    for m in re.finditer(r"(?:^|(?<=[\s(]))" + KEY, text):
        if not any(a <= m.start() < b for a, b in spans):
            found.append((m.start(), [m.group(1) or m.group(2)], True))
    return [(keys, in_text) for _, keys, in_text in sorted(found)]


def _is_crossref(key: str) -> bool:
    head = re.split(r"[:-]", key, maxsplit=1)[0].lower()
    return head in CROSSREF_PREFIXES and key[len(head) : len(head) + 1] in (":", "-")


def _citations_tsv(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    key = "input_id" if rows and "input_id" in rows[0] else "manuscript_citekey"
    short = "short_id" if rows and "short_id" in rows[0] else "short_citekey"
    return {row[key]: row[short] for row in rows}
