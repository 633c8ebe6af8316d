"""The public error hierarchy (see :mod:`typedllm._errors` for the tree)."""

from __future__ import annotations

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

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OutputError",
    "OutputValidationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RefusalError",
    "SchemaError",
    "TransportError",
    "TruncatedOutputError",
    "TypedLLMError",
    "UnprocessableEntityError",
]
