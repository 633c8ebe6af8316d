"""Type-state builder for Google Gemini (``generateContent``), on the Gemini API or Vertex AI.

``GeminiBuilder[M]``: ``M`` is ``NoModel``, ``ThinkingModel`` (2.5 family and newer:
``.thinking(budget_tokens=N)`` available) or ``StandardModel`` (2.0 and older: no thinking).
Gemini accepts sampling options together with thinking, so there is no sampling state.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, overload
from urllib.parse import urlsplit, urlunsplit

from typing_extensions import Never, TypeVar, deprecated

from .._catalog import (
    GEMINI_MODELS,
    GeminiModelName,
    GeminiStandardModelName,
    GeminiThinkingModelName,
)
from .._config import GeminiOptions
from .._errors import ConfigurationError
from .._gates import sampling_refused
from ..hosts import Auth, TokenAuth, api_key_header, bearer
from ..hosts._auth import TokenSource
from ..hosts._fresh import fresh_strings
from ..hosts._vertex import vertex_adc_auth, vertex_base_url, vertex_location
from ._base import BaseBuilder, BuilderSettings, catalog_model, check_settings
from ._states import ModelChosen, NoModel, StandardModel, ThinkingModel

if TYPE_CHECKING:
    from .._catalog._embedding_models import GeminiEmbeddingModelName
    from .._client import Client
    from ._embedding_endpoint import EmbeddingEndpoint
    from .embeddings import GeminiEmbeddingBuilder

__all__ = ["GEMINI_BASE_URL", "GeminiBuilder", "gemini"]

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta"

# The default makes a directly constructed builder start in NoModel.
M = TypeVar("M", covariant=True, default=NoModel)


class GeminiBuilder(BaseBuilder, Generic[M]):
    """Builder for Gemini models. Start with :func:`typedllm.gemini`.

    >>> import typedllm as tl
    >>> b = tl.gemini().model("gemini-2.5-flash").thinking(budget_tokens=1024)
    """

    __slots__ = ()

    # ``self`` pins the start state (see OpenAIBuilder.__init__).
    def __init__(self: GeminiBuilder[NoModel], settings: BuilderSettings | None = None) -> None:
        super().__init__(settings)

    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)
    @overload
    def model(self, name: GeminiThinkingModelName) -> GeminiBuilder[ThinkingModel]: ...
    @overload
    def model(self, name: GeminiStandardModelName) -> GeminiBuilder[StandardModel]: ...
    @overload
    @deprecated("a listed gemini model takes no like=: drop it (like= is for unlisted names)")
    def model(self, name: GeminiModelName, *, like: GeminiModelName) -> Never: ...
    @overload
    def model(
        self, name: str, *, like: GeminiThinkingModelName
    ) -> GeminiBuilder[ThinkingModel]: ...
    @overload
    def model(
        self, name: str, *, like: GeminiStandardModelName
    ) -> GeminiBuilder[StandardModel]: ...
    # END GENERATED: model overloads
    def model(self, name: str, *, like: str | None = None) -> GeminiBuilder[Any]:
        """Choose the model: a catalog name, or any name with ``like=<catalog name>``."""
        info = catalog_model(
            GEMINI_MODELS, "Gemini", "gemini-2.5-flash", name, like, self._settings
        )
        return GeminiBuilder(
            replace(self._settings, model=name, model_info=info, thinking_budget=None)
        )

    @overload
    def temperature(
        self: GeminiBuilder[ThinkingModel], value: float
    ) -> GeminiBuilder[ThinkingModel]: ...
    @overload
    def temperature(
        self: GeminiBuilder[StandardModel], value: float
    ) -> GeminiBuilder[StandardModel]: ...
    def temperature(self, value: float) -> Any:
        """Sampling temperature, 0 to 2 (allowed together with thinking; refused for a model
        whose catalog entry takes no temperature, such as ``gemini-3.5-flash-lite``)."""
        self._sampling("temperature")
        return self._with(temperature=self._check_temperature(value))

    @overload
    def top_p(self: GeminiBuilder[ThinkingModel], value: float) -> GeminiBuilder[ThinkingModel]: ...
    @overload
    def top_p(self: GeminiBuilder[StandardModel], value: float) -> GeminiBuilder[StandardModel]: ...
    def top_p(self, value: float) -> Any:
        """Nucleus sampling probability mass, 0 to 1."""
        self._sampling("top_p")
        return self._with(top_p=self._check_top_p(value))

    def _sampling(self, option: str) -> None:
        model, info = self._require_model(option)
        if not info.temperature:  # the type state allows it: thinking models mostly do
            raise sampling_refused(model, info, option)

    def thinking(
        self: GeminiBuilder[ThinkingModel], *, budget_tokens: int
    ) -> GeminiBuilder[ThinkingModel]:
        """Thinking budget in tokens (``thinkingConfig.thinkingBudget``; 0 turns thinking off
        where the model allows it, -1 lets the model decide). 2.5-family models only."""
        _name, info = self._require_model("thinking")
        if not info.thinking:
            raise ConfigurationError(f"{self._settings.model} does not support thinking")
        if isinstance(budget_tokens, bool) or not isinstance(budget_tokens, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("budget_tokens must be an int")
        low, high = info.thinking_budget or (0, 32768)
        if budget_tokens != -1 and not low <= budget_tokens <= high:
            raise ConfigurationError(
                f"{self._settings.model} takes a thinking budget between {low} and {high} "
                f"(or -1 for dynamic), got {budget_tokens}"
            )
        return self._with(thinking_budget=budget_tokens)

    def vertex(
        self, *, project: str | None = None, location: str | None = None
    ) -> GeminiBuilder[M]:
        """Call the model through Vertex AI instead of the Gemini API.

        ``project`` and ``location`` default to ``GOOGLE_CLOUD_PROJECT`` and
        ``GOOGLE_CLOUD_LOCATION`` (read now), the location to ``us-central1``; ``"global"``
        is served from ``aiplatform.googleapis.com`` (no region prefix). Requests carry an
        OAuth access token: from :meth:`token_provider` (or ``.auth(tl.hosts.TokenAuth(fn))``),
        from ``.api_key(<access token>)`` (sent as a bearer token, never refreshed), else from
        Application Default Credentials when ``google-auth`` is installed
        (``pip install 'typedllm[google]'``, see :func:`typedllm.hosts.google_adc`)."""
        project, location = vertex_location(project, location)
        return self._with(base_url=vertex_base_url(project, location, "google"), auth="vertex")

    def token_provider(self, source: TokenSource) -> GeminiBuilder[M]:
        """Authenticate with OAuth access tokens from ``source`` (for Vertex AI), a sync or
        async callable returning a token string (asked again for every request) or a
        :class:`typedllm.hosts.Token` with its expiry (cached, and fetched again before it
        expires). ``.auth(tl.hosts.TokenAuth(source))`` caches strings as well."""
        if not callable(source):
            raise ConfigurationError("token_provider takes a callable returning a token")
        return self._with(auth_step=TokenAuth(fresh_strings(source)))

    @overload
    def embedding_model(self, name: GeminiEmbeddingModelName) -> GeminiEmbeddingBuilder: ...
    @overload
    def embedding_model(
        self, name: str, *, like: GeminiEmbeddingModelName
    ) -> GeminiEmbeddingBuilder: ...
    def embedding_model(self, name: str, *, like: str | None = None) -> GeminiEmbeddingBuilder:
        """Switch to a Gemini API embedding model (``build()`` then returns a
        :class:`~typedllm.Embedder`); the connection settings made so far carry over."""
        from .embeddings import GeminiEmbeddingBuilder, embedding_spec

        return GeminiEmbeddingBuilder(self, embedding_spec("gemini", name, like, listed_only=True))

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        from ._embedding_endpoint import EmbeddingEndpoint

        s = self._settings
        if s.auth == "vertex":
            raise ConfigurationError(
                "embeddings on Vertex AI (the :predict endpoint) are not supported yet; use "
                "the Gemini API (tl.gemini() without .vertex())"
            )
        step = self._auth(
            ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
            lambda key: api_key_header("x-goog-api-key", key),
        )
        host = self._host("gemini", gemini_base_url(s.base_url))
        return EmbeddingEndpoint(
            "gemini", "gemini-embeddings", "gemini-generate-content", model, host, step
        )

    def build(self: GeminiBuilder[ModelChosen]) -> Client:
        """The client. On the Gemini API, the key comes from ``.api_key()``,
        ``GEMINI_API_KEY`` or ``GOOGLE_API_KEY``; on Vertex AI (:meth:`vertex`), the token from
        ``.token_provider()``/``.auth()``, ``.api_key()`` or Application Default
        Credentials."""
        model, info = self._require_model("build")
        s = self._settings
        check_settings(s, info)
        vertex = s.auth == "vertex"
        auth: Auth | None
        if vertex:
            # A Gemini API key is no OAuth token: on Vertex AI only an explicit credential is
            # used, else Application Default Credentials.
            if s.auth_step is not None:
                auth = s.auth_step
            elif s.api_key is not None:
                auth = bearer(s.api_key)
            else:
                auth = vertex_adc_auth("Gemini on Vertex AI")
        else:
            auth = self._auth(
                ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
                lambda key: api_key_header("x-goog-api-key", key),
            )
        return self._client(
            provider="gemini",
            wire="gemini-generate-content",
            model=model,
            info=info,
            host=self._host(
                "vertex" if vertex else "gemini",
                s.base_url if vertex and s.base_url else gemini_base_url(s.base_url),
            ),
            auth=auth,
            wire_options=GeminiOptions(thinking_budget=s.thinking_budget),
        )


_VERSION = re.compile(r"/v\d+(?:alpha|beta)?\d*$")


def gemini_base_url(url: str | None) -> str:
    """The Gemini API base URL with its version segment: ``.base_url()`` may be given with it
    (``https://generativelanguage.googleapis.com/v1beta``, ``.../v1``) or without it (the host
    alone, or a proxy's prefix), in which case ``/v1beta`` is added."""
    if url is None:
        return GEMINI_BASE_URL
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if _VERSION.search(path):
        return url
    return urlunsplit(parts._replace(path=f"{path}/v1beta"))


def gemini() -> GeminiBuilder[NoModel]:
    """Start configuring a Google Gemini client.

    >>> import typedllm as tl
    >>> builder = tl.gemini().model("gemini-2.5-flash").temperature(0.2)
    """
    return GeminiBuilder(BuilderSettings())
