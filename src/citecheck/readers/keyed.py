"""Numbers for key-cited bibliographies (LaTeX, Pandoc), so number-keyed checks see them.

Claim evidence, lock records and metadata rules are keyed by reference number. A .bib that
citecheck wrote carries `refnumber`; most others do not, and without numbers those checks
would silently skip every entry. Entries are numbered in .bib order when none has a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from citecheck.model import Reference

# pandoc-crossref ("@fig:x") and Quarto ("@fig-x") cross-references: keys that name no work.
CROSSREF = re.compile(
    r"(?:fig|tbl|eq|sec|lst|tab|apx|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg|tip|nte|wrn"
    r"|imp|cau|suppfig|supptbl)[:-]\w",
    re.IGNORECASE,
)


def number_in_order(references: tuple[Reference, ...]) -> tuple[Reference, ...]:
    """Give every entry its 1-based position as number, unless the list is numbered already."""
    if any(ref.number is not None for ref in references):
        return references
    return tuple(replace(ref, number=index) for index, ref in enumerate(references, start=1))


def numbers_for(keys: tuple[str, ...], by_key: Mapping[str, Reference]) -> tuple[int, ...]:
    """The numbers of the cited keys that the bibliography defines (undefined keys have none)."""
    return tuple(by_key[k].number for k in keys if k in by_key and by_key[k].number is not None)
