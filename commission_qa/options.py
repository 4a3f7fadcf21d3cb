"""Command-line options shared by commands defined in different packages."""

from __future__ import annotations

from typing import Annotated

import typer

ModelDir = Annotated[str | None, typer.Option(
    "--model-dir", help="A local sentence-transformers model folder (default: the packaged "
    "all-MiniLM-L6-v2); an index built with one is loaded with the same one")]
