"""structlog set-up, done once by the CLI: JSON lines for machines, console output for people.

Logs carry counts, codes, file names and digests, never patient or provider names: the
``drop_personal_fields`` processor removes such keys even if a caller passes one by mistake.

structlog (with the console renderer's imports) takes a tenth of a second to import, and at
the default level a run logs nothing: so the CLI's set-up is only noted, and structlog is
imported and configured when the first event that passes the level is logged.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

from syncguard.redaction import redact_urls_in

# The set-up the CLI asked for, not applied yet because structlog was not imported then.
_pending: tuple[str, str] | None = None

PERSONAL_KEYS = frozenset(
    {"name", "first_name", "last_name", "full_name", "patient", "patient_name", "record"}
)


def drop_personal_fields(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Remove PHI-bearing keys and redact passwords inside any URL-looking string value."""
    for key in PERSONAL_KEYS & event_dict.keys():
        event_dict[key] = "[redacted]"
    for key, value in event_dict.items():
        if isinstance(value, str) and "://" in value:
            event_dict[key] = redact_urls_in(value)
    return event_dict


def configure_logging(level: str = "warning", fmt: str = "auto") -> None:
    """Configure structlog for the whole process; ``fmt`` is auto, json or console."""
    global _pending
    _threshold(level)  # an unknown level fails here, as it always did
    if "structlog" in sys.modules:
        _pending = None
        _apply(level, fmt)  # already loaded (by a test, or an application): at once
    else:
        _pending = (level, fmt)


def _threshold(level: str) -> int:
    return logging.getLevelNamesMapping()[level.upper()]


def _apply(level: str, fmt: str) -> None:
    import structlog

    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
        if use_console
        else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            drop_personal_fields,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_threshold(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> _Logger:
    """A logger; used as a library without the CLI, syncguard logs warnings to stderr only,
    so nothing ever mixes into a report written to stdout."""
    return _Logger(name)


class _Logger:
    """Forwards to structlog's logger of the same name, loading structlog only for an event
    that the level set up lets through."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def debug(self, event: str, **fields: Any) -> None:
        self._log(logging.DEBUG, "debug", event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._log(logging.INFO, "info", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._log(logging.WARNING, "warning", event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._log(logging.ERROR, "error", event, fields)

    def _log(self, level: int, method: str, event: str, fields: dict[str, Any]) -> None:
        if "structlog" not in sys.modules:
            wanted = _pending or ("warning", "auto")
            if level < _threshold(wanted[0]):
                return  # structlog would drop it: no need to load it
        getattr(_structlog().get_logger(self._name), method)(event, **fields)


def _structlog() -> Any:
    global _pending
    import structlog

    if _pending is not None:
        _apply(*_pending)
        _pending = None
    elif not structlog.is_configured():
        _apply("warning", "auto")
    return structlog
