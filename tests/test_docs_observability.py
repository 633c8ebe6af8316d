"""docs/observability.md: its examples run offline, in order, in one namespace (each asserts
what it shows); the OpenTelemetry ones (marked ``# requires: typedllm[otel]``) only with the
SDK installed."""

from __future__ import annotations

import importlib.util

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("observability.md")


def _has_otel_sdk() -> bool:
    # find_spec of a submodule raises when the parent package itself is missing.
    return importlib.util.find_spec("opentelemetry") is not None and (
        importlib.util.find_spec("opentelemetry.sdk") is not None
    )


OTEL = "# requires: typedllm[otel]"
PLAIN = [b for b in BLOCKS if not b.startswith(OTEL)]


def test_the_document_has_examples() -> None:
    assert len(PLAIN) >= 3
    assert len(BLOCKS) - len(PLAIN) >= 4


def test_the_logger_and_hook_examples_run_offline() -> None:
    run_blocks("observability.md", PLAIN)


@pytest.mark.skipif(
    not _has_otel_sdk(),
    reason="OpenTelemetry is optional: pip install 'typedllm[otel]'",
)
def test_the_opentelemetry_examples_run_offline() -> None:
    run_blocks("observability.md", BLOCKS)


def test_an_example_that_is_wrong_fails() -> None:
    namespace: dict[str, object] = {}
    exec(compile(PLAIN[0], "logger", "exec"), namespace)
    broken = PLAIN[1].replace('(2, 500, "InternalServerError")', '(2, 500, "RateLimitError")')
    assert broken != PLAIN[1]
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), namespace)
