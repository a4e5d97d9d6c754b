"""Message catalogues for `--lang`, one module per language (citecheck.messages uses them)."""
