"""Recognise biomedical entities (miRNAs, genes, pathways, cytokines, cell sources, processes).

Works on English and Chinese sentences and on titles. Recognisers run in a fixed order and
each masks what it matched, so "miR-155-5p/Trim32" yields one miRNA and one gene and the
"IL-6" of a cytokine is never read again as a gene symbol. Gene symbols are validated
against the bundled HGNC list: an upper-case abbreviation is a gene only when HGNC says so
and it is not a common non-gene abbreviation (DNA, ECM, MSC, ROS...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

from citecheck.claims.evidence import plain_text
from citecheck.claims.nomenclature import lookup_gene, normalize_mirna, typo_of
from citecheck.lazyre import LazyPattern, lazy_compile
from citecheck.model import Entity

MIRNA, GENE, PATHWAY, CYTOKINE, CELL_SOURCE, PROCESS = (
    "mirna",
    "gene",
    "pathway",
    "cytokine",
    "cell-source",
    "process",
)

# Greek letters as written: the letter, a look-alike (ß for β, ɑ for α) or the spelled name.
_GREEK_FORMS = {
    "α": r"α|ɑ|alpha",
    "β": r"β|ß|beta",
    "γ": r"γ|gamma",
    "δ": r"δ|delta",
    "κ": r"κ|kappa",
}
_GREEK_ANY = "|".join(_GREEK_FORMS.values())
_SPACES = re.compile(r"\s+")


def _greek(letter: str) -> str:
    """The canonical Greek letter for a written form ("beta", "ß" -> "β")."""
    folded = letter.strip().lower()
    return next((g for g, forms in _GREEK_FORMS.items() if folded in forms.split("|")), folded)


# --- miRNAs ---------------------------------------------------------------------------
_MIRNA = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:hsa|mmu|rno)-)?"
    r"(?:(?:micro\s?RNA|miRNA|miR|mir)\s?-?\s?\d+[a-z]{0,2}|let-?7[a-z]?)"
    r"(?:-\d+(?=-[35]p))?(?:-[35]p|\*)?(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# --- cytokines: abbreviation, English and Chinese names; PDF text splits "TNF- α" --------
_G = rf"(?P<greek>{_GREEK_ANY})"
_CYTOKINE = re.compile(
    rf"(?<![A-Za-z])(?:"
    rf"(?P<tnf>TNF|tumou?r\s+necrosis\s+factor|肿瘤坏死因子)\s*-?\s*(?P<tg>{_GREEK_ANY})"
    rf"|(?P<ifn>IFN|interferon|干扰素)\s*-?\s*(?P<ig>{_GREEK_ANY})"
    rf"|(?P<il>IL|interleukin|白细胞介素)\s*-?\s*(?P<num>\d{{1,2}}[A-F]?)"
    rf"(?:\s*-?\s*(?P<lg>{_GREEK_ANY}))?"
    rf")(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# --- pathways: chains of signalling components joined by "/" or "-" -------------------
# (spelling regex, canonical name); longer spellings first so "p38 MAPK" beats "p38".
_COMPONENTS: tuple[tuple[str, str], ...] = (
    (r"p38\s*MAPK", "p38 MAPK"),
    (r"PI3-?K", "PI3K"),
    (r"Akt|AKT|PKB", "AKT"),
    (r"mTORC[12]", "mTORC"),
    (r"mTOR|MTOR", "mTOR"),
    (r"ERK\s?1/2|ERK", "ERK"),
    (r"MAPK", "MAPK"),
    (r"JNK", "JNK"),
    (r"p38", "p38"),
    (r"NF-?\s*(?:κ|k|kappa)\s*B", "NF-κB"),
    (rf"TGF\s*-?\s*(?:{_GREEK_FORMS['β']})\s*1?", "TGF-β"),
    (r"Keap1|KEAP1", "KEAP1"),
    (r"Nrf-?2|NRF2", "NRF2"),
    (r"Wnt|WNT", "Wnt"),
    (rf"(?:{_GREEK_FORMS['β']})-?catenin", "β-catenin"),
    (r"JAK\d?", "JAK"),
    (r"STAT\d?", "STAT"),
    (r"AMPK", "AMPK"),
    (r"Smad\d?|SMAD\d?", "SMAD"),
    (r"(?:Notch|Hippo|Hedgehog)(?=[\s-]*(?:signal|pathway|通路|信号))", ""),
)
_COMPONENT = "|".join(f"(?:{spelling})" for spelling, _ in _COMPONENTS)
_PATHWAY = re.compile(
    rf"(?<![A-Za-z0-9-])(?:{_COMPONENT})(?:\s*[/-]\s*(?:{_COMPONENT}))*(?![A-Za-z0-9])"
)
_COMPONENT_RES = tuple((re.compile(rf"(?:{s})"), canonical) for s, canonical in _COMPONENTS)
_PATHWAY_SPLIT = re.compile(rf"(?:{_COMPONENT})")

# --- fixed terms: Chinese names with an English equivalent, cell sources, processes -----
# (pattern, type, normalized). Longer, more specific patterns come first.
_TERMS: tuple[tuple[str, str, str], ...] = (
    # Chinese protein names written out in full (gene symbol as normalized form).
    (r"混合谱系激酶\s*-?\s*3", GENE, "MAP3K11"),
    (r"激活转录因子\s*-?\s*6", GENE, "ATF6"),
    (r"核因子\s*[(（]\s*红细胞衍生\s*[)）]\s*相关因子\s*-?\s*2", GENE, "NFE2L2"),
    (r"Kelch\s*样\s*ECH\s*关联蛋白\s*-?\s*1", GENE, "KEAP1"),
    (r"母系蛋白\s*-?\s*3", GENE, "MATN3"),
    (r"基质金属蛋白酶组织抑制因子\s*-?\s*1", GENE, "TIMP1"),
    (r"血红素加氧酶\s*-?\s*1", GENE, "HMOX1"),
    (rf"转化生长因子\s*-?\s*(?:{_GREEK_FORMS['β']})", PATHWAY, "TGF-β"),
    (r"核因子\s*-?\s*(?:κ|kappa)\s*B", PATHWAY, "NF-κB"),
    # Stem-cell sources.
    (r"诱导多能干细胞(?:衍生的|来源的?)间充质干细胞", CELL_SOURCE, "iPSC-MSC"),
    (
        r"induced\s+pluripotent\s+stem\s+cell[\s-]*derived\s+mesenchymal\s+stem\s+cells?",
        CELL_SOURCE,
        "iPSC-MSC",
    ),
    (r"h?iPSC-?MSCs?", CELL_SOURCE, "iPSC-MSC"),
    (r"诱导多能干细胞|induced\s+pluripotent\s+stem\s+cells?|h?iPSCs?", CELL_SOURCE, "iPSC"),
    (
        (
            r"(?:人)?骨髓间充质干细胞|bone\s+marrow(?:[\s-]+derived)?\s+mesenchymal\s+stem\s+cells?"
            r"|bone\s+mesenchymal\s+stem\s+cells?|h?BM-?MSCs?|h?BMSCs?"
        ),
        CELL_SOURCE,
        "BMSC",
    ),
    (
        (
            r"人?脐带间充质干细胞|(?:human\s+)?umbilical\s+cord(?:[\s-]+derived)?\s+"
            r"mesenchymal\s+stem\s+cells?|h?UC-?MSCs?"
        ),
        CELL_SOURCE,
        "hUC-MSC",
    ),
    (
        (
            r"人?尿液?来源的?干细胞|人?尿液?干细胞|尿源性?干细胞|(?:human\s+)?urine[\s-]+derived"
            r"\s+stem\s+cells?|h?USCs?"
        ),
        CELL_SOURCE,
        "USC",
    ),
    (r"软骨终板干细胞|cartilage\s+endplate\s+stem\s+cells?|CESCs?", CELL_SOURCE, "CESC"),
    (
        (
            r"脂肪(?:来源的?)?间充质干细胞|脂肪(?:来源的?)?干细胞|adipose(?:[\s-]+derived)?\s+"
            r"(?:mesenchymal\s+)?stem\s+cells?|ADSCs?|AD-MSCs?"
        ),
        CELL_SOURCE,
        "ADSC",
    ),
    (r"人?胚胎干细胞|(?:human\s+)?embryonic\s+stem\s+cells?|h?ESCs?", CELL_SOURCE, "ESC"),
    (
        (
            r"人?胎盘间充质干细胞|(?:human\s+)?placental?(?:[\s-]+derived)?\s+mesenchymal\s+"
            r"stem\s+cells?|h?P-?MSCs?"
        ),
        CELL_SOURCE,
        "PMSC",
    ),
    (r"牙髓间充质干细胞|dental\s+pulp\s+stem\s+cells?|DPSCs?", CELL_SOURCE, "DPSC"),
    (
        r"间充质干细胞|mesenchymal\s+(?:stem|stromal)(?:/stromal)?\s+cells?|MSCs?",
        CELL_SOURCE,
        "MSC",
    ),
    # Processes.
    (r"内质网应激|endoplasmic\s+reticulum\s+stress|ER\s+stress", PROCESS, "ER stress"),
    (r"未折叠蛋白反应|unfolded\s+protein\s+response", PROCESS, "unfolded protein response"),
    (r"氧化应激|oxidative\s+stress", PROCESS, "oxidative stress"),
    (r"凋亡|apoptosis|apoptotic", PROCESS, "apoptosis"),
    (r"自噬|autophagy|autophagic", PROCESS, "autophagy"),
    (r"焦亡|pyroptosis|pyroptotic", PROCESS, "pyroptosis"),
    (r"铁死亡|ferroptosis|ferroptotic", PROCESS, "ferroptosis"),
    (r"衰老|senescence|senescent", PROCESS, "senescence"),
    (r"炎症小体|炎性小体|inflammasomes?", PROCESS, "inflammasome"),
    (r"炎症|炎性|inflammation|inflammatory", PROCESS, "inflammation"),
    (r"钙化|calcification", PROCESS, "calcification"),
    (r"软骨生成|chondrogenesis", PROCESS, "chondrogenesis"),
)


def _top_level_alternatives(pattern: str) -> list[str]:
    """Split "a|b(c|d)|e" into ["a", "b(c|d)", "e"]: only the outermost "|" separate."""
    parts, depth, start, escaped, in_class = [], 0, 0, False, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _term_regex(han: bool) -> LazyPattern:
    """One regex of every term's Han (or every term's other) spellings, in _TERMS order.

    Chinese and Latin spellings never overlap, so two regexes find what one would; the Han
    one runs only on text that has Han characters, which halves the work on English text.
    """
    groups = []
    for i, (pattern, _, _) in enumerate(_TERMS):
        mine = [a for a in _top_level_alternatives(pattern) if bool(_HAN_CHAR.search(a)) == han]
        if mine:
            groups.append(rf"(?P<t{i}>(?:{'|'.join(mine)})(?![A-Za-z0-9]))")
    # Every spelling starts with a Latin letter or digit (Han ones may start with either):
    # the lookahead skips all other positions before any alternative is tried.
    first = "[A-Za-z0-9\u3400-\u9fff]" if han else "[A-Za-z0-9]"
    # Compiled on first use: English text never needs the Han one (~6 ms to compile).
    return lazy_compile(rf"(?<![A-Za-z0-9])(?={first})(?:" + "|".join(groups) + ")", re.IGNORECASE)


_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_LATIN_TERMS = _term_regex(han=False)
_HAN_TERMS = _term_regex(han=True)

# --- gene symbols ----------------------------------------------------------------------
# A candidate token: letters/digits, optionally "-1" as in HO-1; never the tail of a
# hyphenated word ("CircRNA-CIDN", "SH-SY5Y").
_TOKEN = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z][A-Za-z0-9]*(?:-\d{1,2}[A-Za-z]?)?(?![A-Za-z0-9])")
# Shapes that look like a gene symbol even when HGNC does not know them (SUV38H1): at least
# two capitals, then a digit; no 4-digit runs (years, trial and accession numbers).
_SYMBOL_SHAPE = re.compile(r"[A-Z]{2,}[A-Z0-9]*\d[A-Z0-9]*")
_LONG_NUMBER = re.compile(r"\d{4,}")
# Proteins named by molecular weight (p53, p21, p16): aliases worth reading even when short.
_P_NAME = re.compile(r"[Pp]\d{2,3}")
# Abbreviations that HGNC lists as a symbol or alias but that manuscripts use for something
# else (MSC = mesenchymal stem cell, IVD = intervertebral disc), and digit-bearing tokens
# that are cell lines, chemicals or diseases rather than genes.
NOT_GENES = frozenset(
    (
        "IC50",
        "EC50",
        "ED50",
        "LD50",
        "GI50",
        "CC50",
        "DNA",
        "RNA",
        "MRNA",
        "PCR",
        "QPCR",
        "ECM",
        "MSC",
        "MSCS",
        "IVD",
        "IVDD",
        "NP",
        "NPC",
        "NPCS",
        "AF",
        "CEP",
        "ER",
        "ROS",
        "UPR",
        "EV",
        "EVS",
        "MRI",
        "CT",
        "CAT",
        "SET",
        "MAX",
        "ATM",
        "APP",
        "AGE",
        "CELL",
        "II",
        "III",
        "IV",
        "VI",
        "GAP",
        "LBP",
        "BMI",
        "SD",
        "SEM",
        "WB",
        "IHC",
        "IF",
        "HE",
        "ELISA",
        "FBS",
        "PBS",
        "TEM",
        "NTA",
        "AIM",
        "ANOVA",
        "CI",
        "OR",
        "HR",
        "RR",
        "USA",
        "WHO",
        "NIH",
        "NSFC",
        "HEK293",
        "HEK293T",
        "HCT116",
        "MCF7",
        "MC3T3",
        "NIH3T3",
        "THP1",
        "ATDC5",
        "SW1353",
        "PC12",
        "HL60",
        "HT29",
        "SW480",
        "RAW264",
        "CO2",
        "NO2",
        "SO2",
        "COVID",
        "COVID-19",
        "SARS",
        "CD",
        "SDS",  # sodium dodecyl sulfate (SDS-PAGE), not serine dehydratase
        "PAM",  # PAM matrices, protospacer adjacent motif, partitioning around medoids
    )
)


def _mirna(text: str) -> Iterator[tuple[int, int, Entity]]:
    for m in _MIRNA.finditer(text):
        written = m.group(0)
        yield m.start(), m.end(), Entity(written, MIRNA, normalize_mirna(_SPACES.sub("", written)))


def _cytokines(text: str) -> Iterator[tuple[int, int, Entity]]:
    for m in _CYTOKINE.finditer(text):
        if m["tnf"]:
            name = "TNF-" + _greek(m["tg"])
        elif m["ifn"]:
            name = "IFN-" + _greek(m["ig"])
        else:
            name = f"IL-{m['num'].upper()}" + (_greek(m["lg"]) if m["lg"] else "")
        yield m.start(), m.end(), Entity(m.group(0), CYTOKINE, name)


def _pathways(text: str) -> Iterator[tuple[int, int, Entity]]:
    for m in _PATHWAY.finditer(text):
        names = [_canonical_component(part) for part in _PATHWAY_SPLIT.findall(m.group(0))]
        yield m.start(), m.end(), Entity(m.group(0), PATHWAY, "/".join(dict.fromkeys(names)))


def _canonical_component(written: str) -> str:
    for pattern, canonical in _COMPONENT_RES:
        if pattern.fullmatch(written):
            return canonical or written.capitalize()
    return written


def _terms(text: str) -> Iterator[tuple[int, int, Entity]]:
    # One pass, leftmost match first and, at one position, the term listed first: specific
    # terms come before generic ones, so "诱导多能干细胞衍生的间充质干细胞" is one iPSC-MSC,
    # not also an iPSC and a generic MSC. (Combined regexes: ~4x faster than 34 scans.)
    matches = list(_LATIN_TERMS.finditer(text))
    if _HAN_CHAR.search(text):
        matches = sorted([*matches, *_HAN_TERMS.finditer(text)], key=lambda m: m.start())
    for m in matches:
        _, kind, normalized = _TERMS[int(m.lastgroup[1:])]
        yield m.start(), m.end(), Entity(m.group(0), kind, normalized)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by as many spaces (offsets stay valid)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@lru_cache(maxsize=65536)
def gene_symbol(token: str) -> str | None:
    """The normalized gene symbol a token stands for, or None if it is not gene-like.

    Returns the approved HGNC symbol when the token names exactly one gene, the
    upper-cased token when it names several or is an unknown symbol-shaped token one key
    slip from exactly one approved symbol (SUV38H1 for SUV39H1: rules report those as
    invalid symbols), and None for everything else: unknown tokens such as HDF5, UK10K,
    CHM13 or DLBCL90 are file formats, cohorts, cell lines and scores far more often than
    genes.
    """
    upper = token.upper()
    if upper in NOT_GENES or upper.split("-")[0] in NOT_GENES:
        return None
    has_digit = any(ch.isdigit() for ch in token)
    hit = lookup_gene(token)
    if hit is not None:
        if len(token) <= 3 and hit.kind != "approved" and not _P_NAME.fullmatch(token):
            # "S6", "T3", "S11", "ST2", "BN2": tables, steps, subtypes; C3, F2 and p53 stay.
            return None
        if has_digit and (token.isupper() or token[0].isupper()):
            return hit.approved_symbol if not hit.ambiguous else upper
        # Digit-free words are genes only as upper-case approved symbols (BAX, CAHM);
        # aliases like ECM or ROS are too often ordinary abbreviations.
        if token.isupper() and len(token) >= 3 and hit.kind == "approved":
            return hit.approved_symbol
        return None
    if _SYMBOL_SHAPE.fullmatch(token) and not _LONG_NUMBER.search(token) and typo_of(token):
        return upper
    return None


def _genes(text: str) -> Iterator[tuple[int, int, Entity]]:
    for m in _TOKEN.finditer(text):
        symbol = gene_symbol(m.group(0))
        if symbol is not None:
            yield m.start(), m.end(), Entity(m.group(0), GENE, symbol)


# Order matters: each recogniser sees the text with earlier matches blanked out.
_RECOGNISERS: tuple[Callable[[str], Iterator[tuple[int, int, Entity]]], ...] = (
    _mirna,
    _cytokines,
    _terms,
    _pathways,
    _genes,
)


def entity_spans(text: str) -> list[tuple[int, int, Entity]]:
    """Every entity occurrence as (start, end, entity) in reading order; `text` must be NFC.

    Claim-support detectors need where each entity is, to read the relation between two.
    """
    found: list[tuple[int, int, Entity]] = []
    for recognise in _RECOGNISERS:
        hits = list(recognise(text))
        found.extend(hits)
        text = _blank(text, [(start, end) for start, end, _ in hits])
    return sorted(found, key=lambda item: item[0])


def extract_entities(text: str) -> tuple[Entity, ...]:
    """Entities in a sentence, in reading order, one per (type, normalized form)."""
    found = entity_spans(unicodedata.normalize("NFC", text))
    unique: dict[tuple[str, str], Entity] = {}
    for _, _, entity in found:
        entity = Entity(_SPACES.sub(" ", entity.text.strip()), entity.type, entity.normalized)
        unique.setdefault((entity.type, entity.normalized), entity)
    return tuple(unique.values())


def entities_in_title(title: str) -> tuple[Entity, ...]:
    """Entities in a reference or Crossref title, after removing markup (<i>, <sub>...)."""
    return extract_entities(plain_text(title))


@lru_cache(maxsize=65536)
def normalize_entity(text: str, type: str) -> str:
    """The comparison form of an entity written as `text` and known to be of `type`.

    miR-199a = microRNA-199a = hsa-miR-199a; TNF-α = TNF-alpha = TNFα = "TNF- α";
    PI3K-Akt = PI3K/AKT; Trim32 = TRIM32. Unrecognised text is returned space-folded.
    """
    text = unicodedata.normalize("NFC", text).strip()
    for recognise in _RECOGNISERS:
        for start, end, entity in recognise(text):
            if entity.type == type and start == 0 and end == len(text):
                return entity.normalized
    if type == GENE:
        return text.upper()
    if type == MIRNA:
        return normalize_mirna(_SPACES.sub("", text))
    return _SPACES.sub(" ", text)


# What a signalling component means in HGNC terms, so "Keap1/Nrf2" in a title supports a
# claim naming NFE2L2 and "AKT" supports "AKT1".
COMPONENT_GENES: dict[str, frozenset[str]] = {
    "PI3K": frozenset({"PIK3CA", "PIK3CB", "PIK3CD", "PIK3R1"}),
    "AKT": frozenset({"AKT1", "AKT2", "AKT3"}),
    "mTOR": frozenset({"MTOR"}),
    "ERK": frozenset({"MAPK1", "MAPK3"}),
    "p38": frozenset({"MAPK14"}),
    "p38 MAPK": frozenset({"MAPK14", "P38", "MAPK"}),
    "JNK": frozenset({"MAPK8", "MAPK9"}),
    "NF-κB": frozenset({"NFKB1", "RELA"}),
    "TGF-β": frozenset({"TGFB1", "TGFB2", "TGFB3"}),
    "KEAP1": frozenset({"KEAP1"}),
    "NRF2": frozenset({"NFE2L2"}),
    "β-catenin": frozenset({"CTNNB1"}),
    "AMPK": frozenset({"PRKAA1", "PRKAA2"}),
}
# Cytokines whose gene symbol is not simply the name without its hyphen.
_CYTOKINE_GENES = {"TNF-α": "TNF", "TNF-β": "LTA", "IFN-γ": "IFNG", "IFN-α": "IFNA1"}


def entity_keys(entity: Entity) -> tuple[frozenset[str], ...]:
    """Comparison keys, one set per component: an entity is mentioned when each set meets.

    Pathways have one component per signalling name (PI3K/AKT -> two); a gene's keys are
    its written and approved symbols; a cytokine's include its gene (IL-1β -> IL1B).
    """
    if entity.type == PATHWAY:
        return tuple(
            frozenset({part.upper()}) | COMPONENT_GENES.get(part, frozenset())
            for part in entity.normalized.split("/")
        )
    if entity.type == GENE:
        keys = {entity.text.upper(), entity.normalized.upper()}
        hit = lookup_gene(entity.text)
        if hit is not None:
            keys.update(hit.approved)
        return (frozenset(keys),)
    if entity.type == CYTOKINE:
        gene = _CYTOKINE_GENES.get(entity.normalized)
        if gene is None and entity.normalized.startswith("IL-"):
            gene = "IL" + entity.normalized[3:].replace("α", "A").replace("β", "B")
        return (frozenset({entity.normalized.upper(), gene or entity.normalized.upper()}),)
    return (frozenset({entity.normalized.upper()}),)
