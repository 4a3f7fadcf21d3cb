"""``commission-qa eval`` and ``commission-qa eval-beir``: registered on the one CLI app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the evaluation commands to the project's CLI (called once from commission_qa.cli)."""
