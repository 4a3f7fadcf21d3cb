"""``commission-qa bench soak``: a long run at many concurrent clients (errors, p99, RSS growth)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the soak command to the bench sub-app."""
