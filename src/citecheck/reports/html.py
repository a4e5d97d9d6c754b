"""The HTML report: one self-contained page (inline CSS, no scripts, no external assets).

Every piece of text from the manuscript, references or rules passes through `_e` (html.escape),
so a title containing "<script>" is shown, never run.
"""

from __future__ import annotations

from html import escape

from citecheck.explain import url as rule_url
from citecheck.model import CheckResult, Finding
from citecheck.reports.views import (
    CauseGroup,
    ClaimView,
    FindingGroup,
    claim_tally,
    claim_views,
    detail_lines,
    highlighted,
    report_blocks,
    rule_counts,
    summary_line,
)

CSS = """
:root { --fg:#1f2328; --muted:#656d76; --bg:#ffffff; --panel:#f6f8fa; --line:#d0d7de;
  --error:#cf222e; --warning:#9a6700; --info:#0969da; --ok:#1a7f37; --badge:#ffffff; }
@media (prefers-color-scheme: dark) {
  :root { --fg:#e6edf3; --muted:#8d96a0; --bg:#0d1117; --panel:#161b22; --line:#30363d;
    --error:#ff7b72; --warning:#d29922; --info:#58a6ff; --ok:#3fb950; --badge:#0d1117; } }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg); line-height:1.5;
  font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",
  "PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif; }
main { max-width:1100px; margin:0 auto; padding:24px 32px 48px; }
h1 { font-size:26px; margin:0 0 4px; }
h2 { font-size:20px; margin:32px 0 12px; padding-bottom:6px; border-bottom:1px solid var(--line); }
h3 { font-size:16px; margin:0; }
code, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:13px; }
.meta { color:var(--muted); margin:0; }
.meta code { overflow-wrap:anywhere; }
.cards { display:flex; gap:12px; margin:20px 0 8px; flex-wrap:wrap; }
.card { flex:1 1 140px; border:1px solid var(--line); border-radius:8px; padding:12px 16px;
  background:var(--panel); }
.card .n { font-size:28px; font-weight:700; display:block; }
.card.error .n { color:var(--error); } .card.warning .n { color:var(--warning); }
.card.info .n { color:var(--info); }
.card .n.zero { color:var(--muted); }
.toc { display:flex; flex-wrap:wrap; gap:6px; padding:0; margin:8px 0 0; list-style:none; }
.toc a { display:inline-block; padding:2px 10px; border:1px solid var(--line); border-radius:999px;
  color:var(--fg); text-decoration:none; font-size:13px; }
.toc a:hover { background:var(--panel); }
.group { border:1px solid var(--line); border-radius:8px; margin:0 0 16px; overflow:hidden; }
.group > header { background:var(--panel); padding:10px 16px; border-bottom:1px solid var(--line); }
.raw { color:var(--muted); font-size:13px; margin:4px 0 0; overflow-wrap:anywhere; }
.finding { padding:10px 16px; border-top:1px solid var(--line); border-left:4px solid transparent; }
.finding:first-of-type { border-top:0; }
.finding.error { border-left-color:var(--error); } .finding.warning { border-left-color:var(--warning); }
.finding.info { border-left-color:var(--info); }
.head { display:flex; flex-wrap:wrap; gap:8px; align-items:baseline; }
.badge { font-size:12px; font-weight:600; text-transform:uppercase; letter-spacing:.03em;
  padding:1px 8px; border-radius:999px; color:var(--badge); }
.badge.error { background:var(--error); } .badge.warning { background:var(--warning); }
.badge.info { background:var(--info); }
.loc { color:var(--muted); margin-left:auto; overflow-wrap:anywhere; }
.msg { margin:4px 0 0; white-space:pre-wrap; overflow-wrap:anywhere; }
dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 12px; margin:6px 0 0; font-size:14px; }
dt { color:var(--muted); } dd { margin:0; white-space:pre-wrap; overflow-wrap:anywhere; }
.claim { border:1px solid var(--line); border-radius:8px; padding:12px 16px; margin:0 0 12px; }
.paraphrase { margin:4px 0 8px; font-style:italic; }
table { border-collapse:collapse; width:100%; font-size:14px; }
th, td { text-align:left; padding:4px 8px; border-top:1px solid var(--line); vertical-align:top;
  overflow-wrap:anywhere; }
th { color:var(--muted); font-weight:600; }
table.verdicts { table-layout:fixed; }
table.verdicts col.entity { width:30%; } table.verdicts col.ref { width:11%; }
table.verdicts col.verdict { width:14%; }
.nowrap { white-space:nowrap; }
.v-supported { color:var(--ok); font-weight:600; } .v-mismatch { color:var(--error); font-weight:700; }
.v-unsupported { color:var(--warning); font-weight:600; } .v-no-evidence { color:var(--muted); }
.empty { padding:16px; border:1px dashed var(--line); border-radius:8px; color:var(--muted); }
footer { color:var(--muted); margin-top:32px; font-size:13px; }
details > summary { cursor:pointer; padding:6px 16px; color:var(--muted); }
table.rules { margin:12px 0 0; width:auto; } table.rules td, table.rules th { padding:2px 12px; }
"""


HEAD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<meta name="generator" content="citecheck">\n'
    f"<title>citecheck report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def render(result: CheckResult, *, details: bool = False) -> str:
    """Render the full page as a string.

    Findings that share a cause are one section with every finding folded inside it, and
    the claims are folded too; `details` opens them all.
    """
    blocks = report_blocks(result)
    views = claim_views(result)
    parts = [
        HEAD,
        _header(result, blocks),
        "<h2>Findings</h2>\n",
    ]
    if blocks:
        parts += [
            _cause(i, b, details) if isinstance(b, CauseGroup) else _group(i, b)
            for i, b in enumerate(blocks, 1)
        ]
    else:
        parts.append('<p class="empty">No findings.</p>\n')
    if views:
        parts.append(f"<h2>Claims ({len(views)})</h2>\n")
        parts.append(f'<p class="meta">{_e(claim_tally(result))}</p>\n')
        parts.append(f"<details{' open' if details else ''}><summary>Each claim</summary>\n")
        parts += [_claim(v) for v in views]
        parts.append("</details>\n")
    parts.append(f"<footer>{_e(summary_line(result))}</footer>\n</main>\n</body>\n</html>\n")
    return "".join(parts)


def _label(block: CauseGroup | FindingGroup) -> str:
    if isinstance(block, CauseGroup):
        return f"{block.code} {block.rule} ×{len(block.findings)}"
    return block.label


def _header(result: CheckResult, groups: tuple[CauseGroup | FindingGroup, ...]) -> str:
    s = result.summary
    inputs = " · ".join(
        f"{_e(name)}: <code>{_e(path)}</code>" for name, path in result.inputs.items()
    )
    cards = "".join(
        f'<div class="card {cls}"><span class="n{"" if s[key] else " zero"}">{s[key]}</span>'
        f"{label}</div>"
        for cls, key, label in (
            ("error", "error", "Errors"),
            ("warning", "warning", "Warnings"),
            ("info", "info", "Info"),
            ("total", "total", "Total findings"),
        )
    )
    toc = "".join(
        f'<li><a href="#g{i}">{_e(_label(g))}'
        f"{'' if isinstance(g, CauseGroup) else f' ({len(g.findings)})'}</a></li>"
        for i, g in enumerate(groups, 1)
    )
    by_rule = "".join(
        f'<tr><td><code>{_e(code)}</code> <a href="{_e(rule_url(rule))}">{_e(rule)}</a></td>'
        + "".join(f"<td>{counts[sev] or ''}</td>" for sev in sorted(counts, reverse=True))
        + "</tr>"
        for code, rule, counts in rule_counts(result)
    )
    rules = (
        '<table class="rules"><thead><tr><th>Rule</th><th>Errors</th><th>Warnings</th>'
        f"<th>Info</th></tr></thead><tbody>{by_rule}</tbody></table>"
        if by_rule
        else ""
    )
    return (
        f"<header>\n<h1>citecheck report</h1>\n"
        f'<p class="meta">citecheck {_e(result.tool_version)}'
        f"{' · ' + inputs if inputs else ''}</p>\n"
        f'<div class="cards">{cards}</div>\n{rules}\n'
        f"{f'<ul class=toc>{toc}</ul>' if toc else ''}\n</header>\n"
    )


def _group(index: int, group: FindingGroup) -> str:
    raw = ""
    if group.reference is not None and group.reference.raw:
        raw = f'<p class="raw">{_e(" ".join(group.reference.raw.split()))}</p>'
    shown = group.reference.raw if group.reference is not None else ""
    findings = "".join(_finding(f, shown) for f in group.findings)
    return (
        f'<section class="group" id="g{index}">\n<header><h3>{_e(group.label)}</h3>{raw}</header>\n'
        f"{findings}</section>\n"
    )


def _cause(index: int, cause: CauseGroup, details: bool) -> str:
    """Many findings of one cause: a heading with the count and subjects, each one folded."""
    first = cause.findings[0]
    sev = cause.severity.label
    suggestion = (
        f'<p class="raw">suggestion: {_e(first.suggestion)}</p>' if first.suggestion else ""
    )
    findings = "".join(_finding(f) for f in cause.findings)
    return (
        f'<section class="group cause" id="g{index}">\n<header><h3>'
        f'<span class="badge {sev}">{sev}</span> <code>{_e(cause.code)}</code> '
        f'<a href="{_e(rule_url(cause.rule))}">{_e(cause.rule)}</a> ×{len(cause.findings)}</h3>'
        f'<p class="raw">{_e(cause.subjects)}</p>'
        f'<p class="msg">e.g. {_e(first.message)}</p>{suggestion}</header>\n'
        f"<details{' open' if details else ''}><summary>Each finding "
        f"({len(cause.findings)})</summary>\n{findings}</details>\n</section>\n"
    )


def _finding(f: Finding, shown: str = "") -> str:
    sev = f.severity.label
    details = "".join(
        f"<dt>{_e(label)}</dt><dd>{_e(text)}</dd>" for label, text in detail_lines(f, shown)
    )
    return (
        f'<article class="finding {sev}">\n<div class="head">'
        f'<span class="badge {sev}">{sev}</span> <code>{_e(f.code)}</code> '
        f'<a class="mono" href="{_e(rule_url(f.rule))}">{_e(f.rule)}</a>'
        f'<span class="loc mono">{_e(f.location)}</span></div>\n'
        f'<p class="msg">{_e(f.message)}</p>\n'
        f"{f'<dl>{details}</dl>' if details else ''}</article>\n"
    )


def _claim(view: ClaimView) -> str:
    claim = view.claim
    head = f"<h3>{_e(view.claim_id)}</h3>"
    meta = '<p class="meta">not in the loaded claims</p>'
    paraphrase = ""
    if claim is not None:
        cites = ",".join(str(n) for n in claim.numbers) or ",".join(claim.keys)
        mention = f" · {_e(claim.author_mention)}" if claim.author_mention else ""
        meta = (
            f'<p class="meta"><span class="mono">{_e(claim.location)}</span>'
            f" · cites [{_e(cites)}]{mention}</p>"
        )
        if claim.paraphrase:
            paraphrase = f'<p class="paraphrase">{_e(claim.paraphrase)}</p>'
    rows = []
    for ev in view.entities:
        entity = f"{_e(ev.entity.text)} <span class=meta>({_e(ev.entity.type)})</span>"
        if not ev.verdicts:
            rows.append(
                f'<tr><td>{entity}</td><td></td><td class="v-no-evidence">not checked</td>'
                "<td></td></tr>"
            )
        for cv in ev.verdicts:
            evidence = _e(cv.evidence_source)
            if cv.detail:
                evidence += f"{': ' if evidence else ''}{_e(cv.detail)}"
            rows.append(
                f'<tr><td>{entity}</td><td class="nowrap">[{cv.reference}]</td>'
                f'<td class="nowrap v-{_e(cv.verdict)}">{_e(cv.verdict)}</td>'
                f"<td>{evidence}</td></tr>"
            )
    for sv in view.support:
        quote = "".join(
            f"<mark>{_e(piece)}</mark>" if mark else _e(piece)
            for piece, mark in highlighted(sv.evidence, sv.highlights)
        )
        evidence = (
            f"\u201c{quote}\u201d <span class=meta>({_e(sv.source)})</span>"
            if quote
            else _e(sv.reason)
        )
        confidence = f" ({sv.confidence:.2f})" if sv.confidence else ""
        rows.append(
            f'<tr><td>whole claim</td><td class="nowrap">[{sv.reference}]</td>'
            f'<td class="nowrap v-{_e(sv.verdict)}">{_e(sv.verdict)}{confidence}</td>'
            f"<td>{evidence}</td></tr>"
        )
    table = ""
    if rows:
        table = (
            '<table class="verdicts"><colgroup><col class="entity"><col class="ref">'
            '<col class="verdict"><col></colgroup>'
            "<thead><tr><th>Entity</th><th>Reference</th><th>Verdict</th>"
            f"<th>Evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    related = ""
    if view.findings:
        items = "".join(
            f"<li><code>{_e(f.code)}</code> {_e(f.rule)}: {_e(f.message)}</li>"
            for f in view.findings
        )
        related = f"<ul>{items}</ul>"
    return f'<section class="claim">{head}{meta}{paraphrase}{table}{related}</section>\n'
