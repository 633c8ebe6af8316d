"""Type-state builders for the OpenAI-compatible host presets (``tl.groq()``, ``tl.vllm()`` ...).

Each entry function starts a builder on one :class:`~typedllm.hosts.HostPreset`: its base
URL, key variable(s), the structured-output route the host enforces, whether it takes
``stream_options``, the sampling fields it rejects and its retry rule. The model's
capabilities come from its family profile (:mod:`typedllm._catalog._families`), so an
unlisted model behaves right without ``like=``: ``deepseek-reasoner`` (or ``openai/o1``
through OpenRouter) refuses ``.temperature()`` with a ``ConfigurationError``.

States (``PresetBuilder[M]``):

* ``NoModel``: common options only; no ``build()``.
* ``CompatibleModel``: a model chosen by name: sampling and reasoning options are allowed
  statically and checked against the family profile at run time.
* ``ReasoningModel``: a model whose name says it takes no sampling (``tl.deepseek()``'s
  ``"deepseek-reasoner"``): ``temperature``/``top_p``/``top_k`` are type errors.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, Literal, overload

from typing_extensions import Self, TypeVar

from .._catalog._families import model_info_for
from .._config import OpenAIChatOptions, StructuredOutputMode
from .._errors import ConfigurationError
from .._gates import sampling_refused
from .._retry import RetryPolicy
from ..hosts import Host, bearer
from ..hosts._presets import PRESETS, HostPreset
from ._base import BaseBuilder, BuilderSettings, check_settings
from ._states import CompatibleModel, ModelChosen, NoModel, ReasoningModel
from .openai import ReasoningEffort, check_effort, check_mode

if TYPE_CHECKING:
    from .._client import Client
    from ._embedding_endpoint import EmbeddingEndpoint
    from .embeddings import EmbeddingBuilder

__all__ = [
    "DeepSeekBuilder",
    "HostBuilder",
    "OpenRouterBuilder",
    "PresetBuilder",
    "ark",
    "cerebras",
    "dashscope",
    "deepseek",
    "fireworks",
    "gemini_openai",
    "groq",
    "huggingface",
    "hunyuan",
    "litellm",
    "llama_cpp_python",
    "llamacpp",
    "lmstudio",
    "longcat",
    "mistral",
    "moonshot",
    "openrouter",
    "perplexity",
    "sglang",
    "together",
    "vllm",
    "xai",
    "zai",
    "zhipu",
]

M = TypeVar("M", covariant=True, default=NoModel)

Fields = tuple[tuple[str, Any], ...]


def _with_field(fields: Fields, name: str, value: Any) -> Fields:
    return (*((k, v) for k, v in fields if k != name), (name, value))


class PresetBuilder(BaseBuilder, Generic[M]):
    """What every host preset's builder shares (the host's own builder adds ``.model()``)."""

    __slots__ = ("_fields", "_own_retry", "_preset")

    def __init__(
        self: PresetBuilder[NoModel],
        preset: HostPreset,
        settings: BuilderSettings | None = None,
        fields: Fields = (),
        own_retry: bool = False,
    ) -> None:
        super().__init__(settings)
        self._preset = preset
        self._fields = fields
        self._own_retry = own_retry

    def _with(self, **changes: Any) -> Any:
        # Any: __init__ pins NoModel for callers; copies keep whatever state they are in.
        cls: Any = type(self)
        settings = replace(self._settings, **changes)
        return cls(self._preset, settings, self._fields, self._own_retry)

    def _with_fields(self, fields: Fields) -> Any:
        cls: Any = type(self)
        return cls(self._preset, self._settings, fields, self._own_retry)

    def retry_policy(self, policy: RetryPolicy) -> Self:
        """The whole transport retry policy, taken as given: the host's own rule (statuses it
        does not retry, such as llama-cpp-python's 500) applies to the default policy only."""
        builder = super().retry_policy(policy)
        cls: Any = type(self)
        return cls(self._preset, builder._settings, self._fields, True)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._preset.name}, model={self._settings.model!r})"

    @property
    def preset(self) -> HostPreset:
        """The host preset this builder configures."""
        return self._preset

    def _choose(self, name: str) -> Any:
        if not isinstance(name, str) or not name:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("model name must be a non-empty string")
        info = model_info_for(name, self._preset.name)
        # A new model resets the options that depend on its family.
        return self._with(
            model=name,
            model_info=info,
            temperature=None,
            top_p=None,
            top_k=None,
            reasoning_effort=None,
        )

    def _sampling(self, option: str) -> None:
        model, info = self._require_model(option)
        if not info.temperature:
            raise sampling_refused(model, info, option)
        if option in self._preset.rejected_fields:
            raise ConfigurationError(f"{self._preset.title} does not accept {option}")

    def _temperature(self, value: float) -> Any:
        self._sampling("temperature")
        return self._with(temperature=self._check_temperature(value))

    def _top_p(self, value: float) -> Any:
        self._sampling("top_p")
        return self._with(top_p=self._check_top_p(value))

    def _top_k(self, k: int) -> Any:
        self._sampling("top_k")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"top_k must be a positive int, got {k!r}")
        return self._with(top_k=k)

    def _reasoning_effort(self, effort: str) -> Any:
        self._require_model("reasoning_effort")
        return self._with(reasoning_effort=check_effort(self._settings, effort))

    def structured_output(self, mode: StructuredOutputMode) -> Self:
        """Override the host's structured-output route: ``strict``, ``json_schema``,
        ``json_object``, ``json_object_schema`` or ``prompt``."""
        return self._with(structured_output=check_mode(mode))  # type: ignore[no-any-return]

    def thinking(self, enabled: bool) -> Self:
        """Switch a hybrid model's thinking on or off, as the host spells it: DashScope's
        ``enable_thinking``, or ``thinking: {"type": "enabled"|"disabled"}`` (Zhipu, Z.ai,
        Moonshot, Volcengine Ark, LongCat)."""
        if not isinstance(enabled, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"thinking takes True or False, got {enabled!r}")
        style = self._preset.thinking
        if style is None:
            raise ConfigurationError(f"{self._preset.title} has no thinking switch")
        if style == "enable_thinking":
            return self._with_fields(_with_field(self._fields, "enable_thinking", enabled))  # type: ignore[no-any-return]
        value = {"type": "enabled" if enabled else "disabled"}
        return self._with_fields(_with_field(self._fields, "thinking", value))  # type: ignore[no-any-return]

    def embedding_model(self, name: str) -> EmbeddingBuilder:
        """Switch to an embedding model served by this host (``build()`` then returns a
        :class:`~typedllm.Embedder`); only hosts whose preset says ``embeddings`` serve them."""
        from .embeddings import EmbeddingBuilder, embedding_spec

        if not self._preset.embeddings:
            raise ConfigurationError(
                f"{self._preset.title} has no embeddings endpoint in typedllm's presets"
            )
        return EmbeddingBuilder(self, embedding_spec(self._preset.name, name))

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        from ._embedding_endpoint import EmbeddingEndpoint, env_url

        s, preset = self._settings, self.preset
        url = s.base_url or env_url(preset.base_url_env or "") or preset.base_url
        step = self._auth(preset.key_env, bearer, required=preset.key_required)
        wire = "mistral-embeddings" if preset.name == "mistral" else "openai-embeddings"
        placed = Host(preset.name, url, headers=(*preset.headers, *s.headers))
        return EmbeddingEndpoint(preset.name, wire, "openai-chat", model, placed, step)

    def build(self: PresetBuilder[ModelChosen]) -> Client:
        """The client. The key comes from ``.api_key()`` or the preset's key variable
        (optional on local servers); the base URL from ``.base_url()``, the host's base-URL
        variable where it has one, or the preset's default."""
        model, info = self._require_model("build")
        p = self._preset
        s = self._settings
        check_settings(s, info)
        for name in ("top_k", "seed"):
            if name in p.rejected_fields and getattr(s, name) is not None:
                raise ConfigurationError(f"{p.title} does not accept {name}")
        auth = self._auth(p.key_env, bearer, required=p.key_required)
        mode = check_mode(s.structured_output) if s.structured_output else p.route_for(model)
        base_url = s.base_url or _env_url(p.base_url_env) or p.base_url
        builder: PresetBuilder[Any] = self
        if p.no_retry_statuses and not self._own_retry:
            # The host's rule applies to the default policy; a policy of the user's own
            # (.retry_policy()) is taken as given.
            statuses = s.retry.statuses - p.no_retry_statuses
            builder = self._with(retry=replace(s.retry, statuses=statuses))
        host = Host(p.name, base_url, headers=(*p.headers, *s.headers))
        return builder._client(
            provider=p.name,
            wire="openai-chat",
            model=model,
            info=info,
            host=host,
            auth=auth,
            wire_options=OpenAIChatOptions(
                structured_output=mode,
                max_tokens_field="max_tokens",
                reasoning_effort=s.reasoning_effort,
                stream_usage=p.stream_usage,
                body_fields=self._fields,
                rejected_fields=p.rejected_fields,
                inline_root_ref=p.inline_root_ref,
            ),
        )


class HostBuilder(PresetBuilder[M]):
    """Builder for one OpenAI-compatible host preset. Start with an entry function such as
    :func:`typedllm.groq` or :func:`typedllm.vllm`.

    >>> import typedllm as tl
    >>> b = tl.groq().model("llama-3.3-70b-versatile").temperature(0).api_key("gsk-test")
    """

    __slots__ = ()

    def model(self, name: str) -> HostBuilder[CompatibleModel]:
        """Choose the model by the name the host knows it by; its family profile says what it
        accepts."""
        return self._choose(name)  # type: ignore[no-any-return]

    def temperature(
        self: HostBuilder[CompatibleModel], value: float
    ) -> HostBuilder[CompatibleModel]:
        """Sampling temperature, 0 to 2 (a ``ConfigurationError`` for a reasoning family
        without sampling, such as ``deepseek-reasoner`` or ``openai/o1``)."""
        return self._temperature(value)  # type: ignore[no-any-return]

    def top_p(self: HostBuilder[CompatibleModel], value: float) -> HostBuilder[CompatibleModel]:
        """Nucleus sampling probability mass, 0 to 1."""
        return self._top_p(value)  # type: ignore[no-any-return]

    def top_k(self: HostBuilder[CompatibleModel], k: int) -> HostBuilder[CompatibleModel]:
        """Sample from the ``k`` most likely tokens (a ``ConfigurationError`` on hosts that
        reject ``top_k``)."""
        return self._top_k(k)  # type: ignore[no-any-return]

    def reasoning_effort(
        self: HostBuilder[CompatibleModel], effort: ReasoningEffort
    ) -> HostBuilder[CompatibleModel]:
        """Reasoning effort, for hosts and models that take ``reasoning_effort``."""
        return self._reasoning_effort(effort)  # type: ignore[no-any-return]


class DeepSeekBuilder(PresetBuilder[M]):
    """Builder for the DeepSeek API (:func:`typedllm.deepseek`): ``"deepseek-reasoner"`` is
    typed as a reasoning model without sampling options."""

    __slots__ = ()

    @overload
    def model(self, name: Literal["deepseek-reasoner"]) -> DeepSeekBuilder[ReasoningModel]: ...  # type: ignore[overload-overlap]
    @overload
    def model(self, name: str) -> DeepSeekBuilder[CompatibleModel]: ...
    def model(self, name: str) -> DeepSeekBuilder[Any]:
        """Choose the model: ``"deepseek-chat"``, ``"deepseek-reasoner"`` or a newer name."""
        return self._choose(name)  # type: ignore[no-any-return]

    def temperature(
        self: DeepSeekBuilder[CompatibleModel], value: float
    ) -> DeepSeekBuilder[CompatibleModel]:
        """Sampling temperature, 0 to 2 (a ``ConfigurationError`` for a reasoning family
        without sampling, such as ``deepseek-reasoner`` or ``openai/o1``)."""
        return self._temperature(value)  # type: ignore[no-any-return]

    def top_p(
        self: DeepSeekBuilder[CompatibleModel], value: float
    ) -> DeepSeekBuilder[CompatibleModel]:
        """Nucleus sampling probability mass, 0 to 1."""
        return self._top_p(value)  # type: ignore[no-any-return]

    def top_k(self: DeepSeekBuilder[CompatibleModel], k: int) -> DeepSeekBuilder[CompatibleModel]:
        """Sample from the ``k`` most likely tokens (a ``ConfigurationError`` on hosts that
        reject ``top_k``)."""
        return self._top_k(k)  # type: ignore[no-any-return]

    def reasoning_effort(
        self: DeepSeekBuilder[CompatibleModel], effort: ReasoningEffort
    ) -> DeepSeekBuilder[CompatibleModel]:
        """Reasoning effort, for hosts and models that take ``reasoning_effort``."""
        return self._reasoning_effort(effort)  # type: ignore[no-any-return]


DataCollection = Literal["allow", "deny"]
ProviderSort = Literal["price", "throughput", "latency"]


class OpenRouterBuilder(PresetBuilder[M]):
    """Builder for OpenRouter (:func:`typedllm.openrouter`), with its provider routing
    options (:meth:`provider_routing`)."""

    __slots__ = ()

    def model(self, name: str) -> OpenRouterBuilder[CompatibleModel]:
        """Choose the model by its OpenRouter slug (``"anthropic/claude-sonnet-4.5"``)."""
        return self._choose(name)  # type: ignore[no-any-return]

    def temperature(
        self: OpenRouterBuilder[CompatibleModel], value: float
    ) -> OpenRouterBuilder[CompatibleModel]:
        """Sampling temperature, 0 to 2 (a ``ConfigurationError`` for a reasoning family
        without sampling, such as ``deepseek-reasoner`` or ``openai/o1``)."""
        return self._temperature(value)  # type: ignore[no-any-return]

    def top_p(
        self: OpenRouterBuilder[CompatibleModel], value: float
    ) -> OpenRouterBuilder[CompatibleModel]:
        """Nucleus sampling probability mass, 0 to 1."""
        return self._top_p(value)  # type: ignore[no-any-return]

    def top_k(
        self: OpenRouterBuilder[CompatibleModel], k: int
    ) -> OpenRouterBuilder[CompatibleModel]:
        """Sample from the ``k`` most likely tokens (a ``ConfigurationError`` on hosts that
        reject ``top_k``)."""
        return self._top_k(k)  # type: ignore[no-any-return]

    def reasoning_effort(
        self: OpenRouterBuilder[CompatibleModel], effort: ReasoningEffort
    ) -> OpenRouterBuilder[CompatibleModel]:
        """Reasoning effort, for hosts and models that take ``reasoning_effort``."""
        return self._reasoning_effort(effort)  # type: ignore[no-any-return]

    def provider_routing(
        self,
        *,
        order: Sequence[str] | None = None,
        only: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        allow_fallbacks: bool | None = None,
        require_parameters: bool | None = None,
        data_collection: DataCollection | None = None,
        zdr: bool | None = None,
        sort: ProviderSort | None = None,
        quantizations: Sequence[str] | None = None,
        max_price: Mapping[str, float] | None = None,
    ) -> OpenRouterBuilder[M]:
        """How OpenRouter picks the provider that serves the model (the request's
        ``provider`` object, https://openrouter.ai/docs/features/provider-routing).

        ``require_parameters=True`` routes only to providers that support every parameter
        of the request: with a schema, only to those that enforce ``response_format``."""
        routing: dict[str, Any] = {}
        for key, names in (
            ("order", order),
            ("only", only),
            ("ignore", ignore),
            ("quantizations", quantizations),
        ):
            if names is not None:
                if isinstance(names, str) or not all(isinstance(n, str) and n for n in names):  # pyright: ignore[reportUnnecessaryIsInstance]
                    raise ConfigurationError(f"provider_routing {key} takes a list of names")
                routing[key] = list(names)
        for key, flag in (
            ("allow_fallbacks", allow_fallbacks),
            ("require_parameters", require_parameters),
            ("zdr", zdr),
        ):
            if flag is not None:
                if not isinstance(flag, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
                    raise ConfigurationError(f"provider_routing {key} takes True or False")
                routing[key] = flag
        if data_collection is not None:
            if data_collection not in ("allow", "deny"):
                raise ConfigurationError("data_collection takes 'allow' or 'deny'")
            routing["data_collection"] = data_collection
        if sort is not None:
            if sort not in ("price", "throughput", "latency"):
                raise ConfigurationError("sort takes 'price', 'throughput' or 'latency'")
            routing["sort"] = sort
        if max_price is not None:
            prices = dict(max_price)
            for key, value in prices.items():
                number = not isinstance(value, bool) and isinstance(value, (int, float))  # pyright: ignore[reportUnnecessaryIsInstance]
                if not number or not (math.isfinite(value) and value >= 0):
                    raise ConfigurationError(f"max_price[{key!r}] must be a non-negative number")
            routing["max_price"] = prices
        if not routing:
            raise ConfigurationError("provider_routing takes at least one option")
        return self._with_fields(_with_field(self._fields, "provider", routing))  # type: ignore[no-any-return]


def _env_url(name: str | None) -> str | None:
    if name is None:
        return None
    value = os.environ.get(name, "").strip()
    return value.rstrip("/") or None


def _hosted(name: str) -> HostBuilder[NoModel]:
    return HostBuilder(PRESETS[name])


def _local(name: str, base_url: str | None, api_key_env: str | None) -> HostBuilder[NoModel]:
    preset = PRESETS[name]
    if api_key_env is not None:
        if not isinstance(api_key_env, str) or not api_key_env:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("api_key_env must be the name of an environment variable")
        preset = replace(preset, key_env=(api_key_env,))
    builder: HostBuilder[NoModel] = HostBuilder(preset)
    return builder.base_url(base_url) if base_url is not None else builder


def groq() -> HostBuilder[NoModel]:
    """Groq (``GROQ_API_KEY``; ``https://api.groq.com/openai/v1``, or ``GROQ_BASE_URL``)."""
    return _hosted("groq")


def mistral() -> HostBuilder[NoModel]:
    """Mistral La Plateforme (``MISTRAL_API_KEY``; ``https://api.mistral.ai/v1``)."""
    return _hosted("mistral")


def deepseek() -> DeepSeekBuilder[NoModel]:
    """DeepSeek (``DEEPSEEK_API_KEY``; ``https://api.deepseek.com``).

    >>> import typedllm as tl
    >>> b = tl.deepseek().model("deepseek-chat").temperature(0)
    """
    return DeepSeekBuilder(PRESETS["deepseek"])


def openrouter(
    *, app_url: str | None = None, app_name: str | None = None
) -> OpenRouterBuilder[NoModel]:
    """OpenRouter (``OPENROUTER_API_KEY``; ``https://openrouter.ai/api/v1``).

    ``app_url`` and ``app_name`` attribute the usage to your app (the ``HTTP-Referer`` and
    ``X-Title`` headers of https://openrouter.ai/docs/app-attribution)."""
    builder: OpenRouterBuilder[NoModel] = OpenRouterBuilder(PRESETS["openrouter"])
    if app_url is not None:
        if not isinstance(app_url, str) or not app_url.startswith(("http://", "https://")):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"app_url must be an http(s) URL, got {app_url!r}")
        builder = builder.header("HTTP-Referer", app_url)
    if app_name is not None:
        if not isinstance(app_name, str) or not app_name:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("app_name must be a non-empty string")
        builder = builder.header("X-Title", app_name)
    return builder


def together() -> HostBuilder[NoModel]:
    """Together AI (``TOGETHER_API_KEY``; ``https://api.together.xyz/v1``)."""
    return _hosted("together")


def fireworks() -> HostBuilder[NoModel]:
    """Fireworks AI (``FIREWORKS_API_KEY``; ``https://api.fireworks.ai/inference/v1``)."""
    return _hosted("fireworks")


def xai() -> HostBuilder[NoModel]:
    """xAI Grok (``XAI_API_KEY``; ``https://api.x.ai/v1``)."""
    return _hosted("xai")


def cerebras() -> HostBuilder[NoModel]:
    """Cerebras (``CEREBRAS_API_KEY``; ``https://api.cerebras.ai/v1``)."""
    return _hosted("cerebras")


def perplexity() -> HostBuilder[NoModel]:
    """Perplexity Sonar (``PERPLEXITY_API_KEY`` or ``PPLX_API_KEY``;
    ``https://api.perplexity.ai``)."""
    return _hosted("perplexity")


def huggingface() -> HostBuilder[NoModel]:
    """The Hugging Face Inference Providers router (``HF_TOKEN``;
    ``https://router.huggingface.co/v1``)."""
    return _hosted("huggingface")


def gemini_openai() -> HostBuilder[NoModel]:
    """Gemini through its OpenAI-compatible endpoint (``GEMINI_API_KEY``;
    ``https://generativelanguage.googleapis.com/v1beta/openai``). For Gemini's own wire use
    :func:`typedllm.gemini`."""
    return _hosted("gemini_openai")


def vllm(base_url: str | None = None, *, api_key_env: str | None = None) -> HostBuilder[NoModel]:
    """A vLLM server (default ``http://127.0.0.1:8000/v1``; optional key from
    ``VLLM_API_KEY`` or ``api_key_env``)."""
    return _local("vllm", base_url, api_key_env)


def sglang(base_url: str | None = None, *, api_key_env: str | None = None) -> HostBuilder[NoModel]:
    """An SGLang server (default ``http://127.0.0.1:30000/v1``; optional key)."""
    return _local("sglang", base_url, api_key_env)


def llamacpp(
    base_url: str | None = None, *, api_key_env: str | None = None
) -> HostBuilder[NoModel]:
    """llama.cpp's C++ ``llama-server`` (default ``http://127.0.0.1:8080/v1``; optional key
    from ``LLAMA_API_KEY``)."""
    return _local("llamacpp", base_url, api_key_env)


def llama_cpp_python(
    base_url: str | None = None, *, api_key_env: str | None = None
) -> HostBuilder[NoModel]:
    """The llama-cpp-python server (``python -m llama_cpp.server``; default
    ``http://127.0.0.1:8000/v1``): schemas go as ``{"type": "json_object", "schema": ...}``
    and its HTTP 500 answers are not retried (it answers invalid requests with them)."""
    return _local("llama_cpp_python", base_url, api_key_env)


def lmstudio(
    base_url: str | None = None, *, api_key_env: str | None = None
) -> HostBuilder[NoModel]:
    """An LM Studio server (default ``http://127.0.0.1:1234/v1``; optional key)."""
    return _local("lmstudio", base_url, api_key_env)


def litellm(base_url: str | None = None, *, api_key_env: str | None = None) -> HostBuilder[NoModel]:
    """A LiteLLM proxy (default ``http://127.0.0.1:4000/v1``; optional key from
    ``LITELLM_API_KEY``)."""
    return _local("litellm", base_url, api_key_env)


_DASHSCOPE_URLS = {
    "cn": "https://dashscope.aliyuncs.com/compatible-mode/v1",
    "intl": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    "us": "https://dashscope-us.aliyuncs.com/compatible-mode/v1",
}


def dashscope(region: Literal["cn", "intl", "us"] = "cn") -> HostBuilder[NoModel]:
    """Alibaba Cloud Model Studio (DashScope) in OpenAI-compatible mode (``DASHSCOPE_API_KEY``,
    a key of the region's). ``region``: ``"cn"`` (Beijing), ``"intl"`` (Singapore) or
    ``"us"`` (Virginia). Thinking: ``.thinking(True)`` sends ``enable_thinking``."""
    url = _DASHSCOPE_URLS.get(region)
    if url is None:
        raise ConfigurationError(f"region must be one of {sorted(_DASHSCOPE_URLS)}, got {region!r}")
    return _hosted("dashscope").base_url(url)


def zhipu() -> HostBuilder[NoModel]:
    """Zhipu GLM on open.bigmodel.cn (``ZHIPUAI_API_KEY``). ``.thinking(False)`` turns GLM
    thinking off."""
    return _hosted("zhipu")


def zai() -> HostBuilder[NoModel]:
    """Z.ai GLM (``ZAI_API_KEY``; ``https://api.z.ai/api/paas/v4``)."""
    return _hosted("zai")


_MOONSHOT_URLS = {"cn": "https://api.moonshot.cn/v1", "global": "https://api.moonshot.ai/v1"}


def moonshot(region: Literal["cn", "global"] = "cn") -> HostBuilder[NoModel]:
    """Moonshot Kimi (``MOONSHOT_API_KEY``): ``region="cn"`` (api.moonshot.cn) or
    ``"global"`` (api.moonshot.ai)."""
    url = _MOONSHOT_URLS.get(region)
    if url is None:
        raise ConfigurationError(f"region must be one of {sorted(_MOONSHOT_URLS)}, got {region!r}")
    return _hosted("moonshot").base_url(url)


def hunyuan() -> HostBuilder[NoModel]:
    """Tencent Hunyuan's OpenAI-compatible endpoint (``HUNYUAN_API_KEY``)."""
    return _hosted("hunyuan")


def ark() -> HostBuilder[NoModel]:
    """Volcengine Ark, Doubao (``ARK_API_KEY``; ``https://ark.cn-beijing.volces.com/api/v3``).
    The model is a model id or an endpoint id (``ep-...``)."""
    return _hosted("ark")


def longcat() -> HostBuilder[NoModel]:
    """LongCat (``LONGCAT_API_KEY``; ``https://api.longcat.chat/openai/v1``)."""
    return _hosted("longcat")
