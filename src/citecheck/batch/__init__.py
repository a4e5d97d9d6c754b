"""Corpus scale: `citecheck batch` (inputs, Dask engine, unique-reference resolver, corpus tables).

Dask and pyarrow come with the `batch` extra and are imported only by these modules.
"""
