"""``syncguard init`` and ``syncguard registry ...``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the registry commands to ``app``."""
