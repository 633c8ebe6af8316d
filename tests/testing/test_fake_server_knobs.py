"""The fake server's latency, jitter and error-rate knobs, as parameters and on the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import typedllm as tl
from typedllm.testing import FakeProvider, FakeServer, serve
from typedllm.testing._server import Faults, main, parse_seconds

ROOT = Path(__file__).resolve().parents[2]
CHAT = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def _post(client: httpx.Client, base_url: str) -> httpx.Response:
    return client.post(f"{base_url}/chat/completions", json=CHAT)


def test_durations_parse_in_ms_s_or_plain_seconds() -> None:
    assert parse_seconds("50ms") == pytest.approx(0.05)
    assert parse_seconds("0.25s") == pytest.approx(0.25)
    assert parse_seconds("2") == 2.0
    assert parse_seconds(" 10MS ") == pytest.approx(0.01)
    for bad in ("fast", "-5ms", "nan", "inf"):
        with pytest.raises(ValueError):
            parse_seconds(bad)


def test_latency_delays_every_answer() -> None:
    with serve(latency=0.15) as server, httpx.Client() as client:
        _post(client, server.base_url)  # the connection is open: only the latency is timed
        started = time.perf_counter()
        for _ in range(3):
            assert _post(client, server.base_url).status_code == 200
        took = time.perf_counter() - started
    assert took >= 3 * 0.15
    assert took < 3 * 0.15 + 1.0


def test_no_knobs_means_no_delay() -> None:
    with serve() as server, httpx.Client() as client:
        _post(client, server.base_url)
        started = time.perf_counter()
        for _ in range(5):
            _post(client, server.base_url)
        assert time.perf_counter() - started < 0.5


def test_jitter_spreads_the_delay_around_the_latency_reproducibly() -> None:
    a = Faults(latency=0.05, jitter=0.02, seed=3)
    b = Faults(latency=0.05, jitter=0.02, seed=3)
    delays = [a.draw()[0] for _ in range(500)]
    assert delays == [b.draw()[0] for _ in range(500)]  # the seed fixes the draws
    assert all(0.03 <= d <= 0.07 for d in delays)
    assert min(delays) < 0.035 and max(delays) > 0.065  # the whole range is used
    assert len(set(delays)) > 400
    # The jitter never makes a delay negative.
    assert all(d >= 0 for d, _ in (Faults(latency=0.001, jitter=0.05).draw() for _ in range(200)))


def test_jitter_reaches_the_wire() -> None:
    with serve(jitter=0.1, seed=1) as server, httpx.Client() as client:
        _post(client, server.base_url)
        took = []
        for _ in range(6):
            started = time.perf_counter()
            _post(client, server.base_url)
            took.append(time.perf_counter() - started)
    assert max(took) - min(took) > 0.01  # not all the same delay
    assert max(took) < 0.1 + 0.5


def test_error_rate_injects_500s_and_429s_with_retry_after() -> None:
    with serve(error_rate=0.3, seed=11, retry_after=0.25) as server, httpx.Client() as client:
        responses = [_post(client, server.base_url) for _ in range(200)]
    statuses = [r.status_code for r in responses]
    errors = [s for s in statuses if s != 200]
    assert set(statuses) == {200, 429, 500}
    assert 30 <= len(errors) <= 90  # about 30% of 200
    assert server.faults.injected == {429: statuses.count(429), 500: statuses.count(500)}
    limited = next(r for r in responses if r.status_code == 429)
    assert limited.headers["retry-after"] == "1"  # whole seconds, rounded up
    assert limited.headers["retry-after-ms"] == "250"
    # In the provider's error shape, so the client reads it as a typed error.
    assert limited.json()["error"]["type"] == "rate_limit_error"
    # Errors are injected before the provider: only the requests that got through reach it.
    assert server.provider.calls == statuses.count(200)


def test_the_seed_makes_the_injected_errors_reproducible() -> None:
    def run() -> list[int]:
        with serve(error_rate=0.5, seed=5) as server, httpx.Client() as client:
            return [_post(client, server.base_url).status_code for _ in range(40)]

    first = run()
    assert first == run()
    assert len(set(first)) == 3


def test_a_client_retries_through_injected_errors() -> None:
    with serve(error_rate=0.2, seed=2, retry_after=0.01) as server:
        llm = (
            tl.openai_compatible(server.base_url)
            .model("m")
            .retry_policy(tl.RetryPolicy(max_attempts=8, backoff_base=0.001, backoff_cap=0.01))
            .build()
        )
        with llm:
            answers = [llm.complete(f"q{i}") for i in range(40)]
    assert answers == [f"[fake answer] q{i}" for i in range(40)]
    injected = sum(server.faults.injected.values())
    assert injected > 0
    assert server.provider.calls == 40  # every item answered once, after its retries


def test_knobs_are_checked() -> None:
    for bad in (
        {"latency": -1.0},
        {"jitter": float("nan")},
        {"error_rate": 1.5},
        {"retry_after": -0.1},
        {"latency": "50ms"},
    ):
        with pytest.raises(ValueError):
            FakeServer(FakeProvider(), **bad)  # checked before the socket is bound


def test_cli_rejects_bad_knobs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--latency", "soon", "--duration", "0"])
    assert exit_info.value.code == 2
    assert "not a duration" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--error-rate", "2", "--port", "0", "--duration", "0"])
    assert "error_rate must be between 0 and 1" in capsys.readouterr().err


def test_cli_knobs(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "typedllm.testing", "--port", str(port), "--duration", "20"]
    command += ["--latency", "120ms", "--jitter", "10ms", "--error-rate", "0.5", "--seed", "4"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"127.0.0.1:{port}" in line
        assert "latency=0.12" in line and "error_rate=0.5" in line
        base_url = f"http://127.0.0.1:{port}/v1"
        with httpx.Client() as client:
            _post(client, base_url)
            started = time.perf_counter()
            statuses = [_post(client, base_url).status_code for _ in range(8)]
            took = time.perf_counter() - started
        assert took >= 8 * 0.11
        assert set(statuses) - {200} and 200 in statuses
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
