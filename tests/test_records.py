"""The fast record constructors (typedllm/_records.py) build the same records as the
dataclasses' own ``__init__``: equal, frozen, hashable where the class is, picklable."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass

import pytest

import typedllm as tl
from typedllm._completion import Completion, make_completion
from typedllm._messages import ImagePart, Message, TextPart, trusted_text
from typedllm._records import positional_maker
from typedllm._usage import Attempt, Usage, make_attempt, make_usage
from typedllm._wire import WireRequest
from typedllm.codecs._base import DecodedCompletion, make_decoded
from typedllm.testing import FakeProvider


def _fields(record: object) -> dict[str, object]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}  # type: ignore[arg-type]


def test_each_maker_builds_what_the_class_builds() -> None:
    usage = Usage(12, 34, 5, 6, 7)
    assert make_usage(12, 34, 5, 6, 7) == usage
    attempt = Attempt("{}", usage, "stop", "req-1", ("e",))
    assert make_attempt("{}", usage, "stop", "req-1", ("e",)) == attempt
    assert trusted_text("hi") == TextPart("hi")
    message = Message("assistant", "hi")
    assert Message._trusted("assistant", (TextPart("hi"),)) == message  # pyright: ignore[reportPrivateUsage]
    decoded = DecodedCompletion((TextPart("x"),), "stop", usage, "m", "r", "q", None, "stop", {})
    assert make_decoded((TextPart("x"),), "stop", usage, "m", "r", "q", None, "stop", {}) == decoded
    request = WireRequest("POST", "http://127.0.0.1/x", {"a": "b"}, b"{}")
    made_request = positional_maker(WireRequest)("POST", "http://127.0.0.1/x", {"a": "b"}, b"{}")
    assert _fields(made_request) == _fields(request)
    completion = Completion(output=1, raw_text="1", usage=usage, finish_reason="stop", model="m",
                            request_id="q", attempts=(attempt,), message=message,
                            messages=(message,), cost=0.5)  # fmt: skip
    made = make_completion(1, "1", usage, "stop", "m", "q", None, (attempt,), None, (), message,
                           (message,), 0.5, None, None, ())  # fmt: skip
    assert made == completion and type(made) is Completion
    assert hash(make_usage(1, 2, 0, 0, 0)) == hash(Usage(1, 2))


def test_made_records_stay_frozen_and_pickle() -> None:
    usage = make_usage(1, 2, 0, 0, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        usage.input_tokens = 5  # type: ignore[misc]
    text = trusted_text("hi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.text = "other"  # type: ignore[misc]
    completion = make_completion("out", "out", usage, "stop", None, None, None, (), None, (),
                                 None, (), None, None, None, ())  # fmt: skip
    assert pickle.loads(pickle.dumps(completion)) == completion
    assert pickle.loads(pickle.dumps(usage)) == usage
    assert repr(usage) == repr(Usage(1, 2))


def test_the_fake_provider_answer_is_the_same_record_either_way() -> None:
    # The flow builds its records with the makers: the result still compares equal to, and
    # reads like, a record built by hand.
    client = tl.openai().model("gpt-4o-mini").api_key("sk-t").transport(FakeProvider()).build()
    done = client.completion("hello")
    assert isinstance(done.usage, Usage) and done.usage == Usage(
        done.usage.input_tokens, done.usage.output_tokens
    )
    assert done.message == Message("assistant", done.output)
    assert done.attempts == (Attempt(done.raw_text, done.usage, "stop", done.request_id),)


def test_only_slots_dataclasses_without_checks_get_a_maker() -> None:
    @dataclass
    class NoSlots:
        a: int

    with pytest.raises(TypeError, match="not a slots dataclass"):
        positional_maker(NoSlots)
    with pytest.raises(TypeError, match="__post_init__"):
        positional_maker(ImagePart)  # it checks its sources


def test_every_hot_path_record_is_made_through_its_layout_twin() -> None:
    # The fast path (a plain class of the same layout, turned into the record) applies to every
    # record the library makes per call; the records are of the class itself.
    from typedllm._answer import _make_answer  # pyright: ignore[reportPrivateUsage]
    from typedllm._call import make_call
    from typedllm._events import _make_call_info  # pyright: ignore[reportPrivateUsage]
    from typedllm.pipeline._results import make_result as _make_result

    makers = [make_completion, make_usage, make_attempt, make_decoded, make_call, _make_result,
              _make_answer, _make_call_info, positional_maker(WireRequest)]  # fmt: skip
    for make in makers:
        assert "_twin" in make.__code__.co_names, make.__qualname__
    result = _make_result(3, "id-3", "out", None, make_usage(1, 2, 0, 0, 0), 0.25, 1, 0.5, None,
                          False)  # fmt: skip
    assert type(result) is tl.ItemResult and result.ok and result.index == 3
    assert result == tl.ItemResult(3, "id-3", "out", None, Usage(1, 2), 0.25, 1, 0.5)
    assert pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.index = 4  # type: ignore[misc]


def test_a_record_the_twin_cannot_match_gets_the_descriptor_maker() -> None:
    # A __weakref__ slot is a layout the plain twin does not have: the maker falls back to
    # setting each slot through its descriptor, and the record is the same.
    import weakref

    @dataclass(frozen=True, slots=True, weakref_slot=True)
    class Referable:
        a: int
        b: str

    @dataclass(frozen=True, slots=True)
    class Plain:
        a: int
        b: str

    for cls in (Referable, Plain):
        made = positional_maker(cls)(1, "x")
        assert type(made) is cls and made == cls(1, "x") and hash(made) == hash(cls(1, "x"))
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.a = 2  # type: ignore[misc]
    assert "_twin" not in positional_maker(Referable).__code__.co_names
    assert "_twin" in positional_maker(Plain).__code__.co_names
    assert weakref.ref(positional_maker(Referable)(1, "x")) is not None
