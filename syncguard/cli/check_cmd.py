"""``syncguard check``, ``rules``, ``rule`` and ``demo``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the check commands to ``app``."""
