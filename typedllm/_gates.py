"""Run-time capability gates (pure): what the model cannot take is a
:class:`~typedllm.ConfigurationError` before any request is sent.

The builders gate what they can statically (a temperature on a reasoning model is a type
error); these checks cover what only the call shows: per-call options, media parts, tools.
"""

from __future__ import annotations

from ._catalog import ModelInfo
from ._config import AnthropicOptions, ClientConfig, OpenAIChatOptions
from ._errors import ConfigurationError
from ._media_limits import check_media_limits
from ._messages import AudioPart, DocumentPart, ImagePart
from ._options import CallOptions
from .codecs._base import ChatRequest
from .codecs._native import check_native_tools

__all__ = ["check_request", "sampling_refused"]

_MODALITY: dict[type, str] = {ImagePart: "image", DocumentPart: "pdf", AudioPart: "audio"}


def _known(info: ModelInfo) -> bool:
    """Whether the catalog describes the model (compatible hosts' models are unknown)."""
    return info.family != "compatible"


_FILE_ID_WIRES = frozenset(
    ("anthropic-messages", "openai-chat", "azure-openai-chat", "openai-responses")
)
"""Wires whose Files API ids a media part may name (Bedrock and Vertex AI serve no Files API;
Gemini names its uploads by URI: pass those as URLs)."""


def _check_file_ids(config: ClientConfig, request: ChatRequest) -> None:
    if config.wire in _FILE_ID_WIRES:
        return
    for position, message in enumerate(request.messages):
        for part in message.parts:
            if isinstance(part, (ImagePart, DocumentPart)) and part.file_id is not None:
                raise ConfigurationError(
                    f"message {position} has a {type(part).__name__} by file_id, which "
                    f"{config.wire} cannot read (file ids belong to Anthropic's and OpenAI's "
                    "Files APIs; pass a URL or the bytes)"
                )


def _check_media(config: ClientConfig, request: ChatRequest) -> None:
    _check_file_ids(config, request)
    info = config.model_info
    if not _known(info):
        return
    for position, message in enumerate(request.messages):
        for part in message.parts:
            modality = _MODALITY.get(type(part))
            if modality is None:
                continue
            if modality == "pdf" and isinstance(part, DocumentPart):
                media_type = part.media_type or ""
                if media_type.startswith("text/") and "text" in info.modalities_in:
                    continue  # plain text documents are text to the model
            if modality not in info.modalities_in:
                what = {"image": "images", "pdf": "documents (PDF)", "audio": "audio"}[modality]
                raise ConfigurationError(
                    f"{config.model} does not take {what} as input (message {position} has "
                    f"a {type(part).__name__}); use a model with {modality} input"
                )


def sampling_refused(model: str, info: ModelInfo, options: str) -> ConfigurationError:
    """The error for sampling ``options`` on a model the catalog records without a
    temperature: a reasoning model, or another family's model (``gemini-3.5-flash-lite`` is
    a thinking model) whose entry says so."""
    kind = (
        "it is a reasoning model"
        if info.reasoning
        else f"the catalog records no temperature for it (a {info.family} model)"
    )
    return ConfigurationError(f"{model} does not take sampling options ({options}): {kind}")


def _check_options(config: ClientConfig, request: ChatRequest) -> None:
    info = config.model_info
    options = request.options
    sampled = (
        options.temperature is not None or options.top_p is not None or options.top_k is not None
    )
    sampling = (
        [n for n in ("temperature", "top_p", "top_k") if getattr(options, n) is not None]
        if sampled
        else []
    )
    if sampling and _known(info) and not info.temperature:
        raise sampling_refused(config.model, info, ", ".join(sampling))
    wire = config.wire_options
    if sampling and isinstance(wire, AnthropicOptions) and wire.thinking_budget is not None:
        raise ConfigurationError(
            "sampling options (temperature/top_p/top_k) cannot be combined with extended "
            "thinking on Anthropic models"
        )
    if options.top_k is not None and config.provider == "openai":
        raise ConfigurationError("OpenAI models do not take top_k")
    if isinstance(wire, OpenAIChatOptions) and wire.rejected_fields:
        for name in sorted(wire.rejected_fields):
            if getattr(options, name, None) is not None:
                raise ConfigurationError(f"{config.provider} does not accept {name}")
    if (
        options.temperature is not None
        and isinstance(wire, AnthropicOptions)  # on every platform (Bedrock, Vertex AI)
        and options.temperature > 1.0
    ):
        raise ConfigurationError(
            f"Anthropic takes a temperature between 0 and 1, got {options.temperature}"
        )
    limit = info.max_output_tokens
    if options.max_tokens is not None and limit is not None and options.max_tokens > limit:
        raise ConfigurationError(
            f"max_tokens={options.max_tokens} exceeds {config.model}'s limit of {limit} "
            "output tokens"
        )
    if request.tools and _known(info) and not info.tools:
        raise ConfigurationError(f"{config.model} does not support tools")
    choice = request.tool_choice
    names = {t.name for t in request.tools}
    if choice is not None and choice not in ("auto", "required", "none") and choice not in names:
        raise ConfigurationError(
            f"tool_choice={choice!r} names no offered tool "
            "(use 'auto', 'required', 'none' or the name of a tool in tools=)"
        )
    if options.native_tools:
        check_native_tools(config.wire, config.model, info, options.native_tools, config.provider)
    if choice not in (None, "auto", "none") and not request.tools and not options.native_tools:
        raise ConfigurationError(f"tool_choice={choice!r} is set but no tools are offered (tools=)")
    _check_wire_options(config, request)
    budget = getattr(wire, "thinking_budget", None)
    if (
        isinstance(wire, AnthropicOptions)
        and budget is not None
        and options.max_tokens is not None
        and options.max_tokens <= budget
    ):
        raise ConfigurationError(
            f"max_tokens ({options.max_tokens}) must be greater than the thinking budget ({budget})"
        )


def _check_wire_options(config: ClientConfig, request: ChatRequest) -> None:
    """Options a wire has no field for are an error, not silently dropped."""
    options = request.options
    if options.previous_response_id is not None and config.wire != "openai-responses":
        raise ConfigurationError(
            "previous_response_id continues a stored answer of the OpenAI Responses API; "
            f"this client speaks {config.wire} (build it with .api('responses'))"
        )
    if options.cache_retention is not None and config.wire not in (
        "openai-chat",
        "openai-responses",
        "azure-openai-chat",
    ):
        raise ConfigurationError(
            f"cache_retention is OpenAI's prompt_cache_retention; this client speaks {config.wire}"
        )
    if options.cached_content is not None and config.wire != "gemini-generate-content":
        raise ConfigurationError(
            f"cached_content names a Gemini cached content; this client speaks {config.wire}"
        )
    if config.wire == "openai-responses":
        unsupported_here = [n for n in ("seed", "stop") if getattr(options, n)]
        if unsupported_here:
            raise ConfigurationError(
                f"the OpenAI Responses API takes no {' or '.join(unsupported_here)} option"
            )
    if isinstance(config.wire_options, AnthropicOptions) and options.metadata:
        raise ConfigurationError(
            "Anthropic takes no request metadata except the end-user id: use user="
        )
    if config.wire == "gemini-generate-content":
        unsupported = [n for n in ("user", "metadata") if getattr(options, n)]
        if unsupported:
            raise ConfigurationError(f"Gemini takes no {' or '.join(unsupported)} option")


_CHECKED: dict[tuple[int, int], tuple[ClientConfig, CallOptions]] = {}
"""Configurations and call options already checked together (they are immutable, so once is
enough; the values are kept so their ids cannot be reused while they are here)."""


def check_request(config: ClientConfig, request: ChatRequest) -> None:
    """Raise :class:`~typedllm.ConfigurationError` for what the model cannot take."""
    options = request.options
    key = (id(config), id(options))
    seen = _CHECKED.get(key)
    if seen is None or seen[0] is not config or seen[1] is not options:
        _check_options(config, request)
        if len(_CHECKED) >= 1024:
            _CHECKED.clear()
        _CHECKED[key] = (config, options)
    _check_media(config, request)
    check_media_limits(config.wire, config.provider, request.messages)
