"""LazyPattern behaves like the compiled pattern and compiles only when used."""

from __future__ import annotations

import re

from citecheck.lazyre import lazy_compile


def test_lazy_pattern_matches_like_re_compile():
    lazy = lazy_compile(r"(?P<year>(?:19|20)\d\d)", re.IGNORECASE)
    eager = re.compile(r"(?P<year>(?:19|20)\d\d)", re.IGNORECASE)
    text = "Cell Cycle. 2021;20(3):256-70; also 1999"
    assert lazy.search(text).group("year") == eager.search(text).group("year")
    assert [m.group() for m in lazy.finditer(text)] == ["2021", "1999"]
    assert lazy.sub("Y", text) == eager.sub("Y", text)
    assert lazy.pattern == eager.pattern and lazy.flags == eager.flags


def test_nothing_is_compiled_until_first_use():
    lazy = lazy_compile(r"(unbalanced")  # would raise at re.compile time
    assert "unbalanced" in repr(lazy)
    try:
        lazy.match("x")
    except re.error:
        pass
    else:  # pragma: no cover
        raise AssertionError("a bad pattern must fail when first used")
