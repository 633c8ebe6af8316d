"""Type-state builder for Azure OpenAI (Chat Completions on an Azure OpenAI / Foundry resource).

``AzureOpenAIBuilder[M]`` has the states of :class:`~typedllm.OpenAIBuilder`: ``.model()``
takes the catalog's OpenAI model names (or any name with ``like=``) for the capabilities, so a
reasoning model has no ``.temperature()``. The model runs on a *deployment* of the resource
(``.deployment()``, by default the model's name).

Two URL forms (both documented by Microsoft):

* deployment URLs with a dated ``api-version`` (the default):
  ``{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=2024-10-21``
  (REST reference: https://learn.microsoft.com/azure/ai-services/openai/reference, whose
  table names ``2024-10-21`` the latest GA release of the data plane inference API);
* the v1 API (``.v1()``): ``{endpoint}/openai/v1/chat/completions``, the deployment name in
  the body's ``model``, no ``api-version`` (``preview`` may be given for preview features):
  https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle

Credentials: an API key in the ``api-key`` header (``.api_key()`` or ``AZURE_OPENAI_API_KEY``),
or Microsoft Entra ID bearer tokens from a token provider
(``.azure_ad_token_provider(fn)``), fetched through the auth step and refreshed before they
expire. Streaming uses the same path (``stream: true`` in the body).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Literal, overload

from typing_extensions import Never, TypeVar, deprecated

from .._catalog import (
    OPENAI_MODELS,
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
from .._config import OpenAIChatOptions, StructuredOutputMode
from .._errors import ConfigurationError
from ..hosts import Auth, Host, TokenAuth, api_key_header
from ..hosts._auth import TokenSource
from ..hosts._fresh import fresh_strings
from ._base import BaseBuilder, BuilderSettings, catalog_model, check_settings
from ._states import (
    ChatModel,
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
from .openai import _check_effort, _check_mode, _mode_for  # pyright: ignore[reportPrivateUsage]

if TYPE_CHECKING:
    from .._catalog._embedding_models import OpenAIEmbeddingModelName
    from .._client import Client
    from ._embedding_endpoint import EmbeddingEndpoint
    from .embeddings import EmbeddingBuilder

__all__ = ["AZURE_OPENAI_API_VERSION", "AzureOpenAIBuilder", "azure_openai"]

AZURE_OPENAI_API_VERSION = "2024-10-21"
_EMBEDDINGS_PATH = "/openai/deployments/{model}/embeddings"
"""The default ``api-version`` of deployment URLs: the latest GA release of the data plane
inference API in Microsoft's REST reference. Reasoning models (o1, o3 ...) need a newer
(preview) version or the v1 API: ``.api_version("2025-04-01-preview")`` or ``.v1()``."""

# The default makes a directly constructed builder start in NoModel.
M = TypeVar("M", covariant=True, default=NoModel)

# A deployment name becomes a path segment: letters, digits, '.', '_' and '-' only.
_DEPLOYMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DEPLOYMENT_PATH = "/openai/deployments/{model}/chat/completions"


@dataclass(frozen=True, slots=True)
class _Azure:
    """What only Azure needs: the deployment name and the URL form."""

    deployment: str | None = None
    v1: bool = False


def _check_deployment(name: str) -> str:
    if not isinstance(name, str) or not _DEPLOYMENT.fullmatch(name):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"not an Azure deployment name: {name!r} (letters, digits, '.', '_' and '-'; "
            "set it with .deployment(...))"
        )
    return name


def _endpoint(url: str) -> tuple[str, bool]:
    """The resource endpoint without a trailing ``/openai`` or ``/openai/v1`` (a copied base
    URL), and whether it named the v1 API."""
    url = url.rstrip("/")
    if url.endswith("/openai/v1"):
        return url.removesuffix("/openai/v1"), True
    return url.removesuffix("/openai"), False


class AzureOpenAIBuilder(BaseBuilder, Generic[M]):
    """Builder for Azure OpenAI. Start with :func:`typedllm.azure_openai`.

    >>> import typedllm as tl
    >>> b = (
    ...     tl.azure_openai()
    ...     .model("gpt-4o-mini")
    ...     .deployment("my-gpt4o-mini")
    ...     .endpoint("https://my-resource.openai.azure.com")
    ...     .temperature(0)
    ... )
    """

    __slots__ = ("_azure",)

    # ``self`` pins the start state (see OpenAIBuilder.__init__).
    def __init__(
        self: AzureOpenAIBuilder[NoModel],
        settings: BuilderSettings | None = None,
        azure: _Azure | None = None,
    ) -> None:
        super().__init__(settings)
        self._azure = azure or _Azure()

    def _with(self, **changes: Any) -> Any:
        # Any: __init__ pins NoModel for callers; copies keep whatever state they are in.
        cls: Any = type(self)
        return cls(replace(self._settings, **changes), self._azure)

    def _with_azure(self, **changes: Any) -> Any:
        cls: Any = type(self)
        return cls(self._settings, replace(self._azure, **changes))

    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)
    @overload
    def model(self, name: OpenAIChatModelName) -> AzureOpenAIBuilder[ChatModel]: ...
    @overload
    def model(
        self, name: OpenAIReasoningLowMediumHighModelName
    ) -> AzureOpenAIBuilder[ReasoningLowMediumHigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningMinimalLowMediumHighModelName
    ) -> AzureOpenAIBuilder[ReasoningMinimalLowMediumHigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningNoneLowMediumHighModelName
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningNoneLowMediumHighXhighModelName
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhigh]: ...
    @overload
    def model(
        self, name: OpenAIReasoningNoneLowMediumHighXhighMaxModelName
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhighMax]: ...
    @overload
    def model(
        self, name: OpenAIReasoningLowMediumHighXhighMaxModelName
    ) -> AzureOpenAIBuilder[ReasoningLowMediumHighXhighMax]: ...
    @overload
    def model(self, name: OpenAIReasoningHighModelName) -> AzureOpenAIBuilder[ReasoningHigh]: ...
    @overload
    @deprecated("a listed openai model takes no like=: drop it (like= is for unlisted names)")
    def model(self, name: OpenAIModelName, *, like: OpenAIModelName) -> Never: ...
    @overload
    def model(self, name: str, *, like: OpenAIChatModelName) -> AzureOpenAIBuilder[ChatModel]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningLowMediumHighModelName
    ) -> AzureOpenAIBuilder[ReasoningLowMediumHigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningMinimalLowMediumHighModelName
    ) -> AzureOpenAIBuilder[ReasoningMinimalLowMediumHigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningNoneLowMediumHighModelName
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningNoneLowMediumHighXhighModelName
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhigh]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningNoneLowMediumHighXhighMaxModelName
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhighMax]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningLowMediumHighXhighMaxModelName
    ) -> AzureOpenAIBuilder[ReasoningLowMediumHighXhighMax]: ...
    @overload
    def model(
        self, name: str, *, like: OpenAIReasoningHighModelName
    ) -> AzureOpenAIBuilder[ReasoningHigh]: ...
    # END GENERATED: model overloads
    def model(self, name: str, *, like: str | None = None) -> AzureOpenAIBuilder[Any]:
        """Choose the model (for its capabilities): a catalog name, or any name with
        ``like=<catalog name>``. The deployment defaults to this name."""
        info = catalog_model(OPENAI_MODELS, "OpenAI", "gpt-4o-mini", name, like, self._settings)
        settings = replace(
            self._settings,
            model=name,
            model_info=info,
            temperature=None,
            top_p=None,
            reasoning_effort=None,
        )
        return AzureOpenAIBuilder(settings, self._azure)

    def temperature(
        self: AzureOpenAIBuilder[ChatModel], value: float
    ) -> AzureOpenAIBuilder[ChatModel]:
        """Sampling temperature, 0 to 2 (chat models only: reasoning models reject it)."""
        _model, info = self._require_model("temperature")
        if not info.temperature:
            raise ConfigurationError(f"{self._settings.model} does not accept a temperature")
        return self._with(temperature=self._check_temperature(value))  # type: ignore[no-any-return]

    def top_p(self: AzureOpenAIBuilder[ChatModel], value: float) -> AzureOpenAIBuilder[ChatModel]:
        """Nucleus sampling probability mass, 0 to 1 (chat models only)."""
        _model, info = self._require_model("top_p")
        if not info.temperature:
            raise ConfigurationError(f"{self._settings.model} does not accept top_p")
        return self._with(top_p=self._check_top_p(value))  # type: ignore[no-any-return]

    # BEGIN GENERATED: reasoning_effort overloads (scripts/generate_catalog.py)
    @overload
    def reasoning_effort(
        self: AzureOpenAIBuilder[ReasoningLowMediumHigh],
        effort: Literal["low", "medium", "high"],
    ) -> AzureOpenAIBuilder[ReasoningLowMediumHigh]: ...
    @overload
    def reasoning_effort(
        self: AzureOpenAIBuilder[ReasoningMinimalLowMediumHigh],
        effort: Literal["minimal", "low", "medium", "high"],
    ) -> AzureOpenAIBuilder[ReasoningMinimalLowMediumHigh]: ...
    @overload
    def reasoning_effort(
        self: AzureOpenAIBuilder[ReasoningNoneLowMediumHigh],
        effort: Literal["none", "low", "medium", "high"],
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHigh]: ...
    @overload
    def reasoning_effort(
        self: AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhigh],
        effort: Literal["none", "low", "medium", "high", "xhigh"],
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhigh]: ...
    @overload
    def reasoning_effort(
        self: AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhighMax],
        effort: Literal["none", "low", "medium", "high", "xhigh", "max"],
    ) -> AzureOpenAIBuilder[ReasoningNoneLowMediumHighXhighMax]: ...
    @overload
    def reasoning_effort(
        self: AzureOpenAIBuilder[ReasoningLowMediumHighXhighMax],
        effort: Literal["low", "medium", "high", "xhigh", "max"],
    ) -> AzureOpenAIBuilder[ReasoningLowMediumHighXhighMax]: ...
    @overload
    def reasoning_effort(
        self: AzureOpenAIBuilder[ReasoningHigh],
        effort: Literal["high"],
    ) -> AzureOpenAIBuilder[ReasoningHigh]: ...
    # END GENERATED: reasoning_effort overloads
    def reasoning_effort(self, effort: Any) -> Any:
        """How much the reasoning model thinks before answering (reasoning models only; the
        levels the model accepts)."""
        _model, info = self._require_model("reasoning_effort")
        if not info.reasoning:
            raise ConfigurationError(f"{self._settings.model} is not a reasoning model")
        return self._with(reasoning_effort=_check_effort(self._settings, effort))

    def structured_output(self, mode: StructuredOutputMode) -> AzureOpenAIBuilder[M]:
        """Override how schemas are requested (default: ``strict`` where the model supports
        Structured Outputs, else ``json_object``)."""
        return self._with(structured_output=_check_mode(mode))  # type: ignore[no-any-return]

    def deployment(self, name: str) -> AzureOpenAIBuilder[M]:
        """The deployment of the model on the resource (default: the model's name)."""
        return self._with_azure(deployment=_check_deployment(name))  # type: ignore[no-any-return]

    def endpoint(self, url: str) -> AzureOpenAIBuilder[M]:
        """The resource endpoint, ``https://<resource>.openai.azure.com`` (default:
        ``AZURE_OPENAI_ENDPOINT``). An endpoint ending in ``/openai/v1`` selects the v1 API."""
        return self.base_url(url)

    def api_version(self, version: str) -> AzureOpenAIBuilder[M]:
        """The ``api-version`` query parameter (default: ``OPENAI_API_VERSION``, else
        ``2024-10-21``, the latest GA release). With :meth:`v1`, only a version given here is
        sent (e.g. ``"preview"``)."""
        if not isinstance(version, str) or not re.fullmatch(r"[A-Za-z0-9.-]+", version):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"not an api-version: {version!r} (e.g. '2024-10-21')")
        return self._with(api_version=version)  # type: ignore[no-any-return]

    def v1(self) -> AzureOpenAIBuilder[M]:
        """Use the v1 API (``{endpoint}/openai/v1/chat/completions``, the deployment name in
        the body, no dated ``api-version``)."""
        return self._with_azure(v1=True)  # type: ignore[no-any-return]

    def azure_ad_token_provider(self, provider: TokenSource) -> AzureOpenAIBuilder[M]:
        """Authenticate with Microsoft Entra ID: ``provider`` is a sync or async callable
        returning an access token: a string (the provider is called for every request, as
        the OpenAI SDK does) or a :class:`typedllm.hosts.Token` with its expiry (cached, and
        fetched again before it expires), e.g. azure-identity's
        ``get_bearer_token_provider(DefaultAzureCredential(),
        "https://cognitiveservices.azure.com/.default")``. Sent as ``Authorization: Bearer``."""
        if not callable(provider):
            raise ConfigurationError("azure_ad_token_provider takes a callable returning a token")
        # A bare string is asked for again on every request (the provider caches it, as
        # azure-identity's does); a Token is kept until shortly before its expiry.
        return self._with(auth_step=TokenAuth(fresh_strings(provider)))  # type: ignore[no-any-return]

    def _credentials(self) -> Auth:
        s = self._settings
        if s.auth_step is not None:
            if s.api_key is not None:
                raise ConfigurationError(
                    "give Azure OpenAI an API key or a token provider (or auth step), not both"
                )
            return s.auth_step
        key = self._resolve_key(("AZURE_OPENAI_API_KEY",), required=False)
        if key is None:
            raise ConfigurationError(
                "no Azure OpenAI credentials: set AZURE_OPENAI_API_KEY, call .api_key(...), or "
                "use Microsoft Entra ID with .azure_ad_token_provider(...)"
            )
        return api_key_header("api-key", key)

    @overload
    def embedding_model(self, name: OpenAIEmbeddingModelName) -> EmbeddingBuilder: ...
    @overload
    def embedding_model(self, name: str, *, like: OpenAIEmbeddingModelName) -> EmbeddingBuilder: ...
    def embedding_model(self, name: str, *, like: str | None = None) -> EmbeddingBuilder:
        """Switch to an embedding model, served by the deployment of that name or the one
        :meth:`deployment` names (``build()`` then returns an :class:`~typedllm.Embedder`);
        the connection settings made so far carry over. Unlisted names go through
        ``like="<listed model>"``."""
        from .embeddings import EmbeddingBuilder, embedding_spec

        return EmbeddingBuilder(self, embedding_spec("openai", name, like, listed_only=True))

    def _placed(self, model: str, operation: str, path: str) -> tuple[Host, str, bool]:
        """The host of ``operation`` (its deployment ``path`` with ``api-version``, or the
        v1 API), the deployment's name, and whether it is the v1 API."""
        s = self._settings
        raw_endpoint = s.base_url or os.environ.get("AZURE_OPENAI_ENDPOINT", "").strip()
        if not raw_endpoint:
            raise ConfigurationError(
                "no Azure OpenAI endpoint: call .endpoint('https://<resource>.openai.azure.com') "
                "or set AZURE_OPENAI_ENDPOINT"
            )
        if not raw_endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"AZURE_OPENAI_ENDPOINT must be an http(s) URL, got {raw_endpoint!r}"
            )
        endpoint, v1_url = _endpoint(raw_endpoint)
        v1 = self._azure.v1 or v1_url
        deployment = _check_deployment(self._azure.deployment or model)
        if v1:
            version = s.api_version
            host = self._host(
                "azure_openai",
                endpoint + "/openai/v1",
                query=(("api-version", version),) if version else (),
            )
        else:
            version = (
                s.api_version
                or os.environ.get("OPENAI_API_VERSION", "").strip()
                or AZURE_OPENAI_API_VERSION
            )
            host = self._host(
                "azure_openai",
                endpoint,
                query=(("api-version", version),),
                paths=((operation, path),),
            )
        return host, deployment, v1

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        """The deployment's embeddings path (with ``api-version``), or the v1 API
        (https://learn.microsoft.com/azure/ai-foundry/openai/reference#embeddings)."""
        from ._embedding_endpoint import EmbeddingEndpoint

        host, deployment, v1 = self._placed(model, "embeddings", _EMBEDDINGS_PATH)
        wire = "openai-embeddings" if v1 else "azure-embeddings"
        auth: Auth = self._credentials()
        return EmbeddingEndpoint("azure_openai", wire, "azure-openai-chat", deployment, host, auth)

    def build(self: AzureOpenAIBuilder[ModelChosen]) -> Client:
        """The client. The endpoint comes from ``.endpoint()`` or ``AZURE_OPENAI_ENDPOINT``;
        the key from ``.api_key()`` or ``AZURE_OPENAI_API_KEY`` unless a token provider is
        given; the ``api-version`` from ``.api_version()``, ``OPENAI_API_VERSION`` or
        ``2024-10-21``."""
        model, info = self._require_model("build")
        s = self._settings
        check_settings(s, info)
        host, deployment, v1 = self._placed(model, "chat", _DEPLOYMENT_PATH)
        auth = self._credentials()
        mode = _check_mode(s.structured_output) if s.structured_output else _mode_for(info)
        return self._client(
            provider="azure_openai",
            wire="azure-openai-chat",
            # The deployment is what Azure knows the model by: the path of deployment URLs
            # and the body's ``model`` of the v1 API.
            model=deployment,
            info=info,
            host=host,
            auth=auth,
            wire_options=OpenAIChatOptions(
                structured_output=mode,
                # The GA 2024-10-21 spec has only ``max_tokens``; reasoning models (which
                # need a newer version) and the v1 API take ``max_completion_tokens``.
                max_tokens_field=(
                    "max_completion_tokens" if v1 or info.reasoning else "max_tokens"
                ),
                reasoning_effort=s.reasoning_effort,
                # ``system`` messages: reasoning deployments take them as developer messages
                # on the versions that take either; older versions reject ``developer``.
                developer_role=False,
            ),
        )


def azure_openai() -> AzureOpenAIBuilder[NoModel]:
    """Start configuring an Azure OpenAI client.

    >>> import typedllm as tl
    >>> builder = tl.azure_openai().model("o4-mini").deployment("o4-mini-prod").v1()
    """
    return AzureOpenAIBuilder()
