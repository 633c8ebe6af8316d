"""The frozen, picklable configuration a builder produces and a client runs on.

One :class:`ClientConfig` holds what every wire shares (model, host, auth, the default
:class:`~typedllm.CallOptions`, the retry policy, hooks) and one per-wire options record
(:class:`OpenAIChatOptions`, :class:`AnthropicOptions`, :class:`GeminiOptions`, or a record of a
wire added later) with what only that wire understands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ._catalog import ModelInfo
from ._events import Hook
from ._options import CallOptions
from ._retry import RetryPolicy
from ._wire import Secret
from .hosts import Auth, HeaderAuth, Host
from .schema._types import DecimalMode

__all__ = [
    "AnthropicOptions",
    "ClientConfig",
    "CohereOptions",
    "GeminiOptions",
    "OllamaOptions",
    "OpenAIChatOptions",
    "OpenAIResponsesOptions",
    "ReasoningSummary",
    "StructuredOutputMode",
]

W = TypeVar("W")

StructuredOutputMode = Literal[
    "strict", "json_schema", "json_object", "prompt", "json_object_schema"
]
"""How a schema is requested from an OpenAI-style host.

* ``strict``: ``response_format: json_schema`` with ``strict: true`` (OpenAI Structured Outputs).
* ``json_schema``: ``response_format: json_schema`` with ``strict: false``.
* ``json_object``: JSON mode (``response_format: json_object``), schema in the instructions.
* ``prompt``: no response format at all, schema in the instructions, lenient extraction.
* ``json_object_schema``: ``response_format: {"type": "json_object", "schema": ...}`` (the
  llama-cpp-python server's only enforced form), schema in the instructions too.
"""


@dataclass(frozen=True, slots=True)
class OpenAIChatOptions:
    """What only the Chat Completions wire understands.

    Attributes:
        structured_output: how schemas are requested (see :data:`StructuredOutputMode`).
        max_tokens_field: ``max_completion_tokens`` (OpenAI) or ``max_tokens`` (most hosts).
        reasoning_effort: the reasoning effort of reasoning models.
        developer_role: send system messages as ``developer`` messages (OpenAI reasoning
            models).
        stream_usage: ask for usage in the last stream chunk (``stream_options``).
        body_fields: extra top-level body fields of every request (a host's own options,
            e.g. OpenRouter's ``provider`` routing or DashScope's ``enable_thinking``).
        rejected_fields: call options the host rejects (``top_k``, ``seed``): a call that sets
            one is a ``ConfigurationError`` before anything is sent.
        inline_root_ref: resolve a root ``$ref`` of the schema before sending it.
    """

    structured_output: StructuredOutputMode = "strict"
    max_tokens_field: Literal["max_tokens", "max_completion_tokens"] = "max_completion_tokens"
    reasoning_effort: str | None = None
    developer_role: bool = False
    stream_usage: bool = True
    body_fields: tuple[tuple[str, Any], ...] = ()
    rejected_fields: frozenset[str] = frozenset()
    inline_root_ref: bool = False


ReasoningSummary = Literal["auto", "concise", "detailed"]
"""How much of a reasoning model's thinking the Responses API summarises (``reasoning.summary``).
"""


@dataclass(frozen=True, slots=True)
class OpenAIResponsesOptions:
    """What only the OpenAI Responses wire understands.

    Attributes:
        structured_output: how schemas are requested (see :data:`StructuredOutputMode`):
            through ``text.format``, or in the ``instructions``.
        reasoning_effort: ``reasoning.effort`` of reasoning models.
        reasoning_summary: ``reasoning.summary`` of reasoning models (see
            :data:`ReasoningSummary`).
        store: whether OpenAI keeps the response for ``previous_response_id`` (``None``: the
            API's default, which stores it).
        developer_role: send system messages after the first turn as ``developer`` messages.
    """

    structured_output: StructuredOutputMode = "strict"
    reasoning_effort: str | None = None
    reasoning_summary: ReasoningSummary | None = None
    store: bool | None = None
    developer_role: bool = False


@dataclass(frozen=True, slots=True)
class AnthropicOptions:
    """What only the Anthropic Messages wire understands.

    Attributes:
        version: the ``anthropic-version`` header; on Bedrock and Vertex AI the body's
            ``anthropic_version`` (``bedrock-2023-05-31``, ``vertex-2023-10-16``).
        betas: ``anthropic-beta`` feature names.
        thinking_budget: extended thinking budget tokens (``None``: thinking off).
        platform: who serves the model: ``"anthropic"`` (the Messages API), ``"bedrock"``
            (the body carries ``anthropic_version`` and ``anthropic_beta``, no ``model`` and no
            ``stream``: the path says both) or ``"vertex"`` (``anthropic_version`` in the body,
            no ``model``: the path says it).
        prompt_cache: ``"auto"`` adds prompt-cache breakpoints on the stable prefix (see
            :mod:`typedllm.codecs._anthropic_cache`); ``"off"`` leaves only the user's
            :class:`~typedllm.CachePoint` parts.
        cache_ttl: the TTL of the automatic breakpoints (``None``: the API's default, 5m).
    """

    version: str = "2023-06-01"
    betas: tuple[str, ...] = ()
    thinking_budget: int | None = None
    platform: Literal["anthropic", "bedrock", "vertex"] = "anthropic"
    prompt_cache: Literal["off", "auto"] = "off"
    cache_ttl: Literal["5m", "1h"] | None = None


@dataclass(frozen=True, slots=True)
class GeminiOptions:
    """What only the Gemini ``generateContent`` wire understands.

    Attributes:
        thinking_budget: ``thinkingConfig.thinkingBudget`` (``None``: the model's default).
    """

    thinking_budget: int | None = None


OllamaThink = bool | Literal["low", "medium", "high"]
"""Ollama's ``think``: on/off, or a level (gpt-oss models take levels, not a bool)."""


@dataclass(frozen=True, slots=True)
class OllamaOptions:
    """What only the Ollama native ``/api/chat`` wire understands
    (https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion).

    Attributes:
        structured_output: ``format`` (the schema in ``format``, enforced by the server's
            grammar), ``json`` (``format: "json"`` with the schema in the instructions) or
            ``prompt`` (the schema in the instructions only).
        think: ``think`` (``None``: not sent, the model's default).
        keep_alive: how long the model stays loaded after the call (``"5m"``, seconds; ``0``
            unloads it, a negative value keeps it loaded).
        num_ctx: the context window the model is loaded with (``options.num_ctx``).
        options: further raw ``options`` (``repeat_penalty``, ``min_p``, ``num_gpu`` ...), as
            ``(name, value)`` pairs.
    """

    structured_output: Literal["format", "json", "prompt"] = "format"
    think: OllamaThink | None = None
    keep_alive: str | float | None = None
    num_ctx: int | None = None
    options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class CohereOptions:
    """What only the Cohere v2 chat wire understands.

    Attributes:
        thinking: ``"enabled"`` or ``"disabled"`` (``thinking.type`` of reasoning models;
            ``None``: the model's default, which is on for reasoning models).
        thinking_budget: ``thinking.token_budget`` (``None``: no limit).
    """

    thinking: Literal["enabled", "disabled"] | None = None
    thinking_budget: int | None = None


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client needs to make a call; built by a builder's ``build()``.

    Holds no I/O objects except the optional user-supplied transport/clients, which are never
    created here (clients make their httpx clients lazily).

    Attributes:
        provider: the provider's name in errors and events.
        wire: the codec's name in the registry (:mod:`typedllm.codecs`).
        model: the model name requests are sent with.
        model_info: the model's catalog record (capabilities and prices).
        host: where requests go.
        auth: how they are authenticated (``None``: not at all).
        defaults: the builder's per-call options (each call may override them).
        wire_options: the wire's own options record.
        retry: the transport retry policy.
        max_reasks: how often an answer that fails validation is sent back.
        reask_token_budget: stop re-asking past this many tokens in all.
        timeout: per-request timeout in seconds.
        system_prompt: a system message sent before every call's messages.
        hooks: subscribers to the call events.
        decimal_mode: how schemas ask for ``Decimal`` fields (``"string"`` keeps every digit;
            see :data:`typedllm.schema.DecimalMode`).
        async_driver: the HTTP library of asynchronous calls: ``"httpx"`` (the default) or
            ``"aiohttp"`` (the optional extra; faster under high concurrency, see
            ``docs/throughput.md``).
    """

    provider: str
    wire: str
    model: str
    model_info: ModelInfo
    host: Host
    auth: Auth | None = None
    defaults: CallOptions = field(default_factory=CallOptions)
    wire_options: Any = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_reasks: int = 1
    reask_token_budget: int | None = None
    timeout: float = 60.0
    system_prompt: str | None = None
    decimal_mode: DecimalMode = "number"
    hooks: tuple[Hook, ...] = field(default=(), compare=False)
    transport: Any = field(default=None, compare=False)
    http_client: Any = field(default=None, compare=False, repr=False)
    async_http_client: Any = field(default=None, compare=False, repr=False)
    async_driver: Literal["httpx", "aiohttp"] = "httpx"

    # -- read-only views of the first stage's flat fields -------------------------------------

    @property
    def base_url(self) -> str:
        """The host's base URL."""
        return self.host.base_url

    @property
    def api_key(self) -> Secret | None:
        """The static API key, when the auth step is one."""
        return self.auth.key if isinstance(self.auth, HeaderAuth) else None

    @property
    def temperature(self) -> float | None:
        """The default temperature."""
        return self.defaults.temperature

    @property
    def top_p(self) -> float | None:
        """The default top_p."""
        return self.defaults.top_p

    @property
    def max_tokens(self) -> int | None:
        """The default output token limit."""
        return self.defaults.max_tokens

    @property
    def seed(self) -> int | None:
        """The default seed."""
        return self.defaults.seed

    @property
    def max_retries(self) -> int:
        """Transport retries after the first attempt."""
        return self.retry.max_retries

    @property
    def structured_output(self) -> str | None:
        """The structured-output mode (OpenAI-style wires)."""
        return getattr(self.wire_options, "structured_output", None)

    @property
    def max_tokens_field(self) -> str | None:
        """The body field the token limit goes in (OpenAI-style wires)."""
        return getattr(self.wire_options, "max_tokens_field", None)

    @property
    def reasoning_effort(self) -> str | None:
        """The reasoning effort (OpenAI-style wires)."""
        return getattr(self.wire_options, "reasoning_effort", None)

    @property
    def thinking_budget(self) -> int | None:
        """The thinking budget (Anthropic, Gemini)."""
        return getattr(self.wire_options, "thinking_budget", None)

    def options_of(self, kind: type[W]) -> W:
        """The wire's options record when it is a ``kind``, else ``kind``'s defaults."""
        options = self.wire_options
        return options if isinstance(options, kind) else kind()

    def secrets(self) -> tuple[str, ...]:
        """Every credential value this configuration sends (scrubbed from errors)."""
        own = self.auth.secrets() if self.auth is not None else ()
        return tuple(s for s in (*own, *self.host.secrets()) if len(s) >= 4)
