"""The errors that mean "bad input" (exit 2 with one line), gathered for the CLI."""

from __future__ import annotations

from citecheck.files import InputError
from citecheck.readers.errors import ReaderError

# LockError and FixError (--fix asked to overwrite its input) are InputErrors.
USER_ERRORS: tuple[type[Exception], ...] = (InputError, ReaderError)
