"""``balance()``: visits between the WebPT EMR and billing as a CheckResult, with no terminal.

>>> from syncguard.balance.api import balance
>>> result = balance(emr="Billing Report.xlsx", billing="charges.csv",
...                  date_from="2026-11-02", date_to="2026-11-08")
>>> result.exit_code, result.extra["balance"]["places"][0]["periods"]
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

from syncguard import __version__
from syncguard.balance.compute import compute_balance
from syncguard.balance.dates import FORMATS_HINT, DateFormatError, parse_date
from syncguard.balance.findings import balance_findings, range_finding
from syncguard.balance.inputs import read_billing, read_emr, read_pos_stats
from syncguard.balance.model import Balance, BalanceOptions, Granularity
from syncguard.balance.readiness import check_readiness
from syncguard.config import Settings
from syncguard.errors import ConfigError
from syncguard.findings import CheckResult, Severity
from syncguard.logs import get_logger

PathLike = str | os.PathLike[str]


def balance(
    *,
    emr: PathLike,
    billing: PathLike | None,
    date_from: date | str,
    date_to: date | str,
    by: str = "week",
    pos_stats: PathLike | None = None,
    rejections: PathLike | None = None,
    missed_notes: PathLike | None = None,
    claims_feed: PathLike | None = None,
    settings: Settings | None = None,
    fail_on: str | None = None,
) -> CheckResult:
    """Balance the EMR's visits against billing per place of service and period.

    ``billing`` (charge lines) or ``pos_stats`` (totals) must be given; with charge lines the
    visits are also reconciled one by one. The per-place tables are in
    ``result.extra["balance"]``. Raises InputError / ConfigError for bad input or usage.
    """
    settings = settings or Settings()
    options = balance_options(settings, date_from, date_to, by)
    if billing is None and pos_stats is None:
        raise ConfigError(
            "nothing to balance against",
            hint="give the billing charge lines (--billing), "
            "POS Summary Charge Stats (--pos-stats), or both",
        )
    severity = _severity(fail_on or settings.check.fail_on)
    started, clock = datetime.now(UTC), time.perf_counter()
    overrides = settings.columns
    ready = check_readiness(
        missed_notes=_path(missed_notes),
        claims_feed=_path(claims_feed),
        rejections=_path(rejections),
        options=options,
        overrides=overrides,
    )
    # Side by side: most of a reader's time is in polars, which releases the GIL.
    with ThreadPoolExecutor(max_workers=2) as pool:
        emr_read = pool.submit(read_emr, Path(emr), overrides)
        billing_read = pool.submit(read_billing, Path(billing), overrides) if billing else None
        stats_read = pool.submit(read_pos_stats, Path(pos_stats), overrides) if pos_stats else None
        emr_source = emr_read.result()
        billing_source = billing_read.result() if billing_read else None
        stats_source = stats_read.result() if stats_read else None
    result = compute_balance(emr_source, billing_source, stats_source, ready.held, options)
    billing_name = (billing_source or stats_source or emr_source).name
    findings = ready.findings + range_finding(result, emr_file=emr_source.name)
    findings += balance_findings(result, emr_file=emr_source.name, billing_file=billing_name)
    sources = [emr_source, billing_source, stats_source, *ready.sources]
    outcome = CheckResult(
        findings=findings,
        inputs=[source.summary() for source in sources if source is not None],
        practice=settings.registry.practice,
        version=__version__,
        command="balance",
        started_at=started,
        finished_at=datetime.now(UTC),
        fail_on=severity,
        extra={"balance": result.as_extra()},
    )
    _log(outcome, result, time.perf_counter() - clock)
    return outcome


def balance_options(
    settings: Settings, date_from: date | str, date_to: date | str, by: str
) -> BalanceOptions:
    """The options of one run: the range and period given, the rest from ``[balance]``."""
    first, last = _day(date_from, "--from"), _day(date_to, "--to")
    if first > last:
        raise ConfigError(
            f"--from {first} is after --to {last}", hint="give the first day, then the last"
        )
    if by not in ("day", "week"):
        raise ConfigError(f"unknown period '{by}'", hint="use --by day or --by week")
    section = settings.balance
    return BalanceOptions(
        date_from=first,
        date_to=last,
        by=cast(Granularity, by),
        week_start=section.week_start,
        locations=dict(section.locations),
        new_patient_codes=tuple(code.strip().upper() for code in section.new_patient_codes),
        fail_on_units=section.fail_on_units,
        max_range_days=section.max_range_days,
    )


def _day(value: date | str, option: str) -> date:
    if isinstance(value, date):
        return value
    try:
        found = parse_date(value)
    except DateFormatError:
        found = None
    if found is None:
        raise ConfigError(f"{option} '{value}' is not a date", hint=FORMATS_HINT)
    return found


def _severity(name: str) -> Severity:
    try:
        return Severity.parse(name)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def _path(value: PathLike | None) -> Path | None:
    return Path(value) if value is not None else None


def _log(outcome: CheckResult, result: Balance, seconds: float) -> None:
    """One summary event: counts and file names, never an account number or a name."""
    get_logger("syncguard.balance").info(
        "balance finished",
        practice=outcome.practice,
        inputs=[{"kind": i.kind, "file": i.path, "rows": i.rows} for i in outcome.inputs],
        by=result.options.by,
        places=len(result.places()),
        periods=len(result.rows),
        visits_one_side_only=len(result.gaps),
        findings=len(outcome.findings),
        by_severity=outcome.counts_by_severity(),
        exit_code=outcome.exit_code,
        seconds=round(seconds, 3),
    )
