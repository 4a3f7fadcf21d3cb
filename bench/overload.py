"""Overload: many more concurrent clients than the service can answer quickly (default 200 for
30 s, loopback only). With load shedding (``COMMISSION_QA_MAX_INFLIGHT``) the requests admitted
are answered fast and the rest get 503 with Retry-After at once; the baseline, measured in the
same run, is the same service with shedding off (every request waits in the queue).

Clients behave like the chat page and well-behaved scripts: after a 503 they wait for the
Retry-After seconds before asking again (``--no-retry-after``: they ask again at once)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import Report, Row, console, percentiles, show, tree_rss_mb
from bench.server import questions, sample_index, serve

NO_SHEDDING = 10_000  # the highest COMMISSION_QA_MAX_INFLIGHT: never reached here


@dataclass
class Tally:
    accepted: list[float] = field(default_factory=list)  # seconds, 200 answers
    shed: list[float] = field(default_factory=list)  # seconds, 503 overloaded answers
    other: dict[str, int] = field(default_factory=dict)  # anything else: status or exception

    def error(self, what: str) -> None:
        self.other[what] = self.other.get(what, 0) + 1


class Connection:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: the load generator shares the
    service's two cores, and httpx costs several times more CPU per request than this."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_json(self, path: str, payload: dict) -> tuple[int, dict[str, str]]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        body = json.dumps(payload).encode()
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: "
                          f"application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                          + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (ln.partition(":") for ln in lines[1:] if ln)}
        await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def drive(url: str, qs: list[str], clients: int, seconds: float,
                honour_retry_after: bool = True) -> tuple[Tally, float]:
    tally = Tally()
    parts = urlsplit(url)
    start = time.perf_counter()
    deadline = start + seconds

    async def one(worker: int) -> None:
        conn = Connection(parts.hostname, parts.port)
        i = worker
        while time.perf_counter() < deadline:
            q = f"{qs[i % len(qs)]} {i}"  # distinct: no query-cache hits
            i += clients
            t = time.perf_counter()
            try:
                status, headers = await asyncio.wait_for(
                    conn.post_json("/v1/ask", {"question": q, "k": 5}), 60)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                tally.error(type(exc).__name__)
                conn.close()
                continue
            took = time.perf_counter() - t
            if status == 200:
                tally.accepted.append(took)
            elif status == 503 and headers.get("retry-after"):
                tally.shed.append(took)
                if honour_retry_after:
                    await asyncio.sleep(min(float(headers["retry-after"]),
                                            max(0.0, deadline - time.perf_counter())))
            else:
                tally.error(str(status))
        conn.close()

    await asyncio.gather(*(one(w) for w in range(clients)))
    return tally, time.perf_counter() - start


def _rows(label: str, tally: Tally, elapsed: float, rss: float,
          base: Tally | None = None) -> list[Row]:
    p = percentiles(tally.accepted, (50, 95, 99, 100))
    s = percentiles(tally.shed, (50, 99))
    b = percentiles(base.accepted, (50, 95, 99, 100)) if base else {}
    other = sum(tally.other.values())
    console.print(f"{label}: {len(tally.accepted)} answered ({len(tally.accepted) / elapsed:.1f}/s)"
                  f", {len(tally.shed)} shed, other {tally.other or 0}; accepted p50 "
                  f"{p['p50']:.0f} p95 {p['p95']:.0f} p99 {p['p99']:.0f} max {p['p100']:.0f} ms;"
                  f" shed p99 {s['p99']:.1f} ms; RSS {rss:.0f} MiB")
    shedding = base is not None
    return [
        Row(f"{label}: answered 200 per second", len(tally.accepted) / elapsed, "req/s",
            len(base.accepted) / elapsed if base else None, "no shedding"),
        Row(f"{label}: accepted p50", p["p50"], "ms", b.get("p50"), "no shedding"),
        Row(f"{label}: accepted p95", p["p95"], "ms", b.get("p95"), "no shedding"),
        Row(f"{label}: accepted p99", p["p99"], "ms", b.get("p99"), "no shedding",
            "≤ 1000 ms" if shedding else "", p["p99"] <= 1000 if shedding else None),
        Row(f"{label}: accepted max", p["p100"], "ms", b.get("p100"), "no shedding"),
        Row(f"{label}: shed (503 + Retry-After)", len(tally.shed), "requests"),
        Row(f"{label}: shed p99 (time to the 503)", s["p99"], "ms"),
        Row(f"{label}: other errors", other, "", target="0", met=other == 0),
        Row(f"{label}: service RSS", rss, "MiB"),
    ]


def run(clients: int = 200, seconds: float = 30.0, max_inflight: int | None = None,
        honour_retry_after: bool = True, index_dir: Path | None = None) -> Report:
    index = sample_index(index_dir)
    qs, source = questions(index, 500)
    results: dict[str, tuple[Tally, float, float]] = {}
    shed_env = {} if max_inflight is None else {"COMMISSION_QA_MAX_INFLIGHT": str(max_inflight)}
    off = {"COMMISSION_QA_MAX_INFLIGHT": str(NO_SHEDDING), "COMMISSION_QA_MAX_QUEUE_MS": "600000"}
    for label, env in (("no shedding", off), ("shedding", shed_env)):
        with serve(index, env=env) as srv:
            asyncio.run(drive(srv.url, qs[:20], 8, 3.0))  # warm-up
            tally, elapsed = asyncio.run(drive(srv.url, qs, clients, seconds,
                                               honour_retry_after))
            results[label] = (tally, elapsed, tree_rss_mb(srv.pid))
    base = results["no shedding"][0]
    rows = _rows("no shedding", *results["no shedding"])
    rows += _rows("shedding", *results["shedding"], base=base)
    return Report("overload", rows, {"clients": clients, "seconds": seconds,
                                     "max_inflight": max_inflight or "default",
                                     "honour_retry_after": honour_retry_after,
                                     "questions": source})


def main(clients: int, seconds: float, max_inflight: int | None, honour_retry_after: bool,
         index_dir: Path | None, json_out: bool) -> None:
    if clients > 1000 or seconds > 600:
        raise SystemExit("bounded: at most 1000 clients and 600 s")
    show(run(clients, seconds, max_inflight, honour_retry_after, index_dir), json_out)
