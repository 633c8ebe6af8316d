"""The fake provider on a loopback HTTP server (for code that needs a real socket).

>>> from typedllm.testing import serve
>>> with serve() as server:          # doctest: +SKIP
...     llm = tl.openai_compatible(base_url=server.base_url).model("any").build()

Command line: ``typedllm-fake-server --port 8000`` or ``python -m typedllm.testing`` (stop
with Ctrl-C or ``--duration``).
Only loopback addresses are allowed.
"""

from __future__ import annotations

import argparse
import ipaddress
import threading
from collections.abc import Generator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ._fake import FakeProvider

__all__ = ["FakeServer", "main", "serve"]


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

    def __init__(self, address: tuple[str, int], provider: FakeProvider) -> None:
        self.provider = provider
        super().__init__(address, _Handler)


class FakeServer:
    """A running loopback fake server; ``base_url`` ends in ``/v1`` like OpenAI's."""

    def __init__(self, provider: FakeProvider, host: str = "127.0.0.1", port: int = 0) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the fake server only listens on loopback addresses, not {host!r}")
        self.provider = provider
        self._server = _Server((host, port), provider)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

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
    provider: FakeProvider | None = None, *, port: int = 0
) -> Generator[FakeServer, None, None]:
    """Run ``provider`` (default: an auto-mode :class:`FakeProvider`) on 127.0.0.1 for the
    duration of the ``with`` block."""
    server = FakeServer(provider or FakeProvider(), port=port).start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    """``typedllm-fake-server``: serve the auto-mode fake provider on 127.0.0.1."""
    parser = argparse.ArgumentParser(description="Serve typedllm's fake LLM provider on loopback.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--duration", type=float, default=None, help="stop after N seconds")
    args = parser.parse_args(argv)
    server = FakeServer(FakeProvider(), port=args.port).start()
    print(f"fake provider listening on {server.base_url}", flush=True)
    stop = threading.Event()
    try:
        stop.wait(args.duration)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
