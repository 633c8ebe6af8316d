"""complete()/acomplete() end to end through the embedded fake provider."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, Optional, Union

import pytest
from _drive import drive_complete
from pydantic import BaseModel, Field, TypeAdapter
from typing_extensions import TypedDict

import typedllm as tl
from typedllm.testing import FakeProvider, FakeReply


def client(fake: FakeProvider, model: Any = "gpt-4o-mini", **opts: Any) -> tl.Client:
    builder: Any = tl.openai().model(model).api_key("sk-test").transport(fake)
    for name, value in opts.items():
        builder = getattr(builder, name)(value)
    built: tl.Client = builder.build()
    return built


# -- the types users write ------------------------------------------------------------------


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


class Priority(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Address(BaseModel):
    street: str
    city: str
    zip_code: str | None = None


class Person(BaseModel):
    name: str
    age: int = Field(ge=0, le=150)
    address: Address
    tags: list[str] = []
    color: Color
    priority: Priority
    kind: Literal["customer", "supplier"]
    nickname: Optional[str] = None
    born: date | None = None


class Node(BaseModel):
    value: int
    children: list[Node] = []


class Cat(BaseModel):
    pet_type: Literal["cat"]
    meows: int


class Dog(BaseModel):
    pet_type: Literal["dog"]
    barks: float


class Owner(BaseModel):
    pet: Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]


class Movie(TypedDict):
    title: str
    year: int


@dataclasses.dataclass
class Point:
    x: float
    y: float


ROUND_TRIP_TYPES: list[Any] = [
    Person,
    Node,
    Owner,
    list[Address],
    Optional[Address],
    Address | None,
    Movie,
    Point,
    bool,
    int,
    str,
    Literal["yes", "no"],
    Color,
    list[Person],
]


@pytest.mark.parametrize("tp", ROUND_TRIP_TYPES, ids=repr)
def test_round_trip_through_the_fake(tp: Any) -> None:
    fake = FakeProvider()
    llm = client(fake)
    result = llm.complete("extract it", schema=tp)
    # The answer is a validated instance of the requested type ...
    assert TypeAdapter(tp).validate_python(result, strict=False) == result
    # ... requested with OpenAI strict structured output.
    fmt = fake.requests[0].json["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["type"] == "object"


def test_recursive_model_keeps_refs_in_the_request() -> None:
    fake = FakeProvider()
    node = client(fake).complete("tree", schema=Node)
    assert isinstance(node, Node)
    schema = fake.requests[0].json["response_format"]["json_schema"]["schema"]
    assert "$ref" in str(schema)


@pytest.mark.parametrize("tp", ROUND_TRIP_TYPES, ids=repr)
async def test_async_round_trip(tp: Any) -> None:
    fake = FakeProvider()
    async with client(fake) as llm:
        result = await llm.acomplete("extract it", schema=tp)
    assert TypeAdapter(tp).validate_python(result, strict=False) == result


def test_plain_text_completion() -> None:
    fake = FakeProvider(["Paris"])
    llm = client(fake)
    assert llm.complete("Capital of France?") == "Paris"
    body = fake.requests[0].json
    assert body["messages"] == [{"role": "user", "content": "Capital of France?"}]
    assert "response_format" not in body


def test_non_object_roots_are_wrapped_and_unwrapped() -> None:
    fake = FakeProvider([{"result": [{"street": "a", "city": "b", "zip_code": None}]}])
    out = client(fake).complete("x", schema=list[Address])
    assert out == [Address(street="a", city="b")]
    schema = fake.requests[0].json["response_format"]["json_schema"]["schema"]
    assert schema["required"] == ["result"]


def test_optional_root_accepts_null() -> None:
    fake = FakeProvider([{"result": None}])
    assert client(fake).complete("x", schema=Address | None) is None


def test_completion_record_has_everything() -> None:
    fake = FakeProvider(
        [
            FakeReply(
                text='{"street": "s", "city": "c", "zip_code": "1"}',
                input_tokens=11,
                output_tokens=7,
            )
        ]
    )
    rec = client(fake).completion("x", schema=Address)
    assert rec.output == Address(street="s", city="c", zip_code="1")
    assert rec.usage == tl.Usage(input_tokens=11, output_tokens=7)
    assert rec.finish_reason == "stop"
    assert rec.model == "gpt-4o-mini"
    assert rec.request_id == "req_fake_000000"
    assert rec.raw["object"] == "chat.completion"
    assert rec.raw_text == '{"street": "s", "city": "c", "zip_code": "1"}'
    assert len(rec.attempts) == 1


def test_messages_prompt_and_default_system_prompt() -> None:
    fake = FakeProvider(["ok"])
    llm = client(fake, system="You are terse.")
    prompt = [tl.user("hi"), tl.assistant("hello"), tl.user("bye")]
    assert llm.complete(prompt) == "ok"
    assert fake.requests[0].json["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "bye"},
    ]


def test_reasoning_models_receive_system_as_developer_and_effort() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.openai().model("o4-mini").reasoning_effort("high").max_tokens(500).api_key("k")
    llm.transport(fake).build().complete([tl.system("rules"), tl.user("q")])
    body = fake.requests[0].json
    assert body["messages"][0] == {"role": "developer", "content": "rules"}
    assert body["reasoning_effort"] == "high"
    assert body["max_completion_tokens"] == 500
    assert "temperature" not in body


def test_sampling_options_are_sent() -> None:
    fake = FakeProvider(["ok"])
    tl.openai().model("gpt-4o").temperature(0.25).top_p(0.5).seed(7).api_key("k").transport(
        fake
    ).build().complete("x")
    body = fake.requests[0].json
    assert (body["temperature"], body["top_p"], body["seed"]) == (0.25, 0.5, 7)


def test_authorization_header_is_sent_and_redacted_in_records() -> None:
    fake = FakeProvider(["ok"], api_key="sk-test")
    assert client(fake).complete("x") == "ok"
    assert fake.requests[0].headers["authorization"] == "***"
    wrong = FakeProvider(["ok"], api_key="sk-other")
    with pytest.raises(tl.AuthenticationError) as info:
        client(wrong).complete("x")
    assert info.value.status_code == 401
    assert "sk-test" not in str(info.value) and "sk-test" not in repr(info.value)


# -- output errors ----------------------------------------------------------------------------


def test_refusal_is_a_typed_error() -> None:
    fake = FakeProvider([FakeReply.refusal("I can't help with that.")])
    with pytest.raises(tl.RefusalError) as info:
        client(fake).complete("x", schema=Address)
    assert info.value.refusal == "I can't help with that."
    assert fake.calls == 1  # refusals are never re-asked


def test_truncation_is_a_typed_error_not_a_reask() -> None:
    fake = FakeProvider([FakeReply.truncated('{"street": "Main')])
    with pytest.raises(tl.TruncatedOutputError) as info:
        client(fake).complete("x", schema=Address)
    assert info.value.raw_text == '{"street": "Main'
    assert fake.calls == 1


def test_truncated_text_completion_is_also_an_error() -> None:
    fake = FakeProvider([FakeReply.of_text("Once upon a", finish_reason="length")])
    with pytest.raises(tl.TruncatedOutputError):
        client(fake).complete("story")


def test_content_filter_is_a_refusal() -> None:
    fake = FakeProvider([FakeReply.of_text("", finish_reason="content_filter")])
    with pytest.raises(tl.RefusalError):
        client(fake).complete("x")


def test_invalid_answer_is_reasked_with_the_errors() -> None:
    fake = FakeProvider(['{"street": 5}', '{"street": "s", "city": "c", "zip_code": null}'])
    prompt = [tl.user("extract")]
    rec = client(fake).completion(prompt, schema=Address)
    assert rec.output == Address(street="s", city="c")
    assert len(rec.attempts) == 2 and rec.attempts[0].errors and not rec.attempts[1].errors
    second = fake.requests[1].json["messages"]
    assert second[1] == {"role": "assistant", "content": '{"street": 5}'}
    assert second[2]["role"] == "user" and "city" in second[2]["content"]
    assert prompt == [tl.user("extract")]  # the caller's list is untouched


def test_validation_error_after_reasks_carries_everything() -> None:
    fake = FakeProvider([FakeReply(text="not json", input_tokens=3, output_tokens=2)] * 3)
    with pytest.raises(tl.OutputValidationError) as info:
        client(fake, max_reasks=2).complete("x", schema=Address)
    err = info.value
    assert fake.calls == 3
    assert err.raw_text == "not json"
    assert len(err.attempts) == 3
    assert err.usage == tl.Usage(input_tokens=9, output_tokens=6)
    assert err.errors and err.schema is not None


def test_zero_reasks_fails_on_first_invalid_answer() -> None:
    fake = FakeProvider(['{"street": 1}'])
    with pytest.raises(tl.OutputValidationError):
        client(fake, max_reasks=0).complete("x", schema=Address)
    assert fake.calls == 1


def test_json_object_mode_puts_schema_in_instructions_and_extracts_leniently() -> None:
    fake = FakeProvider(['Sure! ```json\n{"street": "s", "city": "c"}\n``` hope it helps'])
    llm = client(fake, model="gpt-3.5-turbo")
    assert llm.complete("x", schema=Address) == Address(street="s", city="c")
    body = fake.requests[0].json
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system" and "JSON" in body["messages"][0]["content"]


def test_prompt_mode_sends_no_response_format() -> None:
    fake = FakeProvider()
    llm = (
        tl.openai_compatible(base_url="http://fake.local/v1").model("m").structured_output("prompt")
    )
    out = llm.transport(fake).build().complete("x", schema=Address)
    assert isinstance(out, Address)
    assert "response_format" not in fake.requests[0].json


def test_openai_compatible_uses_non_strict_json_schema_and_max_tokens() -> None:
    fake = FakeProvider()
    llm = tl.openai_compatible(base_url="http://fake.local/v1").model("qwen").max_tokens(64)
    llm.transport(fake).build().complete("x", schema=Person)
    body = fake.requests[0].json
    assert body["response_format"]["json_schema"]["strict"] is False
    assert body["max_tokens"] == 64
    assert "authorization" not in fake.requests[0].headers
    assert fake.requests[0].path == "/v1/chat/completions"


# -- transport errors and retries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, tl.BadRequestError),
        (401, tl.AuthenticationError),
        (403, tl.PermissionDeniedError),
        (404, tl.NotFoundError),
        (409, tl.ConflictError),
        (422, tl.UnprocessableEntityError),
        (429, tl.RateLimitError),
        (500, tl.InternalServerError),
        (503, tl.InternalServerError),
    ],
)
def test_status_errors_are_mapped(status: int, cls: type[tl.APIStatusError]) -> None:
    fake = FakeProvider([FakeReply.error(status, "boom", headers={"x-request-id": "req_9"})])
    with pytest.raises(cls) as info:
        client(fake, max_retries=0).complete("x")
    err = info.value
    assert (err.provider, err.status_code, err.request_id) == ("openai", status, "req_9")
    assert err.body["error"]["message"] == "boom"
    assert "boom" in str(err)


def test_rate_limits_are_retried_honouring_retry_after() -> None:
    fake = FakeProvider([FakeReply.error(429, "slow down", retry_after=1.5), "ok"])
    result, trace = drive_complete(client(fake), "x", fake)
    assert result.output == "ok"
    assert trace.sleeps == [1.5]
    assert fake.calls == 2


def test_server_errors_are_retried_with_backoff_then_raised() -> None:
    fake = FakeProvider([FakeReply.error(500, "oops")] * 3)
    error, trace = drive_complete(client(fake, max_retries=2), "x", fake)
    assert isinstance(error, tl.InternalServerError)
    assert fake.calls == 3
    assert len(trace.sleeps) == 2 and 0 < trace.sleeps[0] <= 0.5 < trace.sleeps[1] <= 1.0


def test_client_errors_are_not_retried() -> None:
    fake = FakeProvider([FakeReply.error(400, "bad")])
    error, trace = drive_complete(client(fake), "x", fake)
    assert isinstance(error, tl.BadRequestError)
    assert fake.calls == 1 and trace.sleeps == []


def test_error_body_inside_http_200_is_an_error() -> None:
    body = {"error": {"code": 429, "message": "Provider returned error"}}
    fake = FakeProvider([FakeReply.raw(200, body)])
    with pytest.raises(tl.RateLimitError):
        client(fake, max_retries=0).complete("x")


class _Failing:
    """A transport whose first ``n`` requests fail at the connection level."""

    def __init__(self, n: int, exc: Callable[[], Exception], then: FakeProvider) -> None:
        self.n, self.exc, self.then = n, exc, then
        self.calls = 0

    def handle_request(self, request: Any) -> Any:
        self.calls += 1
        if self.n:
            self.n -= 1
            raise self.exc()
        return self.then.handle_request(request)


def test_connection_errors_are_retried_then_typed() -> None:
    import httpx

    fast = tl.RetryPolicy(backoff_base=0.0)
    fake = FakeProvider(["ok"])
    flaky = _Failing(1, lambda: httpx.ConnectError("refused"), fake)
    assert client(fake).config.max_retries == 2
    llm = tl.openai().model("gpt-4o").api_key("k").retry_policy(fast).transport(flaky).build()
    assert llm.complete("x") == "ok"
    assert flaky.calls == 2
    dead = _Failing(10, lambda: httpx.ReadTimeout("slow"), fake)
    llm2 = tl.openai().model("gpt-4o").api_key("k").retry_policy(fast).max_retries(1)
    with pytest.raises(tl.APITimeoutError, match=r"api\.openai\.com"):
        llm2.transport(dead).build().complete("x")
    assert dead.calls == 2
    down = _Failing(10, lambda: httpx.ConnectError("refused"), fake)
    llm3 = tl.openai().model("gpt-4o").api_key("k").max_retries(0).transport(down).build()
    with pytest.raises(tl.APIConnectionError, match=r"could not reach api\.openai\.com"):
        llm3.complete("x")
    assert down.calls == 1


def test_invalid_prompt_is_a_configuration_error() -> None:
    llm = client(FakeProvider())
    with pytest.raises(tl.ConfigurationError):
        llm.complete([{"role": "user", "content": "x"}])  # type: ignore[list-item]
    with pytest.raises(tl.ConfigurationError):
        llm.complete([])


def test_reask_token_budget_stops_reasking() -> None:
    fake = FakeProvider([FakeReply(text="nope", input_tokens=60, output_tokens=50)] * 3)
    llm = client(fake, max_reasks=5, reask_token_budget=100)
    with pytest.raises(tl.OutputValidationError) as info:
        llm.complete("x", schema=Address)
    assert fake.calls == 1  # 110 tokens used: the budget is spent, no re-ask
    assert info.value.usage == tl.Usage(input_tokens=60, output_tokens=50)


def test_output_errors_carry_the_schema_and_its_changes() -> None:
    class Coded(BaseModel):
        code: str = Field(min_length=5)

    fake = FakeProvider(['{"code": "ab"}'])
    with pytest.raises(tl.OutputValidationError) as info:
        client(fake, max_reasks=0).complete("x", schema=Coded)
    err = info.value
    assert err.schema is not None and err.schema["properties"]["code"]["type"] == "string"
    assert any(
        c.kind == "moved_to_description" and "minLength" in c.detail for c in err.schema_changes
    )
    assert err.errors[0]["loc"] == ("code",)


def test_bare_answers_to_wrapped_schemas_are_accepted_on_lenient_paths() -> None:
    fake = FakeProvider(['Here you go:\n```json\n[{"street": "s", "city": "c"}]\n```'])
    llm = (
        tl.openai_compatible(base_url="http://fake.local/v1").model("m").structured_output("prompt")
    )
    out = llm.transport(fake).build().complete("x", schema=list[Address])
    assert out == [Address(street="s", city="c")]


def test_non_strict_json_schema_answers_are_extracted_leniently() -> None:
    fake = FakeProvider(['```json\n{"street": "s", "city": "c"}\n```'])
    llm = tl.openai_compatible(base_url="http://fake.local/v1").model("m").transport(fake).build()
    assert llm.complete("x", schema=Address) == Address(street="s", city="c")


def test_strict_answers_are_not_repaired() -> None:
    fake = FakeProvider(['```json\n{"street": "s", "city": "c", "zip_code": null}\n```'])
    with pytest.raises(tl.OutputValidationError):
        client(fake, max_reasks=0).complete("x", schema=Address)


def test_dict_fields_round_trip_through_the_strict_rewrite() -> None:
    class Inventory(BaseModel):
        counts: dict[str, int]
        span: tuple[int, int]

    fake = FakeProvider(
        [{"counts": [{"key": "apples", "value": 3}], "span": {"item_0": 1, "item_1": 2}}]
    )
    out = client(fake).complete("x", schema=Inventory)
    assert out == Inventory(counts={"apples": 3}, span=(1, 2))
    sent = fake.requests[0].json["response_format"]["json_schema"]["schema"]
    assert sent["properties"]["counts"]["type"] == "array"


def test_decimal_digits_survive_the_rewrite_path() -> None:
    from decimal import Decimal

    class Priced(BaseModel):
        prices: dict[str, Decimal]

    fake = FakeProvider(
        ['{"prices": [{"key": "a", "value": 0.1000000000000000055511151231257827}]}']
    )
    out = client(fake).complete("x", schema=Priced)
    assert out.prices["a"] == Decimal("0.1000000000000000055511151231257827")


@pytest.mark.parametrize("bad", ["Address", 42, object()], ids=["string", "int", "object"])
def test_schema_that_is_not_a_type_is_a_schema_error(bad: Any) -> None:
    with pytest.raises(tl.SchemaError):
        client(FakeProvider(["{}"])).complete("x", schema=bad)


def test_an_echoed_api_key_is_scrubbed_from_errors() -> None:
    secret = "sk-live-abcdef123456"
    body = {
        "error": {
            "message": f"Incorrect API key provided: {secret}",
            "type": "invalid_request_error",
        }
    }
    fake = FakeProvider([FakeReply.raw(401, body)])
    llm = tl.openai().model("gpt-4o").api_key(secret).transport(fake).build()
    with pytest.raises(tl.AuthenticationError) as info:
        llm.complete("x")
    err = info.value
    for text in (str(err), repr(err), repr(err.body), err.message, repr(err.args)):
        assert secret not in text
    assert "***" in err.message
    stream_fake = FakeProvider([FakeReply.raw(401, body)])
    streaming = tl.openai().model("gpt-4o").api_key(secret).transport(stream_fake).build()
    with pytest.raises(tl.AuthenticationError) as info2:
        streaming.stream("x").final()
    assert secret not in str(info2.value) and secret not in repr(info2.value.body)
