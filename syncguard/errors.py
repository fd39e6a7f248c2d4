"""The exceptions syncguard raises, and the exit code each one means.

::

    SyncguardError                 exit 2 unless a subclass says otherwise
    ├── ConfigError                a bad config file, key or value
    ├── InputError                 a file that cannot be read as the export it claims to be
    │   ├── MissingColumnError     a required column is not there (lists what was found)
    │   └── InvalidRowsError       rows that cannot be imported (lists them, by row number)
    └── RegistryUnavailableError   exit 3: the registry database cannot be reached

Third-party errors (csv, zipfile, openpyxl, SQLAlchemy) are translated into these at the
boundary, so that a user always gets one line saying what went wrong, where, and what to do.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_REGISTRY = 3


class SyncguardError(Exception):
    """Base of every error syncguard reports to a user."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The single line a user sees: what, where, and what to do next."""
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def __str__(self) -> str:
        return self.one_line()


class ConfigError(SyncguardError):
    """The configuration (file, environment or options) is not valid."""


class InputError(SyncguardError):
    """An input file cannot be read, or is not the export it claims to be."""


class MissingColumnError(InputError):
    """A required column is missing; the message lists the headers found and the closest one."""


class InvalidRowsError(InputError):
    """Some rows cannot be imported; ``problems`` holds ``(row_number, reason)`` pairs."""

    def __init__(
        self, message: str, problems: list[tuple[int, str]], *, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems


class RegistryUnavailableError(SyncguardError):
    """The registry database cannot be opened or reached."""

    exit_code = EXIT_REGISTRY
