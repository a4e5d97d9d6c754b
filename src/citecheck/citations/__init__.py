"""The citations stage: find the in-text citations and link each to its reference-list entries.

callouts.py (numeric callouts and their sentences), authoryear.py (author-year cites),
mentions.py (the authors named right before a citation).
"""
