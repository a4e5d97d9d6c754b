"""Text from a user's files made safe to print on a terminal.

A manuscript, a .bib, a lock or a path may hold ESC sequences (ANSI colours, cursor moves, a
window title), other control characters or bidirectional overrides (U+202E turns the rest of a
line around). Printed raw they would repaint or reorder what the reader sees, or break the
one-line error rule. Each such character is shown instead as one visible character of the same
length (U+241B for ESC, U+240A for a line feed: Unicode's control pictures; U+FFFD for the
C1 controls and bidi overrides), so rich's style spans over the text stay where they were.
"""

from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, C1 controls, bidi embeddings/overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\x85]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟ (␛ for ESC, ␊ for a line feed)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def terminal_safe(text: str) -> str:
    """`text` with every control character but tab and line feed shown as a visible one."""
    return _UNSAFE.sub(_picture, text)


def one_line(text: str) -> str:
    """`text` as one line for a terminal: line breaks and tabs shown as visible characters too."""
    return _UNSAFE_LINE.sub(_picture, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate (a non-UTF-8 byte of a file name, decoded by Python's
    surrogateescape, or a JSON "\\ud800") as U+FFFD, so it can be written as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)
