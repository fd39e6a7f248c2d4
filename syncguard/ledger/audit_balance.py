"""The balance part of an audit: ``[audit.balance]`` turned into a ``syncguard.balance`` call.

Input keys are paths or globs (newest match); ``days = N`` stands for the N days up to
yesterday, so a nightly audit needs no dates in its config.
"""

from __future__ import annotations

import importlib
import inspect
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from syncguard.config import Settings
from syncguard.errors import ConfigError
from syncguard.findings import CheckResult
from syncguard.ledger.paths import resolve_input

BALANCE_FILES = ("emr", "billing", "pos_stats", "rejections", "missed_notes", "claims_feed")


def _window(options: dict[str, Any]) -> dict[str, Any]:
    """``days = N``: the N days up to yesterday, so a nightly audit needs no dates in its config."""
    options = dict(options)
    days = options.pop("days", None)
    if days is None:
        return options
    if not isinstance(days, int) or days < 1:
        raise ConfigError(f"[audit.balance] days = {days!r}", hint="a whole number of days, >= 1")
    last = date.today() - timedelta(days=1)
    options.setdefault("date_to", last)
    options.setdefault("date_from", last - timedelta(days=days - 1))
    return options


def run_balance(settings: Settings, options: dict[str, Any], base: Path) -> CheckResult:
    """The balance that ``[audit.balance]`` describes (ConfigError when it cannot run)."""
    try:
        api = importlib.import_module("syncguard.balance.api")
    except ModuleNotFoundError as error:
        if error.name not in ("syncguard.balance", "syncguard.balance.api"):
            raise
        raise ConfigError(
            "[audit.balance] is set but this syncguard has no balance", hint="remove the section"
        ) from None
    arguments = {
        name: resolve_input(str(value), base, what=f"[audit.balance] {name}")
        if name in BALANCE_FILES
        else value
        for name, value in _window(options).items()
    }
    arguments.setdefault("billing", None)
    try:
        inspect.signature(api.balance).bind(**arguments, settings=settings)
    except TypeError as error:
        raise ConfigError(f"[audit.balance]: {error}", hint="see docs/audit.md") from None
    result: CheckResult = api.balance(**arguments, settings=settings)
    return result
