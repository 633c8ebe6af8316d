"""The embedded fake provider: an httpx transport that speaks the providers' wire protocols
(OpenAI Chat Completions and Responses, Anthropic Messages, also on Bedrock and Vertex AI,
Gemini ``generateContent``, Ollama ``/api/chat``, Cohere ``/v2/chat``, and the embeddings
endpoints of :mod:`._embeddings_wire`), chosen by path.

It answers like the real service would, with no network:

* **auto mode** (default): structured requests get deterministic data generated from the
  request's own JSON schema (valid by construction, constraints moved into descriptions
  included); plain requests get an echo of the prompt; a ``pattern`` the generator cannot
  satisfy is answered with an HTTP 400 naming it (script the reply then);
* **scripted mode**: ``FakeProvider([...])`` answers with the given replies in order (strings,
  JSON-able values or :class:`FakeReply` for refusals, truncation, HTTP errors, raw bodies),
  or a callable ``(request_json) -> reply`` for anything dynamic.

Paths the real APIs do not have get a 404 in the provider's error shape (see
:func:`_wire_for`). Every request is recorded (``provider.requests``) with its parsed JSON
body, for assertions.
The same object is a sync and an async httpx transport, and it is picklable.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from .._errors import ConfigurationError
from .._jsonutil import as_dict
from .._wire import redact_headers
from . import (
    _anthropic_wire,
    _batch_routes,
    _bedrock_wire,
    _cohere_wire,
    _embeddings_wire,
    _gemini_caches,
    _gemini_wire,
    _models_routes,
    _ollama_wire,
    _openai_wire,
    _responses_wire,
)
from ._auto_tools import ToolMode, auto_tool_reply, check_mode
from ._batch_store import FakeBatchStore
from ._instances import InstanceError
from ._keys import authorized
from ._replies import FakeReply, RecordedRequest

__all__ = ["FakeProvider", "FakeProviderExhausted", "RecordedRequest"]

Reply = FakeReply | str | Any
Responder = Callable[[dict[str, Any]], Reply]


class FakeProviderExhausted(AssertionError):
    """A scripted fake received more requests than it has replies for."""


def _as_reply(value: Reply) -> FakeReply:
    if isinstance(value, FakeReply):
        return value
    if isinstance(value, str):
        return FakeReply.of_text(value)
    return FakeReply.of_json(value)


def _check_replies(replies: object) -> None:
    """A bare reply where the list of replies goes is an error (a string would otherwise be
    iterated into one reply per character, a dict into one per key)."""
    if replies is None:
        return
    kind, shown = type(replies).__name__, repr(replies)[:60]
    if isinstance(replies, (str, bytes, Mapping, FakeReply)) or not isinstance(replies, Iterable):
        raise ConfigurationError(
            f"FakeProvider takes a list of replies, got a bare {kind}: "
            f"wrap it in a list, e.g. FakeProvider([{shown}])"
        )


_GEMINI_PATH = re.compile(
    r"(?:/[^/]+)*/(?:v1|v1beta|v1alpha|v1beta1)"
    r"(?:/projects/[^/]+/locations/[^/]+/publishers/google)?"  # Vertex AI
    r"/(?:models|tunedModels)/[^/:]+:(?:generateContent|streamGenerateContent)"
)


_BEDROCK_PATH = re.compile(r"/model/[^/]+/(?:invoke|invoke-with-response-stream)")
_VERTEX_ANTHROPIC_PATH = re.compile(
    r"/v1(?:beta1)?/projects/[^/]+/locations/[^/]+/publishers/anthropic/models/[^/:]+"
    r":(?:rawPredict|streamRawPredict)"
)
_STREAM_PATHS = (":streamGenerateContent", ":streamRawPredict", "/invoke-with-response-stream")


def _wire_for(method: str, path: str) -> Any:
    """The responder module for an endpoint the real services have (OpenAI Chat Completions
    under any prefix, as compatible hosts mount it, and Responses; Anthropic ``/v1/messages``;
    Cohere ``/v2/chat``; Gemini ``/{version}/models/{model}:generateContent``, also on Vertex
    AI; Ollama ``/api/chat``; Bedrock ``/model/{id}/invoke``; Claude on Vertex AI
    ``:rawPredict``; the embeddings endpoints), else ``None``.

    A doubled segment (``/v1/v1/...``, ``/v1beta/v1beta/...``: a base URL that already ended in
    the version) and an empty one (``//``) are never real endpoints, and generation endpoints
    only take ``POST``: the real APIs answer 404 for those, so the fake does too.
    """
    segments = path.split("/")[1:]
    if method != "POST" or "" in segments or any(a == b for a, b in pairwise(segments)):
        return None
    if path.endswith("/chat/completions"):
        return _openai_wire
    if path.endswith("/responses"):
        return _responses_wire
    if path.endswith("/v1/messages"):
        return _anthropic_wire
    if path.endswith("/v2/chat"):
        return _cohere_wire  # Cohere v2 chat
    if _GEMINI_PATH.fullmatch(path):
        return _gemini_wire
    if path.endswith("/api/chat"):  # Ollama native
        return _ollama_wire
    if _BEDROCK_PATH.fullmatch(path):
        return _bedrock_wire
    if _VERTEX_ANTHROPIC_PATH.fullmatch(path):
        return _anthropic_wire  # Claude on Vertex AI speaks the Messages wire
    return _embeddings_wire.responder_for(path)  # the embeddings endpoints, else None


def _not_found(
    method: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """A 404 in the error-body shape of the provider the request was meant for (guessed from
    its path and auth headers)."""
    if "anthropic-version" in headers or "/messages" in path:
        wire: Any = _anthropic_wire
        message = "Not Found"
    elif "x-goog-api-key" in headers or ":" in path or "/models/" in path:
        wire = _gemini_wire
        message = f"The requested URL {path} was not found on this server."
    else:
        wire = _openai_wire
        message = f"Invalid URL ({method} {path})"
    rendered: tuple[int, dict[str, str], bytes] = wire.render_reply(
        {}, FakeReply.error(404, message), 0
    )
    return rendered


class FakeProvider(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An offline LLM provider for tests, examples and CI.

    >>> import typedllm as tl
    >>> from typedllm.testing import FakeProvider
    >>> fake = FakeProvider(["Paris"])
    >>> llm = tl.openai().model("gpt-4o-mini").api_key("test").transport(fake).build()
    >>> llm.complete("Capital of France?")
    'Paris'
    >>> fake.requests[0].json["model"]
    'gpt-4o-mini'

    Args:
        replies: scripted replies, answered in order (a list or tuple: a bare string or dict is
            one reply, so ``FakeProvider("text")`` is an error, not 4 replies of one
            character); ``None`` for auto mode.
        responder: a callable computing the reply from the request JSON (overrides auto mode).
        api_key: when set, requests with another key get the provider's 401 error.
        batch_polls: status requests a batch job takes to end (the batch APIs: OpenAI Batch,
            Anthropic Message Batches, Gemini batch mode; see :attr:`batches`).
        tools: the auto tool mode (auto mode only): ``"off"`` (default) answers without
            calling tools; ``"auto"`` answers a request that offers tools with a call to one
            of them (the one ``tool_choice`` names, else the first; ``none``: no call) with
            arguments generated from its schema, until this turn has tool results, then
            answers normally; ``"all"`` calls every offered tool at once.
        models: the model ids its models endpoints list (``GET .../models``, Ollama's
            ``/api/tags``); default: the catalog's models of the provider asked.
    """

    def __init__(
        self,
        replies: list[Reply] | tuple[Reply, ...] | None = None,
        *,
        responder: Responder | None = None,
        api_key: str | None = None,
        batch_polls: int = 1,
        tools: ToolMode = "off",
        models: Sequence[str] | None = None,
    ) -> None:
        _check_replies(replies)
        self._tools: ToolMode = check_mode(tools)
        self._script: list[FakeReply] | None = (
            [_as_reply(r) for r in replies] if replies is not None else None
        )
        self._responder = responder
        self._api_key = api_key
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self.models: tuple[str, ...] | None = None if models is None else tuple(models)
        """The model ids the models endpoints list (``None``: the catalog's)."""
        self.batches = FakeBatchStore(batch_polls)
        """The batch jobs and files the fake holds (each job's requests and answers)."""
        self.caches = _gemini_caches.FakeCacheStore()
        """The Gemini cached contents the fake holds (``/cachedContents``)."""

    # -- pickling (locks are not picklable) ---------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def calls(self) -> int:
        """How many requests were received."""
        return len(self.requests)

    @property
    def remaining(self) -> int | None:
        """Scripted replies not used yet (``None`` in auto mode)."""
        return None if self._script is None else len(self._script)

    # -- protocol-independent core -----------------------------------------------------------

    def respond(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request: ``(status, headers, body)``. Used by the transports and by
        the loopback server."""
        path = urlsplit(url).path
        lower = {k.lower(): v for k, v in headers.items()}
        batched = _batch_routes.route(self, method.upper(), url, lower, body)
        if batched is not None:
            return batched
        listed = _models_routes.route(self, method.upper(), url, lower)
        if listed is not None:
            return listed
        cached = _gemini_caches.route(self.caches, self.requests, method.upper(), url, lower, body)
        if cached is not None:
            return cached
        try:
            parsed: Any = orjson.loads(body) if body else None
        except orjson.JSONDecodeError:
            return (
                400,
                {"content-type": "application/json"},
                orjson.dumps(
                    {
                        "error": {
                            "message": "request body is not valid JSON",
                            "type": "invalid_request_error",
                        }
                    }
                ),
            )
        wire = _wire_for(method.upper(), path)
        with self._lock:
            index = len(self.requests)
            self.requests.append(RecordedRequest(method, path, redact_headers(lower), parsed))
            request_json = as_dict(parsed)
            if wire is None:
                return _not_found(method.upper(), path, lower)
            check = getattr(wire, "check_request", None)
            refused: FakeReply | None = check(lower) if check is not None else None
            if self._api_key is not None and not authorized(lower, self._api_key):
                reply = FakeReply.error(401, "invalid x-api-key / API key provided.")
            elif refused is not None:
                reply = refused
            else:
                reply = self._next_reply(request_json, index, wire)
        if isinstance(wire, _embeddings_wire.EmbeddingResponder):
            return wire.render(request_json, reply, index, path)
        streaming = request_json.get("stream") is True or path.endswith(_STREAM_PATHS)
        if wire is _ollama_wire:
            streaming = _ollama_wire.streams(request_json)  # Ollama streams unless told not to
        render = wire.render_stream if streaming else wire.render_reply
        rendered: tuple[int, dict[str, str], bytes] = render(request_json, reply, index)
        return rendered

    def _next_reply(self, request_json: dict[str, Any], index: int, wire: Any) -> FakeReply:
        if self._responder is not None:
            return _as_reply(self._responder(request_json))
        if self._script is not None:
            if not self._script:
                raise FakeProviderExhausted(
                    f"fake provider received request #{index + 1} but has no scripted reply left"
                )
            return self._script.pop(0)
        try:
            called = auto_tool_reply(wire, request_json, self._tools)
            if called is not None:
                return called
            reply: FakeReply = wire.auto_reply(request_json)
        except InstanceError as exc:
            # A schema the generator cannot satisfy: a clear, typed error (400 is not retried)
            # instead of an exception escaping the transport.
            return FakeReply.error(400, f"fake provider (auto mode): {exc}")
        return reply

    # -- httpx transports --------------------------------------------------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Sync httpx transport entry point."""
        status, headers, body = self.respond(
            request.method, str(request.url), dict(request.headers), request.read()
        )
        return httpx.Response(status, headers=headers, content=body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Async httpx transport entry point."""
        status, headers, body = self.respond(
            request.method, str(request.url), dict(request.headers), await request.aread()
        )
        return httpx.Response(status, headers=headers, content=body)
