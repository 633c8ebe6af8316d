"""Streaming scaling: a structured list of 1,000 and of 8,000 items from a loopback server.

Client CPU time must grow linearly with the answer (the 8k/1k ratio close to 8: a parser that
re-reads the whole buffer on every delta would show ~64). Also reported: client CPU per delta,
and the CPU ratio of typedllm's streaming to a raw loop that only reads the SSE bytes.

    python benchmarks/streaming.py
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time

import httpx
from pydantic import BaseModel

import typedllm as tl

SERVER = textwrap.dedent(
    """
    import sys, threading
    from typedllm.testing import FakeProvider, FakeServer
    n, port = int(sys.argv[1]), int(sys.argv[2])
    items = [{"name": f"city {i}", "population": i * 1000, "tags": ["a", "b"]} for i in range(n)]
    server = FakeServer(FakeProvider(responder=lambda body: {"result": items}), port=port).start()
    threading.Event().wait(600)
    """
)


class City(BaseModel):
    name: str
    population: int
    tags: list[str]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _measure(n: int) -> tuple[float, float, int]:
    port = _port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(n), str(port)])
    try:
        base = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(base)
                break
            except httpx.ConnectError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        llm = tl.openai().model("gpt-4o-mini").api_key("bench").base_url(base).build()
        # Raw floor: read the same SSE body, doing nothing with it.
        request = llm.request_for("x", schema=list[City], stream=True)
        with httpx.Client() as raw:
            cpu0 = time.process_time()
            with raw.stream(
                "POST", request.url, headers=dict(request.headers), content=request.body
            ) as r:
                for _ in r.iter_bytes():
                    pass
            raw_cpu = time.process_time() - cpu0
        cpu0 = time.process_time()
        deltas = 0
        with llm, llm.stream("x", schema=list[City]) as stream:
            for _ in stream.items():
                deltas += 1
            result = stream.final()
        typed_cpu = time.process_time() - cpu0
        assert len(result) == n
        return typed_cpu, raw_cpu, len(stream.completion.raw_text or "")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    small = _measure(1000)
    large = _measure(8000)
    for n, (cpu, raw, size) in ((1000, small), (8000, large)):
        print(
            f"{n:5d} items: {size / 1e6:.2f} MB JSON, client CPU {cpu * 1e3:8.1f} ms "
            f"(raw SSE read {raw * 1e3:6.1f} ms, ratio {cpu / raw:.1f}x)"
        )
    print(f"8k/1k client CPU ratio: {large[0] / small[0]:.2f} (linear = 8)")


if __name__ == "__main__":
    main()
