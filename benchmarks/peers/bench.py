"""Peer benchmark: the same Invoice extraction through typedllm and its peers.

Peers: typedllm, the official ``openai`` SDK (``chat.completions.parse``), ``instructor``
(``from_openai``), ``pydantic-ai`` (``Agent``) and ``litellm`` (``completion``), all against ONE
loopback fake server in a separate process (``server.py``), measured against raw floors taken in
the same run:

1. sync per-call wall and client CPU time (median over N calls after a warm-up), floor: raw
   httpx + orjson + ``Invoice.model_validate_json``;
2. async throughput at concurrency 64 (calls/s, median of rounds), floors: raw aiohttp and raw
   ``httpx.AsyncClient`` (+ orjson + ``model_validate_json``);
3. structured streaming of a list of 1k and 8k items where the peer streams partial structured
   output, floor: read the SSE stream, decode every event with orjson, validate the joined
   answer once at the end;
4. import time (median of fresh ``python -c "import X"`` processes), floor: the raw loop's own
   imports (httpx, orjson, pydantic).

Every peer call is checked: the result must equal the expected ``Invoice`` (or list of items),
and the server's count of answered requests must have grown by exactly the number of calls the
peer made. A misconfigured peer fails loudly instead of reporting numbers.

Needs its own virtualenv (see README.md beside this file)::

    python benchmarks/peers/bench.py [--calls 500] [--async-calls 2048] [--out report.md]

Never part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# litellm fetches its model price map from the network at import time unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import httpx
import orjson
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/, for invoice
from invoice import PROMPT, Invoice, LineItem  # noqa: F401 - shared with the other benchmarks

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from server import INVOICE, ITEMS  # noqa: E402

MODEL = "gpt-4o-mini"
KEY = "sk-bench"
CONCURRENCY = 64
PEERS = ("typedllm", "openai", "instructor", "pydantic-ai", "litellm")


class Item(BaseModel):
    name: str
    population: int
    tags: list[str]


class Items(BaseModel):
    """For peers that stream an object, not a bare list (openai, instructor Partial)."""

    items: list[Item]


EXPECTED = Invoice.model_validate(INVOICE)
_EXPECTED_DUMP = EXPECTED.model_dump()


def is_expected(result: object) -> bool:
    """An ``Invoice`` (instructor answers with a subclass of it) holding the expected data."""
    return isinstance(result, Invoice) and result.model_dump() == _EXPECTED_DUMP


def list_prompt(n: int) -> str:
    return f"Return a list of {n} items: cities with their population and tags."


# -- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/v1"
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "server.py"), str(self.port), "7200"],
            stdout=subprocess.DEVNULL,
        )
        self._http = httpx.Client()
        deadline = time.monotonic() + 20
        while True:
            try:
                self.requests()
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("the fake server did not start") from None
                time.sleep(0.05)

    def requests(self) -> int:
        """Requests the server has answered (its ``__stats__`` questions excluded)."""
        r = self._http.post(
            f"{self.base}/chat/completions",
            json={"model": "__stats__", "messages": [{"role": "user", "content": "stats"}]},
        )
        r.raise_for_status()
        return int(orjson.loads(r.json()["choices"][0]["message"]["content"])["requests"])

    @contextmanager
    def expect(self, label: str, calls: Callable[[], int]) -> Iterator[None]:
        """Assert the block sent exactly ``calls()`` requests to this server."""
        before = self.requests()
        yield
        got = self.requests() - before
        if got != calls():
            raise AssertionError(f"{label}: expected {calls()} requests at the server, got {got}")

    def stop(self) -> None:
        self._http.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)


# -- peers -----------------------------------------------------------------------------------
#
# Each factory returns the callables for one peer; a peer that cannot do something leaves it
# None with the reason in ``na``.

SyncCall = Callable[[], Any]
AsyncFactory = Callable[[], Awaitable[tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]]]
# A streaming run: n -> (final list of items, seconds to the first item, or None)
StreamRun = Callable[[int], tuple[list[Item], float | None]]


@dataclass
class Peer:
    name: str
    how: str
    sync: SyncCall | None = None
    # called inside the event loop: returns (one async call, async close)
    make_async: AsyncFactory | None = None
    stream: StreamRun | None = None
    na: dict[str, str] = field(default_factory=dict[str, str])
    close: Callable[[], None] = lambda: None


class StreamTimeout(Exception):
    """A streaming run went past ``--stream-timeout``: reported, not waited for."""


_stream_deadline = [float("inf")]


def tick() -> None:
    """Called by every streaming loop on each delta/partial/item it gets."""
    if time.perf_counter() > _stream_deadline[0]:
        raise StreamTimeout


def _messages(prompt: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": prompt}]


def peer_typedllm(base: str) -> Peer:
    import typedllm as tl

    def build() -> Any:
        return tl.openai().model(MODEL).api_key(KEY).base_url(base).build()

    llm = build()

    async def make_async() -> tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]:
        alm = build()
        return (lambda: alm.acomplete(PROMPT, schema=Invoice)), alm.aclose

    def stream(n: int) -> tuple[list[Item], float | None]:
        t0, first = time.perf_counter(), None
        with llm.stream(list_prompt(n), schema=list[Item]) as s:
            for _item in s.items():
                tick()
                if first is None:
                    first = time.perf_counter() - t0
            return list(s.final()), first

    return Peer(
        "typedllm",
        "complete(schema=Invoice) / acomplete / stream(schema=list[Item]).items()",
        sync=lambda: llm.complete(PROMPT, schema=Invoice),
        make_async=make_async,
        stream=stream,
        close=llm.close,
    )


def peer_typedllm_amap(base: str) -> Callable[[int], Awaitable[list[Any]]] | None:
    """``tl.amap`` over ``n`` prompts at concurrency 64 (None when this typedllm lacks it)."""
    import typedllm as tl

    amap = getattr(tl, "amap", None)
    if amap is None:
        return None

    async def run(n: int) -> list[Any]:
        llm = tl.openai().model(MODEL).api_key(KEY).base_url(base).build()
        try:
            results = await amap(llm, [PROMPT] * n, schema=Invoice, concurrency=CONCURRENCY)
            return [getattr(r, "output", r) for r in results]
        finally:
            await llm.aclose()

    return run


def peer_openai(base: str) -> Peer:
    import openai

    client = openai.OpenAI(api_key=KEY, base_url=base)

    def sync() -> Any:
        completion = client.chat.completions.parse(
            model=MODEL, messages=_messages(PROMPT), response_format=Invoice
        )
        return completion.choices[0].message.parsed

    async def make_async() -> tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]:
        aclient = openai.AsyncOpenAI(api_key=KEY, base_url=base)

        async def call() -> Any:
            completion = await aclient.chat.completions.parse(
                model=MODEL, messages=_messages(PROMPT), response_format=Invoice
            )
            return completion.choices[0].message.parsed

        return call, aclient.close

    def stream(n: int) -> tuple[list[Item], float | None]:
        t0, first = time.perf_counter(), None
        with client.chat.completions.stream(
            model=MODEL, messages=_messages(list_prompt(n)), response_format=Items
        ) as s:
            for event in s:
                tick()
                if first is None and event.type == "content.delta":
                    parsed = event.parsed
                    if isinstance(parsed, dict) and len(parsed.get("items") or []) > 1:
                        first = time.perf_counter() - t0  # the first item is complete
            final = s.get_final_completion().choices[0].message.parsed
        assert final is not None
        return list(final.items), first

    return Peer(
        "openai",
        "chat.completions.parse(response_format=Invoice) / AsyncOpenAI / "
        "chat.completions.stream(response_format=Items)",
        sync=sync,
        make_async=make_async,
        stream=stream,
        close=client.close,
    )


def peer_instructor(base: str) -> Peer:
    import instructor
    import openai

    mode = instructor.Mode.JSON_SCHEMA
    raw = openai.OpenAI(api_key=KEY, base_url=base)
    client = instructor.from_openai(raw, mode=mode)

    def sync() -> Any:
        return client.chat.completions.create(
            model=MODEL, messages=_messages(PROMPT), response_model=Invoice
        )

    async def make_async() -> tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]:
        araw = openai.AsyncOpenAI(api_key=KEY, base_url=base)
        aclient = instructor.from_openai(araw, mode=mode)

        async def call() -> Any:
            return await aclient.chat.completions.create(
                model=MODEL, messages=_messages(PROMPT), response_model=Invoice
            )

        return call, araw.close

    def stream(n: int) -> tuple[list[Item], float | None]:
        t0, first = time.perf_counter(), None
        last: Any = None
        for partial in client.chat.completions.create_partial(
            model=MODEL, messages=_messages(list_prompt(n)), response_model=Items
        ):
            tick()
            last = partial
            if first is None and len(partial.items or []) > 1:
                first = time.perf_counter() - t0
        assert last is not None
        return [Item.model_validate(i.model_dump()) for i in last.items], first

    return Peer(
        "instructor",
        "from_openai(mode=JSON_SCHEMA), create(response_model=Invoice) / "
        "create_partial(response_model=Items)",
        sync=sync,
        make_async=make_async,
        stream=stream,
        close=raw.close,
    )


def peer_instructor_iterable(base: str) -> StreamRun:
    """instructor's other streaming form: ``create_iterable`` (``Iterable[Item]``)."""
    import instructor
    import openai

    client = instructor.from_openai(
        openai.OpenAI(api_key=KEY, base_url=base), mode=instructor.Mode.JSON_SCHEMA
    )

    def stream(n: int) -> tuple[list[Item], float | None]:
        t0, first = time.perf_counter(), None
        out: list[Item] = []
        for item in client.chat.completions.create_iterable(
            model=MODEL, messages=_messages(list_prompt(n)), response_model=Item
        ):
            tick()
            if first is None:
                first = time.perf_counter() - t0
            out.append(item)
        return out, first

    return stream


def peer_pydantic_ai(base: str) -> Peer:
    from pydantic_ai import Agent, NativeOutput
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    def model() -> OpenAIChatModel:
        return OpenAIChatModel(MODEL, provider=OpenAIProvider(base_url=base, api_key=KEY))

    agent = Agent(model(), output_type=NativeOutput(Invoice))

    async def make_async() -> tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]:
        aagent = Agent(model(), output_type=NativeOutput(Invoice))

        async def call() -> Any:
            return (await aagent.run(PROMPT)).output

        return call, lambda: None

    def stream(n: int) -> tuple[list[Item], float | None]:
        async def run() -> tuple[list[Item], float | None]:
            lagent = Agent(model(), output_type=NativeOutput(list[Item]))
            t0, first = time.perf_counter(), None
            async with lagent.run_stream(list_prompt(n)) as result:
                async for partial in result.stream_output():
                    tick()
                    if first is None and len(partial) > 1:
                        first = time.perf_counter() - t0
                final = await result.get_output()
            return list(final), first

        return asyncio.run(run())

    return Peer(
        "pydantic-ai",
        "Agent(OpenAIChatModel, output_type=NativeOutput(Invoice)).run_sync / run / "
        "run_stream(NativeOutput(list[Item])).stream_output()",
        sync=lambda: agent.run_sync(PROMPT).output,
        make_async=make_async,
        stream=stream,
    )


def peer_litellm(base: str) -> Peer:
    import litellm

    def kwargs() -> dict[str, Any]:
        return {
            "model": f"openai/{MODEL}",
            "api_base": base,
            "api_key": KEY,
            "messages": _messages(PROMPT),
            "response_format": Invoice,
        }

    def sync() -> Any:
        response = litellm.completion(**kwargs())
        return Invoice.model_validate_json(response.choices[0].message.content)

    async def make_async() -> tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]:
        async def call() -> Any:
            response = await litellm.acompletion(**kwargs())
            return Invoice.model_validate_json(response.choices[0].message.content)

        return call, lambda: None

    return Peer(
        "litellm",
        "completion(response_format=Invoice) + Invoice.model_validate_json / acompletion",
        sync=sync,
        make_async=make_async,
        na={"stream": "no structured partial streaming (stream=True yields raw text deltas)"},
    )


FACTORIES: dict[str, Callable[[str], Peer]] = {
    "typedllm": peer_typedllm,
    "openai": peer_openai,
    "instructor": peer_instructor,
    "pydantic-ai": peer_pydantic_ai,
    "litellm": peer_litellm,
}

IMPORTS: dict[str, str] = {
    "floor (httpx, orjson, pydantic)": "import httpx, orjson, pydantic",
    "floor + aiohttp": "import aiohttp, httpx, orjson, pydantic",
    "typedllm": "import typedllm",
    "openai": "import openai",
    "instructor": "import instructor",
    "pydantic-ai": ("import pydantic_ai, pydantic_ai.models.openai, pydantic_ai.providers.openai"),
    "litellm": "import litellm",
}

# Cold start: a fresh process imports, builds a client and gets one validated Invoice from the
# server (lazy imports, schema building and first-call set-up included). ``BASE`` is argv[1].
_COLD_HEAD = f"""
import sys
from datetime import date
from pydantic import BaseModel
BASE, MODEL, KEY, PROMPT = sys.argv[1], {MODEL!r}, {KEY!r}, {PROMPT!r}
MESSAGES = [{{"role": "user", "content": PROMPT}}]
class LineItem(BaseModel):
    description: str
    quantity: int
    unit_price: float
class Invoice(BaseModel):
    invoice_number: str
    customer: str
    issued_on: date
    items: list[LineItem]
    notes: str | None = None
"""
_COLD_TAIL = """
assert isinstance(r, Invoice) and r.invoice_number == "INV-42" and len(r.items) == 2, r
"""
COLD: dict[str, str] = {
    "floor (httpx, orjson, pydantic)": """
import httpx, orjson
body = orjson.dumps({"model": MODEL, "messages": MESSAGES, "response_format": {
    "type": "json_schema",
    "json_schema": {"name": "Invoice", "schema": Invoice.model_json_schema()}}})
reply = httpx.post(BASE + "/chat/completions", content=body,
                   headers={"authorization": "Bearer " + KEY, "content-type": "application/json"})
r = Invoice.model_validate_json(orjson.loads(reply.content)["choices"][0]["message"]["content"])
""",
    "typedllm": """
import typedllm as tl
r = tl.openai().model(MODEL).api_key(KEY).base_url(BASE).build().complete(PROMPT, schema=Invoice)
""",
    "openai": """
import openai
c = openai.OpenAI(api_key=KEY, base_url=BASE)
r = c.chat.completions.parse(model=MODEL, messages=MESSAGES, response_format=Invoice)
r = r.choices[0].message.parsed
""",
    "instructor": """
import instructor, openai
c = instructor.from_openai(openai.OpenAI(api_key=KEY, base_url=BASE),
                           mode=instructor.Mode.JSON_SCHEMA)
r = c.chat.completions.create(model=MODEL, messages=MESSAGES, response_model=Invoice)
""",
    "pydantic-ai": """
from pydantic_ai import Agent, NativeOutput
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.openai import OpenAIProvider
m = OpenAIChatModel(MODEL, provider=OpenAIProvider(base_url=BASE, api_key=KEY))
r = Agent(m, output_type=NativeOutput(Invoice)).run_sync(PROMPT).output
""",
    "litellm": """
import litellm
reply = litellm.completion(model="openai/" + MODEL, api_base=BASE, api_key=KEY,
                           messages=MESSAGES, response_format=Invoice)
r = Invoice.model_validate_json(reply.choices[0].message.content)
""",
}


# -- floors ----------------------------------------------------------------------------------


def _wire(base: str, prompt: str, schema: Any, stream: bool = False) -> Any:
    """The request typedllm would send: the floors send the very same bytes."""
    import typedllm as tl

    with tl.openai().model(MODEL).api_key(KEY).base_url(base).build() as llm:
        return llm.request_for(prompt, schema=schema, stream=stream)


def floor_sync(base: str) -> tuple[SyncCall, Callable[[], None]]:
    wire = _wire(base, PROMPT, Invoice)
    client = httpx.Client()
    headers = dict(wire.headers)

    def call() -> Invoice:
        r = client.post(wire.url, content=wire.body, headers=headers)
        content = orjson.loads(r.content)["choices"][0]["message"]["content"]
        return Invoice.model_validate_json(content)

    return call, client.close


async def floor_aiohttp(base: str) -> tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]:
    import aiohttp

    wire = _wire(base, PROMPT, Invoice)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY))
    headers = dict(wire.headers)

    async def call() -> Invoice:
        async with session.post(wire.url, data=wire.body, headers=headers) as r:
            body = await r.read()
        content = orjson.loads(body)["choices"][0]["message"]["content"]
        return Invoice.model_validate_json(content)

    return call, session.close


async def floor_httpx_async(base: str) -> tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]:
    wire = _wire(base, PROMPT, Invoice)
    # httpx's default pool limits (100 connections, 20 kept alive), as typedllm and openai use:
    # Limits(max_connections=64, max_keepalive_connections=64) measured 2-3x slower here.
    client = httpx.AsyncClient()
    headers = dict(wire.headers)

    async def call() -> Invoice:
        r = await client.post(wire.url, content=wire.body, headers=headers)
        content = orjson.loads(r.content)["choices"][0]["message"]["content"]
        return Invoice.model_validate_json(content)

    return call, client.aclose


class _Result(BaseModel):
    result: list[Item]


def floor_stream(base: str, sizes: list[int]) -> StreamRun:
    """Read the SSE bytes, decode each event with orjson, join the content deltas, validate the
    whole answer once (the request is built before the clock starts)."""
    wires = {n: _wire(base, list_prompt(n), list[Item], stream=True) for n in sizes}
    client = httpx.Client()

    def run(n: int) -> tuple[list[Item], float | None]:
        wire = wires[n]
        parts: list[str] = []
        buffer = b""
        with client.stream("POST", wire.url, content=wire.body, headers=dict(wire.headers)) as r:
            for chunk in r.iter_raw():
                *lines, buffer = (buffer + chunk).split(b"\n")
                for line in lines:
                    if not line.startswith(b"data: ") or line == b"data: [DONE]":
                        continue
                    for choice in orjson.loads(line[6:])["choices"]:
                        piece = choice["delta"].get("content")
                        if piece:
                            parts.append(piece)
        return _Result.model_validate_json("".join(parts)).result, None

    return run


# -- measuring -------------------------------------------------------------------------------


@dataclass
class SyncRow:
    wall: float
    cpu: float


def measure_sync(server: Server, label: str, call: SyncCall, calls: int, warmup: int) -> SyncRow:
    walls: list[float] = []
    cpus: list[float] = []
    with server.expect(label, lambda: 1 + warmup + calls):
        first = call()
        if not is_expected(first):
            raise AssertionError(f"{label}: unexpected answer {first!r}")
        for _ in range(warmup):
            call()
        for _ in range(calls):
            w0, c0 = time.perf_counter(), time.process_time()
            result = call()
            c1, w1 = time.process_time(), time.perf_counter()
            walls.append(w1 - w0)
            cpus.append(c1 - c0)
            if not is_expected(result):
                raise AssertionError(f"{label}: unexpected answer {result!r}")
    return SyncRow(statistics.median(walls), statistics.median(cpus))


@dataclass
class AsyncRow:
    rate: float  # calls/s, median of rounds
    cpu: float  # client CPU per call, median of rounds
    rates: list[float]


async def _drive(call: Callable[[], Awaitable[Any]], n: int) -> list[Any]:
    results: list[Any] = [None] * n
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < n:
            i = next_index
            next_index += 1
            results[i] = await call()

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return results


def measure_async(
    server: Server,
    label: str,
    factory: Callable[[], Awaitable[tuple[Callable[[], Awaitable[Any]], Callable[[], Any]]]],
    calls: int,
    rounds: int,
) -> AsyncRow:
    async def main() -> AsyncRow:
        call, close = await factory()
        rates: list[float] = []
        cpus: list[float] = []
        try:
            warm = await _drive(call, CONCURRENCY * 2)
            if not all(is_expected(r) for r in warm):
                raise AssertionError(f"{label}: unexpected answer {warm[0]!r}")
            for _ in range(rounds):
                w0, c0 = time.perf_counter(), time.process_time()
                results = await _drive(call, calls)
                c1, w1 = time.process_time(), time.perf_counter()
                if not all(is_expected(r) for r in results):
                    raise AssertionError(f"{label}: an unexpected answer in the round")
                rates.append(calls / (w1 - w0))
                cpus.append((c1 - c0) / calls)
        finally:
            closed = close()
            if asyncio.iscoroutine(closed):
                await closed
        return AsyncRow(statistics.median(rates), statistics.median(cpus), rates)

    with server.expect(label, lambda: CONCURRENCY * 2 + calls * rounds):
        return asyncio.run(main())


def measure_amap(
    server: Server, run: Callable[[int], Awaitable[list[Any]]], calls: int, rounds: int
) -> AsyncRow:
    rates: list[float] = []
    cpus: list[float] = []
    with server.expect("typedllm amap", lambda: calls * (rounds + 1)):
        for i in range(rounds + 1):  # the first round is the warm-up
            w0, c0 = time.perf_counter(), time.process_time()
            results = asyncio.run(run(calls))
            c1, w1 = time.process_time(), time.perf_counter()
            if len(results) != calls or not all(is_expected(r) for r in results):
                raise AssertionError(f"typedllm amap: unexpected answers {results[:1]!r}")
            if i:
                rates.append(calls / (w1 - w0))
                cpus.append((c1 - c0) / calls)
    return AsyncRow(statistics.median(rates), statistics.median(cpus), rates)


@dataclass
class StreamRow:
    wall: float
    cpu: float
    first: float | None


def measure_stream(
    server: Server, label: str, run: StreamRun, n: int, timeout: float
) -> StreamRow | None:
    """One streaming run (``None``: it went past ``timeout`` seconds and was abandoned)."""
    with server.expect(label, lambda: 1):
        w0, c0 = time.perf_counter(), time.process_time()
        _stream_deadline[0] = w0 + timeout
        try:
            items, first = run(n)
        except StreamTimeout:
            return None
        finally:
            _stream_deadline[0] = float("inf")
        c1, w1 = time.process_time(), time.perf_counter()
    if not all(isinstance(i, Item) for i in items) or [i.model_dump() for i in items] != ITEMS[:n]:
        raise AssertionError(f"{label}: got {len(items)} items, not the expected {n}")
    return StreamRow(w1 - w0, c1 - c0, first)


def measure_import(statement: str, runs: int, *argv: str) -> float:
    """Median wall time of a fresh ``python -c statement`` (after one unmeasured run, which
    writes any missing bytecode caches)."""
    times: list[float] = []
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    for i in range(runs + 1):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement, *argv], check=True, env=env)
        if i:
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


# -- report ----------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} us"


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.add("| " + " | ".join(header) + " |")
        self.add("|" + "|".join(" --- " for _ in header) + "|")
        for row in rows:
            self.add("| " + " | ".join(row) + " |")
        self.add()


def _na(reason: str) -> str:
    return f"n/a: {reason}"


def _build(base: str, names: list[str], report: Report) -> dict[str, Peer | str]:
    peers: dict[str, Peer | str] = {}
    for name in names:
        try:
            peers[name] = FACTORIES[name](base)
        except Exception as exc:  # a peer that cannot be set up is reported, not guessed
            traceback.print_exc()
            peers[name] = f"{type(exc).__name__}: {exc}"
            report.add(f"- {name}: set-up failed: {peers[name]}")
    return peers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500, help="sync calls per peer")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--async-calls", type=int, default=1024, help="calls per async round")
    parser.add_argument("--rounds", type=int, default=3, help="async rounds (median)")
    parser.add_argument("--sizes", default="1000,8000", help="streamed list sizes")
    parser.add_argument("--stream-timeout", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--import-runs", type=int, default=7)
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--sections", default="sync,async,stream,import")
    parser.add_argument("--out", type=Path, help="also write the Markdown report here")
    args = parser.parse_args()
    names = [n for n in args.peers.split(",") if n]
    sections = set(args.sections.split(","))
    sizes = [int(s) for s in args.sizes.split(",") if s]

    report = Report()
    report.add(f"# Peer benchmark run, {date.today().isoformat()}")
    report.add()
    report.add(
        f"python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs; "
        f"sync: {args.calls} calls after {args.warmup} warm-up; async: {args.rounds} rounds "
        f"of {args.async_calls} calls at concurrency {CONCURRENCY}"
    )
    report.add()
    server = Server()
    try:
        peers = _build(server.base, names, report)
        ready = {k: v for k, v in peers.items() if isinstance(v, Peer)}
        failed = {k: v for k, v in peers.items() if isinstance(v, str)}

        if "sync" in sections:
            report.add("## Sync per call (median)")
            report.add()
            call, close = floor_sync(server.base)
            floor = measure_sync(server, "floor", call, args.calls, args.warmup)
            close()
            rows = [["raw httpx + orjson + model_validate_json", _us(floor.wall), _us(floor.cpu)]]
            rows[0] += ["1.00x", "1.00x"]
            for name in names:
                peer = ready.get(name)
                if peer is None or peer.sync is None:
                    reason = failed.get(name) or (peer.na.get("sync") if peer else "")
                    rows.append([name, _na(reason or "?"), "", "", ""])
                    continue
                row = measure_sync(server, name, peer.sync, args.calls, args.warmup)
                rows.append(
                    [
                        name,
                        _us(row.wall),
                        _us(row.cpu),
                        f"{row.wall / floor.wall:.2f}x",
                        f"{row.cpu / floor.cpu:.2f}x",
                    ]
                )
            report.table(["client", "wall", "client CPU", "wall / floor", "CPU / floor"], rows)

        if "async" in sections:
            report.add(f"## Async throughput at concurrency {CONCURRENCY} (median of rounds)")
            report.add()
            floors = {
                "raw aiohttp + orjson + model_validate_json": measure_async(
                    server,
                    "aiohttp floor",
                    lambda: floor_aiohttp(server.base),
                    args.async_calls,
                    args.rounds,
                ),
                "raw httpx.AsyncClient + orjson + model_validate_json": measure_async(
                    server,
                    "httpx floor",
                    lambda: floor_httpx_async(server.base),
                    args.async_calls,
                    args.rounds,
                ),
            }
            aio = next(iter(floors.values())).rate
            hx = list(floors.values())[1].rate

            def arow(label: str, row: AsyncRow) -> list[str]:
                return [
                    label,
                    f"{row.rate:,.0f}",
                    _us(row.cpu),
                    f"{row.rate / aio:.2f}x",
                    f"{row.rate / hx:.2f}x",
                    " / ".join(f"{r:,.0f}" for r in row.rates),
                ]

            rows = [arow(label, row) for label, row in floors.items()]
            for name in names:
                peer = ready.get(name)
                if peer is None or peer.make_async is None:
                    reason = failed.get(name) or (peer.na.get("async") if peer else "")
                    rows.append([name, _na(reason or "?"), "", "", "", ""])
                    continue
                row = measure_async(server, name, peer.make_async, args.async_calls, args.rounds)
                rows.append(arow(name, row))
                if name == "typedllm":
                    amap = peer_typedllm_amap(server.base)
                    if amap is None:
                        rows.append(["typedllm amap", _na("no tl.amap in this typedllm")])
                        rows[-1] += ["", "", "", ""]
                    else:
                        amap_row = measure_amap(server, amap, args.async_calls, args.rounds)
                        rows.append(arow("typedllm amap(concurrency=64)", amap_row))
            report.table(
                [
                    "client",
                    "calls/s",
                    "client CPU per call",
                    "vs aiohttp floor",
                    "vs httpx floor",
                    "rounds (calls/s)",
                ],
                rows,
            )

        if "stream" in sections:
            report.add("## Structured streaming of a list (one run each)")
            report.add()
            floor_run = floor_stream(server.base, sizes)
            runs: list[tuple[str, StreamRun | str]] = [("raw floor", floor_run)]
            for name in names:
                peer = ready.get(name)
                if peer is None or peer.stream is None:
                    reason = failed.get(name) or (peer.na.get("stream") if peer else "")
                    runs.append((name, reason or "?"))
                    continue
                runs.append((name, peer.stream))
                if name == "instructor":
                    iterable = peer_instructor_iterable(server.base)
                    runs.append(("instructor create_iterable", iterable))
            floor_rows: dict[int, StreamRow] = {}
            rows = []
            for label, run in runs:
                timed_out = False
                for n in sizes:
                    if isinstance(run, str):
                        rows.append([label, f"{n:,}", _na(run), "", "", "", ""])
                        continue
                    if timed_out:
                        rows.append([label, f"{n:,}", "not run: the smaller list timed out"])
                        rows[-1] += ["", "", "", ""]
                        continue
                    row = measure_stream(server, f"{label} stream {n}", run, n, args.stream_timeout)
                    if row is None:
                        timed_out = True
                        rows.append([label, f"{n:,}", f"> {args.stream_timeout:.0f} s (abandoned)"])
                        rows[-1] += ["", "", "", ""]
                        continue
                    if label == "raw floor":
                        floor_rows[n] = row
                    base_row = floor_rows[n]
                    rows.append(
                        [
                            label,
                            f"{n:,}",
                            _ms(row.wall),
                            _ms(row.cpu),
                            "" if row.first is None else _ms(row.first),
                            f"{row.cpu / base_row.cpu:.1f}x",
                            f"{row.wall / base_row.wall:.1f}x",
                        ]
                    )
            report.table(
                [
                    "client",
                    "items",
                    "wall",
                    "client CPU",
                    "first item after",
                    "CPU / floor",
                    "wall / floor",
                ],
                rows,
            )

        if "import" in sections:
            report.add(f"## Import time (median of {args.import_runs} fresh processes)")
            report.add()
            bare = measure_import("pass", args.import_runs)
            results = {label: measure_import(s, args.import_runs) for label, s in IMPORTS.items()}
            floor_cost = next(iter(results.values())) - bare
            rows = [["bare interpreter (`pass`)", _ms(bare), "", ""]]
            for label, seconds in results.items():
                cost = seconds - bare
                rows.append([label, _ms(seconds), _ms(cost), f"{cost / floor_cost:.2f}x"])
            report.table(["import", "process wall", "import cost", "cost / floor"], rows)

            report.add(
                f"## Cold start: import, build a client, one validated call "
                f"(median of {args.import_runs} fresh processes)"
            )
            report.add()
            cold: dict[str, float] = {}
            for label, code in COLD.items():
                peer_name = label if label in FACTORIES else None
                if peer_name is not None and peer_name not in ready:
                    continue
                if peer_name is not None and peer_name not in names:
                    continue
                with server.expect(f"{label} cold start", lambda: args.import_runs + 1):
                    cold[label] = measure_import(
                        _COLD_HEAD + code + _COLD_TAIL, args.import_runs, server.base
                    )
            cold_floor = next(iter(cold.values())) - bare
            rows = [
                [label, _ms(t), _ms(t - bare), f"{(t - bare) / cold_floor:.2f}x"]
                for label, t in cold.items()
            ]
            report.table(["client", "process wall", "minus bare interpreter", "/ floor"], rows)

        for peer in ready.values():
            peer.close()
    finally:
        server.stop()
    if args.out:
        args.out.write_text("\n".join(report.lines) + "\n")


if __name__ == "__main__":
    main()
