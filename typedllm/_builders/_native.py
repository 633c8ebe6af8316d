"""The providers with a wire of their own, as data: one :class:`NativeProvider` per way of
reaching a model family (OpenAI chat and Responses, Azure OpenAI, Anthropic and its Bedrock
and Vertex AI hosting, Gemini and Gemini on Vertex AI, Ollama, Cohere).

The OpenAI-compatible hosts are :data:`typedllm.hosts.PRESETS`; these records are their
counterpart for the native builders. The same records name the command line's providers
(``typedllm extract --model <cli>:<model>``, ``typedllm models --providers``) and generate
the native rows of ``docs/providers.md`` (``scripts/generate_provider_docs.py``). Base URLs
come from the builders' constants; the key variables, the body field a schema goes in and
the stream framing are checked against what the clients really send
(``tests/test_native_providers.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..codecs import get_codec
from ..codecs._stream import NDJSONStream, SSEStream
from ..codecs.anthropic_bedrock import EventStreamSession
from ..hosts._vertex import vertex_base_url
from .anthropic import ANTHROPIC_BASE_URL
from .azure_openai import AZURE_OPENAI_API_VERSION
from .cohere import COHERE_BASE_URL
from .gemini import GEMINI_BASE_URL
from .ollama import OLLAMA_BASE_URL
from .openai import OPENAI_BASE_URL

__all__ = ["NATIVE_PROVIDERS", "NativeProvider", "stream_framing"]


@dataclass(frozen=True, slots=True)
class NativeProvider:
    """One provider with a wire of its own.

    Attributes:
        cli: the provider's name on the command line (``--model <cli>:<model>``).
        entry: how the client is started in Python.
        title: the display name.
        wire: the codec's name (``typedllm.codecs.get_codec``).
        base_url: the default base URL (``{...}`` parts come from the environment or the
            builder's arguments).
        key_env: the environment variables credentials are read from, first set wins.
        schema_field: where a schema goes in the request body (dotted path).
        route: the structured-output route, in a few words.
        why: why that route.
        example_model: a model name that works with ``entry`` (CLI help, docs, tests).
        doc_url: the documentation page of the wire.
        notes: anything else a user must know (how the host is chosen, auth alternatives).
    """

    cli: str
    entry: str
    title: str
    wire: str
    base_url: str
    key_env: tuple[str, ...]
    schema_field: str
    route: str
    why: str
    example_model: str
    doc_url: str
    notes: str = ""


_VERTEX_NOTES = (
    "project/location from the arguments, else `GOOGLE_CLOUD_PROJECT`/`GOOGLE_CLOUD_LOCATION`; "
    "OAuth token from a token provider, else Application Default Credentials "
    "(`typedllm[google]`)"
)

NATIVE_PROVIDERS: tuple[NativeProvider, ...] = (
    NativeProvider(
        cli="openai",
        entry="tl.openai()",
        title="OpenAI (Chat Completions)",
        wire="openai-chat",
        base_url=OPENAI_BASE_URL,
        key_env=("OPENAI_API_KEY",),
        schema_field="response_format.json_schema",
        route="`json_schema`, strict (`json_object` on models without Structured Outputs)",
        why="Structured Outputs constrain decoding to the schema",
        example_model="gpt-4o-mini",
        doc_url="https://platform.openai.com/docs/guides/structured-outputs",
        notes="models served only on the Responses API go there by themselves; "
        "base URL from `OPENAI_BASE_URL`",
    ),
    NativeProvider(
        cli="openai-responses",
        entry='tl.openai().api("responses")',
        title="OpenAI (Responses)",
        wire="openai-responses",
        base_url=OPENAI_BASE_URL,
        key_env=("OPENAI_API_KEY",),
        schema_field="text.format.schema",
        route="`text.format` `json_schema`, strict",
        why="the Responses API's Structured Outputs (constrained decoding)",
        example_model="gpt-4o-mini",
        doc_url="https://platform.openai.com/docs/api-reference/responses/create",
        notes="`store`/`previous_response_id`, reasoning summaries",
    ),
    NativeProvider(
        cli="azure",
        entry="tl.azure_openai()",
        title="Azure OpenAI",
        wire="azure-openai-chat",
        base_url="{AZURE_OPENAI_ENDPOINT}",
        key_env=("AZURE_OPENAI_API_KEY",),
        schema_field="response_format.json_schema",
        route="`json_schema`, strict (`json_object` on models without Structured Outputs)",
        why="Azure serves OpenAI's models with their Structured Outputs",
        example_model="gpt-4o-mini",
        doc_url="https://learn.microsoft.com/azure/ai-services/openai/reference",
        notes="`/openai/deployments/{deployment}/chat/completions?api-version="
        f"{AZURE_OPENAI_API_VERSION}` (deployment = model name unless `.deployment()`; "
        "`.v1()` for `/openai/v1`); key in the `api-key` header, or Entra ID tokens "
        "(`.azure_ad_token_provider()`)",
    ),
    NativeProvider(
        cli="anthropic",
        entry="tl.anthropic()",
        title="Anthropic",
        wire="anthropic-messages",
        base_url=ANTHROPIC_BASE_URL,
        key_env=("ANTHROPIC_API_KEY",),
        schema_field="output_config.format.schema",
        route="`output_config.format` `json_schema` (forced tool on older models)",
        why="native structured outputs constrain decoding; models before them answer "
        "through a forced tool call",
        example_model="claude-haiku-4-5",
        doc_url="https://platform.claude.com/docs/en/build-with-claude/structured-outputs",
        notes="base URL from `ANTHROPIC_BASE_URL`",
    ),
    NativeProvider(
        cli="bedrock",
        entry='tl.anthropic().bedrock("us-east-1")',
        title="Anthropic on Amazon Bedrock",
        wire="anthropic-bedrock",
        base_url="https://bedrock-runtime.{region}.amazonaws.com",
        key_env=("AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID"),
        schema_field="output_config.format.schema",
        route="`output_config.format` `json_schema` (forced tool on older models)",
        # https://platform.claude.com/docs/en/build-with-claude/structured-outputs : JSON
        # outputs are generally available on the Claude API and Amazon Bedrock.
        why="the Messages body as Anthropic's API takes it; structured outputs are generally "
        "available on Bedrock",
        example_model="claude-haiku-4-5",
        doc_url="https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html",
        notes="SigV4 (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, "
        "profiles) or a Bedrock API key as a bearer; region from `AWS_REGION`",
    ),
    NativeProvider(
        cli="anthropic-vertex",
        entry='tl.anthropic().vertex("my-project")',
        title="Anthropic on Vertex AI",
        wire="anthropic-vertex",
        # The default location, global, is served without a region prefix.
        base_url=vertex_base_url("{project}", "global", "anthropic"),
        key_env=("GOOGLE_APPLICATION_CREDENTIALS",),
        schema_field="tools.0.input_schema",
        route="forced tool",
        # Google now documents output_config.format for Claude 4.5+ on Vertex AI
        # (https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/partner-models/claude/structured_outputs);
        # the client does not use it yet.
        why="the forced-tool route works for every Claude model on Vertex AI (`output_config` "
        "is documented there for Claude 4.5+ but not used yet)",
        example_model="claude-haiku-4-5",
        doc_url="https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude",
        notes=_VERTEX_NOTES + "; also `ANTHROPIC_VERTEX_PROJECT_ID`, `CLOUD_ML_REGION`; "
        "location default `global` (a regional location is served from "
        "`https://{location}-aiplatform.googleapis.com`)",
    ),
    NativeProvider(
        cli="gemini",
        entry="tl.gemini()",
        title="Google Gemini",
        wire="gemini-generate-content",
        base_url=GEMINI_BASE_URL,
        key_env=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        schema_field="generationConfig.responseJsonSchema",
        route="`responseJsonSchema` (`responseSchema` on models before 2.0)",
        why="the response schema is enforced; `responseJsonSchema` takes JSON Schema as it is",
        example_model="gemini-2.5-flash",
        doc_url="https://ai.google.dev/gemini-api/docs/structured-output",
        notes="key in the `x-goog-api-key` header",
    ),
    NativeProvider(
        cli="gemini-vertex",
        entry='tl.gemini().vertex(project="my-project")',  # keyword-only
        title="Gemini on Vertex AI",
        wire="gemini-generate-content",
        base_url=vertex_base_url("{project}", "{location}", "google"),
        key_env=("GOOGLE_APPLICATION_CREDENTIALS",),
        schema_field="generationConfig.responseJsonSchema",
        route="`responseJsonSchema` (`responseSchema` on models before 2.0)",
        why="the same generateContent wire as the Gemini API",
        example_model="gemini-2.5-flash",
        doc_url="https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference",
        notes=_VERTEX_NOTES + "; location default `us-central1`",
    ),
    NativeProvider(
        cli="ollama",
        entry="tl.ollama()",
        title="Ollama",
        wire="ollama-chat",
        base_url=OLLAMA_BASE_URL,
        key_env=("OLLAMA_API_KEY",),
        schema_field="format",
        route="`format` (a JSON schema)",
        why="the schema becomes a grammar the sampler follows",
        example_model="llama3.2",
        doc_url="https://github.com/ollama/ollama/blob/main/docs/api.md",
        notes="server from `OLLAMA_HOST`; key optional; any model name",
    ),
    NativeProvider(
        cli="cohere",
        entry="tl.cohere()",
        title="Cohere",
        wire="cohere-chat",
        base_url=COHERE_BASE_URL,
        key_env=("CO_API_KEY", "COHERE_API_KEY"),
        schema_field="response_format.json_schema",
        route='`response_format` `{"type": "json_object", "json_schema": ...}`',
        why="JSON mode with a schema constrains the answer to it",
        example_model="command-a-03-2025",
        doc_url="https://docs.cohere.com/docs/structured-outputs",
        notes="base URL from `CO_API_URL`",
    ),
)
"""Every native provider, in documentation order."""


def stream_framing(wire: str) -> str:
    """How a wire frames its streams: ``SSE``, ``NDJSON`` or ``AWS event-stream`` (read from
    the codec's stream decoder)."""
    session = get_codec(wire).new_stream("probe")
    if isinstance(session, EventStreamSession):
        return "AWS event-stream"
    if isinstance(session, NDJSONStream):
        return "NDJSON"
    if isinstance(session, SSEStream):
        return "SSE"
    return type(session).__name__
