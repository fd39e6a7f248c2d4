"""Run a check: open the WebPT exports, load the practice's registry, apply every enabled rule.

Every export is opened (and its columns found) before the registry is read, so a wrong file
fails in a moment with exit 2, not after loading a million referring providers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from syncguard import __version__
from syncguard.checks.context import ExportContext
from syncguard.checks.exports import Export, open_export
from syncguard.checks.facilities import check_facilities
from syncguard.checks.payers import check_payers
from syncguard.checks.providers import check_providers
from syncguard.checks.referring import check_referring
from syncguard.checks.rules import check_rules
from syncguard.checks.selection import RuleSelection
from syncguard.checks.snapshot import Snapshot, load_snapshot
from syncguard.config import Settings
from syncguard.errors import ConfigError
from syncguard.findings import CheckResult, InputSummary, Severity
from syncguard.inputs.kinds import WEBPT_KIND_NAMES
from syncguard.logs import get_logger
from syncguard.normalize import IdRules

NOTHING_TO_CHECK_HINT = "give at least one of --payers, --facilities, --providers, --referring"


def id_rules(settings: Settings) -> IdRules:
    ids = settings.ids
    return IdRules(ids.sequence_width, ids.sequence_pattern, ids.revenue_code_width)


def run_check(
    exports: Mapping[str, Path],
    *,
    engine: Engine,
    settings: Settings,
    practice: str | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    fail_on: str | None = None,
    encoding: str | None = None,
) -> CheckResult:
    """Check the WebPT exports (kind -> file) against the registry behind ``engine``.

    ``select`` / ``ignore`` / ``fail_on`` replace the settings' values when given. Raises
    InputError / ConfigError (exit 2) and RegistryUnavailableError (exit 3); findings are data.
    """
    started, clock = datetime.now(UTC), time.perf_counter()
    practice = practice or settings.registry.practice
    selection = _selection(settings, select, ignore)
    failing = _severity(fail_on or settings.check.fail_on)
    opened = _open_all(exports, settings, encoding)
    snapshot = load_snapshot(engine, practice, with_referring="referring" in opened)
    _require_records(snapshot, opened)
    result = CheckResult([], [], practice, __version__, started_at=started, fail_on=failing)
    for kind, export in opened.items():
        ctx = ExportContext(kind, export.name, selection, settings.check, id_rules(settings))
        rows = _check_one(export, ctx, snapshot)
        result.findings.extend(ctx.findings)
        result.inputs.append(InputSummary(kind, export.name, export.table.source.sha256, rows))
    result.finished_at = datetime.now(UTC)
    _log(result, time.perf_counter() - clock)
    return result


def _selection(settings: Settings, select: Iterable[str], ignore: Iterable[str]) -> RuleSelection:
    select, ignore = list(select), list(ignore)
    return RuleSelection(
        check_rules(),
        select=select or settings.check.select,
        ignore=ignore or settings.check.ignore,
        severity=settings.check.severity,
    )


def _severity(name: str) -> Severity:
    try:
        return Severity.parse(name)
    except ValueError as error:
        raise ConfigError(f"fail-on: {error}") from None


def _open_all(
    exports: Mapping[str, Path], settings: Settings, encoding: str | None
) -> dict[str, Export]:
    unknown = sorted(set(exports) - set(WEBPT_KIND_NAMES))
    if unknown:
        raise ConfigError(f"unknown list kind '{unknown[0]}'", hint=NOTHING_TO_CHECK_HINT)
    if not exports:
        raise ConfigError("nothing to check", hint=NOTHING_TO_CHECK_HINT)
    return {
        kind: open_export(kind, Path(exports[kind]), columns=settings.columns, encoding=encoding)
        for kind in WEBPT_KIND_NAMES
        if kind in exports
    }


def _require_records(snapshot: Snapshot, opened: Mapping[str, Export]) -> None:
    """A kind with no CMD records at all means a wrong --practice or a forgotten import."""
    counts = {
        "payers": len(snapshot.payers.records),
        "facilities": len(snapshot.facilities.records),
        "providers": len(snapshot.providers.records),
        "referring": len(snapshot.referring) if snapshot.referring is not None else 0,
    }
    for kind in opened:
        if counts[kind] == 0:
            raise ConfigError(
                f"the registry holds no CMD {kind} for practice '{snapshot.practice}'",
                hint=f"import them first (syncguard registry import {kind} FILE --practice "
                f"{snapshot.practice}) or check --practice",
            )


def _check_one(export: Export, ctx: ExportContext, snapshot: Snapshot) -> int:
    if export.kind == "payers":
        return check_payers(export, ctx, snapshot)
    if export.kind == "facilities":
        return check_facilities(export, ctx, snapshot)
    if export.kind == "providers":
        return check_providers(export, ctx, snapshot)
    assert snapshot.referring is not None
    return check_referring(export, ctx, snapshot.referring)


def _log(result: CheckResult, seconds: float) -> None:
    """One summary event per check: counts and file names, never a person's name."""
    get_logger("syncguard.check").info(
        "check finished",
        practice=result.practice,
        inputs=[{"kind": i.kind, "file": i.path, "rows": i.rows} for i in result.inputs],
        findings=len(result.findings),
        by_severity=result.counts_by_severity(),
        by_entity=result.counts_by_entity(),
        exit_code=result.exit_code,
        seconds=round(seconds, 3),
    )
