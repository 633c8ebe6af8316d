"""The fake provider on a loopback HTTP server (for code that needs a real socket).

>>> from typedllm.testing import serve
>>> with serve() as server:          # doctest: +SKIP
...     llm = tl.openai_compatible(base_url=server.base_url).model("any").build()

Command line: ``typedllm-fake-server --port 8000`` or ``python -m typedllm.testing`` (stop
with Ctrl-C or ``--duration``).
Only loopback addresses are allowed.

Knobs for testing pipelines realistically (concurrency, retries), also on the command line:

* ``latency`` / ``--latency 50ms``: every answer waits this long (seconds, or ``ms``/``s``);
* ``jitter`` / ``--jitter 10ms``: plus or minus up to this much, uniformly (never below 0);
* ``error_rate`` / ``--error-rate 0.05``: this share of requests is answered with a 500 or a
  429 (half each) carrying ``Retry-After`` (``retry_after`` / ``--retry-after``, default 100ms,
  also as ``retry-after-ms``), in the provider's error shape;
* ``seed`` / ``--seed 1``: the draws of the jitter and of the errors are reproducible (the
  n-th request to arrive gets the same latency and the same answer on every run);
* ``tools`` / ``--tools auto``: the auto tool mode of :class:`FakeProvider` (``off``, the
  default; ``auto``: call one offered tool with schema-valid arguments until the turn has
  tool results; ``all``: call every offered tool at once), for the server's own provider.

>>> with serve(latency=0.05, error_rate=0.1, seed=7) as server:   # doctest: +SKIP
...     ...
"""

from __future__ import annotations

import argparse
import ipaddress
import math
import random
import threading
import time
from collections.abc import Generator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeGuard
from urllib.parse import urlsplit

# _wire_for: the endpoint's wire, so that an injected error has the provider's error shape.
from ._auto_tools import TOOL_MODES, ToolMode, check_mode
from ._fake import FakeProvider, _wire_for  # pyright: ignore[reportPrivateUsage]
from ._replies import FakeReply

__all__ = ["FakeServer", "Faults", "main", "parse_seconds", "serve"]


def parse_seconds(text: str) -> float:
    """``"50ms"``, ``"0.05s"`` or ``"0.05"`` as seconds (the knobs' command-line form)."""
    value = text.strip().lower()
    scale = 1.0
    if value.endswith("ms"):
        value, scale = value[:-2], 0.001
    elif value.endswith("s"):
        value = value[:-1]
    try:
        seconds = float(value) * scale
    except ValueError:
        raise ValueError(f"not a duration: {text!r} (write e.g. 50ms, 0.05s or 0.05)") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"a duration must be a finite number >= 0, got {text!r}")
    return seconds


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Faults:
    """The server's latency, jitter and injected errors, drawn per request from one seeded
    generator (under a lock: the n-th request to arrive gets the n-th draw).

    Attributes:
        latency: seconds every answer waits.
        jitter: up to this many seconds more or less, uniformly.
        error_rate: the share of requests answered with a 500 or a 429.
        retry_after: the ``Retry-After`` of those errors, in seconds.
        injected: how many errors were injected so far (per status).
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        jitter: float = 0.0,
        error_rate: float = 0.0,
        retry_after: float = 0.1,
        seed: int | None = None,
    ) -> None:
        # Checked at run time too: untyped callers pass strings ("50ms" belongs to the CLI).
        numbers: tuple[tuple[str, object], ...] = (
            ("latency", latency),
            ("jitter", jitter),
            ("retry_after", retry_after),
        )
        for name, value in numbers:
            if not (_is_number(value) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a number of seconds >= 0, got {value!r}")
        rate: object = error_rate
        if not (_is_number(rate) and 0.0 <= rate <= 1.0):
            raise ValueError(f"error_rate must be between 0 and 1, got {error_rate!r}")
        self.latency = float(latency)
        self.jitter = float(jitter)
        self.error_rate = float(error_rate)
        self.retry_after = float(retry_after)
        self.injected: dict[int, int] = {429: 0, 500: 0}
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        """Whether any knob is set (a server without knobs draws nothing)."""
        return bool(self.latency or self.jitter or self.error_rate)

    def draw(self) -> tuple[float, int | None]:
        """The next request's delay in seconds, and the error status to answer (or None)."""
        with self._lock:
            spread = self._random.uniform(-self.jitter, self.jitter) if self.jitter else 0.0
            error: int | None = None
            if self.error_rate and self._random.random() < self.error_rate:
                error = self._random.choice((429, 500))
        return max(0.0, self.latency + spread), error

    def error_reply(self, status: int) -> FakeReply:
        """The injected error (a 429 says when to come back, as the real services do)."""
        with self._lock:
            self.injected[status] += 1
        if status != 429:
            return FakeReply.error(status, "fake server: injected server error")
        return FakeReply.error(
            429,
            "fake server: injected rate limit",
            headers={
                # Whole seconds in Retry-After (HTTP's form), exact in retry-after-ms
                # (OpenAI's); the client prefers the latter.
                "retry-after": str(math.ceil(self.retry_after)),
                "retry-after-ms": str(round(self.retry_after * 1000)),
            },
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real services
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and
    # delayed ACKs add ~40 ms to every response.
    disable_nagle_algorithm = True

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        url = f"http://{self.headers.get('host', '127.0.0.1')}{self.path}"
        server = self.server
        assert isinstance(server, _Server)
        faults = server.faults
        error: int | None = None
        if faults.active:
            delay, error = faults.draw()
            if delay:
                time.sleep(delay)
        wire = _wire_for(self.command, urlsplit(url).path) if error is not None else None
        if error is not None and wire is not None:
            # Injected before the provider sees the request: a scripted fake's replies are
            # consumed by the requests that got through, as they would be by a real service.
            status, headers, payload = wire.render_reply({}, faults.error_reply(error), 0)
        else:
            status, headers, payload = server.provider.respond(
                self.command, url, dict(self.headers.items()), body
            )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    # Every method reaches the fake, which answers 404 where the real API has no such endpoint
    # (http.server would answer an HTML 501 for a method without a handler).
    do_POST = _answer
    do_GET = _answer
    do_PUT = _answer
    do_PATCH = _answer
    do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        """Silence per-request logging."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    # A pipeline opens many connections at once (the default backlog of 5 resets some).
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], provider: FakeProvider, faults: Faults) -> None:
        self.provider = provider
        self.faults = faults
        super().__init__(address, _Handler)


class FakeServer:
    """A running loopback fake server; ``base_url`` ends in ``/v1`` like OpenAI's.

    ``latency``, ``jitter``, ``error_rate``, ``retry_after`` and ``seed`` are the knobs of
    :class:`Faults` (all off by default); ``faults`` counts the injected errors."""

    def __init__(
        self,
        provider: FakeProvider,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency: float = 0.0,
        jitter: float = 0.0,
        error_rate: float = 0.0,
        retry_after: float = 0.1,
        seed: int | None = None,
    ) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the fake server only listens on loopback addresses, not {host!r}")
        self.provider = provider
        self.faults = Faults(
            latency=latency,
            jitter=jitter,
            error_rate=error_rate,
            retry_after=retry_after,
            seed=seed,
        )
        self._server = _Server((host, port), provider, self.faults)
        # A short poll interval: stop() waits for the serving loop's next poll (0.5 s by
        # default, half a second per test that starts a server).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeServer:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serve(
    provider: FakeProvider | None = None,
    *,
    port: int = 0,
    latency: float = 0.0,
    jitter: float = 0.0,
    error_rate: float = 0.0,
    retry_after: float = 0.1,
    seed: int | None = None,
    tools: ToolMode = "off",
) -> Generator[FakeServer, None, None]:
    """Run ``provider`` (default: an auto-mode :class:`FakeProvider`, with the auto tool mode
    ``tools``) on 127.0.0.1 for the duration of the ``with`` block, with the given latency,
    jitter and error-rate knobs (see :class:`FakeServer`)."""
    mode = check_mode(tools)
    if provider is not None and mode != "off":
        raise ValueError(
            "serve(tools=...) configures the default provider: pass "
            "FakeProvider(tools=...) as the provider instead"
        )
    server = FakeServer(
        provider or FakeProvider(tools=mode),
        port=port,
        latency=latency,
        jitter=jitter,
        error_rate=error_rate,
        retry_after=retry_after,
        seed=seed,
    ).start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    """``typedllm-fake-server``: serve the auto-mode fake provider on 127.0.0.1."""
    parser = argparse.ArgumentParser(description="Serve typedllm's fake LLM provider on loopback.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--duration", type=float, default=None, help="stop after N seconds")
    parser.add_argument(
        "--latency", type=_duration, default=0.0, help="delay every answer (e.g. 50ms, 0.05)"
    )
    parser.add_argument(
        "--jitter", type=_duration, default=0.0, help="plus or minus up to this much (e.g. 10ms)"
    )
    parser.add_argument(
        "--error-rate",
        type=float,
        default=0.0,
        help="answer this share of requests with a 500 or a 429 with Retry-After (e.g. 0.05)",
    )
    parser.add_argument(
        "--retry-after", type=_duration, default=0.1, help="the 429s' Retry-After (default 100ms)"
    )
    parser.add_argument("--seed", type=int, default=None, help="make the draws reproducible")
    parser.add_argument(
        "--tools",
        choices=TOOL_MODES,
        default="off",
        help="auto tool mode: call the offered tools with schema-valid arguments before "
        "answering (auto: one tool, all: every offered tool at once; default off)",
    )
    args = parser.parse_args(argv)
    try:
        server = FakeServer(
            FakeProvider(tools=check_mode(args.tools)),
            port=args.port,
            latency=args.latency,
            jitter=args.jitter,
            error_rate=args.error_rate,
            retry_after=args.retry_after,
            seed=args.seed,
        ).start()
    except ValueError as exc:
        parser.error(str(exc))
    knobs = [
        f"{name}={value}"
        for name, value in (
            ("latency", args.latency),
            ("jitter", args.jitter),
            ("error_rate", args.error_rate),
            ("seed", args.seed),
            ("tools", "" if args.tools == "off" else args.tools),
        )
        if value
    ]
    suffix = f" ({', '.join(knobs)})" if knobs else ""
    print(f"fake provider listening on {server.base_url}{suffix}", flush=True)
    stop = threading.Event()
    try:
        stop.wait(args.duration)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _duration(text: str) -> float:
    """``parse_seconds`` for argparse (its errors become usage errors)."""
    try:
        return parse_seconds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
