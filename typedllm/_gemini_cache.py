"""Gemini explicit context caching: cached contents as a typed resource.

A cached content holds a prompt prefix (messages, the system instruction, tools) on Google's
side for a TTL; calls that name it (``CallOptions(cached_content=cache.name)``) pay the
cached-token price for that prefix (https://ai.google.dev/gemini-api/docs/caching;
the REST resource: https://ai.google.dev/api/caching: ``POST /cachedContents`` with
``model``, ``contents``, ``systemInstruction``, ``tools`` and ``ttl`` as ``"<seconds>s"``;
``GET``/``DELETE /{name}``). Requests go through the client's own host, auth step, retries
and transport, so ``.transport(FakeProvider())`` serves them offline.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._errors import ConfigurationError
from ._jsonutil import as_dict, as_int
from ._messages import Message, Prompt, user
from ._options import CallOptions, ToolDefinition

if TYPE_CHECKING:
    from ._client import Client

__all__ = ["CachedContent", "acreate_cache", "aget_cache", "create_cache", "get_cache"]


def _parse_time(value: Any) -> _dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:  # Google sends nanoseconds; Python parses at most microseconds
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits) :]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class CachedContent:
    """A Gemini cached content (``cachedContents/...``).

    Attributes:
        name: the resource name to pass as ``CallOptions(cached_content=...)``.
        model: the model it was made for (calls must use the same model).
        expire_time: when Google deletes it.
        create_time: when it was made.
        token_count: the tokens it holds (``usageMetadata.totalTokenCount``).
        display_name: the label given at creation.
    """

    name: str
    model: str
    expire_time: _dt.datetime | None
    create_time: _dt.datetime | None
    token_count: int
    display_name: str | None = None
    client: Client | None = field(default=None, repr=False, compare=False)

    @property
    def options(self) -> CallOptions:
        """Call options that use this cache."""
        return CallOptions(cached_content=self.name)

    def refresh(self) -> CachedContent:
        """The resource as Google has it now (``GET``)."""
        return _from_json(self._client(), _call(self._client(), "GET", f"/{self.name}"))

    def delete(self) -> None:
        """Delete it now (``DELETE``), before its TTL ends."""
        _call(self._client(), "DELETE", f"/{self.name}")

    async def arefresh(self) -> CachedContent:
        """:meth:`refresh`, asynchronously."""
        client = self._client()
        return _from_json(client, await _acall(client, "GET", f"/{self.name}"))

    async def adelete(self) -> None:
        """:meth:`delete`, asynchronously."""
        await _acall(self._client(), "DELETE", f"/{self.name}")

    def _client(self) -> Client:
        if self.client is None:
            raise ConfigurationError("this CachedContent has no client to send requests with")
        return self.client


def _from_json(client: Client, raw: dict[str, Any]) -> CachedContent:
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigurationError("Gemini answered a cachedContents request without a name")
    display = raw.get("displayName")
    return CachedContent(
        name=name,
        model=str(raw.get("model") or "").removeprefix("models/"),
        expire_time=_parse_time(raw.get("expireTime")),
        create_time=_parse_time(raw.get("createTime")),
        token_count=as_int(as_dict(raw.get("usageMetadata")).get("totalTokenCount")),
        display_name=display if isinstance(display, str) else None,
        client=client,
    )


def _call(client: Client, method: str, path: str, payload: Any = None) -> dict[str, Any]:
    from .pipeline._batch_http import send_json

    config = client.config
    flow = send_json(config, method, path, payload=payload, operation="cached_content")
    result: dict[str, Any] = client._sync().run(flow)  # pyright: ignore[reportPrivateUsage]
    return result


async def _acall(client: Client, method: str, path: str, payload: Any = None) -> dict[str, Any]:
    from .pipeline._batch_http import send_json

    config = client.config
    flow = send_json(config, method, path, payload=payload, operation="cached_content")
    result: dict[str, Any] = await client._async().run(flow)  # pyright: ignore[reportPrivateUsage]
    return result


def _gemini_client(client: Client) -> None:
    if client.config.wire != "gemini-generate-content":
        raise ConfigurationError(
            f"cached contents are Gemini's; this client speaks {client.config.wire} "
            "(Anthropic and OpenAI cache prompts without a resource: see docs/prompt-caching.md)"
        )


def _ttl_text(ttl: float | _dt.timedelta) -> str:
    seconds = ttl.total_seconds() if isinstance(ttl, _dt.timedelta) else ttl
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"ttl must be a positive number of seconds, got {ttl!r}")
    return f"{seconds:g}s"


def _create_payload(
    client: Client,
    contents: Prompt,
    ttl: float | _dt.timedelta,
    display_name: str | None,
    tools: Sequence[ToolDefinition],
) -> dict[str, Any]:
    _gemini_client(client)
    from .codecs import gemini as gemini_codec
    from .codecs._base import ChatRequest

    messages: tuple[Message, ...] = (
        (user(contents),) if isinstance(contents, str) else tuple(contents)
    )
    if not messages:
        raise ConfigurationError("create_cache needs the contents to cache")
    request = ChatRequest(messages, options=CallOptions(tools=tuple(tools) or None))
    body = gemini_codec.encode_body(client.config, request)
    payload: dict[str, Any] = {
        "model": f"models/{client.config.model}",
        "contents": body["contents"],
        "ttl": _ttl_text(ttl),
    }
    for key in ("systemInstruction", "tools", "toolConfig"):
        if key in body:
            payload[key] = body[key]
    if display_name is not None:
        payload["displayName"] = display_name
    return payload


def create_cache(
    client: Client,
    contents: Prompt,
    *,
    ttl: float | _dt.timedelta,
    display_name: str | None = None,
    tools: Sequence[ToolDefinition] = (),
) -> CachedContent:
    """Cache ``contents`` (a prompt: its system messages become the system instruction) for
    ``ttl`` seconds on the client's Gemini model; use it with ``cache.options`` (or
    ``CallOptions(cached_content=cache.name)``) and end it with ``cache.delete()``.

    >>> import typedllm as tl
    >>> from typedllm.testing import FakeProvider
    >>> llm = tl.gemini().model("gemini-2.5-flash").api_key("k").transport(FakeProvider()).build()
    >>> cache = tl.create_cache(llm, [tl.system("Long manual"), tl.user("...")], ttl=300)
    >>> cache.name.startswith("cachedContents/")
    True
    """
    payload = _create_payload(client, contents, ttl, display_name, tools)
    return _from_json(client, _call(client, "POST", "/cachedContents", payload))


def _check_name(client: Client, name: str) -> None:
    _gemini_client(client)
    if not isinstance(name, str) or not name.startswith("cachedContents/"):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"a cached content name starts with 'cachedContents/', got {name!r}"
        )


def get_cache(client: Client, name: str) -> CachedContent:
    """The cached content ``name`` (``cachedContents/...``) as Google has it."""
    _gemini_client(client)
    if not isinstance(name, str) or not name.startswith("cachedContents/"):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"a cached content name starts with 'cachedContents/', got {name!r}"
        )
    return _from_json(client, _call(client, "GET", f"/{name}"))


async def acreate_cache(
    client: Client,
    contents: Prompt,
    *,
    ttl: float | _dt.timedelta,
    display_name: str | None = None,
    tools: Sequence[ToolDefinition] = (),
) -> CachedContent:
    """:func:`create_cache`, asynchronously."""
    payload = _create_payload(client, contents, ttl, display_name, tools)
    return _from_json(client, await _acall(client, "POST", "/cachedContents", payload))


async def aget_cache(client: Client, name: str) -> CachedContent:
    """:func:`get_cache`, asynchronously."""
    _check_name(client, name)
    return _from_json(client, await _acall(client, "GET", f"/{name}"))
