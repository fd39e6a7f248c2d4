"""The one call a command makes after it ran: waivers, drift, and the run into the ledger.

::

    result = check(...)
    result = after_run(engine, result, settings=settings, fail_on_new=fail_on_new)
    raise typer.Exit(result.exit_code)
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.engine import Engine

from syncguard.config import Settings
from syncguard.findings import CheckResult
from syncguard.ledger.clock import utcnow
from syncguard.ledger.drift import annotate_drift
from syncguard.ledger.fingerprint import recorded_fingerprints
from syncguard.ledger.record import record_run
from syncguard.ledger.waivers import apply_waivers, list_waivers
from syncguard.redaction import redact_url


def after_run(
    engine: Engine,
    result: CheckResult,
    *,
    scope: str | None = None,
    settings: Settings,
    fail_on_new: bool = False,
    run_id: int | None = None,
) -> CheckResult:
    """Apply waivers, annotate drift against the last complete run of ``scope``, record the run.

    ``scope`` defaults to ``run_scope(result)`` (command, practice and the kinds of input
    checked). The returned result's ``exit_code`` ignores waived findings and, with
    ``fail_on_new``, open ones (only new or worsened findings fail, like a baseline). Its
    ``extra`` holds ``run_id``, ``previous_run_id`` and ``resolved`` (a list of findings).
    """
    scope = scope or run_scope(result)
    today = (result.started_at or utcnow()).date()
    result = apply_waivers(result, list_waivers(engine, result.practice), today)
    result = annotate_drift(engine, result, scope)
    keys = recorded_fingerprints(result)  # as drift paired them with the previous run's
    result.fail_on_new = fail_on_new
    recorded = record_run(
        engine, result, scope=scope, config_digest=config_digest(settings), run_id=run_id, keys=keys
    )
    result.extra["run_id"] = recorded
    return result


def run_scope(result: CheckResult, kinds: list[str] | None = None) -> str:
    """``command:practice:kind,kind``: runs are compared only with runs of the same scope."""
    checked = sorted(set(kinds if kinds is not None else (i.kind for i in result.inputs)))
    return f"{result.command}:{result.practice}:{','.join(checked)}"


def config_digest(settings: Settings) -> str:
    """sha256 of the effective settings (a database password is redacted first)."""
    data = settings.model_dump(mode="json")
    data["registry"]["database_url"] = redact_url(settings.registry.database_url)
    encoded = json.dumps(data, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()
