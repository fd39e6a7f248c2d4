"""Where an audit reads and writes: input paths or globs (newest match), dated report names.

Relative paths are taken from the config file's folder, so a scheduler may start the audit from
any working folder.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from syncguard.errors import ConfigError, InputError

GLOB_CHARACTERS = frozenset("*?[")


def base_folder(config_path: Path | None) -> Path:
    return config_path.resolve().parent if config_path is not None else Path.cwd()


def resolve_input(pattern: str, base: Path, *, what: str) -> Path:
    """The file ``pattern`` names; for a glob, the most recently modified match."""
    path = Path(pattern).expanduser()
    path = path if path.is_absolute() else base / path
    if not GLOB_CHARACTERS & set(pattern):
        if not path.is_file():
            raise InputError(f"{what}: {path} not found", hint="check the path in [audit]")
        return path
    matches = [Path(match) for match in glob.glob(str(path)) if Path(match).is_file()]
    if not matches:
        raise InputError(f"{what}: no file matches {path}", hint="is the drop folder empty?")
    return max(matches, key=lambda match: (match.stat().st_mtime, match.name))


def report_path(template: str, base: Path, *, practice: str, run_id: int, at: datetime) -> Path:
    """``template`` with ``{date}``, ``{time}``, ``{practice}`` and ``{run}`` filled in."""
    try:
        name = template.format(
            date=at.strftime("%Y-%m-%d"), time=at.strftime("%H%M%S"), practice=practice, run=run_id
        )
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(
            f"[audit.reports] {template!r}: unknown placeholder {error}",
            hint="use {date}, {time}, {practice} or {run}",
        ) from None
    path = Path(name).expanduser()
    return path if path.is_absolute() else base / path


def check_report_targets(reports: Mapping[str, str], base: Path, formats: tuple[str, ...]) -> None:
    """Refuse an unknown format or a missing folder before the audit runs, not after."""
    for fmt, template in reports.items():
        if fmt not in formats:
            raise ConfigError(
                f"[audit.reports] unknown report format '{fmt}'", hint=f"use {', '.join(formats)}"
            )
        path = report_path(template, base, practice="p", run_id=0, at=datetime.now(UTC))
        if "{" not in str(Path(template).parent) and not path.parent.is_dir():
            raise ConfigError(
                f"[audit.reports] {fmt}: folder {path.parent} does not exist",
                hint="create it or change the path in [audit.reports]",
            )
