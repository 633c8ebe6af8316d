"""The native provider records (``typedllm/_builders/_native.py``, the rows of
docs/providers.md and ``typedllm models --providers``) say what the clients really do: each key
variable authenticates a request by itself, requests go below the documented base URL, the
schema is in the named body field, and streams work in the named framing. Offline, on the fake
provider (``google.auth`` faked for the Vertex AI rows, as in test_vertex_auth.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from pydantic import BaseModel
from test_vertex_auth import FakeGoogle

import typedllm as tl
from typedllm._builders._native import NATIVE_PROVIDERS, NativeProvider, stream_framing
from typedllm.testing import FakeProvider, block_network

SECRET = "sk-native-provider-test"
ADC_TOKEN = "ya29.adc-1"  # the first token FakeGoogle issues

# Values of the ``{...}`` parts of the records' base URLs, as the tests set them.
PLACES = {
    "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com",
    "region": "us-east-1",
    "project": "doc-proj",
    "location": "europe-west4",
}

BUILDERS: dict[str, Callable[[], Any]] = {
    "openai": lambda: tl.openai().model("gpt-4o-mini"),
    "openai-responses": lambda: tl.openai().model("gpt-4o-mini").api("responses"),
    "azure": lambda: tl.azure_openai().model("gpt-4o-mini"),
    "anthropic": lambda: tl.anthropic().model("claude-haiku-4-5"),
    "bedrock": lambda: tl.anthropic().bedrock().model("claude-haiku-4-5"),
    "anthropic-vertex": lambda: tl.anthropic().vertex().model("claude-haiku-4-5"),
    "gemini": lambda: tl.gemini().model("gemini-2.5-flash"),
    "gemini-vertex": lambda: tl.gemini().vertex().model("gemini-2.5-flash"),
    "ollama": lambda: tl.ollama().model("llama3.2"),
    "cohere": lambda: tl.cohere().model("command-a-03-2025"),
}

ALL_KEY_VARS = sorted({v for p in NATIVE_PROVIDERS for v in p.key_env})
GOOGLE_ADC_VAR = "GOOGLE_APPLICATION_CREDENTIALS"  # read by google-auth, not by typedllm


class Invoice(BaseModel):
    vendor: str
    total: float


class Recording:
    def __init__(self, fake: FakeProvider) -> None:
        self.fake = fake
        self.requests: list[httpx.Request] = []
        self.content_types: list[str] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self.fake.handle_request(request)
        self.content_types.append(response.headers.get("content-type", ""))
        return response

    def body(self, index: int = 0) -> Any:
        return orjson.loads(self.requests[index].content)


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        *ALL_KEY_VARS,
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_REGION",
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "CLOUD_ML_REGION",
        "OLLAMA_HOST",
        "OPENAI_BASE_URL",
        "ANTHROPIC_BASE_URL",
        "CO_API_URL",
        "OPENAI_API_VERSION",
        "GOOGLE_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", PLACES["AZURE_OPENAI_ENDPOINT"])
    monkeypatch.setenv("AWS_REGION", PLACES["region"])
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PLACES["project"])
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", PLACES["location"])
    FakeGoogle().install(monkeypatch)


def _get(body: Any, dotted: str) -> Any:
    value = body
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    return value


def _client(record: NativeProvider, fake: FakeProvider) -> tuple[tl.Client, Recording]:
    rec = Recording(fake)
    return BUILDERS[record.cli]().max_retries(0).transport(rec.transport).build(), rec


def test_every_record_has_a_builder_here() -> None:
    assert set(BUILDERS) == {p.cli for p in NATIVE_PROVIDERS}
    assert len({p.cli for p in NATIVE_PROVIDERS}) == len(NATIVE_PROVIDERS)


@pytest.mark.parametrize("record", NATIVE_PROVIDERS, ids=lambda p: p.cli)
def test_the_base_url_and_the_schema_field(record: NativeProvider, monkeypatch: Any) -> None:
    key_var = record.key_env[0]
    if key_var != GOOGLE_ADC_VAR:
        monkeypatch.setenv(key_var, SECRET)
    if key_var == "AWS_ACCESS_KEY_ID":
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    if "{location}" not in record.base_url:  # the record shows the default location's URL
        monkeypatch.delenv("GOOGLE_CLOUD_LOCATION")
    llm, rec = _client(record, FakeProvider())
    invoice = llm.complete("Invoice from ACME, total 3.50", schema=Invoice)
    assert isinstance(invoice, Invoice)
    url = str(rec.requests[0].url)
    assert url.startswith(record.base_url.format(**PLACES)), url
    schema = _get(rec.body(), record.schema_field)
    assert schema, f"{record.cli}: no schema in {record.schema_field}"
    if isinstance(schema, dict):
        assert "vendor" in orjson.dumps(schema).decode()


@pytest.mark.parametrize("record", NATIVE_PROVIDERS, ids=lambda p: p.cli)
def test_the_entry_is_python_that_makes_a_builder(record: NativeProvider) -> None:
    """The entry as the docs print it runs as it is (offline: builders make no request) and
    gives a builder that takes the record's example model."""
    from typedllm._builders._base import BaseBuilder

    with block_network():
        builder = eval(record.entry, {"tl": tl})  # the docs' snippet, with tl in scope
        assert isinstance(builder, BaseBuilder), record.entry
        assert isinstance(builder.model(record.example_model), BaseBuilder)


def _key_cases() -> list[tuple[NativeProvider, str]]:
    return [(p, var) for p in NATIVE_PROVIDERS for var in p.key_env]


@pytest.mark.parametrize(
    ("record", "var"), _key_cases(), ids=[f"{p.cli}-{v}" for p, v in _key_cases()]
)
def test_each_key_variable_authenticates_by_itself(
    record: NativeProvider, var: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if var == GOOGLE_ADC_VAR:
        # google-auth reads the variable; typedllm asks it for the ADC token (faked here).
        llm, rec = _client(record, FakeProvider(["ok"], api_key=ADC_TOKEN))
        assert llm.complete("hi") == "ok"
        return
    monkeypatch.setenv(var, SECRET)
    if var == "AWS_ACCESS_KEY_ID":  # SigV4: the key id is in the signed Authorization header
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
        llm, rec = _client(record, FakeProvider(["ok"]))
        assert llm.complete("hi") == "ok"
        authorization = rec.requests[0].headers["authorization"]
        assert authorization.startswith(f"AWS4-HMAC-SHA256 Credential={SECRET}/")
        return
    llm, rec = _client(record, FakeProvider(["ok"], api_key=SECRET))  # 401 for another key
    assert llm.complete("hi") == "ok"


@pytest.mark.parametrize("record", NATIVE_PROVIDERS, ids=lambda p: p.cli)
def test_streams_in_the_named_framing(record: NativeProvider, monkeypatch: Any) -> None:
    if record.key_env[0] != GOOGLE_ADC_VAR:
        monkeypatch.setenv(record.key_env[0], SECRET)
    if record.key_env[0] == "AWS_ACCESS_KEY_ID":
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    llm, rec = _client(record, FakeProvider(["streamed answer"]))
    with llm.stream("hi") as stream:
        assert "".join(stream) == "streamed answer"
    # The fake answers in the real service's framing; the codec's decoder must match it.
    media = {
        "SSE": "text/event-stream",
        "NDJSON": "application/x-ndjson",
        "AWS event-stream": "application/vnd.amazon.eventstream",
    }
    assert rec.content_types[0].startswith(media[stream_framing(record.wire)])


def test_the_docs_table_has_a_row_per_native_provider() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "providers.md").read_text()
    rows = [line for line in text.splitlines() if line.startswith("| `tl.")]
    for record in NATIVE_PROVIDERS:
        row = next(r for r in rows if r.startswith(f"| `{record.entry}` |"))
        assert f"`{record.base_url}`" in row and stream_framing(record.wire) in row
        assert f"schema in `{record.schema_field}`" in row


def test_the_docs_name_the_builders_that_override_the_route() -> None:
    """docs/providers.md says which builders have ``.structured_output(...)``; it is so."""
    from typedllm.hosts import PRESETS

    text = " ".join(
        (Path(__file__).resolve().parents[1] / "docs" / "providers.md").read_text().split()
    )
    assert "overrides the route per client on `tl.openai()` (both APIs)" in text
    assert "Gemini and Cohere builders have no override" in text
    overriding = {
        p.cli for p in NATIVE_PROVIDERS if hasattr(eval(p.entry, {"tl": tl}), "structured_output")
    }
    assert overriding == {"openai", "openai-responses", "azure", "ollama"}
    assert hasattr(tl.openai_compatible("http://127.0.0.1:1/v1"), "structured_output")
    for preset in PRESETS.values():
        entry = getattr(tl, preset.entry)
        builder = entry("http://127.0.0.1:1/v1") if preset.entry == "openai_compatible" else entry()
        assert hasattr(builder, "structured_output"), preset.entry
