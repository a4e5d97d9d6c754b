"""Plain frozen records shared by every part of citecheck (no behaviour beyond tiny helpers)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that `severity >= threshold` works."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """Where something sits: a file, a 1-based line and a 1-based column (None if unknown)."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Author:
    """One author as written in a reference: family name plus given name or initials.

    Chinese names written in Han characters are kept whole in `family` with `given` empty
    unless the entry separates them ("周荣耀" -> family "周荣耀").
    """

    family: str
    given: str = ""

    @property
    def initials(self) -> str:
        return "".join(ch for ch in self.given if ch.isupper()) or self.given[:1].upper()


@dataclass(frozen=True)
class Reference:
    """One entry of the manuscript's reference list, parsed into fields.

    `number` is the entry's number in a numbered list (None for author-year lists).
    `raw` is the entry exactly as written. Missing fields are empty strings / None.
    """

    key: str
    raw: str
    location: Location
    number: int | None = None
    kind: str = "article"  # BibTeX entry type: article, book, inproceedings, phdthesis, misc...
    type_marker: str = ""  # GB/T 7714 marker as written: J, M, C, D, J/OL, ...
    authors: tuple[Author, ...] = ()
    et_al: bool = False  # the list ends with "et al." / "等"
    title: str = ""
    container: str = ""  # journal or book title, as written
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""  # "1611-1621", "e70089"; as written, dash normalised
    article_number: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""  # "PMC1234567"
    arxiv: str = ""  # "2101.00001"
    isbn: str = ""
    url: str = ""
    publisher: str = ""
    language: str = "en"  # "zh" when the entry is written in Chinese
    ignore: tuple[str, ...] = ()  # rules suppressed for this entry (BibTeX `citecheck-ignore`)


@dataclass(frozen=True)
class UnparsedEntry:
    """A reference-list entry or BibTeX block that could not be read, kept as data."""

    location: Location
    text: str
    reason: str


@dataclass(frozen=True, slots=True)  # slots: a manuscript may hold millions of callouts
class Callout:
    """One in-text citation ("[3,5]", "^[26]", "[1-2]") with the reference numbers it means.

    `numbers` is the expansion ("[1-3]" -> (1, 2, 3)); `problem` is set when the callout
    is malformed ("[9-3]", "[0]"); `author_mention` is the name written just before it
    ("Cheng", "周荣耀", "Zhu and Chen"); `in_running_text` is False inside tables/legends.
    `keys` holds citation keys for key-based styles (LaTeX, Pandoc), empty for numeric ones.
    """

    location: Location
    text: str
    numbers: tuple[int, ...]
    sentence: str = ""
    author_mention: str = ""
    in_running_text: bool = True
    problem: str = ""
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    """A named thing in a claim or title: miRNA, gene/protein, pathway, cytokine, cell source."""

    text: str
    type: str
    normalized: str


@dataclass(frozen=True)
class Claim:
    """One citing sentence: what it cites and who it names, paraphrased (never quoted)."""

    id: str
    location: Location
    numbers: tuple[int, ...]
    author_mention: str = ""
    paraphrase: str = ""
    entities: tuple[Entity, ...] = ()
    keys: tuple[str, ...] = ()
    text: str = ""  # the citing sentence without its callouts (claims.yaml v3)


@dataclass(frozen=True)
class Update:
    """A Crossref update relation: this work was retracted/corrected/... by `doi`."""

    type: str  # retraction, correction, erratum, expression_of_concern, ...
    doi: str = ""
    label: str = ""


@dataclass(frozen=True)
class Work:
    """The subset of a Crossref work message used for checking. Empty/None = unknown."""

    doi: str = ""
    title: str = ""
    authors: tuple[Author, ...] = ()
    authors_complete: bool = True  # False when the record is known to list only some authors
    container_title: str = ""
    short_container_title: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    page: str = ""
    article_number: str = ""
    type: str = ""
    abstract: str = ""
    updated_by: tuple[Update, ...] = ()  # notices that update this work (retractions...)
    update_to: tuple[Update, ...] = ()  # works this one updates (this is itself a notice)
    relation: tuple[Update, ...] = ()
    pmid: str = ""  # PubMed id, when the source knows it
    pmcid: str = ""  # "PMC1234567", when the source knows it


class Verdict(enum.StrEnum):
    """Outcome of resolving one reference against a metadata source."""

    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not-found"
    LOOKUP_FAILED = "lookup-failed"
    # Nobody was asked yet: the lock has no record that fits the entry (never written to a lock).
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class Resolution:
    """What a metadata source said about one reference."""

    verdict: Verdict
    work: Work | None = None
    score: float = 0.0
    query: str = ""
    source: str = ""  # "crossref-api" or "recorded"
    retrieved: str = ""  # ISO 8601 timestamp
    detail: str = ""  # why: error text for lookup-failed, candidates for ambiguous
    # Multi-source identity verdict (issue 10); None when only one source was asked.
    identity: Identity | None = None


@dataclass(frozen=True)
class SourceAnswer:
    """What one metadata source said about one reference, by identifier (issue 10).

    status: found | absent | failed | not-asked | not-covered; the identifiers are those of
    the record the source returned (empty when it had none); detail says why.
    """

    source: str
    status: str
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Identity:
    """Is the reference real and what it claims to be? One verdict with its reason.

    verdict: verified | mismatch | identifier-conflict | not-found | cannot-determine;
    `matched_by` names the source whose record is the entry's work; `published` is the
    journal DOI of a preprint that has since been published.
    """

    verdict: str
    reason: str
    matched_by: str = ""
    answers: tuple[SourceAnswer, ...] = ()
    published: str = ""


@dataclass(frozen=True)
class Manuscript:
    """Everything read from a manuscript (or from refs + claims files) before checking."""

    path: str
    references: tuple[Reference, ...] = ()
    callouts: tuple[Callout, ...] = ()
    unparsed: tuple[UnparsedEntry, ...] = ()
    numbered: bool = True  # citation-sequence style (numbers) vs. key/author-year style
    reference_list_location: Location | None = None
    # True when the references come from a bibliography database (.bib, CSL JSON, Manubot
    # references.json) rather than a printed list: BibTeX and Pandoc print only what is cited,
    # so an uncited database entry is not a problem (uncited-reference is opt-in there).
    bibliography_is_database: bool = False
    # False when the reader cannot vouch for the order in which callouts are read (a PDF's
    # floats, boxes and side columns sit anywhere): citation order is then not judged.
    reading_order_known: bool = True
    # Keys LaTeX's \nocite puts in the printed list without citing them in the text.
    nocite: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    """The input every rule sees: a manuscript, its claims and what sources said."""

    manuscript: Manuscript
    claims: tuple[Claim, ...] = ()
    resolutions: dict[int, Resolution] = field(default_factory=dict)  # by reference number
    evidence: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # evidence: reference number -> ((source label, text), ...), e.g. ("title", "..."),
    # ("crossref-title", "..."), ("abstract:europepmc", "...")
    # Claim verdicts, computed once per check by pipeline.build_project (None: not computed,
    # rules then compute them themselves); they live exactly as long as this project.
    claim_verdicts: tuple[ClaimVerdict, ...] | None = None
    support_verdicts: tuple[SupportVerdict, ...] | None = None

    @property
    def references(self) -> tuple[Reference, ...]:
        return self.manuscript.references

    @property
    def callouts(self) -> tuple[Callout, ...]:
        return self.manuscript.callouts

    def reference(self, number: int) -> Reference | None:
        """The entry numbered `number` (the first, if the list numbers two alike)."""
        return self._by_number.get(number)

    @cached_property
    def _by_number(self) -> dict[int, Reference]:
        table: dict[int, Reference] = {}
        for ref in self.manuscript.references:
            if ref.number is not None:
                table.setdefault(ref.number, ref)
        return table


@dataclass(frozen=True)
class Problem:
    """What a rule yields; the engine turns it into a Finding by adding rule identity."""

    message: str
    location: Location
    expected: str = ""
    found: str = ""
    suggestion: str = ""
    reference: int | None = None
    bib_key: str = ""
    claim_id: str = ""
    severity: Severity | None = None  # a rule may lower/raise its default for one problem


@dataclass(frozen=True)
class Finding:
    """One reported problem: flat, frozen, and everything a report needs."""

    rule: str  # stable slug, e.g. "author-mention-mismatch"
    code: str  # stable short code, e.g. "CC108"
    severity: Severity
    message: str
    location: Location
    expected: str = ""
    found: str = ""
    suggestion: str = ""
    reference: int | None = None
    bib_key: str = ""
    claim_id: str = ""


@dataclass(frozen=True)
class RuleInfo:
    """A rule's public identity, as reports (SARIF, `citecheck rules`) describe it."""

    code: str
    slug: str
    severity: Severity
    description: str
    area: str


@dataclass(frozen=True)
class ClaimVerdict:
    """Per-claim, per-entity verdict of claim checking (issue: claims vs cited evidence)."""

    claim_id: str
    reference: int
    entity: Entity
    verdict: str  # supported, mismatch, unsupported, no-evidence
    evidence_source: str = ""
    detail: str = ""


@dataclass(frozen=True)
class SupportVerdict:
    """Does one cited work support one claim? (issue 9: claim support, with quoted evidence)"""

    claim_id: str
    reference: int
    verdict: str  # supported, contradicted, not-found, cannot-determine
    confidence: float = 0.0
    evidence: str = ""  # the quoted sentence of the cited work
    source: str = ""  # where it is from: "abstract:recorded", "fulltext:europepmc:results"
    reason: str = ""  # why, or what was searched
    highlights: tuple[str, ...] = ()  # entities of the claim as the evidence sentence writes them
    study: str = ""  # a study-type/species/process conflict, explained (claim-study-mismatch)
    study_evidence: str = ""  # the sentence quoted for it


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one `check` run: what went in, what was found."""

    tool_version: str
    inputs: dict[str, str]
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...]
    claims: tuple[Claim, ...] = ()
    claim_verdicts: tuple[ClaimVerdict, ...] = ()
    references: tuple[Reference, ...] = ()
    support_verdicts: tuple[SupportVerdict, ...] = ()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "total": len(self.findings),
            "error": self.count(Severity.ERROR),
            "warning": self.count(Severity.WARNING),
            "info": self.count(Severity.INFO),
        }
