"""What the global options hand down to every command: settings, loaded once, lazily."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncguard.mappings import deep_merge

if TYPE_CHECKING:
    from syncguard.config import Settings

# The command-line option that gives each setting, so that a bad value names the option.
OPTION_NAMES = {
    "registry.database_url": "--database-url",
    "registry.practice": "--practice",
    "logging.level": "--log-level",
    "check.fail_on": "--fail-on",
}


@dataclass
class AppState:
    config_path: Path | None = None
    debug: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)

    def add_overrides(self, **sections: Mapping[str, Any]) -> None:
        """Record command-line values (None means "not given") before settings are read."""
        if "settings" in self.__dict__:
            del self.__dict__["settings"]
        self.overrides = deep_merge(self.overrides, sections)

    @cached_property
    def settings(self) -> Settings:
        from dotenv import load_dotenv

        from syncguard.config import load_settings
        from syncguard.logs import configure_logging

        load_dotenv(Path.cwd() / ".env", override=False)
        settings = load_settings(self.config_path, self.overrides, options=OPTION_NAMES)
        configure_logging(settings.logging.level, settings.logging.format)
        return settings
