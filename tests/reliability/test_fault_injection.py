"""Fault injection: 200 concurrent calls against a loopback server that fails 20% of requests
(HTTP 500, connection reset, no answer). Every call must end, in its answer or a typed error
matching the last failure it met, and the server must have seen exactly the requests the retry
policy allows: a call that got an answer sent nothing more, and a call that failed used all its
attempts."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import typedllm as tl

CALLS = 200
ATTEMPTS = 3
TIMEOUT = 2.0  # the client's per-request timeout
STALL = 4.0  # how long a "stalled" request goes unanswered (longer than the timeout)
EXPECTED_ERROR = {
    "500": tl.InternalServerError,
    "reset": tl.APIConnectionError,
    "stall": tl.APITimeoutError,
}


@pytest.fixture
def fault_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    log = tmp_path / "requests.log"
    script = Path(__file__).with_name("_fault_server.py")
    process = subprocess.Popen(
        [sys.executable, str(script), str(log), "16", "0.2", str(STALL)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}/v1", log
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=STALL + 5)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def _requests_by_call(log: Path) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = defaultdict(list)
    for line in log.read_text().splitlines():
        call, outcome = line.split()
        seen[call].append(outcome)
    return seen


async def test_every_call_ends_typed_and_the_request_count_matches_the_policy(
    fault_server: tuple[str, Path],
) -> None:
    url, log = fault_server
    # One connection per concurrent call: no call waits for the pool (a pool timeout would
    # be a timeout the server never saw).
    limits = httpx.Limits(max_connections=CALLS * 2, max_keepalive_connections=CALLS * 2)
    async with httpx.AsyncClient(limits=limits) as http:
        llm = (
            tl.openai_compatible(url)
            .model("m")
            .timeout(TIMEOUT)
            .retry_policy(tl.RetryPolicy(max_attempts=ATTEMPTS, backoff_base=0.01, jitter=0))
            .async_http_client(http)
            .build()
        )

        async def one(i: int) -> str | BaseException:
            options = tl.CallOptions(extra_headers={"x-call": str(i)})
            try:
                return await llm.acomplete(f"call {i}", options=options)
            except tl.TypedLLMError as error:
                return error

        # No call may hang: the whole run is bounded well above its worst case.
        results = await asyncio.wait_for(
            asyncio.gather(*(one(i) for i in range(CALLS))), timeout=ATTEMPTS * STALL + 60
        )

    seen = _requests_by_call(log)
    assert set(seen) == {str(i) for i in range(CALLS)}
    failures = {"500": 0, "reset": 0, "stall": 0}
    for i, result in enumerate(results):
        outcomes = seen[str(i)]
        for outcome in outcomes:
            if outcome != "ok":
                failures[outcome] += 1
        if "ok" in outcomes:
            first_ok = outcomes.index("ok")
            assert first_ok == len(outcomes) - 1, f"call {i} sent more after its answer: {outcomes}"
            assert first_ok < ATTEMPTS
            assert result == f"ok-{i}", f"call {i}: {outcomes} but got {result!r}"
        else:
            assert len(outcomes) == ATTEMPTS, f"call {i} stopped early: {outcomes}: {result!r}"
            expected = EXPECTED_ERROR[outcomes[-1]]
            assert isinstance(result, expected), f"call {i}: {outcomes} but got {result!r}"
            if expected is tl.APIConnectionError:
                assert not isinstance(result, tl.APITimeoutError)
    # The run exercised every kind of failure, at about the injected rate.
    assert all(count > 0 for count in failures.values()), failures
    total = sum(len(v) for v in seen.values())
    assert 0.1 < sum(failures.values()) / total < 0.3
