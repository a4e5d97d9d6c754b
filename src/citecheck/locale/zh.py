"""简体中文 catalogue: rule names and descriptions, message patterns, report headings.

Each pattern matches a whole English message (or suggestion) of its rule, after a leading
"[n] " reference number; named groups carry the data into the Chinese template as written.
Groups named t_* are terms looked up in TERMS (field names, sources, ordinals); groups named
r_* are translated again with the rule's PARTS and patterns (a message built from parts);
groups named o_* are optional parts worded by OPTIONAL.
tests/test_lang.py fails when a registered rule lacks a name, a description or a pattern.
"""

from __future__ import annotations

import re

# Short names, shown before a message no pattern knows.
RULES = {
    "missing-reference": "缺少参考文献",
    "uncited-reference": "未被引用的参考文献",
    "citation-order": "引用顺序",
    "duplicate-reference": "重复的参考文献",
    "incomplete-reference": "参考文献信息不完整",
    "unparsed-reference": "无法解析的参考文献",
    "invalid-citation": "无效的引用标注",
    "author-mention-mismatch": "作者提及不符",
    "unresolved-reference": "未匹配到记录",
    "lookup-failed": "查询失败",
    "doi-mismatch": "DOI 不符",
    "title-mismatch": "标题不符",
    "author-mismatch": "作者不符",
    "year-mismatch": "年份不符",
    "journal-mismatch": "期刊不符",
    "volume-mismatch": "卷号不符",
    "issue-mismatch": "期号不符",
    "pages-mismatch": "页码不符",
    "retracted-reference": "已撤稿的文献",
    "corrected-reference": "已更正的文献",
    "expression-of-concern": "编辑关注声明",
    "identifier-conflict": "标识符冲突",
    "reference-not-found": "查无此文献",
    "cannot-determine": "无法判断",
    "preprint-published": "预印本已正式发表",
    "claim-entity-mismatch": "论述中的实体拼写不符",
    "claim-entity-unsupported": "论述中的实体缺乏依据",
    "invalid-symbol": "无效的基因符号",
    "claim-citation-missing": "论述引用的文献缺失",
    "claim-contradicted": "被引文献与论述相反",
    "claim-not-supported": "被引文献未支持论述",
    "claim-study-mismatch": "研究类型不符",
}

DESCRIPTIONS = {
    "missing-reference": "正文引用了参考文献列表中不存在的编号或键。",
    "uncited-reference": "参考文献列表中的某一条目在正文中从未被引用。",
    "citation-order": "顺序编码制：参考文献须按在正文中首次引用的顺序编号 1、2、3……（表格和图注不计）。",
    "duplicate-reference": "参考文献列表中两个条目是同一文献，或编号相同。",
    "incomplete-reference": "条目缺少其文献类型所需的字段（如期刊论文缺少期刊名、年份、卷号等）。",
    "unparsed-reference": "完全无法读取的条目或 BibTeX 块。",
    "invalid-citation": "格式错误的引用标注，如倒序范围 [9-3] 或编号 [0]。",
    "author-mention-mismatch": "引用标注前提及的作者不是所引条目的第一作者。",
    "unresolved-reference": "没有任何元数据记录与该参考文献匹配，或匹配到多条记录。",
    "lookup-failed": "无法向元数据来源查询该参考文献（网络、限流或服务错误）。",
    "doi-mismatch": "条目中的 DOI 指向的不是条目所描述的文献。",
    "title-mismatch": "条目的标题与记录不同（大小写、标点、标记和希腊字母之外的差异）。",
    "author-mismatch": "条目的作者与记录不同：姓名、顺序、缩写或 et al. 的数目。",
    "year-mismatch": "条目的年份与记录不同（相差一年仅作提示）。",
    "journal-mismatch": "条目的期刊名既不是记录中的刊名，也不是其缩写。",
    "volume-mismatch": "条目的卷号与记录不同。",
    "issue-mismatch": "条目的期号与记录不同。",
    "pages-mismatch": "条目的页码或文章编号与记录不同（1611-21 等同于 1611-1621）。",
    "retracted-reference": "所引文献已被撤稿（引用撤稿声明本身为警告）。",
    "corrected-reference": "所引文献有更正或勘误（引用更正声明本身仅作提示）。",
    "expression-of-concern": "所引文献带有编辑关注声明。",
    "identifier-conflict": "DOI、PMID 或 PMCID 指向的文献与条目的标题和作者不同，或各标识符指向不同文献。",
    "reference-not-found": "所有应当收录该文献的来源都已查询，均无此文献。",
    "cannot-determine": "无法判断该文献是否如所引般存在（某来源失败，或无来源收录），并说明原因。",
    "preprint-published": "所引的 bioRxiv、medRxiv、Research Square 或 arXiv 预印本已在期刊正式发表。",
    "claim-entity-mismatch": "论述中提到的实体与被引文献的写法相差一个字符（如 SUV39H1 与 SUV38H1），并指出哪个写法有效。",
    "claim-entity-unsupported": "论述中提到的 miRNA、基因或通路在被引证据中完全没有出现。",
    "invalid-symbol": "论述或参考文献标题中的基因或 miRNA 名称疑似拼写错误，并给出有效的名称。",
    "claim-citation-missing": "论述引用了列表中没有的参考文献，因此无法核查（CC101 报告缺失的条目）。",
    "claim-contradicted": "被引文献的说法与论述相反（方向或关系颠倒，双方原文均已引出）。",
    "claim-not-supported": "被引证据中从未出现论述所说的内容（说明检索了哪些内容）。",
    "claim-study-mismatch": "论述把被引文献说成它并非的研究类型（外泌体、物种、过程）。",
}

TERMS = {
    "title": "标题",
    "year": "年份",
    "journal": "期刊",
    "volume": "卷号",
    "issue": "期号",
    "pages": "页码",
    "Crossref": "Crossref",
    "the recorded metadata": "已记录的元数据",
    "no source": "没有来源",
    "an HGNC approved, alias or previous symbol": "HGNC 批准的、别名或曾用的基因符号",
    "a human miRNA in miRBase": "miRBase 收录的人类 miRNA",
    "an HGNC symbol": "HGNC 基因符号",
    "first": "第一",
    "second": "第二",
    "third": "第三",
    "retraction": "撤稿",
    "correction": "更正",
    "expression of concern": "编辑关注",
    "journal article": "期刊论文",
    "preprint": "预印本",
    "book": "图书",
    "book chapter": "图书章节",
    "conference paper": "会议论文",
    "thesis": "学位论文",
    "report": "报告",
    "web page": "网页",
    "software or dataset": "软件或数据集",
    "standard": "标准",
    "patent": "专利",
    "news article": "新闻报道",
    "entry": "条目",
    "authors": "作者",
    "book title": "书名",
    "proceedings title": "会议录名称",
    "newspaper or magazine": "报刊名称",
    "pages or article number": "页码或文章编号",
    "publisher": "出版者",
    "institution": "机构",
    "DOI, arXiv id or URL": "DOI、arXiv 编号或网址",
    "URL or DOI": "网址或 DOI",
    "title and abstract": "标题和摘要",
    "titles": "标题",
    "abstract": "摘要",
    "abstracts": "摘要",
    "full text": "全文",
}


def term(value: str) -> str:
    """A term in Chinese; a list of terms ("volume, pages") term by term; else as written."""
    if value in TERMS:
        return TERMS[value]
    parts = [p.strip() for p in re.split(r",\s*|\s+and\s+|\s+or\s+", value)]
    if len(parts) > 1 and all(p in TERMS for p in parts):
        return "、".join(TERMS[p] for p in parts)
    m = re.fullmatch(r"(\d+)th", value)
    return f"第{m.group(1)}" if m else value


def _p(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern, re.DOTALL), template) for pattern, template in pairs)


_TIMES = r"(?: \((?P<o_times>\d+) callouts\))?"
_FIELD = {
    slug: _p(
        (
            r"(?P<t_label>title|year|journal|volume|issue|pages) differs from "
            r"(?P<t_src>.+?): (?P<why>.+)",
            "{t_label}与{t_src}不一致：{why}",
        ),
        (r"use the record's (?P<t_label>\w+): (?P<value>.+)", "请使用记录中的{t_label}：{value}"),
    )
    for slug in (
        "title-mismatch",
        "year-mismatch",
        "journal-mismatch",
        "volume-mismatch",
        "issue-mismatch",
        "pages-mismatch",
    )
}
_NOTICE = _p(
    (
        r"the cited work has a (?P<t_noun>.+?) notice: (?P<listed>.+)",
        "所引文献有{t_noun}声明：{listed}",
    ),
    (
        r"the cited item is itself a (?P<t_noun>.+?) notice \(for (?P<listed>.+)\)",
        "所引条目本身是一则{t_noun}声明（针对 {listed}）",
    ),
    (
        r"do not rely on a retracted work; if it must be cited, say it is retracted and cite "
        r"the retraction notice",
        "不要依赖已撤稿的文献；如必须引用，请注明已撤稿并同时引用撤稿声明",
    ),
    (
        r"read the correction and cite it alongside the work if it matters here",
        "请阅读更正内容；如与此处相关，请同时引用更正声明",
    ),
    (r"read the editor's concern before relying on the work", "依赖该文献前请先阅读编辑关注声明"),
    (
        r"make sure the notice, not the work it concerns, is meant",
        "请确认要引用的是声明本身，而不是它所涉及的文献",
    ),
)

PATTERNS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "missing-reference": _p(
        (
            r"reference \[(?P<n>\d+)\] is cited" + _TIMES + r" but the list has no entry \d+"
            r"(?: \(the list stops at (?P<o_h>\d+)\))?",
            "正文引用了 [{n}]{o_times}，但参考文献列表中没有第 {n} 条{o_h}",
        ),
        (
            r"citation \((?P<c>.+?)\)" + _TIMES + r" matches no entry of the reference list",
            "引用（{c}）{o_times}与参考文献列表中的任何条目都不对应",
        ),
        (
            r"citation key '(?P<k>.+?)' is cited"
            + _TIMES
            + r" but not defined in the bibliography",
            "引用键“{k}”{o_times}在文献库中没有定义",
        ),
        (
            r"add the missing entry to the reference list, or correct the callout",
            "请在参考文献列表中补上缺失的条目，或更正引用标注",
        ),
    ),
    "uncited-reference": _p(
        (
            r"reference (?P<label>.+?) is never cited in the text",
            "参考文献 {label} 在正文中从未被引用",
        ),
        (
            r"cite it where it supports the text, or remove it from the list",
            "请在它所支持的正文处引用它，或将其从列表中删除",
        ),
    ),
    "citation-order": _p(
        (
            r"reference \[(?P<n>\d+)\] is first cited (?P<t_rel>after|before) \[(?P<m>\d+)\]; "
            r"in a numbered style references are numbered in order of first citation",
            "参考文献 [{n}] 首次引用在 [{m}] 之{t_rel}；顺序编码制要求按首次引用的顺序编号",
        ),
        (
            r"renumber the reference list in order of first citation",
            "请按首次引用的顺序重新编号参考文献列表",
        ),
    ),
    "duplicate-reference": _p(
        (r"two entries are numbered (?P<n>\d+)", "有两个条目的编号都是 {n}"),
        (r"renumber the reference list", "请重新编号参考文献列表"),
        (
            r"entry (?P<a>.+?) repeats entry (?P<b>.+?) \((?P<r_why>.+)\)",
            "条目 {a} 与条目 {b} 重复（{r_why}）",
        ),
        (
            r"remove entry (?P<a>.+?) and cite (?P<b>.+?) instead, or correct the copied details",
            "请删除条目 {a} 并改为引用 {b}，或更正复制来的信息",
        ),
    ),
    "incomplete-reference": _p(
        (
            r"(?P<t_kind>[a-z ]+?) (?P<label>\[\d+\]|\S+) lacks (?P<t_names>.+?)"
            r"(?P<t_hint> \(only a DOI link is given\)| \(only a URL is given\))?",
            "{t_kind} {label} 缺少{t_names}{t_hint}",
        ),
        (
            r"the matched record gives (?P<known>.+); `citecheck bib --fix` adds them",
            "匹配到的记录给出了 {known}；`citecheck bib --fix` 可以补上",
        ),
        (
            r"complete the entry from the publisher's record(?: \(DOI (?P<o_doi>.+)\))?",
            "请根据出版者的记录补全该条目{o_doi}",
        ),
    ),
    "unparsed-reference": _p(
        (r"could not read this entry: (?P<reason>.+)", "无法读取该条目：{reason}"),
        (r"check the entry's punctuation and field order", "请检查该条目的标点和字段顺序"),
    ),
    "invalid-citation": _p(
        (r"malformed citation (?P<c>.+?): (?P<why>.+)", "格式错误的引用标注 {c}：{why}"),
        (
            r"write ranges low-high with numbers from 1, e\.g\. \[3-9\]",
            "范围请写成从小到大、编号从 1 开始，例如 [3-9]",
        ),
    ),
    "author-mention-mismatch": _p(
        (
            r"'(?P<m>.+?)' before (?P<c>.+?) (?P<r_rest>(?:names|looks|is not|does not) .+)",
            "{c} 前的“{m}”{r_rest}",
        ),
        (
            r"names the (?P<t_ord>\w+) author \((?P<a>.+?)\), not the first author (?P<f>.+?): "
            r"a style note, the person is an author",
            "提及的是{t_ord}作者（{a}），而非第一作者 {f}：仅为格式提示，此人确是作者",
        ),
        (
            r"looks like the first author's given name: the entry's first author is (?P<f>.+?) "
            r"\(family name (?P<fam>.+)\)",
            "像是第一作者的名（而非姓）：该条目的第一作者是 {f}（姓为 {fam}）",
        ),
        (
            r"is not the first author \((?P<f>.+?)\); whether it is a later author cannot be "
            r"determined: the entry's list stops at et al\.",
            "不是第一作者（{f}）；条目的作者列表止于 et al.，无法判断是否为后面的作者",
        ),
        (
            r"does not match any author of the cited entry \(first author (?P<f>[^)]+)\)"
            r"(?: \((?P<o_other>.+?) is the first author of (?P<l>.+?): is that the work meant\?\))?",
            "与所引条目的任何作者都不符（第一作者为 {f}）{o_other}",
        ),
        (
            r"names '(?P<n>.+?)' as author (?P<i>\d+), but (?P<a>.+?) is the (?P<t_ord>\w+) of "
            r"(?P<k>\d+) authors: a style note",
            "把“{n}”列为第 {i} 位作者，但 {a} 是 {k} 位作者中的{t_ord}位：仅为格式提示",
        ),
        (
            r"names '(?P<n>.+?)', who is not an author of the cited entry \((?P<why>.+)\)",
            "提及的“{n}”不是所引条目的作者（{why}）",
        ),
        (
            r"write '(?P<x>.+?)' \(the first author's family name\)",
            "请写作“{x}”（第一作者的姓）",
        ),
        (
            r"write '(?P<x>.+?) et al\.' or cite the work by its first author",
            "请写作“{x} et al.”，或按第一作者引用该文献",
        ),
        (r"write '(?P<x>.+)'", "请写作“{x}”"),
    ),
    "unresolved-reference": _p(
        (r"not resolved yet(?:: (?P<o_d>.+))?", "尚未解析{o_d}"),
        (
            r"run `citecheck resolve --online` to look it up",
            "请运行 `citecheck resolve --online` 查询",
        ),
        (
            r"matches several records in (?P<t_src>.+?)(?: \((?P<o_d>.+)\))?",
            "在{t_src}中匹配到多条记录{o_d}",
        ),
        (
            r"no matching record in (?P<t_src>.+?)(?: \((?P<o_d>.+)\))?",
            "在{t_src}中没有匹配的记录{o_d}",
        ),
        (
            r"add the DOI to the entry so it names one work",
            "请在条目中补上 DOI，使其指向唯一的文献",
        ),
        (r"check the entry for typos, or add its DOI", "请检查条目是否有拼写错误，或补上 DOI"),
        (
            r"nothing to do unless the work has a DOI; then add it",
            "无需处理，除非该文献有 DOI；如有，请补上",
        ),
    ),
    "lookup-failed": _p(
        (r"could not look the reference up: (?P<o_d>.+)", "无法查询该参考文献：{o_d}"),
        (
            r"run again when the service is reachable; the lock file works offline",
            "请在服务可访问时重新运行；锁文件可离线使用",
        ),
    ),
    "doi-mismatch": _p(
        (
            r"the DOI (?P<a>\S+) does not name this work; the record has (?P<b>\S+)",
            "DOI {a} 指向的不是该文献；记录中的 DOI 为 {b}",
        ),
        (r"replace the DOI with (?P<b>\S+)", "请将 DOI 替换为 {b}"),
        (
            r"the DOI (?P<a>\S+) belongs to a different work: (?P<w>.+)",
            "DOI {a} 属于另一篇文献：{w}",
        ),
        (
            r"correct the DOI \(a digit may be wrong\) or remove it",
            "请更正 DOI（可能有数字写错）或将其删除",
        ),
    ),
    **_FIELD,
    "author-mismatch": _p(
        (r"authors differ from (?P<t_src>.+?): (?P<issues>.+)", "作者与{t_src}不一致：{issues}"),
        (r"list the authors as the record does: (?P<a>.+)", "请按记录列出作者：{a}"),
    ),
    "retracted-reference": _NOTICE,
    "corrected-reference": _NOTICE,
    "expression-of-concern": _NOTICE,
    "identifier-conflict": _p(
        (
            r"check the identifier against the cited work \(a swapped or mistyped identifier, "
            r"or a reference that does not exist as written\)",
            "请对照所引文献核对标识符（可能是标识符被调换或写错，或该文献并不如所写般存在）",
        ),
        (
            r"the (?P<k>DOI|PMID|PMCID) (?P<id>\S+) names another work in (?P<t_src>.+?): "
            r"(?P<title>.+)",
            "{k} {id} 在{t_src}中指向另一篇文献：{title}",
        ),
        (
            r"the (?P<a>DOI|PMID|PMCID) (?P<x>\S+) and the (?P<b>DOI|PMID|PMCID) (?P<y>\S+) name "
            r"different works: (?P<titles>.+)",
            "{a} {x} 与 {b} {y} 指向不同的文献：{titles}",
        ),
    ),
    "reference-not-found": _p(
        (r"no source has this work: (?P<r_reason>.+)", "没有任何来源收录该文献：{r_reason}"),
        (
            r"check that the work exists as cited \(title, authors, journal, year\)",
            "请核实该文献确如所引般存在（标题、作者、期刊、年份）",
        ),
    ),
    "cannot-determine": _p(
        (
            r"cannot determine whether the work exists as cited: (?P<r_reason>.+)",
            "无法判断该文献是否如所引般存在：{r_reason}",
        ),
    ),
    "preprint-published": _p(
        (r"the cited preprint has been published: (?P<url>\S+)", "所引预印本已正式发表：{url}"),
        (
            r"cite the published version \(check that its findings still hold\)",
            "请引用正式发表的版本（并确认其结论仍然成立）",
        ),
    ),
    "claim-entity-mismatch": _p(
        (
            r"the claim names (?P<f>\S+) but the cited (?P<t_src>.+?) of \[(?P<n>\d+)\] has "
            r"(?P<c>\S+): (?P<r_s>.+)",
            "论述写的是 {f}，但 [{n}] 的{t_src}中是 {c}：{r_s}",
        ),
        (
            r"the claim's (?P<f>\S+) is valid; the cited title carries the error \((?P<c>.+)\)",
            "论述中的 {f} 是有效的；错误在被引标题中（{c}）",
        ),
        (r"correct the claim to (?P<c>.+)", "请将论述改为 {c}"),
        (
            r"check which of (?P<f>\S+) and (?P<c>\S+) the cited work studied",
            "请核实被引文献研究的是 {f} 还是 {c}",
        ),
    ),
    "claim-entity-unsupported": _p(
        (
            r"not mentioned in the cited (?P<t_src>.+?) of (?P<cites>.+?): (?P<names>.+?)"
            r"(?P<t_weak> \(only titles were available: absence from a title is weak evidence\))?",
            "{cites} 的{t_src}中没有提到：{names}{t_weak}",
        ),
        (
            r"check the cited work supports this, or cite the work that does",
            "请核实被引文献支持这一点，或改引确实支持它的文献",
        ),
    ),
    "invalid-symbol": _p(
        (
            r"(?P<e>\S+) in (?P<r_where>.+?) is not (?P<t_kind>.+?): likely a misspelling of "
            r"(?P<n>\S+)",
            "{r_where}中的 {e} 不是{t_kind}：可能是 {n} 的拼写错误",
        ),
        (r"did you mean (?P<x>.+)\?", "您是否指 {x}？"),
    ),
    "claim-citation-missing": _p(
        (
            r"the claim cites (?P<m>.+?), which the reference list lacks"
            r"(?: \(it has (?P<o_k>\d+) numbered entries\))?, so it cannot be checked against "
            r"the cited work",
            "论述引用了 {m}，参考文献列表中没有这些条目{o_k}，因此无法对照被引文献核查",
        ),
        (
            r"add the missing entries to the reference list or correct the callout",
            "请在参考文献列表中补上缺失的条目，或更正引用标注",
        ),
    ),
    "claim-contradicted": _p(
        (
            r"says otherwise: (?P<reason>.+?); it says (?P<q>\u201c.*\u201d) \((?P<src>.+)\)",
            "的说法相反：{reason}；原文为 {q}（{src}）",
        ),
        (
            r"check what the cited work found and correct the claim or the citation",
            "请核实被引文献的发现，并更正论述或引用",
        ),
    ),
    "claim-not-supported": _p(
        (
            r"not found in \[(?P<n>\d+)\]: (?P<r_reason>.+?): (?P<q>\u201c.*\u201d) "
            r"\(confidence (?P<c>[\d.]+)\)",
            "在 [{n}] 中未找到：{r_reason}：{q}（置信度 {c}）",
        ),
        (
            r"check the cited work says this, or cite the work that does",
            "请核实被引文献确有此说，或改引确有此说的文献",
        ),
    ),
    "claim-study-mismatch": _p(
        (
            r"\[(?P<n>\d+)\]: (?P<study>.+?); it says (?P<q>\u201c.*\u201d)",
            "[{n}]：{study}；原文为 {q}",
        ),
        (
            r"cite a work that studied what the claim describes, or reword the claim",
            "请引用确实研究了论述所述内容的文献，或改写论述",
        ),
    ),
}

# Patterns any rule may use.
SHARED = _p()

# Parts of a message (r_* groups) that only occur inside a rule's message.
_STATUS = _p(
    (r"(?P<r_a>[^;]+); (?P<r_b>.+)", "{r_a}；{r_b}"),
    (r"(?P<x>\S+) is the approved HGNC symbol", "{x} 是 HGNC 批准的基因符号"),
    (r"(?P<x>\S+) is not an HGNC symbol at all", "{x} 根本不是 HGNC 基因符号"),
    (r"(?P<x>\S+) is a human miRNA in miRBase", "{x} 是 miRBase 收录的人类 miRNA"),
    (
        r"(?P<x>\S+) belongs to a human miRNA family in miRBase",
        "{x} 属于 miRBase 收录的人类 miRNA 家族",
    ),
    (r"(?P<x>\S+) is not a miRBase miRNA", "{x} 不是 miRBase 收录的 miRNA"),
    (
        r"(?P<x>\S+) is an HGNC (?P<kind>[\w ]+?) symbol of (?P<of>.+)",
        "{x} 是 {of} 的 HGNC {kind} 符号",
    ),
)
_SEARCHED = (
    r"the cited (?P<t_what>(?:full text|abstract|title)(?: and (?:full text|abstract|title))*)"
)
# Why identity could not say more (resolve/sources/identity.py), for CC215 and CC216.
_IDENTITY = _p(
    (
        r"grey literature or a web page \((?P<k>.*)\), which the sources do not index",
        "灰色文献或网页（{k}），各来源均不收录",
    ),
    (r"a source could not be asked \((?P<names>.+)\)", "有来源无法查询（{names}）"),
    (
        r"the DOI is registered with (?P<a>.+), which citecheck cannot query",
        "该 DOI 在 {a} 注册，citecheck 无法查询",
    ),
    (
        r"doi\.org does not know the DOI prefix of (?P<doi>\S+), and no source has the work",
        "doi.org 不认识 {doi} 的 DOI 前缀，且没有任何来源收录该文献",
    ),
    (
        r"only (?P<t_who>.+?) answered; too few to say it does not exist",
        "只有 {t_who} 作答；不足以断定该文献不存在",
    ),
    (
        r"none of (?P<t_who>.+?) has a work with this title and authors"
        r"(?: or the DOI (?P<o_ordoi>\S+))?",
        "{t_who} 均没有标题和作者与之相符的文献{o_ordoi}",
    ),
    (
        r"(?:(?P<o_note>.+) by hand; )?no source has been asked about it yet "
        r"\(run `citecheck resolve --online`\)",
        "尚未向任何来源查询（请运行 `citecheck resolve --online`）{o_note}",
    ),
)
PARTS = {
    "duplicate-reference": _p(
        (r"the same DOI (?P<doi>\S+)", "DOI 相同：{doi}"),
        (r"the same title and year", "标题和年份相同"),
        (
            r"the same journal, year, volume and pages under different authors: the same work "
            r"cited twice, or details copied from one entry into another",
            "期刊、年份、卷号和页码相同但作者不同：同一文献被引用两次，或从另一条目复制了信息",
        ),
        (r"the same journal, year, volume and pages", "期刊、年份、卷号和页码相同"),
    ),
    "invalid-symbol": _p(
        (r"the title of reference \[(?P<n>\d+)\]", "参考文献 [{n}] 的标题"),
        (r"a reference title", "某参考文献标题"),
        (r"claim (?P<c>\S+)", "论述 {c} "),
    ),
    "reference-not-found": _IDENTITY,
    "cannot-determine": _IDENTITY,
    "claim-entity-mismatch": _STATUS,
    "claim-not-supported": _p(
        (
            _SEARCHED + r" never say it \(the closest sentence is quoted\)",
            "被引{t_what}中没有这样说（引出了最接近的句子）",
        ),
    ),
}

# Optional parts (groups named o_*): empty when absent, else read as set here.
OPTIONAL = {
    "o_times": "（{}处）",
    "o_h": "（列表只到第 {} 条）",
    "o_d": "（{}）",
    "o_doi": "（DOI {}）",
    "o_ordoi": "，也没有 DOI 为 {} 的文献",
    "o_other": "（{} 是另一条目的第一作者：是否引错了文献？）",
    "o_k": "（列表共有 {} 个编号条目）",
    "o_note": "；需人工核查：{}",
}
TERMS |= {
    "after": "后",
    "before": "前",
    " (only a DOI link is given)": "（只给出了 DOI 链接）",
    " (only a URL is given)": "（只给出了网址）",
    " (only titles were available: absence from a title is weak evidence)": (
        "（只有标题可查：标题中没有提到只是弱证据）"
    ),
}

# Report headings and labels (text, Markdown, HTML), as whole phrases.
HEADINGS = tuple(
    (re.compile(pattern, re.MULTILINE), template)
    for pattern, template in (
        (r"^(\s*)Summary by rule$", r"\1按规则汇总"),
        (r"^(#+ )Summary by rule$", r"\1按规则汇总"),
        (r"^(\s*)No findings\.$", r"\1没有发现问题。"),
        (
            r"\b(\d+) findings?: (\d+) error\(s\), (\d+) warning\(s\), (\d+) info\b",
            r"共 \1 项发现：\2 个错误，\3 个警告，\4 条提示",
        ),
        (
            r"\b(\d+) findings that share a cause are shown as one line per cause; "
            r"--details shows each",
            r"\1 项同因发现各合并为一行；--details 可逐项显示",
        ),
        (r"\(--details\s+shows\s+each\)", "（--details 可逐项显示）"),
        (r"\(`--details` shows each\)", "（`--details` 可逐项显示）"),
        (r"\b(\d+) claims?, (\d+) entity verdicts?", r"\1 条论述，\2 个实体判定"),
        (r"\b(\d+) mismatch(?:es)?\b", r"\1 个不符"),
        (r"\b(\d+) unsupported\b", r"\1 个缺乏依据"),
        (r"\b(\d+) supported\b", r"\1 个有依据"),
        (r"^(\s*)suggestion: ", r"\1建议："),
        (r"^(\s*)expected: ", r"\1应为："),
        (r"^(\s*)found: ", r"\1实为："),
        (r"^(\s*)e\.g\. ", r"\1例如："),
        (r"^(\s*)Claims: ", r"\1论述："),
        (r"^(\s*)Claims$", r"\1论述"),
        (r"^(#+ )Claims$", r"\1论述"),
        (r"\bcitecheck report\b", "citecheck 报告"),
        (r"^General$", "概况"),
        (r">General<", ">概况<"),
        (r">suggestion: ", ">建议："),
        (r">Each finding \(", ">逐项发现（"),
        (
            r"<th>Rule</th><th>Errors</th><th>Warnings</th><th>Info</th>",
            "<th>规则</th><th>错误</th><th>警告</th><th>提示</th>",
        ),
        (r"^## Findings$", "## 发现"),
        (r"^\| Severity \| Count \|$", "| 严重程度 | 数量 |"),
        (
            r"^\| Code \| Rule \| Errors \| Warnings \| Info \|$",
            "| 代码 | 规则 | 错误 | 警告 | 提示 |",
        ),
        (r"^\| Errors \|", "| 错误 |"),
        (r"^\| Warnings \|", "| 警告 |"),
        (r"^\| Info \|", "| 提示 |"),
        (r"^\| Total \|", "| 合计 |"),
        (r"^> e\.g\. ", "> 例如："),
        (r"^Suggestion: ", "建议："),
    )
)

# The `citations` and `bib` commands' own lines, by the keys of citecheck.messages.COMMANDS
# (same {fields}; the data in them stays as written).
COMMANDS = {
    "citations.text": "正文",
    "citations.table": "表格",
    "citations.author": "作者：{name}",
    "citations.problem": "问题：{problem}",
    "citations.none": "{path} 中没有找到正文引用",
    "bib.wrote": "已写入 {target}（依据匹配记录更正了 {changed} 个字段）",
    "bib.diff.summary": "{entries} 个条目中的 {fields} 个字段将被更正（--level {level}）；未写入任何文件",
    "bib.diff.none": "在 --level {level} 下没有需要更正的内容；未写入任何文件",
    "bib.usage.in_place_output": "--in-place 会直接改写该 .bib 文件：请去掉 --output",
    "bib.usage.in_place_fix": "--in-place 须与 --fix 一起使用",
    "bib.usage.fix_or_style": "请在 --fix 和 --style 中选择一个",
    "bib.usage.fix_refs": "--fix 处理的是 BibTeX 文件：请用 --refs 指定",
    "bib.usage.diff_in_place": "--diff 不写入任何文件：请去掉 --in-place",
    "bib.usage.fix_output": "--fix 需要 --output FILE 或 --in-place",
    "bib.hint.in_place": "--fix --in-place 会改写该 .bib 并保留备份",
    "style.no_file": "没有这个 CSL 样式文件",
    "style.unknown": "未知的样式 {style}；可选：{builtin}、一个 .csl 文件的路径，或在 "
    "`pip install 'citecheck[styles]'` 之后使用 CSL 样式库中的样式 id",
    "style.unknown_id": "未知的样式 {style}{hint}；可选：{builtin}、一个 .csl 路径，或 CSL 样式库中的样式 id",
    "style.nearest": "（是否指 {id}？）",
    "fetch.comment": "% citecheck bib fetch {kind} {value}：{source} 记录，检索于 {when}",
    "fetch.candidates": "有 {count} 篇文献与该标题相符；请按标识符获取其中一篇：",
    "fetch.no_year": "年份不详",
    "fetch.not_found": "未找到 {kind} {value} 的记录（已查询 {asked}）{failed}",
    "fetch.empty": "没有可获取的内容：请给出 DOI、PMID、PMCID、arXiv id 或标题",
    "fetch.not_a_query": "{text} 不是 DOI、PMID、PMCID 或 arXiv id，作为标题又太短",
    "fetch.offline": "bib fetch 需要通过网络查询元数据来源：请加上 --online",
    "fetch.no_source_holds": "所选来源都不收录 {kind}（--sources）",
    "fetch.none_asked": "无法查询任何来源：{failed}",
}

# The problems a malformed callout is listed with (`citecheck citations`), one part each.
CALLOUT_PROBLEMS = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"'(?P<item>.*)' is an incomplete range", r"“\g<item>”是不完整的范围"),
        (r"'(?P<item>.*)' is not a reference number", r"“\g<item>”不是参考文献编号"),
        (r"reference numbers start at 1", "参考文献编号从 1 开始"),
        (r"range (?P<item>.*) runs backwards", r"范围 \g<item> 是倒序的"),
        (r"range (?P<item>.*) names one reference twice", r"范围 \g<item> 两次指向同一条文献"),
        (r"range (?P<item>.*) is implausibly long", r"范围 \g<item> 长得不合常理"),
        (r"citation without a key", "引用没有给出键"),
    )
)
