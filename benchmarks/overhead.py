"""Per-call overhead of ``complete(schema=Invoice)`` vs a raw httpx + orjson + pydantic loop.

Both loops send the same request to the same loopback fake server (a separate process, so the
server's CPU is not counted) and validate the same answer into ``Invoice``. Reported: wall time
and client CPU time per call, and typedllm/raw ratios (target: CPU ratio under 1.3x).

    python benchmarks/overhead.py [--calls 2000]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time

import httpx
import orjson
from invoice import PROMPT, Invoice, LineItem  # noqa: F401 - LineItem for the answer

import typedllm as tl


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(url)
            return
        except httpx.ConnectError:
            time.sleep(0.05)
    raise RuntimeError("fake server did not start")


def _measure(fn: object, calls: int) -> tuple[float, float]:
    run = fn  # type: ignore[assignment]
    for _ in range(min(50, calls)):  # warm-up: connections, caches
        run()  # type: ignore[operator]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(calls):
        run()  # type: ignore[operator]
    return (time.perf_counter() - wall0) / calls, (time.process_time() - cpu0) / calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "typedllm.testing",
            "--port",
            str(port),
            "--duration",
            "600",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/v1"
        _wait(base)
        llm = (
            tl.openai()
            .model("gpt-4o-mini")
            .api_key("sk-bench")
            .base_url(base)
            .max_reasks(0)
            .build()
        )

        # The raw loop sends byte-for-byte the request typedllm sends.
        wire = llm.request_for(PROMPT, schema=Invoice)
        raw_client = httpx.Client()

        def raw_call() -> Invoice:
            r = raw_client.post(wire.url, content=wire.body, headers=dict(wire.headers))
            content = orjson.loads(r.content)["choices"][0]["message"]["content"]
            return Invoice.model_validate_json(content)

        def typed_call() -> Invoice:
            return llm.complete(PROMPT, schema=Invoice)

        assert raw_call() == typed_call()
        raw_wall, raw_cpu = _measure(raw_call, args.calls)
        typed_wall, typed_cpu = _measure(typed_call, args.calls)
        print(f"calls per loop: {args.calls}")
        print(
            f"raw httpx+orjson+pydantic: {raw_wall * 1e6:8.1f} us wall  {raw_cpu * 1e6:8.1f} us cpu"
        )
        print(
            f"typedllm complete(schema): {typed_wall * 1e6:8.1f} us wall  "
            f"{typed_cpu * 1e6:8.1f} us cpu"
        )
        print(
            f"ratio (wall): {typed_wall / raw_wall:.2f}x   "
            f"ratio (client cpu): {typed_cpu / raw_cpu:.2f}x"
        )
        raw_client.close()
        llm.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
