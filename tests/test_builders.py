"""Runtime behaviour of the type-state builders (the static gates are in stubs/)."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import typedllm as tl
from typedllm._catalog import OPENAI_MODELS


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_build_requires_a_model_at_runtime() -> None:
    untyped: Any = tl.openai().api_key("k")
    with pytest.raises(tl.ConfigurationError, match=r"\.model\("):
        untyped.build()


@pytest.mark.parametrize("name", ["gpt-4o-minii", "claude-sonnet-4-5", "gemini-2.5-flash", ""])
def test_unknown_model_names_are_rejected(name: str) -> None:
    untyped: Any = tl.openai()
    with pytest.raises(tl.ConfigurationError):
        untyped.model(name)


def test_like_borrows_capabilities_of_a_listed_model() -> None:
    llm = tl.openai().model("ft:gpt-4o-mini:acme::x", like="gpt-4o-mini").api_key("k").build()
    assert llm.model == "ft:gpt-4o-mini:acme::x"
    assert llm.model_info.name == "ft:gpt-4o-mini:acme::x"
    assert llm.model_info.temperature is True
    assert llm.model_info.input_price == OPENAI_MODELS["gpt-4o-mini"].input_price


def test_like_must_name_a_listed_model() -> None:
    untyped: Any = tl.openai()
    with pytest.raises(tl.ConfigurationError, match="gpt-9"):
        untyped.model("my-model", like="gpt-9")


@pytest.mark.parametrize(
    "name", ["o1", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano"]
)
def test_reasoning_models_reject_temperature_and_top_p_at_runtime(name: str) -> None:
    untyped: Any = tl.openai().model(name)  # type: ignore[call-overload]
    with pytest.raises(tl.ConfigurationError, match="temperature"):
        untyped.temperature(0.5)
    with pytest.raises(tl.ConfigurationError, match="top_p"):
        untyped.top_p(0.5)


@pytest.mark.parametrize(
    "name", ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"]
)
def test_chat_models_reject_reasoning_effort_at_runtime(name: str) -> None:
    untyped: Any = tl.openai().model(name)  # type: ignore[call-overload]
    with pytest.raises(tl.ConfigurationError, match="not a reasoning model"):
        untyped.reasoning_effort("high")


def test_reasoning_effort_levels_come_from_the_catalog() -> None:
    tl.openai().model("gpt-5").reasoning_effort("minimal")
    with pytest.raises(tl.ConfigurationError, match="minimal"):
        tl.openai().model("o3").reasoning_effort("minimal")
    with pytest.raises(tl.ConfigurationError):
        tl.openai().model("o3").reasoning_effort("extreme")  # type: ignore[arg-type]


def test_dated_snapshots_share_capabilities() -> None:
    assert OPENAI_MODELS["o3-2025-04-16"].family == "reasoning"
    assert OPENAI_MODELS["gpt-4o-2024-08-06"].family == "chat"
    tl.openai().model("o3-2025-04-16").reasoning_effort("low")
    tl.openai().model("gpt-4o-2024-08-06").temperature(1.0)


def test_builders_are_immutable_values_that_branch() -> None:
    base = tl.openai().api_key("k").timeout(5)
    chat = base.model("gpt-4o").temperature(0.2)
    reasoning = base.model("o4-mini").reasoning_effort("high")
    a = chat.build()
    b = reasoning.build()
    c = base.model("gpt-4o").build()
    assert a.config.temperature == 0.2
    assert c.config.temperature is None
    assert b.config.reasoning_effort == "high"
    assert a.config.timeout == b.config.timeout == 5.0
    assert a.model == "gpt-4o" and b.model == "o4-mini"


def test_switching_model_resets_family_specific_options() -> None:
    llm = tl.openai().model("gpt-4o").temperature(0.3).model("o3").api_key("k").build()
    assert llm.config.temperature is None


def test_missing_api_key_names_the_variable() -> None:
    with pytest.raises(tl.ConfigurationError, match="OPENAI_API_KEY"):
        tl.openai().model("gpt-4o").build()


def test_api_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    llm = tl.openai().model("gpt-4o").build()
    assert llm.config.api_key is not None and llm.config.api_key.get() == "sk-from-env"


def test_explicit_key_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    llm = tl.openai().model("gpt-4o").api_key("sk-explicit").build()
    assert llm.config.api_key is not None and llm.config.api_key.get() == "sk-explicit"


def test_openai_compatible_key_is_optional() -> None:
    llm = tl.openai_compatible(base_url="http://127.0.0.1:9/v1").model("any/model").build()
    assert llm.config.api_key is None
    assert llm.config.base_url == "http://127.0.0.1:9/v1"
    assert llm.config.structured_output == "json_schema"
    assert llm.config.max_tokens_field == "max_tokens"


def test_openai_compatible_reads_named_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk-123")
    llm = tl.openai_compatible("https://api.groq.com/openai/v1", api_key_env="GROQ_API_KEY")
    built = llm.model("llama-3.3-70b-versatile").temperature(0.1).build()
    assert built.config.api_key is not None and built.config.api_key.get() == "gsk-123"


def test_openai_compatible_requires_model_before_build() -> None:
    untyped: Any = tl.openai_compatible(base_url="http://127.0.0.1:9/v1")
    with pytest.raises(tl.ConfigurationError):
        untyped.build()


@pytest.mark.parametrize(
    ("method", "value"),
    [
        ("timeout", 0),
        ("timeout", -1.0),
        ("max_retries", -1),
        ("max_reasks", -2),
        ("max_tokens", 0),
        ("api_key", ""),
        ("base_url", "ftp://x"),
    ],
)
def test_invalid_option_values_are_configuration_errors(method: str, value: Any) -> None:
    builder: Any = tl.openai().model("gpt-4o")
    with pytest.raises(tl.ConfigurationError):
        getattr(builder, method)(value)


def test_temperature_range_is_checked() -> None:
    with pytest.raises(tl.ConfigurationError, match="between 0 and 2"):
        tl.openai().model("gpt-4o").temperature(2.5)
    with pytest.raises(tl.ConfigurationError, match="top_p"):
        tl.openai().model("gpt-4o").top_p(1.5)


def test_max_tokens_respects_catalog_limit() -> None:
    with pytest.raises(tl.ConfigurationError, match="16384"):
        tl.openai().model("gpt-4o-mini").max_tokens(1_000_000)
    assert (
        tl.openai().model("gpt-4o-mini").max_tokens(100).api_key("k").build().config.max_tokens
        == 100
    )


def test_structured_output_mode_defaults_follow_the_catalog() -> None:
    assert tl.openai().model("gpt-4o").api_key("k").build().config.structured_output == "strict"
    assert (
        tl.openai().model("gpt-3.5-turbo").api_key("k").build().config.structured_output
        == "json_object"
    )
    custom = tl.openai().model("gpt-4o").structured_output("json_schema").api_key("k").build()
    assert custom.config.structured_output == "json_schema"
    with pytest.raises(tl.ConfigurationError):
        tl.openai().structured_output("yaml")  # type: ignore[arg-type]


def test_api_key_never_appears_in_reprs() -> None:
    secret = "sk-very-secret-value-123"
    builder = tl.openai().model("gpt-4o").api_key(secret)
    llm = builder.build()
    for text in (repr(builder), repr(llm), repr(llm.config), str(llm.config)):
        assert secret not in text


def test_client_pickles_with_its_configuration() -> None:
    llm = (
        tl.openai()
        .model("o3")
        .reasoning_effort("low")
        .api_key("sk-p", picklable=True)
        .system("be brief")
        .build()
    )
    clone = pickle.loads(pickle.dumps(llm))
    assert clone.config == llm.config
    assert clone.config.api_key is not None and clone.config.api_key.get() == "sk-p"


def test_client_with_user_http_client_refuses_to_pickle() -> None:
    import httpx

    with httpx.Client() as http:
        llm = tl.openai().model("gpt-4o").api_key("k", picklable=True).http_client(http).build()
        with pytest.raises(TypeError, match="httpx"):
            pickle.dumps(llm)


def test_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://proxy.example/v1/")
    assert (
        tl.openai().model("gpt-4o").api_key("k").build().config.base_url
        == "https://proxy.example/v1"
    )
    explicit = tl.openai().model("gpt-4o").api_key("k").base_url("https://other.example/v1").build()
    assert explicit.config.base_url == "https://other.example/v1"
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "https://claude-proxy.example")
    assert tl.anthropic().model("claude-haiku-4-5").api_key("k").build().config.base_url == (
        "https://claude-proxy.example"
    )
