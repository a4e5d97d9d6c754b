#!/bin/sh
# Render the cross-format manuscripts (tests/fixtures/xformat/*.md + .bib) with Pandoc, so the
# tests compare citecheck's findings across formats without needing pandoc at run time.
# Needs pandoc (Debian: apt-get install pandoc; made with 2.17.1.1). Run from anywhere:
#   sh scripts/render_xformat.sh
# Outputs go to tests/fixtures/xformat/rendered/: <name>.docx and <name>.jats.xml (citations as
# printed text, Pandoc's default), <name>.linked.docx and <name>.jats_publishing.xml (citations
# linked to their entries), <name>.tex (natbib \citep{key}, citing the .bib one level up),
# <name>.txt (plain text) and <name>.md (Markdown with the printed bibliography, no front
# matter), each with the citations and reference list citeproc prints.
set -eu
# Word files carry their creation time: a fixed one keeps the committed files stable.
export SOURCE_DATE_EPOCH=1700000000
here=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$here/tests/fixtures/xformat"
# Paths relative to the fixtures: the Word files record the style's path, so no machine's
# absolute path ends up in them.
csl="../../../src/citecheck/data/csl"
out="rendered"
cd "$fixtures"
mkdir -p "$out"
trap 'rm -f .nlm.csl' EXIT
# pandoc 2.17's citeproc ignores the name options the generated NLM style sets on <style> when
# <names> has no <name> child (it prints "John O. Holloszy" and all 13 authors); an explicit
# <name/> restores "Holloszy JO" and the et al. cut-off, as current pandoc prints them.
sed 's|<names variable="author">|<names variable="author"><name/>|' \
  "$csl/nlm-citation-sequence.csl" >.nlm.csl

render() {  # render NAME CSL
  name=$1
  style=$2
  common="--citeproc --csl $style --wrap=none"
  pandoc "$name.md" $common -s -t docx -o "$out/$name.docx"
  pandoc "$name.md" $common -s -t jats -o "$out/$name.jats.xml"
  # Linked citations (link-citations: true), as journals' JATS has them: <xref ref-type="bibr">.
  pandoc "$name.md" $common -M link-citations=true -s -t jats_publishing \
    -o "$out/$name.jats_publishing.xml"
  pandoc "$name.md" $common -M link-citations=true -s -t docx -o "$out/$name.linked.docx"
  pandoc "$name.md" $common -t plain -o "$out/$name.txt"
  pandoc "$name.md" $common -t markdown-citations -o "$out/$name.md"
  # LaTeX keeps the keys: natbib \citep{key} with \bibliography of the source .bib.
  pandoc "$name.md" --natbib -s -t latex -M "bibliography=../$name.bib" --wrap=none \
    -o "$out/$name.tex"
}

render muscle .nlm.csl
render sleep "$csl/apa.csl"
render exosome "$csl/china-national-standard-gb-t-7714-2015-numeric.csl"
