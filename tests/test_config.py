"""Configuration is checked: every mistake is one line naming the file, line, key, what was
expected and the nearest valid name; nothing is silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.cli import main
from citecheck.config import KEYS, load_config
from citecheck.files import InputError
from citecheck.limits import MB
from citecheck.model import Severity


def config_from(tmp_path: Path, text: str | bytes, name: str = "citecheck.toml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_config(tmp_path)


@pytest.mark.parametrize(
    "text, line, needles",
    [
        ("disable = 5\n", 1, ["disable", "list of rule names", "a number 5"]),
        ('disable = "uncited-reference"\n', 1, ["disable", "list of rule names", "a string"]),
        ('severity = "error"\n', 1, ["severity", "table"]),
        ("suppress = [1]\n", 1, ["suppress", "table"]),
        ('[suppress]\n"4" = "all"\n', 2, ["suppress.4", '["all"]']),
        ('fail-on = "warning"\n', 1, ["unknown key 'fail-on'", "did you mean 'fail_on'"]),
        ('fail_on = "errors"\n', 1, ["fail_on", "error, warning, never", "did you mean 'error'"]),
        ('disable = ["uncited-refrence"]\n', 1, ["unknown rule", "'uncited-reference'"]),
        ('[severity]\ncitation-order = "fatal"\n', 2, ["severity.citation-order", "info"]),
        ('[severity]\ncitation-ordr = "error"\n', 2, ["did you mean 'citation-order'"]),
        ('[suppress]\n"32" = ["author-mention"]\n', 2, ["unknown rule 'author-mention'"]),
        ("mailto = 3\n", 1, ["mailto", "expected a string"]),
        ("report_uncited = 1\n", 1, ["report_uncited", "true or false"]),
        ("[limits]\nmax_input_mb = -1\n", 2, ["limits.max_input_mb", "positive"]),
        ("[limits]\nmax_input_mb = true\n", 2, ["limits.max_input_mb", "positive"]),
        ("[limits]\nrequest_timout = 5\n", 2, ["unknown limit", "'request_timeout'"]),
        ("limits = 5\n", 1, ["limits", "table"]),
    ],
)
def test_each_mistake_is_one_line_with_file_line_key_and_nearest_name(tmp_path, text, line, needles):
    with pytest.raises(InputError) as error:
        config_from(tmp_path, text)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'citecheck.toml'}:{line}: "), message
    for needle in needles:
        assert needle in message, message


def test_pyproject_mistakes_name_the_table(tmp_path):
    text = '[project]\nname = "x"\n\n[tool.citecheck]\ndisable = 5\n'
    with pytest.raises(InputError, match=r"pyproject.toml:5: \[tool.citecheck\] disable"):
        config_from(tmp_path, text, "pyproject.toml")
    with pytest.raises(InputError, match="must be a table"):
        config_from(tmp_path, "[tool]\ncitecheck = 3\n", "pyproject.toml")


def test_pyproject_without_our_table_or_a_foreign_tool_is_fine(tmp_path):
    assert config_from(tmp_path, '[tool.ruff]\nline-length = 100\n', "pyproject.toml").source == ""


def test_latin1_toml_is_one_line_with_the_line(tmp_path):
    with pytest.raises(InputError, match=r"citecheck.toml:2: not valid UTF-8 \(byte 0xe9\)"):
        config_from(tmp_path, b'fail_on = "never"\nmailto = "caf\xe9@example.org"\n')
    (tmp_path / "citecheck.toml").unlink()
    with pytest.raises(InputError, match="pyproject.toml:1: not valid UTF-8"):
        config_from(tmp_path, b'# r\xe9sum\xe9\n[tool.citecheck]\n', "pyproject.toml")


def test_a_5000_digit_number_is_malformed_toml_not_a_crash(tmp_path):
    with pytest.raises(InputError, match="citecheck.toml: malformed TOML: Exceeds the limit"):
        config_from(tmp_path, "disable = " + "1" * 5000 + "\n")


def test_malformed_toml_names_the_line(tmp_path):
    with pytest.raises(InputError, match=r"citecheck.toml:3: malformed TOML: Unclosed array"):
        config_from(tmp_path, 'fail_on = "never"\ndisable = [\n"x" "y"]\n')


def test_a_valid_config_reads_every_key(tmp_path):
    config = config_from(
        tmp_path,
        """references = "a.bib"
claims = "c.yaml"
lock = "l.json"
mailto = "me@example.org"
api_url = "http://127.0.0.1:9"
fail_on = "warning"
disable = ["uncited-reference", "CC103"]
report_uncited = true
[severity]
citation-order = "error"
CC204 = "info"
[suppress]
"4" = ["all"]
smith2020 = ["doi-mismatch"]
[limits]
max_input_mb = 5
request_timeout = 2.5
max_depth = 50
""",
    )
    assert (config.references, config.claims, config.lock) == ("a.bib", "c.yaml", "l.json")
    assert config.disable == ("uncited-reference", "CC103")
    assert config.severity == {"citation-order": Severity.ERROR, "CC204": Severity.INFO}
    assert config.suppress == {"4": ("all",), "smith2020": ("doi-mismatch",)}
    assert config.report_uncited is True
    assert config.limits.max_input_bytes == 5 * MB
    assert config.limits.request_timeout == 2.5 and config.limits.max_depth == 50


def test_the_cli_turns_a_bad_config_into_exit_2_and_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "citecheck.toml").write_text("disable = 5\n", encoding="utf-8")
    (tmp_path / "m.txt").write_text("Text [1].\n\nReferences\n1. A B. T. J. 2020;1:1.\n")
    result = CliRunner().invoke(main, ["check", "m.txt"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "citecheck.toml:1: disable" in result.output


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _toml_value(value) -> str:
    import json

    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value) if repr(value) not in ("inf", "-inf") else "1.0"
    return json.dumps(value)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(sorted(KEYS) + ["fail-on", "x", "limits"]),
    value=VALUES,
    raw=st.binary(max_size=40),
)
def test_any_config_is_read_or_refused_in_one_line(tmp_path, key, value, raw):
    for text in (f"{key} = {_toml_value(value)}\n".encode(), raw):
        (tmp_path / "citecheck.toml").write_bytes(text)
        try:
            load_config(tmp_path)
        except InputError as error:
            assert "\n" not in str(error)
