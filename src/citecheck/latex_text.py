"""LaTeX markup to plain text: accents composed (H\\"orsch -> Hörsch), markup and braces dropped.

Reference strings and .bib fields are written in LaTeX; comparing them with metadata records
or with names in the prose needs the text a reader sees.
"""

from __future__ import annotations

import re
import unicodedata

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a",
}  # fmt: skip
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "aa": "å", "AA": "Å", "l": "ł",
    "L": "Ł", "i": "ı", "oe": "œ", "OE": "Œ",
}  # fmt: skip
_ACCENT = re.compile(
    r"\\([`'^\"~=.])\s*(?:\{\s*([A-Za-z]|\\i)\s*\}|([A-Za-z]))"
    r"|\\([uvHckr])(?:\s*\{\s*([A-Za-z]|\\i)\s*\}|\s+([A-Za-z]))"
)
_LETTER = re.compile(r"\\(ss|ae|AE|aa|AA|oe|OE|[oOlLi])(?![A-Za-z])\s*(?:\{\})?")
# \bibinfo{field}{value} (revtex, natbib .bbl): the field name is not text.
_FIELD_NAME = re.compile(r"\\(?:bibinfo|bibfield)\s*\{[^{}]*\}")
_URL = re.compile(r"\\(?:url|path|nolinkurl)\s*\{([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_DOI = re.compile(r"\\doi\s*\{([^{}]*)\}")
# Typesetting with a numeric argument ("5\\penalty0 (3)" in natbib .bbl files) prints nothing.
_SPACING = re.compile(r"\\(?:penalty|hskip|vskip|kern)\s*-?[\d.]+\s*(?:pt|em|ex|mm)?")
_COMMAND = re.compile(r"\\[A-Za-z@]+\*?\s*")
_SYMBOLS = {"\\&": "&", "\\%": "%", "\\_": "_", "\\$": "$", "\\#": "#", "\\,": " ", "\\ ": " ",
            "\\\\": " ", "~": " ", "``": '"', "''": '"', "---": "-", "--": "-"}  # fmt: skip
_SYMBOL = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True)))


def decode_accents(value: str) -> str:
    """Compose LaTeX accents and special letters; everything else is left as written."""
    if "\\" not in value:
        return value
    text = _ACCENT.sub(_compose, value)
    text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    return re.sub(r"\{([^\x00-\x7f])\}", r"\1", text)  # composed letters are NFC already


def latex_to_text(value: str) -> str:
    """Plain text of a LaTeX fragment: accents composed, markup dropped, braces removed."""
    text = _ACCENT.sub(_compose, value)
    text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _URL.sub(r" \1 ", text)
    text = _HREF.sub(r"\2 \1", text)
    text = _DOI.sub(r" doi:\1 ", text)
    text = _FIELD_NAME.sub("", text)
    text = _SPACING.sub(" ", text.replace("\\newblock", " "))
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group()], text)
    text = _COMMAND.sub("", text).replace("{", "").replace("}", "").replace("$", "")
    return " ".join(text.split())


def _compose(m: re.Match[str]) -> str:
    mark = m.group(1) or m.group(4)
    letter = m.group(2) or m.group(3) or m.group(5) or m.group(6) or ""
    letter = "i" if letter == "\\i" else letter
    return unicodedata.normalize("NFC", letter + _ACCENTS[mark])
