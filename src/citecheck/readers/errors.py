"""The one error a manuscript reader raises: bad input, named by file and line."""

from __future__ import annotations


class ReaderError(Exception):
    """Input that cannot be read as a manuscript; the CLI prints it on one line and exits 2."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
