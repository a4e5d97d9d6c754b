"""Bundled gene and miRNA nomenclature: HGNC symbol lookup, miRBase names, nearest valid names.

The lists are derived by scripts/derive_nomenclature.py and loaded lazily once per process;
lookups fold case so a mouse-style symbol (Trim32) finds its human approved symbol (TRIM32).
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

_KINDS = ("approved", "alias", "previous")

# miRNA names as written: optional species prefix, miR/miRNA/microRNA/mir, number, paralog
# letters, optional precursor copy number before an arm, optional -5p/-3p arm (or legacy *).
MIRNA_NAME = re.compile(
    r"(?:(?P<species>[a-z]{3})-)?"
    r"(?:(?P<mir>micro\s*rna|mirna|mir)\s*-?\s*(?P<num>\d+)(?P<letter>[a-z]{0,2})"
    r"|(?P<let>let)-?(?P<lnum>7)(?P<lletter>[a-z]?))"
    r"(?P<copy>-\d+(?=-[35]p))?"
    r"(?P<arm>-[35]p|\*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class GeneHit:
    """What HGNC says about a symbol: its strongest kind and the approved symbol(s) it means."""

    symbol: str  # the queried symbol, upper-cased
    kind: str  # approved, alias or previous
    approved: tuple[str, ...]  # approved symbols, strongest kind first

    @property
    def approved_symbol(self) -> str:
        return self.approved[0]

    @property
    def ambiguous(self) -> bool:
        return len(self.approved) > 1


@cache
def _hgnc_text() -> str:
    raw = resources.files("citecheck.data").joinpath("hgnc_symbols.tsv.gz").read_bytes()
    return gzip.decompress(raw).decode("utf-8")


def _hgnc_hits(key: str) -> str | None:
    """The raw "kind:Symbol,..." of a symbol, parsed only when looked up.

    Every line is "SYMBOL<TAB>hits", sorted by symbol (scripts/derive_nomenclature.py), so a
    binary search over the text finds it in a few microseconds; building a dict of the 100k
    symbols took ~30 ms of every check that reads a gene name.
    """
    text = _hgnc_text()
    low, high = 0, len(text)  # always at the start of a line
    while low < high:
        start = text.rfind("\n", 0, (low + high) // 2) + 1
        tab = text.find("\t", start)
        end = text.find("\n", tab)
        end = len(text) if end < 0 else end
        symbol = text[start:tab]
        if symbol < key:
            low = end + 1
        elif symbol > key:
            high = start
        else:
            return text[tab + 1 : end]
    return None


@cache
def _approved_by_length() -> dict[int, tuple[str, ...]]:
    # A pre-derived list (scripts/derive_nomenclature.py): reading it takes a few ms, where
    # filtering the 100k-symbol table for approved names took ~80 ms.
    raw = resources.files("citecheck.data").joinpath("hgnc_approved.txt.gz").read_bytes()
    buckets: dict[int, list[str]] = {}
    for name in gzip.decompress(raw).decode("utf-8").split():
        buckets.setdefault(len(name), []).append(name)
    return {length: tuple(names) for length, names in buckets.items()}


@cache
def _mirnas() -> frozenset[str]:
    text = resources.files("citecheck.data").joinpath("mirbase_human.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@cache
def _mirna_bases() -> dict[str, str]:
    """Base name without arm ("miR-199a", "let-7a") -> numeric family ("199", "let-7")."""
    bases = {}
    for name in _mirnas():
        parsed = parse_mirna(name)
        if parsed:
            bases[parsed[0]] = _family(parsed[0])
    return bases


def lookup_gene(symbol: str) -> GeneHit | None:
    """The HGNC entry a symbol names (approved, alias or previous), or None if it names none."""
    key = symbol.strip().upper()
    raw = _hgnc_hits(key)
    if raw is None:
        return None
    pairs = [item.split(":", 1) for item in raw.split(",")]
    approved = tuple(dict.fromkeys(name for _, name in pairs))
    return GeneHit(symbol=key, kind=pairs[0][0], approved=approved)


def nearest_symbols(token: str, n: int = 3) -> tuple[str, ...]:
    """Up to n approved symbols closest to token (edit distance <= 2, same length +-1)."""
    query = token.strip().upper()
    buckets = _approved_by_length()
    pool = [
        name
        for size in (len(query) - 1, len(query), len(query) + 1)
        for name in buckets.get(size, ())
    ]
    return _closest(query, pool, n, processor=str.upper)


def typo_of(token: str) -> str | None:
    """The approved symbol a token most likely mistypes (SUV38H1 -> SUV39H1), or None.

    A typo here is the slip of one key in a name of five or more characters: one character
    replaced by one of its own kind (a digit for a digit, a letter for a letter, never the
    first), or two neighbours swapped. Anything looser (SH2 ~ CSH2, CK666 ~ CT66, CHM13 ~
    HM13) matches a domain, compound, cell line or model name by chance.
    """
    query = token.strip().upper()
    if len(query) < 5 or lookup_gene(query) is not None:
        return None
    hits = [name for name in nearest_symbols(query, n=5) if _one_slip(query, name.upper())]
    return hits[0] if len(hits) == 1 else None


def _one_slip(written: str, symbol: str) -> bool:
    if len(written) != len(symbol):
        return False
    diff = [i for i, (a, b) in enumerate(zip(written, symbol, strict=True)) if a != b]
    if len(diff) == 1:
        i = diff[0]
        return i > 0 and written[i].isdigit() == symbol[i].isdigit()
    if len(diff) == 2 and diff[1] == diff[0] + 1:
        i = diff[0]
        return written[i] == symbol[i + 1] and written[i + 1] == symbol[i]
    return False


def _closest(query: str, pool: list[str], n: int, processor=None) -> tuple[str, ...]:
    """The n names in pool within edit distance 2 of query (transpositions count once)."""
    hits = process.extract(
        query, pool, scorer=OSA.distance, processor=processor, score_cutoff=2, limit=None
    )
    ranked = sorted((distance, name) for name, distance, _ in hits if distance > 0)
    return tuple(name for _, name in ranked[:n])


def parse_mirna(name: str) -> tuple[str, str] | None:
    """Split a miRNA name into a canonical base and arm: "hsa-microRNA-21-5p" -> ("miR-21", "5p").

    The base keeps paralog letters ("miR-199a") and a precursor copy number ("let-7a-2");
    the arm is "5p", "3p", "*" or "" when not written.
    """
    match = MIRNA_NAME.fullmatch(name.strip())
    if match is None:
        return None
    if match["let"]:
        base = "let-7" + match["lletter"].lower()
    else:
        base = f"miR-{match['num']}{match['letter'].lower()}"
    if match["copy"]:
        base += match["copy"]
    arm = (match["arm"] or "").lstrip("-").lower()
    return base, arm


def normalize_mirna(name: str) -> str:
    """Canonical miRNA name: no species prefix, "miR-", lower-case letters ("miR-199a-5p")."""
    parsed = parse_mirna(name)
    if parsed is None:
        return name.strip()
    base, arm = parsed
    return f"{base}-{arm}" if arm else base


def _family(base: str) -> str:
    """The numeric family of a base: "miR-125b-1" -> "miR-125", "let-7a" -> "let-7"."""
    match = re.match(r"(miR-\d+|let-7)", base)
    return match.group(1) if match else base


def mirna_status(name: str) -> str | None:
    """How well miRBase (human, v22) knows a miRNA name.

    "known": the name, or its arm-less base, is a human mature miRNA (miR-21, miR-155-5p).
    "family": only the numeric family is human; the letter/arm is another species' or an
    ambiguous shorthand (miR-145a-5p is mouse, miR-125-5p means 125a or 125b).
    None: not even the family exists in human miRBase.
    """
    parsed = parse_mirna(name)
    if parsed is None:
        return None
    base, arm = parsed
    canonical = f"{base}-{arm}" if arm else base
    # An arm-less base names its mature products; an arm written on a miRNA that has a
    # single, arm-less mature name (miR-4450) is harmless.
    if canonical in _mirnas() or (base in _mirna_bases() and (not arm or base in _mirnas())):
        return "known"
    family = _family(base)
    if family in _mirna_bases().values():
        return "family"
    return None


def is_mirna(name: str) -> bool:
    """True when the name is a human miRBase miRNA or a member of a human miRNA family."""
    return mirna_status(name) is not None


def nearest_mirnas(name: str, n: int = 3) -> tuple[str, ...]:
    """Up to n human miRNA names closest to name (edit distance <= 2)."""
    return _closest(normalize_mirna(name), sorted(_mirnas()), n)


def load() -> None:
    """Load every list now (for benchmarks and long-running callers); lookups load lazily."""
    _hgnc_text()
    _approved_by_length()
    _mirnas()
    _mirna_bases()
