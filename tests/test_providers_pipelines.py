"""The reliability wrappers and the pipelines with the providers of issue 18: one client per
wire (Ollama, Cohere, Responses, Bedrock with a Bedrock API key and with SigV4, Azure OpenAI,
a host preset) through ``tl.map``/``tl.amap``, ``tl.Fallback`` and ``tl.Router`` (their labels
name the provider and model), ``tl.batch``'s refusal for wires without a batch API, and the
model information of preset and Ollama clients (family profiles, no prices: ``cost`` is
``None``, not a borrowed price). Offline on the fake provider."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm._catalog import lookup
from typedllm.testing import FakeProvider, FakeReply

KEY = "sk-pipeline-test"


class Invoice(BaseModel):
    vendor: str
    total: float


def _ollama(fake: FakeProvider) -> tl.Client:
    return tl.ollama().model("llama3.2").transport(fake).build()


def _cohere(fake: FakeProvider) -> tl.Client:
    return tl.cohere().model("command-a-03-2025").api_key(KEY).transport(fake).build()


def _responses(fake: FakeProvider) -> tl.Client:
    builder = tl.openai().model("gpt-4o-mini").api("responses").api_key(KEY)
    return builder.transport(fake).build()


def _bedrock_key(fake: FakeProvider) -> tl.Client:
    builder = tl.anthropic().bedrock("us-east-1").model("claude-haiku-4-5").api_key(KEY)
    return builder.transport(fake).build()


def _bedrock_sigv4(fake: FakeProvider) -> tl.Client:
    builder = tl.anthropic().aws_credentials("AKIDPIPELINE", "secret").bedrock("us-west-2")
    return builder.model("claude-haiku-4-5").transport(fake).build()


def _azure(fake: FakeProvider) -> tl.Client:
    builder = tl.azure_openai().model("gpt-4o-mini").endpoint("https://res.openai.azure.com")
    return builder.api_key(KEY).transport(fake).build()


def _groq(fake: FakeProvider) -> tl.Client:
    builder = tl.groq().model("llama-3.3-70b-versatile").api_key(KEY)
    return builder.transport(fake).build()


CLIENTS: dict[str, tuple[Callable[[FakeProvider], tl.Client], str]] = {
    "ollama": (_ollama, "ollama:llama3.2"),
    "cohere": (_cohere, "cohere:command-a-03-2025"),
    "responses": (_responses, "openai:gpt-4o-mini"),
    # Claude on Bedrock is the Anthropic provider; the Bedrock model id tells the host apart.
    "bedrock-key": (_bedrock_key, "anthropic:anthropic.claude-haiku-4-5-20251001-v1:0"),
    "bedrock-sigv4": (_bedrock_sigv4, "anthropic:anthropic.claude-haiku-4-5-20251001-v1:0"),
    "azure": (_azure, "azure_openai:gpt-4o-mini"),
    "groq": (_groq, "groq:llama-3.3-70b-versatile"),
}
TEXTS = [f"Invoice {i} from ACME, total {i}.50" for i in range(5)]


@pytest.mark.parametrize("name", CLIENTS)
def test_map_and_amap(name: str) -> None:
    make, _label = CLIENTS[name]
    fake = FakeProvider()
    results = tl.map(make(fake), TEXTS, schema=Invoice, concurrency=3)
    assert results.summary.done == len(TEXTS) and results.summary.failed == 0
    assert all(isinstance(r.output, Invoice) for r in results)
    assert fake.calls == len(TEXTS)
    again = asyncio.run(tl.amap(make(fake), TEXTS, schema=Invoice, concurrency=2))
    assert [r.index for r in again] == list(range(len(TEXTS)))
    assert all(isinstance(r.output, Invoice) for r in again)


@pytest.mark.parametrize("name", CLIENTS)
def test_fallback_moves_to_each_wire_and_names_it(name: str) -> None:
    make, label = CLIENTS[name]
    down = FakeProvider(responder=lambda request: FakeReply.error(503, "overloaded"))
    primary = tl.ollama().model("qwen3:8b").max_retries(0).transport(down).build()
    backup = make(FakeProvider())
    chain = tl.Fallback([primary, backup])
    assert chain.label.startswith("fallback(ollama:qwen3:8b, ")
    completion = chain.completion("Invoice from ACME, total 1.50", schema=Invoice)
    assert isinstance(completion.output, Invoice)
    assert completion.answered_by == label
    assert down.calls == 1


def test_router_labels_name_provider_and_model() -> None:
    local = _ollama(FakeProvider())
    hosted = _groq(FakeProvider())
    router = tl.Router(
        [tl.Rule.keywords("private", to=local)], default=[hosted, _cohere(FakeProvider())]
    )
    private = router.completion("private: Invoice from ACME, total 2.0", schema=Invoice)
    assert private.answered_by == "ollama:llama3.2"
    public = router.completion("Invoice from ACME, total 2.0", schema=Invoice)
    assert public.answered_by == "groq:llama-3.3-70b-versatile"
    results = tl.map(router, ["private memo 1", "memo 2"], keep_completions=True)
    assert [r.completion.answered_by for r in results if r.completion] == [
        "ollama:llama3.2",
        "groq:llama-3.3-70b-versatile",
    ]


@pytest.mark.parametrize(
    ("make", "wire", "hint"),
    [
        (_ollama, "ollama-chat", ""),
        (_cohere, "cohere-chat", ""),
        (_responses, "openai-responses", ".api('chat')"),
        (_bedrock_key, "anthropic-bedrock", "S3 job"),
        (_azure, "azure-openai-chat", ""),
    ],
)
def test_batch_refuses_wires_without_a_batch_api(
    make: Callable[[FakeProvider], tl.Client], wire: str, hint: str
) -> None:
    fake = FakeProvider()
    with pytest.raises(tl.ConfigurationError, match="no batch API") as info:
        tl.batch(make(fake), TEXTS, schema=Invoice)
    assert f"the {wire} wire" in str(info.value) and "tl.map" in str(info.value)
    assert hint in str(info.value)
    assert fake.calls == 0


def test_batch_refuses_host_presets_but_not_compatible_servers() -> None:
    fake = FakeProvider()
    for llm in (_groq(fake), tl.vllm().model("m").transport(fake).build()):
        with pytest.raises(tl.ConfigurationError, match="OpenAI's Batch API") as info:
            tl.batch(llm, TEXTS)
        assert "tl.map" in str(info.value) and "tl.openai_compatible" in str(info.value)
    assert fake.calls == 0
    # A server the user names as OpenAI-compatible is taken at its word (here: the fake's
    # OpenAI Batch API).
    server = tl.openai_compatible("http://127.0.0.1:9/v1").model("m").api_key(KEY)
    job = tl.batch(server.transport(fake).build(), TEXTS[:2])
    assert job.id and fake.calls > 0


def test_batch_refuses_claude_on_vertex() -> None:
    fake = FakeProvider()
    llm = tl.anthropic().vertex("p", token_provider=lambda: "t").model("claude-haiku-4-5")
    with pytest.raises(tl.ConfigurationError, match="Vertex AI batch prediction"):
        tl.batch(llm.transport(fake).build(), TEXTS)
    assert fake.calls == 0


# -- model information and prices of preset, Ollama and compatible clients --------------------


@pytest.mark.parametrize(
    ("client", "family", "temperature"),
    [
        (lambda f: tl.deepseek().model("deepseek-reasoner").api_key(KEY), "reasoning", False),
        (lambda f: tl.groq().model("llama-3.3-70b-versatile").api_key(KEY), "chat", True),
        (lambda f: tl.openrouter().model("openai/o3-mini").api_key(KEY), "reasoning", False),
        (lambda f: tl.vllm().model("Qwen/Qwen3-8B"), "reasoning", True),
        (lambda f: tl.together().model("acme/unknown-model").api_key(KEY), "compatible", True),
    ],
)
def test_preset_clients_take_the_family_profile_and_no_price(
    client: Callable[[FakeProvider], Any], family: str, temperature: bool
) -> None:
    fake = FakeProvider()
    llm: tl.Client = client(fake).transport(fake).build()
    info = llm.model_info
    assert info.family == family and info.temperature is temperature
    assert info.provider == llm.config.provider
    assert info.input_price is None and info.output_price is None
    # A listed name of another provider lends no catalog record to a preset host.
    assert lookup(llm.config.provider, llm.model) is None
    completion = llm.completion("Invoice from ACME, total 1.0", schema=Invoice)
    assert completion.usage.input_tokens > 0
    assert completion.cost is None  # unknown prices, not a borrowed price
    results = tl.map(llm, ["a", "b"])
    assert [r.cost for r in results] == [None, None]


def test_a_catalog_name_on_a_preset_host_is_not_priced_as_the_catalog() -> None:
    # Gemini's OpenAI-compatible endpoint and OpenRouter serve catalog models by name, at
    # their own prices: the catalog's price would be wrong there.
    fake = FakeProvider()
    for builder in (
        tl.gemini_openai().model("gemini-2.5-flash").api_key(KEY),
        tl.openrouter().model("openai/gpt-4o-mini").api_key(KEY),
        tl.openai_compatible("http://127.0.0.1:9/v1").model("gpt-4o-mini"),
    ):
        llm = builder.transport(fake).build()
        assert llm.completion("hi").cost is None
    priced = tl.openai().model("gpt-4o-mini").api_key(KEY).transport(fake).build()
    assert priced.completion("hi").cost is not None  # the catalog's own provider is priced


def test_ollama_clients_have_no_price() -> None:
    llm = _ollama(FakeProvider())
    assert llm.model_info.family == "compatible" and llm.model_info.provider == "ollama"
    assert llm.completion("hi").cost is None
