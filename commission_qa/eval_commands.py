"""``commission-qa eval`` and ``commission-qa eval-beir``: registered on the one CLI app.

Heavy imports (torch, faiss, matplotlib) happen inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from commission_qa.options import BackendName, ModelDir, expected_backend

console = Console()
if not console.is_terminal:  # piped or in CI: wide enough for the metrics table
    console = Console(width=160)
err = Console(stderr=True)

INDEX_HINT = ("build it with `make index` or `commission-qa ingest data/transcripts "
              "--index-dir {index_dir}`")


def _systems(value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(s.strip() for s in value.split(",") if s.strip())
    bad = [s for s in names if s not in allowed]
    if not names or bad:
        raise typer.BadParameter(f"choose from {', '.join(allowed)} (comma-separated)")
    return names


def eval_command(
    index_dir: Annotated[Path, typer.Option("--index-dir", help="Index folder")] = Path("var/index"),
    gold: Annotated[Path, typer.Option(help="Gold questions (JSON lines)")] =
        Path("eval/gold/commission.jsonl"),
    out: Annotated[Path, typer.Option(help="Folder for report.json, report.md, metrics.png")] =
        Path("eval/out"),
    baseline: Annotated[Path, typer.Option(help="Per-question ranks and metrics to compare "
                                           "with")] = Path("eval/baseline.json"),
    thresholds: Annotated[Path, typer.Option(help="Gate thresholds (TOML)")] =
        Path("eval/thresholds.toml"),
    update_baseline: Annotated[bool, typer.Option("--update-baseline", help="Write this run's "
                                                  "project ranks and metrics as the baseline")] = False,
    no_gate: Annotated[bool, typer.Option(
        "--no-gate", help="Report only: a failed gate does not fail the command")] = False,
    systems: Annotated[str, typer.Option(help="Comma-separated: project,bm25,dense,langchain,rrf "
                                         "(rrf: BM25 + dense fused by RRF over 1000/200 chunks)")] =
        "project,bm25,dense,langchain,rrf",
    model_dir: ModelDir = None,
    backend: BackendName = None,
) -> None:
    """Evaluate retrieval and abstention on the gold questions; gate on thresholds and on
    top-5 regressions against the baseline. Exit 0: pass; 1: gate failed; 2: missing index or
    bad gold set."""
    from core.errors import CommissionQAError
    from eval.systems import ALL_SYSTEMS

    names = _systems(systems, ALL_SYSTEMS)
    if "project" not in names and not no_gate:
        raise typer.BadParameter("the gate measures the project system: include it or pass --no-gate")
    if "project" not in names and update_baseline:
        raise typer.BadParameter("the baseline records the project system: include it")
    from eval import gate as gating
    from eval import report as reporting
    from eval.gold import GoldError, load_gold
    from eval.runner import run_eval

    try:
        from index.retriever import load

        retriever = load(index_dir, model_dir=model_dir, expect_backend=expected_backend(backend))
    except CommissionQAError as exc:
        err.print(f"[red]error:[/red] cannot load the index at {index_dir}: {exc.message}")
        err.print(INDEX_HINT.format(index_dir=index_dir))
        raise typer.Exit(2) from None
    try:
        gold_set = load_gold(gold, [d.text for d in retriever.documents.values()])
    except GoldError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None

    try:
        limits = gating.read_thresholds(thresholds)
        old = gating.read_baseline(baseline)
    except gating.GateConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    result = run_eval(gold_set, names, retriever)
    reporting.print_tables(result, console)
    outcome = gating.check(result, limits, old) if "project" in names else None
    paths = reporting.write_all(result, old, outcome, out)
    console.print("wrote " + ", ".join(str(p) for p in paths))
    if update_baseline:
        gating.write_baseline(result, baseline)
        console.print(f"[yellow]baseline updated:[/yellow] {baseline}")
    if outcome is not None:
        reporting.print_gate(outcome, console, enforced=not no_gate)
        if not outcome.passed and not no_gate:
            raise typer.Exit(1)


def eval_beir_command(
    folder: Annotated[Path, typer.Argument(help="BEIR folder: corpus.jsonl, queries.jsonl, "
                                           "qrels/test.tsv")],
    systems: Annotated[str, typer.Option(help="Comma-separated: dense,bm25,hybrid")] =
        "dense,bm25,hybrid",
    max_queries: Annotated[int | None, typer.Option(min=1, help="Only the first N judged "
                                                    "queries")] = None,
    cache_dir: Annotated[Path, typer.Option(help="Where the corpus's index is built once")] =
        Path("var/beir-cache"),
    out: Annotated[Path, typer.Option(help="Folder for beir-<dataset>.json")] = Path("eval/out"),
    model: Annotated[str | None, typer.Option(
        "--model", help="Embedding model: minilm | bge-small (default: COMMISSION_QA_MODEL, "
        "else minilm)")] = None,
) -> None:
    """Evaluate the retriever's modes on a BEIR dataset (nDCG@10, Recall@100, MRR@10), beside
    published figures when known."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from core.errors import CommissionQAError
    from encoders import registry
    from eval import beir

    names = _systems(systems, beir.SYSTEMS)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      console=err, transient=True) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            result = beir.run(folder, names, cache_dir, max_queries, progress=progress,
                              model=registry.chosen(model))
    except beir.BeirError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    except CommissionQAError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None
    table = Table(title=f"BEIR {result.dataset} ({result.model}): {result.documents} documents, "
                        f"{result.queries} queries")
    for col in ("system", "nDCG@10", "R@100", "MRR@10", "published nDCG@10 / R@100", "seconds"):
        table.add_column(col)
    for r in result.results:
        pub = result.published.get("dense" if r.system == "dense" else
                                   "bm25" if r.system == "bm25" else "", [])
        pub_s = "; ".join(f"{n}: {nd:.3f}" + (f" / {rc:.3f}" if rc is not None else "")
                          for n, nd, rc in pub)
        table.add_row(r.system, f"{r.ndcg_at_10:.4f}", f"{r.recall_at_100:.4f}",
                      f"{r.mrr_at_10:.4f}", pub_s, f"{r.seconds:.1f}")
    console.print(table)
    console.print(f"index: {result.index_dir} "
                  + (f"(built in {result.build_seconds:.0f}s)" if result.built else "(cached)"))
    out.mkdir(parents=True, exist_ok=True)
    path = out / (f"beir-{result.dataset}.json" if result.model == "minilm" else
                  f"beir-{result.dataset}-{result.model}.json")
    path.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {path}")


def eval_suite_command(
    gold: Annotated[list[Path], typer.Argument(help="Gold sets (JSON lines), one or more")],
    index_dir: Annotated[Path, typer.Option("--index-dir", help="Index folder")] = Path("var/index"),
    systems: Annotated[str, typer.Option(help="Comma-separated systems")] = "project,bm25",
    out: Annotated[Path | None, typer.Option(help="Write the rows as JSON here")] = None,
    model_dir: ModelDir = None,
    backend: BackendName = None,
    abstention: Annotated[str | None, typer.Option(help="Who decides answerable: model | rules "
                                                   "(default: the retriever's setting)")] = None,
) -> None:
    """Several gold sets against one index in one process: one row per set and system, and the
    pooled mean (weighted by questions). No gate. Exit 2: missing index or bad gold set."""
    from rich.table import Table

    from core.errors import CommissionQAError
    from eval import suite
    from eval.runner import LABELS
    from eval.systems import ALL_SYSTEMS

    names = _systems(systems, ALL_SYSTEMS)
    try:
        from index.retriever import load

        retriever = load(index_dir, model_dir=model_dir, expect_backend=expected_backend(backend))
        if abstention is not None:
            from dataclasses import replace

            retriever = retriever.with_config(replace(retriever.config, abstention=abstention))
    except CommissionQAError as exc:
        err.print(f"[red]error:[/red] cannot load the index at {index_dir}: {exc.message}")
        raise typer.Exit(2) from None
    sets = _gold_sets(gold, retriever)
    rows = suite.run_suite(sets, names, retriever)
    table = Table(title=f"{len(sets)} gold sets on {index_dir}")
    for col in ("set", "system", "n", *(LABELS[c] for c in suite.COLUMNS)):
        table.add_column(col)

    def fmt(value: float | None, metric: str) -> str:
        return "n/a" if value is None else f"{value:.0f}" if metric.startswith("median") else f"{value:.3f}"

    for r in rows:
        table.add_row(r.gold, r.system, str(r.questions), *(fmt(r.metrics.get(c), c) for c in suite.COLUMNS))
    for name in names:
        table.add_row("[b]pooled[/b]", name, str(sum(r.questions for r in rows if r.system == name)),
                      *(fmt(suite.pooled(rows, name, c), c) for c in suite.COLUMNS))
    console.print(table)
    if out is not None:
        console.print(f"wrote {suite.write(rows, out)}")


def train_abstention_command(
    gold: Annotated[list[Path], typer.Option("--gold", help="A development gold set (JSON lines); "
                                             "repeat for each set (each is one fold)")],
    index_dir: Annotated[Path, typer.Option("--index-dir", help="Index of the evaluation "
                                            "corpus")] = Path("var/index-eval"),
    out: Annotated[Path, typer.Option(help="Where to write the model (JSON)")] =
        Path("index/abstention/model.json"),
    max_false: Annotated[float, typer.Option(min=0.0, max=0.5, help="Largest share of "
                                             "answerable questions it may abstain on (CV)")] = 0.05,
) -> None:
    """Train the abstention model (a logistic regression over the answer's features) on
    development gold sets; print its cross-validated figures beside the rules'. Needs
    scikit-learn (the dev extra). Exit 2: missing index or bad gold set."""
    from rich.table import Table

    from core.errors import CommissionQAError
    from index.abstention import train

    try:
        from encoders.registry import apply_overrides
        from index.retriever import RetrieverConfig, load

        rules = RetrieverConfig(abstention="rules")  # the model being replaced may not load
        retriever = load(index_dir, config=rules)
        retriever = retriever.with_config(apply_overrides(rules, retriever.encoder.info))
    except CommissionQAError as exc:
        err.print(f"[red]error:[/red] cannot load the index at {index_dir}: {exc.message}")
        raise typer.Exit(2) from None
    sets = _gold_sets(gold, retriever)
    questions = [train.Question(i.id, Path(s.path).stem, i.question, i.answerable)
                 for s in sets for i in s.items]
    try:
        result = train.fit(train.collect(retriever, questions), max_false,
                           retriever.encoder.info.key)
    except CommissionQAError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from None

    def f(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.3f}"

    table = Table(title=f"abstention, leave-one-set-out CV (C={result.c}, "
                        f"threshold {result.model.threshold:.3f})")
    for col in ("set", "n", "model abst. R", "model answerable", "rules abst. R", "rules answerable"):
        table.add_column(col)
    for name, m in result.cv.items():
        r = result.rules[name]
        table.add_row(name, str(m.questions), f(m.recall), f(m.answerable_rate), f(r.recall),
                      f(r.answerable_rate))
    console.print(table)
    console.print("regularisation tried (pooled CV): " + "; ".join(
        f"C={c}: R {f(m.recall)}, answerable {f(m.answerable_rate)}" for c, m in result.by_c.items()))
    console.print(f"wrote {result.model.save(out)}")


def register(app: typer.Typer) -> None:
    """Add the evaluation commands to the project's CLI (called once from commission_qa.cli)."""
    app.command("eval")(eval_command)
    app.command("eval-beir")(eval_beir_command)
    app.command("eval-suite")(eval_suite_command)
    app.command("train-abstention")(train_abstention_command)


def _gold_sets(paths: list[Path], retriever) -> list:  # noqa: ANN001
    """The gold sets, each checked against the index's documents; exit 2 on a bad one."""
    from eval.gold import GoldError, load_gold

    texts = [d.text for d in retriever.documents.values()]
    try:
        return [load_gold(g, texts) for g in paths]
    except GoldError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
