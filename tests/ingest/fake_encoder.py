"""A fast stand-in for the embedding model (unit vectors derived from each text's hash, the real
model's identity in the manifest) and tiny corpora, for tests that run many ingests; also runs
one ingest in a child process: ``python -m tests.ingest.fake_encoder CORPUS INDEX WAIT``."""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

RECORD = """{title}
Wednesday {day}rd of March 2021
{place}
Speakers: Nora Example, Director of {place}
· Ferry timetables make clinic appointments hard to reach for residents of {place}
· Evening clinics are proposed as a pilot for next spring in {place}
· Transport vouchers for patients travelling to the hospital from {place}
"""


def write_corpus(folder: Path, places: Sequence[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, place in enumerate(places, start=1):
        (folder / f"2021-03-{n:02d}_{place.lower().replace(' ', '-')}.txt").write_text(
            RECORD.format(title=f"{place} Meeting", day=n, place=place), encoding="utf-8")
    return folder


class FakeEncoder:
    """Deterministic unit vectors; ``gate``: when set, ``encode`` signals ``entered`` and waits
    for ``gate`` (to hold an ingest in the middle of its build)."""

    def __init__(self, info, gate: threading.Event | None = None) -> None:
        self.info = info
        self.gate, self.entered = gate, threading.Event()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if self.gate is not None:
            self.entered.set()
            self.gate.wait(60)
        out = np.zeros((len(texts), self.info.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.info.dim)
            out[i] = v / np.linalg.norm(v)
        return out


def main(argv: list[str]) -> int:
    from core.errors import IndexBusy
    from encoders.embedding import locate_model
    from ingest.pipeline import IngestOptions, ingest

    corpus, target, wait = Path(argv[0]), Path(argv[1]), float(argv[2])
    try:
        report = ingest([corpus], target, IngestOptions(onnx=False),
                        encoder=FakeEncoder(locate_model(None)), wait=wait)
    except IndexBusy:
        return 4
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
