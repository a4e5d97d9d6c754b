"""Hostile .docx input: zip bombs, broken zips and members, unsafe or malformed XML, and a
Hypothesis property that only citecheck's own ReaderError ever leaves the Word reader."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.cli import main
from citecheck.readers.docx import read_docx
from citecheck.readers.docx_package import Limits, Package
from citecheck.readers.errors import ReaderError

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
GOOD = (
    f"<w:document {NS}><w:body>"
    "<w:p><w:r><w:t>Bacteria cause tumours [1].</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>References</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>1. Smith A. Gut bacteria. Gut. 2019;68:100-10.</w:t></w:r></w:p>"
    "</w:body></w:document>"
)


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_a_good_minimal_document_reads(tmp_path: Path) -> None:
    manuscript = read_docx(write_zip(tmp_path / "ok.docx", {"word/document.xml": GOOD}))
    assert [c.numbers for c in manuscript.callouts] == [(1,)]


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    # 40 MB of zeros deflate to ~40 KB: 1000:1, past the 100:1 limit for large parts.
    bomb = GOOD.replace("</w:body>", "<!--" + " " * 40_000_000 + "--></w:body>")
    path = write_zip(tmp_path / "bomb.docx", {"word/document.xml": bomb})
    assert path.stat().st_size < 1_000_000
    with pytest.raises(ReaderError, match="zip bomb"):
        read_docx(path)


def test_part_size_limit(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "big.docx", {"word/document.xml": GOOD})
    with (
        Package(path, Limits(part_bytes=100)) as package,
        pytest.raises(ReaderError, match="limit"),
    ):
        package.read("word/document.xml")


@pytest.mark.parametrize(
    ("name", "members", "message"),
    [
        ("notzip", None, "not a zip package"),
        ("nodoc", {"word/other.xml": "<a/>"}, "no word/document.xml"),
        ("malformed", {"word/document.xml": "<w:document><w:body><w:p>"}, "not well-formed"),
        (
            "badchar",
            {"word/document.xml": GOOD.replace("tumours", "tum\x01ours")},
            "not well-formed",
        ),
        (
            "entities",
            {
                "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                f"<w:document {NS}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
            },
            "DTD",
        ),
        (
            "external",
            {
                "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
                '"file:///etc/passwd">]>'
                f"<w:document {NS}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
            },
            "DTD",
        ),
        ("badstyles", {"word/document.xml": GOOD, "word/styles.xml": "<w:styles"}, "styles.xml"),
    ],
)
def test_bad_packages_are_one_reader_error(tmp_path: Path, name, members, message) -> None:
    path = tmp_path / f"{name}.docx"
    if members is None:
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
    else:
        write_zip(path, members)
    with pytest.raises(ReaderError, match=message) as error:
        read_docx(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_corrupt_member_is_a_reader_error(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "corrupt.docx", {"word/document.xml": GOOD * 20})
    data = bytearray(path.read_bytes())
    start = data.index(b"word/document.xml") + len("word/document.xml")
    for i in range(start + 10, start + 60):  # inside the deflated data
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(ReaderError):
        read_docx(path)


def test_directory_named_docx_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "x.docx").mkdir()
    with pytest.raises(ReaderError, match="not a regular file"):
        read_docx(tmp_path / "x.docx")
    with pytest.raises(ReaderError, match="no such file"):
        read_docx(tmp_path / "absent.docx")


def test_cli_refuses_a_bomb_in_one_line_with_exit_2(tmp_path: Path) -> None:
    bomb = GOOD.replace("</w:body>", "<!--" + " " * 30_000_000 + "--></w:body>")
    path = write_zip(tmp_path / "bomb.docx", {"word/document.xml": bomb})
    result = CliRunner().invoke(main, ["check", str(path), "--lock", str(tmp_path / "l.json")])
    assert result.exit_code == 2
    assert "zip bomb" in result.output and "Traceback" not in result.output


# -- properties ---------------------------------------------------------------------------------


def _zip_bytes(document: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", document)
    return buffer.getvalue()


VALID = _zip_bytes(GOOD.encode())
FIELD = (
    f"<w:document {NS}><w:body><w:p><w:r><w:t>Text </w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>{code}</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>'
)
SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _only_reader_errors(path: Path) -> None:
    try:
        read_docx(path)
    except ReaderError:
        pass


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=8))
def test_property_flipped_bytes_raise_only_reader_errors(tmp_path: Path, flips) -> None:
    data = bytearray(VALID)
    for position, value in flips:
        data[position] = value
    path = tmp_path / "fuzz.docx"
    path.write_bytes(bytes(data))
    _only_reader_errors(path)


@SETTINGS
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda s: s.encode("utf-8", "replace")))
def test_property_any_document_xml_raises_only_reader_errors(tmp_path: Path, document) -> None:
    path = tmp_path / "fuzz.docx"
    path.write_bytes(_zip_bytes(document))
    _only_reader_errors(path)


_XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200
).map(lambda s: "".join(ch for ch in s if ch in "\t\n\r" or ch >= " "))


@SETTINGS
@given(
    st.sampled_from(
        ["ADDIN ZOTERO_ITEM CSL_CITATION ", "ADDIN CSL_CITATION ", "ADDIN EN.CITE ", "HYPERLINK "]
    ),
    _XML_TEXT,
    _XML_TEXT,
)
def test_property_any_field_code_raises_nothing(tmp_path: Path, prefix, code, shown) -> None:
    from xml.sax.saxutils import escape

    document = FIELD.format(code=escape(prefix + code), shown=escape(shown))
    path = tmp_path / "field.docx"
    path.write_bytes(_zip_bytes(document.encode("utf-8")))
    try:
        read_docx(path)  # a well-formed document with any field code reads...
    except ReaderError as error:  # ...or says it has no reference list
        assert "no reference list" in str(error)
