"""The streaming web endpoint example (examples/web/app.py) over real sockets: a uvicorn server
on 127.0.0.1, a real HTTP client reading its server-sent events, and the page in headless
Chromium. The model is the fake provider, so everything runs offline."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import orjson
import pytest

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply

WEB_EXTRA = "needs the web extra: pip install 'typedllm[web]'"
pytest.importorskip("starlette", reason=WEB_EXTRA)
uvicorn = pytest.importorskip("uvicorn", reason=WEB_EXTRA)

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "examples" / "web" / "app.py"
KEY = "sk-test-SECRET-0123456789"  # the server's key: must never reach a browser


def _load_example() -> ModuleType:
    # registered before it runs: pydantic resolves the models' annotations in their module
    spec = importlib.util.spec_from_file_location("typedllm_web_example", APP_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


web = _load_example()


def _client(fake: FakeProvider) -> tl.Client:
    # no retries: an error status must reach the app at once
    built: tl.Client = (
        tl.openai().model("gpt-4o-mini").api_key(KEY).max_retries(0).transport(fake).build()
    )
    return built


@contextlib.contextmanager
def _serve(app: Any) -> Iterator[str]:
    """Run ``app`` on uvicorn in a thread, on a free port of 127.0.0.1 bound before it starts
    (no race for the port); stopped, and the thread joined, on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
    assert not thread.is_alive()


@contextlib.contextmanager
def _http(base_url: str) -> Iterator[httpx.Client]:
    # trust_env=False: a proxy from the environment must not see requests to 127.0.0.1
    with httpx.Client(base_url=base_url, timeout=10, trust_env=False) as http:
        yield http


def _events(body: str) -> list[tuple[str, Any]]:
    """Parse an SSE body (``event:``/``data:`` lines, blank-line separated)."""
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            if field == "event":
                name = value.strip()
            elif field == "data":
                data.append(value.removeprefix(" "))
        if data:
            events.append((name, orjson.loads("\n".join(data))))
    return events


def _post_stream(http: httpx.Client, path: str, body: Any) -> tuple[httpx.Response, list[Any]]:
    with http.stream("POST", path, json=body) as response:
        text = response.read().decode()
    return response, _events(text) if response.status_code == 200 else []


INVOICE = {
    "invoice_number": "INV-2024-0042",
    "customer": "ACME GmbH",
    "issued_on": "2024-03-14",
    "items": [
        {"description": "Widget", "quantity": 3, "unit_price": 19.99},
        {"description": "Installation", "quantity": 1, "unit_price": 150.0},
    ],
    "notes": None,
}


def test_generate_streams_text_deltas_then_done() -> None:
    answer = "The quick brown fox jumps over the lazy dog, twice."
    fake = FakeProvider([answer])
    with _serve(web.create_app(_client(fake))) as url, _http(url) as http:
        response, events = _post_stream(http, "/generate", {"prompt": "a fox"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) == {"delta"} and len(names) > 3
    assert "".join(data["text"] for name, data in events if name == "delta") == answer
    done = events[-1][1]
    assert done["finish_reason"] == "stop" and done["usage"]["output_tokens"] > 0
    assert fake.requests[0].json["messages"][-1]["content"] == "a fox"
    assert fake.requests[0].json["stream"] is True


def test_extract_streams_growing_partials_and_the_validated_invoice() -> None:
    fake = FakeProvider([INVOICE])
    with _serve(web.create_app(_client(fake))) as url, _http(url) as http:
        response, events = _post_stream(http, "/extract", {"text": "invoice email"})
    assert response.status_code == 200
    names = [name for name, _ in events]
    assert names[-2:] == ["final", "done"] and set(names[:-2]) == {"partial"}
    partials = [data for name, data in events if name == "partial"]
    assert len(partials) >= 4
    for before, after in pairwise(partials):
        assert before != after  # only changes are sent
        # grow: every complete field stays, with its value (lists and objects only extend)
        for key, value in before.items():
            assert key in after
            if not isinstance(value, (list, dict)):
                assert after[key] == value
    assert partials[-1]["items"][0]["description"] == "Widget"
    final = events[-2][1]
    assert web.Invoice.model_validate(final) == web.Invoice.model_validate(INVOICE)
    assert final == INVOICE  # the validated model, dumped as JSON
    request = fake.requests[0].json
    assert request["response_format"]["type"] == "json_schema"
    assert "invoice email" in request["messages"][-1]["content"]


def test_offline_default_client_streams_schema_valid_data() -> None:
    # no OPENAI_API_KEY (the suite removes it): make_client() answers from the fake
    with _serve(web.create_app()) as url, _http(url) as http:
        _, generated = _post_stream(http, "/generate", {"prompt": "hello offline"})
        _, extracted = _post_stream(http, "/extract", {"text": "INV-1 for ACME"})
    text = "".join(data["text"] for name, data in generated if name == "delta")
    assert "hello offline" in text
    final = dict(extracted)["final"]
    assert isinstance(web.Invoice.model_validate(final), web.Invoice)


@pytest.mark.parametrize(
    ("path", "body", "status", "kind", "says"),
    [
        ("/generate", b'{"prompt": ', 400, "MalformedJSON", "body"),
        ("/generate", b"{}", 422, "RequestValidationError", "prompt: Field required"),
        ("/generate", b'{"prompt": ""}', 422, "RequestValidationError", "prompt: String should"),
        ("/extract", b'{"text": 5}', 422, "RequestValidationError", "text: Input should be"),
        ("/extract", b"[]", 422, "RequestValidationError", "body"),
    ],
)
def test_a_bad_body_is_rejected_before_streaming(
    path: str, body: bytes, status: int, kind: str, says: str
) -> None:
    fake = FakeProvider(["never sent"])
    with _serve(web.create_app(_client(fake))) as url, _http(url) as http:
        response = http.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == kind and error["status"] == status
    assert says in error["message"]
    assert fake.calls == 0  # nothing went to the provider


@pytest.mark.parametrize(
    ("path", "reply", "status", "kind"),
    [
        ("/generate", FakeReply.error(429, "slow down", retry_after=7), 429, "RateLimitError"),
        ("/generate", FakeReply.error(503, "overloaded"), 502, "InternalServerError"),
        ("/extract", FakeReply.error(400, "bad schema"), 502, "BadRequestError"),
        ("/extract", FakeReply.refusal("I can't help with that."), 422, "RefusalError"),
        (
            "/generate",
            FakeReply.error(401, f"Incorrect API key provided: {KEY[:12]}...{KEY[-4:]}"),
            502,
            "AuthenticationError",
        ),
    ],
    ids=["rate-limit", "server-error", "bad-request", "refusal", "rejected-key"],
)
def test_a_provider_error_before_the_first_byte_is_an_http_status(
    path: str, reply: FakeReply, status: int, kind: str
) -> None:
    body = {"prompt": "x"} if path == "/generate" else {"text": "x"}
    with _serve(web.create_app(_client(FakeProvider([reply])))) as url, _http(url) as http:
        response = http.post(path, json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == kind and error["status"] == status
    assert KEY not in response.text and KEY[-4:] not in response.text
    if kind == "RateLimitError":
        assert response.headers["retry-after"] == "7"
        assert "slow down" in error["message"]
    if kind == "AuthenticationError":  # the provider's message quotes part of the key
        assert error["message"] == "the provider rejected this server's credentials"


@pytest.mark.parametrize(
    ("failure", "status", "kind"),
    [
        (httpx.ConnectError("connection refused"), 502, "APIConnectionError"),
        (httpx.ReadTimeout("timed out"), 504, "APITimeoutError"),
    ],
    ids=["unreachable", "timeout"],
)
def test_an_unreachable_provider_is_a_gateway_status(
    failure: Exception, status: int, kind: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key(KEY)
        .max_retries(0)
        .transport(httpx.MockTransport(handler))
        .build()
    )
    with _serve(web.create_app(llm)) as url, _http(url) as http:
        response = http.post("/generate", json={"prompt": "x"})
    assert response.status_code == status
    error = response.json()["error"]
    assert error["type"] == kind and error["status"] == status and error["message"]


class _ChunkedSSE(httpx.AsyncByteStream):
    """A provider stream arriving event by event, as over a network (the fake provider sends
    its whole body at once, and typedllm raises an in-stream error before the deltas that
    came in the same chunk)."""

    def __init__(self, events: list[str]) -> None:
        self._events = events

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for event in self._events:
            yield event.encode()
            await asyncio.sleep(0.005)


def _chunked_client(events: list[str]) -> tl.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, headers=headers, stream=_ChunkedSSE(events))

    transport = httpx.MockTransport(handler)
    built: tl.Client = (
        tl.openai().model("gpt-4o-mini").api_key(KEY).max_retries(0).transport(transport).build()
    )
    return built


def test_an_error_mid_text_stream_is_an_sse_error_event() -> None:
    llm = _chunked_client(
        [
            'data: {"choices":[{"index":0,"delta":{"content":"Once upon"}}]}\n\n',
            'data: {"choices":[{"index":0,"delta":{"content":" a time"}}]}\n\n',
            "event: error\n"
            f'data: {{"error":{{"message":"The server had an error ({KEY})",'
            '"type":"server_error","code":"server_error","status_code":500}}\n\n',
        ]
    )
    with _serve(web.create_app(llm)) as url, _http(url) as http:
        response, events = _post_stream(http, "/generate", {"prompt": "a story"})
    assert response.status_code == 200  # the status went out with the first byte
    assert [name for name, _ in events] == ["delta", "delta", "error"]
    assert "".join(data["text"] for _, data in events[:-1]) == "Once upon a time"
    error = events[-1][1]
    assert error["type"] == "InternalServerError" and error["status"] == 502
    assert "The server had an error" in error["message"]
    assert KEY not in str(events)  # the provider echoed the key: typedllm scrubbed it


class _EndlessSSE(httpx.AsyncByteStream):
    """A provider stream that never ends, and says when it is closed."""

    def __init__(self) -> None:
        self.sent = 0
        self.closed = threading.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            delta = orjson.dumps({"choices": [{"index": 0, "delta": {"content": "word "}}]})
            yield b"data: " + delta + b"\n\n"
            self.sent += 1
            await asyncio.sleep(0.005)

    async def aclose(self) -> None:
        self.closed.set()


def test_a_client_that_goes_away_closes_the_provider_stream() -> None:
    upstream = _EndlessSSE()
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=upstream
        )
    )
    llm = tl.openai().model("gpt-4o-mini").api_key(KEY).transport(transport).build()
    with _serve(web.create_app(llm)) as url, _http(url) as http:
        with http.stream("POST", "/generate", json={"prompt": "go on forever"}) as response:
            first = next(response.iter_lines())
        assert first == "event: delta"
        assert upstream.closed.wait(10), "the provider's response was left open"
        sent = upstream.sent
        time.sleep(0.1)
        assert upstream.sent == sent  # and nothing more is read from it


def test_an_error_mid_extraction_is_an_sse_error_event_without_a_final() -> None:
    fake = FakeProvider([FakeReply.truncated('{"invoice_number": "INV-1", "customer": "ACME Gm')])
    with _serve(web.create_app(_client(fake))) as url, _http(url) as http:
        response, events = _post_stream(http, "/extract", {"text": "an invoice"})
    assert response.status_code == 200
    names = [name for name, _ in events]
    assert names[-1] == "error" and "final" not in names and "done" not in names
    assert {"invoice_number": "INV-1"} in [data for name, data in events if name == "partial"]
    error = events[-1][1]
    assert error["type"] == "TruncatedOutputError" and error["status"] == 502
    assert "cut off" in error["message"]


def test_the_page_is_served() -> None:
    with _serve(web.create_app(_client(FakeProvider()))) as url, _http(url) as http:
        response = http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "postStream" in response.text and 'id="extract-final"' in response.text


# -- the page in headless Chromium ------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Chromium for the page test: apt-get install -y chromium"
)


def _render(url: str, tmp_path: Path, name: str) -> tuple[str, Path]:
    """Load ``url`` in headless Chromium, let its streams finish, return the DOM and save a
    screenshot (``--virtual-time-budget`` waits while requests are pending)."""
    assert CHROMIUM is not None
    shot = tmp_path / f"{name}.png"
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # root in CI containers
            "--disable-gpu",
            "--no-proxy-server",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / f'{name}-profile'}",
            "--window-size=1000,1300",
            "--virtual-time-budget=15000",
            f"--screenshot={shot}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, shot


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _run_example() -> Iterator[str]:
    """``python examples/web/app.py --port N`` as a user runs it (offline: no key)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, str(APP_PATH), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + "/", timeout=1, trust_env=False).status_code == 200:
                    break
            assert time.monotonic() < deadline, "the example server did not start"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        if process.stderr:
            process.stderr.close()


def _text_of(dom: str, element_id: str) -> str:
    start = dom.index(f'id="{element_id}"')
    return dom[dom.index(">", start) + 1 : dom.index("</", start)]


@needs_chromium
def test_the_page_renders_both_streams_in_chromium(tmp_path: Path) -> None:
    with _run_example() as url:
        dom, shot = _render(url + "/?autorun=1", tmp_path, "page")
    assert 'data-state="done"' in dom
    assert _text_of(dom, "generate-output").startswith("[fake answer] Write two sentences")
    assert _text_of(dom, "generate-meta").startswith("finished (stop)")
    final = orjson.loads(_text_of(dom, "extract-final").replace("&quot;", '"'))
    assert isinstance(web.Invoice.model_validate(final), web.Invoice)
    assert int(_text_of(dom, "extract-count")) >= 4  # rendered partial by partial
    assert _text_of(dom, "generate-error") == "" and _text_of(dom, "extract-error") == ""
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 10_000


@needs_chromium
def test_the_page_shows_http_and_stream_errors_in_chromium(tmp_path: Path) -> None:
    # one reply each: the page sends its two requests at once, in either order
    fake = FakeProvider(
        responder=lambda body: (
            FakeReply.truncated('{"customer": "A')
            if "response_format" in body
            else FakeReply.error(429, "slow down")
        )
    )
    with _serve(web.create_app(_client(fake))) as url:
        dom, shot = _render(url + "/?autorun=1", tmp_path, "errors")
    assert 'data-state="done"' in dom
    assert _text_of(dom, "generate-error").startswith("RateLimitError (HTTP 429)")
    assert _text_of(dom, "extract-error").startswith("TruncatedOutputError (HTTP 502)")
    assert _text_of(dom, "generate-output") == "" and _text_of(dom, "extract-final") == ""
    assert shot.exists()
