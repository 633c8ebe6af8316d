"""typedllm: call large language models with types you can trust.

>>> import typedllm as tl
>>> llm = tl.openai().model("gpt-4o-mini").temperature(0).api_key("sk-...").build()
>>> # invoice = llm.complete("...text...", schema=Invoice)   # -> Invoice, validated

Builders are immutable type-state values: invalid configurations (a temperature on a reasoning
model, ``build()`` without a model, an unknown model name) are type errors under mypy and
pyright, and ``ConfigurationError`` at run time.
"""

from __future__ import annotations

from ._builders import (
    AnthropicBuilder,
    ChatModel,
    CompatibleModel,
    GeminiBuilder,
    Neutral,
    NoModel,
    OpenAIBuilder,
    OpenAICompatibleBuilder,
    ReasoningEffort,
    ReasoningModel,
    StandardModel,
    TemperatureSet,
    ThinkingModel,
    ThinkingOn,
    anthropic,
    gemini,
    openai,
    openai_compatible,
)
from ._catalog import (
    AnthropicModelName,
    AnthropicStandardModelName,
    AnthropicThinkingModelName,
    GeminiModelName,
    GeminiStandardModelName,
    GeminiThinkingModelName,
    ModelInfo,
    OpenAIChatModelName,
    OpenAIModelName,
    OpenAIReasoningModelName,
)
from ._client import Client
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OutputError,
    OutputValidationError,
    PermissionDeniedError,
    RateLimitError,
    RefusalError,
    SchemaError,
    TransportError,
    TruncatedOutputError,
    TypedLLMError,
    UnprocessableEntityError,
)
from ._messages import (
    Attempt,
    Completion,
    FinishReason,
    Message,
    Prompt,
    ToolCall,
    Usage,
    assistant,
    system,
    user,
)
from ._stream_session import Partial
from ._streams import AsyncStream, Stream

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AnthropicBuilder",
    "AnthropicModelName",
    "AnthropicStandardModelName",
    "AnthropicThinkingModelName",
    "AsyncStream",
    "Attempt",
    "AuthenticationError",
    "BadRequestError",
    "ChatModel",
    "Client",
    "CompatibleModel",
    "Completion",
    "ConfigurationError",
    "ConflictError",
    "FinishReason",
    "GeminiBuilder",
    "GeminiModelName",
    "GeminiStandardModelName",
    "GeminiThinkingModelName",
    "InternalServerError",
    "Message",
    "ModelInfo",
    "Neutral",
    "NoModel",
    "NotFoundError",
    "OpenAIBuilder",
    "OpenAIChatModelName",
    "OpenAICompatibleBuilder",
    "OpenAIModelName",
    "OpenAIReasoningModelName",
    "OutputError",
    "OutputValidationError",
    "Partial",
    "PermissionDeniedError",
    "Prompt",
    "RateLimitError",
    "ReasoningEffort",
    "ReasoningModel",
    "RefusalError",
    "SchemaError",
    "StandardModel",
    "Stream",
    "TemperatureSet",
    "ThinkingModel",
    "ThinkingOn",
    "ToolCall",
    "TransportError",
    "TruncatedOutputError",
    "TypedLLMError",
    "UnprocessableEntityError",
    "Usage",
    "__version__",
    "anthropic",
    "assistant",
    "gemini",
    "openai",
    "openai_compatible",
    "system",
    "user",
]
