"""`citecheck check refs.txt` / `-`: a file that is only a reference list."""

from __future__ import annotations

import json

from click.testing import CliRunner

from citecheck.cli import main
from citecheck.references import reflist

VANCOUVER = """\
1. Baigent C, Blackwell L, Emberson J, et al. Efficacy and safety of more intensive lowering of LDL cholesterol. Lancet. 2010;376(9753):1670-81.
2. Ridker PM, Danielson E, Fonseca FA, et al. Rosuvastatin to prevent vascular events in men and women with elevated C-reactive protein. N Engl J Med. 2008;359(21):2195-207.
3. Zhang Y, Wang L. Exosomal miR-21 in gastric cancer. Mol Cancer. 2020.
"""

APA = """\
References

Baigent, C., Blackwell, L., & Emberson, J. (2010). Efficacy and safety of more intensive lowering of LDL cholesterol. The Lancet, 376(9753), 1670-1681.
Ridker, P. M., & Danielson, E. (2008). Rosuvastatin to prevent vascular events. New England Journal of Medicine, 359(21), 2195-2207.
Ridker, P. M., & Danielson, E. (2008). Rosuvastatin to prevent vascular events. New England Journal of Medicine, 359(21), 2195-2207.
"""

GBT = """\
[1] 王晓明, 李华. 外泌体miR-21在胃癌中的作用[J]. 中华医学杂志, 2020, 100(3): 201-205.
[2] 张伟. 肿瘤免疫学[M]. 北京: 人民卫生出版社, 2018.
"""

MANUSCRIPT = """\
Statins lower LDL cholesterol [1]. Rosuvastatin prevents vascular events [2].

References
1. Baigent C, Blackwell L. Efficacy of cholesterol lowering. Lancet. 2010;376:1670-81.
2. Ridker PM, Danielson E. Rosuvastatin to prevent vascular events. N Engl J Med. 2008;359:2195-207.
3. Smith J, Lee K. Gut microbiota and obesity. Nature. 2019;570:100-4.
"""


def _rules(output: str) -> list[str]:
    return [f["rule"] for f in json.loads(output)["findings"]]


def test_a_bare_numbered_list_is_a_list_and_gets_no_citation_rules(tmp_path):
    path = tmp_path / "refs.txt"
    path.write_text(VANCOUVER)
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--lock", "x"])
    rules = _rules(result.output)
    assert "uncited-reference" not in rules and "missing-reference" not in rules
    assert rules == ["incomplete-reference"]  # [3] lacks volume and pages


def test_headed_unnumbered_list_from_standard_input():
    result = CliRunner().invoke(
        main, ["check", "-", "--format", "json", "--lock", "x"], input=APA
    )
    assert result.exit_code == 0, result.output
    rules = _rules(result.output)
    assert "duplicate-reference" in rules
    assert not {"uncited-reference", "citation-order"} & set(rules)
    assert json.loads(result.output)["inputs"]["manuscript"] == "<stdin>"


def test_gbt_list_with_type_markers_is_a_list():
    doc = reflist.as_list(GBT, "refs.txt")
    assert doc is not None and len(doc.references) == 2


def test_a_manuscript_is_not_a_list_and_keeps_citation_rules(tmp_path):
    assert reflist.as_list(MANUSCRIPT, "paper.md") is None
    path = tmp_path / "paper.md"
    path.write_text(MANUSCRIPT)
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--lock", "x"])
    assert "uncited-reference" in _rules(result.output)


def test_prose_without_a_heading_is_not_a_list():
    prose = (
        "We studied statins in 2010 and found lower LDL cholesterol.\n\n"
        "Smith and colleagues reported in 2019 that this holds in older adults too.\n\n"
        "Our results suggest that treatment should start earlier than guidelines say.\n"
    )
    assert reflist.as_list(prose, "notes.txt") is None


def test_empty_standard_input_is_one_line_exit_2():
    result = CliRunner().invoke(main, ["check", "-"], input="")
    assert result.exit_code == 2
    assert "<stdin>" in result.output and "empty" in result.output
    assert "Traceback" not in result.output
