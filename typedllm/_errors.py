"""Every error typedllm raises, in one hierarchy.

```
TypedLLMError
├── ConfigurationError            invalid builder/client configuration (caught before any request)
│   ├── NoRouteError              a router found no client able to take the prompt
│   └── SecretPicklingError       pickling would write an explicit credential in clear
├── SchemaError                   a type cannot be expressed in a provider's schema dialect
├── TransportError                the request did not produce a usable HTTP answer
│   ├── APIConnectionError        connection refused/reset, DNS, TLS ...
│   │   └── APITimeoutError       the request timed out, or the call's deadline passed
│   ├── ProtocolError             the answer is not the wire's (not JSON, wrong shape, bad event)
│   └── APIStatusError            the provider answered with an error status (or an error body)
│       ├── BadRequestError              400
│       ├── AuthenticationError          401
│       ├── PermissionDeniedError        403
│       ├── NotFoundError                404
│       ├── ConflictError                409
│       ├── UnprocessableEntityError     422
│       ├── RateLimitError               429
│       └── InternalServerError          5xx (500, 502, 503, 504, 529 ...)
├── OutputError                   the provider answered, but the answer is not a usable ``T``
│   ├── RefusalError              the model refused (OpenAI ``message.refusal``, safety stops)
│   ├── TruncatedOutputError      the answer was cut off (finish reason ``length``)
│   ├── OutputValidationError     the answer did not validate, after every re-ask
│   └── PendingToolCallsError     a schema was asked for, but the model called tools instead
├── ClientClosedError             a call on a client after ``close()``/``aclose()``
├── StreamClosedError             a stream was read (``final()``) after it was closed early
├── CircuitOpenError              a circuit breaker is open: the call failed fast, nothing was sent
├── ToolLoopLimitError            a tool loop hit a limit (steps, token/cost budget, failing tool)
│                                 (defined in typedllm/tools/_errors.py, like the next one)
├── ApprovalRequired              a tool call waits for a human decision (the loop is paused)
└── AllFailedError                every client of a fallback failed (``errors`` holds each failure)
```

Transport errors carry provider, status, request id and body; output errors carry the raw
text, usage and the attempt history. No error ever contains an API key: the request headers are
not kept on errors, and bodies are the provider's answers, not our requests.

Every error pickles with all its fields (process pools, Ray and Dask move errors between
processes): :meth:`TypedLLMError.__reduce__` rebuilds the instance from its arguments and
attributes without calling ``__init__`` again.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from ._usage import Attempt, Usage
    from .schema._types import SchemaChange

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AllFailedError",
    "AuthenticationError",
    "BadRequestError",
    "CircuitOpenError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NoRouteError",
    "NotFoundError",
    "OutputError",
    "OutputValidationError",
    "PendingToolCallsError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "RefusalError",
    "SchemaError",
    "SecretPicklingError",
    "StreamClosedError",
    "TransportError",
    "TruncatedOutputError",
    "TypedLLMError",
    "UnprocessableEntityError",
    "scrub_secret",
    "status_error_class",
]


def _rebuild(cls: type[TypedLLMError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Unpickle an error: the instance as it was, ``__init__`` not run a second time (it
    would need keyword arguments pickle does not keep, and would reformat the message)."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class TypedLLMError(Exception):
    """Base class of every error raised by typedllm."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class ConfigurationError(TypedLLMError, ValueError):
    """The builder or client configuration is invalid (missing model, missing API key, ...)."""


class SecretPicklingError(ConfigurationError, pickle.PicklingError, TypeError):
    """Pickling was refused because it would write a credential in clear (an API key given
    explicitly, a credential header). It is a :class:`ConfigurationError`, and also what
    pickling code expects of an object that cannot be pickled (``pickle.PicklingError``,
    ``TypeError``)."""


class SchemaError(TypedLLMError, ValueError):
    """A type cannot be turned into the schema dialect a provider accepts without losing meaning."""


class TransportError(TypedLLMError):
    """The request did not produce a usable answer from the provider."""

    def __init__(self, message: str, *, provider: str) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider


class APIConnectionError(TransportError):
    """The provider could not be reached (connection refused, reset, DNS or TLS failure).

    Attributes:
        host: the host the request went to (``api.openai.com``), when known.
    """

    def __init__(self, message: str, *, provider: str, host: str | None = None) -> None:
        super().__init__(message, provider=provider)
        self.host = host


class APITimeoutError(APIConnectionError):
    """The request timed out, or the call's overall deadline passed.

    Attributes:
        timeout: the limit that fired, in seconds (the request timeout or the deadline).
        deadline: whether it was the call's overall deadline (retries included) that fired,
            rather than the timeout of one request.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        host: str | None = None,
        timeout: float | None = None,
        deadline: bool = False,
    ) -> None:
        super().__init__(message, provider=provider, host=host)
        self.timeout = timeout
        self.deadline = deadline


class ProtocolError(TransportError):
    """The provider's answer does not follow its wire protocol: a body that is not JSON (an
    HTML page from a proxy or captive portal), a body of the wrong shape (no ``choices``, a
    ``content`` that is a number), a stream event that is not JSON, a body that cannot be
    decompressed.

    Attributes:
        status_code: the HTTP status the answer really came with (``200`` for a proxy's page),
            when there was one.
        request_id: the provider's request id header, if any.
        body: the start of the body (text), when it is not the provider's JSON.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status_code: int | None = None,
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, provider=provider)
        self.status_code = status_code
        self.request_id = request_id
        self.body = body


class APIStatusError(TransportError):
    """The provider answered with an error status.

    Attributes:
        provider: provider name, e.g. ``"openai"``.
        status_code: the HTTP status.
        request_id: the provider's request id header (``x-request-id``/``request-id``), if any.
        body: the parsed error body (or the raw text when it is not JSON).
        code: the provider's error code (``error.code`` or ``error.type``), if any.
    """

    status: ClassVar[int | None] = None

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        status_code: int,
        request_id: str | None = None,
        body: Any = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, provider=provider)
        self.status_code = status_code
        self.request_id = request_id
        self.body = body
        self.code = code
        self.retry_after = retry_after

    def __str__(self) -> str:
        rid = f", request_id={self.request_id}" if self.request_id else ""
        return f"{self.provider} returned HTTP {self.status_code}{rid}: {self.message}"


class BadRequestError(APIStatusError):
    """HTTP 400: the provider rejected the request as malformed or unsupported."""

    status = 400


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key is missing, wrong or revoked."""

    status = 401


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key is valid but may not use this resource."""

    status = 403


class NotFoundError(APIStatusError):
    """HTTP 404: unknown model, deployment or endpoint."""

    status = 404


class ConflictError(APIStatusError):
    """HTTP 409: a conflicting request is in progress (retried automatically)."""

    status = 409


class UnprocessableEntityError(APIStatusError):
    """HTTP 422: the request was well-formed but could not be processed."""

    status = 422


class RateLimitError(APIStatusError):
    """HTTP 429: rate limit or quota exceeded (retried automatically, honouring Retry-After)."""

    status = 429


class InternalServerError(APIStatusError):
    """HTTP 5xx (and 529 overloaded): the provider failed (retried automatically)."""


E = TypeVar("E", bound=TransportError)

_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _scrub_value(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return value.replace(secret, "***")
    if isinstance(value, dict):
        return {k: _scrub_value(v, secret) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return [_scrub_value(v, secret) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def scrub_secret(error: E, *secrets: str | None) -> E:
    """Remove credentials the provider (or a proxy) echoed back from the error's message and
    body, so they cannot leak through logs or tracebacks."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            error.message = error.message.replace(secret, "***")
            error.args = (error.message,)
            if isinstance(error, (APIStatusError, ProtocolError)):
                error.body = _scrub_value(error.body, secret)
    return error


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The error class for an HTTP status code (``APIStatusError`` for unmapped 4xx codes)."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status_code, APIStatusError)


class OutputError(TypedLLMError):
    """The provider answered, but the answer cannot become the requested type.

    Attributes:
        raw_text: the model's text (or tool-call arguments) of the last attempt.
        usage: token usage summed over every attempt.
        attempts: one record per attempt (first try plus re-asks), oldest first.
        schema: the JSON schema that was sent, if any.
        schema_changes: what the schema dialect changed from pydantic's schema (a constraint the
            provider could not enforce shows up here).
    """

    def __init__(
        self,
        message: str,
        *,
        raw_text: str | None = None,
        usage: Usage | None = None,
        attempts: Sequence[Attempt] = (),
        schema: Any = None,
        schema_changes: Sequence[SchemaChange] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.raw_text = raw_text
        self.usage = usage
        self.attempts = tuple(attempts)
        self.schema = schema
        self.schema_changes = tuple(schema_changes)


class RefusalError(OutputError):
    """The model refused to answer; ``refusal`` holds its explanation."""

    def __init__(self, refusal: str, **kwargs: Any) -> None:
        super().__init__(f"the model refused: {refusal}", **kwargs)
        self.refusal = refusal


class TruncatedOutputError(OutputError):
    """The answer was cut off by the output token limit before it was complete."""


class OutputValidationError(OutputError):
    """The answer did not validate against the requested type, after every allowed re-ask.

    ``errors`` holds pydantic's error list for the last attempt (or a JSON parse error).
    """

    def __init__(self, message: str, *, errors: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.errors = list(errors)


class PendingToolCallsError(OutputError):
    """A schema was asked for, but the model called the caller's tools instead of answering.

    ``tool_calls`` are the calls and ``answer`` the model's assistant message to append to the
    history; run the tools, add their results (:func:`typedllm.tool_result`) and call again.
    """

    def __init__(
        self, message: str, *, tool_calls: Sequence[Any] = (), answer: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.tool_calls = tuple(tool_calls)
        self.answer = answer


class ClientClosedError(TypedLLMError, RuntimeError):
    """The client was closed (``close()``/``aclose()``, or its ``with`` block ended): it
    sends nothing more. Build a new client, or keep the ``with`` block around every call."""


class StreamClosedError(TypedLLMError, RuntimeError):
    """The stream was closed before it finished (the ``with`` block was left, or ``close()``
    was called), so there is no final result to read."""


class NoRouteError(ConfigurationError):
    """A router has no client that can take this call; nothing was sent.

    Attributes:
        reasons: why each candidate was left out (``"openai:gpt-3.5-turbo: takes no image
            input"``), or why there was no candidate at all.
    """

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = tuple(reasons)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.reasons), self.__dict__)


class CircuitOpenError(TypedLLMError):
    """A circuit breaker is open (or its one probe call is in flight), so the call failed fast
    without sending anything. A fallback moves on to its next client at once.

    Attributes:
        client: the label of the client the breaker guards (``"openai:gpt-4o-mini"``).
        retry_in: seconds until the breaker lets a probe call through (``0.0`` when a probe is
            already in flight).
        failures: the failures that opened the circuit.
    """

    def __init__(self, client: str, retry_in: float, failures: int = 0) -> None:
        if retry_in > 0:
            when = f"a probe call is let through in {retry_in:.1f} s"
        else:
            when = "a probe call is in flight"
        super().__init__(
            f"circuit open for {client} after {failures} failure(s): failing fast, {when}"
        )
        self.client = client
        self.retry_in = retry_in
        self.failures = failures

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.client, self.retry_in, self.failures), self.__dict__)


class AllFailedError(TypedLLMError):
    """Every client of a fallback (or of a router's candidate list) failed with an error it
    falls back on; ``__cause__`` is the last failure.

    An error the fallback does not fall back on (a 400, an invalid answer ...) is raised as it
    is instead, from the client that raised it.

    Attributes:
        clients: the label of each client tried, in order.
        errors: the error each of them raised, in the same order (a
            :class:`CircuitOpenError` for a client whose breaker was open).
    """

    def __init__(self, clients: Sequence[str], errors: Sequence[BaseException]) -> None:
        self.clients = tuple(clients)
        self.errors = tuple(errors)
        tried = "; ".join(
            f"{label}: {type(error).__name__}: {error}"
            for label, error in zip(self.clients, self.errors, strict=False)
        )
        super().__init__(f"all {len(self.errors)} client(s) failed ({tried})")

    @property
    def last(self) -> BaseException | None:
        """The last failure (the one ``__cause__`` holds)."""
        return self.errors[-1] if self.errors else None

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.clients, self.errors), self.__dict__)
