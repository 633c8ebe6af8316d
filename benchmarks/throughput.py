"""Async throughput at concurrency 64: typedllm against the raw aiohttp floor.

Every variant sends the same request (``Client.request_for(PROMPT, schema=Invoice)``: the same
URL, headers and body bytes) to one loopback server in a separate process, and validates the
same answer into ``Invoice``, with 64 workers:

* ``floor``: raw ``aiohttp`` + ``orjson`` + ``Invoice.model_validate_json`` (the floor);
* ``floor-kept``: the same, keeping every ``Invoice`` in a list as ``amap`` keeps every result
  (what holding the results costs the garbage collector, with no library in the way);
* ``httpx``: raw ``httpx.AsyncClient`` + the same parsing;
* ``tl-httpx`` / ``tl-aiohttp``: ``await client.acomplete(PROMPT, schema=Invoice)`` on each
  async driver;
* ``amap-aiohttp`` / ``amap-default``: ``tl.amap(client, inputs, schema=Invoice,
  concurrency=64)`` on a client with the aiohttp driver, and on a client as built (the
  default driver, or whatever amap picks by itself).

Reported: calls per second, client CPU per call and each variant's ratio to the floor measured
in the same round (goal: amap >= 0.7x), as medians over ``--rounds`` interleaved rounds (a
shared machine's speed drifts: one run of each variant in turn would compare the floor of one
minute with amap of the next), with the range of the ratios; then the memory of a long run: the
RSS of ``amap_as_completed`` after 5,000 and after 20,000 items (flat: the engine keeps nothing per
finished item) and the peak RSS of ``amap`` over 20,000 items (it returns them all).

The server (``--server fast``, the default) answers every request with one canned answer,
made once by the fake provider for this very request, from an asyncio protocol: it costs a few
microseconds per request, so the client is what is measured. ``--server fake`` uses
``typedllm-fake-server`` itself (a thread per connection: it becomes the bottleneck).
Each variant runs in a fresh interpreter (its own RSS, no warm state from another variant).

    python benchmarks/throughput.py [--calls 5000] [--items 20000] [--rounds 3] [--server fast|fake]
    python benchmarks/throughput.py --profile tl-aiohttp   # cProfile of one variant
    python benchmarks/throughput.py --instructions --calls 1500 --only floor tl-aiohttp
        # instructions per call under valgrind's callgrind: deterministic, for a busy machine

Needs aiohttp (``pip install -e '.[aiohttp]'``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import orjson
from invoice import PROMPT, Invoice, LineItem  # noqa: F401 - LineItem for the answer

import typedllm as tl

CONCURRENCY = 64
VARIANTS = (
    "floor",
    "floor-kept",
    "httpx",
    "tl-httpx",
    "tl-aiohttp",
    "amap-aiohttp",
    "amap-default",
)


def _client(port: int, driver: tl.AsyncDriverName = "httpx") -> tl.Client:
    return (
        tl.openai_compatible(f"http://127.0.0.1:{port}/v1")
        .model("fake")
        .api_key("sk-bench")
        .async_driver(driver)
        .build()
    )


# -- the server ---------------------------------------------------------------------------------


def _canned_answer() -> bytes:
    """The fake provider's answer to this benchmark's request, as a whole HTTP response."""
    from typedllm.testing import FakeProvider

    request = _client(1).request_for(PROMPT, schema=Invoice)
    status, headers, body = FakeProvider().respond(
        request.method, request.url, dict(request.headers), request.body
    )
    assert status == 200, body
    head = f"HTTP/1.1 200 OK\r\ncontent-type: {headers['content-type']}\r\n"
    head += f"content-length: {len(body)}\r\n\r\n"
    return head.encode() + body


class _Canned(asyncio.Protocol):
    """HTTP/1.1 keep-alive: each complete request (head and Content-Length body) gets the
    canned response."""

    answer = b""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.buffer = b""
        sock = transport.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            at = head.find(b"content-length:")
            length = 0
            if at >= 0:
                stop = head.find(b"\r\n", at)
                length = int(head[at + 15 : stop if stop >= 0 else None])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(self.answer)


def _serve(port: int) -> None:
    _Canned.answer = _canned_answer()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(_Canned, "127.0.0.1", port, backlog=1024)
        print("ready", flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(kind: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    if kind == "fast":
        command = [sys.executable, __file__, "--serve", str(port)]
    else:
        command = [sys.executable, "-m", "typedllm.testing", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    server.stdout.readline()  # "ready" / "fake provider listening on ..."
    return server, port


# -- the clients --------------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _workers(n: int, one: Callable[[], Awaitable[Invoice]]) -> None:
    """``n`` calls of ``one`` by CONCURRENCY workers."""
    left = [n]

    async def worker() -> None:
        while left[0] > 0:
            left[0] -= 1
            invoice = await one()
            assert invoice.invoice_number

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def _parse(body: bytes) -> Invoice:
    content = orjson.loads(body)["choices"][0]["message"]["content"]
    return Invoice.model_validate_json(content)


async def _variant(name: str, port: int, calls: int, items: int) -> dict[str, Any]:
    request = _client(port).request_for(PROMPT, schema=Invoice)
    url, headers = request.url, dict(request.headers)
    # The raw loops rebuild the body per call, as a caller with a new prompt each time would.
    body = orjson.loads(request.body)
    extra: dict[str, Any] = {}
    close: Callable[[], Awaitable[None]] | None = None

    if name in ("floor", "floor-kept"):
        import aiohttp

        session = aiohttp.ClientSession()
        close = session.close
        kept: list[Invoice] = []
        keep = kept.append if name == "floor-kept" else None

        async def one() -> Invoice:
            async with session.post(url, data=orjson.dumps(body), headers=headers) as r:
                invoice = _parse(await r.read())
            if keep is not None:
                keep(invoice)
            return invoice

    elif name == "httpx":
        import httpx

        client = httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY))
        close = client.aclose

        async def one() -> Invoice:
            r = await client.post(url, content=orjson.dumps(body), headers=headers)
            return _parse(r.content)

    elif name in ("tl-httpx", "tl-aiohttp"):
        llm = _client(port, "aiohttp" if name == "tl-aiohttp" else "httpx")
        close = llm.aclose

        async def one() -> Invoice:
            return await llm.acomplete(PROMPT, schema=Invoice)

    elif name in ("amap-aiohttp", "amap-default"):
        llm = _client(port, "aiohttp" if name == "amap-aiohttp" else "httpx")
        await tl.amap(llm, [PROMPT] * 200, schema=Invoice, concurrency=CONCURRENCY)  # warm-up
        wall, cpu = time.perf_counter(), time.process_time()
        results = await tl.amap(llm, [PROMPT] * calls, schema=Invoice, concurrency=CONCURRENCY)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert results.summary.failed == 0 and results.summary.done == calls
        del results
        if name == "amap-aiohttp":
            extra = await _memory(llm, items)
        await llm.aclose()
        return {"calls_per_s": calls / wall, "cpu_us": cpu / calls * 1e6, **extra}
    else:
        raise SystemExit(f"unknown variant {name!r}; one of {', '.join(VARIANTS)}")

    await _workers(200, one)  # warm-up: connections, caches
    wall, cpu = time.perf_counter(), time.process_time()
    await _workers(calls, one)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    await close()
    return {"calls_per_s": calls / wall, "cpu_us": cpu / calls * 1e6}


async def _memory(llm: tl.Client, items: int) -> dict[str, Any]:
    """RSS of a long run: amap_as_completed (nothing kept) at 5k and at ``items`` items, then
    the peak of amap over ``items`` (every result kept, in a list it returns)."""
    import gc

    gc.collect()
    seen, rss = 0, {}
    async for result in tl.amap_as_completed(
        llm, [PROMPT] * items, schema=Invoice, concurrency=CONCURRENCY
    ):
        assert result.error is None
        seen += 1
        if seen in (1000, 5000, items):
            gc.collect()
            rss[seen] = _rss_mb()
    before = _rss_mb()
    results = await tl.amap(llm, [PROMPT] * items, schema=Invoice, concurrency=CONCURRENCY)
    held = _rss_mb() - before
    assert results.summary.done == items
    return {
        "rss_1k_mb": rss.get(1000),
        "rss_5k_mb": rss.get(5000),
        "rss_end_mb": rss.get(items),
        "amap_results_mb": held,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _run_variant(name: str, port: int, calls: int, items: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--client", name, "--port", str(port)]
    command += ["--calls", str(calls), "--items", str(items)]
    out = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{name} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _profile(name: str, port: int, calls: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(_variant(name, port, calls, 0))
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)


def _instructions(name: str, port: int, calls: int) -> int:
    """Machine instructions per call of a variant's client process, counted by valgrind's
    callgrind (deterministic, so comparable on a loaded machine where CPU times are not):
    a run of ``calls`` calls minus a run of a fifth as many (start-up and warm-up cancel)."""
    import shutil

    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")

    def total(n: int) -> int:
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
        command += [sys.executable, __file__, "--client", name, "--port", str(port)]
        command += ["--calls", str(n), "--items", "1"]
        out = subprocess.run(command, capture_output=True, text=True, check=False)
        for line in out.stderr.splitlines():
            if "Collected :" in line:
                return int(line.split()[-1])
        raise SystemExit(f"{name} under callgrind failed:\n{out.stderr[-2000:]}")

    small = max(1, calls // 5)
    return (total(calls) - total(small)) // (calls - small)


def _report(rounds: list[dict[str, dict[str, Any]]]) -> None:
    """Per variant: the median calls/s and CPU over the rounds, and the median (and range) of
    its ratio to the floor of the same round."""
    from statistics import median

    print(f"{'variant':<14}{'calls/s':>10}{'CPU us/call':>13}{'vs floor':>10}{'range':>13}")
    for name in rounds[0]:
        runs = [r[name] for r in rounds]
        ratios = [
            r[name]["calls_per_s"] / r["floor"]["calls_per_s"] for r in rounds if "floor" in r
        ]
        ratio = f"{median(ratios):.2f}x" if ratios else "-"
        spread = f"{min(ratios):.2f}-{max(ratios):.2f}" if len(ratios) > 1 else ""
        calls = median(run["calls_per_s"] for run in runs)
        cpu = median(run["cpu_us"] for run in runs)
        print(f"{name:<14}{calls:>10.0f}{cpu:>13.0f}{ratio:>10}{spread:>13}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--server", choices=("fast", "fake"), default="fast")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="run every variant this many times, interleaved; report medians (default 3)",
    )
    parser.add_argument("--only", nargs="*", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--profile", choices=VARIANTS, help="cProfile one variant")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per call under callgrind instead of timing (slow; steady "
        "on a loaded machine)",
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve)
        return
    if args.client:
        result = asyncio.run(_variant(args.client, args.port, args.calls, args.items))
        print(json.dumps(result))
        return
    server, port = _start_server(args.server)
    try:
        if args.profile:
            _profile(args.profile, port, args.calls)
            return
        if args.instructions:
            counts = {name: _instructions(name, port, args.calls) for name in args.only}
            base = counts.get("floor")
            print(f"{'variant':<14}{'instructions/call':>19}{'floor / variant':>17}")
            for name, n in counts.items():
                ratio = f"{base / n:.2f}" if base else "-"
                print(f"{name:<14}{n:>19,}{ratio:>17}")
            return
        print(
            f"{date.today()}  concurrency {CONCURRENCY}, {args.calls} calls per variant, "
            f"{args.rounds} round(s), server: {args.server}, python {sys.version.split()[0]}",
            flush=True,
        )
        rounds: list[dict[str, dict[str, Any]]] = []
        for number in range(args.rounds):
            # The memory run (long) only in the first round; each round runs every variant
            # once, so a machine that slows down or speeds up mid-run moves them together.
            items = args.items if number == 0 else 1
            rounds.append({name: _run_variant(name, port, args.calls, items) for name in args.only})
    finally:
        server.terminate()
        server.wait()
    _report(rounds)
    memory = rounds[0].get("amap-aiohttp", {})
    if all(memory.get(k) is not None for k in ("rss_1k_mb", "rss_5k_mb", "rss_end_mb")):
        print(
            f"memory over {args.items} items (amap-aiohttp): amap_as_completed RSS "
            f"{memory['rss_1k_mb']:.1f} MB at 1k, {memory['rss_5k_mb']:.1f} MB at 5k, "
            f"{memory['rss_end_mb']:.1f} MB at {args.items // 1000}k; amap's {args.items} "
            f"results held {memory['amap_results_mb']:.1f} MB; peak RSS "
            f"{memory['peak_rss_mb']:.1f} MB"
        )


if __name__ == "__main__":
    main()
