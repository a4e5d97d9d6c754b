"""Read a PDF's text layer as a manuscript: reading order, running heads dropped, superscripts.

The text layer is read with pdfminer.six (MIT; no AGPL code). Each page's lines are put in
reading order by finding its column gutters (any number of columns: a four-column reference
list too), lines repeated at the top or bottom of several pages (running heads, footers,
page numbers) are dropped, raised small digits after a word become `^[n]` citations (never
digits after a digit, which are exponents, nor anything in the title/author block), words
hyphenated at a line end are joined, and each reference-list entry becomes one line. The
result goes through the plain-text reader, so PDFs get the same callout scanning, list
parsing and author-year linking as text. Locations name the page: `paper.pdf:3` is page 3.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from citecheck.model import Location, Manuscript
from citecheck.readers.docx_typed import UNIT_BEFORE
from citecheck.readers.errors import ReaderError

# Generous: a long article is a few MB; a 200 MB "PDF" is not a manuscript.
MAX_PDF_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
# A raised character smaller than this share of its line's font size is a superscript.
_SUPERSCRIPT_SIZE = 0.85
_REF_HEADING = re.compile(
    r"^\s*(?:\d+\.?\s+)?(?:references?(?:\s+and\s+notes)?|bibliography|literature\s+cited|"
    r"works\s+cited|参考文献)\s*:?\s*$",
    re.IGNORECASE,
)
# Publisher boilerplate printed after the list: dropped (it cites nothing, names authors).
_BOILERPLATE = (
    r"(?:received\b|accepted\b|published\s+online|copyright\b|©\s*(?:\d{4}|the\s+authors?)|citation:|"
    r"this\s+article\s+(?:was|is)\b|edited\s+by|reviewed\s+by|correspondence\b|"
    r"specialty\s+section)"
)
# Back matter that may follow the list (Nature/Sci Rep print these after the references).
_AFTER_LIST = re.compile(
    r"^\s*(?:acknowledg(?:e)?ments?|author\s+contributions?|additional\s+information|"
    r"competing\s+interests?|publisher'?s\s+note|figure\s+legends?|supplementary\b|"
    r"appendix\b|funding|data\s+availability|declarations?|ethics\b|"
    r"conflicts?\s+of\s+interest|abbreviations|star\s*\+?\s*methods|methods\s+details|"
    r"resource\s+availability|key\s+resources\s+table)\b|" + _BOILERPLATE,
    re.IGNORECASE,
)
_FRONT_END = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:abstract|introduction|background|summary)\b", re.IGNORECASE
)
_LABEL = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})\.?(?=\s|[A-Z]))")
# Typographic ligatures become their letters, so "Conﬂict" reads as a word.
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
# A unit spelled out takes a square or cube: "weight/(height in meters)²", "per second²".
_UNIT_WORD = re.compile(
    r"(?<![^\W\d_])(?:(?:centi|milli|micro|nano|kilo)?met(?:er|re)s?|inch(?:es)?|f(?:ee|oo)t|"
    r"yards?|miles?|seconds?)\)?$",
    re.IGNORECASE,
)
_CITATION_RUN = re.compile(r"^[\d,–\-−;\s]*\d[\d,–\-−;\s]*$")


@dataclass
class Line:
    """One text line on a page: its box, dominant font size and text (superscripts marked)."""

    page: int
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    text: str
    raised: list[tuple[int, int]]  # spans of `text` that are superscript citation runs


def read_pdf_file(path: str | Path, refs_path: str | None = None) -> Manuscript:
    """A PDF manuscript through the text reader; ReaderError for a PDF without text."""
    from citecheck.readers.text import read_text, read_text_with_refs

    path = str(path)
    lines = extract_lines(path)
    text, pages, prose = compose(lines)
    if refs_path:  # --refs: the .bib replaces the printed list, as for text
        manuscript = read_text_with_refs(text, path, str(refs_path))
    else:
        manuscript = read_text(text, path)
    return _on_pages(manuscript, pages, prose)


def extract_lines(path: str) -> list[Line]:
    """Every text line of the document, in reading order, without running heads."""
    data = _read_bytes(path)
    pages = _layout(data, path)
    if not any(page_lines for _, _, page_lines in pages):
        raise ReaderError(
            path, None, "no text layer (a scanned PDF?): run OCR first, e.g. ocrmypdf"
        )
    repeated = _running_heads(pages)
    folios = _page_numbers(pages)
    ordered: list[Line] = []
    for _, height, page_lines in pages:
        kept = [
            ln
            for ln in page_lines
            if not _is_running_head(ln, height, repeated) and id(ln) not in folios
        ]
        ordered.extend(reading_order(kept))
    return ordered


def _read_bytes(path: str) -> bytes:
    file = Path(path)
    try:
        if not file.is_file():
            raise ReaderError(path, None, "not a regular file")
        if file.stat().st_size > MAX_PDF_BYTES:
            raise ReaderError(path, None, f"larger than {MAX_PDF_BYTES // 2**20} MB")
        data = file.read_bytes()
    except OSError as error:
        raise ReaderError(path, None, f"cannot read: {error.strerror}") from None
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ReaderError(path, 1, "not a PDF (no %PDF header)")
    return data


def _layout(data: bytes, path: str) -> list[tuple[float, float, list[Line]]]:
    """(width, height, lines) per page, from pdfminer's layout analysis."""
    from pdfminer.layout import LTTextContainer, LTTextLine
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    pages = []
    try:
        for number, page in enumerate(_pages(data), start=1):
            if number > MAX_PAGES:
                raise ReaderError(path, None, f"more than {MAX_PAGES} pages")
            lines: list[Line] = []
            for element in page:
                if not isinstance(element, LTTextContainer):
                    continue
                for item in element:
                    if isinstance(item, LTTextLine):
                        line = _line(item, number)
                        if line is not None:
                            lines.append(line)
            pages.append((page.width, page.height, lines))
    except ReaderError:
        raise
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as error:
        raise ReaderError(path, None, f"cannot read this PDF: {type(error).__name__}") from None
    except Exception as error:  # pdfminer raises many private error types on broken files
        if type(error).__module__.startswith("pdfminer"):
            raise ReaderError(path, None, f"cannot read this PDF: {type(error).__name__}") from None
        raise
    return pages


def _pages(data: bytes):
    """pdfminer's layout of each page; a page set sideways (a landscape table) turned upright.

    A wide table is often printed rotated by 90 degrees on a portrait page: its characters
    are not upright, so no line of it would be read. When most characters of a page run up
    (or down) the page, the page is laid out again turned by a quarter so they read across.
    """
    import io

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams(char_margin=1.0))
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
        layout = device.get_result()
        turn = _sideways(layout)
        if turn:
            page.rotate = (page.rotate + turn) % 360
            interpreter.process_page(page)
            layout = device.get_result()
        yield layout


def _sideways(layout) -> int:
    """90 or 270 when most of the page's characters run up or down it, else 0."""
    from pdfminer.layout import LTChar, LTTextContainer

    counts: Counter[int] = Counter()
    for element in layout:
        if not isinstance(element, LTTextContainer):
            continue
        for line in element:
            for char in line if hasattr(line, "__iter__") else ():
                if not isinstance(char, LTChar):
                    continue
                a, b, c, d = char.matrix[:4]
                if char.upright:
                    counts[0] += 1
                elif abs(a) < 1e-3 and abs(d) < 1e-3 and b * c < 0:
                    counts[90 if b > 0 else 270] += 1
                else:
                    counts[-1] += 1
    total = sum(counts.values())
    turn = max((90, 270), key=lambda k: counts[k])
    return turn if counts[turn] > total / 2 else 0


def _line(item, page: int) -> Line | None:
    """One pdfminer line as a Line, superscript digit runs marked; None for empty/rotated."""
    from pdfminer.layout import LTChar

    chars = [c for c in item if isinstance(c, LTChar) and c.upright]
    if not chars or not "".join(c.get_text() for c in chars).strip():
        return None
    size = statistics.median(round(c.size * 2) / 2 for c in chars)
    normal = [c.y0 for c in chars if c.size >= size * _SUPERSCRIPT_SIZE]
    baseline = statistics.median(normal) if normal else chars[0].y0
    text, raised, run_start = [], [], None
    for obj in item:
        piece = obj.get_text().translate(_LIGATURES)
        small_raised = (
            isinstance(obj, LTChar)
            and obj.size < size * _SUPERSCRIPT_SIZE
            and obj.y0 > baseline + 0.15 * size
        )
        if small_raised and run_start is None:
            run_start = sum(len(p) for p in text)
        elif not small_raised and run_start is not None and piece.strip():
            raised.append((run_start, sum(len(p) for p in text)))
            run_start = None
        text.append(piece)
    joined = "".join(text).rstrip("\n")
    if run_start is not None:
        raised.append((run_start, len(joined.rstrip())))
    return Line(page, item.x0, item.x1, item.y0, item.y1, size, joined, raised)


_SPACING_ACCENTS = {
    "¨": "\u0308",
    "´": "\u0301",
    "`": "\u0300",
    "ˆ": "\u0302",
    "˜": "\u0303",
    "¸": "\u0327",
    "ˇ": "\u030c",
    "˚": "\u030a",
}
_ACCENT_AFTER = re.compile(r"([^\W\d_])([¨´`ˆ˜¸ˇ˚]) (?=\S)")
_ACCENT_BEFORE = re.compile(r"([¨´`ˆ˜¸ˇ˚])([^\W\d_])")


def mend_accents(text: str) -> str:
    """Accents some text layers draw as separate marks: "Po¨ schl" and "G¨obel" -> Pöschl, Göbel.

    A mark followed by a space belongs to the letter before it; otherwise to the letter after.
    Typographic ligatures (ﬁ, ﬂ) become their letters, so "Conﬂict" reads as a word.
    """
    import unicodedata

    text = text.translate(_LIGATURES)
    if not any(mark in text for mark in _SPACING_ACCENTS):
        return text
    text = _ACCENT_AFTER.sub(lambda m: m.group(1) + _SPACING_ACCENTS[m.group(2)], text)
    text = _ACCENT_BEFORE.sub(lambda m: m.group(2) + _SPACING_ACCENTS[m.group(1)], text)
    return unicodedata.normalize("NFC", text)


def _signature(line: Line) -> str:
    """The line with numbers and punctuation blurred: page 2's head equals page 7's."""
    return " ".join(re.sub(r"\d+", "#", re.sub(r"[^\w#]+", " ", line.text.lower())).split())


def _running_heads(pages) -> set[str]:
    """Texts that sit in the top or bottom band of at least two pages."""
    counts: Counter[str] = Counter()
    for _, height, lines in pages:
        seen = {_signature(ln) for ln in lines if _in_margin_band(ln, height)}
        counts.update(seen)
    # Bare numbers are page numbers or list labels: only the edge rule may drop them.
    return {text for text, n in counts.items() if n >= 2 and re.search(r"[^\W\d_]", text)}


def _page_numbers(pages) -> set[int]:
    """Ids of the lines that are page numbers: bare numbers in the top or bottom band that
    count up with the pages (933 on the first page, 934 on the next...), wherever in the band
    they sit (a journal's folio may be well inside the band, beside the running head).
    """
    candidates: list[tuple[int, Line]] = []  # (number - page index, line)
    for index, (_, height, lines) in enumerate(pages):
        for ln in lines:
            if _in_margin_band(ln, height) and re.fullmatch(r"\s*\d{1,5}\s*", ln.text):
                candidates.append((int(ln.text) - index, ln))
    offsets = Counter(offset for offset, _ in candidates)
    # The same offset on three pages (or on every page of a short document) is a folio count.
    counting = {o for o, n in offsets.items() if n >= min(3, len(pages)) and n >= 2}
    return {id(ln) for offset, ln in candidates if offset in counting}


def _in_margin_band(line: Line, height: float) -> bool:
    return line.y0 > height * 0.88 or line.y1 < height * 0.1


def _is_running_head(line: Line, height: float, repeated: set[str]) -> bool:
    if not _in_margin_band(line, height):
        return False
    sig = _signature(line)
    if sig in repeated:
        return True
    # A lone page number sits at the very edge; a list label "[2]" may sit near it.
    edge = line.y0 > height * 0.94 or line.y1 < height * 0.06
    return edge and re.fullmatch(r"(?:#|of|page|\s)*", sig) is not None


def reading_order(lines: list[Line]) -> list[Line]:
    """Lines of one page in reading order: bands split by full-width lines, columns left to right.

    Column gutters are x ranges that no narrow line covers; a line crossing a gutter spans
    the columns and starts a new band (titles, wide tables, single-column pages).
    """
    if not lines:
        return []
    gutters = _gutters(lines)

    def column(line: Line) -> int | None:
        """Column index by where the line starts; None when it spans a whole gutter."""
        if any(line.x0 < left + 1 and line.x1 > right - 1 for left, right in gutters):
            return None
        # A line starting inside a gutter (a hanging list label) belongs to its right.
        return sum(1 for left, _ in gutters if line.x0 > left + 1)

    ordered: list[Line] = []
    band: dict[int, list[Line]] = {}
    for line in sorted(lines, key=lambda ln: (-ln.y1, ln.x0)):
        col = column(line)
        if col is None:
            ordered.extend(_flush(band))
            band = {}
            ordered.append(line)
        else:
            band.setdefault(col, []).append(line)
    ordered.extend(_flush(band))
    return ordered


def _flush(band: dict[int, list[Line]]) -> list[Line]:
    out: list[Line] = []
    for col in sorted(band):
        out.extend(_rows(band[col]))
    return out


def _rows(lines: list[Line]) -> list[Line]:
    """Top to bottom; pieces of one printed line (justified text is cut at wide spaces) joined."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: -ln.y0):
        if rows and abs(rows[-1][0].y0 - line.y0) < 0.4 * max(line.size, 1.0):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [_join(sorted(row, key=lambda ln: ln.x0)) for row in rows]


def _join(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0]
    text, raised = "", []
    for piece in row:
        if text:
            text += " "
        raised += [(start + len(text), end + len(text)) for start, end in piece.raised]
        text += piece.text
    first = row[0]
    return Line(
        first.page,
        first.x0,
        max(p.x1 for p in row),
        min(p.y0 for p in row),
        max(p.y1 for p in row),
        max(p.size for p in row),
        text,
        raised,
    )


def _gutters(lines: list[Line]) -> list[tuple[float, float]]:
    """The white strips between columns, found from where lines start.

    A column is an x position where many lines start (list labels and paragraph indents
    just right of it belong to it). Between two columns, the gutter runs from where most
    lines of the left column end to where the right column starts. Justified text cut into
    pieces, tables and centred titles do not move these edges.
    """
    texts = [ln for ln in lines if len(ln.text.strip()) >= 3]
    if len(texts) < 8:
        return []
    left = min(ln.x0 for ln in texts)
    width = max(ln.x1 for ln in texts) - left
    if width <= 0:
        return []
    clusters: list[list[float]] = []  # line starts within 3 pt of each other
    for x in sorted(ln.x0 for ln in texts):
        if clusters and x - clusters[-1][-1] <= 3:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    threshold = max(4, len(texts) // 20)
    peaks = [c[0] for c in clusters if len(c) >= threshold]
    starts: list[float] = []
    for x in peaks:
        if not starts or x - starts[-1] >= 0.2 * width:
            starts.append(x)
    gutters = []
    for a, b in itertools.pairwise(starts):
        ends = sorted(ln.x1 for ln in texts if abs(ln.x0 - a) < 0.2 * width and ln.x1 < b)
        if len(ends) < 3:
            continue
        edge = ends[int(0.95 * (len(ends) - 1))]
        crossing = sum(1 for ln in texts if ln.x0 < edge - 1 and ln.x1 > b + 1)
        right = sum(1 for ln in texts if abs(ln.x0 - b) < 0.2 * width and ln.x1 > b)
        # Wide lines (an abstract, a table) may cross; real columns outnumber them.
        if b - edge >= 4 and crossing <= max(len(ends), right):
            gutters.append((edge, b - 1))
    return gutters


def compose(lines: list[Line]) -> tuple[str, list[int], list[bool]]:
    """Plain text for the text reader, the page of each of its lines, and whether it is prose.

    Only callouts in prose lines count as running text: tables, captions, boxes and side
    columns float anywhere in a PDF, so their citations say nothing about citation order.

    Paragraphs are separated by blank lines (a vertical gap or a column/page change after a
    sentence end); hyphenated line ends are joined; after the reference heading each entry is
    one line.
    """
    heading = _reference_heading(lines)
    body, listed = lines, []
    if heading is not None:
        listed, elsewhere = split_list(lines[heading + 1 :])
        body = lines[:heading] + elsewhere
    out: list[str] = []
    pages: list[int] = []
    prose: list[bool] = []
    in_front = True
    previous: Line | None = None
    for line in body:
        if in_front and (_FRONT_END.match(line.text) or _is_prose(line.text)):
            in_front = False
        text = _mark_citations(line, in_front)
        if previous is not None:
            gap = previous.y0 - line.y1
            new_block = line.page != previous.page or gap < -1 or gap > 0.9 * line.size
            if new_block and re.search(r"[.!?:][\"”’)\]]*\s*$", out[-1]):
                out.append("")
                pages.append(line.page)
                prose.append(False)
            elif _hyphenated(out[-1], text):
                out[-1] = out[-1].rstrip()[:-1] + text.lstrip()
                previous = line
                continue
        out.append(text)
        pages.append(line.page)
        prose.append(_is_prose(line.text))
        previous = line
    if heading is not None:
        out += ["", "References"]
        pages += [lines[heading].page] * 2
        for entry, page in _entries(listed):
            out += [entry, ""]
            pages += [page, page]
        prose += [False] * (len(out) - len(prose))
    return mend_accents("\n".join(out)), pages, prose


def _is_prose(text: str) -> bool:
    """A line of running prose (not a title, author or affiliation line)."""
    return len(re.findall(r"(?<![\w-])[a-z]{2,}\b", text)) >= 8


def _hyphenated(before: str, after: str) -> bool:
    return bool(re.search(r"[a-z]-\s*$", before) and re.match(r"\s*[a-z]", after))


def _mark_citations(line: Line, in_front: bool) -> str:
    """The line's text with superscript citation runs written `^[1-3]`."""
    if not line.raised:
        return line.text
    parts, last = [], 0
    for start, end in line.raised:
        run = line.text[start:end]
        end = start + len(run.rstrip())
        run = run.rstrip()
        before = line.text[:start].rstrip()
        after = line.text[end:]
        # Affiliation markers sit right against the next word ("2Department"); exponents
        # follow a number ("10^6"). Citations follow a word (also "AgamOBP1", "Cheng 等")
        # or a stop. Statistics and units take exponents (R², I², cm², µm³): the same
        # test as for Word's superscripts.
        is_citation = (
            not in_front
            and _CITATION_RUN.match(run.strip())
            and before
            and not (  # 10^6, 3.2×10^5; a version number ("scipy 1.5.2^17") is no base
                re.search(r"(?:^|\s)[\d.,×x^-]*\d$", before)
                and not re.search(r"(?:^|\s)v?\d+(?:\.\d+){2,}$", before)
            )
            and not after[:1].isalpha()
            and not UNIT_BEFORE.search(before)
            and not (run.strip() in ("2", "3") and _UNIT_WORD.search(before))
        )
        parts.append(line.text[last:start])
        parts.append(f"^[{run.strip().rstrip(',;')}]" if is_citation else run)
        last = end
    parts.append(line.text[last:])
    return "".join(parts)


def _reference_heading(lines: list[Line]) -> int | None:
    found = None
    for i, line in enumerate(lines):
        if _REF_HEADING.match(line.text):
            found = i
    return found


def _entries(lines: list[Line]) -> list[tuple[str, int]]:
    """The reference list as one string per entry, and its page.

    Numbered lists start an entry at each label; unnumbered ones at the left edge of a
    hanging indent (or, without one, after a vertical gap).
    """
    if not lines:
        return []
    numbers = [_label_number(ln.text) for ln in lines]
    sequential = _sequential_labels(numbers)
    entries: list[list[Line]] = []
    for i, line in enumerate(lines):
        if len(sequential) >= 3:
            start = i in sequential
        else:
            start = not entries or _starts_unnumbered(lines, i)
        if start or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
    out = []
    for group in entries:
        text = ""
        for line in group:
            piece = line.text.strip()
            if text.endswith("-") and re.search(r"[a-z]-$", text) and piece[:1].islower():
                text = text[:-1] + piece
            elif text.endswith(("/", "-", "–")) and not piece[:1].isupper():
                text += piece  # page ranges, URLs and DOIs broken at a dash or slash
            else:
                text = f"{text} {piece}" if text else piece
        out.append((mend_accents(_mend_urls(text)), group[0].page))
    return out


def _mend_urls(text: str) -> str:
    """Undo spaces some text layers put inside URLs ("https ://doi. org/10.1038/natur e1453 9").

    Only where the telltale "https ://" shows; the URL then runs to " (" or the end.
    """
    if not re.search(r"https?\s+:\s*//", text):
        return text

    def squeeze(m: re.Match[str]) -> str:
        return re.sub(r"\s+", "", m.group(0))

    return re.sub(r"https?\s*:\s*//.*?(?=\s+\(|\s*$)", squeeze, text)


def _label_number(text: str) -> int | None:
    m = _LABEL.match(text)
    return int(m.group(1) or m.group(2)) if m else None


def _sequential_labels(numbers: list[int | None]) -> set[int]:
    """Indexes of lines whose label continues the count 1, 2, 3... (a year "2008." does not).

    A label or two lost in extraction may be skipped.
    """
    found, expected = set(), 1
    for i, n in enumerate(numbers):
        if n is not None and expected <= n <= expected + 2:
            found.add(i)
            expected = n + 1
    return found


def split_list(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The lines after the reference heading: (the list's lines, everything else).

    Everything else is prose in a neighbouring column or a caption, recognised by its font
    size, and goes back to the body, as do back matter and methods printed after the list
    (recognised by their headings). Publisher boilerplate ("Citation: ...", copyright) is
    dropped; a numbered list resumes after it at
    its next label (F1000 prints the rest of the list after the back matter).
    """
    if not lines:
        return [], []
    numbers = [_label_number(ln.text) for ln in lines]
    labelled = _sequential_labels(numbers)
    sample = [lines[i].size for i in sorted(labelled)[:20]] or [ln.size for ln in lines[:10]]
    size = statistics.median(sample)
    listed, elsewhere = [], []
    skipping, body, expected = False, False, 1
    for i, line in enumerate(lines):
        if i in labelled:
            expected = numbers[i] + 1
        heading = _AFTER_LIST.match(line.text)
        # A licence line ("© 2014 by the authors; licensee ...") may run the full width.
        if heading and (
            len(line.text.strip()) < 60
            or ":" in line.text[heading.end() :][:40]
            or line.text.lstrip().startswith("©")
        ):
            # Back matter and methods may cite (a dataset in Data availability); boilerplate
            # ("Citation: Range F and Virányi Z (2015) ...") names authors but cites nothing.
            skipping, body = True, not re.match(r"\s*" + _BOILERPLATE, line.text, re.IGNORECASE)
        elif skipping and labelled and i in labelled and numbers[i] >= expected - 1:
            skipping = False
        if skipping:
            if body:
                elsewhere.append(line)
            continue  # back matter: acknowledgements, "Citation: ...", copyright
        if abs(line.size - size) > 0.15 * size:
            elsewhere.append(line)
        else:
            listed.append(line)
    return listed, elsewhere


def _starts_unnumbered(lines: list[Line], i: int) -> bool:
    """An entry starts at the column's left edge when the rest of its lines hang indented."""
    line, previous = lines[i], lines[i - 1]
    same_column = abs(line.x0 - previous.x0) < 40 and line.page == previous.page
    if not same_column:
        return re.match(r"\s*[A-Z\u4e00-\u9fff]", line.text) is not None and _ends_entry(previous)
    if line.x0 < previous.x0 - 3:
        return True  # back out of a hanging indent
    if line.x0 > previous.x0 + 3:
        return False
    gap = previous.y0 - line.y1
    if gap > 0.5 * line.size:
        return True
    # Same indent as the previous line: a new entry only if no line around hangs indented
    # and the previous one ended like an entry.
    return _ends_entry(previous) and not _has_hanging_indent(lines, i)


def _ends_entry(line: Line) -> bool:
    return re.search(r"[.)\]]\s*$|\d\s*$|doi\S+\s*$", line.text.strip(), re.IGNORECASE) is not None


def _has_hanging_indent(lines: list[Line], i: int) -> bool:
    window = lines[max(0, i - 8) : i + 8]
    left = min(ln.x0 for ln in window)
    return any(ln.x0 > left + 3 and abs(ln.x0 - left) < 40 for ln in window)


def _on_pages(manuscript: Manuscript, pages: list[int], prose: list[bool]) -> Manuscript:
    """Locations as pages (line L of the composed text -> its page); running text is prose."""

    def index(location: Location) -> int:
        return min(max((location.line or 1) - 1, 0), len(pages) - 1)

    def where(location: Location | None) -> Location | None:
        if location is None or location.line is None or not pages:
            return location
        return Location(location.path, pages[index(location)], None)

    def running(callout) -> bool:
        return callout.in_running_text and bool(pages) and prose[index(callout.location)]

    return replace(
        manuscript,
        reading_order_known=False,
        references=tuple(replace(r, location=where(r.location)) for r in manuscript.references),
        callouts=tuple(
            replace(c, location=where(c.location), in_running_text=running(c))
            for c in manuscript.callouts
        ),
        unparsed=tuple(replace(u, location=where(u.location)) for u in manuscript.unparsed),
        reference_list_location=where(manuscript.reference_list_location),
    )
