"""The bibliography of a Pandoc-family manuscript: where it is named and how it is read.

`--refs` wins; else Manubot's `references.json` beside the manuscript (it already holds the
manual references); else the files the front matter names, the project's (`_quarto.yml`,
`_metadata.yml`, `index.Rmd`) or a Manubot content folder's manual references, plus inline
`references:`. BibTeX, CSL JSON and CSL YAML are read; anything else is a one-line error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from citecheck.files import InputError, read_text_file
from citecheck.model import Location, Reference, UnparsedEntry
from citecheck.readers import frontmatter, manubot
from citecheck.readers.csljson import csl_items, item_key, references_from_items, standard_id
from citecheck.readers.errors import ReaderError
from citecheck.readers.latex import read_bib_file

_CSL_YAML = (".yaml", ".yml")


@dataclass(frozen=True)
class Bibliography:
    """Where citations are linked: the entries, and Manubot's maps onto their keys."""

    references: tuple[Reference, ...] = ()
    unparsed: tuple[UnparsedEntry, ...] = ()
    location: Location | None = None
    citekeys: dict[str, str] = field(default_factory=dict)  # citations.tsv: citekey -> item id
    noted: dict[str, str] = field(default_factory=dict)  # item id -> Manubot standard_id
    found: bool = True  # False: none named anywhere
    complete: bool = True  # False: a named file is missing, so an undefined key proves nothing


def find_bibliography(path: Path, text: str, meta: dict, refs: Path | None) -> Bibliography:
    """The manuscript's bibliography: `refs`, Manubot's references.json, or what the front
    matter, its inline `references:` and the Quarto project name (relative to their file)."""
    if refs is not None:
        return _read_files([refs], None, refs.parent)
    output = _manubot_output(path.parent, meta)
    if output is not None:
        return _read_files([output / manubot.REFERENCES_JSON], None, output)
    where = frontmatter.metadata_location(str(path), text, "bibliography")
    files = frontmatter.bibliography_files(meta, path.parent)
    project = frontmatter.project_bibliography(path) if not files else None
    if project:
        files, where = project
    if not files:  # a Manubot content file: its manual references, if any
        files = [f for f in _manual_references(path.parent) if f.is_file()][:1]
    bibliography = _read_files(files, where, path.parent) if files else Bibliography(found=False)
    inline = _inline_references(meta, str(path), text)
    if inline:
        return replace(
            bibliography,
            references=inline + bibliography.references,
            location=bibliography.location or Location(str(path), 1),
            found=True,
        )
    return bibliography


def read_bibliography(
    file: Path, cited_from: Location | None = None
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...]]:
    """A .bib (BibTeX/BibLaTeX), .json (CSL JSON) or .yaml (CSL YAML) bibliography."""
    references, unparsed, _ = _read_database(file, cited_from)
    return references, unparsed


def _read_database(
    file: Path, cited_from: Location | None
) -> tuple[tuple[Reference, ...], tuple[UnparsedEntry, ...], dict[str, str]]:
    """Entries, unreadable entries, and for CSL JSON each item's Manubot standard_id."""
    suffix = file.suffix.lower()
    if suffix in (".bib", ".bibtex"):
        return (*read_bib_file(file, cited_from), {})
    if suffix != ".json" and suffix not in _CSL_YAML:
        problem = InputError(file, None, "expected a .bib, CSL JSON or CSL YAML bibliography")
        raise _where_named(problem, file, cited_from)
    try:
        text = read_text_file(file)
    except InputError as error:
        raise _where_named(error, file, cited_from) from None
    if suffix == ".json":
        items = csl_items(text, str(file))
    else:
        items = frontmatter.load_yaml(text, str(file)).get("references")
        items = items if isinstance(items, list) else []
    noted = {
        item_key(item): standard_id(item)
        for item in items
        if isinstance(item, dict) and item_key(item) and standard_id(item)
    }
    return (*references_from_items(items, text, str(file)), noted)


def _where_named(error: InputError, file: Path, cited_from: Location | None) -> ReaderError:
    """The problem with a bibliography file, reported where the manuscript names it."""
    if cited_from is None:
        return ReaderError(error.path, error.line, error.message)
    return ReaderError(cited_from.path, cited_from.line, f"bibliography {file}: {error.message}")


def _manubot_output(folder: Path, meta: dict) -> Path | None:
    """The folder of Manubot's output (references.json with citations.tsv, or named by the
    manuscript's manubot-* keys): beside the manuscript, or output/ of a content folder."""
    for candidate in (folder, folder / "output", folder.parent / "output"):
        if not (candidate / manubot.REFERENCES_JSON).is_file():
            continue
        if (candidate / manubot.CITATIONS_TSV).is_file() or any(
            str(k).startswith("manubot-") for k in meta
        ):
            return candidate
    return None


def _only_bib_beside(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.bib"))
    return found if len(found) == 1 else []


def _manual_references(folder: Path) -> list[Path]:
    return [folder / manubot.MANUAL_REFERENCES, folder / "content" / manubot.MANUAL_REFERENCES]


def _read_files(files: list[Path], where: Location | None, folder: Path) -> Bibliography:
    """Entries of every file; for Manubot's references.json also its citekey map and ids."""
    references: list[Reference] = []
    unparsed: list[UnparsedEntry] = []
    noted: dict[str, str] = {}
    present = [f for f in files if f.exists()]
    # One of several named files missing (knitr's generated packages.bib, say): read the
    # others. None there but the manuscript's folder holds exactly one .bib (renamed since):
    # read that. Either way, keys that only the missing file could define are "cannot tell".
    if not present:
        present = _only_bib_beside(folder) if where is not None else []
    complete = len(present) == len(files) and present == [f for f in files if f.exists()]
    for file in present or files:  # none at all: the first named one says "no such file"
        found, bad, ids = _read_database(file, where)
        references.extend(found)
        unparsed.extend(bad)
        noted.update(ids)
    # A citation names an item by its Manubot standard id ("raw:phylip") or, through
    # citations.tsv, by whatever the manuscript wrote.
    citekeys = {std: key for key, std in noted.items()}
    citekeys.update(manubot.citekey_map(folder) if noted else {})
    return Bibliography(
        tuple(references),
        tuple(unparsed),
        Location(str(files[0]), 1),
        citekeys,
        noted,
        complete=complete,
    )


def _inline_references(meta: dict, path: str, text: str) -> tuple[Reference, ...]:
    """CSL items written in the front matter's `references:` list."""
    items = meta.get("references")
    if not isinstance(items, list):
        return ()
    found, _ = references_from_items(items, "", path)
    where = frontmatter.metadata_location(path, text, "references")
    return tuple(replace(ref, location=where) for ref in found)
