"""Type-state builder for Cohere's v2 chat API (``POST https://api.cohere.com/v2/chat``).

``CohereBuilder[M]``: ``M`` is ``NoModel``, ``ThinkingModel`` (Command A Reasoning: hybrid
reasoning, on by default; ``.thinking(budget_tokens=N)`` and ``.no_thinking()`` available) or
``StandardModel`` (no thinking). Cohere documents no rule against sampling options together
with thinking, so there is no sampling state. ``.model()`` is generated from
``_catalog/data/cohere.json``.

The key comes from ``.api_key()``, ``CO_API_KEY`` (the variable Cohere's SDKs read) or
``COHERE_API_KEY``, sent as a bearer token (https://docs.cohere.com/reference/chat); the base URL
from ``.base_url()``, ``CO_API_URL`` (the Cohere SDKs' override) or ``https://api.cohere.com``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, overload

from typing_extensions import Never, TypeVar, deprecated

from .._catalog import (
    COHERE_MODELS,
    CohereModelName,
    CohereStandardModelName,
    CohereThinkingModelName,
)
from .._config import CohereOptions
from .._errors import ConfigurationError
from ..hosts import bearer
from ._base import BaseBuilder, BuilderSettings, catalog_model, check_settings
from ._states import ModelChosen, NoModel, StandardModel, ThinkingModel

if TYPE_CHECKING:
    from .._catalog._embedding_models import CohereEmbeddingModelName
    from .._client import Client
    from ._embedding_endpoint import EmbeddingEndpoint
    from .embeddings import CohereEmbeddingBuilder

__all__ = ["COHERE_BASE_URL", "CohereBuilder", "cohere"]

COHERE_BASE_URL = "https://api.cohere.com"
# The settings' thinking_budget: None (the model's default), a positive budget, or these.
_THINKING_OFF = 0
_THINKING_UNBOUNDED = -1

# The default makes a directly constructed builder start in NoModel.
M = TypeVar("M", covariant=True, default=NoModel)


def _base_url(url: str | None) -> str:
    """The host without the API version: ``.base_url()`` and ``CO_API_URL`` may be given with
    a trailing ``/v2`` (or ``/v1``, as the v1 SDK took it); the codec adds ``/v2/chat``."""
    chosen = url or os.environ.get("CO_API_URL", "").strip().rstrip("/") or COHERE_BASE_URL
    for suffix in ("/v2", "/v1"):
        if chosen.endswith(suffix):
            return chosen[: -len(suffix)]
    return chosen


class CohereBuilder(BaseBuilder, Generic[M]):
    """Builder for Cohere Command models. Start with :func:`typedllm.cohere`.

    >>> import typedllm as tl
    >>> b = tl.cohere().model("command-a-reasoning-08-2025").thinking(budget_tokens=4096)
    """

    __slots__ = ()

    # ``self`` pins the start state (see OpenAIBuilder.__init__).
    def __init__(self: CohereBuilder[NoModel], settings: BuilderSettings | None = None) -> None:
        super().__init__(settings)

    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)
    @overload
    def model(self, name: CohereThinkingModelName) -> CohereBuilder[ThinkingModel]: ...
    @overload
    def model(self, name: CohereStandardModelName) -> CohereBuilder[StandardModel]: ...
    @overload
    @deprecated("a listed cohere model takes no like=: drop it (like= is for unlisted names)")
    def model(self, name: CohereModelName, *, like: CohereModelName) -> Never: ...
    @overload
    def model(
        self, name: str, *, like: CohereThinkingModelName
    ) -> CohereBuilder[ThinkingModel]: ...
    @overload
    def model(
        self, name: str, *, like: CohereStandardModelName
    ) -> CohereBuilder[StandardModel]: ...
    # END GENERATED: model overloads
    def model(self, name: str, *, like: str | None = None) -> CohereBuilder[Any]:
        """Choose the model: a catalog name, or any name with ``like=<catalog name>``."""
        info = catalog_model(
            COHERE_MODELS, "Cohere", "command-a-03-2025", name, like, self._settings
        )
        return CohereBuilder(
            replace(self._settings, model=name, model_info=info, thinking_budget=None)
        )

    @overload
    def temperature(
        self: CohereBuilder[ThinkingModel], value: float
    ) -> CohereBuilder[ThinkingModel]: ...
    @overload
    def temperature(
        self: CohereBuilder[StandardModel], value: float
    ) -> CohereBuilder[StandardModel]: ...
    def temperature(self, value: float) -> Any:
        """Sampling temperature, 0 to 1 (Cohere's range; its default is 0.3)."""
        self._require_model("temperature")
        return self._with(temperature=self._check_temperature(value, upper=1.0))

    @overload
    def top_p(self: CohereBuilder[ThinkingModel], value: float) -> CohereBuilder[ThinkingModel]: ...
    @overload
    def top_p(self: CohereBuilder[StandardModel], value: float) -> CohereBuilder[StandardModel]: ...
    def top_p(self, value: float) -> Any:
        """Nucleus sampling probability mass (Cohere ``p``), 0.01 to 0.99."""
        self._require_model("top_p")
        checked = self._check_top_p(value)
        if not 0.01 <= checked <= 0.99:
            raise ConfigurationError(f"Cohere takes p between 0.01 and 0.99, got {value!r}")
        return self._with(top_p=checked)

    @overload
    def top_k(self: CohereBuilder[ThinkingModel], value: int) -> CohereBuilder[ThinkingModel]: ...
    @overload
    def top_k(self: CohereBuilder[StandardModel], value: int) -> CohereBuilder[StandardModel]: ...
    def top_k(self, value: int) -> Any:
        """Sample only from the top K tokens (Cohere ``k``), 0 to 500 (0 turns it off: no
        ``k`` is sent, which is Cohere's default of 0)."""
        self._require_model("top_k")
        # https://docs.cohere.com/v2/reference/chat: k "Defaults to 0, min value of 0, max
        # value of 500"; "When k is set to 0, k-sampling is disabled".
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 500:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"Cohere takes k between 0 and 500, got {value!r}")
        return self._with(top_k=value or None)  # 0 is the API's own default: k-sampling off

    def thinking(
        self: CohereBuilder[ThinkingModel], *, budget_tokens: int | None = None
    ) -> CohereBuilder[ThinkingModel]:
        """Turn reasoning on (``thinking: {"type": "enabled"}``), with at most
        ``budget_tokens`` thinking tokens when given. Reasoning models think by default;
        Cohere recommends leaving at least 1,000 tokens of ``max_tokens`` for the answer."""
        _name, info = self._require_model("thinking")
        if not info.thinking:
            raise ConfigurationError(f"{self._settings.model} does not support thinking")
        if budget_tokens is not None and (
            isinstance(budget_tokens, bool)
            or not isinstance(budget_tokens, int)  # pyright: ignore[reportUnnecessaryIsInstance]
            or budget_tokens < 1
        ):
            raise ConfigurationError(f"budget_tokens must be a positive int, got {budget_tokens!r}")
        chosen = _THINKING_UNBOUNDED if budget_tokens is None else budget_tokens
        return self._with(thinking_budget=chosen)

    def no_thinking(self: CohereBuilder[ThinkingModel]) -> CohereBuilder[ThinkingModel]:
        """Turn reasoning off (``thinking: {"type": "disabled"}``): the model answers at once."""
        _name, info = self._require_model("no_thinking")
        if not info.thinking:
            raise ConfigurationError(f"{self._settings.model} does not support thinking")
        return self._with(thinking_budget=_THINKING_OFF)

    @overload
    def embedding_model(self, name: CohereEmbeddingModelName) -> CohereEmbeddingBuilder: ...
    @overload
    def embedding_model(
        self, name: str, *, like: CohereEmbeddingModelName
    ) -> CohereEmbeddingBuilder: ...
    def embedding_model(self, name: str, *, like: str | None = None) -> CohereEmbeddingBuilder:
        """Switch to a Cohere embedding model (``build()`` then returns a
        :class:`~typedllm.Embedder`); the connection settings made so far carry over."""
        from .embeddings import CohereEmbeddingBuilder, embedding_spec

        return CohereEmbeddingBuilder(self, embedding_spec("cohere", name, like, listed_only=True))

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        from ._embedding_endpoint import EmbeddingEndpoint

        step = self._auth(("CO_API_KEY", "COHERE_API_KEY"), bearer)
        host = self._host("cohere", _base_url(self._settings.base_url))
        return EmbeddingEndpoint("cohere", "cohere-embeddings", "cohere-chat", model, host, step)

    def build(self: CohereBuilder[ModelChosen]) -> Client:
        """The client. The key comes from ``.api_key()``, ``CO_API_KEY`` or ``COHERE_API_KEY``;
        the base URL from ``.base_url()``, ``CO_API_URL`` or ``https://api.cohere.com``."""
        model, info = self._require_model("build")
        s = self._settings
        check_settings(s, info)
        chosen = s.thinking_budget
        budget = chosen if chosen is not None and chosen > 0 else None
        if budget is not None and s.max_tokens is not None and s.max_tokens <= budget:
            raise ConfigurationError(
                f"max_tokens ({s.max_tokens}) must be greater than the thinking budget ({budget})"
            )
        auth = self._auth(("CO_API_KEY", "COHERE_API_KEY"), bearer)
        return self._client(
            provider="cohere",
            wire="cohere-chat",
            model=model,
            info=info,
            host=self._host("cohere", _base_url(s.base_url)),
            auth=auth,
            wire_options=CohereOptions(
                thinking=None
                if chosen is None
                else "disabled"
                if chosen == _THINKING_OFF
                else "enabled",
                thinking_budget=budget,
            ),
        )


def cohere() -> CohereBuilder[NoModel]:
    """Start configuring a Cohere client (v2 chat).

    >>> import typedllm as tl
    >>> builder = tl.cohere().model("command-a-03-2025").temperature(0.2)
    """
    return CohereBuilder(BuilderSettings())
