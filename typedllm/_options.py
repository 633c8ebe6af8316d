"""Per-call options and tool declarations (frozen values).

:class:`CallOptions` holds what may change from one call to the next. A builder's values are the
client's defaults; ``complete(..., options=tl.CallOptions(temperature=0))`` overrides them for
one call (``None`` means "keep the default"). What a model cannot take (a temperature on a
reasoning model, an image on a model without vision) is a
:class:`~typedllm.ConfigurationError` before anything is sent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, Union

from ._errors import ConfigurationError
from ._native_tools import NativeTool, check_native_tools
from ._wire import redact_headers

__all__ = ["CacheTTL", "CallOptions", "ToolChoice", "ToolDefinition"]

CacheTTL = Union[bool, Literal["5m", "1h"]]
"""A prompt-cache breakpoint: ``False`` (none), ``True`` (the provider's default TTL), or a
TTL."""

ToolChoice = Union[Literal["auto", "required", "none"], str]
"""``"auto"`` (the model decides), ``"required"`` (it must call a tool), ``"none"`` (it must not),
or the name of the one tool it must call."""


@dataclass(frozen=True, slots=True)
class ToolDefinition:
    """A tool offered to the model: its name, what it does and its parameters' JSON Schema.

    The schema goes through the provider's schema dialect like ``schema=`` does (strict on
    OpenAI when ``strict=True``). Calls to it come back as :class:`~typedllm.ToolCall` values.

    >>> import typedllm as tl
    >>> weather = tl.ToolDefinition(
    ...     "get_weather", "Current weather in a city",
    ...     {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    ... )
    """

    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
    strict: bool | None = None
    cache: CacheTTL = False
    """An Anthropic prompt-cache breakpoint after this tool's definition: ``True`` (the
    default TTL), ``"5m"`` or ``"1h"``; other wires cache automatically and ignore it."""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("a tool needs a non-empty name")
        if self.cache not in (False, True, "5m", "1h"):
            raise ConfigurationError(
                f"tool {self.name!r}: cache takes True, False, '5m' or '1h', got {self.cache!r}"
            )
        if not isinstance(self.parameters, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"tool {self.name!r}: parameters must be a JSON Schema dict")

    @classmethod
    def from_type(
        cls, name: str, parameters: Any, description: str = "", *, strict: bool | None = None
    ) -> ToolDefinition:
        """A tool whose arguments are an instance of ``parameters`` (a pydantic model,
        TypedDict or dataclass)."""
        from pydantic import TypeAdapter

        schema = TypeAdapter(parameters).json_schema(mode="validation")
        return cls(name, description or str(schema.get("description", "")), schema, strict)


def _check_number(name: str, value: Any, low: float, high: float) -> None:
    bad = isinstance(value, bool) or not isinstance(value, (int, float))
    if bad or math.isnan(value) or not low <= value <= high:
        raise ConfigurationError(f"{name} must be a number between {low} and {high}, got {value!r}")


def _check_positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be a positive int, got {value!r}")


@dataclass(frozen=True, slots=True, repr=False)
class CallOptions:
    """Options for one call; ``None`` keeps the client's default (the builder's value).

    Attributes:
        temperature, top_p, top_k: sampling, where the model takes it.
        max_tokens: upper bound on output tokens.
        stop: stop sequences.
        seed: deterministic sampling where the provider supports it.
        user: an id of the end user (OpenAI ``user``, Anthropic ``metadata.user_id``).
        metadata: request metadata (OpenAI ``metadata``).
        tools: tools offered to the model; their calls come back in
            :attr:`Completion.tool_calls <typedllm.Completion.tool_calls>` (they are not run).
        tool_choice: see :data:`ToolChoice`.
        parallel_tool_calls: whether the model may call several tools at once.
        cache_key: a prompt-cache routing key (OpenAI ``prompt_cache_key``).
        cache_retention: how long OpenAI keeps the prompt cache (``prompt_cache_retention``:
            ``"in_memory"`` or ``"24h"``).
        cached_content: the name of a Gemini cached content (``cachedContents/...``, see
            :func:`typedllm.create_cache`) the request continues from.
        extra_body: provider fields merged into the JSON body as is (the escape hatch for
            fields typedllm does not model; they win over typedllm's own).
        extra_headers: HTTP headers for this call.
        timeout: per-request timeout in seconds for this call.
        previous_response_id: continue from a stored OpenAI Responses answer (its
            :attr:`Completion.response_id <typedllm.Completion.response_id>`); the server
            holds the earlier turns. Only the Responses API takes it: on any other wire it
            is a :class:`~typedllm.ConfigurationError`.
        native_tools: tools the provider runs itself (``tl.WebSearch()``,
            ``tl.CodeExecution()`` ...); what they did comes back in
            :attr:`Completion.native_results <typedllm.Completion.native_results>`. A tool the
            wire or the model does not have is a :class:`~typedllm.ConfigurationError`.
    """

    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    max_tokens: int | None = None
    stop: tuple[str, ...] | None = None
    seed: int | None = None
    user: str | None = None
    metadata: Mapping[str, str] | None = None
    tools: tuple[ToolDefinition, ...] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    cache_key: str | None = None
    cache_retention: Literal["in_memory", "24h"] | None = None
    cached_content: str | None = None
    extra_body: Mapping[str, Any] | None = None
    extra_headers: Mapping[str, str] | None = None
    timeout: float | None = None
    previous_response_id: str | None = None
    native_tools: tuple[NativeTool, ...] | None = None

    def __post_init__(self) -> None:
        if self.temperature is not None:
            _check_number("temperature", self.temperature, 0.0, 2.0)
        if self.top_p is not None:
            _check_number("top_p", self.top_p, 0.0, 1.0)
        if self.top_k is not None:
            _check_positive_int("top_k", self.top_k)
        if self.max_tokens is not None:
            _check_positive_int("max_tokens", self.max_tokens)
        if self.timeout is not None:
            _check_number("timeout", self.timeout, 1e-9, math.inf)
        seed: Any = self.seed
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ConfigurationError(f"seed must be an int, got {self.seed!r}")
        if self.stop is not None:
            stop: Any = self.stop
            if isinstance(stop, str):
                stop = (stop,)
            if not isinstance(stop, Sequence) or not all(isinstance(s, str) for s in stop):  # pyright: ignore[reportUnknownVariableType]
                raise ConfigurationError("stop must be a sequence of strings")
            object.__setattr__(self, "stop", tuple(stop))  # pyright: ignore[reportUnknownArgumentType]
        if self.tools is not None:
            tools: Any = self.tools
            if isinstance(tools, (ToolDefinition, str)) or not hasattr(tools, "__iter__"):
                raise ConfigurationError(
                    "tools takes a sequence of tl.ToolDefinition (wrap one tool in a tuple)"
                )
            tools = tuple(tools)  # once: an iterator is read a single time
            if not all(isinstance(t, ToolDefinition) for t in tools):
                raise ConfigurationError("tools must be tl.ToolDefinition values")
            names = [t.name for t in tools]
            if len(set(names)) != len(names):
                raise ConfigurationError(f"tool names must be unique, got {names}")
            object.__setattr__(self, "tools", tools)
        if self.native_tools is not None:
            object.__setattr__(self, "native_tools", check_native_tools(self.native_tools))
        if self.cache_retention not in (None, "in_memory", "24h"):
            raise ConfigurationError(
                f"cache_retention takes 'in_memory' or '24h', got {self.cache_retention!r}"
            )
        cached: Any = self.cached_content
        if cached is not None and (not isinstance(cached, str) or not cached):
            raise ConfigurationError(f"cached_content must be a non-empty str, got {cached!r}")
        previous: Any = self.previous_response_id
        if previous is not None and (not isinstance(previous, str) or not previous):
            raise ConfigurationError(
                f"previous_response_id must be a non-empty str, got {previous!r}"
            )
        if self.tool_choice is not None and (
            not isinstance(self.tool_choice, str) or not self.tool_choice  # pyright: ignore[reportUnnecessaryIsInstance]
        ):
            raise ConfigurationError(
                f"tool_choice must be a non-empty str, got {self.tool_choice!r}"
            )

    def __repr__(self) -> str:
        shown: list[str] = []
        for f in fields(CallOptions):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name == "extra_headers":
                value = redact_headers(value)
            shown.append(f"{f.name}={value!r}")
        return f"CallOptions({', '.join(shown)})"

    def merged(self, overrides: CallOptions | None) -> CallOptions:
        """These options with every field ``overrides`` sets replacing ours (``extra_*``
        mappings are merged key by key)."""
        if overrides is None:
            return self
        changes: dict[str, Any] = {}
        for f in fields(CallOptions):
            value = getattr(overrides, f.name)
            if value is None:
                continue
            mine = getattr(self, f.name)
            if f.name in ("extra_body", "extra_headers", "metadata") and mine is not None:
                value = {**mine, **value}
            changes[f.name] = value
        return replace(self, **changes) if changes else self
