"""The resolve stage: match each reference to the scholarly record, and remember the match.

match.py (one reference -> one validated record), resolver.py (many references at once),
sources/ (Crossref, PubMed, Europe PMC, OpenAlex, DataCite behind one Source protocol),
index/ (a local index from bulk data), lock.py (the lock file for offline runs),
retractions.py (Retraction Watch, offline).
"""
