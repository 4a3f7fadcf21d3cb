"""Slow request heads against the real service (loopback only, bounded in count and time):

1. ``connections`` connections (default 4,000) that each send the start of a request head and
   then one more byte every 2 s, never finishing it — while a prober sends ordinary requests
   (a new connection each, GET /healthz and POST /v1/ask) every 0.1 s;
2. four connections that each send an unfinished header of up to 50 MB.

The service runs with an open-files limit of ``nofile`` (default 1,024, as ``ulimit -n 1024``).
Reported: the ordinary requests answered and their latency, how many slow connections the
service closed, the service's RSS before and at its peak, and the bytes each 50 MB header got
through before the service closed it."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.common import OUT_DIR, ROOT, Report, Row, console, percentiles, rss_mb, show
from bench.server import _wait_ready, free_port, questions, sample_index

HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


def _start(index: Path, port: int, nofile: int) -> subprocess.Popen:
    def limit() -> None:  # in the child, before exec: like `ulimit -n NOFILE`
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    log = open(OUT_DIR / "logs" / f"serve-{port}.log", "w")  # the child's output
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "COMMISSION_QA_LOG_LEVEL": "warning"}
    return subprocess.Popen(
        [sys.executable, "-m", "commission_qa", "serve", "--index-dir", str(index), "--host",
         "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env,
        cwd=ROOT, preexec_fn=limit, start_new_session=True)


class Probe:
    """Ordinary requests, each on a new connection, every ``interval`` seconds."""

    def __init__(self, url: str, qs: list[str], interval: float = 0.1) -> None:
        self.url, self.qs, self.interval = url, qs, interval
        self.ok: list[float] = []
        self.failed: dict[str, int] = {}

    async def run(self, until: float) -> None:
        n = 0
        while time.monotonic() < until:
            t = time.perf_counter()
            try:
                async with httpx.AsyncClient(base_url=self.url, timeout=10.0) as client:
                    r = await (client.get("/healthz") if n % 2 else
                               client.post("/v1/ask", json={"question": self.qs[n % len(self.qs)]}))
                if r.status_code == 200:
                    self.ok.append(time.perf_counter() - t)
                else:
                    self.failed[str(r.status_code)] = self.failed.get(str(r.status_code), 0) + 1
            except httpx.HTTPError as exc:
                name = type(exc).__name__
                self.failed[name] = self.failed.get(name, 0) + 1
            n += 1
            await asyncio.sleep(self.interval)


async def slow_heads(port: int, connections: int, until: float) -> dict[str, int]:
    """``connections`` slots, each holding one unfinished head; when the service closes one,
    the slot connects again (after 0.1 s) until the end, as an attacker would."""
    counts = {"opened": 0, "refused": 0, "closed_by_server": 0, "open_at_end": 0}
    gate = asyncio.Semaphore(200)  # connects in flight at once

    async def hold() -> bool:
        """One connection; True when it was still open at the end."""
        async with gate:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port), 10)
                writer.write(HEAD)
                await writer.drain()
            except (OSError, TimeoutError):
                counts["refused"] += 1
                return False
        counts["opened"] += 1
        try:
            while time.monotonic() < until:
                try:
                    if await asyncio.wait_for(reader.read(1024), 2.0) == b"":
                        break
                except TimeoutError:
                    writer.write(b"a")  # one more byte of the header, never finishing it
                    await writer.drain()
            else:
                return True
        except (OSError, ConnectionError):
            pass
        finally:
            writer.close()
        counts["closed_by_server"] += 1
        return False

    async def slot() -> None:
        while time.monotonic() < until:
            if await hold():
                counts["open_at_end"] += 1
                return
            await asyncio.sleep(0.1)

    await asyncio.gather(*(slot() for _ in range(connections)))
    return counts


async def big_head(port: int, limit: int = 50 * 1024 * 1024) -> int:
    """Send an unfinished header of up to ``limit`` bytes; return the bytes written before the
    service closed the connection (they include what the kernel's socket buffers on both sides
    absorbed: the service itself reads one 256 KiB read past its limit at most)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent, block = 0, b"b" * 65536
    writer.write(HEAD)
    try:
        while sent < limit:
            writer.write(block)
            await asyncio.wait_for(writer.drain(), 10)
            sent += len(block)
    except (OSError, ConnectionError, TimeoutError):
        pass
    writer.close()
    return sent


async def _sample_rss(pid: int, until: float, peak: list[float]) -> None:
    while time.monotonic() < until:
        peak[0] = max(peak[0], rss_mb(pid))
        await asyncio.sleep(0.25)


def _attack(port: int, connections: int, until: float, out: multiprocessing.Queue) -> None:
    """The slow heads, in a process of their own: the prober's latency is the service's, not
    that of an event loop busy with thousands of attacking connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, connections + 512)), hard))
    out.put(asyncio.run(slow_heads(port, connections, until)))


async def _scenario(url: str, port: int, pid: int, qs: list[str], connections: int,
                    seconds: float) -> dict:
    peak = [rss_mb(pid)]
    until = time.monotonic() + seconds  # (CLOCK_MONOTONIC: the same in every process)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    attacker = ctx.Process(target=_attack, args=(port, connections, until, results))
    attacker.start()
    probe = Probe(url, qs)
    await asyncio.gather(probe.run(until), _sample_rss(pid, until, peak))
    counts = await asyncio.to_thread(results.get, True, 120)
    attacker.join(30)
    slow_rss = peak[0]
    probe2 = Probe(url, qs)
    until2 = time.monotonic() + 10
    sent, *_ = await asyncio.gather(asyncio.gather(*(big_head(port) for _ in range(4))),
                                    probe2.run(until2), _sample_rss(pid, until2, peak))
    return {"counts": counts, "probe": probe, "slow_rss": slow_rss, "sent": sent,
            "probe2": probe2, "big_rss": peak[0]}


def run(connections: int = 4000, seconds: float = 30.0, nofile: int = 1024,
        index_dir: Path | None = None) -> Report:
    if connections > 10_000 or seconds > 300:
        raise SystemExit("bounded: at most 10,000 connections and 300 s")
    index = sample_index(index_dir)
    qs, _ = questions(index, 100)
    (OUT_DIR / "logs").mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = _start(index, port, nofile)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, url, time.perf_counter(), 120, OUT_DIR / "logs" / f"serve-{port}.log")
        rss0 = rss_mb(proc.pid)
        out = asyncio.run(_scenario(url, port, proc.pid, qs, connections, seconds))
        alive = proc.poll() is None
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    c, p, p2 = out["counts"], out["probe"], out["probe2"]
    lat = percentiles(p.ok, (50, 99, 100))
    console.print(f"slow heads: {c}; probes ok {len(p.ok)}, failed {p.failed}; p50 "
                  f"{lat['p50']:.0f} p99 {lat['p99']:.0f} max {lat['p100']:.0f} ms; RSS "
                  f"{rss0:.0f} → peak {out['slow_rss']:.0f} MiB")
    console.print(f"50 MB heads: bytes sent before close {out['sent']}; probes ok {len(p2.ok)}, "
                  f"failed {p2.failed}; RSS peak {out['big_rss']:.0f} MiB; alive {alive}")
    failed, failed2 = sum(p.failed.values()), sum(p2.failed.values())
    rows = [
        Row(f"slow heads: connections opened ({connections} slots)", c["opened"], ""),
        Row("slow heads: closed by the service", c["closed_by_server"], ""),
        Row("slow heads: still open at the end", c["open_at_end"], ""),
        Row("ordinary requests answered during slow heads", len(p.ok), "",
            target="all", met=failed == 0 and len(p.ok) > 0),
        Row("ordinary requests failed during slow heads", failed, "", target="0",
            met=failed == 0),
        Row("ordinary requests p50 during slow heads", lat["p50"], "ms"),
        Row("ordinary requests p99 during slow heads", lat["p99"], "ms"),
        Row("service RSS before", rss0, "MiB"),
        Row("service RSS peak during slow heads", out["slow_rss"], "MiB", rss0, "before"),
        Row("50 MB heads: most bytes written before the close (with socket buffers)",
            max(out["sent"]) / 1024, "KiB"),
        Row("ordinary requests failed during 50 MB heads", failed2, "", target="0",
            met=failed2 == 0),
        Row("service RSS peak during 50 MB heads", out["big_rss"], "MiB", rss0, "before"),
    ]
    return Report("slowloris", rows, {"connections": connections, "seconds": seconds,
                                      "nofile": nofile, "service_alive": alive,
                                      "probe_failures": p.failed, "counts": c})


def main(connections: int, seconds: float, nofile: int, index_dir: Path | None,
         json_out: bool) -> None:
    show(run(connections, seconds, nofile, index_dir), json_out)
