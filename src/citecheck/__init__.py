"""citecheck: check the citation integrity of a scientific manuscript."""

__version__ = "0.1.0"
