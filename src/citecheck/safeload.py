"""The one way citecheck parses YAML and JSON it did not write: bounded, and failing in one line.

Use `load_yaml(text, path)` for any YAML a user wrote (claims.yaml, Pandoc/Quarto/R Markdown
front matter) instead of yaml.safe_load: it refuses aliases (`*name`, the "billion laughs"
bomb: a few hundred bytes that expand to gigabytes once anything walks the result), bounds
nesting, and turns every parser problem (including PyYAML's stray ValueErrors, e.g. the
timestamp `2001-02-30`) into an InputError naming the file and line.

Use `parse_json(text)` for JSON (lock files, CSL JSON, HTTP bodies): NaN and Infinity are
refused (they are not JSON and would be written back as non-standard JSON), as are numbers
of more than 100 digits and nesting deeper than the active limit; errors are JsonError with
the line where known. `load_json(text, path)` is the same with an InputError for files.
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from citecheck.files import InputError
from citecheck.limits import active

MAX_NUMBER_DIGITS = 100  # a year, a volume, a score: nothing real comes close


class JsonError(ValueError):
    """JSON that is malformed or beyond our limits; `lineno` is None when unknown."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.lineno = lineno


def too_deep(value: Any, max_depth: int) -> bool:
    """Whether lists/dicts nest deeper than max_depth (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _reject_constant(name: str) -> Any:
    raise JsonError(f"{name} is not a JSON number")


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JsonError(f"a number with {len(text)} digits (at most {MAX_NUMBER_DIGITS})")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise JsonError(f"a number {len(text)} characters long")
    value = float(text)
    if math.isinf(value):
        raise JsonError(f"the number {text[:20]} is out of range")
    return value


def parse_json(text: str | bytes, *, max_depth: int | None = None, strict: bool = True) -> Any:
    """A JSON document, or JsonError: malformed, NaN/Infinity, huge numbers, too deep.

    `strict=False` lets raw control characters (a tab, a newline) stand inside strings, as
    Zotero writes them into Word field codes.
    """
    depth = max_depth if max_depth is not None else active().max_depth
    try:
        with no_gc():
            value = json.loads(
                text,
                parse_constant=_reject_constant,
                parse_int=_parse_int,
                parse_float=_parse_float,
                strict=strict,
            )
    except JsonError as error:
        if error.lineno is None:
            error.lineno = _problem_line(text, depth)
        raise
    except json.JSONDecodeError as error:
        raise JsonError(f"not valid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise JsonError(f"nested more than {depth} levels deep", _problem_line(text, depth)) from None
    except (ValueError, TypeError) as error:  # bad UTF-8 in bytes, int() digit limit...
        raise JsonError(f"not valid JSON: {error}") from None
    if too_deep(value, depth):
        raise JsonError(f"nested more than {depth} levels deep", _problem_line(text, depth))
    return value


# Strings first, so that a "NaN" or a "[" inside one is skipped like the parser skips it.
_JSON_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|(NaN|-?Infinity)|(-?\d[\d.eE+-]*)|([\[{])|([\]}])')


def _problem_line(text: str | bytes, max_depth: int) -> int | None:
    """The line of the first NaN/Infinity, over-long or infinite number, or bracket past
    max_depth: the json callbacks and RecursionError do not say where. Only run on failure."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        constant, number, opening, closing = m.groups()
        if opening:
            depth += 1
        elif closing:
            depth -= 1
        if constant or (number and _bad_number(number)) or depth > max_depth:
            return text.count("\n", 0, m.start()) + 1
    return None


def _bad_number(text: str) -> bool:
    try:
        (_parse_float if any(c in text for c in ".eE") else _parse_int)(text)
    except (JsonError, ValueError):
        return True
    return False


def load_json(text: str | bytes, path: str, *, what: str = "JSON") -> Any:
    """parse_json for a file: any problem is an InputError naming the file and line."""
    try:
        return parse_json(text)
    except JsonError as error:
        message = error.message.replace("JSON", what) if what != "JSON" else error.message
        raise InputError(path, error.lineno, message) from None


def dump_json(value: Any, **options: Any) -> str:
    """json.dumps that refuses NaN and Infinity, so what we write is standard JSON."""
    try:
        return json.dumps(value, allow_nan=False, **options)
    except ValueError as error:
        raise JsonError(f"cannot write non-standard JSON: {error}") from None


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parser builds millions of small objects.

    Each collection walks every live object, so with it on, loading n claims costs O(n^2)
    (100,000 claims: 80 s instead of a few); parsers create no reference cycles to collect.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _aliases_in(text: str, loader: type) -> int | None:
    """Line (1-based) of the first alias `*name` in a YAML text, or None when it has none."""
    import yaml

    if "*" not in text:  # cheap: no alias can exist without a '*'
        return None
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1
    return None


def _default_loader() -> type:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, path: str, *, loader: type | None = None) -> Any:
    """A YAML document from a user's file, safely: no aliases, bounded depth, InputError.

    `loader` must be a safe loader class (default: libyaml's CSafeLoader when available).
    """
    import yaml

    chosen = loader if loader is not None else _default_loader()
    max_depth = active().max_depth
    try:
        alias_line = _aliases_in(text, chosen)
        if alias_line is not None:
            raise InputError(
                path, alias_line, "YAML aliases (*name) are not allowed; write the value out"
            )
        with no_gc():
            document = yaml.load(text, Loader=chosen)  # a safe loader class, checked above
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(path, line, f"malformed YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise InputError(path, None, f"malformed YAML: {' '.join(str(error).split())}") from None
    except RecursionError:
        raise InputError(path, None, f"YAML nested more than {max_depth} levels deep") from None
    except (ValueError, TypeError, OverflowError) as error:  # e.g. timestamp 2001-02-30
        raise InputError(path, None, f"malformed YAML value: {error}") from None
    if too_deep(document, max_depth):
        raise InputError(path, None, f"YAML nested more than {max_depth} levels deep")
    return document
