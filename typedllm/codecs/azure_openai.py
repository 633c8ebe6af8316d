"""Azure OpenAI's Chat Completions: the OpenAI chat wire, plus Azure's content filter.

Requests and answers are OpenAI Chat Completions (:mod:`typedllm.codecs.openai_chat` encodes
and decodes them); Azure adds its content filtering system, which this codec turns into
:class:`~typedllm.RefusalError` naming the filtered categories:

* a prompt the filter blocks is answered HTTP 400 with ``error.code: "content_filter"`` and
  ``error.innererror.content_filter_result`` (``inner_error.content_filter_results`` in the
  2024-10-21 OpenAPI spec, azure-rest-api-specs
  ``specification/cognitiveservices/data-plane/AzureOpenAI/inference/stable/2024-10-21``;
  one entry per category: ``hate``, ``sexual``,
  ``violence``, ``self_harm`` with ``filtered`` and ``severity``; ``jailbreak`` and the
  protected-material models with ``detected`` and ``filtered``);
* an answer the filter stops has ``finish_reason: "content_filter"`` and the categories in
  ``choices[].content_filter_results`` (streams: in the chunk that carries the finish).

Content filtering, the error and finish shapes:
https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter
(scenario table: "HTTP 400 ... prompt filtered", "HTTP 200 ... finish_reason content_filter").

Nothing here changes the other OpenAI-compatible hosts: their finish ``content_filter`` keeps
its generic refusal message and their errors keep their status classes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .._config import ClientConfig
from .._errors import APIStatusError, ConfigurationError, RefusalError
from .._jsonutil import as_dict, as_list
from .._wire import EncodedRequest, WireResponse
from ..streaming import SSEEvent
from . import openai_chat
from ._base import ChatRequest, DecodedCompletion, Delta, FunctionCodec, parse_json_body
from ._stream import SSEStream, StreamState
from ._think import StreamThinkSplitter

__all__ = [
    "CODEC",
    "content_filter_message",
    "decode",
    "decode_error",
    "encode",
    "filtered_categories",
    "new_stream",
]


def filtered_categories(results: Any) -> list[str]:
    """The categories a ``content_filter_result(s)`` object marks as filtered, with their
    severity where there is one: ``["hate (medium)", "jailbreak"]``."""
    out: list[str] = []
    for name, raw in as_dict(results).items():
        entry = as_dict(raw)
        if entry.get("filtered") is True:
            severity = entry.get("severity")
            out.append(f"{name} ({severity})" if isinstance(severity, str) else str(name))
    return out


def content_filter_message(what: str, results: Any) -> str:
    """``"Azure's content filter <what> (filtered: hate (medium))"``."""
    categories = filtered_categories(results)
    named = f" (filtered: {', '.join(categories)})" if categories else ""
    return f"Azure's content filter {what}{named}"


def encode(config: ClientConfig, request: ChatRequest, stream: bool = False) -> EncodedRequest:
    """Encode as OpenAI Chat Completions (the host places it on the deployment or v1 path)."""
    if request.options.top_k is not None:
        raise ConfigurationError("Azure OpenAI models do not take top_k")
    return openai_chat.encode(config, request, stream)


def decode_error(provider: str, response: WireResponse) -> APIStatusError:
    """The typed error for an error response; a prompt blocked by the content filter (HTTP
    400, ``code: "content_filter"``) raises :class:`~typedllm.RefusalError` instead: the
    provider answered, and the answer is a refusal (it is not retried)."""
    body = parse_json_body(response.body)
    error = as_dict(as_dict(body).get("error"))
    if error.get("code") == "content_filter":
        # The service sends ``innererror.content_filter_result``; the 2024-10-21 OpenAPI spec
        # names them ``inner_error.content_filter_results``: either is read.
        inner = as_dict(error.get("innererror") or error.get("inner_error"))
        results = inner.get("content_filter_result") or inner.get("content_filter_results")
        raise RefusalError(content_filter_message("blocked the prompt", results))
    return openai_chat.decode_error(provider, response)


def _with_filter_refusal(decoded: DecodedCompletion, results: Any) -> DecodedCompletion:
    if decoded.finish_reason != "content_filter" or decoded.refusal is not None:
        return decoded
    return replace(decoded, refusal=content_filter_message("stopped the answer", results))


def decode(provider: str, response: WireResponse) -> DecodedCompletion:
    """Decode as OpenAI Chat Completions; a ``content_filter`` finish becomes a refusal
    naming the filtered categories."""
    if response.status >= 400:
        raise decode_error(provider, response)
    decoded = openai_chat.decode(provider, response)
    choices = as_list(as_dict(decoded.raw).get("choices"))
    choice = as_dict(choices[0]) if choices else {}
    return _with_filter_refusal(decoded, choice.get("content_filter_results"))


class AzureStream(SSEStream):
    """The OpenAI chat stream, keeping the first choice's filter results that mark a
    category as filtered (so that the refusal can name them)."""

    def __init__(self, provider: str) -> None:
        splitter = StreamThinkSplitter()
        self._filter_results: Any = None

        def apply(provider: str, event: SSEEvent, state: StreamState) -> list[Delta]:
            deltas = openai_chat.stream_event(provider, event, state, splitter)
            # Every Azure chunk carries filter results; only a filtered one is read twice.
            if '"filtered":true' in event.data.replace(" ", ""):
                self._note_filter(event.data)
            return deltas

        super().__init__(provider, apply)

    def _note_filter(self, data: str) -> None:
        import orjson

        try:
            chunk = as_dict(orjson.loads(data))
        except orjson.JSONDecodeError:
            return
        for raw in as_list(chunk.get("choices")):
            choice = as_dict(raw)
            if choice.get("index", 0) == 0 and filtered_categories(
                choice.get("content_filter_results")
            ):
                self._filter_results = choice.get("content_filter_results")

    def result(self, request_id: str | None) -> DecodedCompletion:
        """The assembled answer; a ``content_filter`` finish is a refusal naming the
        filtered categories."""
        return _with_filter_refusal(super().result(request_id), self._filter_results)


def new_stream(provider: str) -> AzureStream:
    """A fresh decoding session for one streamed attempt."""
    return AzureStream(provider)


CODEC = FunctionCodec(
    "azure-openai-chat", openai_chat.output_spec, encode, decode, decode_error, new_stream
)
