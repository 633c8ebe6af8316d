"""Accepted: the error hierarchy and its attributes (type-checked only, never executed)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class Invoice(BaseModel):
    number: str


# Every HTTP status error is an APIStatusError, which is a TransportError, which is a TypedLLMError.


def status_class(cls: type[tl.APIStatusError]) -> type[tl.APIStatusError]:
    return cls


def transport_class(cls: type[tl.TransportError]) -> type[tl.TransportError]:
    return cls


def output_class(cls: type[tl.OutputError]) -> type[tl.OutputError]:
    return cls


def library_class(cls: type[tl.TypedLLMError]) -> type[tl.TypedLLMError]:
    return cls


def value_error_class(cls: type[ValueError]) -> type[ValueError]:
    return cls


assert_type(status_class(tl.BadRequestError), type[tl.APIStatusError])
assert_type(status_class(tl.AuthenticationError), type[tl.APIStatusError])
assert_type(status_class(tl.PermissionDeniedError), type[tl.APIStatusError])
assert_type(status_class(tl.NotFoundError), type[tl.APIStatusError])
assert_type(status_class(tl.ConflictError), type[tl.APIStatusError])
assert_type(status_class(tl.UnprocessableEntityError), type[tl.APIStatusError])
assert_type(status_class(tl.RateLimitError), type[tl.APIStatusError])
assert_type(status_class(tl.InternalServerError), type[tl.APIStatusError])
assert_type(transport_class(tl.APIStatusError), type[tl.TransportError])
assert_type(transport_class(tl.APIConnectionError), type[tl.TransportError])
assert_type(transport_class(tl.APITimeoutError), type[tl.TransportError])
assert_type(output_class(tl.RefusalError), type[tl.OutputError])
assert_type(output_class(tl.TruncatedOutputError), type[tl.OutputError])
assert_type(output_class(tl.OutputValidationError), type[tl.OutputError])
assert_type(library_class(tl.ConfigurationError), type[tl.TypedLLMError])
assert_type(library_class(tl.SchemaError), type[tl.TypedLLMError])
assert_type(library_class(tl.TransportError), type[tl.TypedLLMError])
assert_type(library_class(tl.OutputError), type[tl.TypedLLMError])
assert_type(library_class(tl.RateLimitError), type[tl.TypedLLMError])
assert_type(value_error_class(tl.ConfigurationError), type[ValueError])
assert_type(value_error_class(tl.SchemaError), type[ValueError])


def as_status(e: tl.APIStatusError) -> tl.APIStatusError:
    return e


def as_exception(e: Exception) -> Exception:
    return e


def handle(llm: tl.Client) -> None:
    try:
        llm.complete("x", schema=Invoice)
    except tl.RateLimitError as e:
        assert_type(e.status_code, int)
        assert_type(e.request_id, str | None)
        assert_type(e.provider, str)
        assert_type(e.retry_after, float | None)
        assert_type(as_status(e).code, str | None)
        assert_type(as_status(e).body, Any)
    except tl.APIStatusError as e:
        assert_type(e.status_code, int)
        assert_type(e.message, str)
    except tl.APIConnectionError as e:
        assert_type(e.provider, str)
    except tl.RefusalError as e:
        assert_type(e.refusal, str)
        assert_type(e.raw_text, str | None)
    except tl.OutputValidationError as e:
        assert_type(e.raw_text, str | None)
        assert_type(e.errors, list[Any])
        assert_type(e.usage, tl.Usage | None)
        assert_type(e.attempts, tuple[tl.Attempt, ...])
        assert_type(e.message, str)
    except tl.OutputError as e:
        assert_type(e.raw_text, str | None)
    except tl.TypedLLMError as e:
        assert_type(e, tl.TypedLLMError)
        assert_type(as_exception(e), Exception)


def handle_several(llm: tl.Client) -> None:
    try:
        llm.complete("x")
    except (tl.RateLimitError, tl.InternalServerError) as e:
        assert_type(e, tl.RateLimitError | tl.InternalServerError)
        assert_type(e.status_code, int)
