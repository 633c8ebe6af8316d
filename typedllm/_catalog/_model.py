"""The model-catalog record: what one model can do and what it costs."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .._completion import Usage

__all__ = ["ModelInfo", "StructuredOutputSupport"]

StructuredOutputSupport = Literal["json_schema", "json_object", "tool", "openapi", "none"]
"""How a model takes a schema: native JSON Schema, JSON mode only, a forced tool only
(Anthropic before structured outputs), the OpenAPI subset only (older Gemini), or not at all."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Capabilities of one model, from the provider's catalog data file.

    Prices are USD per million tokens; ``None`` means unknown (unlisted or local models).

    Attributes:
        apis: the APIs the model is served on (``chat``, ``responses``, ``embeddings``).
        modalities_in: what it takes as input (``text``, ``image``, ``pdf``, ``audio``,
            ``video``).
        modalities_out: what it produces (``text`` ...).
        reasoning_efforts: the reasoning effort levels it accepts (OpenAI reasoning models), or
            the thinking levels a thinking model documents (Gemini 3's ``thinking_level``).
        cached_input_price: the price of input tokens read from the prompt cache.
        cache_write_price: the price of input tokens written to the prompt cache (Anthropic's
            5-minute cache).
        batch_input_price, batch_output_price: prices through the provider's batch API.
        source_url: the provider's documentation page this record's values were read from.
        as_of: the day (ISO ``YYYY-MM-DD``) that page was read; the catalog refuses an entry
            without one.
        lifecycle: the provider's word for the model's state on ``as_of`` when it is not plainly
            active: ``legacy`` (still served, no longer updated), ``deprecated`` (retirement
            announced) or ``retired`` (no longer served on the provider's own API).
        deprecated: the day the provider announced the model's retirement (ISO date), if known.
        shutdown_date: the day the provider stops serving it (ISO date), when announced. The
            name stays listed (and callable) after that day; the provider will refuse it.
        replacement: the model the provider recommends instead, when it names one.
        deprecation_source: the page the lifecycle facts came from, when not ``source_url``.
        note: what the single-price fields cannot say (price tiers, promotions, values the
            documentation read did not give).
        thinking_mode: how the model thinks, in the provider's words where it has them
            (Anthropic: ``extended``, ``adaptive`` or ``adaptive_always_on``).
    """

    name: str
    provider: str
    family: str
    temperature: bool = True
    structured_output: StructuredOutputSupport = "json_schema"
    tools: bool = True
    vision: bool = False
    reasoning_efforts: tuple[str, ...] = ()
    context_window: int | None = None
    max_output_tokens: int | None = None
    input_price: float | None = None
    output_price: float | None = None
    thinking_budget: tuple[int, int] | None = None
    """Allowed thinking budget range (Gemini), when the provider documents one."""
    apis: tuple[str, ...] = ("chat",)
    modalities_in: tuple[str, ...] = ("text",)
    modalities_out: tuple[str, ...] = ("text",)
    cached_input_price: float | None = None
    cache_write_price: float | None = None
    batch_input_price: float | None = None
    batch_output_price: float | None = None
    source_url: str | None = None
    as_of: str | None = None
    lifecycle: str | None = None
    deprecated: str | None = None
    shutdown_date: str | None = None
    replacement: str | None = None
    deprecation_source: str | None = None
    thinking_mode: str | None = None
    note: str | None = None
    native_tools: tuple[str, ...] | None = None
    """The provider-native tools the model has (``web_search``, ``code_execution`` ... as
    :attr:`typedllm.NativeTool.kind`), when the catalog records them; ``None``: not recorded
    (the wire's tools are offered and the provider decides)."""

    def is_shut_down(self, on: _dt.date | None = None) -> bool:
        """Whether the provider no longer serves the model on ``on`` (default today): its
        announced shutdown date has passed, or the catalog records it as retired."""
        if self.shutdown_date is None:
            return self.lifecycle == "retired"
        day = on if on is not None else _dt.date.today()
        return _dt.date.fromisoformat(self.shutdown_date) <= day

    @property
    def thinking(self) -> bool:
        """Whether the model supports extended thinking (Anthropic/Gemini)."""
        return self.family == "thinking"

    @property
    def reasoning(self) -> bool:
        """Whether this is a reasoning model (takes a reasoning effort, not a temperature)."""
        return self.family == "reasoning"

    def cost(self, usage: Usage | int, output_tokens: int = 0) -> float | None:
        """Price in USD of a call's usage (or of ``input_tokens, output_tokens``), when prices
        are known. Cache reads and writes use their own prices where the catalog has them."""
        if self.input_price is None or self.output_price is None:
            return None
        if isinstance(usage, int):
            total = usage * self.input_price + output_tokens * self.output_price
            return total / 1_000_000
        read, write = usage.cache_read_tokens, usage.cache_write_tokens
        fresh = max(0, usage.input_tokens - read - write)
        read_price = (
            self.cached_input_price if self.cached_input_price is not None else self.input_price
        )
        write_price = (
            self.cache_write_price if self.cache_write_price is not None else self.input_price
        )
        total = (
            fresh * self.input_price
            + read * read_price
            + write * write_price
            + usage.output_tokens * self.output_price
        )
        return total / 1_000_000
