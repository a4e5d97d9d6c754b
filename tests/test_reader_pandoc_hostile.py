"""Hostile Pandoc-family input: only citecheck's own one-line errors may escape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.files import InputError
from citecheck.model import Location
from citecheck.readers import read_manuscript
from citecheck.readers.csljson import csl_item_to_reference, read_csl_json
from citecheck.readers.errors import ReaderError

OWN_ERRORS = (ReaderError, InputError)


@pytest.mark.parametrize(
    "text, words",
    [
        ("[" * 5000 + "]" * 5000, "nested"),
        ('[{"id": "a", "volume": ' + "9" * 5000 + "}]", "digits"),
        ('[{"id": "a", "issued": {"date-parts": [[Infinity]]}}]', "Infinity"),
        ('[{"id": "a",\n "title": }]', "not valid"),
        ('{"id": "a"}', "list of items"),
    ],
)
def test_broken_csl_json_is_one_line_reader_error(text: str, words: str) -> None:
    with pytest.raises(ReaderError) as caught:
        read_csl_json(text, "refs.json")
    assert words in caught.value.message
    assert "\n" not in str(caught.value)


def test_wrong_types_in_csl_items_leave_fields_empty() -> None:
    item = {
        "id": 12,
        "type": ["article-journal"],
        "author": "Smith, J",
        "title": {"text": "x"},
        "container-title": ["Nature", "Nat"],
        "issued": {"date-parts": [["2019x"]]},
        "volume": 1e300,
        "page": True,
        "DOI": None,
    }
    ref = csl_item_to_reference(item, Location("refs.json", 1))
    assert (ref.key, ref.authors, ref.title, ref.container, ref.year, ref.pages, ref.doi) == (
        "12",
        (),
        "",
        "Nature",
        None,
        "",
        "",
    )
    refs, unparsed = read_csl_json('[{"title": "no id"}, 7, {"id": "ok"}]', "refs.json")
    assert [r.key for r in refs] == ["ok"]
    assert [u.reason for u in unparsed] == ["item without an id", "item without an id"]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "type", "author", "title", "issued", "page", "DOI", "note"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_JSON, max_size=4))
def test_any_json_gives_references_or_a_reader_error(items: list) -> None:
    try:
        read_csl_json(json.dumps(items), "refs.json")
    except ReaderError:
        pass


_MARKDOWN = st.lists(
    st.sampled_from(
        [
            "[@a]",
            "@b",
            "[-@c; see @d, p. 3]",
            "@{x y}",
            "`r 1`",
            "```{r}\n",
            "~~~\n",
            "$x@y$",
            "<!--",
            "-->",
            "\\begin{x}",
            "\\end{x}",
            "{@fig:a}",
            "@fig-b",
            "^[n @a]",
            "[",
            "]",
            "(",
            ")",
            "\n",
            "\n\n",
            "---\n",
            "bibliography: refs.bib\n",
            "&a",
            "*b: *a\n",
            " ",
            "text",
            "@doi:10.1/X",
            "[@tag:t]: doi:10.2/y\n",
            "\\@ref(fig:x)",
            "<a href='@x'>",
            '```{r a, fig.cap="x [@a]"}\n',
            '#| fig-cap: "y @b"\n',
            "{#sec-a}",
            "{{< include x.qmd >}}\n",
            "[@a](https://x.org)",
        ]
    ),
    max_size=30,
).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_MARKDOWN)
def test_any_markdown_gives_a_manuscript_or_own_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "refs.bib").write_text("@article{a, title={T}, year={2020}}\n", encoding="utf-8")
    path = tmp_path / "paper.qmd"
    path.write_text(text or " ", encoding="utf-8")
    try:
        manuscript = read_manuscript(str(path))
    except OWN_ERRORS:
        return
    for callout in manuscript.callouts:
        assert callout.keys
        assert callout.location.line is not None


@settings(max_examples=200, deadline=None)
@given(_MARKDOWN)
def test_prose_keeps_every_offset_and_line(text: str) -> None:
    from citecheck.readers.pandoc_text import prose

    clean = prose(text)
    assert len(clean) == len(text)
    assert [i for i, ch in enumerate(clean) if ch == "\n"] == [
        i for i, ch in enumerate(text) if ch == "\n"
    ]
