"""Each unique reference of a corpus resolved once, in the client, through one resolver.

A reference's identity is its DOI, else its PMID, else its normalised text: the same work
cited by 300 manuscripts costs one lookup. Lookups go first to the local index (when given),
then online (when asked) through ONE rate-limited Crossref client, so the corpus keeps the
service's limits whatever the number of workers. DOIs are fetched 50 to a request first
(Crossref's `filter=doi:...`), then only what that did not answer is asked one by one. With
PubMed among the sources, the chunk's unique references go to NCBI in batches first
(ECitMatch, 20 citations a request; EFetch, 200 PMIDs a request) at NCBI's 3 requests/s, or
10 with an API key; per reference, PubMed is then asked only what the batches left open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from citecheck.model import Reference, Resolution, Verdict, Work
from citecheck.normalize import doi_key
from citecheck.resolve.lock import text_key

DOI_BATCH = 50


def identity_key(ref: Reference) -> str:
    """The key under which equal references share one resolution."""
    if ref.doi and doi_key(ref.doi):
        return "doi:" + doi_key(ref.doi)
    if ref.pmid:
        return "pmid:" + ref.pmid.strip()
    return "text:" + text_key(ref.raw)


@dataclass
class Counts:
    """What the resolver did: unique references seen, and lookups per source."""

    unique: int = 0
    index: int = 0
    online: int = 0  # requests (a batch of DOIs counts once)


class _Prefetched:
    """A Crossref client whose `work` first answers from DOIs fetched in batches."""

    def __init__(self, client, found: dict[str, Work], counts: Counts) -> None:
        self.name = client.name
        self._client, self._found, self._counts = client, found, counts

    @property
    def concurrency(self) -> int:
        return self._client.concurrency

    def work(self, doi: str) -> Work | None:
        hit = self._found.get(doi_key(doi))
        if hit is not None:
            return hit
        self._counts.online += 1
        return self._client.work(doi)

    def search(self, bibliographic: str, rows: int = 5):
        self._counts.online += 1
        return self._client.search(bibliographic, rows)


@dataclass
class UniqueResolver:
    """Memoised resolution for a corpus; `resolve` is called from the client process only."""

    index: object | None = None  # citecheck.resolve.index.lookup.IndexSource
    client: object | None = None  # citecheck.resolve.sources.crossref.CrossrefClient
    # With other sources than Crossref (workflow.NetworkOptions.sources), every reference is
    # asked of all of them (issue 10's identity verdicts) on this session.
    network: object | None = None
    session: object | None = None
    # Resolves a list of references against the index elsewhere (the engine sets it to run
    # on the Dask workers, which share the index file); None: here, one by one.
    index_map: Callable[[list[Reference]], list[Resolution]] | None = None
    known: dict[str, Resolution] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)

    def resolve(
        self, references: Iterable[Reference], on_progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Resolve every reference whose identity is not known yet (each identity once)."""
        todo: dict[str, Reference] = {}
        for ref in references:
            key = identity_key(ref)
            if key not in self.known and key not in todo and key != "text:":
                todo[key] = ref
        self.counts.unique += len(todo)
        if not todo or (self.index is None and self.client is None):
            return
        remaining = self._from_index(todo) if self.index is not None else dict(todo)
        if self.client is not None and remaining:
            self._online(remaining, on_progress)

    def resolutions_for(self, references: Iterable[Reference]) -> dict[int, Resolution]:
        """One manuscript's resolutions by its own reference numbers."""
        out: dict[int, Resolution] = {}
        for ref in references:
            found = self.known.get(identity_key(ref))
            if ref.number is not None and found is not None:
                out[ref.number] = replace(found, query=ref.raw)
        return out

    def _from_index(self, todo: dict[str, Reference]) -> dict[str, Reference]:
        from citecheck.resolve.index.lookup import resolve_with_index

        keys = list(todo)
        if self.index_map is not None:
            answers = self.index_map([todo[k] for k in keys])
        else:
            answers = [resolve_with_index(todo[k], self.index) for k in keys]
        remaining = {}
        for key, res in zip(keys, answers, strict=True):
            ref = todo[key]
            self.counts.index += 1
            self.known[key] = res
            if res.verdict is not Verdict.MATCHED:
                remaining[key] = ref
        return remaining

    def _online(self, todo: dict[str, Reference], on_progress) -> None:
        from citecheck.resolve.match import resolve_reference
        from citecheck.resolve.resolver import resolve_all

        dois = sorted({doi_key(r.doi) for r in todo.values() if r.doi})
        found: dict[str, Work] = {}
        for start in range(0, len(dois), DOI_BATCH):
            self.counts.online += 1
            try:
                found.update(self.client.works(dois[start : start + DOI_BATCH]))
            except Exception:  # noqa: BLE001, S110 - the one-by-one lookups below say why
                pass
        source = _Prefetched(self.client, found, self.counts)
        keys = list(todo)
        numbered = [replace(todo[k], number=i) for i, k in enumerate(keys)]
        sources = tuple(getattr(self.network, "sources", ("crossref",)))
        if sources == ("crossref",):
            answers = resolve_all(
                numbered,
                lambda ref: resolve_reference(ref, source),
                concurrency=source.concurrency,
                on_progress=on_progress,
            )
        else:
            answers = self._everywhere(numbered, source, on_progress)
        for i, key in enumerate(keys):
            if i in answers:
                self.known[key] = answers[i]

    def _everywhere(self, numbered, crossref, on_progress) -> dict[int, Resolution]:
        """Every chosen source for each reference (Crossref's answers from the batches)."""
        from citecheck.resolve.sources.multi import resolve_with_sources

        # PubMed batches span every unique reference of the chunk, as `check`'s span one
        # manuscript.
        return resolve_with_sources(numbered, self.network, self.session, crossref, on_progress)
