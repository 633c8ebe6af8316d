"""The catalog's provenance and consistency: every entry says where and when its data came
from, the loader refuses one that does not, and the records agree with themselves."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import typedllm as tl
from typedllm import ConfigurationError
from typedllm._builders._base import BuilderSettings, check_settings
from typedllm._catalog import ANTHROPIC_MODELS, GEMINI_MODELS, OPENAI_MODELS, ModelInfo
from typedllm._catalog import _codegen as codegen
from typedllm._catalog._codegen import DATA_DIR, check_entry, load_models
from typedllm.cli._models import lifecycle
from typedllm.testing import FakeProvider

PROVIDERS = ("openai", "anthropic", "gemini")
CATALOGS: dict[str, dict[str, ModelInfo]] = {
    "openai": OPENAI_MODELS,
    "anthropic": ANTHROPIC_MODELS,
    "gemini": GEMINI_MODELS,
}
ALL = [info for catalog in CATALOGS.values() for info in catalog.values()]
TODAY = dt.date.today()


def _raw(provider: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / f"{provider}.json").read_text("utf-8"))
    return data


def _entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "m",
        "family": "chat",
        "source": "https://example.com/models",
        "as_of": "2026-01-02",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


# -- every entry carries its source and the day it was read ------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_data_file_entry_has_a_source_and_a_past_iso_date(provider: str) -> None:
    data = _raw(provider)
    for entry in data["models"]:
        assert check_entry(entry) == [], entry["name"]
        assert dt.date.fromisoformat(entry["as_of"]) <= TODAY
    # The file-level date is the latest refresh: no entry is newer than it.
    file_day = dt.date.fromisoformat(data["as_of"])
    assert file_day <= TODAY
    assert all(dt.date.fromisoformat(e["as_of"]) <= file_day for e in data["models"])
    assert data["sources"] and all(s.startswith("https://") for s in data["sources"])


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_record_exposes_its_entrys_source_and_date(provider: str) -> None:
    expanded = {m["name"]: m for m in load_models(provider)}
    catalog = CATALOGS[provider]
    assert set(catalog) == set(expanded)
    for name, info in catalog.items():
        assert info.source_url == expanded[name]["source"], name
        assert info.as_of == expanded[name]["as_of"], name
        assert info.shutdown_date == expanded[name].get("shutdown"), name
        assert info.lifecycle == expanded[name].get("lifecycle"), name


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"as_of": None}, "no as_of date"),
        ({"as_of": "2026-1-2"}, "not an ISO date"),
        ({"as_of": "02/01/2026"}, "not an ISO date"),
        ({"as_of": "2026-02-30"}, "not an ISO date"),
        ({"as_of": 20260102}, "not an ISO date"),
        ({"as_of": (TODAY + dt.timedelta(days=1)).isoformat()}, "in the future"),
        ({"source": None}, "no source URL"),
        ({"source": "platform.openai.com/docs"}, "no source URL"),
        ({"shutdown": "2026-05-01"}, "needs lifecycle"),
        ({"lifecycle": "sunset"}, "is not one of"),
        (
            {"lifecycle": "deprecated", "deprecated": "2026-06-01", "shutdown": "2026-05-01"},
            "precedes its announcement",
        ),
        ({"lifecycle": "deprecated", "shutdown": "soon"}, "not an ISO date"),
        ({"lifecycle": "retired", "deprecation_source": "a blog"}, "not an https:// URL"),
    ],
)
def test_check_entry_names_each_problem(changes: dict[str, Any], problem: str) -> None:
    problems = check_entry(_entry(**changes), today=TODAY)
    assert len(problems) == 1 and problem in problems[0], problems
    assert problems[0].startswith("m: ")


def test_a_sound_entry_passes_and_a_shutdown_may_be_in_the_future() -> None:
    later = (TODAY + dt.timedelta(days=400)).isoformat()
    entry = _entry(lifecycle="deprecated", deprecated="2026-01-05", shutdown=later)
    assert check_entry(entry, today=TODAY) == []


def test_the_loader_refuses_a_data_file_entry_without_a_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _entry(as_of=None)
    (tmp_path / "openai.json").write_text(json.dumps({"models": [entry]}), encoding="utf-8")
    monkeypatch.setattr(codegen, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"openai\.json: m: no as_of date"):
        load_models("openai")
    dated = _entry(snapshots=["m-2026-01-01"])
    (tmp_path / "openai.json").write_text(json.dumps({"models": [dated]}), encoding="utf-8")
    names = [(m["name"], m["as_of"]) for m in load_models("openai")]
    assert names == [("m", "2026-01-02"), ("m-2026-01-01", "2026-01-02")]  # snapshots inherit


# -- the records agree with themselves --------------------------------------------------------


@pytest.mark.parametrize("info", ALL, ids=lambda i: f"{i.provider}:{i.name}")
def test_capabilities_are_consistent(info: ModelInfo) -> None:
    if info.family == "reasoning":
        assert info.reasoning_efforts and not info.temperature
    if info.provider == "openai" and info.family == "chat":
        assert info.reasoning_efforts == () and info.temperature
    assert len(set(info.reasoning_efforts)) == len(info.reasoning_efforts)
    if info.provider in ("anthropic", "gemini"):
        assert info.family in ("thinking", "standard")
    if info.thinking_budget is not None:
        low, high = info.thinking_budget
        assert 0 <= low <= high
        assert info.thinking
    if info.context_window is not None and info.max_output_tokens is not None:
        assert 0 < info.max_output_tokens <= info.context_window
    assert info.vision == ("image" in info.modalities_in)
    assert "text" in info.modalities_in and info.apis


@pytest.mark.parametrize("info", ALL, ids=lambda i: f"{i.provider}:{i.name}")
def test_prices_are_consistent(info: ModelInfo) -> None:
    prices = {
        "input": info.input_price,
        "output": info.output_price,
        "cached": info.cached_input_price,
        "cache_write": info.cache_write_price,
        "batch_in": info.batch_input_price,
        "batch_out": info.batch_output_price,
    }
    assert all(p is None or p >= 0 for p in prices.values()), prices
    if info.input_price is not None:
        for cheaper in (info.cached_input_price, info.batch_input_price):
            assert cheaper is None or cheaper <= info.input_price, prices
    if info.output_price is not None and info.batch_output_price is not None:
        assert info.batch_output_price <= info.output_price, prices
    if info.cache_write_price is not None and info.cached_input_price is not None:
        assert info.cached_input_price <= info.cache_write_price, prices
    if info.batch_input_price is not None or info.batch_output_price is not None:
        assert info.input_price is not None and info.output_price is not None


@pytest.mark.parametrize("info", ALL, ids=lambda i: f"{i.provider}:{i.name}")
def test_lifecycle_facts_are_consistent(info: ModelInfo) -> None:
    if info.shutdown_date is not None:
        assert info.lifecycle in ("deprecated", "retired")
    if info.deprecated is not None and info.shutdown_date is not None:
        assert info.deprecated <= info.shutdown_date  # ISO days sort as dates
    if info.replacement is not None:
        assert info.replacement != info.name
    if info.lifecycle == "retired":
        assert info.is_shut_down()
    for url in (info.source_url, info.deprecation_source):
        assert url is None or url.startswith("https://")


def test_shutdown_follows_the_date() -> None:
    info = OPENAI_MODELS["gpt-5"]
    assert info.shutdown_date == "2026-12-11" and info.lifecycle == "deprecated"
    day = dt.date.fromisoformat(info.shutdown_date)
    assert not info.is_shut_down(day - dt.timedelta(days=1))
    assert info.is_shut_down(day)
    assert lifecycle(info, day - dt.timedelta(days=1)) == "deprecated"
    assert lifecycle(info, day) == "shut-down"
    assert lifecycle(OPENAI_MODELS["gpt-5.6-sol"], day) == "-"
    assert ANTHROPIC_MODELS["claude-opus-4-1"].is_shut_down(dt.date(2000, 1, 1))  # retired


def test_shut_down_models_stay_listed_and_callable() -> None:
    refresh = dt.date(2026, 12, 2)  # the day of the refresh that recorded these dates
    gone = [info.name for info in OPENAI_MODELS.values() if info.is_shut_down(refresh)]
    assert "gpt-3.5-turbo" in gone
    client = tl.openai().model("gpt-3.5-turbo").api_key("k").build()
    assert client.model_info.shutdown_date == "2026-10-23"


@pytest.mark.parametrize(
    ("model", "effort"),
    [
        ("gpt-5.4", "xhigh"),
        ("gpt-5.2", "none"),
        ("gpt-5.6-sol", "max"),
        ("gpt-5.6-terra", "low"),
        ("gpt-6-luna", "none"),
        ("gpt-6.1-sol", "max"),
    ],
)
def test_a_new_models_effort_levels_are_sent(model: str, effort: str) -> None:
    fake = FakeProvider(["ok"])
    builder: Any = tl.openai().model(model)
    builder.reasoning_effort(effort).api_key("k").transport(fake).build().complete("x")
    assert fake.requests[0].json["reasoning_effort"] == effort
    assert fake.requests[0].json["model"] == model


def test_an_effort_a_new_model_lacks_is_refused_at_run_time() -> None:
    builder: Any = tl.openai().model("gpt-5.4")
    with pytest.raises(
        ConfigurationError, match=r"gpt-5\.4 does not accept reasoning_effort='max'"
    ):
        builder.reasoning_effort("max")
    sol: Any = tl.openai().model("gpt-6.1-sol")
    with pytest.raises(
        ConfigurationError, match=r"gpt-6\.1-sol does not accept reasoning_effort='none'"
    ):
        sol.reasoning_effort("none")


# -- what the refreshed Claude records gate ---------------------------------------------------


def test_an_always_adaptive_claude_takes_no_thinking_budget() -> None:
    builder: Any = tl.anthropic().model("claude-opus-5-5")
    with pytest.raises(ConfigurationError, match="always thinks adaptively"):
        builder.thinking(budget_tokens=2048)
    # build() re-checks what a cast or explicit type arguments could smuggle past .thinking().
    info = ANTHROPIC_MODELS["claude-fable-5-1"]
    settings = BuilderSettings(model=info.name, model_info=info, thinking_budget=2048)
    with pytest.raises(ConfigurationError, match="claude-fable-5-1 always thinks adaptively"):
        check_settings(settings, info)
    # Budgeted extended thinking stays available where the docs say the model has it.
    tl.anthropic().model("claude-opus-4-5").thinking(budget_tokens=2048)


def test_sampling_options_are_refused_where_the_model_rejects_them() -> None:
    for name in ("claude-sonnet-5-5", "claude-opus-5", "claude-haiku-5-5"):
        builder: Any = tl.anthropic().model(name)
        with pytest.raises(ConfigurationError, match=f"{name} does not accept sampling"):
            builder.temperature(0.2)
        with pytest.raises(ConfigurationError, match="does not accept sampling"):
            builder.top_k(5)
    # Claude 4.6 takes adaptive thinking but still accepts a temperature.
    assert ANTHROPIC_MODELS["claude-sonnet-4-6"].temperature
    tl.anthropic().model("claude-sonnet-4-6").temperature(0.2).api_key("k").build()


def test_an_always_adaptive_claude_request_carries_no_thinking_field() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.anthropic().model("claude-opus-5-5").api_key("k").transport(fake).build()
    assert llm.complete("x") == "ok"
    body = fake.requests[0].json
    assert body["model"] == "claude-opus-5-5" and "thinking" not in body
    assert "temperature" not in body


def test_a_gemini_model_that_ignores_sampling_refuses_it() -> None:
    builder: Any = tl.gemini().model("gemini-3.5-flash-lite").api_key("k")
    with pytest.raises(ConfigurationError, match=r"gemini-3\.5-flash-lite does not take sampl"):
        builder.temperature(0.2)  # at once, not only at build()
    info = GEMINI_MODELS["gemini-3.5-flash-lite"]
    # build() re-checks what a cast could smuggle past .temperature().
    settings = BuilderSettings(model=info.name, model_info=info, temperature=0.2)
    with pytest.raises(ConfigurationError, match=r"gemini-3\.5-flash-lite does not accept"):
        check_settings(settings, info)
    assert info.reasoning_efforts == ("minimal", "low", "medium", "high")
    assert info.input_price is None and info.cost(1000, 1000) is None  # unknown, not guessed
