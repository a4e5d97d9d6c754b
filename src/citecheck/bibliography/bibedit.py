"""Edit BibTeX text in place: replace a field's value or add a field, touching nothing else.

`bib --fix` must keep what a person wrote (comments, entry and field order, alignment,
line endings, encoding), so the text is never re-serialised: the fields are located by
character span and only those spans change. The scanner reads just enough BibTeX for that
(entries, fields, braced/quoted/bare values with `#` concatenation); whatever it cannot read
is left as it is and simply not edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_KEY = re.compile(r"\s*([^,\s{}()]*)\s*,")
_FIELD_NAME = re.compile(r"\s*([A-Za-z][\w:.+/-]*)\s*=\s*")
_NON_ENTRIES = {"comment", "string", "preamble"}


@dataclass(frozen=True)
class FieldSpan:
    """A field's value as written: text[start:end] is `{...}`, `"..."` or a bare token."""

    name: str  # lower-case
    start: int
    end: int
    line_start: int  # where the field's line begins (for its indentation)


@dataclass(frozen=True)
class EntrySpan:
    key: str
    fields: tuple[FieldSpan, ...]
    close: int  # index of the entry's closing brace or parenthesis

    def field(self, name: str) -> FieldSpan | None:
        return next((f for f in self.fields if f.name == name.lower()), None)


@dataclass(frozen=True)
class Edit:
    """Set `field` of entry `key` to `value` (plain text; braced when written)."""

    key: str
    field: str
    value: str


def entries(text: str) -> list[EntrySpan]:
    """Every entry the scanner can read, in file order."""
    found = []
    pos = 0
    while (m := _ENTRY_START.search(text, pos)) is not None:
        kind, opener = m.group(1).lower(), m.group(2)
        closer = "}" if opener == "{" else ")"
        pos = m.end()
        if kind in _NON_ENTRIES:  # skip its body: a comment may quote an entry
            end = _part_end(text, m.end() - 1) if opener == "{" else text.find(")", pos) + 1
            pos = end if end else pos
            continue
        key = _KEY.match(text, pos)
        if key is None:
            continue
        entry = _fields(text, key.end(), closer)
        if entry is None:
            continue
        fields, close = entry
        found.append(EntrySpan(key.group(1), tuple(fields), close))
        pos = close + 1
    return found


def _fields(text: str, pos: int, closer: str) -> tuple[list[FieldSpan], int] | None:
    fields = []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            return None
        if text[pos] == closer:
            return fields, pos
        name = _FIELD_NAME.match(text, pos)
        if name is None:
            return None
        start = name.end()
        end = _value_end(text, start)
        if end is None:
            return None
        line_start = text.rfind("\n", 0, pos) + 1
        fields.append(FieldSpan(name.group(1).lower(), start, end, line_start))
        pos = end


def _value_end(text: str, pos: int) -> int | None:
    """End of a value: parts joined by `#`, each braced, quoted or a bare word/number."""
    while True:
        part = _part_end(text, pos)
        if part is None:
            return None
        after = part
        while after < len(text) and text[after] in " \t\r\n":
            after += 1
        if after < len(text) and text[after] == "#":
            pos = after + 1
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            continue
        return part


def _part_end(text: str, pos: int) -> int | None:
    if pos >= len(text):
        return None
    if text[pos] == "{":
        depth = 0
        for index in range(pos, len(text)):
            ch = text[index]
            if ch == "\\":
                continue
            if ch == "{" and text[index - 1] != "\\":
                depth += 1
            elif ch == "}" and text[index - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return index + 1
        return None
    if text[pos] == '"':
        depth = 0
        for index in range(pos + 1, len(text)):
            ch = text[index]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == '"' and depth == 0 and text[index - 1] != "\\":
                return index + 1
        return None
    m = re.compile(r"[^\s,#{}()\"]+").match(text, pos)
    return m.end() if m else None


def apply(text: str, edits: Iterable[Edit]) -> str:
    """The text with each edit made at its field's span (or the field added at the end of
    its entry, indented like the entry's last field); unknown keys are skipped."""
    by_key = {e.key: e for e in entries(text)}
    newline = "\r\n" if "\r\n" in text else "\n"
    splices: list[tuple[int, int, str]] = []
    added: dict[str, list[Edit]] = {}
    for edit in edits:
        entry = by_key.get(edit.key)
        if entry is None:
            continue
        span = entry.field(edit.field)
        if span is None:
            added.setdefault(edit.key, []).append(edit)
        else:
            splices.append((span.start, span.end, _written(edit.value, text[span.start])))
    for key, new in added.items():
        splices.append(_addition(text, by_key[key], new, newline))
    for start, end, replacement in sorted(splices, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _written(value: str, delimiter: str) -> str:
    """The value in the delimiter the field already used (a bare year stays bare)."""
    if delimiter not in '{"' and re.fullmatch(r"\d+", value):
        return value
    if delimiter == '"' and '"' not in value:
        return f'"{value}"'
    return "{" + value + "}"


def _addition(text: str, entry: EntrySpan, new: list[Edit], newline: str) -> tuple[int, int, str]:
    """New fields after the entry's last field, in its indentation and `=` style."""
    if not entry.fields:
        lines = "".join(f"{newline}  {e.field} = {{{e.value}}}," for e in new)
        return entry.close, entry.close, lines + newline
    last = entry.fields[-1]
    line = text[last.line_start : last.start]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    # Align like the last field: its name column's width, its spacing after `=`.
    head = line[len(indent) :]
    own_line = re.fullmatch(r"[A-Za-z][\w:.+/-]*\s*=\s*", head)
    if not own_line:  # fields run on one line: a plain `name = {value}` on a new line
        indent, head = "  ", "x = "
    width = head.rfind("=")
    after = head[width + 1 :]

    gap = head[:width][len(head[:width].rstrip()) :]
    aligned = len(gap) > 1  # `doi     = `: names padded to one column

    def named(field: str) -> str:
        padded = field.ljust(width) if aligned and len(field) < width else field + (gap or "")
        return padded + "=" + after

    # Keep the author's comma style: a trailing comma after the last field stays last.
    rest = text[last.end : entry.close]
    comma = rest.lstrip(" \t").startswith(",")
    body = "".join(f",{newline}{indent}{named(e.field)}{{{e.value}}}" for e in new)
    if comma:
        insert_at = last.end + rest.index(",") + 1
        return insert_at, insert_at, body[1:] + ","
    return last.end, last.end, body
