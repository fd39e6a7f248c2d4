"""structlog set-up, done once by the CLI: JSON lines for machines, console output for people.

Logs carry counts, codes, file names and digests, never patient or provider names: the
``drop_personal_fields`` processor removes such keys even if a caller passes one by mistake.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from syncguard.redaction import redact_urls_in

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
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> Any:
    """A logger; used as a library without the CLI, syncguard logs warnings to stderr only,
    so nothing ever mixes into a report written to stdout."""
    if not structlog.is_configured():
        configure_logging("warning", "auto")
    return structlog.get_logger(name)
