"""OpenAI-compatible hosts as data: one :class:`HostPreset` per host.

A preset is a host plus defaults: where requests go, which key variable authenticates them,
and how the host really behaves on the Chat Completions wire. The fields that matter most:

* ``structured_output``: the schema route the host *enforces*. ``strict`` (json_schema with
  ``strict: true``) only where the host constrains decoding to it; otherwise non-strict
  ``json_schema``, ``json_object`` (JSON mode, the schema in the instructions),
  ``json_object_schema`` (llama-cpp-python's ``{"type": "json_object", "schema": ...}``) or
  ``prompt`` (no response format at all);
* ``stream_usage``: whether ``stream_options: {"include_usage": true}`` is accepted;
* ``rejected_fields``: sampling fields the host refuses (gated before any request is sent);
* ``no_retry_statuses``: statuses that are not transient on this host (llama-cpp-python answers
  request-validation errors with a 500: retrying it as an overload only repeats the failure).

Each record cites the documentation page its facts come from (``doc_url``); the same records
generate ``docs/providers.md`` (``scripts/generate_provider_docs.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PRESETS",
    "HostPreset",
    "PresetRoute",
    "ThinkingStyle",
    "preset",
]

PresetRoute = Literal["strict", "json_schema", "json_object", "json_object_schema", "prompt"]
"""The structured-output route of a host (see the module docstring)."""

ThinkingStyle = Literal["enable_thinking", "thinking_type"]
"""How a host switches a hybrid model's thinking on and off: DashScope's
``enable_thinking: true|false``, or ``thinking: {"type": "enabled"|"disabled"}`` (Zhipu,
Z.ai, Volcengine Ark, LongCat, Moonshot)."""


@dataclass(frozen=True, slots=True)
class HostPreset:
    """One OpenAI-compatible host.

    Attributes:
        name: the host's name in errors, events and the client's ``provider``.
        entry: the entry function (``tl.<entry>()``).
        title: the host's display name.
        base_url: the default base URL (below it: ``/chat/completions``).
        key_env: environment variables the key is read from, first set wins.
        key_required: whether ``build()`` fails without a key (local servers: no).
        base_url_env: an environment variable that overrides the base URL, where the host's
            own SDK documents one.
        structured_output: the schema route the host enforces.
        route_why: one line on why that route.
        stream_usage: whether ``stream_options`` is sent on streams.
        rejected_fields: sampling fields the host rejects (``top_k``, ``seed``).
        headers: extra default headers.
        no_retry_statuses: statuses removed from the default retry policy on this host.
        strict_models: name prefixes of models the host enforces ``strict`` json_schema for
            (on a host whose route is otherwise non-strict).
        inline_root_ref: resolve a root ``$ref`` of the schema before sending it (the host's
            schema-to-grammar converter cannot).
        thinking: how the host switches thinking on and off (``None``: no switch).
        local: a server on the user's machine (default ``127.0.0.1`` URL, optional key).
        embeddings: whether the host serves the OpenAI embeddings endpoint (``/embeddings``
            below its base URL), so ``.embedding_model()`` is offered.
        doc_url: the documentation page the facts come from.
    """

    name: str
    entry: str
    title: str
    base_url: str
    key_env: tuple[str, ...]
    structured_output: PresetRoute
    route_why: str
    doc_url: str
    key_required: bool = True
    base_url_env: str | None = None
    stream_usage: bool = False
    rejected_fields: frozenset[str] = frozenset()
    headers: tuple[tuple[str, str], ...] = ()
    no_retry_statuses: frozenset[int] = frozenset()
    strict_models: tuple[str, ...] = ()
    inline_root_ref: bool = False
    thinking: ThinkingStyle | None = None
    local: bool = False
    embeddings: bool = False

    def route_for(self, model: str) -> PresetRoute:
        """The structured-output route for ``model`` on this host."""
        if any(model.startswith(prefix) for prefix in self.strict_models):
            return "strict"
        return self.structured_output


_TOP_K = frozenset({"top_k"})

_RECORDS: tuple[HostPreset, ...] = (
    # https://console.groq.com/docs/structured-outputs : strict mode (constrained decoding) on
    # select models only (gpt-oss), best-effort json_schema on the others. The recorded
    # accepted request (conformance groq/structured_output) sent strict: true to gpt-oss-120b.
    HostPreset(
        name="groq",
        entry="groq",
        title="Groq",
        base_url="https://api.groq.com/openai/v1",
        key_env=("GROQ_API_KEY",),
        base_url_env="GROQ_BASE_URL",
        structured_output="json_schema",
        strict_models=("openai/gpt-oss-",),
        route_why="strict (constrained decoding) only on the gpt-oss models; best-effort "
        "json_schema elsewhere",
        rejected_fields=_TOP_K,
        doc_url="https://console.groq.com/docs/structured-outputs",
    ),
    # https://docs.mistral.ai/capabilities/structured-output/custom_structured_output/ :
    # custom structured outputs (json_schema, strict) on every model since 2025-01-28. Mistral
    # names the seed `random_seed` and rejects fields it does not know.
    HostPreset(
        name="mistral",
        entry="mistral",
        title="Mistral",
        base_url="https://api.mistral.ai/v1",
        key_env=("MISTRAL_API_KEY",),
        structured_output="strict",
        route_why="custom structured outputs enforce a strict json_schema on every model",
        rejected_fields=frozenset({"top_k", "seed"}),
        doc_url="https://docs.mistral.ai/capabilities/structured-output/custom_structured_output/",
        # embeddings: https://docs.mistral.ai/api/endpoint/embeddings
        embeddings=True,
    ),
    # https://platform.deepseek.com/api-docs/guides/json_mode/ : JSON Output is `json_object`
    # only (the prompt must say "json"); recorded streams (conformance deepseek) sent
    # stream_options.
    HostPreset(
        name="deepseek",
        entry="deepseek",
        title="DeepSeek",
        base_url="https://api.deepseek.com",
        key_env=("DEEPSEEK_API_KEY",),
        structured_output="json_object",
        route_why="JSON Output is json_object only; no json_schema",
        stream_usage=True,
        rejected_fields=_TOP_K,
        doc_url="https://platform.deepseek.com/api-docs/guides/json_mode/",
    ),
    # https://openrouter.ai/docs/structured-outputs : response_format json_schema is passed
    # to the provider serving the model; whether it is enforced depends on that provider
    # (https://openrouter.ai/docs/features/provider-routing: require_parameters).
    # Attribution: https://openrouter.ai/docs/app-attribution (HTTP-Referer, X-Title).
    HostPreset(
        name="openrouter",
        entry="openrouter",
        title="OpenRouter",
        base_url="https://openrouter.ai/api/v1",
        key_env=("OPENROUTER_API_KEY",),
        structured_output="json_schema",
        route_why="forwarded to the serving provider, enforced only where it supports it "
        "(provider_routing(require_parameters=True) routes to those only)",
        stream_usage=True,
        doc_url="https://openrouter.ai/docs/structured-outputs",
    ),
    # https://docs.together.ai/docs/inference/chat/structured-outputs : json_schema on the
    # models of the structured-outputs list (the older json_object + schema form remains).
    HostPreset(
        name="together",
        entry="together",
        title="Together AI",
        base_url="https://api.together.xyz/v1",
        key_env=("TOGETHER_API_KEY",),
        base_url_env="TOGETHER_BASE_URL",
        structured_output="json_schema",
        route_why="json_schema is enforced on the supported models; no strict flag",
        doc_url="https://docs.together.ai/docs/inference/chat/structured-outputs",
        # embeddings: https://docs.together.ai/reference/embeddings-2
        embeddings=True,
    ),
    # https://fireworks.ai/docs/structured-responses/structured-response-formatting : JSON
    # mode with a json_schema, enforced during generation (grammar).
    HostPreset(
        name="fireworks",
        entry="fireworks",
        title="Fireworks AI",
        base_url="https://api.fireworks.ai/inference/v1",
        key_env=("FIREWORKS_API_KEY",),
        structured_output="json_schema",
        route_why="json_schema is enforced during generation (grammar mode)",
        doc_url="https://fireworks.ai/docs/structured-responses/structured-response-formatting",
        # embeddings: https://docs.fireworks.ai/api-reference/creates-an-embedding-vector-representing-the-input-text
        embeddings=True,
    ),
    # https://docs.x.ai/docs/guides/structured-outputs : json_schema response formats are
    # guaranteed; the recorded accepted requests (conformance xai) send json_schema without
    # strict, and stream_options on streams.
    HostPreset(
        name="xai",
        entry="xai",
        title="xAI (Grok)",
        base_url="https://api.x.ai/v1",
        key_env=("XAI_API_KEY",),
        structured_output="json_schema",
        route_why="json_schema is enforced; the recorded accepted requests send it non-strict",
        stream_usage=True,
        rejected_fields=_TOP_K,
        doc_url="https://docs.x.ai/docs/guides/structured-outputs",
    ),
    # https://inference-docs.cerebras.ai/capabilities/structured-outputs : json_schema with
    # strict: true is constrained decoding.
    HostPreset(
        name="cerebras",
        entry="cerebras",
        title="Cerebras",
        base_url="https://api.cerebras.ai/v1",
        key_env=("CEREBRAS_API_KEY",),
        structured_output="strict",
        route_why="strict json_schema is constrained decoding",
        rejected_fields=_TOP_K,
        doc_url="https://inference-docs.cerebras.ai/capabilities/structured-outputs",
    ),
    # https://docs.perplexity.ai/guides/structured-outputs : json_schema (no strict flag);
    # "responses will match the specified format".
    HostPreset(
        name="perplexity",
        entry="perplexity",
        title="Perplexity",
        base_url="https://api.perplexity.ai",
        key_env=("PERPLEXITY_API_KEY", "PPLX_API_KEY"),
        structured_output="json_schema",
        route_why="json_schema is enforced (the first request with a new schema is slow)",
        doc_url="https://docs.perplexity.ai/guides/structured-outputs",
    ),
    # https://huggingface.co/docs/inference-providers/index : the router forwards
    # OpenAI-compatible requests to a partner provider; enforcement is the provider's.
    HostPreset(
        name="huggingface",
        entry="huggingface",
        title="Hugging Face router",
        base_url="https://router.huggingface.co/v1",
        key_env=("HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"),
        structured_output="json_schema",
        route_why="forwarded to the partner provider serving the model; non-strict is the "
        "form every provider accepts",
        doc_url="https://huggingface.co/docs/inference-providers/index",
    ),
    # https://ai.google.dev/gemini-api/docs/openai : response_format json_schema is mapped to
    # Gemini's response schema (enforced); the request reference
    # (https://ai.google.dev/api/compatibility) lists ResponseFormat and StreamOptions.
    HostPreset(
        name="gemini_openai",
        entry="gemini_openai",
        title="Gemini (OpenAI-compatible endpoint)",
        base_url="https://generativelanguage.googleapis.com/v1beta/openai",
        key_env=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        structured_output="json_schema",
        route_why="json_schema becomes Gemini's response schema (enforced)",
        stream_usage=True,
        rejected_fields=_TOP_K,
        doc_url="https://ai.google.dev/gemini-api/docs/openai",
        # embeddings: https://ai.google.dev/gemini-api/docs/openai#embeddings
        embeddings=True,
    ),
    # https://docs.vllm.ai/en/latest/features/structured_outputs.html : response_format
    # json_schema is guided decoding (xgrammar/guidance); stream_options is supported.
    HostPreset(
        name="vllm",
        entry="vllm",
        title="vLLM",
        base_url="http://127.0.0.1:8000/v1",
        key_env=("VLLM_API_KEY",),
        key_required=False,
        local=True,
        structured_output="json_schema",
        route_why="json_schema is guided decoding (enforced)",
        stream_usage=True,
        doc_url="https://docs.vllm.ai/en/latest/features/structured_outputs.html",
        # embeddings: https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html#embeddings-api
        embeddings=True,
    ),
    # https://docs.sglang.ai/advanced_features/structured_outputs.html : response_format
    # json_schema is constrained decoding (xgrammar by default), port 30000.
    HostPreset(
        name="sglang",
        entry="sglang",
        title="SGLang",
        base_url="http://127.0.0.1:30000/v1",
        key_env=("SGLANG_API_KEY",),
        key_required=False,
        local=True,
        structured_output="json_schema",
        route_why="json_schema is constrained decoding (enforced)",
        stream_usage=True,
        doc_url="https://docs.sglang.ai/advanced_features/structured_outputs.html",
    ),
    # https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md : the C++
    # llama-server turns response_format json_schema (and json_object with a schema) into a
    # grammar; checked against a real server (tests/test_presets_llama_server_live.py), which
    # also puts usage in streams only when stream_options asks for it. Its key variable is
    # LLAMA_API_KEY.
    HostPreset(
        name="llamacpp",
        entry="llamacpp",
        title="llama.cpp server (llama-server)",
        base_url="http://127.0.0.1:8080/v1",
        key_env=("LLAMA_API_KEY",),
        key_required=False,
        local=True,
        structured_output="json_schema",
        route_why="json_schema is compiled to a grammar (enforced; checked on a real server)",
        stream_usage=True,
        doc_url="https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md",
        # embeddings: https://github.com/ggml-org/llama.cpp/tree/master/tools/server#post-v1embeddings-openai-compatible-embeddings-api
        embeddings=True,
    ),
    # https://llama-cpp-python.readthedocs.io/en/latest/server/ : the Python server enforces a
    # schema only as {"type": "json_object", "schema": ...}; `json_schema` is answered with
    # HTTP 500 and a root $ref silently falls back to any JSON (both checked on a real
    # server), so the schema is inlined and a 500 is not retried.
    HostPreset(
        name="llama_cpp_python",
        entry="llama_cpp_python",
        title="llama-cpp-python server",
        base_url="http://127.0.0.1:8000/v1",
        key_env=(),
        key_required=False,
        local=True,
        structured_output="json_object_schema",
        route_why="rejects json_schema (HTTP 500); enforces json_object with a schema, root "
        "$ref inlined",
        inline_root_ref=True,
        no_retry_statuses=frozenset({500}),
        doc_url="https://llama-cpp-python.readthedocs.io/en/latest/server/",
    ),
    # https://lmstudio.ai/docs/api/structured-output : json_schema is enforced; json_object is
    # rejected with HTTP 400 (its public issue tracker).
    HostPreset(
        name="lmstudio",
        entry="lmstudio",
        title="LM Studio",
        base_url="http://127.0.0.1:1234/v1",
        key_env=("LM_STUDIO_API_KEY",),
        key_required=False,
        local=True,
        structured_output="json_schema",
        route_why="json_schema is enforced; json_object is rejected with 400",
        doc_url="https://lmstudio.ai/docs/api/structured-output",
        # embeddings: https://lmstudio.ai/docs/app/api/endpoints/openai
        embeddings=True,
    ),
    # https://docs.litellm.ai/docs/completion/json_mode : the proxy translates response_format
    # json_schema for each upstream (enforced where the upstream supports it).
    HostPreset(
        name="litellm",
        entry="litellm",
        title="LiteLLM proxy",
        base_url="http://127.0.0.1:4000/v1",
        key_env=("LITELLM_API_KEY",),
        key_required=False,
        local=True,
        structured_output="json_schema",
        route_why="translated per upstream by the proxy; non-strict is the form every "
        "upstream takes",
        stream_usage=True,
        doc_url="https://docs.litellm.ai/docs/completion/json_mode",
        # embeddings: https://docs.litellm.ai/docs/embedding/supported_embedding
        embeddings=True,
    ),
    # https://www.alibabacloud.com/help/en/model-studio/qwen-structured-output : JSON Object
    # mode on most Qwen models, JSON Schema mode only on some qwen-plus models; thinking mode
    # (https://www.alibabacloud.com/help/en/model-studio/deep-thinking) is `enable_thinking`.
    # Base URLs: https://alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope
    HostPreset(
        name="dashscope",
        entry="dashscope",
        title="Alibaba Cloud DashScope (Qwen, compatible mode)",
        base_url="https://dashscope.aliyuncs.com/compatible-mode/v1",
        key_env=("DASHSCOPE_API_KEY",),
        structured_output="json_object",
        route_why="json_object works on most Qwen models; json_schema only on some qwen-plus",
        stream_usage=True,
        thinking="enable_thinking",
        doc_url="https://www.alibabacloud.com/help/en/model-studio/qwen-structured-output",
    ),
    # https://docs.bigmodel.cn/api-reference/%E6%A8%A1%E5%9E%8B-api/%E5%AF%B9%E8%AF%9D%E8%A1%A5%E5%85%A8
    # : response_format json_object; `thinking: {"type": "enabled"|"disabled"}` on GLM-4.5+.
    HostPreset(
        name="zhipu",
        entry="zhipu",
        title="Zhipu GLM (open.bigmodel.cn)",
        base_url="https://open.bigmodel.cn/api/paas/v4",
        key_env=("ZHIPUAI_API_KEY", "ZHIPU_API_KEY"),
        structured_output="json_object",
        route_why="response_format is json_object only",
        stream_usage=True,
        rejected_fields=_TOP_K,
        thinking="thinking_type",
        doc_url="https://docs.bigmodel.cn/api-reference/%E6%A8%A1%E5%9E%8B-api/%E5%AF%B9%E8%AF%9D%E8%A1%A5%E5%85%A8",
    ),
    # https://docs.z.ai/api-reference/llm/chat-completion : the same API as Zhipu's on
    # api.z.ai; recorded accepted requests (conformance zai) sent `thinking` and
    # stream_options.
    HostPreset(
        name="zai",
        entry="zai",
        title="Z.ai (GLM)",
        base_url="https://api.z.ai/api/paas/v4",
        key_env=("ZAI_API_KEY",),
        structured_output="json_object",
        route_why="response_format is json_object only",
        stream_usage=True,
        rejected_fields=_TOP_K,
        thinking="thinking_type",
        doc_url="https://docs.z.ai/api-reference/llm/chat-completion",
    ),
    # https://platform.moonshot.ai/docs/api/chat : OpenAI-compatible; JSON Mode is
    # response_format json_object. China endpoint api.moonshot.cn, global api.moonshot.ai.
    HostPreset(
        name="moonshot",
        entry="moonshot",
        title="Moonshot (Kimi)",
        base_url="https://api.moonshot.cn/v1",
        key_env=("MOONSHOT_API_KEY",),
        structured_output="json_object",
        route_why="JSON Mode is json_object; no json_schema",
        rejected_fields=_TOP_K,
        thinking="thinking_type",
        doc_url="https://platform.moonshot.ai/docs/api/chat",
    ),
    # https://cloud.tencent.com/document/product/1729/111007 : Hunyuan's OpenAI-compatible
    # endpoint documents no response_format, so the schema goes in the instructions.
    HostPreset(
        name="hunyuan",
        entry="hunyuan",
        title="Tencent Hunyuan",
        base_url="https://api.hunyuan.cloud.tencent.com/v1",
        key_env=("HUNYUAN_API_KEY",),
        structured_output="prompt",
        route_why="no documented response_format on the OpenAI-compatible endpoint",
        rejected_fields=_TOP_K,
        doc_url="https://cloud.tencent.com/document/product/1729/111007",
    ),
    # https://www.volcengine.com/docs/82379/1494384 : Ark chat API; JSON mode (json_object) is
    # the documented form across Doubao models (json_schema is a beta on some);
    # `thinking: {"type": ...}` on the seed models.
    HostPreset(
        name="ark",
        entry="ark",
        title="Volcengine Ark (Doubao)",
        base_url="https://ark.cn-beijing.volces.com/api/v3",
        key_env=("ARK_API_KEY",),
        structured_output="json_object",
        route_why="json_object across Doubao models; json_schema is a beta on a few",
        rejected_fields=_TOP_K,
        thinking="thinking_type",
        doc_url="https://www.volcengine.com/docs/82379/1494384",
    ),
    # https://longcat.chat/platform/docs/APIDocs.html : OpenAI-compatible under /openai/v1;
    # the request fields are model, messages, stream, max_tokens, temperature, top_p (and
    # thinking): no response_format, so the schema goes in the instructions.
    HostPreset(
        name="longcat",
        entry="longcat",
        title="LongCat",
        base_url="https://api.longcat.chat/openai/v1",
        key_env=("LONGCAT_API_KEY",),
        structured_output="prompt",
        route_why="no response_format in the documented request fields",
        rejected_fields=frozenset({"top_k", "seed"}),
        thinking="thinking_type",
        doc_url="https://longcat.chat/platform/docs/APIDocs.html",
    ),
)

PRESETS: dict[str, HostPreset] = {p.name: p for p in _RECORDS}
"""Every preset by name, in documentation order."""


def preset(name: str) -> HostPreset:
    """The preset called ``name`` (``KeyError`` names the known ones)."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"no preset {name!r}; known: {sorted(PRESETS)}") from None
