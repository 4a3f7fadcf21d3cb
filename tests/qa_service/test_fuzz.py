"""Property-based fuzzing of the HTTP API from its own OpenAPI schema (schemathesis), in-process.

Every operation gets positive (schema-valid) and negative (schema-violating) requests; every
response must be a non-5xx, documented status with a body that matches the documented schema
(errors included: the one ``{"error": {...}}`` shape), and negative data must be rejected.
Deterministic (derandomized hypothesis, no example database)."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from qa_service.app import create_app
from qa_service.settings import Settings

# examples per (operation, mode); /v1/ask is where the input surface is
EXAMPLES = {"/v1/ask": 420, "/v1/documents/{document_id}": 200}
DEFAULT_EXAMPLES = 60  # operations without inputs have a single distinct request
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# positive_data_acceptance is left out on purpose: some schema-valid bodies are rejected by
# rules JSON Schema cannot state (a whitespace-only question, date_from after date_to).


@pytest.fixture(scope="module")
def api_schema(built_index, encoder):
    app = create_app(Settings(index_dir=built_index), encoder=encoder)
    with TestClient(app):  # runs the lifespan: the index is loaded
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        yield schema


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(op, mode: GenerationMode, calls: Counter, statuses: Counter,
          failures: dict[str, str]) -> None:
    """Send ``EXAMPLES`` generated requests to one operation; record statuses and failures
    (one per distinct failure message, without shrinking)."""
    label = f"{op.method.upper()} {op.path}"
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES.get(op.path, DEFAULT_EXAMPLES), derandomize=True,
              database=None, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        try:
            response = case.call_and_validate(checks=checks)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported below
            key = f"{label} [{mode.value}] {type(exc).__name__}: {str(exc)[:300]}"
            failures.setdefault(key, str(exc)[:2000])
            calls[label] += 1
            return
        calls[label] += 1
        statuses[response.status_code] += 1

    run()


def test_fuzz_every_operation(api_schema):
    ops = _operations(api_schema)
    paths = {op.path for op in ops}
    assert {"/v1/ask", "/v1/documents", "/v1/documents/{document_id}", "/v1/admin/reload",
            "/healthz", "/readyz"} <= paths
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: dict[str, str] = {}
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(op, mode, calls, statuses, failures)
            except Unsatisfiable:
                if mode is GenerationMode.NEGATIVE:
                    continue  # an operation without inputs has no negative case
                raise
    total = sum(calls.values())
    print(f"\nfuzz: {total} requests; per operation {dict(calls)}; statuses {dict(statuses)}")
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
    assert total >= 1000
    assert not [s for s in statuses if s >= 500]
    assert {f"{op.method.upper()} {op.path}" for op in ops} <= set(calls)
    assert any(400 <= s < 500 for s in statuses) and 200 in statuses
