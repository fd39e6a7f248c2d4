"""``syncguard demo``: the main job on the bundled fixtures, against a throw-away registry."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the demo command to ``app``."""
