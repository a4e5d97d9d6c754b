"""The claims stage: what each citing sentence claims, and what the cited work says about it.

claimsfile.py (claims/claims.yaml: build, load, save, merge), entities.py (genes, miRNAs,
pathways... in a sentence or title), nomenclature.py (bundled HGNC and miRBase names),
evidence.py (a cited work's titles and abstracts), support/ (the claim-support verdicts).
"""
