"""A local metadata index: built once from a bulk dump, asked before any online source.

build.py reads Crossref's public data file or an OpenAlex works snapshot into SQLite (FTS5
for title words); lookup.py answers DOI, PMID and title-word questions behind the Source
protocol. Why SQLite: docs/index.md.
"""
