"""The bibliography stage: write a clean bibliography from the parsed and matched references.

bib.py (BibTeX in and out), bibedit.py (edit BibTeX text in place), fix.py (`bib --fix`:
corrected fields from matched records), styles.py (CSL styles), fetch.py (`bib fetch`: an
entry built from a record).
"""
