"""The common answer (one text part) is finished by a shortcut in ``finish_answer``: it must
give exactly what the general path gives (same Completion, same errors), and the output
parsing (one adapter cache per wrapping, keyed by the type) must validate as before."""

from __future__ import annotations

from typing import Annotated, Any

import pydantic
import pytest

from typedllm import _answer, _output
from typedllm._catalog import ModelInfo
from typedllm._completion import Attempt, Usage
from typedllm._errors import RefusalError, TruncatedOutputError
from typedllm._messages import Message, ReasoningPart, TextPart, ToolCall, user
from typedllm.codecs._base import DecodedCompletion, OutputSpec
from typedllm.schema import compile_schema


class Point(pydantic.BaseModel):
    x: int
    y: int


LENIENT = OutputSpec(compile_schema(Point, "openai-json-schema"), "json_schema")
STRICT = OutputSpec(compile_schema(Point, "openai-strict"), "strict")
WRAPPED = OutputSpec(compile_schema(list[Point], "openai-json-schema"), "json_schema")
TOOL = OutputSpec(compile_schema(Point, "anthropic-tool"), "tool")
FREE = ModelInfo("m", "openai", "gpt")
PRICED = ModelInfo("m", "openai", "gpt", input_price=1.0, output_price=2.0)
EARLIER = Attempt("{}", Usage(1, 1), "stop", "req-0", ({"loc": ("x",), "msg": "m", "type": "t"},))


def _decoded(*parts: Any, finish: Any = "stop", refusal: str | None = None) -> DecodedCompletion:
    return DecodedCompletion(
        parts=parts,
        finish_reason=finish,
        usage=Usage(3, 5, 1, 0, 0),
        model="m",
        response_id="resp-1",
        request_id="req-1",
        refusal=refusal,
        raw={"id": "resp-1"},
    )


class _NotAPart:
    """Stands in for TextPart in the answer module: no part is of it, so the general path."""


def _finish(general: bool, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> Any:
    """``finish_answer``'s result, or the exception it raised (type, message, attributes)."""
    arguments: dict[str, Any] = {
        "spec": LENIENT,
        "schema": Point,
        "usage": Usage(),
        "attempts": (),
        "conversation": (user("hi"),),
        "model_info": FREE,
        **kwargs,
    }
    with monkeypatch.context() as m:
        if general:
            m.setattr(_answer, "TextPart", _NotAPart)
        try:
            return _answer.finish_answer(**arguments)
        except Exception as exc:  # compared as data below
            return type(exc), str(exc), {k: v for k, v in vars(exc).items() if k != "failure"}


CASES: list[dict[str, Any]] = [
    {"decoded": _decoded(TextPart('{"x": 1, "y": 2}'))},
    {"decoded": _decoded(TextPart(' {"x": 1, "y": 2}\n'))},
    {"decoded": _decoded(TextPart('```json\n{"x": 1, "y": 2}\n```'))},
    {"decoded": _decoded(TextPart('Here: {"x": 1, "y": 2} done'))},
    {"decoded": _decoded(TextPart('{"x": 1, "y": 2}')), "spec": STRICT},
    {"decoded": _decoded(TextPart('```json\n{"x": 1, "y": 2}\n```')), "spec": STRICT},
    {"decoded": _decoded(TextPart('[{"x": 1, "y": 2}]')), "spec": WRAPPED, "schema": list[Point]},
    {
        "decoded": _decoded(TextPart('{"result": [{"x": 1, "y": 2}]}')),
        "spec": WRAPPED,
        "schema": list[Point],
    },
    {"decoded": _decoded(TextPart("hello")), "spec": None, "schema": None},
    {"decoded": _decoded(TextPart("")), "spec": None, "schema": None},
    {"decoded": _decoded(TextPart('{"x": 1}'))},  # invalid: InvalidAnswer
    {"decoded": _decoded(TextPart("   "))},  # empty: InvalidAnswer
    {"decoded": _decoded(TextPart('{"x": 1, "y": 2}')), "model_info": PRICED},
    {
        "decoded": _decoded(TextPart('{"x": 1, "y": 2}')),
        "attempts": (EARLIER,),
        "usage": Usage(1, 1),
    },
    {"decoded": _decoded(TextPart('{"x": 1, "y": 2}')), "conversation": [user("a"), user("b")]},
    {"decoded": _decoded(TextPart('{"x": 1, "y": 2}'), refusal="no")},
    {"decoded": _decoded(TextPart('{"x": 1'), finish="length")},
    {"decoded": _decoded(TextPart("blocked"), finish="content_filter")},
    {"decoded": _decoded(TextPart('{"x": 1, "y": 2}'), finish=None)},
    # not the common answer: the general path either way
    {"decoded": _decoded(ReasoningPart("why"), TextPart('{"x": 1, "y": 2}'))},
    {"decoded": _decoded(TextPart('{"x": 1,'), TextPart(' "y": 2}'))},
    {"decoded": _decoded(ToolCall("c1", "Point", '{"x": 1, "y": 2}'), finish="tool_calls")},
    {
        "decoded": _decoded(ToolCall("c1", "Point", '{"x": 1, "y": 2}'), finish="tool_calls"),
        "spec": TOOL,
    },
    {"decoded": _decoded(ToolCall("c1", "lookup", "{}"), finish="tool_calls")},
    {"decoded": _decoded(TextPart("I'll look"), ToolCall("c1", "lookup", "{}"))},
]


@pytest.mark.parametrize("case", CASES)
def test_the_common_answer_finishes_as_the_general_path_does(
    case: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _finish(False, monkeypatch, **case)
    assert fast == _finish(True, monkeypatch, **case)
    assert fast == _finish(False, monkeypatch, **case)  # the lenient mode read from its cache


def test_the_common_answer_keeps_every_record_field() -> None:
    decoded = _decoded(TextPart('{"x": 1, "y": 2}'))
    conversation = (user("hi"),)
    completion = _answer.finish_answer(
        decoded,
        spec=LENIENT,
        schema=Point,
        usage=Usage(),
        attempts=(),
        conversation=conversation,
        model_info=FREE,
    )
    assert completion.output == Point(x=1, y=2)
    assert completion.message == decoded.message
    assert type(completion.message) is Message
    assert completion.messages == (*conversation, decoded.message)
    assert completion.attempts == (Attempt('{"x": 1, "y": 2}', decoded.usage, "stop", "req-1"),)
    assert (completion.reasoning, completion.tool_calls, completion.steps) == (None, (), ())


def test_refusals_and_truncations_of_the_common_answer_raise_the_typed_errors() -> None:
    def finish(decoded: DecodedCompletion) -> None:
        _answer.finish_answer(
            decoded,
            spec=LENIENT,
            schema=Point,
            usage=Usage(),
            attempts=(),
            conversation=(),
            model_info=FREE,
        )

    with pytest.raises(RefusalError, match="no"):
        finish(_decoded(TextPart('{"x": 1, "y": 2}'), refusal="no"))
    with pytest.raises(RefusalError, match="content filter"):
        finish(_decoded(TextPart("x"), finish="content_filter"))
    with pytest.raises(TruncatedOutputError):
        finish(_decoded(TextPart('{"x": 1'), finish="length"))


def test_an_unhashable_type_expression_validates_every_time() -> None:
    tp: Any = Annotated[list[int], {"unhashable": "metadata"}]
    compiled = compile_schema(list[int], "openai-json-schema")
    for _ in range(2):
        assert _output.parse_output('{"result": [1, 2]}', compiled, tp, lenient=True) == [1, 2]
        assert _output.parse_output("[1, 2]", compiled, tp, lenient=True) == [1, 2]


def test_plain_and_wrapped_adapters_are_cached_apart() -> None:
    plain = _output.adapter_for(list[int])
    wrapped = _output.adapter_for(list[int], wrapped=True)
    assert plain is not wrapped
    assert _output.adapter_for(list[int]) is plain
    assert _output.adapter_for(list[int], wrapped=True) is wrapped
    assert plain.validate_python([1]) == [1]
    assert wrapped.validate_python({"result": [1]}).result == [1]
