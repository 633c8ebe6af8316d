"""Run-time mirrors of the type contract holes closed in issue 16: each misuse that the type
checkers reject (stubs/reject/type_holes.py) is also a ConfigurationError for untyped callers,
however the builder was made."""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm._builders._base import BuilderSettings
from typedllm._catalog import OPENAI_MODELS
from typedllm.testing import FakeProvider


class City(BaseModel):
    name: str


def untyped(builder: object) -> Any:
    """The builder as an untyped caller sees it (no static gates)."""
    return cast(Any, builder)


# -- 1. reasoning_effort: the model's own levels --------------------------------------------------


@pytest.mark.parametrize(
    ("model", "effort"),
    [("o3", "minimal"), ("o3", "none"), ("gpt-5", "none"), ("gpt-5.1", "minimal"), ("o1", "xhigh")],
)
def test_an_effort_the_model_does_not_take_is_an_error(model: str, effort: str) -> None:
    with pytest.raises(tl.ConfigurationError, match=rf"{model} does not accept reasoning_effort"):
        untyped(tl.openai().model(model)).reasoning_effort(effort)


@pytest.mark.parametrize(
    ("model", "effort"), [("gpt-5", "minimal"), ("gpt-5.1", "none"), ("o3", "low")]
)
def test_an_effort_the_model_takes_is_sent(model: str, effort: str) -> None:
    fake = FakeProvider(["ok"])
    builder = untyped(tl.openai().model(model)).reasoning_effort(effort)
    builder.api_key("k").transport(fake).build().complete("x")
    assert fake.requests[0].json["reasoning_effort"] == effort


def test_the_effort_states_match_the_catalog() -> None:
    """Each generated state's levels are exactly its models' catalog levels."""
    from typing import get_args

    from typedllm._catalog import _openai_models as names

    states = {
        tl.ReasoningLowMediumHigh: names.OpenAIReasoningLowMediumHighModelName,
        tl.ReasoningMinimalLowMediumHigh: names.OpenAIReasoningMinimalLowMediumHighModelName,
        tl.ReasoningNoneLowMediumHigh: names.OpenAIReasoningNoneLowMediumHighModelName,
        tl.ReasoningHigh: names.OpenAIReasoningHighModelName,
        tl.ReasoningNoneLowMediumHighXhigh: names.OpenAIReasoningNoneLowMediumHighXhighModelName,
        tl.ReasoningLowMediumHighXhighMax: names.OpenAIReasoningLowMediumHighXhighMaxModelName,
        tl.ReasoningNoneLowMediumHighXhighMax: (
            names.OpenAIReasoningNoneLowMediumHighXhighMaxModelName
        ),
    }
    covered: set[str] = set()
    for state, literal in states.items():
        (base,) = [b for b in state.__orig_bases__ if getattr(b, "__origin__", None)]  # type: ignore[attr-defined]
        (levels,) = get_args(base)
        for name in get_args(literal):
            assert OPENAI_MODELS[name].reasoning_efforts == get_args(levels), name
            covered.add(name)
        assert issubclass(state, tl.ReasoningModel) and issubclass(state, tl.ModelChosen)
    assert covered == {n for n, info in OPENAI_MODELS.items() if info.reasoning}


# -- 2. stream.items() needs a list schema --------------------------------------------------------


def _llm(fake: FakeProvider) -> tl.Client:
    return tl.openai().model("gpt-4o").api_key("k").transport(fake).build()


@pytest.mark.parametrize("schema", [City, None, dict[str, City], list[City] | None])
def test_items_on_a_non_list_schema_is_an_error(schema: Any) -> None:
    fake = FakeProvider([{"name": "Oslo"}])
    stream = untyped(_llm(fake).stream("x", schema=schema))
    with pytest.raises(tl.ConfigurationError, match=r"items\(\) needs a list\[\.\.\.\] schema"):
        next(iter(stream.items()))
    assert fake.requests == []  # refused before anything was read


async def test_async_items_on_a_non_list_schema_is_an_error() -> None:
    fake = FakeProvider([{"name": "Oslo"}])
    stream = untyped(_llm(fake).astream("x", schema=City))
    with pytest.raises(tl.ConfigurationError, match=r"items\(\) needs a list"):
        async for _ in stream.items():
            pass
    await stream.aclose()


def test_items_of_a_list_schema_are_the_item_type() -> None:
    fake = FakeProvider([{"result": [{"name": "Oslo"}, {"name": "Rome"}]}])
    with _llm(fake).stream("x", schema=list[City]) as stream:
        items = list(stream.items())
    assert items == [City(name="Oslo"), City(name="Rome")]
    assert all(type(item) is City for item in items)


# -- 3. like= with a listed name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("builder", "name", "like"),
    [
        (tl.openai(), "o3", "gpt-4o"),
        (tl.openai(), "gpt-4o", "gpt-4o"),
        (tl.anthropic(), "claude-sonnet-4-5", "claude-3-5-haiku-latest"),
        (tl.gemini(), "gemini-2.0-flash", "gemini-2.5-flash"),
    ],
)
def test_like_with_a_listed_name_is_an_error(builder: Any, name: str, like: str) -> None:
    with pytest.raises(tl.ConfigurationError, match=rf"'{name}' is a listed .* without like="):
        builder.model(name, like=like)


def test_the_reported_misuse_no_longer_sends_a_temperature_to_o3() -> None:
    with pytest.raises(tl.ConfigurationError, match="is a listed OpenAI model"):
        untyped(tl.openai()).model("o3", like="gpt-4o").temperature(0.7)


def test_like_with_an_unlisted_name_still_borrows() -> None:
    builder = tl.openai().model("o3-2099-01-01", like="o3").reasoning_effort("high")
    assert builder.api_key("k").transport(FakeProvider()).build().config.model == "o3-2099-01-01"


# -- 4. explicit type arguments, transports, FakeProvider -----------------------------------------


def test_explicit_type_arguments_do_not_skip_the_model_gate() -> None:
    explicit = untyped(tl.OpenAIBuilder[tl.ReasoningLowMediumHigh]())
    with pytest.raises(tl.ConfigurationError, match=r"choose a model with \.model"):
        explicit.api_key("k").build()
    with pytest.raises(tl.ConfigurationError, match=r"choose a model"):
        untyped(tl.OpenAIBuilder[tl.ChatModel]()).temperature(0.7)
    for other in (tl.GeminiBuilder[tl.ThinkingModel](), tl.AnthropicBuilder[tl.ThinkingModel]()):
        with pytest.raises(tl.ConfigurationError, match=r"choose a model"):
            untyped(other).api_key("k").build()


@pytest.mark.parametrize(
    "settings",
    [
        {"model": "o3", "temperature": 0.7},
        {"model": "o3", "top_p": 0.5},
        {"model": "o3", "reasoning_effort": "minimal"},
        {"model": "gpt-4o", "reasoning_effort": "low"},
        {"model": "gpt-4o", "max_tokens": 10**6},
    ],
)
def test_build_rechecks_settings_whatever_the_state_claims(settings: dict[str, Any]) -> None:
    """A builder holding an inconsistent state (made directly, or by a cast) fails at build()."""
    info = OPENAI_MODELS[settings["model"]]
    builder = untyped(tl.OpenAIBuilder)(BuilderSettings(model_info=info, **settings))
    with pytest.raises(tl.ConfigurationError, match=settings["model"]):
        builder.api_key("k").build()


def test_anthropic_build_rechecks_thinking_with_sampling() -> None:
    from typedllm._catalog import ANTHROPIC_MODELS

    info = ANTHROPIC_MODELS["claude-sonnet-4-5"]
    settings = BuilderSettings(
        model="claude-sonnet-4-5", model_info=info, thinking_budget=2048, temperature=0.5
    )
    with pytest.raises(tl.ConfigurationError, match="cannot be combined"):
        untyped(tl.AnthropicBuilder)(settings).api_key("k").build()


@pytest.mark.parametrize(
    ("method", "value", "message"),
    [
        ("transport", "http://localhost", "transport takes an httpx.BaseTransport"),
        ("transport", None, "transport takes"),
        ("http_client", httpx.AsyncClient(), r"http_client takes an httpx.Client.*async_http"),
        ("async_http_client", httpx.Client(), r"takes an httpx.AsyncClient.*\.http_client"),
        ("http_client", object(), "http_client takes an httpx.Client"),
    ],
)
def test_transports_and_clients_are_checked(method: str, value: Any, message: str) -> None:
    with pytest.raises(tl.ConfigurationError, match=message):
        getattr(tl.openai(), method)(value)


def test_real_transports_and_clients_are_taken() -> None:
    mock = httpx.MockTransport(lambda r: httpx.Response(200))
    builder = tl.openai().transport(mock).http_client(httpx.Client())
    assert builder.async_http_client(httpx.AsyncClient()) is not builder


@pytest.mark.parametrize("bare", ["Paris", b"Paris", {"name": "Paris"}, 42])
def test_fake_provider_takes_a_list_of_replies(bare: Any) -> None:
    with pytest.raises(tl.ConfigurationError, match="FakeProvider takes a list of replies"):
        FakeProvider(bare)


def test_fake_provider_with_a_list_answers_each_reply_whole() -> None:
    fake = FakeProvider(["Paris"])
    assert _llm(fake).complete("x") == "Paris"


# -- 5. max_tokens is checked whatever the order ---------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: tl.openai().model("gpt-4o").max_tokens(10**6),
        lambda: tl.openai().max_tokens(10**6).model("gpt-4o"),
        lambda: tl.openai().max_tokens(20_000).model("x", like="gpt-4o"),
        lambda: tl.openai().model("o3").max_tokens(50_000).model("gpt-4o"),
        lambda: tl.anthropic().max_tokens(10**6).model("claude-sonnet-4-5"),
        lambda: tl.gemini().max_tokens(10**6).model("gemini-2.5-flash"),
    ],
)
def test_max_tokens_over_the_limit_fails_in_either_order(make: Any) -> None:
    with pytest.raises(tl.ConfigurationError, match=r"max_tokens=\d+ exceeds .*'s limit of"):
        make()


def test_max_tokens_within_the_limit_survives_the_model() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.openai().max_tokens(50_000).model("o3").api_key("k").transport(fake).build()
    llm.complete("x")
    assert fake.requests[0].json["max_completion_tokens"] == 50_000


# -- 6. a mixed list of builders builds ------------------------------------------------------------


def test_a_mixed_list_of_builders_builds() -> None:
    builders = [tl.openai().model("gpt-4o"), tl.openai().model("o3"), tl.openai().model("gpt-5")]
    clients = [b.api_key("k").build() for b in builders]
    assert [c.config.model for c in clients] == ["gpt-4o", "o3", "gpt-5"]
