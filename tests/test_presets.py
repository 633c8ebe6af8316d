"""The OpenAI-compatible host presets: request shapes per host, gates, retry rule, docs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import pydantic
import pytest

import typedllm as tl
from typedllm.hosts import PRESETS, HostPreset
from typedllm.testing import FakeProvider, FakeReply

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-preset-test-123456"


class Person(pydantic.BaseModel):
    name: str
    age: int


class Node(pydantic.BaseModel):
    """Recursive: pydantic's schema of it is a root ``$ref``."""

    label: str
    children: list[Node] = []


def entry(p: HostPreset) -> Any:
    return getattr(tl, p.entry)


def client(p: HostPreset, model: str = "some-model", **env: str) -> tl.Client:
    builder: Any = entry(p)().model(model).api_key(KEY)
    return builder.build()  # type: ignore[no-any-return]


def body_of(request: Any) -> dict[str, Any]:
    return orjson.loads(request.body)  # type: ignore[no-any-return]


ALL = sorted(PRESETS.values(), key=lambda p: p.name)
IDS = [p.name for p in ALL]


def test_every_brief_host_has_a_preset_and_an_entry() -> None:
    expected = {
        "groq", "mistral", "deepseek", "openrouter", "together", "fireworks", "xai",
        "cerebras", "perplexity", "huggingface", "gemini_openai", "vllm", "sglang",
        "llamacpp", "llama_cpp_python", "lmstudio", "litellm", "dashscope", "zhipu", "zai",
        "moonshot", "hunyuan", "ark", "longcat",
    }  # fmt: skip
    assert set(PRESETS) == expected
    for p in ALL:
        assert p.entry in tl.__all__, p.entry
        assert callable(entry(p))
        assert p.doc_url.startswith("https://"), p.name
        assert p.route_why and p.title


@pytest.mark.parametrize("p", ALL, ids=IDS)
def test_request_shape(p: HostPreset) -> None:
    llm = client(p)
    request = llm.request_for("hello", schema=Person)
    base = urlsplit(p.base_url)
    url = urlsplit(request.url)
    assert (url.scheme, url.netloc) == (base.scheme, base.netloc)
    assert url.path == base.path.rstrip("/") + "/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = body_of(request)
    assert body["model"] == "some-model"
    route = p.route_for("some-model")
    fmt = body.get("response_format")
    if route == "prompt":
        assert fmt is None
    elif route == "json_object":
        assert fmt == {"type": "json_object"}
    elif route == "json_object_schema":
        assert fmt["type"] == "json_object"
        assert fmt["schema"]["properties"]["name"] == {"title": "Name", "type": "string"}
    else:
        assert fmt["type"] == "json_schema"
        assert fmt["json_schema"]["strict"] is (route == "strict")
        assert set(fmt["json_schema"]["schema"]["properties"]) == {"name", "age"}
    if route in ("prompt", "json_object", "json_object_schema"):
        # The schema reaches the model in the instructions (JSON mode needs the word "JSON").
        assert "JSON Schema" in body["messages"][0]["content"]
    streamed = body_of(llm.request_for("hello", stream=True))
    assert streamed["stream"] is True
    assert ("stream_options" in streamed) is p.stream_usage


@pytest.mark.parametrize("p", ALL, ids=IDS)
def test_key_variable_and_local_defaults(p: HostPreset, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in {v for q in ALL for v in q.key_env}:
        monkeypatch.delenv(name, raising=False)
    builder: Any = entry(p)().model("m")
    if p.key_required:
        with pytest.raises(tl.ConfigurationError, match=p.key_env[0]):
            builder.build()
        monkeypatch.setenv(p.key_env[-1], "env-key-abcdef")
        request = builder.build().request_for("x")
        assert request.headers["authorization"] == "Bearer env-key-abcdef"
    else:
        assert p.local and urlsplit(p.base_url).hostname == "127.0.0.1"
        assert "authorization" not in builder.build().request_for("x").headers
        if p.key_env:
            monkeypatch.setenv(p.key_env[0], "local-key-abcdef")
            assert builder.build().request_for("x").headers["authorization"].endswith("abcdef")


def test_local_entries_take_a_base_url_and_a_key_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_VLLM_KEY", "vk-123456")
    llm = tl.vllm("http://10.0.0.5:9000/v1", api_key_env="MY_VLLM_KEY").model("m").build()
    request = llm.request_for("x")
    assert request.url == "http://10.0.0.5:9000/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer vk-123456"
    with pytest.raises(tl.ConfigurationError, match="base_url"):
        tl.llamacpp("localhost:8080")
    with pytest.raises(tl.ConfigurationError, match="api_key_env"):
        tl.sglang(api_key_env="")


def test_base_url_variable_overrides_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_BASE_URL", "https://proxy.example/groq/v1/")
    request = tl.groq().model("m").api_key(KEY).build().request_for("x")
    assert request.url == "https://proxy.example/groq/v1/chat/completions"
    explicit = tl.groq().base_url("https://other.example/v1").model("m").api_key(KEY).build()
    assert explicit.request_for("x").url == "https://other.example/v1/chat/completions"


def test_regions() -> None:
    intl = tl.dashscope("intl").model("qwen-plus").api_key(KEY).build().request_for("x")
    assert intl.url.startswith("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/")
    moon = tl.moonshot("global").model("kimi-k2").api_key(KEY).build().request_for("x")
    assert moon.url == "https://api.moonshot.ai/v1/chat/completions"
    with pytest.raises(tl.ConfigurationError, match="region"):
        tl.dashscope("eu")  # type: ignore[arg-type]


# -- per-host structured output -------------------------------------------------------------


def test_groq_is_strict_only_for_the_models_it_enforces() -> None:
    strict = tl.groq().model("openai/gpt-oss-120b").api_key(KEY).build()
    best_effort = tl.groq().model("llama-3.3-70b-versatile").api_key(KEY).build()
    fmt = body_of(strict.request_for("x", schema=Person))["response_format"]
    assert fmt["json_schema"]["strict"] is True
    fmt = body_of(best_effort.request_for("x", schema=Person))["response_format"]
    assert fmt["json_schema"]["strict"] is False


def test_llama_cpp_python_inlines_a_root_ref() -> None:
    assert "$ref" in Node.model_json_schema()  # the case the converter cannot resolve
    llm = tl.llama_cpp_python().model("m").build()
    fmt = body_of(llm.request_for("x", schema=Node))["response_format"]
    assert fmt["type"] == "json_object"
    assert "$ref" not in fmt["schema"]
    assert fmt["schema"]["properties"]["label"]["type"] == "string"
    assert fmt["schema"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert "Node" in fmt["schema"]["$defs"]


def test_structured_output_override_and_json_object_schema_elsewhere() -> None:
    llm = tl.vllm().model("m").structured_output("json_object_schema").build()
    fmt = body_of(llm.request_for("x", schema=Person))["response_format"]
    assert fmt["type"] == "json_object" and "schema" in fmt
    llm = tl.llama_cpp_python().model("m").structured_output("prompt").build()
    assert "response_format" not in body_of(llm.request_for("x", schema=Person))
    with pytest.raises(tl.ConfigurationError, match="structured_output"):
        tl.vllm().structured_output("yaml")  # type: ignore[arg-type]


def test_structured_answer_round_trip_on_the_fake_provider() -> None:
    fake = FakeProvider([FakeReply.of_json({"name": "Ada", "age": 36})])
    llm = tl.llama_cpp_python().model("qwen3").transport(fake).build()
    assert llm.complete("x", schema=Person) == Person(name="Ada", age=36)
    assert fake.requests[0].json["response_format"]["type"] == "json_object"


# -- gates --------------------------------------------------------------------------------


def test_reasoner_rejects_sampling_at_run_time() -> None:
    untyped: Any = tl.deepseek().model("deepseek-reasoner")
    for method, value in (("temperature", 0.5), ("top_p", 0.9), ("top_k", 5)):
        with pytest.raises(tl.ConfigurationError, match="deepseek-reasoner"):
            getattr(untyped, method)(value)
    llm = tl.deepseek().model("deepseek-reasoner").api_key(KEY).build()
    with pytest.raises(tl.ConfigurationError, match="sampling"):
        llm.request_for("x", options=tl.CallOptions(temperature=0.2))
    chat = tl.deepseek().model("deepseek-chat").temperature(0.3).api_key(KEY).build()
    assert body_of(chat.request_for("x"))["temperature"] == 0.3


def test_the_family_decides_on_any_host() -> None:
    with pytest.raises(tl.ConfigurationError, match="o1"):
        tl.openrouter().model("openai/o1").temperature(0.1)
    with pytest.raises(tl.ConfigurationError, match="deepseek-reasoner"):
        tl.openai_compatible("http://127.0.0.1:9/v1").model("deepseek-reasoner").temperature(0)
    # Open-weight reasoners sample normally.
    assert tl.groq().model("openai/gpt-oss-20b").temperature(0.5) is not None
    assert tl.together().model("deepseek-ai/DeepSeek-R1").temperature(0.6) is not None


def test_rejected_sampling_fields_are_gated() -> None:
    with pytest.raises(tl.ConfigurationError, match="top_k"):
        tl.mistral().model("mistral-small-latest").top_k(5)
    with pytest.raises(tl.ConfigurationError, match="seed"):
        tl.mistral().model("mistral-small-latest").seed(1).api_key(KEY).build()
    llm = tl.groq().model("llama-3.3-70b-versatile").api_key(KEY).build()
    with pytest.raises(tl.ConfigurationError, match="top_k"):
        llm.request_for("x", options=tl.CallOptions(top_k=3))
    accepted = tl.vllm().model("m").top_k(7).build()
    assert body_of(accepted.request_for("x"))["top_k"] == 7


def test_thinking_switches() -> None:
    ds = tl.dashscope().model("qwen-plus").thinking(True).api_key(KEY).build()
    assert body_of(ds.request_for("x"))["enable_thinking"] is True
    glm = tl.zhipu().model("glm-4.6").thinking(False).api_key(KEY).build()
    assert body_of(glm.request_for("x"))["thinking"] == {"type": "disabled"}
    twice = tl.zai().thinking(False).thinking(True).model("glm-4.6").api_key(KEY).build()
    assert body_of(twice.request_for("x"))["thinking"] == {"type": "enabled"}
    with pytest.raises(tl.ConfigurationError, match="no thinking switch"):
        tl.groq().thinking(True)


# -- OpenRouter ---------------------------------------------------------------------------


def test_openrouter_attribution_and_provider_routing() -> None:
    llm = (
        tl.openrouter(app_url="https://app.example", app_name="Example App")
        .provider_routing(order=["groq", "cerebras"], allow_fallbacks=False, sort="price")
        .model("meta-llama/llama-3.3-70b-instruct")
        .temperature(0)
        .api_key(KEY)
        .build()
    )
    request = llm.request_for("x")
    assert request.headers["http-referer"] == "https://app.example"
    assert request.headers["x-title"] == "Example App"
    assert body_of(request)["provider"] == {
        "order": ["groq", "cerebras"],
        "allow_fallbacks": False,
        "sort": "price",
    }
    with pytest.raises(tl.ConfigurationError, match="at least one"):
        tl.openrouter().provider_routing()
    with pytest.raises(tl.ConfigurationError, match="order"):
        tl.openrouter().provider_routing(order="groq")
    with pytest.raises(tl.ConfigurationError, match="max_price"):
        tl.openrouter().provider_routing(max_price={"prompt": -1})
    with pytest.raises(tl.ConfigurationError, match="app_url"):
        tl.openrouter(app_url="app.example")


# -- retries ------------------------------------------------------------------------------


def _counting_transport(status: int, body: dict[str, Any]) -> tuple[httpx.MockTransport, list[int]]:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handler), calls


LLAMA_CPP_PYTHON_500 = {
    "error": {
        "message": "1 validation error: response_format.type input should be 'text' or "
        "'json_object'",
        "type": "internal_server_error",
        "param": None,
        "code": None,
    }
}


def test_llama_cpp_python_500_is_not_retried() -> None:
    transport, calls = _counting_transport(500, LLAMA_CPP_PYTHON_500)
    llm = tl.llama_cpp_python().model("m").transport(transport).build()
    with pytest.raises(tl.InternalServerError, match="validation error"):
        llm.complete("x")
    assert len(calls) == 1
    assert 500 not in llm.config.retry.statuses and 503 in llm.config.retry.statuses


def test_other_hosts_still_retry_a_500(monkeypatch: pytest.MonkeyPatch) -> None:
    transport, calls = _counting_transport(500, LLAMA_CPP_PYTHON_500)
    llm = (
        tl.vllm()
        .model("m")
        .transport(transport)
        .retry_policy(tl.RetryPolicy(max_attempts=2, backoff_base=0.0))
        .build()
    )
    with pytest.raises(tl.InternalServerError):
        llm.complete("x")
    assert len(calls) == 2


def test_a_user_policy_is_taken_as_given() -> None:
    policy = tl.RetryPolicy(max_attempts=2, backoff_base=0.0)
    llm = tl.llama_cpp_python().model("m").retry_policy(policy).build()
    assert 500 in llm.config.retry.statuses
    kept = tl.llama_cpp_python().model("m").max_retries(4).build()
    assert kept.config.retry.max_attempts == 5 and 500 not in kept.config.retry.statuses


# -- misc -----------------------------------------------------------------------------------


def test_builders_are_immutable_and_keys_stay_secret() -> None:
    base = tl.groq().api_key(KEY)
    a = base.model("llama-3.3-70b-versatile")
    b = base.model("openai/gpt-oss-120b")
    assert a.build().model == "llama-3.3-70b-versatile"
    assert b.build().model == "openai/gpt-oss-120b"
    assert KEY not in repr(a) and KEY not in repr(a.build())
    assert "groq" in repr(a)
    with pytest.raises(tl.ConfigurationError, match=r"before \.build"):
        untyped: Any = tl.groq()
        untyped.build()
    with pytest.raises(tl.ConfigurationError, match="non-empty"):
        tl.groq().model("")


def test_provider_name_and_model_info() -> None:
    llm = tl.deepseek().model("deepseek-reasoner").api_key(KEY).build()
    assert llm.config.provider == "deepseek"
    assert llm.model_info.reasoning and not llm.model_info.temperature
    unknown = tl.vllm().model("my-finetune").build()
    assert unknown.model_info.family == "compatible"


def _load_generator() -> Any:
    path = ROOT / "scripts" / "generate_provider_docs.py"
    spec = importlib.util.spec_from_file_location("generate_provider_docs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_provider_docs"] = module
    spec.loader.exec_module(module)
    return module


def test_provider_docs_are_generated_and_current() -> None:
    generator = _load_generator()
    expected = generator.expected()
    current = (ROOT / "docs" / "providers.md").read_text(encoding="utf-8")
    assert current == expected, "regenerate with `python scripts/generate_provider_docs.py`"
    for p in ALL:
        assert f"`tl.{p.entry}()`" in current and p.doc_url in current
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_provider_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_generator_takes_extra_rows() -> None:
    generator = _load_generator()
    row = generator.ProviderRow(
        entry="tl.openai()",
        title="OpenAI",
        base_url="https://api.openai.com/v1",
        key_env=("OPENAI_API_KEY",),
        route="strict",
        why="Structured Outputs enforce strict json_schema",
        stream_usage=True,
        doc_url="https://platform.openai.com/docs/guides/structured-outputs",
    )
    text = generator.render([row, *generator.preset_rows()])
    lines = [line for line in text.splitlines() if line.startswith("| `tl.")]
    assert lines[0].startswith("| `tl.openai()` | [OpenAI]")
    assert len(lines) == len(PRESETS) + 1


async def test_llama_cpp_python_500_is_not_retried_async() -> None:
    transport, calls = _counting_transport(500, LLAMA_CPP_PYTHON_500)
    llm = tl.llama_cpp_python().model("m").transport(transport).build()
    with pytest.raises(tl.InternalServerError):
        await llm.acomplete("x")
    assert len(calls) == 1
    await llm.aclose()
