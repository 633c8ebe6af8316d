"""Listing the models a provider serves (``client.list_models()``), as typed records marked
with what the catalog knows of each.

Every page is one GET through the same machinery as a ``complete`` call (:mod:`._flow`): the
host places it below the client's base URL (its query, the user's headers), the auth step
signs it, the retry policy retries connection failures and retryable statuses, an error status
becomes the wire's typed error. Pagination is followed until the provider says there is no
more. The endpoints, each from the provider's API reference:

============== ================================== ==================================================
wire           request                            reference
============== ================================== ==================================================
OpenAI, hosts  ``GET {base}/models``              https://platform.openai.com/docs/api-reference/models/list
Azure OpenAI   ``GET /openai/models?api-version`` https://learn.microsoft.com/rest/api/azureopenai/models/list
Anthropic      ``GET /v1/models`` (``after_id``)  https://docs.anthropic.com/en/api/models-list
Gemini         ``GET /v1beta/models`` (pageToken) https://ai.google.dev/api/models#method:-models.list
Ollama         ``GET /api/tags``                  https://github.com/ollama/ollama/blob/main/docs/api.md#list-local-models
Cohere         ``GET /v1/models`` (page_token)    https://docs.cohere.com/reference/list-models
============== ================================== ==================================================

Claude on Bedrock and Vertex AI and Gemini on Vertex AI list their models through the
clouds' own control-plane APIs, not the inference host: listing them is a
:class:`~typedllm.ConfigurationError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from ._catalog import ModelInfo, lookup
from ._config import AnthropicOptions, ClientConfig
from ._errors import ConfigurationError, ProtocolError
from ._flow import new_context, send_request
from ._jsonutil import as_dict
from ._wire import EncodedRequest, WireResponse
from .codecs import get_codec

__all__ = ["ListedModel", "list_models_flow"]

_MAX_PAGES = 1000
"""A provider that keeps answering with a next page past this is broken, not large."""


@dataclass(frozen=True, slots=True)
class ListedModel:
    """One model a provider's models endpoint lists.

    Attributes:
        id: the name to pass to ``.model(...)`` (Gemini's ``models/`` prefix removed).
        provider: the client's provider.
        created: when the provider made it available (Unix time), when it says.
        display_name: its human-readable name, when the provider gives one.
        owned_by: the organisation that owns it (OpenAI-style hosts).
        context_window: its context window in tokens, when the endpoint gives it (Gemini's
            ``inputTokenLimit``, Cohere's ``context_length``, vLLM's ``max_model_len``,
            OpenRouter's ``context_length``).
        in_catalog: whether typedllm's catalog knows the model (capabilities and prices).
        catalog: the catalog's record, when it knows the model.
        raw: the provider's record as it came.
    """

    id: str
    provider: str
    created: float | None = None
    display_name: str | None = None
    owned_by: str | None = None
    context_window: int | None = None
    in_catalog: bool = False
    catalog: ModelInfo | None = field(default=None, repr=False)
    raw: Mapping[str, Any] = field(default_factory=dict[str, Any], repr=False, compare=False)


Page = tuple[list[dict[str, Any]], str | None]
"""A page's model records and the token (or id) of the next page, ``None`` at the end."""


@dataclass(frozen=True, slots=True)
class _Endpoint:
    """How one provider lists its models."""

    path: str
    first_query: tuple[tuple[str, str], ...]
    next_query: Callable[[str], tuple[tuple[str, str], ...]]
    page: Callable[[dict[str, Any]], Page]
    record: Callable[[dict[str, Any]], tuple[str, str | None, float | None, str | None, int | None]]
    headers: tuple[tuple[str, str], ...] = ()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _time(value: Any) -> float | None:
    from .pipeline._batch_http import parse_time

    return parse_time(value)


def _records(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = body.get(key)
    if not isinstance(items, list):
        return []
    return [as_dict(item) for item in items if isinstance(item, dict)]  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]


# -- the providers -------------------------------------------------------------------------------


def _openai_page(body: dict[str, Any]) -> Page:
    # OpenAI answers every model at once; a compatible host that pages the OpenAI way
    # (``has_more`` / ``last_id``, e.g. some gateways) is followed too.
    data = _records(body, "data")
    more = body.get("has_more") is True and data
    return data, (_str(body.get("last_id")) or _str(data[-1].get("id"))) if more else None


def _openai_record(
    item: dict[str, Any],
) -> tuple[str, str | None, float | None, str | None, int | None]:
    window = (
        _int(item.get("context_window"))
        or _int(item.get("context_length"))  # OpenRouter
        or _int(item.get("max_model_len"))  # vLLM
    )
    created = _time(item.get("created")) or _time(item.get("created_at"))  # Azure: created_at
    return (
        str(item.get("id", "")),
        _str(item.get("name")) or _str(item.get("display_name")),
        created,
        _str(item.get("owned_by")),
        window,
    )


def _anthropic_page(body: dict[str, Any]) -> Page:
    data = _records(body, "data")
    more = body.get("has_more") is True and data
    return data, (_str(body.get("last_id")) or _str(data[-1].get("id"))) if more else None


def _anthropic_record(
    item: dict[str, Any],
) -> tuple[str, str | None, float | None, str | None, int | None]:
    window = _int(item.get("max_input_tokens"))  # when the API adds it; else the catalog
    return (
        str(item.get("id", "")),
        _str(item.get("display_name")),
        _time(item.get("created_at")),
        None,
        window,
    )


def _gemini_page(body: dict[str, Any]) -> Page:
    return _records(body, "models"), _str(body.get("nextPageToken"))


def _gemini_record(
    item: dict[str, Any],
) -> tuple[str, str | None, float | None, str | None, int | None]:
    name = str(item.get("name", "")).removeprefix("models/")
    return name, _str(item.get("displayName")), None, None, _int(item.get("inputTokenLimit"))


def _ollama_page(body: dict[str, Any]) -> Page:
    return _records(body, "models"), None  # the local models, all at once


def _ollama_record(
    item: dict[str, Any],
) -> tuple[str, str | None, float | None, str | None, int | None]:
    name = _str(item.get("model")) or str(item.get("name", ""))
    return name, _str(item.get("name")), _time(item.get("modified_at")), None, None


def _cohere_page(body: dict[str, Any]) -> Page:
    return _records(body, "models"), _str(body.get("next_page_token"))


def _cohere_record(
    item: dict[str, Any],
) -> tuple[str, str | None, float | None, str | None, int | None]:
    return str(item.get("name", "")), None, None, None, _int(item.get("context_length"))


def _no_query(_token: str) -> tuple[tuple[str, str], ...]:
    return ()


def _endpoint(config: ClientConfig) -> _Endpoint:
    """How ``config``'s provider lists its models (a clear error where it cannot)."""
    wire, host = config.wire, config.host
    if wire in ("openai-chat", "openai-responses", "azure-openai-chat"):
        # Azure's deployment URLs sit below the resource endpoint; its v1 API below /openai/v1.
        deployments = wire == "azure-openai-chat" and bool(host.paths)
        path = "/openai/models" if deployments else "/models"
        return _Endpoint(path, (), lambda last: (("after", last),), _openai_page, _openai_record)
    if wire == "anthropic-messages" and host.name not in ("bedrock", "vertex"):
        version = config.options_of(AnthropicOptions).version
        return _Endpoint(
            "/v1/models",
            (("limit", "1000"),),
            lambda last: (("limit", "1000"), ("after_id", last)),
            _anthropic_page,
            _anthropic_record,
            (("anthropic-version", version),),
        )
    if wire == "gemini-generate-content" and host.name != "vertex":
        return _Endpoint(
            "/models",
            (("pageSize", "1000"),),
            lambda token: (("pageSize", "1000"), ("pageToken", token)),
            _gemini_page,
            _gemini_record,
        )
    if wire == "ollama-chat":
        return _Endpoint("/api/tags", (), _no_query, _ollama_page, _ollama_record)
    if wire == "cohere-chat":
        return _Endpoint(
            "/v1/models",
            (("page_size", "1000"),),
            lambda token: (("page_size", "1000"), ("page_token", token)),
            _cohere_page,
            _cohere_record,
        )
    raise ConfigurationError(
        f"list_models is not available for {config.provider} on {host.name} ({wire}): "
        "this host lists its models through its cloud's own control-plane API"
    )


_CATALOG_OF = {"azure_openai": "openai", "gemini_openai": "gemini"}
"""Hosts that serve another provider's models under that provider's names."""


def _listed(config: ClientConfig, endpoint: _Endpoint, item: dict[str, Any]) -> ListedModel:
    model_id, display_name, created, owned_by, window = endpoint.record(item)
    catalog_provider = _CATALOG_OF.get(config.provider, config.provider)
    if config.provider == "gemini_openai":
        model_id = model_id.removeprefix("models/")
    info = lookup(catalog_provider, model_id)
    return ListedModel(
        id=model_id,
        provider=config.provider,
        created=created,
        display_name=display_name,
        owned_by=owned_by,
        context_window=window if window is not None else (info.context_window if info else None),
        in_catalog=info is not None,
        catalog=info,
        raw=item,
    )


def _json_body(provider: str, response: WireResponse) -> dict[str, Any]:
    try:
        body = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        raise ProtocolError(
            f"{provider} answered the models request with a body that is not a JSON object",
            provider=provider,
            status_code=response.status,
            body=response.body[:500].decode("utf-8", errors="replace"),
        )
    return as_dict(body)  # pyright: ignore[reportUnknownArgumentType]


def list_models_flow(config: ClientConfig) -> Generator[Any, Any, list[ListedModel]]:
    """The models ``config``'s provider lists, every page followed (a flow: run it on a
    driver)."""
    endpoint = _endpoint(config)
    ctx = new_context(config, get_codec(config.wire), "list_models", time.monotonic)
    headers = {"accept": "application/json", **dict(endpoint.headers)}
    query = endpoint.first_query
    models: list[ListedModel] = []
    seen: set[str] = set()
    for _ in range(_MAX_PAGES):
        encoded = EncodedRequest("models", endpoint.path, b"", headers, query, "GET")
        response: WireResponse = yield from send_request(ctx, encoded, config.defaults)
        items, token = endpoint.page(_json_body(config.provider, response))
        models.extend(_listed(config, endpoint, item) for item in items)
        if token is None:
            return [m for m in models if m.id]
        if token in seen:
            raise ProtocolError(
                f"{config.provider} answered the same next-page token twice ({token!r}): "
                "its models list does not end",
                provider=config.provider,
            )
        seen.add(token)
        query = endpoint.next_query(token)
    raise ProtocolError(
        f"{config.provider} listed more than {_MAX_PAGES} pages of models",
        provider=config.provider,
    )
