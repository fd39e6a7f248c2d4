"""Write a file so that it is either complete or untouched: reports, backups, waiver files."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from syncguard.errors import ConfigError


def write_text_atomically(text: str, path: Path) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: the file is complete or untouched."""
    write_bytes_atomically(text.encode("utf-8"), path)


def write_bytes_atomically(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` atomically: the file is complete or untouched.

    The bytes go to a temporary file in the same folder, are flushed to disk, and then replace
    ``path`` in one rename, so a crash or a full disk never leaves a partial or empty report.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _cannot_write(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _keep_permissions(path, temporary)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _cannot_write(path, error) from None
        raise


def _cannot_write(path: Path, error: OSError) -> ConfigError:
    """A path that is a folder, a missing folder, a full disk: the user's to fix, not a bug."""
    return ConfigError(
        f"cannot write {path}: {error.strerror}", hint="choose a file in an existing folder"
    )


def _keep_permissions(path: Path, temporary: str) -> None:
    """Give the new file the mode an ordinary write would have (mkstemp creates it 0600)."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)
