"""The one implementation of a ``complete`` call, shared by the sync and async clients.

A flow is a generator: it yields :class:`~typedllm._wire.WireRequest` (send this) or
:class:`~typedllm._wire.Sleep` (wait) and receives a :class:`~typedllm._wire.WireResponse` or
:class:`~typedllm._wire.TransportFailure` back; its return value is the result. Drivers
(:mod:`typedllm._transport`) only move bytes, so retries, re-asks and output checks exist once.

Two retry layers with separate budgets:

* transport retries (``max_retries``): connection errors, timeouts, 408/409/429/5xx;
* re-asks (``max_reasks``): an answer that does not validate is sent back with the errors.
  Refusals and truncation are never re-asked: they are typed errors at once.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import replace
from typing import Any, cast

from ._config import ClientConfig
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    OutputValidationError,
    RefusalError,
    TruncatedOutputError,
    scrub_secret,
)
from ._messages import Attempt, Completion, Message, Prompt, Usage
from ._output import ValidationFailure, parse_output
from ._retry import backoff_delay, should_retry_status
from ._wire import Sleep, TransportFailure, WireRequest, WireResponse
from .codecs._base import ChatRequest, DecodedCompletion, FunctionCodec, OutputSpec
from .schema import CompiledSchema

__all__ = ["Codec", "Effect", "Flow", "Reply", "build_messages", "complete_flow"]

Effect = WireRequest | Sleep
Reply = WireResponse | TransportFailure | None
Flow = Generator[Effect, Reply, Any]


Codec = FunctionCodec
"""What a flow needs from a wire: ``output_spec``, ``encode``, ``decode``, ``decode_error``."""


def build_messages(config: ClientConfig, prompt: Prompt) -> tuple[Message, ...]:
    """The full message list for a call: default system prompt, then the caller's messages.

    The caller's sequence is copied, never mutated.
    """
    head: tuple[Message, ...] = ()
    if config.system_prompt:
        head = (Message("system", config.system_prompt),)
    if isinstance(prompt, str):
        return (*head, Message("user", prompt))
    if not isinstance(prompt, Sequence):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"prompt must be a str or a sequence of messages, got {type(prompt).__name__}"
        )
    messages: list[Message] = []
    for m in cast("Sequence[object]", prompt):
        if not isinstance(m, Message):
            raise ConfigurationError(
                "prompt messages must be typedllm messages (tl.system/tl.user/tl.assistant), "
                f"got {type(m).__name__}"
            )
        messages.append(m)
    if not messages:
        raise ConfigurationError("prompt has no messages")
    return (*head, *messages)


def _secret(config: ClientConfig) -> str | None:
    return config.api_key.get() if config.api_key is not None else None


def send_with_retries(
    config: ClientConfig, codec: Codec, request: WireRequest
) -> Generator[Effect, Reply, DecodedCompletion]:
    """Send ``request``, retrying transport failures and retryable statuses; decode the answer."""
    for retry in range(config.max_retries + 1):
        last = retry == config.max_retries
        reply = yield request
        if isinstance(reply, TransportFailure):
            if last:
                cls = APITimeoutError if reply.kind == "timeout" else APIConnectionError
                raise cls(reply.message, provider=config.provider)
            yield Sleep(backoff_delay(retry))
            continue
        assert reply is not None, "driver must answer a WireRequest"
        if reply.status >= 400:
            error = scrub_secret(codec.decode_error(config.provider, reply), _secret(config))
            if not last and should_retry_status(reply.status, reply.headers):
                yield Sleep(backoff_delay(retry, error.retry_after))
                continue
            raise error
        try:
            return codec.decode(config.provider, reply)
        except APIStatusError as error:  # an error body under HTTP 200
            raise scrub_secret(error, _secret(config)) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _answer_of(spec: OutputSpec | None, decoded: DecodedCompletion) -> DecodedCompletion:
    """For the tool route, the answer is the input of the call to the answer tool."""
    if spec is None or spec.mode != "tool":
        return decoded
    for call in decoded.tool_calls:
        if call.name == spec.compiled.name:
            finish = "stop" if decoded.finish_reason == "tool_calls" else decoded.finish_reason
            return replace(decoded, text=call.arguments, finish_reason=finish)
    return decoded


def _reask_message(failure: ValidationFailure) -> Message:
    return Message(
        "user",
        "Your previous answer did not match the required JSON schema:\n"
        f"{failure.message}\n"
        "Reply again with only the corrected JSON.",
    )


def check_output(
    decoded: DecodedCompletion,
    usage: Usage,
    attempts: list[Attempt],
    compiled: CompiledSchema | None,
) -> None:
    schema = compiled.schema if compiled is not None else None
    changes = compiled.changes if compiled is not None else ()
    if decoded.refusal is not None:
        raise RefusalError(
            decoded.refusal,
            raw_text=decoded.text,
            usage=usage,
            attempts=attempts,
            schema=schema,
            schema_changes=changes,
        )
    if decoded.finish_reason == "content_filter":
        raise RefusalError(
            "the provider's content filter stopped the answer",
            raw_text=decoded.text,
            usage=usage,
            attempts=attempts,
            schema=schema,
            schema_changes=changes,
        )
    if decoded.finish_reason == "length":
        raise TruncatedOutputError(
            "the answer was cut off by the output token limit (finish reason 'length'); "
            "raise max_tokens or ask for less",
            raw_text=decoded.text,
            usage=usage,
            attempts=attempts,
            schema=schema,
            schema_changes=changes,
        )


def complete_flow(
    config: ClientConfig,
    codec: Codec,
    prompt: Prompt,
    schema: Any = None,
    *,
    has_schema: bool,
) -> Generator[Effect, Reply, Completion[Any]]:
    """The whole ``complete`` call: encode, send (with retries), check, validate, re-ask."""
    messages = build_messages(config, prompt)
    spec = codec.output_spec(config, schema) if has_schema else None
    compiled = spec.compiled if spec is not None else None
    # Only provider-enforced modes guarantee the answer's shape; the rest is extracted leniently.
    lenient = spec is not None and not spec.enforced
    usage = Usage()
    attempts: list[Attempt] = []
    for reask in range(config.max_reasks + 1):
        request = codec.encode(config, ChatRequest(messages, spec))
        decoded = _answer_of(spec, (yield from send_with_retries(config, codec, request)))
        usage = usage + decoded.usage
        attempt = Attempt(decoded.text, decoded.usage, decoded.finish_reason, decoded.request_id)
        check_output(decoded, usage, [*attempts, attempt], compiled)
        if compiled is None:
            attempts.append(attempt)
            output: Any = decoded.text or ""
        else:
            try:
                output = parse_output(decoded.text, compiled, schema, lenient=lenient)
            except ValidationFailure as failure:
                attempts.append(
                    Attempt(
                        decoded.text,
                        decoded.usage,
                        decoded.finish_reason,
                        decoded.request_id,
                        failure.errors,
                    )
                )
                budget = config.reask_token_budget
                if reask == config.max_reasks or (
                    budget is not None and usage.total_tokens >= budget
                ):
                    raise OutputValidationError(
                        f"the answer did not validate after {len(attempts)} attempt(s): "
                        f"{failure.message}",
                        errors=failure.errors,
                        raw_text=decoded.text,
                        usage=usage,
                        attempts=attempts,
                        schema=compiled.schema,
                        schema_changes=compiled.changes,
                    ) from None
                # New tuple: the caller's messages are never touched.
                messages = (
                    *messages,
                    Message("assistant", decoded.text or ""),
                    _reask_message(failure),
                )
                continue
            attempts.append(attempt)
        return Completion(
            output=output,
            raw_text=decoded.text,
            usage=usage,
            finish_reason=decoded.finish_reason,
            model=decoded.model,
            request_id=decoded.request_id,
            raw=decoded.raw,
            attempts=tuple(attempts),
            reasoning=decoded.reasoning,
            tool_calls=decoded.tool_calls,
        )
    raise AssertionError("unreachable")  # pragma: no cover
