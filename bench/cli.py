"""``commission-qa bench ...``: benchmarks that print figures and ratios against a baseline
measured in the same run."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="Benchmarks (figures go in bench/README.md).")


# The soak benchmark lives in its own module (reliability work); it registers itself here.
from bench import soak as _soak  # noqa: E402

_soak.register(app)
