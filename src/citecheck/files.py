"""Reading user files safely and writing ours by one policy, so no user data is ever lost.

Reading: only regular files are inputs (a FIFO would block forever, a device never ends), and
none larger than the active limit (limits.py). Writing (every command that writes goes
through `atomic_write`, after `refuse_inputs`):
- never to a path that is one of the run's inputs;
- a regular file is replaced atomically (temporary file in the same folder, fsync, os.replace),
  so an interrupted or killed run leaves the old file or the new one, never half of either;
- a character device (/dev/null, a terminal) is written as a stream; a directory, FIFO,
  socket or block device is refused;
- a backup never overwrites an earlier backup (x.bak, then x.bak.1, x.bak.2, ...).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from citecheck.limits import MB, active


class InputError(Exception):
    """A file that cannot be used as input; the CLI prints it on one line and exits 2."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


class OutputError(InputError):
    """A file citecheck was asked to write but must not or cannot (exit 2, one line)."""


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISCHR, "a character device"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def check_input_file(path: str | Path) -> int:
    """The size of an input file; InputError unless it is a readable regular file within limits.

    os.stat never opens the file, so a FIFO is refused without blocking.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except OSError as error:
        raise InputError(path, None, f"cannot read: {_reason(error)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, None, "is a directory, expected a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, None, f"is {_kind(info.st_mode)}; citecheck reads regular files")
    limit = active().max_input_bytes
    if info.st_size > limit:
        raise InputError(
            path,
            None,
            f"is {info.st_size / MB:.1f} MB, over the {limit / MB:g} MB input limit "
            "(raise max_input_mb in [tool.citecheck.limits])",
        )
    return info.st_size


def read_input_bytes(path: str | Path) -> bytes:
    """An input file's bytes, after check_input_file; never more than the size limit."""
    check_input_file(path)
    limit = active().max_input_bytes
    try:
        # O_NONBLOCK: should the path become a FIFO after the check, open() must not hang;
        # fstat then judges the very file that was opened.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise InputError(path, None, f"is {_kind(mode)}; citecheck reads regular files")
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError(path, None, f"cannot read: {_reason(error)}") from None
    if len(data) > limit:  # grew since stat
        raise InputError(path, None, f"is over the {limit / MB:g} MB input limit")
    return data


def read_text_file(path: str | Path) -> str:
    """The file's text, or an InputError saying plainly why it cannot be read."""
    return decode_text(read_input_bytes(path), path)


def decode_text(data: bytes, path: str | Path) -> str:
    """Bytes read from `path` (or standard input) as text with \\n line ends, or an InputError."""
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


# --- writing --------------------------------------------------------------------------------


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_inputs(
    output: str | Path | None, inputs: Mapping[str, str | Path | None], hint: str = ""
) -> None:
    """OutputError when `output` is one of the run's inputs (by role: manuscript, lock...).

    Compared by file identity, so a symlink or a hard link to an input is caught too.
    """
    if not output:
        return
    for role, path in inputs.items():
        if path and _same_file(output, path):
            raise OutputError(
                output,
                None,
                f"is this run's {role}; refusing to overwrite an input"
                + (f" ({hint})" if hint else ""),
            )


def atomic_write(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write text to path by the write policy above; OutputError when it must not or cannot.

    `encoding` other than UTF-8 is for rewriting a file in the encoding it came in (a
    Latin-1 .bib fixed in place)."""
    target = Path(os.path.realpath(path))  # through a symlink: replace the file it names
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise OutputError(path, None, f"cannot write: {target.parent} is not a directory") from None
    except OSError as error:
        raise OutputError(path, None, f"cannot write: {_reason(error)}") from None
    if info is not None and stat.S_ISCHR(info.st_mode):
        _stream_write(path, text, encoding)
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(path, None, f"is {_kind(info.st_mode)}; refusing to write to it")
    folder = _writable_folder(path, target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(path, None, f"cannot write in {folder}: {_reason(error)}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            shutil.copymode(target, tmp)
        else:  # mkstemp makes 0600 files; a new file gets the usual umask-based mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        _sync_folder(folder)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, None, f"cannot write: {_reason(error)}") from None
    except UnicodeEncodeError as error:  # a character the file's own encoding cannot hold
        Path(tmp).unlink(missing_ok=True)
        bad = error.object[error.start : error.end]
        raise OutputError(path, None, f"cannot write {bad!r} in {encoding}") from None
    except BaseException:  # Ctrl-C mid-write: the old file stays, the temporary goes
        Path(tmp).unlink(missing_ok=True)
        raise


def _writable_folder(path: str | Path, folder: Path) -> Path:
    """The output's folder, created if missing; OutputError naming what is in the way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(path, None, f"cannot write: {folder} is not a directory") from None
    except OSError as error:
        raise OutputError(
            path, None, f"cannot create the folder {folder}: {_reason(error)}"
        ) from None
    if not folder.is_dir():
        raise OutputError(path, None, f"cannot write: {folder} is not a directory")
    return folder


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself survives a power cut (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stream_write(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write to a character device (/dev/null, /dev/tty) in place: it cannot be replaced."""
    try:
        with open(path, "w", encoding=encoding, newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        raise OutputError(path, None, f"cannot write: {_reason(error)}") from None


def backup(path: str | Path) -> Path:
    """Copy path to the first free name of path.bak, path.bak.1, path.bak.2, ...

    The copy is made under a temporary name and linked into place, which fails rather than
    replaces when the name is taken: an earlier backup is never overwritten, and a killed
    run never leaves a half-written one.
    """
    source = Path(path)
    if not source.is_file():
        raise OutputError(path, None, "is not a regular file; nothing to back up")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{source.name}.", suffix=".bak.tmp", dir=source.parent)
    except OSError as error:
        raise OutputError(path, None, f"cannot make a backup: {_reason(error)}") from None
    os.close(fd)
    try:
        shutil.copy2(source, tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        for n in range(10_000):
            copy = source.with_name(source.name + (".bak" if n == 0 else f".bak.{n}"))
            try:
                os.link(tmp, copy)
            except FileExistsError:
                continue
            except OSError as error:
                if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                    raise
                if not _exclusive_copy(tmp, copy):
                    continue
            _sync_folder(source.parent)
            return copy
        raise OutputError(path, None, "10,000 backups exist already; remove some")
    except OSError as error:
        raise OutputError(path, None, f"cannot make a backup: {_reason(error)}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _exclusive_copy(source: str, copy: Path) -> bool:
    """Where hard links are not supported: create the backup only if the name is free."""
    try:
        with open(copy, "xb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
    except FileExistsError:
        return False
    return True
