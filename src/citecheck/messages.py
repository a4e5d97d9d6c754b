"""Finding messages, suggestions and report headings in the reader's language (`--lang`).

Rules build their English messages at run time from many parts, so the Chinese catalogue
(citecheck.locale.zh) holds, per rule, patterns that match the English message and say it
in Chinese, keeping the data (numbers, names, DOIs, quotations) as they are. A simple
catalogue module rather than gettext .po/.mo: a msgid would have to be the composed English
sentence, which cannot be enumerated; the patterns can, and they need no compile step.
A message no pattern knows keeps its English text after the rule's Chinese name, so a
reader is never shown less than before. Slugs and codes never change.
"""

from __future__ import annotations

import locale as _locale
import os
import re
from dataclasses import replace

from citecheck.model import CheckResult, Finding

LANGS = ("en", "zh")
_NUMBER = re.compile(r"^(\[\d+\]) ")


def default_lang() -> str:
    """zh when the user's locale is Chinese (LC_ALL, LC_MESSAGES, LANG), else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        current = _locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "zh" if current.lower().startswith("zh") else "en"


def translate_text(rule: str, text: str, lang: str) -> tuple[str, bool]:
    """(text in `lang`, True when a catalogue pattern said it) for one message or suggestion."""
    if lang == "en" or not text:
        return text, True
    from citecheck.locale import zh

    prefix = ""
    m = _NUMBER.match(text)
    if m:
        prefix, text = m.group(1) + " ", text[m.end() :]
    said = _said(zh, rule, text)
    if said is not None:
        return prefix + said, True
    return f"{prefix}{zh.RULES.get(rule, rule)}：{text}", False


def _said(catalogue, rule: str, text: str, parts: bool = False) -> str | None:
    """The first of the rule's patterns that matches the whole text, filled in; else None.
    `parts`: a piece of a message, which the rule's PARTS patterns may say too."""
    patterns = (*catalogue.PARTS.get(rule, ()),) if parts else ()
    for pattern, template in (*patterns, *catalogue.PATTERNS.get(rule, ()), *catalogue.SHARED):
        hit = pattern.fullmatch(text)
        if hit is None:
            continue
        values = {}
        for name, value in hit.groupdict().items():
            if not value:
                values[name] = ""
            elif name.startswith("t_"):
                values[name] = catalogue.term(value)
            elif name.startswith("r_"):
                values[name] = _said(catalogue, rule, value, parts=True) or value
            elif name.startswith("o_"):
                values[name] = catalogue.OPTIONAL[name].format(value)
            else:
                values[name] = value
        return template.format(**values)
    return None


def translate_finding(finding: Finding, lang: str) -> Finding:
    if lang == "en":
        return finding
    message, _ = translate_text(finding.rule, finding.message, lang)
    suggestion, _ = translate_text(finding.rule, finding.suggestion, lang)
    return replace(finding, message=message, suggestion=suggestion)


def translate_result(result: CheckResult, lang: str) -> CheckResult:
    """The result with every finding's message and suggestion in `lang`."""
    if lang == "en":
        return result
    return replace(result, findings=tuple(translate_finding(f, lang) for f in result.findings))


def rule_description(slug: str, description: str, lang: str) -> str:
    if lang == "en":
        return description
    from citecheck.locale import zh

    return zh.DESCRIPTIONS.get(slug, description)


def translate_report(text: str, lang: str) -> str:
    """Report headings and labels of a text, Markdown or HTML report in `lang`."""
    if lang == "en":
        return text
    from citecheck.locale import zh

    for pattern, template in zh.HEADINGS:
        text = pattern.sub(template, text)
    return text
