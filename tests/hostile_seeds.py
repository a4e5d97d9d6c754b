"""Small valid inputs of every kind citecheck reads, and the tokens that break parsers.

Shared by the property tests (tests/test_hostile_inputs.py) and the adversarial benchmark
(bench/hostile.py): each seed is mutated by inserting, deleting or replacing spans with
hostile tokens, so the cases stay close to real files while hitting every error path.
"""

from __future__ import annotations

import json

MANUSCRIPT = """Exosomes slow disc degeneration [1]. Cheng et al. [2] saw less pain [1-2].

References
1. Wen T, Wang H, Li Y, et al. Bone mesenchymal stem cell-derived extracellular vesicles
promote the repair of intervertebral disc degeneration. J Orthop Surg Res. 2021;16:55.
2. Cheng X, Zhang G, Zhang L, et al. Mesenchymal stem cells deliver exogenous miR-21 via
exosomes to inhibit nucleus pulposus cell apoptosis. J Cell Mol Med. 2018;22(1):261-276.
"""

BIBTEX = """@article{wen2021bone,
  author = {Wen, T. and Wang, H. and Li, Y.},
  title = {Bone mesenchymal stem cell-derived extracellular vesicles},
  journal = {J Orthop Surg Res},
  year = {2021}, volume = {16}, pages = {55},
  refnumber = {1},
}
@article{cheng2018mesenchymal,
  author = {Cheng, X. and Zhang, G.},
  title = {Mesenchymal stem cells deliver exogenous {miR-21} via exosomes},
  journal = {J Cell Mol Med}, year = {2018}, volume = {22}, number = {1},
  pages = {261--276}, doi = {10.1111/jcmm.13316},
  refnumber = {2},
}
"""

CLAIMS = """schema_version: 2
manuscript: paper.txt
claims:
  - id: c001
    location: {path: paper.txt, line: 1, column: 33}
    citations: [1]
    author_mention: ''
    context: text
    paraphrase: '[1] cited'
    fingerprint: 1a2b3c4d5e6f
    entities: [{text: miR-21, type: mirna, normalized: mir-21}]
  - id: c002
    location: {path: paper.txt, line: 1, column: 50}
    citations: [2]
    author_mention: Cheng
    context: text
    paraphrase: Cheng et al. [2] cited on miR-21
    fingerprint: 6f5e4d3c2b1a
    entities: []
    ignore: [claim-entity-unsupported]
"""

LOCK = json.dumps(
    {
        "citecheck-lock": 1,
        "references": [
            {
                "number": 2,
                "key": "cheng2018mesenchymal",
                "verdict": "matched",
                "doi": "10.1111/jcmm.13316",
                "score": 0.97,
                "query": "Cheng X, Zhang G. Mesenchymal stem cells ...",
                "source": "recorded",
                "retrieved": "2025-11-27T18:54:00Z",
                "detail": "",
                "work": {
                    "title": "Mesenchymal stem cells deliver exogenous miR-21 via exosomes",
                    "authors": [{"family": "Cheng", "given": "Xiang"}],
                    "container_title": "Journal of Cellular and Molecular Medicine",
                    "year": 2018,
                    "volume": "22",
                    "issue": "1",
                    "page": "261-276",
                },
            }
        ],
    },
    indent=2,
)

CSL_JSON = json.dumps(
    [
        {
            "id": "wen2021",
            "type": "article-journal",
            "title": "Bone mesenchymal stem cell-derived extracellular vesicles",
            "author": [{"family": "Wen", "given": "T"}],
            "container-title": "J Orthop Surg Res",
            "issued": {"date-parts": [[2021]]},
            "volume": "16",
        },
        {
            "id": "cheng2018",
            "type": "article-journal",
            "title": "Mesenchymal stem cells deliver exogenous miR-21",
            "author": [{"family": "Cheng", "given": "X"}],
            "issued": {"date-parts": [[2018, 1]]},
            "DOI": "10.1111/jcmm.13316",
        },
    ],
    indent=1,
)

PANDOC = """---
title: A test
bibliography: refs.json
---

Exosomes slow disc degeneration [@wen2021]. @cheng2018 saw less pain [@wen2021; @cheng2018].
"""

LATEX = r"""\documentclass{article}
\begin{document}
Exosomes slow disc degeneration \cite{wen2021bone}. \citet{cheng2018mesenchymal} saw less
pain~\citep[p.~3]{wen2021bone,cheng2018mesenchymal}.
\bibliography{refs}
\end{document}
"""

JATS = """<?xml version="1.0" encoding="UTF-8"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group>
</article-meta></front><body><sec><p>Exosomes slow disc degeneration
<xref ref-type="bibr" rid="B1">1</xref>. Cheng et al. <xref ref-type="bibr" rid="B2">2</xref>
saw less pain <xref ref-type="bibr" rid="B1">1</xref>-<xref ref-type="bibr" rid="B2">2</xref>.
</p></sec></body><back><ref-list>
<ref id="B1"><label>1</label><mixed-citation>Wen T, Wang H. Bone mesenchymal stem cells.
J Orthop Surg Res. 2021;16:55.</mixed-citation></ref>
<ref id="B2"><label>2</label><element-citation><person-group><name><surname>Cheng</surname>
<given-names>X</given-names></name></person-group><article-title>Mesenchymal stem cells
</article-title><source>J Cell Mol Med</source><year>2018</year><volume>22</volume>
<fpage>261</fpage><lpage>276</lpage></element-citation></ref>
</ref-list></back></article>
"""

CONFIG = """fail_on = "warning"
disable = ["uncited-reference"]
[severity]
citation-order = "error"
[suppress]
"2" = ["author-mention-mismatch"]
"""

# Spans that break parsers: structure, encodings, bombs, numbers, control characters.
TOKENS: tuple[bytes, ...] = (
    b"[", b"]", b"{", b"}", b"(", b")", b"\\", b'"', b"'", b":", b",", b"-", b"\n", b"\r",
    b"\t", b"*a", b"&a ", b"<<: *a", b"!!python/object/apply:os.system ['true']", b"!!binary",
    b"<", b">", b"</ref>", b"<xref ref-type=\"bibr\" rid=\"B9\">", b"<!DOCTYPE x [<!ENTITY e "
    b"\"eeeeeeeeee\">]>", b"&e;", b"&amp;", b"@", b"%", b"#", b"\\cite{", b"\\input{/dev/zero}",
    b"\\input{refs}", b"[@", b"@{", b"\x00", b"\xff\xfe", b"\xe9", b"\xef\xbb\xbf", b"NaN",
    b"Infinity", b"-1e999", b"9" * 60, b"1" * 5000, b"[" * 300, b"{" * 300, b"- " * 200,
    b"[999999999999]", b"[0]", b"[9-3]", b"[1\xe2\x80\x931000000]", b"\xe2\x80\xae",
    b"\xf0\x9f\x98\x80", b"\xe5\x8f\x82\xe8\x80\x83\xe6\x96\x87\xe7\x8c\xae", b"References\n",
    b"1. ", b"---\n", b"...", b"~", b"^", b"\x1b[31m", "\u2028".encode(), b"\x0c",
)
