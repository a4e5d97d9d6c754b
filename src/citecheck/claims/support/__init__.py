"""Claim support: does the cited work say what the citing sentence says it does?

retrieve.py picks the evidence sentences (BM25), detectors.py finds explainable conflicts
(direction, reversed relation, study type, species, process), verifier.py is the learned
support/refute/not-enough-information model (numpy only), features.py is what both the
verifier and its training script see, store.py keeps evidence next to the lock, and
verdicts.py combines them into one verdict per (claim, cited work).
"""
