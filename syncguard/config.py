"""Effective settings: defaults < config file < ``SYNCGUARD_*`` environment < command line.

The config file is TOML, found through ``--config``, then ``SYNCGUARD_CONFIG``, then
``./syncguard.toml``. Every section rejects unknown keys and names the closest known one, so a
typo in a scheduled audit's config fails loudly instead of silently using a default.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from syncguard.errors import ConfigError
from syncguard.mappings import deep_merge

DEFAULT_CONFIG_NAME = "syncguard.toml"
SeverityName = Literal["info", "warning", "error"]

# Environment variables with a short name of their own; any other setting can be given as
# SYNCGUARD_<SECTION>__<KEY>, e.g. SYNCGUARD_CHECK__FAIL_ON=warning.
ENV_SHORTCUTS: dict[str, tuple[str, str]] = {
    "SYNCGUARD_DATABASE_URL": ("registry", "database_url"),
    "SYNCGUARD_PRACTICE": ("registry", "practice"),
    "SYNCGUARD_LOG_LEVEL": ("logging", "level"),
    "SYNCGUARD_LOG_FORMAT": ("logging", "format"),
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class RegistrySettings(_Section):
    """Where the registry lives and which practice a command works on."""

    database_url: str = "sqlite:///syncguard.db"
    practice: str = Field(default="default", min_length=1)


class IdSettings(_Section):
    """The shape of the identifiers syncguard normalises."""

    sequence_width: int = Field(default=8, ge=1, le=15)
    sequence_pattern: str | None = None
    revenue_code_width: int = Field(default=4, ge=1, le=8)


class CheckSettings(_Section):
    """How ``syncguard check`` decides and reports."""

    fail_on: SeverityName = "error"
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    name_threshold: float = Field(default=85.0, ge=0, le=100)
    suggest_threshold: float = Field(default=90.0, ge=0, le=100)

    @field_validator("fail_on", mode="before")
    @classmethod
    def _severity_lower(cls, value: object) -> object:
        # "Warning" and "ERROR" mean what they say, as --log-level DEBUG does.
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("severity", mode="before")
    @classmethod
    def _severities_lower(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {code: cls._severity_lower(level) for code, level in value.items()}

    @field_validator("severity")
    @classmethod
    def _codes_upper(cls, value: dict[str, SeverityName]) -> dict[str, SeverityName]:
        return {code.upper(): severity for code, severity in value.items()}


class LoggingSettings(_Section):
    """Log verbosity and format (``auto``: JSON lines unless stderr is a terminal)."""

    level: Literal["debug", "info", "warning", "error"] = "warning"
    format: Literal["auto", "json", "console"] = "auto"


class ChannelSettings(_Section):
    """One alert channel. Secrets are never in the file: ``url_env`` / ``password_env`` name the
    environment variable (or .env entry) that holds them."""

    type: Literal["slack", "teams", "webhook", "email"]
    min_severity: SeverityName = "warning"
    resolutions: bool = False
    url_env: str | None = None
    host: str | None = None
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    username: str | None = None
    password_env: str | None = None
    sender: str | None = None
    to: list[str] = Field(default_factory=list)
    ca_file: Path | None = None
    verify: bool = True

    @model_validator(mode="after")
    def _complete(self) -> ChannelSettings:
        if self.type == "email":
            if not (self.host and self.sender and self.to):
                raise ValueError("an email channel needs host, sender and to")
        elif not self.url_env:
            raise ValueError(f"a {self.type} channel needs url_env (the variable with its URL)")
        return self


class AlertSettings(_Section):
    """Alert channels and how hard delivery tries (exponential backoff with jitter)."""

    attempts: int = Field(default=5, ge=1, le=20)
    backoff_initial: float = Field(default=1.0, ge=0)
    backoff_max: float = Field(default=60.0, ge=0)
    retry_after_max: float = Field(default=300.0, ge=0)
    timeout: float = Field(default=10.0, gt=0)
    remind_after: int | None = Field(default=None, ge=1)
    max_items: int = Field(default=5, ge=1)
    channels: dict[str, ChannelSettings] = Field(default_factory=dict)


class AuditSettings(_Section):
    """What ``syncguard audit`` runs: lists to check, the balance, reports and channels."""

    practice: str | None = None
    lists: dict[str, str] = Field(default_factory=dict)
    balance: dict[str, Any] | None = None
    reports: dict[str, str] = Field(default_factory=dict)
    channels: list[str] = Field(default_factory=list)
    fail_on_new: bool = False
    lock_wait: float = Field(default=0.0, ge=0)
    lock_stale_after: float = Field(default=6 * 3600.0, gt=0)


class BalanceSettings(_Section):
    """How ``syncguard balance`` counts: its week, its places of service, what fails it."""

    week_start: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
    locations: dict[str, str] = Field(default_factory=dict)  # WebPT location -> place of service
    fail_on_units: bool = False
    new_patient_codes: list[str] = Field(default_factory=lambda: ["97161", "97162", "97163"])
    max_range_days: int = Field(default=31, ge=1)


# source ("cmd" or "webpt") -> kind ("payers", ...) -> field -> header name(s)
ColumnMap = dict[str, dict[str, dict[str, str | list[str]]]]


class Settings(_Section):
    """Everything syncguard can be configured with."""

    registry: RegistrySettings = Field(default_factory=RegistrySettings)
    ids: IdSettings = Field(default_factory=IdSettings)
    check: CheckSettings = Field(default_factory=CheckSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    columns: ColumnMap = Field(default_factory=dict)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    balance: BalanceSettings = Field(default_factory=BalanceSettings)
    config_path: Path | None = Field(default=None, exclude=True)


def find_config_file(explicit: Path | None, environ: Mapping[str, str]) -> Path | None:
    """The config file to read, or None when there is none (defaults apply)."""
    if explicit is not None:
        if explicit.is_dir():
            raise ConfigError(
                f"--config {explicit} is a folder, not a config file",
                hint="give the path of a TOML config file, e.g. syncguard.toml",
            )
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} not found", hint="check the --config path")
        return explicit
    from_env = environ.get("SYNCGUARD_CONFIG")
    if from_env:
        path = Path(from_env)
        if path.is_dir():
            raise ConfigError(
                f"SYNCGUARD_CONFIG {path} is a folder, not a config file",
                hint="set it to the path of a TOML config file, e.g. syncguard.toml",
            )
        if not path.is_file():
            raise ConfigError(
                f"config file {path} not found", hint="SYNCGUARD_CONFIG names a missing file"
            )
        return path
    default = Path(DEFAULT_CONFIG_NAME)
    return default if default.is_file() else None


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"{path}: not valid TOML: {error}", hint="fix the line named, see config.example.toml"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path}: not a TOML text file (it holds bytes that are not UTF-8)",
            hint="check the --config path; a config file is TOML, see config.example.toml",
        ) from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None


def environment_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings given as ``SYNCGUARD_*`` environment variables, as nested dicts."""
    overrides: dict[str, Any] = {}
    for name, value in environ.items():
        address = _environment_address(name)
        if address is not None:
            section, key = address
            overrides.setdefault(section, {})[key] = value
    return overrides


def _environment_address(name: str) -> tuple[str, str] | None:
    """(section, key) of the setting a ``SYNCGUARD_*`` variable gives, if it gives one."""
    if name in ENV_SHORTCUTS:
        return ENV_SHORTCUTS[name]
    if name.startswith("SYNCGUARD_") and "__" in name:
        section, _, key = name.removeprefix("SYNCGUARD_").lower().partition("__")
        return section, key
    return None


def _variable_name(section: str, key: str) -> str:
    """The ``SYNCGUARD_<SECTION>__<KEY>`` variable of a setting (``_environment_address``
    read backwards)."""
    return f"SYNCGUARD_{section.upper()}__{key.upper()}"


def _environment_names(environ: Mapping[str, str]) -> dict[str, str]:
    """The variable that gives each setting, by dotted key ("check.fail_on")."""
    names: dict[str, str] = {}
    for name in environ:
        address = _environment_address(name)
        if address is not None:
            names[".".join(address)] = name
    return names


def load_settings(
    config_path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    options: Mapping[str, str] | None = None,
) -> Settings:
    """Build the effective settings. ``overrides`` are command-line values (None = not given);
    ``options`` names the option that gives each of them ("check.fail_on": "--fail-on"), so that
    a bad one is reported as that option, not as a key of the config file."""
    environ = os.environ if environ is None else environ
    path = find_config_file(config_path, environ)
    data: dict[str, Any] = read_config_file(path) if path else {}
    data = deep_merge(data, environment_overrides(environ))
    data = deep_merge(data, overrides or {})
    source = str(path) if path else "settings"
    # A bad value is named where it came from: the command line, else the environment.
    given = {**_environment_names(environ), **_given_options(overrides or {}, options or {})}
    settings = validate_settings(data, source=source, options=given)
    settings.config_path = path
    validate_column_map(settings.columns, source=source)
    return settings


def _given_options(overrides: Mapping[str, Any], options: Mapping[str, str]) -> dict[str, str]:
    """The options among ``options`` that the command line gave (a None is "not given")."""
    given: dict[str, str] = {}
    for dotted, option in options.items():
        section, _, key = dotted.partition(".")
        values = overrides.get(section)
        if isinstance(values, Mapping) and values.get(key) is not None:
            given[dotted] = option
    return given


def validate_settings(
    data: Mapping[str, Any], *, source: str, options: Mapping[str, str] | None = None
) -> Settings:
    """``data`` as settings; a bad value names the option (``options``: given on the command
    line, by dotted key) or else ``source`` and the key."""
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise _config_error(error, source, options or {}) from None


def _config_error(error: ValidationError, source: str, options: Mapping[str, str]) -> ConfigError:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"])
    option = options.get(location)
    if option is not None and first["type"] == "extra_forbidden":  # a variable's misspelt name
        section = str(first["loc"][0])
        known = [_variable_name(section, key) for key in _known_keys(first["loc"][:-1])]
        close = difflib.get_close_matches(option, known, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]}?" if close else "see docs/configuration.md"
        return ConfigError(f"{option}: no such setting ('{location}')", hint=hint)
    if option is not None:
        return _option_error(option, first)
    if first["type"] == "extra_forbidden":
        known = _known_keys(first["loc"][:-1])
        close = difflib.get_close_matches(str(first["loc"][-1]), known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
        return ConfigError(f"{source}: unknown key '{location}'", hint=hint)
    return ConfigError(f"{source}: '{location}': {first['msg']}", hint="see config.example.toml")


def _option_error(option: str, first: Any) -> ConfigError:
    """A bad command-line value: the option and what it takes, as ``--help`` would say."""
    value = first.get("input")
    expected = (first.get("ctx") or {}).get("expected")
    if first["type"] == "literal_error" and expected:
        return ConfigError(f"{option}: '{value}' is not valid", hint=f"use {expected}")
    where = "docs/configuration.md" if option.startswith("SYNCGUARD_") else f"--help for {option}"
    return ConfigError(f"{option}: '{value}': {first['msg']}", hint=f"see {where}")


def _known_keys(section_path: tuple[int | str, ...]) -> list[str]:
    model: type[BaseModel] = Settings
    for part in section_path:
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return [name for name in model.model_fields if name != "config_path"]


def validate_column_map(columns: ColumnMap, *, source: str) -> None:
    """Reject unknown sources, kinds and fields in ``[columns.<source>.<kind>]``."""
    if not columns:
        return
    from syncguard.inputs.columns import known_fields
    from syncguard.inputs.reports import report_fields

    known = deep_merge(known_fields(), report_fields())
    for source_name, kinds in columns.items():
        _require_known(source_name, list(known), f"{source}: columns.{source_name}")
        for kind, fields in kinds.items():
            where = f"{source}: columns.{source_name}.{kind}"
            _require_known(kind, list(known[source_name]), where)
            for field in fields:
                _require_known(field, known[source_name][kind], f"{where}.{field}")


def _require_known(name: str, known: list[str], where: str) -> None:
    if name in known:
        return
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
    raise ConfigError(f"unknown key '{where}'", hint=hint)
