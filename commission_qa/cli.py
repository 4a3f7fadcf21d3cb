"""The one command line: ``commission-qa ingest|serve|ask|eval|eval-beir|bench``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from commission_qa.options import BackendName, ModelDir, expected_backend
from core.errors import CommissionQAError, IndexBusy

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Cited question answering over the commission's records.")
console = Console()
err = Console(stderr=True)

IndexDir = Annotated[Path, typer.Option("--index-dir", help="Index folder (a link to its "
                                        "current generation).")]


# Longer than clients' idle-connection timeouts (httpx: 5 s), so the server never closes a
# kept-alive connection just as a client reuses it (seen as rare ReadErrors under load).
KEEP_ALIVE_S = 75


def _fail(exc: CommissionQAError) -> None:
    err.print(f"[red]error:[/red] {exc.message}")
    raise typer.Exit(3)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of .txt/.docx/.pdf")],
    index_dir: IndexDir = Path("var/index"),
    model_dir: ModelDir = None,
    model: Annotated[str | None, typer.Option(
        "--model", help="Embedding model: minilm (default) | bge-small; default from "
        "COMMISSION_QA_MODEL. Recorded in the index: the service, ask and eval use it")] = None,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help="Seconds to wait for another "
                               "ingest of the same index to finish (default 0: stop at once)"),
    backend: BackendName = None,
) -> None:
    """Build or update the index. Exit 0: all files ingested; 1: some files failed (the rest
    is published); 2: no file could be ingested (the previous index is untouched); 3: error;
    4: another ingest of the same index is running (nothing done)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ingest.pipeline import IngestOptions
    from ingest.pipeline import ingest as run

    options = IngestOptions(model_dir=model_dir, model=model, backend=backend)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=err, disable=quiet, transient=True) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = run(paths, index_dir, options, progress=progress, wait=wait)
    except IndexBusy as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(4) from None
    except CommissionQAError as exc:
        _fail(exc)
    table = Table(title=f"ingest → {index_dir}")
    for col in ("file", "status", "chunks", "reason"):
        table.add_column(col, overflow="fold")
    colours = {"added": "green", "updated": "cyan", "unchanged": "dim", "removed": "yellow",
               "failed": "red"}
    for f in report.files:
        table.add_row(f.source, f"[{colours[f.status]}]{f.status}[/]",
                      str(f.chunks) if f.chunks else "", f.reason or "")
    console.print(table)
    console.print(f"published: {report.published}  generation: {report.generation}  "
                  f"embedded: {report.embedded}  reused: {report.reused}  "
                  f"time: {report.seconds:.1f}s")
    raise typer.Exit(report.exit_code)


@app.command()
def ask(
    question: str,
    index_dir: IndexDir = Path("var/index"),
    k: int = typer.Option(5, "--k", "-k", min=1, max=50),
    model_dir: ModelDir = None,
    backend: BackendName = None,
) -> None:
    """Ask a question from the command line (loads the index in-process)."""
    from index.retriever import load

    try:
        answer = load(index_dir, model_dir=model_dir,
                      expect_backend=expected_backend(backend)).answer(question, k)
    except CommissionQAError as exc:
        _fail(exc)
    console.print(f"answerable: {answer.answerable}" + (f" ({answer.reason})" if answer.reason else ""))
    for h in answer.hits:
        c = h.chunk
        console.print(f"[bold]{h.rank}. {' › '.join(c.heading_path[1:]) or c.title}[/bold] "
                      f"(score {h.score:.3f}, lines {c.line_start}-{c.line_end})")
        console.print("   " + c.text.replace("\n", "\n   "), markup=False, highlight=False)


@app.command()
def serve(
    index_dir: Annotated[Path | None, typer.Option("--index-dir")] = None,
    host: Annotated[str | None, typer.Option(help="Default 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default 8000")] = None,
    workers: Annotated[int | None, typer.Option(help="uvicorn worker processes")] = None,
    encoder: Annotated[str | None, typer.Option(help="auto | onnx | torch")] = None,
    model_dir: ModelDir = None,
    backend: BackendName = None,
    allow_insecure_public: Annotated[bool, typer.Option(
        "--allow-insecure-public", help="Serve on a non-loopback address without an API key "
        "(everything under /v1 open to the network; not recommended)")] = False,
) -> None:
    """Serve the HTTP API and chat page. Settings come from COMMISSION_QA_* variables; flags
    override them. Without an API key only a loopback address is accepted."""
    import os

    import uvicorn

    from qa_service import logs
    from qa_service.server import check_bind, server_options
    from qa_service.settings import Settings

    overrides = {k: v for k, v in dict(index_dir=index_dir, host=host, port=port,
                                       workers=workers, encoder=encoder, model_dir=model_dir,
                                       backend=backend,
                                       allow_insecure_public=allow_insecure_public or None,
                                       ).items() if v is not None}
    settings = Settings(**overrides)
    logs.configure(settings.log_level)
    try:
        check_bind(settings)
    except CommissionQAError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    if settings.workers > 1:  # workers import the app themselves: pass settings by environment
        for key, value in overrides.items():
            os.environ[f"COMMISSION_QA_{key.upper()}"] = str(value)
        uvicorn.run("qa_service.app:app_from_env", factory=True, host=settings.host,
                    port=settings.port, workers=settings.workers, log_config=None,
                    access_log=False, timeout_keep_alive=KEEP_ALIVE_S,
                    **server_options(settings))
        return
    from qa_service.app import create_app

    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None,
                access_log=False, timeout_keep_alive=KEEP_ALIVE_S, **server_options(settings))


# Commands defined in their own packages, registered here once.
from commission_qa.bench_commands import app as _bench_app  # noqa: E402
from commission_qa.eval_commands import register as _register_eval  # noqa: E402

_register_eval(app)
app.add_typer(_bench_app, name="bench")


def main() -> None:  # pragma: no cover
    sys.exit(app())
