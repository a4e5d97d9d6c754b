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


# Headings, status lines and explanations of the `citations` and `bib` commands (bib --fix,
# --diff, --style, bib fetch), by key. The Chinese of each is citecheck.locale.zh.COMMANDS[key]
# with the same {fields}; tests/test_lang_commands.py fails when a key lacks it. The data put
# in the fields (titles, names, DOIs, file names) is never translated.
COMMANDS = {
    # citecheck citations (text listing; --format json keeps English keys and values)
    "citations.text": "text",
    "citations.table": "table",
    "citations.author": "author: {name}",
    "citations.problem": "PROBLEM: {problem}",
    "citations.none": "no in-text citations found in {path}",
    # citecheck bib --fix / --diff
    "bib.wrote": "wrote {target} ({changed} fields corrected from matched records)",
    "bib.diff.summary": "--level {level} would correct {fields} fields (entries: {entries}); "
    "nothing written",
    "bib.diff.none": "nothing to correct at --level {level}; nothing written",
    "bib.usage.in_place_output": "--in-place rewrites the .bib itself: leave out --output",
    "bib.usage.in_place_fix": "--in-place goes with --fix",
    "bib.usage.fix_or_style": "choose one of --fix or --style",
    "bib.usage.fix_refs": "--fix works on a BibTeX file: pass it with --refs",
    "bib.usage.diff_in_place": "--diff writes nothing: leave out --in-place",
    "bib.usage.fix_output": "--fix needs --output FILE or --in-place",
    "bib.hint.in_place": "--fix --in-place rewrites the .bib and keeps a backup",
    # citecheck bib --style
    "style.no_file": "no such CSL style file",
    "style.unknown": "unknown style {style}; choose one of: {builtin}, a path to a .csl file, "
    "or an id from the CSL styles collection after `pip install 'citecheck[styles]'`",
    "style.unknown_id": "unknown style {style}{hint}; choose one of: {builtin}, a .csl path, or "
    "a CSL styles collection id",
    "style.nearest": " (did you mean {id}?)",
    # citecheck bib fetch
    "fetch.comment": "% citecheck bib fetch {kind} {value}: {source} record, retrieved {when}",
    "fetch.candidates": "{count} works match this title; fetch one by its identifier:",
    "fetch.no_year": "n.d.",
    "fetch.not_found": "no record found for {kind} {value} (asked {asked}){failed}",
    "fetch.empty": "nothing to fetch: give a DOI, PMID, PMCID, arXiv id or a title",
    "fetch.not_a_query": "{text} is no DOI, PMID, PMCID or arXiv id, and too short a title",
    "fetch.offline": "bib fetch asks metadata sources over the network: add --online",
    "fetch.no_source_holds": "no chosen source holds {kind}s (--sources)",
    "fetch.none_asked": "no source could be asked: {failed}",
}


def say(key: str, lang: str = "en", **values: object) -> str:
    """The command text `key` in `lang`, its {fields} filled with the data as given."""
    template = COMMANDS[key]
    if lang != "en":
        from citecheck.locale import zh

        template = zh.COMMANDS.get(key, template)
    return template.format(**values)


class Said:
    """An error whose one line is a COMMANDS text: the key and data kept to say it again in
    another language (`str()` is the English)."""

    key: str = ""
    values: dict[str, object]

    def said(self, lang: str) -> str:
        return say(self.key, lang, **self.values) if self.key else str(self)


def translate_problem(problem: str, lang: str) -> str:
    """A callout's problem ('range 9-3 runs backwards; ...') in `lang`, part by part."""
    if lang == "en" or not problem:
        return problem
    from citecheck.locale import zh

    parts = []
    for part in problem.split("; "):
        for pattern, template in zh.CALLOUT_PROBLEMS:
            hit = pattern.fullmatch(part)
            if hit:
                part = hit.expand(template)
                break
        parts.append(part)
    return "；".join(parts)
