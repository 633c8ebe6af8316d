"""The frozen, picklable configuration a builder produces and a client runs on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._catalog import ModelInfo
from ._wire import Secret

__all__ = ["ClientConfig", "StructuredOutputMode"]

StructuredOutputMode = Literal["strict", "json_schema", "json_object", "prompt"]
"""How a schema is requested from an OpenAI-style host.

* ``strict``: ``response_format: json_schema`` with ``strict: true`` (OpenAI Structured Outputs).
* ``json_schema``: ``response_format: json_schema`` with ``strict: false``.
* ``json_object``: JSON mode (``response_format: json_object``), schema in the instructions.
* ``prompt``: no response format at all, schema in the instructions, lenient extraction.
"""


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client needs to make a call; built by a builder's ``build()``.

    Holds no I/O objects except the optional user-supplied transport/clients, which are never
    created here (clients make their httpx clients lazily).
    """

    provider: str
    model: str
    model_info: ModelInfo
    base_url: str
    api_key: Secret | None = None
    timeout: float = 60.0
    max_retries: int = 2
    max_reasks: int = 1
    reask_token_budget: int | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    reasoning_effort: str | None = None
    top_k: int | None = None
    thinking_budget: int | None = None
    api_version: str | None = None
    betas: tuple[str, ...] = ()
    auth: str = "default"
    system_prompt: str | None = None
    structured_output: StructuredOutputMode = "strict"
    """For OpenAI-style wires; Anthropic and Gemini choose their route from the catalog."""
    max_tokens_field: Literal["max_tokens", "max_completion_tokens"] = "max_completion_tokens"
    headers: tuple[tuple[str, str], ...] = ()
    transport: Any = field(default=None, compare=False)
    http_client: Any = field(default=None, compare=False, repr=False)
    async_http_client: Any = field(default=None, compare=False, repr=False)

    def extra_headers(self) -> Mapping[str, str]:
        """User-supplied headers as a mapping."""
        return dict(self.headers)
