"""Start the real service (`commission-qa serve`) on a loopback port for a benchmark, build the
sample index, and pick benchmark questions."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import GOLD, OUT_DIR, ROOT, SAMPLE_CORPUS


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    ready_seconds: float  # process start → /readyz 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(index_dir: Path, encoder: str = "auto", threads: int = 1, workers: int = 1,
          timeout: float = 120.0, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run the service until the block ends; yields once /readyz answers 200."""
    port = free_port()
    log_path = OUT_DIR / "logs" / f"serve-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    environ = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "COMMISSION_QA_ENCODER": encoder, "COMMISSION_QA_ENCODER_THREADS": str(threads),
               "COMMISSION_QA_LOG_LEVEL": "warning", **(env or {})}
    with open(log_path, "w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "commission_qa", "serve", "--index-dir", str(index_dir),
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            stdout=log, stderr=subprocess.STDOUT, env=environ, cwd=ROOT,
            start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            ready = _wait_ready(proc, url, t0, timeout, log_path)
            yield Server(url, proc.pid, ready)
        finally:
            stop_group(proc)


def _wait_ready(proc: subprocess.Popen, url: str, t0: float, timeout: float, log: Path) -> float:
    with httpx.Client(timeout=2.0) as client:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}; see {log}")
            try:
                if client.get(f"{url}/readyz").status_code == 200:
                    return time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
    raise RuntimeError(f"server not ready after {timeout:.0f}s; see {log}")


def sample_index(index_dir: Path | None = None) -> Path:
    """The sample corpus's index (built or updated in bench/out/index-sample by default)."""
    if index_dir is not None:
        return index_dir
    from ingest.pipeline import ingest

    target = OUT_DIR / "index-sample"
    report = ingest([SAMPLE_CORPUS], target)
    if report.exit_code != 0:
        raise RuntimeError(f"ingest of the sample corpus failed: {report.failed}")
    return target


TEMPLATES = ("What was said about {s}?", "What did {s} ask of the panel?",
             "What are the key priorities in {s}?", "Summarise the discussion on {s}",
             "Which challenges were raised for {s}?", "What recommendations concern {s}?",
             "Who spoke about {s} and what did they say?", "What evidence was given on {s}?",
             "What problems does {s} face?", "How is {s} being addressed?",
             "What should the commission do about {s}?", "Tell me about {s}")
TOPICS = ("health inequalities", "mental health", "housing", "transport", "funding",
          "data sharing", "prevention", "young people", "poverty", "accountability",
          "workforce", "integrated care", "primary care", "the voluntary sector",
          "life expectancy", "deprivation", "co-production", "governance", "digital exclusion",
          "social prescribing", "rural communities", "coastal towns", "obesity", "smoking",
          "children and families", "older people", "employment", "education", "leadership",
          "commissioning")


def questions(index_dir: Path, n: int) -> tuple[list[str], str]:
    """Up to ``n`` distinct questions: the gold set first, then templates over the index's
    section names and topics. Returns (questions, where they came from)."""
    out: list[str] = []
    source = "templates over section names"
    if GOLD.is_file():
        for line in GOLD.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line).get("question")
                if isinstance(q, str) and q.strip() and q not in out:
                    out.append(q)
        source = f"{len(out)} gold questions ({GOLD.relative_to(ROOT)}) + templates"
    from index import store

    gen = store.resolve(Path(index_dir))
    names = sorted({json.loads(r)["section"] for r in (gen / store.CHUNKS_FILE).open()
                    if r.strip()})
    subjects = [s for s in names if s] + list(TOPICS)
    for template in TEMPLATES:
        for s in subjects:
            q = template.format(s=s)
            if q not in out:
                out.append(q)
    return out[:n], source


def timed_asks(url: str, qs: list[str], warmup: list[str], timeout: float = 60.0
               ) -> tuple[list[float], int]:
    """One keep-alive client: ``warmup`` untimed, then each of ``qs`` timed (request and JSON
    decoding). Returns the seconds per question and the number of non-200 answers."""
    times: list[float] = []
    errors = 0
    with httpx.Client(base_url=url, timeout=timeout) as client:
        for q in warmup:
            client.post("/v1/ask", json={"question": q, "k": 5})
        for q in qs:
            t = time.perf_counter()
            r = client.post("/v1/ask", json={"question": q, "k": 5})
            r.json()
            times.append(time.perf_counter() - t)
            errors += r.status_code != 200
    return times, errors


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a server started in its own session: SIGTERM to its process group, SIGKILL after 15 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
