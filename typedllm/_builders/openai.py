"""Type-state builders for OpenAI and OpenAI-compatible servers.

``OpenAIBuilder[M]`` carries the chosen model's capability family in ``M``:

* ``NoModel``: only common options; no ``build()``.
* ``ChatModel``: ``temperature()``/``top_p()``; no ``reasoning_effort()``.
* ``ReasoningModel[E]`` (in practice one of its generated subclasses, one per set of effort
  levels in the catalog, e.g. ``ReasoningLowMediumHigh`` for o3): ``reasoning_effort()`` with the
  levels ``E`` only; no ``temperature()``/``top_p()``.
* ``ModelChosen`` (the base of both families, what mypy joins a mixed list to): ``build()`` and
  the common options only.

``.model()`` is overloaded once per family (per effort set for reasoning models) on the
catalog's ``Literal`` of names (generated from ``_catalog/data/openai.json``), so a typo or
another provider's model is a type error. Unlisted names go through
``.model(name, like="<listed model>")``, which borrows that model's capabilities; a listed name
with ``like=`` is an error. Every gate is mirrored at run time with a ``ConfigurationError``,
and ``build()`` re-checks the settings, so a builder made with explicit type arguments or a
``cast`` cannot skip them.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, Literal, overload

from typing_extensions import Never, TypeVar, deprecated

from .._catalog import (
    OPENAI_MODELS,
    ModelInfo,
    OpenAIChatModelName,
    OpenAIModelName,
    OpenAIReasoningHighModelName,
    OpenAIReasoningLowMediumHighModelName,
    OpenAIReasoningLowMediumHighXhighMaxModelName,
    OpenAIReasoningMinimalLowMediumHighModelName,
    OpenAIReasoningNoneLowMediumHighModelName,
    OpenAIReasoningNoneLowMediumHighXhighMaxModelName,
    OpenAIReasoningNoneLowMediumHighXhighModelName,
)
from .._catalog._families import model_info_for
from .._config import (
    OpenAIChatOptions,
    OpenAIResponsesOptions,
    ReasoningSummary,
    StructuredOutputMode,
)
from .._errors import ConfigurationError
from ..hosts import bearer
from ._base import BaseBuilder, BuilderSettings, catalog_model, check_settings
from ._states import (
    ChatModel,
    CompatibleModel,
    ModelChosen,
    NoModel,
    ReasoningHigh,
    ReasoningLowMediumHigh,
    ReasoningLowMediumHighXhighMax,
    ReasoningMinimalLowMediumHigh,
    ReasoningNoneLowMediumHigh,
    ReasoningNoneLowMediumHighXhigh,
    ReasoningNoneLowMediumHighXhighMax,
)

if TYPE_CHECKING:
    from .._catalog._embedding_models import OpenAIEmbeddingModelName
    from .._client import Client
    from ._embedding_endpoint import EmbeddingEndpoint
    from .embeddings import EmbeddingBuilder

__all__ = [
    "OPENAI_BASE_URL",
    "OpenAIAPI",
    "OpenAIBuilder",
    "OpenAICompatibleBuilder",
    "ReasoningEffort",
    "openai",
    "openai_compatible",
]

OPENAI_BASE_URL = "https://api.openai.com/v1"

# The default makes a directly constructed builder (``OpenAIBuilder()``) start in NoModel.
M = TypeVar("M", covariant=True, default=NoModel)

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh"]
"""Every reasoning effort level; which ones a model accepts is in the catalog (its builder state
takes only those, and they are checked at run time)."""

_MODES: tuple[str, ...] = ("strict", "json_schema", "json_object", "prompt", "json_object_schema")

OpenAIAPI = Literal["chat", "responses"]
"""Which OpenAI API a client speaks: Chat Completions (``chat``, the default for models served
on it) or Responses (``responses``; models served only there use it automatically)."""

_APIS: tuple[str, ...] = ("chat", "responses")
_SUMMARIES: tuple[str, ...] = ("auto", "concise", "detailed")


def _mode_for(info: ModelInfo) -> StructuredOutputMode:
    if info.structured_output == "json_schema":
        return "strict"
    if info.structured_output == "json_object":
        return "json_object"
    return "prompt"


def _check_mode(mode: str) -> StructuredOutputMode:
    if mode not in _MODES:
        raise ConfigurationError(f"structured_output mode must be one of {_MODES}, got {mode!r}")
    return mode  # type: ignore[return-value]  # narrowed by the membership test above


def _check_effort(settings: BuilderSettings, effort: str) -> str:
    info = settings.model_info
    assert info is not None
    if effort not in info.reasoning_efforts:
        raise ConfigurationError(
            f"{settings.model} does not accept reasoning_effort={effort!r}; "
            f"it accepts {list(info.reasoning_efforts)}"
        )
    return effort


def _check_api(model: str | None, info: ModelInfo | None, api: str) -> None:
    """A model must be served on the API it is sent to (the catalog's ``apis``)."""
    if api not in _APIS:
        raise ConfigurationError(f"api must be one of {_APIS}, got {api!r}")
    if info is not None and api not in info.apis:
        names = {"chat": "Chat Completions", "responses": "Responses"}
        served = " and ".join(names[a] for a in info.apis if a in names) or "no chat"
        hint = " (it uses the Responses API by itself)" if api == "chat" else ""
        raise ConfigurationError(
            f"{model} is served on the {served} API only, not on {api!r}: drop .api({api!r}){hint}"
        )


def _api_for(settings: BuilderSettings, info: ModelInfo) -> str:
    """The API of the client: the one chosen with ``.api()``, else Chat Completions where the
    model is served on it, else Responses."""
    api = settings.api or ("chat" if "chat" in info.apis else "responses")
    _check_api(settings.model, info, api)
    if api == "chat":
        responses_only = [
            name
            for name, value in (
                ("store", settings.store),
                ("reasoning_summary", settings.reasoning_summary),
            )
            if value is not None
        ]
        if responses_only:
            raise ConfigurationError(
                f".{responses_only[0]}() is a Responses API option: add .api('responses')"
            )
    elif settings.seed is not None or settings.stop is not None:
        raise ConfigurationError(
            "the OpenAI Responses API takes no seed or stop sequences: drop .seed()/.stop() "
            "or use .api('chat')"
        )
    return api


class OpenAIBuilder(BaseBuilder, Generic[M]):
    """Builder for the OpenAI API: Chat Completions, or Responses with ``.api("responses")``
    (models served only on Responses, such as ``gpt-5-pro``, use it automatically). Start with
    :func:`typedllm.openai`.

    >>> import typedllm as tl
    >>> llm = tl.openai().model("gpt-4o-mini").temperature(0).api_key("sk-test").build()
    """

    __slots__ = ()

    # ``self`` pins the start state: ``OpenAIBuilder[ChatModel]()`` is an error under pyright
    # (mypy types it as ``OpenAIBuilder[NoModel]``, so its gates still apply).
    def __init__(self: OpenAIBuilder[NoModel], settings: BuilderSettings | None = None) -> None:
        super().__init__(settings)

    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)
    @overload
    def model(self, name: OpenAIChatModelName) -> OpenAIBuilder[ChatModel]: ...
    @overload
    def model(
        self, name: OpenAIReasoningLowMediumHighModelName
    ) -> OpenAIBuilder[ReasoningLowMediumHigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningMinimalLowMediumHighModelName
    ) -> OpenAIBuilder[ReasoningMinimalLowMediumHigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningNoneLowMediumHighModelName
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningNoneLowMediumHighXhighModelName
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningNoneLowMediumHighXhighMaxModelName
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhighMax]: ...
    @overload
    def model(
        self, name: OpenAIReasoningLowMediumHighXhighMaxModelName
    ) -> OpenAIBuilder[ReasoningLowMediumHighXhighMax]: ...
    @overload
    def model(self, name: OpenAIReasoningHighModelName) -> OpenAIBuilder[ReasoningHigh]: ...
    @overload
    @deprecated("a listed openai model takes no like=: drop it (like= is for unlisted names)")
    def model(self, name: OpenAIModelName, *, like: OpenAIModelName) -> Never: ...
    @overload
    def model(self, name: str, *, like: OpenAIChatModelName) -> OpenAIBuilder[ChatModel]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningLowMediumHighModelName
    ) -> OpenAIBuilder[ReasoningLowMediumHigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningMinimalLowMediumHighModelName
    ) -> OpenAIBuilder[ReasoningMinimalLowMediumHigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningNoneLowMediumHighModelName
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningNoneLowMediumHighXhighModelName
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningNoneLowMediumHighXhighMaxModelName
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhighMax]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningLowMediumHighXhighMaxModelName
    ) -> OpenAIBuilder[ReasoningLowMediumHighXhighMax]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningHighModelName
    ) -> OpenAIBuilder[ReasoningHigh]: ...
    # END GENERATED: model overloads
    def model(self, name: str, *, like: str | None = None) -> OpenAIBuilder[Any]:
        """Choose the model: a catalog name, or any name with ``like=<catalog name>``."""
        info = catalog_model(OPENAI_MODELS, "OpenAI", "gpt-4o-mini", name, like, self._settings)
        # A new model resets the options that depend on its family.
        return OpenAIBuilder(
            replace(
                self._settings,
                model=name,
                model_info=info,
                temperature=None,
                top_p=None,
                reasoning_effort=None,
                reasoning_summary=None,
            )
        )

    def api(self, name: OpenAIAPI) -> OpenAIBuilder[M]:
        """Which API to speak: ``"chat"`` (Chat Completions, the default where the model is
        served on it) or ``"responses"`` (the Responses API: ``instructions``, ``text.format``,
        reasoning summaries, ``store`` and ``previous_response_id``). A model the catalog lists
        on one API only cannot be sent to the other."""
        _check_api(self._settings.model, self._settings.model_info, name)
        return self._with(api=name)

    def store(self, enabled: bool) -> OpenAIBuilder[M]:
        """Whether OpenAI stores the responses (Responses API only; the API's default is to
        store them), which a later call continues with
        ``tl.CallOptions(previous_response_id=...)``. ``store(False)`` for zero data
        retention."""
        if not isinstance(enabled, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"store takes True or False, got {enabled!r}")
        return self._with(store=enabled)

    # BEGIN GENERATED: reasoning_summary overloads (scripts/generate_catalog.py)
    @overload
    def reasoning_summary(
        self: OpenAIBuilder[ReasoningLowMediumHigh], summary: ReasoningSummary
    ) -> OpenAIBuilder[ReasoningLowMediumHigh]: ...
    @overload
    def reasoning_summary(
        self: OpenAIBuilder[ReasoningMinimalLowMediumHigh], summary: ReasoningSummary
    ) -> OpenAIBuilder[ReasoningMinimalLowMediumHigh]: ...
    @overload
    def reasoning_summary(
        self: OpenAIBuilder[ReasoningNoneLowMediumHigh], summary: ReasoningSummary
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHigh]: ...
    @overload
    def reasoning_summary(
        self: OpenAIBuilder[ReasoningNoneLowMediumHighXhigh], summary: ReasoningSummary
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhigh]: ...
    @overload
    def reasoning_summary(
        self: OpenAIBuilder[ReasoningNoneLowMediumHighXhighMax], summary: ReasoningSummary
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhighMax]: ...
    @overload
    def reasoning_summary(
        self: OpenAIBuilder[ReasoningLowMediumHighXhighMax], summary: ReasoningSummary
    ) -> OpenAIBuilder[ReasoningLowMediumHighXhighMax]: ...
    @overload
    def reasoning_summary(
        self: OpenAIBuilder[ReasoningHigh], summary: ReasoningSummary
    ) -> OpenAIBuilder[ReasoningHigh]: ...
    # END GENERATED: reasoning_summary overloads
    def reasoning_summary(self, summary: Any) -> Any:
        """Ask for a summary of the model's reasoning (Responses API, reasoning models only):
        ``"auto"``, ``"concise"`` or ``"detailed"``; it comes back in
        :attr:`Completion.reasoning <typedllm.Completion.reasoning>`."""
        _model, info = self._require_model("reasoning_summary")
        if not info.reasoning:
            raise ConfigurationError(f"{self._settings.model} is not a reasoning model")
        if summary not in _SUMMARIES:
            raise ConfigurationError(
                f"reasoning_summary must be one of {_SUMMARIES}, got {summary!r}"
            )
        return self._with(reasoning_summary=summary)

    def temperature(self: OpenAIBuilder[ChatModel], value: float) -> OpenAIBuilder[ChatModel]:
        """Sampling temperature, 0 to 2 (chat models only: reasoning models reject it)."""
        _model, info = self._require_model("temperature")
        if not info.temperature:
            raise ConfigurationError(f"{self._settings.model} does not accept a temperature")
        return self._with(temperature=self._check_temperature(value))

    def top_p(self: OpenAIBuilder[ChatModel], value: float) -> OpenAIBuilder[ChatModel]:
        """Nucleus sampling probability mass, 0 to 1 (chat models only)."""
        _model, info = self._require_model("top_p")
        if not info.temperature:
            raise ConfigurationError(f"{self._settings.model} does not accept top_p")
        return self._with(top_p=self._check_top_p(value))

    # BEGIN GENERATED: reasoning_effort overloads (scripts/generate_catalog.py)
    @overload
    def reasoning_effort(
        self: OpenAIBuilder[ReasoningLowMediumHigh],
        effort: Literal["low", "medium", "high"],
    ) -> OpenAIBuilder[ReasoningLowMediumHigh]: ...
    @overload
    def reasoning_effort(
        self: OpenAIBuilder[ReasoningMinimalLowMediumHigh],
        effort: Literal["minimal", "low", "medium", "high"],
    ) -> OpenAIBuilder[ReasoningMinimalLowMediumHigh]: ...
    @overload
    def reasoning_effort(
        self: OpenAIBuilder[ReasoningNoneLowMediumHigh],
        effort: Literal["none", "low", "medium", "high"],
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHigh]: ...
    @overload
    def reasoning_effort(
        self: OpenAIBuilder[ReasoningNoneLowMediumHighXhigh],
        effort: Literal["none", "low", "medium", "high", "xhigh"],
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhigh]: ...
    @overload
    def reasoning_effort(
        self: OpenAIBuilder[ReasoningNoneLowMediumHighXhighMax],
        effort: Literal["none", "low", "medium", "high", "xhigh", "max"],
    ) -> OpenAIBuilder[ReasoningNoneLowMediumHighXhighMax]: ...
    @overload
    def reasoning_effort(
        self: OpenAIBuilder[ReasoningLowMediumHighXhighMax],
        effort: Literal["low", "medium", "high", "xhigh", "max"],
    ) -> OpenAIBuilder[ReasoningLowMediumHighXhighMax]: ...
    @overload
    def reasoning_effort(
        self: OpenAIBuilder[ReasoningHigh],
        effort: Literal["high"],
    ) -> OpenAIBuilder[ReasoningHigh]: ...
    # END GENERATED: reasoning_effort overloads
    def reasoning_effort(self, effort: Any) -> Any:
        """How much the reasoning model thinks before answering (reasoning models only; the
        levels the model accepts, e.g. ``"minimal"`` on gpt-5 but not on o3)."""
        _model, info = self._require_model("reasoning_effort")
        if not info.reasoning:
            raise ConfigurationError(f"{self._settings.model} is not a reasoning model")
        return self._with(reasoning_effort=_check_effort(self._settings, effort))

    def structured_output(self, mode: StructuredOutputMode) -> OpenAIBuilder[M]:
        """Override how schemas are requested (default: ``strict`` where the model supports
        Structured Outputs, else ``json_object``)."""
        return self._with(structured_output=_check_mode(mode))

    @overload
    def embedding_model(self, name: OpenAIEmbeddingModelName) -> EmbeddingBuilder: ...
    @overload
    def embedding_model(self, name: str, *, like: OpenAIEmbeddingModelName) -> EmbeddingBuilder: ...
    def embedding_model(self, name: str, *, like: str | None = None) -> EmbeddingBuilder:
        """Switch to an embedding model (``build()`` then returns a :class:`~typedllm.Embedder`);
        the connection settings made so far carry over. Unlisted names go through
        ``like="<listed model>"``."""
        from .embeddings import EmbeddingBuilder, embedding_spec

        return EmbeddingBuilder(self, embedding_spec("openai", name, like, listed_only=True))

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        from ._embedding_endpoint import EmbeddingEndpoint, env_url

        url = self._settings.base_url or env_url("OPENAI_BASE_URL") or OPENAI_BASE_URL
        step = self._auth(("OPENAI_API_KEY",), bearer)
        host = self._host("openai", url)
        return EmbeddingEndpoint("openai", "openai-embeddings", "openai-chat", model, host, step)

    def build(self: OpenAIBuilder[ModelChosen]) -> Client:
        """The client. The API key comes from ``.api_key()`` or ``OPENAI_API_KEY``; the base URL
        from ``.base_url()``, ``OPENAI_BASE_URL`` or ``https://api.openai.com/v1``; the API
        from ``.api()``, else the catalog (Chat Completions where the model is served on it)."""
        model, info = self._require_model("build")
        s = self._settings
        check_settings(s, info)
        auth = self._auth(("OPENAI_API_KEY",), bearer)
        mode = _check_mode(s.structured_output) if s.structured_output else _mode_for(info)
        base_url = s.base_url or _env_url("OPENAI_BASE_URL") or OPENAI_BASE_URL
        if s.reasoning_summary is not None and not info.reasoning:
            raise ConfigurationError(f"{model} is not a reasoning model (reasoning_summary)")
        if _api_for(s, info) == "responses":
            if mode == "json_object_schema":
                # llama-cpp-python's Chat Completions form: the Responses API's
                # text.format json_object takes no schema, so the schema would go nowhere.
                raise ConfigurationError(
                    "structured_output('json_object_schema') is llama-cpp-python's Chat "
                    "Completions form; the Responses API has no such format: use 'strict', "
                    "'json_schema', 'json_object' or 'prompt', or .api('chat')"
                )
            return self._client(
                provider="openai",
                wire="openai-responses",
                model=model,
                info=info,
                host=self._host("openai", base_url),
                auth=auth,
                wire_options=OpenAIResponsesOptions(
                    structured_output=mode,
                    reasoning_effort=s.reasoning_effort,
                    reasoning_summary=s.reasoning_summary,  # type: ignore[arg-type]  # checked
                    store=s.store,
                    developer_role=info.reasoning,
                ),
            )
        return self._client(
            provider="openai",
            wire="openai-chat",
            model=model,
            info=info,
            host=self._host("openai", base_url),
            auth=auth,
            wire_options=OpenAIChatOptions(
                structured_output=mode,
                max_tokens_field="max_completion_tokens",
                reasoning_effort=s.reasoning_effort,
                developer_role=info.reasoning,
            ),
        )


class OpenAICompatibleBuilder(BaseBuilder, Generic[M]):
    """Builder for OpenAI-compatible servers (vLLM, llama.cpp, LM Studio, LiteLLM, Groq, ...).

    Any model name is accepted; the API key is optional. Schemas are requested as non-strict
    ``json_schema`` by default; choose ``json_object`` or ``prompt`` for hosts without it.
    The model's family profile (by name: ``deepseek-reasoner``, ``gpt-oss``, ``qwen3`` ...)
    gates what it does not accept. For the hosts typedllm knows, the presets
    (``tl.groq()``, ``tl.vllm()`` ..., see ``docs/providers.md``) set all of this per host.
    """

    __slots__ = ("_key_env",)

    def __init__(
        self: OpenAICompatibleBuilder[NoModel],
        settings: BuilderSettings | None = None,
        key_env: str | None = None,
    ) -> None:
        super().__init__(settings)
        self._key_env = key_env

    def _with(self, **changes: Any) -> Any:
        # Any: __init__ pins NoModel for callers; copies keep whatever state they are in.
        cls: Any = type(self)
        return cls(replace(self._settings, **changes), self._key_env)

    def model(self, name: str) -> OpenAICompatibleBuilder[CompatibleModel]:
        """Choose the model by the name the server knows it by."""
        if not isinstance(name, str) or not name:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("model name must be a non-empty string")
        # The family profile of the name (deepseek-reasoner takes no temperature ...); an
        # unknown family gates nothing.
        info = model_info_for(name, "openai_compatible")
        return self._with(model=name, model_info=info)  # type: ignore[no-any-return]

    def temperature(
        self: OpenAICompatibleBuilder[CompatibleModel], value: float
    ) -> OpenAICompatibleBuilder[CompatibleModel]:
        """Sampling temperature (0 to 2; not on a reasoning family without sampling)."""
        _model, info = self._require_model("temperature")
        if not info.temperature:
            raise ConfigurationError(f"{self._settings.model} does not accept a temperature")
        return self._with(temperature=self._check_temperature(value))  # type: ignore[no-any-return]

    def top_p(
        self: OpenAICompatibleBuilder[CompatibleModel], value: float
    ) -> OpenAICompatibleBuilder[CompatibleModel]:
        """Nucleus sampling probability mass (0 to 1)."""
        _model, info = self._require_model("top_p")
        if not info.temperature:
            raise ConfigurationError(f"{self._settings.model} does not accept top_p")
        return self._with(top_p=self._check_top_p(value))  # type: ignore[no-any-return]

    def reasoning_effort(
        self: OpenAICompatibleBuilder[CompatibleModel], effort: ReasoningEffort
    ) -> OpenAICompatibleBuilder[CompatibleModel]:
        """Reasoning effort, for servers and models that accept ``reasoning_effort``."""
        self._require_model("reasoning_effort")
        return self._with(reasoning_effort=_check_effort(self._settings, effort))  # type: ignore[no-any-return]

    def structured_output(self, mode: StructuredOutputMode) -> OpenAICompatibleBuilder[M]:
        """How schemas are requested: ``strict``, ``json_schema`` (default), ``json_object`` or
        ``prompt`` (schema in the instructions only)."""
        return self._with(structured_output=_check_mode(mode))  # type: ignore[no-any-return]

    def embedding_model(self, name: str) -> EmbeddingBuilder:
        """Switch to an embedding model by the name the server knows it by (``build()`` then
        returns a :class:`~typedllm.Embedder`); the connection settings made so far carry
        over."""
        from .embeddings import EmbeddingBuilder, embedding_spec

        return EmbeddingBuilder(self, embedding_spec("openai_compatible", name))

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        from ._embedding_endpoint import EmbeddingEndpoint

        s = self._settings
        step = self._auth((self._key_env,) if self._key_env else (), bearer, required=False)
        assert s.base_url is not None
        host = self._host("openai_compatible", s.base_url)
        return EmbeddingEndpoint(
            "openai_compatible", "openai-embeddings", "openai-chat", model, host, step
        )

    def build(self: OpenAICompatibleBuilder[CompatibleModel]) -> Client:
        """The client. The key is optional (from ``.api_key()`` or ``api_key_env``)."""
        model, info = self._require_model("build")
        s = self._settings
        env = (self._key_env,) if self._key_env else ()
        auth = self._auth(env, bearer, required=False)
        check_settings(s, info)
        mode = _check_mode(s.structured_output) if s.structured_output else "json_schema"
        assert s.base_url is not None
        return self._client(
            provider="openai_compatible",
            wire="openai-chat",
            model=model,
            info=info,
            host=self._host("openai_compatible", s.base_url),
            auth=auth,
            wire_options=OpenAIChatOptions(
                structured_output=mode,
                max_tokens_field="max_tokens",
                reasoning_effort=s.reasoning_effort,
            ),
        )


check_mode = _check_mode
"""Check a structured-output mode name (shared with the host presets' builders)."""
check_effort = _check_effort
"""Check a reasoning effort against the chosen model (shared with the host presets)."""


def _env_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value.rstrip("/") or None


def openai() -> OpenAIBuilder[NoModel]:
    """Start configuring an OpenAI client.

    >>> import typedllm as tl
    >>> builder = tl.openai().model("o4-mini").reasoning_effort("high")
    """
    return OpenAIBuilder()


def openai_compatible(
    base_url: str, *, api_key_env: str | None = None
) -> OpenAICompatibleBuilder[NoModel]:
    """Start configuring a client for an OpenAI-compatible server at ``base_url``.

    ``api_key_env`` names an environment variable to read the (optional) key from.

    >>> import typedllm as tl
    >>> b = tl.openai_compatible(base_url="http://127.0.0.1:8000/v1").model("Qwen/Qwen2.5-7B")
    """
    builder: OpenAICompatibleBuilder[NoModel] = OpenAICompatibleBuilder(None, api_key_env)
    return builder.base_url(base_url)
