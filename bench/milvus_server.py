"""Run ``milvus-lite server`` (Milvus Lite's gRPC server over one data folder) on a loopback
port: the way several processes — service workers, replicas, an ingest — share one Milvus Lite
index. A ``.db`` URI opens Milvus Lite inside one process only; a second process is refused."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.server import free_port, stop_group


@contextmanager
def lite_server(data_dir: Path, timeout: float = 60.0) -> Iterator[str]:
    """Yields the server's URI (``http://127.0.0.1:PORT``) once it accepts connections."""
    port = free_port()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"{data_dir.name}.server-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data_dir),
             "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"milvus-lite server exited with {proc.returncode}; see {log}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"milvus-lite server not up after {timeout:.0f}s; "
                                           f"see {log}") from None
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop_group(proc)
