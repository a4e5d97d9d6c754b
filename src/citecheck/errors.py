"""The errors that mean "bad input" (exit 2 with one line), gathered for the CLI."""

from __future__ import annotations

from citecheck.fix import FixError
from citecheck.files import InputError
from citecheck.readers.errors import ReaderError

# LockError is an InputError. FixError: --fix asked to overwrite its input, or similar.
USER_ERRORS: tuple[type[Exception], ...] = (InputError, ReaderError, FixError)
