"""Reading user files safely and writing ours atomically, so no user data is ever lost."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class InputError(Exception):
    """A file that cannot be used as input; the CLI prints it on one line and exits 2."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


def read_text_file(path: str | Path) -> str:
    """The file's text, or an InputError saying plainly why it cannot be read."""
    p = Path(path)
    if not p.exists():
        raise InputError(path, None, "no such file")
    if p.is_dir():
        raise InputError(path, None, "is a directory, expected a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(path, None, "file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(path, None, "looks like a binary file, expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def atomic_write(path: str | Path, text: str) -> None:
    """Write text to path via a temporary file in the same folder and an atomic rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        else:  # mkstemp makes 0600 files; a new file gets the usual umask-based mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def backup(path: str | Path) -> Path:
    """Copy path to path.bak (replacing an older backup) before it is overwritten."""
    source = Path(path)
    copy = source.with_name(source.name + ".bak")
    shutil.copy2(source, copy)
    return copy
