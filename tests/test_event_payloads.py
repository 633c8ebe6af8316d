"""What the events added for observability carry: the round's messages and options on
RequestSent, the result on Finished, the operation of plain HTTP requests."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl
from typedllm.events import Event, Finished, RequestSent
from typedllm.testing import FakeProvider


class Pet(BaseModel):
    name: str
    age: int


def test_request_sent_carries_each_rounds_messages_and_the_merged_options() -> None:
    events: list[Event] = []
    fake = FakeProvider(['{"name": "Rex"}', {"name": "Rex", "age": 3}])
    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("k")
        .transport(fake)
        .system("Be terse.")
        .temperature(0.3)
        .on_event(events.append)
        .build()
    )
    llm.complete("pet", schema=Pet, options=tl.CallOptions(max_tokens=99))
    first, second = [e for e in events if isinstance(e, RequestSent)]
    assert [m.role for m in first.messages] == ["system", "user"]
    assert [m.role for m in second.messages] == ["system", "user", "assistant", "user"]
    assert first.options is not None
    assert (first.options.temperature, first.options.max_tokens) == (0.3, 99)
    (finished,) = [e for e in events if isinstance(e, Finished)]
    assert finished.completion is not None
    assert finished.completion.output == Pet(name="Rex", age=3)
    assert "messages" not in repr(first) and "completion" not in repr(finished)


def test_streams_carry_them_too() -> None:
    events: list[Event] = []
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(FakeProvider(["hey"]))
    with llm.on_event(events.append).build().stream("hi") as stream:
        assert "".join(stream) == "hey"
    (sent,) = [e for e in events if isinstance(e, RequestSent)]
    assert sent.stream and [m.role for m in sent.messages] == ["user"]
    (finished,) = [e for e in events if isinstance(e, Finished)]
    assert finished.completion is not None and finished.completion.output == "hey"


def test_a_models_listing_reports_requests_without_messages() -> None:
    events: list[Event] = []
    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key("k")
        .transport(FakeProvider())
        .on_event(events.append)
        .build()
    )
    llm.list_models()
    (sent,) = [e for e in events if isinstance(e, RequestSent)]
    assert sent.call.operation == "list_models"
    assert (sent.method, sent.messages, sent.options) == ("GET", (), None)
    assert not [e for e in events if isinstance(e, Finished)]
