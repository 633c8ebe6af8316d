"""Routing the providers' batch endpoints of the fake to their responders (Anthropic first:
its ``/v1/messages/batches`` would otherwise look like OpenAI's ``/batches``)."""

from __future__ import annotations

import threading
from typing import Any, Protocol
from urllib.parse import urlsplit

from .._wire import redact_headers
from . import _batch_anthropic, _batch_gemini, _batch_openai
from ._batch_store import FakeBatchStore
from ._keys import authorized
from ._replies import FakeReply, RecordedRequest

__all__ = ["route"]

Rendered = tuple[int, dict[str, str], bytes]


def _is_batch_path(path: str) -> bool:
    return (
        "/batches" in path
        or path.endswith("/files")
        or "/files/" in path
        or path.endswith(":batchGenerateContent")
    )


class _Fake(Protocol):
    """What the batch routes use of a :class:`~typedllm.testing.FakeProvider` (its batch
    store, its request log, its lock and key, and how it answers one request)."""

    batches: FakeBatchStore
    requests: list[RecordedRequest]
    _lock: threading.Lock
    _api_key: str | None

    def _next_reply(self, request_json: dict[str, Any], index: int, wire: Any) -> FakeReply: ...


def route(
    fake: _Fake, method: str, url: str, headers: dict[str, str], body: bytes
) -> Rendered | None:
    """The fake's answer to a batch API request, or ``None`` when ``url`` is not one.

    Every batch request is recorded like any other (its JSON: the parsed body, or the lines
    of an uploaded JSONL file); a wrong key gets the provider's 401, as for single calls.
    """
    parts = urlsplit(url)
    path = parts.path
    if not _is_batch_path(path):
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    store = fake.batches

    def answer(request_json: dict[str, Any], wire: Any) -> Rendered:
        # Called with the fake's lock held: the single call's answer, counted as a request
        # of the fake (a scripted reply is used per request, in submission order).
        index = store.next_answer()
        reply = fake._next_reply(request_json, index, wire)  # pyright: ignore[reportPrivateUsage]
        rendered: Rendered = wire.render_reply(request_json, reply, index)
        return rendered

    with fake._lock:  # pyright: ignore[reportPrivateUsage]
        key = fake._api_key  # pyright: ignore[reportPrivateUsage]
        handled: tuple[Rendered, Any] | None
        if key is not None and not authorized(headers, key):
            handled = _unauthorized(headers)
        else:
            handled = (
                _batch_anthropic.handle(store, method, path, origin, body, answer)
                or _batch_gemini.handle(store, method, path, body, answer)
                or _batch_openai.handle(store, method, path, headers, body, answer)
            )
        if handled is None:
            return None
        rendered, recorded = handled
        fake.requests.append(RecordedRequest(method, path, redact_headers(headers), recorded))
    return rendered


def _unauthorized(headers: dict[str, str]) -> tuple[Rendered, Any]:
    from . import _anthropic_wire, _gemini_wire, _openai_wire

    wire: Any = (
        _anthropic_wire
        if "anthropic-version" in headers
        else _gemini_wire
        if "x-goog-api-key" in headers
        else _openai_wire
    )
    rendered: Rendered = wire.render_reply({}, FakeReply.error(401, "invalid API key"), 0)
    return rendered, None
