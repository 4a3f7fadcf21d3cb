"""``commission-qa bench soak``: a long run at many concurrent clients (errors, p99, RSS growth).

Starts ``commission-qa serve`` on a free loopback port (building the index first if there is
none), drives ``POST /v1/ask`` from an httpx async client at ``--clients`` concurrent requests
with distinct questions (no query-cache hits), and prints per minute: requests, errors, p50 and
p99 latency and the server's resident memory (VmRSS from /proc). A warm-up (default 60 s, same
load) comes before the measured minutes so that allocator and cache warm-up are not counted as
growth. The verdict compares the mean RSS of the first and the last measured minute (target:
growth ≤ 10 %) and requires zero errors (warm-up included).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import typer

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("governance prevention budgets housing transport workforce children poverty "
         "deprivation partnership council priorities inequalities coastal mental health "
         "employment schools clinics funding data community anchor institutions").split()
TEMPLATES = ("What did {} say about {}?", "How can {} improve {}?", "{} and {}",
             "Which asks concern {} and {}?", "What are the priorities for {} in {}?")
PLACES = ("Pennine Lancashire", "Fylde Coast", "Morecambe Bay", "North Cumbria",
          "Central Lancashire", "West Lancashire", "the panel", "the ICS")


@dataclass(frozen=True)
class Minute:
    minute: int
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    rss_mb: float


@dataclass(frozen=True)
class SoakResult:
    duration_s: float
    clients: int
    requests: int
    errors: int
    minutes: tuple[Minute, ...]
    rss_growth_pct: float
    error_samples: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.rss_growth_pct <= 10.0


def rss_mb(pid: int) -> float:
    """Resident memory of a process (and its children, for multi-worker servers), in MiB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def question(rng: random.Random, n: int) -> str:
    t = rng.choice(TEMPLATES)
    return t.format(rng.choice(PLACES), rng.choice(WORDS)) + f" ({n})"


async def drive(url: str, pid: int, duration: float, clients: int, seed: int = 1,
                echo=print, warmup: float = 0.0) -> SoakResult:
    """Load for ``warmup`` + ``duration`` seconds; minutes are counted after the warm-up
    (its errors still count)."""
    import httpx

    rng = random.Random(seed)
    samples: list[tuple[float, float, bool]] = []  # (time since start, latency s, ok)
    errors: list[str] = []
    rss: list[tuple[float, float]] = []
    start = time.monotonic() + warmup
    stop = start + duration
    counter = 0

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal counter
        while time.monotonic() < stop:
            counter += 1
            body = {"question": question(rng, counter), "k": rng.choice((3, 5, 10))}
            t0 = time.monotonic()
            try:
                r = await client.post(f"{url}/v1/ask", json=body)
                ok = r.status_code == 200 and "passages" in r.json()
                if not ok and len(errors) < 20:
                    errors.append(f"t={t0 - start:.1f}s: {r.status_code}: {r.text[:200]}")
            except (httpx.HTTPError, ValueError) as exc:
                ok = False
                if len(errors) < 20:
                    errors.append(f"t={t0 - start:.1f}s after {time.monotonic() - t0:.3f}s: "
                                  f"{type(exc).__name__}: {exc!r}")
            samples.append((t0 - start, time.monotonic() - t0, ok))

    async def sample_rss() -> None:
        last_minute = -1
        while time.monotonic() < stop:
            now = time.monotonic() - start
            rss.append((now, rss_mb(pid)))
            minute = int(now // 60) if now >= 0 else -1
            if minute != last_minute and minute > 0:
                done = [s for s in samples if int(s[0] // 60) == minute - 1]
                echo(f"  minute {minute}: {len(done)} requests, "
                     f"{sum(not s[2] for s in done)} errors, RSS {rss[-1][1]:.0f} MiB")
            last_minute = minute
            await asyncio.sleep(2)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await asyncio.gather(sample_rss(), *(client_loop(client) for _ in range(clients)))
    rss.append((time.monotonic() - start, rss_mb(pid)))

    warm = [s for s in samples if s[0] < 0]
    samples = [s for s in samples if s[0] >= 0]
    rss = [r for r in rss if r[0] >= 0]
    if warmup:
        echo(f"  warm-up {warmup:.0f}s: {len(warm)} requests, {sum(not s[2] for s in warm)} "
             "errors (not in the minutes below; errors counted in the total)")
    minutes = []
    n_minutes = max(1, int(-(-duration // 60)))
    for m in range(n_minutes):
        lat = [s[1] * 1000 for s in samples if int(s[0] // 60) == m]
        errs = sum(1 for s in samples if int(s[0] // 60) == m and not s[2])
        mem = [r for t, r in rss if int(t // 60) == m] or [rss[-1][1]]
        minutes.append(Minute(m + 1, len(lat), errs, round(_percentile(lat, .5), 1),
                              round(_percentile(lat, .99), 1), round(sum(mem) / len(mem), 1)))
    first, last = minutes[0].rss_mb, minutes[-1].rss_mb
    return SoakResult(round(time.monotonic() - start, 1), clients, len(samples),
                      sum(1 for s in samples + warm if not s[2]), tuple(minutes),
                      round((last - first) / first * 100, 2) if first else float("nan"),
                      tuple(errors))


def register(app: typer.Typer) -> None:
    """Add the soak command to the bench sub-app."""

    @app.command()
    def soak(
        duration: Annotated[float, typer.Option(help="Seconds of load", min=5)] = 300,
        clients: Annotated[int, typer.Option(help="Concurrent requests", min=1, max=512)] = 32,
        index_dir: Annotated[Path, typer.Option("--index-dir")] = Path("var/index"),
        warmup: Annotated[float, typer.Option(help="Seconds of load before the measured "
                                              "minutes (RSS settles)", min=0)] = 60,
        out: Annotated[Path, typer.Option(help="JSON results")] = Path("bench/out/soak.json"),
        seed: int = 1,
    ) -> None:
        """Serve the index and drive /v1/ask at CLIENTS concurrent requests for DURATION
        seconds: errors, p50/p99 and RSS per minute, RSS growth first→last minute (≤ 10 %)."""
        from rich.console import Console
        from rich.table import Table

        console = Console()
        if not index_dir.exists():
            console.print(f"no index at {index_dir}: building it from data/transcripts")
            from ingest.pipeline import ingest

            ingest([ROOT / "data" / "transcripts"], index_dir)
        out.parent.mkdir(parents=True, exist_ok=True)
        from bench.server import serve

        with serve(index_dir, timeout=180) as server:
            console.print(f"server {server.url} (pid {server.pid}) ready, RSS "
                          f"{rss_mb(server.pid):.0f} MiB; {clients} clients for {warmup:.0f}s "
                          f"warm-up + {duration:.0f}s")
            result = asyncio.run(drive(server.url, server.pid, duration, clients, seed,
                                       console.print, warmup))
        table = Table(title=f"soak: {clients} clients, {result.duration_s:.0f}s")
        for col in ("minute", "requests", "errors", "p50 ms", "p99 ms", "RSS MiB"):
            table.add_column(col, justify="right")
        for m in result.minutes:
            table.add_row(str(m.minute), str(m.requests), str(m.errors), f"{m.p50_ms:.0f}",
                          f"{m.p99_ms:.0f}", f"{m.rss_mb:.0f}")
        console.print(table)
        console.print(f"requests {result.requests}, errors {result.errors}, "
                      f"throughput {result.requests / result.duration_s:.1f}/s, "
                      f"RSS growth first→last minute {result.rss_growth_pct:+.1f}% (target ≤ 10%)")
        for e in result.error_samples[:10]:
            console.print(f"  error: {e}", markup=False)
        out.write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
        console.print(f"{'PASS' if result.ok else 'FAIL'}; results in {out}")
        raise typer.Exit(0 if result.ok else 1)
