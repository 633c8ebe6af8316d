"""Type-state builder for Anthropic's Messages API.

``AnthropicBuilder[M, S]``: ``M`` is the model family (``NoModel``, ``ThinkingModel``,
``StandardModel``), ``S`` the sampling state (``Neutral``, ``TemperatureSet``, ``ThinkingOn``).

* ``.thinking(budget_tokens=N)`` exists only on ``ThinkingModel`` builders whose state is not
  ``TemperatureSet``; it moves to ``ThinkingOn``.
* ``.temperature()``/``.top_p()``/``.top_k()`` exist only once a model is chosen and thinking is
  not on; they move to ``TemperatureSet``. The API rejects the two together, so either order is a
  type error (and a ``ConfigurationError`` at run time).
* ``.model()`` is generated from ``_catalog/data/anthropic.json`` (one overload per family and
  a ``like=`` overload per family) and resets the sampling state.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, overload

from typing_extensions import Never, TypeVar, deprecated

from .._catalog import (
    ANTHROPIC_MODELS,
    AnthropicModelName,
    AnthropicStandardModelName,
    AnthropicThinkingModelName,
)
from .._config import AnthropicOptions
from .._errors import ConfigurationError
from ..hosts import api_key_header
from ._base import (
    ALWAYS_ADAPTIVE,
    ALWAYS_ADAPTIVE_MESSAGE,
    BaseBuilder,
    BuilderSettings,
    catalog_model,
    check_settings,
)
from ._states import (
    ModelChosen,
    Neutral,
    NoModel,
    StandardModel,
    TemperatureSet,
    ThinkingModel,
    ThinkingOn,
)

if TYPE_CHECKING:
    from .._client import Client

__all__ = ["ANTHROPIC_BASE_URL", "ANTHROPIC_VERSION", "AnthropicBuilder", "anthropic"]

ANTHROPIC_BASE_URL = "https://api.anthropic.com"
ANTHROPIC_VERSION = "2023-06-01"
MIN_THINKING_BUDGET = 1024

# Defaults make a directly constructed builder start in the initial state.
M = TypeVar("M", covariant=True, default=NoModel)
S = TypeVar("S", covariant=True, default=Neutral)


class AnthropicBuilder(BaseBuilder, Generic[M, S]):
    """Builder for Claude models. Start with :func:`typedllm.anthropic`.

    >>> import typedllm as tl
    >>> b = tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=2048).max_tokens(4096)
    """

    __slots__ = ()

    # ``self`` pins the start state (see OpenAIBuilder.__init__).
    def __init__(
        self: AnthropicBuilder[NoModel, Neutral], settings: BuilderSettings | None = None
    ) -> None:
        super().__init__(settings)

    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)
    @overload
    def model(
        self, name: AnthropicThinkingModelName
    ) -> AnthropicBuilder[ThinkingModel, Neutral]: ...
    @overload
    def model(
        self, name: AnthropicStandardModelName
    ) -> AnthropicBuilder[StandardModel, Neutral]: ...
    @overload
    @deprecated("a listed anthropic model takes no like=: drop it (like= is for unlisted names)")
    def model(self, name: AnthropicModelName, *, like: AnthropicModelName) -> Never: ...
    @overload
    def model(
        self, name: str, *, like: AnthropicThinkingModelName
    ) -> AnthropicBuilder[ThinkingModel, Neutral]: ...
    @overload
    def model(
        self, name: str, *, like: AnthropicStandardModelName
    ) -> AnthropicBuilder[StandardModel, Neutral]: ...
    # END GENERATED: model overloads
    def model(self, name: str, *, like: str | None = None) -> AnthropicBuilder[Any, Neutral]:
        """Choose the model: a catalog name, or any name with ``like=<catalog name>``."""
        info = catalog_model(
            ANTHROPIC_MODELS, "Anthropic", "claude-sonnet-4-5", name, like, self._settings
        )
        return AnthropicBuilder(
            replace(
                self._settings,
                model=name,
                model_info=info,
                temperature=None,
                top_p=None,
                top_k=None,
                thinking_budget=None,
            )
        )

    def _sampling(self, **changes: Any) -> Any:
        _name, info = self._require_model("temperature")
        if not info.temperature:
            raise ConfigurationError(
                f"{self._settings.model} does not accept sampling options (temperature/top_p/top_k)"
            )
        if self._settings.thinking_budget is not None:
            raise ConfigurationError(
                "sampling options (temperature/top_p/top_k) cannot be combined with extended "
                "thinking on Anthropic models"
            )
        return self._with(**changes)

    @overload
    def temperature(
        self: AnthropicBuilder[ThinkingModel, Neutral], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def temperature(
        self: AnthropicBuilder[ThinkingModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def temperature(
        self: AnthropicBuilder[StandardModel, Neutral], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    @overload
    def temperature(
        self: AnthropicBuilder[StandardModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    def temperature(self, value: float) -> Any:
        """Sampling temperature, 0 to 1 (not with extended thinking)."""
        return self._sampling(temperature=self._check_temperature(value, upper=1.0))

    @overload
    def top_p(
        self: AnthropicBuilder[ThinkingModel, Neutral], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_p(
        self: AnthropicBuilder[ThinkingModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_p(
        self: AnthropicBuilder[StandardModel, Neutral], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    @overload
    def top_p(
        self: AnthropicBuilder[StandardModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    def top_p(self, value: float) -> Any:
        """Nucleus sampling probability mass, 0 to 1 (not with extended thinking)."""
        return self._sampling(top_p=self._check_top_p(value))

    @overload
    def top_k(
        self: AnthropicBuilder[ThinkingModel, Neutral], value: int
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_k(
        self: AnthropicBuilder[ThinkingModel, TemperatureSet], value: int
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_k(
        self: AnthropicBuilder[StandardModel, Neutral], value: int
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    @overload
    def top_k(
        self: AnthropicBuilder[StandardModel, TemperatureSet], value: int
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    def top_k(self, value: int) -> Any:
        """Sample only from the top K tokens (not with extended thinking)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"top_k must be a positive int, got {value!r}")
        return self._sampling(top_k=value)

    @overload
    def thinking(
        self: AnthropicBuilder[ThinkingModel, Neutral], *, budget_tokens: int
    ) -> AnthropicBuilder[ThinkingModel, ThinkingOn]: ...
    @overload
    def thinking(
        self: AnthropicBuilder[ThinkingModel, ThinkingOn], *, budget_tokens: int
    ) -> AnthropicBuilder[ThinkingModel, ThinkingOn]: ...
    def thinking(self, *, budget_tokens: int) -> Any:
        """Extended thinking with this token budget (at least 1024, below ``max_tokens``).

        Only on models with extended thinking, and not together with sampling options."""
        _name, info = self._require_model("thinking")
        if not info.thinking:
            raise ConfigurationError(f"{self._settings.model} does not support extended thinking")
        if info.thinking_mode == ALWAYS_ADAPTIVE:
            raise ConfigurationError(ALWAYS_ADAPTIVE_MESSAGE.format(model=self._settings.model))
        s = self._settings
        if s.temperature is not None or s.top_p is not None or s.top_k is not None:
            raise ConfigurationError(
                "extended thinking cannot be combined with temperature/top_p/top_k"
            )
        if isinstance(budget_tokens, bool) or not isinstance(budget_tokens, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("budget_tokens must be an int")
        if budget_tokens < MIN_THINKING_BUDGET:
            raise ConfigurationError(
                f"budget_tokens must be at least {MIN_THINKING_BUDGET}, got {budget_tokens}"
            )
        return self._with(thinking_budget=budget_tokens)

    def anthropic_version(self, version: str) -> AnthropicBuilder[M, S]:
        """The ``anthropic-version`` header (default ``2023-06-01``)."""
        return self._with(api_version=version)

    def beta(self, *names: str) -> AnthropicBuilder[M, S]:
        """Extra ``anthropic-beta`` feature names sent with every request."""
        return self._with(betas=(*self._settings.betas, *names))

    # Any sampling state: thinking and sampling options never meet statically (and build()
    # re-checks), and ``object`` is what mypy joins a mixed list's sampling states to.
    def build(self: AnthropicBuilder[ModelChosen, object]) -> Client:
        """The client. The key comes from ``.api_key()`` or ``ANTHROPIC_API_KEY``, the base URL
        from ``.base_url()``, ``ANTHROPIC_BASE_URL`` or ``https://api.anthropic.com``.

        ``max_tokens`` (always sent) defaults to the model's output limit, capped at 8192, and
        is raised above the thinking budget when thinking is on.
        """
        model, info = self._require_model("build")
        s = self._settings
        check_settings(s, info)
        if s.thinking_budget is not None and (
            s.temperature is not None or s.top_p is not None or s.top_k is not None
        ):
            raise ConfigurationError(
                "sampling options (temperature/top_p/top_k) cannot be combined with extended "
                "thinking on Anthropic models"
            )
        auth = self._auth(("ANTHROPIC_API_KEY",), lambda key: api_key_header("x-api-key", key))
        max_tokens = s.max_tokens or min(info.max_output_tokens or 8192, 8192)
        if s.thinking_budget is not None and max_tokens <= s.thinking_budget:
            if s.max_tokens is not None:
                raise ConfigurationError(
                    f"max_tokens ({s.max_tokens}) must be greater than the thinking budget "
                    f"({s.thinking_budget})"
                )
            max_tokens = s.thinking_budget + 4096
        base_url = (
            s.base_url
            or os.environ.get("ANTHROPIC_BASE_URL", "").strip().rstrip("/")
            or ANTHROPIC_BASE_URL
        )
        return self._client(
            provider="anthropic",
            wire="anthropic-messages",
            model=model,
            info=info,
            host=self._host("anthropic", base_url),
            auth=auth,
            wire_options=AnthropicOptions(
                version=s.api_version or ANTHROPIC_VERSION,
                betas=s.betas,
                thinking_budget=s.thinking_budget,
            ),
            defaults=self._defaults(max_tokens=max_tokens),
        )


def anthropic() -> AnthropicBuilder[NoModel, Neutral]:
    """Start configuring an Anthropic (Claude) client.

    >>> import typedllm as tl
    >>> builder = tl.anthropic().model("claude-haiku-4-5").temperature(0)
    """
    return AnthropicBuilder(BuilderSettings())
