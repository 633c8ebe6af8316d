"""``typedllm extract --model <provider>:<model>`` for every provider family: the native wires
(Ollama, Azure OpenAI, Bedrock, Anthropic and Gemini on Vertex AI, Cohere, the Responses API),
the OpenAI-compatible host presets by their entry names, and ``typedllm models --providers``.

Offline: each run goes to a loopback :func:`typedllm.testing.serve` server (``--base-url``)
holding a key-checking :class:`~typedllm.testing.FakeProvider`, so a request with the wrong
credentials, path or body shape fails the run."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from typedllm._builders._native import NATIVE_PROVIDERS
from typedllm.cli import main
from typedllm.cli._spec import PROVIDERS, build_client, parse_model
from typedllm.hosts import PRESETS
from typedllm.testing import FakeProvider, FakeServer, serve

KEY = "sk-cli-provider-test"
SCHEMA_MODULE = "typedllm_cli_providers_models"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with serve(FakeProvider(api_key=KEY)) as running:
        yield running


@pytest.fixture
def fake(server: FakeServer) -> FakeProvider:
    provider: FakeProvider = server.provider
    provider.requests.clear()
    return provider


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / f"{SCHEMA_MODULE}.py").write_text(
        "from pydantic import BaseModel\n\n\nclass Invoice(BaseModel):\n"
        "    vendor: str\n    total: float\n"
    )
    docs = [{"text": f"Invoice {i} from ACME, total {i}.50"} for i in range(2)]
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("CLI_TEST_KEY", KEY)
    for name in (
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_API_KEY",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_BEARER_TOKEN_BEDROCK",
        "GOOGLE_CLOUD_PROJECT",
        "GOOGLE_CLOUD_LOCATION",
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "CLOUD_ML_REGION",
        "OLLAMA_HOST",
        "GROQ_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    yield tmp_path
    sys.modules.pop(SCHEMA_MODULE, None)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def extract(model: str, *extra: str) -> list[dict[str, object]]:
    code, out, err = run(
        "extract", "--model", model, "--input", "docs.jsonl",
        "--schema", f"{SCHEMA_MODULE}:Invoice", "--quiet", "--concurrency", "1", *extra,
    )  # fmt: skip
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 2
    for record in records:
        assert isinstance(record["vendor"], str) and isinstance(record["total"], float)
    return records


def root(server: FakeServer) -> str:
    """The server without ``/v1`` (hosts whose paths carry their own version)."""
    return server.base_url.removesuffix("/v1")


# -- native wires ------------------------------------------------------------------------------


def test_ollama(workdir: Path, server: FakeServer, fake: FakeProvider) -> None:
    extract("ollama:llama3.2", "--base-url", root(server), "--api-key-env", "CLI_TEST_KEY")
    assert [r.path for r in fake.requests] == ["/api/chat"] * 2
    assert fake.requests[0].json["model"] == "llama3.2"
    assert "properties" in fake.requests[0].json["format"]  # the schema as Ollama's format


def test_azure_deployment_defaults_to_the_model(
    workdir: Path, server: FakeServer, fake: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", root(server))
    extract("azure:gpt-4o-mini")
    assert fake.requests[0].path == "/openai/deployments/gpt-4o-mini/chat/completions"
    assert fake.requests[0].headers["api-key"] != KEY  # recorded redacted, sent as api-key
    extract("azure:gpt-4o-mini", "--deployment", "mini-prod", "--base-url", root(server))
    assert fake.requests[-1].path == "/openai/deployments/mini-prod/chat/completions"


def test_bedrock_with_a_bedrock_api_key(
    workdir: Path, server: FakeServer, fake: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", KEY)
    extract("bedrock:anthropic.claude-haiku-4-5-20251001-v1:0", "--base-url", root(server))
    assert fake.requests[0].path.startswith("/model/anthropic.claude-haiku-4-5")
    assert fake.requests[0].path.endswith("/invoke")
    assert fake.requests[0].json["anthropic_version"] == "bedrock-2023-05-31"


def test_claude_and_gemini_on_vertex(
    workdir: Path, server: FakeServer, fake: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "cli-proj")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "us-east5")
    extract(
        "anthropic-vertex:claude-haiku-4-5", "--base-url", root(server),
        "--api-key-env", "CLI_TEST_KEY",
    )  # fmt: skip
    path = fake.requests[0].path
    assert path.startswith("/v1/projects/cli-proj/locations/us-east5/publishers/anthropic/")
    assert path.endswith(":rawPredict")
    code, _, err = run(
        "extract", "--model", "gemini-vertex:gemini-2.5-flash", "--input", "docs.jsonl",
        "--base-url", root(server),
    )  # fmt: skip
    assert code == 2 and "gemini-vertex takes no --base-url" in err


def test_gemini_on_vertex_builds_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "cli-proj")
    monkeypatch.setenv("CLI_TEST_KEY", KEY)
    client = build_client(parse_model("gemini-vertex:gemini-2.5-flash"), api_key_env="CLI_TEST_KEY")
    assert client.model == "gemini-2.5-flash"
    assert "/projects/cli-proj/locations/us-central1/publishers/google" in str(client.config)


def test_cohere_and_the_responses_api(
    workdir: Path, server: FakeServer, fake: FakeProvider
) -> None:
    extract("cohere:command-a-03-2025", "--base-url", root(server), "--api-key-env", "CLI_TEST_KEY")
    assert fake.requests[0].path == "/v2/chat"
    assert fake.requests[0].json["response_format"]["type"] == "json_object"
    fake.requests.clear()
    extract(
        "openai-responses:gpt-4o-mini", "--base-url", server.base_url,
        "--api-key-env", "CLI_TEST_KEY",
    )  # fmt: skip
    assert fake.requests[0].path == "/v1/responses"
    assert fake.requests[0].json["text"]["format"]["type"] == "json_schema"


def test_responses_only_models_route_by_themselves(
    workdir: Path, server: FakeServer, fake: FakeProvider
) -> None:
    from typedllm._catalog import OPENAI_MODELS

    only = sorted(n for n, m in OPENAI_MODELS.items() if m.apis == ("responses",))
    assert only, "the catalog has Responses-only models (the -pro and codex models)"
    extract(f"openai:{only[0]}", "--base-url", server.base_url, "--api-key-env", "CLI_TEST_KEY")
    assert {r.path for r in fake.requests} == {"/v1/responses"}


# -- presets -------------------------------------------------------------------------------------


def test_a_hosted_preset_by_its_entry_name(
    workdir: Path, server: FakeServer, fake: FakeProvider
) -> None:
    extract(
        "groq:llama-3.3-70b-versatile", "--base-url", server.base_url,
        "--api-key-env", "CLI_TEST_KEY",
    )  # fmt: skip
    body = fake.requests[0].json
    assert fake.requests[0].path == "/v1/chat/completions"
    assert body["model"] == "llama-3.3-70b-versatile"
    assert body["response_format"]["type"] == "json_schema"  # Groq's route: non-strict
    assert body["response_format"]["json_schema"].get("strict") is not True


def test_local_presets_take_their_server_and_optional_key(
    workdir: Path, server: FakeServer, fake: FakeProvider
) -> None:
    extract(
        "vllm:Qwen/Qwen2.5-7B-Instruct", "--base-url", server.base_url,
        "--api-key-env", "CLI_TEST_KEY",
    )  # fmt: skip
    assert fake.requests[0].json["model"] == "Qwen/Qwen2.5-7B-Instruct"
    fake.requests.clear()
    # The hyphenated spelling of an entry name works too; its schema route is its own.
    extract(
        "llama-cpp-python:any.gguf", "--base-url", server.base_url,
        "--api-key-env", "CLI_TEST_KEY",
    )  # fmt: skip
    assert fake.requests[0].json["response_format"]["type"] == "json_object"
    assert "schema" in fake.requests[0].json["response_format"]


@pytest.mark.parametrize(
    ("model", "extra", "message"),
    [
        ("groq:llama-3.3-70b-versatile", ["--like", "gpt-4o-mini"], "--like goes with catalog"),
        ("ollama:llama3.2", ["--like", "gpt-4o-mini"], "--like goes with catalog"),
        ("openai:gpt-4o-mini", ["--deployment", "x"], "--deployment goes with azure"),
        ("groq:llama-3.3-70b-versatile", ["--deployment", "x"], "--deployment goes with azure"),
        ("azure:gpt-4o-mini", [], "AZURE_OPENAI_ENDPOINT"),
        ("bedrock:claude-haiku-4-5", [], "AWS region"),
        ("anthropic-vertex:claude-haiku-4-5", [], "Google Cloud project"),
        ("groq:llama-3.3-70b-versatile", [], "GROQ_API_KEY"),
        ("nosuch:model", [], "typedllm models --providers"),
    ],
)
def test_provider_misuse_exits_2_before_any_request(
    workdir: Path,
    fake: FakeProvider,
    monkeypatch: pytest.MonkeyPatch,
    model: str,
    extra: list[str],
    message: str,
) -> None:
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    code, out, err = run("extract", "--model", model, "--input", "docs.jsonl", *extra)
    assert code == 2, err
    assert message in err
    assert out == "" and fake.requests == []


def test_fake_keeps_working_for_catalog_and_other_names(workdir: Path) -> None:
    extract("fake:claude-haiku-4-5")
    extract("fake:command-a-03-2025")
    extract("fake:any-local-model")


# -- the provider list ---------------------------------------------------------------------------


def test_every_provider_is_a_model_spec_and_listed() -> None:
    expected = {p.cli for p in NATIVE_PROVIDERS} | {p.entry for p in PRESETS.values()}
    assert expected | {"openai-compatible", "fake"} == set(PROVIDERS)
    for name in PROVIDERS:
        assert parse_model(f"{name}:m").provider == name
    code, out, _ = run("models", "--providers")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()[1:]]
    assert listed == list(PROVIDERS)
    code, out, _ = run("models", "--providers", "--json")
    rows = {r["provider"]: r for r in json.loads(out)}
    assert rows["ollama"]["example"] == "ollama:llama3.2"
    assert rows["groq"]["key_env"] == ["GROQ_API_KEY"]
    assert rows["vllm"]["kind"] == "local preset"
    assert rows["cohere"]["key_env"] == ["CO_API_KEY", "COHERE_API_KEY"]


def test_the_help_names_the_providers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "--help"]) == 0
    assert "--providers" in capsys.readouterr().out
    assert main(["extract", "--help"]) == 0
    text = capsys.readouterr().out
    assert "ollama:llama3.2" in text and "--deployment" in text and "--providers" in text


def test_models_lists_the_cohere_catalog() -> None:
    code, out, _ = run("models", "--provider", "cohere", "--json")
    names = {m["name"] for m in json.loads(out)}
    assert code == 0 and "command-a-03-2025" in names
