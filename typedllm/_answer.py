"""The steps that finish one answer, as one pure function shared by every way of getting an
answer (``complete_flow``, ``stream_flow``, and later provider batch results):

1. the answer of the tool route is the input of the call to the answer tool;
2. a refusal, a content filter or a truncation is a typed error at once (never re-asked);
3. tool calls to the caller's own tools with no answer are returned (no schema) or raised as
   :class:`~typedllm.PendingToolCallsError` (a schema asks for an answer);
4. the answer text is validated into the requested type (:class:`ValidationFailure` lets the
   caller decide whether to re-ask);
5. the :class:`~typedllm.Completion` is assembled, with the conversation and the cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ._catalog import ModelInfo
from ._completion import Attempt, Completion, FinishReason, Usage, make_completion
from ._errors import PendingToolCallsError, RefusalError, TruncatedOutputError
from ._messages import Message, TextPart, ToolCall
from ._output import ValidationFailure, parse_output
from ._records import positional_maker
from ._usage import make_attempt
from .codecs._base import DecodedCompletion, OutputSpec

__all__ = ["Answer", "InvalidAnswer", "answer_of", "check_output", "finish_answer"]


@dataclass(slots=True)
class Answer:
    """The answer text and finish reason of a decoded answer, after the tool route."""

    text: str | None
    finish_reason: FinishReason | None
    pending_calls: bool
    """Whether the model called the caller's own tools instead of answering."""


_make_answer = positional_maker(Answer)


def answer_of(
    spec: OutputSpec | None, decoded: DecodedCompletion, calls: tuple[ToolCall, ...] | None = None
) -> Answer:
    """For the tool route, the answer is the input of the call to the answer tool."""
    calls = decoded.tool_calls if calls is None else calls
    if not calls:  # the common answer, its record built fast
        return _make_answer(decoded.text, decoded.finish_reason, False)
    tool = spec.answer_tool if spec is not None else None
    if tool is not None:
        for call in calls:
            if call.name == tool:
                finish = "stop" if decoded.finish_reason == "tool_calls" else decoded.finish_reason
                return Answer(call.arguments, finish, False)
    user_calls = any(c.name != tool for c in calls)
    return Answer(decoded.text, decoded.finish_reason, user_calls)


def check_output(
    decoded: DecodedCompletion,
    text: str | None,
    finish_reason: FinishReason | None,
    pending_calls: bool,
    usage: Usage,
    attempts: Sequence[Attempt],
    spec: OutputSpec | None,
) -> None:
    """Raise the typed error for a refusal, a content filter stop or a truncated answer
    (``text``, ``finish_reason``, ``pending_calls``: the :class:`Answer`'s fields)."""
    if (
        decoded.refusal is None
        and finish_reason not in ("content_filter", "length")
        and not pending_calls
    ):
        return  # the common case, checked without building the errors' context
    compiled = spec.compiled if spec is not None else None
    context: dict[str, Any] = {
        "raw_text": text,
        "usage": usage,
        "attempts": attempts,
        "schema": compiled.schema if compiled is not None else None,
        "schema_changes": compiled.changes if compiled is not None else (),
    }
    if decoded.refusal is not None:
        raise RefusalError(decoded.refusal, **context)
    if finish_reason == "content_filter":
        raise RefusalError("the provider's content filter stopped the answer", **context)
    if finish_reason == "length":
        raise TruncatedOutputError(
            "the answer was cut off by the output token limit (finish reason 'length'); "
            "raise max_tokens or ask for less",
            **context,
        )
    if spec is not None and pending_calls and not (text or "").strip():
        raise _pending(decoded, text, usage, attempts, spec)


def _pending(
    decoded: DecodedCompletion,
    text: str | None,
    usage: Usage,
    attempts: Sequence[Attempt],
    spec: OutputSpec,
) -> PendingToolCallsError:
    """The model called the caller's tools instead of answering the schema."""
    compiled = spec.compiled
    return PendingToolCallsError(
        "the model called tools instead of answering: run them and send the results "
        "(tl.tool_result) to get the answer",
        tool_calls=decoded.tool_calls,
        answer=decoded.message,
        raw_text=text,
        usage=usage,
        attempts=attempts,
        schema=compiled.schema,
        schema_changes=compiled.changes,
    )


class InvalidAnswer(Exception):
    """The answer did not validate (internal: the flow re-asks or raises
    :class:`~typedllm.OutputValidationError`)."""

    def __init__(self, failure: ValidationFailure, attempt: Attempt, usage: Usage) -> None:
        super().__init__(failure.message)
        self.failure = failure
        self.attempt = attempt
        self.usage = usage


def finish_answer(
    decoded: DecodedCompletion,
    *,
    spec: OutputSpec | None,
    schema: Any,
    usage: Usage,
    attempts: Sequence[Attempt],
    conversation: Sequence[Message],
    model_info: ModelInfo,
) -> Completion[Any]:
    """Finish one decoded answer: tool-route answer, refusal/truncation checks, validation,
    and the :class:`Completion` record.

    ``usage`` and ``attempts`` are those of the earlier attempts of the call (re-asks);
    ``conversation`` is the caller's messages. Raises the typed output errors, or
    :class:`InvalidAnswer` when the answer does not validate.
    """
    parts = decoded.parts
    only = parts[0] if len(parts) == 1 else None
    if type(only) is TextPart:
        # The common answer, one text part: no tool calls (so no tool route), no reasoning, and
        # the message is the parts as they are. Read here, without the decoded record's
        # properties (each a call) and without an Answer record: the same values.
        plain = True
        text: str | None = only.text
        finish = decoded.finish_reason
        pending = False
        calls: tuple[ToolCall, ...] = ()
    else:
        plain = False
        calls = decoded.tool_calls
        answer = answer_of(spec, decoded, calls)
        text, finish, pending = answer.text, answer.finish_reason, answer.pending_calls
    usage = usage + decoded.usage if attempts else decoded.usage
    attempt = make_attempt(text, decoded.usage, finish, decoded.request_id, ())
    tried = (*attempts, attempt) if attempts else (attempt,)  # a first answer: one attempt
    check_output(decoded, text, finish, pending, usage, tried, spec)
    if spec is None:
        output: Any = text or ""
    else:
        try:
            output = parse_output(text, spec.compiled, schema, lenient=not spec.enforced)
        except ValidationFailure as failure:
            if pending:
                # The model called the caller's tools and said something on the way ("I'll
                # look that up"): the text is not an answer, the calls are what it wants. Text
                # next to tool_use blocks is a normal Claude answer (stop_reason "tool_use"):
                # https://dev.to/multigrid/forcing-a-specific-tool-call-in-the-claude-api-d5j
                raise _pending(decoded, text, usage, tried, spec) from None
            failed = Attempt(text, decoded.usage, finish, decoded.request_id, failure.errors)
            raise InvalidAnswer(failure, failed, usage) from None
    message = decoded.message
    reasoning = None if plain else decoded.reasoning  # one text part holds no reasoning
    return make_completion(
        output,
        text,
        usage,
        finish,
        decoded.model,
        decoded.request_id,
        decoded.raw,
        tried,
        reasoning,
        calls,
        message,
        (*conversation, message),
        model_info.cost(usage),
        decoded.response_id,
        None,  # answered_by: set by the fallback or router that chose this client
        (),  # steps: set by the tool loop
    )
