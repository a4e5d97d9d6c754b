"""The references stage: read each entry of the reference list into fields, then judge the list.

refparse.py (one string -> a Reference; refparse_gbt.py and refparse_pinyin.py hold its
GB/T 7714 and pinyin-name conventions), reflist.py (an input that is only a reference list),
worktype.py (what kind of work an entry is), completeness.py (what it lacks for that kind),
duplicates.py (entries that are the same work).
"""
