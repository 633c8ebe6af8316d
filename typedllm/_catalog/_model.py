"""The model-catalog record: what one model can do and what it costs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ModelInfo", "StructuredOutputSupport"]

StructuredOutputSupport = Literal["json_schema", "json_object", "tool", "openapi", "none"]
"""How a model takes a schema: native JSON Schema, JSON mode only, a forced tool only
(Anthropic before structured outputs), the OpenAPI subset only (older Gemini), or not at all."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Capabilities of one model, from the provider's catalog data file.

    Prices are USD per million tokens; ``None`` means unknown (unlisted or local models).
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

    @property
    def thinking(self) -> bool:
        """Whether the model supports extended thinking (Anthropic/Gemini)."""
        return self.family == "thinking"

    @property
    def reasoning(self) -> bool:
        """Whether this is a reasoning model (takes a reasoning effort, not a temperature)."""
        return self.family == "reasoning"

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        """Price in USD of a call with these token counts, when prices are known."""
        if self.input_price is None or self.output_price is None:
            return None
        return (input_tokens * self.input_price + output_tokens * self.output_price) / 1_000_000
