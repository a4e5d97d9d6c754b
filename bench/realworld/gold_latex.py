"""Link gold for LaTeX: the keys of every citation command, read from the source with regexes.

Independent of citecheck's LaTeX reader on purpose: a plain recursive splice of
`\\input`/`\\include`/`\\subfile`/`\\import` files, comments and verbatim/code removed, then
every `\\...cite...{keys}` after `\\begin{document}` except `\\nocite`. Identities are keys.
"""

from __future__ import annotations

import re
from pathlib import Path

_INCLUDE = re.compile(
    r"\\(?:input|include|subfile)\{([^{}]+)\}|\\(?:sub)?import\{([^{}]*)\}\{([^{}]+)\}"
)
_COMMENT = re.compile(r"(?<!\\)%.*")
_CODE = re.compile(
    r"\\begin\{(verbatim|Verbatim|lstlisting|minted|comment)\}.*?\\end\{\1\}"
    r"|\\verb(.).*?\2|\\lstinline(.).*?\3|\\mintinline\{[^}]*\}\{[^}]*\}",
    re.DOTALL,
)
_CITE = re.compile(r"(?<!\\string)\\(\w*cite\w*)\*?(?:\[[^\]]*\]){0,2}\{([^{}]*)\}")


def _splice(file: Path, root: Path, depth: int = 0) -> str:
    if depth > 10 or not file.is_file():
        return ""
    text = _CODE.sub(" ", _COMMENT.sub("", file.read_text(encoding="utf-8", errors="replace")))
    if depth and "\\begin{document}" in text:  # a subfile: its body only
        text = text.split("\\begin{document}", 1)[1]
    text = text.split("\\end{document}", 1)[0]

    def include(m: re.Match[str]) -> str:
        if m.group(1):
            name = m.group(1).strip()
            target = root / (name if name.endswith(".tex") else name + ".tex")
            return "\n" + _splice(target, root, depth + 1) + "\n"
        folder = root / m.group(2) if "sub" not in m.group(0)[:5] else file.parent / m.group(2)
        name = m.group(3).strip()
        target = folder / (name if name.endswith(".tex") else name + ".tex")
        return "\n" + _splice(target, folder, depth + 1) + "\n"

    return _INCLUDE.sub(include, text)


def gold(doc: dict, root: Path) -> list[tuple[str, ...]]:
    main = root / doc["files"][0]["path"]
    text = _splice(main, main.parent)
    body = text.split("\\begin{document}", 1)[-1]
    links = []
    for m in _CITE.finditer(body):
        if m.group(1) == "nocite":
            continue
        keys = tuple(k.strip() for k in m.group(2).split(",") if k.strip())
        if keys and not any("#" in k for k in keys):
            links.append(keys)
    return links


def predicted(manuscript) -> list[tuple[str, ...]]:
    return [callout.keys for callout in manuscript.callouts if callout.keys]
