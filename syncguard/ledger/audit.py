"""``syncguard audit``: everything the config's ``[audit]`` section names, as one ledger run.

Under the practice's audit lock: check the configured lists (and run the balance when
``[audit.balance]`` is set), annotate waivers and drift, record the run, write the dated
reports, then alert the channels. Exit code: the check's (0 / 1), or 3 when a channel still
failed after its retries (the reports are written first, so nothing is lost).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.errors import EXIT_REGISTRY, ConfigError
from syncguard.findings import CheckResult
from syncguard.ledger.alerts.channels import build_channels
from syncguard.ledger.alerts.dispatch import ChannelOutcome, send_alerts
from syncguard.ledger.audit_balance import run_balance
from syncguard.ledger.clock import utcnow
from syncguard.ledger.hooks import after_run, config_digest
from syncguard.ledger.lock import audit_lock
from syncguard.ledger.paths import (
    base_folder,
    check_report_targets,
    report_path,
    resolve_input,
)
from syncguard.ledger.record import begin_run, fail_interrupted_runs, fail_run, set_exit_code
from syncguard.reports import FORMATS


@dataclass(frozen=True)
class AuditOutcome:
    result: CheckResult
    run_id: int
    reports: list[Path]
    channels: list[ChannelOutcome]
    exit_code: int


def run_audit(
    engine: Engine,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    wait: float | None = None,
    fail_on_new: bool | None = None,
) -> AuditOutcome:
    """Run the configured audit; raises SyncguardError for bad config or input (exit 2)."""
    audit = settings.audit
    if not audit.lists and audit.balance is None:
        raise ConfigError(
            "[audit] names nothing to run", hint="add [audit.lists] or [audit.balance]"
        )
    build_channels(audit.channels, settings.alerts, environ)  # a missing secret fails first
    check_report_targets(audit.reports, base_folder(settings.config_path), FORMATS)
    practice = audit.practice or settings.registry.practice
    settings = settings.model_copy(
        update={"registry": settings.registry.model_copy(update={"practice": practice})}
    )
    scope = f"audit:{practice}:{','.join(_parts(settings))}"
    lock_wait = audit.lock_wait if wait is None else wait
    with audit_lock(engine, practice, wait=lock_wait, stale_after=audit.lock_stale_after):
        fail_interrupted_runs(engine, practice)
        digest = config_digest(settings)
        run_id = begin_run(
            engine, command="audit", practice=practice, scope=scope, config_digest=digest
        )
        try:
            result = after_run(
                engine,
                _run(engine, settings),
                scope=scope,
                settings=settings,
                fail_on_new=audit.fail_on_new if fail_on_new is None else fail_on_new,
                run_id=run_id,
            )
        except BaseException as error:
            fail_run(engine, run_id, f"{type(error).__name__}: {error}"[:500])
            raise
        return _finish(engine, settings, result, scope, environ)


def _finish(
    engine: Engine,
    settings: Settings,
    result: CheckResult,
    scope: str,
    environ: Mapping[str, str],
) -> AuditOutcome:
    from syncguard.reports import render, write_report

    run_id = int(str(result.extra["run_id"]))
    reports = []
    for fmt, template in settings.audit.reports.items():
        path = report_path(
            template,
            base_folder(settings.config_path),
            practice=result.practice,
            run_id=run_id,
            at=result.started_at or utcnow(),
        )
        write_report(render(result, fmt), path)
        reports.append(path)
    shown = next((p for p in reports if p.suffix == ".html"), reports[0] if reports else None)
    channels = send_alerts(
        engine,
        result,
        run_id=run_id,
        scope=scope,
        channels=settings.audit.channels,
        settings=settings.alerts,
        environ=environ,
        report=str(shown) if shown else None,
    )
    code = EXIT_REGISTRY if any(c.error for c in channels) else result.exit_code
    set_exit_code(engine, run_id, code)
    return AuditOutcome(result, run_id, reports, channels, code)


def _parts(settings: Settings) -> list[str]:
    parts = sorted(settings.audit.lists)
    return [*parts, "balance"] if settings.audit.balance is not None else parts


def _run(engine: Engine, settings: Settings) -> CheckResult:
    """The check of the configured lists plus the balance, merged into one audit result."""
    base = base_folder(settings.config_path)
    started = utcnow()
    results = []
    if settings.audit.lists:
        from syncguard.checks.engine import run_check

        exports = {
            kind: resolve_input(pattern, base, what=f"[audit.lists] {kind}")
            for kind, pattern in settings.audit.lists.items()
        }
        results.append(run_check(exports, engine=engine, settings=settings))
    if settings.audit.balance is not None:
        results.append(run_balance(settings, settings.audit.balance, base))
    merged = dataclasses.replace(
        results[0],
        findings=[f for r in results for f in r.findings],
        inputs=[i for r in results for i in r.inputs],
        command="audit",
        started_at=started,
        finished_at=utcnow(),
    )
    return merged
