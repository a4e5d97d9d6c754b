"""Open a .docx package safely: sizes checked before inflating, XML parsed without entities.

A .docx is a zip of XML parts. A hostile one can hold a few MB that inflate to GiB (a zip
bomb), a corrupt member, or XML with entity declarations. Every such problem becomes one
ReaderError naming the file; nothing here lets a foreign exception escape.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from lxml import etree

from citecheck.readers.errors import ReaderError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Limits:
    """Generous defaults: a real manuscript's document.xml is a few MB, rarely 50."""

    part_bytes: int = 200 * 1024 * 1024  # inflated size of one part
    total_bytes: int = 500 * 1024 * 1024  # inflated size of the parts we read
    ratio: int = 100  # inflated : compressed, checked for parts above ratio_from
    ratio_from: int = 10 * 1024 * 1024


DEFAULT_LIMITS = Limits()

# The parts a manuscript's text lives in.
DOCUMENT = "word/document.xml"
NOTE_PARTS = ("word/footnotes.xml", "word/endnotes.xml")
STYLES = "word/styles.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"


def safe_parser() -> etree.XMLParser:
    """No entity expansion, no DTD loading, no network, default depth/size limits."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, path: str, part: str) -> etree._Element:
    """The root element of an XML part; malformed XML or a DTD is a ReaderError."""
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ReaderError(path, None, f"{part} is not well-formed XML ({message})") from None
    if root is None:
        raise ReaderError(path, None, f"{part} is empty")
    if root.getroottree().docinfo.doctype:
        raise ReaderError(path, None, f"{part} declares a DTD, which Word never writes")
    return root


class Package:
    """The parts of one .docx, read on demand within the limits."""

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = str(path)
        self.limits = limits
        self._read_total = 0
        p = Path(path)
        if not p.exists():
            raise ReaderError(self.path, None, "no such file")
        if not p.is_file():
            raise ReaderError(self.path, None, "is not a regular file, expected a .docx file")
        try:
            self._zip = zipfile.ZipFile(p)
            self._members = {info.filename: info for info in self._zip.infolist()}
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,  # "zip file version 18.4"
            UnicodeDecodeError,
        ) as error:
            raise ReaderError(
                self.path, None, f"not a readable .docx file (not a zip package: {error})"
            ) from None
        if DOCUMENT not in self._members:
            raise ReaderError(
                self.path, None, f"not a readable .docx file (no {DOCUMENT} in the package)"
            )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def has(self, part: str) -> bool:
        return part in self._members

    def read(self, part: str) -> bytes:
        """A part's bytes, refusing sizes and ratios past the limits before inflating."""
        info = self._members[part]
        limits = self.limits
        if info.file_size > limits.part_bytes:
            raise self._too_big(part, info.file_size)
        compressed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_from and info.file_size / compressed > limits.ratio:
            raise ReaderError(
                self.path,
                None,
                f"refused: {part} would inflate {info.file_size // compressed}:1 "
                f"({info.file_size:,} bytes), past the {limits.ratio}:1 limit (a zip bomb?)",
            )
        if self._read_total + info.file_size > limits.total_bytes:
            raise self._too_big(part, self._read_total + info.file_size, total=True)
        try:
            with self._zip.open(info) as handle:
                # The header may lie about the size: never read past the limit.
                data = handle.read(limits.part_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise ReaderError(self.path, None, f"{part} is corrupt ({error})") from None
        except (NotImplementedError, RuntimeError) as error:  # compression method, encryption
            raise ReaderError(self.path, None, f"{part} cannot be read ({error})") from None
        if len(data) > limits.part_bytes:
            raise self._too_big(part, len(data))
        self._read_total += len(data)
        return data

    def xml(self, part: str) -> etree._Element | None:
        """A part parsed as XML, or None when the package lacks it."""
        if not self.has(part):
            return None
        return parse_xml(self.read(part), self.path, part)

    def custom_xml_parts(self) -> list[str]:
        """customXml/item*.xml: where Word keeps its own bibliography sources."""
        return sorted(
            name
            for name in self._members
            if name.startswith("customXml/item") and name.endswith(".xml")
        )

    def relationships(self) -> dict[str, str]:
        """document.xml's relationship ids -> targets (hyperlink URLs among them)."""
        root = self.xml(DOCUMENT_RELS)
        if root is None:
            return {}
        found = {}
        for rel in root.iter(f"{{{PACKAGE_RELS}}}Relationship"):
            rid, target = rel.get("Id"), rel.get("Target")
            if rid and target:
                found[rid] = target
        return found

    def _too_big(self, part: str, size: int, total: bool = False) -> ReaderError:
        limit = self.limits.total_bytes if total else self.limits.part_bytes
        what = "the parts read so far" if total else part
        return ReaderError(
            self.path,
            None,
            f"refused: {what} would inflate to {size:,} bytes, past the "
            f"{limit // (1024 * 1024)} MB limit (a zip bomb?)",
        )
