"""Report formats: each renders a ``CheckResult`` to a string; ``write_report`` saves one safely.

Every format is a module of its own with ``render(result) -> str``; ``REPORTERS`` maps the format
name to a function that imports that module on first use, so the CLI starts fast.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from syncguard.errors import ConfigError
from syncguard.findings import CheckResult

Reporter = Callable[[CheckResult], str]

_MODULES: dict[str, str] = {
    "text": "syncguard.reports.text",
    "json": "syncguard.reports.json_doc",
    "junit": "syncguard.reports.junit",
    "sarif": "syncguard.reports.sarif",
    "csv": "syncguard.reports.csv_fixes",
    "markdown": "syncguard.reports.markdown",
    "html": "syncguard.reports.html_page",
}

FORMATS: tuple[str, ...] = tuple(_MODULES)


def _lazy(module_name: str) -> Reporter:
    def reporter(result: CheckResult) -> str:
        render: Reporter = importlib.import_module(module_name).render
        return render(result)

    reporter.__name__ = f"render_{module_name.rsplit('.', 1)[-1]}"
    reporter.__doc__ = f"Render a check result with ``{module_name}.render``."
    return reporter


REPORTERS: dict[str, Reporter] = {name: _lazy(module) for name, module in _MODULES.items()}


def render(result: CheckResult, fmt: str) -> str:
    """Render ``result`` in format ``fmt`` (one of ``FORMATS``)."""
    try:
        reporter = REPORTERS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown report format '{fmt}' (use one of: {known})") from None
    return reporter(result)


def write_report(text: str, path: Path) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: the file is complete or untouched.

    The text goes to a temporary file in the same folder, is flushed to disk, and then replaces
    ``path`` in one rename, so a crash or a full disk never leaves a partial or empty report.
    """
    data = text.encode("utf-8")
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
