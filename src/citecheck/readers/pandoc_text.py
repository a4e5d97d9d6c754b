"""What in a Pandoc-family source (Markdown, R Markdown, Quarto, Manubot) is not prose.

Front matter, code chunks (``` and ~~~ fences, ```{r} chunks), inline code and `r expr`,
HTML comments and tags, raw LaTeX environments and commands, math, link targets, attribute
blocks and Quarto shortcodes are blanked with spaces (newlines kept), so a `@` or a number
inside them is never a citation and every line and column stays true to the file.
"""

from __future__ import annotations

import re

from citecheck.readers.frontmatter import front_matter_span

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# A fence closes with the same character, at least as long; unclosed runs to the end.
_FENCE = re.compile(
    r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}(?P=fence)[`~]*[ \t]*$|\Z)",
    re.DOTALL | re.MULTILINE,
)
# Files spliced in by Quarto ("{{< include _intro.qmd >}}") and knitr ("```{r, child='a.Rmd'}").
_INCLUDE = re.compile(r"\{\{<\s*include\s+[\"']?(?P<file>[^\s\"'>]+)[\"']?\s*>\}\}")
_CHILD = re.compile(
    r"^ {0,3}`{3,}\s*\{r\b[^}\n]*?\bchild\s*=\s*(?:c\(\s*)?[\"'](?P<file>[^\"']+)[\"']",
    re.MULTILINE,
)
# Inline code and `r expr`: within one paragraph (never across a blank line).
_INLINE_CODE = re.compile(
    r"(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.DOTALL
)
# Code and comments first, in one left-to-right pass as a parser reads them: a "<!--" inside
# code is code, and a fence inside a comment is commented out.
_NOT_PROSE = (
    re.compile(
        "|".join(p.pattern for p in (_FENCE, _COMMENT, _INLINE_CODE)), re.DOTALL | re.MULTILINE
    ),
) + tuple(
    re.compile(pattern, flags)
    for pattern, flags in (
        (r"<(?P<tag>style|script)\b.*?</(?P=tag)\s*>", re.DOTALL | re.IGNORECASE),
        (r"\\begin\{(?P<env>[A-Za-z*]+)\}.*?\\end\{(?P=env)\}", re.DOTALL),
        (r"\$\$.+?\$\$", re.DOTALL),
        # Inline math as Pandoc reads it: no space inside the dollars, no digit after.
        (r"(?<![\\$\w])\$(?=[^\s$])(?:[^$\n\\]|\\.)*?(?<=[^\s\\])\$(?!\d)", 0),
        (r"\\@ref\([^()\n]*\)", 0),  # bookdown cross-reference
        (r"\\[A-Za-z]+\*?(?:\[[^\[\]\n]*\])*(?:\{[^{}\n]*\})*", 0),  # \pagebreak, \vspace{1em}
        (r"\{\{<.*?>\}\}", re.DOTALL),  # Quarto shortcode
        (r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", 0),  # an HTML tag (its text stays)
        (r"<[a-z][a-z0-9+.-]*:[^<>\s]*>|<[^<>\s@]+@[^<>\s]+>", re.IGNORECASE),  # autolinks, e-mails
        # A link's target, between "](" and ")" which stay: "[@user](url)" is a link.
        (r"(?<=\]\()[^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?(?=\))", 0),
        (r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]+\S.*$", re.MULTILINE),  # link, tag definitions
        (r"\{[#.][^{}\n]*\}", 0),  # attributes: {#fig:x width=50%}, {.page_break_before}
    )
)


# Captions written as chunk options are Markdown that Pandoc renders (with its citations):
# knitr's header option fig.cap="..." and the "#| fig-cap: ..." lines of Quarto and knitr.
_CHUNK = re.compile(
    r"^ {0,3}(?P<fence>`{3,})\s*\{[^\n]*\n.*?(?:^ {0,3}(?P=fence)[ \t]*$|\Z)",
    re.DOTALL | re.MULTILINE,
)
_HEADER_CAPTION = re.compile(
    r"\b(?:fig\.cap|fig\.scap|tab\.cap)\s*=\s*(?P<q>[\"'])(?P<text>.*?)(?<!\\)(?P=q)"
)
_LINE_CAPTION = re.compile(
    r"^[ \t]*#\|[ \t]*(?:fig|tbl|lst)[-.](?:cap|scap|subcap)[ \t]*:[ \t]*(?P<q>[\"']?)(?P<text>.+?)(?P=q)[ \t]*$",
    re.MULTILINE,
)


def prose(text: str) -> str:
    """The text with everything that is not prose replaced by spaces (newlines kept)."""
    span = front_matter_span(text)
    if span:
        text = _blank_span(text, *span)
    captions = caption_spans(text)
    code_blanked = _NOT_PROSE[0].sub(_blank, text)
    for start, end in captions:
        code_blanked = code_blanked[:start] + text[start:end] + code_blanked[end:]
    text = code_blanked
    for pattern in _NOT_PROSE[1:]:
        text = pattern.sub(_blank, text)
    return text


def caption_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each figure or table caption written as a code chunk option."""
    spans = []
    for chunk in _CHUNK.finditer(_COMMENT.sub(_blank, text)):
        header_end = text.find("\n", chunk.start())
        for m in _HEADER_CAPTION.finditer(text, chunk.start(), header_end):
            spans.append(m.span("text"))
        for m in _LINE_CAPTION.finditer(text, header_end, chunk.end()):
            spans.append(m.span("text"))
    return spans


# Ids a document gives its own parts ({#sec-intro}, {#suppfig-a}, "#| label: tbl-x", a knitr
# chunk label, bookdown's (\#fig:x)): "@id" pointing at one is a cross-reference.
_ANCHOR = re.compile(
    r"\{#(?P<attr>[^\s{}]+)"
    r"|^[ \t]*#\|[ \t]*label[ \t]*:[ \t]*[\"']?(?P<label>[^\s\"']+)"
    r"|^ {0,3}`{3,}\s*\{[a-z]+[ ,]+(?P<chunk>[\w.-]+)\s*[,}]"
    r"|\(\\#(?P<bookdown>[^()\s]+)\)",
    re.MULTILINE,
)


def anchor_ids(text: str) -> set[str]:
    """Every id the text defines for a figure, table, section or other part."""
    return {m.group(m.lastgroup) for m in _ANCHOR.finditer(text) if m.lastgroup}


def included_files(text: str) -> list[tuple[int, str]]:
    """(offset, file name) of every include shortcode and knitr child chunk, in order; those
    inside comments (and shortcodes inside code) do not count."""
    visible = _COMMENT.sub(_blank, text)
    found = [(m.start(), m.group("file")) for m in _CHILD.finditer(visible)]
    found += [(m.start(), m.group("file")) for m in _INCLUDE.finditer(_FENCE.sub(_blank, visible))]
    return sorted(found)


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group())


def _blank_span(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
