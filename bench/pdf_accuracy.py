"""PDF reading against the publisher's XML of the same article (../shared/data/pdf-dev).

For each <name>.pdf with <name>.xml beside it:
  recovered  share of the XML's reference entries found as separate PDF entries (matched one
             to one by title, else by first author + year + first page);
  links      callout links (ranges expanded; T&F single-xref ranges from their printed text)
             compared as multisets of XML ref ids, after mapping each PDF entry to its XML ref;
  fields     field micro-F1 (first author, year, title, journal, volume, first page) of the
             PDF entries and, for comparison, of the same entries read from the XML by citecheck's
             JATS reader, both against the XML's structured fields.

Usage: .venv/bin/python bench/pdf_accuracy.py [--dir DIR] [--only NAME] [--show]
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

from citecheck.readers.jats import read_jats
from citecheck.readers.pdf import read_pdf_file

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "pdf-dev"
FIELDS = ("first_author", "year", "title", "container", "volume", "first_page")


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def _load_xml(path: Path):
    raw = path.read_text(encoding="utf-8", errors="replace")
    raw = re.sub(r"<!DOCTYPE[^>]*>", "", raw)
    raw = re.sub(r"&(?!amp;|lt;|gt;|quot;|apos;|#)(\w+);", lambda m: html.unescape(m.group(0)), raw)
    return ET.fromstring(raw.encode("utf-8"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def gold_entries(root) -> list[dict]:
    entries = []
    for ref in root.iter():
        if _local(ref.tag) != "ref":
            continue
        cit = next(
            (
                c
                for c in ref.iter()
                if _local(c.tag)
                in ("element-citation", "mixed-citation", "citation", "nlm-citation")
            ),
            ref,
        )

        def first(tag, cit=cit):
            return next((c for c in cit.iter() if _local(c.tag) == tag), None)

        surname = first("surname")
        collab = first("collab")
        group = first("person-group") or cit
        entries.append(
            {
                "id": ref.get("id"),
                "printed": _text(cit),
                "first_author": (_text(surname) or _text(collab)).lower(),
                "year": re.sub(r"\D", "", _text(first("year")))[:4],
                "year_printed": _text(first("year")),
                "title": _text(first("article-title")) or _text(first("chapter-title")),
                "container": _text(first("source")),
                "volume": _text(first("volume")),
                "first_page": _text(first("fpage")) or _text(first("elocation-id")),
                "n_authors": sum(1 for c in group.iter() if _local(c.tag) in ("name", "collab")),
            }
        )
    return entries


def _text_before(root) -> dict[int, str]:
    """id(xref) -> the text printed just before it in its paragraph (names of an author-year cite)."""
    before: dict[int, str] = {}
    for parent in root.iter():
        text = parent.text or ""
        for child in parent:
            if _local(child.tag) == "xref":
                before[id(child)] = " ".join(text.split())[-80:]
            text += "".join(child.itertext()) + (child.tail or "")
    return before


def _names_the_entry(entry: dict, printed: str, before: str) -> int:
    """How well the xref's year and the names printed before it fit the entry: 2 when the
    author count fits too ("et al." three or more authors, "A and B" two, one name one), 1
    when the entry's author count is unknown (an unstructured entry), 0 when they do not fit."""
    year = re.search(r"(?:19|20)\d\d([a-z]?)", printed)
    names = re.split(r"[;(]", before)[-1].lower()  # this cite's names, not the previous one's
    # An unstructured entry (a thesis as mixed-citation) has no surname: its first word.
    lead = entry["first_author"] or re.sub(r"\W", "", (entry["printed"].split() or [""])[0]).lower()
    printed_year = re.search(r"(?:19|20)\d\d[a-z]?", entry["year_printed"] or entry["printed"])
    entry_year = printed_year.group(0) if printed_year else ""
    if not (year and lead and entry_year[:4] == year.group(0)[:4]):
        return 0
    if year.group(1) and entry_year[4:] and entry_year[4:] != year.group(1):
        return 0  # 2006b is not 2006a
    if lead not in names + " " + printed.lower():
        return 0
    if not entry["n_authors"]:
        return 1
    form = 3 if "et al" in names else 2 if re.search(r"\band\b|&", names) else 1
    return 2 if min(entry["n_authors"], 3) == form else 0


def _restore_rid(rid: str, printed: str, before: str, entries: list[dict]) -> str:
    """Some publisher XML points author-year xrefs at the wrong entry (Springer BES: from one
    entry on, every rid names the entry before the one printed). When the printed names and
    year fit not the rid's entry but exactly one other entry, that entry is the gold."""
    by_id = {e["id"]: e for e in entries}
    if rid not in by_id or not re.search(r"(?:19|20)\d\d", printed):
        return rid
    fit = _names_the_entry(by_id[rid], printed, before)
    suffix = re.search(r"(?:19|20)\d\d([a-z])", printed)
    if fit == 2 and not suffix:
        return rid
    for level in (2, 1):
        fits = [e for e in entries if _names_the_entry(e, printed, before) == level]
        if len(fits) > 1 and suffix and ord(suffix.group(1)) - ord("a") < len(fits):
            fits = [fits[ord(suffix.group(1)) - ord("a")]]  # 2006a, 2006b in list order
        if len(fits) == 1:
            return fits[0]["id"]
        if fit == level:
            return rid
    return rid


def gold_links(root, entries: list[dict]) -> Counter:
    order = [e["id"] for e in entries]
    before = _text_before(root)
    position = {rid: i for i, rid in enumerate(order)}
    body = root  # tables may sit in floats-group, outside <body>
    links: Counter = Counter()
    previous = None  # (rid, tail text)
    for node in body.iter():
        if _local(node.tag) != "xref" or node.get("ref-type") != "bibr":
            continue
        rid = node.get("rid", "").split()[0] if node.get("rid") else ""
        printed = _text(node)
        rid = _restore_rid(rid, printed, before.get(id(node), ""), entries)
        links[rid] += 1
        m = re.fullmatch(r"\[?(\d+)\s*[–-]\s*(\d+)\]?", printed)
        if m and rid in position:  # T&F: one xref printing a whole range
            a, b = int(m.group(1)), int(m.group(2))
            for i in range(position[rid] + 1, min(position[rid] + 1 + (b - a), len(order))):
                links[order[i]] += 1
        if previous and re.fullmatch(r"\s*[\])]?\s*[–-]\s*[\[(]?\s*", previous[1] or ""):
            a, b = position.get(previous[0]), position.get(rid)
            if a is not None and b is not None and a < b:
                for i in range(a + 1, b):
                    links[order[i]] += 1
        previous = (rid, node.tail)
    return links


def _first_page(pages: str) -> str:
    return re.split(r"[-–]", pages or "")[0].strip()


def ref_fields(ref) -> dict:
    return {
        "first_author": (ref.authors[0].family if ref.authors else "").lower(),
        "year": str(ref.year or ""),
        "title": ref.title,
        "container": ref.container,
        "volume": ref.volume,
        "first_page": _first_page(ref.pages or ref.article_number),
    }


def _same(field: str, a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"[\W_]+", " ", s.lower()).strip()
    if field in ("title", "container"):
        return fuzz.ratio(norm(a), norm(b)) >= 90
    return norm(a) == norm(b)


def field_counts(pairs) -> Counter:
    c: Counter = Counter()
    for got, gold in pairs:
        for f in FIELDS:
            if gold[f] and got[f] and _same(f, got[f], gold[f]):
                c["tp"] += 1
            else:
                c["fp"] += bool(got[f])
                c["fn"] += bool(gold[f])
    return c


def f1(c: Counter) -> float:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def match_entries(refs, entries) -> dict[str, str]:
    """PDF reference key -> XML ref id, greedy one to one by similarity."""
    scored = []
    for ref in refs:
        got = ref_fields(ref)
        for e in entries:
            s = fuzz.partial_ratio(e["printed"].lower()[:150], ref.raw.lower()[:150])
            if e["title"] and got["title"]:
                s = max(s, fuzz.ratio(got["title"].lower(), e["title"].lower()))
            if got["year"] and e["year"] and got["year"] != e["year"]:
                s -= 20
            scored.append((s, ref.key, e["id"]))
    used_ref, used_gold, mapping = set(), set(), {}
    for s, key, rid in sorted(scored, reverse=True):
        if s < 70 or key in used_ref or rid in used_gold:
            continue
        mapping[key] = rid
        used_ref.add(key)
        used_gold.add(rid)
    return mapping


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--show", action="store_true", help="print missed and extra links")
    args = parser.parse_args(argv)
    pdfs = sorted(args.dir.glob("*.pdf"))
    if not pdfs:
        print(f"skipped: no PDFs in {args.dir} (../shared not present)")
        return 0
    totals = Counter()
    fields_pdf, fields_xml = Counter(), Counter()
    print(
        f"{'article':30} {'refs':>4} {'found':>5} {'recov':>6} {'P':>6} {'R':>6} {'F1pdf':>6} {'F1xml':>6} {'s':>5}"
    )
    for pdf in pdfs:
        if args.only and pdf.stem not in args.only:
            continue
        root = _load_xml(pdf.with_suffix(".xml"))
        entries = gold_entries(root)
        gold = gold_links(root, entries)
        started = time.perf_counter()
        manuscript = read_pdf_file(str(pdf))
        seconds = time.perf_counter() - started
        mapping = match_entries(manuscript.references, entries)
        by_number = {r.number: r.key for r in manuscript.references if r.number is not None}
        predicted: Counter = Counter()
        for callout in manuscript.callouts:
            for n in callout.numbers:
                predicted[mapping.get(by_number.get(n, ""), f"?{n}")] += 1
            for k in () if callout.numbers else callout.keys:  # author-year: both name one work
                predicted[mapping.get(k, f"?{k}")] += 1
        tp = sum((predicted & gold).values())
        p = tp / sum(predicted.values()) if predicted else 0.0
        r = tp / sum(gold.values()) if gold else 0.0
        by_id = {e["id"]: e for e in entries}
        c_pdf = field_counts(
            (ref_fields(ref), by_id[mapping[ref.key]])
            for ref in manuscript.references
            if ref.key in mapping
        )
        c_pdf["fn"] += sum(
            1 for e in entries if e["id"] not in mapping.values() for f in FIELDS if e[f]
        )
        jats = {
            r.key: r for r in read_jats(pdf.with_suffix(".xml").read_bytes(), str(pdf)).references
        }
        c_xml = field_counts((ref_fields(jats[e["id"]]), e) for e in entries if e["id"] in jats)
        fields_pdf.update(c_pdf)
        fields_xml.update(c_xml)
        totals.update(
            refs=len(entries),
            found=len(mapping),
            tp=tp,
            pred=sum(predicted.values()),
            gold=sum(gold.values()),
        )
        print(
            f"{pdf.stem:30} {len(entries):4} {len(manuscript.references):5} {len(mapping) / len(entries):6.3f} "
            f"{p:6.3f} {r:6.3f} {f1(c_pdf):6.3f} {f1(c_xml):6.3f} {seconds:5.2f}"
        )
        if args.show:
            print("    extra:", dict(predicted - gold))
            print("    missed:", dict(gold - predicted))
    if totals["refs"]:
        print(
            f"\noverall: recovered {totals['found'] / totals['refs']:.3f} of {totals['refs']} entries; "
            f"links P={totals['tp'] / max(totals['pred'], 1):.3f} R={totals['tp'] / max(totals['gold'], 1):.3f}; "
            f"field F1 pdf={f1(fields_pdf):.3f} xml-strings={f1(fields_xml):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
